import Foundation

/// P8 Order basis: an arrangement said to rest on an order says which order; one that rests on an agreement does
/// not point to an order.
public enum P8OrderBasis: Rule {
    public static let id = "P8"
    public static let summary = "An arrangement based on an order names that order; an arrangement by agreement does not."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in c.plan.arrangements.enumerated() {
            if a.basis == .order && (a.orderRef ?? "").isEmpty {
                out.append(error("The arrangement with \(c.describe(person: a.counterpart)) is recorded as made by a court order but does not say which. Choose the order from the register.",
                                 at: "arrangements[\(i)].orderRef"))
            } else if a.basis != .order, a.orderRef != nil {
                out.append(warning("The arrangement with \(c.describe(person: a.counterpart)) is recorded as an \(a.basis == .agreement ? "agreement" : "agency decision") but points to an order. If the order requires it, change its basis to 'order'.",
                                   at: "arrangements[\(i)].basis"))
            }
        }
        return out
    }
}
