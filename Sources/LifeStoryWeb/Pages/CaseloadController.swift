import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore
import Synchronization

/// The caseload: the children a social worker, team manager or admin may see, overdue work first, a page at a time.
struct CaseloadController {
    let services: WebServices
    static let pageSize = 50

    struct Row {
        var href: String
        var pseudonym: String
        var status: String
        var jurisdiction: String
        /// The earliest date anything is due, and what: the caseload's order.
        var nextDue: String
        var overdue: String?
        var journal: Int
        var actions: Int
        var incidents: Int
    }

    struct CaseloadPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var heading: String
        /// The table's rows, written by `rowsHTML` (escaped there).
        var rowsHTML: String
        var hasRows: Bool
        var summary: String
        var canCreate: Bool
        var previous: String?
        var next: String?
        var pageText: String
    }

    /// The caseload's rows as HTML. This is the busiest staff page and a page holds 50 rows: written here, they
    /// cost a small part of what the template engine spent finding each of a row's twelve values by name (profiled
    /// at 10,000 children: the engine and the page model's conversion were 45% of the server's time, the query 5%).
    /// Every value is escaped.
    static func rowsHTML(_ rows: [Row]) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 420)
        for r in rows {
            out += "<tr>\n<td><a href=\""
            Placeholders.appendEscapedHTML(r.href, to: &out)
            out += "\">"
            Placeholders.appendEscapedHTML(r.pseudonym, to: &out)
            out += "</a></td>\n<td data-label=\"Status\">"
            Placeholders.appendEscapedHTML(r.status, to: &out)
            out += "</td>\n<td data-label=\"Next due\">"
            Placeholders.appendEscapedHTML(r.nextDue, to: &out)
            // On a narrow screen each row stacks, each value under its label; an empty cell has no label.
            out += r.overdue == nil && r.journal == 0 && r.actions == 0 && r.incidents == 0 ? "</td>\n<td>" : "</td>\n<td data-label=\"Needs attention\">"
            if let overdue = r.overdue {
                out += "<strong class=\"tag tag--red\">"
                Placeholders.appendEscapedHTML(overdue, to: &out)
                out += "</strong> "
            }
            if r.journal > 0 { out += "<strong class=\"tag tag--blue\">\(r.journal) new journal</strong> " }
            if r.actions > 0 { out += "<strong class=\"tag tag--yellow\">open panel actions: \(r.actions)</strong> " }
            if r.incidents > 0 { out += "<strong class=\"tag tag--red\">incidents in 90 days: \(r.incidents)</strong>" }
            out += "</td>\n<td data-label=\"Jurisdiction\">"
            Placeholders.appendEscapedHTML(r.jurisdiction, to: &out)
            out += "</td>\n</tr>\n"
        }
        return out
    }

    struct Key: Hashable {
        var scope: StaffScope
        var role: UserRole?
        var page: Int
        var day: CalendarDate
    }

    struct Rendered {
        var version: Int
        var title: String
        /// The page's body, ready for the layout (it holds no form, so nothing of the session).
        var body: String
    }

    /// A page of a caseload, rendered. One query reads the page's rows and counts, for those rows only, overdue
    /// work, journal entries in the last 30 days, open panel actions and incidents in the last 90 days. The page is
    /// kept, per scope (which says whose caseload it is), page and day, until anything a caseload shows changes in
    /// the database (the caseload version, moved by triggers on every table it reads): an unchanged caseload is not
    /// read or rendered twice.
    func rendered(_ scope: StaffScope, role: UserRole?, page number: Int, today: CalendarDate) throws -> Rendered {
        let key = Key(scope: scope, role: role, page: number, day: today)
        // Read before the page, so a page kept under this number is never older than it.
        let version = try services.plans.caseloadVersion()
        if let kept = services.caseloadPages.withLock({ $0[key] }), kept.version == version { return kept }
        let caseload = try services.plans.caseload(scope, asOf: today, journalSince: today.adding(days: -30).iso,
                                                   incidentsSince: today.adding(days: -90), limit: Self.pageSize,
                                                   offset: (number - 1) * Self.pageSize)
        let views = caseload.rows.map { r -> Row in
            let overdue = r.overdueItems + r.overdueReviews
            var parts: [String] = []
            if r.overdueReviews > 0 { parts.append("\(r.overdueReviews) review\(r.overdueReviews == 1 ? "" : "s")") }
            if r.overdueItems > 0 { parts.append("\(r.overdueItems) stage item\(r.overdueItems == 1 ? "" : "s")") }
            let status = PlanStatus(rawValue: r.status).map(PlanController.statusLabel) ?? r.status
            return Row(href: "/plans/\(r.planId)", pseudonym: r.pseudonym, status: status,
                       jurisdiction: JurisdictionCode(rawValue: r.jurisdiction)?.name ?? r.jurisdiction,
                       nextDue: r.dueNext.flatMap(CalendarDate.init(iso:)).map { $0.long + (r.dueNext == r.nextReview ? " (review)" : " (stage item)") }
                           ?? "Nothing dated",
                       overdue: overdue > 0 ? "Overdue: " + parts.joined(separator: ", ") : nil,
                       journal: r.recentJournal, actions: r.openActions, incidents: r.recentIncidents)
        }
        let total = caseload.total
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let heading = switch role {
        case .teamManager?: "Team caseload"
        case .admin?: "All children"
        default: "Your caseload"
        }
        let page = CaseloadPage(pageTitle: heading, heading: heading, rowsHTML: Self.rowsHTML(views), hasRows: !views.isEmpty,
                                summary: (total == 1 ? "1 child" : "\(total.formatted(.number.locale(Locale(identifier: "en_GB")))) children")
                                    + (role == .socialWorker ? " on your caseload." : "."),
                                canCreate: role == .socialWorker,
                                previous: number > 1 ? "/caseload?page=\(number - 1)" : nil,
                                next: number < pages ? "/caseload?page=\(number + 1)" : nil,
                                pageText: "Page \(number) of \(pages)")
        let rendered = Rendered(version: version, title: heading, body: services.body("caseload", page))
        services.caseloadPages.withLock { all in
            // At most 512 pages (about 25 KB each) are kept.
            if all.count >= 512 { all.removeAll() }
            all[key] = rendered
        }
        return rendered
    }

    func add(to router: Router<AppRequestContext>) {
        router.get("/caseload") { request, context -> Response in
            let user = try Access(services: services).requireRole([.socialWorker, .teamManager, .admin], context: context)
            let pageNumber = try RequestNumber.query(request, "page", in: 1...1_000_000, label: "page number", default: 1) ?? 1
            let rendered = try rendered(Access.scope(user), role: context.role, page: pageNumber, today: services.today())
            return services.page(body: rendered.body, title: rendered.title, section: "caseload", context: context)
        }
    }
}
