"""Hostile input through every public function of the Python package: wrong types,
missing fields, huge numbers, deep or huge JSON, invalid UTF-8, NaN. Each gets a
``GridgovError`` subclass (never a crash, a hang or another exception type), and the
engine works afterwards."""

import math
import tempfile
import pathlib

import pytest

import gridgov

engine = gridgov.Engine.fushan()
ledger = gridgov.Ledger()
TMP = pathlib.Path(tempfile.mkdtemp(prefix="gridgov-hostile-"))
SUBDISTRICT = {"id": "fs-duty", "role": "subdistrict"}
EVENT = {"case": "x", "at": "2026-03-02T09:00:00+08:00", "actor": "fs-duty",
         "event": {"type": "accepted"}}

DEEP = "[" * 100_000 + "]" * 100_000
HUGE = '{"id": "' + "x" * 5_000_000 + '"}'
HOSTILE = [None, 5, 2.5, math.nan, math.inf, -(10**40), True, b"\xff\xfe", {}, [], object(),
           "\ud800", "", "{", DEEP, HUGE, "null", '{"a": NaN}', '"\\ud800"', '1e999999']

# Every public function or method that reads a text, a dict or a table from the caller.
CALLS = {
    "Engine(org=)": lambda v: gridgov.Engine(org=v),
    "Engine(rules=)": lambda v: gridgov.Engine(rules=v),
    "Engine(calendar=)": lambda v: gridgov.Engine(calendar=v),
    "route": lambda v: engine.route(v),
    "route_json": lambda v: engine.route_json(v),
    "route_csv": lambda v: engine.route_csv(v),
    "route_batch": lambda v: engine.route_batch(v),
    "deadline_json": lambda v: engine.deadline_json(v),
    "deadline": lambda v: engine.deadline(v, "3 working days"),
    "contains": lambda v: engine.contains(v, "fs"),
    "unit_at_level": lambda v: engine.unit_at_level("fs-c01", v),
    "duty_holder": lambda v: engine.duty_holder(v, "grid"),
    "intake": lambda v: engine.intake(ledger, v),
    "intake_json": lambda v: engine.intake_json(ledger, v),
    "overdue": lambda v: engine.overdue(ledger, v),
    "actions_json": lambda v: engine.actions_json(ledger, v),
    "timeline": lambda v: engine.timeline(ledger, v),
    "score": lambda v: engine.score(ledger, v),
    "score_json": lambda v: engine.score_json(ledger, v),
    "score_outcomes": lambda v: engine.score_outcomes(v, "2026-03"),
    "score_outcomes(month)": lambda v: engine.score_outcomes([], v),
    "score_outcomes_json": lambda v: engine.score_outcomes_json(v),
    "score_outcomes_html": lambda v: engine.score_outcomes_html(v),
    "with_rules": lambda v: engine.with_rules(v),
    "backtest(rules)": lambda v: engine.backtest(v, []),
    "backtest(cases)": lambda v: engine.backtest(gridgov.RuleSet.fushan(), v),
    "simulate_cases": lambda v: engine.simulate_cases(2026, 3, v),
    "simulate_month": lambda v: engine.simulate_month(v, 3, 10),
    "can(actor)": lambda v: engine.can(v, "view", ledger, "x"),
    "can(action)": lambda v: engine.can({"id": "s", "role": "subdistrict"}, v, ledger, "x"),
    "visible_cases": lambda v: engine.visible_cases(v, ledger),
    "export": lambda v: engine.export(v, ledger),
    "timeline_for": lambda v: engine.timeline_for({"id": "s", "role": "subdistrict"}, ledger, v),
    "overdue(ledger)": lambda v: engine.overdue(v, "2026-03-20T09:00:00+08:00"),
    "actions(ledger)": lambda v: engine.actions(v, "2026-03-20T09:00:00+08:00"),
    "timeline(ledger)": lambda v: engine.timeline(v, "x"),
    "intake(ledger)": lambda v: engine.intake(v, {"id": "x"}),
    "score_json(ledger)": lambda v: engine.score_json(v, '{"month": "2026-03"}'),
    "outcomes": lambda v: engine.outcomes(v),
    "outcomes_csv": lambda v: engine.outcomes_csv(v),
    "score_outcomes_report": lambda v: engine.score_outcomes_report(v, "2026-03"),
    "can(ledger)": lambda v: engine.can({"id": "s", "role": "subdistrict"}, "view", v, "x"),
    "visible_cases(ledger)": lambda v: engine.visible_cases({"id": "s", "role": "subdistrict"}, v),
    "Ledger.timeline(engine)": lambda v: ledger.timeline("x", engine=v),
    "record(ledger)": lambda v: engine.record(v, SUBDISTRICT, EVENT),
    "record(actor)": lambda v: engine.record(ledger, v, EVENT),
    "record(event)": lambda v: engine.record(ledger, SUBDISTRICT, v),
    "record_json(event)": lambda v: engine.record_json(ledger, SUBDISTRICT, v),
    "record_intake(actor)": lambda v: engine.record_intake(ledger, v, {"id": "x"}),
    "record_intake(case)": lambda v: engine.record_intake(ledger, SUBDISTRICT, v),
    "Ledger.open(path)": lambda v: gridgov.Ledger.open(TMP / v if isinstance(v, str) else v),
    "Ledger.open(durability)": lambda v: gridgov.Ledger.open(TMP / "d.sqlite", v),
    "Ledger": lambda v: gridgov.Ledger(v),
    "Ledger.append": lambda v: gridgov.Ledger().append(v),
    "Ledger.append_json": lambda v: gridgov.Ledger().append_json(v),
    "Ledger.extend": lambda v: gridgov.Ledger().extend(v),
    "Ledger.timeline": lambda v: ledger.timeline(v),
    "RuleSet.load": lambda v: gridgov.RuleSet.load(v),
    "validate_rules_json": lambda v: gridgov.validate_rules_json(v),
    "org_summary_json": lambda v: gridgov.org_summary_json(v),
}

def accepted(name, value):
    """Whether a value is a valid input for the call after all (so no error is due)."""
    if value is None and name in ("Engine(org=)", "Engine(rules=)", "Engine(calendar=)",
                                  "Ledger", "org_summary_json"):
        return True
    if name == "validate_rules_json" and isinstance(value, str) and value != "\ud800":
        return True  # a bad rule set is reported in the result, never raised
    if name == "backtest(cases)" and (value == [] or isinstance(value, str) and value.startswith("[")):
        return True  # a JSON array of cases, some unreadable: they are counted as errors
    if name == "Ledger.timeline(engine)" and value is None:
        return False
    if name == "Ledger.open(path)" and isinstance(value, str):
        # A file of that name in a temporary folder: a new ledger, unless the name is
        # empty (the folder itself), too long or not text.
        return value not in ("", "\ud800") and len(value) < 200
    if name == "Ledger.open(durability)" and value is None:
        return True  # the default, "full"
    if name == "Ledger.extend" and isinstance(value, (dict, list, str, bytes)) and len(value) == 0:
        return True  # no events: nothing appended
    return name == "simulate_cases" and type(value) is int and value == 5


@pytest.mark.parametrize("name", sorted(CALLS))
def test_hostile_values_get_typed_errors(name):
    call = CALLS[name]
    for value in HOSTILE:
        try:
            result = call(value)
        except gridgov.GridgovError as e:
            assert isinstance(e.code, str) and e.code
            assert str(e)
            continue
        assert accepted(name, value), (
            f"{name}({value!r:.40}) returned {result!r:.80} instead of a typed error")
    # The engine still decides after all that.
    assert engine.route({"id": "ok", "channel": "app", "category": "environment",
                         "location": "fs-c01-g01-m1",
                         "reported_at": "2026-03-02T09:00:00+08:00"})["level"] == "micro_grid"


def test_a_deeply_nested_dict_is_an_input_error():
    deep = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(gridgov.InputError):
        engine.route(deep)
    with pytest.raises(gridgov.InputError):
        gridgov.Ledger().append(deep)
