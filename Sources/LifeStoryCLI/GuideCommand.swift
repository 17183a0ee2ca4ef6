import ArgumentParser
import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage

enum GuideFormat: String, CaseIterable {
    case html, pdf, ics
}

struct GuideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "guide", abstract: "Issue printable guides.", subcommands: [GuideExport.self])
}

struct GuideExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write guides for plans: HTML, PDF (WeasyPrint) and a calendar.",
        discussion: "Every guide is scanned for the plan's protected information before it is written; one that cannot be proved clean is not issued. Each issued guide is recorded with its plan revision, guidance edition and SHA-256.")
    @OptionGroup var location: DatabaseLocation
    @OptionGroup var contentLocation: ContentLocation
    @Option(name: .long, help: "One plan's id.") var plan: String?
    @Flag(name: .long, help: "Every plan.") var all = false
    @Option(name: .long, parsing: .upToNextOption, help: "adopter, foster-carer, panel, birth-relative (one or more).") var audience: [String]
    @Option(name: .long, help: "Comma-separated: html,pdf,ics.") var format: String = "html,pdf"
    @Option(name: .long, help: "The folder to write to.") var out: String
    @Option(name: .long, help: "The date the guide is for (YYYY-MM-DD). Default: today in the UK.") var asOf: String?
    @Flag(name: .long, help: "Make archival PDFs (PDF/A-3b).") var archival = false

    func validate() throws {
        guard (plan != nil) != all else { throw ValidationError("Give either --plan ID or --all.") }
        for a in audience where GuideAudience(rawValue: a) == nil {
            throw ValidationError("--audience: unknown audience '\(a)'; use adopter, foster-carer, panel or birth-relative.")
        }
        for f in format.split(separator: ",") where GuideFormat(rawValue: String(f)) == nil {
            throw ValidationError("--format: unknown format '\(f)'; use html, pdf or ics.")
        }
    }

    func run() throws {
        let db = try location.openExisting()
        let library: ContentLibrary
        do { library = try ContentLibrary.load(from: contentLocation.url) } catch {
            printError("the guidance library cannot be used: \(error.description)")
            throw Exit.unreadable
        }
        let exporter = try GuideExporter(store: PlanStore(db), library: library, law: try LawBook.bundled(),
                                         asOf: try asOfDate(asOf), actor: cliActor())
        let store = PlanStore(db)
        let ids = try all ? store.planIDs() : [plan!]
        let formats = Set(format.split(separator: ",").compactMap { GuideFormat(rawValue: String($0)) })
        let audiences = audience.compactMap(GuideAudience.init(rawValue:))
        let result = try exporter.export(planIDs: ids, audiences: audiences, formats: formats, archival: archival,
                                         out: URL(fileURLWithPath: out))
        for line in result.refused { printError(line) }
        print("Issued \(result.written.count) file\(result.written.count == 1 ? "" : "s") to \(out).")
        if !result.refused.isEmpty { throw Exit.findings }
    }
}

/// Builds, scans, writes and records guides: used by `guide export` and by `demo --samples`.
struct GuideExporter {
    let store: PlanStore
    let library: ContentLibrary
    let law: LawBook
    let asOf: CalendarDate
    let actor: Actor
    let renderer: GuideRenderer

    init(store: PlanStore, library: ContentLibrary, law: LawBook, asOf: CalendarDate, actor: Actor) throws {
        self.store = store
        self.library = library
        self.law = law
        self.asOf = asOf
        self.actor = actor
        renderer = try GuideRenderer()
    }

    struct Result {
        var written: [URL] = []
        var refused: [String] = []
    }

    func export(planIDs: [String], audiences: [GuideAudience], formats: Set<GuideFormat>, archival: Bool, out: URL,
                only: ((String, GuideAudience) -> Bool)? = nil) throws -> Result {
        var result = Result()
        var pending: [(job: WeasyPrint.Job, plan: Plan, audience: GuideAudience, name: String)] = []
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for id in planIDs {
            let stored = try storage { try store.load(id, actor: actor, purpose: "issue guides") }
            let plan = stored.plan
            for audience in audiences where only?(id, audience) ?? true {
                var guides: [(Guide, String)] = []
                do {
                    guides = try GuideBuilder.guides(for: audience, plan: plan, library: library, law: law, asOf: asOf, renderer: renderer,
                                                     previousApproved: { try store.lastApproved(id, actor: actor) }).map { ($0.guide, $0.name) }
                } catch let error as GuideError {
                    result.refused.append("\(id) \(audience.rawValue): \(error)")
                    continue
                }
                for (guide, name) in guides {
                    let released: ReleasedGuide
                    do { released = try GuideRelease.release(guide, plan: plan, renderer: renderer) } catch {
                        result.refused.append("\(id): \(error)")
                        continue
                    }
                    let htmlURL = try OutputFolder.file(out, "\(id)-\(name).html")
                    let base = htmlURL.deletingPathExtension()
                    try Data(released.html.utf8).write(to: htmlURL, options: .atomic)
                    if formats.contains(.html) {
                        result.written.append(htmlURL)
                        try storage { try store.recordIssuedGuide(planID: id, revision: stored.revision, audience: name, contentEdition: library.edition.id, format: "html", sha256: released.sha256, actor: actor) }
                    }
                    if formats.contains(.pdf) {
                        pending.append((WeasyPrint.Job(html: htmlURL, pdf: base.appendingPathExtension("pdf")), plan, audience, name))
                    }
                }
                if formats.contains(.ics) && (audience == .adopter || audience == .fosterCarer) {
                    let ics = GuideCalendar.ics(plan, law: law, asOf: asOf)
                    let url = try OutputFolder.file(out, "\(id)-\(audience.rawValue).ics")
                    try Data(ics.utf8).write(to: url, options: .atomic)
                    result.written.append(url)
                    try storage { try store.recordIssuedGuide(planID: id, revision: stored.revision, audience: audience.rawValue, contentEdition: library.edition.id, format: "ics", sha256: sha256(Data(ics.utf8)), actor: actor) }
                }
            }
        }
        if !pending.isEmpty {
            let weasy: WeasyPrint
            do { weasy = try WeasyPrint.locate() } catch {
                result.refused.append("\(error)")
                if !formats.contains(.html) { for item in pending { try? FileManager.default.removeItem(at: item.job.html) } }
                return result
            }
            let bar = ProgressBar(total: pending.count, label: "PDFs")
            try weasy.render(pending.map(\.job), archival: archival) { done, total in bar.update(done) }
            bar.finish()
            for item in pending {
                let pdfText = try PDFText.extract(item.job.pdf)
                do {
                    _ = try GuideRelease.scan(pdfText, audience: item.audience, plan: item.plan)
                } catch {
                    try? FileManager.default.removeItem(at: item.job.pdf)
                    result.refused.append("\(item.plan.id) PDF: \(error)")
                    continue
                }
                let data = try Data(contentsOf: item.job.pdf)
                result.written.append(item.job.pdf)
                let revision = item.plan.version
                try storage { try store.recordIssuedGuide(planID: item.plan.id, revision: revision, audience: item.name, contentEdition: library.edition.id, format: archival ? "pdf/a-3b" : "pdf", sha256: sha256(data), actor: actor) }
            }
        }
        // HTML written only as PDF input is not an issued document.
        if !formats.contains(.html) {
            for item in pending { try? FileManager.default.removeItem(at: item.job.html) }
        }
        return result
    }

    func sha256(_ data: Data) -> String { Hex.sha256(data) }
}

/// A progress bar on standard error for batches: redrawn in place on a terminal, a line every 10% otherwise.
final class ProgressBar {
    let total: Int
    let label: String
    let tty = isatty(STDERR_FILENO) == 1
    var lastTenth = -1

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func update(_ done: Int) {
        guard total > 1 else { return }
        if tty {
            let width = 30, filled = width * done / total
            FileHandle.standardError.write(Data("\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)".utf8))
        } else if done * 10 / total != lastTenth {
            lastTenth = done * 10 / total
            FileHandle.standardError.write(Data("\(label): \(done)/\(total)\n".utf8))
        }
    }

    func finish() { if tty && total > 1 { FileHandle.standardError.write(Data("\n".utf8)) } }
}
