import Foundation
import LedgerCore
import Metrics

/// Counts DAuth refusals and says when one should be written to the log: the first from an
/// address in each minute, carrying how many came since the last one written, so knocking
/// cannot fill the log. Addresses are kept in a bounded map; a forgotten one starts afresh.
package actor DAuthRefusalLog {
    package static let windowMs: Int64 = 60_000
    package static let addressesMax = 10_000

    struct Window {
        var startedAtMs: Int64
        var unrecorded: Int
    }

    private var windows = BoundedMap<String, Window>(capacity: addressesMax)
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
    package func refused(ip: String, kind: DAuthRefusalKind, nowMs: Int64) -> Int? {
        counters[kind]?.increment()
        if var window = windows[ip], nowMs - window.startedAtMs < Self.windowMs {
            window.unrecorded += 1
            windows[ip] = window
            return nil
        }
        // A new minute: the event stands for this refusal and those held back since the last.
        let held = windows[ip]?.unrecorded ?? 0
        windows[ip] = Window(startedAtMs: nowMs, unrecorded: 0)
        return held + 1
    }
}
