/// How often a budget renews. `none` is accepted as `never`, as UMA clients send both.
public enum BudgetPeriod: String, Codable, Sendable, CaseIterable {
    case daily, weekly, monthly, yearly, never
}

/// A spending limit as UMA's `budget` parameter writes it, `<amount>[.<CUR>][/<period>]`, with an
/// optional cap on any one payment, `;max=<amount>` (Alby's long-asked per-payment limit). Amounts
/// are in the smallest unit of the currency; no currency means SAT, no period `never`.
public struct BudgetDefinition: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Upper bound on amounts so that every sum of budget figures stays inside Int64 msat.
    public static let amountMax: Int64 = 1_000_000_000_000_000

    public var amount: Int64
    public var currency: String
    public var period: BudgetPeriod
    /// How cycles are cut; nil means rolling. Stamped into the grant event from the server's
    /// setting, so a replay under another setting still counts usage in the same cycles.
    public var window: BudgetWindowStyle?
    /// IANA zone of calendar windows; nil for rolling ones (which are UTC).
    public var timeZone: String?
    /// The most one payment may cost, in the same unit as `amount`; nil for no cap of its own.
    public var maxPerPayment: Int64?

    public init(
        amount: Int64, currency: String = "SAT", period: BudgetPeriod = .never, window: BudgetWindowStyle? = nil,
        timeZone: String? = nil, maxPerPayment: Int64? = nil
    ) {
        self.amount = amount
        self.currency = currency
        self.period = period
        self.window = window
        self.timeZone = timeZone
        self.maxPerPayment = maxPerPayment
    }

    enum CodingKeys: String, CodingKey {
        case amount, currency, period, window
        case timeZone = "time_zone"
        case maxPerPayment = "max_per_payment"
    }

    /// SAT and MSAT budgets count usage in msat; fiat ones in the currency's smallest unit.
    public var isBitcoin: Bool { Self.isBitcoin(currency: currency) }

    public static func isBitcoin(currency: String) -> Bool { currency == "SAT" || currency == "MSAT" }

    /// The limit in the unit usage is counted in: msat for bitcoin budgets, cents (etc.) otherwise.
    public var limitUnits: Int64 { limitMsat ?? amount }

    /// The per-payment cap in the unit usage is counted in; nil when there is none.
    public var maxPerPaymentUnits: Int64? {
        guard let maxPerPayment else { return nil }
        guard currency == "SAT" else { return maxPerPayment }
        let (msat, overflow) = maxPerPayment.multipliedReportingOverflow(by: 1000)
        return overflow ? Int64.max : msat
    }

    public var windowStyle: BudgetWindowStyle { window ?? .rolling }

    /// DESIGN §7: changing only the amount keeps the cycle's usage; changing the period (or the
    /// currency, or how cycles are cut) starts a new budget whose usage begins at zero.
    public func keepsUsage(from previous: BudgetDefinition) -> Bool {
        currency == previous.currency && period == previous.period && windowStyle == previous.windowStyle
            && timeZone == previous.timeZone
    }

    /// The cycles of this budget when it started at `anchorMs`.
    public func cycles(anchorMs: Int64) throws(ValidationError) -> BudgetWindow {
        try BudgetWindow(
            period: period, style: windowStyle,
            timeZoneIdentifier: windowStyle == .calendar ? (timeZone ?? "UTC") : "UTC", anchorMs: anchorMs)
    }

    /// The same budget cut into cycles the given way.
    public func windowed(_ style: BudgetWindowStyle, timeZone: String) -> BudgetDefinition {
        var copy = self
        copy.window = style
        copy.timeZone = style == .calendar ? timeZone : nil
        return copy
    }

    /// The limit in msat for bitcoin-denominated budgets; nil for fiat ones, whose conversion
    /// happens at spend time through the wallet's estimate.
    public var limitMsat: Int64? {
        switch currency {
        case "SAT": amount.multipliedReportingOverflow(by: 1000).overflow ? nil : amount * 1000
        case "MSAT": amount
        default: nil
        }
    }

    public var description: String {
        "\(amount).\(currency)/\(period.rawValue)" + (maxPerPayment.map { ";max=\($0)" } ?? "")
    }

    public static func parse(_ text: String, field: String = "budget") throws(ValidationError) -> BudgetDefinition {
        func invalid(_ reason: String) -> ValidationError {
            ValidationError(
                field: field,
                reason:
                    "\(reason) (expected \"<amount>[.<CUR>][/<period>][;max=<amount>]\", e.g. \"50000/monthly\", \"1000.USD/daily\" or \"50000/monthly;max=5000\")"
            )
        }
        guard text.utf8.count <= 64 else { throw invalid("too long") }
        var rest = Substring(text)
        var maxPerPayment: Int64?
        if let semicolon = rest.firstIndex(of: ";") {
            let option = rest[rest.index(after: semicolon)...]
            rest = rest[..<semicolon]
            guard option.lowercased().hasPrefix("max=") else {
                throw invalid("unknown option \"\(option.prefix(16))\"; the only one is max=<amount>")
            }
            let value = option.dropFirst(4)
            guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let cap = Int64(value) else {
                throw invalid("max must be a whole number in the budget's smallest unit")
            }
            guard cap > 0 else { throw invalid("max must be positive") }
            guard cap <= amountMax else { throw invalid("max is larger than \(amountMax)") }
            maxPerPayment = cap
        }
        var period = BudgetPeriod.never
        if let slash = rest.firstIndex(of: "/") {
            let periodText = rest[rest.index(after: slash)...].lowercased()
            rest = rest[..<slash]
            if periodText == "none" {
                period = .never
            } else if let parsed = BudgetPeriod(rawValue: periodText) {
                period = parsed
            } else {
                throw invalid("unknown period \"\(periodText)\"")
            }
        }
        var currency = "SAT"
        if let dot = rest.firstIndex(of: ".") {
            let code = rest[rest.index(after: dot)...].uppercased()
            rest = rest[..<dot]
            guard (3...5).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw invalid("currency must be 3 to 5 letters")
            }
            currency = code
        }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int64(rest) else {
            throw invalid("amount must be a whole number in the currency's smallest unit")
        }
        guard amount > 0 else { throw invalid("amount must be positive") }
        guard amount <= amountMax else { throw invalid("amount is larger than \(amountMax)") }
        return BudgetDefinition(amount: amount, currency: currency, period: period, maxPerPayment: maxPerPayment)
    }
}
