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
    public var idleTimeout: Double

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
