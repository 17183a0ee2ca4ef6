/// Text written into HTML by Swift rather than a template: the same five characters escaped as the template
/// engine escapes them (`<`, `>`, `&`, `"` and `'`), so a page reads the same whichever wrote it.
enum HTMLText {
    /// Appends `text` to `out`, escaped. Text with nothing to escape, the usual case, is appended in one step.
    static func append(_ text: String, to out: inout String) {
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

    static func escaped(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }
}
