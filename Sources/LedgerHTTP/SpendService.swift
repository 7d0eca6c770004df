import Foundation
import LedgerCore
import LedgerStore
import LedgerWallet
import Logging
import Metrics

/// Two-phase spending over the ledger (DESIGN §7): reserve, let the wallet pay, then settle with
/// what it cost or release the hold. Shared by the UMA Auth API and the budget service.
struct SpendService: Sendable {
    let ledger: Ledger
    let wallet: any WalletBackend
    let settings: NWCSettings
    let logger: Logger

    /// Settling after a payment went through must not be lost to a momentarily full queue.
    static let settleAttemptsMax = 8

    /// Spend outcomes for `/metrics`: a rising `denied` or `failed` rate is what an operator watches.
    static let counters: [String: Counter] = Dictionary(
        uniqueKeysWithValues: ["reserved", "denied", "settled", "failed"].map {
            ($0, Counter(label: "nwc_spends_total", dimensions: [("outcome", $0)]))
        })

    static func count(_ outcome: String) { counters[outcome]?.increment() }

    struct Reservation: Sendable {
        var event: SpendReserved
        var replayed: Bool
    }

    /// For fiat budgets, what `amountMsat` costs in the budget currency, by the wallet's estimate.
    func estimatedUnits(_ connection: Connection, amountMsat: Int64) async throws -> Int64? {
        guard let budget = connection.budget, !budget.isBitcoin else { return nil }
        do {
            return try await wallet.budgetEstimate(
                sendingCurrencyCode: "SAT", sendingCurrencyAmount: (amountMsat + 999) / 1000,
                budgetCurrencyCode: budget.currency)
        } catch {
            throw UMAError.wallet(error)
        }
    }

    func reserve(
        _ command: ReserveSpend, metadata: EventMetadata, idempotencyKey: String? = nil, requestDigest: String? = nil
    ) async throws -> Reservation {
        let outcome = try await ledger.submit(
            try CommandEnvelope(
                SpendCommandHandler(.reserve(command)), metadata: metadata, idempotencyKey: idempotencyKey,
                requestDigest: requestDigest))
        switch outcome {
        case .rejected(let rejection, _):
            throw UMAError.rejection(rejection)
        case .accepted(let events, let replayed):
            guard let first = events.first, let event = try SpendEvent(first.payload) else {
                throw UMAError.make(.internal, "the reservation recorded nothing")
            }
            switch event {
            case .reserved(let reserved):
                if !replayed { Self.count("reserved") }
                return Reservation(event: reserved, replayed: replayed)
            case .denied(let denied):
                if !replayed { Self.count("denied") }
                throw UMAError.denied(denied)
            default: throw UMAError.make(.internal, "unexpected \(first.type)")
            }
        }
    }

    func settle(_ command: SettleSpend, metadata: EventMetadata, idempotencyKey: String? = nil) async throws
        -> CommandOutcome
    {
        var attempt = 0
        while true {
            do {
                return try await ledger.submit(
                    try CommandEnvelope(
                        SpendCommandHandler(.settle(command)), metadata: metadata, idempotencyKey: idempotencyKey))
            } catch let error as LedgerError where error.code == .overloaded && attempt < Self.settleAttemptsMax {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(25 << min(attempt, 6)))
            }
        }
    }

    func release(_ command: ReleaseSpend, metadata: EventMetadata, idempotencyKey: String? = nil) async throws
        -> CommandOutcome
    {
        try await ledger.submit(
            try CommandEnvelope(
                SpendCommandHandler(.release(command)), metadata: metadata, idempotencyKey: idempotencyKey))
    }

    /// Reserve → pay → settle, or release when the wallet says the payment failed. Runs in a task
    /// of its own: a client hanging up mid-payment must not cancel the settle of money that moved.
    func pay(
        _ auth: AuthorizedConnection, method: String, amountMsat: Int64, paymentHash: String?,
        metadata: EventMetadata, execute: @escaping @Sendable () async throws(WalletError) -> PaymentResult
    ) async throws -> (result: PaymentResult, chargedUnits: Int64?) {
        let paid = try await pay(
            auth, method: method, amountMsat: amountMsat, paymentHash: paymentHash, metadata: metadata
        ) { () async throws(WalletError) in (try await execute(), ()) }
        return (paid.result, paid.chargedUnits)
    }

    /// The same, for a wallet call that also hands back a receipt of its own (a lud16 payment's quote).
    func pay<Receipt: Sendable>(
        _ auth: AuthorizedConnection, method: String, amountMsat: Int64, paymentHash: String?,
        metadata: EventMetadata,
        execute: @escaping @Sendable () async throws(WalletError) -> (PaymentResult, Receipt)
    ) async throws -> (result: PaymentResult, chargedUnits: Int64?, receipt: Receipt) {
        let connection = auth.connection
        let feeReserveMsat = wallet.feeReserveMsat(forAmountMsat: amountMsat)
        let command: ReserveSpend
        do {
            command = try ReserveSpend(
                spendId: Identifiers.make(now: ledger.clock()), connectionId: connection.id, method: method,
                amountMsat: amountMsat, feeReserveMsat: feeReserveMsat,
                estimatedBudgetUnits: try await estimatedUnits(connection, amountMsat: amountMsat + feeReserveMsat),
                paymentHash: paymentHash, holdTimeoutMs: settings.holdTimeoutMs)
        } catch let error as ValidationError {
            throw UMAError.invalid(error.description)
        }
        let reservation = try await reserve(command, metadata: metadata)
        let spendId = reservation.event.spendId
        let task = Task { () async throws -> (result: PaymentResult, chargedUnits: Int64?, receipt: Receipt) in
            let result: PaymentResult
            let receipt: Receipt
            do throws(WalletError) {
                (result, receipt) = try await execute()
            } catch {
                Self.count("failed")
                _ = try? await release(ReleaseSpend(spendId: spendId, reason: .failed), metadata: metadata)
                throw UMAError.wallet(error)
            }
            var budgetUnits = result.totalBudgetCurrencyAmount
            if budgetUnits == nil {
                budgetUnits = try? await estimatedUnits(
                    connection, amountMsat: result.amountMsat + result.feesPaidMsat)
            }
            let settle = try SettleSpend(
                spendId: spendId, amountMsat: result.amountMsat, feeMsat: result.feesPaidMsat, budgetUnits: budgetUnits)
            do {
                let outcome = try await self.settle(settle, metadata: metadata)
                if case .accepted(let events, _) = outcome, let first = events.first,
                    case .settled(let settled)? = try SpendEvent(first.payload)
                {
                    Self.count("settled")
                    return (result, reservation.event.budgetCurrency == nil ? nil : settled.chargedUnits, receipt)
                }
            } catch {
                // The money moved but the ledger could not record it: the hold stays until it
                // expires; an operator must reconcile. Loud, never silent.
                logger.critical(
                    "payment made but not settled",
                    metadata: ["spend_id": "\(spendId)", "error": "\(error)"])
            }
            return (result, nil, receipt)
        }
        return try await task.value
    }
}
