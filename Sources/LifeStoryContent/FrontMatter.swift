import Foundation
import LifeStoryCore
import Yams

/// A problem found in the library: which file, which field, how serious, what is wrong.
public struct ContentProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Level: String, Sendable { case error, warning }
    public var file: String
    public var field: String?
    public var level: Level
    public var message: String

    public init(file: String, field: String? = nil, level: Level = .error, message: String) {
        self.file = file
        self.field = field
        self.level = level
        self.message = message
    }

    public var description: String {
        "\(level == .error ? "ERROR" : "warning") \(file)\(field.map { " [\($0)]" } ?? ""): \(message)"
    }
}

/// Typed reading of a YAML front-matter node, collecting problems instead of stopping at the first.
struct FrontMatter {
    let file: String
    let root: Node.Mapping
    var problems: [ContentProblem] = []

    /// Splits `---\nYAML\n---\nbody`. Returns nil front matter when the file does not start with `---`.
    static func split(_ text: String) -> (yaml: String, body: String)? {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard normalised.hasPrefix("---\n") else { return nil }
        let after = normalised.dropFirst(4)
        guard let end = after.range(of: "\n---\n") ?? after.range(of: "\n---", options: .anchored) else {
            if after.hasSuffix("\n---") { return (String(after.dropLast(4)), "") }
            return nil
        }
        return (String(after[..<end.lowerBound]), String(after[end.upperBound...]))
    }

    init(file: String, yaml: String) throws(ContentProblemList) {
        self.file = file
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ContentProblemList([ContentProblem(file: file, field: "front matter",
                                                     message: "the YAML cannot be read: \(Self.describe(error))")])
        }
        guard let mapping = node?.mapping else {
            throw ContentProblemList([ContentProblem(file: file, field: "front matter", message: "must be a set of `key: value` lines")])
        }
        root = mapping
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.split(separator: "\n").prefix(3).joined(separator: " ")
    }

    mutating func fail(_ field: String, _ message: String) {
        problems.append(ContentProblem(file: file, field: field, message: message))
    }

    static func isNull(_ node: Node?) -> Bool {
        guard let s = node?.scalar else { return node == nil }
        return ["", "~", "null", "Null", "NULL"].contains(s.string) && s.style == .plain
    }

    func node(_ key: String, in map: Node.Mapping? = nil) -> Node? { (map ?? root)[key] }

    mutating func string(_ key: String, in map: Node.Mapping? = nil, path: String? = nil, required: Bool = true) -> String? {
        let field = path ?? key
        guard let n = node(key, in: map), !FrontMatter.isNull(n) else {
            if required { fail(field, "is missing") }
            return nil
        }
        guard let s = n.scalar?.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(field, "must be text")
            return nil
        }
        return s
    }

    mutating func int(_ key: String, in map: Node.Mapping? = nil, path: String? = nil, required: Bool = true) -> Int? {
        guard let s = string(key, in: map, path: path, required: required) else { return nil }
        guard let i = Int(s) else {
            fail(path ?? key, "must be a whole number, not '\(s)'")
            return nil
        }
        return i
    }

    mutating func bool(_ key: String, in map: Node.Mapping? = nil, path: String? = nil) -> Bool {
        guard let n = node(key, in: map), !FrontMatter.isNull(n) else { return false }
        guard let b = n.bool else {
            fail(path ?? key, "must be true or false")
            return false
        }
        return b
    }

    mutating func date(_ key: String, in map: Node.Mapping? = nil, path: String? = nil, required: Bool = true) -> CalendarDate? {
        guard let s = string(key, in: map, path: path, required: required) else { return nil }
        guard let d = CalendarDate(iso: s) else {
            fail(path ?? key, CalendarDate.problem(with: s) ?? "is not a date")
            return nil
        }
        return d
    }

    mutating func list(_ key: String, in map: Node.Mapping? = nil, path: String? = nil, required: Bool = true) -> [Node] {
        guard let n = node(key, in: map), !FrontMatter.isNull(n) else {
            if required { fail(path ?? key, "is missing") }
            return []
        }
        guard let seq = n.sequence else {
            fail(path ?? key, "must be a list")
            return []
        }
        return Array(seq)
    }

    mutating func strings(_ key: String, required: Bool = true) -> [String] {
        list(key, required: required).enumerated().compactMap { i, n in
            guard let s = n.scalar?.string else {
                fail("\(key)[\(i)]", "must be text")
                return nil
            }
            return s
        }
    }

    /// A coded value: the message lists what is allowed.
    mutating func coded<T: RawRepresentable & CaseIterable>(_ raw: String?, _ field: String, as: T.Type) -> T? where T.RawValue == String {
        guard let raw else { return nil }
        guard let v = T(rawValue: raw) else {
            fail(field, "unknown value '\(raw)'; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return v
    }
}

/// The problems that stopped a file (or the library) from loading.
public struct ContentProblemList: Error, Sendable, CustomStringConvertible {
    public var problems: [ContentProblem]
    public init(_ problems: [ContentProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
