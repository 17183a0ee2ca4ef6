import Foundation
import LifeStoryContent
import LifeStoryCore

/// What every builder needs, derived once: the plan, the guidance, the law, the date and the child's timeline.
struct GuideContext {
    let plan: Plan
    let library: ContentLibrary
    let law: LawBook
    let asOf: CalendarDate
    let audience: GuideAudience
    let timeline: Timeline?
    /// The child's own words for the placeholders, as this audience may see them.
    let values: [Placeholder: String]

    init(plan: Plan, library: ContentLibrary, law: LawBook, asOf: CalendarDate, audience: GuideAudience) {
        self.plan = plan
        self.library = library
        self.law = law
        self.asOf = asOf
        self.audience = audience
        timeline = law.jurisdiction(plan.child.jurisdiction).flatMap { Schedule.timeline(for: plan, law: $0, asOf: asOf) }
        var v = Placeholders.values(for: plan)
        if audience == .fosterCarer || audience == .birthRelative {
            // The name the birth family and foster carers know: never a new name.
            v[.childKnownAs] = plan.child.birthName.given
            v[.carersTerm] = nil
        }
        values = v
    }

    /// The child's name for this audience.
    var childName: String { values[.childKnownAs] ?? GuideBuilder.childName(plan, for: audience) }

    /// The plan's nation: guidance law is read for it and no other.
    var nation: JurisdictionCode { plan.child.jurisdiction }

    /// Guidance HTML for the plan's nation, with the child's words put in, escaped. Lines that point at a part this
    /// family's guide leaves out are left out too.
    func html(_ section: ContentSection?) -> String? {
        guard let section, !section.markdown(for: nation).isEmpty else { return nil }
        return Placeholders.render(section.html(for: nation, dropping: dropping), values: values, escape: Placeholders.escapeHTML)
    }

    /// Early permanence (fostering for adoption, concurrent planning): the stricter day-one rules apply.
    var isEarlyPermanence: Bool { plan.currentPlacement?.kind.isEarlyPermanence ?? false }

    /// Lines to leave out for this family: "use the stricter rules below" only where those rules are shown.
    var dropping: [String] { isEarlyPermanence ? [] : ["stricter rules below"] }

    /// The title of the day-one section with the stricter rules for early permanence carers.
    static let earlyPermanenceSection = "Early permanence and fostering for adoption"

    /// A phrasing with the child's words put in (escaped later by the template).
    func words(_ text: String) -> String { Placeholders.render(text, values: values) }

    /// People a phrasing may name only if the plan has them: never "your brothers and sisters" to an only child.
    static let personPlaceholders: Set<Placeholder> = [.birthMotherTerm, .birthFatherTerm, .siblingsNames, .fosterCarerTerm]

    /// Whether the child is adopted: an adoption order made, or the legal status says so.
    var isAdopted: Bool {
        plan.child.legalStatus == .adopted || plan.orders.contains { [.aca02Adoption, .scoAdoption].contains($0.type) && $0.madeOn <= asOf }
    }

    /// Whether a phrasing fits this family: every person it names is in the plan, and it speaks of adoption only
    /// once the child is adopted.
    func fits(_ phrasing: String) -> Bool {
        for name in Placeholders.names(in: phrasing) {
            if let p = Placeholder(rawValue: name), Self.personPlaceholders.contains(p), values[p] == nil { return false }
        }
        let lower = phrasing.lowercased()
        if !isAdopted && (lower.contains("adopted you") || lower.contains("we adopted") || lower.contains("your adoption")) { return false }
        return true
    }

    /// The phrasings of a guidance file that fit this family, with the child's words put in.
    func phrasings(_ item: ContentItem) -> [String] { item.phrasings.filter(fits).map(words) }

    func person(_ id: String) -> Person? { plan.person(id) }

    /// "Kelly (birth mother)": how a carer knows a birth relative.
    func describe(_ id: String) -> String {
        guard let p = plan.person(id) else { return "someone in the plan" }
        let role = p.relationship ?? CodeWords.inline(p.role.rawValue)
        return "\(p.termUsedByChild ?? p.name.given) (\(role))"
    }

    func explainer(for type: String, jurisdiction: JurisdictionCode) -> ContentItem? {
        library.items.first { item in
            if case .order(let types, let js) = item.details { return types.contains(type) && js.contains(jurisdiction) }
            return false
        }
    }

    /// Responders of a contingency as lines for a card, in the plan's order.
    func responderLines(_ k: Contingency) -> [ResponderLine] {
        k.responders.map { ResponderLine(name: $0.name, phone: $0.phone ?? "", when: $0.outOfHours ? "day and night" : "office hours") }
    }

    static let supportNote = "This guide supports, and does not replace, the advice of your social worker. If anything here seems to clash with what they have told you, ask them."
}
