import Foundation

/// V5 Order lifecycle: an adoption order ends s.26 contact orders; authority to place ends s.34 and child
/// arrangements contact. Which orders end which is law data (`OrderTypeRule.endedBy`). Arrangements that rest on an
/// order no longer in force must be re-based or closed.
public enum V5OrderLifecycle: Rule {
    public static let id = "V5"
    public static let summary = "Orders ended by a later order (s.26 by adoption; s.34 and CAO contact by a placement order) are recorded as ended, and no live arrangement rests on an ended order."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        var endedOn: [String: (CalendarDate, String)] = [:]
        for (i, order) in c.plan.orders.enumerated() {
            guard let rule = c.law.orderRule(order.type, in: order.jurisdiction) else { continue }
            let enders = c.plan.orders.filter {
                rule.endedBy.contains($0.type) && $0.madeOn >= order.madeOn && $0.madeOn <= c.asOf
            }
            guard let ender = enders.min(by: { $0.madeOn < $1.madeOn }) else { continue }
            endedOn[order.id] = (ender.madeOn, ender.type.shortName)
            if order.inForce && order.endedOn == nil {
                out.append(error(
                    "The \(order.type.shortName) made on \(order.madeOn.long) ended when the \(ender.type.shortName) was made on \(ender.madeOn.long). Record it as no longer in force, ended on \(ender.madeOn.long).",
                    at: "orders[\(i)].inForce"))
            }
        }
        for (i, a) in c.plan.arrangements.enumerated() where a.basis == .order && a.status.isLive {
            guard let ref = a.orderRef, let order = c.plan.order(ref) else { continue }
            if let (date, by) = endedOn[ref] {
                out.append(error(
                    "This arrangement with \(c.describe(person: a.counterpart)) rests on the \(order.type.shortName), which ended when the \(by) was made on \(date.long). Re-base it on an agreement or a new order, or close it.",
                    at: "arrangements[\(i)].orderRef"))
            } else if !order.isInForce(on: c.asOf) {
                out.append(error(
                    "This arrangement with \(c.describe(person: a.counterpart)) rests on the \(order.type.shortName) made on \(order.madeOn.long), which is not in force on \(c.asOf.long). Re-base it on an agreement or a new order, or close it.",
                    at: "arrangements[\(i)].orderRef"))
            }
        }
        return out
    }
}
