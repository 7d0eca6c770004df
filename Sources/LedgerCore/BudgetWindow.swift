import Foundation

/// rolling: cycles of 1/7/30/365 days anchored at the budget's start, UTC (as UMA's NWC server does);
/// calendar: day / ISO week (Monday) / month / year boundaries in an IANA time zone (as Alby Hub does).
public enum BudgetWindowStyle: String, Codable, Sendable, CaseIterable { case rolling, calendar }

/// One budget cycle: [startMs, endMs). endMs nil = never renews.
public struct BudgetCycle: Sendable, Equatable, Codable {
    public var startMs: Int64
    public var endMs: Int64?

    public init(startMs: Int64, endMs: Int64?) {
        self.startMs = startMs
        self.endMs = endMs
    }

    enum CodingKeys: String, CodingKey {
        case startMs = "start_ms"
        case endMs = "end_ms"
    }
}

/// Maps an instant to the budget cycle it is charged to. Usage is keyed by the cycle, so the same
/// instant must always give the same cycle: nothing here reads the process's clock, zone or locale.
public struct BudgetWindow: Sendable, Equatable {
    public let period: BudgetPeriod
    public let style: BudgetWindowStyle
    /// "UTC" for rolling windows, which ignore zones, so that equal windows compare equal.
    public let timeZoneIdentifier: String
    /// When the budget (with this period) started.
    public let anchorMs: Int64
    /// Only a calendar window that renews reads one: rolling and never-renewing windows are
    /// arithmetic. Making it and setting its zone for every window (the writer makes one per spend
    /// command) was six allocations and 7,300 instructions a keysend payment from a budget that
    /// never renews (callgrind).
    private let calendar: Calendar?

    public init(
        period: BudgetPeriod,
        style: BudgetWindowStyle,
        timeZoneIdentifier: String = "UTC",
        anchorMs: Int64
    ) throws(ValidationError) {
        guard timeZoneIdentifier.utf8.count <= 64 else {
            throw ValidationError(field: "time_zone", reason: "longer than 64 characters")
        }
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw ValidationError(
                field: "time_zone",
                reason:
                    "unknown time zone \"\(timeZoneIdentifier)\" (expected an IANA name such as \"Europe/Amsterdam\")"
            )
        }
        self.period = period
        self.style = style
        // Keep the caller's spelling: Linux Foundation reports "UTC" back as "GMT".
        self.timeZoneIdentifier = style == .rolling ? "UTC" : timeZoneIdentifier
        self.anchorMs = anchorMs
        if style == .calendar, period != .never {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            // Set explicitly: the defaults come from the process's locale. ISO 8601 weeks.
            calendar.firstWeekday = 2
            calendar.minimumDaysInFirstWeek = 4
            self.calendar = calendar
        } else {
            calendar = nil
        }
    }

    /// The cycle that contains `atMs`. Times before the anchor belong to the first cycle.
    public func cycle(containing atMs: Int64) -> BudgetCycle {
        let never = BudgetCycle(startMs: anchorMs, endMs: nil)
        let days: Int64
        let unit: Calendar.Component
        switch period {
        case .never: return never
        case .daily: (days, unit) = (1, .day)
        case .weekly: (days, unit) = (7, .weekOfYear)
        case .monthly: (days, unit) = (30, .month)
        case .yearly: (days, unit) = (365, .year)
        }

        switch style {
        case .rolling:
            let length = days * 86_400_000
            // Unsigned so that no pair of Int64 instants can trap; start ≤ atMs, so it fits again.
            let elapsed = atMs > anchorMs ? UInt64(bitPattern: atMs &- anchorMs) : 0
            let start = anchorMs &+ Int64(bitPattern: elapsed / UInt64(length) * UInt64(length))
            let (end, overflow) = start.addingReportingOverflow(length)
            return BudgetCycle(startMs: start, endMs: overflow ? nil : end)

        case .calendar:
            let reference = Date(timeIntervalSince1970: Double(max(atMs, anchorMs)) / 1000)
            // Far outside the years Foundation can represent it clamps instead of failing, so an
            // interval that misses the instant means "no boundary": charge it to one endless cycle
            // from the anchor, which over- rather than under-counts.
            guard let calendar else {
                assertionFailure("a calendar window that renews is made with its calendar")
                return never
            }
            guard let interval = calendar.dateInterval(of: unit, for: reference),
                interval.start <= reference, reference < interval.end,
                let start = Self.milliseconds(interval.start), let end = Self.milliseconds(interval.end)
            else { return never }
            return BudgetCycle(startMs: max(start, anchorMs), endMs: end)
        }
    }

    // The calendar is derived from the other fields; Calendar's own equality is not this type's concern.
    public static func == (lhs: BudgetWindow, rhs: BudgetWindow) -> Bool {
        (lhs.period, lhs.style, lhs.timeZoneIdentifier, lhs.anchorMs)
            == (rhs.period, rhs.style, rhs.timeZoneIdentifier, rhs.anchorMs)
    }

    private static func milliseconds(_ date: Date) -> Int64? {
        Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded())
    }
}
