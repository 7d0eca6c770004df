import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerAuth
import LedgerStore
import NIOCore
import Testing

/// The rules of the pages a browser meets, driven in-process: login round trip, prompt, CSRF,
/// the user-code cap, the policy headers. Selenium walks the same pages in IntegrationTests.
@Suite struct BrowserPagesRulesTests {
    /// Logs `user` in through the callback, as the login system would send the browser back.
    static func session(_ server: TestServer, _ client: some TestClientProtocol, user: String = "alice") async throws
        -> (cookie: String, csrf: String)
    {
        let token = try await server.userToken(user)
        let back = try await client.execute(
            uri: "/oauth/login/callback?\(TestServer.query(["token": token, "return_to": "/account"]))", method: .get)
        #expect(back.status == .seeOther)
        let setCookie = try #require(back.headers[.setCookie])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        var headers = HTTPFields()
        headers[.cookie] = cookie
        let account = try await client.execute(uri: "/account", method: .get, headers: headers)
        let html = String(buffer: account.body)
        let marker = try #require(html.range(of: #"name="csrf_token" value=""#))
        let csrf = String(html[marker.upperBound...].prefix { $0 != "\"" })
        return (cookie, csrf)
    }

    static func browserAuthorize(_ app: OAuthClientInfo, extra: [String: String] = [:]) -> String {
        var items = [
            "response_type": "code", "client_id": app.id, "redirect_uri": app.redirectUri, "state": "xyz",
            "scope": "openid balance:read", "code_challenge": PKCE().challenge, "code_challenge_method": "S256",
        ]
        items.merge(extra) { $1 }
        return "/oauth/authorize?\(TestServer.query(items))"
    }

    @Test func withoutASessionTheBrowserIsSentToLoginAndComesBackToTheSameRequest() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let uri = Self.browserAuthorize(app)
            let page = try await client.execute(uri: uri, method: .get)
            #expect(page.status == .seeOther)
            let location = try #require(page.headers[.location])
            #expect(location.hasPrefix(TestServer.issuer + "/dev/login?redirect_uri="))
            let redirectUri = try #require(URLComponents(string: location)?.queryItems?.first?.value)
            let returnTo = try #require(URLComponents(string: redirectUri)?.queryItems?.first?.value)
            #expect(redirectUri.hasPrefix(TestServer.issuer + "/oauth/login/callback?"))
            #expect(returnTo == uri)
        }
    }

    @Test func promptNoneNeverShowsAPage() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let anonymous = try await client.execute(
                uri: Self.browserAuthorize(app, extra: ["prompt": "none"]), method: .get)
            #expect(TestServer.redirectParameters(anonymous)["error"] == "login_required")
            #expect(TestServer.redirectParameters(anonymous)["iss"] == TestServer.issuer)
            let (cookie, _) = try await Self.session(server, client)
            var headers = HTTPFields()
            headers[.cookie] = cookie
            let signedIn = try await client.execute(
                uri: Self.browserAuthorize(app, extra: ["prompt": "none"]), method: .get, headers: headers)
            #expect(TestServer.redirectParameters(signedIn)["error"] == "consent_required")
        }
    }

    @Test func promptLoginLogsInAgainAndComesBackWithoutAskingAgain() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let (cookie, _) = try await Self.session(server, client)
            var headers = HTTPFields()
            headers[.cookie] = cookie
            let again = try await client.execute(
                uri: Self.browserAuthorize(app, extra: ["prompt": "login"]), method: .get, headers: headers)
            #expect(again.status == .seeOther)
            let location = try #require(again.headers[.location])
            let redirectUri = try #require(URLComponents(string: location)?.queryItems?.first?.value)
            let returnTo = try #require(URLComponents(string: redirectUri)?.queryItems?.first?.value)
            #expect(returnTo.hasPrefix("/oauth/authorize?") && !returnTo.contains("prompt"))
            let consent = try await client.execute(uri: returnTo, method: .get, headers: headers)
            #expect(consent.status == .ok)
            #expect(String(buffer: consent.body).contains(#"id="approve""#))
        }
    }

    @Test func aConsentAnswerWithoutTheSessionsCSRFTokenIssuesNoCode() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            let (cookie, csrf) = try await Self.session(server, client)
            var headers = HTTPFields()
            headers[.cookie] = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            var form = [
                "response_type": "code", "client_id": app.id, "redirect_uri": app.redirectUri, "state": "xyz",
                "scope": "balance:read", "code_challenge": PKCE().challenge, "code_challenge_method": "S256",
                "action": "approve", "csrf_token": "not-the-token",
            ]
            let forged = try await client.execute(
                uri: "/oauth/authorize", method: .post, headers: headers, body: TestServer.formBody(form))
            #expect(forged.status == .forbidden)
            #expect(try server.ledger.events(afterSeq: 0, limit: 100).map(\.type).contains("AuthorizationCodeIssued") == false)

            form["csrf_token"] = csrf
            let approved = try await client.execute(
                uri: "/oauth/authorize", method: .post, headers: headers, body: TestServer.formBody(form))
            #expect(approved.status == .found)
            #expect(TestServer.redirectParameters(approved)["code"] != nil)
            form["action"] = "deny"
            let denied = try await client.execute(
                uri: "/oauth/authorize", method: .post, headers: headers, body: TestServer.formBody(form))
            #expect(TestServer.redirectParameters(denied)["error"] == "access_denied")
            #expect(TestServer.redirectParameters(denied)["iss"] == TestServer.issuer)
        }
    }

    @Test func wrongUserCodesAreCappedAtFiveAMinutePerSession() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (cookie, _) = try await Self.session(server, client)
            var headers = HTTPFields()
            headers[.cookie] = cookie
            for attempt in 1...5 {
                let wrong = try await client.execute(uri: "/oauth/device?user_code=BCDF-GHJK", method: .get, headers: headers)
                #expect(wrong.status == .badRequest, "attempt \(attempt)")
                #expect(String(buffer: wrong.body).contains("not valid"))
            }
            let capped = try await client.execute(uri: "/oauth/device?user_code=BCDF-GHJK", method: .get, headers: headers)
            #expect(capped.status == .tooManyRequests)
            #expect(capped.headers[.retryAfter] != nil)
        }
    }

    @Test(arguments: ["//evil.example/x", "https://evil.example/", "/\\evil.example", "account"])
    func theLoginCallbackNeverSendsTheBrowserOffThisServer(returnTo: String) async throws {
        let server = try TestServer()
        try await server.run { client in
            let token = try await server.userToken("alice")
            let back = try await client.execute(
                uri: "/oauth/login/callback?\(TestServer.query(["token": token, "return_to": returnTo]))", method: .get)
            #expect(back.headers[.location] == "/account")
        }
    }

    @Test func aBadLoginTokenStartsNoSession() async throws {
        let server = try TestServer()
        try await server.run { client in
            let back = try await client.execute(uri: "/oauth/login/callback?token=not.a.jwt", method: .get)
            #expect(back.status == .unauthorized)
            #expect(back.headers[.setCookie] == nil)
        }
    }

    @Test func theConsentPagesPolicyNamesOnlyTheRedirectOriginAndAnHttpsLogo() async throws {
        let server = try TestServer()
        try await server.run { client in
            let https = try await server.registerClient(
                client, extra: ["image_url": "https://cdn.example.com/logo.png", "url": "https://app.example.com"])
            let http = try await server.registerClient(client, extra: ["image_url": "http://cdn.example.com/logo.png"])
            let (cookie, _) = try await Self.session(server, client)
            var headers = HTTPFields()
            headers[.cookie] = cookie
            let page = try await client.execute(uri: Self.browserAuthorize(https), method: .get, headers: headers)
            #expect(page.status == .ok)
            let policy = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("form-action 'self' http://localhost:33388"))
            #expect(policy.contains("img-src https://cdn.example.com"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(page.headers[.cacheControl] == "no-store")
            let html = String(buffer: page.body)
            #expect(html.contains(#"<img src="https://cdn.example.com/logo.png""#))
            #expect(html.contains("<code>balance:read</code> Read your account summary"))
            #expect(!html.contains("<script"))

            let plain = try await client.execute(uri: Self.browserAuthorize(http), method: .get, headers: headers)
            #expect(plain.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("img-src") == false)
            #expect(!String(buffer: plain.body).contains("<img"))
        }
    }

    @Test func theBearerAPIKeepsItsJSONAnswersOnTheDevicePath() async throws {
        let server = try TestServer()
        try await server.run { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(try await server.userToken("alice"))"
            let answer = try await client.execute(uri: "/oauth/device?user_code=BCDF-GHJK", method: .get, headers: headers)
            #expect(answer.status == .notFound)
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }
}
