import Crypto
import Foundation
import GRDB
import LifeStoryCore

public struct LoginThrottle: Sendable {
    public let database: AppDatabase
    public let window: Double
    public let maxWait: Double

    /// The keys one attempt counts against, each with its own limit.
    public struct Key: Sendable, Hashable {
        public var key: String
        public var limit: Int
        public init(_ key: String, limit: Int) {
            self.key = key
            self.limit = limit
        }
    }

    public init(_ database: AppDatabase, window: Double = 15 * 60, maxWait: Double = 15 * 60) {
        self.database = database
        self.window = window
        self.maxWait = maxWait
    }

    /// The keys of an attempt: the account from this address (5), the address (20, as an office shares one), the
    /// account from anywhere (10; 5 when the address is not known).
    public static func keys(account: String, address: String?) -> [Key] {
        // Without an address (a socket with no peer), the account's own key is all there is: it takes the lower limit.
        var keys = [Key("account:" + account, limit: address == nil ? 5 : 10)]
        if let address {
            keys.append(Key("address:" + address, limit: 20))
            keys.append(Key("account-address:" + account + "|" + address, limit: 5))
        }
        return keys
    }

    /// What `reserve` decided.
    public enum Decision: Sendable, Equatable {
        /// Go ahead and check the password; the ids are the rows to take back if it was right.
        case allowed([Int64])
        /// Refused without a check: wait this many seconds.
        case wait(Double)
    }

    /// Counts and reserves in one transaction.
    public func reserve(_ keys: [Key], now: Double) throws -> Decision {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM loginAttempt WHERE at < ?", arguments: [now - window])
            var longest: Double?
            for k in keys {
                let times = try Double.fetchAll(db, sql: "SELECT at FROM loginAttempt WHERE key = ? AND at > ? ORDER BY at",
                                                arguments: [k.key, now - window])
                guard times.count >= k.limit, let last = times.last else { continue }
                let over = min(times.count - k.limit, 10)
                let wait = min(maxWait, 60 * Double(1 << over))
                let remaining = last + wait - now
                if remaining > 0 { longest = max(longest ?? 0, remaining) }
            }
            if let longest { return .wait(longest) }
            var ids: [Int64] = []
            for k in keys {
                try db.execute(sql: "INSERT INTO loginAttempt (key, at) VALUES (?, ?)", arguments: [k.key, now])
                ids.append(db.lastInsertedRowID)
            }
            return .allowed(ids)
        }
    }

    /// The password was right: the reservation does not count, and the account's earlier failures are forgiven.
    public func succeeded(_ reserved: [Int64], account: String) throws {
        try database.writer.write { db in
            for id in reserved { try db.execute(sql: "DELETE FROM loginAttempt WHERE rowid = ?", arguments: [id]) }
            try db.execute(sql: "DELETE FROM loginAttempt WHERE key = ? OR key LIKE ?", arguments: ["account:" + account, "account-address:" + account + "|%"])
        }
    }

    /// How many attempts a key has in the window (for tests and the admin's view).
    public func count(_ key: String, now: Double) throws -> Int {
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM loginAttempt WHERE key = ? AND at > ?", arguments: [key, now - window]) ?? 0
        }
    }
}

/// Security events in the tamper-evident audit log: sign-ins, failures, lockouts, sign-outs, expired sessions,
/// invitations used, refused forms, refused pages and ids not found. Never a password; an address typed at sign-in
/// that is no account's is kept only as a short hash.
