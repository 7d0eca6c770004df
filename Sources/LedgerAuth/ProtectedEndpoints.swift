import Foundation

/// Why an operator's protected-endpoint line (or a decoded NUT-21 entry) was refused.
public struct ProtectedEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
    public init(reason: String) { self.reason = reason }
}

/// One NUT-21 protected endpoint, exactly as published under `protected_endpoints` in the NUT-06
/// info. `path` is either exact or, ending in `*`, a prefix. Both initialisers validate, so a value
/// that exists is one that can only ever be matched literally.
public struct ProtectedEndpoint: Codable, Sendable, Equatable {
    public let method: String
    public let path: String

    public static let maxMethodLength = 16
    public static let maxPathLength = 1024

    /// `method` is uppercased. It must be letters only: no `*` for "any method", because this list
    /// is published verbatim and wallets compare the method literally, so a wildcard method would
    /// leave them sending no CAT and failing with 30001; list each method instead.
    public init(method: String, path: String) throws(ProtectedEndpointError) {
        let method = method.uppercased()
        guard (1...Self.maxMethodLength).contains(method.utf8.count),
            method.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
        else {
            throw ProtectedEndpointError(
                reason: "method \"\(method.prefix(32))\" is not an HTTP method (letters A-Z only)")
        }
        try Self.validate(path: path)
        self.method = method
        self.path = path
    }

    /// An operator line such as `POST /v1/auth/blind/mint` or `GET /v1/mint/*`.
    public init(parsing line: String) throws(ProtectedEndpointError) {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2 else {
            throw ProtectedEndpointError(
                reason:
                    "protected endpoint \"\(line.prefix(64))\" is not \"METHOD /path\" (e.g. \"POST /v1/auth/blind/mint\")"
            )
        }
        try self.init(method: String(parts[0]), path: String(parts[1]))
    }

    /// Decoding validates too: a wallet reads this list from an untrusted mint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            method: try container.decode(String.self, forKey: .method),
            path: try container.decode(String.self, forKey: .path))
    }

    enum CodingKeys: String, CodingKey {
        case method, path
    }

    /// Characters RFC 3986 allows in a path (unreserved, sub-delims, `:`, `@`, `/`, `%`), plus `*`
    /// checked separately. Everything regex-like outside that set (`^`, `[`, `|`, `\`, `{`, `?`,
    /// whitespace) is refused outright rather than taken literally, so a pasted regex fails loudly.
    static let pathBytes: Set<UInt8> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()+,;=:@/%".utf8)

    static func validate(path: String) throws(ProtectedEndpointError) {
        let shown = "\"\(path.prefix(64))\""
        guard path.hasPrefix("/") else { throw ProtectedEndpointError(reason: "path \(shown) must start with /") }
        guard path.utf8.count <= maxPathLength else {
            throw ProtectedEndpointError(reason: "path \(shown)… is longer than \(maxPathLength) bytes")
        }
        let body = path.hasSuffix("*") ? path.utf8.dropLast() : path.utf8[...]
        if body.contains(UInt8(ascii: "*")) {
            throw ProtectedEndpointError(
                reason: "path \(shown): * is allowed only as the final character (prefix match)")
        }
        if let bad = body.first(where: { !pathBytes.contains($0) }) {
            let character = bad < 0x21 || bad > 0x7e ? String(format: "0x%02x", bad) : String(UnicodeScalar(bad))
            throw ProtectedEndpointError(
                reason:
                    "path \(shown) contains \(character): only exact paths or a prefix ending in * are allowed, never a pattern"
            )
        }
    }

    /// Exact, or prefix when `path` ends in `*`; never a pattern.
    func matches(path requestPath: Substring) -> Bool {
        if path.hasSuffix("*") { return requestPath.hasPrefix(path.dropLast()) }
        return requestPath == path[...]
    }
}

/// The endpoints that require a CAT, from operator configuration.
public struct ProtectedEndpoints: Sendable, Equatable {
    public let endpoints: [ProtectedEndpoint]

    /// More would only mean a misconfiguration, and every request walks the list.
    public static let maxCount = 256

    public init(_ endpoints: [ProtectedEndpoint]) throws(ProtectedEndpointError) {
        guard endpoints.count <= Self.maxCount else {
            throw ProtectedEndpointError(reason: "at most \(Self.maxCount) protected endpoints, got \(endpoints.count)")
        }
        var unique: [ProtectedEndpoint] = []
        for endpoint in endpoints where !unique.contains(endpoint) { unique.append(endpoint) }
        self.endpoints = unique
    }

    /// Operator lines such as `POST /v1/auth/blind/mint`; blank lines are skipped.
    public init(parsing lines: [String]) throws(ProtectedEndpointError) {
        var endpoints: [ProtectedEndpoint] = []
        for line in lines where !line.allSatisfy(\.isWhitespace) {
            endpoints.append(try ProtectedEndpoint(parsing: line))
        }
        try self.init(endpoints)
    }

    /// `path` is the request path as the router sees it (a query, if passed, is ignored). Besides
    /// the literal path, its canonical form is tried too: the Hummingbird router ignores empty
    /// segments, so `//v1/auth/blind/mint/` reaches the same handler as `/v1/auth/blind/mint` and
    /// must not slip past an exact entry. Either form matching means protected (fail closed).
    public func matches(method: String, path: String) -> Bool { match(method: method, path: path) != nil }

    /// The entry that protects this request, if any (its path is the audit's route: no ids in it).
    public func match(method: String, path: String) -> ProtectedEndpoint? {
        let method = method.uppercased()
        let raw = path.prefix(while: { $0 != "?" })
        let canonical = "/" + raw.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        return endpoints.first { endpoint in
            endpoint.method == method
                && (endpoint.matches(path: raw) || endpoint.matches(path: canonical[...]))
        }
    }
}
