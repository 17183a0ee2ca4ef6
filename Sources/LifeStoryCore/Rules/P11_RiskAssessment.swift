import Foundation

/// P11 Risk assessment: a plan with birth-family contact has a risk assessment from the last 12 months.
public enum P11RiskAssessment: Rule {
    public static let id = "P11"
    public static let summary = "A plan with contact arrangements has a risk assessment from the last 12 months."

    public static func check(_ c: RuleContext) -> [Finding] {
        guard c.plan.arrangements.contains(where: { $0.status.isLive }) else { return [] }
        guard let latest = c.plan.riskAssessments.map(\.assessedOn).max() else {
            return [warning("The plan has contact arrangements but no risk assessment. Assess the birth relatives' online reach, past breaches, what they know and \(c.childName)'s vulnerabilities.",
                            at: "riskAssessments")]
        }
        if latest.adding(months: 12) <= c.asOf {
            return [warning("The latest risk assessment is from \(latest.long), more than a year ago. Review it.", at: "riskAssessments")]
        }
        return []
    }
}
