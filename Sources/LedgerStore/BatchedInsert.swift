import GRDB
import GRDBSQLite

/// Rows of one table a replay's fold writes many to an `INSERT`, where the writer writes one. A
/// statement a row was most of what a replayed event cost the replaying thread: each run opens a
/// cursor on the table and on each of its indexes, binds and resets (`perf` of a payment
/// ledger's replay: the trail's row 28 % of that thread's samples, 3.5 µs a row). Nothing reads
/// these tables while a replay writes them, so a row may wait for the ones after it; the fold
/// writes what waits (`write`) before anything could read it.
struct BatchedInsert {
    static let rowsPerStatementDefault = 64

    /// The statement of one row (`sql(1)`), for rows that do not fill a statement.
    private let single: StatementSlot
    /// The statement of `rowsPerStatement` rows: `single`'s, its `VALUES` repeated.
    private let many: StatementSlot
    private let rowsPerStatement: Int
    /// The rows waiting, their values one row after another.
    private var values: [SQLiteArgument] = []
    private var rows = 0

    /// `sql(n)` is the statement of n rows (columns in one order, `VALUES` repeated n times).
    /// Both statements are found by their text in the connection's cache (`StatementSlot`), so
    /// the one-row one is the writer's own statement where the writer runs `sql(1)`.
    init(sql: (Int) -> String, rowsPerStatement: Int = rowsPerStatementDefault) {
        single = StatementSlot(sql(1))
        self.rowsPerStatement = max(1, rowsPerStatement)
        many = StatementSlot(sql(self.rowsPerStatement))
    }

    /// Adds a row (its values in the statement's column order); writes the rows waiting once
    /// they fill a statement.
    mutating func append(_ row: [SQLiteArgument], _ db: Database) throws {
        values.append(contentsOf: row)
        rows += 1
        if rows == rowsPerStatement { try write(db) }
    }

    /// Writes the rows waiting: all at once when they fill a statement, else one by one. A full
    /// statement that breaks a constraint (rows a hand-written log makes clash) undoes only
    /// itself (SQLite's ABORT), and its rows are then written one by one, so that a replay fails
    /// at the same row with the same error as the writer's statement gives, only a few rows later.
    mutating func write(_ db: Database) throws {
        guard rows > 0 else { return }
        defer {
            values.removeAll(keepingCapacity: true)
            rows = 0
        }
        // SQLite before 3.32 allowed 999 parameters a statement, where 64 rows take up to 1,472:
        // there, one by one rather than a statement that cannot be prepared.
        if rows == rowsPerStatement, values.count <= Int(sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) {
            do {
                try many.run(db) { statement in try statement.executeInPlace(arguments: values) }
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // One by one, below.
            }
        }
        let columns = values.count / rows
        for start in stride(from: 0, to: values.count, by: columns) {
            let row = Array(values[start..<(start + columns)])
            try single.run(db) { statement in try statement.executeInPlace(arguments: row) }
        }
    }
}
