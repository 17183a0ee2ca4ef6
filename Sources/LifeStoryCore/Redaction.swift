import Foundation

// The redaction model (DOMAIN.md §5.4): a sensitivity level on every field, each audience's clearance, and each
// plan's protected tokens with a scanner that finds them in rendered text. Guides leave out what an audience may
// not see, then scan what they rendered; a guide that cannot be proved clean is not issued.

/// How much of a level's information an audience may see (the cells of DOMAIN.md §5.4).
public enum Access: String, CodedEnum {
    case full
    /// Only what the reader needs to care for the child (foster carers and L2).
    case needToKnow = "need_to_know"
    /// A summary without third-party detail.
    case summary
    /// Only the items the plan whitelists for this audience.
    case whitelisted
    /// Introduced stage by stage (the child).
    case staged
    /// The child's own name, nothing else (the child and L3).
    case ownName = "own_name"
    /// Only their own relationship with the child (birth relatives and L2).
    case ownRelationship = "own_relationship"
    /// As little as the task needs (school DSL and L2).
    case minimal
    /// Only a protective alert ("do not release the child to ..."), never the detail.
    case alertOnly = "alert_only"
    /// Orders themselves, not legal advice or court papers (adopters and L5).
    case ordersOnly = "orders_only"
    case none

    public var isNone: Bool { self == .none }
}

public enum Clearance {
    /// DOMAIN.md §5.4, row by row.
    public static func access(_ audience: Audience, _ level: SensitivityLevel) -> Access {
        switch (audience, level) {
        case (.socialWorker, _), (.iro, _): return .full
        case (.panel, .l5), (.adm, .l5): return .summary
        case (.panel, _), (.adm, _): return .full
        case (.adopter, .l4): return .summary
        case (.adopter, .l5): return .ordersOnly
        case (.adopter, _): return .full
        case (.fosterCarer, .l0), (.fosterCarer, .l1): return .full
        case (.fosterCarer, .l2): return .needToKnow
        case (.fosterCarer, .l3): return .whitelisted
        case (.fosterCarer, .l4): return .summary
        case (.fosterCarer, .l5): return .none
        case (.child, .l0): return .full
        case (.child, .l2): return .staged
        case (.child, .l3): return .ownName
        case (.child, _): return .none
        case (.schoolDSL, .l0), (.schoolDSL, .l1): return .full
        case (.schoolDSL, .l2): return .minimal
        case (.schoolDSL, .l3), (.schoolDSL, .l4): return .alertOnly
        case (.schoolDSL, .l5): return .none
        case (.birthRelative, .l0): return .full
        case (.birthRelative, .l2): return .ownRelationship
        case (.birthRelative, _): return .none
        }
    }

    /// The highest level an audience sees in full.
    public static func fullUpTo(_ audience: Audience) -> SensitivityLevel? {
        SensitivityLevel.allCases.filter { access(audience, $0) == .full }.max()
    }
}

/// The sensitivity level of every field of the plan archive, by path pattern (`people[].contact.phone`).
public enum FieldSensitivity {
    /// Base levels. People's names and contact details are raised by role in `level(of:in:)`.
    public static let catalogue: [String: SensitivityLevel] = {
        var c: [String: SensitivityLevel] = [:]
        func put(_ level: SensitivityLevel, _ paths: [String]) { for p in paths { c[p] = level } }
        put(.l1, ["id", "version", "status", "agency.id", "agency.name",
                  "child.id", "child.pseudonym", "child.jurisdiction", "child.legalStatus",
                  "people[].id", "people[].role", "people[].placedElsewhere", "people[].organisation", "people[].easyRead",
                  "placements[].id", "placements[].kind", "placements[].startDate", "placements[].endDate",
                  "placements[].carers[]",
                  "orders[].id", "orders[].type", "orders[].jurisdiction", "orders[].madeOn", "orders[].expiresOn",
                  "orders[].endedOn", "orders[].penalNotice", "orders[].inForce", "orders[].supersedes",
                  "orders[].indirectContactAllowed", "orders[].prohibitsContact", "orders[].namedPersons[]",
                  "arrangements[].id", "arrangements[].counterpart", "arrangements[].basis", "arrangements[].orderRef",
                  "arrangements[].mode", "arrangements[].platform", "arrangements[].heldBy",
                  "arrangements[].frequency.kind", "arrangements[].frequency.count", "arrangements[].frequency.per",
                  "arrangements[].supervision", "arrangements[].intermediary", "arrangements[].start",
                  "arrangements[].end", "arrangements[].status",
                  "arrangements[].suspensions[].id", "arrangements[].suspensions[].from",
                  "arrangements[].suspensions[].to", "arrangements[].suspensions[].basis",
                  "arrangements[].suspensions[].notifiedOn", "arrangements[].suspensions[].notifiedTo[]",
                  "stages[].code", "stages[].status", "stages[].lastReviewedOn", "stages[].reviewBy",
                  "stages[].items[].id", "stages[].items[].title", "stages[].items[].contentRef",
                  "stages[].items[].kind", "stages[].items[].targetDate", "stages[].items[].status",
                  "stages[].items[].doneOn", "stages[].items[].owner", "stages[].items[].decision",
                  "stages[].items[].account.platform", "stages[].items[].account.heldBy",
                  "contingencies[].id", "contingencies[].scenario", "contingencies[].applicable",
                  "contingencies[].notApplicableReason", "contingencies[].severity", "contingencies[].raisedTo",
                  "contingencies[].triggers[]", "contingencies[].actions[]", "contingencies[].legalLevers[]",
                  "contingencies[].childSupport", "contingencies[].linkedOrders[]",
                  "contingencies[].namedPersons[]", "contingencies[].contentRef",
                  "contingencies[].responders[].role", "contingencies[].responders[].name",
                  "contingencies[].responders[].phone", "contingencies[].responders[].personRef",
                  "contingencies[].responders[].outOfHours",
                  "reviews[].id", "reviews[].kind", "reviews[].dueOn", "reviews[].heldOn",
                  "signOffs[].role", "signOffs[].name", "signOffs[].signedOn", "signOffs[].versionHash", "signOffs[].signedInApp", "signOffs[].recordedBy", "signOffs[].evidence",
                  "riskAssessments[].id", "riskAssessments[].assessedOn", "riskAssessments[].assessedBy",
                  "incidents[].id", "incidents[].occurredOn", "incidents[].scenario", "incidents[].contingencyRef",
                  "incidents[].severity", "incidents[].breachType",
                  "incidents[].notifications[].to", "incidents[].notifications[].on",
                  "incidents[].evidence[].id", "incidents[].evidence[].capturedOn",
                  "lifeStory.bookGivenOn", "lifeStory.laterLifeLetterGivenOn", "delegatedAuthority[]",
                  "panelSubmission.submittedOn", "panelSubmission.panelDate", "panelSubmission.decisionOn",
                  "redaction.fosterCarerMayKnow[]",
                  "arrangements[].conditions[].id", "arrangements[].conditions[].kind",
                  "arrangements[].conditions[].text", "orders[].conditions[].id", "orders[].conditions[].kind",
                  "orders[].conditions[].text", "orders[].provisions[]", "orders[].court"])
        put(.l2, ["child.birthName.given", "child.birthName.family", "child.dateOfBirth", "child.carersTerm",
                  "child.needs[]", "people[].name.given", "people[].name.family", "people[].termUsedByChild",
                  "people[].relationship", "people[].dateOfBirth",
                  "people[].carerConsentToOnlineContact.decision", "people[].carerConsentToOnlineContact.recordedOn",
                  "people[].carerConsentToOnlineContact.recordedBy",
                  "stages[].items[].skippedReason", "stages[].items[].notes", "reviews[].notes",
                  "views.child.recordedOn", "views.child.summary", "views.child.personRef",
                  "views.adopters.recordedOn", "views.adopters.summary", "views.adopters.personRef",
                  "views.birthRelatives[].recordedOn", "views.birthRelatives[].summary",
                  "views.birthRelatives[].personRef",
                  "siblingContactDecision.decision", "siblingContactDecision.recordedOn",
                  "siblingContactDecision.recordedBy",
                  "panelSubmission.recommendation", "panelSubmission.decision",
                  "arrangements[].suspensions[].reason"])
        put(.l3, ["child.currentName.given", "child.currentName.family", "child.knownAs",
                  "child.settings[].kind", "child.settings[].name", "child.settings[].town",
                  "people[].serialNumber", "people[].contact.phone", "people[].contact.email",
                  "people[].contact.address", "people[].contact.town", "people[].contact.postcode",
                  "people[].contact.socialHandles[]", "people[].contact.employer",
                  "people[].contact.vehicleRegistration",
                  "orders[].conditions[].protectedTokens[]", "arrangements[].conditions[].protectedTokens[]"])
        put(.l4, ["people[].riskFlags[]", "riskAssessments[].level", "riskAssessments[].birthRelativesOnline",
                  "riskAssessments[].pastBreaches", "riskAssessments[].proximity", "riskAssessments[].whatTheyKnow",
                  "riskAssessments[].childVulnerabilities", "incidents[].summary", "incidents[].personsInvolved[]",
                  "incidents[].evidence[].description", "incidents[].evidence[].url", "incidents[].evidence[].sha256",
                  "incidents[].evidence[].storageRef"])
        put(.l5, ["orders[].documentRef"])
        return c
    }()

    /// The pattern of a concrete path: `people[3].contact.phone` -> `people[].contact.phone`.
    public static func pattern(of path: String) -> String {
        var out = ""
        var skipping = false
        for ch in path {
            if ch == "[" { skipping = true; out.append("["); continue }
            if ch == "]" { skipping = false; out.append("]"); continue }
            if !skipping { out.append(ch) }
        }
        return out
    }

    /// The level of one field of one plan. Nil for a path the catalogue does not know: treat it as L5.
    public static func level(of path: String, in plan: Plan? = nil) -> SensitivityLevel? {
        let p = pattern(of: path)
        guard let base = catalogue[p] else { return nil }
        // Carers' family names identify the placement; birth relatives' contact details are third-party data.
        if p == "people[].name.family", let plan, let person = personAt(path, in: plan),
           person.role.isCarer || (person.role == .sibling && person.placedElsewhere) {
            return .l3
        }
        if p.hasPrefix("people[].contact."), let plan, let person = personAt(path, in: plan),
           person.role.isBirthFamily && !(person.role == .sibling && person.placedElsewhere) {
            return .l4
        }
        return base
    }

    private static func personAt(_ path: String, in plan: Plan) -> Person? {
        guard path.hasPrefix("people["), let close = path.firstIndex(of: "]"),
              let i = Int(path[path.index(path.startIndex, offsetBy: 7)..<close]), plan.people.indices.contains(i)
        else { return nil }
        return plan.people[i]
    }
}

/// The plan's own whitelist of protected items a foster carer may see (DOMAIN.md §5.4: "whitelisted items only").
public struct RedactionProfile: Codable, Sendable, Equatable {
    /// Field paths (or prefixes) of protected tokens that foster carers may see, e.g. `child.settings[0]` when
    /// they still take the child to that school.
    public var fosterCarerMayKnow: [String]
    public init(fosterCarerMayKnow: [String] = []) { self.fosterCarerMayKnow = fosterCarerMayKnow }
}

/// A value that must never reach a birth relative, with the field it came from.
public struct ProtectedToken: Codable, Sendable, Equatable, Hashable {
    public var value: String
    /// Where it came from: `people[2].contact.address`, `orders[0].conditions[1].protectedTokens[0]`.
    public var field: String
    public var why: String

    public init(value: String, field: String, why: String) {
        self.value = value
        self.field = field
        self.why = why
    }
}

public enum ProtectedTokens {
    /// Every protected token of a plan (DOMAIN.md §4.3), deduplicated by value, in a stable order.
    public static func of(_ plan: Plan) -> [ProtectedToken] {
        var out: [ProtectedToken] = []
        func add(_ value: String?, _ field: String, _ why: String) {
            guard let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), v.count >= 2 else { return }
            out.append(ProtectedToken(value: v, field: field, why: why))
        }
        func addContact(_ c: ContactDetails?, _ base: String, _ who: String) {
            guard let c else { return }
            add(c.phone, "\(base).phone", "\(who)'s phone")
            add(c.email, "\(base).email", "\(who)'s email")
            add(c.address, "\(base).address", "\(who)'s address")
            add(c.town, "\(base).town", "\(who)'s town")
            add(c.postcode, "\(base).postcode", "\(who)'s postcode")
            for (j, h) in c.socialHandles.enumerated() { add(h, "\(base).socialHandles[\(j)]", "\(who)'s social media") }
            add(c.employer, "\(base).employer", "\(who)'s employer")
            add(c.vehicleRegistration, "\(base).vehicleRegistration", "\(who)'s vehicle")
        }

        let child = plan.child
        let birthParts = Set([child.birthName.given, child.birthName.family ?? ""].map { $0.lowercased() })
        if let current = child.currentName {
            if !birthParts.contains(current.given.lowercased()) {
                add(current.given, "child.currentName.given", "the child's new name")
            }
            if let family = current.family, !birthParts.contains(family.lowercased()) {
                add(family, "child.currentName.family", "the child's new surname")
            }
        }
        if !birthParts.contains(child.knownAs.lowercased()) {
            add(child.knownAs, "child.knownAs", "the name the child is known by at home")
        }
        for (i, s) in child.settings.enumerated() {
            add(s.name, "child.settings[\(i)].name", "the child's \(s.kind.rawValue.replacingOccurrences(of: "_", with: " "))")
            add(s.town, "child.settings[\(i)].town", "the town of the child's \(s.kind.rawValue.replacingOccurrences(of: "_", with: " "))")
        }

        let current = plan.currentPlacement
        let earlierCarers = Set(plan.placements.filter { $0 != current }.flatMap(\.carers))
        let currentCarers = Set(current?.carers ?? [])
        for (i, p) in plan.people.enumerated() {
            let base = "people[\(i)]"
            switch p.role {
            case .adopter:
                add(p.name.family, "\(base).name.family", "the adopters' surname")
                add(p.serialNumber, "\(base).serialNumber", "the adoption serial number")
                addContact(p.contact, "\(base).contact", "the adopters")
            case .fosterCarer, .kinshipCarer:
                // Foster carers who looked after the child before the move (DOMAIN.md §4.3).
                if earlierCarers.contains(p.id) && !currentCarers.contains(p.id) && current?.kind == .adoptive {
                    add(p.name.family, "\(base).name.family", "the former foster carers' surname")
                    addContact(p.contact, "\(base).contact", "the former foster carers")
                } else if currentCarers.contains(p.id) && current?.kind == .adoptive {
                    add(p.name.family, "\(base).name.family", "the carers' surname")
                    addContact(p.contact, "\(base).contact", "the carers")
                }
            case .sibling where p.placedElsewhere:
                addContact(p.contact, "\(base).contact", "a sibling placed elsewhere")
            default:
                break
            }
        }
        for (i, o) in plan.orders.enumerated() {
            for (j, c) in o.conditions.enumerated() {
                for (k, t) in c.protectedTokens.enumerated() {
                    add(t, "orders[\(i)].conditions[\(j)].protectedTokens[\(k)]", "protected by a condition of an order")
                }
            }
        }
        for (i, a) in plan.arrangements.enumerated() {
            for (j, c) in a.conditions.enumerated() {
                for (k, t) in c.protectedTokens.enumerated() {
                    add(t, "arrangements[\(i)].conditions[\(j)].protectedTokens[\(k)]",
                        "protected by a condition of a contact arrangement")
                }
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert(normalise($0.value)).inserted }
    }

    /// The tokens a foster-carer document may still not contain: all but the plan's whitelist.
    public static func forFosterCarer(_ plan: Plan) -> [ProtectedToken] {
        let allowed = plan.redaction.fosterCarerMayKnow
        return of(plan).filter { token in !allowed.contains { token.field.hasPrefix($0) } }
    }

    /// Lower-case, accents removed, runs of white space as one space.
    public static func normalise(_ s: String) -> String {
        let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The tokens that occur in `text`, however they are written: the release scan (`ReleaseScan`) decides.
    public static func scan(_ text: String, for tokens: [ProtectedToken]) -> [ProtectedToken] {
        ReleaseScan.scan(text, for: tokens)
    }
}
