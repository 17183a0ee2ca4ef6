import Foundation
import GRDB
import LifeStoryCore

/// Which sections of a plan its social worker has marked completed ("Have you completed this section?"), so the task
/// list says "Completed" only when a person has said so, never because a section happens to have no findings.
public struct SectionProgressStore: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func completed(planID: String) throws -> Set<String> {
        try database.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT section FROM sectionProgress WHERE plan = ?", arguments: [planID]))
        }
    }

    /// Marks a section completed, or not yet; audited as a change to the child's record.
    public func mark(planID: String, section: String, completed: Bool, actor: Actor, at: String) throws {
        try database.writer.write { db in
            guard let childId = try String.fetchOne(db, sql: "SELECT childId FROM plan WHERE id = ?", arguments: [planID]) else {
                throw StorageError.notFound(what: "plan", id: planID)
            }
            if completed {
                try db.execute(sql: "INSERT OR REPLACE INTO sectionProgress (plan, section, completedAt, completedBy) VALUES (?, ?, ?, ?)",
                               arguments: [planID, section, at, actor.id])
            } else {
                try db.execute(sql: "DELETE FROM sectionProgress WHERE plan = ? AND section = ?", arguments: [planID, section])
            }
            try AuditLog.append(db, at: at, actor: actor, action: "mark-section", entity: "plan", entityId: planID, childId: childId,
                                purpose: completed ? "mark a section of the plan completed" : "mark a section of the plan not completed yet",
                                detail: section)
        }
    }
}
