import Foundation

/// P5 Dates in order: nothing starts before the child was born, and nothing ends before it starts.
public enum P5DatesInOrder: Rule {
    public static let id = "P5"
    public static let summary = "Dates are in order: placements and orders after the child's birth; every end after its start."

    public static func check(_ c: RuleContext) -> [Finding] {
        let p = c.plan
        let dob = p.child.dateOfBirth
        var out: [Finding] = []
        for (i, pl) in p.placements.enumerated() {
            if pl.startDate < dob {
                out.append(error("This placement starts on \(pl.startDate.long), before \(c.childName) was born (\(dob.long)).", at: "placements[\(i)].startDate"))
            }
            if let end = pl.endDate, end < pl.startDate {
                out.append(error("This placement ends (\(end.long)) before it starts (\(pl.startDate.long)).", at: "placements[\(i)].endDate"))
            }
        }
        for (i, o) in p.orders.enumerated() {
            if o.madeOn < dob {
                out.append(error("The \(o.type.shortName) is dated \(o.madeOn.long), before \(c.childName) was born.", at: "orders[\(i)].madeOn"))
            }
            if let e = o.expiresOn, e < o.madeOn {
                out.append(error("The \(o.type.shortName) expires (\(e.long)) before it was made (\(o.madeOn.long)).", at: "orders[\(i)].expiresOn"))
            }
            if let e = o.endedOn, e < o.madeOn {
                out.append(error("The \(o.type.shortName) ended (\(e.long)) before it was made (\(o.madeOn.long)).", at: "orders[\(i)].endedOn"))
            }
        }
        for (i, a) in p.arrangements.enumerated() {
            if let end = a.end, end < a.start {
                out.append(error("This arrangement ends (\(end.long)) before it starts (\(a.start.long)).", at: "arrangements[\(i)].end"))
            }
            for (j, s) in a.suspensions.enumerated() {
                if let to = s.to, to < s.from {
                    out.append(error("This suspension ends (\(to.long)) before it starts (\(s.from.long)).", at: "arrangements[\(i)].suspensions[\(j)].to"))
                }
            }
        }
        for (i, s) in p.people.enumerated() where s.role == .sibling {
            if let d = s.dateOfBirth, d > c.asOf {
                out.append(error("This date of birth is in the future.", at: "people[\(i)].dateOfBirth"))
            }
        }
        return out
    }
}
