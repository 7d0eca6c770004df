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

/// Tells the watch the new head after every commit on the write connection: the head is read
/// afresh (the rowid's maximum, one B-tree descent per commit, not per command), so the observer
/// needs to hear of no row change. GRDB then prepares no observation around any statement, and
/// the writer inserts events with its arguments bound straight into SQLite (`executeInPlace`),
/// which GRDB would not hear of anyway. A commit that appended nothing publishes the head it
/// already had, which `publish` ignores.
final class HeadObserver: TransactionObserver, @unchecked Sendable {
    // Touched only on the write connection's queue.
    private weak var watch: HeadWatch?

    init(watch: HeadWatch) {
        self.watch = watch
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseDidCommit(_ db: Database) {
        guard let watch else { return }
        if let seq = try? Self.newestSeq.run(db, { try Int64.fetchOne($0) }) { watch.publish(seq) }
    }

    private static let newestSeq = StatementSlot("SELECT MAX(seq) FROM events")

    func databaseDidRollback(_ db: Database) {}
}
