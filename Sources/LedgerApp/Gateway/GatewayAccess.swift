import Foundation
import HTTPTypes
import LedgerAuth
import LedgerCore
import LedgerStore
import Logging
import NIOCore

/// Seed 001's API gateway, with the budgets its README lists as a to-do: for a route of the table,
/// the token, then the scope, then (payment routes) the one payment saga around the origin's call;
/// every scope decision recorded before the origin sees the request.
package struct GatewayAccess: Sendable {
    package let settings: GatewaySettings
    package let tokens: AccessTokenCheck
    package let saga: PaymentSaga

    package init(settings: GatewaySettings, tokens: AccessTokenCheck, saga: PaymentSaga) {
        self.settings = settings
        self.tokens = tokens
        self.saga = saga
    }

    var ledger: Ledger { tokens.ledger }

    /// What the caller sent, as the origin will get it.
    package struct Call: Sendable {
        package var method: HTTPRequest.Method
        package var pathAndQuery: String
        package var headers: HTTPFields
        package var body: Data

        package init(method: HTTPRequest.Method, pathAndQuery: String, headers: HTTPFields, body: Data) {
            self.method = method
            self.pathAndQuery = pathAndQuery
            self.headers = headers
            self.body = body
        }
    }

    /// Why the gateway answered instead of the origin (RFC 6750 challenges, 402, 400, 502/504).
    package enum Refusal: Error, Sendable, Equatable {
        case missingToken
        case invalidToken(String)
        case insufficientScope(String)
        case quotaExceeded(String)
        case invalidRequest(String)
        /// The origin could not be reached or did not answer well.
        case origin(GatewayForwardError)
        /// The ledger refused to decide now (the budget changed meanwhile): retry.
        case conflict(String)
    }

    /// Everything for one call of `route`; the origin's answer, whatever its status, or a refusal.
    /// `metadata` is built by the caller once the token is known (its actor is the client).
    package func handle(
        _ route: GatewayRoute, bearer: String?, _ call: Call,
        metadata: @Sendable (AuthorizedAccess) -> EventMetadata
    ) async throws -> GatewayForwardResponse {
        guard let bearer else { throw Refusal.missingToken }
        let authorized: AuthorizedAccess
        do {
            authorized = try await tokens.check(bearer)
        } catch {
            throw Refusal.invalidToken(error.reason)
        }
        let meta = metadata(authorized)
        guard authorized.claims.scopes.contains(route.scope), authorized.connection.allows(route.scope) else {
            try await record(route, authorized, allowed: false, reason: "insufficient_scope", meta)
            throw Refusal.insufficientScope(route.scope)
        }
        guard route.spend != nil else {
            // The audit records the decision before the origin sees the request.
            try await record(route, authorized, allowed: true, reason: nil, meta)
            do {
                return try await forward(call, authorized)
            } catch let error as GatewayForwardError {
                throw Refusal.origin(error)
            }
        }
        return try await pay(route, authorized, call, meta)
    }

    /// Reserve against the grant's budget, forward, then settle from the origin's answer, release
    /// when it did not pay, or settle the whole hold when nobody knows.
    private func pay(
        _ route: GatewayRoute, _ authorized: AuthorizedAccess, _ call: Call, _ metadata: EventMetadata
    ) async throws -> GatewayForwardResponse {
        let amountMsat: Int64
        do {
            guard let amount = try settings.routes.spendAmountMsat(route: route, body: call.body) else {
                throw Refusal.invalidRequest("the payment has no amount")
            }
            amountMsat = amount
        } catch let error as GatewaySpendError {
            throw Refusal.invalidRequest(error.description)
        }
        let payment = PaymentSaga.Payment(
            connection: authorized.connection, method: route.scope, amountMsat: amountMsat,
            feeReserveMsat: settings.feeReserve.reserveMsat(forAmountMsat: amountMsat), paymentHash: nil,
            answerCurrencyCode: nil, context: WriteContext(metadata))
        let settings = self.settings
        let outcome = try await saga.pay(payment) {
            () -> PaymentSaga.Attempt<GatewayForwardResponse, GatewayFailure> in
            do {
                let answer = try await forward(call, authorized)
                guard (200..<300).contains(answer.status.code) else { return .notPaid(.answered(answer)) }
                let cost = settings.routes.settledCost(
                    route: route, responseBody: Data(answer.body.readableBytesView), requestedMsat: amountMsat)
                return .paid(amountMsat: cost.amountMsat, feeMsat: cost.feeMsat, answer)
            } catch let error as GatewayForwardError where error.kind == .unreachable || error.kind == .invalidRequest {
                // Never reached the origin: nothing was paid.
                return .notPaid(.forward(error))
            } catch let error as GatewayForwardError {
                // The origin may have paid before the answer was lost.
                return .unknown(.forward(error))
            } catch {
                return .unknown(.forward(GatewayForwardError(.connectionLost, "\(error)")))
            }
        }
        switch outcome {
        case .paid(let answer, _), .notPaid(.answered(let answer)): return answer
        case .notPaid(.forward(let error)), .unknown(.forward(let error)): throw Refusal.origin(error)
        case .unknown(.answered(let answer)): return answer
        case .denied(let denial):
            switch denial.code {
            case .quotaExceeded: throw Refusal.quotaExceeded(denial.message)
            case .restricted: throw Refusal.insufficientScope(route.scope)
            case .unauthorized: throw Refusal.invalidToken(denial.message)
            }
        case .rejected(let rejection): throw Refusal.conflict(rejection.message)
        case .invalid(let error): throw Refusal.invalidRequest(error.description)
        case .unpricedCurrency: throw Refusal.invalidRequest("the payment cannot be priced")
        }
    }

    /// What a payment call to the origin ended in, when it did not pay.
    package enum GatewayFailure: Sendable {
        /// The origin answered, not 2xx: its answer goes back as it is.
        case answered(GatewayForwardResponse)
        case forward(GatewayForwardError)
    }

    private func forward(_ call: Call, _ authorized: AuthorizedAccess) async throws -> GatewayForwardResponse {
        try await settings.forwarder.forward(
            method: call.method, pathAndQuery: call.pathAndQuery, headers: call.headers,
            body: call.body.isEmpty ? nil : ByteBuffer(bytes: call.body), userId: authorized.connection.userId,
            clientId: authorized.clientId, scopes: authorized.claims.scopes)
    }

    private func record(
        _ route: GatewayRoute, _ authorized: AuthorizedAccess, allowed: Bool, reason: String?,
        _ metadata: EventMetadata
    ) async throws {
        let event = GatewayAccessRecorded(
            connectionId: authorized.connection.id, clientId: authorized.clientId, jti: authorized.claims.jtiValue,
            method: route.method, route: route.path, scope: route.scope, allowed: allowed, reason: reason, atMs: 0)
        try await ledger.recordGatewayAccess(event, WriteContext(metadata))
    }
}
