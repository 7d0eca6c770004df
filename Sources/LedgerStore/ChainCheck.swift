import Crypto
import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The hash chain checked as fast as the log can be read: what `verify` does first, and all that
/// `verify --chain-only` does.
///
/// `ChainWalk` decodes every row into a `RecordedEvent` (strings and `Data` allocated per column)
/// because replay needs them. Checking the chain needs only the bytes: this reads the columns
/// straight from SQLite's buffers into one canonical-encoding buffer per batch, and hashes the
/// batches on the other core while the next one is read. Each row's `prev_hash` is the hash of the
/// row before (stored in rows written before event_links_v1), so the links are checked as rows
/// are read and the hashes in parallel; the first break by `seq` wins, with the same reasons, in
/// the same order, as `ChainWalk`.
enum ChainCheck {
    struct Outcome {
        var eventCount: Int64
        var chainBreak: ChainBreak?
        /// The rows of the type `run` was asked to note, decoded (the checkpoint keys), up to the break.
        var noted: [RecordedEvent]
    }

    /// Rows hashed per batch: big enough that handing a batch over costs nothing, small enough
    /// that the batches in flight stay a few MB for ordinary rows.
    static let batchRows = 2048
    /// And at most about this many bytes of encodings, whatever the rows hold (a reported audit
    /// batch may be megabytes): three batches alive at once stay a few tens of MB.
    static let batchBytes = 8 << 20

    /// `batchesInFlight` is how many batches the hashing thread may hold; past it the reader hashes
    /// the next one itself (0: the reader hashes every batch, as tests check that path).
    static func run(
        _ db: Database, noting notedType: String? = nil, batchesInFlight: Int = 2,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) throws -> Outcome {
        let statement = try db.makeStatement(sql: "SELECT \(RecordedEvent.columns) FROM events ORDER BY seq")
        // `sqlite` points into `statement`, which must outlive every use of it.
        defer { withExtendedLifetime(statement) {} }
        let sqlite = statement.sqliteStatement
        let hashing = HashingPipeline(batchesInFlight: batchesInFlight)
        var batch = Batch(capacityRows: batchRows)
        var expectedSeq: Int64 = 1
        // The row before's stored hash (of any length: a damaged one is hashed as it is).
        let previousHash = GrowableBytes(capacity: 32)
        EventHasher.genesis.withUnsafeBytes { previousHash.append($0) }
        var linkBreak: ChainBreak?
        // Rows of the noted type, by seq, with the hash before each: read again after the walk.
        var notedRows: [(seq: Int64, previousHash: Data)] = []
        let notedBytes = notedType.map { Array($0.utf8) }
        let notedCode = notedType.flatMap(EventTypeStorage.code(ofType:))

        // SQLite stepped here, not through GRDB's cursor, which retained and released its `Row`
        // and went through GRDB's statement bookkeeping for every row (a plain read, in the
        // read transaction the caller holds).
        while true {
            let stepped = sqlite3_step(sqlite)
            if stepped == SQLITE_DONE { break }
            guard stepped == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: stepped), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: statement.sql)
            }
            let seq = sqlite3_column_int64(sqlite, 0)
            if seq != expectedSeq {
                linkBreak = ChainBreak(seq: expectedSeq, reason: "missing: the next row is seq \(seq)")
                break
            }
            // Rows written since event_links_v1 keep no prev_hash: their link is the row before's
            // hash by construction, and a change to either row breaks a hash.
            if sqlite3_column_type(sqlite, 10) != SQLITE_NULL, !ColumnBytes(sqlite, 10).equals(previousHash.buffer) {
                linkBreak = ChainBreak(seq: seq, reason: "prev_hash does not equal the hash of seq \(seq - 1)")
                break
            }
            // Asked before the column is read: SQLite leaves the type undefined after a conversion.
            let typeIsCode = sqlite3_column_type(sqlite, 5) == SQLITE_BLOB
            batch.append(row: sqlite, seq: seq, previousHash: previousHash.buffer, typeIsCode: typeIsCode)
            let type = ColumnBytes(sqlite, 5)
            let isNoted =
                typeIsCode
                ? notedCode.map { code in type.withBuffer { $0.count == 1 && $0[0] == code } } == true
                : notedBytes.map { type.equals($0) } == true
            if isNoted { notedRows.append((seq, Data(previousHash.buffer))) }
            previousHash.removeAll()
            ColumnBytes(sqlite, 11).withBuffer { previousHash.append($0) }
            if batch.count == batchRows || batch.bytes.count >= batchBytes {
                hashing.submit(batch)
                batch = Batch(capacityRows: batchRows)
            }
            expectedSeq += 1
            if let progress, seq % ChainWalk.progressInterval == 0 { progress(seq) }
        }
        if batch.count > 0 { hashing.submit(batch) }
        let hashBreak = hashing.finish()

        // The first break by seq; at the same seq a link break is reported first, as ChainWalk does.
        let chainBreak: ChainBreak? =
            switch (linkBreak, hashBreak) {
            case (nil, nil): nil
            case (let link?, nil): link
            case (nil, let hash?): hash
            case (let link?, let hash?): hash.seq < link.seq ? hash : link
            }
        let intactCount = chainBreak.map { $0.seq - 1 } ?? (expectedSeq - 1)
        let noted = try notedRows.filter { $0.seq <= intactCount }.map { seq, previousHash in
            let row = try Row.fetchOne(
                db, sql: "SELECT \(RecordedEvent.columns) FROM events WHERE seq = ?", arguments: [seq])
            guard let row else { throw DatabaseError(message: "event \(seq) is gone from the snapshot it was read in") }
            return try RecordedEvent(row: row, previousHash: previousHash)
        }
        return Outcome(eventCount: intactCount, chainBreak: chainBreak, noted: noted)
    }

    /// Hashes submitted batches on a thread of its own, at most two in flight so memory stays
    /// bounded (a third is hashed by the reader), and keeps the lowest seq whose hash did not
    /// match.
    ///
    /// A serial queue, not a concurrent one: on Linux a concurrent queue runs on the same root
    /// queue as Swift's cooperative pool (as wide as the cores), and the reader waits for the
    /// hashing (in `finish`; it used to in `submit` too) from a pool thread, so two checks at once
    /// on two cores waited for hashing that had no thread left to run on (a whole test run hung).
    /// A serial queue gets its own thread.
    final class HashingPipeline: Sendable {
        private let queue = DispatchQueue(label: "grantledger.chain-check")
        private let group = DispatchGroup()
        private let inFlight: DispatchSemaphore
        private let firstMismatch = Mutex<Int64?>(nil)

        init(batchesInFlight: Int) { inFlight = DispatchSemaphore(value: batchesInFlight) }

        /// Hands `batch` to the hashing thread, or, when it holds as many as it may already,
        /// hashes it on the calling thread instead of waiting: the reader's own work is about
        /// half of a check's, so waiting left a core idle whenever hashing fell behind.
        func submit(_ batch: Batch) {
            guard inFlight.wait(timeout: .now()) == .success else { return note(batch.firstMismatch()) }
            queue.async(group: group) { [self] in
                defer { inFlight.signal() }
                note(batch.firstMismatch())
            }
        }

        private func note(_ mismatch: Int64?) {
            guard let seq = mismatch else { return }
            firstMismatch.withLock { current in current = min(current ?? .max, seq) }
        }

        func finish() -> ChainBreak? {
            group.wait()
            return firstMismatch.withLock { $0 }.map {
                ChainBreak(seq: $0, reason: "hash does not match the row's contents (the row was altered)")
            }
        }
    }
}
