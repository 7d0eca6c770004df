import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerAuth

/// How a browser logs in (seed 000): a page that needs a user and has no session sends the
/// browser to the operator's login URL with `redirect_uri` back to `/oauth/login/callback`,
/// which receives the user's short-lived JWT as `token`, verifies it and starts a session.
struct BrowserLogin: Sendable {
    static let cookieName = "grantledger_session"
    let sessions: BrowserSessions
    let issuer: String
    /// The operator's login system; without one, `--dev-login`'s stand-in form when it is on.
    let loginURL: String?

    init(sessions: BrowserSessions, issuer: String, loginURL: String?, standIn: Bool) {
        self.sessions = sessions
        self.issuer = issuer
        self.loginURL = loginURL ?? (standIn ? "\(issuer)/dev/login" : nil)
    }

    /// Cookies are `Secure` when the issuer is https (a plain-http issuer is a local trial).
    var secureCookies: Bool { issuer.lowercased().hasPrefix("https:") }

    /// Requests from the operator's own front end carry the user's JWT as a Bearer header or a
    /// `token` parameter and keep their JSON answers; anything else is a person's browser.
    static func isBrowser(_ request: Request, token: String?) -> Bool {
        request.headers[.authorization] == nil && token == nil
    }

    func session(_ request: Request) -> BrowserSession? {
        sessions.session(request.cookies[Self.cookieName]?.value)
    }

    static let loginStateCookie = "grantledger_login_state"

    /// Where the login system sends the browser back to, for a page at `returnTo`; `state` ties
    /// the answer to the browser that was sent (RFC 9700 §4.7: no login CSRF).
    func callbackURL(returnTo: String, state: String? = nil) -> String {
        var components = URLComponents()
        components.queryItems =
            [URLQueryItem(name: "return_to", value: returnTo)] + (state.map { [URLQueryItem(name: "state", value: $0)] } ?? [])
        return "\(issuer)/oauth/login/callback?\(Self.encoded(components))"
    }

    /// 303 to the login system with a state cookie for the way back, or a page saying none is
    /// configured. `prompt=login` and `max_age` go along, for a login system that keeps its own
    /// session (OpenID Connect Core §3.1.2.1: re-authentication must really happen).
    func loginRedirect(returnTo: String, pages: Pages, forwarding: [(String, String)] = []) -> Response {
        guard let loginURL, var components = URLComponents(string: loginURL) else {
            return pages.message(
                "Sign-in is not set up", "This server has no login URL configured (--login-url), so pages that need "
                    + "you signed in cannot be used.", status: .serviceUnavailable, kind: "error")
        }
        let state = OAuthSecrets.make()
        components.queryItems =
            (components.queryItems ?? [])
            + [URLQueryItem(name: "redirect_uri", value: callbackURL(returnTo: returnTo, state: state))]
            + forwarding.map { URLQueryItem(name: $0.0, value: $0.1) }
        components.percentEncodedQuery = Self.encoded(components)
        var response = Response(
            status: .seeOther, headers: [.location: components.string ?? loginURL, .cacheControl: "no-store"])
        response.setCookie(
            Cookie(
                name: Self.loginStateCookie, value: state, maxAge: 900, path: "/oauth/login/callback",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    func clearedLoginState() -> Cookie {
        Cookie(
            name: Self.loginStateCookie, value: "", maxAge: 0, path: "/oauth/login/callback", secure: secureCookies,
            httpOnly: true, sameSite: .lax)
    }

    /// Query values with `+` and `&`, `=` escaped, so a form decoder reads them back unchanged.
    static func encoded(_ components: URLComponents) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "+&=?/")
        return (components.queryItems ?? []).map { item in
            "\(item.name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")="
                + (item.value?.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }

    /// The path and query a page was asked at, to come back to after logging in.
    static func returnTo(_ request: Request, dropping: Set<String> = []) -> String {
        guard let query = request.uri.query, !query.isEmpty else { return request.uri.path }
        let kept = query.split(separator: "&").filter { pair in
            !dropping.contains(String(pair.split(separator: "=", maxSplits: 1).first ?? ""))
        }
        return kept.isEmpty ? request.uri.path : request.uri.path + "?" + kept.joined(separator: "&")
    }

    /// Only one of the pages that send a browser to log in, on this server: never `//host`, a
    /// scheme, or anything a browser would rewrite into one (it drops tabs and newlines, turns `\`
    /// into `/`), so the callback is no open redirect.
    static func safeReturnPath(_ value: String?) -> String {
        guard let value, value.utf8.count <= 4096,
            !value.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }),
            let components = URLComponents(string: value), components.scheme == nil, components.host == nil,
            ["/account", "/oauth/authorize", "/oauth/device"].contains(components.path)
        else { return "/account" }
        return value
    }

    func sessionCookie(_ session: BrowserSession) -> Cookie {
        Cookie(
            name: Self.cookieName, value: session.id, maxAge: Int(sessions.lifetimeSec), path: "/",
            secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    func clearedCookie() -> Cookie {
        Cookie(
            name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true,
            sameSite: .lax)
    }
}
