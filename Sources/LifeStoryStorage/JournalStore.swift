import Crypto
import Foundation
import GRDB
import LifeStoryCore

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

}
