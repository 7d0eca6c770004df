import Foundation
import Testing

@testable import LedgerDemo
import LedgerCore
import LedgerWallet
import LedgerTestSupport

@Suite struct DemoWalletQuoteTests {
    let alice = WalletUser(userId: "alice", address: "$alice@demo.local")
    let bob = WalletUser(userId: "bob", address: "$bob@demo.local")
    let clock = TestClock(Date(timeIntervalSince1970: 1_700_000_000))

    func wallet(feeMsat: Int64 = 0) -> DemoWallet {
        DemoWallet(startingBalanceMsat: 1_000_000_000, feeMsat: feeMsat, clock: clock.now)
    }

    func code(_ body: () async throws(WalletError) -> Void) async -> WalletError.Code? {
        do {
            try await body()
            return nil
        } catch { return error.code }
    }

    @Test func sendingLockedQuoteAddsTheFeeOnTopAndRoundsTheReceiverDown() async throws {
        let wallet = wallet(feeMsat: 15_000)
        let quote = try await wallet.fetchQuote(
            alice,
            FetchQuoteQuery(
                sendingCurrencyCode: "USD", receivingCurrencyCode: "MXN", lockedCurrencyAmount: 500,
                lockedCurrencySide: .sending, receiverAddress: "$bob@demo.local"))
        // 500 cents = 5,000,000 msat = 10,000 centavos; a 15,000 msat fee is 1.5 cents → 2.
        #expect(quote.totalReceivingAmount == 10_000)
        #expect(quote.fees == 2)
        #expect(quote.totalSendingAmount == 502)
        #expect(quote.multiplier == 0.05)
        #expect(quote.expiresAt == clock.seconds + 300)
        #expect(await wallet.knownQuote(paymentHash: quote.paymentHash) == quote)
    }

    @Test func receivingLockedQuoteRoundsTheSenderUp() async throws {
        let quote = try await wallet().fetchQuote(
            alice,
            FetchQuoteQuery(
                sendingCurrencyCode: "EUR", receivingCurrencyCode: "USD", lockedCurrencyAmount: 100,
                lockedCurrencySide: .receiving, receiverAddress: "carol@elsewhere.example"))
        // 100 cents = 1,000,000 msat = 90.9 euro cents → 91.
        #expect(quote.totalReceivingAmount == 100)
        #expect(quote.totalSendingAmount == 91)
        #expect(quote.fees == 0)
    }

    @Test func executingAQuoteMovesMoneyToTheReceiverOnce() async throws {
        let wallet = wallet(feeMsat: 15_000)
        _ = try await wallet.balance(bob, currencyCode: nil)  // the wallet learns bob's address
        let quote = try await wallet.fetchQuote(
            alice,
            FetchQuoteQuery(
                sendingCurrencyCode: "USD", receivingCurrencyCode: "SAT", lockedCurrencyAmount: 100,
                lockedCurrencySide: .sending, receiverAddress: "bob@demo.local"))
        let result = try await wallet.executeQuote(
            alice, paymentHash: quote.paymentHash, ExecuteQuoteRequest(budgetCurrencyCode: "USD"))
        #expect(result.amountMsat == 1_000_000)
        #expect(result.feesPaidMsat == 15_000)
        #expect(result.totalBudgetCurrencyAmount == 102)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000_000 - 1_015_000)
        #expect(try await wallet.balance(bob, currencyCode: nil).balance == 1_000_000_000 + 1_000_000)

        let again = await code { () async throws(WalletError) in
            _ = try await wallet.executeQuote(alice, paymentHash: quote.paymentHash, ExecuteQuoteRequest())
        }
        #expect(again == .paymentFailed)
    }

    @Test func unknownForeignAndExpiredQuotesAreRefused() async throws {
        let wallet = wallet()
        let unknown = await code { () async throws(WalletError) in
            _ = try await wallet.executeQuote(
                alice, paymentHash: String(repeating: "0", count: 64), ExecuteQuoteRequest())
        }
        #expect(unknown == .notFound)

        let quote = try await wallet.fetchQuote(
            alice,
            FetchQuoteQuery(
                sendingCurrencyCode: "SAT", receivingCurrencyCode: "SAT", lockedCurrencyAmount: 10,
                lockedCurrencySide: .sending, receiverAddress: "bob@demo.local"))
        let foreign = await code { () async throws(WalletError) in
            _ = try await wallet.executeQuote(bob, paymentHash: quote.paymentHash, ExecuteQuoteRequest())
        }
        #expect(foreign == .notFound)

        clock.advance(seconds: TimeInterval(DemoWallet.quoteLifetimeSec + 1))
        let expired = await code { () async throws(WalletError) in
            _ = try await wallet.executeQuote(alice, paymentHash: quote.paymentHash, ExecuteQuoteRequest())
        }
        #expect(expired == .paymentFailed)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000_000)
    }

    @Test func payToAddressCostsWhatTheEstimateSaid() async throws {
        let wallet = wallet(feeMsat: 2_000)
        let request = PayToAddressRequest(
            receiverAddress: "$bob@demo.local", sendingCurrencyCode: "SAT", sendingCurrencyAmount: 1_234)
        let costMsat = try await wallet.addressPaymentCostMsat(alice, request)
        #expect(costMsat == 1_236_000)
        let (result, quote) = try await wallet.payToAddress(alice, request)
        #expect(result.amountMsat + result.feesPaidMsat == costMsat)
        #expect(quote.receivingCurrency.code == "SAT")
        #expect(quote.totalReceivingAmount == 1_234)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == Double(1_000_000_000 - costMsat))
    }

    @Test func payToAddressChecksBalanceAndForcedFailure() async throws {
        let wallet = DemoWallet(startingBalanceMsat: 1_000, clock: clock.now)
        let tooMuch = await code { () async throws(WalletError) in
            _ = try await wallet.payToAddress(
                alice,
                PayToAddressRequest(receiverAddress: "bob@x.y", sendingCurrencyCode: "SAT", sendingCurrencyAmount: 2))
        }
        #expect(tooMuch == .insufficientBalance)
        let failing = await code { () async throws(WalletError) in
            _ = try await wallet.payToAddress(
                alice,
                PayToAddressRequest(
                    receiverAddress: "$demo-fail@x.y", sendingCurrencyCode: "SAT", sendingCurrencyAmount: 1))
        }
        #expect(failing == .paymentFailed)
        let nobody = await code { () async throws(WalletError) in
            _ = try await wallet.payToAddress(
                alice,
                PayToAddressRequest(receiverAddress: "nobody", sendingCurrencyCode: "SAT", sendingCurrencyAmount: 1))
        }
        #expect(nobody == .notFound)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000)
    }

    @Test(arguments: [
        // (sending code, amount, budget code, fee msat, expected)
        ("SAT", Int64(1), "USD", Int64(0), Int64(1)),  // 1,000 msat is a tenth of a cent: 1 cent
        ("USD", 100, "SAT", 0, 1_000),
        ("USD", 100, "SAT", 1, 1_001),  // one msat of fee costs a whole sat
        ("MXN", 3, "EUR", 0, 1),
        ("EUR", 100, "USD", 0, 110),
    ])
    func budgetEstimateRoundsUp(sending: String, amount: Int64, budget: String, feeMsat: Int64, expected: Int64)
        async throws
    {
        let estimate = try await wallet(feeMsat: feeMsat).budgetEstimate(
            sendingCurrencyCode: sending, sendingCurrencyAmount: amount, budgetCurrencyCode: budget)
        #expect(estimate == expected)
    }

    @Test func feeReserveIsTheFlatFee() {
        #expect(wallet(feeMsat: 1_234).feeReserveMsat(forAmountMsat: 1_000_000) == 1_234)
    }
}
