"""The side-by-side benchmark (benches/python/peers.py) keeps checking what it times: on
the Fushan organisation and a small sample, numpy, polars and gridgov agree on the deciding
row of every case, and gridgov's monthly counts per grid are polars'."""

import pathlib
import sys

import pytest

pytest.importorskip("polars")
ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benches" / "python"))
import peers  # noqa: E402


def test_the_peers_agree_on_every_case(capsys):
    status = peers.main(["--org", str(ROOT / "core" / "data" / "fushan.json"),
                         "--rows", "20000", "--repeat", "1"])
    out = capsys.readouterr().out
    assert "rule rows agree on every case: yes" in out
    assert "monthly counts per grid agree with polars: yes (150 grids)" in out
    assert status == 0
