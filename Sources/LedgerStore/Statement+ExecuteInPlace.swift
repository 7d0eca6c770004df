import GRDB
import GRDBSQLite

extension Statement {
    /// Runs a statement that changes projection rows, its arguments bound straight into SQLite.
    ///
    /// For the writes the writer makes for every command (a spend's row, its budget's usage, an
    /// audit row and its time block): GRDB's `execute(arguments:)` builds `StatementArguments`,
    /// checks them, and prepares and ends its observation of every statement, about a fifth of
    /// the writer's own (not SQLite's) samples in a keysend load's profile.
    ///
    /// Only for tables no transaction observer watches (`HeadObserver` watches inserts into
    /// `events`, which go through GRDB): GRDB does not hear of these changes. Only inside a
    /// transaction, as every projection write is: outside one (SQLite rolled the transaction
    /// back after an I/O error, say) it throws `SQLITE_ABORT` as GRDB does, rather than write
    /// in autocommit mode.
    func executeInPlace(_ arguments: SQLiteArgument...) throws {
        let sqlite = sqliteStatement
        assert(!sql.contains(" events "), "inserts into events go through GRDB, which its observers hear of")
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
