import Foundation
import GRDB
import Testing

@testable import LedgerStore

@Suite struct RecordedEventRowTests {
    /// A row read from a cursor points into SQLite's buffers, which the next step reuses: an event
    /// kept past the step (the events an idempotent retry answers with) must own its bytes.
    /// Payloads larger than a page are copied by SQLite into a buffer freed on the next step.
    @Test func anEventKeptFromACursorKeepsItsOwnBytes() throws {
        let db = try DatabaseQueue()
        try Schema.migrator.migrate(db)
        let payloads = ["a", "b", "c"].map { Data(String(repeating: $0, count: 20_000).utf8) }
        try db.write { db in
            var previousHash = EventHasher.genesis
            for (index, payload) in payloads.enumerated() {
                let event = RecordedEvent(
                    seq: Int64(index + 1), eventId: "e\(index)", idempotencyKey: nil, stream: "s", streamVersion: Int64(index + 1),
                    type: "T", typeVersion: 1, data: payload, meta: payload, recordedAtMs: 0, prevHash: previousHash)
                try event.insert(db)
                previousHash = event.hash
            }
        }
        let kept = try db.read { db in
            var kept: [RecordedEvent] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT \(RecordedEvent.selectColumns) FROM events ORDER BY seq")
            while let row = try rows.next() { kept.append(try RecordedEvent(row: row)) }
            return kept
        }
        #expect(kept.map(\.data) == payloads)
        #expect(kept.map(\.meta) == payloads)
    }
}
