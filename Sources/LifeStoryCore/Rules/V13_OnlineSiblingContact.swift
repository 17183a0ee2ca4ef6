import Foundation

/// V13 Online sibling contact: both children must pass the age gate of V1, and the sibling's carers must consent
/// (unless the sibling is an adult).
public enum V13OnlineSiblingContact: Rule {
    public static let id = "V13"
    public static let summary = "Online contact between siblings needs both children old enough for the platform and the consent of the sibling's carers."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in c.plan.arrangements.enumerated() where a.status.isLive && a.mode.isOnline && a.mode != .letterboxDigital {
            guard let sibling = c.plan.person(a.counterpart), sibling.role == .sibling else { continue }
            let name = c.describe(person: sibling.id)
            let adult = sibling.dateOfBirth.map { $0.age(on: a.start) >= 18 } ?? false
            if sibling.carerConsentToOnlineContact == nil && !adult {
                out.append(error("Online contact with \(name) needs the consent of their carers. Record who consented and when.",
                                 at: "arrangements[\(i)].counterpart"))
            }
            guard a.mode.isAccountBased else { continue }
            guard let dob = sibling.dateOfBirth else {
                out.append(error("Record \(name)'s date of birth, so their age can be checked for \(a.mode.plain).",
                                 at: "arrangements[\(i)].counterpart"))
                continue
            }
            if let gate = c.ageGate(platform: a.platform, on: a.start), dob.age(on: a.start) < gate.age {
                out.append(error("\(name) would be \(dob.age(on: a.start)) on \(a.start.long), under \(gate.reason). Start on \(dob.birthday(gate.age).long) or later, or use a moderated route such as supervised video calls.",
                                 at: "arrangements[\(i)].start"))
            }
        }
        return out
    }
}
