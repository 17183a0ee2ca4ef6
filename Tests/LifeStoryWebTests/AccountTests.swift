import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import Testing

/// Accounts as an agency runs them: the admin adds, changes, disables, resets and re-invites; staff sign in with a
/// code from an authenticator app; a team manager allocates children. Each change is audited with who made it.
@Suite("Web: accounts, two-factor sign-in and allocation")
struct AccountTests {
    /// The code an authenticator app shows for the user's secret, `ahead` steps from now.
    static func code(_ services: WebServices, email: String, ahead: Int64 = 0) throws -> String {
        let user = try #require(try services.users.user(email: email))
        let secret = try #require(user.totpSecret)
        let step = TwoFactor.step(at: Date().timeIntervalSince1970) + ahead
        return String(format: "%06d", TOTP(secret: secret).compute(date: Date(timeIntervalSince1970: Double(step) * 30)))
    }

    static func link(in body: String) -> String? {
        guard let r = body.range(of: #"/invite/[A-Za-z0-9_-]{43}"#, options: .regularExpression) else { return nil }
        return String(body[r])
    }

    static func audit(_ services: WebServices, action: String) throws -> [AuditEntry] {
        try AuditLog.entries(services.database).filter { $0.action == action }
    }

    @Test("The admin adds a social worker, who sets a password, sets up the app, keeps ten recovery codes and signs in with a code; a code works once")
    func newStaffJourney() async throws {
        let h = try await Harness.make(twoFactor: true)
        try await h.run { client in
            let admin = Session(client)
            try await admin.signIn(.admin)
            #expect(try await admin.post("/login/code", [("code", Self.code(h.services, email: Harness.emails[.admin]!))]).status == .seeOther)
            #expect(try await admin.get("/admin/users/new").status == .ok)
            // Bad input first: each problem names its field, and nothing is added.
            let before = try h.services.accounts.userCount()
            let bad = try await admin.post("/admin/users/new", [("name", ""), ("email", "not an address"), ("role", "adopter"), ("team", "team-nope")])
            #expect(bad.status == .unprocessableContent)
            for message in ["Enter their full name", "Enter an email address in the correct format", "Choose their role", "Choose one of the agency&#39;s teams"] {
                #expect(bad.body.contains(message), "\(message)")
            }
            #expect(try h.services.accounts.userCount() == before)
            let added = try await admin.post("/admin/users/new", [("name", "Jo Newstarter (test)"), ("email", "jo.newstarter@demo.lifestory.invalid"),
                                                                   ("role", "social_worker"), ("team", "team-demo")])
            #expect(added.status == .ok)
            let link = try #require(Self.link(in: added.body))
            let jo = try #require(try h.services.users.user(email: "jo.newstarter@demo.lifestory.invalid"))
            #expect(try Self.audit(h.services, action: "create-user").contains { $0.entityId == jo.id && $0.actor == "u-admin" })

            let newcomer = Session(client)
            #expect(try await newcomer.get(link).status == .ok)
            let set = try await newcomer.post(link, [("password", "kettle orchard lantern"), ("confirm", "kettle orchard lantern")])
            #expect(set.status == .seeOther && set.headers[.location] == "/login/enrol", "staff set up a second factor before any page")
            #expect(try await newcomer.get("/caseload").status == .seeOther, "no session until the factor is set up")
            let enrol = try await newcomer.get("/login/enrol")
            #expect(enrol.body.contains("<svg") && enrol.body.contains("QR code"))
            #expect(try await newcomer.post("/login/enrol", [("code", "000000")]).status == .unprocessableContent)
            let done = try await newcomer.post("/login/enrol", [("code", Self.code(h.services, email: jo.email))])
            #expect(done.status == .ok)
            let codes = done.body.matches(of: /<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/).map { String($0.1) }
            #expect(codes.count == 10)
            #expect(try await newcomer.get("/caseload").status == .ok)
            // Stored hashed: no recovery code appears in the database.
            let stored = try await h.services.database.writer.read { db in try String.fetchAll(db, sql: "SELECT codeHash FROM recoveryCode WHERE userId = ?", arguments: [jo.id]) }
            #expect(stored.count == 10 && !stored.contains(where: { codes.contains($0) }))

            // Next time: password, then a code. The code just used is refused; a wrong one is refused.
            let again = Session(client)
            _ = try await again.get("/login")
            let signIn = try await again.post("/login", [("email", jo.email), ("password", "kettle orchard lantern")])
            #expect(signIn.headers[.location] == "/login/code")
            #expect(try await again.post("/login/code", [("code", "123456")]).status == .unauthorized)
            #expect(try await again.post("/login/code", [("code", Self.code(h.services, email: jo.email))]).status == .unauthorized, "a code works once")
            #expect(try await again.post("/login/code", [("code", Self.code(h.services, email: jo.email, ahead: 1))]).status == .seeOther)
            #expect(try await again.get("/caseload").status == .ok)
            // A recovery code works once.
            for expected in [HTTPResponse.Status.seeOther, .unauthorized] {
                let other = Session(client)
                _ = try await other.get("/login")
                _ = try await other.post("/login", [("email", jo.email), ("password", "kettle orchard lantern")])
                #expect(try await other.post("/login/code", [("code", codes[0].uppercased())]).status == expected)
            }
        }
    }

    @Test("Wrong codes are throttled like passwords: the sixth in a row from one address waits")
    func codesThrottled() async throws {
        let h = try await Harness.make(twoFactor: true)
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(Int(try await s.post("/login/code", [("code", "999999")]).status.code)) }
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 } && statuses.last == 429, "\(statuses)")
            let right = try await s.post("/login/code", [("code", Self.code(h.services, email: Harness.emails[.socialWorker]!, ahead: 1))])
            #expect(right.status == .tooManyRequests, "even the right code waits once throttled")
        }
    }

    @Test("Disabling ends every open session at once; the account cannot sign in; enabling lets it back")
    func disableEndsSessions() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            #expect(try await sw.get("/caseload").status == .ok)
            let admin = Session(client)
            try await admin.signIn(.admin)
            _ = try await admin.get("/admin/users/u-sw")
            #expect(try await admin.post("/admin/users/u-sw/disable", []).status == .ok)
            let after = try await sw.get("/caseload")
            #expect(after.status == .seeOther && after.headers[.location] == "/login", "the open session ended at once")
            let retry = Session(client)
            #expect(try await retry.signIn(.socialWorker).status == .forbidden)
            #expect(try Self.audit(h.services, action: "disable-user").contains { $0.entityId == "u-sw" && $0.actor == "u-admin" })
            #expect(try await admin.post("/admin/users/u-sw/enable", []).status == .ok)
            #expect(try await Session(client).signIn(.socialWorker).status == .seeOther)
        }
    }

    @Test("The agency's last active admin cannot be disabled or lose the role")
    func lastAdmin() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let admin = Session(client)
            try await admin.signIn(.admin)
            _ = try await admin.get("/admin/users/u-admin")
            let refused = try await admin.post("/admin/users/u-admin/disable", [])
            #expect(refused.status == .unprocessableContent && refused.body.contains("only active admin"))
            let demoted = try await admin.post("/admin/users/u-admin", [("name", "Ada Admin (demo)"), ("email", Harness.emails[.admin]!), ("role", "social_worker"), ("team", "team-demo")])
            #expect(demoted.status == .unprocessableContent)
            let me = try #require(try h.services.users.user(id: "u-admin"))
            #expect(me.isActive && me.role == "admin")
        }
    }

    @Test("Saving an account's form unchanged changes nothing and writes nothing to the audit log")
    func unchangedSave() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let admin = Session(client)
            try await admin.signIn(.admin)
            for id in ["u-sw", "u-tm", "u-lead", "u-adopter"] {
                let page = try await admin.get("/admin/users/\(id)")
                let before = try #require(try h.services.users.user(id: id))
                let auditBefore = try AuditLog.entries(h.services.database).count
                let role = page.body.firstMatch(of: /<option value="([a-z_]+)" selected>/).map { String($0.1) } ?? before.role
                var fields = [("name", before.displayName), ("email", before.email), ("role", role)]
                if let team = before.teamId { fields.append(("team", team)) } else { fields.append(("team", "")) }
                #expect(try await admin.post("/admin/users/\(id)", fields).status == .ok)
                #expect(try h.services.users.user(id: id) == before, "\(id)")
                #expect(try AuditLog.entries(h.services.database).filter { $0.action == "edit-user" }.count == 0)
                #expect(try AuditLog.entries(h.services.database).count - auditBefore <= 2, "only reads and the page itself")
            }
        }
    }

    @Test("Reset clears the password and the second factor and ends sessions; the new link works once, the old one never")
    func reset() async throws {
        let h = try await Harness.make(twoFactor: true)
        try await h.run { client in
            let admin = Session(client)
            try await admin.signIn(.admin)
            _ = try await admin.post("/login/code", [("code", Self.code(h.services, email: Harness.emails[.admin]!))])
            _ = try await admin.get("/admin/users")
            let lead = Session(client)
            try await lead.signIn(.practiceLead)
            _ = try await lead.post("/login/code", [("code", Self.code(h.services, email: Harness.emails[.practiceLead]!))])
            #expect(try await lead.get("/content").status == .ok)
            _ = try await admin.get("/admin/users/u-lead")
            let first = try #require(Self.link(in: try await admin.post("/admin/users/u-lead/reset", []).body))
            let second = try #require(Self.link(in: try await admin.post("/admin/users/u-lead/reset", []).body))
            #expect(try await lead.get("/content").status == .seeOther, "the session ended")
            let user = try #require(try h.services.users.user(id: "u-lead"))
            #expect(user.passwordHash == nil && user.totpSecret == nil && !user.hasTwoFactor)
            #expect(try h.services.accounts.recoveryCodesLeft(userId: "u-lead") == 0)
            #expect(try await Session(client).get(first).status == .gone, "an older link stops working")
            let fresh = Session(client)
            _ = try await fresh.get(second)
            #expect(try await fresh.post(second, [("password", "walnut harbour violin"), ("confirm", "walnut harbour violin")]).headers[.location] == "/login/enrol")
            #expect(try await Session(client).get(second).status == .gone, "a link works once")
            #expect(try Self.audit(h.services, action: "reset-user").filter { $0.entityId == "u-lead" }.count == 2)
        }
    }

    @Test("A family member whose link expired is sent a new one by the admin; the social worker's link for them still works the same way")
    func reinviteFamily() async throws {
        let h = try await Harness.make()
        let now = Date().timeIntervalSince1970
        // A carer invited eight days ago: the link has expired.
        var carer = UserRecord(id: "u-newcarer", agencyId: Demo.agencyID, email: "new.carer@demo.lifestory.invalid", displayName: "Nia Carer (demo)",
                               role: .fosterCarer, createdAt: PlanStore.iso(now))
        carer.teamId = nil
        let old = try h.services.accounts.add(carer, by: Actor(id: "u-sw", role: "social_worker"), now: now - 8 * 24 * 3600, childId: "child-sam")
        try await h.run { client in
            #expect(try await Session(client).get("/invite/\(old)").status == .gone)
            let admin = Session(client)
            try await admin.signIn(.admin)
            let list = try await admin.get("/admin/users")
            #expect(list.body.contains("Invited (link expired)"))
            let page = try await admin.get("/admin/users/u-newcarer")
            #expect(page.body.contains("Make a new one-time link"))
            let link = try #require(Self.link(in: try await admin.post("/admin/users/u-newcarer/reinvite", []).body))
            let carerSession = Session(client)
            _ = try await carerSession.get(link)
            let set = try await carerSession.post(link, [("password", "pebble lighthouse meadow"), ("confirm", "pebble lighthouse meadow")])
            #expect(set.headers[.location] == "/family", "families are not asked for a second factor unless the agency requires it")
        }
    }

    @Test("A team manager moves a child between their team's social workers; a child or worker outside the team is refused")
    func allocate() async throws {
        let h = try await Harness.make()
        let second = UserRecord(id: "u-sw2", agencyId: Demo.agencyID, teamId: "team-demo", email: "sw2@demo.lifestory.invalid",
                                displayName: "Sol Second, social worker (demo)", role: .socialWorker, createdAt: h.services.timestamp())
        _ = try h.services.accounts.add(second, by: Actor(id: "u-admin", role: "admin"), now: h.services.now())
        let child = try #require(try h.services.users.assignedChildren(userId: "u-sw").first)
        try await h.run { client in
            let tm = Session(client)
            try await tm.signIn(.teamManager)
            let page = try await tm.get("/team/allocate")
            #expect(page.body.contains("Sol Second"))
            #expect(try await tm.post("/team/allocate", [("child", child), ("worker", "u-admin")]).status == .unprocessableContent)
            #expect(try await tm.post("/team/allocate", [("child", "child-nope"), ("worker", "u-sw2")]).status == .unprocessableContent)
            #expect(try h.services.users.assignedChildren(userId: "u-sw").contains(child))
            #expect(try await tm.post("/team/allocate", [("child", child), ("worker", "u-sw2")]).status == .ok)
            #expect(try h.services.users.assignedChildren(userId: "u-sw2").contains(child))
            #expect(try !h.services.users.assignedChildren(userId: "u-sw").contains(child))
            #expect(try Self.audit(h.services, action: "reassign").contains { $0.childId == child && $0.actor == "u-tm" })
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let plan = try #require(try h.services.plans.caseload(asOf: Harness.today).first { $0.childId == child }?.planId)
            #expect(try await sw.get("/plans/\(plan)").status == .notFound, "the old social worker no longer sees the child")
        }
    }

    @Test("The QR code matches python-qrcode, a reference encoder, module for module (versions 1, 7 and 9, level M)")
    func qrMatchesReference() throws {
        let dir = Fixtures.root.appendingPathComponent("qr")
        for i in 0..<3 {
            let lines = try String(contentsOf: dir.appendingPathComponent("case\(i).txt"), encoding: .utf8).split(separator: "\n").map(String.init)
            let text = lines[0], version = Int(lines[1])!, mask = Int(lines[2])!
            let expected = lines.dropFirst(3).map { $0.map { $0 == "1" } }
            let qr = try QRCode.encode(text, mask: mask)
            #expect(qr.version == version, "case \(i)")
            #expect(qr.modules == Array(expected), "case \(i): modules differ")
            let chosen = try QRCode.encode(text)
            #expect(chosen.version == version && (0..<8).contains(chosen.mask))
        }
        #expect(throws: QRCode.Failure.self) { try QRCode.encode(String(repeating: "x", count: 300)) }
    }

    @Test("PKCE's S256 challenge is RFC 7636's own example")
    func pkce() {
        #expect(OIDCClient.challenge(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }
}
