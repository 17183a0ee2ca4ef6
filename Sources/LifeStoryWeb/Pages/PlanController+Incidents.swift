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

    /// The incident form, typed over `Incident`.
    static let incidentFields: [FormField<Incident>] = [
        Fields.date("occurredOn", "When it happened", hint: "For example, 20 11 2026", \Incident.occurredOn),
        Fields.leaf(FieldSpec("contingencyRef", "Which card it was handled under",
                              .dynamic(none: "Choose…", { plan in plan.contingencies.map { ($0.id, "\($0.scenario.title) (\($0.scenario.rawValue))") } }), required: true),
                    get: { .text($0.contingencyRef) }, set: { m, v in if case .text(let t) = v { m.contingencyRef = t } }),
        Fields.choice("severity", "How soon it needed action", \Incident.severity) { Sections.capitalised($0.plainTiming) },
        Fields.choice("breachType", "Kind of breach", \Incident.breachType),
        Fields.text("summary", "What happened", hint: "Facts only: who, what, where it was seen, what the child said.", as: .textarea, \Incident.summary),
        Fields.people("personsInvolved", "People involved", roles: nil, \Incident.personsInvolved),
    ]

    static func newIncident() -> Incident {
        Incident(id: Sections.newID("inc"), occurredOn: Sections.placeholderDate, scenario: .c1, severity: .s3, summary: "")
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
                                 fields: Engine.views(Self.incidentFields, model: Self.newIncident(), plan: plan, typed: typed,
                                                      errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }), isNew: true))
        return services.page("incidents", page, context: context, status: status)
    }

    @Sendable func addIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let form = context.form ?? FormData("")
        let basedOn = try RequestNumber.revision(form)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "record an incident")
        var incident = Self.newIncident()
        var errors = Engine.apply(Self.incidentFields, form: form, to: &incident, plan: stored.plan, isNew: true)
        if errors.isEmpty && incident.occurredOn > today() {
            errors.append(FieldError(field: "f-occurredOn", message: "When it happened must be today or in the past"))
        }
        let card = stored.plan.contingencies.first { $0.id == incident.contingencyRef }
        guard errors.isEmpty, let card else {
            return incidentsPage(stored, context: context, typed: form, errors: errors, status: .unprocessableContent)
        }
        incident.scenario = card.scenario
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "record an incident") { plan in
                plan.incidents.append(incident)
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
