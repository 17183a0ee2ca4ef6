import Foundation

/// An enumeration stored in the plan archive by its code. Decoding an unknown code fails with a message that
/// names the value and lists the codes allowed.
public protocol CodedEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {}

extension CodedEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown value '\(raw)'; expected one of: \(allowed)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The four UK jurisdictions.
public enum JurisdictionCode: String, CodedEnum {
    case england = "ENG", wales = "WLS", scotland = "SCO", northernIreland = "NI"

    public var name: String {
        switch self {
        case .england: "England"
        case .wales: "Wales"
        case .scotland: "Scotland"
        case .northernIreland: "Northern Ireland"
        }
    }
}

/// Every order type of DOMAIN.md §5.2. Which are valid where, and from when, is law data (`LawBook`).
public enum OrderType: String, CodedEnum {
    // England and Wales
    case ca89S34Contact = "CA89_S34_CONTACT"
    case ca89S34Refusal = "CA89_S34_REFUSAL"
    case ca89S8CAO = "CA89_S8_CAO"
    case aca02Placement = "ACA02_PLACEMENT"
    case aca02S26Contact = "ACA02_S26_CONTACT"
    case aca02Adoption = "ACA02_ADOPTION"
    case aca02S51AContact = "ACA02_S51A_CONTACT"
    case aca02S51AProhibition = "ACA02_S51A_PROHIBITION"
    case sgo = "SGO"
    // Scotland
    case scoPermanence = "SCO_PERMANENCE"
    case scoPOAuthorityToAdopt = "SCO_PO_AUTHORITY_TO_ADOPT"
    case scoCSOContactDirection = "SCO_CSO_CONTACT_DIRECTION"
    case scoCSONondisclosure = "SCO_CSO_NONDISCLOSURE"
    case scoS11 = "SCO_S11"
    /// Adoption and Children (Scotland) Act 2007, section 28.
    case scoAdoption = "SCO_ADOPTION"
    // Northern Ireland
    case niArt8Contact = "NI_ART8_CONTACT"
    case niFreeing = "NI_FREEING"
    case ni22S23Contact = "NI22_S23_CONTACT"
    case ni22S49Contact = "NI22_S49_CONTACT"
    case ni22S49Prohibition = "NI22_S49_PROHIBITION"
    // Protective
    case fla96NonMolestation = "FLA96_NON_MOLESTATION"
    case harassmentInjunction = "HARASSMENT_INJUNCTION"
    case interdict = "INTERDICT"
    case reportingRestriction = "REPORTING_RESTRICTION"
}

public enum ContactMode: String, CodedEnum {
    case letterboxPaper = "LETTERBOX_PAPER"
    case letterboxDigital = "LETTERBOX_DIGITAL"
    case cardsGifts = "CARDS_GIFTS"
    case photoExchange = "PHOTO_EXCHANGE"
    case phone = "PHONE"
    case videoCall = "VIDEO_CALL"
    case messagingApp = "MESSAGING_APP"
    case socialMedia = "SOCIAL_MEDIA"
    case directSupervised = "DIRECT_SUPERVISED"
    case directSupported = "DIRECT_SUPPORTED"
    case directUnsupervised = "DIRECT_UNSUPERVISED"
    case none = "NONE"

    /// Letters, cards and photos passed on: the indirect modes of DOMAIN.md §5.2.
    public var isIndirect: Bool {
        switch self {
        case .letterboxPaper, .letterboxDigital, .cardsGifts, .photoExchange: true
        default: false
        }
    }

    /// Any mode in which the child and the other person reach each other directly, in person or online.
    public var isDirect: Bool { !isIndirect && self != .none }

    /// Modes that run through an online account (V1, V13).
    public var isAccountBased: Bool { self == .socialMedia || self == .messagingApp }

    /// Modes that happen online or by phone (V13's "online sibling contact").
    public var isOnline: Bool {
        switch self {
        case .messagingApp, .socialMedia, .videoCall, .letterboxDigital: true
        default: false
        }
    }

    public var isLetterbox: Bool { self == .letterboxPaper || self == .letterboxDigital }

    public var plain: String {
        switch self {
        case .letterboxPaper: "letters through the agency's letterbox"
        case .letterboxDigital: "messages through the agency's digital letterbox"
        case .cardsGifts: "cards and gifts"
        case .photoExchange: "exchanging photos"
        case .phone: "phone calls"
        case .videoCall: "video calls"
        case .messagingApp: "a messaging app"
        case .socialMedia: "social media"
        case .directSupervised: "supervised meetings"
        case .directSupported: "supported meetings"
        case .directUnsupervised: "meetings without supervision"
        case .none: "no contact"
        }
    }
}

public enum Supervision: String, CodedEnum {
    case none = "NONE"
    case supported = "SUPPORTED"
    case supervisedAgency = "SUPERVISED_AGENCY"
    case supervisedCentre = "SUPERVISED_CENTRE"
    case supervisedCarer = "SUPERVISED_CARER"
}

public enum Severity: String, CodedEnum, Comparable {
    case s1 = "S1", s2 = "S2", s3 = "S3", s4 = "S4"

    /// S1 is the most serious; `a < b` means a is *less* serious than b.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank > b.rank }
    var rank: Int { Int(rawValue.dropFirst()) ?? 4 }

    public var plainTiming: String {
        switch self {
        case .s1: "at once: call 999, then the emergency contacts"
        case .s2: "the same day"
        case .s3: "within 72 hours"
        case .s4: "at the next review"
        }
    }
}

/// The scenarios of DOMAIN.md §2 (C1-C10) and the ones practice added (C11-C15).
public enum Scenario: String, CodedEnum {
    case c1 = "C1", c2 = "C2", c3 = "C3", c4 = "C4", c5 = "C5", c6 = "C6", c7 = "C7", c8 = "C8", c9 = "C9", c10 = "C10"
    case c11 = "C11", c12 = "C12", c13 = "C13", c14 = "C14", c15 = "C15"

    /// The scenarios every plan must cover or mark not applicable with a reason (DOMAIN.md §4.1 item 5).
    public static let core: [Scenario] = [.c1, .c2, .c3, .c4, .c5, .c6, .c7, .c8, .c9, .c10]

    public var title: String {
        switch self {
        case .c1: "A birth relative sends the child a friend request or message"
        case .c2: "A birth relative messages the family"
        case .c3: "The child searches for birth family in secret"
        case .c4: "The child's photo, school or town is identified online"
        case .c5: "Hostile posts about the family or social workers"
        case .c6: "Sibling contact online"
        case .c7: "An older child starts contact themselves"
        case .c8: "Grooming or exploitation, including someone posing as family"
        case .c9: "Publicity about a reunion"
        case .c10: "The letterbox is used to leak identifying details"
        case .c11: "Location sharing and device finders"
        case .c12: "A birth relative met in an online game"
        case .c13: "Wider family or friends posting the child"
        case .c14: "Peers or school spreading the child's story"
        case .c15: "Images of the child misused or faked"
        }
    }
}

/// The stages of DOMAIN.md §3: D0 (day one, any age) and A-H by age.
public enum StageCode: String, CodedEnum, Comparable {
    case d0 = "D0", a = "A", b = "B", c = "C", d = "D", e = "E", f = "F", g = "G", h = "H"

    /// The age stages in order (D0 is not an age stage).
    public static let byAge: [StageCode] = [.a, .b, .c, .d, .e, .f, .g, .h]

    /// First birthday on which the stage begins. D0 has none.
    public var fromAge: Int? {
        switch self {
        case .d0: nil
        case .a: 0
        case .b: 3
        case .c: 6
        case .d: 9
        case .e: 12
        case .f: 14
        case .g: 16
        case .h: 18
        }
    }

    /// The birthday on which the stage ends (exclusive). H never ends.
    public var untilAge: Int? {
        guard let i = StageCode.byAge.firstIndex(of: self), i + 1 < StageCode.byAge.count else { return nil }
        return StageCode.byAge[i + 1].fromAge
    }

    public var title: String {
        switch self {
        case .d0: "Day one"
        case .a: "Ages 0 to 2"
        case .b: "Ages 3 to 5"
        case .c: "Ages 6 to 8"
        case .d: "Ages 9 to 11"
        case .e: "Ages 12 to 13"
        case .f: "Ages 14 to 15"
        case .g: "Ages 16 to 17"
        case .h: "18 and over"
        }
    }

    private var order: Int { StageCode.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: StageCode, b: StageCode) -> Bool { a.order < b.order }
}

/// Who reads a document. Clearances are in `Clearance`.
public enum Audience: String, CodedEnum {
    case socialWorker = "AGENCY_SW"
    case panel = "PANEL"
    case adm = "ADM"
    case iro = "IRO"
    case adopter = "ADOPTER"
    case fosterCarer = "FOSTER_CARER"
    case child = "CHILD"
    case schoolDSL = "SCHOOL_DSL"
    case birthRelative = "BIRTH_RELATIVE"
}

public enum SensitivityLevel: String, CodedEnum, Comparable {
    case l0 = "L0", l1 = "L1", l2 = "L2", l3 = "L3", l4 = "L4", l5 = "L5"
    var rank: Int { Int(rawValue.dropFirst()) ?? 5 }
    public static func < (a: SensitivityLevel, b: SensitivityLevel) -> Bool { a.rank < b.rank }

    public var meaning: String {
        switch self {
        case .l0: "generic guidance and law"
        case .l1: "plan structure and dates"
        case .l2: "the child's history, health and birth-family story"
        case .l3: "anything that identifies the placement"
        case .l4: "third-party risk, police information and evidence"
        case .l5: "court papers and legal advice"
        }
    }
}

extension OrderType {
    /// How a social worker names the order in a sentence.
    public var shortName: String {
        switch self {
        case .ca89S34Contact: "s.34 contact order"
        case .ca89S34Refusal: "s.34(4) order authorising refusal of contact"
        case .ca89S8CAO: "child arrangements order"
        case .aca02Placement: "placement order"
        case .aca02S26Contact: "s.26 contact order"
        case .aca02Adoption: "adoption order"
        case .aca02S51AContact: "s.51A post-adoption contact order"
        case .aca02S51AProhibition: "s.51A(2)(b) order forbidding contact"
        case .sgo: "special guardianship order"
        case .scoPermanence: "permanence order"
        case .scoPOAuthorityToAdopt: "permanence order with authority to adopt"
        case .scoCSOContactDirection: "contact direction in a compulsory supervision order"
        case .scoCSONondisclosure: "non-disclosure measure in a compulsory supervision order"
        case .scoS11: "section 11 order"
        case .scoAdoption: "adoption order"
        case .niArt8Contact: "Article 8 contact order"
        case .niFreeing: "freeing order"
        case .ni22S23Contact: "s.23 contact order"
        case .ni22S49Contact: "s.49 post-adoption contact order"
        case .ni22S49Prohibition: "s.49 order forbidding contact"
        case .fla96NonMolestation: "non-molestation order"
        case .harassmentInjunction: "harassment injunction"
        case .interdict: "interdict"
        case .reportingRestriction: "reporting restriction order"
        }
    }
}
