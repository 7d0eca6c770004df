import Foundation
import GRDB
import GRDBSQLite

/// A row's columns by index, where SQLite holds them, while the statement stands on the row.
///
/// For the point reads the writer makes for every command (a spend, its connection, the
/// budget's usage, the stream's version). GRDB's fetch builds `StatementArguments` (an array of
/// `DatabaseValue`s), a cursor, and a `Row` that lowercases every column's name into a
/// dictionary, and then each value is found by its name: in a keysend load's profile that was
/// about 5 % of the writer's samples, for reads whose SQL and column order are our own.
///
/// Values convert as SQLite converts them: a NULL read where a value is required (which only a
/// damaged file holds: the columns read so are NOT NULL) reads as 0 or "", where GRDB's by-name
/// read would stop the process. Text is read as GRDB reads it (`String(cString:)`: it ends at a
/// NUL and repairs bad UTF-8), so a value reads the same either way.
struct SQLiteColumns {
    let sqlite: SQLiteStatement

    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(sqlite, index) == SQLITE_NULL }

    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(sqlite, index) }

    func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

    func optionalBool(_ index: Int32) -> Bool? { isNull(index) ? nil : int64(index) != 0 }

    func text(_ index: Int32) -> String {
        guard let text = sqlite3_column_text(sqlite, index) else { return "" }
        return String(cString: text)
    }

    func optionalText(_ index: Int32) -> String? { isNull(index) ? nil : text(index) }

    /// A BLOB's bytes, copied (empty for an empty BLOB, for which SQLite gives no pointer). For
    /// BLOB columns: a NULL reads as empty where GRDB would stop the process, and text as its
    /// stored bytes, which GRDB gives too only for valid UTF-8 without a NUL.
    func data(_ index: Int32) -> Data {
        // The pointer first, then the count: SQLite's documented order.
        guard let bytes = sqlite3_column_blob(sqlite, index) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(sqlite, index)))
    }

    /// The value with its storage class, as GRDB reads one.
    func value(_ index: Int32) -> DatabaseValue { DatabaseValue(sqliteStatement: sqlite, index: index) }
}

extension Statement {
    /// The statement's first row, handed to `body` where SQLite holds it, or nil when there is
    /// none. The statement is reset before it is bound and after it is read, so it holds no read
    /// between uses. Only for statements read this way alone: it binds without telling GRDB, so
    /// GRDB must not run the same statement without arguments of its own.
    func readFirst<T>(_ arguments: SQLiteArgument..., body: (SQLiteColumns) throws -> T) throws -> T? {
        let sqlite = sqliteStatement
        // As `Row.fetchFirst` asserts: a read run again inside its own `body` would be reset
        // under the row being read.
        assert(sqlite3_stmt_busy(sqlite) == 0, "a statement read in place was run again inside its read")
        try bindInPlace(arguments)
        defer { sqlite3_reset(sqlite) }
        // `self` keeps the statement (and its raw pointer) alive until the read is done.
        return try withExtendedLifetime(self) {
            switch sqlite3_step(sqlite) {
            case SQLITE_ROW: return try body(SQLiteColumns(sqlite: sqlite))
            case SQLITE_DONE: return nil
            case let code: throw error(code)
            }
        }
    }

    /// Every row, each handed to `body` where SQLite holds it; the arguments bound by GRDB (checked
    /// against the statement's parameters).
    func readEach<T>(arguments: StatementArguments, body: (SQLiteColumns) throws -> T) throws -> [T] {
        try setArguments(arguments)
        let sqlite = sqliteStatement
        defer { sqlite3_reset(sqlite) }
        return try withExtendedLifetime(self) {
            var values: [T] = []
            while true {
                switch sqlite3_step(sqlite) {
                case SQLITE_ROW: values.append(try body(SQLiteColumns(sqlite: sqlite)))
                case SQLITE_DONE: return values
                case let code: throw error(code)
                }
            }
        }
    }
}
