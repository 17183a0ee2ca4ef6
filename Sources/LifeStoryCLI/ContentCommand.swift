import ArgumentParser
import Foundation
import LifeStoryContent
import LifeStoryCore

struct ContentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content",
        abstract: "Check the guidance library and the law data it holds.",
        subcommands: [ContentCheckCommand.self, ContentLawCommand.self]
    )
}

/// Where the library is: --content, then $LIFESTORY_CONTENT, then ./Content when the folder has one (the project
/// folder, where the practice lead edits it), else the copy bundled with the binary.
struct ContentLocation: ParsableArguments {
    @Option(name: .long, help: "The content library folder. Default: $LIFESTORY_CONTENT, else ./Content if there is one, else the library bundled with Lifestory.")
    var content: String?

    var url: URL {
        if let path = content ?? ProcessInfo.processInfo.environment["LIFESTORY_CONTENT"] { return URL(fileURLWithPath: path) }
        let here = URL(fileURLWithPath: "Content")
        if FileManager.default.fileExists(atPath: here.appendingPathComponent("platforms").path) || ContentLibrary.bundledRoot == nil { return here }
        return ContentLibrary.bundledRoot!
    }
}

struct ContentCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every file of the guidance library.",
        discussion: "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the library could not be read."
    )

    @OptionGroup var location: ContentLocation
    @Option(name: .long, help: "The date to check review dates against (YYYY-MM-DD). Default: today in the UK.")
    var asOf: String?

    func run() throws {
        let date = try asOfDate(asOf)
        let report: ContentReport
        do {
            report = try ContentCheck.run(root: location.url, asOf: date, law: try? LawBook.bundled())
        } catch {
            printError(error.description)
            throw Exit.unreadable
        }
        for p in report.problems { print(p.description) }
        if !report.problems.isEmpty { print("") }
        print("Content library \(location.url.path), edition \(report.edition.id), checked as of \(date.long)")
        print("kind           files  worst grade (adult / child)              next review")
        for s in report.summaries {
            let adult = s.worstAdult.map { "\($0.grade) \($0.id)" } ?? "-"
            let child = s.worstChild.map { "\($0.grade) \($0.id)" } ?? "-"
            let next = s.nextReview.map { "\($0.date.iso) \($0.id)" } ?? "-"
            print("\(s.kind.folder.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(s.count).padding(toLength: 6, withPad: " ", startingAt: 0)) \((adult + " / " + child).padding(toLength: 40, withPad: " ", startingAt: 0)) \(next)")
        }
        let editions = Dictionary(grouping: report.changes, by: \.edition).sorted { $0.key < $1.key }
        for (date, lines) in editions {
            print("changes        \(String(lines.count).padding(toLength: 6, withPad: " ", startingAt: 0)) edition of \(date.long), in \(Set(lines.map(\.file)).count) files")
        }
        print("")
        print(report.errors == 0 ? "No errors\(report.warnings == 0 ? "." : ", \(report.warnings) warnings.")"
                                 : "\(report.errors) errors, \(report.warnings) warnings.")
        if report.errors > 0 { throw Exit.findings }
    }
}

struct ContentLawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "law",
        abstract: "Print the law data held in the library's jurisdictions and platforms, or write it to Core's law.json."
    )

    @OptionGroup var location: ContentLocation
    @Flag(name: .long, help: "Write Sources/LifeStoryCore/Resources/law.json (or --out) instead of printing.")
    var write = false
    @Option(name: .long, help: "Where --write writes. Default: Sources/LifeStoryCore/Resources/law.json.")
    var out: String = "Sources/LifeStoryCore/Resources/law.json"

    func run() throws {
        let library: ContentLibrary
        do {
            library = try ContentLibrary.load(from: location.url)
        } catch {
            printError("the library has errors; fix them first (lifestory content check):\n" + error.description)
            throw Exit.unreadable
        }
        var law = library.law
        law.edition = "generated from Content/ edition \(library.edition.id)"
        let data = try law.encoded() + Data("\n".utf8)
        if write {
            try data.write(to: URL(fileURLWithPath: out))
            print("wrote \(out) (\(law.jurisdictions.count) jurisdictions, \(law.platforms.count) platforms)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
