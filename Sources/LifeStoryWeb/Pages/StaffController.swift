import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore

/// "Working online": the agency's own social media guidance for its staff, from the library's `practice/` files;
/// the personal digital-footprint check (only its completion is kept); "I'm being targeted online" and its records
/// (the worker, their team manager and the admin only, every view audited); the agency's policy as a printable PDF;
/// and supervision about social media on a child's record (the social worker and the team manager only).
struct StaffController {
    let services: WebServices

    static let staffRoles: Set<UserRole> = [.socialWorker, .teamManager, .admin, .panelMember, .panelChair, .decisionMaker, .practiceLead]
    static let footprintID = "practice-digital-footprint-check"
    static let targetedID = "practice-targeted-online"
    static let supervisionID = "practice-supervision"
    /// The policy's chapters, in order: the agency adopts them as its own social media policy.
    static let policyChapters = [
        "practice-keeping-children-safe", "practice-good-practice-and-privacy-settings", "practice-e-professionalism-and-standards",
        "practice-boundaries-and-confidentiality", "practice-contact-from-service-users-and-birth-family", "practice-viewing-public-profiles",
        "practice-work-phones-and-messaging", "practice-panel-members-privacy", "practice-case-law-and-legal-consequences",
        "practice-basw-dilemma", "practice-targeted-online", "practice-supervision",
    ]

    struct Link {
        var href: String
        var title: String
        var summary: String
    }

    struct IndexPage: PageModel {
        var pageTitle = "Working online"
        var section = "working-online"
        var csrf = ""
        var guidance: [Link]
        var footprintDue: String?
        var footprintDone: String?
        var role: String
    }

    struct SectionView {
        var title: String
        var html: String
        var hasTitle: Bool
        var anchor: String
    }

    struct GuidancePage: PageModel {
        var pageTitle: String
        var section = "working-online"
        var csrf = ""
        var title: String
        var reviewBy: String
        var sections: [SectionView]
        var sources: [SourceView]
        var footprint: Bool = false
        var footprintDone: String?
        var targeted: Bool = false
        var notice: String?
        var form: IncidentForm?
    }

    struct SourceView {
        var title: String
        var url: String
    }

    struct IncidentForm {
        var summary: ErrorSummary?
        var day = "", month = "", year = ""
        var platform = ""
        var what = ""
        var toldManager = false, reported = false, police = false
        var dateError: String?
        var platformError: String?
        var whatError: String?
    }

    struct RecordRow {
        var href: String
        var worker: String
        var happenedOn: String
        var platform: String
    }

    struct RecordsPage: PageModel {
        var pageTitle = "Records of staff targeted online"
        var section = "working-online"
        var csrf = ""
        var rows: [RecordRow]
        var hasRows: Bool
        var who: String
    }

    struct RecordPage: PageModel {
        var pageTitle = "Targeted online: a record"
        var section = "working-online"
        var csrf = ""
        var worker: String
        var happenedOn: String
        var platform: String
        var what: String
        var steps: [String]
        var recordedAt: String
    }

    /// The form that records being targeted: dates as GOV.UK's three boxes.
    struct IncidentInput: Decodable {
        var happenedOn: DateParts?
        var platform: String?
        var what: String?
        var toldManager: String?
        var reported: String?
        var police: String?
    }

    func add(to router: Router<AppRequestContext>) {
        let access = Access(services: services)
        router.get("/working-online") { _, context -> Response in
            let user = try access.requireRole(Self.staffRoles, context: context)
            let items = services.library.items(of: .practice).filter { Self.policyChapters.contains($0.id) || $0.id == Self.footprintID }
            let ordered = items.sorted { (Self.policyChapters.firstIndex(of: $0.id) ?? 99) < (Self.policyChapters.firstIndex(of: $1.id) ?? 99) }
            let links = ordered.map { item in
                Link(href: "/working-online/\(item.id.dropFirst("practice-".count))", title: item.title,
                     summary: Self.plain(item.sections.first { $0.title == "In short" }?.markdown(for: nil) ?? ""))
            }
            var page = IndexPage(guidance: links, role: context.role?.label ?? "")
            let (done, due) = try footprintState(user)
            page.footprintDone = done
            page.footprintDue = due
            return services.page("working-online", page, context: context)
        }
        router.get("/working-online/policy.pdf") { request, context in try await policyPDF(request, context: context, full: false) }
        router.get("/working-online/guidance.pdf") { request, context in try await policyPDF(request, context: context, full: true) }
        router.get("/working-online/records") { _, context -> Response in
            let user = try access.requireRole(Self.staffRoles, context: context)
            let rows = try services.staff.incidents(visibleTo: user).map {
                RecordRow(href: "/working-online/records/\($0.id)", worker: $0.workerName ?? "", happenedOn: CalendarDate(iso: $0.happenedOn)?.long ?? "",
                          platform: $0.platform)
            }
            let who = switch context.role {
            case .admin?: "Every record in the agency. Only the worker, their team manager and you can open one, and each time is in the audit log."
            case .teamManager?: "Your own records and your team's. Only the worker, you and the agency's admin can open one, and each time is in the audit log."
            default: "Your own records. Only you, your team manager and the agency's admin can open them, and each time is in the audit log."
            }
            return services.page("staff-records", RecordsPage(rows: rows, hasRows: !rows.isEmpty, who: who), context: context)
        }
        router.get("/working-online/records/{id}") { _, context -> Response in
            let user = try access.requireRole(Self.staffRoles, context: context)
            let id = try context.parameters.require("id")
            guard SafeID.isSafe(id), let i = try services.staff.incident(id: id, for: user, now: services.now()) else { throw PageError.notFound() }
            let steps = [(i.toldManager, "Told their manager"), (i.reported, "Reported it to the platform"), (i.police, "Told the police")]
                .map { $0.0 ? $0.1 : "Not yet: " + $0.1.prefix(1).lowercased() + $0.1.dropFirst() }
            return services.page("staff-record", RecordPage(worker: i.workerName ?? "", happenedOn: CalendarDate(iso: i.happenedOn)?.long ?? "",
                                                            platform: i.platform, what: i.what, steps: steps, recordedAt: TimeWords.long(i.createdAt)), context: context)
        }
        router.get("/working-online/{page}") { _, context -> Response in
            try practicePage(try context.parameters.require("page"), context: context)
        }
        // A path that also takes a POST needs its own GET: the router matches the literal path before the parameter.
        router.get("/working-online/targeted-online") { _, context -> Response in
            try practicePage("targeted-online", context: context)
        }
        router.post("/working-online/footprint-check") { _, context -> Response in
            let user = try access.requireRole(Self.staffRoles, context: context)
            try services.staff.completeFootprintCheck(userId: user.id, role: user.role, now: services.now())
            guard let item = services.library.items(of: .practice).first(where: { $0.id == Self.footprintID }) else { throw PageError.notFound() }
            var page = guidancePage(item)
            page.footprint = true
            page.footprintDone = try footprintState(user).done
            page.notice = "Thank you. Lifestory has noted that you did the check today, and nothing else. It will remind you in twelve months."
            return services.page("practice", page, context: context)
        }
        router.post("/working-online/targeted-online") { _, context -> Response in
            let user = try access.requireRole(Self.staffRoles, context: context)
            guard let item = services.library.items(of: .practice).first(where: { $0.id == Self.targetedID }) else { throw PageError.notFound() }
            let input = try TypedForm.decode(IncidentInput.self, from: context.form)
            var form = IncidentForm(day: input.happenedOn?.day ?? "", month: input.happenedOn?.month ?? "", year: input.happenedOn?.year ?? "",
                                    platform: (input.platform ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                                    what: (input.what ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                                    toldManager: input.toldManager == "true", reported: input.reported == "true", police: input.police == "true")
            var date: CalendarDate?
            switch (input.happenedOn ?? DateParts()).parse("The date it happened") {
            case .success(let d):
                if let d, d > services.today() { form.dateError = "The date it happened must be today or in the past" } else if d == nil { form.dateError = "Enter the date it happened" }
                date = d
            case .failure(let problem): form.dateError = problem.message
            }
            if form.platform.isEmpty { form.platformError = "Enter where it happened, like Facebook or a text message" } else if form.platform.count > 100 { form.platformError = "Where it happened must be 100 characters or fewer" }
            if form.what.isEmpty { form.whatError = "Enter what happened" } else if form.what.count > 5000 { form.whatError = "What happened must be 5,000 characters or fewer" }
            var page = guidancePage(item)
            page.targeted = true
            let errors = [("happenedOn", form.dateError), ("platform", form.platformError), ("what", form.whatError)]
                .compactMap { f, m in m.map { FieldError(field: f, message: $0) } }
            guard errors.isEmpty, let date else {
                form.summary = ErrorSummary(errors)
                page.form = form
                return services.page("practice", page, context: context, status: .unprocessableContent)
            }
            let id = "incident-" + Token.make().prefix(12).lowercased().filter { $0.isLetter || $0.isNumber }
            try services.staff.addIncident(.init(id: id, userId: user.id, agencyId: user.agencyId, happenedOn: date.iso, platform: form.platform,
                                                 what: form.what, toldManager: form.toldManager, reported: form.reported, police: form.police,
                                                 createdAt: services.timestamp()), by: context.actor)
            page.form = IncidentForm()
            page.notice = "Recorded. Only you, your team manager and the agency's admin can read it, and each time someone does is in the audit log. If you have not yet, tell your manager today."
            return services.page("practice", page, context: context)
        }
    }

    // MARK: building the pages

    func practicePage(_ name: String, context: AppRequestContext) throws -> Response {
        let user = try Access(services: services).requireRole(Self.staffRoles, context: context)
        guard SafeID.isSafe(name), let item = services.library.items(of: .practice).first(where: { $0.id == "practice-" + name }) else {
            throw PageError.notFound()
        }
        var page = guidancePage(item)
        if item.id == Self.footprintID {
            page.footprint = true
            page.footprintDone = try footprintState(user).done
        }
        if item.id == Self.targetedID {
            page.targeted = true
            page.form = IncidentForm()
        }
        return services.page("practice", page, context: context)
    }

    /// Text without Markdown marks, for a one-paragraph summary.
    static func plain(_ markdown: String) -> String {
        let text = markdown.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "`", with: "")
        let paragraph = String(text.split(separator: "\n").first.map(String.init) ?? "")
        // The first sentence: the list is for choosing, the page is for reading.
        if let end = paragraph.range(of: #"[.!?](\s|$)"#, options: .regularExpression) {
            return String(paragraph[..<end.upperBound]).trimmingCharacters(in: .whitespaces)
        }
        return paragraph
    }

    func guidancePage(_ item: ContentItem) -> GuidancePage {
        GuidancePage(pageTitle: item.title, title: item.title, reviewBy: item.reviewBy.long,
                     sections: item.sections.filter { !$0.title.isEmpty || !$0.markdown(for: nil).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
                        .map { SectionView(title: $0.title, html: $0.htmlAllNations(), hasTitle: !$0.title.isEmpty,
                                           anchor: "s-" + $0.title.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()) },
                     sources: item.sources.map { SourceView(title: $0.title, url: $0.url) })
    }

    /// When the user last did the footprint check, and a reminder when it is due (never done, or a year ago).
    func footprintState(_ user: UserRecord) throws -> (done: String?, due: String?) {
        guard let last = try services.staff.lastFootprintCheck(userId: user.id), let day = CalendarDate(iso: String(last.prefix(10))) else {
            return (nil, "You have not done the personal digital-footprint check yet: see what someone you work with could find about you, and how to make it less.")
        }
        let next = day.adding(years: 1)
        let due = next <= services.today() ? "You did the digital-footprint check on \(day.long). A year has passed: do it again, as things change." : nil
        return ("You last did it on \(day.long). Lifestory will remind you from \(next.long).", due)
    }

    // MARK: the policy

    /// The policy (each chapter's "In short" and "What to do": what the agency adopts), or the full guidance behind it.
    func policyPDF(_ request: Request, context: AppRequestContext, full: Bool) async throws -> Response {
        let user = try Access(services: services).requireRole(Self.staffRoles, context: context)
        let agency = try services.users.agencyName(user.agencyId) ?? "The agency"
        let adopted = try services.accounts.setting(agencyId: user.agencyId, AgencySettings.policyAdoptedOn).flatMap(CalendarDate.init(iso:))
        let contact = try services.accounts.setting(agencyId: user.agencyId, AgencySettings.policyContact)
        let chapters = Self.policyChapters.compactMap { id in services.library.items(of: .practice).first { $0.id == id } }
        let html = PolicyDocument.html(agency: agency, adoptedOn: adopted, contact: contact, chapters: chapters, edition: services.library.edition.date, full: full)
        let pdf = try await GuideService.pdf(html: html)
        defer { try? FileManager.default.removeItem(at: pdf.dir) }
        let data = try Data(contentsOf: pdf.url)
        var headers = HTTPFields()
        headers[.contentType] = "application/pdf"
        headers[.contentDisposition] = full ? "attachment; filename=\"social-media-guidance-for-staff.pdf\"" : "attachment; filename=\"social-media-policy.pdf\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The agency's social media policy as one printable A4 document: a cover with the agency's name, the date it was
/// adopted and who to contact, a contents list, then each chapter with every nation's law labelled.
enum PolicyDocument {
    static func html(agency: String, adoptedOn: CalendarDate?, contact: String?, chapters: [ContentItem], edition: CalendarDate, full: Bool) -> String {
        let e = Placeholders.escapeHTML
        let kind = full ? "guidance" : "policy"
        var body = """
        <section class="cover">
        <p class="kicker">\(e(agency))</p>
        <h1>\(full ? "Social media and working online: the full guidance for staff" : "Social media and working online: our policy for staff")</h1>
        <p>For everyone who works with children and families for \(e(agency)): social workers, team managers, panel members and everyone who supports them.</p>
        <p>\(full ? "Every chapter in full, with each nation's law and the sources. The policy itself is the shorter document: what each chapter asks of you." : "What each chapter asks of you. The full guidance, with each nation's law and the sources, is in Lifestory under Working online, and as a PDF from there.")</p>
        <dl>
        <dt>Adopted</dt><dd>\(adoptedOn.map { e($0.long) } ?? "Not yet adopted: the agency's admin records the date under Settings")</dd>
        <dt>Questions about this policy</dt><dd>\(contact.map(e) ?? "Your team manager")</dd>
        <dt>Guidance edition</dt><dd>\(e(edition.long)), from Lifestory's library; each chapter shows its own review date</dd>
        </dl>
        </section>
        <nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>
        """
        for item in chapters { body += "<li><a href=\"#\(item.id)\">\(e(item.title))</a></li>" }
        body += "</ol></nav>\n"
        for item in chapters {
            body += "<section class=\"chapter\" id=\"\(item.id)\"><h2>\(e(item.title))</h2>\n"
            for section in item.sections where !section.title.isEmpty && (full || ["In short", "What to do"].contains(section.title)) {
                body += "<h3>\(e(section.title))</h3>\n" + section.htmlAllNations() + "\n"
            }
            body += "<p class=\"review\">Reviewed \(e(item.reviewedOn.long)); next review by \(e(item.reviewBy.long)).</p>"
            if full {
                body += "<div class=\"sources\"><h4>Sources</h4><ul>" + item.sources.map { "<li>\(e($0.title)): \(e($0.url))</li>" }.joined() + "</ul></div>"
            }
            body += "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en-GB"><head><meta charset="utf-8"><title>\(e(agency)): social media \(kind) for staff</title>
        <meta name="author" content="\(e(agency))">
        <style>
        @page { size: A4; margin: 20mm 18mm 22mm; @bottom-center { content: "\(e(agency)) · Social media \(kind) for staff · page " counter(page) " of " counter(pages); font: 8.5pt "DejaVu Sans", sans-serif; color: #505a5f; } }
        @page :first { @bottom-center { content: none; } }
        body { font: 10.5pt/1.45 "DejaVu Sans", "Noto Sans", sans-serif; color: #0b0c0c; }
        h1 { font-size: 24pt; line-height: 1.15; margin: 0 0 12pt; }
        h2 { font-size: 16pt; margin: 0 0 8pt; }
        h3 { font-size: 12pt; margin: 14pt 0 4pt; break-after: avoid; }
        .cover { page-break-after: always; padding-top: 50mm; }
        .kicker { font-size: 13pt; font-weight: bold; color: #1d70b8; }
        dl { margin-top: 24pt; } dt { font-weight: bold; margin-top: 8pt; } dd { margin: 0; }
        .contents { page-break-after: always; } .contents a { color: #0b0c0c; text-decoration: none; }
        .contents a::after { content: leader(".") target-counter(attr(href), page); }
        .chapter { \(full ? "page-break-before: always;" : "margin-top: 18pt;") }
        .nation-block { border-left: 4pt solid #b1b4b6; padding: 2pt 0 2pt 8pt; margin: 6pt 0; break-inside: avoid; }
        .nation-block__label { font-weight: bold; margin: 0 0 2pt; }
        table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 0.5pt solid #b1b4b6; padding: 3pt 6pt 3pt 0; text-align: left; vertical-align: top; word-break: normal; hyphens: none; }
        .review { color: #505a5f; font-size: 9pt; }
        .sources ul { font-size: 8.5pt; color: #505a5f; overflow-wrap: anywhere; }
        .sources h4 { font-size: 9pt; margin: 8pt 0 2pt; }
        </style></head><body>
        \(body)
        </body></html>
        """
    }
}
