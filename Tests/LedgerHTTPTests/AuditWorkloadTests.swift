import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import LedgerTestSupport
import NIOCore
import Testing

/// Issue 12's required test: a workload across every surface (admin, UMA, OAuth, gateway,
/// clear-auth) produces a record for every decision, with the right actor, on-behalf-of, subject,
/// action and outcome. Each surface runs in its own server (with the gateway and NUT-21 in front
/// of a live mock origin), drives real decisions through the router, then reads `/audit/events`.
@Suite struct AuditWorkloadTests {
    /// One record the trail must hold. `responsible` nil means the record must have none.
    struct Expected: CustomStringConvertible {
        var code: String
        var user: (id: String, role: String)
        var responsible: (id: String, role: String)?
        var subject: (idType: String, id: String)
        var action: String
        var outcome: String
        var authorization: String
        /// How many such records; nil is at least one.
        var count: Int?

        var description: String {
            "\(code) by \(user.id)/\(user.role)"
                + (responsible.map { " for \($0.id)/\($0.role)" } ?? "")
                + " about \(subject.idType):\(subject.id), \(action) \(outcome) under \(authorization)"
        }

        func matches(_ record: [String: Any]) -> Bool {
            let event = record["event"] as? [String: Any]
            let recordUser = record["user"] as? [String: Any]
            let recordResponsible = record["responsible_user"] as? [String: Any]
            let recordSubject = record["subject"] as? [String: Any]
            let responsibleMatches: Bool =
                if let responsible {
                    recordResponsible?["id"] as? String == responsible.id
                        && recordResponsible?["role"] as? String == responsible.role
                } else {
                    recordResponsible == nil
                }
            return event?["code"] as? String == code
                && event?["system"] as? String == AuditMapping.system
                && recordUser?["id"] as? String == user.id && recordUser?["role"] as? String == user.role
                && responsibleMatches
                && recordSubject?["id_type"] as? String == subject.idType
                && recordSubject?["id"] as? String == subject.id
                && record["action"] as? String == action && record["outcome"] as? String == outcome
                && record["authorization_protocol"] as? String == authorization
                && (record["source"] as? [String: Any])?["id"] as? String == AuditMapping.ledgerSource
        }
    }

    /// An app acting for `userId`: the app is the user (role `app`), the user is responsible, and
    /// the user is the subject.
    static func forUser(
        _ code: String, app: String, userId: String, action: String, outcome: String = "success",
        grant: String, count: Int? = nil
    ) -> Expected {
        Expected(
            code: code, user: (app, "app"), responsible: (userId, "user"), subject: ("user", userId),
            action: action, outcome: outcome, authorization: "grant:\(grant)", count: count)
    }

    enum Surface: String, CaseIterable, CustomTestStringConvertible {
        case admin, uma, oauth, gateway, clearAuth
        var testDescription: String { rawValue }
    }

    static let clearAuthSettings = ClearAuthSettings(
        endpoints: try! ProtectedEndpoints(parsing: ["POST /v1/auth/blind/mint"]), clientId: "cashu-client",
        issuer: .own, ratePerMinute: 1, burst: 2)

    @Test(arguments: Surface.allCases)
    func everyDecisionOfTheSurfaceIsARecordWithActorOnBehalfOfSubjectActionAndOutcome(_ surface: Surface)
        async throws
    {
        try await GatewayTests.withGateway(clearAuth: Self.clearAuthSettings) { server, client in
            let expected = try await Self.drive(surface, server, client)
            let logged = try server.ledger.events(afterSeq: 0, limit: 10_000)
            let records = try await Self.allRecords(client)

            // Every decision is a record: each event the workload appended has one, at its seq,
            // under the same id.
            let bySeq = Dictionary(records.compactMap { r in (r["seq"] as? Int).map { ($0, r) } }) { a, _ in a }
            for event in logged {
                let record = bySeq[Int(event.seq)]
                #expect(record != nil, "\(surface): event \(event.seq) \(event.type) has no record")
                #expect(record?["id"] as? String == event.eventId)
                #expect((record?["event"] as? [String: Any])?["code"] as? String == event.type)
            }
            // And each decision's record says who, for whom, about whom, what, and how it ended.
            for want in expected {
                let found = records.filter(want.matches)
                let sameCode = records.filter { ($0["event"] as? [String: Any])?["code"] as? String == want.code }
                    .map(Self.summary)
                if let count = want.count {
                    #expect(found.count == count, "\(surface): \(want) ×\(count); records of the code: \(sameCode)")
                } else {
                    #expect(!found.isEmpty, "\(surface): no record \(want); records of the code: \(sameCode)")
                }
            }
        }
    }

    /// Drives the surface's decisions; what the trail must now hold.
    static func drive(_ surface: Surface, _ server: TestServer, _ client: some TestClientProtocol) async throws
        -> [Expected]
    {
        switch surface {
        case .admin: try await admin(server, client)
        case .uma: try await uma(server, client)
        case .oauth: try await oauth(server, client)
        case .gateway: try await gateway(server, client)
        case .clearAuth: try await clearAuth(server, client)
        }
    }

    /// The admin grants a connection for a user, revokes it, fails to revoke it again, and
    /// registers an app: the admin acts on no one's behalf.
    static func admin(_ server: TestServer, _ client: some TestClientProtocol) async throws -> [Expected] {
        let created = try await client.execute(
            uri: "/admin/connections", method: .post, headers: TestServer.headers(),
            body: ByteBuffer(json: #"{"user_id":"patient-1","name":"Coffee app","scopes":["pay_invoice"]}"#))
        #expect(created.status == .created, "\(String(buffer: created.body))")
        let id = try #require(created.json["id"] as? String)
        let revoked = try await client.execute(
            uri: "/admin/connections/\(id)", method: .delete, headers: TestServer.headers())
        #expect(revoked.status == .ok)
        let again = try await client.execute(
            uri: "/admin/connections/\(id)", method: .delete, headers: TestServer.headers())
        #expect(again.status == .conflict)
        let app = try await server.registerClient(client)
        func byAdmin(_ code: String, _ subject: (String, String), _ action: String, _ outcome: String, _ auth: String)
            -> Expected
        {
            Expected(
                code: code, user: ("admin", "admin"), responsible: nil, subject: subject, action: action,
                outcome: outcome, authorization: auth, count: 1)
        }
        return [
            byAdmin("ConnectionGranted", ("user", "patient-1"), "C", "success", "grant:\(id)"),
            byAdmin("ConnectionRevoked", ("user", "patient-1"), "D", "success", "grant:\(id)"),
            byAdmin("CommandRejected", ("user", "patient-1"), "D", "failure", "grant:\(id)"),
            byAdmin("ClientRegistered", ("ledger-stream", "client/\(app.id)"), "C", "success", "client:\(app.id)"),
        ]
    }

    /// Seed 000's token exchange (the user acts for themself), then a payment within the budget
    /// and one over it (the connection acts for the user).
    static func uma(_ server: TestServer, _ client: some TestClientProtocol) async throws -> [Expected] {
        let alice = try await server.exchange(client, permissions: ["send_payments"], budget: "50/daily")
        let bob = try await server.exchange(client, user: "bob", permissions: ["receive_payments"])
        let paid = try await server.pay(
            client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 30_000))
        #expect(paid.status == .ok, "\(String(buffer: paid.body))")
        let over = try await server.pay(
            client, alice, invoice: try await server.invoice(client, payee: bob, amountMsat: 30_000))
        #expect(over.status.code == 402 && over.json["code"] as? String == "QUOTA_EXCEEDED")
        let cnx = alice.connectionId
        func byUser(_ code: String) -> Expected {
            Expected(
                code: code, user: ("user:alice", "user"), responsible: nil, subject: ("user", "alice"), action: "C",
                outcome: "success", authorization: "grant:\(cnx)", count: 1)
        }
        let app = "connection:\(cnx)"
        return [
            byUser("ConnectionGranted"), byUser("TokenIssued"),
            forUser("SpendReserved", app: app, userId: "alice", action: "E", grant: cnx, count: 1),
            forUser("SpendSettled", app: app, userId: "alice", action: "E", grant: cnx, count: 1),
            forUser("SpendDenied", app: app, userId: "alice", action: "E", outcome: "failure", grant: cnx, count: 1),
        ]
    }

    /// The authorization code flow (the user consents, the client redeems for them), the spent
    /// code presented again, and a client's own token (client_credentials: no user).
    static func oauth(_ server: TestServer, _ client: some TestClientProtocol) async throws -> [Expected] {
        let app = try await server.registerClient(client)
        let pkce = PKCE()
        let code = try await server.authorize(client, app, pkce: pkce)
        let redeemed = try await server.redeem(client, app, code: code, pkce: pkce)
        #expect(redeemed.status == .ok, "\(String(buffer: redeemed.body))")
        let replayed = try await server.redeem(client, app, code: code, pkce: pkce)
        #expect(replayed.status == .badRequest && replayed.json["error"] as? String == "invalid_grant")
        let own = try await server.tokenRequest(client, app, ["grant_type": "client_credentials"])
        #expect(own.status == .ok, "\(String(buffer: own.body))")

        let cnx = try #require(try await server.ledger.connections(userId: "alice", status: nil, afterId: nil, limit: 10).first).id
        let ownClaims = try TestServer.claims(of: try #require(own.json["access_token"] as? String))
        let ownJti = try #require(ownClaims["jti"] as? String)
        let ownCnx = try #require(try server.ledger.accessToken(jti: ownJti)?.connection.id)
        let clientActor = "client:\(app.id)"
        return [
            // The user consents themself.
            Expected(
                code: "AuthorizationCodeIssued", user: ("user:alice", "user"), responsible: ("alice", "user"),
                subject: ("user", "alice"), action: "C", outcome: "success", authorization: "grant:\(cnx)", count: 1),
            forUser("GrantRedeemed", app: clientActor, userId: "alice", action: "C", grant: cnx, count: 1),
            forUser("ConnectionGranted", app: clientActor, userId: "alice", action: "C", grant: cnx, count: 1),
            forUser("TokenIssued", app: clientActor, userId: "alice", action: "C", grant: cnx, count: 1),
            forUser("RefreshTokenIssued", app: clientActor, userId: "alice", action: "C", grant: cnx, count: 1),
            forUser("GrantReplayed", app: clientActor, userId: "alice", action: "C", outcome: "failure", grant: cnx,
                count: 1),
            // The client for itself: no one is responsible, the grant is the object.
            Expected(
                code: "TokenIssued", user: (clientActor, "app"), responsible: nil,
                subject: ("ledger-stream", "connection/\(ownCnx)"), action: "C", outcome: "success",
                authorization: "grant:\(ownCnx)", count: 1),
        ]
    }

    /// Seed 001's gateway: a read let through, one refused for its scope, a payment paid and one
    /// over the grant's budget; the client acts for the user who granted it.
    static func gateway(_ server: TestServer, _ client: some TestClientProtocol) async throws -> [Expected] {
        let app = try await server.registerClient(client)
        let granted = try await server.grant(
            client, app, scope: "balance:read payments:send", extra: ["budget": "1500/daily"])
        let access = try #require(granted["access_token"] as? String)
        let balance = try await client.execute(uri: "/balance", method: .get, headers: TestServer.headers(token: access))
        #expect(balance.status == .ok)
        let forbidden = try await client.execute(
            uri: "/invoices/incoming", method: .get, headers: TestServer.headers(token: access))
        #expect(forbidden.status == .forbidden)
        let paid = try await GatewayTests.keysend(client, token: access, sats: 1000)
        #expect(paid.status == .ok, "\(String(buffer: paid.body))")
        let over = try await GatewayTests.keysend(client, token: access, sats: 1000)
        #expect(over.status.code == 402 && over.json["error"] as? String == "quota_exceeded")

        let cnx = try #require(try await server.ledger.connections(userId: "alice", status: nil, afterId: nil, limit: 10).first).id
        let actor = "client:\(app.id)"
        return [
            forUser("GatewayAccessRecorded", app: actor, userId: "alice", action: "R", grant: cnx, count: 1),
            forUser("GatewayAccessRecorded", app: actor, userId: "alice", action: "R", outcome: "failure", grant: cnx,
                count: 1),
            forUser("SpendReserved", app: actor, userId: "alice", action: "E", grant: cnx, count: 1),
            forUser("SpendSettled", app: actor, userId: "alice", action: "E", grant: cnx, count: 1),
            forUser("SpendDenied", app: actor, userId: "alice", action: "E", outcome: "failure", grant: cnx, count: 1),
        ]
    }

    /// NUT-21: two mint calls admitted with the wallet's clear-auth token, a third refused by the
    /// per-user rate; the wallet's client acts for its user.
    static func clearAuth(_ server: TestServer, _ client: some TestClientProtocol) async throws -> [Expected] {
        let body = try JSONSerialization.data(withJSONObject: [
            "client_id": "cashu-client", "name": "Cashu", "redirect_uris": [TestServer.callback], "public": true,
            "scopes": ["balance:read"],
        ])
        let registered = try await client.execute(
            uri: "/admin/clients", method: .post, headers: TestServer.headers(), body: ByteBuffer(bytes: body))
        #expect(registered.status == .created)
        let wallet = OAuthClientInfo(id: "cashu-client", secret: nil, redirectUri: TestServer.callback)
        let cat = try #require(try await server.grant(client, wallet)["access_token"] as? String)
        func mint(_ token: String?) async throws -> TestResponse {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let token { headers[HTTPField.Name("Clear-auth")!] = token }
            return try await client.execute(
                uri: "/v1/auth/blind/mint", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
        }
        #expect(try await mint(cat).status == .ok)
        #expect(try await mint(cat).status == .ok)
        #expect(try await mint(cat).status == .tooManyRequests)
        // No token: nothing was decided about a grant, as for the gateway (DESIGN §8).
        #expect(try await mint(nil).status == .unauthorized)

        let cnx = try #require(try await server.ledger.connections(userId: "alice", status: nil, afterId: nil, limit: 10).first).id
        return [
            forUser("GatewayAccessRecorded", app: "client:cashu-client", userId: "alice", action: "E", grant: cnx,
                count: 2),
            forUser("GatewayAccessRecorded", app: "client:cashu-client", userId: "alice", action: "E",
                outcome: "failure", grant: cnx, count: 1),
        ]
    }

    /// Every record of `/audit/events`, page by page.
    static func allRecords(_ client: some TestClientProtocol) async throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try await AuditTrailTests.events(client, "limit=50" + (cursor.map { "&cursor=\($0)" } ?? ""))
            try #require(page.status == .ok, "\(String(buffer: page.body))")
            records += try #require(page.json["records"] as? [[String: Any]])
            cursor = page.json["next_cursor"] as? String
        } while cursor != nil
        return records
    }

    static func summary(_ record: [String: Any]) -> String {
        let user = record["user"] as? [String: Any]
        let responsible = record["responsible_user"] as? [String: Any]
        let subject = record["subject"] as? [String: Any]
        return "\(user?["id"] ?? "-")/\(user?["role"] ?? "-") for \(responsible?["id"] ?? "-")/"
            + "\(responsible?["role"] ?? "-") about \(subject?["id_type"] ?? "-"):\(subject?["id"] ?? "-") "
            + "\(record["action"] ?? "-") \(record["outcome"] ?? "-") \(record["authorization_protocol"] ?? "-")"
    }
}
