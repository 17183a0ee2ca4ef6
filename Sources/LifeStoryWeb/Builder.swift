import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

// The plan builder's forms. Each section of the task list is described once: which part of the plan it edits and
// its fields. A form edits the plan's archive JSON in place, so fields the form does not show are kept exactly,
// and the edited plan is read back through the archive decoder, whose errors name the field.

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

    init(_ key: String, _ label: String, hint: String? = nil, _ kind: FieldKind = .text, required: Bool = false) {
        self.key = key
        self.label = label
        self.hint = hint
        self.kind = kind
        self.required = required
    }
}

struct SectionSpec: Sendable {
    var id: String
    var title: String
    /// What the section is for, in a line.
    var summary: String
    /// The plan's key: a list (`people`) or an object (`child`, `views`).
    var key: String
    var isList: Bool
    var noun: String
    var fields: [FieldSpec]
    /// Finding paths (without `plan.`) that belong to this section.
    var paths: [String]
    /// How an item is named in lists.
    var itemLabel: @Sendable (Any) -> String
    /// A new item's starting values (its id included).
    var newItem: @Sendable (Plan) -> [String: Any] = { _ in [:] }
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

    /// The words for a code: the one place where codes that are not plain words when their underscores go (an
    /// acronym, an apostrophe, a section of an Act) get their words. Everything else is the code in lower case.
    static func humanise(_ raw: String) -> String {
        if let words = words[raw] { return words }
        if let jurisdiction = JurisdictionCode(rawValue: raw) { return jurisdiction.name }
        if let order = OrderType(rawValue: raw) { return orderTitle(order) }
        if let mode = ContactMode(rawValue: raw) { return mode.plain.prefix(1).uppercased() + mode.plain.dropFirst() }
        let s = raw.replacingOccurrences(of: "_", with: " ").lowercased()
        return s.prefix(1).uppercased() + s.dropFirst()
    }

    static let words: [String: String] = [
        "iro": "Independent reviewing officer", "ceop": "CEOP (the National Crime Agency's child protection command)",
        "school_dsl": "School's designated safeguarding lead", "childs_social_worker": "Child's social worker",
        "adopters_social_worker": "Adopters' social worker", "adopters_acknowledgement": "Adopters' acknowledgement",
        "agency_decision": "The agency's decision", "emergency_duty_team": "Emergency duty team (out of hours)",
        "ACA02_S27_2": "Adoption and Children Act 2002, section 27(2)", "CA89_S34_6": "Children Act 1989, section 34(6)",
        "SUPERVISED_AGENCY": "Supervised by the agency", "SUPERVISED_CENTRE": "Supervised at a contact centre",
        "SUPERVISED_CARER": "Supervised by the carer", "SUPPORTED": "Supported", "NONE": "None",
        "S1": "At once: call 999, then the emergency contacts", "S2": "The same day", "S3": "Within 72 hours", "S4": "At the next review",
    ]

    /// An order as people name it: the Act and section, then what it does ("Adoption and Children Act 2002,
    /// section 51A: order forbidding contact").
    static func orderTitle(_ order: OrderType) -> String {
        let raw = order.rawValue
        let act: String? = if raw.hasPrefix("CA89") { "Children Act 1989" } else if raw.hasPrefix("ACA02") { "Adoption and Children Act 2002" }
            else if raw.hasPrefix("NI22") { "Adoption and Children Act (Northern Ireland) 2022" } else if raw.hasPrefix("NI_") { "Children (Northern Ireland) Order 1995" }
            else if raw.hasPrefix("SCO_") { "Scotland" } else if raw.hasPrefix("FLA96") { "Family Law Act 1996" } else { nil }
        let name = order.shortName
        return act.map { "\(name.prefix(1).uppercased() + name.dropFirst()) (\($0))" } ?? (name.prefix(1).uppercased() + name.dropFirst())
    }
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

// MARK: the sections of the task list

enum Sections {
    static func name(_ item: Any) -> String {
        guard let d = item as? [String: Any] else { return "" }
        if let n = d["name"] as? [String: Any] {
            return [n["given"] as? String, n["family"] as? String].compactMap { $0 }.joined(separator: " ")
        }
        return ""
    }

    static func str(_ item: Any, _ key: String) -> String { ((item as? [String: Any])?[key] as? String) ?? "" }

    /// A stored date as people read it: "8 November 2026".
    static func day(_ iso: String) -> String { CalendarDate(iso: iso)?.long ?? iso }

    static func newID(_ prefix: String) -> String { prefix + "-" + Token.make().prefix(8).lowercased() }

    static let childFields: [FieldSpec] = [
        FieldSpec("pseudonym", "Case-file pseudonym", hint: "Used in lists and the audit log instead of the child's name, for example Child E7.", required: true),
        FieldSpec("knownAs", "Name the child is known by", required: true),
        FieldSpec("birthName", "Name given at birth", .object([FieldSpec("given", "Given name", required: true), FieldSpec("family", "Family name")])),
        FieldSpec("currentName", "New legal name, once there is one", .object([FieldSpec("given", "Given name"), FieldSpec("family", "Family name")])),
        FieldSpec("dateOfBirth", "Date of birth", hint: "For example, 27 4 2017", .date, required: true),
        FieldSpec("jurisdiction", "Where the child's legal proceedings are", Choices.of(JurisdictionCode.self) { $0.name }, required: true),
        FieldSpec("legalStatus", "Legal status", Choices.of(LegalStatus.self), required: true),
        FieldSpec("carersTerm", "What the child calls the adults they live with", hint: "In the child's own words, for example Mum and Dad."),
        FieldSpec("needs", "Health, development and support needs", hint: "One on each line.", .lines),
        FieldSpec("settings", "School, nursery, GP and clubs", .objects([
            FieldSpec("kind", "Kind", Choices.of(SettingKind.self)), FieldSpec("name", "Name"), FieldSpec("town", "Town")], spare: 1, noun: "Place")),
    ]

    /// A condition of an order or an arrangement. Its protected details are what the release scan looks for in every
    /// guide that reader may not see them in.
    static let conditionFields: [FieldSpec] = [
        FieldSpec("kind", "Kind", Choices.of(ConditionKind.self)),
        FieldSpec("text", "What it says", .textarea, required: true),
        FieldSpec("protectedTokens", "Details that must never appear in a guide for someone who may not see them",
                  hint: "One on each line, exactly as they might be written: a school's name, a town, a street.", .lines),
    ]

    static let all: [SectionSpec] = [
        SectionSpec(id: "child", title: "Child", summary: "Names, date of birth, jurisdiction and legal status.", key: "child", isList: false,
                    noun: "child", fields: childFields, paths: ["child"], itemLabel: { str($0, "knownAs") }),
        SectionSpec(id: "placements", title: "Placements", summary: "Where the child lives and has lived, and with whom.", key: "placements", isList: true,
                    noun: "placement", fields: [
                        FieldSpec("kind", "Kind of placement", Choices.of(PlacementKind.self), required: true),
                        FieldSpec("startDate", "Start date (day one)", hint: "For example, 14 9 2026", .date, required: true),
                        FieldSpec("endDate", "End date, if it has ended", .date),
                        FieldSpec("carers", "Carers", .people(roles: [.adopter, .fosterCarer, .kinshipCarer])),
                    ], paths: ["placements"], itemLabel: { Choices.humanise(str($0, "kind")) + " from " + day(str($0, "startDate")) },
                    newItem: { _ in ["id": newID("pl"), "carers": [String]()] }),
        SectionSpec(id: "people", title: "People", summary: "Birth family, carers and professionals, with what the child calls them.", key: "people", isList: true,
                    noun: "person", fields: [
                        FieldSpec("role", "Role", Choices.of(PersonRole.self), required: true),
                        FieldSpec("name", "Name", .object([FieldSpec("given", "Given name", required: true), FieldSpec("family", "Family name")])),
                        FieldSpec("termUsedByChild", "What the child calls them", hint: "In the child's own words, for example Mummy Kelly."),
                        FieldSpec("relationship", "Relationship, in words", hint: "For example, maternal grandmother."),
                        FieldSpec("dateOfBirth", "Date of birth (siblings)", .date),
                        FieldSpec("placedElsewhere", "A sibling placed with another family", .checkbox),
                        FieldSpec("easyRead", "Give them their summary in Easy Read", hint: "Short sentences, one idea a line, large print: for a birth relative who finds reading hard.", .checkbox),
                        FieldSpec("serialNumber", "Serial number (adopters)"),
                        FieldSpec("organisation", "Organisation or team (professionals)"),
                        FieldSpec("riskFlags", "Risk flags", hint: "One on each line, for example history of harassment.", .lines),
                        FieldSpec("contact", "Contact details", .object([
                            FieldSpec("phone", "Phone"), FieldSpec("email", "Email"), FieldSpec("address", "Address"),
                            FieldSpec("town", "Town"), FieldSpec("postcode", "Postcode"),
                            FieldSpec("socialHandles", "Social media handles", hint: "One on each line.", .lines)])),
                    ], paths: ["people"], itemLabel: { item in
                        let role = str(item, "role").replacingOccurrences(of: "_", with: " ")
                        return "\(name(item)) (\(role))"
                    }, newItem: { _ in ["id": newID("p"), "placedElsewhere": false, "riskFlags": [String]()] }),
        SectionSpec(id: "orders", title: "Orders", summary: "Court orders, with what they allow and forbid.", key: "orders", isList: true,
                    noun: "order", fields: [
                        FieldSpec("type", "Type of order", Choices.of(OrderType.self) { Choices.orderTitle($0) }, required: true),
                        FieldSpec("jurisdiction", "Made in", Choices.of(JurisdictionCode.self) { $0.name }, required: true),
                        FieldSpec("court", "Court", required: true),
                        FieldSpec("madeOn", "Made on", .date, required: true),
                        FieldSpec("expiresOn", "Expires on", .date),
                        FieldSpec("endedOn", "Ended early on", .date),
                        FieldSpec("inForce", "In force", .checkbox),
                        FieldSpec("penalNotice", "Has a penal notice", .checkbox),
                        FieldSpec("indirectContactAllowed", "Expressly allows indirect contact", .checkbox),
                        FieldSpec("namedPersons", "People it names", .people(roles: nil)),
                        FieldSpec("provisions", "What it says", hint: "One provision on each line.", .lines),
                        FieldSpec("conditions", "Conditions", .objects(conditionFields, spare: 1, noun: "Condition")),
                    ], paths: ["orders"], itemLabel: { item in
                        let t = OrderType(rawValue: str(item, "type"))?.shortName ?? str(item, "type")
                        return "\(t), made \(day(str(item, "madeOn")))"
                    }, newItem: { plan in ["id": newID("o"), "namedPersons": [String](), "provisions": [String](), "conditions": [Any](),
                                           "penalNotice": false, "inForce": true, "indirectContactAllowed": false,
                                           "jurisdiction": plan.child.jurisdiction.rawValue] }),
        SectionSpec(id: "arrangements", title: "Contact arrangements", summary: "Who the child keeps in touch with, how and how often.", key: "arrangements", isList: true,
                    noun: "arrangement", fields: [
                        FieldSpec("counterpart", "With", .person(roles: [.birthMother, .birthFather, .birthParent, .sibling, .birthRelative]), required: true),
                        FieldSpec("basis", "On the basis of", Choices.of(ContactBasis.self), required: true),
                        FieldSpec("orderRef", "The order, if it is by order", .select([])),
                        FieldSpec("mode", "How", Choices.of(ContactMode.self) { $0.plain.prefix(1).uppercased() + $0.plain.dropFirst() }, required: true),
                        FieldSpec("platform", "Platform or app, if online"),
                        FieldSpec("heldBy", "Account or address held by", Choices.of(AccountHolder.self), required: true),
                        FieldSpec("frequency", "How often", .object([
                            FieldSpec("kind", "Kind", Choices.of(FrequencyKind.self), required: true),
                            FieldSpec("count", "Times", .number), FieldSpec("per", "Per", Choices.of(FrequencyPeriod.self))])),
                        FieldSpec("supervision", "Supervision", Choices.of(Supervision.self), required: true),
                        FieldSpec("intermediary", "Through (letterbox coordinator or other go-between)", .person(roles: nil)),
                        FieldSpec("start", "Starts on", .date, required: true),
                        FieldSpec("end", "Ends on", .date),
                        FieldSpec("status", "Status", Choices.of(ArrangementStatus.self), required: true),
                        FieldSpec("conditions", "Conditions", .objects(conditionFields, spare: 1, noun: "Condition")),
                        FieldSpec("suspensions", "Suspensions", .objects([
                            FieldSpec("from", "From", .date, required: true), FieldSpec("to", "To", .date),
                            FieldSpec("basis", "On the basis of", Choices.of(SuspensionBasis.self), required: true),
                            FieldSpec("reason", "Why", .textarea, required: true), FieldSpec("notifiedOn", "Notified on", .date),
                            FieldSpec("notifiedTo", "Notified to", hint: "One on each line.", .lines)], spare: 1, noun: "Suspension")),
                    ], paths: ["arrangements"], itemLabel: { item in
                        let mode = ContactMode(rawValue: str(item, "mode"))?.plain ?? str(item, "mode")
                        return mode.prefix(1).uppercased() + mode.dropFirst()
                    }, newItem: { _ in ["id": newID("a"), "conditions": [Any](), "suspensions": [Any](), "status": "proposed",
                                        "heldBy": "carer", "supervision": "NONE", "frequency": ["kind": "regular"]] }),
        SectionSpec(id: "stages", title: "Stages and conversations", summary: "What to talk about at each age, and by when.", key: "stages", isList: true,
                    noun: "stage", fields: [
                        FieldSpec("code", "Stage", Choices.of(StageCode.self) { "\($0.rawValue): \($0.title)" }, required: true),
                        FieldSpec("status", "Status", Choices.of(StageStatus.self), required: true),
                        FieldSpec("lastReviewedOn", "Last reviewed on", .date),
                        FieldSpec("reviewBy", "Review by", .date),
                        FieldSpec("items", "Conversations and activities", .objects([
                            FieldSpec("title", "What", required: true),
                            FieldSpec("kind", "Kind", Choices.of(StageItemKind.self)),
                            FieldSpec("targetDate", "By", .date),
                            FieldSpec("status", "Status", Choices.of(ItemStatus.self)),
                            FieldSpec("doneOn", "Done on", .date),
                            FieldSpec("owner", "Who", Choices.of(ItemOwner.self)),
                            FieldSpec("contentRef", "Guidance"),
                        ], spare: 1, noun: "Item")),
                    ], paths: ["stages"], itemLabel: { item in
                        let code = str(item, "code")
                        return "\(code): \(StageCode(rawValue: code)?.title ?? "")"
                    }, newItem: { _ in ["items": [Any](), "status": "upcoming"] }),
        SectionSpec(id: "contingencies", title: "Contingencies and responders", summary: "What the family does if contact happens outside the plan, and who they call.", key: "contingencies", isList: true,
                    noun: "contingency", fields: [
                        FieldSpec("scenario", "Scenario", Choices.of(Scenario.self) { "\($0.rawValue): \($0.title)" }, required: true),
                        FieldSpec("applicable", "Applies to this child", .checkbox),
                        FieldSpec("notApplicableReason", "Why it does not apply", .textarea),
                        FieldSpec("severity", "How soon to act", Choices.of(Severity.self), required: true),
                        FieldSpec("raisedTo", "How soon, if it gets worse", Choices.of(Severity.self)),
                        FieldSpec("actions", "What to do", hint: "One step on each line.", .lines),
                        FieldSpec("childSupport", "How to support the child", .textarea),
                        FieldSpec("namedPersons", "People it is about", .people(roles: nil)),
                        FieldSpec("responders", "Who to call, in order", .objects([
                            FieldSpec("name", "Name or service"), FieldSpec("phone", "Phone"),
                            FieldSpec("role", "Role", Choices.of(ResponderRole.self)), FieldSpec("outOfHours", "Answers out of hours", .checkbox)],
                            spare: 1, noun: "Responder")),
                    ], paths: ["contingencies"], itemLabel: { item in
                        let s = str(item, "scenario")
                        return "\(s): \(Scenario(rawValue: s)?.title ?? "")"
                    }, newItem: { _ in ["id": newID("k"), "applicable": true, "triggers": [String](), "actions": [String](), "responders": [Any](),
                                        "legalLevers": [String](), "linkedOrders": [String](), "namedPersons": [String]()] }),
        SectionSpec(id: "risk", title: "Risk assessment", summary: "A dated assessment of the online risk from birth relatives.", key: "riskAssessments", isList: true,
                    noun: "risk assessment", fields: [
                        FieldSpec("assessedOn", "Assessed on", .date, required: true),
                        FieldSpec("assessedBy", "Assessed by", required: true),
                        FieldSpec("level", "Level", Choices.of(RiskLevel.self), required: true),
                        FieldSpec("birthRelativesOnline", "Birth relatives' online activity", .textarea, required: true),
                        FieldSpec("pastBreaches", "Past breaches", .textarea, required: true),
                        FieldSpec("proximity", "How near they live", .textarea, required: true),
                        FieldSpec("whatTheyKnow", "What they already know", .textarea, required: true),
                        FieldSpec("childVulnerabilities", "The child's vulnerabilities", .textarea, required: true),
                    ], paths: ["riskAssessments"], itemLabel: { "Assessed " + day(str($0, "assessedOn")) + ": " + str($0, "level") + " risk" },
                    newItem: { _ in ["id": newID("r")] }),
        SectionSpec(id: "views", title: "Views", summary: "What the child, the adopters and birth relatives think about contact.", key: "views", isList: false,
                    noun: "views", fields: [
                        FieldSpec("child", "The child's views", .object([FieldSpec("recordedOn", "Recorded on", .date), FieldSpec("summary", "Summary", .textarea)])),
                        FieldSpec("adopters", "The adopters' views", .object([FieldSpec("recordedOn", "Recorded on", .date), FieldSpec("summary", "Summary", .textarea)])),
                        FieldSpec("birthRelatives", "Birth relatives' views", .objects([
                            FieldSpec("personRef", "Who", .person(roles: [.birthMother, .birthFather, .birthParent, .sibling, .birthRelative])),
                            FieldSpec("recordedOn", "Recorded on", .date), FieldSpec("summary", "Summary", .textarea)], spare: 1, noun: "Birth relative")),
                    ], paths: ["views"], itemLabel: { _ in "Views" }),
        SectionSpec(id: "reviews", title: "Reviews", summary: "Review dates: the statutory rhythm and the points the law and practice require.", key: "reviews", isList: true,
                    noun: "review", fields: [
                        FieldSpec("kind", "Kind", Choices.of(ReviewKind.self), required: true),
                        FieldSpec("dueOn", "Due on", .date, required: true),
                        FieldSpec("heldOn", "Held on", .date),
                        FieldSpec("notes", "Notes", .textarea),
                    ], paths: ["reviews"], itemLabel: { item in
                        Choices.humanise(str(item, "kind")) + " due " + day(str(item, "dueOn"))
                    }, newItem: { _ in ["id": newID("rv")] }),
        SectionSpec(id: "decisions", title: "Life story and decisions", summary: "The life-story book and later life letter, decisions delegated to foster carers, and (Scotland) the sibling contact decision.",
                    key: "", isList: false, noun: "decisions", fields: [
                        FieldSpec("lifeStory", "Life-story work", .object([
                            FieldSpec("bookGivenOn", "Life-story book given on", .date), FieldSpec("laterLifeLetterGivenOn", "Later life letter given on", .date)]),
                                  required: true),
                        FieldSpec("delegatedAuthority", "Decisions delegated to the foster carers in the placement plan",
                                  hint: "Anything not ticked needs the social worker.",
                                  .multi(DelegatedDecision.allCases.map { ($0.rawValue, $0.plain.prefix(1).uppercased() + $0.plain.dropFirst()) })),
                        FieldSpec("siblingContactDecision", "Sibling contact decision (Scotland)", .object([
                            FieldSpec("decision", "The decision", .textarea, required: true), FieldSpec("recordedOn", "Recorded on", .date, required: true),
                            FieldSpec("recordedBy", "Recorded by", required: true)])),
                    ], paths: ["lifeStory", "delegatedAuthority", "siblingContactDecision"], itemLabel: { _ in "Life story and decisions" }),
        SectionSpec(id: "signoffs", title: "Sign-offs", summary: "Everyone who must agree the plan before panel.", key: "signOffs", isList: true,
                    noun: "sign-off", fields: [
                        FieldSpec("role", "Signed by (role)", Choices.of(SignOffRole.self) { $0.plain.prefix(1).uppercased() + $0.plain.dropFirst() }, required: true),
                        FieldSpec("name", "Name", required: true),
                        FieldSpec("signedOn", "Signed on", .date, required: true),
                    ], paths: ["signOffs"], itemLabel: { item in
                        (SignOffRole(rawValue: str(item, "role"))?.plain ?? str(item, "role")) + ": " + str(item, "name")
                    }),
    ]

    static func spec(_ id: String) -> SectionSpec? { all.first { $0.id == id } }
}

// MARK: reading and writing the plan's JSON

enum PlanJSON {
    static func object(_ plan: Plan) throws -> [String: Any] {
        let data = try PlanArchive(plan: plan).encoded()
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any], let p = root["plan"] as? [String: Any] else {
            throw PageError(status: .internalServerError, message: "The plan could not be read for editing.")
        }
        return p
    }

    /// Reads a plan back through the archive decoder: errors name the field (`plan.people[2].role`).
    enum Decoded {
        case success(Plan)
        case failure(ArchiveProblem)
    }

    static func decode(_ object: [String: Any]) -> Decoded {
        let root: [String: Any] = ["format": PlanArchive.formatName, "formatVersion": PlanArchive.currentVersion, "plan": object]
        do {
            let data = try JSONSerialization.data(withJSONObject: root)
            return .success(try PlanArchive.decode(data).plan)
        } catch let error as CoreError {
            if case .archive(let problem) = error { return .failure(problem) }
            return .failure(ArchiveProblem(path: "", problem: error.description))
        } catch {
            return .failure(ArchiveProblem(path: "", problem: "The plan could not be saved in that form."))
        }
    }

    static func get(_ object: Any?, _ key: String) -> Any? {
        var current = object
        for part in key.split(separator: ".") { current = (current as? [String: Any])?[String(part)] }
        return current
    }

    static func set(_ object: inout [String: Any], _ key: String, _ value: Any?) {
        let parts = key.split(separator: ".").map(String.init)
        guard let first = parts.first else { return }
        if parts.count == 1 {
            object[first] = value
            return
        }
        var child = object[first] as? [String: Any] ?? [:]
        set(&child, parts.dropFirst().joined(separator: "."), value)
        object[first] = child.isEmpty ? nil : child
    }

    /// A stored value as a form shows it.
    static func display(_ value: Any?) -> String {
        switch value {
        case let s as String: s
        case let b as Bool: b ? "true" : ""
        case let n as NSNumber: n.stringValue
        case let a as [Any]: a.compactMap { $0 as? String }.joined(separator: "\n")
        default: ""
        }
    }
}

/// What a submitted form did to an item: the new item, or the errors by field id.
struct FormOutcome {
    var item: [String: Any]
    var errors: [FieldError]
}

enum FormReader {
    static func fieldID(_ name: String) -> String { "f-" + name.replacingOccurrences(of: ".", with: "-") }

    /// Applies the submitted values to an item. Only the form's own fields change; everything else is kept.
    static func apply(_ fields: [FieldSpec], form: FormData, to item: [String: Any], prefix: String = "") -> FormOutcome {
        var item = item
        var errors: [FieldError] = []
        for field in fields {
            let name = prefix + field.key
            let raw = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            switch field.kind {
            case .text, .textarea, .select, .person:
                if raw.isEmpty {
                    if field.required { errors.append(FieldError(field: fieldID(name), message: "Enter \(field.label.lowercased())")) }
                    item[field.key] = nil
                } else {
                    item[field.key] = raw
                }
            case .date:
                // Three boxes (name.day, name.month, name.year); one box with a whole date is read too.
                let parts = DateParts(day: form[name + ".day"], month: form[name + ".month"], year: form[name + ".year"])
                if parts.isEmpty && !raw.isEmpty {
                    if let date = parseDate(raw) { item[field.key] = date.iso } else {
                        errors.append(FieldError(field: fieldID(name), message: "\(field.label) must be a real date, like 21 11 2026"))
                    }
                    continue
                }
                switch parts.parse(field.label) {
                case .success(let date?): item[field.key] = date.iso
                case .success(nil):
                    if field.required { errors.append(FieldError(field: fieldID(name), message: "Enter \(field.label.lowercased())")) }
                    item[field.key] = nil
                case .failure(let problem):
                    errors.append(FieldError(field: fieldID(name), message: problem.message))
                }
            case .number:
                if raw.isEmpty { item[field.key] = nil } else if let n = RequestNumber.parse(raw, in: 0...9_999) { item[field.key] = n } else {
                    errors.append(FieldError(field: fieldID(name), message: "\(field.label) must be a whole number from 0 to 9,999, like 2"))
                    item[field.key] = raw
                }
            case .checkbox:
                // Unticked and never recorded stays unrecorded (an optional yes/no the plan did not hold).
                if form[name] == "true" { item[field.key] = true } else if item[field.key] != nil { item[field.key] = false }
            case .lines:
                item[field.key] = (form[name] ?? "").split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case .people, .multi:
                item[field.key] = form.all(name).filter { !$0.isEmpty }
            case .object(let sub):
                let existing = item[field.key] as? [String: Any]
                let inner = apply(sub, form: form, to: existing ?? [:], prefix: name + ".")
                let filled = sub.contains { posted(form, name + "." + $0.key, $0) }
                if filled || sub.contains(where: \.required) && existing != nil {
                    errors += inner.errors
                    item[field.key] = inner.item
                } else if let existing, !isBlank(inner.item) || isBlank(existing) {
                    // Nothing typed in the form's own fields, but the object holds more than the form shows (a
                    // contact's employer, say), or was empty already: keep it, with the form's fields as posted.
                    item[field.key] = inner.item
                } else {
                    // Cleared, or never there: a required object (one the plan always has) stays, empty; an optional
                    // one is removed.
                    item[field.key] = field.required ? [String: Any]() : nil
                }
            case .objects(let sub, _, _):
                let existing = item[field.key] as? [Any] ?? []
                // The rows are those the form posted (`settings.0.kind`, `settings.1.kind`, ...): never a count the
                // client sends.
                let rows = postedRows(form, name: name)
                var out: [Any] = []
                for i in rows {
                    let rowPrefix = "\(name).\(i)."
                    let filled = sub.contains { s in
                        if case .checkbox = s.kind { return false }
                        return posted(form, rowPrefix + s.key, s)
                    }
                    guard filled else { continue }
                    var base = (i < existing.count ? existing[i] as? [String: Any] : nil) ?? defaults(for: field.key)
                    let inner = apply(sub, form: form, to: base, prefix: rowPrefix)
                    errors += inner.errors
                    base = inner.item
                    out.append(base)
                }
                item[field.key] = out
            }
        }
        return FormOutcome(item: item, errors: errors)
    }

    /// Whether something was typed in a field (for a date, in any of its boxes).
    static func posted(_ form: FormData, _ name: String, _ field: FieldSpec) -> Bool {
        func has(_ n: String) -> Bool { !(form[n] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if case .date = field.kind { return has(name) || has(name + ".day") || has(name + ".month") || has(name + ".year") }
        return has(name)
    }

    /// The row numbers a form posted for a list field, in order (at most 200 rows).
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

    /// Nothing in it: no text, no list items, no ticks.
    static func isBlank(_ object: [String: Any]) -> Bool {
        object.values.allSatisfy { v in
            switch v {
            case let s as String: s.isEmpty
            case let a as [Any]: a.isEmpty
            case let b as Bool: !b
            case let d as [String: Any]: isBlank(d)
            case is NSNull: true
            default: false
            }
        }
    }

    /// The keys a new row of a list needs before the decoder accepts it.
    static func defaults(for key: String) -> [String: Any] {
        switch key {
        case "conditions": ["id": Sections.newID("cond"), "protectedTokens": [String](), "kind": "other"]
        case "suspensions": ["id": Sections.newID("s"), "notifiedTo": [String](), "basis": "agreement"]
        case "responders": ["outOfHours": false]
        case "items": ["id": Sections.newID("i"), "kind": "conversation", "status": "planned", "owner": "carer"]
        case "settings": ["kind": "school"]
        default: [:]
        }
    }

    /// ISO dates, and day/month/year as people type them.
    static func parseDate(_ raw: String) -> CalendarDate? {
        if let d = CalendarDate(iso: raw) { return d }
        let parts = raw.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == " " }).compactMap { RequestNumber.parse($0, in: 0...9_999) }
        if parts.count == 3, parts[2] >= 1900 { return CalendarDate(year: parts[2], month: parts[1], day: parts[0]) }
        return nil
    }

    /// A stored value in words, as a summary shows it: option labels, people by name and role, dates in words.
    static func words(_ field: FieldSpec, _ value: Any?, plan: Plan) -> String {
        func person(_ id: String) -> String {
            guard let p = plan.people.first(where: { $0.id == id }) else { return "someone no longer in the plan" }
            return "\(p.name.full) (\(Choices.humanise(p.role.rawValue).lowercased()))"
        }
        switch field.kind {
        case .select(let options), .multi(let options):
            let codes = (value as? [String]) ?? (value as? String).map { [$0] } ?? []
            if field.key == "orderRef" {
                return codes.compactMap { id in plan.orders.first { $0.id == id }.map { "\(Choices.orderTitle($0.type)), made \($0.madeOn.long)" } }.joined(separator: "; ")
            }
            return codes.map { c in options.first { $0.value == c }?.label ?? Choices.humanise(c) }.joined(separator: "; ")
        case .person: return (value as? String).map(person) ?? ""
        case .people: return ((value as? [String]) ?? []).map(person).joined(separator: "; ")
        case .date: return (value as? String).map { CalendarDate(iso: $0)?.long ?? $0 } ?? ""
        case .checkbox: return (value as? Bool) == true ? "Yes" : "No"
        case .object, .objects: return ""
        default: return PlanJSON.display(value)
        }
    }

    /// A stored date as a date field shows it: day/month/year, as people type it.
    static func dateInput(_ iso: String) -> String {
        guard let d = CalendarDate(iso: iso) else { return iso }
        return "\(d.day)/\(d.month)/\(d.year)"
    }

    /// The field views for an item, with the values shown (stored or as typed) and errors beside each field.
    static func views(_ fields: [FieldSpec], item: [String: Any], plan: Plan, typed: FormData?, errors: [String: String],
                      prefix: String = "") -> [FieldView] {
        fields.map { field in
            let name = prefix + field.key
            let id = fieldID(name)
            let stored = item[field.key]
            var v = FieldView(id: id, name: name, label: field.label, hint: field.hint ?? "", error: errors[id] ?? "",
                              hasHint: field.hint != nil, hasError: errors[id] != nil,
                              value: typed.map { $0[name] ?? "" } ?? PlanJSON.display(stored))
            v.required = field.required
            v.describedBy = [field.hint != nil ? id + "-hint" : nil, errors[id] != nil ? id + "-error" : nil].compactMap { $0 }.joined(separator: " ")
            v.hasDescribedBy = !v.describedBy.isEmpty
            switch field.kind {
            case .text: v.isText = true
            case .textarea, .lines: v.isTextarea = true
            case .date:
                v.isDate = true
                v.dayName = name + ".day"; v.monthName = name + ".month"; v.yearName = name + ".year"
                if let typed {
                    v.dayValue = typed[name + ".day"] ?? ""; v.monthValue = typed[name + ".month"] ?? ""; v.yearValue = typed[name + ".year"] ?? ""
                    if v.dayValue.isEmpty && v.monthValue.isEmpty && v.yearValue.isEmpty, let d = parseDate(typed[name] ?? "") {
                        v.dayValue = String(d.day); v.monthValue = String(d.month); v.yearValue = String(d.year)
                    }
                } else if let d = CalendarDate(iso: v.value) {
                    v.dayValue = String(d.day); v.monthValue = String(d.month); v.yearValue = String(d.year)
                }
                if let message = errors[id] {
                    let parts = DateParts(day: v.dayValue, month: v.monthValue, year: v.yearValue)
                    if case .failure(let p) = parts.parse(field.label), p.message == message {
                        v.dayInvalid = p.part == "day"; v.monthInvalid = p.part == "month"; v.yearInvalid = p.part == "year"
                    } else {
                        v.dayInvalid = true; v.monthInvalid = true; v.yearInvalid = true
                    }
                }
            case .number: v.isNumber = true
            case .checkbox:
                v.isCheckbox = true
                v.checked = typed.map { $0[name] == "true" } ?? (stored as? Bool ?? false)
            case .select(let options):
                v.isSelect = true
                v.options = [OptionView(value: "", label: field.required ? "Choose…" : "Not set", selected: v.value.isEmpty, id: "")]
                    + options.map { OptionView(value: $0.value, label: $0.label, selected: $0.value == v.value, id: "") }
                if field.key == "orderRef" {
                    v.options = [OptionView(value: "", label: "Not by order", selected: v.value.isEmpty, id: "")]
                        + plan.orders.map { OptionView(value: $0.id, label: "\(Choices.orderTitle($0.type)), made \($0.madeOn.long)", selected: $0.id == v.value, id: "") }
                }
            case .person(let roles):
                v.isSelect = true
                // A stored person outside the usual roles stays a choice, so saving the form unchanged keeps them.
                v.options = [OptionView(value: "", label: field.required ? "Choose…" : "Nobody", selected: v.value.isEmpty, id: "")]
                    + plan.people.filter { roles?.contains($0.role) ?? true || $0.id == v.value }.map {
                        OptionView(value: $0.id, label: "\($0.name.full) (\(Choices.humanise($0.role.rawValue).lowercased()))", selected: $0.id == v.value, id: "")
                    }
            case .people(let roles):
                v.isCheckboxes = true
                let chosen = Set(typed.map { $0.all(name) } ?? (stored as? [String] ?? []))
                v.options = plan.people.filter { roles?.contains($0.role) ?? true || chosen.contains($0.id) }.enumerated().map { i, p in
                    OptionView(value: p.id, label: "\(p.name.full) (\(Choices.humanise(p.role.rawValue).lowercased()))", selected: chosen.contains(p.id), id: "\(id)-\(i)")
                }
            case .multi(let options):
                v.isCheckboxes = true
                let chosen = Set(typed.map { $0.all(name) } ?? (stored as? [String] ?? []))
                v.options = options.enumerated().map { i, o in OptionView(value: o.value, label: o.label, selected: chosen.contains(o.value), id: "\(id)-\(i)") }
            case .object(let sub):
                v.isGroup = true
                v.rows = [GroupRow(legend: "", fields: views(sub, item: stored as? [String: Any] ?? [:], plan: plan, typed: typed, errors: errors, prefix: name + "."))]
            case .objects(let sub, let spare, let noun):
                v.isGroup = true
                let existing = stored as? [Any] ?? []
                let typedCount = typed.map { (postedRows($0, name: name).last ?? -1) + 1 }
                let count = min(typedCount ?? (existing.count + spare), 200)
                v.value = String(count)
                v.rows = (0..<count).map { i in
                    GroupRow(legend: i < existing.count ? "\(noun) \(i + 1)" : "\(noun) \(i + 1) (new)",
                             fields: views(sub, item: (i < existing.count ? existing[i] as? [String: Any] : nil) ?? [:], plan: plan,
                                           typed: typed, errors: errors, prefix: "\(name).\(i)."))
                }
            }
            return v
        }
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
