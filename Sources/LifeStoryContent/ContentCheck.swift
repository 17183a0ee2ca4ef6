import Foundation
import LifeStoryCore

/// `lifestory content check`: every file parses; ids are unique; references and placeholders resolve; each kind
/// has its sections; reviews are in date; sources are present; reading level is within limits; the law data
/// matches Core's.
public struct ContentReport: Sendable {
    public struct KindSummary: Sendable {
        public var kind: ContentKind
        public var count: Int
        public var worstAdult: (grade: Double, id: String)?
        public var worstChild: (grade: Double, id: String)?
        public var nextReview: (date: CalendarDate, id: String)?
    }

    public var problems: [ContentProblem]
    public var summaries: [KindSummary]
    public var grades: [String: (adult: Double?, child: Double?)]
    public var edition: ContentEdition
    /// The changelog's lines, by edition date.
    public var changes: [ContentChange] = []
    public var errors: Int { problems.filter { $0.level == .error }.count }
    public var warnings: Int { problems.filter { $0.level == .warning }.count }
}

public enum ContentCheck {
    public static let adultGradeLimit = 8.0
    public static let childGradeLimit = 5.0
    public static let reviewWarningDays = 60

    /// Checks the library at `root` as of `asOf`. `law` is the law Core ships (law.json): it must match the
    /// library's jurisdictions and platforms.
    public static func run(root: URL, asOf: CalendarDate, law: LawBook?) throws(ContentProblemList) -> ContentReport {
        let (library, loadProblems) = try ContentLibrary.read(from: root)
        var problems = loadProblems
        let items = library.items

        // Unique ids.
        var seen: [String: String] = [:]
        for item in items {
            if let other = seen[item.id] {
                problems.append(ContentProblem(file: item.file, field: "id", message: "'\(item.id)' is also the id of \(other)"))
            }
            seen[item.id] = item.file
        }
        // References between files.
        for item in items {
            for (i, ref) in item.related.enumerated() where seen[ref] == nil {
                problems.append(ContentProblem(file: item.file, field: "related[\(i)]", message: "refers to '\(ref)', which is not in the library"))
            }
        }
        // Coverage: every stage, every scenario, every platform once, an explainer for every order of every jurisdiction.
        if !items.isEmpty {
            for code in StageCode.allCases where library.stage(code) == nil {
                problems.append(ContentProblem(file: "stages/", message: "there is no file for stage \(code.rawValue) (\(code.title))"))
            }
            for scenario in Scenario.allCases where library.contingency(scenario) == nil {
                problems.append(ContentProblem(file: "contingencies/", message: "there is no file for \(scenario.rawValue) (\(scenario.title.lowercased()))"))
            }
            var stageSeen = Set<StageCode>(), scenarioSeen = Set<Scenario>(), platformSeen = Set<String>()
            for item in items {
                switch item.details {
                case .stage(let c) where !stageSeen.insert(c).inserted:
                    problems.append(ContentProblem(file: item.file, field: "code", message: "stage \(c.rawValue) has more than one file"))
                case .contingency(let s, _, _) where !scenarioSeen.insert(s).inserted:
                    problems.append(ContentProblem(file: item.file, field: "scenario", message: "\(s.rawValue) has more than one file"))
                case .platform(let p) where !platformSeen.insert(p.platform.lowercased()).inserted:
                    problems.append(ContentProblem(file: item.file, field: "platform", message: "\(p.platform) has more than one file"))
                default: break
                }
            }
            let explained = Set(items.flatMap { item -> [String] in
                guard case .order(let types, let js) = item.details else { return [] }
                return types.flatMap { t in js.map { "\(t)/\($0.rawValue)" } }
            })
            for j in library.law.jurisdictions {
                for rule in j.orderTypes where !explained.contains("\(rule.type.rawValue)/\(j.code.rawValue)") {
                    problems.append(ContentProblem(file: "orders/", message: "no plain-English explainer for \(rule.type.rawValue) in \(j.name)"))
                }
            }
            for agreement in ContentLoader.agreementTypes.sorted() {
                for j in JurisdictionCode.allCases where !explained.contains("\(agreement)/\(j.rawValue)") {
                    problems.append(ContentProblem(file: "orders/", message: "no plain-English explainer for \(agreement) in \(j.name)"))
                }
            }
        }
        // Each nation's own law; 999 for immediate danger only.
        for item in items {
            problems += LegalText.problems(kind: item.kind, readers: LegalText.readers(item.details), sections: item.sections, file: item.file)
        }
        // Review dates.
        for item in items {
            if item.reviewedOn > asOf {
                problems.append(ContentProblem(file: item.file, field: "reviewed_on", message: "is \(item.reviewedOn.iso), after today (\(asOf.iso))"))
            }
            if item.reviewBy < asOf {
                problems.append(ContentProblem(file: item.file, field: "review_by",
                                               message: "the review was due on \(item.reviewBy.long): review the file, then update reviewed_on and review_by"))
            } else if asOf.days(until: item.reviewBy) <= reviewWarningDays {
                problems.append(ContentProblem(file: item.file, field: "review_by", level: .warning,
                                               message: "is due for review by \(item.reviewBy.long), within \(reviewWarningDays) days"))
            }
        }
        // Reading level.
        var grades: [String: (adult: Double?, child: Double?)] = [:]
        for item in items {
            let adult = item.adultGrade, child = item.childGrade
            grades[item.id] = (adult, child)
            let adultFacing = item.audiences.contains(.adopter) || item.audiences.contains(.fosterCarer)
                || item.audiences.contains(.birthRelative)
            if adultFacing, let adult, adult > adultGradeLimit {
                problems.append(ContentProblem(file: item.file, field: "reading level",
                                               message: "adopter-facing text reads at grade \(adult), above \(adultGradeLimit): use shorter sentences and plainer words"))
            }
            if let child, child > childGradeLimit {
                problems.append(ContentProblem(file: item.file, field: "reading level",
                                               message: "the phrasings read at grade \(child), above \(childGradeLimit) for children: use shorter sentences and simpler words"))
            }
        }
        // The law data Core uses must be the library's.
        if let law, !items.isEmpty {
            var a = library.law, b = law
            a.edition = ""
            b.edition = ""
            if a != b {
                problems.append(ContentProblem(file: "jurisdictions/, platforms/",
                                               message: "the law data in the library differs from the law.json Lifestory was built with (\(law.edition)). Run `lifestory content law --write` and rebuild."))
            }
        }

        let summaries = ContentKind.allCases.map { kind -> ContentReport.KindSummary in
            let of = items.filter { $0.kind == kind }
            let adult = of.compactMap { i in grades[i.id]?.adult.map { ($0, i.id) } }.max { $0.0 < $1.0 }
            let child = of.compactMap { i in grades[i.id]?.child.map { ($0, i.id) } }.max { $0.0 < $1.0 }
            let next = of.map { ($0.reviewBy, $0.id) }.min { $0.0 < $1.0 }
            return .init(kind: kind, count: of.count, worstAdult: adult.map { (grade: $0.0, id: $0.1) },
                         worstChild: child.map { (grade: $0.0, id: $0.1) }, nextReview: next.map { (date: $0.0, id: $0.1) })
        }
        problems.sort { ($0.level == .error ? 0 : 1, $0.file, $0.field ?? "") < ($1.level == .error ? 0 : 1, $1.file, $1.field ?? "") }
        var report = ContentReport(problems: problems, summaries: summaries, grades: grades, edition: library.edition)
        report.changes = library.changes
        return report
    }
}
