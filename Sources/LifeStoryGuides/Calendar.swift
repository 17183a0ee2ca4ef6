import Crypto
import Foundation
import LifeStoryCore

/// The child's milestones and review dates as an iCalendar file adopters can import. Event text is generic: no
/// names, places or other identifying data.
public enum GuideCalendar {
    public static func ics(_ plan: Plan, law: LawBook, asOf: CalendarDate) -> String {
        guard let j = law.jurisdiction(plan.child.jurisdiction), let t = Schedule.timeline(for: plan, law: j, asOf: asOf) else {
            return wrap([])
        }
        var events: [(CalendarDate, String, String)] = []
        for p in t.reviewPoints where p.date >= asOf {
            let summary: String = switch p.kind {
            case .placementReview: "Review meeting (\(p.label))"
            case .secondaryTransfer: "Review before \(p.label)"
            case .before13: "Review: 30 days before the 13th birthday"
            case .age16: "Review: 16th birthday"
            case .age17Half: "Review: age 17 and a half"
            case .age18: "18th birthday: contact orders end"
            case .recordsAccess: "Birth records can be requested from now"
            case .lifeStoryBook: "Life-story book due"
            }
            events.append((p.date, summary, "From the family's Lifestory plan. Talk to your social worker about what to prepare."))
        }
        for w in t.stages where w.start >= asOf && w.code != .d0 {
            events.append((w.start, "New stage: \(w.code.title.lowercased())", "The family guide has a new section for this age. Download the latest guide."))
        }
        let names = nameWords(plan)
        for c in t.conversations where c.status == .planned && c.target >= asOf {
            events.append((c.target, talkAbout(c.title, names: names), "See the family guide for what to talk about and the words to use."))
        }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        let stamp = asOf.iso.replacingOccurrences(of: "-", with: "") + "T000000Z"
        let lines = events.map { date, summary, description -> [String] in
            let d = date.iso.replacingOccurrences(of: "-", with: "")
            let uid = SHA256.hash(data: Data("\(plan.id)|\(d)|\(summary)".utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
            return ["BEGIN:VEVENT", "UID:\(uid)@lifestory", "DTSTAMP:\(stamp)", "DTSTART;VALUE=DATE:\(d)",
                    "SUMMARY:\(escape(summary))", "DESCRIPTION:\(escape(description))", "TRANSP:TRANSPARENT", "END:VEVENT"]
        }
        return wrap(lines.flatMap { $0 })
    }

    /// Every word of every name in the plan (the child's, the people's, what the child calls them), folded.
    static func nameWords(_ plan: Plan) -> Set<String> {
        var names = [plan.child.knownAs, plan.child.birthName.given, plan.child.birthName.family ?? "", plan.child.currentName?.given ?? "",
                     plan.child.currentName?.family ?? "", plan.child.pseudonym]
        for p in plan.people { names += [p.name.given, p.name.family ?? "", p.termUsedByChild ?? ""] }
        return Set(names.flatMap { $0.lowercased().split { !$0.isLetter } }.map(String.init).filter { $0.count > 1 })
    }

    /// "Talk about: planning the first phone": what to do, in the plan's own words, unless they name anyone; then
    /// the words say only that a conversation is planned.
    static func talkAbout(_ title: String, names: Set<String>) -> String {
        let words = Set(title.lowercased().split { !$0.isLetter }.map(String.init))
        guard words.isDisjoint(with: names), !title.isEmpty else { return "Talk about: the next conversation in your guide" }
        return "Talk about: " + title.prefix(1).lowercased() + title.dropFirst()
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func wrap(_ body: [String]) -> String {
        let all = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Lifestory//Family calendar//EN", "CALSCALE:GREGORIAN",
                   "X-WR-CALNAME:Family plan dates"] + body + ["END:VCALENDAR"]
        return all.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Folds lines longer than 75 octets (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        var out = "", current = ""
        for ch in line {
            if (current + String(ch)).utf8.count > 75 {
                out += current + "\r\n "
                current = ""
            }
            current.append(ch)
        }
        return out + current
    }
}
