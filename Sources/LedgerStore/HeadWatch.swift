import GRDB
import Synchronization

/// The chain head's seq as commits move it, and waits for it to reach a seq. Fed by a transaction
/// observer on the write connection, so a waiter costs nothing while the log does not change.
package final class HeadWatch: Sendable {
    private struct Waiter {
        var atLeast: Int64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var head: Int64
        var waiters: [UInt64: Waiter] = [:]
        var nextId: UInt64 = 0
        var observer: HeadObserver?
    }

    private let state: Mutex<State>

    init(head: Int64) {
        state = Mutex(State(head: head))
    }

    /// The newest committed seq this watch has seen.
    package var head: Int64 { state.withLock { $0.head } }

    func retain(_ observer: HeadObserver) {
        state.withLock { $0.observer = observer }
    }

    func publish(_ seq: Int64) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard seq > state.head else { return [] }
            state.head = seq
            let ids = state.waiters.filter { $0.value.atLeast <= seq }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once the head is at `seq` or beyond, or when the task is cancelled.
    package func wait(untilHeadReaches seq: Int64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.head >= seq || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(atLeast: seq, continuation: continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }
}

/// Tells the watch the new head after every commit that appended events. It stops listening to
/// row changes after the first in a transaction, so the writer's appends pay one callback per
/// commit, and reads the head (the rowid's maximum: one B-tree descent) only after those commits.
final class HeadObserver: TransactionObserver, @unchecked Sendable {
    // Both touched only on the write connection's queue.
    private weak var watch: HeadWatch?
    private var changed = false

    init(watch: HeadWatch) {
        self.watch = watch
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "events" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidChange() {
        changed = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        guard changed else { return }
        changed = false
        if let seq = try? Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM events")) { watch?.publish(seq) }
    }

    func databaseDidRollback(_ db: Database) {
        changed = false
    }
}
