import Dispatch
import Foundation
import GRDB
import LedgerCore

/// `ChainWalk` for replays, on two cores. Most of a replayed event's CPU is not the database but
/// JSON: decoding the payload and the metadata, mapping and encoding the NEN 7513 record (about
/// half of it in a profile of a payment ledger's replay), and the hash. None of that needs the
/// database, so a serial queue (a thread of its own) prepares the next batch of events while this
/// thread applies the current one to the projections. This thread only copies the rows out of
/// the cursor (`PackedEventRows`); the queue decodes them too, and frees each batch once applied.
///
/// Preparing is best effort: what cannot be prepared (an unknown type, bad JSON, a version newer
/// than this build) is left nil, and the projection does it in line as it always did, so a replay
/// fails at the same event with the same error. Links and `seq` are checked here, in order, with
/// `ChainWalk`'s reasons; no event after a break is handed on.
enum ReplayPipeline {
    /// Events per batch: big enough that a hand-over costs nothing next to the work, small enough
    /// that the batches in flight are a few megabytes whatever the log's size.
    static let batchSize = 512
    /// The stored bytes a batch takes at most (past its first row), so that the batches in flight
    /// stay a few megabytes whatever the rows hold: the store does not bound a row's size (the
    /// surfaces bound what they append: a reported access's `data` to 4,096 bytes, for one).
    /// A payment's row is about 300 bytes, so its batches end at their count.
    static let batchBytesMax = 8 << 20
    /// Batches read and handed to the queue beyond the one being applied, so that an uneven
    /// batch on one side does not leave the other waiting.
    static let batchesAhead = 3

    private final class Batch: @unchecked Sendable {
        /// The rows as read; the queue decodes them into `events`, then lets them go.
        var rows: PackedEventRows?
        /// The hash of the row read before the first: the `prev_hash` of a first row that does
        /// not store it (event_links_v1).
        let previousHash: Data
        // Written by the queue before `prepared` is signalled, read by the walk only after it
        // has waited for it: the semaphore orders the two.
        var events: [RecordedEvent] = []
        var hashMatches: [Bool] = []
        /// The row that could not be decoded (no event id, stream or type): its events stop
        /// before it, and the walk throws it once they are applied, as a walk one row at a
        /// time would have met it.
        var decodeError: (any Error)?
        /// What stopped reading after these rows (an SQLite error): thrown likewise.
        let readError: (any Error)?
        let prepared = DispatchSemaphore(value: 0)

        init(_ rows: PackedEventRows, previousHash: Data, readError: (any Error)?) {
            self.rows = rows
            self.previousHash = previousHash
            self.readError = readError
        }
    }

    /// Whether a batch of `rows` rows taking `bytes` stored bytes takes no more: `batchSize` rows,
    /// or `bytesMax` bytes (a batch has at least one row, however large).
    static func isFull(rows: Int, bytes: Int, bytesMax: Int) -> Bool {
        rows >= batchSize || (rows > 0 && bytes >= bytesMax)
    }

    static func walk(
        _ db: Database, untilSeq: Int64 = .max, untilMs: Int64 = .max, checkingHashes: Bool = true,
        batchBytesMax: Int = ReplayPipeline.batchBytesMax, progress: (@Sendable (Int64) -> Void)? = nil,
        _ body: (RecordedEvent) throws -> Void
    ) throws -> ChainBreak? {
        let queue = DispatchQueue(label: "grantledger.replay.prepare")
        let statement = try db.makeStatement(
            sql: "SELECT \(RecordedEvent.columns) FROM events WHERE seq <= ? ORDER BY seq")
        let rows = try Row.fetchCursor(statement, arguments: [untilSeq])
        // Each row read where the cursor's statement stands on it, past `Row`'s look-ups.
        let columns = SQLiteColumns(sqlite: statement.sqliteStatement)
        var exhausted = false
        // The hash of the row read last: the `prev_hash` of a row that does not store it
        // (event_links_v1). A row read out of order is reported as missing before its link counts.
        var lastReadHash = EventHasher.genesis

        /// Reads the next batch and hands it to the queue; nil once the log (or the bound) ends.
        func nextBatch() throws -> Batch? {
            guard !exhausted else { return nil }
            let previousHash = lastReadHash
            let stored = PackedEventRows(rowCapacity: batchSize)
            var readError: (any Error)?
            do {
                // The rows' bytes copied as they are; the queue decodes them into events.
                defer { if let last = stored.lastHash { lastReadHash = last } }
                while !isFull(rows: stored.count, bytes: stored.byteCount, bytesMax: batchBytesMax) {
                    guard try rows.next() != nil else {
                        exhausted = true
                        break
                    }
                    if columns.int64(9) > untilMs {
                        // A walk one row at a time decodes the row before it compares its time:
                        // one that cannot be decoded fails there (thrown once the batch is applied).
                        let previous = stored.lastHash ?? lastReadHash
                        _ = try RecordedEvent(stored: StoredEventRow(columns: columns), previousHash: previous)
                        exhausted = true
                        break
                    }
                    stored.append(columns)
                }
            } catch {
                // Read ahead of the events still to apply: an earlier break or projection error
                // must win, so this is thrown only when the walk gets here.
                readError = error
                exhausted = true
            }
            guard stored.count > 0 || readError != nil else { return nil }
            let batch = Batch(stored, previousHash: previousHash, readError: readError)
            queue.async {
                prepare(batch, checkingHashes: checkingHashes)
                batch.prepared.signal()
            }
            return batch
        }

        var expectedSeq: Int64 = 1
        var previousHash = EventHasher.genesis
        var pending: [Batch] = []
        pending.reserveCapacity(batchesAhead + 1)
        while true {
            // The next batches are read and handed over before this one is applied, so the queue
            // prepares them meanwhile; with a few in hand neither side waits for the other's
            // slower batches. A batch left behind by a throw finishes on its own.
            while pending.count <= batchesAhead, let next = try nextBatch() { pending.append(next) }
            guard !pending.isEmpty else { break }
            let batch = pending.removeFirst()
            batch.prepared.wait()
            // Each event read where the array holds it, and moved out of it for `body` and back
            // in after: iterating the array (`enumerated()`) copied every event out of it, a
            // retain of each of its two dozen references and a release after, 4 % of this
            // thread's samples in `perf`; handed to `body` where the array holds it, it was still
            // copied for the call (the compiler cannot tell that `body` leaves memory it reaches
            // through a pointer alone), 5 %.
            // Read through the batch, not a local copy of its arrays: a local could outlive the
            // queue's emptying of the batch below, and this thread would then free the events.
            let chainBreak = try batch.events.withUnsafeMutableBufferPointer { events -> ChainBreak? in
                for index in events.indices {
                    if events[index].seq != expectedSeq {
                        return ChainBreak(seq: expectedSeq, reason: "missing: the next row is seq \(events[index].seq)")
                    }
                    if events[index].prevHash != previousHash {
                        return ChainBreak(
                            seq: events[index].seq,
                            reason: "prev_hash does not equal the hash of seq \(events[index].seq - 1)")
                    }
                    if checkingHashes, !batch.hashMatches[index] {
                        return ChainBreak(
                            seq: events[index].seq,
                            reason: "hash does not match the row's contents (the row was altered)")
                    }
                    let slot = events.baseAddress! + index
                    let event = slot.move()
                    do {
                        try body(event)
                    } catch {
                        slot.initialize(to: consume event)
                        throw error
                    }
                    previousHash = event.hash
                    slot.initialize(to: consume event)
                    expectedSeq += 1
                    if let progress, events[index].seq % ChainWalk.progressInterval == 0 { progress(events[index].seq) }
                }
                return nil
            }
            if let chainBreak { return chainBreak }
            if let error = batch.decodeError ?? batch.readError { throw error }
            // Freeing a batch's events (their JSON, typed events, metadata and audit rows) was a
            // tenth of this thread's samples in `perf`: the queue frees it, after the batches it
            // is preparing. This thread's reference is gone by the time it gets there.
            queue.async {
                // Emptied here, in the queue's order, whichever thread drops the last reference.
                batch.events = []
                batch.hashMatches = []
            }
        }
        return nil
    }

    /// Everything about an event that needs no database: its hash, its typed payload, its
    /// metadata, its audit record.
    private static func prepare(_ batch: Batch, checkingHashes: Bool) {
        guard let rows = batch.rows else { preconditionFailure("a batch is prepared once") }
        var events: [RecordedEvent] = []
        events.reserveCapacity(rows.count)
        var previousHash = batch.previousHash
        // Each row made here from the bytes the reading thread copied, and each event moved into
        // its array: copies of events (a retain and a release of every reference they hold) were
        // a tenth of this thread's samples in `perf`.
        for index in 0..<rows.count {
            do {
                events.append(try prepared(rows, index, previousHash: previousHash))
            } catch {
                batch.decodeError = error
                break
            }
            previousHash = events[events.count - 1].hash
        }
        // Hashed once the batch's events are made: hashing each event as it was made was slower
        // on the clock in two builds (1.01-1.05 x), for fewer instructions. Each is hashed where
        // it lies (`hash(at:)`): passed as a value read through the buffer, the whole event was
        // copied for the call and destroyed after it (2,300 instructions an event, 1.3 % of a
        // replay's under callgrind).
        if checkingHashes {
            batch.hashMatches = events.withUnsafeBufferPointer { events in
                events.indices.map { index in
                    let event = events.baseAddress! + index
                    return EventHasher.hash(at: event) == event.pointee.hash
                }
            }
        }
        batch.events = events
        batch.rows = nil
    }

    /// A row decoded into its event, with its typed payload, metadata and audit record. Returned
    /// rather than made in the loop: the value returned moves into the batch's array, where a
    /// local one was copied into it and then destroyed.
    private static func prepared(_ rows: PackedEventRows, _ index: Int, previousHash: Data) throws -> RecordedEvent {
        var event = try RecordedEvent(packed: rows, at: index, previousHash: previousHash)
        event.domainEvent = try? KnownEvents.decode(event.payload)
        event.storedMetadata = try? CanonicalJSON.decode(EventMetadata.self, from: event.meta)
        event.auditRow = try? AuditRecordsProjection.row(for: event, typed: event.domainEvent)
        return event
    }
}
