/// How much the ledger holds on top of a payment for routing fees it cannot know in advance.
///
/// The default, 1% with a 10 sat floor, is above what Lightning routes usually cost (well under
/// 1% beyond tiny payments, where base fees of a few sats dominate), so a hold rarely falls short;
/// whatever is not spent is released when the payment settles.
public struct FeeReservePolicy: Sendable, Equatable {
    /// Hundredths of a percent of the amount: 100 is 1%.
    public var basisPoints: Int64
    public var minimumMsat: Int64

    public init(basisPoints: Int64, minimumMsat: Int64) {
        precondition((0...10_000).contains(basisPoints) && minimumMsat >= 0, "a fee reserve is 0–100% and not negative")
        self.basisPoints = basisPoints
        self.minimumMsat = minimumMsat
    }

    public static let `default` = FeeReservePolicy(basisPoints: 100, minimumMsat: 10_000)

    /// The share of the amount, rounded up, and never below the floor.
    public func reserveMsat(forAmountMsat amountMsat: Int64) -> Int64 {
        let amount = max(amountMsat, 0)
        // Split the product so it cannot overflow for any Int64 amount.
        let whole = (amount / 10_000) * basisPoints
        let rest = ((amount % 10_000) * basisPoints + 9_999) / 10_000
        return max(whole + rest, minimumMsat)
    }
}
