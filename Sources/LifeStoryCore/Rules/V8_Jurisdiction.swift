import Foundation

/// V8 Jurisdiction: an order's type must exist in its jurisdiction and be in force on the day it was made.
public enum V8Jurisdiction: Rule {
    public static let id = "V8"
    public static let summary = "Each order's type exists in its jurisdiction and was in force on the date the order was made."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, order) in c.plan.orders.enumerated() {
            guard let law = c.law.jurisdiction(order.jurisdiction) else { continue }
            guard let rule = law.rule(for: order.type) else {
                let valid = law.orderTypes.map(\.type.shortName).joined(separator: "; ")
                out.append(error("A \(order.type.shortName) is not an order of \(law.name) law. Orders there are: \(valid).",
                                 at: "orders[\(i)].type"))
                continue
            }
            if !rule.inForce(on: order.madeOn) {
                let when: String
                if let from = rule.inForceFrom {
                    when = from > order.madeOn ? "it came into force there on \(from.long)"
                        : "it stopped being available there on \(rule.inForceTo?.long ?? "an earlier date")"
                } else {
                    when = "that part of the law has not yet come into force there"
                }
                out.append(error("A \(order.type.shortName) could not be made in \(law.name) on \(order.madeOn.long): \(when). Check the order's type and date.",
                                 at: "orders[\(i)].madeOn"))
            }
            if order.jurisdiction != c.plan.child.jurisdiction {
                out.append(warning("This \(order.type.shortName) was made in \(law.name), but the plan is under \(c.plan.child.jurisdiction.name) law. Check with the agency's lawyer how it applies.",
                                   at: "orders[\(i)].jurisdiction"))
            }
        }
        return out
    }
}
