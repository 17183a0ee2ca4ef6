import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryStorage
import Logging
import NIOCore

/// Sign in, sign out, and the one-time invitation links that let adopters and foster carers set a password.
struct AuthController {
    let services: WebServices

    func add(to router: Router<AppRequestContext>) {
        router.get("/login") { _, context in
            if let role = context.role { return services.redirect(role.home) }
            return services.page("login", LoginPage(sso: services.oidc?.settings.buttonLabel), context: context)
        }
        router.post("/login", use: login)
        router.post("/logout") { _, context -> Response in
            if let token = context.sessionToken {
                try services.sessions.end(token: token)
                services.sessionCache.forget(token)
                try services.security.record("signed-out", user: context.user, address: context.remoteAddress, what: "signed out", at: services.timestamp())
            }
            var response = services.redirect("/login")
            response.setCookie(services.cookie(SessionMiddleware.cookie, "", maxAge: 0))
            return response
        }
        router.get("/invite/{token}") { _, context -> Response in
            let token = try context.parameters.require("token")
            guard let user = try services.invitations.pending(token: token, now: services.now()) else {
                return services.errorPage(.gone, "This invitation link has been used or has expired. Ask your social worker to send you a new one.", context: context)
            }
            return services.page("invite", InvitePage(name: user.displayName, isStaff: UserRole(rawValue: user.role)?.isStaff ?? false, token: token), context: context)
        }
        router.post("/invite/{token}", use: acceptInvitation)
    }

    struct LoginPage: PageModel {
        var pageTitle = "Sign in"
        var sso: String?
        var email = ""
        var csrf = ""
        var summary: ErrorSummary?
        var emailError: String?
        var passwordError: String?
    }

    struct InvitePage: PageModel {
        var pageTitle = "Set your password"
        var name: String
        var isStaff = false
        var token: String
        var csrf = ""
        var summary: ErrorSummary?
        var passwordError: String?
        var confirmError: String?
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form ?? FormData("")
        let email = (form.text("email") ?? "").lowercased()
        let password = form["password"] ?? ""
        var page = LoginPage(sso: services.oidc?.settings.buttonLabel, email: email)
        if email.isEmpty { page.emailError = "Enter your email address" }
        if password.isEmpty { page.passwordError = "Enter your password" }
        if page.emailError != nil || page.passwordError != nil {
            page.summary = ErrorSummary([page.emailError.map { FieldError(field: "email", message: $0) },
                           page.passwordError.map { FieldError(field: "password", message: $0) }].compactMap { $0 })
            return services.page("login", page, context: context, status: .unprocessableContent)
        }
        let now = services.now()
        let user = try services.users.user(email: email)
        // The attempt is reserved before the password is checked, atomically: a burst cannot all slip under the limit.
        let keys = LoginThrottle.keys(account: email, address: context.remoteAddress)
        let reserved: [Int64]
        switch try services.throttle.reserve(keys, now: now) {
        case .wait(let wait):
            try services.security.record("sign-in-throttled", user: user, address: context.remoteAddress, what: "a sign-in refused: too many attempts",
                                         detail: user == nil ? "an email that is no account's (\(Token.hash(email).prefix(12)))" : "", at: services.timestamp())
            let minutes = max(1, Int((wait / 60).rounded(.up)))
            page.emailError = "Too many attempts to sign in. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again."
            page.summary = ErrorSummary([FieldError(field: "email", message: page.emailError!)])
            var response = services.page("login", page, context: context, status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        case .allowed(let ids):
            reserved = ids
        }
        // An unknown account, or a password bcrypt cannot take whole, costs the same as a real check.
        let usable = PasswordPolicy.fitsBcrypt(password)
        guard try await services.verifyPassword(password, hash: usable ? user?.passwordHash : nil), usable, let user else {
            try services.security.record("sign-in-failed", user: user, address: context.remoteAddress, what: "a sign-in with a wrong password",
                                         detail: user == nil ? "an email that is no account's (\(Token.hash(email).prefix(12)))" : "", at: services.timestamp())
            page.emailError = "The email address or password is not right"
            page.summary = ErrorSummary([FieldError(field: "email", message: page.emailError!)])
            return services.page("login", page, context: context, status: .unauthorized)
        }
        try services.throttle.succeeded(reserved, account: email)
        guard user.isActive else {
            try services.security.record("sign-in-disabled", user: user, address: context.remoteAddress, what: "a sign-in to a disabled account was refused", at: services.timestamp())
            page.emailError = "This account has been disabled. Ask your agency's admin if you need it again."
            page.summary = ErrorSummary([FieldError(field: "email", message: page.emailError!)])
            return services.page("login", page, context: context, status: .forbidden)
        }
        return try afterPassword(user, context: context, how: "signed in with a password")
    }

    /// The password was right: a session starts now, or after a code (an app is set up), or after setting one up
    /// (staff must have one; families where the agency requires it).
    func afterPassword(_ user: UserRecord, context: AppRequestContext, how: String) throws -> Response {
        let kind: String
        if user.hasTwoFactor {
            kind = "code"
        } else if try needsTwoFactor(user) {
            kind = "enrol"
        } else {
            return try startSession(user, context: context, how: how)
        }
        let token = try services.accounts.startChallenge(userId: user.id, kind: kind, how: how, now: services.now())
        var response = services.redirect(kind == "code" ? "/login/code" : "/login/enrol")
        response.setCookie(services.cookie(AccountController.challengeCookie, token, maxAge: Int(AccountStore.challengeLifetime)))
        return response
    }

    func needsTwoFactor(_ user: UserRecord) throws -> Bool {
        guard let role = UserRole(rawValue: user.role) else { return true }
        if role.isStaff { return services.config.staffTwoFactor }
        return try services.accounts.setting(agencyId: user.agencyId, AgencySettings.familyTwoFactor) == "required"
    }

    func startSession(_ user: UserRecord, context: AppRequestContext, how: String) throws -> Response {
        let session = try services.sessions.start(userId: user.id, now: services.now())
        try services.security.record("signed-in", user: user, address: context.remoteAddress, what: how, at: services.timestamp())
        var response = services.redirect(UserRole(rawValue: user.role)?.home ?? "/")
        response.setCookie(services.cookie(SessionMiddleware.cookie, session.token, maxAge: nil))
        response.setCookie(services.cookie(SessionMiddleware.preCookie, "", maxAge: 0))
        return response
    }

    @Sendable func acceptInvitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let user = try services.invitations.pending(token: token, now: services.now()) else {
            return services.errorPage(.gone, "This invitation link has been used or has expired. Ask your social worker to send you a new one.", context: context)
        }
        let form = context.form ?? FormData("")
        let password = form["password"] ?? "", confirm = form["confirm"] ?? ""
        var page = InvitePage(name: user.displayName, isStaff: UserRole(rawValue: user.role)?.isStaff ?? false, token: token)
        page.passwordError = PasswordPolicy.problem(password, email: user.email, name: user.displayName)
        if page.passwordError == nil && confirm != password { page.confirmError = "The two passwords do not match" }
        if page.passwordError != nil || page.confirmError != nil {
            page.summary = ErrorSummary([page.passwordError.map { FieldError(field: "password", message: $0) },
                           page.confirmError.map { FieldError(field: "confirm", message: $0) }].compactMap { $0 })
            return services.page("invite", page, context: context, status: .unprocessableContent)
        }
        let hash = try await services.hashPassword(password)
        guard let accepted = try services.invitations.accept(token: token, passwordHash: hash, now: services.now()) else {
            return services.errorPage(.gone, "This invitation link has been used or has expired. Ask your social worker to send you a new one.", context: context)
        }
        try services.security.record("invitation-used", user: accepted, address: context.remoteAddress, what: "an invitation link was used to set a password",
                                     at: services.timestamp())
        return try afterPassword(accepted, context: context, how: "signed in after setting a password from a one-time link")
    }
}

/// The error summary at the top of a form: each entry links to its field.
struct ErrorSummary: Sendable {
    var errors: [FieldError]
    init?(_ errors: [FieldError]) {
        guard !errors.isEmpty else { return nil }
        self.errors = errors
    }
}

/// One entry of an error summary: the field's id and the message, which also shows beside the field.
struct FieldError: Error, Sendable {
    var field: String
    var message: String
}
