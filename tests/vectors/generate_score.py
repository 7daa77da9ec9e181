#!/usr/bin/env python3
"""Writes the inputs and descriptions of the scoring vectors (tests/vectors/score/).

Run from anywhere, then fill in the expected outputs with the Rust runner and review the
diff:

    python3 tests/vectors/generate_score.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors

The vectors run on a four-grid organisation (tests/fixtures/score_org.json: communities
c1 and c2; compounds x1 (g1, g2), x2 (g3) in c1 and x3 (g4) in c2; micro-grids m1-m4 with
100, 50, 200 and 40 households; workers w1, w2, and w3 holding g3 and g4) and a rule set
with a 100-point test scheme (tests/fixtures/score_rules.json):

    on_time_rate       40  full from 90%, minus 2 per 1% short
    closure_rate       20  at least 80%
    satisfaction_rate  20  × the rate
    repeat_rate        10  at most 10%
    visit_coverage     10  full from 50%, in proportion below
    reopened           -1  each, at most -3

Ranking breaks ties by on-time rate, then cases, then id; red and black lists of one;
inactive below 1 report and 1 visited household; zombie after 2 months; common demands
at 3 reports of a category in a compound within 7 days; talent pool: top 1 in 2 of the
last 3 months. Each description says what the vector pins and why the figures are right;
tests/tests/scoring.rs asserts the same figures by hand.
"""

import copy
import json
import pathlib

from vectorlib import write, written

ROOT = pathlib.Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "fixtures"
ORG = json.loads((FIXTURES / "score_org.json").read_text(encoding="utf-8"))
RULES = json.loads((FIXTURES / "score_rules.json").read_text(encoding="utf-8"))

MONDAY = "2026-03-02"  # a working Monday


def scoring(**edits):
    """The rule set with parts of its scoring replaced (a scheme whole; other sections merge)."""
    r = copy.deepcopy(RULES)
    s = r["versions"][0]["scoring"]
    for k, v in edits.items():
        if k != "scheme" and isinstance(v, dict) and isinstance(s.get(k), dict):
            s[k].update(v)
        else:
            s[k] = v
    return r


def items(*extra, drop=()):
    base = [i for i in RULES["versions"][0]["scoring"]["scheme"]["items"]
            if (i.get("indicator") or i.get("penalty")) not in drop]
    return base + list(extra)


def scheme(**edits):
    s = copy.deepcopy(RULES["versions"][0]["scoring"]["scheme"])
    s.update(edits)
    return s


def t(day, hm="09:00", sec="00"):
    """A local time in March 2026 (or a full date `YYYY-MM-DD`)."""
    date = day if "-" in str(day) else f"2026-03-{int(day):02d}"
    return f"{date}T{hm}:{sec}+08:00"


def row(cid, loc="m1", cat="dispute", rep=None, res=None, lvl="grid", due=None, sat=None, **kw):
    r = {"id": cid, "location": loc, "category": cat, "reported_at": rep or t(2)}
    if res:
        r["resolved_at"] = res
        r["resolved_level"] = lvl
    if due:
        r["due"] = due
    if sat is not None:
        r["satisfaction"] = sat
    r.update(kw)
    return r


def ok(cid, loc="m1", day=2, **kw):
    """Reported at 09:00 on a March day, due two days later at 17:30, resolved the next day."""
    kw.setdefault("sat", 5)
    return row(cid, loc, rep=t(day), res=t(day + 1, "10:00"), due=t(day + 2, "17:30"), **kw)


def visits(*pairs, day=3):
    return [{"unit": u, "at": t(day, "10:00"), "households": n} for u, n in pairs]


# Every grid active, g1 best: used as the background of many vectors.
ACTIVE = [ok("a1", "m1"), ok("b1", "m2"), ok("c1", "m3"), ok("d1", "m4")]
FULL_VISITS = visits(("m1", 50), ("m2", 25), ("m3", 100), ("m4", 20))


# The parts of the month's report each vector shows (the request's `include`): the part it
# is about. Vectors about reading tables and ledgers show the whole report.
PARTS = {
    "rewards": ["grids", "rewards"],
    "budget-below-floor": ["grids", "rewards"],
    "floor-zero": ["grids", "rewards"],
    "no-floor": ["grids", "rewards"],
    "demand": ["common_demands"],
    "inactive": ["grids", "inactive", "red_list", "black_list"],
    "zombie": ["grids", "inactive", "red_list", "black_list"],
    "visits-make-active": ["grids", "inactive", "red_list", "black_list"],
    "empty-month": ["grids", "inactive", "red_list", "black_list"],
    "talent-pool": ["talent_pool"],
    "streaks": ["grids", "red_list", "black_list", "first_place"],
    "gap-breaks-streak": ["grids", "red_list", "black_list", "first_place"],
    "history": ["months_read", "grids", "red_list", "black_list", "first_place"],
    "lists-longer-than-grids": ["grids", "red_list", "black_list", "first_place"],
    "worker-two-grids": ["workers"],
    "tie": ["grids", "red_list", "black_list"],
    "in-grid": ["resolved_by_level", "grids"],
}
WHOLE = {"csv-table", "version-per-month", "ledger-outcomes-scored"}


def parts(name):
    if name in WHOLE:
        return None
    for prefix, p in PARTS.items():
        if name == prefix or name.startswith(prefix + "-"):
            return p
    return ["grids"]


def vec(name, why, request, rules=None, entry="score_outcomes", raw=False):
    """A vector; `raw` passes every argument as text, for errors that give a line and column."""
    include = parts(name)
    if include is not None and isinstance(request, dict) and "include" not in request:
        request = {**request, "include": include}
    inputs = {"org": ORG, "rules": rules or RULES, "request": request}
    if raw:
        inputs = {k: json.dumps(v, ensure_ascii=False) for k, v in inputs.items()}
    write(f"score/{name}.json", f"score: {why}", entry, inputs)


def month(outcomes, m="2026-03", **kw):
    return {"month": m, "outcomes": outcomes, **kw}


# ---------------------------------------------------------------- indicators and items

vec("empty-month", "a month with no rows: every grid is inactive (no report, no visit), so none is ranked (rank 0, in the organisation's order) and no list names one. Items without data earn nothing: the only indicator measured is visit coverage (0 of the households), so each grid scores 0.00, never the 90.00 of free points the old `when_empty: full` gave.",
    month([]))
vec("on-time-at-deadline", "resolved at exactly its deadline (17:30:00) is on time (resolved <= due): on_time_rate 1.0000 and 40 points; closure 1.0000.",
    month([row("a", rep=t(2), res=t(4, "17:30"), due=t(4, "17:30"), sat=5)], visits=visits(("m1", 50))))
vec("one-second-late", "resolved one second after its deadline is overdue: on_time_rate 0.0000, 40 − 2 × 90 points short is below zero, so the item gives 0.00; the counts show due 1, on_time 0.",
    month([row("a", rep=t(2), res=t(4, "17:30", "01"), due=t(4, "17:30"), sat=5)], visits=visits(("m1", 50))))
vec("due-next-month", "a case reported on 30 March and due on 1 April is not due in March: on_time_rate is empty, so its 40 points are left out (item null) and the other 60 scaled to 100; it is open at the month's end, so closure_rate 0.0000 and 0 of 20 points; repeats 10 of 10 and visits 0 of 10: 10 of 60 → 16.67.",
    month([row("a", rep=t(30), due=t("2026-04-01", "17:30"))]))
vec("resolved-next-month", "a case due on 12 March and resolved on 1 April: due and overdue in March (on_time 0), not closed by March's end (closure 0), and not among March's resolutions (no satisfaction counted).",
    month([row("a", rep=t(10), due=t(12, "17:30"), res=t("2026-04-01", "09:00"), sat=5)]))
vec("paused-left-out", "a paused case due in the month is left out of the on-time rate (paused 1, due 0; the rate is empty and its 40 points are left out, the others scaled up).",
    month([row("a", rep=t(2), due=t(4, "17:30"), paused=True), ok("b")]))
vec("closure-at-threshold", "4 of 5 cases closed is exactly 80%: `at_least` holds at equality, 20 points.",
    month([ok(f"a{i}") for i in range(4)] + [row("a9", rep=t(20))]))
vec("closure-below-threshold", "3 of 4 closed is 75%, below 80%: 0 of 20 points.",
    month([ok(f"a{i}") for i in range(3)] + [row("a9", rep=t(20))]))
vec("linear-short", "8 of 9 on time is 0.8889 (to four places), 1.11 points short of 90%: 40 − 2 × 1.11 = 37.78.",
    month([ok(f"a{i}") for i in range(8)] + [row("a9", rep=t(2), due=t(4, "17:30"), res=t(5), sat=5)]))
vec("linear-floor", "1 of 2 on time is 50%: 40 − 2 × 40 is negative, the item stops at 0.00.",
    month([ok("a1"), row("a2", rep=t(2), due=t(4, "17:30"), res=t(5), sat=5)]))
vec("rate-rounding", "satisfaction 2 of 3 is 0.6667 (rounded half up to four places) and earns 20 × 0.6667 = 13.334, printed 13.33; g2's 1 of 3 is 0.3333 → 6.666 → 6.67.",
    month([ok("a1", sat=5), ok("a2", sat=5), ok("a3", sat=1), ok("b1", "m2", sat=5), ok("b2", "m2", sat=2), ok("b3", "m2", sat=2)]))
vec("half-away-one-place", "with one decimal place, 13 of 16 satisfied is 0.8125 and earns 16.25, printed 16.3 (half away from zero).",
    month([ok(f"a{i}", sat=5) for i in range(13)] + [ok(f"a{i}", sat=1) for i in range(13, 16)]),
    rules=scoring(scheme=scheme(places=1)))
vec("at-most-boundary", "1 repeat among 10 reports is a repeat rate of exactly 10%: `at_most` holds at equality, 10 points.",
    month([ok(f"a{i}") for i in range(9)] + [row("r1", rep=t(3), repeat_of="a0")]))
vec("at-most-over", "2 repeats among 11 reports is 0.1818, above 10%: 0 points.",
    month([ok(f"a{i}") for i in range(9)] + [row("r1", rep=t(3), repeat_of="a0"), row("r2", rep=t(3), repeat_of="a1")]))
vec("proportional-visits", "25 of m1's 100 households visited is 25%, half of the 50% that earns the full 10: 5.00; g2 visited 40 of 50 (80%): full 10.",
    month([ok("a1"), ok("b1", "m2")], visits=visits(("m1", 25), ("m2", 40))))
vec("visits-capped", "150 visits in a grid of 100 households count as coverage 1.0000 (capped); visits to a micro-grid count for its grid.",
    month([ok("a1")], visits=visits(("m1", 100), ("m1", 50), ("g1", 0))))
vec("penalty-max", "five reopenings deduct 1 each but at most 3: the item is -3.00.",
    month([ok("a1", reopened=2), ok("a2", reopened=3)], visits=visits(("m1", 50))))
vec("floor-zero", "penalties of 30 per failed inspection push the score below zero; the scheme's floor 0 stops it at 0.00.",
    {**month([row("a", rep=t(20))]), "inspections": [{"grid": "g1", "month": "2026-03", "failed": 5}]},
    rules=scoring(scheme=scheme(items=items({"penalty": "failed_inspections", "points": 30}))))
vec("no-floor", "the same without a floor: the score is negative (-60.00 for g1).",
    {**month([row("a", rep=t(20))]), "inspections": [{"grid": "g1", "month": "2026-03", "failed": 5}]},
    rules=scoring(scheme={k: v for k, v in scheme(items=items({"penalty": "failed_inspections", "points": 30})).items() if k != "floor"}))
vec("missing-zero", "with the scheme's when_missing zero, an indicator with nothing to measure earns 0 and keeps its weight: g1's case is open and not due (on time and satisfaction empty: 0.00 each), closure 0, repeats 10, visits 5 of 10: 15.00 of 100. g2 to g4 have no case and no visit: inactive, unranked.",
    month([row("a1", rep=t(30), due=t("2026-04-01", "17:30"))], visits=visits(("m1", 25))), rules=scoring(scheme=scheme(when_missing="zero")))
vec("missing-left-out", "the same month with when_missing left_out: on time (40) and satisfaction (20) are left out (items null) and the 40 points measured are scaled to 100: 15 of 40 → 37.50.",
    month([row("a1", rep=t(30), due=t("2026-04-01", "17:30"))], visits=visits(("m1", 25))))
vec("missing-not-evaluable", "the same month with the on-time item set to not_evaluable (the others left out): g1 has no case due, so it is not evaluable: score null, rank 0, on no list; the other items are still shown as earned.",
    month([row("a1", rep=t(30), due=t("2026-04-01", "17:30"))], visits=visits(("m1", 25))),
    rules=scoring(scheme=scheme(items=[{**i, "when_missing": "not_evaluable"} if i.get("indicator") == "on_time_rate" else i for i in RULES["versions"][0]["scoring"]["scheme"]["items"]])))
vec("missing-item-overrides-scheme", "the scheme says zero but the satisfaction item says left_out: g1 (open, not due) scores on time 0 of 40, satisfaction left out, closure 0, repeats 10, visits 5: 15 of 80 → 18.75.",
    month([row("a1", rep=t(30), due=t("2026-04-01", "17:30"))], visits=visits(("m1", 25))),
    rules=scoring(scheme=scheme(when_missing="zero", items=[{**i, "when_missing": "left_out"} if i.get("indicator") == "satisfaction_rate" else i for i in RULES["versions"][0]["scoring"]["scheme"]["items"]])))
vec("satisfaction-threshold", "satisfied means 4 or more: evaluations 4 and 3 give a satisfaction rate of 0.5000 and a mean of 3.5000.",
    month([ok("a1", sat=4), ok("a2", sat=3)]))
vec("satisfied-at-least-5", "with satisfied_at_least 5, a 4 no longer counts: the rate is 0.5000 for evaluations 5 and 4.",
    month([ok("a1", sat=5), ok("a2", sat=4)]), rules=scoring(satisfied_at_least=5))
vec("timely-acceptance", "the acceptance limit is 1 working hour from the report: accepted at 10:00 for a 09:00 report is timely; at 10:01 is not; a Friday 17:00 report accepted Monday 08:59 is timely (17:00-17:30 then 08:30-09:00 is one working hour). Rate 2 of 3 = 0.6667.",
    month([row("a1", rep=t(2), accepted_at=t(2, "10:00")), row("a2", rep=t(3), accepted_at=t(3, "10:01")),
           row("a3", rep=t(6, "17:00"), accepted_at=t(9, "08:59"))]))
vec("in-grid", "resolutions at micro_grid and grid level are in the grid, at community level not: in_grid_rate 2 of 3 = 0.6667; resolved_by_level counts each level.",
    month([ok("a1", lvl="micro_grid"), ok("a2", lvl="grid"), ok("a3", lvl="community")]))
vec("counters", "returned (2 times, 1 case), escalated (3), shelved (1) are counted in the month reported; return_rate 1 of 2 = 0.5000.",
    month([ok("a1", returned=2, escalated=1), row("a2", rep=t(3), escalated=2, shelved=True)]))
vec("repeats-not-cases", "a repeat report (repeat_of) counts as a report but not a case: reports 2, cases 1, repeats 1; its own resolution fields are ignored.",
    month([ok("a1"), row("r1", rep=t(3), res=t(3, "12:00"), sat=1, repeat_of="a1")]))
vec("weighted-scheme", "a weighted sum: 50 × on-time rate + 25 × mean satisfaction ÷ 5 + 25 × (1 − repeat rate): on time 1 of 2, mean 4.5, 1 repeat in 3 reports (0.3333) → 25 + 22.5 + 16.6675 = 64.17 (16.67 shown for the third item).",
    month([ok("a1", sat=5), row("a2", rep=t(2), due=t(4, "17:30"), res=t(6), sat=4), row("r1", rep=t(3), repeat_of="a1")]),
    rules=scoring(scheme=scheme(items=[{"indicator": "on_time_rate", "points": 50}, {"indicator": "satisfaction_mean", "points": 25},
                                       {"indicator": "repeat_rate", "points": 25}])))
vec("places-zero", "with places 0, scores print as whole numbers, half away from zero (37.78 → 38).",
    month([ok(f"a{i}") for i in range(8)] + [row("a9", rep=t(2), due=t(4, "17:30"), res=t(5), sat=5)]),
    rules=scoring(scheme=scheme(places=0)))
vec("places-four", "with places 4: 40 − 2 × 1.11 = 37.7800.",
    month([ok(f"a{i}") for i in range(8)] + [row("a9", rep=t(2), due=t(4, "17:30"), res=t(5), sat=5)]),
    rules=scoring(scheme=scheme(places=4)))
vec("time-limit-counted", "a row with a time limit and no due: 2 working days from Friday 6 March 15:00 runs to Tuesday 10 March 15:00; resolved then it is on time.",
    month([row("a", rep=t(6, "15:00"), time_limit="2 working days", res=t(10, "15:00"), sat=5)]))
vec("failed-inspections", "two failed inspections in March with a penalty of 5 each: -10.00; an inspection of February does not count in March.",
    {**month(ACTIVE, visits=FULL_VISITS), "inspections": [{"grid": "g2", "month": "2026-03", "failed": 2}, {"grid": "g2", "month": "2026-02", "failed": 7}]},
    rules=scoring(scheme=scheme(items=items({"penalty": "failed_inspections", "points": 5}))))
vec("lower-better-linear", "repeat_rate full at 10% or less, minus 1 point per 1% above: 2 repeats in 11 reports is 0.1818, 8.18 points over, 10 − 8.18 = 1.82.",
    month([ok(f"a{i}") for i in range(9)] + [row("r1", rep=t(3), repeat_of="a0"), row("r2", rep=t(3), repeat_of="a1")]),
    rules=scoring(scheme=scheme(items=items({"indicator": "repeat_rate", "points": 10, "full_at": "10%", "minus": 1}, drop=("repeat_rate",)))))

# ---------------------------------------------------------------- the embedded default

FUSHAN_TWO = {
    "month": "2026-03",
    "include": ["ranking", "red_list", "black_list", "first_place"],
    "outcomes": [
        {"id": "fs-a", "location": "fs-c01-g01-m1", "category": "neighbour_dispute", "channel": "hotline",
         "reported_at": "2026-03-02T09:00:00+08:00", "due": "2026-03-05T17:30:00+08:00",
         "resolved_at": "2026-03-03T10:00:00+08:00", "resolved_level": "grid", "satisfaction": 5},
        {"id": "fs-b", "location": "fs-c01-g02-m1", "category": "neighbour_dispute", "channel": "hotline",
         "reported_at": "2026-03-02T09:00:00+08:00", "due": "2026-03-05T17:30:00+08:00"},
    ],
}
write("score/fushan-two-active-grids.json",
      "score: the embedded default, March 2026, two active grids: fs-c01-g01 resolved its one case in the grid on time and the resident was satisfied; fs-c01-g02's one case is still open past its deadline. Only these two are ranked: fs-c01-g01 first (on time 24 + closure 12 + in grid 12 + satisfaction 16 + visits 0 of 8 + call-back 0 of 5 (its resolved case was not called back) = 64 of the 77 points measured; timely acceptance, petition acceptance, supervision and verification left out: 83.12; before the closed loop joined the scheme, 80 of 90 = 88.89), fs-c01-g02 second (0.00: on time, closure and in grid 0, satisfaction and acceptance left out). The other 148 grids did nothing: inactive, unranked, on no list. With two ranked grids, the lists of five and five share them: fs-c01-g01 on the red list, fs-c01-g02 on the black list. Before this, the 148 idle grids scored 90.00 of free points and fs-c01-g02 (45.00) was ranked 2nd and commended on the red list.",
      "score_outcomes", {"request": FUSHAN_TWO})


def fs_row(cid, office, rep, due, res=None, sat=None, **kw):
    r = {"id": cid, "location": "fs-c01-g01-m1", "category": "neighbour_dispute", "channel": "hotline",
         "reported_at": rep, "due": due, "office": office}
    if res:
        r["resolved_at"] = res
        r["resolved_level"] = "department"
    if sat is not None:
        r["satisfaction"] = sat
    r.update(kw)
    return r


OFFICE_ROWS = [
    fs_row("p1", "police_work_office", "2026-03-02T09:00:00+08:00", "2026-03-03T17:30:00+08:00", "2026-03-03T10:00:00+08:00", 5),
    fs_row("p2", "police_work_office", "2026-03-04T09:00:00+08:00", "2026-03-05T17:30:00+08:00", "2026-03-05T10:00:00+08:00", 4),
    fs_row("j1", "judicial_office", "2026-03-02T09:00:00+08:00", "2026-03-05T17:30:00+08:00"),
    fs_row("j2", "judicial_office", "2026-03-02T09:00:00+08:00", "2026-03-05T17:30:00+08:00", "2026-03-10T10:00:00+08:00", 2, reopened=1),
    fs_row("q1", "petitions_office", "2026-03-30T09:00:00+08:00", "2026-04-20T17:30:00+08:00"),
]
write("score/fushan-offices.json",
      "score: offices are scored on the cases they led, under the default office scheme (on time 50 from 90% minus 1 per point short, closure 20 at 90%, satisfaction 30, 2 per reopening up to 10). police_work_office: 2 of 2 on time, closed and satisfied: 100.00, rank 1. judicial_office: 0 of 2 on time (0), 1 of 2 closed (0), 0 of 1 satisfied (0), one reopening: 0 − 2, floored at 0.00, rank 2. petitions_office: its one case is open and not yet due: on time and satisfaction left out, closure 0 of 20: 0.00 scaled, rank 3 (fewer cases than judicial_office). comprehensive_governance_office and duty_lawyer_desk led nothing: inactive, not evaluable, unranked.",
      "score_outcomes", {"request": {"month": "2026-03", "include": ["office_scheme_items", "offices"], "outcomes": OFFICE_ROWS}})
write("score/unknown-office.json",
      "score: an outcome row naming an office the organisation does not have is refused, naming the row, the column and the valid offices.",
      "score_outcomes", {"request": {"month": "2026-03", "outcomes": [fs_row("x1", "city_hall", "2026-03-02T09:00:00+08:00", "2026-03-03T17:30:00+08:00")]}})


vec("by-channel-declared", "a rule set declaring its own channels (`12345 hotline`, `微信`): the month's counts by channel list those, in the rule set's order, then the row without a channel as `unknown`.",
    {**month([ok("a1", channel="微信"), ok("a2", channel="微信"), ok("b1", "m2", channel="12345 hotline"), ok("c1", "m3")]), "include": ["by_channel"]},
    rules={**RULES, "channels": [{"id": "12345 hotline"}, {"id": "微信"}]})
vec("unknown-channel-row", "an outcome row with a channel the rule set does not declare is refused, naming the row, the column and the valid channels.",
    month([ok("a1", channel="fax")]))


# ---------------------------------------------------------------- ranking

vec("tie-on-time-rate", "g1 (19 of 20 on time, 95%) and g2 (1 of 1) both earn the full 40 and tie on score; g2 ranks first on the higher on-time rate.",
    month([ok(f"a{i}") for i in range(19)] + [row("a19", rep=t(2), due=t(4, "17:30"), res=t(5), sat=5), ok("b1", "m2")],
          visits=visits(("m1", 50), ("m2", 25))))
vec("tie-cases", "g1 and g2 tie on score and on-time rate (1.0000); g1 has more cases (3 against 1) and ranks first.",
    month([ok("a1"), ok("a2"), ok("a3"), ok("b1", "m2")], visits=visits(("m1", 50), ("m2", 25))))
vec("tie-id", "g1 and g2 identical in every respect: the id decides, g1 first.",
    month([ok("a1"), ok("b1", "m2")], visits=visits(("m1", 50), ("m2", 25))))
vec("tie-break-id-only", "with tie_break [id], g1 ranks before g2 even though g2 has more cases.",
    month([ok("a1"), ok("b1", "m2"), ok("b2", "m2")], visits=visits(("m1", 50), ("m2", 25))),
    rules=scoring(ranking={"tie_break": ["id"]}))
vec("inactive-last", "g4 has no report and no visit: inactive, so it is not ranked (rank 0, listed after the ranked grids) and on no list; its score is 0.00, visit coverage being the only indicator measured.",
    month([ok("a1", sat=1), ok("b1", "m2"), ok("c1", "m3")], visits=visits(("m1", 50), ("m2", 25), ("m3", 100))))
vec("inactive-last-is-gone", "`ranking.inactive_last` is no longer a setting (an inactive grid is never ranked): the rule set is refused, naming the field.",
    month([ok("a1")]), rules=scoring(ranking={"inactive_last": False, "red_list": 2}), raw=True)
vec("lists-longer-than-grids", "a red list of 3 and a black list of 3 with 4 ranked grids: fewer than both lists together, so they share the ranked grids in proportion, 2 red (rounded up) and 2 black; they never meet.",
    month(ACTIVE, visits=FULL_VISITS), rules=scoring(ranking={"red_list": 3, "black_list": 3}))


def feb(cid, loc, **kw):
    r = {"id": cid, "location": loc, "category": "dispute", "reported_at": "2026-02-02T09:00:00+08:00",
         "resolved_at": "2026-02-03T10:00:00+08:00", "resolved_level": "grid", "due": "2026-02-04T17:30:00+08:00", "satisfaction": 5}
    r.update(kw)
    return r


def jan(cid, loc, **kw):
    return feb(cid, loc, reported_at="2026-01-05T09:00:00+08:00", resolved_at="2026-01-06T10:00:00+08:00",
               due="2026-01-07T17:30:00+08:00", **kw)


def mvisits(m, *pairs):
    return [{"unit": u, "at": f"{m}-03T10:00:00+08:00", "households": n} for u, n in pairs]


ALL_VISITS = (("m1", 50), ("m2", 25), ("m3", 100), ("m4", 20))
vec("history-change", "February and March: g2 was first in February (g1 had a dissatisfied resident) and g1 is first in March; g1's change is +1, g2's -1; months_read lists both.",
    month([feb("fa", "m1", satisfaction=1), feb("fb", "m2"), feb("fc", "m3", satisfaction=3), feb("fd", "m4", satisfaction=2)] + ACTIVE[:1]
          + [ok("b1", "m2", sat=4), ok("c1", "m3", sat=3), ok("d1", "m4", sat=2)],
          visits=mvisits("2026-02", *ALL_VISITS) + FULL_VISITS))
vec("streaks", "g1 first in January, February and March: red_streak 3 and first_place 3 months; g4 last all three months: black_streak 3.",
    month([jan("ja", "m1"), jan("jb", "m2", satisfaction=4), jan("jc", "m3", satisfaction=3), jan("jd", "m4", satisfaction=1),
           feb("fa", "m1"), feb("fb", "m2", satisfaction=4), feb("fc", "m3", satisfaction=3), feb("fd", "m4", satisfaction=1),
           ok("a1"), ok("b1", "m2", sat=4), ok("c1", "m3", sat=3), ok("d1", "m4", sat=1)],
          visits=mvisits("2026-01", *ALL_VISITS) + mvisits("2026-02", *ALL_VISITS) + FULL_VISITS))
vec("gap-breaks-streak", "data in January and March but none in February: February is not ranked, so g1's streak and first place count 1; months_read is January and March; no previous rank.",
    month([jan("ja", "m1"), jan("jb", "m2", satisfaction=1), ok("a1"), ok("b1", "m2", sat=1)],
          visits=mvisits("2026-01", ("m1", 50), ("m2", 25)) + visits(("m1", 50), ("m2", 25))))
vec("history-zero", "history 0 reads March alone: February's data is ignored, no previous rank, streaks of 1.",
    {**month([feb("fa", "m1"), ok("a1")]), "history": 0})
V2 = copy.deepcopy(RULES)
V2["versions"].append({**copy.deepcopy(RULES["versions"][0]), "name": "v2", "effective_from": "2026-03-01"})
V2["versions"][1]["scoring"]["scheme"] = scheme(name="v2-closure-only", items=[{"indicator": "closure_rate", "points": 100}])
vec("version-per-month", "a second version from 1 March scores by closure alone: March uses v2 (scheme v2-closure-only, 100.00 for a closed case), while February was ranked under v1.",
    month([feb("fa", "m1"), feb("fb", "m2", satisfaction=1), ok("a1"), row("b1", "m2", rep=t(3))],
          visits=mvisits("2026-02", ("m1", 50), ("m2", 25))), rules=V2)

# ---------------------------------------------------------------- inactive and zombie grids

vec("visits-make-active", "g2 has no report but 10 households visited: it is active; g3 and g4 (nothing) are inactive.",
    month([ok("a1")], visits=visits(("m2", 10))))
vec("zombie", "g4 had no report and no visit in January, February and March while the others worked: inactive 3 months in a row, a zombie grid (zombie_after 2); g3 inactive in March only is not.",
    month([jan("ja", "m1"), jan("jc", "m3"), feb("fa", "m1"), feb("fc", "m3"), ok("a1"), ok("b1", "m2")],
          visits=mvisits("2026-01", ("m2", 5)) + mvisits("2026-02", ("m2", 5))))
vec("inactive-min-cases", "with min_cases 2 and min_visits 30, g1 with one case and 20 households visited is inactive; g2 with 2 cases is active.",
    month([ok("a1"), ok("b1", "m2"), ok("b2", "m2")], visits=visits(("m1", 20))),
    rules=scoring(inactive={"min_cases": 2, "min_visits": 30, "zombie_after": 2}))

# ---------------------------------------------------------------- common demands

WEEK_END = "2026-04-01T00:00:00+08:00"
vec("demand-at-threshold", "3 reports of `hazard` in compound x1 (g1 and g2) within the 7 days before the month's end: one recommendation listing the three cases oldest first.",
    month([row("h1", "m1", "hazard", rep=t(26)), row("h2", "m2", "hazard", rep=t(27)), row("h3", "m1", "hazard", rep=t(25)), row("h4", "m3", "hazard", rep=t(27))]))
vec("demand-below", "2 reports of `hazard` in x1 and 1 in x2: below 3 in every compound, no recommendation.",
    month([row("h1", "m1", "hazard", rep=t(26)), row("h2", "m2", "hazard", rep=t(27)), row("h4", "m3", "hazard", rep=t(27))]))
vec("demand-window-edge", "the window is [25 March 00:00, 1 April 00:00): a report at exactly 25 March 00:00:00 counts, one at 24 March 23:59:59 does not; 3 counted.",
    month([row("h1", "m1", "hazard", rep=t(25, "00:00")), row("h0", "m1", "hazard", rep=t(24, "23:59", "59")),
           row("h2", "m1", "hazard", rep=t(28)), row("h3", "m2", "hazard", rep=t(31, "23:59", "59"))]))
vec("demand-community", "with area community, x1 and x2 count together in c1: 3 reports of `other`.",
    month([row("o1", "m1", "other", rep=t(26)), row("o2", "m3", "other", rep=t(27)), row("o3", "m2", "other", rep=t(28))]),
    rules=scoring(common_demands={"area": "community"}))
vec("demand-repeats-count", "repeat reports count toward common demands: a case and two repeats of it make 3.",
    month([row("h1", "m1", "hazard", rep=t(26)), row("h2", "m1", "hazard", rep=t(27), repeat_of="h1"), row("h3", "m1", "hazard", rep=t(28), repeat_of="h1")]))

# ---------------------------------------------------------------- rewards

vec("rewards-share", "a budget of 1,000,000 fen split by printed score: each grid's share is its score ÷ the sum of scores, rounded down to the fen, the fen left over to the largest remainders; the allocations add up to the budget.",
    month(ACTIVE[:1] + [ok("b1", "m2", sat=4), ok("c1", "m3", sat=3), ok("d1", "m4", sat=1)], visits=FULL_VISITS, budget_fen=1000000))
vec("rewards-remainder", "100 fen among three grids with equal scores: 33 each and the one fen left goes to the best rank (34, 33, 33); the inactive g4 gets nothing.",
    month([ok("a1"), ok("b1", "m2"), ok("c1", "m3")], visits=visits(("m1", 50), ("m2", 25), ("m3", 100)), budget_fen=100))
vec("rewards-floor", "a floor of 10,000 fen: each active grid gets it first, the rest by score.",
    month(ACTIVE[:1] + [ok("b1", "m2", sat=4), ok("c1", "m3", sat=3), ok("d1", "m4", sat=1)], visits=FULL_VISITS, budget_fen=100000),
    rules=scoring(rewards={"floor_fen": 10000}))
vec("budget-below-floor", "a budget of 30,000 fen cannot pay a floor of 10,000 to each of 4 grids: budget_below_floor, naming the figures.",
    month(ACTIVE, visits=FULL_VISITS, budget_fen=30000), rules=scoring(rewards={"floor_fen": 10000}))
vec("rewards-tiers", "tiers: rank 1 weight 3, ranks 2-3 weight 1, rank 4 outside every tier weight 0: 1000 fen → 600, 200, 200, 0.",
    month(ACTIVE[:1] + [ok("b1", "m2", sat=4), ok("c1", "m3", sat=3), ok("d1", "m4", sat=1)], visits=FULL_VISITS, budget_fen=1000),
    rules=scoring(rewards={"method": "tiers", "tiers": [{"top": 1, "weight": 3}, {"top": 3, "weight": 1}]}))
vec("rewards-zero-scores", "every score 0.00 (when_missing zero, nothing to measure, no visits but each grid has a report): the budget is split equally, 250 each of 1000.",
    month([row("a", "m1", rep=t(30)), row("b", "m2", rep=t(30)), row("c", "m3", rep=t(30)), row("d", "m4", rep=t(30))], budget_fen=1000),
    rules=scoring(scheme=scheme(when_missing="zero", items=[{"indicator": "on_time_rate", "points": 100}])))
vec("rewards-never-inactive", "the inactive g4 takes no share of the budget (there is no setting that gives it one): 1000 fen among g1 to g3 only.",
    month([ok("a1"), ok("b1", "m2"), ok("c1", "m3")], visits=visits(("m1", 50), ("m2", 25), ("m3", 100)), budget_fen=1000))
vec("rewards-no-eligible", "every grid inactive: nothing is allocated (allocated_fen 0, no allocations).",
    month([], budget_fen=1000))
vec("rewards-zero-budget", "a budget of 0 fen gives every eligible grid 0.",
    month(ACTIVE, visits=FULL_VISITS, budget_fen=0))

# ---------------------------------------------------------------- talent pool

vec("talent-pool", "w1 ranked first in January and March but not February (w2 was): 2 of the last 3 months, in the pool; w2 once, not.",
    month([jan("ja", "m1"), jan("jb", "m2", satisfaction=1), feb("fa", "m1", satisfaction=1), feb("fb", "m2"), ok("a1"), ok("b1", "m2", sat=1)],
          visits=mvisits("2026-01", ("m1", 50), ("m2", 25)) + mvisits("2026-02", ("m1", 50), ("m2", 25)) + visits(("m1", 50), ("m2", 25))))
vec("worker-two-grids", "w3 holds g3 and g4: the worker's counts add both grids (2 cases, 240 households), scored as one.",
    month([ok("c1", "m3"), ok("d1", "m4", sat=2)], visits=visits(("m3", 100), ("m4", 20))))

# ---------------------------------------------------------------- inputs

SAME = [ok("a1", channel="app"), row("a2", "m2", "hazard", rep=t(3), res=t(3, "15:00"), lvl="community", sat=3, channel="hotline",
                                     time_limit="1 working day", accepted_at=t(3, "09:20"), returned=1)]
vec("json-table", "a two-row table given as JSON rows; score/csv-table.json gives the same rows as CSV and must print the same report.",
    month(SAME))
CSV = ("id,location,category,channel,reported_at,accepted_at,resolved_at,resolved_level,satisfaction,time_limit,due,returned\n"
       f"a1,m1,dispute,app,{t(2)},,{t(3, '10:00')},grid,5,,{t(4, '17:30')},\n"
       f"a2,m2,hazard,hotline,{t(3)},{t(3, '09:20')},{t(3, '15:00')},community,3,1 working day,,1\n")
vec("csv-table", "the rows of score/json-table.json as CSV: the same report, byte for byte.",
    {"month": "2026-03", "outcomes_csv": CSV})
vec("csv-quoted-bom-crlf", "CSV with a byte-order mark, CRLF line ends, columns in another order, quoted fields (one with a doubled quote is not needed: ids cannot hold quotes) and padding spaces that are trimmed.",
    {"month": "2026-03", "outcomes_csv": "\ufeffreported_at,category,location,id,resolved_at,resolved_level,time_limit,satisfaction\r\n"
     f"{t(2)},dispute, m1 ,\"a-1\",{t(3)},grid,\"2 working days\",5\r\n"})
vec("csv-unknown-column", "a CSV header with an unknown column `mood`: outcome_row error at the header (line 1) listing the columns.",
    {"month": "2026-03", "outcomes_csv": "id,location,category,reported_at,mood\n"})
vec("csv-missing-column", "a CSV header without `reported_at`: outcome_row error naming the column.",
    {"month": "2026-03", "outcomes_csv": "id,location,category\na,m1,dispute\n"})
vec("csv-field-count", "a CSV line with one field too many: row 2 (line 3).",
    {"month": "2026-03", "outcomes_csv": f"id,location,category,reported_at\na,m1,dispute,{t(2)}\nb,m1,dispute,{t(2)},x\n"})
vec("csv-bad-time", "a CSV time without its offset: row 1 (line 2), column resolved_at, saying what a valid time looks like.",
    {"month": "2026-03", "outcomes_csv": f"id,location,category,reported_at,resolved_at,resolved_level\na,m1,dispute,{t(2)},2026-03-03 10:00,grid\n"})
vec("csv-bad-flag", "a CSV `paused` of `maybe`: the valid spellings are listed.",
    {"month": "2026-03", "outcomes_csv": f"id,location,category,reported_at,paused\na,m1,dispute,{t(2)},maybe\n"})
vec("csv-unknown-category-line", "an unknown category in the third data row of a CSV with a blank line before it: the error names row 3 and its line, 5.",
    {"month": "2026-03", "outcomes_csv": f"id,location,category,reported_at\na,m1,dispute,{t(2)}\nb,m1,dispute,{t(2)}\n\nc,m1,noise,{t(2)}\n"})
vec("unknown-location", "a location that is not a unit: outcome_row error at row 1, column location.",
    month([row("a", "m9")]))
vec("location-not-in-grid", "a community is not in a grid: give a grid, a micro-grid or a building.",
    month([row("a", "c1")]))
vec("unknown-category", "a category the rule set does not have: the valid categories are listed.",
    month([row("a", cat="noise")]))
vec("resolved-before-reported", "a resolution before the report is refused.",
    month([row("a", rep=t(3), res=t(2))]))
vec("level-without-time", "a resolved_level without resolved_at is refused: give both.",
    month([{**row("a"), "resolved_level": "grid"}]))
vec("paused-and-resolved", "a paused case cannot have a resolution.",
    month([row("a", res=t(3), paused=True)]))
vec("satisfaction-six", "a satisfaction of 6 is outside 1 to 5.",
    month([row("a", res=t(3), sat=6)]))
vec("accepted-before-reported", "taken in before it was reported is refused.",
    month([row("a", rep=t(3), accepted_at=t(2))]))
vec("both-tables", "giving both `outcomes` and `outcomes_csv` is an input error: one of the two.",
    {"month": "2026-03", "outcomes": [], "outcomes_csv": "id,location,category,reported_at\n"})
vec("no-table", "giving neither `outcomes` nor `outcomes_csv` is an input error.",
    {"month": "2026-03"})
vec("bad-month", "month `2026-13` is not a month: YYYY-MM from 1970-01 to 9999-12.",
    {"month": "2026-13", "outcomes": []}, raw=True)
vec("history-too-long", "a history of 121 months is more than the 120 a request may read.",
    {"month": "2026-03", "outcomes": [], "history": 121})
vec("unknown-request-field", "an unknown request field `budget` (the field is budget_fen) is a json error naming it.",
    {"month": "2026-03", "outcomes": [], "budget": 100}, raw=True)
vec("inspection-bad-month", "an inspection month `March` is refused, naming the inspections table and row.",
    {"month": "2026-03", "outcomes": [], "inspections": [{"grid": "g1", "month": "March", "failed": 1}]})
vec("visit-unknown-unit", "a visit to an unknown unit is refused, naming the visits table, row and column.",
    {"month": "2026-03", "outcomes": [], "visits": [{"unit": "m1", "at": t(2), "households": 3}, {"unit": "zz", "at": t(2), "households": 3}]})

# ---------------------------------------------------------------- from a ledger


def ev(case, at, actor, event):
    r = {"at": at, "actor": actor, "event": event}
    if case is not None:
        r = {"case": case, **r}
    return r


def assignment(unit, handler, due, level="grid", limit="2 working days"):
    return {"level": level, "unit": unit, "handler": handler, "time_limit": limit, "due": due, "grade": "minor", "rule": "v1/routing/dispute"}


def lcase(cid, loc, at):
    return ev(cid, at, "w1", {"type": "reported", "case": {"id": cid, "channel": "visit", "category": "dispute", "location": loc, "reported_at": at}})


LEDGER = {"format": 1, "events": [
    lcase("l1", "m1", t(2)),
    ev("l1", t(2, "09:10"), "w1", {"type": "assigned", "assignment": assignment("g1", "w1", t(4, "09:00"))}),
    ev("l1", t(3, "10:00"), "w1", {"type": "resolved", "level": "grid", "how": "调解"}),
    ev("l1", t(3, "12:00"), "resident", {"type": "evaluated", "satisfaction": 5}),
    lcase("l2", "m2", t(2, "11:00")),
    ev("l2", t(2, "11:30"), "w2", {"type": "assigned", "assignment": assignment("g2", "w2", t(4, "11:00"))}),
    lcase("l3", "m2", t(2, "15:00")),
    ev("l3", t(2, "15:00"), "system", {"type": "merged", "into": "l2"}),
    ev("l2", t(3, "09:00"), "w2", {"type": "paused", "reason": "等待当事人"}),
    ev("l2", t(5, "09:00"), "w2", {"type": "resumed"}),
    ev("l2", t(5, "16:00"), "w2", {"type": "resolved", "level": "grid", "how": "调解"}),
    lcase("l4", "m3", t(9)),
    ev("l4", t(9, "09:30"), "w3", {"type": "assigned", "assignment": assignment("g3", "w3", t(11, "09:00"))}),
    ev(None, t(10, "10:00"), "w1", {"type": "visited", "unit": "m1", "households": 30}),
]}
write("score/ledger.json",
      "score: a month scored from a ledger: l1 resolved on time and evaluated; l2 paused two working days, so its deadline moved from Wednesday 11:00 to Friday 11:00 and its resolution on Thursday 16:00 is on time; l3 joined l2 as a repeat; l4 open past its deadline; 30 households visited in m1. Must equal score/ledger-outcomes-scored.json.",
      "score", {"org": ORG, "rules": RULES, "ledger": LEDGER, "request": {"month": "2026-03"}})
write("score/ledger-with-table.json",
      "score: a ledger request that also gives `outcomes` is an input error: the ledger gives its own cases and visits.",
      "score", {"org": ORG, "rules": RULES, "ledger": LEDGER, "request": {"month": "2026-03", "outcomes": []}})
write("score/ledger-outcomes.json",
      "outcomes: the outcome table of the ledger of score/ledger.json: l2's due is Friday 11:00 (the two paused working days added), l3 has repeat_of l2, l4 keeps its open deadline.",
      "outcomes", {"org": ORG, "rules": RULES, "ledger": LEDGER})


def ledger_rows():
    """The table outcomes/ledger-outcomes.json gives, written out (the test checks they agree)."""
    return [
        {"id": "l1", "location": "m1", "category": "dispute", "channel": "visit", "reported_at": t(2), "accepted_at": t(2, "09:10"),
         "resolved_at": t(3, "10:00"), "resolved_level": "grid", "satisfaction": 5, "time_limit": "2 working days", "due": t(4, "09:00")},
        {"id": "l2", "location": "m2", "category": "dispute", "channel": "visit", "reported_at": t(2, "11:00"), "accepted_at": t(2, "11:30"),
         "resolved_at": t(5, "16:00"), "resolved_level": "grid", "time_limit": "2 working days", "due": t(6, "11:00")},
        {"id": "l3", "location": "m2", "category": "dispute", "channel": "visit", "reported_at": t(2, "15:00"), "repeat_of": "l2"},
        {"id": "l4", "location": "m3", "category": "dispute", "channel": "visit", "reported_at": t(9), "accepted_at": t(9, "09:30"),
         "time_limit": "2 working days", "due": t(11, "09:00")},
    ]


vec("ledger-outcomes-scored", "the outcome table of the ledger in score/ledger.json, scored as a table: the same report as scoring the ledger.",
    month(ledger_rows(), visits=[{"unit": "m1", "at": t(10, "10:00"), "households": 30}]))

# ---------------------------------------------------------------- validating the scoring part of a rule set


def bad_rules(name, why, raw=False, **edits):
    """A rule set with a bad scoring part; `raw` passes it as text (for positions)."""
    rules = scoring(**edits)
    if raw:
        rules = json.dumps(rules, ensure_ascii=False, indent=1)
    write(f"score/validate/{name}.json", f"validate_rules: {why}", "validate_rules", {"rules": rules})


bad_rules("no-items", "a scheme without items is bad_scoring at scoring.scheme.items.", scheme=scheme(items=[]))
bad_rules("indicator-and-penalty", "an item with both an indicator and a penalty.",
          scheme=scheme(items=items({"indicator": "closure_rate", "penalty": "reopened", "points": 1})))
bad_rules("at-least-on-lower-better", "`at_least` on repeat_rate (better lower): use at_most.",
          scheme=scheme(items=items({"indicator": "repeat_rate", "points": 5, "at_least": "5%"})))
bad_rules("at-most-on-higher-better", "`at_most` on closure_rate (better higher): use at_least.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": 5, "at_most": "5%"})))
bad_rules("threshold-above-one", "a rate threshold of 120% is outside 0 to 1.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": 5, "at_least": "120%"})))
bad_rules("mean-threshold", "a satisfaction_mean threshold of 0.9 is outside 1 to 5.",
          scheme=scheme(items=items({"indicator": "satisfaction_mean", "points": 5, "at_least": "0.9"})))
bad_rules("five-decimals", "points with five decimal places (0.00001) are refused: at most four.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": "0.00001"})))
bad_rules("two-thresholds", "an item with both at_least and full_at.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": 5, "at_least": "90%", "full_at": "90%"})))
bad_rules("minus-without-full-at", "`minus` without `full_at`.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": 5, "minus": 1})))
bad_rules("penalty-with-threshold", "a penalty item with `at_least`.",
          scheme=scheme(items=items({"penalty": "reopened", "points": 1, "at_least": "50%"})))
bad_rules("max-on-indicator", "`max` on an indicator item.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": 5, "max": 3})))
bad_rules("places", "7 places is more than 6.", scheme=scheme(places=7))
bad_rules("satisfied-at-least", "satisfied_at_least 6 is not a satisfaction from 1 to 5.", satisfied_at_least=6)
bad_rules("tiers-order", "tiers must run from the top with growing `top`: 3 then 2 is refused.",
          rewards={"method": "tiers", "tiers": [{"top": 3, "weight": 2}, {"top": 2, "weight": 1}]})
bad_rules("tiers-missing", "the tiers method without tiers.", rewards={"method": "tiers"})
bad_rules("talent", "talent: 4 of the last 3 months is impossible.", talent={"top": 1, "months": 4, "of_last": 3})
bad_rules("window-working-days", "a common-demand window in working days is refused: give calendar days or hours.",
          common_demands={"area": "compound", "at_least": 3, "window": "5 working days"})
bad_rules("zombie-after-zero", "zombie_after 0 is refused.", inactive={"min_cases": 1, "min_visits": 1, "zombie_after": 0})
bad_rules("per-fine-grained", "proportional thresholds 0.9999, 0.9997 and 0.9991 and per steps of 0.0007, 0.0011 and 0.0013 need too fine a common denominator.",
          scheme=scheme(items=items({"indicator": "closure_rate", "points": 1, "full_at": "0.9999"}, {"indicator": "in_grid_rate", "points": 1, "full_at": "0.9997"},
                                    {"indicator": "timely_acceptance_rate", "points": 1, "full_at": "0.9991"},
                                    {"indicator": "on_time_rate", "points": 1, "full_at": "0.9", "minus": 1, "per": "0.0007"},
                                    {"indicator": "satisfaction_rate", "points": 1, "full_at": "0.9", "minus": 1, "per": "0.0011"},
                                    {"indicator": "visit_coverage", "points": 1, "full_at": "0.9", "minus": 1, "per": "0.0013"})))
bad_rules("unknown-field", "an unknown field in the scoring part (`weights`) is a rules_parse error naming it, with its line and column (raw text, so positions agree in every language).",
          raw=True, scheme=scheme(weights=[1]))

print(f"wrote {len(written)} scoring vector inputs")
