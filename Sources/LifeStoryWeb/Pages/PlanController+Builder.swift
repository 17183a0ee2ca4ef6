import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore

extension PlanController {
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
        /// Marked completed by the social worker ("Have you completed this section?").
        var completed = false
    }

    @Sendable func section(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let sectionID = try context.parameters.require("section")
        guard let spec = Sections.spec(sectionID) else { throw PageError.notFound() }
        if !spec.isList { return try await itemPage(id: id, spec: spec, index: nil, context: context, typed: nil, errors: [], conflict: nil) }
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "open the plan's \(spec.title.lowercased())")
        let all = findings(stored.plan).filter { sectionOf($0.path)?.id == spec.id }
        let items: [ItemSummary] = (0..<spec.count(stored.plan)).map { i in
            let prefix = "\(spec.key)[\(i)]"
            let mine = all.filter { $0.path == prefix || $0.path.hasPrefix(prefix + ".") || $0.path.hasPrefix(prefix + "[") }
            let facts = spec.facts(stored.plan, i, 4).map { Fact(key: $0.0, value: $0.1.replacingOccurrences(of: "\n", with: "; ")) }
            return ItemSummary(index: i, label: spec.label(stored.plan, i), href: "/plans/\(id)/s/\(spec.id)/\(i)",
                               findings: findingViews(mine, planID: id), hasFindings: !mine.isEmpty, facts: facts)
        }
        let general = all.filter { !$0.path.contains("[") }
        let page = SectionPage(pageTitle: spec.title, planID: id, knownAs: stored.plan.child.knownAs, sectionID: spec.id, title: spec.title,
                               summaryText: spec.summary, noun: Grammar.withArticle(spec.noun), items: items, hasItems: !items.isEmpty,
                               findings: findingViews(general, planID: id), hasFindings: !general.isEmpty, canEdit: canEdit(id, context),
                               isContingencies: spec.id == "contingencies", revision: stored.revision)
        var shown = page
        shown.completed = try services.progress.completed(planID: id).contains(spec.id)
        return services.page("section", shown, context: context)
    }

    /// "Have you completed this section?": marks it for the task list, then back to the task list.
    @Sendable func markSection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        guard let spec = Sections.spec(try context.parameters.require("section")) else { throw PageError.notFound() }
        try access.require(.edit, planID: id, context: context)
        let completed: Bool
        switch context.form?["completed"] {
        case "yes": completed = true
        case "no": completed = false
        default: throw PageError.badRequest("Say whether you have completed \(spec.title.lowercased()): yes, or not yet. Nothing was changed.")
        }
        try services.progress.mark(planID: id, section: spec.id, completed: completed, actor: context.actor, at: services.timestamp())
        return services.redirect("/plans/\(id)")
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
        /// A section that is one form (the child, views, decisions) asks "Have you completed this section?" here.
        var showProgress = false
        var completed = false
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
        let plan = stored.plan
        var position: Int?
        var prefix = spec.key
        if spec.isList {
            guard let index else { throw PageError.notFound() }
            if index != "new" {
                guard let i = RequestNumber.parse(index, in: 0...999), i < spec.count(plan) else {
                    throw PageError.notFound("That \(spec.noun) is not in the plan. It may have been removed.")
                }
                position = i
                prefix = "\(spec.key)[\(i)]"
            }
        }
        // Findings beside the fields they concern; the rest at the top of the form.
        let all = (index == "new") ? [] : findings(plan).filter {
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
        let label = isNew ? "Add \(Grammar.withArticle(spec.noun))" : (spec.isList ? "Change \(spec.label(plan, position ?? 0))" : spec.title)
        let page = ItemPage(pageTitle: label, planID: id, knownAs: plan.child.knownAs, sectionID: spec.id, sectionTitle: spec.title,
                            heading: label, action: "/plans/\(id)/s/\(spec.id)/\(index ?? "edit")", index: index ?? "edit",
                            revision: revision ?? stored.revision, summary: ErrorSummary(summaryErrors),
                            fields: spec.views(plan, spec.isList ? position : 0, typed, byField),
                            findings: findingViews(unplaced, planID: id), hasFindings: !unplaced.isEmpty, conflict: conflict,
                            canEdit: canEdit(id, context), canRemove: spec.isList && !isNew && canEdit(id, context))
        var shown = page
        if !spec.isList {
            shown.showProgress = true
            shown.completed = try services.progress.completed(planID: id).contains(spec.id)
        }
        return services.page("itemform", shown, context: context, status: status)
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
                var position: Int?
                var prefix = spec.key
                if spec.isList {
                    if index == "new" {
                        prefix = "\(spec.key)[\(spec.count(plan))]"
                    } else {
                        guard let i = RequestNumber.parse(index, in: 0...999), i < spec.count(plan) else {
                            throw PageError.notFound("That \(spec.noun) is not in the plan any more: someone may have removed it. Nothing was saved.")
                        }
                        position = i
                        prefix = "\(spec.key)[\(i)]"
                    }
                }
                var updated = plan
                problems = spec.apply(&updated, spec.isList ? position : 0, form)
                guard problems.isEmpty else { throw FormRejected() }
                let bad = Rules.check(updated, law: services.law, asOf: today()).filter {
                    $0.severity == .error && Self.inputRules.contains($0.rule) && ($0.path == prefix || $0.path.hasPrefix(prefix + ".") || $0.path.hasPrefix(prefix + "["))
                }
                if !bad.isEmpty {
                    problems = bad.map { FieldError(field: FormReader.fieldID(forFindingPath: $0.path, itemPrefix: prefix, fields: spec.fields) ?? "main", message: $0.message) }
                    throw FormRejected()
                }
                plan = updated
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
                guard index < spec.count(plan) else { throw PageError.notFound("That \(spec.noun) is not in the plan any more.") }
                spec.remove(&plan, index)
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
}
