import ArgumentParser
import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import LifeStoryWeb

/// `lifestory`: the command tree.
public struct LifestoryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lifestory",
        abstract: "Life-story and online-contact planning for adopted and fostered children.",
        subcommands: [CheckCommand.self, ScheduleCommand.self, RulesCommand.self, ContentCommand.self, InitCommand.self,
                      DemoCommand.self, ServeCommand.self, PlanCommand.self, GuideCommand.self, BackupCommand.self, RestoreCommand.self, AuditCommand.self,
                      UserCommand.self, AssignCommand.self, CourseCommand.self,
                      DevWriteLoop.self]
    )
    public init() {}

    /// The executable's entry point: parses the arguments and runs the command.
    public static func start() async { await main() }
}

/// Exit codes shared by every command that reads input.
enum Exit {
    /// No errors.
    static let clean = ExitCode(0)
    /// The input was read and has errors.
    static let findings = ExitCode(1)
    /// The input could not be read.
    static let unreadable = ExitCode(2)
}

struct CLIError: Error {
    let message: String
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("lifestory: " + message + "\n").utf8))
}

/// Options every command that checks a plan shares.
struct PlanInput: ParsableArguments {
    @Argument(help: "A plan archive (JSON, see docs/plan-archive.md).")
    var file: String

    @Option(name: .long, help: "The date to check as of (YYYY-MM-DD). Default: $LIFESTORY_AS_OF, else today in the UK.")
    var asOf: String?

    @Option(name: .long, help: "A law data file (JSON) to use instead of the bundled one. Default: $LIFESTORY_LAW.")
    var law: String?

    /// Reads the plan, the law and the date, or prints what is wrong and exits 2.
    func load() throws -> (Plan, LawBook, CalendarDate) {
        let law = self.law ?? ProcessInfo.processInfo.environment["LIFESTORY_LAW"]
        let date = try asOfDate(asOf)
        let lawBook: LawBook
        do {
            if let law {
                lawBook = try LawBook.decode(try Data(contentsOf: URL(fileURLWithPath: law)))
            } else {
                lawBook = try LawBook.bundled()
            }
        } catch {
            printError("\(law ?? "bundled law data"): \(error)")
            throw Exit.unreadable
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            printError("\(file): cannot open the file (\((error as NSError).localizedDescription))")
            throw Exit.unreadable
        }
        do {
            return (try PlanArchive.decode(data).plan, lawBook, date)
        } catch {
            printError("\(file): \(error.description)")
            throw Exit.unreadable
        }
    }
}

/// The as-of date: the option, else $LIFESTORY_AS_OF, else today in the UK. A bad date exits 2 naming its source.
func asOfDate(_ option: String?) throws -> CalendarDate {
    let env = ProcessInfo.processInfo.environment["LIFESTORY_AS_OF"]
    guard let text = option ?? env else { return Today.inUK() }
    guard let date = CalendarDate(iso: text) else {
        printError("\(option == nil ? "LIFESTORY_AS_OF" : "--as-of"): \(CalendarDate.problem(with: text) ?? "not a date")")
        throw Exit.unreadable
    }
    return date
}

/// Pretty, sorted, stable JSON for command output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a plan against every rule.",
        discussion: "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the input could not be read."
    )

    @OptionGroup var input: PlanInput
    @Option(name: .long, help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let (plan, law, asOf) = try input.load()
        let findings = Rules.check(plan, law: law, asOf: asOf)
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        switch format {
        case .json:
            struct Report: Encodable {
                var plan: String
                var asOf: CalendarDate
                var law: String
                var errors: Int
                var warnings: Int
                var findings: [Finding]
            }
            try printJSON(Report(plan: plan.id, asOf: asOf, law: law.edition, errors: errors, warnings: warnings,
                                 findings: findings))
        case .text:
            print("Plan \(plan.id) for \(plan.child.pseudonym) (\(plan.child.jurisdiction.name)), version \(plan.version), \(plan.status.rawValue.replacingOccurrences(of: "_", with: " ")); checked as of \(asOf.long).")
            for f in findings {
                print("")
                print("\(f.severity == .error ? "ERROR" : "warning") \(f.rule) at \(f.path)")
                print(wrap(f.message, indent: "  "))
            }
            print("")
            print(errors == 0 ? "No errors\(warnings == 0 ? "." : ", \(warnings) warning\(warnings == 1 ? "" : "s").")"
                              : "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s").")
        }
        if errors > 0 { throw Exit.findings }
    }
}

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print the child's timeline: stages, catch-up, conversations, reviews, what is overdue."
    )

    @OptionGroup var input: PlanInput
    @Option(name: .long, help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let (plan, law, asOf) = try input.load()
        guard let jurisdiction = law.jurisdiction(plan.child.jurisdiction) else {
            printError("\(input.file): there is no law data for \(plan.child.jurisdiction.name)")
            throw Exit.unreadable
        }
        if let problem = Schedule.dayOneProblem(for: plan, asOf: asOf) {
            printError("\(input.file): \(problem.path): \(problem.message). No schedule was made.")
            throw Exit.findings
        }
        guard let t = Schedule.timeline(for: plan, law: jurisdiction, asOf: asOf) else {
            printError("\(input.file): plan.placements: the plan has no placement, so there is no day one to schedule from")
            throw Exit.findings
        }
        if format == .json {
            try printJSON(t)
            return
        }
        print("Timeline for \(plan.child.pseudonym) as of \(asOf.long)")
        print("Born \(t.dateOfBirth.long); day one \(t.dayOne.long) (aged \(t.ageOnDayOne)); aged \(t.ageAsOf) now.")
        print("\nStages")
        for w in t.stages {
            let end = w.end.map { "to \($0.adding(days: -1).long)" } ?? "onwards"
            let marker = w.status == .current ? "now " : w.status == .past ? "done" : "    "
            print("  \(marker) \(w.code.rawValue.padding(toLength: 3, withPad: " ", startingAt: 0)) \(w.code.title.padding(toLength: 14, withPad: " ", startingAt: 0)) \(w.start.long) \(end); review by \(w.reviewBy.long)")
        }
        if !t.catchUp.isEmpty {
            print("\nCatch-up (stages passed before day one: essentials within 12 weeks)")
            for c in t.catchUp { print("  \(c.stage.rawValue)   \(c.stage.title): by \(c.target.long)") }
        }
        if !t.conversations.isEmpty {
            print("\nConversations and activities")
            for c in t.conversations {
                let flag = c.overdue ? " OVERDUE" : c.status == .done ? " done" : ""
                print("  \(c.target.long) [\(c.stage.rawValue)] \(c.title)\(flag)")
            }
        }
        print("\nReview points")
        for r in t.reviewPoints { print("  \(r.date.long): \(r.label)") }
        if !t.overdue.isEmpty {
            print("\nOverdue")
            for o in t.overdue { print("  \(o)") }
        }
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule with its id.")

    func run() {
        for rule in Rules.all {
            print("\(rule.id.padding(toLength: 4, withPad: " ", startingAt: 0)) \(rule.summary)")
        }
    }
}

/// Wraps text at 100 columns for the terminal.
func wrap(_ text: String, indent: String, width: Int = 100) -> String {
    var lines: [String] = []
    var line = indent
    for word in text.split(separator: " ") {
        if line.count + word.count + 1 > width && line != indent {
            lines.append(line)
            line = indent
        }
        line += (line == indent ? "" : " ") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}

/// Every file the command line writes lies inside the folder it was asked to write to. A file name made from ids
/// (`<plan id>-adopter.html`) is checked against the safe-id alphabet and resolved: one that would land anywhere
/// else (`../x.json`) is refused, naming it, and nothing is written.
enum OutputFolder {
    struct Outside: Error, CustomStringConvertible {
        var name: String
        var folder: String
        var description: String { "refusing to write '\(name)': a file name made from an id must stay inside \(folder)" }
    }

    static func file(_ folder: URL, _ name: String) throws -> URL {
        let stem = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
        let dir = folder.standardizedFileURL.resolvingSymlinksInPath()
        let url = dir.appendingPathComponent(name).standardizedFileURL
        guard Identifier.isSafe(stem), !name.contains("/"), url.deletingLastPathComponent().path == dir.path else {
            throw Outside(name: name, folder: folder.path)
        }
        return url
    }
}
