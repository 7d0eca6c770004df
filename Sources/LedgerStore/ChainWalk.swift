import Foundation
import GRDB

/// Where the chain first stops adding up.
public struct ChainBreak: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int64
    public var reason: String
    public var description: String { "seq \(seq): \(reason)" }
}

/// Reads the log in order, checking every link, and hands each good event on, one row at a
/// time. The reference the faster walks are tested against: replays use `ReplayPipeline`, the
/// chain check `ChainCheck`.
enum ChainWalk {
    /// Progress is reported every this many events.
    static let progressInterval: Int64 = 100_000

    /// Returns the first break, if any; events after a break are not handed on. `checkingHashes:
    /// false` skips the hashes (of a snapshot `ChainCheck` has checked).
    static func walk(
        _ db: Database, untilSeq: Int64 = .max, untilMs: Int64 = .max, checkingHashes: Bool = true,
        progress: (@Sendable (Int64) -> Void)? = nil, _ body: (RecordedEvent) throws -> Void
    ) throws -> ChainBreak? {
        var expectedSeq: Int64 = 1
        var previousHash = EventHasher.genesis
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(RecordedEvent.columns) FROM events WHERE seq <= ? ORDER BY seq", arguments: [untilSeq])
        while let row = try rows.next() {
            let event = try RecordedEvent(row: row, previousHash: previousHash)
            if event.recordedAtMs > untilMs { break }
            if event.seq != expectedSeq {
                return ChainBreak(seq: expectedSeq, reason: "missing: the next row is seq \(event.seq)")
            }
            if event.prevHash != previousHash {
                return ChainBreak(seq: event.seq, reason: "prev_hash does not equal the hash of seq \(event.seq - 1)")
            }
            if checkingHashes, EventHasher.hash(of: event) != event.hash {
                return ChainBreak(
                    seq: event.seq, reason: "hash does not match the row's contents (the row was altered)")
            }
            try body(event)
            previousHash = event.hash
            expectedSeq += 1
            if let progress, event.seq % progressInterval == 0 { progress(event.seq) }
        }
        return nil
    }
}
