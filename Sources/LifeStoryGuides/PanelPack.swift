import Foundation
import LifeStoryContent
import LifeStoryCore

/// The panel pack: a one-page summary, the checklist of DOMAIN.md §4.1 with every finding, the registers, and what
/// changed since the last approved version.
enum PanelPack {
    /// Where a plan is, in words.
    static let statusWords = ["draft": "a draft", "submitted": "submitted to panel", "panel_recommended": "recommended by the panel",
                              "adm_approved": "approved by the agency decision maker", "active": "in force", "superseded": "replaced by a later plan"]

    /// Each panel checklist item and the rules whose errors fail it.
    static let checklist: [(title: String, rules: Set<String>, paths: [String])] = [
        ("Orders register: types, dates, expiry, lapsed orders", ["V5", "V6", "V8", "P8"], []),
        ("Consistency: no channel to a prohibited person; non-disclosure in the redaction profile", ["V2", "V9"], []),
        ("Views of the child, adopters and birth relatives", [], ["views"]),
        ("Dated risk assessment (under 3 months at submission)", ["P11"], ["riskAssessments"]),
        ("Contingencies C1-C10 covered, with responders and out-of-hours routes", ["P4", "V3"], []),
        ("Stages: dates from date of birth, review dates, age gates", ["V1", "V4", "V13"], []),
        ("Life-story work and support", ["P10"], []),
        ("Sign-offs", [], ["signOffs"]),
        ("Delegated authority and Scottish sibling duty", ["V11", "V12"], []),
    ]

    /// A code as words: "birth_mother" -> "birth mother".
    static func words(_ raw: String) -> String { CodeWords.inline(raw) }

    /// Where in the plan a finding is, in the builder's words (never a path).
    static let placeWords: [(String, String)] = [
        ("child", "The child"), ("placements", "Who the child lives with"), ("people", "The people in the child's life"),
        ("orders", "Orders"), ("arrangements", "Keeping in touch"), ("stages", "The staged plan"), ("contingencies", "What to do if"),
        ("riskAssessments", "Risk assessment"), ("views", "Views"), ("reviews", "Reviews"), ("signOffs", "Sign-offs"),
        ("lifeStory", "Life-story work"), ("delegatedAuthority", "Delegated authority"), ("siblingContactDecision", "Brothers and sisters"),
        ("panelSubmission", "Going to panel"), ("redaction", "Who sees what"), ("incidents", "Incidents"),
    ]

    static func place(_ path: String) -> String {
        let head = path.split(whereSeparator: { $0 == "." || $0 == "[" }).first.map(String.init) ?? path
        return placeWords.first { $0.0 == head }?.1 ?? "The plan"
    }

    static func build(_ c: GuideContext, findings: [Finding], previousApproved: Plan?, redactionProof: [(String, Bool)]) -> Guide {
        let p = c.plan
        let errors = findings.filter { $0.severity == .error }
        let warnings = findings.filter { $0.severity == .warning }
        var sections: [GuideSection] = []
        let age = p.child.dateOfBirth.age(on: c.asOf)
        func name(_ id: String) -> String {
            guard let person = p.person(id) else { return "someone not in the plan" }
            return "\(person.name.full) (\(person.termUsedByChild.map { "\"\($0)\" to the child" } ?? words(person.relationship ?? person.role.rawValue)))"
        }

        // 1. The decision: the child in a paragraph, what is sought, every blocking finding and warning.
        var child = "\(p.child.knownAs) (\(p.child.pseudonym)) is \(age), and lives in \(p.child.jurisdiction.name). Legal status: \(words(p.child.legalStatus.rawValue))."
        if let placement = p.currentPlacement {
            let kind = words(placement.kind.rawValue)
            let article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            child += " \(p.child.knownAs) has lived in \(article) \(kind) placement since \(placement.startDate.long)."
        } else {
            child += " No placement is recorded."
        }
        let live = p.arrangements.filter { $0.status.isLive }
        child += live.isEmpty ? " There is no contact with the birth family at present." : " Contact: \(live.count) arrangement\(live.count == 1 ? "" : "s") with the birth family."
        let sought: String = switch p.status {
        case .submitted: "The panel is asked to recommend this life-story and contact plan to the agency decision maker."
        case .panelRecommended: "The agency decision maker is asked to decide on this plan, which the panel has recommended."
        case .draft: "This plan is a draft: it has not been submitted for a decision."
        default: "This plan has been decided; the panel sees it for information or review."
        }
        var decision: [GuideBlock] = [.paragraph(child), .heading("The decision sought"), .paragraph(sought)]
        if errors.isEmpty {
            decision.append(.paragraph("Nothing blocks a decision: the plan meets every rule on \(c.asOf.long)."))
        } else {
            decision += [.heading("\(errors.count) thing\(errors.count == 1 ? "" : "s") to put right before a decision"),
                         .table(headers: ["Where", "What must change"], rows: errors.map { [place($0.path), $0.message] })]
        }
        if !warnings.isEmpty {
            decision += [.heading("\(warnings.count) thing\(warnings.count == 1 ? "" : "s") to look at"),
                         .table(headers: ["Where", "What to look at"], rows: warnings.map { [place($0.path), $0.message] })]
        }
        let proofOK = !redactionProof.isEmpty && redactionProof.allSatisfy(\.1)
        decision.append(.paragraph(proofOK ? "Each family's and birth relative's document from this plan passes the check for details they must not see."
                                   : "Held back: " + redactionProof.filter { !$0.1 }.map(\.0).joined(separator: ", ") + " would show details they must not see."))
        sections.append(GuideSection(id: "summary", title: "For the decision", blocks: decision))

        // 2. The people.
        sections.append(GuideSection(id: "people", title: "The people in the child's life", blocks: p.people.isEmpty ? [.paragraph("No people are recorded.")] : [
            .table(headers: ["Name", "Who they are", "What the child calls them", "Risks"], rows: p.people.map { person in
                [person.name.full, words(person.relationship ?? person.role.rawValue), person.termUsedByChild ?? "", person.riskFlags.isEmpty ? "" : person.riskFlags.joined(separator: "; ")]
            }),
        ]))

        // 3. Views, in their own words.
        var views: [GuideBlock] = []
        if let v = p.views.child { views += [.heading("\(p.child.knownAs), \(v.recordedOn.long)"), .paragraph(v.summary)] } else { views.append(.paragraph("\(p.child.knownAs)'s own views are not recorded.")) }
        if let v = p.views.adopters { views += [.heading("The adopters, \(v.recordedOn.long)"), .paragraph(v.summary)] } else { views.append(.paragraph("The adopters' views are not recorded.")) }
        for v in p.views.birthRelatives {
            views += [.heading("\(v.personRef.map(name) ?? "A birth relative"), \(v.recordedOn.long)"), .paragraph(v.summary)]
        }
        if p.views.birthRelatives.isEmpty { views.append(.paragraph("No birth relative's views are recorded.")) }
        sections.append(GuideSection(id: "views", title: "Views, in their own words", blocks: views))

        // 4. Contact against the orders.
        let prohibited = Set(p.orders.filter { o in o.isInForce(on: c.asOf) && (c.law.orderRule(o.type, in: o.jurisdiction)?.prohibitive ?? false || o.prohibitsContact == true) }.flatMap(\.namedPersons))
        var contact: [GuideBlock] = []
        contact.append(p.orders.isEmpty ? .paragraph("No orders are recorded.") : .table(headers: ["Order", "Made", "About", "Ends", "In force"], rows: p.orders.map { o in
            [o.type.shortName, "\(o.madeOn.long), \(o.court)", o.namedPersons.isEmpty ? "" : o.namedPersons.map(name).joined(separator: "; "), o.expiresOn?.long ?? "",
             o.isInForce(on: c.asOf) ? "Yes" : "No: ended \(o.endedOn?.long ?? "")"]
        }))
        contact.append(p.arrangements.isEmpty ? .paragraph("No contact arrangements.") : .table(headers: ["With", "How, and how often", "On what basis", "Against the orders"], rows: p.arrangements.map { a in
            let basis = a.basis == .order ? (a.orderRef.flatMap(p.order).map { "The \($0.type.shortName)" } ?? "An order") : words(a.basis.rawValue).capitalizedFirst
            return [name(a.counterpart), "\(a.mode.plain), \(a.frequency.plain); \(words(a.supervision.rawValue)); \(words(a.status.rawValue))", basis,
                    prohibited.contains(a.counterpart) ? "Not allowed: an order in force forbids contact with this person" : "Consistent"]
        }))
        sections.append(GuideSection(id: "contact", title: "Contact, set against the orders", blocks: contact))

        // 5. The staged plan at a glance.
        var staged: [GuideBlock] = []
        if let t = c.timeline {
            staged.append(.table(headers: ["Stage", "When", "Review by", "Now"], rows: t.stages.map { w in
                [w.code.title, "\(w.start.long)" + (w.end.map { " to \($0.adding(days: -1).long)" } ?? " onwards"), w.reviewBy.long,
                 w.status == .current ? "This stage" : w.status == .past ? "Done" : ""]
            }))
            let planned = t.conversations.filter { $0.status == .planned }.prefix(10)
            if !planned.isEmpty {
                staged += [.heading("The key conversations"), .table(headers: ["By", "What"], rows: planned.map { [$0.target.long, $0.title] })]
            }
            if !t.catchUp.isEmpty {
                staged += [.heading("Catch-up for stages passed before the child came"), .list(t.catchUp.map { "\($0.stage.title): by \($0.target.long)" })]
            }
        } else {
            staged.append(.paragraph("There is no day one to schedule from: no placement is recorded."))
        }
        sections.append(GuideSection(id: "stages", title: "The staged plan at a glance", blocks: staged))

        // 6. What to do if, and who answers.
        sections.append(GuideSection(id: "contingencies", title: "What to do if, and who answers", blocks: [
            .table(headers: ["If", "Planned", "How fast", "Who answers", "Out of hours"], rows: Scenario.allCases.map { s in
                guard let k = p.contingencies.first(where: { $0.scenario == s }) else { return [s.title, "No plan", "", "", ""] }
                if !k.applicable { return [s.title, "Not needed: \(k.notApplicableReason ?? "no reason given")", "", "", ""] }
                return [s.title, "Yes", (k.raisedTo ?? k.severity).plainTiming, k.responders.map(\.name).joined(separator: "; "),
                        k.responders.contains(where: \.outOfHours) ? "Yes" : "No out-of-hours route"]
            }),
        ]))

        // 7. Risk.
        if let ra = p.riskAssessments.max(by: { $0.assessedOn < $1.assessedOn }) {
            sections.append(GuideSection(id: "risk", title: "Risk assessment", blocks: [.facts([
                ("Assessed", "\(ra.assessedOn.long) by \(ra.assessedBy)"), ("Overall", words(ra.level.rawValue)),
                ("Birth relatives online", ra.birthRelativesOnline), ("Past breaches", ra.pastBreaches),
                ("How near", ra.proximity), ("What they know", ra.whatTheyKnow), ("The child's vulnerabilities", ra.childVulnerabilities),
            ])]))
        } else {
            sections.append(GuideSection(id: "risk", title: "Risk assessment", blocks: [.paragraph("No risk assessment is recorded.")]))
        }

        // 8. Support and life-story work.
        var support: [(String, String)] = [
            ("Life-story book", p.lifeStory.bookGivenOn.map { "Given on \($0.long)" } ?? "Not given yet"),
            ("Later life letter", p.lifeStory.laterLifeLetterGivenOn.map { "Given on \($0.long)" } ?? "Not given yet"),
        ]
        if !p.delegatedAuthority.isEmpty {
            support.append(("Decided by the foster carers", p.delegatedAuthority.map { words($0.rawValue) }.joined(separator: "; ")))
        }
        if let scheme = c.law.jurisdiction(p.child.jurisdiction)?.supportSchemes.first {
            support.append(("Support available", scheme.name))
        }
        sections.append(GuideSection(id: "support", title: "Support and life-story work", blocks: [.facts(support)]))

        // 9. Sign-offs: who, when, how, which version.
        let fingerprint = p.contentFingerprint
        sections.append(GuideSection(id: "signoffs", title: "Sign-offs", blocks: p.signOffs.isEmpty ? [.paragraph("No sign-offs recorded.")] : [
            .table(headers: ["Role", "Who, and when", "How", "Counts for this version"], rows: p.signOffs.map { s in
                let how = s.signedInApp == true ? "Signed in Lifestory with their own account"
                    : "Recorded by \(s.recordedBy ?? "the social worker")" + (s.evidence.map { ": \($0)" } ?? "")
                let counts: String = switch s.state(against: fingerprint) {
                case .current: "Yes"
                case .void: "No: the plan changed after they signed"
                case .unverified: "Recorded before Lifestory kept the version signed: confirm"
                }
                return [s.role.plain.capitalizedFirst, "\(s.name), \(s.signedOn.long)", how, counts]
            }),
        ]))

        // 10. What changed.
        let changes: [GuideBlock]
        if let previousApproved {
            let diff = PlanDiff.between(previousApproved, p).filter { $0.path != "version" }
            changes = diff.isEmpty ? [.paragraph("Nothing has changed since the last approved version.")] : [.list(diff.map(\.description))]
        } else {
            changes = [.paragraph("There is no earlier approved version: this is the first time the panel sees this plan.")]
        }
        sections.append(GuideSection(id: "changes", title: "What changed since the last approved version", blocks: changes))

        return Guide(audience: .panel, title: "Panel pack", subtitle: "\(p.child.knownAs) (\(p.child.pseudonym)): life-story and contact plan",
                     planID: p.id, planRevision: p.version, contentEdition: c.library.edition.id, asOf: c.asOf,
                     sections: sections, note: "Confidential: for the adoption panel and the agency decision maker only.", recipient: nil)
    }
}

extension String {
    /// The first letter in capitals.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// A birth relative's summary of their contact agreement. Never any L3 data; checked by the scan before release.
enum BirthRelativeSummary {
    static func build(_ c: GuideContext, for personID: String) throws -> Guide {
        guard let person = c.plan.person(personID), person.role.isBirthFamily else {
            throw GuideError.noRecipient("'\(personID)' is not a birth relative in plan \(c.plan.id).")
        }
        let arrangements = c.plan.arrangements.filter { $0.counterpart == personID && $0.status.isLive }
        guard !arrangements.isEmpty else {
            throw GuideError.noRecipient("\(person.name.full) has no contact arrangement in plan \(c.plan.id), so there is no summary to give them.")
        }
        if person.easyRead == true { return easyRead(c, person: person, arrangements: arrangements) }
        let child = c.childName
        var sections: [GuideSection] = []
        var agreed: [GuideBlock] = [.paragraph("This is a summary of how you and \(child) keep in touch. It is written for you, \(person.name.given).")]
        for a in arrangements {
            var facts: [(String, String)] = [("How", a.mode.plain), ("How often", a.frequency.plain)]
            if let via = a.intermediary.flatMap(c.person) { facts.append(("Passed on by", "\(via.name.full), \(c.plan.agency.name)")) }
            facts.append(("Agreed by", a.basis == .order ? "a court order" : a.basis == .agreement ? "agreement with the agency" : "the agency"))
            agreed.append(.facts(facts))
            if !a.conditions.isEmpty { agreed += [.paragraph("What was agreed about what is shared:"), .list(a.conditions.map(\.text))] }
        }
        sections.append(GuideSection(id: "agreed", title: "What was agreed", blocks: agreed))

        var how: [GuideBlock] = []
        let types = Set(arrangements.map { $0.mode == .letterboxDigital ? "DIGITAL_LETTERBOX_AGREEMENT" : "LETTERBOX_AGREEMENT" })
            .union(arrangements.compactMap { $0.orderRef.flatMap(c.plan.order)?.type.rawValue })
        for t in types.sorted() {
            if let ex = c.explainer(for: t, jurisdiction: c.plan.child.jurisdiction), let h = c.html(ex.section("For birth relatives")) {
                how += [.heading(ex.title.replacingOccurrences(of: "\"", with: "")), .html(h)]
            }
        }
        if !how.isEmpty { sections.append(GuideSection(id: "how", title: "How it works", blocks: how)) }

        sections.append(GuideSection(id: "sharing", title: "What not to share or post", blocks: [.list([
            "Please use first names only in letters and messages.",
            "Please do not ask where \(child) lives or goes to school, and do not try to find out.",
            "Please do not post about \(child) online, or share photos of them, even in a private group.",
            "If \(child) or their family contact you directly, please do not reply. Tell the agency instead.",
            "If you have news or worries, tell the coordinator. They can pass things on in the right way.",
        ])]))

        var who: [(String, String)] = [("Agency", c.plan.agency.name)]
        if let coordinator = arrangements.compactMap({ $0.intermediary }).first.flatMap(c.person) { who.append(("Coordinator", coordinator.name.full)) }
        sections.append(GuideSection(id: "contact", title: "Who to contact", blocks: [
            .facts(who),
            .paragraph("If anything changes for you, such as your address or your health, let the coordinator know. Support for birth relatives is available: ask the agency what it offers."),
        ]))
        return Guide(audience: .birthRelative, title: "Your contact agreement", subtitle: "A summary for \(person.name.given)",
                     planID: c.plan.id, planRevision: c.plan.version, contentEdition: c.library.edition.id, asOf: c.asOf,
                     sections: sections, note: "If you are unsure about anything here, ask the agency. This summary does not change any court order.",
                     recipient: personID)
    }

    /// What a way of keeping in touch lets the relative do, in Easy Read words.
    static func easyVerb(_ mode: ContactMode) -> String {
        switch mode {
        case .letterboxPaper: "send a letter"
        case .letterboxDigital: "send a message through the agency"
        case .cardsGifts: "send a card or a present"
        case .photoExchange: "swap photos"
        case .phone: "talk on the phone"
        case .videoCall: "have a video call"
        case .messagingApp: "send messages"
        case .socialMedia: "keep in touch online"
        case .directSupervised: "meet, with a worker there"
        case .directSupported: "meet, with someone to help"
        case .directUnsupervised: "meet"
        case .none: "not keep in touch for now"
        }
    }

    static func easyTimes(_ f: Frequency) -> String {
        switch f.kind {
        case .regular:
            let n = f.count ?? 1
            return "\(n == 1 ? "1 time" : "\(n) times") each \((f.per ?? .year).rawValue)"
        case .oneOff: return "1 time"
        case .adHoc: return "when the agency agrees"
        case .none: return "not for now"
        }
    }

    /// The Easy Read summary: short sentences, one idea a line, large print. Built from the plan's facts in fixed
    /// words, so every line stays short and plain; the same release scan reads it.
    static func easyRead(_ c: GuideContext, person: Person, arrangements: [ContactArrangement]) -> Guide {
        let child = c.childName
        var agreed: [String] = ["This is about how you keep in touch with \(child).", "It is for you, \(person.name.given)."]
        for a in arrangements {
            agreed.append("You can \(easyVerb(a.mode)) \(easyTimes(a.frequency)).")
            if let via = a.intermediary.flatMap(c.person) {
                agreed.append("\(via.name.full) at \(c.plan.agency.name) helps with this.")
                if a.mode.isLetterbox { agreed += ["Send your letter to them.", "They read it first.", "Then they pass it on."] }
            }
            agreed.append(a.basis == .order ? "A court made an order about this." : "You agreed this with the agency.")
        }
        let sharing = [
            "Use first names only.",
            "Do not ask where \(child) lives.",
            "Do not ask which school \(child) goes to.",
            "Do not post about \(child) online.",
            "Do not share photos of \(child).",
            "If \(child) gets in touch with you, do not reply.",
            "Tell the agency instead.",
        ]
        var who = ["The agency is \(c.plan.agency.name)."]
        if let coordinator = arrangements.compactMap({ $0.intermediary }).first.flatMap(c.person) {
            who.append("Your helper there is \(coordinator.name.full).")
        }
        who += ["Tell them if you move house.", "Tell them if your phone number changes.", "You can ask them for support."]
        let sections = [
            GuideSection(id: "agreed", title: "What we agreed", blocks: [.lines(agreed)]),
            GuideSection(id: "sharing", title: "Keeping \(child) safe", blocks: [.lines(sharing)]),
            GuideSection(id: "contact", title: "Who to ask", blocks: [.lines(who)]),
        ]
        var guide = Guide(audience: .birthRelative, title: "Keeping in touch", subtitle: "Easy Read, for \(person.name.given)",
                          planID: c.plan.id, planRevision: c.plan.version, contentEdition: c.library.edition.id, asOf: c.asOf,
                          sections: sections, note: "If you are not sure about something, ask the agency. This does not change any court order.",
                          recipient: person.id)
        guide.easyRead = true
        return guide
    }
}
