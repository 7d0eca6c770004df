import GRDB
import LedgerCore

/// The `spends` and `budget_usage` tables, folded with `SpendDecider.evolve`. Usage rows are keyed
/// by connection, budget anchor and cycle start: the one index look-up a reservation needs.
public struct SpendsProjection: Projection {
    public let name = "spends"
    public var tables: [(name: String, orderBy: String)] {
        [
            ("spends", "id"), ("budget_usage", "connection_id, budget_anchor_ms, cycle_start_ms"),
            ("spend_totals", "connection_id"),
        ]
    }

    public init() {}

    /// The spends as the layout before spends_keys_v1 stored them: ids as text, in the order of
    /// that text, so that a checksum printed before still compares. A UUID's 16 bytes sort as its
    /// lower-case text does, so a table of one form is read in its key's order; a table holding
    /// both (rows from before the upgrade, or an id that is not a lower-case UUID beside ones that
    /// are) is sorted by the text, since SQLite sorts any text before any BLOB. Each of the two
    /// queries gives the rows only in its case; the test for both forms is two primary-key seeks.
    /// `spendsColumns` is the table's every column (`SpendKeysTests` holds it to the table).
    public func checksumSources(events: String) -> [(name: String, queries: [String])] {
        tables.map { table in
            guard table.name == "spends" else { return (table.name, [storedRowsQuery(table)]) }
            let columns = Self.spendsColumns.map { column in
                switch column {
                case "id", "connection_id": EventKeyStorage.eventIdTextSQL(column)
                case "status": SpendColumnStorage.statusTextSQL
                case "method": SpendColumnStorage.methodTextSQL
                default: column
                }
            }
            let select = "SELECT \(columns.joined(separator: ", ")) FROM spends"
            let bothForms =
                "EXISTS (SELECT 1 FROM spends WHERE id < x'') AND EXISTS (SELECT 1 FROM spends WHERE id >= x'')"
            return (
                table.name,
                ["\(select) WHERE NOT (\(bothForms)) ORDER BY id", "\(select) WHERE \(bothForms) ORDER BY 1"]
            )
        }
    }

    static let saveSQL = saveSQL(rows: 1)

    /// `INSERT OR REPLACE` of `rows` rows, `saveValues`' values one row after another.
    static func saveSQL(rows: Int) -> String {
        let row = "(\(Array(repeating: "?", count: spendsColumns.count).joined(separator: ", ")))"
        return "INSERT OR REPLACE INTO spends (\(spendsColumns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Every column of `spends`, in the table's order: what a row is saved with and checksummed by.
    static let spendsColumns = [
        "id", "connection_id", "method", "status", "amount_msat", "fee_reserve_msat", "fee_msat", "payment_hash",
        "budget_currency", "held_units", "charged_units", "budget_anchor_ms", "cycle_start_ms", "cycle_end_ms",
        "expires_at_ms", "reserved_at_ms", "settled_at_ms", "released_at_ms", "reason", "rate_currency", "rate_msat",
        "rate_units", "provisional",
    ]

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        try Self.apply(event, typed: typed, db, memory: nil)
    }

    /// `apply`, and as the writer applies it (`memory` given): the usage and totals changes are
    /// summed in `memory` and written once per key as the batch ends (`WriterMemory.finishBatch`),
    /// where `apply` writes them at once.
    static func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database, memory: WriterMemory?)
        throws
    {
        guard let spendEvent = try typed.flatMap(SpendEvent.init) ?? SpendEvent(event.payload) else { return }
        // Writes only, no read-modify-write: this runs in the writer for every spend command. The
        // statements do what `SpendDecider.evolve` does (the HTTP answers fold with evolve, and the
        // replay tests compare both).
        func addUsage(_ connectionId: String, _ anchorMs: Int64?, _ cycle: BudgetCycle?) throws {
            guard let memory else { return try Self.addUsage(connectionId, anchorMs, cycle, spendEvent, db) }
            try memory.addUsage(connectionId, anchorMs, cycle, spendEvent)
        }
        func addTotals(_ connectionId: String, settledMsat: Int64, spendAtMs: Int64?) throws {
            guard let memory else {
                return try Self.addTotals(connectionId, settledMsat: settledMsat, spendAtMs: spendAtMs, db)
            }
            try memory.addTotals(connectionId, settledMsat: settledMsat, spendAtMs: spendAtMs)
        }
        switch spendEvent {
        case .reserved(let e):
            try Self.save(SpendDecider.evolve(nil, spendEvent), db)
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle)
            try addTotals(e.connectionId, settledMsat: 0, spendAtMs: e.reservedAtMs)
        case .denied(let e):
            try Self.save(SpendDecider.evolve(nil, spendEvent), db)
            try addTotals(e.connectionId, settledMsat: 0, spendAtMs: e.deniedAtMs)
        case .settled(let e):
            try Self.updateSettled(e, db)
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle)
            try addTotals(e.connectionId, settledMsat: e.amountMsat + e.feeMsat, spendAtMs: nil)
        case .corrected(let e):
            try Self.updateCorrected(e, db)
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle)
            try addTotals(
                e.connectionId, settledMsat: e.amountMsat + e.feeMsat - e.previousAmountMsat - e.previousFeeMsat,
                spendAtMs: nil)
        case .released(let e):
            try Self.updateReleased(e, db)
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle)
        case .thresholdReached(let e):
            try addUsage(e.connectionId, e.budgetAnchorMs, e.cycle)
        }
    }

    /// Usage changes add up, so an event's effect is `evolve` from zero, added in one upsert.
    static func addUsage(
        _ connectionId: String, _ anchorMs: Int64?, _ cycle: BudgetCycle?, _ event: SpendEvent, _ db: Database
    ) throws {
        guard let anchorMs, let cycle else { return }
        let delta = SpendDecider.evolve(.zero, event)
        try addUsage(
            connectionId: connectionId, anchorMs: anchorMs, cycleStartMs: cycle.startMs, cycleEndMs: cycle.endMs,
            spentUnits: delta.spentUnits, heldUnits: delta.heldUnits, thresholdReached: delta.thresholdReached, db)
    }

    /// A change to one cycle's usage, added to its row (made with `cycleEndMs` if there is none).
    static func addUsage(
        connectionId: String, anchorMs: Int64, cycleStartMs: Int64, cycleEndMs: Int64?, spentUnits: Int64,
        heldUnits: Int64, thresholdReached: Bool, _ db: Database
    ) throws {
        try usageAdd.run(db) { statement in
            try statement.executeInPlace(
                .text(connectionId), .int64(anchorMs), .int64(cycleStartMs), .optional(cycleEndMs), .int64(spentUnits),
                .int64(heldUnits), .bool(thresholdReached))
        }
    }

    // The statements that change a spend's row after its reservation (`SpendDecider.evolve`'s
    // changes, as columns), shared with `SpendsReplayFold` for a spend it does not hold.

    static func updateSettled(_ e: SpendSettled, _ db: Database) throws {
        try settle.run(db) { statement in
            try forEachForm(ofId: e.spendId, db) { id in
                try statement.executeInPlace(
                    .int64(e.amountMsat), .int64(e.feeMsat), .int64(e.chargedUnits), .int64(e.settledAtMs),
                    .bool(e.provisional == true), .value(id))
            }
        }
    }

    static func updateCorrected(_ e: SpendCorrected, _ db: Database) throws {
        let failed = e.amountMsat == 0 && e.feeMsat == 0
        let statement = try db.cachedStatement(
            sql: """
                UPDATE spends SET amount_msat = ?, fee_msat = ?, charged_units = ?, provisional = 0,
                  status = ?, reason = ?, released_at_ms = ? WHERE id = ?
                """)
        try forEachForm(ofId: e.spendId, db) { id in
            try statement.execute(arguments: [
                e.amountMsat, e.feeMsat, e.chargedUnits,
                SpendColumnStorage.stored(status: failed ? .released : .settled),
                failed ? SpendReleaseReason.failed.rawValue : nil, failed ? e.correctedAtMs : nil, id,
            ])
        }
    }

    static func updateReleased(_ e: SpendReleased, _ db: Database) throws {
        try release.run(db) { statement in
            try forEachForm(ofId: e.spendId, db) { id in
                try statement.execute(arguments: [e.releasedAtMs, e.reason.rawValue, id])
            }
        }
    }

    static func addTotals(_ connectionId: String, settledMsat: Int64, spendAtMs: Int64?, _ db: Database)
        throws
    {
        try totalsAdd.run(db) { statement in
            try statement.executeInPlace(.text(connectionId), .int64(settledMsat), .int64(spendAtMs ?? 0))
        }
    }

    public static func usage(connectionId: String, anchorMs: Int64, cycleStartMs: Int64, _ db: Database) throws
        -> BudgetUsage?
    {
        try usageRead.run(db) { statement in
            try statement.readFirst(.text(connectionId), .int64(anchorMs), .int64(cycleStartMs)) {
                BudgetUsage(spentUnits: $0.int64(0), heldUnits: $0.int64(1), thresholdReached: $0.int64(2) != 0)
            }
        }
    }

    /// Usage of the cycle a connection's budget is in at `nowMs` (zero when nothing was spent yet).
    public static func currentUsage(of connection: Connection, nowMs: Int64, _ db: Database) throws -> (
        cycle: BudgetCycle, usage: BudgetUsage
    )? {
        guard let (anchorMs, cycle) = SpendDecider.cycleForReservation(connection, nowMs: nowMs) else { return nil }
        let usage = try usage(connectionId: connection.id, anchorMs: anchorMs, cycleStartMs: cycle.startMs, db)
        return (cycle, usage ?? .zero)
    }

    public static func fetch(id: String, _ db: Database) throws -> Spend? {
        try Self.byId.run(db) { statement in
            for form in EventKeyStorage.storedForms(ofEventId: id) {
                if let spend = try statement.readFirst(.value(form), body: spend(from:)) { return spend }
            }
            return nil
        }
    }

    /// Runs an update of one spend with its id as rows keep it since spends_keys_v1, and with the
    /// text only when that changed nothing (a row written before): one primary-key search in the
    /// usual case.
    static func forEachForm(ofId id: String, _ db: Database, _ update: (DatabaseValue) throws -> Void) throws {
        for form in EventKeyStorage.storedForms(ofEventId: id) {
            try update(form)
            if db.changesCount > 0 { return }
        }
    }

    // The statements that find spends by a key; `MigrationTests` checks that each searches an
    // index (the primary key, or the held ones' expiry). A spend's id and its connection's are
    // kept as their 16 bytes when they are lower-case UUIDs (`EventKeyStorage`, since
    // spends_keys_v1), as text before that and otherwise: a look-up tries the one, then the other.
    static let byIdSQL = "SELECT \(spendsColumns.joined(separator: ", ")) FROM spends WHERE id = ?"
    static let usageSQL = """
        SELECT spent_units, held_units, threshold_reached FROM budget_usage
        WHERE connection_id = ? AND budget_anchor_ms = ? AND cycle_start_ms = ?
        """
    static let expiredHoldsSQL = """
        SELECT id FROM spends WHERE \(SpendColumnStorage.heldSQL) AND expires_at_ms <= ?
        ORDER BY expires_at_ms LIMIT ?
        """
    // Made once: the status's literal is formatted with `String(format:)`, which was 1.6 % of
    // the writer's samples when this statement's text was made per settle.
    static let settleSQL = """
        UPDATE spends SET status = \(SpendColumnStorage.literal(.settled)), amount_msat = ?, fee_msat = ?,
          charged_units = ?, settled_at_ms = ?, provisional = ? WHERE id = ?
        """
    static let releaseSQL =
        "UPDATE spends SET status = \(SpendColumnStorage.literal(.released)), released_at_ms = ?, reason = ? WHERE id = ?"

    // The writer's statements, found without hashing their text (`StatementSlot`).
    static let saveStatement = StatementSlot(saveSQL)
    static let byId = StatementSlot(byIdSQL)
    static let usageRead = StatementSlot(usageSQL)
    static let settle = StatementSlot(settleSQL)
    static let release = StatementSlot(releaseSQL)
    static let usageAdd = StatementSlot(
        """
        INSERT INTO budget_usage (connection_id, budget_anchor_ms, cycle_start_ms, cycle_end_ms,
          spent_units, held_units, threshold_reached)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (connection_id, budget_anchor_ms, cycle_start_ms) DO UPDATE SET
          spent_units = spent_units + excluded.spent_units,
          held_units = held_units + excluded.held_units,
          threshold_reached = max(threshold_reached, excluded.threshold_reached)
        """)
    static let totalsAdd = StatementSlot(
        """
        INSERT INTO spend_totals (connection_id, settled_msat, last_spend_at_ms) VALUES (?, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET
          settled_msat = settled_msat + excluded.settled_msat,
          last_spend_at_ms = max(last_spend_at_ms, excluded.last_spend_at_ms)
        """)

    /// Holds whose time is up, oldest first, for the expiry sweeper.
    public static func expiredHolds(nowMs: Int64, limit: Int, _ db: Database) throws -> [String] {
        try DatabaseValue.fetchAll(db.cachedStatement(sql: Self.expiredHoldsSQL), arguments: [nowMs, limit])
            .compactMap(EventKeyStorage.eventId)
    }

    /// Total settled msat (fees included) and the latest activity of a connection.
    public static func totals(connectionId: String, _ db: Database) throws -> (
        settledMsat: Int64, lastSpendAtMs: Int64?
    ) {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT settled_msat, last_spend_at_ms FROM spend_totals WHERE connection_id = ?"),
            arguments: [connectionId])
        return (row?[0] ?? 0, row?[1])
    }

    static func save(_ spend: Spend?, _ db: Database) throws {
        guard let spend else { return }
        let values = saveValues(spend)
        try saveStatement.run(db) { statement in try statement.executeInPlace(arguments: values) }
    }

    /// The spend's row, its values in `spendsColumns`' order.
    static func saveValues(_ s: Spend) -> [SQLiteArgument] {
        [
            .value(EventKeyStorage.stored(eventId: s.id)), .value(EventKeyStorage.stored(eventId: s.connectionId)),
            .value(SpendColumnStorage.stored(method: s.method)), .value(SpendColumnStorage.stored(status: s.status)),
            .int64(s.amountMsat), .int64(s.feeReserveMsat), .optional(s.feeMsat), .optional(s.paymentHash),
            .optional(s.budgetCurrency), .int64(s.heldUnits), .optional(s.chargedUnits),
            .optional(s.budgetAnchorMs), .optional(s.cycle?.startMs), .optional(s.cycle?.endMs),
            .optional(s.expiresAtMs), .int64(s.reservedAtMs), .optional(s.settledAtMs), .optional(s.releasedAtMs),
            .optional(s.reason), .optional(s.rate?.currency), .optional(s.rate?.msat), .optional(s.rate?.units),
            .bool(s.provisional),
        ]
    }

    /// A row of `byIdSQL`, its columns in `spendsColumns`' order.
    static func spend(from row: SQLiteColumns) -> Spend {
        var rate: ConversionRate?
        if let currency = row.optionalText(19), let msat = row.optionalInt64(20), let units = row.optionalInt64(21) {
            rate = try? ConversionRate(currency: currency, msat: msat, units: units)
        }
        var spend = Spend(
            id: EventKeyStorage.eventId(row.value(0)) ?? "", connectionId: EventKeyStorage.eventId(row.value(1)) ?? "",
            method: SpendColumnStorage.method(row.value(2)),
            status: SpendColumnStorage.status(row.value(3)) ?? .denied, amountMsat: row.int64(4),
            feeReserveMsat: row.int64(5), feeMsat: row.optionalInt64(6), paymentHash: row.optionalText(7),
            budgetCurrency: row.optionalText(8), heldUnits: row.int64(9), rate: rate,
            chargedUnits: row.optionalInt64(10),
            budgetAnchorMs: row.optionalInt64(11),
            cycle: row.optionalInt64(12).map { BudgetCycle(startMs: $0, endMs: row.optionalInt64(13)) },
            expiresAtMs: row.optionalInt64(14), reservedAtMs: row.int64(15), settledAtMs: row.optionalInt64(16),
            releasedAtMs: row.optionalInt64(17), reason: row.optionalText(18))
        spend.provisional = row.optionalBool(22) ?? false
        return spend
    }
}
