import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `--wallet upstream` end to end: ledger B forwards authorized calls to a real UMA Auth API — here
/// another grantledger (A, demo wallet), reached with a connection token A issued — and maps A's
/// errors back.
@Suite(.serialized) struct UpstreamWalletTests {
    typealias Fixture = ConcurrentPaymentsTests.Fixture

    @Test func callsAreForwardedToTheUpstreamAndItsRefusalsComeBack() async throws {
        let upstreamDirectory = try ServerProcess.temporaryDataDirectory()
        // A and B show their callers the whole wallet, so the balance below is A's demo wallet's
        // own (with the default view B would see what is left of its 3-sat budget at A).
        let upstream = try await ServerProcess(
            dataDirectory: upstreamDirectory,
            extraEnvironment: ["GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_BALANCE_VIEW": "wallet"])
        let client = ConcurrentPaymentsTests.makeClient()
        defer { _ = upstream.stop() }
        let a = Fixture(server: upstream, directory: upstreamDirectory, client: client)
        // A's budget for B's credential: 3 sat in all, so A refuses the second 2-sat payment.
        let (upstreamToken, _) = try await a.exchange(
            "vasp-b", permissions: ["send_payments", "read_balance", "receive_payments"], budget: "3/never")

        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(
            dataDirectory: directory,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_WALLET": "upstream",
                "GRANTLEDGER_UPSTREAM_URL": "\(upstream.baseURL)/umanwc/v1",
                "GRANTLEDGER_UPSTREAM_TOKEN": upstreamToken, "GRANTLEDGER_BALANCE_VIEW": "wallet",
            ])
        let b = Fixture(server: server, directory: directory, client: client)
        let (token, _) = try await b.exchange(
            "alice", permissions: ["send_payments", "read_balance"], budget: "100/never")

        let balance = try await ConcurrentPaymentsTests.call(
            client, .GET, "\(server.baseURL)/umanwc/v1/balance", token: token)
        #expect(balance.status == 200, "\(balance)")
        #expect(balance.json["balance"] as? Int == 1_000_000_000, "A's demo wallet answered")

        // An invoice made on A, paid through B: B reserves against alice's budget, A pays and
        // counts against B's own budget at A.
        let invoices = try await a.invoices(upstreamToken, count: 2, amountMsat: 2_000, failing: { _ in false })
        let first = try await ConcurrentPaymentsTests.call(
            client, .POST, "\(server.baseURL)/umanwc/v1/payments/bolt11", token: token,
            body: #"{"invoice":"\#(invoices[0])"}"#)
        #expect(first.status == 200, "\(first)")
        let second = try await ConcurrentPaymentsTests.call(
            client, .POST, "\(server.baseURL)/umanwc/v1/payments/bolt11", token: token,
            body: #"{"invoice":"\#(invoices[1])"}"#)
        #expect(second.json["code"] as? String == "QUOTA_EXCEEDED", "A's refusal, mapped back: \(second)")

        try await client.shutdown()
        #expect(await server.stop() == 0)
        let verified = try await runCLI(["verify", "--data-dir", directory])
        #expect(verified.status == 0, "\(verified.output)")
    }

    /// Issue 9 through two real binaries: B prices its fiat budget at A's rate and charges it in
    /// MXN whatever currency the caller names; B's encoded `$`/`@` reach A's decoded router.
    @Test func aFiatBudgetBehindAnUpstreamIsChargedInItsOwnCurrency() async throws {
        let upstreamDirectory = try ServerProcess.temporaryDataDirectory()
        let upstream = try await ServerProcess(
            dataDirectory: upstreamDirectory, extraEnvironment: ["GRANTLEDGER_DEV_LOGIN": "1"])
        let client = ConcurrentPaymentsTests.makeClient()
        defer { _ = upstream.stop() }
        let a = Fixture(server: upstream, directory: upstreamDirectory, client: client)
        let (upstreamToken, _) = try await a.exchange("vasp-b", permissions: ["send_payments", "read_balance"])
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(
            dataDirectory: directory,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_WALLET": "upstream",
                "GRANTLEDGER_UPSTREAM_URL": "\(upstream.baseURL)/umanwc/v1",
                "GRANTLEDGER_UPSTREAM_TOKEN": upstreamToken,
            ])
        let b = Fixture(server: server, directory: directory, client: client)
        // 1000 centavos = 500,000 msat; each keysend is 400,000 msat = 800 centavos.
        let (token, _) = try await b.exchange("alice", permissions: ["send_payments"], budget: "1000.MXN/never")
        var statuses: [Int] = []
        for _ in 0..<5 {
            let answer = try await ConcurrentPaymentsTests.call(
                client, .POST, "\(server.baseURL)/umanwc/v1/payments/keysend", token: token,
                body: #"{"amount":400000,"pubkey":"02\#(String(repeating: "11", count: 32))","budget_currency_code":"GBP"}"#)
            statuses.append(answer.status)
        }
        #expect(statuses == [200, 402, 402, 402, 402])
        let receiver = try await ConcurrentPaymentsTests.call(
            client, .GET, "\(server.baseURL)/umanwc/v1/receiver/lud16/$carol@localhost", token: token)
        #expect(receiver.status == 200, "\(receiver)")

        try await client.shutdown()
        #expect(await server.stop() == 0)
        let verified = try await runCLI(["verify", "--data-dir", directory])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
