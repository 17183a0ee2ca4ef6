import Foundation

/// V9 Fail-closed redaction. At plan level: every non-disclosure condition says what must not be disclosed (so
/// the scan can look for it), and nothing a birth relative's summary would quote from the plan contains a
/// protected token. Guides scan their rendered text with the same tokens before release.
public enum V9Redaction: Rule {
    public static let id = "V9"
    public static let summary = "Every non-disclosure condition lists what it protects, and nothing shown to a birth relative contains a protected token."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, o) in c.plan.orders.enumerated() {
            for (j, k) in o.conditions.enumerated() where k.kind == .nonDisclosure && k.protectedTokens.isEmpty {
                out.append(error("This non-disclosure condition of the \(o.type.shortName) does not list what must not be disclosed. Add each name, place or handle it protects, so documents can be checked for them.",
                                 at: "orders[\(i)].conditions[\(j)].protectedTokens"))
            }
        }
        let tokens = ProtectedTokens.of(c.plan)
        for (i, a) in c.plan.arrangements.enumerated() {
            for (j, k) in a.conditions.enumerated() {
                if k.kind == .nonDisclosure && k.protectedTokens.isEmpty {
                    out.append(error("This non-disclosure condition does not list what must not be disclosed. Add each name, place or handle it protects.",
                                     at: "arrangements[\(i)].conditions[\(j)].protectedTokens"))
                }
                guard c.plan.person(a.counterpart)?.role.isBirthFamily == true else { continue }
                for leak in ProtectedTokens.scan(k.text, for: tokens) {
                    out.append(error("The wording of this condition goes into \(c.describe(person: a.counterpart))'s summary, but it contains \(leak.why) (from \(leak.field)). Reword it without that detail.",
                                     at: "arrangements[\(i)].conditions[\(j)].text"))
                }
            }
        }
        return out
    }
}
