import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import Testing

/// Agencies are kept apart everywhere, and a team manager sees their own team's plans.
@Suite("Web: agencies and teams kept apart")
struct SeparationTests {
    static let other = "agency-other"
    static let otherPlan = "plan-other-one"
    static let otherPseudonym = "Child Q9"

    /// A second agency beside the demo one: a team, a plan, and a user for every role.
    static func addOtherAgency(_ h: Harness) async throws -> [UserRole: String] {
        var plan = try Fixtures.plan("clean-wls")
        plan.id = otherPlan
        plan.agency = Agency(id: other, name: "Other Agency (test)")
        plan.child.id = "child-other-one"
        plan.child.pseudonym = otherPseudonym
        try h.services.plans.importPlan(plan, actor: .system, purpose: "test")
        let users = h.services.users
        try users.createTeam(id: "team-other", agencyId: other, name: "Other team (test)")
        let hash = try await h.services.hashPassword(Harness.password)
        var emails: [UserRole: String] = [:]
        for role in UserRole.allCases {
            let id = "u-other-\(role.rawValue)"
            let email = "\(role.rawValue)@other.invalid"
            try users.create(UserRecord(id: id, agencyId: other, teamId: "team-other", email: email, displayName: "Other \(role.label)",
                                        role: role, createdAt: h.services.plans.timestamp()))
            try users.setPasswordHash(userId: id, hash: hash)
            emails[role] = email
        }
        for role in [UserRole.socialWorker, .adopter] { try users.assign(userId: "u-other-\(role.rawValue)", childId: plan.child.id, relationship: role.rawValue) }
        return emails
    }

    static let demoMarks = ["plan-eng-sam", "plan-wls-mia", "plan-sco-lewis", "plan-ni-niamh", "Child E1", "Child W1", "Child S1", "Child N1", "(demo)"]
    static let otherMarks = [otherPlan, otherPseudonym, "Other Agency", "Other team", "@other.invalid"]

    /// Every page a user reaches by following links from home, plus every route with the other agency's ids.
    static func visit(_ s: Session, home: String, ids: [String]) async throws -> [(String, Session.Page)] {
        var out: [(String, Session.Page)] = []
        var queue = [home, "/admin/audit?show=all", "/admin/audit?show=security", "/admin/users", "/meetings", "/panel", "/caseload"], seen = Set<String>()
        while let uri = queue.first, seen.count < 70 {
            queue.removeFirst()
            guard seen.insert(uri).inserted else { continue }
            let page = try await s.get(uri)
            out.append((uri, page))
            let link = try NSRegularExpression(pattern: ##"href="(/[^"#]*)""##)
            for m in link.matches(in: page.body, range: NSRange(page.body.startIndex..., in: page.body)) {
                let href = String(page.body[Range(m.range(at: 1), in: page.body)!]).replacingOccurrences(of: "&amp;", with: "&")
                if href.hasSuffix(".pdf") || href.hasPrefix("/static/") || seen.contains(href) { continue }
                queue.append(href)
            }
        }
        for id in ids {
            for path in ["/plans/\(id)", "/plans/\(id)/versions", "/plans/\(id)/guides", "/plans/\(id)/family", "/plans/\(id)/incidents",
                         "/plans/\(id)/check", "/panel/plans/\(id)"] {
                out.append((path, try await s.get(path)))
            }
        }
        return out
    }

    @Test("Every role of two agencies: no page shows a row of the other agency, and the other's ids are not found")
    func twoAgencies() async throws {
        let h = try await Harness.make()
        let otherEmails = try await Self.addOtherAgency(h)
        try await h.run { client in
            for role in UserRole.allCases {
                // The other agency's user, on every page, never sees the demo agency.
                let them = Session(client)
                try await them.get("/login")
                let signedIn = try await them.post("/login", [("email", otherEmails[role]!), ("password", Harness.password)])
                #expect(signedIn.status == .seeOther, "\(role) of the other agency signs in")
                for (uri, page) in try await Self.visit(them, home: signedIn.headers[.location] ?? "/", ids: ["plan-eng-sam", "plan-sco-lewis"]) {
                    // The audit log rightly shows the addresses this agency's own users asked for, ids included.
                    for mark in Self.demoMarks where !(uri.hasPrefix("/admin/audit") && mark.hasPrefix("plan-")) {
                        #expect(!page.body.contains(mark), "\(role) of the other agency saw '\(mark)' at \(uri)")
                    }
                    if uri.contains("plan-eng-sam") || uri.contains("plan-sco-lewis") {
                        #expect(page.status == .notFound || page.status == .forbidden, "\(role) of the other agency at \(uri): \(page.status.code)")
                    }
                }
                // And the demo agency's user never sees the other agency.
                let us = Session(client)
                let home = try await us.signIn(role)
                for (uri, page) in try await Self.visit(us, home: home.headers[.location] ?? "/", ids: [Self.otherPlan]) {
                    for mark in Self.otherMarks where !(uri.hasPrefix("/admin/audit") && mark == Self.otherPlan) {
                        #expect(!page.body.contains(mark), "\(role) of the demo agency saw '\(mark)' at \(uri)")
                    }
                }
            }
        }
    }

    @Test("The admin's audit log holds only their own agency's entries, and filters security events")
    func auditIsPerAgency() async throws {
        let h = try await Harness.make()
        let otherEmails = try await Self.addOtherAgency(h)
        try await h.run { client in
            let otherSW = Session(client)
            try await otherSW.get("/login")
            try await otherSW.post("/login", [("email", otherEmails[.socialWorker]!), ("password", Harness.password)])
            try await otherSW.get("/plans/\(Self.otherPlan)")
            let admin = Session(client)
            try await admin.signIn(.admin)
            let all = try await admin.get("/admin/audit?show=all")
            #expect(all.status == .ok)
            for mark in ["Other ", "u-other", Self.otherPseudonym, "plan \(Self.otherPlan)"] {
                #expect(!all.body.contains(mark), "another agency's entries are not shown: \(mark)")
            }
            #expect(all.body.contains("Child E1"))
            let security = try await admin.get("/admin/audit?show=security")
            #expect(security.body.contains("Signed in"))
            #expect(!security.body.contains("Read the plan"))
            let records = try await admin.get("/admin/audit?show=records")
            #expect(!records.body.contains("Signed in"))
            #expect(try await admin.get("/admin/audit?show=nonsense").status == .badRequest)
        }
    }

    @Test("A team manager sees only their own team's plans on the panel meetings page")
    func teamsOnMeetings() async throws {
        let h = try await Harness.make()
        try h.services.users.createTeam(id: "team-two", agencyId: Demo.agencyID, name: "Second team")
        try h.services.users.create(UserRecord(id: "u-tm2", agencyId: Demo.agencyID, teamId: "team-two", email: "tm2@demo.lifestory.invalid",
                                               displayName: "Second Manager", role: .teamManager, createdAt: h.services.plans.timestamp()))
        try h.services.users.setPasswordHash(userId: "u-tm2", hash: try await h.services.hashPassword(Harness.password))
        try await h.run { client in
            let mine = Session(client)
            try await mine.signIn(.teamManager)
            let own = try await mine.get("/meetings")
            #expect(own.body.contains("Child W1"), "the demo team's manager sees the demo team's plan on the agenda")
            let other = Session(client)
            try await other.get("/login")
            try await other.post("/login", [("email", "tm2@demo.lifestory.invalid"), ("password", Harness.password)])
            let page = try await other.get("/meetings")
            #expect(page.status == .ok)
            for mark in ["Child W1", "Child E1", "plan-wls-mia"] { #expect(!page.body.contains(mark), "another team's manager saw \(mark)") }
            #expect(page.body.contains("from other teams"))
        }
    }
}
