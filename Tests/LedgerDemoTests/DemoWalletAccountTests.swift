import Foundation
import LedgerCore
import Testing

@testable import LedgerDemo
import LedgerCore
import LedgerWallet
import LedgerTestSupport

@Suite struct DemoWalletAccountTests {
    let alice = WalletUser(userId: "alice", address: "$alice@demo.local")
    let bob = WalletUser(userId: "bob", address: "$bob@demo.local")
    let clock = TestClock(Date(timeIntervalSince1970: 1_700_000_000))

    func wallet() -> DemoWallet { DemoWallet(startingBalanceMsat: 1_000_000, clock: clock.now) }

    @Test func balanceInACurrencyRoundsDownAndNamesTheCurrency() async throws {
        let wallet = DemoWallet(startingBalanceMsat: 1_009_999, clock: clock.now)
        let usd = try await wallet.balance(alice, currencyCode: "USD")
        #expect(usd.balance == 100)
        #expect(usd.currency?.code == "USD")
        #expect(usd.currency?.decimals == 2)
        #expect(try await wallet.balance(alice, currencyCode: nil) == GetBalanceResponse(balance: 1_009_999))
        await #expect(throws: WalletError.self) { try await wallet.balance(alice, currencyCode: "XYZ") }
    }

    @Test func infoDescribesTheDemoNode() async throws {
        let info = try await wallet().info(alice, methods: ["pay_invoice", "get_balance"])
        #expect(info.alias == "GrantLedger demo wallet")
        #expect(info.network == "regtest")
        #expect(info.methods == ["pay_invoice", "get_balance"])
        #expect(info.lud16 == "$alice@demo.local")
        #expect(Hex.isHex(info.pubkey, byteCount: 33))
        #expect(info.currencies?.first?.currency.code == "SAT")
    }

    @Test func unknownInvoiceIsNotFoundAndInvoicesArePrivateToTheirUser() async throws {
        let wallet = wallet()
        let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1_000))
        await #expect(throws: WalletError(.notFound, "no invoice or payment with that payment hash")) {
            try await wallet.lookupInvoice(alice, paymentHash: invoice.paymentHash)
        }
        #expect(try await wallet.lookupInvoice(bob, paymentHash: invoice.paymentHash.uppercased()) == invoice)
    }

    @Test func listIsNewestFirstAndFilters() async throws {
        let wallet = wallet()
        var hashes: [String] = []
        for index in 0..<5 {
            clock.advance(seconds: 10)
            let invoice = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1_000 + Int64(index)))
            _ = try await wallet.payInvoice(alice, PayInvoiceRequest(invoice: invoice.invoice ?? ""))
            hashes.append(invoice.paymentHash)
        }
        clock.advance(seconds: 10)
        let unpaid = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 7))

        let all = try await wallet.listTransactions(bob, ListTransactionsQuery()).transactions
        #expect(all.map(\.paymentHash) == hashes.reversed())
        let withUnpaid = try await wallet.listTransactions(bob, ListTransactionsQuery(unpaid: true)).transactions
        #expect(withUnpaid.first?.paymentHash == unpaid.paymentHash)
        #expect(withUnpaid.count == 6)

        let page = try await wallet.listTransactions(bob, ListTransactionsQuery(limit: 2, offset: 1)).transactions
        #expect(page.map(\.paymentHash) == [hashes[3], hashes[2]])

        let start = clock.seconds - 60
        let window = try await wallet.listTransactions(
            bob, ListTransactionsQuery(from: start + 20, until: start + 30)
        ).transactions
        #expect(window.map(\.paymentHash) == [hashes[2], hashes[1]])

        let outgoing = try await wallet.listTransactions(alice, ListTransactionsQuery(type: .outgoing)).transactions
        #expect(outgoing.count == 5)
        #expect(try await wallet.listTransactions(alice, ListTransactionsQuery(type: .incoming)).transactions.isEmpty)

        await #expect(throws: WalletError.self) {
            try await wallet.listTransactions(alice, ListTransactionsQuery(offset: -1))
        }
    }

    @Test func listLimitIsCappedAtOneThousand() async throws {
        let wallet = wallet()
        for _ in 0..<1_005 { _ = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1)) }
        let listed = try await wallet.listTransactions(bob, ListTransactionsQuery(limit: 5_000, unpaid: true))
        #expect(listed.transactions.count == DemoWallet.listLimitMax)
    }

    @Test func oldestTransactionsAreDroppedPastTheCap() async throws {
        let wallet = wallet()
        let first = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1))
        for _ in 0..<DemoWallet.maxTransactionsPerUser {
            _ = try await wallet.makeInvoice(bob, MakeInvoiceRequest(amount: 1))
        }
        await #expect(throws: WalletError.self) { try await wallet.lookupInvoice(bob, paymentHash: first.paymentHash) }
        let count = await wallet.accounts["bob"]?.transactions.count ?? 0
        #expect(count <= DemoWallet.maxTransactionsPerUser)
        #expect(count >= DemoWallet.maxTransactionsPerUser * 9 / 10)
    }

    @Test(arguments: ["$alice@vasp.net", "alice@vasp.net", "Bob.Smith+x@Example.COM", "carol@localhost:8080"])
    func wellFormedAddressesExist(address: String) async throws {
        let found = try await wallet().lookupUser(alice, receiverAddress: address, baseSendingCurrencyCode: nil)
        #expect(found.currencies.map(\.currency.code) == ["SAT", "USD", "EUR", "GBP", "MXN"])
    }

    @Test(arguments: ["alice", "@vasp.net", "alice@", "a@b@c", "$", "al ice@vasp.net", "alice@.net"])
    func malformedAddressesAreNotFound(address: String) async {
        await #expect(throws: WalletError.self) {
            try await wallet().lookupUser(alice, receiverAddress: address, baseSendingCurrencyCode: nil)
        }
        do {
            _ = try await wallet().lookupUser(alice, receiverAddress: address, baseSendingCurrencyCode: nil)
        } catch {
            #expect(error.code == .notFound)
        }
    }

    @Test func makeInvoiceValidatesItsRequest() async {
        let wallet = wallet()
        for request in [
            MakeInvoiceRequest(amount: 0), MakeInvoiceRequest(amount: -5), MakeInvoiceRequest(amount: 1, expiry: 0),
            MakeInvoiceRequest(amount: 1, descriptionHash: "abc"),
            MakeInvoiceRequest(amount: 1, description: String(repeating: "x", count: 5_000)),
        ] {
            await #expect(throws: WalletError.self) { try await wallet.makeInvoice(bob, request) }
        }
    }
}
