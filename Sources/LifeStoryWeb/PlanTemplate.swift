import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import Logging
import NIOCore

/// A new plan starts from the agency's pattern, not from nothing: the stages from day one to 18 with a conversation
/// from the guidance for each, the review points the law and practice require, and a card for each of the core
/// scenarios C1-C10 with the usual first steps. The social worker then makes each part fit the child.
enum PlanTemplate {
    static let defaultSeverity: [Scenario: (Severity, Severity)] = [
        .c1: (.s3, .s2), .c2: (.s3, .s2), .c3: (.s3, .s3), .c4: (.s2, .s2), .c5: (.s3, .s2),
        .c6: (.s4, .s3), .c7: (.s3, .s1), .c8: (.s2, .s1), .c9: (.s2, .s2), .c10: (.s3, .s3),
    ]

    static let firstSteps = [
        "Keep a record: take screenshots that show the date, the name and the message.",
        "Do not reply, block or argue; stay calm with the child.",
        "Make the accounts safe: privacy settings, passwords, location off.",
        "Tell the people below, in order, the same day.",
        "Write down what happened and what the child said.",
    ]

    static func make(id: String, child: Child, placement: Placement, agency: Agency, socialWorker: Person,
                     library: ContentLibrary, law: LawBook, asOf: CalendarDate) -> Plan {
        var plan = Plan(id: id, agency: agency, child: child, people: [socialWorker], placements: [placement])
        plan.contingencies = Scenario.core.map { s in
            let sev = defaultSeverity[s] ?? (.s3, .s2)
            return Contingency(id: "k-\(s.rawValue.lowercased())", scenario: s, severity: sev.0, raisedTo: sev.1,
                               actions: firstSteps, contentRef: library.contingency(s)?.id)
        }
        guard let jurisdiction = law.jurisdiction(child.jurisdiction),
              let timeline = Schedule.timeline(for: plan, law: jurisdiction, asOf: asOf) else { return plan }
        for window in timeline.stages where window.status != .past {
            let guidance = library.stage(window.code)
            let target = window.status == .current ? asOf.adding(days: 28) : window.start
            let title = guidance.map { "Read and talk about: \($0.title)" } ?? "Conversations for stage \(window.code.rawValue)"
            let item = StageItem(id: "i-\(window.code.rawValue.lowercased())-1", title: title, contentRef: guidance?.id,
                                 targetDate: target)
            plan.stages.append(PlannedStage(code: window.code, status: window.status == .current ? .current : .upcoming,
                                            reviewBy: window.status == .current ? window.reviewBy : nil, items: [item]))
        }
        let horizon = asOf.adding(months: 12)
        var n = 0
        for point in timeline.reviewPoints where point.date >= asOf && point.date <= horizon {
            n += 1
            let kind: ReviewKind = point.kind.isMandatoryStageTrigger ? .stageReview
                : (child.legalStatus.isLookedAfter ? .lookedAfterReview : .adoptionReview)
            plan.reviews.append(Review(id: "rv-\(n)", kind: kind, dueOn: point.date, notes: point.label))
        }
        return plan
    }
}
