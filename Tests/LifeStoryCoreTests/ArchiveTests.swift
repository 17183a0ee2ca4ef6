import Foundation
import LifeStoryCore
import LifeStoryTestSupport
import Testing

@Suite("Plan archive")
struct ArchiveTests {
    func problem(_ file: String) throws -> ArchiveProblem {
        let data = try Data(contentsOf: Fixtures.invalid.appendingPathComponent(file))
        do {
            _ = try PlanArchive.decode(data)
            Issue.record("\(file) decoded but should not have")
            return ArchiveProblem(path: "", problem: "")
        } catch {
            guard case .archive(let p) = error else { throw error }
            return p
        }
    }

    @Test func everyFixtureDecodes() throws {
        for name in Fixtures.names {
            let plan = try Fixtures.plan(name)
            #expect(!plan.id.isEmpty, "\(name)")
        }
    }

    @Test func anEmptyFileSaysItIsEmpty() throws {
        #expect(try problem("empty.json") == ArchiveProblem(path: "", problem: "the file is empty"))
    }

    @Test func textThatIsNotJSONSaysSo() throws {
        #expect(try problem("not-json.json").problem.hasPrefix("is not valid JSON"))
    }

    @Test func aWrongTypeNamesTheFieldAndTheTypeExpected() throws {
        let p = try problem("wrong-type.json")
        #expect(p.path == "plan.child.dateOfBirth")
        #expect(p.problem == "has the wrong type: expected text")
    }

    @Test func anUnknownEnumValueListsTheAllowedOnes() throws {
        let p = try problem("unknown-enum.json")
        #expect(p.path == "plan.orders[2].type")
        #expect(p.problem.hasPrefix("unknown value 'ACA02_S99_MADE_UP'; expected one of: CA89_S34_CONTACT,"))
        #expect(p.problem.contains("ACA02_S51A_PROHIBITION"))
    }

    @Test func thirtyFirstFebruaryIsRejectedWithItsField() throws {
        let p = try problem("february-31.json")
        #expect(p.path == "plan.child.dateOfBirth")
        #expect(p.problem == "'2016-02-31' does not exist: February 2016 has 29 days")
    }

    @Test func aMissingKeyIsNamed() throws {
        let p = try problem("missing-key.json")
        #expect(p.path == "plan.arrangements[0].mode")
        #expect(p.problem == "is missing (required)")
    }

    @Test func anUnknownFieldIsRefusedNotDropped() throws {
        let p = try problem("unknown-field.json")
        #expect(p.path == "plan.arrangements[0].frequencyy")
        #expect(p.problem.hasPrefix("is not a field of the plan archive"))
    }

    @Test func anotherFormatOrANewerVersionIsRefused() throws {
        #expect(try problem("other-format.json").path == "format")
        let newer = try problem("newer-version.json")
        #expect(newer.path == "formatVersion")
        #expect(newer.problem.contains("reads versions 1 to 1"))
    }

    @Test func theCanonicalLayoutIsAsDocumented() throws {
        // docs/plan-archive.md "Canonical encoding" describes these bytes.
        let text = String(decoding: try PlanArchive.decode(Fixtures.data("clean-eng")).encoded(), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"format\" : \"lifestory.plan\",\n  \"formatVersion\" : 1,\n  \"plan\" : {"))
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"dateOfBirth\" : \"2016-03-10\""))
        #expect(!text.contains("\\/"))
        #expect(text.range(of: "\"inForce\"")!.lowerBound < text.range(of: "\"indirectContactAllowed\"")!.lowerBound)
    }

    @Test func encodingIsCanonicalAndRoundTrips() throws {
        for name in Fixtures.names {
            let archive = try PlanArchive.decode(Fixtures.data(name))
            let once = try archive.encoded()
            let again = try PlanArchive.decode(once)
            #expect(again == archive, "\(name)")
            #expect(try again.encoded() == once, "\(name): the same plan must give the same bytes")
        }
    }
}
