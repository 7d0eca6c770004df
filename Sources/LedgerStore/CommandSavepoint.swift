import GRDB

/// One command's savepoint inside the writer's batch transaction, as GRDB's `inSavepoint` runs
/// it (a failing command rolls back alone, and the first error is the one thrown), but with
/// statements prepared once per connection: `inSavepoint` prepares `SAVEPOINT` and `RELEASE`
/// from their text for every command, two of the three statements SQLite compiled per command
/// in a keysend load.
///
/// They still run through GRDB, so its transaction observers (any a later change adds; the
/// ledger has none of its own) see the savepoint open, release or roll back and keep or drop
/// the changes they buffered.
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

    /// A command that threw after it had changed rows: only rolling the transaction back takes
    /// them back. The writer does, and runs the batch again with a savepoint per command.
    struct WroteBeforeFailing: Error {
        let error: any Error
        /// SQLite rolled the transaction back itself (a full disk, an I/O error): the batch fails
        /// as a whole, as it did with savepoints, rather than run again into the same fault.
        let transactionLost: Bool
    }

    /// Runs `body` without a savepoint (`LedgerWriter`'s batches, until a command fails after
    /// writing). Two statements a command (`SAVEPOINT`, `RELEASE`) were 22,800 of a command's
    /// 420,000 instructions under callgrind in a keysend load, and they only ever undo the rows of
    /// a command that fails after it has written: a storage error, or a decision a projection
    /// cannot hold, both rare. A command that throws having changed no row (SQLite's count of
    /// changes on the connection, which counts every row an INSERT, UPDATE or DELETE changed, and
    /// a statement that fails changes none) left nothing to undo, and fails alone, as in its
    /// savepoint; one that did throws `WroteBeforeFailing`. As `run`, only inside a transaction:
    /// SQLite may have rolled the batch's transaction back after an I/O error, and a statement run
    /// then would commit on its own.
    static func runWithout<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard db.isInsideTransaction else {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted", sql: beginSQL)
        }
        let changesBefore = db.totalChangesCount
        do {
            return try body()
        } catch {
            guard db.isInsideTransaction else { throw WroteBeforeFailing(error: error, transactionLost: true) }
            guard db.totalChangesCount == changesBefore else {
                throw WroteBeforeFailing(error: error, transactionLost: false)
            }
            throw error
        }
    }
}
