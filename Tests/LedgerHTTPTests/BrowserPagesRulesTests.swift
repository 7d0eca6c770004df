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
    /// The state the login redirect hands a browser: its cookie, and the value the callback needs.
    static func loginState(_ client: some TestClientProtocol) async throws -> (cookie: String, state: String) {
        let start = try await client.execute(uri: "/account", method: .get)
        #expect(start.status == .seeOther)
        let setCookie = try #require(start.headers[.setCookie])
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        #expect(cookie.hasPrefix("grantledger_login_state="))
        let location = try #require(start.headers[.location])
        let redirectUri = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "redirect_uri" }?.value)
        let state = try #require(URLComponents(string: redirectUri)?.queryItems?.first { $0.name == "state" }?.value)
        return (cookie, state)
    }

    /// The login system's answer: the browser comes back with the user's token and the state.
    static func callback(
        _ client: some TestClientProtocol, token: String, returnTo: String = "/account",
        login: (cookie: String, state: String)?
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let login { headers[.cookie] = login.cookie }
        var query = ["token": token, "return_to": returnTo]
        if let login { query["state"] = login.state }
        return try await client.execute(
            uri: "/oauth/login/callback?\(TestServer.query(query))", method: .get, headers: headers)
    }

    /// Logs `user` in through the callback, as the login system would send the browser back.
    static func session(_ server: TestServer, _ client: some TestClientProtocol, user: String = "alice") async throws
        -> (cookie: String, csrf: String)
    {
        let back = try await callback(client, token: try await server.userToken(user), login: try await loginState(client))
        #expect(back.status == .seeOther)
        let setCookie = try #require(back.headers[.setCookie])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        #expect(cookie.hasPrefix("grantledger_session="))
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

    @Test func aPostedAuthorizationRequestGoesOnAsTheSameGetAfterTheLogin() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            let posted = try await client.execute(
                uri: "/oauth/authorize", method: .post, headers: headers,
                body: TestServer.formBody([
                    "response_type": "code", "client_id": app.id, "redirect_uri": app.redirectUri, "state": "xyz",
                    "scope": "openid", "code_challenge": PKCE().challenge, "code_challenge_method": "S256",
                ]))
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            let redirectUri = try #require(URLComponents(string: location)?.queryItems?.first?.value)
            let returnTo = try #require(URLComponents(string: redirectUri)?.queryItems?.first?.value)
            let back = try #require(URLComponents(string: returnTo))
            #expect(back.path == "/oauth/authorize")
            #expect(back.queryItems?.first { $0.name == "client_id" }?.value == app.id)
            #expect(back.queryItems?.first { $0.name == "state" }?.value == "xyz")
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

    @Test func guessingCodesWithTheAnswerFormCountsAgainstTheSameCap() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (cookie, csrf) = try await Self.session(server, client)
            var headers = HTTPFields()
            headers[.cookie] = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            var statuses: [HTTPResponse.Status] = []
            for _ in 1...6 {
                let answer = try await client.execute(
                    uri: "/oauth/device", method: .post, headers: headers,
                    body: TestServer.formBody(["user_code": "BCDF-GHJK", "action": "approve", "csrf_token": csrf]))
                statuses.append(answer.status)
            }
            #expect(statuses == Array(repeating: .badRequest, count: 5) + [.tooManyRequests])
        }
    }

    @Test(arguments: [
        "//evil.example/x", "https://evil.example/", "/\\evil.example", "account", "/\t/evil.example", "/\n/evil.example",
        "/admin/connections",
    ])
    func theLoginCallbackNeverSendsTheBrowserOffThisServer(returnTo: String) async throws {
        let server = try TestServer()
        try await server.run { client in
            let back = try await Self.callback(
                client, token: try await server.userToken("alice"), returnTo: returnTo,
                login: try await Self.loginState(client))
            #expect(back.headers[.location] == "/account")
        }
    }

    @Test func aBadLoginTokenStartsNoSession() async throws {
        let server = try TestServer()
        try await server.run { client in
            let back = try await Self.callback(client, token: "not.a.jwt", login: try await Self.loginState(client))
            #expect(back.status == .unauthorized)
            #expect(back.headers[.setCookie] == nil)
        }
    }

    /// RFC 9700 §4.7: a callback this browser was not sent to (someone else's link) signs nobody in,
    /// and a login token signs in once.
    @Test func onlyTheBrowserSentToLogInComesBackSignedInAndATokenSignsInOnce() async throws {
        let server = try TestServer()
        try await server.run { client in
            let token = try await server.userToken("mallory")
            let forged = try await Self.callback(client, token: token, login: nil)
            #expect(forged.status == .forbidden)
            #expect(forged.headers[.setCookie] == nil)
            let first = try await Self.callback(client, token: token, login: try await Self.loginState(client))
            #expect(first.status == .seeOther)
            let replay = try await Self.callback(client, token: token, login: try await Self.loginState(client))
            #expect(replay.status == .forbidden)
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
