import Foundation
import GRDB
import LedgerCore
import Logging

/// The ledger's database: the event log, its projections and the one writer. Reads go through the
/// pool's WAL readers and never wait for the writer.
public final class Ledger: Sendable {
    public enum Synchronous: String, Sendable, CaseIterable {
        /// Every commit is fsynced before callers are answered: nothing answered is ever lost.
        /// The writer syncs the WAL itself, on a thread of its own, while it commits the next
        /// batch (`WALSync`); until then the log's readers are not shown the batch
        /// (`LedgerWriter.readableThroughSeq`).
        case full
        /// WAL is fsynced only at checkpoints: a power cut (not a process crash) may lose the last
        /// commits that were already answered.
        case normal
    }

    public struct Options: Sendable {
        public var synchronous: Synchronous
        public var writer: WriterConfiguration
        public var clock: @Sendable () -> Date
        public var logger: Logger
        /// For tests: wraps the writer's WAL sync (to hold it back, or make it fail).
        package var wrapWALSync: @Sendable (any WALSyncing) -> any WALSyncing = { $0 }
        /// For tests: runs on the writer's thread after each batch's commit, before the writer
        /// counts it (to read what the file shows then).
        package var afterBatchCommit: (@Sendable () -> Void)?

        public init(
            synchronous: Synchronous = .full, writer: WriterConfiguration = .init(),
            clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "grantledger.store")
        ) {
            self.synchronous = synchronous
            self.writer = writer
            self.clock = clock
            self.logger = logger
        }
    }

    /// The pool itself stays in this package: callers read through the typed queries and write
    /// through the intent-named writes.
    package let database: DatabasePool
    public let writer: LedgerWriter
    public let projections: Projections
    public let clock: @Sendable () -> Date
    /// Client, token and connection rows between the commits that could change them.
    package let authorizationRows = AuthorizationRowCache()
    /// What the writer keeps between commands: term codes, time spans, connections (`WriterMemory`).
    let writerMemory = WriterMemory()
    /// The chain head as the writer commits it (`watchHead`).
    let headWatch = HeadWatch(head: 0)

    public init(path: String, options: Options = .init(), projections: Projections = .standard) throws {
        self.database = try Self.openPool(path: path, synchronous: options.synchronous)
        self.projections = projections
        self.clock = options.clock
        var walSync: (any WALSyncing)?
        if options.synchronous == .full {
            let sync = try WALSync(databasePath: path)
            // The log's readers are shown what the file holds at once (`readableThroughSeq`):
            // synced first, since a crash may have left a batch in the WAL whose sync never ran.
            try sync.sync()
            walSync = options.wrapWALSync(sync)
        }
        self.writer = try LedgerWriter(
            database: database, projections: projections, clock: options.clock, configuration: options.writer,
            logger: options.logger, authorizationRows: authorizationRows, memory: writerMemory, headWatch: headWatch,
            walSync: walSync, afterBatchCommit: options.afterBatchCommit)
    }

    static func openPool(path: String, synchronous: Synchronous) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue.uppercased())")
            // The default 2 MiB page cache spills a batch's dirty pages to the WAL mid-transaction
            // and reads them back; 64 MiB per connection keeps a batch (and hot indexes) in memory.
            try Ledger.useNormalCache(db)
            try EventKeyStorage.addFunctions(to: db)
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // Again, on the writer: opening a pool, GRDB sets `synchronous = NORMAL` on its writer
        // after prepareDatabase has run. The writer is the one connection that commits, and it
        // stays open. With `full`, the ledger's writer commits its batches with NORMAL and syncs
        // each itself before answering it (`LedgerWriter.writeBatch`, `WALSync`).
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue.uppercased())")
            // Statement journals (every command runs in its own SAVEPOINT) in memory, not in
            // files under /var/tmp: those spilled, and took more bytes than the WAL itself
            // (tools/p99-growth.sh counts written bytes per payment). The writer only: readers
            // keep sorting to files, so a large unindexed sort cannot grow the server's memory.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        try pool.read(Schema.refuseNewerLedger)
        try Schema.migrator.migrate(pool)
        return pool
    }

    public func submit(_ envelope: CommandEnvelope) async throws -> CommandOutcome {
        try await writer.submit(envelope)
    }

    /// Finishes the commands in flight and refuses new ones.
    public func close() async {
        await writer.close()
    }

    /// Closes the database's connections, e.g. before moving its files. Only after `close()`.
    public func closeDatabase() throws {
        try database.close()
    }

    // MARK: Reads

    /// As kept (`AuthorizationRowCache`) or read.
    public func connection(id: String) async throws -> Connection? {
        try authorizationRows.connections.row(id) {
            try readOnCallersThread { db in try ConnectionsProjection.fetch(id: id, db) }
        }
    }

    public func connections(userId: String?, status: Connection.Status?, afterId: String?, limit: Int) async throws
        -> [Connection]
    {
        try readOnCallersThread { db in
            try ConnectionsProjection.list(userId: userId, status: status, afterId: afterId, limit: limit, db)
        }
    }

    public func adminCredentialSha256() async throws -> String? {
        try readOnCallersThread(AdminCredentialProjection.current)
    }

    /// A stream's events, oldest first, at most `limit`, none past what readers may be shown
    /// (`readable(_:seq:readIn:)`).
    public func events(stream: String, limit: Int) throws -> [RecordedEvent] {
        try database.read { db in
            let events = try Row.fetchAll(
                db,
                sql: "SELECT \(RecordedEvent.selectColumns) FROM events WHERE stream IN (?, ?, ?) ORDER BY stream_version LIMIT ?",
                arguments: EventKeyStorage.forms(ofStream: stream) + [limit]
            ).map { try RecordedEvent(row: $0) }
            // A stream's versions follow the log's order, so these are in seq order too.
            return readable(events, seq: \.seq, readIn: db)
        }
    }

    /// Events in log order after `afterSeq`, at most `limit`, none past what readers may be shown
    /// (`readable(_:seq:readIn:)`).
    public func events(afterSeq: Int64, limit: Int) throws -> [RecordedEvent] {
        try database.read { db in
            let events = try Row.fetchAll(
                db, sql: "SELECT \(RecordedEvent.selectColumns) FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [afterSeq, limit]
            ).map { try RecordedEvent(row: $0) }
            return readable(events, seq: \.seq, readIn: db)
        }
    }

    /// The newest seq a read of the log in `db`'s transaction may show (`LedgerWriter.readableThroughSeq`):
    /// batches committed and not yet synced are left out, so that nobody follows the log past an
    /// event a power cut could take back.
    ///
    /// Call it after the transaction's first statement, which begins its snapshot: the writer's
    /// limit covers only the commits made before it is read. Callers cut what they read by it
    /// rather than add it to their queries' conditions: with it in the trail's conditions, time
    /// range queries ran a quarter fewer a second under `tools/load-audit.sh` (each of its reads
    /// records a read, so batches are syncing all the time).
    func readableThroughSeq(afterReadingIn db: Database) -> Int64 {
        precondition(db.isInsideTransaction, "a read's limit is read inside its transaction")
        return writer.readableThroughSeq
    }

    /// `items`, read in seq order in `db`'s transaction, up to `readableThroughSeq(afterReadingIn:)`:
    /// a page a reader follows by seq ends before the first batch still syncing.
    func readable<Item>(_ items: [Item], seq: (Item) -> Int64, readIn db: Database) -> [Item] {
        let through = readableThroughSeq(afterReadingIn: db)
        guard through < .max else { return items }
        return Array(items.prefix { seq($0) <= through })
    }

    /// The newest event's seq, which is also the number of events (seq is gap-free from 1).
    public func eventCount() throws -> Int64 {
        try database.read { db in try ChainHead.load(db).seq }
    }

    public func headSeq() async throws -> Int64 {
        try readOnCallersThread { db in try ChainHead.load(db).seq }
    }

    public func projectionChecksums() throws -> [String: String] {
        try database.read { try projections.checksums($0) }
    }
}
