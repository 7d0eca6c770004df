import LedgerCore

/// Spends reserved and not yet settled, released, corrected or denied, as their rows stand after
/// the reservation (`SpendDecider.evolve` of it, the row `SpendsProjection` saves), by their id's
/// bytes as SQLite tells ids apart. What a spend's events do to them is worked out once per event,
/// in the writer (`WriterMemory.spendsApplied`), and applied to both sets kept from it: the writer
/// memory's, between its commands, and `CommittedHeldSpends`, as its commits leave them.
///
/// At most `capacity`: a reservation that finds that many kept forgets them all (they are then
/// read). A plain dictionary rather than a `BoundedMap` that forgets the oldest first: its upkeep
/// of its order was paid on every keysend payment, and the spends held at once are far fewer than
/// the capacity unless holds are left to expire.
struct HeldSpends {
    static let capacity = 10_000

    /// What one spend event does to the spends held: keeps its spend (a reservation's) or forgets
    /// it (any later event of the spend).
    struct Change: Sendable {
        let key: ByteKey
        let spend: Spend?
    }

    /// A batch's changes in the order its commands made them, or that everything is to be
    /// forgotten (an event applied without its typed value, which could be any spend's).
    struct Changes: Sendable {
        var changes: [Change] = []
        var forgetsAll = false
    }

    private let capacity: Int
    private var spends: [ByteKey: Spend] = [:]

    init(capacity: Int = HeldSpends.capacity) {
        self.capacity = capacity
    }

    /// nil for an event that is not a spend's own (a budget's threshold).
    static func change(for event: SpendEvent) -> Change? {
        switch event {
        case .reserved(let e): Change(key: ByteKey(e.spendId), spend: SpendDecider.evolve(nil, event))
        case .settled(let e): Change(key: ByteKey(e.spendId), spend: nil)
        case .corrected(let e): Change(key: ByteKey(e.spendId), spend: nil)
        case .released(let e): Change(key: ByteKey(e.spendId), spend: nil)
        case .denied(let e): Change(key: ByteKey(e.spendId), spend: nil)
        case .thresholdReached: nil
        }
    }

    mutating func apply(_ change: Change) {
        if change.spend != nil, spends.count >= capacity { spends.removeAll() }
        spends[change.key] = change.spend
    }

    mutating func apply(_ changes: Changes) {
        if changes.forgetsAll { return removeAll() }
        for change in changes.changes { apply(change) }
    }

    /// The held spend with this id, when kept; nil says nothing (read the row).
    subscript(id: String) -> Spend? { spends[ByteKey(id)] }

    mutating func removeAll() {
        if !spends.isEmpty { spends.removeAll() }
    }

    var count: Int { spends.count }
}
