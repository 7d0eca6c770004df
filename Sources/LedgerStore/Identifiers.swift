import Foundation
import LedgerCore

/// New ids for events and aggregates: time-ordered UUIDs (see `TimeOrderedID`) from the system's
/// random source.
public enum Identifiers {
    public static func make(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return TimeOrderedID.make(
            unixMs: now.unixMs,
            random: (generator.next(), generator.next()))
    }
}
