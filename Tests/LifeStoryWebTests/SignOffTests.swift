import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
@testable import LifeStoryWeb
import Testing

/// Sign-offs that are real: the team manager and the child's social worker sign with their own accounts; everyone
/// else is recorded by the social worker with what they saw; a sign-off stops counting once the plan changes.
@Suite("Web: sign-offs that are real")
struct SignOffTests {
    @Test("The team manager signs with their account; a later change to the plan voids it; V10 then says so")
    func voidAfterChange() async throws {
        let h = try await Harness.make()
        let planID = "plan-ni-niamh"
        try await h.run { client in
            let tm = Session(client)
            try await tm.signIn(.teamManager)
            let page = try await tm.get("/plans/\(planID)/signoffs")
            #expect(page.body.contains("Sign off this version as the team manager"))
            let revision = try #require(Session.hidden("_revision", in: page.body))
            #expect(try await tm.post("/plans/\(planID)/signoffs/sign", [("_revision", revision)]).status == .seeOther)
            var plan = try h.services.plans.load(planID, actor: Actor(id: "test", role: "admin"), purpose: "test").plan
            let signed = try #require(plan.signOffs.first { $0.role == .teamManager })
            #expect(signed.signedInApp == true && signed.name.contains("Tom Manager") && signed.state(for: plan) == .current)
            #expect(!Rules.check(plan, law: h.services.law, asOf: Harness.today).contains { $0.rule == "V10" && $0.message.contains("Tom Manager") })
            // The social worker cannot overwrite it from the form.
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let form = try await sw.get("/plans/\(planID)/signoffs")
            #expect(!form.body.contains("Name of the team manager"), "the team manager's own sign-off is not a form field")
            // Any change to what the plan says voids it.
            let stored = try h.services.plans.load(planID, actor: Actor(id: "u-sw", role: "social_worker"), purpose: "test")
            try h.services.plans.update(planID, basedOn: stored.revision, actor: Actor(id: "u-sw", role: "social_worker"), purpose: "test") { p in
                p.child.knownAs = "Niamh-Rose"
            }
            plan = try h.services.plans.load(planID, actor: Actor(id: "test", role: "admin"), purpose: "test").plan
            #expect(try #require(plan.signOffs.first { $0.role == .teamManager }).state(for: plan) == .void)
            plan.status = .submitted
            let v10 = Rules.check(plan, law: h.services.law, asOf: Harness.today).filter { $0.rule == "V10" }
            #expect(v10.contains { $0.message.contains("has changed since") && $0.severity == .error })
            let after = try await tm.get("/plans/\(planID)/signoffs")
            #expect(after.body.contains("No longer counts: the plan has changed since"))
        }
    }

    @Test("A signatory without an account is recorded by the social worker with what they saw; without it nothing is saved")
    func recordedWithEvidence() async throws {
        let h = try await Harness.make()
        let planID = "plan-ni-niamh"
        try await h.run { client in
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let page = try await sw.get("/plans/\(planID)/signoffs")
            let revision = try #require(Session.hidden("_revision", in: page.body))
            let plan = try h.services.plans.load(planID, actor: Actor(id: "test", role: "admin"), purpose: "test").plan
            let iroIndex = try #require(PlanController.signOffRoles(plan).firstIndex(of: .iro))
            let key = "rows[r\(iroIndex)]"
            let base = [("_revision", revision), ("\(key)[role]", "iro"), ("\(key)[name]", "Ira Reviewer (demo)"),
                        ("\(key)[signed][day]", "19"), ("\(key)[signed][month]", "11"), ("\(key)[signed][year]", "2026")]
            let missing = try await sw.post("/plans/\(planID)/signoffs", base + [("\(key)[evidence]", "")])
            #expect(missing.status == .unprocessableContent && missing.body.contains("Enter what you saw"))
            #expect(try h.services.plans.load(planID, actor: Actor(id: "test", role: "admin"), purpose: "test").plan.signOffs.first { $0.role == .iro }?.name != "Ira Reviewer (demo)")
            #expect(try await sw.post("/plans/\(planID)/signoffs", base + [("\(key)[evidence]", "Their signature on the printed plan, 19 November")]).status == .seeOther)
            let saved = try h.services.plans.load(planID, actor: Actor(id: "test", role: "admin"), purpose: "test").plan
            let iro = try #require(saved.signOffs.first { $0.role == .iro })
            #expect(iro.recordedBy?.contains("Priya Sample") == true && iro.evidence == "Their signature on the printed plan, 19 November")
            #expect(iro.signedInApp != true && iro.state(for: saved) == .current)
            // What was typed is never dropped in silence: evidence alone in an empty row asks for the name and date.
            let fresh = try await sw.get("/plans/\(planID)/signoffs")
            let rev = try #require(Session.hidden("_revision", in: fresh.body))
            let lawyerIndex = PlanController.signOffRoles(saved).firstIndex(of: .panelAdviser) ?? 0
            let lk = "rows[r\(lawyerIndex)]"
            let partial = try await sw.post("/plans/\(planID)/signoffs", [("_revision", rev), ("\(lk)[role]", PlanController.signOffRoles(saved)[lawyerIndex].rawValue),
                                                                        ("\(lk)[name]", ""), ("\(lk)[evidence]", "An email agreeing it")])
            #expect(partial.status == .unprocessableContent && partial.body.contains("or clear the whole row"))
        }
    }
}
