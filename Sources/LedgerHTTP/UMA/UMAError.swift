import LedgerApp
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import LedgerWallet

/// The UMA Auth API's `ErrorResponse {code, message}` with NIP-47 codes, for the `/umanwc/v1` and
/// `/v1` surfaces. Statuses: 401 UNAUTHORIZED, 403 RESTRICTED, 402 QUOTA_EXCEEDED and
/// INSUFFICIENT_BALANCE (the caller must spend less), 404 NOT_FOUND, 429 RATE_LIMITED, 501
/// NOT_IMPLEMENTED, 400 for a payment that failed or input that is wrong.
enum UMAError {
    static func make(_ code: WalletError.Code, _ message: String) -> APIError {
        let status: HTTPResponse.Status =
            switch code {
            case .unauthorized: .unauthorized
            case .restricted: .forbidden
            case .quotaExceeded, .insufficientBalance: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
            case .notFound: .notFound
            case .rateLimited: .tooManyRequests
            case .notImplemented: .notImplemented
            case .internal: .badGateway
            case .paymentFailed, .other, .badRequest: .badRequest
            }
        // BAD_REQUEST is ours, not UMA's: callers of the spec see OTHER.
        let wireCode = code == .badRequest ? "OTHER" : code.rawValue
        var error = APIError(status, code: wireCode, message: message)
        if code == .unauthorized { error.headers[.wwwAuthenticate] = #"Bearer realm="grantledger""# }
        if code == .rateLimited { error.headers[.retryAfter] = "1" }
        return error
    }

    static func wallet(_ error: WalletError) -> APIError { make(error.code, error.message) }

    /// Hummingbird's own errors (no route, body too large, …) with UMA codes.
    static func fromHTTP(_ error: HTTPError) -> APIError {
        var apiError = APIError(
            error.status,
            code: error.status == .notFound ? "NOT_FOUND" : error.status.code < 500 ? "OTHER" : "INTERNAL",
            message: error.body ?? error.status.reasonPhrase)
        apiError.headers = error.headers
        return apiError
    }

    static func unauthorized(_ message: String) -> APIError { make(.unauthorized, message) }

    /// A use case's refusal, with its UMA code and status.
    static func refusal(_ refusal: UMARefusal) -> APIError {
        switch refusal {
        case .unauthorized(let message): make(.unauthorized, message)
        case .restricted(let message): make(.restricted, message)
        case .quotaExceeded(let message): make(.quotaExceeded, message)
        case .wallet(let error): wallet(error)
        case .invalid(let message): make(.badRequest, message)
        case .notFound(let message): make(.notFound, message)
        case .conflict(let message): APIError(.conflict, code: "OTHER", message: message)
        }
    }

    static func invalid(_ message: String) -> APIError { make(.badRequest, message) }

    static func denied(_ denial: SpendDenied) -> APIError {
        let code: WalletError.Code =
            switch denial.code {
            case .quotaExceeded: .quotaExceeded
            case .restricted: .restricted
            case .unauthorized: .unauthorized
            }
        return make(code, denial.message)
    }

    static func rejection(_ rejection: Rejection) -> APIError {
        switch rejection.code {
        case .notFound: return make(.notFound, rejection.message)
        case .alreadyRevoked, .expired: return make(.unauthorized, rejection.message)
        case .alreadyExists, .invalidState, .versionConflict:
            return APIError(.conflict, code: "OTHER", message: rejection.message)
        case .invalidCommand, .invalidGrant, .invalidScope, .unauthorizedClient, .authorizationPending, .accessDenied:
            return make(.badRequest, rejection.message)
        }
    }
}
