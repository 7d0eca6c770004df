import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import NIOCore
import Testing

/// OAuth steps driven through the in-process router, as a client and a user agent would.
struct OAuthClientInfo {
    var id: String
    var secret: String?
    var redirectUri: String

    /// HTTP Basic for confidential clients, `client_id` in the form for public ones.
    func authenticate(_ headers: inout HTTPFields, _ form: inout [String: String]) {
        if let secret {
            headers[.authorization] = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
        } else {
            form["client_id"] = id
        }
    }
}

struct PKCE {
    let verifier = Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
    var challenge: String { Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8)))) }
}

extension TestServer {
    static let callback = "http://localhost:33388/callback"

    func registerClient(
        _ client: some TestClientProtocol, isPublic: Bool = false,
        scopes: [String] = ["balance:read", "invoices:read", "payments:send"], redirectUris: [String] = [callback],
        pkce: String? = nil, extra: [String: Any] = [:]
    ) async throws -> OAuthClientInfo {
        var fields: [String: Any] = [
            "name": "Test app", "redirect_uris": redirectUris, "public": isPublic, "scopes": scopes,
        ]
        if let pkce { fields["pkce"] = pkce }
        fields.merge(extra) { $1 }
        let body = try JSONSerialization.data(withJSONObject: fields)
        let response = try await client.execute(
            uri: "/admin/clients", method: .post, headers: Self.headers(), body: ByteBuffer(bytes: body))
        #expect(response.status == .created, "\(String(buffer: response.body))")
        let json = response.json
        return OAuthClientInfo(
            id: try #require(json["client_id"] as? String), secret: json["client_secret"] as? String,
            redirectUri: redirectUris[0])
    }

    static func formBody(_ form: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = form.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)"
        }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static func query(_ items: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
    }

    /// GET /oauth/authorize as the signed-in user; the raw response (a 302 when all is well).
    func authorizeResponse(
        _ client: some TestClientProtocol, _ app: OAuthClientInfo, pkce: PKCE?, scope: String? = "balance:read",
        extra: [String: String] = [:], user: String = "alice"
    ) async throws -> TestResponse {
        var items = ["response_type": "code", "client_id": app.id, "redirect_uri": app.redirectUri, "state": "xyz"]
        if let scope { items["scope"] = scope }
        if let pkce {
            items["code_challenge"] = pkce.challenge
            items["code_challenge_method"] = "S256"
        }
        items.merge(extra) { $1 }
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(try await userToken(user))"
        return try await client.execute(uri: "/oauth/authorize?\(Self.query(items))", method: .get, headers: headers)
    }

    /// The query of the redirect's Location.
    static func redirectParameters(_ response: TestResponse) -> [String: String] {
        guard let location = response.headers[.location], let components = URLComponents(string: location) else {
            return [:]
        }
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { $1 }
    }

    func authorize(
        _ client: some TestClientProtocol, _ app: OAuthClientInfo, pkce: PKCE?, scope: String? = "balance:read",
        extra: [String: String] = [:]
    ) async throws -> String {
        let response = try await authorizeResponse(client, app, pkce: pkce, scope: scope, extra: extra)
        #expect(response.status == .found, "\(String(buffer: response.body))")
        let parameters = Self.redirectParameters(response)
        #expect(parameters["state"] == "xyz")
        return try #require(parameters["code"])
    }

    func tokenRequest(_ client: some TestClientProtocol, _ app: OAuthClientInfo, _ form: [String: String])
        async throws -> TestResponse
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        var form = form
        app.authenticate(&headers, &form)
        return try await client.execute(uri: "/oauth/token", method: .post, headers: headers, body: Self.formBody(form))
    }

    func redeem(_ client: some TestClientProtocol, _ app: OAuthClientInfo, code: String, pkce: PKCE?) async throws
        -> TestResponse
    {
        var form = ["grant_type": "authorization_code", "code": code, "redirect_uri": app.redirectUri]
        if let pkce { form["code_verifier"] = pkce.verifier }
        return try await tokenRequest(client, app, form)
    }

    /// Authorize and redeem in one go: the token answer's JSON.
    func grant(
        _ client: some TestClientProtocol, _ app: OAuthClientInfo, scope: String = "balance:read",
        extra: [String: String] = [:]
    )
        async throws -> [String: Any]
    {
        let pkce = PKCE()
        let code = try await authorize(client, app, pkce: pkce, scope: scope, extra: extra)
        let response = try await redeem(client, app, code: code, pkce: pkce)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return response.json
    }

    func introspect(_ client: some TestClientProtocol, _ app: OAuthClientInfo, token: String) async throws
        -> [String: Any]
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        var form = ["token": token]
        app.authenticate(&headers, &form)
        let response = try await client.execute(
            uri: "/oauth/introspect", method: .post, headers: headers, body: Self.formBody(form))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return response.json
    }
}
