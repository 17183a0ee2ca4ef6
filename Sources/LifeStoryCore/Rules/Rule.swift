import Foundation

// The rule framework. Each rule lives in its own file named by its id (V1_AgeGates.swift, P3_Letterbox...),
// so a reader goes from an id in a finding to its code in one step.

public enum FindingSeverity: String, CodedEnum, Comparable {
    case error, warning
    public static func < (a: FindingSeverity, b: FindingSeverity) -> Bool { a == .error && b == .warning }
}

/// One thing a rule found: which rule, how serious, what to do, and the field it concerns.
public struct Finding: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var rule: String
    public var severity: FindingSeverity
    public var message: String
    /// The archive path of the field it concerns, e.g. `arrangements[1].mode` (without the leading `plan.`).
    public var path: String

    public init(rule: String, severity: FindingSeverity, message: String, path: String) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.path = path
    }

    public var description: String { "\(severity.rawValue) \(rule) at \(path): \(message)" }
}

/// What every rule is given: the plan, the law, the date, and what can be derived from them once.
public struct RuleContext: Sendable {
    public let plan: Plan
    public let law: LawBook
    public let asOf: CalendarDate
    public let jurisdiction: JurisdictionLaw?
    public let timeline: Timeline?

    public init(plan: Plan, law: LawBook, asOf: CalendarDate) {
        self.plan = plan
        self.law = law
        self.asOf = asOf
        jurisdiction = law.jurisdiction(plan.child.jurisdiction)
        timeline = jurisdiction.flatMap { Schedule.timeline(for: plan, law: $0, asOf: asOf) }
    }

    /// The name a social worker knows a person by: "Kelly Example (birth mother)".
    public func describe(person id: String) -> String {
        guard let p = plan.person(id) else { return "person '\(id)'" }
        let role = p.relationship ?? p.role.rawValue.replacingOccurrences(of: "_", with: " ")
        return "\(p.name.full) (\(role))"
    }

    public var childName: String { plan.child.knownAs }

    public func index(ofArrangement id: String) -> Int? { plan.arrangements.firstIndex { $0.id == id } }

    /// The path of a stage item: `stages[2].items[0]`.
    public func path(ofItem id: String) -> String? {
        for (i, s) in plan.stages.enumerated() {
            if let j = s.items.firstIndex(where: { $0.id == id }) { return "stages[\(i)].items[\(j)]" }
        }
        return nil
    }

    /// Whether an order is prohibitive: by law data, or (for orders that can go either way) as recorded.
    public func isProhibition(_ order: LegalOrder) -> Bool {
        if let recorded = order.prohibitsContact { return recorded }
        return (law.orderRule(order.type, in: order.jurisdiction) ?? law.anyOrderRule(order.type))?.prohibitive ?? false
    }

    /// The platform's minimum age and the digital age of consent on `date` for this child's jurisdiction;
    /// the higher of the two is the gate.
    public func ageGate(platform: String?, on date: CalendarDate) -> (age: Int, reason: String)? {
        var best: (Int, String)?
        if let consent = jurisdiction?.digitalConsentAge.value(on: date) {
            best = (consent, "the digital age of consent in \(plan.child.jurisdiction.name) (\(consent))")
        }
        if let platform, let rule = law.platform(named: platform),
           rule.jurisdictions.contains(plan.child.jurisdiction), let min = rule.minAge.value(on: date),
           min > (best?.0 ?? -1) {
            best = (min, "\(rule.platform)'s minimum age (\(min))")
        }
        if let platform, let rule = law.platform(named: platform), rule.jurisdictions.contains(plan.child.jurisdiction),
           let law = rule.restrictionInForce(on: date), law.age > (best?.0 ?? -1) {
            best = (law.age, "the law on \(rule.platform) accounts for children under \(law.age), in force since \(law.inForceFrom?.long ?? "")")
        }
        return best
    }
}

/// A named check. `check` must be pure: the same context always gives the same findings.
public protocol Rule: Sendable {
    static var id: String { get }
    /// One line for `lifestory rules` and the docs.
    static var summary: String { get }
    static func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    static func error(_ message: String, at path: String) -> Finding {
        Finding(rule: id, severity: .error, message: message, path: path)
    }
    static func warning(_ message: String, at path: String) -> Finding {
        Finding(rule: id, severity: .warning, message: message, path: path)
    }
}

public enum Rules {
    /// Every rule, in the order findings are reported.
    public static let all: [any Rule.Type] = [
        V1AgeGates.self, V2Prohibitions.self, V3Responders.self, V4StageReviews.self, V5OrderLifecycle.self,
        V6ExpiryCap.self, V7UrgentSuspensions.self, V8Jurisdiction.self, V9Redaction.self, V10PanelReadiness.self,
        V11DelegatedAuthority.self, V12ScottishSiblings.self, V13OnlineSiblingContact.self,
        P1References.self, P2UniqueIds.self, P3LetterboxCoordinator.self, P4ScenarioCoverage.self,
        P5DatesInOrder.self, P6NotInFuture.self, P7Placement.self, P8OrderBasis.self, P9Overdue.self,
        P10LifeStoryBook.self, P11RiskAssessment.self, P12SupervisionForRisk.self,
    ]

    public static func rule(_ id: String) -> (any Rule.Type)? { all.first { $0.id.lowercased() == id.lowercased() } }

    /// Runs every rule. Findings come back errors first, then in rule order, then by path.
    public static func check(_ plan: Plan, law: LawBook, asOf: CalendarDate, except skipped: Set<String> = []) -> [Finding] {
        let context = RuleContext(plan: plan, law: law, asOf: asOf)
        return run(context, except: skipped)
    }

    static func run(_ context: RuleContext, except skipped: Set<String>) -> [Finding] {
        var findings: [Finding] = []
        if context.jurisdiction == nil {
            findings.append(Finding(rule: "LAW", severity: .error,
                                    message: "There is no law data for \(context.plan.child.jurisdiction.name), so the plan cannot be checked.",
                                    path: "child.jurisdiction"))
        }
        for rule in all where !skipped.contains(rule.id) {
            findings.append(contentsOf: rule.check(context))
        }
        let order = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.id, $0) })
        var seen = Set<Finding>()
        return findings.filter { seen.insert($0).inserted }.sorted {
            ($0.severity == .error ? 0 : 1, order[$0.rule] ?? -1, $0.path, $0.message)
                < ($1.severity == .error ? 0 : 1, order[$1.rule] ?? -1, $1.path, $1.message)
        }
    }
}
