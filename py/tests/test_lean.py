"""The lean path of ``Engine.route`` (a dict's fields borrowed and routed by the core's
lean path) decides as the JSON path does, byte for byte, or raises the same error."""

import json
import random

import pytest

import gridgov


@pytest.fixture(scope="module")
def fushan():
    return gridgov.Engine.fushan()


def _via_json(engine, case, explain):
    try:
        return json.loads(engine.route_json(json.dumps(case, ensure_ascii=False), explain)), None
    except gridgov.GridgovError as err:
        return None, (type(err), str(err))


def _direct(engine, case, explain):
    try:
        return engine.route(case, explain=explain), None
    except gridgov.GridgovError as err:
        return None, (type(err), str(err))


POOLS = {
    "id": ["c-1", "c.2/x", "bad id", "", 7],
    "channel": ["hotline", "app", "fax", None],
    "category": ["neighbour_dispute", "property_crime", "safety_hazard", "nothing"],
    "location": ["fs-c01-g02-m1", "fs-c05-g01-m1", "fs-c01-g02", "nowhere"],
    "people_involved": [2, 0, 60, -1, True, "3", 2**40],
    "amount_yuan": ["0", "1500.5", 250000, "-1", "0.001", "abc", 1500.5, False],
    "repeat_count": [0, 3, -2],
    "risk_flags": [[], ["no_such_flag"], ["bad flag"], None, "x", [1]],
    "reported_at": ["2026-03-02T09:15:00+08:00", "2026-10-01T10:00:00+08:00",
                    "2026-03-02 09:15+08:00", "2001-01-01T00:00:00+08:00", "yesterday"],
    "summary": ["漏水 \"quoted\"\n", None, "x" * 4001, "汉" * 1500, 5],
    "attributes": [{}, {"hazard_type": "fire"}, {"hazard_type": "nope"}, {"workers_unpaid": 12},
                   {"workers_unpaid": 12.5}, {"workers_unpaid": True}, {"nope": True},
                   {"first_noticed": ["x"]}, {"first_noticed": "2026-03-01T08:00:00+08:00"}, None],
    "media_url": ["https://example.org/a.jpg", None],
    "reporter": [None, {"name": "居民"}],
    "extra": ["unknown field"],
}


def _case(rng):
    case = {}
    for name, pool in POOLS.items():
        # Mostly the first (valid) values, so that many cases route; sometimes left out.
        roll = rng.random()
        if name in ("attributes", "reporter", "extra"):
            if roll < (0.5 if name == "attributes" else 0.15):
                case[name] = rng.choice(pool)
            continue
        if roll < 0.08:
            continue
        case[name] = pool[rng.randrange(2)] if roll < 0.8 else rng.choice(pool)
    return case


@pytest.mark.parametrize("explain", [False, True])
def test_route_on_a_dict_is_the_json_path(fushan, explain):
    rng = random.Random(31)
    routed = 0
    for _ in range(2000):
        case = _case(rng)
        direct = _direct(fushan, case, explain)
        assert direct == _via_json(fushan, case, explain), case
        routed += direct[0] is not None
    assert routed > 100


def test_every_simulated_case_routes_the_same_as_a_dict(fushan):
    cases = fushan.simulate_cases(2026, 3, 500, seed=5).to_pylist()
    for row in cases:
        case = {k: v for k, v in row.items() if v is not None}
        case["amount_yuan"] = str(case["amount_yuan"])
        if "risk_flags" in case:
            case["risk_flags"] = case["risk_flags"].split(",")
        if "attributes" in case:
            case["attributes"] = json.loads(case["attributes"])
        assert _direct(fushan, case, False) == _via_json(fushan, case, False)
