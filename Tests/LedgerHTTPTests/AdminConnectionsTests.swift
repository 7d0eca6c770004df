import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerHTTP
import LedgerStore
import NIOCore
import Testing

@Suite struct AdminConnectionsTests {
    let grantBody =
        #"{"user_id":"user-1","name":"Coffee app","scopes":["pay_invoice","get_balance"],"budget":"50000/monthly"}"#

    @Test func aConnectionIsGrantedReadUpdatedAndRevoked() async throws {
        let server = try TestServer()
        try await server.run { client in
            let created = try await client.execute(
                uri: "/admin/connections", method: .post, headers: TestServer.headers(),
                body: ByteBuffer(json: grantBody))
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/admin/connections/\(id)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.json["scopes"] as? [String] == ["get_balance", "pay_invoice"])
            #expect((created.json["budget"] as? [String: Any])?["limit_msat"] as? Int == 50_000_000)

            let fetched = try await client.execute(
                uri: "/admin/connections/\(id)", method: .get, headers: TestServer.headers())
            #expect(fetched.status == .ok)
            #expect(fetched.json["name"] as? String == "Coffee app")

            let patched = try await client.execute(
                uri: "/admin/connections/\(id)", method: .patch,
                headers: TestServer.headers(token: TestServer.adminToken, [("If-Match", "\"1\"")]),
                body: ByteBuffer(json: #"{"name":"Tea app","budget":null}"#))
            #expect(patched.status == .ok)
            #expect(patched.json["name"] as? String == "Tea app")
            #expect(patched.json["budget"] == nil)
            #expect(patched.headers[.eTag] == "\"2\"")

            let stale = try await client.execute(
                uri: "/admin/connections/\(id)", method: .patch,
                headers: TestServer.headers(token: TestServer.adminToken, [("If-Match", "\"1\"")]),
                body: ByteBuffer(json: #"{"name":"Late"}"#))
            #expect(stale.status == .preconditionFailed)
            #expect(stale.json["code"] as? String == "version_conflict")

            let revoked = try await client.execute(
                uri: "/admin/connections/\(id)", method: .delete, headers: TestServer.headers())
            #expect(revoked.status == .ok)
            #expect(revoked.json["status"] as? String == "revoked")

            let again = try await client.execute(
                uri: "/admin/connections/\(id)", method: .delete, headers: TestServer.headers())
            #expect(again.status == .conflict)
            #expect(again.json["code"] as? String == "already_revoked")
        }
        #expect(try server.ledger.verify().isIntact)
    }

    @Test func theSameIdempotencyKeyCreatesOneConnection() async throws {
        let server = try TestServer()
        try await server.run { client in
            let headers = TestServer.headers(token: TestServer.adminToken, [("Idempotency-Key", "order-77")])
            let first = try await client.execute(
                uri: "/admin/connections", method: .post, headers: headers, body: ByteBuffer(json: grantBody))
            let second = try await client.execute(
                uri: "/admin/connections", method: .post, headers: headers, body: ByteBuffer(json: grantBody))
            #expect(first.status == .created && second.status == .created)
            #expect(first.json["id"] as? String == second.json["id"] as? String)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let different = try await client.execute(
                uri: "/admin/connections", method: .post, headers: headers,
                body: ByteBuffer(json: #"{"user_id":"user-2","name":"Other","scopes":["get_info"]}"#))
            #expect(different.status == .unprocessableContent)
            #expect(different.json["code"] as? String == "idempotency_key_reused")
        }
        #expect(try server.ledger.eventCount() == 1)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var label: String
        var body: String
        var status: HTTPResponse.Status
        var code: String
        var testDescription: String { label }
    }

    static let badInputs = [
        BadInput(
            label: "truncated JSON", body: #"{"user_id":"u","name":"n","scopes":["a"]"#, status: .badRequest,
            code: "invalid_json"),
        BadInput(label: "empty body", body: "", status: .badRequest, code: "invalid_json"),
        BadInput(label: "array instead of object", body: "[]", status: .badRequest, code: "invalid_field"),
        BadInput(
            label: "unknown field", body: #"{"user_id":"u","name":"n","scopes":["a"],"expires_in":60}"#,
            status: .badRequest, code: "unknown_field"),
        BadInput(
            label: "scopes not an array", body: #"{"user_id":"u","name":"n","scopes":"a"}"#, status: .badRequest,
            code: "invalid_field"),
        BadInput(
            label: "scopes missing", body: #"{"user_id":"u","name":"n"}"#, status: .badRequest, code: "invalid_field"),
        BadInput(
            label: "budget unparsable", body: #"{"user_id":"u","name":"n","scopes":["a"],"budget":"lots"}"#,
            status: .badRequest, code: "invalid_field"),
        BadInput(
            label: "scope with spaces", body: #"{"user_id":"u","name":"n","scopes":["Not A Scope"]}"#,
            status: .badRequest, code: "invalid_field"),
        BadInput(
            label: "expiry in the past", body: #"{"user_id":"u","name":"n","scopes":["a"],"expires_at":1}"#,
            status: .badRequest, code: "invalid_field"),
        BadInput(
            label: "expiry a string", body: #"{"user_id":"u","name":"n","scopes":["a"],"expires_at":"soon"}"#,
            status: .badRequest, code: "invalid_field"),
        BadInput(
            label: "body over the limit",
            body: #"{"user_id":"u","name":""# + String(repeating: "x", count: 5000) + #"","scopes":["a"]}"#,
            status: .contentTooLarge, code: "body_too_large"),
    ]

    @Test(arguments: badInputs)
    func badInputIsA4xxWithACodeAndAppendsNothing(input: BadInput) async throws {
        let server = try TestServer()
        try await server.run { client in
            let response = try await client.execute(
                uri: "/admin/connections", method: .post, headers: TestServer.headers(),
                body: ByteBuffer(json: input.body))
            #expect(response.status == input.status)
            #expect(response.json["code"] as? String == input.code)
            #expect((response.json["message"] as? String)?.isEmpty == false)
        }
        #expect(try server.ledger.eventCount() == 0)
    }

    @Test(arguments: [nil, "wrong-token", ""] as [String?])
    func aMissingOrWrongAdminCredentialIsRefused(token: String?) async throws {
        let server = try TestServer()
        try await server.run { client in
            var headers = TestServer.headers(token: token)
            if token == "" { headers[.authorization] = "Basic YWRtaW46YWRtaW4=" }
            let response = try await client.execute(
                uri: "/admin/connections", method: .post, headers: headers, body: ByteBuffer(json: grantBody))
            #expect(response.status == .unauthorized)
            #expect(response.json["code"] as? String == "unauthorized")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let read = try await client.execute(uri: "/admin/connections", method: .get, headers: headers)
            #expect(read.status == .unauthorized)
        }
        #expect(try server.ledger.eventCount() == 0)
    }

    @Test func listingPagesByIdAndBoundsThePageSize() async throws {
        let server = try TestServer()
        try await server.run { client in
            for index in 0..<5 {
                let body = #"{"user_id":"user-\#(index % 2)","name":"App \#(index)","scopes":["get_info"]}"#
                _ = try await client.execute(
                    uri: "/admin/connections", method: .post, headers: TestServer.headers(),
                    body: ByteBuffer(json: body))
            }
            let page1 = try await client.execute(
                uri: "/admin/connections?limit=3", method: .get, headers: TestServer.headers())
            let items1 = try #require(page1.json["connections"] as? [[String: Any]])
            let after = try #require(page1.json["next_after"] as? String)
            let page2 = try await client.execute(
                uri: "/admin/connections?limit=3&after=\(after)", method: .get, headers: TestServer.headers())
            let items2 = try #require(page2.json["connections"] as? [[String: Any]])
            #expect(items1.count == 3 && items2.count == 2)
            #expect(page2.json["next_after"] == nil)
            let user0 = try await client.execute(
                uri: "/admin/connections?user_id=user-0", method: .get, headers: TestServer.headers())
            #expect((user0.json["connections"] as? [[String: Any]])?.count == 3)
            let tooMany = try await client.execute(
                uri: "/admin/connections?limit=51", method: .get, headers: TestServer.headers())
            #expect(tooMany.status == .badRequest)
            let badStatus = try await client.execute(
                uri: "/admin/connections?status=maybe", method: .get, headers: TestServer.headers())
            #expect(badStatus.status == .badRequest)
        }
    }

    @Test func unknownConnectionsAndRoutesAnswerJSON404() async throws {
        let server = try TestServer()
        try await server.run { client in
            let missing = try await client.execute(
                uri: "/admin/connections/nope", method: .get, headers: TestServer.headers())
            #expect(missing.status == .notFound)
            #expect(missing.json["code"] as? String == "not_found")
            let route = try await client.execute(uri: "/no/such/route", method: .get)
            #expect(route.status == .notFound)
            #expect(route.json["code"] as? String == "not_found")
        }
    }

    @Test func revokingAnUnknownConnectionIsA404AndAnAuditedDenial() async throws {
        let server = try TestServer()
        try await server.run { client in
            let response = try await client.execute(
                uri: "/admin/connections/ghost", method: .delete, headers: TestServer.headers())
            #expect(response.status == .notFound)
        }
        #expect(
            try server.ledger.events(stream: "connection/ghost/rejections", limit: 5).map(\.type) == ["CommandRejected"]
        )
    }
}
