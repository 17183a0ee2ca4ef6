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
    // MARK: versions and the diff between them

    struct VersionView {
        var number: Int
        var reason: String
        var at: String
        var by: String
        var sha: String
        var diffHref: String?
    }

    struct VersionsPage: PageModel {
        var pageTitle = "Versions"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var versions: [VersionView]
        var hasVersions: Bool
        var currentHref: String?
    }

    @Sendable func versions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see the plan's versions")
        let list = try services.plans.versions(id)
        let views = list.enumerated().map { i, v in
            VersionView(number: v.number, reason: Choices.humanise(v.reason), at: TimeWords.long(v.frozenAt),
                        by: (try? services.users.user(id: v.frozenBy))??.displayName ?? (v.frozenBy.hasPrefix("u-") ? "Someone at the agency" : "Lifestory itself"), sha: String(v.sha256.prefix(12)),
                        diffHref: i > 0 ? "/plans/\(id)/diff?from=\(list[i - 1].number)&to=\(v.number)" : nil)
        }
        let page = VersionsPage(planID: id, knownAs: stored.plan.child.knownAs, versions: views, hasVersions: !views.isEmpty,
                                currentHref: list.last.map { "/plans/\(id)/diff?from=\($0.number)" })
        return services.page("versions", page, context: context)
    }

    struct ChangeView {
        var kind: String
        var place: String
        var before: String
        var after: String
    }

    struct DiffPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var heading: String
        var changes: [ChangeView]
        var hasChanges: Bool
    }

    @Sendable func diff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        guard let from = try RequestNumber.query(request, "from", in: 1...1_000_000, label: "version to compare from", default: nil) else {
            throw PageError.badRequest("Say which version to compare from.")
        }
        let to = try RequestNumber.query(request, "to", in: 1...1_000_000, label: "version to compare to", default: nil)
        let changes: [PlanChange]
        do { changes = try services.plans.diff(id, from: from, to: to, actor: context.actor) } catch StorageError.notFound {
            throw PageError.notFound("There is no such version of this plan.")
        }
        let stored = try services.plans.load(id, actor: context.actor, purpose: "compare versions")
        let heading = to.map { "Changes from version \(from) to version \($0)" } ?? "Changes since version \(from)"
        let page = DiffPage(pageTitle: heading, planID: id, knownAs: stored.plan.child.knownAs, heading: heading,
                            changes: changes.map { ChangeView(kind: Choices.humanise($0.kind.rawValue), place: $0.place, before: $0.before ?? "", after: $0.after ?? "") },
                            hasChanges: !changes.isEmpty)
        return services.page("diff", page, context: context)
    }
}
