import Foundation

// The child's timeline: stage windows from date of birth and day one, the catch-up block for stages missed before
// placement, due conversations, mandatory review points and what is overdue, all for a given "as of" date.
// Pure function of its inputs: the same plan, law and date always give the same timeline.

public enum WindowStatus: String, CodedEnum {
    case past, current, upcoming
}

/// A stage's window [start, end): end is exclusive and nil for the open-ended 18+ stage.
public struct StageWindow: Codable, Sendable, Equatable {
    public var code: StageCode
    public var start: CalendarDate
    public var end: CalendarDate?
    public var status: WindowStatus
    /// The latest date this stage may next be reviewed (V4): min(window end, last review + 6 months).
    public var reviewBy: CalendarDate

    public func contains(_ date: CalendarDate) -> Bool { start <= date && (end.map { date < $0 } ?? true) }
}

/// The essentials of a stage the child passed before they were placed, to be covered soon after day one.
public struct CatchUpItem: Codable, Sendable, Equatable {
    public var stage: StageCode
    public var target: CalendarDate
}

public struct ScheduledItem: Codable, Sendable, Equatable {
    public var itemId: String
    public var stage: StageCode
    public var title: String
    public var target: CalendarDate
    public var status: ItemStatus
    public var overdue: Bool
    /// Scheduled as part of the catch-up block.
    public var catchUp: Bool
}

public enum ReviewPointKind: String, CodedEnum {
    case placementReview = "placement_review"
    case secondaryTransfer = "secondary_transfer"
    case before13 = "before_13"
    case age16 = "age_16"
    case age17Half = "age_17_half"
    case age18 = "age_18"
    case recordsAccess = "records_access"
    case lifeStoryBook = "life_story_book"

    /// The triggers V4 requires a review for.
    public var isMandatoryStageTrigger: Bool {
        switch self {
        case .secondaryTransfer, .before13, .age16, .age17Half, .age18: true
        default: false
        }
    }
}

public struct ReviewPoint: Codable, Sendable, Equatable {
    public var kind: ReviewPointKind
    public var date: CalendarDate
    public var label: String
}

public struct Timeline: Codable, Sendable, Equatable {
    public var asOf: CalendarDate
    public var dateOfBirth: CalendarDate
    public var dayOne: CalendarDate
    public var ageOnDayOne: Int
    public var ageAsOf: Int
    /// Ordered, non-overlapping, none starting before day one.
    public var stages: [StageWindow]
    /// Age stages that ended before the family had time to work through them.
    public var missedStages: [StageCode]
    public var catchUp: [CatchUpItem]
    public var conversations: [ScheduledItem]
    public var reviewPoints: [ReviewPoint]
    /// Planned items past their target date and reviews past due that have not been held.
    public var overdue: [String]

    public var currentStage: StageCode? { stages.first { $0.status == .current }?.code }
    public func window(_ code: StageCode) -> StageWindow? { stages.first { $0.code == code } }
}

public enum Schedule {
    /// Days in the catch-up block: the essentials of every missed stage within 12 weeks of day one.
    public static let catchUpDays = 84

    /// Why a plan's day one cannot be scheduled from, naming the field: a day one before the child was born, or more
    /// than a year after `asOf` (a date typed wrongly, not a plan). Nil when it can.
    public static func dayOneProblem(for plan: Plan, asOf: CalendarDate) -> (path: String, message: String)? {
        guard let placement = plan.currentPlacement, let index = plan.placements.firstIndex(of: placement) else { return nil }
        let path = "plan.placements[\(index)].startDate"
        let dob = plan.child.dateOfBirth
        if placement.startDate < dob {
            return (path, "day one (\(placement.startDate.long)) is before \(plan.child.knownAs)'s date of birth (\(dob.long)); correct the placement's start date or the date of birth")
        }
        if placement.startDate > asOf.adding(years: 1) {
            return (path, "day one (\(placement.startDate.long)) is more than a year after \(asOf.long); a placement is scheduled from its real start date, so check the year")
        }
        return nil
    }

    /// The timeline for `plan` as of `asOf`. Nil when the plan has no placement (there is no day one).
    public static func timeline(for plan: Plan, law: JurisdictionLaw, asOf: CalendarDate) -> Timeline? {
        guard let recordedDayOne = plan.dayOne else { return nil }
        let dob = plan.child.dateOfBirth
        let dayOne = max(recordedDayOne, dob)
        let rhythm = law.reviewRhythm
        let d0End = dayOne.adding(days: rhythm.firstAfterDays)

        func status(_ start: CalendarDate, _ end: CalendarDate?) -> WindowStatus {
            if let end, end <= asOf { return .past }
            return start <= asOf ? .current : .upcoming
        }
        func lastReview(_ code: StageCode) -> CalendarDate? {
            plan.stages.first { $0.code == code }?.lastReviewedOn
        }
        func reviewBy(_ code: StageCode, _ start: CalendarDate, _ end: CalendarDate?) -> CalendarDate {
            let cadence = max(lastReview(code) ?? start, start).adding(months: 6)
            guard let end else { return cadence }
            return min(end.adding(days: -1), cadence)
        }

        // The day-one period is reviewed at the first placement review, the date the review points below show, so V4's
        // deadline for it and the schedule agree.
        var windows = [StageWindow(code: .d0, start: dayOne, end: d0End, status: status(dayOne, d0End), reviewBy: d0End)]
        var missed: [StageCode] = []
        for code in StageCode.byAge {
            guard let from = code.fromAge else { continue }
            let naturalEnd = code.untilAge.map { dob.birthday($0) }
            if let naturalEnd, naturalEnd <= d0End {
                // Over before the day-one period ends: its essentials go into the catch-up block.
                missed.append(code)
                continue
            }
            let start = max(dob.birthday(from), d0End)
            windows.append(StageWindow(code: code, start: start, end: naturalEnd, status: status(start, naturalEnd),
                                       reviewBy: reviewBy(code, start, naturalEnd)))
        }

        let catchUp = missed.enumerated().map { k, code in
            CatchUpItem(stage: code, target: dayOne.adding(days: (catchUpDays * (k + 1)) / missed.count))
        }

        var conversations: [ScheduledItem] = []
        for (code, item) in plan.stageItems where item.status != .skipped {
            let catchUpTarget = catchUp.first { $0.stage == code }?.target
            let window = windows.first { $0.code == code }
            let defaultTarget: CalendarDate
            if let catchUpTarget {
                defaultTarget = catchUpTarget
            } else if code == .d0 {
                defaultTarget = dayOne.adding(days: 7)
            } else if let window {
                let t = window.start.adding(days: 28)
                defaultTarget = window.end.map { min(t, $0.adding(days: -1)) } ?? t
            } else {
                defaultTarget = dayOne.adding(days: 28)
            }
            let target = max(item.targetDate ?? defaultTarget, dayOne)
            conversations.append(ScheduledItem(
                itemId: item.id, stage: code, title: item.title, target: target, status: item.status,
                overdue: item.status == .planned && target < asOf, catchUp: catchUpTarget != nil))
        }
        conversations.sort { ($0.target, $0.stage, $0.itemId) < ($1.target, $1.stage, $1.itemId) }

        var points: [ReviewPoint] = []
        // Placement reviews: after `firstAfterDays`, then `secondAfterMonths` later, then every `thenEveryMonths`,
        // until the adoption order, or one year past the as-of date, or the 18th birthday.
        let adoption = plan.orders.filter { $0.type == .aca02Adoption }.map(\.madeOn).min()
        let horizon = min(adoption ?? max(asOf, dayOne).adding(years: 1), dob.birthday(18))
        var reviewDate = dayOne.adding(days: rhythm.firstAfterDays)
        var n = 1
        let label = plan.currentPlacement?.kind.carersAreFosterCarers == true || plan.currentPlacement?.kind == .adoptive
            ? "adoption review" : "review"
        while reviewDate <= horizon && n <= 40 {
            points.append(ReviewPoint(kind: .placementReview, date: reviewDate, label: "\(ordinal(n)) \(label)"))
            if n == 2 {
                points.append(ReviewPoint(kind: .lifeStoryBook, date: reviewDate,
                                          label: "life-story book given by the second review"))
            }
            reviewDate = reviewDate.adding(months: n == 1 ? rhythm.secondAfterMonths : rhythm.thenEveryMonths)
            n += 1
        }
        if let transfer = law.schoolTransfer.transferDate(dob: dob) {
            points.append(ReviewPoint(kind: .secondaryTransfer, date: transfer, label: law.schoolTransfer.label))
        }
        points.append(ReviewPoint(kind: .before13, date: dob.birthday(13).adding(days: -30),
                                  label: "30 days before the 13th birthday"))
        points.append(ReviewPoint(kind: .age16, date: dob.birthday(16), label: "16th birthday"))
        points.append(ReviewPoint(kind: .age17Half, date: dob.birthday(17).adding(months: 6), label: "age 17½"))
        points.append(ReviewPoint(kind: .age18, date: dob.birthday(18), label: "18th birthday: orders end"))
        if let access = law.recordsAccessAge.value(on: max(asOf, dayOne)) {
            points.append(ReviewPoint(kind: .recordsAccess, date: dob.birthday(access),
                                      label: "can apply for their birth records (age \(access))"))
        }
        points = points.filter { $0.date >= dayOne }
        points.sort { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }

        var overdue = conversations.filter(\.overdue).map { "item \($0.itemId): \($0.title) (due \($0.target.long))" }
        for review in plan.reviews where review.heldOn == nil && review.dueOn < asOf {
            overdue.append("review \(review.id) (due \(review.dueOn.long))")
        }

        return Timeline(asOf: asOf, dateOfBirth: dob, dayOne: dayOne, ageOnDayOne: dob.age(on: dayOne),
                        ageAsOf: dob.age(on: asOf), stages: windows, missedStages: missed, catchUp: catchUp,
                        conversations: conversations, reviewPoints: points, overdue: overdue)
    }

    static func ordinal(_ n: Int) -> String {
        let words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
        if n >= 1 && n <= words.count { return words[n - 1] }
        let suffix = (11...13).contains(n % 100) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][n % 10]
        return "\(n)\(suffix)"
    }
}
