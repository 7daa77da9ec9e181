"""The batch path: Arrow tables in and out, agreeing with the per-call API row by row."""

import datetime as dt
import decimal
import io
import json

import pyarrow as pa
import pyarrow.compute  # noqa: F401
import pyarrow.csv  # noqa: F401
import pytest

import gridgov
from test_api import case_dict

pandas = pytest.importorskip("pandas")
polars = pytest.importorskip("polars")


@pytest.fixture(scope="module")
def engine():
    return gridgov.Engine.fushan()


@pytest.fixture(scope="module")
def cases(engine):
    return engine.simulate_cases(2026, 3, 100_000, seed=20_260_301)


def per_call_row(decision):
    """A per-call decision in the shape of a batch row."""
    return {
        "case": decision["case"], "version": decision["version"], "grade": decision["grade"],
        "level": decision["level"], "unit": decision["unit"],
        "unit_name": decision["unit_name"], "office": decision["office"],
        "co_offices": decision["co_offices"], "handler": decision["handler"],
        "handler_role": decision["handler_role"], "time_limit": decision["time_limit"],
        "due": decision["due"], "flags": decision["flags"],
        "rule_table": decision["rule"]["table"], "rule_row": decision["rule"]["row"],
        "error_code": None, "error": None,
    }


def batch_rows(table):
    rows = table.to_pylist()
    for r in rows:
        if r["due"] is not None:
            r["due"] = r["due"].isoformat()
    return rows


def test_batch_and_per_call_agree_on_100000_seeded_cases(engine, cases):
    assert cases.num_rows == 100_000
    batch = batch_rows(engine.route_batch(cases))
    differences = 0
    for row, decided in zip(cases.to_pylist(), batch):
        per_call = per_call_row(json.loads(engine.route_json(json.dumps(case_dict(row)))))
        differences += per_call != decided
    assert differences == 0
    assert len({r["level"] for r in batch}) >= 4


def test_threads_and_chunking_do_not_change_the_result(engine, cases):
    one = engine.route_batch(cases, threads=1)
    two = engine.route_batch(cases, threads=2)
    chunked = engine.route_batch(pa.Table.from_batches(cases.to_batches(max_chunksize=7_001)),
                                 threads=3)
    assert batch_rows(one) == batch_rows(two) == batch_rows(chunked)


def test_pandas_polars_and_lists_of_dicts_route_alike(engine, cases):
    small = cases.slice(0, 3000)
    expected = batch_rows(engine.route_batch(small))
    assert batch_rows(engine.route_batch(small.to_pandas())) == expected
    assert batch_rows(engine.route_batch(polars.from_arrow(small))) == expected
    assert batch_rows(engine.route_batch(small.to_pylist())) == expected


def test_result_is_typed_for_analysts(engine, cases):
    out = engine.route_batch(cases.slice(0, 100))
    assert pa.types.is_dictionary(out.schema.field("level").type)
    assert out.schema.field("due").type == pa.timestamp("s", tz="+08:00")
    frame = out.to_pandas()
    assert str(frame["level"].dtype) == "category"


CASE = {"id": "t1", "channel": "hotline", "category": "neighbour_dispute",
        "location": "fs-c01-g02-m1", "reported_at": "2026-03-02T09:15:00+08:00"}


def one_row(**columns):
    data = {k: [v] for k, v in CASE.items()}
    return pa.table({**data, **columns})


@pytest.mark.parametrize("reported_at", [
    pa.array([dt.datetime(2026, 3, 2, 9, 15)], pa.timestamp("s", tz="+08:00")),
    pa.array([dt.datetime(2026, 3, 2, 1, 15)], pa.timestamp("ms", tz="UTC")),
    pa.array([dt.datetime(2026, 3, 2, 1, 15)], pa.timestamp("us", tz="UTC")),
    pa.array([dt.datetime(2026, 3, 2, 9, 15)], pa.timestamp("ns", tz="Asia/Shanghai")),
    # Any IANA zone: 20:15 EST on 1 March is the same instant.
    pa.array([dt.datetime(2026, 3, 2, 1, 15, tzinfo=dt.timezone.utc)],
             pa.timestamp("s", tz="America/New_York")),
    pa.array([dt.datetime(2026, 3, 2, 9, 15)], pa.timestamp("ns")),
    pa.array(["2026-03-02T09:15:00+08:00"], pa.large_string()),
    pa.array(["2026-03-02T09:15:00+08:00"], pa.string_view()),
    pa.array(["2026-03-02T09:15:00+08:00"]).dictionary_encode(),
])
def test_time_columns_of_every_kind_read_the_same(engine, reported_at):
    expected = batch_rows(engine.route_batch(one_row()))
    assert batch_rows(engine.route_batch(one_row(reported_at=reported_at))) == expected


@pytest.mark.parametrize("amount,row", [
    (pa.array([decimal.Decimal("12000.50")], pa.decimal128(12, 2)), "dispute-community-amount"),
    (pa.array([decimal.Decimal("12000.500")], pa.decimal128(12, 3)), "dispute-community-amount"),
    (pa.array([decimal.Decimal("9999.99")], pa.decimal128(6, 2)), "dispute-grid"),
    (pa.array([10000], pa.int64()), "dispute-community-amount"),
    (pa.array([9999.99], pa.float64()), "dispute-grid"),
    (pa.array(["10000"]), "dispute-community-amount"),
    (pa.array([None], pa.float64()), "dispute-grid"),
])
def test_amount_columns_are_exact(engine, amount, row):
    out = engine.route_batch(one_row(amount_yuan=amount)).to_pylist()[0]
    assert out["rule_row"] == row


@pytest.mark.parametrize("column,value,field", [
    ("amount_yuan", pa.array([0.1 + 0.2]), "amount_yuan"),
    ("amount_yuan", pa.array([decimal.Decimal("1.005")], pa.decimal128(6, 3)), "amount_yuan"),
    ("amount_yuan", pa.array([float("nan")]), "amount_yuan"),
    ("amount_yuan", pa.array([True]), "amount_yuan"),
    ("people_involved", pa.array([-1]), "people_involved"),
    ("people_involved", pa.array([2**40]), "people_involved"),
    ("people_involved", pa.array([2.5]), "people_involved"),
    ("people_involved", pa.array([0]), "people_involved"),
    ("repeat_count", pa.array(["many"]), "repeat_count"),
    ("channel", pa.array(["fax"]), "channel"),
    ("channel", pa.array([None], pa.string()), "channel"),
    ("id", pa.array([17]), "id"),
    ("id", pa.array(["has space"]), "id"),
    ("category", pa.array(["weather"]), "category"),
    ("location", pa.array(["fs-c01"]), "location"),
    ("reported_at", pa.array(["2026-02-30T09:00:00+08:00"]), "reported_at"),
    ("attributes", pa.array(["{not json"]), "attributes"),
    ("risk_flags", pa.array(["mass_incident,no_such_flag"]), "risk_flags"),
])
def test_bad_cells_name_the_row_and_the_column(engine, column, value, field):
    bad = one_row(**{column: value})
    with pytest.raises(gridgov.GridgovError) as info:
        engine.route_batch(bad)
    assert str(info.value).startswith("row 0")
    assert f"`{field}`" in str(info.value)
    out = engine.route_batch(bad, errors="column").to_pylist()[0]
    assert out["error_code"] == info.value.code
    assert f"`{field}`" in out["error"]
    assert out["level"] is None and out["due"] is None


def test_any_iana_zone_reads_and_an_unknown_zone_is_a_table_error(engine):
    # 02:15 in Berlin (CET) on 2 March is 09:15+08:00: the same decision as the text.
    berlin = pa.array([dt.datetime(2026, 3, 2, 1, 15, tzinfo=dt.timezone.utc)],
                      pa.timestamp("s", tz="Europe/Berlin"))
    text = pa.array(["2026-03-02T09:15:00+08:00"])
    assert (engine.route_batch(one_row(reported_at=berlin)).to_pylist()
            == engine.route_batch(one_row(reported_at=text)).to_pylist())
    mars = pa.array([0], pa.timestamp("s", tz="Mars/Olympus_Mons"))
    with pytest.raises(gridgov.InputError) as info:
        engine.route_batch(one_row(reported_at=mars))
    assert info.value.code == "table"
    assert "`reported_at`" in str(info.value) and "IANA zone name" in str(info.value)


def test_errors_column_keeps_going(engine, cases):
    small = cases.slice(0, 10).to_pylist()
    small[3]["location"] = "nowhere"
    small[7]["category"] = "weather"
    out = engine.route_batch(pa.Table.from_pylist(small), errors="column").to_pylist()
    assert [r["error_code"] for r in out] == [None] * 3 + ["case_invalid"] + [None] * 3 + ["case_invalid"] + [None] * 2
    assert out[3]["case"] == small[3]["id"]
    with pytest.raises(gridgov.CaseError) as info:
        engine.route_batch(pa.Table.from_pylist(small))
    assert str(info.value).startswith(f"row 3 (case `{small[3]['id']}`): ")


@pytest.mark.parametrize("bad", [None, 5, "text", {"id": ["a"]}, [1, 2], object()])
def test_not_a_table_is_an_input_error(engine, bad):
    with pytest.raises(gridgov.InputError) as info:
        engine.route_batch(bad)
    assert info.value.code == "input_type"


def test_missing_column_and_bad_options(engine):
    with pytest.raises(gridgov.InputError) as info:
        engine.route_batch(pa.table({"id": ["a"]}))
    assert info.value.code == "table" and "`channel`" in str(info.value)
    with pytest.raises(gridgov.InputError):
        engine.route_batch(one_row(), errors="ignore")
    with pytest.raises(gridgov.InputError):
        engine.route_batch(one_row(), threads=-2)


def test_empty_tables_give_empty_results(engine):
    empty = one_row().slice(0, 0)
    out = engine.route_batch(empty)
    assert out.num_rows == 0 and "level" in out.column_names


def test_result_without_pyarrow_is_a_capsule_stream(engine):
    stream = engine._native.route_batch(one_row(), "raise", None)
    assert isinstance(stream, gridgov.ArrowStream)
    assert stream.num_rows == 1 and len(stream) == 1
    assert pa.table(stream).equals(pa.table(stream))
    assert polars.DataFrame(stream).shape == (1, 17)


# -- scoring -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def month(engine):
    ledger = engine.simulate_month(2026, 3, 4000, seed=8)
    outcomes = engine.outcomes(ledger)
    csv = engine.outcomes_csv(ledger)
    return ledger, outcomes, csv


def test_score_outcomes_agrees_with_the_json_report(engine, month):
    ledger, outcomes, csv = month
    frame = pandas.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    report = engine.score(ledger, "2026-03", budget_fen=800_000)
    table = engine.score_outcomes(frame, "2026-03", budget_fen=800_000,
                                  visits=outcomes["visits"], meetings=outcomes["meetings"],
                                  register=outcomes["register"])
    assert table.num_rows == len(report["grids"])
    for row, grid in zip(table.to_pylist(), report["grids"]):
        assert row["unit"] == grid["id"] and row["rank"] == grid["rank"]
        text = lambda v: None if v is None else str(v)  # noqa: E731
        assert text(row["score"]) == grid["score"]
        for name, value in grid["indicators"].items():
            assert (None if row[name] is None else str(row[name])) == value
        for name, value in grid["counts"].items():
            assert row[name] == value
        items = [text(row[f"points_{i}"]) for i in report["scheme_items"]]
        assert items == grid["items"]
    meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    assert meta["gridgov.month"] == "2026-03"
    assert json.loads(meta["gridgov.red_list"]) == report["red_list"]
    full = engine.score_outcomes_report(frame, "2026-03", budget_fen=800_000,
                                        visits=outcomes["visits"], meetings=outcomes["meetings"],
                                        register=outcomes["register"])
    # Only a ledger's report carries the month's work summary.
    assert full == {k: v for k, v in report.items() if k != "work"}


def test_score_outcomes_reads_typed_columns(engine, month):
    _, outcomes, csv = month
    frame = pandas.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    expected = engine.score_outcomes(frame, "2026-03")
    typed = pa.Table.from_pandas(pandas.read_csv(io.StringIO(csv)), preserve_index=False)
    for name in ("reported_at", "accepted_at", "resolved_at", "due"):
        parsed = pandas.to_datetime(typed.column(name).to_pandas(), utc=True)
        typed = typed.set_column(typed.column_names.index(name), name,
                                 pa.array(parsed, pa.timestamp("s", tz="UTC")))
    assert typed.schema.field("returned").type in (pa.float64(), pa.int64())
    got = engine.score_outcomes(typed, "2026-03")
    assert got.equals(expected)
    assert engine.score_outcomes(polars.from_arrow(typed), "2026-03").equals(expected)


def test_score_outcomes_reads_dictionary_columns_alike(engine, month):
    # Categoricals (pandas, polars, Arrow dictionaries) are resolved once per value; the
    # report is that of plain text, and a bad row is still named.
    _, outcomes, csv = month
    plain = pa.Table.from_pandas(pandas.read_csv(io.StringIO(csv), dtype=str,
                                                 keep_default_na=False), preserve_index=False)
    expected = engine.score_outcomes_report(plain, "2026-03", history=1)
    encoded = plain
    for name in ("location", "category", "channel", "resolved_level", "time_limit", "office"):
        i = encoded.column_names.index(name)
        encoded = encoded.set_column(i, name, pa.compute.dictionary_encode(encoded.column(name)))
    assert engine.score_outcomes_report(encoded, "2026-03", history=1) == expected
    cats = polars.from_arrow(plain).with_columns(
        polars.col("location", "category").cast(polars.Categorical))
    assert engine.score_outcomes_report(cats, "2026-03", history=1) == expected
    ids = encoded.column("id").to_pylist()
    ids[7] = ids[3]
    repeated = encoded.set_column(0, "id", pa.array(ids))
    with pytest.raises(gridgov.ScoreError, match=r"appears twice, in rows 4 and 8"):
        engine.score_outcomes(repeated, "2026-03")
    places = encoded.column("location").to_pylist()
    places[5] = "fs-c99"
    nowhere = encoded.set_column(encoded.column_names.index("location"), "location",
                                 pa.compute.dictionary_encode(pa.array(places)))
    with pytest.raises(gridgov.ScoreError, match=r"row 6, column `location`"):
        engine.score_outcomes(nowhere, "2026-03")


def test_score_levels_and_errors(engine, month):
    _, outcomes, _ = month
    table = pa.Table.from_pylist(outcomes["outcomes"])
    workers = engine.score_outcomes(table, "2026-03", level="worker")
    communities = engine.score_outcomes(table, "2026-03", level="community")
    assert communities.num_rows == 12 and workers.num_rows > 0
    assert all(len(g) > 0 for g in communities.column("grids").to_pylist())
    with pytest.raises(gridgov.InputError):
        engine.score_outcomes(table, "2026-03", level="galaxy")
    with pytest.raises(gridgov.InputError) as info:
        engine.score_outcomes(table.drop_columns(["location"]), "2026-03")
    assert "`location`" in str(info.value)
    bad = outcomes["outcomes"][:5]
    bad[2] = dict(bad[2], satisfaction=9)
    with pytest.raises(gridgov.ScoreError) as info:
        engine.score_outcomes(pa.Table.from_pylist(bad), "2026-03")
    assert "row 3, column `satisfaction`" in str(info.value)
    with pytest.raises(gridgov.JsonError):
        engine.score_outcomes(table, "March")
    with pytest.raises(gridgov.JsonError) as info:
        engine.score_outcomes(table, "2026-03", budget_fen=-5)
    assert "budget_fen" in str(info.value) or "invalid value" in str(info.value)


def test_route_csv_agrees_with_route_batch(engine):
    text = engine.simulate_cases_csv(2026, 3, 5000, seed=12)
    table = engine.simulate_cases(2026, 3, 5000, seed=12)
    decided = pa.csv.read_csv(pa.py_buffer(engine.route_csv(text).encode()),
                              convert_options=pa.csv.ConvertOptions(strings_can_be_null=True,
                                                                    column_types={"due": pa.string()}))
    batch = engine.route_batch(table)
    for name in ("case", "level", "unit", "handler", "time_limit", "rule_row"):
        assert decided.column(name).to_pylist() == [
            None if v is None else str(v) for v in batch.column(name).to_pylist()]
    assert decided.column("due").to_pylist() == [d.isoformat() for d in batch.column("due").to_pylist()]
    with pytest.raises(gridgov.InputError) as info:
        engine.route_csv("id,channel\nc1,app\n")
    assert info.value.code == "input" and "`category`" in str(info.value)


def test_offices_score_as_a_table_under_their_own_scheme(engine):
    def row(cid, office, due, resolved=None, satisfaction=None):
        return {"id": cid, "location": "fs-c01-g01-m1", "category": "neighbour_dispute",
                "channel": "hotline", "reported_at": "2026-03-02T09:00:00+08:00", "due": due,
                "resolved_at": resolved, "resolved_level": "department" if resolved else None,
                "satisfaction": satisfaction, "office": office}
    rows = [row("p1", "police_work_office", "2026-03-03T17:30:00+08:00",
                "2026-03-03T10:00:00+08:00", 5),
            row("j1", "judicial_office", "2026-03-05T17:30:00+08:00")]
    table = pa.Table.from_pylist(rows)
    offices = engine.score_outcomes(table, "2026-03", level="office")
    report = engine.score_outcomes_report(table, "2026-03")
    assert offices.column("unit").to_pylist() == [o["id"] for o in report["offices"]]
    got = [(r["unit"], r["rank"], None if r["score"] is None else str(r["score"]), r["evaluable"])
           for r in offices.to_pylist()]
    assert got[:2] == [("police_work_office", 1, "100.00", True), ("judicial_office", 2, "0.00", True)]
    assert all(rank == 0 and not ok for _, rank, _, ok in got[2:])
    meta = {k.decode(): v.decode() for k, v in offices.schema.metadata.items()}
    assert json.loads(meta["gridgov.scheme_items"]) == report["office_scheme_items"]
    assert "points_penalty:reopened" in offices.column_names
