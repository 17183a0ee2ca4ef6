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
        /// How many more findings of the same rule this line stands for.
        var more = 0
        var moreText: String?
        /// The findings this line stands for besides its own, each with its own link.
        var others: [FindingView] = []
    }

    /// Where a finding is fixed, when that is not where it points: a missing "what to do if" card for someone under a
    /// no-contact order (V2), out-of-hours responders (V3) and missing scenarios (P4) are fixed among the contingencies.
    static let fixedIn: [String: String] = ["V3": "contingencies", "P4": "contingencies"]

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
        var findingsText = ""
        var withheld: [String] = []
        var hasWithheld = false
        /// The child's social worker and the team manager see supervision about social media.
        var canSupervise = false
        /// The steps of "Start a plan", offered while the plan is a draft.
        var setup: [TaskView] = []
        var showSetup = false
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
            let fixedAmongCards = Self.fixedIn[f.rule] != nil || (f.rule == "V2" && f.message.lowercased().contains("card"))
            if fixedAmongCards {
                href = "/plans/\(planID)/s/contingencies"
            } else if let s = sectionOf(f.path) {
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
        // GOV.UK's task list: "Completed" only when the social worker has said so; "Has errors" from the rules first.
        let marked = try services.progress.completed(planID: id)
        let tasks: [TaskView] = Sections.all.map { spec in
            let mine = all.filter { sectionOf($0.path)?.id == spec.id }
            let empty = spec.isList && spec.count(plan) == 0
            let (status, tag): (String, String) = if mine.contains(where: { $0.severity == .error }) { ("Has errors", "tag--red") }
                else if marked.contains(spec.id) { ("Completed", "tag--green") }
                else if empty { ("Not started", "tag--grey") }
                else { ("In progress", "tag--blue") }
            let count = spec.isList ? spec.count(plan) : 0
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
        shown.findingsText = errors == 0 && all.count == errors ? "No errors or warnings today."
            : "\(Grammar.count(errors, "error")) and \(Grammar.count(all.count - errors, "warning")) today."
        if request.uri.queryParameters["started"] != nil {
            shown.notice = "The plan is set up. The agency's pattern added \(Grammar.count(plan.stages.count, "stage")), \(Grammar.count(plan.reviews.count, "review")) and \(Grammar.count(plan.contingencies.count, "card")) for what to do if. Next: the views, the risk assessment and the sign-offs, then check and submit."
        }
        if plan.status == .draft && shown.canEdit {
            shown.showSetup = true
            shown.setup = StartStep.allCases.map { step in
                TaskView(href: "/plans/\(id)/start/\(step.rawValue)", title: step.title, summary: "", status: "", tagClass: "", hint: "")
            }
        }
        shown.canSupervise = context.role == .socialWorker || context.role == .teamManager
        shown.withheld = try Self.withheldNotes(id, plan: plan, services: services)
        shown.hasWithheld = !shown.withheld.isEmpty
        return services.page("record", shown, context: context)
    }
}
