"""Every shared vector under tests/vectors/ through the Python API, comparing exact strings."""

import functools

import pytest

import gridgov
from conftest import arg_text, load_vectors

VECTORS = load_vectors()


@functools.lru_cache(maxsize=None)
def engine(org, rules, calendar):
    if org is None and rules is None and calendar is None:
        return gridgov.Engine.fushan()
    return gridgov.Engine(org=org, rules=rules, calendar=calendar)


def opt(args, name):
    value = args.get(name)
    return None if value is None else arg_text(value)


def call(entry, args):
    if entry == "org_summary":
        return gridgov.org_summary_json(opt(args, "org"))
    if entry == "validate_rules":
        return gridgov.validate_rules_json(arg_text(args["rules"]))
    if entry == "ledger_state":
        return gridgov.Ledger(arg_text(args["ledger"])).state_json()
    if entry == "ledger_append":
        ledger = gridgov.Ledger(arg_text(args["ledger"]))
        ledger.append_json(arg_text(args["event"]))
        return ledger.to_json()
    if entry == "ledger_append_all":
        ledger = gridgov.Ledger(arg_text(args["ledger"]))
        ledger.append_all_json(arg_text(args["events"]))
        return ledger.state_json()
    e = engine(opt(args, "org"), opt(args, "rules"), opt(args, "calendar"))
    if entry == "route":
        return e.route_json(arg_text(args["case"]))
    if entry == "deadline":
        return e.deadline_json(arg_text(args["deadline"]))
    if entry == "engine_warnings":
        return e.warnings_json()
    if entry == "route_csv":
        return e.route_csv(arg_text(args["cases_csv"]))
    if entry == "backtest":
        return e.backtest_json(arg_text(args["rules_b"]), arg_text(args["cases"]),
                               limit=args.get("limit", 1000))
    if entry == "score_outcomes":
        return e.score_outcomes_json(arg_text(args["request"]))
    if entry in ("score", "outcomes"):
        ledger = gridgov.Ledger(arg_text(args["ledger"]))
        if entry == "score":
            return e.score_json(ledger, arg_text(args["request"]))
        return e.outcomes_json(ledger)
    if entry in ("visible_cases", "can", "export", "timeline_for"):
        ledger = gridgov.Ledger(arg_text(args["ledger"]))
        if entry == "can":
            return e.can_json(ledger, arg_text(args["request"]))
        if entry == "visible_cases":
            return e.visible_cases_json(ledger, arg_text(args["actor"]))
        if entry == "export":
            return e.export_json(ledger, arg_text(args["actor"]))
        return e.timeline_for_json(ledger, arg_text(args["actor"]), arg_text(args["case"]))
    if entry in ("actions", "overdue", "timeline", "intake"):
        ledger = gridgov.Ledger(arg_text(args["ledger"]))
        if entry == "actions":
            return e.actions_json(ledger, arg_text(args["now"]))
        if entry == "overdue":
            return e.overdue_json(ledger, arg_text(args["now"]))
        if entry == "timeline":
            return e.timeline_json(ledger, arg_text(args["case"]), public=bool(args.get("public", False)))
        return e.intake_json(ledger, arg_text(args["case"]), args.get("actor", "system"))
    raise AssertionError(f"no Python runner for entry point {entry!r}")


@pytest.mark.parametrize("name,vector", VECTORS, ids=[n for n, _ in VECTORS])
def test_vector(name, vector):
    args = vector["input"]
    if "error" in vector:
        with pytest.raises(gridgov.GridgovError) as info:
            call(vector["entry"], args)
        assert info.value.code == vector["error"]["code"]
        assert str(info.value) == vector["error"]["message"]
    else:
        assert call(vector["entry"], args) == vector["output"]


def test_there_are_vectors():
    assert len(VECTORS) >= 150
