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
    init(encoded text: Substring) throws(OAuthError) {
        guard !text.isEmpty else { return }
        let pairs = text.split(separator: "&", omittingEmptySubsequences: true)
        guard pairs.count <= Self.parametersMax else { throw .invalidRequest("too many parameters") }
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw .invalidRequest("the parameters are not valid percent-encoding")
            }
            guard values[name] == nil else { throw .invalidRequest("\(name.prefix(40)) is given more than once") }
            values[name] = value
        }
    }

    init(_ values: [String: String]) { self.values = values }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
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
