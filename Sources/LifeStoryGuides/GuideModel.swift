import Foundation
import LifeStoryContent
import LifeStoryCore

/// Who a guide is for.
public enum GuideAudience: String, CaseIterable, Sendable {
    case adopter
    case fosterCarer = "foster-carer"
    case panel
    case birthRelative = "birth-relative"

    public var core: Audience {
        switch self {
        case .adopter: .adopter
        case .fosterCarer: .fosterCarer
        case .panel: .panel
        case .birthRelative: .birthRelative
        }
    }
}

/// A guide as a document: sections of blocks, independent of HTML, PDF or screen.
public struct Guide: Sendable {
    public var audience: GuideAudience
    /// The running header on every page: never the child's full name.
    public var title: String
    public var subtitle: String
    public var planID: String
    public var planRevision: Int
    public var contentEdition: String
    public var asOf: CalendarDate
    public var sections: [GuideSection]
    /// Shown on the cover and at the end of every guide.
    public var note: String
    /// For a birth relative's summary: whose it is (a person id), so each relative gets their own.
    public var recipient: String?
    /// Easy Read: large print, one idea a line.
    public var easyRead = false
    /// A short document that flows on from page to page (the family's "Now and next"), with no contents page.
    public var compact = false
}

public struct GuideSection: Sendable {
    public var id: String
    public var title: String
    public var blocks: [GuideBlock]

    public init(id: String, title: String, blocks: [GuideBlock]) {
        self.id = id
        self.title = title
        self.blocks = blocks
    }
}

public struct GuideCard: Sendable {
    public var title: String
    /// When to act, in words ("Act within 72 hours"): never a code.
    public var level: String
    /// What changes if it gets worse ("If it gets worse: act the same day"), or "".
    public var timing: String
    /// A style for the card's colour (s1 to s4): a class name, never shown.
    public var levelClass: String = ""
    /// Trusted HTML: guidance rendered from Content/ with the child's words escaped in.
    public var stepsHTML: String
    public var responders: [ResponderLine]
    public var sayToChild: [String]
}

public struct ResponderLine: Sendable {
    public var name: String
    public var phone: String
    public var when: String
}

public enum GuideBlock: Sendable {
    case paragraph(String)
    /// Trusted HTML from the guidance library (escaped at source; see `Placeholders.render`).
    case html(String)
    case list([String])
    /// Easy Read: one idea a line, each its own paragraph.
    case lines([String])
    case phrasings([String])
    case checklist([String])
    case facts([(String, String)])
    case table(headers: [String], rows: [[String]])
    case card(GuideCard)
    case note(String)
    case heading(String)
}

/// Errors while building or releasing a guide.
public enum GuideError: Error, Equatable, CustomStringConvertible {
    /// A protected token was found in the rendered text: the guide is not released.
    case leak(audience: String, fields: [String])
    case missingContent(String)
    case noRecipient(String)
    case pdf(String)

    public var description: String {
        switch self {
        case .leak(let audience, let fields):
            "The \(audience) guide was not released: its text contains protected information (from \(fields.joined(separator: ", "))). Remove it from the plan's wording and try again."
        case .missingContent(let what): "The guidance library has no \(what)."
        case .noRecipient(let message): message
        case .pdf(let message): message
        }
    }
}
