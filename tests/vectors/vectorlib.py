"""What the vector generators share: writing a vector file, keeping its blessed output
when its input did not change.

A vector names the documents it shares with others instead of embedding them: an argument
`{"$fixture": "small_rules"}` is the text of tests/fixtures/small_rules.json, and
`{"$fixture": "small_rules", "patch": [...]}` that document with an RFC 6902 JSON Patch
applied (operations `add`, `replace`, `remove`). `write` finds such references itself: an
argument equal to a fixture, or close to one, is written as a reference.

A vector worked out by hand carries `"why"` (the working) and `"hand_worked": true`; its
output was computed from the rules, not taken from the implementation.
"""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "fixtures"

written = []

_fixtures = None


def fixtures():
    """Every fixture document by name."""
    global _fixtures
    if _fixtures is None:
        _fixtures = {
            p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(FIXTURES.glob("*.json"))
        }
    return _fixtures


def _pointer(path):
    return [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]


def apply_patch(doc, patch):
    """RFC 6902 `add`, `replace` and `remove` on a copy of `doc`."""
    doc = json.loads(json.dumps(doc))
    for op in patch:
        parts = _pointer(op["path"])
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        last = parts[-1]
        if isinstance(parent, list):
            if op["op"] == "remove":
                del parent[int(last)]
            elif op["op"] == "add":
                parent.insert(len(parent) if last == "-" else int(last), op["value"])
            else:
                parent[int(last)] = op["value"]
        elif op["op"] == "remove":
            del parent[last]
        else:
            parent[last] = op["value"]
    return doc


def expand(value):
    """An argument with its fixture reference resolved (as a document, not text)."""
    if isinstance(value, dict) and "$fixture" in value:
        doc = fixtures()[value["$fixture"]]
        return apply_patch(doc, value.get("patch", []))
    return value


def _escape(key):
    return str(key).replace("~", "~0").replace("/", "~1")


def diff(a, b, path=""):
    """A JSON Patch that turns `a` into `b`."""
    if type(a) is not type(b):
        return [{"op": "replace", "path": path, "value": b}]
    if isinstance(a, dict):
        out = []
        for k in a:
            if k not in b:
                out.append({"op": "remove", "path": f"{path}/{_escape(k)}"})
            else:
                out += diff(a[k], b[k], f"{path}/{_escape(k)}")
        for k in b:
            if k not in a:
                out.append({"op": "add", "path": f"{path}/{_escape(k)}", "value": b[k]})
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [{"op": "replace", "path": path, "value": b}]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, f"{path}/{i}")
        return out
    return [] if a == b else [{"op": "replace", "path": path, "value": b}]


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def reference(value):
    """`value` as a fixture reference when it is a fixture or close to one; else as it is.
    Raw text (a string) stays raw: vectors about unparsable input need their exact bytes."""
    if not isinstance(value, (dict, list)) or len(compact(value)) < 600:
        return value
    best = None
    for name, doc in fixtures().items():
        if type(doc) is not type(value):
            continue
        if doc == value:
            return {"$fixture": name}
        patch = diff(doc, value)
        size = len(compact(patch))
        if size * 2 < len(compact(value)) and (best is None or size < best[0]):
            best = (size, name, patch)
    if best is None:
        return value
    return {"$fixture": best[1], "patch": best[2]}


def render(vector):
    """A vector as written: one top-level key per line, values compact."""
    order = ["description", "hand_worked", "why", "entry", "input", "output", "error"]
    keys = [k for k in order if k in vector] + [k for k in vector if k not in order]
    lines = [f"  {json.dumps(k)}: {compact(vector[k])}" for k in keys]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write(path, description, entry, inputs, why=None, output=None, error=None):
    """Writes a vector; its old output stays when its input is the same. `why` marks it as
    worked out by hand, with the working, and then `output` (or `error`) is the result
    worked out by hand, which the runners check."""
    p = ROOT / path
    p.parent.mkdir(parents=True, exist_ok=True)
    old = {}
    if p.exists():
        old = json.loads(p.read_text(encoding="utf-8"))
    v = {"description": description}
    if why is not None:
        v["hand_worked"] = True
        v["why"] = why
    v["entry"] = entry
    v["input"] = {k: reference(a) for k, a in inputs.items()}
    old_inputs = {k: expand(a) for k, a in old.get("input", {}).items()}
    if output is not None:
        v["output"] = output
    elif error is not None:
        v["error"] = error
    elif old_inputs == inputs:
        for k in ("output", "error"):
            if k in old:
                v[k] = old[k]
    p.write_text(render(v), encoding="utf-8")
    written.append(p)
