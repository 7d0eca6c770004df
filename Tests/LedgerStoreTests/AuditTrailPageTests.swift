import Foundation
import GRDB
import GRDBSQLite
import LedgerCore
import LedgerTestSupport
import Synchronization
import Testing

@testable import LedgerStore

/// A page of the trail picks its rows from `audit_trail` alone before joining their events, and
/// reads a time range that holds many rows in seq order: a page costs about √(page × rows), not
/// every row in the range.
@Suite struct AuditTrailPageTests {
    @Test(arguments: [
        (51, 281_902, 3_792), (10, 1_000, 100), (2, 8, 4), (1, 2, 2), (50, 0, 8), (0, 100, 10),
    ] as [(Int, Int64, Int64)])
    func seqOrderStartsAtTheSquareRootOfPageTimesRowsAfterTheCursor(pageRows: Int, rowsAfter: Int64, bound: Int64) {
        #expect(AuditTrailPage.seqOrderBound(pageRows: pageRows, rowsAfter: rowsAfter) == bound)
    }

    /// Each page read with its own conditions after the last page's seq, as `auditRecords` reads.
    static func pagedSeqs(_ filter: AuditFilter, pageRows: Int, inSeqOrder: Bool, _ db: Database) throws -> [Int64] {
        var seqs: [Int64] = []
        while let (conditions, arguments) = try Ledger.conditions(
            filter, afterSeq: seqs.last ?? 0, throughSeq: .max, codedIn: db)
        {
            let page = try Int64.fetchAll(
                db, sql: AuditTrailPage.sql(conditions, inSeqOrder: inSeqOrder), arguments: arguments + [pageRows])
            seqs += page
            if page.count < pageRows { break }
        }
        return seqs
    }

    @Test func everyFilterReadsTheRowsAScanFindsInEitherOrder() async throws {
        let test = try await AuditTrailRepeatsTests.mixedLedger()
        let filters = try AuditTrailRepeatsTests.filters(test.ledger)
        try await test.ledger.database.read { db in
            for filter in filters {
                let scanned = try AuditTrailRepeatsTests.matchedByScan(filter, db)
                for inSeqOrder in [false, true] {
                    let paged = try Self.pagedSeqs(filter, pageRows: 2, inSeqOrder: inSeqOrder, db)
                    #expect(paged == scanned, "\(filter), in seq order: \(inSeqOrder)")
                }
            }
        }
    }

    static let yearStartMs: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    static let dayMs: Int64 = 86_400_000

    /// Reported records, their times spread over a year out of log order (as
    /// tools/audit-report.lua reports them): record `index` on day `index × 7919 mod 365` of the
    /// year `yearOf(index)` starts (2026 unless it says otherwise).
    static func yearOfReports(
        _ count: Int, yearOf: (Int) -> Int64 = { _ in yearStartMs }
    ) async throws -> TestLedger {
        let test = try TestLedger()
        for batch in stride(from: 0, to: count, by: 500) {
            let records = try (batch..<min(batch + 500, count)).map { index in
                try AuditTrailRepeatsTests.reported(
                    index, occurredAtMs: yearOf(index) + Int64(index * 7_919 % 365) * dayMs + Int64(index) * 1_000)
            }
            _ = try await test.ledger.reportAccesses(
                ReportAccesses(sourceId: "client:his", records: records), WriteContext(TestLedger.metadata))
        }
        return test
    }

    static func head(_ db: Database) throws -> Int64 {
        try #require(try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_trail"))
    }

    static let year = AuditFilter(fromMs: yearStartMs, untilMs: yearStartMs + 365 * dayMs - 1)

    /// Every page of `filter` through `auditRecords`, `pageRows` at a time.
    static func pages(_ filter: AuditFilter, pageRows: Int, _ ledger: Ledger) throws -> [Int64] {
        var paged: [Int64] = []
        while true {
            let page = try ledger.auditRecords(filter, afterSeq: paged.last ?? 0, limit: pageRows).map(\.seq)
            paged += page
            if page.count < pageRows { return paged }
        }
    }

    @Test func aPageTheSeqOrderWindowDoesNotFillGoesOnThroughTheIndex() async throws {
        // 1,500 records of 2026, 500 of 2027, then 5 of 2026 again.
        let test = try await Self.yearOfReports(2_005) { index in
            (1_500..<2_000).contains(index) ? Self.yearStartMs + 365 * Self.dayMs : Self.yearStartMs
        }
        let (scanned, lastOfTheFirst, window) = try await test.ledger.database.read { db in
            let scanned = try AuditTrailRepeatsTests.matchedByScan(Self.year, db)
            let last = scanned[1_499]
            return (
                scanned, last,
                try AuditTrailPage.windowEnd(Self.year, afterSeq: last, headSeq: try Self.head(db), pageRows: 11, db)
            )
        }
        #expect(scanned.count == 1_505)
        // The rows after the cursor: 505, so a window of 4 × ⌈√(11 × 505)⌉, short of the last five.
        #expect(window == lastOfTheFirst + 4 * 75)
        let tail = try test.ledger.auditRecords(Self.year, afterSeq: lastOfTheFirst, limit: 11).map(\.seq)
        #expect(tail == Array(scanned.suffix(5)))
        #expect(try Self.pages(Self.year, pageRows: 11, test.ledger) == scanned)
    }

    /// What a page statement cost: SQLite's VM steps (about the rows it went through) and the
    /// pages it fetched from the connection's cache (each row read from another table fetches at
    /// least one), with the rows it answered.
    struct Cost {
        var steps: Int32
        var pages: Int32
        var rows: Int
    }

    static func cost(_ sql: String, _ arguments: StatementArguments, _ db: Database) throws -> Cost {
        let statement = try db.makeStatement(sql: sql)
        var current: Int32 = 0
        var highwater: Int32 = 0
        // Reset both counters, then read them after.
        sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_HIT, &current, &highwater, 1)
        sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_MISS, &current, &highwater, 1)
        let rows = try Row.fetchAll(statement, arguments: arguments)
        var hits: Int32 = 0
        var misses: Int32 = 0
        sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_HIT, &hits, &highwater, 0)
        sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_MISS, &misses, &highwater, 0)
        return Cost(
            steps: sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_VM_STEP, 0), pages: hits + misses,
            rows: rows.count)
    }

    @Test func aYearsRangeReadsInSeqOrderAndADaysThroughItsIndexNeitherEveryRow() async throws {
        let count = 2_000
        let test = try await Self.yearOfReports(count)
        let year = Self.year
        let day = AuditFilter(fromMs: Self.yearStartMs + 40 * Self.dayMs, untilMs: Self.yearStartMs + 41 * Self.dayMs - 1)
        try await test.ledger.database.read { db in
            let head = try #require(try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_trail"))
            func window(_ filter: AuditFilter, after: Int64) throws -> Int64? {
                try AuditTrailPage.windowEnd(filter, afterSeq: after, headSeq: head, pageRows: 11, db)
            }
            #expect(try window(year, after: 0) == 4 * AuditTrailPage.seqOrderBound(pageRows: 11, rowsAfter: head))
            #expect(try window(year, after: 1_000) == 1_000 + 4 * AuditTrailPage.seqOrderBound(pageRows: 11, rowsAfter: head - 1_000))
            #expect(try window(year, after: head - 100) == head)
            #expect(try window(year, after: head) == nil)
            #expect(try window(day, after: 0) == nil)
            // Anything besides time is SQLite's to plan.
            var yearOfOneAction = year
            yearOfOneAction.action = .read
            #expect(try window(yearOfOneAction, after: 0) == nil)

            let (conditions, arguments) = try #require(
                try Ledger.conditions(year, afterSeq: 0, throughSeq: .max, codedIn: db))
            // As pages were read before: every row of the range joined to its event, then sorted.
            let joinedFirst = try Self.cost(
                "\(Ledger.trailRows) WHERE \(conditions) ORDER BY t.seq LIMIT ?", arguments + [11], db)
            let inSeqOrder = try Self.cost(AuditTrailPage.sql(conditions, inSeqOrder: true), arguments + [11], db)
            let throughIndex = try Self.cost(AuditTrailPage.sql(conditions, inSeqOrder: false), arguments + [11], db)
            #expect(joinedFirst.rows == 11 && inSeqOrder.rows == 11 && throughIndex.rows == 11)
            #expect(joinedFirst.pages > Int32(count) && joinedFirst.steps > Int32(count) * 10, "\(joinedFirst)")
            #expect(inSeqOrder.steps < 1_000 && inSeqOrder.pages < 200, "\(inSeqOrder)")
            // Through the index every row of the range is still read and sorted, but not joined.
            #expect(throughIndex.pages < Int32(count) / 10, "\(throughIndex)")

            let (dayConditions, dayArguments) = try #require(
                try Ledger.conditions(day, afterSeq: 0, throughSeq: .max, codedIn: db))
            let dayPage = try Self.cost(AuditTrailPage.sql(dayConditions, inSeqOrder: false), dayArguments + [11], db)
            #expect(dayPage.rows > 0 && dayPage.steps < 1_000 && dayPage.pages < 200, "\(dayPage)")
        }
        // From the middle of the log the window is a range of the rowid, not a scan from the start.
        let plan = try await test.ledger.database.read { db in
            let (sql, arguments) = try #require(
                try AuditTrailPage.statement(
                    year, afterSeq: 1_000, throughSeq: .max, pageRows: 11,
                    windowEnd: try AuditTrailPage.windowEnd(year, afterSeq: 1_000, headSeq: try Self.head(db), pageRows: 11, db), db))
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
        }
        #expect(plan.contains("SEARCH t USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"), "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        // And `auditRecords` pages through both as one read of them all does, and as a scan finds.
        for filter in [year, day] {
            let whole = try test.ledger.auditRecords(filter, afterSeq: 0, limit: count).map(\.seq)
            let scanned = try await test.ledger.database.read { try AuditTrailRepeatsTests.matchedByScan(filter, $0) }
            #expect(try Self.pages(filter, pageRows: 7, test.ledger) == whole)
            #expect(whole == scanned && !whole.isEmpty)
        }
    }

    @Test func aUsersPageReadsEachOfTheirThreeSetsInSeqOrderNotAllOfThem() async throws {
        // 2,000 records by three users in turn: uzi:0 acted in 667 of them.
        let test = try await Self.yearOfReports(2_000)
        let user = AuditFilter(userId: "uzi:0")
        try await test.ledger.database.read { db in
            let (orConditions, orArguments) = try #require(
                try Ledger.conditions(user, afterSeq: 0, throughSeq: .max, codedIn: db))
            let throughAll = try Self.cost(AuditTrailPage.sql(orConditions, inSeqOrder: false), orArguments + [11], db)
            let (sql, arguments) = try #require(
                try AuditTrailPage.userPage(user, afterSeq: 0, throughSeq: .max, pageRows: 11, db))
            let threeSets = try Self.cost(sql, arguments, db)
            #expect(throughAll.rows == 11 && threeSets.rows == 11)
            #expect(throughAll.steps > 667 * 3, "\(throughAll)")
            #expect(threeSets.steps < 1_000 && threeSets.pages < 200, "\(threeSets)")
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
            for index in ["audit_trail_user (user_term=? AND rowid>?)", "audit_trail_responsible (responsible_user_term=? AND rowid>?)",
                "audit_trail_subject (subject_term=? AND rowid>?)"]
            {
                #expect(plan.contains { $0.contains(index) }, "\(plan)")
            }
        }
    }

    @Test func everyFilterPagesThroughAuditRecordsAsAScanFindsIt() async throws {
        let test = try await AuditTrailRepeatsTests.mixedLedger()
        for filter in try AuditTrailRepeatsTests.filters(test.ledger) {
            let scanned = try await test.ledger.database.read { try AuditTrailRepeatsTests.matchedByScan(filter, $0) }
            for pageRows in [1, 2, 5] {
                #expect(try Self.pages(filter, pageRows: pageRows, test.ledger) == scanned, "\(filter), pages of \(pageRows)")
            }
        }
    }

    /// Records a user is in twice over: acting as their own responsible user, or acting on their
    /// own record (a patient in a portal) where the responsible user is the subject.
    static func usersInTwoSets() async throws -> TestLedger {
        let test = try TestLedger()
        let records = try (0..<120).map { index in
            var (id, record) = try AuditTrailRepeatsTests.reported(
                index, occurredAtMs: test.nowMs - Int64(index) * 60_000,
                responsible: index % 5 == 0 ? "uzi:\(index % 3)" : index % 7 == 0 ? "patient-\(index % 4)" : nil)
            if index % 11 == 0 {
                record.user = .init(id: "patient-\(index % 4)", role: "01.015")
                record.responsibleUser = .init(id: "patient-\(index % 4)", role: "01.015")
            }
            return (id, record)
        }
        _ = try await test.ledger.reportAccesses(
            ReportAccesses(sourceId: "client:his", records: records), WriteContext(TestLedger.metadata))
        return test
    }

    @Test func aUsersPagesHoldEachOfTheirRecordsOnceInEverySetAndUpToTheBound() async throws {
        let test = try await Self.usersInTwoSets()
        let (twice, middle) = try await test.ledger.database.read { db in
            let twice = try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM audit_trail
                    WHERE user_term = responsible_user_term OR (responsible_user_term = 0 AND user_term = subject_term)
                    """) ?? 0
            return (twice, (try Self.head(db)) - 60)
        }
        #expect(twice > 20, "rows a user is in twice over")
        let times = (test.nowMs - 90 * 60_000, test.nowMs - 30 * 60_000)
        for user in ["uzi:0", "uzi:1", "patient-0", "patient-1", "patient-3"] {
            for filter in [
                AuditFilter(userId: user), AuditFilter(subjectId: "patient-1", userId: user),
                AuditFilter(userId: user, fromMs: times.0, untilMs: times.1),
            ] {
                let scanned = try await test.ledger.database.read { try AuditTrailRepeatsTests.matchedByScan(filter, $0) }
                #expect(!scanned.isEmpty || filter.subjectId != nil, "\(filter)")
                for pageRows in [1, 2, 5] {
                    #expect(try Self.pages(filter, pageRows: pageRows, test.ledger) == scanned, "\(filter), pages of \(pageRows)")
                }
                // An export's bound.
                let bounded = try test.ledger.auditRecords(filter, afterSeq: 0, throughSeq: middle, limit: 1_000).map(\.seq)
                #expect(bounded == scanned.filter { $0 <= middle }, "\(filter) through \(middle)")
            }
        }
    }

    @Test func aPageLooksUpItsTimeBlocksOnceForEveryStatementItMakes() async throws {
        let test = try await Self.usersInTwoSets()
        let times = (test.nowMs - 90 * 60_000, test.nowMs - 30 * 60_000)
        let filters = [
            AuditFilter(fromMs: times.0, untilMs: times.1), AuditFilter(userId: "uzi:0", fromMs: times.0, untilMs: times.1),
        ]
        let lookUps = try await test.ledger.database.read { db in
            try filters.map { filter in
                let statements = Mutex<[String]>([])
                db.trace(options: .statement) { event in statements.withLock { $0.append(event.description) } }
                defer { db.trace(options: []) }
                _ = try AuditTrailPage.rows(filter, afterSeq: 0, throughSeq: .max, pageRows: 5, db)
                return statements.withLock { $0.filter { $0.contains("FROM audit_trail_times") }.count }
            }
        }
        // The user's page makes three conditions, the window's one or two, all from one look-up.
        #expect(lookUps == [1, 1])
    }

    /// An id type's alternatives (FHIR's BSN naming system for `BSN` in any case) are matched
    /// with it, in the spelt-out layout of `audit_records` as in the trail's codes.
    @Test func anIdTypeIsMatchedTogetherWithItsAlternatives() throws {
        var filter = AuditFilter(subjectId: "999911120", subjectIdType: "http://fhir.nl/fhir/NamingSystem/bsn")
        #expect(try #require(try Ledger.conditions(filter, afterSeq: 0, throughSeq: .max)).0.contains("subject_id_type = ?"))
        filter.subjectIdTypeAlternatives = ["BSN", "bsn"]
        #expect(try #require(try Ledger.conditions(filter, afterSeq: 0, throughSeq: .max)).0.contains("subject_id_type IN (?, ?, ?)"))
        filter.subjectIdType = nil
        #expect(try #require(try Ledger.conditions(filter, afterSeq: 0, throughSeq: .max)).0.contains("subject_id_type") == false)
    }
}
