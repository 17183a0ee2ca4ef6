import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import LifeStoryWeb
import Testing

/// No page shows a person an internal id or a code: people by name and role, orders by title, dates in words.
@Suite("Web: words, not codes")
struct WordsNotCodesTests {
    /// The text a person sees: the page without its tags (option labels included), entities decoded.
    static func visibleText(_ html: String) -> String {
        var text = html
        for pattern in [#"<head>.*?</head>"#, #"<[^>]+>"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression])
        }
        for (e, c) in [("&amp;", "&"), ("&#39;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&#x27;", "'")] {
            text = text.replacingOccurrences(of: e, with: c)
        }
        return text
    }

    /// What an id or a code looks like.
    static let codes: [(String, String)] = [
        (#"\b(p|u|pl|o|a|k|r|rv|cond|j|m)-[a-z0-9]{2,}\b"#, "an internal id"),
        (#"\bplan-[a-z0-9-]+"#, "a plan id"),
        (#"\bchild-[a-z0-9]+"#, "a child id"),
        (#"\brevision \d+"#, "a revision number"),
        (#"\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b"#, "an enum code"),
        (#"\b[a-z]+(_[a-z]+)+\b"#, "a snake_case code"),
        (#"\b(ENG|WLS|SCO)\b"#, "a jurisdiction code"),
        (#"\b(Aca02|Ca89|Fla96|Ni22|Iro|Ceop|dsl|Sgo)\b"#, "a humanised code"),
        (#"\b\d{4}-\d{2}-\d{2}\b"#, "an ISO date"),
    ]

    static func offences(_ text: String) -> [String] {
        codes.compactMap { pattern, what in
            guard let r = text.range(of: pattern, options: .regularExpression) else { return nil }
            let start = text.index(r.lowerBound, offsetBy: -30, limitedBy: text.startIndex) ?? text.startIndex
            let end = text.index(r.upperBound, offsetBy: 30, limitedBy: text.endIndex) ?? text.endIndex
            return "\(what) '\(text[r])' in “…\(text[start..<end].replacingOccurrences(of: "\n", with: " "))…”"
        }
    }

    @Test("Every page each role reaches shows no internal id, code or ISO date")
    func everyPage() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            var found: [String: [String]] = [:]
            for role in UserRole.allCases {
                let s = Session(client)
                let home = try await s.signIn(role).headers[.location] ?? "/"
                var queue = [home], seen = Set<String>()
                while let uri = queue.first, seen.count < 120 {
                    queue.removeFirst()
                    guard seen.insert(uri).inserted else { continue }
                    let page = try await s.get(uri)
                    guard page.status == .ok, page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                    for offence in Self.offences(Self.visibleText(page.body)) { found["\(role) \(uri.split(separator: "?")[0])", default: []].append(offence) }
                    let link = try NSRegularExpression(pattern: ##"href="(/[^"#]*)""##)
                    for m in link.matches(in: page.body, range: NSRange(page.body.startIndex..., in: page.body)) {
                        let href = String(page.body[Range(m.range(at: 1), in: page.body)!]).replacingOccurrences(of: "&amp;", with: "&")
                        if href.hasSuffix(".pdf") || href.hasSuffix(".ics") || href.hasPrefix("/static/") || seen.contains(href) || href.contains("format=") { continue }
                        queue.append(href)
                    }
                }
            }
            for (page, offences) in found.sorted(by: { $0.key < $1.key }) {
                Issue.record("\(page): \(Set(offences).sorted().prefix(4).joined(separator: "; "))")
            }
        }
    }
}

/// The task list says "Completed" only when the social worker has said so.
@Suite("Web: the task list")
struct TaskListTests {
    static func status(of title: String, in body: String) -> String? {
        guard let r = body.range(of: ">\(title)</a>") else { return nil }
        let rest = body[r.upperBound...]
        guard let tag = rest.range(of: #"<strong class="tag[^"]*">([^<]*)</strong>"#, options: .regularExpression) else { return nil }
        return String(rest[tag]).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
    }

    @Test("An untouched section is never Completed; a section is Completed once marked, and In progress once unmarked")
    func statuses() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let record = try await s.get("/plans/plan-eng-sam")
            for title in ["Child", "People", "Reviews", "Views"] {
                let status = Self.status(of: title, in: record.body)
                #expect(status != nil && status != "Completed", "\(title) is \(status ?? "missing") before anyone marked it")
            }
            try await s.get("/plans/plan-eng-sam/s/people")
            #expect(try await s.post("/plans/plan-eng-sam/progress/people", [("completed", "yes")]).status == .seeOther)
            #expect(Self.status(of: "People", in: try await s.get("/plans/plan-eng-sam").body) == "Completed")
            #expect(try await s.post("/plans/plan-eng-sam/progress/people", [("completed", "no")]).status == .seeOther)
            #expect(Self.status(of: "People", in: try await s.get("/plans/plan-eng-sam").body) == "In progress")
            #expect(try await s.post("/plans/plan-eng-sam/progress/people", [("completed", "maybe")]).status == .badRequest)
            #expect(try await s.post("/plans/plan-eng-sam/progress/nonsense", [("completed", "yes")]).status == .notFound)
            let tm = Session(client)
            try await tm.signIn(.teamManager)
            try await tm.get("/plans/plan-eng-sam")
            #expect(try await tm.post("/plans/plan-eng-sam/progress/people", [("completed", "yes")]).status == .notFound, "only the child's social worker marks")
        }
    }
}
