import Foundation
@testable import LifeStoryContent
import LifeStoryCore
import LifeStoryTestSupport
import Testing

/// The shipped library, and copies of it with one thing broken.
@Suite("Guidance library")
struct ContentTests {
    static let shipped = Fixtures.content
    let asOf = Fixtures.date("2026-11-30")

    /// A private copy of the shipped library to break.
    func copy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-content-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.shipped, to: dir)
        return dir
    }

    func edit(_ root: URL, _ file: String, _ change: (String) -> String) throws {
        let url = root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the edit to \(file) changed nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }

    func errors(_ root: URL, law: LawBook? = nil) throws -> [ContentProblem] {
        let report = try ContentCheck.run(root: root, asOf: asOf, law: law ?? (try LawBook.bundled()))
        return report.problems.filter { $0.level == .error }
    }

    @Test func theShippedLibraryPasses() throws {
        let report = try ContentCheck.run(root: Self.shipped, asOf: asOf, law: try LawBook.bundled())
        #expect(report.errors == 0, "\(report.problems.filter { $0.level == .error })")
        let counts = Dictionary(uniqueKeysWithValues: report.summaries.map { ($0.kind, $0.count) })
        #expect(counts[.stage] == 9)
        #expect(counts[.contingency]! >= 15)
        #expect(counts[.platform]! >= 14)
        #expect(counts[.jurisdiction] == 4)
        #expect(counts[.checklist]! >= 6)
        for s in report.summaries {
            if let a = s.worstAdult { #expect(a.grade <= 8, "\(s.kind)") }
            if let c = s.worstChild { #expect(c.grade <= 5, "\(s.kind)") }
        }
    }

    @Test func theLibraryIsTheSourceOfCoresLawData() throws {
        var fromContent = try ContentLibrary.load(from: Self.shipped).law
        var bundled = try LawBook.bundled()
        fromContent.edition = ""
        bundled.edition = ""
        // Compare piece by piece, so a failure says what differs rather than printing both books.
        #expect(fromContent.jurisdictions.map(\.code) == bundled.jurisdictions.map(\.code))
        for (a, b) in zip(fromContent.jurisdictions, bundled.jurisdictions) { #expect(a == b, "\(a.code.rawValue) differs") }
        #expect(fromContent.platforms.map(\.platform) == bundled.platforms.map(\.platform))
        for (a, b) in zip(fromContent.platforms, bundled.platforms) { #expect(a == b, "\(a.platform) differs") }
        #expect(bundled.platform(named: "WhatsApp")?.minAge.value(on: Fixtures.date("2024-01-01")) == 16)
        #expect(bundled.platform(named: "whatsapp")?.minAge.value(on: Fixtures.date("2025-01-01")) == 13)
    }

    @Test func everyGuidanceReferenceInThePlansExists() throws {
        let library = try ContentLibrary.load(from: Self.shipped)
        for name in Fixtures.names {
            let plan = try Fixtures.plan(name)
            let refs = plan.stageItems.compactMap(\.item.contentRef) + plan.contingencies.compactMap(\.contentRef)
            for ref in refs { #expect(library.item(ref) != nil, "\(name) refers to '\(ref)', which is not in Content/") }
        }
    }

    @Test func aMissingSectionIsNamed() throws {
        let root = try copy()
        try edit(root, "stages/stage-E.md") { $0.replacingOccurrences(of: "## If your child missed this stage", with: "## Catching up") }
        let found = try errors(root)
        #expect(found.contains { $0.file == "stages/stage-E.md" && $0.message == "the required section '## If your child missed this stage' is missing" })
    }

    @Test func anUnknownPlaceholderIsRefusedAndNeverLoads() throws {
        let root = try copy()
        try edit(root, "contingencies/contingency-C1.md") { $0.replacingOccurrences(of: "## Afterwards\n", with: "## Afterwards\n\nTell {{birthMum.name}} nothing.\n") }
        let found = try errors(root)
        #expect(found.contains { $0.file == "contingencies/contingency-C1.md" && $0.message.hasPrefix("unknown placeholder {{birthMum.name}}") })
        #expect(throws: ContentProblemList.self) { try ContentLibrary.load(from: root) }
    }

    @Test func aPassedReviewDateFailsAndOneDueSoonWarns() throws {
        let root = try copy()
        try edit(root, "platforms/platform-tiktok.md") { $0.replacingOccurrences(of: #"review_by: [0-9-]+"#, with: "review_by: 2026-11-01", options: .regularExpression) }
        #expect(try errors(root).contains { $0.file == "platforms/platform-tiktok.md" && $0.field == "review_by" })
        let soon = try ContentCheck.run(root: Self.shipped, asOf: Fixtures.date("2027-02-15"), law: try LawBook.bundled())
        #expect(soon.problems.contains { $0.level == .warning && $0.field == "review_by" })
        #expect(soon.errors == 0)
    }

    @Test func rawHTMLIsRefused() throws {
        let root = try copy()
        try edit(root, "checklists/checklist-before-first-phone.md") { $0 + "\n<script>alert('x')</script>\n" }
        #expect(try errors(root).contains { $0.file == "checklists/checklist-before-first-phone.md" && $0.message.hasPrefix("contains raw HTML") })
    }

    @Test func tooFewPhrasingsAndUntaggedTopicsAreCaught() throws {
        let root = try copy()
        try edit(root, "stages/stage-B.md") { text in
            // Keep only the first phrasing of "What you might say".
            var lines = text.components(separatedBy: "\n")
            guard let start = lines.firstIndex(of: "## What you might say") else { return text }
            var i = start + 1, kept = 0
            while i < lines.count && !lines[i].hasPrefix("## ") {
                if lines[i].hasPrefix("- ") { kept += 1; if kept > 1 { lines.remove(at: i); continue } }
                i += 1
            }
            return lines.joined(separator: "\n").replacingOccurrences(of: "- **Privacy and security:**", with: "- Privacy and security:")
        }
        let found = try errors(root).filter { $0.file == "stages/stage-B.md" }
        #expect(found.contains { $0.message.hasPrefix("needs at least 4 example phrasings") })
        #expect(found.contains { $0.message.hasPrefix("each topic starts with its strand in bold") })
    }

    @Test func unreadableYAMLAndWrongTypesNameTheField() throws {
        let root = try copy()
        try edit(root, "platforms/platform-x.md") { $0.replacingOccurrences(of: "reviewed_on: 2026-11-30", with: "reviewed_on: 2026-02-31") }
        try edit(root, "orders/order-ew-sgo.md") { $0.replacingOccurrences(of: "kind: order", with: "kind: ordr") }
        let found = try errors(root)
        #expect(found.contains { $0.file == "platforms/platform-x.md" && $0.field == "reviewed_on" && $0.message.contains("February 2026 has 28 days") })
        #expect(found.contains { $0.file == "orders/order-ew-sgo.md" && $0.field == "kind" && $0.message.hasPrefix("unknown value 'ordr'") })
    }

    @Test func aPracticeLeadAddsAPlatformByCopyingOneFile() throws {
        let root = try copy()
        let text = try String(contentsOf: root.appendingPathComponent("platforms/platform-bereal.md"), encoding: .utf8)
        try text.replacingOccurrences(of: "id: platform-bereal", with: "id: platform-example-chat")
            .replacingOccurrences(of: "platform: BeReal", with: "platform: Example Chat")
            .write(to: root.appendingPathComponent("platforms/platform-example-chat.md"), atomically: true, encoding: .utf8)
        let library = try ContentLibrary.load(from: root)
        #expect(library.law.platform(named: "Example Chat") != nil)
        // The only thing left to do is regenerate the law data (lifestory content law --write).
        let found = try errors(root)
        #expect(found.count == 1 && found[0].message.contains("content law --write"), "\(found)")
        #expect(try errors(root, law: library.law).isEmpty)
    }

    @Test func theEditionChangesWithAnyFileAndOnlyThen() throws {
        let a = try ContentLibrary.load(from: Self.shipped).edition
        #expect(try ContentLibrary.load(from: Self.shipped).edition == a)
        let root = try copy()
        #expect(try ContentLibrary.load(from: root).edition == a)
        try edit(root, "stages/stage-A.md") { $0 + "\nOne more sentence for you.\n" }
        #expect(try ContentLibrary.load(from: root).edition != a)
    }
}

@Suite("Placeholders, Markdown and reading level")
struct RenderingTests {
    @Test func placeholdersUseTheChildsOwnWords() throws {
        let plan = try Fixtures.plan("clean-eng")
        let values = Placeholders.values(for: plan)
        let out = Placeholders.render("You grew in {{birthMother.term}}'s tummy. {{fosterCarer.term}} looked after you. Call {{responder.outOfHours}}.", values: values)
        #expect(out == "You grew in Mummy Kelly's tummy. Jo looked after you. Call Emergency duty team (Example Council), 01632 960999.")
    }

    @Test func aMissingValueFallsBackToWordsNeverABlank() throws {
        var plan = try Fixtures.plan("clean-eng")
        plan.people.removeAll { $0.role == .birthFather }
        let out = Placeholders.render("Talk about {{birthFather.term}}.", values: Placeholders.values(for: plan))
        #expect(out == "Talk about your birth father.")
    }

    @Test func valuesAreTextNeverMarkupOrMorePlaceholders() {
        let values: [Placeholder: String] = [.childKnownAs: "<script>alert(1)</script>{{birthMother.term}}"]
        let out = Placeholders.render("Hello {{child.knownAs}}", values: values, escape: Placeholders.escapeHTML)
        #expect(out == "Hello &lt;script&gt;alert(1)&lt;/script&gt;{{birthMother.term}}")
    }

    @Test func markdownNeverPassesHTMLThrough() throws {
        let library = try ContentLibrary.load(from: ContentTests.shipped)
        for item in library.items {
            for s in item.sections { for j in JurisdictionCode.allCases { #expect(!s.html(for: j).contains("<script"), "\(item.id)") } }
        }
        // Even if a file slipped past the check, its HTML would show as text, and unsafe links lose their target.
        let html = MarkdownBody.html("Hi <script>alert(1)</script> &amp; [tap](javascript:alert(1)) [ok](https://example.org)")
        #expect(!html.contains("<script") && html.contains("&lt;script&gt;"))
        #expect(!html.contains("javascript:") && html.contains("tap"))
        #expect(html.contains("<a href=\"https://example.org\">ok</a>"))
    }

    @Test func readingLevelMatchesTheReferenceFormula() {
        #expect(Readability.syllables("beautiful") == 4)
        #expect(Readability.syllables("make") == 1)
        #expect(Readability.syllables("cat") == 1)
        #expect(Readability.syllables("tables") == 2)
        #expect(Readability.syllables("13") == 1)
        // "Call me now." : 3 words, 1 sentence, 3 syllables: 0.39 × 3 + 11.8 × 1 − 15.59 = −2.62.
        let c = Readability.measure(["Call me now."])
        #expect(c.words == 3 && c.sentences == 1 && c.syllables == 3)
        #expect(c.grade == -2.6)
        // A list item with no full stop still ends its sentence; placeholders count as one short word.
        let d = Readability.measure(["Ask {{birthMother.term}} first", "Then wait. Then talk!"])
        #expect(d.sentences == 3 && d.words == 7)
    }
}

/// Law for each nation: nation blocks, the Acts' extent, 999 for immediate danger only.
@Suite("Guidance library: each nation's own law")
struct NationLawTests {
    func problems(_ lines: [String], kind: ContentKind = .checklist, readers: [JurisdictionCode] = JurisdictionCode.allCases) -> [String] {
        let (parts, syntax) = NationBlocks.parts(lines)
        return syntax + LegalText.problems(kind: kind, readers: readers, sections: [ContentSection(title: "The law that can help", parts: parts)], file: "x.md").map(\.message)
    }

    @Test("A reader in a nation reads that nation's block and no other; with no nation, only the common text")
    func blocksSelectByNation() {
        let (parts, problems) = NationBlocks.parts(["Intro.", "::: ENG WLS", "Family Law Act 1996.", ":::", "::: SCO", "An interdict.", ":::", "::: NI = SCO"])
        #expect(problems.isEmpty, "\(problems)")
        let s = ContentSection(title: "x", parts: parts)
        #expect(s.markdown(for: .england) == "Intro.\n\nFamily Law Act 1996." && s.markdown(for: .wales) == s.markdown(for: .england))
        #expect(s.markdown(for: .scotland) == "Intro.\n\nAn interdict." && s.markdown(for: .northernIreland) == s.markdown(for: .scotland))
        #expect(s.markdown(for: nil) == "Intro.", "without a nation, no nation's law")
        #expect(s.html(for: .scotland).contains("interdict") && !s.html(for: .scotland).contains("Family Law Act"))
    }

    @Test("Blocks must cover all four nations, once each, and be closed")
    func blocksCoverAllFour() {
        #expect(problems(["::: ENG", "x", ":::"]).filter { $0.contains("none for") }.count == 3)
        #expect(problems(["::: ENG WLS SCO NI", "x", ":::", "::: ENG", "y", ":::"]).contains { $0.contains("more than one nation block for England") })
        #expect(problems(["::: ENG WLS SCO NI", "x"]).contains { $0.contains("not closed") })
        #expect(problems(["::: ENG WLS SCO", "x", ":::", "::: NI = XX"]).contains { $0.contains("two different nation codes") })
        #expect(problems(["::: ENG WLS SCO NI", "x", ":::"]).isEmpty)
    }

    @Test("An Act is cited only where it extends: outside blocks only if it reaches every reader, in a block only for its nations")
    func actsWhereTheyExtend() {
        #expect(problems(["Apply under the Family Law Act 1996."]).contains { $0.contains("outside nation blocks") })
        #expect(problems(["Apply under the Family Law Act 1996."], kind: .order, readers: [.england, .wales]).allSatisfy { !$0.contains("Family Law Act") },
                "an England and Wales order page may cite England and Wales law")
        #expect(problems(["::: ENG WLS SCO", "Family Law Act 1996.", ":::", "::: NI", "The 1998 Order.", ":::"]).contains { $0.contains("block for Scotland cites the Family Law Act 1996") })
        #expect(problems(["::: ENG WLS NI", "Section 181 of the Online Safety Act 2023.", ":::", "::: SCO", "Section 38.", ":::"]).isEmpty,
                "section 181 reaches England, Wales and Northern Ireland")
        #expect(problems(["::: ENG WLS", "x", ":::", "::: SCO NI", "The Online Safety Act 2023, section 181.", ":::"]).contains { $0.contains("section 181") })
        #expect(problems(["The Online Safety Act 2023 and the Data Protection Act 2018 apply."]).isEmpty, "UK-wide Acts need no blocks")
        #expect(problems(["Under the Widgets and Gadgets Act 2011."]).contains { $0.contains("not in the table of Acts") })
        #expect(problems(["::: ENG WLS SCO NI", "In Year 7 at secondary school.", ":::"]).isEmpty)
        #expect(problems(["In Year 7 at secondary school."]).contains { $0.contains("school year") })
    }

    @Test("999 is for immediate danger: any other line with it is refused")
    func nineNineNine() {
        #expect(problems(["If there is danger now, call 999."]).isEmpty)
        #expect(problems(["Call 999 at once if a meeting is planned."]).contains { $0.contains("999") })
    }

    @Test("Every contingency in the shipped library says its law for all four nations, and no file cites an Act where it does not extend")
    func shippedLibrary() throws {
        let library = try ContentLibrary.load(from: ContentTests.shipped)
        let table = try #require(LegalText.acts)
        for item in library.items {
            if item.kind == .contingency { #expect(item.section("The law that can help")?.hasNationBlocks == true, "\(item.id)") }
            for j in LegalText.readers(item.details) {
                for s in item.sections {
                    for c in table.citations(in: s.markdown(for: j)) {
                        #expect(c.extent.contains(j), "\(item.id) ## \(s.title) gives a family in \(j.name) the \(c.act.name)\(c.section.map { " s.\($0)" } ?? "")")
                    }
                }
            }
        }
    }
}

@Suite("Guidance library: what changed, edition by edition")
struct ChangeLogTests {
    @Test("The shipped changelog names real files and platforms, and says whom each change concerns")
    func shipped() throws {
        let library = try ContentLibrary.load(from: ContentTests.shipped)
        #expect(library.changes.count >= 50)
        #expect(Set(library.changes.map(\.file)).isSubset(of: Set(library.items.map(\.file))))
        let scottish14 = library.changes.filter { $0.concerns(age: 14, nation: .scotland, platforms: ["instagram"], audience: .adopter) }
        #expect(!scottish14.isEmpty)
        #expect(!scottish14.contains { $0.nations == [.england] }, "a change for English families only is not shown to a Scottish one")
    }

    @Test("A changelog line naming a file or platform the library does not have is refused")
    func refusesUnknowns() throws {
        let t = ContentTests()
        let root = try t.copy()
        defer { try? FileManager.default.removeItem(at: root) }
        try """
        edition: 2026-11-30
        changes:
          - file: platforms/platform-nowhere.md
            change: "Something."
          - file: platforms/platform-snapchat.md
            change: "Something else."
            platforms: [Nowhere Chat]
        """.write(to: root.appendingPathComponent("changes/2026-11-30-test.yml"), atomically: true, encoding: .utf8)
        let errors = try t.errors(root)
        #expect(errors.contains { $0.message.contains("'platforms/platform-nowhere.md' is not a file in the library") })
        #expect(errors.contains { $0.message.contains("'Nowhere Chat' has no page in platforms/") })
    }
}
