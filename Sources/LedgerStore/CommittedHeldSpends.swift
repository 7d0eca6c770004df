import LedgerCore
import Synchronization

/// Spends reserved and not yet settled, released or corrected, as the writer's commits left their
/// rows (`HeldSpends`): for point reads of a held spend, which the budget service makes before every
/// settle and release (`/v1/spends/{id}/settle` checks whose spend it is and answers the spend after
/// the command). That read through the pool was a sixth of a reserve-and-settle load's request CPU.
///
/// The writer hands it each batch's changes (`WriterMemory` works them out as its commands apply
/// spend events, and drops those of a command rolled back) after the commit and before the
/// commands' callers are answered. So a caller told its settle is done never reads the spend held;
/// a read that started before a commit may still be answered from before it, as a read of the
/// snapshot it began in would be. In this process only the writer's commands change a spend's row;
/// replays in place, failed batches, and another connection's commit (another process on the file,
/// seen when the writer's next batch begins: `WriterMemory.beginBatch`) forget everything
/// (`AuthorizationRowCache.invalidate`). A ledger without `SpendsProjection` applies no spend
/// event in its writer, so it keeps none.
final class CommittedHeldSpends: Sendable {
    private let spends: Mutex<HeldSpends>

    init(capacity: Int = HeldSpends.capacity) {
        spends = Mutex(HeldSpends(capacity: capacity))
    }

    /// The held spend with this id, as committed; nil says nothing (read the row).
    func spend(id: String) -> Spend? {
        spends.withLock { $0[id] }
    }

    /// After a commit: what its commands' spend events did, under one lock.
    func committed(_ changes: HeldSpends.Changes) {
        guard changes.forgetsAll || !changes.changes.isEmpty else { return }
        spends.withLock { $0.apply(changes) }
    }

    func forgetAll() {
        spends.withLock { $0.removeAll() }
    }

    /// How many spends are kept (for tests).
    var count: Int { spends.withLock { $0.count } }
}
