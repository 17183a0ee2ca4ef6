import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryStorage
import LifeStoryTestSupport
import LifeStoryWeb
import NIOCore
import Testing

/// No request can stop the server. Swift traps cannot be caught, so one bad number reaching a range or an addition
/// ends the process for every user: these tests send every route, as every role, the values that do that, and check
/// the server still answers after each, with a page rather than a crash or a 500.
@Suite("Web: no request stops the server")
struct FuzzTests {
    /// Values that break naive code: negative, zero, the ends of Int, too many digits, not a number, empty, long,
    /// control characters, odd Unicode.
    static let extremes = ["-1", "0", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "abc", "",
                           "1e9", "0x10", "  7 ", "١٢", String(repeating: "9", count: 5_000), "%00", "\u{0}", "-0", "2147483648",
                           "../../etc/passwd", "<script>", "\u{202E}x", "9999-99-99"]

    /// Every route the app registers, read from its sources, so a new route is fuzzed without anyone listing it.
    static func routes() throws -> [(method: String, path: String)] {
        let web = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/LifeStoryWeb")
        let pattern = try NSRegularExpression(pattern: #"router\.(get|post)\("([^"]+)""#)
        var out: [(String, String)] = []
        for case let url as URL in FileManager.default.enumerator(at: web, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                out.append((String(text[Range(m.range(at: 1), in: text)!]), String(text[Range(m.range(at: 2), in: text)!])))
            }
        }
        return out.sorted { $0.1 < $1.1 }
    }

    /// A path with its parameters filled: real ids where the app has them, else the value given.
    static func fill(_ path: String, with value: String?, plan: String) -> String {
        var out = path
        let real = ["{id}": plan, "{section}": "people", "{index}": "0", "{card}": "1", "{token}": "not-a-token",
                    "{meeting}": "m-none", "{action}": "a-none"]
        for (name, real) in real {
            out = out.replacingOccurrences(of: name, with: value.map(Self.percent) ?? real)
        }
        return out
    }

    static func percent(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func expectAlive(_ s: Session, _ what: String) async throws {
        let health = try await s.get("/health")
        #expect(health.status == .ok, "the server stopped answering after \(what)")
    }

    @Test("Every route, as every role and signed out, with extreme values in every path and query parameter")
    func everyRouteEveryRole() async throws {
        let h = try await Harness.make()
        let routes = try Self.routes()
        #expect(routes.count >= 45, "the route list was read from the sources")
        try await h.run { client in
            var sessions: [Session] = [Session(client)]
            for role in UserRole.allCases {
                let s = Session(client)
                try await s.signIn(role)
                sessions.append(s)
            }
            var sent = 0
            for s in sessions {
                for (method, path) in routes where method == "get" && !path.hasSuffix(".pdf") {
                    let hasParameter = path.contains("{")
                    for value in hasParameter ? Self.extremes : [Self.extremes[0]] {
                        let uri = Self.fill(path, with: hasParameter ? value : nil, plan: "plan-eng-sam")
                        for query in ["page", "from", "to", "saved", "scenario"] {
                            let page = try await s.get(uri + "?\(query)=\(Self.percent(value))&\(query)=1")
                            sent += 1
                            #expect(page.status.code < 500, "GET \(uri)?\(query)=\(value.prefix(20)): \(page.status.code)")
                        }
                        let page = try await s.get(uri + "?page=\(Self.percent(value))&from=\(Self.percent(value))&to=\(Self.percent(value))")
                        sent += 1
                        #expect(page.status.code < 500, "GET \(uri) with every query at \(value.prefix(20)): \(page.status.code)")
                    }
                    try await Self.expectAlive(s, "GET \(path)")
                }
                // Every POST route, with its path parameters at every extreme and a body of extreme numbers.
                for (method, path) in routes where method == "post" && path != "/logout" {
                    for value in path.contains("{") ? Self.extremes : [Self.extremes[2]] {
                        let uri = Self.fill(path, with: path.contains("{") ? value : nil, plan: "plan-eng-sam")
                        let page = try await s.post(uri, [("_revision", value), ("page", value), ("count", value), ("people.count", value)])
                        sent += 1
                        #expect(page.status.code < 500, "POST \(uri): \(page.status.code)")
                    }
                    try await Self.expectAlive(s, "POST \(path)")
                }
            }
            #expect(sent > 2_000)
        }
    }

    /// One form on a page: where it posts and its fields with the values the page shows.
    struct Form {
        var action: String
        var fields: [(String, String)]
    }

    static func forms(in html: String) -> [Form] {
        let formPattern = try! NSRegularExpression(pattern: #"<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>(.*?)</form>|<form[^>]*action="([^"]*)"[^>]*method="post"[^>]*>(.*?)</form>"#,
                                                   options: [.dotMatchesLineSeparators, .caseInsensitive])
        let fieldPattern = try! NSRegularExpression(pattern: #"<(input|select|textarea)\b([^>]*)>"#, options: [.caseInsensitive])
        let name = try! NSRegularExpression(pattern: #"\bname="([^"]*)""#)
        let value = try! NSRegularExpression(pattern: #"\bvalue="([^"]*)""#)
        func first(_ re: NSRegularExpression, _ s: String) -> String? {
            guard let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), let r = Range(m.range(at: 1), in: s) else { return nil }
            return String(s[r])
        }
        var out: [Form] = []
        for m in formPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let actionRange = Range(m.range(at: 1), in: html) ?? Range(m.range(at: 3), in: html)
            let bodyRange = Range(m.range(at: 2), in: html) ?? Range(m.range(at: 4), in: html)
            guard let actionRange, let bodyRange else { continue }
            let body = String(html[bodyRange])
            var fields: [(String, String)] = []
            for f in fieldPattern.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                let attrs = String(body[Range(f.range(at: 2), in: body)!])
                guard let n = first(name, attrs), n != "_csrf" else { continue }
                if attrs.contains("type=\"checkbox\"") || attrs.contains("type=\"radio\""), !attrs.contains("checked") { continue }
                fields.append((n, (first(value, attrs) ?? "x").replacingOccurrences(of: "&amp;", with: "&")))
            }
            out.append(Form(action: String(html[actionRange]).replacingOccurrences(of: "&amp;", with: "&"), fields: fields))
        }
        return out
    }

    /// Walks the site from a role's home page, collecting each page's forms.
    static func crawl(_ s: Session, from start: String, limit: Int = 80) async throws -> [Form] {
        let link = try NSRegularExpression(pattern: ##"href="(/[^"#]*)""##)
        var queue = [start], seen = Set<String>(), forms: [Form] = []
        while let uri = queue.first, seen.count < limit {
            queue.removeFirst()
            guard seen.insert(uri).inserted else { continue }
            let page = try await s.get(uri)
            forms += Self.forms(in: page.body)
            for m in link.matches(in: page.body, range: NSRange(page.body.startIndex..., in: page.body)) {
                let href = String(page.body[Range(m.range(at: 1), in: page.body)!]).replacingOccurrences(of: "&amp;", with: "&")
                if href.hasSuffix(".pdf") || href.hasPrefix("/static/") || href.hasSuffix(".ics") || seen.contains(href) { continue }
                queue.append(href)
            }
        }
        return forms
    }

    @Test("Every form each role can reach, every field set to each extreme value in turn, repeated keys too")
    func everyFormEveryField() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            var posted = 0
            for role in [UserRole.socialWorker, .teamManager, .admin, .panelChair, .decisionMaker, .adopter, .fosterCarer] {
                let s = Session(client)
                try await s.signIn(role)
                let home = [UserRole.socialWorker: "/caseload", .teamManager: "/meetings", .admin: "/caseload", .panelChair: "/panel",
                            .decisionMaker: "/panel", .adopter: "/family", .fosterCarer: "/family"][role]!
                var forms = try await Self.crawl(s, from: home)
                forms.removeAll { $0.action == "/logout" }
                var seenActions = Set<String>()
                forms = forms.filter { seenActions.insert($0.action + "|" + $0.fields.map(\.0).joined(separator: ",")).inserted }
                for form in forms {
                    for (i, field) in form.fields.enumerated() {
                        let numeric = field.0.hasSuffix("count") || field.0 == "_revision" || Int(field.1) != nil
                        let values = numeric ? Self.extremes : [Self.extremes[i % Self.extremes.count], Self.extremes[(i + 7) % Self.extremes.count]]
                        for value in values {
                            // Reload the form's page token each time: a save may have moved the revision on.
                            var fields = form.fields
                            fields[i].1 = value
                            let page = try await s.post(form.action, fields)
                            posted += 1
                            #expect(page.status.code < 500, "\(role) POST \(form.action) \(field.0)=\(value.prefix(20)): \(page.status.code)")
                        }
                    }
                    // Repeated keys: every field twice, the second time at an extreme.
                    let page = try await s.post(form.action, form.fields + form.fields.map { ($0.0, "-1") })
                    posted += 1
                    #expect(page.status.code < 500, "\(role) POST \(form.action) with repeated keys: \(page.status.code)")
                    try await Self.expectAlive(s, "\(role) POST \(form.action)")
                }
            }
            #expect(posted > 500)
        }
    }

    @Test("The review's examples: a huge page number and a negative list count are refused, not fatal")
    func theReviewsExamples() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.socialWorker)
            let huge = try await s.get("/caseload?page=9223372036854775807")
            #expect(huge.status == .badRequest)
            #expect(huge.body.contains("page number"))
            try await Self.expectAlive(s, "the huge page number")
            let form = try await s.get("/plans/plan-eng-sam/s/child")
            let revision = Session.hidden("_revision", in: form.body) ?? "1"
            for count in ["-1", "-9223372036854775808", "9223372036854775807"] {
                let page = try await s.post("/plans/plan-eng-sam/s/child/edit", [("_revision", revision), ("settings.count", count)])
                #expect(page.status.code < 500, "settings.count=\(count): \(page.status.code)")
                let view = try await s.get("/plans/plan-eng-sam/s/child")
                #expect(view.status == .ok)
            }
            try await Self.expectAlive(s, "a negative count")
        }
    }

    @Test("HEAD answers wherever GET does")
    func head() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let health = try await client.execute(uri: "/health", method: .head, headers: [:], body: nil) { $0 }
            #expect(health.status == .ok)
            let login = try await client.execute(uri: "/login", method: .head, headers: [:], body: nil) { $0 }
            #expect(login.status == .ok)
        }
    }

    @Test("Control characters and over-long text are refused, naming the field, and nothing is saved")
    func textLimits() async throws {
        let h = try await Harness.make()
        try await h.run { client in
            let s = Session(client)
            try await s.signIn(.adopter)
            try await s.get("/family/journal")
            let before = try h.services.journal.entries(planID: "plan-eng-sam").count
            let nul = try await s.post("/family/journal", [("kind", "question"), ("happenedOn", "2026-11-20"), ("text", "Sam asked\u{0} about his sister")])
            #expect(nul.status == .badRequest)
            #expect(nul.body.contains("“Text”") && nul.body.contains("control character"))
            let long = try await s.post("/family/journal", [("kind", "note"), ("happenedOn", "2026-11-20"), ("text", String(repeating: "a", count: 20_000))])
            #expect(long.status == .badRequest)
            #expect(long.body.contains("“Text” is too long"))
            let sw = Session(client)
            try await sw.signIn(.socialWorker)
            let form = try await sw.get("/plans/plan-eng-sam/s/child")
            let revision = Session.hidden("_revision", in: form.body) ?? "1"
            let escape = try await sw.post("/plans/plan-eng-sam/s/child/edit", [("_revision", revision), ("knownAs", "Sam\u{1B}[31m")])
            #expect(escape.status == .badRequest)
            #expect(escape.body.contains("“Known as”"))
            #expect(try h.services.journal.entries(planID: "plan-eng-sam").count == before)
        }
    }
}
