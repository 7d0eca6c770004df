import Foundation
import GRDB
import Testing

@testable import LedgerStore

/// `executeInPlace` writes what GRDB's `execute(arguments:)` writes, and refuses what it refuses;
/// `CommandSavepoint` keeps and drops changes as GRDB's `inSavepoint` does, observers included.
@Suite struct StatementInPlaceTests {
    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v ANY, w ANY) STRICT")
        }
        return queue
    }

    /// One value each way, with the value GRDB binds for the Swift value it stands for.
    static let values: [(SQLiteArgument, DatabaseValue)] = [
        (.int64(0), Int64(0).databaseValue), (.int64(.min), Int64.min.databaseValue),
        (.int64(.max), Int64.max.databaseValue), (.null, .null), (.bool(true), true.databaseValue),
        (.bool(false), false.databaseValue), (.optional(Int64?.none), .null),
        (.optional(Int64?(7)), Int64(7).databaseValue), (.optional(String?.none), .null), (.text(""), "".databaseValue),
        (.text("plain"), "plain".databaseValue),
        (.text("Jose\u{301} \u{212A} \u{10FFFF}"), "Jose\u{301} \u{212A} \u{10FFFF}".databaseValue),
        // Up to the first NUL, as GRDB binds a String.
        (.text("before\u{0}after"), "before\u{0}after".databaseValue),
        (.value(Data([0, 1, 255]).databaseValue), Data([0, 1, 255]).databaseValue),
        (.value(Data().databaseValue), Data().databaseValue), (.value(2.5.databaseValue), 2.5.databaseValue),
        (.value("text".databaseValue), "text".databaseValue), (.value(.null), .null),
    ]

    @Test(arguments: values.indices)
    func aValueWrittenInPlaceIsStoredAsGRDBStoresIt(index: Int) throws {
        let (argument, value) = Self.values[index]
        let queue = try Self.database()
        let stored = try queue.write { db -> [Row] in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
            try insert.executeInPlace(.int64(1), argument, .null)
            try db.execute(sql: "INSERT INTO t (k, v, w) VALUES (?, ?, NULL)", arguments: [2, value])
            return try Row.fetchAll(db, sql: "SELECT typeof(v), hex(v), length(v) FROM t ORDER BY k")
        }
        #expect(stored.count == 2)
        #expect(stored.first == stored.last)
    }

    /// `wholeText` is the one kind bound with its length: a NUL and what follows stay.
    @Test(arguments: ["", "plain", "before\u{0}after", "\u{0}"])
    func wholeTextKeepsEveryByte(text: String) throws {
        let queue = try Self.database()
        let stored = try queue.write { db -> Int? in
            try db.cachedStatement(sql: "INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
                .executeInPlace(.int64(1), .wholeText(text), .null)
            return try Int.fetchOne(db, sql: "SELECT length(CAST(v AS BLOB)) FROM t WHERE typeof(v) = 'text'")
        }
        #expect(stored == text.utf8.count)
    }

    @Test func outsideATransactionNothingIsWrittenAndSQLiteAbortIsThrown() throws {
        let queue = try Self.database()
        try queue.writeWithoutTransaction { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
            #expect {
                try insert.executeInPlace(.int64(1), .null, .null)
            } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_ABORT }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 0)
        }
    }

    @Test func aWrongNumberOfArgumentsIsRefusedBeforeAnythingIsWritten() throws {
        let queue = try Self.database()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
            #expect {
                try insert.executeInPlace(.int64(1), .null)
            } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_MISUSE }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 0)
        }
    }

    @Test func aConstraintFailureIsThrownAndTheStatementRunsAgainAfterIt() throws {
        let queue = try Self.database()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
            try insert.executeInPlace(.int64(1), .text("first"), .null)
            #expect {
                try insert.executeInPlace(.int64(1), .text("again"), .null)
            } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT }
            try insert.executeInPlace(.int64(2), .text("second"), .null)
            #expect(try String.fetchAll(db, sql: "SELECT v FROM t ORDER BY k") == ["first", "second"])
        }
    }

    /// Counts the inserts into `t` that reach it once the transaction commits.
    final class InsertCounter: TransactionObserver, @unchecked Sendable {
        var pending = 0
        var committed = 0
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
            if case .insert(let table) = eventKind { return table == "t" }
            return false
        }
        func databaseDidChange(with event: DatabaseEvent) { pending += 1 }
        func databaseDidCommit(_ db: Database) {
            committed += pending
            pending = 0
        }
        func databaseDidRollback(_ db: Database) { pending = 0 }
    }

    @Test func aRolledBackSavepointTakesItsRowsBackAndItsObservedChangesWithThem() throws {
        let queue = try Self.database()
        let counter = InsertCounter()
        queue.add(transactionObserver: counter)
        struct Refused: Error {}
        try queue.write { db in
            try CommandSavepoint.run(db) { try db.execute(sql: "INSERT INTO t (k) VALUES (1)") }
            #expect(throws: Refused.self) {
                try CommandSavepoint.run(db) {
                    try db.execute(sql: "INSERT INTO t (k) VALUES (2)")
                    throw Refused()
                }
            }
            try CommandSavepoint.run(db) { try db.execute(sql: "INSERT INTO t (k) VALUES (3)") }
        }
        #expect(try queue.read { try Int64.fetchAll($0, sql: "SELECT k FROM t ORDER BY k") } == [1, 3])
        #expect(counter.committed == 2)
        // No savepoint is left open: the connection is back in autocommit mode.
        try queue.writeWithoutTransaction { db in #expect(!db.isInsideTransaction) }
    }
}
