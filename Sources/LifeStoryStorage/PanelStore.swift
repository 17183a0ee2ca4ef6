import Crypto
import Foundation
import GRDB
import LifeStoryCore

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
