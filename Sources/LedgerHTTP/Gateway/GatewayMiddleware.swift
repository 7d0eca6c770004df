import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet
import Logging
import NIOCore

/// Seed 001's API gateway, with the budgets its README lists as a to-do. A request whose method
/// and path match the route table is checked here (token, then scope, then budget for payment
/// routes), recorded, and forwarded to the origin; anything else goes on to the router.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext

    let settings: GatewaySettings
    let access: AccessTokenCheck
    let spends: SpendService
    let holdTimeoutMs: Int64
    let bodyBytesMax: Int
    let logger: Logger

    var ledger: Ledger { access.ledger }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let route = settings.routes.match(method: request.method.rawValue, path: request.uri.path) else {
            return try await next(request, context)
        }
        guard let bearer = request.bearerToken else { throw BearerChallenge.missing }
        let authorized: AuthorizedAccess
        do {
            authorized = try await access.check(bearer)
        } catch {
            throw BearerChallenge.invalidToken(error.reason)
        }
        let metadata = RequestMetadata.make(
            request, context: context, actor: .init(id: "client:\(authorized.clientId)", role: "app"),
            onBehalfOf: authorized.connection.userId, action: route.spend == nil ? .read : .execute,
            subjectUserId: authorized.connection.userId)
        guard authorized.claims.scopes.contains(route.scope), authorized.connection.allows(route.scope) else {
            try await record(route, authorized, allowed: false, reason: "insufficient_scope", metadata: metadata)
            throw BearerChallenge.insufficientScope(route.scope)
        }
        let body = try await JSONBody.bytes(from: request, bytesMax: bodyBytesMax)
        let forward = { @Sendable () async throws -> GatewayForwardResponse in
            try await settings.forwarder.forward(
                request, headers: request.headers, body: body, userId: authorized.connection.userId,
                clientId: authorized.clientId, scopes: authorized.claims.scopes)
        }
        guard route.spend != nil else {
            // The audit records the decision before the origin sees the request.
            try await record(route, authorized, allowed: true, reason: nil, metadata: metadata)
            return try Self.response(try await forwardMapped(forward))
        }
        return try await pay(route, authorized, body: body, metadata: metadata, forward: forward)
    }

    /// Reserve against the grant's budget, forward, then settle from the origin's answer or release.
    /// The forward-and-settle runs in a task of its own: a caller hanging up must not stop the
    /// settle of money that moved.
    private func pay(
        _ route: GatewayRoute, _ authorized: AuthorizedAccess, body: Data, metadata: EventMetadata,
        forward: @escaping @Sendable () async throws -> GatewayForwardResponse
    ) async throws -> Response {
        let amountMsat: Int64
        do {
            guard let amount = try settings.routes.spendAmountMsat(route: route, body: body) else {
                throw OAuthError(.badRequest, "invalid_request", "the payment has no amount")
            }
            amountMsat = amount
        } catch let error as GatewaySpendError {
            throw OAuthError(.badRequest, "invalid_request", error.description)
        }
        let command: ReserveSpend
        do {
            command = try ReserveSpend(
                spendId: Identifiers.make(now: ledger.clock()), connectionId: authorized.connection.id,
                method: route.scope, amountMsat: amountMsat,
                feeReserveMsat: settings.feeReserve.reserveMsat(forAmountMsat: amountMsat),
                rate: await spends.budgetRate(authorized.connection), holdTimeoutMs: holdTimeoutMs)
        } catch {
            throw OAuthError(.badRequest, "invalid_request", error.description)
        }
        let reservation: SpendService.Reservation
        do {
            reservation = try await spends.reserve(command, metadata: metadata)
        } catch let error as APIError {
            switch error.code {
            case "QUOTA_EXCEEDED": throw OAuthError(.init(code: 402), "quota_exceeded", error.message)
            case "RESTRICTED": throw BearerChallenge.insufficientScope(route.scope)
            case "UNAUTHORIZED": throw BearerChallenge.invalidToken(error.message)
            default: throw OAuthError(error.status, "invalid_request", error.message)
            }
        }
        let spendId = reservation.event.spendId
        let reservedMsat = amountMsat + command.feeReserveMsat
        let settings = self.settings
        let spends = self.spends
        let logger = self.logger
        let task = Task { () async throws -> GatewayForwardResponse in
            let answer: GatewayForwardResponse
            do {
                answer = try await forward()
            } catch let error as GatewayForwardError where error.kind == .unreachable || error.kind == .invalidRequest {
                // Never reached the origin: nothing was paid.
                _ = try? await spends.release(ReleaseSpend(spendId: spendId, reason: .failed), metadata: metadata)
                throw OAuthError.origin(error)
            } catch {
                // The origin may have paid before the answer was lost: count the whole hold rather
                // than risk under-counting (an operator can reconcile downwards, never upwards).
                logger.warning(
                    "gateway payment outcome unknown; settling the full hold",
                    metadata: ["spend_id": "\(spendId)", "error": "\(error)"])
                _ = try? await spends.settle(
                    try SettleSpend(spendId: spendId, amountMsat: reservedMsat), metadata: metadata)
                throw (error as? GatewayForwardError).map(OAuthError.origin) ?? error
            }
            if (200..<300).contains(answer.status.code) {
                let cost = settings.routes.settledCost(
                    route: route, responseBody: Data(answer.body.readableBytesView), requestedMsat: amountMsat)
                do {
                    _ = try await spends.settle(
                        try SettleSpend.afterPayment(
                            spendId: spendId, amountMsat: cost.amountMsat, feeMsat: cost.feeMsat,
                            reservedAmountMsat: amountMsat, feeReserveMsat: command.feeReserveMsat),
                        metadata: metadata)
                    SpendService.count("settled")
                } catch {
                    logger.critical(
                        "gateway payment made but not settled",
                        metadata: ["spend_id": "\(spendId)", "error": "\(error)"])
                }
            } else {
                SpendService.count("failed")
                _ = try? await spends.release(ReleaseSpend(spendId: spendId, reason: .failed), metadata: metadata)
            }
            return answer
        }
        return try Self.response(try await task.value)
    }

    private func forwardMapped(_ forward: @Sendable () async throws -> GatewayForwardResponse) async throws
        -> GatewayForwardResponse
    {
        do {
            return try await forward()
        } catch let error as GatewayForwardError {
            throw OAuthError.origin(error)
        }
    }

    private func record(
        _ route: GatewayRoute, _ authorized: AuthorizedAccess, allowed: Bool, reason: String?, metadata: EventMetadata
    ) async throws {
        let event = GatewayAccessRecorded(
            connectionId: authorized.connection.id, clientId: authorized.clientId, jti: authorized.claims.jtiValue,
            method: route.method, route: route.path, scope: route.scope, allowed: allowed, reason: reason, atMs: 0)
        do {
            _ = try await ledger.submit(try CommandEnvelope(RecordGatewayAccess(event), metadata: metadata))
        } catch let error as LedgerError {
            throw OAuthError(.serviceUnavailable, "temporarily_unavailable", error.message)
        }
    }

    static func response(_ answer: GatewayForwardResponse) throws -> Response {
        Response(status: answer.status, headers: answer.headers, body: .init(byteBuffer: answer.body))
    }
}

extension OAuthError {
    /// The origin could not be reached or did not answer well: 502/504 `origin_<kind>`.
    static func origin(_ forwardError: GatewayForwardError) -> OAuthError {
        OAuthError(forwardError.suggestedStatus, "origin_" + forwardError.kind.rawValue, forwardError.message)
    }
}

extension GatewayForwarder {
    /// Forwards a request as it came in (its path, query, headers and the body already read),
    /// in the name of `userId`.
    func forward(
        _ request: Request, headers: HTTPFields, body: Data, userId: String, clientId: String, scopes: [String]
    ) async throws -> GatewayForwardResponse {
        try await forward(
            method: request.method,
            pathAndQuery: request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path,
            headers: headers, body: body.isEmpty ? nil : ByteBuffer(bytes: body), userId: userId, clientId: clientId,
            scopes: scopes)
    }
}
