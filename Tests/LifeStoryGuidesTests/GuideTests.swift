import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryTestSupport
import PropertyBased
import Testing

struct Kit {
    let library: ContentLibrary
    let law: LawBook
    let renderer: GuideRenderer
    let asOf = Fixtures.date("2026-11-21")

    init() throws {
        library = try ContentLibrary.load(from: Fixtures.content)
        law = try LawBook.bundled()
        renderer = try GuideRenderer()
    }

    func html(_ g: Guide, _ plan: Plan) throws -> String { try GuideRelease.release(g, plan: plan, renderer: renderer).html }
}

@Suite("Guides")
struct GuideTests {
    let kit: Kit
    init() throws { kit = try Kit() }

    @Test func theAdopterGuideHasEverythingAFamilyNeeds() throws {
        let plan = try Fixtures.plan("clean-eng")
        let g = try GuideBuilder.adopterGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)
        #expect(g.sections.map(\.title) == ["About this guide", "Where you are now", "What comes next", "Catching up",
                                            "Your household checklist", "Contact, in plain English", "What to do if",
                                            "Apps and games", "Where to get support", "Words we use"])
        let html = try kit.html(g, plan)
        #expect(html.contains("Mummy Kelly"))  // phrasings in the child's own words
        #expect(!html.contains("{{"))          // no placeholder left unfilled
        #expect(html.contains("01632 960999") && html.contains("day and night"))  // out-of-hours numbers on the cards
        let cards = html.components(separatedBy: "<article class=\"card").count - 1
        #expect(cards == plan.contingencies.filter(\.applicable).count)
        #expect(html.contains("supports, and does not replace, the advice of your social worker"))
        #expect(!g.title.contains("Sam") && !g.title.contains("Fictional"))  // the running header never names the child
    }

    @Test func theFosterCarerGuideSaysWhatNeedsTheSocialWorkerAndNothingOfTheAdopters() throws {
        let plan = try Fixtures.plan("clean-eng")
        let g = try GuideBuilder.fosterCarerGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)
        #expect(g.sections.contains { $0.title == "Decisions that need the social worker" })
        let html = try kit.html(g, plan)
        #expect(ProtectedTokens.scan(GuideRelease.scannable(html), for: ProtectedTokens.forFosterCarer(plan)).isEmpty)
        #expect(html.contains("ask the social worker first"))
    }

    @Test func aBirthRelativeSummaryHoldsNoProtectedInformation() throws {
        for name in ["clean-eng", "clean-wls", "clean-sco", "clean-ni"] {
            let plan = try Fixtures.plan(name)
            for person in GuideBuilder.birthRelatives(plan) {
                let g = try GuideBuilder.birthRelativeSummary(plan, for: person, library: kit.library, law: kit.law, asOf: kit.asOf)
                let html = try kit.html(g, plan)
                #expect(ProtectedTokens.scan(GuideRelease.scannable(html), for: ProtectedTokens.of(plan)).isEmpty, "\(name) \(person)")
                #expect(!html.contains(plan.id), "the plan id is L1: not for birth relatives")
            }
        }
    }

    @Test func aPlantedTokenIsCaughtAndTheGuideIsNotReleased() throws {
        var plan = try Fixtures.plan("clean-eng")
        // Someone writes the adopters' road into the letterbox condition a birth relative reads.
        plan.arrangements[0].conditions[0].text = "Letters are collected from 12 Sample Road."
        let g = try GuideBuilder.birthRelativeSummary(plan, for: "p-kelly", library: kit.library, law: kit.law, asOf: kit.asOf)
        #expect(throws: GuideError.leak(audience: "birth-relative", fields: ["people[3].contact.address"])) {
            try GuideRelease.release(g, plan: plan, renderer: kit.renderer)
        }
        // The same wording is fine for the adopters, who know their own address.
        let adopter = try GuideBuilder.adopterGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)
        _ = try GuideRelease.release(adopter, plan: plan, renderer: kit.renderer)
    }

    @Test func freeTextIsShownAsTextEverywhere() throws {
        var plan = try Fixtures.plan("clean-eng")
        plan.arrangements[0].conditions[0].text = "<script>alert('x')</script> {{child.knownAs}}"
        plan.people[0].termUsedByChild = "<b>Mum</b> {{birthFather.term}}"
        for g in [try GuideBuilder.adopterGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf),
                  try GuideBuilder.birthRelativeSummary(plan, for: "p-kelly", library: kit.library, law: kit.law, asOf: kit.asOf)] {
            let html = try kit.html(g, plan)
            #expect(!html.contains("<script>") && !html.contains("<b>Mum"))
            #expect(html.contains("&lt;script&gt;"))
            #expect(html.contains("{{child.knownAs}}"), "a placeholder typed by a user stays as typed, never expanded")
        }
    }

    @Test func thePanelPackLeadsWithTheDecisionAndCarriesTheCaseAndChanges() throws {
        let plan = try Fixtures.plan("v2-direct-contact-with-prohibited-person")
        let before = try Fixtures.plan("clean-eng")
        let proof = GuideBuilder.redactionProof(plan, library: kit.library, law: kit.law, asOf: kit.asOf, renderer: kit.renderer)
        let g = GuideBuilder.panelPack(plan, library: kit.library, law: kit.law, asOf: kit.asOf, previousApproved: before, redactionProof: proof)
        #expect(g.sections.map(\.id) == ["summary", "people", "views", "contact", "stages", "contingencies", "risk", "support", "signoffs", "changes"])
        let html = try kit.html(g, plan)
        #expect(html.contains("to put right before a decision"))
        #expect(html.contains("Not allowed: an order in force forbids contact with this person"))
        #expect(html.contains("Added: contact with Dan Example (birth father) by supervised meetings"))
        let allClean = proof.allSatisfy { $0.1 }
        #expect(allClean)
    }

    /// What a panel member must be able to decide from, for every plan: the blocking findings first, the views in
    /// their own words, the people; and no id, rule code or enum code anywhere.
    @Test("The panel pack of every demo and fixture plan shows the views, the people and the blocking findings, and no id or code")
    func thePanelPackSpeaksWords() throws {
        var plans = try Fixtures.names.map { try Fixtures.plan($0) }
        let demo = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/LifeStoryStorage/Resources/demo")
        for file in try FileManager.default.contentsOfDirectory(at: demo, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
            plans.append(try PlanArchive.decode(Data(contentsOf: file)).plan)
        }
        #expect(plans.count > 20)
        for plan in plans {
            let findings = Rules.check(plan, law: kit.law, asOf: kit.asOf)
            let g = GuideBuilder.panelPack(plan, library: kit.library, law: kit.law, asOf: kit.asOf, previousApproved: nil, redactionProof: [("the adopters' guide", true)])
            let html = try kit.html(g, plan)
            let summary = try #require(g.sections.first)
            #expect(summary.id == "summary", "\(plan.id): the decision comes first")
            // The first section: everything before the people.
            let first = String(html[..<(html.range(of: "id=\"people\"")?.lowerBound ?? html.endIndex)])
            for f in findings where f.severity == .error {
                #expect(first.contains(GuideTests.escaped(String(f.message.prefix(40)))), "\(plan.id): a blocking finding is on the first page: \(f.message.prefix(60))")
            }
            if let v = plan.views.child { #expect(html.contains(GuideTests.escaped(String(v.summary.prefix(30)))), "\(plan.id): the child's view") }
            if let v = plan.views.adopters { #expect(html.contains(GuideTests.escaped(String(v.summary.prefix(30)))), "\(plan.id): the adopters' view") }
            for person in plan.people { #expect(html.contains(GuideTests.escaped(person.name.full)), "\(plan.id): \(person.name.full)") }
            let text = html.replacingOccurrences(of: #"(?s)<style.*?</style>"#, with: " ", options: .regularExpression)
                .replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
            #expect(!text.contains(plan.id), "\(plan.id): the plan's id")
            for code in ["V1 ", "V2 ", "V10", "P11", "S1 ", "S2 ", "S3 ", "S4 ", "_", "revision "] {
                #expect(!text.contains(code), "\(plan.id): '\(code)' in the pack: …\(GuideTests.around(code, in: text))")
            }
            for person in plan.people { #expect(!text.contains(" \(person.id) ") && !text.contains("(\(person.id))"), "\(plan.id): a person's id") }
            // A code whose words carry an apostrophe its letters lack ("child's social worker") never appears as
            // its letters ("childs social worker").
            let lower = text.lowercased().replacingOccurrences(of: "&#39;", with: "'")
            for code in CodeWords.words.keys {
                let letters = code.replacingOccurrences(of: "_", with: " ").lowercased()
                let words = CodeWords.inline(code).lowercased()
                guard words.contains("'"), words.replacingOccurrences(of: "'", with: "").contains(letters) else { continue }
                #expect(!lower.contains(" \(letters) ") && !lower.contains(" \(letters)\n"), "\(plan.id): '\(letters)' in the pack: …\(GuideTests.around(letters, in: lower))")
            }
            #expect(!lower.contains(" a adoptive") && !lower.contains(" a emergency"), "\(plan.id): 'a' before a vowel")
            for person in plan.people where person.relationship == nil {
                #expect(lower.contains(CodeWords.inline(person.role.rawValue).lowercased()), "\(plan.id): \(person.name.full)'s role in words")
            }
        }
    }

    static func around(_ code: String, in text: String) -> String {
        guard let r = text.range(of: code) else { return "" }
        let start = text.index(r.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
        return String(text[start..<r.upperBound])
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test func theCalendarHasValidEventsAndNothingIdentifying() throws {
        let plan = try Fixtures.plan("clean-eng")
        let ics = GuideCalendar.ics(plan, law: kit.law, asOf: kit.asOf)
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"))
        let events = ics.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        #expect(events.count >= 5)
        for e in events {
            for field in ["UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "SUMMARY:"] { #expect(e.contains(field)) }
        }
        #expect(ics.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(ProtectedTokens.scan(ics, for: ProtectedTokens.of(plan)).isEmpty)
        #expect(!ics.contains("Sam") && !ics.contains("Kelly") && !ics.contains("Dan "))
        #expect(GuideCalendar.ics(plan, law: kit.law, asOf: kit.asOf) == ics)
    }

    static let syllables = ["zor", "vek", "quil", "tram", "bex", "ond", "yul", "pax", "riv", "glo", "sket", "mur"]
    static let word = Gen.int(in: 0...(syllables.count - 1)).array(of: 2...3).map { parts in
        let w = parts.map { syllables[$0] }.joined()
        return w.prefix(1).uppercased() + w.dropFirst()
    }

    /// Random identifying details in every protected field, every audience: no leak ever reaches a foster carer or a
    /// birth relative, and every document is released.
    @Test func noRandomPlanLeaksToAnyAudience() async throws {
        let kit = self.kit
        let bases = try ["clean-eng", "clean-wls", "clean-sco", "clean-ni"].map(Fixtures.plan)
        await propertyCheck(count: 40, input: Gen.int(in: 0...3), Self.word, Self.word, Self.word, Self.word, Self.word) { b, surname, road, school, newName, handle in
            var plan = bases[b]
            for i in plan.people.indices where plan.people[i].role == .adopter {
                plan.people[i].name.family = surname
                plan.people[i].contact = ContactDetails(phone: "01632 96\(surname.count)\(road.count)\(school.count)1", address: "\(road) Road",
                                                        town: "\(road)ton", socialHandles: ["@\(handle.lowercased())"])
            }
            plan.child.currentName = PersonName(given: newName, family: surname)
            plan.child.knownAs = newName
            plan.child.settings = [ChildSetting(kind: .school, name: "\(school) Primary School", town: "\(school)by")]
            do {
                for g in [try GuideBuilder.fosterCarerGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)]
                    + (try GuideBuilder.birthRelatives(plan).map { try GuideBuilder.birthRelativeSummary(plan, for: $0, library: kit.library, law: kit.law, asOf: kit.asOf) }) {
                    let released = try GuideRelease.release(g, plan: plan, renderer: kit.renderer)
                    let tokens = GuideRelease.tokens(for: g.audience, plan: plan)
                    #expect(ProtectedTokens.scan(GuideRelease.scannable(released.html), for: tokens).isEmpty)
                    #expect(!released.html.contains(surname) && !released.html.contains(newName))
                }
                _ = try GuideRelease.release(try GuideBuilder.adopterGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf), plan: plan, renderer: kit.renderer)
            } catch {
                Issue.record("a guide was refused: \(error)")
            }
        }
    }
}

/// WeasyPrint itself: run whenever it is installed (CI always installs it in the tools venv).
@Suite("PDF through WeasyPrint", .enabled(if: (try? WeasyPrint.locate()) != nil, "WeasyPrint is not on PATH"))
struct PDFTests {
    func temp() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func archivalCopiesArePDFA3bAndTheTextCanBeScanned() throws {
        let kit = try Kit()
        let plan = try Fixtures.plan("clean-ni")
        let g = try GuideBuilder.birthRelativeSummary(plan, for: "p-nora", library: kit.library, law: kit.law, asOf: kit.asOf)
        let dir = try temp()
        let html = dir.appendingPathComponent("s.html"), pdf = dir.appendingPathComponent("s.pdf")
        try Data(try kit.html(g, plan).utf8).write(to: html)
        try WeasyPrint.locate().render([.init(html: html, pdf: pdf)], archival: true)
        let info = Process()
        info.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
        info.arguments = ["-meta", pdf.path]
        let pipe = Pipe()
        info.standardOutput = pipe
        try info.run()
        let meta = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        info.waitUntilExit()
        #expect(meta.contains("pdfaid:part=\"3\"") && meta.contains("pdfaid:conformance=\"B\""), "\(meta)")
        let text = try PDFText.extract(pdf)
        #expect(text.contains("What was agreed") && text.contains("written for you, Noor"))
        #expect(try GuideRelease.scan(text, audience: .birthRelative, plan: plan) > 0)
    }

    @Test func aCharacterNoFontCanDrawFailsTheBatch() throws {
        let dir = try temp()
        let html = dir.appendingPathComponent("n.html")
        try Data("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title></head><body><p>Name: \u{E000}</p></body></html>".utf8).write(to: html)
        #expect {
            try WeasyPrint.locate().render([.init(html: html, pdf: dir.appendingPathComponent("n.pdf"))], archival: false)
        } throws: { error in
            (error as? GuideError)?.description.contains(".notdef") == true
        }
    }
}

/// Each family reads its own nation's law, and the under-16 restriction as data in both its states.
@Suite("Guides: the family's own nation and the law as it stands")
struct NationGuideTests {
    @Test("Every guide of every fixture plan cites only Acts that extend to the plan's nation")
    func ownNationOnly() throws {
        let kit = try Kit()
        let table = try ActTable.bundled()
        let files = try FileManager.default.contentsOfDirectory(at: Fixtures.plans, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
        var checked = Set<JurisdictionCode>()
        for file in files {
            guard let plan = try? PlanArchive.decode(Data(contentsOf: file)).plan else { continue }
            var guides = [GuideBuilder.panelPack(plan, library: kit.library, law: kit.law, asOf: kit.asOf, previousApproved: nil, redactionProof: [])]
            guides.append(plan.currentPlacement?.kind.carersAreFosterCarers == true
                ? try GuideBuilder.fosterCarerGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)
                : try GuideBuilder.adopterGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf))
            for person in GuideBuilder.birthRelatives(plan) {
                guides.append(try GuideBuilder.birthRelativeSummary(plan, for: person, library: kit.library, law: kit.law, asOf: kit.asOf))
            }
            for g in guides {
                let text = GuideRelease.scannable(kit.renderer.html(g, agency: plan.agency.name))
                for c in table.citations(in: text) {
                    #expect(c.extent.contains(plan.child.jurisdiction),
                            "\(file.lastPathComponent) \(g.audience.rawValue): a family in \(plan.child.jurisdiction.name) is told about the \(c.act.name)\(c.section.map { " s.\($0)" } ?? "")")
                }
            }
            checked.insert(plan.child.jurisdiction)
        }
        #expect(checked.count == 4, "plans from all four nations were read")
    }

    /// A 13-year-old in England whose plan starts their own Instagram account at 14, after the expected date.
    static func planWithAccount() throws -> Plan {
        var plan = try Fixtures.plan("clean-eng")
        plan.child.dateOfBirth = CalendarDate(year: 2013, month: 1, day: 1)!
        let item = StageItem(id: "i-account-test", title: "Set up Instagram together", kind: .conversation,
                             targetDate: CalendarDate(year: 2027, month: 6, day: 1)!, account: AccountPlan(platform: "Instagram", heldBy: .child))
        if plan.stages.isEmpty { plan.stages = [PlannedStage(code: .e, items: [item])] } else { plan.stages[0].items.append(item) }
        return plan
    }

    @Test("Announced, not in force: check warns and the guide says it is not law yet; in force, the same data turns the warning into an error and the guide says it is the law")
    func underSixteenBothStates() throws {
        let kit = try Kit()
        let plan = try Self.planWithAccount()
        var law = kit.law
        let i = try #require(law.platforms.firstIndex { $0.platform == "Instagram" })
        #expect(law.platforms[i].announced?.age == 16, "the shipped data holds the announcement")
        func v1(_ law: LawBook) -> [Finding] { Rules.check(plan, law: law, asOf: kit.asOf).filter { $0.rule == "V1" && $0.message.contains("Instagram") || $0.rule == "V1" && $0.message.contains("announced") } }
        let announced = v1(law)
        #expect(announced.contains { $0.severity == .warning && $0.message.contains("not law yet") }, "\(announced)")
        #expect(!announced.contains { $0.severity == .error })
        let html = kit.renderer.html(try GuideBuilder.adopterGuide(plan, library: kit.library, law: law, asOf: kit.asOf), agency: "x")
        #expect(html.contains("Not law yet: the government has announced"))

        // The regulations are made: the data changes for every platform named, and nothing else does.
        for p in law.platforms.indices where !law.platforms[p].restrictions.isEmpty {
            law.platforms[p].restrictions[0].status = .inForce
            law.platforms[p].restrictions[0].inForceFrom = CalendarDate(year: 2027, month: 3, day: 1)!
        }
        #expect(law.platforms[i].restrictionInForce(on: CalendarDate(year: 2027, month: 3, day: 1)!) != nil)
        let inForce = Rules.check(plan, law: law, asOf: kit.asOf).filter { $0.rule == "V1" }
        #expect(inForce.contains { $0.severity == .error && $0.message.contains("the law on Instagram accounts for children under 16") }, "\(inForce)")
        #expect(!inForce.contains { $0.message.contains("not law yet") })
        let later = kit.renderer.html(try GuideBuilder.adopterGuide(plan, library: kit.library, law: law, asOf: CalendarDate(year: 2027, month: 4, day: 1)!), agency: "x")
        #expect(later.contains("the law says children under 16 may not have their own Instagram account"))
        #expect(!later.contains("Not law yet: the government has announced a restriction on social media accounts"))
    }
}

@Suite("Guides: Easy Read for birth relatives")
struct EasyReadTests {
    @Test("A birth relative marked for Easy Read gets short lines, one idea each, in large print; others get the standard summary; both pass the release scan")
    func easyRead() throws {
        let kit = try Kit()
        var plan = try Fixtures.plan("clean-eng")
        let person = try #require(GuideBuilder.birthRelatives(plan).first)
        let standard = try GuideBuilder.birthRelativeSummary(plan, for: person, library: kit.library, law: kit.law, asOf: kit.asOf)
        #expect(!standard.easyRead)
        let i = try #require(plan.people.firstIndex { $0.id == person })
        plan.people[i].easyRead = true
        let g = try GuideBuilder.birthRelativeSummary(plan, for: person, library: kit.library, law: kit.law, asOf: kit.asOf)
        #expect(g.easyRead && g.subtitle.hasPrefix("Easy Read"))
        var lines: [String] = []
        for s in g.sections { for b in s.blocks { if case .lines(let l) = b { lines += l } else { Issue.record("Easy Read is lines only: \(s.id)") } } }
        #expect(lines.count >= 12)
        for line in lines {
            let words = line.split(separator: " ").count
            #expect(words <= 15, "one short idea a line: \(line)")
            #expect(line.filter { ".!?".contains($0) }.count <= 1, "one sentence a line: \(line)")
        }
        let released = try GuideRelease.release(g, plan: plan, renderer: kit.renderer)
        #expect(released.html.contains("class=\"audience-birth-relative easy-read\""))
    }
}
