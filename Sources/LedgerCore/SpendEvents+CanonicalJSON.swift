/// The two events every payment appends, and what they hold, written straight to their canonical
/// JSON (`CanonicalJSONWriting`): members in their keys' byte order, nil optionals left out.
/// Through `Encodable` a reservation's JSON was 32,000 instructions under callgrind.
/// `SpendEventsJSONTests` holds each to Foundation's encoder.
extension SpendReserved: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("amount_msat", amountMsat, first: &first, to: &bytes)
        JSONOutput.appendMember("budget_anchor_ms", budgetAnchorMs, first: &first, to: &bytes)
        JSONOutput.appendMember("budget_currency", budgetCurrency, first: &first, to: &bytes)
        JSONOutput.appendMember("connection_id", connectionId, first: &first, to: &bytes)
        JSONOutput.appendMember("cycle", cycle, first: &first, to: &bytes)
        JSONOutput.appendMember("expires_at_ms", expiresAtMs, first: &first, to: &bytes)
        JSONOutput.appendMember("fee_reserve_msat", feeReserveMsat, first: &first, to: &bytes)
        JSONOutput.appendMember("held_units", heldUnits, first: &first, to: &bytes)
        JSONOutput.appendMember("method", method, first: &first, to: &bytes)
        JSONOutput.appendMember("payment_hash", paymentHash, first: &first, to: &bytes)
        JSONOutput.appendMember("rate", rate, first: &first, to: &bytes)
        JSONOutput.appendMember("reserved_at_ms", reservedAtMs, first: &first, to: &bytes)
        JSONOutput.appendMember("spend_id", spendId, first: &first, to: &bytes)
        JSONOutput.appendMember("user_id", userId, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension SpendSettled: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("amount_msat", amountMsat, first: &first, to: &bytes)
        JSONOutput.appendMember("budget_anchor_ms", budgetAnchorMs, first: &first, to: &bytes)
        JSONOutput.appendMember("charged_units", chargedUnits, first: &first, to: &bytes)
        JSONOutput.appendMember("connection_id", connectionId, first: &first, to: &bytes)
        JSONOutput.appendMember("cycle", cycle, first: &first, to: &bytes)
        JSONOutput.appendMember("fee_msat", feeMsat, first: &first, to: &bytes)
        JSONOutput.appendMember("provisional", provisional, first: &first, to: &bytes)
        JSONOutput.appendMember("rate", rate, first: &first, to: &bytes)
        JSONOutput.appendMember("released_hold_units", releasedHoldUnits, first: &first, to: &bytes)
        JSONOutput.appendMember("settled_at_ms", settledAtMs, first: &first, to: &bytes)
        JSONOutput.appendMember("spend_id", spendId, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension BudgetCycle: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("end_ms", endMs, first: &first, to: &bytes)
        JSONOutput.appendMember("start_ms", startMs, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension ConversionRate: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("currency", currency, first: &first, to: &bytes)
        JSONOutput.appendMember("msat", msat, first: &first, to: &bytes)
        JSONOutput.appendMember("units", units, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}
