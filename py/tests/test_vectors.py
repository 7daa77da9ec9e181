"""Every shared vector under tests/vectors/ through the Python API, comparing exact strings."""

import pytest

import gridgov
from conftest import arg_text, load_vectors


def call(entry, args):
    if entry == "org_summary":
        org = args.get("org")
        return gridgov.org_summary_json(None if org is None else arg_text(org))
    raise AssertionError(f"no Python runner for entry point {entry!r}")


@pytest.mark.parametrize("name,vector", load_vectors(), ids=[n for n, _ in load_vectors()])
def test_vector(name, vector):
    args = vector["input"]
    if "error" in vector:
        with pytest.raises(gridgov.GridgovError) as info:
            call(vector["entry"], args)
        assert info.value.code == vector["error"]["code"]
        assert str(info.value) == vector["error"]["message"]
    else:
        assert call(vector["entry"], args) == vector["output"]


def test_there_are_vectors():
    assert len(load_vectors()) >= 6
