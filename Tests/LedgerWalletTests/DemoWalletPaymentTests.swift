import Crypto
import Foundation
import LedgerCore
import Testing

@testable import LedgerWallet

@Suite struct DemoWalletPaymentTests {
    let alice = WalletUser(userId: "alice", address: "$alice@demo.local")
    let bob = WalletUser(userId: "bob", address: "$bob@demo.local")
    let clock = ManualClock()

    func wallet(startingBalanceMsat: Int64 = 1_000_000, feeMsat: Int64 = 0) -> DemoWallet {
        DemoWallet(startingBalanceMsat: startingBalanceMsat, feeMsat: feeMsat, clock: clock.now)
    }

    func code(_ body: () async throws(WalletError) -> Void) async -> WalletError.Code? {
        do {
            try await body()
            return nil
        } catch { return error.code }
    }

    @Test func invoicePaidByAnotherUserMovesTheMoneyAndSettlesIt() async throws {
        let wallet = wallet(feeMsat: 7)
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 21_000, description: "pizza"))
        #expect(invoice.type == .incoming)
        #expect(invoice.settledAt == nil)
        #expect(invoice.expiresAt == clock.nowSeconds + 3600)
        let parsed = try Bolt11Invoice.parse(try #require(invoice.invoice))
        #expect(parsed.network == "bcrt")
        #expect(parsed.amountMsat == 21_000)
        #expect(parsed.description == "pizza")
        #expect(parsed.paymentHash == invoice.paymentHash)

        clock.advance(by: 5)
        let result = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: try #require(invoice.invoice)))
        #expect(result.amountMsat == 21_000)
        #expect(result.feesPaidMsat == 7)
        // The preimage is the real one: it hashes to the invoice's payment hash.
        #expect(SHA256.hash(data: try #require(Hex.decode(result.preimage))).hexString == invoice.paymentHash)

        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000 - 21_007)
        #expect(try await wallet.balance(bob, currencyCode: nil).balance == 1_000_000 + 21_000)

        let receiverView = try await wallet.lookupInvoice(bob, paymentHash: invoice.paymentHash)
        #expect(receiverView.settledAt == clock.nowSeconds)
        #expect(receiverView.preimage == result.preimage)
        let payerView = try await wallet.lookupInvoice(alice, paymentHash: invoice.paymentHash)
        #expect(payerView.type == .outgoing)
        #expect(payerView.feesPaid == 7)
        #expect(payerView.amount == 21_000)
    }

    @Test func insufficientBalanceCountsTheFeeAndMovesNothing() async throws {
        let wallet = wallet(startingBalanceMsat: 10_000, feeMsat: 1)
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 10_000))
        let code = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
        }
        #expect(code == .insufficientBalance)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 10_000)
        #expect(try await wallet.lookupInvoice(bob, paymentHash: invoice.paymentHash).settledAt == nil)
    }

    @Test func exactBalanceIsEnough() async throws {
        let wallet = wallet(startingBalanceMsat: 10_001, feeMsat: 1)
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 10_000))
        _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 0)
    }

    @Test func demoFailInTheDescriptionFailsAfterTheChecksWithoutDebiting() async throws {
        let wallet = wallet()
        let failing = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1_000, description: "x demo:fail"))
        let code = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: failing.invoice ?? ""))
        }
        #expect(code == .paymentFailed)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000)
        // The balance check comes first: a failing invoice too large to pay is INSUFFICIENT_BALANCE.
        let tooLarge = try await wallet.makeInvoice(
            bob, MakeInvoiceRequest(amount: 5_000_000, description: "demo:fail"))
        let firstFailure = await self.code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: tooLarge.invoice ?? ""))
        }
        #expect(firstFailure == .insufficientBalance)
    }

    @Test func payingTheSameInvoiceTwiceFailsTheSecondTime() async throws {
        let wallet = wallet()
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1_000))
        _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
        let carol = WalletUser(userId: "carol")
        for payer in [alice, carol] {
            let code = await code { () async throws(WalletError) in
                _ = try await wallet.payInvoice(payer, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
            }
            #expect(code == .paymentFailed)
        }
        #expect(try await wallet.balance(bob, currencyCode: nil).balance == 1_001_000)
        #expect(try await wallet.balance(carol, currencyCode: nil).balance == 1_000_000)
    }

    @Test func expiredInvoiceIsNotPaid() async throws {
        let wallet = wallet()
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1_000, expiry: 60))
        clock.advance(by: 61)
        let code = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
        }
        #expect(code == .paymentFailed)
    }

    @Test func foreignInvoiceIsPaidWithADeterministicPreimage() async throws {
        let wallet = wallet()
        let hash = SHA256.hash(data: Data("elsewhere".utf8)).hexString
        let foreign = Bolt11Invoice.encode(
            network: "bcrt", amountMsat: nil, timestamp: clock.nowSeconds, paymentHash: hash, description: "tip")
        let result = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: foreign, amount: 2_000))
        #expect(result.amountMsat == 2_000)
        #expect(result.preimage == SHA256.hash(data: try #require(Hex.decode(hash))).hexString)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 998_000)
    }

    @Test func amountRulesForInvoices() async throws {
        let wallet = wallet()
        let priced = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1_000))
        let mismatch = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: priced.invoice ?? "", amount: 999))
        }
        #expect(mismatch == .badRequest)
        let donation = Bolt11Invoice.encode(
            network: "bcrt", amountMsat: nil, timestamp: clock.nowSeconds,
            paymentHash: SHA256.hash(data: Data("d".utf8)).hexString, description: nil)
        let missing = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: donation))
        }
        #expect(missing == .badRequest)
        #expect(try wallet.invoiceAmount(donation, amountMsat: 42).amountMsat == 42)
    }

    @Test func invoiceForAnotherNetworkIsRefused() async throws {
        let wallet = wallet()
        let code = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: Bolt11SpecVectorTests.coffee))
        }
        #expect(code == .badRequest)
        #expect(throws: WalletError.self) { try wallet.invoiceAmount(Bolt11SpecVectorTests.coffee, amountMsat: nil) }
    }

    @Test func budgetCurrencyFigureIsRoundedUp() async throws {
        let wallet = wallet(feeMsat: 1)
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 10_000))
        let result = try await wallet.payInvoice(
            alice, PayInvoiceRequest(invoice: invoice.invoice ?? "", budgetCurrencyCode: "USD"))
        // 10,001 msat is just over one cent: two cents are charged, never one.
        #expect(result.totalBudgetCurrencyAmount == 2)
    }

    @Test func keysendDebitsAmountAndFee() async throws {
        let wallet = wallet(feeMsat: 3)
        let preimage = String(repeating: "ab", count: 32)
        let result = try await wallet.payKeysend(
            alice, PayKeysendRequest(amount: 5_000, pubkey: DemoWallet.nodePubkey, preimage: preimage))
        #expect(result.preimage == preimage)
        #expect(result.feesPaidMsat == 3)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000 - 5_003)
        let paymentHash = SHA256.hash(data: try #require(Hex.decode(preimage))).hexString
        #expect(try await wallet.lookupInvoice(alice, paymentHash: paymentHash).amount == 5_000)
    }

    @Test func keysendToTheAllZeroPubkeyFailsWithoutDebiting() async throws {
        let wallet = wallet()
        let failed = await code { () async throws(WalletError) in
            _ = try await wallet.payKeysend(
                alice, PayKeysendRequest(amount: 5_000, pubkey: DemoWallet.failingKeysendPubkey))
        }
        #expect(failed == .paymentFailed)
        let malformed = await code { () async throws(WalletError) in
            _ = try await wallet.payKeysend(alice, PayKeysendRequest(amount: 5_000, pubkey: "02abc"))
        }
        #expect(malformed == .badRequest)
        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000)
    }
}
