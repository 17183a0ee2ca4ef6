import Foundation

/// V12 Scottish siblings: for a looked-after child in Scotland with recorded siblings, the plan records the decision
/// on sibling contact (Children (Scotland) Act 1995 s.17 as amended by the 2020 Act s.13).
public enum V12ScottishSiblings: Rule {
    public static let id = "V12"
    public static let summary = "A looked-after child in Scotland with recorded brothers or sisters has a recorded decision on sibling contact."

    public static func check(_ c: RuleContext) -> [Finding] {
        let child = c.plan.child
        guard child.jurisdiction == .scotland, child.legalStatus.isLookedAfter,
              c.plan.people.contains(where: { $0.role == .sibling }), c.plan.siblingContactDecision == nil
        else { return [] }
        return [error("\(c.childName) is looked after in Scotland and has brothers or sisters recorded. The local authority must promote contact with them where it is right for \(c.childName): record the decision on sibling contact and the reasons.",
                      at: "siblingContactDecision")]
    }
}
