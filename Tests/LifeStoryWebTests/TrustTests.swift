import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import NIOCore
import Testing

/// What a family reads passes one release path; sign-in holds under a burst; every security event is recorded.
@Suite("Web: privacy on every family page")
struct FamilyPrivacyTests {
    /// Jo, the foster carer who looked after Sam before the adopters: a foster carer of the same child.
    static func addSamsFosterCarer(_ h: Harness) async throws {
        try h.services.users.create(UserRecord(id: "u-jo", agencyId: Demo.agencyID, teamId: nil, email: "jo@demo.lifestory.invalid",
                                               displayName: "Jo Placeholder", role: .fosterCarer, createdAt: h.services.plans.timestamp()))
        try h.services.users.setPasswordHash(userId: "u-jo", hash: try await h.services.hashPassword(Harness.password))
        try h.services.users.assign(userId: "u-jo", childId: "child-sam", relationship: "foster_carer")
    }

    static func signIn(_ s: Session, _ email: String) async throws {
        try await s.get("/login")
        let page = try await s.post("/login", [("email", email), ("password", Harness.password)])
        #expect(page.status == .seeOther, "\(email) signs in")
    }

    static let familyPages = ["/family", "/family/next", "/family/contact", "/family/what-if", "/family/what-if/1", "/family/downloads",
                              "/family/journal", "/family/calendar.ics"]

    @Test("A foster carer reads only foster carers' and social workers' journal entries, authors by role, never the adopters' words")
    func journalForFosterCarers() async throws {
        let h = try await Harness.make()
        try await Self.addSamsFosterCarer(h)
        try await h.run { client in
            let adopter = Session(client)
            try await adopter.signIn(.adopter)
            try await adopter.get("/family/journal")
            let entry = "Sam asked about the day he came to live here"
            #expect(try await adopter.post("/family/journal", [("kind", "question"), ("happenedOn", "2026-11-19"), ("text", entry)]).status == .seeOther)
            let jo = Session(client)
            try await Self.signIn(jo, "jo@demo.lifestory.invalid")
            try await jo.get("/family/journal")
            #expect(try await jo.post("/family/journal", [("kind", "note"), ("happenedOn", "2026-11-20"), ("text", "Sam's goodbye visit went well")]).status == .seeOther)
            let page = try await jo.get("/family/journal")
            #expect(page.status == .ok)
            #expect(!page.body.contains(entry), "the adopters' entry is not the foster carer's to read")
            #expect(page.body.contains("goodbye visit went well"))
            #expect(page.body.contains("by You"))
            let adopters = try await adopter.get("/family/journal")
            #expect(adopters.body.contains("goodbye visit went well"), "adopters read the foster carer's entries")
            #expect(adopters.body.contains("Foster carer"), "authors are shown by role")
            #expect(!adopters.body.contains("Jo Placeholder"), "never by name")
        }
    }

    @Test("Family pages read only the released version: a new name in an unapproved draft never reaches the foster carer")
    func draftsNeverReachFamilies() async throws {
        let h = try await Harness.make()
        let stored = try h.services.plans.load("plan-sco-lewis", actor: .system, purpose: "test")
        try h.services.plans.update("plan-sco-lewis", basedOn: stored.revision, actor: .system, purpose: "test") { plan in
            plan.child.currentName = PersonName(given: "Robin", family: "Newname")
            plan.child.knownAs = "Robin"
        }
        try await h.run { client in
            let foster = Session(client)
            try await foster.signIn(.fosterCarer)
            for uri in Self.familyPages {
                let page = try await foster.get(uri)
                #expect(page.status == .ok, "\(uri): \(page.status.code)")
                #expect(!page.body.contains("Robin") && !page.body.contains("Newname"), "\(uri) shows a name from the draft")
                #expect(!page.body.contains("held back"), "\(uri) was clean, so it is not held back")
            }
        }
    }

    @Test("A foster carer's pages work when the child is known at home by another name, and use the name the carer knows")
    func knownAsDiffers() async throws {
        let h = try await Harness.make()
        var plan = try h.services.plans.load("plan-sco-lewis", actor: .system, purpose: "test").plan
        plan.id = "plan-sco-bear"
        plan.child.id = "child-bear"
        plan.child.pseudonym = "Child S2"
        plan.child.knownAs = "Bear"
        try h.services.plans.importPlan(plan, actor: .system, purpose: "test")
        try h.services.users.create(UserRecord(id: "u-fc2", agencyId: Demo.agencyID, teamId: nil, email: "fc2@demo.lifestory.invalid",
                                               displayName: "Second Carer", role: .fosterCarer, createdAt: h.services.plans.timestamp()))
        try h.services.users.setPasswordHash(userId: "u-fc2", hash: try await h.services.hashPassword(Harness.password))
        try h.services.users.assign(userId: "u-fc2", childId: "child-bear", relationship: "foster_carer")
        try await h.run { client in
            let s = Session(client)
            try await Self.signIn(s, "fc2@demo.lifestory.invalid")
            for uri in ["/family", "/family/contact", "/family/next", "/family/downloads", "/family/journal"] {
                let page = try await s.get(uri)
                #expect(page.status == .ok, "\(uri): \(page.status.code)")
                #expect(page.body.contains("Lewis"), "\(uri) names the child as the foster carer knows him")
                #expect(!page.body.contains("held back"), "\(uri)")
            }
        }
    }

    @Test("A page that would show a protected detail is held back on its way out, recorded, and shown to the social worker")
    func plantedLeakIsHeldBack() async throws {
        let h = try await Harness.make()
        try await Self.addSamsFosterCarer(h)
        // A social worker's entry, which foster carers may read, naming the adopters' street in the way people write it.
        try h.services.journal.add(planID: "plan-eng-sam", author: Actor(id: "u-sw", role: "social_worker"), kind: "note",
                                   happenedOn: CalendarDate(iso: "2026-11-18")!, text: "Jo: the move to the FICTIONALS' house on Sample Rd went well.",
                                   at: h.services.plans.timestamp())
        try await h.run { client in
            let jo = Session(client)
            try await Self.signIn(jo, "jo@demo.lifestory.invalid")
            let page = try await jo.get("/family/journal")
            #expect(page.status == .ok)
            #expect(page.body.contains("held back"))
            #expect(!page.body.contains("FICTIONAL") && !page.body.contains("Sample Rd"))
            // Other pages are still there.
            #expect(try await jo.get("/family").body.contains("Now"))
            let withheld = try AuditLog.entries(h.services.database, entity: "plan", entityId: "plan-eng-sam").filter { $0.action == "withheld" }
            #expect(withheld.count == 1)
            #expect(withheld.first?.actor == "u-jo")
            #expect(withheld.first?.detail.contains("currentName.family") == true, "\(withheld.map(\.detail))")
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let record = try await sw.get("/plans/plan-eng-sam")
            #expect(record.body.contains("A family page was held back"))
            #expect(record.body.contains("for the foster carer"))
        }
    }

    @Test("Download names: a safe slug for staff, nothing identifying in a family's")
    func downloadNames() async throws {
        #expect(DownloadName.slug("Child \"E1\"; filename*=evil") == "child-e1-filename-evil")
        #expect(DownloadName.slug("Zoë / ../ \u{0}") == "zoe")
        let disposition = Download.disposition("child-e1-adopter-r3.pdf")
        #expect(disposition == "attachment; filename=\"child-e1-adopter-r3.pdf\"; filename*=UTF-8''child-e1-adopter-r3.pdf")
        #expect(!Download.disposition("a\"b\r\nc.pdf").contains("\""  + "b"))
        var plan = try Fixtures.plan("clean-eng")
        plan.child.pseudonym = "Sam \"Fictional\"; filename*=UTF-8''x"
        #expect(DownloadName.base(plan: plan, audience: "adopter", revision: 2) == "sam-fictional-filename-utf-8-x-adopter-r2")
        #expect(DownloadName.base(plan: plan, audience: "foster-carer", revision: 2) == "life-story-guide-foster-carer-r2")
        #expect(!DownloadName.base(plan: plan, audience: "birth-relative-p-kelly", revision: 2).contains("kelly"))
        let h = try await Harness.make()
        try await h.run { client in
            let foster = Session(client)
            try await foster.signIn(.fosterCarer)
            let ics = try await foster.get("/family/calendar.ics")
            #expect(ics.headers[.contentDisposition]?.contains("life-story-plan.ics") == true)
            #expect(ics.headers[.contentDisposition]?.contains("lewis") == false)
        }
    }
}

@Suite("Web: sign-in under pressure, and security events")
struct SignInTests {
    @Test("25 simultaneous attempts at one account: at most 5 get a password check, and the right password after them waits")
    func burst() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let sessions = (0..<25).map { _ in Session(client) }
            for s in sessions { try await s.get("/login") }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for s in sessions.dropLast() {
                    group.addTask { try await s.post("/login", [("email", Harness.emails[.admin]!), ("password", "wrong password here")]).status }
                }
                var out: [HTTPResponse.Status] = []
                for try await status in group { out.append(status) }
                return out
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= 5, "\(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 19)
            let right = try await sessions.last!.post("/login", [("email", Harness.emails[.admin]!), ("password", Harness.password)])
            #expect(right.status == .tooManyRequests, "the right password after a burst still waits")
            #expect(try h.services.throttle.count("account:" + Harness.emails[.admin]!, now: h.services.now()) <= 5)
        }
    }

    @Test("Lockouts back off, and always end: after the window with no attempts, the account is open again")
    func backOff() throws {
        let db = try AppDatabase.inMemory()
        let throttle = LoginThrottle(db)
        let keys = LoginThrottle.keys(account: "a@x.invalid", address: "192.0.2.1")
        let t0 = 1_000_000.0
        for i in 0..<5 { #expect(try throttle.reserve(keys, now: t0 + Double(i)) != .wait(0)) }
        guard case .wait(let first) = try throttle.reserve(keys, now: t0 + 5) else { Issue.record("the sixth attempt waits"); return }
        #expect(first > 50 && first <= 60)
        // After the wait, one more attempt; the next wait is longer.
        guard case .allowed = try throttle.reserve(keys, now: t0 + 70) else { Issue.record("allowed after the wait"); return }
        guard case .wait(let second) = try throttle.reserve(keys, now: t0 + 71) else { Issue.record("waits again"); return }
        #expect(second > first)
        // Never more than 15 minutes after the last attempt, and nothing is held past the window.
        guard case .allowed = try throttle.reserve(keys, now: t0 + 70 + 15 * 60 + 1) else { Issue.record("open again after the window"); return }
        // Another address is not held by this one's failures.
        let elsewhere = LoginThrottle.keys(account: "a@x.invalid", address: "198.51.100.7")
        guard case .allowed = try throttle.reserve(elsewhere, now: t0 + 6) else { Issue.record("another address gets in"); return }
    }

    @Test("An unknown account costs a real hash at the configured cost; a password over 72 bytes never signs in")
    func unknownAccounts() async throws {
        let h = try await Harness.make()
        #expect(h.services.dummyHash.hasPrefix("$2b$04$") || h.services.dummyHash.hasPrefix("$2a$04$") || h.services.dummyHash.hasPrefix("$2y$04$"),
                "the dummy hash has the same cost as real ones (4 in tests, 12 in production)")
        let long = String(repeating: "x", count: 80)
        let hash = try await h.services.hashPassword(long)
        try h.services.users.setPasswordHash(userId: "u-admin", hash: hash)
        try await h.run { client in
            // bcrypt would read only the first 72 bytes: the 80-byte password and a different one sharing them must not sign in.
            let s = Session(client)
            let page = try await s.signIn(.admin, password: String(repeating: "x", count: 72) + "different")
            #expect(page.status == .unauthorized)
        }
    }

    @Test("New passwords: long enough, not only spaces, not common, within bcrypt's 72 bytes, not the email or name")
    func passwordPolicy() {
        let email = "alex@example.invalid", name = "Alex Fictional"
        #expect(PasswordPolicy.problem("short", email: email, name: name) != nil)
        #expect(PasswordPolicy.problem(String(repeating: " ", count: 20), email: email, name: name)?.contains("not only spaces") == true)
        #expect(PasswordPolicy.problem("password1234", email: email, name: name)?.contains("common") == true)
        #expect(PasswordPolicy.problem("Iloveyou2026!!", email: email, name: name)?.contains("common") == true)
        #expect(PasswordPolicy.problem("qwertyuiop123", email: email, name: name)?.contains("common") == true)
        #expect(PasswordPolicy.problem(String(repeating: "é", count: 40), email: email, name: name)?.contains("72 bytes") == true)
        #expect(PasswordPolicy.problem("aaaaaaaaaaaaaa", email: email, name: name) != nil)
        #expect(PasswordPolicy.problem("alexfictional", email: email, name: name) != nil)
        #expect(PasswordPolicy.problem("kettle orchard lantern", email: email, name: name) == nil)
        #expect(PasswordPolicy.common.count > 15_000)
    }

    @Test("Behind HTTPS: HSTS on every response, __Host- cookies; invitation links from the public address, never the Host header")
    func behindHTTPS() async throws {
        var config = WebConfiguration(contentRoot: Fixtures.content,
                                      asOf: Harness.today, bcryptCost: 4, secureCookies: true, demoPassword: Harness.password, inMemory: true)
        config.publicURL = "https://lifestory.example.gov.uk/"
        config.staffTwoFactor = false
        let services = try await LifeStoryWeb.makeServices(config)
        _ = try await DemoSetup.prepare(services)
        let app = LifeStoryWeb.buildApplication(services: services)
        try await app.test(.router) { client in
            let s = Session(client)
            let login = try await s.get("/login")
            #expect(login.headers[HTTPField.Name("Strict-Transport-Security")!]?.hasPrefix("max-age=") == true)
            let signedIn = try await s.signIn(.socialWorker)
            let cookies = signedIn.headers[values: .setCookie]
            #expect(cookies.contains { $0.hasPrefix("__Host-lifestory_session=") && $0.contains("Secure") && $0.contains("Path=/") })
            #expect(!cookies.contains { $0.hasPrefix("lifestory_session=") })
            try await s.get("/plans/plan-eng-sam/family")
            var headers = HTTPFields()
            headers[.cookie] = s.cookieHeader
            headers[.contentType] = "application/x-www-form-urlencoded"
            let body = Session.encode([("name", "Jordan Fictional"), ("email", "jordan@example.invalid"), ("role", "adopter"), ("_csrf", s.csrf)])
            let response = try await client.execute(uri: "/plans/plan-eng-sam/family", method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
            let page = String(buffer: response.body)
            #expect(page.contains("https://lifestory.example.gov.uk/invite/"), "the link is built from LIFESTORY_PUBLIC_URL")
            #expect(!page.contains("evil.example"))
        }
    }

    @Test("The client address comes from X-Forwarded-For only through a trusted proxy")
    func trustedProxies() {
        #expect(ClientAddress.of(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"], trusted: []) == "203.0.113.9")
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"], trusted: ["10.0.0.2"]) == "198.51.100.1")
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.1, 10.0.0.3"], trusted: ["10.0.0.2", "10.0.0.3"]) == "198.51.100.1")
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["<script>"], trusted: ["10.0.0.2"]) == "10.0.0.2")
        #expect(ClientAddress.of(peer: nil, forwardedFor: ["198.51.100.1"], trusted: ["10.0.0.2"]) == nil)
    }

    @Test("Every security event goes into the audit log with the account and address, never a password")
    func securityEvents() async throws {
        let h = try await Harness.make(idleTimeout: 2)
        try await h.run { client in
            let s = Session(client)
            #expect(try await s.signIn(.socialWorker, password: "a wrong password 123").status == .unauthorized)
            #expect(try await s.signIn(.socialWorker).status == .seeOther)
            #expect(try await s.get("/admin/users").status == .forbidden)
            #expect(try await s.get("/plans/plan-does-not-exist").status == .notFound)
            #expect(try await s.post("/plans/plan-eng-sam/incidents", [("text", "x")], csrf: .some("forged")).status == .forbidden)
            try await s.get("/caseload")
            #expect(try await s.post("/logout", []).status == .seeOther)
            for _ in 0..<6 { try await Session(client).signIn(.teamManager, password: "not the password at all") }
            // An invitation used.
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            try await sw.get("/plans/plan-eng-sam/family")
            let invite = try await sw.post("/plans/plan-eng-sam/family", [("name", "Jordan Fictional"), ("email", "jordan@example.invalid"), ("role", "adopter")])
            let link = invite.body.range(of: #"/invite/[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(invite.body[$0]) }
            #expect(link != nil)
            let family = Session(client)
            if let link {
                try await family.get(link)
                #expect(try await family.post(link, [("password", "kettle orchard lantern"), ("confirm", "kettle orchard lantern")]).status == .seeOther)
            }
            // A session that times out.
            try await Task.sleep(for: .seconds(3))
            #expect(try await sw.get("/caseload").status == .seeOther)
            let events = try AuditLog.entries(h.services.database, entity: "security")
            let actions = Set(events.map(\.action))
            for action in ["sign-in-failed", "signed-in", "refused", "not-found", "form-refused", "signed-out", "sign-in-throttled",
                           "invitation-used", "session-expired"] {
                #expect(actions.contains(action), "\(action) is recorded")
            }
            #expect(events.first { $0.action == "signed-in" }?.actor == "u-sw")
            #expect(events.allSatisfy { $0.detail.contains("from ") || $0.action == "session-expired" })
            let all = try AuditLog.entries(h.services.database)
            for secret in [Harness.password, "a wrong password 123", "not the password at all", "kettle orchard lantern"] {
                #expect(!all.contains { $0.detail.contains(secret) || $0.purpose.contains(secret) }, "a password in the audit log")
            }
            #expect(try AuditLog.verify(h.services.database).firstBroken == nil)
        }
    }
}
