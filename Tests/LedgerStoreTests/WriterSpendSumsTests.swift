import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// The writer sums a batch's budget usage and connection totals in memory and writes them once per
/// key as the batch ends (`WriterMemory`, `SpendSums`): decisions in the batch still see the
/// commands before them, and the rows end as the commands one by one would leave them.
@Suite struct WriterSpendSumsTests {
    static let connectionId = WriterMemoryTests.connectionId

    static func spendId(_ n: Int) -> String { "01a2316e-59e3-725a-b9a2-\(String(format: "%012d", n))" }

    static func envelope(_ command: SpendCommand) throws -> CommandEnvelope {
        try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata)
    }

    static func reserveCommand(_ n: Int, amountMsat: Int64 = 1_000_000) throws -> SpendCommand {
        .reserve(
            try ReserveSpend(
                spendId: spendId(n), connectionId: connectionId, method: "pay_keysend", amountMsat: amountMsat,
                feeReserveMsat: 10, holdTimeoutMs: 60_000))
    }

    static func reserve(_ n: Int, amountMsat: Int64 = 1_000_000) throws -> CommandEnvelope {
        try envelope(try reserveCommand(n, amountMsat: amountMsat))
    }

    static func settle(_ n: Int, amountMsat: Int64, feeMsat: Int64) throws -> CommandEnvelope {
        try envelope(.settle(try SettleSpend(spendId: spendId(n), amountMsat: amountMsat, feeMsat: feeMsat)))
    }

    static func release(_ n: Int) throws -> CommandEnvelope {
        try envelope(.release(try ReleaseSpend(spendId: spendId(n), reason: .released)))
    }

    /// A reserve whose command then fails: its savepoint takes its rows back.
    static func failingReserve(_ n: Int) throws -> CommandEnvelope {
        try CommandEnvelope(
            ThenFail(command: SpendCommandHandler(try reserveCommand(n))), metadata: TestLedger.metadata)
    }

    static func grantedLedger(budgetSat: Int64, period: BudgetPeriod = .never) async throws -> TestLedger {
        try await WriterMemoryTests.grantedLedger(budgetSat: budgetSat, period: period)
    }

    /// Every row of `budget_usage` and `spend_totals`, in key order.
    static func sumRows(_ writer: any DatabaseWriter) throws -> [[DatabaseValue]] {
        try writer.read { db in
            let usage = try Row.fetchAll(
                db, sql: "SELECT * FROM budget_usage ORDER BY connection_id, budget_anchor_ms, cycle_start_ms")
            let totals = try Row.fetchAll(db, sql: "SELECT * FROM spend_totals ORDER BY connection_id")
            return (usage + totals).map { Array($0.databaseValues) }
        }
    }

    /// Two reserves of about 1,000 sat fit a 2,500 sat budget and a third does not, all in one
    /// batch: the third is denied although no usage row holds the first two yet.
    @Test func aReserveSeesWhatTheBatchsEarlierReservesHold() async throws {
        let test = try await Self.grantedLedger(budgetSat: 2_500)
        let writer = try DatabaseQueue(path: test.path)
        let outcomes = try WriterMemoryTests.batch(
            [try Self.reserve(1), try Self.reserve(2), try Self.reserve(3)], writer, WriterMemory(), nowMs: test.nowMs)
        #expect(outcomes.map(WriterMemoryTests.isAccepted) == [true, true, false])
        let heldUnits = try await writer.read { try Row.fetchAll($0, sql: "SELECT held_units FROM budget_usage") }
        #expect(heldUnits.map { $0[0] as Int64 } == [2 * 1_000_010], "in msat")
        #expect(try await test.ledger.verify().isIntact)
    }

    /// The usage a batch starts from is the stored row's: a reserve in an earlier batch and one
    /// in this batch fit a 2,500 sat budget, a third does not, though this batch's own sums alone
    /// would still fit.
    @Test func aReserveSeesTheStoredUsageAndTheBatchsSumsTogether() async throws {
        let test = try await Self.grantedLedger(budgetSat: 2_500)
        let writer = try DatabaseQueue(path: test.path)
        let memory = WriterMemory()
        let first = try WriterMemoryTests.batch([try Self.reserve(1)], writer, memory, nowMs: test.nowMs)
        #expect(first.map(WriterMemoryTests.isAccepted) == [true])
        let second = try WriterMemoryTests.batch(
            [try Self.reserve(2), try Self.reserve(3)], writer, memory, nowMs: test.nowMs)
        #expect(second.map(WriterMemoryTests.isAccepted) == [true, false])
        #expect(try await test.ledger.verify().isIntact)
    }

    /// The budget's 80 % event is appended once a cycle: a reserve after the one that crossed it,
    /// in the same batch, sees the flag in the batch's sums.
    @Test func theThresholdIsReachedOnceInABatch() async throws {
        let test = try await Self.grantedLedger(budgetSat: 2_500)
        let writer = try DatabaseQueue(path: test.path)
        let outcomes = try WriterMemoryTests.batch(
            [try Self.reserve(1, amountMsat: 2_100_000), try Self.reserve(2, amountMsat: 100_000)], writer,
            WriterMemory(), nowMs: test.nowMs)
        #expect(outcomes.map(WriterMemoryTests.isAccepted) == [true, true])
        let thresholds = try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE type = ?", arguments: [
                EventTypeStorage.stored(type: BudgetThresholdReached.type)
            ])
        }
        #expect(thresholds == 1)
        #expect(try await test.ledger.verify().isIntact)
    }

    /// A settle in the same batch as its reserve frees what the reserve held beyond the amount
    /// settled: the reserve after it fits again.
    @Test func aSettleInTheBatchFreesItsHoldForTheReserveAfterIt() async throws {
        let test = try await Self.grantedLedger(budgetSat: 2_500)
        let writer = try DatabaseQueue(path: test.path)
        let outcomes = try WriterMemoryTests.batch(
            [
                try Self.reserve(1, amountMsat: 2_000_000), try Self.settle(1, amountMsat: 100_000, feeMsat: 0),
                try Self.reserve(2, amountMsat: 2_000_000),
            ], writer, WriterMemory(), nowMs: test.nowMs)
        #expect(outcomes.map(WriterMemoryTests.isAccepted) == [true, true, true])
        #expect(try await test.ledger.verify().isIntact)
    }

    /// The same commands in one batch and each in a batch of its own, from copies of one ledger:
    /// the same decisions, and the same usage and totals rows. In the batch, two more commands
    /// fail after writing, the first of them before any other touched the sums: each savepoint
    /// rolls its command back, and its change to the sums with it. `rerun`: as the writer runs
    /// a batch, without savepoints first, rolled back whole when a command fails after writing,
    /// then again with a savepoint per command.
    @Test(arguments: [(BudgetPeriod.never, false), (.daily, false), (.never, true)])
    func aBatchLeavesTheUsageAndTotalsItsCommandsOneByOneLeave(period: BudgetPeriod, rerun: Bool) async throws {
        let test = try await Self.grantedLedger(budgetSat: 10_000, period: period)
        let copyPath = test.path + "-copy.sqlite"
        try await test.ledger.database.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [copyPath]) }
        let commands = [
            try Self.reserve(1), try Self.reserve(2), try Self.settle(1, amountMsat: 900_000, feeMsat: 7),
            try Self.release(2), try Self.reserve(4, amountMsat: 5_000_000),
            try Self.settle(4, amountMsat: 5_000_000, feeMsat: 10), try Self.settle(2, amountMsat: 1, feeMsat: 0),
            try Self.reserve(5, amountMsat: 9_000_000), try Self.reserve(6, amountMsat: 2_000_000),
        ]

        let together = try DatabaseQueue(path: test.path)
        let batch = [try Self.failingReserve(7)] + Array(commands[..<3]) + [try Self.failingReserve(3)] + commands[3...]
        let memory = WriterMemory()
        if rerun {
            await #expect(throws: CommandSavepoint.WroteBeforeFailing.self) {
                try await together.write { db in
                    try LedgerWriter.run(batch, db, nowMs: test.nowMs, savepoints: false, .standard, memory)
                }
            }
            memory.forgetAll()
        }
        var inOneBatch = try WriterMemoryTests.batch(batch, together, memory, nowMs: test.nowMs)
        #expect(inOneBatch.remove(at: 4) == nil && inOneBatch.remove(at: 0) == nil, "the failing commands threw")

        let alone = try DatabaseQueue(path: copyPath)
        let aloneMemory = WriterMemory()
        let oneByOne = try commands.map { try WriterMemoryTests.batch([$0], alone, aloneMemory, nowMs: test.nowMs)[0] }

        let decisions = oneByOne.map(WriterMemoryTests.isAccepted)
        #expect(decisions == [true, true, true, true, true, true, false, false, true])
        #expect(inOneBatch.map(WriterMemoryTests.isAccepted) == decisions)
        #expect(inOneBatch.map(WriterMemoryTests.rejection) == oneByOne.map(WriterMemoryTests.rejection))
        let rows = try Self.sumRows(together)
        #expect(rows.count == 2, "one cycle's usage and one connection's totals")
        #expect(rows == (try Self.sumRows(alone)))
        #expect(try await test.ledger.verify().isIntact)
    }
}
