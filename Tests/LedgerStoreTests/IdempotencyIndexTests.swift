import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// event_idempotency_v1: the idempotency key is indexed only where an event has one, by a unique
/// index of its own, instead of the index of every event that event_log_v1's UNIQUE made. The rule
/// is the same for every writer, and a file from before migrates without a row changing.
@Suite struct IdempotencyIndexTests {
    /// Each index on `events`: name, unique, partial, columns.
    static func indexes(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT name, \"unique\", partial FROM pragma_index_list('events') ORDER BY name").map { row in
            let name: String = row["name"]
            let columns = try String.fetchAll(
                db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [name])
            return "\(name) unique \(row["unique"] as Int) partial \(row["partial"] as Int) (\(columns.joined(separator: ", ")))"
        }
    }

    static let indexesNow = [
        "events_idempotency unique 1 partial 1 (idempotency_key)",
        "sqlite_autoindex_events_1 unique 1 partial 0 (event_id)",
        "sqlite_autoindex_events_2 unique 1 partial 0 (stream, stream_version)",
    ]

    /// A ledger with commands that came with a key and commands that did not.
    static func ledgerWithKeys() async throws -> TestLedger {
        let test = try TestLedger()
        for index in 0..<6 {
            try await test.submit(try test.grantCommand("c\(index)"), key: index % 2 == 0 ? "key-\(index)" : nil, digest: "d\(index)")
        }
        return test
    }

    /// Puts the file back as event_log_v1 made it, by the migration's edit undone: the UNIQUE in
    /// the declaration, its index of every event named as SQLite names it.
    static func rollBack(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE UNIQUE INDEX events_idempotency_v0 ON events (idempotency_key)")
            try db.execute(sql: "DROP INDEX events_idempotency")
            try Schema.editSchema(migration: "test", db) {
                try db.execute(
                    sql: "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'events'",
                    arguments: [Schema.idempotencyKeyUndeclared, Schema.idempotencyKeyDeclared])
                try db.execute(sql: "UPDATE sqlite_master SET name = 'sqlite_autoindex_events_3' WHERE name = 'sqlite_autoindex_events_2'")
                try db.execute(
                    sql: "UPDATE sqlite_master SET name = 'sqlite_autoindex_events_2', sql = NULL WHERE name = 'events_idempotency_v0'")
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'event_idempotency_v1'")
        }
        try queue.close()
    }

    /// `events` and its indexes as `sqlite_master` holds them.
    static func declared(_ db: Database) throws -> [String] {
        try Row.fetchAll(
            db, sql: "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('table', 'index') ORDER BY name"
        ).map { "\($0["type"] as String) \($0["name"] as String): \(($0["sql"] as String?) ?? "-")" }
    }

    @Test func onlyEventsWithAKeyAreIndexedAndAKeyIsStillUnique() async throws {
        let test = try await Self.ledgerWithKeys()
        let (indexes, indexed, plan) = try await test.ledger.database.read { db in
            (
                try Self.indexes(db),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events INDEXED BY events_idempotency WHERE idempotency_key IS NOT NULL"),
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT seq FROM events WHERE idempotency_key = ?", arguments: ["k"])
                    .map { $0["detail"] as String }
            )
        }
        #expect(indexes == Self.indexesNow)
        #expect(indexed == 3)
        #expect(plan == ["SEARCH events USING COVERING INDEX events_idempotency (idempotency_key=?)"])

        // A copy of the first event (which has a key) with its key is refused by the index alone;
        // copies without one are not.
        let copy = """
            INSERT INTO events SELECT (SELECT max(seq) + 1 FROM events), randomblob(16), %@, stream,
              stream_version + 100 + (SELECT max(seq) FROM events), type, type_version, data, meta, recorded_at, NULL, hash
            FROM events WHERE seq = 1
            """
        let error = await #expect(throws: DatabaseError.self) {
            try await test.ledger.database.write { db in
                try db.execute(sql: copy.replacingOccurrences(of: "%@", with: "(SELECT idempotency_key FROM events WHERE seq = 1)"))
            }
        }
        #expect(error?.message?.contains("UNIQUE constraint failed: events.idempotency_key") == true, "\(String(describing: error))")
        try await test.ledger.database.write { db in
            for _ in 0..<2 { try db.execute(sql: copy.replacingOccurrences(of: "%@", with: "NULL")) }
        }
        #expect(try test.ledger.eventCount() == 8)
    }

    @Test func aLogFromBeforeMigratesWithItsRowsAsTheyWereAndVerifies() async throws {
        let test = try await Self.ledgerWithKeys()
        let events = try test.ledger.events(afterSeq: 0, limit: 100)
        let checksums = try test.ledger.verify().checksums
        await test.ledger.close()
        try Self.rollBack(test.path)

        // The rolled-back file is as event_log_v1 and the migrations after it leave one.
        let old = try DatabaseQueue()
        try Schema.migrator.migrate(old, upTo: "projections_v10")
        let queue = try DatabaseQueue(path: test.path)
        let (rolledBack, integrity, indexesBefore) = try queue.inDatabase { db in
            (try Self.declared(db), try String.fetchAll(db, sql: "PRAGMA integrity_check"), try Self.indexes(db))
        }
        let fresh = try old.inDatabase(Self.declared)
        #expect(fresh == rolledBack)
        #expect(integrity == ["ok"])
        #expect(indexesBefore.contains("sqlite_autoindex_events_2 unique 1 partial 0 (idempotency_key)"))
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let (indexes, integrityAfter, declaredAfter) = try await reopened.database.read { db in
            (try Self.indexes(db), try String.fetchAll(db, sql: "PRAGMA integrity_check"), try Self.declared(db))
        }
        #expect(indexes == Self.indexesNow)
        #expect(integrityAfter == ["ok"])
        #expect(declaredAfter.first { $0.hasPrefix("table events") }?.contains(Schema.idempotencyKeyUndeclared) == true)
        #expect(try reopened.events(afterSeq: 0, limit: 100) == events, "no row changes, hashes included")
        let report = try reopened.verify()
        #expect(report.isIntact && report.checksums == checksums)

        // A retried command is still answered from its first event; a key reused is still refused.
        let retried = try await reopened.submit(
            try test.envelope(try test.grantCommand("c9"), key: "key-2", digest: "d2"))
        guard case .accepted(_, true) = retried else {
            Issue.record("expected the first answer replayed, got \(retried)")
            return
        }
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await reopened.submit(try test.envelope(try test.grantCommand("c9"), key: "key-4", digest: "other"))
        }
        #expect(try reopened.eventCount() == events.count)
        await reopened.close()
    }

    /// Anything not as event_log_v1 declared it is refused, with the schema untouched: another
    /// declaration of the key, or the key's declaration with the indexes in another order.
    @Test(arguments: [
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, stream TEXT, idempotency_key TEXT UNIQUE)",
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            stream TEXT UNIQUE,
            \(Schema.idempotencyKeyDeclared)
            stream_version INTEGER
        )
        """,
    ])
    func aLogDeclaredOtherwiseIsRefusedUntouched(declaration: String) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: declaration)
            let before = try Self.declared(db)
            let error = #expect(throws: LedgerError.self) { try Schema.indexOnlyIdempotencyKeys(db) }
            #expect(error?.message.contains("event_idempotency_v1") == true)
            #expect(try Self.declared(db) == before)
        }
    }
}
