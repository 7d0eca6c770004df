import Foundation
import GRDB
import GRDBSQLite
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// An event whose payload cannot be made: the command that decides it fails after the events
/// before it were appended and applied, and its savepoint takes them back.
struct UnencodableEvent: DomainEvent {
    struct Refused: Error {}
    static let type = "test.unencodable"
    static let typeVersion = 1
    func encode(to encoder: any Encoder) throws { throw Refused() }
}

/// Decides as `command` does, then fails on one more event: what the command appended and
/// applied (a grant or a settle, its rows, its audit record and any term code the record drew)
/// is rolled back with its savepoint.
struct ThenFail<Command: LedgerCommand>: LedgerCommand {
    let command: Command
    var name: String { "\(command.name)ThenFail" }
    var stream: String { command.stream }
    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        try command.decide(db, nowMs: nowMs).map { $0 + [UnencodableEvent()] }
    }
}

/// `WriterMemory`: the writer's memory of the trail's term codes hands out only codes that stand.
@Suite struct WriterMemoryTests {
    static func metadata(actor: String) -> EventMetadata {
        EventMetadata(
            actor: .init(id: actor, role: "admin"), subject: .init(id: "user-1", idType: "user"), action: .create,
            purpose: "test", source: .init(serviceId: "tests", ip: "127.0.0.1"), requestId: "req-\(actor)")
    }

    static func code(of term: String, _ path: String) throws -> Int64? {
        try DatabaseQueue(path: path).read { db in
            try Int64.fetchOne(db, sql: "SELECT code FROM audit_terms WHERE term = ?", arguments: [term])
        }
    }

    @Test func aTermDrawnInARolledBackCommandIsDrawnAgainNotHandedOutFromMemory() async throws {
        let test = try TestLedger()
        let failing = ThenFail(command: ConnectionCommandHandler(try test.grantCommand("c-rolled-back")))
        await #expect(throws: UnencodableEvent.Refused.self) {
            try await test.ledger.submit(
                try CommandEnvelope(failing, metadata: Self.metadata(actor: "actor-rolled-back")))
        }
        #expect(try Self.code(of: "actor-rolled-back", test.path) == nil)

        // The next new term takes the number the rolled-back one had drawn.
        try await test.ledger.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(try test.grantCommand("c-next")), metadata: Self.metadata(actor: "actor-next"))
        )
        // The rolled-back actor comes back: its record must hold a code of its own.
        try await test.ledger.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(try test.grantCommand("c-again")),
                metadata: Self.metadata(actor: "actor-rolled-back")))

        let next = try #require(try Self.code(of: "actor-next", test.path))
        let again = try #require(try Self.code(of: "actor-rolled-back", test.path))
        #expect(next != again)
        let users = try await DatabaseQueue(path: test.path).read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT u.term FROM audit_trail t JOIN audit_terms u ON u.code = t.user_term ORDER BY t.seq
                    """)
        }
        #expect(users == ["actor-next", "actor-rolled-back"])
        // The trail equals what a replay (which codes terms its own way) builds.
        #expect(try test.ledger.verify().isIntact)
    }

    /// A batch on `writer` that draws "alice", ended as the writer ends one.
    static func firstBatch(_ codes: WriterMemory, _ writer: DatabaseQueue) throws -> Int64 {
        try writer.write { db in
            try codes.beginBatch(db)
            let code = try codes.code("alice", db)
            try codes.finishBatch(db)
            return code
        }
    }

    /// Renumbers the terms, as a replay may: "bob" takes alice's code, alice the next.
    static func renumber(_ db: Database, aliceHad code: Int64) throws {
        try db.execute(sql: "DELETE FROM audit_terms")
        try db.execute(
            sql: "INSERT INTO audit_terms (code, term) VALUES (?, 'bob'), (?, 'alice')", arguments: [code, code + 1])
    }

    /// Terms renumbered between batches, as a replay may: by another connection (another
    /// process), or on the writer's own outside a batch (a rebuild in this process).
    @Test(arguments: [false, true])
    func rowsChangedBetweenBatchesForgetEveryCode(onTheWritersOwnConnection: Bool) throws {
        let test = try TestLedger()
        let codes = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        let first = try Self.firstBatch(codes, writer)
        #expect(codes.keptCount == 1)
        let renumbering = onTheWritersOwnConnection ? writer : try DatabaseQueue(path: test.path)
        try renumbering.write { db in try Self.renumber(db, aliceHad: first) }
        let after = try writer.write { db in
            try codes.beginBatch(db)
            return try codes.code("alice", db)
        }
        #expect(after == first + 1)
    }

    @Test func codesStandFromOneBatchToTheNextAndWithinOne() throws {
        let test = try TestLedger()
        let codes = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        let first = try Self.firstBatch(codes, writer)
        let kept = try writer.write { db in
            try codes.beginBatch(db)
            // Gone from the table behind the memory's back within a batch (which nothing does):
            // the code comes from memory, without a look-up.
            try db.execute(sql: "DELETE FROM audit_terms")
            let kept = try codes.code("alice", db)
            // Not drawn again (which would take the same number in an empty table).
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_terms") == 0)
            return kept
        }
        #expect(kept == first)
        codes.forgetAll()
        #expect(codes.keptCount == 0)
    }

    @Test func aSavepointRefusesToOpenOnceSQLiteHasRolledTheTransactionBack() throws {
        let queue = try DatabaseQueue()
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY)")
        }
        var ran = false
        // A transaction GRDB does not run as a block of its own, so that only the savepoint's own
        // check stands between the command and autocommit mode (inside `write`, GRDB's
        // statements would refuse first).
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "INSERT INTO t (k) VALUES (1)")
            // As SQLite does after SQLITE_FULL or an I/O error: the transaction is gone.
            #expect(sqlite3_exec(db.sqliteConnection, "ROLLBACK", nil, nil, nil) == SQLITE_OK)
            #expect {
                try CommandSavepoint.run(db) {
                    try db.execute(sql: "INSERT INTO t (k) VALUES (2)")
                    ran = true
                }
            } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_ABORT }
        }
        #expect(!ran)
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 0)
    }

    @Test func aRolledBackCommandsDrawnTermIsForgottenAndAnEarlierCommandsKept() throws {
        let test = try TestLedger()
        let codes = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        try writer.write { db in
            try codes.beginBatch(db)
            _ = try codes.code("kept", db)
            codes.commandReleased()
            #expect(throws: UnencodableEvent.Refused.self) {
                try CommandSavepoint.run(db) {
                    _ = try codes.code("drawn", db)
                    throw UnencodableEvent.Refused()
                }
            }
            codes.commandRolledBack()
            #expect(codes.keptCount == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_terms WHERE term = 'drawn'") == 0)
        }
    }
}

extension WriterMemoryTests {
    /// Swift calls these pairs equal (canonical equivalence); SQLite, comparing bytes, keeps two
    /// terms, and so must the memory.
    @Test(arguments: [("Jos\u{E9}", "Jose\u{301}"), ("\u{212A}", "K")])
    func termsEqualAsStringsButNotAsBytesKeepTheirOwnCodes(first: String, second: String) throws {
        let test = try TestLedger()
        let codes = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        let (firstCode, secondCode) = try writer.write { db in
            try codes.beginBatch(db)
            return (try codes.code(first, db), try codes.code(second, db))
        }
        #expect(firstCode != secondCode)
        #expect(try Self.code(of: first, test.path) == firstCode)
        #expect(try Self.code(of: second, test.path) == secondCode)
    }
}

extension WriterMemoryTests {
    /// Spans are widened in memory and written at each batch's end: every block's stored span is
    /// exactly the span of its rows' times (no command here is rolled back, and a checkpoint's
    /// write between batches keeps what the writer remembers).
    @Test func eachBatchWritesItsBlocksSpansExactly() async throws {
        let test = try TestLedger(
            writer: .init(batchSizeMax: 50, batchWaitUs: 1_000), clock: TestClock(ticking: true),
            synchronous: .normal)
        for round in 0..<3 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<700 {
                    let command = try test.grantCommand("r\(round)-\(index)")
                    group.addTask { try await test.submit(command) }
                }
                try await group.waitForAll()
            }
        }
        let (stored, expected) = try await DatabaseQueue(path: test.path).read { db in
            (
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT block, earliest_recorded_at_ms, latest_recorded_at_ms FROM audit_trail_times ORDER BY block
                        """),
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT t.seq >> \(AuditRecordsProjection.timesBlockShift) AS block, min(e.recorded_at),
                          max(e.recorded_at)
                        FROM audit_trail t JOIN events e ON e.seq = t.seq WHERE t.occurred_at_ms IS NULL
                        GROUP BY block ORDER BY block
                        """)
            )
        }
        let values = { (rows: [Row]) in rows.map { row in (0..<3).map { row[$0] as Int64 } } }
        #expect(stored.count == 3)
        #expect(values(stored) == values(expected))
        #expect(try await test.ledger.verify().isIntact)
    }
}

extension WriterMemoryTests {
    /// A term holding a NUL is stored whole, found again by the next record, and reads back
    /// as GRDB reads text (cut at the NUL) in both the live trail and a replay's.
    @Test func aTermHoldingANulIsFoundAgainByTheNextRecord() async throws {
        let test = try TestLedger()
        for actor in ["nul\u{0}inside", "nul\u{0}inside", "nul"] {
            try await test.ledger.submit(
                try CommandEnvelope(
                    ConnectionCommandHandler(try test.grantCommand("c-\(UUID().uuidString)")),
                    metadata: Self.metadata(actor: actor)))
        }
        let terms = try await DatabaseQueue(path: test.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_terms WHERE term LIKE 'nul%'")
        }
        #expect(terms == 2)
        #expect(try await test.ledger.verify().isIntact)
    }
}

extension WriterMemoryTests {
    static let connectionId = "01a2316e-59b1-74e8-97b1-2b2c0918e975"

    static func reserve(_ spendId: String) throws -> CommandEnvelope {
        try TestLedger.reserveEnvelope(spendId: spendId, connectionId: connectionId, method: "pay_keysend")
    }

    /// A ledger with one connection that may pay keysends, its budget `budgetSat` a `period`.
    static func grantedLedger(budgetSat: Int64 = 1_000_000, period: BudgetPeriod = .never) async throws -> TestLedger {
        let test = try TestLedger()
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: connectionId, userId: "u", name: "App", scopes: ["pay_keysend"],
                    budget: BudgetDefinition(amount: budgetSat, period: period), expiresAtSec: nil, nowMs: test.nowMs)))
        return test
    }

    /// Reserved, not denied (a denial is an accepted `SpendDenied`); other commands: accepted; nil
    /// (a command that threw): no.
    static func isAccepted(_ outcome: CommandOutcome?) -> Bool {
        if case .accepted(let events, _) = outcome { return !events.contains { $0.type == SpendDenied.type } }
        return false
    }

    @Test func aSpendAfterItsConnectionIsRevokedSeesTheRevocation() async throws {
        let test = try await Self.grantedLedger()
        #expect(Self.isAccepted(try await test.ledger.submit(try Self.reserve("01a2316e-59e3-725a-b9a2-000000000001"))))
        try await test.submit(.revoke(try RevokeConnection(connectionId: Self.connectionId)))
        let after = try await test.ledger.submit(try Self.reserve("01a2316e-59e3-725a-b9a2-000000000002"))
        #expect(!Self.isAccepted(after))
    }

    /// The same three commands in one batch (one transaction, as the writer runs them).
    @Test func aSpendAfterARevocationInTheSameBatchSeesIt() async throws {
        let test = try await Self.grantedLedger()
        let memory = WriterMemory()
        let envelopes = [
            try Self.reserve("01a2316e-59e3-725a-b9a2-000000000001"),
            try test.envelope(.revoke(try RevokeConnection(connectionId: Self.connectionId))),
            try Self.reserve("01a2316e-59e3-725a-b9a2-000000000002"),
        ]
        let outcomes = try Self.batch(envelopes, test.ledger.database, memory, nowMs: test.nowMs)
        #expect(outcomes.map(Self.isAccepted) == [true, true, false])
        #expect(try await test.ledger.verify().isIntact)
    }
}

extension WriterMemoryTests {
    /// A checkpoint's row, written on the writer's connection between batches, is no reason to
    /// forget what the writer keeps; a change before it still is.
    @Test func aCheckpointsWriteKeepsTheMemoryAndAnEarlierChangeStillForgetsIt() throws {
        let test = try TestLedger()
        let codes = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        let first = try Self.firstBatch(codes, writer)
        try writer.write { db in
            let before = db.totalChangesCount
            try db.execute(sql: "INSERT INTO audit_terms (term) VALUES ('unrelated')")
            codes.unrelatedWrite(db, changesBefore: before)
        }
        try writer.write { db in
            try codes.beginBatch(db)
            #expect(codes.keptCount == 1)
            try codes.finishBatch(db)
        }
        // Renumbered on the same connection, then an unrelated write: still forgotten.
        try writer.write { db in try Self.renumber(db, aliceHad: first) }
        try writer.write { db in
            let before = db.totalChangesCount
            try db.execute(sql: "INSERT INTO audit_terms (term) VALUES ('unrelated too')")
            codes.unrelatedWrite(db, changesBefore: before)
        }
        let after = try writer.write { db in
            try codes.beginBatch(db)
            return try codes.code("alice", db)
        }
        #expect(after == first + 1)
    }
}

extension WriterMemoryTests {
    static func rejection(_ outcome: CommandOutcome?) -> Rejection.Code? {
        if case .rejected(let rejection, _) = outcome { return rejection.code }
        return nil
    }

    /// The writer skips a spend's look-up while its stream is empty: a second reserve of the same
    /// id (its stream no longer empty) still finds the first, reserved or denied, and a settle of
    /// a spend never reserved is still not found.
    @Test func aSpendsIdIsLookedUpOnceItsStreamHoldsAnything() async throws {
        let test = try await Self.grantedLedger()
        let reserved = "01a2316e-59e3-725a-b9a2-000000000001"
        #expect(Self.isAccepted(try await test.ledger.submit(try Self.reserve(reserved))))
        #expect(Self.rejection(try await test.ledger.submit(try Self.reserve(reserved))) == .alreadyExists)

        // A revoked connection: denied (a `SpendDenied` in the spend's stream, and its row).
        try await test.submit(.revoke(try RevokeConnection(connectionId: Self.connectionId)))
        let denied = "01a2316e-59e3-725a-b9a2-000000000002"
        #expect(!Self.isAccepted(try await test.ledger.submit(try Self.reserve(denied))))
        #expect(Self.rejection(try await test.ledger.submit(try Self.reserve(denied))) == .alreadyExists)

        let neverReserved = try CommandEnvelope(
            SpendCommandHandler(
                .settle(try SettleSpend(spendId: "01a2316e-59e3-725a-b9a2-000000000003", amountMsat: 1, feeMsat: 0))),
            metadata: TestLedger.metadata)
        #expect(Self.rejection(try await test.ledger.submit(neverReserved)) == .notFound)
        #expect(try await test.ledger.verify().isIntact)
    }
}

extension WriterMemoryTests {
    /// Runs the envelopes as one of the writer's batches (`LedgerWriter.run`, savepoints on) with
    /// `memory`: each command's outcome, nil for one that threw (its savepoint rolled back).
    static func batch(
        _ envelopes: [CommandEnvelope], _ writer: any DatabaseWriter, _ memory: WriterMemory, nowMs: Int64,
        projections: Projections = .standard
    ) throws -> [CommandOutcome?] {
        try writer.write { db in
            try LedgerWriter.run(envelopes, db, nowMs: nowMs, savepoints: true, projections, memory)
                .results.map { try? $0.get() }
        }
    }

    /// A reservation's spend, kept by the writer for its settle, is its row: priced in a fiat
    /// budget's currency with a rate, in sats, with and without a payment hash or a cycle, its
    /// id kept as bytes (a lower-case UUID) or as text.
    @Test(arguments: [
        ("SAT", nil, nil, .daily, "01a2316e-59e3-725a-b9a2-000000000001"),
        ("USD", 10_000, "ab" + String(repeating: "0", count: 62), .monthly, "01a2316e-59e3-725a-b9a2-000000000001"),
        ("USD", 7, nil, .never, "01A2316E-59E3-725A-B9A2-000000000001"),
        ("SAT", nil, nil, .never, "spend-with-a-name-of-its-own"),
    ] as [(String, Int64?, String?, BudgetPeriod, String)])
    func aHeldSpendTheWriterKeepsIsItsRow(
        currency: String, rateMsat: Int64?, paymentHash: String?, period: BudgetPeriod, spendId: String
    ) async throws {
        let test = try TestLedger()
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: Self.connectionId, userId: "u", name: "App", scopes: ["pay_keysend"],
                    budget: BudgetDefinition(amount: 1_000_000, currency: currency, period: period),
                    expiresAtSec: nil, nowMs: test.nowMs)))
        let reserve = try CommandEnvelope(
            SpendCommandHandler(
                .reserve(
                    try ReserveSpend(
                        spendId: spendId, connectionId: Self.connectionId, method: "pay_keysend", amountMsat: 21_000,
                        feeReserveMsat: 10, rate: try rateMsat.map { try ConversionRate(currency: currency, msat: $0, units: 1) },
                        paymentHash: paymentHash, holdTimeoutMs: 60_000))),
            metadata: TestLedger.metadata)
        let memory = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        #expect(try Self.batch([reserve], writer, memory, nowMs: test.nowMs).map(Self.isAccepted) == [true])
        let row = try await writer.read { try SpendsProjection.fetch(id: spendId, $0) }
        #expect(row != nil && memory.heldSpend(id: spendId) == row)

        let settle = try CommandEnvelope(
            SpendCommandHandler(.settle(try SettleSpend(spendId: spendId, amountMsat: 20_000, feeMsat: 3))),
            metadata: TestLedger.metadata)
        #expect(try Self.batch([settle], writer, memory, nowMs: test.nowMs).map(Self.isAccepted) == [true])
        #expect(memory.heldSpend(id: spendId) == nil, "settled: no longer held, nor kept")
    }

    /// A spend released by another connection (another process on the file) between two of the
    /// writer's batches: the writer forgets what it kept, and its settle finds the release.
    @Test(arguments: [false, true])
    func aSpendChangedOutsideTheWritersBatchesIsReadAgain(onTheWritersOwnConnection: Bool) async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000001"
        let memory = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        #expect(try Self.batch([try Self.reserve(spendId)], writer, memory, nowMs: test.nowMs).map(Self.isAccepted) == [true])
        #expect(memory.heldSpend(id: spendId) != nil)

        let release = try CommandEnvelope(
            SpendCommandHandler(.release(try ReleaseSpend(spendId: spendId, reason: .released))),
            metadata: TestLedger.metadata)
        if onTheWritersOwnConnection {
            // Run outside a batch: what an in-place replay or any other write on it looks like.
            try await writer.write { db in
                var head = try ChainHead.load(db)
                let other = WriterMemory()
                try other.beginBatch(db)
                _ = try CommandRunner.run(release, db, head: &head, nowMs: test.nowMs, projections: .standard, memory: other)
                try other.finishBatch(db)
            }
        } else {
            try await test.ledger.submit(release)
        }
        let settle = try CommandEnvelope(
            SpendCommandHandler(.settle(try SettleSpend(spendId: spendId, amountMsat: 1_000, feeMsat: 0))),
            metadata: TestLedger.metadata)
        let outcome = try Self.batch([settle], writer, memory, nowMs: test.nowMs)[0]
        #expect(!Self.isAccepted(outcome), "a released spend is not settled: \(outcome)")
        let status = try await writer.read { try SpendsProjection.fetch(id: spendId, $0) }?.status
        #expect(status == .released)
    }
}

extension WriterMemoryTests {
    static func settle(_ spendId: String) throws -> CommandEnvelope {
        try CommandEnvelope(
            SpendCommandHandler(.settle(try SettleSpend(spendId: spendId, amountMsat: 1_000, feeMsat: 0))),
            metadata: TestLedger.metadata)
    }

    /// A settle rolled back with its command leaves the spend held: the next settle in the same
    /// batch is taken, and the row is settled once.
    @Test func aSettleRolledBackLeavesTheSpendHeldForTheNext() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000001"
        let memory = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        let failing = try CommandEnvelope(
            ThenFail(command: SpendCommandHandler(.settle(try SettleSpend(spendId: spendId, amountMsat: 500)))),
            metadata: TestLedger.metadata)
        let outcomes = try Self.batch(
            [try Self.reserve(spendId), failing, try Self.settle(spendId)], writer, memory, nowMs: test.nowMs)
        #expect(outcomes.map(Self.isAccepted) == [true, false, true])
        let spend = try await writer.read { try SpendsProjection.fetch(id: spendId, $0) }
        #expect(spend?.status == .settled && spend?.amountMsat == 1_000)
        #expect(try await test.ledger.verify().isIntact)
    }

    /// A writer whose projections leave out `SpendsProjection` writes no spend's row, and keeps
    /// none: a settle finds no spend, as it would without the memory.
    @Test func aWriterWithoutTheSpendsProjectionKeepsNoSpend() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000001"
        let memory = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        let outcomes = try Self.batch(
            [try Self.reserve(spendId), try Self.settle(spendId)], writer, memory, nowMs: test.nowMs,
            projections: Projections(all: [ConnectionsProjection()]))
        #expect(Self.isAccepted(outcomes[0]) && memory.heldSpend(id: spendId) == nil)
        #expect(Self.rejection(outcomes[1]) == .notFound)
    }
}
