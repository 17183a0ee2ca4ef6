import Foundation

/// V4 Stage reviews: each stage's review-by date is no later than the stage's end or six months after its last
/// review, and the mandatory triggers (the move to secondary school, 30 days before the 13th birthday, 16, 17½,
/// 18) each have a review on or before them.
public enum V4StageReviews: Rule {
    public static let id = "V4"
    public static let summary = "Stage review dates fall by the stage's end and within 6 months of the last review; the move to secondary school, 13th birthday minus 30 days, 16, 17½ and 18 each have a review."

    /// How far ahead a missing trigger review is an error.
    static let horizonMonths = 12
    /// A review counts for a trigger if it falls in the 90 days up to it.
    static let leadDays = 90

    public static func check(_ c: RuleContext) -> [Finding] {
        guard let t = c.timeline else { return [] }
        var out: [Finding] = []
        for (i, stage) in c.plan.stages.enumerated() {
            guard let window = t.window(stage.code) else { continue }
            if let reviewBy = stage.reviewBy, reviewBy > window.reviewBy {
                out.append(error(
                    "Stage \(stage.code.rawValue) (\(stage.code.title.lowercased())) is set for review by \(reviewBy.long), but it must be reviewed by \(window.reviewBy.long): before the stage ends and within 6 months of its last review.",
                    at: "stages[\(i)].reviewBy"))
            }
            if window.status == .current && stage.reviewBy == nil && stage.status != .done {
                out.append(warning("Stage \(stage.code.rawValue) is the current stage but has no review date. Set one on or before \(window.reviewBy.long).",
                                   at: "stages[\(i)].reviewBy"))
            }
        }
        let horizon = c.asOf.adding(months: horizonMonths)
        for point in t.reviewPoints where point.kind.isMandatoryStageTrigger && point.date <= horizon {
            let from = point.date.adding(days: -leadDays)
            let reviews = c.plan.reviews.filter { from <= $0.date && $0.date <= point.date }
            let stageDates = c.plan.stages.flatMap { [$0.reviewBy, $0.lastReviewedOn].compactMap { $0 } }
            let covered = !reviews.isEmpty || stageDates.contains { from <= $0 && $0 <= point.date }
            if covered { continue }
            if point.date < c.asOf {
                out.append(warning("No review was recorded for \(point.label) (\(point.date.long)). Record it if it was held, or hold one now.",
                                   at: "reviews"))
            } else {
                out.append(error("A review is required for \(point.label) (\(point.date.long)) and none is planned. Add a review between \(from.long) and \(point.date.long).",
                                 at: "reviews"))
            }
        }
        return out
    }
}
