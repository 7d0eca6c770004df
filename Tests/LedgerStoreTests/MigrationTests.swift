import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Opening a ledger that a newer build must migrate: a migration that only adds a projection fills
/// that projection from its own events and touches nothing else; one that changes how existing
/// projections map events (v6) still has everything rebuilt. Either way live equals a replay.
@Suite struct MigrationTests {
    static func context() -> WriteContext {
        WriteContext(
            EventMetadata(
                actor: .init(id: "admin", role: "admin"), action: .create, source: .init(serviceId: "test"),
                requestId: "migration-test"))
    }

    /// A ledger with connections and OBP grants, closed; its projections' checksums.
    static func ledgerWithHistory() async throws -> (TestLedger, [String: String]) {
        let test = try TestLedger(clock: TestClock(ticking: true))
        for index in 0..<5 { try await test.submit(try test.grantCommand("c\(index)")) }
        let ledger = test.ledger
        try await ledger.obpCreateBank(ObpBank(id: "gh.29.uk", bankCode: "C", fullName: "Bank"), caller: .admin, grantId: "g", context())
        for index in 0..<3 {
            let user = ObpUser(id: "u\(index)", provider: "p", username: "user\(index)", createdBy: "admin")
            try await ledger.obpCreateUser(user, context())
            try await ledger.obpGrantEntitlement(
                .init(bankId: "", roleName: "CanGetAnyUser"), userId: user.id, caller: .admin, entitlementId: "e\(index)",
                context())
        }
        try await ledger.obpRevokeEntitlement(id: "e1", userId: "u1", caller: .admin, context())
        let report = try ledger.verify()
        #expect(report.projectionMismatches.isEmpty)
        await ledger.close()
        return (test, report.checksums)
    }

    /// Undoes migrations as if the file came from an older build, and spoils one audit record so a
    /// full rebuild shows (it restores it) and a partial one shows (it does not).
    static func rollBack(_ path: String, migrations: [String], dropping tables: [String]) throws {
        // A file from before v8 is from before every later migration of projection tables: v10
        // and v11 change v8's, spends_codes_v1 does the rebuild v6 asks for, and v12 indexes
        // v8's trail.
        let (migrations, tables) =
            migrations.contains("projections_v8")
            ? (migrations + ["projections_v10", "projections_v11", "spends_codes_v1", "projections_v12"], tables + v10Tables)
            : (migrations, tables)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for table in tables { try db.execute(sql: "DROP TABLE \(table)") }
            if migrations.contains("projections_v8") { try db.execute(sql: "DROP TRIGGER audit_records_closed") }
            // The trail's goes with its table; the connections' stays unless dropped.
            if migrations.contains("projections_v12") { try db.execute(sql: "DROP INDEX IF EXISTS connections_by_status") }
            for migration in migrations {
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [migration])
            }
            if try db.tableExists("audit_trail") {
                try db.execute(sql: "UPDATE audit_trail SET emergency = 1 WHERE seq = 1")
            } else {
                // v8 is rolled back too: its rebuild restores every projection, this one included.
                try db.execute(sql: "UPDATE connections SET status = 'spoiled' WHERE id = 'c1'")
            }
        }
        try queue.close()
    }

    /// Statements `SpendsProjection` runs on `spends` by a key, as it runs them.
    static let spendsQueries = [SpendsProjection.byIdSQL, SpendsProjection.expiredHoldsSQL, SpendsProjection.releaseSQL]

    static func spendsPlans(_ db: Database) throws -> [String] {
        try spendsQueries.map { sql in
            let nulls = StatementArguments(Array(repeating: DatabaseValue.null, count: sql.filter { $0 == "?" }.count))
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: nulls).map { $0["detail"] as String }
                .joined(separator: "; ")
        }
    }

    /// v9 drops `spends_by_connection`, which no query used: the spends statements search the
    /// primary key or the expiry index, with or without it, and the projections are unchanged.
    @Test func v9DropsAnIndexNoSpendsQueryUses() async throws {
        let (test, checksums) = try await Self.ledgerWithHistory()
        let queue = try DatabaseQueue(path: test.path)
        let plansBefore = try await queue.write { db in
            try db.execute(sql: "CREATE INDEX spends_by_connection ON spends (connection_id, id)")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'projections_v9'")
            return try Self.spendsPlans(db)
        }
        try queue.close()

        let ledger = try Ledger(path: test.path)
        let (indexes, plansAfter) = try await ledger.database.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spends' ORDER BY 1"),
                try Self.spendsPlans(db)
            )
        }
        #expect(indexes == ["spends_held_by_expiry"])
        #expect(plansAfter == plansBefore)
        for plan in plansAfter {
            #expect(plan.contains("USING PRIMARY KEY") || plan.contains("USING INDEX spends_held_by_expiry"), "\(plan)")
            #expect(!plan.contains("SCAN"), "\(plan)")
        }
        #expect(try ledger.verify().checksums == checksums)
        await ledger.close()
    }

    static let v7Tables = ["obp_banks", "obp_accounts", "obp_users", "obp_entitlements", "obp_views", "obp_account_access"]
    static let v6Tables = ["nuts_organizations", "signing_sessions", "nuts_access_tokens"]
    static let v8Tables = ["audit_trail", "audit_terms"]
    static let v10Tables = ["audit_trail_times"]

    @Test func aMigrationThatAddsAProjectionFillsOnlyThatOneFromItsOwnEvents() async throws {
        let (test, checksums) = try await Self.ledgerWithHistory()
        try Self.rollBack(test.path, migrations: ["projections_v7"], dropping: Self.v7Tables)
        let reopened = try Ledger(path: test.path)
        let report = try reopened.verify()
        // The new projection equals a replay; the spoiled audit record was not rebuilt.
        #expect(report.checksums["obp"] == checksums["obp"])
        #expect(report.projectionMismatches == ["audit_records"])
        let live = try reopened.obpEntitlements(userId: "u0")
        #expect(live.map(\.id) == ["e0"])
        #expect(try reopened.obpEntitlements(userId: "u1").isEmpty)
        await reopened.close()
    }

    @Test func aMigrationThatRemapsExistingProjectionsStillRebuildsEverything() async throws {
        let (test, checksums) = try await Self.ledgerWithHistory()
        try Self.rollBack(
            test.path, migrations: ["projections_v6", "projections_v7", "projections_v8"],
            dropping: Self.v6Tables + Self.v7Tables + Self.v8Tables)
        let reopened = try Ledger(path: test.path)
        let report = try reopened.verify()
        #expect(report.projectionMismatches.isEmpty, "\(report.projectionMismatches)")
        #expect(report.checksums == checksums)
        await reopened.close()
    }
}

extension MigrationTests {
    /// An upgrade killed after v6 committed and before v7 and v8 did: the next open still
    /// rebuilds everything v6 asked for.
    @Test func aRebuildRequestedByAnEarlierMigrationSurvivesACrashBeforeTheLastOne() async throws {
        let (test, checksums) = try await Self.ledgerWithHistory()
        try Self.rollBack(
            test.path, migrations: ["projections_v7", "projections_v8"], dropping: Self.v7Tables + Self.v8Tables)
        // As v6 leaves it when v7 never got to commit.
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in try Schema.requestFullRebuild(db) }
        try queue.close()
        let reopened = try Ledger(path: test.path)
        let report = try reopened.verify()
        #expect(report.projectionMismatches.isEmpty, "\(report.projectionMismatches)")
        #expect(report.checksums == checksums)
        let leftover = try await reopened.database.read { db in try db.tableExists("full_rebuild_requested") }
        #expect(!leftover)
        await reopened.close()
    }
}

extension MigrationTests {
    /// A ledger from before v8 holds its trail in `audit_records`, spelt out. Opening it copies
    /// nothing: those rows stay and are read there, new records go to `audit_trail`, and the
    /// ledger verifies with the checksums it had.
    @Test func aTrailWrittenBeforeV8StaysWhereItIsAndVerifies() async throws {
        let (test, checksums) = try await Self.ledgerWithHistory()
        let ledger = try Ledger(path: test.path)
        let before = try ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 1_000)
        await ledger.close()
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_records_closed")
            try EventKeyStorage.addFunctions(to: db)
            try db.execute(sql: "INSERT INTO audit_records \(AuditRecordsProjection.trailAsRecords()) ORDER BY t.seq")
            for table in Self.v8Tables + Self.v10Tables { try db.execute(sql: "DROP TABLE \(table)") }
            try db.execute(
                sql: "DELETE FROM grdb_migrations WHERE identifier IN ('projections_v8', 'projections_v10', 'projections_v11')")
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let (spelt, coded) = try await reopened.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_records"), try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail"))
        }
        #expect(spelt == before.count && coded == 0)
        #expect(try reopened.auditRecords(AuditFilter(), afterSeq: 0, limit: 1_000) == before)
        var report = try reopened.verify()
        #expect(report.projectionMismatches.isEmpty, "\(report.projectionMismatches)")
        #expect(report.checksums == checksums)

        try await reopened.obpCreateUser(ObpUser(id: "u9", provider: "p", username: "user9", createdBy: "admin"), Self.context())
        let after = try reopened.auditRecords(AuditFilter(), afterSeq: 0, limit: 1_000)
        #expect(after.count == before.count + 1 && Array(after.prefix(before.count)) == before)
        let newest = try await reopened.database.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM audit_trail") }
        #expect(newest == [after.last?.seq])
        report = try reopened.verify()
        #expect(report.isIntact, "\(report)")
        await reopened.close()
    }
}

extension MigrationTests {
    /// A rollback to an older binary: the file records a migration this version does not know.
    /// Opening it is refused with an error naming the migration, and nothing is written (no
    /// migration of this version runs, the log and the migrations table are as they were).
    @Test func aLedgerMigratedByANewerVersionIsRefusedUntouched() async throws {
        let (test, _) = try await Self.ledgerWithHistory()
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('from_the_future_v1')")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'projections_v7'")
        }
        let before = try await queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"), try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        try queue.close()

        let error = #expect(throws: NewerLedgerError.self) { try Ledger(path: test.path) }
        #expect(error?.unknownMigrations == ["from_the_future_v1"])
        #expect(error?.description.contains("from_the_future_v1") == true)

        let check = try DatabaseQueue(path: test.path)
        let after = try await check.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"), try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1, "projections_v7 must not have run")
        try check.close()
    }
}
