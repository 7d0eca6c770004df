import CSQLiteConfig
import GRDB
import GRDBSQLite
import LedgerTestSupport
import Testing

/// What CSQLiteConfig sets for the whole process when the program is loaded.
@Suite struct SQLiteProcessSettingsTests {
    /// SQLite keeps no memory statistics (and so takes no process-wide mutex per allocation):
    /// the setting was taken, before this process's first connection, since the bytes SQLite
    /// counts as in use stay at zero however many it allocates.
    ///
    /// Linux only: on macOS the test runner may have started the system's SQLite before this
    /// library was loaded, and SQLite then refuses the setting (harmlessly).
    @Test(.enabled(if: runsOnLinux)) func sqliteCountsNoAllocationInThisProcess() throws {
        #expect(grantledger_sqlite_memory_statistics() == 0)
        let queue = try DatabaseQueue()
        let count = try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            for id in 1...200 {
                try db.execute(sql: "INSERT INTO t (id, body) VALUES (?, zeroblob(?))", arguments: [id, id * 50])
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE length(body) > 0") ?? 0
        }
        #expect(count == 200)
        #expect(sqlite3_memory_used() == 0)
    }
}
