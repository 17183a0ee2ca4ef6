import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A file to download: a guide, a panel pack or a calendar.
struct Download {
    var data: Data
    var filename: String
    var contentType: String
    /// A CSP for an HTML guide: its one inline style element, allowed by hash; still no script.
    var csp: String?

    /// `attachment` with the name twice, per RFC 6266: a plain ASCII `filename` that no quote or control character
    /// can break out of, and `filename*` percent-encoded in UTF-8.
    static func disposition(_ name: String) -> String {
        let ascii = DownloadName.slug(name, keep: ".")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentDisposition] = Self.disposition(filename)
        if let csp { headers[.contentSecurityPolicy] = csp }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Builds, scans, records and hands over one guide. A guide that cannot be proved clean is not issued.
struct GuideService {
    let services: WebServices

    /// Who a guide can be issued for: the family, the panel, and each birth relative with a live arrangement.
    static func audiences(_ plan: Plan) -> [(String, String)] {
        var out: [(String, String)] = []
        if plan.people.contains(where: { $0.role == .adopter }) || plan.child.legalStatus == .adopted || plan.child.legalStatus == .placedForAdoption {
            out.append(("adopter-now-and-next", "Adopters' short guide: now and next"))
            out.append(("adopter", "Adopters' handbook"))
        }
        if plan.currentPlacement?.kind.carersAreFosterCarers == true || plan.people.contains(where: { $0.role == .fosterCarer }) {
            out.append(("foster-carer-now-and-next", "Foster carers' short guide: now and next"))
            out.append(("foster-carer", "Foster carers' handbook"))
        }
        out.append(("panel", "Panel pack"))
        for p in GuideBuilder.birthRelatives(plan) {
            let name = plan.person(p).map { "\($0.name.full)" } ?? p
            out.append(("birth-relative-\(p)", "Summary for \(name)"))
        }
        return out
    }

    /// One guide, by the name `audiences` lists it under.
    func guide(_ plan: Plan, audience: String, renderer: GuideRenderer) throws -> Guide {
        let kind: GuideAudience, person: String?
        if audience.hasPrefix("birth-relative-") {
            (kind, person) = (.birthRelative, String(audience.dropFirst("birth-relative-".count)))
        } else if let known = GuideAudience(rawValue: audience.hasSuffix("-now-and-next") ? String(audience.dropLast("-now-and-next".count)) : audience),
                  known != .birthRelative {
            (kind, person) = (known, nil)
        } else {
            throw GuideError.missingContent("a guide for '\(audience)'")
        }
        if audience.hasSuffix("-now-and-next") {
            // The short guide tells the family what changed since the guide they last had.
            return try GuideBuilder.nowAndNext(plan, for: kind, library: services.library, law: services.law, asOf: services.today(),
                                               since: try lastEdition(planID: plan.id, audience: kind))
        }
        let built = try GuideBuilder.guides(for: kind, plan: plan, library: services.library, law: services.law, asOf: services.today(),
                                            renderer: renderer, only: person,
                                            previousApproved: { try services.plans.lastApproved(plan.id, actor: .system) })
        guard let match = built.first(where: { $0.name == audience }) else { throw GuideError.missingContent("a guide for '\(audience)'") }
        return match.guide
    }

    /// The guidance edition of the last guide this family was given (by date), if any.
    func lastEdition(planID: String, audience: GuideAudience) throws -> CalendarDate? {
        try services.plans.issuedGuides(planID).filter { $0.audience.hasPrefix(audience.rawValue) && $0.format != "ics" }
            .compactMap { CalendarDate(iso: String($0.contentEdition.prefix(10))) }.max()
    }

    func issue(_ stored: StoredPlan, audience: String, format: String, actor: Actor) async throws -> Download {
        let plan = stored.plan
        let renderer = services.guideRenderer
        let built = try guide(plan, audience: audience, renderer: renderer)
        let released = try GuideRelease.release(built, plan: plan, renderer: renderer)
        let base = DownloadName.base(plan: plan, audience: audience, revision: stored.revision)
        if format == "html" {
            try services.plans.recordIssuedGuide(planID: plan.id, revision: stored.revision, audience: audience,
                                                 contentEdition: services.library.edition.id, format: "html", sha256: released.sha256, actor: actor)
            return Download(data: Data(released.html.utf8), filename: base + ".html", contentType: "text/html; charset=utf-8",
                            csp: Self.guideCSP(released.html))
        }
        // A PDF is kept per plan version, guidance edition, audience and day (and the HTML it came from), so a second
        // download is served at once; it was scanned when it was made.
        let key = [plan.id, String(stored.revision), audience, services.editionID, services.today().iso, released.sha256].joined(separator: "|")
        let data: Data
        if let kept = services.pdfCache.withLock({ $0[key] }) {
            data = kept
        } else {
            let pdf = try await Self.pdf(html: released.html)
            let text = try PDFText.extract(pdf.url)
            defer { try? FileManager.default.removeItem(at: pdf.dir) }
            _ = try GuideRelease.scan(text, audience: built.audience, plan: plan)
            data = try Data(contentsOf: pdf.url)
            services.pdfCache.withLock { cache in
                if cache.count >= 64 { cache.removeAll() }
                cache[key] = data
            }
        }
        try services.plans.recordIssuedGuide(planID: plan.id, revision: stored.revision, audience: audience,
                                             contentEdition: services.library.edition.id, format: "pdf", sha256: Self.sha256(data), actor: actor)
        return Download(data: data, filename: base + ".pdf", contentType: "application/pdf")
    }

    /// Renders HTML to PDF with WeasyPrint, on a thread that is not the event loop.
    static func pdf(html: String) async throws -> (url: URL, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-" + Token.make().prefix(12))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let htmlURL = dir.appendingPathComponent("guide.html"), pdfURL = dir.appendingPathComponent("guide.pdf")
        try Data(html.utf8).write(to: htmlURL)
        do {
            try await NIOThreadPool.singleton.runIfActive {
                let weasy = try WeasyPrint.locate()
                try weasy.render([WeasyPrint.Job(html: htmlURL, pdf: pdfURL)], archival: false)
            }
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        return (pdfURL, dir)
    }

    static func sha256(_ data: Data) -> String { Hex.sha256(data) }

    /// The CSP for a downloaded HTML guide: its inline style elements by hash, nothing else.
    static func guideCSP(_ html: String) -> String {
        var hashes: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<style>"), let close = rest.range(of: "</style>", range: open.upperBound..<rest.endIndex) {
            let css = rest[open.upperBound..<close.lowerBound]
            hashes.append("'sha256-" + Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString() + "'")
            rest = rest[close.upperBound...]
        }
        return "default-src 'none'; style-src \(hashes.joined(separator: " ")); img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    }
}

/// File names for downloads. Nothing in a plan is trusted to be a safe file name (a pseudonym can hold a quote), so
/// names are built from a slug: ASCII letters and digits joined by hyphens. A foster carer's or birth relative's
/// file names no one: not the child, not a person's id.
enum DownloadName {
    static func slug(_ text: String, keep: String = "", max: Int = 60) -> String {
        var out = ""
        for ch in text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) || keep.contains(ch) {
                out.append(ch)
            } else if !out.hasSuffix("-") && !out.isEmpty {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "download" : String(out.prefix(max))
    }

    static func base(plan: Plan, audience: String, revision: Int) -> String {
        switch audience {
        case "adopter", "panel", "adopter-now-and-next": "\(slug(plan.child.pseudonym, max: 40))-\(audience)-r\(revision)"
        case "foster-carer": "life-story-guide-foster-carer-r\(revision)"
        case "foster-carer-now-and-next": "now-and-next-foster-carer-r\(revision)"
        default: "contact-summary-r\(revision)"
        }
    }
}
