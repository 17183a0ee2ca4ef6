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
}
