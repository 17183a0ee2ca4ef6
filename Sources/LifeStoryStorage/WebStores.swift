import Crypto
import Foundation
import GRDB
import LifeStoryCore

// The repositories the web app needs: accounts, sessions, invitations, sign-in attempts, who may see which child,
// the family's journal, panel meetings and outcomes, and the actions a returned plan carries.

/// Today's date in the UK: the only place Lifestory reads the clock for a default date (the CLI's `--as-of` and the
/// web app's "today"). The calendar is made once: the web app asks on every page.
public enum Today {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
        return calendar
    }()

    public static func inUK() -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year ?? 2026, month: parts.month ?? 1, day: parts.day ?? 1) ?? CalendarDate(dayNumber: 0)
    }
}

/// Lower-case hex, without `String(format:)` (which is slow on the hot path of every request).
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    /// The SHA-256 of some bytes, as hex: how Lifestory names a file's contents everywhere it records one.
    public static func sha256(_ data: Data) -> String { encode(SHA256.hash(data: data)) }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A random token for a cookie or link, and the hash the database keeps instead of it.
public enum Token {
    /// 32 random bytes, base64url without padding (43 characters).
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }

    /// Compares two strings in time that does not depend on where they differ.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

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
                FROM session s JOIN user u ON u.id = s.userId WHERE s.tokenHash = ?
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
public struct LoginThrottle: Sendable {
    public let database: AppDatabase
    public let window: Double
    public let maxWait: Double

    /// The keys one attempt counts against, each with its own limit.
    public struct Key: Sendable, Hashable {
        public var key: String
        public var limit: Int
        public init(_ key: String, limit: Int) {
            self.key = key
            self.limit = limit
        }
    }

    public init(_ database: AppDatabase, window: Double = 15 * 60, maxWait: Double = 15 * 60) {
        self.database = database
        self.window = window
        self.maxWait = maxWait
    }

    /// The keys of an attempt: the account from this address (5), the address (20, as an office shares one), the
    /// account from anywhere (10; 5 when the address is not known).
    public static func keys(account: String, address: String?) -> [Key] {
        // Without an address (a socket with no peer), the account's own key is all there is: it takes the lower limit.
        var keys = [Key("account:" + account, limit: address == nil ? 5 : 10)]
        if let address {
            keys.append(Key("address:" + address, limit: 20))
            keys.append(Key("account-address:" + account + "|" + address, limit: 5))
        }
        return keys
    }

    /// What `reserve` decided.
    public enum Decision: Sendable, Equatable {
        /// Go ahead and check the password; the ids are the rows to take back if it was right.
        case allowed([Int64])
        /// Refused without a check: wait this many seconds.
        case wait(Double)
    }

    /// Counts and reserves in one transaction.
    public func reserve(_ keys: [Key], now: Double) throws -> Decision {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM loginAttempt WHERE at < ?", arguments: [now - window])
            var longest: Double?
            for k in keys {
                let times = try Double.fetchAll(db, sql: "SELECT at FROM loginAttempt WHERE key = ? AND at > ? ORDER BY at",
                                                arguments: [k.key, now - window])
                guard times.count >= k.limit, let last = times.last else { continue }
                let over = min(times.count - k.limit, 10)
                let wait = min(maxWait, 60 * Double(1 << over))
                let remaining = last + wait - now
                if remaining > 0 { longest = max(longest ?? 0, remaining) }
            }
            if let longest { return .wait(longest) }
            var ids: [Int64] = []
            for k in keys {
                try db.execute(sql: "INSERT INTO loginAttempt (key, at) VALUES (?, ?)", arguments: [k.key, now])
                ids.append(db.lastInsertedRowID)
            }
            return .allowed(ids)
        }
    }

    /// The password was right: the reservation does not count, and the account's earlier failures are forgiven.
    public func succeeded(_ reserved: [Int64], account: String) throws {
        try database.writer.write { db in
            for id in reserved { try db.execute(sql: "DELETE FROM loginAttempt WHERE rowid = ?", arguments: [id]) }
            try db.execute(sql: "DELETE FROM loginAttempt WHERE key = ? OR key LIKE ?", arguments: ["account:" + account, "account-address:" + account + "|%"])
        }
    }

    /// How many attempts a key has in the window (for tests and the admin's view).
    public func count(_ key: String, now: Double) throws -> Int {
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM loginAttempt WHERE key = ? AND at > ?", arguments: [key, now - window]) ?? 0
        }
    }
}

/// Security events in the tamper-evident audit log: sign-ins, failures, lockouts, sign-outs, expired sessions,
/// invitations used, refused forms, refused pages and ids not found. Never a password; an address typed at sign-in
/// that is no account's is kept only as a short hash.
public struct SecurityLog: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func record(_ action: String, user: UserRecord?, address: String?, what: String, detail: String = "", at: String) throws {
        let actor = Actor(id: user?.id ?? "anonymous", role: user?.role ?? "anonymous")
        var parts = ["from " + (address ?? "an unknown address")]
        if !detail.isEmpty { parts.append(detail) }
        try database.writer.write { db in
            try AuditLog.append(db, at: at, actor: actor, action: action, entity: "security", entityId: user?.id ?? "",
                                childId: nil, purpose: what, detail: parts.joined(separator: "; "))
        }
    }
}

/// One-time links that let an adopter or foster carer set their password.
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
                WHERE i.tokenHash = ? AND i.usedAt IS NULL AND i.expiresAt > ?
                """, arguments: [Token.hash(token), now])
        }
    }

    /// Uses the link: sets the password hash, once. Returns the user, or nil if the link is used or expired.
    public func accept(token: String, passwordHash: String, now: Double) throws -> UserRecord? {
        try database.writer.write { db in
            let hash = Token.hash(token)
            guard let user = try UserRecord.fetchOne(db, sql: """
                SELECT u.* FROM invitation i JOIN user u ON u.id = i.userId
                WHERE i.tokenHash = ? AND i.usedAt IS NULL AND i.expiresAt > ?
                """, arguments: [hash, now]) else { return nil }
            try db.execute(sql: "UPDATE invitation SET usedAt = ? WHERE tokenHash = ?", arguments: [now, hash])
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, user.id])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: Actor(id: user.id, role: user.role), action: "accept-invitation",
                                entity: "user", entityId: user.id, childId: nil, purpose: "set a password from an invitation")
            return user
        }
    }
}

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

extension PlanStore {
    static func iso(_ seconds: Double) -> String { Date(timeIntervalSince1970: seconds).formatted(isoFormat) }

    /// The plan id of a child, if it has one.
    public func planID(childId: String) throws -> String? {
        try database.writer.read { db in try String.fetchOne(db, sql: "SELECT id FROM plan WHERE childId = ?", arguments: [childId]) }
    }

    /// A plan's current revision, without reading (or auditing) the plan: for caches keyed by revision.
    public func revision(planID: String) throws -> Int? {
        // One SELECT is atomic by itself: no transaction around it is needed (it runs on every family page).
        try database.writer.unsafeRead { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT revision FROM plan WHERE id = ?"), arguments: [planID])
        }
    }

    /// The child and agency of a plan, without reading (or auditing) the plan itself: for access checks.
    public func owner(planID: String) throws -> (childId: String, agencyId: String)? {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT childId, agencyId FROM plan WHERE id = ?", arguments: [planID]) else { return nil }
            return (row["childId"], row["agencyId"])
        }
    }

    /// One page of the caseload of the given children: overdue work first, then by the next review due.
    public func caseload(childIDs: [String], asOf: CalendarDate, limit: Int = 50, offset: Int = 0) throws -> (rows: [CaseloadRow], total: Int) {
        guard !childIDs.isEmpty else { return ([], 0) }
        return try database.writer.read { db in
            let ids = try String(data: JSONEncoder().encode(childIDs), encoding: .utf8) ?? "[]"
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plan WHERE childId IN (SELECT value FROM json_each(?))", arguments: [ids]) ?? 0
            let rows = try CaseloadRow.fetchAll(db, sql: PlanStore.caseloadSelect + """
                WHERE p.childId IN (SELECT value FROM json_each(:ids))
                ORDER BY (overdueItems + overdueReviews) > 0 DESC, (overdueItems + overdueReviews) DESC, nextReview IS NULL, nextReview, c.pseudonym
                LIMIT :limit OFFSET :offset
                """, arguments: ["asOf": asOf.iso, "ids": ids, "limit": limit, "offset": offset])
            return (rows, total)
        }
    }

    /// How many incidents each plan has had since a date: for the caseload.
    public func incidentCounts(since: CalendarDate) throws -> [String: Int] {
        try database.writer.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT plan, COUNT(*) AS n FROM incident WHERE occurredOn >= ? GROUP BY plan", arguments: [since.iso]) {
                out[row["plan"]] = row["n"]
            }
            return out
        }
    }

    /// Writes an audit entry for something that is not a plan read or write (a page of a guide, a download).
    public func audit(planID: String, actor: Actor, action: String, purpose: String, detail: String = "") throws {
        try audit([AuditRequest(planID: planID, actor: actor, action: action, purpose: purpose, detail: detail)])
    }

    /// One audit entry to write.
    public struct AuditRequest: Sendable {
        public var planID: String
        public var actor: Actor
        public var action: String
        public var purpose: String
        public var detail: String
        public init(planID: String, actor: Actor, action: String, purpose: String, detail: String) {
            self.planID = planID
            self.actor = actor
            self.action = action
            self.purpose = purpose
            self.detail = detail
        }
    }

    /// Writes several audit entries in one transaction (one flush to disk): the web app gathers the views of many
    /// concurrent requests and commits them together, and each request answers only once its entry is on disk.
    public func audit(_ requests: [AuditRequest]) throws {
        guard !requests.isEmpty else { return }
        let at = timestamp()
        try database.writer.write { db in
            let childOf = try db.cachedStatement(sql: "SELECT childId FROM plan WHERE id = ?")
            var children: [String: String?] = [:]
            var last: String?
            for r in requests {
                if children[r.planID] == nil { children[r.planID] = .some(try String.fetchOne(childOf, arguments: [r.planID])) }
                // Within one transaction the chain is ours: carry the last hash instead of reading it back each time.
                last = try AuditLog.append(db, at: at, actor: r.actor, action: r.action, entity: "plan", entityId: r.planID,
                                           childId: children[r.planID] ?? nil, purpose: r.purpose, detail: r.detail, after: last)
            }
        }
    }

    /// The latest version a family may read: frozen, and approved or in force (never a draft in progress).
    public func releasedVersion(_ id: String) throws -> (number: Int, revision: Int)? {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT number, revision FROM planVersion WHERE plan = ? AND reason IN ('approved','published','imported')
                  AND json_extract(archive, '$.plan.status') IN ('adm_approved','active')
                ORDER BY number DESC LIMIT 1
                """, arguments: [id]) else { return nil }
            return (row["number"], row["revision"])
        }
    }

    /// The plan a family member is assigned to (checked against their agency) and its latest frozen version
    /// number: one read.
    public func familyPlan(userId: String, agencyId: String) throws -> (planID: String, latestVersion: Int?)? {
        // One SELECT is atomic by itself: no transaction around it is needed.
        try database.writer.unsafeRead { db in
            let statement = try db.cachedStatement(sql: """
                SELECT p.id AS planId, (SELECT MAX(number) FROM planVersion v WHERE v.plan = p.id) AS latest
                FROM assignment a JOIN plan p ON p.childId = a.childId
                WHERE a.userId = ? AND p.agencyId = ? ORDER BY p.id LIMIT 1
                """)
            guard let row = try Row.fetchOne(statement, arguments: [userId, agencyId]) else { return nil }
            return (row["planId"], row["latest"])
        }
    }

    /// Creates a new child and their first plan, assigning the social worker who made it.
    @discardableResult
    public func create(_ plan: Plan, assign userId: String, actor: Actor) throws -> StoredPlan {
        let stored = try importPlan(plan, actor: actor, purpose: "start a new plan")
        try database.writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO assignment (userId, childId, relationship) VALUES (?, ?, 'childs_social_worker')",
                           arguments: [userId, plan.child.id])
        }
        return stored
    }
}

// MARK: the family's journal

public struct JournalEntry: Sendable, Equatable, Codable, FetchableRecord {
    public var id: String
    public var plan: String
    public var authorId: String
    public var kind: String
    public var happenedOn: String
    public var text: String
    public var createdAt: String
    public var authorName: String?
    /// The author's role (`adopter`, `foster_carer`, `social_worker`, ...): families see authors by role, not name.
    public var authorRole: String?
}

public struct JournalStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func add(planID: String, author: Actor, kind: String, happenedOn: CalendarDate, text: String, at: String) throws {
        try database.writer.write { db in
            guard let childId = try String.fetchOne(db, sql: "SELECT childId FROM plan WHERE id = ?", arguments: [planID]) else {
                throw StorageError.notFound(what: "plan", id: planID)
            }
            let id = "j-" + Token.make().prefix(12)
            try db.execute(sql: "INSERT INTO journalEntry (id, plan, authorId, kind, happenedOn, text, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, planID, author.id, kind, happenedOn.iso, text, at])
            try AuditLog.append(db, at: at, actor: author, action: "journal", entity: "plan", entityId: planID, childId: childId,
                                purpose: "note a \(kind) in the family's journal", detail: id)
        }
    }

    public func entries(planID: String, limit: Int = 100) throws -> [JournalEntry] {
        try database.writer.read { db in
            try JournalEntry.fetchAll(db, sql: """
                SELECT j.*, u.displayName AS authorName, u.role AS authorRole FROM journalEntry j LEFT JOIN user u ON u.id = j.authorId
                WHERE j.plan = ? ORDER BY j.happenedOn DESC, j.createdAt DESC LIMIT ?
                """, arguments: [planID, limit])
        }
    }

    /// How many entries each plan has had since a time: for the caseload.
    public func counts(since: String) throws -> [String: Int] {
        try database.writer.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT plan, COUNT(*) AS n FROM journalEntry WHERE createdAt >= ? GROUP BY plan", arguments: [since]) {
                out[row["plan"]] = row["n"]
            }
            return out
        }
    }
}

// MARK: panel meetings, outcomes and actions

public struct PanelMeeting: Sendable, Equatable, Codable, FetchableRecord {
    public var id: String
    public var agencyId: String
    public var meetsOn: String
    public var accessFrom: String
    public var accessUntil: String
    public var createdBy: String
    public var createdAt: String
}

public struct AgendaItem: Sendable, Equatable, Codable, FetchableRecord {
    public var meetingId: String
    public var planId: String
    public var versionNumber: Int
    public var position: Int
    public var pseudonym: String?
    public var status: String?
}

public struct PanelOutcome: Sendable, Equatable, Codable, FetchableRecord {
    public var id: String
    public var planId: String
    public var meetingId: String?
    public var versionNumber: Int
    public var kind: String
    public var outcome: String
    public var reasons: String
    public var byUser: String
    public var byName: String
    public var at: String
}

public struct PlanAction: Sendable, Equatable, Codable, FetchableRecord {
    public var id: String
    public var planId: String
    public var outcomeId: String?
    public var text: String
    public var raisedBy: String
    public var raisedAt: String
    public var doneAt: String?
    public var doneBy: String?
}

public struct PanelStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func createMeeting(agencyId: String, meetsOn: CalendarDate, accessFrom: CalendarDate, accessUntil: CalendarDate,
                              by: Actor, at: String) throws -> String {
        guard accessFrom <= meetsOn, meetsOn <= accessUntil else {
            throw StorageError.invalid("The access window must include the meeting date: from \(accessFrom.iso) to \(accessUntil.iso) does not include \(meetsOn.iso).")
        }
        let id = "panel-\(meetsOn.iso)-\(Token.make().prefix(6))"
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO panelMeeting VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, agencyId, meetsOn.iso, accessFrom.iso, accessUntil.iso, by.id, at])
            try AuditLog.append(db, at: at, actor: by, action: "create-meeting", entity: "panelMeeting", entityId: id,
                                childId: nil, purpose: "arrange a panel meeting", detail: meetsOn.iso)
        }
        return id
    }

    public func meetings(agencyId: String) throws -> [PanelMeeting] {
        try database.writer.read { db in
            try PanelMeeting.fetchAll(db, sql: "SELECT * FROM panelMeeting WHERE agencyId = ? ORDER BY meetsOn DESC", arguments: [agencyId])
        }
    }

    public func meeting(_ id: String) throws -> PanelMeeting? {
        try database.writer.read { db in try PanelMeeting.fetchOne(db, sql: "SELECT * FROM panelMeeting WHERE id = ?", arguments: [id]) }
    }

    /// Meetings whose access window includes `date`.
    public func openMeetings(agencyId: String, on date: CalendarDate) throws -> [PanelMeeting] {
        try database.writer.read { db in
            try PanelMeeting.fetchAll(db, sql: "SELECT * FROM panelMeeting WHERE agencyId = ? AND accessFrom <= ? AND accessUntil >= ? ORDER BY meetsOn",
                                      arguments: [agencyId, date.iso, date.iso])
        }
    }

    /// Puts a submitted plan's latest frozen version on a meeting's agenda.
    public func addToAgenda(meetingId: String, planId: String, by: Actor, at: String) throws {
        try database.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, childId FROM plan WHERE id = ?", arguments: [planId]) else {
                throw StorageError.notFound(what: "plan", id: planId)
            }
            let status: String = row["status"]
            guard status == "submitted" || status == "panel_recommended" else {
                throw StorageError.invalid("Only a submitted plan can go on a panel agenda; this one is \(status.replacingOccurrences(of: "_", with: " ")).")
            }
            guard let number = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM planVersion WHERE plan = ?", arguments: [planId]) else {
                throw StorageError.invalid("The plan has no frozen version to put before the panel.")
            }
            let position = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM agendaItem WHERE meetingId = ?", arguments: [meetingId]) ?? 0) + 1
            try db.execute(sql: "INSERT OR REPLACE INTO agendaItem (meetingId, planId, versionNumber, position) VALUES (?, ?, ?, ?)",
                           arguments: [meetingId, planId, number, position])
            try AuditLog.append(db, at: at, actor: by, action: "add-to-agenda", entity: "plan", entityId: planId,
                                childId: row["childId"], purpose: "put the plan before the panel", detail: "\(meetingId) v\(number)")
        }
    }

    public func agenda(meetingId: String) throws -> [AgendaItem] {
        try database.writer.read { db in
            try AgendaItem.fetchAll(db, sql: """
                SELECT a.*, c.pseudonym, p.status FROM agendaItem a JOIN plan p ON p.id = a.planId JOIN child c ON c.id = p.childId
                WHERE a.meetingId = ? ORDER BY a.position
                """, arguments: [meetingId])
        }
    }

    /// Plans on the agenda of a meeting whose access window includes `date`: what the panel may read today.
    public func plansOpenToPanel(agencyId: String, on date: CalendarDate) throws -> [String: String] {
        try database.writer.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.planId, a.meetingId FROM agendaItem a JOIN panelMeeting m ON m.id = a.meetingId
                WHERE m.agencyId = ? AND m.accessFrom <= ? AND m.accessUntil >= ?
                """, arguments: [agencyId, date.iso, date.iso]) { out[row["planId"]] = row["meetingId"] }
            return out
        }
    }

    public func outcomes(planId: String) throws -> [PanelOutcome] {
        try database.writer.read { db in
            try PanelOutcome.fetchAll(db, sql: "SELECT * FROM panelOutcome WHERE planId = ? ORDER BY at", arguments: [planId])
        }
    }

    public func actions(planId: String) throws -> [PlanAction] {
        try database.writer.read { db in
            try PlanAction.fetchAll(db, sql: "SELECT * FROM planAction WHERE planId = ? ORDER BY raisedAt, id", arguments: [planId])
        }
    }

    public func openActionCounts() throws -> [String: Int] {
        try database.writer.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT planId, COUNT(*) AS n FROM planAction WHERE doneAt IS NULL GROUP BY planId") {
                out[row["planId"]] = row["n"]
            }
            return out
        }
    }

    public func completeAction(planId: String, actionId: String, by: Actor, at: String) throws {
        try database.writer.write { db in
            guard let childId = try String.fetchOne(db, sql: "SELECT childId FROM plan WHERE id = ?", arguments: [planId]) else {
                throw StorageError.notFound(what: "plan", id: planId)
            }
            try db.execute(sql: "UPDATE planAction SET doneAt = ?, doneBy = ? WHERE id = ? AND planId = ? AND doneAt IS NULL",
                           arguments: [at, by.id, actionId, planId])
            guard db.changesCount == 1 else { throw StorageError.notFound(what: "open action", id: actionId) }
            try AuditLog.append(db, at: at, actor: by, action: "complete-action", entity: "plan", entityId: planId, childId: childId,
                                purpose: "mark a panel action done", detail: actionId)
        }
    }

    /// Records a recommendation (the chair) or a decision (the decision maker), with reasons, and moves the plan on:
    /// approve takes it to panel-recommended or approved (freezing an approved version); return takes it back to a
    /// draft with the given actions. Checks the plan is in the state the outcome needs, in the same transaction.
    @discardableResult
    public func record(planId: String, meetingId: String?, kind: String, outcome: String, reasons: String, actions: [String],
                       by: Actor, byName: String, store: PlanStore) throws -> PanelOutcome {
        let at = store.timestamp()
        let trimmed = reasons.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StorageError.invalid("Give the reasons for the \(kind): they are part of the record.") }
        guard outcome == "approve" || outcome == "return" else { throw StorageError.invalid("The outcome must be approve or return.") }
        let cleanActions = actions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if outcome == "return" && cleanActions.isEmpty {
            throw StorageError.invalid("A returned plan needs at least one action for the social worker.")
        }
        return try store.database.writer.write { db in
            var stored = try PlanStore.readPlan(db, planId)
            let expected = kind == "recommendation" ? PlanStatus.submitted : PlanStatus.panelRecommended
            guard stored.plan.status == expected else {
                throw StorageError.invalid("This plan is \(stored.plan.status.rawValue.replacingOccurrences(of: "_", with: " ")), so a \(kind) cannot be recorded now.")
            }
            let number = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM planVersion WHERE plan = ?", arguments: [planId]) ?? 0
            let id = "po-" + Token.make().prefix(12)
            try db.execute(sql: "INSERT INTO panelOutcome VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, planId, meetingId, number, kind, outcome, trimmed, by.id, byName, at])
            for text in cleanActions {
                try db.execute(sql: "INSERT INTO planAction (id, planId, outcomeId, text, raisedBy, raisedAt) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: ["act-" + Token.make().prefix(12), planId, id, text, byName, at])
            }
            var plan = stored.plan
            let today = CalendarDate(iso: String(at.prefix(10))) ?? plan.panelSubmission?.submittedOn
            if outcome == "return" {
                plan.status = .draft
            } else if kind == "recommendation" {
                plan.status = .panelRecommended
                plan.panelSubmission?.recommendation = trimmed
                let panelDate = plan.panelSubmission?.panelDate ?? today
                plan.panelSubmission?.panelDate = panelDate
            } else {
                plan.status = .admApproved
                plan.panelSubmission?.decision = trimmed
                plan.panelSubmission?.decisionOn = today
            }
            let revision = stored.revision + 1
            plan.version = revision
            try PlanStore.writeRows(db, plan, revision: revision, at: at, by: by.id)
            if plan.status == .admApproved {
                try PlanStore.insertVersion(db, plan: plan, revision: revision, reason: "approved", at: at, by: by.id)
            }
            try AuditLog.append(db, at: at, actor: by, action: kind, entity: "plan", entityId: planId, childId: plan.child.id,
                                purpose: "record the panel's \(kind)", detail: "\(outcome) v\(number) \(id)")
            stored = try PlanStore.readPlan(db, planId)
            return PanelOutcome(id: id, planId: planId, meetingId: meetingId, versionNumber: number, kind: kind, outcome: outcome,
                                reasons: trimmed, byUser: by.id, byName: byName, at: at)
        }
    }
}
