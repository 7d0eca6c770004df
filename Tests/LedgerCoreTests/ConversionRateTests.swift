import Foundation
import Testing

@testable import LedgerCore

@Suite struct ConversionRateTests {
    static let usd = try! ConversionRate(currency: "USD", msat: 10_000, units: 1)

    @Test(arguments: [
        // (msat, cents rounded up, cents rounded down)
        (0 as Int64, 0 as Int64, 0 as Int64), (1, 1, 0), (9_999, 1, 0), (10_000, 1, 1), (10_001, 2, 1),
        (1_000_000, 100, 100),
    ])
    func chargesRoundUpAndBalancesRoundDown(msat: Int64, up: Int64, down: Int64) {
        #expect(Self.usd.unitsRoundingUp(msat: msat) == up)
        #expect(Self.usd.unitsRoundingDown(msat: msat) == down)
    }

    @Test func aRateFromAnEstimateIsReducedAndExact() throws {
        // An upstream's "one bitcoin is 10,000,000 cents" is the demo's 10,000 msat a cent.
        let estimated = try ConversionRate(currency: "USD", msat: 100_000_000_000, units: 10_000_000)
        #expect(estimated == Self.usd)
        // 1 BTC = 6,543,211 cents does not reduce to whole msat a cent, and needs no rounding either.
        let odd = try ConversionRate(currency: "USD", msat: 100_000_000_000, units: 6_543_211)
        #expect(odd.unitsRoundingUp(msat: 100_000_000_000) == 6_543_211)
        #expect(odd.unitsRoundingUp(msat: 1) == 1)
        #expect(odd.msatRoundingDown(units: 6_543_211) == 100_000_000_000)
    }

    @Test func noProductOverflowsAndResultsThatDoNotFitAreNil() throws {
        let cheap = try ConversionRate(currency: "VND", msat: 1, units: 1_000)
        #expect(cheap.unitsRoundingUp(msat: 1_000_000) == 1_000_000_000)
        #expect(cheap.unitsRoundingUp(msat: ReserveSpend.amountMsatMax) == 1_000_000_000_000_000_000)
        #expect(cheap.unitsRoundingUp(msat: Int64.max) == nil)
        let dear = try ConversionRate(currency: "XAU", msat: ConversionRate.termMax, units: 3)
        #expect(dear.unitsRoundingUp(msat: Int64.max) == 27_671)
        #expect(dear.msatRoundingDown(units: Int64.max) == nil)
        #expect(Self.usd.unitsRoundingUp(msat: -1) == nil)
    }

    @Test func bitcoinUnitsHaveFixedRates() {
        #expect(ConversionRate.bitcoin("sat")?.unitsRoundingUp(msat: 5_001) == 6)
        #expect(ConversionRate.bitcoin("MSAT")?.unitsRoundingUp(msat: 5_001) == 5_001)
        #expect(ConversionRate.bitcoin("USD") == nil)
    }

    static let unusable: [(Int64, Int64)] = [(0, 1), (1, 0), (-5, 1), (ConversionRate.termMax + 1, 1)]

    @Test(arguments: unusable)
    func unusableRatesAreRefused(msat: Int64, units: Int64) {
        #expect(throws: ValidationError.self) { try ConversionRate(currency: "USD", msat: msat, units: units) }
    }

    @Test func aRecordedRateDecodesAsItWasWritten() throws {
        let data = try CanonicalJSON.encode(Self.usd)
        #expect(String(decoding: data, as: UTF8.self) == #"{"currency":"USD","msat":10000,"units":1}"#)
        #expect(try CanonicalJSON.decoder.decode(ConversionRate.self, from: data) == Self.usd)
        #expect(throws: DecodingError.self) {
            try CanonicalJSON.decoder.decode(ConversionRate.self, from: Data(#"{"currency":"USD","msat":0,"units":1}"#.utf8))
        }
    }
}
