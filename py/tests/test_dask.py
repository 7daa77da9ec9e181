"""Scale-out on Dask distributed (a LocalCluster of 2 worker processes): the partitioned
results equal the single-process ones."""

import json
import pathlib
import sys

import pyarrow as pa
import pytest

import gridgov

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import dask_scale_out  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_route_batch_over_partitions_equals_one_process(client):
    engine = gridgov.Engine.fushan().with_rules(gridgov.RuleSet.fushan())
    cases = engine.simulate_cases(2026, 3, 40_000, seed=5).to_pandas()
    cases.loc[17, "location"] = "nowhere"  # one bad row, reported in its column
    on_dask = dask_scale_out.route_on_dask(client, engine, cases, partitions=6)
    local = dask_scale_out.route_partition(cases, engine)
    assert len(on_dask) == 40_000
    assert on_dask.astype(str).equals(local.astype(str))
    assert on_dask.loc[17, "error_code"] == "case_invalid"


def test_tree_reduced_partials_give_the_bytes_of_one_process(client):
    """A quarter of outcomes in 9 partitions on 2 workers: each month's partials merged as
    a tree and finished are the whole table's report, byte for byte."""
    engine = gridgov.Engine.fushan()
    rows = []
    for m in (3, 4, 5):
        rows += engine.outcomes(engine.simulate_month(2026, m, 1500, seed=m))["outcomes"]
    # Every column, though a row leaves it out (pyarrow infers the columns from the first).
    columns = sorted(set().union(*rows))
    outcomes = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])
    months = ["2026-03", "2026-04", "2026-05"]
    reports = dask_scale_out.score_on_dask(client, engine, outcomes, months, partitions=9,
                                           history=2, report=True)
    tables = dask_scale_out.score_on_dask(client, engine, outcomes, months, partitions=9,
                                          history=2, fan_in=3)
    for month in months:
        whole = engine.score_outcomes_json(json.dumps(
            {"month": month, "history": 2, "outcomes": rows}, ensure_ascii=False))
        assert reports[month] == whole
        assert tables[month].equals(engine.score_outcomes(outcomes, month, history=2))
    # The May report lists common demands, so their cases came through the partials too.
    assert json.loads(reports["2026-05"])["common_demands"]
