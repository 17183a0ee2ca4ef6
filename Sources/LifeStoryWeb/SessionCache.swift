import Foundation
import LifeStoryStorage
import Synchronization

/// Sessions looked up in the last second, kept in memory so a burst of requests does not read the same row again and
/// again. Signing out (or an expired session) removes the entry at once; anything else about a session or its user
/// is at most one second old. The database stays the source of truth.
final class SessionCache: Sendable {
    private struct Entry {
        var session: SessionRecord
        var user: UserRecord
        var fetchedAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Double

    init(lifetime: Double = 1) { self.lifetime = lifetime }

    func resume(token: String, now: Double, store: SessionStore) throws -> (SessionRecord, UserRecord)? {
        if let e = entries.withLock({ $0[token] }), now - e.fetchedAt < lifetime,
           now - e.session.lastSeenAt <= store.idleTimeout, now - e.session.createdAt <= store.absoluteTimeout {
            return (e.session, e.user)
        }
        guard let (session, user) = try store.resumeWithUser(token: token, now: now) else {
            forget(token)
            return nil
        }
        entries.withLock { all in
            if all.count >= 4096 { all.removeAll() }
            all[token] = Entry(session: session, user: user, fetchedAt: now)
        }
        return (session, user)
    }

    func forget(_ token: String) { _ = entries.withLock { $0.removeValue(forKey: token) } }

    func forgetAll() { entries.withLock { $0.removeAll() } }

    /// Every cached session of a user (disabled, reset or changed): their next request reads the database.
    func forgetUser(_ id: String) { entries.withLock { all in all = all.filter { $0.value.user.id != id } } }
}

/// The family member's plan and its latest version number, looked up in the last second. A new approved version or
/// a removed assignment shows at most one second later.
final class FamilyPlanCache: Sendable {
    private struct Entry {
        var planID: String
        var latest: Int?
        var fetchedAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Double

    init(lifetime: Double = 1) { self.lifetime = lifetime }

    func plan(userId: String, agencyId: String, now: Double, store: PlanStore) throws -> (planID: String, latestVersion: Int?)? {
        if let e = entries.withLock({ $0[userId] }), now - e.fetchedAt < lifetime { return (e.planID, e.latest) }
        guard let found = try store.familyPlan(userId: userId, agencyId: agencyId) else {
            _ = entries.withLock { $0.removeValue(forKey: userId) }
            return nil
        }
        entries.withLock { all in
            if all.count >= 4096 { all.removeAll() }
            all[userId] = Entry(planID: found.planID, latest: found.latestVersion, fetchedAt: now)
        }
        return found
    }
}
