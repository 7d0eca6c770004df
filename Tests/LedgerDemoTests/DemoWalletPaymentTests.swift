import Crypto
import Foundation
import LedgerCore
import Testing

@testable import LedgerDemo
import LedgerCore
import LedgerWallet
import LedgerTestSupport

@Suite struct DemoWalletPaymentTests {
    let alice = WalletUser(userId: "alice", address: "$alice@demo.local")
    let bob = WalletUser(userId: "bob", address: "$bob@demo.local")
    let clock = TestClock(Date(timeIntervalSince1970: 1_700_000_000))

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
        #expect(invoice.expiresAt == clock.seconds + 3600)
        let parsed = try Bolt11Invoice.parse(try #require(invoice.invoice))
        #expect(parsed.network == "bcrt")
        #expect(parsed.amountMsat == 21_000)
        #expect(parsed.description == "pizza")
        #expect(parsed.paymentHash == invoice.paymentHash)

        clock.advance(seconds: 5)
        let result = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: try #require(invoice.invoice)))
        #expect(result.amountMsat == 21_000)
        #expect(result.feesPaidMsat == 7)
        // The preimage is the real one: it hashes to the invoice's payment hash.
        #expect(SHA256.hash(data: try #require(Hex.decode(result.preimage))).hexString == invoice.paymentHash)

        #expect(try await wallet.balance(alice, currencyCode: nil).balance == 1_000_000 - 21_007)
        #expect(try await wallet.balance(bob, currencyCode: nil).balance == 1_000_000 + 21_000)

        let receiverView = try await wallet.lookupInvoice(bob, paymentHash: invoice.paymentHash)
        #expect(receiverView.settledAt == clock.seconds)
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
        clock.advance(seconds: 61)
        let code = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
        }
        #expect(code == .paymentFailed)
    }

    @Test func foreignInvoiceIsPaidWithADeterministicPreimage() async throws {
        let wallet = wallet()
        let hash = SHA256.hash(data: Data("elsewhere".utf8)).hexString
        let foreign = Bolt11Invoice.encode(
            network: "bcrt", amountMsat: nil, timestamp: clock.seconds, paymentHash: hash, description: "tip")
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
            network: "bcrt", amountMsat: nil, timestamp: clock.seconds,
            paymentHash: SHA256.hash(data: Data("d".utf8)).hexString, description: nil)
        let missing = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: donation))
        }
        #expect(missing == .badRequest)
        #expect(try wallet.invoiceAmount(donation, amountMsat: 42).amountMsat == 42)
    }

    /// BOLT11's own example "coffee" invoice (mainnet): a demo wallet on regtest must refuse it.
    static let mainnetCoffee = "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp"

    @Test func invoiceForAnotherNetworkIsRefused() async throws {
        let wallet = wallet()
        let code = await code { () async throws(WalletError) in
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: Self.mainnetCoffee))
        }
        #expect(code == .badRequest)
        #expect(throws: WalletError.self) { try wallet.invoiceAmount(Self.mainnetCoffee, amountMsat: nil) }
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
