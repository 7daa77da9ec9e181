"""Shared helpers for the gridgov Python tests: the shared vectors and their manifest."""

import copy
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / "tests"
VECTORS = ROOT / "vectors"
FIXTURES = ROOT / "fixtures"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text(encoding="utf-8"))


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


def apply_patch(doc, patch):
    """RFC 6902 `add`, `replace` and `remove` on a copy of `doc`."""
    doc = copy.deepcopy(doc)
    for op in patch:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        last = parts[-1]
        if isinstance(parent, list):
            i = len(parent) if last == "-" else int(last)
            if op["op"] == "remove":
                del parent[i]
            elif op["op"] == "add":
                parent.insert(i, op["value"])
            else:
                parent[i] = op["value"]
        elif op["op"] == "remove":
            del parent[last]
        else:
            parent[last] = op["value"]
    return doc


def resolve(value):
    """A fixture reference as its document; any other value as it is."""
    if isinstance(value, dict) and "$fixture" in value:
        doc = json.loads((FIXTURES / f"{value['$fixture']}.json").read_text(encoding="utf-8"))
        return apply_patch(doc, value.get("patch", []))
    return value


def arg_text(value):
    """A JSON string is raw text; anything else (a fixture resolved) is serialised."""
    if isinstance(value, str):
        return value
    return json.dumps(resolve(value), ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def vectors():
    return load_vectors()
