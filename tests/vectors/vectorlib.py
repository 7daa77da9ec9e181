"""What the vector generators share: writing a vector file, keeping its blessed output
when its input did not change."""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent

written = []


def write(path, description, entry, inputs):
    p = ROOT / path
    p.parent.mkdir(parents=True, exist_ok=True)
    old = {}
    if p.exists():
        old = json.loads(p.read_text(encoding="utf-8"))
    v = {"description": description, "entry": entry, "input": inputs}
    if old.get("input") == inputs:
        for k in ("output", "error"):
            if k in old:
                v[k] = old[k]
    p.write_text(json.dumps(v, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(p)
