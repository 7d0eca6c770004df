import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerAuth

/// The login round trip and logout (`/oauth/login/callback`, `/oauth/logout`), and
/// `--dev-login`'s stand-in login form (`/dev/login`). Pages only: every answer is HTML or a
/// redirect, never JSON.
struct LoginController: Sendable {
    let grants: OAuthGrants
    let browser: BrowserLogin
    let pages: Pages
    let standIn: (any StandInLogin)?
    let bodyBytesMax: Int
    static let loginCSRFCookie = "grantledger_login_csrf"

    func addRoutes(oauth: RouterGroup<LedgerRequestContext>, root: RouterGroup<LedgerRequestContext>) {
        oauth.get("login/callback", use: callback)
        oauth.post("logout", use: logout)
        if standIn != nil {
            root.get("dev/login", use: standInForm)
            root.post("dev/login", use: standInSignIn)
        }
    }

    /// The login system sent the browser back with the user's JWT: verify it, start a session,
    /// and go where the browser was going.
    @Sendable func callback(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        // Only the browser this server sent to log in may come back signed in (no login CSRF).
        guard let state = query["state"].map(String.init), let expected = request.cookies[BrowserLogin.loginStateCookie]?.value,
            OAuthSecrets.digestsMatch(state, expected)
        else {
            return pages.message(
                "Sign-in failed", "This sign-in was not started from this browser. Start again from the app.",
                status: .forbidden, kind: "error")
        }
        let token = query["token"].map(String.init)
        let user: UserIdentity
        do {
            user = try await grants.user(token: token)
        } catch {
            return pages.message("Sign-in failed", error.description, status: .unauthorized, kind: "error")
        }
        guard let token, browser.sessions.firstUse(ofLoginToken: token, expiresAt: user.expiresAt) else {
            return pages.message(
                "Sign-in failed", "This sign-in link was already used. Start again from the app.", status: .forbidden,
                kind: "error")
        }
        let session = browser.sessions.start(user)
        var response = Response(
            status: .seeOther,
            headers: [
                .location: BrowserLogin.safeReturnPath(query["return_to"].map(String.init)), .cacheControl: "no-store",
            ])
        response.setCookie(browser.sessionCookie(session))
        response.setCookie(browser.clearedLoginState())
        return response
    }

    @Sendable func logout(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try? await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        if let session = browser.session(request) {
            guard BrowserSessions.csrfMatches(session, form?["csrf_token"]) else {
                return pages.message("Not signed out", "The form has expired; reload the page and try again.",
                    status: .forbidden, kind: "error")
            }
            browser.sessions.end(session.id)
        }
        var response = pages.message(
            "Signed out", "You are signed out of GrantLedger.", link: ("/account", "Sign in again"))
        response.setCookie(browser.clearedCookie())
        return response
    }

    /// The stand-in form. Its CSRF token rides in a cookie too (there is no session yet).
    @Sendable func standInForm(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        // Opened directly: start the round trip properly, with its state cookie.
        guard let redirectUri = request.uri.queryParameters["redirect_uri"].map(String.init) else {
            return browser.loginRedirect(returnTo: "/account", pages: pages)
        }
        guard isOwnCallback(redirectUri) else {
            return pages.message("Cannot sign in", "redirect_uri must be this server's login callback.",
                status: .badRequest, kind: "error")
        }
        let csrf = OAuthSecrets.make()
        var response = pages.render("login", ["redirectUri": redirectUri, "csrfToken": csrf])
        response.setCookie(
            Cookie(
                name: Self.loginCSRFCookie, value: csrf, maxAge: 900, path: "/dev/login",
                secure: browser.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Signs the typed user in with a short-lived token, as an operator's login system would.
    @Sendable func standInSignIn(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let standIn else { throw HTTPError(.notFound) }
        guard let form = try? await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false) else {
            return pages.message("Cannot sign in", "The form could not be read.", status: .badRequest, kind: "error")
        }
        guard let csrf = request.cookies[Self.loginCSRFCookie]?.value, let presented = form["csrf_token"],
            OAuthSecrets.digestsMatch(csrf, presented)
        else {
            return pages.message("Cannot sign in", "The form has expired; go back and try again.",
                status: .forbidden, kind: "error")
        }
        guard let redirectUri = form["redirect_uri"], isOwnCallback(redirectUri) else {
            return pages.message("Cannot sign in", "redirect_uri must be this server's login callback.",
                status: .badRequest, kind: "error")
        }
        guard let username = form["username"]?.trimmingCharacters(in: .whitespaces), (1...64).contains(username.utf8.count),
            username.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@$".contains($0) })
        else {
            return pages.message("Cannot sign in", "A user name is 1 to 64 letters, digits or - _ . @ $.",
                status: .badRequest, kind: "error")
        }
        let token = try await standIn.userToken(subject: username)
        var components = URLComponents(string: redirectUri) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "token", value: token)]
        components.percentEncodedQuery = BrowserLogin.encoded(components)
        return Response(
            status: .seeOther, headers: [.location: components.string ?? redirectUri, .cacheControl: "no-store"])
    }

    /// The stand-in only ever hands a token to this server's own callback.
    private func isOwnCallback(_ uri: String) -> Bool {
        uri.hasPrefix("\(browser.issuer)/oauth/login/callback") && uri.utf8.count <= 4096
    }
}
