"""Per-item figures of the Python package (run with the package installed):

    python benches/python/bench.py [--rows 1000000] [--calls 200000] [--repeat 3]

Prints, best of ``--repeat`` runs:
- per-call ``route_json`` (JSON text in and out) and ``route`` (dict in and out), lean
  (the default) and with ``explain=True`` (the trace);
- ``route_batch`` on a table of ``--rows`` seeded cases: from a pyarrow Table on 1 thread
  and on all cores, and from a pandas DataFrame read from CSV (conversion to Arrow
  included); ``route_csv`` on the same cases as CSV text;
- ``score_outcomes`` on an outcome table of ``--rows`` rows (one month of the Fushan
  default), from a pyarrow Table.
Times are wall-clock per item; the machine's other load shows in them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import gridgov


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def each(fn, items) -> None:
    """Calls ``fn`` on every item, keeping no result."""
    for item in items:
        fn(item)


def outcome_table(engine: gridgov.Engine, rows: int, seed: int) -> pa.Table:
    """A month of outcomes: the seeded cases, most resolved within days at the level
    they were routed to, some late, some unresolved, most evaluated."""
    cases = engine.simulate_cases(2026, 3, rows, seed=seed)
    routed = engine.route_batch(cases)
    rng = np.random.default_rng(seed)
    reported = pa.compute.cast(
        pa.compute.strptime(cases.column("reported_at"), format="%Y-%m-%dT%H:%M:%S%z", unit="s"),
        pa.timestamp("s", tz="UTC"),
    )
    reported_s = reported.cast(pa.int64()).to_numpy()
    resolved_after = rng.integers(600, 9 * 86400, rows)
    open_case = rng.random(rows) < 0.05
    resolved = np.where(open_case, 0, reported_s + resolved_after)
    satisfaction = np.where(open_case | (rng.random(rows) < 0.2), 0,
                            rng.choice([5, 5, 5, 4, 4, 3, 2, 1], rows))
    level = pa.compute.cast(routed.column("level"), pa.string())
    return pa.table({
        "id": cases.column("id"),
        "location": cases.column("location"),
        "category": cases.column("category"),
        "channel": cases.column("channel"),
        "reported_at": reported,
        "resolved_at": pa.array(resolved, pa.timestamp("s", tz="UTC"), mask=open_case),
        "resolved_level": pa.array(level.to_pylist(), pa.string(), mask=open_case),
        "satisfaction": pa.array(satisfaction, pa.int8(), mask=satisfaction == 0),
        "time_limit": pa.compute.cast(routed.column("time_limit"), pa.string()),
        "due": routed.column("due"),
        "returned": pa.array(rng.random(rows) < 0.02, pa.bool_()).cast(pa.int8()),
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = gridgov.Engine.fushan()
    cores = os.cpu_count() or 1
    print(f"gridgov {gridgov.__version__}, {cores} cores, {args.rows:,} rows, best of {args.repeat}")

    cases = engine.simulate_cases(2026, 3, args.rows, seed=20_260_301)
    sample = cases.slice(0, args.calls).to_pylist()
    dicts = []
    for row in sample:
        case = {k: v for k, v in row.items() if v is not None}
        case["amount_yuan"] = str(case["amount_yuan"])
        if "risk_flags" in case:
            case["risk_flags"] = case["risk_flags"].split(",")
        if "attributes" in case:
            case["attributes"] = json.loads(case["attributes"])
        dicts.append(case)
    texts = [json.dumps(c, ensure_ascii=False) for c in dicts]

    # Each result is dropped as a caller handling one case at a time drops it: keeping a
    # list of 200,000 decisions alive would time Python's garbage collector walking it.
    route_json = engine.route_json
    t = best(lambda: each(route_json, texts), args.repeat)
    print(f"route_json, per call:                       {t / len(texts) * 1e9:9.0f} ns")
    t = best(lambda: each(lambda s: route_json(s, explain=True), texts), args.repeat)
    print(f"route_json with explain (the trace), per call: {t / len(texts) * 1e9:6.0f} ns")
    route = engine.route
    t = best(lambda: each(route, dicts), args.repeat)
    print(f"route (dict in, dict out), per call:        {t / len(dicts) * 1e9:9.0f} ns")
    t = best(lambda: each(lambda c: route(c, explain=True), dicts), args.repeat)
    print(f"route with explain (the trace), per call:   {t / len(dicts) * 1e9:9.0f} ns")

    for threads in (1, cores):
        t = best(lambda: engine.route_batch(cases, threads=threads), args.repeat)
        print(f"route_batch, pyarrow Table, {threads} thread(s):     {t / args.rows * 1e9:9.1f} ns/row")
    # As an analyst has it: an exported CSV read by pandas, every column text.
    frame = pd.read_csv(io.StringIO(engine.simulate_cases_csv(2026, 3, args.rows, seed=20_260_301)),
                        dtype=str, keep_default_na=False)
    t = best(lambda: engine.route_batch(frame), args.repeat)
    print(f"route_batch, pandas DataFrame, {cores} thread(s):  {t / args.rows * 1e9:9.1f} ns/row (conversion to Arrow included)")
    text = engine.simulate_cases_csv(2026, 3, args.rows, seed=20_260_301)
    t = best(lambda: engine.route_csv(text), args.repeat)
    print(f"route_csv, CSV text in and out, 1 thread:   {t / args.rows * 1e9:9.1f} ns/row")

    outcomes = outcome_table(engine, args.rows, seed=7)
    t = best(lambda: engine.score_outcomes(outcomes, "2026-03"), args.repeat)
    print(f"score_outcomes, pyarrow Table:              {t / args.rows * 1e9:9.1f} ns/row")


if __name__ == "__main__":
    main()
