import Foundation
import GRDB
import LedgerCore
import Testing

@testable import LedgerStore

/// `CommandRunner.streamVersion` reads a stream's last version over every form its rows may be
/// kept in (coded, event_keys_v1's packed form, text), in one statement.
@Suite struct StreamVersionTests {
    static let uuid = "0b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a"

    /// The log's two columns the statement reads, with the ledger's unique `(stream, stream_version)`.
    static func events() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql:
                    "CREATE TABLE events (seq INTEGER PRIMARY KEY, stream, stream_version INTEGER, UNIQUE (stream, stream_version))"
            )
        }
        return queue
    }

    /// Whichever form holds the newest version, that version is the answer; other streams' rows
    /// do not count.
    @Test(arguments: [0, 1, 2])
    func theNewestVersionIsFoundInWhicheverFormHoldsIt(_ newestForm: Int) throws {
        let stream = Spend.stream(Self.uuid)
        let forms = EventKeyStorage.storedForms(ofStream: stream)
        try #require(forms.count == 3)
        let queue = try Self.events()
        let version = try queue.write { db in
            for (offset, form) in forms.enumerated() {
                let version = offset == newestForm ? 9 : Int64(offset + 1)
                try db.execute(
                    sql: "INSERT INTO events (stream, stream_version) VALUES (?, ?)", arguments: [form, version])
            }
            try db.execute(
                sql: "INSERT INTO events (stream, stream_version) VALUES (?, 50)",
                arguments: [EventKeyStorage.stored(stream: Spend.stream("1b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a"))])
            return try CommandRunner.streamVersion(stream, db)
        }
        #expect(version == 9)
    }

    @Test func aStreamOfOneFormAndANewStreamAreRead() throws {
        let queue = try Self.events()
        let (kept, new) = try queue.write { db in
            for version in 1...3 {
                try db.execute(
                    sql: "INSERT INTO events (stream, stream_version) VALUES ('checkpoint-keys', ?)",
                    arguments: [version])
            }
            return (
                try CommandRunner.streamVersion("checkpoint-keys", db),
                try CommandRunner.streamVersion(Spend.stream(Self.uuid), db)
            )
        }
        #expect(kept == 3)
        #expect(new == 0)
    }

    /// Each form is a search of the `(stream, stream_version)` index, and no table is scanned.
    @Test func eachFormIsOneSearchOfTheIndex() throws {
        let queue = try Self.events()
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(CommandRunner.streamVersionSQL)", arguments: [1, 2, 3])
                .map { $0["detail"] as String }
        }
        #expect(plan.filter { $0.contains("SEARCH events USING COVERING INDEX") }.count == 3, "\(plan)")
        // The outer `SELECT max(...)` reads no table ("SCAN CONSTANT ROW").
        #expect(!plan.contains { $0.contains("SCAN") && $0 != "SCAN CONSTANT ROW" }, "\(plan)")
    }
}
