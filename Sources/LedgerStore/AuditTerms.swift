import GRDB
import GRDBSQLite

/// The audit trail's dictionary: each user, subject, source and word it holds is stored once in
/// `audit_terms`, and rows and indexes hold its code (schema/projections_v8.sql).
///
/// Looked up in the database here. A code drawn inside a command whose savepoint is rolled back
/// stops existing, so what keeps codes in memory must forget them with it (the writer's
/// `WriterMemory`), or live no longer than one transaction that nothing else writes (a
/// replay's `AuditRecordsReplayFold`).
enum AuditTerms {
    /// The term's code, drawn now (the next integer) if the term is new.
    static func code(_ term: String, _ db: Database) throws -> Int64 {
        if let code = try code(ifKnown: term, db) { return code }
        // With its length, as `code(ifKnown:)` looks it up: bound as GRDB binds a String (up to a
        // NUL), a term holding a NUL was stored cut short, never found again, and the next
        // record holding it failed on the table's uniqueness.
        try db.cachedStatement(sql: "INSERT INTO audit_terms (term) VALUES (?)").executeInPlace(.wholeText(term))
        return db.lastInsertedRowID
    }

    /// The term's code, or nil when no record holds it.
    ///
    /// Read with `readFirst` (SQLite's own calls): a record takes eight of these, and through
    /// GRDB's `fetchOne` (arguments checked and copied, a cursor made) they made a replay a fifth
    /// slower. The term is bound with its length, so a NUL inside it is part of it.
    static func code(ifKnown term: String, _ db: Database) throws -> Int64? {
        try db.cachedStatement(sql: "SELECT code FROM audit_terms WHERE term = ?").readFirst(.wholeText(term)) {
            $0.int64(0)
        }
    }
}
