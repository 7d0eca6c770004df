import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerHTTP
import Logging
import NIOCore
import Testing

/// How the router treats what real clients send: percent-encoded path parameters (OpenAPI-generated
/// clients encode `$`, `@` and anything outside RFC 3986's unreserved set), methods a path does not
/// answer, and HEAD.
@Suite struct RoutingTests {
    /// Every character as `%XX`: the strictest encoding a client could choose.
    static func encodedFully(_ value: String) -> String {
        value.utf8.map { String(format: "%%%02X", $0) }.joined()
    }

    enum Credential { case connection, user, admin }

    struct Row {
        var method: HTTPRequest.Method
        /// The route as the router names it, `{param}` for each capture.
        var route: String
        var credential: Credential
        var body: String?
        var expected: HTTPResponse.Status
    }

    /// One row per route with a path parameter, on every surface, in an order that keeps each
    /// resource alive until the rows that need it are done.
    static let rows: [Row] = [
        Row(method: .get, route: "/umanwc/v1/invoices/{payment_hash}", credential: .connection, expected: .ok),
        Row(
            method: .get, route: "/umanwc/v1/receiver/lud16/{receiver_address}", credential: .connection,
            expected: .ok),
        Row(method: .post, route: "/umanwc/v1/quote/{payment_hash}", credential: .connection, body: "{}", expected: .ok),
        Row(method: .get, route: "/v1/connections/{id}/budget", credential: .connection, expected: .ok),
        Row(
            method: .post, route: "/v1/connections/{id}/spends", credential: .connection,
            body: #"{"amount_msat":1000}"#, expected: .created),
        Row(method: .get, route: "/v1/spends/{id}", credential: .connection, expected: .ok),
        Row(
            method: .post, route: "/v1/spends/{id}/settle", credential: .connection, body: #"{"amount_msat":1000}"#,
            expected: .ok),
        Row(method: .post, route: "/v1/spends/{id}/release", credential: .connection, body: "{}", expected: .conflict),
        Row(method: .get, route: "/admin/connections/{id}", credential: .admin, expected: .ok),
        Row(
            method: .patch, route: "/admin/connections/{id}", credential: .admin, body: #"{"name":"Renamed"}"#,
            expected: .ok),
        Row(method: .get, route: "/admin/clients/{id}", credential: .admin, expected: .ok),
        Row(method: .put, route: "/admin/clients/{id}", credential: .admin, body: #"{"name":"Renamed"}"#, expected: .ok),
        Row(method: .delete, route: "/admin/clients/{id}", credential: .admin, expected: .noContent),
        Row(method: .delete, route: "/admin/connections/{id}", credential: .admin, expected: .ok),
        Row(method: .delete, route: "/v1/connections/{id}", credential: .user, expected: .ok),
        Row(method: .get, route: "/audit/subjects/{id_type}/{id}/accesses", credential: .admin, expected: .ok),
        Row(method: .get, route: "/fhir/AuditEvent/{id}", credential: .admin, expected: .notFound),
        Row(method: .get, route: "/admin/organizations/{id}", credential: .admin, expected: .ok),
        Row(
            method: .put, route: "/admin/organizations/{id}", credential: .admin,
            body: #"{"name":"Renamed","city":"Zwolle"}"#, expected: .ok),
        Row(method: .delete, route: "/admin/organizations/{id}", credential: .admin, expected: .noContent),
        Row(method: .get, route: "/public/auth/v1/contract/{contractType}", credential: .admin, expected: .ok),
        Row(
            method: .get, route: "/public/auth/v1/means/employeeid/{sessionID}", credential: .admin,
            expected: .ok),
        Row(
            method: .post, route: "/public/auth/v1/means/employeeid/{sessionID}", credential: .admin,
            body: "accept=false&secret=wrong", expected: .found),
        Row(
            method: .get, route: "/internal/auth/v1/signature/session/{sessionID}", credential: .admin,
            expected: .ok),
        // The OBP surface: every parameter of a route is filled (bank, account, view, user, entitlement).
        Row(
            method: .put, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}", credential: .admin,
            body: #"{"user_id":"{USER_ID}","label":"Main","product_code":"current"}"#, expected: .created),
        Row(method: .get, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views", credential: .admin, expected: .ok),
        Row(
            method: .post, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views", credential: .admin,
            body: #"{"name":"_team","allowed_actions":["can_see_transaction_amount"]}"#, expected: .created),
        Row(
            method: .put, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}", credential: .admin,
            body: #"{"allowed_actions":["can_see_bank_account_balance"]}"#, expected: .ok),
        Row(
            method: .post, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}/account-access/grant",
            credential: .admin, body: #"{"user_id":"{USER_ID}","view_id":"auditor"}"#, expected: .created),
        Row(
            method: .post, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}/account-access/revoke",
            credential: .admin, body: #"{"user_id":"{USER_ID}","view_id":"auditor"}"#, expected: .created),
        Row(
            method: .post, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}/user-account-access",
            credential: .admin, body: #"{"username":"0xc0ffee","provider":"dauth.ETHEREUM","view_id":"auditor"}"#,
            expected: .created),
        Row(
            method: .get, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/account-access", credential: .admin,
            expected: .ok),
        Row(
            method: .get, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/account-access/history",
            credential: .admin, expected: .ok),
        Row(
            method: .delete, route: "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}", credential: .admin,
            expected: .noContent),
        Row(
            method: .post, route: "/obp/v5.1.0/users/{USER_ID}/entitlements", credential: .admin,
            body: #"{"bank_id":"","role_name":"CanGetAnyUser"}"#, expected: .created),
        Row(method: .get, route: "/obp/v5.1.0/users/{USER_ID}/entitlements", credential: .admin, expected: .ok),
        Row(method: .get, route: "/obp/v5.1.0/users/{USER_ID}/entitlements/history", credential: .admin, expected: .ok),
        Row(
            method: .delete, route: "/obp/v5.1.0/users/{USER_ID}/entitlement/{ENTITLEMENT_ID}", credential: .admin,
            expected: .noContent),
        Row(method: .get, route: "/obp/v5.1.0/system-views/{VIEW_ID}", credential: .admin, expected: .ok),
    ]

    @Test func theTableCoversEveryRouteWithAPathParameter() async throws {
        let server = try TestServer()
        let router = try buildRouter(try await server.services(), settings: server.settings)
        let parameterized = Set(
            router.routes.filter { $0.path.description.contains("{") }.map { "\($0.method.rawValue) \($0.path)" })
        let covered = Set(Self.rows.map { "\($0.method.rawValue) \($0.route)" })
        #expect(parameterized == covered, "routes without a row: \(parameterized.subtracting(covered))")
    }

    @Test func everyPathParameterIsReadPercentDecoded() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(
                client, permissions: ["send_payments", "receive_payments", "read_transactions"], budget: "100/never")
            let user = try await server.userToken("alice")
            func call(_ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String? = nil)
                async throws -> TestResponse
            {
                var headers = TestServer.headers(token: token)
                // The employeeid page's decision is a form.
                if let body, !body.hasPrefix("{") { headers[.contentType] = "application/x-www-form-urlencoded" }
                return try await client.execute(
                    uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(json: $0) })
            }
            let invoice = try await call(.post, "/umanwc/v1/invoice", alice.token, #"{"amount":1000}"#)
            let invoiceHash = try #require(invoice.json["payment_hash"] as? String)
            let quote = try await call(
                .get,
                "/umanwc/v1/quote/lud16?sending_currency_code=SAT&receiving_currency_code=SAT&locked_currency_amount=2&locked_currency_side=sending&receiver_address=$bob@localhost",
                alice.token)
            let quoteHash = try #require(quote.json["payment_hash"] as? String)
            let spend = try await call(
                .post, "/v1/connections/\(alice.connectionId)/spends", alice.token, #"{"amount_msat":500}"#)
            let spendId = try #require(spend.json["id"] as? String)
            let adminConnection = try await call(
                .post, "/admin/connections", TestServer.adminToken,
                #"{"user_id":"carol","name":"Admin-made","scopes":["pay_invoice"]}"#)
            let adminConnectionId = try #require(adminConnection.json["id"] as? String)
            let clientAnswer = try await call(
                .post, "/admin/clients", TestServer.adminToken,
                #"{"name":"App","redirect_uris":["https://app.example/cb"],"public":true,"scopes":["balance:read"]}"#)
            let clientId = try #require(clientAnswer.json["client_id"] as? String)
            // A DID's colons are what a client percent-encodes (%3A); the handler must see them decoded.
            let organizationId = "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
            let organization = try await call(
                .post, "/admin/organizations", TestServer.adminToken,
                #"{"id":"\#(organizationId)","name":"Zorg & Zo","city":"Zwolle"}"#)
            #expect(organization.status == .created, "\(String(buffer: organization.body))")
            let contract = try await call(
                .put, "/internal/auth/v1/contract/drawup", TestServer.adminToken,
                #"{"type":"PractitionerLogin","language":"EN","version":"v3","legalEntity":"\#(organizationId)"}"#)
            let message = try #require(contract.json["message"] as? String, "\(String(buffer: contract.body))")
            let sessionBody = try JSONSerialization.data(withJSONObject: [
                "means": "employeeid", "payload": message,
                "params": [
                    "employer": organizationId,
                    "employee": ["identifier": "481", "initials": "J", "familyName": "van Dijk"],
                ] as [String: Any],
            ])
            let signing = try await call(
                .post, "/internal/auth/v1/signature/session", TestServer.adminToken,
                String(decoding: sessionBody, as: UTF8.self))
            let sessionId = try #require(signing.json["sessionID"] as? String, "\(String(buffer: signing.body))")
            var settledSpend: String?
            // The OBP surface's resources: a bank, a user, and a role to revoke.
            let bank = try await call(.post, "/obp/v5.1.0/banks", TestServer.adminToken, #"{"id":"gh.29.uk","bank_code":"C"}"#)
            #expect(bank.status == .created)
            let obpUser = try await call(.post, "/obp/v5.1.0/users", TestServer.adminToken, #"{"username":"Zoë van Dijk"}"#)
            let obpUserId = try #require(obpUser.json["user_id"] as? String)
            let role = try await call(
                .post, "/obp/v5.1.0/users/\(obpUserId)/entitlements", TestServer.adminToken,
                #"{"bank_id":"","role_name":"CanReadMetrics"}"#)
            let entitlementId = try #require(role.json["entitlement_id"] as? String)
            let obpValues = [
                "BANK_ID": "gh.29.uk", "ACCOUNT_ID": "acc-1", "VIEW_ID": "_team", "USER_ID": obpUserId,
                "ENTITLEMENT_ID": entitlementId,
            ]

            for row in Self.rows where row.route.hasPrefix("/obp/") {
                // Every placeholder of the route, by name; a system view for the system-view route.
                var values = obpValues
                if row.route.hasPrefix("/obp/v5.1.0/system-views/") { values["VIEW_ID"] = "owner" }
                func filled(_ encode: (String) -> String) -> String {
                    values.reduce(row.route) { route, pair in route.replacingOccurrences(of: "{\(pair.key)}", with: encode(pair.value)) }
                }
                let body = row.body?.replacingOccurrences(of: "{USER_ID}", with: obpUserId)
                let uri = filled(Self.encodedFully)
                let response = try await call(row.method, uri, TestServer.adminToken, body)
                #expect(response.status == row.expected, "\(row.method) \(uri): \(response.status) \(String(buffer: response.body))")
                if row.method == .get {
                    let plain = try await call(row.method, filled { $0 }, TestServer.adminToken, body)
                    #expect(plain.status == response.status && plain.body == response.body, "\(row.route)")
                }
            }
            for row in Self.rows where !row.route.hasPrefix("/obp/") {
                let value: String =
                    switch (row.route, row.method) {
                    case ("/umanwc/v1/invoices/{payment_hash}", _): invoiceHash
                    case ("/umanwc/v1/quote/{payment_hash}", _): quoteHash
                    case ("/umanwc/v1/receiver/lud16/{receiver_address}", _): "$bob@localhost"
                    case (let route, _) where route.hasPrefix("/v1/connections/"): alice.connectionId
                    case (let route, _) where route.hasPrefix("/v1/spends/"): settledSpend ?? spendId
                    case (let route, _) where route.hasPrefix("/admin/connections/"): adminConnectionId
                    case (let route, _) where route.hasPrefix("/admin/clients/"): clientId
                    // The first parameter of two; the second stays literal, a subject id like any.
                    case ("/audit/subjects/{id_type}/{id}/accesses", _): "urn:oid:2.16.840.1.113883.2.4.6.3"
                    case ("/fhir/AuditEvent/{id}", _): "no such/record"
                    case (let route, _) where route.hasPrefix("/admin/organizations/"): organizationId
                    case ("/public/auth/v1/contract/{contractType}", _): "BehandelaarLogin"
                    case (let route, _) where route.hasSuffix("{sessionID}"): sessionId
                    default: ""
                    }
                #expect(!value.isEmpty, "no value for \(row.route)")
                let placeholder = try #require(row.route.firstRange(of: #/\{[A-Za-z_]+\}/#))
                let uri = row.route.replacingCharacters(in: placeholder, with: Self.encodedFully(value))
                let token =
                    switch row.credential {
                    case .connection: alice.token
                    case .user: user
                    case .admin: TestServer.adminToken
                    }
                let response = try await call(row.method, uri, token, row.body)
                #expect(
                    response.status == row.expected,
                    "\(row.method) \(uri): \(response.status) \(String(buffer: response.body))")
                if row.route == "/v1/spends/{id}/settle" { settledSpend = spendId }
                // Not for the trail's routes: each read is recorded, so the second read finds the
                // first (a read of a subject's records is an access to that subject), and a FHIR id
                // with a slash is another path when left unencoded.
                if row.method == .get, row.route != "/umanwc/v1/receiver/lud16/{receiver_address}",
                    !row.route.hasPrefix("/audit/"), !row.route.hasPrefix("/fhir/")
                {
                    let plain = try await call(
                        row.method, row.route.replacingCharacters(in: placeholder, with: value), token, row.body)
                    #expect(plain.status == response.status && plain.body == response.body, "\(row.route)")
                }
            }
            // Not valid percent-encoding: the surface's own "no such resource", never a 500.
            let broken = try await call(.get, "/v1/spends/%ZZ", TestServer.adminToken)
            #expect(broken.status == .notFound && broken.json["code"] as? String == "NOT_FOUND", "\(broken.status) \(String(buffer: broken.body))")
        }
    }

    @Test(arguments: [
        ("TRACE", "/umanwc/v1/balance", "GET, HEAD", "code", "OTHER"),
        ("DELETE", "/umanwc/v1/payments/keysend", "POST", "code", "OTHER"),
        ("PUT", "/v1/spends/abc/settle", "POST", "code", "OTHER"),
        ("POST", "/admin/connections/abc", "DELETE, GET, HEAD, PATCH", "code", "method_not_allowed"),
        ("GET", "/oauth/token", "POST", "error", "invalid_request"),
        ("DELETE", "/health", "GET, HEAD", "code", "method_not_allowed"),
    ])
    func aKnownPathAskedWithAnotherMethodAnswers405WithAllowInItsSurfacesShape(
        method: String, path: String, allow: String, key: String, code: String
    ) async throws {
        let server = try TestServer()
        try await server.run { client in
            let response = try await client.execute(
                uri: path, method: HTTPRequest.Method(method)!, headers: TestServer.headers())
            #expect(response.status == .methodNotAllowed, "\(String(buffer: response.body))")
            #expect(response.headers[.allow] == allow)
            #expect(response.json[key] as? String == code)
        }
    }

    @Test func anUnknownPathIsStill404AndHeadAnswersLikeGetWithoutABody() async throws {
        let server = try TestServer()
        try await server.run { client in
            let missing = try await client.execute(uri: "/umanwc/v1/nothing-here", method: .get)
            #expect(missing.status == .notFound && missing.json["code"] as? String == "NOT_FOUND")
            let head = try await client.execute(uri: "/health", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
        }
    }
}
