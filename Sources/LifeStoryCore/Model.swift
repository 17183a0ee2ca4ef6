import Foundation

// The plan and everything in it (DOMAIN.md §5.1). Value types only: Codable, Sendable, Equatable.
// The sensitivity level of every field is in `FieldSensitivity` (Redaction.swift); brackets below repeat it.

public enum PlanStatus: String, CodedEnum {
    case draft, submitted
    case panelRecommended = "panel_recommended"
    case admApproved = "adm_approved"
    case active, superseded

    /// Submitted or later: the panel checks (V10) apply.
    public var isAtOrPastSubmission: Bool { self != .draft }
}

/// One child's plan: the unit that is versioned, checked, archived and turned into guides.
public struct Plan: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var status: PlanStatus
    public var agency: Agency
    public var child: Child
    public var people: [Person]
    public var placements: [Placement]
    public var orders: [LegalOrder]
    public var arrangements: [ContactArrangement]
    public var stages: [PlannedStage]
    public var contingencies: [Contingency]
    public var riskAssessments: [RiskAssessment]
    public var reviews: [Review]
    public var signOffs: [SignOff]
    public var incidents: [Incident]
    public var views: Views
    public var lifeStory: LifeStoryWork
    /// Decisions delegated to the foster carers in the placement plan (V11).
    public var delegatedAuthority: [DelegatedDecision]
    /// Scotland: the recorded decision on sibling contact (V12).
    public var siblingContactDecision: RecordedDecision?
    public var panelSubmission: PanelSubmission?
    public var redaction: RedactionProfile

    public init(
        id: String, version: Int = 1, status: PlanStatus = .draft, agency: Agency, child: Child,
        people: [Person] = [], placements: [Placement] = [], orders: [LegalOrder] = [],
        arrangements: [ContactArrangement] = [], stages: [PlannedStage] = [], contingencies: [Contingency] = [],
        riskAssessments: [RiskAssessment] = [], reviews: [Review] = [], signOffs: [SignOff] = [],
        incidents: [Incident] = [], views: Views = Views(), lifeStory: LifeStoryWork = LifeStoryWork(),
        delegatedAuthority: [DelegatedDecision] = [], siblingContactDecision: RecordedDecision? = nil,
        panelSubmission: PanelSubmission? = nil, redaction: RedactionProfile = RedactionProfile()
    ) {
        self.id = id
        self.version = version
        self.status = status
        self.agency = agency
        self.child = child
        self.people = people
        self.placements = placements
        self.orders = orders
        self.arrangements = arrangements
        self.stages = stages
        self.contingencies = contingencies
        self.riskAssessments = riskAssessments
        self.reviews = reviews
        self.signOffs = signOffs
        self.incidents = incidents
        self.views = views
        self.lifeStory = lifeStory
        self.delegatedAuthority = delegatedAuthority
        self.siblingContactDecision = siblingContactDecision
        self.panelSubmission = panelSubmission
        self.redaction = redaction
    }

    /// The current placement: the latest one that has not ended.
    public var currentPlacement: Placement? {
        placements.filter { $0.endDate == nil }.max { $0.startDate < $1.startDate }
            ?? placements.max { $0.startDate < $1.startDate }
    }

    /// "Day one": the start of the current placement.
    public var dayOne: CalendarDate? { currentPlacement?.startDate }

    public func person(_ id: String) -> Person? { people.first { $0.id == id } }
    public func order(_ id: String) -> LegalOrder? { orders.first { $0.id == id } }
    public func people(withRole role: PersonRole) -> [Person] { people.filter { $0.role == role } }

    /// Every stage item with the stage it belongs to.
    public var stageItems: [(stage: StageCode, item: StageItem)] {
        stages.flatMap { s in s.items.map { (s.code, $0) } }
    }
}

public struct Agency: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

public enum LegalStatus: String, CodedEnum {
    case lookedAfter = "looked_after"
    case placedForAdoption = "placed_for_adoption"
    case adopted
    case permanenceOrder = "permanence_order"
    case specialGuardianship = "special_guardianship"

    /// Still looked after by the local authority (the Scottish sibling duty, V12, applies).
    public var isLookedAfter: Bool { self != .adopted && self != .specialGuardianship }
}

public struct Child: Codable, Sendable, Equatable {
    public var id: String
    /// The case-file pseudonym used in lists and logs [L1].
    public var pseudonym: String
    /// The name given at birth [L2].
    public var birthName: PersonName
    /// The child's new legal name, once there is one [L3].
    public var currentName: PersonName?
    /// The name the child is called at home [L3 when it differs from the birth name].
    public var knownAs: String
    public var dateOfBirth: CalendarDate
    public var jurisdiction: JurisdictionCode
    public var legalStatus: LegalStatus
    /// What the child calls the adults they live with now ("Mum and Dad") [L2].
    public var carersTerm: String?
    /// Health, development and support needs [L2].
    public var needs: [String]
    /// School, nursery, GP, clubs, place of worship [L3].
    public var settings: [ChildSetting]

    public init(
        id: String, pseudonym: String, birthName: PersonName, currentName: PersonName? = nil, knownAs: String,
        dateOfBirth: CalendarDate, jurisdiction: JurisdictionCode, legalStatus: LegalStatus,
        carersTerm: String? = nil, needs: [String] = [], settings: [ChildSetting] = []
    ) {
        self.id = id
        self.pseudonym = pseudonym
        self.birthName = birthName
        self.currentName = currentName
        self.knownAs = knownAs
        self.dateOfBirth = dateOfBirth
        self.jurisdiction = jurisdiction
        self.legalStatus = legalStatus
        self.carersTerm = carersTerm
        self.needs = needs
        self.settings = settings
    }
}

public struct PersonName: Codable, Sendable, Equatable {
    public var given: String
    public var family: String?
    public init(given: String, family: String? = nil) {
        self.given = given
        self.family = family
    }
    public var full: String { [given, family].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ") }
}

public enum SettingKind: String, CodedEnum {
    case school, nursery, gp, club
    case placeOfWorship = "place_of_worship"
}

/// A place the child goes regularly. Always protected [L3].
public struct ChildSetting: Codable, Sendable, Equatable {
    public var kind: SettingKind
    public var name: String
    public var town: String?
    public init(kind: SettingKind, name: String, town: String? = nil) {
        self.kind = kind
        self.name = name
        self.town = town
    }
}

public enum PersonRole: String, CodedEnum {
    case birthMother = "birth_mother"
    case birthFather = "birth_father"
    case birthParent = "birth_parent"
    case sibling
    case birthRelative = "birth_relative"
    case fosterCarer = "foster_carer"
    case adopter
    case kinshipCarer = "kinship_carer"
    case childsSocialWorker = "childs_social_worker"
    case adoptersSocialWorker = "adopters_social_worker"
    case teamManager = "team_manager"
    case iro
    case lawyer
    case panelAdviser = "panel_adviser"
    case decisionMaker = "decision_maker"
    case letterboxCoordinator = "letterbox_coordinator"
    case adoptionSupport = "adoption_support"
    case schoolDSL = "school_dsl"
    case otherProfessional = "other_professional"

    public var isBirthFamily: Bool {
        switch self {
        case .birthMother, .birthFather, .birthParent, .sibling, .birthRelative: true
        default: false
        }
    }

    public var isCarer: Bool { self == .fosterCarer || self == .adopter || self == .kinshipCarer }
}

public struct Person: Codable, Sendable, Equatable {
    public var id: String
    public var role: PersonRole
    /// Names [L2; the family name of any carer, and of a sibling placed elsewhere, is L3].
    public var name: PersonName
    /// What the child calls this person, in the child's own words ("Mummy Kelly") [L2].
    public var termUsedByChild: String?
    /// How they are related, in words ("maternal grandmother") [L2].
    public var relationship: String?
    /// Siblings: needed for V13's age gate [L2].
    public var dateOfBirth: CalendarDate?
    /// Siblings: placed with another family, whose details are then protected.
    public var placedElsewhere: Bool
    /// Siblings: the consent of the sibling's carer to online contact (V13).
    public var carerConsentToOnlineContact: RecordedDecision?
    /// Adopters: the serial number that shields their identity in proceedings [L3].
    public var serialNumber: String?
    /// Phone, email, address, handles, employer, vehicle [L3; L4 for birth family, except siblings placed elsewhere (L3)].
    public var contact: ContactDetails?
    /// Risk flags such as "history of harassment" [L4].
    public var riskFlags: [String]
    /// Professionals: their organisation or team.
    public var organisation: String?
    /// Birth relatives: their summary is written in Easy Read (short sentences, one idea a line, large type).
    public var easyRead: Bool?

    public init(
        id: String, role: PersonRole, name: PersonName, termUsedByChild: String? = nil, relationship: String? = nil,
        dateOfBirth: CalendarDate? = nil, placedElsewhere: Bool = false,
        carerConsentToOnlineContact: RecordedDecision? = nil, serialNumber: String? = nil,
        contact: ContactDetails? = nil, riskFlags: [String] = [], organisation: String? = nil, easyRead: Bool? = nil
    ) {
        self.easyRead = easyRead
        self.id = id
        self.role = role
        self.name = name
        self.termUsedByChild = termUsedByChild
        self.relationship = relationship
        self.dateOfBirth = dateOfBirth
        self.placedElsewhere = placedElsewhere
        self.carerConsentToOnlineContact = carerConsentToOnlineContact
        self.serialNumber = serialNumber
        self.contact = contact
        self.riskFlags = riskFlags
        self.organisation = organisation
    }
}

public struct ContactDetails: Codable, Sendable, Equatable {
    public var phone: String?
    public var email: String?
    public var address: String?
    public var town: String?
    public var postcode: String?
    public var socialHandles: [String]
    public var employer: String?
    public var vehicleRegistration: String?

    public init(
        phone: String? = nil, email: String? = nil, address: String? = nil, town: String? = nil,
        postcode: String? = nil, socialHandles: [String] = [], employer: String? = nil,
        vehicleRegistration: String? = nil
    ) {
        self.phone = phone
        self.email = email
        self.address = address
        self.town = town
        self.postcode = postcode
        self.socialHandles = socialHandles
        self.employer = employer
        self.vehicleRegistration = vehicleRegistration
    }
}

public enum PlacementKind: String, CodedEnum {
    case foster
    case fosteringForAdoption = "fostering_for_adoption"
    case concurrent
    case adoptive
    case kinship

    /// The carers are foster carers (no parental responsibility): V11 applies.
    public var carersAreFosterCarers: Bool { self == .foster || self == .fosteringForAdoption || self == .concurrent }
    /// Early permanence: birth parents may already know the carers (DOMAIN.md §3, D0).
    public var isEarlyPermanence: Bool { self == .fosteringForAdoption || self == .concurrent }
}

public struct Placement: Codable, Sendable, Equatable {
    public var id: String
    public var kind: PlacementKind
    /// "Day one" when this is the current placement [L1].
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    /// Person ids of the carers.
    public var carers: [String]

    public init(id: String, kind: PlacementKind, startDate: CalendarDate, endDate: CalendarDate? = nil,
                carers: [String] = []) {
        self.id = id
        self.kind = kind
        self.startDate = startDate
        self.endDate = endDate
        self.carers = carers
    }
}

public struct LegalOrder: Codable, Sendable, Equatable {
    public var id: String
    public var type: OrderType
    public var jurisdiction: JurisdictionCode
    public var court: String
    public var madeOn: CalendarDate
    /// Person ids the order names.
    public var namedPersons: [String]
    public var provisions: [String]
    public var conditions: [Condition]
    public var expiresOn: CalendarDate?
    /// The date it ended early (revoked, discharged, or ended by a later order), if it has.
    public var endedOn: CalendarDate?
    public var penalNotice: Bool
    /// As recorded by the social worker; V5 checks it against the orders that end it.
    public var inForce: Bool
    /// The id of an order this one replaced.
    public var supersedes: String?
    /// Prohibitions: whether indirect contact is expressly allowed (V2).
    public var indirectContactAllowed: Bool
    /// Orders that can either permit or forbid contact (a CSO contact direction): true when this one forbids it.
    public var prohibitsContact: Bool?
    /// Where the sealed order is kept [L5].
    public var documentRef: String?

    public init(
        id: String, type: OrderType, jurisdiction: JurisdictionCode, court: String, madeOn: CalendarDate,
        namedPersons: [String] = [], provisions: [String] = [], conditions: [Condition] = [],
        expiresOn: CalendarDate? = nil, endedOn: CalendarDate? = nil, penalNotice: Bool = false,
        inForce: Bool = true, supersedes: String? = nil, indirectContactAllowed: Bool = false,
        prohibitsContact: Bool? = nil, documentRef: String? = nil
    ) {
        self.id = id
        self.type = type
        self.jurisdiction = jurisdiction
        self.court = court
        self.madeOn = madeOn
        self.namedPersons = namedPersons
        self.provisions = provisions
        self.conditions = conditions
        self.expiresOn = expiresOn
        self.endedOn = endedOn
        self.penalNotice = penalNotice
        self.inForce = inForce
        self.supersedes = supersedes
        self.indirectContactAllowed = indirectContactAllowed
        self.prohibitsContact = prohibitsContact
        self.documentRef = documentRef
    }

    /// In force on `date`: recorded as in force, already made, not ended and not expired.
    public func isInForce(on date: CalendarDate) -> Bool {
        guard inForce, madeOn <= date else { return false }
        if let endedOn, endedOn <= date { return false }
        if let expiresOn, expiresOn < date { return false }
        return true
    }
}

public enum ConditionKind: String, CodedEnum {
    case nonDisclosure = "non_disclosure"
    case noPhotos = "no_photos"
    case noPosting = "no_posting"
    case firstNamesOnly = "first_names_only"
    case venue
    case supervision
    case other
}

public struct Condition: Codable, Sendable, Equatable {
    public var id: String
    public var kind: ConditionKind
    /// The condition in words [L1 unless it repeats a protected token].
    public var text: String
    /// What must never be disclosed under this condition: names, places, handles [L3].
    public var protectedTokens: [String]

    public init(id: String, kind: ConditionKind, text: String, protectedTokens: [String] = []) {
        self.id = id
        self.kind = kind
        self.text = text
        self.protectedTokens = protectedTokens
    }
}

public enum ContactBasis: String, CodedEnum {
    case order, agreement
    case agencyDecision = "agency_decision"
}

public enum ArrangementStatus: String, CodedEnum {
    case proposed, active, paused, ended
    /// Proposed, active or paused: still part of the plan.
    public var isLive: Bool { self != .ended }
}

/// Who holds the account or device through which contact happens (V1 gates only child-held accounts).
public enum AccountHolder: String, CodedEnum {
    case child, carer, agency
}

public enum FrequencyKind: String, CodedEnum {
    case regular
    case oneOff = "one_off"
    case adHoc = "ad_hoc"
    case none
}

public enum FrequencyPeriod: String, CodedEnum {
    case week, month, year
}

public struct Frequency: Codable, Sendable, Equatable {
    public var kind: FrequencyKind
    public var count: Int?
    public var per: FrequencyPeriod?

    public init(kind: FrequencyKind, count: Int? = nil, per: FrequencyPeriod? = nil) {
        self.kind = kind
        self.count = count
        self.per = per
    }

    public static func times(_ count: Int, per: FrequencyPeriod) -> Frequency {
        Frequency(kind: .regular, count: count, per: per)
    }

    public var plain: String {
        switch kind {
        case .regular:
            let n = count ?? 1
            let times = n == 1 ? "once" : n == 2 ? "twice" : "\(n) times"
            return "\(times) a \((per ?? .year).rawValue)"
        case .oneOff: return "once"
        case .adHoc: return "when agreed"
        case .none: return "never"
        }
    }
}

public enum SuspensionBasis: String, CodedEnum {
    /// ACA 2002 s.27(2): the agency refuses contact urgently, for up to 7 days.
    case aca02S27_2 = "ACA02_S27_2"
    /// CA 1989 s.34(6): the local authority refuses contact urgently, for up to 7 days.
    case ca89S34_6 = "CA89_S34_6"
    case court
    case agreement
    case agencyDecision = "agency_decision"

    public var isUrgentStatutory: Bool { self == .aca02S27_2 || self == .ca89S34_6 }
}

public struct Suspension: Codable, Sendable, Equatable {
    public var id: String
    public var from: CalendarDate
    public var to: CalendarDate?
    public var basis: SuspensionBasis
    public var reason: String
    /// The written notice of an urgent suspension (V7).
    public var notifiedOn: CalendarDate?
    public var notifiedTo: [String]

    public init(id: String, from: CalendarDate, to: CalendarDate? = nil, basis: SuspensionBasis, reason: String,
                notifiedOn: CalendarDate? = nil, notifiedTo: [String] = []) {
        self.id = id
        self.from = from
        self.to = to
        self.basis = basis
        self.reason = reason
        self.notifiedOn = notifiedOn
        self.notifiedTo = notifiedTo
    }
}

public struct ContactArrangement: Codable, Sendable, Equatable {
    public var id: String
    /// Person id of the birth relative (or other person) the child has contact with.
    public var counterpart: String
    public var basis: ContactBasis
    /// The order it rests on, when `basis` is `order`.
    public var orderRef: String?
    public var mode: ContactMode
    /// For social media and messaging: the platform, for the age gate (V1).
    public var platform: String?
    /// Whose account or device carries it (V1).
    public var heldBy: AccountHolder
    public var frequency: Frequency
    public var supervision: Supervision
    /// Person id of the letterbox coordinator or other go-between.
    public var intermediary: String?
    public var conditions: [Condition]
    public var start: CalendarDate
    public var end: CalendarDate?
    public var status: ArrangementStatus
    public var suspensions: [Suspension]

    public init(
        id: String, counterpart: String, basis: ContactBasis, orderRef: String? = nil, mode: ContactMode,
        platform: String? = nil, heldBy: AccountHolder = .carer, frequency: Frequency,
        supervision: Supervision = .none, intermediary: String? = nil, conditions: [Condition] = [],
        start: CalendarDate, end: CalendarDate? = nil, status: ArrangementStatus = .active,
        suspensions: [Suspension] = []
    ) {
        self.id = id
        self.counterpart = counterpart
        self.basis = basis
        self.orderRef = orderRef
        self.mode = mode
        self.platform = platform
        self.heldBy = heldBy
        self.frequency = frequency
        self.supervision = supervision
        self.intermediary = intermediary
        self.conditions = conditions
        self.start = start
        self.end = end
        self.status = status
        self.suspensions = suspensions
    }
}

public enum StageStatus: String, CodedEnum {
    case upcoming, current, done, skipped
}

/// A stage as planned for this child, with its items.
public struct PlannedStage: Codable, Sendable, Equatable {
    public var code: StageCode
    public var status: StageStatus
    public var lastReviewedOn: CalendarDate?
    /// When the stage must next be reviewed (V4).
    public var reviewBy: CalendarDate?
    public var items: [StageItem]

    public init(code: StageCode, status: StageStatus = .upcoming, lastReviewedOn: CalendarDate? = nil,
                reviewBy: CalendarDate? = nil, items: [StageItem] = []) {
        self.code = code
        self.status = status
        self.lastReviewedOn = lastReviewedOn
        self.reviewBy = reviewBy
        self.items = items
    }
}

public enum StageItemKind: String, CodedEnum {
    case conversation, activity, account, device
    case lifeStory = "life_story"
}

public enum ItemStatus: String, CodedEnum {
    case planned, done, skipped
}

public enum ItemOwner: String, CodedEnum {
    case carer
    case fosterCarer = "foster_carer"
    case adopter
    case socialWorker = "social_worker"
}

/// The decisions a placement plan can delegate to foster carers (DOMAIN.md §4.2, V11).
public enum DelegatedDecision: String, CodedEnum {
    case mobilePhone = "mobile_phone"
    case socialMediaAccount = "social_media_account"
    case onlineGaming = "online_gaming"
    case photosOnline = "photos_online"
    case locationSharing = "location_sharing"
    case contactSupervision = "contact_supervision"
    case lifeStoryWork = "life_story_work"
    case overnightStays = "overnight_stays"

    public var plain: String {
        switch self {
        case .mobilePhone: "giving the child a mobile phone"
        case .socialMediaAccount: "setting up a social media account"
        case .onlineGaming: "online gaming with chat"
        case .photosOnline: "sharing photos of the child online"
        case .locationSharing: "turning on location sharing"
        case .contactSupervision: "supervising family time"
        case .lifeStoryWork: "doing life-story work"
        case .overnightStays: "agreeing overnight stays"
        }
    }
}

/// An account the child will hold (V1).
public struct AccountPlan: Codable, Sendable, Equatable {
    public var platform: String
    public var heldBy: AccountHolder
    public init(platform: String, heldBy: AccountHolder = .child) {
        self.platform = platform
        self.heldBy = heldBy
    }
}

public struct StageItem: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// The guidance it comes from, e.g. `stage-E` or `checklist-before-first-phone`.
    public var contentRef: String?
    public var kind: StageItemKind
    public var targetDate: CalendarDate?
    public var status: ItemStatus
    public var doneOn: CalendarDate?
    public var skippedReason: String?
    /// Notes from the family or social worker [L2].
    public var notes: String?
    public var owner: ItemOwner
    /// A decision the item asks the carer to make (V11).
    public var decision: DelegatedDecision?
    /// An account the item sets up (V1).
    public var account: AccountPlan?

    public init(
        id: String, title: String, contentRef: String? = nil, kind: StageItemKind = .conversation,
        targetDate: CalendarDate? = nil, status: ItemStatus = .planned, doneOn: CalendarDate? = nil,
        skippedReason: String? = nil, notes: String? = nil, owner: ItemOwner = .carer,
        decision: DelegatedDecision? = nil, account: AccountPlan? = nil
    ) {
        self.id = id
        self.title = title
        self.contentRef = contentRef
        self.kind = kind
        self.targetDate = targetDate
        self.status = status
        self.doneOn = doneOn
        self.skippedReason = skippedReason
        self.notes = notes
        self.owner = owner
        self.decision = decision
        self.account = account
    }
}

public enum ResponderRole: String, CodedEnum {
    case childsSocialWorker = "childs_social_worker"
    case adoptionSupport = "adoption_support"
    case emergencyDutyTeam = "emergency_duty_team"
    case police
    case schoolDSL = "school_dsl"
    case letterboxCoordinator = "letterbox_coordinator"
    case ceop
    case other
}

public struct Responder: Codable, Sendable, Equatable {
    public var role: ResponderRole
    /// A named person or service ("Adoption support duty line").
    public var name: String
    public var phone: String?
    /// Person id, when the responder is someone in the plan.
    public var personRef: String?
    /// This route answers out of hours (evenings, weekends, bank holidays).
    public var outOfHours: Bool

    public init(role: ResponderRole, name: String, phone: String? = nil, personRef: String? = nil,
                outOfHours: Bool = false) {
        self.role = role
        self.name = name
        self.phone = phone
        self.personRef = personRef
        self.outOfHours = outOfHours
    }
}

public struct Contingency: Codable, Sendable, Equatable {
    public var id: String
    public var scenario: Scenario
    /// False when the scenario does not apply to this child; then a reason is required.
    public var applicable: Bool
    public var notApplicableReason: String?
    public var severity: Severity
    /// The level it rises to when the aggravating trigger is present.
    public var raisedTo: Severity?
    public var triggers: [String]
    public var actions: [String]
    /// In order of who to call first.
    public var responders: [Responder]
    public var legalLevers: [String]
    public var childSupport: String?
    /// Order ids this contingency enforces.
    public var linkedOrders: [String]
    /// Person ids this contingency is about (a C1 naming a prohibited person, V2).
    public var namedPersons: [String]
    /// The guidance it comes from, e.g. `contingency-C1`.
    public var contentRef: String?

    public init(
        id: String, scenario: Scenario, applicable: Bool = true, notApplicableReason: String? = nil,
        severity: Severity, raisedTo: Severity? = nil, triggers: [String] = [], actions: [String] = [],
        responders: [Responder] = [], legalLevers: [String] = [], childSupport: String? = nil,
        linkedOrders: [String] = [], namedPersons: [String] = [], contentRef: String? = nil
    ) {
        self.id = id
        self.scenario = scenario
        self.applicable = applicable
        self.notApplicableReason = notApplicableReason
        self.severity = severity
        self.raisedTo = raisedTo
        self.triggers = triggers
        self.actions = actions
        self.responders = responders
        self.legalLevers = legalLevers
        self.childSupport = childSupport
        self.linkedOrders = linkedOrders
        self.namedPersons = namedPersons
        self.contentRef = contentRef
    }
}

public enum RiskLevel: String, CodedEnum {
    case low, medium, high
}

/// A dated risk assessment (DOMAIN.md §4.1 item 4). Its findings and level are L4; its id, date and author L1.
public struct RiskAssessment: Codable, Sendable, Equatable {
    public var id: String
    public var assessedOn: CalendarDate
    public var assessedBy: String
    public var level: RiskLevel
    public var birthRelativesOnline: String
    public var pastBreaches: String
    public var proximity: String
    public var whatTheyKnow: String
    public var childVulnerabilities: String

    public init(id: String, assessedOn: CalendarDate, assessedBy: String, level: RiskLevel,
                birthRelativesOnline: String, pastBreaches: String, proximity: String, whatTheyKnow: String,
                childVulnerabilities: String) {
        self.id = id
        self.assessedOn = assessedOn
        self.assessedBy = assessedBy
        self.level = level
        self.birthRelativesOnline = birthRelativesOnline
        self.pastBreaches = pastBreaches
        self.proximity = proximity
        self.whatTheyKnow = whatTheyKnow
        self.childVulnerabilities = childVulnerabilities
    }
}

public enum ReviewKind: String, CodedEnum {
    case adoptionReview = "adoption_review"
    case stageReview = "stage_review"
    case lookedAfterReview = "looked_after_review"
    case other
}

public struct Review: Codable, Sendable, Equatable {
    public var id: String
    public var kind: ReviewKind
    public var dueOn: CalendarDate
    public var heldOn: CalendarDate?
    public var notes: String?

    public init(id: String, kind: ReviewKind, dueOn: CalendarDate, heldOn: CalendarDate? = nil, notes: String? = nil) {
        self.id = id
        self.kind = kind
        self.dueOn = dueOn
        self.heldOn = heldOn
        self.notes = notes
    }

    /// The date it was held, or else the date it is due.
    public var date: CalendarDate { heldOn ?? dueOn }
}

public enum SignOffRole: String, CodedEnum {
    case childsSocialWorker = "childs_social_worker"
    case teamManager = "team_manager"
    case adoptersSocialWorker = "adopters_social_worker"
    case adoptersAcknowledgement = "adopters_acknowledgement"
    case iro
    case lawyer
    case panelAdviser = "panel_adviser"
    case decisionMaker = "decision_maker"

    public var plain: String {
        switch self {
        case .childsSocialWorker: "the child's social worker"
        case .teamManager: "the team manager"
        case .adoptersSocialWorker: "the adopters' social worker"
        case .adoptersAcknowledgement: "the adopters' acknowledgement"
        case .iro: "the Independent Reviewing Officer"
        case .lawyer: "the agency's lawyer"
        case .panelAdviser: "the panel adviser"
        case .decisionMaker: "the agency decision maker"
        }
    }
}

public struct SignOff: Codable, Sendable, Equatable {
    public var role: SignOffRole
    public var name: String
    public var signedOn: CalendarDate
    /// The fingerprint of the plan's content when it was signed (`Plan.contentFingerprint`): a sign-off counts only
    /// while the plan is unchanged since.
    public var versionHash: String?
    /// True when the signatory signed in Lifestory with their own account.
    public var signedInApp: Bool?
    /// For a signatory without an account: who recorded the sign-off, and what they saw as evidence.
    public var recordedBy: String?
    public var evidence: String?

    public init(role: SignOffRole, name: String, signedOn: CalendarDate, versionHash: String? = nil, signedInApp: Bool? = nil,
                recordedBy: String? = nil, evidence: String? = nil) {
        self.role = role
        self.name = name
        self.signedOn = signedOn
        self.versionHash = versionHash
        self.signedInApp = signedInApp
        self.recordedBy = recordedBy
        self.evidence = evidence
    }

    /// Whether it still counts for `plan`: signed against the plan as it is now. A sign-off recorded before
    /// fingerprints existed has none, and is reported for confirmation, not counted as void.
    public func state(for plan: Plan) -> SignOffState { state(against: plan.contentFingerprint) }

    /// The same, against a fingerprint already made (it encodes the whole plan: make it once for many sign-offs).
    public func state(against fingerprint: String) -> SignOffState {
        guard let versionHash else { return .unverified }
        return versionHash == fingerprint ? .current : .void
    }
}

public enum SignOffState: Sendable, Equatable {
    case current, void, unverified
}

public enum BreachType: String, CodedEnum {
    case unapprovedChannel = "unapproved_channel"
    case seeksIdentifyingData = "seeks_identifying_data"
    case revealsIdentifyingData = "reveals_identifying_data"
    case photoAgainstCondition = "photo_against_condition"
    case failureToFacilitate = "failure_to_facilitate"
    case other
}

public struct Notification: Codable, Sendable, Equatable {
    public var to: String
    public var on: CalendarDate
    public init(to: String, on: CalendarDate) {
        self.to = to
        self.on = on
    }
}

public struct EvidenceItem: Codable, Sendable, Equatable {
    public var id: String
    public var capturedOn: CalendarDate
    public var description: String
    /// Where it was seen [L4].
    public var url: String?
    public var sha256: String?
    public var storageRef: String?

    public init(id: String, capturedOn: CalendarDate, description: String, url: String? = nil,
                sha256: String? = nil, storageRef: String? = nil) {
        self.id = id
        self.capturedOn = capturedOn
        self.description = description
        self.url = url
        self.sha256 = sha256
        self.storageRef = storageRef
    }
}

public struct Incident: Codable, Sendable, Equatable {
    public var id: String
    public var occurredOn: CalendarDate
    public var scenario: Scenario
    /// The contingency it was handled under.
    public var contingencyRef: String?
    public var severity: Severity
    public var breachType: BreachType?
    /// What happened [L4].
    public var summary: String
    public var personsInvolved: [String]
    public var notifications: [Notification]
    public var evidence: [EvidenceItem]

    public init(id: String, occurredOn: CalendarDate, scenario: Scenario, contingencyRef: String? = nil,
                severity: Severity, breachType: BreachType? = nil, summary: String, personsInvolved: [String] = [],
                notifications: [Notification] = [], evidence: [EvidenceItem] = []) {
        self.id = id
        self.occurredOn = occurredOn
        self.scenario = scenario
        self.contingencyRef = contingencyRef
        self.severity = severity
        self.breachType = breachType
        self.summary = summary
        self.personsInvolved = personsInvolved
        self.notifications = notifications
        self.evidence = evidence
    }
}

/// A view recorded for the panel (DOMAIN.md §4.1 item 3) [L2].
public struct ViewRecord: Codable, Sendable, Equatable {
    public var recordedOn: CalendarDate
    public var summary: String
    public var personRef: String?
    public init(recordedOn: CalendarDate, summary: String, personRef: String? = nil) {
        self.recordedOn = recordedOn
        self.summary = summary
        self.personRef = personRef
    }
}

public struct Views: Codable, Sendable, Equatable {
    public var child: ViewRecord?
    public var adopters: ViewRecord?
    public var birthRelatives: [ViewRecord]
    public init(child: ViewRecord? = nil, adopters: ViewRecord? = nil, birthRelatives: [ViewRecord] = []) {
        self.child = child
        self.adopters = adopters
        self.birthRelatives = birthRelatives
    }
}

/// Life-story book and later life letter (DOMAIN.md §3).
public struct LifeStoryWork: Codable, Sendable, Equatable {
    public var bookGivenOn: CalendarDate?
    public var laterLifeLetterGivenOn: CalendarDate?
    public init(bookGivenOn: CalendarDate? = nil, laterLifeLetterGivenOn: CalendarDate? = nil) {
        self.bookGivenOn = bookGivenOn
        self.laterLifeLetterGivenOn = laterLifeLetterGivenOn
    }
}

public struct RecordedDecision: Codable, Sendable, Equatable {
    public var decision: String
    public var recordedOn: CalendarDate
    public var recordedBy: String
    public init(decision: String, recordedOn: CalendarDate, recordedBy: String) {
        self.decision = decision
        self.recordedOn = recordedOn
        self.recordedBy = recordedBy
    }
}

public struct PanelSubmission: Codable, Sendable, Equatable {
    public var submittedOn: CalendarDate
    public var panelDate: CalendarDate?
    public var recommendation: String?
    public var decision: String?
    public var decisionOn: CalendarDate?

    public init(submittedOn: CalendarDate, panelDate: CalendarDate? = nil, recommendation: String? = nil,
                decision: String? = nil, decisionOn: CalendarDate? = nil) {
        self.submittedOn = submittedOn
        self.panelDate = panelDate
        self.recommendation = recommendation
        self.decision = decision
        self.decisionOn = decisionOn
    }
}
