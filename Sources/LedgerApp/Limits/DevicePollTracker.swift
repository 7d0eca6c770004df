import Synchronization

/// When each device code last polled, for RFC 8628 §3.5's `slow_down`. Polls are not facts worth
/// an event, so this lives in memory; bounded, and forgetting only costs one missed `slow_down`.
package final class DevicePollTracker: Sendable {
    package static let capacity = 100_000

    package init() {}
    private let lastPollMs = Mutex<[String: Int64]>([:])

    /// Records the poll; false when it came sooner than `intervalSec` after the previous one.
    package func poll(_ deviceCodeSha256: String, nowMs: Int64, intervalSec: Int64) -> Bool {
        lastPollMs.withLock { polls in
            if polls.count >= Self.capacity { polls.removeAll(keepingCapacity: true) }
            let previous = polls[deviceCodeSha256]
            polls[deviceCodeSha256] = nowMs
            guard let previous else { return true }
            return nowMs - previous >= intervalSec * 1000
        }
    }
}
