"""First checks of the Python package: version, the embedded default, typed errors."""

import json

import pytest

import gridgov


def test_version_matches_the_core():
    assert gridgov.__version__ == "0.1.0"


def test_fushan_summary_counts():
    summary = json.loads(gridgov.org_summary_json())
    units = summary["counts"]["units"]
    assert units["community"] == 12
    assert units["grid"] == 150
    assert units["micro_grid"] == 382
    assert units["lead_household"] == 435


def test_errors_are_typed_with_codes():
    with pytest.raises(gridgov.OrgError) as info:
        gridgov.org_summary_json("{")
    assert info.value.code == "org_parse"
    assert isinstance(info.value, gridgov.GridgovError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", ["", "[]", "null", '{"format": 1}', "{" * 100000])
def test_garbage_gets_a_typed_error(bad):
    with pytest.raises(gridgov.GridgovError):
        gridgov.org_summary_json(bad)


@pytest.mark.parametrize("bad", [1, 2.5, b"{}", ["a"], {"format": 1}])
def test_wrong_types_get_an_input_error(bad):
    with pytest.raises(gridgov.InputError) as info:
        gridgov.org_summary_json(bad)
    assert info.value.code == "input_type"
    assert str(info.value).startswith("`org` must be text (a string), not ")


def test_lone_surrogate_gets_an_input_error():
    with pytest.raises(gridgov.InputError) as info:
        gridgov.org_summary_json("\ud800")
    assert info.value.code == "input_text"


def test_engine_routes_a_case():
    import json

    engine = gridgov.Engine.fushan()
    out = engine.route_json(json.dumps({
        "id": "p1", "channel": "app", "category": "property_crime",
        "location": "fs-c05-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00"}))
    d = json.loads(out)
    assert d["level"] == "department"
    assert d["office"] == "police_work_office"


@pytest.mark.parametrize(
    "make,exc,code",
    [
        (lambda: gridgov.Engine(org="{"), gridgov.OrgError, "org_parse"),
        (lambda: gridgov.Engine(rules="{}"), gridgov.RuleError, "rules_parse"),
        (lambda: gridgov.Engine(calendar="[]"), gridgov.CalendarError, "calendar_parse"),
        (lambda: gridgov.Engine.fushan().route_json("{}"), gridgov.CaseError, "case_parse"),
        (lambda: gridgov.Engine.fushan().deadline_json('{"start": 1}'), gridgov.JsonError, "json"),
        (lambda: gridgov.Engine(org=5), gridgov.InputError, "input_type"),
    ],
)
def test_engine_errors_are_typed(make, exc, code):
    with pytest.raises(exc) as info:
        make()
    assert info.value.code == code


def test_scoring_from_csv_and_ledger():
    import json

    engine = gridgov.Engine.fushan()
    csv = ("id,location,category,reported_at,resolved_at,resolved_level,satisfaction,time_limit\n"
           "c1,fs-c01-g01-m1,environment,2026-03-02T09:00:00+08:00,2026-03-02T15:00:00+08:00,grid,5,3 working days\n")
    report = json.loads(engine.score_outcomes_json(json.dumps(
        {"month": "2026-03", "outcomes_csv": csv, "budget_fen": 100_000})))
    assert report["red_list"][0] == "fs-c01-g01"
    assert sum(a["fen"] for a in report["rewards"]["allocations"]) == 100_000
    html = engine.score_outcomes_html(json.dumps({"month": "2026-03", "outcomes_csv": csv}), title="凫山 2026-03")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html
    # An empty ledger scores every grid as inactive; its outcome table is empty.
    ledger = gridgov.Ledger()
    assert json.loads(engine.outcomes_json(ledger)) == {"outcomes": [], "visits": []}
    assert engine.outcomes_csv(ledger).startswith("id,location,category")
    empty = json.loads(engine.score_json(ledger, '{"month": "2026-03"}'))
    assert len(empty["inactive"]) == 150


def test_scoring_errors_name_the_line():
    engine = gridgov.Engine.fushan()
    with pytest.raises(gridgov.ScoreError) as info:
        engine.score_outcomes_json('{"month": "2026-03", "outcomes_csv": "id,location,category,reported_at\\nc1,nowhere,environment,2026-03-02T09:00:00+08:00\\n"}')
    assert info.value.code == "outcome_row"
    assert "row 1 (line 2), column `location`" in str(info.value)
