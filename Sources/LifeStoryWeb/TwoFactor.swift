import Foundation
import HummingbirdOTP
import LifeStoryStorage

/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238: six digits, 30-second steps, SHA-1, as every
/// authenticator app expects), computed by HummingbirdOTP. A code is accepted for the step before, the step of and
/// the step after now (clocks drift), and only once: a step at or before the last one accepted is refused.
enum TwoFactor {
    static let issuer = "Lifestory"
    static let stepSeconds: Double = 30

    /// A new secret: 20 random characters from an alphabet of 62 (about 119 bits), kept as text; the authenticator
    /// app is given its bytes in base 32.
    static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    /// The `otpauth://` link an authenticator app reads from the QR code.
    static func link(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(issuer):\(account)", issuer: issuer)
    }

    /// The secret as a person types it into an app: base 32 in groups of four.
    static func typed(secret: String) -> String {
        let link = link(secret: secret, account: "x")
        guard let start = link.range(of: "secret=") else { return "" }
        let base32 = link[start.upperBound...].prefix { $0 != "&" }
        return stride(from: 0, to: base32.count, by: 4).map { i in
            String(base32.dropFirst(i).prefix(4))
        }.joined(separator: " ")
    }

    /// The code for a step (the demo's hint, and tests).
    static func code(secret: String, step: Int64) -> Int {
        TOTP(secret: secret).compute(date: Date(timeIntervalSince1970: Double(step) * stepSeconds))
    }

    static func step(at now: Double) -> Int64 { Int64((now / stepSeconds).rounded(.down)) }

    /// The step whose code this is (within one step of now), or nil. The caller then takes the step once.
    static func matchingStep(code: String, secret: String, now: Double) -> Int64? {
        let digits = code.filter { !$0.isWhitespace && $0 != "-" }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = step(at: now)
        for s in [current - 1, current, current + 1] where totp.compute(date: Date(timeIntervalSince1970: Double(s) * stepSeconds)) == value {
            return s
        }
        return nil
    }

    /// Ten recovery codes, each ten letters and digits in two groups ("k7qm2-x9fpd"), shown once and kept hashed.
    static func recoveryCodes() -> [String] {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        return (0..<10).map { _ in
            let chars = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            return String(chars[0..<5]) + "-" + String(chars[5..<10])
        }
    }

    /// A recovery code as typed: lower case, without spaces or the dash.
    static func normalised(recovery code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    static func hash(recovery code: String) -> String { Token.hash("recovery:" + normalised(recovery: code)) }

    /// Looks like a recovery code rather than a six-digit one.
    static func isRecoveryCode(_ text: String) -> Bool { normalised(recovery: text).count == 10 }
}
