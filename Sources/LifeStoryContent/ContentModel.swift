import Foundation
import LifeStoryCore

/// The kinds of guidance file, one folder each under Content/.
public enum ContentKind: String, CaseIterable, Sendable, Codable {
    case stage, contingency, platform, order, jurisdiction, checklist
    /// The agency's own guidance for its staff (issue 17): social media policy, boundaries, surveillance, support.
    case practice
    /// The preparation session for adopters and foster carers: slides with speaker notes, exercises and a handout.
    case course

    public var folder: String {
        switch self {
        case .practice: "practice"
        case .course: "course"
        case .stage: "stages"
        case .contingency: "contingencies"
        case .platform: "platforms"
        case .order: "orders"
        case .jurisdiction: "jurisdictions"
        case .checklist: "checklists"
        }
    }

    /// The `##` headings every file of this kind must have (docs/content-format.md).
    public var requiredSections: [String] {
        switch self {
        case .stage:
            ["Aims", "Topics", "What you might say", "Activities", "Signs your child is ready", "Signs to watch for",
             "When to review", "If your child missed this stage"]
        case .contingency:
            ["What it looks like", "How serious it is", "What to do now", "Who to call", "Afterwards",
             "The law that can help", "What to say to your child"]
        case .platform:
            ["Age rules", "How someone could find your child here", "Settings to check", "Block, report and keep evidence"]
        case .order:
            ["In short", "For adopters", "For foster carers", "For birth relatives", "What it allows",
             "What it does not allow", "When it ends", "If it is not followed"]
        case .jurisdiction:
            ["Orders in force", "Records and the age of 18", "Online age of consent", "Reviews"]
        case .checklist:
            ["Why it matters", "Checklist", "When you have finished"]
        case .practice:
            ["In short", "What to do", "Why it matters"]
        case .course:
            ["In short", "Session plan", "Slides", "Exercises", "Handout"]
        }
    }

    /// The section whose list items are phrasings said to the child, and how many each file needs.
    public var phrasingSection: (title: String, minimum: Int)? {
        switch self {
        case .stage: ("What you might say", 4)
        case .contingency: ("What to say to your child", 2)
        default: nil
        }
    }
}

/// Who a content file is written for.
public enum ContentAudience: String, CaseIterable, Sendable, Codable {
    case adopter
    case fosterCarer = "foster-carer"
    case socialWorker = "social-worker"
    case panel
    case birthRelative = "birth-relative"
    case child
    /// Everyone who works for the agency: social workers, team managers, panel members, the admin, the practice lead.
    case staff
}

/// The eight strands of UKCIS Education for a Connected World.
public enum Strand: String, CaseIterable, Sendable, Codable {
    case selfImage = "self-image-and-identity"
    case relationships = "online-relationships"
    case reputation = "online-reputation"
    case bullying = "online-bullying"
    case information = "managing-online-information"
    case wellbeing = "health-wellbeing-and-lifestyle"
    case privacy = "privacy-and-security"
    case copyright = "copyright-and-ownership"

    /// The readable form used to tag topics in stage files.
    public var title: String {
        switch self {
        case .selfImage: "Self-image and identity"
        case .relationships: "Online relationships"
        case .reputation: "Online reputation"
        case .bullying: "Online bullying"
        case .information: "Managing online information"
        case .wellbeing: "Health, wellbeing and lifestyle"
        case .privacy: "Privacy and security"
        case .copyright: "Copyright and ownership"
        }
    }
}

public struct SourceRef: Sendable, Equatable, Codable {
    public var title: String
    public var url: String
}

/// One `##` section of a file: its heading, its Markdown, its HTML (safe to insert) and its list items. Law that
/// differs by nation sits in nation blocks; a guide reads the section for its plan's nation.
public struct ContentSection: Sendable, Equatable {
    /// Text every nation reads, or text for the nations named (a nation block, aliases resolved).
    public enum Part: Sendable, Equatable {
        case common(String)
        case nations([JurisdictionCode], String)
    }

    public var title: String
    public var parts: [Part]

    public init(title: String, parts: [Part]) {
        self.title = title
        self.parts = parts
    }

    /// Whether any of it differs by nation.
    public var hasNationBlocks: Bool { parts.contains { if case .nations = $0 { true } else { false } } }

    /// The Markdown a reader in `nation` reads: the common text with that nation's blocks in place. With no
    /// nation, the common text only (never another nation's law).
    public func markdown(for nation: JurisdictionCode?) -> String {
        parts.compactMap { part -> String? in
            switch part {
            case .common(let t): t
            case .nations(let ns, let t): nation.map { ns.contains($0) } == true ? t : nil
            }
        }.joined(separator: "\n\n")
    }

    /// Rendered by Ink on demand, after escaping, so no HTML from the file passes through. Placeholders are still
    /// `{{...}}`: use `Placeholders.render` with a child's values (escaped) before showing it.
    public func html(for nation: JurisdictionCode?) -> String { MarkdownBody.html(markdown(for: nation)) }

    /// Every nation's text, each block under the names of the nations it is for: staff, who work across the four
    /// nations' law, read it all, labelled, never one nation's law as if it were another's.
    public func htmlAllNations() -> String {
        parts.map { part -> String in
            switch part {
            case .common(let text):
                return MarkdownBody.html(text)
            case .nations(let nations, let text):
                let names = nations.map(\.name)
                let label = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
                return "<div class=\"nation-block\"><p class=\"nation-block__label\">\(Placeholders.escapeHTML(label))</p>\(MarkdownBody.html(text))</div>"
            }
        }.joined(separator: "\n")
    }

    /// The same, leaving out the lines that contain any of `dropping` (a line that points at a part this reader's
    /// guide does not have).
    public func html(for nation: JurisdictionCode?, dropping: [String]) -> String {
        guard !dropping.isEmpty else { return html(for: nation) }
        let kept = markdown(for: nation).components(separatedBy: "\n").filter { line in !dropping.contains { line.contains($0) } }
        return MarkdownBody.html(kept.joined(separator: "\n"))
    }

    /// The text of each top-level list item for that nation, Markdown marks left in.
    public func items(for nation: JurisdictionCode?) -> [String] {
        MarkdownBody.items(markdown(for: nation).components(separatedBy: "\n"))
    }

    /// The text every nation reads (checks that do not depend on the nation use it).
    public var markdown: String { markdown(for: nil) }
    public var items: [String] { items(for: nil) }
}

/// What a kind adds to the common front matter.
public enum ContentDetails: Sendable, Equatable {
    case stage(StageCode)
    case contingency(scenario: Scenario, severity: Severity, raisedTo: Severity)
    case platform(PlatformAgeRule)
    case order(types: [String], jurisdictions: [JurisdictionCode])
    case jurisdiction(JurisdictionLaw)
    case checklist
    case practice
    case course
}

/// One guidance file, loaded and checked.
public struct ContentItem: Sendable, Equatable {
    public var id: String
    public var title: String
    public var kind: ContentKind
    /// The path relative to the library root, e.g. `stages/stage-E.md`.
    public var file: String
    public var audiences: [ContentAudience]
    public var sensitivity: SensitivityLevel
    public var ages: ClosedRange<Int>?
    public var strands: [Strand]
    public var reviewedOn: CalendarDate
    public var reviewBy: CalendarDate
    public var owner: String
    public var sources: [SourceRef]
    public var related: [String]
    public var details: ContentDetails
    public var sections: [ContentSection]
    /// The child-facing phrasings, without their quotation marks.
    public var phrasings: [String]
    /// Every placeholder the file uses.
    public var placeholders: Set<Placeholder>
    /// Flesch-Kincaid grade of the adult-facing text and of the child-facing phrasings, measured at load.
    public var adultGrade: Double?
    public var childGrade: Double?

    public func section(_ title: String) -> ContentSection? { sections.first { $0.title == title } }
}
