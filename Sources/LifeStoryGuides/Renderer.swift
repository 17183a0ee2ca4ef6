import Crypto
import Foundation
import LifeStoryContent
import LifeStoryCore
import Mustache

/// Guides to HTML: one HTML for the screen, the browser's print and the PDF.
public struct GuideRenderer: Sendable {
    let template: MustacheTemplate
    let css: String

    public init() throws {
        guard let t = Bundle.module.url(forResource: "guide", withExtension: "mustache"),
              let c = Bundle.module.url(forResource: "guide", withExtension: "css") else {
            throw GuideError.missingContent("guide template (the LifeStoryGuides bundle is incomplete)")
        }
        template = try MustacheTemplate(string: String(contentsOf: t, encoding: .utf8))
        css = try String(contentsOf: c, encoding: .utf8)
    }

    /// Renders a guide. Every value from the plan goes through the template's escaping; only guidance HTML
    /// (escaped at source) goes in as it is.
    public func html(_ guide: Guide, agency: String) -> String {
        template.render(Self.model(guide, agency: agency, css: css))
    }

    /// A string safe inside a double-quoted CSS string in a style element: only letters, digits and spaces stay;
    /// everything else becomes a CSS hex escape.
    static func cssString(_ s: String) -> String {
        s.unicodeScalars.map { u in
            (u.properties.isAlphabetic && u.isASCII) || ("0"..."9").contains(Character(u)) || u == " "
                ? String(u) : "\\" + String(u.value, radix: 16) + " "
        }.joined()
    }

    /// One block as the templates draw it (the guide's, and the web app's pages of a guide).
    public static func blockModel(_ b: GuideBlock) -> [String: Any] { block(b) }

    static func block(_ b: GuideBlock) -> [String: Any] {
            switch b {
            case .heading(let t): return ["isHeading": true, "text": t]
            case .paragraph(let t): return ["isParagraph": true, "text": t]
            case .note(let t): return ["isNote": true, "text": t]
            case .html(let h): return ["isHTML": true, "html": h]
            case .list(let items): return ["isList": true, "items": items]
            case .lines(let items): return ["isLines": true, "items": items]
            case .phrasings(let items): return ["isPhrasings": true, "items": items]
            case .checklist(let items): return ["isChecklist": true, "items": items]
            case .facts(let pairs): return ["isFacts": true, "facts": pairs.map { ["label": $0.0, "value": $0.1] }]
            case .table(let headers, let rows):
                return ["isTable": true, "headers": headers, "rows": rows.map { ["cells": $0] }]
            case .card(let c):
                return ["isCard": true, "title": c.title, "level": c.level,
                        "levelClass": c.levelClass, "timing": c.timing, "hasTiming": !c.timing.isEmpty, "stepsHTML": c.stepsHTML,
                        "hasResponders": !c.responders.isEmpty,
                        "responders": c.responders.map { ["name": $0.name, "phone": $0.phone, "when": $0.when, "tel": telURI($0.phone)] },
                        "hasSay": !c.sayToChild.isEmpty, "sayToChild": c.sayToChild]
            }
    }

    /// A phone number as a `tel:` address (digits and a leading +), or "" when it is not a number one can dial.
    static func telURI(_ phone: String) -> String {
        var out = ""
        for (i, ch) in phone.enumerated() {
            if ch.isASCII && ch.isNumber { out.append(ch) } else if ch == "+" && i == 0 { out.append(ch) }
        }
        return out.filter(\.isNumber).count >= 3 ? out : ""
    }

    static func model(_ g: Guide, agency: String, css: String) -> [String: Any] {
        return [
            "title": g.title, "cssTitle": cssString(g.title), "subtitle": g.subtitle, "note": g.note, "agency": agency, "asOf": g.asOf.long,
            "audience": g.audience.rawValue, "easyRead": g.easyRead, "compact": g.compact,
            // The panel's first page is the decision: no contents page before it.
            "showToc": !g.compact && g.audience != .panel,
            "editionDate": CalendarDate(iso: String(g.contentEdition.prefix(10)))?.long ?? g.contentEdition, "showPlan": g.audience != .birthRelative, "planID": g.planID,
            "planRevision": g.planRevision, "contentEdition": g.contentEdition, "css": css,
            "toc": g.sections.map { ["id": $0.id, "title": $0.title] },
            "sections": g.sections.map { s in ["id": s.id, "title": s.title, "blocks": s.blocks.map(block)] as [String: Any] },
        ]
    }
}

/// A guide that passed the protected-token scan and may be issued.
public struct ReleasedGuide: Sendable {
    public var guide: Guide
    public var html: String
    public var sha256: String
    /// How many protected tokens the text was checked against.
    public var tokensChecked: Int
}

public enum GuideRelease {
    /// Whether anything in a plan is hidden from this audience at all: adopters and panels read the whole plan.
    public static func hidesAnything(from audience: GuideAudience) -> Bool {
        switch audience {
        case .birthRelative, .fosterCarer: true
        case .adopter, .panel: false
        }
    }

    /// The protected tokens a document for this audience must not contain.
    public static func tokens(for audience: GuideAudience, plan: Plan) -> [ProtectedToken] {
        switch audience {
        case .birthRelative: ProtectedTokens.of(plan)
        case .fosterCarer: ProtectedTokens.forFosterCarer(plan)
        case .adopter, .panel: []
        }
    }

    /// Text with tags left in (so attribute values are scanned too) and entities decoded.
    public static func scannable(_ html: String) -> String {
        // One pass over the bytes (nine replacingOccurrences over a whole guide took about 30 ms).
        let entities: [(bytes: [UInt8], char: String)] = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"),
                                                           ("&ldquo;", "\u{201C}"), ("&rdquo;", "\u{201D}"), ("&nbsp;", " "), ("&amp;", "&")]
            .map { (Array($0.0.utf8), $0.1) }
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        outer: while i < bytes.count {
            if bytes[i] == 0x26 {  // &
                for e in entities where i + e.bytes.count <= bytes.count && bytes[i..<(i + e.bytes.count)].elementsEqual(e.bytes) {
                    out += Array(e.char.utf8)
                    i += e.bytes.count
                    continue outer
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Scans rendered text. Throws `GuideError.leak` naming the fields when a protected token is present.
    public static func scan(_ text: String, audience: GuideAudience, plan: Plan) throws -> Int {
        let tokens = tokens(for: audience, plan: plan)
        // Nothing is hidden from this reader (adopters, the panel): nothing to look for.
        if tokens.isEmpty { return 0 }
        let leaks = ProtectedTokens.scan(scannable(text), for: tokens)
        if !leaks.isEmpty { throw GuideError.leak(audience: audience.rawValue, fields: leaks.map(\.field)) }
        return tokens.count
    }

    public static func release(_ guide: Guide, plan: Plan, renderer: GuideRenderer) throws -> ReleasedGuide {
        let html = renderer.html(guide, agency: plan.agency.name)
        let checked = try scan(html, audience: guide.audience, plan: plan)
        let hash = SHA256.hash(data: Data(html.utf8)).map { String(format: "%02x", $0) }.joined()
        return ReleasedGuide(guide: guide, html: html, sha256: hash, tokensChecked: checked)
    }
}

/// Builds guides for one plan.
public enum GuideBuilder {
    /// The child's name as this reader knows it: adopters, panels and staff use the name the child is known by at
    /// home; foster carers and birth relatives the birth name they have always known (never a new name).
    public static func childName(_ plan: Plan, for audience: GuideAudience) -> String {
        switch audience {
        case .adopter, .panel: plan.child.knownAs
        case .fosterCarer, .birthRelative: plan.child.birthName.given
        }
    }

    /// The guides one audience gets from a plan, each with the name it is filed and recorded under: `adopter`,
    /// `foster-carer`, `panel`, and one `birth-relative-<person id>` per birth relative with a live arrangement.
    /// `only` picks one birth relative. The last approved version is asked for only when the panel pack needs it.
    public static func guides(for audience: GuideAudience, plan: Plan, library: ContentLibrary, law: LawBook, asOf: CalendarDate,
                              renderer: GuideRenderer, only person: String? = nil,
                              previousApproved: () throws -> Plan?) throws -> [(guide: Guide, name: String)] {
        switch audience {
        case .adopter:
            return [(try adopterGuide(plan, library: library, law: law, asOf: asOf), "adopter"),
                    (try nowAndNext(plan, for: .adopter, library: library, law: law, asOf: asOf), "adopter-now-and-next")]
        case .fosterCarer:
            return [(try fosterCarerGuide(plan, library: library, law: law, asOf: asOf), "foster-carer"),
                    (try nowAndNext(plan, for: .fosterCarer, library: library, law: law, asOf: asOf), "foster-carer-now-and-next")]
        case .panel:
            let proof = redactionProof(plan, library: library, law: law, asOf: asOf, renderer: renderer)
            return [(panelPack(plan, library: library, law: law, asOf: asOf, previousApproved: try previousApproved(), redactionProof: proof), "panel")]
        case .birthRelative:
            return try birthRelatives(plan).filter { person == nil || $0 == person }.map { p in
                (try birthRelativeSummary(plan, for: p, library: library, law: law, asOf: asOf), "birth-relative-\(p)")
            }
        }
    }

    public static func adopterGuide(_ plan: Plan, library: ContentLibrary, law: LawBook, asOf: CalendarDate) throws -> Guide {
        try FamilyGuide.build(GuideContext(plan: plan, library: library, law: law, asOf: asOf, audience: .adopter))
    }

    public static func fosterCarerGuide(_ plan: Plan, library: ContentLibrary, law: LawBook, asOf: CalendarDate) throws -> Guide {
        try FamilyGuide.build(GuideContext(plan: plan, library: library, law: law, asOf: asOf, audience: .fosterCarer))
    }

    /// The family's short guide, "Now and next": their default download and print.
    /// `since`: the guidance edition the family last had (their last guide); what is new is what changed after it.
    public static func nowAndNext(_ plan: Plan, for audience: GuideAudience, library: ContentLibrary, law: LawBook, asOf: CalendarDate,
                                  since: CalendarDate? = nil) throws -> Guide {
        try FamilyGuide.buildShort(GuideContext(plan: plan, library: library, law: law, asOf: asOf, audience: audience), since: since)
    }

    public static func panelPack(_ plan: Plan, library: ContentLibrary, law: LawBook, asOf: CalendarDate,
                                 previousApproved: Plan?, redactionProof: [(String, Bool)]) -> Guide {
        let findings = Rules.check(plan, law: law, asOf: asOf)
        return PanelPack.build(GuideContext(plan: plan, library: library, law: law, asOf: asOf, audience: .panel),
                               findings: findings, previousApproved: previousApproved, redactionProof: redactionProof)
    }

    /// The birth relatives who have a live arrangement: one summary each.
    public static func birthRelatives(_ plan: Plan) -> [String] {
        var seen = Set<String>()
        return plan.arrangements.filter { $0.status.isLive && plan.person($0.counterpart)?.role.isBirthFamily == true }
            .map(\.counterpart).filter { seen.insert($0).inserted }
    }

    public static func birthRelativeSummary(_ plan: Plan, for person: String, library: ContentLibrary, law: LawBook,
                                            asOf: CalendarDate) throws -> Guide {
        try BirthRelativeSummary.build(GuideContext(plan: plan, library: library, law: law, asOf: asOf, audience: .birthRelative), for: person)
    }

    /// Releases the adopter, foster-carer and birth-relative documents in memory and reports whether each passed the
    /// scan: the panel's redaction proof (DOMAIN.md §4.1 item 9).
    public static func redactionProof(_ plan: Plan, library: ContentLibrary, law: LawBook, asOf: CalendarDate,
                                      renderer: GuideRenderer) -> [(String, Bool)] {
        var out: [(String, Bool)] = []
        func attempt(_ name: String, _ make: () throws -> Guide) {
            do { _ = try GuideRelease.release(try make(), plan: plan, renderer: renderer); out.append((name, true)) } catch { out.append((name, false)) }
        }
        attempt("adopter") { try adopterGuide(plan, library: library, law: law, asOf: asOf) }
        attempt("foster carer") { try fosterCarerGuide(plan, library: library, law: law, asOf: asOf) }
        for p in birthRelatives(plan) {
            attempt("birth relative \(plan.person(p)?.name.given ?? p)") { try birthRelativeSummary(plan, for: p, library: library, law: law, asOf: asOf) }
        }
        return out
    }
}
