import LedgerApp
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerCore
import LedgerHTTP
import LedgerStore
import LedgerWallet
import NIOCore
import Testing
import LedgerDemo

/// What NWC users ask for on the money path: an app sees its budget, not the user's wealth; no
/// grant is unlimited by accident; one payment can be capped; nothing a caller says about prices
/// reaches a budget.
@Suite struct NWCBudgetFeatureTests {
    typealias Defects = BudgetCurrencyDefectTests

    static func balance(_ client: some TestClientProtocol, _ token: ExchangedToken, _ query: String = "")
        async throws -> Double?
    {
        let response = try await client.execute(
            uri: "/umanwc/v1/balance\(query)", method: .get, headers: TestServer.headers(token: token.token))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return (response.json["balance"] as? NSNumber)?.doubleValue
    }

    @Test func getBalanceShowsAtMostWhatIsLeftOfTheBudget() async throws {
        let server = try TestServer()
        try await server.run { client in
            let sats = try await server.exchange(
                client, permissions: ["send_payments", "read_balance"], budget: "100/never")
            #expect(try await Self.balance(client, sats) == 100_000)
            _ = try await Defects.keysend(client, sats, amountMsat: 30_000, budgetCurrencyCode: nil)
            #expect(try await Self.balance(client, sats) == 70_000)
            #expect(try await Self.balance(client, sats, "?currency_code=SAT") == 70)
            #expect(try await Self.balance(client, sats, "?currency_code=USD") == 7)

            let cents = try await server.exchange(
                client, user: "bob", permissions: ["send_payments", "read_balance"], budget: "10.USD/never")
            _ = try await Defects.keysend(client, cents, amountMsat: 15_000, budgetCurrencyCode: nil)
            // 2 cents charged (15,000 msat rounded up), 8 left: 80,000 msat, 160 centavos.
            #expect(try await Self.balance(client, cents) == 80_000)
            #expect(try await Self.balance(client, cents, "?currency_code=USD") == 8)
            #expect(try await Self.balance(client, cents, "?currency_code=MXN") == 160)

            let unlimited = try await server.exchange(client, user: "carol", permissions: ["read_balance"])
            #expect(try await Self.balance(client, unlimited) == 1_000_000_000)
        }
    }

    @Test func theWalletsBalanceWinsWhenItIsSmallerAndTheWalletViewShowsItAll() async throws {
        let poor = try TestServer(wallet: DemoWallet(startingBalanceMsat: 50_000))
        try await poor.run { client in
            let app = try await poor.exchange(client, permissions: ["read_balance"], budget: "100/never")
            #expect(try await Self.balance(client, app) == 50_000)
        }
        let walletView = try TestServer(nwc: NWCSettings(issuer: TestServer.issuer, balanceView: .wallet))
        try await walletView.run { client in
            let app = try await walletView.exchange(client, permissions: ["read_balance"], budget: "100/never")
            #expect(try await Self.balance(client, app) == 1_000_000_000)
        }
    }

    @Test func aDefaultBudgetAppliesToEveryGrantThatAsksForNone() async throws {
        let server = try TestServer(
            nwc: NWCSettings(issuer: TestServer.issuer, defaultBudget: try BudgetDefinition.parse("20/daily;max=5")))
        try await server.run { client in
            let defaulted = try await server.exchange(client, permissions: ["send_payments"])
            let chosen = try await server.exchange(client, user: "bob", permissions: ["send_payments"], budget: "7/never")
            #expect(try await server.ledger.connection(id: defaulted.connectionId)?.budget?.description == "20.SAT/daily;max=5")
            #expect(try await server.ledger.connection(id: chosen.connectionId)?.budget?.description == "7.SAT/never")
            let capped = try await Defects.keysend(client, defaulted, amountMsat: 5_001, budgetCurrencyCode: nil)
            #expect(capped.status.code == 402)
            #expect((capped.json["message"] as? String)?.contains("in one payment") == true)

            // OAuth: an authorization code without `budget`, a device approval without one, and
            // the client's own grant from client_credentials.
            let app = try await server.registerClient(client)
            let tokens = try await server.grant(client, app)
            let access = try #require(tokens["access_token"] as? String)
            let claims = try TestServer.claims(of: access)
            let jti = try #require(claims["jti"] as? String)
            let (_, grantConnection) = try #require(try await server.ledger.token(jti: jti))
            #expect(grantConnection.budget?.description == "20.SAT/daily;max=5")

            let (deviceCode, userCode) = try await server.deviceStart(client, app)
            var userHeaders = HTTPFields()
            userHeaders[.contentType] = "application/x-www-form-urlencoded"
            userHeaders[.authorization] = "Bearer \(try await server.userToken("dave"))"
            let approved = try await client.execute(
                uri: "/oauth/device", method: .post, headers: userHeaders,
                body: TestServer.formBody(["user_code": userCode]))
            #expect(approved.status == .ok)
            let pending = try #require(try server.ledger.pendingGrant(codeSha256: sha256Hex(deviceCode)))
            #expect(pending.budget?.description == "20.SAT/daily;max=5")

            let credentials = try await server.tokenRequest(client, app, ["grant_type": "client_credentials"])
            #expect(credentials.status == .ok)
            let own = try await server.ledger.connection(id: ClientCredentials.connectionId(clientId: app.id))
            #expect(own?.budget?.description == "20.SAT/daily;max=5")
        }
    }

    @Test func aPerPaymentCapIsShownAndEnforcedBesideThePeriodBudget() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "100/daily;max=10")
            let shown = try await client.execute(
                uri: "/admin/connections/\(app.connectionId)", method: .get, headers: TestServer.headers())
            #expect((shown.json["budget"] as? [String: Any])?["max_per_payment"] as? Int == 10)
            #expect(try await Defects.keysend(client, app, amountMsat: 10_000, budgetCurrencyCode: nil).status == .ok)
            let over = try await Defects.keysend(client, app, amountMsat: 10_001, budgetCurrencyCode: nil)
            #expect(over.status.code == 402 && over.json["code"] as? String == "QUOTA_EXCEEDED")
            #expect(
                over.json["message"] as? String
                    == "this payment needs 10001 msat with its fee reserve but at most 10000 are allowed in one payment")
            let bad = try await server.exchangeResponse(client, budget: "100/daily;max=0")
            #expect(bad.status == .badRequest)
            #expect((bad.json["error"] as? String)?.contains("max must be positive") == true)
        }
    }

    @Test func theBudgetServiceTakesNoCallerPricedAmounts() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "10.USD/never")
            func post(_ uri: String, _ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post, headers: TestServer.headers(token: app.token), body: ByteBuffer(json: body))
            }
            let estimated = try await post(
                "/v1/connections/\(app.connectionId)/spends", #"{"amount_msat":1000,"estimated_budget_amount":0}"#)
            #expect(estimated.status == .badRequest)
            #expect((estimated.json["message"] as? String)?.contains("prices the hold itself") == true)
            // 9,999 msat + 2 msat fee reserve = 10,001 msat: two cents held (rounded up, never down).
            let held = try await post(
                "/v1/connections/\(app.connectionId)/spends", #"{"amount_msat":9999,"fee_reserve_msat":2}"#)
            #expect(held.status == .created && held.json["held_amount"] as? Int == 2)
            let id = try #require(held.json["id"] as? String)
            let priced = try await post("/v1/spends/\(id)/settle", #"{"amount_msat":9999,"budget_amount":0}"#)
            #expect(priced.status == .badRequest)
            let settled = try await post("/v1/spends/\(id)/settle", #"{"amount_msat":9999,"fee_msat":1}"#)
            #expect(settled.json["charged_amount"] as? Int == 1)
            let budget = try await client.execute(
                uri: "/v1/connections/\(app.connectionId)/budget", method: .get,
                headers: TestServer.headers(token: app.token))
            #expect(budget.json["used_budget"] as? Int == 10_000 && budget.json["total_budget"] as? Int == 100_000)
            let currency = try #require(budget.json["currency"] as? [String: Any])
            #expect(currency["used_budget"] as? Int == 1 && currency["total_budget"] as? Int == 10)
        }
    }

    @Test func aBudgetTheWalletCannotPriceRefusesEveryPaymentAndRecordsWhy() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "100.JPY/never")
            let refused = try await Defects.keysend(client, app, amountMsat: 1_000, budgetCurrencyCode: nil)
            #expect(refused.status.code == 402 && refused.json["code"] as? String == "QUOTA_EXCEEDED")
            #expect((refused.json["message"] as? String)?.contains("no exchange rate for JPY") == true)
            let status = try #require(try await server.ledger.budgetStatus(connectionId: app.connectionId))
            #expect(status.usage == .zero)
        }
    }

    @Test func anUnknownBudgetCurrencyCodeIsRefusedBeforeAnythingIsWrittenOrPaid() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments", "read_balance"])
            let before = try await server.ledger.headSeq()
            for code in ["XYZ", "U$D", "TOOLONGX"] {
                let refused = try await Defects.keysend(client, app, amountMsat: 1_000, budgetCurrencyCode: code)
                #expect(refused.status == .badRequest && refused.json["code"] as? String == "OTHER", "\(code)")
            }
            #expect(try await server.ledger.headSeq() == before)
            #expect(try await Self.balance(client, app) == 1_000_000_000)
        }
    }
}

extension TestServer {
    /// The token exchange's raw answer, for the refusals.
    func exchangeResponse(_ client: some TestClientProtocol, user: String = "alice", budget: String) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/umanwc/token", method: .post, headers: Self.headers(token: try await userToken(user)),
            body: ByteBuffer(json: #"{"permissions":["send_payments"],"budget":"\#(budget)"}"#))
    }
}
