"""Shared helpers for the gridgov Python tests: the shared vectors and their manifest."""

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / "tests"
VECTORS = ROOT / "vectors"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text(encoding="utf-8"))

sys.path.insert(0, str(VECTORS))
import vectorlib  # noqa: E402  (the vector generators' helpers: fixtures and their patches)


def load_vectors():
    """Every shared vector of the manifest's kinds, as (id, vector) pairs sorted by path
    (the argument vectors under arguments/ have their own runner)."""
    files = sorted(p for p in VECTORS.rglob("*.json")
                   if p.name != "manifest.json" and "arguments" not in p.relative_to(VECTORS).parts)
    return [(str(p.relative_to(VECTORS)), json.loads(p.read_text(encoding="utf-8"))) for p in files]


def load_argument_vectors():
    """The bad-argument vectors under arguments/, as (id, vector) pairs."""
    files = sorted((VECTORS / "arguments").rglob("*.json"))
    return [(str(p.relative_to(VECTORS)), json.loads(p.read_text(encoding="utf-8"))) for p in files]


def resolve(value):
    """A fixture reference as its document (the generators' own reading of it, from
    tests/vectors/vectorlib.py); any other value as it is."""
    return vectorlib.expand(value)



def arg_text(value):
    """A JSON string is raw text; anything else (a fixture resolved) is serialised."""
    if isinstance(value, str):
        return value
    return json.dumps(resolve(value), ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def vectors():
    return load_vectors()
