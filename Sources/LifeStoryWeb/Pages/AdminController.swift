import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage
import Logging
import NIOCore

/// The agency admin's users and audit pages, and the practice lead's view of the guidance library.
struct AdminController {
    let services: WebServices

    struct AuditRow {
        var seq: Int64
        var at: String
        var actor: String
        var role: String
        var action: String
        var entity: String
        var purpose: String
    }

    struct AuditPage: PageModel {
        var pageTitle = "Audit log"
        var section = "audit"
        var csrf = ""
        var rows: [AuditRow]
        var verified: String
        var ok: Bool
        var filters: [FilterLink]
        var pageText = ""
        var newer: String?
        var older: String?
        var hasPaging = false
    }

    struct FilterLink {
        var href: String
        var label: String
        var current: Bool
    }

    static let filterLabels: [AuditLog.Filter: String] = [.all: "Everything", .security: "Security events", .records: "Children's records"]

    /// The words for each audit action.
    static let actions = [
        "read": "Read the plan", "read-version": "Read a version", "update": "Changed the plan", "import": "Imported the plan",
        "freeze": "Froze a version", "export": "Exported the plan", "issue-guide": "Issued a guide", "update-stage-item": "Updated a stage item", "journal": "Wrote in the journal", "withheld": "Page held back",
        "signed-in": "Signed in", "sign-in-failed": "Sign-in failed", "sign-in-throttled": "Sign-in refused (too many attempts)",
        "signed-out": "Signed out", "session-expired": "Session ended", "invitation-used": "Used an invitation",
        "form-refused": "Form refused", "refused": "Page refused", "not-found": "Asked for something not there",
        "create-user": "Added an account", "edit-user": "Changed an account", "disable-user": "Disabled an account",
        "enable-user": "Enabled an account", "reset-user": "Reset an account", "invite": "Made a one-time link",
        "accept-invitation": "Set a password from a link", "reassign": "Allocated a child", "setting": "Changed a sign-in setting",
        "two-factor-on": "Set up two-factor sign-in", "code-failed": "Wrong sign-in code", "code-throttled": "Sign-in code refused (too many attempts)",
        "sign-in-disabled": "Sign-in to a disabled account", "sso-refused": "Single sign-on refused", "sso-linked": "Linked to single sign-on",
    ]

    struct ContentRow {
        var id: String
        var title: String
        var kind: String
        var reviewBy: String
    }

    struct ContentPage: PageModel {
        var pageTitle = "Guidance library"
        var section = "content"
        var csrf = ""
        var edition: String
        var items: [ContentRow]
    }

    func add(to router: Router<AppRequestContext>) {
        let access = Access(services: services)
        router.get("/admin/audit") { request, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            let raw = request.uri.queryParameters["show"].map(String.init) ?? "all"
            guard let filter = AuditLog.Filter(rawValue: raw) else { throw PageError.badRequest("The address's “show” must be all, security or records.") }
            // Only this agency's entries: about its children, by its users, or security events of its users.
            let pageNumber = try RequestNumber.query(request, "page", in: 1...100_000, label: "page number", default: 1) ?? 1
            let entries = try AuditLog.entries(services.database, agencyId: admin.agencyId, filter: filter, limit: 200, offset: (pageNumber - 1) * 200)
            let verification = try AuditLog.verify(services.database)
            let rows = entries.map { e in
                AuditRow(seq: e.seq, at: TimeWords.long(e.at),
                         actor: e.actorName ?? (e.actor == "anonymous" ? "Someone not signed in" : e.role == "system" ? "Lifestory itself" : "Someone at the agency"),
                         role: UserRole(rawValue: e.role)?.label ?? "",
                         action: Self.actions[e.action] ?? e.action.replacingOccurrences(of: "-", with: " ").capitalizedFirst,
                         entity: e.subject ?? (e.entity == "security" ? "Security" : "A record"),
                         purpose: e.entity == "security" ? e.purpose + " (" + e.detail + ")" : e.purpose)
            }
            let ok = verification.firstBroken == nil
            let verified = ok ? "All \(verification.entries) entries are intact: each one carries the hash of the one before."
                : "The chain is broken at entry \(verification.firstBroken?.seq ?? 0): \(verification.firstBroken?.reason ?? "")"
            let filters = AuditLog.Filter.allCases.map { f in
                FilterLink(href: "/admin/audit?show=\(f.rawValue)", label: Self.filterLabels[f] ?? f.rawValue, current: f == filter)
            }
            var page = AuditPage(rows: rows, verified: verified, ok: ok, filters: filters)
            page.pageText = "Page \(pageNumber.formatted())"
            if pageNumber > 1 { page.newer = "/admin/audit?show=\(filter.rawValue)&page=\(pageNumber - 1)" }
            if entries.count == 200 { page.older = "/admin/audit?show=\(filter.rawValue)&page=\(pageNumber + 1)" }
            page.hasPaging = page.newer != nil || page.older != nil
            return services.page("audit", page, context: context)
        }
        router.get("/content") { _, context -> Response in
            _ = try access.requireRole([.practiceLead, .admin], context: context)
            let items = services.library.items.map {
                ContentRow(id: $0.id, title: $0.title, kind: Choices.humanise($0.kind.rawValue), reviewBy: $0.reviewBy.long)
            }
            let id = services.library.edition.id
            let parts = id.split(separator: ".", maxSplits: 1).map(String.init)
            let edition = parts.count == 2 ? "of \(CalendarDate(iso: parts[0])?.long ?? parts[0]) (\(parts[1].prefix(8)))" : id
            return services.page("content", ContentPage(edition: edition, items: items), context: context)
        }
    }
}

extension String {
    /// The first letter in capitals: "guide issued" -> "Guide issued".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// Times as people read them: "29 November 2026, 22:35" (UTC, as the log records them).
enum TimeWords {
    static func long(_ iso: String) -> String {
        guard let date = CalendarDate(iso: String(iso.prefix(10))) else { return String(iso.prefix(16)) }
        let time = iso.count >= 16 ? String(iso.dropFirst(11).prefix(5)) : ""
        return time.isEmpty ? date.long : "\(date.long), \(time)"
    }
}
