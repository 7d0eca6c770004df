import Foundation
import Synchronization

/// The one clock tests move by hand, so expiry, cycles and rate limits are tested without sleeping.
/// Inject `now`; read `date`, `ms` or `seconds`; move it with `advance`. A `ticking` clock also
/// moves 1 ms at every reading of `now`/`date`, for code that needs distinct timestamps. Counted in
/// whole milliseconds, as the ledger stamps events.
public final class TestClock: Sendable {
    /// 2027-01-15, a fixed instant far from any cycle boundary the tests care about.
    public static let defaultStart = Date(timeIntervalSince1970: 1_800_000_000)

    private let currentMs: Mutex<Int64>
    private let ticking: Bool

    public init(_ start: Date = TestClock.defaultStart, ticking: Bool = false) {
        currentMs = Mutex(Int64((start.timeIntervalSince1970 * 1000).rounded()))
        self.ticking = ticking
    }

    /// Starts at the real time: JWT libraries that check `exp` against their own clock agree.
    public static func startingNow() -> TestClock { TestClock(Date()) }

    /// The clock as a dependency (`Ledger.Options.clock`, wallets, rate limiters).
    public var now: @Sendable () -> Date { { [self] in date } }

    /// The current reading.
    public var date: Date {
        let value = currentMs.withLock { value in
            if ticking { value += 1 }
            return value
        }
        return Date(timeIntervalSince1970: Double(value) / 1000)
    }

    /// The current reading in unix milliseconds; never ticks.
    public var ms: Int64 { currentMs.withLock { $0 } }

    /// The current reading in whole unix seconds; never ticks.
    public var seconds: Int64 { ms / 1000 }

    public func advance(ms delta: Int64) { currentMs.withLock { $0 += delta } }

    public func advance(seconds delta: TimeInterval) { advance(ms: Int64((delta * 1000).rounded())) }
}
