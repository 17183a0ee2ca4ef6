import Foundation
import LifeStoryCore
import LifeStoryTestSupport
import Testing

@Suite("Rules")
struct RuleTests {
    let law: LawBook
    init() throws { law = try Fixtures.law() }

    func findings(_ plan: Plan, on date: CalendarDate = Fixtures.asOf, law: LawBook? = nil) -> [Finding] {
        Rules.check(plan, law: law ?? self.law, asOf: date)
    }
    func errors(_ plan: Plan, on date: CalendarDate = Fixtures.asOf, law: LawBook? = nil) -> Set<String> {
        Set(findings(plan, on: date, law: law).filter { $0.severity == .error }.map(\.rule))
    }

    @Test("each fixture gives exactly its expected errors and at least its expected warnings",
          arguments: Fixtures.names)
    func fixture(name: String) throws {
        let expected = try #require(Fixtures.expectations[name])
        let found = findings(try Fixtures.plan(name))
        #expect(Set(found.filter { $0.severity == .error }.map(\.rule)) == Set(expected.errors), "\(name): \(found)")
        let warnings = Set(found.filter { $0.severity == .warning }.map(\.rule))
        #expect(Set(expected.warnings).isSubset(of: warnings), "\(name): \(found)")
    }

    @Test("clean plans give no findings at all: no rule fires on them", arguments: Fixtures.cleanNames)
    func clean(name: String) throws {
        #expect(findings(try Fixtures.plan(name)).isEmpty)
    }

    @Test func everyRuleHasAFixtureWhereItFires() {
        let covered = Set(Fixtures.expectations.values.flatMap { $0.errors + $0.warnings })
        let ids = Rules.all.map { $0.id }
        for id in ids {
            #expect(covered.contains(id), "no fixture breaks \(id)")
        }
    }

    @Test func everyRuleIsInAFileNamedByItsId() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/LifeStoryCore/Rules")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let ids = Rules.all.map { $0.id }
        for id in ids {
            let prefix = id + "_"
            #expect(files.contains { $0.hasPrefix(prefix) }, "Rules/\(id)_*.swift is missing")
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test func findingsPointAtFieldsAndSpeakPlainly() throws {
        for name in Fixtures.names {
            for f in findings(try Fixtures.plan(name)) {
                #expect(!f.path.isEmpty && !f.path.hasPrefix("plan."), "\(f)")
                #expect(f.message.first { $0.isLetter }?.isUppercase == true && f.message.count > 30, "\(f)")
                #expect(!f.message.contains("nil") && !f.message.contains("Optional("), "\(f)")
            }
        }
    }

    // MARK: targeted cases where a rule must or must not fire

    @Test func v1DoesNotGateCarerHeldAccounts() throws {
        var plan = try Fixtures.plan("v1-account-under-13")
        plan.arrangements[2].heldBy = .carer
        #expect(!errors(plan).contains("V1"))
    }

    @Test func v1FollowsTheLawInForceOnTheStartDate() throws {
        // WhatsApp was 16 until 11 April 2024, then 13: the same 14-year-old fails before and passes after.
        var plan = try Fixtures.plan("clean-ni")
        plan.arrangements[1].start = Fixtures.date("2026-07-01")
        #expect(!errors(plan).contains("V1"))
        plan.arrangements[1].start = Fixtures.date("2024-04-10")
        #expect(errors(plan, on: Fixtures.asOf).contains("V1"))
    }

    @Test func v1ReadsTheAgeOfConsentFromLawDataNotCode() throws {
        // If ministers raised the age of consent to 16 (CWSA 2026 s.72), a new law book is all it takes.
        var raised = law
        for i in raised.jurisdictions.indices {
            raised.jurisdictions[i].digitalConsentAge[0].effectiveTo = Fixtures.date("2026-06-01")
            raised.jurisdictions[i].digitalConsentAge.append(EffectiveValue(
                value: 16, effectiveFrom: Fixtures.date("2026-06-01"), source: "test"))
        }
        let plan = try Fixtures.plan("clean-ni")  // Niamh, 14, holds her own WhatsApp from July 2026
        #expect(!errors(plan).contains("V1"))
        #expect(errors(plan, law: raised).contains("V1"))
    }

    @Test func v2AllowsLettersWhenTheOrderSaysSo() throws {
        var plan = try Fixtures.plan("clean-eng")
        plan.arrangements.append(ContactArrangement(
            id: "a-dan-letters", counterpart: "p-dan", basis: .agreement, mode: .letterboxPaper, frequency: .times(1, per: .year),
            intermediary: "p-letterbox", start: Fixtures.date("2027-01-01"), status: .proposed))
        #expect(errors(plan).contains("V2"))
        plan.orders[2].indirectContactAllowed = true
        #expect(!errors(plan).contains("V2"))
    }

    @Test func v2IgnoresAnOrderNoLongerInForce() throws {
        var plan = try Fixtures.plan("v2-direct-contact-with-prohibited-person")
        plan.orders[2].endedOn = Fixtures.date("2026-10-01")
        #expect(!errors(plan).contains("V2"))
    }

    @Test func v6AllowsExpiryOnTheEighteenthBirthday() throws {
        var plan = try Fixtures.plan("clean-eng")
        plan.orders[2].expiresOn = Fixtures.date("2034-03-10")
        #expect(!errors(plan).contains("V6"))
        plan.orders[2].expiresOn = Fixtures.date("2034-03-11")
        #expect(errors(plan).contains("V6"))
    }

    @Test func v7AllowsSevenDaysWithNotice() throws {
        var plan = try Fixtures.plan("v7-urgent-suspension-too-long")
        plan.arrangements[0].suspensions[0].to = Fixtures.date("2026-10-08")
        plan.arrangements[0].suspensions[0].notifiedOn = Fixtures.date("2026-10-01")
        plan.arrangements[0].suspensions[0].notifiedTo = ["p-kelly"]
        #expect(!errors(plan).contains("V7"))
    }

    @Test func v10AppliesOnlyWhileThePlanIsBeforePanel() throws {
        var plan = try Fixtures.plan("v10-panel-without-iro-and-stale-risk")
        #expect(errors(plan).contains("V10"))
        plan.status = .admApproved
        #expect(!errors(plan).contains("V10"))
    }

    @Test func v13NeedsNoCarerConsentForAnAdultSibling() throws {
        var plan = try Fixtures.plan("clean-ni")
        #expect(plan.person("p-erin")?.carerConsentToOnlineContact == nil)
        #expect(!errors(plan).contains("V13"))
        plan.people[1].dateOfBirth = Fixtures.date("2012-01-01")
        #expect(errors(plan).contains("V13"))
    }

    @Test func v11AllowsWhatThePlacementPlanDelegates() throws {
        var plan = try Fixtures.plan("v11-phone-not-delegated")
        plan.delegatedAuthority.append(.mobilePhone)
        #expect(!errors(plan).contains("V11"))
    }

    @Test func v12DoesNotApplyOutsideScotland() throws {
        var plan = try Fixtures.plan("v12-no-sibling-decision")
        plan.child.jurisdiction = .england
        #expect(!errors(plan).contains("V12"))
    }

    @Test func findingsAreDeterministic() throws {
        for name in Fixtures.names {
            let plan = try Fixtures.plan(name)
            #expect(findings(plan) == findings(plan))
        }
    }
}
