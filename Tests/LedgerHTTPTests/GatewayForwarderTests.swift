import LedgerApp
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerHTTP
import LedgerWallet
import NIOCore
import LedgerTestSupport
import Synchronization
import Testing
import LedgerDemo
import LedgerCore

/// The forwarder against the mock origin served for real on 127.0.0.1, plus a few test-only
/// routes that show what arrived (headers, path) or misbehave (slow, redirect).
@Suite("Gateway forwarder and mock origin")
struct GatewayForwarderTests {
    struct Echo: ResponseEncodable {
        var path: String
        var headers: [String: [String]]
    }

    static func originRouter() -> Router<BasicRequestContext> {
        let router = MockOrigin.router()
        let echo: @Sendable (Request, BasicRequestContext) async throws -> Echo = { request, _ in
            var headers: [String: [String]] = [:]
            for field in request.headers { headers[field.name.canonicalName, default: []].append(field.value) }
            return Echo(path: request.uri.description, headers: headers)
        }
        router.get("/echo", use: echo)
        router.post("/echo", use: echo)
        router.get("/prefix/echo", use: echo)
        router.get("/slow") { _, _ -> String in
            // Answers only once the test has its answer (or after 30 s), so however starved the
            // machine, only the timeout can end the call.
            for _ in 0..<300 where !Self.slowReleased.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(100)) }
            return "late"
        }
        router.get("/cut") { _, _ in
            // Headers out, then the connection dies mid-body.
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "partial"))
                    throw CancellationError()
                })
        }
        router.get("/stall") { _, _ in
            // Headers and a first piece out at once; the rest only once the test has its answer
            // (or after 30 s), so however starved the machine, only the timeout can end the call.
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "partial"))
                    for _ in 0..<300 where !Self.stallReleased.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(100)) }
                    try await writer.write(ByteBuffer(string: "late"))
                    try await writer.finish(nil)
                })
        }
        router.get("/redirect") { _, _ in
            Response(status: .found, headers: [.location: "http://127.0.0.1:1/elsewhere"])
        }
        router.get("/hop") { _, _ in
            var headers = HTTPFields()
            headers[.connection] = "x-hop-secret"
            headers[HTTPField.Name("X-Hop-Secret")!] = "1"
            headers[HTTPField.Name("X-End-To-End")!] = "yes"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "hop")))
        }
        return router
    }

    /// Serves the origin on an ephemeral port and hands a forwarder for it to `body`.
    static func withOrigin(
        basePath: String = "", timeout: TimeAmount = .seconds(30), responseBytesMax: Int = 64 * 1024,
        _ body: @escaping @Sendable (GatewayForwarder) async throws -> Void
    ) async throws {
        let app = Application(
            router: originRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let httpClient = HTTPClient(configuration: GatewayForwarder.httpClientConfiguration())
            do {
                let forwarder = try GatewayForwarder(
                    originBaseURL: "http://127.0.0.1:\(port)\(basePath)", httpClient: httpClient, timeout: timeout,
                    responseBytesMax: responseBytesMax)
                try await body(forwarder)
            } catch {
                try await httpClient.shutdown()
                throw error
            }
            try await httpClient.shutdown()
        }
    }

    static func send(
        _ forwarder: GatewayForwarder, _ method: HTTPRequest.Method, _ target: String, json: String? = nil,
        user: String = "alice", headers: HTTPFields = [:], scopes: [String] = ["balance:read"]
    ) async throws -> (status: Int, json: [String: Any], raw: GatewayForwardResponse) {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await forwarder.forward(
            method: method, pathAndQuery: target, headers: headers, body: json.map { ByteBuffer(string: $0) },
            userId: user, clientId: "test-client", scopes: scopes)
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
        return (response.status.code, object ?? [:], response)
    }

    static func balance(_ forwarder: GatewayForwarder, _ user: String) async throws -> Int64? {
        (try await send(forwarder, .get, "/balance", user: user).json["balance"] as? NSNumber)?.int64Value
    }

    // MARK: - What reaches the origin

    @Test("the caller's Authorization, Cookie, hop-by-hop and forged X-GrantLedger headers are not forwarded")
    func credentialsAndHopByHopStay() async throws {
        try await Self.withOrigin { forwarder in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer caller-secret"
            headers[.cookie] = "session=caller-secret"
            headers[.proxyAuthorization] = "Basic caller-secret"
            headers[.connection] = "x-hop"
            headers[HTTPField.Name("X-Hop")!] = "1"
            headers[HTTPField.Name("Keep-Alive")!] = "timeout=5"
            headers[.te] = "trailers"
            headers[HTTPField.Name("X-GrantLedger-User")!] = "mallory"
            headers[HTTPField.Name("X-GrantLedger-Scopes")!] = "payments:send"
            headers[.accept] = "application/json"
            headers[HTTPField.Name("X-Request-Id")!] = "abc"
            let (status, _, raw) = try await Self.send(
                forwarder, .get, "/echo?x=1", headers: headers, scopes: ["balance:read", "invoices:read"])
            #expect(status == 200)
            let echo = try JSONDecoder().decode(EchoResult.self, from: Data(raw.body.readableBytesView))
            for name in ["authorization", "cookie", "proxy-authorization", "x-hop", "keep-alive", "te"] {
                #expect(echo.headers[name] == nil, "\(name) was forwarded")
            }
            #expect(echo.headers["x-grantledger-user"] == ["alice"])
            #expect(echo.headers["x-grantledger-client"] == ["test-client"])
            #expect(echo.headers["x-grantledger-scopes"] == ["balance:read invoices:read"])
            #expect(echo.headers["accept"] == ["application/json"])
            #expect(echo.headers["x-request-id"] == ["abc"])
            #expect(echo.path == "/echo?x=1")
        }
    }

    struct EchoResult: Decodable {
        var path: String
        var headers: [String: [String]]
    }

    @Test("a base URL with a path prefix is prefixed to the forwarded path")
    func basePathPrefix() async throws {
        try await Self.withOrigin(basePath: "/prefix/") { forwarder in
            let (status, json, _) = try await Self.send(forwarder, .get, "/echo")
            #expect(status == 200)
            #expect(json["path"] as? String == "/prefix/echo")
        }
    }

    @Test("the body and its length reach the origin")
    func bodyForwarded() async throws {
        try await Self.withOrigin { forwarder in
            let headers: HTTPFields = [.contentLength: "999"]
            let (status, json, _) = try await Self.send(
                forwarder, .post, "/invoices", json: #"{"amount": 2500, "description": "tea"}"#, headers: headers,
                scopes: ["invoices:create"])
            #expect(status == 201)
            #expect(json["amount"] as? Int == 2500)
            let request = try #require(json["payment_request"] as? String)
            #expect(try Bolt11Invoice.parse(request).amountMsat == 2_500_000)
        }
    }

    @Test("hop-by-hop response headers are dropped, end-to-end ones are copied back")
    func responseHeaders() async throws {
        try await Self.withOrigin { forwarder in
            let (status, _, raw) = try await Self.send(forwarder, .get, "/hop")
            #expect(status == 200)
            #expect(raw.headers[HTTPField.Name("X-End-To-End")!] == "yes")
            #expect(raw.headers[HTTPField.Name("X-Hop-Secret")!] == nil)
            #expect(raw.headers[.connection] == nil)
            #expect(raw.headers[.contentLength] == nil)
            #expect(String(buffer: raw.body) == "hop")
        }
    }

    @Test("a redirect is answered to the caller, not followed")
    func redirectNotFollowed() async throws {
        try await Self.withOrigin { forwarder in
            let (status, _, raw) = try await Self.send(forwarder, .get, "/redirect")
            #expect(status == 302)
            #expect(raw.headers[.location] == "http://127.0.0.1:1/elsewhere")
        }
    }

    // MARK: - The mock origin's wallet, through the forwarder

    @Test("the mock answers per user: each user has a balance of their own and a lightning address")
    func perUserState() async throws {
        try await Self.withOrigin { forwarder in
            #expect(try await Self.balance(forwarder, "alice") == 1_000_000)
            let keysend = #"{"destination": "02\#(String(repeating: "11", count: 32))", "amount": 1000}"#
            #expect(
                try await Self.send(forwarder, .post, "/payments/keysend", json: keysend, user: "alice").status == 200)
            #expect(try await Self.balance(forwarder, "alice") == 998_999)
            #expect(try await Self.balance(forwarder, "bob") == 1_000_000)
            let v4v = try await Self.send(forwarder, .get, "/user/value4value", user: "bob").json
            #expect(v4v["lightning_address"] as? String == "bob@mock.local")
        }
    }

    @Test("paying a BOLT11 invoice debits its amount plus the fee, and the gateway reads both")
    func bolt11PaymentLowersBalance() async throws {
        try await Self.withOrigin { forwarder in
            let created = try await Self.send(
                forwarder, .post, "/invoices", json: #"{"amount": 2500, "description": "coffee"}"#, user: "bob")
            let invoice = try #require(created.json["payment_request"] as? String)
            let hash = try #require(created.json["payment_hash"] as? String)

            let route = try #require(GatewayRouteTable.albyExample.match(method: "POST", path: "/payments/bolt11"))
            let body = #"{"invoice": "\#(invoice)"}"#
            let requested = try GatewayRouteTable.albyExample.spendAmountMsat(route: route, body: Data(body.utf8))
            #expect(requested == 2_500_000)

            let paid = try await Self.send(forwarder, .post, "/payments/bolt11", json: body, user: "alice")
            #expect(paid.status == 200)
            #expect(paid.json["status"] as? String == "settled")
            #expect(paid.json["payment_hash"] as? String == hash)
            let cost = GatewayRouteTable.albyExample.settledCost(
                route: route, responseBody: Data(paid.raw.body.readableBytesView), requestedMsat: requested ?? 0)
            #expect(cost == GatewaySettledCost(amountMsat: 2_500_000, feeMsat: 1_000))
            #expect(try await Self.balance(forwarder, "alice") == 1_000_000 - 2_501)

            let outgoing = try await forwarder.forward(
                method: .get, pathAndQuery: "/invoices/outgoing", headers: [:], body: nil, userId: "alice",
                clientId: "c", scopes: [])
            let list = try JSONSerialization.jsonObject(with: Data(outgoing.body.readableBytesView)) as? [[String: Any]]
            #expect(list?.count == 1)
            let again = try await Self.send(forwarder, .post, "/payments/bolt11", json: body, user: "alice")
            #expect(again.status == 400)
            #expect(try await Self.balance(forwarder, "alice") == 1_000_000 - 2_501)
            let byHash = try await Self.send(forwarder, .get, "/invoices/\(hash)", user: "bob")
            #expect(byHash.json["amount"] as? Int == 2500)
        }
    }

    @Test("a failing payment answers non-2xx and leaves the balance alone")
    func failingPayment() async throws {
        try await Self.withOrigin { forwarder in
            let failKeysend = try await Self.send(
                forwarder, .post, "/payments/keysend", json: #"{"destination": "fail", "amount": 10}"#)
            #expect(failKeysend.status == 400)
            #expect((failKeysend.json["error"] as? String)?.contains("payment failed") == true)

            let failing = Bolt11Invoice.encode(
                network: "bcrt", amountMsat: 10_000, timestamp: Int64(Date().timeIntervalSince1970),
                paymentHash: String(repeating: "cd", count: 32), description: "please fail")
            let failBolt11 = try await Self.send(
                forwarder, .post, "/payments/bolt11", json: #"{"invoice": "\#(failing)"}"#)
            #expect(failBolt11.status == 400)

            let tooMuch = try await Self.send(
                forwarder, .post, "/payments/keysend",
                json: #"{"destination": "02\#(String(repeating: "11", count: 32))", "amount": 1000000}"#)
            #expect(tooMuch.status == 400)
            #expect((tooMuch.json["error"] as? String)?.contains("insufficient balance") == true)
            #expect(try await Self.balance(forwarder, "alice") == 1_000_000)
        }
    }

    // MARK: - Failures of the forwarder itself

    @Test("an origin nobody listens on is unreachable: the request was never sent (502)")
    func unreachableOrigin() async throws {
        // AsyncHTTPClient retries a refused connection until the deadline, then reports the
        // refusal: an unreachable origin costs the whole timeout, so keep it short here.
        // A connect timeout far below the request's, so even a loaded machine reports the refusal.
        let httpClient = HTTPClient(
            configuration: GatewayForwarder.httpClientConfiguration(connectTimeout: .milliseconds(500)))
        let forwarder = try? GatewayForwarder(
            originBaseURL: "http://127.0.0.1:1", httpClient: httpClient, timeout: .seconds(20), responseBytesMax: 1024)
        let error = await #expect(throws: GatewayForwardError.self) {
            try await Self.send(try #require(forwarder), .get, "/balance")
        }
        try await httpClient.shutdown()
        #expect(error?.kind == .unreachable)
        #expect(error?.suggestedStatus == .badGateway)
    }

    @Test("an origin nobody listens on is unreachable even when the request's timeout ends before the connect timeout")
    func unreachableOriginWithinTheRequestTimeout() async throws {
        // AsyncHTTPClient retries a refused connection until the request's deadline when that comes
        // before the connect timeout (here 1 s against 5 s): the refusal must still be reported as
        // such, not as the origin failing to answer, or a payment that never left is charged.
        let httpClient = HTTPClient(configuration: GatewayForwarder.httpClientConfiguration())
        let forwarder = try? GatewayForwarder(
            originBaseURL: "http://127.0.0.1:1", httpClient: httpClient, timeout: .seconds(1), responseBytesMax: 1024)
        for _ in 0..<3 {
            let error = await #expect(throws: GatewayForwardError.self) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await Self.send(try #require(forwarder), .get, "/balance") }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(900))
                        await CooperativePoolLoad.occupyEveryThread(for: .milliseconds(400))
                    }
                    try await group.waitForAll()
                }
            }
            #expect(error?.kind == .unreachable, "\(String(describing: error))")
        }
        try await httpClient.shutdown()
    }

    @Test("a connection that breaks after the request went out is connectionLost, not unreachable")
    func connectionLost() async throws {
        try await Self.withOrigin { forwarder in
            let error = await #expect(throws: GatewayForwardError.self) {
                try await Self.send(forwarder, .get, "/cut")
            }
            #expect(error?.kind == .connectionLost)
            #expect(error?.suggestedStatus == .badGateway)
        }
    }

    @Test("an origin slower than the timeout is a typed timeout error (504)")
    func slowOrigin() async throws {
        try await Self.withOrigin(timeout: .seconds(2)) { forwarder in
            let started = ContinuousClock.now
            let error = await #expect(throws: GatewayForwardError.self) {
                try await Self.send(forwarder, .get, "/slow")
            }
            Self.slowReleased.withLock { $0 = true }
            #expect(error?.kind == .timedOut)
            #expect(error?.suggestedStatus == .gatewayTimeout)
            // The timeout and a loaded machine's delays (a full run keeps tests waiting for a pool
            // thread for many seconds); well before the origin's own 30 s.
            #expect(ContinuousClock.now - started < .seconds(25))
        }
    }

    /// Lets /slow answer.
    static let slowReleased = Mutex(false)

    @Test("an origin that sends the head and then stalls the body times out (504)")
    func stalledBody() async throws {
        try await Self.withOrigin(timeout: .seconds(2)) { forwarder in
            let started = ContinuousClock.now
            let error = await #expect(throws: GatewayForwardError.self) {
                try await Self.send(forwarder, .get, "/stall")
            }
            Self.stallReleased.withLock { $0 = true }
            #expect(error?.kind == .timedOut)
            // The timeout plus the body's one-second grace, and a loaded machine's delays; well
            // before the origin's own 30 s.
            #expect(ContinuousClock.now - started < .seconds(25))
        }
    }

    /// Lets /stall finish its body.
    static let stallReleased = Mutex(false)

    @Test("an answer larger than the bound is refused")
    func oversizeResponse() async throws {
        try await Self.withOrigin(responseBytesMax: 32) { forwarder in
            let error = await #expect(throws: GatewayForwardError.self) {
                try await Self.send(forwarder, .get, "/user/value4value")
            }
            #expect(error?.kind == .responseTooLarge)
            let small = try await Self.send(forwarder, .get, "/balance")
            #expect(small.status == 200)
        }
    }

    @Test("a dot segment, a bad target or an identity that is not a header value is not sent")
    func invalidRequests() async throws {
        try await Self.withOrigin { forwarder in
            for target in ["/invoices/../admin", "/invoices/%2e%2e/admin", "/a%2Fb", "balance", "/a b", "/a#b"] {
                let error = await #expect(throws: GatewayForwardError.self, "\(target)") {
                    try await Self.send(forwarder, .get, target)
                }
                #expect(error?.kind == .invalidRequest)
            }
            for user in ["", "alice bob", "al\nice", String(repeating: "a", count: 300)] {
                let error = await #expect(throws: GatewayForwardError.self) {
                    try await Self.send(forwarder, .get, "/balance", user: user)
                }
                #expect(error?.kind == .invalidRequest)
            }
            await #expect(throws: GatewayForwardError.self) {
                try await Self.send(forwarder, .get, "/balance", scopes: ["Bad Scope"])
            }
        }
    }

    @Test("a base URL that is not absolute http(s), or holds a query or credentials, is refused")
    func badBaseURL() throws {
        let httpClient = HTTPClient(configuration: GatewayForwarder.httpClientConfiguration())
        defer { try? httpClient.syncShutdown() }
        for url in ["ftp://x", "/relative", "http://", "http://h/?q=1", "http://u:p@h", "not a url"] {
            #expect(throws: GatewayConfigError.self, "\(url)") {
                try GatewayForwarder(
                    originBaseURL: url, httpClient: httpClient, timeout: .seconds(1), responseBytesMax: 1)
            }
        }
    }

    // MARK: - The mock origin directly

    @Test("the mock refuses a call without X-GrantLedger-User but answers the Cashu mint routes to anyone")
    func mockWithoutUserHeader() async throws {
        let app = Application(router: MockOrigin.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/balance", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(#""error""#))
            }
            try await client.execute(uri: "/v1/auth/blind/mint", method: .post, body: ByteBuffer(string: "{}")) {
                response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"signatures":[]}"#)
            }
            try await client.execute(
                uri: "/v1/mint/quote/bolt11", method: .post, body: ByteBuffer(string: #"{"amount": 64, "unit": "sat"}"#)
            ) { response in
                #expect(response.status == .ok)
                let json =
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(json?["state"] as? String == "UNPAID")
                #expect((json?["quote"] as? String)?.isEmpty == false)
                let request = try #require(json?["request"] as? String)
                #expect(try Bolt11Invoice.parse(request).amountMsat == 64_000)
            }
        }
    }

    @Test("the mock bounds request bodies and refuses malformed ones with a JSON error")
    func mockBodyLimits() async throws {
        let app = Application(router: MockOrigin.router(settings: .init(bodyBytesMax: 64)))
        try await app.test(.router) { client in
            let user: HTTPFields = [HTTPField.Name("X-GrantLedger-User")!: "alice"]
            let big = #"{"amount": 1, "description": "\#(String(repeating: "x", count: 100))"}"#
            try await client.execute(uri: "/invoices", method: .post, headers: user, body: ByteBuffer(string: big)) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(
                uri: "/invoices", method: .post, headers: user, body: ByteBuffer(string: #"{"amount": -1}"#)
            ) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(
                uri: "/payments/keysend", method: .post, headers: user, body: ByteBuffer(string: #"{"amount": 5}"#)
            ) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("destination"))
            }
            try await client.execute(uri: "/invoices/zz", method: .get, headers: user) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(
                uri: "/invoices/\(String(repeating: "ab", count: 32))", method: .get, headers: user
            ) {
                #expect($0.status == .notFound)
            }
        }
    }
}
