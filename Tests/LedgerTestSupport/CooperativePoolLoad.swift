import Foundation

/// Stands in for a loaded machine in tests of timing races.
public enum CooperativePoolLoad {
    /// Blocks every thread of Swift's cooperative pool at once for `duration`, so that whatever
    /// becomes ready meanwhile (a library's error, a timer) waits and then runs together, as on a
    /// machine whose pool is starved. Keep it short: every other test in the run waits too.
    public static func occupyEveryThread(for duration: Duration) async {
        let width = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let microseconds = UInt32(duration / .microseconds(1))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<width {
                // usleep, not Task.sleep: the point is to hold the thread, not to yield it.
                group.addTask { usleep(microseconds) }
            }
        }
    }
}
