import Foundation
import LedgerCore
import Testing

@Suite struct ConnectionDeciderTests {
    let nowMs: Int64 = 1_800_000_000_000

    func grant(id: String = "c1", scopes: [String] = ["pay_invoice", "get_balance", "pay_invoice"]) throws
        -> GrantConnection
    {
        try GrantConnection(
            connectionId: id, userId: "user-1", name: " Wallet app ", scopes: scopes,
            budget: BudgetDefinition(amount: 10, period: .daily), expiresAtSec: nowMs / 1000 + 3600, nowMs: nowMs)
    }

    /// Applies each decided event, the way the projection does.
    func run(_ commands: [ConnectionCommand]) -> (Connection?, [Result<[ConnectionEvent], Rejection>]) {
        var state: Connection?
        var version: Int64 = 0
        var results: [Result<[ConnectionEvent], Rejection>] = []
        for command in commands {
            let result = ConnectionDecider.decide(state, command, nowMs: nowMs)
            if case .success(let events) = result {
                for event in events {
                    version += 1
                    state = ConnectionDecider.evolve(state, event, version: version)
                }
            }
            results.append(result)
        }
        return (state, results)
    }

    @Test func grantNormalisesScopesAndNameIntoTheEvent() throws {
        let (state, results) = run([.grant(try grant())])
        guard case .success(let events) = results[0], case .granted(let granted) = events.first else {
            Issue.record("expected a grant")
            return
        }
        #expect(granted.scopes == ["get_balance", "pay_invoice"])
        #expect(granted.name == "Wallet app")
        #expect(granted.grantedAtMs == nowMs)
        #expect(state?.status == .active)
        #expect(state?.version == 1)
    }

    @Test func grantingAnExistingIdIsRefused() throws {
        let (_, results) = run([.grant(try grant()), .grant(try grant())])
        #expect(results[1] == .failure(Rejection(.alreadyExists, "connection c1 already exists")))
    }

    @Test func revokeThenUpdateOrRevokeAgainIsRefused() throws {
        let (state, results) = run([
            .grant(try grant()), .revoke(try RevokeConnection(connectionId: "c1", reason: "lost phone")),
            .update(try UpdateConnection(connectionId: "c1", name: "New", nowMs: nowMs)),
            .revoke(try RevokeConnection(connectionId: "c1")),
        ])
        #expect(state?.status == .revoked)
        #expect(state?.revokedAtMs == nowMs)
        guard case .failure(let update) = results[2], case .failure(let revoke) = results[3] else {
            Issue.record("expected rejections")
            return
        }
        #expect(update.code == .alreadyRevoked)
        #expect(revoke.code == .alreadyRevoked)
    }

    @Test func commandsOnAnUnknownConnectionAreNotFound() throws {
        let (_, results) = run([
            .update(try UpdateConnection(connectionId: "nope", name: "x", nowMs: nowMs)),
            .revoke(try RevokeConnection(connectionId: "nope")),
        ])
        for result in results {
            guard case .failure(let rejection) = result else {
                Issue.record("expected not found")
                continue
            }
            #expect(rejection.code == .notFound)
        }
    }

    @Test func updateRecordsOnlyWhatChangedAndCanRemoveBudgetAndExpiry() throws {
        let (state, results) = run([
            .grant(try grant()),
            .update(
                try UpdateConnection(
                    connectionId: "c1", name: "Wallet app", scopes: ["get_balance"], budget: .remove,
                    expiresAtSec: .remove, nowMs: nowMs)),
        ])
        guard case .success(let events) = results[1], case .updated(let updated) = events.first else {
            Issue.record("expected an update")
            return
        }
        #expect(updated.name == nil)
        #expect(updated.scopes == ["get_balance"])
        #expect(updated.budgetRemoved == true)
        #expect(updated.expiryRemoved == true)
        #expect(state?.budget == nil)
        #expect(state?.expiresAtSec == nil)
        #expect(state?.version == 2)
    }

    @Test func anUpdateThatChangesNothingRecordsNothing() throws {
        let (state, results) = run([
            .grant(try grant()),
            .update(
                try UpdateConnection(
                    connectionId: "c1", name: "Wallet app", scopes: ["pay_invoice", "get_balance"], nowMs: nowMs)),
        ])
        #expect(results[1] == .success([]))
        #expect(state?.version == 1)
    }

    @Test(arguments: [
        ("", "user-1", "n", ["a"], nil as Int64?, "id"),
        ("c1", "", "n", ["a"], nil, "user_id"),
        ("c1", "u", "   ", ["a"], nil, "name"),
        ("c1", "u", "n", [], nil, "scopes"),
        ("c1", "u", "n", ["Pay Invoice"], nil, "scopes"),
        ("c1", "u", "n", ["a"], 1_000, "expires_at"),
        ("c1", "u", "n", ["a"], 1_800_000_000_000, "expires_at"),
        ("c/1", "u", "n", ["a"], nil, "id"),
    ])
    func invalidGrantsAreRefusedBeforeDeciding(
        id: String, user: String, name: String, scopes: [String], expiry: Int64?, field: String
    ) {
        #expect {
            _ = try GrantConnection(
                connectionId: id, userId: user, name: name, scopes: scopes, budget: nil, expiresAtSec: expiry,
                nowMs: nowMs)
        } throws: { error in
            (error as? ValidationError)?.field == field
        }
    }

    @Test func tooManyScopesAreRefused() {
        let scopes = (0...ConnectionRules.scopesMax).map { "scope_\($0)" }
        #expect(throws: ValidationError.self) {
            _ = try GrantConnection(
                connectionId: "c1", userId: "u", name: "n", scopes: scopes, budget: nil, expiresAtSec: nil, nowMs: nowMs
            )
        }
    }

    @Test func connectionExpiresAtItsExpirySecond() throws {
        let (state, _) = run([.grant(try grant())])
        let expiryMs = (nowMs / 1000 + 3600) * 1000
        #expect(state?.isExpired(atMs: expiryMs - 1) == false)
        #expect(state?.isExpired(atMs: expiryMs) == true)
    }
}

@Suite struct EventVersionTests {
    @Test func anEventVersionNewerThanThisBuildIsRefusedNotMisread() throws {
        let payload = EventPayload(
            type: ConnectionRevoked.type, typeVersion: ConnectionRevoked.typeVersion + 1,
            data: Data(#"{"connection_id":"c1","revoked_at_ms":1}"#.utf8))
        #expect(throws: UnknownEventVersion.self) { _ = try ConnectionEvent(payload) }
        var current = payload
        current.typeVersion = ConnectionRevoked.typeVersion
        guard case .revoked(let revoked) = try ConnectionEvent(current) else {
            Issue.record("expected a revocation")
            return
        }
        #expect(revoked.connectionId == "c1" && revoked.revokedAtMs == 1)
    }
}
