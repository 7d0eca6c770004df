import Dispatch
import Foundation
import GRDB
import LedgerCore
import Synchronization
import Testing

@testable import LedgerStore

/// How many syncs a `CountingWALSync` made.
final class SyncCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}

/// Counts the syncs of the WAL it wraps.
struct CountingWALSync: WALSyncing {
    let count: SyncCount
    let wrapped: any WALSyncing

    init(_ count: SyncCount, _ wrapped: any WALSyncing) {
        self.count = count
        self.wrapped = wrapped
    }

    func sync() throws {
        try wrapped.sync()
        count.add()
    }
}

/// The `HeldWALSync` a ledger was made with.
final class HeldWALSyncs: Sendable {
    private let made = Mutex<HeldWALSync?>(nil)
    var sync: HeldWALSync? { made.withLock { $0 } }
    func wrap(_ wrapped: any WALSyncing) -> any WALSyncing {
        let sync = HeldWALSync(wrapped)
        made.withLock { $0 = sync }
        return sync
    }
}

/// Holds each sync until the test lets it go, noting when it began and ended.
final class HeldWALSync: WALSyncing {
    let wrapped: any WALSyncing
    let steps = Mutex<[String]>([])
    private let release = DispatchSemaphore(value: 0)

    init(_ wrapped: any WALSyncing) { self.wrapped = wrapped }

    func sync() throws {
        steps.withLock { $0.append("sync began") }
        release.wait()
        try wrapped.sync()
        steps.withLock { $0.append("sync ended") }
    }

    /// Waits for the `count`th sync to begin (`eventually`): false when none did.
    func awaitSyncBegan(_ count: Int = 1) async -> Bool {
        await eventually { syncsBegun >= count }
    }

    func letSyncGo() { release.signal() }

    var syncsBegun: Int { steps.withLock { $0.count { $0 == "sync began" } } }
}

/// Holds the writer once, after the next batch's commit and before it counts the batch
/// (`Ledger.Options.afterBatchCommit`), until the test lets it go.
final class CommitGate: Sendable {
    private let armed = Mutex(false)
    private let held = Mutex(false)
    private let release = DispatchSemaphore(value: 0)

    func arm() { armed.withLock { $0 = true } }

    func hold() {
        guard armed.withLock({ armed in defer { armed = false }; return armed }) else { return }
        held.withLock { $0 = true }
        release.wait()
    }

    /// Waits for the writer to be held (`eventually`): false when it never was.
    func awaitHeld() async -> Bool {
        await eventually { held.withLock { $0 } }
    }

    func letGo() { release.signal() }
}

/// Makes the writer's next commit fail once armed: GRDB rolls a transaction back when an
/// observer throws from `databaseWillCommit`, as SQLite does a COMMIT that fails.
final class FailingCommit: TransactionObserver, Sendable {
    struct Refused: Error {}
    private let armed = Mutex(false)

    func arm() { armed.withLock { $0 = true } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws {
        if armed.withLock({ armed in defer { armed = false }; return armed }) { throw Refused() }
    }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}

/// Whether `condition` became true within a minute (the whole suite runs its tests at once on two
/// cores). Polled, so that no thread is held while it waits.
func eventually(_ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}

/// Fails its first sync with an I/O error and syncs after: as Linux reports a writeback error
/// once to each descriptor, and a later `fdatasync` of the same one succeeds over the lost pages.
final class FailingOnceWALSync: WALSyncing {
    let wrapped: any WALSyncing
    private let failed = Mutex(false)

    init(_ wrapped: any WALSyncing) { self.wrapped = wrapped }

    func sync() throws {
        if !failed.withLock({ failed in defer { failed = true }; return failed }) {
            throw WALSyncError(operation: "fdatasync", path: "ledger.sqlite-wal", code: EIO)
        }
        try wrapped.sync()
    }
}

/// Fails every sync with an I/O error, as a disk that fails does.
struct FailingWALSync: WALSyncing {
    func sync() throws { throw WALSyncError(operation: "fdatasync", path: "ledger.sqlite-wal", code: EIO) }
}

@Suite struct WALSyncTests {
    /// A ledger whose every WAL sync waits for the test's `letSyncGo`.
    static func ledgerWithHeldSyncs() throws -> (TestLedger, HeldWALSync) {
        let held = HeldWALSyncs()
        let test = try TestLedger(wrapWALSync: held.wrap)
        return (test, try #require(held.sync))
    }

    static func eventCount(_ test: TestLedger) async throws -> Int {
        try await test.ledger.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events") } ?? 0
    }

    /// With `synchronous = full` the writer commits without syncing and answers once the WAL is
    /// synced: an answer before the sync's end would be a write a power cut could take back.
    @Test func aCommandIsAnsweredOnlyAfterTheWALIsSyncedPastIt() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let command = try test.grantCommand("c-held")
        let answered = Task {
            let outcome = try await test.submit(command)
            sync.steps.withLock { $0.append("answered") }
            return outcome
        }
        try #require(await sync.awaitSyncBegan(), "no sync began")
        // Committed, so readers see it, and not answered while its sync is held.
        #expect(try await Self.eventCount(test) == 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(sync.steps.withLock { $0 } == ["sync began"])
        sync.letSyncGo()
        guard case .accepted(let events, _) = try await answered.value else {
            Issue.record("the grant was not accepted")
            return
        }
        #expect(events.count == 1)
        #expect(sync.steps.withLock { $0 } == ["sync began", "sync ended", "answered"])
    }

    /// Batches committed while a sync runs share the next one: a sync covers every batch
    /// committed before it began. Three commands committed while the first command's sync is
    /// held are answered after one more sync, not three.
    @Test func batchesCommittedDuringASyncShareTheNextOne() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let commands = try (1...4).map { try test.grantCommand("c-\($0)") }
        let first = Task { try await test.submit(commands[0]) }
        try #require(await sync.awaitSyncBegan(), "no sync began")
        let rest = commands.dropFirst().map { command in Task { try await test.submit(command) } }
        let deadline = ContinuousClock.now + .seconds(60)
        while try await Self.eventCount(test) < 4 {
            try #require(ContinuousClock.now < deadline, "the commands did not commit")
            try await Task.sleep(for: .milliseconds(5))
        }
        // Enough for a sync per command; only two are needed.
        for _ in commands { sync.letSyncGo() }
        _ = try await first.value
        for task in rest { _ = try await task.value }
        #expect(sync.syncsBegun == 2)
    }

    /// A sync that fails leaves the batch's commands unanswered as done (storage failure), and
    /// the writer takes no command after it: what the kernel kept of the failed sync's pages is
    /// not known, so nothing may be committed on top of them until a restart.
    @Test func aFailedSyncRefusesItsBatchAndEveryCommandAfterIt() async throws {
        let test = try TestLedger(wrapWALSync: { _ in FailingWALSync() })
        await #expect(throws: LedgerError.self) { try await test.submit(try test.grantCommand("c-unsynced")) }
        try await Self.expectCommandsRefusedAfterAFailedSync(test)
        let streams = try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT stream FROM events")
        }
        // The first command's event was committed (never answered as done); the second's never was.
        #expect(streams.count == 1)
        // And the log's readers are not shown it: it is not known to be on the disk.
        #expect(try test.ledger.events(afterSeq: 0, limit: 10).isEmpty)
        #expect(try test.ledger.auditHeadSeq() == 0)
    }

    /// A command submitted now is refused with the failed sync's error.
    static func expectCommandsRefusedAfterAFailedSync(_ test: TestLedger) async throws {
        do {
            try await test.submit(try test.grantCommand("c-after"))
            Issue.record("a command was taken after a failed sync")
        } catch let error as LedgerError {
            #expect(error.code == .storage)
            #expect(error.message.contains("fdatasync"))
        }
    }

    /// A batch whose commit fails leaves no mark behind: nothing of it is in the file, and rows
    /// after it (another process's, or the next batch's) are not hidden for it.
    @Test func aCommitThatFailsLeavesNothingHidden() async throws {
        let test = try TestLedger()
        let ledger = test.ledger
        try await test.submit(try test.grantCommand("c-before"))
        let failing = FailingCommit()
        ledger.database.add(transactionObserver: failing, extent: .observerLifetime)
        failing.arm()
        await #expect(throws: LedgerError.self) { try await test.submit(try test.grantCommand("c-refused")) }
        #expect(try await Self.eventCount(test) == 1, "rolled back")
        #expect(ledger.writer.readableThroughSeq == .max)
        try await test.submit(try test.grantCommand("c-after"))
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1, 2])
    }

    /// A batch committed and not yet synced is left out of the log's reads (events by seq and by
    /// stream, the audit trail and its head) until its sync ends. A power cut would take it back
    /// and give its seq to another event after the restart: a reader following the log by seq
    /// (an audit export, a paged read of the trail) would skip that event for good.
    @Test func theLogsReadersAreShownABatchOnlyOnceItsSyncEnded() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let ledger = test.ledger
        let answered = Task { try await test.submit(try test.grantCommand("c-unread")) }
        try #require(await sync.awaitSyncBegan(), "no sync began")
        #expect(try await Self.eventCount(test) == 1, "committed")
        let committedRows = try await ledger.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail") ?? 0
        }
        #expect(committedRows == 1, "the grant's audit record is committed too")
        let recordId = try #require(
            try await ledger.database.read { db in
                try String.fetchOne(db, sql: "SELECT \(EventKeyStorage.eventIdTextSQL("event_id")) FROM events")
            })
        let stream = Connection.stream("c-unread")
        #expect(try ledger.events(afterSeq: 0, limit: 10).isEmpty)
        #expect(try ledger.events(stream: stream, limit: 10).isEmpty)
        #expect(try ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10).isEmpty)
        #expect(try ledger.auditRecord(id: recordId) == nil)
        #expect(try ledger.auditRecordCount(AuditFilter()) == 0)
        #expect(try ledger.auditHeadSeq() == 0)
        sync.letSyncGo()
        guard case .accepted(let events, _) = try await answered.value else {
            Issue.record("the grant was not accepted")
            return
        }
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1])
        #expect(events[0].stream == stream)
        #expect(try ledger.events(stream: stream, limit: 10).map(\.seq) == [1])
        #expect(try ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10).map(\.seq) == [1])
        #expect(try ledger.auditRecord(id: recordId)?.seq == 1)
        #expect(try ledger.auditRecordCount(AuditFilter()) == 1)
        #expect(try ledger.auditHeadSeq() == 1)
    }

    /// Between a batch's commit and the writer counting it, the file already shows its rows: its
    /// seqs were marked before the commit (`Durability.committing`), so the log's readers are not
    /// shown them then either.
    @Test func aBatchIsHiddenFromTheMomentItsCommitIsVisible() async throws {
        let gate = CommitGate()
        let test = try TestLedger(afterBatchCommit: gate.hold)
        let ledger = test.ledger
        gate.arm()
        let answered = Task { try await test.submit(try test.grantCommand("c-marked")) }
        try #require(await gate.awaitHeld(), "the batch did not commit")
        #expect(try await Self.eventCount(test) == 1, "committed")
        #expect(try ledger.events(afterSeq: 0, limit: 10).isEmpty)
        #expect(try ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10).isEmpty)
        #expect(try ledger.auditHeadSeq() == 0)
        gate.letGo()
        _ = try await answered.value
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1])
        #expect(try ledger.auditHeadSeq() == 1)
    }

    /// The readers are shown the batches synced, up to the first one still syncing: not all or
    /// nothing.
    @Test func theLogsReadersAreShownTheSyncedBatchesBeforeOneStillSyncing() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let ledger = test.ledger
        try await Self.synced(sync, 1) { _ = try await test.submit(try test.grantCommand("c-synced")) }
        let second = Task { try await test.submit(try test.grantCommand("c-syncing")) }
        try #require(await sync.awaitSyncBegan(2), "the second batch's sync did not begin")
        #expect(try await Self.eventCount(test) == 2, "committed")
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1])
        #expect(try ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10).map(\.seq) == [1])
        #expect(try ledger.auditHeadSeq() == 1)
        sync.letSyncGo()
        _ = try await second.value
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1, 2])
        #expect(try ledger.auditHeadSeq() == 2)
    }

    /// Rows another process appended (the CLI, with a writer and a sync of its own) before the
    /// server's batch still syncing stay shown: only that batch's own seqs are left out, so a row
    /// once shown is never hidden again.
    @Test func rowsAnotherProcessAppendedStayShownWhileALaterBatchSyncs() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let ledger = test.ledger
        try await Self.synced(sync, 1) { _ = try await test.submit(try test.grantCommand("c-server")) }
        let other = try Ledger(path: test.path)
        _ = try await other.submit(try test.envelope(try test.grantCommand("c-other")))
        await other.writer.close()
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1, 2])
        let third = Task { try await test.submit(try test.grantCommand("c-syncing")) }
        try #require(await sync.awaitSyncBegan(2), "the third batch's sync did not begin")
        #expect(try await Self.eventCount(test) == 3, "committed")
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1, 2], "the other's row stays shown")
        #expect(try ledger.auditHeadSeq() == 2)
        sync.letSyncGo()
        _ = try await third.value
        #expect(try ledger.events(afterSeq: 0, limit: 10).map(\.seq) == [1, 2, 3])
    }

    /// A backup's copy can hold a batch still syncing: the backup returns only after a sync of
    /// its own, begun after the copy, so the copy holds no batch a power cut could take back.
    @Test func aBackupReturnsOnlyOnceTheBatchesItCopiedAreSynced() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let answered = Task { try await test.submit(try test.grantCommand("c-copied")) }
        try #require(await sync.awaitSyncBegan(), "no sync began")
        let copy = test.path + "-backup.sqlite"
        // On a thread of its own: the backup blocks in its sync.
        let backup = Task {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try test.ledger.backup(to: copy) }) }
            }
        }
        try #require(await sync.awaitSyncBegan(2), "the backup returned without a sync of its own")
        #expect(try Ledger.headSeq(ofFile: copy) == 1, "the copy holds the batch still syncing")
        sync.letSyncGo()
        sync.letSyncGo()
        #expect(try await backup.value == 1)
        _ = try await answered.value
    }

    /// A backup's sync that fails stops the writer, as a batch's does: the pages it did not write
    /// may be gone, and the next sync of the same descriptor would report success over them.
    @Test func aBackupWhoseSyncFailsStopsTheWriter() async throws {
        let test = try TestLedger(wrapWALSync: { FailingOnceWALSync($0) })
        await #expect(throws: LedgerError.self) { try test.ledger.backup(to: test.path + "-backup.sqlite") }
        try await Self.expectCommandsRefusedAfterAFailedSync(test)
    }

    /// Runs `write` on a ledger with held syncs and lets its sync, the `number`th, go.
    static func synced(
        _ sync: HeldWALSync, _ number: Int, _ write: @escaping @Sendable () async throws -> Void
    ) async throws {
        let task = Task { try await write() }
        try #require(await sync.awaitSyncBegan(number), "sync \(number) did not begin")
        sync.letSyncGo()
        try await task.value
    }

    /// OBP's histories are paged by seq as well: a revocation still syncing is not in them yet.
    @Test func anEntitlementHistoryIsShownARevocationOnlyOnceItsSyncEnded() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let ledger = test.ledger
        let context = MigrationTests.context()
        try await Self.synced(sync, 1) {
            try await ledger.obpCreateUser(ObpUser(id: "u1", provider: "p", username: "user1", createdBy: "admin"), context)
        }
        try await Self.synced(sync, 2) {
            try await ledger.obpGrantEntitlement(
                .init(bankId: "", roleName: "CanGetAnyUser"), userId: "u1", caller: .admin, entitlementId: "e1", context)
        }
        let revoked = Task { try await ledger.obpRevokeEntitlement(id: "e1", userId: "u1", caller: .admin, context) }
        try #require(await sync.awaitSyncBegan(3), "the revocation's sync did not begin")
        #expect(try ledger.obpEntitlementHistory(userId: "u1", afterSeq: 0, limit: 10).map(\.change) == ["granted"])
        sync.letSyncGo()
        try await revoked.value
        #expect(
            try ledger.obpEntitlementHistory(userId: "u1", afterSeq: 0, limit: 10).map(\.change) == ["granted", "revoked"])
    }

    /// OBP's account-access pages (`next_after_seq`) as well: an account's owner access, granted
    /// with the account, is not listed while their batch syncs.
    @Test func anAccountsAccessPageIsShownAGrantOnlyOnceItsSyncEnded() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let ledger = test.ledger
        let context = MigrationTests.context()
        try await Self.synced(sync, 1) {
            try await ledger.obpCreateBank(
                ObpBank(id: "gh.29.uk", bankCode: "C", fullName: "Bank"), caller: .admin, grantId: "g", context)
        }
        try await Self.synced(sync, 2) {
            try await ledger.obpCreateUser(ObpUser(id: "u1", provider: "p", username: "user1", createdBy: "admin"), context)
        }
        let account = ObpAccount(
            bankId: "gh.29.uk", id: "acc", holderUserId: "u1", label: "", productCode: "", currency: "EUR")
        let created = Task {
            try await ledger.obpCreateAccount(account, balanceIsZero: true, caller: .admin, accessId: "a1", context)
        }
        try #require(await sync.awaitSyncBegan(3), "the account's sync did not begin")
        #expect(try ledger.obpAccountAccess(bankId: "gh.29.uk", accountId: "acc", atMs: nil, afterSeq: 0, limit: 10).isEmpty)
        #expect(try ledger.obpAccessHistory(bankId: "gh.29.uk", accountId: "acc", afterSeq: 0, limit: 10).isEmpty)
        sync.letSyncGo()
        try await created.value
        #expect(try ledger.obpAccountAccess(bankId: "gh.29.uk", accountId: "acc", atMs: nil, afterSeq: 0, limit: 10).count == 1)
        #expect(try ledger.obpAccessHistory(bankId: "gh.29.uk", accountId: "acc", afterSeq: 0, limit: 10).count == 1)
    }

    /// `close` returns only once every command was answered, those whose sync is still running
    /// included. The sync is let go only once `close` has been called and has not returned.
    @Test func closeWaitsForTheBatchesStillSyncing() async throws {
        let (test, sync) = try Self.ledgerWithHeldSyncs()
        let command = try test.grantCommand("c-closing")
        let answered = Task {
            _ = try await test.submit(command)
            sync.steps.withLock { $0.append("answered") }
        }
        try #require(await sync.awaitSyncBegan(), "no sync began")
        let closed = Task {
            sync.steps.withLock { $0.append("closing") }
            await test.ledger.close()
            sync.steps.withLock { $0.append("closed") }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while !sync.steps.withLock({ $0.contains("closing") }) {
            try #require(ContinuousClock.now < deadline, "close was not called")
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(sync.steps.withLock { $0 } == ["sync began", "closing"])
        sync.letSyncGo()
        try await answered.value
        await closed.value
        let steps = sync.steps.withLock { $0 }
        // `close` returned after the sync ended. Whether its task or the command's notes its end
        // first is the scheduler's choice (both run once the answer is given): a check of the
        // last step failed now and then with the suite on both cores.
        #expect(steps.prefix(3) == ["sync began", "closing", "sync ended"])
        #expect(Set(steps.dropFirst(3)) == ["answered", "closed"])
    }

    /// The real sync opens the ledger's own WAL and syncs it; a WAL that is not there is an
    /// error that names the file, not a crash.
    @Test func theWALSyncOpensTheLedgersWALAndNamesAMissingOne() throws {
        let test = try TestLedger()
        let sync = try WALSync(databasePath: test.path)
        try sync.sync()
        #expect(sync.path == test.path + "-wal")
        #expect(throws: WALSyncError.self) { try WALSync(databasePath: test.path + "-missing") }
    }
}
