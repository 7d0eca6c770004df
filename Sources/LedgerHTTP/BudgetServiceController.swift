import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet

/// The budget service for NWC wallet services that pay by themselves (`/v1`): reserve, settle and
/// release spends, read a connection's budget; users list and revoke their own connections.
/// Spends are authorized by the connection's own token or the admin credential.
struct BudgetServiceController {
    let ledger: Ledger
    let authenticator: NWCAuthenticator
    let spends: SpendService
    let wallet: any WalletBackend
    let settings: HTTPSettings

    func addRoutes(to router: Router<LedgerRequestContext>) {
        let v1 = router.group("v1")
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
        let caller = try await authorizedFor(connectionId: connectionId, request)
        let (body, raw) = try await UMABody.decode(ReserveRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        if body.estimatedBudgetAmount != nil {
            throw UMAError.invalid(
                "estimated_budget_amount is not taken: the ledger prices the hold itself, amount_msat + fee_reserve_msat in the budget's currency at the wallet's rate, rounded up"
            )
        }
        // The budget's currency decides which rate the hold is priced at; the decider checks it
        // is still the budget's currency when the reservation is made.
        var connection: Connection?
        if case .connection(let auth) = caller {
            connection = auth.connection
        } else {
            connection = try await ledger.connection(id: connectionId)
        }
        let rate: ConversionRate? = if let connection { await spends.budgetRate(connection) } else { nil }
        let command: ReserveSpend
        do {
            command = try ReserveSpend(
                spendId: Identifiers.make(now: ledger.clock()), connectionId: connectionId,
                method: body.method ?? NWCPermissions.payInvoice, amountMsat: body.amountMsat,
                feeReserveMsat: body.feeReserveMsat ?? 0, rate: rate, paymentHash: body.paymentHash,
                holdTimeoutMs: try Self.holdTimeoutMs(body.holdTimeoutSec) ?? spends.settings.holdTimeoutMs)
        } catch {
            throw UMAError.invalid(error.description)
        }
        let key = try RequestMetadata.idempotencyKey(request)
        let reservation = try await spends.reserve(
            command, metadata: metadata(request, context, caller), idempotencyKey: key,
            requestDigest: key.map { _ in RequestMetadata.requestDigest(request, body: raw) })
        // A fresh reservation is all in its event; a replayed one may have moved on since.
        var fresh = reservation.replayed ? nil : SpendDecider.evolve(nil, .reserved(reservation.event))
        if fresh == nil { fresh = try await ledger.spend(id: reservation.event.spendId) }
        guard let spend = fresh else { throw UMAError.make(.notFound, "the spend is gone") }
        var headers = HTTPFields()
        headers[.location] = "/v1/spends/\(spend.id)"
        if reservation.replayed { headers[.idempotentReplayed] = "true" }
        return try JSONResponse.make(.created, SpendJSON(spend), headers: headers)
    }

    @Sendable func showSpend(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let (spend, _) = try await authorizedSpend(request, context)
        return try JSONResponse.make(.ok, SpendJSON(spend))
    }

    @Sendable func settle(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let (spend, caller) = try await authorizedSpend(request, context)
        let (body, _) = try await UMABody.decode(SettleRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        if body.budgetAmount != nil {
            throw UMAError.invalid(
                "budget_amount is not taken: the ledger charges amount_msat + fee_msat in the budget's currency at the rate the reservation recorded, rounded up"
            )
        }
        let command: SettleSpend
        do {
            command = try SettleSpend(spendId: spend.id, amountMsat: body.amountMsat, feeMsat: body.feeMsat ?? 0)
        } catch {
            throw UMAError.invalid(error.description)
        }
        let outcome = try await spends.settle(
            command, metadata: metadata(request, context, caller),
            idempotencyKey: try RequestMetadata.idempotencyKey(request))
        return try await spendOutcome(outcome, before: spend)
    }

    @Sendable func release(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let (spend, caller) = try await authorizedSpend(request, context)
        var reason = SpendReleaseReason.released
        let expected = #"{} or {"reason": "released" | "failed"}"#
        if let text = try await UMABody.decodeIfPresent(
            ReleaseRequest.self, from: request, bytesMax: settings.bodyBytesMax, expected: expected)?.reason
        {
            guard let parsed = SpendReleaseReason(rawValue: text), parsed != .expired else {
                throw UMAError.invalid("reason must be released or failed")
            }
            reason = parsed
        }
        let outcome = try await spends.release(
            try ReleaseSpend(spendId: spend.id, reason: reason), metadata: metadata(request, context, caller),
            idempotencyKey: try RequestMetadata.idempotencyKey(request))
        return try await spendOutcome(outcome, before: spend)
    }

    @Sendable func budget(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let connectionId = try pathId(context)
        _ = try await authorizedFor(connectionId: connectionId, request)
        guard let status = try await ledger.budgetStatus(connectionId: connectionId) else {
            throw UMAError.make(.notFound, "no connection with id \(connectionId)")
        }
        return try JSONResponse.make(.ok, await BudgetJSON.make(status, wallet: wallet))
    }

    // MARK: A user's own connections

    @Sendable func listOwnConnections(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let user = try await authenticator.user(request)
        let query = QueryParameters(request: request)
        let limit = Int(try query.int64("limit", range: 1...Int64(settings.pageSizeMax)) ?? 100)
        let after = try query.string("after", maxLength: 64)
        let statuses = try await ledger.budgetStatuses(userId: user.subject, afterId: after, limit: limit)
        var rows: [ConnectionUsageJSON] = []
        for status in statuses {
            rows.append(
                ConnectionUsageJSON(
                    connection: ConnectionJSON(status.connection),
                    budget: await BudgetJSON.make(status, wallet: wallet),
                    settledTotalMsat: status.settledTotalMsat, lastSpendAtMs: status.lastSpendAtMs))
        }
        return try JSONResponse.make(
            .ok,
            OwnConnectionsJSON(
                connections: rows, nextAfter: statuses.count == limit ? statuses.last?.connection.id : nil))
    }

    @Sendable func revokeOwnConnection(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try pathId(context)
        if let token = request.bearerToken, authenticator.tokens.signedHere(String(token)) {
            throw UMAError.unauthorized(
                "revoking takes the user's short-lived token from the login system, not a connection token")
        }
        let user = try await authenticator.user(request)
        // Someone else's connection is answered exactly like a missing one.
        guard let connection = try await ledger.connection(id: id), connection.userId == user.subject else {
            throw UMAError.make(.notFound, "no connection with id \(id)")
        }
        let reason = request.uri.queryParameters["reason"].map { String($0).replacingOccurrences(of: "+", with: " ") }
        let command: RevokeConnection
        do {
            command = try RevokeConnection(connectionId: id, reason: reason ?? "revoked by the user")
        } catch {
            throw UMAError.invalid(error.description)
        }
        let outcome = try await ledger.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(.revoke(command)),
                metadata: RequestMetadata.make(request, context: context, caller: .user(user), action: .delete)))
        if case .rejected(let rejection, _) = outcome {
            throw rejection.code == .alreadyRevoked
                ? APIError(.conflict, code: "OTHER", message: rejection.message) : UMAError.rejection(rejection)
        }
        guard let revoked = try await ledger.connection(id: id) else { throw UMAError.make(.notFound, "gone") }
        return try JSONResponse.make(.ok, ConnectionJSON(revoked))
    }

    // MARK: Helpers

    /// Seconds as the request gives them, checked before they are multiplied into milliseconds.
    static func holdTimeoutMs(_ seconds: Int64?) throws(ValidationError) -> Int64? {
        guard let seconds else { return nil }
        let range = ReserveSpend.holdTimeoutMsRange
        guard (range.lowerBound / 1000...range.upperBound / 1000).contains(seconds) else {
            throw ValidationError(field: "hold_timeout_sec", reason: "must be 1 to 86400 seconds")
        }
        return seconds * 1000
    }

    private func pathId(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("id"), (1...64).contains(id.count) else {
            throw UMAError.make(.notFound, "no such resource")
        }
        return id
    }

    /// The admin, or the holder of a token for this very connection.
    private func authorizedFor(connectionId: String, _ request: Request) async throws -> Caller {
        let caller = try await authenticator.caller(request, allowUser: false)
        if case .connection(let auth) = caller, auth.connection.id != connectionId {
            throw UMAError.make(.restricted, "this token is for another connection")
        }
        return caller
    }

    private func authorizedSpend(_ request: Request, _ context: LedgerRequestContext) async throws -> (Spend, Caller) {
        let id = try pathId(context)
        let caller = try await authenticator.caller(request, allowUser: false)
        guard let spend = try await ledger.spend(id: id) else {
            throw UMAError.make(.notFound, "no spend with id \(id)")
        }
        if case .connection(let auth) = caller, auth.connection.id != spend.connectionId {
            throw UMAError.make(.notFound, "no spend with id \(id)")
        }
        return (spend, caller)
    }

    /// The spend after the command: folded from the events it appended, without reading back; a
    /// replayed command's spend is read, as it may have moved on since.
    private func spendOutcome(_ outcome: CommandOutcome, before: Spend) async throws -> Response {
        var spend: Spend?
        switch outcome {
        case .rejected(let rejection, _):
            throw UMAError.rejection(rejection)
        case .accepted(_, replayed: true):
            spend = try await ledger.spend(id: before.id)
        case .accepted(let events, replayed: false):
            spend = try events.compactMap { try SpendEvent($0.payload) }.reduce(before) { SpendDecider.evolve($0, $1) }
        }
        guard let spend else { throw UMAError.make(.notFound, "no spend with id \(before.id)") }
        var headers = HTTPFields()
        if outcome.isReplay { headers[.idempotentReplayed] = "true" }
        return try JSONResponse.make(.ok, SpendJSON(spend), headers: headers)
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
