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
    /// The ledger could not be read; not the user's mistake.
    case unavailable
}

extension OAuthGrants {
    package func browserStep(
        _ valid: ValidAuthorization, session: BrowserSession?, prompt: String?, maxAgeSec: String?,
        sessionLifetimeSec: Int64
    ) -> BrowserAuthorizationStep {
        let prompts = Set((prompt ?? "").split(separator: " ").map(String.init))
        var loginTooOld = false
        if let session, let maxAge = maxAgeSec.flatMap(Int64.init) {
            // The session holds the login's time: the token's `iat`, else when the session began.
            let authTime =
                session.user.authTime ?? session.expiresAt.addingTimeInterval(-TimeInterval(sessionLifetimeSec))
            loginTooOld = ledger.clock().timeIntervalSince(authTime) > TimeInterval(max(0, maxAge))
        }
        if prompts.contains("none") {
            guard prompts.count == 1 else {
                return .refuse(
                    refused(valid.redirectUri, state: valid.state, "invalid_request", "prompt=none cannot be combined"))
            }
            let error = session == nil || loginTooOld ? "login_required" : "consent_required"
            return .refuse(refused(valid.redirectUri, state: valid.state, error, "prompt=none cannot show the page it needs"))
        }
        guard let session, !prompts.contains("login"), !loginTooOld else { return .login }
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
        } catch is OAuthRefusal {
            // Only a code that names nothing counts as a guess; a ledger failure is not one.
            sessions.recordWrongUserCode(session: session, address: address)
            return .notValid
        } catch {
            return .unavailable
        }
        return asked.status == .pending ? .asked(asked) : .alreadyAnswered
    }
}
