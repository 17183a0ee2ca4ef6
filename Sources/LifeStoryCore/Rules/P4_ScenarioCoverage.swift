import Foundation

/// P4 Scenario coverage: the plan covers each of C1-C10, or marks it not applicable with a reason
/// (DOMAIN.md §4.1 item 5). C11-C15 are recommended.
public enum P4ScenarioCoverage: Rule {
    public static let id = "P4"
    public static let summary = "Scenarios C1-C10 are each covered, or marked not applicable with a reason; C11-C15 are recommended."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for scenario in Scenario.allCases {
            let entries = c.plan.contingencies.filter { $0.scenario == scenario }
            if entries.isEmpty {
                let message = "There is no plan for when \(scenario.title.lowercased()). Add one, or mark it not applicable and say why."
                out.append(Scenario.core.contains(scenario) ? error(message, at: "contingencies")
                                                            : warning(message, at: "contingencies"))
            }
        }
        for (i, k) in c.plan.contingencies.enumerated()
        where !k.applicable && (k.notApplicableReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            out.append(error("The card for when \(k.scenario.title.prefix(1).lowercased() + k.scenario.title.dropFirst()) is marked not applicable without a reason. Say why it does not apply to \(c.childName).",
                             at: "contingencies[\(i)].notApplicableReason"))
        }
        return out
    }
}
