import LifeStoryCore

/// Errors the store raises. Each says what happened in words a person can act on, and none leaves a partial write.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    case notFound(what: String, id: String)
    case alreadyExists(what: String, id: String)
    /// The update was based on an older revision: who changed what since, and nothing was written.
    case conflict(planID: String, basedOn: Int, current: Int, changes: [String])
    case frozen(String)
    case invalid(String)
    case backup(String)

    public var description: String {
        switch self {
        case .notFound(let what, let id): "There is no \(what) '\(id)'."
        case .alreadyExists(let what, let id): "A \(what) with id '\(id)' already exists; nothing was changed."
        case .conflict(let id, let basedOn, let current, let changes):
            "Plan \(id) has changed since you opened it (you had revision \(basedOn); it is now \(current)). Nothing was saved. Changes since:\n"
                + changes.map { "  - \($0)" }.joined(separator: "\n")
        case .frozen(let message): message
        case .invalid(let message): message
        case .backup(let message): message
        }
    }
}

/// Who is doing something, for the audit log.
public struct Actor: Sendable, Equatable {
    public var id: String
    public var role: String
    public init(id: String, role: String) {
        self.id = id
        self.role = role
    }
    public static let system = Actor(id: "system", role: "system")
}
