import LedgerCore
import Synchronization

/// Rows of `oauth_clients`, `tokens` and `connections`, as point reads found them, kept until the
/// writer commits an event that could change any of them.
///
/// A point read through the pool (a read transaction, the statement, its rows) cost about 150 µs
/// of the server's CPU at 64 connections, and token introspection made two: client
/// authentication, then the token with its grant. Those rows change only through client,
/// token and connection events, while the events a busy ledger commits all day are spends and
/// audit records. So the writer counts commits that hold any other event (`generation`), and a
/// row read at one count is answered again only while the count stands.
///
/// The count moves after the commit and before the commands' callers are answered: a caller told
/// its revocation is done never reads the row from before it. A read that started before the
/// commit may still be answered from before it, as a read of the snapshot it began in would be.
/// Only rows found are kept (a miss is read again), each kind at most `capacity` of them, the
/// oldest forgotten first.
///
/// The same call after each commit keeps the spends held (`CommittedHeldSpends`), which change
/// with every spend event and so are kept by the batch's changes to them rather than by a count.
package final class AuthorizationRowCache: Sendable {
    /// Events that change none of the three tables (only the spends' and the audit trail's
    /// projections apply them); anything else, an event type added later included, moves the
    /// count. The gateway's and OBP's records come with every request those surfaces answer.
    static let typesThatKeepRows: Set<String> = [
        SpendReserved.type, SpendSettled.type, SpendCorrected.type, SpendReleased.type, SpendDenied.type,
        BudgetThresholdReached.type, AccessReported.type, AuditLogRead.type, GatewayAccessRecorded.type,
        AuthorizationChecked.type,
    ]

    static let capacity = 10_000

    /// The count of commits that may have changed a row; shared by the memos, which read it
    /// before each read of theirs.
    private let count = CommitCount()
    package let clients: Memo<OAuthClient>
    let tokens: Memo<(token: TokensProjection.Token, connection: Connection)>
    /// A connection by its id: the budget service reads the budget's before each reservation the
    /// admin makes (its currency prices the hold), a third of that request's read CPU.
    let connections: Memo<Connection>
    /// Spends held, as committed (`CommittedHeldSpends`): kept by events, not by reads.
    let heldSpends: CommittedHeldSpends

    package init() {
        clients = Memo(count)
        tokens = Memo(count)
        connections = Memo(count)
        heldSpends = CommittedHeldSpends()
    }

    package var currentGeneration: UInt64 { count.value }

    /// After a commit: keeps what its spend events did to the spends held (`heldSpendChanges`,
    /// as the writer's memory worked them out), and moves the count unless every event committed
    /// keeps the rows. A rejected command may have recorded its denial, whose type the outcome
    /// does not say: it moves it.
    func committed(_ outcomes: [Result<CommandOutcome, any Error>], heldSpendChanges: HeldSpends.Changes) {
        heldSpends.committed(heldSpendChanges)
        let keepsRows = outcomes.allSatisfy { outcome in
            switch outcome {
            // By index: iterating the events copied each whole (a retain and a release of each of
            // its references) to read its type.
            case .success(.accepted(let events, _)):
                events.indices.allSatisfy { Self.typesThatKeepRows.contains(events[$0].type) }
            case .success(.rejected): false
            case .failure: true  // rolled back to its savepoint: nothing of it was written
            }
        }
        // The count only: the held spends are kept by their own events, which the line above
        // has just applied, and no other event changes a spend's row.
        if !keepsRows { count.advance() }
    }

    /// Forgets every row and held spend kept: for writes outside the writer's commands (a replay
    /// in place, another connection's commit seen at a batch's start), and after a failed batch.
    func invalidate() {
        count.advance()
        heldSpends.forgetAll()
    }

    final class CommitCount: Sendable {
        private let atomic = Atomic<UInt64>(0)
        var value: UInt64 { atomic.load(ordering: .acquiring) }
        func advance() { atomic.add(1, ordering: .releasing) }
    }

    /// One kind of row by key, for the count it was read at.
    package final class Memo<Row: Sendable>: Sendable {
        private struct Entries {
            var generation: UInt64 = 0
            /// By the key's bytes, as SQLite tells keys apart: "\u{212A}1" (a Kelvin sign) and "K1"
            /// are equal Strings but two ids, and only one of them has a row.
            var rows = BoundedMap<ByteKey, Row>(capacity: AuthorizationRowCache.capacity)
        }
        private let entries = Mutex(Entries())
        private let count: CommitCount

        init(_ count: CommitCount) { self.count = count }

        /// The row kept for `key` while the count stands, or `read()`'s, kept when found.
        package func row(_ key: String, read: () throws -> Row?) rethrows -> Row? {
            try row(key, generation: count.value, read: read)
        }

        /// `generation`: the count taken before `read` runs.
        func row(_ key: String, generation: UInt64, read: () throws -> Row?) rethrows -> Row? {
            let byteKey = ByteKey(key)
            if let kept = entries.withLock({ $0.generation == generation ? $0.rows[byteKey] : nil }) { return kept }
            guard let row = try read() else { return nil }
            entries.withLock { entries in
                // Read at an older count than the rows kept: it may be the older row; not kept.
                if generation < entries.generation { return }
                if generation > entries.generation {
                    entries.generation = generation
                    entries.rows = BoundedMap(capacity: AuthorizationRowCache.capacity)
                }
                // Past `capacity` the oldest row kept is forgotten.
                entries.rows[byteKey] = row
            }
            return row
        }
    }
}
