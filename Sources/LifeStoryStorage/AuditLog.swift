import Crypto
import Foundation
import GRDB

/// One line of the audit log: who, in what role, did what to which record, when and why.
public struct AuditEntry: Sendable, Equatable, FetchableRecord, TableRecord, Codable {
    public static let databaseTableName = "auditLog"
    public var seq: Int64
    public var at: String
    public var actor: String
    public var role: String
    public var action: String
    public var entity: String
    public var entityId: String
    public var childId: String?
    public var purpose: String
    public var detail: String
    public var prevHash: String
    public var hash: String

    public enum Columns {
        static let seq = Column(CodingKeys.seq)
        static let entity = Column(CodingKeys.entity)
        static let entityId = Column(CodingKeys.entityId)
    }

    /// The hash of an entry: SHA-256 over its fields and the hash of the entry before, so changing or removing
    /// any entry breaks every hash after it.
    static func hash(at: String, actor: String, role: String, action: String, entity: String, entityId: String,
                     childId: String?, purpose: String, detail: String, prevHash: String) -> String {
        let fields = [at, actor, role, action, entity, entityId, childId ?? "", purpose, detail, prevHash]
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return Hex.encode(digest)
    }
}

/// The append-only, hash-chained audit log. Only this type writes to `auditLog`.
public enum AuditLog {
    public static let genesis = String(repeating: "0", count: 64)

    /// Appends one entry inside the caller's transaction, chained to the last one.
    @discardableResult
    static func append(_ db: Database, at: String, actor: Actor, action: String, entity: String, entityId: String,
                       childId: String?, purpose: String, detail: String = "", after known: String? = nil) throws -> String {
        let prev = try known ?? String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM auditLog ORDER BY seq DESC LIMIT 1")) ?? genesis
        let hash = AuditEntry.hash(at: at, actor: actor.id, role: actor.role, action: action, entity: entity,
                                   entityId: entityId, childId: childId, purpose: purpose, detail: detail, prevHash: prev)
        try db.cachedStatement(sql: """
            INSERT INTO auditLog (at, actor, role, action, entity, entityId, childId, purpose, detail, prevHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [at, actor.id, actor.role, action, entity, entityId, childId, purpose, detail, prev, hash])
        return hash
    }

    public static func entries(_ db: AppDatabase, entity: String? = nil, entityId: String? = nil) throws -> [AuditEntry] {
        try db.writer.read { db in
            var request = AuditEntry.all().order(AuditEntry.Columns.seq)
            if let entity { request = request.filter(AuditEntry.Columns.entity == entity) }
            if let entityId { request = request.filter(AuditEntry.Columns.entityId == entityId) }
            return try request.fetchAll(db)
        }
    }

    /// An audit entry as the agency's admin reads it: with the actor's name and what the entry was about in words.
    public struct AgencyEntry: Sendable, FetchableRecord, Decodable {
        public var seq: Int64
        public var at: String
        public var actor: String
        public var actorName: String?
        public var role: String
        public var action: String
        public var entity: String
        public var entityId: String
        public var subject: String?
        public var purpose: String
        public var detail: String
    }

    /// Which entries the admin's audit page lists.
    public enum Filter: String, Sendable, CaseIterable {
        case all, security, records
    }

    /// The latest entries that belong to one agency, newest first: about its children and plans, by its users, or
    /// security events of its users. Another agency's entries are never returned.
    /// Security events with no account (a sign-in for an e-mail that is no one's, a refused form from someone
    /// signed out) belong to no agency; every agency's admin sees them, as they may be the start of an attack.
    public static func entries(_ db: AppDatabase, agencyId: String, filter: Filter = .all, limit: Int = 200, offset: Int = 0) throws -> [AgencyEntry] {
        let kind = switch filter {
        case .all: ""
        case .security: "AND a.entity = 'security'"
        case .records: "AND a.entity <> 'security'"
        }
        return try db.writer.read { db in
            try AgencyEntry.fetchAll(db, sql: """
                SELECT a.seq, a.at, a.actor, u.displayName AS actorName, a.role, a.action, a.entity, a.entityId, a.purpose, a.detail,
                  COALESCE((SELECT c.pseudonym FROM child c WHERE c.id = a.childId), (SELECT x.displayName FROM user x WHERE x.id = a.entityId)) AS subject
                FROM auditLog a LEFT JOIN user u ON u.id = a.actor
                WHERE (a.childId IN (SELECT childId FROM plan WHERE agencyId = :agency)
                    OR (a.entity = 'plan' AND a.entityId IN (SELECT id FROM plan WHERE agencyId = :agency))
                    OR a.actor IN (SELECT id FROM user WHERE agencyId = :agency)
                    OR (a.entity = 'security' AND a.entityId IN (SELECT id FROM user WHERE agencyId = :agency))
                    OR (a.entity = 'security' AND a.actor = 'anonymous')) \(kind)
                ORDER BY a.seq DESC LIMIT :limit OFFSET :offset
                """, arguments: ["agency": agencyId, "limit": limit, "offset": offset])
        }
    }

    /// The result of checking the chain.
    public struct Verification: Sendable, Equatable {
        public var entries: Int
        /// The first entry whose hash does not follow from its fields and its predecessor, with why.
        public var firstBroken: (seq: Int64, reason: String)?
        public static func == (a: Verification, b: Verification) -> Bool {
            a.entries == b.entries && a.firstBroken?.seq == b.firstBroken?.seq && a.firstBroken?.reason == b.firstBroken?.reason
        }
    }

    /// Walks the chain from the first entry. Stops at the first entry that is broken.
    public static func verify(_ db: AppDatabase) throws -> Verification {
        try db.writer.read { db in
            var prev = genesis
            var count = 0
            var lastSeq: Int64 = 0
            let cursor = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM auditLog ORDER BY seq")
            while let e = try cursor.next() {
                count += 1
                if e.seq != lastSeq + 1 {
                    return Verification(entries: count, firstBroken: (e.seq, "entries \(lastSeq + 1)...\(e.seq - 1) are missing"))
                }
                lastSeq = e.seq
                if e.prevHash != prev {
                    return Verification(entries: count, firstBroken: (e.seq, "it does not follow the entry before it"))
                }
                let expected = AuditEntry.hash(at: e.at, actor: e.actor, role: e.role, action: e.action, entity: e.entity,
                                               entityId: e.entityId, childId: e.childId, purpose: e.purpose,
                                               detail: e.detail, prevHash: e.prevHash)
                if expected != e.hash {
                    return Verification(entries: count, firstBroken: (e.seq, "its contents were changed after it was written"))
                }
                prev = e.hash
            }
            return Verification(entries: count, firstBroken: nil)
        }
    }
}
