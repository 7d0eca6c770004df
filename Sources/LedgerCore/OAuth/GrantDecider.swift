/// The pure decisions of OAuth grants. Each takes the rows it needs, already loaded, and the clock.
public enum GrantDecider {
    public static func issueCode(
        _ c: IssueAuthorizationCode, client: OAuthClient?, existing: PendingGrant?, nowMs: Int64
    )
        -> Result<[any DomainEvent], Rejection>
    {
        guard let client, client.status == .active, client.id == c.clientId else {
            return .failure(Rejection(.invalidGrant, "unknown client \(c.clientId)"))
        }
        guard existing == nil else { return .failure(Rejection(.alreadyExists, "this code was already issued")) }
        guard client.permits(c.scopes) else { return .failure(Rejection(.invalidScope, "scope exceeds the client's")) }
        return .success([
            AuthorizationCodeIssued(
                codeSha256: c.codeSha256, connectionId: c.connectionId, clientId: c.clientId, userId: c.userId,
                redirectUri: c.redirectUri, redirectUriExplicit: c.redirectUriExplicit, scopes: c.scopes,
                codeChallengeS256: c.codeChallengeS256, codeChallengeMethod: c.codeChallengeMethod,
                accessTokenLifetimeSec: c.accessTokenLifetimeSec, budget: c.budget, issuedAtMs: nowMs,
                expiresAtMs: c.expiresAtMs)
        ])
    }

    public static func startDevice(
        _ c: StartDeviceAuthorization, client: OAuthClient?, existing: PendingGrant?, nowMs: Int64
    ) -> Result<[any DomainEvent], Rejection> {
        guard let client, client.status == .active else {
            return .failure(Rejection(.invalidGrant, "unknown client \(c.clientId)"))
        }
        guard existing == nil else { return .failure(Rejection(.alreadyExists, "this device code was already issued")) }
        guard client.permits(c.scopes) else { return .failure(Rejection(.invalidScope, "scope exceeds the client's")) }
        return .success([
            DeviceAuthorizationStarted(
                deviceCodeSha256: c.deviceCodeSha256, userCodeSha256: c.userCodeSha256, connectionId: c.connectionId,
                clientId: c.clientId, scopes: c.scopes, accessTokenLifetimeSec: c.accessTokenLifetimeSec,
                intervalSec: c.intervalSec, issuedAtMs: nowMs, expiresAtMs: c.expiresAtMs)
        ])
    }

    public static func answerDevice(_ c: AnswerDeviceAuthorization, pending: PendingGrant?, nowMs: Int64) -> Result<
        [any DomainEvent], Rejection
    > {
        guard let pending, pending.kind == .deviceCode else {
            return .failure(Rejection(.notFound, "no device authorization with this user code"))
        }
        guard !pending.isExpired(atMs: nowMs) else { return .failure(Rejection(.expired, "the user code has expired")) }
        guard pending.status == .pending else {
            return .failure(Rejection(.invalidState, "this user code was already answered"))
        }
        return .success([
            DeviceAuthorizationAnswered(
                deviceCodeSha256: c.deviceCodeSha256, connectionId: pending.connectionId, userId: c.userId,
                approved: c.approved, budget: c.approved ? c.budget : nil, answeredAtMs: nowMs)
        ])
    }

    /// A spent code coming back is not refused as a rejection: the replay and the revocation of
    /// what it issued must be recorded. The caller answers `invalid_grant` when it sees
    /// `GrantReplayed` first.
    public static func redeem(
        _ c: RedeemGrant, pending: PendingGrant?, client: OAuthClient?, connection: Connection?, nowMs: Int64
    ) -> Result<[any DomainEvent], Rejection> {
        guard let pending, pending.kind == c.kind else { return .failure(invalidGrant("the code is not known")) }
        guard pending.clientId == c.clientId else {
            return .failure(invalidGrant("the code was issued to another client"))
        }
        guard let client, client.status == .active else { return .failure(invalidGrant("the client is deleted")) }
        if pending.status == .redeemed {
            var events: [any DomainEvent] = [
                GrantReplayed(
                    codeSha256: pending.codeSha256, connectionId: pending.connectionId, clientId: pending.clientId,
                    detectedAtMs: nowMs)
            ]
            if let connection, connection.status == .active {
                events.append(
                    ConnectionRevoked(
                        connectionId: connection.id, reason: "authorization code used twice", revokedAtMs: nowMs))
            }
            return .success(events)
        }
        guard !pending.isExpired(atMs: nowMs) else { return .failure(Rejection(.expired, "the code has expired")) }
        switch pending.status {
        case .pending: return .failure(Rejection(.invalidState, "authorization_pending"))
        case .denied: return .failure(Rejection(.invalidState, "access_denied"))
        case .approved, .redeemed: break
        }
        if pending.kind == .authorizationCode {
            if let given = c.redirectUri {
                guard given == pending.redirectUri else {
                    return .failure(invalidGrant("redirect_uri does not match the authorization request"))
                }
            } else if pending.redirectUriExplicit {
                return .failure(invalidGrant("redirect_uri is required: the authorization request named one"))
            }
            switch (pending.codeChallengeS256, c.verifierS256) {
            case (let challenge?, let verifier?):
                guard challenge == verifier else { return .failure(invalidGrant("code_verifier does not match")) }
            case (.some, nil):
                return .failure(invalidGrant("code_verifier is required: the authorization request had a challenge"))
            case (nil, .some):
                return .failure(invalidGrant("code_verifier sent, but the authorization request had no challenge"))
            case (nil, nil):
                break
            }
        }
        guard connection == nil, let userId = pending.userId else {
            return .failure(invalidGrant("the code was already used"))
        }
        return .success([
            GrantRedeemed(
                codeSha256: pending.codeSha256, connectionId: pending.connectionId, clientId: pending.clientId,
                grantType: pending.kind.rawValue, redeemedAtMs: nowMs),
            ConnectionGranted(
                connectionId: pending.connectionId, userId: userId, name: client.name, scopes: pending.scopes,
                budget: pending.budget, expiresAtSec: nil, grantedAtMs: nowMs, clientId: client.id),
            accessIssued(
                c.access, connectionId: pending.connectionId, userId: userId, clientId: client.id,
                scopes: pending.scopes, nowMs: nowMs),
            RefreshTokenIssued(
                tokenSha256: c.refresh.tokenSha256, connectionId: pending.connectionId, clientId: client.id,
                userId: userId, scopes: pending.scopes, issuedAtMs: nowMs, expiresAtMs: c.refresh.expiresAtMs),
        ])
    }

    /// Rotation with reuse detection: the old token is spent; if a spent one comes back, the
    /// whole family (the connection) is revoked and recorded, and the caller answers `invalid_grant`.
    public static func refresh(
        _ c: RefreshGrant, token: RefreshTokenState?, client: OAuthClient?, connection: Connection?, nowMs: Int64
    ) -> Result<[any DomainEvent], Rejection> {
        guard let token else { return .failure(invalidGrant("the refresh token is not known")) }
        guard token.clientId == c.clientId else {
            return .failure(invalidGrant("the refresh token was issued to another client"))
        }
        switch token.status {
        case .rotated:
            var events: [any DomainEvent] = [
                RefreshTokenReused(
                    tokenSha256: token.tokenSha256, connectionId: token.connectionId, detectedAtMs: nowMs)
            ]
            if let connection, connection.status == .active {
                events.append(
                    ConnectionRevoked(connectionId: connection.id, reason: "refresh token reused", revokedAtMs: nowMs))
            }
            return .success(events)
        case .revoked:
            return .failure(invalidGrant("the refresh token has been revoked"))
        case .active:
            break
        }
        guard token.expiresAtMs > nowMs else { return .failure(invalidGrant("the refresh token has expired")) }
        guard let client, client.status == .active else { return .failure(invalidGrant("the client is deleted")) }
        guard let connection, connection.status == .active, !connection.isExpired(atMs: nowMs) else {
            return .failure(invalidGrant("the grant has been revoked"))
        }
        let scopes = c.scopes ?? token.scopes
        guard scopes.allSatisfy(token.scopes.contains) else {
            return .failure(Rejection(.invalidScope, "the requested scope exceeds the original grant"))
        }
        return .success([
            RefreshTokenRotated(tokenSha256: token.tokenSha256, connectionId: token.connectionId, rotatedAtMs: nowMs),
            accessIssued(
                c.access, connectionId: connection.id, userId: token.userId, clientId: client.id,
                scopes: scopes, nowMs: nowMs),
            RefreshTokenIssued(
                tokenSha256: c.refresh.tokenSha256, connectionId: connection.id, clientId: client.id,
                userId: token.userId, scopes: token.scopes, issuedAtMs: nowMs, expiresAtMs: c.refresh.expiresAtMs),
        ])
    }

    public static func issueClientToken(
        _ c: IssueClientToken, client: OAuthClient?, connection: Connection?, nowMs: Int64
    ) -> Result<[any DomainEvent], Rejection> {
        guard let client, client.status == .active else { return .failure(invalidGrant("unknown client")) }
        guard !client.isPublic else {
            return .failure(Rejection(.unauthorizedClient, "public clients cannot use client_credentials"))
        }
        guard client.permits(c.scopes) else { return .failure(Rejection(.invalidScope, "scope exceeds the client's")) }
        let connectionId = ClientCredentials.connectionId(clientId: client.id)
        let userId = ClientCredentials.userId(clientId: client.id)
        var events: [any DomainEvent] = []
        if let connection {
            guard connection.status == .active else {
                return .failure(
                    Rejection(.unauthorizedClient, "the client's own grant \(connection.id) has been revoked"))
            }
            if !c.scopes.allSatisfy(connection.scopes.contains) {
                events.append(
                    ConnectionUpdated(connectionId: connectionId, scopes: client.scopes, updatedAtMs: nowMs))
            }
        } else {
            events.append(
                ConnectionGranted(
                    connectionId: connectionId, userId: userId, name: client.name, scopes: client.scopes, budget: c.budget,
                    expiresAtSec: nil, grantedAtMs: nowMs, clientId: client.id))
        }
        events.append(
            accessIssued(
                c.access, connectionId: connectionId, userId: userId, clientId: client.id, scopes: c.scopes,
                nowMs: nowMs))
        return .success(events)
    }

    public static func revokeAccessToken(_ c: RevokeAccessToken, alreadyRevoked: Bool, nowMs: Int64)
        -> [any DomainEvent]
    {
        alreadyRevoked
            ? [] : [TokenRevoked(jti: c.jti, connectionId: c.connectionId, reason: c.reason, revokedAtMs: nowMs)]
    }

    static func accessIssued(
        _ access: AccessTokenGrant, connectionId: String, userId: String, clientId: String, scopes: [String],
        nowMs: Int64
    ) -> TokenIssued {
        var issued = TokenIssued(
            jti: access.jti, connectionId: connectionId, userId: userId, kind: OAuthTokenKind.access, issuedAtMs: nowMs,
            expiresAtSec: access.expiresAtSec)
        issued.clientId = clientId
        issued.scope = scopes.joined(separator: " ")
        return issued
    }

    static func invalidGrant(_ message: String) -> Rejection { Rejection(.invalidGrant, message) }
}

extension ConnectionUpdated {
    init(connectionId: String, scopes: [String], updatedAtMs: Int64) {
        self.connectionId = connectionId
        self.scopes = scopes
        self.updatedAtMs = updatedAtMs
    }
}
