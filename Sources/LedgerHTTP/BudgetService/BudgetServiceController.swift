import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore
import LedgerWallet

/// The budget service (`/v1`): decode, authenticate, call `BudgetService`, answer its JSON.
struct BudgetServiceController {
    let service: BudgetService
    let authenticator: NWCAuthenticator
    let settings: HTTPSettings

    func addRoutes(to v1: RouterGroup<LedgerRequestContext>) {
        v1.get("connections", use: listOwnConnections)
        v1.delete("connections/:id", use: revokeOwnConnection)
        v1.post("connections/:id/spends", use: reserve)
        v1.get("connections/:id/budget", use: budget)
        v1.get("spends/:id", use: showSpend)
        v1.post("spends/:id/settle", use: settle)
        v1.post("spends/:id/release", use: release)
    }

    struct ReserveRequest: Decodable {
        var amountMsat: Int64
        var feeReserveMsat: Int64?
        var method: String?
        var paymentHash: String?
        /// Not taken: kept only to say why.
        var estimatedBudgetAmount: Int64?
        var holdTimeoutSec: Int64?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case amountMsat = "amount_msat"
            case feeReserveMsat = "fee_reserve_msat"
            case method
            case paymentHash = "payment_hash"
            case estimatedBudgetAmount = "estimated_budget_amount"
            case holdTimeoutSec = "hold_timeout_sec"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            amountMsat = try c.decode(Int64.self, forKey: .amountMsat)
            feeReserveMsat = try c.decodeIfPresent(Int64.self, forKey: .feeReserveMsat)
            method = try c.decodeIfPresent(String.self, forKey: .method)
            paymentHash = try c.decodeIfPresent(String.self, forKey: .paymentHash)
            estimatedBudgetAmount = try c.decodeIfPresent(Int64.self, forKey: .estimatedBudgetAmount)
            holdTimeoutSec = try c.decodeIfPresent(Int64.self, forKey: .holdTimeoutSec)
        }
    }

    struct SettleRequest: Decodable {
        var amountMsat: Int64
        var feeMsat: Int64?
        /// Not taken: kept only to say why.
        var budgetAmount: Int64?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case amountMsat = "amount_msat"
            case feeMsat = "fee_msat"
            case budgetAmount = "budget_amount"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            amountMsat = try c.decode(Int64.self, forKey: .amountMsat)
            feeMsat = try c.decodeIfPresent(Int64.self, forKey: .feeMsat)
            budgetAmount = try c.decodeIfPresent(Int64.self, forKey: .budgetAmount)
        }
    }

    struct ReleaseRequest: Decodable {
        var reason: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case reason }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            reason = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .reason)
        }
    }

    // MARK: Spends

    @Sendable func reserve(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let connectionId = try pathId(context)
        let caller = try await authenticator.caller(request, allowUser: false)
        let (body, raw) = try await UMABody.decode(ReserveRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        if body.estimatedBudgetAmount != nil {
            throw UMAError.invalid(
                "estimated_budget_amount is not taken: the ledger prices the hold itself, amount_msat + fee_reserve_msat in the budget's currency at the wallet's rate, rounded up"
            )
        }
        let key = try RequestMetadata.idempotencyKey(request)
        let answer = try await service.reserve(
            caller, connectionId: connectionId,
            BudgetService.ReservationRequest(
                amountMsat: body.amountMsat, feeReserveMsat: body.feeReserveMsat ?? 0,
                method: body.method ?? NWCPermissions.payInvoice, paymentHash: body.paymentHash,
                holdTimeoutSec: body.holdTimeoutSec),
            WriteContext(
                metadata(request, context, caller), idempotencyKey: key,
                requestDigest: key.map { _ in RequestMetadata.requestDigest(request, body: raw) }))
        var headers = HTTPFields()
        headers[.location] = "/v1/spends/\(answer.spend.id)"
        if answer.replayed { headers[.idempotentReplayed] = "true" }
        return try JSONResponse.make(.created, SpendJSON(answer.spend), headers: headers)
    }

    @Sendable func showSpend(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await authenticator.caller(request, allowUser: false)
        return try JSONResponse.make(.ok, SpendJSON(try await service.show(caller, spendId: try pathId(context))))
    }

    @Sendable func settle(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await authenticator.caller(request, allowUser: false)
        let id = try pathId(context)
        let (body, raw) = try await UMABody.decode(SettleRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        if body.budgetAmount != nil {
            throw UMAError.invalid(
                "budget_amount is not taken: the ledger charges amount_msat + fee_msat in the budget's currency at the rate the reservation recorded, rounded up"
            )
        }
        let answer = try await service.settle(
            caller, spendId: id, amountMsat: body.amountMsat, feeMsat: body.feeMsat ?? 0,
            try write(request, context, caller, body: raw))
        return try spendAnswer(answer)
    }

    @Sendable func release(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await authenticator.caller(request, allowUser: false)
        let id = try pathId(context)
        var reason = SpendReleaseReason.released
        let expected = #"{} or {"reason": "released" | "failed"}"#
        if let text = try await UMABody.decodeIfPresent(
            ReleaseRequest.self, from: request, bytesMax: settings.bodyBytesMax, expected: expected)?.reason
        {
            guard let parsed = SpendReleaseReason(rawValue: text) else {
                throw UMAError.invalid("reason must be released or failed")
            }
            reason = parsed
        }
        let answer = try await service.release(
            caller, spendId: id, reason: reason, try write(request, context, caller, body: Data(reason.rawValue.utf8)))
        return try spendAnswer(answer)
    }

    @Sendable func budget(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await authenticator.caller(request, allowUser: false)
        return try JSONResponse.make(.ok, BudgetJSON(try await service.budget(caller, connectionId: try pathId(context))))
    }

    // MARK: A user's own connections

    @Sendable func listOwnConnections(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let user = try await authenticator.user(request)
        let query = QueryParameters(request: request)
        let limit = Int(try query.int64("limit", range: 1...Int64(settings.pageSizeMax)) ?? 100)
        let after = try query.string("after", maxLength: 64)
        let rows = try await service.ownConnections(user, afterId: after, limit: limit)
        return try JSONResponse.make(
            .ok,
            OwnConnectionsJSON(
                connections: rows.map {
                    ConnectionUsageJSON(
                        connection: ConnectionJSON($0.status.connection), budget: BudgetJSON($0.figures),
                        settledTotalMsat: $0.status.settledTotalMsat, lastSpendAtMs: $0.status.lastSpendAtMs)
                },
                nextAfter: rows.count == limit ? rows.last?.status.connection.id : nil))
    }

    @Sendable func revokeOwnConnection(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try pathId(context)
        if let token = request.bearerToken, authenticator.access.signedHere(String(token)) {
            throw UMAError.unauthorized(
                "revoking takes the user's short-lived token from the login system, not a connection token")
        }
        let user = try await authenticator.user(request)
        let reason = request.uri.queryParameters["reason"].map { String($0).replacingOccurrences(of: "+", with: " ") }
        let revoked = try await service.revokeOwn(
            user, connectionId: id, reason: reason,
            WriteContext(RequestMetadata.make(request, context: context, caller: .user(user), action: .delete)))
        return try JSONResponse.make(.ok, ConnectionJSON(revoked))
    }

    // MARK: Helpers

    private func pathId(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("id"), (1...64).contains(id.count) else {
            throw UMAError.make(.notFound, "no such resource")
        }
        return id
    }

    private func spendAnswer(_ answer: BudgetService.SpendAnswer) throws -> Response {
        var headers = HTTPFields()
        if answer.replayed { headers[.idempotentReplayed] = "true" }
        return try JSONResponse.make(.ok, SpendJSON(answer.spend), headers: headers)
    }

    /// The write's envelope; under an `Idempotency-Key`, with the digest of the request (method, path
    /// and `body`), so the key reused for another request is refused.
    private func write(_ request: Request, _ context: LedgerRequestContext, _ caller: Caller, body: Data) throws
        -> WriteContext
    {
        let key = try RequestMetadata.idempotencyKey(request)
        return WriteContext(
            metadata(request, context, caller), idempotencyKey: key,
            requestDigest: key.map { _ in RequestMetadata.requestDigest(request, body: body) })
    }

    private func metadata(_ request: Request, _ context: LedgerRequestContext, _ caller: Caller) -> EventMetadata {
        RequestMetadata.make(request, context: context, caller: caller, action: .execute)
    }
}

struct OwnConnectionsJSON: Encodable, Sendable {
    var connections: [ConnectionUsageJSON]
    var nextAfter: String?

    enum CodingKeys: String, CodingKey {
        case connections
        case nextAfter = "next_after"
    }
}
