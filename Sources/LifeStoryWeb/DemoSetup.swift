import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

public struct DemoLogin: Sendable {
    public var role: String
    public var email: String
    public var password: String
}

/// Gets the demo agency ready to use: seeded if the database is empty, a panel meeting open now with the submitted
/// plans on its agenda, and a password for each demo user (new each start unless one is configured).
public enum DemoSetup {
    public static func prepare(_ services: WebServices) async throws -> [DemoLogin] {
        let db = services.database
        if try services.plans.planIDs().isEmpty {
            _ = try Demo.seed(db)
        } else if try !Demo.isDemo(db) {
            throw StorageError.invalid("This database holds plans that are not the demo's. The demo only runs on its own database; nothing was changed.")
        }
        let today = services.today()
        let actor = Actor(id: "demo-seed", role: "system")
        if try services.panel.openMeetings(agencyId: Demo.agencyID, on: today).isEmpty {
            let meeting = try services.panel.createMeeting(agencyId: Demo.agencyID, meetsOn: today.adding(days: 7), accessFrom: today.adding(days: -7),
                                                           accessUntil: today.adding(days: 21), by: actor, at: services.timestamp())
            for row in try services.plans.plans(.agency(Demo.agencyID), status: .submitted) where !row.planId.hasPrefix(Demo.scalePrefix) {
                try services.panel.addToAgenda(meetingId: meeting, planId: row.planId, by: actor, at: services.timestamp())
            }
        }
        // The demo agency's duty lines (fictional numbers from Ofcom's range for drama), offered to every new plan.
        if try services.dutyLines.lines(agencyID: Demo.agencyID).day == nil {
            try services.dutyLines.set(agencyID: Demo.agencyID, day: .init(name: "Adoption support duty line (demo)", phone: "01632 960200"),
                                       outOfHours: .init(name: "Emergency duty team (demo)", phone: "01632 960999"), actor: actor, at: services.timestamp())
        }
        // Nine bcrypt hashes at cost 12 take over 2 s one after another: hash them side by side on the thread pool.
        let passwords = Demo.users.map { _ in services.config.demoPassword ?? ("demo-" + Token.make().prefix(12)) }
        let hashes = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (i, password) in passwords.enumerated() { group.addTask { (i, try await services.hashPassword(password)) } }
            var out = [String](repeating: "", count: passwords.count)
            for try await (i, hash) in group { out[i] = hash }
            return out
        }
        var logins: [DemoLogin] = []
        for (i, user) in Demo.users.enumerated() {
            try services.users.setPasswordHash(userId: user.id, hash: hashes[i])
            // Demo staff have an authenticator app set up already (a secret kept in the demo database), so signing
            // in shows the real code page; with --demo that page shows the made-up account's current code.
            if services.config.staffTwoFactor, user.role.isStaff, let record = try services.users.user(id: user.id), !record.hasTwoFactor {
                try services.accounts.startEnrolment(userId: user.id, secret: TwoFactor.newSecret())
                try services.accounts.confirmEnrolment(userId: user.id, step: 0, recoveryHashes: [], now: services.now())
            }
            logins.append(DemoLogin(role: user.role.label, email: Demo.email(user.id), password: passwords[i]))
        }
        return logins
    }
}
