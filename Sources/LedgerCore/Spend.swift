/// A reservation against a connection's budget, as the spends projection holds it.
public struct Spend: Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case held, settled, released, denied
    }

    public var id: String
    public var connectionId: String
    public var method: String
    public var status: Status
    /// Reserved amount while held; the final amount once settled.
    public var amountMsat: Int64
    public var feeReserveMsat: Int64
    public var feeMsat: Int64?
    public var paymentHash: String?
    public var budgetCurrency: String?
    public var heldUnits: Int64
    /// The budget currency's rate the hold was priced at; the settle charges at it.
    public var rate: ConversionRate?
    public var chargedUnits: Int64?
    /// Settled at the whole hold because nobody knew how the payment ended; a later report may
    /// correct it once.
    public var provisional: Bool = false
    public var budgetAnchorMs: Int64?
    public var cycle: BudgetCycle?
    public var expiresAtMs: Int64?
    public var reservedAtMs: Int64
    public var settledAtMs: Int64?
    public var releasedAtMs: Int64?
    /// Why it was released or denied.
    public var reason: String?

    public init(
        id: String, connectionId: String, method: String, status: Status, amountMsat: Int64, feeReserveMsat: Int64,
        feeMsat: Int64? = nil, paymentHash: String? = nil, budgetCurrency: String? = nil, heldUnits: Int64,
        rate: ConversionRate? = nil, chargedUnits: Int64? = nil, budgetAnchorMs: Int64? = nil, cycle: BudgetCycle? = nil, expiresAtMs: Int64? = nil,
        reservedAtMs: Int64, settledAtMs: Int64? = nil, releasedAtMs: Int64? = nil, reason: String? = nil
    ) {
        self.id = id
        self.connectionId = connectionId
        self.method = method
        self.status = status
        self.amountMsat = amountMsat
        self.feeReserveMsat = feeReserveMsat
        self.feeMsat = feeMsat
        self.paymentHash = paymentHash
        self.budgetCurrency = budgetCurrency
        self.heldUnits = heldUnits
        self.rate = rate
        self.chargedUnits = chargedUnits
        self.budgetAnchorMs = budgetAnchorMs
        self.cycle = cycle
        self.expiresAtMs = expiresAtMs
        self.reservedAtMs = reservedAtMs
        self.settledAtMs = settledAtMs
        self.releasedAtMs = releasedAtMs
        self.reason = reason
    }

    public static func stream(_ id: String) -> String { "spend/\(id)" }
}

/// What one budget cycle has used: settled spends and holds still in flight, in budget units.
public struct BudgetUsage: Sendable, Equatable {
    public var spentUnits: Int64
    public var heldUnits: Int64
    public var thresholdReached: Bool

    public init(spentUnits: Int64 = 0, heldUnits: Int64 = 0, thresholdReached: Bool = false) {
        self.spentUnits = spentUnits
        self.heldUnits = heldUnits
        self.thresholdReached = thresholdReached
    }

    public static let zero = BudgetUsage()

    public var usedUnits: Int64 { spentUnits + heldUnits }
}
