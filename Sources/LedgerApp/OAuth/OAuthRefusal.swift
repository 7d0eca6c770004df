import LedgerCore
import LedgerStore

/// Why an OAuth endpoint says no, in RFC 6749 §5.2's terms (`error`, `error_description`), with
/// what the surface needs to answer it: the kind of status and the challenge a 401 carries.
package struct OAuthRefusal: Error, Sendable, Equatable {
    package enum Status: Sendable, Equatable {
        case badRequest, unauthorized, forbidden, notFound, conflict, tooManyRequests
        /// The ledger could not answer now; `retryAfterSec` when a retry soon is sensible.
        case unavailable(retryAfterSec: Int?)
    }

    /// The `WWW-Authenticate` challenge of a 401.
    package enum Challenge: Sendable, Equatable {
        case none
        /// The client tried HTTP Basic (RFC 6749 §5.2).
        case basic
        /// A user token was missing (`error` nil) or not valid (RFC 6750 §3).
        case bearer(error: String?)
    }

    package var status: Status
    package var error: String
    package var description: String
    package var challenge: Challenge = .none

    package init(_ status: Status = .badRequest, _ error: String, _ description: String, challenge: Challenge = .none) {
        self.status = status
        self.error = error
        self.description = description
        self.challenge = challenge
    }

    package static func invalidRequest(_ description: String) -> OAuthRefusal {
        OAuthRefusal(.badRequest, "invalid_request", description)
    }
    package static func invalidGrant(_ description: String) -> OAuthRefusal {
        OAuthRefusal(.badRequest, "invalid_grant", description)
    }
    package static func invalidScope(_ description: String) -> OAuthRefusal {
        OAuthRefusal(.badRequest, "invalid_scope", description)
    }
    package static func invalidClient(_ description: String, basic: Bool) -> OAuthRefusal {
        OAuthRefusal(.unauthorized, "invalid_client", description, challenge: basic ? .basic : .none)
    }
    package static func unauthorizedClient(_ description: String) -> OAuthRefusal {
        OAuthRefusal(.badRequest, "unauthorized_client", description)
    }

    /// The grant decider's refusal, in OAuth terms.
    package static func rejection(_ rejection: Rejection) -> OAuthRefusal {
        switch rejection.code {
        case .invalidScope: .invalidScope(rejection.message)
        case .unauthorizedClient: .unauthorizedClient(rejection.message)
        case .authorizationPending: OAuthRefusal(.badRequest, "authorization_pending", rejection.message)
        case .accessDenied: OAuthRefusal(.badRequest, "access_denied", rejection.message)
        default: .invalidGrant(rejection.message)
        }
    }

    /// A write the ledger could not take: busy or stopping is worth a retry in a second.
    package static func ledger(_ error: LedgerError) -> OAuthRefusal {
        switch error.code {
        case .overloaded, .shuttingDown:
            OAuthRefusal(.unavailable(retryAfterSec: 1), "temporarily_unavailable", error.message)
        default:
            OAuthRefusal(.unavailable(retryAfterSec: nil), "temporarily_unavailable", "the ledger could not commit; retry later")
        }
    }

    package static let unreadable = OAuthRefusal(
        .unavailable(retryAfterSec: nil), "temporarily_unavailable", "the ledger cannot be read")
}
