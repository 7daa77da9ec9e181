"""gridgov: grid-based community governance (网格化社会治理) as a library.

The Rust core decides; this package converts. Every decision (where a case goes, who
handles it first, by when, what is overdue, how a grid scores) is made by the core, and
the ``*_json`` methods return the core's bytes unchanged, so Rust, Python and the browser
give the same answers.

Per call, with dicts:

>>> import gridgov
>>> engine = gridgov.Engine.fushan()
>>> decision = engine.route({"id": "demo", "channel": "hotline",
...     "category": "neighbour_dispute", "location": "fs-c01-g02-m1",
...     "reported_at": "2026-03-02T09:15:00+08:00"})
>>> decision["level"], decision["rule"]["row"], decision["due"]
('grid', 'dispute-grid', '2026-03-05T17:30:00+08:00')

In batches, with any Arrow table (pyarrow, pandas, polars), no Python object per row:

>>> import pyarrow as pa
>>> cases = pa.table({"id": ["a", "b"], "channel": ["app", "hotline"],
...     "category": ["property_crime", "neighbour_dispute"],
...     "location": ["fs-c05-g01-m1", "fs-c01-g02-m1"],
...     "reported_at": ["2026-03-02T09:00:00+08:00", "2026-03-02T09:15:00+08:00"]})
>>> engine.route_batch(cases).column("level").to_pylist()
['department', 'grid']
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal as _decimal
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from gridgov import _gridgov as _native
from gridgov._gridgov import (
    AccessError,
    ArrowStream,
    CalendarError,
    CaseError,
    GridgovError,
    InputError,
    JsonError,
    LedgerError,
    OrgError,
    QueryError,
    RouteError,
    RuleError,
    ScoreError,
    __version__,
    open311_convert_json,
    org_summary_json,
    validate_rules_json,
)

__all__ = [
    "AccessError",
    "Actor",
    "ArrowStream",
    "CalendarError",
    "CaseError",
    "Engine",
    "GridgovError",
    "InputError",
    "JsonError",
    "Ledger",
    "LedgerError",
    "OrgError",
    "Problem",
    "QueryError",
    "Receipt",
    "RouteError",
    "RuleError",
    "RuleSet",
    "ScoreError",
    "Validation",
    "__version__",
    "backtest",
    "open311_convert",
    "open311_convert_json",
    "org_summary_json",
    "validate_rules",
    "validate_rules_json",
]

#: A pyarrow Table (or, without pyarrow, an ``ArrowStream``): what the batch methods return.
ArrowTable = Any

#: A JSON document given as text (a ``str`` is always the document itself, never a path),
#: a dict or list, UTF-8 bytes, or a ``pathlib.Path`` to a file holding it.
Source = Union[str, bytes, "_os.PathLike[str]", Mapping[str, Any], Sequence[Any]]


def _wrong_type(what: str, expected: str, value: Any) -> InputError:
    """The core's error for an argument of the wrong type (its code and message)."""
    error: InputError = _native.wrong_type_error(what, expected, value)
    return error


def _default(value: Any) -> Any:
    """JSON for the Python values analysts have at hand: datetimes, dates, decimals, sets.

    A datetime without a time zone is written as it is; the core refuses it, as it refuses
    any time without an offset."""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, _decimal.Decimal):
        return _json.loads(format(value, "f"))
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: Any, name: str) -> str:
    """A dict or list as JSON text; a value JSON cannot hold is the core's InputError."""
    try:
        return _json.dumps(value, ensure_ascii=False, allow_nan=False, default=_default)
    except (TypeError, ValueError, RecursionError) as err:
        raise _wrong_type(name, f"a value JSON can hold ({err})", value) from None


def _text(value: Any, name: str) -> Any:
    """JSON (or CSV) text from a source: text as it is, a dict or list serialised, a
    ``pathlib.Path`` read, UTF-8 bytes decoded. A string is always text, never a path.

    Anything else is passed on for the core to refuse with an ``InputError``.
    """
    if isinstance(value, RuleSet):
        return value.json
    if isinstance(value, (Mapping, list)):
        return _dumps(value, name)
    if isinstance(value, _os.PathLike):
        return _native.read_text(_os.fspath(value), name)
    if isinstance(value, (bytes, bytearray)):
        return _native.decode_text(bytes(value), name)
    return value


def _path_text(path: Any, name: str) -> Any:
    """The text of a file named by a path (a ``str`` or ``pathlib.Path``)."""
    if isinstance(path, (str, _os.PathLike)):
        return _native.read_text(_os.fspath(path), name)
    raise _wrong_type(name, "a path (a str or pathlib.Path)", path)


def _opt_text(value: Any, name: str) -> Any:
    return None if value is None else _text(value, name)


def _time(value: Any) -> Any:
    """RFC 3339 text from a datetime; text passes as it is (the core reads it)."""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return value


def _month(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    return value


_TABLE = "an Arrow table (a pyarrow Table, a pandas or polars DataFrame, a list of dicts)"


def _arrow_in(table: Any) -> Any:
    """Anything Arrow can read as a table, as an object with ``__arrow_c_stream__``."""
    if hasattr(table, "__arrow_c_stream__"):
        return table
    module = type(table).__module__.split(".")[0]
    if module == "pandas" or (isinstance(table, list) and all(isinstance(r, Mapping) for r in table)):
        try:
            import pyarrow as pa
        except ImportError:
            raise _wrong_type("table", _TABLE + "; a pandas DataFrame or a list of dicts is "
                              "read through pyarrow, which is not installed", table) from None
        if module == "pandas":
            return pa.Table.from_pandas(table, preserve_index=False)
        return pa.Table.from_pylist(table)
    return table


def _arrow_out(stream: ArrowStream) -> Any:
    """A pyarrow Table when pyarrow is installed; else the stream itself."""
    try:
        import pyarrow as pa
    except ImportError:
        return stream
    return pa.table(stream)


def _score_request(
    month: Any,
    budget_fen: Optional[int],
    history: Optional[int],
    inspections: Optional[Sequence[Mapping[str, Any]]],
    visits: Optional[Sequence[Mapping[str, Any]]] = None,
    meetings: Optional[Sequence[Mapping[str, Any]]] = None,
    register: Optional[Sequence[Mapping[str, Any]]] = None,
    **table: Any,
) -> str:
    request: dict[str, Any] = {"month": _month(month)}
    rows = ("inspections", "visits", "meetings", "register")
    for key, value in (("budget_fen", budget_fen), ("history", history),
                       ("inspections", inspections), ("visits", visits),
                       ("meetings", meetings), ("register", register)):
        if value is not None:
            request[key] = list(value) if key in rows else value
    request.update({k: v for k, v in table.items() if v is not None})
    return _dumps(request, "request")


@dataclasses.dataclass(frozen=True)
class Actor:
    """Someone asking: a person id (or a resident's id number), a role of the rule set's
    ``access`` section (default roles: ``grid_worker``, ``committee_member``,
    ``community_cadre``, ``subdistrict``, ``office``, ``resident``, ``analyst``), and the
    unit or office the role needs (``community_cadre``: a unit; ``office``: an office id).
    ``Actor.system()`` is the engine itself, the only one who records reminders and
    automatic escalations.
    """

    id: str
    role: str
    unit: Optional[str] = None

    @classmethod
    def system(cls) -> "Actor":
        """The system actor (id and role ``system``): the engine itself, the only one who
        records reminders and automatic escalations."""
        return cls("system", "system")

    def _json(self) -> str:
        doc: dict[str, Any] = {"id": self.id, "role": self.role}
        if self.unit is not None:
            doc["unit"] = self.unit
        return _dumps(doc, "actor")


@dataclasses.dataclass(frozen=True)
class Receipt:
    """What an append did: the event's position in the ledger (``index``), its chain
    hash (64 hex digits) and ``outcome``: ``"appended"``, or ``"duplicate"`` when an
    event with the same ``event_id`` and content was already there (nothing was added)."""

    outcome: str
    index: int
    hash: str

    @property
    def duplicate(self) -> bool:
        """Whether the event was already in the ledger."""
        return self.outcome == "duplicate"

    @classmethod
    def _of(cls, d: Mapping[str, Any]) -> "Receipt":
        return cls(outcome=d["outcome"], index=d["index"], hash=d["hash"])


def _receipts(text: str) -> "list[Receipt]":
    return [Receipt._of(r) for r in _json.loads(text)]


def _actor(actor: Any) -> str:
    if isinstance(actor, Actor):
        return actor._json()
    if isinstance(actor, Mapping):
        return _dumps(actor, "actor")
    return actor


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem the core found in a rule set or an organisation: its stable ``code``,
    where it is (``location``: version, table, row, column as far as they apply, or for
    the organisation the unit, person, office or team as ``subject``) and the message."""

    code: str
    message: str
    location: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def _of(cls, d: Mapping[str, Any]) -> "Problem":
        return cls(code=d.get("code", ""), message=d.get("message", ""),
                   location=dict(d.get("location") or {}))


def _problems(self: BaseException) -> list[Problem]:
    """Every problem behind the error (all of them; the message shows at most ten), each
    with its ``code``, ``location`` (a rule's version, table, row and column, or the
    organisation's unit, person or office as ``subject``) and ``message``. Empty when the
    error is a single problem."""
    return [Problem._of(p) for p in _json.loads(getattr(self, "_problems_json", "[]"))]


GridgovError.problems = property(_problems)  # type: ignore[attr-defined]


@dataclasses.dataclass(frozen=True)
class Validation:
    """The result of validating a rule set: errors make it unusable, warnings do not."""

    errors: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        """Whether the rule set has no errors."""
        return not self.errors

    @classmethod
    def _of_json(cls, text: str) -> "Validation":
        d = _json.loads(text)
        return cls(errors=[Problem._of(p) for p in d.get("errors", [])],
                   warnings=[Problem._of(p) for p in d.get("warnings", [])])


def open311_convert(text: str, source: str = "xml", kind: Optional[str] = None) -> dict[str, Any]:
    """Reads an Open311 GeoReport v2 document written by another system (``source`` is
    ``xml`` or ``json``; ``kind``, one of ``services``, ``service_definition``,
    ``service_requests``, ``errors``, is needed for JSON) and returns ``{"kind", "xml",
    "json"}``: the document in both formats."""
    doc: dict[str, Any] = {"text": text, "from": source}
    if kind is not None:
        doc["kind"] = kind
    result: dict[str, Any] = _json.loads(open311_convert_json(_dumps(doc, "document")))
    return result


def validate_rules(rules: Source) -> Validation:
    """Validates a rule set (JSON text, a dict or a path) and returns its errors and
    warnings as objects. Never raises for a bad rule set: its problems are the result.

    >>> v = gridgov.validate_rules({"format": 1})
    >>> v.ok, v.errors[0].code
    (False, 'rules_parse')
    """
    return Validation._of_json(validate_rules_json(_text(rules, "rules")))


class RuleSet:
    """A rule set that reads and validates: ``RuleSet.load(path_or_dict)``, or
    ``RuleSet.fushan()`` for the default. Give it to ``Engine(rules=...)`` or to
    ``backtest``.

    >>> rules = gridgov.RuleSet.fushan()
    >>> rules.versions[0]
    'fushan-2025'
    """

    __slots__ = ("_json",)

    def __init__(self, source: Source) -> None:
        """Reads a rule set; raises ``RuleError`` when it does not parse or is invalid."""
        self._json: str = _native.load_rules_json(_text(source, "rules"))

    @classmethod
    def load(cls, source: Source) -> "RuleSet":
        """Reads a rule set from JSON text, a dict or a path; raises ``RuleError``."""
        return cls(source)

    @classmethod
    def from_path(cls, path: "str | _os.PathLike[str]") -> "RuleSet":
        """Reads a rule set from the JSON file at ``path``; raises ``RuleError``."""
        return cls(_path_text(path, "rules"))

    @classmethod
    def fushan(cls) -> "RuleSet":
        """The default rule set embedded in the library."""
        return cls(_native.default_rules_json())

    @property
    def json(self) -> str:
        """The rule set as the core writes it (defaults filled in)."""
        return self._json

    def to_dict(self) -> dict[str, Any]:
        """The rule set as a dict, to edit and load again."""
        result: dict[str, Any] = _json.loads(self._json)
        return result

    @property
    def versions(self) -> list[str]:
        """The names of its versions, oldest first."""
        return [v["name"] for v in self.to_dict().get("versions", [])]

    def validate(self) -> Validation:
        """Its warnings (a loaded rule set has no errors)."""
        return validate_rules(self._json)

    def __repr__(self) -> str:
        return f"<gridgov.RuleSet versions={self.versions!r}>"


class Ledger:
    """The append-only case ledger, its events chained by SHA-256. ``Ledger()`` is empty
    and in memory; ``Ledger(source)`` and ``Ledger.load(source)`` replay a ledger document
    ``{"format": 2, "events": [...], "head": ...}`` (text, a dict or a path), checking
    every event and every hash; ``Ledger.open(path)`` keeps the ledger in a SQLite file
    that every append reaches before it returns.

    Users' writes go through ``Engine.record``, which checks who may write; ``append`` and
    ``extend`` do not, and are for replaying a trusted log.

    >>> ledger = gridgov.Ledger()
    >>> len(ledger)
    0
    """

    __slots__ = ("_native",)

    def __init__(self, source: Optional[Source] = None) -> None:
        if isinstance(source, _os.PathLike):
            self._native = _native.Ledger.read_json_file(_os.fspath(source))
        else:
            self._native = _native.Ledger(_opt_text(source, "ledger"))

    @classmethod
    def load(cls, source: Source) -> "Ledger":
        """Replays a ledger document (text, a dict or a path)."""
        return cls(source)

    @classmethod
    def from_path(cls, path: "str | _os.PathLike[str]") -> "Ledger":
        """Replays the ledger document in the file at ``path``, reading the file as it
        replays it (the text is never held whole). A file that cannot be read raises
        ``LedgerError`` (code ``store_io``)."""
        if not isinstance(path, (str, _os.PathLike)):
            raise _wrong_type("path", "a path (a str or pathlib.Path)", path)
        return cls._of(_native.Ledger.read_json_file(_os.fspath(path)))

    @classmethod
    def open(cls, path: "str | _os.PathLike[str]", durability: str = "full") -> "Ledger":
        """The ledger kept in the SQLite file at ``path`` (created if missing). Every
        append is committed before it returns: with ``durability="full"`` synced to the
        disk (survives a power loss), with ``"process"`` written to the system (survives
        the process being killed). Reopening replays to the same state; several processes
        may append to one file. A damaged, tampered or newer file raises ``LedgerError``
        and nothing of it is loaded."""
        if not isinstance(path, (str, _os.PathLike)):
            raise _wrong_type("path", "a path (a str or pathlib.Path)", path)
        return cls._of(_native.Ledger.open(_os.fspath(path), durability))

    @classmethod
    def _of(cls, native: Any) -> "Ledger":
        ledger = cls.__new__(cls)
        ledger._native = native
        return ledger

    def append(self, event: Mapping[str, Any]) -> Receipt:
        """Appends one event without asking who writes it (for replaying a trusted log;
        users' writes go through ``Engine.record``). Raises ``LedgerError`` (ledger
        unchanged) when it does not fit; a re-sent event (same ``event_id``, same content)
        is receipted as a duplicate."""
        return Receipt._of(_json.loads(self._native.append_json(_dumps(event, "event"))))

    def append_json(self, event: str) -> str:
        """Appends one event given as JSON text; the receipt as JSON text."""
        return self._native.append_json(event)

    def extend(self, events: Iterable[Mapping[str, Any]]) -> "list[Receipt]":
        """Appends several events, all or none, unchecked as ``append``; their receipts."""
        try:
            items = list(events)
        except TypeError:
            raise _wrong_type("events", "a list of event dicts", events) from None
        return _receipts(self._native.append_all_json(_dumps(items, "events")))

    def append_all_json(self, events: str) -> str:
        """Appends a JSON array of events, all or none; the receipts as JSON text."""
        return self._native.append_all_json(events)

    def verify(self) -> dict[str, Any]:
        """Recomputes the hash chain (and, for a file, every record of the file):
        ``{"events": n, "head": ...}``; raises ``LedgerError`` (code ``ledger_tampered``)
        naming the first record that does not fit."""
        result: dict[str, Any] = _json.loads(self._native.verify_json())
        return result

    def verify_json(self) -> str:
        """``verify`` as the core's JSON text."""
        return self._native.verify_json()

    @property
    def head(self) -> str:
        """The chain hash of the last event (64 hex digits): publish it, and a later
        ``verify`` shows whether anything before it was rewritten."""
        return self._native.head()

    @property
    def file(self) -> Optional[str]:
        """The file the ledger is kept in (``Ledger.open``), or ``None``."""
        return self._native.file()

    def refresh(self) -> int:
        """For a file-backed ledger, reads in what other processes appended since; how
        many events."""
        return self._native.refresh()

    def state(self) -> dict[str, Any]:
        """The folded state of every case (a snapshot), as a dict."""
        result: dict[str, Any] = _json.loads(self._native.state_json())
        return result

    def state_json(self) -> str:
        """The folded state, as the core's JSON text."""
        return self._native.state_json()

    def timeline(self, case: str, public: bool = False,
                 engine: Optional["Engine"] = None) -> list[dict[str, Any]]:
        """A case's timeline; ``public=True`` masks personal data. ``engine`` names the
        organisation whose people act (default: the Fushan engine)."""
        e = engine if engine is not None else Engine.fushan()
        if not isinstance(e, Engine):
            raise _wrong_type("engine", "a gridgov Engine", e)
        result: list[dict[str, Any]] = _json.loads(e.timeline_json(self, case, public=public))
        return result

    def snapshot(self) -> str:
        """The ledger document as JSON text: ``Ledger.load(snapshot)`` gives it back."""
        return self._native.to_json()

    def to_json(self) -> str:
        """The ledger document, as the core's JSON text."""
        return self._native.to_json()

    def save(self, path: "_os.PathLike[str] | str") -> None:
        """Writes the ledger document to the file at ``path`` as it is printed (never held
        whole): first beside it, then put in its place, so a crash meanwhile leaves an
        earlier file whole. A file that cannot be written raises ``LedgerError`` (code
        ``store_io``)."""
        if not isinstance(path, (str, _os.PathLike)):
            raise _wrong_type("path", "a path (a str or pathlib.Path)", path)
        self._native.write_json_file(_os.fspath(path))

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"<gridgov.Ledger events={len(self)}>"


def _ledger(ledger: Any) -> Any:
    """The native ledger of a ``Ledger``; anything else is refused by the core."""
    return ledger._native if isinstance(ledger, Ledger) else ledger


_FUSHAN: Optional["Engine"] = None


def _route_json_path(native: Any, case: Any, explain: Any) -> dict[str, Any]:
    """``Engine.route`` for a case the native side does not read from the dict itself:
    converted to JSON text (datetimes, decimals; an ``InputError`` for what JSON cannot
    hold) and routed from it."""
    result: dict[str, Any] = _json.loads(native.route_json(_dumps(case, "case"), explain))
    return result


class Engine:
    """An organisation, a rule set and a calendar that fit together: every decision is
    made here. ``Engine()`` or ``Engine.fushan()`` takes the embedded Fushan defaults;
    give any of ``org``, ``rules`` and ``calendar`` (JSON text, a dict, a path or a
    ``RuleSet``) to replace it. Engines pickle (by their documents), so they travel to
    Dask, Spark or Ray workers.

    ``validation="strict"`` (the default, for deployments) refuses an organisation with
    coverage gaps (a grid without a grid worker, a compound without a grid, a party unit
    anchored to nothing); ``validation="warn"`` takes it and lists the gaps in
    ``warnings()``, for an analyst loading a plain territorial tree. A refused document
    raises with every problem in the exception's ``problems``.
    """

    # ``route`` and ``route_json`` are the native engine's own methods, bound to each
    # engine when it is made (``_bind``), so that routing one case crosses no Python
    # frame; the slots carry their documentation.
    __slots__ = {
        "_native": "The native engine.",
        "_sources": "The documents the engine was made from, for pickling.",
        "route": """route(case, explain=False) -> dict

        Routes one case given as a dict; returns the decision as a dict: level, unit,
        office, first handler, time limit, deadline and the deciding row with its ``why``.
        ``explain=True`` adds the ``trace``: every row that matched with the facts it
        read, and how the deadline was counted. Values JSON has no type for (datetimes,
        decimals) are converted as ``route_json`` would read their text.""",
        "route_json": """route_json(case, explain=False) -> str

        Routes one case given as JSON text; returns the core's JSON text unchanged
        (with the ``trace`` when ``explain`` is true).""",
    }

    def __init__(self, org: Optional[Source] = None, rules: Optional[Source] = None,
                 calendar: Optional[Source] = None, validation: str = "strict") -> None:
        sources = (_opt_text(org, "org"), _opt_text(rules, "rules"),
                   _opt_text(calendar, "calendar"), validation)
        self._bind(_native.Engine(*sources), sources)

    def _bind(self, native: Any, sources: Any) -> None:
        self._native = native
        self._sources = sources
        # Into the slots themselves: a subclass that defines its own ``route`` keeps it
        # (and reaches this one with ``super().route``).
        _ROUTE_SLOTS[0].__set__(self, native.route)
        _ROUTE_SLOTS[1].__set__(self, native.route_json)

    @classmethod
    def fushan(cls) -> "Engine":
        """The embedded defaults: the Fushan organisation, the default rule set and the
        China mainland calendar for 2025-2026 (built once, then shared)."""
        global _FUSHAN
        if _FUSHAN is None:
            engine = cls.__new__(cls)
            engine._bind(_native.Engine.fushan(), (None, None, None, "strict"))
            _FUSHAN = engine
        return _FUSHAN

    @classmethod
    def from_paths(cls, org: "Optional[str | _os.PathLike[str]]" = None,
                   rules: "Optional[str | _os.PathLike[str]]" = None,
                   calendar: "Optional[str | _os.PathLike[str]]" = None) -> "Engine":
        """An engine from the JSON files at these paths; a path left out takes the
        embedded default."""
        return cls(org=None if org is None else _path_text(org, "org"),
                   rules=None if rules is None else _path_text(rules, "rules"),
                   calendar=None if calendar is None else _path_text(calendar, "calendar"))

    def __reduce__(self) -> Any:
        return (Engine, self._sources)

    # -- routing ------------------------------------------------------------------------

    def route_batch(self, table: Any, *, errors: Optional[str] = None,
                    threads: Optional[int] = None) -> Any:
        """Routes every row of a table of cases: a pyarrow Table, a pandas or polars
        DataFrame, or any object with ``__arrow_c_stream__``. Columns ``id``, ``channel``,
        ``category``, ``location``, ``reported_at`` (RFC 3339 text, or a timestamp column;
        a zone-less one is local time on the calendar); optional ``people_involved``,
        ``amount_yuan`` (exact: decimals, integers, text, floats with at most two
        places), ``repeat_count``, ``risk_flags`` (names separated by commas),
        ``attributes`` (JSON text), ``summary``; other columns are ignored.

        Returns a pyarrow Table (an ``ArrowStream`` without pyarrow), one row per case in
        order: ``case``, ``version``, ``grade``, ``level``, ``unit``, ``unit_name``,
        ``office``, ``co_offices``, ``handler``, ``handler_role``, ``time_limit``, ``due``,
        ``flags``, ``rule_table``, ``rule_row``, ``error_code``, ``error``.

        ``errors="raise"`` (the default) raises for the first row that cannot be routed,
        naming it; ``errors="column"`` fills ``error_code`` and ``error`` and goes on.
        ``threads`` defaults to the machine's cores.
        """
        return _arrow_out(self._native.route_batch(_arrow_in(table), errors, threads))

    # -- Open311 GeoReport v2 ------------------------------------------------------------

    def open311(self, call: Union[str, Mapping[str, Any]], ledger: Optional[Ledger] = None) -> dict[str, Any]:
        """Answers an Open311 GeoReport v2 call as an HTTP handler would: a dict with
        ``status`` (200, 400 or 404) and ``body`` (XML, the default, or JSON with
        ``"format": "json"``), and for a request taken in the ``case`` to record. Calls:
        ``{"call": "services"}``; ``{"call": "service_definition", "service_code": ...}``;
        ``{"call": "post_request", "form": <the urlencoded body as sent>, "id": ...,
        "received_at": ..., "channel"?: "app"}``; ``{"call": "requests", "query": <the
        query string>, "now": ...}`` with a ``ledger``. Problems with the request are the
        answer (in Open311's error form), not exceptions."""
        text = call if isinstance(call, str) else _dumps(call, "call")
        if ledger is not None:
            raw = self._native.open311_requests_json(_ledger(ledger), text)
        else:
            raw = self._native.open311_json(text)
        result: dict[str, Any] = _json.loads(raw)
        return result

    def open311_json(self, call: str) -> str:
        """``open311`` (without a ledger) with JSON text in and the core's JSON text out."""
        return self._native.open311_json(call)

    def open311_requests_json(self, ledger: Ledger, call: str) -> str:
        """``open311`` with a ledger (the ``requests`` call), JSON text in and out."""
        return self._native.open311_requests_json(_ledger(ledger), call)

    # -- the grid's own work ---------------------------------------------------------------

    def suggest_teams(self, category: str, location: str) -> list[dict[str, Any]]:
        """The volunteer teams that may take a case of ``category`` at ``location``: those
        serving its grid, most of the category's work areas first, as
        ``[{"team", "name", "areas", "members"}]``. An unknown category or location raises
        ``QueryError``."""
        result: list[dict[str, Any]] = _json.loads(
            self._native.suggest_teams_json(_json.dumps({"category": category, "location": location})))
        return result

    def suggest_teams_json(self, request: str) -> str:
        """``suggest_teams`` with JSON text ``{"category", "location"}`` in and the core's
        JSON text out."""
        return self._native.suggest_teams_json(request)

    # -- the map ---------------------------------------------------------------------------

    def locate(self, lon: float, lat: float, crs: str = "wgs84") -> dict[str, Any]:
        """The micro-grid containing a point, with its grid and community:
        ``{"micro_grid", "grid", "community"}``. ``crs`` is ``wgs84`` (GPS), ``gcj02``
        (Chinese web maps) or ``bd09`` (Baidu). A point on an edge micro-grids share goes to
        the first of them in the organisation, every time; a point in none raises
        ``QueryError`` (code ``outside_map``) naming the nearest."""
        micro_grid, grid, community = self._native.locate_point(lon, lat, crs)
        return {"micro_grid": micro_grid, "grid": grid, "community": community}

    def locate_json(self, point: str) -> str:
        """``locate`` with JSON text ``{"lon", "lat", "crs"?}`` in and the core's JSON text
        out."""
        return self._native.locate_json(point)

    def locate_batch(self, table: Any, *, lon: str = "lon", lat: str = "lat",
                     crs: str = "wgs84", threads: Optional[int] = None) -> Any:
        """Locates every point of a table's coordinate columns (float degrees; a pyarrow
        Table, a pandas or polars DataFrame, or any object with ``__arrow_c_stream__``,
        e.g. ``pa.table({"lon": xs, "lat": ys})`` over numpy arrays). Returns a pyarrow
        Table, one row per point in order: ``micro_grid``, ``grid``, ``community`` as
        dictionary columns of the organisation's ids, null for a point in no micro-grid.
        ``threads`` defaults to the machine's cores."""
        return _arrow_out(self._native.locate_batch(_arrow_in(table), lon, lat, crs, threads))

    def map_geojson(self, crs: Optional[str] = None) -> dict[str, Any]:
        """The organisation's map as a GeoJSON FeatureCollection (a dict): one feature per
        unit with an area, ``properties`` ``unit``, ``kind``, ``name``, ``parent``;
        coordinates in ``crs`` (the map's own when ``None``)."""
        result: dict[str, Any] = _json.loads(self._native.map_json(crs))
        return result

    def map_json(self, crs: Optional[str] = None) -> str:
        """``map_geojson`` as the core's JSON text."""
        return self._native.map_json(crs)

    def route_csv(self, cases: Union[str, "_os.PathLike[str]"]) -> str:
        """Routes a cases CSV (text, or a ``pathlib.Path`` to the file; columns as for
        ``route_batch``, unknown columns refused) and returns the decisions as CSV text, one row per case in
        order; rows that cannot be routed carry ``error_code`` and ``error`` naming their
        line. The core's bytes, unchanged: the same in Rust and the browser."""
        if isinstance(cases, _os.PathLike):
            cases = _native.read_text(_os.fspath(cases), "cases")
        elif isinstance(cases, (bytes, bytearray)):
            cases = _native.decode_text(bytes(cases), "cases")
        return self._native.route_csv(cases)

    def deadline(self, start: Any, time_limit: str,
                 pauses: Optional[Sequence[Mapping[str, Any]]] = None) -> dict[str, Any]:
        """Counts a deadline on the engine's calendar from ``start`` (an aware datetime or
        RFC 3339 text), e.g. ``"4 working hours"``."""
        doc: dict[str, Any] = {"start": _time(start), "time_limit": time_limit}
        if pauses is not None:
            doc["pauses"] = list(pauses)
        result: dict[str, Any] = _json.loads(self._native.deadline_json(_dumps(doc, "deadline")))
        return result

    def deadline_json(self, input: str) -> str:
        """``deadline`` with JSON text in and out."""
        return self._native.deadline_json(input)

    # -- the organisation ---------------------------------------------------------------

    def contains(self, outer: str, inner: str) -> bool:
        """Whether unit ``outer`` contains unit ``inner`` (a unit contains itself)."""
        return self._native.contains(outer, inner)

    def unit_at_level(self, unit: str, level: str) -> Optional[str]:
        """The unit at ``level`` (``micro_grid``, ``grid``, ``community``, ``subdistrict``)
        above or at ``unit``; ``None`` when there is none."""
        return self._native.unit_at_level(unit, level)

    def duty_holder(self, unit: str, level: str) -> Optional[dict[str, Any]]:
        """The person who holds the duty for ``unit`` at ``level``; ``None`` if vacant."""
        result: Optional[dict[str, Any]] = _json.loads(self._native.duty_holder_json(unit, level))
        return result

    def summary(self) -> dict[str, Any]:
        """The organisation's name, counts per level and coverage report."""
        result: dict[str, Any] = _json.loads(self._native.summary_json())
        return result

    @property
    def rules(self) -> RuleSet:
        """The rule set in force."""
        return RuleSet(self._native.rules_json())

    def warnings(self) -> list[Problem]:
        """The organisation's accepted coverage gaps (with ``validation="warn"``; their
        ``location`` names the unit as ``subject``), the rule set's warnings and those
        about how it fits the organisation."""
        return [Problem._of(p) for p in _json.loads(self._native.warnings_json())]

    def warnings_json(self) -> str:
        """``warnings`` as the core's JSON text."""
        return self._native.warnings_json()

    # -- the ledger ---------------------------------------------------------------------

    def intake(self, ledger: Ledger, case: Mapping[str, Any],
               actor: Optional[str] = None) -> list[dict[str, Any]]:
        """Takes a new report in against a ledger: the events to append (a repeat report
        joins the earlier case)."""
        result: list[dict[str, Any]] = _json.loads(
            self._native.intake_json(_ledger(ledger), _dumps(case, "case"), actor))
        return result

    def intake_json(self, ledger: Ledger, case: str, actor: Optional[str] = None) -> str:
        """``intake`` with JSON text in and out."""
        return self._native.intake_json(_ledger(ledger), case, actor)

    def overdue(self, ledger: Ledger, now: Any) -> list[dict[str, Any]]:
        """The cases past their deadline at ``now`` (an aware datetime or RFC 3339 text),
        each with the escalation it gets."""
        result: list[dict[str, Any]] = _json.loads(self.overdue_json(ledger, now))
        return result

    def overdue_json(self, ledger: Ledger, now: Any) -> str:
        """``overdue`` as the core's JSON text."""
        return self._native.overdue_json(_ledger(ledger), _time(now))

    def actions(self, ledger: Ledger, now: Any) -> list[dict[str, Any]]:
        """Everything the engine proposes at ``now``: escalations, reminders, reopenings,
        reroutes."""
        result: list[dict[str, Any]] = _json.loads(self.actions_json(ledger, now))
        return result

    def actions_json(self, ledger: Ledger, now: Any) -> str:
        """``actions`` as the core's JSON text."""
        return self._native.actions_json(_ledger(ledger), _time(now))

    def timeline(self, ledger: Ledger, case: str, public: bool = False) -> list[dict[str, Any]]:
        """A case's timeline; ``public=True`` masks personal data."""
        result: list[dict[str, Any]] = _json.loads(self.timeline_json(ledger, case, public=public))
        return result

    def timeline_json(self, ledger: Ledger, case: str, public: bool = False) -> str:
        """``timeline`` as the core's JSON text."""
        return self._native.timeline_json(_ledger(ledger), case, public)

    # -- writes -------------------------------------------------------------------------

    def record(self, ledger: Ledger, actor: Any, event: Mapping[str, Any]) -> Receipt:
        """The write path: ``actor`` (an ``Actor`` or a dict) records ``event`` in
        ``ledger``. Raises ``AccessError`` (nothing appended) when the event's ``actor`` is
        not the actor, the actor is unknown, the role does not allow the event's action,
        the case is outside the role's scope, or the event is one only the system records;
        ``LedgerError`` when the ledger refuses it. A re-sent event (same ``event_id``,
        same content) is receipted as a duplicate."""
        return Receipt._of(_json.loads(self.record_json(ledger, actor, _dumps(event, "event"))))

    def record_json(self, ledger: Ledger, actor: Any, event: str) -> str:
        """``record`` with JSON text in and out."""
        return self._native.record_json(_ledger(ledger), _actor(actor), event)

    def record_intake(self, ledger: Ledger, actor: Any, case: Mapping[str, Any]) -> "list[Receipt]":
        """``actor`` reports ``case``: checked as ``record`` checks a report, then the
        report and its routing (or its joining an earlier case) are appended together."""
        return _receipts(self.record_intake_json(ledger, actor, _dumps(case, "case")))

    def record_intake_json(self, ledger: Ledger, actor: Any, case: str) -> str:
        """``record_intake`` with JSON text in and out."""
        return self._native.record_intake_json(_ledger(ledger), _actor(actor), case)

    # -- access -------------------------------------------------------------------------

    def can(self, actor: Any, action: str, ledger: Ledger, case: str) -> bool:
        """Whether ``actor`` (an ``Actor`` or a dict) may take ``action`` (``view``,
        ``report``, ``act``, ``escalate``, ``resolve``, ``evaluate``, ``export``, ``rate``)
        on a case of ``ledger``."""
        request = '{"actor": %s, "action": %s, "case": %s}' % (
            _actor(actor), _dumps(action, "action"), _dumps(case, "case"))
        answer: dict[str, Any] = _json.loads(self._native.can_json(_ledger(ledger), request))
        return bool(answer["allowed"])

    def visible_cases(self, actor: Any, ledger: Ledger) -> list[str]:
        """The ids of the cases ``actor`` may see, in the order they were reported."""
        result: list[str] = _json.loads(self._native.visible_cases_json(_ledger(ledger), _actor(actor)))
        return result

    def export(self, actor: Any, ledger: Ledger) -> list[dict[str, Any]]:
        """The states of the cases ``actor`` may see, for analysis: the role must allow
        ``export``; personal data are masked unless the role sees them."""
        result: list[dict[str, Any]] = _json.loads(self._native.export_json(_ledger(ledger), _actor(actor)))
        return result

    def timeline_for(self, actor: Any, ledger: Ledger, case: str) -> list[dict[str, Any]]:
        """A case's timeline as ``actor`` may see it (public unless the role sees personal
        data); ``AccessError`` when the case is outside the actor's reach."""
        result: list[dict[str, Any]] = _json.loads(
            self._native.timeline_for_json(_ledger(ledger), _actor(actor), case))
        return result

    def can_json(self, ledger: Ledger, request: str) -> str:
        """``can`` with a JSON request ``{"actor", "action", "case"}``; the core's JSON."""
        return self._native.can_json(_ledger(ledger), request)

    def visible_cases_json(self, ledger: Ledger, actor: str) -> str:
        """``visible_cases`` with the actor as JSON text; the core's JSON."""
        return self._native.visible_cases_json(_ledger(ledger), actor)

    def export_json(self, ledger: Ledger, actor: str) -> str:
        """``export`` with the actor as JSON text; the core's JSON."""
        return self._native.export_json(_ledger(ledger), actor)

    def timeline_for_json(self, ledger: Ledger, actor: str, case: str) -> str:
        """``timeline_for`` with the actor as JSON text; the core's JSON."""
        return self._native.timeline_for_json(_ledger(ledger), actor, case)

    # -- scoring ------------------------------------------------------------------------

    def score(self, source: Any, month: Any, *, budget_fen: Optional[int] = None,
              history: Optional[int] = None,
              inspections: Optional[Sequence[Mapping[str, Any]]] = None,
              visits: Optional[Sequence[Mapping[str, Any]]] = None,
              meetings: Optional[Sequence[Mapping[str, Any]]] = None,
              register: Optional[Sequence[Mapping[str, Any]]] = None) -> dict[str, Any]:
        """Scores ``month`` (``"2026-03"`` or a date) of a ``Ledger``, a list of outcome
        dicts, or outcome CSV text: the month's report as a dict (ranking, red and black
        lists, inactive grids, common demands, rewards of ``budget_fen``, talent pool).
        A table comes with its ``visits``, grid ``meetings`` and closed ``register``
        entries (as ``outcomes(ledger)`` gives them); a ledger gives its own, and its
        report carries the month's ``work``."""
        work = (visits, meetings, register)
        if isinstance(source, Ledger):
            text = self._native.score_json(
                source._native, _score_request(month, budget_fen, history, inspections, *work))
        elif isinstance(source, str):
            text = self._native.score_outcomes_json(_score_request(
                month, budget_fen, history, inspections, *work, outcomes_csv=source))
        elif isinstance(source, Sequence):
            text = self._native.score_outcomes_json(_score_request(
                month, budget_fen, history, inspections, *work, outcomes=list(source)))
        else:
            return self.score_outcomes_report(source, month, budget_fen=budget_fen,
                                              history=history, inspections=inspections,
                                              visits=visits, meetings=meetings,
                                              register=register)
        result: dict[str, Any] = _json.loads(text)
        return result

    def score_json(self, ledger: Ledger, request: str) -> str:
        """Scores a month of a ledger: JSON request in, the core's JSON report out."""
        return self._native.score_json(_ledger(ledger), request)

    def score_outcomes(self, table: Any, month: Any, *, budget_fen: Optional[int] = None,
                       history: Optional[int] = None,
                       inspections: Optional[Sequence[Mapping[str, Any]]] = None,
                       visits: Optional[Sequence[Mapping[str, Any]]] = None,
                       meetings: Optional[Sequence[Mapping[str, Any]]] = None,
                       register: Optional[Sequence[Mapping[str, Any]]] = None,
                       level: Optional[str] = None) -> Any:
        """Scores ``month`` of an outcome table (any Arrow table; the columns of
        ``outcomes_csv``, with timestamps as text or typed) and returns the scored units at
        ``level`` (``grid``, ``worker``, ``community``, or ``office`` under the office
        scheme) as a pyarrow Table: rank, score and scheme points (exact decimals, null
        when not evaluable), every indicator (four places), every count, the list streaks.
        The schema's metadata holds the month, version, scheme and its items, red and black
        lists and inactive grids (JSON)."""
        request = _score_request(month, budget_fen, history, inspections, visits, meetings,
                                 register)
        return _arrow_out(self._native.score_outcomes_arrow(_arrow_in(table), request, level))

    def score_outcomes_report(self, table: Any, month: Any, *,
                              budget_fen: Optional[int] = None,
                              history: Optional[int] = None,
                              inspections: Optional[Sequence[Mapping[str, Any]]] = None,
                              visits: Optional[Sequence[Mapping[str, Any]]] = None,
                              meetings: Optional[Sequence[Mapping[str, Any]]] = None,
                              register: Optional[Sequence[Mapping[str, Any]]] = None
                              ) -> dict[str, Any]:
        """``score_outcomes`` as the whole month's report (a dict)."""
        request = _score_request(month, budget_fen, history, inspections, visits, meetings,
                                 register)
        text = self._native.score_outcomes_arrow(_arrow_in(table), request, None, True)
        result: dict[str, Any] = _json.loads(text)
        return result

    def score_partial(self, table: Any, month: Any, *, history: Optional[int] = None) -> Any:
        """Scores one partition of an outcome table for ``month`` and ``history``: the
        partial, a pyarrow Table of per-unit counters (a ``header`` row, then one row per
        grid and month, office, channel, category, level and common-demand cell with
        something counted, and one per report of the demand window with its case id).
        Partials of the partitions merge (``merge_partials``) and finish
        (``score_finish``) into the report of the whole table, byte for byte; give each
        case to one partition."""
        request = _score_request(month, None, history, None)
        return _arrow_out(self._native.score_partial_arrow(_arrow_in(table), request))

    def merge_partials(self, partials: Iterable[Any]) -> Any:
        """Adds partials of one month and history (made by ``score_partial``, or merged
        already) into one partial, a pyarrow Table. Merging is associative and
        commutative: a cluster reduces partials as a tree."""
        return _arrow_out(self._native.merge_partials_arrow([_arrow_in(p) for p in partials]))

    def score_finish(self, partial: Any, month: Any, *, budget_fen: Optional[int] = None,
                     history: Optional[int] = None,
                     inspections: Optional[Sequence[Mapping[str, Any]]] = None,
                     visits: Optional[Sequence[Mapping[str, Any]]] = None,
                     meetings: Optional[Sequence[Mapping[str, Any]]] = None,
                     register: Optional[Sequence[Mapping[str, Any]]] = None,
                     level: Optional[str] = None) -> Any:
        """Finishes a merged partial: the scored units at ``level`` as ``score_outcomes``
        gives them for the whole table (ranks, lists and rewards of ``budget_fen``).
        ``month`` and ``history`` are the partial's; ``visits``, ``meetings``,
        ``register`` and ``inspections`` are those not given to the partitions."""
        request = _score_request(month, budget_fen, history, inspections, visits, meetings,
                                 register)
        return _arrow_out(self._native.score_finish_arrow(_arrow_in(partial), request, level))

    def score_finish_report(self, partial: Any, month: Any, *,
                            budget_fen: Optional[int] = None,
                            history: Optional[int] = None,
                            inspections: Optional[Sequence[Mapping[str, Any]]] = None,
                            visits: Optional[Sequence[Mapping[str, Any]]] = None,
                            meetings: Optional[Sequence[Mapping[str, Any]]] = None,
                            register: Optional[Sequence[Mapping[str, Any]]] = None
                            ) -> dict[str, Any]:
        """``score_finish`` as the whole month's report (a dict): what
        ``score_outcomes_report`` gives for the whole table."""
        request = _score_request(month, budget_fen, history, inspections, visits, meetings,
                                 register)
        text = self._native.score_finish_arrow(_arrow_in(partial), request, None, True)
        result: dict[str, Any] = _json.loads(text)
        return result

    def score_finish_json(self, partial: Any, request: str) -> str:
        """Finishes a merged partial as the JSON ``request`` asks (that of
        ``score_outcomes_json`` without the table); returns the core's JSON report, the
        same bytes as ``score_outcomes_json`` on the whole table."""
        return self._native.score_finish_arrow(_arrow_in(partial), request, None, True)

    def score_outcomes_json(self, request: str) -> str:
        """Scores a month of an outcome table given in the JSON request (``outcomes`` or
        ``outcomes_csv``); returns the core's JSON report."""
        return self._native.score_outcomes_json(request)

    def score_outcomes_html(self, request: str, title: Optional[str] = None) -> str:
        """``score_outcomes_json`` as one self-contained HTML page."""
        return self._native.score_outcomes_html(request, title)

    def outcomes(self, ledger: Ledger) -> dict[str, Any]:
        """The outcome table of a ledger: ``{"outcomes": [...], "visits": [...]}``."""
        result: dict[str, Any] = _json.loads(self.outcomes_json(ledger))
        return result

    def outcomes_json(self, ledger: Ledger) -> str:
        """``outcomes`` as the core's JSON text."""
        return self._native.outcomes_json(_ledger(ledger))

    def outcomes_csv(self, ledger: Ledger) -> str:
        """The outcome table of a ledger as CSV text (one row per case)."""
        return self._native.outcomes_csv(_ledger(ledger))

    # -- simulation ---------------------------------------------------------------------

    def simulate_cases(self, year: int, month: int, count: int, seed: int = 0) -> Any:
        """``count`` seeded cases reported in ``year``-``month`` as a table with the
        columns ``route_batch`` reads; every case is valid for the rule set. The same seed
        gives the same cases in Rust, Python and the browser."""
        return _arrow_out(self._native.simulate_cases(
            year, month, count, seed))

    def simulate_cases_csv(self, year: int, month: int, count: int, seed: int = 0) -> str:
        """``simulate_cases`` as a cases CSV (what ``route_csv`` reads)."""
        return self._native.simulate_cases_csv(
            year, month, count, seed)

    def simulate_month(self, year: int, month: int, count: int, seed: int = 0) -> Ledger:
        """A seeded month of work through a new ledger: cases reported, taken in, routed,
        handled, escalated when overdue, evaluated; visits made."""
        return Ledger._of(self._native.simulate_month(
            year, month, count, seed))

    # -- what if ------------------------------------------------------------------------

    def with_rules(self, rules: Source) -> "Engine":
        """This engine's organisation and calendar under another rule set."""
        text = _text(rules, "rules")
        engine = Engine.__new__(Engine)
        engine._bind(self._native.with_rules(text),
                     (self._sources[0], text, self._sources[2], self._sources[3]))
        return engine

    def backtest(self, rules: Source, cases: Any, *, limit: Optional[int] = None) -> dict[str, Any]:
        """Routes ``cases`` under this engine's rules and under ``rules`` and tells which
        decide differently and how: counts, level moves and up to ``limit`` differing
        cases with both outcomes. ``cases`` is a list of case dicts or any Arrow table of
        cases (as for ``route_batch``)."""
        if isinstance(cases, list) and all(isinstance(c, Mapping) for c in cases):
            text = self.backtest_json(rules, _dumps(cases, "cases"), limit=limit)
        elif isinstance(cases, str):
            text = self.backtest_json(rules, cases, limit=limit)
        else:
            other = self.with_rules(rules)
            text = self._native.backtest_arrow(other._native, _arrow_in(cases), limit)
        result: dict[str, Any] = _json.loads(text)
        return result

    def backtest_json(self, rules: Source, cases: str, *, limit: Optional[int] = None) -> str:
        """``backtest`` with the cases as a JSON array; the core's JSON report."""
        return self._native.backtest_json(_text(rules, "rules"), cases, limit)

    def __repr__(self) -> str:
        summary = self.summary()
        return f"<gridgov.Engine org={summary.get('name')!r} rules={self.rules.versions!r}>"


_ROUTE_SLOTS: Any = (Engine.__dict__["route"], Engine.__dict__["route_json"])


def backtest(rules_a: Source, rules_b: Source, cases: Any, *, org: Optional[Source] = None,
             calendar: Optional[Source] = None, limit: Optional[int] = None) -> dict[str, Any]:
    """What if: routes ``cases`` (a list of dicts or an Arrow table) under ``rules_a`` and
    ``rules_b`` on the same organisation and calendar (default Fushan) and reports which
    cases decide differently and how.

    >>> rules = gridgov.RuleSet.fushan().to_dict()
    >>> report = gridgov.backtest(rules, rules, [{"id": "c1", "channel": "app",
    ...     "category": "property_crime", "location": "fs-c05-g01-m1",
    ...     "reported_at": "2026-03-02T09:00:00+08:00"}])
    >>> report["cases"], report["different"]
    (1, 0)
    """
    return Engine(org=org, rules=rules_a, calendar=calendar).backtest(rules_b, cases, limit=limit)
