import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

/// Who may see which child's plan. Everything not allowed is "not found", so ids cannot be probed.
struct Access {
    let services: WebServices

    enum Need {
        /// The child's record and builder (social worker, team manager, admin).
        case staffRead
        /// Changing the plan (the child's social worker).
        case edit
        /// The panel pack (panel roles, while the meeting's access window is open).
        case panel
        /// The family's guide (the child's adopters or foster carers).
        case family
    }

    /// Whose children a staff user sees: assigned (social worker), the team's (team manager), the agency's (admin).
    /// The caseload, the plan pages and the panel's meetings page all ask the store with this one scope.
    static func scope(_ user: UserRecord) -> StaffScope {
        switch UserRole(rawValue: user.role) {
        case .socialWorker?: .assigned(userId: user.id, agencyId: user.agencyId)
        case .teamManager?: user.teamId.map { .team(teamId: $0, agencyId: user.agencyId) } ?? StaffScope.none
        case .admin?: .agency(user.agencyId)
        default: StaffScope.none
        }
    }

    /// Checks the signed-in user may do `need` on the plan; returns the plan's child id.
    @discardableResult
    func require(_ need: Need, planID: String, context: AppRequestContext) throws -> String {
        guard let user = context.user, let role = context.role else { throw PageError.signIn }
        guard let owner = try services.plans.owner(planID: planID), owner.agencyId == user.agencyId else { throw PageError.notFound() }
        let allowed: Bool
        switch need {
        case .staffRead:
            allowed = try [.socialWorker, .teamManager, .admin].contains(role) && services.plans.contains(Self.scope(user), childId: owner.childId)
        case .edit:
            allowed = try role == .socialWorker && services.users.assignedChildren(userId: user.id).contains(owner.childId)
        case .panel:
            allowed = try [.panelMember, .panelChair, .decisionMaker].contains(role)
                && services.panel.plansOpenToPanel(agencyId: user.agencyId, on: services.today())[planID] != nil
        case .family:
            allowed = try [.adopter, .fosterCarer].contains(role) && services.users.assignedChildren(userId: user.id).contains(owner.childId)
        }
        guard allowed else { throw PageError.notFound() }
        return owner.childId
    }

    func requireRole(_ roles: Set<UserRole>, context: AppRequestContext) throws -> UserRecord {
        guard let user = context.user, let role = context.role else { throw PageError.signIn }
        guard roles.contains(role) else { throw PageError.forbidden() }
        return user
    }
}
