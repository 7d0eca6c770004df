import GRDB
import GRDBSQLite

extension Statement {
    /// Runs a statement that changes rows, its arguments bound straight into SQLite.
    ///
    /// For the writes the writer makes for every command (its events, a spend's row, its
    /// budget's usage, an audit row and its time block): GRDB's `execute(arguments:)` builds `StatementArguments`,
    /// checks them, and prepares and ends its observation of every statement, about a fifth of
    /// the writer's own (not SQLite's) samples in a keysend load's profile.
    ///
    /// Only for tables no transaction observer watches row by row (the ledger registers none;
    /// its watch of the head is fed by the writer): GRDB does not hear of these changes. Nor does it
    /// hear when such a statement's error makes SQLite roll the whole transaction back (a full
    /// disk): its observers learn of it from the batch's failure, not as a rollback.
    ///
    /// Only inside a transaction, as every projection write is (the writer's batch, a replay, a
    /// migration): outside one it throws `SQLITE_ABORT` rather than write in autocommit mode,
    /// where GRDB would write only outside a transaction block.
    func executeInPlace(_ arguments: SQLiteArgument...) throws {
        try executeInPlace(arguments: arguments)
    }

    /// As `executeInPlace(_:)`, with the arguments in an array (a statement of many rows).
    func executeInPlace(arguments: [SQLiteArgument]) throws {
        let sqlite = sqliteStatement
        guard sqlite3_get_autocommit(sqlite3_db_handle(sqlite)) == 0 else {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted", sql: sql)
        }
        try bindInPlace(arguments)
        defer { sqlite3_reset(sqlite) }
        try withExtendedLifetime(self) {
            while true {
                switch sqlite3_step(sqlite) {
                case SQLITE_ROW: continue
                case SQLITE_DONE: return
                case let code: throw error(code)
                }
            }
        }
    }
}
