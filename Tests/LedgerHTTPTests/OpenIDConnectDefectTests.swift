import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import NIOCore
import Testing

/// Issue 11's defects, as a real wallet's OpenID client and a NUT-21 mint met them.
@Suite struct OpenIDConnectDefectTests {
    static func claims(_ jwt: String) throws -> [String: Any] {
        let part = try #require(jwt.split(separator: ".").dropFirst().first)
        return try JSONSerialization.jsonObject(with: try #require(Base64URL.decode(part))) as? [String: Any] ?? [:]
    }

    static func form() -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        return headers
    }

    @Test func theWalletsOpenidScopeIsAcceptedByTheDeviceAndCodeFlows() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client, isPublic: true, scopes: ["balance:read"])
            let started = try await client.execute(
                uri: "/oauth/device_authorization", method: .post, headers: Self.form(),
                body: TestServer.formBody(["client_id": app.id, "scope": "openid"]))
            #expect(started.status == .ok, "\(String(buffer: started.body))")
            #expect(started.json["device_code"] is String)

            let redirect = try await server.authorizeResponse(client, app, pkce: PKCE(), scope: "openid")
            let parameters = TestServer.redirectParameters(redirect)
            #expect(parameters["error"] == nil, "\(parameters)")
            #expect(parameters["code"] != nil)
        }
    }

    @Test func everyAccessTokenNamesTheClientItWasIssuedToAsAzp() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let granted = try await server.grant(client, app)
            let userToken = try #require(granted["access_token"] as? String)
            #expect(try Self.claims(userToken)["azp"] as? String == app.id)

            let credentials = try await server.tokenRequest(client, app, ["grant_type": "client_credentials"])
            let clientToken = try #require(credentials.json["access_token"] as? String)
            #expect(try Self.claims(clientToken)["azp"] as? String == app.id)
        }
    }

    @Test func errorRedirectsCarryTheIssuerPerRFC9207() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let refused = try await server.authorizeResponse(
                client, app, pkce: PKCE(), extra: ["response_type": "token"])
            let parameters = TestServer.redirectParameters(refused)
            #expect(parameters["error"] == "unsupported_response_type")
            #expect(parameters["iss"] == TestServer.issuer)
            #expect(parameters["state"] == "xyz")
        }
    }

    @Test func aBrowserOpeningTheVerificationURIGetsAPageNotA401() async throws {
        let server = try TestServer()
        try await server.run { client in
            var headers = HTTPFields()
            headers[.accept] = "text/html,application/xhtml+xml"
            let page = try await client.execute(uri: "/oauth/device", method: .get, headers: headers)
            #expect(page.status != .unauthorized, "\(String(buffer: page.body))")
            let isPage = page.headers[.contentType]?.hasPrefix("text/html") == true
            let isLoginRedirect = page.status == .seeOther && page.headers[.location] != nil
            #expect(isPage || isLoginRedirect, "\(page.status) \(page.headers)")
        }
    }

    @Test func aPublicClientRegisteredWithPKCEOptionalLogsInWithoutPKCE() async throws {
        let server = try TestServer()
        try await server.run { client in
            let optional = try await server.registerClient(client, isPublic: true, pkce: "optional")
            let code = try await server.authorize(client, optional, pkce: nil)
            let tokens = try await server.redeem(client, optional, code: code, pkce: nil)
            #expect(tokens.status == .ok, "\(String(buffer: tokens.body))")

            let required = try await server.registerClient(client, isPublic: true)
            let refused = TestServer.redirectParameters(try await server.authorizeResponse(client, required, pkce: nil))
            #expect(refused["error"] == "invalid_request")
            #expect(refused["error_description"]?.contains("code_challenge") == true)
        }
    }
}
