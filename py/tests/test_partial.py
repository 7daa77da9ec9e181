"""Scoring that merges: partials of an outcome table's partitions, merged and finished,
are the whole table's report; a partial survives pandas and polars; what does not belong
together is refused with the core's error."""

import json
import pathlib

import pyarrow as pa
import pytest

import gridgov


@pytest.fixture(scope="module")
def engine():
    return gridgov.Engine.fushan()


@pytest.fixture(scope="module")
def rows(engine):
    out = []
    for m in (2, 3):
        out += engine.outcomes(engine.simulate_month(2026, m, 1200, seed=m))["outcomes"]
    return out


@pytest.fixture(scope="module")
def outcomes(rows):
    columns = sorted(set().union(*rows))
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])


def test_partitions_merged_and_finished_are_the_whole_table(engine, rows, outcomes):
    parts = [outcomes.slice(i, 700) for i in range(0, outcomes.num_rows, 700)]
    partials = [engine.score_partial(p, "2026-03", history=1) for p in parts]
    merged = engine.merge_partials(partials)
    # Merging is associative: merged in another grouping, the same partial.
    regrouped = engine.merge_partials([engine.merge_partials(partials[:2]),
                                       engine.merge_partials(partials[2:])])
    assert regrouped.equals(merged)
    whole = engine.score_outcomes_json(json.dumps(
        {"month": "2026-03", "history": 1, "budget_fen": 30_000_000, "outcomes": rows},
        ensure_ascii=False))
    finished = engine.score_finish_json(
        merged, json.dumps({"month": "2026-03", "history": 1, "budget_fen": 30_000_000}))
    assert finished == whole
    assert engine.score_finish_report(merged, "2026-03", history=1,
                                      budget_fen=30_000_000) == json.loads(whole)
    for level in ("grid", "worker", "community", "office"):
        assert engine.score_finish(merged, "2026-03", history=1, level=level).equals(
            engine.score_outcomes(outcomes, "2026-03", history=1, level=level))
    header = merged.slice(0, 1).to_pylist()[0]
    assert (header["part"], header["month"], header["n"], header["at"]) == (
        "header", "2026-03", 1, outcomes.num_rows)


def test_a_partial_survives_pandas_and_polars(engine, outcomes):
    partial = engine.score_partial(outcomes, "2026-03")
    finished = engine.score_finish_json(partial, '{"month": "2026-03"}')
    assert engine.score_finish_json(partial.to_pandas(), '{"month": "2026-03"}') == finished
    polars = pytest.importorskip("polars")
    frame = polars.from_arrow(partial).sample(fraction=1.0, shuffle=True, seed=3)
    assert engine.score_finish_json(frame, '{"month": "2026-03"}') == finished


def test_work_given_at_the_finish_counts_once(engine):
    ledger = engine.simulate_month(2026, 3, 600, seed=9)
    table = engine.outcomes(ledger)
    columns = sorted(set().union(*table["outcomes"]))
    outcomes = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in table["outcomes"]])
    partial = engine.merge_partials([engine.score_partial(outcomes.slice(0, 300), "2026-03"),
                                     engine.score_partial(outcomes.slice(300), "2026-03")])
    work = {k: table[k] for k in ("visits", "meetings", "register")}
    finished = engine.score_finish_json(partial, json.dumps({"month": "2026-03", **work},
                                                            ensure_ascii=False))
    whole = engine.score_json(ledger, '{"month": "2026-03"}')
    expected = json.loads(whole)
    expected.pop("work")  # only a ledger gives the month's work summary
    assert json.loads(finished) == expected


def test_what_does_not_belong_together_is_refused(engine, outcomes):
    march = engine.score_partial(outcomes, "2026-03")
    april = engine.score_partial(outcomes, "2026-04")
    with pytest.raises(gridgov.ScoreError, match="same month and history") as info:
        engine.merge_partials([march, april])
    assert info.value.code == "score_request"
    with pytest.raises(gridgov.ScoreError, match="the partial is of 2026-03 with 11 months"):
        engine.score_finish(march, "2026-04")
    with pytest.raises(gridgov.ScoreError, match="several partials"):
        engine.score_finish(pa.concat_tables([march, march]), "2026-03")
    with pytest.raises(gridgov.ScoreError, match="no `header` row"):
        engine.score_finish(march.slice(1), "2026-03")
    with pytest.raises(gridgov.InputError, match="partial has no column `part`"):
        engine.score_finish(outcomes, "2026-03")
    with pytest.raises(gridgov.InputError, match="no partial to merge"):
        engine.merge_partials([])
    with pytest.raises(gridgov.InputError, match="`budget_fen` is not read by a partial"):
        engine._native.score_partial_arrow(outcomes, '{"month": "2026-03", "budget_fen": 5}')
    fixtures = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures"
    small = gridgov.Engine(org=(fixtures / "score_org.json").read_text(encoding="utf-8"),
                           rules=(fixtures / "score_rules.json").read_text(encoding="utf-8"))
    with pytest.raises(gridgov.ScoreError, match="is not a grid of the organisation"):
        small.score_finish(march, "2026-03")
