import Foundation

/// V11 Delegated authority: where the carers are foster carers, the plan may not ask them to make a decision the
/// placement plan has not delegated to them (phones, accounts, photos online, supervising contact, ...).
public enum V11DelegatedAuthority: Rule {
    public static let id = "V11"
    public static let summary = "Foster carers are not asked to make decisions that the placement plan has not delegated to them."

    public static func check(_ c: RuleContext) -> [Finding] {
        guard let placement = c.plan.currentPlacement, placement.kind.carersAreFosterCarers else { return [] }
        let delegated = Set(c.plan.delegatedAuthority)
        var out: [Finding] = []
        for (_, item) in c.plan.stageItems where item.status == .planned {
            guard item.owner == .carer || item.owner == .fosterCarer, let path = c.path(ofItem: item.id) else { continue }
            let decision = item.decision
                ?? (item.account?.heldBy == .child ? .socialMediaAccount : nil)
                ?? (item.kind == .device ? .mobilePhone : nil)
            guard let decision, !delegated.contains(decision) else { continue }
            out.append(error("'\(item.title)' asks the foster carers to decide on \(decision.plain), which the placement plan has not delegated to them. Delegate it in the placement plan, or make the social worker the owner of this item.",
                             at: "\(path).owner"))
        }
        for (i, a) in c.plan.arrangements.enumerated()
        where a.status.isLive && a.supervision == .supervisedCarer && !delegated.contains(.contactSupervision) {
            out.append(error("The foster carers are down to supervise contact with \(c.describe(person: a.counterpart)), but supervising contact has not been delegated to them. Delegate it, or name another supervisor.",
                             at: "arrangements[\(i)].supervision"))
        }
        return out
    }
}
