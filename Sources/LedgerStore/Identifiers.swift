import Foundation
import LedgerCore

/// New ids for events and aggregates: time-ordered UUIDs (see `TimeOrderedID`) from the system's
/// random source.
public enum Identifiers {
    public static func make(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return TimeOrderedID.make(
            unixMs: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)),
            random: (generator.next(), generator.next()))
    }
}
