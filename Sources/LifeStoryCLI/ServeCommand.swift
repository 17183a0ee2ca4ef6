import ArgumentParser
import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage
import LifeStoryWeb

/// `lifestory serve`: the web app.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web app on the SQLite store.",
        discussion: """
        With --demo, the fictional demo agency is seeded into an empty database (./demo.sqlite unless --db or \
        $LIFESTORY_DB says otherwise), a panel meeting is arranged, and one sign-in per role is printed. Demo passwords \
        are new each start unless $LIFESTORY_DEMO_PASSWORD sets them. A database holding real plans is never used for the demo.
        """)
    @Option(name: .long, help: "The SQLite database. Default: $LIFESTORY_DB, else ./lifestory.sqlite (./demo.sqlite with --demo).") var db: String?
    @Option(name: .long, help: "The address to listen on. Default: $LIFESTORY_HOST, else 127.0.0.1.") var host: String?
    @Option(name: .long, help: "The port. Default: $LIFESTORY_PORT, else 8080.") var port: Int?
    @Flag(name: .long, help: "Seed and use the fictional demo agency, and print a sign-in for each role.") var demo = false
    @Option(name: .long, help: "Run as if today were this date (YYYY-MM-DD), for previews. Default: $LIFESTORY_AS_OF, else today in the UK.") var asOf: String?
    @OptionGroup var contentLocation: ContentLocation

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let path = db ?? env["LIFESTORY_DB"] ?? (demo ? "demo.sqlite" : "lifestory.sqlite")
        var config = WebConfiguration(databasePath: path, host: host ?? env["LIFESTORY_HOST"] ?? "127.0.0.1",
                                      port: port ?? env["LIFESTORY_PORT"].flatMap(Int.init) ?? 8080, demo: demo,
                                      contentRoot: contentLocation.url)
        if let file = env["LIFESTORY_LAW"] { config.lawFile = URL(fileURLWithPath: file) }
        if let text = asOf ?? env["LIFESTORY_AS_OF"] {
            guard let date = CalendarDate(iso: text) else {
                printError("--as-of: '\(text)' is not a date like 2026-11-21")
                throw Exit.unreadable
            }
            config.asOf = date
        }
        if let cost = env["LIFESTORY_BCRYPT_COST"].flatMap(UInt8.init), (4...31).contains(cost) { config.bcryptCost = cost }
        config.secureCookies = env["LIFESTORY_SECURE_COOKIES"] == "1"
        config.demoPassword = env["LIFESTORY_DEMO_PASSWORD"]
        if let url = env["LIFESTORY_PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("LIFESTORY_PUBLIC_URL: '\(url)' is not an http(s) address like https://lifestory.example.gov.uk")
            }
            config.publicURL = url
        }
        if let issuer = env["LIFESTORY_OIDC_ISSUER"], !issuer.isEmpty {
            guard let url = URL(string: issuer), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("LIFESTORY_OIDC_ISSUER: '\(issuer)' is not an address like https://login.microsoftonline.com/TENANT/v2.0")
            }
            guard url.scheme == "https" || ["127.0.0.1", "localhost", "::1"].contains(url.host ?? "") else {
                throw ValidationError("LIFESTORY_OIDC_ISSUER: single sign-on needs an https:// provider (plain http only on this machine, for tests)")
            }
            guard let id = env["LIFESTORY_OIDC_CLIENT_ID"], !id.isEmpty, let secret = env["LIFESTORY_OIDC_CLIENT_SECRET"], !secret.isEmpty else {
                throw ValidationError("LIFESTORY_OIDC_ISSUER is set, so LIFESTORY_OIDC_CLIENT_ID and LIFESTORY_OIDC_CLIENT_SECRET must be too (from the app's registration with the provider)")
            }
            config.oidc = OIDCSettings(issuer: issuer, clientID: id, clientSecret: secret,
                                       buttonLabel: env["LIFESTORY_OIDC_BUTTON"].flatMap { $0.isEmpty ? nil : String($0.prefix(80)) } ?? "Sign in with your work account")
        }
        if env["LIFESTORY_STAFF_TWO_FACTOR"] == "off" {
            guard demo else { throw ValidationError("LIFESTORY_STAFF_TWO_FACTOR=off is allowed only with --demo: staff always sign in with a second factor") }
            config.staffTwoFactor = false
        }
        config.trustedProxies = (env["LIFESTORY_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let services: WebServices
        do { services = try await LifeStoryWeb.makeServices(config) } catch let error as WebError {
            printError(error.description)
            throw Exit.unreadable
        }
        if demo {
            let logins: [DemoLogin]
            do { logins = try await DemoSetup.prepare(services) } catch let error as StorageError {
                printError("\(path): \(error.description)")
                throw Exit.findings
            }
            print("Lifestory demo: everyone and everything here is fictional.")
            print("Open http://\(config.host):\(config.port)/login and sign in as any of these:\n")
            for l in logins {
                print("  \(l.role.padding(toLength: 24, withPad: " ", startingAt: 0)) \(l.email.padding(toLength: 40, withPad: " ", startingAt: 0)) \(l.password)")
            }
            print("")
        } else {
            print("Lifestory is running at \(config.baseURL)/ (database \(path))")
            if try AccountStore(services.database).userCount() == 0 {
                print("""

                Nobody can sign in yet: this database has no accounts. Create your agency's first admin in another terminal:

                  lifestory user add --db \(path) --agency "Your agency's name" --role admin --name "Your Name" --email you@your-agency.gov.uk

                It prints a one-time link. Open it to set a password and set up two-factor sign-in. Then add your colleagues
                under Users. See docs/deployment.md.
                """)
            }
        }
        fflush(nil)
        try await LifeStoryWeb.run(services: services)
    }
}
