import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet

/// The budget service for NWC wallet services that pay by themselves (`/v1`): reserve, settle and
/// release spends against a connection's budget, read it; users list and revoke their own
/// connections. Spends are the admin's or the connection's own. Prices are the ledger's (holds and
/// charges in the budget's currency at the wallet's rate): callers give msat only.
package struct BudgetService: Sendable {
    package let ledger: Ledger
    package let pricing: BudgetPricing
    package let holdTimeoutMs: Int64

    package init(ledger: Ledger, pricing: BudgetPricing, holdTimeoutMs: Int64) {
        self.ledger = ledger
        self.pricing = pricing
        self.holdTimeoutMs = holdTimeoutMs
    }

    /// A reservation as a wallet service asks for it, in msat.
    package struct ReservationRequest: Sendable {
        package var amountMsat: Int64
        package var feeReserveMsat: Int64
        package var method: String
        package var paymentHash: String?
        package var holdTimeoutSec: Int64?

        package init(
            amountMsat: Int64, feeReserveMsat: Int64 = 0, method: String = NWCPermissions.payInvoice,
            paymentHash: String? = nil, holdTimeoutSec: Int64? = nil
        ) {
            self.amountMsat = amountMsat
            self.feeReserveMsat = feeReserveMsat
            self.method = method
            self.paymentHash = paymentHash
            self.holdTimeoutSec = holdTimeoutSec
        }
    }

    /// A spend as it stands after the command, and whether an idempotency key replayed it.
    package struct SpendAnswer: Sendable {
        package var spend: Spend
        package var replayed: Bool
    }

    // MARK: Spends

    package func reserve(
        _ caller: Caller, connectionId: String, _ request: ReservationRequest, _ context: WriteContext
    ) async throws -> SpendAnswer {
        try ownConnection(caller, connectionId)
        // The budget's currency decides the rate the hold is priced at; the decider checks it is
        // still the budget's currency when the reservation is made.
        let connection: Connection? =
            if case .connection(let auth) = caller { auth.connection } else { try await ledger.connection(id: connectionId) }
        let rate: ConversionRate? = if let connection { await pricing.budgetRate(connection) } else { nil }
        let command: ReserveSpend
        do {
            command = try ReserveSpend(
                spendId: Identifiers.make(now: ledger.clock()), connectionId: connectionId, method: request.method,
                amountMsat: request.amountMsat, feeReserveMsat: request.feeReserveMsat, rate: rate,
                paymentHash: request.paymentHash,
                holdTimeoutMs: try Self.holdTimeoutMs(request.holdTimeoutSec) ?? holdTimeoutMs)
        } catch {
            throw UMARefusal.invalid(error.description)
        }
        switch try await ledger.reserveSpend(command, context) {
        case .reserved(let reserved, _, let replayed):
            if !replayed { PaymentSaga.count("reserved") }
            // A fresh reservation is all in its event; a replayed one may have moved on since.
            if !replayed, let spend = SpendDecider.evolve(nil, .reserved(reserved)) {
                return SpendAnswer(spend: spend, replayed: false)
            }
            return SpendAnswer(spend: try await spend(reserved.spendId), replayed: true)
        case .denied(let denied, let replayed):
            if !replayed { PaymentSaga.count("denied") }
            throw UMARefusal.denied(denied)
        case .rejected(let rejection, _):
            throw UMARefusal.rejected(rejection)
        }
    }

    package func show(_ caller: Caller, spendId: String) async throws -> Spend {
        try await ownSpend(caller, spendId)
    }

    package func settle(
        _ caller: Caller, spendId: String, amountMsat: Int64, feeMsat: Int64, _ context: WriteContext
    ) async throws -> SpendAnswer {
        let before = try await ownSpend(caller, spendId)
        let command: SettleSpend
        do {
            command = try SettleSpend(spendId: before.id, amountMsat: amountMsat, feeMsat: feeMsat)
        } catch {
            throw UMARefusal.invalid(error.description)
        }
        return try await after(ledger.settleSpend(command, context), before)
    }

    /// `released` or `failed`; `expired` is the sweeper's alone.
    package func release(_ caller: Caller, spendId: String, reason: SpendReleaseReason, _ context: WriteContext)
        async throws -> SpendAnswer
    {
        guard reason != .expired else { throw UMARefusal.invalid("reason must be released or failed") }
        let before = try await ownSpend(caller, spendId)
        let command: ReleaseSpend
        do {
            command = try ReleaseSpend(spendId: before.id, reason: reason)
        } catch {
            throw UMARefusal.invalid(error.description)
        }
        return try await after(ledger.releaseSpend(command, context), before)
    }

    // MARK: Budgets and a user's own connections

    package func budget(_ caller: Caller, connectionId: String) async throws -> BudgetFigures {
        try ownConnection(caller, connectionId)
        guard let status = try await ledger.budgetStatus(connectionId: connectionId) else {
            throw UMARefusal.notFound("no connection with id \(connectionId)")
        }
        return await BudgetFigures.make(status, wallet: pricing.wallet)
    }

    package func ownConnections(_ user: UserIdentity, afterId: String?, limit: Int) async throws
        -> [(status: BudgetStatus, figures: BudgetFigures)]
    {
        var rows: [(status: BudgetStatus, figures: BudgetFigures)] = []
        for status in try await ledger.budgetStatuses(userId: user.subject, afterId: afterId, limit: limit) {
            rows.append((status, await BudgetFigures.make(status, wallet: pricing.wallet)))
        }
        return rows
    }

    /// Revocation takes the user's own short-lived token; someone else's connection is answered
    /// exactly like a missing one.
    package func revokeOwn(_ user: UserIdentity, connectionId: String, reason: String?, _ context: WriteContext)
        async throws -> Connection
    {
        guard let connection = try await ledger.connection(id: connectionId), connection.userId == user.subject else {
            throw UMARefusal.notFound("no connection with id \(connectionId)")
        }
        let command: RevokeConnection
        do {
            command = try RevokeConnection(connectionId: connection.id, reason: reason ?? "revoked by the user")
        } catch {
            throw UMARefusal.invalid(error.description)
        }
        switch try await ledger.revokeConnection(command, context) {
        case .rejected(let rejection, _) where rejection.code == .alreadyRevoked:
            throw UMARefusal.conflict(rejection.message)
        case .rejected(let rejection, _):
            throw UMARefusal.rejected(rejection)
        case .recorded(let events, _):
            let revoked = events.reduce(connection as Connection?) { current, event in
                ConnectionDecider.evolve(current, event, version: connection.version + 1)
            }
            guard let revoked else { throw UMARefusal.notFound("no connection with id \(connectionId)") }
            return revoked
        }
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

    /// The admin, or the holder of a token for this very connection.
    private func ownConnection(_ caller: Caller, _ connectionId: String) throws(UMARefusal) {
        if case .connection(let auth) = caller, auth.connection.id != connectionId {
            throw .restricted("this token is for another connection")
        }
        if case .user = caller { throw .unauthorized("the budget service takes a connection token or the admin credential") }
    }

    /// Another connection's spend is answered exactly like a missing one.
    private func ownSpend(_ caller: Caller, _ spendId: String) async throws -> Spend {
        guard let spend = try await ledger.spend(id: spendId) else {
            throw UMARefusal.notFound("no spend with id \(spendId)")
        }
        if case .connection(let auth) = caller, auth.connection.id != spend.connectionId {
            throw UMARefusal.notFound("no spend with id \(spendId)")
        }
        if case .user = caller { throw UMARefusal.unauthorized("the budget service takes a connection token or the admin credential") }
        return spend
    }

    private func spend(_ id: String) async throws -> Spend {
        guard let spend = try await ledger.spend(id: id) else { throw UMARefusal.notFound("no spend with id \(id)") }
        return spend
    }

    /// The spend after the command: folded from the events it appended, without reading back; a
    /// replayed command's spend is read, as it may have moved on since.
    private func after(_ decision: Decision<SpendEvent>, _ before: Spend) async throws -> SpendAnswer {
        switch decision {
        case .rejected(let rejection, _): throw UMARefusal.rejected(rejection)
        case .recorded(_, replayed: true): return SpendAnswer(spend: try await spend(before.id), replayed: true)
        case .recorded(let events, replayed: false):
            guard let spend = events.reduce(before as Spend?, { SpendDecider.evolve($0, $1) }) else {
                throw UMARefusal.notFound("no spend with id \(before.id)")
            }
            return SpendAnswer(spend: spend, replayed: false)
        }
    }
}

/// A budget's figures as `get_budget` shows them: msat for all (fiat converted at the wallet's
/// rate: used rounded up, the total down, so neither shows more room than there is), and for fiat
/// budgets the currency's own units and description.
package struct BudgetFigures: Sendable, Equatable {
    package var usedMsat: Int64?
    package var totalMsat: Int64?
    package var renewsAtSec: Int64?
    package var renewalPeriod: String?
    package var currency: CurrencyFigures?

    package struct CurrencyFigures: Sendable, Equatable {
        package var code: String
        package var description: Currency?
        package var totalUnits: Int64
        package var usedUnits: Int64
    }

    /// No budget: `{}`.
    package static let none = BudgetFigures()

    package static func make(_ status: BudgetStatus, wallet: any WalletBackend) async -> BudgetFigures {
        guard let budget = status.connection.budget else { return .none }
        var figures = BudgetFigures(
            renewsAtSec: status.cycle?.endMs.map { $0 / 1000 }, renewalPeriod: budget.period.rawValue)
        let used = status.usage.usedUnits
        if budget.isBitcoin {
            figures.usedMsat = used
            figures.totalMsat = budget.limitUnits
        } else {
            let rate = try? await wallet.conversionRate(currencyCode: budget.currency)
            figures.usedMsat = rate?.msatRoundingUp(units: used)
            figures.totalMsat = rate?.msatRoundingDown(units: budget.limitUnits)
            figures.currency = CurrencyFigures(
                code: budget.currency, description: await wallet.currency(code: budget.currency),
                totalUnits: budget.limitUnits, usedUnits: used)
        }
        return figures
    }
}
