"""gridgov: grid-based community governance (网格化社会治理) as a library.

The Rust core decides; this package converts. JSON entry points return the core's bytes
unchanged, so Rust, Python and the browser give the same answers.
"""

from gridgov._gridgov import (
    GridgovError,
    InputError,
    JsonError,
    LookupError,
    OrgError,
    __version__,
    org_summary_json,
)

__all__ = [
    "GridgovError",
    "InputError",
    "JsonError",
    "LookupError",
    "OrgError",
    "__version__",
    "org_summary_json",
]
