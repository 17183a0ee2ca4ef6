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
    // MARK: the family's access

    struct FamilyMemberView {
        var name: String
        var role: String
        var email: String
        var hasPassword: Bool
    }

    struct FamilyPage: PageModel {
        var pageTitle = "Family access"
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var members: [FamilyMemberView]
        var hasMembers: Bool
        var canInvite: Bool
        var summary: ErrorSummary?
        var nameValue = ""
        var emailValue = ""
        var nameError: String?
        var emailError: String?
        var roleError: String?
        var link: String?
        var roleAdopter = false
        var roleFoster = false
    }

    @Sendable func family(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let childId = try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "see who in the family has access")
        return try familyPage(stored, childId: childId, context: context, page: nil)
    }

    func familyPage(_ stored: StoredPlan, childId: String, context: AppRequestContext, page: FamilyPage?, status: HTTPResponse.Status = .ok) throws -> Response {
        let members = try services.users.family(childId: childId).map {
            FamilyMemberView(name: $0.displayName, role: UserRole(rawValue: $0.role)?.label ?? $0.role, email: $0.email, hasPassword: $0.passwordHash != nil)
        }
        var p = page ?? FamilyPage(planID: stored.plan.id, knownAs: stored.plan.child.knownAs, members: [], hasMembers: false, canInvite: false)
        p.members = members
        p.hasMembers = !members.isEmpty
        p.canInvite = canEdit(stored.plan.id, context)
        return services.page("family-access", p, context: context, status: status)
    }

    @Sendable func inviteFamily(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let childId = try access.require(.edit, planID: id, context: context)
        let user = try access.requireRole([.socialWorker], context: context)
        let form = context.form ?? FormData("")
        let stored = try services.plans.load(id, actor: context.actor, purpose: "invite a family member")
        var page = FamilyPage(planID: id, knownAs: stored.plan.child.knownAs, members: [], hasMembers: false, canInvite: true)
        page.nameValue = form["name"] ?? ""
        page.emailValue = form["email"] ?? ""
        let role = UserRole(rawValue: form["role"] ?? "")
        page.roleAdopter = role == .adopter
        page.roleFoster = role == .fosterCarer
        let email = (form.text("email") ?? "").lowercased()
        if form.text("name") == nil { page.nameError = "Enter their name" }
        if email.isEmpty { page.emailError = "Enter their email address" } else if !email.contains("@") || email.contains(" ") || email.hasPrefix("@") || email.hasSuffix("@") {
            page.emailError = "Enter an email address in the right form, like name@example.com"
        } else if let existing = try services.users.user(email: email) {
            // Say whose only within the agency: another agency's accounts are not this agency's to learn about.
            page.emailError = existing.agencyId == user.agencyId
                ? "Someone already has an account with that email address"
                : "That email address cannot be used for a new account here. Ask the family member for another address, or ask your administrator"
        }
        if role != .adopter && role != .fosterCarer { page.roleError = "Choose whether they are an adopter or a foster carer" }
        let errors = [page.nameError.map { FieldError(field: "name", message: $0) }, page.emailError.map { FieldError(field: "email", message: $0) },
                      page.roleError.map { FieldError(field: "role-adopter", message: $0) }].compactMap { $0 }
        guard errors.isEmpty, let role, let name = form.text("name") else {
            page.summary = ErrorSummary(errors)
            return try familyPage(stored, childId: childId, context: context, page: page, status: .unprocessableContent)
        }
        let newUser = UserRecord(id: "u-" + Token.make().prefix(10).lowercased(), agencyId: user.agencyId, email: email, displayName: name,
                                 role: role, createdAt: services.timestamp())
        try services.users.createFamilyMember(newUser, childId: childId, by: context.actor, at: services.timestamp())
        let token = try services.invitations.create(userId: newUser.id, by: context.actor, now: services.now())
        var done = FamilyPage(planID: id, knownAs: stored.plan.child.knownAs, members: [], hasMembers: false, canInvite: true)
        // The link the social worker sends: the configured public address (LIFESTORY_PUBLIC_URL), never the request's
        // Host header, which a client chooses.
        done.link = "\(services.config.baseURL)/invite/\(token)"
        return try familyPage(stored, childId: childId, context: context, page: done)
    }

    /// The latest family pages held back by the release scan, in words: when, for whom, and which details.
    static func withheldNotes(_ planID: String, plan: Plan, services: WebServices) throws -> [String] {
        let tokens = ProtectedTokens.of(plan)
        return try AuditLog.entries(services.database, entity: "plan", entityId: planID).filter { $0.action == "withheld" }.suffix(3).reversed().map { e in
            let when = CalendarDate(iso: String(e.at.prefix(10)))?.long ?? String(e.at.prefix(10))
            let reader = UserRole(rawValue: e.role)?.label.lowercased() ?? "family member"
            let what = e.detail.split(separator: ",").map { field in
                let f = field.trimmingCharacters(in: .whitespaces)
                return tokens.first { $0.field == f }?.why ?? f
            }
            return "On \(when) a page for the \(reader) was held back because it would have shown \(what.joined(separator: ", ")). Check what was written in the journal and the plan, and put it right."
        }
    }
}
