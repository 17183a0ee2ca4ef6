import Foundation
import LifeStoryCore
import LifeStoryGuides
import Synchronization

/// The family's pages, built once per plan revision, guidance edition, audience and day, and scanned once. A new
/// revision, edition or day is a new key, so nothing stale is ever served; old keys are dropped when the cache fills.
final class GuideCache: Sendable {
    struct Entry: Sendable {
        var guide: Guide
        var plan: Plan
        /// Page bodies already rendered and scanned, by tab.
        var bodies: [String: String] = [:]
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Which version a family reads, by plan and latest version number: versions never change, so neither does this.
    private let released = Mutex<[String: (number: Int, revision: Int)?]>([:])

    func released(planID: String, latest: Int, lookup: () throws -> (number: Int, revision: Int)?) rethrows -> (number: Int, revision: Int)? {
        let key = "\(planID)|\(latest)"
        if let known = released.withLock({ $0[key] }) { return known }
        let value = try lookup()
        released.withLock { all in
            if all.count >= capacity { all.removeAll() }
            all[key] = .some(value)
        }
        return value
    }
    let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    static func key(planID: String, revision: Int, audience: GuideAudience, edition: String, asOf: CalendarDate) -> String {
        "\(planID)|\(revision)|\(audience.rawValue)|\(edition)|\(asOf.iso)"
    }

    func entry(_ key: String) -> Entry? { entries.withLock { $0[key] } }

    func store(_ key: String, _ entry: Entry) {
        entries.withLock { all in
            if all.count >= capacity { all.removeAll() }
            all[key] = entry
        }
    }

    func body(_ key: String, tab: String) -> String? { entries.withLock { $0[key]?.bodies[tab] } }

    func store(_ key: String, tab: String, body: String) {
        entries.withLock { all in all[key]?.bodies[tab] = body }
    }
}
