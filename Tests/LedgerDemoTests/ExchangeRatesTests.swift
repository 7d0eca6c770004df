import Testing

@testable import LedgerDemo
import LedgerCore
import LedgerWallet

@Suite struct ExchangeRatesTests {
    let rates = ExchangeRates.demo

    @Test(arguments: [
        // (msat, code, rounded up, rounded down)
        (Int64(0), "SAT", Int64(0), Int64(0)), (1, "SAT", 1, 0), (1_000, "SAT", 1, 1), (1_001, "SAT", 2, 1),
        (10_000, "USD", 1, 1), (10_001, "USD", 2, 1), (9_999, "usd", 1, 0), (1_000_000_000, "USD", 100_000, 100_000),
        (501, "MXN", 2, 1), (11_000, "EUR", 1, 1), (12_999, "GBP", 1, 0),
    ])
    func costsRoundUpAndHoldingsRoundDown(msat: Int64, code: String, up: Int64, down: Int64) throws {
        #expect(try rates.unitsRoundingUp(forMsat: msat, of: code) == up)
        #expect(try rates.unitsRoundingDown(forMsat: msat, of: code) == down)
    }

    @Test func unitsToMsatIsExact() throws {
        #expect(try rates.msat(forUnits: 1, of: "USD") == 10_000)
        #expect(try rates.msat(forUnits: 250, of: "SAT") == 250_000)
        #expect(try rates.msat(forUnits: 3, of: "MXN") == 1_500)
    }

    @Test func unknownCodeIsABadRequestNamingTheKnownOnes() {
        #expect {
            try rates.rate("DOGE")
        } throws: { error in
            let error = error as? WalletError
            return error?.code == .badRequest && error?.message.contains("SAT, USD, EUR, GBP, MXN") == true
        }
    }

    @Test func overflowAndNegativeAmountsAreRefused() {
        #expect(throws: WalletError.self) { try rates.msat(forUnits: .max, of: "USD") }
        #expect(throws: WalletError.self) { try rates.msat(forUnits: -1, of: "USD") }
        #expect(throws: WalletError.self) { try rates.unitsRoundingUp(forMsat: -1, of: "USD") }
    }

    @Test func currenciesCarryTheirDecimals() throws {
        #expect(try rates.rate("SAT").currency.decimals == 0)
        #expect(try rates.rate("USD").currency == Currency(code: "USD", symbol: "$", name: "US Dollar", decimals: 2))
    }

    @Test func preferencesAreRelativeToTheBaseSendingCurrency() throws {
        let inMsat = try rates.preferences()
        #expect(inMsat.map(\.currency.code) == ["SAT", "USD", "EUR", "GBP", "MXN"])
        #expect(inMsat[1].multiplier == 10_000)
        let inCents = try rates.preferences(baseSendingCurrencyCode: "USD")
        #expect(inCents[0].multiplier == 0.1)  // a sat is a tenth of a cent
        #expect(inCents[1].multiplier == 1)
        #expect(inCents.allSatisfy { $0.min >= 1 && $0.max > $0.min })
    }
}
