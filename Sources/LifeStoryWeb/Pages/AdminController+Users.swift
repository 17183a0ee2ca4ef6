import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

/// The admin's accounts: add a member of staff, change them, disable and enable, reset (a new one-time link; the
/// password and second factor cleared), a new link for a family member; the agency's sign-in settings; and the team
/// manager's allocation of children to their team's social workers. Every change is audited with who made it.
struct UserAdminController {
    let services: WebServices

    static let staffRoles: [UserRole] = [.socialWorker, .teamManager, .admin, .panelMember, .panelChair, .decisionMaker, .practiceLead]

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct UserRow {
        var href: String
        var name: String
        var email: String
        var role: String
        var team: String
        var status: String
    }

    struct UsersPage: PageModel {
        var pageTitle = "Users"
        var section = "users"
        var csrf = ""
        var users: [UserRow]
        var notice: String?
    }

    /// The form to add or change a member of staff.
    struct UserForm: Decodable {
        var name: String?
        var email: String?
        var role: String?
        var team: String?
    }

    struct FormPage: PageModel {
        var pageTitle: String
        var section = "users"
        var csrf = ""
        var action: String
        var button: String
        var name = ""
        var email = ""
        var roles: [Option]
        var teams: [Option]
        var summary: ErrorSummary?
        var nameError: String?
        var emailError: String?
        var roleError: String?
        var teamError: String?
        var isFamily = false
    }

    struct UserPage: PageModel {
        var pageTitle: String
        var section = "users"
        var csrf = ""
        var id: String
        var name: String
        var email: String
        var role: String
        var team: String
        var status: String
        var twoFactor: String
        var isActive: Bool
        var canReinvite: Bool
        var form: FormPage?
        var link: String?
        var linkExpires: String?
        var notice: String?
        var problem: String?
    }

    struct SettingsPage: PageModel {
        var pageTitle = "Settings"
        var section = "settings"
        var csrf = ""
        var summary: ErrorSummary?
        var adoptedDay = "", adoptedMonth = "", adoptedYear = ""
        var adoptedError: String?
        var policyContact = ""
        var contactError: String?
        var staffTwoFactor: Bool
        var family: [Option]
        var sso: Bool
        var ssoIssuer: String
        var ssoNew: [Option]
        var notice: String?
    }

    struct SettingsForm: Decodable {
        var familyTwoFactor: String?
        var ssoNewAccounts: String?
        var policyAdoptedOn: DateParts?
        var policyContact: String?
    }

    struct AllocateRow {
        var childId: String
        var child: String
        var current: String
        var options: [Option]
    }

    struct AllocatePage: PageModel {
        var pageTitle = "Allocate children"
        var section = "allocate"
        var csrf = ""
        var rows: [AllocateRow]
        var hasRows: Bool
        var notice: String?
        var problem: String?
        var pageNumber = 1
        var pageText = ""
        var previous: String?
        var next: String?
    }

    struct AllocateForm: Decodable {
        var child: String?
        var worker: String?
        var page: String?
    }

    func add(to router: Router<AppRequestContext>) {
        let access = Access(services: services)
        router.get("/admin/users") { request, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            return try list(admin, context: context, notice: nil)
        }
        router.get("/admin/users/new") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            return services.page("userform", try newForm(admin), context: context)
        }
        router.post("/admin/users/new") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            return try addUser(admin, context: context)
        }
        router.get("/admin/users/{id}") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            let user = try member(context, admin: admin)
            return services.page("user", try userPage(user, admin: admin), context: context)
        }
        router.post("/admin/users/{id}") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            return try editUser(try member(context, admin: admin), admin: admin, context: context)
        }
        router.post("/admin/users/{id}/{action}") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            let user = try member(context, admin: admin)
            let action = try context.parameters.require("action")
            let now = services.now()
            var page = try userPage(user, admin: admin)
            do {
                switch action {
                case "disable":
                    try services.accounts.disable(userId: user.id, by: context.actor, now: now)
                    services.sessionCache.forgetUser(user.id)
                    page = try userPage(try reload(user), admin: admin)
                    page.notice = "\(user.displayName)'s account is disabled. Every session of theirs has ended."
                case "enable":
                    try services.accounts.enable(userId: user.id, by: context.actor, now: now)
                    page = try userPage(try reload(user), admin: admin)
                    page.notice = "\(user.displayName)'s account is enabled again."
                case "reset", "reinvite":
                    let token = action == "reset" ? try services.accounts.reset(userId: user.id, by: context.actor, now: now)
                        : try services.accounts.reinvite(userId: user.id, by: context.actor, now: now)
                    services.sessionCache.forgetUser(user.id)
                    page = try userPage(try reload(user), admin: admin)
                    page.notice = action == "reset"
                        ? "\(user.displayName)'s password and second factor are cleared and their sessions have ended. Send them this one-time link to set them again."
                        : "Send \(user.displayName) this new one-time link. Any older link no longer works."
                    page.link = "\(services.config.baseURL)/invite/\(token)"
                    page.linkExpires = TimeWords.long(PlanStore.iso(now + AccountStore.linkLifetime))
                default:
                    throw PageError.notFound()
                }
            } catch let error as StorageError {
                page.problem = error.description
                return services.page("user", page, context: context, status: .unprocessableContent)
            }
            return services.page("user", page, context: context)
        }
        router.get("/admin/settings") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            return services.page("settings", try settingsPage(admin), context: context)
        }
        router.post("/admin/settings") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            let form = try TypedForm.decode(SettingsForm.self, from: context.form)
            let family = form.familyTwoFactor ?? "off"
            guard ["off", "offered", "required"].contains(family) else { throw PageError.badRequest("Two-factor sign-in for families must be off, offered or required. Nothing was saved.") }
            let sso = form.ssoNewAccounts ?? "off"
            guard sso == "off" || Self.staffRoles.map(\.rawValue).contains(sso) else { throw PageError.badRequest("New accounts from single sign-on must be off or a staff role. Nothing was saved.") }
            // The policy's date and contact: checked first, so a bad one changes nothing at all.
            var page = try settingsPage(admin)
            let contact = (form.policyContact ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            var adopted: CalendarDate?
            switch (form.policyAdoptedOn ?? DateParts()).parse("The date the policy was adopted") {
            case .success(let d): adopted = d
            case .failure(let problem): page.adoptedError = problem.message
            }
            if contact.count > 200 { page.contactError = "Who to contact must be 200 characters or fewer" }
            if page.adoptedError != nil || page.contactError != nil {
                page.adoptedDay = form.policyAdoptedOn?.day ?? ""
                page.adoptedMonth = form.policyAdoptedOn?.month ?? ""
                page.adoptedYear = form.policyAdoptedOn?.year ?? ""
                page.policyContact = contact
                page.summary = ErrorSummary([page.adoptedError.map { FieldError(field: "policyAdoptedOn", message: $0) },
                                             page.contactError.map { FieldError(field: "policyContact", message: $0) }].compactMap { $0 })
                return services.page("settings", page, context: context, status: .unprocessableContent)
            }
            try services.accounts.setSetting(agencyId: admin.agencyId, AgencySettings.familyTwoFactor, family, by: context.actor, now: services.now())
            if services.oidc != nil {
                try services.accounts.setSetting(agencyId: admin.agencyId, AgencySettings.ssoNewAccounts, sso, by: context.actor, now: services.now())
            }
            if let adopted {
                try services.accounts.setSetting(agencyId: admin.agencyId, AgencySettings.policyAdoptedOn, adopted.iso, by: context.actor, now: services.now())
            }
            let hadContact = try services.accounts.setting(agencyId: admin.agencyId, AgencySettings.policyContact) != nil
            if !contact.isEmpty || hadContact {
                try services.accounts.setSetting(agencyId: admin.agencyId, AgencySettings.policyContact, contact, by: context.actor, now: services.now())
            }
            page = try settingsPage(admin)
            page.notice = "Saved."
            return services.page("settings", page, context: context)
        }
        router.get("/team/allocate") { request, context -> Response in
            let manager = try access.requireRole([.teamManager], context: context)
            let number = try RequestNumber.query(request, "page", in: 1...1_000_000, label: "page number", default: 1) ?? 1
            return services.page("allocate", try allocatePage(manager, page: number), context: context)
        }
        router.post("/team/allocate") { _, context -> Response in
            let manager = try access.requireRole([.teamManager], context: context)
            let form = try TypedForm.decode(AllocateForm.self, from: context.form)
            // The page the form came from is shown again; anything but a page number shows the first.
            let number = form.page.flatMap { Int($0) }.map { min(max($0, 1), 1_000_000) } ?? 1
            func refused(_ problem: String) throws -> Response {
                var page = try allocatePage(manager, page: number)
                page.problem = problem
                return services.page("allocate", page, context: context, status: .unprocessableContent)
            }
            guard let childId = form.child, SafeID.isSafe(childId), let teamId = manager.teamId,
                  try services.plans.contains(.team(teamId: teamId, agencyId: manager.agencyId), childId: childId),
                  let child = try services.accounts.childNames([childId])[childId] else {
                return try refused("Choose a child of your team's caseload. Nothing was changed.")
            }
            guard let workerId = form.worker,
                  let worker = try services.accounts.socialWorkers(teamId: teamId).first(where: { $0.id == workerId }) else {
                return try refused("Choose one of your team's social workers for \(child). Nothing was changed.")
            }
            try services.accounts.reassign(childId: childId, to: worker, by: context.actor, now: services.now())
            var page = try allocatePage(manager, page: number)
            page.notice = "\(child) is now allocated to \(worker.displayName)."
            return services.page("allocate", page, context: context)
        }
    }

    // MARK: pages

    func reload(_ user: UserRecord) throws -> UserRecord {
        guard let fresh = try services.users.user(id: user.id) else { throw PageError.notFound() }
        return fresh
    }

    /// The account the path names, if it is in the admin's agency; "not found" otherwise, whatever the id.
    func member(_ context: AppRequestContext, admin: UserRecord) throws -> UserRecord {
        let id = try context.parameters.require("id")
        guard SafeID.isSafe(id), let user = try services.users.user(id: id), user.agencyId == admin.agencyId else { throw PageError.notFound() }
        return user
    }

    func teamNames(_ agencyId: String) throws -> [String: String] {
        Dictionary(try services.accounts.teams(agencyId: agencyId).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func status(_ user: UserRecord, link: (expiresAt: Double, used: Bool)?) -> String {
        if !user.isActive { return "Disabled" }
        if user.passwordHash == nil && user.oidcSubject == nil {
            guard let link, !link.used else { return "No link yet" }
            return link.expiresAt > services.now() ? "Invited (link until \(TimeWords.long(PlanStore.iso(link.expiresAt))))" : "Invited (link expired)"
        }
        return "Active"
    }

    func list(_ admin: UserRecord, context: AppRequestContext, notice: String?) throws -> Response {
        let teams = try teamNames(admin.agencyId)
        let links = try services.accounts.links(agencyId: admin.agencyId)
        let rows = try services.accounts.users(agencyId: admin.agencyId).map { u in
            UserRow(href: "/admin/users/\(u.id)", name: u.displayName, email: u.email, role: UserRole(rawValue: u.role)?.label ?? "Unknown role",
                    team: u.teamId.flatMap { teams[$0] } ?? "", status: status(u, link: links[u.id]))
        }
        return services.page("users", UsersPage(users: rows, notice: notice), context: context)
    }

    func roleOptions(_ selected: String?) -> [Option] {
        Self.staffRoles.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    func teamOptions(_ agencyId: String, selected: String?) throws -> [Option] {
        [Option(value: "", label: "No team", selected: selected == nil || selected == "")]
            + (try services.accounts.teams(agencyId: agencyId)).map { Option(value: $0.id, label: $0.name, selected: $0.id == selected) }
    }

    func newForm(_ admin: UserRecord) throws -> FormPage {
        FormPage(pageTitle: "Add a member of staff", action: "/admin/users/new", button: "Add and make a one-time link",
                 roles: roleOptions(UserRole.socialWorker.rawValue), teams: try teamOptions(admin.agencyId, selected: nil))
    }

    /// Reads and checks the form: each problem names its field. Family members keep their role.
    func read(_ form: UserForm, admin: UserRecord, page: inout FormPage, familyRole: UserRole?) throws -> (String, String, UserRole, String?)? {
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        page.name = name
        page.email = email
        if name.isEmpty { page.nameError = "Enter their full name" } else if name.count > 120 { page.nameError = "Name must be 120 characters or fewer" }
        if email.isEmpty {
            page.emailError = "Enter their email address"
        } else if !EmailAddress.isPlausible(email) {
            page.emailError = "Enter an email address in the correct format, like name@example.gov.uk"
        }
        let role: UserRole?
        if let familyRole {
            role = familyRole
        } else {
            role = form.role.flatMap(UserRole.init(rawValue:)).flatMap { Self.staffRoles.contains($0) ? $0 : nil }
            if role == nil { page.roleError = "Choose their role" }
            page.roles = roleOptions(form.role)
        }
        let teams = try services.accounts.teams(agencyId: admin.agencyId)
        var teamId: String? = form.team.flatMap { $0.isEmpty ? nil : $0 }
        if let t = teamId, !teams.contains(where: { $0.id == t }) {
            page.teamError = "Choose one of the agency's teams, or no team"
            teamId = nil
        }
        page.teams = try teamOptions(admin.agencyId, selected: teamId)
        let errors = [("name", page.nameError), ("email", page.emailError), ("role", page.roleError), ("team", page.teamError)]
            .compactMap { field, message in message.map { FieldError(field: field, message: $0) } }
        page.summary = ErrorSummary(errors)
        guard errors.isEmpty, let role else { return nil }
        return (name, email, role, teamId)
    }

    func addUser(_ admin: UserRecord, context: AppRequestContext) throws -> Response {
        let form = try TypedForm.decode(UserForm.self, from: context.form)
        var page = try newForm(admin)
        guard let (name, email, role, teamId) = try read(form, admin: admin, page: &page, familyRole: nil) else {
            return services.page("userform", page, context: context, status: .unprocessableContent)
        }
        let user = UserRecord(id: AccountStore.newUserId(), agencyId: admin.agencyId, teamId: teamId, email: email, displayName: name,
                              role: role, createdAt: services.timestamp())
        let token: String
        do { token = try services.accounts.add(user, by: context.actor, now: services.now()) } catch StorageError.alreadyExists {
            page.emailError = "There is already an account with this email address"
            page.summary = ErrorSummary([FieldError(field: "email", message: page.emailError!)])
            return services.page("userform", page, context: context, status: .unprocessableContent)
        }
        var done = try userPage(try reload(user), admin: admin)
        done.notice = "\(name) has been added as \(role.label.lowercased()). Send them this one-time link: they set a password, then set up a code from their phone."
        done.link = "\(services.config.baseURL)/invite/\(token)"
        done.linkExpires = TimeWords.long(PlanStore.iso(services.now() + AccountStore.linkLifetime))
        return services.page("user", done, context: context)
    }

    func userPage(_ user: UserRecord, admin: UserRecord) throws -> UserPage {
        let role = UserRole(rawValue: user.role)
        let family = role == .adopter || role == .fosterCarer
        let teams = try teamNames(admin.agencyId)
        var form = FormPage(pageTitle: "", action: "/admin/users/\(user.id)", button: "Save changes", name: user.displayName, email: user.email,
                            roles: roleOptions(user.role), teams: try teamOptions(admin.agencyId, selected: user.teamId))
        form.isFamily = family
        return UserPage(pageTitle: user.displayName, id: user.id, name: user.displayName, email: user.email, role: role?.label ?? "Unknown role",
                        team: user.teamId.flatMap { teams[$0] } ?? "No team", status: status(user, link: try services.accounts.link(userId: user.id)),
                        twoFactor: user.hasTwoFactor ? "On" : (user.oidcSubject != nil ? "Through single sign-on" : "Not set up"),
                        isActive: user.isActive, canReinvite: user.isActive && user.passwordHash == nil && user.oidcSubject == nil, form: form)
    }

    func editUser(_ user: UserRecord, admin: UserRecord, context: AppRequestContext) throws -> Response {
        let form = try TypedForm.decode(UserForm.self, from: context.form)
        var page = try userPage(user, admin: admin)
        let role = UserRole(rawValue: user.role)
        let familyRole: UserRole? = role == .adopter || role == .fosterCarer ? role : nil
        guard var formPage = page.form else { throw PageError.notFound() }
        guard let (name, email, newRole, teamId) = try read(form, admin: admin, page: &formPage, familyRole: familyRole) else {
            page.form = formPage
            return services.page("user", page, context: context, status: .unprocessableContent)
        }
        do {
            try services.accounts.edit(userId: user.id, name: name, email: email, role: newRole, teamId: familyRole == nil ? teamId : user.teamId,
                                       by: context.actor, now: services.now())
        } catch let error as StorageError {
            if case .alreadyExists = error {
                formPage.emailError = "There is already an account with this email address"
                formPage.summary = ErrorSummary([FieldError(field: "email", message: formPage.emailError!)])
            } else {
                page.problem = error.description
            }
            page.form = formPage
            return services.page("user", page, context: context, status: .unprocessableContent)
        }
        services.sessionCache.forgetUser(user.id)
        var done = try userPage(try reload(user), admin: admin)
        done.notice = "Saved."
        return services.page("user", done, context: context)
    }

    func settingsPage(_ admin: UserRecord) throws -> SettingsPage {
        let family = try services.accounts.setting(agencyId: admin.agencyId, AgencySettings.familyTwoFactor) ?? "off"
        let sso = try services.accounts.setting(agencyId: admin.agencyId, AgencySettings.ssoNewAccounts) ?? "off"
        let familyOptions = [("off", "Off: families sign in with a password"), ("offered", "Offered: each family member can choose to set it up"),
                             ("required", "Required: every family member sets it up at their next sign-in")]
        let adopted = try services.accounts.setting(agencyId: admin.agencyId, AgencySettings.policyAdoptedOn).flatMap(CalendarDate.init(iso:))
        var page = SettingsPage(staffTwoFactor: services.config.staffTwoFactor,
                            family: familyOptions.map { Option(value: $0.0, label: $0.1, selected: $0.0 == family) },
                            sso: services.oidc != nil, ssoIssuer: services.oidc?.settings.issuer ?? "",
                            ssoNew: [Option(value: "off", label: "No: only people the admin has added can sign in", selected: sso == "off")]
                                + Self.staffRoles.map { Option(value: $0.rawValue, label: "Yes, as \($0.label.lowercased())", selected: $0.rawValue == sso) })
        if let adopted {
            page.adoptedDay = String(adopted.day)
            page.adoptedMonth = String(adopted.month)
            page.adoptedYear = String(adopted.year)
        }
        page.policyContact = try services.accounts.setting(agencyId: admin.agencyId, AgencySettings.policyContact) ?? ""
        return page
    }

    /// One page of the team's children (50, in the caseload's order: overdue work first), each with its social
    /// worker now and the team's social workers to choose from.
    func allocatePage(_ manager: UserRecord, page number: Int) throws -> AllocatePage {
        guard let teamId = manager.teamId else { return AllocatePage(rows: [], hasRows: false) }
        let size = CaseloadController.pageSize
        let today = services.today()
        let caseload = try services.plans.caseload(.team(teamId: teamId, agencyId: manager.agencyId), asOf: today, journalSince: today.iso,
                                                   incidentsSince: today, limit: size, offset: (number - 1) * size)
        let workers = try services.accounts.socialWorkers(teamId: teamId)
        let current = try services.accounts.socialWorkers(childIds: caseload.rows.map(\.childId))
        let rows = caseload.rows.map { row -> AllocateRow in
            let now = current[row.childId]
            return AllocateRow(childId: row.childId, child: row.pseudonym, current: now?.displayName ?? "Nobody",
                               options: workers.map { Option(value: $0.id, label: $0.displayName, selected: $0.id == now?.id) })
        }
        let pages = max(1, (caseload.total + size - 1) / size)
        return AllocatePage(rows: rows, hasRows: !rows.isEmpty, pageNumber: number, pageText: "Page \(number) of \(pages)",
                            previous: number > 1 ? "/team/allocate?page=\(number - 1)" : nil,
                            next: number < pages ? "/team/allocate?page=\(number + 1)" : nil)
    }
}

/// Ids that come in a path: letters, digits, dashes and underscores, at most 80.
enum SafeID {
    static func isSafe(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 80 && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}

/// An email address shaped like one: something, one @, a domain with a dot, no spaces, at most 254 characters.
public enum EmailAddress {
    public static func isPlausible(_ s: String) -> Bool {
        guard s.count <= 254, !s.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "<" || $0 == ">" }) else { return false }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return true
    }
}
