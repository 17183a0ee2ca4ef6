import Foundation

/// The words for a code: the one place where codes that are not plain words when their underscores go (an acronym,
/// an apostrophe, a section of an Act) get their words. Everything else is the code in lower case. The web app's
/// pages, the guides and the panel pack all take their words from here.
public enum CodeWords {
    /// The words as a label or a sentence's start: "Child's social worker".
    public static func humanise(_ raw: String) -> String {
        if let words = words[raw] { return words }
        if let jurisdiction = JurisdictionCode(rawValue: raw) { return jurisdiction.name }
        if let order = OrderType(rawValue: raw) { return orderTitle(order) }
        if let mode = ContactMode(rawValue: raw) { return mode.plain.prefix(1).uppercased() + mode.plain.dropFirst() }
        let s = raw.replacingOccurrences(of: "_", with: " ").lowercased()
        return s.prefix(1).uppercased() + s.dropFirst()
    }

    /// The words inside a sentence: "child's social worker", but "CEOP (...)" and "Scotland" keep their capitals.
    public static func inline(_ raw: String) -> String {
        let words = humanise(raw)
        if JurisdictionCode(rawValue: raw) != nil { return words }
        let second = words.dropFirst().first
        guard let first = words.first, first.isUppercase, second.map({ !$0.isUppercase }) ?? true else { return words }
        return first.lowercased() + words.dropFirst()
    }

    public static let words: [String: String] = [
        "iro": "Independent reviewing officer", "ceop": "CEOP (the National Crime Agency's child protection command)",
        "school_dsl": "School's designated safeguarding lead", "childs_social_worker": "Child's social worker",
        "adopters_social_worker": "Adopters' social worker", "adopters_acknowledgement": "Adopters' acknowledgement",
        "agency_decision": "The agency's decision", "emergency_duty_team": "Emergency duty team (out of hours)",
        "ACA02_S27_2": "Adoption and Children Act 2002, section 27(2)", "CA89_S34_6": "Children Act 1989, section 34(6)",
        "SUPERVISED_AGENCY": "Supervised by the agency", "SUPERVISED_CENTRE": "Supervised at a contact centre",
        "SUPERVISED_CARER": "Supervised by the carer", "SUPPORTED": "Supported", "NONE": "None",
        "S1": "At once: call 999, then the emergency contacts", "S2": "The same day", "S3": "Within 72 hours", "S4": "At the next review",
    ]

    /// An order as people name it: the Act and section, then what it does ("Adoption and Children Act 2002,
    /// section 51A: order forbidding contact").
    public static func orderTitle(_ order: OrderType) -> String {
        let raw = order.rawValue
        let act: String? = if raw.hasPrefix("CA89") { "Children Act 1989" } else if raw.hasPrefix("ACA02") { "Adoption and Children Act 2002" }
            else if raw.hasPrefix("NI22") { "Adoption and Children Act (Northern Ireland) 2022" } else if raw.hasPrefix("NI_") { "Children (Northern Ireland) Order 1995" }
            else if raw.hasPrefix("SCO_") { "Scotland" } else if raw.hasPrefix("FLA96") { "Family Law Act 1996" } else { nil }
        let name = order.shortName
        return act.map { "\(name.prefix(1).uppercased() + name.dropFirst()) (\($0))" } ?? (name.prefix(1).uppercased() + name.dropFirst())
    }
}
