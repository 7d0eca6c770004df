import Foundation
import LedgerCore
import LedgerStore
import Logging
import Metrics

/// The one payment saga (DESIGN §7), for the UMA Auth API, the budget service's wallets and the
/// gateway alike: reserve against the budget → let the wallet or origin pay → settle what it
/// cost, or release the hold when it did not pay, or — when nobody knows how it ended — settle
/// the whole hold, provisionally, since the money may have left (over-count, never under-count; a
/// later report corrects it).
package struct PaymentSaga: Sendable {
    package let ledger: Ledger
    package let pricing: BudgetPricing
    package let holdTimeoutMs: Int64
    package let logger: Logger

    package init(ledger: Ledger, pricing: BudgetPricing, holdTimeoutMs: Int64, logger: Logger) {
        self.ledger = ledger
        self.pricing = pricing
        self.holdTimeoutMs = holdTimeoutMs
        self.logger = logger
    }

    /// A settle or release after the money moved must not be lost to a momentarily full queue.
    static let recordAttemptsMax = 8

    /// Spend outcomes for `/metrics`: a rising `denied`, `failed` or `unknown` rate is what an
    /// operator watches.
    static let counters: [String: Counter] = Dictionary(
        uniqueKeysWithValues: ["reserved", "denied", "settled", "failed", "unknown"].map {
            ($0, Counter(label: "nwc_spends_total", dimensions: [("outcome", $0)]))
        })

    package static func count(_ outcome: String) { counters[outcome]?.increment() }

    /// What to pay and on whose behalf.
    package struct Payment: Sendable {
        package var connection: Connection
        /// The NWC method or OAuth scope the payment needs.
        package var method: String
        package var amountMsat: Int64
        package var feeReserveMsat: Int64
        package var paymentHash: String?
        /// The caller's `budget_currency_code`: the unit of the answer's cost. Never the budget's.
        package var answerCurrencyCode: String?
        package var context: WriteContext

        package init(
            connection: Connection, method: String, amountMsat: Int64, feeReserveMsat: Int64, paymentHash: String?,
            answerCurrencyCode: String?, context: WriteContext
        ) {
            self.connection = connection
            self.method = method
            self.amountMsat = amountMsat
            self.feeReserveMsat = feeReserveMsat
            self.paymentHash = paymentHash
            self.answerCurrencyCode = answerCurrencyCode
            self.context = context
        }
    }

    /// What the wallet or origin said about the payment it was asked to make.
    package enum Attempt<Paid: Sendable, Failure: Sendable>: Sendable {
        /// It went through; what it cost.
        case paid(amountMsat: Int64, feeMsat: Int64, Paid)
        /// It did not happen: a refusal it reported, or a request that never left.
        case notPaid(Failure)
        /// Nobody knows: a timeout, a connection lost after sending, an answer that cannot be read.
        case unknown(Failure)
    }

    package enum Outcome<Paid: Sendable, Failure: Sendable>: Sendable {
        /// Paid and settled; the cost in the caller's unit when it named one.
        case paid(Paid, totalInAnswerCurrency: Int64?)
        /// Not paid: the hold was released.
        case notPaid(Failure)
        /// Outcome unknown: the whole hold was settled, provisionally.
        case unknown(Failure)
        /// Refused by the budget rules (over budget, method not granted, revoked), recorded.
        case denied(SpendDenied)
        /// Refused before deciding (e.g. the budget's currency changed meanwhile: retry).
        case rejected(Rejection)
        /// Input the ledger does not take (an amount out of range).
        case invalid(ValidationError)
        /// The caller named a currency that cannot be priced; nothing was reserved or paid.
        case unpricedCurrency(BudgetPricing.CurrencyRefusal)
    }

    /// Runs the saga. The wallet call and what follows it run in a task of their own: a client
    /// hanging up mid-payment must not cancel the settle of money that moved. Throws only what the
    /// ledger could not do at all (overloaded, storage).
    package func pay<Paid: Sendable, Failure: Sendable>(
        _ payment: Payment, execute: @escaping @Sendable () async -> Attempt<Paid, Failure>
    ) async throws -> Outcome<Paid, Failure> {
        let answerRate: ConversionRate?
        do {
            answerRate = try await pricing.currencyRate(payment.answerCurrencyCode)
        } catch {
            return .unpricedCurrency(error)
        }
        let command: ReserveSpend
        do {
            command = try ReserveSpend(
                spendId: Identifiers.make(now: ledger.clock()), connectionId: payment.connection.id,
                method: payment.method, amountMsat: payment.amountMsat, feeReserveMsat: payment.feeReserveMsat,
                rate: await pricing.budgetRate(payment.connection), paymentHash: payment.paymentHash,
                holdTimeoutMs: holdTimeoutMs)
        } catch {
            return .invalid(error)
        }
        let reserved: SpendReserved
        switch try await ledger.reserveSpend(command, payment.context) {
        case .reserved(let event, _, _):
            Self.count("reserved")
            reserved = event
        case .denied(let denied, _):
            Self.count("denied")
            return .denied(denied)
        case .rejected(let rejection, _):
            return .rejected(rejection)
        }
        let context = payment.context
        let task = Task { () -> Outcome<Paid, Failure> in
            switch await execute() {
            case .paid(let amountMsat, let feeMsat, let receipt):
                guard
                    let settle = try? SettleSpend.afterPayment(
                        spendId: reserved.spendId, amountMsat: amountMsat, feeMsat: feeMsat,
                        reservedAmountMsat: reserved.amountMsat, feeReserveMsat: reserved.feeReserveMsat)
                else {
                    // Only a malformed spend id could get here, and ours are made by `Identifiers`.
                    logger.critical("payment made but its settle could not be built", metadata: ["spend_id": "\(reserved.spendId)"])
                    return .paid(receipt, totalInAnswerCurrency: nil)
                }
                if await record("settled", reserved.spendId, { try await ledger.settleSpend(settle, context) }) {
                    Self.count("settled")
                }
                return .paid(receipt, totalInAnswerCurrency: Self.answerAmount(settle, in: answerRate, reserved))
            case .notPaid(let failure):
                Self.count("failed")
                if let release = try? ReleaseSpend(spendId: reserved.spendId, reason: .failed) {
                    _ = await record("released", reserved.spendId, { try await ledger.releaseSpend(release, context) })
                }
                return .notPaid(failure)
            case .unknown(let failure):
                Self.count("unknown")
                logger.warning(
                    "payment outcome unknown; the whole hold is settled until a report corrects it",
                    metadata: ["spend_id": "\(reserved.spendId)"])
                if let settle = try? SettleSpend(
                    spendId: reserved.spendId, amountMsat: reserved.amountMsat, feeMsat: reserved.feeReserveMsat,
                    provisional: true)
                {
                    _ = await record("settled provisionally", reserved.spendId, {
                        try await ledger.settleSpend(settle, context)
                    })
                }
                return .unknown(failure)
            }
        }
        return await task.value
    }

    /// What a payment cost in the unit the caller asked for (`total_budget_currency_amount`):
    /// amount plus fee as settled, rounded up. In the budget's own currency it is exactly what was
    /// charged (the same msat at the same rate).
    static func answerAmount(_ settle: SettleSpend, in rate: ConversionRate?, _ reserved: SpendReserved) -> Int64? {
        guard let rate else { return nil }
        let sameAsBudget = reserved.rate.flatMap { $0.currency == rate.currency ? $0 : nil }
        return (sameAsBudget ?? rate).unitsRoundingUp(msat: settle.totalMsat)
    }

    /// Records what happened to the money, retrying a full queue; loud when it cannot, since an
    /// operator must then reconcile (the hold stays until it expires).
    private func record(
        _ what: String, _ spendId: String, _ write: @Sendable () async throws -> Decision<SpendEvent>
    ) async -> Bool {
        var attempt = 0
        while true {
            do {
                switch try await write() {
                case .recorded: return true
                case .rejected(let rejection, _):
                    logger.critical(
                        "payment \(what) could not be recorded", metadata: ["spend_id": "\(spendId)", "rejection": "\(rejection)"])
                    return false
                }
            } catch let error as LedgerError where error.code == .overloaded && attempt < Self.recordAttemptsMax {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(25 << min(attempt, 6)))
            } catch {
                logger.critical(
                    "payment \(what) could not be recorded", metadata: ["spend_id": "\(spendId)", "error": "\(error)"])
                return false
            }
        }
    }
}
