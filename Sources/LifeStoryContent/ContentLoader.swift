import Foundation
import LifeStoryCore
import Yams

/// Reads one content file into a `ContentItem`, collecting every problem it finds.
enum ContentLoader {
    static let agreementTypes: Set<String> = ["LETTERBOX_AGREEMENT", "DIGITAL_LETTERBOX_AGREEMENT"]

    static func parse(file: String, folderKind: ContentKind?, text: String) -> (ContentItem?, [ContentProblem]) {
        guard let (yaml, body) = FrontMatter.split(text) else {
            return (nil, [ContentProblem(file: file, field: "front matter",
                                         message: "the file must start with front matter between two `---` lines")])
        }
        var fm: FrontMatter
        do {
            fm = try FrontMatter(file: file, yaml: yaml)
        } catch {
            return (nil, error.problems)
        }

        let id = fm.string("id")
        let title = fm.string("title")
        let kind = fm.coded(fm.string("kind"), "kind", as: ContentKind.self)
        let audiences = fm.strings("audiences").enumerated().compactMap { i, s in
            fm.coded(s, "audiences[\(i)]", as: ContentAudience.self)
        }
        if audiences.isEmpty && fm.node("audiences") != nil { fm.fail("audiences", "must name at least one audience") }
        let sensitivity = fm.coded(fm.string("sensitivity"), "sensitivity", as: SensitivityLevel.self)
        if let sensitivity, sensitivity != .l0 {
            fm.fail("sensitivity", "is \(sensitivity.rawValue), but the library holds only L0 (generic guidance and law): case data never goes in Content/")
        }
        var ages: ClosedRange<Int>?
        if let agesNode = fm.node("ages"), !FrontMatter.isNull(agesNode) {
            if let m = agesNode.mapping, let from = fm.int("from", in: m, path: "ages.from"), let to = fm.int("to", in: m, path: "ages.to") {
                if from <= to && from >= 0 && to <= 25 { ages = from...to } else { fm.fail("ages", "must run from a lower to a higher age, 0 to 25") }
            } else if agesNode.mapping == nil {
                fm.fail("ages", "must be {from: N, to: N}")
            }
        }
        let strands = fm.strings("strands", required: kind == .stage).enumerated().compactMap { i, s in
            fm.coded(s, "strands[\(i)]", as: Strand.self)
        }
        let reviewedOn = fm.date("reviewed_on")
        let reviewBy = fm.date("review_by")
        if let r = reviewedOn, let b = reviewBy, b <= r { fm.fail("review_by", "must be after reviewed_on (\(r.iso))") }
        let owner = fm.string("owner")
        var sources: [SourceRef] = []
        for (i, n) in fm.list("sources").enumerated() {
            guard let m = n.mapping else { fm.fail("sources[\(i)]", "must have a title and a url"); continue }
            let t = fm.string("title", in: m, path: "sources[\(i)].title")
            let u = fm.string("url", in: m, path: "sources[\(i)].url")
            if let u, !(u.hasPrefix("https://") || u.hasPrefix("http://")) {
                fm.fail("sources[\(i)].url", "must be a web address starting with https:// or http://")
            }
            if let t, let u { sources.append(SourceRef(title: t, url: u)) }
        }
        if sources.isEmpty && fm.node("sources") != nil && fm.problems.allSatisfy({ !$0.field!.hasPrefix("sources") }) {
            fm.fail("sources", "must list at least one public source")
        }
        let related = fm.strings("related", required: false)

        if let kind, let folderKind, kind != folderKind {
            fm.fail("kind", "is '\(kind.rawValue)' but the file is in \(folderKind.folder)/")
        }
        if let id {
            let expected = (file as NSString).lastPathComponent
            if expected != id + ".md" { fm.fail("id", "is '\(id)' but the file is named \(expected): they must match") }
        }

        var details: ContentDetails?
        if let kind { details = parseDetails(kind: kind, fm: &fm) }

        // The body.
        var problems = fm.problems
        if let html = MarkdownBody.rawHTML(in: body) {
            problems.append(ContentProblem(file: file, field: "body",
                                           message: "contains raw HTML ('\(html)'): write Markdown only; HTML is never passed through"))
        }
        if let html = MarkdownBody.rawHTML(in: yaml) {
            problems.append(ContentProblem(file: file, field: "front matter", message: "contains raw HTML ('\(html)')"))
        }
        var used = Set<Placeholder>()
        for name in Placeholders.names(in: body) + Placeholders.names(in: title ?? "") {
            if let p = Placeholder(rawValue: name) { used.insert(p) } else {
                let known = Placeholder.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: ", ")
                problems.append(ContentProblem(file: file, field: "body",
                                               message: "unknown placeholder {{\(name)}}; the placeholders are: \(known)"))
            }
        }
        let raw = MarkdownBody.sections(body)
        let sections = raw.map { s in
            let (parts, nationProblems) = NationBlocks.parts(s.lines)
            let field = s.title.isEmpty ? "body" : "## \(s.title)"
            problems += nationProblems.map { ContentProblem(file: file, field: field, message: $0) }
            return ContentSection(title: s.title, parts: parts)
        }
        var phrasings: [String] = []
        if let kind {
            // "Records and the age of 18" may name the nation's own age (Scotland: 16).
            for required in kind.requiredSections where !raw.contains(where: { $0.title == required
                || required.hasPrefix("Records and the age of") && $0.title.hasPrefix("Records and the age of") }) {
                problems.append(ContentProblem(file: file, field: "body", message: "the required section '## \(required)' is missing"))
            }
            let titles = raw.map(\.title).filter { !$0.isEmpty }
            for dup in Set(titles) where titles.filter({ $0 == dup }).count > 1 {
                problems.append(ContentProblem(file: file, field: "body", message: "the section '## \(dup)' appears more than once"))
            }
            if let (title, minimum) = kind.phrasingSection, let section = sections.first(where: { $0.title == title }) {
                for item in section.items {
                    let t = item.trimmingCharacters(in: .whitespaces)
                    let quotes: [(Character, Character)] = [("\"", "\""), ("\u{201C}", "\u{201D}")]
                    if let q = quotes.first(where: { t.first == $0.0 && t.last == $0.1 }), t.count > 2 {
                        phrasings.append(String(t.dropFirst().dropLast()))
                        _ = q
                    } else {
                        problems.append(ContentProblem(file: file, field: "## \(title)",
                                                       message: "each item must be one phrasing in double quotes; this one is not: \(t.prefix(60))"))
                    }
                }
                if phrasings.count < minimum {
                    problems.append(ContentProblem(file: file, field: "## \(title)",
                                                   message: "needs at least \(minimum) example phrasings; it has \(phrasings.count)"))
                }
            }
            if kind == .stage, let topics = sections.first(where: { $0.title == "Topics" }) {
                let known = Dictionary(uniqueKeysWithValues: Strand.allCases.map { ($0.title.lowercased(), $0) })
                if topics.items.isEmpty {
                    problems.append(ContentProblem(file: file, field: "## Topics", message: "needs a list of topics, each tagged with its strand"))
                }
                for item in topics.items {
                    guard item.hasPrefix("**"), let end = item.dropFirst(2).range(of: ":**") else {
                        problems.append(ContentProblem(file: file, field: "## Topics",
                                                       message: "each topic starts with its strand in bold, e.g. '**Privacy and security:** ...'; this one does not: \(item.prefix(50))"))
                        continue
                    }
                    let name = item.dropFirst(2)[..<end.lowerBound].lowercased()
                    if let strand = known[name] {
                        if !strands.contains(strand) {
                            problems.append(ContentProblem(file: file, field: "strands",
                                                           message: "the topics use the strand '\(strand.title)' but the front matter's strands do not list \(strand.rawValue)"))
                        }
                    } else {
                        problems.append(ContentProblem(file: file, field: "## Topics",
                                                       message: "'\(name)' is not a UKCIS strand; use one of: \(Strand.allCases.map(\.title).joined(separator: "; "))"))
                    }
                }
            }
            if kind == .checklist, let section = raw.first(where: { $0.title == "Checklist" }),
               MarkdownBody.checkboxCount(section.lines) == 0 {
                problems.append(ContentProblem(file: file, field: "## Checklist", message: "needs items written as '- [ ] one thing to do'"))
            }
            if kind == .platform, let section = raw.first(where: { $0.title == "Settings to check" }),
               !section.lines.contains(where: { l in l.first?.isNumber == true && MarkdownBody.listItem(l) != nil }) {
                problems.append(ContentProblem(file: file, field: "## Settings to check", message: "needs numbered steps (1. 2. 3.)"))
            }
        }

        guard problems.isEmpty, let id, let title, let kind, let sensitivity, let reviewedOn, let reviewBy, let owner,
              let details else {
            return (nil, problems.isEmpty ? [ContentProblem(file: file, message: "could not be read")] : problems)
        }
        let blocks = MarkdownBody.readingBlocks(body.components(separatedBy: "\n").filter { !NationBlocks.isFence($0) }.joined(separator: "\n"), phrasingSection: kind.phrasingSection?.title)
        let item = ContentItem(id: id, title: title, kind: kind, file: file, audiences: audiences, sensitivity: sensitivity,
                               ages: ages, strands: strands, reviewedOn: reviewedOn, reviewBy: reviewBy, owner: owner,
                               sources: sources, related: related, details: details, sections: sections,
                               phrasings: phrasings, placeholders: used,
                               adultGrade: Readability.measure(blocks.adult).grade, childGrade: Readability.measure(blocks.child).grade)
        return (item, [])
    }

    static func effectiveValues(_ key: String, _ fm: inout FrontMatter, in map: Node.Mapping? = nil, valueKey: String = "age") -> [EffectiveValue] {
        var out: [EffectiveValue] = []
        for (i, n) in fm.list(key, in: map).enumerated() {
            let path = "\(key)[\(i)]"
            guard let m = n.mapping else { fm.fail(path, "must be {\(valueKey): N, effective_from: DATE, source: URL}"); continue }
            let v = fm.int(valueKey, in: m, path: "\(path).\(valueKey)")
            let from = fm.date("effective_from", in: m, path: "\(path).effective_from")
            let to = fm.date("effective_to", in: m, path: "\(path).effective_to", required: false)
            let source = fm.string("source", in: m, path: "\(path).source")
            if let from, let to, to <= from { fm.fail("\(path).effective_to", "must be after effective_from") }
            if let v, let from, let source { out.append(EffectiveValue(value: v, effectiveFrom: from, effectiveTo: to, source: source)) }
        }
        let sorted = out.sorted { $0.effectiveFrom < $1.effectiveFrom }
        for (a, b) in zip(sorted, sorted.dropFirst()) where (a.effectiveTo ?? .init(dayNumber: Int.max / 4)) > b.effectiveFrom {
            fm.fail(key, "the rule from \(a.effectiveFrom.iso) overlaps the one from \(b.effectiveFrom.iso): close the earlier one with effective_to")
        }
        return sorted
    }

    static func monthDay(_ s: String?, _ field: String, _ fm: inout FrontMatter) -> (Int, Int)? {
        guard let s else { return nil }
        let parts = s.split(separator: "-")
        guard parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]), (1...12).contains(m),
              d >= 1, d <= CalendarDate.daysIn(month: m, year: 2024) else {
            fm.fail(field, "must be a month and day as MM-DD, not '\(s)'")
            return nil
        }
        return (m, d)
    }

    static func parseDetails(kind: ContentKind, fm: inout FrontMatter) -> ContentDetails? {
        switch kind {
        case .stage:
            return fm.coded(fm.string("code"), "code", as: StageCode.self).map { .stage($0) }
        case .contingency:
            let scenario = fm.coded(fm.string("scenario"), "scenario", as: Scenario.self)
            let severity = fm.coded(fm.string("severity"), "severity", as: Severity.self)
            let raised = fm.coded(fm.string("raised_to"), "raised_to", as: Severity.self)
            if let severity, let raised, raised < severity {
                fm.fail("raised_to", "is less serious than the usual level \(severity.rawValue)")
            }
            guard let scenario, let severity, let raised else { return nil }
            return .contingency(scenario: scenario, severity: severity, raisedTo: raised)
        case .platform:
            let name = fm.string("platform")
            let ages = effectiveValues("min_age", &fm)
            let js = fm.strings("jurisdictions", required: false).enumerated().compactMap { i, s in
                fm.coded(s, "jurisdictions[\(i)]", as: JurisdictionCode.self)
            }
            if ages.isEmpty && fm.node("min_age") != nil { fm.fail("min_age", "needs at least one dated rule") }
            guard let name, !ages.isEmpty else { return nil }
            var restrictions: [AccountRestriction] = []
            for (i, n) in fm.list("restrictions", required: false).enumerated() {
                let path = "restrictions[\(i)]"
                guard let m = n.mapping else { fm.fail(path, "must be {age: 16, status: announced, expected_from: DATE, what: TEXT, source: URL}"); continue }
                let age = fm.int("age", in: m, path: "\(path).age")
                let status = fm.coded(fm.string("status", in: m, path: "\(path).status"), "\(path).status", as: AccountRestriction.Status.self)
                let announced = fm.date("announced_on", in: m, path: "\(path).announced_on", required: false)
                let expected = fm.date("expected_from", in: m, path: "\(path).expected_from", required: false)
                let inForce = fm.date("in_force_from", in: m, path: "\(path).in_force_from", required: false)
                let what = fm.string("what", in: m, path: "\(path).what")
                let source = fm.string("source", in: m, path: "\(path).source")
                if status == .inForce && inForce == nil { fm.fail("\(path).in_force_from", "is needed once the restriction is in force") }
                if status == .announced && expected == nil { fm.fail("\(path).expected_from", "is needed while the restriction is announced: the date it is expected") }
                if let age, let status, let what, let source {
                    restrictions.append(AccountRestriction(age: age, status: status, announcedOn: announced, expectedFrom: expected,
                                                           inForceFrom: inForce, what: what, source: source))
                }
            }
            return .platform(PlatformAgeRule(platform: name, jurisdictions: js.isEmpty ? JurisdictionCode.allCases : js, minAge: ages,
                                             restrictions: restrictions))
        case .order:
            let types = fm.strings("order_types")
            for (i, t) in types.enumerated() where OrderType(rawValue: t) == nil && !agreementTypes.contains(t) {
                fm.fail("order_types[\(i)]", "unknown order type '\(t)'; use a code from DOMAIN.md §5.2 or LETTERBOX_AGREEMENT / DIGITAL_LETTERBOX_AGREEMENT")
            }
            let js = fm.strings("jurisdictions").enumerated().compactMap { i, s in
                fm.coded(s, "jurisdictions[\(i)]", as: JurisdictionCode.self)
            }
            if types.isEmpty || js.isEmpty { return nil }
            return .order(types: types, jurisdictions: js)
        case .jurisdiction:
            let code = fm.coded(fm.string("code"), "code", as: JurisdictionCode.self)
            let name = fm.string("name")
            let records = effectiveValues("records_access_age", &fm)
            let consent = effectiveValues("digital_consent_age", &fm)
            var rhythm: ReviewRhythm?
            if let m = fm.node("review_rhythm")?.mapping {
                let a = fm.int("first_after_days", in: m, path: "review_rhythm.first_after_days")
                let b = fm.int("second_after_months", in: m, path: "review_rhythm.second_after_months")
                let c = fm.int("then_every_months", in: m, path: "review_rhythm.then_every_months")
                let s = fm.string("source", in: m, path: "review_rhythm.source")
                if let a, let b, let c, let s { rhythm = ReviewRhythm(firstAfterDays: a, secondAfterMonths: b, thenEveryMonths: c, source: s) }
            } else { fm.fail("review_rhythm", "is missing: {first_after_days, second_after_months, then_every_months, source}") }
            var transfer: SchoolTransferRule?
            if let m = fm.node("school_transfer")?.mapping {
                let label = fm.string("label", in: m, path: "school_transfer.label")
                let on = monthDay(fm.string("age_on", in: m, path: "school_transfer.age_on"), "school_transfer.age_on", &fm)
                let age = fm.int("age", in: m, path: "school_transfer.age")
                let starts = monthDay(fm.string("starts", in: m, path: "school_transfer.starts"), "school_transfer.starts", &fm)
                if let label, let on, let age, let starts {
                    transfer = SchoolTransferRule(label: label, ageOnMonth: on.0, ageOnDay: on.1, age: age, startsMonth: starts.0, startsDay: starts.1)
                }
            } else { fm.fail("school_transfer", "is missing: {label, age_on: MM-DD, age, starts: MM-DD}") }
            var schemes: [SupportScheme] = []
            for (i, n) in fm.list("support_schemes", required: false).enumerated() {
                let path = "support_schemes[\(i)]"
                guard let m = n.mapping else { fm.fail(path, "must be {name, what, to, as_at, source}"); continue }
                let name = fm.string("name", in: m, path: "\(path).name")
                let what = fm.string("what", in: m, path: "\(path).what")
                let from = fm.date("from", in: m, path: "\(path).from", required: false)
                let to = fm.date("to", in: m, path: "\(path).to", required: false)
                let asAt = fm.date("as_at", in: m, path: "\(path).as_at")
                let source = fm.string("source", in: m, path: "\(path).source")
                if let from, let to, to < from { fm.fail("\(path).to", "must be after from") }
                if let name, let what, let asAt, let source { schemes.append(SupportScheme(name: name, what: what, from: from, to: to, asAt: asAt, source: source)) }
            }
            var orders: [OrderTypeRule] = []
            for (i, n) in fm.list("order_types").enumerated() {
                let path = "order_types[\(i)]"
                guard let m = n.mapping else { fm.fail(path, "must be {type, in_force_from, source, ...}"); continue }
                let type = fm.coded(fm.string("type", in: m, path: "\(path).type"), "\(path).type", as: OrderType.self)
                if m["in_force_from"] == nil { fm.fail("\(path).in_force_from", "is missing (write null if not yet in force)") }
                let from = fm.date("in_force_from", in: m, path: "\(path).in_force_from", required: false)
                let to = fm.date("in_force_to", in: m, path: "\(path).in_force_to", required: false)
                let prohibitive = fm.bool("prohibitive", in: m, path: "\(path).prohibitive")
                let maxAge = fm.int("max_age", in: m, path: "\(path).max_age", required: false)
                var endedBy: [OrderType] = []
                if let seq = m["ended_by"]?.sequence {
                    for (j, e) in seq.enumerated() {
                        if let t = fm.coded(e.scalar?.string, "\(path).ended_by[\(j)]", as: OrderType.self) { endedBy.append(t) }
                    }
                }
                let source = fm.string("source", in: m, path: "\(path).source")
                if let type, let source {
                    orders.append(OrderTypeRule(type: type, inForceFrom: from, inForceTo: to, prohibitive: prohibitive,
                                                maxAge: maxAge, endedBy: endedBy, source: source))
                }
            }
            guard let code, let name, let rhythm, let transfer, !records.isEmpty, !consent.isEmpty else { return nil }
            return .jurisdiction(JurisdictionLaw(code: code, name: name, recordsAccessAge: records, digitalConsentAge: consent,
                                                 reviewRhythm: rhythm, schoolTransfer: transfer, orderTypes: orders, supportSchemes: schemes))
        case .checklist:
            return .checklist
        case .practice:
            return .practice
        case .course:
            return .course
        }
    }
}
