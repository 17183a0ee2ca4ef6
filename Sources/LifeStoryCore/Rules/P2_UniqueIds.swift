import Foundation

/// P2 Unique ids: ids are unique within the plan, so every reference means one thing.
public enum P2UniqueIds: Rule {
    public static let id = "P2"
    public static let summary = "Ids are unique: people, orders, arrangements, stage items, contingencies, conditions and the rest."

    public static func check(_ c: RuleContext) -> [Finding] {
        let p = c.plan
        var out: [Finding] = []
        func unique(_ ids: [(String, String)], _ what: String) {
            var seen = Set<String>()
            for (id, path) in ids where !seen.insert(id).inserted {
                out.append(error("The id '\(id)' is used by more than one \(what). Give each its own id.", at: path))
            }
        }
        unique(p.people.enumerated().map { ($1.id, "people[\($0)].id") }, "person")
        unique(p.placements.enumerated().map { ($1.id, "placements[\($0)].id") }, "placement")
        unique(p.orders.enumerated().map { ($1.id, "orders[\($0)].id") }, "order")
        unique(p.arrangements.enumerated().map { ($1.id, "arrangements[\($0)].id") }, "arrangement")
        unique(p.contingencies.enumerated().map { ($1.id, "contingencies[\($0)].id") }, "contingency")
        unique(p.riskAssessments.enumerated().map { ($1.id, "riskAssessments[\($0)].id") }, "risk assessment")
        unique(p.reviews.enumerated().map { ($1.id, "reviews[\($0)].id") }, "review")
        unique(p.incidents.enumerated().map { ($1.id, "incidents[\($0)].id") }, "incident")
        unique(p.stages.enumerated().map { ($1.code.rawValue, "stages[\($0)].code") }, "stage")
        unique(p.stages.enumerated().flatMap { i, s in s.items.enumerated().map { ($1.id, "stages[\(i)].items[\($0)].id") } },
               "stage item")
        let conditions = p.orders.enumerated().flatMap { i, o in o.conditions.enumerated().map { ($1.id, "orders[\(i)].conditions[\($0)].id") } }
            + p.arrangements.enumerated().flatMap { i, a in a.conditions.enumerated().map { ($1.id, "arrangements[\(i)].conditions[\($0)].id") } }
        unique(conditions, "condition")
        return out
    }
}
