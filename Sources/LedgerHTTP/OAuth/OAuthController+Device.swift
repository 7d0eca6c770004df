import Hummingbird
import LedgerApp
import LedgerCore

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

        init(_ started: DeviceAuthorization) {
            deviceCode = started.deviceCode
            userCode = started.userCode
            verificationUri = started.verificationUri
            verificationUriComplete = started.verificationUriComplete
            expiresIn = started.expiresInSec
            interval = started.intervalSec
        }
    }

    /// RFC 8628 §3.1–3.2.
    @Sendable func deviceAuthorization(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await form(request, includeQuery: false)
        let caller = try grants.authenticate(try ClientCredentials.presented(request, form))
        let started = try await grants.startDevice(scopes: form.scopes, caller, Self.source(request, context))
        return try JSONResponse.make(.ok, DeviceAuthorizationJSON(started), headers: [.cacheControl: "no-store"])
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
        let form = try await form(request, includeQuery: true)
        if BrowserLogin.isBrowser(request, token: form["token"]) { return try await devicePage(request, form, context) }
        let asked = try await grants.deviceRequest(userCode: form["user_code"], userToken: Self.userToken(request, form))
        return try JSONResponse.make(
            .ok,
            DeviceInfoJSON(
                clientId: asked.clientId, clientName: asked.clientName, scopes: asked.scopes,
                status: asked.status.rawValue, expiresAtMs: asked.expiresAtMs),
            headers: [.cacheControl: "no-store"])
    }

    /// The user's answer: `user_code`, optional `action=deny`, optional `budget`.
    @Sendable func deviceVerify(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await form(request, includeQuery: false)
        if BrowserLogin.isBrowser(request, token: form["token"]) { return try await deviceAnswer(request, form, context) }
        let answer = try await grants.answerDevice(
            userCode: form["user_code"], action: form["action"], budget: form["budget"],
            userToken: Self.userToken(request, form), Self.source(request, context))
        return try JSONResponse.make(
            .ok, ["status": answer.approved ? "approved" : "denied", "client_id": answer.clientId],
            headers: [.cacheControl: "no-store"])
    }
}
