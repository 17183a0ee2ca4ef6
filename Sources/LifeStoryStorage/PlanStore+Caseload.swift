import Foundation
import GRDB
import LifeStoryCore

// The caseload: which children a member of staff may see, and a page of them at a time, overdue work first.
//
// Each plan keeps three columns for it, written in the same transaction as the plan's rows (`refreshCaseload`):
// the next review not yet held, the earliest date anything is due (a review not held or a planned stage item), and
// the child's name. The caseload is ordered on them alone, so one index (`plan_caseload`) gives every page in order
// and holds every column of the plan the page shows (a plan's row is long, its JSON before these columns, and
// reading past it cost more than the rest of the query):
// work whose date has passed comes first, the longest waiting at the top, then what is due soonest, then children
// with nothing dated, by name. A page reads its own rows and counts overdue work, journal entries, open actions and
// incidents for those rows only.

/// Whose children a member of staff sees: the one definition the caseload, the plan pages and the panel's
/// meetings page all use.
public enum StaffScope: Sendable, Hashable {
    /// A social worker: the children assigned to them.
    case assigned(userId: String, agencyId: String)
    /// A team manager: the children of the team's social workers.
    case team(teamId: String, agencyId: String)
    /// An admin: every child of the agency.
    case agency(String)
    /// Nobody's children (a role with no caseload, or a manager with no team).
    case none
    /// Every plan in the database, for the command line run by the database's owner.
    case everything

    /// The condition on `plan p`, and its arguments.
    ///
    /// A unary `+` stops SQLite using an index for that term: without it, and without statistics (nobody runs
    /// ANALYZE), SQLite tried each of a team's social workers for every child of the agency (76 ms for 10,000
    /// children, against 8 ms when each child is checked by its own assignments).
    var filter: (sql: String, arguments: [String: (any DatabaseValueConvertible)?]) {
        switch self {
        case let .assigned(userId, agencyId):
            ("p.agencyId = :agency AND p.childId IN (SELECT childId FROM assignment WHERE userId = :user)",
             ["agency": agencyId, "user": userId])
        case let .team(teamId, agencyId):
            ("""
             p.agencyId = :agency AND EXISTS (SELECT 1 FROM assignment a JOIN user u ON u.id = a.userId
               WHERE a.childId = p.childId AND +u.teamId = :team AND +u.role = 'social_worker')
             """, ["agency": agencyId, "team": teamId])
        case let .agency(agencyId): ("p.agencyId = :agency", ["agency": agencyId])
        case .none: ("0", [:])
        case .everything: ("1", [:])
        }
    }

    /// The scope's arguments with a query's own.
    func arguments(_ more: [String: (any DatabaseValueConvertible)?] = [:]) -> StatementArguments {
        StatementArguments(filter.arguments.merging(more) { $1 })
    }

    /// The index a caseload of this scope is read by (the two hold every column of the plan a page shows, so a
    /// page never reads a plan's long row). A social worker's children are found from their assignments and the
    /// few hundred sorted; a team's and an agency's are read in the index's order. Named, because SQLite prefers
    /// the plan's unique index on `childId`, which would make it read every row.
    var index: String {
        switch self {
        case .assigned: "INDEXED BY plan_child_caseload"
        case .team, .agency: "INDEXED BY plan_caseload"
        case .none, .everything: ""
        }
    }
}

/// One row of a caseload: the child, the plan's state, and what needs attention.
public struct CaseloadRow: Sendable, Equatable, Codable, FetchableRecord {
    public var planId: String
    public var childId: String
    public var pseudonym: String
    public var jurisdiction: String
    public var status: String
    public var revision: Int
    public var dayOne: String?
    /// The next review not yet held.
    public var nextReview: String?
    /// The earliest date anything is due: a review not held, or a planned stage item.
    public var dueNext: String?
    public var overdueItems: Int
    public var overdueReviews: Int
    /// Journal entries since the page's `journalSince`.
    public var recentJournal: Int
    /// Panel actions not yet done.
    public var openActions: Int
    /// Incidents since the page's `incidentsSince`.
    public var recentIncidents: Int
}

extension CaseloadRow {
    /// Read by column position, in the order `caseloadSQL` selects (a page decodes 50 of these per request).
    public init(row: Row) throws {
        planId = row[0]
        childId = row[1]
        pseudonym = row[2]
        jurisdiction = row[3]
        status = row[4]
        revision = row[5]
        dayOne = row[6]
        nextReview = row[7]
        dueNext = row[8]
        overdueItems = row[9]
        overdueReviews = row[10]
        recentJournal = row[11]
        openActions = row[12]
        recentIncidents = row[13]
    }
}

/// One page of a caseload, and how many children the whole caseload has.
public struct CaseloadPage: Sendable, Equatable {
    public var rows: [CaseloadRow]
    public var total: Int
}

extension PlanStore {
    static let v7 = """
    ALTER TABLE plan ADD COLUMN nextReview TEXT;
    ALTER TABLE plan ADD COLUMN dueNext TEXT;
    ALTER TABLE plan ADD COLUMN sortName TEXT NOT NULL DEFAULT '';
    \(caseloadColumns);
    CREATE INDEX plan_caseload ON plan(agencyId, dueNext IS NULL, dueNext, sortName, id, childId, status, revision, dayOne, nextReview);
    CREATE INDEX plan_child_caseload ON plan(childId, agencyId, dueNext, sortName, id, status, revision, dayOne, nextReview);
    -- What a page counts for its rows, each from an index alone: the rows themselves carry their JSON, and reading
    -- them for 50 plans a page overflowed SQLite's page cache into a system call a page.
    CREATE INDEX stageItem_due ON stageItem(plan, status, targetDate);
    CREATE INDEX review_due ON review(plan, heldOn, dueOn);
    CREATE INDEX incident_occurred ON incident(plan, occurredOn);
    CREATE INDEX planAction_open ON planAction(planId, doneAt);
    CREATE INDEX child_caseload ON child(id, pseudonym, jurisdiction);
    CREATE INDEX user_team ON user(teamId, role);
    CREATE TABLE caseloadVersion (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
    INSERT INTO caseloadVersion VALUES (1, 0);
    \(caseloadTriggers)
    """

    /// Every change to what a caseload shows counts once in `caseloadVersion`, whoever makes it (this server, the
    /// command line, a restore): the web app keeps each caseload page it has rendered until the count moves.
    static var caseloadTriggers: String {
        var out: [String] = []
        for table in ["plan", "child", "stageItem", "review", "incident", "journalEntry", "planAction", "assignment"] {
            for op in ["INSERT", "UPDATE", "DELETE"] {
                out.append("CREATE TRIGGER caseloadVersion_\(table)_\(op.lowercased()) AFTER \(op) ON \(table) BEGIN UPDATE caseloadVersion SET n = n + 1; END;")
            }
        }
        for (name, event) in [("insert", "INSERT"), ("delete", "DELETE"), ("update", "UPDATE OF teamId, role, agencyId")] {
            out.append("CREATE TRIGGER caseloadVersion_user_\(name) AFTER \(event) ON user BEGIN UPDATE caseloadVersion SET n = n + 1; END;")
        }
        return out.joined(separator: "\n")
    }

    /// How many changes to what caseloads show the database has seen: one indexed read, no transaction.
    public func caseloadVersion() throws -> Int {
        try database.writer.unsafeRead { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT n FROM caseloadVersion WHERE id = 1")) ?? 0
        }
    }

    /// Sets a plan's caseload columns from its rows (the migration runs it over every plan).
    static let caseloadColumns = """
    UPDATE plan SET
      nextReview = (SELECT MIN(r.dueOn) FROM review r WHERE r.plan = plan.id AND r.heldOn IS NULL),
      dueNext = (SELECT MIN(d) FROM (SELECT r.dueOn AS d FROM review r WHERE r.plan = plan.id AND r.heldOn IS NULL
                                     UNION ALL SELECT s.targetDate FROM stageItem s WHERE s.plan = plan.id AND s.status = 'planned')),
      sortName = (SELECT c.pseudonym FROM child c WHERE c.id = plan.childId)
    """

    /// Brings one plan's caseload columns up to date: called in the transaction of every write to a plan's reviews,
    /// stage items or child.
    static func refreshCaseload(_ db: Database, planID: String) throws {
        try db.execute(sql: caseloadColumns + " WHERE id = ?", arguments: [planID])
    }

    /// The order of a caseload: it matches `plan_caseload` column for column, so a page is read in index order.
    static let caseloadOrder = "p.dueNext IS NULL, p.dueNext, p.sortName, p.id"

    /// The rows of one page, in order, before anything is counted for them: read from the index alone.
    static func pageRowsSQL(_ scope: StaffScope) -> String {
        """
        SELECT p.id AS planId, p.childId, p.status, p.revision, p.dayOne, p.nextReview, p.dueNext, p.sortName
        FROM plan p \(scope.index)
        WHERE \(scope.filter.sql)
        ORDER BY \(caseloadOrder)
        LIMIT :limit OFFSET :offset
        """
    }

    /// A page of the caseload: its rows, then the child's name and nation and what needs attention, for those rows
    /// only. Nothing can be overdue in a plan whose earliest date due has not come, so those are not counted.
    static func caseloadSQL(_ scope: StaffScope) -> String {
        """
        SELECT page.planId, page.childId, c.pseudonym, c.jurisdiction, page.status, page.revision, page.dayOne,
          page.nextReview, page.dueNext,
          CASE WHEN page.dueNext < :asOf THEN (SELECT COUNT(*) FROM stageItem s WHERE s.plan = page.planId AND s.status = 'planned'
            AND s.targetDate < :asOf) ELSE 0 END AS overdueItems,
          CASE WHEN page.dueNext < :asOf THEN (SELECT COUNT(*) FROM review r WHERE r.plan = page.planId AND r.heldOn IS NULL
            AND r.dueOn < :asOf) ELSE 0 END AS overdueReviews,
          (SELECT COUNT(*) FROM journalEntry j WHERE j.plan = page.planId AND j.createdAt >= :journalSince) AS recentJournal,
          (SELECT COUNT(*) FROM planAction pa WHERE pa.planId = page.planId AND pa.doneAt IS NULL) AS openActions,
          (SELECT COUNT(*) FROM incident i WHERE i.plan = page.planId AND i.occurredOn >= :incidentsSince) AS recentIncidents
        FROM (\(pageRowsSQL(scope))) page JOIN child c INDEXED BY child_caseload ON c.id = page.childId
        ORDER BY page.dueNext IS NULL, page.dueNext, page.sortName, page.planId
        """
    }

    /// How many children a scope has: counted in the same index as its pages.
    static func countSQL(_ scope: StaffScope) -> String {
        "SELECT COUNT(*) FROM plan p \(scope.index) WHERE \(scope.filter.sql)"
    }

    /// One page of a caseload. `asOf` is the day work counts as overdue from; journal entries are counted from
    /// `journalSince` (a timestamp) and incidents from `incidentsSince`. `limit` and `offset` are bounded here too.
    public func caseload(_ scope: StaffScope, asOf: CalendarDate, journalSince: String, incidentsSince: CalendarDate,
                         limit: Int = 50, offset: Int = 0) throws -> CaseloadPage {
        try caseload(scope, asOf: asOf, journalSince: journalSince, incidentsSince: incidentsSince,
                     bounded: min(max(limit, 0), 1_000), offset: min(max(offset, 0), 100_000_000))
    }

    /// The whole caseload of a scope, for the command line and the demo (the web app pages it).
    public func caseload(_ scope: StaffScope = .everything, asOf: CalendarDate) throws -> [CaseloadRow] {
        try caseload(scope, asOf: asOf, journalSince: asOf.adding(days: -30).iso, incidentsSince: asOf.adding(days: -90),
                     bounded: -1, offset: 0).rows  // SQLite reads LIMIT -1 as no limit
    }

    private func caseload(_ scope: StaffScope, asOf: CalendarDate, journalSince: String, incidentsSince: CalendarDate,
                          bounded limit: Int, offset: Int) throws -> CaseloadPage {
        let arguments = scope.arguments([
            "asOf": asOf.iso, "journalSince": journalSince, "incidentsSince": incidentsSince.iso, "limit": limit, "offset": offset,
        ])
        return try database.writer.read { db in
            // Prepared once per connection and scope kind: the page is the busiest staff page.
            let total = try Int.fetchOne(db.cachedStatement(sql: Self.countSQL(scope)), arguments: scope.arguments()) ?? 0
            let rows = try CaseloadRow.fetchAll(db.cachedStatement(sql: Self.caseloadSQL(scope)), arguments: arguments)
            return CaseloadPage(rows: rows, total: total)
        }
    }

    /// Whether a child is in a member of staff's scope: the same condition as their caseload.
    public func contains(_ scope: StaffScope, childId: String) throws -> Bool {
        let (filter, arguments) = (scope.filter.sql, scope.arguments(["child": childId]))
        return try database.writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM plan p WHERE p.childId = :child AND \(filter))", arguments: arguments) ?? false
        }
    }

    /// Of the given plans, those in a member of staff's scope.
    public func visible(_ scope: StaffScope, planIDs: [String]) throws -> Set<String> {
        guard !planIDs.isEmpty else { return [] }
        let ids = String(decoding: try JSONEncoder().encode(planIDs), as: UTF8.self)
        let (filter, arguments) = (scope.filter.sql, scope.arguments(["ids": ids]))
        return try database.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT p.id FROM plan p WHERE p.id IN (SELECT value FROM json_each(:ids)) AND \(filter)",
                                    arguments: arguments))
        }
    }

    /// The plans of a scope in one status (the panel's meetings page offers the submitted ones), by name.
    public func plans(_ scope: StaffScope, status: PlanStatus) throws -> [(planId: String, pseudonym: String)] {
        let (filter, arguments) = (scope.filter.sql, scope.arguments(["status": status.rawValue]))
        return try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT p.id, p.sortName FROM plan p WHERE p.status = :status AND \(filter) ORDER BY p.sortName, p.id",
                             arguments: arguments).map { ($0["id"], $0["sortName"]) }
        }
    }
}
