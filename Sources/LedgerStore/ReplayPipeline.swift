import Dispatch
import Foundation
import GRDB
import LedgerCore

/// `ChainWalk` for replays, on two cores. Most of a replayed event's CPU is not the database but
/// JSON: decoding the payload and the metadata, mapping and encoding the NEN 7513 record (about
/// half of it in a profile of a payment ledger's replay), and the hash. None of that needs the
/// database, so a serial queue (a thread of its own) prepares the next batch of events while this
/// thread applies the current one to the projections.
///
/// Preparing is best effort: what cannot be prepared (an unknown type, bad JSON, a version newer
/// than this build) is left nil, and the projection does it in line as it always did, so a replay
/// fails at the same event with the same error. Links and `seq` are checked here, in order, with
/// `ChainWalk`'s reasons; no event after a break is handed on.
enum ReplayPipeline {
    /// Events per batch: big enough that a hand-over costs nothing next to the work, small enough
    /// that the batches in flight are a few megabytes whatever the log's size.
    static let batchSize = 512
    /// Batches read and handed to the queue beyond the one being applied, so that an uneven
    /// batch on one side does not leave the other waiting.
    static let batchesAhead = 3

    private final class Batch: @unchecked Sendable {
        // Written by the queue before `prepared` is signalled, read by the walk only after it
        // has waited for it: the semaphore orders the two.
        var events: [RecordedEvent]
        var hashMatches: [Bool] = []
        /// What stopped reading after these events (a bad row, an SQLite error): thrown once
        /// they are applied, where a walk one row at a time would have met it.
        let readError: (any Error)?
        let prepared = DispatchSemaphore(value: 0)

        init(_ events: [RecordedEvent], readError: (any Error)?) {
            self.events = events
            self.readError = readError
        }
    }

    static func walk(
        _ db: Database, untilSeq: Int64 = .max, untilMs: Int64 = .max, checkingHashes: Bool = true,
        progress: (@Sendable (Int64) -> Void)? = nil, _ body: (RecordedEvent) throws -> Void
    ) throws -> ChainBreak? {
        let queue = DispatchQueue(label: "grantledger.replay.prepare")
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(RecordedEvent.columns) FROM events WHERE seq <= ? ORDER BY seq", arguments: [untilSeq])
        var exhausted = false
        // The hash of the row read last: the `prev_hash` of a row that does not store it
        // (event_links_v1). A row read out of order is reported as missing before its link counts.
        var lastReadHash = EventHasher.genesis

        /// Reads the next batch and hands it to the queue; nil once the log (or the bound) ends.
        func nextBatch() throws -> Batch? {
            guard !exhausted else { return nil }
            var events: [RecordedEvent] = []
            events.reserveCapacity(batchSize)
            var readError: (any Error)?
            do {
                while events.count < batchSize {
                    guard let row = try rows.next() else {
                        exhausted = true
                        break
                    }
                    let event = try RecordedEvent(row: row, previousHash: lastReadHash)
                    lastReadHash = event.hash
                    if event.recordedAtMs > untilMs {
                        exhausted = true
                        break
                    }
                    events.append(event)
                }
            } catch {
                // Read ahead of the events still to apply: an earlier break or projection error
                // must win, so this is thrown only when the walk gets here.
                readError = error
                exhausted = true
            }
            guard !events.isEmpty || readError != nil else { return nil }
            let batch = Batch(events, readError: readError)
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
            for (index, event) in batch.events.enumerated() {
                if event.seq != expectedSeq {
                    return ChainBreak(seq: expectedSeq, reason: "missing: the next row is seq \(event.seq)")
                }
                if event.prevHash != previousHash {
                    return ChainBreak(
                        seq: event.seq, reason: "prev_hash does not equal the hash of seq \(event.seq - 1)")
                }
                if checkingHashes, !batch.hashMatches[index] {
                    return ChainBreak(
                        seq: event.seq, reason: "hash does not match the row's contents (the row was altered)")
                }
                try body(event)
                previousHash = event.hash
                expectedSeq += 1
                if let progress, event.seq % ChainWalk.progressInterval == 0 { progress(event.seq) }
            }
            if let error = batch.readError { throw error }
        }
        return nil
    }

    /// Everything about an event that needs no database: its hash, its typed payload, its
    /// metadata, its audit record.
    private static func prepare(_ batch: Batch, checkingHashes: Bool) {
        if checkingHashes { batch.hashMatches = batch.events.map { EventHasher.hash(of: $0) == $0.hash } }
        for index in batch.events.indices {
            var event = batch.events[index]
            event.domainEvent = try? KnownEvents.decode(event.payload)
            event.storedMetadata = try? CanonicalJSON.decode(EventMetadata.self, from: event.meta)
            event.auditRow = try? AuditRecordsProjection.row(for: event, typed: event.domainEvent)
            batch.events[index] = event
        }
    }
}
