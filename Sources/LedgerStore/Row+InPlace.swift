import GRDB
import GRDBSQLite

extension Row {
    /// The first row of `statement`, handed to `body` where SQLite holds it, or nil when there is
    /// none. For point reads by name (a token, a client, an OAuth code); the writer's reads for
    /// every payment (a spend, its connection) go by column index instead (`ColumnReads`).
    ///
    /// `Row.fetchOne` copies the row, and GRDB finds a name in a copied row by lowercasing each
    /// column's name in turn until one matches: about 260 `lowercased()` calls to read a spend of
    /// 23 columns. Those look-ups were 5 % of a keysend's CPU (`perf`, at 64 connections). A row
    /// read in place looks its names up in a dictionary the cursor builds once.
    ///
    /// `body` must not run the same statement again (a fetch of the same cached SQL): that would
    /// reset it under the row being read. And a row read in place converts as SQLite does (text
    /// in an integer column reads as 0, where a copied row would fail); the projections' columns
    /// hold only what their own writers put there.
    static func fetchFirst<T>(
        _ statement: Statement, arguments: StatementArguments, _ body: (Row) throws -> T
    ) throws -> T? {
        assert(
            sqlite3_stmt_busy(statement.sqliteStatement) == 0, "a statement read in place was run again inside its read"
        )
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        guard let row = try rows.next() else { return nil }
        // The cursor resets the statement when it goes, and Swift may let it go after its last
        // use: kept alive until `body` has read the row.
        return try withExtendedLifetime(rows) { try body(row) }
    }

    /// Every row of `statement`, each handed to `body` in place (see `fetchFirst`).
    static func fetchEach<T>(
        _ statement: Statement, arguments: StatementArguments, _ body: (Row) throws -> T
    ) throws -> [T] {
        // GRDB's cursor `map` keeps its transform; the array is built before this returns.
        try withoutActuallyEscaping(body) { body in
            try Array(Row.fetchCursor(statement, arguments: arguments).map(body))
        }
    }
}
