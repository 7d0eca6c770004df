import GRDB
import LedgerCore
import Synchronization

/// What the writer keeps in memory between statements and commands. In a keysend load a command
/// ran 21 statements; 9 were the audit record's (its eight terms looked up in `audit_terms`, its
/// time block's span widened in `audit_trail_times`), and reading the spend's connection (a row
/// read and its scopes split) was a twentieth of the writer's own samples.
///
/// **Time blocks' spans** are widened in memory during a batch and written once per block at its
/// end (`finishBatch`), inside its transaction. A span widened by a command that is then rolled
/// back stays wide: a block's span may cover a time none of its rows has, which only makes a
/// time filter read the block (it is what `verify` checks the other way: no row outside its
/// block's span).
///
/// **Connections** read by spend commands are kept, by their id's bytes, until a command appends
/// an event that could change a connection's row (`AuthorizationRowCache.typesThatKeepRows`
/// names those that cannot), or a command is rolled back, or the rules below forget everything.
///
/// **Held spends** (`HeldSpends`): a reservation's spend as its row stands after the reservation,
/// by its id's bytes, until the next event of that spend (its settle or release, which reads it
/// from here instead of from `spends`), or a command is rolled back, or the rules below forget
/// everything. Only the writer's `SpendsProjection` changes a spend's row, by applying an event of
/// the spend, and every event it applies passes `spendsApplied(_:)` (a writer without that
/// projection keeps no spend); `WriterMemoryTests` holds each kept spend to the row. The batch's
/// changes are gathered too, without those of a command rolled back, for `CommittedHeldSpends`
/// (`finishBatch` hands them over): each event's change is worked out once.
///
/// **Budget usage and connection totals** (`budget_usage`, `spend_totals`) are summed in memory
/// during a batch and written once per key at its end (`finishBatch`), inside its transaction
/// (`SpendSums`): in a keysend load the payments of a batch all add to one cycle and one
/// connection. A command rolled back takes its changes back with it (each change keeps the sum it
/// replaced). A spend's decision reads its cycle's usage from here (`usage`): the row as the
/// batch first read it plus the batch's sums. Nothing else writes those rows during a batch.
///
/// **Term codes**
/// A code is handed out from memory only while the writer knows it stands:
/// - codes drawn or first read in a command whose savepoint is rolled back are forgotten with it
///   (`commandRolledBack`): a drawn one no longer exists, and the next term would get its number;
/// - a batch whose transaction fails forgets everything (`forgetAll`);
/// - when another connection has committed since the writer's last batch (another process
///   recording an export, a `replay` run against the file), everything is forgotten
///   (`beginBatch`, by SQLite's `PRAGMA data_version`);
/// - when the writer's own connection has changed rows since its last batch ended (an in-place
///   replay in this process, which also calls `forgetAll`, or anything else run on it), everything
///   is forgotten (`beginBatch`, by SQLite's count of changes on the connection).
///
/// Only the writer's commands use it; replays code terms with their own memo, and reads look
/// terms and connections up as before.
package final class WriterMemory: Sendable {
    /// Terms kept at most; the oldest kept is forgotten first (it is then read again).
    static let capacity = 65_536
    /// Connections kept at most, likewise.
    static let connectionsCapacity = 10_000
    private struct State {
        /// Per time block this batch has written rows to, the span of their times.
        var spans: [Int64: (earliestMs: Int64, latestMs: Int64)] = [:]
        /// By bytes, as `audit_terms` tells terms apart: "é" and "e" with a combining accent are
        /// equal Strings but two terms (`ByteKey`).
        var codes = BoundedMap<ByteKey, Int64>(capacity: WriterMemory.capacity)
        /// Connections as the writer read them, by their id's bytes (as SQLite tells ids apart).
        var connections = BoundedMap<ByteKey, Connection>(capacity: WriterMemory.connectionsCapacity)
        /// Spends reserved and not yet settled or released, as their rows are.
        var heldSpends = HeldSpends()
        /// What this batch's commands did to the held spends, for `CommittedHeldSpends`.
        var heldSpendChanges = HeldSpends.Changes()
        /// How many of `heldSpendChanges` the commands released so far made: a command rolled
        /// back drops the ones after.
        var heldSpendChangesReleased = 0
        /// Terms kept since the current command began: forgotten if it rolls back.
        var keptInCommand: [ByteKey] = []
        /// This batch's usage and totals changes, written as it ends.
        var spendSums = SpendSums()
        /// What the current command's changes replaced in `spendSums`, oldest first.
        var spendSumsPriors: [SpendSums.Prior] = []
        /// Usage rows as this batch read them, before its sums (zero for a cycle without one).
        var usageRead: [SpendSums.UsageKey: BudgetUsage] = [:]
        /// Between `beginBatch` and `finishBatch`: sums added outside would never be written.
        var inBatch = false
        /// The older forms of stream keys the log holds, once read (`olderStreamForms`).
        var olderStreamForms: OlderStreamForms?
        /// `PRAGMA data_version` as the writer's connection last read it.
        var dataVersion: Int64?
        /// The connection's count of changed rows as the last batch ended.
        var totalChangesAtBatchEnd: Int?

        mutating func forgetConnections() {
            connections = BoundedMap(capacity: WriterMemory.connectionsCapacity)
        }

        mutating func forgetHeldSpends() {
            heldSpends.removeAll()
        }

        mutating func startHeldSpendChanges() {
            heldSpendChanges = HeldSpends.Changes()
            heldSpendChangesReleased = 0
        }

        /// Every code and connection kept, and what the log's stream keys are known to be.
        mutating func forgetKept() {
            olderStreamForms = nil
            codes = BoundedMap(capacity: WriterMemory.capacity)
            forgetConnections()
            forgetHeldSpends()
            keptInCommand.removeAll()
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// The term's code: kept, found in `audit_terms`, or drawn now.
    func code(_ term: String, _ db: Database) throws -> Int64 {
        let key = ByteKey(term)
        if let code = state.withLock({ $0.codes[key] }) { return code }
        let code = try AuditTerms.code(term, db)
        state.withLock { state in
            state.codes[key] = code
            state.keptInCommand.append(key)
        }
        return code
    }

    private static let dataVersion = StatementSlot("PRAGMA data_version")

    /// At the start of a batch, inside its transaction: forgets every code when another
    /// connection has committed, or this one has changed rows, since the last batch ended (or
    /// none has ended yet), and says so: the rows kept for reads were read before it too.
    @discardableResult
    func beginBatch(_ db: Database) throws -> Bool {
        let version = try Self.dataVersion.run(db) { try Int64.fetchOne($0) } ?? 0
        let totalChanges = db.totalChangesCount
        return state.withLock { state in
            let changedOutside = state.dataVersion != version || state.totalChangesAtBatchEnd != totalChanges
            if changedOutside {
                state.forgetKept()
                state.dataVersion = version
            }
            state.keptInCommand.removeAll(keepingCapacity: true)
            state.spans.removeAll(keepingCapacity: true)
            state.spendSums.removeAll()
            state.spendSumsPriors.removeAll(keepingCapacity: true)
            state.usageRead.removeAll(keepingCapacity: true)
            state.inBatch = true
            state.startHeldSpendChanges()
            return changedOutside
        }
    }

    /// The older forms of stream keys the log holds: read once, and again after anything is
    /// forgotten (another connection's commit, the writer's own connection changing rows outside
    /// its batches, a failed batch). A command never appends an older form, so one rolled back
    /// changes nothing here.
    func olderStreamForms(_ db: Database) throws -> OlderStreamForms {
        if let known = state.withLock({ $0.olderStreamForms }) { return known }
        let found = try OlderStreamForms.inLog(db)
        state.withLock { $0.olderStreamForms = found }
        return found
    }

    /// The connection with this id: kept, or read (and kept when found).
    func connection(id: String, _ db: Database) throws -> Connection? {
        let key = ByteKey(id)
        if let connection = state.withLock({ $0.connections[key] }) { return connection }
        guard let connection = try ConnectionsProjection.fetch(id: id, db) else { return nil }
        state.withLock { $0.connections[key] = connection }
        return connection
    }

    /// After an event is applied: one that could change a connection's row forgets them all.
    func applied(eventType type: String) {
        guard !AuthorizationRowCache.typesThatKeepRows.contains(type) else { return }
        state.withLock { $0.forgetConnections() }
    }

    /// After `SpendsProjection` applied an event: a spend's reservation keeps the spend as the
    /// projection saved it, any other event of a spend forgets that spend (`HeldSpends`). An event
    /// not given typed (never in the writer) could be any spend's: every kept one is forgotten,
    /// and so are the committed ones when the batch commits.
    func spendsApplied(_ typed: (any DomainEvent)?) {
        guard let typed else {
            return state.withLock { state in
                state.forgetHeldSpends()
                state.heldSpendChanges.forgetsAll = true
            }
        }
        guard let event = SpendEvent(typed), let change = HeldSpends.change(for: event) else { return }
        state.withLock { state in
            state.heldSpends.apply(change)
            state.heldSpendChanges.changes.append(change)
        }
    }

    /// The spend with this id as its row stands, when it is held and kept; nil says nothing
    /// (read the row).
    func heldSpend(id: String) -> Spend? {
        state.withLock { $0.heldSpends[id] }
    }

    /// After a write on the writer's connection outside its batches that changed nothing this
    /// memory keeps (a checkpoint's row): the count of changes it moved is not a reason to
    /// forget, unless something else had moved it before (`changesBefore`, read in the same
    /// write before it).
    func unrelatedWrite(_ db: Database, changesBefore: Int) {
        let totalChanges = db.totalChangesCount
        state.withLock { state in
            if state.totalChangesAtBatchEnd == changesBefore { state.totalChangesAtBatchEnd = totalChanges }
        }
    }

    /// `SpendsProjection`'s usage upsert for `event`, summed for the batch's end. A sum past an
    /// Int64 fails the command (no payment comes near: it takes thousands of spends of the
    /// largest amount in one batch).
    func addUsage(_ connectionId: String, _ anchorMs: Int64?, _ cycle: BudgetCycle?, _ event: SpendEvent) throws {
        guard let anchorMs, let cycle else { return }
        let key = SpendSums.UsageKey(connectionId, anchorMs: anchorMs, cycleStartMs: cycle.startMs)
        let delta = SpendDecider.evolve(.zero, event)
        let added = state.withLock { state in
            assert(state.inBatch, "budget usage summed outside a batch would never be written")
            guard let prior = state.spendSums.addUsage(key, cycleEndMs: cycle.endMs, delta) else { return false }
            state.spendSumsPriors.append(prior)
            return true
        }
        guard added else { throw Self.sumTooLarge("the budget usage of connection \(connectionId)") }
    }

    /// `SpendsProjection`'s totals upsert, summed for the batch's end, likewise.
    func addTotals(_ connectionId: String, settledMsat: Int64, spendAtMs: Int64?) throws {
        let added = state.withLock { state in
            assert(state.inBatch, "connection totals summed outside a batch would never be written")
            guard let prior = state.spendSums.addTotals(ByteKey(connectionId), settledMsat: settledMsat, spendAtMs: spendAtMs)
            else { return false }
            state.spendSumsPriors.append(prior)
            return true
        }
        guard added else { throw Self.sumTooLarge("the totals of connection \(connectionId)") }
    }

    private static func sumTooLarge(_ what: String) -> LedgerError {
        LedgerError(code: .storage, message: "\(what) would pass the largest integer in one batch")
    }

    /// A budget cycle's usage as the batch's commands have left it so far: its row, read once a
    /// batch, plus the batch's sums. A sum past an Int64 reads as the largest one (nothing more fits).
    func usage(connectionId: String, anchorMs: Int64, cycleStartMs: Int64, _ db: Database) throws -> BudgetUsage {
        let key = SpendSums.UsageKey(connectionId, anchorMs: anchorMs, cycleStartMs: cycleStartMs)
        let (read, sum) = state.withLock { ($0.usageRead[key], $0.spendSums.usage[key]) }
        var usage: BudgetUsage
        if let read {
            usage = read
            #if DEBUG
                // Debug builds (every test that spends through the writer) hold it to the row.
                let row = try SpendsProjection.usage(
                    connectionId: connectionId, anchorMs: anchorMs, cycleStartMs: cycleStartMs, db) ?? .zero
                assert(row == read, "the batch read \(read) for the cycle whose row is \(row)")
            #endif
        } else {
            usage = try SpendsProjection.usage(connectionId: connectionId, anchorMs: anchorMs, cycleStartMs: cycleStartMs, db) ?? .zero
            state.withLock { [usage] in $0.usageRead[key] = usage }
        }
        guard let sum else { return usage }
        usage.spentUnits = Self.saturatingSum(usage.spentUnits, sum.spentUnits)
        usage.heldUnits = Self.saturatingSum(usage.heldUnits, sum.heldUnits)
        usage.thresholdReached = usage.thresholdReached || sum.thresholdReached
        return usage
    }

    private static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }

    /// Widens, in memory, the span of a time block this batch wrote a row to.
    func noteTime(block: Int64, recordedAtMs: Int64) {
        state.withLock { state in
            if let span = state.spans[block] {
                state.spans[block] = (min(span.earliestMs, recordedAtMs), max(span.latestMs, recordedAtMs))
            } else {
                state.spans[block] = (recordedAtMs, recordedAtMs)
            }
        }
    }

    /// At the end of a batch, inside its transaction, after its commands: widens each block's
    /// stored span to what the batch's rows need (one statement per block, usually one per
    /// batch), notes the connection's count of changes for the next `beginBatch`, and returns
    /// what the commands kept did to the held spends (for `CommittedHeldSpends` once committed).
    @discardableResult
    func finishBatch(_ db: Database) throws -> HeldSpends.Changes {
        let spans = state.withLock { state in
            defer { state.spans.removeAll(keepingCapacity: true) }
            return state.spans
        }
        for (block, span) in spans.sorted(by: { $0.key < $1.key }) {
            try AuditRecordsProjection.noteTime(block: block, earliestMs: span.earliestMs, latestMs: span.latestMs, db)
        }
        // Emptied by the next `beginBatch`, as everything else the batch kept.
        let sums = state.withLock { state in
            state.inBatch = false
            return state.spendSums
        }
        try sums.write(db)
        let totalChanges = db.totalChangesCount
        return state.withLock { state in
            state.totalChangesAtBatchEnd = totalChanges
            defer { state.startHeldSpendChanges() }
            return state.heldSpendChanges
        }
    }

    /// The command's savepoint was released: what it kept stands with the batch.
    func commandReleased() {
        state.withLock { state in
            state.keptInCommand.removeAll(keepingCapacity: true)
            state.spendSumsPriors.removeAll(keepingCapacity: true)
            state.heldSpendChangesReleased = state.heldSpendChanges.changes.count
        }
    }

    /// The command's savepoint was rolled back: the codes it drew no longer exist, and a
    /// connection or spend it changed is as it was.
    func commandRolledBack() {
        state.withLock { state in
            state.forgetConnections()
            state.forgetHeldSpends()
            state.heldSpendChanges.changes.removeSubrange(state.heldSpendChangesReleased...)
            for prior in state.spendSumsPriors.reversed() { state.spendSums.restore(prior) }
            state.spendSumsPriors.removeAll(keepingCapacity: true)
            for term in state.keptInCommand { state.codes[term] = nil }
            state.keptInCommand.removeAll(keepingCapacity: true)
        }
    }

    /// Nothing kept is vouched for any more: a failed batch, or the trail rewritten in place.
    package func forgetAll() {
        state.withLock { state in
            state.forgetKept()
            state.dataVersion = nil
            state.totalChangesAtBatchEnd = nil
            // Not the spans: they are the batch's own (`beginBatch` empties them, `finishBatch`
            // writes them), and rows already inserted in a batch keep their times whatever is
            // forgotten meanwhile.
        }
    }

    /// How many codes are kept (for tests).
    var keptCount: Int { state.withLock { $0.codes.count } }
}
