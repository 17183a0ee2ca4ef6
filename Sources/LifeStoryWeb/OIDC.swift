import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JWTKit
import LifeStoryStorage
import Synchronization

/// Single sign-on for staff with the agency's OpenID Connect provider (Microsoft Entra ID, or any other): the
/// authorisation code flow with PKCE (S256), the provider found by discovery, and the ID token checked with jwt-kit
/// against the provider's published keys: signature, issuer, audience, expiry, and the nonce this sign-in sent.
public struct OIDCSettings: Sendable, Equatable {
    /// The provider's issuer URL, exactly as its discovery document gives it (`https://login.microsoftonline.com/TENANT/v2.0`).
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The button's words: "Sign in with your council account".
    public var buttonLabel: String

    public init(issuer: String, clientID: String, clientSecret: String, buttonLabel: String = "Sign in with your work account") {
        var issuer = issuer
        while issuer.hasSuffix("/") { issuer.removeLast() }
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.buttonLabel = buttonLabel
    }
}

/// What the provider's ID token says, once jwt-kit has checked its signature and expiry.
struct IDToken: JWTIdentityToken {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim?
    var nonce: String?
    var email: String?
    var emailVerified: Bool?
    var name: String?

    var audience: AudienceClaim { aud }

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, email, name
        case emailVerified = "email_verified"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Why a single sign-on was refused, in words for the audit log and the page.
struct SSORefusal: Error {
    var reason: String
}

final class OIDCClient: Sendable {
    let settings: OIDCSettings
    let redirectURI: String

    struct Discovery: Decodable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String
        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
        }
    }

    private struct Cached: Sendable {
        var discovery: Discovery
        var keys: JWTKeyCollection
        var fetchedAt: Double
    }

    private let cache = Mutex<Cached?>(nil)

    init(settings: OIDCSettings, redirectURI: String) {
        self.settings = settings
        self.redirectURI = redirectURI
    }

    // MARK: the provider's documents

    static func fetch(_ request: URLRequest) async throws -> Data {
        var request = request
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw SSORefusal(reason: "the provider did not answer over HTTP") }
        guard (200..<300).contains(http.statusCode) else {
            throw SSORefusal(reason: "the provider answered \(http.statusCode) at \(request.url?.path ?? "")")
        }
        guard data.count <= 1_000_000 else { throw SSORefusal(reason: "the provider's answer was too large") }
        return data
    }

    /// Discovery and keys, fetched once an hour (or again when a token names a key we do not have).
    private func provider(now: Double, refresh: Bool = false) async throws -> Cached {
        if !refresh, let cached = cache.withLock({ $0 }), now - cached.fetchedAt < 3600 { return cached }
        guard let url = URL(string: settings.issuer + "/.well-known/openid-configuration") else {
            throw SSORefusal(reason: "the issuer URL is not an address")
        }
        let discovery = try JSONDecoder().decode(Discovery.self, from: try await Self.fetch(URLRequest(url: url)))
        var issuer = discovery.issuer
        while issuer.hasSuffix("/") { issuer.removeLast() }
        guard issuer == settings.issuer else {
            throw SSORefusal(reason: "the provider calls itself \(discovery.issuer), not the configured \(settings.issuer)")
        }
        guard let jwksURL = URL(string: discovery.jwksURI) else { throw SSORefusal(reason: "the provider's key address is not an address") }
        let jwks = String(decoding: try await Self.fetch(URLRequest(url: jwksURL)), as: UTF8.self)
        let keys = JWTKeyCollection()
        try await keys.add(jwksJSON: jwks)
        let cached = Cached(discovery: discovery, keys: keys, fetchedAt: now)
        cache.withLock { $0 = cached }
        return cached
    }

    /// PKCE's challenge for a verifier (RFC 7636, S256).
    static func challenge(verifier: String) -> String {
        base64url(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Where to send the browser to sign in.
    func authorizationURL(state: String, nonce: String, verifier: String, now: Double) async throws -> String {
        let provider = try await provider(now: now)
        var components = URLComponents(string: provider.discovery.authorizationEndpoint)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: Self.challenge(verifier: verifier)),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components?.url?.absoluteString else { throw SSORefusal(reason: "the provider's sign-in address is not an address") }
        return url
    }

    /// Exchanges the code for tokens and checks the ID token: signature (the provider's keys), issuer, audience (our
    /// client id), expiry, and that its nonce is the one this sign-in sent.
    func identity(code: String, verifier: String, nonce: String, now: Double) async throws -> IDToken {
        let provider = try await provider(now: now)
        guard let tokenURL = URL(string: provider.discovery.tokenEndpoint) else { throw SSORefusal(reason: "the provider's token address is not an address") }
        var request = URLRequest(url: tokenURL)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let credentials = Data("\(Self.formEncode(settings.clientID)):\(Self.formEncode(settings.clientSecret))".utf8).base64EncodedString()
        request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
        request.httpBody = Data([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier),
        ].map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&").utf8)
        let data = try await Self.fetch(request)
        struct TokenResponse: Decodable { var id_token: String? }
        guard let idToken = try? JSONDecoder().decode(TokenResponse.self, from: data).id_token else {
            throw SSORefusal(reason: "the provider sent no ID token")
        }
        let token: IDToken
        do {
            token = try await verify(idToken, keys: provider.keys)
        } catch let error as JWTError where error.errorType == .noKeyProvided || error.errorType == .unknownKID {
            // The provider may have rolled its keys: fetch them again, once.
            token = try await verify(idToken, keys: try await self.provider(now: now, refresh: true).keys)
        }
        var issuer = token.iss.value
        while issuer.hasSuffix("/") { issuer.removeLast() }
        guard issuer == settings.issuer else { throw SSORefusal(reason: "the ID token was issued by \(token.iss.value), not the configured provider") }
        guard let sent = token.nonce, Token.equal(sent, nonce) else {
            throw SSORefusal(reason: "the ID token's nonce is not the one this sign-in sent (a replayed or substituted token)")
        }
        if let iat = token.iat?.value.timeIntervalSince1970, iat > now + 300 {
            throw SSORefusal(reason: "the ID token says it was issued in the future")
        }
        return token
    }

    private func verify(_ idToken: String, keys: JWTKeyCollection) async throws -> IDToken {
        do {
            return try await keys.verify(idToken, as: IDToken.self, expectedAudience: settings.clientID, iteratingKeys: true)
        } catch let error as JWTError {
            switch error.errorType {
            case .signatureVerificationFailed: throw SSORefusal(reason: "the ID token's signature does not match the provider's keys")
            case .claimVerificationFailure:
                let words = "\(error)"
                if words.contains("aud") || words.lowercased().contains("audience") {
                    throw SSORefusal(reason: "the ID token was issued for another application (its audience is not this client id)")
                }
                if words.contains("exp") || words.lowercased().contains("expired") {
                    throw SSORefusal(reason: "the ID token has expired")
                }
                throw SSORefusal(reason: "the ID token's claims did not verify")
            case .noKeyProvided, .unknownKID: throw error
            default: throw SSORefusal(reason: "the ID token could not be read or checked")
            }
        }
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
