import Foundation
import GRDB
import Testing

@testable import LedgerStore

/// A replay's reading thread copies rows into one buffer (`PackedEventRows`) and its second core
/// decodes them from there (`RecordedEvent(packed:at:)`). Whatever a column holds (a damaged
/// file's too: a number where bytes belong, a text with a NUL, bytes that are not UTF-8), the
/// event must be the one `RecordedEvent(stored: StoredEventRow(columns:))` gives for the same
/// row, or the same error: a replay must fail where, and as, it always did.
@Suite struct PackedEventRowsTests {
    /// A row the ledger could have written: a packed event id, a stream and type as text,
    /// compact-free JSON, no stored link.
    static let normal: [String: String] = [
        "event_id": "x'01a22c551b3271a6910595b563df33d5'", "idempotency_key": "NULL", "stream": "'connection/c1'",
        "stream_version": "1", "type": "'ConnectionGranted'", "type_version": "1",
        "data": "CAST('{\"connection_id\":\"c1\"}' AS BLOB)", "meta": "'{}'", "recorded_at": "1764000000000",
        "prev_hash": "NULL", "hash": "zeroblob(32)",
    ]

    static let oddValues = [
        "NULL", "5", "1.5", "'text'", "''", "'a' || char(0) || 'b'", "CAST(x'ff61' AS TEXT)", "'naïve €'", "x''",
        "x'00ff10'", "x'01a22c551b3271a6910595b563df33d5'", "x'017B7D'", "x'020B636F6E6E'",
    ]

    /// Every column but `seq`, with each odd value in turn.
    static let cases: [(column: String, value: String)] = normal.keys.sorted().flatMap { column in
        oddValues.map { (column, $0) }
    }

    @Test(arguments: cases)
    func aRowDecodesFromTheCopiedBytesAsFromItsStoredCopy(column: String, value: String) throws {
        let queue = try DatabaseQueue()
        let columns = Self.normal.keys.sorted()
        try queue.write { db in
            // No declared types: each value keeps the storage class it is given.
            try db.execute(
                sql: "CREATE TABLE events (seq INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")))")
            // The case between two ordinary rows: a length or offset wrong shows in the next one.
            for (seq, changed) in [(1, [:]), (2, [column: value]), (3, [:])] {
                let values = Self.normal.merging(changed) { _, new in new }
                try db.execute(
                    sql: """
                        INSERT INTO events (seq, \(columns.joined(separator: ", ")))
                        VALUES (\(seq), \(columns.map { values[$0]! }.joined(separator: ", ")))
                        """)
            }
        }
        try queue.read { db in
            let statement = try db.makeStatement(sql: "SELECT \(RecordedEvent.columns) FROM events ORDER BY seq")
            let sqliteColumns = SQLiteColumns(sqlite: statement.sqliteStatement)
            let rows = try Row.fetchCursor(statement)
            let packed = PackedEventRows(rowCapacity: 3)
            var stored: [StoredEventRow] = []
            while try rows.next() != nil {
                packed.append(sqliteColumns)
                stored.append(StoredEventRow(columns: sqliteColumns))
            }
            #expect(packed.count == 3)
            for index in 0..<3 {
                for previousHash in [Data(repeating: 7, count: 32), nil] {
                    let expected = Result { try RecordedEvent(stored: stored[index], previousHash: previousHash) }
                    let decoded = Result { try RecordedEvent(packed: packed, at: index, previousHash: previousHash) }
                    switch (expected, decoded) {
                    case (.success(let expected), .success(let decoded)):
                        #expect(decoded == expected, "row \(index + 1)")
                    case (.failure(let expected as LedgerError), .failure(let decoded as LedgerError)):
                        #expect(decoded.message == expected.message, "row \(index + 1)")
                    default:
                        Issue.record("row \(index + 1): \(expected) against \(decoded)")
                    }
                }
            }
            #expect(packed.lastHash == stored.last?.hash)
        }
    }
}
