import Crypto
import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// A spend's id and its connection's are kept as their 16 bytes when they are lower-case UUIDs
/// (spends_keys_v1); rows written before keep the text, and both are found, settled and compared.
@Suite struct SpendKeysTests {
    static let connectionId = "01a2316e-59b1-74e8-97b1-2b2c0918e975"
    static func spendId(_ index: Int) -> String { "01a2316e-59e3-725a-b9a2-\(String(format: "%012x", index))" }

    func spend(_ test: TestLedger, _ command: SpendCommand) async throws {
        let outcome = try await test.ledger.submit(try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata))
        guard case .accepted = outcome else { throw LedgerError(code: .storage, message: "refused: \(outcome)") }
    }

    func reserve(_ test: TestLedger, _ index: Int) async throws { try await reserve(test, id: Self.spendId(index)) }

    func reserve(_ test: TestLedger, id: String) async throws {
        try await spend(
            test,
            .reserve(
                try ReserveSpend(
                    spendId: id, connectionId: Self.connectionId, method: "pay_keysend",
                    amountMsat: 1_000, feeReserveMsat: 10, holdTimeoutMs: 60_000)))
    }

    func settle(_ test: TestLedger, _ index: Int) async throws {
        try await spend(test, .settle(try SettleSpend(spendId: Self.spendId(index), amountMsat: 1_000, feeMsat: 1)))
    }

    /// A connection with a budget, four spends: one settled, one released, two held.
    func ledgerWithSpends() async throws -> TestLedger {
        let test = try TestLedger()
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: Self.connectionId, userId: "u", name: "App", scopes: ["pay_keysend"],
                    budget: BudgetDefinition(amount: 1_000, period: .never), expiresAtSec: nil, nowMs: test.nowMs)))
        for index in 0..<4 { try await reserve(test, index) }
        try await settle(test, 0)
        try await spend(test, .release(try ReleaseSpend(spendId: Self.spendId(1), reason: .failed)))
        return test
    }

    func storageClasses(_ test: TestLedger) async throws -> [String] {
        try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT typeof(id) || ' ' || typeof(connection_id) FROM spends ORDER BY 1")
        }
    }

    @Test func uuidIdsAreStoredAsBytesAndReadAsText() async throws {
        let test = try await ledgerWithSpends()
        #expect(try await storageClasses(test) == ["blob blob"])
        let settled = try #require(try await test.ledger.spend(id: Self.spendId(0)))
        #expect(settled.id == Self.spendId(0) && settled.connectionId == Self.connectionId && settled.status == .settled)
        #expect(try await test.ledger.spend(id: Self.spendId(1))?.status == .released)
        // The expiry sweeper finds held spends by their text.
        test.clock.advance(ms: 120_000)
        #expect(try await test.ledger.expireHolds(metadata: TestLedger.metadata) == 2)
        #expect(try await test.ledger.spend(id: Self.spendId(3))?.status == .released)
        let live = try test.ledger.projectionChecksums()
        #expect(try await test.ledger.replay().checksums == live)
        #expect(try test.ledger.verify().isIntact)
    }

    /// The spends checksum as the build before computed it: every table as stored, in key order.
    static func checksumAsBefore(_ db: Database) throws -> String {
        var hasher = SHA256()
        for table in SpendsProjection().tables {
            ProjectionChecksumTests.appendLengthPrefixed(Data(table.name.utf8), to: &hasher)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)") {
                hasher.update(data: [0xFF])
                for value in row.databaseValues { ProjectionChecksumTests.append(value, to: &hasher) }
            }
        }
        return Hex.encode(hasher.finalize())
    }

    /// Spends written as text (by the build before) are found, settled and expired; new ones are
    /// bytes; the checksums are the same whichever form the rows have (and, on text rows, what
    /// the build before printed), so the live projections of an upgraded ledger equal its
    /// replay, which writes every row anew.
    @Test func spendsWrittenAsTextBeforeGoOnAndCompareEqual() async throws {
        let test = try await ledgerWithSpends()
        let asBytes = try test.ledger.projectionChecksums()
        try await test.ledger.database.write { db in
            try db.execute(
                sql: """
                    UPDATE spends SET id = \(EventKeyStorage.eventIdTextSQL("id")),
                      connection_id = \(EventKeyStorage.eventIdTextSQL("connection_id")),
                      method = \(SpendColumnStorage.methodTextSQL), status = \(SpendColumnStorage.statusTextSQL)
                    """)
        }
        #expect(try await storageClasses(test) == ["text text"])
        #expect(try test.ledger.projectionChecksums() == asBytes)
        #expect(try await test.ledger.database.read(Self.checksumAsBefore) == asBytes["spends"])

        try await settle(test, 2)
        #expect(try await test.ledger.spend(id: Self.spendId(2))?.status == .settled)
        test.clock.advance(ms: 120_000)
        #expect(try await test.ledger.expireHolds(metadata: TestLedger.metadata) == 1)
        #expect(try await test.ledger.spend(id: Self.spendId(3))?.status == .released)
        // An id below every text one: SQLite sorts any text before any BLOB, so ordered as
        // stored it would come last here and first in the replay. The checksum orders by the text.
        let lowest = "01a2316e-0000-7000-8000-000000000001"
        try await reserve(test, id: lowest)
        #expect(try await storageClasses(test) == ["blob blob", "text text"])
        #expect(try await test.spendRow(lowest)?.status == .held)
        // An upper-case UUID stays text, in a replay too: there both forms are new.
        let upper = "01A2316E-0000-7000-8000-0000000000FF"
        try await reserve(test, id: upper)
        #expect(try await test.spendRow(upper)?.id == upper)
        let mixed = try test.ledger.projectionChecksums()
        let report = try test.ledger.verify()
        #expect(report.isIntact, "\(report)")
        #expect(try await test.ledger.replay().checksums == mixed)
        #expect(try await storageClasses(test) == ["blob blob", "text blob"])
    }

    /// The checksum names the spends' columns (to read the ids as text): all of them, in order.
    @Test func theChecksumReadsEveryColumnOfSpends() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue)
        let columns = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('spends')") }
        #expect(columns == SpendsProjection.spendsColumns)
    }
}
