import Foundation
import LifeStoryCore

/// The placeholders content may use: each one comes from the plan (docs/content-format.md).
public enum Placeholder: String, CaseIterable, Sendable, Hashable {
    case childKnownAs = "child.knownAs"
    case birthMotherTerm = "birthMother.term"
    case birthFatherTerm = "birthFather.term"
    case siblingsNames = "siblings.names"
    case fosterCarerTerm = "fosterCarer.term"
    case carersTerm = "carers.term"
    case placementDayOne = "placement.dayOne"
    case socialWorkerName = "socialWorker.name"
    case responderPrimary = "responder.primary"
    case responderOutOfHours = "responder.outOfHours"
    case letterboxCoordinator = "letterbox.coordinator"
    case agencyName = "agency.name"

    /// The words used when the plan has no value: never a blank in a guide.
    public var fallback: String {
        switch self {
        case .childKnownAs: "your child"
        case .birthMotherTerm: "your birth mother"
        case .birthFatherTerm: "your birth father"
        case .siblingsNames: "your brothers and sisters"
        case .fosterCarerTerm: "your foster carer"
        case .carersTerm: "us"
        case .placementDayOne: "the day your child came to live with you"
        case .socialWorkerName: "your social worker"
        case .responderPrimary: "your agency's adoption support line"
        case .responderOutOfHours: "the out-of-hours emergency duty team"
        case .letterboxCoordinator: "the agency's letterbox coordinator"
        case .agencyName: "your adoption agency"
        }
    }

    /// A short stand-in used when measuring reading level.
    static let readingStandIn = "Sam"
}

public enum Placeholders {
    /// Every `{{name}}` in `text`, in order, as written (trimmed).
    public static func names(in text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                out.append(String(rest[open.upperBound...].prefix(30)).trimmingCharacters(in: .whitespaces))
                break
            }
            out.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// The values for one child's plan, in the child's own words.
    public static func values(for plan: Plan) -> [Placeholder: String] {
        var v: [Placeholder: String] = [:]
        v[.childKnownAs] = plan.child.knownAs
        func term(_ role: PersonRole) -> String? {
            plan.people.first { $0.role == role }.map { $0.termUsedByChild ?? $0.name.given }
        }
        v[.birthMotherTerm] = term(.birthMother)
        v[.birthFatherTerm] = term(.birthFather)
        let siblings = plan.people.filter { $0.role == .sibling }.map { $0.termUsedByChild ?? $0.name.given }
        if !siblings.isEmpty {
            v[.siblingsNames] = siblings.count == 1 ? siblings[0]
                : siblings.dropLast().joined(separator: ", ") + " and " + (siblings.last ?? "")
        }
        let current = plan.currentPlacement
        let formerCarers = plan.placements.filter { $0 != current }.flatMap(\.carers)
        if let carer = formerCarers.compactMap({ plan.person($0) }).first(where: { $0.role == .fosterCarer }) {
            v[.fosterCarerTerm] = carer.termUsedByChild ?? carer.name.given
        }
        v[.carersTerm] = plan.child.carersTerm
        v[.placementDayOne] = plan.dayOne?.long
        v[.socialWorkerName] = plan.people.first { $0.role == .childsSocialWorker }?.name.full
        let responders = plan.contingencies.first { $0.applicable && !$0.responders.isEmpty }?.responders ?? []
        func describe(_ r: Responder) -> String { [r.name, r.phone].compactMap { $0 }.joined(separator: ", ") }
        v[.responderPrimary] = responders.first { !$0.outOfHours }.map(describe) ?? responders.first.map(describe)
        v[.responderOutOfHours] = responders.first { $0.outOfHours }.map(describe)
        v[.letterboxCoordinator] = plan.people.first { $0.role == .letterboxCoordinator }?.name.full
        v[.agencyName] = plan.agency.name
        return v.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Replaces each placeholder in one pass. Values are inserted as given (escape them first for HTML with
    /// `escapeHTML`), and a value that itself contains `{{` is never expanded again.
    public static func render(_ text: String, values: [Placeholder: String], escape: (String) -> String = { $0 }) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let p = Placeholder(rawValue: name) {
                out += escape(values[p] ?? p.fallback)
            } else {
                // Unknown placeholders are refused when content loads; fail closed if one ever gets here.
                out += escape(Placeholder.childKnownAs.fallback)
            }
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// Text escaped for HTML: the five characters the template engine escapes (`<`, `>`, `&`, `"`, `'`), so a page
    /// reads the same whichever wrote it. Read by Unicode scalar, so a combining mark after a quote cannot hide it.
    public static func escapeHTML(_ s: String) -> String {
        var out = ""
        appendEscapedHTML(s, to: &out)
        return out
    }

    /// Appends `text` to `out`, escaped. Text with nothing to escape, the usual case, is appended in one step.
    public static func appendEscapedHTML(_ text: String, to out: inout String) {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
