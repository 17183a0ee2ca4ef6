import Foundation
import LifeStoryCore
import LifeStoryTestSupport
import Testing

@Suite("Redaction model")
struct RedactionTests {
    @Test func clearancesFollowTheTable() {
        #expect(Clearance.access(.birthRelative, .l3) == Access.none)
        #expect(Clearance.access(.birthRelative, .l1) == Access.none)
        #expect(Clearance.access(.birthRelative, .l2) == .ownRelationship)
        #expect(Clearance.access(.fosterCarer, .l3) == .whitelisted)
        #expect(Clearance.access(.fosterCarer, .l5) == Access.none)
        #expect(Clearance.access(.adopter, .l4) == .summary)
        #expect(Clearance.access(.adopter, .l5) == .ordersOnly)
        #expect(Clearance.access(.panel, .l5) == .summary)
        #expect(Clearance.access(.socialWorker, .l5) == .full)
        #expect(Clearance.access(.child, .l3) == .ownName)
        #expect(Clearance.fullUpTo(.birthRelative) == .l0)
    }

    @Test func theProtectedTokensAreThoseOfSection4_3() throws {
        let plan = try Fixtures.plan("clean-eng")
        let tokens = ProtectedTokens.of(plan)
        let values = Set(tokens.map(\.value))
        for expected in ["Fictional", "12 Sample Road", "Exampleford", "ZZ1 1ZZ", "01632 960123", "alex@example.invalid",
                         "@alexfictional", "Example Widgets Ltd", "EX12 MPL", "AS-0001", "Hilltop Example Primary",
                         "Exampleford Juniors Football", "Placeholder", "01632 960321", "Otherton Example"] {
            #expect(values.contains(expected), "\(expected) should be protected")
        }
        // Sam kept their first name, which the birth family knows: it is not a secret, so it is not a token.
        #expect(!values.contains("Sam"))
        // Birth relatives' own names are not tokens.
        #expect(!values.contains("Kelly") && !values.contains("Example"))
        // The surname is protected as the child's new surname (it is the adopters' too); each token is listed once.
        #expect(tokens.first { $0.value == "Fictional" }?.field == "child.currentName.family")
        #expect(tokens.filter { $0.value == "Fictional" }.count == 1)
    }

    @Test func aNewFirstNameIsProtected() throws {
        var plan = try Fixtures.plan("clean-eng")
        plan.child.currentName = PersonName(given: "Robin", family: "Fictional")
        plan.child.knownAs = "Robin"
        #expect(ProtectedTokens.of(plan).contains { $0.value == "Robin" && $0.field == "child.currentName.given" })
    }

    @Test func theScanFindsTokensHoweverTheyAreWritten() throws {
        let tokens = ProtectedTokens.of(try Fixtures.plan("clean-eng"))
        func found(_ text: String) -> Set<String> { Set(ProtectedTokens.scan(text, for: tokens).map(\.value)) }
        #expect(found("The FICTIONAL family").contains("Fictional"))
        #expect(found("Call 01632960123 any time").contains("01632 960123"))
        #expect(found("Call (01632) 960-123").contains("01632 960123"))
        #expect(found("meet at hilltop   example primary").contains("Hilltop Example Primary"))
        // Fail closed: an accented spelling still counts as the token.
        #expect(found("Exampleförd").contains("Exampleford"))
        #expect(found("Éxampleford high street").contains("Exampleford"))
        // Whole words only: a longer word that merely contains a token is not a leak.
        #expect(!found("The story is fictionally told").contains("Fictional"))
        #expect(found("Nothing identifying here, Kelly.").isEmpty)
    }

    @Test func fosterCarersMayKnowOnlyWhatThePlanWhitelists() throws {
        var plan = try Fixtures.plan("clean-eng")
        #expect(ProtectedTokens.forFosterCarer(plan).contains { $0.value == "Hilltop Example Primary" })
        plan.redaction.fosterCarerMayKnow = ["child.settings[0]"]
        let left = ProtectedTokens.forFosterCarer(plan)
        #expect(!left.contains { $0.value == "Hilltop Example Primary" })
        #expect(left.contains { $0.value == "Fictional" })
    }

    @Test func everyFieldOfTheArchiveHasASensitivityLevel() throws {
        let plan = try Fixtures.plan("clean-eng")
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(plan))
        var leaves: [String] = []
        func walk(_ value: Any, _ path: String) {
            if let d = value as? [String: Any] {
                for (k, v) in d { walk(v, path.isEmpty ? k : "\(path).\(k)") }
            } else if let a = value as? [Any] {
                if a.isEmpty { leaves.append(path + "[]") }
                for (i, v) in a.enumerated() { walk(v, "\(path)[\(i)]") }
            } else {
                leaves.append(path)
            }
        }
        walk(json, "")
        #expect(leaves.count > 150)
        for path in leaves where !path.hasSuffix("[]") || FieldSensitivity.catalogue[FieldSensitivity.pattern(of: path)] == nil {
            if path.hasSuffix("[]") { continue }  // an empty list has no leaf to classify
            #expect(FieldSensitivity.level(of: path, in: plan) != nil, "\(path) has no sensitivity level")
        }
        #expect(FieldSensitivity.level(of: "people[3].name.family", in: plan) == .l3)  // the adopters' surname
        #expect(FieldSensitivity.level(of: "people[0].name.family", in: plan) == .l2)  // the birth mother's
        #expect(FieldSensitivity.level(of: "people[0].contact.phone", in: plan) == .l4)
        #expect(FieldSensitivity.level(of: "orders[2].documentRef", in: plan) == .l5)
    }
}
