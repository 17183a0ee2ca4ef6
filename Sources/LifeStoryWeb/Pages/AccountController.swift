import Foundation
import HTTPTypes
import JWTKit
import Hummingbird
import LifeStoryStorage
import Logging
import NIOCore

/// The second step of signing in (a code from an authenticator app, or a recovery code), setting up the app,
/// the user's own account page, and single sign-on with the agency's OpenID Connect provider.
struct AccountController {
    let services: WebServices
    static let challengeCookie = "lifestory_2fa"

    struct CodePage: PageModel {
        var pageTitle = "Enter the code from your authenticator app"
        var csrf = ""
        var summary: ErrorSummary?
        var codeError: String?
        var demoCode: String?
    }

    struct EnrolPage: PageModel {
        var pageTitle = "Set up two-factor sign-in"
        var csrf = ""
        var action: String
        var qr: String
        var typedSecret: String
        var summary: ErrorSummary?
        var codeError: String?
        var required: Bool
    }

    struct RecoveryPage: PageModel {
        var pageTitle = "Your recovery codes"
        var csrf = ""
        var codes: [String]
        var next: String
    }

    struct AccountPage: PageModel {
        var pageTitle = "Your account"
        var section = "account"
        var csrf = ""
        var name: String
        var email: String
        var role: String
        var hasTwoFactor: Bool
        var canEnrol: Bool
        var codesLeft: Int
        var sso: Bool
    }

    struct CodeForm: Decodable { var code: String? }

    func add(to router: Router<AppRequestContext>) {
        router.get("/login/code") { request, context -> Response in
            guard let (user, kind, _) = try challenge(request) , kind == "code" else { return services.redirect("/login") }
            return services.page("code", CodePage(demoCode: demoCode(user)), context: context)
        }
        router.post("/login/code", use: enterCode)
        router.get("/login/enrol") { request, context -> Response in
            guard let (user, kind, _) = try challenge(request), kind == "enrol" else { return services.redirect("/login") }
            return try enrolPage(user, action: "/login/enrol", required: true, context: context)
        }
        router.post("/login/enrol", use: confirmSignInEnrolment)
        router.get("/account") { _, context -> Response in
            guard let user = context.user, let role = context.role else { throw PageError.signIn }
            return services.page("account", AccountPage(name: user.displayName, email: user.email, role: role.label,
                                                        hasTwoFactor: user.hasTwoFactor, canEnrol: try mayEnrol(user),
                                                        codesLeft: try services.accounts.recoveryCodesLeft(userId: user.id),
                                                        sso: user.oidcSubject != nil), context: context)
        }
        router.get("/account/two-factor") { _, context -> Response in
            guard let user = context.user else { throw PageError.signIn }
            guard try mayEnrol(user) else { return services.redirect("/account") }
            return try enrolPage(user, action: "/account/two-factor", required: false, context: context)
        }
        router.post("/account/two-factor", use: confirmAccountEnrolment)
        router.post("/account/recovery-codes") { _, context -> Response in
            guard let user = context.user else { throw PageError.signIn }
            guard user.hasTwoFactor, let step = user.totpLastStep else { return services.redirect("/account") }
            let codes = TwoFactor.recoveryCodes()
            try services.accounts.confirmEnrolment(userId: user.id, step: step, recoveryHashes: codes.map(TwoFactor.hash(recovery:)), now: services.now())
            return services.page("recovery", RecoveryPage(codes: codes, next: "/account"), context: context)
        }
        router.get("/sso/start", use: startSSO)
        router.get("/sso/callback", use: finishSSO)
    }

    // MARK: the second step

    func challenge(_ request: Request) throws -> (UserRecord, String, String)? {
        guard let token = request.cookies[services.cookieName(Self.challengeCookie)]?.value, token.count == 43 else { return nil }
        return try services.accounts.challenge(token: token, now: services.now())
    }

    /// With `--demo` only, the code page shows the demo account's current code, so the demo can be tried without an app.
    func demoCode(_ user: UserRecord) -> String? {
        guard services.config.demo, user.email.hasSuffix("@demo.lifestory.invalid"), let secret = user.totpSecret else { return nil }
        let step = max(TwoFactor.step(at: services.now()), (user.totpLastStep ?? 0) + 1)
        return String(format: "%06d", TwoFactor.code(secret: secret, step: step))
    }

    @Sendable func enterCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = request.cookies[services.cookieName(Self.challengeCookie)]?.value,
              let (user, kind, how) = try services.accounts.challenge(token: token, now: services.now()), kind == "code",
              let secret = user.totpSecret else {
            return services.redirect("/login")
        }
        let typed = (try TypedForm.decode(CodeForm.self, from: context.form).code ?? "").trimmingCharacters(in: .whitespaces)
        var page = CodePage(demoCode: demoCode(user))
        func refuse(_ message: String, status: HTTPResponse.Status) -> Response {
            page.codeError = message
            page.summary = ErrorSummary([FieldError(field: "code", message: message)])
            return services.page("code", page, context: context, status: status)
        }
        guard !typed.isEmpty else { return refuse("Enter the 6-digit code from your authenticator app", status: .unprocessableContent) }
        let keys = LoginThrottle.keys(account: "code:" + user.id, address: context.remoteAddress)
        let reserved: [Int64]
        switch try services.throttle.reserve(keys, now: services.now()) {
        case .wait(let wait):
            try services.security.record("code-throttled", user: user, address: context.remoteAddress, what: "a sign-in code refused: too many attempts", at: services.timestamp())
            let minutes = max(1, Int((wait / 60).rounded(.up)))
            var response = refuse("Too many codes tried. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        case .allowed(let ids): reserved = ids
        }
        var accepted = false, usedRecovery = false
        if TwoFactor.isRecoveryCode(typed) {
            accepted = try services.accounts.useRecoveryCode(userId: user.id, hash: TwoFactor.hash(recovery: typed), now: services.now())
            usedRecovery = accepted
        } else if let step = TwoFactor.matchingStep(code: typed, secret: secret, now: services.now()) {
            accepted = try services.accounts.useStep(userId: user.id, step: step)
        }
        guard accepted else {
            try services.security.record("code-failed", user: user, address: context.remoteAddress, what: "a wrong or used sign-in code", at: services.timestamp())
            return refuse("That code is not right, or was used already. Enter the code your app shows now.", status: .unauthorized)
        }
        try services.throttle.succeeded(reserved, account: "code:" + user.id)
        try services.accounts.endChallenge(token: token)
        var response = try AuthController(services: services).startSession(user, context: context,
                                                                           how: how + (usedRecovery ? " and a recovery code" : " and a code from an authenticator app"))
        response.setCookie(services.cookie(Self.challengeCookie, "", maxAge: 0))
        return response
    }

    // MARK: setting up the app

    func enrolPage(_ user: UserRecord, action: String, required: Bool, context: AppRequestContext, error: String? = nil) throws -> Response {
        var secret = user.totpSecret
        if secret == nil || user.totpConfirmedAt != nil {
            let fresh = TwoFactor.newSecret()
            try services.accounts.startEnrolment(userId: user.id, secret: fresh)
            secret = fresh
        }
        let link = TwoFactor.link(secret: secret!, account: user.email)
        let qr = (try? QRCode.encode(link).svg(label: "QR code to scan with your authenticator app")) ?? ""
        var page = EnrolPage(action: action, qr: qr, typedSecret: TwoFactor.typed(secret: secret!), required: required)
        if let error {
            page.codeError = error
            page.summary = ErrorSummary([FieldError(field: "code", message: error)])
        }
        return services.page("enrol", page, context: context, status: error == nil ? .ok : .unprocessableContent)
    }

    /// Checks the first code and, if right, turns the factor on and makes ten recovery codes. Nil and a message if not.
    func confirm(_ user: UserRecord, typed: String, context: AppRequestContext) throws -> [String]? {
        guard let secret = user.totpSecret, let step = TwoFactor.matchingStep(code: typed, secret: secret, now: services.now()) else { return nil }
        let codes = TwoFactor.recoveryCodes()
        try services.accounts.confirmEnrolment(userId: user.id, step: step, recoveryHashes: codes.map(TwoFactor.hash(recovery:)), now: services.now())
        return codes
    }

    @Sendable func confirmSignInEnrolment(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = request.cookies[services.cookieName(Self.challengeCookie)]?.value,
              let (user, kind, how) = try services.accounts.challenge(token: token, now: services.now()), kind == "enrol" else {
            return services.redirect("/login")
        }
        let typed = try TypedForm.decode(CodeForm.self, from: context.form).code ?? ""
        let keys = LoginThrottle.keys(account: "code:" + user.id, address: context.remoteAddress)
        if case .wait = try services.throttle.reserve(keys, now: services.now()) {
            return try enrolPage(user, action: "/login/enrol", required: true, context: context, error: "Too many codes tried. Wait a few minutes and try again.")
        }
        guard let codes = try confirm(user, typed: typed, context: context) else {
            return try enrolPage(user, action: "/login/enrol", required: true, context: context,
                                 error: typed.isEmpty ? "Enter the 6-digit code your authenticator app shows" : "That code is not right. Check the app shows Lifestory and enter the code it shows now.")
        }
        try services.accounts.endChallenge(token: token)
        guard let fresh = try services.users.user(id: user.id) else { return services.redirect("/login") }
        // The session starts now; the codes are shown once, on this response.
        let session = try services.sessions.start(userId: fresh.id, now: services.now())
        try services.security.record("signed-in", user: fresh, address: context.remoteAddress, what: how + " and set up an authenticator app", at: services.timestamp())
        var signedIn = context
        signedIn.user = fresh
        signedIn.session = try services.sessions.resume(token: session.token, now: services.now())
        signedIn.sessionToken = session.token
        var response = services.page("recovery", RecoveryPage(codes: codes, next: UserRole(rawValue: fresh.role)?.home ?? "/"), context: signedIn)
        response.setCookie(services.cookie(SessionMiddleware.cookie, session.token, maxAge: nil))
        response.setCookie(services.cookie(Self.challengeCookie, "", maxAge: 0))
        response.setCookie(services.cookie(SessionMiddleware.preCookie, "", maxAge: 0))
        return response
    }

    /// Staff may always set up an app; families where the agency offers or requires it.
    func mayEnrol(_ user: UserRecord) throws -> Bool {
        guard !user.hasTwoFactor else { return false }
        if UserRole(rawValue: user.role)?.isStaff ?? false { return true }
        return (try services.accounts.setting(agencyId: user.agencyId, AgencySettings.familyTwoFactor) ?? "off") != "off"
    }

    @Sendable func confirmAccountEnrolment(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user else { throw PageError.signIn }
        guard try mayEnrol(user) else { return services.redirect("/account") }
        let typed = try TypedForm.decode(CodeForm.self, from: context.form).code ?? ""
        guard let codes = try confirm(user, typed: typed, context: context) else {
            return try enrolPage(user, action: "/account/two-factor", required: false, context: context,
                                 error: typed.isEmpty ? "Enter the 6-digit code your authenticator app shows" : "That code is not right. Check the app shows Lifestory and enter the code it shows now.")
        }
        services.sessionCache.forgetAll()
        return services.page("recovery", RecoveryPage(codes: codes, next: "/account"), context: context)
    }

    // MARK: single sign-on

    @Sendable func startSSO(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let oidc = services.oidc else { throw PageError.notFound() }
        let state = Token.make(), nonce = Token.make(), verifier = Token.make() + Token.make()
        try services.accounts.startSSO(state: state, nonce: nonce, verifier: verifier, now: services.now())
        do {
            return services.redirect(try await oidc.authorizationURL(state: state, nonce: nonce, verifier: verifier, now: services.now()))
        } catch let refusal as SSORefusal {
            context.logger.error("single sign-on provider unreachable", metadata: ["why": .string(refusal.reason)])
            return services.errorPage(.serviceUnavailable, "Single sign-on is not working just now (\(refusal.reason)). Sign in with your email address and password, or try again later.", context: context)
        } catch {
            return services.errorPage(.serviceUnavailable, "Single sign-on is not working just now: the provider could not be reached. Sign in with your email address and password, or try again later.", context: context)
        }
    }

    @Sendable func finishSSO(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let oidc = services.oidc else { throw PageError.notFound() }
        let query = request.uri.queryParameters
        func refuse(_ reason: String, user: UserRecord? = nil, tell: String) throws -> Response {
            try services.security.record("sso-refused", user: user, address: context.remoteAddress, what: "a single sign-on was refused",
                                         detail: String(reason.prefix(300)), at: services.timestamp())
            return services.errorPage(.forbidden, tell, context: context)
        }
        if let error = query["error"] {
            return try refuse("the provider said \(String(error.prefix(60)))", tell: "Your organisation's sign-in did not let you through, so you are not signed in. Try again, or sign in with your email address and password.")
        }
        guard let state = query["state"].map(String.init), state.count <= 200, let code = query["code"].map(String.init), code.count <= 4096 else {
            return try refuse("an answer without a state or code", tell: "That sign-in answer was incomplete, so you are not signed in. Start again from the sign-in page.")
        }
        guard let pending = try services.accounts.takeSSO(state: state, now: services.now()) else {
            return try refuse("an answer whose state was used already, expired, or never sent", tell: "This sign-in has been used or has expired, so you are not signed in. Start again from the sign-in page.")
        }
        let token: IDToken
        do {
            token = try await oidc.identity(code: code, verifier: pending.verifier, nonce: pending.nonce, now: services.now())
        } catch let refusal as SSORefusal {
            return try refuse(refusal.reason, tell: "Your organisation's sign-in could not be checked (\(refusal.reason)), so you are not signed in.")
        } catch {
            return try refuse("the provider could not be reached", tell: "Your organisation's sign-in could not be reached, so you are not signed in. Sign in with your email address and password, or try again later.")
        }
        let subject = token.sub.value
        var user = try services.accounts.user(oidcSubject: subject)
        if user == nil, let email = token.email?.lowercased(), token.emailVerified == true, let found = try services.users.user(email: email) {
            guard found.oidcSubject == nil else {
                return try refuse("the verified email belongs to an account linked to another single sign-on subject", user: found,
                                  tell: "Your Lifestory account is linked to a different work account. Ask your admin.")
            }
            try services.accounts.linkSubject(userId: found.id, subject: subject, now: services.now())
            user = try services.users.user(id: found.id)
        }
        if user == nil, let email = token.email?.lowercased(), token.emailVerified == true, let created = try createFromSSO(email: email, name: token.name, subject: subject) {
            user = created
        }
        guard let user else {
            return try refuse("no account matches this subject or a verified email (\(Token.hash(token.email ?? subject).prefix(12)))",
                              tell: "There is no Lifestory account for you yet. Ask your agency's admin to add you, then sign in again.")
        }
        guard user.isActive else {
            return try refuse("the account is disabled", user: user, tell: "Your Lifestory account has been disabled. Ask your agency's admin.")
        }
        guard let role = UserRole(rawValue: user.role), role.isStaff else {
            return try refuse("single sign-on is for staff", user: user, tell: "Single sign-on is for the agency's staff. Sign in with your email address and password.")
        }
        return try AuthController(services: services).startSession(user, context: context, how: "signed in with single sign-on")
    }

    /// A new account for a verified email, only where one agency's admin allows it ("Settings"), in the role
    /// they chose.
    func createFromSSO(email: String, name: String?, subject: String) throws -> UserRecord? {
        let allowing = try services.accounts.agencies().compactMap { agency -> (String, UserRole)? in
            guard let value = try services.accounts.setting(agencyId: agency.id, AgencySettings.ssoNewAccounts),
                  let role = UserRole(rawValue: value), role.isStaff else { return nil }
            return (agency.id, role)
        }
        guard allowing.count == 1, let (agencyId, role) = allowing.first else { return nil }
        var user = UserRecord(id: AccountStore.newUserId(), agencyId: agencyId, email: email,
                              displayName: String((name ?? email).prefix(120)), role: role, createdAt: services.timestamp())
        user.oidcSubject = subject
        _ = try services.accounts.add(user, by: Actor(id: "system", role: "system"), now: services.now())
        return try services.users.user(id: user.id)
    }
}

/// The names of an agency's sign-in settings.
enum AgencySettings {
    /// Families: "off" (default), "offered" or "required".
    static let familyTwoFactor = "familyTwoFactor"
    /// Single sign-on: "off" (default), or the staff role a new account is given.
    static let ssoNewAccounts = "ssoNewAccounts"
    /// The date the agency adopted its social media policy (ISO), and who staff ask about it.
    static let policyAdoptedOn = "policyAdoptedOn"
    static let policyContact = "policyContact"
}

extension UserRole {
    var isStaff: Bool { ![.adopter, .fosterCarer].contains(self) }
}
