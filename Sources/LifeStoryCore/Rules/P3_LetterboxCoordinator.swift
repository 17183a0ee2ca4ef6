import Foundation

/// P3 Letterbox coordinator: every letterbox arrangement names the coordinator who reads and passes on letters.
public enum P3LetterboxCoordinator: Rule {
    public static let id = "P3"
    public static let summary = "Every letterbox arrangement names its coordinator."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in c.plan.arrangements.enumerated() where a.mode.isLetterbox && a.status.isLive {
            guard let ref = a.intermediary else {
                out.append(error("The letterbox arrangement with \(c.describe(person: a.counterpart)) does not name its coordinator: the person or team who reads letters before passing them on. Add them.",
                                 at: "arrangements[\(i)].intermediary"))
                continue
            }
            if let p = c.plan.person(ref), p.role != .letterboxCoordinator && p.role != .adoptionSupport {
                out.append(warning("The letterbox go-between is recorded as \(p.role.rawValue.replacingOccurrences(of: "_", with: " ")), not a letterbox coordinator. Check this is right.",
                                   at: "arrangements[\(i)].intermediary"))
            }
        }
        return out
    }
}
