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
/// began in would be. In this process only the writer's commands change a spend's row; replays in
/// place, failed batches, and another connection's commit (another process on the file, seen when
/// the writer's next batch begins: `WriterMemory.beginBatch`) forget everything
/// (`AuthorizationRowCache.invalidate`). At most `capacity` spends: a reservation past it forgets
/// them all (they are then read). A plain dictionary rather than a `BoundedMap` that forgets the
/// oldest first: its upkeep was half of this type's instructions, about 6,600 a keysend payment,
/// and the spends held at once are far fewer than `capacity` unless holds are left to expire.
final class CommittedHeldSpends: Sendable {
    static let capacity = 10_000

    private let spends = Mutex([ByteKey: Spend]())
    /// False when the ledger's projections give spends no rows: nothing is kept.
    private let keeps: Bool

    private let capacity: Int

    init(keeps: Bool = true, capacity: Int = CommittedHeldSpends.capacity) {
        self.keeps = keeps
        self.capacity = capacity
    }

    /// The held spend with this id, as committed; nil says nothing (read the row).
    func spend(id: String) -> Spend? {
        spends.withLock { $0[ByteKey(id)] }
    }

    /// After a commit: what its outcomes' events did to the spends they name. An event that came
    /// without its typed value (never from the writer's commands) could be any spend's: everything
    /// is forgotten.
    func committed(_ outcomes: [Result<CommandOutcome, any Error>]) {
        guard keeps else { return }
        // The changes are gathered first and made under one lock: the writer runs this for every
        // batch, and each spend event of a keysend payment passes here without being read back.
        var kept: [(key: ByteKey, spend: Spend?)] = []
        for outcome in outcomes {
            // A replayed command committed nothing new; a refused one only its refusal.
            guard case .success(.accepted(let events, replayed: false)) = outcome else { continue }
            // By index: a `for` over the events copies each whole row.
            for index in events.indices {
                guard let typed = events[index].domainEvent else { return forgetAll() }
                guard let spendEvent = SpendEvent(typed) else { continue }
                switch spendEvent {
                case .reserved(let reserved):
                    kept.append((ByteKey(reserved.spendId), SpendDecider.evolve(nil, spendEvent)))
                case .settled(let e): kept.append((ByteKey(e.spendId), nil))
                case .corrected(let e): kept.append((ByteKey(e.spendId), nil))
                case .released(let e): kept.append((ByteKey(e.spendId), nil))
                case .denied(let e): kept.append((ByteKey(e.spendId), nil))
                case .thresholdReached: break  // a budget's, not a spend's
                }
            }
        }
        guard !kept.isEmpty else { return }
        spends.withLock { spends in
            for (key, spend) in kept {
                if spend != nil, spends.count >= capacity { spends.removeAll() }
                spends[key] = spend
            }
        }
    }

    func forgetAll() {
        spends.withLock { if !$0.isEmpty { $0.removeAll() } }
    }

    /// How many spends are kept (for tests).
    var count: Int { spends.withLock { $0.count } }
}
