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
            for row in try services.plans.caseload(asOf: today) where row.status == "submitted" {
                try services.panel.addToAgenda(meetingId: meeting, planId: row.planId, by: actor, at: services.timestamp())
            }
        }
        var logins: [DemoLogin] = []
        for user in Demo.users {
            let password = services.config.demoPassword ?? ("demo-" + Token.make().prefix(12))
            let hash = try await services.hashPassword(password)
            try services.users.setPasswordHash(userId: user.id, hash: hash)
            logins.append(DemoLogin(role: user.role.label, email: Demo.email(user.id), password: password))
        }
        return logins
    }
}
