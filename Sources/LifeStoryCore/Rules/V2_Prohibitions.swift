import Foundation

/// V2 Prohibitions: a person named in an in-force order forbidding contact may have no direct contact, indirect
/// contact only where the order expressly allows it, and the plan must have a C1 contingency naming them at S2 or
/// higher.
public enum V2Prohibitions: Rule {
    public static let id = "V2"
    public static let summary = "No direct contact with a person an in-force order forbids contact with; indirect only if the order allows it; a C1 contingency naming them at S2 or higher."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (oi, order) in c.plan.orders.enumerated() where c.isProhibition(order) && order.isInForce(on: c.asOf) {
            for person in order.namedPersons {
                for (i, a) in c.plan.arrangements.enumerated() where a.counterpart == person && a.status.isLive {
                    if a.mode.isDirect {
                        out.append(error(
                            "\(c.describe(person: person)) is named in the \(order.type.shortName) made on \(order.madeOn.long), which forbids contact. This arrangement plans \(a.mode.plain) with them. Remove it or end it.",
                            at: "arrangements[\(i)].mode"))
                    } else if a.mode.isIndirect && !order.indirectContactAllowed {
                        out.append(error(
                            "\(c.describe(person: person)) is named in the \(order.type.shortName) made on \(order.madeOn.long). It does not expressly allow indirect contact, so \(a.mode.plain) cannot go ahead. Check the order's wording; if it does allow letters, record that on the order.",
                            at: "arrangements[\(i)].mode"))
                    }
                }
                let covered = c.plan.contingencies.contains {
                    $0.scenario == .c1 && $0.applicable && $0.namedPersons.contains(person)
                        && max($0.severity, $0.raisedTo ?? $0.severity) >= .s2
                }
                if !covered {
                    out.append(error(
                        "The plan needs a card for what to do if a birth relative makes contact online that names \(c.describe(person: person)) and is acted on the same day or sooner, because the \(order.type.shortName) of \(order.madeOn.long) forbids contact with them.",
                        at: "orders[\(oi)].namedPersons"))
                }
            }
        }
        return out
    }
}
