import Foundation
import LifeStoryCore
import LifeStoryTestSupport
import PropertyBased
import Testing

/// The release scan catches what people actually write, and leaves ordinary text alone.
@Suite("Release scan: every way people write a protected detail")
struct ReleaseScanTests {
    static let syllables = ["zor", "vek", "quil", "tram", "bex", "ond", "yul", "pax", "riv", "glo", "sket", "mur"]
    static let word = Gen.int(in: 0...(syllables.count - 1)).array(of: 2...3).map { parts in
        let w = parts.map { syllables[$0] }.joined()
        return w.prefix(1).uppercased() + w.dropFirst()
    }
    static let letter = Gen.int(in: 0...25).map { String(UnicodeScalar(UInt8(65 + $0))) }
    static let digit = Gen.int(in: 0...9).map(String.init)

    static func token(_ value: String, _ field: String) -> ProtectedToken { ProtectedToken(value: value, field: field, why: "test") }
    static func caught(_ text: String, _ token: ProtectedToken) -> Bool { !ProtectedTokens.scan(text, for: [token]).isEmpty }

    /// Characters that render as nothing, which someone may paste into a name.
    static let invisible = ["\u{200B}", "\u{00AD}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{200E}"]

    /// A word with one invisible character inside it.
    static func hide(_ w: String, _ at: Int, _ which: Int) -> String {
        var chars = Array(w)
        chars.insert(contentsOf: Array(invisible[which % invisible.count]), at: 1 + at % max(1, chars.count - 1))
        return String(chars)
    }

    /// Full-width letters, as some phone keyboards type them.
    static func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            (0x21...0x7E).contains(u.value) ? UnicodeScalar(u.value + 0xFEE0)! : u
        }))
    }

    @Test("The review's examples are all caught")
    func theReviewsExamples() {
        #expect(Self.caught("We met at the Fictionals' house", Self.token("Fictional", "people[3].name.family")))
        #expect(Self.caught("They live at 12 Sample Rd now", Self.token("12 Sample Road", "people[3].contact.address")))
        #expect(Self.caught("post it to ZZ11ZZ", Self.token("ZZ1 1ZZ", "people[3].contact.postcode")))
        #expect(Self.caught("find me: alexfictional", Self.token("@alexfictional", "people[3].contact.socialHandles[0]")))
        #expect(Self.caught("She goes to Hill\u{200B}top Example Primary", Self.token("Hilltop Example Primary", "child.settings[0].name")))
    }

    @Test("Surnames: plural, possessive, capitals, invisible characters and full-width letters")
    func surnames() async {
        await propertyCheck(count: 200, input: Self.word, Gen.int(in: 0...20), Gen.int(in: 0...6)) { surname, at, which in
            let t = Self.token(surname, "people[3].name.family")
            for text in ["the \(surname) family", "the \(surname)s' house", "\(surname)'s car", "the \(surname)s", "THE \(surname.uppercased())S",
                         "the \(surname)\u{2019}s dog", "the \(Self.hide(surname, at, which)) family", "the \(Self.fullWidth(surname)) family",
                         "with\n\(surname)\n", "<b>\(surname)</b>"] {
                #expect(Self.caught(text, t), "\(text)")
            }
            // A longer word that merely begins with the name is not the name.
            #expect(!Self.caught("\(surname)ington", t))
        }
    }

    @Test("Postcodes with or without the space, in any case")
    func postcodes() async {
        await propertyCheck(count: 200, input: Self.letter, Self.letter, Self.digit, Self.digit, Self.letter, Self.letter) { a, b, d1, d2, c, d in
            let postcode = "\(a)\(b)\(d1) \(d2)\(c)\(d)"
            let t = Self.token(postcode, "people[3].contact.postcode")
            for text in [postcode, postcode.lowercased(), postcode.replacingOccurrences(of: " ", with: ""),
                         "\(a)\(b)\(d1)  \(d2)\(c)\(d).", "\(a)\(b)\(d1)-\(d2)\(c)\(d)", "\(a)\(b)\u{200B}\(d1)\(d2)\(c)\(d)"] {
                #expect(Self.caught("send it to \(text) please", t), "\(text)")
            }
            // Stored without the space, written with it.
            let compact = Self.token(postcode.replacingOccurrences(of: " ", with: ""), "people[3].contact.postcode")
            #expect(Self.caught("at \(postcode)", compact))
        }
    }

    static let streetTypes = [("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Close", "Cl"), ("Drive", "Dr"),
                              ("Crescent", "Cres"), ("Court", "Ct"), ("Place", "Pl"), ("Gardens", "Gdns"), ("Terrace", "Terr")]

    @Test("Street addresses: abbreviations either way, with or without the number, among other parts")
    func streets() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...400), Self.word, Gen.int(in: 0...(Self.streetTypes.count - 1)), Self.word) { n, name, k, town in
            let (long, short) = Self.streetTypes[k]
            let t = Self.token("\(n) \(name) \(long), \(town)", "people[3].contact.address")
            for text in ["\(n) \(name) \(long)", "\(n) \(name) \(short)", "\(n) \(name) \(short).", "\(name) \(long)", "\(name) \(short)",
                         "\(n), \(name) \(long.uppercased())", "the house on \(name) \(short)", "\(town)"] {
                #expect(Self.caught(text, t), "\(text)")
            }
            let abbreviated = Self.token("\(n) \(name) \(short)", "people[3].contact.address")
            #expect(Self.caught("\(n) \(name) \(long)", abbreviated))
        }
    }

    @Test("Handles with or without @, with or without their separators; e-mail addresses and their local part")
    func handles() async {
        await propertyCheck(count: 200, input: Self.word, Self.word, Gen.int(in: 0...3)) { a, b, sep in
            let s = ["_", ".", "", "-"][sep]
            let handle = "@\(a.lowercased())\(s)\(b.lowercased())"
            let t = Self.token(handle, "people[3].contact.socialHandles[0]")
            for text in [handle, String(handle.dropFirst()), "\(a)\(b)".lowercased(), "@\(a.uppercased())\(s)\(b.uppercased())", "instagram.com/\(handle.dropFirst())"] {
                #expect(Self.caught("look for \(text) online", t), "\(text)")
            }
            let email = Self.token("\(a.lowercased()).\(b.lowercased())@example.invalid", "people[3].contact.email")
            #expect(Self.caught("write to \(a).\(b)@example.invalid", email))
            #expect(Self.caught("they are \(a)\(b) on there", email))
        }
    }

    @Test("Phone numbers in any spacing, with +44 or 0044")
    func phones() async {
        await propertyCheck(count: 200, input: Gen.int(in: 100_000...999_999)) { n in
            let t = Self.token("01632 \(n)", "people[3].contact.phone")
            let d = String(n)
            for text in ["01632\(d)", "(01632) \(d.prefix(3))-\(d.suffix(3))", "+44 1632 \(d)", "+44 (0)1632 \(d)", "0044 1632 \(d)",
                         "0 1 6 3 2 \(d)", "01632.\(d.prefix(3)).\(d.suffix(3))"] {
                #expect(Self.caught("ring \(text) tonight", t), "\(text)")
            }
            let mobile = Self.token("+44 7700 \(n)", "people[3].contact.phone")
            #expect(Self.caught("ring 07700 \(d)", mobile))
        }
    }

    @Test("Names with accents, ligatures and full-width letters are caught; a school name with an invisible character too")
    func oddCharacters() async {
        await propertyCheck(count: 100, input: Self.word, Self.word, Gen.int(in: 0...20), Gen.int(in: 0...6)) { school, town, at, which in
            let t = Self.token("\(school) Primary School", "child.settings[0].name")
            #expect(Self.caught("at \(Self.hide(school, at, which)) Primary School", t))
            #expect(Self.caught("at \(school) primary   school", t))
            #expect(Self.caught("at \(Self.fullWidth(school)) Primary School", t))
            let place = Self.token(town, "child.settings[0].town")
            #expect(Self.caught("near \(town.replacingOccurrences(of: "e", with: "é"))", place))
        }
    }

    /// The whole guidance library, read as ordinary text, against random details: nothing is blocked that is not there.
    @Test("Ordinary text is not blocked: the guidance library against random details")
    func ordinaryTextPasses() async throws {
        let content = Fixtures.content.resolvingSymlinksInPath()
        var text = ""
        for case let url as URL in FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)! where url.pathExtension == "md" {
            text += try String(contentsOf: url, encoding: .utf8) + "\n"
        }
        #expect(text.count > 100_000)
        let scanText = ReleaseScan.Text(text)
        await propertyCheck(count: 100, input: Self.word, Self.word, Gen.int(in: 100_000...999_999)) { surname, road, n in
            let tokens = [Self.token(surname, "people[3].name.family"), Self.token("\(n % 300 + 1) \(road) Road", "people[3].contact.address"),
                          Self.token("07700 \(n)", "people[3].contact.phone"), Self.token("@\(surname.lowercased())\(n % 100)", "people[3].contact.socialHandles[0]")]
            for t in tokens { #expect(!ReleaseScan.matches(ReleaseScan.pattern(for: t), in: scanText), "\(t.value)") }
        }
    }

    @Test("A surname that is an everyday word matches where it is written as a name, in any case")
    func everydayWordSurnames() {
        for surname in ["Long", "Baker", "Hope", "Young", "Wood"] {
            let t = Self.token(surname, "people[3].name.family")
            let lower = surname.lowercased()
            #expect(!Self.caught("It can take a \(lower) time, and that is fine.", t), "\(surname)")
            for text in ["Mrs \(surname) will call you", "the \(surname)s' house", "THE \(surname.uppercased()) FAMILY", "mrs \(lower) will call",
                         "the \(lower)s' friend", "the \(lower) family", "at the \(lower)'s", "\(lower) house"] {
                #expect(Self.caught(text, t), "\(surname): \(text)")
            }
        }
    }

    @Test("Disguises: look-alike letters from other scripts, invisible letters, spaced-out letters, run-together names, O for 0")
    func disguises() {
        let surname = Self.token("Fictional", "people[3].name.family")
        for text in ["the Fict\u{0456}onal family", "the fictional family", "the fictionals' friend", "Fic\u{3164}tional", "Fic\u{034F}tional",
                     "F i c t i o n a l", "\u{0424}ictional".replacingOccurrences(of: "\u{0424}", with: "F"), "FICTΙONAL"] {
            #expect(Self.caught(text, surname), "\(text)")
        }
        let name = Self.token("Jamie", "child.currentName.given")
        for text in ["J a m i e", "J\u{0430}mie", "JAMIE", "Ja\u{200D}mie"] { #expect(Self.caught(text, name), "\(text)") }
        let street = Self.token("12 Sample Road", "people[3].contact.address")
        for text in ["SampleRoad", "12SampleRd", "sample-road", "S a m p l e Road"] { #expect(Self.caught(text, street), "\(text)") }
        let postcode = Self.token("ZZ1 1ZZ", "people[3].contact.postcode")
        for text in ["Z Z 1 1 Z Z", "zz1 1zz", "Z-Z-1-1-Z-Z"] { #expect(Self.caught(text, postcode), "\(text)") }
        let phone = Self.token("01632 960123", "people[3].contact.phone")
        for text in ["O1632 96O123", "0l632 960l23", "(0)1632 96 01 23"] { #expect(Self.caught(text, phone), "\(text)") }
        // Ordinary words in other scripts are left alone: a Greek or Russian sentence is not a name.
        #expect(!Self.caught("Καλημέρα, как дела?", surname))
    }
}
