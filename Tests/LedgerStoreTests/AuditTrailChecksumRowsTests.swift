import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import LedgerStore

/// `AuditTrailChecksumRows` encodes the trail's rows for its checksum from the trail's own
/// columns, where the checksum's definition is a query joining each row to its event and eight
/// terms. Whatever a row holds (a damaged file's too: a missing event, a code with no term, a
/// value of the wrong class), the bytes must be the query's, or `verify` of a ledger would
/// compare what an earlier version printed against something else.
@Suite struct AuditTrailChecksumRowsTests {
    /// A trail row whose every term has a row, with its event: the row each case changes.
    static let normal: [String: String] = [
        "id": "NULL", "source_term": "1", "record_id": "NULL", "occurred_at_ms": "NULL", "event_code_term": "2",
        "action_term": "3", "user_term": "4", "responsible_user_term": "0", "subject_id_type_term": "5",
        "subject_term": "6", "outcome_term": "7", "emergency": "0",
    ]
    static let normalEventId = "x'01a22c551b3271a6910595b563df33d5'"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var trail: [String: String] = [:]
        /// The event's `event_id`; nil for a row with no event.
        var eventId: String? = AuditTrailChecksumRowsTests.normalEventId
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a row as the ledger writes it"),
        Case(name: "its own id", trail: ["id": "'01a22c55-0000-71a6-9105-95b563df33d5'"]),
        Case(name: "an id that is a blob", trail: ["id": "x'0102'"]),
        Case(name: "an id that is a number", trail: ["id": "5"]),
        Case(name: "no event", eventId: nil),
        Case(name: "no event and its own time", trail: ["occurred_at_ms": "1700000000000"], eventId: nil),
        Case(name: "its own time", trail: ["occurred_at_ms": "1700000000000"]),
        Case(name: "an event id of 3 bytes", eventId: "x'00ff10'"),
        Case(name: "an empty event id", eventId: "x''"),
        Case(name: "an event id as text", eventId: "'legacy-id'"),
        Case(name: "an event id as text holding a NUL", eventId: "'a' || char(0) || 'b'"),
        Case(name: "an event id as text that is not UTF-8", eventId: "CAST(x'ff61' AS TEXT)"),
        Case(name: "an event id as text beyond ASCII", eventId: "'naïve €'"),
        Case(name: "an event id that is a number", eventId: "42"),
        Case(name: "an event id that is NULL", eventId: "NULL"),
        Case(name: "a code with no term", trail: ["source_term": "999"]),
        Case(name: "a code above those kept", trail: ["user_term": "70000"]),
        Case(name: "a negative code", trail: ["action_term": "-1"]),
        Case(name: "a code that is text", trail: ["event_code_term": "'x'"]),
        Case(name: "a code that is a double", trail: ["outcome_term": "1.5"]),
        Case(name: "a code that is NULL", trail: ["subject_id_type_term": "NULL"]),
        Case(name: "a code that is a blob", trail: ["subject_term": "x'06'"]),
        Case(name: "a responsible user of its own", trail: ["responsible_user_term": "3"]),
        Case(name: "no responsible user", trail: ["responsible_user_term": "NULL"]),
        Case(name: "the responsible user is the subject, with no subject", trail: ["subject_term": "NULL"]),
        Case(name: "a responsible code that is text", trail: ["responsible_user_term": "'zero'"]),
        Case(name: "a term that is NULL", trail: ["action_term": "8"]),
        Case(name: "a term that is a blob", trail: ["user_term": "9"]),
        Case(name: "a term that is not UTF-8", trail: ["subject_term": "10"]),
        Case(name: "a term holding a NUL", trail: ["outcome_term": "11"]),
        Case(name: "an emergency", trail: ["emergency": "1"]),
        Case(name: "a reported record", trail: ["record_id": "'r-1'", "id": "'report-1'"]),
        Case(name: "an event id that is empty text", eventId: "''"),
        Case(name: "the last code kept", trail: ["source_term": "65535"]),
        Case(name: "the first code not kept", trail: ["action_term": "65536"]),
    ]

    /// A database with the three tables the query reads, the columns' types as the ledger's (so
    /// values take the same affinity), without the constraints a damaged file may have lost.
    static func database(with testCase: Case, termsType: String = "INTEGER") throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id, recorded_at INTEGER);
                    CREATE TABLE audit_terms (code INTEGER PRIMARY KEY, term TEXT);
                    CREATE TABLE audit_trail (
                        seq INTEGER PRIMARY KEY, id TEXT, source_term \(termsType), record_id TEXT, occurred_at_ms INTEGER,
                        event_code_term \(termsType), action_term \(termsType), user_term \(termsType),
                        responsible_user_term \(termsType), subject_id_type_term \(termsType), subject_term \(termsType),
                        outcome_term \(termsType), emergency INTEGER);
                    INSERT INTO audit_terms (code, term) VALUES
                      (1, 'grantledger'), (2, '110110'), (3, 'R'), (4, 'connection/c1'), (5, 'connection'),
                      (6, 'c1'), (7, 'success'), (8, NULL), (9, x'ff00'), (10, CAST(x'ff61' AS TEXT)),
                      (11, 'a' || char(0) || 'b'), (70000, 'far'), (-1, 'negative'), (65535, 'last kept'),
                      (65536, 'first not kept');
                    """)
            // The case between two ordinary rows, each using the same terms: a wrong length or a
            // term kept wrongly shows in the rows after it.
            for (seq, row) in [(1, Case(name: "before")), (2, testCase), (3, Case(name: "after"))] {
                if let eventId = row.eventId {
                    try db.execute(sql: "INSERT INTO events VALUES (\(seq), \(eventId), \(1_764_000_000_000 + seq))")
                }
                let values = Self.normal.merging(row.trail) { _, changed in changed }
                let columns = values.keys.sorted()
                try db.execute(
                    sql: """
                        INSERT INTO audit_trail (seq, \(columns.joined(separator: ", ")))
                        VALUES (\(seq), \(columns.map { values[$0]! }.joined(separator: ", ")))
                        """)
            }
        }
        return queue
    }

    /// The query's rows as `Projections.checksums` hashes the rows of any query.
    static func queryEncoding(_ db: Database) throws -> [UInt8] {
        try EventKeyStorage.addFunctions(to: db)
        let statement = try db.makeStatement(sql: AuditRecordsProjection.trailChecksumQuery(events: "main.events"))
        let sqlite = statement.sqliteStatement
        var encoding = ChecksumEncoding()
        let rows = try Row.fetchCursor(statement)
        while try rows.next() != nil {
            encoding.bytes.append(0xFF)
            for column in 0..<sqlite3_column_count(sqlite) { try encoding.appendColumn(sqlite, column) }
        }
        return Array(encoding.bytes.buffer)
    }

    static func rowsEncoding(_ db: Database, keptBytesMax: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        var encoding = ChecksumEncoding()
        var rows = try AuditTrailChecksumRows(db, keptBytesMax: keptBytesMax)
        try rows.encodeRows(db, events: "main.events", into: &encoding) { encoding in
            all += encoding.bytes.buffer
            encoding.bytes.removeAll()
        }
        return all + encoding.bytes.buffer
    }

    /// With every term kept, with none (each looked up again every time it is met), and with
    /// room for the first few only.
    @Test(arguments: cases, [16 << 20, 0, 20])
    func theRowsEncodeAsTheChecksumsQueryReadsThem(testCase: Case, keptBytesMax: Int) throws {
        let queue = try Self.database(with: testCase)
        try queue.read { db in
            let expected = try Self.queryEncoding(db)
            #expect(try Self.rowsEncoding(db, keptBytesMax: keptBytesMax) == expected)
            // Three rows were read, each behind its marker.
            #expect(expected.first == 0xFF && expected.count > 3 * 15)
        }
    }

    /// A file whose trail columns lost their declared type (an edited schema): a code kept as
    /// text or a real compares with `audit_terms.code` as the join compares it, converted where
    /// SQLite converts it, and the responsible user's `= 0` is SQLite's own.
    @Test(arguments: [
        ("source_term", "'3'"), ("source_term", "3.0"), ("user_term", "' 3'"), ("user_term", "'3x'"),
        ("action_term", "x'33'"), ("responsible_user_term", "'0'"), ("responsible_user_term", "0.0"),
        ("responsible_user_term", "'zero'"), ("outcome_term", "'65536'"),
    ])
    func codesOfAnyClassCompareAsTheJoinComparesThem(column: String, value: String) throws {
        let queue = try Self.database(with: Case(name: column, trail: [column: value]), termsType: "")
        try queue.read { db in
            // Kept as given: not converted to an integer on the way in.
            #expect(try String.fetchOne(db, sql: "SELECT typeof(\(column)) FROM audit_trail WHERE seq = 2") != "integer")
            let expected = try Self.queryEncoding(db)
            #expect(try Self.rowsEncoding(db, keptBytesMax: 16 << 20) == expected)
        }
    }

    /// Rows with nothing in common with the first: each term looked up once, kept, and used again.
    @Test func manyRowsSharingTermsEncodeAsTheQueryReadsThem() throws {
        let queue = try Self.database(with: Case(name: "a row as the ledger writes it"))
        try queue.write { db in
            for seq in 4...300 {
                try db.execute(sql: "INSERT INTO events VALUES (?, randomblob(16), ?)", arguments: [seq, seq * 1000])
                try db.execute(
                    sql: """
                        INSERT INTO audit_trail VALUES (?, NULL, 1, NULL, NULL, ?, 3, ?, ?, 5, ?, 7, ?)
                        """,
                    arguments: [seq, 2 + seq % 2, [4, 6, 70000][seq % 3], seq % 4 == 0 ? 0 : 4, 6 + seq % 5, seq % 7 == 0])
            }
        }
        try queue.read { db in
            let expected = try Self.queryEncoding(db)
            #expect(try Self.rowsEncoding(db, keptBytesMax: 16 << 20) == expected)
        }
    }
}
