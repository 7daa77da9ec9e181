"""Route and score on a Dask cluster you already run: gridgov brings no cluster code.

The engine pickles by its documents, so it travels to the workers; each partition is an
Arrow-compatible pandas frame that ``route_batch`` reads column by column. Scoring ranks
every grid of a month against all the others, so a month is scored whole on one worker
and the months of a year run side by side.

    python py/examples/dask_scale_out.py            # a LocalCluster of 2 worker processes
    python py/examples/dask_scale_out.py tcp://scheduler:8786
"""

from __future__ import annotations

import sys

import pandas as pd
import pyarrow as pa

import gridgov


def route_partition(frame: pd.DataFrame, engine: gridgov.Engine) -> pd.DataFrame:
    """One partition of cases in, its decisions out (one row per case, same order).

    ``route_batch`` writes repetitive columns (level, unit, handler…) as Arrow
    dictionaries; each partition has its own, so they are decoded to plain strings here
    for Dask to concatenate.
    """
    table = engine.route_batch(frame, errors="column")
    plain = pa.schema([
        f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
        for f in table.schema
    ])
    return table.cast(plain).to_pandas()


def score_month(outcomes: pa.Table, month: str, engine: gridgov.Engine) -> pa.Table:
    """One month's grid ranking from the whole outcome table."""
    return engine.score_outcomes(outcomes, month)


def route_on_dask(client, engine: gridgov.Engine, cases: pd.DataFrame, partitions: int) -> pd.DataFrame:
    import dask.dataframe as dd

    frame = dd.from_pandas(cases, npartitions=partitions)
    meta = route_partition(cases.head(0), engine)
    routed = frame.map_partitions(route_partition, engine, meta=meta)
    return client.compute(routed).result().reset_index(drop=True)


def score_on_dask(client, engine: gridgov.Engine, outcomes: pa.Table, months: list[str]) -> dict[str, pa.Table]:
    shared = client.scatter(outcomes, broadcast=True)
    futures = client.map(score_month, [shared] * len(months), months, engine=engine)
    return dict(zip(months, client.gather(futures)))


def main(address: str | None = None) -> None:
    from dask.distributed import Client, LocalCluster

    engine = gridgov.Engine.fushan()
    cases = engine.simulate_cases(2026, 3, 200_000, seed=1).to_pandas()
    ledgers = [engine.simulate_month(2026, m, 3000, seed=m) for m in (3, 4)]
    outcomes = pa.concat_tables(
        [pa.Table.from_pylist(engine.outcomes(ledger)["outcomes"]) for ledger in ledgers],
        promote_options="permissive",
    )
    cluster = None if address else LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    with Client(address or cluster) as client:
        routed = route_on_dask(client, engine, cases, partitions=8)
        ranked = score_on_dask(client, engine, outcomes, ["2026-03", "2026-04"])
    if cluster is not None:
        cluster.close()
    print(routed["level"].value_counts().to_string())
    for month, table in ranked.items():
        top = table.slice(0, 3).select(["unit", "name", "score"]).to_pylist()
        print(month, [(r["unit"], str(r["score"])) for r in top])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
