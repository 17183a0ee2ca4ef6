import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore

/// The social worker's pages for one child. The routes are listed here; the code behind each is in the file named
/// for what the social worker is doing: `+Record` (/plans/{id}), `+Builder` (/plans/{id}/s/...), `+CheckAndSubmit`
/// (/check, /submit), `+Versions` (/versions, /diff), `+Incidents`, `+Guides`, `+FamilyAccess` (/family),
/// `+Actions` (/actions, /reviews), `+NewChild` (/children/new) `+Start` (/start/{step}, the steps after it) and `+SignOffs` (/signoffs).
struct PlanController {
    let services: WebServices
    var access: Access { Access(services: services) }

    func add(to router: Router<AppRequestContext>) {
        router.get("/children/new") { _, context in
            _ = try access.requireRole([.socialWorker], context: context)
            var page = NewChildPage(today: FormReader.dateInput(services.today().iso))
            page.fields = Engine.views(Self.newChildFields, model: NewChild(), plan: Plan.empty, typed: nil, errors: [:], isNew: true)
            return services.page("newchild", page, context: context)
        }
        router.post("/children/new", use: createChild)
        router.get("/plans/{id}/start/{step}", use: startStep)
        router.post("/plans/{id}/start/{step}", use: saveStartStep)
        router.get("/plans/{id}/signoffs", use: signOffs)
        router.post("/plans/{id}/signoffs", use: saveSignOffs)
        router.get("/plans/{id}/submitted", use: submitted)
        router.get("/plans/{id}", use: record)
        router.get("/plans/{id}/s/{section}", use: section)
        router.get("/plans/{id}/s/{section}/{index}", use: itemForm)
        router.post("/plans/{id}/s/{section}/{index}", use: saveItem)
        router.post("/plans/{id}/s/{section}/{index}/remove", use: removeItem)
        router.post("/plans/{id}/progress/{section}", use: markSection)
        router.post("/plans/{id}/responders", use: setResponders)
        router.get("/plans/{id}/check", use: check)
        router.post("/plans/{id}/submit", use: submit)
        router.get("/plans/{id}/versions", use: versions)
        router.get("/plans/{id}/diff", use: diff)
        router.post("/plans/{id}/signoffs/sign", use: signOwn)
        router.get("/plans/{id}/supervision", use: supervision)
        router.post("/plans/{id}/supervision", use: addSupervision)
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
}

extension Plan {
    /// A plan with nothing in it, for drawing forms that are not about a plan yet.
    static let empty = Plan(id: "", agency: Agency(id: "", name: ""),
                            child: Child(id: "", pseudonym: "", birthName: PersonName(given: ""), knownAs: "",
                                         dateOfBirth: CalendarDate(year: 2000, month: 1, day: 1)!, jurisdiction: .england, legalStatus: .lookedAfter))
}
