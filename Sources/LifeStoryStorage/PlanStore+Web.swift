import Crypto
import Foundation
import GRDB
import LifeStoryCore

// What the web app asks of plans: caseloads, counts, audited views, released versions, new plans.

extension PlanStore {
    public static func iso(_ seconds: Double) -> String { Date(timeIntervalSince1970: seconds).formatted(isoFormat) }

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
