/// Errors Core raises. Each carries the context a person needs to put it right.
public enum CoreError: Error, Equatable, CustomStringConvertible {
    /// The law data could not be read.
    case lawData(String)
    /// A plan archive could not be read: what, where, why.
    case archive(ArchiveProblem)

    public var description: String {
        switch self {
        case .lawData(let message): message
        case .archive(let problem): problem.description
        }
    }
}

/// Why an archive could not be read: the field path (`plan.orders[2].type`) and the problem.
public struct ArchiveProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}
