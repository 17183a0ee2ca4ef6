import Foundation
import GRDB
import LifeStoryCore

/// What the staff side keeps: that someone completed their digital-footprint check (when, never their answers);
/// the records of staff being targeted online (seen only by the worker, their team manager and the admin, every
/// view audited); and supervision notes on a child's record (the social worker and team manager only).
public struct StaffStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    static let v6 = """
    CREATE TABLE footprintCheck (
        userId TEXT NOT NULL REFERENCES user(id),
        completedAt TEXT NOT NULL
    );
    CREATE INDEX footprintCheck_user ON footprintCheck(userId, completedAt);
    CREATE TABLE staffIncident (
        id TEXT PRIMARY KEY NOT NULL,
        userId TEXT NOT NULL REFERENCES user(id),
        agencyId TEXT NOT NULL REFERENCES agency(id),
        happenedOn TEXT NOT NULL,
        platform TEXT NOT NULL,
        what TEXT NOT NULL,
        toldManager INTEGER NOT NULL,
        reported INTEGER NOT NULL,
        police INTEGER NOT NULL,
        createdAt TEXT NOT NULL
    );
    CREATE INDEX staffIncident_user ON staffIncident(userId);
    CREATE TABLE supervisionNote (
        id TEXT PRIMARY KEY NOT NULL,
        childId TEXT NOT NULL REFERENCES child(id),
        heldOn TEXT NOT NULL,
        attendees TEXT NOT NULL,
        agreed TEXT NOT NULL,
        createdBy TEXT NOT NULL REFERENCES user(id),
        createdAt TEXT NOT NULL
    );
    CREATE INDEX supervisionNote_child ON supervisionNote(childId, heldOn);
    CREATE TRIGGER staffIncident_no_delete BEFORE DELETE ON staffIncident BEGIN SELECT RAISE(ABORT, 'staff incident records are kept'); END;
    CREATE TRIGGER supervisionNote_no_delete BEFORE DELETE ON supervisionNote BEGIN SELECT RAISE(ABORT, 'supervision notes are kept'); END;
    """

    // MARK: the footprint check

    public func completeFootprintCheck(userId: String, role: String, now: Double) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO footprintCheck (userId, completedAt) VALUES (?, ?)", arguments: [userId, PlanStore.iso(now)])
            try AuditLog.append(db, at: PlanStore.iso(now), actor: Actor(id: userId, role: role), action: "footprint-check", entity: "staff",
                                entityId: userId, childId: nil, purpose: "completed the personal digital-footprint check (answers are not kept)")
        }
    }

    /// When the user last completed the check.
    public func lastFootprintCheck(userId: String) throws -> String? {
        try database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT MAX(completedAt) FROM footprintCheck WHERE userId = ?", arguments: [userId])
        }
    }

    // MARK: staff targeted online

    public struct Incident: Sendable, Equatable, Codable, FetchableRecord {
        public var id: String
        public var userId: String
        public var agencyId: String
        public var happenedOn: String
        public var platform: String
        public var what: String
        public var toldManager: Bool
        public var reported: Bool
        public var police: Bool
        public var createdAt: String
        /// The worker's name, joined in lists.
        public var workerName: String?

        public init(id: String, userId: String, agencyId: String, happenedOn: String, platform: String, what: String,
                    toldManager: Bool, reported: Bool, police: Bool, createdAt: String) {
            self.id = id
            self.userId = userId
            self.agencyId = agencyId
            self.happenedOn = happenedOn
            self.platform = platform
            self.what = what
            self.toldManager = toldManager
            self.reported = reported
            self.police = police
            self.createdAt = createdAt
        }
    }

    public func addIncident(_ i: Incident, by: Actor) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO staffIncident (id, userId, agencyId, happenedOn, platform, what, toldManager, reported, police, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [i.id, i.userId, i.agencyId, i.happenedOn, i.platform, i.what, i.toldManager, i.reported, i.police, i.createdAt])
            try AuditLog.append(db, at: i.createdAt, actor: by, action: "staff-incident", entity: "staff", entityId: i.id, childId: nil,
                                purpose: "recorded being targeted online")
        }
    }

    /// Which records a user may see: their own; a team manager's team's; the admin's agency's. One rule for the
    /// list and for a single record.
    static func visibility(_ user: UserRecord) -> (sql: String, arguments: StatementArguments) {
        switch user.role {
        case "admin": ("i.agencyId = ?", [user.agencyId])
        case "team_manager": ("(i.userId = ? OR u.teamId = ?)", [user.id, user.teamId ?? "-"])
        default: ("i.userId = ?", [user.id])
        }
    }

    /// The records a user may see, newest first.
    public func incidents(visibleTo user: UserRecord) throws -> [Incident] {
        let (condition, arguments) = Self.visibility(user)
        return try database.writer.read { db in
            try Incident.fetchAll(db, sql: """
                SELECT i.*, u.displayName AS workerName FROM staffIncident i JOIN user u ON u.id = i.userId
                WHERE \(condition) AND u.agencyId = ? ORDER BY i.createdAt DESC
                """, arguments: arguments + [user.agencyId])
        }
    }

    /// One record, if `user` may see it; the view is audited in the same transaction.
    public func incident(id: String, for user: UserRecord, now: Double) throws -> Incident? {
        let (condition, arguments) = Self.visibility(user)
        return try database.writer.write { db in
            guard let found = try Incident.fetchOne(db, sql: """
                SELECT i.*, u.displayName AS workerName FROM staffIncident i JOIN user u ON u.id = i.userId
                WHERE i.id = ? AND \(condition) AND u.agencyId = ?
                """, arguments: [id] + arguments + [user.agencyId]) else { return nil }
            try AuditLog.append(db, at: PlanStore.iso(now), actor: Actor(id: user.id, role: user.role), action: "read-staff-incident",
                                entity: "staff", entityId: id, childId: nil, purpose: "read a record of a member of staff targeted online")
            return found
        }
    }

    // MARK: supervision notes

    public struct SupervisionNote: Sendable, Equatable, Codable, FetchableRecord {
        public var id: String
        public var childId: String
        public var heldOn: String
        public var attendees: String
        public var agreed: String
        public var createdBy: String
        public var createdAt: String
        public var authorName: String?

        public init(id: String, childId: String, heldOn: String, attendees: String, agreed: String, createdBy: String, createdAt: String) {
            self.id = id
            self.childId = childId
            self.heldOn = heldOn
            self.attendees = attendees
            self.agreed = agreed
            self.createdBy = createdBy
            self.createdAt = createdAt
        }
    }

    public func addSupervisionNote(_ n: SupervisionNote, by: Actor) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO supervisionNote (id, childId, heldOn, attendees, agreed, createdBy, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [n.id, n.childId, n.heldOn, n.attendees, n.agreed, n.createdBy, n.createdAt])
            try AuditLog.append(db, at: n.createdAt, actor: by, action: "supervision-note", entity: "child", entityId: n.childId, childId: n.childId,
                                purpose: "recorded supervision about social media for the child")
        }
    }

    public func supervisionNotes(childId: String, reader: Actor, now: Double) throws -> [SupervisionNote] {
        try database.writer.write { db in
            try AuditLog.append(db, at: PlanStore.iso(now), actor: reader, action: "read-supervision", entity: "child", entityId: childId, childId: childId,
                                purpose: "read supervision notes about the child")
            return try SupervisionNote.fetchAll(db, sql: """
                SELECT n.*, u.displayName AS authorName FROM supervisionNote n JOIN user u ON u.id = n.createdBy
                WHERE n.childId = ? ORDER BY n.heldOn DESC, n.createdAt DESC
                """, arguments: [childId])
        }
    }
}
