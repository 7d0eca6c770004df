import Foundation
import GRDB

/// A statement the writer runs for every command, found again without hashing its SQL.
///
/// `Database.cachedStatement(sql:)` finds a statement by its text in a dictionary: each look-up
/// hashes the whole text and compares it, 1,500 instructions for a spend's 400-byte INSERT and
/// 15,800 a command over the nine a payment's command runs (callgrind). A slot keeps, per
/// connection, a weak reference to the statement GRDB's cache holds for its text: found by the
/// connection's identity, it is GRDB's own statement, and it is gone as soon as GRDB drops it (a
/// statement that failed, a cache cleared when the schema changes, a connection closed), and the
/// look-up then asks GRDB again. Nothing here keeps a statement alive, so nothing keeps a
/// connection from closing.
///
/// `@unchecked Sendable`: GRDB's `Statement` is not `Sendable`, so the entries cannot be a
/// `Mutex`'s value (its `withLock` would have to send them out); every read and write of them
/// holds `lock`, and a statement found is used only on the connection (and so the thread) it
/// belongs to, as GRDB's own cache hands it out.
final class StatementSlot: @unchecked Sendable {
    let sql: String

    /// The connections that used it lately: the writer, and readers where a read shares the SQL.
    /// A fifth replaces the oldest (it asks GRDB again next time).
    private static let entriesMax = 4

    /// The connection by identity only: a weak reference to it would make every retain and
    /// release of the connection take the runtime's slow path. The identity cannot name another
    /// connection while `statement` lives: GRDB's cache, inside the connection, is what keeps it.
    private struct Entry {
        var database: ObjectIdentifier
        weak var statement: Statement?
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private var oldest = 0

    init(_ sql: String) { self.sql = sql }

    /// Runs `body` with GRDB's cached statement for `sql` on this connection. A failure forgets
    /// the statement here: GRDB takes a statement that failed out of its cache (it is not to be
    /// run again), and this slot's weak reference would still reach it while anything holds it.
    func run<T>(_ db: Database, _ body: (Statement) throws -> T) throws -> T {
        let statement = try statement(db)
        do {
            return try body(statement)
        } catch {
            lock.lock()
            forget(db)
            lock.unlock()
            throw error
        }
    }

    private func statement(_ db: Database) throws -> Statement {
        lock.lock()
        let kept = kept(db)
        lock.unlock()
        if let kept { return kept }
        let statement = try db.cachedStatement(sql: sql)
        lock.lock()
        keep(statement, db)
        lock.unlock()
        return statement
    }

    // By index: a loop over the entries copies each, and a copy of a weak reference is a runtime call.
    private func kept(_ db: Database) -> Statement? {
        let database = ObjectIdentifier(db)
        for index in entries.indices where entries[index].database == database {
            return entries[index].statement
        }
        return nil
    }

    private func forget(_ db: Database) {
        let database = ObjectIdentifier(db)
        for index in entries.indices where entries[index].database == database { entries[index].statement = nil }
    }

    private func keep(_ statement: Statement, _ db: Database) {
        let entry = Entry(database: ObjectIdentifier(db), statement: statement)
        if let index = entries.firstIndex(where: { $0.database == entry.database || $0.statement == nil }) {
            entries[index] = entry
        } else if entries.count < Self.entriesMax {
            entries.append(entry)
        } else {
            entries[oldest] = entry
            oldest = (oldest + 1) % Self.entriesMax
        }
    }
}
