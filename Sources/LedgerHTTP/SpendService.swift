import LedgerApp
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

    /// The price of a fiat budget's currency, for a reservation against it: nil for bitcoin
    /// budgets and no budget, and nil when the wallet cannot give one, which the decider refuses
    /// (a payment that cannot be priced is never let through uncounted).
    func budgetRate(_ connection: Connection) async -> ConversionRate? {
        guard let budget = connection.budget, !budget.isBitcoin else { return nil }
        do {
            return try await wallet.conversionRate(currencyCode: budget.currency)
        } catch {
            logger.warning(
                "no rate for a budget's currency; its payments are refused",
                metadata: ["currency": "\(budget.currency)", "error": "\(error)"])
            return nil
        }
    }

    /// The rate of a currency a caller named: the unit of `total_budget_currency_amount`, a quote's
    /// sending currency. Asked before anything is reserved, so an unknown code is a 400 with
    /// nothing written and nothing paid.
    func currencyRate(_ code: String?) async throws -> ConversionRate? {
        guard let code else { return nil }
        let upper = code.uppercased()
        guard (3...5).contains(upper.count), upper.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw UMAError.invalid("'\(code.prefix(16))' is not a currency code (3 to 5 letters)")
        }
        if let fixed = ConversionRate.bitcoin(upper) { return fixed }
        do {
            return try await wallet.conversionRate(currencyCode: upper)
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

    /// What a payment cost in the unit the caller asked for (`total_budget_currency_amount`):
    /// amount plus fee as settled, rounded up. In the budget's own currency it is exactly what was
    /// charged (the same msat at the same rate).
    static func answerAmount(_ settle: SettleSpend, in rate: ConversionRate?, reservation: SpendReserved) -> Int64? {
        guard let rate else { return nil }
        let sameAsBudget = reservation.rate.flatMap { $0.currency == rate.currency ? $0 : nil }
        return (sameAsBudget ?? rate).unitsRoundingUp(msat: settle.totalMsat)
    }

    /// Reserve → pay → settle, or release when the wallet says the payment failed. Runs in a task
    /// of its own: a client hanging up mid-payment must not cancel the settle of money that moved.
    /// `answerCurrencyCode` is the caller's `budget_currency_code`: it chooses the unit of the
    /// answer's `totalBudgetCurrencyAmount` and never touches the budget.
    func pay(
        _ auth: AuthorizedConnection, method: String, amountMsat: Int64, paymentHash: String?,
        answerCurrencyCode: String?, metadata: EventMetadata,
        execute: @escaping @Sendable () async throws(WalletError) -> PaymentResult
    ) async throws -> (result: PaymentResult, totalBudgetCurrencyAmount: Int64?) {
        let paid = try await pay(
            auth, method: method, amountMsat: amountMsat, paymentHash: paymentHash,
            answerCurrencyCode: answerCurrencyCode, metadata: metadata
        ) { () async throws(WalletError) in (try await execute(), ()) }
        return (paid.result, paid.totalBudgetCurrencyAmount)
    }

    /// The same, for a wallet call that also hands back a receipt of its own (a lud16 payment's quote).
    func pay<Receipt: Sendable>(
        _ auth: AuthorizedConnection, method: String, amountMsat: Int64, paymentHash: String?,
        answerCurrencyCode: String?, metadata: EventMetadata,
        execute: @escaping @Sendable () async throws(WalletError) -> (PaymentResult, Receipt)
    ) async throws -> (result: PaymentResult, totalBudgetCurrencyAmount: Int64?, receipt: Receipt) {
        let connection = auth.connection
        let answerRate = try await currencyRate(answerCurrencyCode)
        let feeReserveMsat = wallet.feeReserveMsat(forAmountMsat: amountMsat)
        let command: ReserveSpend
        do {
            command = try ReserveSpend(
                spendId: Identifiers.make(now: ledger.clock()), connectionId: connection.id, method: method,
                amountMsat: amountMsat, feeReserveMsat: feeReserveMsat, rate: await budgetRate(connection),
                paymentHash: paymentHash, holdTimeoutMs: settings.holdTimeoutMs)
        } catch {
            throw UMAError.invalid(error.description)
        }
        let reservation = try await reserve(command, metadata: metadata)
        let spendId = reservation.event.spendId
        let task = Task { () async throws -> (result: PaymentResult, totalBudgetCurrencyAmount: Int64?, receipt: Receipt) in
            let result: PaymentResult
            let receipt: Receipt
            do throws(WalletError) {
                (result, receipt) = try await execute()
            } catch {
                Self.count("failed")
                _ = try? await release(ReleaseSpend(spendId: spendId, reason: .failed), metadata: metadata)
                throw UMAError.wallet(error)
            }
            // The wallet's own `total_budget_currency_amount` is ignored: it is in whatever unit the
            // caller asked for, and the charge is the decider's to compute, from msat.
            let settle: SettleSpend
            do {
                settle = try SettleSpend.afterPayment(
                    spendId: spendId, amountMsat: result.amountMsat, feeMsat: result.feesPaidMsat,
                    reservedAmountMsat: command.amountMsat, feeReserveMsat: command.feeReserveMsat)
            } catch {
                // Only a malformed spend id could get here, and ours are made by `Identifiers`.
                logger.critical("payment made but its settle could not be built", metadata: ["spend_id": "\(spendId)"])
                return (result, nil, receipt)
            }
            let answer = Self.answerAmount(settle, in: answerRate, reservation: reservation.event)
            do {
                let outcome = try await self.settle(settle, metadata: metadata)
                if case .accepted = outcome {
                    Self.count("settled")
                    return (result, answer, receipt)
                }
                logger.critical(
                    "payment made but its settle was refused",
                    metadata: ["spend_id": "\(spendId)", "outcome": "\(outcome)"])
            } catch {
                // The money moved but the ledger could not record it: the hold stays until it
                // expires; an operator must reconcile. Loud, never silent.
                logger.critical(
                    "payment made but not settled",
                    metadata: ["spend_id": "\(spendId)", "error": "\(error)"])
            }
            return (result, answer, receipt)
        }
        return try await task.value
    }
}
