import Foundation

/// P10 Life-story book: a child placed for adoption has their life-story book by the second review.
public enum P10LifeStoryBook: Rule {
    public static let id = "P10"
    public static let summary = "A child placed for adoption is given their life-story book by the second review."

    public static func check(_ c: RuleContext) -> [Finding] {
        guard let kind = c.plan.currentPlacement?.kind, kind == .adoptive || kind.isEarlyPermanence,
              c.plan.lifeStory.bookGivenOn == nil,
              let due = c.timeline?.reviewPoints.first(where: { $0.kind == .lifeStoryBook })?.date, due < c.asOf
        else { return [] }
        return [warning("\(c.childName)'s life-story book should have been given by the second review (\(due.long)). Record when it was given, or plan it now.",
                        at: "lifeStory.bookGivenOn")]
    }
}
