import Foundation

/// A clock the test moves by hand, so expiry is tested without sleeping.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Int64

    init(seconds: Int64 = 1_700_000_000) { self.seconds = seconds }

    func advance(by delta: Int64) { lock.withLock { seconds += delta } }

    var nowSeconds: Int64 { lock.withLock { seconds } }

    var now: @Sendable () -> Date { { Date(timeIntervalSince1970: TimeInterval(self.nowSeconds)) } }
}
