import Foundation

/// V6 Expiry cap: an order cannot run past its legal maximum: s.51A and NI s.49 orders end by the 18th birthday,
/// child arrangements contact provisions by the 16th. The maximum for each order type is law data (`maxAge`).
public enum V6ExpiryCap: Rule {
    public static let id = "V6"
    public static let summary = "No order expires later than its legal maximum (s.51A and NI s.49 orders: the 18th birthday; others as the law data says)."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        let dob = c.plan.child.dateOfBirth
        for (i, order) in c.plan.orders.enumerated() {
            guard let maxAge = c.law.orderRule(order.type, in: order.jurisdiction)?.maxAge,
                  let expires = order.expiresOn else { continue }
            let cap = dob.birthday(maxAge)
            if expires > cap {
                out.append(error(
                    "The \(order.type.shortName) is recorded as expiring on \(expires.long), but it can run only until \(c.childName)'s \(ordinal(maxAge)) birthday, \(cap.long). Check the sealed order and correct the date.",
                    at: "orders[\(i)].expiresOn"))
            }
        }
        return out
    }

    static func ordinal(_ n: Int) -> String { "\(n)th" }
}
