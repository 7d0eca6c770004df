import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// projections_v11: the trail's indexes declared without the seq that each of their entries ends
/// with anyway (audit_trail's rowid). Every filter reads the same rows through the same indexes,
/// and a file from before migrates to the shorter declarations without a row changing.
@Suite struct AuditTrailIndexesTests {
    static let indexes = ["audit_trail_occurred", "audit_trail_responsible", "audit_trail_subject", "audit_trail_user"]

    /// The subject's and the user's indexes as projections_v8 declared them (v10 left them so).
    static func declareSubjectAndUserAsV8(_ db: Database) throws {
        for (index, column) in [("audit_trail_subject", "subject_term"), ("audit_trail_user", "user_term")] {
            try db.execute(sql: "DROP INDEX \(index)")
            try db.execute(sql: "CREATE INDEX \(index) ON audit_trail (\(column), seq)")
        }
    }

    /// Puts the file back as projections_v10 left it: every index of the trail ends with seq.
    static func rollBack(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try declareSubjectAndUserAsV8(db)
            try db.execute(sql: "DROP INDEX audit_trail_occurred")
            try db.execute(
                sql: "CREATE INDEX audit_trail_occurred ON audit_trail (occurred_at_ms, seq) WHERE occurred_at_ms IS NOT NULL")
            try db.execute(sql: "DROP INDEX audit_trail_responsible")
            try db.execute(
                sql: "CREATE INDEX audit_trail_responsible ON audit_trail (responsible_user_term, seq) WHERE responsible_user_term > 0")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'projections_v11'")
        }
        #expect(try queue.read(declarations).allSatisfy { $0.contains(", seq)") })
        try queue.close()
    }

    static func declarations(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name IN (?, ?, ?, ?) ORDER BY name",
            arguments: StatementArguments(indexes))
    }

    /// How SQLite reads each filter from the trail, with the rowid called by its name in the
    /// table, seq (as a plan names the last column of an index declared with it).
    static func plans(_ filters: [AuditFilter], _ db: Database) throws -> [String] {
        try filters.compactMap { filter in
            guard let (conditions, arguments) = try Ledger.conditions(filter, afterSeq: 0, throughSeq: .max, codedIn: db)
            else { return nil }
            let plan = try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN \(AuditTrailPage.sql(conditions, inSeqOrder: false))",
                arguments: arguments + [10])
            return "\(filter): " + plan.map { $0["detail"] as String }.joined(separator: "; ")
                .replacingOccurrences(of: "rowid", with: "seq")
        }
    }

    @Test func theIndexesKeepNoSeqAndEveryFilterSearchesOne() async throws {
        let test = try await AuditTrailRepeatsTests.mixedLedger()
        let declared = try await test.ledger.database.read(Self.declarations)
        #expect(
            declared == [
                "CREATE INDEX audit_trail_occurred ON audit_trail (occurred_at_ms) WHERE occurred_at_ms IS NOT NULL",
                "CREATE INDEX audit_trail_responsible ON audit_trail (responsible_user_term) WHERE responsible_user_term > 0",
                "CREATE INDEX audit_trail_subject ON audit_trail (subject_term)",
                "CREATE INDEX audit_trail_user ON audit_trail (user_term)",
            ])
        let filters = try AuditTrailRepeatsTests.filters(test.ledger)
        let plans = try await test.ledger.database.read { try Self.plans(filters, $0) }
        #expect(plans.count > 20)
        for plan in plans {
            #expect(!plan.contains("SCAN t"), "\(plan)")
        }
        #expect(plans.contains { $0.contains("USING INDEX audit_trail_user (user_term=? AND seq>?)") })
        #expect(plans.contains { $0.contains("INDEX audit_trail_occurred (occurred_at_ms>? AND occurred_at_ms<?)") })
    }

    @Test func aFileFromBeforeV11ReadsTheSameThroughTheSameIndexes() async throws {
        let test = try await AuditTrailRepeatsTests.mixedLedger()
        let readings = try AuditTrailRepeatsTests.readings(test.ledger)
        let filters = try AuditTrailRepeatsTests.filters(test.ledger)
        let plans = try await test.ledger.database.read { try Self.plans(filters, $0) }
        let checksums = try test.ledger.verify().checksums
        await test.ledger.close()
        try Self.rollBack(test.path)
        let queue = try DatabaseQueue(path: test.path)
        let plansBefore = try queue.inDatabase { db in
            try EventKeyStorage.addFunctions(to: db)
            return try Self.plans(filters, db)
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let (declared, integrity) = try await reopened.database.read { db in
            (try Self.declarations(db), try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(declared.allSatisfy { !$0.contains("seq") }, "\(declared)")
        #expect(integrity == ["ok"])
        #expect(try AuditTrailRepeatsTests.readings(reopened) == readings)
        #expect(try await reopened.database.read { try Self.plans(filters, $0) } == plans)
        #expect(plansBefore == plans, "the same indexes searched the same way")
        let report = try reopened.verify()
        #expect(report.isIntact && report.checksums == checksums)
        await reopened.close()
    }
}
