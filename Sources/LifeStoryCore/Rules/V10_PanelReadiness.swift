import Foundation

/// V10 Panel readiness: a plan before the panel (submitted, or recommended and awaiting the decision maker) passes
/// every other check, has a risk assessment less than 3 months old on the day it was submitted, the views the panel
/// must consider (DOMAIN.md §4.1 item 3) and every required sign-off. Approved and active plans are past panel:
/// their later findings are reported by the other rules, not as a bar to a panel that has already sat.
public enum V10PanelReadiness: Rule {
    public static let id = "V10"
    public static let summary = "A plan at panel has no other errors, a risk assessment under 3 months old, the views of the child, adopters and birth relatives, and every required sign-off."

    public static func check(_ c: RuleContext) -> [Finding] {
        let plan = c.plan
        guard plan.status == .submitted || plan.status == .panelRecommended else { return [] }
        var out: [Finding] = []
        let on = plan.panelSubmission?.submittedOn ?? c.asOf
        if plan.panelSubmission == nil {
            out.append(error("The plan is marked \(plan.status.rawValue.replacingOccurrences(of: "_", with: " ")) but has no panel submission record. Record the date it was submitted.",
                             at: "panelSubmission"))
        }
        let others = Rules.run(c, except: [id]).filter { $0.severity == .error }
        if !others.isEmpty {
            let rules = Set(others.map(\.rule)).sorted().joined(separator: ", ")
            out.append(error("The panel cannot consider this plan until its other \(others.count) error\(others.count == 1 ? "" : "s") (\(rules)) are fixed.",
                             at: "status"))
        }
        if let latest = plan.riskAssessments.map(\.assessedOn).max() {
            if latest.adding(months: 3) <= on {
                out.append(error("The latest risk assessment is dated \(latest.long). The panel needs one less than 3 months old on \(on.long). Update it.",
                                 at: "riskAssessments"))
            }
        } else {
            out.append(error("The panel needs a dated risk assessment, and the plan has none.", at: "riskAssessments"))
        }
        var required: [SignOffRole] = [.childsSocialWorker, .teamManager, .adoptersSocialWorker, .adoptersAcknowledgement,
                                       .iro, .panelAdviser]
        if !plan.orders.isEmpty { required.insert(.lawyer, at: 5) }
        // A sign-off counts only against the plan as it is now: one given before a later change is void.
        let fingerprint = plan.contentFingerprint
        let counted = Set(plan.signOffs.filter { $0.state(against: fingerprint) != .void }.map(\.role))
        for (i, s) in plan.signOffs.enumerated() {
            switch s.state(against: fingerprint) {
            case .void:
                out.append(error("\(s.name) signed off as \(s.role.plain) on \(s.signedOn.long), but the plan has changed since, so that sign-off no longer counts. Ask them to sign this version.",
                                 at: "signOffs[\(i)]"))
            case .unverified, .current:
                // One recorded before fingerprints existed still counts; the panel pack says it names no version.
                break
            }
        }
        for role in required where !counted.contains(role) && !plan.signOffs.contains(where: { $0.role == role }) {
            out.append(error("The plan needs the sign-off of \(role.plain) before panel.", at: "signOffs"))
        }
        if plan.views.adopters == nil {
            out.append(error("Record the adopters' views on contact: the panel must consider them.", at: "views.adopters"))
        }
        if plan.views.child == nil && plan.child.dateOfBirth.age(on: on) >= 5 {
            out.append(error("Record \(c.childName)'s own views, in a way that fits their age and understanding.",
                             at: "views.child"))
        }
        if plan.views.birthRelatives.isEmpty && plan.people.contains(where: { $0.role.isBirthFamily }) {
            out.append(error("Record the birth relatives' views on contact, or why they could not be obtained.",
                             at: "views.birthRelatives"))
        }
        return out
    }
}
