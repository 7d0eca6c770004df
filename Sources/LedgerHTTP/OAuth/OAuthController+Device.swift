import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore

extension OAuthController {
    struct DeviceAuthorizationJSON: Encodable {
        var deviceCode: String
        var userCode: String
        var verificationUri: String
        var verificationUriComplete: String
        var expiresIn: Int64
        var interval: Int64

        enum CodingKeys: String, CodingKey {
            case deviceCode = "device_code"
            case userCode = "user_code"
            case verificationUri = "verification_uri"
            case verificationUriComplete = "verification_uri_complete"
            case expiresIn = "expires_in"
            case interval
        }
    }

    /// RFC 8628 §3.1–3.2.
    @Sendable func deviceAuthorization(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        let caller = try ClientAuthentication.authenticate(request, form, ledger: ledger)
        let scopes = try requestedScopes(form) ?? caller.client.scopes
        guard caller.client.permits(scopes) else {
            throw OAuthError.invalidScope("the client may ask for: \(caller.client.scopes.joined(separator: " "))")
        }
        // A user code must name one live authorization; on the rare collision, draw again.
        var userCode = OAuthSecrets.makeUserCode()
        for _ in 0..<5 {
            guard let existing = try ledger.pendingGrant(userCodeSha256: Self.userCodeDigest(userCode)),
                !existing.isExpired(atMs: nowMs)
            else { break }
            userCode = OAuthSecrets.makeUserCode()
        }
        let deviceCode = OAuthSecrets.make()
        let outcome = try await submit(
            .startDevice(
                StartDeviceAuthorization(
                    deviceCodeSha256: OAuthSecrets.sha256Hex(deviceCode), userCodeSha256: Self.userCodeDigest(userCode),
                    connectionId: Identifiers.make(now: ledger.clock()), clientId: caller.client.id, scopes: scopes,
                    accessTokenLifetimeSec: settings.accessTokenLifetimeSec,
                    intervalSec: settings.devicePollIntervalSec,
                    expiresAtMs: nowMs + settings.deviceCodeLifetimeSec * 1000)),
            request, context, actor: Self.clientActor(caller.client), userId: nil, action: .create)
        if case .rejected(let rejection, _) = outcome { throw OAuthError.rejection(rejection) }
        let verification = "\(tokens.issuer)/oauth/device"
        return try JSONResponse.make(
            .ok,
            DeviceAuthorizationJSON(
                deviceCode: deviceCode, userCode: userCode, verificationUri: verification,
                verificationUriComplete: "\(verification)?user_code=\(userCode)",
                expiresIn: settings.deviceCodeLifetimeSec, interval: settings.devicePollIntervalSec),
            headers: [.cacheControl: "no-store"])
    }

    static func userCodeDigest(_ userCode: String) -> String {
        OAuthSecrets.sha256Hex(OAuthSecrets.normalizeUserCode(userCode) ?? userCode)
    }

    /// The live device authorization a user code names, for the signed-in user.
    private func pendingDevice(_ form: FormParameters) throws -> PendingGrant {
        guard let entered = form["user_code"], entered.utf8.count <= 32,
            let normalized = OAuthSecrets.normalizeUserCode(entered)
        else { throw OAuthError.invalidRequest("user_code is required (eight letters, e.g. BCDF-GHJK)") }
        guard let pending = try ledger.pendingGrant(userCodeSha256: OAuthSecrets.sha256Hex(normalized)),
            pending.kind == .deviceCode
        else { throw OAuthError(.notFound, "invalid_request", "no device authorization has this user code") }
        guard !pending.isExpired(atMs: nowMs) else {
            throw OAuthError(.badRequest, "expired_token", "this user code has expired; start again on the device")
        }
        return pending
    }

    struct DeviceInfoJSON: Encodable {
        var clientId: String
        var clientName: String
        var scopes: [String: String]
        var status: String
        var expiresAtMs: Int64

        enum CodingKeys: String, CodingKey {
            case clientId = "client_id"
            case clientName = "client_name"
            case scopes, status
            case expiresAtMs = "expires_at_ms"
        }
    }

    /// What a user code asks for, so the operator's consent screen can show it before the user answers.
    @Sendable func deviceInfo(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: true)
        _ = try await user(request, form)
        let pending = try pendingDevice(form)
        let client = try ledger.client(id: pending.clientId)
        return try JSONResponse.make(
            .ok,
            DeviceInfoJSON(
                clientId: pending.clientId, clientName: client?.name ?? pending.clientId,
                scopes: Dictionary(
                    uniqueKeysWithValues: pending.scopes.map { ($0, settings.scopes.descriptions[$0] ?? $0) }),
                status: pending.status.rawValue, expiresAtMs: pending.expiresAtMs),
            headers: [.cacheControl: "no-store"])
    }

    /// The user's answer: `user_code`, optional `action=deny`, optional `budget`.
    @Sendable func deviceVerify(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        let user = try await user(request, form)
        let pending = try pendingDevice(form)
        let approved: Bool
        switch form["action"] ?? "approve" {
        case "approve", "allow": approved = true
        case "deny": approved = false
        default: throw OAuthError.invalidRequest("action must be approve or deny")
        }
        let budget: BudgetDefinition?
        do { budget = try nwc.grantBudget(form["budget"]) } catch { throw OAuthError.invalidRequest(error.description) }
        let outcome = try await submit(
            .answerDevice(
                AnswerDeviceAuthorization(
                    deviceCodeSha256: pending.codeSha256, connectionId: pending.connectionId, userId: user.subject,
                    approved: approved, budget: budget)),
            request, context, actor: .init(id: "user:\(user.subject)", role: "user"), userId: user.subject,
            action: .update)
        if case .rejected(let rejection, _) = outcome {
            throw OAuthError(.conflict, "invalid_request", rejection.message)
        }
        return try JSONResponse.make(
            .ok, ["status": approved ? "approved" : "denied", "client_id": pending.clientId],
            headers: [.cacheControl: "no-store"])
    }
}
