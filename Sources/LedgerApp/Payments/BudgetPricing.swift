import LedgerCore
import LedgerWallet
import Logging

/// Prices in the wallet's terms (DESIGN §7's one rule for money): the rate a fiat budget's holds
/// and charges are computed at, and the rate of a currency a caller names.
package struct BudgetPricing: Sendable {
    package let wallet: any WalletBackend
    package let logger: Logger

    package init(wallet: any WalletBackend, logger: Logger) {
        self.wallet = wallet
        self.logger = logger
    }

    /// Why a currency a caller named cannot be priced: the caller's to fix, nothing was written.
    package enum CurrencyRefusal: Error, Sendable, Equatable {
        case notACurrencyCode(String)
        case unpriced(WalletError)
    }

    /// The price of a fiat budget's currency, for a reservation against it: nil for bitcoin
    /// budgets and no budget, and nil when the wallet cannot give one, which the decider refuses
    /// (a payment that cannot be priced is never let through uncounted).
    package func budgetRate(_ connection: Connection) async -> ConversionRate? {
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
    /// sending currency, `get_balance`'s `currency_code`.
    package func currencyRate(_ code: String?) async throws(CurrencyRefusal) -> ConversionRate? {
        guard let code else { return nil }
        let upper = code.uppercased()
        guard (3...5).contains(upper.count), upper.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw .notACurrencyCode(String(code.prefix(16)))
        }
        if let fixed = ConversionRate.bitcoin(upper) { return fixed }
        do {
            return try await wallet.conversionRate(currencyCode: upper)
        } catch {
            throw .unpriced(error)
        }
    }
}
