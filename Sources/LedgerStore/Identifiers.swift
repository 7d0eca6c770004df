import Foundation
import LedgerCore

/// New ids for events and aggregates: time-ordered UUIDs (see `TimeOrderedID`) from the system's
/// random source, read a buffer at a time (`IdentifierRandomness`).
public enum Identifiers {
    public static func make(now: Date) -> String {
        var generator = IdentifierRandomness()
        return TimeOrderedID.make(
            unixMs: now.unixMs,
            random: (generator.next(), generator.next()))
    }
}
