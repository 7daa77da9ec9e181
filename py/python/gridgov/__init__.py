"""gridgov: grid-based community governance (网格化社会治理) as a library.

The Rust core decides; this package converts. JSON entry points return the core's bytes
unchanged, so Rust, Python and the browser give the same answers.

>>> import json, gridgov
>>> engine = gridgov.Engine.fushan()
>>> decision = json.loads(engine.route_json(json.dumps({
...     "id": "demo", "channel": "hotline", "category": "neighbour_dispute",
...     "location": "fs-c01-g02-m1", "reported_at": "2026-03-02T09:15:00+08:00"})))
>>> decision["level"], decision["rule"]["row"]
('grid', 'dispute-grid')
"""

from gridgov._gridgov import (
    CalendarError,
    CaseError,
    Engine,
    GridgovError,
    InputError,
    JsonError,
    Ledger,
    LedgerError,
    OrgError,
    QueryError,
    RouteError,
    RuleError,
    ScoreError,
    __version__,
    org_summary_json,
    validate_rules_json,
)

__all__ = [
    "CalendarError",
    "CaseError",
    "Engine",
    "GridgovError",
    "InputError",
    "JsonError",
    "Ledger",
    "LedgerError",
    "OrgError",
    "QueryError",
    "RouteError",
    "RuleError",
    "ScoreError",
    "__version__",
    "org_summary_json",
    "validate_rules_json",
]
