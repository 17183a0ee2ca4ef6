import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore

/// The panel's agenda and packs, the chair's recommendation and the decision maker's decision; and the meetings
/// that team managers and admins arrange. Panel access is read-only and lasts for the meeting's access window.
struct PanelController {
    let services: WebServices
    var access: Access { Access(services: services) }

    func add(to router: Router<AppRequestContext>) {
        router.get("/panel", use: agenda)
        router.get("/panel/plans/{id}", use: pack)
        router.get("/panel/plans/{id}/pack.pdf", use: packPDF)
        router.post("/panel/plans/{id}/outcome", use: outcome)
        router.get("/meetings", use: meetings)
        router.post("/meetings", use: createMeeting)
        router.post("/meetings/{meeting}/agenda", use: addToAgenda)
    }

    struct AgendaRow {
        var href: String
        var pseudonym: String
        var status: String
        var version: Int
    }

    struct MeetingView {
        var title: String
        var window: String
        var rows: [AgendaRow]
        var hasRows: Bool
    }

    struct AgendaPage: PageModel {
        var pageTitle = "Panel agenda"
        var section = "panel"
        var csrf = ""
        var meetings: [MeetingView]
        var hasMeetings: Bool
        var roleLabel: String
    }

    @Sendable func agenda(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try access.requireRole([.panelMember, .panelChair, .decisionMaker], context: context)
        let open = try services.panel.openMeetings(agencyId: user.agencyId, on: services.today())
        let views = try open.map { m -> MeetingView in
            let rows = try services.panel.agenda(meetingId: m.id).map {
                AgendaRow(href: "/panel/plans/\($0.planId)", pseudonym: $0.pseudonym ?? $0.planId,
                          status: PlanStatus(rawValue: $0.status ?? "").map(PlanController.statusLabel) ?? "", version: $0.versionNumber)
            }
            return MeetingView(title: "Panel on \(CalendarDate(iso: m.meetsOn)?.long ?? m.meetsOn)",
                               window: "You can read these plans from \(CalendarDate(iso: m.accessFrom)?.long ?? m.accessFrom) to \(CalendarDate(iso: m.accessUntil)?.long ?? m.accessUntil).",
                               rows: rows, hasRows: !rows.isEmpty)
        }
        return services.page("agenda", AgendaPage(meetings: views, hasMeetings: !views.isEmpty, roleLabel: context.role?.label ?? ""), context: context)
    }

    struct SectionView {
        var id: String
        var title: String
        var blocks: [[String: Any]]
        var hasTitle: Bool
        /// Shown folded (a disclosure the reader opens), to keep a phone's page short.
        var folded = false

        init(id: String, title: String, blocks: [[String: Any]], folded: Bool = false) {
            self.id = id
            self.title = title
            self.blocks = blocks
            hasTitle = !title.isEmpty
            self.folded = folded
        }
    }

    struct PackPage: PageModel {
        var pageTitle: String
        var section = "panel"
        var csrf = ""
        var planID: String
        var heading: String
        var version: Int
        var status: String
        var sections: [SectionView]
        var toc: [SectionView]
        var changes: [PlanController.ChangeView]
        var hasChanges: Bool
        var hasApproved: Bool
        var outcomes: [PlanController.OutcomeView]
        var hasOutcomes: Bool
        var canRecommend: Bool
        var canDecide: Bool
        var formTitle: String
        var buttonLabel: String
        var summary: ErrorSummary?
        var reasons = ""
        var actions = ""
        var reasonsError: String?
        var outcomeError: String?
        var actionsError: String?
        var approveChecked = false
        var returnChecked = false
    }

    /// The version the panel reads: the one frozen when the plan went on the agenda.
    func agendaVersion(_ planID: String, user: UserRecord) throws -> (meeting: String, number: Int)? {
        let meetings = try services.panel.plansOpenToPanel(agencyId: user.agencyId, on: services.today())
        guard let meeting = meetings[planID] else { return nil }
        guard let item = try services.panel.agenda(meetingId: meeting).first(where: { $0.planId == planID }) else { return nil }
        return (meeting, item.versionNumber)
    }

    @Sendable func pack(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try access.require(.panel, planID: id, context: context)
        return try packPage(id: id, context: context, form: nil, errors: [])
    }

    func packPage(id: String, context: AppRequestContext, form: FormData?, errors: [FieldError], status: HTTPResponse.Status = .ok) throws -> Response {
        guard let user = context.user, let (_, number) = try agendaVersion(id, user: user) else { throw PageError.notFound() }
        let plan = try services.plans.version(id, number: number, actor: context.actor, purpose: "read the panel pack")
        let current = try services.plans.load(id, actor: context.actor, purpose: "see where the plan is at panel").plan
        let renderer = services.guideRenderer
        // The pack (with its redaction proof, which renders every audience's guide) is built once per version, edition
        // and day, like the family's guide.
        let key = GuideCache.key(planID: id, revision: number, audience: .panel, edition: services.editionID, asOf: services.today())
        let guide: Guide
        if let hit = services.guideCache.entry(key) { guide = hit.guide } else {
            guide = try GuideService(services: services).guide(plan, audience: "panel", renderer: renderer)
            services.guideCache.store(key, GuideCache.Entry(guide: guide, plan: plan))
        }
        let previous = try services.plans.lastApproved(id, actor: context.actor)
        let changes = previous.map { PlanDiff.between($0, plan) } ?? []
        // The decision comes first; what changed is the page's own table, at the end, in place of the guide's list.
        let sections = guide.sections.filter { $0.id != "changes" }.map { SectionView(id: $0.id, title: $0.title, blocks: $0.blocks.map(GuideRenderer.blockModel)) }
        let outcomes = try services.panel.outcomes(planId: id).map {
            PlanController.OutcomeView(kind: Choices.humanise($0.kind), outcome: $0.outcome == "approve" ? "Approve" : "Return with actions",
                                       reasons: $0.reasons, by: $0.byName, at: String($0.at.prefix(16)).replacingOccurrences(of: "T", with: " "))
        }
        let role = context.role
        let canRecommend = role == .panelChair && current.status == .submitted
        let canDecide = role == .decisionMaker && current.status == .panelRecommended
        let errorsByField = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        var page = PackPage(pageTitle: "Panel pack: \(plan.child.pseudonym)", planID: id, heading: "Panel pack: \(plan.child.knownAs) (\(plan.child.pseudonym))",
                            version: number, status: PlanController.statusLabel(current.status), sections: sections,
                            toc: sections.map { SectionView(id: $0.id, title: $0.title, blocks: []) },
                            changes: changes.map { PlanController.ChangeView(kind: Choices.humanise($0.kind.rawValue), place: $0.place, before: $0.before ?? "", after: $0.after ?? "") },
                            hasChanges: !changes.isEmpty, hasApproved: previous != nil, outcomes: outcomes, hasOutcomes: !outcomes.isEmpty,
                            canRecommend: canRecommend, canDecide: canDecide,
                            formTitle: canRecommend ? "The panel's recommendation" : "The agency decision",
                            buttonLabel: canRecommend ? "Record the recommendation" : "Record the decision",
                            summary: ErrorSummary(errors))
        page.reasons = form?["reasons"] ?? ""
        page.actions = form?["actions"] ?? ""
        page.reasonsError = errorsByField["reasons"]
        page.outcomeError = errorsByField["outcome-approve"]
        page.actionsError = errorsByField["actions"]
        page.approveChecked = form?["outcome"] == "approve"
        page.returnChecked = form?["outcome"] == "return"
        return services.page("pack", page, context: context, status: status)
    }

    @Sendable func packPDF(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try access.require(.panel, planID: id, context: context)
        guard let user = context.user, let (_, number) = try agendaVersion(id, user: user) else { throw PageError.notFound() }
        let plan = try services.plans.version(id, number: number, actor: context.actor, purpose: "download the panel pack")
        let stored = StoredPlan(plan: plan, revision: plan.version, updatedAt: "", updatedBy: "")
        return try await GuideService(services: services).issue(stored, audience: "panel", format: "pdf", actor: context.actor).response()
    }

    @Sendable func outcome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try access.require(.panel, planID: id, context: context)
        guard let user = context.user, let role = context.role, let (meeting, _) = try agendaVersion(id, user: user) else { throw PageError.notFound() }
        let kind: String
        switch role {
        case .panelChair: kind = "recommendation"
        case .decisionMaker: kind = "decision"
        default: throw PageError.forbidden("Panel members read the pack; the chair records the recommendation and the decision maker the decision.")
        }
        let form = context.form ?? FormData("")
        var errors: [FieldError] = []
        let outcome = form["outcome"] ?? ""
        if outcome != "approve" && outcome != "return" { errors.append(FieldError(field: "outcome-approve", message: "Choose approve or return with actions")) }
        if form.text("reasons") == nil { errors.append(FieldError(field: "reasons", message: "Enter the reasons: they are part of the record")) }
        let actions = (form["actions"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if outcome == "return" && actions.isEmpty { errors.append(FieldError(field: "actions", message: "Enter at least one action for the social worker, one on each line")) }
        guard errors.isEmpty else { return try packPage(id: id, context: context, form: form, errors: errors, status: .unprocessableContent) }
        do {
            try services.panel.record(planId: id, meetingId: meeting, kind: kind, outcome: outcome, reasons: form["reasons"] ?? "",
                                      actions: outcome == "return" ? actions : [], by: context.actor, byName: user.displayName, store: services.plans)
        } catch let StorageError.invalid(message) {
            return try packPage(id: id, context: context, form: form, errors: [FieldError(field: "reasons", message: message)], status: .conflict)
        }
        return services.redirect("/panel/plans/\(id)")
    }

    // MARK: meetings (team managers and admins)

    struct MeetingRow {
        var id: String
        var title: String
        var window: String
        var rows: [AgendaRow]
        var hasRows: Bool
        var options: [OptionView]
        var hasOptions: Bool
        /// "and 2 plans from other teams": a team manager sees only their own team's plans.
        var others: String?
    }

    struct MeetingsPage: PageModel {
        var pageTitle = "Panel meetings"
        var section = "meetings"
        var csrf = ""
        var meetings: [MeetingRow]
        var hasMeetings: Bool
        var summary: ErrorSummary?
        var meetsOn = ""
        var accessFrom = ""
        var accessUntil = ""
        var meetsOnError: String?
        var accessFromError: String?
        var accessUntilError: String?
    }

    func meetingsPage(_ user: UserRecord, context: AppRequestContext, page: MeetingsPage? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let scope = Access.scope(user)
        let submitted = try services.plans.plans(scope, status: .submitted)
        let meetings = try services.panel.meetings(agencyId: user.agencyId).map { m -> MeetingRow in
            // A team manager sees only their own team's plans on an agenda; the others are counted, not named.
            let all = try services.panel.agenda(meetingId: m.id)
            let visibleIDs = try services.plans.visible(scope, planIDs: all.map(\.planId))
            let agenda = all.filter { visibleIDs.contains($0.planId) }
            let others = all.count - agenda.count
            let on = Set(agenda.map(\.planId))
            let options = submitted.filter { !on.contains($0.planId) }.enumerated().map { OptionView(value: $1.planId, label: $1.pseudonym, selected: $0 == 0, id: "") }
            return MeetingRow(id: m.id, title: "Panel on \(CalendarDate(iso: m.meetsOn)?.long ?? m.meetsOn)",
                              window: "Panel access from \(CalendarDate(iso: m.accessFrom)?.long ?? m.accessFrom) to \(CalendarDate(iso: m.accessUntil)?.long ?? m.accessUntil)",
                              rows: agenda.map { AgendaRow(href: "/plans/\($0.planId)", pseudonym: $0.pseudonym ?? $0.planId,
                                                           status: PlanStatus(rawValue: $0.status ?? "").map(PlanController.statusLabel) ?? "", version: $0.versionNumber) },
                              hasRows: !agenda.isEmpty, options: options, hasOptions: !options.isEmpty,
                              others: others == 0 ? nil : "\(others == 1 ? "One plan" : "\(others) plans") from other teams \(others == 1 ? "is" : "are") also on this agenda.")
        }
        var p = page ?? MeetingsPage(meetings: [], hasMeetings: false)
        p.meetings = meetings
        p.hasMeetings = !meetings.isEmpty
        return services.page("meetings", p, context: context, status: status)
    }

    @Sendable func meetings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try access.requireRole([.teamManager, .admin], context: context)
        return try meetingsPage(user, context: context)
    }

    @Sendable func createMeeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try access.requireRole([.teamManager, .admin], context: context)
        let form = context.form ?? FormData("")
        var page = MeetingsPage(meetings: [], hasMeetings: false)
        page.meetsOn = form["meetsOn"] ?? ""
        page.accessFrom = form["accessFrom"] ?? ""
        page.accessUntil = form["accessUntil"] ?? ""
        let meetsOn = FormReader.parseDate(page.meetsOn.trimmingCharacters(in: .whitespaces))
        let from = FormReader.parseDate(page.accessFrom.trimmingCharacters(in: .whitespaces))
        let until = FormReader.parseDate(page.accessUntil.trimmingCharacters(in: .whitespaces))
        if meetsOn == nil { page.meetsOnError = "Enter the meeting date, like 3/12/2026" }
        if from == nil { page.accessFromError = "Enter the date panel access opens, like 26/11/2026" }
        if until == nil { page.accessUntilError = "Enter the date panel access closes, like 10/12/2026" }
        if let meetsOn, let from, let until, !(from <= meetsOn && meetsOn <= until) {
            page.accessUntilError = "The access window must include the meeting date"
        }
        let errors = [page.meetsOnError.map { FieldError(field: "meetsOn", message: $0) }, page.accessFromError.map { FieldError(field: "accessFrom", message: $0) },
                      page.accessUntilError.map { FieldError(field: "accessUntil", message: $0) }].compactMap { $0 }
        guard errors.isEmpty, let meetsOn, let from, let until else {
            page.summary = ErrorSummary(errors)
            return try meetingsPage(user, context: context, page: page, status: .unprocessableContent)
        }
        _ = try services.panel.createMeeting(agencyId: user.agencyId, meetsOn: meetsOn, accessFrom: from, accessUntil: until,
                                             by: context.actor, at: services.timestamp())
        return services.redirect("/meetings")
    }

    @Sendable func addToAgenda(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try access.requireRole([.teamManager, .admin], context: context)
        let meetingID = try context.parameters.require("meeting")
        guard let meeting = try services.panel.meeting(meetingID), meeting.agencyId == user.agencyId else { throw PageError.notFound() }
        guard let planID = context.form?.text("plan") else { throw PageError.badRequest("Choose a plan to add. Nothing was changed.") }
        try access.require(.staffRead, planID: planID, context: context)
        do { try services.panel.addToAgenda(meetingId: meetingID, planId: planID, by: context.actor, at: services.timestamp()) } catch let StorageError.invalid(message) {
            throw PageError(status: .unprocessableContent, message: message + " Nothing was changed.")
        }
        return services.redirect("/meetings")
    }
}
