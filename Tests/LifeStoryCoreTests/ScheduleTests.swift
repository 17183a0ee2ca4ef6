import Foundation
import LifeStoryCore
import LifeStoryTestSupport
import PropertyBased
import Testing

@Suite("Schedule")
struct ScheduleTests {
    let law: LawBook
    init() throws { law = try Fixtures.law() }

    func timeline(_ plan: Plan, _ asOf: CalendarDate = Fixtures.asOf) throws -> Timeline {
        let j = try #require(law.jurisdiction(plan.child.jurisdiction))
        return try #require(Schedule.timeline(for: plan, law: j, asOf: asOf))
    }

    @Test func aChildPlacedAtNineCatchesUpOnTheStagesTheyMissed() throws {
        let t = try timeline(try Fixtures.plan("clean-eng"))
        #expect(t.ageOnDayOne == 9)
        #expect(t.missedStages == [.a, .b, .c])
        #expect(t.catchUp.map(\.stage) == [.a, .b, .c])
        #expect(t.catchUp.allSatisfy { $0.target > t.dayOne && $0.target <= t.dayOne.adding(days: 84) })
        #expect(t.stages.map(\.code) == [.d0, .d, .e, .f, .g, .h])
        #expect(t.currentStage == .d)
        #expect(t.reviewPoints.contains { $0.kind == .secondaryTransfer && $0.date.iso == "2027-09-01" })
        #expect(t.reviewPoints.contains { $0.kind == .before13 && $0.date.iso == "2029-02-08" })
    }

    @Test func aBabyPlacedAtEightMonthsMissesNothing() throws {
        let t = try timeline(try Fixtures.plan("clean-wls"))
        #expect(t.ageOnDayOne == 0)
        #expect(t.missedStages.isEmpty && t.catchUp.isEmpty)
        #expect(t.stages.first?.code == .d0 && t.stages.dropFirst().first?.code == .a)
        // Placement reviews: 4 weeks, then 3 months, then every 6 months.
        let reviews = t.reviewPoints.filter { $0.kind == .placementReview }.map(\.date.iso)
        #expect(Array(reviews.prefix(3)) == ["2026-10-12", "2027-01-12", "2027-07-12"])
    }

    @Test func scotlandUsesItsOwnRecordsAgeAndSchoolMove() throws {
        let t = try timeline(try Fixtures.plan("clean-sco"))
        #expect(t.reviewPoints.contains { $0.kind == .recordsAccess && $0.date.iso == "2035-05-04" })  // 16th birthday
        #expect(t.reviewPoints.contains { $0.kind == .secondaryTransfer && $0.label.contains("S1") && $0.date.iso == "2031-08-15" })
    }

    @Test func overdueItemsAreListed() throws {
        let t = try timeline(try Fixtures.plan("p9-overdue-conversation"))
        #expect(t.conversations.contains { $0.overdue && $0.itemId == "i-d-1" })
        #expect(t.overdue.count == 1)
    }

    static let dates = Gen.int(in: CalendarDate(year: 1995, month: 1, day: 1)!.dayNumber...CalendarDate(year: 2035, month: 12, day: 31)!.dayNumber)

    @Test func invariantsHoldForAnyChild() async throws {
        let law = try Fixtures.law()
        let base = try Fixtures.plan("clean-eng")
        await propertyCheck(count: 300, input: Self.dates, Gen.int(in: 0...(19 * 365)), Gen.int(in: -400...(20 * 365)),
                            Gen<JurisdictionCode>.case) { dobDay, placedAfter, asOfAfter, code in
            var plan = base
            plan.child.dateOfBirth = CalendarDate(dayNumber: dobDay)
            plan.child.jurisdiction = code
            let dayOne = CalendarDate(dayNumber: dobDay + placedAfter)
            plan.placements = [Placement(id: "p", kind: .adoptive, startDate: dayOne, carers: ["p-alex"])]
            let asOf = dayOne.adding(days: asOfAfter)
            guard let j = law.jurisdiction(code), let t = Schedule.timeline(for: plan, law: j, asOf: asOf) else {
                Issue.record("no timeline")
                return
            }
            // Windows are ordered, do not overlap, and none starts before day one.
            for (a, b) in zip(t.stages, t.stages.dropFirst()) {
                #expect(a.end != nil && a.end! <= b.start)
                #expect(a.code < b.code)
            }
            #expect(t.stages.allSatisfy { $0.start >= dayOne })
            #expect(t.stages.allSatisfy { w in w.end.map { w.start < $0 } ?? true })
            // Nothing is scheduled before day one.
            #expect(t.reviewPoints.allSatisfy { $0.date >= dayOne })
            #expect(t.conversations.allSatisfy { $0.target >= dayOne })
            // Catch-up only for missed stages, all within 12 weeks of day one; a missed stage has no window.
            #expect(t.catchUp.map(\.stage) == t.missedStages)
            #expect(t.catchUp.allSatisfy { $0.target > dayOne && $0.target <= dayOne.adding(days: 84) })
            #expect(Set(t.missedStages).isDisjoint(with: t.stages.map(\.code)))
            for code in StageCode.byAge {
                let ended = code.untilAge.map { plan.child.dateOfBirth.birthday($0) <= dayOne } ?? false
                if ended { #expect(t.missedStages.contains(code)) }
            }
            // Every age stage is either scheduled or missed, once.
            #expect(t.stages.count - 1 + t.missedStages.count == StageCode.byAge.count)
            // The same inputs give the same timeline.
            #expect(Schedule.timeline(for: plan, law: j, asOf: asOf) == t)
            // At most one stage is current.
            #expect(t.stages.filter { $0.status == .current }.count <= 1)
        }
    }
}

@Suite("Schedule: the day-one review")
struct DayOneReviewTests {
    @Test("V4's deadline for the day-one period is the first placement review the schedule shows, for every fixture")
    func agrees() throws {
        let law = try LawBook.bundled()
        for file in try FileManager.default.contentsOfDirectory(at: Fixtures.plans, includingPropertiesForKeys: nil) where file.pathExtension == "json" && file.lastPathComponent != "expected.json" {
            guard let plan = try? PlanArchive.decode(Data(contentsOf: file)).plan, let j = law.jurisdiction(plan.child.jurisdiction),
                  let t = Schedule.timeline(for: plan, law: j, asOf: CalendarDate(iso: "2026-11-21")!) else { continue }
            let first = t.reviewPoints.first { $0.kind == .placementReview }
            #expect(t.window(.d0)?.reviewBy == first?.date, "\(file.lastPathComponent)")
        }
    }
}
