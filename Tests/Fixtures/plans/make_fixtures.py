#!/usr/bin/env python3
"""Writes the fixture plans in this folder: a clean plan per jurisdiction and plans that each break one rule.

Every person, place, number and organisation here is fictional. Phone numbers are in Ofcom's range for drama
(01632 960xxx); postcodes use the non-geographic ZZ area; emails end in .invalid.

Run it after changing the archive format, then put the files in Lifestory's canonical form:
    python3 Tests/Fixtures/plans/make_fixtures.py
    swift run lifestory plan format Tests/Fixtures/plans/*-*.json Sources/LifeStoryStorage/Resources/demo/*.json
expected.json says, for each fixture, which rules must report errors (exactly) and warnings (at least),
as of the date in expected.json. LifeStoryCLITests and LifeStoryCoreTests read it.
"""
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2026-11-21"

def person(id, role, given, family=None, **kw):
    p = {"id": id, "role": role, "name": {"given": given, **({"family": family} if family else {})},
         "placedElsewhere": False, "riskFlags": []}
    p.update(kw)
    return p

def responders(extra=None):
    r = [{"role": "adoption_support", "name": "Adoption support duty line (Example RAA)", "phone": "01632 960200", "outOfHours": False},
         {"role": "emergency_duty_team", "name": "Emergency duty team (Example Council)", "phone": "01632 960999", "outOfHours": True}]
    return r + (extra or [])

SCENARIO_SEVERITY = {"C1": ("S3", "S2"), "C2": ("S3", "S2"), "C3": ("S3", "S3"), "C4": ("S2", "S2"),
                     "C5": ("S3", "S2"), "C6": ("S4", "S3"), "C7": ("S3", "S1"), "C8": ("S2", "S1"),
                     "C9": ("S2", "S2"), "C10": ("S3", "S3"), "C11": ("S3", "S2"), "C12": ("S3", "S2"),
                     "C13": ("S3", "S3"), "C14": ("S3", "S3"), "C15": ("S2", "S1")}

def contingencies(named_c1=(), not_applicable=None):
    out = []
    for n in range(1, 16):
        s = f"C{n}"
        sev, raised = SCENARIO_SEVERITY[s]
        c = {"id": f"k-{s.lower()}", "scenario": s, "applicable": True, "severity": sev, "raisedTo": raised,
             "triggers": [], "actions": ["Capture", "Do not engage", "Secure", "Notify", "Record"],
             "responders": responders([{"role": "police", "name": "Police (999 in an emergency, 101 otherwise)", "phone": "999", "outOfHours": True}] if s in ("C7", "C8") else None),
             "legalLevers": [], "linkedOrders": [], "namedPersons": list(named_c1) if s == "C1" else [],
             "contentRef": f"contingency-{s}"}
        if not_applicable and s in not_applicable:
            c["applicable"] = False
            c["notApplicableReason"] = not_applicable[s]
        out.append(c)
    return out

def item(id, title, kind="conversation", status="planned", target=None, done=None, **kw):
    i = {"id": id, "title": title, "kind": kind, "status": status, "owner": kw.pop("owner", "carer")}
    if target: i["targetDate"] = target
    if done: i["doneOn"] = done
    i.update(kw)
    return i

def base_plan(id, agency_name):
    return {"id": id, "version": 1, "status": "draft", "agency": {"id": "agency-example", "name": agency_name},
            "people": [], "placements": [], "orders": [], "arrangements": [], "stages": [], "contingencies": [],
            "riskAssessments": [], "reviews": [], "signOffs": [], "incidents": [],
            "views": {"birthRelatives": []}, "lifeStory": {}, "delegatedAuthority": [],
            "redaction": {"fosterCarerMayKnow": []}}

def risk(id, on):
    return {"id": id, "assessedOn": on, "assessedBy": "Priya Sample (child's social worker)", "level": "medium",
            "birthRelativesOnline": "Uses Facebook and Instagram daily; has searched for the child's former foster carer.",
            "pastBreaches": "None recorded.", "proximity": "Lives about 40 miles away.",
            "whatTheyKnow": "Knows the child's first name and the foster carer's first name.",
            "childVulnerabilities": "Curious about birth family; trusts adults online easily."}

def sign_offs(on, lawyer=True, adm=False):
    roles = ["childs_social_worker", "team_manager", "adopters_social_worker", "adopters_acknowledgement", "iro", "panel_adviser"]
    if lawyer: roles.append("lawyer")
    if adm: roles.append("decision_maker")
    # Plainly fictional people, named as a person is, never by their role's code.
    names = {"childs_social_worker": "Jess Worker (example)", "team_manager": "Terry Manager (example)",
             "adopters_social_worker": "Morgan Supporter (example)", "adopters_acknowledgement": "The adopters (example)",
             "iro": "Robin Reviewer (example)", "panel_adviser": "Pat Adviser (example)", "lawyer": "Lee Counsel (example)",
             "decision_maker": "Dana Decider (example)"}
    return [{"role": r, "name": names[r], "signedOn": on} for r in roles]

# ---------------------------------------------------------------- England: Sam, placed at 9, adopted, s.51A no-contact
eng = base_plan("plan-eng-sam", "Example Regional Adoption Agency")
eng["status"] = "active"
eng["child"] = {"id": "child-sam", "pseudonym": "Child E1", "birthName": {"given": "Sam", "family": "Example"},
                "currentName": {"given": "Sam", "family": "Fictional"}, "knownAs": "Sam", "dateOfBirth": "2016-03-10",
                "jurisdiction": "ENG", "legalStatus": "adopted", "carersTerm": "Mum and Dad",
                "needs": ["Speech and language support"],
                "settings": [{"kind": "school", "name": "Hilltop Example Primary", "town": "Exampleford"},
                             {"kind": "club", "name": "Exampleford Juniors Football"}]}
eng["people"] = [
    person("p-kelly", "birth_mother", "Kelly", "Example", termUsedByChild="Mummy Kelly"),
    person("p-dan", "birth_father", "Dan", "Example", termUsedByChild="Dan", riskFlags=["history of harassment"]),
    person("p-ava", "sibling", "Ava", "Example", termUsedByChild="Ava", dateOfBirth="2013-08-01", placedElsewhere=True,
           carerConsentToOnlineContact={"decision": "Ava's adoptive parents agree to monthly video calls they set up.", "recordedOn": "2026-02-01", "recordedBy": "Priya Sample"},
           contact={"town": "Otherton Example", "socialHandles": []}),
    person("p-alex", "adopter", "Alex", "Fictional", serialNumber="AS-0001",
           contact={"phone": "01632 960123", "email": "alex@example.invalid", "address": "12 Sample Road", "town": "Exampleford",
                    "postcode": "ZZ1 1ZZ", "socialHandles": ["@alexfictional"], "employer": "Example Widgets Ltd", "vehicleRegistration": "EX12 MPL"}),
    person("p-jordan", "adopter", "Jordan", "Fictional", contact={"phone": "01632 960124", "socialHandles": []}),
    person("p-jo", "foster_carer", "Jo", "Placeholder", termUsedByChild="Jo",
           contact={"phone": "01632 960321", "town": "Fosterby", "socialHandles": []}),
    person("p-priya", "childs_social_worker", "Priya", "Sample", organisation="Example RAA"),
    person("p-letterbox", "letterbox_coordinator", "Letterbox", "Team", organisation="Example RAA"),
]
eng["placements"] = [
    {"id": "pl-foster", "kind": "foster", "startDate": "2024-11-01", "endDate": "2025-06-02", "carers": ["p-jo"]},
    {"id": "pl-adoptive", "kind": "adoptive", "startDate": "2025-06-02", "carers": ["p-alex", "p-jordan"]},
]
eng["orders"] = [
    {"id": "o-placement", "type": "ACA02_PLACEMENT", "jurisdiction": "ENG", "court": "Exampleford Family Court", "madeOn": "2025-03-01",
     "namedPersons": [], "provisions": ["The agency may place Sam for adoption."], "conditions": [], "penalNotice": False,
     "inForce": False, "endedOn": "2026-05-20", "indirectContactAllowed": False},
    {"id": "o-adoption", "type": "ACA02_ADOPTION", "jurisdiction": "ENG", "court": "Exampleford Family Court", "madeOn": "2026-05-20",
     "namedPersons": [], "provisions": [], "conditions": [], "penalNotice": False, "inForce": True, "indirectContactAllowed": False},
    {"id": "o-nocontact", "type": "ACA02_S51A_PROHIBITION", "jurisdiction": "ENG", "court": "Exampleford Family Court", "madeOn": "2026-05-20",
     "namedPersons": ["p-dan"], "provisions": ["Dan Example may not have contact with Sam by any means, including online."],
     "conditions": [{"id": "cond-nd-1", "kind": "non_disclosure", "text": "Nothing that identifies Sam's school or home town may be shared.",
                     "protectedTokens": ["Hilltop Example Primary", "Exampleford"]}],
     "expiresOn": "2034-03-10", "penalNotice": True, "inForce": True, "indirectContactAllowed": False, "documentRef": "sealed-orders/E1-51A.pdf"},
]
eng["arrangements"] = [
    {"id": "a-letterbox", "counterpart": "p-kelly", "basis": "agreement", "mode": "LETTERBOX_PAPER", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 2, "per": "year"}, "supervision": "NONE", "intermediary": "p-letterbox",
     "conditions": [{"id": "cond-lb-1", "kind": "first_names_only", "text": "First names only. No school, town or photos in uniform.", "protectedTokens": []}],
     "start": "2025-09-01", "status": "active", "suspensions": []},
    {"id": "a-ava", "counterpart": "p-ava", "basis": "agreement", "mode": "VIDEO_CALL", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 1, "per": "month"}, "supervision": "SUPPORTED",
     "conditions": [], "start": "2026-03-01", "status": "active", "suspensions": []},
]
eng["stages"] = [
    {"code": "D0", "status": "done", "lastReviewedOn": "2025-06-30", "items": [
        item("i-d0-1", "Memory box and photos from Jo's house", kind="life_story", status="done", done="2025-06-05"),
        item("i-d0-2", "Household digital-footprint rule agreed", kind="activity", status="done", done="2025-06-10", contentRef="checklist-household-digital-footprint")]},
    {"code": "C", "status": "done", "items": [
        item("i-c-1", "Why Sam could not stay with Mummy Kelly, at Sam's level", status="done", done="2025-08-01", contentRef="stage-C")]},
    {"code": "D", "status": "current", "lastReviewedOn": "2026-09-30", "reviewBy": "2027-03-01", "items": [
        item("i-d-1", "Birth family might search online: the screenshot, don't reply, tell us script", target="2027-01-15", contentRef="stage-D"),
        item("i-d-2", "Switch location sharing off together", kind="activity", target="2027-02-01", decision="location_sharing"),
        item("i-d-3", "Before the first phone: the family agreement", kind="device", target="2027-06-01", contentRef="checklist-before-first-phone")]},
    {"code": "E", "status": "upcoming", "items": [
        item("i-e-1", "Set up the first social media account together", kind="account", target="2032-03-15",
             account={"platform": "Instagram", "heldBy": "child"}, contentRef="checklist-before-first-social-account")]},
]
eng["contingencies"] = contingencies(named_c1=["p-dan"])
eng["riskAssessments"] = [risk("r-1", "2026-10-01")]
eng["reviews"] = [
    {"id": "rv-1", "kind": "adoption_review", "dueOn": "2025-06-30", "heldOn": "2025-06-30"},
    {"id": "rv-2", "kind": "adoption_review", "dueOn": "2025-09-30", "heldOn": "2025-09-29"},
    {"id": "rv-3", "kind": "adoption_review", "dueOn": "2026-03-30", "heldOn": "2026-03-30"},
    {"id": "rv-4", "kind": "stage_review", "dueOn": "2026-09-30", "heldOn": "2026-09-30"},
    {"id": "rv-5", "kind": "stage_review", "dueOn": "2027-07-15", "notes": "Before the move to Year 7."},
]
eng["signOffs"] = sign_offs("2025-04-20", adm=True)
eng["panelSubmission"] = {"submittedOn": "2025-04-25", "panelDate": "2025-05-12", "recommendation": "Match recommended.", "decision": "Match approved.", "decisionOn": "2025-05-19"}
eng["riskAssessments"].insert(0, risk("r-0", "2025-04-01"))
eng["views"] = {"child": {"recordedOn": "2025-04-10", "summary": "Sam wants to keep writing to Mummy Kelly and to see Ava."},
                "adopters": {"recordedOn": "2025-04-10", "summary": "Happy with letters twice a year and video calls with Ava."},
                "birthRelatives": [{"recordedOn": "2025-04-02", "summary": "Kelly would like letters and photos.", "personRef": "p-kelly"}]}
eng["lifeStory"] = {"bookGivenOn": "2025-09-29"}

# ---------------------------------------------------------------- Wales: Mia, placed at 8 months (fostering for adoption), at panel
wls = base_plan("plan-wls-mia", "Example Adoption Service Cymru")
wls["status"] = "submitted"
wls["child"] = {"id": "child-mia", "pseudonym": "Child W1", "birthName": {"given": "Mia", "family": "Example"},
                "knownAs": "Mia", "dateOfBirth": "2026-01-15", "jurisdiction": "WLS", "legalStatus": "placed_for_adoption",
                "carersTerm": "Mam and Dad", "needs": [], "settings": [{"kind": "nursery", "name": "Little Acorns Example Nursery", "town": "Sampleton"}]}
wls["people"] = [
    person("p-rhian", "birth_mother", "Rhian", "Example", termUsedByChild="Rhian"),
    person("p-gwen", "birth_relative", "Gwen", "Example", relationship="maternal grandmother", termUsedByChild="Nana Gwen"),
    person("p-cerys", "adopter", "Cerys", "Specimen", contact={"phone": "01632 960401", "town": "Sampleton", "socialHandles": []}),
    person("p-owen", "adopter", "Owen", "Specimen", contact={"socialHandles": []}),
    person("p-lb", "letterbox_coordinator", "Letterbox", "Team", organisation="Example Adoption Service Cymru"),
]
wls["placements"] = [{"id": "pl-ffa", "kind": "fostering_for_adoption", "startDate": "2026-09-14", "carers": ["p-cerys", "p-owen"]}]
wls["orders"] = [{"id": "o-placement", "type": "ACA02_PLACEMENT", "jurisdiction": "WLS", "court": "Example Family Court (Wales)",
                  "madeOn": "2026-08-20", "namedPersons": [], "provisions": [], "conditions": [], "penalNotice": False, "inForce": True,
                  "indirectContactAllowed": False}]
wls["arrangements"] = [
    {"id": "a-rhian", "counterpart": "p-rhian", "basis": "agreement", "mode": "LETTERBOX_DIGITAL", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 2, "per": "year"}, "supervision": "NONE", "intermediary": "p-lb",
     "conditions": [{"id": "cond-w-1", "kind": "no_photos", "text": "No photos that show the nursery, the house or the street.", "protectedTokens": []}],
     "start": "2026-12-01", "status": "proposed", "suspensions": []},
    {"id": "a-gwen", "counterpart": "p-gwen", "basis": "agreement", "mode": "CARDS_GIFTS", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 1, "per": "year"}, "supervision": "NONE", "intermediary": "p-lb",
     "conditions": [], "start": "2026-12-01", "status": "proposed", "suspensions": []},
]
wls["delegatedAuthority"] = ["photos_online", "life_story_work"]
wls["stages"] = [
    {"code": "D0", "status": "done", "lastReviewedOn": "2026-10-12", "items": [
        item("i-w-1", "Photos and a recording of the foster carer's voice for Mia's memory box", kind="life_story", status="done", done="2026-09-20"),
        item("i-w-2", "Family agree: no photos of Mia online, accounts private", kind="activity", status="done", done="2026-09-16", decision="photos_online")]},
    {"code": "A", "status": "current", "reviewBy": "2027-01-12", "items": [
        item("i-w-3", "Practise telling Mia's story out loud, using Rhian's name", target="2026-12-15", contentRef="stage-A")]},
]
wls["contingencies"] = contingencies(not_applicable={"C7": "Mia is a baby; this plan will add it before she is 9.",
                                                     "C3": "Mia is a baby; this plan will add it before she is 9."})
wls["riskAssessments"] = [risk("r-w", "2026-10-20")]
wls["reviews"] = [{"id": "rv-w1", "kind": "adoption_review", "dueOn": "2026-10-12", "heldOn": "2026-10-12"},
                  {"id": "rv-w2", "kind": "adoption_review", "dueOn": "2027-01-12"}]
wls["signOffs"] = sign_offs("2026-11-05")
wls["panelSubmission"] = {"submittedOn": "2026-11-10", "panelDate": "2026-12-03"}
wls["views"] = {"adopters": {"recordedOn": "2026-10-20", "summary": "Want Mia to know her story; happy with digital letterbox."},
                "birthRelatives": [{"recordedOn": "2026-10-22", "summary": "Rhian would like twice-yearly news.", "personRef": "p-rhian"}]}

# ---------------------------------------------------------------- Scotland: Lewis, 7, looked after under a permanence order, sibling
sco = base_plan("plan-sco-lewis", "Example Council Family Placement Team")
sco["child"] = {"id": "child-lewis", "pseudonym": "Child S1", "birthName": {"given": "Lewis", "family": "Example"},
                "knownAs": "Lewis", "dateOfBirth": "2019-05-04", "jurisdiction": "SCO", "legalStatus": "permanence_order",
                "carersTerm": "Fiona and Rob", "needs": ["Attachment support"],
                "settings": [{"kind": "school", "name": "Glen Example Primary", "town": "Sampleburgh"}]}
sco["people"] = [
    person("p-leanne", "birth_mother", "Leanne", "Example", termUsedByChild="Mum Leanne"),
    person("p-kai", "sibling", "Kai", "Example", termUsedByChild="Kai (凯)", dateOfBirth="2015-02-11", placedElsewhere=True,
           carerConsentToOnlineContact={"decision": "Kai's foster carers agree to video calls they supervise.", "recordedOn": "2026-06-01", "recordedBy": "Euan Sample"},
           contact={"socialHandles": []}),
    person("p-fiona", "foster_carer", "Fiona", "Placeholder", contact={"phone": "01632 960501", "socialHandles": []}),
    person("p-rob", "foster_carer", "Rob", "Placeholder", contact={"socialHandles": []}),
    person("p-euan", "childs_social_worker", "Euan", "Sample"),
]
sco["placements"] = [{"id": "pl-perm", "kind": "foster", "startDate": "2025-01-13", "carers": ["p-fiona", "p-rob"]}]
sco["orders"] = [
    {"id": "o-perm", "type": "SCO_PERMANENCE", "jurisdiction": "SCO", "court": "Sampleburgh Sheriff Court", "madeOn": "2025-06-30",
     "namedPersons": ["p-leanne"], "provisions": ["Contact with Leanne four times a year, supervised at a family centre."],
     "conditions": [{"id": "cond-s-1", "kind": "venue", "text": "At the family centre only.", "protectedTokens": []}],
     "expiresOn": "2037-05-04", "penalNotice": False, "inForce": True, "indirectContactAllowed": True},
]
sco["arrangements"] = [
    {"id": "a-leanne", "counterpart": "p-leanne", "basis": "order", "orderRef": "o-perm", "mode": "DIRECT_SUPERVISED", "heldBy": "agency",
     "frequency": {"kind": "regular", "count": 4, "per": "year"}, "supervision": "SUPERVISED_CENTRE",
     "conditions": [], "start": "2025-07-01", "status": "active", "suspensions": []},
    {"id": "a-kai", "counterpart": "p-kai", "basis": "agency_decision", "mode": "VIDEO_CALL", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 2, "per": "month"}, "supervision": "SUPPORTED",
     "conditions": [], "start": "2026-07-01", "status": "active", "suspensions": []},
]
sco["siblingContactDecision"] = {"decision": "Lewis and Kai keep in touch by video calls twice a month and meet in the school holidays.",
                                 "recordedOn": "2026-06-01", "recordedBy": "Euan Sample"}
sco["delegatedAuthority"] = ["online_gaming", "life_story_work"]
sco["stages"] = [
    {"code": "D0", "status": "done", "lastReviewedOn": "2025-02-24", "items": []},
    {"code": "C", "status": "current", "lastReviewedOn": "2026-08-13", "reviewBy": "2027-02-01", "items": [
        item("i-s-1", "Chat in games: what to do if someone asks where Lewis lives", target="2026-12-10", decision="online_gaming", contentRef="stage-C")]},
]
sco["contingencies"] = contingencies()
sco["riskAssessments"] = [risk("r-s", "2026-08-01")]
sco["reviews"] = [{"id": "rv-s1", "kind": "looked_after_review", "dueOn": "2026-08-13", "heldOn": "2026-08-13"},
                  {"id": "rv-s2", "kind": "looked_after_review", "dueOn": "2027-02-13"}]
sco["views"] = {"child": {"recordedOn": "2026-06-01", "summary": "Lewis wants to see Kai more."}, "birthRelatives": []}

# ---------------------------------------------------------------- Northern Ireland: Niamh, 14, freed and adopted, adult sister
ni = base_plan("plan-ni-niamh", "Example Health and Social Care Trust")
ni["child"] = {"id": "child-niamh", "pseudonym": "Child N1", "birthName": {"given": "Niamh", "family": "Example"},
               "currentName": {"given": "Niamh", "family": "Specimen"}, "knownAs": "Niamh", "dateOfBirth": "2012-06-01",
               "jurisdiction": "NI", "legalStatus": "adopted", "carersTerm": "Mum and Dad", "needs": [],
               "settings": [{"kind": "school", "name": "Example High School", "town": "Sampletown"}]}
ni["people"] = [
    person("p-nora", "birth_relative", "Noor", "Example", relationship="maternal grandmother", termUsedByChild="Teta Noor (تيتا نور)"),
    person("p-erin", "sibling", "Erin", "Example", termUsedByChild="Erin", dateOfBirth="2005-03-03"),
    person("p-pat", "adopter", "Pat", "Specimen", contact={"phone": "01632 960601", "address": "3 Example Lane", "socialHandles": ["@patspecimen"]}),
    person("p-coord", "letterbox_coordinator", "Post-adoption", "Team", organisation="Example HSC Trust"),
]
ni["placements"] = [{"id": "pl-ni", "kind": "adoptive", "startDate": "2022-09-01", "carers": ["p-pat"]}]
ni["orders"] = [{"id": "o-freeing", "type": "NI_FREEING", "jurisdiction": "NI", "court": "Example Family Proceedings Court",
                 "madeOn": "2022-05-01", "namedPersons": [], "provisions": [], "conditions": [], "penalNotice": False,
                 "inForce": False, "endedOn": "2023-10-01", "indirectContactAllowed": False}]
ni["arrangements"] = [
    {"id": "a-nora", "counterpart": "p-nora", "basis": "agreement", "mode": "LETTERBOX_DIGITAL", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 2, "per": "year"}, "supervision": "NONE", "intermediary": "p-coord",
     "conditions": [], "start": "2023-01-01", "status": "active", "suspensions": []},
    {"id": "a-erin", "counterpart": "p-erin", "basis": "agreement", "mode": "MESSAGING_APP", "platform": "WhatsApp", "heldBy": "child",
     "frequency": {"kind": "ad_hoc"}, "supervision": "NONE", "conditions": [], "start": "2026-07-01", "status": "active", "suspensions": []},
]
ni["stages"] = [
    {"code": "F", "status": "current", "lastReviewedOn": "2026-09-01", "reviewBy": "2027-02-28", "items": [
        item("i-n-1", "Read the later life letter together", kind="life_story", target="2027-01-20", contentRef="stage-F"),
        item("i-n-2", "Sextortion: we don't pay, we don't delete, we report together", target="2026-12-05", contentRef="contingency-C15")]},
]
ni["contingencies"] = contingencies()
ni["riskAssessments"] = [risk("r-n", "2026-09-01")]
ni["reviews"] = [{"id": "rv-n0", "kind": "adoption_review", "dueOn": "2023-06-15", "heldOn": "2023-06-15", "notes": "Ahead of the move to Year 8."},
                 {"id": "rv-n1", "kind": "stage_review", "dueOn": "2025-04-20", "heldOn": "2025-04-20", "notes": "Before Niamh turned 13."},
                 {"id": "rv-n2", "kind": "stage_review", "dueOn": "2026-09-01", "heldOn": "2026-09-01"}]
ni["lifeStory"] = {"bookGivenOn": "2022-12-01"}

def archive(plan):
    return {"format": "lifestory.plan", "formatVersion": 1, "plan": plan}

fixtures = {}  # name -> (plan, errors, warnings)
def add(name, plan, errors=(), warnings=()):
    fixtures[name] = (plan, sorted(set(errors)), sorted(set(warnings)))

add("clean-eng", eng); add("clean-wls", wls); add("clean-sco", sco); add("clean-ni", ni)

def variant(base, change):
    p = copy.deepcopy(base); change(p); return p
def find(lst, id): return next(x for x in lst if x.get("id") == id)

# One fixture (at least) breaking each rule. Comments say what is wrong, as a social worker would put it.
add("v1-account-under-13", variant(eng, lambda p: p["arrangements"].append(
    {"id": "a-insta", "counterpart": "p-kelly", "basis": "agreement", "mode": "SOCIAL_MEDIA", "platform": "Instagram", "heldBy": "child",
     "frequency": {"kind": "ad_hoc"}, "supervision": "NONE", "conditions": [], "start": "2027-01-01", "status": "proposed", "suspensions": []})),
    errors=["V1"], warnings=[])
add("v1-whatsapp-at-14-before-2024", variant(ni, lambda p: find(p["arrangements"], "a-erin").update(start="2024-01-10") ),
    errors=["V1"])
add("v2-direct-contact-with-prohibited-person", variant(eng, lambda p: p["arrangements"].append(
    {"id": "a-dan", "counterpart": "p-dan", "basis": "agreement", "mode": "DIRECT_SUPERVISED", "heldBy": "agency",
     "frequency": {"kind": "regular", "count": 1, "per": "year"}, "supervision": "SUPERVISED_AGENCY", "conditions": [],
     "start": "2027-01-01", "status": "proposed", "suspensions": []})), errors=["V2"])
add("v2-no-c1-for-prohibited-person", variant(eng, lambda p: find(p["contingencies"], "k-c1").update(namedPersons=[])), errors=["V2"])
add("v3-no-out-of-hours-route", variant(eng, lambda p: find(p["contingencies"], "k-c4").update(responders=responders()[:1])), errors=["V3"])
add("v4-no-review-before-year-7", variant(eng, lambda p: p["reviews"].pop()), errors=["V4"])
add("v4-stage-review-too-late", variant(eng, lambda p: p["stages"][2].update(reviewBy="2027-06-01")), errors=["V4"])
def v5(p):
    p["orders"].append({"id": "o-s26", "type": "ACA02_S26_CONTACT", "jurisdiction": "ENG", "court": "Exampleford Family Court",
                        "madeOn": "2025-03-01", "namedPersons": ["p-kelly"], "provisions": ["Contact with Kelly twice a year."],
                        "conditions": [], "penalNotice": False, "inForce": True, "indirectContactAllowed": False})
    find(p["arrangements"], "a-letterbox").update(basis="order", orderRef="o-s26")
add("v5-s26-order-after-adoption", variant(eng, v5), errors=["V5"])
add("v6-s51a-beyond-18", variant(eng, lambda p: find(p["orders"], "o-nocontact").update(expiresOn="2035-01-01")), errors=["V6"])
add("v7-urgent-suspension-too-long", variant(eng, lambda p: find(p["arrangements"], "a-letterbox")["suspensions"].append(
    {"id": "s-1", "from": "2026-10-01", "to": "2026-10-20", "basis": "ACA02_S27_2", "reason": "Letter named the town.", "notifiedTo": []})),
    errors=["V7"])
add("v8-ni-2022-act-order-not-in-force", variant(ni, lambda p: p["orders"].append(
    {"id": "o-s49", "type": "NI22_S49_CONTACT", "jurisdiction": "NI", "court": "Example Family Proceedings Court", "madeOn": "2025-02-01",
     "namedPersons": ["p-nora"], "provisions": [], "conditions": [], "penalNotice": False, "inForce": True, "indirectContactAllowed": False})),
    errors=["V8"])
add("v8-scottish-order-in-england", variant(eng, lambda p: p["orders"].append(
    {"id": "o-cso", "type": "SCO_CSO_CONTACT_DIRECTION", "jurisdiction": "ENG", "court": "Exampleford Family Court", "madeOn": "2025-02-01",
     "namedPersons": [], "provisions": [], "conditions": [], "penalNotice": False, "inForce": False, "endedOn": "2025-03-01", "indirectContactAllowed": False})),
    errors=["V8"])
add("v9-condition-names-the-adopters-town", variant(eng, lambda p: find(p["arrangements"], "a-letterbox")["conditions"][0].update(
    text="First names only. Do not mention Exampleford or the school.")), errors=["V9"])
add("v9-non-disclosure-without-tokens", variant(eng, lambda p: find(p["orders"], "o-nocontact")["conditions"][0].update(protectedTokens=[])),
    errors=["V9"])
def v10(p):
    p["signOffs"] = [s for s in p["signOffs"] if s["role"] != "iro"]
    p["riskAssessments"] = [risk("r-w", "2026-07-01")]
add("v10-panel-without-iro-and-stale-risk", variant(wls, v10), errors=["V10"])
add("v11-phone-not-delegated", variant(sco, lambda p: p["stages"][1]["items"].append(
    item("i-s-2", "Decide on Lewis's first tablet with messaging", kind="device", target="2027-01-10"))), errors=["V11"])
add("v12-no-sibling-decision", variant(sco, lambda p: p.pop("siblingContactDecision")), errors=["V12"])
add("v13-sibling-video-without-consent", variant(eng, lambda p: find(p["people"], "p-ava").pop("carerConsentToOnlineContact")), errors=["V13"])
add("p1-counterpart-missing", variant(eng, lambda p: find(p["arrangements"], "a-ava").update(counterpart="p-ghost")), errors=["P1"])
add("p2-duplicate-person-id", variant(eng, lambda p: p["people"].append(person("p-kelly", "birth_relative", "Kim", "Example"))), errors=["P2"])
add("p3-letterbox-without-coordinator", variant(eng, lambda p: find(p["arrangements"], "a-letterbox").pop("intermediary")), errors=["P3"])
add("p4-scenario-missing", variant(sco, lambda p: p.update(contingencies=[c for c in p["contingencies"] if c["scenario"] != "C4"])), errors=["P4"])
# A plan at panel with any error also fails V10 (panel readiness).
add("p4-not-applicable-without-reason", variant(wls, lambda p: find(p["contingencies"], "k-c7").pop("notApplicableReason")), errors=["P4", "V10"])
add("p5-placement-before-birth", variant(eng, lambda p: p["placements"][0].update(startDate="2016-01-04")), errors=["P5"])
add("p6-order-in-the-future", variant(eng, lambda p: find(p["orders"], "o-nocontact").update(madeOn="2026-12-01")), errors=["P6"])
add("p7-no-placement", variant(eng, lambda p: p.update(placements=[])), errors=["P7"])
add("p8-order-basis-without-order", variant(sco, lambda p: find(p["arrangements"], "a-leanne").pop("orderRef")), errors=["P8"])
add("p9-overdue-conversation", variant(eng, lambda p: p["stages"][2]["items"][0].update(targetDate="2026-10-01")), warnings=["P9"])
add("p10-no-life-story-book", variant(eng, lambda p: p["lifeStory"].pop("bookGivenOn")), warnings=["P10"])
add("p11-stale-risk-assessment", variant(sco, lambda p: p.update(riskAssessments=[risk("r-s", "2025-06-01")])), warnings=["P11"])
add("p12-unsupervised-with-risk-flags", variant(eng, lambda p: find(p["people"], "p-kelly").update(riskFlags=["threats to a previous carer"]) or p["arrangements"].append(
    {"id": "a-kelly-meet", "counterpart": "p-kelly", "basis": "agreement", "mode": "DIRECT_SUPPORTED", "heldBy": "carer",
     "frequency": {"kind": "regular", "count": 1, "per": "year"}, "supervision": "NONE", "conditions": [],
     "start": "2027-04-01", "status": "proposed", "suspensions": []})), warnings=["P12"])

expected = {"asOf": AS_OF, "fixtures": {}}
for name, (plan, errors, warnings) in fixtures.items():
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(archive(plan), f, indent=2, sort_keys=True, ensure_ascii=False); f.write("\n")
    expected["fixtures"][name] = {"errors": errors, "warnings": warnings}
with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(expected, f, indent=2, sort_keys=True); f.write("\n")
print(f"wrote {len(fixtures)} fixtures")

# ---------------------------------------------------------------- the demo agency (LifeStoryStorage/Resources/demo)
# The four clean plans in one plainly fictional agency, with an incident on Sam's plan: Dan sent a friend request.
DEMO = os.path.join(HERE, "..", "..", "..", "Sources", "LifeStoryStorage", "Resources", "demo")
os.makedirs(DEMO, exist_ok=True)
demo_agency = {"id": "agency-demo", "name": "Example Four Nations Adoption Partnership (demo)"}
for name, plan in [("demo-eng-sam", eng), ("demo-wls-mia", wls), ("demo-sco-lewis", sco), ("demo-ni-niamh", ni)]:
    p = copy.deepcopy(plan)
    p["agency"] = demo_agency
    if name == "demo-sco-lewis":
        # In force, so Lewis's foster carers have a guide to read (families see only an approved or active plan).
        p["status"] = "active"
    if name == "demo-eng-sam":
        p["incidents"] = [{"id": "inc-1", "occurredOn": "2026-10-14", "scenario": "C1", "contingencyRef": "k-c1", "severity": "S2",
                           "breachType": "unapproved_channel",
                           "summary": "A friend request reached Sam's games-console account from an account using Dan's name. Sam showed Mum straight away.",
                           "personsInvolved": ["p-dan"],
                           "notifications": [{"to": "Priya Sample (child's social worker)", "on": "2026-10-14"},
                                             {"to": "Police (101)", "on": "2026-10-15"}],
                           "evidence": [{"id": "ev-1", "capturedOn": "2026-10-14", "description": "Screenshots of the request and the sender's profile, with the time shown."}]}]
    with open(os.path.join(DEMO, name + ".json"), "w") as f:
        json.dump(archive(p), f, indent=2, sort_keys=True, ensure_ascii=False); f.write("\n")
print("wrote the demo plans")
