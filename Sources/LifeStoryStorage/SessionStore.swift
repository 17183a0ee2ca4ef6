import Crypto
import Foundation
import GRDB
import LifeStoryCore

public struct SessionRecord: Sendable, Equatable {
    public var userId: String
    public var csrf: String
    public var createdAt: Double
    public var lastSeenAt: Double
}

/// Sessions, kept in SQLite so they survive a restart and can be ended from anywhere.
public struct SessionStore: Sendable {
    public let database: AppDatabase
    /// A session ends after this long without a request.
    public let idleTimeout: Double
    /// And after this long whatever happens.
    public let absoluteTimeout: Double

    public init(_ database: AppDatabase, idleTimeout: Double = 30 * 60, absoluteTimeout: Double = 12 * 3600) {
        self.database = database
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }

    /// Starts a session and returns the token for the cookie. Ends the user's other sessions older than a day.
    public func start(userId: String, now: Double) throws -> (token: String, csrf: String) {
        let token = Token.make(), csrf = Token.make()
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE lastSeenAt < ?", arguments: [now - absoluteTimeout])
            try db.execute(sql: "INSERT INTO session (tokenHash, userId, csrf, createdAt, lastSeenAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Token.hash(token), userId, csrf, now, now])
        }
        return (token, csrf)
    }

    /// The live session for a token, touched; nil (and deleted) when it has expired. Most requests only read: the
    /// last-seen time is written at most once a minute.
    public func resume(token: String, now: Double) throws -> SessionRecord? {
        try resumeWithUser(token: token, now: now)?.session
    }

    /// The live session and its user, in one read.
    public func resumeWithUser(token: String, now: Double) throws -> (session: SessionRecord, user: UserRecord)? {
        let hash = Token.hash(token)
        // One SELECT is atomic by itself: no transaction around it is needed.
        let found = try database.writer.unsafeRead { db -> (SessionRecord, UserRecord)? in
            let statement = try db.cachedStatement(sql: """
                SELECT s.userId AS sUserId, s.csrf AS sCsrf, s.createdAt AS sCreatedAt, s.lastSeenAt AS sLastSeenAt, u.*
                FROM session s JOIN user u ON u.id = s.userId WHERE s.tokenHash = ? AND u.disabledAt IS NULL
                """)
            guard let row = try Row.fetchOne(statement, arguments: [hash]) else { return nil }
            return (SessionRecord(userId: row["sUserId"], csrf: row["sCsrf"], createdAt: row["sCreatedAt"], lastSeenAt: row["sLastSeenAt"]),
                    try UserRecord(row: row))
        }
        guard let (record, user) = found else { return nil }
        if now - record.lastSeenAt > idleTimeout || now - record.createdAt > absoluteTimeout {
            let at = Date(timeIntervalSince1970: now).formatted(PlanStore.isoFormat)
            let why = now - record.createdAt > absoluteTimeout ? "after 12 hours" : "after \(Int(idleTimeout / 60)) minutes without a request"
            try database.writer.write { db in
                // Only the request that deletes it records the expiry.
                try db.execute(sql: "DELETE FROM session WHERE tokenHash = ?", arguments: [hash])
                if db.changesCount > 0 {
                    try AuditLog.append(db, at: at, actor: Actor(id: user.id, role: user.role), action: "session-expired", entity: "security",
                                        entityId: user.id, childId: nil, purpose: "a session ended on its own", detail: why)
                }
            }
            return nil
        }
        if now - record.lastSeenAt > 60 {
            try database.writer.write { db in
                try db.execute(sql: "UPDATE session SET lastSeenAt = ? WHERE tokenHash = ?", arguments: [now, hash])
            }
        }
        return (record, user)
    }

    public func end(token: String) throws {
        try database.writer.write { db in try db.execute(sql: "DELETE FROM session WHERE tokenHash = ?", arguments: [Token.hash(token)]) }
    }

    public func endAll(userId: String) throws {
        try database.writer.write { db in try db.execute(sql: "DELETE FROM session WHERE userId = ?", arguments: [userId]) }
    }
}

/// Sign-in attempts, counted per account, per client address and per account-from-that-address, so guessing
/// passwords is slow, and so nobody can keep someone else's account shut for long.
///
/// Each attempt is *reserved* before its password is checked, in one write transaction that counts and inserts:
/// twenty-five simultaneous attempts cannot all slip under the limit, because each one sees the ones before it. A
/// reservation whose password was right is taken back; a wrong one stays and counts.
///
/// The back-off: once a key has `limit` attempts in the last `window`, the next is allowed only after a wait that
/// doubles with each further attempt (1, 2, 4, 8 minutes), never more than `maxWait` after the last attempt. Old
/// attempts fall out of the window, so a lockout always ends on its own: after `window` with no attempts the count
/// is back to zero. An attacker at one address meets the per-address and account-from-address limits long before
/// the account-wide one (which is higher), so the real user, at another address, is still let in.
