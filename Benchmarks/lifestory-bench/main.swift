// lifestory-bench: the figures in docs/PERFORMANCE.md.
//   swift run -c release lifestory-bench [--plans 10000] [--samples 1000]     the store
//   swift run -c release lifestory-bench --guides [--batch 500]             guides (needs WeasyPrint on PATH)
//   swift run -c release lifestory-bench --caseload DEMO.sqlite [--samples 1000]   caseload pages of a scaled demo
//     (make one with: lifestory demo --db DEMO.sqlite --scale 10000 --social-workers 50)
// Builds a fresh database in a temporary folder (WAL, synchronous = FULL, as the server runs it), imports the
// plans one transaction each, then times the caseload, loading one plan with everything, and one stage update.
import Foundation
import LifeStoryCore
import LifeStoryStorage

func argument(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return value }
    return n
}

if let i = CommandLine.arguments.firstIndex(of: "--caseload"), i + 1 < CommandLine.arguments.count {
    try caseloadBenchmark(database: CommandLine.arguments[i + 1], samples: argument("--samples", default: 1_000))
    exit(0)
}

if CommandLine.arguments.contains("--guides") {
    try guideBenchmark(batch: argument("--batch", default: 500))
    exit(0)
}

let planCount = argument("--plans", default: 10_000)
let samples = argument("--samples", default: 1_000)

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

struct Summary {
    var name: String
    var times: [Double]  // milliseconds
    func row() -> String {
        let s = times.sorted()
        func q(_ p: Double) -> Double { s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)] }
        return "| \(name) | \(s.count) | \(String(format: "%.3f", q(0.5))) | \(String(format: "%.3f", q(0.99))) | \(String(format: "%.3f", s.last ?? 0)) |"
    }
}

func time(_ body: () throws -> Void) rethrows -> Double {
    let t0 = now()
    try body()
    return Double(now() - t0) / 1_000_000
}

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let db = try AppDatabase.open(path: dir.appendingPathComponent("bench.sqlite").path)
let store = PlanStore(db)
let actor = Actor(id: "bench", role: "social_worker")
let templates = try Demo.plans()

var importTimes: [Double] = []
importTimes.reserveCapacity(planCount)
let importStart = now()
for i in 0..<planCount {
    var plan = templates[i % templates.count]
    plan.id = "plan-\(i)"
    plan.child.id = "child-\(i)"
    plan.child.pseudonym = "Child \(i)"
    plan.child.dateOfBirth = plan.child.dateOfBirth.adding(days: i % 300)
    importTimes.append(try time { try store.importPlan(plan, actor: actor) })
}
let importTotal = Double(now() - importStart) / 1_000_000_000

var caseloadTimes: [Double] = []
var rows = 0
for _ in 0..<20 {
    caseloadTimes.append(try time { rows = try store.caseload(asOf: CalendarDate(year: 2026, month: 11, day: 21)!).count })
}

var loadTimes: [Double] = []
var rng = SystemRandomNumberGenerator()
for _ in 0..<samples {
    let id = "plan-\(Int.random(in: 0..<planCount, using: &rng))"
    loadTimes.append(try time { _ = try store.load(id, actor: actor, purpose: "benchmark") })
}

var updateTimes: [Double] = []
for n in 0..<samples {
    let i = (n * 4) % planCount  // plans built from the English template have stage item i-d-1
    let id = "plan-\(i)"
    let revision = try store.load(id, actor: actor, purpose: "benchmark").revision
    updateTimes.append(try time {
        try store.updateStageItem(planID: id, itemID: "i-d-1", basedOn: revision, status: n % 2 == 0 ? .done : .planned,
                                  doneOn: n % 2 == 0 ? CalendarDate(year: 2026, month: 11, day: 20) : nil,
                                  notes: "Benchmark note \(n)", skippedReason: nil, actor: actor)
    })
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("bench.sqlite").path)[.size] as? Int) ?? 0

print("plans: \(planCount); caseload rows: \(rows); database file: \(size / 1_048_576) MiB (before checkpoint); peak RSS: \(usage.ru_maxrss / 1024) MiB")
print(String(format: "import: %.1f s in all, %.0f plans a second", importTotal, Double(planCount) / importTotal))
print("")
print("| operation | samples | median ms | p99 ms | max ms |")
print("|---|---|---|---|---|")
print(Summary(name: "import one plan (own transaction)", times: importTimes).row())
print(Summary(name: "caseload of \(planCount) children", times: caseloadTimes).row())
print(Summary(name: "load one plan with everything (audited read)", times: loadTimes).row())
print(Summary(name: "write one stage update (audited)", times: updateTimes).row())
