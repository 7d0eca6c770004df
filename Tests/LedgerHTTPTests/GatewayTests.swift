import LedgerApp
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import NIOCore
import Testing
import LedgerTestSupport
import LedgerDemo

/// The gateway in front of the mock origin served live on a loopback port, driven in-process.
@Suite struct GatewayTests {
    static let destination = "02" + String(repeating: "ab", count: 32)

    /// Runs `body` with a server whose gateway forwards to a live mock origin.
    static func withGateway(
        clock: TestClock = TestClock.startingNow(), clearAuth: ClearAuthSettings? = nil,
        _ body: @escaping @Sendable (TestServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        let origin = Application(
            router: MockOrigin.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await origin.test(.live) { originClient in
            let port = try #require(originClient.port)
            let httpClient = HTTPClient(configuration: GatewayForwarder.httpClientConfiguration())
            var configured = try TestServer(clock: clock.now)
            configured.gateway = GatewaySettings(
                routes: .albyExample,
                forwarder: try GatewayForwarder(
                    originBaseURL: "http://127.0.0.1:\(port)", httpClient: httpClient, timeout: .seconds(30),
                    responseBytesMax: 1 << 20))
            configured.clearAuth = clearAuth
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

    static func keysend(_ client: some TestClientProtocol, token: String, sats: Int) async throws -> TestResponse {
        try await client.execute(
            uri: "/payments/keysend", method: .post, headers: TestServer.headers(token: token),
            body: ByteBuffer(string: #"{"destination":"\#(destination)","amount":\#(sats)}"#))
    }

    @Test func aGatewayPathAskedWithAnotherMethodAnswers405WithTheTablesMethods() async throws {
        try await Self.withGateway { _, client in
            let keysend = try await client.execute(uri: "/payments/keysend", method: .get, headers: TestServer.headers())
            #expect(keysend.status == .methodNotAllowed && keysend.headers[.allow] == "POST")
            let balance = try await client.execute(uri: "/balance", method: .delete, headers: TestServer.headers())
            #expect(balance.status == .methodNotAllowed && balance.headers[.allow] == "GET, HEAD")
            let invoice = try await client.execute(
                uri: "/invoices/\(String(repeating: "ab", count: 32))", method: .put, headers: TestServer.headers())
            #expect(invoice.status == .methodNotAllowed && invoice.headers[.allow] == "GET, HEAD")
        }
    }

    @Test func readRoutesCheckTheTokenAndScopeAndRecordEachDecision() async throws {
        try await Self.withGateway { server, client in
            let app = try await server.registerClient(client)
            let granted = try await server.grant(client, app, scope: "balance:read")
            let access = try #require(granted["access_token"] as? String)

            let balance = try await client.execute(
                uri: "/balance", method: .get, headers: TestServer.headers(token: access))
            #expect(balance.status == .ok && balance.json["balance"] as? Int == 1_000_000)
            let missing = try await client.execute(
                uri: "/balance", method: .get, headers: TestServer.headers(token: nil))
            #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let forbidden = try await client.execute(
                uri: "/invoices/incoming", method: .get, headers: TestServer.headers(token: access))
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.headers[.wwwAuthenticate]?.contains(#"error="insufficient_scope""#) == true)
            let admin = try await client.execute(uri: "/balance", method: .get, headers: TestServer.headers())
            #expect(admin.status == .unauthorized)

            let connection = try #require(
                try await server.ledger.connections(userId: "alice", status: nil, afterId: nil, limit: 10).first)
            let decisions = try server.ledger.events(stream: GatewayAccessRecorded.stream(connection.id), limit: 10)
                .map { try $0.payload.decode(as: GatewayAccessRecorded.self) }
            #expect(decisions.map(\.allowed) == [true, false])
            #expect(decisions.map(\.route) == ["/balance", "/invoices/incoming"])
            // Routes outside the table are not the gateway's.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func concurrentPaymentsThroughTheGatewayNeverExceedTheBudget() async throws {
        try await Self.withGateway { server, client in
            let app = try await server.registerClient(client)
            // 20,000 sat a day; each payment holds 1,000 sat + a 10 sat fee reserve and settles at
            // 1,000 + the origin's 1 sat fee.
            let granted = try await server.grant(
                client, app, scope: "balance:read payments:send", extra: ["budget": "20000/daily"])
            let access = try #require(granted["access_token"] as? String)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for _ in 0..<60 {
                    group.addTask {
                        let response = try await Self.keysend(client, token: access, sats: 1000)
                        return (response.status, response.json["error"] as? String ?? "")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let paid = statuses.filter { $0.0 == .ok }.count
            let refused = statuses.filter { $0.0.code == 402 && $0.1 == "quota_exceeded" }.count
            // A payment whose forwarding broke after it may have reached the origin is charged at
            // its hold (1,010 sat), never released: a loaded machine gets a few (three of sixty in
            // one CI run, the origin's connection closed under the pooled client).
            let unknown = statuses.filter { $0.0.code == 502 && $0.1 == "origin_connection_lost" }.count
            #expect(paid + refused + unknown == 60, "\(statuses)")
            #expect(unknown <= 6, "\(statuses)")
            #expect((1...19).contains(paid))

            let connection = try #require(
                try await server.ledger.connections(userId: "alice", status: nil, afterId: nil, limit: 10).first)
            let status = try #require(try await server.ledger.budgetStatus(connectionId: connection.id))
            #expect(status.usage.spentUnits == Int64(paid) * 1_001_000 + Int64(unknown) * 1_010_000)
            #expect(status.usage.spentUnits <= 20_000_000)
            #expect(status.usage.heldUnits == 0)
            let balance = try await client.execute(
                uri: "/balance", method: .get, headers: TestServer.headers(token: access))
            // The origin paid every payment answered 200, and perhaps some whose answer was lost.
            let originBalance = try #require(balance.json["balance"] as? Int)
            #expect((1_000_000 - (paid + unknown) * 1001...1_000_000 - paid * 1001).contains(originBalance))

            // A payment the origin refuses releases its hold and costs nothing.
            let failing = try await client.execute(
                uri: "/payments/keysend", method: .post, headers: TestServer.headers(token: access),
                body: ByteBuffer(string: #"{"destination":"fail","amount":10}"#))
            #expect(failing.status == .badRequest)
            let after = try #require(try await server.ledger.budgetStatus(connectionId: connection.id))
            #expect(after.usage.spentUnits == status.usage.spentUnits && after.usage.heldUnits == 0)
            // A body without an amount is the caller's error, before any reservation.
            let noAmount = try await client.execute(
                uri: "/payments/keysend", method: .post, headers: TestServer.headers(token: access),
                body: ByteBuffer(string: #"{"destination":"\#(Self.destination)"}"#))
            #expect(noAmount.status == .badRequest && noAmount.json["error"] as? String == "invalid_request")
        }
    }

    @Test func clearAuthGuardsProtectedEndpointsWithCashuErrors() async throws {
        let clock = TestClock.startingNow()
        let endpoints = try ProtectedEndpoints(parsing: ["POST /v1/auth/blind/mint", "POST /v1/mint/*"])
        let settings = ClearAuthSettings(
            endpoints: endpoints, clientId: "cashu-client", issuer: .own, ratePerMinute: 1, burst: 3)
        try await Self.withGateway(clock: clock, clearAuth: settings) { server, client in
            let body = try JSONSerialization.data(withJSONObject: [
                "client_id": "cashu-client", "name": "Cashu", "redirect_uris": [TestServer.callback], "public": true,
                "scopes": ["balance:read"],
            ])
            _ = try await client.execute(
                uri: "/admin/clients", method: .post, headers: TestServer.headers(), body: ByteBuffer(bytes: body))
            let wallet = OAuthClientInfo(id: "cashu-client", secret: nil, redirectUri: TestServer.callback)
            let cat = try #require(try await server.grant(client, wallet)["access_token"] as? String)
            func mint(_ token: String?, path: String = "/v1/auth/blind/mint") async throws -> TestResponse {
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                if let token { headers[HTTPField.Name("Clear-auth")!] = token }
                return try await client.execute(
                    uri: path, method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            }

            let none = try await mint(nil)
            #expect(none.status == .unauthorized && none.json["code"] as? Int == 30001)
            #expect(none.json["detail"] as? String == "Endpoint requires clear auth")
            let passed = try await mint(cat)
            #expect(passed.status == .ok, "\(String(buffer: passed.body))")
            #expect(passed.json["signatures"] != nil)
            #expect(try await mint(cat, path: "/v1/mint/quote/bolt11").status == .ok)

            var parts = cat.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            #expect(try await mint(parts.joined(separator: ".")).json["code"] as? Int == 30002)
            let otherIssuer = try await AccessTokens(
                ring: server.ringForTests(), issuer: "https://evil.example", audience: TestServer.issuer
            )
            .mint(
                AccessTokenClaims(
                    issuer: "https://evil.example", subject: "alice", audience: TestServer.issuer,
                    issuedAt: Date(), expiresAt: Date().addingTimeInterval(600), jti: "x", clientId: "cashu-client",
                    scopes: ["balance:read"]))
            #expect(try await mint(otherIssuer).json["code"] as? Int == 30002)
            let app = try await server.registerClient(client)
            let otherClient = try #require(try await server.grant(client, app)["access_token"] as? String)
            #expect(try await mint(otherClient).json["code"] as? Int == 30002)

            // Rate limit per sub: the burst is 3 and two were used above; one a minute refills, so a
            // slow machine cannot refill the bucket between these calls.
            #expect(try await mint(cat).status == .ok)
            let limited = try await mint(cat)
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)

            clock.advance(seconds: 3601)
            let expired = try await mint(cat)
            #expect(expired.json["code"] as? Int == 30002)
            #expect((expired.json["detail"] as? String)?.contains("expired") == true)

            let info = try await client.execute(uri: "/v1/info", method: .get)
            let nut21 = (info.json["nuts"] as? [String: Any])?["21"] as? [String: Any]
            #expect(nut21?["client_id"] as? String == "cashu-client")
            #expect(nut21?["openid_discovery"] as? String == TestServer.issuer + "/.well-known/openid-configuration")
            #expect((nut21?["protected_endpoints"] as? [[String: String]])?.count == 2)
        }
    }
}
