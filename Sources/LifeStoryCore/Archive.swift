import Crypto
import Foundation

/// A decoding error turned into words: the field path and the problem.
public struct DecodingProblem: CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String

    public init(_ error: DecodingError) {
        func render(_ codingPath: [any CodingKey]) -> String {
            var out = ""
            for key in codingPath {
                if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: return "text"
            case is Int.Type, is Double.Type: return "a number"
            case is Bool.Type: return "true or false"
            case is [Any].Type: return "a list"
            default:
                let name = String(describing: type)
                if name.hasPrefix("Array") { return "a list" }
                if name.hasPrefix("Dictionary") { return "an object" }
                return "an object (\(name))"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            path = render(context.codingPath + [key])
            problem = "is missing (required)"
        case .typeMismatch(let type, let context):
            path = render(context.codingPath)
            problem = "has the wrong type: expected \(kind(type))"
        case .valueNotFound(let type, let context):
            path = render(context.codingPath)
            problem = "is null but must be \(kind(type))"
        case .dataCorrupted(let context):
            path = render(context.codingPath)
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
                problem = "is not valid JSON" + (underlying.map { " (\($0))" } ?? "")
            } else {
                problem = context.debugDescription
            }
        @unknown default:
            path = ""
            problem = String(describing: error)
        }
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}

/// The plan archive: how plans move between agencies and how they are kept for 100 years.
/// Documented in docs/plan-archive.md, with a JSON Schema in docs/plan-archive.schema.json.
public struct PlanArchive: Codable, Sendable, Equatable {
    public static let formatName = "lifestory.plan"
    public static let currentVersion = 1

    /// Always `lifestory.plan`.
    public var format: String
    /// The archive format's version (not the plan's version).
    public var formatVersion: Int
    public var plan: Plan

    public init(plan: Plan) {
        format = PlanArchive.formatName
        formatVersion = PlanArchive.currentVersion
        self.plan = plan
    }

    /// Reads an archive. Errors name the field path and the problem and never return a partial plan.
    public static func decode(_ data: Data) throws(CoreError) -> PlanArchive {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw .archive(ArchiveProblem(path: "", problem: "the file is empty"))
        }
        // Check the envelope first, so a file that is not a plan archive says so.
        struct Envelope: Decodable {
            var format: String?
            var formatVersion: Int?
        }
        let decoder = JSONDecoder()
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: data)
        } catch let error as DecodingError {
            let p = DecodingProblem(error)
            if p.path.isEmpty {
                throw .archive(ArchiveProblem(path: "", problem: p.problem))
            }
            throw .archive(ArchiveProblem(path: p.path, problem: p.problem))
        } catch {
            throw .archive(ArchiveProblem(path: "", problem: "is not valid JSON"))
        }
        guard envelope.format == formatName else {
            throw .archive(ArchiveProblem(
                path: "format",
                problem: envelope.format.map { "is '\($0)'; a plan archive says '\(formatName)'" }
                    ?? "is missing: this is not a Lifestory plan archive (expected \"format\": \"\(formatName)\")"))
        }
        guard let version = envelope.formatVersion else {
            throw .archive(ArchiveProblem(path: "formatVersion", problem: "is missing (required)"))
        }
        guard version <= currentVersion, version >= 1 else {
            throw .archive(ArchiveProblem(
                path: "formatVersion",
                problem: "is \(version); this version of Lifestory reads versions 1 to \(currentVersion)"))
        }
        let archive: PlanArchive
        do {
            archive = try decoder.decode(PlanArchive.self, from: data)
        } catch let error as DecodingError {
            let p = DecodingProblem(error)
            throw .archive(ArchiveProblem(path: p.path, problem: p.problem))
        } catch {
            throw .archive(ArchiveProblem(path: "", problem: String(describing: error)))
        }
        // A field Lifestory does not know would be dropped silently on the next save: refuse it instead.
        if let unknown = unknownField(in: data, known: archive) {
            throw .archive(ArchiveProblem(path: unknown, problem: "is not a field of the plan archive (misspelt, or from a newer version?)"))
        }
        if let bad = unsafeID(in: data) {
            throw .archive(ArchiveProblem(path: bad.path, problem: bad.problem))
        }
        return archive
    }

    /// The first `id` (or `...Ref`/`...Id` reference) anywhere in the archive that is not a safe id (`Identifier`).
    static func unsafeID(in data: Data) -> (path: String, problem: String)? {
        guard let original = try? JSONSerialization.jsonObject(with: data) else { return nil }
        func walk(_ a: Any, _ path: String) -> (String, String)? {
            if let d = a as? [String: Any] {
                for key in d.keys.sorted() {
                    let child = path.isEmpty ? key : "\(path).\(key)"
                    if key == "id" || key.hasSuffix("Id"), let id = d[key] as? String, let problem = Identifier.problem(id) {
                        return (child, problem)
                    }
                    if let found = walk(d[key]!, child) { return found }
                }
            } else if let l = a as? [Any] {
                for (i, v) in l.enumerated() { if let found = walk(v, "\(path)[\(i)]") { return found } }
            }
            return nil
        }
        return walk(original, "")
    }

    /// The first key path in `data` that the decoded archive does not carry (null values aside).
    static func unknownField(in data: Data, known archive: PlanArchive) -> String? {
        guard let original = try? JSONSerialization.jsonObject(with: data),
              let encoded = try? JSONEncoder().encode(archive),
              let roundTrip = try? JSONSerialization.jsonObject(with: encoded) else { return nil }
        func walk(_ a: Any, _ b: Any?, _ path: String) -> String? {
            if let da = a as? [String: Any] {
                let db = b as? [String: Any] ?? [:]
                for key in da.keys.sorted() {
                    let value = da[key]!
                    let child = path.isEmpty ? key : "\(path).\(key)"
                    if value is NSNull { continue }
                    guard let other = db[key] else { return child }
                    if let found = walk(value, other, child) { return found }
                }
            } else if let la = a as? [Any] {
                let lb = b as? [Any] ?? []
                for (i, v) in la.enumerated() where i < lb.count {
                    if let found = walk(v, lb[i], "\(path)[\(i)]") { return found }
                }
            }
            return nil
        }
        return walk(original, roundTrip, "")
    }

    /// Canonical JSON: keys sorted, two-space indentation, dates as YYYY-MM-DD, a final newline.
    /// The same plan always gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}

extension Plan {
    /// A fingerprint of what the plan says, leaving out its sign-offs, version, status and panel submission (the
    /// things signing and submitting change): SHA-256 of its canonical JSON, the first 16 hex digits. Any change to
    /// the plan's content after a sign-off gives a different fingerprint, so that sign-off no longer counts.
    public var contentFingerprint: String {
        var copy = self
        copy.signOffs = []
        copy.version = 0
        copy.status = .draft
        copy.panelSubmission = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(copy)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined().prefix(16).description
    }
}
