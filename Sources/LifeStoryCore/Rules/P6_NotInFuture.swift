import Foundation

/// P6 Not in the future: what the plan records as having happened (an order made, a review held, a sign-off) is
/// dated on or before the as-of date.
public enum P6NotInFuture: Rule {
    public static let id = "P6"
    public static let summary = "Things recorded as having happened (orders made, reviews held, sign-offs, incidents) are not dated in the future."

    public static func check(_ c: RuleContext) -> [Finding] {
        let p = c.plan
        var out: [Finding] = []
        func past(_ date: CalendarDate?, _ path: String, _ what: String) {
            guard let date, date > c.asOf else { return }
            out.append(error("\(what) is dated \(date.long), after today (\(c.asOf.long)). Record it once it has happened, or correct the date.", at: path))
        }
        past(p.child.dateOfBirth, "child.dateOfBirth", "The date of birth")
        for (i, o) in p.orders.enumerated() {
            past(o.madeOn, "orders[\(i)].madeOn", "The \(o.type.shortName)")
            past(o.endedOn, "orders[\(i)].endedOn", "The end of the \(o.type.shortName)")
        }
        for (i, s) in p.signOffs.enumerated() { past(s.signedOn, "signOffs[\(i)].signedOn", "The sign-off of \(s.role.plain)") }
        for (i, r) in p.riskAssessments.enumerated() { past(r.assessedOn, "riskAssessments[\(i)].assessedOn", "A risk assessment") }
        for (i, r) in p.reviews.enumerated() { past(r.heldOn, "reviews[\(i)].heldOn", "A review recorded as held") }
        for (i, inc) in p.incidents.enumerated() {
            past(inc.occurredOn, "incidents[\(i)].occurredOn", "An incident")
            for (j, e) in inc.evidence.enumerated() { past(e.capturedOn, "incidents[\(i)].evidence[\(j)].capturedOn", "Evidence") }
            for (j, n) in inc.notifications.enumerated() { past(n.on, "incidents[\(i)].notifications[\(j)].on", "A notification") }
        }
        for (i, s) in p.stages.enumerated() {
            past(s.lastReviewedOn, "stages[\(i)].lastReviewedOn", "A stage review recorded as held")
            for (j, item) in s.items.enumerated() { past(item.doneOn, "stages[\(i)].items[\(j)].doneOn", "'\(item.title)', recorded as done,") }
        }
        for (i, a) in p.arrangements.enumerated() {
            for (j, s) in a.suspensions.enumerated() { past(s.notifiedOn, "arrangements[\(i)].suspensions[\(j)].notifiedOn", "A notice of suspension") }
        }
        past(p.lifeStory.bookGivenOn, "lifeStory.bookGivenOn", "The life-story book, recorded as given,")
        past(p.lifeStory.laterLifeLetterGivenOn, "lifeStory.laterLifeLetterGivenOn", "The later life letter, recorded as given,")
        past(p.views.child?.recordedOn, "views.child.recordedOn", "The child's view")
        past(p.views.adopters?.recordedOn, "views.adopters.recordedOn", "The adopters' view")
        for (i, v) in p.views.birthRelatives.enumerated() { past(v.recordedOn, "views.birthRelatives[\(i)].recordedOn", "A birth relative's view") }
        past(p.siblingContactDecision?.recordedOn, "siblingContactDecision.recordedOn", "The sibling contact decision")
        past(p.panelSubmission?.submittedOn, "panelSubmission.submittedOn", "The panel submission")
        past(p.panelSubmission?.decisionOn, "panelSubmission.decisionOn", "The decision")
        return out
    }
}
