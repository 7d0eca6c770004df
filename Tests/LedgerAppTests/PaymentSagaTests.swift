import Foundation
import LedgerApp
import LedgerCore
import LedgerDemo
import LedgerStore
import LedgerTestSupport
import Logging
import Testing

/// The one payment saga, driven with an in-memory wallet (a closure that answers as told) against a
/// real ledger, with a failure injected at each step: before the reservation, at it, in the
/// wallet's call, and in the recording after it.
@Suite struct PaymentSagaTests {
    /// A ledger in a temporary directory, one connection with a 1,000 sat daily budget, and the saga.
    struct Fixture {
        let ledger: Ledger
        let clock = TestClock()
        let saga: PaymentSaga
        let connection: Connection
        let context = WriteContext(
            EventMetadata(
                actor: .init(id: "connection:test", role: "app"), action: .execute,
                source: .init(serviceId: "grantledger-tests"), requestId: "saga-test"))

        init(holdTimeoutMs: Int64 = 120_000, scopes: [String] = ["pay_invoice"]) async throws {
            let directory = try TemporaryDirectory.make("gl-saga")
            ledger = try Ledger(
                path: directory.appendingPathComponent("ledger.sqlite").path,
                options: .init(synchronous: .normal, clock: clock.now))
            saga = PaymentSaga(
                ledger: ledger, pricing: BudgetPricing(wallet: DemoWallet(), logger: Logger(label: "test")),
                holdTimeoutMs: holdTimeoutMs, logger: Logger(label: "test"))
            let grant = try GrantConnection(
                connectionId: "cnx-1", userId: "alice", name: "App", scopes: scopes,
                budget: try BudgetDefinition.parse("1000/daily", field: "budget"), expiresAtSec: nil, nowMs: clock.ms)
            guard case .created(let created, _) = try await ledger.grantConnection(grant, context) else {
                throw TestFailure("the connection was not granted")
            }
            connection = created
        }

        func payment(amountMsat: Int64 = 100_000, feeReserveMsat: Int64 = 10_000, currency: String? = nil)
            -> PaymentSaga.Payment
        {
            PaymentSaga.Payment(
                connection: connection, method: "pay_invoice", amountMsat: amountMsat, feeReserveMsat: feeReserveMsat,
                paymentHash: nil, answerCurrencyCode: currency, context: context)
        }

        /// What the budget's current cycle has spent and holds, in msat (a SAT budget's units).
        func usage() async throws -> BudgetUsage {
            try #require(try await ledger.budgetStatus(connectionId: connection.id)).usage
        }

        /// The connection's spend events by type, oldest first.
        func spendEventTypes() throws -> [String] {
            try ledger.events(afterSeq: 0, limit: 100).map(\.type).filter { $0.hasPrefix("Spend") }
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Counts the wallet's calls: a step that refuses must refuse before the money moves.
    final class WalletCalls: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func called() { lock.withLock { count += 1 } }
        var total: Int { lock.withLock { count } }
    }

    typealias Attempt = PaymentSaga.Attempt<String, String>

    // MARK: The wallet's answer decides what happens to the hold

    struct WalletCase: Sendable, CustomTestStringConvertible {
        var name: String
        var attempt: Attempt
        var outcome: String
        var events: [String]
        /// Msat charged to the budget afterwards (100 sat paid with a 1 sat fee; a 10 sat fee reserve).
        var spentUnits: Int64
        var testDescription: String { name }
    }

    static let walletCases: [WalletCase] = [
        WalletCase(
            name: "paid: the cost as the wallet reported it is charged", attempt: .paid(amountMsat: 100_000, feeMsat: 1_000, "preimage"),
            outcome: "paid", events: ["SpendReserved", "SpendSettled"], spentUnits: 101_000),
        WalletCase(
            name: "not paid (a refusal it reported): the hold is released, nothing charged",
            attempt: .notPaid("INSUFFICIENT_BALANCE"), outcome: "notPaid", events: ["SpendReserved", "SpendReleased"],
            spentUnits: 0),
        WalletCase(
            name: "unknown (a timeout): the whole hold is charged, provisionally", attempt: .unknown("timeout"),
            outcome: "unknown", events: ["SpendReserved", "SpendSettled"], spentUnits: 110_000),
    ]

    @Test(arguments: walletCases)
    func theWalletsAnswerDecidesWhetherTheHoldIsChargedOrReleased(_ row: WalletCase) async throws {
        let fixture = try await Fixture()
        let outcome = try await fixture.saga.pay(fixture.payment()) { row.attempt }
        switch (outcome, row.outcome) {
        case (.paid(let receipt, _), "paid"): #expect(receipt == "preimage")
        case (.notPaid(let failure), "notPaid"): #expect(failure == "INSUFFICIENT_BALANCE")
        case (.unknown(let failure), "unknown"): #expect(failure == "timeout")
        default: Issue.record("expected \(row.outcome), got \(outcome)")
        }
        #expect(try fixture.spendEventTypes() == row.events)
        let usage = try await fixture.usage()
        #expect(usage.spentUnits == row.spentUnits)
        #expect(usage.heldUnits == 0)
    }

    @Test func aLaterReportCorrectsAProvisionalChargeOnce() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.saga.pay(fixture.payment()) { Attempt.unknown("connection lost") }
        let spend = try #require(try fixture.ledger.events(afterSeq: 0, limit: 100).last { $0.type == "SpendSettled" })
        let spendId = try #require(
            (try JSONSerialization.jsonObject(with: spend.data) as? [String: Any])?["spend_id"] as? String)
        #expect(try await fixture.ledger.spend(id: spendId)?.provisional == true)

        // The wallet's report arrives later: it paid 100 sat with a 2 sat fee.
        let report = try SettleSpend(spendId: spendId, amountMsat: 100_000, feeMsat: 2_000)
        guard case .recorded(let events, _) = try await fixture.ledger.settleSpend(report, fixture.context) else {
            throw TestFailure("the report was refused")
        }
        #expect(events.contains { if case .corrected = $0 { true } else { false } })
        #expect(try await fixture.usage().spentUnits == 102_000)
        // A second report changes nothing more.
        let again = try SettleSpend(spendId: spendId, amountMsat: 50_000, feeMsat: 0)
        _ = try await fixture.ledger.settleSpend(again, fixture.context)
        #expect(try await fixture.usage().spentUnits == 102_000)
    }

    // MARK: Refusals before the money moves

    @Test func overBudgetIsDeniedAndTheWalletNeverCalled() async throws {
        let fixture = try await Fixture()
        let calls = WalletCalls()
        let outcome = try await fixture.saga.pay(fixture.payment(amountMsat: 2_000_000)) {
            calls.called()
            return Attempt.paid(amountMsat: 2_000_000, feeMsat: 0, "x")
        }
        guard case .denied(let denial) = outcome else { throw TestFailure("expected a denial, got \(outcome)") }
        #expect(denial.code == .quotaExceeded)
        #expect(calls.total == 0)
        #expect(try await fixture.usage() == BudgetUsage())
    }

    @Test func aMethodTheConnectionWasNotGrantedIsDenied() async throws {
        let fixture = try await Fixture(scopes: ["get_balance"])
        let calls = WalletCalls()
        let outcome = try await fixture.saga.pay(fixture.payment()) {
            calls.called()
            return Attempt.paid(amountMsat: 1, feeMsat: 0, "x")
        }
        guard case .denied(let denial) = outcome else { throw TestFailure("expected a denial, got \(outcome)") }
        #expect(denial.code == .restricted)
        #expect(calls.total == 0)
    }

    @Test(arguments: [Int64(0), -5, Int64.max])
    func anAmountTheLedgerCannotTakeIsInvalidAndNothingIsReserved(amountMsat: Int64) async throws {
        let fixture = try await Fixture()
        let calls = WalletCalls()
        let outcome = try await fixture.saga.pay(fixture.payment(amountMsat: amountMsat)) {
            calls.called()
            return Attempt.paid(amountMsat: 1, feeMsat: 0, "x")
        }
        guard case .invalid = outcome else { throw TestFailure("expected invalid, got \(outcome)") }
        #expect(calls.total == 0)
        #expect(try fixture.spendEventTypes().isEmpty)
    }

    @Test func anAnswerCurrencyTheWalletCannotPriceReservesNothing() async throws {
        let fixture = try await Fixture()
        let calls = WalletCalls()
        let outcome = try await fixture.saga.pay(fixture.payment(currency: "XYZ")) {
            calls.called()
            return Attempt.paid(amountMsat: 1, feeMsat: 0, "x")
        }
        guard case .unpricedCurrency = outcome else { throw TestFailure("expected unpricedCurrency, got \(outcome)") }
        #expect(calls.total == 0)
        #expect(try fixture.spendEventTypes().isEmpty)
    }

    @Test func aLedgerThatCannotWriteThrowsBeforeTheWalletIsCalled() async throws {
        let fixture = try await Fixture()
        await fixture.ledger.close()
        let calls = WalletCalls()
        await #expect(throws: LedgerError.self) {
            _ = try await fixture.saga.pay(fixture.payment()) {
                calls.called()
                return Attempt.paid(amountMsat: 1, feeMsat: 0, "x")
            }
        }
        #expect(calls.total == 0)
    }

    // MARK: After the money moved

    @Test func aCallerThatHangsUpMidPaymentDoesNotCancelTheSettle() async throws {
        let fixture = try await Fixture()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let payment = fixture.payment()
        let caller = Task {
            try await fixture.saga.pay(payment) {
                startedContinuation.yield()
                // The wallet takes a while; the caller is gone by the time it answers.
                try? await Task.sleep(for: .milliseconds(200))
                return Attempt.paid(amountMsat: 100_000, feeMsat: 0, "preimage")
            }
        }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        caller.cancel()
        _ = try? await caller.value
        #expect(try fixture.spendEventTypes() == ["SpendReserved", "SpendSettled"])
        #expect(try await fixture.usage().spentUnits == 100_000)
    }

    @Test func aPaymentWhoseSettleCannotBeRecordedIsStillAnsweredPaidAndTheHoldStays() async throws {
        let fixture = try await Fixture()
        let ledger = fixture.ledger
        let outcome = try await fixture.saga.pay(fixture.payment()) {
            // The writer stops while the wallet pays: the money moved, the settle cannot be written.
            await ledger.close()
            return Attempt.paid(amountMsat: 100_000, feeMsat: 0, "preimage")
        }
        guard case .paid(let receipt, _) = outcome else { throw TestFailure("expected paid, got \(outcome)") }
        #expect(receipt == "preimage")
        // The hold is what protects the budget until the expiry service releases it.
        #expect(try fixture.spendEventTypes() == ["SpendReserved"])
        #expect(try await fixture.usage().heldUnits == 110_000)
    }
}
