import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore
import NIOCore

/// An OBP error on the wire: `{"code": <status>, "message": "OBP-…: …"}`, OBP-API's shape.
struct ObpErrorResponse: HTTPResponseError, Sendable {
    let error: ObpError
    var headers: HTTPFields = [:]

    var status: HTTPResponse.Status { HTTPResponse.Status(code: error.status) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONSerialization.data(
            withJSONObject: ["code": error.status, "message": error.message] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        if error.status == 401 {
            // OBP's challenge lists its schemes; ours are a bearer token and DAuth.
            headers[.wwwAuthenticate] = #"Bearer realm="grantledger-obp""#
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The OBP surface and the authorization check answer everything in OBP's shape, the router's
/// own refusals (404, 405, 413) and outages (503) included.
enum ObpErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let error as ObpError: return ObpErrorResponse(error: error)
        case let rejection as Rejection:
            return ObpErrorResponse(error: ObpError(rejection: rejection) ?? ObpError(.invalidValue, rejection.message))
        case let refusal as ScopedAccess.Refusal:
            return refusal.status == .unauthorized
                ? ObpErrorResponse(error: ObpError(.notLoggedIn, refusal.message))
                : ObpErrorResponse(error: ObpError(.missingRoles, refusal.message))
        case let error as LedgerError:
            var response = ObpErrorResponse(error: ObpError(.unavailable, APIError.ledger(error).message, status: 503))
            if error.code != .idempotencyKeyReused { response.headers[.retryAfter] = "1" }
            return response
        case let error as HTTPError:
            let code: ObpError.Code =
                switch error.status {
                case .notFound: .notFound
                case .methodNotAllowed: .methodNotAllowed
                case .contentTooLarge: .bodyTooLarge
                default: .invalidJson
                }
            var response = ObpErrorResponse(error: ObpError(code, status: error.status.code))
            response.headers = error.headers
            return response
        case let error as any HTTPResponseError where error.status.code < 500:
            return render(HTTPError(error.status))
        default:
            return nil
        }
    }

    static var unexpected: any HTTPResponseError { ObpErrorResponse(error: ObpError(.unknown, status: 500)) }
}
