"""The grid's own work through the Python package: volunteer teams suggested, a visit that
registers a dispute, its refusals as typed exceptions, follow-ups due in ``actions``, and
the month's work in a ledger's score. The shared vectors pin the exact bytes; these pin
the Python surface."""

import json

import pytest

import gridgov

engine = gridgov.Engine.fushan()
GW = {"id": "fs-gw001", "role": "grid_worker"}
VISIT = {"at": "2026-03-03T10:00:00+08:00", "actor": "fs-gw001",
         "event": {"type": "visited", "unit": "fs-c01-g01", "households": 2,
                   "household_ids": ["h-1", "h-2"], "found": ["dispute"],
                   "registered": [{"id": "reg-1", "unit": "fs-c01-g01-m2", "grade": "general",
                                   "class": "neighbour_dispute", "parties": 2}]}}


def test_teams_are_suggested_and_an_unknown_category_is_a_query_error():
    teams = engine.suggest_teams("livelihood", "fs-c01-g01-m1")
    assert teams == [{"team": "fs-vt01", "name": "网格志愿服务团队01（示例）",
                      "areas": ["livelihood"], "members": 17}]
    assert json.loads(engine.suggest_teams_json(
        json.dumps({"category": "livelihood", "location": "fs-c01-g01-m1"}))) == teams
    with pytest.raises(gridgov.QueryError) as e:
        engine.suggest_teams("gossip", "fs-c01-g01-m1")
    assert e.value.code == "unknown_category"
    with pytest.raises(gridgov.QueryError) as e:
        engine.suggest_teams("livelihood", "nowhere")
    assert e.value.code == "unknown_unit"


def test_a_visit_registers_a_dispute_and_refusals_are_ledger_errors():
    ledger = gridgov.Ledger()
    bad = json.loads(json.dumps(VISIT))
    bad["event"]["found"] = ["need"]
    with pytest.raises(gridgov.LedgerError) as e:
        engine.record(ledger, GW, bad)
    assert e.value.code == "visit_findings"
    outside = json.loads(json.dumps(VISIT))
    outside["event"]["registered"][0]["unit"] = "fs-c01-g02-m1"
    with pytest.raises(gridgov.LedgerError) as e:
        engine.record(ledger, GW, outside)
    assert e.value.code == "work_outside"
    assert len(ledger) == 0
    engine.record(ledger, GW, VISIT)
    state = ledger.state()
    assert state["register"][0]["step"] == "found"
    assert state["visits"][0]["household_ids"] == ["h-1", "h-2"]
    actions = json.loads(engine.actions_json(ledger, "2026-03-11T09:00:00+08:00"))
    assert [f["entry"] for f in actions["follow_ups"]] == ["reg-1"]
    report = json.loads(engine.score_json(ledger, json.dumps(
        {"month": "2026-03", "include": ["total", "work"]})))
    assert report["work"]["registered"] == 1
    assert report["work"]["households"] == 2
    assert report["work"]["findings"] == {"dispute": 1}
    assert report["total"]["indicators"]["register_resolution_rate"] is None
