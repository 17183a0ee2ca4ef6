import Foundation
import GRDB

/// What a user may do (the web app's roles).
public enum UserRole: String, CaseIterable, Sendable, Codable {
    case admin
    case socialWorker = "social_worker"
    case teamManager = "team_manager"
    case panelMember = "panel_member"
    case panelChair = "panel_chair"
    case decisionMaker = "decision_maker"
    case adopter
    case fosterCarer = "foster_carer"
    case practiceLead = "practice_lead"
}

public struct UserRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"
    public var id: String
    public var agencyId: String
    public var teamId: String?
    public var email: String
    public var displayName: String
    public var role: String
    public var passwordHash: String?
    public var createdAt: String

    public init(id: String, agencyId: String, teamId: String? = nil, email: String, displayName: String, role: UserRole,
                passwordHash: String? = nil, createdAt: String) {
        self.id = id
        self.agencyId = agencyId
        self.teamId = teamId
        self.email = email
        self.displayName = displayName
        self.role = role.rawValue
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    public enum Columns {
        static let email = Column(CodingKeys.email)
        static let agencyId = Column(CodingKeys.agencyId)
    }
}

/// Users, teams and who is assigned to which child.
public struct UserStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func createTeam(id: String, agencyId: String, name: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO team (id, agencyId, name) VALUES (?, ?, ?)", arguments: [id, agencyId, name])
        }
    }

    public func create(_ user: UserRecord) throws {
        try database.writer.write { db in
            if try UserRecord.filter(UserRecord.Columns.email == user.email).fetchOne(db) != nil {
                throw StorageError.alreadyExists(what: "user with that email", id: user.email)
            }
            try user.insert(db)
        }
    }

    public func assign(userId: String, childId: String, relationship: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO assignment (userId, childId, relationship) VALUES (?, ?, ?)",
                           arguments: [userId, childId, relationship])
        }
    }

    public func all() throws -> [UserRecord] {
        try database.writer.read { db in try UserRecord.order(Column("role"), Column("email")).fetchAll(db) }
    }
}
