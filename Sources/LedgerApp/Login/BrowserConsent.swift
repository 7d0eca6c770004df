import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// What a person's browser is shown next for an authorization request that checked out
/// (OpenID Connect Core §3.1.2.1's `prompt` and `max_age`; no consent is remembered, so every
/// request with a session gets the consent page).
package enum BrowserAuthorizationStep: Sendable {
    /// Log in (again), then come back to the same request.
    case login
    /// Refused at the client's redirect URI without a page (`prompt=none`).
    case refuse(AuthorizationRedirect)
    case consent(BrowserSession)
}

/// What the device page shows for a typed user code.
package enum DeviceCodeLookup: Sendable {
    case asked(DeviceRequest)
    /// RFC 8628 §5.1: too many wrong codes from this session or address this minute.
    case tooManyWrongCodes
    case notValid
    case expired
    case alreadyAnswered
}

extension OAuthGrants {
    package func browserStep(
        _ valid: ValidAuthorization, session: BrowserSession?, prompt: String?, maxAgeSec: String?,
        sessionLifetimeSec: Int64
    ) -> BrowserAuthorizationStep {
        let prompts = Set((prompt ?? "").split(separator: " ").map(String.init))
        if prompts.contains("none") {
            let error = session == nil ? "login_required" : "consent_required"
            return .refuse(refused(valid.redirectUri, state: valid.state, error, "prompt=none cannot show the page it needs"))
        }
        guard let session, !prompts.contains("login") else { return .login }
        if let maxAge = maxAgeSec.flatMap(Int64.init) {
            // Without the login token's `iat`, the session's start stands in for the login time.
            let authTime =
                session.user.authTime ?? session.expiresAt.addingTimeInterval(-TimeInterval(sessionLifetimeSec))
            if ledger.clock().timeIntervalSince(authTime) > TimeInterval(max(0, maxAge)) { return .login }
        }
        return .consent(session)
    }

    /// A typed user code, counted against the session and address when wrong.
    package func lookUpDeviceCode(
        _ userCode: String, session: BrowserSession, address: String?, sessions: BrowserSessions
    ) -> DeviceCodeLookup {
        guard sessions.mayTryUserCode(session: session, address: address) else { return .tooManyWrongCodes }
        let asked: DeviceRequest
        do {
            asked = try deviceRequest(userCode: userCode)
        } catch let refusal as OAuthRefusal where refusal.error == "expired_token" {
            return .expired
        } catch {
            sessions.recordWrongUserCode(session: session, address: address)
            return .notValid
        }
        return asked.status == .pending ? .asked(asked) : .alreadyAnswered
    }
}
