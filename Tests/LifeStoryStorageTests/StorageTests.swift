import Foundation
import GRDB
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import Testing

let actor = Actor(id: "test-sw", role: "social_worker")
let other = Actor(id: "test-tm", role: "team_manager")

func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

func demoFiles() throws -> [URL] {
    let dir = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/LifeStoryStorage/Resources/demo")
    return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
}

@Suite("Plan store")
struct PlanStoreTests {
    @Test("import then export gives the same bytes, for every fixture and demo plan")
    func roundTrip() throws {
        let files = try Fixtures.names.map(Fixtures.url) + demoFiles()
        for file in files {
            let bytes = try Data(contentsOf: file)
            let plan = try PlanArchive.decode(bytes).plan
            let store = PlanStore(try AppDatabase.inMemory())
            if Fixtures.expectations[file.deletingPathExtension().lastPathComponent]?.errors.contains("P2") == true {
                // Duplicate ids cannot be stored: refused whole, with the field named.
                #expect(throws: StorageError.self) { try store.importPlan(plan, actor: actor) }
                #expect(try store.planIDs().isEmpty)
                continue
            }
            try store.importPlan(plan, actor: actor)
            let exported = try store.export(plan.id, actor: actor)
            #expect(exported == bytes, "\(file.lastPathComponent) changed on the way through the database")
        }
    }

    @Test func aPlanIdOrChildIsNeverOverwrittenByImport() throws {
        let store = PlanStore(try AppDatabase.inMemory())
        let plan = try Fixtures.plan("clean-eng")
        try store.importPlan(plan, actor: actor)
        #expect(throws: StorageError.alreadyExists(what: "plan", id: plan.id)) { try store.importPlan(plan, actor: actor) }
        var sameChild = plan
        sameChild.id = "plan-other"
        #expect(throws: StorageError.self) { try store.importPlan(sameChild, actor: actor) }
        #expect(try store.planIDs() == [plan.id])
    }

    @Test func aStaleUpdateIsRefusedAndChangesNothing() throws {
        let db = try AppDatabase.inMemory()
        let store = PlanStore(db)
        let plan = try Fixtures.plan("clean-sco")
        let start = try store.importPlan(plan, actor: actor).revision
        // The team manager saves first...
        try store.update(plan.id, basedOn: start, actor: other) { $0.arrangements[0].frequency = .times(6, per: .year) }
        let before = try store.export(plan.id, actor: actor)
        let auditBefore = try AuditLog.entries(db).count
        // ...then the social worker saves a change based on the revision they opened.
        do {
            try store.update(plan.id, basedOn: start, actor: actor) { $0.arrangements[0].frequency = .times(2, per: .year) }
            Issue.record("a stale update was accepted")
        } catch let StorageError.conflict(_, basedOn, current, changes) {
            #expect(basedOn == start && current == start + 1)
            #expect(changes.count == 1 && changes[0].hasPrefix("test-tm (team_manager)") && changes[0].contains("arrangements[a-leanne].frequency"))
        }
        #expect(try store.export(plan.id, actor: actor) == before)
        // Only the two reads above were added to the audit log; the refused write left nothing.
        #expect(try AuditLog.entries(db).count == auditBefore + 1)
    }

    @Test func concurrentWritersLoseNoUpdate() async throws {
        let db = try AppDatabase.open(path: tempPath("concurrent.sqlite"))
        let store = PlanStore(db)
        let plan = try Fixtures.plan("clean-wls")
        try store.importPlan(plan, actor: actor)
        let writers = 8, each = 15
        try await withThrowingTaskGroup(of: Int.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var conflicts = 0
                    for n in 0..<each {
                        while true {
                            let current = try store.load(plan.id, actor: actor, purpose: "test").revision
                            do {
                                try store.update(plan.id, basedOn: current, actor: actor) { p in
                                    p.reviews.append(Review(id: "w\(w)-\(n)", kind: .other, dueOn: Fixtures.date("2030-01-01")))
                                }
                                break
                            } catch StorageError.conflict {
                                conflicts += 1
                            }
                        }
                    }
                    return conflicts
                }
            }
            var conflicts = 0
            for try await c in group { conflicts += c }
            print("concurrent writers: \(conflicts) conflicts detected and retried")
        }
        let final = try store.load(plan.id, actor: actor, purpose: "test")
        #expect(final.plan.reviews.count == plan.reviews.count + writers * each)
        #expect(final.revision == plan.version + writers * each)
        #expect(Set(final.plan.reviews.map(\.id)).count == final.plan.reviews.count)
    }

    @Test func stageUpdatesCheckTheirInputAndBumpTheRevision() throws {
        let store = PlanStore(try AppDatabase.inMemory())
        let plan = try Fixtures.plan("clean-eng")
        let r = try store.importPlan(plan, actor: actor).revision
        #expect(throws: StorageError.self) {
            try store.updateStageItem(planID: plan.id, itemID: "i-d-1", basedOn: r, status: .skipped, doneOn: nil, notes: nil, skippedReason: " ", actor: actor)
        }
        #expect(throws: StorageError.self) {
            try store.updateStageItem(planID: plan.id, itemID: "i-d-1", basedOn: r, status: .done, doneOn: nil, notes: nil, skippedReason: nil, actor: actor)
        }
        #expect(try store.load(plan.id, actor: actor, purpose: "t").revision == r)
        let r2 = try store.updateStageItem(planID: plan.id, itemID: "i-d-1", basedOn: r, status: .done, doneOn: Fixtures.date("2026-11-20"),
                                           notes: "Sam asked if Dan could find the house. We said no, and why.", skippedReason: nil, actor: actor)
        #expect(r2 == r + 1)
        let loaded = try store.load(plan.id, actor: actor, purpose: "t").plan
        let item = try #require(loaded.stageItems.first { $0.item.id == "i-d-1" }?.item)
        #expect(item.status == .done && item.doneOn == Fixtures.date("2026-11-20") && item.notes?.hasPrefix("Sam asked") == true)
        #expect(throws: StorageError.self) {
            try store.updateStageItem(planID: plan.id, itemID: "i-d-2", basedOn: r, status: .done, doneOn: Fixtures.date("2026-11-20"), notes: nil, skippedReason: nil, actor: actor)
        }
    }

    @Test func frozenVersionsAreImmutableAndAnEditStartsANewDraft() throws {
        let db = try AppDatabase.inMemory()
        let store = PlanStore(db)
        let plan = try Fixtures.plan("clean-sco")
        let r = try store.importPlan(plan, actor: actor).revision
        let v1 = try store.freeze(plan.id, basedOn: r, reason: .submitted, actor: actor)
        #expect(v1.number == 1 && v1.reason == "submitted")
        #expect(throws: StorageError.self) { try store.freeze(plan.id, basedOn: v1.revision, reason: .published, actor: actor) }
        let edited = try store.update(plan.id, basedOn: v1.revision, actor: actor) { $0.arrangements[0].frequency = .times(6, per: .year) }
        #expect(edited.plan.status == .draft)
        let frozen = try store.version(plan.id, number: 1, actor: actor)
        #expect(frozen.status == .submitted && frozen.arrangements[0].frequency == .times(4, per: .year))
        #expect(throws: (any Error).self) {
            try db.writer.write { db in try db.execute(sql: "UPDATE planVersion SET archive = '{}'") }
        }
        #expect(throws: (any Error).self) {
            try db.writer.write { db in try db.execute(sql: "DELETE FROM planVersion") }
        }
        let changes = try store.diff(plan.id, from: 1, to: nil, actor: actor)
        let words = changes.map(\.description)
        #expect(words.contains("Changed: contact with Leanne Example (birth mother) by supervised meetings › how often: 4 times a year → 6 times a year"), "\(words)")
        #expect(words.contains("Changed: status: submitted → draft"))
        #expect(words.count == 2)
    }

    @Test func theCaseloadPutsOverdueWorkFirst() throws {
        let store = PlanStore(try AppDatabase.inMemory())
        for name in ["clean-eng", "clean-wls", "clean-sco", "clean-ni"] { try store.importPlan(try Fixtures.plan(name), actor: actor) }
        var rows = try store.caseload(asOf: Fixtures.asOf)
        #expect(rows.count == 4 && rows.allSatisfy { $0.overdueItems == 0 })
        // On 11 December 2026 Niamh's (due 5 December) and Lewis's (due 10 December) conversations are overdue.
        rows = try store.caseload(asOf: Fixtures.date("2026-12-11"))
        #expect(Set(rows.prefix(2).map(\.planId)) == ["plan-ni-niamh", "plan-sco-lewis"])
        #expect(rows.prefix(2).allSatisfy { $0.overdueItems == 1 } && rows.suffix(2).allSatisfy { $0.overdueItems == 0 })
    }
}

@Suite("Audit log")
struct AuditTests {
    @Test func everyReadAndWriteIsRecordedWithWhoAndWhy() throws {
        let db = try AppDatabase.inMemory()
        let store = PlanStore(db)
        let plan = try Fixtures.plan("clean-ni")
        try store.importPlan(plan, actor: actor)
        _ = try store.load(plan.id, actor: other, purpose: "supervision")
        _ = try store.export(plan.id, actor: actor)
        let entries = try AuditLog.entries(db, entity: "plan", entityId: plan.id)
        #expect(entries.map(\.action) == ["import", "read", "read"])
        #expect(entries[1].actor == "test-tm" && entries[1].role == "team_manager" && entries[1].purpose == "supervision")
        #expect(entries.allSatisfy { $0.childId == plan.child.id })
        #expect(try AuditLog.verify(db).firstBroken == nil)
    }

    @Test func theLogIsAppendOnlyAndTamperingIsFound() throws {
        let db = try AppDatabase.inMemory()
        let store = PlanStore(db)
        for name in ["clean-eng", "clean-wls", "clean-sco"] { try store.importPlan(try Fixtures.plan(name), actor: actor) }
        #expect(throws: (any Error).self) { try db.writer.write { db in try db.execute(sql: "UPDATE auditLog SET actor = 'someone else' WHERE seq = 2") } }
        #expect(throws: (any Error).self) { try db.writer.write { db in try db.execute(sql: "DELETE FROM auditLog WHERE seq = 2") } }
        let intact = try AuditLog.verify(db)
        #expect(intact.entries == 3 && intact.firstBroken == nil)
        // Someone with the database file and the know-how drops the guard and rewrites an entry.
        try db.writer.write { db in
            try db.execute(sql: "DROP TRIGGER auditLog_append_only_update")
            try db.execute(sql: "UPDATE auditLog SET actor = 'someone else' WHERE seq = 2")
        }
        let v = try AuditLog.verify(db)
        #expect(v.firstBroken?.seq == 2)
        #expect(v.firstBroken?.reason == "its contents were changed after it was written")
    }
}

@Suite("Backup, restore and crashes")
struct DurabilityTests {
    @Test func aBackupRestoresToTheSameData() throws {
        let path = tempPath("live.sqlite")
        let db = try AppDatabase.open(path: path)
        _ = try Demo.seed(db)
        let store = PlanStore(db)
        let before = try store.planIDs().map { try store.export($0, actor: actor) }
        let backup = tempPath("backup.sqlite")
        let counts = try Backup.backup(db, to: backup)
        #expect(counts.plans == 4)
        #expect(!FileManager.default.fileExists(atPath: backup + "-wal"))
        #expect(throws: StorageError.self) { try Backup.backup(db, to: backup) }
        // Restoring over an existing database needs --force, and keeps the old one aside.
        #expect(throws: StorageError.self) { try Backup.restore(from: backup, to: path, force: false) }
        let elsewhere = tempPath("restored.sqlite")
        let restored = try Backup.restore(from: backup, to: elsewhere, force: false)
        #expect(restored.plans == 4 && restored.keptAside == nil)
        let restoredStore = PlanStore(try AppDatabase.open(path: elsewhere))
        #expect(try restoredStore.planIDs().map { try restoredStore.export($0, actor: actor) } == before)
        let forced = try Backup.restore(from: backup, to: elsewhere, force: true)
        #expect(forced.keptAside != nil && FileManager.default.fileExists(atPath: forced.keptAside!))
        #expect(try AuditLog.verify(try AppDatabase.open(path: elsewhere)).firstBroken == nil)
    }

    @Test func demoSeedsFourNationsAndNeverMixesWithRealData() throws {
        let db = try AppDatabase.inMemory()
        let plans = try Demo.seed(db)
        #expect(Set(plans.map(\.plan.child.jurisdiction)) == Set(JurisdictionCode.allCases))
        #expect(plans.contains { $0.plan.incidents.count > 0 })
        #expect(plans.contains { $0.plan.orders.contains { $0.type == .aca02S51AProhibition } })
        #expect(plans.contains { $0.plan.currentPlacement?.kind == .fosteringForAdoption })
        #expect(throws: StorageError.self) { try Demo.seed(db) }
        #expect(try UserStore(db).all().count == Demo.users.count)
    }

    @Test func killingAWriterLosesNoAcknowledgedWrite() throws {
        let path = tempPath("crash.sqlite")
        let store = PlanStore(try AppDatabase.open(path: path))
        let plan = try Fixtures.plan("clean-wls")
        try store.importPlan(plan, actor: actor)

        let process = Process()
        process.executableURL = lifestoryExecutable()
        process.arguments = ["dev-write-loop", "--db", path, "--plan", plan.id]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var acked = 0
        var buffer = Data()
        let handle = pipe.fileHandleForReading
        while acked < 40 {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            acked = String(decoding: buffer, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ack ") }.count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Anything printed before the kill was acknowledged after its commit.
        buffer.append(handle.readDataToEndOfFile())
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ack ") && !$0.dropFirst(4).isEmpty }
        let acknowledged = lines.compactMap { Int($0.dropFirst(4)) }
        #expect(acknowledged.count >= 40)

        let reopened = try AppDatabase.open(path: path)
        #expect(try reopened.integrityCheck() == "ok")
        let reviews = Set(try PlanStore(reopened).load(plan.id, actor: actor, purpose: "crash check").plan.reviews.map(\.id))
        for n in acknowledged { #expect(reviews.contains("crash-\(n)"), "acknowledged write \(n) was lost") }
        #expect(try AuditLog.verify(reopened).firstBroken == nil)
    }
}

func lifestoryExecutable() -> URL {
    var dir = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("lifestory")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL.appendingPathComponent("lifestory")
}
