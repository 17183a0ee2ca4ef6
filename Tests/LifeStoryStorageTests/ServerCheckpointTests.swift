import Foundation
import GRDB
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import Testing

@Suite("The server's database")
struct ServerCheckpointTests {
    func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }

    @Test("Commits never checkpoint; checkpoint() copies the WAL into the database, and nothing is lost")
    func checkpointsOffTheCommitPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("server.sqlite").path
        let db = try AppDatabase.openForServer(path: path)
        let store = PlanStore(db)
        try store.importPlan(try Fixtures.plan("clean-eng"), actor: .system)
        for i in 0..<1_500 {
            try store.audit(planID: "plan-eng-sam", actor: Actor(id: "u-\(i)", role: "adopter"), action: "read", purpose: "read the family's guide")
        }
        #expect(try db.writer.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0, "commits do not checkpoint")
        let before = size(path)
        #expect(size(path + "-wal") > before, "the writes are still in the WAL: no commit checkpointed (1,500 commits would have)")
        try db.checkpoint()
        #expect(size(path) > before, "the checkpoint copied the WAL into the database")
        #expect(try AuditLog.verify(db).firstBroken == nil)
        #expect(try store.load("plan-eng-sam", actor: .system, purpose: "test").plan.child.knownAs == "Sam")
    }
}
