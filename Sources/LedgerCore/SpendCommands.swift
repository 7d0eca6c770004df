/// Hold an amount against the connection's budget before paying.
public struct ReserveSpend: Sendable, Equatable {
    /// 10,000 BTC: far above any real payment, and small enough that sums of amounts stay in Int64.
    public static let amountMsatMax: Int64 = 1_000_000_000_000_000
    public static let holdTimeoutMsRange: ClosedRange<Int64> = 1_000...86_400_000

    public var spendId: String
    public var connectionId: String
    public var method: String
    public var amountMsat: Int64
    public var feeReserveMsat: Int64
    /// For fiat budgets: what the budget's currency is worth now, by the wallet. The hold is
    /// amount plus fee reserve at this rate, rounded up, and the settle charges at the same rate.
    /// nil when the wallet could not give one: the reservation is then refused, never unlimited.
    public var rate: ConversionRate?
    public var paymentHash: String?
    public var holdTimeoutMs: Int64

    public init(
        spendId: String, connectionId: String, method: String, amountMsat: Int64, feeReserveMsat: Int64 = 0,
        rate: ConversionRate? = nil, paymentHash: String? = nil, holdTimeoutMs: Int64
    ) throws(ValidationError) {
        self.spendId = try ConnectionRules.identifier(spendId, field: "spend_id")
        self.connectionId = try ConnectionRules.identifier(connectionId, field: "connection_id")
        // An NWC method, or the OAuth scope a gateway payment route requires ("payments:send").
        guard NWCPermissions.methods.contains(method) || ConnectionRules.isNamespacedScope(method) else {
            throw ValidationError(field: "method", reason: "\"\(method.prefix(64))\" is not an NWC method")
        }
        self.method = method
        self.amountMsat = try SpendRules.amount(amountMsat, field: "amount_msat", allowZero: false)
        self.feeReserveMsat = try SpendRules.amount(feeReserveMsat, field: "fee_reserve_msat", allowZero: true)
        self.rate = rate
        if let paymentHash {
            guard Hex.isHex(paymentHash, byteCount: 32) else {
                throw ValidationError(field: "payment_hash", reason: "must be 64 hex digits")
            }
            self.paymentHash = paymentHash.lowercased()
        }
        guard Self.holdTimeoutMsRange.contains(holdTimeoutMs) else {
            throw ValidationError(field: "hold_timeout", reason: "must be 1 s to 24 h")
        }
        self.holdTimeoutMs = holdTimeoutMs
    }
}

/// Replace a hold with what the payment finally cost, fees included. Only msat: what that is in
/// the budget's currency is the decider's to compute, at the rate the reservation recorded.
public struct SettleSpend: Sendable, Equatable {
    public var spendId: String
    public var amountMsat: Int64
    public var feeMsat: Int64
    /// The outcome is unknown and these are the hold's figures: the settle is provisional, and a
    /// later report (a settle with the real cost, or a release) corrects it.
    public var provisional: Bool

    public init(spendId: String, amountMsat: Int64, feeMsat: Int64 = 0, provisional: Bool = false)
        throws(ValidationError)
    {
        self.spendId = try ConnectionRules.identifier(spendId, field: "spend_id")
        self.amountMsat = try SpendRules.amount(amountMsat, field: "amount_msat", allowZero: true)
        self.feeMsat = try SpendRules.amount(feeMsat, field: "fee_msat", allowZero: true)
        self.provisional = provisional
    }

    /// Amount plus fee: each is at most `ReserveSpend.amountMsatMax`, so the sum fits in an Int64.
    public var totalMsat: Int64 { amountMsat + feeMsat }

    /// The settle of a payment that has been made, from what the wallet or origin reported. The
    /// money has moved, so this must never be refused: a figure beyond any real payment is recorded
    /// as the largest a spend can be, and a negative one (a broken report) as what was reserved for
    /// it. Over-count, never under-count.
    public static func afterPayment(
        spendId: String, amountMsat: Int64, feeMsat: Int64, reservedAmountMsat: Int64, feeReserveMsat: Int64
    ) throws(ValidationError) -> SettleSpend {
        func recordable(_ reported: Int64, reserved: Int64) -> Int64 {
            reported < 0 ? reserved : min(reported, ReserveSpend.amountMsatMax)
        }
        return try SettleSpend(
            spendId: spendId, amountMsat: recordable(amountMsat, reserved: reservedAmountMsat),
            feeMsat: recordable(feeMsat, reserved: feeReserveMsat))
    }
}

/// Drop a hold: the payment was not made (or nobody settled it in time).
public struct ReleaseSpend: Sendable, Equatable {
    public var spendId: String
    public var reason: SpendReleaseReason

    public init(spendId: String, reason: SpendReleaseReason) throws(ValidationError) {
        self.spendId = try ConnectionRules.identifier(spendId, field: "spend_id")
        self.reason = reason
    }
}

public enum SpendCommand: Sendable, Equatable {
    case reserve(ReserveSpend)
    case settle(SettleSpend)
    case release(ReleaseSpend)

    public var spendId: String {
        switch self {
        case .reserve(let c): c.spendId
        case .settle(let c): c.spendId
        case .release(let c): c.spendId
        }
    }

    public var name: String {
        switch self {
        case .reserve: "ReserveSpend"
        case .settle: "SettleSpend"
        case .release(let c): c.reason == .expired ? "ExpireSpend" : "ReleaseSpend"
        }
    }
}

enum SpendRules {
    static func amount(_ value: Int64, field: String, allowZero: Bool) throws(ValidationError) -> Int64 {
        guard value >= (allowZero ? 0 : 1) else {
            throw ValidationError(field: field, reason: allowZero ? "must not be negative" : "must be positive")
        }
        guard value <= ReserveSpend.amountMsatMax else {
            throw ValidationError(field: field, reason: "must be at most \(ReserveSpend.amountMsatMax)")
        }
        return value
    }
}
