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
    /// When an admin disabled the account; nil while it is active. A disabled account has no sessions.
    public var disabledAt: String?
    /// The single sign-on provider's subject for this person, once they have signed in through it.
    public var oidcSubject: String?
    /// The shared secret of their authenticator app; confirmed once they have typed a code from it.
    public var totpSecret: String?
    public var totpConfirmedAt: String?
    /// The last 30-second step whose code was accepted: a code is good once (RFC 6238, 5.2).
    public var totpLastStep: Int64?

    /// Signed in with a second factor: an authenticator app enrolled and confirmed.
    public var hasTwoFactor: Bool { totpSecret != nil && totpConfirmedAt != nil }
    public var isActive: Bool { disabledAt == nil }

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
        static let oidcSubject = Column(CodingKeys.oidcSubject)
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
