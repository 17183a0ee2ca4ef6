import ArgumentParser
import Foundation
import LifeStoryCore
import LifeStoryStorage
import LifeStoryWeb

/// `lifestory user ...` and `lifestory assign`: accounts from the command line, for the first admin of an empty
/// database and for scripts. Each change goes into the audit log as the person at the keyboard.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, disable, enable and reset accounts.",
        discussion: """
        The first admin of a new agency: lifestory user add --agency "Northshire Council" --role admin \
        --name "Sam Patel" --email sam.patel@northshire.gov.uk. It prints a one-time link: open it to set a password and \
        set up two-factor sign-in. Links are built from $LIFESTORY_PUBLIC_URL (or --url).
        """,
        subcommands: [UserAdd.self, UserList.self, UserDisable.self, UserEnable.self, UserReset.self])
}

/// The address links are built from.
struct LinkBase: ParsableArguments {
    @Option(name: .long, help: "The address people reach Lifestory at. Default: $LIFESTORY_PUBLIC_URL, else http://127.0.0.1:8080.")
    var url: String?

    func link(_ token: String) -> String {
        var base = url ?? ProcessInfo.processInfo.environment["LIFESTORY_PUBLIC_URL"] ?? "http://127.0.0.1:8080"
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/invite/\(token)"
    }
}

func roleNames() -> String { UserRole.allCases.map(\.rawValue).joined(separator: ", ") }

/// Finds an account by email address, or says there is none and exits.
func account(_ email: String, in store: UserStore) throws -> UserRecord {
    guard let user = try store.user(email: email.lowercased()) else {
        printError("There is no account with the email address \(email). `lifestory user list` shows them.")
        throw Exit.findings
    }
    return user
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an account and print its one-time link.")
    @OptionGroup var location: DatabaseLocation
    @OptionGroup var base: LinkBase
    @Option(name: .long, help: "Their email address: how they sign in.") var email: String
    @Option(name: .long, help: "Their full name.") var name: String
    @Option(name: .long, help: "Their role: admin, social_worker, team_manager, panel_member, panel_chair, decision_maker, practice_lead.") var role: String
    @Option(name: .long, help: "Their team's name (made if the agency has none by that name).") var team: String?
    @Option(name: .long, help: "The agency's name. Needed when the database holds no agency, or more than one.") var agency: String?

    func run() throws {
        let email = self.email.trimmingCharacters(in: .whitespaces).lowercased()
        let name = self.name.trimmingCharacters(in: .whitespaces)
        guard EmailAddress.isPlausible(email) else { throw ValidationError("--email: '\(self.email)' is not an email address like name@example.gov.uk") }
        guard !name.isEmpty, name.count <= 120, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError("--name: give their full name, at most 120 characters")
        }
        guard let role = UserRole(rawValue: self.role), role != .adopter, role != .fosterCarer else {
            throw ValidationError("--role: '\(self.role)' is not a staff role. Use one of admin, social_worker, team_manager, panel_member, panel_chair, decision_maker, practice_lead. (Adopters and foster carers are added by the child's social worker in the web app.)")
        }
        let db = try location.open()
        let accounts = AccountStore(db)
        let agencyId: String
        if let agency {
            guard !agency.trimmingCharacters(in: .whitespaces).isEmpty, agency.count <= 120 else { throw ValidationError("--agency: give the agency's name, at most 120 characters") }
            agencyId = try accounts.ensureAgency(name: agency.trimmingCharacters(in: .whitespaces))
        } else {
            let all = try accounts.agencies()
            guard all.count == 1 else {
                throw ValidationError(all.isEmpty ? "--agency: the database holds no agency yet; name yours, like --agency \"Northshire Council\""
                                      : "--agency: the database holds \(all.count) agencies (\(all.map(\.name).joined(separator: ", "))); say which")
            }
            agencyId = all[0].id
        }
        let teamId = try team.map { t -> String in
            guard !t.trimmingCharacters(in: .whitespaces).isEmpty, t.count <= 120 else { throw ValidationError("--team: give the team's name, at most 120 characters") }
            return try accounts.ensureTeam(agencyId: agencyId, name: t.trimmingCharacters(in: .whitespaces))
        }
        let user = UserRecord(id: AccountStore.newUserId(), agencyId: agencyId, teamId: teamId, email: email, displayName: name, role: role,
                              createdAt: PlanStore.iso(Date().timeIntervalSince1970))
        let token = try storage { try accounts.add(user, by: cliActor(), now: Date().timeIntervalSince1970) }
        print("Added \(name) <\(email)> as \(role.label.lowercased()).")
        print("Their one-time link (works once, for 7 days): \(base.link(token))")
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every account: email, name, role, team and whether it can sign in.")
    @OptionGroup var location: DatabaseLocation

    func run() throws {
        let db = try location.openExisting()
        let accounts = AccountStore(db)
        for agency in try accounts.agencies() {
            print(agency.name)
            let teams = Dictionary(try accounts.teams(agencyId: agency.id).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            for u in try accounts.users(agencyId: agency.id) {
                let state = !u.isActive ? "disabled" : u.passwordHash == nil && u.oidcSubject == nil ? "invited" : u.hasTwoFactor ? "active, two-factor on" : "active"
                let role = UserRole(rawValue: u.role)?.label ?? u.role
                print("  \(u.email.padding(toLength: 40, withPad: " ", startingAt: 0)) \(u.displayName.padding(toLength: 28, withPad: " ", startingAt: 0)) \(role.padding(toLength: 22, withPad: " ", startingAt: 0)) \((u.teamId.flatMap { teams[$0] } ?? "").padding(toLength: 18, withPad: " ", startingAt: 0)) \(state)")
            }
        }
    }
}

struct UserDisable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account: it cannot sign in, and its sessions end now.")
    @OptionGroup var location: DatabaseLocation
    @Argument(help: "Their email address.") var email: String

    func run() throws {
        let db = try location.openExisting()
        let user = try account(email, in: UserStore(db))
        try storage { try AccountStore(db).disable(userId: user.id, by: cliActor(), now: Date().timeIntervalSince1970) }
        print("Disabled \(user.displayName) <\(user.email)>; every session of theirs has ended.")
    }
}

struct UserEnable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account again.")
    @OptionGroup var location: DatabaseLocation
    @Argument(help: "Their email address.") var email: String

    func run() throws {
        let db = try location.openExisting()
        let user = try account(email, in: UserStore(db))
        try storage { try AccountStore(db).enable(userId: user.id, by: cliActor(), now: Date().timeIntervalSince1970) }
        print("Enabled \(user.displayName) <\(user.email)>.")
    }
}

struct UserReset: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Clear an account's password and second factor, end its sessions, and print a new one-time link.")
    @OptionGroup var location: DatabaseLocation
    @OptionGroup var base: LinkBase
    @Argument(help: "Their email address.") var email: String

    func run() throws {
        let db = try location.openExisting()
        let user = try account(email, in: UserStore(db))
        let token = try storage { try AccountStore(db).reset(userId: user.id, by: cliActor(), now: Date().timeIntervalSince1970) }
        print("Reset \(user.displayName) <\(user.email)>: password and second factor cleared, sessions ended.")
        print("Their new one-time link (works once, for 7 days): \(base.link(token))")
    }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Allocate a child to a social worker (the child's other social workers lose them).")
    @OptionGroup var location: DatabaseLocation
    @Option(name: .long, help: "The child's id (`lifestory plan list` shows them).") var child: String
    @Option(name: .long, help: "The social worker's email address.") var to: String

    func run() throws {
        let db = try location.openExisting()
        let worker = try account(to, in: UserStore(db))
        guard worker.role == UserRole.socialWorker.rawValue, worker.isActive else {
            printError("\(worker.email) is not an active social worker's account.")
            throw Exit.findings
        }
        let names = try AccountStore(db).childNames([child])
        guard let name = names[child], try UserStore(db).agencyChildren(agencyId: worker.agencyId).contains(child) else {
            printError("There is no child '\(child)' in \(worker.displayName)'s agency. `lifestory plan list` shows the children.")
            throw Exit.findings
        }
        try storage { try AccountStore(db).reassign(childId: child, to: worker, by: cliActor(), now: Date().timeIntervalSince1970) }
        print("\(name) is now allocated to \(worker.displayName).")
    }
}
