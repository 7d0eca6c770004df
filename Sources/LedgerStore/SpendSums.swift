import GRDB
import LedgerCore

/// Changes to `budget_usage` and `spend_totals` summed per key, written with one upsert per key
/// where `SpendsProjection.apply` makes one per event. Both tables only ever add an event's
/// change to a row (`SpendsProjection.usageAdd`, `totalsAdd`), so a run of upserts on one key is
/// the one upsert of their sum: amounts and units add up, the flag and the latest time are the
/// largest, and a cycle's end is the first event's (the upsert keeps the row it inserted first).
///
/// Used by a replay (`SpendsReplayFold`) and by the writer for the length of a batch
/// (`WriterMemory`): in a keysend load every payment of a batch adds to the same cycle and the
/// same connection, two upserts a command that were 6 % of the writer's samples in `perf`.
struct SpendSums {
    /// Keyed by the connection's bytes, as SQLite tells ids apart (`ByteKey`).
    struct UsageKey: Hashable {
        var connectionId: ByteKey
        var anchorMs: Int64
        var cycleStartMs: Int64

        init(_ connectionId: String, anchorMs: Int64, cycleStartMs: Int64) {
            self.connectionId = ByteKey(connectionId)
            self.anchorMs = anchorMs
            self.cycleStartMs = cycleStartMs
        }
    }

    struct UsageSum: Equatable {
        /// The first event's, as the upsert keeps the row it inserted first.
        var cycleEndMs: Int64?
        var spentUnits: Int64
        var heldUnits: Int64
        var thresholdReached: Bool
    }

    struct TotalsSum: Equatable {
        var settledMsat: Int64
        /// The latest reservation or denial, 0 for none.
        var lastSpendAtMs: Int64
    }

    /// A key's sum before a change, for the writer to put back when the command that made the
    /// change is rolled back (nil: the key had none).
    enum Prior {
        case usage(UsageKey, UsageSum?)
        case totals(ByteKey, TotalsSum?)
    }

    private(set) var usage: [UsageKey: UsageSum] = [:]
    private(set) var totals: [ByteKey: TotalsSum] = [:]

    /// Keys held.
    var count: Int { usage.count + totals.count }

    /// Adds an event's change to its cycle's sum and returns what the sum was, or nil, changing
    /// nothing, when the sum would overflow an Int64.
    mutating func addUsage(_ key: UsageKey, cycleEndMs: Int64?, _ delta: BudgetUsage) -> Prior? {
        let prior = usage[key]
        guard var sum = prior else {
            usage[key] = UsageSum(
                cycleEndMs: cycleEndMs, spentUnits: delta.spentUnits, heldUnits: delta.heldUnits,
                thresholdReached: delta.thresholdReached)
            return .usage(key, nil)
        }
        let (spent, spentOverflow) = sum.spentUnits.addingReportingOverflow(delta.spentUnits)
        let (held, heldOverflow) = sum.heldUnits.addingReportingOverflow(delta.heldUnits)
        guard !spentOverflow, !heldOverflow else { return nil }
        sum.spentUnits = spent
        sum.heldUnits = held
        sum.thresholdReached = sum.thresholdReached || delta.thresholdReached
        usage[key] = sum
        return .usage(key, prior)
    }

    /// Adds to a connection's totals (the latest spend is the largest time, 0 for none) and
    /// returns what they were, or nil, changing nothing, when the sum would overflow an Int64.
    mutating func addTotals(_ connectionId: ByteKey, settledMsat: Int64, spendAtMs: Int64?) -> Prior? {
        let prior = totals[connectionId]
        guard var sum = prior else {
            totals[connectionId] = TotalsSum(settledMsat: settledMsat, lastSpendAtMs: spendAtMs ?? 0)
            return .totals(connectionId, nil)
        }
        let (settled, overflow) = sum.settledMsat.addingReportingOverflow(settledMsat)
        guard !overflow else { return nil }
        sum.settledMsat = settled
        sum.lastSpendAtMs = max(sum.lastSpendAtMs, spendAtMs ?? 0)
        totals[connectionId] = sum
        return .totals(connectionId, prior)
    }

    /// Puts a key's sum back as it was before a change.
    mutating func restore(_ prior: Prior) {
        switch prior {
        case .usage(let key, let sum): usage[key] = sum
        case .totals(let key, let sum): totals[key] = sum
        }
    }

    /// One upsert per key. What is held stays (`removeAll`).
    func write(_ db: Database) throws {
        for (key, sum) in usage {
            try SpendsProjection.addUsage(
                connectionId: key.connectionId.text, anchorMs: key.anchorMs, cycleStartMs: key.cycleStartMs,
                cycleEndMs: sum.cycleEndMs, spentUnits: sum.spentUnits, heldUnits: sum.heldUnits,
                thresholdReached: sum.thresholdReached, db)
        }
        for (connectionId, sum) in totals {
            try SpendsProjection.addTotals(
                connectionId.text, settledMsat: sum.settledMsat, spendAtMs: sum.lastSpendAtMs, db)
        }
    }

    mutating func removeAll() {
        usage.removeAll(keepingCapacity: true)
        totals.removeAll(keepingCapacity: true)
    }
}
