import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage

// /plans/{id}/signoffs: every sign-off the panel needs, recorded on one page (a row for each role), read as a typed
// form. Recorded here by the social worker, with the date each person signed.

extension PlanController {
    struct SignOffRow: Decodable {
        var role: String?
        var name: String?
        var signed: DateParts?
        var evidence: String?
    }

    struct SignOffsForm: Decodable { var rows: [String: SignOffRow]? }

    struct SignOffsPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var revision: Int
        var summary: ErrorSummary?
        var rows: [StartRow]
        var canEdit: Bool
        /// The role the signed-in user can sign off as, with their own account, in words.
        var signAs: String?
    }

    /// Who signs off in Lifestory with their own account: the team manager of the child's team, and the child's
    /// social worker. Everyone else (the IRO, the lawyer, the adopters and their social worker, the panel adviser)
    /// is recorded by the social worker, with what they saw.
    func ownSignOffRole(_ planID: String, context: AppRequestContext) -> SignOffRole? {
        switch context.role {
        case .teamManager?: .teamManager
        case .socialWorker? where canEdit(planID, context): .childsSocialWorker
        default: nil
        }
    }

    static func stateWords(_ s: SignOff, fingerprint: String) -> String {
        let how = s.signedInApp == true ? "Signed in Lifestory with their own account" : "Recorded by \(s.recordedBy ?? "the social worker")" + (s.evidence.map { ", who saw: \($0)" } ?? "")
        switch s.state(against: fingerprint) {
        case .current: return "\(how). Counts: signed against the plan as it is now."
        case .void: return "\(how). No longer counts: the plan has changed since \(s.signedOn.long). Ask them to sign this version."
        case .unverified: return "\(how). Recorded before Lifestory kept which version was signed: confirm it against this version."
        }
    }

    /// The roles the panel needs, in order (rule V10), then any others already recorded.
    static func signOffRoles(_ plan: Plan) -> [SignOffRole] {
        var roles: [SignOffRole] = [.childsSocialWorker, .teamManager, .adoptersSocialWorker, .adoptersAcknowledgement, .iro]
        if !plan.orders.isEmpty { roles.append(.lawyer) }
        roles.append(.panelAdviser)
        for s in plan.signOffs where !roles.contains(s.role) { roles.append(s.role) }
        return roles
    }

    @Sendable func signOffs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "open the plan's sign-offs")
        let plan = stored.plan
        let rows = Self.signOffRoles(plan).enumerated().map { i, role -> (String, SignOffRow) in
            let s = plan.signOffs.first { $0.role == role }
            return ("r\(i)", SignOffRow(role: role.rawValue, name: s?.name, signed: DateParts(s?.signedOn), evidence: s?.evidence))
        }
        return services.page("signoffs", signOffsPage(plan: plan, revision: stored.revision, rows: rows, errors: [], context: context), context: context)
    }

    func signOffsPage(plan: Plan, revision: Int, rows: [(String, SignOffRow)], errors: [FieldError], context: AppRequestContext) -> SignOffsPage {
        let byField = Self.byField(errors)
        let fingerprint = plan.contentFingerprint
        let views = rows.compactMap { key, r -> StartRow? in
            guard let role = r.role.flatMap(SignOffRole.init(rawValue:)) else { return nil }
            let f = "f-rows-\(key)", n = "rows[\(key)]"
            let title = role.plain.prefix(1).uppercased() + role.plain.dropFirst()
            let existing = plan.signOffs.first { $0.role == role }
            if let existing, existing.signedInApp == true {
                return StartRow(legend: title, idName: "", idValue: "", hasID: false, fields: [],
                                status: "\(existing.name), \(existing.signedOn.long). " + Self.stateWords(existing, fingerprint: fingerprint), locked: true)
            }
            var row = StartRow(legend: title, idName: "\(n)[role]", idValue: role.rawValue, hasID: true, fields: [
                Self.textField("\(n)[name]", "\(f)-name", "Name", r.name, error: byField["\(f)-name"]),
                Self.dateField("\(n)[signed]", "\(f)-signed", "Signed on", r.signed ?? DateParts(), hint: nil, error: byField["\(f)-signed"]),
                Self.textField("\(n)[evidence]", "\(f)-evidence", "What you saw", r.evidence,
                               hint: "For example: their signature on the paper copy of this version, or their email of 18 November agreeing it", error: byField["\(f)-evidence"]),
            ], status: existing.map { Self.stateWords($0, fingerprint: fingerprint) })
            row.fields[0].label = "Name of \(role.plain)"
            return row
        }
        return SignOffsPage(pageTitle: "Sign-offs", planID: plan.id, knownAs: plan.child.knownAs, revision: revision,
                            summary: ErrorSummary(errors), rows: views, canEdit: canEdit(plan.id, context),
                            signAs: ownSignOffRole(plan.id, context: context).map(\.plain))
    }

    @Sendable func saveSignOffs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        let rows = try TypedForm.rows(TypedForm.decode(SignOffsForm.self, from: context.form).rows)
        var errors: [FieldError] = []
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "record the plan's sign-offs") { plan in
                // Sign-offs are not part of the fingerprint, so one made now holds for every row saved here.
                let fingerprint = plan.contentFingerprint
                for (key, row) in rows {
                    let f = "f-rows-\(key)"
                    guard let role = row.role.flatMap(SignOffRole.init(rawValue:)) else {
                        throw PageError.badRequest("A sign-off row names no role the plan knows. Nothing was saved.")
                    }
                    let name = TypedForm.text(row.name)
                    let evidence = TypedForm.text(row.evidence)
                    let existing = plan.signOffs.firstIndex { $0.role == role }
                    // A sign-off given with the signatory's own account is theirs: nobody else changes it here.
                    if let existing, plan.signOffs[existing].signedInApp == true {
                        errors.append(FieldError(field: "\(f)-name", message: "\(plan.signOffs[existing].name) signed off as \(role.plain) with their own account: only they can change it"))
                        continue
                    }
                    if let evidence, evidence.count > 500 { errors.append(FieldError(field: "\(f)-evidence", message: "What you saw must be 500 characters or fewer")) }
                    var signed: CalendarDate?
                    switch (row.signed ?? DateParts()).parse("The date \(role.plain) signed") {
                    case .success(let d):
                        signed = d
                        if let d, d > today() { errors.append(FieldError(field: "\(f)-signed", message: "The date \(role.plain) signed must be today or in the past")) }
                    case .failure(let p): errors.append(FieldError(field: "\(f)-signed", message: p.message))
                    }
                    if name == nil && signed == nil && evidence == nil {
                        // Cleared: the sign-off is taken away (a row never filled stays empty).
                        if let existing { plan.signOffs.remove(at: existing) }
                        continue
                    }
                    if name == nil { errors.append(FieldError(field: "\(f)-name", message: "Enter the name of \(role.plain), or clear the whole row")) }
                    if signed == nil && errors.allSatisfy({ $0.field != "\(f)-signed" }) {
                        errors.append(FieldError(field: "\(f)-signed", message: "Enter the date \(role.plain) signed"))
                    }
                    guard let name, let signed else { continue }
                    // Saved unchanged, a sign-off keeps exactly what it was (even one recorded before evidence was asked for).
                    if let existing, plan.signOffs[existing].name == name, plan.signOffs[existing].signedOn == signed,
                       plan.signOffs[existing].evidence == evidence { continue }
                    if evidence == nil { errors.append(FieldError(field: "\(f)-evidence", message: "Enter what you saw that shows \(role.plain) signed this version")) }
                    guard let evidence else { continue }
                    // Recorded now, against the plan as it is now. Saved unchanged, it keeps what it was.
                    let recorded = SignOff(role: role, name: name, signedOn: signed, versionHash: fingerprint,
                                           recordedBy: context.user?.displayName, evidence: evidence)
                    if let existing {
                        let old = plan.signOffs[existing]
                        if old.name != name || old.signedOn != signed || old.evidence != evidence { plan.signOffs[existing] = recorded }
                    } else {
                        plan.signOffs.append(recorded)
                    }
                }
                if !errors.isEmpty { throw FormRejected() }
            }
        } catch is FormRejected {
            let stored = try services.plans.load(id, actor: context.actor, purpose: "record the plan's sign-offs")
            return services.page("signoffs", signOffsPage(plan: stored.plan, revision: basedOn, rows: rows.map { ($0.key, $0.row) }, errors: errors, context: context),
                                 context: context, status: .unprocessableContent)
        } catch let StorageError.conflict(_, _, current, _) {
            throw PageError.conflict("Someone else saved this plan after you opened this page (you had revision \(basedOn); it is now \(current)). Nothing was saved. Go back, reload the page and enter it again.")
        }
        return services.redirect("/plans/\(id)?saved=1")
    }

    /// The signed-in team manager or social worker signs off the plan as it is now, with their own account.
    @Sendable func signOwn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.staffRead, planID: id, context: context)
        guard let role = ownSignOffRole(id, context: context), let user = context.user else { throw PageError.forbidden("Only the child's social worker and the team manager sign off here with their own account.") }
        let basedOn = try RequestNumber.revision(context.form)
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "sign off the plan as \(role.plain)") { plan in
                plan.signOffs.removeAll { $0.role == role }
                plan.signOffs.append(SignOff(role: role, name: user.displayName, signedOn: today(), versionHash: plan.contentFingerprint, signedInApp: true))
            }
        } catch let StorageError.conflict(_, _, current, _) {
            throw PageError.conflict("The plan changed after you opened this page (you had revision \(basedOn); it is now \(current)), so you have not signed. Read it again, then sign.")
        }
        return services.redirect("/plans/\(id)/signoffs")
    }
}
