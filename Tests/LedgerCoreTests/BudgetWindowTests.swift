import Foundation
import LedgerCore
import Testing

/// A window written as text so that every row below can be checked by hand against a calendar.
struct WindowSpec: Sendable {
    var period: BudgetPeriod
    var style: BudgetWindowStyle
    var zone: String
    var anchor: String

    init(_ period: BudgetPeriod, _ style: BudgetWindowStyle, _ zone: String, anchor: String) {
        (self.period, self.style, self.zone, self.anchor) = (period, style, zone, anchor)
    }

    /// `at` must fall in [start, end); end nil = never renews.
    func at(_ at: String, in start: String, _ end: String?) -> CycleCase {
        CycleCase(window: self, at: at, start: start, end: end)
    }

    func make() throws -> BudgetWindow {
        try BudgetWindow(period: period, style: style, timeZoneIdentifier: zone, anchorMs: try instant(anchor))
    }
}

struct CycleCase: Sendable, CustomTestStringConvertible {
    var window: WindowSpec
    var at: String
    var start: String
    var end: String?

    var testDescription: String {
        "\(window.style) \(window.period) \(window.zone) from \(window.anchor): \(at) in [\(start), \(end ?? "never"))"
    }
}

/// Unix ms of an ISO-8601 instant with an explicit offset, e.g. "2026-03-29T23:59:59.999+02:00".
func instant(_ text: String) throws -> Int64 {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if text.contains(".") { formatter.formatOptions.insert(.withFractionalSeconds) }
    let date = try #require(formatter.date(from: text), "not an ISO-8601 instant: \(text)")
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
}

private let rollingDaily = WindowSpec(.daily, .rolling, "UTC", anchor: "2026-03-28T12:00:00+01:00")
private let rollingDailyMs = WindowSpec(.daily, .rolling, "UTC", anchor: "2026-01-15T08:30:15.250+01:00")
private let rollingWeekly = WindowSpec(.weekly, .rolling, "UTC", anchor: "2026-12-30T10:00:00Z")
private let rollingMonthly = WindowSpec(.monthly, .rolling, "UTC", anchor: "2028-01-31T00:00:00Z")
private let rollingYearly = WindowSpec(.yearly, .rolling, "UTC", anchor: "2027-06-01T00:00:00Z")
private let rollingNever = WindowSpec(.never, .rolling, "UTC", anchor: "2026-05-01T00:00:00Z")

private let amsDaily = WindowSpec(.daily, .calendar, "Europe/Amsterdam", anchor: "2026-03-28T15:00:00+01:00")
private let amsWeekly = WindowSpec(.weekly, .calendar, "Europe/Amsterdam", anchor: "2026-12-30T10:00:00+01:00")
private let amsWeeklyEarly = WindowSpec(.weekly, .calendar, "Europe/Amsterdam", anchor: "2026-12-01T09:00:00+01:00")
private let amsMonthly = WindowSpec(.monthly, .calendar, "Europe/Amsterdam", anchor: "2028-01-15T08:00:00+01:00")
private let amsYearly = WindowSpec(.yearly, .calendar, "Europe/Amsterdam", anchor: "2026-06-15T12:00:00+02:00")
private let amsNever = WindowSpec(.never, .calendar, "Europe/Amsterdam", anchor: "2026-03-29T01:30:00+01:00")

private let nyDaily = WindowSpec(.daily, .calendar, "America/New_York", anchor: "2026-03-07T20:00:00-05:00")
private let nyDailyMidnight = WindowSpec(.daily, .calendar, "America/New_York", anchor: "2026-11-01T00:00:00-04:00")
private let nyWeekly = WindowSpec(.weekly, .calendar, "America/New_York", anchor: "2026-10-28T09:00:00-04:00")
private let nyMonthly = WindowSpec(.monthly, .calendar, "America/New_York", anchor: "2028-02-10T12:00:00-05:00")
private let nyYearly = WindowSpec(.yearly, .calendar, "America/New_York", anchor: "2026-07-04T12:00:00-04:00")
private let nyNever = WindowSpec(.never, .calendar, "America/New_York", anchor: "2026-07-04T12:00:00-04:00")

@Suite struct BudgetWindowTests {
    // Rolling cycles are fixed lengths of UTC milliseconds; zone offsets in the literals are only
    // another way of writing the same instant.
    static let rolling: [CycleCase] = [
        rollingDaily.at("2026-03-28T12:00:00+01:00", in: "2026-03-28T11:00:00Z", "2026-03-29T11:00:00Z"),
        // 23:59:59.999 after the anchor although Amsterdam's clock moved forward in between.
        rollingDaily.at("2026-03-29T12:59:59.999+02:00", in: "2026-03-28T11:00:00Z", "2026-03-29T11:00:00Z"),
        rollingDaily.at("2026-03-29T11:00:00Z", in: "2026-03-29T11:00:00Z", "2026-03-30T11:00:00Z"),
        rollingDaily.at("2026-04-10T00:00:00Z", in: "2026-04-09T11:00:00Z", "2026-04-10T11:00:00Z"),
        rollingDaily.at("2026-03-01T00:00:00Z", in: "2026-03-28T11:00:00Z", "2026-03-29T11:00:00Z"),
        rollingDailyMs.at("2026-01-20T07:30:15.249Z", in: "2026-01-19T07:30:15.250Z", "2026-01-20T07:30:15.250Z"),
        rollingDailyMs.at("2026-01-20T07:30:15.250Z", in: "2026-01-20T07:30:15.250Z", "2026-01-21T07:30:15.250Z"),

        rollingWeekly.at("2026-12-30T10:00:00Z", in: "2026-12-30T10:00:00Z", "2027-01-06T10:00:00Z"),
        rollingWeekly.at("2027-01-06T09:59:59.999Z", in: "2026-12-30T10:00:00Z", "2027-01-06T10:00:00Z"),
        rollingWeekly.at("2027-01-06T10:00:00Z", in: "2027-01-06T10:00:00Z", "2027-01-13T10:00:00Z"),
        rollingWeekly.at("2027-03-01T00:00:00Z", in: "2027-02-24T10:00:00Z", "2027-03-03T10:00:00Z"),
        rollingWeekly.at("2026-12-29T00:00:00Z", in: "2026-12-30T10:00:00Z", "2027-01-06T10:00:00Z"),

        // 30 days, not a calendar month: from 31 January the first cycle ends on 1 March (leap year).
        rollingMonthly.at("2028-01-31T00:00:00Z", in: "2028-01-31T00:00:00Z", "2028-03-01T00:00:00Z"),
        rollingMonthly.at("2028-02-29T23:59:59.999Z", in: "2028-01-31T00:00:00Z", "2028-03-01T00:00:00Z"),
        rollingMonthly.at("2028-03-01T00:00:00Z", in: "2028-03-01T00:00:00Z", "2028-03-31T00:00:00Z"),
        rollingMonthly.at("2028-12-25T00:00:00Z", in: "2028-11-26T00:00:00Z", "2028-12-26T00:00:00Z"),
        rollingMonthly.at("2027-12-31T23:59:59.999Z", in: "2028-01-31T00:00:00Z", "2028-03-01T00:00:00Z"),

        // 365 days: the leap day of 2028 moves later cycles to 31 May.
        rollingYearly.at("2027-06-01T00:00:00Z", in: "2027-06-01T00:00:00Z", "2028-05-31T00:00:00Z"),
        rollingYearly.at("2028-05-30T23:59:59.999Z", in: "2027-06-01T00:00:00Z", "2028-05-31T00:00:00Z"),
        rollingYearly.at("2028-05-31T00:00:00Z", in: "2028-05-31T00:00:00Z", "2029-05-31T00:00:00Z"),
        rollingYearly.at("2031-01-01T00:00:00Z", in: "2030-05-31T00:00:00Z", "2031-05-31T00:00:00Z"),
        rollingYearly.at("1999-01-01T00:00:00Z", in: "2027-06-01T00:00:00Z", "2028-05-31T00:00:00Z"),

        rollingNever.at("2026-05-01T00:00:00Z", in: "2026-05-01T00:00:00Z", nil),
        rollingNever.at("2099-12-31T23:59:59.999Z", in: "2026-05-01T00:00:00Z", nil),
        rollingNever.at("2000-01-01T00:00:00Z", in: "2026-05-01T00:00:00Z", nil),
    ]

    static let amsterdam: [CycleCase] = [
        amsDaily.at("2026-03-28T15:00:00+01:00", in: "2026-03-28T15:00:00+01:00", "2026-03-29T00:00:00+01:00"),
        amsDaily.at("2026-03-28T23:59:59.999+01:00", in: "2026-03-28T15:00:00+01:00", "2026-03-29T00:00:00+01:00"),
        // 29 March 2026 has 23 hours: 02:00 CET becomes 03:00 CEST.
        amsDaily.at("2026-03-29T00:00:00+01:00", in: "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),
        amsDaily.at("2026-03-29T01:59:59.999+01:00", in: "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),
        amsDaily.at("2026-03-29T03:00:00+02:00", in: "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),
        amsDaily.at("2026-03-29T23:59:59.999+02:00", in: "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),
        amsDaily.at("2026-03-30T00:00:00+02:00", in: "2026-03-30T00:00:00+02:00", "2026-03-31T00:00:00+02:00"),
        // 25 October 2026 has 25 hours; both 02:30s belong to it.
        amsDaily.at("2026-10-25T02:30:00+02:00", in: "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),
        amsDaily.at("2026-10-25T02:30:00+01:00", in: "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),
        amsDaily.at("2026-10-25T23:59:59.999+01:00", in: "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),
        amsDaily.at("2026-03-27T10:00:00+01:00", in: "2026-03-28T15:00:00+01:00", "2026-03-29T00:00:00+01:00"),
        amsDaily.at("2026-03-28T09:00:00+01:00", in: "2026-03-28T15:00:00+01:00", "2026-03-29T00:00:00+01:00"),

        // ISO week 53 of 2026 runs Monday 28 December to Sunday 3 January 2027.
        amsWeekly.at("2026-12-30T10:00:00+01:00", in: "2026-12-30T10:00:00+01:00", "2027-01-04T00:00:00+01:00"),
        amsWeekly.at("2027-01-03T23:59:59.999+01:00", in: "2026-12-30T10:00:00+01:00", "2027-01-04T00:00:00+01:00"),
        amsWeekly.at("2027-01-04T00:00:00+01:00", in: "2027-01-04T00:00:00+01:00", "2027-01-11T00:00:00+01:00"),
        // The week of the 2027 spring change is 167 hours long.
        amsWeekly.at("2027-03-28T12:00:00+02:00", in: "2027-03-22T00:00:00+01:00", "2027-03-29T00:00:00+02:00"),
        amsWeekly.at("2026-12-28T00:00:00+01:00", in: "2026-12-30T10:00:00+01:00", "2027-01-04T00:00:00+01:00"),
        amsWeeklyEarly.at(
            "2026-12-27T23:59:59.999+01:00", in: "2026-12-21T00:00:00+01:00", "2026-12-28T00:00:00+01:00"),
        amsWeeklyEarly.at("2026-12-28T00:00:00+01:00", in: "2026-12-28T00:00:00+01:00", "2027-01-04T00:00:00+01:00"),
        amsWeeklyEarly.at("2027-01-01T12:00:00+01:00", in: "2026-12-28T00:00:00+01:00", "2027-01-04T00:00:00+01:00"),
        amsWeeklyEarly.at(
            "2026-12-01T08:59:59.999+01:00", in: "2026-12-01T09:00:00+01:00", "2026-12-07T00:00:00+01:00"),

        amsMonthly.at("2028-01-15T08:00:00+01:00", in: "2028-01-15T08:00:00+01:00", "2028-02-01T00:00:00+01:00"),
        amsMonthly.at("2028-01-31T23:59:59.999+01:00", in: "2028-01-15T08:00:00+01:00", "2028-02-01T00:00:00+01:00"),
        amsMonthly.at("2028-02-01T00:00:00+01:00", in: "2028-02-01T00:00:00+01:00", "2028-03-01T00:00:00+01:00"),
        amsMonthly.at("2028-02-29T23:59:59.999+01:00", in: "2028-02-01T00:00:00+01:00", "2028-03-01T00:00:00+01:00"),
        amsMonthly.at("2028-03-01T00:00:00+01:00", in: "2028-03-01T00:00:00+01:00", "2028-04-01T00:00:00+02:00"),
        amsMonthly.at("2028-10-29T12:00:00+01:00", in: "2028-10-01T00:00:00+02:00", "2028-11-01T00:00:00+01:00"),
        amsMonthly.at("2029-02-28T23:59:59.999+01:00", in: "2029-02-01T00:00:00+01:00", "2029-03-01T00:00:00+01:00"),
        amsMonthly.at("2027-12-31T23:00:00+01:00", in: "2028-01-15T08:00:00+01:00", "2028-02-01T00:00:00+01:00"),

        // New year in Amsterdam is 23:00 UTC on 31 December.
        amsYearly.at("2026-06-15T12:00:00+02:00", in: "2026-06-15T12:00:00+02:00", "2027-01-01T00:00:00+01:00"),
        amsYearly.at("2026-12-31T23:59:59.999+01:00", in: "2026-06-15T12:00:00+02:00", "2027-01-01T00:00:00+01:00"),
        amsYearly.at("2027-01-01T00:00:00+01:00", in: "2027-01-01T00:00:00+01:00", "2028-01-01T00:00:00+01:00"),
        amsYearly.at("2026-12-31T23:30:00Z", in: "2027-01-01T00:00:00+01:00", "2028-01-01T00:00:00+01:00"),
        amsYearly.at("2030-07-01T00:00:00+02:00", in: "2030-01-01T00:00:00+01:00", "2031-01-01T00:00:00+01:00"),
        amsYearly.at("2020-01-01T00:00:00+01:00", in: "2026-06-15T12:00:00+02:00", "2027-01-01T00:00:00+01:00"),

        amsNever.at("2026-03-29T01:30:00+01:00", in: "2026-03-29T01:30:00+01:00", nil),
        amsNever.at("2126-01-01T00:00:00+01:00", in: "2026-03-29T01:30:00+01:00", nil),
        amsNever.at("2025-01-01T00:00:00+01:00", in: "2026-03-29T01:30:00+01:00", nil),
    ]

    static let newYork: [CycleCase] = [
        nyDaily.at("2026-03-07T20:00:00-05:00", in: "2026-03-07T20:00:00-05:00", "2026-03-08T00:00:00-05:00"),
        // Already the 8th in UTC, still the 7th in New York.
        nyDaily.at("2026-03-08T02:00:00Z", in: "2026-03-07T20:00:00-05:00", "2026-03-08T00:00:00-05:00"),
        nyDaily.at("2026-03-07T23:59:59.999-05:00", in: "2026-03-07T20:00:00-05:00", "2026-03-08T00:00:00-05:00"),
        // 8 March 2026 has 23 hours: 02:00 EST becomes 03:00 EDT.
        nyDaily.at("2026-03-08T00:00:00-05:00", in: "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"),
        nyDaily.at("2026-03-08T01:59:59.999-05:00", in: "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"),
        nyDaily.at("2026-03-08T03:00:00-04:00", in: "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"),
        nyDaily.at("2026-03-08T23:59:59.999-04:00", in: "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"),
        nyDaily.at("2026-03-09T00:00:00-04:00", in: "2026-03-09T00:00:00-04:00", "2026-03-10T00:00:00-04:00"),
        // 1 November 2026 has 25 hours; both 01:30s belong to it.
        nyDaily.at("2026-11-01T01:30:00-04:00", in: "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"),
        nyDaily.at("2026-11-01T01:30:00-05:00", in: "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"),
        nyDaily.at("2026-11-01T23:59:59.999-05:00", in: "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"),
        nyDaily.at("2026-11-02T00:00:00-05:00", in: "2026-11-02T00:00:00-05:00", "2026-11-03T00:00:00-05:00"),
        nyDaily.at("2026-03-07T08:00:00-05:00", in: "2026-03-07T20:00:00-05:00", "2026-03-08T00:00:00-05:00"),
        nyDailyMidnight.at(
            "2026-10-31T23:59:59.999-04:00", in: "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"),
        nyDailyMidnight.at("2026-11-01T00:00:00-04:00", in: "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"),

        // The week of the autumn change is 169 hours long.
        nyWeekly.at("2026-10-28T09:00:00-04:00", in: "2026-10-28T09:00:00-04:00", "2026-11-02T00:00:00-05:00"),
        nyWeekly.at("2026-11-01T23:59:59.999-05:00", in: "2026-10-28T09:00:00-04:00", "2026-11-02T00:00:00-05:00"),
        nyWeekly.at("2026-11-02T00:00:00-05:00", in: "2026-11-02T00:00:00-05:00", "2026-11-09T00:00:00-05:00"),
        nyWeekly.at("2027-01-01T12:00:00-05:00", in: "2026-12-28T00:00:00-05:00", "2027-01-04T00:00:00-05:00"),
        // Monday in UTC, still Sunday in New York.
        nyWeekly.at("2027-01-04T03:00:00Z", in: "2026-12-28T00:00:00-05:00", "2027-01-04T00:00:00-05:00"),
        nyWeekly.at("2027-01-03T23:59:59.999-05:00", in: "2026-12-28T00:00:00-05:00", "2027-01-04T00:00:00-05:00"),
        nyWeekly.at("2027-01-04T00:00:00-05:00", in: "2027-01-04T00:00:00-05:00", "2027-01-11T00:00:00-05:00"),
        nyWeekly.at("2026-10-26T00:00:00-04:00", in: "2026-10-28T09:00:00-04:00", "2026-11-02T00:00:00-05:00"),

        nyMonthly.at("2028-02-10T12:00:00-05:00", in: "2028-02-10T12:00:00-05:00", "2028-03-01T00:00:00-05:00"),
        nyMonthly.at("2028-02-29T23:59:59.999-05:00", in: "2028-02-10T12:00:00-05:00", "2028-03-01T00:00:00-05:00"),
        // Already March in UTC, still the leap day in New York.
        nyMonthly.at("2028-03-01T03:00:00Z", in: "2028-02-10T12:00:00-05:00", "2028-03-01T00:00:00-05:00"),
        nyMonthly.at("2028-03-01T00:00:00-05:00", in: "2028-03-01T00:00:00-05:00", "2028-04-01T00:00:00-04:00"),
        nyMonthly.at("2028-11-15T00:00:00-05:00", in: "2028-11-01T00:00:00-04:00", "2028-12-01T00:00:00-05:00"),
        nyMonthly.at("2028-01-31T00:00:00-05:00", in: "2028-02-10T12:00:00-05:00", "2028-03-01T00:00:00-05:00"),

        nyYearly.at("2026-07-04T12:00:00-04:00", in: "2026-07-04T12:00:00-04:00", "2027-01-01T00:00:00-05:00"),
        nyYearly.at("2026-12-31T23:59:59.999-05:00", in: "2026-07-04T12:00:00-04:00", "2027-01-01T00:00:00-05:00"),
        // New year in UTC, still 2026 in New York.
        nyYearly.at("2027-01-01T00:00:00Z", in: "2026-07-04T12:00:00-04:00", "2027-01-01T00:00:00-05:00"),
        nyYearly.at("2027-01-01T00:00:00-05:00", in: "2027-01-01T00:00:00-05:00", "2028-01-01T00:00:00-05:00"),
        nyYearly.at("2029-03-11T12:00:00-04:00", in: "2029-01-01T00:00:00-05:00", "2030-01-01T00:00:00-05:00"),
        nyYearly.at("2026-01-01T00:00:00-05:00", in: "2026-07-04T12:00:00-04:00", "2027-01-01T00:00:00-05:00"),

        nyNever.at("2026-07-04T12:00:00-04:00", in: "2026-07-04T12:00:00-04:00", nil),
        nyNever.at("2526-07-04T12:00:00-04:00", in: "2026-07-04T12:00:00-04:00", nil),
        nyNever.at("1970-01-01T00:00:00Z", in: "2026-07-04T12:00:00-04:00", nil),
    ]

    @Test(arguments: rolling + amsterdam + newYork)
    func cycleContaining(_ row: CycleCase) throws {
        let window = try row.window.make()
        let expected = BudgetCycle(startMs: try instant(row.start), endMs: try row.end.map(instant))
        #expect(window.cycle(containing: try instant(row.at)) == expected)
    }

    /// Walks three years of cycles: each starts where the previous ended and owns its last
    /// millisecond, so no instant falls between cycles or in two of them.
    @Test(
        arguments: [BudgetPeriod.daily, .weekly, .monthly, .yearly], ["UTC", "Europe/Amsterdam", "America/New_York"])
    func cyclesTileTime(period: BudgetPeriod, zone: String) throws {
        for style in BudgetWindowStyle.allCases {
            let window = try BudgetWindow(
                period: period, style: style, timeZoneIdentifier: zone, anchorMs: try instant("2026-02-17T13:45:00Z"))
            var cycle = window.cycle(containing: window.anchorMs)
            #expect(cycle.startMs == window.anchorMs)
            let stop = try instant("2029-02-17T13:45:00Z")
            while let end = cycle.endMs, end < stop {
                #expect(window.cycle(containing: end - 1) == cycle)
                let next = window.cycle(containing: end)
                #expect(next.startMs == end)
                #expect(try #require(next.endMs) > end)
                cycle = next
            }
        }
    }

    @Test(arguments: BudgetWindowStyle.allCases)
    func neverNeverEnds(style: BudgetWindowStyle) throws {
        let window = try BudgetWindow(
            period: .never, style: style, timeZoneIdentifier: "America/New_York", anchorMs: 1_780_000_000_000)
        for at: Int64 in [.min, 0, 1_780_000_000_000, 4_102_444_800_000, .max] {
            #expect(window.cycle(containing: at) == BudgetCycle(startMs: 1_780_000_000_000, endMs: nil))
        }
    }

    @Test(arguments: [
        "Mars/Olympus_Mons", "", "europe/amsterdam", "America/New_York ", "Europe/" + String(repeating: "X", count: 58),
    ])
    func unknownTimeZonesAreRefused(zone: String) {
        for style in BudgetWindowStyle.allCases {
            let error = #expect(throws: ValidationError.self) {
                try BudgetWindow(period: .daily, style: style, timeZoneIdentifier: zone, anchorMs: 0)
            }
            #expect(error?.field == "time_zone")
        }
    }

    @Test func rollingWindowsIgnoreTheZone() throws {
        let anchor: Int64 = 1_780_000_000_000
        let inAmsterdam = try BudgetWindow(
            period: .daily, style: .rolling, timeZoneIdentifier: "Europe/Amsterdam", anchorMs: anchor)
        #expect(inAmsterdam.timeZoneIdentifier == "UTC")
        #expect(inAmsterdam == (try BudgetWindow(period: .daily, style: .rolling, anchorMs: anchor)))
    }

    @Test func calendarWindowsKeepTheZoneAsGiven() throws {
        // Linux Foundation names TimeZone(identifier: "UTC") "GMT"; the window must not.
        #expect(try BudgetWindow(period: .daily, style: .calendar, anchorMs: 0).timeZoneIdentifier == "UTC")
        let window = try BudgetWindow(
            period: .weekly, style: .calendar, timeZoneIdentifier: "Europe/Amsterdam", anchorMs: 0)
        #expect(window.timeZoneIdentifier == "Europe/Amsterdam")
    }

    /// Nonsense instants (corrupt events, a broken clock) must not trap; every answer still holds them.
    @Test(arguments: BudgetPeriod.allCases, BudgetWindowStyle.allCases)
    func extremeInstantsDoNotTrap(period: BudgetPeriod, style: BudgetWindowStyle) throws {
        for anchor: Int64 in [.min, 0, 1_780_000_000_000, .max] {
            let window = try BudgetWindow(
                period: period, style: style, timeZoneIdentifier: "Europe/Amsterdam", anchorMs: anchor)
            for at: Int64 in [.min, -1, 0, 1_780_000_000_000, .max] {
                let cycle = window.cycle(containing: at)
                #expect(cycle.startMs <= max(at, anchor))
                #expect(cycle.endMs.map { $0 > max(at, anchor) } ?? true)
            }
        }
    }
}
