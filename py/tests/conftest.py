"""Shared helpers for the gridgov Python tests."""

import json
import pathlib

import pytest

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"


def load_vectors():
    """Every shared vector, as (id, vector) pairs sorted by path."""
    files = sorted(VECTORS.rglob("*.json"))
    return [(str(p.relative_to(VECTORS)), json.loads(p.read_text(encoding="utf-8"))) for p in files]


def arg_text(value):
    """A JSON string is raw text; anything else is serialised (the vectors' convention)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def vectors():
    return load_vectors()
