import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Thrown by the timer that bounds a whole fetch (AsyncHTTPClient's own deadline stops at the
/// response head, not the body).
private struct DiscoveryTimedOut: Error {}

extension ClearAuthVerifier {
    /// Discovery documents and key sets are a few KiB; a provider sending more is broken or hostile.
    public static let maxDocumentBytes = 1 << 20

    /// Reads the provider's OpenID discovery document (the `openid_discovery` URL of NUT-21), then
    /// its JWKS. The issuer is the document's `issuer`, which must be the discovery URL minus
    /// `/.well-known/openid-configuration` (OpenID Connect Discovery §4.3), so the document cannot
    /// name some other issuer. Keys are fetched again when a token names an unknown `kid`, at most
    /// once a minute by `clock`.
    ///
    /// Both URLs must be https (http only to a loopback host, for development): whoever can change
    /// the key set in transit can mint any CAT. Redirects are refused; pass a client configured with
    /// `redirectConfiguration: .disallow` so that a redirected request is not even sent. Every
    /// fetch is bounded by `timeout` (body included) and `maxDocumentBytes`.
    /// Errors are `TokenVerificationError`.
    public static func discover(
        discoveryURL: String, httpClient: HTTPClient, clientId: String, audience: String? = nil, leewaySec: Int = 0,
        timeout: TimeAmount = .seconds(10), clock: @escaping @Sendable () -> Date = Date.init
    ) async throws -> ClearAuthVerifier {
        _ = try checkedURL(discoveryURL, what: "openid_discovery")
        let document = try await fetch(discoveryURL, what: "openid_discovery", client: httpClient, timeout: timeout)
        guard let object = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
            let issuer = object["issuer"] as? String, let jwksURI = object["jwks_uri"] as? String
        else {
            throw TokenVerificationError(reason: "openid_discovery is not a JSON object with issuer and jwks_uri")
        }
        let suffix = "/.well-known/openid-configuration"
        let expectedIssuer = String(discoveryURL.dropLast(discoveryURL.hasSuffix(suffix) ? suffix.count : 0))
        guard discoveryURL.hasSuffix(suffix), trimmingSlash(issuer) == trimmingSlash(expectedIssuer) else {
            throw TokenVerificationError(
                reason: "openid_discovery names issuer \(issuer.prefix(200)), but was fetched from \(discoveryURL)")
        }
        _ = try checkedURL(jwksURI, what: "jwks_uri")

        let fetchKeys: @Sendable () async throws(TokenVerificationError) -> [ClearAuthKey] = {
            () async throws(TokenVerificationError) -> [ClearAuthKey] in
            let jwks = try await fetch(jwksURI, what: "jwks_uri", client: httpClient, timeout: timeout)
            return try await ClearAuthKey.fromJWKS(jwks)
        }
        let keys = try await fetchKeys()
        return ClearAuthVerifier(
            keyRing: ClearAuthKeyRing(keys: keys, fetchedAt: clock(), fetch: fetchKeys, clock: clock), issuer: issuer,
            clientId: clientId, audience: audience, leewaySec: leewaySec)
    }

    /// Fetches the provider's JWKS now, whatever the interval (an operator's periodic reload, so
    /// that keys the provider withdrew stop verifying). Keeps the old keys when it fails.
    public func refreshKeys() async throws(TokenVerificationError) {
        try await keyRing.refresh().get()
    }

    private static func trimmingSlash(_ text: String) -> Substring {
        text.hasSuffix("/") ? text.dropLast() : text[...]
    }

    static func checkedURL(_ text: String, what: String) throws(TokenVerificationError) -> URL {
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            let host = url.host?.lowercased(), !host.isEmpty
        else { throw TokenVerificationError(reason: "\(what) is not an absolute URL: \(text.prefix(200))") }
        guard scheme == "https" || (scheme == "http" && isLoopback(host)) else {
            throw TokenVerificationError(reason: "\(what) must be https (http only to localhost): \(text.prefix(200))")
        }
        return url
    }

    /// A literal loopback address or `localhost`; a name such as `127.0.0.1.example.com` is not.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func fetch(_ url: String, what: String, client: HTTPClient, timeout: TimeAmount)
        async throws(TokenVerificationError) -> Data
    {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        let prepared = request
        let limit = maxDocumentBytes
        let answer: (status: HTTPResponseStatus, redirected: Bool, body: ByteBuffer)
        do {
            answer = try await withThrowingTaskGroup(of: (HTTPResponseStatus, Bool, ByteBuffer).self) { group in
                group.addTask {
                    let response = try await client.execute(prepared, timeout: timeout)
                    // A client that follows redirects records each hop; one entry means none was taken.
                    let redirected = response.history.count > 1
                    if redirected { return (response.status, true, ByteBuffer()) }
                    return (response.status, false, try await response.body.collect(upTo: limit))
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(max(timeout.nanoseconds, 0)))
                    throw DiscoveryTimedOut()
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw DiscoveryTimedOut() }
                return first
            }
        } catch {
            let timeouts: [HTTPClientError] = [.deadlineExceeded, .connectTimeout, .readTimeout]
            if error is DiscoveryTimedOut || (error as? HTTPClientError).map(timeouts.contains) == true {
                let ms = timeout.nanoseconds / 1_000_000
                let shown = ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
                throw TokenVerificationError(reason: "\(what) did not answer within \(shown)")
            }
            if error is NIOTooManyBytesError {
                throw TokenVerificationError(reason: "\(what) answered with more than \(limit) bytes")
            }
            throw TokenVerificationError(reason: "\(what) unreachable: \(String(describing: error).prefix(300))")
        }
        guard !answer.redirected, !(300..<400).contains(answer.status.code) else {
            throw TokenVerificationError(reason: "\(what) answered with a redirect; redirects are not followed")
        }
        guard answer.status.code == 200 else {
            throw TokenVerificationError(reason: "\(what) answered HTTP \(answer.status.code)")
        }
        return Data(answer.body.readableBytesView)
    }
}
