import Crypto
import Foundation
import GRDB
import LifeStoryCore

// What the web app asks of users: accounts by id and e-mail, passwords, assignments, teams and agencies.

extension UserStore {
    public func agencyName(_ id: String) throws -> String? {
        try database.writer.read { db in try String.fetchOne(db, sql: "SELECT name FROM agency WHERE id = ?", arguments: [id]) }
    }

    public func user(id: String) throws -> UserRecord? {
        try database.writer.read { db in try UserRecord.fetchOne(db, key: id) }
    }

    public func user(email: String) throws -> UserRecord? {
        try database.writer.read { db in try UserRecord.filter(UserRecord.Columns.email == email).fetchOne(db) }
    }

    public func setPasswordHash(userId: String, hash: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE id = ?", arguments: [hash, userId])
        }
    }

    /// The children a user is assigned to.
    public func assignedChildren(userId: String) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT childId FROM assignment WHERE userId = ? ORDER BY childId", arguments: [userId])
        }
    }

    /// The family members (adopters, foster carers) assigned to a child.
    public func family(childId: String) throws -> [UserRecord] {
        try database.writer.read { db in
            try UserRecord.fetchAll(db, sql: """
                SELECT u.* FROM assignment a JOIN user u ON u.id = a.userId
                WHERE a.childId = ? AND u.role IN ('adopter','foster_carer') ORDER BY u.displayName
                """, arguments: [childId])
        }
    }

    /// Children on the caseloads of a team's social workers.
    public func teamChildren(teamId: String) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT a.childId FROM assignment a JOIN user u ON u.id = a.userId
                WHERE u.teamId = ? AND u.role = 'social_worker' ORDER BY a.childId
                """, arguments: [teamId])
        }
    }

    /// Every child of an agency.
    public func agencyChildren(agencyId: String) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM child WHERE agencyId = ? ORDER BY id", arguments: [agencyId])
        }
    }

    /// Creates a family member's account and assigns them to the child, in one transaction.
    public func createFamilyMember(_ user: UserRecord, childId: String, by: Actor, at: String) throws {
        try database.writer.write { db in
            if try UserRecord.filter(UserRecord.Columns.email == user.email).fetchOne(db) != nil {
                throw StorageError.alreadyExists(what: "user with that email", id: user.email)
            }
            try user.insert(db)
            try db.execute(sql: "INSERT INTO assignment (userId, childId, relationship) VALUES (?, ?, ?)",
                           arguments: [user.id, childId, user.role])
            try AuditLog.append(db, at: at, actor: by, action: "create-user", entity: "user", entityId: user.id,
                                childId: childId, purpose: "give a family member access to the child's guide", detail: user.role)
        }
    }
}
