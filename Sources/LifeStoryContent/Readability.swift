/// The Flesch-Kincaid grade, measured the same way for every file (docs/content-format.md "Reading level").
/// Works on UTF-8 bytes in one pass: any non-ASCII byte counts as part of a word.
public enum Readability {
    public struct Counts: Sendable, Equatable {
        public var words = 0
        public var sentences = 0
        public var syllables = 0

        /// 0.39 × words/sentences + 11.8 × syllables/words − 15.59, to one decimal place; nil with no words.
        public var grade: Double? {
            guard words > 0, sentences > 0 else { return nil }
            let g = 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
            return (g * 10).rounded() / 10
        }
    }

    /// Measures text blocks: each block (a paragraph, list item or table cell) ends a sentence.
    public static func measure(_ blocks: [String]) -> Counts {
        var c = Counts()
        for block in blocks { count(clean(Array(block.utf8)), into: &c) }
        return c
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isAlnum(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80 }
    static func isEnd(_ b: UInt8) -> Bool { b == 0x2E || b == 0x21 || b == 0x3F }  // . ! ?

    /// Placeholders become a short name; link targets, URLs and Markdown marks go.
    static func clean(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        let n = s.count
        func starts(_ p: String, at k: Int) -> Bool {
            let u = Array(p.utf8)
            return k + u.count <= n && Array(s[k..<(k + u.count)]) == u
        }
        while i < n {
            let b = s[i]
            if b == 0x7B, i + 1 < n, s[i + 1] == 0x7B {  // {{ ... }}
                var j = i + 2
                while j + 1 < n && !(s[j] == 0x7D && s[j + 1] == 0x7D) { j += 1 }
                if j + 1 < n { out += Array("Sam".utf8); i = j + 2; continue }
            }
            if b == 0x5D, i + 1 < n, s[i + 1] == 0x28 {  // ](target)
                var j = i + 2
                while j < n && s[j] != 0x29 { j += 1 }
                if j < n { i = j + 1; continue }
            }
            if b == 0x5B { i += 1; continue }  // [
            if (b == 0x68) && (starts("http://", at: i) || starts("https://", at: i)) {
                while i < n && !isSpace(s[i]) { i += 1 }
                continue
            }
            switch b {
            case 0x2A, 0x5F, 0x60, 0x3E, 0x23, 0x7C: out.append(0x20)  // * _ ` > # |
            default: out.append(b)
            }
            i += 1
        }
        return out
    }

    /// Splits into sentences at runs of . ! ? followed by white space, a closing quote or bracket, or the end;
    /// counts words (tokens with a letter or digit) and their syllables.
    static func count(_ s: [UInt8], into c: inout Counts) {
        var i = 0
        let n = s.count
        var sentenceWords = 0
        var word: [UInt8] = []
        func endWord() {
            if word.contains(where: isAlnum) {
                sentenceWords += 1
                c.words += 1
                c.syllables += syllables(word)
            }
            word.removeAll(keepingCapacity: true)
        }
        func endSentence() {
            endWord()
            if sentenceWords > 0 { c.sentences += 1 }
            sentenceWords = 0
        }
        while i < n {
            let b = s[i]
            if isEnd(b) {
                var j = i
                while j < n && isEnd(s[j]) { j += 1 }
                let closesQuote = j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0x9D  // ”
                if j == n || isSpace(s[j]) || s[j] == 0x22 || s[j] == 0x27 || s[j] == 0x29 || closesQuote {
                    endSentence()
                    i = j
                    continue
                }
                word += s[i..<j]
                i = j
                continue
            }
            if isSpace(b) { endWord() } else { word.append(b) }
            i += 1
        }
        endSentence()
    }

    public static func syllables(_ word: String) -> Int { syllables(Array(word.utf8)) }

    /// Vowel groups (one or two vowels), less a silent final e, es or ed, at least one a word; a number is one.
    static func syllables(_ word: [UInt8]) -> Int {
        var w: [UInt8] = word.compactMap { b in
            let l = b | 0x20
            return (b < 0x80 && l >= 0x61 && l <= 0x7A) ? l : nil
        }
        if w.isEmpty { return word.contains { $0 >= 0x30 && $0 <= 0x39 } ? 1 : 0 }
        if w.count <= 3 { return 1 }
        func vowelY(_ c: UInt8) -> Bool { c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79 }
        func lVowelY(_ c: UInt8) -> Bool { c == 0x6C || vowelY(c) }
        let k = w.count
        if k >= 3, w[k - 1] == 0x73 || w[k - 1] == 0x64, w[k - 2] == 0x65, !lVowelY(w[k - 3]) {
            w.removeLast(2)
        } else if w[k - 1] == 0x65, !lVowelY(w[k - 2]) {
            w.removeLast(1)
        }
        if w.first == 0x79 { w.removeFirst() }
        var count = 0
        var i = 0
        while i < w.count {
            if vowelY(w[i]) {
                count += 1
                i += (i + 1 < w.count && vowelY(w[i + 1])) ? 2 : 1
            } else {
                i += 1
            }
        }
        return max(1, count)
    }
}
