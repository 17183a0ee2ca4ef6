import Foundation

/// The release scan: the one place that decides whether a protected detail appears in text a family or a birth
/// relative is about to receive (a page, a guide's HTML, a PDF's text, a calendar, a file name).
///
/// People do not write a protected detail the way the plan stores it. So both the text and each detail are brought
/// to one form first, and each detail is then matched in every form people use for its kind:
///
/// - **Normalising** (both sides): Unicode NFKC (full-width and ligature forms become plain letters), case folding,
///   accents removed, every format character dropped (zero-width space and joiners, soft hyphen, word joiner, byte
///   order mark, bidirectional marks), and every run of white space or punctuation treated as one word break.
/// - **Names** match as whole words, with their plural and possessive forms ("the Fictionals' house",
///   "Fictional's", "the Fictionals").
/// - **Street addresses** match by each comma-separated part, with and without the house number, and with the usual
///   abbreviations either way (Road/Rd, Street/St, Avenue/Ave, ...).
/// - **Postcodes** match with or without the space ("ZZ1 1ZZ", "zz11zz").
/// - **Handles and e-mail addresses** match with or without `@`, with their separators or run together
///   ("@alex_fictional", "alex fictional", "alexfictional"); an e-mail's local part alone matches too.
/// - **Phone numbers** match on their digits whatever the spacing or punctuation, and `+44` / `0044` as `0`.
///
/// A surname that is also an everyday English word ("Long", "Baker", "Hope") would block ordinary sentences if it
/// matched as a word; such a name matches only where it is written with a capital letter, which is how a name is
/// written. A sentence that starts with the word is still held back: the scan fails closed.
public enum ReleaseScan {
    /// One word of normalised text, and whether it was written with a capital first letter.
    struct Word {
        var folded: String
        var capitalised: Bool
    }

    /// Normalised text: its words, an index from each word to where it occurs, and its phone-like digit runs.
    public struct Text {
        let words: [Word]
        let positions: [String: [Int]]
        let digitRuns: [String]

        public init(_ raw: String) {
            words = ReleaseScan.words(raw)
            var positions: [String: [Int]] = [:]
            for (i, w) in words.enumerated() { positions[w.folded, default: []].append(i) }
            self.positions = positions
            digitRuns = ReleaseScan.digitRuns(raw)
        }
    }

    /// The forms of one protected detail that the scan looks for.
    public struct Pattern: Sendable {
        /// Each alternative is a sequence of word positions; each position accepts any word of its set.
        var sequences: [[Set<String>]]
        /// The national digits of a phone number (`7700900123` for `+44 7700 900123` and `07700 900123`).
        var digits: String?
        /// Match only where the first word is written with a capital letter (an everyday word used as a name).
        var needsCapital: Bool
    }

    // MARK: normalising

    /// NFKC, case folding, accents removed, format characters dropped.
    public static func fold(_ s: String) -> String {
        let nfkc = s.precomposedStringWithCompatibilityMapping
        var kept = String.UnicodeScalarView()
        for u in nfkc.unicodeScalars where u.properties.generalCategory != .format { kept.append(u) }
        return String(kept).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    /// The words of a text: runs of letters and digits, everything else a break.
    static func words(_ s: String) -> [Word] {
        var out: [Word] = []
        let nfkc = s.precomposedStringWithCompatibilityMapping
        var current = String.UnicodeScalarView()
        var capital = false
        func flush() {
            if !current.isEmpty {
                out.append(Word(folded: fold(String(current)), capitalised: capital))
                current = String.UnicodeScalarView()
            }
        }
        for u in nfkc.unicodeScalars {
            let p = u.properties
            if p.generalCategory == .format { continue }
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                if current.isEmpty { capital = p.isUppercase || p.generalCategory == .titlecaseLetter }
                current.append(u)
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    /// Runs of digits joined by spaces and the punctuation people put in phone numbers, with `+44`/`0044` as `0`.
    static func digitRuns(_ s: String) -> [String] {
        var runs: [String] = []
        var current = ""
        var sinceDigit = 0
        for ch in s.precomposedStringWithCompatibilityMapping {
            if let d = ch.wholeNumberValue, ch.isASCII || ch.isNumber, (0...9).contains(d) {
                current.append(Character(String(d)))
                sinceDigit = 0
            } else if current.isEmpty {
                continue
            } else if " -.()/+\u{A0}".contains(ch) || ch.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .format }) {
                sinceDigit += 1
                if sinceDigit > 3 { runs.append(current); current = "" ; sinceDigit = 0 }
            } else {
                runs.append(current)
                current = ""
                sinceDigit = 0
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs.map(national)
    }

    /// A UK number's national significant digits: `+44 ...`, `0044 ...` and `0...` all become the digits after.
    static func national(_ digits: String) -> String {
        if digits.hasPrefix("0044") { return String(digits.dropFirst(4)) }
        if digits.hasPrefix("44"), digits.count >= 11 { return String(digits.dropFirst(2)) }
        if digits.hasPrefix("0") { return String(digits.drop { $0 == "0" }) }
        return digits
    }

    // MARK: the forms of a detail

    /// Street-type words and their usual abbreviations, each group matched as one.
    static let streetWords: [[String]] = [
        ["road", "rd"], ["street", "st", "str"], ["avenue", "ave", "av"], ["lane", "ln"], ["close", "cl"],
        ["drive", "dr"], ["crescent", "cres", "cresc"], ["court", "ct"], ["place", "pl"], ["gardens", "gdns"],
        ["grove", "gr", "gro"], ["terrace", "terr", "ter"], ["square", "sq"], ["park", "pk"], ["way", "wy"],
        ["mount", "mt"], ["north", "n"], ["south", "s"], ["east", "e"], ["west", "w"], ["saint", "st"],
    ]
    static let streetAlternatives: [String: Set<String>] = {
        var out: [String: Set<String>] = [:]
        for group in streetWords { for w in group { out[w, default: []].formUnion(group) } }
        return out
    }()

    /// Everyday English words that are also surnames (or given names): matched only when written with a capital.
    public static let everydayWords: Set<String> = [
        "baker", "bell", "best", "bird", "black", "bloom", "bond", "brook", "brown", "bush", "carpenter", "chambers",
        "church", "clay", "cook", "cross", "day", "field", "fish", "fisher", "ford", "fox", "frost", "gold", "good",
        "grace", "green", "hall", "hay", "hill", "hope", "house", "hunter", "joy", "king", "knight", "lamb", "lane",
        "law", "little", "long", "love", "marsh", "mason", "may", "mills", "moon", "moss", "page", "park", "price",
        "rich", "rose", "sharp", "short", "snow", "stone", "street", "summer", "swift", "wall", "ward", "waters",
        "well", "wells", "west", "white", "wise", "wood", "woods", "young", "sample", "example", "team",
        "will", "mark", "bill", "sunny", "faith", "patience", "honey", "star", "sky", "river", "brave", "angel",
        "dawn", "june", "april", "summers", "winter", "north", "south", "banks", "gates", "march",
        // The demo agency's surnames are everyday words on purpose, so the demo shows how such names are handled.
        "fictional", "placeholder", "specimen",
    ]

    /// The forms of one detail the scan looks for.
    public static func pattern(for token: ProtectedToken) -> Pattern {
        let value = token.value
        var sequences: [[Set<String>]] = []
        func add(_ words: [String], plural: Bool) {
            guard !words.isEmpty else { return }
            var seq = words.map { w in streetAlternatives[w] ?? [w] }
            if plural, var last = seq.last, let w = words.last, w.count >= 2, w.first?.isLetter == true {
                last.formUnion([w + "s", w + "es"])
                seq[seq.count - 1] = last
            }
            sequences.append(seq)
        }
        let isContact = token.field.contains(".contact.") || token.field.contains("protectedTokens")
        let whole = words(value).map(\.folded)
        add(whole, plural: true)
        // Run together: handles and e-mails written without their separators ("alex_fictional" as "alexfictional").
        if whole.count > 1, !value.contains(where: \.isWhitespace) { add([whole.joined()], plural: false) }
        // An e-mail's local part on its own.
        if let at = value.firstIndex(of: "@"), at != value.startIndex {
            let local = words(String(value[..<at])).map(\.folded)
            add(local, plural: false)
            if local.count > 1 { add([local.joined()], plural: false) }
        }
        // Postcodes, with or without the space.
        let compact = whole.joined()
        if isPostcode(compact), compact.count >= 5 {
            add([compact], plural: false)
            add([String(compact.dropLast(3)), String(compact.suffix(3))], plural: false)
        }
        // An address: each part on its own, and a street with or without its number.
        if isContact || token.field.hasSuffix(".address") {
            let parts = value.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" }).map { words(String($0)).map(\.folded) }
            if parts.count > 1 { for part in parts where part.joined().count >= 3 { add(part, plural: false) } }
            for part in parts where part.count >= 3 && part[0].allSatisfy(\.isNumber) && streetAlternatives[part.last ?? ""] != nil {
                add(Array(part.dropFirst()), plural: false)
            }
        }
        // Phone numbers: their digits, when most of the detail is digits.
        let digitCount = value.filter { $0.isASCII && $0.isNumber }.count
        let visible = value.filter { !$0.isWhitespace }.count
        let digits: String? = digitCount >= 6 && digitCount * 2 >= visible
            ? national(value.filter { $0.isASCII && $0.isNumber }) : nil
        let needsCapital = whole.count == 1 && everydayWords.contains(whole[0]) && !isContact
        var seen = Set<[Set<String>]>()
        sequences = sequences.filter { seen.insert($0).inserted }
        return Pattern(sequences: sequences, digits: digits, needsCapital: needsCapital)
    }

    /// A UK postcode written without its space (`zz11zz`, `sw1a1aa`).
    static func isPostcode(_ s: String) -> Bool {
        let chars = Array(s)
        guard (5...7).contains(chars.count) else { return false }
        let inward = chars.suffix(3)
        guard inward.first?.isNumber == true, inward.dropFirst().allSatisfy(\.isLetter) else { return false }
        let outward = chars.dropLast(3)
        return outward.first?.isLetter == true && outward.contains(where: \.isNumber) && outward.allSatisfy { $0.isLetter || $0.isNumber }
    }

    // MARK: matching

    /// Whether the text contains the detail in any of its forms.
    public static func matches(_ pattern: Pattern, in text: Text) -> Bool {
        for seq in pattern.sequences {
            guard let first = seq.first else { continue }
            var starts: [Int] = []
            for w in first { starts += text.positions[w] ?? [] }
            for start in starts where start + seq.count <= text.words.count {
                if pattern.needsCapital && !text.words[start].capitalised { continue }
                var ok = true
                for k in 1..<max(seq.count, 1) where !seq[k].contains(text.words[start + k].folded) {
                    ok = false
                    break
                }
                if ok { return true }
            }
        }
        if let digits = pattern.digits, digits.count >= 6 {
            return text.digitRuns.contains { $0.contains(digits) }
        }
        return false
    }

    /// The details that occur in `text`, in the order given.
    public static func scan(_ text: String, for tokens: [ProtectedToken]) -> [ProtectedToken] {
        guard !tokens.isEmpty else { return [] }
        let t = Text(text)
        return tokens.filter { matches(pattern(for: $0), in: t) }
    }
}
