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
