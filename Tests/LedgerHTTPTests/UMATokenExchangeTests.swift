import LedgerApp
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerCore
import LedgerHTTP
import LedgerStore
import NIOCore
import Testing

@Suite struct UMATokenExchangeTests {
    @Test func exchangeRecordsGrantAndTokenAndAnswersALongLivedToken() async throws {
        let server = try TestServer()
        let nowSec = Int64(Date().timeIntervalSince1970)
        try await server.run { client in
            let exchanged = try await server.exchange(
                client, permissions: ["send_payments", "read_balance"], budget: "50/daily", expiration: nowSec + 3600)
            let claims = exchanged.claims
            #expect(claims["sub"] as? String == "alice")
            #expect(claims["address"] as? String == "$alice@localhost")
            #expect(claims["iss"] as? String == TestServer.issuer)
            #expect(claims["exp"] as? Int64 == nowSec + 3600)
            #expect((claims["scopes"] as? [String])?.contains("pay_invoice") == true)
            #expect((claims["scopes"] as? [String])?.contains("make_invoice") == false)
            let jti = try #require(claims["jti"] as? String)

            let events = try server.ledger.events(stream: Connection.stream(exchanged.connectionId), limit: 10)
            #expect(events.map(\.type) == ["ConnectionGranted", "TokenIssued"])
            let issued = try events[1].payload.decode(as: TokenIssued.self)
            #expect(issued.jti == jti && issued.expiresAtSec == nowSec + 3600)
            // Secrets never reach the log: the token itself is nowhere in it.
            let signature = String(exchanged.token.split(separator: ".")[2])
            #expect(!events.contains { String(decoding: $0.data + $0.meta, as: UTF8.self).contains(signature) })

            let connection = try #require(try await server.ledger.connection(id: exchanged.connectionId))
            #expect(connection.budget?.limitMsat == 50_000)
            #expect(connection.expiresAtSec == nowSec + 3600)
        }
    }

    @Test func expirationIsCappedByTheConfiguredMaximumAndAlwaysSet() async throws {
        let server = try TestServer(nwc: NWCSettings(issuer: TestServer.issuer, tokenLifetimeSecMax: 7200))
        let before = Int64(Date().timeIntervalSince1970)
        try await server.run { client in
            let far = try await server.exchange(client, permissions: ["get_balance"], expiration: before + 10_000_000)
            let none = try await server.exchange(client, permissions: ["get_balance"])
            let after = Int64(Date().timeIntervalSince1970)
            for claims in [far.claims, none.claims] {
                let exp = try #require(claims["exp"] as? Int64)
                #expect((before + 7200)...(after + 7200) ~= exp)
            }
        }
    }

    @Test func exchangeRefusalsFollowTheSeed() async throws {
        let server = try TestServer()
        try await server.run { client in
            func post(_ token: String?, _ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/umanwc/token", method: .post, headers: TestServer.headers(token: token),
                    body: ByteBuffer(json: body))
            }
            let valid = try await server.userToken("alice")
            let stranger = try TestServer()  // another login key
            let cases: [(String, String?, String, HTTPResponse.Status)] = [
                ("no token", nil, #"{"permissions":["get_balance"]}"#, .unauthorized),
                (
                    "expired", try await server.userToken("alice", expiresIn: -60), #"{"permissions":["get_balance"]}"#,
                    .unauthorized
                ),
                (
                    "wrong key", try await stranger.userToken("alice"), #"{"permissions":["get_balance"]}"#,
                    .unauthorized
                ),
                ("garbage", "not.a.jwt", #"{"permissions":["get_balance"]}"#, .unauthorized),
                ("no permissions", valid, #"{"expiration":1900000000}"#, .badRequest),
                ("empty permissions", valid, #"{"permissions":[]}"#, .badRequest),
                ("unknown permission", valid, #"{"permissions":["fly_to_moon"]}"#, .badRequest),
                ("bad budget", valid, #"{"permissions":["pay_invoice"],"budget":"lots"}"#, .badRequest),
                ("past expiration", valid, #"{"permissions":["pay_invoice"],"expiration":1000}"#, .badRequest),
                ("not json", valid, "permissions=pay_invoice", .badRequest),
            ]
            for (name, token, body, status) in cases {
                let response = try await post(token, body)
                #expect(response.status == status, "\(name)")
                #expect(response.json["error"] is String, "\(name): seed 000's {\"error\": ...} shape")
            }
        }
        #expect(try server.ledger.eventCount() == 0)
    }
}
