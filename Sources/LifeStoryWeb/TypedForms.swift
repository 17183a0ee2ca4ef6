import Foundation
import Hummingbird
import LifeStoryCore

// Typed forms: a posted body becomes a `Decodable` value at the edge (Hummingbird's `URLEncodedFormDecoder`), every
// field a string as typed, then each is checked and turned into the plan's own types with a message that names the
// field. Lists are maps keyed by row (`rows[r0][given]`), so the rows are the ones posted, never a count.

enum TypedForm {
    /// Reads a form into its type. A body the decoder cannot read (a key repeated, a list where a value belongs)
    /// is refused as a whole: nothing is saved.
    static func decode<T: Decodable>(_ type: T.Type, from form: FormData?) throws -> T {
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: form?.body ?? "")
        } catch let error as URLEncodedFormError {
            throw PageError.badRequest("The form could not be read (\(error.value.prefix(60))): a field was sent twice or in the wrong shape. Nothing was saved. Go back, reload the page and try again.")
        } catch {
            throw PageError.badRequest("The form could not be read: a field was sent in the wrong shape. Nothing was saved. Go back, reload the page and try again.")
        }
    }

    /// The rows of a list in the order the page drew them (`r0`, `r1`, ...). A row key outside that pattern is
    /// refused rather than guessed at.
    static func rows<Row>(_ map: [String: Row]?) throws -> [(key: String, row: Row)] {
        let rows = try (map ?? [:]).map { key, row -> (Int, String, Row) in
            guard key.hasPrefix("r"), let n = RequestNumber.parse(key.dropFirst(), in: 0...199) else {
                throw PageError.badRequest("The form's rows could not be read ('\(key.prefix(20))' is not a row). Nothing was saved.")
            }
            return (n, key, row)
        }
        return rows.sorted { $0.0 < $1.0 }.map { (key: $0.1, row: $0.2) }
    }

    /// A typed value, trimmed, or nil when nothing was typed.
    static func text(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    /// A ticked checkbox sends its value; an unticked one sends nothing.
    static func ticked(_ s: String?) -> Bool { s == "true" || s == "yes" || s == "on" }

    /// Lines typed in a text area, each trimmed, blanks dropped.
    static func lines(_ s: String?) -> [String] {
        (s ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A date as three boxes, day, month and year, as the GOV.UK Design System asks for it, with its messages.
struct DateParts: Decodable, Sendable, Equatable {
    var day: String?
    var month: String?
    var year: String?

    init(day: String? = nil, month: String? = nil, year: String? = nil) {
        self.day = day
        self.month = month
        self.year = year
    }

    init(_ date: CalendarDate?) {
        self.init(day: date.map { String($0.day) }, month: date.map { String($0.month) }, year: date.map { String($0.year) })
    }

    var isEmpty: Bool { [day, month, year].allSatisfy { TypedForm.text($0) == nil } }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// The date, nil when nothing was typed; or the message to show beside the boxes, naming the field by its label
    /// ("Date of birth must include a month"; "31 November 2026 does not exist: November has 30 days").
    func parse(_ label: String) -> Result<CalendarDate?, DateProblem> {
        let d = TypedForm.text(day), m = TypedForm.text(month), y = TypedForm.text(year)
        if d == nil && m == nil && y == nil { return .success(nil) }
        let missing = [(d, "day"), (m, "month"), (y, "year")].filter { $0.0 == nil }.map(\.1)
        if !missing.isEmpty {
            let words = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
            return .failure(DateProblem(message: "\(label) must include a \(words)", part: missing[0]))
        }
        // A month may be typed as a word or its first three letters.
        let monthNumber: Int? = RequestNumber.parse(m!, in: 1...12) ?? Self.monthNames.firstIndex {
            $0.lowercased() == m!.lowercased() || $0.lowercased().prefix(3) == m!.lowercased()
        }.map { $0 + 1 }
        guard let dn = RequestNumber.parse(d!, in: 1...31) else {
            return .failure(DateProblem(message: "\(label) must be a real date: the day is a number from 1 to 31", part: "day"))
        }
        guard let mn = monthNumber else {
            return .failure(DateProblem(message: "\(label) must be a real date: the month is a number from 1 to 12", part: "month"))
        }
        guard y!.count == 4, let yn = RequestNumber.parse(y!, in: 1900...2200) else {
            return .failure(DateProblem(message: "Year must include 4 numbers, like 2026", part: "year"))
        }
        guard let date = CalendarDate(year: yn, month: mn, day: dn) else {
            let name = Self.monthNames[mn - 1]
            let days = (1...31).last { CalendarDate(year: yn, month: mn, day: $0) != nil } ?? 28
            let why = mn == 2 && dn == 29 ? "\(yn) is not a leap year" : "\(name) has \(days) days"
            return .failure(DateProblem(message: "\(dn) \(name) \(yn) does not exist: \(why)", part: "day"))
        }
        return .success(date)
    }
}

struct DateProblem: Error, Equatable {
    var message: String
    /// The box to put the cursor in: day, month or year.
    var part: String
}
