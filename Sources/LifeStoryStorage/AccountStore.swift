import Crypto
import Foundation
import GRDB
import LifeStoryCore

/// What an agency's admin does to accounts, and what two-factor sign-in and single sign-on keep: every change in one
/// transaction with its audit entry, naming who made it.
public struct AccountStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    /// One-time links last a week; a sign-in half-way (password given, code not yet) ten minutes.
    public static let linkLifetime: Double = 7 * 24 * 3600
    public static let challengeLifetime: Double = 10 * 60

    // MARK: agencies and teams

    public func agencies() throws -> [(id: String, name: String)] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM agency ORDER BY name").map { ($0["id"], $0["name"]) }
        }
    }

    /// Creates the agency if there is none by that name; returns its id.
    public func ensureAgency(name: String) throws -> String {
        try database.writer.write { db in
            if let id = try String.fetchOne(db, sql: "SELECT id FROM agency WHERE name = ?", arguments: [name]) { return id }
            let id = "agency-" + Token.make().prefix(10).lowercased().filter { $0.isLetter || $0.isNumber }
            try db.execute(sql: "INSERT INTO agency (id, name) VALUES (?, ?)", arguments: [id, name])
            return id
        }
    }

    public func teams(agencyId: String) throws -> [(id: String, name: String)] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM team WHERE agencyId = ? ORDER BY name", arguments: [agencyId]).map { ($0["id"], $0["name"]) }
        }
    }

    /// Creates the team if the agency has none by that name; returns its id.
    public func ensureTeam(agencyId: String, name: String) throws -> String {
        try database.writer.write { db in
            if let id = try String.fetchOne(db, sql: "SELECT id FROM team WHERE agencyId = ? AND name = ?", arguments: [agencyId, name]) { return id }
            let id = "team-" + Token.make().prefix(10).lowercased().filter { $0.isLetter || $0.isNumber }
            try db.execute(sql: "INSERT INTO team (id, agencyId, name) VALUES (?, ?, ?)", arguments: [id, agencyId, name])
            return id
        }
    }

    public func userCount() throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") ?? 0 }
    }

    public func users(agencyId: String) throws -> [UserRecord] {
        try database.writer.read { db in
            try UserRecord.fetchAll(db, sql: "SELECT * FROM user WHERE agencyId = ? ORDER BY disabledAt IS NOT NULL, displayName, email",
                                    arguments: [agencyId])
        }
    }

    /// One user's latest link: when it expires, and whether it was used.
    public func link(userId: String) throws -> (expiresAt: Double, used: Bool)? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT expiresAt, usedAt FROM invitation WHERE userId = ? ORDER BY createdAt DESC LIMIT 1",
                             arguments: [userId]).map { ($0["expiresAt"], ($0["usedAt"] as Double?) != nil) }
        }
    }

    /// The latest link for each user of the agency: when it expires, and whether it was used.
    public func links(agencyId: String) throws -> [String: (expiresAt: Double, used: Bool)] {
        try database.writer.read { db in
            var out: [String: (Double, Bool)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT i.userId, i.expiresAt, i.usedAt FROM invitation i JOIN user u ON u.id = i.userId
                WHERE u.agencyId = ? ORDER BY i.createdAt
                """, arguments: [agencyId]) {
                out[row["userId"]] = (row["expiresAt"], (row["usedAt"] as Double?) != nil)
            }
            return out
        }
    }

    // MARK: the admin's changes

    public static func newUserId() -> String { "user-" + Token.make().prefix(12).lowercased().filter { $0.isLetter || $0.isNumber } }

    /// Adds an account and makes its one-time link, in one transaction. Returns the link's token.
    public func add(_ user: UserRecord, by: Actor, now: Double, childId: String? = nil) throws -> String {
        try database.writer.write { db in
            if try UserRecord.filter(UserRecord.Columns.email == user.email).fetchOne(db) != nil {
                throw StorageError.alreadyExists(what: "account with that email address", id: user.email)
            }
            try user.insert(db)
            if let childId {
                try db.execute(sql: "INSERT INTO assignment (userId, childId, relationship) VALUES (?, ?, ?)",
                               arguments: [user.id, childId, user.role])
            }
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "create-user", entity: "user", entityId: user.id,
                                childId: childId, purpose: "add an account", detail: user.role)
            return try Self.newLink(db, userId: user.id, by: by, now: now)
        }
    }

    /// A new one-time link; any unused one for the same person stops working.
    static func newLink(_ db: Database, userId: String, by: Actor, now: Double) throws -> String {
        let token = Token.make()
        try db.execute(sql: "UPDATE invitation SET usedAt = ? WHERE userId = ? AND usedAt IS NULL", arguments: [now, userId])
        try db.execute(sql: "INSERT INTO invitation (tokenHash, userId, createdBy, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                       arguments: [Token.hash(token), userId, by.id, now, now + linkLifetime])
        try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "invite", entity: "user", entityId: userId,
                            childId: nil, purpose: "send a one-time sign-in link", detail: "expires \(PlanStore.iso(now + linkLifetime))")
        return token
    }

    /// Changes name, email, role and team. Refuses to take the last active admin's role away.
    public func edit(userId: String, name: String, email: String, role: UserRole, teamId: String?, by: Actor, now: Double) throws {
        try database.writer.write { db in
            guard var user = try UserRecord.fetchOne(db, key: userId) else { throw StorageError.notFound(what: "account", id: userId) }
            if let other = try UserRecord.filter(UserRecord.Columns.email == email).fetchOne(db), other.id != userId {
                throw StorageError.alreadyExists(what: "account with that email address", id: email)
            }
            if user.role == UserRole.admin.rawValue && role != .admin && user.isActive {
                try Self.requireAnotherAdmin(db, than: user)
            }
            var changed: [String] = []
            if user.displayName != name { changed.append("name"); user.displayName = name }
            if user.email != email { changed.append("email address"); user.email = email }
            if user.role != role.rawValue { changed.append("role from \(user.role) to \(role.rawValue)"); user.role = role.rawValue }
            if user.teamId != teamId { changed.append("team"); user.teamId = teamId }
            guard !changed.isEmpty else { return }
            try user.update(db)
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "edit-user", entity: "user", entityId: userId,
                                childId: nil, purpose: "change an account", detail: "changed " + changed.joined(separator: ", "))
        }
    }

    static func requireAnotherAdmin(_ db: Database, than user: UserRecord) throws {
        let others = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM user WHERE agencyId = ? AND role = 'admin' AND disabledAt IS NULL AND id != ?
            """, arguments: [user.agencyId, user.id]) ?? 0
        if others == 0 {
            throw StorageError.invalid("\(user.displayName) is the agency's only active admin. Add another admin first, so someone can still manage accounts.")
        }
    }

    /// Disables an account: it cannot sign in, and every session and half-finished sign-in of it ends now.
    public func disable(userId: String, by: Actor, now: Double) throws {
        try database.writer.write { db in
            guard let user = try UserRecord.fetchOne(db, key: userId) else { throw StorageError.notFound(what: "account", id: userId) }
            guard user.isActive else { return }
            if user.role == UserRole.admin.rawValue { try Self.requireAnotherAdmin(db, than: user) }
            try db.execute(sql: "UPDATE user SET disabledAt = ? WHERE id = ?", arguments: [PlanStore.iso(now), userId])
            try Self.endEverything(db, userId: userId, now: now)
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "disable-user", entity: "user", entityId: userId,
                                childId: nil, purpose: "disable an account and end its sessions")
        }
    }

    public func enable(userId: String, by: Actor, now: Double) throws {
        try database.writer.write { db in
            guard let user = try UserRecord.fetchOne(db, key: userId) else { throw StorageError.notFound(what: "account", id: userId) }
            guard !user.isActive else { return }
            try db.execute(sql: "UPDATE user SET disabledAt = NULL WHERE id = ?", arguments: [userId])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "enable-user", entity: "user", entityId: userId,
                                childId: nil, purpose: "enable an account again")
        }
    }

    static func endEverything(_ db: Database, userId: String, now: Double) throws {
        try db.execute(sql: "DELETE FROM session WHERE userId = ?", arguments: [userId])
        try db.execute(sql: "DELETE FROM signInChallenge WHERE userId = ?", arguments: [userId])
        try db.execute(sql: "UPDATE invitation SET usedAt = ? WHERE userId = ? AND usedAt IS NULL", arguments: [now, userId])
    }

    /// Resets an account: the password, the second factor and its recovery codes are cleared, every session ends, and
    /// a new one-time link is made (returned). For a family member whose link expired, this is the re-invitation.
    public func reset(userId: String, by: Actor, now: Double) throws -> String {
        try database.writer.write { db in
            guard let user = try UserRecord.fetchOne(db, key: userId) else { throw StorageError.notFound(what: "account", id: userId) }
            guard user.isActive else { throw StorageError.invalid("\(user.displayName)'s account is disabled. Enable it first.") }
            try Self.endEverything(db, userId: userId, now: now)
            try db.execute(sql: """
                UPDATE user SET passwordHash = NULL, totpSecret = NULL, totpConfirmedAt = NULL, totpLastStep = NULL WHERE id = ?
                """, arguments: [userId])
            try db.execute(sql: "DELETE FROM recoveryCode WHERE userId = ?", arguments: [userId])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "reset-user", entity: "user", entityId: userId,
                                childId: nil, purpose: "reset an account's password and second factor")
            return try Self.newLink(db, userId: userId, by: by, now: now)
        }
    }

    /// A new link for someone who has not set a password yet (their link expired or was lost). Nothing else changes.
    public func reinvite(userId: String, by: Actor, now: Double) throws -> String {
        try database.writer.write { db in
            guard let user = try UserRecord.fetchOne(db, key: userId) else { throw StorageError.notFound(what: "account", id: userId) }
            guard user.isActive else { throw StorageError.invalid("\(user.displayName)'s account is disabled. Enable it first.") }
            return try Self.newLink(db, userId: userId, by: by, now: now)
        }
    }

    // MARK: assignments

    /// The social workers of a team.
    public func socialWorkers(teamId: String) throws -> [UserRecord] {
        try database.writer.read { db in
            try UserRecord.fetchAll(db, sql: """
                SELECT * FROM user WHERE teamId = ? AND role = 'social_worker' AND disabledAt IS NULL ORDER BY displayName
                """, arguments: [teamId])
        }
    }

    /// The social worker each of these children is allocated to (the first by name, if several): one query.
    public func socialWorkers(childIds: [String]) throws -> [String: UserRecord] {
        guard !childIds.isEmpty else { return [:] }
        let ids = String(decoding: try JSONEncoder().encode(childIds), as: UTF8.self)
        return try database.writer.read { db in
            var out: [String: UserRecord] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.childId AS allocatedChild, u.* FROM assignment a JOIN user u ON u.id = a.userId
                WHERE a.childId IN (SELECT value FROM json_each(?)) AND u.role = 'social_worker' ORDER BY u.displayName DESC
                """, arguments: [ids]) {
                out[row["allocatedChild"]] = try UserRecord(row: row)
            }
            return out
        }
    }

    /// Moves a child from whoever holds them to `to`: the child's other social workers lose them, `to` gains them.
    public func reassign(childId: String, to: UserRecord, by: Actor, now: Double) throws {
        try database.writer.write { db in
            let before = try String.fetchAll(db, sql: """
                SELECT a.userId FROM assignment a JOIN user u ON u.id = a.userId WHERE a.childId = ? AND u.role = 'social_worker'
                """, arguments: [childId])
            guard before != [to.id] else { return }
            try db.execute(sql: """
                DELETE FROM assignment WHERE childId = ? AND userId IN (SELECT id FROM user WHERE role = 'social_worker')
                """, arguments: [childId])
            try db.execute(sql: "INSERT INTO assignment (userId, childId, relationship) VALUES (?, ?, 'social_worker')",
                           arguments: [to.id, childId])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "reassign", entity: "child", entityId: childId,
                                childId: childId, purpose: "allocate the child to another social worker",
                                detail: "from \(before.joined(separator: ", ")) to \(to.id)")
        }
    }

    /// Children's pseudonyms (what staff lists show), by id.
    public func childNames(_ ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try database.writer.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, pseudonym FROM child WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                                        arguments: StatementArguments(ids)) {
                out[row["id"]] = row["pseudonym"]
            }
            return out
        }
    }

    // MARK: two-factor sign-in

    /// Keeps a new, unconfirmed secret for the user's authenticator app (replacing any unconfirmed one).
    public func startEnrolment(userId: String, secret: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE user SET totpSecret = ?, totpConfirmedAt = NULL, totpLastStep = NULL WHERE id = ? AND totpConfirmedAt IS NULL",
                           arguments: [secret, userId])
        }
    }

    /// Confirms the secret (its first code was right, at `step`) and keeps the recovery codes' hashes, replacing any.
    public func confirmEnrolment(userId: String, step: Int64, recoveryHashes: [String], now: Double) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE user SET totpConfirmedAt = ?, totpLastStep = ? WHERE id = ?", arguments: [PlanStore.iso(now), step, userId])
            try db.execute(sql: "DELETE FROM recoveryCode WHERE userId = ?", arguments: [userId])
            for h in recoveryHashes {
                try db.execute(sql: "INSERT INTO recoveryCode (userId, codeHash) VALUES (?, ?)", arguments: [userId, h])
            }
            try AuditLog.append(db, at: PlanStore.iso(now), actor: Actor(id: userId, role: try String.fetchOne(db, sql: "SELECT role FROM user WHERE id = ?", arguments: [userId]) ?? ""),
                                action: "two-factor-on", entity: "security", entityId: userId, childId: nil,
                                purpose: "an authenticator app was set up for sign-in", detail: "\(recoveryHashes.count) recovery codes made")
        }
    }

    /// Takes the code's time step if it is later than the last one accepted: true once per step.
    public func useStep(userId: String, step: Int64) throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE user SET totpLastStep = ? WHERE id = ? AND (totpLastStep IS NULL OR totpLastStep < ?)",
                           arguments: [step, userId, step])
            return db.changesCount == 1
        }
    }

    /// Uses a recovery code (by its hash): true the first time only.
    public func useRecoveryCode(userId: String, hash: String, now: Double) throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE recoveryCode SET usedAt = ? WHERE userId = ? AND codeHash = ? AND usedAt IS NULL",
                           arguments: [PlanStore.iso(now), userId, hash])
            return db.changesCount == 1
        }
    }

    public func recoveryCodesLeft(userId: String) throws -> Int {
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recoveryCode WHERE userId = ? AND usedAt IS NULL", arguments: [userId]) ?? 0
        }
    }

    // MARK: half-finished sign-ins

    /// The password was right; a code (or enrolment) is still to come. Returns the token for the cookie.
    public func startChallenge(userId: String, kind: String, how: String, now: Double) throws -> String {
        let token = Token.make()
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM signInChallenge WHERE createdAt < ?", arguments: [now - Self.challengeLifetime])
            try db.execute(sql: "INSERT INTO signInChallenge (tokenHash, userId, kind, how, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Token.hash(token), userId, kind, how, now])
        }
        return token
    }

    public func challenge(token: String, now: Double) throws -> (user: UserRecord, kind: String, how: String)? {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.kind AS cKind, c.how AS cHow, u.* FROM signInChallenge c JOIN user u ON u.id = c.userId
                WHERE c.tokenHash = ? AND c.createdAt > ? AND u.disabledAt IS NULL
                """, arguments: [Token.hash(token), now - Self.challengeLifetime]) else { return nil }
            return (try UserRecord(row: row), row["cKind"], row["cHow"])
        }
    }

    public func endChallenge(token: String) throws {
        try database.writer.write { db in try db.execute(sql: "DELETE FROM signInChallenge WHERE tokenHash = ?", arguments: [Token.hash(token)]) }
    }

    // MARK: single sign-on

    /// Remembers a sign-in sent to the provider: its state (hashed), nonce and PKCE verifier.
    public func startSSO(state: String, nonce: String, verifier: String, now: Double) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM oidcLogin WHERE createdAt < ?", arguments: [now - 3600])
            try db.execute(sql: "INSERT INTO oidcLogin (stateHash, nonce, verifier, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [Token.hash(state), nonce, verifier, now])
        }
    }

    /// Takes the sign-in a state belongs to, once, within ten minutes: a replayed or stale answer finds nothing.
    public func takeSSO(state: String, now: Double) throws -> (nonce: String, verifier: String)? {
        try database.writer.write { db in
            let hash = Token.hash(state)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT nonce, verifier FROM oidcLogin WHERE stateHash = ? AND usedAt IS NULL AND createdAt > ?
                """, arguments: [hash, now - Self.challengeLifetime]) else { return nil }
            try db.execute(sql: "UPDATE oidcLogin SET usedAt = ? WHERE stateHash = ?", arguments: [now, hash])
            return (row["nonce"], row["verifier"])
        }
    }

    public func user(oidcSubject: String) throws -> UserRecord? {
        try database.writer.read { db in try UserRecord.filter(UserRecord.Columns.oidcSubject == oidcSubject).fetchOne(db) }
    }

    public func linkSubject(userId: String, subject: String, now: Double) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE user SET oidcSubject = ? WHERE id = ?", arguments: [subject, userId])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: Actor(id: userId, role: "system"), action: "sso-linked", entity: "security",
                                entityId: userId, childId: nil, purpose: "the account was matched to a single sign-on account by its verified email address")
        }
    }

    // MARK: agency settings

    public func setting(agencyId: String, _ key: String) throws -> String? {
        try database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM agencySetting WHERE agencyId = ? AND key = ?", arguments: [agencyId, key])
        }
    }

    public func setSetting(agencyId: String, _ key: String, _ value: String, by: Actor, now: Double) throws {
        try database.writer.write { db in
            let old = try String.fetchOne(db, sql: "SELECT value FROM agencySetting WHERE agencyId = ? AND key = ?", arguments: [agencyId, key])
            guard old != value else { return }
            try db.execute(sql: "INSERT OR REPLACE INTO agencySetting (agencyId, key, value) VALUES (?, ?, ?)", arguments: [agencyId, key, value])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: by, action: "setting", entity: "agency", entityId: agencyId,
                                childId: nil, purpose: "change a sign-in setting", detail: "\(key): \(old ?? "default") -> \(value)")
        }
    }
}
