import Foundation
@testable import LifeStoryCLI
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import Testing

/// Runs the real `lifestory` executable, as a user would.
struct Run {
    let status: Int32
    let out: String
    let err: String

    static var executable: URL {
        // swift test builds the package's executables into the same folder as the test bundle.
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("lifestory")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("lifestory")
    }

    init(_ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = Run.executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        out = String(decoding: outData, as: UTF8.self)
        err = String(decoding: errData, as: UTF8.self)
    }
}

@Suite("lifestory command line")
struct CLITests {
    let asOf = Fixtures.asOf.iso

    @Test("check exits 0 without errors and 1 with them, for every fixture", arguments: Fixtures.names)
    func checkExitCodes(name: String) throws {
        let expected = try #require(Fixtures.expectations[name])
        let run = try Run(["check", Fixtures.url(name).path, "--as-of", asOf])
        #expect(run.status == (expected.errors.isEmpty ? 0 : 1), "\(name): \(run.out)\(run.err)")
        for rule in expected.errors { #expect(run.out.contains("ERROR \(rule) at "), "\(name)") }
        #expect(run.err.isEmpty)
    }

    @Test func jsonOutputCarriesEveryFinding() throws {
        let run = try Run(["check", Fixtures.url("v7-urgent-suspension-too-long").path, "--as-of", asOf, "--format", "json"])
        #expect(run.status == 1)
        struct Report: Decodable { var errors: Int; var findings: [Finding] }
        let report = try JSONDecoder().decode(Report.self, from: Data(run.out.utf8))
        #expect(report.errors == 2)
        #expect(report.findings.contains { $0.rule == "V7" && $0.path == "arrangements[0].suspensions[0].to" })
    }

    @Test("unreadable input exits 2 and names the file, the field and the problem", arguments: [
        ("empty.json", "the file is empty"),
        ("not-json.json", "is not valid JSON"),
        ("wrong-type.json", "plan.child.dateOfBirth: has the wrong type: expected text"),
        ("unknown-enum.json", "plan.orders[2].type: unknown value 'ACA02_S99_MADE_UP'; expected one of:"),
        ("february-31.json", "plan.child.dateOfBirth: '2016-02-31' does not exist: February 2016 has 29 days"),
        ("missing-key.json", "plan.arrangements[0].mode: is missing (required)"),
        ("other-format.json", "format: is 'someone-elses.plan'"),
        ("unknown-field.json", "plan.arrangements[0].frequencyy: is not a field of the plan archive"),
    ])
    func unreadable(file: String, message: String) throws {
        let path = Fixtures.invalid.appendingPathComponent(file).path
        for command in ["check", "schedule"] {
            let run = try Run([command, path, "--as-of", asOf])
            #expect(run.status == 2, "\(command) \(file)")
            #expect(run.err.contains(path), "the message names the file: \(run.err)")
            #expect(run.err.contains(message), "\(run.err)")
            #expect(run.out.isEmpty)
        }
    }

    @Test func aMissingFileAndABadDateExit2() throws {
        let missing = try Run(["check", "/nonexistent/plan.json"])
        #expect(missing.status == 2 && missing.err.contains("/nonexistent/plan.json"))
        let badDate = try Run(["check", Fixtures.url("clean-eng").path, "--as-of", "2026-02-30"])
        #expect(badDate.status == 2 && badDate.err.contains("--as-of") && badDate.err.contains("February 2026 has 28 days"))
    }

    @Test func scheduleShowsTheTimeline() throws {
        let run = try Run(["schedule", Fixtures.url("clean-eng").path, "--as-of", asOf])
        #expect(run.status == 0)
        #expect(run.out.contains("day one 2 June 2025 (aged 9)"))
        #expect(run.out.contains("Catch-up"))
        #expect(run.out.contains("now  D   Ages 9 to 11"))
        #expect(run.out.contains("1 September 2027: the move from Year 6 to Year 7"))
    }

    @Test func rulesListsEveryRule() throws {
        let run = try Run(["rules"])
        #expect(run.status == 0)
        let ids = Rules.all.map { $0.id }
        for id in ids { #expect(run.out.contains("\n\(id) ") || run.out.hasPrefix("\(id) "), "\(id)") }
    }
}

@Suite("lifestory content and database commands")
struct StorageCLITests {
    func temp() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    var contentDir: String {
        Fixtures.content.path
    }

    @Test func contentCheckPassesTheShippedLibraryAndSummarisesEachKind() throws {
        let run = try Run(["content", "check", "--content", contentDir, "--as-of", "2026-11-30"])
        #expect(run.status == 0, "\(run.out)")
        for kind in ["stages", "contingencies", "platforms", "orders", "jurisdictions", "checklists"] {
            #expect(run.out.contains("\n\(kind) "), "\(kind)")
        }
        #expect(run.out.contains("No errors"))
        let missing = try Run(["content", "check", "--content", "/nonexistent/Content"])
        #expect(missing.status == 2 && missing.err.contains("/nonexistent/Content"))
    }

    @Test func theDemoIsSafeToRunAgainAndNeverMixesWithOtherPlans() throws {
        let dir = temp()
        let db = dir + "/demo.sqlite"
        let first = try Run(["demo", "--db", db, "--export", dir + "/plans"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("4 children, all fictional"))
        let second = try Run(["demo", "--db", db])
        #expect(second.status == 0 && second.out.contains("already in"))
        let exported = try FileManager.default.contentsOfDirectory(atPath: dir + "/plans")
        #expect(exported.count == 4)
        let check = try Run(["check", dir + "/plans/plan-eng-sam.json", "--as-of", "2026-11-21"])
        #expect(check.status == 0, "\(check.out)")

        let other = dir + "/real.sqlite"
        #expect(try Run(["plan", "import", Fixtures.url("clean-eng").path, "--db", other]).status == 0)
        let refused = try Run(["demo", "--db", other])
        #expect(refused.status == 1 && refused.err.contains("not the demo's"))
    }

    @Test("An id that could leave the output folder is refused at import, naming the field, and no file is written outside the folder")
    func idsCannotLeaveTheFolder() throws {
        let dir = temp()
        let db = dir + "/db.sqlite"
        for (bad, field) in [("../x", "id"), ("..%2Fx", "id"), ("a/b", "id"), (".hidden", "id"), ("plan\\u0000x", "id")] {
            let text = try String(decoding: Fixtures.data("clean-wls"), as: UTF8.self).replacingOccurrences(of: "\"plan-wls-mia\"", with: "\"\(bad)\"")
            let file = dir + "/bad.json"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let run = try Run(["plan", "import", file, "--db", db])
            #expect(run.status == 2, "\(bad): \(run.out)\(run.err)")
            #expect(run.err.contains("plan.\(field)"), "\(bad): \(run.err)")
        }
        // Whatever the database holds, a file name made from an id stays inside the folder.
        let out = URL(fileURLWithPath: dir + "/out")
        #expect(throws: OutputFolder.Outside.self) { try OutputFolder.file(out, "../x.json") }
        #expect(throws: OutputFolder.Outside.self) { try OutputFolder.file(out, "a/../../x.json") }
        #expect(throws: OutputFolder.Outside.self) { try OutputFolder.file(out, "..json") }
        #expect(try OutputFolder.file(out, "plan-eng-sam-adopter.html").deletingLastPathComponent().path == out.standardizedFileURL.path)
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.json"))
    }

    @Test func importRefusesBadFilesWholeAndExportsRoundTrip() throws {
        let dir = temp()
        let db = dir + "/db.sqlite"
        let bad = try Run(["plan", "import", Fixtures.invalid.appendingPathComponent("february-31.json").path, "--db", db])
        #expect(bad.status == 2 && bad.err.contains("plan.child.dateOfBirth"))
        #expect(try Run(["plan", "import", Fixtures.url("clean-wls").path, "--db", db]).status == 0)
        let again = try Run(["plan", "import", Fixtures.url("clean-wls").path, "--db", db])
        #expect(again.status == 2 && again.err.contains("already exists"))
        #expect(try Run(["plan", "export", "--all", "--out", dir + "/out", "--db", db]).status == 0)
        let exported = try Data(contentsOf: URL(fileURLWithPath: dir + "/out/plan-wls-mia.json"))
        #expect(exported == (try Fixtures.data("clean-wls")))
        let list = try Run(["plan", "list", "--db", db, "--as-of", "2026-11-21"])
        #expect(list.out.contains("plan-wls-mia") && list.out.contains("1 plan."))
    }

    @Test func backupRestoreAndAuditVerifyFromTheCommandLine() throws {
        let dir = temp()
        let db = dir + "/live.sqlite"
        #expect(try Run(["demo", "--db", db]).status == 0)
        #expect(try Run(["backup", "--db", db, "--to", dir + "/b.sqlite"]).status == 0)
        let overwrite = try Run(["backup", "--db", db, "--to", dir + "/b.sqlite"])
        #expect(overwrite.status == 1 && overwrite.err.contains("already exists"))
        let refused = try Run(["restore", "--from", dir + "/b.sqlite", "--db", db])
        #expect(refused.status == 1 && refused.err.contains("--force"))
        let forced = try Run(["restore", "--from", dir + "/b.sqlite", "--db", db, "--force"])
        #expect(forced.status == 0 && forced.out.contains("kept at"))
        let verify = try Run(["audit", "verify", "--db", db])
        #expect(verify.status == 0 && verify.out.contains("intact"))
        let none = try Run(["plan", "list", "--db", dir + "/nothing.sqlite"])
        #expect(none.status == 2 && none.err.contains("no database here"))
    }
}

@Suite("lifestory guide export")
struct GuideCLITests {
    @Test func guidesAreWrittenAndRecordedAndPDFsSayHowToGetWeasyPrint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-guides-\(UUID().uuidString)").path
        let db = dir + "/demo.sqlite"
        let content = Fixtures.content.path
        #expect(try Run(["demo", "--db", db]).status == 0)
        let run = try Run(["guide", "export", "--db", db, "--plan", "plan-eng-sam", "--audience", "adopter", "birth-relative",
                           "--format", "html,ics", "--out", dir + "/out", "--as-of", "2026-11-21", "--content", content])
        #expect(run.status == 0, "\(run.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted()
        #expect(files == ["plan-eng-sam-adopter-now-and-next.html", "plan-eng-sam-adopter.html", "plan-eng-sam-adopter.ics",
                          "plan-eng-sam-birth-relative-p-ava.html", "plan-eng-sam-birth-relative-p-kelly.html"],
                "the family's short guide (now and next) beside the handbook")
        let issued = try PlanStore(try AppDatabase.open(path: db)).issuedGuides("plan-eng-sam")
        #expect(issued.count == 5)
        #expect(issued.allSatisfy { $0.sha256.count == 64 && $0.contentEdition.hasPrefix("2026-") && $0.planRevision == 1 })
        #expect(try Run(["audit", "verify", "--db", db]).status == 0)

        // Without WeasyPrint, a PDF is refused with the way to install it; nothing half-made is left behind.
        let noWeasy = try Run(["guide", "export", "--db", db, "--plan", "plan-eng-sam", "--audience", "panel", "--format", "pdf",
                               "--out", dir + "/pdf", "--as-of", "2026-11-21", "--content", content],
                              environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
        #expect(noWeasy.status == 1 && noWeasy.err.contains("pip install weasyprint"), "\(noWeasy.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/pdf").filter { $0.hasSuffix(".pdf") }.isEmpty)
    }
}

@Suite("CLI: accounts")
struct UserCommandTests {
    @Test("user add makes a new agency's first admin with a one-time link; bad input names the option and changes nothing; disable, enable, reset, list and assign")
    func accounts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-users-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/agency.sqlite"
        let env = ["LIFESTORY_PUBLIC_URL": "https://lifestory.example.gov.uk"]
        let noAgency = try Run(["user", "add", "--db", db, "--role", "admin", "--name", "Sam Patel", "--email", "sam@example.gov.uk"], environment: env)
        #expect(noAgency.status != 0 && noAgency.err.contains("--agency"))
        for (args, words) in [(["--role", "adopter"], "--role"), (["--role", "wizard"], "--role"), (["--email", "not-an-address"], "--email")] {
            var all = ["user", "add", "--db", db, "--agency", "Northshire (test)", "--role", "admin", "--name", "Sam Patel", "--email", "sam@example.gov.uk"]
            for i in stride(from: 0, to: args.count, by: 2) {
                let at = all.firstIndex(of: args[i])!
                all[at + 1] = args[i + 1]
            }
            let bad = try Run(all, environment: env)
            #expect(bad.status != 0 && bad.err.contains(words), "\(args): \(bad.err)")
        }
        #expect(try AccountStore(AppDatabase.open(path: db)).userCount() == 0)
        let added = try Run(["user", "add", "--db", db, "--agency", "Northshire (test)", "--role", "admin", "--name", "Sam Patel", "--email", "Sam@Example.gov.uk"], environment: env)
        #expect(added.status == 0, "\(added.err)")
        #expect(added.out.contains("https://lifestory.example.gov.uk/invite/"))
        let again = try Run(["user", "add", "--db", db, "--role", "social_worker", "--team", "Adoption team", "--name", "Jo Worker", "--email", "jo@example.gov.uk"], environment: env)
        #expect(again.status == 0, "one agency: --agency may be left out")
        let list = try Run(["user", "list", "--db", db])
        #expect(list.out.contains("sam@example.gov.uk") && list.out.contains("Adoption team") && list.out.contains("invited"))
        let lastAdmin = try Run(["user", "disable", "sam@example.gov.uk", "--db", db])
        #expect(lastAdmin.status == 1 && lastAdmin.err.contains("only active admin"))
        #expect(try Run(["user", "disable", "jo@example.gov.uk", "--db", db]).status == 0)
        #expect(try Run(["user", "list", "--db", db]).out.contains("disabled"))
        #expect(try Run(["user", "enable", "jo@example.gov.uk", "--db", db]).status == 0)
        let reset = try Run(["user", "reset", "jo@example.gov.uk", "--db", db], environment: env)
        #expect(reset.status == 0 && reset.out.contains("/invite/"))
        let nobody = try Run(["user", "reset", "nobody@example.gov.uk", "--db", db])
        #expect(nobody.status == 1 && nobody.err.contains("no account"))
        let noChild = try Run(["assign", "--child", "child-nope", "--to", "jo@example.gov.uk", "--db", db])
        #expect(noChild.status == 1 && noChild.err.contains("no child"))
        let actions = try AuditLog.entries(AppDatabase.open(path: db)).map(\.action)
        for action in ["create-user", "invite", "disable-user", "enable-user", "reset-user"] { #expect(actions.contains(action), "\(action)") }
    }
}

@Suite("CLI: import and schedule refuse nonsense")
struct NonsenseTests {
    @Test("plan import prints each plan's findings; a plan recorded as submitted or later with errors comes in as a draft, and says so")
    func importDemotes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-import-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/import.sqlite"
        let env = ["LIFESTORY_AS_OF": "2026-11-21"]
        let broken = Fixtures.plans.appendingPathComponent("v2-direct-contact-with-prohibited-person.json").path
        let clean = Fixtures.plans.appendingPathComponent("clean-wls.json").path
        let run = try Run(["plan", "import", "--db", db, broken, clean], environment: env)
        #expect(run.status == 1, "\(run.err)")
        #expect(run.out.contains("ERROR V2"), "the findings are printed")
        #expect(run.out.contains("Imported as a draft: the file records it as active"))
        let store = PlanStore(try AppDatabase.open(path: db))
        let brokenID = try PlanArchive.decode(Data(contentsOf: URL(fileURLWithPath: broken))).plan.id
        let cleanPlan = try PlanArchive.decode(Data(contentsOf: URL(fileURLWithPath: clean))).plan
        #expect(try store.load(brokenID, actor: Actor(id: "test", role: "admin"), purpose: "test").plan.status == .draft)
        #expect(try store.load(cleanPlan.id, actor: Actor(id: "test", role: "admin"), purpose: "test").plan.status == cleanPlan.status,
                "a plan without errors keeps its status")
    }

    @Test("schedule refuses a day one before the date of birth or more than a year ahead, naming the field")
    func scheduleRefuses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-schedule-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var archive = try PlanArchive.decode(Data(contentsOf: Fixtures.plans.appendingPathComponent("clean-eng.json")))
        let i = try #require(archive.plan.placements.firstIndex { $0 == archive.plan.currentPlacement })
        archive.plan.placements[i].startDate = archive.plan.child.dateOfBirth.adding(days: -3)
        try archive.encoded().write(to: URL(fileURLWithPath: dir + "/before.json"))
        let before = try Run(["schedule", dir + "/before.json", "--as-of", "2026-11-21"])
        #expect(before.status == 1 && before.err.contains("placements[\(i)].startDate: day one") && before.err.contains("before"), "\(before.err)")
        archive.plan.placements[i].startDate = CalendarDate(iso: "2031-01-05")!
        let file = dir + "/ahead.json"
        try archive.encoded().write(to: URL(fileURLWithPath: file))
        let ahead = try Run(["schedule", file, "--as-of", "2026-11-21"])
        #expect(ahead.status == 1 && ahead.err.contains("more than a year after"), "\(ahead.err)")
        let fine = try Run(["schedule", Fixtures.plans.appendingPathComponent("clean-eng.json").path, "--as-of", "2026-11-21"])
        #expect(fine.status == 0)
    }
}

@Suite("CLI: the preparation course")
struct CourseExportTests {
    @Test("course export writes the slides (landscape A4, a page a slide), the trainer's notes and the handout")
    func export() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-course-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Run(["course", "export", "--out", dir, "--content", Fixtures.content.path, "--agency", "Example agency (test)"])
        #expect(run.status == 0, "\(run.err)")
        for name in ["slides", "notes", "handout"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name).html"), "\(name).html")
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name).pdf"), "\(name).pdf")
        }
        let slides = try String(contentsOfFile: dir + "/slides.html", encoding: .utf8)
        let count = slides.components(separatedBy: "<section class=\"slide\"").count - 1
        #expect((18...26).contains(count))
        #expect(slides.contains("size: A4 landscape") && slides.contains("Example agency (test)"))
        let notes = try String(contentsOfFile: dir + "/notes.html", encoding: .utf8)
        #expect(notes.components(separatedBy: "<p class=\"note__label\">Say:</p>").count - 1 == count, "every slide has its notes")
        let bad = try Run(["course", "export", "--out", dir, "--content", "/nonexistent-library"])
        #expect(bad.status == 2 && bad.err.contains("library"))
    }
}
