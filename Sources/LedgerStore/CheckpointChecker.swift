import Crypto
import Dispatch
import Foundation
import GRDB
import LedgerCore
import Synchronization

/// The checkpoint keys the chain records, as the walk meets them.
struct CheckpointKeys: Sendable {
    struct Recorded: Sendable {
        var seq: Int64
        /// The recorded JWK as a key when it is a P-256 key whose thumbprint is its kid; nil
        /// otherwise. Worked out once per key here, not once per checkpoint it signed: reading
        /// the JWK and its thumbprint was most of checking a checkpoint.
        var key: P256.Signing.PublicKey?
    }

    var byKid: [String: Recorded] = [:]
    var kids: [String] = []

    mutating func note(_ event: RecordedEvent) {
        guard event.type == CheckpointKeyAdded.type, event.stream == CheckpointKeyAdded.stream,
            let added = try? event.payload.decode(as: CheckpointKeyAdded.self), byKid[added.kid] == nil
        else { return }
        let key = CheckpointJWS.publicKey(fromJWK: added.publicJWK).flatMap {
            CheckpointJWS.thumbprint(of: $0) == added.kid ? $0 : nil
        }
        byKid[added.kid] = Recorded(seq: event.seq, key: key)
        kids.append(added.kid)
    }
}

/// Checks checkpoints against a chain already walked and found intact.
///
/// Without the database: the hash of the event a checkpoint names is read beforehand, so the
/// stored checkpoints are checked on both cores (`checkStored`). Reading a JWS and checking its
/// ES256 signature takes about 0.2 ms of CPU per checkpoint, and they were checked on one core
/// after the walk: on a 773,791-event payment ledger (one checkpoint per thousand events) its 756
/// added 0.17 s of CPU to a chain check (median of seven runs with and without them), and in a
/// `perf` timeline the phase took 0.13 s of wall time, 0.065 s on two cores.
struct CheckpointChecker: Sendable {
    let head: Int64
    let ledgerId: String?
    let keys: CheckpointKeys

    /// A `checkpoints` row, with the hash the event at its seq has (nil when there is none).
    struct StoredRow: Sendable {
        var seq: Int64
        var hash: String
        var recordedAtMs: Int64
        var kid: String
        var jws: String
        var eventHash: String?

        static let selection = """
            SELECT c.seq, c.hash, c.recorded_at_ms, c.kid, c.jws, e.hash AS event_hash
            FROM checkpoints c LEFT JOIN events e ON e.seq = c.seq
            """

        init(row: Row) {
            seq = row["seq"]
            hash = row["hash"]
            recordedAtMs = row["recorded_at_ms"]
            kid = row["kid"]
            jws = row["jws"]
            eventHash = (row["event_hash"] as Data?).map { Hex.encode($0) }
        }
    }

    /// What checking every stored checkpoint found.
    struct StoredOutcome: Sendable {
        var checked = 0
        var failures = 0
        /// The lowest seq's failure.
        var first: CheckpointFailure?
        var newestJWS: String?
    }

    /// Stored checkpoints read per page: memory stays a few hundred kB however many there are.
    static let pageRows = 512

    /// Every stored checkpoint, by seq, a page at a time, each page checked on two threads.
    func checkStored(_ db: Database, pageRows: Int = Self.pageRows) throws -> StoredOutcome {
        var outcome = StoredOutcome()
        var afterSeq = Int64.min
        while true {
            let page = try Row.fetchAll(
                db, sql: "\(StoredRow.selection) WHERE c.seq > ? ORDER BY c.seq LIMIT ?",
                arguments: [afterSeq, pageRows]
            ).map(StoredRow.init(row:))
            guard let last = page.last else { return outcome }
            for failure in Self.twoLanes(page, check(stored:)) {
                outcome.checked += 1
                guard let failure else { continue }
                outcome.failures += 1
                if outcome.first == nil { outcome.first = failure }
            }
            outcome.newestJWS = last.jws
            afterSeq = last.seq
        }
    }

    func check(stored row: StoredRow) -> CheckpointFailure? {
        let (read, unreadable) = Self.parse(row.jws, seq: row.seq)
        guard let parsed = read else { return unreadable }
        let payload = parsed.payload
        guard payload.seq == row.seq, payload.hash == row.hash, parsed.header.kid == row.kid,
            payload.recordedAt == RFC3339.string(unixMs: row.recordedAtMs)
        else {
            return CheckpointFailure(
                kind: .malformed, seq: row.seq,
                reason: "the row's seq, hash, kid or time differ from what its JWS signs (the row was edited)")
        }
        return check(parsed, eventHash: { row.eventHash })
    }

    func check(external checkpoint: Checkpoint, _ db: Database) throws -> CheckpointFailure? {
        let (read, unreadable) = Self.parse(checkpoint.jws, seq: checkpoint.seq)
        guard let parsed = read else { return unreadable }
        let payload = parsed.payload
        guard payload.ledgerId == checkpoint.ledgerId, payload.seq == checkpoint.seq, payload.hash == checkpoint.hash,
            payload.recordedAt == checkpoint.recordedAt
        else {
            return CheckpointFailure(
                kind: .malformed, seq: checkpoint.seq,
                reason: "its ledger_id, seq, hash or recorded_at differ from what its JWS signs")
        }
        return try check(parsed) {
            try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [checkpoint.seq]).map {
                Hex.encode($0)
            }
        }
    }

    /// The JWS read, or why it cannot be: a checkpoint (at the `seq` its row or its file names)
    /// that is malformed.
    private static func parse(_ jws: String, seq: Int64) -> (CheckpointJWS.Parsed?, CheckpointFailure?) {
        do {
            return (try CheckpointJWS.parse(jws), nil)
        } catch {
            return (nil, CheckpointFailure(kind: .malformed, seq: seq, reason: "its JWS cannot be read: \(error)"))
        }
    }

    /// In order: a recorded key's signature, then the ledger, then the position, then that the key
    /// is one the log records, then the hash (`eventHash`: the event's at the checkpoint's seq).
    private func check(_ parsed: CheckpointJWS.Parsed, eventHash: () throws -> String?) rethrows -> CheckpointFailure? {
        let payload = parsed.payload
        let seq = payload.seq
        let kid = parsed.header.kid
        let key = keys.byKid[kid]
        if let key {
            guard let publicKey = key.key else {
                return CheckpointFailure(
                    kind: .unknownKey, seq: seq, reason: "the key recorded as \(kid) at seq \(key.seq) is not that key")
            }
            if let problem = CheckpointJWS.signatureProblem(parsed, key: publicKey) {
                return CheckpointFailure(kind: .badSignature, seq: seq, reason: problem)
            }
        }
        guard payload.ledgerId == ledgerId else {
            return CheckpointFailure(
                kind: .otherLedger, seq: seq,
                reason:
                    "it is of ledger \(payload.ledgerId), this log's first event makes it \(ledgerId ?? "none (the log is empty)")"
            )
        }
        guard seq <= head else {
            return CheckpointFailure(
                kind: .beyondHead, seq: seq,
                reason: "it is beyond the log's head at seq \(head): the log was cut back")
        }
        guard let key else {
            return CheckpointFailure(
                kind: .unknownKey, seq: seq, reason: "it is signed by \(kid), which the log does not record as a checkpoint key")
        }
        guard key.seq <= seq else {
            return CheckpointFailure(
                kind: .unknownKey, seq: seq,
                reason: "it is signed by \(kid), which the log records only from seq \(key.seq) on")
        }
        let hash = try eventHash()
        guard hash == payload.hash else {
            return CheckpointFailure(
                kind: .hashDiffers, seq: seq,
                reason:
                    "the event at seq \(seq) has hash \(hash ?? "none"), the checkpoint signed \(payload.hash): the log was rewritten at or before seq \(seq)"
            )
        }
        return nil
    }

    /// `items.map(transform)`, the second half on another thread. `concurrentPerform` runs
    /// iterations on the calling thread too, so this finishes even when no other thread is free
    /// (the root queue it shares with Swift's cooperative pool on Linux may have none: see
    /// `ChainCheck.HashingPipeline`); it is then as slow as a plain map, never stuck.
    static func twoLanes<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ transform: @Sendable (Item) -> Result
    ) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let middle = items.count / 2
        let halves = Mutex<[[Result]]>([[], []])
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            let results = (lane == 0 ? items[..<middle] : items[middle...]).map(transform)
            halves.withLock { $0[lane] = results }
        }
        return halves.withLock { $0[0] + $0[1] }
    }
}
