import LedgerApp
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerHTTP
import LedgerStore
import LedgerWallet
import NIOCore
import Testing
import LedgerDemo

/// Issue 9's table: budget currency {none, SAT, USD, EUR, MXN} × the caller's `budget_currency_code`
/// {absent, SAT, USD, GBP, MXN} × route × wallet {demo, upstream}, each row a run of payments, some
/// smaller than one unit of the budget's currency. For every payment an independent model says
/// whether the budget covers its hold, what it is charged (amount plus fee in the budget's currency,
/// rounded up) and what `total_budget_currency_amount` must say; the ledger must agree on every
/// one, and nothing past the budget is ever settled.
///
/// The budget service and the gateway take no `budget_currency_code`, so their rows have it
/// absent only: 4 UMA routes × 5 × 5 × 2 + 2 routes × 5 × 1 × 2 = 220 rows of 8 payments.
@Suite struct BudgetCurrencyMatrixTests {
    enum Route: String, CaseIterable, Sendable {
        case bolt11, keysend, lud16, executeQuote, budgetService, gateway

        var takesBudgetCurrencyCode: Bool { self != .budgetService && self != .gateway }
        /// Routes whose payments are whole sats (lud16 and quotes send SAT, the gateway's keysend counts sat).
        var paysInSat: Bool { self == .lud16 || self == .executeQuote || self == .gateway }
    }

    enum WalletKind: String, CaseIterable, Sendable { case demo, upstream }

    /// Budgets of about 120,000 msat each at the demo rates.
    static let budgets: [String?] = [nil, "120/never", "12.USD/never", "11.EUR/never", "240.MXN/never"]
    static let codes: [String?] = [nil, "SAT", "USD", "GBP", "MXN"]
    /// The first, fifth and last are smaller than one cent (10,000 msat) or centavo-rounded.
    static let msatPayments: [Int64] = [9_999, 23_001, 9_999, 41_500, 1, 17_000, 30_000, 2_000]
    static let satPayments: [Int64] = [9, 23, 9, 41, 1, 17, 30, 2]

    /// The demo wallets' flat fee (ours, or the upstream's): not a whole sat, so it rounds.
    static let walletFeeMsat: Int64 = 1_500
    static let upstreamFeeReserve = FeeReservePolicy(basisPoints: 100, minimumMsat: 2_000)
    static let msatPerUnit: [String: Int64] = ["SAT": 1_000, "USD": 10_000, "EUR": 11_000, "GBP": 13_000, "MXN": 500]

    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { (a + b - 1) / b }

    /// What the ledger holds and what the payment costs, in msat, as each wallet and route pays.
    static func model(_ route: Route, _ wallet: WalletKind, amount: Int64) -> (holdMsat: Int64, chargeMsat: Int64) {
        let fee = walletFeeMsat
        let feeSats = ceilDiv(fee, 1_000) * 1_000
        switch (route, wallet) {
        case (.bolt11, .demo), (.keysend, .demo): return (amount + fee, amount + fee)
        case (.bolt11, .upstream), (.keysend, .upstream):
            return (amount + upstreamFeeReserve.reserveMsat(forAmountMsat: amount), amount + fee)
        case (.lud16, .demo): return (amount * 1_000 + 2 * fee, amount * 1_000 + fee)
        case (.lud16, .upstream):
            let cost = amount * 1_000
            return (cost + upstreamFeeReserve.reserveMsat(forAmountMsat: cost), cost + feeSats)
        case (.executeQuote, .demo): return (amount * 1_000 + feeSats + fee, amount * 1_000 + fee)
        case (.executeQuote, .upstream):
            let cost = amount * 1_000 + feeSats
            return (cost + upstreamFeeReserve.reserveMsat(forAmountMsat: cost), amount * 1_000 + feeSats)
        case (.budgetService, _): return (amount + fee, amount + fee)
        case (.gateway, _):
            let msat = amount * 1_000
            return (msat + FeeReservePolicy.default.reserveMsat(forAmountMsat: msat), msat + 1_000)
        }
    }

    static let rows: [(Route, WalletKind)] = Route.allCases.flatMap { route in
        WalletKind.allCases.map { (route, $0) }
    }

    @Test(arguments: rows)
    func nothingPastTheBudgetIsSettledAndEveryChargeIsTheBudgetCurrencysOwn(route: Route, wallet: WalletKind)
        async throws
    {
        try await Self.withServer(wallet: wallet, gateway: route == .gateway) { server, client, upstream in
            var row = 0
            var (paid, refused) = (0, 0)
            for budget in Self.budgets {
                for code in route.takesBudgetCurrencyCode ? Self.codes : [nil] {
                    row += 1
                    let outcome = try await Self.runRow(
                        route: route, wallet: wallet, budget: budget, code: code, user: "payer-\(row)", server: server,
                        client: client, upstream: upstream)
                    paid += outcome.paid
                    refused += outcome.refused
                }
            }
            #expect(row == (route.takesBudgetCurrencyCode ? 25 : 5))
            // The payments run each budget out: both outcomes occur in every route's rows.
            #expect(paid > 0 && refused > 0, "paid \(paid), refused \(refused)")
        }
    }

    static func runRow(
        route: Route, wallet: WalletKind, budget: String?, code: String?, user: String, server: TestServer,
        client: some TestClientProtocol, upstream: Upstream?
    ) async throws -> (paid: Int, refused: Int) {
        var (paid, refused) = (0, 0)
        let label = "\(route) \(wallet) budget \(budget ?? "none") code \(code ?? "absent")"
        let definition = try budget.map { try BudgetDefinition.parse($0) }
        let budgetMsatPerUnit = definition.map { $0.isBitcoin ? 1 : msatPerUnit[$0.currency]! }
        let payer = try await Payer.make(route, server: server, client: client, user: user, budget: budget)
        var usedUnits: Int64 = 0
        for amount in route.paysInSat ? satPayments : msatPayments {
            let (holdMsat, chargeMsat) = model(route, wallet, amount: amount)
            let covered: Bool =
                if let definition, let perUnit = budgetMsatPerUnit {
                    usedUnits + ceilDiv(holdMsat, perUnit) <= definition.limitUnits
                } else { true }
            let answer = try await payer.pay(
                amount: amount, code: code, server: server, client: client, upstream: upstream)
            if covered {
                paid += 1
                #expect(answer.paid, "\(label): \(amount) should pass: \(answer.body)")
                if let perUnit = budgetMsatPerUnit { usedUnits += ceilDiv(chargeMsat, perUnit) }
                // The caller's unit, or the sending currency (SAT) where the spec makes it the default.
                let answerCode = code ?? (route == .lud16 || route == .executeQuote ? "SAT" : nil)
                if route.takesBudgetCurrencyCode {
                    let expected = answerCode.map { ceilDiv(chargeMsat, msatPerUnit[$0]!) }
                    #expect(answer.total == expected, "\(label): total_budget_currency_amount of \(amount)")
                }
            } else {
                refused += 1
                #expect(answer.quotaExceeded, "\(label): \(amount) should be refused: \(answer.body)")
            }
        }
        let status = try #require(try await server.ledger.budgetStatus(connectionId: payer.connectionId))
        #expect(status.usage.heldUnits == 0, "\(label)")
        if let definition {
            #expect(status.usage.spentUnits == usedUnits, "\(label): the ledger's usage")
            #expect(status.usage.spentUnits <= definition.limitUnits, "\(label): settled past the budget")
        }
        return (paid, refused)
    }

    // MARK: Paying, route by route

    struct Answer {
        var paid: Bool
        var quotaExceeded: Bool
        var total: Int64?
        var body: String
    }

    struct Payer {
        var route: Route
        var token: String
        var connectionId: String

        static func make(
            _ route: Route, server: TestServer, client: some TestClientProtocol, user: String, budget: String?
        ) async throws -> Payer {
            if route == .gateway {
                let app = try await server.registerClient(client, scopes: ["payments:send"])
                let granted = try await server.grant(
                    client, app, scope: "payments:send", extra: budget.map { ["budget": $0] } ?? [:])
                let token = try #require(granted["access_token"] as? String)
                let claims = try TestServer.claims(of: token)
                let jti = try #require(claims["jti"] as? String)
                let (_, connection) = try #require(try await server.ledger.token(jti: jti))
                return Payer(route: route, token: token, connectionId: connection.id)
            }
            let exchanged = try await server.exchange(
                client, user: user, permissions: ["send_payments"], budget: budget)
            return Payer(route: route, token: exchanged.token, connectionId: exchanged.connectionId)
        }

        func pay(
            amount: Int64, code: String?, server: TestServer, client: some TestClientProtocol, upstream: Upstream?
        ) async throws -> Answer {
            let codeJSON = code.map { #""\#($0)""# } ?? "null"
            func post(_ uri: String, _ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post, headers: TestServer.headers(token: token), body: ByteBuffer(json: body))
            }
            let response: TestResponse
            switch route {
            case .bolt11:
                let invoice: String
                if let upstream {
                    invoice = try await upstream.invoice(amountMsat: amount)
                } else {
                    invoice = try await server.invoiceForMatrix(client, amountMsat: amount)
                }
                response = try await post(
                    "/umanwc/v1/payments/bolt11", #"{"invoice":"\#(invoice)","budget_currency_code":\#(codeJSON)}"#)
            case .keysend:
                response = try await post(
                    "/umanwc/v1/payments/keysend",
                    #"{"amount":\#(amount),"pubkey":"\#(BudgetCurrencyDefectTests.pubkey)","budget_currency_code":\#(codeJSON)}"#
                )
            case .lud16:
                response = try await post(
                    "/umanwc/v1/payments/lud16",
                    #"{"receiver_address":"$carol@localhost","sending_currency_code":"SAT","sending_currency_amount":\#(amount),"receiving_currency_code":null,"budget_currency_code":\#(codeJSON)}"#
                )
            case .executeQuote:
                let quote = try await client.execute(
                    uri:
                        "/umanwc/v1/quote/lud16?sending_currency_code=SAT&receiving_currency_code=SAT&locked_currency_amount=\(amount)&locked_currency_side=sending&receiver_address=%24carol%40localhost",
                    method: .get, headers: TestServer.headers(token: token))
                let hash = try #require(quote.json["payment_hash"] as? String, "\(String(buffer: quote.body))")
                response = try await post("/umanwc/v1/quote/\(hash)", #"{"budget_currency_code":\#(codeJSON)}"#)
            case .budgetService:
                let fee = BudgetCurrencyMatrixTests.walletFeeMsat
                let held = try await post(
                    "/v1/connections/\(connectionId)/spends", #"{"amount_msat":\#(amount),"fee_reserve_msat":\#(fee)}"#)
                guard held.status == .created, let id = held.json["id"] as? String else {
                    return Answer(
                        paid: false, quotaExceeded: held.json["code"] as? String == "QUOTA_EXCEEDED",
                        body: String(buffer: held.body))
                }
                response = try await post("/v1/spends/\(id)/settle", #"{"amount_msat":\#(amount),"fee_msat":\#(fee)}"#)
            case .gateway:
                response = try await post(
                    "/payments/keysend", #"{"destination":"\#(GatewayTests.destination)","amount":\#(amount)}"#)
            }
            let json = response.json
            return Answer(
                paid: response.status == .ok,
                quotaExceeded: response.status.code == 402
                    && (json["code"] as? String == "QUOTA_EXCEEDED" || json["error"] as? String == "quota_exceeded"),
                total: (json["total_budget_currency_amount"] as? NSNumber)?.int64Value, body: String(buffer: response.body))
        }
    }

    // MARK: Servers

    /// The upstream of `--wallet upstream`: another ledger on a real socket, with a demo wallet
    /// charging the same fee, reached with a connection token it issued (no budget of its own).
    struct Upstream: Sendable {
        let server: TestServer
        let client: any TestClientProtocol
        let payeeToken: String

        /// An invoice of another user of the upstream, so the payer's own payment is what the
        /// upstream's transaction list shows for its hash.
        func invoice(amountMsat: Int64) async throws -> String {
            let response = try await client.execute(
                uri: "/umanwc/v1/invoice", method: .post, headers: TestServer.headers(token: payeeToken),
                body: ByteBuffer(json: #"{"amount":\#(amountMsat),"description":"matrix"}"#))
            return try #require(response.json["invoice"] as? String, "\(String(buffer: response.body))")
        }
    }

    static func withServer(
        wallet: WalletKind, gateway: Bool,
        _ body: @escaping @Sendable (TestServer, any TestClientProtocol, Upstream?) async throws -> Void
    ) async throws {
        switch wallet {
        case .demo:
            try await withGatewayIfNeeded(gateway, wallet: DemoWallet(feeMsat: walletFeeMsat)) { server, client in
                try await body(server, client, nil)
            }
        case .upstream:
            let upstreamServer = try TestServer(wallet: DemoWallet(feeMsat: walletFeeMsat))
            try await upstreamServer.run(.live) { upstreamClient in
                let port = try #require(upstreamClient.port)
                let credential = try await upstreamServer.exchange(
                    upstreamClient, user: "vasp-b",
                    permissions: ["send_payments", "receive_payments", "read_balance", "read_transactions"])
                let payee = try await upstreamServer.exchange(
                    upstreamClient, user: "payee", permissions: ["receive_payments"])
                let upstream = Upstream(server: upstreamServer, client: upstreamClient, payeeToken: payee.token)
                let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
                let wallet = UpstreamWallet(
                    baseURL: "http://127.0.0.1:\(port)/umanwc/v1", upstreamToken: credential.token,
                    httpClient: httpClient, feeReserve: upstreamFeeReserve)
                do {
                    try await withGatewayIfNeeded(gateway, wallet: wallet) { server, client in
                        try await body(server, client, upstream)
                    }
                } catch {
                    try await httpClient.shutdown()
                    throw error
                }
                try await httpClient.shutdown()
            }
        }
    }

    static func withGatewayIfNeeded(
        _ gateway: Bool, wallet: any WalletBackend,
        _ body: @escaping @Sendable (TestServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        guard gateway else {
            let server = try TestServer(wallet: wallet)
            try await server.run { client in try await body(server, client) }
            return
        }
        let origin = Application(
            router: MockOrigin.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await origin.test(.live) { originClient in
            let port = try #require(originClient.port)
            let httpClient = HTTPClient(configuration: GatewayForwarder.httpClientConfiguration())
            var configured = try TestServer(wallet: wallet)
            configured.gateway = GatewaySettings(
                routes: .albyExample,
                forwarder: try GatewayForwarder(
                    originBaseURL: "http://127.0.0.1:\(port)", httpClient: httpClient, timeout: .seconds(30),
                    responseBytesMax: 1 << 20))
            let server = configured
            do {
                try await server.run { client in try await body(server, client) }
            } catch {
                try await httpClient.shutdown()
                throw error
            }
            try await httpClient.shutdown()
        }
    }
}

extension TestServer {
    /// An invoice of a demo user who is never a payer in the matrix.
    func invoiceForMatrix(_ client: some TestClientProtocol, amountMsat: Int64) async throws -> String {
        let payee = try await exchange(client, user: "matrix-payee", permissions: ["receive_payments"])
        return try await invoice(client, payee: payee, amountMsat: amountMsat)
    }
}
