import Dispatch
import Synchronization

/// Work started on a thread of its own, its result (or error) waited for: for a blocking caller
/// that has other work to do meanwhile on its own connection (`verify`'s two sets of checksums).
/// The work runs on a queue of its own (a serial queue gets a thread even when every thread of
/// the shared pool is busy, as they may be under Swift concurrency, whose threads `verify`'s
/// callers block), and whoever starts it must wait for it (`value()`) before letting go of
/// anything it reads.
final class BackgroundResult<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue(label: "grantledger.background-result").async { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Work that something else runs (a read GRDB runs on a connection of its own), started by
    /// `start`, which must hand its outcome to the function it is given exactly once.
    init(starting start: (@escaping @Sendable (Result<Value, any Error>) -> Void) -> Void) {
        start { [self] outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Waits for the work to end; its error is thrown here.
    func value() throws -> Value {
        done.wait()
        // Signalled once: put back for any later call.
        done.signal()
        return try result.withLock { $0! }.get()
    }
}
