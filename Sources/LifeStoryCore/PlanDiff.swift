import Foundation

/// One difference between two versions of a plan, in words a panel member reads.
public struct PlanChange: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable { case added, removed, changed }
    public var kind: Kind
    /// Where, in words: "Contact with Kelly Example (birth mother) › how often".
    public var place: String
    /// The archive path: `arrangements[a-letterbox].frequency.count`.
    public var path: String
    public var before: String?
    public var after: String?

    public var description: String {
        switch kind {
        case .added: "Added: \(place)\(after.map { ": \($0)" } ?? "")"
        case .removed: "Removed: \(place)\(before.map { " (was \($0))" } ?? "")"
        case .changed: "Changed: \(place): \(before ?? "nothing") → \(after ?? "nothing")"
        }
    }
}

/// Compares two plans field by field. Lists are matched by each element's id (or code, role, scenario), so a
/// reordered list is not a change and a change to one arrangement names that arrangement.
public enum PlanDiff {
    public static func between(_ old: Plan, _ new: Plan) -> [PlanChange] {
        guard let a = json(old), let b = json(new) else { return [] }
        var out: [PlanChange] = []
        walk(a, b, path: "", place: [], old: old, new: new, into: &out)
        return out.filter { !["version", "status"].contains($0.path) || $0.path == "status" }
    }

    static func json(_ plan: Plan) -> Any? {
        guard let data = try? JSONEncoder().encode(plan) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    /// Words for a field name: `dateOfBirth` -> "date of birth".
    static func words(_ key: String) -> String {
        let special = ["dayOne": "day one", "iro": "IRO", "adm": "decision maker", "madeOn": "date made",
                       "expiresOn": "expiry date", "inForce": "in force", "counterpart": "who with",
                       "frequency": "how often", "mode": "how", "heldBy": "whose account", "reviewBy": "review by",
                       "targetDate": "target date", "doneOn": "done on", "notApplicableReason": "why not applicable"]
        if let s = special[key] { return s }
        var out = ""
        for ch in key {
            if ch.isUppercase { out += " " + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    /// How an element of a list is named in a sentence.
    static func label(_ element: [String: Any], list: String, old: Plan, new: Plan) -> String {
        func person(_ id: Any?) -> String {
            guard let id = id as? String else { return "someone" }
            let p = new.person(id) ?? old.person(id)
            return p.map { "\($0.name.full) (\($0.relationship ?? $0.role.rawValue.replacingOccurrences(of: "_", with: " ")))" } ?? id
        }
        switch list {
        case "people": return person(element["id"])
        case "arrangements":
            let mode = (element["mode"] as? String).flatMap(ContactMode.init(rawValue:))?.plain ?? "contact"
            return "contact with \(person(element["counterpart"])) by \(mode)"
        case "orders":
            let t = (element["type"] as? String).flatMap(OrderType.init(rawValue:))?.shortName ?? "order"
            return "the \(t) made on \(element["madeOn"] as? String ?? "?")"
        case "contingencies":
            let s = (element["scenario"] as? String).flatMap(Scenario.init(rawValue:))
            return s.map { "the plan for \($0.rawValue) (\($0.title.lowercased()))" } ?? "a contingency"
        case "stages": return "stage \(element["code"] as? String ?? "?")"
        case "items": return "'\(element["title"] as? String ?? "an item")'"
        case "signOffs": return "the sign-off of \((element["role"] as? String).flatMap(SignOffRole.init(rawValue:))?.plain ?? "someone")"
        case "reviews": return "the review due \(element["dueOn"] as? String ?? "?")"
        case "placements": return "the \((element["kind"] as? String ?? "").replacingOccurrences(of: "_", with: " ")) placement from \(element["startDate"] as? String ?? "?")"
        case "riskAssessments": return "the risk assessment of \(element["assessedOn"] as? String ?? "?")"
        case "incidents": return "the incident of \(element["occurredOn"] as? String ?? "?")"
        default: return (element["id"] as? String) ?? words(list)
        }
    }

    static func key(_ element: Any) -> String? {
        guard let d = element as? [String: Any] else { return nil }
        for k in ["id", "code", "scenario"] { if let v = d[k] as? String { return v } }
        if let role = d["role"] as? String, d["signedOn"] != nil { return role }
        return nil
    }

    static func render(_ value: Any) -> String {
        switch value {
        case let s as String: return s
        case let b as Bool where "\(type(of: value))".contains("Bool"):
            return b ? "yes" : "no"
        case let n as NSNumber:
            return n.stringValue
        case let a as [Any]: return a.isEmpty ? "none" : a.map(render).joined(separator: ", ")
        case let d as [String: Any]:
            if let kind = (d["kind"] as? String).flatMap(FrequencyKind.init(rawValue:)), d.keys.allSatisfy(["kind", "count", "per"].contains) {
                return Frequency(kind: kind, count: d["count"] as? Int, per: (d["per"] as? String).flatMap(FrequencyPeriod.init(rawValue:))).plain
            }
            if let given = d["given"] as? String, d.keys.allSatisfy(["given", "family"].contains) {
                return [given, d["family"] as? String].compactMap { $0 }.joined(separator: " ")
            }
            return d.keys.sorted().map { "\(words($0)): \(render(d[$0]!))" }.joined(separator: "; ")
        default: return "\(value)"
        }
    }

    /// An object with no identity and only plain values.
    static func isValue(_ d: [String: Any]) -> Bool {
        key(d) == nil && d.count <= 3 && d.values.allSatisfy { !($0 is [Any]) && !($0 is [String: Any]) }
    }

    static func walk(_ a: Any?, _ b: Any?, path: String, place: [String], old: Plan, new: Plan, into out: inout [PlanChange]) {
        let placeText = place.isEmpty ? "the plan" : place.joined(separator: " › ")
        switch (a, b) {
        case (nil, nil): return
        case (nil, let b?):
            out.append(PlanChange(kind: .added, place: placeText, path: path, before: nil, after: render(b)))
        case (let a?, nil):
            out.append(PlanChange(kind: .removed, place: placeText, path: path, before: render(a), after: nil))
        case (let da as [String: Any], let db as [String: Any]) where isValue(da) && isValue(db):
            // A small value (a frequency, a name) changes as a whole: "twice a year → 4 times a year".
            let ra = render(da), rb = render(db)
            if ra != rb { out.append(PlanChange(kind: .changed, place: placeText, path: path, before: ra, after: rb)) }
        case (let da as [String: Any], let db as [String: Any]):
            for k in Set(da.keys).union(db.keys).sorted() {
                walk(da[k], db[k], path: path.isEmpty ? k : "\(path).\(k)", place: place + [words(k)], old: old, new: new, into: &out)
            }
        case (let la as [Any], let lb as [Any]):
            let listName = path.split(separator: ".").last.map { String($0.split(separator: "[").first ?? "") } ?? path
            if la.allSatisfy({ key($0) != nil }) && lb.allSatisfy({ key($0) != nil }) && !(la.isEmpty && lb.isEmpty) {
                let ka = Dictionary(la.map { (key($0)!, $0) }, uniquingKeysWith: { x, _ in x })
                let kb = Dictionary(lb.map { (key($0)!, $0) }, uniquingKeysWith: { x, _ in x })
                let order = la.compactMap(key) + lb.compactMap(key).filter { ka[$0] == nil }
                for k in order {
                    let element = (kb[k] ?? ka[k]) as? [String: Any] ?? [:]
                    let name = label(element, list: listName, old: old, new: new)
                    let p = "\(path)[\(k)]"
                    switch (ka[k], kb[k]) {
                    case (nil, _?): out.append(PlanChange(kind: .added, place: (place.dropLast() + [name]).joined(separator: " › "), path: p, before: nil, after: nil))
                    case (_?, nil): out.append(PlanChange(kind: .removed, place: (place.dropLast() + [name]).joined(separator: " › "), path: p, before: nil, after: nil))
                    default: walk(ka[k], kb[k], path: p, place: Array(place.dropLast()) + [name], old: old, new: new, into: &out)
                    }
                }
            } else if render(la) != render(lb) {
                out.append(PlanChange(kind: .changed, place: placeText, path: path, before: render(la), after: render(lb)))
            }
        default:
            let ra = render(a!), rb = render(b!)
            if ra != rb { out.append(PlanChange(kind: .changed, place: placeText, path: path, before: ra, after: rb)) }
        }
    }
}
