import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import LifeStoryWeb
import Testing

@Suite("Web: server, sign-in and security")
struct ServerTests {
    @Test("/health answers, and every response carries the security headers")
    func healthAndHeaders() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            let health = try await s.get("/health")
            #expect(health.status == .ok)
            #expect(health.body == "ok\n")
            for page in [health, try await s.get("/login")] {
                let csp = page.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'none'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("script-src"), "no script source is allowed at all")
                #expect(!csp.contains("unsafe-inline"))
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
            let login = try await s.get("/login")
            #expect(!login.body.contains("<script"), "pages work without JavaScript and carry none")
        }
    }

    @Test("Signing in sets an HttpOnly, SameSite=Strict session cookie; a wrong password does not")
    func signIn() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            let bad = try await s.signIn(.socialWorker, password: "not the password")
            #expect(bad.status == .unauthorized)
            #expect(bad.body.contains("The email address or password is not right"))
            #expect(bad.body.contains("value=\"sw@demo.lifestory.invalid\""), "the email typed is kept")
            #expect(s.cookies["lifestory_session"] == nil)
            let good = try await s.signIn(.socialWorker)
            #expect(good.status == .seeOther)
            #expect(good.headers[.location] == "/caseload")
            let cookie = good.headers[values: .setCookie].first { $0.hasPrefix("lifestory_session=") } ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let caseload = try await s.get("/caseload")
            #expect(caseload.status == .ok)
            #expect(caseload.body.contains("Child E1"))
        }
    }

    @Test("Every role reaches its own home page after signing in")
    func homes() async throws {
        let h = try await Harness.make()
        let homes: [UserRole: String] = [.admin: "/caseload", .socialWorker: "/caseload", .teamManager: "/caseload", .panelMember: "/panel",
                                         .panelChair: "/panel", .decisionMaker: "/panel", .adopter: "/family", .fosterCarer: "/family",
                                         .practiceLead: "/content"]
        try await h.run { client in
            for (role, home) in homes {
                let s = Session(client)
                let signedIn = try await s.signIn(role)
                #expect(signedIn.headers[.location] == home, "\(role)")
                let page = try await s.get(home)
                #expect(page.status == .ok, "\(role) at \(home)")
            }
        }
    }

    @Test("Sign-in is throttled after 5 failures for an account, and says how long to wait")
    func throttling() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            for _ in 0..<5 { #expect(try await s.signIn(.admin, password: "wrong").status == .unauthorized) }
            let blocked = try await s.signIn(.admin)
            #expect(blocked.status == .tooManyRequests, "even the right password waits")
            #expect(blocked.body.contains("Too many attempts"))
            #expect(blocked.headers[.retryAfter] != nil)
            // Another account is not affected.
            #expect(try await Session(client).signIn(.socialWorker).status == .seeOther)
        }
    }

    @Test("A session ends after the idle timeout")
    func idleTimeout() async throws {
        let h = try await Harness.make(idleTimeout: 3)
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            #expect(try await s.get("/caseload").status == .ok)
            try await Task.sleep(for: .seconds(4))
            let after = try await s.get("/caseload")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/login")
        }
    }

    @Test("Signing out ends the session on the server, not just in the browser")
    func signOut() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let token = s.cookies["lifestory_session"]
            try await s.get("/caseload")
            #expect(try await s.post("/logout", []).status == .seeOther)
            let replay = Session(client)
            replay.cookies["lifestory_session"] = token
            #expect(try await replay.get("/caseload").status == .seeOther, "the old cookie no longer works")
        }
    }

    @Test("A request body over 1 MB is refused with 413 and changes nothing")
    func bodyLimit() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            try await s.get("/plans/plan-eng-sam/s/people/0")
            let before = try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").revision
            let huge = Session.encode([("_csrf", s.csrf), ("_revision", "\(before)"), ("role", "birth_mother"),
                                       ("name.given", String(repeating: "x", count: 1_100_000))])
            let page = try await s.postRaw("/plans/plan-eng-sam/s/people/0", huge)
            #expect(page.status == .contentTooLarge)
            #expect(try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").revision == before)
        }
    }
}

@Suite("Web: CSRF on every form")
struct CSRFTests {
    /// Every form the app has, posted by a user who may use it.
    static let forms: [(UserRole, String)] = [
        (.socialWorker, "/children/new"),
        (.socialWorker, "/plans/plan-eng-sam/s/people/0"),
        (.socialWorker, "/plans/plan-eng-sam/s/people/new"),
        (.socialWorker, "/plans/plan-eng-sam/s/child/edit"),
        (.socialWorker, "/plans/plan-eng-sam/s/people/0/remove"),
        (.socialWorker, "/plans/plan-eng-sam/responders"),
        (.socialWorker, "/plans/plan-eng-sam/submit"),
        (.socialWorker, "/plans/plan-eng-sam/incidents"),
        (.socialWorker, "/plans/plan-eng-sam/guides"),
        (.socialWorker, "/plans/plan-eng-sam/family"),
        (.socialWorker, "/plans/plan-eng-sam/reviews"),
        (.socialWorker, "/plans/plan-eng-sam/actions/x/done"),
        (.socialWorker, "/logout"),
        (.teamManager, "/meetings"),
        (.teamManager, "/meetings/m/agenda"),
        (.panelChair, "/panel/plans/plan-wls-mia/outcome"),
        (.decisionMaker, "/panel/plans/plan-wls-mia/outcome"),
        (.adopter, "/family/journal"),
    ]

    @Test("Every form refuses a missing or wrong CSRF token with 403, and nothing is written")
    func everyForm() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            for (role, uri) in Self.forms {
                let s = Session(client)
                try await s.signIn(role)
                try await s.get("/")
                // A refused form writes only its security event: nothing about any child.
                let auditBefore = try AuditLog.entries(h.services.database).filter { $0.entity != "security" }.count
                let eventsBefore = try AuditLog.entries(h.services.database, entity: "security").filter { $0.action == "form-refused" }.count
                let missing = try await s.post(uri, [("_revision", "1"), ("text", "x"), ("kind", "note"), ("happenedOn", "2026-11-20")], csrf: .none)
                #expect(missing.status == .forbidden, "\(uri) without a token")
                let wrong = try await s.post(uri, [("_revision", "1"), ("text", "x"), ("kind", "note"), ("happenedOn", "2026-11-20")], csrf: .some("forged-token"))
                #expect(wrong.status == .forbidden, "\(uri) with a wrong token")
                #expect(try AuditLog.entries(h.services.database).filter { $0.entity != "security" }.count == auditBefore, "\(uri) wrote nothing")
                #expect(try AuditLog.entries(h.services.database, entity: "security").filter { $0.action == "form-refused" }.count == eventsBefore + 2,
                        "\(uri): both refusals are security events")
            }
            // Signed out: the sign-in form and an invitation carry the visitor's own token.
            let visitor = Session(client)
            try await visitor.get("/login")
            #expect(try await visitor.post("/login", [("email", Harness.emails[.admin]!), ("password", Harness.password)], csrf: .none).status == .forbidden)
            #expect(try await visitor.post("/invite/abc", [("password", "x")], csrf: .some("forged")).status == .forbidden)
        }
    }
}

@Suite("Web: who sees what")
struct AccessTests {
    static let staffPages = ["/plans/%@", "/plans/%@/s/people", "/plans/%@/s/people/0", "/plans/%@/check", "/plans/%@/versions",
                             "/plans/%@/incidents", "/plans/%@/guides", "/plans/%@/family", "/plans/%@/diff?from=1"]

    @Test("Each role reads only the plans its role and assignments allow, by link or by guessing ids")
    func matrix() async throws {
        let h = try await Harness.make()
        // A second agency's child, assigned to nobody in the demo agency.
        var other = try Fixtures.plan("clean-eng")
        other.id = "plan-other-agency"
        other.child.id = "child-other"
        other.agency = Agency(id: "agency-other", name: "Another agency")
        try h.services.plans.importPlan(other, actor: .system)
        try await h.run { client in
            // Social worker: the demo children, not the other agency's; family and panel pages are not theirs.
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            for page in Self.staffPages {
                #expect(try await sw.get(String(format: page, "plan-eng-sam")).status == .ok, "\(page)")
                #expect(try await sw.get(String(format: page, "plan-other-agency")).status == .notFound, "\(page) of another agency")
                #expect(try await sw.get(String(format: page, "plan-does-not-exist")).status == .notFound)
            }
            #expect(try await sw.get("/family").status == .forbidden)
            #expect(try await sw.get("/panel").status == .forbidden)
            #expect(try await sw.get("/admin/audit").status == .forbidden)

            // Adopter: only their own child's family pages; no staff page, not even their own child's record.
            let adopter = Session(client)
            try await adopter.signIn(.adopter)
            #expect(try await adopter.get("/family").status == .ok)
            for page in Self.staffPages {
                for plan in ["plan-eng-sam", "plan-sco-lewis", "plan-other-agency"] {
                    #expect(try await adopter.get(String(format: page, plan)).status == .notFound, "adopter at \(page) of \(plan)")
                }
            }
            #expect(try await adopter.get("/panel/plans/plan-wls-mia").status == .notFound)
            #expect(try await adopter.get("/caseload").status == .forbidden)

            // Foster carer: their child (Lewis) only; never Sam's guide.
            let foster = Session(client)
            try await foster.signIn(.fosterCarer)
            let fosterNow = try await foster.get("/family")
            #expect(fosterNow.status == .ok)
            #expect(fosterNow.body.contains("Lewis"))
            #expect(!fosterNow.body.contains("Hilltop Example Primary"), "nothing of Sam's plan")
            #expect(!fosterNow.body.contains("Fictional"))
            #expect(try await foster.get("/plans/plan-eng-sam").status == .notFound)

            // Panel: only plans on an agenda whose window is open today.
            let panel = Session(client)
            try await panel.signIn(.panelMember)
            #expect(try await panel.get("/panel/plans/plan-wls-mia").status == .ok)
            #expect(try await panel.get("/panel/plans/plan-eng-sam").status == .notFound, "not on the agenda")
            #expect(try await panel.get("/plans/plan-wls-mia").status == .notFound, "the panel reads the pack, not the record")
            #expect(try await panel.post("/panel/plans/plan-wls-mia/outcome", [("outcome", "approve"), ("reasons", "x")]).status == .forbidden,
                    "panel members read; they do not decide")

            // Team manager and admin read; only the child's social worker changes the plan.
            for role in [UserRole.teamManager, .admin] {
                let s = Session(client)
                try await s.signIn(role)
                #expect(try await s.get("/plans/plan-eng-sam").status == .ok, "\(role)")
                #expect(try await s.get("/plans/plan-other-agency").status == .notFound, "\(role)")
                try await s.get("/plans/plan-eng-sam/s/people/0")
                let edit = try await s.post("/plans/plan-eng-sam/s/people/0", [("_revision", "1"), ("role", "birth_mother"), ("name.given", "Changed")])
                #expect(edit.status == .notFound, "\(role) cannot edit")
            }
        }
    }

    @Test("Every view of a child's record is audited, with who and why")
    func audited() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.teamManager)
            let before = try AuditLog.entries(h.services.database, entity: "plan", entityId: "plan-eng-sam").count
            try await s.get("/plans/plan-eng-sam")
            try await s.get("/plans/plan-eng-sam/s/orders")
            let entries = try AuditLog.entries(h.services.database, entity: "plan", entityId: "plan-eng-sam")
            #expect(entries.count == before + 2)
            #expect(entries.last?.actor == "u-tm")
            #expect(entries.last?.action == "read")
            #expect(entries.last?.purpose.contains("orders") == true)
        }
    }
}

@Suite("Web: the plan builder")
struct BuilderTests {
    @Test("Bad input comes back with an error summary linking to the field, what was typed kept, and nothing saved")
    func badInput() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            try await s.get("/plans/plan-eng-sam/s/orders/0")
            let before = try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test")
            let page = try await s.post("/plans/plan-eng-sam/s/orders/0", [
                ("_revision", "\(before.revision)"), ("type", "ACA02_PLACEMENT"), ("jurisdiction", "ENG"),
                ("court", "Typed court name"), ("madeOn.day", "31"), ("madeOn.month", "2"), ("madeOn.year", "2025"), ("inForce", "true"),
            ])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("class=\"error-summary\""))
            #expect(page.body.contains("href=\"#f-madeOn\""), "the summary links to the field (its day box)")
            #expect(page.body.contains("31 February 2025 does not exist: February has 28 days"))
            #expect(page.body.contains("value=\"Typed court name\""), "what the user typed is kept")
            #expect(page.body.contains("name=\"madeOn.day\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" value=\"31\""))
            let after = try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test")
            #expect(after.revision == before.revision)
            #expect(after.plan == before.plan)

            // A date in the future (P6) is bad input too.
            let future = try await s.post("/plans/plan-eng-sam/s/orders/0", [
                ("_revision", "\(before.revision)"), ("type", "ACA02_PLACEMENT"), ("jurisdiction", "ENG"),
                ("court", "Exampleford Family Court"), ("madeOn", "2030-01-01"),
            ])
            #expect(future.status == .unprocessableContent)
            #expect(try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").revision == before.revision)
        }
    }

    @Test("A stale edit shows the conflict, keeps what the user typed, and overwrites nothing")
    func staleEdit() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let form = try await s.get("/plans/plan-eng-sam/s/people/0")
            let revision = Session.hidden("_revision", in: form.body) ?? ""
            // Someone else saves first.
            try h.services.plans.update("plan-eng-sam", basedOn: Int(revision)!, actor: Actor(id: "u-other", role: "social_worker")) { plan in
                plan.people[0].termUsedByChild = "Mum Kelly"
            }
            let page = try await s.post("/plans/plan-eng-sam/s/people/0", [
                ("_revision", revision), ("role", "birth_mother"), ("name.given", "Kelly"), ("name.family", "Example"),
                ("termUsedByChild", "My typed words"),
            ])
            #expect(page.status == .conflict)
            #expect(page.body.contains("Someone else changed this plan"))
            #expect(page.body.contains("value=\"My typed words\""))
            let stored = try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").plan
            #expect(stored.people[0].termUsedByChild == "Mum Kelly", "the other person's save stands")
            // Saving again from the conflict page (which carries the new revision) keeps the user's version.
            let again = try await s.post("/plans/plan-eng-sam/s/people/0", [
                ("_revision", Session.hidden("_revision", in: page.body) ?? ""), ("role", "birth_mother"), ("name.given", "Kelly"),
                ("name.family", "Example"), ("termUsedByChild", "My typed words"),
            ])
            #expect(again.status == .seeOther)
            #expect(try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").plan.people[0].termUsedByChild == "My typed words")
        }
    }

    @Test("<script> and {{ in free text are shown as text on every page and in guides")
    func escaping() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let form = try await s.get("/plans/plan-eng-sam/s/people/0")
            let hostile = "<script>alert(1)</script> {{child.knownAs}}"
            let saved = try await s.post("/plans/plan-eng-sam/s/people/0", [
                ("_revision", Session.hidden("_revision", in: form.body) ?? ""), ("role", "birth_mother"), ("name.given", "Kelly"),
                ("name.family", "Example"), ("termUsedByChild", hostile),
            ])
            #expect(saved.status == .seeOther)
            for uri in ["/plans/plan-eng-sam/s/people", "/plans/plan-eng-sam/s/people/0", "/plans/plan-eng-sam/s/arrangements/0"] {
                let page = try await s.get(uri)
                #expect(!page.body.contains("<script>"), "\(uri)")
                #expect(page.body.contains("&lt;script&gt;") || uri.hasSuffix("arrangements/0"), "\(uri)")
            }
            let adopter = Session(client)
            try await adopter.signIn(.adopter)
            func familyPages() async throws -> Int {
                var shown = 0
                for uri in ["/family", "/family/next", "/family/contact", "/family/what-if", "/family/what-if/1"] {
                    let page = try await adopter.get(uri)
                    #expect(page.status == .ok, "\(uri)")
                    #expect(!page.body.contains("<script"), "\(uri)")
                    #expect(!page.body.contains("&lt;/script&gt; Sam"), "\(uri): a placeholder typed by a user is never expanded")
                    if page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; {{child.knownAs}}") { shown += 1 }
                }
                return shown
            }
            #expect(try await familyPages() == 0, "a draft edit does not reach the family until the plan is approved again")
            // Through panel: submitted, recommended, approved.
            let store = h.services.plans
            let draft = try store.load("plan-eng-sam", actor: .system, purpose: "test")
            try store.update("plan-eng-sam", basedOn: draft.revision, actor: .system) { $0.panelSubmission = PanelSubmission(submittedOn: Harness.today) }
            let current = try store.load("plan-eng-sam", actor: .system, purpose: "test")
            try store.freeze("plan-eng-sam", basedOn: current.revision, reason: .submitted, actor: .system)
            for kind in ["recommendation", "decision"] {
                try h.services.panel.record(planId: "plan-eng-sam", meetingId: nil, kind: kind, outcome: "approve", reasons: "Fine.", actions: [],
                                            by: .system, byName: "Test", store: store)
            }
            // The family's pages learn of a new approved version within a second (FamilyPlanCache).
            try await Task.sleep(for: .seconds(1.2))
            let shown = try await familyPages()
            #expect(shown > 0, "the family sees the words as typed, as text")
            let guide = try await s.post("/plans/plan-eng-sam/guides", [("audience", "adopter"), ("format", "html")])
            #expect(guide.status == .ok)
            #expect(!guide.body.contains("<script"))
            #expect(guide.body.contains("&lt;script&gt;"))
            #expect(guide.headers[.contentSecurityPolicy]?.contains("'sha256-") == true, "the guide's own style is allowed by hash")
        }
    }

    @Test("Fields at the top of the plan (life story, delegated decisions, the sibling decision) are edited without touching the rest")
    func topLevelFields() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let form = try await s.get("/plans/plan-sco-lewis/s/decisions")
            #expect(form.status == .ok)
            let before = try h.services.plans.load("plan-sco-lewis", actor: .system, purpose: "test")
            let saved = try await s.post("/plans/plan-sco-lewis/s/decisions/edit", [
                ("_revision", Session.hidden("_revision", in: form.body) ?? ""),
                ("lifeStory.bookGivenOn", "2026-11-01"), ("lifeStory.laterLifeLetterGivenOn", ""),
                ("delegatedAuthority", "online_gaming"), ("delegatedAuthority", "photos_online"),
                ("siblingContactDecision.decision", "Lewis and Kai keep in touch by video calls."),
                ("siblingContactDecision.recordedOn", "2026-10-01"), ("siblingContactDecision.recordedBy", "Priya Sample"),
            ])
            #expect(saved.status == .seeOther)
            let after = try h.services.plans.load("plan-sco-lewis", actor: .system, purpose: "test").plan
            #expect(after.lifeStory.bookGivenOn == CalendarDate(iso: "2026-11-01"))
            #expect(after.delegatedAuthority == [.onlineGaming, .photosOnline])
            #expect(after.siblingContactDecision?.decision == "Lewis and Kai keep in touch by video calls.")
            #expect(after.people == before.plan.people, "nothing outside the form changed")
            #expect(after.contingencies == before.plan.contingencies)
        }
    }

    @Test("A condition's protected details entered in the builder become tokens the release scan looks for")
    func conditionTokens() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let form = try await s.get("/plans/plan-eng-sam/s/orders/2")
            #expect(form.body.contains("name=\"conditions.0.protectedTokens\""))
            let count = Session.hidden("conditions.count", in: form.body) ?? "0"
            let plan = try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").plan
            let order = plan.orders[2]
            var fields: [(String, String)] = [("_revision", Session.hidden("_revision", in: form.body) ?? ""), ("type", order.type.rawValue),
                                              ("jurisdiction", order.jurisdiction.rawValue), ("court", order.court), ("madeOn", order.madeOn.iso),
                                              ("inForce", "true"), ("penalNotice", "true"), ("conditions.count", count)]
            if let e = order.expiresOn { fields.append(("expiresOn", e.iso)) }
            for p in order.namedPersons { fields.append(("namedPersons", p)) }
            fields.append(("provisions", order.provisions.joined(separator: "\n")))
            for (i, c) in order.conditions.enumerated() {
                fields += [("conditions.\(i).kind", c.kind.rawValue), ("conditions.\(i).text", c.text),
                           ("conditions.\(i).protectedTokens", c.protectedTokens.joined(separator: "\n"))]
            }
            let n = order.conditions.count
            fields += [("conditions.\(n).kind", "non_disclosure"), ("conditions.\(n).text", "Nothing that names Sam's street."),
                       ("conditions.\(n).protectedTokens", "Sample Close\nSample Close Exampleford")]
            let saved = try await s.post("/plans/plan-eng-sam/s/orders/2", fields)
            #expect(saved.status == .seeOther)
            let after = try h.services.plans.load("plan-eng-sam", actor: .system, purpose: "test").plan
            #expect(after.orders[2].conditions.count == n + 1)
            #expect(after.orders[2].conditions.prefix(n).elementsEqual(order.conditions), "the existing conditions are kept as they were")
            #expect(ProtectedTokens.of(after).contains { $0.value == "Sample Close" }, "the scan now looks for it")
        }
    }

    @Test("A social worker starts a plan from the template and it lands on their caseload")
    func newPlan() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            try await s.get("/children/new")
            let missing = try await s.post("/children/new", [("pseudonym", "Child T1")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("href=\"#f-knownAs\""))
            #expect(missing.body.contains("value=\"Child T1\""))
            let created = try await s.post("/children/new", [
                ("pseudonym", "Child T1"), ("knownAs", "Robin"), ("given", "Robin"), ("family", "Testcase"), ("dateOfBirth.day", "4"), ("dateOfBirth.month", "5"), ("dateOfBirth.year", "2017"),
                ("jurisdiction", "ENG"), ("legalStatus", "placed_for_adoption"), ("placementKind", "fostering_for_adoption"), ("dayOne.day", "1"), ("dayOne.month", "10"), ("dayOne.year", "2026"),
            ])
            #expect(created.status == .seeOther)
            let location = created.headers[.location] ?? ""
            #expect(location.hasSuffix("/start/home"), "then the steps of starting a plan")
            let planID = String(location.dropFirst("/plans/".count).prefix { $0 != "/" })
            let record = try await s.get("/plans/\(planID)")
            #expect(record.status == .ok)
            #expect(record.body.contains("Robin's plan"))
            let plan = try h.services.plans.load(planID, actor: .system, purpose: "test").plan
            #expect(plan.contingencies.map(\.scenario) == Scenario.core, "a card for each core scenario")
            #expect(plan.stages.contains { $0.status == .current }, "the current stage is planned")
            #expect(!plan.reviews.isEmpty)
            #expect(try await s.get("/caseload").body.contains("Child T1"))
        }
    }
}

@Suite("Web: invitations, panel and family")
struct JourneyTests {
    @Test("An invitation link works once, signs the family member in, and then is gone")
    func invitation() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            try await sw.get("/plans/plan-eng-sam/family")
            let page = try await sw.post("/plans/plan-eng-sam/family", [("name", "Jordan Fictional"), ("email", "jordan@example.invalid"), ("role", "adopter")])
            #expect(page.status == .ok)
            guard let r = page.body.range(of: #"/invite/[A-Za-z0-9_-]{43}"#, options: .regularExpression) else {
                Issue.record("no invitation link on the page")
                return
            }
            let link = String(page.body[r])
            let family = Session(client)
            #expect(try await family.get(link).status == .ok)
            let short = try await family.post(link, [("password", "short"), ("confirm", "short")])
            #expect(short.status == .unprocessableContent)
            let done = try await family.post(link, [("password", "three random words"), ("confirm", "three random words")])
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/family")
            #expect(try await family.get("/family").status == .ok)
            #expect(try await Session(client).get(link).status == .gone, "the link works once")
        }
    }

    @Test("The panel returns a plan with actions, the social worker sees them, and a decision is recorded with who, when and why")
    func panel() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let chair = Session(client)
            try await chair.signIn(.panelChair)
            let agenda = try await chair.get("/panel")
            #expect(agenda.body.contains("Child W1"))
            let pack = try await chair.get("/panel/plans/plan-wls-mia")
            #expect(pack.status == .ok)
            #expect(pack.body.contains("The panel&#39;s recommendation"))
            let empty = try await chair.post("/panel/plans/plan-wls-mia/outcome", [("outcome", "return"), ("reasons", "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("href=\"#reasons\""))
            #expect(try h.services.panel.outcomes(planId: "plan-wls-mia").isEmpty)
            let returned = try await chair.post("/panel/plans/plan-wls-mia/outcome", [
                ("outcome", "return"), ("reasons", "The panel needs Mia's sibling position made clear."),
                ("actions", "Record the decision on sibling contact\nUpdate the risk assessment"),
            ])
            #expect(returned.status == .seeOther)
            let plan = try h.services.plans.load("plan-wls-mia", actor: .system, purpose: "test").plan
            #expect(plan.status == .draft)
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let record = try await sw.get("/plans/plan-wls-mia")
            #expect(record.body.contains("Actions from the panel"))
            #expect(record.body.contains("Record the decision on sibling contact"))
            let outcome = try #require(try h.services.panel.outcomes(planId: "plan-wls-mia").first)
            #expect(outcome.byUser == "u-chair")
            #expect(outcome.reasons.contains("sibling position"))
            #expect(!outcome.at.isEmpty)
        }
    }

    @Test("Panel access ends when the meeting's access window closes")
    func panelWindow() async throws {
        let h = try await Harness.make()
        let meeting = try #require(try h.services.panel.openMeetings(agencyId: Demo.agencyID, on: Harness.today).first)
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.panelMember)
            #expect(try await s.get("/panel/plans/plan-wls-mia").status == .ok)
        }
        // The same meeting, seen from the day after its window.
        var config = h.services.config
        config.asOf = CalendarDate(iso: meeting.accessUntil)!.adding(days: 1)
        config.inMemory = true
        let later = try await LifeStoryWeb.makeServices(config)
        #expect(try later.panel.plansOpenToPanel(agencyId: Demo.agencyID, on: config.asOf!)["plan-wls-mia"] == nil)
        #expect(try h.services.panel.plansOpenToPanel(agencyId: Demo.agencyID, on: config.asOf!)["plan-wls-mia"] == nil)
    }

    @Test("A foster carer's pages never name the adopters; the journal reaches the social worker")
    func family() async throws {
        let h = try await Harness.make()
        let lewis = try h.services.plans.load("plan-sco-lewis", actor: .system, purpose: "test").plan
        let tokens = ProtectedTokens.forFosterCarer(lewis).map(\.value).filter { $0.count > 3 }
        #expect(!tokens.isEmpty)
        try await h.run { client in
            let foster = Session(client)
            try await foster.signIn(.fosterCarer)
            for uri in ["/family", "/family/next", "/family/contact", "/family/what-if", "/family/what-if/1", "/family/downloads", "/family/journal"] {
                let page = try await foster.get(uri)
                #expect(page.status == .ok, "\(uri)")
                for token in tokens { #expect(!page.body.contains(token), "\(uri) must not show a protected detail") }
            }
            try await foster.get("/family/journal")
            let saved = try await foster.post("/family/journal", [("kind", "question"), ("happenedOn", "2026-11-20"), ("text", "Lewis asked why he has two mums.")])
            #expect(saved.status == .seeOther)
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            #expect(try await sw.get("/plans/plan-sco-lewis").body.contains("Lewis asked why he has two mums."))
            #expect(try await sw.get("/caseload").body.contains("1 new journal"))
            let ics = try await foster.get("/family/calendar.ics")
            #expect(ics.status == .ok)
            #expect(ics.body.hasPrefix("BEGIN:VCALENDAR"))
        }
    }
}
