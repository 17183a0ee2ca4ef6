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
}
