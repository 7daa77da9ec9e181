"""Route and score on a Dask cluster you already run: gridgov brings no cluster code.

The engine pickles by its documents, so it travels to the workers; each partition is an
Arrow-compatible pandas frame that ``route_batch`` reads column by column. Scoring ranks
every grid of a month against all the others, yet no worker needs the whole table: each
partition of the outcomes is scored into a partial (per-unit counters) for every month
of the year, the partials of a month are merged as a tree (pairs, then pairs of pairs),
and only the last, small partial is finished into the month's ranking, lists and rewards,
byte for byte what scoring the whole table at once gives.

    python py/examples/dask_scale_out.py            # a LocalCluster of 2 worker processes
    python py/examples/dask_scale_out.py tcp://scheduler:8786
"""

from __future__ import annotations

import json
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


def route_on_dask(client, engine: gridgov.Engine, cases: pd.DataFrame, partitions: int) -> pd.DataFrame:
    import dask.dataframe as dd

    frame = dd.from_pandas(cases, npartitions=partitions)
    meta = route_partition(cases.head(0), engine)
    routed = frame.map_partitions(route_partition, engine, meta=meta)
    return client.compute(routed).result().reset_index(drop=True)


def partials_of(part: pa.Table, months: list[str], engine: gridgov.Engine,
                history: int | None = None) -> list[pa.Table]:
    """One partition of outcomes scored for each month: a partial per month."""
    return [engine.score_partial(part, month, history=history) for month in months]


def pick(partials: list[pa.Table], m: int) -> pa.Table:
    """The partial of the ``m``-th month of a partition's."""
    return partials[m]


def merge(engine: gridgov.Engine, partials: list[pa.Table]) -> pa.Table:
    """Partials of one month added into one."""
    return engine.merge_partials(partials)


def finish(engine: gridgov.Engine, partial: pa.Table, month: str, history: int | None = None,
           report: bool = False) -> pa.Table | str:
    """The month's grid ranking (or, with ``report``, its whole report as the core's
    JSON text) from the month's merged partial."""
    if report:
        request = {"month": month} if history is None else {"month": month, "history": history}
        return engine.score_finish_json(partial, json.dumps(request))
    return engine.score_finish(partial, month, history=history)


def score_on_dask(client, engine: gridgov.Engine, outcomes: pa.Table, months: list[str],
                  partitions: int = 8, history: int | None = None, fan_in: int = 2,
                  report: bool = False) -> dict[str, pa.Table | str]:
    """Every month of ``months`` scored from ``partitions`` partitions of the outcome
    table: each partition lives on one worker, its partials are merged ``fan_in`` at a
    time, and each month is finished from its last partial."""
    size = -(-outcomes.num_rows // partitions)
    # hash=False: Dask would take slices of one table for the same data and keep one.
    parts = client.scatter([outcomes.slice(i * size, size) for i in range(partitions)],
                           hash=False)
    per_part = client.map(partials_of, parts, months=months, engine=engine, history=history)
    results = {}
    for m, month in enumerate(months):
        level = [client.submit(pick, p, m) for p in per_part]
        while len(level) > 1:
            level = [client.submit(merge, engine, level[i:i + fan_in])
                     for i in range(0, len(level), fan_in)]
        results[month] = client.submit(finish, engine, level[0], month, history, report)
    return dict(zip(results, client.gather(list(results.values()))))


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
