import Dispatch
import Synchronization

/// Work started on a thread of its own, its result (or error) waited for: for a blocking caller
/// that has other work to do meanwhile on its own connection (`verify`'s two sets of checksums).
/// Not for a caller in Swift concurrency's pool, whose threads must not block.
final class BackgroundResult<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            let outcome = Result { try work() }
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
