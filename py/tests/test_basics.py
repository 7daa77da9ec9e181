"""First checks of the Python package: version, the embedded default, typed errors."""

import json

import pytest

import gridgov


def test_version_matches_the_core():
    assert gridgov.__version__ == "0.1.0"


def test_fushan_summary_counts():
    summary = json.loads(gridgov.org_summary_json())
    units = summary["counts"]["units"]
    assert units["community"] == 12
    assert units["grid"] == 150
    assert units["micro_grid"] == 382
    assert units["lead_household"] == 435


def test_errors_are_typed_with_codes():
    with pytest.raises(gridgov.OrgError) as info:
        gridgov.org_summary_json("{")
    assert info.value.code == "org_parse"
    assert isinstance(info.value, gridgov.GridgovError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", ["", "[]", "null", '{"format": 1}', "{" * 100000])
def test_garbage_gets_a_typed_error(bad):
    with pytest.raises(gridgov.GridgovError):
        gridgov.org_summary_json(bad)


@pytest.mark.parametrize("bad", [1, 2.5, b"{}", ["a"], {"format": 1}])
def test_wrong_types_get_an_input_error(bad):
    with pytest.raises(gridgov.InputError) as info:
        gridgov.org_summary_json(bad)
    assert info.value.code == "input_type"
    assert "`org_json` must be a str" in str(info.value)


def test_lone_surrogate_gets_an_input_error():
    with pytest.raises(gridgov.InputError) as info:
        gridgov.org_summary_json("\ud800")
    assert info.value.code == "input_text"
