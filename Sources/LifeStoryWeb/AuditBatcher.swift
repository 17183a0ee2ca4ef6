import Foundation
import LifeStoryStorage
import NIOPosix
import Synchronization

/// Group commit for the audit entries of page views. Each request waits until its entry is committed, so no view
/// goes unrecorded; entries from requests that arrive while a commit is under way go into the next one. Under load
/// one flush to disk serves many views instead of one each.
final class AuditBatcher: Sendable {
    private struct Waiting: Sendable {
        var request: PlanStore.AuditRequest
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var pending: [Waiting] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let store: PlanStore

    init(store: PlanStore) { self.store = store }

    func record(_ request: PlanStore.AuditRequest) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { s -> Bool in
                s.pending.append(Waiting(request: request, continuation: continuation))
                if s.flushing { return false }
                s.flushing = true
                return true
            }
            if start {
                // The commit blocks on the disk: run it on the I/O thread pool, not on the request threads.
                NIOThreadPool.singleton.submit { _ in self.drain() }
            }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { s -> [Waiting] in
                let b = s.pending
                s.pending = []
                if b.isEmpty { s.flushing = false }
                return b
            }
            if batch.isEmpty { return }
            do {
                try store.audit(batch.map(\.request))
                for w in batch { w.continuation.resume() }
            } catch {
                for w in batch { w.continuation.resume(throwing: error) }
            }
        }
    }
}
