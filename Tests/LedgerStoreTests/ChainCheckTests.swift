import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Synchronization
import Testing

@testable import LedgerStore

/// `ChainCheck` (columns hashed where SQLite holds them, batches hashed on another core) must
/// find exactly the break `ChainWalk` (the reference, one decoded row at a time) finds.
@Suite struct ChainCheckTests {
    /// More rows than two batches, so breaks land in the first, a middle and the last batch.
    static let rowCount = Int64(ChainCheck.batchRows * 2 + 500)

    /// A log of `rowCount` chained events, idempotency keys on every third, in a scratch database.
    static func log() throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try Schema.migrator.migrate(db)
        try db.write { db in
            var previousHash = EventHasher.genesis
            for seq in 1...rowCount {
                let event = RecordedEvent(
                    seq: seq, eventId: eventId(seq), idempotencyKey: seq % 3 == 0 ? "key-\(seq)" : nil,
                    stream: stream(seq), streamVersion: seq / 17 + 1, type: "ConnectionGranted",
                    typeVersion: 1, data: Data((seq % 2 == 0 ? compactData(seq) : #"{"note":"ünïcode c\#(seq)"}"#).utf8),
                    meta: Data(#"{"request_id":"r\#(seq)"}"#.utf8), recordedAtMs: 1_700_000_000_000 + seq,
                    prevHash: previousHash)
                try event.insert(db)
                previousHash = event.hash
            }
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "DROP TRIGGER events_refuse_delete")
            // Two rows in five store their link, as rows written before event_links_v1 do; one
            // in seven its type as text, as rows written before event_types_v1 do.
            try db.execute(sql: "UPDATE events SET prev_hash = \(storedLink) WHERE seq % 5 < 2")
            try db.execute(sql: "UPDATE events SET type = 'ConnectionGranted' WHERE seq % 7 = 0")
        }
        return db
    }

    /// The `prev_hash` a row written before event_links_v1 stores: the hash of the row before.
    static let storedLink = "COALESCE((SELECT p.hash FROM events AS p WHERE p.seq = events.seq - 1), zeroblob(32))"

    /// Every other id a UUID (kept as its 16 bytes), the rest text, as in a ledger written before
    /// `EventKeyStorage` and extended after it.
    static func eventId(_ seq: Int64) -> String {
        seq % 2 == 0 ? "01a22f63-55a6-792e-a0ba-\(String(format: "%012llx", seq))" : "event-\(seq)"
    }

    /// Streams of both forms too: `connection/<uuid>` (packed) for an even `seq % 17`.
    static func stream(_ seq: Int64) -> String {
        let key = seq % 17
        return key % 2 == 0 ? "connection/01a22f63-0000-7000-8000-\(String(format: "%012llx", key))" : "connection/c\(key)"
    }

    /// Data the storage codec keeps compact (a UUID, a known key): every other row is stored so,
    /// the rest as text, as in a ledger written before the codec and extended after it.
    static func compactData(_ seq: Int64) -> String {
        let suffix = String(String(seq, radix: 16).reversed()).padding(toLength: 12, withPad: "0", startingAt: 0)
        return #"{"connection_id":"01a22f63-55a6-792e-a0ba-\#(suffix)","note":"ünïcode"}"#
    }

    @Test func theLogHoldsCompactRowsAndTextRows() throws {
        let kinds = try Self.log().read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT typeof(data), COUNT(*) FROM events GROUP BY 1")
                .map { ($0[0] as String, $0[1] as Int) })
        }
        #expect(kinds == ["blob": Int(Self.rowCount / 2), "text": Int(Self.rowCount - Self.rowCount / 2)])
        let keyKinds = try Self.log().read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT typeof(event_id), typeof(stream) FROM events ORDER BY 1, 2")
                .map { "\($0[0] as String) \($0[1] as String)" }
        }
        #expect(keyKinds == ["blob blob", "blob text", "text blob", "text text"])
        let links = try Self.log().read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE prev_hash IS NULL")
        }
        #expect(links == Int(Self.rowCount) - Int((1...Self.rowCount).filter { $0 % 5 < 2 }.count))
    }

    /// What each tampering does to the log, and the break it must be reported as.
    static let tamperings: [(name: String, sql: String, seq: Int64?, reason: String?)] = [
        ("intact", "SELECT 1", nil, nil),
        ("data edited in the first batch", "UPDATE events SET data = 'x' WHERE seq = 7", 7, "hash does not match"),
        ("meta edited in the last batch", "UPDATE events SET meta = '{}' WHERE seq = 4500", 4500, "hash does not match"),
        // Compact bytes: one that decodes to other JSON, one cut short that does not decode.
        ("compact data edited", "UPDATE events SET data = X'017B7D' WHERE seq = 9", 9, "hash does not match"),
        ("compact meta cut short", "UPDATE events SET meta = X'010201' WHERE seq = 2500", 2500, "hash does not match"),
        ("a key removed", "UPDATE events SET idempotency_key = NULL WHERE seq = 3000", 3000, "hash does not match"),
        ("a key added", "UPDATE events SET idempotency_key = 'k' WHERE seq = 3001", 3001, "hash does not match"),
        ("time moved", "UPDATE events SET recorded_at = recorded_at + 1 WHERE seq = 2048", 2048, "hash does not match"),
        ("type_version changed", "UPDATE events SET type_version = 2 WHERE seq = 2049", 2049, "hash does not match"),
        ("a hash zeroed", "UPDATE events SET hash = zeroblob(32) WHERE seq = 100", 100, "hash does not match"),
        // The keys: seq 10's id and seq 2052's stream (2052 % 17 = 12) are kept as bytes.
        (
            "a packed event id edited", "UPDATE events SET event_id = X'00112233445566778899AABBCCDDEEFF' WHERE seq = 10",
            10, "hash does not match"
        ),
        ("a packed event id cut short", "UPDATE events SET event_id = X'0011' WHERE seq = 12", 12, "hash does not match"),
        ("a packed stream cut short", "UPDATE events SET stream = X'0B636F6E6E' WHERE seq = 2052", 2052, "hash does not match"),
        (
            "keys moved from bytes to their text",
            "UPDATE events SET event_id = '\(eventId(3000))' WHERE seq = 3000; "
                + "UPDATE events SET stream = '\(stream(2052))' WHERE seq = 2052", nil, nil
        ),
        ("a link broken", "UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 4000", 4000, "prev_hash"),
        // Links: 4003 and 4103 keep none (event_links_v1), 4001 stores its own.
        ("a wrong link stored where none was", "UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 4003", 4003, "prev_hash"),
        ("the right link stored where none was", "UPDATE events SET prev_hash = \(storedLink) WHERE seq = 4003", nil, nil),
        ("a stored link dropped", "UPDATE events SET prev_hash = NULL WHERE seq = 4001", nil, nil),
        ("a hash zeroed before a row that keeps no link", "UPDATE events SET hash = zeroblob(32) WHERE seq = 4102", 4102, "hash does not match"),
        ("a row deleted", "DELETE FROM events WHERE seq = 3500", 3500, "missing"),
        ("the first row deleted", "DELETE FROM events WHERE seq = 1", 1, "missing"),
        (
            "hash breaks in the first and the last batch",
            "UPDATE events SET data = 'x' WHERE seq IN (4590, 1500)", 1500, "hash does not match"
        ),
        (
            "a hash break in the first batch before a link break in the last",
            "UPDATE events SET data = 'x' WHERE seq = 1000; UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 4400",
            1000, "hash does not match"
        ),
        (
            "a hash edit before a link edit",
            "UPDATE events SET hash = zeroblob(32) WHERE seq = 4100; UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 200",
            200, "prev_hash"
        ),
    ]

    /// Each tampering with the hashing thread taking batches (2, as `verify` runs) and with the
    /// reader hashing every batch itself (0: the path it takes when hashing falls behind).
    /// One case at a time: each check hashes on the thread that runs it, and 32 of them at once
    /// held the cooperative pool's two threads for over a minute, so that other suites' servers
    /// (the gateway's, the browser's) missed their timeouts.
    @Test(.serialized, arguments: tamperings, [2, 0])
    func findsTheSameFirstBreakAsTheReferenceWalk(
        tampering: (name: String, sql: String, seq: Int64?, reason: String?), batchesInFlight: Int
    ) throws {
        let db = try Self.log()
        try db.write { try $0.execute(sql: tampering.sql) }
        let (fast, reference, walked) = try db.read { db in
            var walked: Int64 = 0
            let reference = try ChainWalk.walk(db) { _ in walked += 1 }
            return (try ChainCheck.run(db, batchesInFlight: batchesInFlight), reference, walked)
        }
        #expect(fast.chainBreak == reference, "\(tampering.name)")
        #expect(fast.chainBreak?.seq == tampering.seq, "\(tampering.name)")
        if let reason = tampering.reason {
            #expect(fast.chainBreak?.reason.contains(reason) == true, "\(tampering.name): \(String(describing: fast.chainBreak))")
        }
        #expect(fast.eventCount == walked, "\(tampering.name): the events before the break")
    }

    /// A row rewritten with a hash made to match it: the next row keeps no link, and its own
    /// hash, over the rewritten row's hash, no longer matches. Its `data` is either short or
    /// larger than a batch's whole starting buffer (`GrowableBytes` grows under it): if the row
    /// were laid out wrong, the break would be at the row itself.
    @Test(arguments: [2, 0], [20, 3 << 20])
    func aRowRewrittenWithAMatchingHashBreaksTheNextRow(batchesInFlight: Int, noteBytes: Int) throws {
        #expect(noteBytes < ChainCheck.batchBytes)
        let db = try Self.log()
        // 4102 % 5 and 4103 % 5 are 2 and 3: neither row stores a link.
        try db.write { db in
            let previous = try #require(try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = 4101"))
            let row = try #require(
                try Row.fetchOne(db, sql: "SELECT \(RecordedEvent.columns) FROM events WHERE seq = 4102"))
            var event = try RecordedEvent(row: row, previousHash: previous)
            event.data = Data(#"{"note":"\#(String(repeating: "r", count: noteBytes))"}"#.utf8)
            event.hash = EventHasher.hash(of: event)
            // `meta` as text too: stored compact, it may copy from the `data` stored beside it.
            try db.execute(
                sql: "UPDATE events SET data = ?, meta = ?, hash = ? WHERE seq = 4102",
                arguments: [String(decoding: event.data, as: UTF8.self), String(decoding: event.meta, as: UTF8.self), event.hash])
        }
        let (fast, reference) = try db.read { db in
            (try ChainCheck.run(db, batchesInFlight: batchesInFlight), try ChainWalk.walk(db) { _ in })
        }
        #expect(fast.chainBreak == reference)
        #expect(fast.chainBreak?.seq == 4103)
        #expect(fast.chainBreak?.reason.contains("hash does not match") == true)
    }

    @Test func notesTheRowsOfTheTypeAskedForUpToTheBreak() throws {
        let db = try Self.log()
        try db.write { db in
            try db.execute(sql: "UPDATE events SET type = 'Marked' WHERE seq IN (10, 3000, 4400)")
        }
        // Changing the type changes the hash: the marked rows before the first edited one only.
        let outcome = try db.read { try ChainCheck.run($0, noting: "Marked") }
        #expect(outcome.chainBreak?.seq == 10)
        #expect(outcome.noted.isEmpty)

        let intact = try Self.log()
        let all = try intact.read { try ChainCheck.run($0, noting: "ConnectionGranted") }
        #expect(all.chainBreak == nil)
        #expect(all.noted.count == Int(Self.rowCount))
        #expect(all.noted.last?.eventId == Self.eventId(Self.rowCount))
        // Each with its link, stored or not, so that it hashes to its own hash.
        #expect(all.noted.allSatisfy { EventHasher.hash(of: $0) == $0.hash })
        #expect(all.noted.map(\.prevHash) == [EventHasher.genesis] + all.noted.dropLast().map(\.hash))
    }

    /// Checks block their thread while the batches are hashed; the hashing must not need a
    /// thread of the pool the checks themselves run on, or checks on every core at once wait
    /// forever (a CI run hung so, every case of the table above started and none finished).
    /// Many cases at once, each a check, as Swift Testing runs a table.
    @Test(arguments: 0..<Self.simultaneousChecks)
    func checksOnEveryCoreAtOnceAllFinish(case index: Int) throws {
        Self.watchdog.start()
        let outcome = try Self.smallLog.read { try ChainCheck.run($0) }
        Self.finishedCases.withLock { $0 += 1 }
        #expect(outcome.chainBreak == nil && outcome.eventCount == Self.rowCount, "case \(index)")
    }

    /// Twice the pool's threads: enough for every one of them to block in a check at once; more
    /// only hold the pool longer. (In a clean-clone run 24 cases reported 54 s and 4 cases 50 s:
    /// most of that is waiting for the pool behind other tests, not these checks.)
    static let simultaneousChecks = 2 * ProcessInfo.processInfo.activeProcessorCount

    /// One log the cases share (a DatabasePool would let them read it at once; a queue serializes
    /// them, which still leaves every pool thread blocked behind one another).
    static let smallLog: DatabaseQueue = try! log()

    /// A hung pool cannot run Swift Testing's time limit either: a plain thread fails the run.
    static let watchdog = Watchdog()
    final class Watchdog: Sendable {
        private let started = Mutex(false)
        func start() {
            guard started.withLock({ value in defer { value = true }; return !value }) else { return }
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 300)
                // The table takes seconds alone, longer behind the rest of the suite; five
                // minutes means its checks are stuck.
                if !ChainCheckTests.finishedCases.withLock({ $0 >= ChainCheckTests.simultaneousChecks }) {
                    fatalError("chain checks deadlocked waiting for their hashing")
                }
            }
        }
    }
    static let finishedCases = Mutex(0)

    @Test func chainOnlyVerifyPassesEditedProjectionsAndSaysItDidNotCompareThem() async throws {
        let test = try TestLedger()
        for index in 1...3 { try await test.submit(try test.grantCommand("c\(index)")) }
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE connections SET scopes = 'everything'")
        }
        let chainOnly = try test.ledger.verify(chainOnly: true)
        #expect(chainOnly.isIntact)
        #expect(!chainOnly.projectionsCompared)
        #expect(chainOnly.eventCount == 3)
        let full = try test.ledger.verify()
        #expect(full.projectionsCompared)
        #expect(full.projectionMismatches == ["connections"])
    }
}
