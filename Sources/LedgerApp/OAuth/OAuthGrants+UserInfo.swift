import LedgerAuth
import LedgerCore

extension OAuthGrants {
    /// OpenID Connect Core §5.3: the claims about the user an access token with `openid` may
    /// read. We know the user by their `sub` (and the Lightning address their login token gave
    /// when there was one, which we do not keep): `sub` it is.
    package func userInfo(accessToken: String?) async throws(OAuthRefusal) -> [String: String] {
        guard let accessToken else {
            throw OAuthRefusal(
                .unauthorized, "invalid_token", "send the access token as Authorization: Bearer",
                challenge: .bearer(error: nil))
        }
        let access: AuthorizedAccess
        do {
            access = try await accessCheck.check(accessToken)
        } catch {
            throw OAuthRefusal(
                .unauthorized, "invalid_token", error.reason, challenge: .bearer(error: "invalid_token"))
        }
        // A client's own token (client credentials) names no user: nothing to tell about one.
        guard access.connection.userId != ClientCredentials.userId(clientId: access.clientId) else {
            throw OAuthRefusal(
                .unauthorized, "invalid_token", "a client's own token names no user",
                challenge: .bearer(error: "invalid_token"))
        }
        guard access.claims.scopes.contains(OpenIDScope.openid) else {
            throw OAuthRefusal(
                .forbidden, "insufficient_scope", "the token was not granted the openid scope",
                challenge: .bearer(error: "insufficient_scope"))
        }
        return ["sub": access.claims.subjectValue]
    }
}
