import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import Testing

/// "Start a plan": the review's case built from empty to submitted through the typed forms, in at most 15 posts.
@Suite("Web: start a plan")
struct StartPlanTests {
    /// The date boxes as a form posts them.
    static func date(_ name: String, _ d: CalendarDate) -> [(String, String)] {
        [("\(name)[day]", "\(d.day)"), ("\(name)[month]", "\(d.month)"), ("\(name)[year]", "\(d.year)")]
    }

    static func dotted(_ name: String, _ d: CalendarDate) -> [(String, String)] {
        [("\(name).day", "\(d.day)"), ("\(name).month", "\(d.month)"), ("\(name).year", "\(d.year)")]
    }

    @Test("The review's case: a 9-year-old placed three weeks ago, two older siblings on Instagram, a birth father barred by a section 51A order, letters with the birth mother; submitted in at most 15 posts")
    func reviewCase() async throws {
        let h = try await Harness.make()
        let today = Harness.today
        try await h.run { client in
            let s = Session(client)
            var posts = 0
            var lastBody = ""
            try await s.get("/login")
            posts += 1
            try await s.post("/login", [("email", Harness.emails[.socialWorker]!), ("password", Harness.password)])
            lastBody = try await s.get("/children/new").body
            posts += 1
            let created = try await s.post("/children/new", [("pseudonym", "Child T9"), ("knownAs", "Robin"), ("given", "Robin"), ("family", "Testcase"),
                                                            ("jurisdiction", "ENG"), ("legalStatus", "placed_for_adoption"), ("placementKind", "adoptive")]
                                           + Self.dotted("dateOfBirth", CalendarDate(year: 2017, month: 5, day: 14)!) + Self.dotted("dayOne", today.adding(days: -21)))
            #expect(created.status == .seeOther)
            let start = created.headers[.location] ?? ""
            #expect(start.hasSuffix("/start/home"), "after the child, the first step: \(start)")
            let plan = String(start.split(separator: "/")[1])
            func step(_ name: String, _ fields: [(String, String)]) async throws -> Session.Page {
                lastBody = try await s.get("/plans/\(plan)/start/\(name)").body
                posts += 1
                return try await s.post("/plans/\(plan)/start/\(name)", fields + [("_revision", Session.hidden("_revision", in: lastBody) ?? "")])
            }
            var r = try await step("home", [("rows[r0][role]", "adopter"), ("rows[r0][given]", "Ash"), ("rows[r0][family]", "Placeholder"), ("rows[r0][term]", "Dad"),
                                            ("rows[r1][role]", "adopter"), ("rows[r1][given]", "Sam"), ("rows[r1][family]", "Placeholder"), ("rows[r1][term]", "Papa"),
                                            ("rows[r2][role]", ""), ("rows[r2][given]", ""), ("carersTerm", "Dad and Papa")])
            #expect(r.status == .seeOther && r.headers[.location] == "/plans/\(plan)/start/family", "\(r.body.prefix(300))")
            r = try await step("family", [
                ("rows[r0][role]", "birth_mother"), ("rows[r0][given]", "Kim"), ("rows[r0][family]", "Sample"), ("rows[r0][term]", "Mummy Kim"),
                ("rows[r1][role]", "birth_father"), ("rows[r1][given]", "Lee"), ("rows[r1][family]", "Sample"),
                ("rows[r2][role]", "sibling"), ("rows[r2][given]", "Jo"), ("rows[r2][elsewhere]", "true"), ("rows[r2][social]", "Instagram @example_jo_demo"),
                ("rows[r3][role]", "sibling"), ("rows[r3][given]", "Max"), ("rows[r3][elsewhere]", "true"), ("rows[r3][social]", "Instagram @example_max_demo"),
            ] + Self.date("rows[r2][dob]", CalendarDate(year: 2010, month: 2, day: 3)!) + Self.date("rows[r3][dob]", CalendarDate(year: 2011, month: 9, day: 9)!))
            #expect(r.status == .seeOther, "\(r.body.prefix(500))")
            var p = try h.services.plans.load(plan, actor: .system, purpose: "test").plan
            let father = try #require(p.people.first { $0.role == .birthFather })
            let mother = try #require(p.people.first { $0.role == .birthMother })
            #expect(p.people.filter { $0.role == .sibling }.allSatisfy { $0.placedElsewhere && $0.contact?.socialHandles.count == 1 })
            #expect(p.placements.last?.carers.count == 2 && p.child.carersTerm == "Dad and Papa")
            r = try await step("orders", [("rows[r0][type]", "ACA02_PLACEMENT"), ("rows[r0][court]", "Example Family Court"),
                                          ("rows[r1][type]", "ACA02_S51A_PROHIBITION"), ("rows[r1][court]", "Example Family Court"), ("rows[r1][named][]", father.id)]
                                  + Self.date("rows[r0][made]", CalendarDate(year: 2026, month: 6, day: 2)!) + Self.date("rows[r1][made]", CalendarDate(year: 2026, month: 6, day: 2)!))
            #expect(r.status == .seeOther, "\(r.body.prefix(500))")
            r = try await step("contact", [("rows[r0][with]", mother.id), ("rows[r0][mode]", "LETTERBOX_PAPER"), ("rows[r0][count]", "2"), ("rows[r0][per]", "year"),
                                           ("rows[r0][basis]", "agreement")] + Self.date("rows[r0][start]", today.adding(days: 14)))
            #expect(r.status == .seeOther, "\(r.body.prefix(500))")
            // The agency's duty lines are offered; saving them as shown sets every card.
            let page = try await s.get("/plans/\(plan)/start/responders")
            #expect(page.body.contains("01632 960200"), "the agency's daytime line is offered")
            r = try await step("responders", [("dayName", "Adoption support duty line (demo)"), ("dayPhone", "01632 960200"),
                                              ("oohName", "Emergency duty team (demo)"), ("oohPhone", "01632 960999")])
            #expect(r.headers[.location] == "/plans/\(plan)?started=1")
            p = try h.services.plans.load(plan, actor: .system, purpose: "test").plan
            #expect(p.contingencies.allSatisfy { $0.responders.contains { $0.outOfHours } && $0.responders.contains { !$0.outOfHours } })
            #expect(p.contingencies.contains { $0.scenario == .c1 && $0.namedPersons.contains(father.id) }, "C1 names the barred father")
            #expect(p.arrangements.first?.intermediary.flatMap { id in p.people.first { $0.id == id } }?.role == .letterboxCoordinator)
            #expect(p.arrangements.first?.frequency == Frequency(kind: .regular, count: 2, per: .year))
            // Views, the risk assessment and the sign-offs.
            lastBody = try await s.get("/plans/\(plan)/s/views").body
            posts += 1
            r = try await s.post("/plans/\(plan)/s/views/edit", [("child.summary", "Robin would like a letter at Christmas."), ("adopters.summary", "Happy with letters."),
                                                                ("birthRelatives.0.personRef", mother.id), ("birthRelatives.0.summary", "Kim would like news."),
                                                                ("_revision", Session.hidden("_revision", in: lastBody) ?? "")]
                                 + Self.dotted("child.recordedOn", today.adding(days: -5)) + Self.dotted("adopters.recordedOn", today.adding(days: -5))
                                 + Self.dotted("birthRelatives.0.recordedOn", today.adding(days: -10)))
            #expect(r.status == .seeOther, "\(r.body.prefix(500))")
            lastBody = try await s.get("/plans/\(plan)/s/risk/new").body
            posts += 1
            r = try await s.post("/plans/\(plan)/s/risk/new", [("assessedBy", "Priya Sample (demo)"), ("level", "medium"), ("birthRelativesOnline", "Jo and Max use Instagram."),
                                                               ("pastBreaches", "None."), ("proximity", "60 miles."), ("whatTheyKnow", "First name."),
                                                               ("childVulnerabilities", "Curious."), ("_revision", Session.hidden("_revision", in: lastBody) ?? "")]
                                 + Self.dotted("assessedOn", today.adding(days: -7)))
            #expect(r.status == .seeOther, "\(r.body.prefix(500))")
            lastBody = try await s.get("/plans/\(plan)/signoffs").body
            let roles = try NSRegularExpression(pattern: #"name="rows\[(r[0-9]+)\]\[role\]" value="([a-z_]+)""#)
                .matches(in: lastBody, range: NSRange(lastBody.startIndex..., in: lastBody)).map { m in
                    (String(lastBody[Range(m.range(at: 1), in: lastBody)!]), String(lastBody[Range(m.range(at: 2), in: lastBody)!]))
                }
            #expect(roles.count == 7, "the seven sign-offs the panel needs, the lawyer among them")
            posts += 1
            r = try await s.post("/plans/\(plan)/signoffs", roles.flatMap { key, role in
                [("rows[\(key)][role]", role), ("rows[\(key)][name]", "Example \(role) (demo)"), ("rows[\(key)][evidence]", "Their signature on this version (demo)")]
                    + Self.date("rows[\(key)][signed]", today.adding(days: -2))
            } + [("_revision", Session.hidden("_revision", in: lastBody) ?? "")])
            #expect(r.status == .seeOther, "\(r.body.prefix(500))")
            lastBody = try await s.get("/plans/\(plan)/check").body
            #expect(lastBody.contains("Check your answers") && lastBody.contains("passes every check"), "\(lastBody.prefix(3000))")
            posts += 1
            r = try await s.post("/plans/\(plan)/submit", [("_revision", Session.hidden("_revision", in: lastBody) ?? "")])
            #expect(r.headers[.location] == "/plans/\(plan)/submitted")
            let confirmation = try await s.get("/plans/\(plan)/submitted")
            #expect(confirmation.body.contains("Plan submitted to panel") && confirmation.body.contains("What happens next"))
            #expect(posts <= 15, "from signing in to submitted took \(posts) posts")
        }
    }

    @Test("A step's rows are the rows posted: a row key outside the page's pattern, or a field sent twice, is refused and nothing changes")
    func rowsAreThePostedRows() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let before = try BuilderRoundTripTests.archive(h, "plan-eng-sam")
            let page = try await s.get("/plans/plan-eng-sam/start/family")
            let revision = Session.hidden("_revision", in: page.body) ?? ""
            for bad in [[("rows[x9][given]", "Kim"), ("rows[x9][role]", "sibling")], [("rows[r999999999999][given]", "Kim")],
                        [("rows[r0][given]", "Kim"), ("rows[r0][given]", "Kay")], [("rows[r0][given][deeper]", "Kim")]] {
                let r = try await s.post("/plans/plan-eng-sam/start/family", bad + [("_revision", revision)])
                #expect(r.status == .badRequest, "\(bad): \(r.status)")
                #expect(r.body.contains("Nothing was saved"))
            }
            #expect(try BuilderRoundTripTests.archive(h, "plan-eng-sam") == before)
            #expect(try await s.get("/health").status == .ok)
        }
    }

    @Test("Dates as three boxes, with the Design System's messages")
    func dateMessages() {
        func message(_ d: String?, _ m: String?, _ y: String?) -> String? {
            if case .failure(let p) = DateParts(day: d, month: m, year: y).parse("Date of birth") { return p.message }
            return nil
        }
        #expect(message("3", nil, "2019") == "Date of birth must include a month")
        #expect(message(nil, nil, "2019") == "Date of birth must include a day and month")
        #expect(message("31", "11", "2026") == "31 November 2026 does not exist: November has 30 days")
        #expect(message("29", "2", "2027") == "29 February 2027 does not exist: 2027 is not a leap year")
        #expect(message("3", "4", "19") == "Year must include 4 numbers, like 2026")
        #expect(message("3", "13", "2019") == "Date of birth must be a real date: the month is a number from 1 to 12")
        #expect(message("99999999999999999999", "1", "2019") != nil)
        if case .success(let d) = DateParts(day: " 3 ", month: "Apr", year: "2019").parse("x") { #expect(d == CalendarDate(year: 2019, month: 4, day: 3)) } else {
            Issue.record("a month by name is read")
        }
        if case .success(let d) = DateParts().parse("x") { #expect(d == nil) } else { Issue.record("empty boxes are no date") }
    }

    @Test("A section form's date boxes: a wrong date is sent back with its message beside the boxes, and nothing is saved")
    func sectionDates() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let before = try BuilderRoundTripTests.archive(h, "plan-eng-sam")
            let page = try await s.get("/plans/plan-eng-sam/s/child")
            var form = try #require(BrowserForm.parse(page.body))
            form.fields = form.fields.map { $0.name == "dateOfBirth.day" ? ($0.name, "31") : $0.name == "dateOfBirth.month" ? ($0.name, "9") : $0 }
            let r = try await s.post(form.action, form.fields.filter { $0.name != "_csrf" })
            #expect(r.status == .unprocessableContent)
            #expect(r.body.contains("does not exist: September has 30 days"))
            #expect(r.body.contains("<title>Error:"))
            #expect(try BuilderRoundTripTests.archive(h, "plan-eng-sam") == before)
        }
    }

    @Test("An agency's first plan records its duty lines for the next plan, and the lines change on every card")
    func firstPlanRecordsDutyLines() async throws {
        let h = try await Harness.make()
        try await h.services.database.writer.write { try $0.execute(sql: "DELETE FROM agencyDutyLine") }
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            try await s.get("/children/new")
            let created = try await s.post("/children/new", [("pseudonym", "Child T2"), ("knownAs", "Ola"), ("given", "Ola"), ("jurisdiction", "WLS"),
                                                            ("legalStatus", "looked_after"), ("placementKind", "foster")]
                                           + StartPlanTests.dotted("dateOfBirth", CalendarDate(year: 2019, month: 1, day: 2)!)
                                           + StartPlanTests.dotted("dayOne", Harness.today.adding(days: -3)))
            let plan = String((created.headers[.location] ?? "").dropFirst("/plans/".count).prefix { $0 != "/" })
            let page = try await s.get("/plans/\(plan)/start/responders")
            #expect(!page.body.contains("01632"), "no lines to offer yet")
            let r = try await s.post("/plans/\(plan)/start/responders", [("dayName", "Fostering duty line (demo)"), ("dayPhone", "01632 960300"),
                                                                          ("oohName", "Out of hours team (demo)"), ("oohPhone", "01632 960301"),
                                                                          ("_revision", Session.hidden("_revision", in: page.body) ?? "")])
            #expect(r.status == .seeOther)
            let lines = try h.services.dutyLines.lines(agencyID: Demo.agencyID)
            #expect(lines.day?.phone == "01632 960300" && lines.outOfHours?.name == "Out of hours team (demo)")
            let p = try h.services.plans.load(plan, actor: .system, purpose: "test").plan
            #expect(p.contingencies.allSatisfy { $0.responders.contains { $0.phone == "01632 960301" } })
            #expect(try await s.get("/health").status == .ok)
        }
    }
}
