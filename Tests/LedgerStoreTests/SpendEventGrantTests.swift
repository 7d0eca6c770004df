import Testing

@testable import LedgerCore
@testable import LedgerStore

/// The trail's `grant` of a spend event is its connection. The writer and replay read it from the
/// typed event by its concrete type (`AuditRecordsProjection.connectionId(ofSpend:)`), not through
/// a cast to `GrantScopedEvent`: every type of that protocol must be one it knows.
@Suite struct SpendEventGrantTests {
    static let cycle = BudgetCycle(startMs: 1, endMs: nil)

    static let everyGrantScopedEvent: [any GrantScopedEvent] = [
        SpendReserved(
            spendId: "s", connectionId: "reserved", userId: "u", method: "pay_invoice", amountMsat: 1,
            feeReserveMsat: 0, heldUnits: 1, expiresAtMs: 2, reservedAtMs: 1),
        SpendSettled(
            spendId: "s", connectionId: "settled", amountMsat: 1, feeMsat: 0, releasedHoldUnits: 1, chargedUnits: 1,
            settledAtMs: 2),
        SpendReleased(
            spendId: "s", connectionId: "released", releasedHoldUnits: 1, reason: .released, releasedAtMs: 2),
        SpendDenied(
            spendId: "s", connectionId: "denied", method: "pay_invoice", amountMsat: 1, code: .quotaExceeded,
            message: "over", deniedAtMs: 2),
        SpendCorrected(
            spendId: "s", connectionId: "corrected", previousChargedUnits: 1, chargedUnits: 0, amountMsat: 0,
            feeMsat: 0, previousAmountMsat: 1, previousFeeMsat: 0, correctedAtMs: 3),
        BudgetThresholdReached(
            connectionId: "threshold", budgetAnchorMs: 1, cycle: cycle, usedUnits: 8, limitUnits: 10,
            thresholdPercent: 80, reachedAtMs: 2),
    ]

    @Test(arguments: everyGrantScopedEvent.indices)
    func aSpendEventsGrantIsItsConnection(_ index: Int) {
        let event = Self.everyGrantScopedEvent[index]
        #expect(AuditRecordsProjection.connectionId(ofSpend: event) == event.connectionId)
    }

    @Test func anEventOfAnotherKindHasNoSpendsConnection() {
        #expect(AuditRecordsProjection.connectionId(ofSpend: nil) == nil)
        #expect(AuditRecordsProjection.connectionId(ofSpend: AdminCredentialSet(tokenSha256: "a", setAtMs: 1)) == nil)
    }
}
