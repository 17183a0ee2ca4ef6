import Foundation
import LifeStoryCore

// Typed forms for the builder: each field of a section is bound to a property of the plan's Core type by a key
// path, so a posted form is read straight into `Person`, `LegalOrder`, `ContactArrangement`... and a page is drawn
// straight from them. Only the fields a form shows are ever written; everything else in the value is kept as it is.
// Field names are the Core types' own (`name.given`, `conditions.0.text`), so a finding's path points at its field.

/// A field's value, typed, between the form and the model.
enum FieldValue: Equatable, Sendable {
    case text(String?)
    case date(CalendarDate?)
    case number(Int?)
    case flag(Bool?)
    case list([String])
}

/// One field of a typed form over `Model`.
struct FormField<Model>: @unchecked Sendable {
    /// How the field is drawn: its key, label, hint, kind and whether it is required.
    let spec: FieldSpec
    let binding: Binding

    enum Binding {
        case leaf(get: (Model) -> FieldValue, set: (inout Model, FieldValue) -> Void)
        case nested(Nested<Model>)
    }
}

extension FormField {
    /// A required choice whose new value starts as the new item's own (a status of "proposed", a kind of "school").
    var keepingDefault: FormField {
        var spec = spec
        spec.keepsDefault = true
        return FormField(spec: spec, binding: binding)
    }
}

/// A group (an object inside the model) or a list of rows, its types erased into what the engine needs.
struct Nested<Model> {
    /// Applies the posted values under `prefix` to the model; the errors by field id.
    let apply: (inout Model, FormData, String, Plan, Bool) -> [FieldError]
    /// The group's rows, drawn from the model or from what was typed.
    let rows: (Model, Plan, FormData?, [String: String], String) -> [GroupRow]
    /// The group in words, for summaries.
    let words: (Model, Plan) -> String
}

// MARK: building fields

enum Fields {
    static func leaf<M>(_ spec: FieldSpec, get: @escaping (M) -> FieldValue, set: @escaping (inout M, FieldValue) -> Void) -> FormField<M> {
        FormField(spec: spec, binding: .leaf(get: get, set: set))
    }

    static func text<M>(_ key: String, _ label: String, hint: String? = nil, as kind: FieldKind = .text, _ path: WritableKeyPath<M, String?>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, kind), get: { .text($0[keyPath: path]) }, set: { m, v in if case .text(let t) = v { m[keyPath: path] = t } })
    }

    /// A text the model always has: required.
    static func text<M>(_ key: String, _ label: String, hint: String? = nil, as kind: FieldKind = .text, _ path: WritableKeyPath<M, String>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, kind, required: true), get: { .text($0[keyPath: path]) },
             set: { m, v in if case .text(let t?) = v { m[keyPath: path] = t } })
    }

    static func date<M>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, CalendarDate?>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .date), get: { .date($0[keyPath: path]) }, set: { m, v in if case .date(let d) = v { m[keyPath: path] = d } })
    }

    static func date<M>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, CalendarDate>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .date, required: true), get: { .date($0[keyPath: path]) },
             set: { m, v in if case .date(let d?) = v { m[keyPath: path] = d } })
    }

    static func number<M>(_ key: String, _ label: String, _ path: WritableKeyPath<M, Int?>) -> FormField<M> {
        leaf(FieldSpec(key, label, .number), get: { .number($0[keyPath: path]) }, set: { m, v in if case .number(let n) = v { m[keyPath: path] = n } })
    }

    static func flag<M>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, Bool>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .checkbox), get: { .flag($0[keyPath: path]) }, set: { m, v in if case .flag(let b) = v { m[keyPath: path] = b ?? false } })
    }

    /// A yes/no the model may not hold: unticked and never recorded stays unrecorded.
    static func flag<M>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, Bool?>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .checkbox), get: { .flag($0[keyPath: path]) }, set: { m, v in if case .flag(let b) = v { m[keyPath: path] = b } })
    }

    static func lines<M>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, [String]>) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .lines), get: { .list($0[keyPath: path]) }, set: { m, v in if case .list(let l) = v { m[keyPath: path] = l } })
    }

    static func choice<M, E: CodedEnum>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, E>,
                                        words: @escaping (E) -> String = { Choices.humanise($0.rawValue) }) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .select(E.allCases.map { ($0.rawValue, words($0)) }), required: true),
             get: { .text($0[keyPath: path].rawValue) },
             set: { m, v in if case .text(let t?) = v, let e = E(rawValue: t) { m[keyPath: path] = e } })
    }

    static func choice<M, E: CodedEnum>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, E?>,
                                        words: @escaping (E) -> String = { Choices.humanise($0.rawValue) }) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .select(E.allCases.map { ($0.rawValue, words($0)) })),
             get: { .text($0[keyPath: path]?.rawValue) },
             set: { m, v in if case .text(let t) = v { m[keyPath: path] = t.flatMap(E.init(rawValue:)) } })
    }

    /// Several of a fixed set of choices, as checkboxes.
    static func multi<M, E: CodedEnum>(_ key: String, _ label: String, hint: String? = nil, _ path: WritableKeyPath<M, [E]>,
                                       words: @escaping (E) -> String) -> FormField<M> {
        leaf(FieldSpec(key, label, hint: hint, .multi(E.allCases.map { ($0.rawValue, words($0)) })),
             get: { .list($0[keyPath: path].map(\.rawValue)) },
             set: { m, v in if case .list(let l) = v { m[keyPath: path] = l.compactMap(E.init(rawValue:)) } })
    }

    static func person<M>(_ key: String, _ label: String, roles: Set<PersonRole>?, _ path: WritableKeyPath<M, String?>) -> FormField<M> {
        leaf(FieldSpec(key, label, .person(roles: roles)), get: { .text($0[keyPath: path]) }, set: { m, v in if case .text(let t) = v { m[keyPath: path] = t } })
    }

    static func person<M>(_ key: String, _ label: String, roles: Set<PersonRole>?, _ path: WritableKeyPath<M, String>) -> FormField<M> {
        leaf(FieldSpec(key, label, .person(roles: roles), required: true), get: { .text($0[keyPath: path]) },
             set: { m, v in if case .text(let t?) = v { m[keyPath: path] = t } })
    }

    static func people<M>(_ key: String, _ label: String, roles: Set<PersonRole>?, _ path: WritableKeyPath<M, [String]>) -> FormField<M> {
        leaf(FieldSpec(key, label, .people(roles: roles)), get: { .list($0[keyPath: path]) }, set: { m, v in if case .list(let l) = v { m[keyPath: path] = l } })
    }

    /// An object the model always has (a name, a frequency): its fields drawn as a group. `words` says it in a
    /// summary when its fields' own words would read badly ("Robin Testcase", not "Given name: Robin, ...").
    static func group<M, S>(_ key: String, _ label: String, _ path: WritableKeyPath<M, S>, words: ((S) -> String)? = nil,
                            _ fields: [FormField<S>]) -> FormField<M> {
        FormField(spec: FieldSpec(key, label, .object(fields.map(\.spec)), required: true), binding: .nested(Nested(
            apply: { m, form, prefix, plan, _ in
                var sub = m[keyPath: path]
                let errors = Engine.apply(fields, form: form, to: &sub, prefix: prefix + key + ".", plan: plan, isNew: false)
                if errors.isEmpty { m[keyPath: path] = sub }
                return errors
            },
            rows: { m, plan, typed, errors, prefix in
                [GroupRow(legend: "", fields: Engine.views(fields, model: m[keyPath: path], plan: plan, typed: typed, errors: errors, prefix: prefix + key + "."))]
            },
            words: { m, plan in words.map { $0(m[keyPath: path]) } ?? Engine.words(fields, m[keyPath: path], plan: plan) })))
    }

    /// An object the model may not have (contact details, the child's views): added when something is typed in it;
    /// when everything shown is cleared, removed (or, if it holds more than the form shows, kept with the rest).
    /// One stored empty stays as it is, so saving unchanged changes nothing.
    static func group<M, S: Equatable>(_ key: String, _ label: String, _ path: WritableKeyPath<M, S?>, empty: S, isEmpty: @escaping (S) -> Bool,
                                       holdsMore: @escaping (S) -> Bool, words: ((S) -> String)? = nil, _ fields: [FormField<S>]) -> FormField<M> {
        FormField(spec: FieldSpec(key, label, .object(fields.map(\.spec))), binding: .nested(Nested(
            apply: { m, form, prefix, plan, _ in
                let stored = m[keyPath: path]
                let typedSomething = fields.contains { Engine.posted(form, prefix + key + "." + $0.spec.key, $0.spec) }
                if !typedSomething {
                    guard let stored else { return [] }
                    if isEmpty(stored) { return [] }
                    if !holdsMore(stored) { m[keyPath: path] = nil; return [] }
                }
                var sub = stored ?? empty
                let errors = Engine.apply(fields, form: form, to: &sub, prefix: prefix + key + ".", plan: plan, isNew: stored == nil)
                if errors.isEmpty { m[keyPath: path] = sub }
                return errors
            },
            rows: { m, plan, typed, errors, prefix in
                [GroupRow(legend: "", fields: Engine.views(fields, model: m[keyPath: path] ?? empty, plan: plan, typed: typed, errors: errors,
                                                           prefix: prefix + key + ".", isNew: m[keyPath: path] == nil))]
            },
            words: { m, plan in m[keyPath: path].map { v in words.map { $0(v) } ?? Engine.words(fields, v, plan: plan) } ?? "" })))
    }

    /// A choice among the plan's own things (its orders, its cards), or none.
    static func dynamic<M>(_ key: String, _ label: String, none: String, _ path: WritableKeyPath<M, String?>,
                           options: @escaping @Sendable (Plan) -> [(value: String, label: String)]) -> FormField<M> {
        leaf(FieldSpec(key, label, .dynamic(none: none, options)), get: { .text($0[keyPath: path]) }, set: { m, v in if case .text(let t) = v { m[keyPath: path] = t } })
    }

    /// A required choice among the plan's own things.
    static func dynamic<M>(_ key: String, _ label: String, _ path: WritableKeyPath<M, String>,
                           options: @escaping @Sendable (Plan) -> [(value: String, label: String)]) -> FormField<M> {
        leaf(FieldSpec(key, label, .dynamic(none: "Choose…", options), required: true), get: { .text($0[keyPath: path]) },
             set: { m, v in if case .text(let t?) = v { m[keyPath: path] = t } })
    }

    /// A list of rows (conditions, responders, items): the rows are those the form posted; a row left empty is
    /// removed; a new row starts from `new`.
    static func rows<M, R>(_ key: String, _ label: String, noun: String, spare: Int = 1, _ path: WritableKeyPath<M, [R]>,
                           new: @escaping (Plan) -> R, _ fields: [FormField<R>]) -> FormField<M> {
        FormField(spec: FieldSpec(key, label, .objects(fields.map(\.spec), spare: spare, noun: noun)), binding: .nested(Nested(
            apply: { m, form, prefix, plan, _ in
                let stored = m[keyPath: path]
                var out: [R] = []
                var errors: [FieldError] = []
                for i in Engine.postedRows(form, name: prefix + key) {
                    let rowPrefix = "\(prefix)\(key).\(i)."
                    let filled = fields.contains { f in
                        if case .checkbox = f.spec.kind { return false }
                        return Engine.posted(form, rowPrefix + f.spec.key, f.spec)
                    }
                    guard filled else { continue }
                    var row = i < stored.count ? stored[i] : new(plan)
                    errors += Engine.apply(fields, form: form, to: &row, prefix: rowPrefix, plan: plan, isNew: i >= stored.count)
                    out.append(row)
                }
                if errors.isEmpty { m[keyPath: path] = out }
                return errors
            },
            rows: { m, plan, typed, errors, prefix in
                let stored = m[keyPath: path]
                let count = min(typed.map { (Engine.postedRows($0, name: prefix + key).last ?? -1) + 1 } ?? (stored.count + spare), 200)
                return (0..<count).map { i in
                    GroupRow(legend: i < stored.count ? "\(noun) \(i + 1)" : "\(noun) \(i + 1) (new)",
                             fields: Engine.views(fields, model: i < stored.count ? stored[i] : new(plan), plan: plan, typed: typed, errors: errors,
                                                  prefix: "\(prefix)\(key).\(i).", isNew: i >= stored.count))
                }
            },
            words: { m, plan in m[keyPath: path].map { Engine.words(fields, $0, plan: plan) }.joined(separator: "; ") })))
    }
}

// MARK: the engine

enum Engine {
    static func fieldID(_ name: String) -> String { "f-" + name.replacingOccurrences(of: ".", with: "-") }

    /// Whether something was typed in a field (for a date, in any of its boxes).
    static func posted(_ form: FormData, _ name: String, _ field: FieldSpec) -> Bool {
        func has(_ n: String) -> Bool { !(form[n] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        switch field.kind {
        case .date: return has(name) || has(name + ".day") || has(name + ".month") || has(name + ".year")
        case .people, .multi: return !form.all(name).filter { !$0.isEmpty }.isEmpty
        default: return has(name)
        }
    }

    /// The row numbers a form posted for a list field, in order (at most 200 rows): never a count the client sends.
    static func postedRows(_ form: FormData, name: String) -> [Int] {
        let prefix = name + "."
        var rows = Set<Int>()
        for (key, _) in form.values where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let i = RequestNumber.parse(rest[..<dot], in: 0...199) else { continue }
            rows.insert(i)
        }
        return rows.sorted()
    }

    /// Reads one leaf from the form, typed: the value, or the message to show beside it.
    static func read(_ spec: FieldSpec, form: FormData, name: String, stored: FieldValue, plan: Plan) -> Result<FieldValue, FieldError> {
        let id = fieldID(name)
        let raw = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let object = Self.object(spec.label)
        let choose = "Choose \(object)"
        switch spec.kind {
        case .text, .textarea:
            if raw.isEmpty && spec.required { return .failure(FieldError(field: id, message: "Enter \(object)")) }
            return .success(.text(raw.isEmpty ? nil : raw))
        case .select(let options):
            if raw.isEmpty { return spec.required ? .failure(FieldError(field: id, message: choose)) : .success(.text(nil)) }
            // A stored value outside the usual choices stays a choice (saving unchanged keeps it).
            guard options.contains(where: { $0.value == raw }) || stored == .text(raw) else {
                return .failure(FieldError(field: id, message: "\(choose) from the list"))
            }
            return .success(.text(raw))
        case .dynamic(_, let options):
            if raw.isEmpty { return spec.required ? .failure(FieldError(field: id, message: choose)) : .success(.text(nil)) }
            guard options(plan).contains(where: { $0.value == raw }) || stored == .text(raw) else {
                return .failure(FieldError(field: id, message: "\(choose) from the list"))
            }
            return .success(.text(raw))
        case .person:
            if raw.isEmpty { return spec.required ? .failure(FieldError(field: id, message: choose)) : .success(.text(nil)) }
            guard plan.people.contains(where: { $0.id == raw }) || stored == .text(raw) else {
                return .failure(FieldError(field: id, message: "That person is no longer in the plan: \(choose.lowercased()) again"))
            }
            return .success(.text(raw))
        case .people:
            let chosen = form.all(name).filter { !$0.isEmpty }
            let known = Set(plan.people.map(\.id)).union(stored.list)
            guard chosen.allSatisfy(known.contains) else {
                return .failure(FieldError(field: id, message: "Someone chosen is no longer in the plan: choose again"))
            }
            return .success(.list(chosen))
        case .multi(let options):
            let chosen = form.all(name).filter { !$0.isEmpty }
            guard chosen.allSatisfy({ c in options.contains { $0.value == c } }) else {
                return .failure(FieldError(field: id, message: "\(choose) from the list"))
            }
            return .success(.list(chosen))
        case .date:
            let parts = DateParts(day: form[name + ".day"], month: form[name + ".month"], year: form[name + ".year"])
            if parts.isEmpty && !raw.isEmpty {
                guard let d = parseDate(raw) else { return .failure(FieldError(field: id, message: "\(spec.label) must be a real date, like 21 11 2026")) }
                return .success(.date(d))
            }
            switch parts.parse(spec.label) {
            case .success(let d?): return .success(.date(d))
            case .success(nil):
                return spec.required ? .failure(FieldError(field: id, message: "Enter \(object)")) : .success(.date(nil))
            case .failure(let p): return .failure(FieldError(field: id, message: p.message))
            }
        case .number:
            if raw.isEmpty { return .success(.number(nil)) }
            guard let n = RequestNumber.parse(raw, in: 0...9_999) else {
                return .failure(FieldError(field: id, message: "\(spec.label) must be a whole number from 0 to 9,999, like 2"))
            }
            return .success(.number(n))
        case .checkbox:
            if form[name] == "true" { return .success(.flag(true)) }
            // Unticked and never recorded stays unrecorded.
            return .success(.flag(stored == .flag(nil) ? nil : false))
        case .lines:
            return .success(.list((form[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
        case .object, .objects:
            return .success(stored)
        }
    }

    /// A label as the object of "Enter" or "Choose": "the name the child is known by", "where the child's legal
    /// proceedings are", "day one: the date the child moved in".
    static func object(_ label: String) -> String {
        let lower = label.prefix(1).lowercased() + label.dropFirst()
        let first = lower.split(separator: " ").first.map(String.init) ?? ""
        let bare = ["the", "what", "how", "who", "why", "where", "when", "which", "whether", "day", "a", "an"]
        return bare.contains(first.trimmingCharacters(in: .punctuationCharacters)) ? lower : "the " + lower
    }

    /// Applies the posted values to a model. Only the form's own fields change; the model is changed only when
    /// every field reads.
    static func apply<M>(_ fields: [FormField<M>], form: FormData, to model: inout M, prefix: String = "", plan: Plan, isNew: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        var updated = model
        for field in fields {
            let name = prefix + field.spec.key
            switch field.binding {
            case .leaf(let get, let set):
                switch read(field.spec, form: form, name: name, stored: get(model), plan: plan) {
                case .success(let v): set(&updated, v)
                case .failure(let e): errors.append(e)
                }
            case .nested(let nested):
                errors += nested.apply(&updated, form, prefix, plan, isNew)
            }
        }
        if errors.isEmpty { model = updated }
        return errors
    }

    /// ISO dates, and day/month/year as people type them in one box.
    static func parseDate(_ raw: String) -> CalendarDate? {
        if let d = CalendarDate(iso: raw) { return d }
        let parts = raw.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == " " }).compactMap { RequestNumber.parse($0, in: 0...9_999) }
        if parts.count == 3, parts[2] >= 1900 { return CalendarDate(year: parts[2], month: parts[1], day: parts[0]) }
        return nil
    }

    /// A person as forms and summaries name them: "Kelly Example (birth mother)".
    static func personLabel(_ p: Person) -> String { "\(p.name.full) (\(Choices.humanise(p.role.rawValue).lowercased()))" }

    /// The field views of a model, with the values shown (stored, or as typed) and errors beside each field. A new
    /// item's required fields start empty, whatever placeholder the new value holds.
    static func views<M>(_ fields: [FormField<M>], model: M, plan: Plan, typed: FormData?, errors: [String: String],
                         prefix: String = "", isNew: Bool = false) -> [FieldView] {
        fields.map { field in
            let spec = field.spec
            let name = prefix + spec.key
            let id = fieldID(name)
            var v = FieldView(id: id, name: name, label: spec.label, hint: spec.hint ?? "", error: errors[id] ?? "", hasHint: spec.hint != nil,
                              hasError: errors[id] != nil, value: "")
            v.required = spec.required
            v.describedBy = [spec.hint != nil ? id + "-hint" : nil, errors[id] != nil ? id + "-error" : nil].compactMap { $0 }.joined(separator: " ")
            v.hasDescribedBy = !v.describedBy.isEmpty
            if case .nested(let nested) = field.binding {
                v.isGroup = true
                v.rows = nested.rows(model, plan, typed, errors, prefix)
                if case .objects = spec.kind { v.value = String(v.rows.count) }
                return v
            }
            guard case .leaf(let get, _) = field.binding else { return v }
            let stored: FieldValue = isNew && spec.required && !spec.keepsDefault ? .text(nil) : get(model)
            switch stored {
            case .text(let t): v.value = t ?? ""
            case .number(let n): v.value = n.map(String.init) ?? ""
            case .list(let l): v.value = l.joined(separator: "\n")
            case .date, .flag: break
            }
            if let typed { v.value = typed[name] ?? "" }
            switch spec.kind {
            case .text: v.isText = true
            case .textarea, .lines: v.isTextarea = true
            case .number: v.isNumber = true
            case .date:
                v.isDate = true
                v.dayName = name + ".day"; v.monthName = name + ".month"; v.yearName = name + ".year"
                if let typed {
                    v.dayValue = typed[name + ".day"] ?? ""; v.monthValue = typed[name + ".month"] ?? ""; v.yearValue = typed[name + ".year"] ?? ""
                    if v.dayValue.isEmpty && v.monthValue.isEmpty && v.yearValue.isEmpty, let d = parseDate(typed[name] ?? "") {
                        v.dayValue = String(d.day); v.monthValue = String(d.month); v.yearValue = String(d.year)
                    }
                } else if case .date(let d?) = stored {
                    v.dayValue = String(d.day); v.monthValue = String(d.month); v.yearValue = String(d.year)
                }
                v.markDateBoxes(label: spec.label, error: errors[id])
            case .checkbox:
                v.isCheckbox = true
                v.checked = typed.map { $0[name] == "true" } ?? (stored == .flag(true))
            case .select(let options):
                v.isSelect = true
                var all = options
                if !v.value.isEmpty, !all.contains(where: { $0.value == v.value }), stored == .text(v.value) {
                    all.append((v.value, Choices.humanise(v.value)))
                }
                v.options = [OptionView(value: "", label: spec.required ? "Choose…" : "Not set", selected: v.value.isEmpty, id: "")]
                    + all.map { OptionView(value: $0.value, label: $0.label, selected: $0.value == v.value, id: "") }
            case .dynamic(let none, let options):
                v.isSelect = true
                let all = options(plan)
                v.options = [OptionView(value: "", label: none, selected: v.value.isEmpty, id: "")]
                    + all.map { OptionView(value: $0.value, label: $0.label, selected: $0.value == v.value, id: "") }
                if !v.value.isEmpty, !all.contains(where: { $0.value == v.value }) {
                    v.options.append(OptionView(value: v.value, label: "No longer in the plan", selected: true, id: ""))
                }
            case .person(let roles):
                v.isSelect = true
                v.options = [OptionView(value: "", label: spec.required ? "Choose…" : "Nobody", selected: v.value.isEmpty, id: "")]
                    + plan.people.filter { roles?.contains($0.role) ?? true || $0.id == v.value }.map {
                        OptionView(value: $0.id, label: personLabel($0), selected: $0.id == v.value, id: "")
                    }
            case .people(let roles):
                v.isCheckboxes = true
                let chosen = Set(typed.map { $0.all(name) } ?? stored.list)
                v.options = plan.people.filter { roles?.contains($0.role) ?? true || chosen.contains($0.id) }.enumerated().map { i, p in
                    OptionView(value: p.id, label: personLabel(p), selected: chosen.contains(p.id), id: "\(id)-\(i)")
                }
            case .multi(let options):
                v.isCheckboxes = true
                let chosen = Set(typed.map { $0.all(name) } ?? stored.list)
                v.options = options.enumerated().map { i, o in OptionView(value: o.value, label: o.label, selected: chosen.contains(o.value), id: "\(id)-\(i)") }
            case .object, .objects: break
            }
            return v
        }
    }

    /// A leaf's value in words, as a summary shows it: option labels, people by name and role, dates in words.
    static func words(_ spec: FieldSpec, _ value: FieldValue, plan: Plan) -> String {
        func person(_ id: String) -> String { plan.people.first { $0.id == id }.map(personLabel) ?? "someone no longer in the plan" }
        switch (spec.kind, value) {
        case (.select(let options), .text(let t?)), (.multi(let options), .text(let t?)):
            return options.first { $0.value == t }?.label ?? Choices.humanise(t)
        case (.dynamic(_, let options), .text(let t?)):
            return options(plan).first { $0.value == t }?.label ?? "something no longer in the plan"
        case (.multi(let options), .list(let l)):
            return l.map { c in options.first { $0.value == c }?.label ?? Choices.humanise(c) }.joined(separator: "; ")
        case (.person, .text(let t?)): return person(t)
        case (.people, .list(let l)): return l.map(person).joined(separator: "; ")
        case (_, .date(let d?)): return d.long
        case (.checkbox, .flag(let b)): return b == true ? "Yes" : "No"
        case (_, .text(let t?)): return t
        case (_, .number(let n?)): return String(n)
        case (_, .list(let l)): return l.joined(separator: "; ")
        default: return ""
        }
    }

    /// A model in words: "Label: value" for each field that holds something.
    static func words<M>(_ fields: [FormField<M>], _ model: M, plan: Plan) -> String {
        facts(fields, model, plan: plan).map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }

    /// Each field that holds something, with its label.
    static func facts<M>(_ fields: [FormField<M>], _ model: M, plan: Plan) -> [(String, String)] {
        fields.compactMap { f in
            let w: String
            switch f.binding {
            case .leaf(let get, _): w = words(f.spec, get(model), plan: plan)
            case .nested(let n): w = n.words(model, plan)
            }
            return w.isEmpty ? nil : (f.spec.label, w)
        }
    }
}

extension FieldView {
    /// Marks the box a date's error is about (the day, the month or the year), or all three when the error is not
    /// the boxes' own (a date in the future, say).
    mutating func markDateBoxes(label: String, error: String?) {
        guard let error else { return }
        if case .failure(let p) = DateParts(day: dayValue, month: monthValue, year: yearValue).parse(label), p.message == error {
            dayInvalid = p.part == "day"; monthInvalid = p.part == "month"; yearInvalid = p.part == "year"
        } else {
            dayInvalid = true; monthInvalid = true; yearInvalid = true
        }
    }
}

extension FieldValue {
    var list: [String] { if case .list(let l) = self { l } else { [] } }
}
