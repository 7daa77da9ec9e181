"""The map and Open311 from Python: locating points one by one and in columns (numpy,
pyarrow, polars), the map as GeoJSON, cases given by a point, and Open311 calls answered
as an HTTP handler sends them. Every answer is the core's; these tests check the Python
side converts and raises as documented."""

import json
import urllib.parse

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

import gridgov

M1 = (116.950333, 35.386125)  # the middle of fs-c01-g01-m1, GCJ-02


@pytest.fixture(scope="module")
def engine():
    return gridgov.Engine.fushan()


def test_locate_one_point_in_each_system(engine):
    want = {"micro_grid": "fs-c01-g01-m1", "grid": "fs-c01-g01", "community": "fs-c01"}
    assert engine.locate(*M1, crs="gcj02") == want
    assert json.loads(engine.locate_json(json.dumps({"lon": M1[0], "lat": M1[1], "crs": "gcj02"}))) == want
    # A point on the edge m1 and m2 share goes to the first of them, every time.
    assert engine.locate(116.950666, 35.386, crs="gcj02")["micro_grid"] == "fs-c01-g01-m1"
    # numpy numbers read as degrees too.
    assert engine.locate(np.float32(116.9503), np.float64(35.3861), crs="gcj02") == want


def test_outside_and_bad_points_raise_query_errors_naming_the_nearest(engine):
    with pytest.raises(gridgov.QueryError) as info:
        engine.locate(116.939, 35.386, crs="gcj02")
    assert info.value.code == "outside_map"
    assert "the nearest is `fs-c01-g01-m1`" in str(info.value)
    with pytest.raises(gridgov.QueryError) as info:
        engine.locate(116.95, 95.0, crs="gcj02")
    assert info.value.code == "bad_point"
    with pytest.raises(gridgov.InputError) as info:
        engine.locate(116.95, 35.4, crs="utm50")
    assert "valid: wgs84, gcj02, bd09" in str(info.value)
    with pytest.raises(gridgov.InputError) as info:
        engine.locate("116.95", 35.4)
    assert info.value.code == "input_type" and "`lon`" in str(info.value)
    with pytest.raises(gridgov.InputError):
        engine.locate(True, 35.4)


def test_locate_batch_agrees_with_one_by_one(engine):
    rng = np.random.default_rng(7)
    lon = rng.uniform(116.945, 116.995, 2000)
    lat = rng.uniform(35.380, 35.415, 2000)
    out = engine.locate_batch(pa.table({"lon": lon, "lat": lat}), crs="gcj02")
    assert out.column_names == ["micro_grid", "grid", "community"]
    assert pa.types.is_dictionary(out.schema.field("micro_grid").type)
    got = out.column("micro_grid").to_pylist()
    for x, y, m in zip(lon[:300], lat[:300], got[:300]):
        try:
            assert engine.locate(float(x), float(y), crs="gcj02")["micro_grid"] == m
        except gridgov.QueryError:
            assert m is None
    assert any(m is None for m in got), "some points fall outside the map"
    # On one thread or several, the same answers in the same order.
    big = pa.table({"lon": np.tile(lon, 20), "lat": np.tile(lat, 20)})
    one = engine.locate_batch(big, crs="gcj02", threads=1).column("micro_grid").to_pylist()
    assert one == engine.locate_batch(big, crs="gcj02", threads=2).column("micro_grid").to_pylist()
    assert one[:2000] == got
    with pytest.raises(gridgov.InputError):
        engine.locate_batch(big, crs="gcj02", threads=0)
    assert sum(m is not None for m in got) > 1000


def test_locate_batch_takes_polars_and_names_columns(engine):
    df = pl.DataFrame({"x": [M1[0], 0.0, None], "y": [M1[1], 0.0, 35.0]})
    out = engine.locate_batch(df, lon="x", lat="y", crs="gcj02")
    assert out.column("grid").to_pylist() == ["fs-c01-g01", None, None]
    with pytest.raises(gridgov.InputError) as info:
        engine.locate_batch(pa.table({"lon": ["116.9"], "lat": [35.4]}))
    assert "column `lon` is Utf8; give degrees as float64" in str(info.value)
    with pytest.raises(gridgov.InputError) as info:
        engine.locate_batch(pa.table({"long": [116.9], "lat": [35.4]}))
    assert "has no column `lon`" in str(info.value)


def test_a_table_of_cases_with_coordinates_is_located_then_routed(engine):
    cases = pa.table({
        "id": ["k1", "k2"], "channel": ["app", "app"], "category": ["environment", "housing"],
        "lon": [M1[0], 116.9525], "lat": [M1[1], 35.3860],
        "reported_at": ["2026-03-02T09:00:00+08:00"] * 2,
    })
    placed = engine.locate_batch(cases, crs="gcj02")
    routed = engine.route_batch(cases.append_column("location", placed.column("micro_grid").cast(pa.string())))
    assert routed.column("unit").to_pylist() == ["fs-c01-g01-m1", "fs-c01-g02"]


def test_a_case_may_give_a_point_instead_of_a_location(engine):
    case = {"id": "pt", "channel": "app", "category": "environment",
            "point": {"lon": M1[0], "lat": M1[1], "crs": "gcj02"},
            "reported_at": "2026-03-02T09:00:00+08:00"}
    decision = engine.route(case)
    assert (decision["level"], decision["unit"]) == ("micro_grid", "fs-c01-g01-m1")


def test_the_map_as_geojson(engine):
    fc = engine.map_geojson()
    assert fc["type"] == "FeatureCollection" and fc["crs"] == "gcj02" and fc["synthetic"]
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds.count("micro_grid") == 382 and kinds.count("grid") == 150
    wgs = engine.map_geojson("wgs84")
    assert wgs["features"][0]["geometry"]["coordinates"][0][0] != fc["features"][0]["geometry"]["coordinates"][0][0]


def test_open311_as_an_http_handler(engine):
    form = urllib.parse.urlencode({"service_code": "environment", "address_id": "fs-c01-g01-m1",
                                   "description": "Rubbish", "first_name": "John", "last_name": "Smith"})
    answer = engine.open311({"call": "post_request", "form": form, "id": "o1",
                             "received_at": "2026-03-02T09:00:00+08:00", "format": "json"})
    assert answer["status"] == 200
    assert json.loads(answer["body"])[0]["service_request_id"] == "o1"
    assert answer["case"]["reporter"]["name"] == "John Smith"
    bad = engine.open311({"call": "post_request", "form": "service_code=moon", "id": "o2",
                          "received_at": "2026-03-02T09:00:00+08:00"})
    assert bad["status"] == 404 and bad["body"].startswith('<?xml version="1.0" encoding="utf-8"?>\n<errors>')

    ledger = gridgov.Ledger()
    engine.record_intake(ledger, gridgov.Actor.system(), answer["case"])
    listed = engine.open311({"call": "requests", "query": "status=open",
                             "now": "2026-03-05T00:00:00+08:00", "format": "json"}, ledger)
    request = json.loads(listed["body"])[0]
    assert request["service_request_id"] == "o1" and request["status"] == "open"
    assert "Smith" not in listed["body"], "personal data are masked in the public view"
    assert [n["type"] for n in request["notes"]][:1] == ["reported"]


def test_open311_documents_of_other_systems_convert():
    xml = ('<?xml version="1.0" encoding="utf-8"?><errors><error><code>403</code>'
           '<description>Invalid api_key</description></error></errors>')
    out = gridgov.open311_convert(xml)
    assert out["kind"] == "errors"
    assert json.loads(out["json"]) == [{"code": 403, "description": "Invalid api_key"}]
    with pytest.raises(gridgov.InputError) as info:
        gridgov.open311_convert("<services>")
    assert "not well-formed" in str(info.value) or "ends before" in str(info.value)
