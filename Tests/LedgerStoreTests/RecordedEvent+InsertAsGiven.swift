import Foundation
import GRDB

@testable import LedgerStore

extension RecordedEvent {
    /// Inserts the row with its keys and link as given, past `insert`'s packing: keys as their
    /// text and `prevHash` stored or not, as a build from before a storage change wrote it (its
    /// `type` and JSON as this build stores them). The log's triggers judge it as they would that
    /// build's insert.
    func insertAsGiven(prevHash: Data?, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO events (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                seq, eventId, idempotencyKey, stream, streamVersion, EventTypeStorage.stored(type: type), typeVersion,
                data, meta, recordedAtMs,
                prevHash, hash,
            ])
    }
}
