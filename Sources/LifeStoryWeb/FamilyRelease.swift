import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore
import Synchronization

/// The one path every response to an adopter or foster carer passes through, whatever page made it.
///
/// It reads the final bytes, exactly as they will be sent (the page, its layout, a calendar, a file name, a
/// redirect's address), and scans them with the release scan for that reader's protected details, as guide release
/// does. The details are taken from the plan's released version and from its current draft together, so a detail
/// added in a draft the family cannot yet read is protected too (the scan fails closed). A response that is not
/// clean is not sent: a safe page goes instead, the event is written to the audit log for the social worker, and
/// the plan's record shows it. A body that is not text (a PDF) is sent only when the handler that made it scanned
/// its text and marked it so; anything else is held back.
struct FamilyReleaseMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: WebServices

    /// Set by a handler on a binary body whose extracted text it has already scanned for this reader. Never sent.
    static let scannedHeader = HTTPField.Name("X-Lifestory-Release-Scanned")!

    static let heldBack = "This page was held back because it may show a detail it should not. Your social worker has been told, and will put it right. The other pages of your guide are still here."

    /// The largest body scanned in memory (a family's PDF guide is under 2 MB).
    static let maxBody = 64 * 1_048_576

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard let user = context.user, let role = context.role, role == .adopter || role == .fosterCarer else {
            response.headers[Self.scannedHeader] = nil
            return response
        }
        let audience: GuideAudience = role == .fosterCarer ? .fosterCarer : .adopter
        let scannedByHandler = response.headers[Self.scannedHeader] != nil
        response.headers[Self.scannedHeader] = nil
        // Nothing of a plan is hidden from an adopter (they read it all): there is nothing for the scan to find, so
        // the body need not be read. A body that is not text must still have been scanned by its handler.
        let type = response.headers[.contentType] ?? ""
        let isText = type.isEmpty || type.hasPrefix("text/") || type.contains("json") || type.contains("xml")
        if !GuideRelease.hidesAnything(from: audience) {
            if isText || scannedByHandler || response.body.contentLength == 0 { return response }
        }
        guard let found = try services.familyPlans.plan(userId: user.id, agencyId: user.agencyId, now: services.now(), store: services.plans) else {
            return response  // no child yet: the pages say so, and there is nothing of a plan to leak
        }
        let (tokens, tokenKey) = try services.releaseTokens.tokens(planID: found.planID, latestVersion: found.latestVersion, audience: audience,
                                                                   reader: user, services: services)
        // With nothing this reader may not see (an adopter reads the whole plan), the scan cannot find anything, so
        // the body need not be read. A body that is not text must still have been scanned by its handler.
        if tokens.isEmpty {
            if !isText && !scannedByHandler && response.body.contentLength != 0 {
                return try withhold(found.planID, fields: ["a download that could not be scanned"], context: context)
            }
            return response
        }
        // The body, collected once (pages are already one buffer), and given back unchanged when clean.
        let box = BodyCollector.Box()
        try await response.body.write(BodyCollector(box: box))
        let bytes = box.buffer
        if !isText && !scannedByHandler && bytes.readableBytes > 0 {
            return try withhold(found.planID, fields: ["a download that could not be scanned"], context: context)
        }
        let headerText = response.headers[values: .contentDisposition].joined(separator: " ") + "\n"
            + response.headers[values: .location].joined(separator: " ") + "\n"
        // The same bytes for the same details were clean before: a page viewed again is not scanned again. The
        // bytes are hashed where they lie, without a copy.
        var hasher = SHA256()
        hasher.update(data: Data(headerText.utf8))
        if isText { bytes.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        let seenKey = tokenKey + "|" + Hex.encode(hasher.finalize())
        if !services.releaseTokens.wasClean(seenKey) {
            let text = headerText + (isText ? String(buffer: bytes) : "")
            let leaks = ProtectedTokens.scan(GuideRelease.scannable(text), for: tokens)
            if !leaks.isEmpty {
                return try withhold(found.planID, fields: leaks.map(\.field), context: context)
            }
            services.releaseTokens.markClean(seenKey)
        }
        response.body = ResponseBody(byteBuffer: bytes)
        return response
    }

    /// The safe page, and the record for the social worker (the fields, never the values).
    func withhold(_ planID: String, fields: [String], context: Context) throws -> Response {
        context.logger.error("a family page was withheld: a protected detail was found in it")
        try services.plans.audit(planID: planID, actor: context.actor, action: "withheld",
                                 purpose: "hold back a page that would have shown a protected detail",
                                 detail: Array(Set(fields)).sorted().joined(separator: ", "))
        return services.page("message", MessagePage(pageTitle: "This page was held back", message: Self.heldBack, signedIn: true), context: context)
    }
}

/// Gathers a response body into one buffer.
struct BodyCollector: ResponseBodyWriter {
    /// Where the bytes go: one request's task writes it, then reads it, never at once.
    final class Box: @unchecked Sendable { var buffer = ByteBuffer() }
    let box: Box
    mutating func write(_ part: ByteBuffer) async throws {
        var part = part
        guard box.buffer.readableBytes + part.readableBytes <= FamilyReleaseMiddleware.maxBody else {
            throw HTTPError(.internalServerError)
        }
        box.buffer.writeBuffer(&part)
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// The protected details of each family's plan for each audience, worked out once per draft revision and released
/// version (an audited read by the system), and never shown: only the scan uses them.
final class ReleaseTokenCache: Sendable {
    private let entries = Mutex<[String: [ProtectedToken]]>([:])
    private let clean = Mutex<Set<String>>([])

    func wasClean(_ key: String) -> Bool { clean.withLock { $0.contains(key) } }

    func markClean(_ key: String) {
        clean.withLock { all in
            if all.count >= 4096 { all.removeAll() }
            all.insert(key)
        }
    }

    /// The details, and the key they were worked out for. The draft's revision is read on every request (one
    /// indexed read), so a detail added to a draft is protected from the next request on.
    func tokens(planID: String, latestVersion: Int?, audience: GuideAudience, reader: UserRecord,
                services: WebServices) throws -> (tokens: [ProtectedToken], key: String) {
        let revision = try services.plans.revision(planID: planID) ?? 0
        let released = try latestVersion.flatMap { latest in
            try services.guideCache.released(planID: planID, latest: latest, lookup: { try services.plans.releasedVersion(planID) })
        }
        let key = "\(planID)|\(revision)|\(released?.number ?? 0)|\(audience.rawValue)|\(reader.id)"
        if let hit = entries.withLock({ $0[key] }) { return (hit, key) }
        let purpose = "work out the details a family page must not show"
        var plans = [try services.plans.load(planID, actor: .system, purpose: purpose).plan]
        if let released { plans.append(try services.plans.version(planID, number: released.number, actor: .system, purpose: purpose)) }
        var seen = Set<String>()
        var tokens: [ProtectedToken] = []
        for plan in plans {
            for t in GuideRelease.tokens(for: audience, plan: plan) where seen.insert(ProtectedTokens.normalise(t.value)).inserted { tokens.append(t) }
        }
        // The reader's own name is theirs to see (it is in the page's header).
        let own = Set(ReleaseScan.fold(reader.displayName).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        tokens.removeAll { own.contains(ReleaseScan.fold($0.value)) }
        entries.withLock { all in
            if all.count >= 1024 { all.removeAll() }
            all[key] = tokens
        }
        return (tokens, key)
    }
}
