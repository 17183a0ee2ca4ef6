import Foundation
import HTTPTypes
import Hummingbird
import LifeStoryContent
import LifeStoryCore
import LifeStoryStorage

// "Start a plan": after the child (/children/new), the steps ask in order what a social worker knows on day one:
// who the child lives with, the birth family and what the child calls each, the orders, the contact arrangements,
// and who the family calls. Each step is one page with a row for each person, order or arrangement, read as a
// typed form. Rows already in the plan are shown with their id and change only in the fields shown. The agency's
// pattern fills in the rest (stages, reviews, a card for each core scenario, the agency's duty lines).

extension PlanController {
    enum StartStep: String, CaseIterable, Sendable {
        case home, family, orders, contact, responders

        var title: String {
            switch self {
            case .home: "Who the child lives with"
            case .family: "The child's birth family"
            case .orders: "Court orders"
            case .contact: "Keeping in touch"
            case .responders: "Who the family calls"
            }
        }

        var intro: String {
            switch self {
            case .home: "The adults the child lives with now, and what the child calls them. Leave a row empty if you do not need it."
            case .family: "Everyone in the birth family the plan needs to name: parents, brothers and sisters, and other relatives. Use the child's own words for what they call each person."
            case .orders: "The orders the court has made that affect contact. You can add more later."
            case .contact: "How the child keeps in touch with each person, and how often. Letterbox letters go through the agency's letterbox team, which the plan adds for you."
            case .responders: "Every \"what to do if\" card tells the family who to call. These are the agency's lines: change them only if this family should call someone else."
            }
        }

        /// Step 1 is the child (/children/new); these are 2 to 6.
        var number: Int { (Self.allCases.firstIndex(of: self) ?? 0) + 2 }
        var next: StartStep? {
            let all = Self.allCases
            guard let i = all.firstIndex(of: self), i + 1 < all.count else { return nil }
            return all[i + 1]
        }
    }

    struct StartRow {
        var legend: String
        var idName: String
        var idValue: String
        var hasID: Bool
        var fields: [FieldView]
        /// Where a sign-off stands, in words (sign-offs only).
        var status: String? = nil
        /// Signed in Lifestory by the signatory's own account: shown, never edited by anyone else.
        var locked = false
    }

    struct StartPage: PageModel {
        var pageTitle: String
        var section = "caseload"
        var csrf = ""
        var planID: String
        var knownAs: String
        var step: String
        var stepTitle: String
        var stepNumber: Int
        var stepCount = 6
        var intro: String
        var revision: Int
        var summary: ErrorSummary?
        var rows: [StartRow]
        var hasRows: Bool
        var fields: [FieldView]
        var action: String
        var skip: String
        var isLast: Bool
    }

    // MARK: the typed forms

    struct CarerRow: Decodable {
        var id: String?
        var role: String?
        var given: String?
        var family: String?
        var term: String?
        var serial: String?
    }

    struct HomeForm: Decodable {
        var rows: [String: CarerRow]?
        var carersTerm: String?
    }

    struct RelativeRow: Decodable {
        var id: String?
        var role: String?
        var given: String?
        var family: String?
        var term: String?
        var relationship: String?
        var dob: DateParts?
        var elsewhere: String?
        var social: String?
    }

    struct FamilyForm: Decodable { var rows: [String: RelativeRow]? }

    struct OrderRow: Decodable {
        var id: String?
        var type: String?
        var court: String?
        var made: DateParts?
        var named: [String]?
        var penal: String?
        var indirect: String?
    }

    struct OrdersForm: Decodable { var rows: [String: OrderRow]? }

    struct ContactRow: Decodable {
        var id: String?
        var with: String?
        var mode: String?
        var count: String?
        var per: String?
        var basis: String?
        var order: String?
        var start: DateParts?
        var platform: String?
    }

    struct ContactForm: Decodable { var rows: [String: ContactRow]? }

    struct RespondersForm: Decodable {
        var dayName: String?
        var dayPhone: String?
        var oohName: String?
        var oohPhone: String?
    }

    static let carerRoles: [PersonRole] = [.adopter, .fosterCarer, .kinshipCarer]
    static let birthRoles: [PersonRole] = [.birthMother, .birthFather, .birthParent, .sibling, .birthRelative]
    static let blankRows = (home: 2, family: 4, orders: 2, contact: 3)

    // MARK: pages

    @Sendable func startStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        guard let step = StartStep(rawValue: try context.parameters.require("step")) else { throw PageError.notFound() }
        try access.require(.edit, planID: id, context: context)
        let stored = try services.plans.load(id, actor: context.actor, purpose: "set up the plan: \(step.title.lowercased())")
        let plan = stored.plan
        let page: StartPage
        switch step {
        case .home:
            let carers = plan.people.filter { Self.carerRoles.contains($0.role) }
            let rows = carers.map { CarerRow(id: $0.id, role: $0.role.rawValue, given: $0.name.given, family: $0.name.family, term: $0.termUsedByChild, serial: $0.serialNumber) }
                + Array(repeating: CarerRow(), count: Self.blankRows.home)
            page = startPage(step, plan: plan, revision: stored.revision, rows: homeRows(rows.enumerated().map { ("r\($0.offset)", $0.element) }, errors: [:]),
                             fields: [Self.textField("carersTerm", "f-carersTerm", "What the child calls the adults they live with", plan.child.carersTerm,
                                                     hint: "In the child's own words, for example Mum and Dad.", error: nil)], errors: [])
        case .family:
            let rows = plan.people.filter { Self.birthRoles.contains($0.role) }.map {
                RelativeRow(id: $0.id, role: $0.role.rawValue, given: $0.name.given, family: $0.name.family, term: $0.termUsedByChild,
                            relationship: $0.relationship, dob: DateParts($0.dateOfBirth), elsewhere: $0.placedElsewhere ? "true" : nil,
                            social: ($0.contact?.socialHandles ?? []).joined(separator: "\n"))
            } + Array(repeating: RelativeRow(), count: Self.blankRows.family)
            page = startPage(step, plan: plan, revision: stored.revision, rows: familyRows(rows.enumerated().map { ("r\($0.offset)", $0.element) }, errors: [:]),
                             fields: [], errors: [])
        case .orders:
            let rows = plan.orders.map {
                OrderRow(id: $0.id, type: $0.type.rawValue, court: $0.court, made: DateParts($0.madeOn), named: $0.namedPersons,
                         penal: $0.penalNotice ? "true" : nil, indirect: $0.indirectContactAllowed ? "true" : nil)
            } + Array(repeating: OrderRow(), count: Self.blankRows.orders)
            page = startPage(step, plan: plan, revision: stored.revision, rows: orderRows(rows.enumerated().map { ("r\($0.offset)", $0.element) }, plan: plan, errors: [:]),
                             fields: [], errors: [])
        case .contact:
            let rows = plan.arrangements.map {
                ContactRow(id: $0.id, with: $0.counterpart, mode: $0.mode.rawValue, count: $0.frequency.count.map(String.init), per: $0.frequency.per?.rawValue,
                           basis: $0.basis.rawValue, order: $0.orderRef, start: DateParts($0.start), platform: $0.platform)
            } + Array(repeating: ContactRow(), count: Self.blankRows.contact)
            page = startPage(step, plan: plan, revision: stored.revision, rows: contactRows(rows.enumerated().map { ("r\($0.offset)", $0.element) }, plan: plan, errors: [:]),
                             fields: [], errors: [])
        case .responders:
            let current = Self.currentResponders(plan)
            let agency = try services.dutyLines.lines(agencyID: plan.agency.id)
            let form = current ?? RespondersForm(dayName: agency.day?.name, dayPhone: agency.day?.phone, oohName: agency.outOfHours?.name,
                                                 oohPhone: agency.outOfHours?.phone)
            page = startPage(step, plan: plan, revision: stored.revision, rows: [], fields: responderFields(form, errors: [:]), errors: [])
        }
        return services.page("start", page, context: context)
    }

    @Sendable func saveStartStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try planID(context)
        guard let step = StartStep(rawValue: try context.parameters.require("step")) else { throw PageError.notFound() }
        try access.require(.edit, planID: id, context: context)
        let basedOn = try RequestNumber.revision(context.form)
        var errors: [FieldError] = []
        var rerender: ((Plan, Int) -> StartPage)?
        var dutyLines: (agency: String, day: DutyLineStore.Line, outOfHours: DutyLineStore.Line)?
        do {
            try services.plans.update(id, basedOn: basedOn, actor: context.actor, purpose: "set up the plan: \(step.title.lowercased())") { plan in
                switch step {
                case .home:
                    let form = try TypedForm.decode(HomeForm.self, from: context.form)
                    let rows = try TypedForm.rows(form.rows)
                    errors = applyHome(rows, carersTerm: form.carersTerm, to: &plan)
                    if !errors.isEmpty {
                        let byField = Self.byField(errors)
                        rerender = { p, r in startPage(step, plan: p, revision: r, rows: homeRows(rows.map { ($0.key, $0.row) }, errors: byField),
                                                       fields: [Self.textField("carersTerm", "f-carersTerm", "What the child calls the adults they live with", form.carersTerm,
                                                                               hint: "In the child's own words, for example Mum and Dad.", error: nil)], errors: errors) }
                    }
                case .family:
                    let rows = try TypedForm.rows(TypedForm.decode(FamilyForm.self, from: context.form).rows)
                    errors = applyFamily(rows, to: &plan)
                    if !errors.isEmpty {
                        let byField = Self.byField(errors)
                        rerender = { p, r in startPage(step, plan: p, revision: r, rows: familyRows(rows.map { ($0.key, $0.row) }, errors: byField), fields: [], errors: errors) }
                    }
                case .orders:
                    let rows = try TypedForm.rows(TypedForm.decode(OrdersForm.self, from: context.form).rows)
                    errors = applyOrders(rows, to: &plan)
                    if !errors.isEmpty {
                        let byField = Self.byField(errors)
                        rerender = { p, r in startPage(step, plan: p, revision: r, rows: orderRows(rows.map { ($0.key, $0.row) }, plan: p, errors: byField), fields: [], errors: errors) }
                    }
                case .contact:
                    let rows = try TypedForm.rows(TypedForm.decode(ContactForm.self, from: context.form).rows)
                    errors = applyContact(rows, to: &plan)
                    if !errors.isEmpty {
                        let byField = Self.byField(errors)
                        rerender = { p, r in startPage(step, plan: p, revision: r, rows: contactRows(rows.map { ($0.key, $0.row) }, plan: p, errors: byField), fields: [], errors: errors) }
                    }
                case .responders:
                    let form = try TypedForm.decode(RespondersForm.self, from: context.form)
                    errors = applyResponders(form, to: &plan)
                    if !errors.isEmpty {
                        let byField = Self.byField(errors)
                        rerender = { p, r in startPage(step, plan: p, revision: r, rows: [], fields: responderFields(form, errors: byField), errors: errors) }
                    } else if let day = TypedForm.text(form.dayName), let dayPhone = TypedForm.text(form.dayPhone),
                              let ooh = TypedForm.text(form.oohName), let oohPhone = TypedForm.text(form.oohPhone) {
                        // Recorded for the agency after the plan's transaction (never a second database call inside it).
                        dutyLines = (plan.agency.id, .init(name: day, phone: dayPhone), .init(name: ooh, phone: oohPhone))
                    }
                }
                if !errors.isEmpty { throw FormRejected() }
            }
        } catch is FormRejected {
            let stored = try services.plans.load(id, actor: context.actor, purpose: "set up the plan: \(step.title.lowercased())")
            guard let page = rerender?(stored.plan, basedOn) else { throw PageError.badRequest("Nothing was saved.") }
            return services.page("start", page, context: context, status: .unprocessableContent)
        } catch let StorageError.conflict(_, _, current, _) {
            throw PageError.conflict("Someone else saved this plan after you opened this page (you had revision \(basedOn); it is now \(current)). Nothing was saved. Go back, reload the page and enter it again.")
        }
        // The first plan of an agency records its duty lines for the next.
        if let lines = dutyLines, try services.dutyLines.lines(agencyID: lines.agency).day == nil {
            try services.dutyLines.set(agencyID: lines.agency, day: lines.day, outOfHours: lines.outOfHours, actor: context.actor, at: services.timestamp())
        }
        if let next = step.next { return services.redirect("/plans/\(id)/start/\(next.rawValue)") }
        return services.redirect("/plans/\(id)?started=1")
    }

    // MARK: applying each step to the plan

    static func byField(_ errors: [FieldError]) -> [String: String] {
        Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
    }

    static func rowNumber(_ key: String) -> Int { (RequestNumber.parse(key.dropFirst(), in: 0...199) ?? 0) + 1 }

    func applyHome(_ rows: [(key: String, row: CarerRow)], carersTerm: String?, to plan: inout Plan) -> [FieldError] {
        var errors: [FieldError] = []
        var added: [String] = []
        for (key, row) in rows {
            let n = Self.rowNumber(key), f = "f-rows-\(key)"
            let given = TypedForm.text(row.given)
            let existing = row.id.flatMap { rid in plan.people.firstIndex { $0.id == rid && Self.carerRoles.contains($0.role) } }
            let filled = given != nil || TypedForm.text(row.family) != nil || TypedForm.text(row.term) != nil || TypedForm.text(row.serial) != nil
            guard filled || existing != nil else { continue }
            let role = row.role.flatMap(PersonRole.init(rawValue:)).flatMap { Self.carerRoles.contains($0) ? $0 : nil }
            if role == nil { errors.append(FieldError(field: "\(f)-role", message: "Carer \(n): choose whether they are an adopter, a foster carer or a kinship carer")) }
            if given == nil { errors.append(FieldError(field: "\(f)-given", message: "Carer \(n): enter their given name")) }
            guard let role, let given else { continue }
            if let i = existing {
                plan.people[i].role = role
                plan.people[i].name = PersonName(given: given, family: TypedForm.text(row.family))
                plan.people[i].termUsedByChild = TypedForm.text(row.term)
                plan.people[i].serialNumber = TypedForm.text(row.serial)
            } else {
                let pid = Sections.newID("p")
                plan.people.append(Person(id: pid, role: role, name: PersonName(given: given, family: TypedForm.text(row.family)),
                                          termUsedByChild: TypedForm.text(row.term), serialNumber: TypedForm.text(row.serial)))
                added.append(pid)
            }
        }
        guard errors.isEmpty else { return errors }
        if !added.isEmpty, let i = plan.placements.indices.last(where: { plan.placements[$0].endDate == nil }) ?? plan.placements.indices.last {
            plan.placements[i].carers += added
        }
        plan.child.carersTerm = TypedForm.text(carersTerm)
        return []
    }

    func applyFamily(_ rows: [(key: String, row: RelativeRow)], to plan: inout Plan) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, row) in rows {
            let n = Self.rowNumber(key), f = "f-rows-\(key)"
            let given = TypedForm.text(row.given)
            let existing = row.id.flatMap { rid in plan.people.firstIndex { $0.id == rid && Self.birthRoles.contains($0.role) } }
            let filled = given != nil || [row.family, row.term, row.relationship, row.social].contains { TypedForm.text($0) != nil }
                || !(row.dob?.isEmpty ?? true)
            guard filled || existing != nil else { continue }
            let role = row.role.flatMap(PersonRole.init(rawValue:)).flatMap { Self.birthRoles.contains($0) ? $0 : nil }
            if role == nil { errors.append(FieldError(field: "\(f)-role", message: "Person \(n): choose who they are to the child")) }
            if given == nil { errors.append(FieldError(field: "\(f)-given", message: "Person \(n): enter their given name")) }
            var dob: CalendarDate?
            switch (row.dob ?? DateParts()).parse("Person \(n)'s date of birth") {
            case .success(let d):
                dob = d
                if let d, d > today() { errors.append(FieldError(field: "\(f)-dob", message: "Person \(n)'s date of birth must be today or in the past")) }
            case .failure(let p): errors.append(FieldError(field: "\(f)-dob", message: p.message))
            }
            guard let role, let given else { continue }
            let handles = TypedForm.lines(row.social)
            func fill(_ p: inout Person) {
                p.role = role
                p.name = PersonName(given: given, family: TypedForm.text(row.family))
                p.termUsedByChild = TypedForm.text(row.term)
                p.relationship = TypedForm.text(row.relationship)
                p.dateOfBirth = dob
                p.placedElsewhere = TypedForm.ticked(row.elsewhere)
                var contact = p.contact ?? ContactDetails()
                contact.socialHandles = handles
                p.contact = (p.contact == nil && handles.isEmpty) ? nil : contact
            }
            if let i = existing { fill(&plan.people[i]) } else {
                var p = Person(id: Sections.newID("p"), role: role, name: PersonName(given: given))
                fill(&p)
                plan.people.append(p)
            }
        }
        return errors
    }

    /// The people in-force orders forbid contact with.
    func barred(_ plan: Plan) -> Set<String> {
        let context = RuleContext(plan: plan, law: services.law, asOf: today())
        return Set(plan.orders.filter { context.isProhibition($0) && $0.isInForce(on: today()) }.flatMap(\.namedPersons))
    }

    func applyOrders(_ rows: [(key: String, row: OrderRow)], to plan: inout Plan) -> [FieldError] {
        var errors: [FieldError] = []
        let barredBefore = barred(plan)
        let known = Set(plan.people.map(\.id))
        for (key, row) in rows {
            let n = Self.rowNumber(key), f = "f-rows-\(key)"
            let existing = row.id.flatMap { rid in plan.orders.firstIndex { $0.id == rid } }
            let filled = TypedForm.text(row.type) != nil || TypedForm.text(row.court) != nil || !(row.made?.isEmpty ?? true)
                || !(row.named ?? []).isEmpty
            guard filled || existing != nil else { continue }
            let type = row.type.flatMap(OrderType.init(rawValue:))
            if type == nil { errors.append(FieldError(field: "\(f)-type", message: "Order \(n): choose the type of order")) }
            let court = TypedForm.text(row.court)
            if court == nil { errors.append(FieldError(field: "\(f)-court", message: "Order \(n): enter the court that made it")) }
            var made: CalendarDate?
            switch (row.made ?? DateParts()).parse("Order \(n)'s date") {
            case .success(let d?):
                made = d
                if d > today() { errors.append(FieldError(field: "\(f)-made", message: "Order \(n)'s date must be today or in the past")) }
            case .success(nil): errors.append(FieldError(field: "\(f)-made", message: "Order \(n): enter the date it was made"))
            case .failure(let p): errors.append(FieldError(field: "\(f)-made", message: p.message))
            }
            let named = (row.named ?? []).filter { !$0.isEmpty }
            if named.contains(where: { !known.contains($0) }) {
                errors.append(FieldError(field: "\(f)-named", message: "Order \(n): someone chosen is no longer in the plan; choose again"))
            }
            guard let type, let court, let made else { continue }
            if let i = existing {
                plan.orders[i].type = type
                plan.orders[i].court = court
                plan.orders[i].madeOn = made
                plan.orders[i].namedPersons = named
                plan.orders[i].penalNotice = TypedForm.ticked(row.penal)
                plan.orders[i].indirectContactAllowed = TypedForm.ticked(row.indirect)
            } else {
                plan.orders.append(LegalOrder(id: Sections.newID("o"), type: type, jurisdiction: plan.child.jurisdiction, court: court, madeOn: made,
                                              namedPersons: named, penalNotice: TypedForm.ticked(row.penal),
                                              indirectContactAllowed: TypedForm.ticked(row.indirect)))
            }
        }
        guard errors.isEmpty else { return errors }
        // The agency's pattern: a person an order forbids contact with is named on the card for a birth relative's
        // message (C1), at "the same day" or higher.
        // Only for people newly barred: saving the page unchanged changes nothing.
        let barred = barred(plan).subtracting(barredBefore).sorted()
        if !barred.isEmpty {
            if let i = plan.contingencies.firstIndex(where: { $0.scenario == .c1 && $0.applicable }) {
                for p in barred where !plan.contingencies[i].namedPersons.contains(p) { plan.contingencies[i].namedPersons.append(p) }
                if max(plan.contingencies[i].severity, plan.contingencies[i].raisedTo ?? plan.contingencies[i].severity) < .s2 {
                    plan.contingencies[i].raisedTo = .s2
                }
            } else {
                var card = Contingency(id: Sections.newID("k"), scenario: .c1, severity: .s3, raisedTo: .s2, actions: PlanTemplate.firstSteps,
                                       contentRef: services.library.contingency(.c1)?.id)
                card.namedPersons = barred
                plan.contingencies.append(card)
            }
        }
        return []
    }

    func applyContact(_ rows: [(key: String, row: ContactRow)], to plan: inout Plan) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, row) in rows {
            let n = Self.rowNumber(key), f = "f-rows-\(key)"
            let existing = row.id.flatMap { rid in plan.arrangements.firstIndex { $0.id == rid } }
            let filled = [row.with, row.mode, row.count, row.platform].contains { TypedForm.text($0) != nil } || !(row.start?.isEmpty ?? true)
            guard filled || existing != nil else { continue }
            let with = row.with.flatMap { w in plan.people.first { $0.id == w } }?.id
            if with == nil { errors.append(FieldError(field: "\(f)-with", message: "Arrangement \(n): choose who the child keeps in touch with")) }
            let mode = row.mode.flatMap(ContactMode.init(rawValue:))
            if mode == nil { errors.append(FieldError(field: "\(f)-mode", message: "Arrangement \(n): choose how they keep in touch")) }
            let basis = row.basis.flatMap(ContactBasis.init(rawValue:)) ?? .agreement
            var orderRef: String?
            if basis == .order {
                orderRef = row.order.flatMap { o in plan.orders.first { $0.id == o } }?.id
                if orderRef == nil { errors.append(FieldError(field: "\(f)-order", message: "Arrangement \(n): choose the order it is made under, or choose \"by agreement\"")) }
            }
            var frequency: Frequency?
            let count = TypedForm.text(row.count), per = row.per.flatMap(FrequencyPeriod.init(rawValue:))
            let keeps = existing.map { plan.arrangements[$0].frequency.count == count.flatMap { RequestNumber.parse($0, in: 0...9_999) }
                && plan.arrangements[$0].frequency.per == per } ?? false
            if let count, !keeps {
                if let c = RequestNumber.parse(count, in: 1...365), let per {
                    frequency = Frequency(kind: .regular, count: c, per: per)
                } else if RequestNumber.parse(count, in: 1...365) == nil {
                    errors.append(FieldError(field: "\(f)-count", message: "Arrangement \(n): how often must be a whole number from 1 to 365, like 2"))
                } else {
                    errors.append(FieldError(field: "\(f)-per", message: "Arrangement \(n): choose a week, a month or a year"))
                }
            }
            var start: CalendarDate?
            switch (row.start ?? DateParts()).parse("Arrangement \(n)'s start date") {
            case .success(let d?): start = d
            case .success(nil): errors.append(FieldError(field: "\(f)-start", message: "Arrangement \(n): enter the date it starts"))
            case .failure(let p): errors.append(FieldError(field: "\(f)-start", message: p.message))
            }
            guard let with, let mode, let start, errors.isEmpty else { continue }
            var intermediary: String?
            let becomesLetterbox = mode.isLetterbox && (existing.map { !plan.arrangements[$0].mode.isLetterbox || plan.arrangements[$0].mode != mode } ?? true)
            if becomesLetterbox && (existing.map { plan.arrangements[$0].intermediary == nil } ?? true) {
                if let team = plan.people.first(where: { $0.role == .letterboxCoordinator }) { intermediary = team.id } else {
                    let team = Person(id: Sections.newID("p"), role: .letterboxCoordinator, name: PersonName(given: "Letterbox team"),
                                      organisation: plan.agency.name)
                    plan.people.append(team)
                    intermediary = team.id
                }
            }
            if let i = existing {
                plan.arrangements[i].counterpart = with
                plan.arrangements[i].mode = mode
                plan.arrangements[i].basis = basis
                plan.arrangements[i].orderRef = basis == .order ? orderRef : nil
                plan.arrangements[i].start = start
                plan.arrangements[i].platform = TypedForm.text(row.platform)
                if let frequency { plan.arrangements[i].frequency = frequency }
                if plan.arrangements[i].intermediary == nil { plan.arrangements[i].intermediary = intermediary }
            } else {
                plan.arrangements.append(ContactArrangement(id: Sections.newID("a"), counterpart: with, basis: basis, orderRef: orderRef, mode: mode,
                                                            platform: TypedForm.text(row.platform), frequency: frequency ?? Frequency(kind: .adHoc),
                                                            intermediary: intermediary, start: start, status: .active))
            }
        }
        return errors
    }

    /// The day and out-of-hours lines the plan's cards already give (the first card that has both).
    static func currentResponders(_ plan: Plan) -> RespondersForm? {
        plan.contingencies.lazy.compactMap { k -> RespondersForm? in
            guard let day = k.responders.first(where: { !$0.outOfHours }), let ooh = k.responders.first(where: { $0.outOfHours && $0.role != .police }) else { return nil }
            return RespondersForm(dayName: day.name, dayPhone: day.phone, oohName: ooh.name, oohPhone: ooh.phone)
        }.first
    }

    func applyResponders(_ form: RespondersForm, to plan: inout Plan) -> [FieldError] {
        var errors: [FieldError] = []
        if let current = Self.currentResponders(plan), [current.dayName, current.dayPhone, current.oohName, current.oohPhone].map({ TypedForm.text($0) })
            == [form.dayName, form.dayPhone, form.oohName, form.oohPhone].map({ TypedForm.text($0) }) {
            return []  // unchanged: nothing to do
        }
        let dayName = TypedForm.text(form.dayName), dayPhone = TypedForm.text(form.dayPhone)
        let oohName = TypedForm.text(form.oohName), oohPhone = TypedForm.text(form.oohPhone)
        if dayName == nil { errors.append(FieldError(field: "f-dayName", message: "Enter the daytime service's name")) }
        if dayPhone == nil { errors.append(FieldError(field: "f-dayPhone", message: "Enter the daytime phone number")) }
        if oohName == nil { errors.append(FieldError(field: "f-oohName", message: "Enter the out-of-hours service's name")) }
        if oohPhone == nil { errors.append(FieldError(field: "f-oohPhone", message: "Enter the out-of-hours phone number")) }
        for (f, v) in [("f-dayPhone", dayPhone), ("f-oohPhone", oohPhone)] {
            if let v, v.filter(\.isNumber).count < 3 || v.contains(where: { !($0.isNumber || " +()-".contains($0)) }) {
                errors.append(FieldError(field: f, message: "Enter a phone number in digits, like 01632 960200"))
            }
        }
        guard errors.isEmpty, let dayName, let dayPhone, let oohName, let oohPhone else { return errors }
        for i in plan.contingencies.indices {
            var day = Responder(role: .adoptionSupport, name: dayName, phone: dayPhone)
            var ooh = Responder(role: .emergencyDutyTeam, name: oohName, phone: oohPhone, outOfHours: true)
            if let d = plan.contingencies[i].responders.firstIndex(where: { !$0.outOfHours }) {
                day.role = plan.contingencies[i].responders[d].role
                plan.contingencies[i].responders[d] = day
            } else {
                plan.contingencies[i].responders.insert(day, at: 0)
            }
            if let o = plan.contingencies[i].responders.firstIndex(where: { $0.outOfHours && $0.role != .police }) {
                ooh.role = plan.contingencies[i].responders[o].role
                plan.contingencies[i].responders[o] = ooh
            } else {
                plan.contingencies[i].responders.append(ooh)
            }
            if [.c7, .c8].contains(plan.contingencies[i].scenario), !plan.contingencies[i].responders.contains(where: { $0.role == .police }) {
                plan.contingencies[i].responders.append(Responder(role: .police, name: "Police: 999 if there is danger now, 101 otherwise", phone: "101", outOfHours: true))
            }
        }
        return []
    }

    // MARK: drawing the rows

    func startPage(_ step: StartStep, plan: Plan, revision: Int, rows: [StartRow], fields: [FieldView], errors: [FieldError]) -> StartPage {
        StartPage(pageTitle: step.title, planID: plan.id, knownAs: plan.child.knownAs, step: step.rawValue,
                  stepTitle: step.title, stepNumber: step.number, intro: step.intro, revision: revision, summary: ErrorSummary(errors),
                  rows: rows, hasRows: !rows.isEmpty, fields: fields, action: "/plans/\(plan.id)/start/\(step.rawValue)",
                  skip: step.next.map { "/plans/\(plan.id)/start/\($0.rawValue)" } ?? "/plans/\(plan.id)", isLast: step.next == nil)
    }

    func row(_ key: String, legend: String, id: String?, fields: [FieldView]) -> StartRow {
        StartRow(legend: legend, idName: "rows[\(key)][id]", idValue: id ?? "", hasID: id != nil && !(id ?? "").isEmpty, fields: fields)
    }

    func homeRows(_ rows: [(String, CarerRow)], errors: [String: String]) -> [StartRow] {
        rows.map { key, r in
            let f = "f-rows-\(key)", n = "rows[\(key)]"
            return row(key, legend: "Carer \(Self.rowNumber(key))", id: r.id, fields: [
                Self.selectField("\(n)[role]", "\(f)-role", "Who they are", r.role, options: Self.carerRoles.map { ($0.rawValue, Choices.humanise($0.rawValue)) }, error: errors["\(f)-role"]),
                Self.textField("\(n)[given]", "\(f)-given", "Given name", r.given, error: errors["\(f)-given"]),
                Self.textField("\(n)[family]", "\(f)-family", "Family name", r.family, error: errors["\(f)-family"]),
                Self.textField("\(n)[term]", "\(f)-term", "What the child calls them", r.term, hint: "For example, Mum.", error: errors["\(f)-term"]),
                Self.textField("\(n)[serial]", "\(f)-serial", "Serial number (adopters, if the court gave one)", r.serial, error: errors["\(f)-serial"]),
            ])
        }
    }

    func familyRows(_ rows: [(String, RelativeRow)], errors: [String: String]) -> [StartRow] {
        rows.map { key, r in
            let f = "f-rows-\(key)", n = "rows[\(key)]"
            return row(key, legend: "Person \(Self.rowNumber(key))", id: r.id, fields: [
                Self.selectField("\(n)[role]", "\(f)-role", "Who they are to the child", r.role, options: Self.birthRoles.map { ($0.rawValue, Choices.humanise($0.rawValue)) }, error: errors["\(f)-role"]),
                Self.textField("\(n)[given]", "\(f)-given", "Given name", r.given, error: errors["\(f)-given"]),
                Self.textField("\(n)[family]", "\(f)-family", "Family name", r.family, error: errors["\(f)-family"]),
                Self.textField("\(n)[term]", "\(f)-term", "What the child calls them", r.term, hint: "In the child's own words, for example Mummy Kim.", error: errors["\(f)-term"]),
                Self.textField("\(n)[relationship]", "\(f)-relationship", "Relationship, in words", r.relationship, hint: "For example, older half-brother.", error: errors["\(f)-relationship"]),
                Self.dateField("\(n)[dob]", "\(f)-dob", "Date of birth (brothers and sisters)", r.dob ?? DateParts(), hint: "For example, 27 4 2014", error: errors["\(f)-dob"]),
                Self.checkboxField("\(n)[elsewhere]", "\(f)-elsewhere", "A brother or sister living with another family", checked: TypedForm.ticked(r.elsewhere)),
                Self.textareaField("\(n)[social]", "\(f)-social", "Social media they use, with their names there", r.social,
                                   hint: "One on each line, for example Instagram @example. The release scan keeps these out of every family's guide.", error: errors["\(f)-social"]),
            ])
        }
    }

    func orderRows(_ rows: [(String, OrderRow)], plan: Plan, errors: [String: String]) -> [StartRow] {
        let types = (services.law.jurisdiction(plan.child.jurisdiction)?.orderTypes ?? []).filter { $0.inForceFrom != nil }.map(\.type)
        return rows.map { key, r in
            let f = "f-rows-\(key)", n = "rows[\(key)]"
            let chosen = Set(r.named ?? [])
            let birth = plan.people.filter { Self.birthRoles.contains($0.role) || chosen.contains($0.id) }
            var named = Self.field(name: "\(n)[named][]", id: "\(f)-named", label: "Who it names", hint: nil, error: errors["\(f)-named"])
            named.isCheckboxes = true
            named.options = birth.enumerated().map { i, p in
                OptionView(value: p.id, label: "\(p.name.full) (\(Choices.humanise(p.role.rawValue).lowercased()))", selected: chosen.contains(p.id), id: "\(f)-named-\(i)")
            }
            return row(key, legend: "Order \(Self.rowNumber(key))", id: r.id, fields: [
                Self.selectField("\(n)[type]", "\(f)-type", "Type of order", r.type,
                                 options: (types + [r.type.flatMap(OrderType.init(rawValue:))].compactMap { $0 }.filter { !types.contains($0) }).map { ($0.rawValue, Choices.orderTitle($0)) },
                                 error: errors["\(f)-type"]),
                Self.textField("\(n)[court]", "\(f)-court", "Court", r.court, error: errors["\(f)-court"]),
                Self.dateField("\(n)[made]", "\(f)-made", "Made on", r.made ?? DateParts(), hint: nil, error: errors["\(f)-made"]),
                named,
                Self.checkboxField("\(n)[penal]", "\(f)-penal", "It has a penal notice", checked: TypedForm.ticked(r.penal)),
                Self.checkboxField("\(n)[indirect]", "\(f)-indirect", "It expressly allows indirect contact, such as letters", checked: TypedForm.ticked(r.indirect)),
            ])
        }
    }

    func contactRows(_ rows: [(String, ContactRow)], plan: Plan, errors: [String: String]) -> [StartRow] {
        return rows.map { key, r in
            // A stored person or way of keeping in touch outside the usual choices stays a choice.
            let people = plan.people.filter { Self.birthRoles.contains($0.role) || $0.id == r.with }
            let modes = ContactMode.allCases.filter { $0 != .none || $0.rawValue == r.mode }
            let f = "f-rows-\(key)", n = "rows[\(key)]"
            return row(key, legend: "Arrangement \(Self.rowNumber(key))", id: r.id, fields: [
                Self.selectField("\(n)[with]", "\(f)-with", "With", r.with, options: people.map { ($0.id, "\($0.name.full) (\(Choices.humanise($0.role.rawValue).lowercased()))") }, error: errors["\(f)-with"]),
                Self.selectField("\(n)[mode]", "\(f)-mode", "How", r.mode, options: modes.map { ($0.rawValue, Choices.humanise($0.rawValue)) }, error: errors["\(f)-mode"]),
                Self.textField("\(n)[count]", "\(f)-count", "How many times", r.count, hint: "Leave empty if it is as and when.", error: errors["\(f)-count"], short: true),
                Self.selectField("\(n)[per]", "\(f)-per", "Each", r.per, options: FrequencyPeriod.allCases.map { ($0.rawValue, $0.rawValue) }, error: errors["\(f)-per"]),
                Self.selectField("\(n)[basis]", "\(f)-basis", "Agreed or ordered", r.basis ?? ContactBasis.agreement.rawValue,
                                 options: ContactBasis.allCases.map { ($0.rawValue, Self.basisWords($0)) }, error: errors["\(f)-basis"], required: true),
                Self.selectField("\(n)[order]", "\(f)-order", "The order, if it is ordered", r.order,
                                 options: plan.orders.map { ($0.id, "\(Choices.orderTitle($0.type)), made \($0.madeOn.long)") }, error: errors["\(f)-order"]),
                Self.dateField("\(n)[start]", "\(f)-start", "Starts on", r.start ?? DateParts(), hint: nil, error: errors["\(f)-start"]),
                Self.textField("\(n)[platform]", "\(f)-platform", "App or platform, if it is online", r.platform, error: errors["\(f)-platform"]),
            ])
        }
    }

    static func basisWords(_ b: ContactBasis) -> String {
        switch b {
        case .agreement: "By agreement"
        case .order: "By a court order"
        case .agencyDecision: "By the agency's decision"
        }
    }

    func responderFields(_ form: RespondersForm, errors: [String: String]) -> [FieldView] {
        [
            Self.textField("dayName", "f-dayName", "Daytime: service or person", form.dayName, hint: "For example, the adoption support duty line.", error: errors["f-dayName"]),
            Self.textField("dayPhone", "f-dayPhone", "Daytime phone number", form.dayPhone, error: errors["f-dayPhone"]),
            Self.textField("oohName", "f-oohName", "Evenings and weekends: service", form.oohName, hint: "For example, the emergency duty team.", error: errors["f-oohName"]),
            Self.textField("oohPhone", "f-oohPhone", "Evenings and weekends phone number", form.oohPhone, error: errors["f-oohPhone"]),
        ]
    }

    // MARK: field views

    static func field(name: String, id: String, label: String, hint: String?, error: String?) -> FieldView {
        var v = FieldView(id: id, name: name, label: label, hint: hint ?? "", error: error ?? "", hasHint: hint != nil, hasError: error != nil, value: "")
        v.describedBy = [hint != nil ? id + "-hint" : nil, error != nil ? id + "-error" : nil].compactMap { $0 }.joined(separator: " ")
        v.hasDescribedBy = !v.describedBy.isEmpty
        return v
    }

    static func textField(_ name: String, _ id: String, _ label: String, _ value: String?, hint: String? = nil, error: String?, short: Bool = false) -> FieldView {
        var v = field(name: name, id: id, label: label, hint: hint, error: error)
        v.value = value ?? ""
        if short { v.isNumber = true } else { v.isText = true }
        return v
    }

    static func textareaField(_ name: String, _ id: String, _ label: String, _ value: String?, hint: String? = nil, error: String?) -> FieldView {
        var v = field(name: name, id: id, label: label, hint: hint, error: error)
        v.value = value ?? ""
        v.isTextarea = true
        return v
    }

    static func selectField(_ name: String, _ id: String, _ label: String, _ value: String?, options: [(String, String)], error: String?,
                            required: Bool = false) -> FieldView {
        var v = field(name: name, id: id, label: label, hint: nil, error: error)
        v.isSelect = true
        v.value = value ?? ""
        v.options = (required ? [] : [OptionView(value: "", label: "Choose…", selected: v.value.isEmpty, id: "")])
            + options.map { OptionView(value: $0.0, label: $0.1, selected: $0.0 == v.value, id: "") }
        return v
    }

    static func dateField(_ name: String, _ id: String, _ label: String, _ parts: DateParts, hint: String?, error: String?) -> FieldView {
        var v = field(name: name, id: id, label: label, hint: hint, error: error)
        v.isDate = true
        v.dayName = name + "[day]"; v.monthName = name + "[month]"; v.yearName = name + "[year]"
        v.dayValue = parts.day ?? ""; v.monthValue = parts.month ?? ""; v.yearValue = parts.year ?? ""
        v.markDateBoxes(label: label, error: error)
        return v
    }

    static func checkboxField(_ name: String, _ id: String, _ label: String, checked: Bool) -> FieldView {
        var v = field(name: name, id: id, label: label, hint: nil, error: nil)
        v.isCheckbox = true
        v.checked = checked
        return v
    }
}
