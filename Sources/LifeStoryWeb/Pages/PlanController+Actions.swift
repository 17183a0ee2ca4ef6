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
    // MARK: panel actions and reviews

    @Sendable func completeAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let action = try context.parameters.require("action")
        do { try services.panel.completeAction(planId: id, actionId: action, by: context.actor, at: services.timestamp()) } catch StorageError.notFound {
            throw PageError.notFound("That action is not open on this plan.")
        }
        return services.redirect("/plans/\(id)?saved=1")
    }

    /// Starts a review now: adds a stage review due today, which the social worker then records.
    @Sendable func startReview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        let reason = context.form?.text("reason") ?? "Review started from the caseload"
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "start a review") { plan in
                plan.reviews.append(Review(id: Sections.newID("rv"), kind: .stageReview, dueOn: today(), notes: reason))
            }
        } catch StorageError.conflict {
            throw PageError.conflict("Someone else saved this plan after you opened it, so the review was not started. Go back, reload and try again.")
        }
        return services.redirect("/plans/\(id)?saved=1")
    }
}
