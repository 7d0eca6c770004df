import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Since projections_v10 a trail row keeps no time where its event's `recorded_at` is it, and 0
/// for a responsible user who is the subject. Every filter, count and checksum answers as when
/// both were spelt out, and a time filter stays exact when the log's times are out of order.
@Suite struct AuditTrailRepeatsTests {
    /// A payment made by an app on its user's behalf: the user is the responsible one and the subject.
    static let onBehalf = EventMetadata(
        actor: .init(id: "connection:c1", role: "app"), onBehalfOf: "user-1", subject: .init(id: "user-1", idType: "user"),
        action: .execute, source: .init(serviceId: "tests", ip: "127.0.0.1"), requestId: "req-2")

    static func reported(_ index: Int, occurredAtMs: Int64, responsible: String? = nil) throws -> (String, AuditRecord) {
        var record = try AuditRecordsProjectionTests.record("record \(index)", recordId: "r\(index)")
        record.occurredAt = AuditRecordReader.format(occurredAtMs)
        record.user = .init(id: "uzi:\(index % 3)", role: "01.015")
        record.responsibleUser = responsible.map { .init(id: $0, role: "01.015") }
        record.subject = .init(idType: "bsn", id: "patient-\(index % 4)")
        return (String(format: "01a22c55-1b32-71a6-9105-%012x", index), record)
    }

    /// Grants, payments on a user's behalf, and reported records: some in the same millisecond
    /// as their report, some hours before it, some naming their subject as responsible.
    static func mixedLedger() async throws -> TestLedger {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "user-1"))
        for index in 0..<3 {
            test.clock.advance(ms: 1_000)
            try await test.ledger.submit(
                try CommandEnvelope(
                    ConnectionCommandHandler(try test.grantCommand("p\(index)", user: "user-1")), metadata: Self.onBehalf))
        }
        for batch in 0..<3 {
            test.clock.advance(ms: 500)
            let records = try (batch * 4..<batch * 4 + 4).map { index in
                let occurred = index % 2 == 0 ? test.nowMs : test.nowMs - 3_600_000 * Int64(index)
                return try reported(index, occurredAtMs: occurred, responsible: index % 3 == 0 ? "patient-\(index % 4)" : nil)
            }
            _ = try await test.ledger.reportAccesses(
                ReportAccesses(sourceId: "client:his", records: records), WriteContext(TestLedger.metadata))
        }
        return test
    }

    /// Every filter an auditor may combine, over times that fall on, between and around rows.
    static func filters(_ ledger: Ledger) throws -> [AuditFilter] {
        let times = try ledger.events(afterSeq: 0, limit: 1_000).map(\.recordedAtMs)
        let start = times.first!, end = times.last!
        var filters: [AuditFilter] = [
            AuditFilter(), AuditFilter(userId: "user-1"), AuditFilter(userId: "patient-0"), AuditFilter(userId: "patient-3"),
            AuditFilter(userId: "uzi:0"), AuditFilter(userId: "admin"), AuditFilter(userId: "nobody"),
            AuditFilter(subjectId: "user-1", userId: "user-1"),
        ]
        for (from, until) in [
            (start, end), (start + 1, end - 1), (start - 40_000_000, start - 1), (times[3], times[3]), (times[5] + 1, times[9]),
            (end - 3_600_000 * 8, end - 3_600_000 * 2), (end + 1, .max),
        ] as [(Int64, Int64)] {
            filters.append(AuditFilter(fromMs: from, untilMs: until))
            filters.append(AuditFilter(fromMs: from))
            filters.append(AuditFilter(untilMs: until))
            filters.append(AuditFilter(userId: "user-1", fromMs: from, untilMs: until))
        }
        return filters
    }

    /// What a filter matches, read the slow way: every row, its time and responsible user worked
    /// out from the stored values as the checksum does.
    static func matchedByScan(_ filter: AuditFilter, _ db: Database) throws -> [Int64] {
        try Int64.fetchAll(
            db,
            sql: """
                SELECT seq FROM (\(AuditRecordsProjection.trailAsRecords()))
                WHERE (? IS NULL OR user_id = ? OR responsible_user_id = ?)
                  AND (? IS NULL OR subject_id = ?)
                  AND occurred_at_ms BETWEEN ? AND ?
                ORDER BY seq
                """,
            arguments: [
                filter.userId, filter.userId, filter.userId, filter.subjectId, filter.subjectId,
                filter.fromMs ?? .min, filter.untilMs ?? .max,
            ])
    }

    /// Every row's time and responsible user spelt out, as rows written before projections_v10 keep them.
    static func spellOut(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE audit_trail SET
                  occurred_at_ms = COALESCE(occurred_at_ms, (SELECT recorded_at FROM events WHERE seq = audit_trail.seq)),
                  responsible_user_term = IIF(responsible_user_term = 0, subject_term, responsible_user_term)
                """)
    }

    static func readings(_ ledger: Ledger) throws -> [String] {
        try filters(ledger).map { filter in
            let rows = try ledger.auditRecords(filter, afterSeq: 0, limit: 1_000)
            return "\(filter): \(rows.map(\.seq)) count \(try ledger.auditRecordCount(filter))"
        }
    }

    @Test func rowsKeepNeitherTheirEventsTimeNorTheirSubjectAsResponsible() async throws {
        let test = try await Self.mixedLedger()
        let stored = try await test.ledger.database.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, occurred_at_ms, responsible_user_term FROM audit_trail ORDER BY seq")
        }
        // The grant and the three payments on a user's behalf: no time; the three, their subject as 0.
        #expect(stored.prefix(4).allSatisfy { ($0["occurred_at_ms"] as Int64?) == nil })
        #expect(stored[1...3].allSatisfy { ($0["responsible_user_term"] as Int64?) == 0 })
        #expect((stored[0]["responsible_user_term"] as Int64?) == nil, "no one on whose behalf: still NULL")
        // Reported records: half in their report's millisecond (no time), half hours before.
        let reported = stored.dropFirst(4)
        #expect(reported.count == 12)
        #expect(reported.filter { ($0["occurred_at_ms"] as Int64?) == nil }.count == 6)
        #expect(reported.filter { ($0["responsible_user_term"] as Int64?) == 0 }.count == 4)
        let (indexed, responsibleIndexed, blocks) = try await test.ledger.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail INDEXED BY audit_trail_occurred WHERE occurred_at_ms IS NOT NULL"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail INDEXED BY audit_trail_responsible WHERE responsible_user_term > 0"),
                try Row.fetchAll(db, sql: "SELECT * FROM audit_trail_times")
            )
        }
        #expect(indexed == 6 && responsibleIndexed == 0)
        let declared = try await test.ledger.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('audit_trail_occurred', 'audit_trail_responsible') ORDER BY name")
        }
        #expect(declared.count == 2)
        #expect(declared.first?.hasSuffix("WHERE occurred_at_ms IS NOT NULL") == true, "partial: without the rows that keep no time")
        #expect(declared.last?.hasSuffix("WHERE responsible_user_term > 0") == true, "partial: without 0 and NULL")
        let times = try test.ledger.events(afterSeq: 0, limit: 100).map(\.recordedAtMs)
        #expect(blocks.count == 1)
        #expect((blocks.first?["earliest_recorded_at_ms"] as Int64?) == times.first)
        #expect((blocks.first?["latest_recorded_at_ms"] as Int64?) == times.last)
    }

    /// Each filter's answer is what a scan of every row gives, and the same when the rows spell
    /// everything out as before projections_v10; so are the checksums.
    @Test func everyFilterAnswersAsWhenRowsSpeltEverythingOut() async throws {
        let test = try await Self.mixedLedger()
        let filters = try Self.filters(test.ledger)
        for filter in filters {
            let read = try test.ledger.auditRecords(filter, afterSeq: 0, limit: 1_000).map(\.seq)
            let scanned = try await test.ledger.database.read { db in try Self.matchedByScan(filter, db) }
            #expect(read == scanned, "\(filter)")
        }
        // The three grants made on user-1's behalf (0: their subject); the grants and the six
        // reports in their own millisecond between the first event and the last.
        #expect(try test.ledger.auditRecordCount(AuditFilter(userId: "user-1")) == 3)
        let times = try test.ledger.events(afterSeq: 0, limit: 100).map(\.recordedAtMs)
        #expect(try test.ledger.auditRecordCount(AuditFilter(fromMs: times.first!, untilMs: times.last!)) == 10)
        let compact = try Self.readings(test.ledger)
        let checksums = try test.ledger.verify().checksums
        try await test.ledger.database.write { db in
            try Self.spellOut(db)
            try db.execute(sql: "DELETE FROM audit_trail_times")
        }
        #expect(try await test.ledger.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail WHERE occurred_at_ms IS NULL OR responsible_user_term = 0")
        } == 0)
        #expect(try Self.readings(test.ledger) == compact)
        let report = try test.ledger.verify()
        #expect(report.checksums == checksums && report.projectionMismatches.isEmpty)
        // A replay writes the compact rows again.
        _ = try await test.ledger.replay()
        #expect(try Self.readings(test.ledger) == compact)
        #expect(try await test.ledger.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail WHERE occurred_at_ms IS NULL")
        } == 10)
    }

    /// Over three blocks of 1,024 seqs, with the second block's times before the first's (a log
    /// an older build wrote while the clock was stepped back), each time filter still answers
    /// exactly what a scan gives.
    @Test func aTimeFilterIsExactAcrossBlocksWhateverOrderTheTimesAreIn() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "user-1"))
        func report(_ batch: Int) async throws {
            test.clock.advance(ms: 60_000)
            let records = try (0..<1_000).map { index in
                try Self.reported(batch * 1_000 + index, occurredAtMs: index % 10 == 0 ? test.nowMs - 7_200_000 : test.nowMs)
            }
            _ = try await test.ledger.reportAccesses(
                ReportAccesses(sourceId: "client:his", records: records), WriteContext(TestLedger.metadata))
        }
        try await report(0)  // seqs 2...1001
        for index in 0..<100 {  // seqs 1002...1101, across the first two blocks
            test.clock.advance(ms: 10)
            try await test.submit(try test.grantCommand("g\(index)", user: "user-\(index)"))
        }
        try await report(1)  // 1102...2101
        try await report(2)  // 2102...3101
        let times = try test.ledger.events(afterSeq: 0, limit: 5_000).map(\.recordedAtMs)
        #expect(times.count == 3_101)
        let batchTimes = [times[1], times[1_101], times[2_101]]
        var windows: [(Int64, Int64)] = [
            (batchTimes[0], batchTimes[0]), (batchTimes[1], batchTimes[2]), (batchTimes[0] + 1, batchTimes[1] - 1),
            (times[1_010], times[1_030]), (batchTimes[0] - 7_200_000, batchTimes[0] - 7_200_000), (.min, batchTimes[1]),
            (batchTimes[2], .max),
        ]

        func check(_ label: String) async throws {
            let blocks = try await test.ledger.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail_times") }
            #expect(blocks == 4, "\(label): seqs 1...3101 lie in four blocks of 1,024")
            for (from, until) in windows {
                let filter = AuditFilter(fromMs: from, untilMs: until)
                let read = try test.ledger.auditRecords(filter, afterSeq: 0, limit: 5_000).map(\.seq)
                let scanned = try await test.ledger.database.read { db in try Self.matchedByScan(filter, db) }
                #expect(read == scanned, "\(label) \(from)...\(until)")
                // Each window holds rows while the times are in order; moving the grants empties two.
                if label == "in order" { #expect(!scanned.isEmpty, "\(label) \(from)...\(until)") }
                #expect(try test.ledger.auditRecordCount(filter) == scanned.count)
            }
        }
        try await check("in order")

        // The grants recorded ten minutes before the first report (as an older build did while
        // the clock was stepped back), and the trail rebuilt from the log.
        try await test.ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET recorded_at = recorded_at - 600000 WHERE seq BETWEEN 1002 AND 1101")
            try Schema.rebuild(AuditRecordsProjection(), fromEventsOf: Set(EventTypeStorage.names), db)
        }
        windows.append((times[1_001] - 600_000, times[1_101] - 600_000))
        windows.append((times[1_030] - 600_000, times[1_030] - 600_000))
        try await check("out of order")
        let moved = try await test.ledger.database.read { db in
            try Row.fetchOne(db, sql: "SELECT min(earliest_recorded_at_ms), max(latest_recorded_at_ms) FROM audit_trail_times WHERE block <= 1")
        }
        #expect((moved?[0] as Int64?) == times[1_001] - 600_000, "the blocks record the grants' times as moved")
    }

    /// A file from before projections_v10: every row spells its time and responsible user out,
    /// the indexes are whole, the column NOT NULL. Opening it migrates without rewriting a row:
    /// every reading and checksum is as before, `verify` passes, and new rows are compact.
    @Test func aTrailSpeltOutBeforeV10MigratesInPlaceAndReadsTheSame() async throws {
        let test = try await Self.mixedLedger()
        let compact = try Self.readings(test.ledger)
        let checksums = try test.ledger.verify().checksums
        await test.ledger.close()
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            try Self.spellOut(db)
            try db.execute(sql: "DROP TABLE audit_trail_times")
            try db.execute(sql: "DROP INDEX audit_trail_occurred")
            try db.execute(sql: "CREATE INDEX audit_trail_occurred ON audit_trail (occurred_at_ms, seq)")
            try db.execute(sql: "DROP INDEX audit_trail_responsible")
            try db.execute(
                sql: "CREATE INDEX audit_trail_responsible ON audit_trail (responsible_user_term, seq) WHERE responsible_user_term IS NOT NULL")
            try AuditTrailIndexesTests.declareSubjectAndUserAsV8(db)
            try Schema.editTable(
                "audit_trail", replacing: Schema.occurredAtNullable, with: Schema.occurredAtDeclared, migration: "test", db)
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier IN ('projections_v10', 'projections_v11')")
        }
        let notNull = try await queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT \"notnull\" FROM pragma_table_info('audit_trail') WHERE name = 'occurred_at_ms'")
        }
        #expect(notNull == true, "as projections_v8 declared it")
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let (spelt, nullable) = try await reopened.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail WHERE occurred_at_ms IS NOT NULL AND responsible_user_term IS NOT 0"),
                try Bool.fetchOne(db, sql: "SELECT \"notnull\" FROM pragma_table_info('audit_trail') WHERE name = 'occurred_at_ms'")
            )
        }
        #expect(spelt == 16 && nullable == false, "nothing rewritten; the column takes NULL")
        #expect(try Self.readings(reopened) == compact)
        let report = try reopened.verify()
        #expect(report.isIntact && report.checksums == checksums)

        try await reopened.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(try test.grantCommand("p9", user: "user-1")), metadata: Self.onBehalf))
        let newest = try await reopened.database.read { db in
            try Row.fetchOne(db, sql: "SELECT occurred_at_ms, responsible_user_term FROM audit_trail ORDER BY seq DESC LIMIT 1")
        }
        #expect((newest?[0] as Int64?) == nil && (newest?[1] as Int64?) == 0)
        #expect(try reopened.auditRecordCount(AuditFilter(userId: "user-1")) == 4)
        #expect(try reopened.verify().isIntact)
        await reopened.close()
    }

    /// A block that no longer covers a row's time (a damaged file) is a mismatch `verify` names:
    /// a time filter would have passed the row by.
    @Test func verifyNamesARowItsTimeBlockDoesNotCover() async throws {
        let test = try await Self.mixedLedger()
        #expect(try test.ledger.verify().isIntact)
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE audit_trail_times SET latest_recorded_at_ms = latest_recorded_at_ms - 1")
        }
        #expect(try test.ledger.verify().projectionMismatches == ["audit_records"])
        try await test.ledger.database.write { db in try db.execute(sql: "DELETE FROM audit_trail_times") }
        #expect(try test.ledger.verify().projectionMismatches == ["audit_records"])
    }
}
