import GRDB
import Testing

@testable import LedgerStore

/// A slot runs GRDB's own cached statement for its SQL on each connection, and never one GRDB has
/// let go of (a statement that failed, a connection closed).
@Suite struct StatementSlotTests {
    static func queue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)") }
        return queue
    }

    /// The statement the slot runs, as an object to compare.
    static func statement(_ slot: StatementSlot, _ db: Database) throws -> Statement {
        try slot.run(db) { $0 }
    }

    @Test func itRunsGRDBsCachedStatementOnEveryConnection() throws {
        let slot = StatementSlot("INSERT INTO t (name) VALUES (?)")
        let queues = try (0..<6).map { _ in try Self.queue() }  // more connections than a slot keeps
        for round in 0..<2 {
            for (index, queue) in queues.enumerated() {
                try queue.write { db in
                    #expect(try Self.statement(slot, db) === (try db.cachedStatement(sql: slot.sql)))
                    try slot.run(db) { try $0.execute(arguments: ["\(round)-\(index)"]) }
                }
            }
        }
        for queue in queues {
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 2)
        }
    }

    /// GRDB takes a failed statement out of its cache (it is not to be run again); the slot forgets
    /// it too, even while something still holds it.
    @Test func aStatementThatFailedIsNotRunAgain() throws {
        let slot = StatementSlot("INSERT INTO t (name) VALUES (?)")
        let queue = try Self.queue()
        try queue.write { db in
            let first = try Self.statement(slot, db)
            try slot.run(db) { try $0.execute(arguments: ["a"]) }
            #expect(throws: DatabaseError.self) { try slot.run(db) { try $0.execute(arguments: ["a"]) } }
            let next = try Self.statement(slot, db)
            #expect(next !== first)
            #expect(next === (try db.cachedStatement(sql: slot.sql)))
            try slot.run(db) { try $0.execute(arguments: ["b"]) }
        }
        #expect(try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM t ORDER BY name") } == ["a", "b"])
    }

    @Test func aClosedConnectionsStatementIsNotRunOnTheNextOne() throws {
        let slot = StatementSlot("SELECT count(*) FROM t")
        for _ in 0..<20 {
            // Each queue is gone before the next is made, so a new connection may take the address
            // (the identity) of one before it.
            let queue = try Self.queue()
            try queue.write { db in
                try db.execute(sql: "INSERT INTO t (name) VALUES ('x')")
                #expect(try Self.statement(slot, db) === (try db.cachedStatement(sql: slot.sql)))
                #expect(try slot.run(db) { try Int.fetchOne($0) } == 1)
            }
            try queue.close()
        }
    }
}
