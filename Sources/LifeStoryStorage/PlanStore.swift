import Crypto
import Foundation
import GRDB
import LifeStoryCore

/// A plan as stored: the plan, its revision (bumped by every saved change) and who saved it last.
public struct StoredPlan: Sendable, Equatable {
    public var plan: Plan
    public var revision: Int
    public var updatedAt: String
    public var updatedBy: String

    public init(plan: Plan, revision: Int, updatedAt: String, updatedBy: String) {
        self.plan = plan
        self.revision = revision
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// A frozen version: an immutable archive of the plan at submission, approval or publication.
public struct PlanVersionInfo: Sendable, Equatable, Codable, FetchableRecord {
    public var plan: String
    public var number: Int
    public var revision: Int
    public var reason: String
    public var frozenAt: String
    public var frozenBy: String
    public var sha256: String
}

public enum FreezeReason: String, Sendable, CaseIterable {
    case submitted, approved, published

    var status: PlanStatus {
        switch self {
        case .submitted: .submitted
        case .approved: .admApproved
        case .published: .active
        }
    }
}

/// The plan-level fields that live in `plan.meta`; everything else has its own table.
struct PlanMeta: Codable {
    var id: String
    var version: Int
    var status: PlanStatus
    var agency: Agency
    var views: Views
    var lifeStory: LifeStoryWork
    var delegatedAuthority: [DelegatedDecision]
    var siblingContactDecision: RecordedDecision?
    var panelSubmission: PanelSubmission?
    var redaction: RedactionProfile
}

/// The repository for plans. Every read and write of a child's record goes into the audit log in the same
/// transaction; every change names the revision it was based on.
public struct PlanStore: Sendable {
    public let database: AppDatabase
    let now: @Sendable () -> Date

    public init(_ database: AppDatabase, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    public func timestamp() -> String { now().formatted(Self.isoFormat) }

    /// UTC, with milliseconds: `2026-11-21T19:33:11.123Z`. A value type, so it is made once and shared.
    static let isoFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONDecoder().decode(type, from: Data(text.utf8)) }

    static func sha256(_ data: Data) -> String { Hex.sha256(data) }

    // MARK: writing a plan's rows

    static func writeRows(_ db: Database, _ plan: Plan, revision: Int, at: String, by: String) throws {
        let id = plan.id
        let meta = PlanMeta(id: plan.id, version: revision, status: plan.status, agency: plan.agency, views: plan.views,
                            lifeStory: plan.lifeStory, delegatedAuthority: plan.delegatedAuthority,
                            siblingContactDecision: plan.siblingContactDecision, panelSubmission: plan.panelSubmission,
                            redaction: plan.redaction)
        try db.execute(sql: "INSERT INTO agency (id, name) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
                       arguments: [plan.agency.id, plan.agency.name])
        let c = plan.child
        try db.execute(sql: """
            INSERT INTO child (id, agencyId, pseudonym, jurisdiction, dateOfBirth, legalStatus, data) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET agencyId = excluded.agencyId, pseudonym = excluded.pseudonym,
              jurisdiction = excluded.jurisdiction, dateOfBirth = excluded.dateOfBirth, legalStatus = excluded.legalStatus,
              data = excluded.data
            """, arguments: [c.id, plan.agency.id, c.pseudonym, c.jurisdiction.rawValue, c.dateOfBirth.iso, c.legalStatus.rawValue, try json(c)])
        try db.execute(sql: """
            INSERT INTO plan (id, childId, agencyId, status, revision, dayOne, updatedAt, updatedBy, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET childId = excluded.childId, agencyId = excluded.agencyId, status = excluded.status,
              revision = excluded.revision, dayOne = excluded.dayOne, updatedAt = excluded.updatedAt,
              updatedBy = excluded.updatedBy, meta = excluded.meta
            """, arguments: [id, c.id, plan.agency.id, plan.status.rawValue, revision, plan.dayOne?.iso, at, by, try json(meta)])
        for table in ["person", "placement", "legalOrder", "arrangement", "stage", "stageItem", "contingency",
                      "riskAssessment", "review", "signOff", "incident"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE plan = ?", arguments: [id])
        }
        for (i, p) in plan.people.enumerated() {
            try db.execute(sql: "INSERT INTO person VALUES (?, ?, ?, ?, ?)", arguments: [id, i, p.id, p.role.rawValue, try json(p)])
        }
        for (i, p) in plan.placements.enumerated() {
            try db.execute(sql: "INSERT INTO placement VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, p.id, p.kind.rawValue, p.startDate.iso, p.endDate?.iso, try json(p)])
        }
        for (i, o) in plan.orders.enumerated() {
            try db.execute(sql: "INSERT INTO legalOrder VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, o.id, o.type.rawValue, o.jurisdiction.rawValue, o.madeOn.iso, o.expiresOn?.iso, o.inForce, try json(o)])
        }
        for (i, a) in plan.arrangements.enumerated() {
            try db.execute(sql: "INSERT INTO arrangement VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, a.id, a.counterpart, a.mode.rawValue, a.status.rawValue, a.start.iso, try json(a)])
        }
        var itemPosition = 0
        for (i, s) in plan.stages.enumerated() {
            try db.execute(sql: "INSERT INTO stage VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, s.code.rawValue, s.status.rawValue, s.lastReviewedOn?.iso, s.reviewBy?.iso])
            for item in s.items {
                try insertItem(db, plan: id, position: itemPosition, stage: s.code, item)
                itemPosition += 1
            }
        }
        for (i, k) in plan.contingencies.enumerated() {
            try db.execute(sql: "INSERT INTO contingency VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, k.id, k.scenario.rawValue, k.applicable, k.severity.rawValue, try json(k)])
        }
        for (i, r) in plan.riskAssessments.enumerated() {
            try db.execute(sql: "INSERT INTO riskAssessment VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, r.id, r.assessedOn.iso, r.level.rawValue, try json(r)])
        }
        for (i, r) in plan.reviews.enumerated() {
            try db.execute(sql: "INSERT INTO review VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, r.id, r.kind.rawValue, r.dueOn.iso, r.heldOn?.iso, try json(r)])
        }
        for (i, s) in plan.signOffs.enumerated() {
            try db.execute(sql: "INSERT INTO signOff VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, s.role.rawValue, s.name, s.signedOn.iso, try json(s)])
        }
        for (i, inc) in plan.incidents.enumerated() {
            try db.execute(sql: "INSERT INTO incident VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, i, inc.id, inc.occurredOn.iso, inc.scenario.rawValue, inc.severity.rawValue, try json(inc)])
        }
        try refreshCaseload(db, planID: id)
    }

    static func insertItem(_ db: Database, plan: String, position: Int, stage: StageCode, _ item: StageItem) throws {
        try db.execute(sql: "INSERT INTO stageItem VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [plan, position, item.id, stage.rawValue, item.status.rawValue, item.targetDate?.iso,
                                   item.doneOn?.iso, item.notes, item.skippedReason, try json(item)])
    }

    // MARK: reading a plan's rows

    static func readPlan(_ db: Database, _ id: String) throws -> StoredPlan {
        guard let row = try Row.fetchOne(db, sql: "SELECT p.revision, p.updatedAt, p.updatedBy, p.meta, c.data AS child FROM plan p JOIN child c ON c.id = p.childId WHERE p.id = ?", arguments: [id]) else {
            throw StorageError.notFound(what: "plan", id: id)
        }
        let meta = try decode(PlanMeta.self, row["meta"])
        let child = try decode(Child.self, row["child"])
        func all<T: Decodable>(_ table: String, _ type: T.Type) throws -> [T] {
            try String.fetchAll(db, sql: "SELECT data FROM \(table) WHERE plan = ? ORDER BY position", arguments: [id])
                .map { try decode(T.self, $0) }
        }
        var stages: [PlannedStage] = []
        for s in try Row.fetchAll(db, sql: "SELECT code, status, lastReviewedOn, reviewBy FROM stage WHERE plan = ? ORDER BY position", arguments: [id]) {
            guard let code = StageCode(rawValue: s["code"]), let status = StageStatus(rawValue: s["status"]) else {
                throw StorageError.invalid("plan \(id) has a stage the model does not know")
            }
            stages.append(PlannedStage(code: code, status: status,
                                       lastReviewedOn: (s["lastReviewedOn"] as String?).flatMap(CalendarDate.init(iso:)),
                                       reviewBy: (s["reviewBy"] as String?).flatMap(CalendarDate.init(iso:))))
        }
        for r in try Row.fetchAll(db, sql: "SELECT stage, data FROM stageItem WHERE plan = ? ORDER BY position", arguments: [id]) {
            let code: String = r["stage"]
            if let i = stages.firstIndex(where: { $0.code.rawValue == code }) {
                stages[i].items.append(try decode(StageItem.self, r["data"]))
            }
        }
        let plan = Plan(
            id: meta.id, version: meta.version, status: meta.status, agency: meta.agency, child: child,
            people: try all("person", Person.self), placements: try all("placement", Placement.self),
            orders: try all("legalOrder", LegalOrder.self), arrangements: try all("arrangement", ContactArrangement.self),
            stages: stages, contingencies: try all("contingency", Contingency.self),
            riskAssessments: try all("riskAssessment", RiskAssessment.self), reviews: try all("review", Review.self),
            signOffs: try all("signOff", SignOff.self), incidents: try all("incident", Incident.self),
            views: meta.views, lifeStory: meta.lifeStory, delegatedAuthority: meta.delegatedAuthority,
            siblingContactDecision: meta.siblingContactDecision, panelSubmission: meta.panelSubmission,
            redaction: meta.redaction)
        return StoredPlan(plan: plan, revision: row["revision"], updatedAt: row["updatedAt"], updatedBy: row["updatedBy"])
    }

    /// Ids must be unique (rule P2) before anything is stored: each row is found by its id.
    static func checkIdentity(_ plan: Plan) throws {
        let context = RuleContext(plan: plan, law: LawBook(edition: "", jurisdictions: [], platforms: []),
                                  asOf: CalendarDate(dayNumber: 0))
        let duplicates = P2UniqueIds.check(context)
        if !duplicates.isEmpty {
            throw StorageError.invalid("Plan \(plan.id) cannot be saved: " + duplicates.map { "\($0.path): \($0.message)" }.joined(separator: "; ") + " Nothing was saved.")
        }
    }

    // MARK: the repository's operations

    /// Adds a plan from an archive. Refuses a plan id that exists: nothing saved is ever overwritten.
    @discardableResult
    public func importPlan(_ plan: Plan, actor: Actor, purpose: String = "import") throws -> StoredPlan {
        try Self.checkIdentity(plan)
        let at = timestamp()
        return try database.writer.write { db in
            try Self.insertImported(db, plan, actor: actor, purpose: purpose, at: at)
            return try Self.readPlan(db, plan.id)
        }
    }

    /// Writes an imported plan in the caller's transaction: refused if the plan or the child is already here.
    static func insertImported(_ db: Database, _ plan: Plan, actor: Actor, purpose: String, at: String) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM plan WHERE id = ?", arguments: [plan.id]) == true {
            throw StorageError.alreadyExists(what: "plan", id: plan.id)
        }
        if let other = try String.fetchOne(db, sql: "SELECT id FROM plan WHERE childId = ?", arguments: [plan.child.id]) {
            throw StorageError.invalid("Child '\(plan.child.id)' already has a plan ('\(other)'); a child has one plan. Nothing was imported.")
        }
        try writeRows(db, plan, revision: plan.version, at: at, by: actor.id)
        try AuditLog.append(db, at: at, actor: actor, action: "import", entity: "plan", entityId: plan.id,
                            childId: plan.child.id, purpose: purpose, detail: "r\(plan.version)")
        if plan.status != .draft {
            // A plan that arrives already submitted or approved keeps that state as a frozen version.
            try insertVersion(db, plan: plan, revision: plan.version, reason: "imported", at: at, by: actor.id)
        }
    }

    /// Reads a plan, and records who read it and why.
    public func load(_ id: String, actor: Actor, purpose: String) throws -> StoredPlan {
        let at = timestamp()
        return try database.writer.write { db in
            let stored = try Self.readPlan(db, id)
            try AuditLog.append(db, at: at, actor: actor, action: "read", entity: "plan", entityId: id,
                                childId: stored.plan.child.id, purpose: purpose, detail: "r\(stored.revision)")
            return stored
        }
    }

    /// Changes a plan. `basedOn` is the revision the user started from: if anyone saved since, nothing is written
    /// and the conflict says who changed what. A change to a submitted, approved or active plan starts a new draft
    /// (its frozen versions stay as they were).
    @discardableResult
    public func update(_ id: String, basedOn: Int, actor: Actor, purpose: String = "edit",
                       _ change: (inout Plan) throws -> Void) throws -> StoredPlan {
        let at = timestamp()
        return try database.writer.write { db in
            let stored = try Self.readPlan(db, id)
            guard stored.revision == basedOn else {
                throw try Self.conflict(db, id: id, basedOn: basedOn, current: stored.revision)
            }
            var plan = stored.plan
            try change(&plan)
            guard plan.id == id, plan.child.id == stored.plan.child.id else {
                throw StorageError.invalid("A plan's id and its child cannot be changed by an edit. Nothing was saved.")
            }
            try Self.checkIdentity(plan)
            let changes = PlanDiff.between(stored.plan, plan)
            if changes.isEmpty { return stored }
            if plan.status == stored.plan.status && plan.status != .draft { plan.status = .draft }
            let revision = stored.revision + 1
            plan.version = revision
            try Self.writeRows(db, plan, revision: revision, at: at, by: actor.id)
            try AuditLog.append(db, at: at, actor: actor, action: "update", entity: "plan", entityId: id,
                                childId: plan.child.id, purpose: purpose,
                                detail: "r\(revision): " + changes.prefix(20).map(\.path).joined(separator: ", "))
            return try Self.readPlan(db, id)
        }
    }

    /// Records what happened to one stage item: the commonest write, kept to a single row.
    @discardableResult
    public func updateStageItem(planID: String, itemID: String, basedOn: Int, status: ItemStatus, doneOn: CalendarDate?,
                                notes: String?, skippedReason: String?, actor: Actor) throws -> Int {
        let at = timestamp()
        return try database.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT p.revision, p.childId, p.status, s.data FROM plan p LEFT JOIN stageItem s ON s.plan = p.id AND s.id = ? WHERE p.id = ?", arguments: [itemID, planID]) else {
                throw StorageError.notFound(what: "plan", id: planID)
            }
            let current: Int = row["revision"]
            guard current == basedOn else { throw try Self.conflict(db, id: planID, basedOn: basedOn, current: current) }
            guard let data = row["data"] as String? else { throw StorageError.notFound(what: "stage item", id: itemID) }
            if status == .skipped && (skippedReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw StorageError.invalid("Say why '\(itemID)' was skipped. Nothing was saved.")
            }
            if status == .done && doneOn == nil {
                throw StorageError.invalid("Say when '\(itemID)' was done. Nothing was saved.")
            }
            var item = try Self.decode(StageItem.self, data)
            item.status = status
            item.doneOn = status == .done ? doneOn : nil
            item.notes = notes
            item.skippedReason = status == .skipped ? skippedReason : nil
            let revision = current + 1
            try db.execute(sql: "UPDATE stageItem SET status = ?, doneOn = ?, notes = ?, skippedReason = ?, data = ? WHERE plan = ? AND id = ?",
                           arguments: [status.rawValue, item.doneOn?.iso, item.notes, item.skippedReason, try Self.json(item), planID, itemID])
            try Self.refreshCaseload(db, planID: planID)
            var meta = try Self.decode(PlanMeta.self, try String.fetchOne(db, sql: "SELECT meta FROM plan WHERE id = ?", arguments: [planID]) ?? "{}")
            meta.version = revision
            if meta.status != .draft { meta.status = .draft }
            try db.execute(sql: "UPDATE plan SET revision = ?, status = ?, updatedAt = ?, updatedBy = ?, meta = ? WHERE id = ?",
                           arguments: [revision, meta.status.rawValue, at, actor.id, try Self.json(meta), planID])
            try AuditLog.append(db, at: at, actor: actor, action: "update-stage-item", entity: "plan", entityId: planID,
                                childId: row["childId"], purpose: "record a conversation", detail: "r\(revision): stage item \(itemID) \(status.rawValue)")
            return revision
        }
    }

    static func conflict(_ db: Database, id: String, basedOn: Int, current: Int) throws -> StorageError {
        let rows = try Row.fetchAll(db, sql: """
            SELECT at, actor, role, action, detail FROM auditLog
            WHERE entity = 'plan' AND entityId = ? AND action IN ('update', 'update-stage-item', 'freeze') ORDER BY seq
            """, arguments: [id])
        let since = rows.compactMap { r -> String? in
            let detail: String = r["detail"]
            guard detail.hasPrefix("r"), let n = Int(detail.dropFirst().prefix { $0.isNumber }), n > basedOn else { return nil }
            let what = detail.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
            return "\(r["actor"] as String) (\(r["role"] as String)) at \(r["at"] as String): \(what.isEmpty ? r["action"] as String : what)"
        }
        return .conflict(planID: id, basedOn: basedOn, current: current, changes: since)
    }

    static func insertVersion(_ db: Database, plan: Plan, revision: Int, reason: String, at: String, by: String) throws {
        let archive = try PlanArchive(plan: plan).encoded()
        let number = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM planVersion WHERE plan = ?", arguments: [plan.id]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO planVersion VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [plan.id, number, revision, reason, at, by, sha256(archive), String(decoding: archive, as: UTF8.self)])
    }

    /// Freezes the plan as it is now: submitting, approving or publishing it.
    @discardableResult
    public func freeze(_ id: String, basedOn: Int, reason: FreezeReason, actor: Actor) throws -> PlanVersionInfo {
        let at = timestamp()
        return try database.writer.write { db in
            let stored = try Self.readPlan(db, id)
            guard stored.revision == basedOn else { throw try Self.conflict(db, id: id, basedOn: basedOn, current: stored.revision) }
            let allowed: [FreezeReason: [PlanStatus]] = [
                .submitted: [.draft], .approved: [.submitted, .panelRecommended], .published: [.admApproved],
            ]
            guard allowed[reason]!.contains(stored.plan.status) else {
                throw StorageError.frozen("A plan that is \(stored.plan.status.rawValue.replacingOccurrences(of: "_", with: " ")) cannot be \(reason.rawValue). Nothing was changed.")
            }
            var plan = stored.plan
            plan.status = reason.status
            let revision = stored.revision + 1
            plan.version = revision
            try Self.writeRows(db, plan, revision: revision, at: at, by: actor.id)
            try Self.insertVersion(db, plan: plan, revision: revision, reason: reason.rawValue, at: at, by: actor.id)
            try AuditLog.append(db, at: at, actor: actor, action: "freeze", entity: "plan", entityId: id,
                                childId: plan.child.id, purpose: reason.rawValue, detail: "r\(revision): \(reason.rawValue)")
            return try PlanVersionInfo.fetchOne(db, sql: "SELECT plan, number, revision, reason, frozenAt, frozenBy, sha256 FROM planVersion WHERE plan = ? ORDER BY number DESC LIMIT 1", arguments: [id])!
        }
    }

    public func versions(_ id: String) throws -> [PlanVersionInfo] {
        try database.writer.read { db in
            try PlanVersionInfo.fetchAll(db, sql: "SELECT plan, number, revision, reason, frozenAt, frozenBy, sha256 FROM planVersion WHERE plan = ? ORDER BY number", arguments: [id])
        }
    }

    /// A frozen version's plan, read back from its archive (audited).
    public func version(_ id: String, number: Int, actor: Actor, purpose: String = "read a frozen version") throws -> Plan {
        let at = timestamp()
        return try database.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT archive, sha256 FROM planVersion WHERE plan = ? AND number = ?", arguments: [id, number]) else {
                throw StorageError.notFound(what: "version", id: "\(id) v\(number)")
            }
            let archive: String = row["archive"]
            guard Self.sha256(Data(archive.utf8)) == row["sha256"] else {
                throw StorageError.invalid("Version \(number) of plan \(id) does not match its recorded hash: it has been altered.")
            }
            let plan = try PlanArchive.decode(Data(archive.utf8)).plan
            try AuditLog.append(db, at: at, actor: actor, action: "read-version", entity: "plan", entityId: id,
                                childId: plan.child.id, purpose: purpose, detail: "v\(number)")
            return plan
        }
    }

    /// What changed between two frozen versions, or between a version and the current draft (`to` nil).
    public func diff(_ id: String, from: Int, to: Int?, actor: Actor) throws -> [PlanChange] {
        let old = try version(id, number: from, actor: actor, purpose: "compare versions")
        let new = try to.map { try version(id, number: $0, actor: actor, purpose: "compare versions") }
            ?? load(id, actor: actor, purpose: "compare versions").plan
        return PlanDiff.between(old, new)
    }

    /// The agencies that have plans in this database.
    public func agencyIDs() throws -> [String] {
        try database.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT agencyId FROM plan ORDER BY agencyId") }
    }

    public func planIDs() throws -> [String] {
        try database.writer.read { db in try String.fetchAll(db, sql: "SELECT id FROM plan ORDER BY id") }
    }

    /// A guide that was issued: which audience, plan revision, guidance edition and file hash, who and when.
    public struct IssuedGuide: Sendable, Equatable, Codable, FetchableRecord {
        public var id: String
        public var plan: String
        public var planRevision: Int
        public var audience: String
        public var contentEdition: String
        public var format: String
        public var sha256: String
        public var issuedAt: String
        public var issuedBy: String
    }

    /// Records an issued guide, and audits it, in one transaction.
    public func recordIssuedGuide(planID: String, revision: Int, audience: String, contentEdition: String, format: String,
                                  sha256: String, actor: Actor) throws {
        let at = timestamp()
        try database.writer.write { db in
            guard let childId = try String.fetchOne(db, sql: "SELECT childId FROM plan WHERE id = ?", arguments: [planID]) else {
                throw StorageError.notFound(what: "plan", id: planID)
            }
            let id = "\(planID)/\(audience)/\(format)/\(sha256.prefix(16))/\(at)"
            try db.execute(sql: "INSERT INTO issuedGuide VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, planID, revision, audience, contentEdition, format, sha256, at, actor.id])
            try AuditLog.append(db, at: at, actor: actor, action: "issue-guide", entity: "plan", entityId: planID, childId: childId,
                                purpose: "issue the \(audience) guide", detail: "r\(revision) \(format) sha256 \(sha256) content \(contentEdition)")
        }
    }

    public func issuedGuides(_ planID: String) throws -> [IssuedGuide] {
        try database.writer.read { db in
            try IssuedGuide.fetchAll(db, sql: "SELECT * FROM issuedGuide WHERE plan = ? ORDER BY issuedAt, id", arguments: [planID])
        }
    }

    /// The latest approved or published frozen version, for "what changed since".
    public func lastApproved(_ id: String, actor: Actor) throws -> Plan? {
        guard let v = try versions(id).last(where: { ["approved", "published"].contains($0.reason) || ($0.reason == "imported") }) else { return nil }
        let plan = try version(id, number: v.number, actor: actor, purpose: "compare with the last approved version")
        return [.admApproved, .active].contains(plan.status) ? plan : nil
    }

    /// The plan as a canonical archive (audited as a read).
    public func export(_ id: String, actor: Actor, purpose: String = "export") throws -> Data {
        try PlanArchive(plan: load(id, actor: actor, purpose: purpose).plan).encoded()
    }
}
