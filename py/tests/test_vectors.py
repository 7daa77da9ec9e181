"""Every shared vector under tests/vectors/ through the Python API, comparing exact strings.
The calls come from tests/vectors/manifest.json, as in the Rust and JS runners."""

import functools

import pytest

import gridgov
from conftest import MANIFEST, arg_text, load_vectors

VECTORS = load_vectors()
ENTRIES = MANIFEST["entries"]


@functools.lru_cache(maxsize=None)
def engine(org, rules, calendar, validation=None):
    if org is None and rules is None and calendar is None and validation is None:
        return gridgov.Engine.fushan()
    return gridgov.Engine(org=org, rules=rules, calendar=calendar,
                          validation=validation or "strict")


def opt(args, name):
    value = args.get(name)
    return None if value is None else arg_text(value)


def arguments(spec, args):
    """The positional and keyword arguments of a call, as the manifest gives them."""
    positional, keywords = [], {}
    args = {**spec.get("defaults", {}), **{k: v for k, v in args.items() if v is not None}}
    for a in spec["args"]:
        name, _, kind = a.partition(":")
        optional = name.endswith("?")
        name = name.rstrip("?")
        if name not in args or args[name] is None:
            if not optional:
                raise AssertionError(f"the vector lacks argument {name!r}")
            continue
        value = args[name] if kind in ("bool", "int") else arg_text(args[name])
        if optional:
            keywords[name] = value
        else:
            positional.append(value)
    return positional, keywords


def call(entry, args):
    spec = ENTRIES.get(entry)
    if spec is None:
        raise AssertionError(f"entry {entry!r} is not in tests/vectors/manifest.json")
    methods = spec["python"] if isinstance(spec["python"], list) else [spec["python"]]
    positional, keywords = arguments(spec, args)
    if spec["on"] == "module":
        target = gridgov
    elif spec["on"] == "ledger":
        target = gridgov.Ledger(arg_text(args["ledger"]))
    else:
        target = engine(opt(args, "org"), opt(args, "rules"), opt(args, "calendar"),
                        args.get("validation"))
        if spec.get("ledger"):
            positional.insert(0, gridgov.Ledger(arg_text(args["ledger"])))
    result = getattr(target, methods[0])(*positional, **keywords)
    for method in methods[1:]:
        result = getattr(target, method)()
    return result


@pytest.mark.parametrize("name,vector", VECTORS, ids=[n for n, _ in VECTORS])
def test_vector(name, vector):
    args = vector["input"]
    if "error" in vector:
        with pytest.raises(gridgov.GridgovError) as info:
            call(vector["entry"], args)
        assert info.value.code == vector["error"]["code"]
        assert str(info.value) == vector["error"]["message"]
    else:
        assert call(vector["entry"], args) == vector["output"]


def test_there_are_vectors_of_every_kind():
    assert len(VECTORS) >= 400
    kinds = {v["entry"] for _, v in VECTORS}
    assert kinds <= set(ENTRIES), kinds - set(ENTRIES)
    assert set(ENTRIES) <= kinds, set(ENTRIES) - kinds
