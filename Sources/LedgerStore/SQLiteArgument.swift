import Foundation
import GRDB
import GRDBSQLite

/// An argument bound straight into SQLite, without a `StatementArguments` (`readFirst`,
/// `executeInPlace`). Each kind but `wholeText` is bound as GRDB binds the same Swift value, so a
/// row reads and compares the same whichever way it was written; `wholeText` keeps a NUL and
/// what follows it, where GRDB would cut the text there.
enum SQLiteArgument {
    /// Up to its first NUL, as GRDB binds a String.
    case text(String)
    /// With its length, so a NUL inside it is part of it (`AuditTerms`' terms).
    case wholeText(String)
    case int64(Int64)
    case value(DatabaseValue)
    case null

    /// NULL for nil, as GRDB binds an optional.
    static func optional(_ value: Int64?) -> SQLiteArgument { value.map { .int64($0) } ?? .null }
    static func optional(_ text: String?) -> SQLiteArgument { text.map { .text($0) } ?? .null }
    /// 1 or 0, as GRDB binds a Bool.
    static func bool(_ value: Bool) -> SQLiteArgument { .int64(value ? 1 : 0) }

    /// `SQLITE_TRANSIENT`, which the C header defines as a cast Swift does not import: SQLite
    /// copies what it is given before the call returns.
    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// SQLite copies what it is given (`SQLITE_TRANSIENT`).
    func bind(at index: Int32, _ sqlite: SQLiteStatement) -> Int32 {
        let transient = Self.transient
        switch self {
        case .int64(let value): return sqlite3_bind_int64(sqlite, index, value)
        case .null: return sqlite3_bind_null(sqlite, index)
        case .text(let text):
            // Up to its first NUL, as GRDB binds a String: a key reads the same either way.
            return text.withCString { sqlite3_bind_text(sqlite, index, $0, -1, transient) }
        case .wholeText(let text):
            var text = text
            // An empty text needs a pointer that is not nil, or SQLite would bind NULL.
            if text.isEmpty { return "".withCString { sqlite3_bind_text(sqlite, index, $0, 0, transient) } }
            return text.withUTF8 { sqlite3_bind_text(sqlite, index, $0.baseAddress, Int32($0.count), transient) }
        case .value(let value):
            switch value.storage {
            case .null: return sqlite3_bind_null(sqlite, index)
            case .int64(let int): return sqlite3_bind_int64(sqlite, index, int)
            case .double(let double): return sqlite3_bind_double(sqlite, index, double)
            case .string(let string): return SQLiteArgument.text(string).bind(at: index, sqlite)
            case .blob(let data):
                return data.withUnsafeBytes {
                    sqlite3_bind_blob(sqlite, index, $0.baseAddress, Int32($0.count), transient)
                }
            }
        }
    }
}

extension Statement {
    func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement))),
            sql: sql)
    }

    /// Binds every argument, the statement's parameters one to one, from a fresh reset.
    func bindInPlace(_ arguments: [SQLiteArgument]) throws {
        let sqlite = sqliteStatement
        sqlite3_reset(sqlite)
        sqlite3_clear_bindings(sqlite)
        // As GRDB checks its arguments: a count that does not match is a bug, not a NULL.
        guard arguments.count == Int(sqlite3_bind_parameter_count(sqlite)) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "wrong number of statement arguments: \(arguments.count) for "
                    + "\(sqlite3_bind_parameter_count(sqlite)) parameters",
                sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            try check(argument.bind(at: Int32(offset + 1), sqlite))
        }
    }
}
