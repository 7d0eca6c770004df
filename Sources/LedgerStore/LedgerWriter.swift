import Dispatch
import Foundation
import GRDB
import LedgerCore
import Logging
import Metrics
import Synchronization

/// The one writer (DESIGN §2). It owns the write side of the database and runs commands strictly
/// in order. Group commit: it drains the queue, runs the commands, commits the batch once, and only
/// then answers the callers. A failing command rolls back alone: one that fails before it writes
/// leaves nothing, and when one fails after writing, the batch's transaction is rolled back and
/// the batch runs again with each command in a SAVEPOINT of its own (`CommandSavepoint`), as
/// every batch after it does for a while.
///
/// With `synchronous = full`, a batch's commit writes the WAL without syncing it, and the batch
/// is answered once `walSync` has synced it, on a queue of its own: the writer commits the next
/// batch meanwhile, and one `fdatasync` covers every batch committed before it began. Nothing is
/// answered before it is on the disk. The log's readers are not shown a batch still being synced
/// (`readableThroughSeq`); reads of projections are (a power cut then loses it, and with it
/// nobody's answer). A sync that fails stops the writer:
/// what the kernel does with the pages of a failed sync is not known, so nothing is committed on
/// top of them (but the batch committing as it failed), and every command is refused until the
/// server is restarted.
///
/// Batches run on a serial dispatch queue of their own rather than the shared cooperative pool,
/// and commit synchronously there: otherwise, after each commit, the writer's next turn queues
/// behind the hundreds of request tasks it has just woken, and the disk sits idle meanwhile.
/// A command joins the queue under a lock, on the caller's thread, rather than by a hop onto the
/// writer (it was an actor): the writer is the one serial stage of every payment, and each hop
/// was a job of its own on that dispatch queue, run between batches (README, "The writer's
/// queue without hops"). A drain is scheduled on it only when none is running.
public final class LedgerWriter: Sendable {
    private struct Pending: Sendable {
        let envelope: CommandEnvelope
        let continuation: CheckedContinuation<CommandOutcome, any Error>
    }

    /// A batch's envelopes read in place: `batch.map(\.envelope)` made an array of them every
    /// batch, as large an allocation as the queue's (see `Waiting.spare`).
    private struct Envelopes: RandomAccessCollection {
        let batch: [Pending]
        var startIndex: Int { batch.startIndex }
        var endIndex: Int { batch.endIndex }
        subscript(position: Int) -> CommandEnvelope { batch[position].envelope }
    }

    /// What the callers and the drain share, under `waiting`'s lock.
    private struct Waiting {
        var queue: [Pending] = []
        /// The last batch's buffer, emptied with its capacity kept: a batch that takes the whole
        /// queue takes the queue's buffer, and this one becomes the queue. Cutting the batch off
        /// the queue's front instead (`removeFirst`) copied the rest into a new buffer of the
        /// queue's size every batch (the batch shared the old one), and at tens of commands that
        /// is an allocation large enough to make glibc's `malloc` consolidate its free lists:
        /// seen with `perf` on the writer's thread under a keysend load (before the server ran
        /// on mimalloc; not measured again since).
        var spare: [Pending] = []
        /// A drain is scheduled or running; submissions then only join the queue (and end a
        /// linger whose batch they fill).
        var draining = false
        var closed = false
        var drainedWaiters: [CheckedContinuation<Void, Never>] = []
        /// The drain waits on `batchFilled` for a fuller batch (`batchWaitUs`). Whoever sets it
        /// back to false while the drain waits (a submission that fills the batch, `close`)
        /// signals `batchFilled` once, after letting go of the lock.
        var lingering = false
        /// Batches still to run with a savepoint per command, after a command failed having
        /// written: a client that can make a command fail so (a decision a projection refuses)
        /// makes the writer run a batch twice at most once in `savepointBatchesAfterARerun` batches.
        var savepointBatchesLeft = 0

        /// Ends the drain's linger, if it is lingering: true when the caller must then signal
        /// `batchFilled`, once, after letting go of the lock (the drain counts on that signal).
        mutating func endLinger() -> Bool {
            guard lingering else { return false }
            lingering = false
            return true
        }
    }

    private let waiting = Mutex(Waiting())
    private let drainQueue = DispatchQueue(label: "grantledger.writer", qos: .userInitiated)

    /// Batches committed and batches synced, counted from the start; the first sync that failed.
    private struct Durability {
        var committedBatches = 0
        var syncedBatches = 0
        var failure: LedgerError?
        /// The seqs of the batches committed and not known to be on the disk yet, oldest first.
        /// Their own seqs only: rows another process appended before them are not hidden, so
        /// a row once shown is never hidden again. A few entries (the batches committed during
        /// one sync), or, after a failed sync, those the writer committed before it stopped.
        var unsynced: [ClosedRange<Int64>] = []
        /// The first seq of the batch being committed, set before its commit: from the moment
        /// its commit is visible until the commit has been counted here.
        var committingFromSeq: Int64?

        /// What `readableThroughSeq` answers.
        var readableThroughSeq: Int64 {
            let first = min(committingFromSeq ?? .max, unsynced.first?.lowerBound ?? .max)
            return first == .max ? .max : first - 1
        }

        /// Before `batch`'s commit is visible: its seqs are hidden from then on.
        mutating func committing(_ batch: Batch) {
            committingFromSeq = batch.headSeq > batch.startSeq ? batch.startSeq + 1 : nil
        }

        /// After `batch`'s commit: its seqs wait for a sync. Returns its number.
        mutating func committed(_ batch: Batch) -> Int {
            committedBatches += 1
            if batch.headSeq > batch.startSeq { unsynced.append((batch.startSeq + 1)...batch.headSeq) }
            committingFromSeq = nil
            return committedBatches
        }
    }

    /// Syncs the WAL under batches committed without it, then answers them: nil when the ledger's
    /// commits sync themselves or never do (`synchronous = normal`).
    private let walSync: (any WALSyncing)?
    private let durability = Mutex(Durability())
    /// Where `walSync` runs and batches are answered, in the order they committed.
    private let syncQueue = DispatchQueue(label: "grantledger.wal-sync", qos: .userInitiated)
    /// Signalled when a lingering batch fills.
    private let batchFilled = DispatchSemaphore(value: 0)
    static let savepointBatchesAfterARerun = 100

    private let database: DatabasePool
    private let projections: Projections
    private let clock: @Sendable () -> Date
    private let configuration: WriterConfiguration
    private let logger: Logger
    private let authorizationRows: AuthorizationRowCache
    private let memory: WriterMemory
    private let headWatch: HeadWatch
    /// A test's look at the file between a batch's commit and its count (`Ledger.Options`).
    private let afterBatchCommit: (@Sendable () -> Void)?

    private let acceptedCounter = Counter(label: "ledger_commands_total", dimensions: [("outcome", "accepted")])
    private let rejectedCounter = Counter(label: "ledger_commands_total", dimensions: [("outcome", "rejected")])
    private let replayedCounter = Counter(label: "ledger_commands_total", dimensions: [("outcome", "replayed")])
    private let failedCounter = Counter(label: "ledger_commands_total", dimensions: [("outcome", "failed")])
    private let batchSizeRecorder = Recorder(label: "ledger_batch_size")
    private let commitTimer = Metrics.Timer(label: "ledger_commit_duration_seconds")
    private let rerunCounter = Counter(label: "ledger_batch_reruns_total")
    private let walSyncTimer = Metrics.Timer(label: "ledger_wal_sync_duration_seconds")

    init(
        database: DatabasePool, projections: Projections, clock: @escaping @Sendable () -> Date,
        configuration: WriterConfiguration, logger: Logger, authorizationRows: AuthorizationRowCache,
        memory: WriterMemory, headWatch: HeadWatch, walSync: (any WALSyncing)?,
        afterBatchCommit: (@Sendable () -> Void)? = nil
    ) throws {
        self.walSync = walSync
        self.afterBatchCommit = afterBatchCommit
        self.authorizationRows = authorizationRows
        self.memory = memory
        self.headWatch = headWatch
        self.database = database
        self.projections = projections
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    /// The newest seq the log's readers may show: the seqs of batches committed and not yet
    /// synced are left out, and everything after them. Such a batch is visible to readers for
    /// about a millisecond before its sync ends; a power cut then takes it back, and the seq would
    /// be another event's after the restart, so a reader that follows the log by seq (an audit
    /// export, a paged read of the trail) would skip that event for good. `.max` when the
    /// ledger's commits sync themselves or never do.
    ///
    /// Read it inside the reader's transaction, after its first statement: the writer marks a
    /// batch's seqs before its commit is visible, so the answer covers every commit the
    /// reader's snapshot holds (`Ledger.readable(_:seq:readIn:)`).
    package var readableThroughSeq: Int64 {
        walSync == nil ? .max : durability.withLock { $0.readableThroughSeq }
    }

    /// Syncs the WAL on the caller's thread: every commit made before the call is then on the
    /// disk (`Ledger.backup`, for the batches its copy holds). Nothing when the ledger's commits
    /// sync themselves or never do; the first failure when a sync failed before (what the kernel
    /// did with those pages is not known).
    package func syncWAL() throws {
        guard let walSync else { return }
        if let failure = durability.withLock({ $0.failure }) { throw failure }
        if let failure = sync(walSync, metadata: ["for": "a backup's copy"]) { throw failure }
    }

    /// What a submission must do once it has let go of the lock.
    private enum AfterJoining {
        case refuse(LedgerError)
        case startDrain
        case endLinger
        case nothing
    }

    /// Runs the command and answers once its events are durable.
    public func submit(_ envelope: CommandEnvelope) async throws -> CommandOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let batchSizeMax = configuration.batchSizeMax
            let queueLengthMax = configuration.queueLengthMax
            if let failure = durability.withLock({ $0.failure }) {
                continuation.resume(throwing: failure)
                return
            }
            let next = waiting.withLock { waiting -> AfterJoining in
                guard !waiting.closed else { return .refuse(.shuttingDown) }
                guard waiting.queue.count < queueLengthMax else {
                    return .refuse(.overloaded(queueLength: waiting.queue.count))
                }
                waiting.queue.append(Pending(envelope: envelope, continuation: continuation))
                if !waiting.draining {
                    waiting.draining = true
                    return .startDrain
                }
                if waiting.queue.count >= batchSizeMax, waiting.endLinger() { return .endLinger }
                return .nothing
            }
            switch next {
            case .refuse(let error): continuation.resume(throwing: error)
            case .startDrain: drainQueue.async { self.drain() }
            case .endLinger: batchFilled.signal()
            case .nothing: break
            }
        }
    }

    /// Commands waiting for a batch (not those of the batch being committed).
    package var queueLength: Int { waiting.withLock { $0.queue.count } }

    /// Refuses new commands and returns once every queued one has been committed and answered.
    public func close() async {
        await withCheckedContinuation { continuation in
            let (drained, endLinger) = waiting.withLock { waiting -> (Bool, Bool) in
                waiting.closed = true
                // What is queued commits now rather than after the rest of a linger.
                let endLinger = waiting.endLinger()
                guard waiting.draining else { return (true, endLinger) }
                waiting.drainedWaiters.append(continuation)
                return (false, endLinger)
            }
            if endLinger { batchFilled.signal() }
            if drained { afterEveryAnswer { continuation.resume() } }
        }
    }

    /// What the drain does next.
    private enum Turn {
        case commit([Pending], savepoints: Bool)
        case linger
        case finished([CheckedContinuation<Void, Never>])
    }

    /// Runs batches on `drainQueue` until the queue is empty; submissions made meanwhile join the
    /// next batch.
    private func drain() {
        let batchSizeMax = configuration.batchSizeMax
        var lingered = false
        while true {
            let turn = waiting.withLock { waiting -> Turn in
                if waiting.queue.isEmpty {
                    waiting.draining = false
                    defer { waiting.drainedWaiters.removeAll() }
                    return .finished(waiting.drainedWaiters)
                }
                if configuration.batchWaitUs > 0, !lingered, waiting.queue.count < batchSizeMax {
                    waiting.lingering = true
                    return .linger
                }
                let batch: [Pending]
                if waiting.queue.count <= batchSizeMax {
                    batch = waiting.queue
                    waiting.queue = waiting.spare
                    waiting.spare = []
                } else {
                    batch = Array(waiting.queue.prefix(batchSizeMax))
                    waiting.queue.removeFirst(batch.count)
                }
                let savepoints = waiting.savepointBatchesLeft > 0
                if savepoints { waiting.savepointBatchesLeft -= 1 }
                return .commit(batch, savepoints: savepoints)
            }
            // Consumed: the batch's buffer must be unique when it is emptied below, or emptying it
            // allocates a new one of its capacity (see `Waiting.spare`).
            switch consume turn {
            case .finished(let waiters):
                afterEveryAnswer { for waiter in waiters { waiter.resume() } }
                return
            case .linger:
                linger()
                lingered = true
            case .commit(var batch, let savepoints):
                lingered = false
                let reran = commit(batch, savepoints: savepoints)
                // Every continuation is resumed: the buffer is the next spare one, unless a burst
                // grew it past two batches (a queue of thousands is not kept twice).
                batch.removeAll(keepingCapacity: true)
                let spare = batch.capacity <= 2 * batchSizeMax ? batch : []
                waiting.withLock { waiting in
                    if reran { waiting.savepointBatchesLeft = Self.savepointBatchesAfterARerun }
                    // The spare it replaces is empty: nothing of size is freed under the lock.
                    waiting.spare = spare
                }
            }
        }
    }

    /// Waits for the batch to fill, at most `batchWaitUs`: a full batch goes at once.
    private func linger() {
        let waited = batchFilled.wait(timeout: .now() + .microseconds(configuration.batchWaitUs))
        guard waited == .timedOut else { return }
        // The drain ends its own linger and, being the one that waits, signals no one. When a
        // submission (or `close`) ended it first, as the wait timed out, that one's signal is
        // on its way.
        let signalOwed = waiting.withLock { !$0.endLinger() }
        // Taken now, so that it cannot end the next linger as soon as it begins (the actor's
        // linger had a generation number for the same reason).
        if signalOwed { batchFilled.wait() }
    }

    /// Commits the batch and answers its callers; true when a command failed having written, so
    /// that the batches after it run with a savepoint per command.
    private func commit(_ batch: [Pending], savepoints: Bool) -> Bool {
        // Nothing is committed on top of a WAL that could not be synced.
        if let failure = durability.withLock({ $0.failure }) {
            refuse(batch, failure)
            return false
        }
        var reran = false
        let envelopes = Envelopes(batch: batch)
        let nowMs = clock().unixMs
        let projections = self.projections
        let memory = self.memory
        let started = DispatchTime.now()
        do {
            let ran: Batch
            do {
                ran = try writeBatch { db in
                    try Self.run(envelopes, db, nowMs: nowMs, savepoints: savepoints, projections, memory)
                }
            } catch let failed as CommandSavepoint.WroteBeforeFailing where !failed.transactionLost {
                // The whole transaction was rolled back, the other commands' rows with it: they
                // run again, each in its savepoint, and only the failing one's are undone. Codes
                // the memory kept may have been drawn in the rolled-back transaction.
                logger.warning(
                    "a command failed after writing: its batch runs again with a savepoint per command",
                    metadata: ["error": "\(failed.error)", "batch_size": "\(batch.count)"])
                rerunCounter.increment()
                memory.forgetAll()
                reran = true
                ran = try writeBatch { db in
                    try Self.run(envelopes, db, nowMs: nowMs, savepoints: true, projections, memory)
                }
            }
            let results = ran.results
            // Before any caller hears of the commit: a caller waiting for the head sees its own
            // events' seqs, and the rows it changed are read afresh (AuthorizationRowCache).
            headWatch.publish(ran.headSeq)
            if ran.changedOutside { authorizationRows.invalidate() }
            authorizationRows.committed(results, heldSpendChanges: ran.heldSpendChanges)
            commitTimer.recordInterval(since: started)
            batchSizeRecorder.record(batch.count)
            if let walSync {
                let number = ran.committedNumber
                syncQueue.async { self.answerWhenSynced(number, batch, results, walSync) }
            } else {
                answer(batch, results)
            }
        } catch {
            // The whole transaction failed (I/O, disk full): nothing of the batch is durable.
            let error = (error as? CommandSavepoint.WroteBeforeFailing)?.error ?? error
            logger.error("batch commit failed", metadata: ["error": "\(error)", "batch_size": "\(batch.count)"])
            // Nothing was written, but what failed is not known: rows are read afresh after it.
            authorizationRows.invalidate()
            memory.forgetAll()
            refuse(batch, LedgerError.storage(error))
        }
        return reran
    }

    /// The batch's transaction, as `database.write` runs one. When `walSync` syncs the batch,
    /// its commit alone runs with SQLite's NORMAL (frames written, not synced): the connection
    /// is FULL again after it, so every other write on it (a checkpoint, a replay in place) still
    /// syncs its own commit, and with it every batch before. Such a batch is counted here
    /// (`Durability`): its seqs are hidden from the log's readers from before its commit is
    /// visible until its sync ends.
    private func writeBatch(_ body: (Database) throws -> Batch) throws -> Batch {
        try database.writeWithoutTransaction { db in
            let syncedBeside = walSync != nil
            // Cached: compiled for each batch, the two were 15,000 instructions a command under
            // callgrind, where batches are small.
            if syncedBeside { try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute() }
            defer { if syncedBeside { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() } }
            var batch: Batch?
            do {
                try db.inTransaction {
                    let written = try body(db)
                    batch = written
                    if syncedBeside { durability.withLock { $0.committing(written) } }
                    return .commit
                }
            } catch {
                if syncedBeside { durability.withLock { $0.committingFromSeq = nil } }
                throw error
            }
            var written = batch!
            afterBatchCommit?()
            if syncedBeside { written.committedNumber = durability.withLock { $0.committed(written) } }
            return written
        }
    }

    private func answer(_ batch: [Pending], _ results: [Result<CommandOutcome, any Error>]) {
        for (pending, result) in zip(batch, results) {
            count(result)
            pending.continuation.resume(with: result)
        }
    }

    /// Answers every command of the batch with `error`: none of them is done.
    private func refuse(_ batch: [Pending], _ error: LedgerError) {
        for pending in batch {
            failedCounter.increment()
            pending.continuation.resume(throwing: error)
        }
    }

    /// Runs `body` once every batch committed so far is answered: after the batches still
    /// syncing, which `syncQueue` answers in order ahead of it, or at once when nothing syncs.
    private func afterEveryAnswer(_ body: @escaping @Sendable () -> Void) {
        if walSync != nil { syncQueue.async(execute: body) } else { body() }
    }

    /// Answers committed batch `number` once the WAL is synced past it: at once when a sync that
    /// began after its commit has ended, after a sync of its own otherwise, which covers every
    /// batch committed by then. On `syncQueue`, so batches are answered in the order they
    /// committed.
    private func answerWhenSynced(
        _ number: Int, _ batch: [Pending], _ results: [Result<CommandOutcome, any Error>], _ walSync: any WALSyncing
    ) {
        let (synced, failed) = durability.withLock { ($0.syncedBatches >= number, $0.failure) }
        var failure = failed
        if !synced, failure == nil { failure = sync(walSync, metadata: ["batch_size": "\(batch.count)"]) }
        guard let failure else { return answer(batch, results) }
        // Committed but not known to be on the disk: not answered as done.
        authorizationRows.invalidate()
        refuse(batch, failure)
    }

    /// Syncs the WAL, and counts every batch committed before the sync began as synced; or, when
    /// it fails, records the failure that stops the writer and returns it (the first one, if
    /// another sync failed before). What the kernel did with the pages of a failed sync is not
    /// known, and the next sync of the same descriptor may report success over them: so a failed
    /// sync stops the writer whoever asked for it (a batch's answer, a backup).
    private func sync(_ walSync: any WALSyncing, metadata: Logger.Metadata) -> LedgerError? {
        // What this sync will cover: every batch committed before it begins.
        let (committed, committedThroughSeq) = durability.withLock {
            ($0.committedBatches, $0.unsynced.last?.upperBound)
        }
        let started = DispatchTime.now()
        do {
            try walSync.sync()
        } catch {
            logger.critical(
                "the write-ahead log could not be synced: commands are refused until the server is restarted",
                metadata: metadata.merging(["error": "\(error)"]) { $1 })
            let stopped = LedgerError.storage(error)
            return durability.withLock { durability in
                if durability.failure == nil { durability.failure = stopped }
                return durability.failure
            }
        }
        walSyncTimer.recordInterval(since: started)
        durability.withLock {
            $0.syncedBatches = max($0.syncedBatches, committed)
            if let committedThroughSeq { $0.unsynced.removeAll { $0.upperBound <= committedThroughSeq } }
        }
        return nil
    }

    /// One batch inside its write transaction: each command with a savepoint of its own, or
    /// without (`CommandSavepoint.runWithout`, which throws out of the transaction when a command
    /// fails after writing). Tests run their batches through it too (`WriterMemoryTests`).
    static func run(
        _ envelopes: some Collection<CommandEnvelope>, _ db: Database, nowMs: Int64, savepoints: Bool, _ projections: Projections,
        _ memory: WriterMemory
    ) throws -> Batch {
        // Read inside the write transaction, not cached: another process (the CLI recording an
        // export as a read of the log) may have appended since the last batch. One look-up at the
        // end of the primary key; the write lock keeps it ours.
        var head = try ChainHead.load(db)
        let startSeq = head.seq
        let changedOutside = try memory.beginBatch(db)
        // The log's time never runs backwards, whatever the wall clock does (an NTP step): `?at=`
        // reads and time windows take recorded_at as ordered with seq.
        let nowMs = max(nowMs, head.recordedAtMs)
        var results: [Result<CommandOutcome, any Error>] = []
        results.reserveCapacity(envelopes.count)
        for envelope in envelopes {
            var commandHead = head
            func command() throws -> CommandOutcome {
                try CommandRunner.run(
                    envelope, db, head: &commandHead, nowMs: nowMs, projections: projections, memory: memory)
            }
            do {
                let outcome =
                    try savepoints ? CommandSavepoint.run(db, command) : CommandSavepoint.runWithout(db, command)
                memory.commandReleased()
                head = commandHead
                results.append(.success(outcome))
            } catch let failed as CommandSavepoint.WroteBeforeFailing {
                throw failed
            } catch {
                memory.commandRolledBack()
                results.append(.failure(error))
            }
        }
        // After every command, outside their savepoints: part of the batch.
        let heldSpendChanges = try memory.finishBatch(db)
        return Batch(
            results: results, startSeq: startSeq, headSeq: head.seq, changedOutside: changedOutside,
            heldSpendChanges: heldSpendChanges)
    }

    /// A batch's outcomes, one per command in order, and the chain head's seq it leaves: its own
    /// appends on top of the head it read (which holds any other process's since the last batch).
    struct Batch {
        var results: [Result<CommandOutcome, any Error>]
        /// The head the batch began on, and the one it leaves.
        var startSeq: Int64
        var headSeq: Int64
        /// Its number among the batches committed, when the writer syncs them (`Durability`).
        var committedNumber = 0
        /// Another connection committed, or this one changed rows, since the last batch
        /// (`WriterMemory.beginBatch`): what was kept for reads may be older than the file.
        var changedOutside = false
        /// What the batch's commands (those kept, not rolled back) did to the spends held.
        var heldSpendChanges = HeldSpends.Changes()
    }

    private func count(_ result: Result<CommandOutcome, any Error>) {
        switch result {
        case .success(let outcome) where outcome.isReplay: replayedCounter.increment()
        case .success(.accepted): acceptedCounter.increment()
        case .success(.rejected): rejectedCounter.increment()
        case .failure: failedCounter.increment()
        }
    }
}

/// The newest event's position, which the next append extends.
struct ChainHead: Sendable {
    var seq: Int64
    var hash: Data
    var recordedAtMs: Int64 = 0

    /// Through a cached statement read in place: `Row.fetchOne(db, sql:)` compiled the SQL on
    /// every call, and the writer loads the head once per batch. Under callgrind that was 123,600
    /// instructions a batch (4,900 now), a fifth of a command's when it is alone in its batch.
    static let headStatement = StatementSlot("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1")

    static func load(_ db: Database) throws -> ChainHead {
        try headStatement.run(db) { statement in
            try statement.readFirst { ChainHead(seq: $0.int64(0), hash: $0.data(1), recordedAtMs: $0.int64(2)) }
        } ?? ChainHead(seq: 0, hash: EventHasher.genesis)
    }
}
