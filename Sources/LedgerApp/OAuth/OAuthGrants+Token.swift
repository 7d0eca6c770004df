import LedgerAuth
import LedgerCore
import LedgerStore

extension OAuthGrants {
    package static let deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

    /// `grant_type=authorization_code` (§4.1.3): the code, the PKCE verifier when one was
    /// challenged, and the redirect URI when the request named one.
    package func redeemCode(
        code: String?, verifier: String?, redirectUri: String?, _ caller: AuthenticatedClient,
        _ source: RequestSource
    ) async throws -> IssuedTokens {
        guard let code, code.utf8.count <= 256 else { throw OAuthRefusal.invalidRequest("code is required") }
        var verifierS256: String?
        if let verifier {
            guard OAuthSecrets.isPKCEString(verifier) else {
                throw OAuthRefusal.invalidRequest("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
            }
            verifierS256 = OAuthSecrets.s256(verifier)
        }
        guard let pending = try ledger.pendingGrant(codeSha256: OAuthSecrets.sha256Hex(code)),
            pending.kind == .authorizationCode
        else { throw OAuthRefusal.invalidGrant("the code is not known") }
        return try await redeem(pending, redirectUri: redirectUri, verifierS256: verifierS256, caller, source)
    }

    /// `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4–3.5).
    package func redeemDeviceCode(deviceCode: String?, _ caller: AuthenticatedClient, _ source: RequestSource)
        async throws -> IssuedTokens
    {
        guard let deviceCode, deviceCode.utf8.count <= 256 else {
            throw OAuthRefusal.invalidRequest("device_code is required")
        }
        let sha = OAuthSecrets.sha256Hex(deviceCode)
        guard let pending = try ledger.pendingGrant(codeSha256: sha), pending.kind == .deviceCode,
            pending.clientId == caller.client.id
        else { throw OAuthRefusal.invalidGrant("the device code is not known") }
        // §3.5's first answer, before the decider's: too fast. Expired, unanswered and denied
        // are the decider's rejections, in that order.
        let intervalSec = pending.intervalSec ?? settings.devicePollIntervalSec
        guard polls.poll(sha, nowMs: nowMs, intervalSec: intervalSec) else {
            throw OAuthRefusal(.badRequest, "slow_down", "poll at most every \(intervalSec) seconds")
        }
        return try await redeem(pending, redirectUri: nil, verifierS256: nil, caller, source)
    }

    /// A code or device code's tokens: the access `jti` and refresh digest are fixed before the
    /// decision; the JWT is signed and the refresh secret handed out only once it is recorded.
    private func redeem(
        _ pending: PendingGrant, redirectUri: String?, verifierS256: String?, _ caller: AuthenticatedClient,
        _ source: RequestSource
    ) async throws -> IssuedTokens {
        let (refreshSecret, refresh) = refreshGrant()
        let command = RedeemGrant(
            codeSha256: pending.codeSha256, connectionId: pending.connectionId, clientId: caller.client.id,
            kind: pending.kind, redirectUri: redirectUri, verifierS256: verifierS256,
            access: accessGrant(lifetimeSec: pending.accessTokenLifetimeSec), refresh: refresh)
        switch try await decide(
            .redeem(command), source, actor: Self.clientActor(caller.client), userId: pending.userId, action: .create)
        {
        case .rejected(let rejection, _) where rejection.code == .expired && pending.kind == .deviceCode:
            throw OAuthRefusal(.badRequest, "expired_token", "the device code has expired; start again")
        case .rejected(let rejection, _):
            throw OAuthRefusal.rejection(rejection)
        case .recorded(let events, _):
            guard case .redeemed? = events.first, let userId = pending.userId else {
                throw OAuthRefusal.invalidGrant("the code was already used; the tokens issued with it are revoked")
            }
            return try await issued(
                command.access, subject: userId, client: caller.client, scopes: pending.scopes,
                refreshToken: refreshSecret, login: OpenIDLogin(authTimeMs: pending.authTimeMs, nonce: pending.nonce))
        }
    }

    /// `grant_type=refresh_token` (§6): rotation, and the whole grant revoked when a spent
    /// refresh token comes back.
    package func refresh(
        refreshToken presented: String?, scopes requested: [String]?, _ caller: AuthenticatedClient,
        _ source: RequestSource
    ) async throws -> IssuedTokens {
        guard let presented, presented.utf8.count <= 256 else {
            throw OAuthRefusal.invalidRequest("refresh_token is required")
        }
        let scopes = try requestedScopes(requested)
        let sha = OAuthSecrets.sha256Hex(presented)
        guard let token = try ledger.refreshToken(sha256: sha) else {
            throw OAuthRefusal.invalidGrant("the refresh token is not known")
        }
        let lifetimeSec =
            try ledger.grantOrigin(connectionId: token.connectionId)?.accessTokenLifetimeSec
            ?? settings.accessTokenLifetimeSec
        let (secret, refresh) = refreshGrant()
        let access = accessGrant(lifetimeSec: lifetimeSec)
        let command = RefreshGrant(
            tokenSha256: sha, connectionId: token.connectionId, clientId: caller.client.id, scopes: scopes,
            access: access, refresh: refresh)
        switch try await decide(
            .refresh(command), source, actor: Self.clientActor(caller.client), userId: token.userId, action: .create)
        {
        case .rejected(let rejection, _):
            throw OAuthRefusal.rejection(rejection)
        case .recorded(let events, _):
            guard case .refreshRotated? = events.first else {
                throw OAuthRefusal.invalidGrant("the refresh token was already used; the whole grant is revoked")
            }
            // OpenID Connect Core §12.2: a refreshed ID token keeps auth_time and has no nonce.
            return try await issued(
                access, subject: token.userId, client: caller.client, scopes: scopes ?? token.scopes,
                refreshToken: secret, login: OpenIDLogin(authTimeMs: token.authTimeMs, nonce: nil))
        }
    }

    /// `grant_type=client_credentials` (§4.4): a confidential client's own token, no refresh
    /// token (§4.4.3: it can simply ask again).
    package func clientCredentials(scopes requested: [String]?, _ caller: AuthenticatedClient, _ source: RequestSource)
        async throws -> IssuedTokens
    {
        guard !caller.client.isPublic else {
            throw OAuthRefusal.unauthorizedClient("public clients cannot use client_credentials")
        }
        // OpenID Connect has no end user here: `openid` asked for is refused, and not implied.
        if requested?.contains(OpenIDScope.openid) == true {
            throw OAuthRefusal.invalidScope("openid needs a user; client_credentials has none")
        }
        let scopes = try clientScopes(caller.client, requested: requested).filter { $0 != OpenIDScope.openid }
        let access = accessGrant(lifetimeSec: settings.accessTokenLifetimeSec)
        let command = IssueClientToken(
            clientId: caller.client.id, scopes: scopes, access: access, budget: try nwc.grantBudget(nil))
        if case .rejected(let rejection, _) = try await decide(
            .issueClientToken(command), source, actor: Self.clientActor(caller.client), userId: nil, action: .create)
        {
            throw OAuthRefusal.rejection(rejection)
        }
        // No end user, so no ID token (OpenID Connect has none for client credentials).
        return try await issued(
            access, subject: caller.client.id, client: caller.client, scopes: scopes, refreshToken: nil, login: nil)
    }
}
