/// A calendar date with no time and no time zone ("2026-11-21").
///
/// Core never reads a clock: every date is an input. Arithmetic uses the proleptic Gregorian calendar through a
/// day count, so results are the same on every machine.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Fails (returns nil) for dates that do not exist, such as 31 February.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`. Returns nil for any other shape or for a date that does not exist.
    public init?(iso text: String) {
        // Exactly YYYY-MM-DD in ASCII digits, read from the bytes: dates are parsed by the thousand on every page.
        var text = text
        guard let (y, m, d) = text.withUTF8({ Self.parseISO($0) }) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    private static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return (y, m, d)
    }

    /// Why `text` is not a valid date, in words a person understands; nil when it is valid.
    public static func problem(with text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, parts[1].utf8.count == 2, parts[2].utf8.count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            return "'\(text)' is not a date in the form YYYY-MM-DD"
        }
        guard (1...12).contains(m) else { return "'\(text)' has month \(m); months run from 01 to 12" }
        let max = daysIn(month: m, year: y)
        guard d >= 1, d <= max else {
            return "'\(text)' does not exist: \(monthNames[m - 1]) \(y) has \(max) days"
        }
        guard (1...9999).contains(y) else { return "'\(text)' has an impossible year" }
        return nil
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Adds calendar months; the day is clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> CalendarDate {
        let total = (year * 12 + (month - 1)) + months
        let y = total / 12, m = total % 12 + 1
        let d = Swift.min(day, CalendarDate.daysIn(month: m, year: y))
        return CalendarDate(uncheckedYear: y, month: m, day: d)
    }

    public func adding(years: Int) -> CalendarDate { adding(months: years * 12) }

    public func days(until other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    /// Whole years from `self` (a birth date) to `date`: a person's age on `date`.
    /// Someone born on 29 February has their birthday on 28 February in other years.
    public func age(on date: CalendarDate) -> Int {
        var years = date.year - year
        if adding(years: years) > date { years -= 1 }
        return years
    }

    /// The date of the `n`th birthday of someone born on `self`.
    public func birthday(_ n: Int) -> CalendarDate { adding(years: n) }

    private init(uncheckedYear y: Int, month m: Int, day d: Int) {
        year = y
        month = m
        day = d
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    public var iso: String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    /// "4 May 2027": the form used in messages to people.
    public var long: String { "\(day) \(CalendarDate.monthNames[month - 1]) \(year)" }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: CalendarDate.problem(with: text) ?? "'\(text)' is not a date")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
