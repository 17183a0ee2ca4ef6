import Foundation

/// V7 Urgent suspensions: a suspension under ACA 2002 s.27(2) or CA 1989 s.34(6) lasts 7 days at most and has a
/// record of the written notice (who was told, when).
public enum V7UrgentSuspensions: Rule {
    public static let id = "V7"
    public static let summary = "An urgent suspension of contact (ACA s.27(2), CA s.34(6)) lasts 7 days at most and has a notification record."

    public static let maxDays = 7

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in c.plan.arrangements.enumerated() {
            for (j, s) in a.suspensions.enumerated() where s.basis.isUrgentStatutory {
                let path = "arrangements[\(i)].suspensions[\(j)]"
                let law = s.basis == .aca02S27_2 ? "section 27(2) of the Adoption and Children Act 2002"
                                                 : "section 34(6) of the Children Act 1989"
                if let to = s.to {
                    let days = s.from.days(until: to)
                    if days > maxDays {
                        out.append(error("An urgent suspension under \(law) can last \(maxDays) days at most. This one runs from \(s.from.long) to \(to.long) (\(days) days). Shorten it, or apply to the court for longer.",
                                         at: "\(path).to"))
                    }
                } else {
                    let days = s.from.days(until: c.asOf)
                    if days > maxDays {
                        out.append(error("An urgent suspension under \(law) began on \(s.from.long) and has no end date; it has now lasted \(days) days, more than the \(maxDays) allowed. End it, or apply to the court.",
                                         at: "\(path).to"))
                    } else {
                        out.append(warning("Give this urgent suspension an end date no later than \(s.from.adding(days: maxDays).long).",
                                           at: "\(path).to"))
                    }
                }
                if s.notifiedOn == nil || s.notifiedTo.isEmpty {
                    out.append(error("An urgent suspension under \(law) needs a record of the written notice: who was told, and when.",
                                     at: "\(path).notifiedOn"))
                }
            }
        }
        return out
    }
}
