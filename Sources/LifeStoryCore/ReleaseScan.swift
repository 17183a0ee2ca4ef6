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
/// - **Phone numbers** match on their digits whatever the spacing or punctuation, and `+44` / `0044` as `0`; the
///   letters O and l typed among digits count as 0 and 1.
/// - **Disguises**: letters from other scripts that look the same (Cyrillic "і" and "а", Greek "ο") count as the
///   Latin letter; characters that show nothing (default-ignorable code points such as the Hangul filler) are
///   dropped; letters spaced out one by one ("Z Z 1 1 Z Z", "J a m i e") are read run together too, and so are
///   names written without their spaces ("SampleRoad").
///
/// A surname that is also an everyday English word ("Long", "Baker", "Hope") would block ordinary sentences if it
/// matched as a word ("it can take a long time"). Such a name matches where it is written as a name: with a
/// capital letter, in a plural or possessive ("the longs' house"), after a title or "the" ("mrs long", "the long
/// family"), or before "family", "house", "home" and the like. A sentence that starts with the word is held back
/// too: the scan fails closed.
public enum ReleaseScan {
    /// One word of normalised text, and whether it was written with a capital first letter.
    struct Word {
        var folded: String
        var capitalised: Bool
    }

    /// Normalised text: its words, an index from each word to where it occurs, and its phone-like digit runs.
    public struct Text {
        /// The words, and (when the text spells anything out letter by letter) the words with each run of three or
        /// more single characters joined into one.
        let views: [(words: [Word], positions: [String: [Int]])]
        let digitRuns: [String]

        public init(_ raw: String) {
            let words = ReleaseScan.words(raw)
            var views = [(words, Self.index(words))]
            let collapsed = Self.collapse(words)
            if collapsed.count != words.count { views.append((collapsed, Self.index(collapsed))) }
            self.views = views
            digitRuns = ReleaseScan.digitRuns(raw)
        }

        static func index(_ words: [Word]) -> [String: [Int]] {
            var positions: [String: [Int]] = [:]
            for (i, w) in words.enumerated() { positions[w.folded, default: []].append(i) }
            return positions
        }

        /// "z z 1 1 z z" -> "zz11zz": runs of three or more one-character words as one word.
        static func collapse(_ words: [Word]) -> [Word] {
            var out: [Word] = []
            var i = 0
            while i < words.count {
                var j = i
                while j < words.count && words[j].folded.count == 1 { j += 1 }
                if j - i >= 3 {
                    out.append(Word(folded: words[i..<j].map(\.folded).joined(), capitalised: words[i].capitalised))
                    i = j
                } else {
                    out.append(words[i])
                    i += 1
                }
            }
            return out
        }
    }

    /// The forms of one protected detail that the scan looks for.
    public struct Pattern: Sendable {
        /// Each alternative is a sequence of word positions; each position accepts any word of its set.
        var sequences: [[Set<String>]]
        /// The national digits of a phone number (`7700900123` for `+44 7700 900123` and `07700 900123`).
        var digits: String?
        /// An everyday word used as a name: match only where it is written as a name (see the type's comment).
        var needsCapital: Bool
        /// The name itself, for telling its plural and possessive forms apart.
        var base: String = ""
    }

    /// Words that make the word after them a name ("mrs long", "the long family").
    static let before: Set<String> = ["the", "mr", "mrs", "ms", "miss", "mx", "dr", "master", "auntie", "aunt", "uncle", "nan", "nana", "grandma", "grandad"]
    /// Words that make the word before them a name.
    static let after: Set<String> = ["family", "families", "house", "home", "household", "kids", "children", "parents", "family's", "road", "street"]

    /// Whether an everyday word at `i` is written as a name.
    static func writtenAsName(_ words: [Word], at i: Int, base: String) -> Bool {
        if words[i].capitalised || words[i].folded != base { return true }
        if i > 0, before.contains(words[i - 1].folded) { return true }
        if i + 1 < words.count, after.contains(words[i + 1].folded) || words[i + 1].folded == "s" { return true }
        return false
    }

    // MARK: normalising

    /// NFKC, case folding, accents removed, format characters dropped.
    public static func fold(_ s: String) -> String {
        let nfkc = s.precomposedStringWithCompatibilityMapping
        var kept = String.UnicodeScalarView()
        for u in nfkc.unicodeScalars where !isInvisible(u) { kept.append(confusables[u] ?? u) }
        return String(kept).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    /// Characters that show nothing: format characters and every default-ignorable code point (joiners, the Hangul
    /// fillers, variation selectors, the combining grapheme joiner).
    static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        u.properties.generalCategory == .format || u.properties.isDefaultIgnorableCodePoint || u.value == 0x2800
    }

    /// Letters of other scripts that look like Latin ones (from Unicode's confusables, TR39), as the Latin letter.
    static let confusables: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            // Cyrillic
            ("а", "a"), ("в", "b"), ("е", "e"), ("ё", "e"), ("к", "k"), ("м", "m"), ("н", "h"), ("о", "o"), ("р", "p"), ("с", "c"), ("т", "t"),
            ("у", "y"), ("х", "x"), ("і", "i"), ("ї", "i"), ("ј", "j"), ("ѕ", "s"), ("ԁ", "d"), ("ԛ", "q"), ("ԝ", "w"), ("һ", "h"), ("ӏ", "l"),
            ("А", "A"), ("В", "B"), ("Е", "E"), ("К", "K"), ("М", "M"), ("Н", "H"), ("О", "O"), ("Р", "P"), ("С", "C"), ("Т", "T"),
            ("У", "Y"), ("Х", "X"), ("І", "I"), ("Ј", "J"), ("Ѕ", "S"), ("Ԁ", "D"), ("Ԛ", "Q"), ("Ԝ", "W"), ("Һ", "H"), ("Ӏ", "I"),
            // Greek
            ("α", "a"), ("ο", "o"), ("ρ", "p"), ("ε", "e"), ("ι", "i"), ("κ", "k"), ("ν", "v"), ("τ", "t"), ("υ", "u"), ("χ", "x"), ("ϲ", "c"),
            ("Α", "A"), ("Β", "B"), ("Ε", "E"), ("Ζ", "Z"), ("Η", "H"), ("Ι", "I"), ("Κ", "K"), ("Μ", "M"), ("Ν", "N"), ("Ο", "O"),
            ("Ρ", "P"), ("Τ", "T"), ("Υ", "Y"), ("Χ", "X"),
            // Latin look-alikes
            ("ı", "i"), ("ȷ", "j"), ("ɡ", "g"), ("ɑ", "a"), ("ℓ", "l"),
        ]
        var out: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs { if let f = from.unicodeScalars.first, let t = to.unicodeScalars.first { out[f] = t } }
        return out
    }()

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
        for raw in nfkc.unicodeScalars {
            if isInvisible(raw) { continue }
            let u = confusables[raw] ?? raw
            let p = u.properties
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
        // O, o, l and I typed among digits ("O1632 96O123") are read as 0 and 1.
        var chars = Array(s.precomposedStringWithCompatibilityMapping.unicodeScalars.filter { !isInvisible($0) }.map(Character.init))
        func isDigit(_ i: Int) -> Bool { chars.indices.contains(i) && chars[i].isASCII && chars[i].isNumber }
        for i in chars.indices where "OoIl".contains(chars[i]) && (isDigit(i - 1) || isDigit(i + 1)) {
            chars[i] = "Oo".contains(chars[i]) ? "0" : "1"
        }
        for ch in chars {
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
        // Written without their spaces ("SampleRoad", "sample rd" as "samplerd"), every way the abbreviations allow.
        for seq in sequences where seq.count > 1 && seq.count <= 5 {
            var joined: Set<String> = [""]
            for alternatives in seq {
                joined = Set(joined.flatMap { prefix in alternatives.map { prefix + $0 } })
                if joined.count > 32 { break }
            }
            if joined.count <= 32 { sequences.append([joined]) }
        }
        let needsCapital = whole.count == 1 && everydayWords.contains(whole[0]) && !isContact
        var seen = Set<[Set<String>]>()
        sequences = sequences.filter { seen.insert($0).inserted }
        return Pattern(sequences: sequences, digits: digits, needsCapital: needsCapital, base: whole.first ?? "")
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
        for (words, positions) in text.views {
            for seq in pattern.sequences {
                guard let first = seq.first else { continue }
                var starts: [Int] = []
                for w in first { starts += positions[w] ?? [] }
                for start in starts where start + seq.count <= words.count {
                    if pattern.needsCapital && !writtenAsName(words, at: start, base: pattern.base) { continue }
                    var ok = true
                    for k in 1..<max(seq.count, 1) where !seq[k].contains(words[start + k].folded) {
                        ok = false
                        break
                    }
                    if ok { return true }
                }
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
