import Foundation
import LedgerCore

/// The upstream's prices of budget currencies, asked once a `lifetime` per currency rather than on
/// every payment: a rate is recorded in each reservation, so a slightly older one costs nothing in
/// correctness, while an HTTP round trip per payment would cost every payment. Bounded: a caller
/// names the currency, and each unknown one would otherwise add an entry.
actor UpstreamRateCache {
    static let capacity = 256

    private struct Entry {
        var rate: ConversionRate
        var fetchedAt: Date
    }

    private let lifetimeSeconds: TimeInterval
    private let clock: @Sendable () -> Date
    private var entries = BoundedMap<String, Entry>(capacity: capacity)

    init(lifetimeSeconds: TimeInterval, clock: @escaping @Sendable () -> Date = Date.init) {
        self.lifetimeSeconds = lifetimeSeconds
        self.clock = clock
    }

    func rate(_ currency: String) -> ConversionRate? {
        guard let entry = entries[currency], clock().timeIntervalSince(entry.fetchedAt) < lifetimeSeconds else {
            return nil
        }
        return entry.rate
    }

    func remember(_ rate: ConversionRate) { entries[rate.currency] = Entry(rate: rate, fetchedAt: clock()) }
}
