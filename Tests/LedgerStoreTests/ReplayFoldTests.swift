import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// A replay folds spends in memory (`SpendsReplayFold`) and must leave the rows `apply` leaves,
/// event by event, whatever it holds when: every bound from one row to the default is tried.
@Suite struct ReplayFoldTests {
    /// Payments on two budgets: settled, released, expired, refused, settled provisionally and
    /// corrected (up, and down to nothing), one past 80 % of its budget, across a cycle's end.
    /// `payments` reservations, each settled, released, corrected or left held in turn.
    static func paymentLedger(payments: Int = 12) async throws -> TestLedger {
        let test = try TestLedger()
        for (id, amount) in [("c1", 500_000), ("c2", 700)] as [(String, Int64)] {
            try await test.submit(
                .grant(
                    try GrantConnection(
                        connectionId: id, userId: "user-1", name: "App \(id)", scopes: ["pay_invoice"],
                        budget: BudgetDefinition(amount: amount, period: .daily), expiresAtSec: nil, nowMs: test.nowMs)))
        }
        func submit(_ command: SpendCommand) async throws {
            _ = try await test.ledger.submit(try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata))
        }
        func reserve(_ id: String, _ connection: String, _ amountMsat: Int64) async throws {
            try await submit(
                .reserve(
                    try ReserveSpend(
                        spendId: id, connectionId: connection, method: "pay_invoice", amountMsat: amountMsat,
                        feeReserveMsat: 1_000, rate: nil, holdTimeoutMs: 60_000)))
        }
        for index in 0..<payments {
            let connection = index % 2 == 0 ? "c1" : "c2"
            try await reserve("s\(index)", connection, 100_000 + Int64(index) * 1_000)
            switch index % 6 {
            case 0, 1: try await submit(.settle(try SettleSpend(spendId: "s\(index)", amountMsat: 100_000, feeMsat: 500)))
            case 2: try await submit(.release(try ReleaseSpend(spendId: "s\(index)", reason: .failed)))
            case 3:
                try await submit(.settle(try SettleSpend(spendId: "s\(index)", amountMsat: 90_000, provisional: true)))
                try await submit(.settle(try SettleSpend(spendId: "s\(index)", amountMsat: 95_000, feeMsat: 100)))
            case 4:
                try await submit(.settle(try SettleSpend(spendId: "s\(index)", amountMsat: 90_000, provisional: true)))
                try await submit(.release(try ReleaseSpend(spendId: "s\(index)", reason: .failed)))
            default: break  // held until the sweeper releases it
            }
            test.clock.advance(ms: 20_000)
        }
        try await reserve("refused", "c2", 900_000_000)
        test.clock.advance(ms: 61_000)
        _ = try await test.ledger.expireHolds(metadata: TestLedger.metadata)
        test.clock.advance(ms: 86_400_000)
        try await reserve("next-day", "c1", 1_000)
        try await submit(.settle(try SettleSpend(spendId: "next-day", amountMsat: 1_000)))
        return test
    }

    /// A projection's checksum after replaying `events` into its emptied tables, by `apply` (nil)
    /// or by the fold `makeFold` gives; rolled back after.
    static func checksum(
        _ projection: any Projection, _ ledger: Ledger, _ events: [RecordedEvent], fold makeFold: (() -> any ReplayFold)?
    ) throws -> String {
        var checksum = ""
        try ledger.database.writeWithoutTransaction { db in
            try db.inTransaction {
                for table in projection.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
                if let fold = makeFold?() {
                    for event in events { try fold.apply(event, typed: try KnownEvents.decode(event.payload), db) }
                    try fold.flush(db)
                } else {
                    for event in events { try projection.apply(event, typed: try KnownEvents.decode(event.payload), db) }
                }
                checksum = try Projections(all: [projection]).checksums(db)[projection.name] ?? ""
                return .rollback
            }
        }
        return checksum
    }

    /// Bounds from one row up, and rows written one, a few or the default to a statement.
    @Test(arguments: zip([1, 2, 3, 5, SpendsReplayFold.spendsHeldMaxDefault], [1, 3, 2, 7, BatchedInsert.rowsPerStatementDefault]))
    func aSpendsFoldLeavesTheRowsApplyLeaves(bound: Int, rowsPerInsert: Int) async throws {
        let test = try await Self.paymentLedger()
        let events = try test.ledger.events(afterSeq: 0, limit: 1_000)
        let types = Set(events.map(\.type))
        for type in [SpendReserved.type, SpendSettled.type, SpendReleased.type, SpendDenied.type, SpendCorrected.type, BudgetThresholdReached.type] {
            #expect(types.contains(type), "the workload has no \(type)")
        }
        let live = try #require(try test.ledger.projectionChecksums()["spends"])
        let projection = SpendsProjection()
        #expect(try Self.checksum(projection, test.ledger, events, fold: nil) == live)
        #expect(try Self.checksum(projection, test.ledger, events, fold: { SpendsReplayFold(spendsHeldMax: bound, sumsHeldMax: bound, rowsPerInsert: rowsPerInsert) }) == live)
    }

    /// Enough spends to fill the default statement of 64 rows twice over, written through
    /// the bound or at the end: the statement the folds use in production.
    @Test(arguments: [100, SpendsReplayFold.spendsHeldMaxDefault])
    func aSpendsFoldWritesFullStatementsAsApplyWould(bound: Int) async throws {
        let test = try await Self.paymentLedger(payments: 150)
        let events = try test.ledger.events(afterSeq: 0, limit: 10_000)
        #expect(try await test.ledger.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM spends") ?? 0 } > 2 * BatchedInsert.rowsPerStatementDefault)
        let live = try #require(try test.ledger.projectionChecksums()["spends"])
        #expect(try Self.checksum(SpendsProjection(), test.ledger, events, fold: { SpendsReplayFold(spendsHeldMax: bound, sumsHeldMax: bound) }) == live)
    }

    /// Records of payments, grants and reported accesses (some with times of their own), with
    /// codes remembered and spans held within bounds from one up.
    @Test(arguments: zip([1, 2, 3, AuditRecordsReplayFold.termsHeldMaxDefault], [1, 3, 7, BatchedInsert.rowsPerStatementDefault]))
    func anAuditFoldLeavesTheRowsApplyLeaves(bound: Int, rowsPerInsert: Int) async throws {
        for test in [try await Self.paymentLedger(), try await AuditTrailRepeatsTests.mixedLedger(), try await Self.threeBlocksLedger()] {
            let events = try test.ledger.events(afterSeq: 0, limit: 10_000)
            let live = try #require(try test.ledger.projectionChecksums()["audit_records"])
            let projection = AuditRecordsProjection()
            #expect(try Self.checksum(projection, test.ledger, events, fold: nil) == live)
            #expect(
                try Self.checksum(projection, test.ledger, events, fold: { AuditRecordsReplayFold(termsHeldMax: bound, blocksHeldMax: bound, rowsPerInsert: rowsPerInsert) })
                    == live)
            // The spans no checksum sees: the same rows as apply's.
            #expect(try Self.timeSpans(test.ledger, events, fold: AuditRecordsReplayFold(termsHeldMax: bound, blocksHeldMax: bound, rowsPerInsert: rowsPerInsert)) == Self.timeSpans(test.ledger, events, fold: nil))
        }
    }

    /// Grants enough to fill three of `audit_trail_times`' blocks, a second apart.
    static func threeBlocksLedger() async throws -> TestLedger {
        let test = try TestLedger(synchronous: .normal)
        let blockEvents = 1 << AuditRecordsProjection.timesBlockShift
        for batch in 0..<(2 * blockEvents + 100) / 100 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    let command = try test.grantCommand("b\(batch)-\(index)")
                    group.addTask { try await test.submit(command) }
                }
                try await group.waitForAll()
            }
            test.clock.advance(ms: 1_000)
        }
        return test
    }

    /// Two reported accesses whose users are the same name in two Unicode forms (precomposed and
    /// with a combining accent): SQLite keeps two terms, and so must the fold's remembered codes.
    @Test func termsEqualAsStringsButNotAsBytesKeepTheirOwnCodes() async throws {
        let test = try TestLedger()
        let users = ["Jos\u{E9}", "Jose\u{301}", "\u{212A}", "K"]
        let records = try users.enumerated().map { index, user in
            var (id, record) = try AuditTrailRepeatsTests.reported(index, occurredAtMs: test.nowMs)
            record.user = .init(id: user, role: "01.015")
            return (id, record)
        }
        _ = try await test.ledger.reportAccesses(
            ReportAccesses(sourceId: "client:his", records: records), WriteContext(TestLedger.metadata))
        let events = try test.ledger.events(afterSeq: 0, limit: 100)
        let live = try #require(try test.ledger.projectionChecksums()["audit_records"])
        #expect(try Self.checksum(AuditRecordsProjection(), test.ledger, events, fold: { AuditRecordsReplayFold() }) == live)
        #expect(try await test.ledger.replay().checksums["audit_records"] == live)
    }

    static func timeSpans(_ ledger: Ledger, _ events: [RecordedEvent], fold: AuditRecordsReplayFold?) throws -> [[Int64]] {
        var spans: [[Int64]] = []
        try ledger.database.writeWithoutTransaction { db in
            try db.inTransaction {
                for table in AuditRecordsProjection().tables { try db.execute(sql: "DELETE FROM \(table.name)") }
                for event in events {
                    if let fold { try fold.apply(event, typed: nil, db) } else { try AuditRecordsProjection().apply(event, typed: nil, db) }
                }
                try fold?.flush(db)
                spans = try Row.fetchAll(db, sql: "SELECT * FROM audit_trail_times ORDER BY block").map { [$0[0], $0[1], $0[2]] }
                return .rollback
            }
        }
        return spans
    }

    /// And through `replay`, which folds: the same checksums as the writer's rows, every projection.
    @Test func aReplayOfPaymentsEqualsTheLiveProjections() async throws {
        let test = try await Self.paymentLedger()
        let live = try test.ledger.projectionChecksums()
        #expect(try await test.ledger.replay().checksums == live)
        #expect(try test.ledger.verify().isIntact)
    }

    /// A fold writes nothing until it is flushed or full: what a replay's `finish` is for.
    @Test func aFoldHoldsItsRowsUntilItIsFlushed() async throws {
        let test = try await Self.paymentLedger()
        let events = try test.ledger.events(afterSeq: 0, limit: 1_000)
        let counts = try await test.ledger.database.writeWithoutTransaction { db -> (held: Int, flushed: Int) in
            var counts = (held: -1, flushed: -1)
            try db.inTransaction {
                try db.execute(sql: "DELETE FROM spends")
                let fold = SpendsReplayFold()
                for event in events { try fold.apply(event, typed: nil, db) }
                counts.held = try Int.fetchOne(db, sql: "SELECT count(*) FROM spends") ?? -1
                try fold.flush(db)
                counts.flushed = try Int.fetchOne(db, sql: "SELECT count(*) FROM spends") ?? -1
                return .rollback
            }
            return counts
        }
        #expect(counts.held == 0)
        #expect(counts.flushed == 14)
    }
}
