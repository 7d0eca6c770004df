import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The project's main promise over real HTTP, against the real binary: however many payments race
/// for a budget, exactly the budget is spent; failed payments give their holds back.
@Suite(.serialized) struct ConcurrentPaymentsTests {
    struct Answer: Sendable, CustomStringConvertible {
        var status: Int
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var description: String { "\(status) \(String(decoding: body, as: UTF8.self))" }
    }

    /// A client that really opens 200 connections at once (the default pool keeps 8 per host).
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static func call(
        _ client: HTTPClient, _ method: HTTPMethod, _ url: String, token: String, body: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: Data(bytes.readableBytesView))
    }

    struct Fixture {
        let server: ServerProcess
        let directory: String
        let client: HTTPClient

        func userToken(_ user: String) async throws -> String {
            let result = try await runCLI([
                "user-token", "--data-dir", directory, "--sub", user, "--address", "$\(user)@localhost",
            ])
            try #require(result.status == 0, "user-token failed: \(result.output)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Returns the long-lived token and its connection id.
        func exchange(_ user: String, permissions: [String], budget: String? = nil) async throws -> (String, String) {
            let budgetMember = budget.map { #","budget":"\#($0)""# } ?? ""
            let answer = try await call(
                client, .POST, "\(server.baseURL)/umanwc/token", token: try userToken(user),
                body: #"{"permissions":\#(permissionsJSON(permissions))\#(budgetMember)}"#)
            try #require(answer.status == 200, "exchange: \(answer)")
            let token = try #require(answer.json["token"] as? String)
            let budgetAnswer = try await call(
                client, .GET, "\(server.baseURL)/v1/connections", token: try userToken(user))
            let rows = try #require(budgetAnswer.json["connections"] as? [[String: Any]])
            let ids = rows.compactMap { ($0["connection"] as? [String: Any])?["id"] as? String }
            return (token, try #require(ids.last))
        }

        func permissionsJSON(_ permissions: [String]) -> String {
            "[" + permissions.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        }

        func invoices(_ token: String, count: Int, amountMsat: Int, failing: (Int) -> Bool) async throws -> [String] {
            var result: [String] = []
            for index in 0..<count {
                let memo = failing(index) ? "demo:fail \(index)" : "coffee \(index)"
                let answer = try await call(
                    client, .POST, "\(server.baseURL)/umanwc/v1/invoice", token: token,
                    body: #"{"amount":\#(amountMsat),"description":"\#(memo)"}"#)
                result.append(try #require(answer.json["invoice"] as? String, "invoice: \(answer)"))
            }
            return result
        }

        /// Every invoice paid at once; the answers' statuses and codes. `budgetCurrencyCode` is sent
        /// as the NWC server's client sends it.
        func payAll(_ token: String, _ invoices: [String], budgetCurrencyCode: String? = nil) async throws -> [Answer] {
            let code = budgetCurrencyCode.map { #","budget_currency_code":"\#($0)""# } ?? ""
            return try await withThrowingTaskGroup(of: Answer.self) { group in
                for invoice in invoices {
                    group.addTask {
                        try await call(
                            client, .POST, "\(server.baseURL)/umanwc/v1/payments/bolt11", token: token,
                            body: #"{"invoice":"\#(invoice)"\#(code)}"#)
                    }
                }
                var answers: [Answer] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
        }

        func usedBudget(_ token: String, _ connectionId: String) async throws -> Int {
            let answer = try await call(
                client, .GET, "\(server.baseURL)/v1/connections/\(connectionId)/budget", token: token)
            return try #require(answer.json["used_budget"] as? Int, "budget: \(answer)")
        }
    }

    static func withServer(_ body: (Fixture) async throws -> Void) async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory, extraEnvironment: ["GRANTLEDGER_DEV_LOGIN": "1"])
        let client = makeClient()
        do {
            try await body(Fixture(server: server, directory: directory, client: client))
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        #expect(await server.stop() == 0)
        // The whole workload replays to exactly the live projections.
        let verified = try await runCLI(["verify", "--data-dir", directory])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("projections equal a fresh replay"))
    }

    @Test func twoHundredConcurrentPaymentsSpendExactlyTheBudget() async throws {
        try await Self.withServer { fixture in
            let (payer, connectionId) = try await fixture.exchange(
                "alice", permissions: ["send_payments"], budget: "50/never")
            let (payee, _) = try await fixture.exchange("bob", permissions: ["receive_payments"])
            let invoices = try await fixture.invoices(payee, count: 200, amountMsat: 1_000, failing: { _ in false })

            let answers = try await fixture.payAll(payer, invoices)
            let paid = answers.filter { $0.status == 200 }
            let refused = answers.filter { $0.status == 402 && $0.json["code"] as? String == "QUOTA_EXCEEDED" }
            #expect(paid.count == 50)
            #expect(refused.count == 150)
            #expect(
                paid.count + refused.count == 200,
                "other answers: \(answers.filter { ![200, 402].contains($0.status) })")
            #expect(try await fixture.usedBudget(payer, connectionId) == 50_000)

            // The user's audit view agrees: 50 settled payments of 1,000 msat.
            let list = try await Self.call(
                fixture.client, .GET, "\(fixture.server.baseURL)/v1/connections", token: try fixture.userToken("alice"))
            let row = try #require((list.json["connections"] as? [[String: Any]])?.first)
            #expect(row["settled_total_msat"] as? Int == 50_000)
        }
    }

    /// The same race on a fiat budget, each payment naming another currency as its budget's:
    /// 500 centavos, 4,999 msat a payment (9.998 centavos, charged 10), so exactly 50 pass.
    @Test func twoHundredConcurrentPaymentsSpendExactlyAFiatBudgetWhateverCurrencyTheyName() async throws {
        try await Self.withServer { fixture in
            let (payer, connectionId) = try await fixture.exchange(
                "erin", permissions: ["send_payments"], budget: "500.MXN/never")
            let (payee, _) = try await fixture.exchange("frank", permissions: ["receive_payments"])
            let invoices = try await fixture.invoices(payee, count: 200, amountMsat: 4_999, failing: { _ in false })

            let answers = try await fixture.payAll(payer, invoices, budgetCurrencyCode: "GBP")
            let paid = answers.filter { $0.status == 200 }
            let refused = answers.filter { $0.status == 402 && $0.json["code"] as? String == "QUOTA_EXCEEDED" }
            #expect(paid.count == 50)
            #expect(refused.count == 150)
            // Each answer is in the unit asked for: 4,999 msat is one GBP penny, rounded up.
            #expect(paid.allSatisfy { $0.json["total_budget_currency_amount"] as? Int == 1 })
            let budget = try await Self.call(
                fixture.client, .GET, "\(fixture.server.baseURL)/v1/connections/\(connectionId)/budget", token: payer)
            let currency = try #require(budget.json["currency"] as? [String: Any], "\(budget)")
            #expect(currency["used_budget"] as? Int == 500 && currency["total_budget"] as? Int == 500)
        }
    }

    @Test func failedPaymentsReleaseTheirHoldsAndNothingIsCountedTwice() async throws {
        try await Self.withServer { fixture in
            let (payer, connectionId) = try await fixture.exchange(
                "carol", permissions: ["send_payments"], budget: "50/never")
            let (payee, _) = try await fixture.exchange("dave", permissions: ["receive_payments"])
            let failing: (Int) -> Bool = { $0 % 3 == 0 }
            let invoices = try await fixture.invoices(payee, count: 200, amountMsat: 1_000, failing: failing)

            let answers = try await fixture.payAll(payer, invoices)
            let paid = answers.filter { $0.status == 200 }.count
            let failed = answers.filter { $0.json["code"] as? String == "PAYMENT_FAILED" }.count
            let refused = answers.filter { $0.json["code"] as? String == "QUOTA_EXCEEDED" }.count
            #expect(paid + failed + refused == 200)
            #expect(failed <= 67 && paid <= 50)
            // Settled equals what succeeded, and no hold is left behind.
            #expect(try await fixture.usedBudget(payer, connectionId) == paid * 1_000)

            // The released holds came back: fresh payments succeed until exactly the budget is spent.
            let more = try await fixture.invoices(payee, count: 60, amountMsat: 1_000, failing: { _ in false })
            var extra = 0
            for invoice in more {
                let answer = try await Self.call(
                    fixture.client, .POST, "\(fixture.server.baseURL)/umanwc/v1/payments/bolt11", token: payer,
                    body: #"{"invoice":"\#(invoice)"}"#)
                if answer.status == 200 {
                    extra += 1
                } else {
                    #expect(answer.json["code"] as? String == "QUOTA_EXCEEDED")
                    break
                }
            }
            #expect(paid + extra == 50)
            #expect(try await fixture.usedBudget(payer, connectionId) == 50_000)

            // Revocation is part of the workload the replay must reproduce.
            let revoked = try await Self.call(
                fixture.client, .DELETE, "\(fixture.server.baseURL)/v1/connections/\(connectionId)",
                token: try fixture.userToken("carol"))
            #expect(revoked.status == 200)
            let after = try await Self.call(
                fixture.client, .GET, "\(fixture.server.baseURL)/v1/connections/\(connectionId)/budget", token: payer)
            #expect(after.status == 401 && after.json["code"] as? String == "UNAUTHORIZED")
        }
    }
}
