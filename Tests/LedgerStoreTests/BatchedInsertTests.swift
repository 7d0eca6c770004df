import GRDB
@testable import LedgerStore
import Testing

/// `BatchedInsert`: a replay's fold writes rows many to a statement, and must leave what the
/// writer's one-row statement leaves, failing where it fails.
@Suite struct BatchedInsertTests {
    static let single = StatementSlot("INSERT INTO t (k, v) VALUES (?, ?)")
    static func sql(rows: Int) -> String {
        "INSERT INTO t (k, v) VALUES " + Array(repeating: "(?, ?)", count: rows).joined(separator: ", ")
    }

    /// Runs `body` in a transaction on a table of a unique key and a value, then rolls back;
    /// returns the rows as they stood and the error thrown, if any.
    static func run(_ body: (inout BatchedInsert, Database) throws -> Void, rowsPerStatement: Int) throws
        -> (rows: [[Int64]], error: DatabaseError?)
    {
        let queue = try DatabaseQueue()
        try queue.write { try $0.execute(sql: "CREATE TABLE t (k INTEGER UNIQUE, v INTEGER NOT NULL)") }
        var result: (rows: [[Int64]], error: DatabaseError?) = ([], nil)
        try queue.writeWithoutTransaction { db in
            try db.inTransaction {
                var insert = BatchedInsert(sql: sql(rows:), rowsPerStatement: rowsPerStatement)
                do { try body(&insert, db) } catch let error as DatabaseError { result.error = error }
                result.rows = try Row.fetchAll(db, sql: "SELECT k, v FROM t ORDER BY rowid").map { [$0[0], $0[1]] }
                return .rollback
            }
        }
        return result
    }

    static func row(_ key: Int64) -> [SQLiteArgument] { [.int64(key), .int64(key * 10)] }

    @Test func rowsWaitUntilTheyFillAStatementOrAreWritten() throws {
        let outcome = try Self.run(
            { insert, db in
                for key in 1...5 { try insert.append(Self.row(Int64(key)), db) }
                // The first four as one statement; the fifth waits.
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 4)
                try insert.write(db)
                // Written once: a second write has nothing left.
                try insert.write(db)
            }, rowsPerStatement: 4)
        #expect(outcome.error == nil)
        #expect(outcome.rows == (1...5).map { [Int64($0), Int64($0) * 10] })
    }

    /// A full statement that breaks a constraint undoes itself, and its rows go one by one: the
    /// rows before the clash stay, and the error is the one-row statement's.
    @Test(arguments: [1, 2, 4])
    func aClashFailsAtItsRowWithTheOneRowStatementsError(rowsPerStatement: Int) throws {
        let keys: [Int64] = [1, 2, 2, 3]
        let batched = try Self.run(
            { insert, db in
                for key in keys { try insert.append(Self.row(key), db) }
                try insert.write(db)
            }, rowsPerStatement: rowsPerStatement)
        let oneByOne = try Self.run(
            { _, db in
                for key in keys {
                    try Self.single.run(db) { try $0.executeInPlace(arguments: Self.row(key)) }
                }
            }, rowsPerStatement: 1)
        #expect(batched.rows == [[1, 10], [2, 20]])
        #expect(batched.rows == oneByOne.rows)
        let error = try #require(batched.error)
        #expect(error.resultCode == .SQLITE_CONSTRAINT)
        #expect(error.message == oneByOne.error?.message)
    }
}
