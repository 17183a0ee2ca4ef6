import Crypto
import Foundation
import LifeStoryCore
import Yams

/// One line of an edition's changelog (Content/changes/*.yml): what changed in which file, and whom it concerns, so
/// a family can be told what is new for their own child (docs/content-format.md, "What changed, edition by edition").
public struct ContentChange: Sendable, Equatable {
    public var edition: CalendarDate
    /// The file it changed, relative to the library (`platforms/platform-snapchat.md`).
    public var file: String
    /// One line, written to the family.
    public var change: String
    public var ages: ClosedRange<Int>?
    /// Platforms by their pages' names; empty when it concerns none in particular.
    public var platforms: [String]
    /// Nations whose families it concerns; all four when the file said none.
    public var nations: [JurisdictionCode]
    /// Who reads it; adopters and foster carers when the file said none.
    public var audiences: [ContentAudience]

    /// Whether it concerns a child of this age in this nation, who uses these platforms, read by this audience.
    public func concerns(age: Int, nation: JurisdictionCode, platforms used: Set<String>, audience: ContentAudience) -> Bool {
        (ages?.contains(age) ?? true) && nations.contains(nation) && audiences.contains(audience)
            && (platforms.isEmpty || platforms.contains { used.contains($0.lowercased()) })
    }
}

enum ChangeLog {
    /// Reads every `changes/*.yml` under the library. Each file names its edition date and its changes; files,
    /// platforms, nations and audiences must be ones the library knows.
    static func read(root: URL, items: [ContentItem], hasher: inout SHA256) -> (changes: [ContentChange], problems: [ContentProblem]) {
        let folder = root.appendingPathComponent("changes")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return ([], []) }
        let files = Set(items.map(\.file))
        let platforms = Dictionary(items.compactMap { item -> (String, String)? in
            if case .platform(let p) = item.details { return (p.platform.lowercased(), p.platform) } else { return nil }
        }, uniquingKeysWith: { a, _ in a })
        var out: [ContentChange] = []
        var problems: [ContentProblem] = []
        for name in names.sorted() where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            let path = "changes/" + name
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path), let text = String(data: data, encoding: .utf8) else {
                problems.append(ContentProblem(file: path, message: "cannot be read as UTF-8 text"))
                continue
            }
            hasher.update(data: Data(path.utf8) + [0] + data + [0])
            var fm: FrontMatter
            do { fm = try FrontMatter(file: path, yaml: text) } catch { problems += error.problems; continue }
            let edition = fm.date("edition")
            for (i, n) in fm.list("changes").enumerated() {
                let at = "changes[\(i)]"
                guard let m = n.mapping else { fm.fail(at, "must be {file: ..., change: ...}"); continue }
                let file = fm.string("file", in: m, path: "\(at).file")
                if let file, !files.contains(file) { fm.fail("\(at).file", "'\(file)' is not a file in the library") }
                let change = fm.string("change", in: m, path: "\(at).change")
                if let change, change.count > 400 { fm.fail("\(at).change", "is \(change.count) characters: one line, at most 400") }
                var ages: ClosedRange<Int>?
                if let a = fm.node("ages", in: m), !FrontMatter.isNull(a) {
                    if let am = a.mapping, let from = fm.int("from", in: am, path: "\(at).ages.from"), let to = fm.int("to", in: am, path: "\(at).ages.to"), from <= to {
                        ages = from...to
                    } else { fm.fail("\(at).ages", "must be {from: N, to: N}, from the lower age") }
                }
                func strings(_ key: String) -> [String] {
                    guard let node = fm.node(key, in: m), !FrontMatter.isNull(node) else { return [] }
                    guard let seq = node.sequence else { fm.fail("\(at).\(key)", "must be a list"); return [] }
                    return seq.compactMap { $0.scalar?.string }
                }
                let named = strings("platforms").compactMap { p -> String? in
                    guard let known = platforms[p.lowercased()] else { fm.fail("\(at).platforms", "'\(p)' has no page in platforms/"); return nil }
                    return known
                }
                let nations = strings("nations").enumerated().compactMap { j, s in fm.coded(s, "\(at).nations[\(j)]", as: JurisdictionCode.self) }
                let audiences = strings("audiences").enumerated().compactMap { j, s in fm.coded(s, "\(at).audiences[\(j)]", as: ContentAudience.self) }
                if let edition, let file, let change {
                    out.append(ContentChange(edition: edition, file: file, change: change, ages: ages, platforms: named,
                                             nations: nations.isEmpty ? JurisdictionCode.allCases : nations,
                                             audiences: audiences.isEmpty ? [.adopter, .fosterCarer] : audiences))
                }
            }
            problems += fm.problems
        }
        return (out.sorted { ($0.edition, $0.file) < ($1.edition, $1.file) }, problems)
    }
}
