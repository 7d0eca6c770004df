import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerCore
import LedgerStore
import NIOCore
import Testing

/// The defects of issue 9, each reproduced as the UMA NWC server's VASP client and an
/// OpenAPI-generated client met them. Demo rates: 1 sat = 1,000 msat, 1 USD cent = 10,000 msat,
/// 1 EUR cent = 11,000, 1 GBP penny = 13,000, 1 MXN centavo = 500.
@Suite struct BudgetCurrencyDefectTests {
    static let pubkey = "02" + String(repeating: "11", count: 32)

    static func keysend(
        _ client: some TestClientProtocol, _ token: ExchangedToken, amountMsat: Int64, budgetCurrencyCode: String?
    ) async throws -> TestResponse {
        let code = budgetCurrencyCode.map { #""\#($0)""# } ?? "null"
        return try await client.execute(
            uri: "/umanwc/v1/payments/keysend", method: .post, headers: TestServer.headers(token: token.token),
            body: ByteBuffer(
                json: #"{"amount":\#(amountMsat),"pubkey":"\#(pubkey)","budget_currency_code":\#(code)}"#))
    }

    @Test func aCallersBudgetCurrencyCodeNeverLetsAFiatBudgetOverspend() async throws {
        let server = try TestServer()
        try await server.run { client in
            // 1000 centavos = 500,000 msat; each keysend is 400,000 msat = 800 centavos.
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "1000.MXN/never")
            var statuses: [Int] = []
            for _ in 0..<5 {
                statuses.append(
                    Int(try await Self.keysend(client, app, amountMsat: 400_000, budgetCurrencyCode: "GBP").status.code))
            }
            #expect(statuses == [200, 402, 402, 402, 402])
            let status = try #require(try await server.ledger.budgetStatus(connectionId: app.connectionId))
            #expect(status.usage == BudgetUsage(spentUnits: 800, heldUnits: 0, thresholdReached: true))
        }
    }

    @Test func aCallersBudgetCurrencyCodeNeverOverchargesAFiatBudget() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "1000.USD/never")
            // 1,000,000 msat is 100 cents, whatever unit the caller wants the answer in.
            let paid = try await Self.keysend(client, app, amountMsat: 1_000_000, budgetCurrencyCode: "SAT")
            #expect(paid.status == .ok)
            #expect(paid.json["total_budget_currency_amount"] as? Int == 1_000)
            let status = try #require(try await server.ledger.budgetStatus(connectionId: app.connectionId))
            #expect(status.usage.spentUnits == 100)
            let next = try await Self.keysend(client, app, amountMsat: 1_000_000, budgetCurrencyCode: "SAT")
            #expect(next.status == .ok)
            let after = try #require(try await server.ledger.budgetStatus(connectionId: app.connectionId))
            #expect(after.usage.spentUnits == 200 && after.usage.heldUnits == 0)
        }
    }

    @Test func totalBudgetCurrencyAmountIsInTheRequestedUnitWithOrWithoutABudget() async throws {
        let server = try TestServer()
        try await server.run { client in
            let unbudgeted = try await server.exchange(client, permissions: ["send_payments"])
            let sats = try await server.exchange(client, user: "bob", permissions: ["send_payments"], budget: "100/never")
            for (token, code, expected) in [
                (unbudgeted, "USD", 1), (unbudgeted, "SAT", 5), (unbudgeted, "EUR", 1), (unbudgeted, "MXN", 10),
                (sats, "USD", 1), (sats, "SAT", 5), (sats, "EUR", 1), (sats, "GBP", 1),
            ] {
                let paid = try await Self.keysend(client, token, amountMsat: 5_000, budgetCurrencyCode: code)
                #expect(paid.status == .ok)
                #expect(paid.json["total_budget_currency_amount"] as? Int == expected, "\(code)")
            }
            let silent = try await Self.keysend(client, sats, amountMsat: 5_000, budgetCurrencyCode: nil)
            #expect(silent.status == .ok && silent.json["total_budget_currency_amount"] == nil)
        }
    }

    @Test func pathParametersArePercentDecoded() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"])
            let encoded = try await client.execute(
                uri: "/umanwc/v1/receiver/lud16/%24alice%40vasp.net", method: .get,
                headers: TestServer.headers(token: app.token))
            #expect(encoded.status == .ok, "\(String(buffer: encoded.body))")
            #expect(encoded.json["currencies"] is [Any])
        }
    }

    @Test func aKnownPathWithAnotherMethodAnswers405WithAllow() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["read_balance"])
            let trace = try await client.execute(
                uri: "/umanwc/v1/balance", method: .init("TRACE")!, headers: TestServer.headers(token: app.token))
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow]?.contains("GET") == true)
            #expect(trace.json["code"] as? String == "OTHER")
        }
    }

    @Test func theTokenExchangeIsAlsoServedUnderTheAPIBase() async throws {
        let server = try TestServer()
        try await server.run { client in
            let response = try await client.execute(
                uri: "/umanwc/v1/token", method: .post,
                headers: TestServer.headers(token: try await server.userToken("alice", address: "$alice@localhost")),
                body: ByteBuffer(json: #"{"permissions":["read_balance"]}"#))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.json["token"] is String)
        }
    }
}
