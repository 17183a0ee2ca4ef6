import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage
import Logging
import Mustache
import NIOCore
import NIOPosix

/// The web app, built as production runs it: tests call the same function (DESIGN.md).
public enum LifeStoryWeb {
    /// Opens the database, loads the guidance and templates, and builds the application.
    public static func buildApplication(_ config: WebConfiguration, logger: Logger = Logger(label: "lifestory")) async throws
        -> (app: some ApplicationProtocol, services: WebServices) {
        let services = try await makeServices(config)
        return (buildApplication(services: services, logger: logger), services)
    }

    /// The application around services already made (the CLI prepares the demo before it listens).
    public static func buildApplication(services: WebServices, logger: Logger = Logger(label: "lifestory")) -> some ApplicationProtocol {
        let readDeadline = TimeAmount.milliseconds(Int64(services.config.requestReadTimeout * 1000))
        return Application(router: buildRouter(services),
                           server: .http1(configuration: .init(additionalChannelHandlers: [RequestReadDeadlineHandler(deadline: readDeadline)],
                                                               idleTimeout: .milliseconds(Int64(services.config.connectionIdleTimeout * 1000)))),
                           configuration: .init(address: .hostname(services.config.host, port: services.config.port), serverName: "Lifestory"),
                           logger: logger)
    }

    public static func makeServices(_ config: WebConfiguration) async throws -> WebServices {
        let database = config.inMemory ? try AppDatabase.inMemory() : try AppDatabase.openForServer(path: config.databasePath)
        let library: ContentLibrary
        do { library = try ContentLibrary.load(from: config.contentRoot) } catch {
            throw WebError.startup("The guidance library at \(config.contentRoot.path) could not be loaded: \(error). Set LIFESTORY_CONTENT to the library's folder, or leave it unset to use the library bundled with Lifestory.")
        }
        let law: LawBook
        if let file = config.lawFile { law = try LawBook.decode(Data(contentsOf: file)) } else { law = library.law }
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil),
              let css = Bundle.module.url(forResource: "static", withExtension: nil)?.appendingPathComponent("app.css") else {
            throw WebError.startup("The web templates are missing from the LifeStoryWeb bundle.")
        }
        let library2 = try await MustacheLibrary(directory: templates.path)
        return try WebServices(config: config, database: database, library: library, law: law, templates: library2,
                               css: String(contentsOf: css, encoding: .utf8))
    }

    /// Runs the web app until it is stopped (SIGINT or SIGTERM ends it gracefully).
    public static func run(services: WebServices) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await buildApplication(services: services).runService() }
            // WAL checkpoints, off the commit path (AppDatabase.openForServer).
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    try? await NIOThreadPool.singleton.runIfActive { try services.database.checkpoint() }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The routes, separate from the application so tests can drive them directly.
    public static func buildRouter(_ services: WebServices) -> Router<AppRequestContext> {
        // HEAD answers wherever GET does (monitors use `HEAD /health`).
        let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware(secure: services.config.secureCookies))
        router.add(middleware: SessionMiddleware(services: services))
        router.add(middleware: ErrorPageMiddleware(services: services))
        router.add(middleware: BodyLimitMiddleware())
        router.add(middleware: CSRFMiddleware(services: services))
        // The one path every response to an adopter, foster carer or birth relative passes through.
        router.add(middleware: FamilyReleaseMiddleware(services: services))

        router.get("/health") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/static/app.css") { request, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            headers[.eTag] = services.cssETag
            if request.headers[.ifNoneMatch] == services.cssETag { return Response(status: .notModified, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: services.css))
        }
        router.get("/") { _, context -> Response in
            services.redirect(context.role?.home ?? "/login")
        }
        AuthController(services: services).add(to: router)
        AccountController(services: services).add(to: router)
        CaseloadController(services: services).add(to: router)
        PlanController(services: services).add(to: router)
        PanelController(services: services).add(to: router)
        FamilyController(services: services).add(to: router)
        AdminController(services: services).add(to: router)
        UserAdminController(services: services).add(to: router)
        StaffController(services: services).add(to: router)
        return router
    }
}

