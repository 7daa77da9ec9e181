"""Scale-out on Dask distributed (a LocalCluster of 2 worker processes): the partitioned
results equal the single-process ones."""

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


def test_score_outcomes_per_month_equals_one_process(client):
    engine = gridgov.Engine.fushan()
    ledgers = [engine.simulate_month(2026, m, 1500, seed=m) for m in (3, 4)]
    outcomes = pa.concat_tables(
        [pa.Table.from_pylist(engine.outcomes(ledger)["outcomes"]) for ledger in ledgers],
        promote_options="permissive")
    months = ["2026-03", "2026-04"]
    on_dask = dask_scale_out.score_on_dask(client, engine, outcomes, months)
    for month in months:
        assert on_dask[month].equals(engine.score_outcomes(outcomes, month))
