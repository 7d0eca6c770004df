import Foundation
import GRDB
import LedgerCore
import Testing

@testable import LedgerStore

/// `ReplayPipeline` (events prepared on a second thread, applied on this one) must hand on the
/// events `ChainWalk` hands on, stop at the same break, and fail where an unprepared replay fails.
@Suite struct ReplayPipelineTests {
    @Test(arguments: ChainCheckTests.tamperings)
    func handsOnTheSameEventsAndStopsAtTheSameBreakAsTheReferenceWalk(
        tampering: (name: String, sql: String, seq: Int64?, reason: String?)
    ) throws {
        let db = try ChainCheckTests.log()
        try db.write { try $0.execute(sql: tampering.sql) }
        let (pipelined, pipelinedBreak, reference, referenceBreak) = try db.read { db in
            var pipelined: [RecordedEvent] = []
            let pipelinedBreak = try ReplayPipeline.walk(db) { pipelined.append($0) }
            var reference: [RecordedEvent] = []
            let referenceBreak = try ChainWalk.walk(db) { reference.append($0) }
            return (pipelined, pipelinedBreak, reference, referenceBreak)
        }
        #expect(pipelinedBreak == referenceBreak, "\(tampering.name)")
        #expect(pipelinedBreak?.seq == tampering.seq, "\(tampering.name)")
        #expect(pipelined.count == reference.count, "\(tampering.name)")
        #expect(pipelined == reference, "\(tampering.name): the rows handed on")
    }

    /// A batch ends at 512 rows or at its bytes' bound, whichever comes first, and never before
    /// its first row.
    @Test(arguments: [
        (0, 0, 0, false), (0, 0, 1, false), (0, 0, 8 << 20, false), (1, 0, 1, false), (1, 1, 1, true), (1, 9 << 20, 8 << 20, true),
        (511, (8 << 20) - 1, 8 << 20, false), (511, 8 << 20, 8 << 20, true), (512, 0, 8 << 20, true),
        (100, 150_000, 8 << 20, false),
    ])
    func aBatchIsFullAtItsCountOrItsBytes(rows: Int, bytes: Int, bytesMax: Int, full: Bool) {
        #expect(ReplayPipeline.isFull(rows: rows, bytes: bytes, bytesMax: bytesMax) == full)
    }

    /// Batches cut by their bytes rather than their count (one row each, or a few): the same
    /// events, the same break, the same bounds.
    @Test(arguments: [1, 3_000])
    func batchesBoundedByTheirBytesHandOnWhatTheReferenceWalkHandsOn(batchBytesMax: Int) throws {
        for tampering in ChainCheckTests.tamperings where ["intact", "a row deleted", "a link broken"].contains(tampering.name) {
            let db = try ChainCheckTests.log()
            try db.write { try $0.execute(sql: tampering.sql) }
            let (pipelined, pipelinedBreak, reference, referenceBreak) = try db.read { db in
                var pipelined: [RecordedEvent] = []
                let pipelinedBreak = try ReplayPipeline.walk(db, batchBytesMax: batchBytesMax) { pipelined.append($0) }
                var reference: [RecordedEvent] = []
                let referenceBreak = try ChainWalk.walk(db) { reference.append($0) }
                return (pipelined, pipelinedBreak, reference, referenceBreak)
            }
            #expect(pipelinedBreak == referenceBreak, "\(tampering.name)")
            #expect(pipelined == reference, "\(tampering.name)")
        }
        let db = try ChainCheckTests.log()
        let bounded = try db.read { db in
            var seqs: [Int64] = []
            _ = try ReplayPipeline.walk(db, untilMs: 1_700_000_000_000 + 700, batchBytesMax: batchBytesMax) {
                seqs.append($0.seq)
            }
            return seqs
        }
        #expect(bounded == Array(1...700))
    }

    /// The log of `ChainCheckTests`, tampered with by `sql`, in a file whose leaf page holding
    /// seq 1,500 is zeroed: inside the batches read ahead of the first.
    static func damagedLog(tamperedBy sql: String, in directory: URL) throws -> DatabaseQueue {
        let path = directory.appendingPathComponent("\(UUID().uuidString).sqlite").path
        do {
            let file = try DatabaseQueue(path: path)
            try ChainCheckTests.log().backup(to: file)
            try file.write { try $0.execute(sql: sql) }
            try file.close()
        }
        let (pageSize, page) = try DatabaseQueue(path: path).read { db in
            let leaves = try Int.fetchAll(
                db, sql: "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY path")
            return (
                try Int.fetchOne(db, sql: "PRAGMA page_size")!,
                leaves[leaves.count * 1_500 / Int(ChainCheckTests.rowCount)]
            )
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0, count: pageSize))
        try handle.close()
        return try DatabaseQueue(path: path)
    }

    /// Batches are read ahead of those being applied; a read that fails there (a damaged page)
    /// must not hide an earlier break, and must still stop the walk once it is reached.
    @Test func aDamagedPageAheadDoesNotHideAnEarlierBreak() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // Damaged only: both walks stop with SQLite's error, after the same events.
        let damaged = try Self.damagedLog(tamperedBy: "SELECT 1", in: directory)
        var reference = 0
        #expect(throws: DatabaseError.self) {
            try damaged.read { db in try ChainWalk.walk(db) { _ in reference += 1 } }
        }
        var pipelined = 0
        #expect(throws: DatabaseError.self) {
            try damaged.read { db in try ReplayPipeline.walk(db) { _ in pipelined += 1 } }
        }
        #expect(reference > 0 && pipelined == reference)

        // And a row altered before it: that break is what the walk answers, as the reference
        // does. (The read transaction around it may still report the damage as it ends: SQLite
        // has met the page.)
        let alsoAltered = try Self.damagedLog(tamperedBy: "UPDATE events SET data = 'x' WHERE seq = 7", in: directory)
        var chainBreak: ChainBreak?
        try? alsoAltered.read { db in chainBreak = try ReplayPipeline.walk(db) { _ in } }
        let referenceBreak = try alsoAltered.read { db in try ChainWalk.walk(db) { _ in } }
        #expect(chainBreak?.seq == 7)
        #expect(chainBreak == referenceBreak)
        try damaged.close()
        try alsoAltered.close()
    }

    /// Rows are decoded on the second thread: one that cannot be (its event id a number) stops
    /// the walk after the events before it and with the reference walk's error, wherever it is
    /// in its batch, and no event after it is handed on. As the first row past a time bound
    /// (`lastBeforeIt`), it fails the walk too: the reference decodes a row before its time.
    @Test(arguments: [
        (Int64(1), false), (3, false), (512, false), (513, false), (2_600, false), (701, true), (513, true),
    ])
    func anUndecodableRowStopsTheWalkWhereTheReferenceStops(seq: Int64, lastBeforeIt: Bool) throws {
        // The log's events are 1 ms apart from 1_700_000_000_001 on.
        let untilMs = lastBeforeIt ? 1_700_000_000_000 + seq - 1 : .max
        let db = try ChainCheckTests.log()
        try db.writeWithoutTransaction { db in
            // The column's TEXT affinity would store 5 as "5", an id: without it the integer stays.
            try db.execute(
                sql: """
                    PRAGMA writable_schema = ON;
                    UPDATE sqlite_schema SET sql = replace(sql, 'event_id        TEXT', 'event_id        BLOB')
                    WHERE name = 'events';
                    PRAGMA writable_schema = RESET;
                    """)
            try db.execute(sql: "UPDATE events SET event_id = 5 WHERE seq = ?", arguments: [seq])
            #expect(
                try String.fetchOne(db, sql: "SELECT typeof(event_id) FROM events WHERE seq = ?", arguments: [seq])
                    == "integer")
        }
        /// The error a walk ends with, nil when it ends without one.
        func failure(_ walk: () throws -> Void) -> LedgerError? {
            do {
                try walk()
                return nil
            } catch {
                return error as? LedgerError
            }
        }
        let (pipelined, pipelinedError, reference, referenceError) = try db.read { db in
            var pipelined: [Int64] = []
            let pipelinedError = failure {
                _ = try ReplayPipeline.walk(db, untilMs: untilMs) { pipelined.append($0.seq) }
            }
            var reference: [Int64] = []
            let referenceError = failure { _ = try ChainWalk.walk(db, untilMs: untilMs) { reference.append($0.seq) } }
            return (pipelined, pipelinedError, reference, referenceError)
        }
        #expect(referenceError?.message == "event \(seq) has no event_id, stream or type")
        #expect(pipelinedError?.message == referenceError?.message)
        #expect(reference == Array(1..<seq))
        #expect(pipelined == reference)
    }

    @Test func stopsAtTheBoundsAskedFor() throws {
        let db = try ChainCheckTests.log()
        let (bySeq, byTime) = try db.read { db in
            var bySeq: [Int64] = []
            _ = try ReplayPipeline.walk(db, untilSeq: 1_300) { bySeq.append($0.seq) }
            var byTime: [Int64] = []
            // The log's events are 1 ms apart from 1_700_000_000_001 on.
            _ = try ReplayPipeline.walk(db, untilMs: 1_700_000_000_000 + 700) { byTime.append($0.seq) }
            return (bySeq, byTime)
        }
        #expect(bySeq == Array(1...1_300))
        #expect(byTime == Array(1...700))
    }

    /// Preparing is best effort; what it cannot prepare the projection decodes in line, so an
    /// event newer than this build stops the replay with the same error as before.
    @Test func anEventOfANewerVersionStopsTheReplayNamingIt() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        try await test.ledger.database.write { db in
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")!
            let event = RecordedEvent(
                seq: head["seq"] + 1, eventId: "newer", idempotencyKey: nil, stream: "connection/c1",
                streamVersion: 2, type: ConnectionRevoked.type, typeVersion: 99,
                data: Data(#"{"connection_id":"c1","revoked_at_ms":1}"#.utf8),
                meta: try CanonicalJSON.encode(TestLedger.metadata), recordedAtMs: test.nowMs, prevHash: head["hash"])
            try event.insert(db)
        }
        let error = await #expect(throws: UnknownEventVersion.self) { try await test.ledger.replay() }
        #expect(error?.typeVersion == 99)
        #expect(error?.type == ConnectionRevoked.type)
    }

    /// Every audit row prepared on the second core is the row the live writer stored for that
    /// event: grants, a refusal, spends (the record names their grant), OBP and an audit read.
    @Test func preparedAuditRowsAreTheRowsTheWriterStored() async throws {
        let test = try TestLedger()
        let ledger = test.ledger
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: "c1", userId: "u1", name: "App", scopes: ["pay_invoice"],
                    budget: BudgetDefinition(amount: 5, period: .daily), expiresAtSec: nil, nowMs: test.nowMs)))
        try await test.submit(.revoke(try RevokeConnection(connectionId: "ghost")))  // refused
        for (id, amountMsat) in [("s1", Int64(2_000)), ("s2", 9_000_000)] {  // the second is denied
            _ = try await ledger.submit(
                try CommandEnvelope(
                    SpendCommandHandler(
                        .reserve(
                            try ReserveSpend(
                                spendId: id, connectionId: "c1", method: "pay_invoice", amountMsat: amountMsat,
                                feeReserveMsat: 10, holdTimeoutMs: 60_000))),
                    metadata: TestLedger.metadata))
        }
        _ = try await ledger.submit(
            try CommandEnvelope(
                SpendCommandHandler(.settle(try SettleSpend(spendId: "s1", amountMsat: 2_000, feeMsat: 3))),
                metadata: TestLedger.metadata))
        let context = WriteContext(TestLedger.metadata)
        try await ledger.obpCreateBank(
            ObpBank(id: "gh.29.uk", bankCode: "C", fullName: "Bank"), caller: .admin, grantId: "g", context)
        try await ledger.recordAuditRead(
            AuditLogRead(query: "user=u1", subject: .init(idType: "user", id: "u1"), count: 3, readAtMs: test.nowMs),
            context)

        let (events, stored) = try await ledger.database.read { db in
            var events: [RecordedEvent] = []
            _ = try ReplayPipeline.walk(db) { events.append($0) }
            let stored = try Row.fetchAll(db, sql: "\(AuditRecordsProjection.trailAsRecords()) ORDER BY t.seq")
            return (events, stored)
        }
        let types = Set(events.map(\.type))
        for type in [
            ConnectionGranted.type, CommandRejected.type, SpendReserved.type, SpendDenied.type, SpendSettled.type,
            ObpBankCreated.type, AuditLogRead.type,
        ] {
            #expect(types.contains(type), "the history has no \(type)")
        }
        #expect(events.count == stored.count)
        for (event, row) in zip(events, stored) {
            #expect(event.domainEvent != nil, "\(event.type) is decoded ahead")
            let prepared = try #require(event.auditRow, "\(event.type) has its row prepared")
            #expect(prepared.seq == row["seq"] && prepared.id == row["id"] as String, "\(event.type)")
            #expect(prepared.sourceId == row["source_id"] as String, "\(event.type)")
            #expect(prepared.occurredAtMs == row["occurred_at_ms"] as Int64, "\(event.type)")
            #expect(prepared.recordedAtMs == row["recorded_at_ms"] as Int64, "\(event.type)")
            #expect(row["record"] as String == AuditRecordsProjection.derivedRecord, "\(event.type) stores no text")
            let read = try #require(try ledger.auditRecord(id: prepared.id), "\(event.type)")
            #expect(try read.record() == prepared.record, "\(event.type)")
        }
    }
}
