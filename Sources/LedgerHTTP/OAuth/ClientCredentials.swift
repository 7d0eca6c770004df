import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp

/// The client credentials a request carries (RFC 6749 §2.3.1): HTTP Basic, whose id and secret
/// are form-urlencoded before base64 (§2.3.1), and the body's `client_id` / `client_secret`.
/// Whether they prove anything is `OAuthGrants.authenticate`'s to say.
enum ClientCredentials {
    static func presented(_ request: Request, _ form: FormParameters) throws(OAuthError) -> PresentedClient {
        var basic: (id: String, secret: String)?
        if let header = request.headers[.authorization], let credentials = basicCredentials(header) {
            guard header.utf8.count <= 4096, let decoded = Data(base64Encoded: String(credentials)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                let id = FormParameters.decode(text[..<colon]),
                let secret = FormParameters.decode(text[text.index(after: colon)...])
            else { throw .invalidClient("the Basic credentials are malformed", basic: true) }
            basic = (id, secret)
        }
        return PresentedClient(basic: basic, formClientId: form["client_id"], formClientSecret: form["client_secret"])
    }

    /// What follows a `Basic` scheme (any case, RFC 9110 §11.1), without the spaces and tabs around
    /// it; nil for another scheme. On the bytes: lowercasing the whole header and Foundation's
    /// `trimmingCharacters` were a tenth of an introspection's CPU once its rows were kept.
    static func basicCredentials(_ header: String) -> Substring? {
        let scheme = "basic ".utf8
        guard header.utf8.count >= scheme.count,
            zip(header.utf8, scheme).allSatisfy({ byte, lower in byte == lower || (lower != 0x20 && byte | 0x20 == lower) })
        else { return nil }
        // By scalars, not Characters: a combining mark after the space would join it into one
        // Character, and dropping six Characters would swallow the mark.
        let scalars = header.unicodeScalars
        var credentials = scalars[scalars.index(scalars.startIndex, offsetBy: scheme.count)...]
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        while let first = credentials.first, isBlank(first) { credentials.removeFirst() }
        while let last = credentials.last, isBlank(last) { credentials.removeLast() }
        return Substring(credentials)
    }
}
