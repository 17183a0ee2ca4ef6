import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryStorage
import Logging
import NIOCore

/// What a request carries through the middleware: who is signed in, their session, and the checked form.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: UserRecord?
    public var session: SessionRecord?
    public var sessionToken: String?
    /// The token a signed-out visitor's forms carry (double-submit cookie), for sign-in and invitations.
    public var preToken: String?
    /// The form of a POST, parsed once its CSRF token has been checked.
    public var form: FormData?

    /// The client's address, for sign-in throttling.
    public var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// A request body over 1 MB is refused with 413 Content Too Large.
    public var maxUploadSize: Int { RequestLimits.maxBody }

    /// The token forms on this page must carry.
    var csrf: String { session?.csrf ?? preToken ?? "" }

    var actor: Actor { Actor(id: user?.id ?? "anonymous", role: user?.role ?? "anonymous") }

    var role: UserRole? { user.flatMap { UserRole(rawValue: $0.role) } }
}

/// A parsed `application/x-www-form-urlencoded` body.
public struct FormData: Sendable {
    public var values: [(String, String)]
    /// The body as sent, for typed forms read with `URLEncodedFormDecoder`.
    public var body: String

    public init(_ body: String) {
        self.body = body
        values = body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value for a name, with Windows line endings made plain.
    public subscript(_ name: String) -> String? {
        values.first { $0.0 == name }.map { $0.1.replacingOccurrences(of: "\r\n", with: "\n") }
    }

    public func all(_ name: String) -> [String] { values.filter { $0.0 == name }.map(\.1) }

    /// A value, trimmed, or nil when empty.
    public func text(_ name: String) -> String? {
        guard let v = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }
}
