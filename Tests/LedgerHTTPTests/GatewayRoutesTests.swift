import Foundation
import LedgerHTTP
import LedgerWallet
import Testing
import LedgerCore
import LedgerDemo

@Suite("Gateway route table")
struct GatewayRoutesTests {
    let alby = GatewayRouteTable.albyExample

    // MARK: - Matching

    @Test("a literal segment beats a parameter that also matches")
    func literalBeatsParameter() {
        #expect(alby.match(method: "GET", path: "/invoices/incoming")?.scope == "invoices:read")
        #expect(alby.match(method: "GET", path: "/invoices/outgoing")?.scope == "transactions:read")
        #expect(alby.match(method: "GET", path: "/invoices/abc123")?.path == "/invoices/{payment_hash}")
    }

    @Test("the leftmost differing segment decides, whatever the order of the routes")
    func leftmostLiteralWins() throws {
        let routes = [
            GatewayRoute(method: "GET", path: "/{kind}/b/c", scope: "second"),
            GatewayRoute(method: "GET", path: "/a/{id}/c", scope: "first"),
        ]
        for order in [routes, routes.reversed()] {
            let table = try GatewayRouteTable(routes: order)
            #expect(table.match(method: "GET", path: "/a/b/c")?.scope == "first")
            #expect(table.match(method: "GET", path: "/x/b/c")?.scope == "second")
        }
    }

    @Test("a route for another method does not match, and the path's methods are listed for a 405")
    func methodMismatch() {
        #expect(alby.match(method: "POST", path: "/balance") == nil)
        #expect(alby.match(method: "get", path: "/balance") == nil)
        #expect(alby.match(method: "HEAD", path: "/balance") == nil)
        #expect(alby.methods(forPath: "/balance") == ["GET"])
        #expect(alby.methods(forPath: "/invoices") == ["POST"])
        #expect(alby.methods(forPath: "/nowhere").isEmpty)
    }

    @Test("the query and fragment are ignored")
    func queryIgnored() {
        #expect(alby.match(method: "GET", path: "/balance?currency=sat")?.scope == "balance:read")
        #expect(alby.match(method: "GET", path: "/invoices/incoming?limit=10&offset=0")?.scope == "invoices:read")
        #expect(alby.match(method: "GET", path: "/balance#top")?.scope == "balance:read")
    }

    @Test("a trailing slash or an empty segment is another path and matches nothing")
    func trailingSlashIsStrict() {
        #expect(alby.match(method: "GET", path: "/balance/") == nil)
        #expect(alby.match(method: "GET", path: "//balance") == nil)
        #expect(alby.match(method: "GET", path: "/invoices/") == nil)
        #expect(alby.match(method: "POST", path: "/invoices/") == nil)
    }

    @Test("unknown paths, longer paths and relative paths match nothing")
    func unknownPaths() {
        #expect(alby.match(method: "GET", path: "/admin/clients") == nil)
        #expect(alby.match(method: "GET", path: "/invoices/abc/extra") == nil)
        #expect(alby.match(method: "GET", path: "balance") == nil)
        #expect(alby.match(method: "GET", path: "") == nil)
        #expect(alby.match(method: "GET", path: "/BALANCE") == nil)
    }

    @Test("a parameter does not match dot segments, encoded slashes or control characters")
    func parameterRefusesTraversal() {
        for value in ["..", ".", "%2e%2e", "%2E.", "a%2Fb", "a%5cb", "a%00b", "a%20b"] {
            #expect(alby.match(method: "GET", path: "/invoices/\(value)") == nil, "\(value)")
        }
        #expect(alby.match(method: "GET", path: "/invoices/%41bc")?.scope == "invoices:create")
    }

    @Test("the root path is a route of its own")
    func rootPath() throws {
        let table = try GatewayRouteTable(routes: [GatewayRoute(method: "GET", path: "/", scope: "info:read")])
        #expect(table.match(method: "GET", path: "/")?.scope == "info:read")
        #expect(table.match(method: "GET", path: "/?x=1")?.scope == "info:read")
        #expect(table.match(method: "GET", path: "/x") == nil)
    }

    @Test("Alby's example table holds its six endpoints and two payment routes")
    func albyTable() {
        #expect(alby.routes.count == 8)
        #expect(alby.match(method: "POST", path: "/invoices")?.scope == "invoices:create")
        #expect(alby.match(method: "GET", path: "/user/value4value")?.scope == "account:read")
        let bolt11 = alby.match(method: "POST", path: "/payments/bolt11")
        #expect(bolt11?.scope == "payments:send")
        #expect(bolt11?.spend?.invoiceField == "invoice")
        #expect(alby.match(method: "POST", path: "/payments/keysend")?.spend?.amountUnit == .sat)
        #expect(alby.match(method: "GET", path: "/balance")?.spend == nil)
    }

    // MARK: - Validation

    static let invalidRoutes: [(GatewayRoute, String)] = [
        (GatewayRoute(method: "get", path: "/a", scope: "s"), "upper-case HTTP method"),
        (GatewayRoute(method: "", path: "/a", scope: "s"), "upper-case HTTP method"),
        (GatewayRoute(method: "GET POST", path: "/a", scope: "s"), "upper-case HTTP method"),
        (GatewayRoute(method: "GET", path: "a", scope: "s"), "must start with '/'"),
        (GatewayRoute(method: "GET", path: "", scope: "s"), "must start with '/'"),
        (GatewayRoute(method: "GET", path: "/invoices/*", scope: "s"), "not allowed"),
        (GatewayRoute(method: "GET", path: "/invoices/(.*)", scope: "s"), "not allowed"),
        (GatewayRoute(method: "GET", path: "/inv[0-9]+", scope: "s"), "not allowed"),
        (GatewayRoute(method: "GET", path: "/a%2Fb", scope: "s"), "not allowed"),
        (GatewayRoute(method: "GET", path: "/invoices/{hash", scope: "s"), "not a parameter"),
        (GatewayRoute(method: "GET", path: "/invoices/{}", scope: "s"), "not a parameter"),
        (GatewayRoute(method: "GET", path: "/invoices/{payment-hash}", scope: "s"), "not a parameter"),
        (GatewayRoute(method: "GET", path: "/invoices/x{id}", scope: "s"), "not allowed"),
        (GatewayRoute(method: "GET", path: "/{a}/{a}", scope: "s"), "twice"),
        (GatewayRoute(method: "GET", path: "/a//b", scope: "s"), "empty segment"),
        (GatewayRoute(method: "GET", path: "/balance/", scope: "s"), "empty segment"),
        (GatewayRoute(method: "GET", path: "/a/../b", scope: "s"), "normalisation"),
        (GatewayRoute(method: "GET", path: "/" + String(repeating: "a/", count: 40) + "a", scope: "s"), "segments"),
        (GatewayRoute(method: "GET", path: "/a", scope: ""), "scope must be"),
        (GatewayRoute(method: "GET", path: "/a", scope: "Balance:read"), "scope must be"),
        (GatewayRoute(method: "GET", path: "/a", scope: "balance:read payments:send"), "scope must be"),
        (GatewayRoute(method: "POST", path: "/pay", scope: "s", spend: GatewaySpend()), "invoice_field, amount_field"),
        (
            GatewayRoute(method: "POST", path: "/pay", scope: "s", spend: GatewaySpend(amountField: "amount")),
            "amount_field needs spend.amount_unit"
        ),
        (
            GatewayRoute(
                method: "POST", path: "/pay", scope: "s",
                spend: GatewaySpend(amountField: "amount", amountUnit: .sat, feeUnit: .sat)),
            "fee_unit without"
        ),
        (
            GatewayRoute(
                method: "POST", path: "/pay", scope: "s",
                spend: GatewaySpend(invoiceField: "amount", amountField: "Amount", amountUnit: .sat)),
            "same member"
        ),
    ]

    @Test("invalid routes are refused with a message naming the route and the problem", arguments: invalidRoutes)
    func invalidRouteRefused(route: GatewayRoute, expected: String) {
        let ok = GatewayRoute(method: "GET", path: "/ok", scope: "ok")
        let error = #expect(throws: GatewayConfigError.self) { try GatewayRouteTable(routes: [ok, route]) }
        #expect(error?.message.hasPrefix("routes[1]") == true)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test("two routes with the same method and pattern shape are refused, whatever the parameter names")
    func duplicateRoutesRefused() throws {
        #expect(throws: GatewayConfigError.self) {
            try GatewayRouteTable(routes: [
                GatewayRoute(method: "GET", path: "/invoices/{a}", scope: "x"),
                GatewayRoute(method: "GET", path: "/invoices/{b}", scope: "y"),
            ])
        }
        // Same pattern, another method: two routes.
        let table = try GatewayRouteTable(routes: [
            GatewayRoute(method: "GET", path: "/invoices/{a}", scope: "x"),
            GatewayRoute(method: "DELETE", path: "/invoices/{a}", scope: "y"),
        ])
        #expect(table.match(method: "DELETE", path: "/invoices/1")?.scope == "y")
    }

    @Test("at most 256 routes")
    func routeCountBounded() throws {
        let routes = (0..<257).map { GatewayRoute(method: "GET", path: "/r\($0)", scope: "s") }
        #expect(throws: GatewayConfigError.self) { try GatewayRouteTable(routes: routes) }
        #expect(try GatewayRouteTable(routes: Array(routes.prefix(256))).routes.count == 256)
    }

    // MARK: - Loading

    func writeTemporary(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).json")
            .path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a route file loads, spend fields in snake case")
    func loadsFile() throws {
        let path = try writeTemporary(
            """
            {"routes": [
              {"method": "GET", "path": "/balance", "scope": "balance:read"},
              {"method": "POST", "path": "/payments/bolt11", "scope": "payments:send",
               "spend": {"invoice_field": "invoice", "amount_field": "amount", "amount_unit": "msat",
                         "fee_field": "fee_msat", "fee_unit": "msat",
                         "response_amount_field": "amount_msat", "response_amount_unit": "msat"}}
            ]}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try GatewayRouteTable.load(jsonFile: path)
        #expect(table.match(method: "GET", path: "/balance")?.scope == "balance:read")
        #expect(
            table.match(method: "POST", path: "/payments/bolt11")?.spend
                == GatewaySpend(
                    invoiceField: "invoice", amountField: "amount", amountUnit: .msat, feeField: "fee_msat",
                    feeUnit: .msat, responseAmountField: "amount_msat", responseAmountUnit: .msat))
    }

    @Test(
        "a misspelt member, a bad unit, broken JSON or a missing file is refused",
        arguments: [
            (#"{"routes": [{"method": "GET", "path": "/a", "scope": "s", "spnd": {}}]}"#, "unknown field"),
            (#"{"routes": [], "extra": 1}"#, "unknown field"),
            (#"{"rutes": []}"#, "unknown field"),
            (
                #"{"routes": [{"method": "POST", "path": "/p", "scope": "s", "spend": {"amount_field": "a", "amount_unit": "btc"}}]}"#,
                "routes[0].spend.amount_unit"
            ),
            (
                #"{"routes": [{"method": "POST", "path": "/p", "scope": "s", "spend": {"amount_feild": "a"}}]}"#,
                "unknown"
            ),
            (#"{"routes": [{"method": "GET", "path": "/a"}]}"#, "missing field routes[0].scope"),
            (#"{"routes": [{"method": "GET", "path": "/a*", "scope": "s"}]}"#, "routes[0]"),
            ("not json", "not valid JSON"),
        ])
    func badFileRefused(text: String, expected: String) throws {
        let path = try writeTemporary(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: GatewayConfigError.self) { try GatewayRouteTable.load(jsonFile: path) }
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test("a missing route file is a config error naming the path")
    func missingFile() {
        let error = #expect(throws: GatewayConfigError.self) {
            try GatewayRouteTable.load(jsonFile: "/nonexistent/routes.json")
        }
        #expect(error?.message.contains("/nonexistent/routes.json") == true)
    }

    @Test("routes survive a JSON round trip")
    func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(alby.routes)
        let decoded = try JSONDecoder().decode([GatewayRoute].self, from: data)
        #expect(decoded == alby.routes)
        #expect(String(decoding: data, as: UTF8.self).contains(#""invoice_field":"invoice""#))
    }

    // MARK: - Reading the amount

    var bolt11: GatewayRoute { alby.match(method: "POST", path: "/payments/bolt11")! }
    var keysend: GatewayRoute { alby.match(method: "POST", path: "/payments/keysend")! }

    func amount(_ route: GatewayRoute, _ json: String) throws -> Int64? {
        try alby.spendAmountMsat(route: route, body: Data(json.utf8))
    }

    func invoice(msat: Int64?, description: String = "coffee") -> String {
        Bolt11Invoice.encode(
            network: "bcrt", amountMsat: msat, timestamp: 1_700_000_000,
            paymentHash: String(repeating: "ab", count: 32),
            description: description)
    }

    func spendError(_ route: GatewayRoute, _ json: String) -> GatewaySpendError.Code? {
        do {
            _ = try alby.spendAmountMsat(route: route, body: Data(json.utf8))
            return nil
        } catch {
            return error.code
        }
    }

    @Test("a sat amount is read as msat, and an msat amount as it is")
    func satAndMsat() throws {
        #expect(try amount(keysend, #"{"destination": "02ab", "amount": 21}"#) == 21_000)
        let msatRoute = GatewayRoute(
            method: "POST", path: "/pay", scope: "s", spend: GatewaySpend(amountField: "amount_msat", amountUnit: .msat)
        )
        #expect(try amount(msatRoute, #"{"amount_msat": 21}"#) == 21)
    }

    @Test("a route without spend reads no amount")
    func noSpend() throws {
        #expect(try amount(alby.match(method: "GET", path: "/balance")!, "{}") == nil)
    }

    @Test("a BOLT11 invoice's own amount is used, and an explicit amount must agree with it")
    func invoiceAmount() throws {
        let priced = invoice(msat: 2_500_000)
        #expect(try amount(bolt11, #"{"invoice": "\#(priced)"}"#) == 2_500_000)
        #expect(try amount(bolt11, #"{"invoice": "\#(priced)", "amount": 2500}"#) == 2_500_000)
        #expect(try amount(bolt11, #"{"invoice": "\#(priced)", "amount": null}"#) == 2_500_000)
        #expect(spendError(bolt11, #"{"invoice": "\#(priced)", "amount": 1}"#) == .amountMismatch)
        #expect(try amount(bolt11, #"{"invoice": "lightning:\#(priced)"}"#) == 2_500_000)
    }

    @Test("an invoice without an amount takes the amount field")
    func anyAmountInvoice() throws {
        let open = invoice(msat: nil)
        #expect(try amount(bolt11, #"{"invoice": "\#(open)", "amount": 100}"#) == 100_000)
        #expect(spendError(bolt11, #"{"invoice": "\#(open)"}"#) == .missingField)
        let invoiceOnly = GatewayRoute(
            method: "POST", path: "/pay", scope: "s", spend: GatewaySpend(invoiceField: "invoice"))
        #expect(spendError(invoiceOnly, #"{"invoice": "\#(open)", "amount": 100}"#) == .missingField)
    }

    @Test("a missing or unparsable invoice is refused")
    func badInvoice() {
        #expect(spendError(bolt11, #"{"amount": 100}"#) == .missingField)
        #expect(spendError(bolt11, #"{"invoice": null, "amount": 100}"#) == .missingField)
        #expect(spendError(bolt11, #"{"invoice": "lnbc1notaninvoice"}"#) == .invoiceUnparsable)
        #expect(spendError(bolt11, #"{"invoice": 42}"#) == .invoiceUnparsable)
        let tampered = String(invoice(msat: 1000).dropLast()) + "q"
        #expect(spendError(bolt11, #"{"invoice": "\#(tampered)"}"#) == .invoiceUnparsable)
    }

    @Test(
        "an amount that is missing, not a positive integer or too large is refused",
        arguments: [
            (#"{"destination": "x"}"#, GatewaySpendError.Code.missingField),
            (#"{"amount": null}"#, .missingField),
            (#"{"amount": 0}"#, .notPositiveInteger),
            (#"{"amount": -5}"#, .notPositiveInteger),
            (#"{"amount": -99999999999999999999}"#, .notPositiveInteger),
            (#"{"amount": 1.5}"#, .notPositiveInteger),
            (#"{"amount": 1e3}"#, .notPositiveInteger),
            (#"{"amount": "12"}"#, .notPositiveInteger),
            (#"{"amount": true}"#, .notPositiveInteger),
            (#"{"amount": [1]}"#, .notPositiveInteger),
            (#"{"amount": 9223372036854775807}"#, .amountOverflow),
            (#"{"amount": 99999999999999999999}"#, .amountOverflow),
            (#"{"amount": 2100000000000001}"#, .amountOverflow),
            ("[1, 2]", .invalidBody),
            ("", .invalidBody),
            ("{not json", .invalidBody),
        ])
    func badAmount(json: String, expected: GatewaySpendError.Code) {
        #expect(spendError(keysend, json) == expected)
    }

    @Test("21 million BTC is the largest amount")
    func largestAmount() throws {
        #expect(try amount(keysend, #"{"amount": 2100000000000000}"#) == Bolt11Invoice.maxAmountMsat)
    }

    @Test("a member named twice, in any case or escaped, refuses the body (Go would read the last one)")
    func duplicateMembersRefused() {
        #expect(spendError(keysend, #"{"amount": 1, "amount": 1000000}"#) == .invalidBody)
        #expect(spendError(keysend, #"{"amount": 1, "Amount": 1000000}"#) == .invalidBody)
        #expect(spendError(keysend, #"{"amount": 1, "amo\u0075nt": 1000000}"#) == .invalidBody)
        // Nested members are the origin's business.
        #expect(spendError(keysend, #"{"amount": 1, "x": {"amount": 2, "amount": 3}}"#) == nil)
    }

    @Test("member names are matched regardless of case, as Go's encoding/json does")
    func caseInsensitiveLookup() throws {
        #expect(try amount(keysend, #"{"AMOUNT": 5}"#) == 5000)
        #expect(try amount(keysend, #"{"memo": "amount: 9, \"amount\": 9", "amount": 7}"#) == 7000)
    }

    // MARK: - Settled cost

    @Test("the fee in the origin's answer is added; the amount defaults to the requested one")
    func settledCostWithFee() {
        let cost = alby.settledCost(
            route: keysend, responseBody: Data(#"{"payment_hash": "aa", "amount": 21, "fee": 2}"#.utf8),
            requestedMsat: 21_000)
        #expect(cost == GatewaySettledCost(amountMsat: 21_000, feeMsat: 2_000))
        #expect(cost.totalMsat == 23_000)
    }

    @Test("without a usable fee the cost is the requested amount and no fee")
    func settledCostDefaults() {
        for body in [#"{"amount": 21}"#, #"{"fee": -1}"#, #"{"fee": "2"}"#, #"{"fee": 1.5}"#, "not json", ""] {
            #expect(
                alby.settledCost(route: keysend, responseBody: Data(body.utf8), requestedMsat: 21_000)
                    == GatewaySettledCost(amountMsat: 21_000, feeMsat: 0), "\(body)")
        }
        #expect(
            alby.settledCost(route: keysend, responseBody: Data(#"{"fee": 0}"#.utf8), requestedMsat: 5).feeMsat == 0)
    }

    @Test("a configured answer amount replaces the requested one")
    func settledCostReportedAmount() {
        let route = GatewayRoute(
            method: "POST", path: "/pay", scope: "s",
            spend: GatewaySpend(
                amountField: "amount", amountUnit: .sat, feeField: "fee_msat", feeUnit: .msat,
                responseAmountField: "amount_msat", responseAmountUnit: .msat))
        let body = Data(#"{"amount_msat": 20500, "fee_msat": 1234}"#.utf8)
        #expect(
            alby.settledCost(route: route, responseBody: body, requestedMsat: 21_000)
                == GatewaySettledCost(amountMsat: 20_500, feeMsat: 1_234))
        let zero = Data(#"{"amount_msat": 0}"#.utf8)
        #expect(alby.settledCost(route: route, responseBody: zero, requestedMsat: 21_000).amountMsat == 21_000)
    }
}
