import Foundation
import LedgerCore
import Metrics

/// Counts DAuth refusals and says when one should be written to the log: the first from an
/// address in each minute, carrying how many came since the last one written, so knocking
/// cannot fill the log. An IPv6 address counts as its /64 (one host holds a whole /64), and at
/// most `eventsPerMinuteMax` are written a minute across all addresses: beyond that, refusals are
/// held under `*`, written with the first refusal of a later minute. Addresses are kept in a
/// bounded map; a forgotten one starts afresh. Refusals held when knocking stops are in the
/// `dauth_refusals_total` counter only.
package actor DAuthRefusalLog {
    package static let windowMs: Int64 = 60_000
    package static let addressesMax = 10_000
    package static let eventsPerMinuteMax = 60
    package static let overflowKey = "*"

    struct Window {
        var startedAtMs: Int64
        var unrecorded: Int
    }

    private var windows = BoundedMap<String, Window>(capacity: addressesMax)
    /// Events written in the current minute, across addresses.
    private var global = Window(startedAtMs: -windowMs, unrecorded: 0)
    private let counters: [DAuthRefusalKind: Counter]

    package enum DAuthRefusalKind: String, Sendable, CaseIterable { case address, header, token }

    package init() {
        var counters: [DAuthRefusalKind: Counter] = [:]
        for kind in DAuthRefusalKind.allCases {
            counters[kind] = Counter(label: "dauth_refusals_total", dimensions: [("reason", kind.rawValue)])
        }
        self.counters = counters
    }

    /// Counts the refusal; returns how many refusals the event to write stands for, or nil when
    /// this address's minute has been written already.
    /// `address` is what the event names: the address, its /64, or `*` for the overflow.
    package func refused(ip: String, kind: DAuthRefusalKind, nowMs: Int64) -> (address: String, refusals: Int)? {
        counters[kind]?.increment()
        var key = Self.key(ip)
        if nowMs - global.startedAtMs >= Self.windowMs { global = Window(startedAtMs: nowMs, unrecorded: 0) }
        if var window = windows[key], nowMs - window.startedAtMs < Self.windowMs {
            window.unrecorded += 1
            windows[key] = window
            return nil
        }
        if global.unrecorded >= Self.eventsPerMinuteMax { key = Self.overflowKey }
        if var window = windows[key], nowMs - window.startedAtMs < Self.windowMs {
            window.unrecorded += 1
            windows[key] = window
            return nil
        }
        // A new minute: the event stands for this refusal and those held back since the last.
        let held = windows[key]?.unrecorded ?? 0
        windows[key] = Window(startedAtMs: nowMs, unrecorded: 0)
        global.unrecorded += 1
        return (key, held + 1)
    }

    /// An IPv6 address as its /64 prefix (`2001:db8:1:2::/64`); anything else as it is.
    static func key(_ ip: String) -> String {
        guard ip.contains(":"), !ip.hasPrefix("::ffff:") else { return ip }
        var groups: [Substring] = []
        let halves = ip.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        let head = halves[0].split(separator: ":", omittingEmptySubsequences: true)
        if halves.count == 2 {
            let tail = halves[1].split(separator: ":", omittingEmptySubsequences: true)
            groups = head + Array(repeating: "0", count: max(0, 8 - head.count - tail.count)) + tail
        } else {
            groups = head
        }
        guard groups.count >= 4 else { return ip }
        return groups.prefix(4).map { String(Int($0, radix: 16) ?? 0, radix: 16) }.joined(separator: ":") + "::/64"
    }
}
