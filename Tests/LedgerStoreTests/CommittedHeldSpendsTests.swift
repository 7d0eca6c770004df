import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Held spends are answered as the writer's commits left them (`CommittedHeldSpends`): a spend is
/// kept from its reservation's commit, equal to its row, and forgotten by the commit of its next
/// event, before that command's caller is answered.
@Suite struct CommittedHeldSpendsTests {
    private static let connectionId = "c1"

    private static func grantedLedger(projections: Projections = .standard) async throws -> TestLedger {
        let test = try TestLedger(projections: projections)
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: connectionId, userId: "u", name: "App", scopes: ["pay_invoice"],
                    budget: BudgetDefinition(amount: 1_000_000, currency: "SAT", period: .daily), expiresAtSec: nil,
                    nowMs: test.nowMs)))
        return test
    }

    private static func reserveCommand(_ spendId: String) throws -> SpendCommandHandler {
        SpendCommandHandler(
            .reserve(
                try ReserveSpend(
                    spendId: spendId, connectionId: connectionId, method: "pay_invoice", amountMsat: 21_000,
                    feeReserveMsat: 10, holdTimeoutMs: 60_000)))
    }

    private static func reserve(_ spendId: String, key: String? = nil) throws -> CommandEnvelope {
        try CommandEnvelope(reserveCommand(spendId), metadata: TestLedger.metadata, idempotencyKey: key)
    }

    /// What these outcomes' events do to the held spends, worked out as the writer's memory does.
    private static func changes(_ outcomes: some Sequence<CommandOutcome>) -> HeldSpends.Changes {
        var changes = HeldSpends.Changes()
        for case .accepted(let events, _) in outcomes {
            for event in events {
                if let spendEvent = event.domainEvent.flatMap(SpendEvent.init), let change = HeldSpends.change(for: spendEvent) {
                    changes.changes.append(change)
                }
            }
        }
        return changes
    }

    private static func accepted(_ outcome: CommandOutcome) -> Bool {
        if case .accepted(let events, _) = outcome { return !events.isEmpty }
        return false
    }

    @Test(arguments: ["settle", "release", "fail"])
    func aReservedSpendIsKeptAsItsRowUntilItsNextEventIsCommitted(next: String) async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000001"
        let kept = test.ledger.authorizationRows.heldSpends
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(spendId))))

        let row = try #require(try await test.spendRow(spendId))
        #expect(row.status == .held)
        #expect(kept.spend(id: spendId) == row)
        #expect(try await test.ledger.spend(id: spendId) == row)

        let command: SpendCommand =
            switch next {
            case "settle": .settle(try SettleSpend(spendId: spendId, amountMsat: 20_000, feeMsat: 3))
            case "release": .release(try ReleaseSpend(spendId: spendId, reason: .released))
            default: .release(try ReleaseSpend(spendId: spendId, reason: .failed))
            }
        #expect(Self.accepted(try await test.ledger.submit(try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata))))

        #expect(kept.spend(id: spendId) == nil)
        let after = try #require(try await test.ledger.spend(id: spendId))
        #expect(after.status != .held)
        #expect(after == (try await test.spendRow(spendId)))
    }

    /// A reservation answered again for its idempotency key committed nothing: a spend settled
    /// since is not taken back as held.
    @Test func aReplayedReservationDoesNotKeepASettledSpendAgain() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000002"
        let other = "01a2316e-59e3-725a-b9a2-000000000012"
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(other))))
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(spendId, key: "k1"))))
        let settle = try CommandEnvelope(
            SpendCommandHandler(.settle(try SettleSpend(spendId: spendId, amountMsat: 21_000))), metadata: TestLedger.metadata)
        #expect(Self.accepted(try await test.ledger.submit(settle)))

        let again = try await test.ledger.submit(try Self.reserve(spendId, key: "k1"))
        #expect(again.isReplay)
        #expect(test.ledger.authorizationRows.heldSpends.spend(id: spendId) == nil)
        // Nothing else forgotten with it: the replay's events, read back untyped, are skipped.
        #expect(test.ledger.authorizationRows.heldSpends.spend(id: other) != nil)
        #expect(try await test.ledger.spend(id: spendId)?.status == .settled)
    }

    /// Commits that move the rows' count (a refused command, a token granted) leave the held
    /// spends kept: no event but a spend's changes a spend's row.
    @Test func aRefusedCommandAndAGrantKeepTheHeldSpends() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000005"
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(spendId))))
        let generation = test.ledger.authorizationRows.currentGeneration
        try await test.submit(.revoke(try RevokeConnection(connectionId: "ghost")))
        try await test.submit(try test.grantCommand("c2"))
        #expect(test.ledger.authorizationRows.currentGeneration > generation)
        #expect(test.ledger.authorizationRows.heldSpends.spend(id: spendId) == (try await test.spendRow(spendId)))
    }

    /// A denied reservation's spend has a row, and is not held: none is kept.
    @Test func aDeniedReservationKeepsNothing() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000006"
        let tooMuch = try CommandEnvelope(
            SpendCommandHandler(
                .reserve(
                    try ReserveSpend(
                        spendId: spendId, connectionId: Self.connectionId, method: "pay_invoice",
                        amountMsat: 2_000_000_000, feeReserveMsat: 0, holdTimeoutMs: 60_000))),
            metadata: TestLedger.metadata)
        #expect(Self.accepted(try await test.ledger.submit(tooMuch)))
        #expect(try await test.spendRow(spendId)?.status == .denied)
        #expect(test.ledger.authorizationRows.heldSpends.count == 0)
        #expect(try await test.ledger.spend(id: spendId)?.status == .denied)
    }

    /// Another connection on the file (another process) releases a held spend: the writer sees
    /// the foreign commit at its next batch's start and forgets what was kept.
    @Test func aSpendReleasedByAnotherConnectionIsReadAgainAfterTheNextBatch() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000007"
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(spendId))))
        #expect(test.ledger.authorizationRows.heldSpends.spend(id: spendId)?.status == .held)

        let other = try Ledger(path: test.path, options: .init(clock: test.clock.now))
        let release = try CommandEnvelope(
            SpendCommandHandler(.release(try ReleaseSpend(spendId: spendId, reason: .released))),
            metadata: TestLedger.metadata)
        #expect(Self.accepted(try await other.submit(release)))
        await other.close()

        try await test.submit(try test.grantCommand("c3"))
        #expect(test.ledger.authorizationRows.heldSpends.spend(id: spendId) == nil)
        #expect(try await test.ledger.spend(id: spendId)?.status == .released)
    }

    @Test func aReplayInPlaceForgetsTheHeldSpends() async throws {
        let test = try await Self.grantedLedger()
        let spendId = "01a2316e-59e3-725a-b9a2-000000000003"
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(spendId))))
        #expect(test.ledger.authorizationRows.heldSpends.count == 1)
        _ = try await test.ledger.replay()
        #expect(test.ledger.authorizationRows.heldSpends.count == 0)
        #expect(try await test.ledger.spend(id: spendId)?.status == .held)
    }

    /// Without `SpendsProjection` a spend has no row to answer for, so none is kept.
    @Test func aLedgerWhoseSpendsHaveNoRowsKeepsNone() async throws {
        let test = try await Self.grantedLedger(projections: Projections(all: [ConnectionsProjection()]))
        let spendId = "01a2316e-59e3-725a-b9a2-000000000004"
        #expect(Self.accepted(try await test.ledger.submit(try Self.reserve(spendId))))
        #expect(test.ledger.authorizationRows.heldSpends.count == 0)
        #expect(try await test.ledger.spend(id: spendId) == nil)
    }

    /// Many reservations, settles and releases in batches of every size: whatever is kept at the
    /// end is held and equal to its row, and every held row is kept (fewer than the capacity).
    @Test func everyKeptSpendIsItsHeldRowAfterMixedBatches() async throws {
        let test = try await Self.grantedLedger()
        let ids = (1...60).map { String(format: "01a2316e-59e3-725a-b9a2-%012d", $0 + 100) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { _ = try await test.ledger.submit(try Self.reserve(id)) } }
            try await group.waitForAll()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, id) in ids.enumerated() where n % 3 != 0 {
                let command: SpendCommand =
                    n % 3 == 1
                    ? .settle(try SettleSpend(spendId: id, amountMsat: 1_000))
                    : .release(try ReleaseSpend(spendId: id, reason: .released))
                group.addTask {
                    _ = try await test.ledger.submit(try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata))
                }
            }
            try await group.waitForAll()
        }
        let kept = test.ledger.authorizationRows.heldSpends
        #expect(kept.count == 20)
        for id in ids {
            let row = try #require(try await test.spendRow(id))
            if row.status == .held {
                #expect(kept.spend(id: id) == row)
            } else {
                #expect(kept.spend(id: id) == nil)
            }
        }
    }

    /// Past its capacity a reservation forgets every spend kept, and is kept itself.
    @Test func aReservationPastTheCapacityForgetsTheOthersAndIsKept() async throws {
        let test = try await Self.grantedLedger()
        let ids = (1...4).map { String(format: "01a2316e-59e3-725a-b9a2-%012d", $0 + 200) }
        var outcomes: [CommandOutcome] = []
        for id in ids { outcomes.append(try await test.ledger.submit(try Self.reserve(id))) }
        let kept = CommittedHeldSpends(capacity: 3)
        kept.committed(Self.changes(outcomes.prefix(3)))
        #expect(kept.count == 3)
        kept.committed(Self.changes([outcomes[3]]))
        #expect(kept.count == 1)
        #expect(kept.spend(id: ids[3]) == (try await test.spendRow(ids[3])))
        #expect(kept.spend(id: ids[0]) == nil)
    }

    /// Within one batch, commands rolled back with their savepoints (a reservation, a settle of a
    /// spend reserved before) hand nothing to the committed held spends: the spend reserved by a
    /// kept command stays, the rolled-back reservation is not kept.
    @Test func changesOfCommandsRolledBackAreNotCommitted() async throws {
        let test = try await Self.grantedLedger()
        let kept = "01a2316e-59e3-725a-b9a2-000000000008"
        let rolledBack = "01a2316e-59e3-725a-b9a2-000000000009"
        let failingReserve = try CommandEnvelope(
            ThenFail(command: try Self.reserveCommand(rolledBack)), metadata: TestLedger.metadata)
        let failingSettle = try CommandEnvelope(
            ThenFail(command: SpendCommandHandler(.settle(try SettleSpend(spendId: kept, amountMsat: 500)))),
            metadata: TestLedger.metadata)
        let writer = try DatabaseQueue(path: test.path)
        let batch = try await writer.write { db in
            try LedgerWriter.run(
                [try Self.reserve(kept), failingReserve, failingSettle], db, nowMs: test.nowMs, savepoints: true,
                .standard, WriterMemory())
        }
        #expect(batch.results.map { (try? $0.get()) != nil } == [true, false, false])
        let committed = CommittedHeldSpends()
        committed.committed(batch.heldSpendChanges)
        #expect(committed.count == 1)
        #expect(committed.spend(id: kept) == (try await test.spendRow(kept)))
        #expect(committed.spend(id: rolledBack) == nil)
    }

    /// A batch run without savepoints whose command fails after writing is rolled back whole and
    /// run again with a savepoint per command (as the writer does): the changes of the first run,
    /// the failing command's reservation among them, are not handed on with the second's.
    @Test func aBatchRunAgainHandsOnOnlyTheSecondRunsChanges() async throws {
        let test = try await Self.grantedLedger()
        let kept = "01a2316e-59e3-725a-b9a2-000000000010"
        let rolledBack = "01a2316e-59e3-725a-b9a2-000000000011"
        let envelopes = [
            try Self.reserve(kept),
            try CommandEnvelope(ThenFail(command: try Self.reserveCommand(rolledBack)), metadata: TestLedger.metadata),
        ]
        let memory = WriterMemory()
        let writer = try DatabaseQueue(path: test.path)
        await #expect(throws: CommandSavepoint.WroteBeforeFailing.self) {
            try await writer.write { db in
                try LedgerWriter.run(envelopes, db, nowMs: test.nowMs, savepoints: false, .standard, memory)
            }
        }
        memory.forgetAll()
        let batch = try await writer.write { db in
            try LedgerWriter.run(envelopes, db, nowMs: test.nowMs, savepoints: true, .standard, memory)
        }
        let committed = CommittedHeldSpends()
        committed.committed(batch.heldSpendChanges)
        #expect(committed.spend(id: rolledBack) == nil)
        #expect(committed.spend(id: kept) == (try await test.spendRow(kept)))
        #expect(batch.heldSpendChanges.changes.count == 1)
    }
}
