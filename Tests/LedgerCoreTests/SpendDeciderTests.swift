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

    static func reserve(_ id: String, _ amountMsat: Int64, fee: Int64 = 0, rate: ConversionRate? = nil) throws
        -> SpendCommand
    {
        .reserve(
            try ReserveSpend(
                spendId: id, connectionId: "c1", method: "pay_invoice", amountMsat: amountMsat, feeReserveMsat: fee,
                rate: rate, holdTimeoutMs: 60_000))
    }

    /// The demo's prices: 10,000 msat a US cent, 500 a Mexican centavo.
    static let usd = try! ConversionRate(currency: "USD", msat: 10_000, units: 1)
    static let mxn = try! ConversionRate(currency: "MXN", msat: 500, units: 1)

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
                    // A correction may end a spend released (failed) and still changes its cycle.
                    if case .corrected = event, let start = spends[command.spendId]?.cycle?.startMs {
                        usage[start] = SpendDecider.evolve(usage[start] ?? .zero, event)
                        spends[command.spendId] = SpendDecider.evolve(spends[command.spendId], event)
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

    @Test func fiatBudgetsHoldAndChargeInTheirOwnCurrencyRoundedUp() throws {
        var ledger = Ledger(connection: Self.connection(budget: BudgetDefinition(amount: 3, currency: "USD")))
        // 9,999 msat is less than a cent: held and charged as one cent, never as zero.
        let small = ledger.run(try Self.reserve("a", 9_000, fee: 999, rate: Self.usd), at: Self.t0)
        guard case .success(let events) = small, case .reserved(let reserved)? = events.first else {
            Issue.record("expected a reservation, got \(small)")
            return
        }
        #expect(reserved.heldUnits == 1 && reserved.rate == Self.usd && reserved.budgetCurrency == "USD")
        #expect(Self.denialCode(ledger.run(try Self.reserve("b", 10_001, rate: Self.usd), at: Self.t0)) == nil)
        #expect(ledger.usage[Self.t0]?.heldUnits == 3)
        #expect(Self.denialCode(ledger.run(try Self.reserve("c", 1, rate: Self.usd), at: Self.t0)) == .quotaExceeded)
        // The settle charges what was paid, amount plus fee, at the reservation's rate.
        let settled = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 9_000, feeMsat: 10)), at: Self.t0)
        guard case .success(let settleEvents) = settled, case .settled(let e)? = settleEvents.first else {
            Issue.record("expected a settle, got \(settled)")
            return
        }
        #expect(e.chargedUnits == 1 && e.rate == Self.usd && e.releasedHoldUnits == 1)
        _ = ledger.run(.settle(try SettleSpend(spendId: "b", amountMsat: 10_001, feeMsat: 0)), at: Self.t0)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 3, heldUnits: 0, thresholdReached: true))
    }

    @Test func aSettleChargesAtTheReservationsRateWhateverTheFeeTurnedOutToBe() throws {
        var ledger = Ledger(connection: Self.connection(budget: BudgetDefinition(amount: 1_000, currency: "MXN")))
        _ = ledger.run(try Self.reserve("a", 400_000, fee: 1_000, rate: Self.mxn), at: Self.t0)
        #expect(ledger.usage[Self.t0]?.heldUnits == 802)
        _ = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 400_000, feeMsat: 1)), at: Self.t0)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 801, heldUnits: 0, thresholdReached: true))
        #expect(ledger.spends["a"]?.chargedUnits == 801)
    }

    @Test func aFiatSpendReservedWithoutARateIsChargedItsHold() throws {
        // SpendReserved version 1 recorded the wallet's estimate and no rate.
        let old = Spend(
            id: "a", connectionId: "c1", method: "pay_invoice", status: .held, amountMsat: 10_000, feeReserveMsat: 0,
            budgetCurrency: "USD", heldUnits: 7, reservedAtMs: Self.t0)
        #expect(SpendDecider.chargedUnits(old, totalMsat: 10_000) == 7)
        var priced = old
        priced.rate = Self.usd
        #expect(SpendDecider.chargedUnits(priced, totalMsat: 10_000) == 1)
        #expect(SpendDecider.chargedUnits(priced, totalMsat: 10_001) == 2)
        var bitcoin = old
        bitcoin.budgetCurrency = "SAT"
        #expect(SpendDecider.chargedUnits(bitcoin, totalMsat: 10_001) == 10_001)
    }

    @Test func aPerPaymentCapRefusesAnyOnePaymentAboveIt() throws {
        var sats = Ledger(
            connection: Self.connection(budget: try BudgetDefinition.parse("50000/monthly;max=5000")))
        #expect(Self.denialCode(sats.run(try Self.reserve("a", 5_000_000), at: Self.t0)) == nil)
        let over = sats.run(try Self.reserve("b", 5_000_000, fee: 1), at: Self.t0)
        #expect(Self.denialCode(over) == .quotaExceeded)
        if case .success(let events) = over, case .denied(let denied)? = events.first {
            #expect(denied.message.contains("in one payment") && denied.limitUnits == 5_000_000)
        }
        var cents = Ledger(connection: Self.connection(budget: try BudgetDefinition.parse("1000.USD/daily;max=10")))
        #expect(Self.denialCode(cents.run(try Self.reserve("c", 100_000, rate: Self.usd), at: Self.t0)) == nil)
        #expect(Self.denialCode(cents.run(try Self.reserve("d", 100_001, rate: Self.usd), at: Self.t0)) == .quotaExceeded)
    }

    @Test func anUnknownOutcomeChargesTheWholeHoldUntilALaterReportCorrectsIt() throws {
        var ledger = Ledger(connection: Self.connection())
        _ = ledger.run(try Self.reserve("a", 10_000, fee: 500), at: Self.t0)
        _ = ledger.run(try Self.reserve("b", 10_000, fee: 500), at: Self.t0)
        // Nobody knows how either ended: each is charged its whole hold.
        for id in ["a", "b"] {
            _ = ledger.run(
                .settle(try SettleSpend(spendId: id, amountMsat: 10_000, feeMsat: 500, provisional: true)), at: Self.t0 + 1)
        }
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 21_000, heldUnits: 0, thresholdReached: false))
        #expect(ledger.spends["a"]?.provisional == true)
        // A later report: "a" cost 10,000 + 7; "b" failed after all.
        _ = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 10_000, feeMsat: 7)), at: Self.t0 + 2)
        _ = ledger.run(.release(try ReleaseSpend(spendId: "b", reason: .failed)), at: Self.t0 + 3)
        #expect(ledger.usage[Self.t0] == BudgetUsage(spentUnits: 10_007, heldUnits: 0, thresholdReached: false))
        #expect(ledger.spends["a"]?.status == .settled && ledger.spends["a"]?.provisional == false)
        #expect(ledger.spends["b"]?.status == .released && ledger.spends["b"]?.reason == "failed")
        // Corrected once only; a settled spend that was not provisional cannot be corrected at all.
        let twice = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: 1)), at: Self.t0 + 4)
        #expect(twice == .failure(Rejection(.invalidState, "spend a is already settled")))
        _ = ledger.run(try Self.reserve("c", 1_000), at: Self.t0)
        _ = ledger.run(.settle(try SettleSpend(spendId: "c", amountMsat: 1_000)), at: Self.t0 + 1)
        let notProvisional = ledger.run(.release(try ReleaseSpend(spendId: "c", reason: .failed)), at: Self.t0 + 2)
        #expect((try? notProvisional.get()) == nil)
    }

    @Test func theLargestBudgetsDecideWithoutOverflow() throws {
        // 10^15 sat is 10^18 msat: the threshold's percentage must not overflow on it.
        let largest = BudgetDefinition(amount: BudgetDefinition.amountMax, period: .daily, maxPerPayment: BudgetDefinition.amountMax)
        var ledger = Ledger(connection: Self.connection(budget: largest))
        #expect(Self.denialCode(ledger.run(try Self.reserve("a", ReserveSpend.amountMsatMax), at: Self.t0)) == nil)
        _ = ledger.run(.settle(try SettleSpend(spendId: "a", amountMsat: ReserveSpend.amountMsatMax)), at: Self.t0)
        #expect(ledger.usage[Self.t0]?.spentUnits == ReserveSpend.amountMsatMax)
        let nearlyAll = BudgetDefinition.amountMax * 1_000 - ReserveSpend.amountMsatMax
        ledger.usage[Self.t0] = BudgetUsage(spentUnits: nearlyAll)
        let last = ledger.run(try Self.reserve("b", ReserveSpend.amountMsatMax), at: Self.t0)
        #expect(Self.denialCode(last) == nil)
        #expect(ledger.events.contains { if case .thresholdReached = $0 { true } else { false } })
        var cents = Ledger(
            connection: Self.connection(budget: BudgetDefinition(amount: BudgetDefinition.amountMax, currency: "USD")))
        #expect(Self.denialCode(cents.run(try Self.reserve("c", ReserveSpend.amountMsatMax, rate: Self.usd), at: Self.t0)) == nil)
    }

    /// One row per rule of a reservation, in the order the decider checks them: each row breaks
    /// its rule and every later one, so only the first failing check may answer.
    struct ReserveRule: CustomTestStringConvertible, Sendable {
        var name: String
        var connection: Connection?
        var existing: Spend?
        var command: SpendCommand
        var expected: String
        var testDescription: String { name }
    }

    static let precedence: [ReserveRule] = {
        let usdBudget = BudgetDefinition(amount: 1, currency: "USD", maxPerPayment: 1)
        let broken = BudgetDefinition(amount: 1, currency: "USD", period: .daily, window: .calendar, timeZone: "Nowhere/Atlantis")
        var revoked = connection(budget: usdBudget, scopes: [], status: .revoked)
        var expired = connection(budget: usdBudget, scopes: [])
        expired.expiresAtSec = t0 / 1000 - 1
        let huge = try! ReserveSpend(
            spendId: "s", connectionId: "c1", method: "pay_invoice", amountMsat: ReserveSpend.amountMsatMax,
            rate: try! ConversionRate(currency: "USD", msat: 1, units: 1_000), holdTimeoutMs: 60_000)
        let existing = Spend(
            id: "s", connectionId: "c1", method: "pay_invoice", status: .held, amountMsat: 1, feeReserveMsat: 0,
            heldUnits: 1, reservedAtMs: t0)
        return [
            ReserveRule(
                name: "the spend exists", connection: nil, existing: existing, command: try! reserve("s", 1),
                expected: "rejected alreadyExists"),
            ReserveRule(
                name: "no connection", connection: nil, command: try! reserve("s", 1), expected: "rejected notFound"),
            ReserveRule(
                name: "revoked", connection: revoked, command: try! reserve("s", 1), expected: "denied UNAUTHORIZED"),
            ReserveRule(
                name: "expired", connection: expired, command: try! reserve("s", 1), expected: "denied UNAUTHORIZED"),
            ReserveRule(
                name: "method not granted", connection: connection(budget: broken, scopes: []),
                command: try! reserve("s", 1), expected: "denied RESTRICTED"),
            ReserveRule(
                name: "cycle cannot be computed", connection: connection(budget: broken),
                command: try! reserve("s", 1), expected: "denied QUOTA_EXCEEDED cycle"),
            ReserveRule(
                name: "no rate for a fiat budget", connection: connection(budget: usdBudget),
                command: try! reserve("s", 1), expected: "denied QUOTA_EXCEEDED exchange rate"),
            ReserveRule(
                name: "a rate for another currency", connection: connection(budget: usdBudget),
                command: try! reserve("s", 1, rate: mxn), expected: "rejected invalidState"),
            ReserveRule(
                name: "larger than any budget", connection: connection(budget: usdBudget), command: .reserve(huge),
                expected: "denied QUOTA_EXCEEDED larger than any"),
            ReserveRule(
                name: "above the per-payment cap", connection: connection(budget: usdBudget),
                command: try! reserve("s", 10_001, rate: usd), expected: "denied QUOTA_EXCEEDED in one payment"),
            ReserveRule(
                name: "above what is left", connection: connection(budget: BudgetDefinition(amount: 1, currency: "USD")),
                command: try! reserve("s", 10_001, rate: usd), expected: "denied QUOTA_EXCEEDED are left"),
            ReserveRule(
                name: "within everything", connection: connection(budget: usdBudget),
                command: try! reserve("s", 10_000, rate: usd), expected: "reserved"),
        ]
    }()

    @Test(arguments: precedence)
    func theFirstBrokenRuleOfAReservationAnswers(_ rule: ReserveRule) {
        let result = SpendDecider.decide(
            SpendState(connection: rule.connection, spend: rule.existing), rule.command, nowMs: Self.t0)
        let outcome: String =
            switch result {
            case .failure(let rejection): "rejected \(rejection.code)"
            case .success(let events):
                switch events.first {
                case .denied(let denied)?: "denied \(denied.code.rawValue) \(denied.message)"
                case .reserved?: "reserved"
                default: "\(events)"
                }
            }
        #expect(outcome.hasPrefix(rule.expected.split(separator: " ").prefix(2).joined(separator: " ")), "\(outcome)")
        let detail = rule.expected.split(separator: " ").dropFirst(2).joined(separator: " ")
        #expect(detail.isEmpty || outcome.contains(detail), "\(outcome)")
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
