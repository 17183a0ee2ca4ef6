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

    struct UserRow {
        var name: String
        var email: String
        var role: String
        var hasPassword: Bool
    }

    struct UsersPage: PageModel {
        var pageTitle = "Users"
        var section = "users"
        var csrf = ""
        var users: [UserRow]
    }

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
    }

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
        router.get("/admin/users") { _, context -> Response in
            let admin = try access.requireRole([.admin], context: context)
            let rows = try services.users.all().filter { $0.agencyId == admin.agencyId }.map {
                UserRow(name: $0.displayName, email: $0.email, role: UserRole(rawValue: $0.role)?.label ?? $0.role, hasPassword: $0.passwordHash != nil)
            }
            return services.page("users", UsersPage(users: rows), context: context)
        }
        router.get("/admin/audit") { _, context -> Response in
            _ = try access.requireRole([.admin], context: context)
            let entries = try AuditLog.entries(services.database)
            let verification = try AuditLog.verify(services.database)
            let rows = entries.suffix(200).reversed().map {
                AuditRow(seq: $0.seq, at: String($0.at.prefix(19)).replacingOccurrences(of: "T", with: " "), actor: $0.actor, role: $0.role,
                         action: $0.action, entity: "\($0.entity) \($0.entityId)", purpose: $0.purpose)
            }
            let ok = verification.firstBroken == nil
            let verified = ok ? "All \(verification.entries) entries are intact: each one carries the hash of the one before."
                : "The chain is broken at entry \(verification.firstBroken?.seq ?? 0): \(verification.firstBroken?.reason ?? "")"
            return services.page("audit", AuditPage(rows: Array(rows), verified: verified, ok: ok), context: context)
        }
        router.get("/content") { _, context -> Response in
            _ = try access.requireRole([.practiceLead, .admin], context: context)
            let items = services.library.items.map {
                ContentRow(id: $0.id, title: $0.title, kind: Choices.humanise($0.kind.rawValue), reviewBy: $0.reviewBy.long)
            }
            return services.page("content", ContentPage(edition: services.library.edition.id, items: items), context: context)
        }
    }
}
