import Foundation
import Ink

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
