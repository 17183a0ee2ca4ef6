import LifeStoryCore
import LifeStoryTestSupport
import Testing

@Suite("Plan diff")
struct PlanDiffTests {
    @Test func identicalPlansHaveNoChanges() throws {
        let plan = try Fixtures.plan("clean-eng")
        #expect(PlanDiff.between(plan, plan).isEmpty)
    }

    @Test func reorderingAListIsNotAChange() throws {
        let plan = try Fixtures.plan("clean-eng")
        var reordered = plan
        reordered.people.reverse()
        reordered.contingencies.reverse()
        #expect(PlanDiff.between(plan, reordered).isEmpty)
    }

    @Test func changesAreNamedInWordsByWhatTheyConcern() throws {
        let plan = try Fixtures.plan("clean-eng")
        var changed = plan
        changed.arrangements.append(ContactArrangement(
            id: "a-gran", counterpart: "p-kelly", basis: .agreement, mode: .cardsGifts, frequency: .times(1, per: .year),
            intermediary: "p-letterbox", start: Fixtures.date("2027-01-01")))
        changed.orders[2].expiresOn = Fixtures.date("2033-01-01")
        changed.people.removeAll { $0.id == "p-jo" }
        let words = PlanDiff.between(plan, changed).map(\.description)
        #expect(words.contains("Added: contact with Kelly Example (birth mother) by cards and gifts"), "\(words)")
        #expect(words.contains("Changed: the s.51A(2)(b) order forbidding contact made on 2026-05-20 › expiry date: 2034-03-10 → 2033-01-01"), "\(words)")
        #expect(words.contains { $0.hasPrefix("Removed: Jo Placeholder") }, "\(words)")
    }
}
