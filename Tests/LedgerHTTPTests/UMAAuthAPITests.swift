import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import LedgerWallet
import NIOCore
import Synchronization
import Testing
import LedgerTestSupport

@Suite struct UMAAuthAPITests {
    @Test func paymentsSpendTheBudgetUntilQuotaExceededAndGetBudgetShowsIt() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(client, permissions: ["send_payments"], budget: "50/daily")
            let bob = try await server.exchange(client, user: "bob", permissions: ["receive_payments"])
            for _ in 0..<2 {
                let paid = try await server.pay(
                    client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 20_000))
                #expect(paid.status == .ok)
                #expect((paid.json["preimage"] as? String)?.count == 64)
            }
            let over = try await server.pay(
                client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 20_000))
            #expect(over.status.code == 402)
            #expect(over.json["code"] as? String == "QUOTA_EXCEEDED")

            let budget = try await client.execute(
                uri: "/v1/connections/\(alice.connectionId)/budget", method: .get,
                headers: TestServer.headers(token: alice.token))
            #expect(budget.json["used_budget"] as? Int == 40_000)
            #expect(budget.json["total_budget"] as? Int == 50_000)
            #expect(budget.json["renewal_period"] as? String == "daily")
            #expect(budget.json["renews_at"] is Int)

            let balance = try await client.execute(
                uri: "/umanwc/v1/balance", method: .get, headers: TestServer.headers(token: alice.token))
            #expect(balance.json["code"] as? String == "RESTRICTED", "send_payments does not include get_balance")
            #expect(balance.status == .forbidden)
        }
        #expect(try server.ledger.verify().isIntact)
    }

    @Test func aFailedPaymentReleasesItsHold() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(client, permissions: ["send_payments"], budget: "10/never")
            let bob = try await server.exchange(client, user: "bob", permissions: ["receive_payments"])
            let failing = try await server.invoice(client, payee: bob, amountMsat: 10_000, memo: "demo:fail")
            let failed = try await server.pay(client, alice, invoice: failing)
            #expect(failed.json["code"] as? String == "PAYMENT_FAILED")
            // The whole budget is still there.
            let paid = try await server.pay(
                client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 10_000))
            #expect(paid.status == .ok)
            let status = try #require(try await server.ledger.budgetStatus(connectionId: alice.connectionId))
            #expect(status.usage == BudgetUsage(spentUnits: 10_000, heldUnits: 0, thresholdReached: true))
        }
    }

    @Test func tokensAreRefusedWithTheRightCode() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            let alice = try await server.exchange(client, permissions: ["read_balance"])
            let headerData = try #require(Base64URL.decode(alice.token.split(separator: ".")[0]))
            let header = try #require(try JSONSerialization.jsonObject(with: headerData) as? [String: Any])
            let kid = try #require(header["kid"] as? String)
            let publicPEM = try KeyStore(dataDirectory: server.directory).activeKey().key.privateKey.publicKey
                .pemRepresentation
            func balance(_ token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/umanwc/v1/balance", method: .get, headers: TestServer.headers(token: token))
            }
            #expect(try await balance(alice.token).status == .ok)
            let forged: [(String, String)] = [
                ("alg none", try ForgedToken.unsigned(claims: alice.claims, kid: kid)),
                (
                    "HS256 keyed with the public key",
                    try ForgedToken.hmacWithPublicKey(claims: alice.claims, kid: kid, publicKeyPEM: publicPEM)
                ),
                ("wrong key", try ForgedToken.signedByStranger(claims: alice.claims, kid: kid)),
                ("short-lived user token", try await server.userToken("alice")),
            ]
            for (name, token) in forged {
                let response = try await balance(token)
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.json["code"] as? String == "UNAUTHORIZED", "\(name)")
            }
            // The short-lived user token is good on /info (seed 000), and nowhere else.
            let info = try await client.execute(
                uri: "/umanwc/v1/info", method: .get,
                headers: TestServer.headers(token: try await server.userToken("alice")))
            #expect(info.status == .ok && info.json["methods"] is [String])
            // A short-lived user token on a payment route.
            let pay = try await client.execute(
                uri: "/umanwc/v1/payments/bolt11", method: .post,
                headers: TestServer.headers(token: try await server.userToken("alice")),
                body: ByteBuffer(json: #"{"invoice":"lnbcrt1"}"#))
            #expect(pay.status == .unauthorized && pay.json["code"] as? String == "UNAUTHORIZED")

            // Revoked: the admin revokes the connection; every token issued for it stops at once.
            let revoke = try await client.execute(
                uri: "/admin/connections/\(alice.connectionId)", method: .delete, headers: TestServer.headers())
            #expect(revoke.status == .ok)
            let afterRevoke = try await balance(alice.token)
            #expect(afterRevoke.status == .unauthorized)
            #expect(afterRevoke.json["message"] as? String == "the connection has been revoked")

            // Expired: a fresh token, then the clock passes its exp.
            let bob = try await server.exchange(
                client, user: "bob", permissions: ["read_balance"],
                expiration: Int64(clock.now().timeIntervalSince1970) + 60)
            #expect(try await balance(bob.token).status == .ok)
            clock.advance(seconds: 61)
            let expired = try await balance(bob.token)
            #expect(expired.status == .unauthorized && expired.json["message"] as? String == "token expired")
        }
    }

    @Test func everyOperationOfTheSpecAnswersWithItsShape() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(
                client, permissions: ["send_payments", "receive_payments", "read_balance", "read_transactions"],
                budget: "1000000/monthly")
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: "/umanwc/v1\(uri)", method: method, headers: TestServer.headers(token: alice.token),
                    body: body.map { ByteBuffer(json: $0) })
            }
            let invoice = try await call(.post, "/invoice", #"{"amount":5000,"description":"tea"}"#)
            #expect(invoice.status == .ok && invoice.json["type"] as? String == "incoming")
            let hash = try #require(invoice.json["payment_hash"] as? String)
            #expect(try await call(.get, "/invoices/\(hash)").json["amount"] as? Int == 5000)
            #expect(try await call(.get, "/invoices/\(String(repeating: "ab", count: 32))").status == .notFound)
            #expect(try await call(.get, "/balance").json["balance"] as? Int == 1_000_000_000)
            #expect(try await call(.get, "/balance?currency_code=USD").json["currency"] != nil)
            #expect(try await call(.get, "/info").json["methods"] is [String])
            let receiver = try await call(.get, "/receiver/lud16/$bob@localhost")
            #expect(receiver.status == .ok && receiver.json["currencies"] is [Any])
            let quote = try await call(
                .get,
                "/quote/lud16?sending_currency_code=SAT&receiving_currency_code=USD&locked_currency_amount=100&locked_currency_side=receiving&receiver_address=$bob@localhost"
            )
            #expect(quote.status == .ok, "\(String(buffer: quote.body))")
            let quoteHash = try #require(quote.json["payment_hash"] as? String)
            let executed = try await call(.post, "/quote/\(quoteHash)", "")
            #expect(executed.status == .ok && executed.json["preimage"] is String, "\(String(buffer: executed.body))")
            let lud16 = try await call(
                .post, "/payments/lud16",
                #"{"receiver_address":"$bob@localhost","sending_currency_code":"SAT","sending_currency_amount":10}"#)
            #expect(lud16.status == .ok && lud16.json["quote"] != nil, "\(String(buffer: lud16.body))")
            let keysend = try await call(
                .post, "/payments/keysend", #"{"amount":2000,"pubkey":"02\#(String(repeating: "11", count: 32))"}"#)
            #expect(keysend.status == .ok, "\(String(buffer: keysend.body))")
            let transactions = try await call(.get, "/transactions?limit=10&type=outgoing")
            #expect((transactions.json["transactions"] as? [Any])?.count == 3)
            let estimate = try await call(
                .get, "/budget_estimate?sending_currency_code=SAT&sending_currency_amount=1000&budget_currency_code=USD"
            )
            #expect(estimate.json["estimated_budget_currency_amount"] as? Int == 100)
            #expect(try await call(.get, "/transactions?limit=0").json["code"] as? String == "OTHER")

            // Every payment left a settled spend, and the budget saw each of them.
            let status = try #require(try await server.ledger.budgetStatus(connectionId: alice.connectionId))
            #expect(status.usage.heldUnits == 0)
            #expect(status.usage.spentUnits >= 2_000 + 10_000)
        }
        #expect(try server.ledger.verify().isIntact)
    }

    /// Found by schemathesis over the published UMA Auth API document: a required parameter sent
    /// empty (`sending_currency_code=`) was refused as missing.
    @Test func aRequiredQueryParameterSentEmptyIsNamedEmptyAndOneLeftOutMissing() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(
                client, permissions: ["send_payments", "read_balance"], budget: "1000/monthly")
            func message(_ query: String) async throws -> String? {
                let answer = try await client.execute(
                    uri: "/umanwc/v1/budget_estimate?\(query)", method: .get, headers: TestServer.headers(token: alice.token))
                #expect(answer.status == .badRequest)
                return answer.json["message"] as? String
            }
            #expect(try await message("sending_currency_code=&sending_currency_amount=1") == "query parameter sending_currency_code is empty")
            #expect(try await message("sending_currency_amount=1") == "missing query parameter sending_currency_code")
            // An optional one sent empty is as if left out.
            let balance = try await client.execute(
                uri: "/umanwc/v1/balance?currency_code=", method: .get, headers: TestServer.headers(token: alice.token))
            #expect(balance.status == .ok, "\(String(buffer: balance.body))")
        }
    }

    @Test func theBudgetServiceReservesSettlesAndReleasesForItsOwnConnectionOnly() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(client, permissions: ["send_payments"], budget: "10/never")
            let bob = try await server.exchange(client, user: "bob", permissions: ["send_payments"])
            func post(_ uri: String, _ token: String, _ body: String, key: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post,
                    headers: TestServer.headers(token: token, key.map { [("Idempotency-Key", $0)] } ?? []),
                    body: ByteBuffer(json: body))
            }
            let spends = "/v1/connections/\(alice.connectionId)/spends"
            let first = try await post(spends, alice.token, #"{"amount_msat":6000,"fee_reserve_msat":100}"#, key: "k1")
            #expect(first.status == .created && first.json["status"] as? String == "held")
            let retried = try await post(
                spends, alice.token, #"{"amount_msat":6000,"fee_reserve_msat":100}"#, key: "k1")
            #expect(retried.json["id"] as? String == first.json["id"] as? String)
            #expect(retried.headers[.init("Idempotent-Replayed")!] == "true")
            let reused = try await post(spends, alice.token, #"{"amount_msat":7000}"#, key: "k1")
            #expect(reused.status == .unprocessableContent)

            let over = try await post(spends, alice.token, #"{"amount_msat":4000}"#)
            #expect(over.json["code"] as? String == "QUOTA_EXCEEDED")
            let others = try await post(spends, bob.token, #"{"amount_msat":1}"#)
            #expect(others.json["code"] as? String == "RESTRICTED")
            let admin = try await post(spends, TestServer.adminToken, #"{"amount_msat":3000}"#)
            #expect(admin.status == .created)

            let firstId = try #require(first.json["id"] as? String)
            let settled = try await post(
                "/v1/spends/\(firstId)/settle", alice.token, #"{"amount_msat":6000,"fee_msat":40}"#)
            #expect(settled.json["status"] as? String == "settled" && settled.json["charged_amount"] as? Int == 6040)
            let twice = try await post("/v1/spends/\(firstId)/settle", alice.token, #"{"amount_msat":6000}"#)
            #expect(twice.status == .conflict)
            let adminId = try #require(admin.json["id"] as? String)
            let released = try await post("/v1/spends/\(adminId)/release", alice.token, #"{"reason":"failed"}"#)
            #expect(released.json["status"] as? String == "released")
            let bobsView = try await post("/v1/spends/\(adminId)/release", bob.token, "{}")
            #expect(bobsView.status == .notFound)

            let budget = try await client.execute(
                uri: "/v1/connections/\(alice.connectionId)/budget", method: .get,
                headers: TestServer.headers(token: alice.token))
            #expect(budget.json["used_budget"] as? Int == 6040)
            #expect(budget.json["renews_at"] == nil && budget.json["renewal_period"] as? String == "never")
            let noBudget = try await client.execute(
                uri: "/v1/connections/\(bob.connectionId)/budget", method: .get,
                headers: TestServer.headers(token: bob.token))
            #expect(noBudget.json.isEmpty && noBudget.status == .ok)

            let bad = try await post(spends, alice.token, #"{"amount_msat":-1}"#)
            #expect(bad.status == .badRequest)
            let unknown = try await post(spends, alice.token, #"{"amount_msat":1,"amount_sat":1}"#)
            #expect(unknown.status == .badRequest)
        }
        #expect(try server.ledger.verify().isIntact)
    }

    @Test func usersListTheirConnectionsWithUsageAndRevokeOnlyTheirOwn() async throws {
        let server = try TestServer()
        try await server.run { client in
            let alice = try await server.exchange(client, permissions: ["send_payments"], budget: "50/weekly")
            let bob = try await server.exchange(client, user: "bob", permissions: ["receive_payments"])
            _ = try await server.pay(
                client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 7_000))
            let aliceUser = try await server.userToken("alice")
            let list = try await client.execute(
                uri: "/v1/connections", method: .get, headers: TestServer.headers(token: aliceUser))
            let rows = try #require(list.json["connections"] as? [[String: Any]])
            #expect(rows.count == 1)
            #expect((rows[0]["budget"] as? [String: Any])?["used_budget"] as? Int == 7_000)
            #expect(rows[0]["settled_total_msat"] as? Int == 7_000)

            let notHers = try await client.execute(
                uri: "/v1/connections/\(bob.connectionId)", method: .delete,
                headers: TestServer.headers(token: aliceUser))
            #expect(notHers.status == .notFound)
            let revoked = try await client.execute(
                uri: "/v1/connections/\(alice.connectionId)", method: .delete,
                headers: TestServer.headers(token: aliceUser))
            #expect(revoked.status == .ok && revoked.json["status"] as? String == "revoked")
            let after = try await server.pay(
                client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 1_000))
            #expect(after.status == .unauthorized && after.json["code"] as? String == "UNAUTHORIZED")
        }
    }

    @Test func expiredHoldsAreReleasedByAnEvent() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            let alice = try await server.exchange(client, permissions: ["send_payments"], budget: "5/never")
            let held = try await client.execute(
                uri: "/v1/connections/\(alice.connectionId)/spends", method: .post,
                headers: TestServer.headers(token: alice.token),
                body: ByteBuffer(json: #"{"amount_msat":5000,"hold_timeout_sec":30}"#))
            let id = try #require(held.json["id"] as? String)
            #expect(try await server.ledger.expireHolds(metadata: Self.system) == 0)
            clock.advance(seconds: 30)
            #expect(try await server.ledger.expireHolds(metadata: Self.system) == 1)
            let spend = try #require(try await server.ledger.spend(id: id))
            #expect(spend.status == .released && spend.reason == "expired")
            #expect(
                try server.ledger.events(stream: Spend.stream(id), limit: 5).map(\.type) == [
                    "SpendReserved", "BudgetThresholdReached", "SpendReleased",
                ])
        }
    }

    static let system = EventMetadata(
        actor: .init(id: "system", role: "system"), action: .update, source: .init(serviceId: "tests"),
        requestId: "sweep")
}
