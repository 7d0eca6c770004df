/// The two events every payment appends, and what they hold, written straight to their canonical
/// JSON (`CanonicalJSONWriting`): members in their keys' byte order, nil optionals left out.
/// Through `Encodable` a reservation's JSON was 32,000 instructions under callgrind.
/// `SpendEventsJSONTests` holds each to Foundation's encoder.
extension SpendReserved: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("amount_msat", amountMsat)
            object.member("budget_anchor_ms", budgetAnchorMs)
            object.member("budget_currency", budgetCurrency)
            object.member("connection_id", connectionId)
            object.member("cycle", cycle)
            object.member("expires_at_ms", expiresAtMs)
            object.member("fee_reserve_msat", feeReserveMsat)
            object.member("held_units", heldUnits)
            object.member("method", method)
            object.member("payment_hash", paymentHash)
            object.member("rate", rate)
            object.member("reserved_at_ms", reservedAtMs)
            object.member("spend_id", spendId)
            object.member("user_id", userId)
        }
    }
}

extension SpendSettled: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("amount_msat", amountMsat)
            object.member("budget_anchor_ms", budgetAnchorMs)
            object.member("charged_units", chargedUnits)
            object.member("connection_id", connectionId)
            object.member("cycle", cycle)
            object.member("fee_msat", feeMsat)
            object.member("provisional", provisional)
            object.member("rate", rate)
            object.member("released_hold_units", releasedHoldUnits)
            object.member("settled_at_ms", settledAtMs)
            object.member("spend_id", spendId)
        }
    }
}

extension BudgetCycle: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("end_ms", endMs)
            object.member("start_ms", startMs)
        }
    }
}

extension ConversionRate: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("currency", currency)
            object.member("msat", msat)
            object.member("units", units)
        }
    }
}

/// A payment's two events read back off the tape (`CanonicalJSONReading`), their members asked
/// for in the order they are written. `SpendEventsJSONTests` holds each to Foundation's decoder.
extension SpendReserved: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let amountMsat = try object.int64("amount_msat")
        let budgetAnchorMs = try object.int64(ifPresent: "budget_anchor_ms")
        let budgetCurrency = try object.string(ifPresent: "budget_currency")
        let connectionId = try object.string("connection_id")
        let cycle = try object.value(ifPresent: "cycle", as: BudgetCycle.self)
        let expiresAtMs = try object.int64("expires_at_ms")
        let feeReserveMsat = try object.int64("fee_reserve_msat")
        let heldUnits = try object.int64("held_units")
        let method = try object.string("method")
        let paymentHash = try object.string(ifPresent: "payment_hash")
        let rate = try object.value(ifPresent: "rate", as: ConversionRate.self)
        let reservedAtMs = try object.int64("reserved_at_ms")
        let spendId = try object.string("spend_id")
        let userId = try object.string("user_id")
        self.init(
            spendId: spendId, connectionId: connectionId, userId: userId, method: method, amountMsat: amountMsat,
            feeReserveMsat: feeReserveMsat, paymentHash: paymentHash, budgetCurrency: budgetCurrency,
            heldUnits: heldUnits, rate: rate, budgetAnchorMs: budgetAnchorMs, cycle: cycle, expiresAtMs: expiresAtMs,
            reservedAtMs: reservedAtMs)
    }
}

extension SpendSettled: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let amountMsat = try object.int64("amount_msat")
        let budgetAnchorMs = try object.int64(ifPresent: "budget_anchor_ms")
        let chargedUnits = try object.int64("charged_units")
        let connectionId = try object.string("connection_id")
        let cycle = try object.value(ifPresent: "cycle", as: BudgetCycle.self)
        let feeMsat = try object.int64("fee_msat")
        let provisional = try object.bool(ifPresent: "provisional")
        let rate = try object.value(ifPresent: "rate", as: ConversionRate.self)
        let releasedHoldUnits = try object.int64("released_hold_units")
        let settledAtMs = try object.int64("settled_at_ms")
        let spendId = try object.string("spend_id")
        self.init(
            spendId: spendId, connectionId: connectionId, amountMsat: amountMsat, feeMsat: feeMsat,
            releasedHoldUnits: releasedHoldUnits, chargedUnits: chargedUnits, rate: rate, provisional: provisional,
            budgetAnchorMs: budgetAnchorMs, cycle: cycle, settledAtMs: settledAtMs)
    }
}

extension BudgetCycle: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let endMs = try object.int64(ifPresent: "end_ms")
        self.init(startMs: try object.int64("start_ms"), endMs: endMs)
    }
}

/// As `init(from:)`: a rate its `init` refuses is Foundation's to refuse (`dataCorrupted`).
extension ConversionRate: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let currency = try object.string("currency")
        let msat = try object.int64("msat")
        let units = try object.int64("units")
        do {
            try self.init(currency: currency, msat: msat, units: units)
        } catch {
            throw TapeJSONDecoder.Refused(description: "not a usable rate")
        }
    }
}

/// The rest of a spend's events, read back off the tape likewise: a release (every expired or
/// failed hold), a refusal and a correction. Written through `Encodable` (far fewer of them are
/// written than read: a replay reads every one).
extension SpendReleased: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let budgetAnchorMs = try object.int64(ifPresent: "budget_anchor_ms")
        let connectionId = try object.string("connection_id")
        let cycle = try object.value(ifPresent: "cycle", as: BudgetCycle.self)
        let reason = try object.rawValue("reason", as: SpendReleaseReason.self)
        let releasedAtMs = try object.int64("released_at_ms")
        let releasedHoldUnits = try object.int64("released_hold_units")
        let spendId = try object.string("spend_id")
        self.init(
            spendId: spendId, connectionId: connectionId, releasedHoldUnits: releasedHoldUnits,
            budgetAnchorMs: budgetAnchorMs, cycle: cycle, reason: reason, releasedAtMs: releasedAtMs)
    }
}

extension SpendDenied: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let amountMsat = try object.int64("amount_msat")
        let code = try object.rawValue("code", as: Code.self)
        let connectionId = try object.string("connection_id")
        let deniedAtMs = try object.int64("denied_at_ms")
        let limitUnits = try object.int64(ifPresent: "limit_units")
        let message = try object.string("message")
        let method = try object.string("method")
        let requestedUnits = try object.int64(ifPresent: "requested_units")
        let spendId = try object.string("spend_id")
        let usedUnits = try object.int64(ifPresent: "used_units")
        self.init(
            spendId: spendId, connectionId: connectionId, method: method, amountMsat: amountMsat, code: code,
            message: message, requestedUnits: requestedUnits, usedUnits: usedUnits, limitUnits: limitUnits,
            deniedAtMs: deniedAtMs)
    }
}

extension SpendCorrected: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let amountMsat = try object.int64("amount_msat")
        let budgetAnchorMs = try object.int64(ifPresent: "budget_anchor_ms")
        let chargedUnits = try object.int64("charged_units")
        let connectionId = try object.string("connection_id")
        let correctedAtMs = try object.int64("corrected_at_ms")
        let cycle = try object.value(ifPresent: "cycle", as: BudgetCycle.self)
        let feeMsat = try object.int64("fee_msat")
        let previousAmountMsat = try object.int64("previous_amount_msat")
        let previousChargedUnits = try object.int64("previous_charged_units")
        let previousFeeMsat = try object.int64("previous_fee_msat")
        let rate = try object.value(ifPresent: "rate", as: ConversionRate.self)
        let spendId = try object.string("spend_id")
        self.init(
            spendId: spendId, connectionId: connectionId, previousChargedUnits: previousChargedUnits,
            chargedUnits: chargedUnits, amountMsat: amountMsat, feeMsat: feeMsat,
            previousAmountMsat: previousAmountMsat, previousFeeMsat: previousFeeMsat, rate: rate,
            budgetAnchorMs: budgetAnchorMs, cycle: cycle, correctedAtMs: correctedAtMs)
    }
}
