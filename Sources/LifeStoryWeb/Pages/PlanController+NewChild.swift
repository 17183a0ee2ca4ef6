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
    // MARK: new child

    struct NewChildPage: PageModel {
        var pageTitle = "Start a new plan"
        var section = "new"
        var csrf = ""
        var summary: ErrorSummary?
        var fields: [FieldView] = []
        var today: String
    }

    /// What the first step asks, typed: the child, and the placement's kind and day one.
    struct NewChild {
        var pseudonym = ""
        var knownAs = ""
        var given = ""
        var family: String?
        var dateOfBirth = Sections.placeholderDate
        var jurisdiction = JurisdictionCode.england
        var legalStatus = LegalStatus.lookedAfter
        var placementKind = PlacementKind.foster
        var dayOne = Sections.placeholderDate
    }

    static let newChildFields: [FormField<NewChild>] = [
        Fields.text("pseudonym", "Case-file pseudonym", hint: "Used in lists and the audit log instead of the child's name, for example Child E7.", \NewChild.pseudonym),
        Fields.text("knownAs", "Name the child is known by", \NewChild.knownAs),
        Fields.text("given", "Given name at birth", \NewChild.given),
        Fields.text("family", "Family name at birth", \NewChild.family),
        Fields.date("dateOfBirth", "Date of birth", hint: "For example, 27 4 2017", \NewChild.dateOfBirth),
        Fields.choice("jurisdiction", "Where the child's legal proceedings are", \NewChild.jurisdiction) { $0.name },
        Fields.choice("legalStatus", "Legal status", \NewChild.legalStatus),
        Fields.choice("placementKind", "Kind of placement", \NewChild.placementKind),
        Fields.date("dayOne", "Day one: the date the child moved in", hint: "For example, 14 9 2026", \NewChild.dayOne),
    ]

    @Sendable func createChild(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try access.requireRole([.socialWorker], context: context)
        let form = context.form ?? FormData("")
        var v = NewChild()
        var errors = Engine.apply(Self.newChildFields, form: form, to: &v, plan: Plan.empty, isNew: true)
        if errors.isEmpty {
            if v.dateOfBirth > today() { errors.append(FieldError(field: "f-dateOfBirth", message: "Date of birth must be today or in the past")) }
            if v.dayOne > today() { errors.append(FieldError(field: "f-dayOne", message: "Day one must be today or in the past")) }
            if v.dayOne < v.dateOfBirth { errors.append(FieldError(field: "f-dayOne", message: "Day one must be on or after the date of birth")) }
        }
        guard errors.isEmpty else {
            var page = NewChildPage(today: FormReader.dateInput(today().iso))
            page.summary = ErrorSummary(errors)
            page.fields = Engine.views(Self.newChildFields, model: NewChild(), plan: Plan.empty, typed: form,
                                       errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }), isNew: true)
            return services.page("newchild", page, context: context, status: .unprocessableContent)
        }
        let (dob, dayOne, jurisdiction, status, kind, pseudonym, knownAs, given) = (v.dateOfBirth, v.dayOne, v.jurisdiction, v.legalStatus, v.placementKind, v.pseudonym, v.knownAs, v.given)
        let suffix = Token.make().prefix(8).lowercased()
        let child = Child(id: "child-\(suffix)", pseudonym: pseudonym, birthName: PersonName(given: given, family: v.family),
                          knownAs: knownAs, dateOfBirth: dob, jurisdiction: jurisdiction, legalStatus: status)
        let agencyName = try services.users.agencyName(user.agencyId) ?? user.agencyId
        let worker = Person(id: "p-sw", role: .childsSocialWorker, name: PersonName(given: user.displayName.replacingOccurrences(of: " (demo)", with: "")),
                            organisation: agencyName)
        let plan = PlanTemplate.make(id: "plan-\(suffix)", child: child, placement: Placement(id: "pl-1", kind: kind, startDate: dayOne),
                                     agency: Agency(id: user.agencyId, name: agencyName), socialWorker: worker,
                                     library: services.library, law: services.law, asOf: today())
        try services.plans.create(plan, assign: user.id, actor: context.actor)
        return services.redirect("/plans/\(plan.id)/start/\(StartStep.allCases[0].rawValue)")
    }
}
