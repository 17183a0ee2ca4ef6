import Foundation
import GRDB
import LifeStoryCore

/// The agency's duty lines (its daytime adoption support line and its out-of-hours team): entered once, then offered
/// to every new plan as the responders on its cards.
public struct DutyLineStore: Sendable {
    public struct Line: Sendable, Equatable {
        public var name: String
        public var phone: String
        public init(name: String, phone: String) {
            self.name = name
            self.phone = phone
        }
    }

    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func lines(agencyID: String) throws -> (day: Line?, outOfHours: Line?) {
        try database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT kind, name, phone FROM agencyDutyLine WHERE agencyId = ?", arguments: [agencyID])
            func line(_ kind: String) -> Line? {
                rows.first { ($0["kind"] as String) == kind }.map { Line(name: $0["name"], phone: $0["phone"]) }
            }
            return (line("day"), line("out-of-hours"))
        }
    }

    /// Records both lines for the agency, audited with who changed them.
    public func set(agencyID: String, day: Line, outOfHours: Line, actor: Actor, at: String) throws {
        try database.writer.write { db in
            for (kind, line) in [("day", day), ("out-of-hours", outOfHours)] {
                try db.execute(sql: """
                    INSERT INTO agencyDutyLine (agencyId, kind, name, phone, updatedAt, updatedBy) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (agencyId, kind) DO UPDATE SET name = excluded.name, phone = excluded.phone,
                        updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                    """, arguments: [agencyID, kind, line.name, line.phone, at, actor.id])
            }
            try AuditLog.append(db, at: at, actor: actor, action: "set-duty-lines", entity: "agency", entityId: agencyID, childId: nil,
                                purpose: "record the agency's duty lines for new plans", detail: "")
        }
    }
}
