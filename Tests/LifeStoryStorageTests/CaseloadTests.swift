import Foundation
import GRDB
import LifeStoryCore
@testable import LifeStoryStorage
import LifeStoryTestSupport
import Testing

/// A small deterministic generator, so a failing variant can be run again.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Caseload at agency scale")
struct CaseloadTests {
    static let templates = ["clean-eng", "clean-wls", "clean-sco", "clean-ni"]

    /// What the caseload columns must hold, worked out from the plan itself.
    static func expected(_ plan: Plan) -> (nextReview: String?, dueNext: String?) {
        let reviews = plan.reviews.filter { $0.heldOn == nil }.map(\.dueOn.iso)
        let items = plan.stages.flatMap(\.items).filter { $0.status == .planned }.compactMap(\.targetDate?.iso)
        return (reviews.min(), (reviews + items).min())
    }

    static func stored(_ db: AppDatabase, _ id: String) throws -> (nextReview: String?, dueNext: String?, sortName: String) {
        try db.writer.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT nextReview, dueNext, sortName FROM plan WHERE id = ?", arguments: [id]))
            return (row["nextReview"], row["dueNext"], row["sortName"])
        }
    }

    /// A plan copied from a fixture, with its reviews held or not and its stage items done, skipped or planned at
    /// random, and its dates moved.
    static func variant(_ template: Plan, _ n: Int, _ rng: inout SplitMix) -> Plan {
        var plan = template
        plan.id = "plan-v\(n)"
        plan.child.id = "child-v\(n)"
        plan.child.pseudonym = "Variant \(n)"
        for r in plan.reviews.indices {
            plan.reviews[r].dueOn = plan.reviews[r].dueOn.adding(days: Int.random(in: -200...200, using: &rng))
            plan.reviews[r].heldOn = Bool.random(using: &rng) ? plan.reviews[r].dueOn : nil
        }
        for s in plan.stages.indices {
            for i in plan.stages[s].items.indices {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: plan.stages[s].items[i].status = .planned; plan.stages[s].items[i].doneOn = nil
                case 1: plan.stages[s].items[i].status = .done; plan.stages[s].items[i].doneOn = plan.stages[s].items[i].targetDate
                default: plan.stages[s].items[i].status = .skipped; plan.stages[s].items[i].skippedReason = "Not needed (test)"
                }
                if plan.stages[s].items[i].status == .done && plan.stages[s].items[i].doneOn == nil {
                    plan.stages[s].items[i].doneOn = CalendarDate(year: 2026, month: 1, day: 1)
                }
                if let t = plan.stages[s].items[i].targetDate, Bool.random(using: &rng) {
                    plan.stages[s].items[i].targetDate = t.adding(days: Int.random(in: -300...300, using: &rng))
                }
            }
        }
        return plan
    }

    @Test("each plan's caseload columns match the plan after an import, an edit and a stage update, over 60 generated plans")
    func columnsFollowEveryWrite() throws {
        let db = try AppDatabase.inMemory()
        let store = PlanStore(db)
        var rng = SplitMix(state: 20261130)
        let templates = try Self.templates.map(Fixtures.plan)
        for n in 0..<60 {
            let plan = Self.variant(templates[n % templates.count], n, &rng)
            try store.importPlan(plan, actor: actor)
            var got = try Self.stored(db, plan.id)
            #expect(got.nextReview == Self.expected(plan).nextReview && got.dueNext == Self.expected(plan).dueNext, "import of variant \(n)")
            #expect(got.sortName == plan.child.pseudonym)

            // An edit that holds every review, renames the child and moves every planned item a year on.
            let edited = try store.update(plan.id, basedOn: plan.version, actor: actor) { p in
                for r in p.reviews.indices where Bool.random(using: &rng) { p.reviews[r].heldOn = p.reviews[r].dueOn }
                p.child.pseudonym = "Renamed \(n)"
                for s in p.stages.indices {
                    for i in p.stages[s].items.indices { p.stages[s].items[i].targetDate = p.stages[s].items[i].targetDate?.adding(days: 365) }
                }
            }
            got = try Self.stored(db, plan.id)
            #expect(got.nextReview == Self.expected(edited.plan).nextReview && got.dueNext == Self.expected(edited.plan).dueNext, "edit of variant \(n)")
            #expect(got.sortName == "Renamed \(n)")

            // The commonest write: one stage item marked done (or planned again).
            guard let item = edited.plan.stages.flatMap(\.items).randomElement(using: &rng) else { continue }
            let done = item.status == .planned
            try store.updateStageItem(planID: plan.id, itemID: item.id, basedOn: edited.revision, status: done ? .done : .planned,
                                      doneOn: done ? CalendarDate(year: 2026, month: 11, day: 1) : nil, notes: nil, skippedReason: nil, actor: actor)
            let after = try store.load(plan.id, actor: actor, purpose: "test").plan
            got = try Self.stored(db, plan.id)
            #expect(got.nextReview == Self.expected(after).nextReview && got.dueNext == Self.expected(after).dueNext, "stage update of variant \(n)")
        }
        // The migration fills the columns with the same statement: emptied and filled again, they come back.
        let before = try db.writer.read { db in try Row.fetchAll(db, sql: "SELECT id, nextReview, dueNext, sortName FROM plan ORDER BY id") }
        try db.writer.write { db in
            try db.execute(sql: "UPDATE plan SET nextReview = NULL, dueNext = NULL, sortName = ''")
            try db.execute(sql: PlanStore.caseloadColumns)
        }
        #expect(try db.writer.read { db in try Row.fetchAll(db, sql: "SELECT id, nextReview, dueNext, sortName FROM plan ORDER BY id") } == before)
    }

    /// An agency of `count` generated plans, shared round-robin among social workers in two teams, with a second
    /// agency beside it.
    static func agency(_ count: Int) throws -> (AppDatabase, PlanStore, [Plan]) {
        let db = try AppDatabase.inMemory()
        let store = PlanStore(db)
        let users = UserStore(db)
        var rng = SplitMix(state: 7)
        let templates = try Self.templates.map(Fixtures.plan)
        var plans: [Plan] = []
        for n in 0..<count {
            var plan = Self.variant(templates[n % templates.count], n, &rng)
            if n % 10 == 9 { plan.agency = Agency(id: "agency-other", name: "Another agency") }
            try store.importPlan(plan, actor: actor)
            plans.append(plan)
        }
        try users.createTeam(id: "team-a", agencyId: "agency-example", name: "Team A")
        try users.createTeam(id: "team-b", agencyId: "agency-example", name: "Team B")
        for (i, team) in ["team-a", "team-a", "team-b"].enumerated() {
            try users.create(UserRecord(id: "sw-\(i)", agencyId: "agency-example", teamId: team, email: "sw\(i)@example.invalid",
                                        displayName: "Worker \(i)", role: .socialWorker, createdAt: "2026-11-30T00:00:00Z"))
        }
        for (n, plan) in plans.filter({ $0.agency.id == "agency-example" }).enumerated() {
            try users.assign(userId: "sw-\(n % 3)", childId: plan.child.id, relationship: "childs_social_worker")
        }
        return (db, store, plans)
    }

    @Test("pages come in order, overdue first, each child once, and every scope sees exactly its own children")
    func pagesAndScopes() throws {
        let (_, store, plans) = try Self.agency(90)
        let asOf = CalendarDate(year: 2026, month: 11, day: 21)!
        let ours = plans.filter { $0.agency.id == "agency-example" }
        let team = Set(ours.enumerated().filter { $0.offset % 3 != 2 }.map(\.element.child.id))
        let scopes: [(StaffScope, Set<String>)] = [
            (.assigned(userId: "sw-0", agencyId: "agency-example"), Set(ours.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.child.id))),
            (.team(teamId: "team-a", agencyId: "agency-example"), team),
            (.agency("agency-example"), Set(ours.map(\.child.id))),
            (.agency("agency-other"), Set(plans.filter { $0.agency.id == "agency-other" }.map(\.child.id))),
            (.assigned(userId: "sw-0", agencyId: "agency-other"), []),
            (.team(teamId: "team-a", agencyId: "agency-other"), []),
            (.none, []),
        ]
        for (scope, children) in scopes {
            var seen: [CaseloadRow] = []
            for page in 0..<5 {
                let got = try store.caseload(scope, asOf: asOf, journalSince: "2026-10-21", incidentsSince: asOf.adding(days: -90), limit: 7, offset: page * 7)
                #expect(got.total == children.count, "\(scope)")
                #expect(got.rows.count <= 7)
                seen += got.rows
            }
            let rest = try store.caseload(scope, asOf: asOf, journalSince: "2026-10-21", incidentsSince: asOf.adding(days: -90), limit: 1_000, offset: 35)
            seen += rest.rows
            #expect(Set(seen.map(\.childId)) == children && seen.count == children.count, "\(scope): each child once")
            // Every row whose date has passed comes before every row whose has not; dates ascend; undated last.
            let keys = seen.map { ($0.dueNext ?? "9999", $0.pseudonym) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.0 <= $1.0 }, "\(scope): in date order")
            let overdue = seen.map { $0.overdueItems + $0.overdueReviews > 0 }
            #expect(!zip(overdue, overdue.dropFirst()).contains { !$0 && $1 }, "\(scope): overdue work first")
            // The plan pages ask the same question of one child.
            for plan in plans { #expect(try store.contains(scope, childId: plan.child.id) == children.contains(plan.child.id)) }
        }
        // Bounds: a negative or enormous page asks for nothing strange.
        let huge = try store.caseload(.agency("agency-example"), asOf: asOf, journalSince: "", incidentsSince: asOf, limit: .max, offset: .max)
        #expect(huge.rows.isEmpty && huge.total == ours.count)
        let negative = try store.caseload(.agency("agency-example"), asOf: asOf, journalSince: "", incidentsSince: asOf, limit: -5, offset: -5)
        #expect(negative.rows.isEmpty)
    }

    @Test("overdue counts are those of the page's own plans, as of the day asked")
    func countsAreThePlansOwn() throws {
        let (_, store, plans) = try Self.agency(24)
        let asOf = CalendarDate(year: 2026, month: 11, day: 21)!
        let rows = try store.caseload(.agency("agency-example"), asOf: asOf)
        for row in rows {
            let plan = try #require(plans.first { $0.id == row.planId })
            #expect(row.overdueReviews == plan.reviews.filter { $0.heldOn == nil && $0.dueOn < asOf }.count)
            #expect(row.overdueItems == plan.stages.flatMap(\.items).filter { $0.status == .planned && ($0.targetDate.map { $0 < asOf } ?? false) }.count)
        }
        #expect(rows.contains { $0.overdueItems + $0.overdueReviews > 0 } && rows.contains { $0.overdueItems + $0.overdueReviews == 0 })
    }

    @Test("a page is read from an index alone, a team's and an agency's in the index's order, and nothing reads the whole agency's rows")
    func pagesUseTheIndex() throws {
        let (db, _, _) = try Self.agency(40)
        func explain(_ sql: String, _ scope: StaffScope) throws -> [String] {
            try db.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql,
                                 arguments: scope.arguments(["limit": 50, "offset": 0]))
                    .map { $0["detail"] as String }
            }
        }
        for scope in [StaffScope.team(teamId: "team-a", agencyId: "agency-example"), .agency("agency-example")] {
            let page = try explain(PlanStore.pageRowsSQL(scope), scope)
            #expect(page.contains { $0.contains("USING COVERING INDEX plan_caseload") }, "\(scope): \(page)")
            #expect(!page.contains { $0.contains("TEMP B-TREE") || $0.hasPrefix("SCAN") }, "\(scope): \(page)")
            let count = try explain(PlanStore.countSQL(scope), scope)
            #expect(count.contains { $0.contains("USING COVERING INDEX plan_caseload") } && !count.contains { $0.hasPrefix("SCAN") }, "\(scope): \(count)")
        }
        // A social worker's page finds their children from their assignments, in an index holding every column.
        let scope = StaffScope.assigned(userId: "sw-0", agencyId: "agency-example")
        for sql in [PlanStore.pageRowsSQL(scope), PlanStore.countSQL(scope)] {
            let plan = try explain(sql, scope)
            #expect(plan.contains { $0.contains("USING COVERING INDEX plan_child_caseload") } && !plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        }
        // A team's children are each checked by their own assignments, never by trying every social worker of the team.
        let team = StaffScope.team(teamId: "team-a", agencyId: "agency-example")
        let count = try explain(PlanStore.countSQL(team), team)
        #expect(count.contains { $0.contains("assignment_child") } && !count.contains { $0.contains("user_team") }, "\(count)")
        // The page's own rows get their names and counts: the whole query reads no table from end to end.
        for scope in [scope, team, .agency("agency-example")] {
            let whole = try db.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + PlanStore.caseloadSQL(scope),
                                 arguments: scope.arguments(["limit": 50, "offset": 0, "asOf": "2026-11-21", "journalSince": "", "incidentsSince": ""]))
                    .map { $0["detail"] as String }
            }
            #expect(!whole.contains { $0.hasPrefix("SCAN") && !$0.contains("page") }, "\(scope): \(whole)")
            // The plan, the child and each count are read from an index holding what they need: no row's JSON.
            let searches = whole.filter { $0.hasPrefix("SEARCH") && !$0.hasPrefix("SEARCH a ") && !$0.hasPrefix("SEARCH u ") && !$0.hasPrefix("SEARCH assignment ") }
            #expect(searches.count >= 7 && searches.allSatisfy { $0.contains("COVERING INDEX") }, "\(scope): \(whole)")
        }
    }

    @Test("every table a caseload reads moves the caseload version when it changes, whoever writes; reads and audit entries do not")
    func everyChangeMovesTheVersion() throws {
        let (db, store, plans) = try Self.agency(6)
        let tables = ["plan", "child", "stageItem", "review", "incident", "journalEntry", "planAction", "assignment"]
        let triggers = Set(try db.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'caseloadVersion_%'") })
        for table in tables {
            for op in ["insert", "update", "delete"] { #expect(triggers.contains("caseloadVersion_\(table)_\(op)"), "\(table) \(op)") }
        }
        var last = try store.caseloadVersion()
        func moved(_ what: String, _ change: () throws -> Void) throws {
            try change()
            let now = try store.caseloadVersion()
            #expect(now > last, "\(what) moves the caseload version")
            last = now
        }
        let plan = plans[0]
        let stored = try store.load(plan.id, actor: actor, purpose: "test")
        #expect(try store.caseloadVersion() == last, "a read does not")
        try store.audit(planID: plan.id, actor: actor, action: "view", purpose: "test")
        #expect(try store.caseloadVersion() == last, "an audit entry does not")
        let item = try #require(stored.plan.stages.flatMap(\.items).first)
        try moved("a stage item recorded") {
            try store.updateStageItem(planID: plan.id, itemID: item.id, basedOn: stored.revision, status: .done,
                                      doneOn: CalendarDate(year: 2026, month: 11, day: 1), notes: nil, skippedReason: nil, actor: actor)
        }
        try moved("an edit") { try store.update(plan.id, basedOn: stored.revision + 1, actor: actor) { $0.child.pseudonym = "Renamed" } }
        try moved("a journal entry") {
            try JournalStore(db).add(planID: plan.id, author: actor, kind: "note", happenedOn: Fixtures.date("2026-11-20"), text: "A note", at: "2026-11-20T10:00:00Z")
        }
        try moved("an allocation") { try UserStore(db).assign(userId: "sw-1", childId: plan.child.id, relationship: "childs_social_worker") }
        try moved("a change made by another program on the same file") {
            try db.writer.write { db in try db.execute(sql: "UPDATE review SET heldOn = dueOn WHERE plan = ?", arguments: [plans[1].id]) }
        }
        try moved("a social worker moving team") {
            try db.writer.write { db in try db.execute(sql: "UPDATE user SET teamId = 'team-b' WHERE id = 'sw-0'") }
        }
    }
}
