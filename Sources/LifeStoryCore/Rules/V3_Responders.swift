import Foundation

/// V3 Responders: every applicable contingency names at least one responder and an out-of-hours route.
public enum V3Responders: Rule {
    public static let id = "V3"
    public static let summary = "Every contingency names at least one responder and an out-of-hours route."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, k) in c.plan.contingencies.enumerated() where k.applicable {
            let named = k.responders.filter { !$0.name.trimmingCharacters(in: .whitespaces).isEmpty }
            if named.isEmpty {
                out.append(error("The plan for \(k.scenario.rawValue) (\(k.scenario.title.lowercased())) names no one to call. Add at least one named person or service.",
                                 at: "contingencies[\(i)].responders"))
            }
            if !named.contains(where: \.outOfHours) {
                out.append(error("The plan for \(k.scenario.rawValue) (\(k.scenario.title.lowercased())) has no out-of-hours route. Add the emergency duty team or another service that answers evenings and weekends.",
                                 at: "contingencies[\(i)].responders"))
            }
        }
        return out
    }
}
