import Foundation

/// P12 Supervision for risk: face-to-face contact with someone who has risk flags recorded is supervised or
/// supported, unless the risk assessment says otherwise.
public enum P12SupervisionForRisk: Rule {
    public static let id = "P12"
    public static let summary = "Face-to-face contact with a person who has risk flags is supervised or supported."

    public static func check(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in c.plan.arrangements.enumerated() where a.status.isLive {
            guard let p = c.plan.person(a.counterpart), !p.riskFlags.isEmpty else { continue }
            let faceToFace: Set<ContactMode> = [.directSupervised, .directSupported, .directUnsupervised]
            guard faceToFace.contains(a.mode) else { continue }
            if a.mode == .directUnsupervised || a.supervision == .none {
                out.append(warning("\(c.describe(person: p.id)) has risk flags recorded, but meetings with them are not supervised or supported. Check the risk assessment supports this, or add supervision.",
                                   at: "arrangements[\(i)].supervision"))
            }
        }
        return out
    }
}
