import Foundation

/// P9 Overdue and incomplete: planned items past their date, reviews past due and not held, items marked done
/// without a date or skipped without a reason.
public enum P9Overdue: Rule {
    public static let id = "P9"
    public static let summary = "Nothing is overdue: planned items past their date, reviews past due, items done without a date or skipped without a reason."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        if let t = c.timeline {
            for item in t.conversations where item.overdue {
                guard let path = c.path(ofItem: item.itemId) else { continue }
                out.append(warning("'\(item.title)' was due on \(item.target.long). Record it as done, or give it a new date.",
                                   at: "\(path).targetDate"))
            }
        }
        for (i, r) in c.plan.reviews.enumerated() where r.heldOn == nil && r.dueOn < c.asOf {
            out.append(warning("A \(r.kind.rawValue.replacingOccurrences(of: "_", with: " ")) was due on \(r.dueOn.long) and is not recorded as held.",
                               at: "reviews[\(i)].heldOn"))
        }
        for (i, s) in c.plan.stages.enumerated() {
            for (j, item) in s.items.enumerated() {
                if item.status == .done && item.doneOn == nil {
                    out.append(warning("'\(item.title)' is marked done without a date. Add when it happened.", at: "stages[\(i)].items[\(j)].doneOn"))
                }
                if item.status == .skipped && (item.skippedReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                    out.append(warning("'\(item.title)' was skipped without a reason. Say why.", at: "stages[\(i)].items[\(j)].skippedReason"))
                }
            }
        }
        return out
    }
}
