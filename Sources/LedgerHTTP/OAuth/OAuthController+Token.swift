import Hummingbird
import LedgerApp

extension OAuthController {
    /// RFC 6749 §3.2: the token endpoint, for every grant type this server offers.
    @Sendable func token(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await form(request, includeQuery: false)
        guard let grantType = form["grant_type"] else { throw OAuthError.invalidRequest("grant_type is required") }
        let caller = try grants.authenticate(try ClientCredentials.presented(request, form))
        let source = Self.source(request, context)
        let issued: IssuedTokens
        switch grantType {
        case "authorization_code":
            issued = try await grants.redeemCode(
                code: form["code"], verifier: form["code_verifier"], redirectUri: form["redirect_uri"], caller, source)
        case "refresh_token":
            issued = try await grants.refresh(
                refreshToken: form["refresh_token"], scopes: form.scopes, caller, source)
        case "client_credentials":
            issued = try await grants.clientCredentials(scopes: form.scopes, caller, source)
        case Self.deviceGrantType:
            issued = try await grants.redeemDeviceCode(deviceCode: form["device_code"], caller, source)
        default:
            throw OAuthError(
                .badRequest, "unsupported_grant_type", "grant_type \(grantType.prefix(60)) is not supported")
        }
        return try Self.noStore(TokenJSON(issued))
    }
}
