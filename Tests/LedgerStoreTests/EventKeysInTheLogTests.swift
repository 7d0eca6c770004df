import Foundation
import GRDB
import LedgerCore
import Testing

@testable import LedgerStore

/// The log keeps UUID keys as 16 bytes from `event_keys_v1` on, and rows written before keep
/// their text: a stream begun before goes on after, read, versioned and verified as one.
@Suite struct EventKeysInTheLogTests {
    static let connectionId = "01a2316e-5c0a-73c8-93f1-9dd8ef273c75"
    static var stream: String { "connection/\(connectionId)" }

    @Test func newRowsKeepTheirUUIDKeysAsSixteenBytesAndReadBackAsText() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand(Self.connectionId))
        let stored = try await test.ledger.database.read { db in
            try String.fetchOne(
                db, sql: "SELECT typeof(event_id) || ' ' || length(event_id) || ' ' || typeof(stream) || ' ' || length(stream) FROM events")
        }
        #expect(stored == "blob 16 blob 17", "the stream's prefix as its code since event_stream_prefixes_v1")
        let events = try test.ledger.events(stream: Self.stream, limit: 10)
        #expect(events.map(\.stream) == [Self.stream])
        let hex = try await test.ledger.database.read { db in try String.fetchOne(db, sql: "SELECT lower(hex(event_id)) FROM events") }
        #expect(hex == events.first?.eventId.replacingOccurrences(of: "-", with: ""))
        #expect(try test.ledger.events(afterSeq: 0, limit: 10) == events)
        #expect(try test.ledger.verify().isIntact)
        await test.ledger.close()
    }

    /// A build from before event_keys_v1, still running when a newer one migrated the file, writes
    /// a UUID id as text; its versions would not see rows written as bytes, so its insert is refused.
    /// Ids that are not such UUIDs are text in either build and are still taken.
    @Test(arguments: [(connectionId, true), ("01A2316E-5C0A-73C8-93F1-9DD8EF273C75", false), ("event-2", false)])
    func anInsertOfAUUIDIdAsTextIsRefused(eventId: String, refused: Bool) async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let head = try test.ledger.events(afterSeq: 0, limit: 1)[0]
        let event = RecordedEvent(
            seq: 2, eventId: eventId, idempotencyKey: nil, stream: "connection/c2", streamVersion: 1,
            type: head.type, typeVersion: head.typeVersion, data: head.data, meta: head.meta,
            recordedAtMs: head.recordedAtMs, prevHash: head.hash)
        let insert = { try await test.ledger.database.write { db in try event.insertAsGiven(prevHash: nil, db) } }
        if refused {
            await #expect {
                try await insert()
            } throws: { error in
                (error as? DatabaseError)?.message?.contains("older than the ledger file") == true
            }
            #expect(try test.ledger.eventCount() == 1)
        } else {
            try await insert()
            #expect(try test.ledger.verify().chainBreak == nil)
        }
        await test.ledger.close()
    }

    @Test func aStreamWrittenAsTextGoesOnInBytesAsOneStream() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand(Self.connectionId))
        try await test.submit(try test.grantCommand("c-text"))
        let before = try test.ledger.events(afterSeq: 0, limit: 10)
        await test.ledger.close()

        // As a build before event_keys_v1 wrote it: every key as text.
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'")!
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            for event in before {
                try db.execute(
                    sql: "UPDATE events SET event_id = ?, stream = ? WHERE seq = ?",
                    arguments: [event.eventId, event.stream, event.seq])
            }
            try db.execute(sql: trigger)
            // event_insert_guards_v1 (later) made event_keys_v1's guard one of five in one: undone too.
            try EventInsertGuardsTests.undoMigration(db, except: "events_keys_as_bytes")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'event_keys_v1'")
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        #expect(try reopened.events(afterSeq: 0, limit: 10) == before, "the text rows read as they were written")
        // The next event of the same stream is version 2, and a command expecting version 1 runs.
        let update = try UpdateConnection(connectionId: Self.connectionId, name: "Renamed", nowMs: test.nowMs)
        let outcome = try await reopened.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(.update(update)), metadata: TestLedger.metadata, idempotencyKey: nil,
                requestDigest: nil, expectedVersion: 1))
        guard case .accepted(let events, _) = outcome else { Issue.record("refused: \(outcome)"); return }
        #expect(events.map(\.streamVersion) == [2])
        let forms = try await reopened.database.read { db in
            try String.fetchAll(db, sql: "SELECT typeof(stream) || ' ' || stream_version FROM events WHERE seq <> 2 ORDER BY seq")
        }
        #expect(forms == ["text 1", "blob 2"])
        #expect(try reopened.events(stream: Self.stream, limit: 10).map(\.streamVersion) == [1, 2])
        // A command expecting the version before is a conflict, across both forms.
        let stale = try await reopened.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(.update(update)), metadata: TestLedger.metadata, idempotencyKey: nil,
                requestDigest: nil, expectedVersion: 1))
        guard case .rejected(let rejection, _) = stale else { Issue.record("accepted: \(stale)"); return }
        #expect(rejection.code == .versionConflict)
        let report = try reopened.verify()
        #expect(report.isIntact, "\(String(describing: report.chainBreak)) \(report.projectionMismatches)")
        await reopened.close()
    }
}
