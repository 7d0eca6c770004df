import LedgerAuth
import LedgerCore
import LedgerStore

/// RFC 8628 §3.2's answer: what the device shows and polls with.
package struct DeviceAuthorization: Sendable {
    package var deviceCode: String
    package var userCode: String
    package var verificationUri: String
    package var verificationUriComplete: String
    package var expiresInSec: Int64
    package var intervalSec: Int64
}

/// What a user code asks for, for the operator's consent screen.
package struct DeviceRequest: Sendable {
    package var clientId: String
    package var clientName: String
    /// Each scope with its description.
    package var scopes: [String: String]
    package var status: PendingGrant.Status
    package var expiresAtMs: Int64
    /// The scopes in the order they were asked for, and the client, for the consent page.
    package var orderedScopes: [String] = []
    package var client: OAuthClient?
}

extension OAuthGrants {
    /// RFC 8628 §3.1: a device code for the client, and a user code naming one live request.
    package func startDevice(scopes requested: [String]?, _ caller: AuthenticatedClient, _ source: RequestSource)
        async throws -> DeviceAuthorization
    {
        let scopes = try clientScopes(caller.client, requested: requested)
        // A user code must name one live authorization; on the rare collision, draw again.
        var userCode = OAuthSecrets.makeUserCode()
        for _ in 0..<5 {
            guard let existing = try ledger.pendingGrant(userCodeSha256: Self.userCodeDigest(userCode)),
                !existing.isExpired(atMs: nowMs)
            else { break }
            userCode = OAuthSecrets.makeUserCode()
        }
        let deviceCode = OAuthSecrets.make()
        let command = StartDeviceAuthorization(
            deviceCodeSha256: OAuthSecrets.sha256Hex(deviceCode), userCodeSha256: Self.userCodeDigest(userCode),
            connectionId: Identifiers.make(now: ledger.clock()), clientId: caller.client.id, scopes: scopes,
            accessTokenLifetimeSec: settings.accessTokenLifetimeSec, intervalSec: settings.devicePollIntervalSec,
            expiresAtMs: nowMs + settings.deviceCodeLifetimeSec * 1000)
        if case .rejected(let rejection, _) = try await decide(
            .startDevice(command), source, actor: Self.clientActor(caller.client), userId: nil, action: .create)
        {
            throw OAuthRefusal.rejection(rejection)
        }
        let verificationUri = "\(tokens.issuer)/oauth/device"
        return DeviceAuthorization(
            deviceCode: deviceCode, userCode: userCode, verificationUri: verificationUri,
            verificationUriComplete: "\(verificationUri)?user_code=\(userCode)",
            expiresInSec: settings.deviceCodeLifetimeSec, intervalSec: settings.devicePollIntervalSec)
    }

    static func userCodeDigest(_ userCode: String) -> String {
        OAuthSecrets.sha256Hex(OAuthSecrets.normalizeUserCode(userCode) ?? userCode)
    }

    /// The live device authorization a user code names.
    private func pendingDevice(userCode entered: String?) throws -> PendingGrant {
        guard let entered, entered.utf8.count <= 32, let normalized = OAuthSecrets.normalizeUserCode(entered) else {
            throw OAuthRefusal.invalidRequest("user_code is required (eight letters, e.g. BCDF-GHJK)")
        }
        guard let pending = try ledger.pendingGrant(userCodeSha256: OAuthSecrets.sha256Hex(normalized)),
            pending.kind == .deviceCode
        else { throw OAuthRefusal(.notFound, "invalid_request", "no device authorization has this user code") }
        guard !pending.isExpired(atMs: nowMs) else {
            throw OAuthRefusal(.badRequest, "expired_token", "this user code has expired; start again on the device")
        }
        return pending
    }

    /// What the user code asks for, shown to the signed-in user before they answer.
    package func deviceRequest(userCode: String?, userToken: String?) async throws -> DeviceRequest {
        _ = try await user(token: userToken)
        return try deviceRequest(userCode: userCode)
    }

    /// The same, for a user the caller has already authenticated (a browser session).
    package func deviceRequest(userCode: String?) throws -> DeviceRequest {
        let pending = try pendingDevice(userCode: userCode)
        let client = try ledger.client(id: pending.clientId)
        return DeviceRequest(
            clientId: pending.clientId, clientName: client?.name ?? pending.clientId,
            scopes: Dictionary(
                uniqueKeysWithValues: pending.scopes.map { ($0, settings.scopes.descriptions[$0] ?? $0) }),
            status: pending.status, expiresAtMs: pending.expiresAtMs, orderedScopes: pending.scopes,
            client: client)
    }

    /// The user's answer (`approve`, `allow` or `deny`) with an optional budget. Answers the
    /// client the request came from.
    package func answerDevice(
        userCode: String?, action: String?, budget budgetText: String?, userToken: String?, _ source: RequestSource
    ) async throws -> (approved: Bool, clientId: String) {
        try await answerDevice(
            userCode: userCode, action: action, budget: budgetText, user: try await user(token: userToken), source)
    }

    /// The same, for a user the caller has already authenticated (a browser session).
    package func answerDevice(
        userCode: String?, action: String?, budget budgetText: String?, user: UserIdentity, _ source: RequestSource
    ) async throws -> (approved: Bool, clientId: String) {
        let pending = try pendingDevice(userCode: userCode)
        let approved: Bool
        switch action ?? "approve" {
        case "approve", "allow": approved = true
        case "deny": approved = false
        default: throw OAuthRefusal.invalidRequest("action must be approve or deny")
        }
        let budget: BudgetDefinition?
        do { budget = try nwc.grantBudget(budgetText) } catch { throw OAuthRefusal.invalidRequest(error.description) }
        let command = AnswerDeviceAuthorization(
            deviceCodeSha256: pending.codeSha256, connectionId: pending.connectionId, userId: user.subject,
            approved: approved, budget: budget, authTimeMs: (user.authTime ?? ledger.clock()).unixMs)
        if case .rejected(let rejection, _) = try await decide(
            .answerDevice(command), source, actor: Self.userActor(user), userId: user.subject, action: .update)
        {
            throw OAuthRefusal(.conflict, "invalid_request", rejection.message)
        }
        return (approved, pending.clientId)
    }
}
