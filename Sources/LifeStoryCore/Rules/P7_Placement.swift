import Foundation

/// P7 Placement: the plan has a current placement with its carers, so day one and the schedule can be worked out.
public enum P7Placement: Rule {
    public static let id = "P7"
    public static let summary = "The plan has a current placement (its start is day one) with named carers of the right kind."

    public static func check(_ c: RuleContext) -> [Finding] {
        guard let current = c.plan.currentPlacement, let i = c.plan.placements.firstIndex(of: current) else {
            return [error("The plan has no placement, so day one and the stages cannot be worked out. Add the placement and its start date.",
                          at: "placements")]
        }
        var out: [Finding] = []
        if current.carers.isEmpty {
            out.append(error("The current placement names no carers. Add them.", at: "placements[\(i)].carers"))
        }
        let expected: PersonRole = switch current.kind {
        case .adoptive: .adopter
        case .kinship: .kinshipCarer
        default: .fosterCarer
        }
        for (j, id) in current.carers.enumerated() {
            guard let p = c.plan.person(id), p.role != expected else { continue }
            // Fostering-for-adoption carers are approved as both; either role is right.
            if current.kind.isEarlyPermanence && p.role == .adopter { continue }
            out.append(warning("\(p.name.full) is a carer in this \(current.kind.rawValue.replacingOccurrences(of: "_", with: " ")) placement but is recorded as \(p.role.rawValue.replacingOccurrences(of: "_", with: " ")). Check the role.",
                               at: "placements[\(i)].carers[\(j)]"))
        }
        return out
    }
}
