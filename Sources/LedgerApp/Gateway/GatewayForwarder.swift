import LedgerCore
import LedgerWallet
import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// Why a request could not be forwarded, as the controller needs to answer it.
///
/// For a payment route the kind says whether the origin can have acted: only `invalidRequest` and
/// `unreachable` guarantee the request never left the gateway. After the others the payment may
/// have been made, and only the origin knows.
public struct GatewayForwardError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The request cannot be sent as given (a dot segment, a user id that is not a header value…).
        case invalidRequest = "invalid_request"
        /// No connection was made (name not resolved, connection refused, connect timeout): the
        /// request was never sent. AsyncHTTPClient retries a refused connection until the
        /// deadline, so this too can take the whole timeout.
        case unreachable
        /// The connection broke after the request may have been sent, before a whole answer.
        case connectionLost = "connection_lost"
        /// No whole answer within the forwarder's timeout.
        case timedOut = "timed_out"
        /// The answer is larger than the forwarder's bound.
        case responseTooLarge = "response_too_large"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// 400 for a request that cannot be forwarded, 504 for a timeout, 502 for the rest.
    public var suggestedStatus: HTTPResponse.Status {
        switch kind {
        case .invalidRequest: .badRequest
        case .timedOut: .gatewayTimeout
        case .unreachable, .connectionLost, .responseTooLarge: .badGateway
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// The origin's answer, with its hop-by-hop headers dropped.
public struct GatewayForwardResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    public var body: ByteBuffer

    public init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Whatever carries a gateway call to the origin: `GatewayForwarder` over HTTP, or an in-memory
/// origin in tests. Throws `GatewayForwardError` when the call did not get an answer.
public protocol OriginForwarding: Sendable {
    func forward(
        method: HTTPRequest.Method, pathAndQuery: String, headers: HTTPFields, body: ByteBuffer?, userId: String,
        clientId: String, scopes: [String]
    ) async throws -> GatewayForwardResponse
}

/// Sends one request on to the origin and brings its answer back, bounded in time and size.
///
/// The caller's credentials stay here: Authorization, Cookie and Proxy-* are not forwarded, nor
/// any X-GrantLedger-* header the caller made up. The origin learns who is calling from the
/// X-GrantLedger-User, -Client and -Scopes headers this forwarder sets, so the origin must only be
/// reachable through the gateway.
public struct GatewayForwarder: OriginForwarding {
    public static let userHeader = "X-GrantLedger-User"
    public static let clientHeader = "X-GrantLedger-Client"
    public static let scopesHeader = "X-GrantLedger-Scopes"
    /// A request target longer than this is refused rather than sent.
    public static let pathAndQueryLengthMax = 8 * 1024
    public static let identityLengthMax = 256
    public static let scopesMax = 64

    /// Hop-by-hop headers (RFC 9110 7.6.1) and the ones the client library sets itself.
    package static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
        "content-length",
    ]
    /// Request headers that stay at the gateway. Accept-Encoding is dropped so the origin answers
    /// uncompressed: the size bound then counts real bytes, and no client library can decompress a
    /// body while its Content-Encoding header still says gzip. Expect: 100-continue is a hop
    /// matter between the caller and the gateway, which already has the whole body.
    package static let requestOnly: Set<String> = ["authorization", "cookie", "accept-encoding", "expect"]

    /// The client configuration the forwarder relies on: redirects are answered to the caller,
    /// never followed (a 3xx to another host would carry the X-GrantLedger headers with it), and
    /// bodies are passed through as they are. `HTTPClient.shared` follows redirects, so make the
    /// forwarder's client with this.
    public static func httpClientConfiguration(connectTimeout: TimeAmount = .seconds(5)) -> HTTPClient.Configuration {
        HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: connectTimeout), decompression: .disabled)
    }

    package let originBaseURL: String
    package let httpClient: HTTPClient
    package let timeout: TimeAmount
    package let responseBytesMax: Int

    /// - Parameters:
    ///   - originBaseURL: "http://127.0.0.1:3000" or with a path prefix, "https://lndhub.local/api".
    ///   - httpClient: made with `httpClientConfiguration()`; it is not shut down by the forwarder.
    ///   - timeout: for the whole exchange, from connecting to the last byte of the answer (a body
    ///     still arriving gets a second more).
    ///   - responseBytesMax: a larger answer is refused as `.responseTooLarge`.
    public init(originBaseURL: String, httpClient: HTTPClient, timeout: TimeAmount, responseBytesMax: Int)
        throws(GatewayConfigError)
    {
        guard let url = URL(string: originBaseURL), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw GatewayConfigError(
                "origin URL must be an absolute http or https URL, got '\(originBaseURL.prefix(200))'")
        }
        guard url.query == nil, url.fragment == nil, url.user == nil, url.password == nil else {
            throw GatewayConfigError("origin URL must not hold a query, a fragment or credentials")
        }
        guard timeout > .zero, responseBytesMax > 0 else {
            throw GatewayConfigError("the origin timeout and response bound must be positive")
        }
        var base = originBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.originBaseURL = base
        self.httpClient = httpClient
        self.timeout = timeout
        self.responseBytesMax = responseBytesMax
    }

    /// Forwards the request and returns the origin's answer, whatever its status. Throws
    /// `GatewayForwardError`, or `CancellationError` when the calling task is cancelled.
    ///
    /// - Parameters:
    ///   - pathAndQuery: the caller's request target ("/invoices?limit=10"), appended to the base URL.
    ///   - headers: the caller's headers; hop-by-hop ones and credentials are dropped.
    ///   - body: already read, and bounded, by the caller.
    public func forward(
        method: HTTPRequest.Method, pathAndQuery: String, headers: HTTPFields, body: ByteBuffer?, userId: String,
        clientId: String, scopes: [String]
    ) async throws -> GatewayForwardResponse {
        try Self.checkTarget(pathAndQuery)
        try Self.checkIdentity(userId, name: "user id")
        try Self.checkIdentity(clientId, name: "client id")
        guard scopes.count <= Self.scopesMax, scopes.allSatisfy(GatewayRouteTable.isScope) else {
            throw GatewayForwardError(.invalidRequest, "scopes must be at most \(Self.scopesMax) valid scope names")
        }

        var request = HTTPClientRequest(url: originBaseURL + pathAndQuery)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers = Self.requestHeaders(headers)
        request.headers.add(name: Self.userHeader, value: userId)
        request.headers.add(name: Self.clientHeader, value: clientId)
        request.headers.add(name: Self.scopesHeader, value: scopes.joined(separator: " "))
        if let body { request.body = .bytes(body) }

        let client = httpClient
        let prepared = request
        let timeout = timeout
        let bytesMax = responseBytesMax
        do {
            // One deadline for the whole call, body included: a refused connection, retried until
            // the deadline when that comes before the connect timeout, must be reported as never
            // sent, not as timed out (a payment route would charge the hold); `ResponseBodyDeadline`
            // says why only the body races a timer.
            let deadline = NIODeadline.now() + timeout
            let response = try await client.execute(prepared, deadline: deadline)
            let body = try await ResponseBodyDeadline.collect(
                response.body, upTo: bytesMax, deadline: deadline, graceNanoseconds: Self.bodyGraceNanoseconds)
            return GatewayForwardResponse(
                status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
                headers: Self.responseHeaders(response.headers), body: body)
        } catch {
            throw mapError(error)
        }
    }

    /// How long past the deadline a body still being read is given before it counts as timed out.
    private static let bodyGraceNanoseconds: UInt64 = 1_000_000_000

    private func mapError(_ error: any Error) -> any Error {
        if Task.isCancelled { return CancellationError() }
        let seconds = Double(timeout.nanoseconds) / 1e9
        // Transport errors name the host and port, never request headers, so no credential leaks.
        let cause = String(describing: error).prefix(300)
        if Self.neverSent(error) {
            return GatewayForwardError(.unreachable, "the origin is unreachable: \(cause)")
        }
        let timeouts: [HTTPClientError] = [.deadlineExceeded, .readTimeout]
        if error is ResponseBodyDeadline.Passed || (error as? HTTPClientError).map(timeouts.contains) == true {
            return GatewayForwardError(.timedOut, "the origin did not answer within \(seconds) s")
        }
        if error is NIOTooManyBytesError {
            return GatewayForwardError(
                .responseTooLarge, "the origin answered with more than \(responseBytesMax) bytes")
        }
        return GatewayForwardError(.connectionLost, "the connection to the origin broke: \(cause)")
    }

    /// Errors that can only happen before a connection exists, so before anything was sent. Any
    /// other error counts as "may have been sent": a payment gateway must not assume a payment
    /// failed when it cannot know.
    package static func neverSent(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError:
            // The bootstrap's own failure: the name did not resolve or no address accepted.
            return true
        case let error as IOError:
            // A refusal answers the SYN; on an open connection a reset reads as ECONNRESET.
            return error.errnoCode == ECONNREFUSED
        case let error as HTTPClientError:
            return error == .connectTimeout
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        default:
            return false
        }
    }

    // MARK: - Checks and headers

    /// The target must be origin-form, printable ASCII, and without "." or ".." segments, which
    /// the origin's URL normalisation would resolve outside the matched route (and outside a base
    /// URL's path prefix).
    package static func checkTarget(_ target: String) throws(GatewayForwardError) {
        guard target.hasPrefix("/"), target.utf8.count <= pathAndQueryLengthMax,
            target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") })
        else {
            throw GatewayForwardError(
                .invalidRequest,
                "the request target must be a path of at most \(pathAndQueryLengthMax) printable characters")
        }
        let path = target.prefix { $0 != "?" }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            let decoded = segment.removingPercentEncoding ?? String(segment)
            if decoded == "." || decoded == ".." || decoded.containsASCII("/") || decoded.containsASCII("\\") {
                throw GatewayForwardError(.invalidRequest, "the request path has a dot or encoded slash segment")
            }
        }
    }

    package static func checkIdentity(_ value: String, name: String) throws(GatewayForwardError) {
        guard !value.isEmpty, value.utf8.count <= identityLengthMax, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else {
            throw GatewayForwardError(
                .invalidRequest, "\(name) must be 1 to \(identityLengthMax) printable ASCII characters to be sent")
        }
    }

    /// Names a Connection header lists are hop-by-hop too (RFC 9110 7.6.1).
    private static func connectionOptions(_ values: some Sequence<String>) -> Set<String> {
        Set(values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    package static func requestHeaders(_ fields: HTTPFields) -> HTTPHeaders {
        let listed = connectionOptions(fields[values: .connection])
        var headers = HTTPHeaders()
        for field in fields {
            let name = field.name.canonicalName
            if hopByHop.contains(name) || requestOnly.contains(name) || listed.contains(name)
                || name.hasPrefix("proxy-") || name.hasPrefix("x-grantledger-")
            {
                continue
            }
            headers.add(name: field.name.rawName, value: field.value)
        }
        return headers
    }

    package static func responseHeaders(_ headers: HTTPHeaders) -> HTTPFields {
        let listed = connectionOptions(headers[canonicalForm: "connection"].map(String.init))
        var fields = HTTPFields()
        for (name, value) in headers {
            let lowered = name.lowercased()
            guard !hopByHop.contains(lowered), !listed.contains(lowered), !lowered.hasPrefix("proxy-"),
                let fieldName = HTTPField.Name(name)
            else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
