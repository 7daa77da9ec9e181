"""The shared bad-argument vectors (tests/vectors/arguments/) through the Python API: the
same wrong argument gives the same error code and message as in Rust and JS."""

import pytest

import gridgov
from conftest import MANIFEST, load_argument_vectors

VECTORS = load_argument_vectors()
CALLS = MANIFEST["calls"]


def value(arg):
    if isinstance(arg, dict) and arg.get("$new") == "Ledger":
        return gridgov.Ledger()
    return arg


def call(name, args):
    spec = CALLS[name]
    positional, keywords = [], {}
    for param, arg in zip(spec["params"], args + [None] * (len(spec["params"]) - len(args))):
        pname, _, kind = param.partition(":")
        if kind.endswith("?"):
            if arg is not None:
                keywords[pname] = value(arg)
        else:
            positional.append(value(arg))
    if spec["on"] == "module":
        return getattr(gridgov, spec["python"])(*positional, **keywords)
    if spec["on"] == "constructor":
        return getattr(gridgov, spec["python"])(*positional, **keywords)
    return getattr(gridgov.Engine.fushan(), spec["python"])(*positional, **keywords)


@pytest.mark.parametrize("name,vector", VECTORS, ids=[n for n, _ in VECTORS])
def test_bad_argument(name, vector):
    with pytest.raises(gridgov.GridgovError) as info:
        call(vector["call"], vector["args"])
    assert info.value.code == vector["error"]["code"]
    assert str(info.value) == vector["error"]["message"]


def test_there_are_argument_vectors_for_every_call():
    assert len(VECTORS) >= 20
    assert {v["call"] for _, v in VECTORS} == set(CALLS)
