#!/usr/bin/env python3
"""Writes the inputs and descriptions of the map vectors: locating points on the Fushan
map and on a small mapped organisation, the map as GeoJSON, cases given by a point, and
maps the organisation check refuses.

    python3 tests/vectors/generate_map.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors

The Fushan map is synthetic (core/data/generate_fushan.py): fs-c01-g01 is the rectangle
116.950–116.952 E, 35.385–35.38725 N in GCJ-02, cut into three strips m1 | m2 | m3 at
116.950666 and 116.951333.
"""

import json
import math

from vectorlib import FIXTURES, write

SMALL_ORG = json.loads((FIXTURES / "small_org.json").read_text(encoding="utf-8"))
SMALL_RULES = json.loads((FIXTURES / "small_rules.json").read_text(encoding="utf-8"))


def wgs84_of_gcj02(lon, lat):
    """The published GCJ-02 offset, inverted by iteration (as the core does)."""
    a, ee = 6378245.0, 0.00669342162296594323

    def offset(lon, lat):
        x, y = lon - 105.0, lat - 35.0
        dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
                + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
                + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
                + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
        dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
                + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
                + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
                + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
        rad = lat / 180.0 * math.pi
        magic = 1 - ee * math.sin(rad) ** 2
        dlat = dlat * 180.0 / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
        dlon = dlon * 180.0 / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
        return dlon, dlat

    w = (lon, lat)
    for _ in range(30):
        d = offset(*w)
        w = (w[0] - (w[0] + d[0] - lon), w[1] - (w[1] + d[1] - lat))
    return round(w[0], 7), round(w[1], 7)


def bd09_of_gcj02(lon, lat):
    x_pi = math.pi * 3000.0 / 180.0
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * x_pi)
    t = math.atan2(lat, lon) + 0.000003 * math.cos(lon * x_pi)
    return round(z * math.cos(t) + 0.0065, 7), round(z * math.sin(t) + 0.006, 7)


M1 = (116.950333, 35.386125)  # the middle of fs-c01-g01-m1 (GCJ-02)

# ------------------------------------------------------------------------ locate (Fushan)

write("locate/fushan-gcj02.json",
      "locate: the middle of fs-c01-g01-m1 given in GCJ-02, the map's own system.",
      "locate", {"point": {"lon": M1[0], "lat": M1[1], "crs": "gcj02"}})
lon, lat = wgs84_of_gcj02(*M1)
write("locate/fushan-wgs84.json",
      "locate: the same place given in WGS-84 (a phone's GPS, about 500 m west and 200 m south in numbers): converted to GCJ-02, it is in fs-c01-g01-m1.",
      "locate", {"point": {"lon": lon, "lat": lat, "crs": "wgs84"}})
write("locate/fushan-default-crs.json",
      "locate: without `crs` a point is WGS-84 (the GPS and GeoJSON default); the same place as fushan-wgs84.",
      "locate", {"point": {"lon": lon, "lat": lat}})
lon, lat = bd09_of_gcj02(*M1)
write("locate/fushan-bd09.json",
      "locate: the same place given in BD-09 (Baidu): converted to GCJ-02, it is in fs-c01-g01-m1.",
      "locate", {"point": {"lon": lon, "lat": lat, "crs": "bd09"}})
write("locate/fushan-shared-edge.json",
      "locate: a point exactly on the edge m1 and m2 of fs-c01-g01 share (116.950666): the first of them in the spec, m1, every time.",
      "locate", {"point": {"lon": 116.950666, "lat": 35.386, "crs": "gcj02"}})
write("locate/fushan-shared-corner.json",
      "locate: the corner four grids of fs-c01 share: the first of them in the spec.",
      "locate", {"point": {"lon": 116.952, "lat": 35.38725, "crs": "gcj02"}})
write("locate/errors/outside.json",
      "locate: a point 1 km west of Fushan's map is in no micro-grid: `outside_map`, naming the nearest micro-grid and its distance.",
      "locate", {"point": {"lon": 116.939, "lat": 35.386, "crs": "gcj02"}})
write("locate/errors/bad-point.json",
      "locate: a latitude of 95 is no place: `bad_point`, saying the valid ranges.",
      "locate", {"point": {"lon": 116.95, "lat": 95, "crs": "gcj02"}})
write("locate/errors/bad-crs.json",
      "locate: an unknown coordinate system is refused, listing the three.",
      "locate", {"point": '{"lon": 116.95, "lat": 35.4, "crs": "utm50"}'})
write("locate/errors/no-map.json",
      "locate: an organisation without a map cannot locate: `no_map`.",
      "locate", {"org": SMALL_ORG, "rules": SMALL_RULES, "point": {"lon": 116.95, "lat": 35.4}})


# ------------------------------------------------------------------ a small mapped org


def rect(unit, x0, y0, x1, y1):
    return {"type": "Feature", "properties": {"unit": unit}, "geometry": {
        "type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}}


def mapped(features, crs="wgs84"):
    org = json.loads(json.dumps(SMALL_ORG))
    org["map"] = {"crs": crs, "areas": {"type": "FeatureCollection", "features": features}}
    return org


GOOD = [
    rect("c1", 117.00, 35.00, 117.02, 35.01),
    rect("g1", 117.00, 35.00, 117.02, 35.01),
    rect("m1", 117.00, 35.00, 117.01, 35.01),
    rect("m2", 117.01, 35.00, 117.02, 35.01),
    rect("c2", 117.02, 35.00, 117.03, 35.01),
    rect("g2", 117.02, 35.00, 117.03, 35.01),
    rect("m3", 117.02, 35.00, 117.03, 35.01),
]

write("map/small.json",
      "map: the small organisation's areas as GeoJSON in their own system (WGS-84), one feature per unit in spec order with its kind, name and parent.",
      "map", {"org": mapped(GOOD), "rules": SMALL_RULES})
write("map/small-in-gcj02.json",
      "map: the same areas converted to GCJ-02 for a Chinese web map: every corner moved by the published offset.",
      "map", {"org": mapped(GOOD), "rules": SMALL_RULES, "crs": "gcj02"})
write("map/errors/no-map.json",
      "map: an organisation without a map: `no_map`.",
      "map", {"org": SMALL_ORG, "rules": SMALL_RULES})
write("locate/small-m3.json",
      "locate: in the small organisation, a point in community c2's only micro-grid.",
      "locate", {"org": mapped(GOOD), "rules": SMALL_RULES, "point": {"lon": 117.025, "lat": 35.005}})

bad = [dict(f) for f in GOOD]
bad[3] = rect("m2", 117.008, 35.00, 117.02, 35.01)          # overlaps m1
bad[6] = rect("m3", 117.02, 35.00, 117.035, 35.01)          # leaves g2 and c2
write("org/map_overlap_and_outside.json",
      "org: a map whose m2 overlaps m1 by about 0.002° × 0.01° and whose m3 reaches outside its grid g2: both refused, naming the units, the area in m² and a point inside it.",
      "org_summary", {"org": mapped(bad)})
gap = [f for f in GOOD if f["properties"]["unit"] != "m2"]
write("org/map_gap.json",
      "org: a map without m2's area: blank ground inside g1 (不留空白) and a micro-grid missing from the map, both coverage gaps refused under the strict policy.",
      "org_summary", {"org": mapped(gap)})


# -------------------------------------------------------------------- cases by a point

CASE = {"id": "pt1", "channel": "app", "category": "environment",
        "reported_at": "2026-03-02T09:00:00+08:00", "people_involved": 1}
write("route/point-instead-of-location.json",
      "route: a case from a phone app with only a map point (GCJ-02) in fs-c01-g01-m1: located, then routed as any case there (the decision's unit is fs-c01-g01's).",
      "route", {"case": json.dumps({**CASE, "point": {"lon": M1[0], "lat": M1[1], "crs": "gcj02"}}, ensure_ascii=False)})
write("route/errors/point-outside.json",
      "route: a case whose point is in no micro-grid is refused with `outside_map`, naming the nearest micro-grid.",
      "route", {"case": json.dumps({**CASE, "point": {"lon": 116.939, "lat": 35.386, "crs": "gcj02"}}, ensure_ascii=False)})
write("route/errors/neither-location-nor-point.json",
      "route: a case with neither a location nor a point is refused, saying to give one.",
      "route", {"case": json.dumps(CASE, ensure_ascii=False)})
