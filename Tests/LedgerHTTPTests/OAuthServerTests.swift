import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import JWTKit
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import NIOCore
import Testing
import LedgerTestSupport

@Suite struct OAuthServerTests {
    @Test func authorizationCodeWithPKCEGivesAnAccessTokenPerRFC9068() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            #expect(app.secret != nil)
            let pkce = PKCE()
            let response = try await server.authorizeResponse(client, app, pkce: pkce)
            #expect(response.status == .found)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix(TestServer.callback + "?"))
            let parameters = TestServer.redirectParameters(response)
            #expect(parameters["iss"] == TestServer.issuer)
            let code = try #require(parameters["code"])

            let tokenResponse = try await server.redeem(client, app, code: code, pkce: pkce)
            #expect(tokenResponse.status == .ok)
            #expect(tokenResponse.headers[.cacheControl] == "no-store")
            let json = tokenResponse.json
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["scope"] as? String == "balance:read")
            #expect((json["expires_in"] as? Int).map { (3590...3600).contains($0) } == true)
            let refresh = try #require(json["refresh_token"] as? String)
            let access = try #require(json["access_token"] as? String)

            let header =
                try JSONSerialization.jsonObject(
                    with: try #require(Base64URL.decode(access.split(separator: ".")[0]))) as? [String: Any]
            #expect(header?["typ"] as? String == "at+jwt")
            #expect(header?["alg"] as? String == "ES256")
            let claims =
                try JSONSerialization.jsonObject(
                    with: try #require(Base64URL.decode(access.split(separator: ".")[1]))) as? [String: Any] ?? [:]
            #expect(claims["iss"] as? String == TestServer.issuer)
            #expect(claims["sub"] as? String == "alice")
            #expect(
                claims["aud"] as? String == TestServer.issuer || (claims["aud"] as? [String]) == [TestServer.issuer])
            #expect(claims["client_id"] as? String == app.id)
            #expect(claims["scope"] as? String == "balance:read")
            for name in ["exp", "iat", "jti"] { #expect(claims[name] != nil, "\(name)") }

            // The ledger holds the grant and digests only: neither the code nor the refresh token.
            let events = try server.ledger.events(afterSeq: 0, limit: 100)
            #expect(
                events.map(\.type).suffix(5) == [
                    "AuthorizationCodeIssued", "GrantRedeemed", "ConnectionGranted", "TokenIssued",
                    "RefreshTokenIssued",
                ])
            let logText = events.map { String(decoding: $0.data + $0.meta, as: UTF8.self) }.joined()
            #expect(!logText.contains(code) && !logText.contains(refresh) && !logText.contains(pkce.verifier))
            #expect(!logText.contains(String(access.split(separator: ".")[2])))
        }
    }

    @Test func aCodeUsedTwiceIsRefusedAndRevokesWhatItIssued() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let pkce = PKCE()
            let code = try await server.authorize(client, app, pkce: pkce)
            let first = try await server.redeem(client, app, code: code, pkce: pkce).json
            let access = try #require(first["access_token"] as? String)
            #expect(try await server.introspect(client, app, token: access)["active"] as? Bool == true)

            let second = try await server.redeem(client, app, code: code, pkce: pkce)
            #expect(second.status == .badRequest)
            #expect(second.json["error"] as? String == "invalid_grant")
            let inactive = try await server.introspect(client, app, token: access)
            #expect(inactive.count == 1 && inactive["active"] as? Bool == false)
            let refreshed = try await server.tokenRequest(
                client, app,
                ["grant_type": "refresh_token", "refresh_token": try #require(first["refresh_token"] as? String)])
            #expect(refreshed.json["error"] as? String == "invalid_grant")
        }
    }

    @Test func reusingARotatedRefreshTokenRevokesTheWholeFamily() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let granted = try await server.grant(client, app)
            let r1 = try #require(granted["refresh_token"] as? String)
            let rotated = try await server.tokenRequest(
                client, app, ["grant_type": "refresh_token", "refresh_token": r1])
            #expect(rotated.status == .ok)
            let r2 = try #require(rotated.json["refresh_token"] as? String)
            let access2 = try #require(rotated.json["access_token"] as? String)
            #expect(r2 != r1)

            let reused = try await server.tokenRequest(
                client, app, ["grant_type": "refresh_token", "refresh_token": r1])
            #expect(reused.status == .badRequest && reused.json["error"] as? String == "invalid_grant")
            let afterReuse = try await server.tokenRequest(
                client, app, ["grant_type": "refresh_token", "refresh_token": r2])
            #expect(afterReuse.json["error"] as? String == "invalid_grant")
            #expect(try await server.introspect(client, app, token: access2)["active"] as? Bool == false)
            let types = try server.ledger.events(afterSeq: 0, limit: 100).map(\.type)
            #expect(types.contains("RefreshTokenReused") && types.last == "CommandRejected")
        }
    }

    @Test func errorsFollowTheRFCs() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            let app = try await server.registerClient(client)

            // Redirect URI not registered: answered here, never redirected (§4.1.2.1).
            var wrong = app
            wrong.redirectUri = "https://evil.example/callback"
            let mismatch = try await server.authorizeResponse(client, wrong, pkce: PKCE())
            #expect(mismatch.status == .badRequest && mismatch.headers[.location] == nil)
            #expect(mismatch.json["error"] as? String == "invalid_request")

            // Unknown scope: redirected with invalid_scope and the state.
            let unknown = try await server.authorizeResponse(
                client, app, pkce: PKCE(), scope: "balance:read wallet:drain")
            #expect(unknown.status == .found)
            #expect(TestServer.redirectParameters(unknown)["error"] == "invalid_scope")
            #expect(TestServer.redirectParameters(unknown)["state"] == "xyz")
            // A known scope the client was not registered for is invalid_scope too.
            let notAllowed = try await server.authorizeResponse(client, app, pkce: PKCE(), scope: "invoices:create")
            #expect(TestServer.redirectParameters(notAllowed)["error"] == "invalid_scope")

            // Wrong verifier.
            let pkce = PKCE()
            let code = try await server.authorize(client, app, pkce: pkce)
            let badVerifier = try await server.redeem(client, app, code: code, pkce: PKCE())
            #expect(badVerifier.status == .badRequest && badVerifier.json["error"] as? String == "invalid_grant")

            // Redirect URI at the token endpoint must repeat the authorization request's.
            var otherRedirect = app
            otherRedirect.redirectUri = "http://localhost:33388/other"
            let redirectMismatch = try await server.redeem(client, otherRedirect, code: code, pkce: pkce)
            #expect(redirectMismatch.json["error"] as? String == "invalid_grant")

            // Wrong client secret: 401 invalid_client with a Basic challenge.
            var badSecret = app
            badSecret.secret = "not-the-secret"
            let unauthenticated = try await server.redeem(client, badSecret, code: code, pkce: pkce)
            #expect(unauthenticated.status == .unauthorized)
            #expect(unauthenticated.json["error"] as? String == "invalid_client")
            #expect(unauthenticated.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)

            // Expired code (60 s by default).
            clock.advance(seconds: 61)
            let expired = try await server.redeem(client, app, code: code, pkce: pkce)
            #expect(expired.status == .badRequest && expired.json["error"] as? String == "invalid_grant")

            // Unsupported grant type and missing parameters.
            let unsupported = try await server.tokenRequest(client, app, ["grant_type": "password"])
            #expect(unsupported.json["error"] as? String == "unsupported_grant_type")
            let missing = try await server.tokenRequest(client, app, ["grant_type": "authorization_code"])
            #expect(missing.json["error"] as? String == "invalid_request")
            // A parameter given twice (§3.2).
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            headers[.authorization] = "Basic " + Data("\(app.id):\(app.secret!)".utf8).base64EncodedString()
            let twice = try await client.execute(
                uri: "/oauth/token", method: .post, headers: headers,
                body: ByteBuffer(string: "grant_type=client_credentials&grant_type=client_credentials"))
            #expect(twice.json["error"] as? String == "invalid_request")
        }
    }

    @Test func publicClientsMustUsePKCEAndHaveNoSecret() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client, isPublic: true)
            #expect(app.secret == nil)
            let withoutPKCE = try await server.authorizeResponse(client, app, pkce: nil)
            #expect(TestServer.redirectParameters(withoutPKCE)["error"] == "invalid_request")
            let granted = try await server.grant(client, app)
            #expect(granted["access_token"] is String && granted["refresh_token"] is String)
            let credentials = try await server.tokenRequest(client, app, ["grant_type": "client_credentials"])
            #expect(credentials.json["error"] as? String == "unauthorized_client")
        }
    }

    @Test func clientCredentialsGiveATokenWithoutRefreshOnTheClientsOwnGrant() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let response = try await server.tokenRequest(
                client, app, ["grant_type": "client_credentials", "scope": "balance:read"])
            #expect(response.status == .ok)
            #expect(response.json["refresh_token"] == nil)
            let access = try #require(response.json["access_token"] as? String)
            let introspection = try await server.introspect(client, app, token: access)
            #expect(introspection["active"] as? Bool == true)
            #expect(introspection["sub"] as? String == app.id)
            let second = try await server.tokenRequest(client, app, ["grant_type": "client_credentials"])
            #expect(second.status == .ok)
            let connection = try await server.ledger.connection(id: ClientCredentials.connectionId(clientId: app.id))
            #expect(connection?.clientId == app.id && connection?.status == .active)
            let tooMuch = try await server.tokenRequest(
                client, app, ["grant_type": "client_credentials", "scope": "invoices:create"])
            #expect(tooMuch.json["error"] as? String == "invalid_scope")
        }
    }

    @Test func deviceGrantPollsThenIssuesOnceTheUserApproves() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            let app = try await server.registerClient(client, isPublic: true)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            let started = try await client.execute(
                uri: "/oauth/device_authorization", method: .post, headers: headers,
                body: TestServer.formBody(["client_id": app.id, "scope": "balance:read"]))
            #expect(started.status == .ok)
            let deviceCode = try #require(started.json["device_code"] as? String)
            let userCode = try #require(started.json["user_code"] as? String)
            #expect(started.json["verification_uri"] as? String == TestServer.issuer + "/oauth/device")
            #expect(started.json["interval"] as? Int == 5)
            let poll = ["grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": deviceCode]

            #expect(
                try await server.tokenRequest(client, app, poll).json["error"] as? String == "authorization_pending")
            #expect(try await server.tokenRequest(client, app, poll).json["error"] as? String == "slow_down")

            var userHeaders = headers
            userHeaders[.authorization] = "Bearer \(try await server.userToken("bob"))"
            let info = try await client.execute(
                uri: "/oauth/device?user_code=\(userCode)", method: .get, headers: userHeaders)
            #expect(info.json["client_id"] as? String == app.id)
            // Entry is forgiving: lower case, no dash.
            let entered = userCode.lowercased().replacingOccurrences(of: "-", with: "")
            let approved = try await client.execute(
                uri: "/oauth/device", method: .post, headers: userHeaders,
                body: TestServer.formBody(["user_code": entered, "budget": "5000/daily"]))
            #expect(approved.status == .ok, "\(String(buffer: approved.body))")

            clock.advance(seconds: 6)
            let tokens = try await server.tokenRequest(client, app, poll)
            #expect(tokens.status == .ok, "\(String(buffer: tokens.body))")
            let access = try #require(tokens.json["access_token"] as? String)
            let introspection = try await server.introspect(client, app, token: access)
            #expect(introspection["sub"] as? String == "bob")
            let origin = try #require(try server.ledger.pendingGrant(codeSha256: sha256Hex(deviceCode)))
            let connection = try #require(try await server.ledger.connection(id: origin.connectionId))
            #expect(connection.budget?.limitMsat == 5_000_000)

            clock.advance(seconds: 6)
            let again = try await server.tokenRequest(client, app, poll)
            #expect(again.json["error"] as? String == "invalid_grant")
            #expect(try await server.introspect(client, app, token: access)["active"] as? Bool == false)
        }
    }

    @Test func aDeniedDeviceAuthorizationAnswersAccessDenied() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            let app = try await server.registerClient(client)
            let started = try await server.deviceStart(client, app)
            var userHeaders = HTTPFields()
            userHeaders[.contentType] = "application/x-www-form-urlencoded"
            userHeaders[.authorization] = "Bearer \(try await server.userToken("bob"))"
            let denied = try await client.execute(
                uri: "/oauth/device", method: .post, headers: userHeaders,
                body: TestServer.formBody(["user_code": started.userCode, "action": "deny"]))
            #expect(denied.status == .ok)
            let poll = [
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": started.deviceCode,
            ]
            #expect(try await server.tokenRequest(client, app, poll).json["error"] as? String == "access_denied")
            clock.advance(seconds: 601)
            #expect(try await server.tokenRequest(client, app, poll).json["error"] as? String == "expired_token")
        }
    }

    @Test func introspectionShowsOnlyTheCallersOwnActiveTokens() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let other = try await server.registerClient(client)
            let granted = try await server.grant(client, app)
            let access = try #require(granted["access_token"] as? String)
            let refresh = try #require(granted["refresh_token"] as? String)
            let mine = try await server.introspect(client, app, token: access)
            #expect(mine["client_id"] as? String == app.id && mine["scope"] as? String == "balance:read")
            #expect(
                try await server.introspect(client, app, token: refresh)["token_type"] as? String == "refresh_token")
            let theirs = try await server.introspect(client, other, token: access)
            #expect(theirs.count == 1 && theirs["active"] as? Bool == false)
            #expect(try await server.introspect(client, app, token: "garbage").count == 1)

            // Revoking the access token alone leaves the refresh token working.
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            var form = ["token": access]
            app.authenticate(&headers, &form)
            let revoked = try await client.execute(
                uri: "/oauth/revoke", method: .post, headers: headers, body: TestServer.formBody(form))
            #expect(revoked.status == .ok)
            #expect(try await server.introspect(client, app, token: access)["active"] as? Bool == false)
            #expect(try await server.introspect(client, app, token: refresh)["active"] as? Bool == true)
            // Another client cannot revoke it.
            var otherHeaders = HTTPFields()
            otherHeaders[.contentType] = "application/x-www-form-urlencoded"
            var otherForm = ["token": refresh]
            other.authenticate(&otherHeaders, &otherForm)
            let refused = try await client.execute(
                uri: "/oauth/revoke", method: .post, headers: otherHeaders, body: TestServer.formBody(otherForm))
            #expect(refused.json["error"] as? String == "unauthorized_client")
            #expect(try await server.introspect(client, app, token: refresh)["active"] as? Bool == true)
        }
    }

    @Test func albyIntrospectionDescribesTheBearersToken() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let granted = try await server.grant(client, app, scope: "balance:read payments:send")
            let access = try #require(granted["access_token"] as? String)
            let response = try await client.execute(
                uri: "/oauth/token/introspect", method: .get, headers: TestServer.headers(token: access))
            #expect(response.status == .ok)
            #expect(response.json["client_id"] as? String == app.id)
            #expect(response.json["redirect_uri"] as? String == TestServer.callback)
            let scopes = response.json["scopes"] as? [String: String]
            #expect(scopes?["balance:read"] == "Read your account summary" && scopes?.count == 2)
            let bad = try await client.execute(
                uri: "/oauth/token/introspect", method: .get, headers: TestServer.headers(token: "x.y.z"))
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
            let scopesList = try await client.execute(uri: "/oauth/scopes", method: .get)
            #expect(scopesList.json["payments:send"] as? String == "Send payments")
        }
    }

    @Test func metadataNamesEveryEndpointUnderTheIssuer() async throws {
        let server = try TestServer()
        try await server.run { client in
            for path in ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] {
                let json = try await client.execute(uri: path, method: .get).json
                #expect(json["issuer"] as? String == TestServer.issuer)
                for (field, suffix) in [
                    ("authorization_endpoint", "/oauth/authorize"), ("token_endpoint", "/oauth/token"),
                    ("jwks_uri", "/.well-known/jwks.json"), ("introspection_endpoint", "/oauth/introspect"),
                    ("revocation_endpoint", "/oauth/revoke"),
                    ("device_authorization_endpoint", "/oauth/device_authorization"),
                ] {
                    #expect(json[field] as? String == TestServer.issuer + suffix, "\(field)")
                }
                #expect(json["code_challenge_methods_supported"] as? [String] == ["S256", "plain"])
                #expect((json["grant_types_supported"] as? [String])?.count == 4)
                #expect((json["scopes_supported"] as? [String])?.contains("payments:send") == true)
                #expect(
                    json["token_endpoint_auth_methods_supported"] as? [String] == [
                        "client_secret_basic", "client_secret_post", "none",
                    ])
            }
        }
    }

    @Test func deletingAClientStopsItsTokensAndAdminCRUDWorks() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let shown = try await client.execute(
                uri: "/admin/clients/\(app.id)", method: .get, headers: TestServer.headers())
            #expect(shown.json["client_secret"] == nil && shown.json["name"] as? String == "Test app")
            let unauthenticated = try await client.execute(
                uri: "/admin/clients", method: .get, headers: TestServer.headers(token: nil))
            #expect(unauthenticated.status == .unauthorized)
            let updated = try await client.execute(
                uri: "/admin/clients/\(app.id)", method: .put, headers: TestServer.headers(),
                body: ByteBuffer(string: #"{"name":"Renamed","imageUrl":"https://example.com/logo.png"}"#))
            #expect(updated.status == .ok && updated.json["name"] as? String == "Renamed")
            #expect(updated.json["image_url"] as? String == "https://example.com/logo.png")
            let badUri = try await client.execute(
                uri: "/admin/clients", method: .post, headers: TestServer.headers(),
                body: ByteBuffer(
                    string:
                        #"{"name":"x","redirect_uris":["http://evil.example/cb"],"public":true,"scopes":["balance:read"]}"#
                ))
            #expect(badUri.status == .badRequest)
            let badScope = try await client.execute(
                uri: "/admin/clients", method: .post, headers: TestServer.headers(),
                body: ByteBuffer(
                    string: #"{"name":"x","redirect_uris":["https://a.example/cb"],"public":true,"scopes":["root"]}"#))
            #expect(badScope.status == .badRequest)

            let granted = try await server.grant(client, app)
            let access = try #require(granted["access_token"] as? String)
            let list = try await client.execute(uri: "/admin/clients", method: .get, headers: TestServer.headers())
            #expect(String(buffer: list.body).contains(app.id))
            let deleted = try await client.execute(
                uri: "/admin/clients/\(app.id)", method: .delete, headers: TestServer.headers())
            #expect(deleted.status == .noContent)
            let alby = try await client.execute(
                uri: "/oauth/token/introspect", method: .get, headers: TestServer.headers(token: access))
            #expect(alby.status == .unauthorized)
            let gone = try await client.execute(
                uri: "/admin/clients/\(app.id)", method: .get, headers: TestServer.headers())
            #expect(gone.status == .notFound)
        }
    }

    @Test func replayAfterAnOAuthWorkloadEqualsTheLiveProjections() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            let confidential = try await server.registerClient(client)
            let publicApp = try await server.registerClient(client, isPublic: true)
            for index in 0..<4 {
                let app = index.isMultiple(of: 2) ? confidential : publicApp
                let granted = try await server.grant(client, app, extra: ["budget": "10000/daily"])
                let refresh = try #require(granted["refresh_token"] as? String)
                let rotated = try await server.tokenRequest(
                    client, app, ["grant_type": "refresh_token", "refresh_token": refresh])
                if index == 1 {
                    _ = try await server.tokenRequest(
                        client, app, ["grant_type": "refresh_token", "refresh_token": refresh])
                }
                if index == 2, let newRefresh = rotated.json["refresh_token"] as? String {
                    var headers = HTTPFields()
                    headers[.contentType] = "application/x-www-form-urlencoded"
                    var form = ["token": newRefresh]
                    app.authenticate(&headers, &form)
                    _ = try await client.execute(
                        uri: "/oauth/revoke", method: .post, headers: headers, body: TestServer.formBody(form))
                }
            }
            _ = try await server.tokenRequest(client, confidential, ["grant_type": "client_credentials"])
            let started = try await server.deviceStart(client, publicApp)
            var userHeaders = HTTPFields()
            userHeaders[.contentType] = "application/x-www-form-urlencoded"
            userHeaders[.authorization] = "Bearer \(try await server.userToken("carol"))"
            _ = try await client.execute(
                uri: "/oauth/device", method: .post, headers: userHeaders,
                body: TestServer.formBody(["user_code": started.userCode]))
            clock.advance(seconds: 6)
            _ = try await server.tokenRequest(
                client, publicApp,
                ["grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": started.deviceCode])
            _ = try await client.execute(
                uri: "/admin/clients/\(publicApp.id)", method: .delete, headers: TestServer.headers())
        }
        let report = try server.ledger.verify()
        #expect(report.isIntact, "\(report.projectionMismatches)")
        #expect(report.eventCount > 30)
        for table in ["oauth_clients", "oauth_codes", "refresh_tokens", "tokens", "connections"] {
            #expect(
                report.checksums[table] != nil, "\(table)")
        }
    }
}

func sha256Hex(_ text: String) -> String {
    Hex.encode(SHA256.hash(data: Data(text.utf8)))
}

extension TestServer {
    func deviceStart(_ client: some TestClientProtocol, _ app: OAuthClientInfo) async throws -> (
        deviceCode: String, userCode: String
    ) {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        var form = ["scope": "balance:read"]
        app.authenticate(&headers, &form)
        let started = try await client.execute(
            uri: "/oauth/device_authorization", method: .post, headers: headers, body: TestServer.formBody(form))
        #expect(started.status == .ok, "\(String(buffer: started.body))")
        return (
            try #require(started.json["device_code"] as? String), try #require(started.json["user_code"] as? String)
        )
    }
}
