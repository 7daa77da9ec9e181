"""Writes through the Python package: ``Engine.record`` refuses what the actor may not
write with ``AccessError`` and appends nothing; re-sent events are duplicates; a ledger
kept in a SQLite file survives reopening and another process's appends; a changed file is
refused."""

import json
import multiprocessing
import sqlite3

import pytest

import gridgov

engine = gridgov.Engine.fushan()
RESIDENT = "370883199001011234"


def ledger_with_c1(ledger=None):
    ledger = ledger if ledger is not None else gridgov.Ledger()
    engine.record_intake(ledger, gridgov.Actor.system(), {
        "id": "c1", "channel": "hotline", "category": "livelihood",
        "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00",
        "reporter": {"name": "王芳", "id_number": RESIDENT}})
    return ledger


def resolved(who, event_id=None):
    e = {"case": "c1", "at": "2026-03-03T10:00:00+08:00", "actor": who,
         "event": {"type": "resolved", "level": "micro_grid", "how": "修好了"}}
    if event_id:
        e["event_id"] = event_id
    return e


def evaluated(who):
    return {"case": "c1", "at": "2026-03-04T10:00:00+08:00", "actor": who,
            "event": {"type": "evaluated", "satisfaction": 5}}


def test_the_two_writes_of_the_issue_raise_access_error_and_append_nothing():
    ledger = ledger_with_c1()
    outsider = gridgov.Actor("fs-gw150", "grid_worker")
    assert engine.can(outsider, "resolve", ledger, "c1") is False
    with pytest.raises(gridgov.AccessError) as info:
        engine.record(ledger, outsider, resolved("fs-gw150"))
    assert info.value.code == "out_of_scope"
    assert "fs-gw150" in str(info.value) and "resolve case `c1`" in str(info.value)
    assert len(ledger) == 2
    engine.record(ledger, gridgov.Actor("fs-gw001", "grid_worker"), resolved("fs-gw001"))
    with pytest.raises(gridgov.AccessError) as info:
        engine.record(ledger, {"id": "anyone", "role": "resident"}, evaluated("anyone"))
    assert info.value.code == "unknown_actor"
    assert len(ledger) == 3
    receipt = engine.record(ledger, gridgov.Actor(RESIDENT, "resident"), evaluated(RESIDENT))
    assert receipt == gridgov.Receipt("appended", 3, receipt.hash)
    assert ledger.state()["cases"][0]["status"] == "closed"


def test_resent_events_are_duplicates_and_changed_ones_conflicts():
    ledger = ledger_with_c1()
    gw = gridgov.Actor("fs-gw001", "grid_worker")
    first = engine.record(ledger, gw, resolved("fs-gw001", "app-1"))
    again = engine.record(ledger, gw, resolved("fs-gw001", "app-1"))
    assert (first.duplicate, again.duplicate) == (False, True)
    assert (again.index, again.hash) == (first.index, first.hash)
    changed = dict(resolved("fs-gw001", "app-1"), at="2026-03-03T11:00:00+08:00")
    with pytest.raises(gridgov.LedgerError) as info:
        engine.record(ledger, gw, changed)
    assert info.value.code == "event_id_conflict"
    assert len(ledger) == 3


def test_exports_keep_the_chain_and_a_changed_export_is_refused():
    ledger = ledger_with_c1()
    doc = json.loads(ledger.to_json())
    assert doc["format"] == 2 and doc["head"] == ledger.head
    assert gridgov.Ledger(doc).verify() == {"events": 2, "head": ledger.head}
    doc["events"][0]["event"]["case"]["location"] = "fs-c02-g01-m1"
    with pytest.raises(gridgov.LedgerError) as info:
        gridgov.Ledger(doc)
    assert info.value.code == "ledger_tampered"
    assert str(info.value).startswith("record 0:")
    timeline = engine.timeline(ledger, "c1")
    assert [t["hash"] for t in timeline][-1] == ledger.head
    # The public timeline shows no record hashes: a hash of a record whose phone number is
    # masked to four unknown digits would give the number away to 10,000 tries.
    public = engine.timeline(ledger, "c1", public=True)
    assert [t["index"] for t in public] == [0, 1]
    assert all("hash" not in t for t in public)


def _append_from_another_process(path):
    other = gridgov.Ledger.open(path)
    engine.record(other, gridgov.Actor("fs-gw001", "grid_worker"), resolved("fs-gw001", "p2"))


def test_a_file_ledger_survives_reopening_and_sees_another_process(tmp_path):
    path = tmp_path / "ledger.sqlite"
    ledger = ledger_with_c1(gridgov.Ledger.open(path))
    assert ledger.file == str(path)
    head = ledger.head
    again = gridgov.Ledger.open(str(path), durability="process")
    assert (len(again), again.head) == (2, head)
    process = multiprocessing.get_context("spawn").Process(
        target=_append_from_another_process, args=(str(path),))
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert ledger.refresh() == 1
    assert ledger.state()["cases"][0]["status"] == "resolved"
    assert ledger.verify()["events"] == 3
    # The other process's resolution is there: the same one from here is a duplicate.
    r = engine.record(ledger, gridgov.Actor("fs-gw001", "grid_worker"), resolved("fs-gw001", "p2"))
    assert r.duplicate


def test_a_changed_file_is_refused_whole(tmp_path):
    path = tmp_path / "ledger.sqlite"
    ledger_with_c1(gridgov.Ledger.open(path))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE events SET record = CAST(replace(CAST(record AS TEXT), "
                   "'fs-c01-g01-m1', 'fs-c02-g01-m1') AS BLOB) WHERE seq = 0")
    with pytest.raises(gridgov.LedgerError) as info:
        gridgov.Ledger.open(path)
    assert info.value.code == "store_corrupt"
    assert "record 0" in str(info.value)


def test_bad_durability_and_paths_are_input_errors(tmp_path):
    with pytest.raises(gridgov.InputError):
        gridgov.Ledger.open(tmp_path / "x.sqlite", durability="sometimes")
    with pytest.raises(gridgov.InputError):
        gridgov.Ledger.open(5)
    with pytest.raises(gridgov.LedgerError) as info:
        gridgov.Ledger.open(tmp_path / "missing-folder" / "x.sqlite")
    assert info.value.code == "store_io"
