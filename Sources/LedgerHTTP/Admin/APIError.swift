import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// Every error the admin and operations surfaces return: `{"code": "...", "message": "..."}`, the
/// shape UMA's `ErrorResponse` uses, with a 4xx status for anything the caller can fix.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]
    /// Answer `{"error": message}` (seed 000's token exchange) instead of `{code, message}`.
    package var seedShape = false

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try CanonicalJSON.encode(seedShape ? ["error": message] : ["code": code, "message": message])
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func badRequest(_ code: String = "invalid_request", _ message: String) -> APIError {
        APIError(.badRequest, code: code, message: message)
    }

    static func validation(_ error: ValidationError) -> APIError {
        APIError(.badRequest, code: "invalid_field", message: error.description)
    }

    static let unauthorized: APIError = {
        var error = APIError(
            .unauthorized, code: "unauthorized", message: "send the admin credential as Authorization: Bearer <token>")
        error.headers[.wwwAuthenticate] = #"Bearer realm="grantledger-admin""#
        return error
    }()

    static func rejection(_ rejection: Rejection) -> APIError {
        let status: HTTPResponse.Status =
            switch rejection.code {
            case .notFound: .notFound
            case .alreadyExists, .alreadyRevoked, .expired, .invalidState: .conflict
            case .versionConflict: .preconditionFailed
            case .invalidCommand: .unprocessableContent
            case .invalidGrant, .invalidScope, .unauthorizedClient, .authorizationPending, .accessDenied: .badRequest
            }
        return APIError(status, code: rejection.code.rawValue, message: rejection.message)
    }

    static func ledger(_ error: LedgerError) -> APIError {
        switch error.code {
        case .idempotencyKeyReused:
            return APIError(.unprocessableContent, code: error.code.rawValue, message: error.message)
        case .overloaded, .shuttingDown:
            var apiError = APIError(.serviceUnavailable, code: error.code.rawValue, message: error.message)
            apiError.headers[.retryAfter] = "1"
            return apiError
        case .storage:
            return APIError(
                .serviceUnavailable, code: "storage_unavailable", message: "the ledger could not commit; retry later")
        }
    }

    /// Hummingbird's own errors (no route, body too large, …) in our shape.
    static func from(_ error: HTTPError) -> APIError {
        let code =
            switch error.status {
            case .notFound: "not_found"
            case .methodNotAllowed: "method_not_allowed"
            case .contentTooLarge: "body_too_large"
            case .unsupportedMediaType: "unsupported_media_type"
            default: error.status.code < 500 ? "invalid_request" : "internal_error"
            }
        let message = error.body ?? error.status.reasonPhrase
        var apiError = APIError(error.status, code: code, message: message)
        apiError.headers = error.headers
        return apiError
    }
}
