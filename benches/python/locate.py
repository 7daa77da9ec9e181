"""Batch ``locate`` from Python on a city 100 times Fushan's size (1,200 communities,
15,000 grids, 38,200 micro-grids on a map), side by side with shapely's STRtree when
shapely is installed (it is not a dependency of gridgov):

    python benches/python/locate.py [--points 1000000] [--repeat 3]

Prints, best of ``--repeat`` runs, nanoseconds per point:
- ``locate_batch`` from a pyarrow Table of two float64 columns (numpy arrays, no copy),
  on one thread and on all cores;
- the same from a polars DataFrame;
- ``locate`` one point per call (on the first 20,000 points);
- shapely: ``STRtree.query(points, predicate="intersects")`` over the same polygons,
  which answers which polygons hold each point (the tree built outside the timing).
The points are uniform over the map, in GCJ-02 (the map's own system), so no conversion
is timed (``cargo bench --bench org -- locate`` times points given in WGS-84).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import polars as pl
import pyarrow as pa

import gridgov
from bench import best  # the same best-of-n timer as the other Python benchmarks

CELL = 2_000  # micro-degrees: one grid is about 200 m square

RULES = {
    "format": 1,
    "name": "locate-bench",
    "categories": [{"id": "other"}],
    "grades": [], "risk_flags": [], "flags": [], "attributes": [],
    "versions": [{
        "name": "v1", "effective_from": "2026-01-01",
        "tables": [{
            "id": "routing", "hit_policy": "first",
            "inputs": ["category"], "outputs": ["level", "role", "time_limit"],
            "rows": [{"id": "all", "when": ["-"], "then": ["grid", "grid_worker", "3 working days"],
                      "why": "Everything starts in the grid."}],
        }],
    }],
}


def city() -> tuple[dict, list[tuple[float, float, float, float]]]:
    """The territory of the 100-times city with its map, and each micro-grid's rectangle."""
    units = [{"id": "sd", "kind": "subdistrict", "name": "SD"}]
    features = []
    rects = []
    grids, micro_total = 15_000, 38_200
    side = int(np.ceil(np.sqrt(grids)))
    per_grid = [micro_total // grids + (1 if g < micro_total % grids else 0) for g in range(grids)]
    for g in range(grids):
        c = g // 13 if g // 13 < 1200 else 1199
        if g % 13 == 0 and g // 13 < 1200:
            units.append({"id": f"c{c}", "kind": "community", "parent": "sd", "name": f"C{c}"})
            units.append({"id": f"c{c}-x", "kind": "compound", "parent": f"c{c}", "name": f"X{c}"})
        gid = f"c{c}-g{g}"
        units.append({"id": gid, "kind": "grid", "parent": f"c{c}-x", "name": gid})
        x0, y0 = 116_000_000 + (g % side) * CELL, 35_000_000 + (g // side) * CELL
        n = per_grid[g]
        for m in range(n):
            mid = f"{gid}-m{m}"
            units.append({"id": mid, "kind": "micro_grid", "parent": gid, "name": mid})
            a, b = x0 + m * CELL // n, x0 + (m + 1) * CELL // n
            r = (a / 1e6, y0 / 1e6, b / 1e6, (y0 + CELL) / 1e6)
            rects.append(r)
            features.append({"type": "Feature", "properties": {"unit": mid}, "geometry": {
                "type": "Polygon",
                "coordinates": [[[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]], [r[0], r[1]]]]}})
    org = {"format": 1, "name": "city x100", "units": units,
           "map": {"crs": "gcj02", "synthetic": True,
                   "areas": {"type": "FeatureCollection", "features": features}}}
    return org, rects


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    org, rects = city()
    start = time.perf_counter()
    engine = gridgov.Engine(org=json.dumps(org), rules=json.dumps(RULES), validation="warn")
    print(f"built the mapped city ({len(rects)} micro-grids) in {time.perf_counter() - start:.2f} s")

    bounds = np.array(rects)
    rng = np.random.default_rng(11)
    lon = rng.uniform(bounds[:, 0].min(), bounds[:, 2].max(), args.points)
    lat = rng.uniform(bounds[:, 1].min(), bounds[:, 3].max(), args.points)
    crs = "gcj02"
    table = pa.table({"lon": lon, "lat": lat})
    frame = pl.DataFrame({"lon": lon, "lat": lat})
    n = args.points

    out = engine.locate_batch(table, crs=crs)
    located = out.column("micro_grid").null_count
    print(f"{n} points, {n - located} in a micro-grid")

    t = best(lambda: engine.locate_batch(table, crs=crs, threads=1), args.repeat)
    print(f"locate_batch, pyarrow, 1 thread : {t / n * 1e9:8.1f} ns/point")
    t = best(lambda: engine.locate_batch(table, crs=crs), args.repeat)
    print(f"locate_batch, pyarrow, all cores: {t / n * 1e9:8.1f} ns/point")
    t = best(lambda: engine.locate_batch(frame, crs=crs), args.repeat)
    print(f"locate_batch, polars frame  : {t / n * 1e9:8.1f} ns/point")
    k = min(n, 20_000)

    def one_by_one() -> None:
        for x, y in zip(lon[:k].tolist(), lat[:k].tolist()):
            try:
                engine.locate(x, y, crs=crs)
            except gridgov.QueryError:
                pass

    t = best(one_by_one, args.repeat)
    print(f"locate, one per call        : {t / k * 1e9:8.1f} ns/point")

    try:
        import shapely
    except ImportError:
        print("shapely is not installed: no side-by-side")
        return
    polys = shapely.box(bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3])
    tree = shapely.STRtree(polys)
    points = shapely.points(lon, lat)
    t = best(lambda: tree.query(points, predicate="intersects"), args.repeat)
    print(f"shapely STRtree.query       : {t / n * 1e9:8.1f} ns/point (ratio gridgov/shapely "
          f"{best(lambda: engine.locate_batch(table, crs=crs), 1) / t:.2f})")


if __name__ == "__main__":
    main()
