import Foundation
import LifeStoryCore

/// The fixture plans in Tests/Fixtures and what each is expected to produce.
public enum Fixtures {
    /// Tests/Fixtures, found from this file's path so tests run from any directory.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static let plans = root.appendingPathComponent("plans")
    /// The guidance library's folder itself (Content/ at the top is a link to it).
    public static let content = root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/LifeStoryContent/Resources/Content")
    public static let invalid = root.appendingPathComponent("invalid")

    public struct Expectation: Decodable, Sendable {
        public var errors: [String]
        public var warnings: [String]
    }

    struct ExpectedFile: Decodable {
        var asOf: CalendarDate
        var fixtures: [String: Expectation]
    }

    private static let expectedFile: ExpectedFile = {
        do {
            return try JSONDecoder().decode(ExpectedFile.self, from: Data(contentsOf: plans.appendingPathComponent("expected.json")))
        } catch {
            fatalError("Tests/Fixtures/plans/expected.json cannot be read: \(error)")
        }
    }()

    /// The date every fixture expectation holds on.
    public static var asOf: CalendarDate { expectedFile.asOf }
    public static var expectations: [String: Expectation] { expectedFile.fixtures }
    public static var names: [String] { expectations.keys.sorted() }
    public static let cleanNames = ["clean-eng", "clean-wls", "clean-sco", "clean-ni"]

    public static func url(_ name: String) -> URL { plans.appendingPathComponent(name + ".json") }

    public static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    public static func plan(_ name: String) throws -> Plan { try PlanArchive.decode(data(name)).plan }

    public static func law() throws -> LawBook { try LawBook.bundled() }

    /// A date from a literal known to be valid.
    public static func date(_ iso: String) -> CalendarDate {
        guard let d = CalendarDate(iso: iso) else { fatalError("bad test date \(iso)") }
        return d
    }
}
