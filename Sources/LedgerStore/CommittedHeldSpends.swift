import LedgerCore
import Synchronization

/// Spends reserved and not yet settled, released or corrected, as the writer's commits left their
/// rows: for point reads of a held spend, which the budget service makes before every settle and
/// release (`/v1/spends/{id}/settle` checks whose spend it is and answers the spend after the
/// command). That read through the pool was a sixth of a reserve-and-settle load's request CPU.
///
/// The writer tells it what each batch committed (`AuthorizationRowCache.committed`), after the
/// commit and before the commands' callers are answered: a reservation keeps its spend as
/// `SpendDecider.evolve` makes it from the event (the row the spends projection saves, which
/// `WriterMemory` relies on too and its tests hold it to), and any later event of the spend
/// forgets it. So a caller told its settle is done never reads the spend held; a read that
/// started before a commit may still be answered from before it, as a read of the snapshot it
/// began in would be. Only the writer's commands change a spend's row, and replays in place and
/// failed batches forget everything (`AuthorizationRowCache.invalidate`). At most `capacity`
/// spends, the oldest reservation forgotten first (its spend is then read).
final class CommittedHeldSpends: Sendable {
    static let capacity = 10_000

    private let spends = Mutex(BoundedMap<ByteKey, Spend>(capacity: CommittedHeldSpends.capacity))
    /// False when the ledger's projections give spends no rows: nothing is kept.
    private let keeps: Bool

    init(keeps: Bool = true) { self.keeps = keeps }

    /// The held spend with this id, as committed; nil says nothing (read the row).
    func spend(id: String) -> Spend? {
        spends.withLock { $0[ByteKey(id)] }
    }

    /// After a commit: what its outcomes' events did to the spends they name. An event that came
    /// without its typed value (never from the writer's commands) could be any spend's: everything
    /// is forgotten.
    func committed(_ outcomes: [Result<CommandOutcome, any Error>]) {
        guard keeps else { return }
        for outcome in outcomes {
            // A replayed command committed nothing new; a refused one only its refusal.
            guard case .success(.accepted(let events, replayed: false)) = outcome else { continue }
            for event in events {
                guard let typed = event.domainEvent else {
                    forgetAll()
                    continue
                }
                guard let spendEvent = SpendEvent(typed) else { continue }
                switch spendEvent {
                case .reserved(let reserved):
                    guard let spend = SpendDecider.evolve(nil, spendEvent) else { continue }
                    spends.withLock { $0[ByteKey(reserved.spendId)] = spend }
                case .settled(let e): forget(e.spendId)
                case .corrected(let e): forget(e.spendId)
                case .released(let e): forget(e.spendId)
                case .denied(let e): forget(e.spendId)
                case .thresholdReached: break  // a budget's, not a spend's
                }
            }
        }
    }

    func forgetAll() {
        spends.withLock { if $0.count > 0 { $0 = BoundedMap(capacity: Self.capacity) } }
    }

    private func forget(_ id: String) {
        spends.withLock { $0[ByteKey(id)] = nil }
    }

    /// How many spends are kept (for tests).
    var count: Int { spends.withLock { $0.count } }
}
