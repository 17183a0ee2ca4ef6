import Foundation

/// An Act or regulations the guidance cites, and the nations it extends to. The table is law data
/// (`Resources/acts.json`): `content check` refuses a nation's text that cites one that does not extend to that
/// nation, and an Act the table does not know.
public struct ActExtent: Codable, Sendable, Equatable {
    public struct Sections: Codable, Sendable, Equatable {
        /// Section numbers as cited ("181", "66B").
        public var numbers: [String]
        public var extent: [JurisdictionCode]
    }

    public var name: String
    /// Other ways the guidance writes it ("ACA 2002", "(NI) Order 1998").
    public var aliases: [String]
    public var extent: [JurisdictionCode]
    public var source: String
    public var note: String
    /// Sections whose extent is narrower than the Act's.
    public var sections: [Sections]?

    /// The nations a citation reaches: the section's, when the text names a section with its own extent.
    public func extent(section: String?) -> [JurisdictionCode] {
        guard let section, let s = sections?.first(where: { $0.numbers.contains(section.uppercased()) }) else { return extent }
        return s.extent
    }
}

/// One Act cited in a text, with the section named beside it if any.
public struct ActCitation: Sendable, Equatable {
    public var act: ActExtent
    public var section: String?
    /// Where the citation ends in the text, as a character offset (for messages).
    public var text: String
    public var extent: [JurisdictionCode] { act.extent(section: section) }
}

public struct ActTable: Codable, Sendable, Equatable {
    public var edition: String
    public var note: String
    public var acts: [ActExtent]

    public init(edition: String, note: String, acts: [ActExtent]) {
        self.edition = edition
        self.note = note
        self.acts = acts
    }

    /// The table shipped with this build.
    public static func bundled() throws -> ActTable {
        guard let url = Bundle.module.url(forResource: "acts", withExtension: "json") else {
            throw CoreError.lawData("acts.json is missing from the LifeStoryCore bundle")
        }
        return try JSONDecoder().decode(ActTable.self, from: Data(contentsOf: url))
    }

    /// Text folded for matching: lower case, curly apostrophes straight, runs of white space as one space.
    static func fold(_ text: String) -> String {
        var out = ""
        var space = false
        for ch in text.lowercased() {
            let c: Character = ch == "\u{2019}" ? "'" : ch
            if c.isWhitespace {
                if !space { out.append(" ") }
                space = true
            } else {
                out.append(c)
                space = false
            }
        }
        return out
    }

    /// Every Act of the table the text cites, with the section named beside it ("section 181 of the Online Safety
    /// Act 2023", "Online Safety Act 2023, section 181", "s.181 of the ...").
    public func citations(in text: String) -> [ActCitation] {
        let folded = Self.fold(text)
        var out: [ActCitation] = []
        for act in acts {
            for name in [act.name] + act.aliases {
                let key = Self.fold(name)
                var from = folded.startIndex
                while let r = folded.range(of: key, range: from..<folded.endIndex) {
                    from = r.upperBound
                    // A whole name: not the tail of a longer one ("the Protection from Harassment Act 1997" is not
                    // in "... (Northern Ireland) Order 1997", but "Children Act 1989" must not match inside
                    // "the Adoption and Children Act 1989").
                    if r.lowerBound > folded.startIndex {
                        let before = folded[folded.index(before: r.lowerBound)]
                        if before.isLetter || before.isNumber { continue }
                        if acts.contains(where: { other in other.name != act.name && ([other.name] + other.aliases).contains { alt in
                            let k = Self.fold(alt)
                            return k.count > key.count && k.hasSuffix(key) && folded[..<r.upperBound].hasSuffix(k)
                        } }) { continue }
                    }
                    let after = String(folded[r.upperBound...].prefix(24))
                    let before = String(folded[..<r.lowerBound].suffix(30))
                    let section = Self.sectionAfter(after) ?? Self.sectionBefore(before)
                    out.append(ActCitation(act: act, section: section, text: name))
                }
            }
        }
        return out
    }

    /// `, section 181`, ` s.181`, ` (section 181)`, `, s 66b` after an Act's name.
    static func sectionAfter(_ s: String) -> String? {
        let pattern = #"^[ ,(]*(?:section|sections|s\.|s) ?([0-9]+[a-z]{0,2})\b"#
        return firstGroup(pattern, s)
    }

    /// `section 181 of the `, `s.181 of the ` before an Act's name.
    static func sectionBefore(_ s: String) -> String? {
        let pattern = #"(?:section|s\.|s) ?([0-9]+[a-z]{0,2})(?:\([0-9a-z]+\))* of (?:the )?$"#
        return firstGroup(pattern, s)
    }

    static func firstGroup(_ pattern: String, _ s: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: s) else { return nil }
        return String(s[r]).uppercased()
    }

    /// Names in the text that look like an Act, an Order or regulations ("... Act 2004", "... (Northern Ireland)
    /// Order 1995", "... Regulations 2010") but are not in the table: each with the words before it, for a message.
    public func unknownCitations(in text: String) -> [String] {
        let folded = Self.fold(text)
        guard let re = try? NSRegularExpression(pattern: #"\b(?:act|order|regulations)(?: \((?:northern ireland|scotland|wales|ni)\))? (?:19|20)[0-9]{2}\b"#) else { return [] }
        let names = acts.flatMap { [$0.name] + $0.aliases }.map(Self.fold)
        var out: [String] = []
        for m in re.matches(in: folded, range: NSRange(folded.startIndex..., in: folded)) {
            guard let r = Range(m.range, in: folded) else { continue }
            let upTo = folded[..<r.upperBound]
            if names.contains(where: { upTo.hasSuffix($0) }) { continue }
            out.append(String(folded[..<r.upperBound].suffix(60)).trimmingCharacters(in: .whitespaces))
        }
        return out
    }
}
