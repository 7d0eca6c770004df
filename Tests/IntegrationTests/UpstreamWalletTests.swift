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
        let upstream = try ServerProcess(
            dataDirectory: upstreamDirectory, extraEnvironment: ["GRANTLEDGER_DEV_LOGIN": "1"])
        let client = ConcurrentPaymentsTests.makeClient()
        defer { _ = upstream.stop() }
        let a = Fixture(server: upstream, directory: upstreamDirectory, client: client)
        // A's budget for B's credential: 3 sat in all, so A refuses the second 2-sat payment.
        let (upstreamToken, _) = try await a.exchange(
            "vasp-b", permissions: ["send_payments", "read_balance", "receive_payments"], budget: "3/never")

        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try ServerProcess(
            dataDirectory: directory,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_WALLET": "upstream",
                "GRANTLEDGER_UPSTREAM_URL": "\(upstream.baseURL)/umanwc/v1",
                "GRANTLEDGER_UPSTREAM_TOKEN": upstreamToken,
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
        #expect(server.stop() == 0)
        let verified = try runCLI(["verify", "--data-dir", directory])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
