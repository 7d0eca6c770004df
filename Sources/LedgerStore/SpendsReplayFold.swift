import GRDB
import LedgerCore

/// `SpendsProjection` for a replay. A payment is a reservation and its settle (or release), each
/// of which `apply` writes as three statements: the spend's row, its cycle's usage and its
/// connection's totals, every one an upsert or an `UPDATE` of a row written a moment before. In
/// a replay of a payment ledger those six statements were 12 % of all samples, on the thread
/// that bounds a replay's speed. Here a spend's row is held from its reservation until it is
/// written once, and usage and totals are summed per key and written once per key.
///
/// Each change is the one `apply`'s statement makes, made to the held row or sum; a spend that is
/// not held (written already) is updated by `apply`'s own statement.
final class SpendsReplayFold: ReplayFold {
    /// Spends held at most: past it every held row is written (a few MB).
    static let spendsHeldMaxDefault = 4_096
    /// Usage and totals keys held at most, for a ledger of very many connections.
    static let sumsHeldMaxDefault = 65_536

    private let spendsHeldMax: Int
    private let sumsHeldMax: Int
    /// The spends held, in the order they were first held, and where each is in it (keyed by
    /// bytes, as SQLite tells ids apart: `ByteKey`). Written in that order: ids are drawn in time
    /// order (`TimeOrderedID`) as spends are reserved, so the rows go in near the table's right
    /// edge one after another rather than in a dictionary's order. Sorting the keys first cost
    /// as much as it saved (`perf`), and against the dictionary's order this one measured level
    /// on the clock: it is kept as the order that needs neither.
    private var heldSpends: [Spend] = []
    private var heldPositions: [ByteKey: Int] = [:]
    private var sums = SpendSums()

    /// The spends' rows as written, many to a statement (`BatchedInsert`).
    private var spendRows: BatchedInsert

    /// Smaller bounds are for tests: each bound reached writes everything held.
    init(
        spendsHeldMax: Int = spendsHeldMaxDefault, sumsHeldMax: Int = sumsHeldMaxDefault,
        rowsPerInsert: Int = BatchedInsert.rowsPerStatementDefault
    ) {
        self.spendsHeldMax = spendsHeldMax
        self.sumsHeldMax = sumsHeldMax
        spendRows = BatchedInsert(sql: SpendsProjection.saveSQL(rows:), rowsPerStatement: rowsPerInsert)
    }

    func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        guard let spendEvent = try typed.flatMap(SpendEvent.init) ?? SpendEvent(event.payload) else { return }
        switch spendEvent {
        case .reserved(let e):
            try hold(SpendDecider.evolve(nil, spendEvent), db)
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle, spendEvent, db)
            try addTotals(e.connectionId, settledMsat: 0, spendAtMs: e.reservedAtMs, db)
        case .denied(let e):
            try hold(SpendDecider.evolve(nil, spendEvent), db)
            try addTotals(e.connectionId, settledMsat: 0, spendAtMs: e.deniedAtMs, db)
        case .settled(let e):
            // `apply`'s UPDATE for a settle.
            let held = updateHeld(e.spendId) { spend in
                spend.status = .settled
                spend.amountMsat = e.amountMsat
                spend.feeMsat = e.feeMsat
                spend.chargedUnits = e.chargedUnits
                spend.settledAtMs = e.settledAtMs
                spend.provisional = e.provisional == true
            }
            if !held { try SpendsProjection.updateSettled(e, db) }
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle, spendEvent, db)
            try addTotals(e.connectionId, settledMsat: e.amountMsat + e.feeMsat, spendAtMs: nil, db)
        case .corrected(let e):
            // `apply`'s UPDATE for a correction.
            let held = updateHeld(e.spendId) { spend in
                let failed = e.amountMsat == 0 && e.feeMsat == 0
                spend.amountMsat = e.amountMsat
                spend.feeMsat = e.feeMsat
                spend.chargedUnits = e.chargedUnits
                spend.provisional = false
                spend.status = failed ? .released : .settled
                spend.reason = failed ? SpendReleaseReason.failed.rawValue : nil
                spend.releasedAtMs = failed ? e.correctedAtMs : nil
            }
            if !held { try SpendsProjection.updateCorrected(e, db) }
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle, spendEvent, db)
            try addTotals(
                e.connectionId, settledMsat: e.amountMsat + e.feeMsat - e.previousAmountMsat - e.previousFeeMsat,
                spendAtMs: nil, db)
        case .released(let e):
            // `apply`'s UPDATE for a release.
            let held = updateHeld(e.spendId) { spend in
                spend.status = .released
                spend.releasedAtMs = e.releasedAtMs
                spend.reason = e.reason.rawValue
            }
            if !held { try SpendsProjection.updateReleased(e, db) }
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle, spendEvent, db)
        case .thresholdReached(let e):
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle, spendEvent, db)
        }
    }

    func flush(_ db: Database) throws {
        for spend in heldSpends { try spendRows.append(SpendsProjection.saveValues(spend), db) }
        try spendRows.write(db)
        heldSpends.removeAll(keepingCapacity: true)
        heldPositions.removeAll(keepingCapacity: true)
        try sums.write(db)
        sums.removeAll()
    }

    /// Changes the held row of spend `id` in place, with one look-up of its key; false when no row
    /// of it is held (it was written, or reserved before the replay's start).
    private func updateHeld(_ id: String, _ change: (inout Spend) -> Void) -> Bool {
        guard let position = heldPositions[ByteKey(id)] else { return false }
        change(&heldSpends[position])
        return true
    }

    /// `apply`'s INSERT OR REPLACE, held: a row replaced before it is written is never written.
    private func hold(_ spend: Spend?, _ db: Database) throws {
        guard let spend else { return }
        let key = ByteKey(spend.id)
        if let position = heldPositions[key] {
            heldSpends[position] = spend
            return
        }
        if heldSpends.count >= spendsHeldMax { try flush(db) }
        heldPositions[key] = heldSpends.count
        heldSpends.append(spend)
    }

    /// `apply`'s usage upsert, summed. A sum that would overflow an Int64 in memory writes what is
    /// held first and leaves the event's change to the statement. (A stored sum near 2^63 that
    /// `apply`'s arithmetic would have pushed past it and back, turning the column into a REAL in
    /// SQLite, stays an integer here: it takes thousands of spends of the largest amount a spend
    /// may have, 10^15 msat, in one cycle.)
    private func addUsage(
        _ connectionId: String, _ anchorMs: Int64?, _ cycle: BudgetCycle?, _ event: SpendEvent, _ db: Database
    ) throws {
        guard let anchorMs, let cycle else { return }
        let key = SpendSums.UsageKey(connectionId, anchorMs: anchorMs, cycleStartMs: cycle.startMs)
        if sums.usage[key] == nil, sums.count >= sumsHeldMax { try flush(db) }
        guard sums.addUsage(key, cycleEndMs: cycle.endMs, SpendDecider.evolve(.zero, event)) != nil else {
            try flush(db)
            return try SpendsProjection.addUsage(connectionId, anchorMs, cycle, event, db)
        }
    }

    /// `apply`'s totals upsert, summed, likewise.
    private func addTotals(_ connectionId: String, settledMsat: Int64, spendAtMs: Int64?, _ db: Database) throws {
        let key = ByteKey(connectionId)
        if sums.totals[key] == nil, sums.count >= sumsHeldMax { try flush(db) }
        guard sums.addTotals(key, settledMsat: settledMsat, spendAtMs: spendAtMs) != nil else {
            try flush(db)
            return try SpendsProjection.addTotals(connectionId, settledMsat: settledMsat, spendAtMs: spendAtMs, db)
        }
    }
}

extension SpendsProjection {
    public func makeReplayFold() -> (any ReplayFold)? { SpendsReplayFold() }
}
