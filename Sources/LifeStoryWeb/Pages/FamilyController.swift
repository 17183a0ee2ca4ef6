import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import Mustache
import NIOCore

/// The adopter's and foster carer's pages: now, next, what to do if, contact, downloads and the journal. Every
/// page is a part of the family's guide, built for their audience (a foster carer's leaves out everything that
/// identifies the adopters) and scanned for protected tokens before it is sent.
struct FamilyController {
    let services: WebServices
    var access: Access { Access(services: services) }

    func add(to router: Router<AppRequestContext>) {
        router.get("/family") { request, context in try await guidePage(request, context: context, tab: "now") }
        router.get("/family/next") { request, context in try await guidePage(request, context: context, tab: "next") }
        router.get("/family/contact") { request, context in try await guidePage(request, context: context, tab: "contact") }
        router.get("/family/what-if") { request, context in try await guidePage(request, context: context, tab: "what-if") }
        router.get("/family/what-if/{card}", use: card)
        router.get("/family/downloads", use: downloads)
        router.get("/family/guide.pdf") { request, context in try await guidePDF(request, context: context, handbook: false) }
        router.get("/family/handbook.pdf") { request, context in try await guidePDF(request, context: context, handbook: true) }
        router.get("/family/print", use: printPage)
        router.get("/family/calendar.ics", use: calendar)
        router.get("/family/journal", use: journal)
        router.post("/family/journal", use: addJournal)
    }

    /// The family member's child: the one plan they are assigned to, in their agency (one read).
    func child(_ context: AppRequestContext) throws -> (planID: String, audience: GuideAudience) {
        let (planID, _, audience) = try childWithVersion(context)
        return (planID, audience)
    }

    func childWithVersion(_ context: AppRequestContext) throws -> (planID: String, latestVersion: Int?, audience: GuideAudience) {
        let user = try access.requireRole([.adopter, .fosterCarer], context: context)
        guard let found = try services.familyPlans.plan(userId: user.id, agencyId: user.agencyId, now: services.now(), store: services.plans) else {
            throw PageError.notFound("There is no plan for your child here yet. Your social worker will tell you when it is ready.")
        }
        return (found.planID, found.latestVersion, context.role == .fosterCarer ? .fosterCarer : .adopter)
    }

    static let notReady = "Your child's plan is still being written or agreed. Your social worker will tell you when it is ready to read here."

    /// The family's guide for today, from the last approved or active version of the plan (never a draft in
    /// progress), built once per version, edition, audience and day. Every view is audited, cached or not.
    func guide(_ context: AppRequestContext, purpose: String) async throws -> (guide: Guide, plan: Plan, key: String, released: StoredPlan) {
        let (planID, latest, audience) = try childWithVersion(context)
        guard let latest, let released = try services.guideCache.released(planID: planID, latest: latest, lookup: { try services.plans.releasedVersion(planID) }) else {
            throw PageError(status: .ok, message: Self.notReady)
        }
        let today = services.today()
        let key = GuideCache.key(planID: planID, revision: released.number, audience: audience, edition: services.editionID, asOf: today)
        if let hit = services.guideCache.entry(key) {
            try await services.auditBatcher.record(PlanStore.AuditRequest(planID: planID, actor: context.actor, action: "read", purpose: purpose,
                                                                          detail: "v\(released.number) r\(released.revision)"))
            return (hit.guide, hit.plan, key, StoredPlan(plan: hit.plan, revision: released.revision, updatedAt: "", updatedBy: ""))
        }
        let plan = try services.plans.version(planID, number: released.number, actor: context.actor, purpose: purpose)
        var guide = audience == .fosterCarer
            ? try GuideBuilder.fosterCarerGuide(plan, library: services.library, law: services.law, asOf: today)
            : try GuideBuilder.adopterGuide(plan, library: services.library, law: services.law, asOf: today)
        // The Now page is the short guide's: where you are, the words to use, and what is new for this child.
        let short = try GuideBuilder.nowAndNext(plan, for: audience, library: services.library, law: services.law, asOf: today,
                                                since: try GuideService(services: services).lastEdition(planID: planID, audience: audience))
        // On a phone it must fit in about three screens: the PDF's framing is left out, and the words and news are
        // the first three.
        guide.sections += short.sections.filter { $0.id == "now" || $0.id == "new" }.map { section in
            var blocks: [GuideBlock] = []
            for block in section.blocks {
                switch block {
                case .paragraph(let t) where t.hasPrefix("This short guide"): continue
                case .heading(let t) where t == "Where you are now": continue
                case .phrasings(let items): blocks.append(.phrasings(Array(items.prefix(3))))
                case .list(let items): blocks.append(.list(Array(items.prefix(3))))
                default: blocks.append(block)
                }
            }
            return GuideSection(id: "short-" + section.id, title: section.id == "now" ? "Where you are now" : section.title, blocks: blocks)
        }
        services.guideCache.store(key, GuideCache.Entry(guide: guide, plan: plan))
        return (guide, plan, key, StoredPlan(plan: plan, revision: released.revision, updatedAt: "", updatedBy: ""))
    }

    struct CardLink {
        var href: String
        var title: String
        var level: String
    }

    struct GuidePage: PageModel {
        var pageTitle: String
        var section: String
        var csrf = ""
        var heading: String
        var lead: String?
        var sections: [PanelController.SectionView]
        var hasSections: Bool
        var cards: [CardLink]
        var hasCards: Bool
        var empty: String?
        var back: String?
    }

    /// Renders a family page (kept per version, edition, audience and day); FamilyReleaseMiddleware scans it on its
    /// way out, as it does every family response.
    func send(_ template: String, _ page: GuidePage, plan: Plan, audience: GuideAudience, key: String, tab: String,
              context: AppRequestContext) throws -> Response {
        if let body = services.guideCache.body(key, tab: tab) {
            return services.page(body: body, title: page.pageTitle, section: page.section, context: context)
        }
        var model = page
        model.csrf = ""
        // The release scan of what is sent happens in one place for every family response: FamilyReleaseMiddleware.
        let body = services.templates.render(TemplateModel.convert(model) ?? [:], withTemplate: template) ?? ""
        services.guideCache.store(key, tab: tab, body: body)
        return services.page(body: body, title: page.pageTitle, section: page.section, context: context)
    }

    func guidePage(_ request: Request, context: AppRequestContext, tab: String) async throws -> Response {
        let (guide, plan, key, _) = try await guide(context, purpose: "read the family's guide (\(tab))")
        if services.guideCache.body(key, tab: tab) != nil {
            return try send("family", GuidePage(pageTitle: Self.titles[tab] ?? tab, section: tab, heading: "", lead: nil, sections: [], hasSections: false,
                                                cards: [], hasCards: false), plan: plan, audience: guide.audience, key: key, tab: tab, context: context)
        }
        let ids: [String], title: String, lead: String
        let name = GuideBuilder.childName(plan, for: guide.audience)
        switch tab {
        case "now":
            ids = ["short-now", "short-new", "decisions"]
            title = "Now"
            lead = "What to talk about with \(name) now, and words you can use."
        case "next":
            ids = ["next", "catch-up"]
            title = "What comes next"
            lead = "The stages ahead, with their dates, and anything to catch up on."
        case "contact":
            ids = ["contact"]
            title = "Contact, in plain English"
            lead = "Who \(name) keeps in touch with, how, and what the rules are."
        default:
            ids = []
            title = "What to do if"
            lead = "Choose what is happening. Each card says what to do first and who to call, in order."
        }
        // In the order the tab lists them; what is new, and the foster carers' decisions, folded on the Now page.
        let sections = ids.compactMap { id in guide.sections.first { $0.id == id } }.map {
            PanelController.SectionView(id: $0.id, title: $0.title, blocks: $0.blocks.map(GuideRenderer.blockModel),
                                        folded: tab == "now" && ($0.id == "short-new" || $0.id == "decisions"))
        }
        var cards: [CardLink] = []
        if tab == "what-if" {
            let blocks = guide.sections.first { $0.id == "what-to-do-if" }?.blocks ?? []
            var n = 0
            for case .card(let c) in blocks {
                n += 1
                cards.append(CardLink(href: "/family/what-if/\(n)", title: c.title, level: c.level))
            }
        }
        let page = GuidePage(pageTitle: title, section: tab, heading: title, lead: lead, sections: sections, hasSections: !sections.isEmpty,
                             cards: cards, hasCards: !cards.isEmpty,
                             empty: sections.isEmpty && cards.isEmpty ? "There is nothing here yet. Your social worker is still writing this part of the plan." : nil)
        return try send("family", page, plan: plan, audience: guide.audience, key: key, tab: tab, context: context)
    }

    static let titles = ["now": "Now", "next": "What comes next", "contact": "Contact, in plain English", "what-if": "What to do if"]

    @Sendable func card(_ request: Request, context: AppRequestContext) async throws -> Response {
        let n = try RequestNumber.index(try context.parameters.require("card"))
        let (guide, plan, key, _) = try await guide(context, purpose: "read a 'what to do if' card")
        let section = guide.sections.first { $0.id == "what-to-do-if" }
        var index = 0
        for block in section?.blocks ?? [] {
            guard case .card(let c) = block else { continue }
            index += 1
            if index == n {
                let page = GuidePage(pageTitle: c.title, section: "what-if", heading: c.title, lead: nil,
                                     sections: [PanelController.SectionView(id: "card", title: "What to do, and who to call", blocks: [GuideRenderer.blockModel(block)])],
                                     hasSections: true, cards: [], hasCards: false, empty: nil, back: "/family/what-if")
                return try send("family", page, plan: plan, audience: guide.audience, key: key, tab: "card-\(n)", context: context)
            }
        }
        throw PageError.notFound("There is no such card. Go back to What to do if.")
    }

    struct DownloadsPage: PageModel {
        var pageTitle = "Downloads"
        var section = "downloads"
        var csrf = ""
        var knownAs: String
    }

    /// Downloads and the journal name the child from the released version only, never from a draft in progress.
    @Sendable func downloads(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (guide, plan, _, _) = try await guide(context, purpose: "see the family's downloads")
        return services.page("downloads", DownloadsPage(knownAs: GuideBuilder.childName(plan, for: guide.audience)), context: context)
    }

    /// The family's PDF: "Now and next" (the default), or the full handbook.
    func guidePDF(_ request: Request, context: AppRequestContext, handbook: Bool) async throws -> Response {
        let (guide, _, _, released) = try await guide(context, purpose: handbook ? "download the family's handbook" : "download the family's short guide")
        let audience = (guide.audience == .fosterCarer ? "foster-carer" : "adopter") + (handbook ? "" : "-now-and-next")
        var download = try await GuideService(services: services).issue(released, audience: audience, format: "pdf", actor: context.actor)
        // The family's file is named for what it is, not for whom: nothing in a file name identifies the child.
        download.filename = handbook ? "life-story-handbook.pdf" : "now-and-next.pdf"
        var response = download.response()
        // GuideService.issue scanned the PDF's own text for this reader before returning it.
        response.headers[FamilyReleaseMiddleware.scannedHeader] = "pdf-text"
        return response
    }

    /// The short guide as a print-ready web page: what to print when a PDF cannot be made. Shown in the browser, not
    /// downloaded; the release scan reads it on the way out like every family page.
    @Sendable func printPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (guide, _, _, released) = try await guide(context, purpose: "open the family's print-ready guide")
        let audience = (guide.audience == .fosterCarer ? "foster-carer" : "adopter") + "-now-and-next"
        let download = try await GuideService(services: services).issue(released, audience: audience, format: "html", actor: context.actor)
        var headers = HTTPFields()
        headers[.contentType] = download.contentType
        headers[.contentDisposition] = "inline"
        if let csp = download.csp { headers[.contentSecurityPolicy] = csp }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: download.data)))
    }

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (guide, _, _, stored) = try await guide(context, purpose: "download the family's calendar")
        let (planID, audience) = (stored.plan.id, guide.audience)
        let ics = GuideCalendar.ics(stored.plan, law: services.law, asOf: services.today())
        try services.plans.recordIssuedGuide(planID: planID, revision: stored.revision, audience: audience.rawValue,
                                             contentEdition: services.library.edition.id, format: "ics",
                                             sha256: GuideService.sha256(Data(ics.utf8)), actor: context.actor)
        return Download(data: Data(ics.utf8), filename: "life-story-plan.ics", contentType: "text/calendar; charset=utf-8").response()
    }

    struct JournalPage: PageModel {
        var pageTitle = "Journal"
        var section = "journal"
        var csrf = ""
        var knownAs: String
        var entries: [PlanController.JournalView]
        var hasEntries: Bool
        var summary: ErrorSummary?
        var today: String
        var happenedOn = ""
        var text = ""
        var textError: String?
        var dateError: String?
        var kindError: String?
        var kindConversation = true
        var kindQuestion = false
        var kindNote = false
        var saved = false
        /// Who reads what this reader writes (see `mayRead`).
        var whoReads = ""
    }

    /// Whose journal entries each family reader sees. Adopters read everyone's: the child lives with them, and they
    /// are the child's parents. A foster carer reads only what foster carers and the child's social workers wrote:
    /// what adopters write about their home and family is theirs, and may identify them.
    static func mayRead(_ reader: UserRole?, author: String?) -> Bool {
        let role = author.flatMap(UserRole.init(rawValue:))
        switch reader {
        case .adopter?: return true
        case .fosterCarer?: return [.fosterCarer, .socialWorker, .teamManager].contains(role)
        default: return false
        }
    }

    /// Authors by role, never by name: "You", "Foster carer", "Social worker".
    static func authorLabel(_ entry: JournalEntry, reader: UserRecord?) -> String {
        if entry.authorId == reader?.id { return "You" }
        return entry.authorRole.flatMap(UserRole.init(rawValue:))?.label ?? "Someone at the agency"
    }

    func journalPage(_ planID: String, context: AppRequestContext, page: JournalPage? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        // The child's name from the released version, never a draft; before there is one, "your child".
        let released = try services.plans.releasedVersion(planID)
        let name = try released.map { r in
            GuideBuilder.childName(try services.plans.version(planID, number: r.number, actor: context.actor, purpose: "read the family's journal"),
                                   for: context.role == .fosterCarer ? .fosterCarer : .adopter)
        } ?? "your child"
        let entries = try services.journal.entries(planID: planID).filter { Self.mayRead(context.role, author: $0.authorRole) }.map {
            PlanController.JournalView(kind: Choices.humanise($0.kind), happenedOn: CalendarDate(iso: $0.happenedOn)?.long ?? $0.happenedOn,
                                       text: $0.text, author: Self.authorLabel($0, reader: context.user))
        }
        var p = page ?? JournalPage(knownAs: name, entries: [], hasEntries: false, today: FormReader.dateInput(services.today().iso))
        p.knownAs = name
        p.whoReads = context.role == .fosterCarer
            ? "Your social worker sees what you write here, and so will the family \(name) goes on to live with. You see what other foster carers and the social workers write."
            : "Your social worker sees what you write here. What you write is not shown to foster carers."
        p.entries = entries
        p.hasEntries = !entries.isEmpty
        if p.happenedOn.isEmpty && p.summary == nil { p.happenedOn = FormReader.dateInput(services.today().iso) }
        return services.page("journal", p, context: context, status: status)
    }

    @Sendable func journal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (planID, _) = try child(context)
        var page = JournalPage(knownAs: "", entries: [], hasEntries: false, today: FormReader.dateInput(services.today().iso))
        page.saved = request.uri.queryParameters["saved"] != nil
        return try journalPage(planID, context: context, page: page)
    }

    @Sendable func addJournal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (planID, _) = try child(context)
        let form = context.form ?? FormData("")
        var page = JournalPage(knownAs: "", entries: [], hasEntries: false, today: FormReader.dateInput(services.today().iso))
        page.happenedOn = form["happenedOn"] ?? ""
        page.text = form["text"] ?? ""
        let kind = form["kind"] ?? ""
        page.kindConversation = kind == "conversation"
        page.kindQuestion = kind == "question"
        page.kindNote = kind == "note"
        if !["conversation", "question", "note"].contains(kind) { page.kindError = "Choose what you are noting" }
        let date = FormReader.parseDate(page.happenedOn.trimmingCharacters(in: .whitespaces))
        if date == nil { page.dateError = "Enter the date it happened, like \(FormReader.dateInput(services.today().iso))" } else if let date, date > services.today() {
            page.dateError = "The date must be today or in the past"
        }
        let text = form.text("text")
        if text == nil { page.textError = "Write what was said or asked" } else if (text?.count ?? 0) > 5000 { page.textError = "The entry is too long: keep it to 5,000 characters or fewer" }
        let errors = [page.kindError.map { FieldError(field: "kind-conversation", message: $0) }, page.dateError.map { FieldError(field: "happenedOn", message: $0) },
                      page.textError.map { FieldError(field: "text", message: $0) }].compactMap { $0 }
        guard errors.isEmpty, let date, let text else {
            page.summary = ErrorSummary(errors)
            return try journalPage(planID, context: context, page: page, status: .unprocessableContent)
        }
        try services.journal.add(planID: planID, author: context.actor, kind: kind, happenedOn: date, text: text, at: services.timestamp())
        return services.redirect("/family/journal?saved=1")
    }
}
