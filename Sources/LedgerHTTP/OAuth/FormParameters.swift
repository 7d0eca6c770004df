import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird

/// OAuth parameters: `application/x-www-form-urlencoded` bodies and query strings. Written here
/// rather than with Hummingbird's `URLEncodedFormDecoder` because RFC 6749 §3.1 and §3.2 forbid a
/// parameter appearing twice, which a decoder into a struct cannot tell, and because the endpoints
/// answer missing or odd parameters with their own error codes.
struct FormParameters: Sendable {
    static let parametersMax = 64

    private(set) var values: [String: String] = [:]

    subscript(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// Parses `a=b&c=d`; `+` is a space. A repeated parameter is refused.
    ///
    /// Split on the bytes `&` and `=`, as the WHATWG URL standard's form parser does, over the
    /// UTF-8 view: a split by Characters walked grapheme boundaries (4 % of an introspection's CPU
    /// in a profile) and kept a `&` or `=` followed by a combining mark unsplit.
    init(encoded text: Substring) throws(OAuthError) {
        guard !text.isEmpty else { return }
        // At most one pair past the limit is made, whatever the body holds: the rest stays in it.
        let pairs = text.utf8.split(
            separator: UInt8(ascii: "&"), maxSplits: Self.parametersMax, omittingEmptySubsequences: true)
        guard pairs.count <= Self.parametersMax || pairs[Self.parametersMax].allSatisfy({ $0 == UInt8(ascii: "&") })
        else { throw .invalidRequest("too many parameters") }
        for pair in pairs.prefix(Self.parametersMax) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let encodedValue = equals.map { Substring(pair[pair.index(after: $0)...]) } ?? ""
            guard let name = Self.decode(Substring(pair[..<(equals ?? pair.endIndex)])),
                let value = Self.decode(encodedValue)
            else {
                throw .invalidRequest("the parameters are not valid percent-encoding")
            }
            guard values[name] == nil else { throw .invalidRequest("\(name.prefix(40)) is given more than once") }
            values[name] = value
        }
    }

    init(_ values: [String: String]) { self.values = values }

    /// `+` is a space, `%XX` a byte; the bytes must be UTF-8. By hand over the UTF-8 view: through
    /// Foundation (`replacingOccurrences` + `removingPercentEncoding`) this was a sixth of an
    /// introspection's CPU time, tokens being long.
    static func decode(_ part: Substring) -> String? {
        let utf8 = part.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(part) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let h = hexValue(utf8[high]), let l = hexValue(utf8[low]) else {
                    return nil
                }
                bytes.append(h << 4 | l)
                index = low
            default:
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The request's query and, for POST, its form body, merged; a name in both is refused.
    static func of(_ request: Request, bytesMax: Int, includeQuery: Bool) async throws -> FormParameters {
        var merged =
            includeQuery ? try FormParameters(encoded: Substring(request.uri.query ?? "")) : FormParameters([:])
        guard request.method == .post else { return merged }
        if let type = request.headers[.contentType]?.lowercased(), !type.hasPrefix("application/x-www-form-urlencoded")
        {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: bytesMax)
        } catch {
            throw OAuthError(.contentTooLarge, "invalid_request", "the body is larger than \(bytesMax) bytes")
        }
        let form = try FormParameters(encoded: Substring(String(buffer: body)))
        for (name, value) in form.values {
            guard merged.values[name] == nil else {
                throw OAuthError.invalidRequest("\(name.prefix(40)) is given more than once")
            }
            merged.values[name] = value
        }
        return merged
    }

    /// A space-separated scope parameter as a list, or nil when absent.
    var scopes: [String]? {
        self["scope"].map { $0.split(separator: " ").map(String.init) }
    }
}
