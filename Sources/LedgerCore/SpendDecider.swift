/// What a spend command sees: the connection, the spend (nil for a new one) and the usage of the
/// cycle concerned, all read by index, never by scanning history.
public struct SpendState: Sendable, Equatable {
    public var connection: Connection?
    public var spend: Spend?
    public var usage: BudgetUsage

    public init(connection: Connection?, spend: Spend?, usage: BudgetUsage = .zero) {
        self.connection = connection
        self.spend = spend
        self.usage = usage
    }
}

/// The pure state machine of spends (DESIGN §7): reserve if `limit − spent − held ≥ amount`,
/// settle with the final amount into the reservation's cycle, release or expire the hold.
///
/// One rule for money: usage is counted in the budget's own currency, always computed here from
/// msat (amount plus fee reserve for a hold, amount plus fee for a charge), rounded up to the
/// currency's smallest unit, at the rate the reservation recorded. Nothing a caller says about
/// other currencies reaches a budget.
public enum SpendDecider {
    public static let thresholdPercent = 80

    /// The cycle a reservation made now would be charged to, for loading its usage.
    public static func cycleForReservation(_ connection: Connection, nowMs: Int64) -> (
        anchorMs: Int64, cycle: BudgetCycle
    )? {
        guard let window = connection.budgetWindow, let anchor = connection.budgetAnchorMs else { return nil }
        return (anchor, window.cycle(containing: nowMs))
    }

    public static func decide(_ state: SpendState, _ command: SpendCommand, nowMs: Int64) -> Result<
        [SpendEvent], Rejection
    > {
        switch command {
        case .reserve(let reserve): reserveDecision(state, reserve, nowMs: nowMs)
        case .settle(let settle): settleDecision(state, settle, nowMs: nowMs)
        case .release(let release): releaseDecision(state, release, nowMs: nowMs)
        }
    }

    private static func reserveDecision(_ state: SpendState, _ command: ReserveSpend, nowMs: Int64) -> Result<
        [SpendEvent], Rejection
    > {
        guard state.spend == nil else {
            return .failure(Rejection(.alreadyExists, "spend \(command.spendId) already exists"))
        }
        guard let connection = state.connection else {
            return .failure(Rejection(.notFound, "no connection with id \(command.connectionId)"))
        }
        func deny(_ code: SpendDenied.Code, _ message: String, requested: Int64? = nil, limit: Int64? = nil)
            -> Result<[SpendEvent], Rejection>
        {
            .success([
                .denied(
                    SpendDenied(
                        spendId: command.spendId, connectionId: connection.id, method: command.method,
                        amountMsat: command.amountMsat, code: code, message: message, requestedUnits: requested,
                        usedUnits: limit == nil ? nil : state.usage.usedUnits, limitUnits: limit, deniedAtMs: nowMs))
            ])
        }
        guard connection.status == .active else { return deny(.unauthorized, "the connection has been revoked") }
        guard !connection.isExpired(atMs: nowMs) else { return deny(.unauthorized, "the connection has expired") }
        guard connection.allows(command.method) else {
            return deny(.restricted, "this connection is not allowed to \(command.method)")
        }

        // Each part is at most `ReserveSpend.amountMsatMax`, so the sum fits in an Int64.
        let holdMsat = command.amountMsat + command.feeReserveMsat
        var reserved = SpendReserved(
            spendId: command.spendId, connectionId: connection.id, userId: connection.userId, method: command.method,
            amountMsat: command.amountMsat, feeReserveMsat: command.feeReserveMsat, paymentHash: command.paymentHash,
            budgetCurrency: nil, heldUnits: holdMsat, rate: nil, budgetAnchorMs: nil, cycle: nil,
            expiresAtMs: nowMs + command.holdTimeoutMs, reservedAtMs: nowMs)
        guard let budget = connection.budget else { return .success([.reserved(reserved)]) }
        guard let (anchorMs, cycle) = cycleForReservation(connection, nowMs: nowMs) else {
            // Fail closed: a budget whose cycles cannot be computed (say, a time zone this build's
            // tzdata no longer knows) must not turn into no limit at all.
            return deny(.quotaExceeded, "the budget's cycle cannot be computed; update the connection's budget")
        }

        let units: Int64
        var rate: ConversionRate?
        if budget.isBitcoin {
            units = holdMsat
        } else {
            guard let given = command.rate else {
                // Fail closed: a payment the wallet cannot price in the budget's currency could
                // cost anything, so it is refused rather than let through uncounted.
                return deny(
                    .quotaExceeded,
                    "no exchange rate for \(budget.currency) is available, so this payment cannot be counted against the budget; retry later"
                )
            }
            guard given.currency == budget.currency else {
                return .failure(
                    Rejection(
                        .invalidState,
                        "the budget is now in \(budget.currency) but this payment was priced in \(given.currency); retry"))
            }
            guard let converted = given.unitsRoundingUp(msat: holdMsat), converted <= BudgetDefinition.amountMax else {
                return deny(.quotaExceeded, "this payment is larger than any \(budget.currency) budget")
            }
            units = converted
            rate = given
        }
        if let cap = budget.maxPerPaymentUnits, units > cap {
            return deny(
                .quotaExceeded,
                "this payment needs \(units) \(unitName(budget)) with its fee reserve but at most \(cap) are allowed in one payment",
                requested: units, limit: cap)
        }
        let limit = budget.limitUnits
        let used = state.usage.usedUnits
        guard units <= limit - used else {
            return deny(
                .quotaExceeded,
                "this payment needs \(units) \(unitName(budget)) but \(max(0, limit - used)) of \(limit) are left in this budget cycle",
                requested: units, limit: limit)
        }
        reserved.budgetCurrency = budget.currency
        reserved.heldUnits = units
        reserved.rate = rate
        reserved.budgetAnchorMs = anchorMs
        reserved.cycle = cycle
        var events: [SpendEvent] = [.reserved(reserved)]
        if let threshold = threshold(
            connection: connection, anchorMs: anchorMs, cycle: cycle, usage: state.usage, usedAfter: used + units,
            nowMs: nowMs)
        {
            events.append(threshold)
        }
        return .success(events)
    }

    private static func settleDecision(_ state: SpendState, _ command: SettleSpend, nowMs: Int64) -> Result<
        [SpendEvent], Rejection
    > {
        guard let spend = state.spend else {
            return .failure(Rejection(.notFound, "no spend with id \(command.spendId)"))
        }
        let releasedHold: Int64
        switch (spend.status, spend.reason) {
        case (.held, _):
            releasedHold = spend.heldUnits
        case (.released, SpendReleaseReason.expired.rawValue?):
            // The hold timed out but the payment went through after all: the money is gone, so it
            // is counted, in the cycle the reservation was made in.
            releasedHold = 0
        case (.settled, _) where spend.provisional && !command.provisional:
            // The report a provisional settle waited for: the real cost replaces the whole hold.
            return .success([
                correction(
                    spend, amountMsat: command.amountMsat, feeMsat: command.feeMsat,
                    chargedUnits: chargedUnits(spend, totalMsat: command.totalMsat), nowMs: nowMs)
            ])
        case (.settled, _):
            return .failure(Rejection(.invalidState, "spend \(spend.id) is already settled"))
        case (.released, _):
            return .failure(
                Rejection(.invalidState, "spend \(spend.id) was released; reserve again to pay"))
        case (.denied, _):
            return .failure(Rejection(.invalidState, "spend \(spend.id) was denied"))
        }
        // An outcome nobody reported is charged the whole hold: the money may have left.
        let charged =
            command.provisional && spend.status == .held
            ? spend.heldUnits : chargedUnits(spend, totalMsat: command.totalMsat)
        var events: [SpendEvent] = [
            .settled(
                SpendSettled(
                    spendId: spend.id, connectionId: spend.connectionId, amountMsat: command.amountMsat,
                    feeMsat: command.feeMsat, releasedHoldUnits: releasedHold, chargedUnits: charged, rate: spend.rate,
                    provisional: command.provisional ? true : nil, budgetAnchorMs: spend.budgetAnchorMs,
                    cycle: spend.cycle, settledAtMs: nowMs))
        ]
        if let connection = state.connection, let anchorMs = spend.budgetAnchorMs, let cycle = spend.cycle,
            let threshold = threshold(
                connection: connection, anchorMs: anchorMs, cycle: cycle, usage: state.usage,
                usedAfter: state.usage.usedUnits - releasedHold + charged, nowMs: nowMs)
        {
            events.append(threshold)
        }
        return .success(events)
    }

    /// What a payment of `totalMsat` (amount plus fee) counts against the spend's budget: msat for
    /// bitcoin budgets and no budget, the currency's units at the reservation's rate, rounded up,
    /// for fiat ones.
    static func chargedUnits(_ spend: Spend, totalMsat: Int64) -> Int64 {
        guard let currency = spend.budgetCurrency, !BudgetDefinition.isBitcoin(currency: currency) else {
            return totalMsat
        }
        guard let rate = spend.rate else {
            // Reserved by a build that recorded no rate (SpendReserved version 1): the hold was
            // the wallet's estimate of the whole cost, so that is the charge.
            return spend.heldUnits
        }
        // A charge too large to express exhausts any budget: over-count, never under-count.
        return rate.unitsRoundingUp(msat: totalMsat) ?? BudgetDefinition.amountMax
    }

    private static func releaseDecision(_ state: SpendState, _ command: ReleaseSpend, nowMs: Int64) -> Result<
        [SpendEvent], Rejection
    > {
        guard let spend = state.spend else {
            return .failure(Rejection(.notFound, "no spend with id \(command.spendId)"))
        }
        if spend.status == .settled, spend.provisional, command.reason != .expired {
            // A failure reported after a provisional settle: nothing left, so nothing is charged.
            return .success([correction(spend, amountMsat: 0, feeMsat: 0, chargedUnits: 0, nowMs: nowMs)])
        }
        guard spend.status == .held else {
            return .failure(Rejection(.invalidState, "spend \(spend.id) is \(spend.status.rawValue), not held"))
        }
        if command.reason == .expired, let expiresAtMs = spend.expiresAtMs, expiresAtMs > nowMs {
            return .failure(Rejection(.invalidState, "spend \(spend.id) holds until \(expiresAtMs)"))
        }
        return .success([
            .released(
                SpendReleased(
                    spendId: spend.id, connectionId: spend.connectionId, releasedHoldUnits: spend.heldUnits,
                    budgetAnchorMs: spend.budgetAnchorMs, cycle: spend.cycle, reason: command.reason,
                    releasedAtMs: nowMs))
        ])
    }

    private static func correction(
        _ spend: Spend, amountMsat: Int64, feeMsat: Int64, chargedUnits: Int64, nowMs: Int64
    ) -> SpendEvent {
        .corrected(
            SpendCorrected(
                spendId: spend.id, connectionId: spend.connectionId, previousChargedUnits: spend.chargedUnits ?? 0,
                chargedUnits: chargedUnits, amountMsat: amountMsat, feeMsat: feeMsat,
                previousAmountMsat: spend.amountMsat, previousFeeMsat: spend.feeMsat ?? 0, rate: spend.rate,
                budgetAnchorMs: spend.budgetAnchorMs, cycle: spend.cycle, correctedAtMs: nowMs))
    }

    /// The 80 % event, once per cycle, and only for the budget the cycle belongs to (an amount
    /// change keeps the anchor; a period change makes the old cycle's spends irrelevant here).
    private static func threshold(
        connection: Connection, anchorMs: Int64, cycle: BudgetCycle, usage: BudgetUsage, usedAfter: Int64,
        nowMs: Int64
    ) -> SpendEvent? {
        guard !usage.thresholdReached, let budget = connection.budget, connection.budgetAnchorMs == anchorMs else {
            return nil
        }
        let limit = budget.limitUnits
        // usedAfter/limit >= 80/100 without dividing, in 128 bits: a 10^15-sat budget is 10^18
        // msat, and 10^18 × 80 does not fit in an Int64.
        guard limit > 0, usedAfter >= 0,
            Int128(usedAfter) * 100 >= Int128(limit) * Int128(thresholdPercent)
        else { return nil }
        return .thresholdReached(
            BudgetThresholdReached(
                connectionId: connection.id, budgetAnchorMs: anchorMs, cycle: cycle, usedUnits: usedAfter,
                limitUnits: limit, thresholdPercent: thresholdPercent, reachedAtMs: nowMs))
    }

    private static func unitName(_ budget: BudgetDefinition) -> String {
        budget.isBitcoin ? "msat" : "\(budget.currency) minor units"
    }

    // MARK: Evolve

    /// Folds an event into the spend it concerns.
    public static func evolve(_ spend: Spend?, _ event: SpendEvent) -> Spend? {
        switch event {
        case .reserved(let e):
            return Spend(
                id: e.spendId, connectionId: e.connectionId, method: e.method, status: .held,
                amountMsat: e.amountMsat, feeReserveMsat: e.feeReserveMsat, paymentHash: e.paymentHash,
                budgetCurrency: e.budgetCurrency, heldUnits: e.heldUnits, rate: e.rate, budgetAnchorMs: e.budgetAnchorMs,
                cycle: e.cycle, expiresAtMs: e.expiresAtMs, reservedAtMs: e.reservedAtMs)
        case .settled(let e):
            guard var next = spend else { return nil }
            next.status = .settled
            next.amountMsat = e.amountMsat
            next.feeMsat = e.feeMsat
            next.chargedUnits = e.chargedUnits
            next.settledAtMs = e.settledAtMs
            next.provisional = e.provisional ?? false
            return next
        case .corrected(let e):
            guard var next = spend else { return nil }
            next.amountMsat = e.amountMsat
            next.feeMsat = e.feeMsat
            next.chargedUnits = e.chargedUnits
            next.provisional = false
            if e.amountMsat == 0, e.feeMsat == 0 {
                // The payment failed after all.
                next.status = .released
                next.reason = SpendReleaseReason.failed.rawValue
                next.releasedAtMs = e.correctedAtMs
            }
            return next
        case .released(let e):
            guard var next = spend else { return nil }
            next.status = .released
            next.releasedAtMs = e.releasedAtMs
            next.reason = e.reason.rawValue
            return next
        case .denied(let e):
            return Spend(
                id: e.spendId, connectionId: e.connectionId, method: e.method, status: .denied,
                amountMsat: e.amountMsat, feeReserveMsat: 0, heldUnits: 0, reservedAtMs: e.deniedAtMs,
                reason: e.code.rawValue)
        case .thresholdReached:
            return spend
        }
    }

    /// Folds an event into the usage of the cycle it names.
    public static func evolve(_ usage: BudgetUsage, _ event: SpendEvent) -> BudgetUsage {
        var next = usage
        switch event {
        case .reserved(let e): next.heldUnits += e.heldUnits
        case .settled(let e):
            next.heldUnits -= e.releasedHoldUnits
            next.spentUnits += e.chargedUnits
        case .corrected(let e): next.spentUnits += e.chargedUnits - e.previousChargedUnits
        case .released(let e): next.heldUnits -= e.releasedHoldUnits
        case .thresholdReached: next.thresholdReached = true
        case .denied: break
        }
        return next
    }
}
