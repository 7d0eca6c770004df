import Foundation
import GRDB

/// A row of the log copied out of SQLite as stored, not yet decoded (`RecordedEvent.columns`, in
/// that order). A replay's reading thread, which holds the cursor, copies rows into these and its
/// second core decodes them (`RecordedEvent.init(stored:previousHash:)`): the keys' text, the
/// compact `data` and `meta` turned back into JSON. Decoding in line was a seventh of the reading
/// thread's samples in `perf`, and that thread was the slower of the two.
struct StoredEventRow: Sendable {
    var seq: Int64
    var eventId: DatabaseValue
    var idempotencyKey: String?
    var stream: DatabaseValue
    var streamVersion: Int64
    var type: DatabaseValue
    var typeVersion: Int
    var data: Data?
    var meta: Data?
    var recordedAtMs: Int64
    /// NULL since event_links_v1: the hash of the row before.
    var prevHash: Data?
    var hash: Data

    /// Copies the row: a cursor's row lends SQLite's buffers, which its next step reuses. The
    /// columns read as non-optional are `NOT NULL` in the schema (GRDB stops the process on a NULL
    /// there, as `RecordedEvent.init(row:)` always did).
    init(row: Row) {
        seq = row[0]
        eventId = row[1]
        idempotencyKey = row[2]
        stream = row[3]
        streamVersion = row[4]
        type = row[5]
        typeVersion = row[6]
        data = row[7]
        meta = row[8]
        recordedAtMs = row[9]
        prevHash = row[10]
        hash = row[11]
    }
}
