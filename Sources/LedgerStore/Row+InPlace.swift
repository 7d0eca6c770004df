import GRDB

extension Row {
    /// The first row of `statement`, handed to `body` where SQLite holds it, or nil when there is
    /// none. For the point reads a decision makes (a connection, a spend, a token), read by name.
    ///
    /// `Row.fetchOne` copies the row, and GRDB finds a name in a copied row by lowercasing each
    /// column's name in turn until one matches: about 260 `lowercased()` calls to read a spend of
    /// 23 columns. Those look-ups were 5 % of a keysend's CPU (`perf`, at 64 connections). A row
    /// read in place looks its names up in a dictionary the cursor builds once.
    static func fetchFirst<T>(
        _ statement: Statement, arguments: StatementArguments, _ body: (Row) throws -> T
    ) throws -> T? {
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
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var values: [T] = []
        while let row = try rows.next() { values.append(try body(row)) }
        return values
    }
}
