import Foundation

/// P1 References: every reference to a person, order or contingency points to one that is in the plan.
public enum P1References: Rule {
    public static let id = "P1"
    public static let summary = "Every person, order and contingency the plan refers to exists in the plan (arrangement counterparts, named persons, carers, responders)."

    public static func check(_ c: RuleContext) -> [Finding] {
        let plan = c.plan
        let people = Set(plan.people.map(\.id))
        let orders = Set(plan.orders.map(\.id))
        let contingencies = Set(plan.contingencies.map(\.id))
        var out: [Finding] = []
        func person(_ id: String?, _ path: String, _ what: String) {
            guard let id, !people.contains(id) else { return }
            out.append(error("\(what) refers to person '\(id)', who is not among the plan's people. Add them, or correct the reference.", at: path))
        }
        func order(_ id: String?, _ path: String, _ what: String) {
            guard let id, !orders.contains(id) else { return }
            out.append(error("\(what) refers to order '\(id)', which is not in the plan's orders register.", at: path))
        }
        for (i, a) in plan.arrangements.enumerated() {
            person(a.counterpart, "arrangements[\(i)].counterpart", "A contact arrangement")
            person(a.intermediary, "arrangements[\(i)].intermediary", "A contact arrangement's go-between")
            order(a.orderRef, "arrangements[\(i)].orderRef", "A contact arrangement")
        }
        for (i, o) in plan.orders.enumerated() {
            for (j, p) in o.namedPersons.enumerated() { person(p, "orders[\(i)].namedPersons[\(j)]", "The \(o.type.shortName)") }
            order(o.supersedes, "orders[\(i)].supersedes", "The \(o.type.shortName)")
        }
        for (i, k) in plan.contingencies.enumerated() {
            for (j, p) in k.namedPersons.enumerated() { person(p, "contingencies[\(i)].namedPersons[\(j)]", "The card for when \(k.scenario.title.prefix(1).lowercased() + k.scenario.title.dropFirst())") }
            for (j, o) in k.linkedOrders.enumerated() { order(o, "contingencies[\(i)].linkedOrders[\(j)]", "The card for when \(k.scenario.title.prefix(1).lowercased() + k.scenario.title.dropFirst())") }
            for (j, r) in k.responders.enumerated() { person(r.personRef, "contingencies[\(i)].responders[\(j)].personRef", "A responder") }
        }
        for (i, p) in plan.placements.enumerated() {
            for (j, carer) in p.carers.enumerated() { person(carer, "placements[\(i)].carers[\(j)]", "A placement") }
        }
        for (i, inc) in plan.incidents.enumerated() {
            if let ref = inc.contingencyRef, !contingencies.contains(ref) {
                out.append(error("An incident refers to contingency '\(ref)', which is not in the plan.", at: "incidents[\(i)].contingencyRef"))
            }
            for (j, p) in inc.personsInvolved.enumerated() { person(p, "incidents[\(i)].personsInvolved[\(j)]", "An incident") }
        }
        person(plan.views.child?.personRef, "views.child.personRef", "The child's view")
        person(plan.views.adopters?.personRef, "views.adopters.personRef", "The adopters' view")
        for (i, v) in plan.views.birthRelatives.enumerated() {
            person(v.personRef, "views.birthRelatives[\(i)].personRef", "A birth relative's view")
        }
        return out
    }
}
