#!/usr/bin/env python3
"""Writes the inputs and descriptions of the vectors for reports that are never lost
(tests/vectors/never_lost/): a report with a missing or invalid fact is taken in, routed on
the safe side and flagged incomplete; `actions` lists it until an `amended` event completes
it and routes it again; only a report that cannot be placed is refused, with every problem
named. Ledgers are built with the installed Python package (deterministic); outputs are
blessed by the Rust runner, and tests/tests/never_lost.rs walks the same paths. Run, then
bless and review:

    .venv/bin/python tests/vectors/generate_never_lost.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import json

import gridgov
from vectorlib import write

engine = gridgov.Engine.fushan()
SYSTEM = gridgov.Actor.system()
EMPTY = json.loads(gridgov.Ledger().to_json())

GAS = {"id": "h1", "channel": "hotline", "category": "safety_hazard", "location": "fs-c01-g01-m1",
       "reported_at": "2026-03-06T18:30:00+08:00", "people_involved": 20,
       "summary": "楼道里有煤气味"}

write("never_lost/gas-smell-without-hazard-type.json",
      "A hotline report of a gas smell without its required hazard_type is taken in, not "
      "refused: the report and its routing on the safe side (the most urgent row the known "
      "facts allow: gas-or-fire, the community within 4 hours, due 22:30 the same evening), "
      "the assignment flagged incomplete with the missing attribute named.",
      "intake", {"ledger": EMPTY, "case": GAS})

led = gridgov.Ledger()
engine.record_intake(led, SYSTEM, GAS)
TAKEN = json.loads(led.to_json())
write("never_lost/incomplete-listed-in-actions.json",
      "actions at 19:00: the incomplete report is listed with what it lacks until it is "
      "completed.",
      "actions", {"ledger": TAKEN, "now": "2026-03-06T19:00:00+08:00"})

AMEND = {"case": "h1", "at": "2026-03-06T19:10:00+08:00", "actor": "fs-cm01-1",
         "event": {"type": "amended", "facts": {"attributes": {"hazard_type": "other"}},
                   "note": "现场核实为水管渗漏"}}
CM = {"id": "fs-cm01-1", "role": "committee_member"}
write("never_lost/amended-by-the-liaison.json",
      "The liaison committee member completes the report (hazard_type other): recorded.",
      "record", {"ledger": TAKEN, "actor": CM, "event": AMEND})
engine.record(led, gridgov.Actor("fs-cm01-1", "committee_member"), AMEND)
AMENDED = json.loads(led.to_json())
write("never_lost/amended-routes-again.json",
      "actions after the amendment: the case is routed again on its completed facts (routing "
      "row hazard: the grid within 4 working hours of the report, Monday 14:30), no longer "
      "incomplete and no longer listed.",
      "actions", {"ledger": AMENDED, "now": "2026-03-06T19:15:00+08:00"})
write("never_lost/amended-state.json",
      "The ledger state after the amendment: the facts as amended beside the report as made, "
      "and the amendment awaiting its new routing.",
      "ledger_state", {"ledger": AMENDED})

write("never_lost/unplaceable-refused.json",
      "A report that cannot be tied to a place or a category is refused, with every problem "
      "named (the unknown channel too).",
      "intake", {"ledger": EMPTY, "case": {"id": "x", "channel": "wechat", "category": "noise", "location": "nowhere",
                          "reported_at": "2026-03-06T18:30:00+08:00"}})
write("never_lost/wrong-value-taken-in.json",
      "A hazard_type outside its list (`smoke`) is taken in like a missing one: every value "
      "is tried and the most urgent kept (gas or fire).",
      "intake", {"ledger": EMPTY, "case": dict(GAS, id="h2", attributes={"hazard_type": "smoke"})})

print("wrote never-lost vectors")
