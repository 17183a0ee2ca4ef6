import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import LifeStoryWeb
import NIOCore
import Testing

/// The web app as production builds it, on a fresh in-memory database holding the demo agency, with a fixed
/// "today" and a fast bcrypt cost.
struct Harness {
    static let password = "demo-password-for-tests"
    static let today = CalendarDate(iso: "2026-11-21")!

    let services: WebServices

    /// `twoFactor`: staff sign in with a code, as in production (the tests about sign-in); off elsewhere.
    static func make(idleTimeout: Double = 30 * 60, twoFactor: Bool = false, configure: (inout WebConfiguration) -> Void = { _ in }) async throws -> Harness {
        var config = WebConfiguration(contentRoot: Fixtures.content,
                                      asOf: today, bcryptCost: 4, demoPassword: password, inMemory: true, idleTimeout: idleTimeout)
        config.staffTwoFactor = twoFactor
        configure(&config)
        let services = try await LifeStoryWeb.makeServices(config)
        _ = try await DemoSetup.prepare(services)
        return Harness(services: services)
    }

    /// Runs `body` against the router, as `app.test(.router)` does.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = LifeStoryWeb.buildApplication(services: services)
        try await app.test(.router) { client in try await body(client) }
    }

    static let emails: [UserRole: String] = [
        .admin: "admin@demo.lifestory.invalid", .socialWorker: "sw@demo.lifestory.invalid", .teamManager: "tm@demo.lifestory.invalid",
        .panelMember: "panel@demo.lifestory.invalid", .panelChair: "chair@demo.lifestory.invalid", .decisionMaker: "adm@demo.lifestory.invalid",
        .adopter: "adopter@demo.lifestory.invalid", .fosterCarer: "foster@demo.lifestory.invalid", .practiceLead: "lead@demo.lifestory.invalid",
    ]
}

/// A browser's worth of state: cookies and the page's CSRF token.
final class Session: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    func absorb(_ response: TestResponse) -> Page {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                if parts[1].isEmpty || field.value.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
            }
        }
        let body = String(buffer: response.body)
        if let r = body.range(of: #"name="_csrf" value="[^"]*""#, options: .regularExpression) {
            csrf = String(body[r].dropFirst(#"name="_csrf" value=""#.count).dropLast())
        }
        return Page(status: response.status, headers: response.headers, body: body)
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let response = try await client.execute(uri: uri, method: .get, headers: headers, body: nil) { $0 }
        return absorb(response)
    }

    /// Posts a form. The session's CSRF token is added unless `csrf` says otherwise (nil: leave it out).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf token: String?? = .some(nil)) async throws -> Page {
        var all = fields
        switch token {
        case .none: break
        case .some(.none): all.append(("_csrf", csrf))
        case .some(.some(let t)): all.append(("_csrf", t))
        }
        return try await postRaw(uri, Self.encode(all))
    }

    func postRaw(_ uri: String, _ body: String) async throws -> Page {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
        return absorb(response)
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    /// Signs in as a demo user and returns the response to the sign-in.
    @discardableResult
    func signIn(_ role: UserRole, password: String = Harness.password) async throws -> Page {
        try await get("/login")
        return try await post("/login", [("email", Harness.emails[role]!), ("password", password)])
    }

    /// The value of a hidden field on a page.
    static func hidden(_ name: String, in body: String) -> String? {
        guard let r = body.range(of: "name=\"\(name)\" value=\"[^\"]*\"", options: .regularExpression) else { return nil }
        return String(body[r].dropFirst("name=\"\(name)\" value=\"".count).dropLast())
    }
}
