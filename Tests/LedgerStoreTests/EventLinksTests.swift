import CSQLiteConfig
import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// event_links_v1: a row's `prev_hash` is the hash of the row before, so rows written from then on
/// leave it NULL. A ledger written before keeps its rows as they are and verifies, with the same
/// hashes and checksums.
@Suite struct EventLinksTests {
    static func prevHashIsNotNull(_ db: Database) throws -> Bool? {
        try Bool.fetchOne(db, sql: #"SELECT "notnull" FROM pragma_table_info('events') WHERE name = 'prev_hash'"#)
    }

    static func storedLinks(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE prev_hash IS NOT NULL") ?? -1
    }

    @Test func newRowsKeepNoLinkYetReadWithIt() async throws {
        let test = try TestLedger()
        for index in 0..<3 { try await test.submit(try test.grantCommand("c\(index)")) }
        let (notNull, stored) = try await test.ledger.database.read { db in
            (try Self.prevHashIsNotNull(db), try Self.storedLinks(db))
        }
        #expect(notNull == false)
        #expect(stored == 0)
        // Read back, each row carries its link, and the chain adds up.
        let events = try test.ledger.events(afterSeq: 0, limit: 10)
        #expect(events.count == 3)
        #expect(events.map(\.prevHash) == [EventHasher.genesis] + events.dropLast().map(\.hash))
        #expect(events.allSatisfy { EventHasher.hash(of: $0) == $0.hash })
        // One row at a time too (the audit trail's look-up), and by stream.
        #expect(try test.ledger.events(afterSeq: 2, limit: 1) == [events[2]])
        #expect(try test.ledger.events(stream: events[1].stream, limit: 10) == [events[1]])
        #expect(try test.ledger.verify().isIntact)
    }

    /// The old build's trigger, as event_log_v1 created it.
    static let oldChainOrder = """
        CREATE TRIGGER events_chain_order BEFORE INSERT ON events
        WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM events)
          OR NEW.prev_hash IS NOT IFNULL((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), zeroblob(32))
        BEGIN
            SELECT RAISE(ABORT, 'events must extend the chain: seq or prev_hash does not follow the head');
        END
        """

    /// Puts a ledger back as the build before event_links_v1 leaves it: every row stores its
    /// link, the column is NOT NULL again, the old trigger, the migration (and
    /// event_insert_guards_v1, which folded its guard into one) unrecorded.
    static func rollBack(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            let refuseUpdate = try #require(
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'"))
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(
                sql: """
                    UPDATE events SET prev_hash =
                        COALESCE((SELECT p.hash FROM events AS p WHERE p.seq = events.seq - 1), zeroblob(32))
                    """)
            try db.execute(sql: refuseUpdate)
            // event_insert_guards_v1 (later) made event_links_v1's guard one of five in one
            // trigger: undone too, with the other four as they were before it.
            try EventInsertGuardsTests.undoMigration(db, except: "events_links_implied")
            try db.execute(sql: "DROP TRIGGER events_chain_order")
            try db.execute(sql: oldChainOrder)
            try Schema.editEventsTable(replacing: Schema.prevHashNullable, with: Schema.prevHashDeclared, db)
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'event_links_v1'")
        }
        let (notNull, stored, total) = try queue.read { db in
            (try prevHashIsNotNull(db), try storedLinks(db), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"))
        }
        #expect(notNull == true && stored == total, "the rolled-back file is as the old build leaves it")
        try queue.close()
    }

    @Test func aLedgerWrittenBeforeKeepsItsLinksAndVerifies() async throws {
        let (test, checksums) = try await MigrationTests.ledgerWithHistory()
        let ledger = try Ledger(path: test.path)
        let before = try ledger.events(afterSeq: 0, limit: 1_000)
        await ledger.close()
        try Self.rollBack(test.path)

        let reopened = try Ledger(path: test.path)
        let (notNull, stored) = try await reopened.database.read { db in
            (try Self.prevHashIsNotNull(db), try Self.storedLinks(db))
        }
        #expect(notNull == false)
        #expect(stored == before.count, "nothing is rewritten")
        // The same rows, links and hashes as before, read either way.
        #expect(try reopened.events(afterSeq: 0, limit: 1_000) == before)
        var report = try reopened.verify()
        #expect(report.isIntact, "\(report)")
        #expect(report.checksums == checksums)

        // The next row keeps no link, follows the last stored one, and the whole log verifies.
        try await reopened.obpCreateUser(
            ObpUser(id: "u9", provider: "p", username: "user9", createdBy: "admin"), MigrationTests.context())
        let after = try reopened.events(afterSeq: 0, limit: 1_000)
        #expect(Array(after.prefix(before.count)) == before)
        #expect(after.count == before.count + 1)
        #expect(after.last?.prevHash == before.last?.hash)
        let storedAfter = try await reopened.database.read { try Self.storedLinks($0) }
        #expect(storedAfter == before.count)
        report = try reopened.verify()
        #expect(report.isIntact, "\(report)")

        // A stored link is still checked.
        try await reopened.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 3")
        }
        report = try reopened.verify()
        #expect(report.chainBreak?.seq == 3)
        #expect(report.chainBreak?.reason.contains("prev_hash") == true)
        await reopened.close()
    }

    /// Apple's SQLite opens connections in defensive mode, which refuses an edit of
    /// `sqlite_master`: the migration turns it off for its edit and back on after.
    @Test func theMigrationRunsOnAConnectionInDefensiveMode() throws {
        // A queue has one connection: the mode set here holds for the migration.
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "projections_v9")
        queue.inDatabase { db in
            #expect(grantledger_sqlite_set_defensive(db.sqliteConnection, 1) == 0)
            #expect(grantledger_sqlite_defensive(db.sqliteConnection) == 1)
            // What defensive mode refuses, so that this test can fail.
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "PRAGMA writable_schema = ON")
                defer { try? db.execute(sql: "PRAGMA writable_schema = OFF") }
                try db.execute(sql: "UPDATE sqlite_master SET sql = sql WHERE name = 'events'")
            }
        }
        try Schema.migrator.migrate(queue)
        let (notNull, defensive) = try queue.inDatabase { db in
            (try Self.prevHashIsNotNull(db), grantledger_sqlite_defensive(db.sqliteConnection))
        }
        #expect(notNull == false)
        #expect(defensive == 1, "the mode is put back")
    }

    /// The migration edits the table's SQL only where it reads as event_log_v1 wrote it; anything
    /// else is refused with the table untouched.
    @Test func aTableDeclaredOtherwiseIsRefusedUntouched() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE events (seq INTEGER PRIMARY KEY, prev_hash BLOB NOT NULL)")
            let error = #expect(throws: LedgerError.self) { try Schema.allowNullPrevHash(db) }
            #expect(error?.message.contains("event_links_v1") == true)
            #expect(try Self.prevHashIsNotNull(db) == true)
        }
    }
}
