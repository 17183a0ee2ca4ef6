import Foundation
import LifeStoryCore

/// The rules that keep each family on its own nation's law (docs/content-format.md, "Law for each nation"), and
/// 999 for immediate danger only.
enum LegalText {
    /// The Acts and their extent: law data shipped with Core.
    static let acts: ActTable? = try? ActTable.bundled()

    /// School years by number are a nation's own terms ("Year 7" is England and Wales; Scotland says P7 and S1).
    static let schoolYear = try? NSRegularExpression(pattern: #"\b(?:Year (?:[1-9]|1[0-4])|Key Stage [1-5])\b"#)

    /// The nations whose families read a file: an order's or a jurisdiction's own, else all four.
    static func readers(_ details: ContentDetails) -> [JurisdictionCode] {
        switch details {
        case .order(_, let js): js
        case .jurisdiction(let j): [j.code]
        default: JurisdictionCode.allCases
        }
    }

    static func problems(kind: ContentKind?, readers: [JurisdictionCode] = JurisdictionCode.allCases, sections: [ContentSection],
                         file: String) -> [ContentProblem] {
        // Fail closed: without the table of Acts, no file's law can be checked.
        guard let acts else {
            return [ContentProblem(file: file, message: "the table of Acts and their extent (Sources/LifeStoryCore/Resources/acts.json) could not be read, so this file's law cannot be checked")]
        }
        var out: [ContentProblem] = []
        for section in sections {
            let field = section.title.isEmpty ? "body" : "## \(section.title)"
            for part in section.parts {
                switch part {
                case .common(let text):
                    for c in acts.citations(in: text) where !Set(readers).isSubset(of: c.extent) {
                        out.append(ContentProblem(file: file, field: field, message:
                            "cites the \(c.act.name)\(c.section.map { ", section \($0)," } ?? "") outside nation blocks, but it extends only to \(names(c.extent)) and this file is read in \(names(readers)): say the law in nation blocks, one for each nation"))
                    }
                    if readers.count > 1, let schoolYear, let m = match(schoolYear, text) {
                        out.append(ContentProblem(file: file, field: field, message:
                            "'\(m)' is a school year in one nation's terms: put it in nation blocks (Scotland says P7 and S1; Northern Ireland's secondary school starts in Year 8)"))
                    }
                case .nations(let nations, let text):
                    for c in acts.citations(in: text) {
                        for j in nations where !c.extent.contains(j) {
                            out.append(ContentProblem(file: file, field: field, message:
                                "the block for \(j.name) cites the \(c.act.name)\(c.section.map { ", section \($0)," } ?? ""), which extends only to \(names(c.extent)); cite \(j.name)'s own law"))
                        }
                    }
                }
                let text: String = switch part { case .common(let t), .nations(_, let t): t }
                for unknown in acts.unknownCitations(in: text) {
                    out.append(ContentProblem(file: file, field: field, message:
                        "cites '…\(unknown)', which is not in the table of Acts and their extent (Sources/LifeStoryCore/Resources/acts.json): add it, with the nations it extends to and its source"))
                }
                // 999 the phone number, not the digits inside a year ("Regulations 1999") or a longer number.
                for line in text.components(separatedBy: "\n") where line.contains(/(^|[^0-9])999([^0-9]|$)/) {
                    let l = line.lowercased()
                    if !l.contains("danger") && !l.contains("immediate") {
                        out.append(ContentProblem(file: file, field: field, message:
                            "mentions 999 on a line that is not about immediate danger: '\(line.trimmed.prefix(70))'. 999 is for danger now; otherwise the out-of-hours team, or 101 for the police"))
                    }
                }
            }
        }
        if kind == .contingency, let law = sections.first(where: { $0.title == "The law that can help" }), !law.hasNationBlocks {
            out.append(ContentProblem(file: file, field: "## The law that can help", message:
                "must say the law for each nation in nation blocks (::: ENG, ::: WLS, ::: SCO, ::: NI); see docs/content-format.md"))
        }
        return out
    }

    static func names(_ nations: [JurisdictionCode]) -> String {
        let ordered = JurisdictionCode.allCases.filter(nations.contains).map(\.name)
        guard ordered.count > 1 else { return ordered.first ?? "no nation" }
        return ordered.dropLast().joined(separator: ", ") + " and " + ordered.last!
    }

    static func match(_ re: NSRegularExpression, _ s: String) -> String? {
        guard let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), let r = Range(m.range, in: s) else { return nil }
        return String(s[r])
    }
}
