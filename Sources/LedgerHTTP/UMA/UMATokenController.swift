import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore

/// `POST /umanwc/token` (seed 000): the token exchange (`TokenExchange`). Errors use the seed's
/// `{"error": "..."}` shape so an unchanged NWC image reads them.
struct UMATokenController {
    let tokenExchange: TokenExchange
    let authenticator: NWCAuthenticator
    let bodyBytesMax: Int

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        router.post("token", use: exchange)
        // The NWC server posts the exchange to its API base URL minus `/v1` plus `/token`; with
        // this alias one base URL (`…/umanwc/v1`) serves both.
        router.post("v1/token", use: exchange)
    }

    /// Unknown members are ignored here, unlike the admin API: the NWC image owns this request's
    /// shape, and a newer image adding a field must not break the exchange.
    struct ExchangeRequest: Decodable {
        var permissions: [String]?
        /// Unix seconds. A fraction is accepted and dropped: seed 000's Python sends
        /// `datetime.timestamp()`, a float.
        var expiration: Double?
        var budget: String?
        var name: String?
    }

    struct ExchangeResponse: Encodable {
        var token: String
    }

    @Sendable func exchange(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let user: UserIdentity
        do {
            user = try await authenticator.user(request)
        } catch let error as APIError {
            throw Self.error(.unauthorized, "Unauthorized: \(error.message)")
        }
        let body: ExchangeRequest
        do {
            body = try await JSONBody.decode(ExchangeRequest.self, from: request, bytesMax: bodyBytesMax).0
        } catch let error as APIError {
            throw Self.error(error.status, error.message)
        }
        do {
            let token = try await tokenExchange.exchange(
                TokenExchange.Request(
                    permissions: body.permissions, expirationSec: body.expiration, budget: body.budget, name: body.name),
                for: user, RequestMetadata.source(request, context: context))
            return try JSONResponse.make(.ok, ExchangeResponse(token: token))
        } catch TokenExchange.Refusal.invalid(let message) {
            throw Self.error(.badRequest, message)
        } catch TokenExchange.Refusal.notRecorded {
            throw Self.error(.conflict, "the connection could not be recorded; retry")
        }
    }

    /// Seed 000's error body, `{"error": "..."}`, as an `APIError` the error middleware passes on.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> APIError {
        var error = APIError(status, code: status == .unauthorized ? "UNAUTHORIZED" : "OTHER", message: message)
        error.seedShape = true
        if status == .unauthorized { error.headers[.wwwAuthenticate] = #"Bearer realm="grantledger""# }
        return error
    }
}
