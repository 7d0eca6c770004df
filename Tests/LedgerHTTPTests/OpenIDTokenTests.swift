import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import NIOCore
import Testing

/// The ID token and access token claims of OpenID Connect Core, checked on the tokens themselves
/// (authlib checks them as a relying party in IntegrationTests).
@Suite struct OpenIDTokenTests {
    static func part(_ jwt: String, _ index: Int) throws -> [String: Any] {
        let segment = jwt.split(separator: ".")[index]
        return try JSONSerialization.jsonObject(with: try #require(Base64URL.decode(segment))) as? [String: Any] ?? [:]
    }

    @Test func anIDTokenNamesTheLoginAndIsBoundToItsAccessTokenAndARefreshKeepsAuthTime() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let granted = try await server.grant(client, app, scope: "openid balance:read", extra: ["nonce": "n-0S6_WzA2Mj"])
            let idToken = try #require(granted["id_token"] as? String)
            let access = try #require(granted["access_token"] as? String)
            let header = try Self.part(idToken, 0)
            #expect(header["alg"] as? String == "RS256" && header["typ"] as? String == "JWT")
            let claims = try Self.part(idToken, 1)
            #expect(claims["iss"] as? String == TestServer.issuer)
            #expect(claims["sub"] as? String == "alice")
            #expect((claims["aud"] as? [String]) == [app.id] || claims["aud"] as? String == app.id)
            #expect(claims["azp"] as? String == app.id)
            #expect(claims["nonce"] as? String == "n-0S6_WzA2Mj")
            #expect(claims["at_hash"] as? String == IDTokenClaims.accessTokenHash(access))
            let authTime = try #require(claims["auth_time"] as? Int)

            let refreshed = try await server.tokenRequest(
                client, app, ["grant_type": "refresh_token", "refresh_token": try #require(granted["refresh_token"] as? String)])
            let again = try Self.part(try #require(refreshed.json["id_token"] as? String), 1)
            #expect(again["auth_time"] as? Int == authTime)
            #expect(again["nonce"] == nil)

            // Without openid: no ID token.
            let plain = try await server.grant(client, app)
            #expect(plain["id_token"] == nil)
        }
    }

    @Test func anIDTokenIsNeverAnAccessTokenAndUserinfoNeedsOpenid() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let granted = try await server.grant(client, app, scope: "openid balance:read")
            func userinfo(_ token: String) async throws -> TestResponse {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(token)"
                return try await client.execute(uri: "/oauth/userinfo", method: .get, headers: headers)
            }
            let info = try await userinfo(try #require(granted["access_token"] as? String))
            #expect(info.status == .ok && info.json["sub"] as? String == "alice")
            let withIDToken = try await userinfo(try #require(granted["id_token"] as? String))
            #expect(withIDToken.status == .unauthorized)
            #expect(withIDToken.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            let withoutOpenid = try await userinfo(try #require(try await server.grant(client, app)["access_token"] as? String))
            #expect(withoutOpenid.status == .forbidden)
            #expect(withoutOpenid.json["error"] as? String == "insufficient_scope")
        }
    }

    @Test(arguments: ["RS256", "ES256"])
    func aClientsChosenAlgorithmSignsItsAccessTokensAndTheLedgerVerifiesThem(alg: String) async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(
                client, extra: ["access_token_signing_alg": alg, "id_token_signed_response_alg": alg])
            let granted = try await server.grant(client, app, scope: "openid balance:read")
            let access = try #require(granted["access_token"] as? String)
            #expect(try Self.part(access, 0)["alg"] as? String == alg)
            #expect(try Self.part(try #require(granted["id_token"] as? String), 0)["alg"] as? String == alg)
            #expect(try await server.introspect(client, app, token: access)["active"] as? Bool == true)
        }
    }

    @Test func aClientsOwnTokenNamesNoUserSoOpenidIsRefusedAndUserinfoHasNothingToTell() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client, scopes: ["balance:read", "openid"])
            let asked = try await server.tokenRequest(
                client, app, ["grant_type": "client_credentials", "scope": "openid balance:read"])
            #expect(asked.json["error"] as? String == "invalid_scope")
            let implied = try await server.tokenRequest(client, app, ["grant_type": "client_credentials"])
            #expect(implied.json["scope"] as? String == "balance:read")
            #expect(implied.json["id_token"] == nil)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(try #require(implied.json["access_token"] as? String))"
            let info = try await client.execute(uri: "/oauth/userinfo", method: .get, headers: headers)
            #expect(info.status == .unauthorized || info.status == .forbidden)
        }
    }

    @Test func discoveryNamesTheOpenIDEndpointsAndAlgorithms() async throws {
        let server = try TestServer()
        try await server.run { client in
            let metadata = try await client.execute(uri: "/.well-known/openid-configuration", method: .get).json
            #expect(metadata["userinfo_endpoint"] as? String == TestServer.issuer + "/oauth/userinfo")
            #expect((metadata["id_token_signing_alg_values_supported"] as? [String])?.first == "RS256")
            #expect((metadata["scopes_supported"] as? [String])?.contains("openid") == true)
            #expect((metadata["claims_supported"] as? [String])?.contains("at_hash") == true)
            #expect(metadata["subject_types_supported"] as? [String] == ["public"])
        }
    }
}
