import Foundation

/// V1 Age gates: a child-held social media or messaging account must not start while the child is under the
/// platform's minimum age or the digital age of consent in force on that date. Carer-held accounts are not gated.
public enum V1AgeGates: Rule {
    public static let id = "V1"
    public static let summary = "A child-held social media or messaging account may not start before the platform's minimum age or the digital age of consent then in force."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in c.plan.arrangements.enumerated()
        where a.status.isLive && a.mode.isAccountBased && a.heldBy == .child {
            out += gate(c, platform: a.platform, start: a.start, path: "arrangements[\(i)]",
                        what: "contact by \(a.mode.plain) with \(c.describe(person: a.counterpart))")
        }
        for (code, item) in c.plan.stageItems where item.status != .skipped {
            guard let account = item.account, account.heldBy == .child, let path = c.path(ofItem: item.id) else { continue }
            let date = item.doneOn ?? item.targetDate
                ?? c.timeline?.conversations.first { $0.itemId == item.id }?.target
            guard let date else { continue }
            out += gate(c, platform: account.platform, start: date, path: path,
                        what: "the \(code.title.lowercased()) stage's item '\(item.title)'")
        }
        return out
    }

    static func gate(_ c: RuleContext, platform: String?, start: CalendarDate, path: String, what: String) -> [Finding] {
        var out: [Finding] = []
        if platform == nil || platform?.isEmpty == true {
            out.append(warning("Name the platform for \(what), so that its minimum age can be checked.",
                               at: "\(path).platform"))
        } else if let platform, c.law.platform(named: platform) == nil {
            out.append(warning("There is no age rule for '\(platform)' in the law data. Check its minimum age by hand, or ask the practice lead to add it to Content/platforms.",
                               at: path.contains("items") ? "\(path).account.platform" : "\(path).platform"))
        }
        // Announced, not yet law: a warning while it is expected, so the plan is ready when it comes.
        if let platform, let rule = c.law.platform(named: platform), rule.jurisdictions.contains(c.plan.child.jurisdiction),
           let announced = rule.announced, let expected = announced.expectedFrom, start >= expected,
           c.plan.child.dateOfBirth.age(on: start) < announced.age, rule.restrictionInForce(on: start) == nil {
            let age = c.plan.child.dateOfBirth.age(on: start)
            out.append(warning(
                "\(c.childName) would be \(age) on \(start.long), when \(what) starts. The government has announced \(announced.what), expected from \(expected.long). It is not law yet, but plan for it: start on \(c.plan.child.dateOfBirth.birthday(announced.age).long) or later, make the account carer-held, or keep this under review.",
                at: path.contains("items") ? "\(path).targetDate" : "\(path).start"))
        }
        guard let gate = c.ageGate(platform: platform, on: start) else { return out }
        let dob = c.plan.child.dateOfBirth
        let age = dob.age(on: start)
        if age < gate.age {
            let field = path.contains("items") ? "\(path).targetDate" : "\(path).start"
            out.append(error(
                "\(c.childName) would be \(age) on \(start.long), when \(what) starts, but \(gate.reason) applies then. Move the start to \(dob.birthday(gate.age).long) or later, or make the account carer-held.",
                at: field))
        }
        return out
    }
}
