// The events of a spend's two phases (DESIGN §7), each in the stream `spend/<id>`. Budget usage
// is counted in "units": msat for SAT/MSAT budgets, the currency's smallest unit for fiat ones.

public struct SpendReserved: DomainEvent {
    public static let type = "SpendReserved"
    /// 2: `rate`, the budget currency's rate the hold was priced at and the settle charges at.
    public static let typeVersion = 2

    public var spendId: String
    public var connectionId: String
    public var userId: String
    public var method: String
    public var amountMsat: Int64
    public var feeReserveMsat: Int64
    public var paymentHash: String?
    /// nil when the connection has no budget.
    public var budgetCurrency: String?
    /// What the hold counts against the cycle: amount plus fee reserve, in budget units.
    public var heldUnits: Int64
    /// For fiat budgets: what the budget currency was worth when the hold was priced. The settle
    /// charges at this same rate. nil for bitcoin budgets (they count msat) and no budget.
    public var rate: ConversionRate?
    /// The cycle the spend is charged to, whenever it settles.
    public var budgetAnchorMs: Int64?
    public var cycle: BudgetCycle?
    public var expiresAtMs: Int64
    public var reservedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case spendId = "spend_id"
        case connectionId = "connection_id"
        case userId = "user_id"
        case method
        case amountMsat = "amount_msat"
        case feeReserveMsat = "fee_reserve_msat"
        case paymentHash = "payment_hash"
        case budgetCurrency = "budget_currency"
        case heldUnits = "held_units"
        case rate
        case budgetAnchorMs = "budget_anchor_ms"
        case cycle
        case expiresAtMs = "expires_at_ms"
        case reservedAtMs = "reserved_at_ms"
    }
}

public struct SpendSettled: DomainEvent {
    public static let type = "SpendSettled"
    /// 2: `rate`, the conversion `charged_units` was computed with.
    public static let typeVersion = 2

    public var spendId: String
    public var connectionId: String
    public var amountMsat: Int64
    public var feeMsat: Int64
    /// The hold this settle replaces; 0 when the hold had already expired (a late settle).
    public var releasedHoldUnits: Int64
    /// What the spend finally counts against the cycle: amount plus fee, in budget units,
    /// converted at `rate` and rounded up.
    public var chargedUnits: Int64
    /// The rate `chargedUnits` was computed at (the reservation's); nil for bitcoin budgets.
    public var rate: ConversionRate?
    /// The wallet or origin never said how the payment ended (a timeout, a connection lost after
    /// sending): the whole hold is charged, since the money may have left, until a later report
    /// corrects it (`SpendCorrected`). Absent when the outcome was reported.
    public var provisional: Bool?
    public var budgetAnchorMs: Int64?
    public var cycle: BudgetCycle?
    public var settledAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case spendId = "spend_id"
        case connectionId = "connection_id"
        case amountMsat = "amount_msat"
        case feeMsat = "fee_msat"
        case releasedHoldUnits = "released_hold_units"
        case chargedUnits = "charged_units"
        case rate, provisional
        case budgetAnchorMs = "budget_anchor_ms"
        case cycle
        case settledAtMs = "settled_at_ms"
    }
}

/// A provisional settle (outcome unknown, charged the whole hold) corrected by a later report: the
/// payment failed after all (charged 0), or it cost what the report says. The charge is replaced,
/// in the cycle the reservation was made in; a spend is corrected at most once.
public struct SpendCorrected: DomainEvent {
    public static let type = "SpendCorrected"
    public static let typeVersion = 1

    public var spendId: String
    public var connectionId: String
    /// What the provisional settle charged, and what the spend counts now.
    public var previousChargedUnits: Int64
    public var chargedUnits: Int64
    /// What the payment cost per the report; 0 and 0 when it failed.
    public var amountMsat: Int64
    public var feeMsat: Int64
    /// What the provisional settle recorded, so projections can apply the difference as it is.
    public var previousAmountMsat: Int64
    public var previousFeeMsat: Int64
    public var rate: ConversionRate?
    public var budgetAnchorMs: Int64?
    public var cycle: BudgetCycle?
    public var correctedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case spendId = "spend_id"
        case connectionId = "connection_id"
        case previousChargedUnits = "previous_charged_units"
        case chargedUnits = "charged_units"
        case amountMsat = "amount_msat"
        case feeMsat = "fee_msat"
        case previousAmountMsat = "previous_amount_msat"
        case previousFeeMsat = "previous_fee_msat"
        case rate
        case budgetAnchorMs = "budget_anchor_ms"
        case cycle
        case correctedAtMs = "corrected_at_ms"
    }
}

public enum SpendReleaseReason: String, Codable, Sendable, CaseIterable {
    /// The wallet service gave the hold back (the payment was not made).
    case released
    /// The payment failed at the wallet.
    case failed
    /// Nobody settled or released the hold in time.
    case expired
}

public struct SpendReleased: DomainEvent {
    public static let type = "SpendReleased"
    public static let typeVersion = 1

    public var spendId: String
    public var connectionId: String
    public var releasedHoldUnits: Int64
    public var budgetAnchorMs: Int64?
    public var cycle: BudgetCycle?
    public var reason: SpendReleaseReason
    public var releasedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case spendId = "spend_id"
        case connectionId = "connection_id"
        case releasedHoldUnits = "released_hold_units"
        case budgetAnchorMs = "budget_anchor_ms"
        case cycle, reason
        case releasedAtMs = "released_at_ms"
    }
}

/// A spend the ledger refused: the decision is a fact the audit needs, and a retry with the same
/// idempotency key gets the same refusal.
public struct SpendDenied: DomainEvent {
    public static let type = "SpendDenied"
    public static let typeVersion = 1

    /// NIP-47 / UMA error codes.
    public enum Code: String, Codable, Sendable {
        case quotaExceeded = "QUOTA_EXCEEDED"
        case restricted = "RESTRICTED"
        case unauthorized = "UNAUTHORIZED"
    }

    public var spendId: String
    public var connectionId: String
    public var method: String
    public var amountMsat: Int64
    public var code: Code
    public var message: String
    public var requestedUnits: Int64?
    public var usedUnits: Int64?
    public var limitUnits: Int64?
    public var deniedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case spendId = "spend_id"
        case connectionId = "connection_id"
        case method
        case amountMsat = "amount_msat"
        case code, message
        case requestedUnits = "requested_units"
        case usedUnits = "used_units"
        case limitUnits = "limit_units"
        case deniedAtMs = "denied_at_ms"
    }
}

/// Usage of a cycle first reached 80 % of its limit (held and settled together).
public struct BudgetThresholdReached: DomainEvent {
    public static let type = "BudgetThresholdReached"
    public static let typeVersion = 1

    public var connectionId: String
    public var budgetAnchorMs: Int64
    public var cycle: BudgetCycle
    public var usedUnits: Int64
    public var limitUnits: Int64
    public var thresholdPercent: Int
    public var reachedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case connectionId = "connection_id"
        case budgetAnchorMs = "budget_anchor_ms"
        case cycle
        case usedUnits = "used_units"
        case limitUnits = "limit_units"
        case thresholdPercent = "threshold_percent"
        case reachedAtMs = "reached_at_ms"
    }
}

public enum SpendEvent: Sendable, Equatable {
    case reserved(SpendReserved)
    case settled(SpendSettled)
    case corrected(SpendCorrected)
    case released(SpendReleased)
    case denied(SpendDenied)
    case thresholdReached(BudgetThresholdReached)

    public var domainEvent: any DomainEvent {
        switch self {
        case .reserved(let e): e
        case .settled(let e): e
        case .corrected(let e): e
        case .released(let e): e
        case .denied(let e): e
        case .thresholdReached(let e): e
        }
    }

    /// The grant (connection) that allowed or refused it, as the audit trail records it.
    public var connectionId: String {
        switch self {
        case .reserved(let e): e.connectionId
        case .settled(let e): e.connectionId
        case .corrected(let e): e.connectionId
        case .released(let e): e.connectionId
        case .denied(let e): e.connectionId
        case .thresholdReached(let e): e.connectionId
        }
    }

    /// nil for events of other domains.
    public init?(_ event: any DomainEvent) {
        // By the event's type, a pointer compare (every event is a struct): every projection asks
        // every event, and a chain of failed `as?` casts was 4 % of the writer's samples in `perf`.
        switch ObjectIdentifier(Swift.type(of: event)) {
        case ObjectIdentifier(SpendReserved.self): self = .reserved(event as! SpendReserved)
        case ObjectIdentifier(SpendSettled.self): self = .settled(event as! SpendSettled)
        case ObjectIdentifier(SpendCorrected.self): self = .corrected(event as! SpendCorrected)
        case ObjectIdentifier(SpendReleased.self): self = .released(event as! SpendReleased)
        case ObjectIdentifier(SpendDenied.self): self = .denied(event as! SpendDenied)
        case ObjectIdentifier(BudgetThresholdReached.self): self = .thresholdReached(event as! BudgetThresholdReached)
        default: return nil
        }
    }

    /// nil for events of other domains, without decoding them.
    public init?(_ payload: EventPayload) throws {
        switch payload.type {
        case SpendReserved.type: self = .reserved(try payload.decode(as: SpendReserved.self))
        case SpendSettled.type: self = .settled(try payload.decode(as: SpendSettled.self))
        case SpendCorrected.type: self = .corrected(try payload.decode(as: SpendCorrected.self))
        case SpendReleased.type: self = .released(try payload.decode(as: SpendReleased.self))
        case SpendDenied.type: self = .denied(try payload.decode(as: SpendDenied.self))
        case BudgetThresholdReached.type: self = .thresholdReached(try payload.decode(as: BudgetThresholdReached.self))
        default: return nil
        }
    }
}

