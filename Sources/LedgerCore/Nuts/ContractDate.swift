import Foundation

/// The dates inside a Nuts login contract, in the node's Go layout `Monday, 2 January 2006 15:04:05`:
/// weekday name, comma, day without leading zero, full month name, 4-digit year, 24-hour time, no
/// zone. The names come from our own tables, not from `DateFormatter` locales, because those differ
/// between Foundation on macOS and on Linux and the text must match the node character for character.
enum ContractDate {
    /// The names of one language, weekdays from Sunday (Foundation's weekday 1), months from January.
    struct Names: Sendable {
        let weekdays: [String]
        let months: [String]
    }

    static let english = Names(
        weekdays: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        months: [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ])

    /// The node's `nl_NL` locale (monday's tables): lowercase, as Dutch writes them.
    static let dutch = Names(
        weekdays: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        months: [
            "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december",
        ])

    static func names(language: String) -> Names { language == "NL" ? dutch : english }

    /// `unixMs` as the node writes it in `timeZone`. Go formats whole seconds, so the milliseconds are
    /// dropped (rounded down, also before 1970).
    static func format(unixMs: Int64, timeZone: TimeZone, names: Names) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let seconds = floorDiv(unixMs, 1000)
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekday = names.weekdays[(parts.weekday ?? 1) - 1]
        let month = names.months[(parts.month ?? 1) - 1]
        return "\(weekday), \(parts.day ?? 0) \(month) \(pad(parts.year ?? 0, 4)) "
            + "\(pad(parts.hour ?? 0, 2)):\(pad(parts.minute ?? 0, 2)):\(pad(parts.second ?? 0, 2))"
    }

    /// Reads a date written in the layout back, as a local time in `timeZone`. Weekday and month names
    /// may be English or Dutch, in any case (the node reads both). Stricter than the node on purpose:
    /// the weekday must be the date's weekday (Go checks only its spelling), and no fractional seconds.
    /// Returns nil when the text is not such a date.
    static func parse(_ text: String, timeZone: TimeZone) -> Int64? {
        // ASCII digits only: `\d` would also take other scripts' digits.
        let layout = #/([A-Za-z]+), ([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4}) ([0-9]{1,2}):([0-9]{2}):([0-9]{2})/#
        guard let match = text.wholeMatch(of: layout) else { return nil }
        let (_, weekdayText, dayText, monthText, yearText, hourText, minuteText, secondText) = match.output
        guard let month = index(of: monthText, in: \.months), let weekday = index(of: weekdayText, in: \.weekdays),
            let day = Int(dayText), let year = Int(yearText), let hour = Int(hourText), let minute = Int(minuteText),
            let second = Int(secondText)
        else { return nil }
        let monthNumber = month + 1
        guard (1...daysIn(month: monthNumber, year: year)).contains(day), hour < 24, minute < 60, second < 60 else {
            return nil
        }
        let days = daysFromCivil(year: year, month: monthNumber, day: day)
        // 1970-01-01 was a Thursday (weekday index 4 from Sunday).
        guard Int(floorMod(days + 4, 7)) == weekday else { return nil }
        let localSeconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return utcSeconds(fromLocal: localSeconds, timeZone: timeZone) * 1000
    }

    /// Go's `time.Date` rule for a local time that occurs twice (autumn) or never (spring): take the
    /// offset in force at the local time read as UTC, and if the resulting instant lies in another
    /// period, that period's offset. So 02:30 on the autumn night is the second one (CET), and 02:30
    /// on the spring night is 03:30 CEST, as the node reads them.
    private static func utcSeconds(fromLocal localSeconds: Int64, timeZone: TimeZone) -> Int64 {
        func offset(_ seconds: Int64) -> Int64 {
            Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
        var zoneOffset = offset(localSeconds)
        let corrected = offset(localSeconds - zoneOffset)
        if corrected != zoneOffset { zoneOffset = corrected }
        return localSeconds - zoneOffset
    }

    private static func index(of name: Substring, in table: KeyPath<Names, [String]>) -> Int? {
        let lowered = name.lowercased()
        for names in [english, dutch] {
            if let found = names[keyPath: table].firstIndex(where: { $0.lowercased() == lowered }) { return found }
        }
        return nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
