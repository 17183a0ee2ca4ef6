import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

/// The caseload: the children a social worker, team manager or admin may see, overdue work first, a page at a time.
struct CaseloadController {
    let services: WebServices
    static let pageSize = 50

    struct Row {
        var href: String
        var pseudonym: String
        var status: String
        var jurisdiction: String
        var nextReview: String
        var overdue: String?
        var journal: Int
        var hasJournal: Bool
        var actions: Int
        var hasActions: Bool
        var incidents: Int
        var hasIncidents: Bool
    }

    struct CaseloadPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var heading: String
        var rows: [Row]
        var hasRows: Bool
        var summary: String
        var canCreate: Bool
        var previous: String?
        var next: String?
        var pageText: String
    }

    func add(to router: Router<AppRequestContext>) {
        router.get("/caseload") { request, context -> Response in
            let user = try Access(services: services).requireRole([.socialWorker, .teamManager, .admin], context: context)
            let pageNumber = try RequestNumber.query(request, "page", in: 1...1_000_000, label: "page number", default: 1) ?? 1
            // One query reads this page's rows and counts, for these rows only, overdue work, journal entries in the
            // last 30 days, open panel actions and incidents in the last 90 days.
            let today = services.today()
            let since = Date().addingTimeInterval(-30 * 24 * 3600).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let caseload = try services.plans.caseload(Access.scope(user), asOf: today, journalSince: since,
                                                       incidentsSince: today.adding(days: -90), limit: Self.pageSize,
                                                       offset: (pageNumber - 1) * Self.pageSize)
            let (rows, total) = (caseload.rows, caseload.total)
            let views = rows.map { r -> Row in
                let overdue = r.overdueItems + r.overdueReviews
                var parts: [String] = []
                if r.overdueReviews > 0 { parts.append("\(r.overdueReviews) review\(r.overdueReviews == 1 ? "" : "s")") }
                if r.overdueItems > 0 { parts.append("\(r.overdueItems) stage item\(r.overdueItems == 1 ? "" : "s")") }
                let status = PlanStatus(rawValue: r.status).map(PlanController.statusLabel) ?? r.status
                return Row(href: "/plans/\(r.planId)", pseudonym: r.pseudonym, status: status,
                           jurisdiction: JurisdictionCode(rawValue: r.jurisdiction)?.name ?? r.jurisdiction,
                           nextReview: r.nextReview.flatMap(CalendarDate.init(iso:))?.long ?? "None planned",
                           overdue: overdue > 0 ? "Overdue: " + parts.joined(separator: ", ") : nil,
                           journal: r.recentJournal, hasJournal: r.recentJournal > 0,
                           actions: r.openActions, hasActions: r.openActions > 0,
                           incidents: r.recentIncidents, hasIncidents: r.recentIncidents > 0)
            }
            let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
            let heading = switch context.role {
            case .teamManager?: "Team caseload"
            case .admin?: "All children"
            default: "Your caseload"
            }
            let page = CaseloadPage(pageTitle: heading, heading: heading, rows: views, hasRows: !views.isEmpty,
                                    summary: (total == 1 ? "1 child" : "\(total.formatted(.number.locale(Locale(identifier: "en_GB")))) children") + (context.role == .socialWorker ? " on your caseload." : "."),
                                    canCreate: context.role == .socialWorker,
                                    previous: pageNumber > 1 ? "/caseload?page=\(pageNumber - 1)" : nil,
                                    next: pageNumber < pages ? "/caseload?page=\(pageNumber + 1)" : nil,
                                    pageText: "Page \(pageNumber) of \(pages)")
            return services.page("caseload", page, context: context)
        }
    }
}
