import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// projections_v12: emergency accesses and connections by status are searched, not scanned.
@Suite struct ProjectionsV12Tests {
    /// 300 reported records, every 37th an emergency ("break-glass") access.
    static func trailWithEmergencies() async throws -> TestLedger {
        let test = try TestLedger()
        let records = try (0..<300).map { index in
            var (id, record) = try AuditTrailRepeatsTests.reported(index, occurredAtMs: test.nowMs - Int64(index) * 1_000)
            record.emergency = index % 37 == 0 ? true : nil
            return (id, record)
        }
        _ = try await test.ledger.reportAccesses(
            ReportAccesses(sourceId: "client:his", records: records), WriteContext(TestLedger.metadata))
        return test
    }

    static func emergencySeqs(_ db: Database, _ emergency: Bool) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT seq FROM audit_trail WHERE emergency = ? ORDER BY seq", arguments: [emergency])
    }

    static func plan(_ filter: AuditFilter, _ db: Database) throws -> [String] {
        let (sql, arguments) = try #require(
            try AuditTrailPage.statement(filter, afterSeq: 0, throughSeq: .max, pageRows: 10, windowEnd: nil, db))
        return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
    }

    @Test func emergencyAccessesAreSearchedThroughTheirOwnIndexAndPageAsAScanFindsThem() async throws {
        let test = try await Self.trailWithEmergencies()
        for emergency in [true, false] {
            let filter = AuditFilter(emergency: emergency)
            let (expected, plan) = try await test.ledger.database.read { db in
                (try Self.emergencySeqs(db, emergency), try Self.plan(filter, db))
            }
            #expect(expected.count == (emergency ? 9 : 291))
            #expect(try AuditTrailPageTests.pages(filter, pageRows: 4, test.ledger) == expected)
            #expect(try test.ledger.auditRecordCount(filter) == expected.count)
            if emergency {
                #expect(plan.contains { $0.contains("INDEX audit_trail_emergency (emergency=? AND rowid>?)") }, "\(plan)")
            }
        }
    }

    @Test(arguments: [
        (nil, "c1", "SEARCH connections USING INDEX connections_by_status (status=? AND id>?)"),
        (nil, nil, "SEARCH connections USING INDEX connections_by_status (status=?)"),
        ("user-1", nil, "SEARCH connections USING INDEX connections_by_user (user_id=?)"),
        ("user-1", "c1", "SEARCH connections USING INDEX connections_by_user (user_id=? AND id>?)"),
    ] as [(String?, String?, String)])
    func connectionsOfAStatusAreSearchedByStatusAndAUsersByUser(userId: String?, afterId: String?, search: String)
        async throws
    {
        let test = try TestLedger()
        let plan = try await test.ledger.database.read { db in
            let (sql, arguments) = ConnectionsProjection.listStatement(
                userId: userId, status: .active, afterId: afterId, limit: 10)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
        }
        #expect(plan == [search])
    }

    @Test func aFileFromBeforeGetsBothIndexesAndReadsTheSame() async throws {
        let test = try await Self.trailWithEmergencies()
        try await test.submit(try test.grantCommand("c1"))
        let checksums = try test.ledger.verify().checksums
        let before = try AuditTrailPageTests.pages(AuditFilter(emergency: true), pageRows: 4, test.ledger)
        await test.ledger.close()
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            try db.execute(sql: "DROP INDEX audit_trail_emergency")
            try db.execute(sql: "DROP INDEX connections_by_status")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'projections_v12'")
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let indexes = try await reopened.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE name IN ('audit_trail_emergency', 'connections_by_status') ORDER BY name")
        }
        #expect(indexes == ["audit_trail_emergency", "connections_by_status"])
        #expect(try AuditTrailPageTests.pages(AuditFilter(emergency: true), pageRows: 4, reopened) == before)
        let report = try reopened.verify()
        #expect(report.isIntact && report.checksums == checksums)
        await reopened.close()
    }
}
