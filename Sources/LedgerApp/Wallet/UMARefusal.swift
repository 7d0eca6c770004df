import LedgerCore
import LedgerWallet

/// Why an operation of the UMA Auth API or the budget service was not done, as the NWC surfaces
/// answer it (`{code, message}` with NIP-47 codes): the domain's words, the HTTP layer's status.
package enum UMARefusal: Error, Sendable, Equatable {
    /// A credential that is missing, forged, expired or revoked.
    case unauthorized(String)
    /// The method is not in the connection's scopes, or the resource is another connection's.
    case restricted(String)
    /// Over budget: the recorded denial's words.
    case quotaExceeded(String)
    /// The wallet's own refusal, with its code.
    case wallet(WalletError)
    /// Input the operation cannot take.
    case invalid(String)
    case notFound(String)
    /// The target is in a state the operation does not apply to (settling twice), or the ledger's
    /// view moved meanwhile: retrying may succeed.
    case conflict(String)

    package static func denied(_ denial: SpendDenied) -> UMARefusal {
        switch denial.code {
        case .quotaExceeded: .quotaExceeded(denial.message)
        case .restricted: .restricted(denial.message)
        case .unauthorized: .unauthorized(denial.message)
        }
    }

    package static func rejected(_ rejection: Rejection) -> UMARefusal {
        switch rejection.code {
        case .notFound: .notFound(rejection.message)
        case .alreadyRevoked, .expired: .unauthorized(rejection.message)
        case .alreadyExists, .invalidState, .versionConflict: .conflict(rejection.message)
        case .invalidCommand, .invalidGrant, .invalidScope, .unauthorizedClient, .authorizationPending, .accessDenied:
            .invalid(rejection.message)
        }
    }

    package static func unpriced(_ refusal: BudgetPricing.CurrencyRefusal) -> UMARefusal {
        switch refusal {
        case .notACurrencyCode(let code): .invalid("'\(code)' is not a currency code (3 to 5 letters)")
        case .unpriced(let error): .wallet(error)
        }
    }
}
