import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import LifeStoryWeb
import Testing

/// Every page, for every role: what each may open, and that everything else is refused (403 for a page of another
/// role, 404 for a child they may not see, a redirect to sign in when signed out).
@Suite("Web: every route for every role")
struct RouteMatrixTests {
    enum Expect: Equatable { case ok, forbidden, notFound, signIn }

    static let staff: Set<UserRole> = [.socialWorker, .teamManager, .admin]
    static let panel: Set<UserRole> = [.panelMember, .panelChair, .decisionMaker]
    static let family: Set<UserRole> = [.adopter, .fosterCarer]
    static let allStaff: Set<UserRole> = Set(UserRole.allCases).subtracting(family)

    /// Who may open each page; everyone else gets `otherwise`.
    static let routes: [(path: String, allowed: Set<UserRole>, otherwise: Expect)] = [
        ("/caseload", staff, .forbidden),
        ("/children/new", [.socialWorker], .forbidden),
        ("/plans/plan-eng-sam", staff, .notFound),
        ("/plans/plan-eng-sam/s/child", staff, .notFound),
        ("/plans/plan-eng-sam/s/placements", staff, .notFound),
        ("/plans/plan-eng-sam/s/people", staff, .notFound),
        ("/plans/plan-eng-sam/s/people/0", staff, .notFound),
        ("/plans/plan-eng-sam/s/people/new", staff, .notFound),
        ("/plans/plan-eng-sam/s/orders", staff, .notFound),
        ("/plans/plan-eng-sam/s/arrangements", staff, .notFound),
        ("/plans/plan-eng-sam/s/stages", staff, .notFound),
        ("/plans/plan-eng-sam/s/contingencies", staff, .notFound),
        ("/plans/plan-eng-sam/s/risk", staff, .notFound),
        ("/plans/plan-eng-sam/s/views", staff, .notFound),
        ("/plans/plan-eng-sam/s/reviews", staff, .notFound),
        ("/plans/plan-eng-sam/s/signoffs", staff, .notFound),
        ("/plans/plan-eng-sam/check", staff, .notFound),
        ("/plans/plan-eng-sam/versions", staff, .notFound),
        ("/plans/plan-eng-sam/diff?from=1", staff, .notFound),
        ("/plans/plan-eng-sam/incidents", staff, .notFound),
        ("/plans/plan-eng-sam/guides", staff, .notFound),
        ("/plans/plan-eng-sam/family", staff, .notFound),
        ("/meetings", [.teamManager, .admin], .forbidden),
        ("/panel", panel, .forbidden),
        ("/panel/plans/plan-wls-mia", panel, .notFound),
        ("/family", family, .forbidden),
        ("/family/next", family, .forbidden),
        ("/family/what-if", family, .forbidden),
        ("/family/what-if/1", family, .forbidden),
        ("/family/contact", family, .forbidden),
        ("/family/downloads", family, .forbidden),
        ("/family/journal", family, .forbidden),
        ("/family/calendar.ics", family, .forbidden),
        ("/admin/users", [.admin], .forbidden),
        ("/admin/users/new", [.admin], .forbidden),
        ("/admin/users/u-sw", [.admin], .forbidden),
        ("/admin/settings", [.admin], .forbidden),
        ("/team/allocate", [.teamManager], .forbidden),
        ("/account", Set(UserRole.allCases), .signIn),
        ("/working-online", Self.allStaff, .forbidden),
        ("/working-online/keeping-children-safe", Self.allStaff, .forbidden),
        ("/working-online/digital-footprint-check", Self.allStaff, .forbidden),
        ("/working-online/targeted-online", Self.allStaff, .forbidden),
        ("/working-online/records", Self.allStaff, .forbidden),
        ("/plans/plan-eng-sam/supervision", [.socialWorker, .teamManager], .notFound),
        ("/admin/audit", [.admin], .forbidden),
        ("/content", [.practiceLead, .admin], .forbidden),
    ]

    static func status(_ s: HTTPResponse.Status, location: String?) -> Expect? {
        switch s.code {
        case 200: .ok
        case 403: .forbidden
        case 404: .notFound
        case 303 where location == "/login": .signIn
        default: nil
        }
    }

    @Test("Each of the nine roles, and a signed-out visitor, on every page")
    func everyRouteEveryRole() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let visitor = Session(client)
            for route in Self.routes {
                let page = try await visitor.get(route.path)
                #expect(Self.status(page.status, location: page.headers[.location]) == .signIn, "signed out at \(route.path)")
            }
            for role in UserRole.allCases {
                let s = Session(client)
                try await s.signIn(role)
                for route in Self.routes {
                    let page = try await s.get(route.path)
                    let got = Self.status(page.status, location: page.headers[.location])
                    let want: Expect = route.allowed.contains(role) ? .ok : route.otherwise
                    #expect(got == want, "\(role) at \(route.path): \(page.status.code)")
                    if got == .ok { #expect(!page.body.contains("<script"), "\(route.path)") }
                }
            }
        }
    }

    @Test("A family member never reaches another family's child, even by guessing plan ids in every family and staff page")
    func noGuessing() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let adopter = Session(client)
            try await adopter.signIn(.adopter)
            let foster = Session(client)
            try await foster.signIn(.fosterCarer)
            for plan in ["plan-sco-lewis", "plan-wls-mia", "plan-ni-niamh", "plan-eng-sam"] {
                for path in ["/plans/\(plan)", "/plans/\(plan)/guides", "/panel/plans/\(plan)", "/panel/plans/\(plan)/pack.pdf"] {
                    #expect(try await adopter.get(path).status == .notFound, "adopter at \(path)")
                    #expect(try await foster.get(path).status == .notFound, "foster carer at \(path)")
                }
            }
            // Their own pages name their own child only.
            #expect(try await adopter.get("/family").body.contains("Sam"))
            #expect(try await foster.get("/family").body.contains("Lewis"))
            #expect(!(try await adopter.get("/family/contact").body.contains("Lewis")))
        }
    }
}
