import Crypto
import Foundation
import HTTPTypes
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerDemo
import LedgerStore
import LedgerTestSupport
import Logging
import NIOCore
import Testing

/// The saga behind the gateway's payment routes, with an in-memory origin that answers as told:
/// what the origin's answer (or silence) does to the grant's budget.
@Suite struct GatewaySagaTests {
    /// An origin that never leaves the process: it answers the scripted status and body, or throws.
    struct ScriptedOrigin: OriginForwarding {
        enum Script: Sendable {
            case answer(status: Int, body: String)
            case fail(GatewayForwardError.Kind)
        }
        let script: Script

        func forward(
            method: HTTPRequest.Method, pathAndQuery: String, headers: HTTPFields, body: ByteBuffer?, userId: String,
            clientId: String, scopes: [String]
        ) async throws -> GatewayForwardResponse {
            switch script {
            case .answer(let status, let body):
                GatewayForwardResponse(
                    status: .init(code: status), headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body))
            case .fail(let kind):
                throw GatewayForwardError(kind, "the in-memory origin failed: \(kind.rawValue)")
            }
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var script: ScriptedOrigin.Script
        /// The status the caller gets, or nil when the gateway refuses with an origin error.
        var status: Int?
        var spendEvents: [String]
        /// Msat charged to the 1,000 sat budget for a 100 sat keysend (fee reserve 10 sat).
        var spentUnits: Int64
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "200 with the fee it charged: amount + fee settled",
            script: .answer(status: 200, body: #"{"amount":100,"fee":2}"#), status: 200,
            spendEvents: ["SpendReserved", "SpendSettled"], spentUnits: 102_000),
        Row(
            name: "402 from the origin: not paid, released, its answer passed on",
            script: .answer(status: 402, body: #"{"error":"no funds"}"#), status: 402,
            spendEvents: ["SpendReserved", "SpendReleased"], spentUnits: 0),
        Row(
            name: "unreachable: never sent, released", script: .fail(.unreachable), status: nil,
            spendEvents: ["SpendReserved", "SpendReleased"], spentUnits: 0),
        Row(
            name: "timeout after sending: the whole hold settled provisionally", script: .fail(.timedOut), status: nil,
            spendEvents: ["SpendReserved", "SpendSettled"], spentUnits: 110_000),
        Row(
            name: "connection lost after sending: the whole hold settled provisionally", script: .fail(.connectionLost),
            status: nil, spendEvents: ["SpendReserved", "SpendSettled"], spentUnits: 110_000),
    ]

    @Test(arguments: rows)
    func theOriginsAnswerDecidesWhatTheBudgetIsCharged(_ row: Row) async throws {
        let directory = try TemporaryDirectory.make("gl-gateway-saga")
        let clock = TestClock()
        let ledger = try Ledger(
            path: directory.appendingPathComponent("ledger.sqlite").path,
            options: .init(synchronous: .normal, clock: clock.now))
        let ring = try await SigningKeyRing(
            keys: [SigningKey(privateKey: P256.Signing.PrivateKey(), createdAt: clock.date, path: "memory")])
        let tokens = AccessTokens(ring: ring, issuer: "grantledger", audience: "grantledger")
        let nwc = NWCSettings(defaultBudget: try BudgetDefinition.parse("1000/daily", field: "budget"))
        let grants = OAuthGrants(
            ledger: ledger, tokens: tokens, users: nil, settings: OAuthSettings(), nwc: nwc,
            admin: AdminCredentialDigest(hex: String(repeating: "0", count: 64)))
        let source = RequestSource(ip: nil, requestId: "gateway-saga", traceId: nil, purpose: nil)

        // A confidential client and its own token, which gets the default budget.
        let (client, secret) = try await ClientRegistry(ledger: ledger, scopes: .standard).register(
            .init(
                clientId: "app", name: "App", redirectUris: ["https://app.example/cb"], isPublic: false,
                scopes: ["payments:send"], url: nil, imageUrl: nil),
            AdminRequest(source: source))
        let caller = try grants.authenticate(
            PresentedClient(basic: nil, formClientId: client.id, formClientSecret: secret))
        let issued = try await grants.clientCredentials(scopes: nil, caller, source)

        let saga = PaymentSaga(
            ledger: ledger, pricing: BudgetPricing(wallet: DemoWallet(), logger: Logger(label: "test")),
            holdTimeoutMs: 120_000, logger: Logger(label: "test"))
        let access = GatewayAccess(
            settings: GatewaySettings(
                routes: .albyExample, forwarder: ScriptedOrigin(script: row.script),
                feeReserve: FeeReservePolicy(basisPoints: 100, minimumMsat: 10_000)),
            tokens: AccessTokenCheck(ledger: ledger, tokens: tokens), saga: saga)
        let route = try #require(GatewayRouteTable.albyExample.match(method: "POST", path: "/payments/keysend"))
        let call = GatewayAccess.Call(
            method: .post, pathAndQuery: "/payments/keysend", headers: [.contentType: "application/json"],
            body: Data(#"{"destination":"02aa","amount":100}"#.utf8))

        do {
            let answer = try await access.handle(route, bearer: issued.accessToken, call) { _ in
                source.metadata(actor: .init(id: "client:app", role: "app"), action: .execute, subjectUserId: nil)
            }
            #expect(Int(answer.status.code) == row.status)
        } catch let refusal as GatewayAccess.Refusal {
            guard case .origin = refusal, row.status == nil else {
                Issue.record("unexpected refusal \(refusal)")
                return
            }
        }
        let types = try ledger.events(afterSeq: 0, limit: 100).map(\.type).filter { $0.hasPrefix("Spend") }
        #expect(types == row.spendEvents)
        let connectionId = ClientCredentials.connectionId(clientId: "app")
        let usage = try #require(try await ledger.budgetStatus(connectionId: connectionId)).usage
        #expect(usage.spentUnits == row.spentUnits)
        #expect(usage.heldUnits == 0)
    }
}
