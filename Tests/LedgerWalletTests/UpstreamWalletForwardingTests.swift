import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import LedgerWallet
import LedgerCore
import LedgerDemo

@Suite struct UpstreamWalletForwardingTests {
    static let token = "upstream-secret-token"
    let alice = WalletUser(userId: "alice", address: "$alice@ledger.example")

    static func wallet(_ server: CannedUpstream, timeout: TimeAmount = .seconds(5)) -> UpstreamWallet {
        UpstreamWallet(baseURL: server.baseURL + "/", upstreamToken: token, timeout: timeout)
    }

    static let invoiceHash = SHA256.hash(data: Data("upstream".utf8)).hexString
    static let invoice = Bolt11Invoice.encode(
        network: "bc", amountMsat: 50_000, timestamp: 1_700_000_000, paymentHash: invoiceHash,
        description: "forwarded")

    @Test func payInvoicePostsTheBodyWithOurCredentialAndReadsTheFee() async throws {
        let server = try await CannedUpstream.start { request in
            if request.uri.hasPrefix("/umanwc/v1/invoices/") {
                return (
                    .ok,
                    #"{"type":"outgoing","payment_hash":"\#(Self.invoiceHash)","amount":50000,"fees_paid":12,"created_at":1}"#
                )
            }
            return (.ok, #"{"preimage":"abcd","total_budget_currency_amount":6}"#)
        }
        defer { Task { try? await server.stop() } }

        let result = try await Self.wallet(server).payInvoice(
            alice, PayInvoiceRequest(invoice: Self.invoice, budgetCurrencyCode: "USD"))
        #expect(
            result
                == PaymentResult(preimage: "abcd", amountMsat: 50_000, feesPaidMsat: 12, totalBudgetCurrencyAmount: 6))

        let requests = server.requests
        #expect(requests.count == 2)
        let pay = try #require(requests.first)
        #expect(pay.method == .POST)
        #expect(pay.uri == "/umanwc/v1/payments/bolt11")
        #expect(pay.headers["Authorization"] == ["Bearer \(Self.token)"])
        #expect(pay.headers["X-User-Id"] == ["alice"])
        #expect(pay.headers["Content-Type"] == ["application/json"])
        #expect(pay.json["invoice"] as? String == Self.invoice)
        #expect(pay.json["budget_currency_code"] as? String == "USD")
        #expect(pay.json["amount"] == nil)
        #expect(requests.last?.method == .GET)
        #expect(requests.last?.uri == "/umanwc/v1/invoices/\(Self.invoiceHash)")
    }

    @Test func feeFallsBackToTheReserveWhenTheLookupFails() async throws {
        let server = try await CannedUpstream.start { request in
            request.method == .POST
                ? (.ok, #"{"preimage":"abcd"}"#) : (.notFound, #"{"code":"NOT_FOUND","message":"?"}"#)
        }
        defer { Task { try? await server.stop() } }
        let result = try await Self.wallet(server).payInvoice(alice, PayInvoiceRequest(invoice: Self.invoice))
        #expect(result.feesPaidMsat == FeeReservePolicy.default.reserveMsat(forAmountMsat: 50_000))
    }

    @Test func malformedInvoiceNeverReachesTheUpstream() async throws {
        let server = try await CannedUpstream.start { _ in (.ok, #"{"preimage":"abcd"}"#) }
        defer { Task { try? await server.stop() } }
        await #expect(throws: WalletError.self) {
            try await Self.wallet(server).payInvoice(alice, PayInvoiceRequest(invoice: "lnbc1garbage"))
        }
        #expect(server.requests.isEmpty)
    }

    @Test func readingCallsUseTheSpecPathsAndEncodedQueries() async throws {
        let server = try await CannedUpstream.start { request in
            let path = request.uri.split(separator: "?").first.map(String.init) ?? ""
            switch path {
            case "/umanwc/v1/balance":
                return (
                    .ok, #"{"balance":123.0,"currency":{"code":"USD","symbol":"$","name":"US Dollar","decimals":2}}"#
                )
            case "/umanwc/v1/transactions": return (.ok, #"{"transactions":[]}"#)
            case "/umanwc/v1/info": return (.ok, #"{"pubkey":"02ab","network":"mainnet","methods":["everything"]}"#)
            case "/umanwc/v1/budget_estimate": return (.ok, #"{"estimated_budget_currency_amount":77}"#)
            default: return (.ok, #"{"currencies":[]}"#)
            }
        }
        defer { Task { try? await server.stop() } }
        let wallet = Self.wallet(server)

        #expect(try await wallet.balance(alice, currencyCode: "USD").balance == 123)
        _ = try await wallet.listTransactions(
            alice, ListTransactionsQuery(from: 10, until: 20, limit: 5, offset: 0, unpaid: true, type: .incoming))
        let info = try await wallet.info(alice, methods: ["get_balance"])
        #expect(info.methods == ["get_balance"])  // the grant's list, not the upstream's
        _ = try await wallet.lookupUser(alice, receiverAddress: "$bob@vasp.net", baseSendingCurrencyCode: "USD")
        #expect(
            try await wallet.budgetEstimate(
                sendingCurrencyCode: "USD", sendingCurrencyAmount: 500, budgetCurrencyCode: "EUR") == 77)
        let cost = try await wallet.addressPaymentCostMsat(
            alice,
            PayToAddressRequest(
                receiverAddress: "$bob@vasp.net", sendingCurrencyCode: "USD", sendingCurrencyAmount: 500))
        #expect(cost == 77_000)

        let uris = server.requests.map { "\($0.method) \($0.uri)" }
        #expect(
            uris == [
                "GET /umanwc/v1/balance?currency_code=USD",
                "GET /umanwc/v1/transactions?from=10&until=20&limit=5&offset=0&unpaid=true&type=incoming",
                "GET /umanwc/v1/info",
                "GET /umanwc/v1/receiver/lud16/%24bob%40vasp.net?base_sending_currency_code=USD",
                "GET /umanwc/v1/budget_estimate?sending_currency_code=USD&sending_currency_amount=500&budget_currency_code=EUR",
                "GET /umanwc/v1/budget_estimate?sending_currency_code=USD&sending_currency_amount=500&budget_currency_code=SAT",
            ])
        #expect(server.requests.allSatisfy { $0.headers["Authorization"] == ["Bearer \(Self.token)"] })
    }

    @Test func makeInvoiceAndLookupForwardTheirBodies() async throws {
        let transaction =
            #"{"type":"incoming","invoice":"lnbc1","payment_hash":"ff","amount":1000,"created_at":5,"expires_at":65}"#
        let server = try await CannedUpstream.start { _ in (.ok, transaction) }
        defer { Task { try? await server.stop() } }
        let wallet = Self.wallet(server)
        let made = try await wallet.makeInvoice(
            alice, MakeInvoiceRequest(amount: 1_000, description: "tea", expiry: 60))
        #expect(made.expiresAt == 65)
        _ = try await wallet.lookupInvoice(alice, paymentHash: "ff")
        let requests = server.requests
        #expect(requests.first?.method == .POST)
        #expect(requests.first?.uri == "/umanwc/v1/invoice")
        #expect(requests.first?.json["amount"] as? Int == 1_000)
        #expect(requests.first?.json["description"] as? String == "tea")
        #expect(requests.first?.json["expiry"] as? Int == 60)
        #expect(requests.last?.uri == "/umanwc/v1/invoices/ff")
    }

    @Test func quoteIsFetchedRememberedAndExecuted() async throws {
        let quoteJSON = """
            {"sending_currency":{"code":"SAT","symbol":"sat","name":"Satoshi","decimals":0},
             "receiving_currency":{"code":"USD","symbol":"$","name":"US Dollar","decimals":2},
             "payment_hash":"q1","expires_at":2000000000,"multiplier":10.0,"fees":3,
             "total_sending_amount":1003,"total_receiving_amount":100,"created_at":1}
            """
        let server = try await CannedUpstream.start { request in
            request.method == .GET
                ? (.ok, quoteJSON) : (.ok, #"{"preimage":"beef","total_budget_currency_amount":1003}"#)
        }
        defer { Task { try? await server.stop() } }
        let wallet = Self.wallet(server)

        await #expect(throws: WalletError.self) {
            try await wallet.executeQuote(alice, paymentHash: "q1", ExecuteQuoteRequest())
        }
        let quote = try await wallet.fetchQuote(
            alice,
            FetchQuoteQuery(
                sendingCurrencyCode: "SAT", receivingCurrencyCode: "USD", lockedCurrencyAmount: 100,
                lockedCurrencySide: .receiving, receiverAddress: "$bob@vasp.net"))
        #expect(await wallet.knownQuote(paymentHash: "q1") == quote)
        let result = try await wallet.executeQuote(
            alice, paymentHash: "q1", ExecuteQuoteRequest(budgetCurrencyCode: "SAT"))
        #expect(
            result
                == PaymentResult(
                    preimage: "beef", amountMsat: 1_000_000, feesPaidMsat: 3_000, totalBudgetCurrencyAmount: 1003))

        let requests = server.requests
        #expect(
            requests.first?.uri
                == "/umanwc/v1/quote/lud16?sending_currency_code=SAT&receiving_currency_code=USD&locked_currency_amount=100&locked_currency_side=receiving&receiver_address=%24bob%40vasp.net"
        )
        #expect(requests.last?.method == .POST)
        #expect(requests.last?.uri == "/umanwc/v1/quote/q1")
        #expect(requests.last?.json["budget_currency_code"] as? String == "SAT")
    }

    @Test func keysendAndAddressPaymentsArePosted() async throws {
        let quoteJSON = """
            {"sending_currency":{"code":"SAT","symbol":"sat","name":"Satoshi","decimals":0},
             "receiving_currency":{"code":"SAT","symbol":"sat","name":"Satoshi","decimals":0},
             "payment_hash":"q2","expires_at":2000000000,"multiplier":1.0,"fees":1,
             "total_sending_amount":501,"total_receiving_amount":500,"created_at":1}
            """
        let server = try await CannedUpstream.start { request in
            switch request.uri {
            case "/umanwc/v1/payments/lud16": (.ok, #"{"preimage":"cafe","quote":\#(quoteJSON)}"#)
            case "/umanwc/v1/payments/keysend": (.ok, #"{"preimage":"\#(String(repeating: "11", count: 32))"}"#)
            default: (.notFound, #"{"code":"NOT_FOUND","message":"no"}"#)
            }
        }
        defer { Task { try? await server.stop() } }
        let wallet = Self.wallet(server)

        let keysend = try await wallet.payKeysend(
            alice, PayKeysendRequest(amount: 2_000, pubkey: "02" + String(repeating: "ab", count: 32)))
        #expect(keysend.amountMsat == 2_000)
        let (paid, quote) = try await wallet.payToAddress(
            alice,
            PayToAddressRequest(
                receiverAddress: "$bob@vasp.net", sendingCurrencyCode: "SAT", sendingCurrencyAmount: 500))
        #expect(paid.amountMsat == 500_000)
        #expect(paid.feesPaidMsat == 1_000)
        #expect(quote.paymentHash == "q2")
        #expect(await wallet.knownQuote(paymentHash: "q2") == quote)

        let posts = server.requests.filter { $0.method == .POST }
        #expect(posts.map(\.uri) == ["/umanwc/v1/payments/keysend", "/umanwc/v1/payments/lud16"])
        #expect(posts.first?.json["pubkey"] as? String == "02" + String(repeating: "ab", count: 32))
        #expect(posts.last?.json["receiver_address"] as? String == "$bob@vasp.net")
        #expect(posts.last?.json["sending_currency_amount"] as? Int == 500)
    }

    @Test func feeReserveIsOnePercentWithATenSatFloor() {
        let policy = FeeReservePolicy.default
        #expect(policy.reserveMsat(forAmountMsat: 0) == 10_000)
        #expect(policy.reserveMsat(forAmountMsat: 1_000_000) == 10_000)
        #expect(policy.reserveMsat(forAmountMsat: 1_000_001) == 10_001)
        #expect(policy.reserveMsat(forAmountMsat: 100_000_000) == 1_000_000)
        #expect(policy.reserveMsat(forAmountMsat: .max) > 0)
    }
}
