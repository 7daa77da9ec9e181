"""The per-call API: sources as text, dicts and paths; org queries; the ledger; scoring;
rule sets and what-if back-tests; pickling. Every answer is compared with the core's JSON
entry points, which the shared vectors pin."""

import copy
import datetime as dt
import decimal
import doctest
import json
import pickle

import pytest

import gridgov

CST = dt.timezone(dt.timedelta(hours=8))
CASE = {"id": "p1", "channel": "hotline", "category": "neighbour_dispute",
        "location": "fs-c01-g02-m1", "reported_at": "2026-03-02T09:15:00+08:00"}


@pytest.fixture(scope="module")
def engine():
    return gridgov.Engine.fushan()


def test_docstring_examples_run():
    failures, tried = doctest.testmod(gridgov, extraglobs={"gridgov": gridgov})
    assert tried >= 10
    assert failures == 0


def test_version_is_the_core_version():
    assert gridgov.__version__ == "0.1.0"


def test_route_dict_is_the_core_json(engine):
    assert engine.route(CASE) == json.loads(engine.route_json(json.dumps(CASE)))
    decision = engine.route(CASE)
    assert (decision["level"], decision["unit"], decision["handler"]) == (
        "grid", "fs-c01-g02", "fs-gw002")


def test_the_trace_comes_only_when_asked(engine):
    lean = engine.route(CASE)
    assert "trace" not in lean
    assert lean["rule"]["why"].startswith("Small disputes do not leave the grid")
    explained = engine.route(CASE, explain=True)
    assert explained["trace"][0].startswith("routing/dispute-grid: category neighbour_dispute")
    assert {k: v for k, v in explained.items() if k != "trace"} == lean
    text = json.dumps(CASE)
    assert '"trace"' not in engine.route_json(text)
    assert json.loads(engine.route_json(text, explain=True)) == explained
    # The JSON path (values the direct path does not read: a datetime) explains alike.
    aware = dict(CASE, reported_at=dt.datetime(2026, 3, 2, 9, 15, tzinfo=CST))
    assert engine.route(aware, explain=True) == explained
    for bad in ("yes", 1, [True]):
        with pytest.raises(gridgov.InputError, match="explain"):
            engine.route_json(text, explain=bad)
        with pytest.raises(gridgov.InputError, match="explain"):
            engine.route(CASE, explain=bad)


def test_route_takes_aware_datetimes_and_exact_decimals(engine):
    case = dict(CASE, reported_at=dt.datetime(2026, 3, 2, 9, 15, tzinfo=CST),
                amount_yuan=decimal.Decimal("12000.50"), category="neighbour_dispute")
    text = dict(CASE, amount_yuan="12000.50")
    assert engine.route(case) == engine.route(text)
    assert engine.route(case)["rule"]["row"] == "dispute-community-amount"


def test_naive_datetime_is_refused_by_the_core(engine):
    # A datetime without a time zone is written as it is; the core refuses any time
    # without an offset, with the same message as for text.
    with pytest.raises(gridgov.CaseError) as info:
        engine.route(dict(CASE, reported_at=dt.datetime(2026, 3, 2, 9, 15)))
    assert info.value.code == "case_parse"
    assert "an offset is required" in str(info.value)


@pytest.mark.parametrize("value", [object(), float("nan"), float("inf"), b"bytes"])
def test_values_json_cannot_hold_are_input_errors(engine, value):
    with pytest.raises(gridgov.InputError) as info:
        engine.route(dict(CASE, summary=value))
    assert info.value.code == "input_type"
    assert "`case`" in str(info.value)


@pytest.mark.parametrize("bad,exc,code", [
    (dict(CASE, people_involved=10**30), gridgov.CaseError, "case_parse"),
    (dict(CASE, reported_at="2026-02-30T09:00:00+08:00"), gridgov.CaseError, "case_parse"),
    # Neither a location nor a map point: the case reads, but cannot be placed.
    ({k: v for k, v in CASE.items() if k != "location"}, gridgov.CaseError, "case_invalid"),
    (dict(CASE, channel=5), gridgov.CaseError, "case_parse"),
    (dict(CASE, location="fs-c01"), gridgov.CaseError, "case_invalid"),
    (dict(CASE, reported_at="1850-03-02T09:15:00+08:00"), gridgov.CaseError, "case_parse"),
    (dict(CASE, reported_at="2024-03-02T09:15:00+08:00"), gridgov.RouteError, "no_version"),
])
def test_garbage_cases_get_typed_errors(engine, bad, exc, code):
    with pytest.raises(exc) as info:
        engine.route(bad)
    if code is not None:
        assert info.value.code == code


def test_engine_from_text_dicts_and_paths(tmp_path, engine):
    rules = gridgov.RuleSet.fushan()
    path = tmp_path / "rules.json"
    path.write_text(rules.json, encoding="utf-8")
    for source in (rules.json, rules.to_dict(), path, rules, rules.json.encode()):
        e = gridgov.Engine(rules=source)
        assert e.route(CASE) == engine.route(CASE)
    # A str is always the document itself, never a path: a path goes as pathlib.Path or
    # through the explicit constructors.
    with pytest.raises(gridgov.RuleError):
        gridgov.Engine(rules=str(path))
    assert gridgov.Engine.from_paths(rules=str(path)).route(CASE) == engine.route(CASE)
    assert gridgov.Engine.from_paths(rules=path).route(CASE) == engine.route(CASE)
    assert gridgov.RuleSet.from_path(str(path)).json == rules.json
    with pytest.raises(gridgov.InputError) as info:
        gridgov.Engine.from_paths(rules=42)
    assert info.value.code == "input_type"


def test_missing_and_unreadable_paths_are_input_errors(tmp_path):
    with pytest.raises(gridgov.InputError) as info:
        gridgov.Engine(rules=tmp_path / "missing.json")
    assert info.value.code == "input_path"
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b"{\xff}")
    with pytest.raises(gridgov.InputError) as info:
        gridgov.Engine(org=bad)
    assert info.value.code == "input_text"


def test_org_queries(engine):
    assert engine.contains("fs-c01", "fs-c01-g02-m1")
    assert not engine.contains("fs-c02", "fs-c01-g02-m1")
    assert engine.unit_at_level("fs-c01-g02-m1", "community") == "fs-c01"
    assert engine.unit_at_level("fs-c01", "grid") is None
    holder = engine.duty_holder("fs-c01-g02-m1", "grid")
    assert holder["role"] == "grid_worker" and holder["unit"] == "fs-c01-g02"
    summary = engine.summary()
    assert summary["counts"]["units"]["grid"] == 150
    assert summary == json.loads(gridgov.org_summary_json())


@pytest.mark.parametrize("call,code", [
    (lambda e: e.contains("nowhere", "fs-c01"), "unknown_unit"),
    (lambda e: e.unit_at_level("nowhere", "grid"), "unknown_unit"),
    (lambda e: e.unit_at_level("fs-c01", "galaxy"), "unknown_level"),
    (lambda e: e.duty_holder("fs-c01", "block"), "unknown_level"),
])
def test_org_query_errors_are_query_errors(engine, call, code):
    with pytest.raises(gridgov.QueryError) as info:
        call(engine)
    assert info.value.code == code


def test_ledger_append_state_timeline_snapshot(engine, tmp_path):
    ledger = gridgov.Ledger()
    case = dict(CASE, reporter={"name": "王芳", "phone": "13800000000"})
    events = engine.intake(ledger, case, actor="fs-gw002")
    for event in events:
        ledger.append(event)
    assert len(ledger) == len(events)
    state = ledger.state()
    assert state == json.loads(ledger.state_json())
    private = ledger.timeline("p1", engine=engine)
    public = ledger.timeline("p1", public=True, engine=engine)
    assert "13800000000" in json.dumps(private, ensure_ascii=False)
    assert "13800000000" not in json.dumps(public, ensure_ascii=False)
    assert public == engine.timeline(ledger, "p1", public=True)
    again = gridgov.Ledger.load(ledger.snapshot())
    assert again.state() == state
    path = tmp_path / "ledger.json"
    ledger.save(path)
    assert gridgov.Ledger.load(path).state() == state
    assert gridgov.Ledger(json.loads(ledger.snapshot())).state() == state


def test_a_ledger_file_is_written_and_read_as_the_core_prints_it(engine, tmp_path):
    ledger = engine.simulate_month(2026, 3, 300, seed=5)
    path = tmp_path / "ledger.json"
    ledger.save(path)
    # The file holds the document's very bytes, and nothing is left beside it.
    assert path.read_text(encoding="utf-8") == ledger.to_json()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.json"]
    for again in (gridgov.Ledger.from_path(path), gridgov.Ledger.from_path(str(path)),
                  gridgov.Ledger(path), gridgov.Ledger.load(path)):
        assert again.to_json() == ledger.to_json()
        assert again.head == ledger.head
    # Files that cannot be read or written name themselves; a bad document is the
    # ledger's own parse error, at its line.
    with pytest.raises(gridgov.LedgerError) as e:
        gridgov.Ledger.from_path(tmp_path / "missing.json")
    assert e.value.code == "store_io" and "missing.json" in str(e.value)
    with pytest.raises(gridgov.LedgerError) as e:
        ledger.save(tmp_path / "no-folder" / "ledger.json")
    assert e.value.code == "store_io" and "no-folder" in str(e.value)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 2,\n "events": [}', encoding="utf-8")
    with pytest.raises(gridgov.LedgerError) as e:
        gridgov.Ledger.from_path(bad)
    assert e.value.code == "ledger_parse" and "line 2" in str(e.value)
    for wrong in (42, None, b"ledger.json"):
        with pytest.raises(gridgov.InputError):
            gridgov.Ledger.from_path(wrong)
        with pytest.raises(gridgov.InputError):
            ledger.save(wrong)


def test_ledger_extend_is_all_or_none(engine):
    ledger = gridgov.Ledger()
    events = engine.intake(ledger, CASE)
    bad = copy.deepcopy(events[0])
    bad["case"] = "p1"
    bad["kind"] = "resolved"
    with pytest.raises(gridgov.LedgerError):
        ledger.extend(events + [{"kind": "no_such_event"}])
    assert len(ledger) == 0
    ledger.extend(events)
    assert len(ledger) == len(events)


def test_overdue_takes_datetimes_or_text(engine):
    ledger = engine.simulate_month(2026, 3, 400, seed=11)
    now = dt.datetime(2026, 3, 20, 9, 0, tzinfo=CST)
    assert engine.overdue(ledger, now) == engine.overdue(ledger, now.isoformat())
    assert engine.actions(ledger, now) == json.loads(engine.actions_json(ledger, now.isoformat()))
    with pytest.raises(gridgov.InputError):
        engine.overdue(ledger, dt.date(2026, 3, 20))


def test_score_ledger_outcome_dicts_and_csv_agree(engine):
    ledger = engine.simulate_month(2026, 3, 1500, seed=4)
    outcomes = engine.outcomes(ledger)
    by_ledger = engine.score(ledger, "2026-03", budget_fen=500_000)
    work = {"visits": outcomes["visits"], "meetings": outcomes["meetings"],
            "register": outcomes["register"]}
    by_rows = engine.score(outcomes["outcomes"], dt.date(2026, 3, 1), budget_fen=500_000, **work)
    by_csv = engine.score(engine.outcomes_csv(ledger), "2026-03", budget_fen=500_000, **work)
    # Only a ledger knows the month's work in full (what visits found, teams…).
    summary = by_ledger.pop("work")
    assert summary["meetings"] == by_ledger["total"]["counts"]["meetings"] > 0
    assert by_ledger == by_rows == by_csv
    assert sum(a["fen"] for a in by_ledger["rewards"]["allocations"]) == 500_000
    with pytest.raises(gridgov.InputError) as info:
        engine.score(ledger, "2026-03", visits=outcomes["visits"][:1])
    assert "a ledger gives its own cases, visits, meetings and register" in str(info.value)
    with pytest.raises(gridgov.ScoreError) as info:
        engine.score([dict(outcomes["outcomes"][0], satisfaction=9)], "2026-03")
    assert info.value.code == "outcome_row"
    with pytest.raises(gridgov.JsonError):
        engine.score(ledger, "March")


def test_rule_sets_load_and_validate_to_objects(tmp_path):
    rules = gridgov.RuleSet.fushan()
    assert rules.versions == ["fushan-2025", "fushan-2026"]
    validation = rules.validate()
    assert validation.ok
    assert all(isinstance(w, gridgov.Problem) for w in validation.warnings)
    bad = rules.to_dict()
    bad["versions"][1]["tables"][0]["rows"][0]["when"][1] = ">= thirty"
    result = gridgov.validate_rules(bad)
    assert not result.ok
    problem = result.errors[0]
    assert isinstance(problem, gridgov.Problem)
    assert problem.code and problem.message and problem.location
    with pytest.raises(gridgov.RuleError):
        gridgov.RuleSet.load(bad)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules.to_dict()), encoding="utf-8")
    assert gridgov.RuleSet.load(path).json == rules.json
    assert gridgov.validate_rules("{").errors[0].code == "rules_parse"


def case_dict(row):
    """A row of a case table as the case dict the JSON API reads."""
    case = {k: v for k, v in row.items() if v is not None}
    if "amount_yuan" in case:
        case["amount_yuan"] = str(case["amount_yuan"])
    if "risk_flags" in case:
        case["risk_flags"] = case["risk_flags"].split(",")
    if "attributes" in case:
        case["attributes"] = json.loads(case["attributes"])
    return case


def _stricter_disputes():
    """Disputes of 3 or 4 people go to the community instead of staying in the grid."""
    rules = gridgov.RuleSet.fushan().to_dict()
    for version in rules["versions"]:
        for row in version["tables"][0].get("rows", []):
            if row["id"] == "dispute-grid":
                row["when"][1] = "< 3"
            if row["id"] == "dispute-community-people":
                row["when"][1] = "[3..30)"
    return rules


def test_backtest_names_every_case_that_moves(engine):
    stricter = _stricter_disputes()
    cases = [case_dict(c) for c in engine.simulate_cases(2026, 3, 5000, seed=9).to_pylist()]
    report = engine.backtest(stricter, cases)
    assert report["cases"] == 5000
    assert report["errors_a"] == report["errors_b"] == 0
    assert report["same"] + report["different"] == 5000
    assert report["different"] > 0
    other = engine.with_rules(stricter)
    moved = 0
    by_id = {c["id"]: c for c in cases}
    for d in report["differences"]:
        case = by_id[d["case"]]
        a, b = engine.route(case), other.route(case)
        assert (a["level"], b["level"]) == (d["a"]["level"], d["b"]["level"])
        assert f'{b["rule"]["table"]}/{b["rule"]["row"]}' == d["b"]["rule"]
        assert 3 <= case.get("people_involved", 1) <= 4
        moved += d["a"]["level"] == "grid" and d["b"]["level"] == "community"
    assert {"from": "grid", "to": "community", "cases": moved} in report["moves"]
    # The same rules decide the same.
    same = gridgov.backtest(gridgov.RuleSet.fushan(), gridgov.RuleSet.fushan(), cases)
    assert (same["different"], same["differences"]) == (0, [])
    # A table gives the same report as dicts.
    table = engine.simulate_cases(2026, 3, 5000, seed=9)
    assert engine.backtest(stricter, table) == report


def test_backtest_limit_and_unreadable_cases(engine):
    stricter = _stricter_disputes()
    cases = [dict(CASE, id=f"c{i}", people_involved=3) for i in range(5)] + [{"id": 7}]
    report = engine.backtest(stricter, cases, limit=2)
    assert report["different"] == 5
    assert len(report["differences"]) == 2 and report["differences_left_out"] == 3
    assert report["errors_a"] == report["errors_b"] == 1


def test_engines_pickle_with_their_documents(engine):
    custom = engine.with_rules(_stricter_disputes())
    for e in (engine, custom, gridgov.Engine(rules=gridgov.RuleSet.fushan())):
        clone = pickle.loads(pickle.dumps(e))
        case = dict(CASE, people_involved=3)
        assert clone.route(case) == e.route(case)
    assert pickle.loads(pickle.dumps(custom)).route(dict(CASE, people_involved=3))["level"] == "community"


def test_simulation_is_seeded(engine):
    a = engine.simulate_cases(2026, 3, 300, seed=1)
    b = engine.simulate_cases(2026, 3, 300, seed=1)
    c = engine.simulate_cases(2026, 3, 300, seed=2)
    assert a.equals(b) and not a.equals(c)
    with pytest.raises(gridgov.InputError):
        engine.simulate_cases(2026, 13, 10)
    with pytest.raises(gridgov.InputError):
        engine.simulate_cases(2026, 3, 10**9)
    for bad in (-1, 2.5, "10", True):
        with pytest.raises(gridgov.InputError):
            engine.simulate_cases(2026, 3, bad)


def test_route_dict_direct_path_equals_the_json_path_on_seeded_cases(engine):
    cases = [case_dict(c) for c in engine.simulate_cases(2026, 3, 3000, seed=21).to_pylist()]
    for case in cases:
        assert engine.route(case) == json.loads(engine.route_json(json.dumps(case, ensure_ascii=False)))
    # Values the direct path does not read (a tuple, a float amount) still decide alike.
    case = dict(cases[0], amount_yuan=1500.5, risk_flags=("mass_incident",))
    assert engine.route(case) == json.loads(engine.route_json(json.dumps(
        dict(case, risk_flags=["mass_incident"]))))


def test_route_is_the_native_method_and_a_subclass_may_replace_it():
    """`route` and `route_json` are the native engine's bound methods (no Python frame
    per call), on every way an engine is made; a subclass's own `route` is kept and
    reaches the native one with `super()`; either way the decision is the JSON path's."""
    made = [gridgov.Engine(), gridgov.Engine.fushan(), gridgov.Engine.fushan().with_rules(
        gridgov.Engine.fushan().rules), pickle.loads(pickle.dumps(gridgov.Engine()))]
    want = json.loads(gridgov.Engine.fushan().route_json(json.dumps(CASE)))
    for engine in made:
        assert type(engine.route).__name__ == "builtin_function_or_method"
        assert type(engine.route_json).__name__ == "builtin_function_or_method"
        assert engine.route(CASE) == want
        assert json.loads(engine.route_json(json.dumps(CASE))) == want

    class Counting(gridgov.Engine):
        calls = 0

        def route(self, case, explain=False):
            Counting.calls += 1
            return super().route(case, explain)

    class Plain(gridgov.Engine):
        pass

    assert Counting().route(CASE) == want and Counting.calls == 1
    assert Plain().route(CASE) == want
    # The JSON path for what the dict reader leaves: a datetime, a Decimal.
    case = dict(CASE, reported_at=dt.datetime(2026, 3, 2, 9, 15, tzinfo=CST),
                amount_yuan=decimal.Decimal("12.50"))
    assert Counting().route(case) == json.loads(gridgov.Engine.fushan().route_json(
        json.dumps(dict(CASE, amount_yuan="12.50"))))
    assert "explain=True" in gridgov.Engine.__slots__["route"]


def test_route_dict_is_the_callers_own_and_ordered_as_the_json(engine):
    """Decisions of the same unit and row share what the engine made once; what a caller
    is given is its own: changing it (the dict, its `rule`, its lists) changes no later
    decision. Its keys come in the JSON's order."""
    cases = [case_dict(c) for c in engine.simulate_cases(2026, 3, 400, seed=5).to_pylist()]
    for case in cases:
        want = json.loads(engine.route_json(json.dumps(case, ensure_ascii=False)))
        got = engine.route(case)
        assert got == want and list(got) == list(want)
        assert list(got["rule"]) == list(want["rule"])
        got["unit"] = "changed"
        got["rule"]["why"] = "changed"
        got["flags"].append("changed")
        got["co_offices"].append("changed")
        assert engine.route(case) == want
    explained = engine.route(cases[0], explain=True)
    assert list(explained)[-1] == "trace" and explained["trace"]


def test_route_dict_reads_keys_whatever_objects_they_are(engine):
    """The native side knows key objects it met before by address: keys written in
    source (interned), keys read from JSON, keys made fresh for every dict (more than it
    keeps), and a key that only reads like a field all decide as the JSON path does."""
    cases = [case_dict(c) for c in engine.simulate_cases(2026, 3, 200, seed=8).to_pylist()]

    def fresh(key):
        return "".join(list(key))  # an equal string, a new object each time

    for i, case in enumerate(cases):
        want = json.loads(engine.route_json(json.dumps(case, ensure_ascii=False)))
        made = {fresh(k): v for k, v in case.items()}
        loaded = json.loads(json.dumps(case, ensure_ascii=False))
        for given in (made, loaded, case):
            got = engine.route(given)
            assert got == want
            # The direct path took it: the decision's case id is the caller's own
            # string, not a copy of it (the JSON path makes a new one).
            assert got["case"] is given["id"]
        if i % 50 == 0:
            # A key that is not a field, after the fields' keys were met, still leaves
            # the direct path for the JSON path's error.
            with pytest.raises(gridgov.CaseError, match="unknown field `colour`"):
                engine.route(dict(made, colour="red"))
    # A subclass of str as a key is read by its text, as json.dumps writes it.
    class Key(str):
        pass

    case = cases[0]
    odd = {Key(k): v for k, v in case.items()}
    assert engine.route(odd) == engine.route(case)


def test_access_by_jurisdiction(engine):
    ledger = gridgov.Ledger()
    ledger.extend(engine.intake(ledger, dict(CASE, id="a1", reporter={
        "name": "王芳", "phone": "13800001234", "id_number": "370883199001011234"})))
    ledger.extend(engine.intake(ledger, dict(CASE, id="a2", location="fs-c02-g01-m1")))
    worker = gridgov.Actor("fs-gw002", "grid_worker")
    resident = {"id": "370883199001011234", "role": "resident"}
    assert engine.visible_cases(worker, ledger) == ["a1"]
    assert engine.visible_cases(gridgov.Actor("c", "community_cadre", "fs-c02"), ledger) == ["a2"]
    assert engine.visible_cases(resident, ledger) == ["a1"]
    assert engine.can(worker, "resolve", ledger, "a1") is True
    assert engine.can(worker, "view", ledger, "a2") is False
    assert engine.can(gridgov.Actor("a", "analyst"), "act", ledger, "a1") is False
    public = json.dumps(engine.timeline_for(resident, ledger, "a1"), ensure_ascii=False)
    assert "13800001234" not in public and "138****1234" in public
    assert "13800001234" in json.dumps(engine.timeline_for(worker, ledger, "a1"))
    masked = json.dumps(engine.export(gridgov.Actor("a", "analyst"), ledger), ensure_ascii=False)
    assert "13800001234" not in masked and "王芳" not in masked
    with pytest.raises(gridgov.AccessError) as info:
        engine.export(resident, ledger)
    assert info.value.code == "forbidden" and "370883199001011234" not in str(info.value)
    with pytest.raises(gridgov.AccessError) as info:
        engine.timeline_for({"id": "r2", "role": "resident"}, ledger, "a1")
    assert info.value.code == "out_of_scope"
    with pytest.raises(gridgov.AccessError) as info:
        engine.visible_cases(gridgov.Actor("m", "mayor"), ledger)
    assert info.value.code == "unknown_role"
    with pytest.raises(gridgov.QueryError) as info:
        engine.can(worker, "view", ledger, "nope")
    assert info.value.code == "unknown_case"
    with pytest.raises(gridgov.JsonError):
        engine.can(worker, "fly", ledger, "a1")
