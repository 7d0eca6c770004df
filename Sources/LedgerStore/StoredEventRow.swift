import Foundation
import GRDB

/// A row of the log copied out of SQLite as stored, not yet decoded (`RecordedEvent.columns`, in
/// that order), for `RecordedEvent.init(stored:previousHash:)`: the keys' text, the compact `data`
/// and `meta` turned back into JSON. A replay's reading thread copies its rows into one buffer
/// instead (`PackedEventRows`), read the same way, and its second core decodes them.
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

    /// The same copy, read where SQLite holds the row (`SQLiteColumns`): a replay's applying
    /// thread, which bounds its speed on a large log, spent 8,100 instructions a row under
    /// callgrind in `init(row:)`'s twelve look-ups through `Row`. The values are `init(row:)`'s
    /// for every row a ledger writes; a damaged one (a NULL or a number where bytes must be)
    /// reads as SQLite converts it rather than stopping the process, and fails its hash.
    init(columns: SQLiteColumns) {
        seq = columns.int64(0)
        eventId = columns.value(1)
        idempotencyKey = columns.optionalText(2)
        stream = columns.value(3)
        streamVersion = columns.int64(4)
        type = columns.value(5)
        typeVersion = Int(truncatingIfNeeded: columns.int64(6))
        data = columns.isNull(7) ? nil : columns.data(7)
        meta = columns.isNull(8) ? nil : columns.data(8)
        recordedAtMs = columns.int64(9)
        prevHash = columns.isNull(10) ? nil : columns.data(10)
        hash = columns.data(11)
    }
}
