"""gridgov side by side with numpy and polars, on the analyst's own data, in one process
on one thread:

    python benches/python/peers.py [--rows 1000000] [--repeat 3] [--scale 100] [--org PATH]

The city is the synthetic one of the criterion benchmarks: ``--scale`` Fushan-shaped
subdistricts (100: 15,000 grids, 38,200 micro-grids), its organisation printed by
``cargo run --release -p gridgov-benches --example city`` (cached under
``target/peers/``) unless ``--org`` names the JSON. The cases are ``--rows`` seeded
cases of March 2026 (``Engine.simulate_cases``).

The routing table is the default rule set's (the version in force in March 2026),
written once as data (its rows' cells) and turned into numpy masks for ``np.select`` and
into a polars ``when/then`` chain. gridgov routes with the same rule set, its routing
table alone (the modifiers table is left out so that the deciding row is always a row of
the table the peers evaluate). The script checks that the three agree on the deciding
row of every case, and that gridgov's monthly counts per grid are those polars computes,
and exits non-zero when they do not.

Prints, best of ``--repeat`` runs, nanoseconds per row and each ratio to its peer:
- numpy ``np.select`` over the encoded columns, and with the category encoding
  (``pyarrow.compute.dictionary_encode``) included;
- polars ``when/then`` over a frame whose category is ``Categorical``;
- gridgov ``route_batch`` (full decision columns: level, unit, handler, office, time
  limit, working-time deadline, rule row) from a pyarrow table of plain strings and from
  a polars frame with categorical columns;
- polars computing the month's counts and rates per grid (a join of micro-grid to grid,
  a group-by and four rates), and gridgov ``score_outcomes`` of the same rows (the whole
  scheme: counts, indicators, points, ranks, lists).
Times are wall-clock; the machine's other load shows in them, so read the ratios, which
are measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any, Callable

# One thread for every peer: polars reads this when it is first imported.
os.environ.setdefault("POLARS_MAX_THREADS", "1")

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

import gridgov  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import best, outcome_table  # noqa: E402  (the same timer and outcome rows)

MONTH = "2026-03"
SEED = 20_260_301

# -- the city -------------------------------------------------------------------------


def city_json(scale: int, org: str | None) -> str:
    """The organisation's JSON: the file named, or the synthetic city of `scale`."""
    if org:
        return pathlib.Path(org).read_text(encoding="utf-8")
    root = HERE.parent.parent
    cached = root / "target" / "peers" / f"city-{scale}-7.json"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            ["cargo", "run", "--release", "-q", "-p", "gridgov-benches", "--example", "city",
             "--", str(scale), "7"],
            cwd=root, check=True, capture_output=True, text=True)
        cached.write_text(out.stdout, encoding="utf-8")
    return cached.read_text(encoding="utf-8")


def routing_only(rules: dict[str, Any]) -> dict[str, Any]:
    """The rule set with each version's routing table alone."""
    out = json.loads(json.dumps(rules))
    for v in out["versions"]:
        v["tables"] = [t for t in v["tables"] if t["id"] == "routing"]
    return out


def routing_table(rules: dict[str, Any], month: str) -> dict[str, Any]:
    """The routing table of the version in force on the month's first day."""
    first = f"{month}-01"
    versions = [v for v in rules["versions"] if v["effective_from"] <= first]
    version = max(versions, key=lambda v: v["effective_from"])
    return next(t for t in version["tables"] if t["id"] == "routing")


# -- the table as data ----------------------------------------------------------------

_COMPARE = re.compile(r"^(<=|>=|<|>|=)\s*(-?[0-9.]+)$")
_RANGE = re.compile(r"^([\[(])\s*(-?[0-9.]+)\s*\.\.\s*(-?[0-9.]+)\s*([\])])$")


def cell(text: str, scale: int) -> tuple[str, Any]:
    """One cell of the table as data: ("any",), ("in", names) or ("cmp", [(op, n)…]) with
    numbers in the column's integer unit (`scale`: 100 for yuan counted in fen)."""
    text = text.strip()
    if text == "-":
        return ("any", None)
    m = _COMPARE.match(text)
    if m:
        return ("cmp", [(m.group(1), int(Decimal(m.group(2)) * scale))])
    m = _RANGE.match(text)
    if m:
        lo = (">=" if m.group(1) == "[" else ">", int(Decimal(m.group(2)) * scale))
        hi = ("<" if m.group(4) == ")" else "<=", int(Decimal(m.group(3)) * scale))
        return ("cmp", [lo, hi])
    if re.fullmatch(r"[a-z0-9_]+(\s*,\s*[a-z0-9_]+)*", text):
        return ("in", [n.strip() for n in text.split(",")])
    raise ValueError(f"cell `{text}`: this benchmark reads `-`, names, comparisons and ranges")


def table_as_data(table: dict[str, Any]) -> list[tuple[str, list[tuple[str, tuple[str, Any]]]]]:
    """Each row: its id and its cells, column by column."""
    scales = {"people_involved": 1, "amount_yuan": 100, "category": 1}
    rows = []
    for row in table["rows"]:
        cells = [(col, cell(text, scales[col])) for col, text in zip(table["inputs"], row["when"])]
        rows.append((row["id"], cells))
    return rows


_NP_OPS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "=": np.equal}


def numpy_conditions(rows, columns: dict[str, np.ndarray], codes: dict[str, int]) -> list[np.ndarray]:
    """Each row's mask over the encoded columns (`codes`: category name to code)."""
    n = len(next(iter(columns.values())))
    conds = []
    for _, cells in rows:
        mask = np.ones(n, dtype=bool)
        for col, (kind, arg) in cells:
            if kind == "in":
                wanted = np.array([codes[c] for c in arg if c in codes], dtype=columns[col].dtype)
                mask &= np.isin(columns[col], wanted)
            elif kind == "cmp":
                for op, value in arg:
                    mask &= _NP_OPS[op](columns[col], value)
        conds.append(mask)
    return conds


def polars_expression(rows) -> pl.Expr:
    """The first-hit table as one when/then chain giving the row's position."""
    def cond(cells) -> pl.Expr:
        e = pl.lit(True)
        for col, (kind, arg) in cells:
            c = pl.col("amount_fen" if col == "amount_yuan" else col)
            if kind == "in":
                e = e & c.is_in(arg)
            elif kind == "cmp":
                for op, value in arg:
                    e = e & {"<": c < value, "<=": c <= value, ">": c > value,
                             ">=": c >= value, "=": c == value}[op]
        return e
    first_id, first_cells = rows[0]
    chain = pl.when(cond(first_cells)).then(pl.lit(0, pl.Int32))
    for i, (_, cells) in enumerate(rows[1:], start=1):
        chain = chain.when(cond(cells)).then(pl.lit(i, pl.Int32))
    return chain.otherwise(pl.lit(-1, pl.Int32)).alias("row")


# -- scoring peers --------------------------------------------------------------------


def grid_of_micro_grids(org: dict[str, Any]) -> pl.DataFrame:
    """Micro-grid (and building) id to its grid id, from the organisation's units."""
    parent = {u["id"]: u.get("parent") for u in org["units"]}
    kind = {u["id"]: u["kind"] for u in org["units"]}

    def grid(u: str) -> str | None:
        while u is not None and kind.get(u) != "grid":
            u = parent.get(u)
        return u

    micro = [u["id"] for u in org["units"] if u["kind"] in ("micro_grid", "building")]
    return pl.DataFrame({"location": micro, "grid": [grid(m) for m in micro]})


def month_bounds(month: str) -> tuple[int, int]:
    """The month's first and next month's first instant, unix seconds, in UTC+8."""
    y, m = map(int, month.split("-"))
    start = int(np.datetime64(f"{y:04d}-{m:02d}-01T00:00:00") .astype("datetime64[s]").astype(np.int64))
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    end = int(np.datetime64(f"{ny:04d}-{nm:02d}-01T00:00:00").astype("datetime64[s]").astype(np.int64))
    return start - 8 * 3600, end - 8 * 3600


def polars_month(outcomes: pl.DataFrame, grids: pl.DataFrame, month: str) -> pl.DataFrame:
    """The month's counts and rates per grid, as an analyst writes them in polars: cases
    reported, closed by the month's end, due and on time, resolved in the grid,
    evaluations and satisfied; closure, on-time, in-grid and satisfaction rates."""
    start, end = month_bounds(month)
    reported = pl.col("reported_at").dt.epoch("s")
    resolved = pl.col("resolved_at").dt.epoch("s")
    due = pl.col("due").dt.epoch("s")
    in_month = (reported >= start) & (reported < end)
    return (
        outcomes.lazy()
        .join(grids.lazy(), on="location", how="left")
        .group_by("grid")
        .agg(
            cases=in_month.sum(),
            closed=(in_month & resolved.is_not_null() & (resolved < end)).sum(),
            due=((due >= start) & (due < end)).sum(),
            on_time=((due >= start) & (due < end) & resolved.is_not_null() & (resolved <= due)).sum(),
            resolved=((resolved >= start) & (resolved < end)).sum(),
            in_grid=((resolved >= start) & (resolved < end)
                     & pl.col("resolved_level").is_in(["micro_grid", "grid"])).sum(),
            evaluations=((resolved >= start) & (resolved < end) & pl.col("satisfaction").is_not_null()).sum(),
            satisfied=((resolved >= start) & (resolved < end) & (pl.col("satisfaction") >= 4)).sum(),
        )
        .with_columns(
            closure_rate=pl.col("closed") / pl.col("cases"),
            on_time_rate=pl.col("on_time") / pl.col("due"),
            in_grid_rate=pl.col("in_grid") / pl.col("resolved"),
            satisfaction_rate=pl.col("satisfied") / pl.col("evaluations"),
        )
        .collect()
    )


# -- the run --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--org", default=None, help="organisation JSON (default: the synthetic city)")
    args = parser.parse_args(argv)

    org_text = city_json(args.scale, args.org)
    org = json.loads(org_text)
    rules = gridgov.RuleSet.fushan().to_dict()
    engine = gridgov.Engine(org=org_text, rules=json.dumps(routing_only(rules)))
    table = routing_table(rules, MONTH)
    rows = table_as_data(table)
    row_ids = np.array([r for r, _ in rows] + ["(none)"], dtype=object)

    cases = engine.simulate_cases(2026, 3, args.rows, seed=SEED)
    n = cases.num_rows
    units = sum(1 for u in org["units"] if u["kind"] == "grid")
    print(f"gridgov {gridgov.__version__}, numpy {np.__version__}, polars {pl.__version__} "
          f"({pl.thread_pool_size()} thread), "
          f"pyarrow {pa.__version__}; {units:,} grids, {n:,} cases, one thread, "
          f"best of {args.repeat}; routing table `{table['id']}`, {len(rows)} rows")

    # numpy: the category encoded once per run, the numbers as integers (fen for yuan).
    people = cases.column("people_involved").to_numpy().astype(np.int64)
    amount_fen = (pc.multiply(cases.column("amount_yuan"), 100)
                  .cast(pa.int64()).to_numpy())
    category = cases.column("category")

    def numpy_route(encode: bool, codes_cache: list[Any] = []) -> np.ndarray:
        if encode or not codes_cache:
            enc = pc.dictionary_encode(category).combine_chunks()
            codes_cache[:] = [enc.indices.to_numpy(zero_copy_only=False),
                              {v: i for i, v in enumerate(enc.dictionary.to_pylist())}]
        codes, names = codes_cache
        conds = numpy_conditions(rows, {"category": codes, "people_involved": people,
                                        "amount_yuan": amount_fen}, names)
        return np.select(conds, np.arange(len(rows)), default=len(rows))

    np_rows = numpy_route(True)
    t_np = best(lambda: numpy_route(False), args.repeat) / n * 1e9
    t_np_enc = best(lambda: numpy_route(True), args.repeat) / n * 1e9

    # polars: the category Categorical, the amount in fen.
    frame = pl.from_arrow(cases).with_columns(
        pl.col("category", "channel", "location").cast(pl.Categorical),
        amount_fen=pl.col("amount_yuan").cast(pl.Decimal(20, 2)).mul(100).cast(pl.Int64),
    )
    expr = polars_expression(rows)
    pl_rows = frame.select(expr)["row"].to_numpy()
    t_pl = best(lambda: frame.select(expr), args.repeat) / n * 1e9

    # gridgov: full decisions, one thread.
    routed = engine.route_batch(cases, threads=1)
    t_gg = best(lambda: engine.route_batch(cases, threads=1), args.repeat) / n * 1e9
    cat_frame = pl.from_arrow(cases).with_columns(
        pl.col("category", "channel", "location").cast(pl.Categorical))
    routed_pl = engine.route_batch(cat_frame, threads=1)
    t_gg_pl = best(lambda: engine.route_batch(cat_frame, threads=1), args.repeat) / n * 1e9

    failures = []
    gg_rows = np.asarray(pc.cast(routed.column("rule_row"), pa.string()).to_pylist(), dtype=object)
    gg_rows_pl = np.asarray(pc.cast(routed_pl.column("rule_row"), pa.string()).to_pylist(), dtype=object)
    for name, got in (("numpy", row_ids[np_rows]), ("polars", row_ids[np.where(pl_rows < 0, len(rows), pl_rows)]),
                      ("gridgov from polars", gg_rows_pl)):
        differ = int(np.sum(got != gg_rows))
        if differ:
            first = int(np.argmax(got != gg_rows))
            failures.append(f"{name} and gridgov differ on {differ:,} cases, first case "
                            f"{cases.column('id')[first]}: {got[first]} against {gg_rows[first]}")
    print(f"rule rows agree on every case: {'no' if failures else 'yes'} "
          f"({len(set(gg_rows.tolist()))} distinct rows decided)")

    print(f"numpy np.select, codes given:                {t_np:8.1f} ns/case")
    print(f"numpy np.select + category encoding:         {t_np_enc:8.1f} ns/case")
    print(f"polars when/then, Categorical:               {t_pl:8.1f} ns/case")
    print(f"gridgov route_batch, pyarrow plain strings:  {t_gg:8.1f} ns/case  "
          f"ratio to numpy+encoding {t_gg / t_np_enc:5.2f}  to polars {t_gg / t_pl:5.2f}")
    print(f"gridgov route_batch, polars Categorical:     {t_gg_pl:8.1f} ns/case  "
          f"ratio to numpy+encoding {t_gg_pl / t_np_enc:5.2f}  to polars {t_gg_pl / t_pl:5.2f}")

    # Scoring: the same month of outcomes, by gridgov and by polars.
    outcomes = outcome_table(engine, n, seed=7)
    outcomes_pl = pl.from_arrow(outcomes)
    grids = grid_of_micro_grids(org)
    month_pl = polars_month(outcomes_pl, grids, MONTH)
    t_pl_score = best(lambda: polars_month(outcomes_pl, grids, MONTH), args.repeat) / n * 1e9
    scored = engine.score_outcomes(outcomes, MONTH)
    t_gg_score = best(lambda: engine.score_outcomes(outcomes, MONTH), args.repeat) / n * 1e9
    ours = pl.from_arrow(scored).select(pl.col("unit").alias("grid"), "cases", "closed", "due", "on_time")
    theirs = month_pl.select("grid", "cases", "closed", "due", "on_time")
    joined = ours.join(theirs, on="grid", how="left", suffix="_pl").fill_null(0)
    for col in ("cases", "closed", "due", "on_time"):
        differ = joined.filter(pl.col(col).cast(pl.Int64) != pl.col(f"{col}_pl").cast(pl.Int64)).height
        if differ:
            failures.append(f"`{col}` per grid differs from polars on {differ:,} grids")
    print(f"monthly counts per grid agree with polars: {'no' if any('per grid' in f for f in failures) else 'yes'} "
          f"({ours.height:,} grids)")
    print(f"polars monthly counts and rates per grid:    {t_pl_score:8.1f} ns/row")
    print(f"gridgov score_outcomes:                      {t_gg_score:8.1f} ns/row  "
          f"ratio to polars {t_gg_score / t_pl_score:5.2f}")

    for f in failures:
        print(f"MISMATCH: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
