import Foundation
import LifeStoryContent
import LifeStoryCore

/// The adopter's guide, and the foster carer's guide within delegated authority.
enum FamilyGuide {
    static func build(_ c: GuideContext) throws -> Guide {
        let foster = c.audience == .fosterCarer
        var sections: [GuideSection] = []
        let age = c.plan.child.dateOfBirth.age(on: c.asOf)

        // About this guide.
        var about: [(String, String)] = [
            ("Prepared for", foster ? "The foster carers looking after \(c.childName)" : "\(c.childName)'s family"),
            ("Prepared by", c.plan.agency.name),
            ("Date", c.asOf.long),
        ]
        if let sw = c.values[.socialWorkerName] { about.append(("Social worker", sw)) }
        sections.append(GuideSection(id: "about", title: "About this guide", blocks: [
            .paragraph("This guide is about talking with \(c.childName) about their story, and keeping them safe and happy online. It follows \(c.childName)'s age, so what it says changes as they grow. Keep it somewhere private."),
            .facts(about),
            .note(GuideContext.supportNote),
        ]))

        // Decisions foster carers do not make alone.
        if foster {
            let delegated = Set(c.plan.delegatedAuthority)
            let notDelegated = DelegatedDecision.allCases.filter { !delegated.contains($0) }
            var blocks: [GuideBlock] = [.paragraph("As foster carers you make everyday decisions for \(c.childName). The placement plan says which other decisions are yours. For everything else, ask \(c.values[.socialWorkerName] ?? "the social worker") first.")]
            if !delegated.isEmpty { blocks.append(.facts([("You can decide", delegated.sorted { $0.rawValue < $1.rawValue }.map(\.plain).joined(separator: "; "))])) }
            if !notDelegated.isEmpty {
                blocks.append(.heading("Ask the social worker before"))
                blocks.append(.list(notDelegated.map { capitalised($0.plain) }))
            }
            sections.append(GuideSection(id: "decisions", title: "Decisions that need the social worker", blocks: blocks))
        }

        // Where you are now.
        if let t = c.timeline {
            let current = t.stages.first { $0.status == .current }?.code ?? (t.asOf < t.dayOne ? .d0 : t.stages.last?.code ?? .d0)
            var blocks: [GuideBlock] = []
            if let stage = c.library.stage(current) {
                let focus = stage.title.components(separatedBy: ": ").last ?? stage.title
                blocks.append(.paragraph("\(c.childName) is \(age). At this stage the focus is \(focus.prefix(1).lowercased() + focus.dropFirst())."))
                if let aims = c.html(stage.section("Aims")) { blocks += [.heading("What matters now"), .html(aims)] }
                if let topics = stage.section("Topics"), let h = c.html(topics) { blocks += [.heading("What to talk about"), .html(h)] }
                let words = c.phrasings(stage)
                if !words.isEmpty { blocks += [.heading("Words you could use"), .phrasings(words)] }
                if current == .d0, c.isEarlyPermanence, let h = c.html(stage.section(GuideContext.earlyPermanenceSection)) {
                    blocks += [.heading(GuideContext.earlyPermanenceSection), .html(h)]
                }
                if let h = c.html(stage.section("Activities")) { blocks += [.heading("Things to do together"), .html(h)] }
                if let h = c.html(stage.section("Signs your child is ready")) { blocks += [.heading("Signs \(c.childName) is ready"), .html(h)] }
                if let h = c.html(stage.section("Signs to watch for")) { blocks += [.heading("Signs to watch for"), .html(h)] }
            }
            // A baby in the first days: day one, and the first age stage from the start.
            if current == .d0, let first = t.stages.first(where: { $0.code != .d0 && $0.status != .past }), let stage = c.library.stage(first.code) {
                blocks.append(.heading("From the start: \(stage.title)"))
                if let aims = c.html(stage.section("Aims")) { blocks.append(.html(aims)) }
                let words = c.phrasings(stage).prefix(3)
                if !words.isEmpty { blocks.append(.phrasings(Array(words))) }
            }
            let items = t.conversations.filter { $0.stage == current && $0.status == .planned }
            if !items.isEmpty {
                blocks.append(.heading("In \(c.childName)'s plan now"))
                blocks.append(.table(headers: ["What", "By"], rows: items.map { item in
                    [item.title + note(for: item.itemId, c), item.target.long]
                }))
            }
            sections.append(GuideSection(id: "now", title: "Where you are now", blocks: blocks))

            // What comes next.
            var next: [GuideBlock] = []
            let upcoming = t.stages.filter { $0.status == .upcoming }.prefix(3)
            if !upcoming.isEmpty {
                next.append(.table(headers: ["Stage", "Starts"], rows: upcoming.map { [$0.code.title, $0.start.long] }))
            }
            let soon = t.conversations.filter { $0.status == .planned && $0.stage != current && $0.target >= c.asOf }.prefix(8)
            if !soon.isEmpty {
                next.append(.heading("Coming up in the plan"))
                next.append(.table(headers: ["What", "By"], rows: soon.map { [$0.title + note(for: $0.itemId, c), $0.target.long] }))
            }
            let reviews = t.reviewPoints.filter { $0.date >= c.asOf && $0.date <= c.asOf.adding(years: 2) && $0.kind != .lifeStoryBook }.prefix(8)
            if !reviews.isEmpty {
                next.append(.heading("Reviews and milestones"))
                next.append(.table(headers: ["When", "What"], rows: reviews.map { [$0.date.long, capitalised($0.label)] }))
            }
            if !next.isEmpty { sections.append(GuideSection(id: "next", title: "What comes next", blocks: next)) }

            // Catching up.
            if !t.catchUp.isEmpty {
                var blocks: [GuideBlock] = [.paragraph("\(c.childName) came to you at \(t.ageOnDayOne), so some earlier stages happened before you met. Cover the essentials of each in the first twelve weeks, gently and in order.")]
                for item in t.catchUp {
                    blocks.append(.heading("\(item.stage.title), by \(item.target.long)"))
                    if let h = c.html(c.library.stage(item.stage)?.section("If your child missed this stage")) { blocks.append(.html(h)) }
                }
                sections.append(GuideSection(id: "catch-up", title: "Catching up", blocks: blocks))
            }
        }

        // Household checklist.
        var checklists = ["checklist-household-digital-footprint"]
        if (8...12).contains(age) { checklists.append("checklist-before-first-phone") }
        if (11...15).contains(age) { checklists.append("checklist-before-first-social-account") }
        var checkBlocks: [GuideBlock] = []
        for id in checklists {
            guard let item = c.library.item(id), let list = item.section("Checklist") else { continue }
            checkBlocks.append(.heading(item.title))
            if let why = c.html(item.section("Why it matters")) { checkBlocks.append(.html(why)) }
            checkBlocks.append(.checklist(list.items(for: c.nation).map(c.words)))
        }
        if !checkBlocks.isEmpty { sections.append(GuideSection(id: "checklist", title: "Your household checklist", blocks: checkBlocks)) }

        // Contact, in plain English.
        let contact = contactBlocks(c, explainers: true)
        sections.append(GuideSection(id: "contact", title: "Contact, in plain English", blocks: contact))

        // What to do if.
        var cards: [GuideBlock] = [.paragraph("Each card says what to do if something happens, and who to call. The first steps are always the same: capture it, don't reply, make things secure, tell someone, and write it down.")]
        for k in c.plan.contingencies where k.applicable {
            guard let item = c.library.contingency(k.scenario) else { continue }
            cards.append(.card(card(k, item, c)))
        }
        sections.append(GuideSection(id: "what-to-do-if", title: "What to do if", blocks: cards))

        // Apps and games at this age.
        if age >= 7 {
            var apps: [GuideBlock] = [.paragraph("Most apps set a minimum age. These notes cover the apps and games children of \(c.childName)'s age use most. Ages can change: this guide uses the rules in force on \(c.asOf.long).")]
            for item in c.library.items(of: .platform).sorted(by: { $0.title < $1.title }) {
                guard case .platform(let page) = item.details, let ages = item.ages, ages.lowerBound <= age + 1 else { continue }
                // The law as the guide is built with it (the same as the page's, unless the law data has moved on).
                let rule = c.law.platform(named: page.platform) ?? page
                let min = rule.restrictionInForce(on: c.asOf).map { "\($0.age), by law" } ?? rule.minAge.value(on: c.asOf).map { "\($0)" } ?? "not set"
                apps.append(.heading("\(rule.platform): minimum age \(min)"))
                if let line = restrictionLine(rule, c) { apps.append(.paragraph(line)) }
                if let h = c.html(item.section("Settings to check")) { apps.append(.html(h)) }
            }
            sections.append(GuideSection(id: "apps", title: "Apps and games", blocks: apps))
        }

        // Support.
        var seen = Set<String>()
        let responders = c.plan.contingencies.flatMap(\.responders).filter { seen.insert($0.name).inserted }
        var support: [GuideBlock] = [
            .table(headers: ["Who", "Number", "When"], rows: responders.map { [$0.name, $0.phone ?? "", $0.outOfHours ? "day and night" : "office hours"] }),
            .list(nationalSupport),
        ]
        // Funds for support in the family's own nation, from the law data, with their dates.
        let schemes = c.law.jurisdiction(c.plan.child.jurisdiction)?.supportSchemes(on: c.asOf) ?? []
        if !schemes.isEmpty {
            support.append(.list(schemes.map { s in
                "\(s.name): \(s.what)." + (s.to.map { " It is due to run until \($0.long) (as known on \(s.asAt.long))." } ?? "")
            }))
        }
        sections.append(GuideSection(id: "support", title: "Where to get support", blocks: support))
        sections.append(GuideSection(id: "glossary", title: "Words we use", blocks: [.facts(glossary)]))

        return Guide(audience: c.audience, title: foster ? "Foster carer's guide" : "Family guide",
                     subtitle: "Life story and online safety", planID: c.plan.id, planRevision: c.plan.version,
                     contentEdition: c.library.edition.id, asOf: c.asOf, sections: sections,
                     note: GuideContext.supportNote, recipient: nil)
    }

    /// Contact, in plain English: each arrangement's facts, and (in the handbook) what each order means.
    static func contactBlocks(_ c: GuideContext, explainers: Bool) -> [GuideBlock] {
        let foster = c.audience == .fosterCarer
        var contact: [GuideBlock] = []
        for a in c.plan.arrangements where a.status.isLive {
            contact.append(.heading("With \(c.describe(a.counterpart))"))
            var facts: [(String, String)] = [("How", a.mode.plain), ("How often", a.frequency.plain)]
            if let via = a.intermediary.flatMap(c.person) { facts.append(("Passed on by", via.name.full)) }
            if a.supervision != .none { facts.append(("Supervision", a.supervision.rawValue.lowercased().replacingOccurrences(of: "_", with: " "))) }
            facts.append(("From", a.start.long))
            facts.append(("Until", a.end?.long ?? (a.basis == .order ? "the order ends" : "it is reviewed")))
            facts.append(("Agreed by", a.basis == .order ? "a court order" : a.basis == .agreement ? "agreement" : "the agency"))
            if a.status != .active { facts.append(("Status", a.status.rawValue)) }
            contact.append(.facts(facts))
            if !a.conditions.isEmpty {
                contact.append(.paragraph("What may and may not be shared:"))
                contact.append(.list(a.conditions.map(\.text)))
            }
        }
        for o in c.plan.orders where explainers && o.isInForce(on: c.asOf) {
            guard let ex = c.explainer(for: o.type.rawValue, jurisdiction: o.jurisdiction) else { continue }
            contact.append(.heading("The \(o.type.shortName) (\(o.madeOn.long))"))
            if !o.namedPersons.isEmpty { contact.append(.paragraph("It names: " + o.namedPersons.map(c.describe).joined(separator: ", ") + ".")) }
            if let h = c.html(ex.section("In short")) { contact.append(.html(h)) }
            if let h = c.html(ex.section(foster ? "For foster carers" : "For adopters")) { contact.append(.html(h)) }
            if let h = c.html(ex.section("When it ends")) { contact += [.heading("When it ends"), .html(h)] }
        }
        if contact.isEmpty { contact.append(.paragraph("There is no contact with the birth family in the plan at the moment.")) }
        return contact
    }

    /// The family's short guide, "Now and next": where you are now and the words to use, the next twelve months with
    /// dates, the cards this family is most likely to need, contact, and what is new in the guidance for this child.
    /// At most 8 A4 pages; the handbook has the rest.
    static func buildShort(_ c: GuideContext, since: CalendarDate? = nil) throws -> Guide {
        let foster = c.audience == .fosterCarer
        let age = c.plan.child.dateOfBirth.age(on: c.asOf)
        var sections: [GuideSection] = []
        var now: [GuideBlock] = [.paragraph("This short guide is what you need now: where \(c.childName) is, the next twelve months, what to do if something happens, and contact. The full handbook, your second download, has everything else.")]
        let horizon = c.asOf.adding(months: 12)
        if let t = c.timeline {
            let current = t.stages.first { $0.status == .current }?.code ?? (t.asOf < t.dayOne ? .d0 : t.stages.last?.code ?? .d0)
            // A baby in the first days has both: day one, and the first age stage.
            var stages = [current]
            if current == .d0, let first = t.stages.first(where: { $0.code != .d0 && $0.status != .past }) { stages.append(first.code) }
            for code in stages {
                guard let stage = c.library.stage(code) else { continue }
                let focus = stage.title.components(separatedBy: ": ").last ?? stage.title
                now.append(.heading(code == current ? "Where you are now" : "And from the start"))
                now.append(.paragraph("\(c.childName) is \(age). The focus now: \(focus.prefix(1).lowercased() + focus.dropFirst())."))
                let words = c.phrasings(stage).prefix(4)
                if !words.isEmpty { now += [.heading("Words you could use: choose those that fit \(c.childName)'s story"), .phrasings(Array(words))] }
                if code == .d0, c.isEarlyPermanence, let h = c.html(stage.section(GuideContext.earlyPermanenceSection)) {
                    now += [.heading(GuideContext.earlyPermanenceSection), .html(h)]
                }
            }
            let items = t.conversations.filter { $0.stage == current && $0.status == .planned }
            if !items.isEmpty {
                now.append(.heading("In \(c.childName)'s plan now"))
                now.append(.table(headers: ["What", "By"], rows: items.prefix(6).map { [$0.title + note(for: $0.itemId, c), $0.target.long] }))
            }
            sections.append(GuideSection(id: "now", title: "Now", blocks: now))

            // The next twelve months: conversations and reviews, by date.
            var rows: [(CalendarDate, String)] = t.conversations.filter { $0.status == .planned && $0.target >= c.asOf && $0.target <= horizon && $0.stage != current }
                .map { ($0.target, "Talk about: " + $0.title + note(for: $0.itemId, c)) }
            rows += t.reviewPoints.filter { $0.date >= c.asOf && $0.date <= horizon && $0.kind != .lifeStoryBook }.map { ($0.date, capitalised($0.label)) }
            rows.sort { $0.0 < $1.0 }
            sections.append(GuideSection(id: "next", title: "The next twelve months", blocks: rows.isEmpty
                ? [.paragraph("Nothing is planned in the next twelve months beyond what is above. Your social worker will tell you when that changes.")]
                : [.table(headers: ["When", "What"], rows: rows.prefix(12).map { [$0.0.long, $0.1] })]))
        } else {
            sections.append(GuideSection(id: "now", title: "Now", blocks: now))
        }

        // The cards this family is most likely to need: those about people in the plan first, then the situations
        // most common at the child's age (a young child's family meets relatives' messages and wider family posting;
        // a teenager meets their own searching and contact), then the most urgent.
        let usual: [Scenario] = switch age {
        case ..<10: [.c1, .c2, .c13, .c4, .c10, .c6]
        case 10..<13: [.c1, .c12, .c11, .c2, .c8, .c4]
        default: [.c1, .c7, .c3, .c8, .c6, .c14]
        }
        let likely = c.plan.contingencies.filter(\.applicable).compactMap { k -> (Contingency, ContentItem)? in
            guard let item = c.library.contingency(k.scenario), item.ages?.contains(age) ?? true else { return nil }
            return (k, item)
        }.sorted { a, b in
            let (na, nb) = (a.0.namedPersons.isEmpty ? 1 : 0, b.0.namedPersons.isEmpty ? 1 : 0)
            if na != nb { return na < nb }
            let (ua, ub) = (usual.firstIndex(of: a.0.scenario) ?? 99, usual.firstIndex(of: b.0.scenario) ?? 99)
            if ua != ub { return ua < ub }
            let (sa, sb) = (max(a.0.severity, a.0.raisedTo ?? a.0.severity), max(b.0.severity, b.0.raisedTo ?? b.0.severity))
            if sa != sb { return sa > sb }
            return (a.0.scenario.rawValue.count, a.0.scenario.rawValue) < (b.0.scenario.rawValue.count, b.0.scenario.rawValue)
        }
        var cards: [GuideBlock] = [.paragraph("The situations you are most likely to meet. Who to call comes first. The handbook has a card for each of the \(c.plan.contingencies.filter(\.applicable).count) in the plan.")]
        for (k, item) in likely.prefix(3) { cards.append(.card(card(k, item, c, phrasings: 1))) }
        sections.append(GuideSection(id: "what-to-do-if", title: "What to do if", blocks: cards))

        sections.append(GuideSection(id: "contact", title: "Contact, in plain English", blocks: contactBlocks(c, explainers: false)))

        let new = whatsNew(c, since: since)
        if !new.isEmpty {
            let when = since.map { "since your last guide (\($0.long))" } ?? "on \(new[0].edition.long)"
            sections.append(GuideSection(id: "new", title: "What's new in the guidance for \(c.childName)", blocks: [
                .paragraph("The guidance was updated \(when). What changed for a child of \(c.childName)'s age, where you live:"),
                .list(new.prefix(6).map(\.change)),
            ]))
        }
        var guide = Guide(audience: c.audience, title: "Now and next", subtitle: foster ? "Foster carer's short guide" : "Family's short guide",
                          planID: c.plan.id, planRevision: c.plan.version, contentEdition: c.library.edition.id, asOf: c.asOf,
                          sections: sections, note: GuideContext.supportNote, recipient: nil)
        guide.compact = true
        return guide
    }

    /// The platforms this child's plan uses: arrangements and accounts.
    static func platforms(_ plan: Plan) -> Set<String> {
        Set(plan.arrangements.compactMap(\.platform).map { $0.lowercased() } + plan.stageItems.compactMap { $0.item.account?.platform.lowercased() })
    }

    /// What changed in the guidance for this child (their age, nation and platforms, this reader), newest edition
    /// first: since a date, or the latest edition's when there is none.
    static func whatsNew(_ c: GuideContext, since: CalendarDate?) -> [ContentChange] {
        let age = c.plan.child.dateOfBirth.age(on: c.asOf)
        let reader: ContentAudience = c.audience == .fosterCarer ? .fosterCarer : .adopter
        let used = platforms(c.plan)
        let mine = c.library.changes.filter { $0.concerns(age: age, nation: c.plan.child.jurisdiction, platforms: used, audience: reader) }
        guard let latest = mine.map(\.edition).max() else { return [] }
        let from = since ?? latest
        // Changes about this child's own platforms first.
        return mine.filter { since == nil ? $0.edition == from : $0.edition > from }
            .sorted { ($0.platforms.isEmpty ? 1 : 0, $0.file) < ($1.platforms.isEmpty ? 1 : 0, $1.file) }
    }

    /// A "what to do if" card: when to act in words, who to call first, then the steps.
    static func card(_ k: Contingency, _ item: ContentItem, _ c: GuideContext, phrasings: Int = 2) -> GuideCard {
        let worse = k.raisedTo.flatMap { $0 != k.severity ? $0 : nil }
        return GuideCard(title: item.title.replacingOccurrences(of: "\"", with: ""), level: "Act \(k.severity.plainTiming)",
                         timing: worse.map { "If it gets worse: act \($0.plainTiming)" } ?? "", levelClass: max(k.severity, k.raisedTo ?? k.severity).rawValue.lowercased(),
                         stepsHTML: c.html(item.section("What to do now")) ?? "", responders: c.responderLines(k),
                         sayToChild: c.phrasings(item).prefix(phrasings).map { $0 })
    }

    /// What the law says about children's own accounts on a platform, from the law data: in force, or announced and
    /// not yet law (said plainly, with what is not known).
    static func restrictionLine(_ rule: PlatformAgeRule, _ c: GuideContext) -> String? {
        guard rule.jurisdictions.contains(c.plan.child.jurisdiction) else { return nil }
        if let law = rule.restrictionInForce(on: c.asOf), let from = law.inForceFrom {
            return "Since \(from.long), the law says children under \(law.age) may not have their own \(rule.platform) account."
        }
        if let planned = rule.announced, let expected = planned.expectedFrom {
            return "Not law yet: the government has announced \(planned.what). It is expected from \(expected.long) at the earliest. The exact rules and date are not known yet; this guide will change when they are."
        }
        return nil
    }

    /// Foster carers: an item that needs a decision they have not been given says so.
    static func note(for itemID: String, _ c: GuideContext) -> String {
        guard c.audience == .fosterCarer, let item = c.plan.stageItems.first(where: { $0.item.id == itemID })?.item else { return "" }
        let decision = item.decision ?? (item.account != nil ? .socialMediaAccount : item.kind == .device ? .mobilePhone : nil)
        guard let decision, !c.plan.delegatedAuthority.contains(decision) else { return "" }
        return " (ask the social worker first)"
    }

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    static let nationalSupport = [
        "CEOP (National Crime Agency): report online sexual abuse or grooming at ceop.police.uk.",
        "Report Remove (Childline and the Internet Watch Foundation): helps a young person under 18 get a nude image of themselves taken down.",
        "Report Harmful Content: advice and help to report other harmful content online.",
        "Childline: 0800 1111, free and confidential, for children and young people.",
        "In an emergency, call 999. For the police when it is not an emergency, call 101.",
    ]

    static let glossary: [(String, String)] = [
        ("Letterbox", "The agency's way of passing letters and cards between you and the birth family, read first by a coordinator."),
        ("Contact order", "A court order about who the child may see or hear from, and how."),
        ("Order forbidding contact", "A court order that a named person must not contact the child."),
        ("Delegated authority", "The decisions a placement plan says foster carers may make themselves."),
        ("Later life letter", "A letter from the social worker, written for the young person to read when older, telling their story."),
        ("Designated Safeguarding Lead", "The person at school who handles worries about a child's safety."),
    ]
}
