import Crypto
import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Since event_types_v1 the log keeps an event's `type` as its index in a frozen table, and rows
/// written before keep the name: both read as the name, hash alike, and are found by type.
@Suite struct EventTypeStorageTests {
    @Test func theTableNamesEveryEventThisBuildWritesOnce() {
        let names = EventTypeStorage.names
        #expect(Set(names).count == names.count, "no name twice")
        let written = Set(KnownEvents.all.map { $0.type })
        #expect(written.subtracting(names).isEmpty, "stored as text: \(written.subtracting(names).sorted())")
    }

    /// Stored rows name their type by position: the table as shipped never changes. A build
    /// that appends names changes this digest with a migration of its own (`EventTypeStorage`).
    @Test func theTableIsAsShipped() {
        let digest = SHA256.hash(data: Data(EventTypeStorage.names.joined(separator: "\n").utf8))
        #expect(Hex.encode(Data(digest)) == "20d64a4043122253bcfa43dda2940ae3e7e8891442eb499e4b21bb031809c026")
        #expect(EventTypeStorage.names.count == 45)
    }

    /// A build from before event_types_v1 that still has the file open writes a listed name as
    /// text: refused, for every name of the table. A name it does not list is taken as text,
    /// and a code is taken.
    @Test func anInsertOfAListedNameAsTextIsRefused() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let head = try test.ledger.events(afterSeq: 0, limit: 1)[0]
        @Sendable func insert(_ type: DatabaseValue, _ db: Database) throws {
            try db.execute(
                sql: "INSERT INTO events (\(RecordedEvent.columns)) VALUES (2, 'next', NULL, 'marks/1', 1, ?, 1, '{}', '{}', 0, NULL, ?)",
                arguments: [type, head.hash])
        }
        for name in EventTypeStorage.names {
            await #expect {
                try await test.ledger.database.write { db in try insert(name.databaseValue, db) }
            } throws: { error in
                (error as? DatabaseError)?.message?.contains("this grantledger is older than the ledger file") == true
            }
        }
        for stored in ["Marked".databaseValue, EventTypeStorage.stored(type: ConnectionRevoked.type)] {
            try await test.ledger.database.write { db in
                try db.inSavepoint {
                    try insert(stored, db)
                    return .rollback
                }
            }
        }
        #expect(try test.ledger.eventCount() == 1)
    }

    /// A type as stored: its code, or its text where the table does not name it.
    func storedTypes(_ test: TestLedger) async throws -> [String] {
        try await test.ledger.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT typeof(type) || ' ' || CASE typeof(type) WHEN 'blob' THEN hex(type) ELSE type END FROM events ORDER BY seq")
        }
    }

    @Test func rowsKeepTheirTypeAsACodeAndReadAsTheName() async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()
        let events = try test.ledger.events(afterSeq: 0, limit: 100)
        #expect(events.map(\.type).prefix(3) == ["ConnectionGranted", "SpendReserved", "SpendReserved"])
        let stored = try await storedTypes(test)
        #expect(stored.prefix(3) == ["blob 02", "blob 00", "blob 00"])
        #expect(stored.allSatisfy { $0.hasPrefix("blob ") && $0.count == 7 })
        for event in events { #expect(EventHasher.hash(of: event) == event.hash) }
        #expect(try test.ledger.verify().isIntact)

        // A name the table does not hold is kept as text, and reads back.
        let head = events.last!
        let marked = RecordedEvent(
            seq: head.seq + 1, eventId: "marked", idempotencyKey: nil, stream: "marks/1", streamVersion: 1,
            type: "Marked", typeVersion: 1, data: Data("{}".utf8), meta: Data("{}".utf8), recordedAtMs: head.recordedAtMs,
            prevHash: head.hash)
        try await test.ledger.database.write { db in try marked.insert(db) }
        #expect(try await storedTypes(test).last == "text Marked")
        #expect(try test.ledger.events(afterSeq: head.seq, limit: 1) == [marked])
    }

    /// Rows written before event_types_v1 keep the name: they read the same, hash the same (the
    /// chain check agreeing with the walk), and a rebuild by type finds them.
    @Test func rowsWrittenWithTheNameBeforeReadHashAndRebuildTheSame() async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()
        let written = try test.ledger.events(afterSeq: 0, limit: 100)
        let connections = try await test.ledger.database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM connections") }
        #expect(connections.count == 1)
        let connectionTypes: Set = [ConnectionGranted.type, ConnectionUpdated.type, ConnectionRevoked.type]
        // The grant (seq 1) as a code: a rebuild by type that asked for names only would miss it.
        let fromCodes = try await test.ledger.database.write { db in
            try Schema.rebuild(ConnectionsProjection(), fromEventsOf: connectionTypes, db)
            return try Row.fetchAll(db, sql: "SELECT * FROM connections")
        }
        #expect(fromCodes == connections)
        try await test.ledger.database.write { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'")!
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            for event in written where event.seq % 2 == 1 {
                try db.execute(sql: "UPDATE events SET type = ? WHERE seq = ?", arguments: [event.type, event.seq])
            }
            try db.execute(sql: trigger)
        }
        let stored = try await storedTypes(test)
        #expect(stored.first == "text ConnectionGranted" && stored[1] == "blob 00")
        #expect(try test.ledger.events(afterSeq: 0, limit: 100) == written)
        let (fast, walked) = try await test.ledger.database.read { db in
            (try ChainCheck.run(db, batchesInFlight: 0), try ChainWalk.walk(db) { _ in })
        }
        #expect(fast.chainBreak == nil && walked == nil && fast.eventCount == Int64(written.count))
        #expect(try test.ledger.verify().isIntact)

        // The grant is text now: a rebuild by type that asked for codes only would miss it.
        let fromNames = try await test.ledger.database.write { db in
            try Schema.rebuild(ConnectionsProjection(), fromEventsOf: connectionTypes, db)
            return try Row.fetchAll(db, sql: "SELECT * FROM connections")
        }
        #expect(fromNames == connections)
    }

    /// A code outside the table (a damaged file) is a hash mismatch at its row, in the chain
    /// check and in the walk alike; its row reads with a name no event has.
    @Test(arguments: ["X'FF'", "X'2D'", "X'0000'", "X''"])
    func aCodeOutsideTheTableBreaksItsRow(_ code: String) async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()
        try await test.ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET type = \(code) WHERE seq = 3")
        }
        let (fast, walked) = try await test.ledger.database.read { db in
            (try ChainCheck.run(db, batchesInFlight: 0), try ChainWalk.walk(db) { _ in })
        }
        #expect(fast.chainBreak == walked)
        #expect(fast.chainBreak?.seq == 3 && fast.chainBreak?.reason.contains("hash does not match") == true)
        let read = try test.ledger.events(afterSeq: 2, limit: 1).first
        let hex = code.dropFirst(2).dropLast().lowercased()
        #expect(read?.type == "(type code \(hex), not in event_types_v1)")
    }
}
