import Crypto
import Foundation
import GRDB
import LedgerCore
@testable import LedgerStore
import Testing

/// `Projections.checksums` hashes rows straight from SQLite's buffers. `replay` and `verify` print
/// the checksums, so an operator may hold one from an earlier version: these pin them to what the
/// earlier value-at-a-time hashing of copied rows gave, kept here as the reference.
@Suite struct ProjectionChecksumTests {
    /// One table of one column, rows in `seq` order.
    struct OneColumnProjection: Projection {
        var name: String { "values" }
        var tables: [(name: String, orderBy: String)] { [("checked_values", "seq")] }
        func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {}
    }

    static let storageClasses: [(name: String, sql: String)] = [
        ("NULL", "NULL"), ("zero", "0"), ("a negative integer", "-1"), ("the largest integer", "9223372036854775807"),
        ("a double", "1.5"), ("negative zero", "-0.0"), ("ASCII text", "'pay_invoice'"), ("empty text", "''"),
        ("text beyond ASCII", "'naïve €'"), ("text holding a NUL", "'a' || char(0) || 'b'"),
        ("text that is not UTF-8", "CAST(x'ff61' AS TEXT)"), ("a blob", "x'00ff10'"), ("an empty blob", "x''"),
        ("a 32-byte hash", "zeroblob(32)"),
    ]

    @Test(arguments: storageClasses)
    func aValueHashesAsTheValueAtATimeHashingOfCopiedRowsDid(value: (name: String, sql: String)) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE checked_values (seq INTEGER PRIMARY KEY, v)")
            // The value between two others, so a wrong length or tag shows in the rows after it.
            try db.execute(sql: "INSERT INTO checked_values (v) VALUES ('before'), (\(value.sql)), (7)")
        }
        let projections = Projections(all: [OneColumnProjection()])
        let checksums = try queue.read { try projections.checksums($0) }
        let reference = try queue.read { try Self.referenceChecksums(projections, $0) }
        #expect(checksums == reference, "\(value.name)")
        #expect(checksums["values"]?.count == 64)
    }

    @Test func aLedgersProjectionsHashAsTheyDidBeforeAndTellAChangedRow() async throws {
        let test = try TestLedger()
        try await ReplayTests().mixedWorkload(test)
        let queue = try DatabaseQueue(path: test.path)
        let checksums = try await queue.read { try Projections.standard.checksums($0) }
        let reference = try await queue.read { try Self.referenceChecksums(.standard, $0) }
        #expect(checksums == reference)
        #expect(checksums.count == Projections.standard.all.count)

        try await queue.write { try $0.execute(sql: "UPDATE connections SET status = 'revoked' WHERE id = 'c1'") }
        let changed = try await queue.read { try Projections.standard.checksums($0) }
        #expect(changed["connections"] != checksums["connections"])
        #expect(changed.filter { $0.key != "connections" } == checksums.filter { $0.key != "connections" })
    }

    /// `checksumsStarted` from the writer's queue, waited for.
    static func onTwoConnections(_ projections: Projections, _ pool: DatabasePool) async throws -> [String: String] {
        try await pool.writeWithoutTransaction { _ in projections.checksumsStarted(pool) }.value()
    }

    @Test func onTwoConnectionsTheChecksumsAreThoseOfOneAndEveryProjectionHasOne() async throws {
        let test = try TestLedger()
        try await ReplayTests().mixedWorkload(test)
        let pool = test.ledger.database
        // The trail's part has rows to read.
        #expect(try await pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_trail") ?? 0 } > 0)
        let one = try await pool.read { try Projections.standard.checksums($0) }
        let two = try await Self.onTwoConnections(.standard, pool)
        #expect(two == one)
        #expect(two.count == Projections.standard.all.count)

        // Without the trail, or with it alone: one connection's.
        for projections in [
            Projections(all: [ConnectionsProjection(), SpendsProjection()]), Projections(all: [AuditRecordsProjection()]),
        ] {
            let alone = try await pool.read { try projections.checksums($0) }
            #expect(try await Self.onTwoConnections(projections, pool) == alone)
        }
    }

    /// The reads see the state as of the start, whatever the writer commits after it: a replay's
    /// checksums are those of what it wrote.
    @Test func theChecksumsAreOfTheStateWhenTheyStarted() async throws {
        let test = try TestLedger()
        try await ReplayTests().mixedWorkload(test)
        let pool = test.ledger.database
        let before = try await pool.read { try Projections.standard.checksums($0) }
        let started = try await pool.writeWithoutTransaction { db in
            let started = Projections.standard.checksumsStarted(pool)
            try db.execute(sql: "UPDATE connections SET name = 'renamed'")
            try db.execute(sql: "DELETE FROM audit_trail")
            return started
        }
        #expect(try started.value() == before)
        let after = try await pool.read { try Projections.standard.checksums($0) }
        #expect(after["connections"] != before["connections"])
        #expect(after["audit_records"] != before["audit_records"])
    }

    @Test(arguments: ["audit_trail", "spends"])
    func aFailureOnEitherConnectionIsThrown(droppedTable: String) async throws {
        let test = try TestLedger()
        try await ReplayTests().mixedWorkload(test)
        try await test.ledger.database.write { try $0.execute(sql: "DROP TABLE \(droppedTable)") }
        await #expect(throws: DatabaseError.self) { try await Self.onTwoConnections(.standard, test.ledger.database) }
    }

    /// The checksums as computed before rows were hashed in place: each row copied into
    /// `DatabaseValue`s, each value hashed in its own calls.
    static func referenceChecksums(_ projections: Projections, _ db: Database) throws -> [String: String] {
        try EventKeyStorage.addFunctions(to: db)
        var result: [String: String] = [:]
        for projection in projections.all {
            var hasher = SHA256()
            for source in projection.checksumSources(events: "main.events") {
                appendLengthPrefixed(Data(source.name.utf8), to: &hasher)
                for query in source.queries {
                    for row in try Row.fetchAll(db, sql: query) {
                        hasher.update(data: [0xFF])
                        let values =
                            try projection.comparedValues(of: row, in: source.name, db) ?? Array(row.databaseValues)
                        for value in values { append(value, to: &hasher) }
                    }
                }
            }
            result[projection.name] = Hex.encode(hasher.finalize())
        }
        return result
    }

    static func append(_ value: DatabaseValue, to hasher: inout SHA256) {
        switch value.storage {
        case .null:
            hasher.update(data: [0])
        case .int64(let int):
            hasher.update(data: [1])
            withUnsafeBytes(of: int.bigEndian) { hasher.update(bufferPointer: $0) }
        case .double(let double):
            hasher.update(data: [2])
            withUnsafeBytes(of: Int64(bitPattern: double.bitPattern).bigEndian) { hasher.update(bufferPointer: $0) }
        case .string(let string):
            hasher.update(data: [3])
            appendLengthPrefixed(Data(string.utf8), to: &hasher)
        case .blob(let data):
            hasher.update(data: [4])
            appendLengthPrefixed(data, to: &hasher)
        }
    }

    static func appendLengthPrefixed(_ bytes: Data, to hasher: inout SHA256) {
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: bytes)
    }
}
