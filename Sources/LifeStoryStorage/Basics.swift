import Crypto
import Foundation
import GRDB
import LifeStoryCore

// Small pieces every store uses: today's date in the UK, hex, tokens.

/// Today's date in the UK: the only place Lifestory reads the clock for a default date (the CLI's `--as-of` and the
/// web app's "today"). The calendar is made once: the web app asks on every page.
public enum Today {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
        return calendar
    }()

    public static func inUK() -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year ?? 2026, month: parts.month ?? 1, day: parts.day ?? 1) ?? CalendarDate(dayNumber: 0)
    }
}

/// Lower-case hex, without `String(format:)` (which is slow on the hot path of every request).
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    /// The SHA-256 of some bytes, as hex: how Lifestory names a file's contents everywhere it records one.
    public static func sha256(_ data: Data) -> String { encode(SHA256.hash(data: data)) }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A random token for a cookie or link, and the hash the database keeps instead of it.
public enum Token {
    /// 32 random bytes, base64url without padding (43 characters).
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }

    /// Compares two strings in time that does not depend on where they differ.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
