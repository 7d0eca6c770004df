import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// spends_codes_v1: a spend's status, and a method of NIP-47's that pay, are kept as one-byte
/// codes; other methods and rows written before keep their text. Every reading, the expiry
/// sweeper and the checksums answer the same whichever form a row has.
@Suite struct SpendColumnStorageTests {
    /// The tables are frozen: a code once written means this forever.
    @Test(arguments: [
        (Spend.Status.held, Data([0])), (.settled, Data([1])), (.released, Data([2])), (.denied, Data([3])),
    ])
    func aStatusIsStoredAsItsFrozenCode(status: Spend.Status, code: Data) {
        #expect(SpendColumnStorage.stored(status: status) == code.databaseValue)
        #expect(SpendColumnStorage.status(code.databaseValue) == status)
        #expect(SpendColumnStorage.status(status.rawValue.databaseValue) == status, "the text of rows from before")
    }

    @Test(arguments: [
        ("pay_invoice", Data([0]).databaseValue), ("pay_keysend", Data([1]).databaseValue),
        ("execute_quote", Data([2]).databaseValue), ("pay_to_address", Data([3]).databaseValue),
        ("payments:send", Data([4]).databaseValue), ("1", "1".databaseValue), ("make_invoice", "make_invoice".databaseValue),
    ])
    func aPayingMethodIsStoredAsItsFrozenCodeAndAnyOtherAsText(method: String, stored: DatabaseValue) {
        #expect(SpendColumnStorage.stored(method: method) == stored)
        #expect(SpendColumnStorage.method(stored) == method)
    }

    @Test func aCodeOutsideTheTablesReadsAsNoStatusAndNoMethod() {
        #expect(SpendColumnStorage.status(Data([9]).databaseValue) == nil)
        #expect(SpendColumnStorage.status(Data([0, 0]).databaseValue) == nil)
        #expect(!SpendColumnStorage.methods.contains(SpendColumnStorage.method(Data([9]).databaseValue)))
    }

    static let connectionId = SpendKeysTests.connectionId
    static func spendId(_ index: Int) -> String { SpendKeysTests.spendId(index) }

    func reserve(_ test: TestLedger, _ index: Int, method: String) async throws {
        try await SpendKeysTests().spend(
            test,
            .reserve(
                try ReserveSpend(
                    spendId: Self.spendId(index), connectionId: Self.connectionId, method: method,
                    amountMsat: 100, feeReserveMsat: 1, holdTimeoutMs: 60_000)))
    }

    static func stored(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT typeof(method) || ' ' || typeof(status) FROM spends ORDER BY id")
    }

    /// Spends of every status, the denied one with a method outside the table (a scope, as a gateway
    /// route may reserve under, beyond the connection's); then every row put back as
    /// the build before kept it: the same readings, sweeps and checksums.
    @Test func rowsInEitherFormReadAndCompareTheSame() async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()  // settled, released, two held (pay_keysend)
        try await reserve(test, 4, method: "invoices:create")
        #expect(try await test.ledger.database.read(Self.stored) == Array(repeating: "blob blob", count: 4) + ["text blob"])
        // The rows themselves: held spends are answered from memory (`CommittedHeldSpends`).
        let spends = try await (0..<5).asyncMap { try await test.spendRow(Self.spendId($0)) }
        #expect(spends.map { $0?.status } == [.settled, .released, .held, .held, .denied])
        #expect(spends.map { $0?.method } == Array(repeating: "pay_keysend", count: 4) + ["invoices:create"])
        let checksums = try test.ledger.projectionChecksums()

        try await test.ledger.database.write { db in
            try db.execute(
                sql: "UPDATE spends SET method = \(SpendColumnStorage.methodTextSQL), status = \(SpendColumnStorage.statusTextSQL)")
        }
        #expect(try await test.ledger.database.read(Self.stored) == Array(repeating: "text text", count: 5))
        #expect(try await (0..<5).asyncMap { try await test.spendRow(Self.spendId($0)) } == spends)
        #expect(try test.ledger.projectionChecksums() == checksums)

        // The sweeper finds text holds through the index; a settle writes the code.
        try await SpendKeysTests().settle(test, 2)
        test.clock.advance(ms: 120_000)
        #expect(try await test.ledger.expireHolds(metadata: TestLedger.metadata) == 1)
        let after = try await (0..<5).asyncMap { try await test.ledger.spend(id: Self.spendId($0))?.status }
        #expect(after == [.settled, .released, .settled, .released, .denied])
        #expect(try await test.ledger.database.read(Self.stored) == ["text text", "text text", "text blob", "text blob", "text text"])
        let mixed = try test.ledger.projectionChecksums()
        #expect(try test.ledger.verify().isIntact)
        #expect(try await test.ledger.replay().checksums == mixed)
        #expect(try await test.ledger.database.read(Self.stored) == Array(repeating: "blob blob", count: 4) + ["text blob"])
    }

    /// A file from before spends_codes_v1: text rows, the held index as projections_v2 declared
    /// it. Opening it makes the index again and rewrites no row; holds are still swept.
    @Test func aFileFromBeforeMigratesWithItsRowsAsTheyWere() async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()
        let checksums = try test.ledger.verify().checksums
        await test.ledger.close()
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE spends SET method = \(SpendColumnStorage.methodTextSQL), status = \(SpendColumnStorage.statusTextSQL)")
            try db.execute(sql: "DROP INDEX spends_held_by_expiry")
            try db.execute(sql: "CREATE INDEX spends_held_by_expiry ON spends (expires_at_ms) WHERE status = 'held'")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'spends_codes_v1'")
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let (stored, declared, plans) = try await reopened.database.read { db in
            (
                try Self.stored(db),
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'spends_held_by_expiry'"),
                try MigrationTests.spendsPlans(db)
            )
        }
        #expect(stored == Array(repeating: "text text", count: 4), "nothing rewritten")
        #expect(declared?.hasSuffix("WHERE status IN ('held', x'00')") == true)
        #expect(plans[1].contains("USING INDEX spends_held_by_expiry"), "\(plans)")
        let report = try reopened.verify()
        #expect(report.isIntact && report.checksums == checksums)
        await reopened.close()
    }
}

extension Range where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for index in self { results.append(try await transform(index)) }
        return results
    }
}
