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

    static func build(_ c: GuideContext, findings: [Finding], previousApproved: Plan?, redactionProof: [(String, Bool)]) -> Guide {
        let p = c.plan
        let errors = findings.filter { $0.severity == .error }
        var sections: [GuideSection] = []
        let age = p.child.dateOfBirth.age(on: c.asOf)
        var summary: [(String, String)] = [
            ("Child", "\(p.child.pseudonym), aged \(age), \(p.child.jurisdiction.name)"),
            ("Legal status", p.child.legalStatus.rawValue.replacingOccurrences(of: "_", with: " ")),
            ("Placement", p.currentPlacement.map { "\($0.kind.rawValue.replacingOccurrences(of: "_", with: " ")) from \($0.startDate.long)" } ?? "none recorded"),
            ("Plan", "\(p.child.pseudonym): \(PanelPack.statusWords[p.status.rawValue] ?? p.status.rawValue.replacingOccurrences(of: "_", with: " "))"),
            ("Findings", "\(errors.count) error\(errors.count == 1 ? "" : "s"), \(findings.count - errors.count) warning\(findings.count - errors.count == 1 ? "" : "s")"),
        ]
        if let s = p.panelSubmission { summary.append(("Submitted", s.submittedOn.long + (s.panelDate.map { "; panel on \($0.long)" } ?? ""))) }
        var rows: [[String]] = []
        for item in checklist {
            let failing = errors.filter { f in item.rules.contains(f.rule) || item.paths.contains { f.path.hasPrefix($0) } }
            rows.append([item.title, failing.isEmpty ? "Met" : "Not met", failing.isEmpty ? "" : failing.map(\.message).joined(separator: " ")])
        }
        let proofOK = !redactionProof.isEmpty && redactionProof.allSatisfy(\.1)
        rows.append(["Redaction proof: each audience's document passes the protected-token scan",
                     proofOK ? "Met" : "Not met", redactionProof.map { "\($0.0): \($0.1 ? "clean" : "BLOCKED")" }.joined(separator: "; ")])
        sections.append(GuideSection(id: "summary", title: "Summary", blocks: [
            .facts(summary), .heading("Panel checklist"), .table(headers: ["Item", "Status", "Notes"], rows: rows),
        ]))

        sections.append(GuideSection(id: "findings", title: "Every finding", blocks: findings.isEmpty
            ? [.paragraph("The plan has no findings on \(c.asOf.long).")]
            : [.table(headers: ["Rule", "Level", "Where", "What to do"], rows: findings.map { [$0.rule, $0.severity.rawValue, $0.path, $0.message] })]))

        func names(_ ids: [String]) -> String { ids.isEmpty ? "-" : ids.map { p.person($0).map { "\($0.name.full) (\($0.relationship ?? $0.role.rawValue.replacingOccurrences(of: "_", with: " ")))" } ?? $0 }.joined(separator: "; ") }
        sections.append(GuideSection(id: "orders", title: "Orders register", blocks: p.orders.isEmpty ? [.paragraph("No orders are recorded.")] : [
            .table(headers: ["Order", "Court", "Made", "Names", "Expires", "In force", "Conditions"], rows: p.orders.map { o in
                [o.type.shortName, o.court, o.madeOn.long, names(o.namedPersons), o.expiresOn?.long ?? "-",
                 o.isInForce(on: c.asOf) ? "yes" : "no (ended \(o.endedOn?.long ?? "-"))", o.conditions.map(\.text).joined(separator: " ")]
            }),
        ]))

        let prohibited = Set(p.orders.filter { o in o.isInForce(on: c.asOf) && (c.law.orderRule(o.type, in: o.jurisdiction)?.prohibitive ?? false || o.prohibitsContact == true) }.flatMap(\.namedPersons))
        sections.append(GuideSection(id: "contact", title: "Contact plan against the orders", blocks: p.arrangements.isEmpty ? [.paragraph("No contact arrangements.")] : [
            .table(headers: ["With", "How", "How often", "Basis", "Supervision", "Status", "Against the orders"], rows: p.arrangements.map { a in
                [names([a.counterpart]), a.mode.plain, a.frequency.plain,
                 a.basis == .order ? "order \(a.orderRef ?? "?")" : a.basis.rawValue.replacingOccurrences(of: "_", with: " "),
                 a.supervision.rawValue.lowercased().replacingOccurrences(of: "_", with: " "), a.status.rawValue,
                 prohibited.contains(a.counterpart) ? "NAMED IN AN ORDER FORBIDDING CONTACT" : "consistent"]
            }),
        ]))

        if let ra = p.riskAssessments.max(by: { $0.assessedOn < $1.assessedOn }) {
            sections.append(GuideSection(id: "risk", title: "Risk assessment", blocks: [.facts([
                ("Assessed", "\(ra.assessedOn.long) by \(ra.assessedBy)"), ("Overall level", ra.level.rawValue),
                ("Birth relatives online", ra.birthRelativesOnline), ("Past breaches", ra.pastBreaches),
                ("Proximity", ra.proximity), ("What they know", ra.whatTheyKnow), ("The child's vulnerabilities", ra.childVulnerabilities),
            ])]))
        } else {
            sections.append(GuideSection(id: "risk", title: "Risk assessment", blocks: [.paragraph("No risk assessment is recorded.")]))
        }

        sections.append(GuideSection(id: "contingencies", title: "Contingency coverage", blocks: [
            .table(headers: ["Scenario", "Covered", "Level", "Responders", "Out of hours"], rows: Scenario.allCases.map { s in
                guard let k = p.contingencies.first(where: { $0.scenario == s }) else { return ["\(s.rawValue) \(s.title)", "NO PLAN", "-", "-", "-"] }
                if !k.applicable { return ["\(s.rawValue) \(s.title)", "Not applicable: \(k.notApplicableReason ?? "no reason given")", "-", "-", "-"] }
                return ["\(s.rawValue) \(s.title)", "Yes", k.raisedTo.map { "\(k.severity.rawValue) to \($0.rawValue)" } ?? k.severity.rawValue,
                        k.responders.map(\.name).joined(separator: "; "), k.responders.contains(where: \.outOfHours) ? "yes" : "NO"]
            }),
        ]))

        sections.append(GuideSection(id: "signoffs", title: "Sign-offs", blocks: p.signOffs.isEmpty ? [.paragraph("No sign-offs recorded.")] : [
            .table(headers: ["Role", "Name", "Signed"], rows: p.signOffs.map { [$0.role.plain, $0.name, $0.signedOn.long] }),
        ]))

        let changes: [GuideBlock]
        if let previousApproved {
            let diff = PlanDiff.between(previousApproved, p).filter { $0.path != "version" }
            changes = diff.isEmpty ? [.paragraph("Nothing has changed since the last approved version.")] : [.list(diff.map(\.description))]
        } else {
            changes = [.paragraph("There is no earlier approved version: this is the first time the panel sees this plan.")]
        }
        sections.append(GuideSection(id: "changes", title: "What changed since the last approved version", blocks: changes))

        return Guide(audience: .panel, title: "Panel pack", subtitle: "\(p.child.pseudonym): life-story and contact plan",
                     planID: p.id, planRevision: p.version, contentEdition: c.library.edition.id, asOf: c.asOf,
                     sections: sections, note: "Confidential: for the adoption panel and the agency decision maker only.", recipient: nil)
    }
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
