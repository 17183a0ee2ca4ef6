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
            return ("r\(i)", SignOffRow(role: role.rawValue, name: s?.name, signed: DateParts(s?.signedOn)))
        }
        return services.page("signoffs", signOffsPage(plan: plan, revision: stored.revision, rows: rows, errors: [], context: context), context: context)
    }

    func signOffsPage(plan: Plan, revision: Int, rows: [(String, SignOffRow)], errors: [FieldError], context: AppRequestContext) -> SignOffsPage {
        let byField = Self.byField(errors)
        let views = rows.compactMap { key, r -> StartRow? in
            guard let role = r.role.flatMap(SignOffRole.init(rawValue:)) else { return nil }
            let f = "f-rows-\(key)", n = "rows[\(key)]"
            let title = role.plain.prefix(1).uppercased() + role.plain.dropFirst()
            var row = StartRow(legend: title, idName: "\(n)[role]", idValue: role.rawValue, hasID: true, fields: [
                Self.textField("\(n)[name]", "\(f)-name", "Name", r.name, error: byField["\(f)-name"]),
                Self.dateField("\(n)[signed]", "\(f)-signed", "Signed on", r.signed ?? DateParts(), hint: nil, error: byField["\(f)-signed"]),
            ])
            row.fields[0].label = "Name of \(role.plain)"
            return row
        }
        return SignOffsPage(pageTitle: "Sign-offs", planID: plan.id, knownAs: plan.child.knownAs, revision: revision,
                            summary: ErrorSummary(errors), rows: views, canEdit: canEdit(plan.id, context))
    }

    @Sendable func saveSignOffs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        let rows = try TypedForm.rows(TypedForm.decode(SignOffsForm.self, from: context.form).rows)
        var errors: [FieldError] = []
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "record the plan's sign-offs") { plan in
                for (key, row) in rows {
                    let f = "f-rows-\(key)"
                    guard let role = row.role.flatMap(SignOffRole.init(rawValue:)) else {
                        throw PageError.badRequest("A sign-off row names no role the plan knows. Nothing was saved.")
                    }
                    let name = TypedForm.text(row.name)
                    let existing = plan.signOffs.firstIndex { $0.role == role }
                    var signed: CalendarDate?
                    switch (row.signed ?? DateParts()).parse("The date \(role.plain) signed") {
                    case .success(let d):
                        signed = d
                        if let d, d > today() { errors.append(FieldError(field: "\(f)-signed", message: "The date \(role.plain) signed must be today or in the past")) }
                    case .failure(let p): errors.append(FieldError(field: "\(f)-signed", message: p.message))
                    }
                    if name == nil && signed == nil {
                        // Cleared: the sign-off is taken away (a row never filled stays empty).
                        if let existing { plan.signOffs.remove(at: existing) }
                        continue
                    }
                    if name == nil { errors.append(FieldError(field: "\(f)-name", message: "Enter the name of \(role.plain), or clear the date")) }
                    if signed == nil && errors.allSatisfy({ $0.field != "\(f)-signed" }) {
                        errors.append(FieldError(field: "\(f)-signed", message: "Enter the date \(role.plain) signed"))
                    }
                    guard let name, let signed else { continue }
                    if let existing {
                        if plan.signOffs[existing].name != name || plan.signOffs[existing].signedOn != signed {
                            plan.signOffs[existing].name = name
                            plan.signOffs[existing].signedOn = signed
                        }
                    } else {
                        plan.signOffs.append(SignOff(role: role, name: name, signedOn: signed))
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
}
