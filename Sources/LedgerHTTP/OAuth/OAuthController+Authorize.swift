import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp

extension OAuthController {
    /// RFC 6749 §4.1.1 with RFC 7636, from the query or a form body.
    /// A person's browser meets the login redirect and the consent page instead.
    @Sendable func authorize(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await form(request, includeQuery: true)
        let userToken = Self.userToken(request, form)
        if BrowserLogin.isBrowser(request, token: form["token"]) {
            return request.method == .post && form["action"] != nil
                ? try await authorizeAnswer(request, form, context) : try await authorizePage(request, form, context)
        }
        let redirect = try await grants.authorize(
            Self.authorizationRequest(form), userToken: userToken, Self.source(request, context))
        return Self.redirect(redirect)
    }

    /// 302 to the redirect URI with the parameters added to its query (§4.1.2), never cached.
    static func redirect(_ redirect: AuthorizationRedirect) -> Response {
        var components = URLComponents(string: redirect.redirectUri) ?? URLComponents()
        components.queryItems =
            (components.queryItems ?? []) + redirect.parameters.map { URLQueryItem(name: $0.name, value: $0.value) }
        // URLComponents leaves "+" alone in queries; a form decoder would read it as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return Response(
            status: .found, headers: [.location: components.string ?? redirect.redirectUri, .cacheControl: "no-store"])
    }
}
