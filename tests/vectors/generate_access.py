#!/usr/bin/env python3
"""Writes the inputs and descriptions of the access vectors (tests/vectors/access/).

The ledger is three cases taken in on the Fushan default (built with the installed Python
package, which is deterministic): `a1` a neighbour dispute in grid fs-c01-g02 reported by
resident 370883199001011234; `a2` a property crime routed to the police work office,
reported by resident 370883199202022222; `a3` a six-person dispute in community fs-c02.
Run, then bless the outputs with the Rust runner and review:

    .venv/bin/python tests/vectors/generate_access.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import json

import gridgov
from vectorlib import write, written

engine = gridgov.Engine.fushan()
ledger = gridgov.Ledger()
AT = "2026-03-02T09:15:00+08:00"
for case in [
    {"id": "a1", "channel": "hotline", "category": "neighbour_dispute", "location": "fs-c01-g02-m1",
     "reported_at": AT, "summary": "王芳反映楼上漏水",
     "reporter": {"name": "王芳", "phone": "13800001234", "id_number": "370883199001011234"}},
    {"id": "a2", "channel": "app", "category": "property_crime", "location": "fs-c05-g01-m1",
     "reported_at": AT, "reporter": {"name": "李强", "phone": "13900005678", "id_number": "370883199202022222"}},
    {"id": "a3", "channel": "visit", "category": "neighbour_dispute", "location": "fs-c02-g01-m1",
     "reported_at": AT, "people_involved": 6},
]:
    ledger.extend(engine.intake(ledger, case, actor="system"))
LEDGER = json.loads(ledger.snapshot())

RESIDENT = {"id": "370883199001011234", "role": "resident"}


def actor(id_, role, unit=None):
    a = {"id": id_, "role": role}
    if unit:
        a["unit"] = unit
    return a


write("access/visible-grid-worker.json",
      "A grid worker sees the cases of the grid they are posted to: fs-gw002 holds fs-c01-g02, "
      "so a1 only.", "visible_cases", {"ledger": LEDGER, "actor": actor("fs-gw002", "grid_worker")})
write("access/visible-office.json",
      "An office sees the cases routed to it: the police work office has a2.",
      "visible_cases", {"ledger": LEDGER, "actor": actor("p", "office", "police_work_office")})
write("access/visible-community-cadre.json",
      "Community cadres see their community: fs-c02 has a3.",
      "visible_cases", {"ledger": LEDGER, "actor": actor("c", "community_cadre", "fs-c02")})
write("access/visible-resident.json",
      "A resident sees the cases they reported (their id number is the actor id): a1.",
      "visible_cases", {"ledger": LEDGER, "actor": RESIDENT})
write("access/visible-subdistrict.json",
      "The subdistrict sees every case.",
      "visible_cases", {"ledger": LEDGER, "actor": actor("s", "subdistrict")})
write("access/unknown-role.json",
      "A role the rule set's access section does not have is refused, listing the roles.",
      "visible_cases", {"ledger": LEDGER, "actor": actor("m", "mayor")})
write("access/can-grid-worker-resolve.json",
      "A grid worker may resolve a case in their grid.",
      "can", {"ledger": LEDGER, "request": {"actor": actor("fs-gw002", "grid_worker"), "action": "resolve", "case": "a1"}})
write("access/can-grid-worker-other-grid.json",
      "A grid worker may not view a case in another grid.",
      "can", {"ledger": LEDGER, "request": {"actor": actor("fs-gw003", "grid_worker"), "action": "view", "case": "a1"}})
write("access/can-analyst-act.json",
      "An analyst sees everything but may not act on a case.",
      "can", {"ledger": LEDGER, "request": {"actor": actor("a", "analyst"), "action": "act", "case": "a1"}})
write("access/export-analyst-masked.json",
      "An analyst's export masks the reporters' names, phones, id numbers and names in the summary.",
      "export", {"ledger": LEDGER, "actor": actor("a", "analyst")})
write("access/export-resident-forbidden.json",
      "A resident may not export.",
      "export", {"ledger": LEDGER, "actor": RESIDENT})
write("access/timeline-resident-public.json",
      "A resident sees the public timeline of their own case: personal data masked.",
      "timeline_for", {"ledger": LEDGER, "actor": RESIDENT, "case": "a1"})
write("access/timeline-grid-worker-private.json",
      "The grid worker handling the case sees the reporter's data.",
      "timeline_for", {"ledger": LEDGER, "actor": actor("fs-gw002", "grid_worker"), "case": "a1"})
write("access/timeline-other-resident.json",
      "Another resident may not see the case at all.",
      "timeline_for", {"ledger": LEDGER, "actor": {"id": "370883199202022222", "role": "resident"}, "case": "a1"})

print(f"wrote {len(written)} vectors")
