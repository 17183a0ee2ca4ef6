import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage

/// Supervision about social media for a child's case: the library's prompts, and notes of what was agreed (date,
/// who, what). Only the child's social worker and their team manager see them; families never reach any staff page.
extension PlanController {
    struct SupervisionView {
        var heldOn: String
        var attendees: String
        var agreed: String
        var by: String
    }

    struct SupervisionPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var prompts: [String]
        var notes: [SupervisionView]
        var hasNotes: Bool
        var summary: ErrorSummary?
        var day = "", month = "", year = ""
        var attendees = ""
        var agreed = ""
        var dateError: String?
        var attendeesError: String?
        var agreedError: String?
        var notice: String?
    }

    struct SupervisionInput: Decodable {
        var heldOn: DateParts?
        var attendees: String?
        var agreed: String?
    }

    /// The child's social worker or the team manager of their team; anyone else gets "not found", as for any plan.
    func requireSupervisor(_ id: String, context: AppRequestContext) throws -> String {
        let childId = try access.require(.staffRead, planID: id, context: context)
        guard context.role == .socialWorker || context.role == .teamManager else { throw PageError.notFound() }
        return childId
    }

    func supervisionPage(_ id: String, childId: String, context: AppRequestContext) throws -> SupervisionPage {
        let stored = try services.plans.load(id, actor: context.actor, purpose: "open supervision about social media")
        let prompts = services.library.items(of: .practice).first { $0.id == StaffController.supervisionID }?
            .sections.first { $0.title == "Prompts" }?.markdown(for: nil)
            .split(separator: "\n").filter { $0.hasPrefix("- ") || $0.hasPrefix("* ") || $0.first?.isNumber == true }
            .map { line in String(line.drop { $0 != " " }.dropFirst()) } ?? []
        let notes = try services.staff.supervisionNotes(childId: childId, reader: context.actor, now: services.now()).map {
            SupervisionView(heldOn: CalendarDate(iso: $0.heldOn)?.long ?? "", attendees: $0.attendees, agreed: $0.agreed, by: $0.authorName ?? "")
        }
        return SupervisionPage(pageTitle: "Supervision about social media: \(stored.plan.child.knownAs)", planID: id, knownAs: stored.plan.child.knownAs,
                               prompts: prompts, notes: notes, hasNotes: !notes.isEmpty)
    }

    @Sendable func supervision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let childId = try requireSupervisor(id, context: context)
        return services.page("supervision", try supervisionPage(id, childId: childId, context: context), context: context)
    }

    @Sendable func addSupervision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        let childId = try requireSupervisor(id, context: context)
        let input = try TypedForm.decode(SupervisionInput.self, from: context.form)
        var page = try supervisionPage(id, childId: childId, context: context)
        page.day = input.heldOn?.day ?? ""
        page.month = input.heldOn?.month ?? ""
        page.year = input.heldOn?.year ?? ""
        page.attendees = (input.attendees ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        page.agreed = (input.agreed ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var date: CalendarDate?
        switch (input.heldOn ?? DateParts()).parse("The date of the supervision") {
        case .success(let d):
            if d == nil { page.dateError = "Enter the date of the supervision" } else if let d, d > today() { page.dateError = "The date of the supervision must be today or in the past" }
            date = d
        case .failure(let problem): page.dateError = problem.message
        }
        if page.attendees.isEmpty { page.attendeesError = "Enter who was there" } else if page.attendees.count > 300 { page.attendeesError = "Who was there must be 300 characters or fewer" }
        if page.agreed.isEmpty { page.agreedError = "Enter what was agreed" } else if page.agreed.count > 5000 { page.agreedError = "What was agreed must be 5,000 characters or fewer" }
        let errors = [("heldOn", page.dateError), ("attendees", page.attendeesError), ("agreed", page.agreedError)]
            .compactMap { f, m in m.map { FieldError(field: f, message: $0) } }
        guard errors.isEmpty, let date else {
            page.summary = ErrorSummary(errors)
            return services.page("supervision", page, context: context, status: .unprocessableContent)
        }
        let noteId = "supervision-" + Token.make().prefix(12).lowercased().filter { $0.isLetter || $0.isNumber }
        try services.staff.addSupervisionNote(.init(id: noteId, childId: childId, heldOn: date.iso, attendees: page.attendees, agreed: page.agreed,
                                                    createdBy: context.actor.id, createdAt: services.timestamp()), by: context.actor)
        var done = try supervisionPage(id, childId: childId, context: context)
        done.notice = "The supervision note is saved on \(done.knownAs)'s record. The family cannot see it."
        return services.page("supervision", done, context: context)
    }
}
