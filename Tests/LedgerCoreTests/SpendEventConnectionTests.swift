import Testing

@testable import LedgerCore

/// The trail's `grant` of a spend event is its connection (`SpendEvent.connectionId`), found from
/// the typed event by its type (`SpendEvent.init(_:)`), for every kind of spend event.
@Suite struct SpendEventConnectionTests {
    static let cycle = BudgetCycle(startMs: 1, endMs: nil)

    static let everyKind: [(event: any DomainEvent, connectionId: String)] = [
        (
            SpendReserved(
                spendId: "s", connectionId: "reserved", userId: "u", method: "pay_invoice", amountMsat: 1,
                feeReserveMsat: 0, heldUnits: 1, expiresAtMs: 2, reservedAtMs: 1), "reserved"
        ),
        (
            SpendSettled(
                spendId: "s", connectionId: "settled", amountMsat: 1, feeMsat: 0, releasedHoldUnits: 1,
                chargedUnits: 1, settledAtMs: 2), "settled"
        ),
        (
            SpendReleased(
                spendId: "s", connectionId: "released", releasedHoldUnits: 1, reason: .released, releasedAtMs: 2),
            "released"
        ),
        (
            SpendDenied(
                spendId: "s", connectionId: "denied", method: "pay_invoice", amountMsat: 1, code: .quotaExceeded,
                message: "over", deniedAtMs: 2), "denied"
        ),
        (
            SpendCorrected(
                spendId: "s", connectionId: "corrected", previousChargedUnits: 1, chargedUnits: 0, amountMsat: 0,
                feeMsat: 0, previousAmountMsat: 1, previousFeeMsat: 0, correctedAtMs: 3), "corrected"
        ),
        (
            BudgetThresholdReached(
                connectionId: "threshold", budgetAnchorMs: 1, cycle: cycle, usedUnits: 8, limitUnits: 10,
                thresholdPercent: 80, reachedAtMs: 2), "threshold"
        ),
    ]

    @Test(arguments: everyKind.indices)
    func aSpendEventsGrantIsItsConnection(_ index: Int) {
        let (event, connectionId) = Self.everyKind[index]
        #expect(SpendEvent(event)?.connectionId == connectionId)
    }

    @Test func anEventOfAnotherDomainIsNoSpendEvent() {
        #expect(SpendEvent(AdminCredentialSet(tokenSha256: "a", setAtMs: 1)) == nil)
    }
}
