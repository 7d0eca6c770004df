import Foundation
import Synchronization

/// A token bucket per subject (the `sub` of a verified CAT, NUT-21): `burst` requests at once,
/// then `ratePerMinute` spread evenly. In memory, per process.
///
/// Memory is bounded by `capacityMax` buckets. When a new subject arrives and the map is full, it
/// is swept: buckets that have refilled completely are dropped first, since a fresh bucket starts
/// full and forgetting them changes nothing. If that frees less than a tenth of the map, the least
/// recently used buckets go too, until a tenth is free; those subjects get a fresh burst, the
/// price of the bound (and each needs a valid CAT). Freeing a tenth at a time keeps the sweep's
/// O(n log n) cost rare: at most once per `capacityMax / 10` new subjects.
public final class SubjectRateLimiter: Sendable {
    package struct Bucket {
        var tokens: Double
        var updated: Date
    }

    public let ratePerMinute: Int
    public let burst: Int
    public let capacityMax: Int
    private let clock: @Sendable () -> Date
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(ratePerMinute: Int, burst: Int, capacityMax: Int = 100_000, clock: @escaping @Sendable () -> Date) {
        precondition(ratePerMinute > 0 && burst > 0 && capacityMax > 0, "rate, burst and capacity must be positive")
        self.ratePerMinute = ratePerMinute
        self.burst = burst
        self.capacityMax = capacityMax
        self.clock = clock
    }

    private var perSecond: Double { Double(ratePerMinute) / 60 }

    /// Takes one token from `subject`'s bucket. When none is left, says how many whole seconds
    /// until one is (for `Retry-After`, at least 1).
    public func allow(_ subject: String) -> (allowed: Bool, retryAfterSec: Int) {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket: Bucket
            if let existing = buckets[subject] {
                bucket = existing
                bucket.tokens = refilled(existing, at: now)
            } else {
                if buckets.count >= capacityMax { evict(&buckets, at: now) }
                bucket = Bucket(tokens: Double(burst), updated: now)
            }
            bucket.updated = max(bucket.updated, now)
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[subject] = bucket
            if allowed { return (true, 0) }
            return (false, max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
        }
    }

    /// Subjects currently tracked (for tests and metrics).
    public var trackedSubjects: Int { buckets.withLock { $0.count } }

    /// A clock that steps back adds nothing (and takes nothing).
    private func refilled(_ bucket: Bucket, at now: Date) -> Double {
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        return min(Double(burst), bucket.tokens + elapsed * perSecond)
    }

    private func evict(_ buckets: inout [String: Bucket], at now: Date) {
        let target = max(1, capacityMax / 10)
        let before = buckets.count
        buckets = buckets.filter { refilled($0.value, at: now) < Double(burst) }
        let stillNeeded = target - (before - buckets.count)
        guard stillNeeded > 0 else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(stillNeeded)
        for (subject, _) in oldest { buckets.removeValue(forKey: subject) }
    }
}
