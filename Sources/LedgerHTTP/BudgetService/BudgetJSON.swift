import LedgerApp
import LedgerCore
import LedgerStore
import LedgerWallet

/// `get_budget` as NIP-47 / UMA answer it: msat figures, `renews_at` in unix seconds (absent for
/// budgets that never renew), and for fiat budgets a `currency` block in the currency's minor units.
struct BudgetJSON: Encodable, Sendable {
    struct CurrencyBlock: Encodable, Sendable {
        var code: String
        var symbol: String?
        var name: String?
        var decimals: Int?
        var totalBudget: Int64
        var usedBudget: Int64

        enum CodingKeys: String, CodingKey {
            case code, symbol, name, decimals
            case totalBudget = "total_budget"
            case usedBudget = "used_budget"
        }
    }

    var usedBudget: Int64?
    var totalBudget: Int64?
    var renewsAt: Int64?
    var renewalPeriod: String?
    var currency: CurrencyBlock?

    enum CodingKeys: String, CodingKey {
        case usedBudget = "used_budget"
        case totalBudget = "total_budget"
        case renewsAt = "renews_at"
        case renewalPeriod = "renewal_period"
        case currency
    }

    init(_ figures: BudgetFigures) {
        usedBudget = figures.usedMsat
        totalBudget = figures.totalMsat
        renewsAt = figures.renewsAtSec
        renewalPeriod = figures.renewalPeriod
        currency = figures.currency.map {
            CurrencyBlock(
                code: $0.code, symbol: $0.description?.symbol, name: $0.description?.name,
                decimals: $0.description?.decimals, totalBudget: $0.totalUnits, usedBudget: $0.usedUnits)
        }
    }

    init() {}
}

/// A spend as the budget service shows it. Times in unix seconds except the `_ms` bookkeeping.
struct SpendJSON: Encodable, Sendable {
    var id: String
    var connectionId: String
    var method: String
    var status: String
    var amountMsat: Int64
    var feeReserveMsat: Int64
    var feeMsat: Int64?
    var paymentHash: String?
    var budgetCurrency: String?
    var heldAmount: Int64
    var chargedAmount: Int64?
    var cycleStart: Int64?
    var cycleEnd: Int64?
    var expiresAt: Int64?
    var reservedAtMs: Int64
    var settledAtMs: Int64?
    var releasedAtMs: Int64?
    var reason: String?

    init(_ s: Spend) {
        id = s.id
        connectionId = s.connectionId
        method = s.method
        status = s.status.rawValue
        amountMsat = s.amountMsat
        feeReserveMsat = s.feeReserveMsat
        feeMsat = s.feeMsat
        paymentHash = s.paymentHash
        budgetCurrency = s.budgetCurrency
        heldAmount = s.heldUnits
        chargedAmount = s.chargedUnits
        cycleStart = s.cycle.map { $0.startMs / 1000 }
        cycleEnd = s.cycle?.endMs.map { $0 / 1000 }
        expiresAt = s.expiresAtMs.map { $0 / 1000 }
        reservedAtMs = s.reservedAtMs
        settledAtMs = s.settledAtMs
        releasedAtMs = s.releasedAtMs
        reason = s.reason
    }

    enum CodingKeys: String, CodingKey {
        case id
        case connectionId = "connection_id"
        case method, status
        case amountMsat = "amount_msat"
        case feeReserveMsat = "fee_reserve_msat"
        case feeMsat = "fee_msat"
        case paymentHash = "payment_hash"
        case budgetCurrency = "budget_currency"
        case heldAmount = "held_amount"
        case chargedAmount = "charged_amount"
        case cycleStart = "cycle_start"
        case cycleEnd = "cycle_end"
        case expiresAt = "expires_at"
        case reservedAtMs = "reserved_at_ms"
        case settledAtMs = "settled_at_ms"
        case releasedAtMs = "released_at_ms"
        case reason
    }
}

/// One row of a user's connection list: the connection and what it has used.
struct ConnectionUsageJSON: Encodable, Sendable {
    var connection: ConnectionJSON
    var budget: BudgetJSON
    var settledTotalMsat: Int64
    var lastSpendAtMs: Int64?

    enum CodingKeys: String, CodingKey {
        case connection, budget
        case settledTotalMsat = "settled_total_msat"
        case lastSpendAtMs = "last_spend_at_ms"
    }
}
