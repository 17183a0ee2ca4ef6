import Foundation

/// What a new password must be. Long, not a well-known one, and within what bcrypt reads.
///
/// bcrypt reads only the first 72 bytes of a password and ignores the rest, silently. Rather than let two
/// passwords that differ only after byte 72 count as the same, Lifestory refuses a new password longer than 72
/// bytes (72 letters of plain English; fewer with accents or other scripts, which take 2-4 bytes a character), and
/// a sign-in with a longer one fails after the same time a real check takes.
enum PasswordPolicy {
    static let minimumLength = 12
    static let bcryptLimit = 72

    /// About 18,000 passwords seen most often in breaches (Django's list, from Royce Williams' collection), in
    /// lower case: `Resources/common-passwords.txt`.
    static let common: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").map { String($0) })
    }()

    static func fitsBcrypt(_ password: String) -> Bool { password.utf8.count <= bcryptLimit }

    /// Why a new password will not do, as the message beside the field; nil when it will.
    static func problem(_ password: String, email: String, name: String) -> String? {
        let trimmed = password.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "Enter a password of at least \(minimumLength) characters, not only spaces" }
        if password.count < minimumLength {
            return "Enter a password of at least \(minimumLength) characters. Three random words are easy to remember and hard to guess."
        }
        if !fitsBcrypt(password) {
            return "Enter a password of at most \(bcryptLimit) bytes: about \(bcryptLimit) letters, fewer with accents or other alphabets"
        }
        let lower = trimmed.lowercased()
        if lower == email.lowercased() || lower == email.lowercased().split(separator: "@").first.map(String.init) {
            return "Choose a password that is not your email address"
        }
        if lower.replacingOccurrences(of: " ", with: "") == name.lowercased().replacingOccurrences(of: " ", with: "") {
            return "Choose a password that is not your name"
        }
        if isCommon(lower) {
            return "That password is one of the most common, so it is easy to guess. Choose another: three random words work well."
        }
        if Set(lower).count <= 2 { return "Choose a password with more than one or two different characters" }
        return nil
    }

    /// On the list as it is, or once the digits and symbols people add at either end are taken off
    /// ("password2026!" is "password").
    static func isCommon(_ lower: String) -> Bool {
        if common.contains(lower) { return true }
        let core = lower.trimmingCharacters(in: CharacterSet.letters.inverted)
        return core.count >= 4 && common.contains(core)
    }
}
