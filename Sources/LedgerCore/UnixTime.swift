import Foundation

extension Date {
    /// Milliseconds since the Unix epoch, rounded down: the unit of every `_ms` field and event time.
    public var unixMs: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}
