import Foundation
import LedgerCore

/// The upstream's prices of currencies, asked once a `lifetime` per currency rather than on every
/// payment: a rate is recorded in each reservation, so a slightly older one costs nothing in
/// correctness, while an HTTP round trip per payment would cost every payment. A currency the
/// upstream refused to price is remembered as refused for the same time, so a caller naming an
/// unknown code in a loop costs the upstream nothing. Bounded: callers name the currencies.
actor UpstreamRateCache {
    static let capacity = 256

    enum Price: Sendable {
        case rate(ConversionRate)
        case refused(WalletError)
    }

    private struct Entry {
        var price: Price
        var fetchedAt: Date
    }

    private let lifetimeSec: TimeInterval
    private let clock: @Sendable () -> Date
    private var entries = BoundedMap<String, Entry>(capacity: capacity)

    init(lifetimeSec: TimeInterval, clock: @escaping @Sendable () -> Date = Date.init) {
        self.lifetimeSec = lifetimeSec
        self.clock = clock
    }

    func price(_ currency: String) -> Price? {
        guard let entry = entries[currency], clock().timeIntervalSince(entry.fetchedAt) < lifetimeSec else {
            return nil
        }
        return entry.price
    }

    func remember(_ price: Price, for currency: String) {
        entries[currency] = Entry(price: price, fetchedAt: clock())
    }

    private var described: (currencies: [Currency], fetchedAt: Date)?

    /// The currencies the upstream's `/info` described, while they are fresh.
    func currencies() -> [Currency]? {
        guard let described, clock().timeIntervalSince(described.fetchedAt) < lifetimeSec else { return nil }
        return described.currencies
    }

    func remember(currencies: [Currency]) {
        // Bounded like the rates: an upstream could list any number.
        described = (Array(currencies.prefix(Self.capacity)), clock())
    }
}
