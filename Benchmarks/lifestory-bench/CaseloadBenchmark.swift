import Foundation
import LifeStoryCore
import LifeStoryStorage

/// The store's side of the caseload page, on a copy of a scaled demo database: each page as the web app asks for
/// it (the count and the page's rows with their counts, in one read), for a social worker, the team manager and the
/// admin, first and last pages.
func caseloadBenchmark(database path: String, samples: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let copy = dir.appendingPathComponent("caseload.sqlite")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: copy)
    let store = PlanStore(try AppDatabase.open(path: copy.path))
    let asOf = CalendarDate(year: 2026, month: 11, day: 21)!
    let since = "2026-10-22T00:00:00.000Z", incidents = asOf.adding(days: -90)
    let scopes: [(String, StaffScope)] = [
        ("social worker", .assigned(userId: "u-sw", agencyId: Demo.agencyID)),
        ("team manager", .team(teamId: "team-demo", agencyId: Demo.agencyID)),
        ("admin", .agency(Demo.agencyID)),
    ]
    print("| page | children | samples | median ms | p99 ms |")
    print("|---|---|---|---|---|")
    for (name, scope) in scopes {
        let total = try store.caseload(scope, asOf: asOf, journalSince: since, incidentsSince: incidents, limit: 1, offset: 0).total
        let last = max(1, (total + 49) / 50)
        for page in Set([1, last]).sorted() {
            var times: [Double] = []
            for _ in 0..<max(10, samples / (scope == scopes[0].1 ? 1 : 4)) {
                times.append(try time {
                    _ = try store.caseload(scope, asOf: asOf, journalSince: since, incidentsSince: incidents, limit: 50, offset: (page - 1) * 50)
                })
            }
            let s = times.sorted()
            func q(_ p: Double) -> Double { s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)] }
            print("| \(name), page \(page) of \(last) | \(total) | \(s.count) | \(String(format: "%.3f", q(0.5))) | \(String(format: "%.3f", q(0.99))) |")
        }
    }
    var times: [Double] = []
    for i in 0..<samples {
        times.append(try time { _ = try store.contains(scopes[1].1, childId: "child-scale-\(String(format: "%05d", 4 + i % 9_996))") })
    }
    let s = times.sorted()
    print("| may the team manager open this child? (one child) | - | \(s.count) | \(String(format: "%.3f", s[s.count / 2])) | \(String(format: "%.3f", s[min(s.count - 1, Int(Double(s.count) * 0.99))])) |")
}
