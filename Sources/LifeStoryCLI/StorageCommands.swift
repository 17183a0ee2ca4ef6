import ArgumentParser
import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage

/// Where the database is: --db, then $LIFESTORY_DB, then ./lifestory.sqlite.
struct DatabaseLocation: ParsableArguments {
    @Option(name: .long, help: "The SQLite database. Default: $LIFESTORY_DB, else ./lifestory.sqlite.")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["LIFESTORY_DB"] ?? "lifestory.sqlite" }

    func open() throws -> AppDatabase {
        do { return try AppDatabase.open(path: path) } catch {
            printError("\(path): cannot open the database (\(error))")
            throw Exit.unreadable
        }
    }

    /// Opens a database that must already exist.
    func openExisting() throws -> AppDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            printError("\(path): there is no database here. Create one with `lifestory init --db \(path)` or `lifestory demo --db \(path)`.")
            throw Exit.unreadable
        }
        return try open()
    }
}

/// The person at the keyboard, for the audit log.
func cliActor() -> Actor {
    Actor(id: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"), role: "admin")
}

/// Runs a store operation; its errors are the user's to fix, so print them plainly and exit 1.
func storage<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as StorageError {
        printError(error.description)
        throw Exit.findings
    }
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an empty database (or bring one up to date).")
    @OptionGroup var location: DatabaseLocation

    func run() throws {
        let db = try location.open()
        print("Database ready at \(location.path) (\(try db.integrityCheck())).")
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Create (or reuse) a database holding the fictional demo agency, and export its plans.",
        discussion: "Safe to run again: a database that already holds the demo agency is reused. A database holding any other plans is refused.")
    @OptionGroup var location: DatabaseLocation
    @Option(name: .long, help: "Also write each demo plan's archive into this folder.") var export: String?
    @Option(name: .long, help: "Also write the sample guides (HTML, PDF, calendar) into this folder, e.g. Exports/samples.") var samples: String?
    @Option(name: .long, help: "The date the samples are for. Default: today in the UK.") var asOf: String?
    @Option(name: .long, help: "For load tests: add fictional children until the demo agency has this many (at most 100000).") var scale: Int?
    @Option(name: .long, help: "With --scale: the social workers of the demo team who share the children (default 50).") var socialWorkers: Int = 50
    @OptionGroup var contentLocation: ContentLocation

    func validate() throws {
        if let scale, !(1...100_000).contains(scale) { throw ValidationError("--scale must be from 1 to 100000 children.") }
        if !(1...1_000).contains(socialWorkers) { throw ValidationError("--social-workers must be from 1 to 1000.") }
    }

    func run() throws {
        let db = try location.open()
        let store = PlanStore(db)
        if let scale {
            let added = try storage { try Demo.scale(db, children: scale, socialWorkers: socialWorkers) }
            print("Demo agency at \(location.path) scaled: \(added) fictional children added, shared among \(socialWorkers) social workers.")
        }
        if try store.planIDs().isEmpty {
            let plans = try storage { try Demo.seed(db) }
            print("Demo agency seeded at \(location.path): \(plans.count) children, all fictional.")
        } else if try Demo.isDemo(db) {
            print("The demo agency is already in \(location.path); using it.")
        } else {
            printError("\(location.path) holds plans that are not the demo's. The demo only goes into a new database; nothing was changed.")
            throw Exit.findings
        }
        let caseload = try store.caseload(asOf: Today.inUK())
        print("\nCaseload" + (caseload.count > 20 ? " (the first 20 of \(caseload.count); `lifestory plan list` shows them all)" : ""))
        for r in caseload.prefix(20) {
            print("  \(r.planId.padding(toLength: 16, withPad: " ", startingAt: 0)) \(r.pseudonym)  \(r.jurisdiction.padding(toLength: 3, withPad: " ", startingAt: 0))  \(r.status.replacingOccurrences(of: "_", with: " "))\(r.nextReview.map { ", next review \($0)" } ?? "")")
        }
        print("\nUsers (one per role; sign-in arrives with the web app)")
        for u in Demo.users { print("  \(u.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(Demo.email(u.id))  \(u.name)") }
        if let export {
            try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
            for id in try store.planIDs() {
                let url = try OutputFolder.file(URL(fileURLWithPath: export), "\(id).json")
                try storage { try store.export(id, actor: cliActor(), purpose: "demo export") }.write(to: url, options: .atomic)
            }
            print("\nExported the demo plans to \(export)/ (try: lifestory check \(export)/plan-eng-sam.json)")
        }
        if let samples {
            let library: ContentLibrary
            do { library = try ContentLibrary.load(from: contentLocation.url) } catch {
                printError("the guidance library cannot be used: \(error.description)")
                throw Exit.unreadable
            }
            let exporter = try GuideExporter(store: store, library: library, law: try LawBook.bundled(),
                                             asOf: try asOfDate(asOf), actor: cliActor())
            // One of each kind of document, across the four nations.
            let wanted: Set<String> = ["plan-eng-sam/adopter", "plan-eng-sam/panel", "plan-eng-sam/birth-relative",
                                       "plan-wls-mia/adopter", "plan-wls-mia/panel", "plan-sco-lewis/foster-carer",
                                       "plan-ni-niamh/adopter"]
            let result = try exporter.export(planIDs: try store.planIDs(), audiences: GuideAudience.allCases,
                                             formats: [.html, .pdf, .ics], archival: false, out: URL(fileURLWithPath: samples),
                                             only: { wanted.contains("\($0)/\($1.rawValue)") })
            for line in result.refused { printError(line) }
            print("\nWrote \(result.written.count) sample files to \(samples)/")
            if !result.refused.isEmpty { throw Exit.findings }
        }
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Import, export, list and show plans in the database.",
        subcommands: [PlanImport.self, PlanExport.self, PlanList.self, PlanShow.self, PlanFormat.self])
}

struct PlanImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import plan archives (each all or nothing), printing each plan's findings.",
        discussion: """
        Each plan is checked against every rule as of today (or --as-of) before it is stored, and its findings are \
        printed. A plan recorded as submitted or later that has errors is imported as a draft, and the command says \
        so: nothing in it is lost, but it cannot reach a panel or a family until the errors are put right and it is \
        submitted again. Exit status 1 when any plan was imported as a draft or refused.
        """)
    @OptionGroup var location: DatabaseLocation
    @Option(name: .long, help: "Check as of this date (YYYY-MM-DD). Default: $LIFESTORY_AS_OF, else today in the UK.") var asOf: String?
    @Argument(help: "Plan archive files.") var files: [String]

    func run() throws {
        let db = try location.open()
        let store = PlanStore(db)
        let law: LawBook
        do { law = try LawBook.bundled() } catch {
            printError("The bundled law data could not be read: \(error)")
            throw Exit.unreadable
        }
        let date = try asOfDate(asOf)
        var failed = false, demoted = false
        for file in files {
            var plan: Plan
            do {
                plan = try PlanArchive.decode(Data(contentsOf: URL(fileURLWithPath: file))).plan
            } catch let error as CoreError {
                printError("\(file): \(error)")
                failed = true
                continue
            } catch {
                printError("\(file): cannot open the file")
                failed = true
                continue
            }
            let findings = Rules.check(plan, law: law, asOf: date)
            let errors = findings.filter { $0.severity == .error }
            let recorded = plan.status
            if recorded.isAtOrPastSubmission && !errors.isEmpty {
                plan.status = .draft
            }
            do {
                try store.importPlan(plan, actor: cliActor())
            } catch let error as StorageError {
                printError("\(file): \(error)")
                failed = true
                continue
            }
            let words = findings.isEmpty ? "no findings" : "\(errors.count) error\(errors.count == 1 ? "" : "s"), \(findings.count - errors.count) warning\(findings.count - errors.count == 1 ? "" : "s")"
            print("imported \(plan.id) from \(file): \(words) as of \(date.long)")
            for f in findings {
                print("  \(f.severity == .error ? "ERROR" : "warning") \(f.rule) at \(f.path)")
                print(wrap(f.message, indent: "    "))
            }
            if plan.status != recorded {
                demoted = true
                print("  Imported as a draft: the file records it as \(recorded.rawValue.replacingOccurrences(of: "_", with: " ")), but it has \(errors.count) error\(errors.count == 1 ? "" : "s"). Nothing in it was lost. It cannot go to a panel or reach a family until the errors are put right and it is submitted again.")
            }
        }
        if failed { throw Exit.unreadable }
        if demoted { throw Exit.findings }
    }
}

struct PlanExport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write plans as canonical archives (PLAN-ID.json).")
    @OptionGroup var location: DatabaseLocation
    @Option(name: .long, help: "One plan's id.") var plan: String?
    @Flag(name: .long, help: "Every plan.") var all = false
    @Option(name: .long, help: "The folder to write to.") var out: String

    func validate() throws {
        guard (plan != nil) != all else { throw ValidationError("Give either --plan ID or --all.") }
    }

    func run() throws {
        let store = PlanStore(try location.openExisting())
        let ids = try all ? store.planIDs() : [plan!]
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for id in ids {
            let data = try storage { try store.export(id, actor: cliActor()) }
            let url = try OutputFolder.file(URL(fileURLWithPath: out), "\(id).json")
            try data.write(to: url, options: .atomic)
            print("wrote \(url.path)")
        }
    }
}

struct PlanFormat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format", abstract: "Rewrite plan archives in canonical form (sorted keys, Lifestory's layout).",
        discussion: "With --check, change nothing and exit 1 if any file is not canonical.")
    @Argument(help: "Plan archive files.") var files: [String]
    @Flag(name: .long, help: "Only report files that are not canonical.") var check = false

    func run() throws {
        var different = 0
        for file in files {
            let url = URL(fileURLWithPath: file)
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                printError("\(file): cannot open the file")
                throw Exit.unreadable
            }
            let canonical: Data
            do { canonical = try PlanArchive.decode(data).encoded() } catch let error as CoreError {
                printError("\(file): \(error)")
                throw Exit.unreadable
            }
            guard canonical != data else { continue }
            different += 1
            if check { print("not canonical: \(file)") } else {
                try canonical.write(to: url, options: .atomic)
                print("formatted \(file)")
            }
        }
        if check && different > 0 { throw Exit.findings }
    }
}

struct PlanList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The caseload: overdue work first.")
    @OptionGroup var location: DatabaseLocation
    @Option(name: .long, help: "The date overdue is judged against. Default: today in the UK.") var asOf: String?

    func run() throws {
        let store = PlanStore(try location.openExisting())
        let rows = try store.caseload(asOf: try asOfDate(asOf))
        print("plan                 child      nation  status      rev  next review  overdue")
        for r in rows {
            let overdue = r.overdueItems + r.overdueReviews
            print("\(r.planId.padding(toLength: 20, withPad: " ", startingAt: 0)) \(r.pseudonym.padding(toLength: 10, withPad: " ", startingAt: 0)) \(r.jurisdiction.padding(toLength: 7, withPad: " ", startingAt: 0)) \(r.status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(r.revision).padding(toLength: 4, withPad: " ", startingAt: 0)) \((r.nextReview ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0)) \(overdue == 0 ? "-" : String(overdue))")
        }
        print("\(rows.count) plan\(rows.count == 1 ? "" : "s").")
    }
}

struct PlanShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One plan: its child, status, contents and versions.")
    @OptionGroup var location: DatabaseLocation
    @Argument(help: "The plan's id.") var id: String

    func run() throws {
        let store = PlanStore(try location.openExisting())
        let stored = try storage { try store.load(id, actor: cliActor(), purpose: "plan show") }
        let p = stored.plan
        print("\(p.id): \(p.child.pseudonym), \(p.child.jurisdiction.name), \(p.status.rawValue.replacingOccurrences(of: "_", with: " "))")
        print("revision \(stored.revision), last saved \(stored.updatedAt) by \(stored.updatedBy)")
        print("day one \(p.dayOne?.long ?? "not set"); \(p.people.count) people, \(p.orders.count) orders, \(p.arrangements.count) contact arrangements, \(p.stageItems.count) stage items, \(p.contingencies.count) contingencies, \(p.incidents.count) incidents")
        let versions = try store.versions(id)
        if versions.isEmpty { print("no frozen versions") }
        for v in versions { print("version \(v.number): \(v.reason) at \(v.frozenAt) by \(v.frozenBy) (revision \(v.revision), sha256 \(v.sha256.prefix(12)))") }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Back up the database (online backup, then an integrity check of the copy).")
    @OptionGroup var location: DatabaseLocation
    @Option(name: .long, help: "The backup file to create.") var to: String

    func run() throws {
        let db = try location.openExisting()
        let (plans, audit) = try storage { try Backup.backup(db, to: to) }
        print("Backed up \(location.path) to \(to): \(plans) plans, \(audit) audit entries; integrity check ok.")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Restore a backup (refuses to replace a database without --force).")
    @Option(name: .long, help: "The backup file.") var from: String
    @OptionGroup var location: DatabaseLocation
    @Flag(name: .long, help: "Replace an existing database.") var force = false

    func run() throws {
        let (plans, audit, aside) = try storage { try Backup.restore(from: from, to: location.path, force: force) }
        print("Restored \(from) to \(location.path): \(plans) plans, \(audit) audit entries.")
        if let aside { print("The database it replaced is kept at \(aside).") }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log.", subcommands: [AuditVerify.self])
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the audit log's hash chain; name the first broken entry.")
    @OptionGroup var location: DatabaseLocation

    func run() throws {
        let v = try AuditLog.verify(try location.openExisting())
        if let broken = v.firstBroken {
            print("The audit log is broken at entry \(broken.seq): \(broken.reason). Entries before it are intact.")
            throw Exit.findings
        }
        print("The audit log is intact: \(v.entries) entries, each chained to the one before.")
    }
}

/// Used by the crash-safety test: writes stage updates one transaction at a time and says "ack N" after each commit.
struct DevWriteLoop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dev-write-loop", abstract: "Testing aid.", shouldDisplay: false)
    @OptionGroup var location: DatabaseLocation
    @Option var plan: String
    @Option var count: Int = 1_000_000

    func run() throws {
        let store = PlanStore(try location.openExisting())
        var revision = try store.load(plan, actor: cliActor(), purpose: "crash test").revision
        for n in 1...count {
            revision = try store.update(plan, basedOn: revision, actor: cliActor(), purpose: "crash test") { p in
                p.reviews.append(Review(id: "crash-\(n)", kind: .other, dueOn: CalendarDate(year: 2030, month: 1, day: 1)!))
            }.revision
            FileHandle.standardOutput.write(Data("ack \(n)\n".utf8))
        }
    }
}
