import Foundation
import GRDB
import LedgerCore
import Testing

@testable import LedgerStore

/// Client, token and connection rows are kept between reads (`AuthorizationRowCache`): whatever
/// changes them must be seen by the first read after its command is answered, and what cannot
/// change them must not throw them away.
@Suite struct AuthorizationRowCacheTests {
    private func grantWithToken(_ test: TestLedger, _ id: String, jti: String) async throws {
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: id, userId: "user-1", name: "App", scopes: ["pay_invoice"], budget: nil,
                    expiresAtSec: nil, token: TokenGrant(jti: jti, kind: "nwc", expiresAtSec: 4_000_000_000),
                    nowMs: test.nowMs)))
    }

    private func reserve(_ test: TestLedger, _ spendId: String, connection: String) async throws {
        let outcome = try await test.ledger.submit(
            try TestLedger.reserveEnvelope(spendId: spendId, connectionId: connection, method: "pay_invoice"))
        guard case .accepted(let events, _) = outcome, !events.isEmpty else {
            Issue.record("the reservation was not accepted: \(outcome)")
            return
        }
    }

    @Test func aRevokedConnectionIsReadRevokedOnceTheRevocationIsAnswered() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "c1", jti: "jti-1")
        let before = try #require(try await test.ledger.token(jti: "jti-1"))
        #expect(before.1.status == .active && before.0.revokedAtMs == nil)

        try await test.submit(.revoke(try RevokeConnection(connectionId: "c1")))

        let after = try #require(try await test.ledger.token(jti: "jti-1"))
        #expect(after.1.status == .revoked)
        #expect(after.0.revokedAtMs != nil)
        let record = try #require(try test.ledger.accessToken(jti: "jti-1"))
        #expect(record.connection.status == .revoked && record.token.revokedAtMs != nil)
    }

    @Test func spendsKeepTheRowsAndAGrantThrowsThemAway() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "c1", jti: "jti-1")
        let rows = test.ledger.authorizationRows
        let afterGrant = rows.currentGeneration

        try await reserve(test, "s1", connection: "c1")
        try await test.ledger.recordAuditRead(
            AuditLogRead(query: "user=u1", subject: .init(idType: "user", id: "u1"), count: 1, readAtMs: test.nowMs),
            WriteContext(TestLedger.metadata))
        #expect(rows.currentGeneration == afterGrant)

        try await grantWithToken(test, "c2", jti: "jti-2")
        #expect(rows.currentGeneration > afterGrant)
    }

    /// The list of events that keep the rows holds only events that leave their tables as they
    /// were: a projection that one day maps one of them onto a client, token or connection fails here.
    @Test func theEventsThatKeepTheRowsLeaveTheirTablesAsTheyWere() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "c1", jti: "jti-1")
        let tables = ["connections", "tokens", "oauth_clients"]
        func checksums() async throws -> [String: String] {
            let all = try await test.ledger.database.read { db in try test.ledger.projections.checksums(db) }
            return all.filter { tables.contains($0.key) }
        }
        let before = try await checksums()
        #expect(before.count == tables.count)
        let rows = test.ledger.authorizationRows
        let generation = rows.currentGeneration

        try await reserve(test, "s1", connection: "c1")
        _ = try await test.ledger.submit(
            try CommandEnvelope(
                SpendCommandHandler(.settle(try SettleSpend(spendId: "s1", amountMsat: 1_000, feeMsat: 1))),
                metadata: TestLedger.metadata))
        try await reserve(test, "s2", connection: "c1")
        _ = try await test.ledger.submit(
            try CommandEnvelope(SpendCommandHandler(.release(try ReleaseSpend(spendId: "s2", reason: .failed))), metadata: TestLedger.metadata))
        let context = WriteContext(TestLedger.metadata)
        try await test.ledger.recordAuditRead(
            AuditLogRead(query: "user=u1", subject: .init(idType: "user", id: "u1"), count: 1, readAtMs: test.nowMs),
            context)
        try await test.ledger.recordGatewayAccess(
            GatewayAccessRecorded(
                connectionId: "c1", clientId: nil, jti: "jti-1", method: "GET", route: "/balance", scope: "balance:read",
                allowed: true, reason: nil, atMs: test.nowMs),
            context)

        #expect(rows.currentGeneration == generation)
        #expect(try await checksums() == before)
    }

    /// A connection read once is answered from memory until a commit: a change made behind the
    /// writer's back (never done by the server) shows which answer came from where, and the
    /// writer's next batch sees that change and forgets what was kept.
    @Test func aConnectionIsAnsweredAsKeptUntilTheWriterSeesAChange() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "c1", jti: "jti-1")
        #expect(try await test.ledger.connection(id: "c1")?.name == "App")
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE connections SET name = 'Behind the writer' WHERE id = 'c1'")
        }
        #expect(try await test.ledger.connection(id: "c1")?.name == "App", "kept: no batch since")

        try await reserve(test, "s1", connection: "c1")
        #expect(try await test.ledger.connection(id: "c1")?.name == "Behind the writer")
    }

    /// "\u{212A}1" (a Kelvin sign) equals "K1" as a Swift String, but SQLite compares bytes: only
    /// "K1" has a row, and the other id is not answered with it.
    @Test func anIdEqualAsAStringButNotAsBytesIsNotAnsweredWithAnotherRow() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "K1", jti: "jti-1")
        #expect("\u{212A}1" == "K1")
        #expect(try await test.ledger.connection(id: "K1")?.id == "K1")
        #expect(try await test.ledger.connection(id: "\u{212A}1") == nil)
    }

    @Test func anUpdatedConnectionIsReadUpdatedOnceTheUpdateIsAnswered() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "c1", jti: "jti-1")
        #expect(try await test.ledger.connection(id: "c1")?.name == "App")

        try await test.submit(.update(try UpdateConnection(connectionId: "c1", name: "Renamed", nowMs: test.nowMs)))

        #expect(try await test.ledger.connection(id: "c1")?.name == "Renamed")
        #expect(try await test.ledger.connection(id: "missing") == nil)
    }

    @Test func aReplayInPlaceThrowsTheRowsAway() async throws {
        let test = try TestLedger()
        try await grantWithToken(test, "c1", jti: "jti-1")
        let rows = test.ledger.authorizationRows
        let before = rows.currentGeneration
        _ = try await test.ledger.replay()
        #expect(rows.currentGeneration > before)
    }

    @Test func aRefusedCommandThrowsTheRowsAway() async throws {
        let test = try TestLedger()
        let rows = test.ledger.authorizationRows
        let before = rows.currentGeneration
        // Its denial is recorded, and the outcome does not say as what.
        try await test.submit(.revoke(try RevokeConnection(connectionId: "ghost")))
        #expect(rows.currentGeneration > before)
    }

    @Test func aDeletedClientIsReadDeleted() async throws {
        let test = try TestLedger()
        let context = WriteContext(TestLedger.metadata)
        _ = try await test.ledger.registerClient(
            try RegisterClient(
                clientId: "client-1", name: "App", url: nil, imageUrl: nil, redirectUris: ["https://app.example/cb"],
                isPublic: false, scopes: ["balance:read"], secretSha256: String(repeating: "a", count: 64)),
            context)
        #expect(try test.ledger.client(id: "client-1")?.status == .active)

        _ = try await test.ledger.deleteClient(id: "client-1", context)

        #expect(try test.ledger.client(id: "client-1")?.status == .deleted)
    }

    @Test func aClientNotFoundIsReadAgain() async throws {
        let test = try TestLedger()
        #expect(try test.ledger.client(id: "client-1") == nil)
        // Registering moves the count anyway; what is checked is that no miss was kept.
        _ = try await test.ledger.registerClient(
            try RegisterClient(
                clientId: "client-1", name: "App", url: nil, imageUrl: nil, redirectUris: ["https://app.example/cb"],
                isPublic: true, scopes: ["balance:read"], secretSha256: nil),
            WriteContext(TestLedger.metadata))
        #expect(try test.ledger.client(id: "client-1")?.status == .active)

        // The above cannot tell a kept miss from none (registering moves the count): at one
        // count, a miss is read again.
        let memo = AuthorizationRowCache.Memo<String>(AuthorizationRowCache.CommitCount())
        var reads = 0
        #expect(memo.row("k") { reads += 1; return nil } == nil)
        #expect(memo.row("k") { reads += 1; return "found" } == "found")
        #expect(reads == 2)
    }

    @Test func aRowReadAtAnOlderCountIsNotKept() throws {
        let memo = AuthorizationRowCache.Memo<String>(AuthorizationRowCache.CommitCount())
        #expect(memo.row("k", generation: 2) { "new" } == "new")
        // A read that began before the count moved to 2 may hold the row from before: not kept.
        #expect(memo.row("k2", generation: 1) { "old" } == "old")
        var reads = 0
        #expect(memo.row("k2", generation: 2) { reads += 1; return "again" } == "again")
        #expect(reads == 1)
        // Kept at 2, and answered without reading while the count stands.
        #expect(memo.row("k", generation: 2) { reads += 1; return "unused" } == "new")
        #expect(reads == 1)
        // A newer count forgets every row.
        #expect(memo.row("k", generation: 3) { reads += 1; return "newer" } == "newer")
        #expect(reads == 2)
    }
}
