import Crypto
import Foundation
import GRDB
import LifeStoryCore

public struct InvitationStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func create(userId: String, by: Actor, now: Double, lifetime: Double = 7 * 24 * 3600) throws -> String {
        let token = Token.make()
        try database.writer.write { db in
            // A new link replaces any unused one for the same person.
            try db.execute(sql: "UPDATE invitation SET usedAt = ? WHERE userId = ? AND usedAt IS NULL", arguments: [now, userId])
            try db.execute(sql: "INSERT INTO invitation (tokenHash, userId, createdBy, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Token.hash(token), userId, by.id, now, now + lifetime])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "invite", entity: "user", entityId: userId,
                                childId: nil, purpose: "invite a family member", detail: "expires \(PlanStore.iso(now + lifetime))")
        }
        return token
    }

    /// The user an unused, unexpired link is for.
    public func pending(token: String, now: Double) throws -> UserRecord? {
        try database.writer.read { db in
            try UserRecord.fetchOne(db, sql: """
                SELECT u.* FROM invitation i JOIN user u ON u.id = i.userId
                WHERE i.tokenHash = ? AND i.usedAt IS NULL AND i.expiresAt > ? AND u.disabledAt IS NULL
                """, arguments: [Token.hash(token), now])
        }
    }

    /// Uses the link: sets the password hash, once. Returns the user, or nil if the link is used or expired.
    public func accept(token: String, passwordHash: String, now: Double) throws -> UserRecord? {
        try database.writer.write { db in
            let hash = Token.hash(token)
            guard let user = try UserRecord.fetchOne(db, sql: """
                SELECT u.* FROM invitation i JOIN user u ON u.id = i.userId
                WHERE i.tokenHash = ? AND i.usedAt IS NULL AND i.expiresAt > ? AND u.disabledAt IS NULL
                """, arguments: [hash, now]) else { return nil }
            try db.execute(sql: "UPDATE invitation SET usedAt = ? WHERE tokenHash = ?", arguments: [now, hash])
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, user.id])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: Actor(id: user.id, role: user.role), action: "accept-invitation",
                                entity: "user", entityId: user.id, childId: nil, purpose: "set a password from an invitation")
            return user
        }
    }
}
