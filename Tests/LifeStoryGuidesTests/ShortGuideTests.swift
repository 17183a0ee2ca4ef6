import Foundation
import LifeStoryContent
import LifeStoryCore
@testable import LifeStoryGuides
import LifeStoryTestSupport
import Testing

/// The family's short guide, "Now and next", and the rules that make a guide right for this family.
@Suite("Guides: Now and next, right for this family")
struct ShortGuideTests {
    /// A plan whose current carers fit the guide's reader.
    static func families() throws -> [(Plan, GuideAudience)] {
        try Fixtures.cleanNames.map { name in
            let plan = try Fixtures.plan(name)
            return (plan, plan.currentPlacement?.kind.carersAreFosterCarers == true ? .fosterCarer : .adopter)
        }
    }

    @Test("Each nation's short guide is at most 8 A4 pages, tagged for screen readers, with who to call on every card as a tel: link",
          .enabled(if: (try? WeasyPrint.locate()) != nil, "WeasyPrint is not on PATH (CI puts it there)"))
    func shortAndTagged() throws {
        let kit = try Kit()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-short-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var jobs: [WeasyPrint.Job] = []
        for (plan, audience) in try Self.families() {
            let g = try GuideBuilder.nowAndNext(plan, for: audience, library: kit.library, law: kit.law, asOf: kit.asOf)
            let released = try GuideRelease.release(g, plan: plan, renderer: kit.renderer)
            #expect(released.html.contains("href=\"tel:"), "\(plan.id): numbers are tel: links")
            #expect(g.sections.map(\.id).starts(with: ["now", "next", "what-to-do-if", "contact"]), "\(plan.id): \(g.sections.map(\.id))")
            let html = dir.appendingPathComponent("\(plan.id).html")
            try Data(released.html.utf8).write(to: html)
            jobs.append(.init(html: html, pdf: dir.appendingPathComponent("\(plan.id).pdf")))
        }
        try WeasyPrint.locate().render(jobs, archival: false)
        for job in jobs {
            let info = try Self.pdfinfo(job.pdf)
            let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
            #expect(pages >= 1 && pages <= 8, "\(job.pdf.lastPathComponent): \(pages) pages")
            #expect(info.split(separator: "\n").contains { $0.hasPrefix("Tagged:") && $0.hasSuffix("yes") }, "\(job.pdf.lastPathComponent) is a tagged PDF: \(info)")
        }
    }

    static func pdfinfo(_ pdf: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
        p.arguments = [pdf.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return out
    }

    @Test("Severity is in words on every family guide, never S1 to S4")
    func severityInWords() throws {
        let kit = try Kit()
        let code = try NSRegularExpression(pattern: #"\bS[1-4]\b"#)
        for (plan, audience) in try Self.families() {
            for g in [try GuideBuilder.nowAndNext(plan, for: audience, library: kit.library, law: kit.law, asOf: kit.asOf),
                      audience == .fosterCarer ? try GuideBuilder.fosterCarerGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)
                                               : try GuideBuilder.adopterGuide(plan, library: kit.library, law: kit.law, asOf: kit.asOf)] {
                let text = GuideRelease.scannable(kit.renderer.html(g, agency: plan.agency.name))
                let hits = code.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
                #expect(hits.isEmpty, "\(plan.id) \(g.title): \(hits.prefix(3))")
                #expect(text.contains("Act within 72 hours") || text.contains("Act the same day") || text.contains("Act at once"))
            }
        }
    }

    @Test("Phrasings name brothers and sisters only where the plan has them, and speak of adoption only once the child is adopted; both ways, every nation and reader")
    func phrasingsFitTheFamily() throws {
        let kit = try Kit()
        let sibling = "Tell {{siblings.names}} about school."
        let adoptedWords = "When we adopted you, we had a party."
        for name in Fixtures.cleanNames {
            for audience in [GuideAudience.adopter, .fosterCarer] {
                var plan = try Fixtures.plan(name)
                if !plan.people.contains(where: { $0.role == .sibling }) {
                    plan.people.append(Person(id: "p-sib-test", role: .sibling, name: PersonName(given: "Rowan"), termUsedByChild: "Rowan"))
                }
                let withSiblings = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
                #expect(withSiblings.fits(sibling), "\(name) \(audience)")
                plan.people.removeAll { $0.role == .sibling }
                let only = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
                #expect(!only.fits(sibling), "\(name) \(audience): an only child is never told about brothers and sisters")
                for item in kit.library.items { #expect(!only.phrasings(item).contains { $0.contains(Placeholder.siblingsNames.fallback) }, "\(name) \(item.id)") }

                plan.orders.removeAll { [.aca02Adoption, .scoAdoption].contains($0.type) }
                plan.child.legalStatus = .placedForAdoption
                let placed = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
                #expect(!placed.fits(adoptedWords), "\(name) \(audience): no 'we adopted you' before an adoption order")
                plan.child.legalStatus = .adopted
                let adopted = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
                #expect(adopted.fits(adoptedWords), "\(name) \(audience): once adopted, the words fit")
            }
        }
    }

    @Test("What's new: only changes for this child's age, nation and platforms, for this reader")
    func whatsNewFits() throws {
        let kit = try Kit()
        for (plan, audience) in try Self.families() {
            let c = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
            let age = plan.child.dateOfBirth.age(on: kit.asOf)
            let used = FamilyGuide.platforms(plan)
            for change in FamilyGuide.whatsNew(c, since: nil) {
                #expect(change.nations.contains(plan.child.jurisdiction), "\(plan.id): \(change.file)")
                #expect(change.ages?.contains(age) ?? true, "\(plan.id): \(change.file)")
                #expect(change.platforms.isEmpty || change.platforms.contains { used.contains($0.lowercased()) }, "\(plan.id): \(change.file)")
                #expect(change.audiences.contains(audience == .fosterCarer ? .fosterCarer : .adopter))
            }
        }
    }
}

@Suite("Guides: the calendar says what to do and names no one")
struct CalendarWordsTests {
    @Test("A planned conversation's event says what to talk about; a title that names anyone in the plan is replaced, both ways")
    func talkAboutNamesNoOne() throws {
        var plan = try Fixtures.plan("clean-eng")
        let names = GuideCalendar.nameWords(plan)
        #expect(GuideCalendar.talkAbout("Planning the first phone", names: names) == "Talk about: planning the first phone")
        let person = try #require(plan.people.first { $0.role == .birthMother })
        let naming = "Letter to \(person.termUsedByChild ?? person.name.given) about school"
        #expect(GuideCalendar.talkAbout(naming, names: names) == "Talk about: the next conversation in your guide")
        // Through the whole calendar: no name of anyone in the plan appears in any event.
        if let i = plan.stages.indices.first(where: { !plan.stages[$0].items.isEmpty }) {
            plan.stages[i].items[0].title = naming
            plan.stages[i].items[0].targetDate = CalendarDate(year: 2027, month: 2, day: 1)!
            plan.stages[i].items[0].status = .planned
        }
        let ics = GuideCalendar.ics(plan, law: try LawBook.bundled(), asOf: Fixtures.date("2026-11-21"))
        #expect(ics.contains("SUMMARY:Talk about:"))
        for p in plan.people where p.role.isBirthFamily { #expect(!ics.contains(p.name.given), "\(p.name.given) is in the calendar") }
        #expect(!ics.contains(plan.child.knownAs))
    }
}

@Suite("Guides: right for this family, each rule both ways")
struct RightForThisFamilyTests {
    static func text(_ g: Guide, _ plan: Plan, _ kit: Kit) -> String { GuideRelease.scannable(kit.renderer.html(g, agency: plan.agency.name)) }

    @Test("Early permanence carers get the stricter day-one rules the guide points to; other families get neither the rules nor the pointer")
    func earlyPermanence() throws {
        let kit = try Kit()
        for name in Fixtures.cleanNames {
        var plan = try Fixtures.plan(name)
        // Day one is soon: the day-one stage is the current one.
        let i = try #require(plan.placements.indices.last)
        plan.placements[i].startDate = kit.asOf.adding(days: 2)
        for kind in [PlacementKind.fosteringForAdoption, .adoptive] {
            plan.placements[i].kind = kind
            let c = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: .adopter)
            let handbook = Self.text(try FamilyGuide.build(c), plan, kit)
            let short = Self.text(try FamilyGuide.buildShort(c), plan, kit)
            if kind.isEarlyPermanence {
                #expect(handbook.contains(GuideContext.earlyPermanenceSection) && short.contains(GuideContext.earlyPermanenceSection))
            } else {
                #expect(!handbook.contains(GuideContext.earlyPermanenceSection) && !handbook.contains("stricter rules below"))
                #expect(!short.contains("stricter rules below"))
            }
        }
        }
    }

    @Test("A baby's guide in the first days shows day one and the first age stage; an older child's does not add it")
    func babyFirstDays() throws {
        let kit = try Kit()
        for name in Fixtures.cleanNames {
            var plan = try Fixtures.plan(name)
            let i = try #require(plan.placements.indices.last)
            plan.placements[i].startDate = kit.asOf.adding(days: 3)
            plan.child.dateOfBirth = kit.asOf.adding(days: -40)
            for audience in [GuideAudience.adopter, .fosterCarer] {
                let c = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
                #expect(Self.text(try FamilyGuide.build(c), plan, kit).contains("From the start:"), "\(name) \(audience): day one and stage A together")
                #expect(Self.text(try FamilyGuide.buildShort(c), plan, kit).contains("And from the start"), "\(name) \(audience): the short guide too")
                let older = try Fixtures.plan(name)
                let o = GuideContext(plan: older, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
                #expect(!Self.text(try FamilyGuide.build(o), older, kit).contains("From the start:"), "\(name) \(audience)")
            }
        }
    }

    @Test("Adopters never read the foster carers' text of an order, and foster carers never the adopters'")
    func eachReaderTheirOwn() throws {
        let kit = try Kit()
        var checked = 0
        for name in Fixtures.cleanNames {
            let plan = try Fixtures.plan(name)
            let adopter = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: .adopter)
            let foster = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: .fosterCarer)
            let adopterHTML = kit.renderer.html(try FamilyGuide.build(adopter), agency: plan.agency.name)
            let fosterHTML = kit.renderer.html(try FamilyGuide.build(foster), agency: plan.agency.name)
            for o in plan.orders where o.isInForce(on: kit.asOf) {
                guard let ex = adopter.explainer(for: o.type.rawValue, jurisdiction: o.jurisdiction),
                      let forAdopters = adopter.html(ex.section("For adopters")), let forFosterCarers = foster.html(ex.section("For foster carers")),
                      forAdopters != forFosterCarers else { continue }
                #expect(adopterHTML.contains(forAdopters) && !adopterHTML.contains(forFosterCarers), "\(name) \(o.type.rawValue): adopters read theirs only")
                #expect(fosterHTML.contains(forFosterCarers) && !fosterHTML.contains(forAdopters), "\(name) \(o.type.rawValue): foster carers read theirs only")
                checked += 1
            }
        }
        #expect(checked >= 2)
    }

    @Test("School years in the nation's own terms: a Scottish or Northern Irish family never reads England's year numbers for the move to secondary")
    func schoolYears() throws {
        let kit = try Kit()
        for name in Fixtures.cleanNames {
            let plan = try Fixtures.plan(name)
            let audience: GuideAudience = plan.currentPlacement?.kind.carersAreFosterCarers == true ? .fosterCarer : .adopter
            let c = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: audience)
            let text = Self.text(try FamilyGuide.build(c), plan, kit)
            switch plan.child.jurisdiction {
            case .scotland: #expect(!text.contains("Year 6 to Year 7") && !text.contains("Year 7"), "\(name)")
            case .northernIreland: #expect(!text.contains("Year 6 to Year 7"), "\(name)")
            default: break
            }
        }
    }

    @Test("'Your foster carer' only where the plan names one; what is new only since the family's last guide; both ways")
    func fosterCarerAndSince() throws {
        let kit = try Kit()
        var plan = try Fixtures.plan("clean-eng")
        let words = "Remember {{fosterCarer.term}} and the garden?"
        let named = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: .adopter)
        if named.values[.fosterCarerTerm] != nil { #expect(named.fits(words)) }
        plan.people.removeAll { $0.role == .fosterCarer }
        plan.placements = plan.placements.map { var p = $0; p.carers = p.carers.filter { id in plan.people.contains { $0.id == id } }; return p }
        let none = GuideContext(plan: plan, library: kit.library, law: kit.law, asOf: kit.asOf, audience: .adopter)
        #expect(none.values[.fosterCarerTerm] == nil && !none.fits(words))

        let c = GuideContext(plan: try Fixtures.plan("clean-eng"), library: kit.library, law: kit.law, asOf: kit.asOf, audience: .adopter)
        let latest = try #require(kit.library.changes.map(\.edition).max())
        #expect(!FamilyGuide.whatsNew(c, since: latest.adding(days: -1)).isEmpty, "a family whose last guide is older is told what changed")
        #expect(FamilyGuide.whatsNew(c, since: latest).isEmpty, "nothing is new since a guide of this edition")
    }
}
