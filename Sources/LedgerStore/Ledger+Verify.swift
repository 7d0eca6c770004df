import Crypto
import Foundation
import GRDB
import LedgerCore

public struct VerifyReport: Sendable {
    public var eventCount: Int64
    public var chainBreak: ChainBreak?
    /// Projections whose live rows differ from a fresh replay, by name.
    public var projectionMismatches: [String]
    public var checksums: [String: String]
    /// What is wrong with the triggers that keep `events` append-only (missing, altered, or an
    /// extra one), compared with the schema's own: empty when they are exactly as shipped.
    public var triggerProblems: [String] = []
    /// Stored checkpoints checked against the chain, and how many of them failed.
    public var checkpointsChecked: Int = 0
    public var checkpointFailures: Int = 0
    /// The first stored checkpoint (lowest seq) that does not match, if any.
    public var firstCheckpointFailure: CheckpointFailure?
    /// The newest stored checkpoint, when there is one.
    public var newestCheckpoint: Checkpoint?
    /// The checkpoint kept elsewhere that `verify(checkpoint:)` was given, if any, and what is wrong
    /// with it (nil when it matches).
    public var externalCheckpoint: Checkpoint?
    public var externalCheckpointFailure: CheckpointFailure?
    /// The checkpoint keys the log records, oldest first.
    public var checkpointKids: [String] = []
    /// False for `verify(chainOnly: true)`: the projections were not replayed and compared.
    public var projectionsCompared = true

    public var isIntact: Bool {
        chainBreak == nil && projectionMismatches.isEmpty && triggerProblems.isEmpty && checkpointFailures == 0
            && externalCheckpointFailure == nil
    }
}

/// Why a checkpoint does not vouch for this log.
public struct CheckpointFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The JWS cannot be read, or the row's (or file's) plain fields differ from what it signs.
        case malformed
        /// The signature does not verify with the key its kid names.
        case badSignature
        /// Its kid is not a checkpoint key the log records (at or before the checkpoint's seq).
        case unknownKey
        /// It names another ledger (or this log's first event was rewritten).
        case otherLedger
        /// It is beyond the head: the log was cut back.
        case beyondHead
        /// The event at its seq has another hash: the log was rewritten at or before that seq.
        case hashDiffers
    }

    public var kind: Kind
    /// The seq the checkpoint claims (the row's seq for a stored checkpoint it cannot read).
    public var seq: Int64
    public var reason: String
    public var description: String { "checkpoint at seq \(seq): \(reason)" }
}

extension Ledger {
    /// Checks the whole chain, then replays it into a scratch database and compares
    /// that fresh state with the live projections, all within one read snapshot. Also checks the
    /// append-only triggers and every stored checkpoint, and `checkpoint` (one kept elsewhere)
    /// when given. `chainOnly` stops before the replay: the chain, triggers and checkpoints only,
    /// at about the speed of reading the log.
    public func verify(
        checkpoint external: Checkpoint? = nil, chainOnly: Bool = false, progress: (@Sendable (Int64) -> Void)? = nil
    ) throws -> VerifyReport {
        let projections = self.projections
        return try database.read { db in try Self.withScratchDatabase { scratch in
            try Schema.migrator.migrate(scratch)
            let triggerProblems = try scratch.read { try Self.triggerProblems(live: db, shipped: $0) }
            // Progress follows the longer phase: the replay, unless there is none.
            let chain = try ChainCheck.run(db, noting: CheckpointKeyAdded.type, progress: chainOnly ? progress : nil)
            var keys = CheckpointKeys()
            for event in chain.noted { keys.note(event) }
            let count = chain.eventCount
            let chainBreak = chain.chainBreak
            var report = VerifyReport(
                eventCount: count, chainBreak: chainBreak, projectionMismatches: [], checksums: [:],
                triggerProblems: triggerProblems, externalCheckpoint: external, checkpointKids: keys.kids)
            // Past a break nothing is vouched for: checkpoints and projections would only repeat it.
            if chainBreak != nil { return report }

            let checker = CheckpointChecker(head: count, ledgerId: try Self.ledgerId(db), keys: keys)
            let stored = try checker.checkStored(db)
            report.checkpointsChecked = stored.checked
            report.checkpointFailures = stored.failures
            report.firstCheckpointFailure = stored.first
            report.newestCheckpoint = stored.newestJWS.flatMap { try? Checkpoint(jws: $0) }
            if let external { report.externalCheckpointFailure = try checker.check(external: external, db) }

            report.projectionsCompared = !chainOnly
            if chainOnly { return report }

            // The same snapshot the chain check just read, so the hashes need no second pass.
            let replayBreak = try scratch.write { scratchDb in
                let replaying = projections.replaying()
                let replayBreak = try ReplayPipeline.walk(db, checkingHashes: false, progress: progress) { event in
                    try replaying.apply(event, scratchDb)
                }
                try replaying.finish(scratchDb)
                return replayBreak
            }
            if let replayBreak { report.chainBreak = replayBreak; return report }
            // The audit trail's checksum reads each record's event id and time from the log,
            // which the scratch database holds none of: it reads the live file's, as of now (the
            // log only grows, and the scratch holds no record past this snapshot's head).
            try scratch.writeWithoutTransaction { scratchDb in
                try scratchDb.execute(sql: "ATTACH DATABASE ? AS log", arguments: [database.path])
            }
            // The two sets of checksums read two connections, each on a core of its own: one at a
            // time, they were a seventh of a verify's time, on one core.
            let freshChecksums = BackgroundResult {
                try scratch.read { try projections.checksums($0, events: "log.events") }
            }
            // Waited for whatever happens here: the scratch queue closes when this returns.
            let live = Result { try projections.checksums(db) }
            let fresh = try freshChecksums.value()
            let liveChecksums = try live.get()
            var mismatches = Set(liveChecksums.keys.filter { liveChecksums[$0] != fresh[$0] })
            if liveChecksums["audit_records"] != nil, try AuditRecordsProjection.rowsOutsideTheirTimeBlock(db) > 0 {
                mismatches.insert("audit_records")
            }
            report.projectionMismatches = mismatches.sorted()
            report.checksums = liveChecksums
            return report
        } }
    }

    /// The fresh replay's database: SQLite's private temporary on-disk database (path ""), with
    /// a bounded page cache. An in-memory one held every projection row, so verify's memory grew
    /// with the log (1.4 GB at a million events). SQLite unlinks the file as it opens it, so no
    /// other user can open it and nothing is left behind, even if verify is killed; it needs
    /// about the projections' size free in the temporary directory (TMPDIR) meanwhile.
    static func withScratchDatabase<T>(_ body: (DatabaseQueue) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Thrown away whatever happens: nothing to recover, nothing to make durable.
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -262144")
            // It attaches the live file to read its log (`checksums`): wait for a writer's lock
            // as the ledger's own connections do, rather than fail at once.
            try db.execute(sql: "PRAGMA busy_timeout = 5000")
            try EventKeyStorage.addFunctions(to: db)
        }
        let queue = try DatabaseQueue(path: "", configuration: configuration)
        defer { try? queue.close() }
        return try body(queue)
    }

    /// The triggers on `events` as this build's migrations create them (`shipped`: a scratch
    /// database) against the live ones, by name and SQL text.
    static func triggerProblems(live: Database, shipped: Database) throws -> [String] {
        func triggers(_ db: Database) throws -> [String: String] {
            let rows = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
            var triggers: [String: String] = [:]
            for row in rows {
                let name: String = row["name"]
                let sql: String? = row["sql"]
                triggers[name] = sql ?? ""
            }
            return triggers
        }
        let expected = try triggers(shipped)
        let actual = try triggers(live)
        var problems: [String] = []
        for (name, sql) in expected.sorted(by: { $0.key < $1.key }) {
            switch actual[name] {
            case nil: problems.append("trigger \(name) is missing: the log is no longer append-only")
            case sql?: break
            case _?: problems.append("trigger \(name) differs from the one the schema creates")
            }
        }
        for name in actual.keys.sorted() where expected[name] == nil {
            problems.append("trigger \(name) on events is not one the schema creates")
        }
        return problems
    }
}
