import Foundation
import LedgerCore
import NIOHTTP1
import Testing

@testable import LedgerWallet

/// How an upstream UMA Auth API's prices become the rates budgets are held and charged at.
@Suite struct UpstreamRateTests {
    /// An upstream pricing USD at 10,000 msat a cent plus a fixed fee of 7 cents in every estimate,
    /// and refusing currencies it does not know.
    static func pricing(_ request: RecordedRequest) -> (HTTPResponseStatus, String)? {
        guard request.uri.hasPrefix("/umanwc/v1/budget_estimate") else { return (.notFound, "{}") }
        let query = URLComponents(string: request.uri)?.queryItems ?? []
        let sats = Int64(query.first { $0.name == "sending_currency_amount" }?.value ?? "") ?? 0
        guard query.first(where: { $0.name == "budget_currency_code" })?.value == "USD" else {
            return (.badRequest, #"{"code":"OTHER","message":"unknown currency"}"#)
        }
        return (.ok, #"{"estimated_budget_currency_amount":\#(sats * 1_000 / 10_000 + 7)}"#)
    }

    @Test func theRateIsTheMarginalPriceSoAFeeInTheEstimatesCancelsOut() async throws {
        let server = try await CannedUpstream.start(Self.pricing)
        let wallet = UpstreamWalletForwardingTests.wallet(server)
        let rate = try await wallet.conversionRate(currencyCode: "usd")
        #expect(rate == (try ConversionRate(currency: "USD", msat: 10_000, units: 1)))
        // The estimate of one bitcoin alone would have been dearer by the 7-cent fee.
        #expect(rate.unitsRoundingUp(msat: 10_000) == 1)
        #expect(server.requests.count == 2)
        try await server.stop()
    }

    @Test func pricesAndRefusalsAreAskedOncePerLifetime() async throws {
        let server = try await CannedUpstream.start(Self.pricing)
        let wallet = UpstreamWalletForwardingTests.wallet(server)
        for _ in 0..<3 { _ = try await wallet.conversionRate(currencyCode: "USD") }
        #expect(server.requests.count == 2)
        for _ in 0..<3 {
            await #expect(throws: WalletError.self) { try await wallet.conversionRate(currencyCode: "XYZ") }
        }
        #expect(server.requests.count == 3, "a refused currency is asked once, not on every call")
        try await server.stop()
    }

    @Test func anUpstreamThatPricesNothingSensiblyGivesNoRate() async throws {
        let server = try await CannedUpstream.start { _ in
            (.ok, #"{"estimated_budget_currency_amount":-9223372036854775807}"#)
        }
        let wallet = UpstreamWalletForwardingTests.wallet(server)
        await #expect(throws: WalletError.self) { try await wallet.conversionRate(currencyCode: "USD") }
        try await server.stop()
    }
}
