import LifeStoryCore
import PropertyBased
import Testing

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("real dates parse; impossible ones do not", arguments: [
        ("2024-02-29", true), ("2025-02-29", false), ("2026-02-31", false), ("2026-04-31", false),
        ("2026-13-01", false), ("2026-00-10", false), ("26-01-01", false), ("2026-1-01", false), ("2026-12-31", true),
        ("２０２６-01-01", false), ("2026-01-0١", false), ("2026–01-01", false), (" 2026-01-01", false), ("2026-01-01\n", false),
        ("2026-01-01-", false), ("2026/01/01", false), ("+026-01-01", false), ("", false), ("2026-01-1a", false),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((CalendarDate(iso: text) != nil) == valid)
        #expect((CalendarDate.problem(with: text) == nil) == valid)
    }

    @Test func thirtyFirstFebruaryIsExplained() {
        #expect(CalendarDate.problem(with: "2026-02-31") == "'2026-02-31' does not exist: February 2026 has 28 days")
    }

    @Test func monthsClampToTheEndOfShortMonths() {
        let jan31 = CalendarDate(year: 2026, month: 1, day: 31)
        #expect(jan31?.adding(months: 1).iso == "2026-02-28")
        #expect(CalendarDate(year: 2024, month: 1, day: 31)?.adding(months: 1).iso == "2024-02-29")
        #expect(jan31?.adding(months: -2).iso == "2025-11-30")
    }

    @Test func agesCountWholeYearsAndLeapDayBirthdays() throws {
        let leap = try #require(CalendarDate(iso: "2012-02-29"))
        #expect(leap.age(on: try #require(CalendarDate(iso: "2025-02-27"))) == 12)
        #expect(leap.age(on: try #require(CalendarDate(iso: "2025-02-28"))) == 13)
        let dob = try #require(CalendarDate(iso: "2016-03-10"))
        #expect(dob.age(on: try #require(CalendarDate(iso: "2029-03-09"))) == 12)
        #expect(dob.age(on: try #require(CalendarDate(iso: "2029-03-10"))) == 13)
    }

    @Test func dayNumbersRoundTrip() async {
        await propertyCheck(input: Gen.int(in: -200_000...2_900_000)) { n in
            let d = CalendarDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(CalendarDate(iso: d.iso) == d)
            #expect(d.adding(days: 1) > d)
        }
    }
}
