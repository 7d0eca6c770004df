import Foundation
import GRDB
import LedgerCore
import LedgerStore
import PropertyBased
import Testing
import LedgerTestSupport

/// The budget invariants under random histories, through the real writer and projections:
/// reserves (some without a rate, some priced in another currency), settles for less or with a
/// fee, failures, releases, expiries, clock jumps across cycles and budget changes (amount, cap,
/// period, currency). After every step, every cycle's settled + held stays within its limit
/// (plus what settles of already-expired holds charged: that money was gone), and equals, exactly,
/// a model that prices each hold and charge on its own (amount plus fee reserve or fee, at the
/// currency's rate, rounded up, in 128-bit arithmetic); after every accepted reservation, usage is
/// within the current limit and the hold within the per-payment cap. At the end a replay equals the
/// live projections.
///
/// `make test` runs `casesDefault` cases; `tools/spend-properties.sh 10000` runs more (the count
/// comes from GRANTLEDGER_PROPERTY_CASES).
@Suite struct SpendPropertyTests {
    static let casesDefault = 300
    static var cases: Int {
        ProcessInfo.processInfo.environment["GRANTLEDGER_PROPERTY_CASES"].flatMap(Int.init) ?? casesDefault
    }

    /// One step: a kind and two numbers it reads its parameters from. Plain integers, so a failing
    /// history shrinks to a short one with small numbers.
    typealias Step = (kind: Int, a: Int, b: Int)

    static let steps = zip(Gen.int(in: 0...9), Gen.int(in: 0...999), Gen.int(in: 0...999)).array(of: 1...40)

    static let rates: [String: ConversionRate] = [
        "USD": try! ConversionRate(currency: "USD", msat: 10_000, units: 1),
        "MXN": try! ConversionRate(currency: "MXN", msat: 500, units: 1),
        // 1 BTC = 9,090,909 cents: no whole number of msat a cent, so every conversion rounds.
        "EUR": try! ConversionRate(currency: "EUR", msat: 100_000_000_000, units: 9_090_909),
    ]

    /// A budget of roughly 20,000 to 200,000 msat in one of four currencies, from one number.
    static func budget(_ n: Int) -> BudgetDefinition {
        let currency = ["SAT", "USD", "MXN", "EUR"][n % 4]
        let scale: Int64 = ["SAT": 1, "USD": 1, "MXN": 20, "EUR": 1][currency]!
        let amount = Int64(2 + (n / 4) % 19) * (currency == "SAT" ? 10 : 1) * scale
        let period = [BudgetPeriod.daily, .weekly, .never][(n / 80) % 3]
        let cap: Int64? = n % 5 == 0 ? max(1, amount / 3) : nil
        return BudgetDefinition(amount: amount, currency: currency, period: period, maxPerPayment: cap)
    }

    struct Held {
        var id: String
        var amountMsat: Int64
        var feeReserveMsat: Int64
        /// The model's own figures: the currency's rate (nil for SAT budgets, counted in msat), the
        /// cycle the hold counts in and what it holds there.
        var rate: ConversionRate?
        var cycleKey: String
        var holdUnits: Int64
        var expired = false
    }

    /// `msat` in the smallest unit of `rate`'s currency, rounded up, computed apart from the code
    /// under test: msat for bitcoin budgets.
    static func units(_ msat: Int64, _ rate: ConversionRate?) -> Int64 {
        guard let rate else { return msat }
        let product = Int128(msat) * Int128(rate.units)
        return Int64((product + Int128(rate.msat) - 1) / Int128(rate.msat))
    }

    @Test func budgetsHoldUnderRandomHistoriesAndReplayRebuildsThem() async {
        await propertyCheck(count: Self.cases, input: Self.steps) { steps in
            try await Self.check(steps)
        }
    }

    static func check(_ steps: [Step]) async throws {
        let test = try TestLedger(synchronous: .normal)
        let connectionId = "c"
        try await test.submit(
            .grant(
                try GrantConnection(
                    connectionId: connectionId, userId: "u", name: "App", scopes: ["pay_invoice"],
                    budget: budget(steps.first?.b ?? 0), expiresAtSec: nil, nowMs: test.nowMs)))
        var held: [Held] = []
        var next = 0
        /// The highest limit each budget (by anchor) has had: an amount lowered after spending
        /// cannot undo what was already spent.
        var limitMax: [Int64: Int64] = [:]
        /// Charges of settles that came after their hold expired, by (anchor, cycle start).
        var lateUnits: [String: Int64] = [:]
        /// What every cycle must show: spent and held units, by (anchor, cycle start).
        var expected: [String: (spent: Int64, held: Int64)] = [:]

        func noteLimit() async throws -> Connection {
            let connection = try #require(try await test.ledger.connection(id: connectionId))
            if let anchor = connection.budgetAnchorMs, let budget = connection.budget {
                limitMax[anchor] = max(limitMax[anchor] ?? 0, budget.limitUnits)
            }
            return connection
        }
        func submit(_ command: SpendCommand) async throws -> CommandOutcome {
            try await test.ledger.submit(try CommandEnvelope(SpendCommandHandler(command), metadata: TestLedger.metadata))
        }
        _ = try await noteLimit()

        for step in steps {
            switch step.kind {
            case 0...2:
                // A reservation, as the saga makes it: the budget currency's rate, now and then
                // none (the wallet could not price it) or one for another currency (a race with a
                // budget change).
                let connection = try await noteLimit()
                let currency = connection.budget?.currency ?? "SAT"
                var rate = rates[currency]
                if step.b % 13 == 0 { rate = nil }
                if step.b % 17 == 0 { rate = rates[currency == "USD" ? "MXN" : "USD"] }
                next += 1
                let id = "s\(next)"
                let amountMsat = 1 + Int64(step.a) * 131
                let feeReserveMsat = Int64(step.b % 3_001)
                let outcome = try await submit(
                    .reserve(
                        try ReserveSpend(
                            spendId: id, connectionId: connectionId, method: "pay_invoice", amountMsat: amountMsat,
                            feeReserveMsat: feeReserveMsat, rate: rate, holdTimeoutMs: 60_000)))
                if case .accepted(let events, _) = outcome, let first = events.first,
                    case .reserved(let reserved)? = try SpendEvent(first.payload)
                {
                    let bitcoin = connection.budget?.isBitcoin ?? true
                    let modelRate = bitcoin ? nil : rates[currency]
                    let holdUnits = Self.units(amountMsat + feeReserveMsat, modelRate)
                    let key = "\(reserved.budgetAnchorMs ?? -1)/\(reserved.cycle?.startMs ?? -1)"
                    held.append(
                        Held(
                            id: id, amountMsat: amountMsat, feeReserveMsat: feeReserveMsat, rate: modelRate,
                            cycleKey: key, holdUnits: holdUnits))
                    expected[key, default: (0, 0)].held += holdUnits
                    #expect(reserved.heldUnits == holdUnits, "the hold of \(amountMsat) + \(feeReserveMsat) msat")
                    if let cap = connection.budget?.maxPerPaymentUnits {
                        #expect(holdUnits <= cap, "a hold above the per-payment cap was accepted")
                    }
                    if let anchor = reserved.budgetAnchorMs, let cycle = reserved.cycle, let budget = connection.budget {
                        let usage = try #require(
                            try await test.ledger.database.read { db in
                                try SpendsProjection.usage(
                                    connectionId: connectionId, anchorMs: anchor, cycleStartMs: cycle.startMs, db)
                            })
                        #expect(
                            usage.usedUnits <= budget.limitUnits,
                            "an accepted reservation went past the budget: \(usage) of \(budget)")
                    }
                }
            case 3...4:
                // The payment went through, for the whole amount or less, with a fee within the reserve.
                guard !held.isEmpty else { continue }
                let spend = held.remove(at: step.a % held.count)
                let amountMsat = step.b % 2 == 0 ? spend.amountMsat : spend.amountMsat / 2 + 1
                let feeMsat = Int64(step.b) % (spend.feeReserveMsat + 1)
                _ = try await submit(
                    .settle(try SettleSpend(spendId: spend.id, amountMsat: amountMsat, feeMsat: feeMsat)))
                let charge = Self.units(amountMsat + feeMsat, spend.rate)
                expected[spend.cycleKey, default: (0, 0)].spent += charge
                if spend.expired {
                    lateUnits[spend.cycleKey, default: 0] += charge
                } else {
                    expected[spend.cycleKey, default: (0, 0)].held -= spend.holdUnits
                }
                let settled = try await test.ledger.spend(id: spend.id)
                #expect(settled?.chargedUnits == charge, "the charge of \(amountMsat) + \(feeMsat) msat")
            case 5:
                guard !held.isEmpty else { continue }
                let spend = held.remove(at: step.a % held.count)
                _ = try await submit(
                    .release(try ReleaseSpend(spendId: spend.id, reason: step.b % 2 == 0 ? .failed : .released)))
                // An expired hold was released already; releasing it again is refused.
                if !spend.expired { expected[spend.cycleKey, default: (0, 0)].held -= spend.holdUnits }
            case 6:
                // Past every hold's timeout, then the sweeper. A late settle of these stays possible.
                test.clock.advance(ms: 60_001)
                _ = try await test.ledger.expireHolds(metadata: TestLedger.metadata)
                for index in held.indices where !held[index].expired {
                    held[index].expired = true
                    expected[held[index].cycleKey, default: (0, 0)].held -= held[index].holdUnits
                }
            case 7:
                // Up to about two days: daily and weekly cycles roll over.
                test.clock.advance(ms: Int64(step.a) * 173_000)
            default:
                try await test.submit(
                    .update(
                        try UpdateConnection(
                            connectionId: connectionId, budget: .set(budget(step.b)), nowMs: test.nowMs)))
                _ = try await noteLimit()
            }

            let rows = try await test.ledger.database.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT budget_anchor_ms, cycle_start_ms, spent_units, held_units FROM budget_usage")
            }
            for row in rows {
                let anchor: Int64 = row["budget_anchor_ms"]
                let start: Int64 = row["cycle_start_ms"]
                let spent: Int64 = row["spent_units"]
                let heldUnits: Int64 = row["held_units"]
                #expect(spent >= 0 && heldUnits >= 0)
                let allowance = (limitMax[anchor] ?? 0) + (lateUnits["\(anchor)/\(start)"] ?? 0)
                #expect(spent + heldUnits <= allowance, "cycle \(start) of budget \(anchor): \(spent) + \(heldUnits)")
                let model = expected["\(anchor)/\(start)"] ?? (0, 0)
                #expect(spent == model.spent && heldUnits == model.held, "cycle \(start): ledger vs model")
            }
            #expect(rows.count >= expected.filter { $0.value != (0, 0) && !$0.key.hasPrefix("-1") }.count)
        }

        let live = try test.ledger.projectionChecksums()
        let report = try await test.ledger.replay()
        #expect(report.checksums == live)
        #expect(try test.ledger.verify().isIntact)
        await test.ledger.close()
        try? FileManager.default.removeItem(at: test.directory)
    }
}
