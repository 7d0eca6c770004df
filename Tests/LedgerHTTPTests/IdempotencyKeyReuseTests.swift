import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
import NIOCore
import Testing

/// An `Idempotency-Key` names one request: the same key sent with another request (another route,
/// another spend, another body) is refused with 422 `idempotency_key_reused`, never answered with
/// the first request's outcome while the second is silently dropped. Found by schemathesis: the
/// budget service's settle and release recorded no request digest, so a later request under the
/// same key replayed the settle.
@Suite struct IdempotencyKeyReuseTests {
    func admin(_ key: String) -> HTTPFields {
        TestServer.headers(token: TestServer.adminToken, [("Idempotency-Key", key)])
    }

    @Test func aKeyUsedForASettleIsRefusedForAnyOtherRequest() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "1000/never")
            func reserve(_ headers: HTTPFields) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/connections/\(app.connectionId)/spends", method: .post, headers: headers,
                    body: ByteBuffer(json: #"{"amount_msat":1000}"#))
            }
            let first = try #require(try await reserve(TestServer.headers()).json["id"] as? String)
            let second = try #require(try await reserve(TestServer.headers()).json["id"] as? String)

            let settled = try await client.execute(
                uri: "/v1/spends/\(first)/settle", method: .post, headers: admin("k"),
                body: ByteBuffer(json: #"{"amount_msat":1000}"#))
            #expect(settled.status == .ok)
            // The very same request again is a replay.
            let again = try await client.execute(
                uri: "/v1/spends/\(first)/settle", method: .post, headers: admin("k"),
                body: ByteBuffer(json: #"{"amount_msat":1000}"#))
            #expect(again.status == .ok && again.headers[.init("Idempotent-Replayed")!] == "true")

            // Another spend's settle, a new connection, a revocation, a reservation: all refused.
            let otherSettle = try await client.execute(
                uri: "/v1/spends/\(second)/settle", method: .post, headers: admin("k"),
                body: ByteBuffer(json: #"{"amount_msat":1000}"#))
            #expect(otherSettle.status == .unprocessableContent, "\(String(buffer: otherSettle.body))")
            #expect(otherSettle.json["code"] as? String == "idempotency_key_reused")
            #expect(try await server.ledger.spend(id: second)?.status == .held)

            let created = try await client.execute(
                uri: "/admin/connections", method: .post, headers: admin("k"),
                body: ByteBuffer(json: #"{"user_id":"u","name":"n","scopes":["pay_invoice"]}"#))
            #expect(created.status == .unprocessableContent, "\(String(buffer: created.body))")

            let revoked = try await client.execute(
                uri: "/admin/connections/\(app.connectionId)", method: .delete, headers: admin("k"))
            #expect(revoked.status == .unprocessableContent, "\(String(buffer: revoked.body))")
            #expect(try await server.ledger.connection(id: app.connectionId)?.status == .active)

            let reserved = try await reserve(admin("k"))
            #expect(reserved.status == .unprocessableContent, "\(String(buffer: reserved.body))")
        }
    }

    @Test func aKeyUsedForAReservationIsRefusedForASettleOrRelease() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.exchange(client, permissions: ["send_payments"], budget: "1000/never")
            let held = try await client.execute(
                uri: "/v1/connections/\(app.connectionId)/spends", method: .post, headers: TestServer.headers(),
                body: ByteBuffer(json: #"{"amount_msat":1000}"#))
            let spend = try #require(held.json["id"] as? String)
            let keyed = try await client.execute(
                uri: "/v1/connections/\(app.connectionId)/spends", method: .post, headers: admin("k2"),
                body: ByteBuffer(json: #"{"amount_msat":2000}"#))
            #expect(keyed.status == .created)
            for action in ["settle", "release"] {
                let answer = try await client.execute(
                    uri: "/v1/spends/\(spend)/\(action)", method: .post, headers: admin("k2"),
                    body: ByteBuffer(json: action == "settle" ? #"{"amount_msat":1000}"# : "{}"))
                #expect(answer.status == .unprocessableContent, "\(action): \(String(buffer: answer.body))")
            }
            #expect(try await server.ledger.spend(id: spend)?.status == .held)
        }
    }
}
