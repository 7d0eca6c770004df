/// The pure state machine of OAuth grants (RFC 6749, 7636, 8628, 7009), in the shape of
/// `SpendDecider`: `decide(state, command, nowMs)` answers the events to record or why not;
/// `evolve` folds events into the codes and refresh tokens the projections hold. The state is
/// loaded by index, never by scanning history.
public enum GrantDecider {
    public static func decide(_ state: GrantState, _ command: GrantCommand, nowMs: Int64) -> Result<
        [GrantEvent], Rejection
    > {
        switch command {
        case .issueCode(let c): issueCode(c, client: state.client, existing: state.pending, nowMs: nowMs)
        case .startDevice(let c): startDevice(c, client: state.client, existing: state.pending, nowMs: nowMs)
        case .answerDevice(let c): answerDevice(c, pending: state.pending, nowMs: nowMs)
        case .redeem(let c):
            if let pending = state.pending, pending.connectionId != c.connectionId {
                .failure(invalidGrant("the code is not known"))
            } else {
                redeem(c, pending: state.pending, client: state.client, connection: state.connection, nowMs: nowMs)
            }
        case .refresh(let c):
            if let token = state.refreshToken, token.connectionId != c.connectionId {
                .failure(invalidGrant("the refresh token is not known"))
            } else {
                refresh(c, token: state.refreshToken, client: state.client, connection: state.connection, nowMs: nowMs)
            }
        case .issueClientToken(let c):
            issueClientToken(c, client: state.client, connection: state.connection, nowMs: nowMs)
        case .revokeAccessToken(let c): revokeAccessToken(c, token: state.accessToken, nowMs: nowMs)
        }
    }
    static func issueCode(
        _ c: IssueAuthorizationCode, client: OAuthClient?, existing: PendingGrant?, nowMs: Int64
    )
        -> Result<[GrantEvent], Rejection>
    {
        guard let client, client.status == .active, client.id == c.clientId else {
            return .failure(Rejection(.invalidGrant, "unknown client \(c.clientId)"))
        }
        guard existing == nil else { return .failure(Rejection(.alreadyExists, "this code was already issued")) }
        guard client.permits(c.scopes) else { return .failure(Rejection(.invalidScope, "scope exceeds the client's")) }
        return .success([
            .codeIssued(AuthorizationCodeIssued(
                codeSha256: c.codeSha256, connectionId: c.connectionId, clientId: c.clientId, userId: c.userId,
                redirectUri: c.redirectUri, redirectUriExplicit: c.redirectUriExplicit, scopes: c.scopes,
                codeChallengeS256: c.codeChallengeS256, codeChallengeMethod: c.codeChallengeMethod,
                accessTokenLifetimeSec: c.accessTokenLifetimeSec, budget: c.budget, issuedAtMs: nowMs,
                expiresAtMs: c.expiresAtMs, nonce: c.nonce, authTimeMs: c.authTimeMs))
        ])
    }

    static func startDevice(
        _ c: StartDeviceAuthorization, client: OAuthClient?, existing: PendingGrant?, nowMs: Int64
    ) -> Result<[GrantEvent], Rejection> {
        guard let client, client.status == .active else {
            return .failure(Rejection(.invalidGrant, "unknown client \(c.clientId)"))
        }
        guard existing == nil else { return .failure(Rejection(.alreadyExists, "this device code was already issued")) }
        guard client.permits(c.scopes) else { return .failure(Rejection(.invalidScope, "scope exceeds the client's")) }
        return .success([
            .deviceStarted(DeviceAuthorizationStarted(
                deviceCodeSha256: c.deviceCodeSha256, userCodeSha256: c.userCodeSha256, connectionId: c.connectionId,
                clientId: c.clientId, scopes: c.scopes, accessTokenLifetimeSec: c.accessTokenLifetimeSec,
                intervalSec: c.intervalSec, issuedAtMs: nowMs, expiresAtMs: c.expiresAtMs))
        ])
    }

    static func answerDevice(_ c: AnswerDeviceAuthorization, pending: PendingGrant?, nowMs: Int64) -> Result<
        [GrantEvent], Rejection
    > {
        guard let pending, pending.kind == .deviceCode else {
            return .failure(Rejection(.notFound, "no device authorization with this user code"))
        }
        guard !pending.isExpired(atMs: nowMs) else { return .failure(Rejection(.expired, "the user code has expired")) }
        guard pending.status == .pending else {
            return .failure(Rejection(.invalidState, "this user code was already answered"))
        }
        return .success([
            .deviceAnswered(DeviceAuthorizationAnswered(
                deviceCodeSha256: c.deviceCodeSha256, connectionId: pending.connectionId, userId: c.userId,
                approved: c.approved, budget: c.approved ? c.budget : nil, answeredAtMs: nowMs,
                authTimeMs: c.authTimeMs))
        ])
    }

    /// A spent code coming back is not refused as a rejection: the replay and the revocation of
    /// what it issued must be recorded. The caller answers `invalid_grant` when it sees
    /// `GrantReplayed` first.
    static func redeem(
        _ c: RedeemGrant, pending: PendingGrant?, client: OAuthClient?, connection: Connection?, nowMs: Int64
    ) -> Result<[GrantEvent], Rejection> {
        guard let pending, pending.kind == c.kind else { return .failure(invalidGrant("the code is not known")) }
        guard pending.clientId == c.clientId else {
            return .failure(invalidGrant("the code was issued to another client"))
        }
        guard let client, client.status == .active else { return .failure(invalidGrant("the client is deleted")) }
        if pending.status == .redeemed {
            var events: [GrantEvent] = [
                .replayed(GrantReplayed(
                    codeSha256: pending.codeSha256, connectionId: pending.connectionId, clientId: pending.clientId,
                    detectedAtMs: nowMs))
            ]
            if let connection, connection.status == .active {
                events.append(
                    .connection(.revoked(ConnectionRevoked(
                        connectionId: connection.id, reason: "authorization code used twice", revokedAtMs: nowMs))))
            }
            return .success(events)
        }
        guard !pending.isExpired(atMs: nowMs) else { return .failure(Rejection(.expired, "the code has expired")) }
        switch pending.status {
        case .pending: return .failure(Rejection(.authorizationPending, "the user has not answered yet"))
        case .denied: return .failure(Rejection(.accessDenied, "the user denied the authorization request"))
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
            .redeemed(GrantRedeemed(
                codeSha256: pending.codeSha256, connectionId: pending.connectionId, clientId: pending.clientId,
                grantType: pending.kind.rawValue, redeemedAtMs: nowMs)),
            .connection(.granted(ConnectionGranted(
                connectionId: pending.connectionId, userId: userId, name: client.name, scopes: pending.scopes,
                budget: pending.budget, expiresAtSec: nil, grantedAtMs: nowMs, clientId: client.id))),
            .connection(.tokenIssued(accessIssued(
                c.access, connectionId: pending.connectionId, userId: userId, clientId: client.id,
                scopes: pending.scopes, nowMs: nowMs))),
            .refreshIssued(RefreshTokenIssued(
                tokenSha256: c.refresh.tokenSha256, connectionId: pending.connectionId, clientId: client.id,
                userId: userId, scopes: pending.scopes, issuedAtMs: nowMs, expiresAtMs: c.refresh.expiresAtMs,
                authTimeMs: pending.authTimeMs)),
        ])
    }

    /// Rotation with reuse detection: the old token is spent; if a spent one comes back, the
    /// whole family (the connection) is revoked and recorded, and the caller answers `invalid_grant`.
    static func refresh(
        _ c: RefreshGrant, token: RefreshTokenState?, client: OAuthClient?, connection: Connection?, nowMs: Int64
    ) -> Result<[GrantEvent], Rejection> {
        guard let token else { return .failure(invalidGrant("the refresh token is not known")) }
        guard token.clientId == c.clientId else {
            return .failure(invalidGrant("the refresh token was issued to another client"))
        }
        switch token.status {
        case .rotated:
            var events: [GrantEvent] = [
                .refreshReused(RefreshTokenReused(
                    tokenSha256: token.tokenSha256, connectionId: token.connectionId, detectedAtMs: nowMs))
            ]
            if let connection, connection.status == .active {
                events.append(
                    .connection(.revoked(ConnectionRevoked(
                        connectionId: connection.id, reason: "refresh token reused", revokedAtMs: nowMs))))
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
            .refreshRotated(RefreshTokenRotated(
                tokenSha256: token.tokenSha256, connectionId: token.connectionId, rotatedAtMs: nowMs)),
            .connection(.tokenIssued(accessIssued(
                c.access, connectionId: connection.id, userId: token.userId, clientId: client.id,
                scopes: scopes, nowMs: nowMs))),
            .refreshIssued(RefreshTokenIssued(
                tokenSha256: c.refresh.tokenSha256, connectionId: connection.id, clientId: client.id,
                userId: token.userId, scopes: token.scopes, issuedAtMs: nowMs, expiresAtMs: c.refresh.expiresAtMs,
                authTimeMs: token.authTimeMs)),
        ])
    }

    static func issueClientToken(
        _ c: IssueClientToken, client: OAuthClient?, connection: Connection?, nowMs: Int64
    ) -> Result<[GrantEvent], Rejection> {
        guard let client, client.status == .active else { return .failure(invalidGrant("unknown client")) }
        guard !client.isPublic else {
            return .failure(Rejection(.unauthorizedClient, "public clients cannot use client_credentials"))
        }
        guard client.permits(c.scopes) else { return .failure(Rejection(.invalidScope, "scope exceeds the client's")) }
        let connectionId = ClientCredentials.connectionId(clientId: client.id)
        let userId = ClientCredentials.userId(clientId: client.id)
        var events: [GrantEvent] = []
        if let connection {
            guard connection.status == .active else {
                return .failure(
                    Rejection(.unauthorizedClient, "the client's own grant \(connection.id) has been revoked"))
            }
            if !c.scopes.allSatisfy(connection.scopes.contains) {
                events.append(
                    .connection(.updated(ConnectionUpdated(
                        connectionId: connectionId, scopes: client.scopes, updatedAtMs: nowMs))))
            }
        } else {
            events.append(
                .connection(.granted(ConnectionGranted(
                    connectionId: connectionId, userId: userId, name: client.name, scopes: client.scopes,
                    budget: c.budget, expiresAtSec: nil, grantedAtMs: nowMs, clientId: client.id))))
        }
        events.append(
            .connection(.tokenIssued(accessIssued(
                c.access, connectionId: connectionId, userId: userId, clientId: client.id, scopes: c.scopes,
                nowMs: nowMs))))
        return .success(events)
    }

    static func revokeAccessToken(_ c: RevokeAccessToken, token: AccessTokenState?, nowMs: Int64)
        -> Result<[GrantEvent], Rejection>
    {
        guard let token, token.connectionId == c.connectionId else {
            return .failure(Rejection(.notFound, "no token with this jti"))
        }
        // Revoking twice changes nothing and records nothing (RFC 7009 answers 200 either way).
        guard !token.revoked else { return .success([]) }
        return .success([
            .tokenRevoked(TokenRevoked(jti: c.jti, connectionId: c.connectionId, reason: c.reason, revokedAtMs: nowMs))
        ])
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

// MARK: Evolve

extension GrantDecider {
    /// Folds an event into the authorization or device code it concerns.
    public static func evolve(_ pending: PendingGrant?, _ event: GrantEvent) -> PendingGrant? {
        switch event {
        case .codeIssued(let e):
            return PendingGrant(
                codeSha256: e.codeSha256, kind: .authorizationCode, connectionId: e.connectionId,
                clientId: e.clientId, userId: e.userId, redirectUri: e.redirectUri,
                redirectUriExplicit: e.redirectUriExplicit, scopes: e.scopes, codeChallengeS256: e.codeChallengeS256,
                accessTokenLifetimeSec: e.accessTokenLifetimeSec, budget: e.budget, userCodeSha256: nil,
                intervalSec: nil, status: .approved, issuedAtMs: e.issuedAtMs, expiresAtMs: e.expiresAtMs,
                nonce: e.nonce, authTimeMs: e.authTimeMs)
        case .deviceStarted(let e):
            return PendingGrant(
                codeSha256: e.deviceCodeSha256, kind: .deviceCode, connectionId: e.connectionId, clientId: e.clientId,
                userId: nil, redirectUri: nil, redirectUriExplicit: false, scopes: e.scopes, codeChallengeS256: nil,
                accessTokenLifetimeSec: e.accessTokenLifetimeSec, budget: nil, userCodeSha256: e.userCodeSha256,
                intervalSec: e.intervalSec, status: .pending, issuedAtMs: e.issuedAtMs, expiresAtMs: e.expiresAtMs)
        case .deviceAnswered(let e):
            guard var next = pending, next.codeSha256 == e.deviceCodeSha256 else { return pending }
            next.status = e.approved ? .approved : .denied
            next.userId = e.userId
            next.budget = e.budget
            next.authTimeMs = e.authTimeMs
            return next
        case .redeemed(let e):
            guard var next = pending, next.codeSha256 == e.codeSha256 else { return pending }
            next.status = .redeemed
            return next
        case .replayed, .refreshIssued, .refreshRotated, .refreshReused, .tokenRevoked, .connection:
            return pending
        }
    }

    /// Folds an event into the refresh token it concerns. A revoked connection takes its whole
    /// family with it; that is applied to every token of the connection, so it is not an
    /// evolution of one token here but of each one the projection holds for it.
    public static func evolve(_ token: RefreshTokenState?, _ event: GrantEvent) -> RefreshTokenState? {
        switch event {
        case .refreshIssued(let e):
            return RefreshTokenState(
                tokenSha256: e.tokenSha256, connectionId: e.connectionId, clientId: e.clientId, userId: e.userId,
                scopes: e.scopes, status: .active, issuedAtMs: e.issuedAtMs, expiresAtMs: e.expiresAtMs,
                authTimeMs: e.authTimeMs)
        case .refreshRotated(let e):
            guard var next = token, next.tokenSha256 == e.tokenSha256 else { return token }
            next.status = .rotated
            return next
        case .connection(.revoked(let e)):
            guard var next = token, next.connectionId == e.connectionId, next.status == .active else { return token }
            next.status = .revoked
            return next
        case .codeIssued, .deviceStarted, .deviceAnswered, .redeemed, .replayed, .refreshReused, .tokenRevoked,
            .connection:
            return token
        }
    }
}
