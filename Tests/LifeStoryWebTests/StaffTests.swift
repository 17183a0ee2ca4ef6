import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import Testing

/// The staff side: who sees a record of someone targeted online and a supervision note, what the footprint check
/// keeps, the policy as a PDF, and the course made from the library.
@Suite("Web: working online, for staff")
struct StaffTests {
    static func addWorker(_ h: Harness, id: String, team: String? = "team-demo") throws {
        var user = UserRecord(id: id, agencyId: Demo.agencyID, teamId: team, email: "\(id)@demo.lifestory.invalid", displayName: "\(id) (demo)",
                              role: .socialWorker, passwordHash: nil, createdAt: h.services.timestamp())
        user.passwordHash = try h.services.users.user(id: "u-sw")?.passwordHash
        try h.services.users.create(user)
    }

    static func signIn(_ client: any TestClientProtocol, email: String) async throws -> Session {
        let s = Session(client)
        _ = try await s.get("/login")
        _ = try await s.post("/login", [("email", email), ("password", Harness.password)])
        _ = try await s.get("/working-online")
        return s
    }

    @Test("A record of being targeted online is seen only by the worker, their team manager and the admin; every view is audited")
    func incidentVisibility() async throws {
        let h = try await Harness.make()
        try Self.addWorker(h, id: "u-sw-colleague")
        try Self.addWorker(h, id: "u-sw-otherteam", team: nil)
        try await h.run { client in
            let sw = try await Self.signIn(client, email: Harness.emails[.socialWorker]!)
            // Bad input names the field and saves nothing.
            let bad = try await sw.post("/working-online/targeted-online", [("happenedOn[day]", "31"), ("happenedOn[month]", "11"), ("happenedOn[year]", "2026"), ("platform", ""), ("what", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("31 November 2026 does not exist") && bad.body.contains("Enter where it happened") && bad.body.contains("Enter what happened"))
            #expect(try h.services.staff.incidents(visibleTo: try #require(try h.services.users.user(id: "u-sw"))).isEmpty)
            let saved = try await sw.post("/working-online/targeted-online", [("happenedOn[day]", "20"), ("happenedOn[month]", "11"), ("happenedOn[year]", "2026"),
                                                                              ("platform", "A review site"), ("what", "A post naming me and my office."), ("toldManager", "true")])
            #expect(saved.status == .ok && saved.body.contains("Recorded"))
            let priya = try #require(try h.services.users.user(id: "u-sw"))
            let record = try #require(try h.services.staff.incidents(visibleTo: priya).first)
            let path = "/working-online/records/\(record.id)"
            let before = try AuditLog.entries(h.services.database).filter { $0.action == "read-staff-incident" }.count
            var seen = 0
            for (email, expected) in [(Harness.emails[.socialWorker]!, HTTPResponse.Status.ok), (Harness.emails[.teamManager]!, .ok), (Harness.emails[.admin]!, .ok),
                                      ("u-sw-colleague@demo.lifestory.invalid", .notFound), ("u-sw-otherteam@demo.lifestory.invalid", .notFound),
                                      (Harness.emails[.panelChair]!, .notFound), (Harness.emails[.practiceLead]!, .notFound)] {
                let s = try await Self.signIn(client, email: email)
                let page = try await s.get(path)
                #expect(page.status == expected, "\(email): \(page.status.code)")
                if expected == .ok {
                    seen += 1
                    #expect(page.body.contains("A post naming me and my office."))
                }
                let list = try await s.get("/working-online/records")
                #expect(list.body.contains(path) == (expected == .ok), "\(email) in the list")
            }
            for role in [UserRole.adopter, .fosterCarer] {
                let s = Session(client)
                try await s.signIn(role)
                #expect(try await s.get(path).status == .forbidden)
                #expect(try await s.get("/working-online").status == .forbidden)
            }
            #expect(try AuditLog.entries(h.services.database).filter { $0.action == "read-staff-incident" }.count == before + seen)
        }
    }

    @Test("A supervision note is seen by the child's social worker and team manager only; bad input names the field")
    func supervisionVisibility() async throws {
        let h = try await Harness.make()
        try Self.addWorker(h, id: "u-sw-colleague")
        let plan = try #require(try h.services.plans.caseload(asOf: Harness.today).first { row in
            (try? h.services.users.assignedChildren(userId: "u-sw").contains(row.childId)) == true
        })
        let path = "/plans/\(plan.planId)/supervision"
        try await h.run { client in
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let page = try await sw.get(path)
            #expect(page.status == .ok)
            #expect(page.body.matches(of: /<li>[^<]+\?<\/li>/).count >= 10, "the library's prompts")
            let bad = try await sw.post(path, [("heldOn[day]", ""), ("heldOn[month]", ""), ("heldOn[year]", ""), ("attendees", ""), ("agreed", "")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("Enter the date of the supervision") && bad.body.contains("Enter who was there"))
            let ok = try await sw.post(path, [("heldOn[day]", "18"), ("heldOn[month]", "11"), ("heldOn[year]", "2026"), ("attendees", "Priya Sample and Tom Manager"),
                                              ("agreed", "Check the carers have turned off contact syncing by 1 December.")])
            #expect(ok.status == .ok && ok.body.contains("contact syncing"))
            let tm = Session(client)
            try await tm.signIn(.teamManager)
            #expect(try await tm.get(path).body.contains("contact syncing"))
            for role in [UserRole.admin, .panelMember, .panelChair, .decisionMaker, .practiceLead, .adopter, .fosterCarer] {
                let s = Session(client)
                try await s.signIn(role)
                let got = try await s.get(path)
                #expect(got.status != .ok && !got.body.contains("contact syncing"), "\(role)")
            }
            let colleague = try await Self.signIn(client, email: "u-sw-colleague@demo.lifestory.invalid")
            #expect(try await colleague.get(path).status == .notFound, "a social worker not allocated the child")
            // Families' pages never carry it.
            let adopter = Session(client)
            try await adopter.signIn(.adopter)
            for familyPage in ["/family", "/family/next", "/family/contact", "/family/what-if", "/family/journal"] {
                #expect(try await !adopter.get(familyPage).body.contains("contact syncing"), "\(familyPage)")
            }
        }
    }

    @Test("The footprint check keeps only that it was done and when, and reminds after twelve months")
    func footprint() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let first = try await sw.get("/working-online")
            #expect(first.body.contains("You have not done the personal digital-footprint check yet"))
            let check = try await sw.get("/working-online/digital-footprint-check")
            #expect(check.status == .ok && check.body.contains("never asks for or keeps what you found"))
            #expect(try await sw.post("/working-online/footprint-check", [("answer", "my address is on a finder site")]).status == .ok)
            let columns = try await h.services.database.writer.read { db in try db.columns(in: "footprintCheck").map(\.name) }
            #expect(columns.sorted() == ["completedAt", "userId"], "no column could hold an answer")
            #expect(try await !sw.get("/working-online").body.contains("You have not done"))
            try await h.services.database.writer.write { db in
                try db.execute(sql: "UPDATE footprintCheck SET completedAt = '2025-10-01T09:00:00Z' WHERE userId = 'u-sw'")
            }
            #expect(try await sw.get("/working-online").body.contains("A year has passed"))
        }
    }

    @Test("The policy PDF carries the agency's name, the date it was adopted and who to ask, and every chapter")
    func policyPDF() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let admin = Session(client)
            try await admin.signIn(.admin)
            _ = try await admin.get("/admin/settings")
            let bad = try await admin.post("/admin/settings", [("familyTwoFactor", "off"), ("policyAdoptedOn[day]", "30"), ("policyAdoptedOn[month]", "2"), ("policyAdoptedOn[year]", "2026"), ("policyContact", "")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("30 February 2026 does not exist"))
            #expect(try h.services.accounts.setting(agencyId: Demo.agencyID, AgencySettings.policyAdoptedOn) == nil)
            #expect(try await admin.post("/admin/settings", [("familyTwoFactor", "off"), ("policyAdoptedOn[day]", "1"), ("policyAdoptedOn[month]", "12"), ("policyAdoptedOn[year]", "2026"),
                                                              ("policyContact", "Practice lead, adoption service (demo)")]).status == .ok)
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let response = try await client.execute(uri: "/working-online/policy.pdf", method: .get, headers: [.cookie: sw.cookieHeader], body: nil) { $0 }
            #expect(response.status == .ok)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("policy.pdf")
            try Data(response.body.readableBytesView).write(to: file)
            let text = try PDFText.extract(file).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for words in ["Example Four Nations Adoption Partnership (demo)", "1 December 2026", "Practice lead, adoption service (demo)", "Contents"] {
                #expect(text.contains(words), "\(words)")
            }
            for chapter in h.services.library.items(of: .practice) where StaffController.policyChapters.contains(chapter.id) {
                #expect(text.contains(chapter.title.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")), "\(chapter.id)")
            }
        }
    }

    @Test("The library's staff guidance and course are complete: every chapter of the policy, the card's sections, the check's steps, slides with notes")
    func library() throws {
        let library = try ContentLibrary.load(from: Fixtures.content)
        let practice = Set(library.items(of: .practice).map(\.id))
        for id in StaffController.policyChapters + [StaffController.footprintID] { #expect(practice.contains(id), "\(id)") }
        let card = try #require(library.items(of: .practice).first { $0.id == StaffController.targetedID })
        for title in ["Capture, don't engage", "Tell your manager", "Report to the platform", "When to involve the police", "What your employer must do", "Where to get support"] {
            #expect(card.sections.contains { $0.title == title }, "\(title)")
        }
        let check = try #require(library.items(of: .practice).first { $0.id == StaffController.footprintID })
        let steps = try #require(check.sections.first { $0.title == "Steps" }).markdown(for: nil).split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(steps.count >= 10)
        let course = try CourseDocuments(try #require(library.items(of: .course).first))
        #expect((18...26).contains(course.slides.count), "\(course.slides.count) slides")
        #expect(course.slides.allSatisfy { !$0.notes.isEmpty && !$0.body.isEmpty }, "every slide has words and notes")
    }
}
