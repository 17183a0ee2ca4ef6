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
        /// The findings by the section that fixes them, errors first, repeats folded into one line.
        var groups: [FindingGroup] = []
        var errorCount = ""
        /// "Check your answers": the whole plan, section by section, each answer with a Change link.
        var answers: [AnswerSection] = []
    }

    struct AnswerSection {
        var title: String
        var href: String
        var rows: [AnswerRow]
    }

    struct AnswerRow {
        var key: String
        var value: String
        var href: String
        var action: String
    }

    /// The plan as the check-your-answers page shows it: each section's items (or fields) in words.
    func answers(_ plan: Plan, planID: String) throws -> [AnswerSection] {
        Sections.all.map { spec in
            let base = "/plans/\(planID)/s/\(spec.id)"
            if spec.isList {
                let n = spec.count(plan)
                if n == 0 { return AnswerSection(title: spec.title, href: base, rows: [AnswerRow(key: "None yet", value: "", href: base + "/new", action: "Add")]) }
                let rows = (0..<n).map { i in
                    AnswerRow(key: spec.label(plan, i), value: spec.facts(plan, i, 4).map { "\($0.0): \($0.1.replacingOccurrences(of: "\n", with: "; "))" }.joined(separator: ". "),
                              href: "\(base)/\(i)", action: "Change")
                }
                return AnswerSection(title: spec.title, href: base, rows: rows)
            }
            let facts = Dictionary(spec.facts(plan, nil, 100), uniquingKeysWith: { a, _ in a })
            let rows = spec.fields.map { f in
                AnswerRow(key: f.label, value: facts[f.label].map { $0.replacingOccurrences(of: "\n", with: "; ") } ?? "Not recorded", href: base, action: "Change")
            }
            return AnswerSection(title: spec.title, href: base, rows: rows)
        }
    }

    struct FindingGroup {
        var title: String
        var items: [FindingView]
    }

    /// Findings by the section where they are fixed. A rule that fires several times in one section is one line with
    /// one link ("and 9 more like it"): the section's page fixes them together.
    static func grouped(_ views: [FindingView], planID: String) -> [FindingGroup] {
        var order: [String] = []
        var bySection: [String: [FindingView]] = [:]
        for v in views {
            let section = Sections.all.first { v.href.hasPrefix("/plans/\(planID)/s/\($0.id)") }?.title ?? "The plan as a whole"
            if bySection[section] == nil { order.append(section) }
            bySection[section, default: []].append(v)
        }
        return order.map { title in
            var folded: [FindingView] = []
            for v in bySection[title] ?? [] {
                if let i = folded.firstIndex(where: { $0.rule == v.rule && $0.isError == v.isError }) {
                    folded[i].more += 1
                    folded[i].others.append(v)
                    // Several items: the section's own page, where they can be fixed together.
                    if let cut = folded[i].href.range(of: #"/[0-9]+$"#, options: .regularExpression) { folded[i].href.removeSubrange(cut) }
                } else {
                    folded.append(v)
                }
            }
            for i in folded.indices where folded[i].more > 0 {
                folded[i].moreText = "and \(folded[i].more) more like it"
            }
            return FindingGroup(title: title, items: folded)
        }
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
        var shown = page
        shown.groups = Self.grouped(errors, planID: id) + Self.grouped(warnings, planID: id).map { FindingGroup(title: $0.title + ": worth checking", items: $0.items) }
        shown.errors = Self.grouped(errors, planID: id).flatMap(\.items)
        shown.errorCount = Grammar.count(errors.count, "error")
        shown.answers = try answers(stored.plan, planID: id)
        return services.page("check", shown, context: context)
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
        return services.redirect("/plans/\(id)/submitted")
    }

    struct SubmittedPage: PageModel {
        var pageTitle = "Plan submitted to panel"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var pseudonym: String
        var version: String
        var submittedOn: String
    }

    /// The confirmation after submitting: what was sent, and what happens next.
    @Sendable func submitted(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see that the plan was submitted")
        guard stored.plan.status != .draft, let submission = stored.plan.panelSubmission else { return services.redirect("/plans/\(id)") }
        let version = try services.plans.versions(id).last.map { "version \($0.number)" } ?? "this version"
        return services.page("submitted", SubmittedPage(planID: id, knownAs: stored.plan.child.knownAs, pseudonym: stored.plan.child.pseudonym,
                                                        version: version, submittedOn: submission.submittedOn.long), context: context)
    }
}
