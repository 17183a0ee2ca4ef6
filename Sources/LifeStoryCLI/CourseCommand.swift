import ArgumentParser
import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides

/// `lifestory course export`: the preparation session on social media, contact and life story, from the library.
struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "course", abstract: "The preparation session for adopters and foster carers.",
                                                    subcommands: [CourseExport.self])
}

struct CourseExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the session's slides, trainer's notes and handout (HTML, and PDF with WeasyPrint).",
        discussion: "Writes slides.html and slides.pdf (landscape A4, one idea a slide), notes.html and notes.pdf (the session plan, what to say for each slide, the exercises) and handout.html and handout.pdf (portrait A4).")
    @OptionGroup var contentLocation: ContentLocation
    @Option(name: .long, help: "The folder to write to.") var out: String
    @Option(name: .long, help: "The agency's name, for the footers.") var agency: String?
    @Flag(name: .long, help: "HTML only: do not make PDFs.") var htmlOnly = false

    func run() throws {
        let library: ContentLibrary
        do { library = try ContentLibrary.load(from: contentLocation.url) } catch {
            printError("The guidance library at \(contentLocation.url.path) has errors: run `lifestory content check`.\n\(error)")
            throw Exit.unreadable
        }
        guard let item = library.items(of: .course).first else {
            printError("The library has no course (Content/course/).")
            throw Exit.unreadable
        }
        let course: CourseDocuments
        do { course = try CourseDocuments(item) } catch {
            printError("\(item.file): \(error)")
            throw Exit.findings
        }
        if let agency, agency.count > 120 || agency.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError("--agency: give the agency's name, at most 120 characters")
        }
        let dir = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var jobs: [WeasyPrint.Job] = []
        for (name, html) in [("slides", course.slidesHTML(agency: agency)), ("notes", course.notesHTML(agency: agency)), ("handout", course.handoutHTML(agency: agency))] {
            let url = dir.appendingPathComponent(name + ".html")
            try Data(html.utf8).write(to: url)
            jobs.append(.init(html: url, pdf: dir.appendingPathComponent(name + ".pdf")))
        }
        print("\(course.slides.count) slides, the trainer's notes and the handout written to \(dir.path)")
        guard !htmlOnly else { return }
        do {
            try WeasyPrint.locate().render(jobs, archival: false)
        } catch {
            printError("The HTML is written, but the PDFs could not be made: \(error)")
            throw Exit.unreadable
        }
        print("PDFs: slides.pdf (landscape A4), notes.pdf, handout.pdf")
    }
}
