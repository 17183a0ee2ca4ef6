import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import Mustache
import Testing

/// The caseload and the allocation page of a large agency: paged, each child once, each role its own children.
@Suite("Caseload pages at agency scale")
struct CaseloadWebTests {
    /// The plan links of a caseload page.
    static func plans(_ body: String) -> [String] {
        body.components(separatedBy: "href=\"/plans/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    static func pages(_ body: String) -> Int? {
        guard let r = body.range(of: #"Page \d+ of (\d+)"#, options: .regularExpression) else { return nil }
        return Int(body[r].split(separator: " ").last ?? "")
    }

    @Test("Every page of every role's caseload: each of their children once, nobody else's, 50 to a page")
    func everyPage() async throws {
        let h = try await Harness.make()
        #expect(try Demo.scale(h.services.database, children: 130, socialWorkers: 3) == 126)
        let all = Set(try h.services.plans.caseload(asOf: Harness.today).map(\.planId))
        let mine = try Set(h.services.users.assignedChildren(userId: "u-sw").compactMap { try h.services.plans.planID(childId: $0) })
        #expect(all.count == 130 && (40...50).contains(mine.count))
        try await h.run { client in
            for (role, expected) in [(UserRole.socialWorker, mine), (.teamManager, all), (.admin, all)] {
                let s = Session(client)
                try await s.signIn(role)
                let first = try await s.get("/caseload")
                let count = try #require(Self.pages(first.body), "\(role)")
                #expect(count == (expected.count + 49) / 50, "\(role)")
                var seen: [String] = []
                for page in 1...count {
                    let p = try await s.get("/caseload?page=\(page)")
                    #expect(p.status == .ok)
                    let rows = Self.plans(p.body)
                    #expect(rows.count <= 50 && !rows.isEmpty)
                    seen += rows
                    #expect(p.body.contains("Next page") == (page < count) && p.body.contains("Previous page") == (page > 1))
                }
                #expect(seen.count == expected.count && Set(seen) == expected, "\(role): each child once")
                #expect(first.body.contains("\(expected.count) children"))
                // Past the last page: an empty page, not an error and not someone else's children.
                let beyond = try await s.get("/caseload?page=\(count + 1)")
                #expect(beyond.status == .ok && Self.plans(beyond.body).isEmpty)
            }
            // A social worker opens only their own children's plans; the team manager opens any of the team's.
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let tm = Session(client)
            try await tm.signIn(.teamManager)
            for plan in all.sorted().prefix(12) {
                #expect(try await sw.get("/plans/\(plan)").status == (mine.contains(plan) ? .ok : .notFound), "\(plan)")
                #expect(try await tm.get("/plans/\(plan)").status == .ok)
            }
        }
    }

    @Test("A caseload page kept in memory is read again after any change: a conversation recorded, a journal entry, a child moved, a rename from the command line")
    func keptPagesFollowChanges() async throws {
        let h = try await Harness.make()
        let sw = Actor(id: "u-sw", role: "social_worker")
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            func caseload() async throws -> String { try await s.get("/caseload").body }
            let first = try await caseload()
            let again = try await caseload()
            #expect(first.contains("Child E1") && first == again, "an unchanged caseload is the same page")
            // A journal entry from the family.
            let sam = try h.services.plans.load("plan-eng-sam", actor: sw, purpose: "test")
            try h.services.journal.add(planID: "plan-eng-sam", author: Actor(id: "u-adopter", role: "adopter"), kind: "note",
                                       happenedOn: Harness.today, text: "We talked about the photos.", at: h.services.timestamp())
            #expect(try await caseload().contains("1 new journal"))
            // A rename written straight to the database, as another program would.
            try await h.services.database.writer.write { db in
                try db.execute(sql: "UPDATE child SET pseudonym = 'Renamed elsewhere' WHERE id = ?", arguments: [sam.plan.child.id])
                try db.execute(sql: "UPDATE plan SET sortName = 'Renamed elsewhere' WHERE id = 'plan-eng-sam'")
            }
            #expect(try await caseload().contains("Renamed elsewhere"))
            // Every planned conversation recorded as done: nothing of Sam's is overdue any more.
            var revision = try h.services.plans.load("plan-eng-sam", actor: sw, purpose: "test").revision
            let before = try await caseload()
            for item in sam.plan.stages.flatMap(\.items) where item.status == .planned {
                revision = try h.services.plans.updateStageItem(planID: "plan-eng-sam", itemID: item.id, basedOn: revision, status: .done,
                                                                doneOn: Harness.today, notes: nil, skippedReason: nil, actor: sw)
            }
            let recorded = try await caseload()
            #expect(recorded != before)
            // The child moved to another social worker leaves this caseload at once.
            let other = UserRecord(id: "u-sw-other", agencyId: Demo.agencyID, teamId: "team-demo", email: "other@demo.lifestory.invalid",
                                   displayName: "Another social worker (demo)", role: .socialWorker, createdAt: h.services.timestamp())
            _ = try h.services.accounts.add(other, by: Actor(id: "u-admin", role: "admin"), now: h.services.now())
            try h.services.accounts.reassign(childId: sam.plan.child.id, to: other, by: Actor(id: "u-tm", role: "team_manager"), now: h.services.now())
            let after = try await caseload()
            #expect(!after.contains("/plans/plan-eng-sam\""))
        }
    }

    @Test("Rows written in Swift are escaped exactly as the template engine escapes, over 2,000 generated strings")
    func rowsAreEscapedAsTemplatesAre() async throws {
        let template = try MustacheTemplate(string: "{{x}}")
        let alphabet: [Character] = ["<", ">", "&", "\"", "'", "a", "Z", " ", "é", "e\u{301}", "👩‍👧", "ł", "\u{200F}", "/", "=", "\n"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            #expect(Placeholders.escapeHTML(text) == template.render(["x": text]), "\(text.debugDescription)")
        }
        // A child's name with every special character, on the caseload itself.
        let h = try await Harness.make()
        let id = "plan-eng-sam"
        let stored = try h.services.plans.load(id, actor: Actor(id: "test", role: "social_worker"), purpose: "test")
        try h.services.plans.update(id, basedOn: stored.revision, actor: Actor(id: "test", role: "social_worker")) { $0.child.pseudonym = "Sam O'Brien <b>&\"x\"" }
        try await h.run { client in
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let body = try await sw.get("/caseload").body
            #expect(body.contains("Sam O&#39;Brien &lt;b&gt;&amp;&quot;x&quot;") && !body.contains("<b>&"))
        }
    }

    @Test("Allocation is paged too: a child on page 3 is moved, the page stays page 3, a child outside the team is refused")
    func allocationPages() async throws {
        let h = try await Harness.make()
        _ = try Demo.scale(h.services.database, children: 130, socialWorkers: 3)
        try await h.run { client in
            let tm = Session(client)
            try await tm.signIn(.teamManager)
            let third = try await tm.get("/team/allocate?page=3")
            #expect(third.status == .ok && third.body.contains("Page 3 of 3") && third.body.contains("Previous page"))
            let field = try #require(third.body.range(of: #"name="child" value="[^"]+""#, options: .regularExpression))
            let child = String(third.body[field].dropFirst(#"name="child" value=""#.count).dropLast())
            let before = try #require(try h.services.accounts.socialWorkers(childIds: [child])[child])
            let to = before.id == "u-sw-002" ? "u-sw-003" : "u-sw-002"
            let moved = try await tm.post("/team/allocate", [("child", child), ("worker", to), ("page", "3")])
            #expect(moved.status == .ok && moved.body.contains("Page 3 of 3") && moved.body.contains("is now allocated to"))
            #expect(try h.services.accounts.socialWorkers(childIds: [child])[child]?.id == to)
            // Not a page number, or a child the team does not hold: nothing changes.
            #expect(try await tm.get("/team/allocate?page=0").status == .badRequest)
            #expect(try await tm.get("/team/allocate?page=99999999999999999999").status == .badRequest)
            #expect(try await tm.post("/team/allocate", [("child", "child-nope"), ("worker", to), ("page", "-4")]).status == .unprocessableContent)
            #expect(try await tm.post("/team/allocate", [("child", "../child"), ("worker", to)]).status == .unprocessableContent)
        }
    }
}
