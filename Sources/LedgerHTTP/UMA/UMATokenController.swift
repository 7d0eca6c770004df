import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore

/// `POST /umanwc/token` (seed 000): exchanges the operator's short-lived user JWT for a long-lived
/// connection token, recording `ConnectionGranted` and `TokenIssued` in one command. Errors use the
/// seed's `{"error": "..."}` shape so an unchanged NWC image reads them.
struct UMATokenController {
    let ledger: Ledger
    let authenticator: NWCAuthenticator
    let tokens: ConnectionTokens
    let settings: NWCSettings
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
        let now = ledger.clock()
        let nowMs = now.unixMs
        let nowSec = nowMs / 1000
        let scopes: [String]
        let budget: BudgetDefinition?
        do {
            scopes = try NWCPermissions.expand(body.permissions ?? [])
            budget = try settings.grantBudget(body.budget)
        } catch {
            throw Self.error(.badRequest, error.field == "permissions" ? error.reason : error.description)
        }
        let latest = nowSec + settings.tokenLifetimeMaxSec
        var requested = latest
        if let expiration = body.expiration {
            guard expiration.isFinite, expiration > 0 else {
                throw Self.error(.badRequest, "expiration must be unix seconds")
            }
            requested = expiration >= Double(latest) ? latest : Int64(expiration.rounded(.down))
        }
        let expiresAtSec = min(requested, latest)
        guard expiresAtSec > nowSec else {
            throw Self.error(.badRequest, "expiration must be in the future (unix seconds)")
        }

        let connectionId = Identifiers.make(now: now)
        let jti = Identifiers.make(now: now)
        let grant: GrantConnection
        do {
            grant = try GrantConnection(
                connectionId: connectionId, userId: user.subject, name: body.name ?? "UMA NWC connection",
                scopes: scopes, budget: budget, expiresAtSec: expiresAtSec,
                token: TokenGrant(jti: jti, kind: "uma_nwc", expiresAtSec: expiresAtSec), nowMs: nowMs)
        } catch {
            throw Self.error(.badRequest, error.description)
        }
        // Signed before the commit: if signing failed nothing would be recorded, and a token
        // whose jti never reached the log is refused anyway.
        let token = try await tokens.mint(
            ConnectionTokenClaims(
                subject: user.subject, issuer: tokens.issuer, audience: tokens.audience, issuedAt: now,
                expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAtSec)), jti: jti, address: user.address,
                scopes: scopes, connectionId: connectionId))
        let metadata = RequestMetadata.make(request, context: context, caller: .user(user), action: .create)
        let outcome = try await ledger.submit(
            try CommandEnvelope(ConnectionCommandHandler(.grant(grant)), metadata: metadata))
        guard case .accepted = outcome else {
            throw Self.error(.conflict, "the connection could not be recorded; retry")
        }
        return try JSONResponse.make(.ok, ExchangeResponse(token: token))
    }

    /// Seed 000's error body, `{"error": "..."}`, as an `APIError` the error middleware passes on.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> APIError {
        var error = APIError(status, code: status == .unauthorized ? "UNAUTHORIZED" : "OTHER", message: message)
        error.seedShape = true
        if status == .unauthorized { error.headers[.wwwAuthenticate] = #"Bearer realm="grantledger""# }
        return error
    }
}
