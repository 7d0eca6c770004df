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

    /// The audit row prepared on the second core is the row the projection works out itself.
    @Test func aPreparedAuditRowIsTheRowWorkedOutInLine() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        try await test.submit(.revoke(try RevokeConnection(connectionId: "c1", reason: "test")))
        try await test.submit(.revoke(try RevokeConnection(connectionId: "ghost")))  // refused
        let events = try await test.ledger.database.read { db in
            var events: [RecordedEvent] = []
            _ = try ReplayPipeline.walk(db) { events.append($0) }
            return events
        }
        #expect(events.map(\.type) == [ConnectionGranted.type, ConnectionRevoked.type, CommandRejected.type])
        for event in events {
            let prepared = try #require(event.auditRow, "\(event.type)")
            #expect(event.domainEvent != nil, "\(event.type)")
            var bare = event
            bare.domainEvent = nil
            bare.storedMetadata = nil
            bare.auditRow = nil
            let inLine = try AuditRecordsProjection.row(for: bare, typed: nil)
            #expect(prepared.json == inLine.json, "\(event.type)")
            #expect(prepared.record == inLine.record && prepared.id == inLine.id && prepared.seq == inLine.seq)
            #expect(prepared.occurredAtMs == prepared.record.occurredAtMs, "\(event.type): the time parsed back")
        }
    }
}
