import Foundation

/// CPU time spent by the calling thread, for tests that bound how much work a synchronous call
/// does. Wall time (or Swift Testing's `.timeLimit`) also counts the time the test waits for one
/// of the cooperative pool's two threads here, which a full suite run can stretch past a minute
/// (a CI run failed a 60 s limit on a check that took microseconds). Synchronous code stays on
/// its thread, so the thread's own clock counts only its work.
public enum ThreadCPUTime {
    /// The CPU time `body` used on this thread, and what it returned.
    public static func measure<Result>(_ body: () throws -> Result) rethrows -> (Duration, Result) {
        let before = now()
        let result = try body()
        return (now() - before, result)
    }

    static func now() -> Duration {
        var spec = timespec()
        // CLOCK_THREAD_CPUTIME_ID cannot fail for the calling thread.
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
}
