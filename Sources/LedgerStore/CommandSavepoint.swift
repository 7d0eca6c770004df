import GRDB

/// One command's savepoint inside the writer's batch transaction, as GRDB's `inSavepoint` runs
/// it (a failing command rolls back alone, and the first error is the one thrown), but with
/// statements prepared once per connection: `inSavepoint` prepares `SAVEPOINT` and `RELEASE`
/// from their text for every command, two of the three statements SQLite compiled per command
/// in a keysend load.
///
/// They still run through GRDB, so its transaction observers (any a later change adds; the
/// ledger's own `HeadObserver` reads the head at commit) see the savepoint open, release or
/// roll back and keep or drop the changes they buffered.
enum CommandSavepoint {
    static let beginSQL = "SAVEPOINT command"
    static let releaseSQL = "RELEASE SAVEPOINT command"
    static let rollbackSQL = "ROLLBACK TRANSACTION TO SAVEPOINT command"

    /// Runs `body` in a savepoint, released when it returns and rolled back when it throws.
    /// Only inside a transaction (the writer's batch): a top-level savepoint would open one.
    /// When SQLite has rolled the batch's transaction back (a full disk, an I/O error in an
    /// earlier command), it throws `SQLITE_ABORT`, as GRDB's statements then do, and the batch
    /// fails as a whole.
    static func run<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard db.isInsideTransaction else {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted", sql: beginSQL)
        }
        try db.cachedStatement(sql: beginSQL).execute()
        let value: T
        do {
            value = try body()
            try db.cachedStatement(sql: releaseSQL).execute()
        } catch {
            // Rolling back alone leaves the savepoint on SQLite's stack: it is released after.
            do {
                try db.cachedStatement(sql: rollbackSQL).execute()
                try db.cachedStatement(sql: releaseSQL).execute()
            } catch {
                // The first error is what the caller hears; this one means the transaction is
                // gone too (SQLite rolled it back): the next command's savepoint, or the batch's
                // commit, fails with SQLITE_ABORT.
            }
            throw error
        }
        return value
    }
}
