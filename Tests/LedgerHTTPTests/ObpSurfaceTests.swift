import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerCore
import GRDB
import LedgerStore
import LedgerTestSupport
import NIOCore
import Testing

/// The Open Bank Project surface through the real router (issue 14): OBP's error shape, status and
/// code for each entitlement rule in the order they are checked; roles and account access as of
/// any moment (`?at=`) and their history; custom views; `POST /authz/check` recorded with its
/// outcome; and a replay of the log equal to the live projections after all of it.
@Suite struct ObpSurfaceTests {
    static let api = "/obp/v5.1.0"

    static func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: Any? = nil,
        token: String? = TestServer.adminToken, raw: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[.contentType] = "application/json"
        var buffer: ByteBuffer?
        if let body { buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)) }
        if let raw { buffer = ByteBuffer(string: raw) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer)
    }

    /// OBP's error shape: the status again as `code`, and a message starting with the OBP code.
    static func expectOBPError(_ response: TestResponse, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Int(response.status.code) == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        #expect(response.json["code"] as? Int == status, sourceLocation: sourceLocation)
        #expect((response.json["message"] as? String)?.hasPrefix(code + ":") == true, "\(response.json)", sourceLocation: sourceLocation)
        #expect(response.json.count == 2, sourceLocation: sourceLocation)
    }

    static func createUser(_ client: some TestClientProtocol, _ username: String) async throws -> String {
        let response = try await send(client, .post, api + "/users", ["username": username, "email": "\(username)@example.org", "password": "unused"])
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(response.json["user_id"] as? String)
    }

    static func createBank(_ client: some TestClientProtocol, _ id: String) async throws {
        let response = try await send(client, .post, api + "/banks", ["id": id, "bank_code": "CODE", "full_name": "Bank \(id)"])
        #expect(response.status == .created, "\(String(buffer: response.body))")
    }

    static func openAccount(_ client: some TestClientProtocol, bank: String, account: String, holder: String) async throws {
        let response = try await send(
            client, .put, "\(api)/banks/\(bank)/accounts/\(account)",
            ["user_id": holder, "label": "Main", "product_code": "current", "balance": ["currency": "EUR", "amount": "0"]])
        #expect(response.status == .created, "\(String(buffer: response.body))")
    }

    // MARK: The entitlement rules over HTTP

    @Test func everyEntitlementRuleAnswersInOBPsShapeWithItsStatusInTheOrderChecked() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.createBank(client, "gh.29.uk")
            try await Self.createBank(client, "other.bank")
            let bob = try await Self.createUser(client, "bob")
            // Alice signs in with the operator's user JWT: her user is made on first use.
            let alice = try await server.userToken("alice")
            let current = try await Self.send(client, .get, Self.api + "/users/current", token: alice)
            #expect(current.status == .ok)
            let aliceId = try #require(current.json["user_id"] as? String)
            #expect(current.json["username"] as? String == "alice")
            let delegated = try await Self.send(
                client, .post, "\(Self.api)/users/\(aliceId)/entitlements",
                ["bank_id": "gh.29.uk", "role_name": "CanCreateEntitlementAtOneBank"])
            #expect(delegated.status == .created)

            let grant = "\(Self.api)/users/\(bob)/entitlements"
            let rows: [(String, String?, Any?, String?, Int, String)] = [
                ("no credential", grant, ["bank_id": "", "role_name": "CanGetAnyUser"], nil, 401, "OBP-20001"),
                ("no such user", "\(Self.api)/users/nobody/entitlements", ["bank_id": "", "role_name": "CanGetAnyUser"], alice, 404, "OBP-20005"),
                ("not JSON", grant, nil, alice, 400, "OBP-10001"),
                ("role_name of the wrong type", grant, ["bank_id": "gh.29.uk", "role_name": 7], alice, 400, "OBP-10001"),
                ("unknown role", grant, ["bank_id": "gh.29.uk", "role_name": "CanFly"], alice, 400, "OBP-10007"),
                ("bank role without a bank", grant, ["bank_id": "", "role_name": "CanCreateAccount"], alice, 400, "OBP-30205"),
                ("system role with a bank", grant, ["bank_id": "gh.29.uk", "role_name": "CanGetAnyUser"], alice, 400, "OBP-30206"),
                ("bank that does not exist", grant, ["bank_id": "no.such.bank", "role_name": "CanCreateAccount"], alice, 400, "OBP-30001"),
                ("OneBank at another bank", grant, ["bank_id": "other.bank", "role_name": "CanCreateAccount"], alice, 403, "OBP-20006"),
                ("OneBank and a system role", grant, ["bank_id": "", "role_name": "CanGetAnyUser"], alice, 403, "OBP-20006"),
            ]
            for (name, uri, body, token, status, code) in rows {
                let response = try await Self.send(
                    client, .post, uri ?? grant, body, token: token, raw: body == nil ? "{\"bank_id\": " : nil)
                print("\(name): \(String(buffer: response.body))")
                Self.expectOBPError(response, status, code)
            }
            let granted = try await Self.send(client, .post, grant, ["bank_id": "gh.29.uk", "role_name": "CanCreateAccount"], token: alice)
            #expect(granted.status == .created)
            #expect(Set(granted.json.keys) == ["entitlement_id", "role_name", "bank_id"])
            Self.expectOBPError(
                try await Self.send(client, .post, grant, ["bank_id": "gh.29.uk", "role_name": "CanCreateAccount"], token: alice),
                400, "OBP-30216")

            // Bob reads his own roles; reading Alice's needs CanGetEntitlementsForAnyUserAtAnyBank.
            let bobToken = try await server.userToken("bob-login")
            let bobLogin = try await Self.send(client, .get, Self.api + "/my/entitlements", token: bobToken)
            #expect(bobLogin.status == .ok)
            #expect((bobLogin.json["list"] as? [Any])?.isEmpty == true)
            Self.expectOBPError(
                try await Self.send(client, .get, "\(Self.api)/users/\(aliceId)/entitlements", token: bobToken), 403, "OBP-20006")
            let listed = try await Self.send(client, .get, "\(Self.api)/users/\(bob)/entitlements")
            #expect((listed.json["list"] as? [[String: Any]])?.map { $0["role_name"] as? String } == ["CanCreateAccount"])

            // Revoking needs a delete role; the refusal is recorded as a denial, nothing else.
            let entitlementId = try #require(granted.json["entitlement_id"] as? String)
            Self.expectOBPError(
                try await Self.send(client, .delete, "\(Self.api)/users/\(bob)/entitlement/\(entitlementId)", token: alice),
                403, "OBP-20006")
            Self.expectOBPError(
                try await Self.send(client, .delete, "\(Self.api)/users/\(aliceId)/entitlement/\(entitlementId)"), 400, "OBP-30213")
            let revoked = try await Self.send(client, .delete, "\(Self.api)/users/\(bob)/entitlement/\(entitlementId)")
            #expect(revoked.status == .noContent)
            Self.expectOBPError(
                try await Self.send(client, .delete, "\(Self.api)/users/\(bob)/entitlement/\(entitlementId)"), 404, "OBP-30212")

            // The router's own answers are OBP-shaped too.
            Self.expectOBPError(try await Self.send(client, .get, Self.api + "/no/such/route"), 404, "OBP-10404")
            Self.expectOBPError(
                try await Self.send(client, .post, grant, raw: String(repeating: "x", count: 5000)), 413, "OBP-10413")
        }
    }

    // MARK: Time travel and history

    @Test func rolesAndAccountAccessAreAnsweredAsOfAnyMomentWithWhoChangedThem() async throws {
        let clock = TestClock()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            try await Self.createBank(client, "gh.29.uk")
            let holder = try await Self.createUser(client, "holder")
            let bob = try await Self.createUser(client, "bob")
            try await Self.openAccount(client, bank: "gh.29.uk", account: "acc", holder: holder)
            let beforeMs = clock.ms
            clock.advance(seconds: 60)

            func at(_ ms: Int64) -> String { RFC3339.string(unixMs: ms).addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let roles = "\(Self.api)/users/\(bob)/entitlements"
            let access = "\(Self.api)/banks/gh.29.uk/accounts/acc/account-access"
            let grantAccess = "\(Self.api)/banks/gh.29.uk/accounts/acc/views/owner/account-access/grant"
            let revokeAccess = "\(Self.api)/banks/gh.29.uk/accounts/acc/views/owner/account-access/revoke"

            // Grant, revoke, grant again: a minute apart each.
            let first = try await Self.send(client, .post, roles, ["bank_id": "", "role_name": "CanGetAnyUser"])
            let firstId = try #require(first.json["entitlement_id"] as? String)
            #expect(try await Self.send(client, .post, grantAccess, ["user_id": bob, "view_id": "auditor"]).status == .created)
            let grantedMs = clock.ms
            clock.advance(seconds: 60)
            #expect(try await Self.send(client, .delete, "\(Self.api)/users/\(bob)/entitlement/\(firstId)").status == .noContent)
            let revokedAccess = try await Self.send(client, .post, revokeAccess, ["user_id": bob, "view_id": "auditor"])
            #expect(revokedAccess.status == .created)
            #expect(revokedAccess.json["revoked"] as? Bool == true)
            let revokedMs = clock.ms
            clock.advance(seconds: 60)
            let second = try await Self.send(client, .post, roles, ["bank_id": "", "role_name": "CanGetAnyUser"])
            let secondId = try #require(second.json["entitlement_id"] as? String)
            #expect(secondId != firstId)
            #expect(try await Self.send(client, .post, grantAccess, ["user_id": bob, "view_id": "auditor"]).status == .created)
            let againMs = clock.ms
            clock.advance(seconds: 60)

            func heldRoles(_ ms: Int64) async throws -> [String] {
                let response = try await Self.send(client, .get, "\(roles)?at=\(at(ms))")
                #expect(response.status == .ok)
                return (response.json["list"] as? [[String: Any]] ?? []).compactMap { $0["entitlement_id"] as? String }
            }
            func bobsViews(_ ms: Int64) async throws -> [String] {
                let response = try await Self.send(client, .get, "\(access)?at=\(at(ms))")
                #expect(response.status == .ok)
                return (response.json["account_access"] as? [[String: Any]] ?? [])
                    .filter { $0["user_id"] as? String == bob }.compactMap { $0["view_id"] as? String }
            }
            #expect(try await heldRoles(beforeMs) == [])
            #expect(try await heldRoles(grantedMs) == [firstId])
            #expect(try await heldRoles(grantedMs + 30_000) == [firstId])
            #expect(try await heldRoles(revokedMs) == [])
            #expect(try await heldRoles(revokedMs + 30_000) == [])
            #expect(try await heldRoles(againMs) == [secondId])
            #expect(try await bobsViews(beforeMs) == [])
            #expect(try await bobsViews(grantedMs + 30_000) == ["auditor"])
            #expect(try await bobsViews(revokedMs + 30_000) == [])
            #expect(try await bobsViews(againMs) == ["auditor"])
            // Now equals the last moment.
            let now = try await Self.send(client, .get, roles)
            #expect((now.json["list"] as? [[String: Any]])?.compactMap { $0["entitlement_id"] as? String } == [secondId])
            Self.expectOBPError(try await Self.send(client, .get, "\(roles)?at=yesterday"), 400, "OBP-10005")

            // The history lists every change with who made it, in order.
            let history = try await Self.send(client, .get, roles + "/history")
            let changes = (history.json["history"] as? [[String: Any]] ?? []).map {
                "\($0["change"] as? String ?? "") \($0["entitlement_id"] as? String ?? "") by \($0["by"] as? String ?? "")"
            }
            #expect(changes == ["granted \(firstId) by admin", "revoked \(firstId) by admin", "granted \(secondId) by admin"])
            let accessHistory = try await Self.send(client, .get, access + "/history?limit=2")
            let page = accessHistory.json["history"] as? [[String: Any]] ?? []
            #expect(page.map { "\($0["change"] as? String ?? "") \($0["view_id"] as? String ?? "")" } == ["granted owner", "granted auditor"])
            let next = try #require(accessHistory.json["next_after_seq"] as? Int)
            let rest = try await Self.send(client, .get, access + "/history?after_seq=\(next)")
            #expect((rest.json["history"] as? [[String: Any]])?.map { $0["change"] as? String } == ["revoked", "granted"])
        }
    }

    // MARK: Views and account access

    @Test func customViewsAreMadeChangedAndDeletedOnlyWhenNobodyUsesThem() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.createBank(client, "gh.29.uk")
            let holder = try await Self.createUser(client, "holder")
            let bob = try await Self.createUser(client, "bob")
            try await Self.openAccount(client, bank: "gh.29.uk", account: "acc", holder: holder)
            let views = "\(Self.api)/banks/gh.29.uk/accounts/acc/views"
            let body: [String: Any] = [
                "name": "_team", "description": "the team", "metadata_view": "_team", "is_public": false,
                "which_alias_to_use": "private", "hide_metadata_if_alias_used": false,
                "allowed_actions": ["can_see_transaction_amount", "can_see_narrative", "can_grant_access_to_custom_views"],
            ]
            Self.expectOBPError(try await Self.send(client, .post, views, ["name": "team"]), 400, "OBP-20020")
            let created = try await Self.send(client, .post, views, body)
            #expect(created.status == .created)
            #expect(created.json["id"] as? String == "_team")
            #expect(created.json["can_see_transaction_amount"] as? Bool == true)
            #expect(created.json["can_see_owner_comment"] as? Bool == true)
            #expect(created.json["can_see_bank_account_balance"] as? Bool == false)
            Self.expectOBPError(try await Self.send(client, .post, views, body), 400, "OBP-30259")
            Self.expectOBPError(
                try await Self.send(client, .post, views, body.merging(["allowed_actions": ["can_fly"]]) { $1 }), 400, "OBP-10035")

            // The holder (owner) lists the views; owner may not grant a custom view (OBP's default).
            let holderToken = try await server.userToken("holder-login")
            let holderLogin = try await Self.send(client, .get, Self.api + "/users/current", token: holderToken)
            let holderLoginId = try #require(holderLogin.json["user_id"] as? String)
            Self.expectOBPError(try await Self.send(client, .get, views, token: holderToken), 403, "OBP-20017")
            try await Self.openAccount(client, bank: "gh.29.uk", account: "acc2", holder: holderLoginId)
            let listed = try await Self.send(client, .get, "\(Self.api)/banks/gh.29.uk/accounts/acc2/views", token: holderToken)
            #expect(listed.status == .ok)
            let ids = (listed.json["views"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            #expect(ids.contains("owner") && ids.contains("auditor"))
            let grantByOwner = "\(Self.api)/banks/gh.29.uk/accounts/acc2/views/owner/account-access/grant"
            Self.expectOBPError(
                try await Self.send(client, .post, grantByOwner, ["user_id": bob, "view_id": "_team"], token: holderToken), 403, "OBP-20085")
            let byOwner = try await Self.send(client, .post, grantByOwner, ["user_id": bob, "view_id": "accountant"], token: holderToken)
            #expect(byOwner.status == .created)
            #expect(byOwner.json["id"] as? String == "accountant")

            // A view in use is not deleted; once nobody uses it, it is.
            let grant = "\(Self.api)/banks/gh.29.uk/accounts/acc/views/owner/account-access/grant"
            #expect(try await Self.send(client, .post, grant, ["user_id": bob, "view_id": "_team"]).status == .created)
            let changed = try await Self.send(
                client, .put, "\(views)/_team", body.merging(["allowed_actions": ["can_see_transaction_description"]]) { $1 })
            #expect(changed.status == .ok)
            #expect(changed.json["can_see_transaction_amount"] as? Bool == false)
            #expect(changed.json["can_see_transaction_description"] as? Bool == true)
            Self.expectOBPError(try await Self.send(client, .put, "\(views)/owner", body), 400, "OBP-20021")
            Self.expectOBPError(try await Self.send(client, .delete, "\(views)/_team"), 400, "OBP-30256")
            let revoke = "\(Self.api)/banks/gh.29.uk/accounts/acc/views/owner/account-access/revoke"
            #expect(try await Self.send(client, .post, revoke, ["user_id": bob, "view_id": "_team"]).status == .created)
            #expect(try await Self.send(client, .delete, "\(views)/_team").status == .noContent)
            Self.expectOBPError(try await Self.send(client, .delete, "\(views)/_team"), 400, "OBP-30005")
            Self.expectOBPError(
                try await Self.send(client, .post, revoke, ["user_id": holder, "view_id": "owner"]), 400, "OBP-30064")
            let system = try await Self.send(client, .get, Self.api + "/system-views/owner")
            #expect((system.json["can_grant_access_to_views"] as? [String])?.contains("auditor") == true)
            Self.expectOBPError(try await Self.send(client, .get, Self.api + "/system-views/nope"), 400, "OBP-30252")
        }
    }

    // MARK: The decision endpoint

    @Test func everyAuthorizationCheckIsARecordWithItsOutcome() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.createBank(client, "gh.29.uk")
            let holder = try await Self.createUser(client, "holder")
            let bob = try await Self.createUser(client, "bob")
            try await Self.openAccount(client, bank: "gh.29.uk", account: "acc", holder: holder)
            let check = "/authz/check"
            let allowed = try await Self.send(
                client, .post, check,
                ["user_id": holder, "bank_id": "gh.29.uk", "account_id": "acc", "permission": "can_see_transaction_amount"])
            #expect(allowed.status == .ok)
            #expect(allowed.json["allowed"] as? Bool == true)
            #expect(allowed.json["view_id"] as? String == "owner")
            let denied = try await Self.send(
                client, .post, check,
                ["user_id": bob, "bank_id": "gh.29.uk", "account_id": "acc", "permission": "can_see_transaction_amount"])
            #expect(denied.json["allowed"] as? Bool == false)
            #expect((denied.json["reason"] as? String)?.isEmpty == false)
            let role = try await Self.send(client, .post, check, ["user_id": bob, "role": "CanGetAnyUser", "bank_id": NSNull()])
            #expect(role.json["allowed"] as? Bool == false)
            Self.expectOBPError(try await Self.send(client, .post, check, ["user_id": bob, "role": "CanGetAnyUser"], token: nil), 401, "OBP-20001")
            Self.expectOBPError(try await Self.send(client, .post, check, ["user_id": bob, "permission": "can_fly", "bank_id": "b", "account_id": "a"]), 400, "OBP-10035")
            Self.expectOBPError(try await Self.send(client, .post, check, ["user_id": bob]), 400, "OBP-10001")

            let records = try await client.execute(
                uri: "/audit/events?event_code=AuthorizationChecked", method: .get, headers: TestServer.headers())
            let rows = (records.json["records"] as? [[String: Any]]) ?? []
            #expect(rows.map { $0["outcome"] as? String } == ["success", "failure", "failure"], "\(records.json)")
            #expect(rows.first.flatMap { $0["subject"] as? [String: Any] }?["id"] as? String == "gh.29.uk/acc")
            #expect(rows.last.flatMap { $0["responsible_user"] as? [String: Any] }?["id"] as? String == bob)
        }
    }

    // MARK: Replay

    @Test func aReplayEqualsTheLiveProjectionsAfterAWorkloadOfRolesViewsAndAccess() async throws {
        let clock = TestClock(ticking: true)
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            for bank in ["bank.a", "bank.b"] { try await Self.createBank(client, bank) }
            var users: [String] = []
            for index in 0..<6 { users.append(try await Self.createUser(client, "user\(index)")) }
            func expectStatus(_ response: TestResponse, _ status: HTTPResponse.Status) {
                #expect(response.status == status, "\(String(buffer: response.body))")
            }
            for (index, user) in users.enumerated() {
                let bank = index % 2 == 0 ? "bank.a" : "bank.b"
                try await Self.openAccount(client, bank: bank, account: "acc\(index)", holder: user)
                let roles = "\(Self.api)/users/\(user)/entitlements"
                let granted = try await Self.send(client, .post, roles, ["bank_id": bank, "role_name": "CanCreateAccount"])
                expectStatus(granted, .created)
                expectStatus(try await Self.send(client, .post, roles, ["bank_id": "", "role_name": "CanGetAnyUser"]), .created)
                if index % 3 == 0, let id = granted.json["entitlement_id"] as? String {
                    expectStatus(try await Self.send(client, .delete, "\(Self.api)/users/\(user)/entitlement/\(id)"), .noContent)
                }
                let views = "\(Self.api)/banks/\(bank)/accounts/acc\(index)/views"
                expectStatus(
                    try await Self.send(client, .post, views, ["name": "_v\(index)", "allowed_actions": ["can_see_transaction_amount"]]),
                    .created)
                expectStatus(
                    try await Self.send(client, .put, "\(views)/_v\(index)", ["allowed_actions": ["can_see_bank_account_balance"]]),
                    .ok)
                let other = users[(index + 1) % users.count]
                let grant = "\(views)/owner/account-access/grant"
                expectStatus(try await Self.send(client, .post, grant, ["user_id": other, "view_id": "auditor"]), .created)
                expectStatus(try await Self.send(client, .post, grant, ["user_id": other, "view_id": "_v\(index)"]), .created)
                if index % 2 == 1 {
                    expectStatus(
                        try await Self.send(client, .post, "\(views)/owner/account-access/revoke", ["user_id": other, "view_id": "auditor"]),
                        .created)
                }
                expectStatus(
                    try await Self.send(
                        client, .post, "/authz/check",
                        ["user_id": other, "bank_id": bank, "account_id": "acc\(index)", "permission": "can_see_transaction_amount"]),
                    .ok)
            }
            // A refused grant is a recorded denial, and must replay to nothing.
            expectStatus(
                try await Self.send(client, .post, "\(Self.api)/users/\(users[0])/entitlements", ["bank_id": "", "role_name": "CanGetAnyUser"]),
                .badRequest)
            let rows = try await server.ledger.database.read { db in
                try ["obp_banks", "obp_accounts", "obp_users", "obp_entitlements", "obp_views", "obp_account_access"].map {
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? 0
                }
            }
            // 2 banks, 6 accounts, 6 users, 12 roles (2 revoked, kept), 12 view versions, 18 accesses.
            #expect(rows == [2, 6, 6, 12, 12, 18])

            let report = try server.ledger.verify()
            #expect(report.chainBreak == nil)
            #expect(report.projectionMismatches.isEmpty, "\(report.projectionMismatches)")

        }
    }
}
