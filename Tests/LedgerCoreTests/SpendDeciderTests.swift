import Testing

@testable import LedgerCore

/// The budget rules of DESIGN §7, decided purely: no ledger, the clock passed in.
@Suite struct SpendDeciderTests {
    static let dayMs: Int64 = 86_400_000
    static let t0: Int64 = 1_800_000_000_000

    static func connection(
        budget: BudgetDefinition? = BudgetDefinition(amount: 50, period: .daily), scopes: [String] = ["pay_invoice"],
        status: Connection.Status = .active, anchorMs: Int64 = t0
    ) -> Connection {
        Connection(
            id: "c1", userId: "alice", name: "App", scopes: scopes, budget: budget, expiresAtSec: nil, status: status,
            createdAtMs: anchorMs, updatedAtMs: anchorMs, revokedAtMs: nil, version: 1,
            budgetAnchorMs: budget == nil ? nil : anchorMs)
    }

    static func reserve(_ id: String, _ amountMsat: Int64, fee: Int64 = 0, estimate: Int64? = nil) throws
        -> SpendCommand
    {
        .reserve(
            try ReserveSpend(
                spendId: id, connectionId: "c1", method: "pay_invoice", amountMsat: amountMsat, feeReserveMsat: fee,
                estimatedBudgetUnits: estimate, holdTimeoutMs: 60_000))
    }

    /// Runs commands against one connection, folding usage and spends as the projections do.
    struct Ledger {
        var connection: Connection
        var spends: [String: Spend] = [:]
        var usage: [Int64: BudgetUsage] = [:]  // by cycle start
        var events: [SpendEvent] = []

        mutating func run(_ command: SpendCommand, at nowMs: Int64) -> Result<[SpendEvent], Rejection> {
            let spend = spends[command.spendId]
            let cycleStart: Int64? =
                if case .reserve = command {
                    SpendDecider.cycleForReservation(connection, nowMs: nowMs)?.cycle.startMs
                } else { spend?.cycle?.startMs }
            let state = SpendState(
                connection: connection, spend: spend, usage: cycleStart.flatMap { usage[$0] } ?? .zero)
            let result = SpendDecider.decide(state, command, nowMs: nowMs)
            if case .success(let decided) = result {
                for event in decided {
                    events.append(event)
                    if case .thresholdReached(let e) = event {
                        usage[e.cycle.startMs] = SpendDecider.evolve(usage[e.cycle.startMs] ?? .zero, event)
                        continue
                    }
                    let next = SpendDecider.evolve(spends[command.spendId], event)
                    spends[command.spendId] = next
                    if let start = next?.cycle?.startMs, next?.status != .denied {
                        usage[start] = SpendDecider.evolve(usage[start] ?? .zero, event)
                    }
                }
            }
            return result
        }
    }

    static func denialCode(_ result: Result<[SpendEvent], Rejection>) -> SpendDenied.Code? {
        if case .success(let events) = result, case .denied(let denied)? = events.first { return denied.code }
        return nil
    }

    @Test func reservesUpToTheLimitThenRefusesWithQuotaExceeded() throws {
        var ledger = Ledger(connection: Self.connection())
        for index in 0..<50 {
            let result = ledger.run(try Self.reserve("s\(index)", 1_000), at: Self.t0 + 1)
            #expect(Self.denialCode(result) == nil)
        }
        #expect(Self.denialCode(ledger.run(try Self.reserve("over", 1), at: Self.t0 + 2)) == .quotaExceeded)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 0, heldUnits: 50_000, thresholdReached: true))
    }

    @Test func feeReserveCountsAgainstTheBudget() throws {
        var ledger = Ledger(connection: Self.connection())
        #expect(Self.denialCode(ledger.run(try Self.reserve("a", 49_000, fee: 1_001), at: Self.t0)) == .quotaExceeded)
        #expect(Self.denialCode(ledger.run(try Self.reserve("b", 49_000, fee: 1_000), at: Self.t0)) == nil)
    }

    @Test func settleReplacesTheHoldWithTheFinalAmountIncludingFees() throws {
        var ledger = Ledger(connection: Self.connection())
        _ = ledger.run(try Self.reserve("a", 10_000, fee: 500), at: Self.t0)
        _ = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 10_000, feeMsat: 120)), at: Self.t0 + 5)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 10_120, heldUnits: 0))
        #expect(ledger.spends["a"]?.status == .settled)
    }

    @Test func releaseGivesTheHoldBackAndCannotBeRepeated() throws {
        var ledger = Ledger(connection: Self.connection())
        _ = ledger.run(try Self.reserve("a", 50_000), at: Self.t0)
        #expect(Self.denialCode(ledger.run(try Self.reserve("b", 1), at: Self.t0)) == .quotaExceeded)
        _ = ledger.run(.release(try ReleaseSpend(spendId: "a", reason: .failed)), at: Self.t0 + 1)
        #expect(ledger.usage[Self.t0]?.heldUnits == 0)
        #expect(Self.denialCode(ledger.run(try Self.reserve("c", 50_000), at: Self.t0 + 2)) == nil)
        let again = ledger.run(.release(try ReleaseSpend(spendId: "a", reason: .released)), at: Self.t0 + 3)
        #expect(again == .failure(Rejection(.invalidState, "spend a is released, not held")))
        let settleReleased = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 1)), at: Self.t0 + 3)
        #expect((try? settleReleased.get()) == nil)
    }

    @Test func aSettleAfterTheCycleEndedCountsInTheReservationsCycle() throws {
        var ledger = Ledger(connection: Self.connection())
        _ = ledger.run(try Self.reserve("late", 30_000), at: Self.t0 + Self.dayMs - 10)
        // The next cycle has begun when the wallet finally reports the payment.
        _ = ledger.run(.settle(try SettleSpend(spendId: "late", amountMsat: 30_000)), at: Self.t0 + Self.dayMs + 5)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 30_000, heldUnits: 0, thresholdReached: false))
        #expect(ledger.usage[Self.t0 + Self.dayMs] == nil)
        // The new cycle's whole budget is available.
        #expect(Self.denialCode(ledger.run(try Self.reserve("new", 50_000), at: Self.t0 + Self.dayMs + 6)) == nil)
    }

    @Test func holdsExpireOnlyAfterTheirTimeoutAndALateSettleStillCounts() throws {
        var ledger = Ledger(connection: Self.connection())
        _ = ledger.run(try Self.reserve("a", 20_000), at: Self.t0)
        let early = ledger.run(.release(try ReleaseSpend(spendId: "a", reason: .expired)), at: Self.t0 + 59_999)
        #expect((try? early.get()) == nil)
        _ = ledger.run(.release(try ReleaseSpend(spendId: "a", reason: .expired)), at: Self.t0 + 60_000)
        #expect(ledger.usage[Self.t0]?.heldUnits == 0)
        // The payment went through after all: the money is gone, so it is counted.
        _ = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 20_000)), at: Self.t0 + 70_000)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 20_000, heldUnits: 0))
    }

    @Test func thresholdIsRecordedOnceWhenUsageFirstReaches80Percent() throws {
        var ledger = Ledger(connection: Self.connection())
        _ = ledger.run(try Self.reserve("a", 39_999), at: Self.t0)
        #expect(!ledger.events.contains { if case .thresholdReached = $0 { true } else { false } })
        _ = ledger.run(try Self.reserve("b", 1), at: Self.t0)
        _ = ledger.run(try Self.reserve("c", 1_000), at: Self.t0)
        let thresholds = ledger.events.compactMap { event -> BudgetThresholdReached? in
            if case .thresholdReached(let e) = event { e } else { nil }
        }
        #expect(thresholds.map(\.usedUnits) == [40_000])
        #expect(thresholds.first?.limitUnits == 50_000)
    }

    @Test func revokedConnectionsAndMissingScopesAreDeniedAndRecorded() throws {
        var revoked = Ledger(connection: Self.connection(status: .revoked))
        #expect(Self.denialCode(revoked.run(try Self.reserve("a", 1), at: Self.t0)) == .unauthorized)
        var readOnly = Ledger(connection: Self.connection(scopes: ["get_balance"]))
        #expect(Self.denialCode(readOnly.run(try Self.reserve("b", 1), at: Self.t0)) == .restricted)
        #expect(readOnly.spends["b"]?.status == .denied)
    }

    @Test func aConnectionWithoutBudgetReservesWithoutCycle() throws {
        var ledger = Ledger(connection: Self.connection(budget: nil))
        let result = ledger.run(try Self.reserve("a", 5_000_000), at: Self.t0)
        guard case .success(let events) = result, case .reserved(let reserved)? = events.first else {
            Issue.record("expected a reservation, got \(result)")
            return
        }
        #expect(reserved.cycle == nil && reserved.budgetCurrency == nil)
    }

    @Test func fiatBudgetsHoldTheEstimateAndRefuseWithoutOne() throws {
        var ledger = Ledger(connection: Self.connection(budget: BudgetDefinition(amount: 1_000, currency: "USD")))
        let missing = ledger.run(try Self.reserve("a", 10_000), at: Self.t0)
        #expect((try? missing.get()) == nil)
        #expect(Self.denialCode(ledger.run(try Self.reserve("b", 10_000, estimate: 999), at: Self.t0)) == nil)
        #expect(Self.denialCode(ledger.run(try Self.reserve("c", 10_000, estimate: 2), at: Self.t0)) == .quotaExceeded)
        _ = ledger.run(.settle(try SettleSpend(spendId: "b", amountMsat: 10_000, budgetUnits: 990)), at: Self.t0)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 990, heldUnits: 0, thresholdReached: true))
    }

    @Test func aPeriodChangeResetsUsageAndAnAmountChangeKeepsIt() throws {
        let daily = BudgetDefinition(amount: 50, period: .daily)
        var granted = Self.connection(budget: daily)
        let updatedAt = Self.t0 + 1_000
        // Amount only: the anchor (and so the usage key) stays.
        let amountOnly = ConnectionDecider.evolve(
            granted,
            .updated(
                ConnectionUpdated(
                    connectionId: "c1", budget: BudgetDefinition(amount: 80, period: .daily), updatedAtMs: updatedAt)),
            version: 2)
        #expect(amountOnly?.budgetAnchorMs == Self.t0)
        // Period: a new budget, anchored at the change.
        granted = ConnectionDecider.evolve(
            granted,
            .updated(
                ConnectionUpdated(
                    connectionId: "c1", budget: BudgetDefinition(amount: 50, period: .weekly), updatedAtMs: updatedAt)),
            version: 2)!
        #expect(granted.budgetAnchorMs == updatedAt)
        var ledger = Ledger(connection: Self.connection(budget: daily))
        _ = ledger.run(try Self.reserve("a", 50_000), at: Self.t0 + 10)
        ledger.connection = granted
        #expect(Self.denialCode(ledger.run(try Self.reserve("b", 50_000), at: updatedAt + 10)) == nil)
    }

    @Test func reservationsRefuseBadInputBeforeDeciding() {
        #expect(throws: ValidationError.self) { try Self.reserve("a", 0) }
        #expect(throws: ValidationError.self) { try Self.reserve("a", -5) }
        #expect(throws: ValidationError.self) { try Self.reserve("a", ReserveSpend.amountMsatMax + 1) }
        #expect(throws: ValidationError.self) {
            try ReserveSpend(spendId: "a", connectionId: "c1", method: "fly", amountMsat: 1, holdTimeoutMs: 60_000)
        }
        #expect(throws: ValidationError.self) {
            try ReserveSpend(
                spendId: "a", connectionId: "c1", method: "pay_invoice", amountMsat: 1, paymentHash: "xyz",
                holdTimeoutMs: 60_000)
        }
    }
}
