import Foundation
import GRDB
import LedgerCore
@testable import LedgerStore
import Testing
import LedgerTestSupport

@Suite struct SpendReplayTests {
    func spend(_ test: TestLedger, _ command: SpendCommand) async throws -> CommandOutcome {
        try await test.ledger.submit(
            try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata))
    }

    func reserve(_ test: TestLedger, _ id: String, on connection: String, _ amountMsat: Int64) async throws
        -> CommandOutcome
    {
        try await spend(
            test,
            .reserve(
                try ReserveSpend(
                    spendId: id, connectionId: connection, method: "pay_invoice", amountMsat: amountMsat,
                    feeReserveMsat: 10, holdTimeoutMs: 60_000)))
    }

    /// Grants with budgets, reservations (held, denied), settles (one after its cycle ended),
    /// releases, an expiry, a period change and a revocation; then a replay must rebuild every
    /// projection row for row.
    @Test func replayAfterASpendWorkloadEqualsTheLiveProjections() async throws {
        let test = try TestLedger()
        for index in 0..<4 {
            try await test.submit(
                .grant(
                    try GrantConnection(
                        connectionId: "c\(index)", userId: "u\(index % 2)", name: "App", scopes: ["pay_invoice"],
                        budget: BudgetDefinition(amount: 20, period: index == 3 ? .never : .daily),
                        expiresAtSec: nil, nowMs: test.nowMs)))
        }
        for round in 0..<12 {
            for index in 0..<4 {
                let id = "s\(round)-\(index)"
                _ = try await reserve(test, id, on: "c\(index)", 3_000)
                switch round % 4 {
                case 0: _ = try await spend(test, .settle(try SettleSpend(spendId: id, amountMsat: 3_000, feeMsat: 7)))
                case 1: _ = try await spend(test, .release(try ReleaseSpend(spendId: id, reason: .failed)))
                default: break  // left held: some expire below, some settle late
                }
            }
            test.clock.advance(ms: 3 * 3_600_000)  // 36 hours in all: holds expire, daily cycles roll over
        }
        let expired = try await test.ledger.expireHolds(metadata: TestLedger.metadata)
        #expect(expired > 0)
        // A late settle of an expired hold is still counted.
        _ = try await spend(test, .settle(try SettleSpend(spendId: "s2-0", amountMsat: 3_000)))
        try await test.submit(
            .update(
                try UpdateConnection(
                    connectionId: "c1", budget: .set(BudgetDefinition(amount: 20, period: .weekly)),
                    nowMs: test.nowMs)))
        try await test.submit(.revoke(try RevokeConnection(connectionId: "c2")))
        _ = try await reserve(test, "after-revoke", on: "c2", 1)  // denied, recorded

        let live = try test.ledger.projectionChecksums()
        let usage = try await test.ledger.budgetStatus(connectionId: "c3")
        let report = try await test.ledger.replay()
        #expect(report.checksums == live)
        #expect(try await test.ledger.budgetStatus(connectionId: "c3") == usage)
        #expect(try test.ledger.verify().isIntact)
        // The workload did reach every kind of spend row.
        let statuses = try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT \(SpendColumnStorage.statusTextSQL) AS s FROM spends ORDER BY s")
        }
        #expect(statuses == ["denied", "released", "settled"])
    }
}
