/// The credentials of an `Authorization` header for one scheme (RFC 9110 §11.4): the scheme in
/// any case (§11.1), a space, then the credentials without the spaces and tabs around them.
///
/// Read on the bytes and by scalars: `header.lowercased()` and Foundation's `trimmingCharacters`
/// were a tenth of an introspection's CPU, and every bearer request lowercased its whole token.
/// By scalars, not Characters: a combining mark after the space joins it into one Character, and
/// dropping Characters would swallow the mark.
enum AuthorizationHeader {
    /// nil for another scheme. `lowercaseScheme`: ASCII letters in lower case, e.g. "bearer".
    static func credentials(_ header: String, scheme lowercaseScheme: String) -> Substring? {
        let prefix = lowercaseScheme.utf8 + [0x20]
        guard header.utf8.count >= prefix.count,
            zip(header.utf8, prefix).allSatisfy({ byte, lower in byte == lower || (lower != 0x20 && byte | 0x20 == lower) })
        else { return nil }
        let scalars = header.unicodeScalars
        var credentials = scalars[scalars.index(scalars.startIndex, offsetBy: prefix.count)...]
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        while let first = credentials.first, isBlank(first) { credentials.removeFirst() }
        while let last = credentials.last, isBlank(last) { credentials.removeLast() }
        return Substring(credentials)
    }
}
