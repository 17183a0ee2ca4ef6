import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryCore
import Logging
import NIOCore

/// How the web app is set up. The CLI fills it from options, then the environment, then these defaults.
public struct WebConfiguration: Sendable {
    public var databasePath: String
    public var host: String
    public var port: Int
    /// Seed the fictional demo agency into an empty database and print one sign-in per role.
    public var demo: Bool
    /// The guidance library (Content/).
    public var contentRoot: URL
    /// A law file to use instead of the one generated from the library.
    public var lawFile: URL?
    /// A fixed "today" for previews and tests; nil means today in the UK.
    public var asOf: CalendarDate?
    /// Bcrypt's cost: 12 in production (about 250 ms a hash here); tests lower it.
    public var bcryptCost: UInt8
    /// Mark cookies Secure. On when the app sits behind HTTPS; off for 127.0.0.1.
    public var secureCookies: Bool
    /// Demo passwords: fixed here for tests and browser journeys, random otherwise.
    public var demoPassword: String?
    /// Keep the database in memory (tests).
    public var inMemory: Bool
    /// A session ends after this many seconds without a request.
    public var idleTimeout: Double
    /// A connection with no traffic for this many seconds is closed (also one stalled part-way through its headers).
    public var connectionIdleTimeout: Double = 15
    /// A request's head and body must arrive within this many seconds of its head, or the connection is closed.
    public var requestReadTimeout: Double = 30
    /// The address people reach this server at (`https://lifestory.example.gov.uk`): invitation links are built
    /// from it, never from the request's Host header. Nil: `http://HOST:PORT` of this server.
    public var publicURL: String?
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed; from any other peer the header is ignored.
    public var trustedProxies: [String] = []
    /// Staff sign in with a password and a code from an authenticator app. Only a demo may turn this off
    /// (`LIFESTORY_STAFF_TWO_FACTOR=off` with `--demo`); tests turn it off where they are not about sign-in.
    public var staffTwoFactor = true
    /// Single sign-on with the agency's OpenID Connect provider; nil when not configured.
    public var oidc: OIDCSettings?

    /// The start of every absolute link the app makes.
    public var baseURL: String {
        var base = publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    public init(databasePath: String = "lifestory.sqlite", host: String = "127.0.0.1", port: Int = 8080, demo: Bool = false,
                contentRoot: URL = URL(fileURLWithPath: "Content"), lawFile: URL? = nil, asOf: CalendarDate? = nil,
                bcryptCost: UInt8 = 12, secureCookies: Bool = false, demoPassword: String? = nil, inMemory: Bool = false,
                idleTimeout: Double = 30 * 60) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.demo = demo
        self.contentRoot = contentRoot
        self.lawFile = lawFile
        self.asOf = asOf
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.demoPassword = demoPassword
        self.inMemory = inMemory
        self.idleTimeout = idleTimeout
    }
}

/// Errors while starting the web app.
public enum WebError: Error, CustomStringConvertible {
    case startup(String)
    public var description: String {
        switch self { case .startup(let m): m }
    }
}
