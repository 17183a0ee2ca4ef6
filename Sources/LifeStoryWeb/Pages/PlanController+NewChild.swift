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

    static let newChildFields: [FieldSpec] = [
        FieldSpec("pseudonym", "Case-file pseudonym", hint: "Used in lists and the audit log instead of the child's name, for example Child E7.", required: true),
        FieldSpec("knownAs", "Name the child is known by", required: true),
        FieldSpec("given", "Given name at birth", required: true),
        FieldSpec("family", "Family name at birth"),
        FieldSpec("dateOfBirth", "Date of birth", hint: "For example, 27 4 2017", .date, required: true),
        FieldSpec("jurisdiction", "Where the child's legal proceedings are", Choices.of(JurisdictionCode.self) { $0.name }, required: true),
        FieldSpec("legalStatus", "Legal status", Choices.of(LegalStatus.self), required: true),
        FieldSpec("placementKind", "Kind of placement", Choices.of(PlacementKind.self), required: true),
        FieldSpec("dayOne", "Day one: the date the child moved in", hint: "For example, 14 9 2026", .date, required: true),
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
        return services.redirect("/plans/\(plan.id)/start/\(StartStep.allCases[0].rawValue)")
    }
}
