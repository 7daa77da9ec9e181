#!/usr/bin/env python3
"""Writes the inputs and descriptions of the grid's own work (tests/vectors/grid_work/):
micro-grid leaders (微网格长) as first handlers with the grid worker following, and the
warning where none is posted; duty lists (职责清单) and the warning on a first handler
whose lists miss the category; a visit that opens a case and registers a dispute, its
follow-ups, grid meetings and a missed monthly one in `actions`; volunteer teams suggested
and given a case; a ledger's score with its grid work. Outputs are blessed by the Rust
runner; tests/tests/micro_grid_leaders.rs, duty_lists.rs and grid_work.rs walk the same
paths. Run, then bless and review:

    .venv/bin/python tests/vectors/generate_grid_work.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import json

import gridgov
from vectorlib import expand, fixtures, write

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
# -- Duty lists ------------------------------------------------------------------------------
LISTS = {
    "classes": [{"id": "basic", "name": "基础", "assumed": True}, {"id": "disputes", "name": "纠纷"}],
    "work_areas": [{"id": "general", "name": "综合", "categories": ["other"]},
                   {"id": "hazards", "name": "隐患", "categories": ["hazard"]},
                   {"id": "mediation", "name": "调解", "categories": ["dispute"]},
                   {"id": "order", "name": "治安", "categories": ["theft"]}],
    "lists": [{"id": "c_basic", "name": "基础共性清单", "class": "basic", "scope": "common",
               "items": [{"name": "巡查", "areas": ["general", "hazards"]}, {"name": "治安", "areas": ["order"]}]},
              {"id": "i_mediation", "name": "调解个性清单", "class": "disputes", "scope": "individual",
               "items": [{"name": "调解", "areas": ["mediation"]}]}],
}
LISTED = json.loads(json.dumps(fixtures()["small_org"]))
LISTED["duty_lists"] = LISTS
for d in LISTED["duties"]:
    if d["duty"] == "grid_worker":
        d["lists"] = ["c_basic"]
write("grid_work/outside-duty-list-warning.json",
      "Duty lists (职责清单): w1 holds the common list, which covers `other`, `hazard` and `theft` "
      "but not `dispute`; a small dispute in m1 goes to w1 and the decision warns (outside_duty_list).",
      "route", {"org": LISTED, "rules": {"$fixture": "small_rules"},
                "case": dict(SMALL_CASE, category="dispute", location="m1")})
UNLISTED = json.loads(json.dumps(LISTED))
UNLISTED["duties"][1]["lists"] = []
UNLISTED["duty_lists"]["lists"][0]["items"][1]["areas"] = ["general"]
write("grid_work/duty-list-warnings.json",
      "The engine checks duty lists against the rule set and the people: nobody's item covers "
      "`theft` (category_without_duty) and grid worker w2 holds no common list "
      "(missing_common_duty_list).",
      "engine_warnings", {"org": UNLISTED, "rules": {"$fixture": "small_rules"}})
BAD_LISTS = json.loads(json.dumps(LISTED))
BAD_LISTS["duty_lists"]["lists"][0]["class"] = "nope"
write("grid_work/duty-list-unknown-class.json",
      "A duty list of a class the lists do not declare is refused with the organisation "
      "(bad_duty_list), naming the valid classes.",
      "engine_warnings", {"org": BAD_LISTS, "rules": {"$fixture": "small_rules"}})

# -- Visits, the register, meetings and teams on the Fushan default --------------------------
GW = {"id": "fs-gw001", "role": "grid_worker"}
VISIT_CASE = {"id": "v1", "channel": "visit", "category": "neighbour_dispute",
              "location": "fs-c01-g01-m2", "reported_at": "2026-03-03T10:00:00+08:00",
              "summary": "楼上漏水"}
led = gridgov.Ledger()
engine.record_intake(led, GW, VISIT_CASE)
WITH_CASE = json.loads(led.to_json())
VISIT = {"at": "2026-03-03T10:00:00+08:00", "actor": "fs-gw001",
         "event": {"type": "visited", "unit": "fs-c01-g01", "households": 3,
                   "household_ids": ["h-0101", "h-0102", "h-0103"],
                   "found": ["dispute", "need"], "visit": "vis-1", "opened": ["v1"],
                   "registered": [{"id": "reg-1", "unit": "fs-c01-g01-m2", "grade": "general",
                                   "class": "neighbour_dispute", "parties": 2, "case": "v1",
                                   "summary": "楼上漏水引发邻里纠纷"}]}}
write("grid_work/visit-opens-a-case-and-registers-a-dispute.json",
      "常态化入户走访: grid worker fs-gw001 visits three households of fs-c01-g01, finds a dispute "
      "and a need, opens case v1 (channel visit, taken in before) and enters the dispute in the "
      "register (矛盾纠纷排查台账: grade general, class neighbour_dispute, 2 parties).",
      "record", {"ledger": WITH_CASE, "actor": GW, "event": VISIT})
engine.record(led, GW, VISIT)
VISITED = json.loads(led.to_json())
write("grid_work/visit-state-with-register.json",
      "The ledger state after the visit: the visit with what it found and its links, the register "
      "entry at step found.",
      "ledger_state", {"ledger": VISITED})
bad_visit = json.loads(json.dumps(VISIT))
bad_visit["event"]["found"] = ["need"]
write("grid_work/visit-dispute-not-found.json",
      "A visit that registers a dispute must list `dispute` in what it found (visit_findings).",
      "record", {"ledger": WITH_CASE, "actor": GW, "event": bad_visit})
bad_visit = json.loads(json.dumps(VISIT))
bad_visit["event"]["registered"][0]["unit"] = "fs-c01-g02-m1"
write("grid_work/visit-entry-outside.json",
      "A register entry must lie within the unit visited (work_outside).",
      "record", {"ledger": WITH_CASE, "actor": GW, "event": bad_visit})
write("grid_work/follow-ups-due.json",
      "Registered on 3 March and not followed up: with the default's 7-day follow-up limit the "
      "entry is listed in actions from the end of 10 March (follow_ups).",
      "actions", {"ledger": VISITED, "now": "2026-03-11T09:00:00+08:00"})
FOLLOW = {"at": "2026-03-09T10:00:00+08:00", "actor": "fs-gw001",
          "event": {"type": "followed_up", "entry": "reg-1", "step": "mediating", "note": "上门调解"}}
engine.record(led, GW, FOLLOW)
RESOLVE = {"at": "2026-03-12T10:00:00+08:00", "actor": "fs-gw001",
           "event": {"type": "followed_up", "entry": "reg-1", "step": "resolved", "note": "双方达成协议"}}
write("grid_work/follow-up-resolves.json",
      "A follow-up visit resolves the entry in the grid: the entry closes.",
      "record", {"ledger": json.loads(led.to_json()), "actor": GW, "event": RESOLVE})
engine.record(led, GW, RESOLVE)
again = dict(RESOLVE, at="2026-03-13T10:00:00+08:00")
again = json.loads(json.dumps(again))
again["event"]["step"] = "sent_up"
write("grid_work/follow-up-after-close.json",
      "A closed entry takes no more follow-ups (register_step).",
      "record", {"ledger": json.loads(led.to_json()), "actor": GW, "event": again})
MEETING = {"at": "2026-03-20T15:00:00+08:00", "actor": "fs-gw001",
           "event": {"type": "meeting_held", "meeting": {
               "id": "mt-2026-03-g01", "grids": ["fs-c01-g01"],
               "attendees": [{"role": "grid_worker", "person": "fs-gw001"},
                             {"role": "liaison", "person": "fs-cm01-1"},
                             {"role": "deputy", "person": "fs-dp01"},
                             {"role": "resident_representative", "name": "居民代表王某"}],
               "matters": [{"kind": "register", "entry": "reg-1"}, {"kind": "demand", "text": "加装电梯"}],
               "decisions": [{"kind": "mechanism", "text": "每月第一周入户排查漏水"}]}}}
write("grid_work/meeting-held.json",
      "网格例会: the grid's monthly meeting with its liaison committee member and a deputy "
      "(两委包保、两代表一委员进网格), the register entry and a common demand discussed, a long-term "
      "mechanism decided.",
      "record", {"ledger": json.loads(led.to_json()), "actor": GW, "event": MEETING})
engine.record(led, GW, MEETING)
WORKED = json.loads(led.to_json())
write("grid_work/score-with-grid-work.json",
      "score, March 2026, the ledger's totals and work: the meeting attended in full (1 of 1), the "
      "register entry resolved in the grid (1 of 1), 3 households visited, and the month's work "
      "summary (visits, findings, register, meetings).",
      "score", {"ledger": WORKED, "request": {"month": "2026-03", "include": ["total", "work"]}})

SMALL_MEETINGS = {"$fixture": "small_rules",
                  "patch": [{"op": "add", "path": "/versions/0/grid_work",
                             "value": {"meetings": {"every": "month"}, "follow_up_within": "7 days"}}]}
small_led = gridgov.Ledger()
small_engine = gridgov.Engine(org=json.dumps(fixtures()["small_org"]),
                              rules=json.dumps(expand(SMALL_MEETINGS)))
small_engine.record(small_led, gridgov.Actor.system(), {
    "at": "2026-03-16T15:00:00+08:00", "actor": "system",
    "event": {"type": "meeting_held", "meeting": {
        "id": "g1-2026-03", "grids": ["g1"],
        "attendees": [{"role": "grid_worker", "person": "w1"}, {"role": "liaison", "person": "cm1"}]}}})
write("grid_work/missed-monthly-meeting.json",
      "A rule set that asks each grid to meet monthly (grid_work.meetings.every: month): g1 met in "
      "March, g2 did not, so on 3 April actions list g2's missed March meeting (missed_meetings).",
      "actions", {"org": {"$fixture": "small_org"}, "rules": SMALL_MEETINGS,
                  "ledger": json.loads(small_led.to_json()), "now": "2026-04-03T09:00:00+08:00"})

write("grid_work/suggest-teams.json",
      "Volunteer teams for a livelihood matter in fs-c01-g01-m1: fs-vt01 serves the grid and works "
      "in livelihood.",
      "suggest_teams", {"request": {"category": "livelihood", "location": "fs-c01-g01-m1"}})
write("grid_work/suggest-teams-unknown-category.json",
      "An unknown category is refused, naming the rule set's categories (unknown_category).",
      "suggest_teams", {"request": {"category": "gossip", "location": "fs-c01-g01-m1"}})
TEAM = {"case": "v1", "at": "2026-03-04T10:00:00+08:00", "actor": "fs-gw001",
        "event": {"type": "team_assigned", "team": "fs-vt01", "note": "志愿者协助维修"}}
write("grid_work/team-takes-a-case.json",
      "The grid worker gives case v1 to volunteer team fs-vt01, which serves the grid; the grid "
      "worker keeps the case.",
      "record", {"ledger": VISITED, "actor": GW, "event": TEAM})
write("grid_work/team-outside-its-grids.json",
      "A team that does not serve the case's grid may not take it (team_outside).",
      "record", {"ledger": VISITED, "actor": GW, "event": dict(TEAM, event=dict(TEAM["event"], team="fs-vt02"))})
print("wrote grid-work vectors")
