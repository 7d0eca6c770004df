import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// event_insert_guards_v1: the five triggers that refused an older build's inserts are one, whose
/// conditions are written differently. It must refuse exactly the rows they refused.
@Suite struct EventInsertGuardsTests {
    /// The five triggers as their migrations made them (every other statement of those files
    /// left out: they change the log, not the guards).
    static let formerGuards: [String] = {
        let files = [
            PackageResources.event_keys_v1_sql, PackageResources.event_links_v1_sql,
            PackageResources.event_storage_v2_sql,
            PackageResources.event_types_v1_sql, PackageResources.event_stream_prefixes_v1_sql,
        ]
        return files.flatMap { triggers(in: String(decoding: $0, as: UTF8.self)) }
            .filter { !$0.contains("events_chain_order") }
    }()

    /// Puts the guards back as they were before event_insert_guards_v1, for a test that undoes
    /// an earlier migration that made one of them (`except`, which that migration makes again).
    static func undoMigration(_ db: Database, except trigger: String) throws {
        try db.execute(sql: "DROP TRIGGER events_older_builds")
        for former in formerGuards where !former.contains("TRIGGER \(trigger) ") { try db.execute(sql: former) }
        try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'event_insert_guards_v1'")
    }

    static let guardNow: [String] = triggers(
        in: String(decoding: PackageResources.event_insert_guards_v1_sql, as: UTF8.self))

    static func triggers(in sql: String) -> [String] {
        let pattern = try! NSRegularExpression(
            pattern: "CREATE TRIGGER .*?\\nEND;", options: [.dotMatchesLineSeparators])
        let range = NSRange(sql.startIndex..., in: sql)
        return pattern.matches(in: sql, range: range).map { String(sql[Range($0.range, in: sql)!]) }
    }

    /// A table with the log's columns as declared (their affinities decide what the triggers
    /// see), and the given triggers.
    static func database(_ triggers: [String]) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, idempotency_key TEXT,
                      stream TEXT NOT NULL, stream_version INTEGER NOT NULL, type TEXT NOT NULL,
                      type_version INTEGER NOT NULL, data TEXT NOT NULL, meta TEXT NOT NULL,
                      recorded_at INTEGER NOT NULL, prev_hash BLOB, hash BLOB NOT NULL)
                    """)
            for trigger in triggers { try db.execute(sql: trigger) }
        }
        return queue
    }

    struct Candidate: CustomStringConvertible {
        var eventId: DatabaseValue = Data(repeating: 0x11, count: 16).databaseValue
        var stream: DatabaseValue = Data([1] + Array(repeating: 0x22, count: 16)).databaseValue
        var type: DatabaseValue = Data([1]).databaseValue
        var data: DatabaseValue = Data([2, 0x7B, 0x7D]).databaseValue
        var meta: DatabaseValue = "{}".databaseValue
        var prevHash: DatabaseValue = .null
        var description: String { "\(eventId) \(stream) \(type) \(data) \(meta) \(prevHash)" }
    }

    static let uuidText = "01a2316e-5c0a-73c8-93f1-9dd8ef273c75"
    static let uuidBytes = Array(repeating: UInt8(0x5C), count: 16)

    /// Every form each condition looks at, and its neighbours, one column at a time from a row
    /// this build writes, then a few rows with two forms at once.
    static let candidates: [Candidate] = {
        var all: [Candidate] = [Candidate()]
        func vary(_ change: (inout Candidate) -> Void) {
            var candidate = Candidate()
            change(&candidate)
            all.append(candidate)
        }
        let ids: [DatabaseValue] = [
            uuidText.databaseValue, uuidText.uppercased().databaseValue, "next".databaseValue,
            String(repeating: "x", count: 36).databaseValue, Data(uuidText.utf8).databaseValue, 36.databaseValue,
            Data(repeating: 1, count: 36).databaseValue,
        ]
        for id in ids { vary { $0.eventId = id } }
        vary { $0.prevHash = Data(repeating: 0, count: 32).databaseValue }
        vary { $0.prevHash = "".databaseValue }
        let payloads: [DatabaseValue] = [
            Data([1]).databaseValue, Data([1, 0x7B]).databaseValue, Data([0]).databaseValue, Data().databaseValue,
            Data([2]).databaseValue, Data([0xFF, 1]).databaseValue, "\u{1}{}".databaseValue, 1.databaseValue,
            "".databaseValue,
        ]
        for payload in payloads {
            vary { $0.data = payload }
            vary { $0.meta = payload }
        }
        var types: [DatabaseValue] = EventTypeStorage.names.map(\.databaseValue)
        types += [
            "Marked".databaseValue, "spendreserved".databaseValue, Data("SpendReserved".utf8).databaseValue,
            Data([200]).databaseValue, 5.databaseValue,
        ]
        for type in types { vary { $0.type = type } }
        var streams: [DatabaseValue] = []
        for prefix in EventKeyStorage.streamPrefixBytes {
            let packed = [UInt8(prefix.count)] + prefix + uuidBytes
            streams.append(Data(packed).databaseValue)
            streams.append(Data(packed + Array("/x".utf8)).databaseValue)
            streams.append(Data(packed.dropLast()).databaseValue)
            streams.append(Data([UInt8(prefix.count + 1)] + prefix + uuidBytes).databaseValue)
            streams.append(String(decoding: prefix, as: UTF8.self).appending(uuidText).databaseValue)
            streams.append(Data(prefix + uuidBytes).databaseValue)
        }
        streams += [
            Data([7] + Array("spends/".utf8) + uuidBytes).databaseValue,
            Data([0] + uuidBytes).databaseValue,
            Data(repeating: 0x41, count: 23).databaseValue,
            Data([6] + Array("SPEND/".utf8) + uuidBytes).databaseValue,
            "spend/x".databaseValue, 7.databaseValue,
        ]
        for stream in streams { vary { $0.stream = stream } }
        vary {
            $0.eventId = uuidText.databaseValue
            $0.prevHash = Data(repeating: 0, count: 32).databaseValue
        }
        vary {
            $0.type = "SpendSettled".databaseValue
            $0.data = Data([1]).databaseValue
            $0.stream = Data([6] + Array("spend/".utf8) + uuidBytes).databaseValue
        }
        return all
    }()

    static func refused(_ candidate: Candidate, _ queue: DatabaseQueue) throws -> String? {
        try queue.write { db in
            do {
                try db.inSavepoint {
                    try db.execute(
                        sql: """
                            INSERT INTO events VALUES (1, ?, NULL, ?, 1, ?, 1, ?, ?, 0, ?, zeroblob(32))
                            """,
                        arguments: [
                            candidate.eventId, candidate.stream, candidate.type, candidate.data, candidate.meta,
                            candidate.prevHash,
                        ])
                    return .rollback
                }
                return nil
            } catch let error as DatabaseError {
                return error.message ?? "refused"
            }
        }
    }

    @Test func theOneTriggerRefusesExactlyTheRowsTheFiveRefused() throws {
        #expect(Self.formerGuards.count == 5)
        #expect(Self.guardNow.count == 1)
        let former = try Self.database(Self.formerGuards)
        let now = try Self.database(Self.guardNow)
        var refusedCount = 0
        for candidate in Self.candidates {
            let before = try Self.refused(candidate, former)
            let after = try Self.refused(candidate, now)
            #expect(
                (before == nil) == (after == nil), "\(candidate): before \(before ?? "taken"), now \(after ?? "taken")")
            if let after {
                refusedCount += 1
                #expect(after.contains("this grantledger is older than the ledger file"), "\(after)")
            }
        }
        // Each of the five conditions was met by some candidate, and most candidates are taken.
        #expect(refusedCount >= 5 + EventTypeStorage.names.count + EventKeyStorage.streamPrefixBytes.count)
        #expect(try Self.refused(Candidate(), now) == nil, "a row as this build writes it is taken")
    }

    /// A ledger from before the migration, with the five triggers, opens with the one, and its
    /// triggers are those a new ledger has (verify compares them by name and SQL).
    @Test func aLedgerFromBeforeHasItsFiveTriggersMadeOne() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        await test.ledger.close()
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER events_older_builds")
            for trigger in Self.formerGuards { try db.execute(sql: trigger) }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'event_insert_guards_v1'")
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let triggers = try await reopened.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name")
        }
        #expect(
            triggers == ["events_chain_order", "events_older_builds", "events_refuse_delete", "events_refuse_update"])
        let report = try reopened.verify()
        #expect(report.isIntact && report.triggerProblems.isEmpty)
        await reopened.close()
    }
}
