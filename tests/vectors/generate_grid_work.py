#!/usr/bin/env python3
"""Writes the inputs and descriptions of the grid's own work (tests/vectors/grid_work/):
micro-grid leaders (微网格长) as first handlers with the grid worker following, and the
warning where none is posted. Outputs are blessed by the Rust runner; tests/tests/
micro_grid_leaders.rs walks the same paths. Run, then bless and review:

    .venv/bin/python tests/vectors/generate_grid_work.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import json

import gridgov
from vectorlib import fixtures, write

engine = gridgov.Engine.fushan()
LIVELIHOOD = {"id": "m1", "channel": "app", "category": "livelihood", "location": "fs-c01-g01-m1",
              "reported_at": "2026-03-02T09:00:00+08:00"}

write("grid_work/micro-grid-leader-first-handler.json",
      "A micro-grid matter (livelihood-micro) in fs-c01-g01-m1: its micro-grid leader fs-mgl001 (a "
      "party member heading a lead household) is the first handler, and the grid worker fs-gw001 "
      "follows.",
      "route", {"case": LIVELIHOOD})

led = gridgov.Ledger()
engine.record_intake(led, gridgov.Actor.system(), LIVELIHOOD)
TAKEN = json.loads(led.to_json())
write("grid_work/leader-and-follower-in-the-ledger.json",
      "The ledger state after intake: the leader owns the case, the grid worker follows it.",
      "ledger_state", {"ledger": TAKEN})
write("grid_work/micro-grid-leader-resolves.json",
      "The micro-grid leader resolves the matter on the spot (access role micro_grid_leader: the "
      "micro-grids they are posted to).",
      "record", {"ledger": TAKEN, "actor": {"id": "fs-mgl001", "role": "micro_grid_leader"},
                 "event": {"case": "m1", "at": "2026-03-02T15:00:00+08:00", "actor": "fs-mgl001",
                           "event": {"type": "resolved", "level": "micro_grid", "how": "已协调物业修复"}}})
write("grid_work/micro-grid-leader-outside.json",
      "A micro-grid leader may not act in another micro-grid: out_of_scope.",
      "record", {"ledger": TAKEN, "actor": {"id": "fs-mgl002", "role": "micro_grid_leader"},
                 "event": {"case": "m1", "at": "2026-03-02T15:00:00+08:00", "actor": "fs-mgl002",
                           "event": {"type": "resolved", "level": "micro_grid", "how": "越界"}}})

SMALL = json.loads(json.dumps(fixtures()["small_org"]))
SMALL["people"].append({"id": "ld1", "name": "党员中心户户主", "role": "party_member", "unit": "m1"})
SMALL["duties"].append({"person": "ld1", "duty": "micro_grid_leader", "unit": "m1"})
SMALL_CASE = {"id": "s1", "channel": "hotline", "category": "other", "reported_at": "2026-03-02T09:00:00+08:00"}
write("grid_work/no-leader-posted-warning.json",
      "An organisation that posts micro-grid leaders, with none in micro-grid m3: the grid worker "
      "w2 handles the matter and the decision warns (no_micro_grid_leader).",
      "route", {"org": SMALL, "rules": {"$fixture": "small_rules"}, "case": dict(SMALL_CASE, location="m3")})
write("grid_work/leader-posted-small.json",
      "The same organisation in micro-grid m1, where ld1 is posted: ld1 handles it, w1 follows.",
      "route", {"org": SMALL, "rules": {"$fixture": "small_rules"}, "case": dict(SMALL_CASE, location="m1")})
print("wrote grid-work vectors")
