import Foundation
import LifeStoryCLI
import LifeStoryCore
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

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = Run.executable
        process.arguments = arguments
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
