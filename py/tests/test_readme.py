"""The README's analyst example runs as written, on files like the ones it names."""

import contextlib
import io
import pathlib
import re

import pytest

import gridgov

pytest.importorskip("pandas")
README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def analyst_example():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python for analysts", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Python section has a python block"
    return match.group(1)


def test_readme_analyst_example_runs(tmp_path, monkeypatch):
    engine = gridgov.Engine.fushan()
    engine.simulate_cases(2026, 3, 20_000, seed=3).to_pandas().to_csv(
        tmp_path / "cases.csv", index=False)
    ledger = engine.simulate_month(2026, 3, 2_000, seed=3)
    (tmp_path / "outcomes.csv").write_text(engine.outcomes_csv(ledger), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = analyst_example()
    assert len([line for line in code.splitlines() if line.strip()]) <= 10
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    assert "grid" in printed and "on_time_rate" in printed
    assert "'from': 'grid', 'to': 'community'" in printed
