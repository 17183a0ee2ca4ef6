import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import Mustache
import NIOCore
import NIOPosix

/// Everything a handler needs, made once at start-up and shared (immutable, so Sendable).
public final class WebServices: Sendable {
    public let config: WebConfiguration
    public let database: AppDatabase
    public let plans: PlanStore
    public let users: UserStore
    public let sessions: SessionStore
    public let throttle: LoginThrottle
    public let security: SecurityLog
    public let invitations: InvitationStore
    public let journal: JournalStore
    public let panel: PanelStore
    public let progress: SectionProgressStore
    public let dutyLines: DutyLineStore
    public let accounts: AccountStore
    public let staff: StaffStore
    let oidc: OIDCClient?
    public let library: ContentLibrary
    public let law: LawBook
    let templates: MustacheLibrary
    let guideRenderer: GuideRenderer
    let css: ByteBuffer
    let cssETag: String
    let guideCache = GuideCache()
    let frames = Mutex<[String: (head: ByteBuffer, tail: ByteBuffer)]>([:])
    /// Caseload pages rendered, by scope, page and day, each with the database's caseload version it was read at.
    let caseloadPages = Mutex<[CaseloadController.Key: CaseloadController.Rendered]>([:])
    /// PDFs made today, by plan version, guidance edition, audience, day and the HTML they came from.
    let pdfCache = Mutex<[String: Data]>([:])
    let sessionCache = SessionCache()
    let familyPlans = FamilyPlanCache()
    let releaseTokens = ReleaseTokenCache()
    /// The guidance edition's id, made once (it is computed from the edition's date and hash).
    let editionID: String
    let auditBatcher: AuditBatcher

    init(config: WebConfiguration, database: AppDatabase, library: ContentLibrary, law: LawBook, templates: MustacheLibrary,
         css: String) throws {
        self.config = config
        self.database = database
        plans = PlanStore(database)
        users = UserStore(database)
        sessions = SessionStore(database, idleTimeout: config.idleTimeout)
        throttle = LoginThrottle(database)
        security = SecurityLog(database)
        // A hash at the configured cost, so checking a password for an account that does not exist takes as long.
        dummyHash = Bcrypt.hash("not a password anyone has", cost: config.bcryptCost)
        invitations = InvitationStore(database)
        journal = JournalStore(database)
        panel = PanelStore(database)
        progress = SectionProgressStore(database)
        dutyLines = DutyLineStore(database)
        accounts = AccountStore(database)
        staff = StaffStore(database)
        oidc = config.oidc.map { OIDCClient(settings: $0, redirectURI: config.baseURL + "/sso/callback") }
        auditBatcher = AuditBatcher(store: plans)
        editionID = library.edition.id
        self.library = library
        self.law = law
        self.templates = templates
        guideRenderer = try GuideRenderer()
        self.css = ByteBuffer(string: css)
        cssETag = "\"" + Token.hash(css).prefix(16) + "\""
    }

    /// Unix seconds now.
    func now() -> Double { Date().timeIntervalSince1970 }

    /// Today in the UK, or the configured preview date.
    func today() -> CalendarDate {
        config.asOf ?? Today.inUK()
    }

    func timestamp() -> String { plans.timestamp() }

    /// Behind HTTPS, cookies carry the `__Host-` prefix: the browser then takes them only over HTTPS, from this host
    /// exactly, for the whole site, so no other subdomain can set or overwrite them.
    func cookieName(_ base: String) -> String { config.secureCookies ? "__Host-" + base : base }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: cookieName(name), value: value, maxAge: maxAge, path: "/", secure: config.secureCookies, httpOnly: true, sameSite: .strict)
    }

    // MARK: passwords, hashed off the event loop

    func hashPassword(_ password: String) async throws -> String {
        let cost = config.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String?) async throws -> Bool {
        // With no hash, still spend the time a check takes, so a missing account is not told apart by timing.
        let target = hash ?? dummyHash
        let ok = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && ok
    }

    let dummyHash: String

    // MARK: pages

    /// Renders a page template inside the layout.
    func page(_ template: String, _ model: some PageModel, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        var model = model
        model.csrf = context.csrf
        let body = body(template, model)
        // A form sent back with its errors says so first in the title, as GOV.UK pages do, so a screen reader hears it.
        let title = status == .unprocessableContent ? "Error: " + model.pageTitle : model.pageTitle
        return page(body: body, title: title, section: model.section, context: context, status: status)
    }

    /// A page template rendered on its own, for a page kept and put inside the layout later.
    func body(_ template: String, _ model: some PageModel) -> String {
        templates.render(TemplateModel.convert(model) ?? [:], withTemplate: template) ?? ""
    }

    /// Puts an already rendered (and escaped) body inside the layout. The layout is rendered around a marker and the
    /// body is joined in as bytes: a page body can be large, and the template engine would copy and measure it.
    func page(body: String, title: String, section: String, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let frame = layoutFrame(title: title, section: section, context: context)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(frame.head.readableBytes + body.utf8.count + frame.tail.readableBytes)
        buffer.writeImmutableBuffer(frame.head)
        buffer.writeString(body)
        buffer.writeImmutableBuffer(frame.tail)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    static let bodyMarker = "\u{1}lifestory-page-body\u{1}"

    /// The layout around a page depends only on who is signed in, their form token, the title and the section: it is
    /// rendered once for each, split around the body, and kept (bounded), so an everyday page does not run the
    /// template engine for its frame.
    func layoutFrame(title: String, section: String, context: AppRequestContext) -> (head: ByteBuffer, tail: ByteBuffer) {
        let key = [context.user?.id ?? "", context.csrf, title, section].joined(separator: "\u{1}")
        if let frame = frames.withLock({ $0[key] }) { return frame }
        let layout = LayoutModel(title: title, body: Self.bodyMarker, context: context, active: section)
        let text = templates.render(layout, withTemplate: "layout") ?? Self.bodyMarker
        let parts = text.components(separatedBy: Self.bodyMarker)
        let frame = (ByteBuffer(string: parts.first ?? ""), ByteBuffer(string: parts.count > 1 ? parts[1] : ""))
        frames.withLock { all in
            if all.count >= 2048 { all.removeAll() }
            all[key] = frame
        }
        return frame
    }

    func errorPage(_ status: HTTPResponse.Status, _ message: String, context: AppRequestContext) -> Response {
        let title = switch status.code {
        case 200: "Not ready yet"
        case 403: "You cannot do that"
        case 404: "Page not found"
        case 409: "Someone else changed this"
        case 413: "Too much to send"
        case 429: "Too many attempts"
        default: status.code >= 500 ? "Sorry, there is a problem" : "There is a problem"
        }
        return page("message", MessagePage(pageTitle: title, message: message, signedIn: context.user != nil), context: context, status: status)
    }

    func redirect(_ to: String) -> Response {
        Response(status: .seeOther, headers: [.location: to])
    }
}

/// What every page model gives the layout.
protocol PageModel {
    var pageTitle: String { get }
    /// The CSRF token the page's forms carry; `page()` fills it in.
    var csrf: String { get set }
    /// The navigation item to mark as current.
    var section: String { get }
}

extension PageModel {
    var section: String { "" }
}

struct MessagePage: PageModel {
    var pageTitle: String
    var csrf = ""
    var message: String
    var signedIn: Bool
}

struct NavItem: MustacheParent {
    var href: String
    var label: String
    var current: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "href": href
        case "label": label
        case "current": current
        default: nil
        }
    }
}

/// The frame of every page: skip link, header, navigation for the role, sign-out form, footer.
/// The layout is drawn on every request, so it answers the template's lookups directly instead of by reflection.
struct LayoutModel: MustacheParent {
    var title: String
    /// The page's own HTML, already rendered by its template (which escapes every value).
    var body: String
    var userName: String?
    var roleLabel: String?
    var csrf: String
    var nav: [NavItem]
    var hasNav: Bool
    var demoBanner: Bool
    /// Families see "Something is happening now?" on every page.
    var isFamily: Bool

    init(title: String, body: String, context: AppRequestContext, active: String) {
        self.title = title
        self.body = body
        userName = context.user?.displayName
        roleLabel = context.role?.label
        csrf = context.csrf
        demoBanner = context.user?.email.hasSuffix("@demo.lifestory.invalid") ?? false
        isFamily = context.role == .adopter || context.role == .fosterCarer
        let items: [(String, String, String)] = switch context.role {
        case .socialWorker?: [("/caseload", "Caseload", "caseload"), ("/children/new", "New plan", "new"), ("/working-online", "Working online", "working-online")]
        case .teamManager?: [("/caseload", "Team caseload", "caseload"), ("/team/allocate", "Allocate", "allocate"), ("/meetings", "Panel meetings", "meetings"),
                             ("/working-online", "Working online", "working-online")]
        case .admin?: [("/caseload", "All children", "caseload"), ("/meetings", "Panel meetings", "meetings"), ("/admin/users", "Users", "users"),
                       ("/admin/settings", "Settings", "settings"), ("/admin/audit", "Audit", "audit"), ("/working-online", "Working online", "working-online")]
        case .panelMember?, .panelChair?, .decisionMaker?: [("/panel", "Panel agenda", "panel"), ("/working-online", "Working online", "working-online")]
        case .adopter?, .fosterCarer?: [("/family", "Now", "now"), ("/family/next", "Next", "next"), ("/family/what-if", "What to do if", "what-if"),
                                        ("/family/contact", "Contact", "contact"), ("/family/downloads", "Downloads", "downloads"), ("/family/journal", "Journal", "journal")]
        case .practiceLead?: [("/content", "Guidance library", "content"), ("/working-online", "Working online", "working-online")]
        case nil: []
        }
        nav = items.map { NavItem(href: $0.0, label: $0.1, current: $0.2 == active) }
        hasNav = !nav.isEmpty
    }

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "body": body
        case "userName": userName
        case "roleLabel": roleLabel
        case "csrf": csrf
        case "nav": nav
        case "hasNav": hasNav
        case "demoBanner": demoBanner
        case "isFamily": isFamily
        default: nil
        }
    }
}

extension UserRole {
    public var label: String {
        switch self {
        case .admin: "Agency admin"
        case .socialWorker: "Social worker"
        case .teamManager: "Team manager"
        case .panelMember: "Panel member"
        case .panelChair: "Panel chair"
        case .decisionMaker: "Agency decision maker"
        case .adopter: "Adopter"
        case .fosterCarer: "Foster carer"
        case .practiceLead: "Practice lead"
        }
    }

    /// Where a user goes after signing in.
    var home: String {
        switch self {
        case .socialWorker, .teamManager, .admin: "/caseload"
        case .panelMember, .panelChair, .decisionMaker: "/panel"
        case .adopter, .fosterCarer: "/family"
        case .practiceLead: "/content"
        }
    }
}
