import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore

/// The social worker's pages for one child: the record, the builder's task list and forms, check and submit,
/// incidents, guides, versions, and the family's access.
struct PlanController {
    let services: WebServices
    var access: Access { Access(services: services) }

    func add(to router: Router<AppRequestContext>) {
        router.get("/children/new") { _, context in
            _ = try access.requireRole([.socialWorker], context: context)
            return services.page("newchild", NewChildPage(today: FormReader.dateInput(services.today().iso)), context: context)
        }
        router.post("/children/new", use: createChild)
        router.get("/plans/{id}", use: record)
        router.get("/plans/{id}/s/{section}", use: section)
        router.get("/plans/{id}/s/{section}/{index}", use: itemForm)
        router.post("/plans/{id}/s/{section}/{index}", use: saveItem)
        router.post("/plans/{id}/s/{section}/{index}/remove", use: removeItem)
        router.post("/plans/{id}/responders", use: setResponders)
        router.get("/plans/{id}/check", use: check)
        router.post("/plans/{id}/submit", use: submit)
        router.get("/plans/{id}/versions", use: versions)
        router.get("/plans/{id}/diff", use: diff)
        router.get("/plans/{id}/incidents", use: incidents)
        router.post("/plans/{id}/incidents", use: addIncident)
        router.get("/plans/{id}/guides", use: guides)
        router.post("/plans/{id}/guides", use: issueGuide)
        router.get("/plans/{id}/family", use: family)
        router.post("/plans/{id}/family", use: inviteFamily)
        router.post("/plans/{id}/actions/{action}/done", use: completeAction)
        router.post("/plans/{id}/reviews", use: startReview)
    }

    func today() -> CalendarDate { services.today() }
    func findings(_ plan: Plan) -> [Finding] { Rules.check(plan, law: services.law, asOf: today()) }

    /// The plan id in the address: an id that is not in the safe alphabet is no plan of ours ("not found").
    func planID(_ context: AppRequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard Identifier.isSafe(id) else { throw PageError.notFound() }
        return id
    }

    func canEdit(_ planID: String, _ context: AppRequestContext) -> Bool {
        (try? access.require(.edit, planID: planID, context: context)) != nil
    }

    // MARK: new child

    struct NewChildPage: PageModel {
        var pageTitle = "Start a new plan"
        var section = "new"
        var csrf = ""
        var summary: ErrorSummary?
        var fields: [FieldView] = []
        var today: String
    }

    static let newChildFields: [FieldSpec] = [
        FieldSpec("pseudonym", "Case-file pseudonym", hint: "Used in lists and the audit log instead of the child's name, for example Child E7.", required: true),
        FieldSpec("knownAs", "Name the child is known by", required: true),
        FieldSpec("given", "Given name at birth", required: true),
        FieldSpec("family", "Family name at birth"),
        FieldSpec("dateOfBirth", "Date of birth", hint: "For example, 27/4/2019", .date, required: true),
        FieldSpec("jurisdiction", "Where the child's legal proceedings are", Choices.of(JurisdictionCode.self) { $0.name }, required: true),
        FieldSpec("legalStatus", "Legal status", Choices.of(LegalStatus.self), required: true),
        FieldSpec("placementKind", "Kind of placement", Choices.of(PlacementKind.self), required: true),
        FieldSpec("dayOne", "Day one: the date the child moved in", hint: "For example, 14/9/2026", .date, required: true),
    ]

    @Sendable func createChild(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try access.requireRole([.socialWorker], context: context)
        let form = context.form ?? FormData("")
        let outcome = FormReader.apply(Self.newChildFields, form: form, to: [:])
        var errors = outcome.errors
        let v = outcome.item
        let dob = (v["dateOfBirth"] as? String).flatMap(CalendarDate.init(iso:))
        let dayOne = (v["dayOne"] as? String).flatMap(CalendarDate.init(iso:))
        if let dob, dob > today() { errors.append(FieldError(field: "f-dateOfBirth", message: "Date of birth must be today or in the past")) }
        if let dayOne, dayOne > today() { errors.append(FieldError(field: "f-dayOne", message: "Day one must be today or in the past")) }
        if let dob, let dayOne, dayOne < dob { errors.append(FieldError(field: "f-dayOne", message: "Day one must be on or after the date of birth")) }
        let jurisdiction = (v["jurisdiction"] as? String).flatMap(JurisdictionCode.init(rawValue:))
        let status = (v["legalStatus"] as? String).flatMap(LegalStatus.init(rawValue:))
        let kind = (v["placementKind"] as? String).flatMap(PlacementKind.init(rawValue:))
        if v["jurisdiction"] != nil && jurisdiction == nil { errors.append(FieldError(field: "f-jurisdiction", message: "Choose where the child's legal proceedings are")) }
        if v["legalStatus"] != nil && status == nil { errors.append(FieldError(field: "f-legalStatus", message: "Choose a legal status")) }
        if v["placementKind"] != nil && kind == nil { errors.append(FieldError(field: "f-placementKind", message: "Choose the kind of placement")) }
        guard errors.isEmpty, let dob, let dayOne, let jurisdiction, let status, let kind,
              let pseudonym = v["pseudonym"] as? String, let knownAs = v["knownAs"] as? String, let given = v["given"] as? String else {
            var page = NewChildPage(today: FormReader.dateInput(today().iso))
            page.summary = ErrorSummary(errors)
            page.fields = FormReader.views(Self.newChildFields, item: [:], plan: Plan.empty, typed: form, errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }))
            return services.page("newchild", page, context: context, status: .unprocessableContent)
        }
        let suffix = Token.make().prefix(8).lowercased()
        let child = Child(id: "child-\(suffix)", pseudonym: pseudonym, birthName: PersonName(given: given, family: v["family"] as? String),
                          knownAs: knownAs, dateOfBirth: dob, jurisdiction: jurisdiction, legalStatus: status)
        let agencyName = try services.users.agencyName(user.agencyId) ?? user.agencyId
        let worker = Person(id: "p-sw", role: .childsSocialWorker, name: PersonName(given: user.displayName.replacingOccurrences(of: " (demo)", with: "")),
                            organisation: agencyName)
        let plan = PlanTemplate.make(id: "plan-\(suffix)", child: child, placement: Placement(id: "pl-1", kind: kind, startDate: dayOne),
                                     agency: Agency(id: user.agencyId, name: agencyName), socialWorker: worker,
                                     library: services.library, law: services.law, asOf: today())
        try services.plans.create(plan, assign: user.id, actor: context.actor)
        return services.redirect("/plans/\(plan.id)")
    }

    // MARK: the child's record and task list

    struct TaskView {
        var href: String
        var title: String
        var summary: String
        var status: String
        var tagClass: String
        var hint: String
    }

    struct FindingView {
        var rule: String
        var message: String
        var href: String
        var isError: Bool
        var severity: String
    }

    struct ActionView {
        var id: String
        var text: String
        var raisedBy: String
        var raisedAt: String
        var done: Bool
    }

    struct JournalView {
        var kind: String
        var happenedOn: String
        var text: String
        var author: String
    }

    struct RecordPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var revision: Int
        var knownAs: String
        var pseudonym: String
        var facts: [Fact]
        var tasks: [TaskView]
        var canEdit: Bool
        var errorCount: Int
        var warningCount: Int
        var actions: [ActionView]
        var hasActions: Bool
        var journal: [JournalView]
        var hasJournal: Bool
        var incidents: [IncidentView]
        var hasIncidents: Bool
        var outcomes: [OutcomeView]
        var hasOutcomes: Bool
        var notice: String?
        /// Family pages the release scan held back (the latest three): what to put right.
        var withheld: [String] = []
        var hasWithheld = false
    }

    struct Fact {
        var key: String
        var value: String
    }

    struct OutcomeView {
        var kind: String
        var outcome: String
        var reasons: String
        var by: String
        var at: String
    }

    static func statusLabel(_ s: PlanStatus) -> String {
        switch s {
        case .draft: "Draft"
        case .submitted: "Submitted to panel"
        case .panelRecommended: "Recommended by panel"
        case .admApproved: "Approved"
        case .active: "Active"
        case .superseded: "Superseded"
        }
    }

    func sectionOf(_ path: String) -> SectionSpec? {
        let head = String(path.prefix { $0 != "[" && $0 != "." })
        return Sections.all.first { $0.paths.contains(head) }
    }

    func findingViews(_ findings: [Finding], planID: String) -> [FindingView] {
        findings.sorted { ($0.severity, $0.rule) < ($1.severity, $1.rule) }.map { f in
            var href = "/plans/\(planID)/check"
            if let s = sectionOf(f.path) {
                href = "/plans/\(planID)/s/\(s.id)"
                if s.isList, let r = f.path.range(of: #"^[A-Za-z]+\[(\d+)\]"#, options: .regularExpression) {
                    let digits = f.path[r].filter(\.isNumber)
                    href += "/\(digits)"
                }
            }
            return FindingView(rule: f.rule, message: f.message, href: href, isError: f.severity == .error,
                               severity: f.severity == .error ? "Error" : "Warning")
        }
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "open the child's record")
        let plan = stored.plan
        let all = findings(plan)
        let json = try PlanJSON.object(plan)
        let tasks: [TaskView] = Sections.all.map { spec in
            let mine = all.filter { sectionOf($0.path)?.id == spec.id }
            let empty = spec.isList ? ((json[spec.key] as? [Any])?.isEmpty ?? true) : false
            let (status, tag): (String, String) = if mine.contains(where: { $0.severity == .error }) { ("Has errors", "tag--red") }
                else if empty { ("Not started", "tag--grey") }
                else if !mine.isEmpty { ("Check", "tag--yellow") }
                else { ("Completed", "tag--green") }
            let count = spec.isList ? ((json[spec.key] as? [Any])?.count ?? 0) : 0
            return TaskView(href: "/plans/\(id)/s/\(spec.id)", title: spec.title, summary: spec.summary, status: status, tagClass: tag,
                            hint: spec.isList ? Grammar.count(count, spec.noun) : "")
        }
        let errors = all.filter { $0.severity == .error }.count
        let timeline = services.law.jurisdiction(plan.child.jurisdiction).flatMap { Schedule.timeline(for: plan, law: $0, asOf: today()) }
        var facts = [
            Fact(key: "Status", value: Self.statusLabel(plan.status)),
            Fact(key: "Age", value: "\(plan.child.dateOfBirth.age(on: today()))"),
            Fact(key: "Jurisdiction", value: plan.child.jurisdiction.name),
            Fact(key: "Legal status", value: Choices.humanise(plan.child.legalStatus.rawValue)),
        ]
        if let dayOne = plan.dayOne { facts.append(Fact(key: "Day one", value: dayOne.long)) }
        if let stage = timeline?.currentStage { facts.append(Fact(key: "Current stage", value: "\(stage.rawValue): \(stage.title)")) }
        if let overdue = timeline?.overdue, !overdue.isEmpty { facts.append(Fact(key: "Overdue", value: "\(overdue.count) item\(overdue.count == 1 ? "" : "s")")) }
        let actions = try services.panel.actions(planId: id).map {
            ActionView(id: $0.id, text: $0.text, raisedBy: $0.raisedBy, raisedAt: String($0.raisedAt.prefix(10)), done: $0.doneAt != nil)
        }
        let journal = try services.journal.entries(planID: id, limit: 10).map {
            JournalView(kind: Choices.humanise($0.kind), happenedOn: $0.happenedOn, text: $0.text, author: $0.authorName ?? "")
        }
        let outcomes = try services.panel.outcomes(planId: id).map {
            OutcomeView(kind: Choices.humanise($0.kind), outcome: $0.outcome == "approve" ? "Approve" : "Return with actions",
                        reasons: $0.reasons, by: $0.byName, at: String($0.at.prefix(16)).replacingOccurrences(of: "T", with: " "))
        }
        let incidents = plan.incidents.sorted { $0.occurredOn > $1.occurredOn }.prefix(5).map { IncidentView($0, plan: plan) }
        let page = RecordPage(pageTitle: "\(plan.child.knownAs) (\(plan.child.pseudonym))", planID: id, revision: stored.revision, knownAs: plan.child.knownAs,
                              pseudonym: plan.child.pseudonym, facts: facts, tasks: tasks, canEdit: canEdit(id, context),
                              errorCount: errors, warningCount: all.count - errors, actions: actions,
                              hasActions: actions.contains { !$0.done }, journal: journal, hasJournal: !journal.isEmpty,
                              incidents: Array(incidents), hasIncidents: !incidents.isEmpty, outcomes: outcomes, hasOutcomes: !outcomes.isEmpty,
                              notice: request.uri.queryParameters["saved"].map { _ in "Your changes were saved." })
        var shown = page
        shown.withheld = try Self.withheldNotes(id, plan: plan, services: services)
        shown.hasWithheld = !shown.withheld.isEmpty
        return services.page("record", shown, context: context)
    }

    // MARK: a section of the builder

    struct ItemSummary {
        var index: Int
        var label: String
        var href: String
        var findings: [FindingView]
        var hasFindings: Bool
        var facts: [Fact]
    }

    struct SectionPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var sectionID: String
        var title: String
        var summaryText: String
        var noun: String
        var items: [ItemSummary]
        var hasItems: Bool
        var findings: [FindingView]
        var hasFindings: Bool
        var canEdit: Bool
        var isContingencies: Bool
        var revision: Int
    }

    @Sendable func section(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let sectionID = try context.parameters.require("section")
        guard let spec = Sections.spec(sectionID) else { throw PageError.notFound() }
        if !spec.isList { return try await itemPage(id: id, spec: spec, index: nil, context: context, typed: nil, errors: [], conflict: nil) }
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "open the plan's \(spec.title.lowercased())")
        let all = findings(stored.plan).filter { sectionOf($0.path)?.id == spec.id }
        let json = try PlanJSON.object(stored.plan)
        let list = json[spec.key] as? [Any] ?? []
        let items: [ItemSummary] = list.enumerated().map { i, item in
            let prefix = "\(spec.key)[\(i)]"
            let mine = all.filter { $0.path == prefix || $0.path.hasPrefix(prefix + ".") || $0.path.hasPrefix(prefix + "[") }
            let facts = spec.fields.prefix(4).compactMap { f -> Fact? in
                let v = FormReader.words(f, (item as? [String: Any])?[f.key], plan: stored.plan)
                return v.isEmpty ? nil : Fact(key: f.label, value: v.replacingOccurrences(of: "\n", with: "; "))
            }
            return ItemSummary(index: i, label: spec.itemLabel(item), href: "/plans/\(id)/s/\(spec.id)/\(i)",
                               findings: findingViews(mine, planID: id), hasFindings: !mine.isEmpty, facts: facts)
        }
        let general = all.filter { !$0.path.contains("[") }
        let page = SectionPage(pageTitle: spec.title, planID: id, knownAs: stored.plan.child.knownAs, sectionID: spec.id, title: spec.title,
                               summaryText: spec.summary, noun: Grammar.withArticle(spec.noun), items: items, hasItems: !items.isEmpty,
                               findings: findingViews(general, planID: id), hasFindings: !general.isEmpty, canEdit: canEdit(id, context),
                               isContingencies: spec.id == "contingencies", revision: stored.revision)
        return services.page("section", page, context: context)
    }

    // MARK: one item's form

    struct ItemPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var sectionID: String
        var sectionTitle: String
        var heading: String
        var action: String
        var index: String
        var revision: Int
        var summary: ErrorSummary?
        var fields: [FieldView]
        var findings: [FindingView]
        var hasFindings: Bool
        var conflict: ConflictView?
        var canEdit: Bool
        var canRemove: Bool
    }

    struct ConflictView {
        var message: String
        var changes: [String]
    }

    @Sendable func itemForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        guard let spec = Sections.spec(try context.parameters.require("section")) else { throw PageError.notFound() }
        let index = try context.parameters.require("index")
        return try await itemPage(id: id, spec: spec, index: index, context: context, typed: nil, errors: [], conflict: nil)
    }

    func itemPage(id: String, spec: SectionSpec, index: String?, context: AppRequestContext, typed: FormData?, errors: [FieldError],
                  conflict: ConflictView?, revision: Int? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "open the plan's \(spec.title.lowercased())")
        let json = try PlanJSON.object(stored.plan)
        var item: [String: Any]
        var prefix = spec.key
        if spec.isList {
            guard let index else { throw PageError.notFound() }
            if index == "new" {
                item = spec.newItem(stored.plan)
            } else {
                guard let i = RequestNumber.parse(index, in: 0...999), let list = json[spec.key] as? [Any], list.indices.contains(i), let existing = list[i] as? [String: Any] else {
                    throw PageError.notFound("That \(spec.noun) is not in the plan. It may have been removed.")
                }
                item = existing
                prefix = "\(spec.key)[\(i)]"
            }
        } else {
            // An empty key edits fields at the top of the plan; everything else in it is kept as it is.
            item = spec.key.isEmpty ? json : (json[spec.key] as? [String: Any] ?? [:])
        }
        // Findings beside the fields they concern; the rest at the top of the form.
        let all = (index == "new") ? [] : findings(stored.plan).filter {
            prefix.isEmpty ? spec.paths.contains(String($0.path.prefix { $0 != "[" && $0 != "." }))
                : ($0.path == prefix || $0.path.hasPrefix(prefix + ".") || $0.path.hasPrefix(prefix + "["))
        }
        var byField: [String: String] = [:]
        var unplaced: [Finding] = []
        for f in all {
            if let field = FormReader.fieldID(forFindingPath: f.path, itemPrefix: prefix, fields: spec.fields) {
                byField[field] = byField[field].map { $0 + " " + f.message } ?? f.message
            } else { unplaced.append(f) }
        }
        for e in errors { byField[e.field] = e.message }
        var summaryErrors = errors
        if errors.isEmpty {
            summaryErrors = all.filter { $0.severity == .error }.compactMap { f in
                FormReader.fieldID(forFindingPath: f.path, itemPrefix: prefix, fields: spec.fields).map { FieldError(field: $0, message: f.message) }
            }
        }
        let isNew = index == "new"
        let label = isNew ? "Add \(Grammar.withArticle(spec.noun))" : (spec.isList ? "Change \(spec.itemLabel(item))" : spec.title)
        let page = ItemPage(pageTitle: label, planID: id, knownAs: stored.plan.child.knownAs, sectionID: spec.id, sectionTitle: spec.title,
                            heading: label, action: "/plans/\(id)/s/\(spec.id)/\(index ?? "edit")", index: index ?? "edit",
                            revision: revision ?? stored.revision, summary: ErrorSummary(summaryErrors),
                            fields: FormReader.views(spec.fields, item: item, plan: stored.plan, typed: typed, errors: byField),
                            findings: findingViews(unplaced, planID: id), hasFindings: !unplaced.isEmpty, conflict: conflict,
                            canEdit: canEdit(id, context), canRemove: spec.isList && !isNew && canEdit(id, context))
        return services.page("itemform", page, context: context, status: status)
    }

    /// Rules whose errors on the item being saved mean the input itself is wrong: nothing is saved.
    static let inputRules: Set<String> = ["P2", "P5", "P6"]

    @Sendable func saveItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        guard let spec = Sections.spec(try context.parameters.require("section")) else { throw PageError.notFound() }
        let index = try context.parameters.require("index")
        try access.require(.edit, planID: id, context: context)
        let form = context.form ?? FormData("")
        let basedOn = try RequestNumber.revision(form)
        var problems: [FieldError] = []
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "edit the plan's \(spec.title.lowercased())") { plan in
                var json = try PlanJSON.object(plan)
                var prefix = spec.key
                let base: [String: Any]
                if spec.isList {
                    var list = json[spec.key] as? [Any] ?? []
                    if index == "new" {
                        base = spec.newItem(plan)
                        prefix = "\(spec.key)[\(list.count)]"
                    } else {
                        guard let i = RequestNumber.parse(index, in: 0...999), list.indices.contains(i), let existing = list[i] as? [String: Any] else {
                            throw PageError.notFound("That \(spec.noun) is not in the plan any more: someone may have removed it. Nothing was saved.")
                        }
                        base = existing
                        prefix = "\(spec.key)[\(i)]"
                    }
                    let outcome = FormReader.apply(spec.fields, form: form, to: base)
                    problems = outcome.errors
                    if index == "new" { list.append(outcome.item) } else if let i = RequestNumber.parse(index, in: 0...999), list.indices.contains(i) { list[i] = outcome.item }
                    json[spec.key] = list
                } else if spec.key.isEmpty {
                    let outcome = FormReader.apply(spec.fields, form: form, to: json)
                    problems = outcome.errors
                    json = outcome.item
                } else {
                    let outcome = FormReader.apply(spec.fields, form: form, to: json[spec.key] as? [String: Any] ?? [:])
                    problems = outcome.errors
                    json[spec.key] = outcome.item
                }
                guard problems.isEmpty else { throw FormRejected() }
                switch PlanJSON.decode(json) {
                case .failure(let problem):
                    let path = problem.path.hasPrefix("plan.") ? String(problem.path.dropFirst(5)) : problem.path
                    let field = FormReader.fieldID(forFindingPath: path, itemPrefix: prefix, fields: spec.fields) ?? spec.fields.first.map { FormReader.fieldID($0.key) } ?? "main"
                    problems = [FieldError(field: field, message: Self.plain(problem.problem))]
                    throw FormRejected()
                case .success(let updated):
                    let bad = Rules.check(updated, law: services.law, asOf: today()).filter {
                        $0.severity == .error && Self.inputRules.contains($0.rule) && ($0.path == prefix || $0.path.hasPrefix(prefix + ".") || $0.path.hasPrefix(prefix + "["))
                    }
                    if !bad.isEmpty {
                        problems = bad.map { FieldError(field: FormReader.fieldID(forFindingPath: $0.path, itemPrefix: prefix, fields: spec.fields) ?? "main", message: $0.message) }
                        throw FormRejected()
                    }
                    plan = updated
                }
            }
        } catch is FormRejected {
            return try await itemPage(id: id, spec: spec, index: spec.isList ? index : nil, context: context, typed: form, errors: problems,
                                      conflict: nil, revision: basedOn, status: .unprocessableContent)
        } catch let StorageError.conflict(_, _, current, changes) {
            let conflict = ConflictView(message: "Someone else saved this plan after you opened it (you had revision \(basedOn); it is now \(current)). Your changes are below and have not been saved. Check what changed, then save again to keep your version.",
                                        changes: changes)
            return try await itemPage(id: id, spec: spec, index: spec.isList ? index : nil, context: context, typed: form, errors: [],
                                      conflict: conflict, revision: current, status: .conflict)
        }
        return services.redirect("/plans/\(id)/s/\(spec.id)?saved=1")
    }

    struct FormRejected: Error {}

    /// Decoder messages in plain words.
    static func plain(_ problem: String) -> String {
        if problem.hasPrefix("unknown value") { return "Choose one of the options: " + problem }
        if problem.contains("missing") || problem.contains("required") { return "This is needed: " + problem }
        return problem.prefix(1).uppercased() + problem.dropFirst()
    }

    @Sendable func removeItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        guard let spec = Sections.spec(try context.parameters.require("section")), spec.isList else { throw PageError.notFound() }
        let index = try RequestNumber.index(try context.parameters.require("index"))
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "remove \(Grammar.withArticle(spec.noun))") { plan in
                var json = try PlanJSON.object(plan)
                var list = json[spec.key] as? [Any] ?? []
                guard list.indices.contains(index) else { throw PageError.notFound("That \(spec.noun) is not in the plan any more.") }
                list.remove(at: index)
                json[spec.key] = list
                guard case .success(let updated) = PlanJSON.decode(json) else { throw PageError.badRequest("That \(spec.noun) cannot be removed.") }
                plan = updated
            }
        } catch let StorageError.conflict(_, _, current, changes) {
            throw PageError.conflict("Someone else saved this plan after you opened it (you had revision \(basedOn); it is now \(current)), so nothing was removed. Changes since: " + changes.joined(separator: "; "))
        }
        return services.redirect("/plans/\(id)/s/\(spec.id)?saved=1")
    }

    /// Sets the same daytime and out-of-hours responders on every contingency that has none yet: the agency's
    /// duty lines, entered once.
    @Sendable func setResponders(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let form = context.form ?? FormData("")
        let basedOn = try RequestNumber.revision(form)
        var errors: [FieldError] = []
        let dayName = form.text("dayName"), dayPhone = form.text("dayPhone"), oohName = form.text("oohName"), oohPhone = form.text("oohPhone")
        if dayName == nil { errors.append(FieldError(field: "dayName", message: "Enter the daytime service's name")) }
        if dayPhone == nil { errors.append(FieldError(field: "dayPhone", message: "Enter the daytime phone number")) }
        if oohName == nil { errors.append(FieldError(field: "oohName", message: "Enter the out-of-hours service's name")) }
        if oohPhone == nil { errors.append(FieldError(field: "oohPhone", message: "Enter the out-of-hours phone number")) }
        guard errors.isEmpty, let dayName, let dayPhone, let oohName, let oohPhone else {
            throw PageError.badRequest(errors.map(\.message).joined(separator: ". ") + ". Nothing was saved.")
        }
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "set the responders on every card") { plan in
                for i in plan.contingencies.indices where plan.contingencies[i].responders.isEmpty {
                    plan.contingencies[i].responders = [
                        Responder(role: .adoptionSupport, name: dayName, phone: dayPhone),
                        Responder(role: .emergencyDutyTeam, name: oohName, phone: oohPhone, outOfHours: true),
                    ]
                    if [.c7, .c8].contains(plan.contingencies[i].scenario) {
                        plan.contingencies[i].responders.append(Responder(role: .police, name: "Police (999 in an emergency, 101 otherwise)", phone: "999", outOfHours: true))
                    }
                }
            }
        } catch let StorageError.conflict(_, _, current, changes) {
            throw PageError.conflict("Someone else saved this plan after you opened it (you had revision \(basedOn); it is now \(current)), so nothing was changed. Changes since: " + changes.joined(separator: "; "))
        }
        return services.redirect("/plans/\(id)/s/contingencies?saved=1")
    }

    // MARK: check and submit

    struct CheckPage: PageModel {
        var pageTitle = "Check the plan and submit it to panel"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var revision: Int
        var findings: [FindingView]
        var errors: [FindingView]
        var hasErrors: Bool
        var warnings: [FindingView]
        var hasWarnings: Bool
        var canSubmit: Bool
        var isDraft: Bool
        var canEdit: Bool
        var status: String
    }

    /// The findings the plan would have at panel: the ordinary checks plus V10, as if it were submitted today.
    func panelFindings(_ plan: Plan) -> [Finding] {
        var atPanel = plan
        atPanel.status = .submitted
        atPanel.panelSubmission = atPanel.panelSubmission ?? PanelSubmission(submittedOn: today())
        if atPanel.panelSubmission?.decision != nil { atPanel.panelSubmission = PanelSubmission(submittedOn: today()) }
        return Rules.check(atPanel, law: services.law, asOf: today())
    }

    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "check the plan before panel")
        let all = findingViews(panelFindings(stored.plan), planID: id)
        let errors = all.filter(\.isError), warnings = all.filter { !$0.isError }
        let page = CheckPage(planID: id, knownAs: stored.plan.child.knownAs, revision: stored.revision, findings: all, errors: errors,
                             hasErrors: !errors.isEmpty, warnings: warnings, hasWarnings: !warnings.isEmpty,
                             canSubmit: errors.isEmpty && stored.plan.status == .draft && canEdit(id, context),
                             isDraft: stored.plan.status == .draft, canEdit: canEdit(id, context), status: Self.statusLabel(stored.plan.status))
        return services.page("check", page, context: context)
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "submit the plan to panel")
        guard stored.revision == basedOn else {
            throw PageError.conflict("Someone else saved this plan after you checked it (you had revision \(basedOn); it is now \(stored.revision)). Nothing was submitted. Check it again, then submit.")
        }
        guard stored.plan.status == .draft else { throw PageError.conflict("This plan is already \(Self.statusLabel(stored.plan.status).lowercased()).") }
        let errors = panelFindings(stored.plan).filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw PageError(status: .unprocessableContent, message: "The plan has \(errors.count) error\(errors.count == 1 ? "" : "s") to fix before it can go to panel. Nothing was submitted.")
        }
        do {
            let updated = try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "submit the plan to panel") { plan in
                plan.panelSubmission = PanelSubmission(submittedOn: today())
            }
            try services.plans.freeze(id, basedOn: updated.revision, reason: .submitted, actor: context.actor)
        } catch let StorageError.conflict(_, _, current, _) {
            throw PageError.conflict("Someone else saved this plan while you were submitting it (it is now revision \(current)). Nothing was submitted.")
        }
        return services.redirect("/plans/\(id)?saved=1")
    }

    // MARK: versions and the diff between them

    struct VersionView {
        var number: Int
        var reason: String
        var at: String
        var by: String
        var sha: String
        var diffHref: String?
    }

    struct VersionsPage: PageModel {
        var pageTitle = "Versions"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var versions: [VersionView]
        var hasVersions: Bool
        var currentHref: String?
    }

    @Sendable func versions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see the plan's versions")
        let list = try services.plans.versions(id)
        let views = list.enumerated().map { i, v in
            VersionView(number: v.number, reason: Choices.humanise(v.reason), at: TimeWords.long(v.frozenAt),
                        by: (try? services.users.user(id: v.frozenBy))??.displayName ?? (v.frozenBy.hasPrefix("u-") ? "Someone at the agency" : "Lifestory itself"), sha: String(v.sha256.prefix(12)),
                        diffHref: i > 0 ? "/plans/\(id)/diff?from=\(list[i - 1].number)&to=\(v.number)" : nil)
        }
        let page = VersionsPage(planID: id, knownAs: stored.plan.child.knownAs, versions: views, hasVersions: !views.isEmpty,
                                currentHref: list.last.map { "/plans/\(id)/diff?from=\($0.number)" })
        return services.page("versions", page, context: context)
    }

    struct ChangeView {
        var kind: String
        var place: String
        var before: String
        var after: String
    }

    struct DiffPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var heading: String
        var changes: [ChangeView]
        var hasChanges: Bool
    }

    @Sendable func diff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        guard let from = try RequestNumber.query(request, "from", in: 1...1_000_000, label: "version to compare from", default: nil) else {
            throw PageError.badRequest("Say which version to compare from.")
        }
        let to = try RequestNumber.query(request, "to", in: 1...1_000_000, label: "version to compare to", default: nil)
        let changes: [PlanChange]
        do { changes = try services.plans.diff(id, from: from, to: to, actor: context.actor) } catch StorageError.notFound {
            throw PageError.notFound("There is no such version of this plan.")
        }
        let stored = try services.plans.load(id, actor: context.actor, purpose: "compare versions")
        let heading = to.map { "Changes from version \(from) to version \($0)" } ?? "Changes since version \(from)"
        let page = DiffPage(pageTitle: heading, planID: id, knownAs: stored.plan.child.knownAs, heading: heading,
                            changes: changes.map { ChangeView(kind: Choices.humanise($0.kind.rawValue), place: $0.place, before: $0.before ?? "", after: $0.after ?? "") },
                            hasChanges: !changes.isEmpty)
        return services.page("diff", page, context: context)
    }

    // MARK: incidents

    struct IncidentView {
        var occurredOn: String
        var scenario: String
        var severity: String
        var summary: String
        var contingency: String

        init(_ i: Incident, plan: Plan) {
            occurredOn = i.occurredOn.long
            scenario = "\(i.scenario.rawValue): \(i.scenario.title)"
            severity = i.severity.rawValue
            summary = i.summary
            contingency = i.contingencyRef ?? ""
        }
    }

    struct IncidentsPage: PageModel {
        var pageTitle = "Incidents"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var incidents: [IncidentView]
        var hasIncidents: Bool
        var canEdit: Bool
        var revision: Int
        var summary: ErrorSummary?
        var fields: [FieldView]
    }

    func incidentFields(_ plan: Plan) -> [FieldSpec] {
        [
            FieldSpec("occurredOn", "When it happened", hint: "For example, 20/11/2026", .date, required: true),
            FieldSpec("contingencyRef", "Which card it was handled under", .select(plan.contingencies.map { ($0.id, "\($0.scenario.rawValue): \($0.scenario.title)") }), required: true),
            FieldSpec("severity", "Severity", Choices.of(Severity.self) { "\($0.rawValue): \($0.plainTiming)" }, required: true),
            FieldSpec("breachType", "Kind of breach", Choices.of(BreachType.self)),
            FieldSpec("summary", "What happened", hint: "Facts only: who, what, where it was seen, what the child said.", .textarea, required: true),
            FieldSpec("personsInvolved", "People involved", .people(roles: nil)),
        ]
    }

    @Sendable func incidents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see incidents")
        return incidentsPage(stored, context: context, typed: nil, errors: [])
    }

    func incidentsPage(_ stored: StoredPlan, context: AppRequestContext, typed: FormData?, errors: [FieldError],
                       status: HTTPResponse.Status = .ok) -> Response {
        let plan = stored.plan
        let page = IncidentsPage(planID: plan.id, knownAs: plan.child.knownAs,
                                 incidents: plan.incidents.sorted { $0.occurredOn > $1.occurredOn }.map { IncidentView($0, plan: plan) },
                                 hasIncidents: !plan.incidents.isEmpty, canEdit: canEdit(plan.id, context), revision: stored.revision,
                                 summary: ErrorSummary(errors),
                                 fields: FormReader.views(incidentFields(plan), item: [:], plan: plan, typed: typed,
                                                          errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })))
        return services.page("incidents", page, context: context, status: status)
    }

    @Sendable func addIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let form = context.form ?? FormData("")
        let basedOn = try RequestNumber.revision(form)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "record an incident")
        var outcome = FormReader.apply(incidentFields(stored.plan), form: form, to: [:])
        if let d = (outcome.item["occurredOn"] as? String).flatMap(CalendarDate.init(iso:)), d > today() {
            outcome.errors.append(FieldError(field: "f-occurredOn", message: "When it happened must be today or in the past"))
        }
        let k = stored.plan.contingencies.first { $0.id == outcome.item["contingencyRef"] as? String }
        if outcome.item["contingencyRef"] != nil && k == nil { outcome.errors.append(FieldError(field: "f-contingencyRef", message: "Choose a card from the plan")) }
        guard outcome.errors.isEmpty, let k else {
            return incidentsPage(stored, context: context, typed: form, errors: outcome.errors, status: .unprocessableContent)
        }
        var item = outcome.item
        item["id"] = Sections.newID("inc")
        item["scenario"] = k.scenario.rawValue
        item["notifications"] = [Any]()
        item["evidence"] = [Any]()
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "record an incident") { plan in
                var json = try PlanJSON.object(plan)
                json["incidents"] = (json["incidents"] as? [Any] ?? []) + [item]
                switch PlanJSON.decode(json) {
                case .success(let updated): plan = updated
                case .failure(let problem): throw PageError.badRequest("The incident could not be saved: \(problem). Nothing was saved.")
                }
            }
        } catch StorageError.conflict {
            let fresh = try services.plans.load(id, actor: context.actor, purpose: "record an incident")
            return incidentsPage(fresh, context: context, typed: form,
                                 errors: [FieldError(field: "f-summary", message: "Someone else saved this plan after you opened it, so the incident was not saved. What you typed is below: check it and save again.")],
                                 status: .conflict)
        }
        return services.redirect("/plans/\(id)/incidents?saved=1")
    }

    // MARK: guides

    struct GuideRow {
        var audience: String
        var format: String
        var revision: Int
        var at: String
        var sha: String
    }

    struct GuidesPage: PageModel {
        var pageTitle = "Guides"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var issued: [GuideRow]
        var hasIssued: Bool
        var canIssue: Bool
        var audiences: [OptionView]
        var refused: String?
    }

    @Sendable func guides(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see issued guides")
        return guidesPage(stored, context: context, refused: nil)
    }

    func guidesPage(_ stored: StoredPlan, context: AppRequestContext, refused: String?, status: HTTPResponse.Status = .ok) -> Response {
        let issued = (try? services.plans.issuedGuides(stored.plan.id)) ?? []
        let audiences = GuideService.audiences(stored.plan).enumerated().map { i, a in OptionView(value: a.0, label: a.1, selected: i == 0, id: "audience-\(i)") }
        let page = GuidesPage(planID: stored.plan.id, knownAs: stored.plan.child.knownAs,
                              issued: issued.reversed().map { GuideRow(audience: Choices.humanise($0.audience), format: $0.format.uppercased(), revision: $0.planRevision,
                                                                       at: String($0.issuedAt.prefix(16)).replacingOccurrences(of: "T", with: " "), sha: String($0.sha256.prefix(12))) },
                              hasIssued: !issued.isEmpty, canIssue: canEdit(stored.plan.id, context), audiences: audiences, refused: refused)
        return services.page("guides", page, context: context, status: status)
    }

    @Sendable func issueGuide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let form = context.form ?? FormData("")
        let audience = form["audience"] ?? "", format = form["format"] ?? ""
        let stored = try services.plans.load(id, actor: context.actor, purpose: "issue a guide")
        guard GuideService.audiences(stored.plan).contains(where: { $0.0 == audience }), ["html", "pdf"].contains(format) else {
            return guidesPage(stored, context: context, refused: "Choose who the guide is for and whether you want a PDF or a web page.", status: .unprocessableContent)
        }
        do {
            let file = try await GuideService(services: services).issue(stored, audience: audience, format: format, actor: context.actor)
            return file.response()
        } catch let error as GuideError {
            return guidesPage(stored, context: context, refused: "The guide was not issued: \(error)", status: .unprocessableContent)
        }
    }

    // MARK: the family's access

    struct FamilyMemberView {
        var name: String
        var role: String
        var email: String
        var hasPassword: Bool
    }

    struct FamilyPage: PageModel {
        var pageTitle = "Family access"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var members: [FamilyMemberView]
        var hasMembers: Bool
        var canInvite: Bool
        var summary: ErrorSummary?
        var nameValue = ""
        var emailValue = ""
        var nameError: String?
        var emailError: String?
        var roleError: String?
        var link: String?
        var roleAdopter = false
        var roleFoster = false
    }

    @Sendable func family(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let childId = try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see who in the family has access")
        return try familyPage(stored, childId: childId, context: context, page: nil)
    }

    func familyPage(_ stored: StoredPlan, childId: String, context: AppRequestContext, page: FamilyPage?, status: HTTPResponse.Status = .ok) throws -> Response {
        let members = try services.users.family(childId: childId).map {
            FamilyMemberView(name: $0.displayName, role: UserRole(rawValue: $0.role)?.label ?? $0.role, email: $0.email, hasPassword: $0.passwordHash != nil)
        }
        var p = page ?? FamilyPage(planID: stored.plan.id, knownAs: stored.plan.child.knownAs, members: [], hasMembers: false, canInvite: false)
        p.members = members
        p.hasMembers = !members.isEmpty
        p.canInvite = canEdit(stored.plan.id, context)
        return services.page("family-access", p, context: context, status: status)
    }

    @Sendable func inviteFamily(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let childId = try access.require(.edit, planID: id, context: context)
        let user = try access.requireRole([.socialWorker], context: context)
        let form = context.form ?? FormData("")
        let stored = try services.plans.load(id, actor: context.actor, purpose: "invite a family member")
        var page = FamilyPage(planID: id, knownAs: stored.plan.child.knownAs, members: [], hasMembers: false, canInvite: true)
        page.nameValue = form["name"] ?? ""
        page.emailValue = form["email"] ?? ""
        let role = UserRole(rawValue: form["role"] ?? "")
        page.roleAdopter = role == .adopter
        page.roleFoster = role == .fosterCarer
        let email = (form.text("email") ?? "").lowercased()
        if form.text("name") == nil { page.nameError = "Enter their name" }
        if email.isEmpty { page.emailError = "Enter their email address" } else if !email.contains("@") || email.contains(" ") || email.hasPrefix("@") || email.hasSuffix("@") {
            page.emailError = "Enter an email address in the right form, like name@example.com"
        } else if let existing = try services.users.user(email: email) {
            // Say whose only within the agency: another agency's accounts are not this agency's to learn about.
            page.emailError = existing.agencyId == user.agencyId
                ? "Someone already has an account with that email address"
                : "That email address cannot be used for a new account here. Ask the family member for another address, or ask your administrator"
        }
        if role != .adopter && role != .fosterCarer { page.roleError = "Choose whether they are an adopter or a foster carer" }
        let errors = [page.nameError.map { FieldError(field: "name", message: $0) }, page.emailError.map { FieldError(field: "email", message: $0) },
                      page.roleError.map { FieldError(field: "role-adopter", message: $0) }].compactMap { $0 }
        guard errors.isEmpty, let role, let name = form.text("name") else {
            page.summary = ErrorSummary(errors)
            return try familyPage(stored, childId: childId, context: context, page: page, status: .unprocessableContent)
        }
        let newUser = UserRecord(id: "u-" + Token.make().prefix(10).lowercased(), agencyId: user.agencyId, email: email, displayName: name,
                                 role: role, createdAt: services.timestamp())
        try services.users.createFamilyMember(newUser, childId: childId, by: context.actor, at: services.timestamp())
        let token = try services.invitations.create(userId: newUser.id, by: context.actor, now: services.now())
        var done = FamilyPage(planID: id, knownAs: stored.plan.child.knownAs, members: [], hasMembers: false, canInvite: true)
        // The link the social worker sends: the configured public address (LIFESTORY_PUBLIC_URL), never the request's
        // Host header, which a client chooses.
        done.link = "\(services.config.baseURL)/invite/\(token)"
        return try familyPage(stored, childId: childId, context: context, page: done)
    }

    /// The latest family pages held back by the release scan, in words: when, for whom, and which details.
    static func withheldNotes(_ planID: String, plan: Plan, services: WebServices) throws -> [String] {
        let tokens = ProtectedTokens.of(plan)
        return try AuditLog.entries(services.database, entity: "plan", entityId: planID).filter { $0.action == "withheld" }.suffix(3).reversed().map { e in
            let when = CalendarDate(iso: String(e.at.prefix(10)))?.long ?? String(e.at.prefix(10))
            let reader = UserRole(rawValue: e.role)?.label.lowercased() ?? "family member"
            let what = e.detail.split(separator: ",").map { field in
                let f = field.trimmingCharacters(in: .whitespaces)
                return tokens.first { $0.field == f }?.why ?? f
            }
            return "On \(when) a page for the \(reader) was held back because it would have shown \(what.joined(separator: ", ")). Check what was written in the journal and the plan, and put it right."
        }
    }

    // MARK: panel actions and reviews

    @Sendable func completeAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let action = try context.parameters.require("action")
        do { try services.panel.completeAction(planId: id, actionId: action, by: context.actor, at: services.timestamp()) } catch StorageError.notFound {
            throw PageError.notFound("That action is not open on this plan.")
        }
        return services.redirect("/plans/\(id)?saved=1")
    }

    /// Starts a review now: adds a stage review due today, which the social worker then records.
    @Sendable func startReview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        let reason = context.form?.text("reason") ?? "Review started from the caseload"
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "start a review") { plan in
                plan.reviews.append(Review(id: Sections.newID("rv"), kind: .stageReview, dueOn: today(), notes: reason))
            }
        } catch StorageError.conflict {
            throw PageError.conflict("Someone else saved this plan after you opened it, so the review was not started. Go back, reload and try again.")
        }
        return services.redirect("/plans/\(id)?saved=1")
    }
}

extension Plan {
    /// A plan with nothing in it, for drawing forms that are not about a plan yet.
    static let empty = Plan(id: "", agency: Agency(id: "", name: ""),
                            child: Child(id: "", pseudonym: "", birthName: PersonName(given: ""), knownAs: "",
                                         dateOfBirth: CalendarDate(year: 2000, month: 1, day: 1)!, jurisdiction: .england, legalStatus: .lookedAfter))
}
