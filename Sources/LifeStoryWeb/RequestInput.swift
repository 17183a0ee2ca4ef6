import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

// The edge of the web app: every number, id and text a request carries is checked here before any handler, any
// arithmetic or any range uses it. A Swift trap cannot be caught, and it would stop the server for every user, so
// nothing from a request reaches `Int(...)`, a range or an index without passing through these.

/// Whole numbers from a request (path, query, form): at most nine digits, never negative unless the range allows,
/// always inside the range the caller names. Anything else is "not a number" to the caller.
enum RequestNumber {
    /// Nine digits: no value a request carries can overflow `Int` in any arithmetic we do with it.
    static let maxDigits = 9

    /// The number `raw` spells, if it is one inside `range`: ASCII digits with an optional leading minus sign.
    static func parse(_ raw: (some StringProtocol)?, in range: ClosedRange<Int>) -> Int? {
        guard let raw else { return nil }
        let text = raw.trimmingCharacters(in: .whitespaces)
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= maxDigits, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let magnitude = Int(digits) else { return nil }
        let n = negative ? -magnitude : magnitude
        return range.contains(n) ? n : nil
    }

    /// A query parameter: absent means `default`; present but not a number in range is a 400 naming it.
    static func query(_ request: Request, _ name: String, in range: ClosedRange<Int>, label: String, default value: Int?) throws -> Int? {
        let all = request.uri.queryParameters.getAll(name)
        guard let raw = all.first else { return value }
        guard all.count == 1 else { throw PageError.badRequest("The address gives \(label) more than once. Use the links on the page.") }
        guard let n = parse(raw, in: range) else {
            throw PageError.badRequest("The address's \(label) must be a whole number from \(range.lowerBound) to \(range.upperBound.formatted()). Use the links on the page.")
        }
        return n
    }

    /// The plan revision a form was based on: a 400 if it is missing or not a revision.
    static func revision(_ form: FormData?) throws -> Int {
        guard let n = parse(form?["_revision"], in: 0...Int(Int32.max)) else {
            throw PageError.badRequest("The form is missing the plan's revision. Reload the page and try again.")
        }
        return n
    }

    /// A list position in a path (`/s/people/3`): not a position in 0...999 is "not found".
    static func index(_ raw: String) throws -> Int {
        guard let n = parse(raw, in: 0...999) else { throw PageError.notFound() }
        return n
    }
}

/// Limits on what a request may carry, and the checks on every form field.
enum RequestLimits {
    /// The largest body any request may send (413 above it, refused before it is read).
    static let maxBody = 1_048_576
    /// The most fields one form may post (a full plan section posts a few hundred).
    static let maxFields = 4_000
    /// The longest field name the forms use is under 60 characters.
    static let maxNameLength = 200
    /// The longest value of any field: free text (notes, a journal entry, views) is at most this many characters.
    static let maxValueLength = 10_000
    /// Characters allowed in free text besides letters, marks, numbers, punctuation, symbols and spaces.
    static let allowedControls: Set<Unicode.Scalar> = ["\n", "\r", "\t"]

    /// The first problem with a posted form, as words that name the field; nil when the form is acceptable.
    static func problem(_ form: FormData) -> String? {
        if form.values.count > maxFields { return "The form sent more than \(maxFields.formatted()) fields, which no page of Lifestory has." }
        for (name, value) in form.values {
            let field = FieldNames.words(name)
            if name.count > maxNameLength || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return "The form sent a field this page does not have."
            }
            if value.count > maxValueLength {
                return "\(field) is too long: at most \(maxValueLength.formatted()) characters, and this was \(value.count.formatted())."
            }
            if let bad = value.unicodeScalars.first(where: { isRefused($0) }) {
                let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
                return "\(field) contains a character that cannot be saved (an invisible control character, \(code)). Remove it and try again."
            }
        }
        return nil
    }

    /// Control characters (NUL, escape, ...) other than line breaks and tabs; unpaired surrogates cannot reach here.
    static func isRefused(_ u: Unicode.Scalar) -> Bool {
        u.properties.generalCategory == .control && !allowedControls.contains(u)
    }
}

/// Field names as people read them: `arrangements.0.frequency.count` -> "Frequency count (item 1)".
enum FieldNames {
    static func words(_ name: String) -> String {
        let parts = name.split(separator: ".").map(String.init)
        let position = parts.compactMap { RequestNumber.parse($0, in: 0...999) }.last
        let words = parts.filter { RequestNumber.parse($0, in: 0...999) == nil && !$0.hasPrefix("_") }.suffix(2).map(spaced)
        var out = words.joined(separator: " ").lowercased()
        if out.isEmpty { out = "a field" }
        out = out.prefix(1).uppercased() + out.dropFirst()
        if let position { out += " (item \(position + 1))" }
        return "“\(out)”"
    }

    /// `knownAs` -> "known as".
    static func spaced(_ key: String) -> String {
        var out = ""
        for ch in key.prefix(60) {
            if ch.isUppercase, !out.isEmpty { out.append(" ") }
            out.append(ch.isLetter || ch.isNumber ? ch : " ")
        }
        return out
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// Refuses a body declared larger than the limit before reading a byte of it, and any request whose declared
/// length is not a number.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let lengths = request.headers[values: .contentLength]
        if !lengths.isEmpty {
            let declared = lengths.first?.trimmingCharacters(in: .whitespaces) ?? ""
            guard lengths.count == 1, !declared.isEmpty, declared.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw PageError.badRequest("The request's length could not be read. Nothing was saved.")
            }
            // More digits than a 32-bit length has is over the limit too.
            if declared.count > RequestNumber.maxDigits || (RequestNumber.parse(declared, in: 0...Int.max) ?? Int.max) > RequestLimits.maxBody {
                throw HTTPError(.contentTooLarge)
            }
        }
        return try await next(request, context)
    }
}
