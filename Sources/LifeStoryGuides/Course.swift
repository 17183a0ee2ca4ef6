import Foundation
import LifeStoryContent
import LifeStoryCore

/// The preparation session for adopters and foster carers (the library's `course/` file) as the three documents a
/// trainer needs: web slides that print as landscape A4 (one idea a slide), the trainer's notes (each slide's notes,
/// the session plan and the exercises), and the participants' handout (portrait A4).
public struct CourseDocuments: Sendable {
    public struct Slide: Sendable, Equatable {
        public var title: String
        /// What the participants read (HTML).
        public var body: String
        /// What the trainer says (HTML).
        public var notes: String
    }

    public var title: String
    public var slides: [Slide]
    public var sessionPlan: String
    public var exercises: String
    public var handout: String
    public var inShort: String
    public var sources: [SourceRef]

    public enum Problem: Error, CustomStringConvertible {
        case missing(String)
        public var description: String {
            switch self { case .missing(let what): "The course cannot be made: \(what)." }
        }
    }

    /// Reads the course file: each `###` under "Slides" is a slide; its paragraph starting "Notes:" is the trainer's.
    public init(_ item: ContentItem) throws {
        func section(_ title: String) throws -> ContentSection {
            guard let s = item.sections.first(where: { $0.title == title }) else { throw Problem.missing("the file has no \"\(title)\" section") }
            return s
        }
        title = item.title
        sources = item.sources
        inShort = try section("In short").htmlAllNations()
        sessionPlan = try section("Session plan").htmlAllNations()
        exercises = try section("Exercises").htmlAllNations()
        handout = try section("Handout").htmlAllNations()
        var slides: [Slide] = []
        var current: (title: String, body: [String], notes: [String])?
        var inNotes = false
        func close() {
            if let c = current {
                slides.append(Slide(title: c.title, body: MarkdownText.html(c.body.joined(separator: "\n")),
                                    notes: MarkdownText.html(c.notes.joined(separator: "\n"))))
            }
        }
        for line in try section("Slides").markdown(for: nil).components(separatedBy: "\n") {
            if line.hasPrefix("### ") {
                close()
                current = (String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces), [], [])
                inNotes = false
            } else if current != nil {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("Notes:") || trimmed.hasPrefix("**Notes:**") || trimmed.hasPrefix("*Notes:*") {
                    inNotes = true
                    let rest = trimmed.replacingOccurrences(of: "**Notes:**", with: "").replacingOccurrences(of: "*Notes:*", with: "")
                        .replacingOccurrences(of: "Notes:", with: "").trimmingCharacters(in: .whitespaces)
                    current!.notes.append(rest)
                } else if inNotes {
                    current!.notes.append(line)
                } else {
                    current!.body.append(line)
                }
            }
        }
        close()
        guard !slides.isEmpty else { throw Problem.missing("the Slides section has no ### slides") }
        self.slides = slides
    }

    static func e(_ s: String) -> String { Placeholders.escapeHTML(s) }

    static let baseCSS = """
    body { font-family: "DejaVu Sans", "Noto Sans", sans-serif; color: #0b0c0c; margin: 0; }
    h1, h2, h3 { line-height: 1.2; }
    table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #b1b4b6; padding: 4pt 8pt 4pt 0; text-align: left; vertical-align: top; }
    .nation-block { border-left: 4pt solid #b1b4b6; padding-left: 8pt; margin: 6pt 0; } .nation-block__label { font-weight: bold; margin: 0; }
    """

    /// The slides: each a landscape A4 page in print, a screen-sized block on screen. Notes are in the trainer's
    /// notes, not on the slides.
    public func slidesHTML(agency: String?) -> String {
        var body = ""
        for (i, s) in slides.enumerated() {
            body += """
            <section class="slide" aria-labelledby="slide-\(i + 1)"><h2 id="slide-\(i + 1)">\(Self.e(s.title))</h2><div class="slide__body">\(s.body)</div><p class="slide__footer">\(Self.e(agency ?? "Lifestory")) · \(Self.e(title)) · \(i + 1) of \(slides.count)</p></section>\n
            """
        }
        return """
        <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(Self.e(title)): slides</title>
        <style>
        \(Self.baseCSS)
        @page { size: A4 landscape; margin: 0; }
        .slide { box-sizing: border-box; width: 297mm; height: 210mm; padding: 22mm 26mm 16mm; page-break-after: always; position: relative; overflow: hidden; border-top: 8mm solid #1d70b8; }
        .slide h2 { font-size: 34pt; margin: 0 0 14mm; }
        .slide__body { font-size: 24pt; line-height: 1.35; }
        .slide__body ul { padding-left: 1.1em; } .slide__body li { margin-bottom: 6mm; }
        .vh { position: absolute; left: -9999px; }
        .slide__footer { position: absolute; bottom: 8mm; left: 26mm; right: 26mm; font-size: 10pt; color: #505a5f; margin: 0; }
        @media screen { .slide { width: auto; height: auto; min-height: 90vh; margin: 0 0 4vh; border: 1px solid #b1b4b6; border-top: 12px solid #1d70b8; } .slide__footer { position: static; margin-top: 4vh; } }
        </style></head><body><main>
        <h1 class="vh">\(Self.e(title))</h1>
        \(body)</main></body></html>
        """
    }

    /// The trainer's notes: the session plan, then every slide with its notes, then the exercises.
    public func notesHTML(agency: String?) -> String {
        var body = "<h1>\(Self.e(title)): the trainer's notes</h1><p>\(Self.e(agency ?? "Lifestory")). About two hours. You do not need to be a digital expert: the slides, these notes and the handout carry you through.</p>\(inShort)"
        body += "<h2>Session plan</h2>\(sessionPlan)<h2>The slides, and what to say</h2>"
        for (i, s) in slides.enumerated() {
            body += "<section class=\"note\"><h3>Slide \(i + 1): \(Self.e(s.title))</h3><div class=\"note__slide\">\(s.body)</div><div class=\"note__say\"><p class=\"note__label\">Say:</p>\(s.notes)</div></section>"
        }
        body += "<h2>Exercises</h2>\(exercises)<h2>Sources</h2><ul>" + sources.map { "<li>\(Self.e($0.title)): \(Self.e($0.url))</li>" }.joined() + "</ul>"
        return """
        <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(Self.e(title)): the trainer's notes</title>
        <style>
        \(Self.baseCSS)
        @page { size: A4; margin: 18mm 18mm 20mm; @bottom-center { content: "Trainer's notes · page " counter(page) " of " counter(pages); font-size: 8.5pt; color: #505a5f; } }
        body { font-size: 10.5pt; line-height: 1.45; max-width: 48em; margin: 0 auto; padding: 0 1em; }
        .note { break-inside: avoid; border-bottom: 1px solid #b1b4b6; padding-bottom: 6pt; }
        .note__slide { background: #f3f2f1; padding: 4pt 8pt; font-size: 9.5pt; }
        .note__label { font-weight: bold; margin: 6pt 0 0; }
        ul { overflow-wrap: anywhere; }
        </style></head><body><main>\(body)</main></body></html>
        """
    }

    /// The handout participants take home.
    public func handoutHTML(agency: String?) -> String {
        """
        <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(Self.e(title)): handout</title>
        <style>
        \(Self.baseCSS)
        @page { size: A4; margin: 18mm 18mm 20mm; @bottom-center { content: "\(Self.e(agency ?? "Lifestory")) · handout · page " counter(page) " of " counter(pages); font-size: 8.5pt; color: #505a5f; } }
        body { font-size: 11pt; line-height: 1.45; max-width: 46em; margin: 0 auto; padding: 0 1em; }
        h1 { font-size: 20pt; } h2, h3 { break-after: avoid; }
        </style></head><body><main><h1>\(Self.e(title))</h1>\(handout)</main></body></html>
        """
    }
}
