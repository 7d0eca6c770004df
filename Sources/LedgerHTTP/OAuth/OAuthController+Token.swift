import LedgerAuth
import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore

extension OAuthController {
    /// RFC 6749 §3.2: the token endpoint, for every grant type this server offers.
    @Sendable func token(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        guard let grantType = form["grant_type"] else { throw OAuthError.invalidRequest("grant_type is required") }
        let caller = try ClientAuthentication.authenticate(request, form, ledger: ledger)
        switch grantType {
        case "authorization_code": return try await redeemCode(form, caller, request, context)
        case "refresh_token": return try await refresh(form, caller, request, context)
        case "client_credentials": return try await clientCredentials(form, caller, request, context)
        case Self.deviceGrantType: return try await redeemDeviceCode(form, caller, request, context)
        default:
            throw OAuthError(
                .badRequest, "unsupported_grant_type", "grant_type \(grantType.prefix(60)) is not supported")
        }
    }

    private func redeemCode(
        _ form: FormParameters, _ caller: AuthenticatedClient, _ request: Request, _ context: LedgerRequestContext
    ) async throws -> Response {
        guard let code = form["code"], code.utf8.count <= 256 else {
            throw OAuthError.invalidRequest("code is required")
        }
        var verifierS256: String?
        if let verifier = form["code_verifier"] {
            guard Self.isPKCEString(verifier) else {
                throw OAuthError.invalidRequest("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
            }
            verifierS256 = OAuthSecrets.s256(verifier)
        }
        let codeSha256 = OAuthSecrets.sha256Hex(code)
        guard let pending = try ledger.pendingGrant(codeSha256: codeSha256), pending.kind == .authorizationCode else {
            throw OAuthError.invalidGrant("the code is not known")
        }
        return try await redeem(
            pending, redirectUri: form["redirect_uri"], verifierS256: verifierS256, caller, request, context)
    }

    private func redeemDeviceCode(
        _ form: FormParameters, _ caller: AuthenticatedClient, _ request: Request, _ context: LedgerRequestContext
    ) async throws -> Response {
        guard let deviceCode = form["device_code"], deviceCode.utf8.count <= 256 else {
            throw OAuthError.invalidRequest("device_code is required")
        }
        let sha = OAuthSecrets.sha256Hex(deviceCode)
        guard let pending = try ledger.pendingGrant(codeSha256: sha), pending.kind == .deviceCode,
            pending.clientId == caller.client.id
        else { throw OAuthError.invalidGrant("the device code is not known") }
        // RFC 8628 §3.5, in order: too fast, expired, unanswered, denied.
        guard polls.poll(sha, nowMs: nowMs, intervalSec: pending.intervalSec ?? settings.devicePollIntervalSec) else {
            throw OAuthError(.badRequest, "slow_down", "poll at most every \(pending.intervalSec ?? 5) seconds")
        }
        if pending.status != .redeemed {
            guard !pending.isExpired(atMs: nowMs) else {
                throw OAuthError(.badRequest, "expired_token", "the device code has expired; start again")
            }
            switch pending.status {
            case .pending: throw OAuthError(.badRequest, "authorization_pending", "the user has not answered yet")
            case .denied: throw OAuthError(.badRequest, "access_denied", "the user denied the request")
            case .approved, .redeemed: break
            }
        }
        return try await redeem(pending, redirectUri: nil, verifierS256: nil, caller, request, context)
    }

    /// The code or device code's tokens: access `jti` and refresh digest are fixed before the
    /// decision, the JWT is signed and the refresh secret handed out only after it is recorded.
    private func redeem(
        _ pending: PendingGrant, redirectUri: String?, verifierS256: String?, _ caller: AuthenticatedClient,
        _ request: Request, _ context: LedgerRequestContext
    ) async throws -> Response {
        let (refreshSecret, refresh) = refreshGrant()
        let command = RedeemGrant(
            codeSha256: pending.codeSha256, connectionId: pending.connectionId, clientId: caller.client.id,
            kind: pending.kind, redirectUri: redirectUri, verifierS256: verifierS256,
            access: accessGrant(lifetimeSec: pending.accessTokenLifetimeSec), refresh: refresh)
        let outcome = try await submit(
            .redeem(command), request, context, actor: Self.clientActor(caller.client), userId: pending.userId,
            action: .create)
        switch outcome {
        case .rejected(let rejection, _):
            throw OAuthError.rejection(rejection)
        case .accepted(let events, _):
            guard events.first?.type == GrantRedeemed.type, let userId = pending.userId else {
                throw OAuthError.invalidGrant("the code was already used; the tokens issued with it are revoked")
            }
            return try await tokenResponse(
                access: command.access, subject: userId, clientId: caller.client.id, scopes: pending.scopes,
                refreshToken: refreshSecret)
        }
    }

    private func refresh(
        _ form: FormParameters, _ caller: AuthenticatedClient, _ request: Request, _ context: LedgerRequestContext
    ) async throws -> Response {
        guard let presented = form["refresh_token"], presented.utf8.count <= 256 else {
            throw OAuthError.invalidRequest("refresh_token is required")
        }
        let scopes = try requestedScopes(form)
        let sha = OAuthSecrets.sha256Hex(presented)
        guard let token = try ledger.refreshToken(sha256: sha) else {
            throw OAuthError.invalidGrant("the refresh token is not known")
        }
        let lifetime =
            try ledger.grantOrigin(connectionId: token.connectionId)?.accessTokenLifetimeSec
            ?? settings.accessTokenLifetimeSec
        let (secret, refresh) = refreshGrant()
        let access = accessGrant(lifetimeSec: lifetime)
        let outcome = try await submit(
            .refresh(
                RefreshGrant(
                    tokenSha256: sha, connectionId: token.connectionId, clientId: caller.client.id, scopes: scopes,
                    access: access, refresh: refresh)),
            request, context, actor: Self.clientActor(caller.client), userId: token.userId, action: .create)
        switch outcome {
        case .rejected(let rejection, _):
            throw OAuthError.rejection(rejection)
        case .accepted(let events, _):
            guard events.first?.type == RefreshTokenRotated.type else {
                throw OAuthError.invalidGrant("the refresh token was already used; the whole grant is revoked")
            }
            return try await tokenResponse(
                access: access, subject: token.userId, clientId: caller.client.id, scopes: scopes ?? token.scopes,
                refreshToken: secret)
        }
    }

    private func clientCredentials(
        _ form: FormParameters, _ caller: AuthenticatedClient, _ request: Request, _ context: LedgerRequestContext
    ) async throws -> Response {
        guard !caller.client.isPublic else {
            throw OAuthError(.badRequest, "unauthorized_client", "public clients cannot use client_credentials")
        }
        let scopes = try requestedScopes(form) ?? caller.client.scopes
        guard caller.client.permits(scopes) else {
            throw OAuthError.invalidScope("the client may ask for: \(caller.client.scopes.joined(separator: " "))")
        }
        let access = accessGrant(lifetimeSec: settings.accessTokenLifetimeSec)
        let outcome = try await submit(
            .issueClientToken(
                IssueClientToken(
                    clientId: caller.client.id, scopes: scopes, access: access, budget: try nwc.grantBudget(nil))),
            request, context, actor: Self.clientActor(caller.client), userId: nil, action: .create)
        guard case .accepted = outcome else {
            if case .rejected(let rejection, _) = outcome { throw OAuthError.rejection(rejection) }
            throw OAuthError.invalidGrant("nothing was issued")
        }
        // RFC 6749 §4.4.3: no refresh token; the client can simply ask again.
        return try await tokenResponse(
            access: access, subject: caller.client.id, clientId: caller.client.id, scopes: scopes, refreshToken: nil)
    }
}
