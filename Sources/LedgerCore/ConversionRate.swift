/// What `units` of a currency's smallest unit (cents, centavos, sats) are worth in msat, as a
/// ratio of two whole numbers: the demo's "10,000 msat a cent" is `10_000 / 1`, an upstream's
/// "1 BTC buys 10,000,000 cents" is `100_000_000_000 / 10_000_000`. Whole numbers keep every
/// conversion exact and let each caller choose the direction of rounding on purpose.
///
/// A reservation records the rate of its budget's currency, and the settle charges with that same
/// rate, so a replay (whatever the rates are on the day of the replay) charges the same.
public struct ConversionRate: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Neither side may exceed this: a rate is a price, not an amount, and smaller numbers keep
    /// every intermediate product inside 128 bits.
    public static let termMax: Int64 = 1_000_000_000_000_000

    // Set only through `init`, which keeps both sides positive: every division here is by one of them.
    public private(set) var currency: String
    public private(set) var msat: Int64
    public private(set) var units: Int64

    public init(currency: String, msat: Int64, units: Int64) throws(ValidationError) {
        guard (1...Self.termMax).contains(msat), (1...Self.termMax).contains(units) else {
            throw ValidationError(
                field: "rate", reason: "\(units) \(currency) for \(msat) msat is not a usable rate (both sides 1 to 10^15)")
        }
        // Reduced, so equal prices compare equal and products stay small.
        let divisor = Self.gcd(msat, units)
        self.currency = currency
        self.msat = msat / divisor
        self.units = units / divisor
    }

    /// The fixed rates of the bitcoin units: a sat is 1,000 msat, an msat is itself. nil for others.
    public static func bitcoin(_ currency: String) -> ConversionRate? {
        switch currency.uppercased() {
        case "SAT": try? ConversionRate(currency: "SAT", msat: 1_000, units: 1)
        case "MSAT": try? ConversionRate(currency: "MSAT", msat: 1, units: 1)
        default: nil
        }
    }

    /// The cost of `msat` in this currency's smallest unit, rounded up: a budget is never charged
    /// less than was spent, so 9,999 msat at 10,000 msat a cent is 1 cent, not 0. nil when the
    /// result does not fit in an Int64 (no budget can cover it).
    public func unitsRoundingUp(msat amount: Int64) -> Int64? {
        guard amount >= 0 else { return nil }
        return Self.divide(amount, times: units, by: msat, roundingUp: true)
    }

    /// What `msat` is worth in this currency, rounded down: a balance never shows more than is there.
    public func unitsRoundingDown(msat amount: Int64) -> Int64? {
        guard amount >= 0 else { return nil }
        return Self.divide(amount, times: units, by: msat, roundingUp: false)
    }

    /// What `units` of this currency are worth in msat, rounded down: what is left of a budget is
    /// never shown larger than it is.
    public func msatRoundingDown(units amount: Int64) -> Int64? {
        guard amount >= 0 else { return nil }
        return Self.divide(amount, times: msat, by: units, roundingUp: false)
    }

    /// What `units` of this currency are worth in msat, rounded up: what a budget has used is never
    /// shown smaller than it is.
    public func msatRoundingUp(units amount: Int64) -> Int64? {
        guard amount >= 0 else { return nil }
        return Self.divide(amount, times: msat, by: units, roundingUp: true)
    }

    /// `value × multiplier / divisor` in 128 bits, so no product overflows on the way.
    static func divide(_ value: Int64, times multiplier: Int64, by divisor: Int64, roundingUp: Bool) -> Int64? {
        let product = UInt64(value).multipliedFullWidth(by: UInt64(multiplier))
        // The quotient fits in 64 bits only if the high half is smaller than the divisor.
        guard product.high < UInt64(divisor) else { return nil }
        let (quotient, remainder) = UInt64(divisor).dividingFullWidth(product)
        let rounded = roundingUp && remainder > 0 ? quotient + 1 : quotient
        guard rounded <= UInt64(Int64.max) else { return nil }
        return Int64(rounded)
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    public var description: String { "\(units) \(currency) = \(msat) msat" }

    enum CodingKeys: String, CodingKey {
        case currency, msat, units
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                currency: try container.decode(String.self, forKey: .currency),
                msat: try container.decode(Int64.self, forKey: .msat),
                units: try container.decode(Int64.self, forKey: .units))
        } catch let error as ValidationError {
            throw DecodingError.dataCorruptedError(forKey: .msat, in: container, debugDescription: error.description)
        }
    }
}
