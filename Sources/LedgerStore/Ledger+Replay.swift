import Foundation
import GRDB
import LedgerCore

/// How far a replay goes: the whole log, up to a `seq`, or up to a moment.
public enum ReplayBound: Sendable, Equatable {
    case all
    case seq(Int64)
    case time(Date)

    var untilSeq: Int64 { if case .seq(let seq) = self { seq } else { .max } }
    var untilMs: Int64 {
        if case .time(let date) = self { date.unixMs } else { .max }
    }
}

public struct ReplayReport: Sendable {
    public var eventCount: Int64
    public var checksums: [String: String]
}

public struct ReplayError: Error, CustomStringConvertible {
    public var description: String
}

extension Ledger {
    /// A replay rewrites every projection row in one transaction; with the everyday cache the
    /// B-trees spill to the WAL and are read back over and over. 1 GiB is an upper bound, used
    /// only as pages are touched.
    static func useReplayCache(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -1048576")
    }

    static func useNormalCache(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -65536")
    }

    /// For a read that scans tables once (checksums): each page is read once, from the file
    /// system's cache, so a page cache of the everyday size only adds its 64 MiB to the process's
    /// memory (the two checksum connections of a replay raised its peak RSS by 45–90 MB).
    static func withScanCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA cache_size = -2048")
        defer { try? useNormalCache(db) }
        return try body()
    }

    /// On `pool`'s writer (`db`, outside a transaction), with the replay's page cache: `rebuild`
    /// in one transaction, which it returns the count of events of, then the checksums of exactly
    /// what it committed, started on two connections at once (`checksumsStarted`). Both replays
    /// (in place, and into a new file) end so.
    private static func rebuildCommitted(
        _ db: Database, _ pool: DatabasePool, _ projections: Projections, _ rebuild: (ProjectionReplay) throws -> Int64
    ) throws -> (count: Int64, checksums: ChecksumsInFlight) {
        try useReplayCache(db)
        defer { try? useNormalCache(db) }
        var count: Int64 = 0
        try db.inTransaction {
            let replaying = projections.replaying()
            count = try rebuild(replaying)
            try replaying.finish(db)
            return .commit
        }
        return (count, projections.checksumsStarted(pool))
    }

    /// Drops every projection and rebuilds it from the log, verifying the chain on the way. One
    /// transaction: a failed replay leaves the projections as they were. The checksums are read
    /// once it has committed, of exactly the state it committed; an error reading them is thrown
    /// with the projections rebuilt.
    public func replay(progress: (@Sendable (Int64) -> Void)? = nil) async throws -> ReplayReport {
        let projections = self.projections
        let database = self.database
        // Whatever happens, the rows kept from before are not vouched for after.
        let writerMemory = self.writerMemory
        defer { authorizationRows.invalidate() }
        let rebuilt = try await database.writeWithoutTransaction { db in
            try Self.rebuildCommitted(db, database, projections) { replaying in
                // Inside the transaction, so before the writer's next batch can begin (its count
                // of the connection's changes would tell it too).
                defer { writerMemory.forgetAll() }
                try projections.reset(db)
                var count: Int64 = 0
                if let chainBreak = try ReplayPipeline.walk(
                    db, progress: progress,
                    { event in
                        try replaying.apply(event, db)
                        count += 1
                    })
                {
                    throw ReplayError(description: "the event log is broken at \(chainBreak); nothing was rebuilt")
                }
                return count
            }
        }
        return ReplayReport(eventCount: rebuilt.count, checksums: try rebuilt.checksums.value())
    }

    /// Writes the log up to `bound`, and the projections as of that point, into a new database at
    /// `outputPath`. The copy is a ledger of its own: `verify` works on it.
    public func replay(until bound: ReplayBound, into outputPath: String, progress: (@Sendable (Int64) -> Void)? = nil)
        throws
        -> ReplayReport
    {
        guard !FileManager.default.fileExists(atPath: outputPath) else {
            throw ReplayError(description: "\(outputPath) already exists; choose a new file")
        }
        let projections = self.projections
        do {
            let output = try Ledger.openPool(path: outputPath, synchronous: .normal)
            let rebuilt = try copy(until: bound, into: output, projections: projections, progress: progress)
            return ReplayReport(eventCount: rebuilt.count, checksums: try rebuilt.checksums.value())
        } catch {
            // A half-written copy would look like a ledger; leave nothing behind.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: outputPath + suffix) }
            throw error
        }
    }

    private func copy(
        until bound: ReplayBound, into output: DatabasePool, projections: Projections,
        progress: (@Sendable (Int64) -> Void)?
    ) throws -> (count: Int64, checksums: ChecksumsInFlight) {
        try database.read { db in
            try output.writeWithoutTransaction { out in
                try Self.rebuildCommitted(out, output, projections) { replaying in
                    var count: Int64 = 0
                    if let chainBreak = try ReplayPipeline.walk(
                        db, untilSeq: bound.untilSeq, untilMs: bound.untilMs, progress: progress,
                        { event in
                            try event.insert(out)
                            try replaying.apply(event, out)
                            count += 1
                        })
                    {
                        throw ReplayError(description: "the event log is broken at \(chainBreak)")
                    }
                    return count
                }
            }
        }
    }
}
