import Crypto
import Foundation
import LifeStoryCore

/// Which edition of the library a guide used: the latest review date and a hash of every file.
public struct ContentEdition: Sendable, Equatable, Codable, CustomStringConvertible {
    public var date: CalendarDate
    /// SHA-256 of the files in path order (path, NUL, bytes, NUL for each).
    public var sha256: String
    /// `2026-11-21.3f2a9c01b7de`: short enough to print on a guide, long enough to tell editions apart.
    public var id: String { "\(date.iso).\(sha256.prefix(12))" }
    public var description: String { id }
}

/// The guidance library, loaded from Content/.
public struct ContentLibrary: Sendable {
    public var root: URL
    public var items: [ContentItem]
    public var edition: ContentEdition
    /// What changed, edition by edition (Content/changes/).
    public var changes: [ContentChange] = []

    public func item(_ id: String) -> ContentItem? { items.first { $0.id == id } }
    public func items(of kind: ContentKind) -> [ContentItem] { items.filter { $0.kind == kind } }

    public func stage(_ code: StageCode) -> ContentItem? {
        items.first { if case .stage(code) = $0.details { return true } else { return false } }
    }

    public func contingency(_ scenario: Scenario) -> ContentItem? {
        items.first { if case .contingency(scenario, _, _) = $0.details { return true } else { return false } }
    }

    /// The law as data, from the jurisdiction and platform files: the source of truth for Core's law.json.
    public var law: LawBook {
        let jurisdictions = items.compactMap { item -> JurisdictionLaw? in
            if case .jurisdiction(let j) = item.details { return j } else { return nil }
        }.sorted { JurisdictionCode.allCases.firstIndex(of: $0.code)! < JurisdictionCode.allCases.firstIndex(of: $1.code)! }
        let platforms = items.compactMap { item -> PlatformAgeRule? in
            if case .platform(let p) = item.details { return p } else { return nil }
        }.sorted { $0.platform < $1.platform }
        return LawBook(edition: "Content/ edition \(edition.id)", jurisdictions: jurisdictions, platforms: platforms)
    }

    /// Every Markdown file under the library's kind folders, relative to `root`, in a stable order.
    static func files(in root: URL) throws(ContentProblemList) -> [(path: String, kind: ContentKind?)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw ContentProblemList([ContentProblem(file: root.path, message: "there is no content library here (expected a folder with stages/, contingencies/, ...)")])
        }
        var out: [(String, ContentKind?)] = []
        let kinds = Dictionary(uniqueKeysWithValues: ContentKind.allCases.map { ($0.folder, $0) })
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        for case let path as String in e where path.hasSuffix(".md") && !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            let folder = path.split(separator: "/").first.map(String.init) ?? ""
            if path.split(separator: "/").count == 1 && path.lowercased() == "readme.md" { continue }
            out.append((path, kinds[folder]))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Reads every file and reports every problem. Returns the items that loaded, whatever else failed.
    public static func read(from given: URL) throws(ContentProblemList) -> (library: ContentLibrary, problems: [ContentProblem]) {
        // The project's Content/ is a link to the bundled copy's source: read the folder it points to.
        let root = given.resolvingSymlinksInPath()
        let files = try files(in: root)
        var items: [ContentItem] = []
        var problems: [ContentProblem] = []
        var hasher = SHA256()
        var latest = CalendarDate(dayNumber: 0)
        for (path, kind) in files {
            if kind == nil {
                problems.append(ContentProblem(file: path, message: "is not in one of the library's folders (\(ContentKind.allCases.map(\.folder).joined(separator: ", ")))"))
                continue
            }
            let data: Data
            do { data = try Data(contentsOf: root.appendingPathComponent(path)) } catch {
                problems.append(ContentProblem(file: path, message: "cannot be read"))
                continue
            }
            hasher.update(data: Data(path.utf8) + [0] + data + [0])
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(ContentProblem(file: path, message: "is not UTF-8 text"))
                continue
            }
            let (item, found) = ContentLoader.parse(file: path, folderKind: kind, text: text)
            problems += found
            if let item {
                items.append(item)
                latest = max(latest, item.reviewedOn)
            }
        }
        let (changes, changeProblems) = ChangeLog.read(root: root, items: items, hasher: &hasher)
        problems += changeProblems
        let hash = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        var library = ContentLibrary(root: root, items: items, edition: ContentEdition(date: latest, sha256: hash))
        library.changes = changes
        return (library, problems)
    }

    /// Loads the library for use: any error in any file stops the load (an unknown placeholder is never a blank
    /// in a guide).
    /// The library bundled with the binary (a copy of the project's Content/ made at build time); nil if missing.
    public static var bundledRoot: URL? {
        guard let url = Bundle.module.url(forResource: "Content", withExtension: nil),
              FileManager.default.fileExists(atPath: url.appendingPathComponent("platforms").path) else { return nil }
        return url
    }

    public static func load(from root: URL) throws(ContentProblemList) -> ContentLibrary {
        let (library, problems) = try read(from: root)
        let errors = problems.filter { $0.level == .error }
        if !errors.isEmpty { throw ContentProblemList(errors) }
        return library
    }
}
