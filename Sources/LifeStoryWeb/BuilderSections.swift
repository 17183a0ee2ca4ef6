import Foundation
import LifeStoryCore
import LifeStoryStorage

/// A section of the task list, typed: which part of the plan it edits and its fields, bound to the Core types.
/// The controller sees only what it needs (count, labels, views, apply, remove); the types stay inside.
struct SectionSpec: @unchecked Sendable {
    var id: String
    var title: String
    /// What the section is for, in a line.
    var summary: String
    /// The plan's key in finding paths: a list (`people`), an object (`child`, `views`), or "" for fields at the top
    /// of the plan.
    var key: String
    var isList: Bool
    var noun: String
    /// The fields' shapes (keys, kinds), for pointing a finding at its field.
    var fields: [FieldSpec]
    /// Finding paths (without `plan.`) that belong to this section.
    var paths: [String]
    /// How many items the plan holds (lists).
    let count: (Plan) -> Int
    /// How an item is named in lists.
    let label: (Plan, Int) -> String
    /// An item (or the section) in words: its first fields, or all of them.
    let facts: (Plan, Int?, Int) -> [(String, String)]
    /// The fields of an item (nil: a new item, or the section itself), stored or as typed.
    let views: (Plan, Int?, FormData?, [String: String]) -> [FieldView]
    /// Applies a posted form to an item (nil: a new item, appended; or the section itself). The plan changes only
    /// when every field reads; otherwise the errors by field id.
    let apply: (inout Plan, Int?, FormData) -> [FieldError]
    /// Removes an item from a list.
    let remove: (inout Plan, Int) -> Void

    static func list<I>(_ id: String, _ title: String, _ summary: String, key: String, noun: String, paths: [String]? = nil,
                        _ path: WritableKeyPath<Plan, [I]>, label: @escaping (I, Plan) -> String, new: @escaping (Plan) -> I,
                        _ fields: [FormField<I>]) -> SectionSpec {
        SectionSpec(id: id, title: title, summary: summary, key: key, isList: true, noun: noun, fields: fields.map(\.spec), paths: paths ?? [key],
                    count: { $0[keyPath: path].count },
                    label: { plan, i in plan[keyPath: path].indices.contains(i) ? label(plan[keyPath: path][i], plan) : "" },
                    facts: { plan, i, n in
                        guard let i, plan[keyPath: path].indices.contains(i) else { return [] }
                        // What the item's own label already says is not said again.
                        let title = label(plan[keyPath: path][i], plan).lowercased()
                        return Engine.facts(fields, plan[keyPath: path][i], plan: plan).filter { !title.contains($0.1.lowercased()) }.prefix(n).map { $0 }
                    },
                    views: { plan, i, typed, errors in
                        if let i, plan[keyPath: path].indices.contains(i) {
                            return Engine.views(fields, model: plan[keyPath: path][i], plan: plan, typed: typed, errors: errors)
                        }
                        return Engine.views(fields, model: new(plan), plan: plan, typed: typed, errors: errors, isNew: true)
                    },
                    apply: { plan, i, form in
                        if let i {
                            guard plan[keyPath: path].indices.contains(i) else { return [FieldError(field: "main", message: "That \(noun) is not in the plan any more.")] }
                            var item = plan[keyPath: path][i]
                            let errors = Engine.apply(fields, form: form, to: &item, plan: plan, isNew: false)
                            if errors.isEmpty { plan[keyPath: path][i] = item }
                            return errors
                        }
                        var item = new(plan)
                        let errors = Engine.apply(fields, form: form, to: &item, plan: plan, isNew: true)
                        if errors.isEmpty { plan[keyPath: path].append(item) }
                        return errors
                    },
                    remove: { plan, i in if plan[keyPath: path].indices.contains(i) { plan[keyPath: path].remove(at: i) } })
    }

    static func single<I>(_ id: String, _ title: String, _ summary: String, key: String, noun: String, paths: [String]? = nil,
                          _ path: WritableKeyPath<Plan, I>, _ fields: [FormField<I>]) -> SectionSpec {
        SectionSpec(id: id, title: title, summary: summary, key: key, isList: false, noun: noun, fields: fields.map(\.spec), paths: paths ?? [key],
                    count: { _ in 1 }, label: { _, _ in title },
                    facts: { plan, _, n in Engine.facts(Array(fields.prefix(n)), plan[keyPath: path], plan: plan) },
                    views: { plan, _, typed, errors in Engine.views(fields, model: plan[keyPath: path], plan: plan, typed: typed, errors: errors) },
                    apply: { plan, _, form in
                        var item = plan[keyPath: path]
                        let errors = Engine.apply(fields, form: form, to: &item, plan: plan, isNew: false)
                        if errors.isEmpty { plan[keyPath: path] = item }
                        return errors
                    },
                    remove: { _, _ in })
    }
}

// MARK: the sections of the task list

enum Sections {
    /// A stored date as people read it: "8 November 2026".
    static func day(_ d: CalendarDate?) -> String { d?.long ?? "" }

    static func newID(_ prefix: String) -> String { prefix + "-" + Token.make().prefix(8).lowercased() }

    /// A placeholder date for a new item's required date: never shown (a new item's required fields start empty)
    /// and never saved (a required date left empty is an error).
    static let placeholderDate = CalendarDate(year: 2000, month: 1, day: 1)!

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    static let birthFamily: Set<PersonRole> = [.birthMother, .birthFather, .birthParent, .sibling, .birthRelative]

    static func nameFields() -> [FormField<PersonName>] {
        [Fields.text("given", "Given name", \PersonName.given), Fields.text("family", "Family name", \PersonName.family)]
    }

    static let conditionFields: [FormField<Condition>] = [
        Fields.choice("kind", "Kind", \Condition.kind).keepingDefault,
        Fields.text("text", "What it says", as: .textarea, \Condition.text),
        Fields.lines("protectedTokens", "Details that must never appear in a guide for someone who may not see them",
                     hint: "One on each line, exactly as they might be written: a school's name, a town, a street.", \Condition.protectedTokens),
    ]

    static func newCondition(_: Plan) -> Condition { Condition(id: newID("cond"), kind: .other, text: "") }

    static let childFields: [FormField<Child>] = [
        Fields.text("pseudonym", "Case-file pseudonym", hint: "Used in lists and the audit log instead of the child's name, for example Child E7.", \Child.pseudonym),
        Fields.text("knownAs", "Name the child is known by", \Child.knownAs),
        Fields.group("birthName", "Name given at birth", \Child.birthName, words: \.full, nameFields()),
        Fields.group("currentName", "New legal name, once there is one", \Child.currentName, empty: PersonName(given: ""),
                     isEmpty: { $0.given.isEmpty && ($0.family ?? "").isEmpty }, holdsMore: { _ in false }, words: \.full,
                     nameFields()),
        Fields.date("dateOfBirth", "Date of birth", hint: "For example, 27 4 2017", \Child.dateOfBirth),
        Fields.choice("jurisdiction", "Where the child's legal proceedings are", \Child.jurisdiction) { $0.name },
        Fields.choice("legalStatus", "Legal status", \Child.legalStatus),
        Fields.text("carersTerm", "What the child calls the adults they live with", hint: "In the child's own words, for example Mum and Dad.", \Child.carersTerm),
        Fields.lines("needs", "Health, development and support needs", hint: "One on each line.", \Child.needs),
        Fields.rows("settings", "School, nursery, GP and clubs", noun: "Place", \Child.settings, new: { _ in ChildSetting(kind: .school, name: "") }, [
            Fields.choice("kind", "Kind", \ChildSetting.kind).keepingDefault, Fields.text("name", "Name", \ChildSetting.name),
            Fields.text("town", "Town", \ChildSetting.town)]),
    ]

    static let childSection: SectionSpec = .single("child", "Child", "Names, date of birth, jurisdiction and legal status.", key: "child", noun: "child", \Plan.child, childFields)

    static let placementsSection: SectionSpec = .list("placements", "Placements", "Where the child lives and has lived, and with whom.", key: "placements", noun: "placement", \Plan.placements,
          label: { p, _ in "\(Choices.humanise(p.kind.rawValue)) from \(p.startDate.long)" },
          new: { _ in Placement(id: newID("pl"), kind: .foster, startDate: placeholderDate) }, [
            Fields.choice("kind", "Kind of placement", \Placement.kind),
            Fields.date("startDate", "Start date (day one)", hint: "For example, 14 9 2026", \Placement.startDate),
            Fields.date("endDate", "End date, if it has ended", \Placement.endDate),
            Fields.people("carers", "Carers", roles: [.adopter, .fosterCarer, .kinshipCarer], \Placement.carers),
          ])

    static let peopleSection: SectionSpec = .list("people", "People", "Birth family, carers and professionals, with what the child calls them.", key: "people", noun: "person", \Plan.people,
          label: { p, _ in Engine.personLabel(p) },
          new: { _ in Person(id: newID("p"), role: .birthRelative, name: PersonName(given: "")) }, [
            Fields.choice("role", "Role", \Person.role),
            Fields.group("name", "Name", \Person.name, words: \.full, nameFields()),
            Fields.text("termUsedByChild", "What the child calls them", hint: "In the child's own words, for example Mummy Kelly.", \Person.termUsedByChild),
            Fields.text("relationship", "Relationship, in words", hint: "For example, maternal grandmother.", \Person.relationship),
            Fields.date("dateOfBirth", "Date of birth (siblings)", \Person.dateOfBirth),
            Fields.flag("placedElsewhere", "A sibling placed with another family", \Person.placedElsewhere),
            Fields.flag("easyRead", "Give them their summary in Easy Read", hint: "Short sentences, one idea a line, large print: for a birth relative who finds reading hard.", \Person.easyRead),
            Fields.text("serialNumber", "Serial number (adopters)", \Person.serialNumber),
            Fields.text("organisation", "Organisation or team (professionals)", \Person.organisation),
            Fields.lines("riskFlags", "Risk flags", hint: "One on each line, for example history of harassment.", \Person.riskFlags),
            Fields.group("contact", "Contact details", \Person.contact, empty: ContactDetails(),
                         isEmpty: { $0 == ContactDetails() }, holdsMore: { $0.employer != nil || $0.vehicleRegistration != nil }, [
                            Fields.text("phone", "Phone", \ContactDetails.phone), Fields.text("email", "Email", \ContactDetails.email),
                            Fields.text("address", "Address", \ContactDetails.address), Fields.text("town", "Town", \ContactDetails.town),
                            Fields.text("postcode", "Postcode", \ContactDetails.postcode),
                            Fields.lines("socialHandles", "Social media handles", hint: "One on each line.", \ContactDetails.socialHandles)]),
          ])

    static let ordersSection: SectionSpec = .list("orders", "Orders", "Court orders, with what they allow and forbid.", key: "orders", noun: "order", \Plan.orders,
          label: { o, _ in "\(o.type.shortName), made \(o.madeOn.long)" },
          new: { plan in LegalOrder(id: newID("o"), type: .aca02Placement, jurisdiction: plan.child.jurisdiction, court: "", madeOn: placeholderDate) }, [
            Fields.choice("type", "Type of order", \LegalOrder.type) { Choices.orderTitle($0) },
            Fields.choice("jurisdiction", "Made in", \LegalOrder.jurisdiction) { $0.name }.keepingDefault,
            Fields.text("court", "Court", \LegalOrder.court),
            Fields.date("madeOn", "Made on", \LegalOrder.madeOn),
            Fields.date("expiresOn", "Expires on", \LegalOrder.expiresOn),
            Fields.date("endedOn", "Ended early on", \LegalOrder.endedOn),
            Fields.flag("inForce", "In force", \LegalOrder.inForce),
            Fields.flag("penalNotice", "Has a penal notice", \LegalOrder.penalNotice),
            Fields.flag("indirectContactAllowed", "Expressly allows indirect contact", \LegalOrder.indirectContactAllowed),
            Fields.people("namedPersons", "People it names", roles: nil, \LegalOrder.namedPersons),
            Fields.lines("provisions", "What it says", hint: "One provision on each line.", \LegalOrder.provisions),
            Fields.rows("conditions", "Conditions", noun: "Condition", \LegalOrder.conditions, new: newCondition, conditionFields),
          ])

    static let arrangementsSection: SectionSpec = .list("arrangements", "Contact arrangements", "Who the child keeps in touch with, how and how often.", key: "arrangements", noun: "arrangement",
          \Plan.arrangements, label: { a, _ in capitalised(a.mode.plain) },
          new: { _ in ContactArrangement(id: newID("a"), counterpart: "", basis: .agreement, mode: .letterboxPaper, frequency: Frequency(kind: .regular),
                                         start: placeholderDate, status: .proposed) }, [
            Fields.person("counterpart", "With", roles: birthFamily, \ContactArrangement.counterpart),
            Fields.choice("basis", "On the basis of", \ContactArrangement.basis),
            Fields.dynamic("orderRef", "The order, if it is by order", none: "Not by order", \ContactArrangement.orderRef) { plan in
                plan.orders.map { ($0.id, "\(Choices.orderTitle($0.type)), made \($0.madeOn.long)") }
            },
            Fields.choice("mode", "How", \ContactArrangement.mode) { capitalised($0.plain) },
            Fields.text("platform", "Platform or app, if online", \ContactArrangement.platform),
            Fields.choice("heldBy", "Account or address held by", \ContactArrangement.heldBy).keepingDefault,
            Fields.group("frequency", "How often", \ContactArrangement.frequency, [
                Fields.choice("kind", "Kind", \Frequency.kind).keepingDefault, Fields.number("count", "Times", \Frequency.count),
                Fields.choice("per", "Per", \Frequency.per)]),
            Fields.choice("supervision", "Supervision", \ContactArrangement.supervision).keepingDefault,
            Fields.person("intermediary", "Through (letterbox coordinator or other go-between)", roles: nil, \ContactArrangement.intermediary),
            Fields.date("start", "Starts on", \ContactArrangement.start),
            Fields.date("end", "Ends on", \ContactArrangement.end),
            Fields.choice("status", "Status", \ContactArrangement.status).keepingDefault,
            Fields.rows("conditions", "Conditions", noun: "Condition", \ContactArrangement.conditions, new: newCondition, conditionFields),
            Fields.rows("suspensions", "Suspensions", noun: "Suspension", \ContactArrangement.suspensions,
                        new: { _ in Suspension(id: newID("s"), from: placeholderDate, basis: .agreement, reason: "") }, [
                Fields.date("from", "From", \Suspension.from), Fields.date("to", "To", \Suspension.to),
                Fields.choice("basis", "On the basis of", \Suspension.basis).keepingDefault,
                Fields.text("reason", "Why", as: .textarea, \Suspension.reason), Fields.date("notifiedOn", "Notified on", \Suspension.notifiedOn),
                Fields.lines("notifiedTo", "Notified to", hint: "One on each line.", \Suspension.notifiedTo)]),
          ])

    static let stagesSection: SectionSpec = .list("stages", "Stages and conversations", "What to talk about at each age, and by when.", key: "stages", noun: "stage", \Plan.stages,
          label: { s, _ in "\(s.code.rawValue): \(s.code.title)" },
          new: { _ in PlannedStage(code: .d0) }, [
            Fields.choice("code", "Stage", \PlannedStage.code) { "\($0.rawValue): \($0.title)" },
            Fields.choice("status", "Status", \PlannedStage.status).keepingDefault,
            Fields.date("lastReviewedOn", "Last reviewed on", \PlannedStage.lastReviewedOn),
            Fields.date("reviewBy", "Review by", \PlannedStage.reviewBy),
            Fields.rows("items", "Conversations and activities", noun: "Item", \PlannedStage.items,
                        new: { _ in StageItem(id: newID("i"), title: "") }, [
                Fields.text("title", "What", \StageItem.title),
                Fields.choice("kind", "Kind", \StageItem.kind).keepingDefault,
                Fields.date("targetDate", "By", \StageItem.targetDate),
                Fields.choice("status", "Status", \StageItem.status).keepingDefault,
                Fields.date("doneOn", "Done on", \StageItem.doneOn),
                Fields.choice("owner", "Who", \StageItem.owner).keepingDefault,
                Fields.text("contentRef", "Guidance", \StageItem.contentRef)]),
          ])

    static let contingenciesSection: SectionSpec = .list("contingencies", "Contingencies and responders", "What the family does if contact happens outside the plan, and who they call.",
          key: "contingencies", noun: "contingency", \Plan.contingencies,
          label: { k, _ in "\(k.scenario.rawValue): \(k.scenario.title)" },
          new: { _ in Contingency(id: newID("k"), scenario: .c1, severity: .s3) }, [
            Fields.choice("scenario", "Scenario", \Contingency.scenario) { "\($0.rawValue): \($0.title)" },
            Fields.flag("applicable", "Applies to this child", \Contingency.applicable),
            Fields.text("notApplicableReason", "Why it does not apply", as: .textarea, \Contingency.notApplicableReason),
            Fields.choice("severity", "How soon to act", \Contingency.severity),
            Fields.choice("raisedTo", "How soon, if it gets worse", \Contingency.raisedTo),
            Fields.lines("actions", "What to do", hint: "One step on each line.", \Contingency.actions),
            Fields.text("childSupport", "How to support the child", as: .textarea, \Contingency.childSupport),
            Fields.people("namedPersons", "People it is about", roles: nil, \Contingency.namedPersons),
            Fields.rows("responders", "Who to call, in order", noun: "Responder", \Contingency.responders,
                        new: { _ in Responder(role: .other, name: "") }, [
                Fields.text("name", "Name or service", \Responder.name), Fields.text("phone", "Phone", \Responder.phone),
                Fields.choice("role", "Role", \Responder.role), Fields.flag("outOfHours", "Answers out of hours", \Responder.outOfHours)]),
          ])

    static let riskSection: SectionSpec = .list("risk", "Risk assessment", "A dated assessment of the online risk from birth relatives.", key: "riskAssessments", noun: "risk assessment",
          \Plan.riskAssessments, label: { r, _ in "Assessed \(r.assessedOn.long): \(Choices.humanise(r.level.rawValue).lowercased()) risk" },
          new: { _ in RiskAssessment(id: newID("r"), assessedOn: placeholderDate, assessedBy: "", level: .low, birthRelativesOnline: "", pastBreaches: "",
                                     proximity: "", whatTheyKnow: "", childVulnerabilities: "") }, [
            Fields.date("assessedOn", "Assessed on", \RiskAssessment.assessedOn),
            Fields.text("assessedBy", "Assessed by", \RiskAssessment.assessedBy),
            Fields.choice("level", "Level", \RiskAssessment.level),
            Fields.text("birthRelativesOnline", "Birth relatives' online activity", as: .textarea, \RiskAssessment.birthRelativesOnline),
            Fields.text("pastBreaches", "Past breaches", as: .textarea, \RiskAssessment.pastBreaches),
            Fields.text("proximity", "How near they live", as: .textarea, \RiskAssessment.proximity),
            Fields.text("whatTheyKnow", "What they already know", as: .textarea, \RiskAssessment.whatTheyKnow),
            Fields.text("childVulnerabilities", "The child's vulnerabilities", as: .textarea, \RiskAssessment.childVulnerabilities),
          ])

    static let viewsSection: SectionSpec = .single("views", "Views", "What the child, the adopters and birth relatives think about contact.", key: "views", noun: "views", \Plan.views, [
        viewGroup("child", "The child's views", \Views.child),
        viewGroup("adopters", "The adopters' views", \Views.adopters),
        Fields.rows("birthRelatives", "Birth relatives' views", noun: "Birth relative", \Views.birthRelatives,
                    new: { _ in ViewRecord(recordedOn: placeholderDate, summary: "") }, [
            Fields.person("personRef", "Who", roles: birthFamily, \ViewRecord.personRef),
            Fields.date("recordedOn", "Recorded on", \ViewRecord.recordedOn), Fields.text("summary", "Summary", as: .textarea, \ViewRecord.summary)]),
    ])

    static let reviewsSection: SectionSpec = .list("reviews", "Reviews", "Review dates: the statutory rhythm and the points the law and practice require.", key: "reviews", noun: "review", \Plan.reviews,
          label: { r, _ in "\(Choices.humanise(r.kind.rawValue)) due \(r.dueOn.long)" },
          new: { _ in Review(id: newID("rv"), kind: .stageReview, dueOn: placeholderDate) }, [
            Fields.choice("kind", "Kind", \Review.kind),
            Fields.date("dueOn", "Due on", \Review.dueOn),
            Fields.date("heldOn", "Held on", \Review.heldOn),
            Fields.text("notes", "Notes", as: .textarea, \Review.notes),
          ])

    static let decisionsSection: SectionSpec = .single("decisions", "Life story and decisions", "The life-story book and later life letter, decisions delegated to foster carers, and (Scotland) the sibling contact decision.",
            key: "", noun: "decisions", paths: ["lifeStory", "delegatedAuthority", "siblingContactDecision"], \Plan.self, [
        Fields.group("lifeStory", "Life-story work", \Plan.lifeStory, [
            Fields.date("bookGivenOn", "Life-story book given on", \LifeStoryWork.bookGivenOn),
            Fields.date("laterLifeLetterGivenOn", "Later life letter given on", \LifeStoryWork.laterLifeLetterGivenOn)]),
        Fields.multi("delegatedAuthority", "Decisions delegated to the foster carers in the placement plan", hint: "Anything not ticked needs the social worker.",
                     \Plan.delegatedAuthority) { capitalised($0.plain) },
        Fields.group("siblingContactDecision", "Sibling contact decision (Scotland)", \Plan.siblingContactDecision,
                     empty: RecordedDecision(decision: "", recordedOn: placeholderDate, recordedBy: ""),
                     isEmpty: { $0.decision.isEmpty && $0.recordedBy.isEmpty }, holdsMore: { _ in false }, [
            Fields.text("decision", "The decision", as: .textarea, \RecordedDecision.decision),
            Fields.date("recordedOn", "Recorded on", \RecordedDecision.recordedOn),
            Fields.text("recordedBy", "Recorded by", \RecordedDecision.recordedBy)]),
    ])

    static let signoffsSection: SectionSpec = .list("signoffs", "Sign-offs", "Everyone who must agree the plan before panel.", key: "signOffs", noun: "sign-off", \Plan.signOffs,
          label: { s, _ in "\(capitalised(s.role.plain)): \(s.name)" },
          new: { _ in SignOff(role: .childsSocialWorker, name: "", signedOn: placeholderDate) }, [
            Fields.choice("role", "Signed by (role)", \SignOff.role) { capitalised($0.plain) },
            Fields.text("name", "Name", \SignOff.name),
            Fields.date("signedOn", "Signed on", \SignOff.signedOn),
          ])

    static let all: [SectionSpec] = [childSection, placementsSection, peopleSection, ordersSection, arrangementsSection, stagesSection, contingenciesSection, riskSection, viewsSection, reviewsSection, decisionsSection, signoffsSection]

    static func viewGroup(_ key: String, _ label: String, _ path: WritableKeyPath<Views, ViewRecord?>) -> FormField<Views> {
        Fields.group(key, label, path, empty: ViewRecord(recordedOn: placeholderDate, summary: ""),
                     isEmpty: { $0.summary.isEmpty && $0.personRef == nil }, holdsMore: { $0.personRef != nil }, [
            Fields.date("recordedOn", "Recorded on", \ViewRecord.recordedOn), Fields.text("summary", "Summary", as: .textarea, \ViewRecord.summary)])
    }

    static func spec(_ id: String) -> SectionSpec? { all.first { $0.id == id } }
}
