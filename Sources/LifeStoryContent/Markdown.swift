import Foundation
import Synchronization
import Ink
import LifeStoryCore

/// Markdown handling for content files: sections, safe HTML, and the text blocks that reading level measures.
enum MarkdownBody {
    struct RawSection {
        var title: String
        var lines: [String]
    }

    /// Splits a body at its `##` headings. Text before the first heading has the title "".
    static func sections(_ body: String) -> [RawSection] {
        var out = [RawSection(title: "", lines: [])]
        for line in body.components(separatedBy: "\n") {
            if line.hasPrefix("## ") {
                out.append(RawSection(title: line.dropFirst(3).trimmed, lines: []))
            } else {
                out[out.count - 1].lines.append(line)
            }
        }
        return out
    }

    /// Where raw HTML starts: `<` followed by a letter, `/`, `!` or `?`. Nil when there is none.
    static func rawHTML(in text: String) -> String? {
        let u = text.utf8
        var i = u.startIndex
        while let lt = u[i...].firstIndex(of: 0x3C) {  // <
            let next = u.index(after: lt)
            guard next < u.endIndex else { return nil }
            let b = u[next]
            if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == 0x2F || b == 0x21 || b == 0x3F {
                let end = u.index(lt, offsetBy: 20, limitedBy: u.endIndex) ?? u.endIndex
                return String(decoding: u[lt..<end], as: UTF8.self)
            }
            i = next
        }
        return nil
    }

    /// Markdown to HTML with no HTML from the source passing through: `&` and `<` are escaped before Ink sees
    /// them, HTML fragments are escaped again by a modifier, and links keep only http(s), mailto and anchors.
    static func html(_ markdown: String) -> String {
        // The library does not change while the program runs, and the same sections are rendered for every guide:
        // each distinct text is turned into HTML once.
        if let hit = rendered.withLock({ $0[markdown] }) { return hit }
        let out = render(markdown)
        rendered.withLock { cache in
            if cache.count >= 20_000 { cache.removeAll(keepingCapacity: true) }
            cache[markdown] = out
        }
        return out
    }

    /// Markdown already turned into HTML, by its text.
    static let rendered = Mutex<[String: String]>([:])

    static func render(_ markdown: String) -> String {
        var escaped = ""
        for ch in markdown {
            switch ch {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            default: escaped.append(ch)
            }
        }
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in Placeholders.escapeHTML(String(input.markdown)) })
        parser.addModifier(Modifier(target: .links) { input in
            let md = input.markdown
            guard let open = md.lastIndex(of: "("), md.hasSuffix(")") else { return input.html }
            let target = md[md.index(after: open)..<md.index(before: md.endIndex)].lowercased()
            if target.hasPrefix("https://") || target.hasPrefix("http://") || target.hasPrefix("mailto:") || target.hasPrefix("#") {
                return input.html
            }
            // Anything else (javascript:, data:, relative paths) is shown as its text only.
            guard let close = md.firstIndex(of: "]") else { return input.html }
            return Placeholders.escapeHTML(String(md[md.index(after: md.startIndex)..<close]))
        })
        return parser.html(from: escaped)
    }

    /// The top-level list items of a section, continuation lines joined, checkbox marks removed.
    static func items(_ lines: [String]) -> [String] {
        var out: [String] = []
        var current: String?
        for line in lines {
            if !line.hasPrefix(" ") && !line.hasPrefix("\t"), let item = listItem(line) {
                if let c = current { out.append(c) }
                current = item
            } else if line.trimmed.isEmpty {
                if let c = current { out.append(c) }
                current = nil
            } else if current != nil, line.hasPrefix(" ") || line.hasPrefix("\t") {
                current! += " " + line.trimmed
            } else if current != nil {
                current! += " " + line.trimmed
            }
        }
        if let c = current { out.append(c) }
        return out
    }

    /// The text of a list item line without its marker, or nil when the line is not a list item.
    static func listItem(_ line: String) -> String? {
        let s = line.trimmed
        var rest: Substring
        if s.hasPrefix("- ") || s.hasPrefix("* ") || s.hasPrefix("+ ") {
            rest = s.dropFirst(2)
        } else if let dot = s.firstIndex(where: { $0 == "." || $0 == ")" }), dot > s.startIndex,
                  s[..<dot].allSatisfy(\.isNumber), s[s.index(after: dot)...].first == " " {
            rest = s[s.index(dot, offsetBy: 2)...]
        } else {
            return nil
        }
        rest = rest.drop { $0 == " " }
        if rest.hasPrefix("[ ] ") || rest.hasPrefix("[x] ") || rest.hasPrefix("[X] ") { rest = rest.dropFirst(4) }
        return String(rest)
    }

    /// Whether a section has `- [ ] ` checklist items.
    static func checkboxCount(_ lines: [String]) -> Int {
        lines.filter { $0.trimmed.hasPrefix("- [ ] ") }.count
    }

    /// The blocks reading level measures, split into adult-facing text and child-facing phrasings.
    static func readingBlocks(_ body: String, phrasingSection: String?) -> (adult: [String], child: [String]) {
        var adult: [String] = [], child: [String] = []
        var current: [String] = []
        var toChild = false
        var section = ""
        func flush() {
            if !current.isEmpty {
                let block = current.joined(separator: " ")
                if toChild { child.append(block) } else { adult.append(block) }
                current = []
            }
        }
        for line in body.components(separatedBy: "\n") {
            let s = line.trimmed
            if s.hasPrefix("## ") {
                flush(); section = s.dropFirst(3).trimmed; toChild = false; continue
            }
            if s.hasPrefix("#") { flush(); continue }
            if let item = listItem(s) {
                flush()
                toChild = phrasingSection.map { $0.lowercased() == section.lowercased() } ?? false
                current.append(item)
                continue
            }
            if s.isEmpty { flush(); toChild = false; continue }
            if s.hasPrefix("|") {
                flush()
                for cell in s.trimmingCharacters(in: CharacterSet(charactersIn: "|")).split(separator: "|", omittingEmptySubsequences: false) {
                    let c = cell.trimmed
                    if !c.allSatisfy({ $0 == "-" || $0 == ":" }) || c.isEmpty { adult.append(String(cell)) }
                }
                continue
            }
            current.append(s)
        }
        flush()
        return (adult, child)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (cheaper than Foundation's trimming on Linux).
    var trimmed: String {
        var start = startIndex, end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" || self[start] == "\r" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" || self[index(before: end)] == "\r" { end = index(before: end) }
        return String(self[start..<end])
    }
}

/// Nation blocks (docs/content-format.md, "Law for each nation"): `::: ENG WLS` ... `:::`, and `::: WLS = ENG`.
enum NationBlocks {
    /// A section's lines as text for every nation and text for some, in order. Aliases (`::: WLS = ENG`) are
    /// resolved to a copy of the other nation's text, so a part names every nation that reads it.
    static func parts(_ lines: [String]) -> (parts: [ContentSection.Part], problems: [String]) {
        var parts: [ContentSection.Part] = []
        var problems: [String] = []
        var common: [String] = []
        var open: (nations: [JurisdictionCode], lines: [String])?
        var aliases: [(JurisdictionCode, JurisdictionCode)] = []
        func flushCommon() {
            let text = common.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { parts.append(.common(text)) }
            common = []
        }
        for line in lines {
            let s = line.trimmed
            guard s.hasPrefix(":::") else {
                if open != nil { open!.lines.append(line) } else { common.append(line) }
                continue
            }
            let rest = s.dropFirst(3).trimmed
            if rest.isEmpty {
                guard let block = open else { problems.append("a ':::' line closes a nation block that was never opened"); continue }
                let text = block.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { problems.append("the nation block for \(block.nations.map(\.rawValue).joined(separator: " ")) is empty") }
                parts.append(.nations(block.nations, text))
                open = nil
                continue
            }
            if let block = open {
                problems.append("the nation block for \(block.nations.map(\.rawValue).joined(separator: " ")) is not closed before '::: \(rest)'")
                parts.append(.nations(block.nations, block.lines.joined(separator: "\n")))
                open = nil
            }
            flushCommon()
            let words = rest.split(separator: " ").map(String.init)
            if words.count == 3, words[1] == "=" {
                guard let a = JurisdictionCode(rawValue: words[0]), let b = JurisdictionCode(rawValue: words[2]), a != b else {
                    problems.append("'::: \(rest)' must be two different nation codes, like '::: WLS = ENG'")
                    continue
                }
                aliases.append((a, b))
                parts.append(.nations([a], ""))  // filled below, in place
                continue
            }
            var nations: [JurisdictionCode] = []
            for w in words {
                if let j = JurisdictionCode(rawValue: w) { nations.append(j) } else {
                    problems.append("'\(w)' in '::: \(rest)' is not a nation code: use ENG, WLS, SCO or NI")
                }
            }
            open = (nations, [])
        }
        if let block = open {
            problems.append("the nation block for \(block.nations.map(\.rawValue).joined(separator: " ")) is not closed with a ':::' line")
            parts.append(.nations(block.nations, block.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        flushCommon()
        // Resolve aliases to the other nation's text.
        for (a, b) in aliases {
            let source = parts.first { if case .nations(let ns, let t) = $0 { return ns.contains(b) && !t.isEmpty } else { return false } }
            guard case .nations(_, let text) = source else {
                problems.append("'::: \(a.rawValue) = \(b.rawValue)' points at \(b.rawValue), which has no block of its own here")
                continue
            }
            if let i = parts.firstIndex(where: { if case .nations(let ns, let t) = $0 { return ns == [a] && t.isEmpty } else { return false } }) {
                parts[i] = .nations([a], text)
            }
        }
        // One block for each nation, all four, once there is any block.
        let named: [JurisdictionCode] = parts.flatMap { part -> [JurisdictionCode] in if case .nations(let ns, _) = part { ns } else { [] } }
        if !named.isEmpty {
            for j in JurisdictionCode.allCases {
                let n = named.filter { $0 == j }.count
                if n == 0 { problems.append("has nation blocks but none for \(j.name) (\(j.rawValue)): every nation needs its own block, or '::: \(j.rawValue) = ENG' where the law is the same") }
                if n > 1 { problems.append("has more than one nation block for \(j.name) (\(j.rawValue))") }
            }
        }
        return (parts, problems)
    }

    /// Lines that open or close nation blocks, left out of reading level and lists.
    static func isFence(_ line: String) -> Bool { line.trimmed.hasPrefix(":::") }
}

/// Safe HTML from a piece of Markdown the library holds (escaped first, so no HTML in the text passes through), for
/// documents built from parts of a section (the course's slides).
public enum MarkdownText {
    public static func html(_ markdown: String) -> String { MarkdownBody.html(markdown) }
}
