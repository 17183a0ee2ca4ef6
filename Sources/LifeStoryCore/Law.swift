import Foundation

// Law as data (DESIGN.md "Law is data"). Nothing in the rules hard-codes an age or an order's scope: they read a
// `LawBook`, which ships as Resources/law.json and is generated from Content/jurisdictions and Content/platforms.

/// A value that holds from `effectiveFrom` until the day before `effectiveTo`.
public struct EffectiveValue: Codable, Sendable, Equatable {
    public var value: Int
    public var effectiveFrom: CalendarDate
    public var effectiveTo: CalendarDate?
    public var source: String

    public init(value: Int, effectiveFrom: CalendarDate, effectiveTo: CalendarDate? = nil, source: String) {
        self.value = value
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.source = source
    }

    public func applies(on date: CalendarDate) -> Bool {
        effectiveFrom <= date && (effectiveTo.map { date < $0 } ?? true)
    }
}

extension Array where Element == EffectiveValue {
    /// The value in force on `date`; when several overlap, the one that took effect last.
    public func value(on date: CalendarDate) -> Int? {
        filter { $0.applies(on: date) }.max { $0.effectiveFrom < $1.effectiveFrom }?.value
    }
}

/// What the law says about one order type in one jurisdiction.
public struct OrderTypeRule: Codable, Sendable, Equatable {
    public var type: OrderType
    /// Nil: enacted but not yet commenced (as parts of the ACA (NI) 2022).
    public var inForceFrom: CalendarDate?
    public var inForceTo: CalendarDate?
    /// The order forbids contact with the persons it names (V2).
    public var prohibitive: Bool
    /// The latest birthday it can run to (V6): 18 for s.51A, 16 for CAO contact provisions.
    public var maxAge: Int?
    /// Orders whose making ends this one (V5): adoption ends s.26, placement ends s.34 and CAO contact.
    public var endedBy: [OrderType]
    public var source: String

    public init(type: OrderType, inForceFrom: CalendarDate?, inForceTo: CalendarDate? = nil, prohibitive: Bool = false,
                maxAge: Int? = nil, endedBy: [OrderType] = [], source: String) {
        self.type = type
        self.inForceFrom = inForceFrom
        self.inForceTo = inForceTo
        self.prohibitive = prohibitive
        self.maxAge = maxAge
        self.endedBy = endedBy
        self.source = source
    }

    public func inForce(on date: CalendarDate) -> Bool {
        guard let inForceFrom else { return false }
        return inForceFrom <= date && (inForceTo.map { date < $0 } ?? true)
    }
}

/// The move to secondary school: in England and Wales, the September after the 31 August on which a child is 11.
public struct SchoolTransferRule: Codable, Sendable, Equatable {
    /// The label people use ("the move from Year 6 to Year 7").
    public var label: String
    /// The child is `age` on this month and day ...
    public var ageOnMonth: Int
    public var ageOnDay: Int
    public var age: Int
    /// ... and moves on the next occurrence of this month and day.
    public var startsMonth: Int
    public var startsDay: Int

    public init(label: String, ageOnMonth: Int, ageOnDay: Int, age: Int, startsMonth: Int, startsDay: Int) {
        self.label = label
        self.ageOnMonth = ageOnMonth
        self.ageOnDay = ageOnDay
        self.age = age
        self.startsMonth = startsMonth
        self.startsDay = startsDay
    }

    /// The date a child born on `dob` starts secondary school.
    public func transferDate(dob: CalendarDate) -> CalendarDate? {
        // The first year in which the child is `age` on the cut-off day.
        for year in (dob.year + age)...(dob.year + age + 1) {
            guard let cutoff = CalendarDate(year: year, month: ageOnMonth,
                                            day: min(ageOnDay, CalendarDate.daysIn(month: ageOnMonth, year: year)))
            else { continue }
            if dob.age(on: cutoff) == age {
                let startYear = (startsMonth, startsDay) > (ageOnMonth, ageOnDay) ? year : year + 1
                return CalendarDate(year: startYear, month: startsMonth, day: startsDay)
            }
        }
        return nil
    }
}

/// The statutory review rhythm: the first review `firstAfterDays` after placement, the second
/// `secondAfterMonths` after that, then every `thenEveryMonths`.
public struct ReviewRhythm: Codable, Sendable, Equatable {
    public var firstAfterDays: Int
    public var secondAfterMonths: Int
    public var thenEveryMonths: Int
    public var source: String

    public init(firstAfterDays: Int, secondAfterMonths: Int, thenEveryMonths: Int, source: String) {
        self.firstAfterDays = firstAfterDays
        self.secondAfterMonths = secondAfterMonths
        self.thenEveryMonths = thenEveryMonths
        self.source = source
    }
}

public struct JurisdictionLaw: Codable, Sendable, Equatable {
    public var code: JurisdictionCode
    public var name: String
    public var recordsAccessAge: [EffectiveValue]
    public var digitalConsentAge: [EffectiveValue]
    public var reviewRhythm: ReviewRhythm
    public var schoolTransfer: SchoolTransferRule
    public var orderTypes: [OrderTypeRule]
    /// Funds and schemes that pay for support, with the dates they run (the Adoption and Special Guardianship
    /// Support Fund in England).
    public var supportSchemes: [SupportScheme]

    public init(code: JurisdictionCode, name: String, recordsAccessAge: [EffectiveValue],
                digitalConsentAge: [EffectiveValue], reviewRhythm: ReviewRhythm, schoolTransfer: SchoolTransferRule,
                orderTypes: [OrderTypeRule], supportSchemes: [SupportScheme] = []) {
        self.code = code
        self.name = name
        self.recordsAccessAge = recordsAccessAge
        self.digitalConsentAge = digitalConsentAge
        self.reviewRhythm = reviewRhythm
        self.schoolTransfer = schoolTransfer
        self.orderTypes = orderTypes
        self.supportSchemes = supportSchemes
    }

    enum CodingKeys: String, CodingKey { case code, name, recordsAccessAge, digitalConsentAge, reviewRhythm, schoolTransfer, orderTypes, supportSchemes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(JurisdictionCode.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name)
        recordsAccessAge = try c.decode([EffectiveValue].self, forKey: .recordsAccessAge)
        digitalConsentAge = try c.decode([EffectiveValue].self, forKey: .digitalConsentAge)
        reviewRhythm = try c.decode(ReviewRhythm.self, forKey: .reviewRhythm)
        schoolTransfer = try c.decode(SchoolTransferRule.self, forKey: .schoolTransfer)
        orderTypes = try c.decode([OrderTypeRule].self, forKey: .orderTypes)
        supportSchemes = try c.decodeIfPresent([SupportScheme].self, forKey: .supportSchemes) ?? []
    }

    /// The schemes running on a date.
    public func supportSchemes(on date: CalendarDate) -> [SupportScheme] {
        supportSchemes.filter { ($0.from.map { $0 <= date } ?? true) && ($0.to.map { date <= $0 } ?? true) }
    }

    public func rule(for type: OrderType) -> OrderTypeRule? { orderTypes.first { $0.type == type } }
}

/// A fund or scheme that pays for support, as dated data: what it is, when it runs, as known on a date.
public struct SupportScheme: Codable, Sendable, Equatable {
    public var name: String
    /// What it pays for and how to reach it, in a line written to the family.
    public var what: String
    public var from: CalendarDate?
    public var to: CalendarDate?
    /// The date these facts were last checked.
    public var asAt: CalendarDate
    public var source: String

    public init(name: String, what: String, from: CalendarDate? = nil, to: CalendarDate? = nil, asAt: CalendarDate, source: String) {
        self.name = name
        self.what = what
        self.from = from
        self.to = to
        self.asAt = asAt
        self.source = source
    }
}

/// A platform's minimum age over time, e.g. WhatsApp in the UK: 16, then 13 from 2024.
public struct PlatformAgeRule: Codable, Sendable, Equatable {
    /// The platform's display name, as in Content/platforms ("Instagram").
    public var platform: String
    /// Jurisdictions it applies in (all four when the rule is UK-wide).
    public var jurisdictions: [JurisdictionCode]
    public var minAge: [EffectiveValue]
    /// Restrictions in law on children's accounts on this platform, announced or in force (the under-16 social
    /// media restriction announced in June 2026). Data, not code: when one comes into force, its status and date
    /// change here and the rules follow.
    public var restrictions: [AccountRestriction]

    public init(platform: String, jurisdictions: [JurisdictionCode] = JurisdictionCode.allCases,
                minAge: [EffectiveValue], restrictions: [AccountRestriction] = []) {
        self.platform = platform
        self.jurisdictions = jurisdictions
        self.minAge = minAge
        self.restrictions = restrictions
    }

    enum CodingKeys: String, CodingKey { case platform, jurisdictions, minAge, restrictions }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        platform = try c.decode(String.self, forKey: .platform)
        jurisdictions = try c.decode([JurisdictionCode].self, forKey: .jurisdictions)
        minAge = try c.decode([EffectiveValue].self, forKey: .minAge)
        restrictions = try c.decodeIfPresent([AccountRestriction].self, forKey: .restrictions) ?? []
    }

    /// The restriction in force on a date, if any.
    public func restrictionInForce(on date: CalendarDate) -> AccountRestriction? {
        restrictions.filter { $0.status == .inForce && ($0.inForceFrom.map { $0 <= date } ?? false) }.max { $0.age < $1.age }
    }

    /// A restriction announced but not in force, expected by a date.
    public var announced: AccountRestriction? { restrictions.first { $0.status == .announced } }
}

/// A legal restriction on children's own accounts: announced (not law yet, with the date it is expected) or in force
/// (law, from a date).
public struct AccountRestriction: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case announced, inForce = "in_force" }
    /// Children under this age may not hold their own account.
    public var age: Int
    public var status: Status
    public var announcedOn: CalendarDate?
    /// When it is expected to apply, while it is announced.
    public var expectedFrom: CalendarDate?
    /// When it applies, once it is in force.
    public var inForceFrom: CalendarDate?
    /// What it is, in a line ("the restriction on social media accounts for under-16s announced in June 2026").
    public var what: String
    public var source: String

    public init(age: Int, status: Status, announcedOn: CalendarDate? = nil, expectedFrom: CalendarDate? = nil,
                inForceFrom: CalendarDate? = nil, what: String, source: String) {
        self.age = age
        self.status = status
        self.announcedOn = announcedOn
        self.expectedFrom = expectedFrom
        self.inForceFrom = inForceFrom
        self.what = what
        self.source = source
    }
}

/// Everything Core needs to know about the law, as of any date.
public struct LawBook: Codable, Sendable, Equatable {
    /// Where this edition came from ("Content/ edition 2026-11-21 ...").
    public var edition: String
    public var jurisdictions: [JurisdictionLaw]
    public var platforms: [PlatformAgeRule]

    public init(edition: String, jurisdictions: [JurisdictionLaw], platforms: [PlatformAgeRule]) {
        self.edition = edition
        self.jurisdictions = jurisdictions
        self.platforms = platforms
    }

    public func jurisdiction(_ code: JurisdictionCode) -> JurisdictionLaw? { jurisdictions.first { $0.code == code } }

    /// Case-insensitive lookup by platform name.
    public func platform(named name: String) -> PlatformAgeRule? {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces)
        return platforms.first { $0.platform.lowercased() == key }
    }

    public func orderRule(_ type: OrderType, in code: JurisdictionCode) -> OrderTypeRule? {
        jurisdiction(code)?.rule(for: type)
    }

    /// The rule for `type` in any jurisdiction (for facts that do not vary, such as "prohibitive").
    public func anyOrderRule(_ type: OrderType) -> OrderTypeRule? {
        jurisdictions.lazy.compactMap { $0.rule(for: type) }.first
    }

    /// The law shipped with this build of Lifestory.
    public static func bundled() throws -> LawBook {
        guard let url = Bundle.module.url(forResource: "law", withExtension: "json") else {
            throw CoreError.lawData("law.json is missing from the LifeStoryCore bundle")
        }
        return try decode(Data(contentsOf: url))
    }

    public static func decode(_ data: Data) throws -> LawBook {
        do {
            return try JSONDecoder().decode(LawBook.self, from: data)
        } catch let error as DecodingError {
            throw CoreError.lawData("law data: " + DecodingProblem(error).description)
        }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
