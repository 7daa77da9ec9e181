"""The validation policy for an organisation's coverage gaps, and every problem on the error."""

import json
import pickle

import pytest

import gridgov

RULES = {"format": 1, "name": "one-row", "categories": [{"id": "other"}], "grades": [],
         "risk_flags": [], "flags": [], "attributes": [],
         "versions": [{"name": "v1", "effective_from": "2026-01-01", "tables": [
             {"id": "routing", "hit_policy": "first", "inputs": ["category"],
              "outputs": ["level", "time_limit"],
              "rows": [{"id": "all", "when": ["-"], "then": ["grid", "3 working days"],
                        "why": "everything starts in the grid"}]}]}]}


def tree(grids):
    units = [{"id": "sd", "kind": "subdistrict", "name": "街道"},
             {"id": "c1", "kind": "community", "name": "社区", "parent": "sd"},
             {"id": "x1", "kind": "compound", "name": "小区", "parent": "c1"}]
    for i in range(grids):
        units.append({"id": f"g{i:02}", "kind": "grid", "name": "网格", "parent": "x1"})
        units.append({"id": f"m{i:02}", "kind": "micro_grid", "name": "微网格", "parent": f"g{i:02}"})
    return {"format": 1, "name": "tree", "units": units}


def test_strict_refuses_with_every_problem_as_objects():
    with pytest.raises(gridgov.OrgError) as e:
        gridgov.Engine(org=tree(12), rules=RULES)
    assert e.value.code == "org_invalid"
    assert "and 2 more" in str(e.value)
    problems = e.value.problems
    assert len(problems) == 12
    assert all(isinstance(p, gridgov.Problem) for p in problems)
    assert problems[0].code == "grid_without_worker"
    assert problems[11].location == {"subject": "g11"}


def test_warn_takes_the_tree_and_lists_the_gaps():
    engine = gridgov.Engine(org=tree(3), rules=RULES, validation="warn")
    gaps = [w for w in engine.warnings() if w.code == "grid_without_worker"]
    assert [w.location["subject"] for w in gaps] == ["g00", "g01", "g02"]
    decision = engine.route({"id": "a", "channel": "hotline", "category": "other", "location": "m01",
                             "reported_at": "2026-03-02T09:00:00+08:00"})
    assert decision["unit"] == "g01" and decision["handler"] is None
    assert decision["warnings"][0]["code"] == "no_first_handler"
    # The policy travels with a pickled engine.
    again = pickle.loads(pickle.dumps(engine))
    assert again.warnings_json() == engine.warnings_json()


def test_an_unknown_policy_is_an_input_error():
    with pytest.raises(gridgov.InputError, match="valid: strict, warn"):
        gridgov.Engine(org=tree(1), rules=RULES, validation="lenient")


def test_a_single_problem_error_lists_none():
    with pytest.raises(gridgov.OrgError) as e:
        gridgov.Engine(org="{")
    assert e.value.problems == []
    with pytest.raises(gridgov.CaseError) as e:
        gridgov.Engine.fushan().route_json(json.dumps({"id": "x"}))
    assert e.value.problems == []
