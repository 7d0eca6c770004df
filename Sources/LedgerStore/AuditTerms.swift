import GRDB
import GRDBSQLite

/// The audit trail's dictionary: each user, subject, source and word it holds is stored once in
/// `audit_terms`, and rows and indexes hold its code (schema/projections_v8.sql).
///
/// Looked up in the database every time, not kept in memory: a code drawn inside a command whose
/// savepoint is rolled back stops existing, and a cache would go on handing it out.
enum AuditTerms {
    /// The term's code, drawn now (the next integer) if the term is new.
    static func code(_ term: String, _ db: Database) throws -> Int64 {
        if let code = try code(ifKnown: term, db) { return code }
        try db.cachedStatement(sql: "INSERT INTO audit_terms (term) VALUES (?)").execute(arguments: [term])
        return db.lastInsertedRowID
    }

    /// The term's code, or nil when no record holds it.
    ///
    /// SQLite's own calls on a statement only this function uses: a record takes eight of these,
    /// and through GRDB's `fetchOne` (arguments checked and copied, a cursor made) they made a
    /// replay a fifth slower. The statement is left reset, as GRDB expects a cached one.
    static func code(ifKnown term: String, _ db: Database) throws -> Int64? {
        let sqlite = try db.cachedStatement(sql: "SELECT code FROM audit_terms WHERE term = ?").sqliteStatement
        sqlite3_reset(sqlite)
        defer { sqlite3_reset(sqlite) }
        // SQLITE_TRANSIENT: SQLite copies the bytes before the buffer goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var text = term
        // With its length, so a NUL inside a term is part of it; an empty term needs a pointer
        // that is not nil, or SQLite would bind NULL.
        let bound = text.isEmpty
            ? "".withCString { sqlite3_bind_text(sqlite, 1, $0, 0, transient) }
            : text.withUTF8 { sqlite3_bind_text(sqlite, 1, $0.baseAddress, Int32($0.count), transient) }
        guard bound == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: bound)) }
        switch sqlite3_step(sqlite) {
        case SQLITE_ROW: return sqlite3_column_int64(sqlite, 0)
        case SQLITE_DONE: return nil
        case let code:
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
