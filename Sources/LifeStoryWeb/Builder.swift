import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

// The plan builder's forms: how a field is drawn (its kind, label and hint) and the words for codes. The sections
// themselves, typed over the plan's Core types, are in BuilderSections.swift; the engine in TypedFields.swift.

indirect enum FieldKind: Sendable {
    case text
    case textarea
    case date
    case number
    case checkbox
    /// One value per line.
    case lines
    case select([(value: String, label: String)])
    /// A person in the plan, optionally only those with these roles.
    case person(roles: Set<PersonRole>?)
    /// Several people, as checkboxes.
    case people(roles: Set<PersonRole>?)
    /// Several of a fixed set of choices, as checkboxes (stored as an array of codes).
    case multi([(value: String, label: String)])
    /// A choice among the plan's own things (its orders, its cards), with the words for none.
    case dynamic(none: String, @Sendable (Plan) -> [(value: String, label: String)])
    /// A nested object.
    case object([FieldSpec])
    /// A list of objects, shown as a number of blank rows after the existing ones.
    case objects([FieldSpec], spare: Int, noun: String)
}

struct FieldSpec: Sendable {
    /// The JSON key, dotted for nesting (`name.given`).
    var key: String
    var label: String
    var hint: String?
    var kind: FieldKind
    var required: Bool = false
    /// A required field whose new item starts with the new value's own default, not empty.
    var keepsDefault = false

    init(_ key: String, _ label: String, hint: String? = nil, _ kind: FieldKind = .text, required: Bool = false) {
        self.key = key
        self.label = label
        self.hint = hint
        self.kind = kind
        self.required = required
    }
}

/// A field as the form template draws it.
struct FieldView {
    var id: String
    var name: String
    var label: String
    var hint: String
    var error: String
    var hasHint: Bool
    var hasError: Bool
    var value: String
    var isText = false, isTextarea = false, isDate = false, isNumber = false, isCheckbox = false, isSelect = false
    var isCheckboxes = false, isGroup = false
    var checked = false
    var options: [OptionView] = []
    var rows: [GroupRow] = []
    var describedBy = ""
    var hasDescribedBy = false
    var required = false
    /// A date's three boxes (GOV.UK date input): the names they post and the values they show.
    var dayName = "", monthName = "", yearName = ""
    var dayValue = "", monthValue = "", yearValue = ""
    /// The box an error is about, marked invalid: day, month or year.
    var dayInvalid = false, monthInvalid = false, yearInvalid = false
}

struct OptionView {
    var value: String
    var label: String
    var selected: Bool
    var id: String
}

struct GroupRow {
    var legend: String
    var fields: [FieldView]
    var hasLegend: Bool

    init(legend: String, fields: [FieldView]) {
        self.legend = legend
        self.fields = fields
        hasLegend = !legend.isEmpty
    }
}

enum Choices {
    static func of<E: CodedEnum>(_ type: E.Type, label: (E) -> String = { humanise($0.rawValue) }) -> FieldKind {
        .select(E.allCases.map { ($0.rawValue, label($0)) })
    }

    /// The words for a code (kept in LifeStoryCore's `CodeWords`, which the guides and the panel pack use too).
    static func humanise(_ raw: String) -> String { CodeWords.humanise(raw) }
    static func orderTitle(_ order: OrderType) -> String { CodeWords.orderTitle(order) }
}

/// Counts and articles in grammar: "1 order", "2 contingencies", "6 people", "an arrangement".
enum Grammar {
    static let plurals = ["person": "people", "contingency": "contingencies", "child": "children", "views": "views",
                          "decisions": "decisions"]

    static func plural(_ noun: String) -> String { plurals[noun] ?? noun + "s" }

    static func count(_ n: Int, _ noun: String) -> String { "\(n.formatted()) \(n == 1 ? noun : plural(noun))" }

    /// "a person", "an order", "an arrangement".
    static func withArticle(_ noun: String) -> String {
        guard let first = noun.lowercased().first else { return noun }
        return ("aeio".contains(first) ? "an " : "a ") + noun
    }
}

/// Dates typed in one box (the journal, panel meetings) and the field a finding points at.
enum FormReader {
    static func fieldID(_ name: String) -> String { Engine.fieldID(name) }

    /// ISO dates, and day/month/year as people type them.
    static func parseDate(_ raw: String) -> CalendarDate? { Engine.parseDate(raw) }

    /// A stored date as a one-box date field shows it: day/month/year, as people type it.
    static func dateInput(_ iso: String) -> String {
        guard let d = CalendarDate(iso: iso) else { return iso }
        return "\(d.day)/\(d.month)/\(d.year)"
    }

    /// The field id a finding's path points at, within an item (`arrangements[1].mode` -> `f-mode`).
    static func fieldID(forFindingPath path: String, itemPrefix: String, fields: [FieldSpec]) -> String? {
        guard path.hasPrefix(itemPrefix) else { return nil }
        var rest = String(path.dropFirst(itemPrefix.count))
        if rest.hasPrefix(".") { rest.removeFirst() }
        guard !rest.isEmpty else { return nil }
        // `responders[0].phone` -> `responders.0.phone`
        let dotted = rest.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
        let keys = fields.map(\.key)
        if let top = dotted.split(separator: ".").first, keys.contains(String(top)) {
            let parts = dotted.split(separator: ".").map(String.init)
            // Point at the deepest field the form has: a nested field if it exists, else the group.
            if parts.count >= 3, let field = fields.first(where: { $0.key == parts[0] }), case .objects(let sub, _, _) = field.kind,
               sub.contains(where: { $0.key == parts[2] }) {
                return fieldID("\(parts[0]).\(parts[1]).\(parts[2])")
            }
            if parts.count >= 2, let field = fields.first(where: { $0.key == parts[0] }), case .object(let sub) = field.kind,
               sub.contains(where: { $0.key == parts[1] }) {
                return fieldID("\(parts[0]).\(parts[1])")
            }
            return fieldID(parts[0])
        }
        return nil
    }
}
