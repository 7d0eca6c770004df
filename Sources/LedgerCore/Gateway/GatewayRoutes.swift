import Foundation

/// One route the gateway forwards: a method and a path pattern, the OAuth scope a token needs for
/// it, and for a payment route how to read what it costs.
///
/// JSON: `{"method": "GET", "path": "/invoices/{payment_hash}", "scope": "invoices:create"}`, with
/// `"spend": {...}` (see `GatewaySpend`) on payment routes.
public struct GatewayRoute: Codable, Sendable, Equatable {
    /// An HTTP method, upper case ("GET", "POST"); matched exactly, so HEAD needs its own route.
    public var method: String
    /// Literal segments and whole-segment parameters: "/invoices/{payment_hash}".
    public var path: String
    public var scope: String
    /// Present on routes that spend from the wallet; nil elsewhere.
    public var spend: GatewaySpend?

    public init(method: String, path: String, scope: String, spend: GatewaySpend? = nil) {
        self.method = method
        self.path = path
        self.scope = scope
        self.spend = spend
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case method, path, scope, spend
    }

    public init(from decoder: any Decoder) throws {
        // A misspelt "spend" would silently turn a payment route into a free one.
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(String.self, forKey: .method)
        path = try container.decode(String.self, forKey: .path)
        scope = try container.decode(String.self, forKey: .scope)
        spend = try container.decodeIfPresent(GatewaySpend.self, forKey: .spend)
    }
}

/// Why a route table was refused, naming the route by its position in the list.
public struct GatewayConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The configured routes, checked once and matched on every request.
///
/// Matching is exact and segment by segment: no wildcards, no regular expressions, no trailing
/// slash folding ("/balance/" does not match "/balance"), no percent-decoding of literals. A path
/// that matches nothing is not forwarded, so every rule errs on the side of answering 404.
public struct GatewayRouteTable: Sendable {
    /// A gateway in front of one origin needs dozens of routes, not thousands; the bound keeps a
    /// broken config from making every request scan a huge list.
    public static let routesMax = 256
    public static let pathLengthMax = 1024
    public static let segmentsMax = 32
    public static let scopeLengthMax = 128
    public static let methodLengthMax = 32
    /// A route file is a few kilobytes; anything much larger is not one.
    public static let fileBytesMax = 1024 * 1024

    public let routes: [GatewayRoute]
    private let compiled: [CompiledRoute]

    public init(routes: [GatewayRoute]) throws(GatewayConfigError) {
        guard routes.count <= Self.routesMax else {
            throw GatewayConfigError("\(routes.count) routes; at most \(Self.routesMax) are allowed")
        }
        var compiled: [CompiledRoute] = []
        var seen: [String: Int] = [:]
        for (index, route) in routes.enumerated() {
            let routeName = "routes[\(index)] (\(route.method.prefix(32)) \(route.path.prefix(64)))"
            let segments: [Segment]
            do {
                try Self.checkMethod(route.method)
                segments = try Self.compile(route.path)
                try Self.checkScope(route.scope)
                try route.spend?.validate()
            } catch {
                throw GatewayConfigError("\(routeName): \(error.message)")
            }
            // "/invoices/{a}" and "/invoices/{b}" are the same route under two names: which one
            // wins would depend on the order of the file.
            let shape = route.method + " " + segments.map(\.shape).joined(separator: "/")
            if let earlier = seen[shape] {
                throw GatewayConfigError("\(routeName): same method and path pattern as routes[\(earlier)]")
            }
            seen[shape] = index
            compiled.append(CompiledRoute(route: route, segments: segments))
        }
        self.routes = routes
        self.compiled = compiled
    }

    /// Reads `{"routes": [...]}` from a file of at most `fileBytesMax` bytes.
    public static func load(jsonFile path: String) throws(GatewayConfigError) -> GatewayRouteTable {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: fileBytesMax + 1) ?? Data()
        } catch {
            throw GatewayConfigError("cannot read route file \(path): \(error.localizedDescription)")
        }
        guard data.count <= fileBytesMax else {
            throw GatewayConfigError("route file \(path) is larger than \(fileBytesMax) bytes")
        }
        let file: RouteFile
        do {
            file = try JSONDecoder().decode(RouteFile.self, from: data)
        } catch let error as DecodingError {
            throw GatewayConfigError("route file \(path): \(error.explanation)")
        } catch {
            throw GatewayConfigError("route file \(path): \(error)")
        }
        do {
            return try GatewayRouteTable(routes: file.routes)
        } catch {
            throw GatewayConfigError("route file \(path): \(error.message)")
        }
    }

    /// The route for a request, or nil when none matches. `path` is the request target's path; a
    /// query or fragment is ignored. Where several patterns match, the one with a literal at the
    /// first segment where they differ wins: "/invoices/incoming" beats "/invoices/{payment_hash}".
    public func match(method: String, path: String) -> GatewayRoute? {
        guard let requestSegments = Self.requestSegments(path) else { return nil }
        var best: CompiledRoute?
        for candidate in compiled where candidate.route.method == method && candidate.matches(requestSegments) {
            if best.map({ candidate.isMoreSpecific(than: $0) }) ?? true { best = candidate }
        }
        return best?.route
    }

    /// The methods some route accepts for this path, for a 405 and its Allow header.
    public func methods(forPath path: String) -> [String] {
        guard let requestSegments = Self.requestSegments(path) else { return [] }
        let methods = compiled.filter { $0.matches(requestSegments) }.map(\.route.method)
        return Array(Set(methods)).sorted()
    }

    /// Reads the amount a payment request asks to spend, in msat; nil for a route that spends
    /// nothing. See `GatewaySpend.requestedMsat(body:)`.
    public func spendAmountMsat(route: GatewayRoute, body: Data) throws(GatewaySpendError) -> Int64? {
        try route.spend?.requestedMsat(body: body)
    }

    /// What a payment the origin answered with 2xx cost. See `GatewaySpend.settledCost`.
    public func settledCost(route: GatewayRoute, responseBody: Data, requestedMsat: Int64) -> GatewaySettledCost {
        route.spend?.settledCost(responseBody: responseBody, requestedMsat: requestedMsat)
            ?? GatewaySettledCost(amountMsat: requestedMsat, feeMsat: 0)
    }
}

// MARK: - Checking and compiling patterns

extension GatewayRouteTable {
    struct RouteFile: Decodable {
        var routes: [GatewayRoute]

        enum CodingKeys: String, CodingKey, CaseIterable { case routes }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            routes = try decoder.container(keyedBy: CodingKeys.self).decode([GatewayRoute].self, forKey: .routes)
        }
    }

    enum Segment: Equatable {
        case literal(String)
        case parameter(String)

        /// The segment with the parameter's name erased, to find two routes that are the same.
        var shape: String {
            switch self {
            case .literal(let text): text
            case .parameter: "{}"
            }
        }
    }

    struct CompiledRoute: Sendable {
        let route: GatewayRoute
        let segments: [Segment]

        func matches(_ request: [Substring]) -> Bool {
            guard request.count == segments.count else { return false }
            for (segment, value) in zip(segments, request) {
                switch segment {
                case .literal(let text): guard value == text else { return false }
                case .parameter: guard GatewayRouteTable.isParameterValue(value) else { return false }
                }
            }
            return true
        }

        /// Left to right, the first segment where one has a literal and the other a parameter
        /// decides. Two different patterns that both match always differ somewhere, since equal
        /// shapes are refused and a segment count must be equal to match at all.
        func isMoreSpecific(than other: CompiledRoute) -> Bool {
            for (mine, theirs) in zip(segments, other.segments) {
                switch (mine, theirs) {
                case (.literal, .parameter): return true
                case (.parameter, .literal): return false
                default: continue
                }
            }
            return false
        }
    }

    /// RFC 9110 methods are tokens; lower case is refused because methods are case-sensitive and a
    /// "get" route would never match anything.
    static func checkMethod(_ method: String) throws(GatewayConfigError) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8)
        guard !method.isEmpty, method.utf8.count <= methodLengthMax, method.utf8.allSatisfy(allowed.contains) else {
            throw GatewayConfigError("method must be an upper-case HTTP method such as GET or POST")
        }
    }

    /// Scopes are compared as exact strings against the token's, so only a plain alphabet is
    /// allowed: no spaces (the scope list separator), no upper case to get wrong.
    static func checkScope(_ scope: String) throws(GatewayConfigError) {
        guard isScope(scope) else {
            throw GatewayConfigError(
                "scope must be 1 to \(scopeLengthMax) characters of a-z, 0-9, '_', ':', '.', '-'")
        }
    }

    package static func isScope(_ scope: String) -> Bool {
        !scope.isEmpty && scope.utf8.count <= scopeLengthMax
            && scope.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"),
                    UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    /// Characters a literal segment may hold: RFC 3986 path characters without '%' (literals are
    /// compared undecoded) and without the ones that look like wildcards or regular expressions.
    private static let literalBytes = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!&',;=:@".utf8)
    private static let nameBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_".utf8)

    static func compile(_ pattern: String) throws(GatewayConfigError) -> [Segment] {
        guard pattern.hasPrefix("/") else { throw GatewayConfigError("path must start with '/'") }
        guard pattern.utf8.count <= pathLengthMax else {
            throw GatewayConfigError("path is longer than \(pathLengthMax) characters")
        }
        if pattern == "/" { return [.literal("")] }
        let parts = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= segmentsMax else {
            throw GatewayConfigError("path has more than \(segmentsMax) segments")
        }
        var names = Set<Substring>()
        return try parts.map { part throws(GatewayConfigError) -> Segment in
            if part.isEmpty {
                throw GatewayConfigError("path has an empty segment ('//' or a trailing '/')")
            }
            if part.hasPrefix("{") {
                let name = part.dropFirst().dropLast()
                guard part.hasSuffix("}"), !name.isEmpty, name.utf8.allSatisfy(nameBytes.contains),
                    !(name.first?.isNumber ?? true)
                else {
                    throw GatewayConfigError(
                        "path segment '\(part.prefix(64))' is not a parameter such as {payment_hash}")
                }
                guard names.insert(name).inserted else {
                    throw GatewayConfigError("path names the parameter {\(name)} twice")
                }
                return .parameter(String(name))
            }
            guard part.utf8.allSatisfy(literalBytes.contains) else {
                throw GatewayConfigError(
                    "path segment '\(part.prefix(64))' holds a character that is not allowed; no '*', regular "
                        + "expressions or percent-encoding, and parameters are whole segments like {name}")
            }
            guard part != ".", part != ".." else {
                throw GatewayConfigError("path segment '\(part)' would be removed by the origin's URL normalisation")
            }
            return .literal(String(part))
        }
    }

    /// The segments of a request path, or nil when it cannot match any route.
    static func requestSegments(_ target: String) -> [Substring]? {
        let path = target.prefix { $0 != "?" && $0 != "#" }
        guard path.hasPrefix("/"), path.utf8.count <= pathLengthMax else { return nil }
        if path == "/" { return [""] }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count <= segmentsMax, !segments.contains(where: \.isEmpty) else { return nil }
        return segments
    }

    /// A parameter matches one whole segment, but not one the origin could read as something
    /// else: "." or ".." (URL normalisation would climb out of the pattern, e.g. from
    /// "/invoices/{payment_hash}" to "/"), nor an encoded '/' or '\' or a control character.
    static func isParameterValue(_ value: Substring) -> Bool {
        guard !value.isEmpty else { return false }
        let decoded = value.removingPercentEncoding ?? String(value)
        if decoded == "." || decoded == ".." { return false }
        return !decoded.unicodeScalars.contains {
            $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control || $0 == " "
        }
    }
}

// MARK: - Alby's table

extension GatewayRouteTable {
    /// The scopes and endpoints of the instance Alby runs in production (getAlby/oauth2server's
    /// README), plus its two payment routes with LNDhub's sat amounts.
    public static let albyExample: GatewayRouteTable = {
        let routes = [
            GatewayRoute(method: "POST", path: "/invoices", scope: "invoices:create"),
            GatewayRoute(method: "GET", path: "/invoices/incoming", scope: "invoices:read"),
            GatewayRoute(method: "GET", path: "/invoices/outgoing", scope: "transactions:read"),
            GatewayRoute(method: "GET", path: "/invoices/{payment_hash}", scope: "invoices:create"),
            GatewayRoute(method: "GET", path: "/balance", scope: "balance:read"),
            GatewayRoute(method: "GET", path: "/user/value4value", scope: "account:read"),
            GatewayRoute(
                method: "POST", path: "/payments/bolt11", scope: "payments:send",
                spend: GatewaySpend(
                    invoiceField: "invoice", amountField: "amount", amountUnit: .sat, feeField: "fee", feeUnit: .sat)),
            GatewayRoute(
                method: "POST", path: "/payments/keysend", scope: "payments:send",
                spend: GatewaySpend(amountField: "amount", amountUnit: .sat, feeField: "fee", feeUnit: .sat)),
        ]
        do {
            return try GatewayRouteTable(routes: routes)
        } catch {
            fatalError("the built-in Alby route table is invalid: \(error)")
        }
    }()
}
