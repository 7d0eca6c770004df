import GRDB
import GRDBSQLite
import Testing

@testable import LedgerStore

/// `Row.fetchFirst` and `Row.fetchEach` read rows where SQLite holds them: they must give what a
/// copied row gives, and leave the (cached) statement reset, or a read connection would keep its
/// snapshot open and the WAL could never be checkpointed past it.
@Suite struct RowInPlaceTests {
    static func database() throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE things (id TEXT PRIMARY KEY, kind TEXT, amount_msat INTEGER)")
            try db.execute(sql: "INSERT INTO things VALUES ('a', 'x', 1), ('b', 'x', NULL), ('c', 'y', 3)")
        }
        return db
    }

    @Test func theFirstRowIsReadByNameAndTheStatementIsResetAfter() throws {
        try Self.database().read { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM things WHERE kind = ? ORDER BY id")
            let first = try Row.fetchFirst(statement, arguments: ["x"]) { row in
                (row["id"] as String, row["amount_msat"] as Int64?)
            }
            #expect(first?.0 == "a" && first?.1 == 1)
            // Two rows matched and one was read: the statement must not be left mid-step.
            #expect(sqlite3_stmt_busy(statement.sqliteStatement) == 0)
            #expect(try Row.fetchFirst(statement, arguments: ["none"]) { $0["id"] as String } == nil)
        }
    }

    @Test func everyRowIsReadInOrderWithItsNulls() throws {
        try Self.database().read { db in
            let statement = try db.makeStatement(sql: "SELECT * FROM things ORDER BY id")
            let rows = try Row.fetchEach(statement, arguments: []) { row in
                "\(row["id"] as String):\((row["amount_msat"] as Int64?).map(String.init) ?? "null")"
            }
            #expect(rows == ["a:1", "b:null", "c:3"])
            #expect(rows == (try Row.fetchAll(statement).map { "\($0["id"] as String):\(($0["amount_msat"] as Int64?).map(String.init) ?? "null")" }))
        }
    }
}
