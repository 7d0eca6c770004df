import LedgerWallet
import LedgerCore
import Foundation

/// A fixed exchange-rate table for the demo wallet: how many msat one smallest unit of each
/// currency is worth. Rates are whole msat so every conversion is exact integer arithmetic, and
/// the direction of rounding is always chosen on purpose.
public struct ExchangeRates: Sendable {
    public struct Rate: Sendable, Equatable {
        public var currency: Currency
        /// msat per smallest unit (sat, cent, centavo).
        public var msatPerUnit: Int64

        public init(currency: Currency, msatPerUnit: Int64) {
            precondition(msatPerUnit > 0, "a rate must be positive")
            self.currency = currency
            self.msatPerUnit = msatPerUnit
        }
    }

    /// In order of preference, as `info` and `lookupUser` list them.
    public let rates: [Rate]

    public init(rates: [Rate]) { self.rates = rates }

    /// Round numbers near real prices (1 BTC = 100,000 USD), not live ones: the demo needs stable,
    /// checkable arithmetic, not a price feed.
    public static let demo = ExchangeRates(rates: [
        Rate(currency: Currency(code: "SAT", symbol: "sat", name: "Satoshi", decimals: 0), msatPerUnit: 1_000),
        Rate(currency: Currency(code: "USD", symbol: "$", name: "US Dollar", decimals: 2), msatPerUnit: 10_000),
        Rate(currency: Currency(code: "EUR", symbol: "€", name: "Euro", decimals: 2), msatPerUnit: 11_000),
        Rate(currency: Currency(code: "GBP", symbol: "£", name: "Pound Sterling", decimals: 2), msatPerUnit: 13_000),
        Rate(currency: Currency(code: "MXN", symbol: "MX$", name: "Mexican Peso", decimals: 2), msatPerUnit: 500),
    ])

    /// The rate for a currency code (case-insensitive); unknown codes are the caller's mistake.
    public func rate(_ code: String) throws(WalletError) -> Rate {
        let upper = code.uppercased()
        guard let rate = rates.first(where: { $0.currency.code == upper }) else {
            throw WalletError(
                .badRequest,
                "unknown currency code '\(code.prefix(16))'; known: \(rates.map(\.currency.code).joined(separator: ", "))"
            )
        }
        return rate
    }

    /// Exact: units × rate. Refuses amounts that overflow or are negative.
    public func msat(forUnits units: Int64, of code: String) throws(WalletError) -> Int64 {
        let rate = try rate(code)
        guard units >= 0 else { throw WalletError(.badRequest, "amount must not be negative") }
        let (msat, overflow) = units.multipliedReportingOverflow(by: rate.msatPerUnit)
        guard !overflow else { throw WalletError(.badRequest, "amount of \(units) \(rate.currency.code) is too large") }
        return msat
    }

    /// What a cost of `msat` is in units, rounded up: a budget is never charged less than was spent.
    public func unitsRoundingUp(forMsat msat: Int64, of code: String) throws(WalletError) -> Int64 {
        let rate = try rate(code)
        guard msat >= 0 else { throw WalletError(.badRequest, "amount must not be negative") }
        return msat / rate.msatPerUnit + (msat % rate.msatPerUnit == 0 ? 0 : 1)
    }

    /// What a holding of `msat` is in units, rounded down: a balance never shows more than is there.
    public func unitsRoundingDown(forMsat msat: Int64, of code: String) throws(WalletError) -> Int64 {
        let rate = try rate(code)
        guard msat >= 0 else { throw WalletError(.badRequest, "amount must not be negative") }
        return msat / rate.msatPerUnit
    }

    /// The table as UMA currency preferences. Multipliers are msat per unit, or, given a base
    /// sending currency, base units per unit. `min` and `max` span 1 sat to 1 BTC.
    public func preferences(baseSendingCurrencyCode: String? = nil) throws(WalletError) -> [CurrencyPreference] {
        let baseMsatPerUnit = try baseSendingCurrencyCode.map { code throws(WalletError) in try rate(code).msatPerUnit }
        var preferences: [CurrencyPreference] = []
        for rate in rates {
            let multiplier = Double(rate.msatPerUnit) / Double(baseMsatPerUnit ?? 1)
            let minUnits = max(1, try unitsRoundingUp(forMsat: 1_000, of: rate.currency.code))
            let maxUnits = try unitsRoundingDown(forMsat: 100_000_000_000, of: rate.currency.code)
            preferences.append(
                CurrencyPreference(currency: rate.currency, multiplier: multiplier, min: minUnits, max: maxUnits))
        }
        return preferences
    }
}
