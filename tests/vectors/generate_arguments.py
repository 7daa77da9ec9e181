#!/usr/bin/env python3
"""Writes the bad-argument vectors (tests/vectors/arguments/): the same wrong argument
through Rust, Python and JS gives the same error code and message, because every binding
takes its errors from the core. The expected errors are written here by hand; the three
runners check them.

    python3 tests/vectors/generate_arguments.py
"""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent / "arguments"
DEFAULT_RULES = (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "default_rules.json").read_text(encoding="utf-8")
LEDGER = {"$new": "Ledger"}
written = []


def vector(name, description, call, args, code, message):
    v = {"description": description, "call": call, "args": args,
         "error": {"code": code, "message": message}}
    p = ROOT / f"{name}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"  {json.dumps(k)}: {json.dumps(x, ensure_ascii=False, separators=(',', ':'))}" for k, x in v.items()]
    p.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    written.append(p)


TEXT = "must be text (a string), not "

for kind, value, shown in [("number", 5, "a number"), ("null", None, "null"), ("object", {}, "an object"),
                           ("list", [], "a list"), ("boolean", True, "a boolean")]:
    vector(f"case-is-{kind}", f"A case given as {shown} where JSON text belongs: a wrong type, named by its JSON kind.",
           "route_json", [value], "input_type", f"`case` {TEXT}{shown}")

vector("point-is-number", "A point to locate is JSON text; a number is a wrong type.",
       "locate_json", [5], "input_type", f"`point` {TEXT}a number")
vector("map-crs-is-number", "A coordinate system is named by text (an EPSG number is not taken).",
       "map_json", [4326], "input_type", f"`crs` {TEXT}a number")
vector("map-crs-unknown", "An unknown coordinate system is refused, naming the three.",
       "map_json", ["utm50"], "input", "`crs`: unknown coordinate system `utm50`; valid: wgs84, gcj02, bd09")
vector("open311-call-is-object", "An Open311 call is JSON text; an object is a wrong type.",
       "open311_json", [{}], "input_type", f"`call` {TEXT}an object")
vector("open311-document-is-list", "A document to convert is JSON text; a list is a wrong type.",
       "open311_convert_json", [[]], "input_type", f"`document` {TEXT}a list")
vector("deadline-is-number", "The deadline input is JSON text; a number is a wrong type.",
       "deadline_json", [7], "input_type", f"`deadline` {TEXT}a number")
vector("score-request-is-boolean", "A score request is JSON text; `true` is a wrong type.",
       "score_outcomes_json", [True], "input_type", f"`request` {TEXT}a boolean")
vector("cases-csv-is-list", "A cases CSV is text; a list of rows is a wrong type (the CSV path takes text).",
       "route_csv", [["id"]], "input_type", f"`cases` {TEXT}a list")
vector("contains-outer-is-number", "Both units of `contains` are ids as text; the first is checked first.",
       "contains", [1, "fs-c01"], "input_type", f"`outer` {TEXT}a number")
vector("level-is-number", "A level is named by text; a number is a wrong type.",
       "unit_at_level", ["fs-c01", 5], "input_type", f"`level` {TEXT}a number")
vector("level-unknown", "A level that is not one of the five is a query error naming the valid levels.",
       "unit_at_level", ["fs-c01", "galaxy"], "unknown_level",
       "`galaxy` is not a valid level; expected one of: micro_grid, grid, community, subdistrict, department")
vector("month-thirteen", "A month from 1 to 12: 13 is a value out of range (the first argument checked in order: "
       "the year 2026 is fine).", "simulate_cases_csv", [2026, 13, 1, 0], "input",
       "`month`: 13 is not a whole number from 1 to 12")
vector("year-before-1970", "Simulated years run from 1970: 1969 is out of range.",
       "simulate_cases_csv", [1969, 3, 1, 0], "input", "`year`: 1969 is not a whole number from 1970 to 9999")
vector("count-fraction", "A count is a whole number: 2.5 is refused the same way whether a Python float or a JS "
       "number.", "simulate_cases_csv", [2026, 3, 2.5, 0], "input",
       "`count`: 2.5 is not a whole number from 0 to 10000000")
vector("count-too-many", "At most 10,000,000 cases per simulation call.",
       "simulate_cases_csv", [2026, 3, 10000001, 0], "input",
       "`count`: 10000001 is not a whole number from 0 to 10000000")
vector("seed-negative", "A seed is a whole number from 0 to 2^53 - 1 (the largest a JS number holds exactly).",
       "simulate_cases_csv", [2026, 3, 1, -1], "input",
       "`seed`: -1 is not a whole number from 0 to 9007199254740991")
vector("year-is-text", "A year given as text is a wrong type, not read as a number.",
       "simulate_cases_csv", ["2026", 3, 1, 0], "input_type", "`year` must be a whole number, not text")
vector("backtest-limit-negative", "The limit on listed differences is a whole number from 0 to 4294967295.",
       "backtest_json", ["{}", "[]", -1], "input",
       "`limit`: -1 is not a whole number from 0 to 4294967295")
vector("intake-ledger-is-number", "An engine method that takes a ledger refuses anything else, with the core's "
       "error (not the binding's own).", "intake_json", [5, "{}", None], "input_type",
       "`ledger` must be a gridgov Ledger, not a number")
vector("intake-ledger-is-object", "A plain object is not a ledger.",
       "intake_json", [{"events": []}, "{}", None], "input_type", "`ledger` must be a gridgov Ledger, not an object")
vector("actions-now-is-number", "`now` is RFC 3339 text; a number (a Unix time, say) is a wrong type.",
       "actions_json", [LEDGER, 1772414100], "input_type", f"`now` {TEXT}a number")
vector("actions-now-not-a-time", "`now` that is text but not a time is a value error naming the argument.",
       "actions_json", [LEDGER, "now"], "input",
       "`now`: `now` is not a valid timestamp: expected RFC 3339 with an offset, e.g. `2026-03-02T09:15:00+08:00`")
vector("validate-rules-is-number", "Validating takes the rule set as text.",
       "validate_rules_json", [7], "input_type", f"`rules` {TEXT}a number")
vector("org-summary-is-list", "An org spec is JSON text.",
       "org_summary_json", [[1]], "input_type", f"`org` {TEXT}a list")
vector("engine-org-is-number", "An engine's documents are JSON text (or left out for the defaults).",
       "engine", [5, None, None], "input_type", f"`org` {TEXT}a number")
vector("engine-calendar-is-boolean", "The third document, the calendar, is checked like the others.",
       "engine", [None, None, False], "input_type", f"`calendar` {TEXT}a boolean")

vector("teams-request-is-list", "A request for volunteer teams is JSON text; a list is a wrong type.",
       "suggest_teams_json", [[]], "input_type", f"`request` {TEXT}a list")

print(f"wrote {len(written)} argument vectors")
