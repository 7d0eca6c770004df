import Synchronization

/// The chain head's seq as commits move it, and waits for it to reach a seq. Fed by the writer
/// after each commit, before it answers the batch's callers (and by `Ledger.watchHead` with the
/// head as read then), so a waiter costs nothing while the log does not change. It was fed by a
/// GRDB transaction observer, which read the head after every commit and made GRDB do its
/// observation's work around each: about 32,000 instructions a commit, 3 % of a keysend payment
/// under callgrind's small batches (`tools/instructions.sh`), where the writer knows its head.
package final class HeadWatch: Sendable {
    private struct Waiter {
        var atLeast: Int64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var head: Int64
        var waiters: [UInt64: Waiter] = [:]
        var nextId: UInt64 = 0
    }

    private let state: Mutex<State>

    init(head: Int64) {
        state = Mutex(State(head: head))
    }

    /// The newest committed seq this watch has seen.
    package var head: Int64 { state.withLock { $0.head } }

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
