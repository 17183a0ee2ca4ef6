import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryGuides
import LifeStoryStorage
import Logging
import NIOCore

/// Headers on every response: a CSP that allows no script at all, no framing, no referrer, no caching of pages
/// that hold a child's details.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Behind HTTPS (`LIFESTORY_SECURE_COOKIES=1`): tell browsers to use HTTPS only, for a year.
    var secure = false
    static let csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.csp }
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if secure { response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

/// Finds the signed-in user from the session cookie; gives signed-out visitors a token for their forms.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: WebServices
    static let cookie = "lifestory_session"
    static let preCookie = "lifestory_form"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.remoteAddress = ClientAddress.of(peer: context.remoteAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!],
                                                 trusted: services.config.trustedProxies)
        if request.uri.path == "/health" || request.uri.path.hasPrefix("/static/") { return try await next(request, context) }
        if let token = request.cookies[services.cookieName(Self.cookie)]?.value, !token.isEmpty,
           let (session, user) = try services.sessionCache.resume(token: token, now: services.now(), store: services.sessions) {
            context.user = user
            context.session = session
            context.sessionToken = token
        }
        var newPre: String?
        if context.session == nil {
            if let pre = request.cookies[services.cookieName(Self.preCookie)]?.value, pre.count == 43 {
                context.preToken = pre
            } else {
                newPre = Token.make()
                context.preToken = newPre
            }
        }
        var response = try await next(request, context)
        if let newPre {
            response.setCookie(services.cookie(Self.preCookie, newPre, maxAge: 3600))
        }
        return response
    }
}

/// Every POST is a form: its body (at most 1 MB) is read once, and refused with 403 unless it carries this
/// session's CSRF token (or, signed out, the token from the visitor's own cookie).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: WebServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var context = context
        var request = request
        let buffer = try await request.collectBody(upTo: RequestLimits.maxBody)
        let form = FormData(String(buffer: buffer))
        let expected = context.csrf
        guard !expected.isEmpty, let given = form["_csrf"], Token.equal(given, expected) else {
            try services.security.record("form-refused", user: context.user, address: context.remoteAddress,
                                         what: "a form without this session's token was refused", detail: SecurityPath.words(request.uri.path),
                                         at: services.timestamp())
            var error = PageError.forbidden("This form has expired or did not come from this site, so nothing was saved. Go back, reload the page and try again.")
            error.recorded = true
            throw error
        }
        // Every field of every form: no control characters, no value longer than the limit, no flood of fields.
        if let problem = RequestLimits.problem(form) { throw PageError.badRequest(problem + " Nothing was saved.") }
        context.form = form
        return try await next(request, context)
    }
}

/// Errors become pages: a status and words a person can act on, never a stack trace or a child's details.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: WebServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PageError {
            if error.status == .unauthorized { return services.redirect("/login") }
            if !error.recorded { try recordRefusal(error.status, request: request, context: context) }
            return services.errorPage(error.status, error.message, context: context)
        } catch let error as StorageError {
            switch error {
            case .notFound:
                try recordRefusal(.notFound, request: request, context: context)
                return services.errorPage(.notFound, error.description, context: context)
            case .conflict: return services.errorPage(.conflict, error.description, context: context)
            case .alreadyExists, .invalid, .frozen: return services.errorPage(.unprocessableContent, error.description, context: context)
            case .backup: return services.errorPage(.internalServerError, "Something went wrong on our side, and nothing was saved.", context: context)
            }
        } catch let error as GuideError {
            // A PDF that cannot be made (WeasyPrint or pdftotext missing, a font missing) or a guide that was not
            // released: say so in words, never as a generic failure. Families are told the pages still work.
            let family = context.role == .adopter || context.role == .fosterCarer
            switch error {
            case .pdf(let why):
                context.logger.error("a PDF could not be made", metadata: ["why": .string(String(why.prefix(200)))])
                let message = family
                    ? "The PDF cannot be made just now. You can still print Now and next: open Downloads, then \"Open Now and next as a web page to print\", and use your browser's Print. Every part of the guide is also on these pages; your social worker has been told."
                    : "The PDF could not be made on this server: \(why) Every part of it can still be read on screen or downloaded as a web page."
                return services.errorPage(.serviceUnavailable, message, context: context)
            case .leak:
                return services.errorPage(.unprocessableContent, family ? FamilyReleaseMiddleware.heldBack
                                          : "This guide was not issued: \(error). Remove the detail from the plan, or from what it says, and issue it again.", context: context)
            case .missingContent, .noRecipient:
                return services.errorPage(.unprocessableContent, "This guide cannot be made: \(error).", context: context)
            }
        } catch let error as any HTTPResponseError {
            let message: String = switch error.status {
            case .contentTooLarge: "That was too much to send at once (the limit is 1 MB). Nothing was saved."
            case .notFound: "There is no page at this address."
            case .methodNotAllowed: "That page cannot be used that way."
            default: "Something went wrong with that request. Nothing was saved."
            }
            var response = services.errorPage(error.status, message, context: context)
            // A body too large to read is not read: close the connection after saying so, rather than wait for it.
            if error.status == .contentTooLarge { response.headers[.connection] = "close" }
            return response
        } catch where String(reflecting: type(of: error)).contains("HTTPParserError") {
            // A body the HTTP parser could not read (a malformed chunk): the client's fault, not ours.
            return services.errorPage(.badRequest, "The request could not be read, so nothing was saved.", context: context)
        } catch {
            context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(describing: type(of: error)))])
            return services.errorPage(.internalServerError, "Something went wrong on our side, and nothing was saved. Please try again; if it happens again, tell your administrator the time it happened.", context: context)
        }
    }
}

extension ErrorPageMiddleware {
    /// A 403, and a "not found" for a plan, version, guide, card or invitation id, go into the audit log: someone may
    /// be probing ids. Other 404s (a mistyped address) do not.
    func recordRefusal(_ status: HTTPResponse.Status, request: Request, context: Context) throws {
        let path = request.uri.path
        let probing = ["/plans/", "/panel/plans/", "/family/what-if/", "/invite/", "/meetings/"].contains { path.hasPrefix($0) }
        switch status {
        case .forbidden:
            try services.security.record("refused", user: context.user, address: context.remoteAddress,
                                         what: "a page this role may not open was refused", detail: SecurityPath.words(path), at: services.timestamp())
        case .notFound where probing:
            try services.security.record("not-found", user: context.user, address: context.remoteAddress,
                                         what: "an id that is not there, or not this user's to see", detail: SecurityPath.words(path), at: services.timestamp())
        default:
            break
        }
    }
}

/// A request path as it goes into the audit log: at most 200 characters, control characters made visible.
enum SecurityPath {
    static func words(_ path: String) -> String {
        "path " + String(path.prefix(200).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}

/// The client's address: the peer's, unless the peer is a trusted reverse proxy (LIFESTORY_TRUSTED_PROXIES), when
/// it is the last address in `X-Forwarded-For` that is not itself a trusted proxy. From anyone else the header is
/// ignored, so a client cannot choose the address its sign-in attempts are counted against.
enum ClientAddress {
    static func of(peer: String?, forwardedFor: [String], trusted: [String]) -> String? {
        guard let peer, trusted.contains(peer), !forwardedFor.isEmpty else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in chain.reversed() where !trusted.contains(hop) {
            guard hop.count <= 45, hop.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return peer }
            return hop
        }
        return peer
    }
}

/// An error that becomes a page with this status.
struct PageError: Error {
    var status: HTTPResponse.Status
    var message: String
    /// Already written to the audit log where it happened.
    var recorded = false
    static let signIn = PageError(status: .unauthorized, message: "Sign in to see this page.")
    static func forbidden(_ m: String = "You do not have access to this page.") -> PageError { .init(status: .forbidden, message: m) }
    static func notFound(_ m: String = "There is no page at this address.") -> PageError { .init(status: .notFound, message: m) }
    static func badRequest(_ m: String) -> PageError { .init(status: .badRequest, message: m) }
    static func conflict(_ m: String) -> PageError { .init(status: .conflict, message: m) }
}
