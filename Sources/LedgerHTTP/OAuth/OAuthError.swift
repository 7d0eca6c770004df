import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// RFC 6749 §5.2 errors: `{"error", "error_description"}`, never cached. 401 `invalid_client`
/// carries a `WWW-Authenticate` challenge when the client tried HTTP Basic (§5.2).
struct OAuthError: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let error: String
    let description: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status = .badRequest, _ error: String, _ description: String) {
        self.status = status
        self.error = error
        self.description = description
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try CanonicalJSON.encode(["error": error, "error_description": description])
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func invalidRequest(_ description: String) -> OAuthError {
        OAuthError(.badRequest, "invalid_request", description)
    }
    static func invalidGrant(_ description: String) -> OAuthError {
        OAuthError(.badRequest, "invalid_grant", description)
    }
    static func invalidScope(_ description: String) -> OAuthError {
        OAuthError(.badRequest, "invalid_scope", description)
    }

    static func invalidClient(_ description: String, basic: Bool) -> OAuthError {
        var error = OAuthError(.unauthorized, "invalid_client", description)
        if basic { error.headers[.wwwAuthenticate] = #"Basic realm="grantledger""# }
        return error
    }

    static func ledger(_ error: LedgerError) -> OAuthError { OAuthError(.ledger(error)) }

    /// The use case's refusal, with the status and challenge it asks for.
    init(_ refusal: OAuthRefusal) {
        let status: HTTPResponse.Status
        switch refusal.status {
        case .badRequest: status = .badRequest
        case .unauthorized: status = .unauthorized
        case .notFound: status = .notFound
        case .conflict: status = .conflict
        case .forbidden: status = .forbidden
        case .tooManyRequests: status = .tooManyRequests
        case .unavailable(let retryAfterSec):
            status = .serviceUnavailable
            if let retryAfterSec { headers[.retryAfter] = String(retryAfterSec) }
        }
        self.status = status
        error = refusal.error
        description = refusal.description
        switch refusal.challenge {
        case .none: break
        case .basic: headers[.wwwAuthenticate] = #"Basic realm="grantledger""#
        case .bearer(nil): headers[.wwwAuthenticate] = #"Bearer realm="grantledger""#
        case .bearer(let error?): headers[.wwwAuthenticate] = #"Bearer realm="grantledger", error="\#(error)""#
        }
    }
}

extension OAuthError {
    /// The origin could not be reached or did not answer well: 502/504 `origin_<kind>`.
    static func origin(_ forwardError: GatewayForwardError) -> OAuthError {
        OAuthError(forwardError.suggestedStatus, "origin_" + forwardError.kind.rawValue, forwardError.message)
    }
}
