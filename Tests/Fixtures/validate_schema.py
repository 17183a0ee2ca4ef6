#!/usr/bin/env python3
"""Checks plan archives against docs/plan-archive.schema.json (JSON Schema draft 2020-12).

    python3 Tests/Fixtures/validate_schema.py            # the fixtures, the example in the docs, broken copies
    python3 Tests/Fixtures/validate_schema.py FILE...    # any archives

With no arguments: every Tests/Fixtures/plans/*.json except expected.json must be valid, so must the example archive
in docs/plan-archive.md, and copies of clean-eng.json broken on purpose (an unknown enum value, a missing required
key, a date that does not exist) must be refused, each for that reason. Prints one line per file; exit status 1 if
anything is not as expected.

Needs the `jsonschema` package (pip install jsonschema). Dates are checked with its FormatChecker, so 2026-02-31 is
refused as Lifestory refuses it. The schema checks shape only; `lifestory check` applies the rules.
"""
import copy
import json
import re
import sys
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCHEMA = ROOT / "docs" / "plan-archive.schema.json"
DOC = ROOT / "docs" / "plan-archive.md"
PLANS = HERE / "plans"


def field_path(error):
    """The error's place as Lifestory names it: plan.orders[2].type."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def problems(validator, archive):
    return sorted(validator.iter_errors(archive), key=lambda e: (field_path(e), e.message))


def describe(error):
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return f"{field_path(error)}: {message}"


def check_valid(validator, name, archive):
    errors = problems(validator, archive)
    if not errors:
        print(f"ok    {name}")
        return True
    print(f"FAIL  {name}: {len(errors)} problem(s); first: {describe(errors[0])}")
    for e in errors[1:10]:
        print(f"        {describe(e)}")
    return False


def check_refused(validator, name, archive, path, keyword):
    """A broken copy must be refused, with an error of `keyword` at `path`."""
    errors = problems(validator, archive)
    hit = [e for e in errors if field_path(e) == path and e.validator == keyword]
    if hit:
        print(f"ok    {name}: refused ({describe(hit[0])})")
        return True
    found = describe(errors[0]) if errors else "it was accepted"
    print(f"FAIL  {name}: expected a '{keyword}' error at {path}; got: {found}")
    return False


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    schema = load(SCHEMA)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    results = []

    if argv:
        for arg in argv:
            try:
                archive = load(arg)
            except (OSError, ValueError) as e:
                print(f"FAIL  {arg}: cannot be read as JSON ({e})")
                results.append(False)
                continue
            results.append(check_valid(validator, arg, archive))
        return 0 if all(results) else 1

    fixtures = sorted(p for p in PLANS.glob("*.json") if p.name != "expected.json")
    if not fixtures:
        print(f"FAIL  no fixtures found in {PLANS}")
        return 1
    for path in fixtures:
        results.append(check_valid(validator, path.name, load(path)))

    block = re.search(r"<!-- example-archive[^>]*-->\s*```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    if block:
        results.append(check_valid(validator, "docs/plan-archive.md example", json.loads(block.group(1))))
    else:
        print("FAIL  docs/plan-archive.md example: no <!-- example-archive --> json block found")
        results.append(False)

    clean = load(PLANS / "clean-eng.json")

    unknown_enum = copy.deepcopy(clean)
    unknown_enum["plan"]["orders"][0]["type"] = "ACA02_S99_MADE_UP"
    results.append(check_refused(validator, "clean-eng.json with an unknown order type", unknown_enum,
                                 "plan.orders[0].type", "enum"))

    missing_key = copy.deepcopy(clean)
    del missing_key["plan"]["arrangements"][0]["mode"]
    results.append(check_refused(validator, "clean-eng.json without arrangements[0].mode", missing_key,
                                 "plan.arrangements[0]", "required"))

    impossible_date = copy.deepcopy(clean)
    impossible_date["plan"]["child"]["dateOfBirth"] = "2026-02-31"
    results.append(check_refused(validator, "clean-eng.json born on 2026-02-31", impossible_date,
                                 "plan.child.dateOfBirth", "format"))

    failed = results.count(False)
    print(f"{len(results) - failed} of {len(results)} as expected" + (f"; {failed} not" if failed else ""))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
