#!/usr/bin/env python3
"""Writes the inputs and descriptions of the write vectors: authorized writes
(tests/vectors/record/), authorized intake (tests/vectors/record_intake/) and the hash
chain (tests/vectors/chain/).

The ledger: `c1`, a livelihood matter in micro-grid fs-c01-g01-m1 (grid worker fs-gw001)
reported by resident 370883199001011234, and `c2`, a property crime in fs-c05-g01-m1
routed to the police work office, reported by resident 370883199202022222; both taken
in by the system. The second ledger adds c1's resolution by fs-gw001, with event_id
`app-1`. Built with the installed Python package (deterministic). Run, then bless the
outputs with the Rust runner and review:

    .venv/bin/python tests/vectors/generate_record.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import json

import gridgov
from vectorlib import write

engine = gridgov.Engine.fushan()
R1, R2 = "370883199001011234", "370883199202022222"
AT = "2026-03-02T09:00:00+08:00"
ledger = gridgov.Ledger()
for case in [
    {"id": "c1", "channel": "hotline", "category": "livelihood", "location": "fs-c01-g01-m1",
     "reported_at": AT, "reporter": {"name": "王芳", "id_number": R1}},
    {"id": "c2", "channel": "app", "category": "property_crime", "location": "fs-c05-g01-m1",
     "reported_at": AT, "reporter": {"name": "李强", "id_number": R2}},
]:
    engine.record_intake(ledger, gridgov.Actor.system(), case)
LEDGER = json.loads(ledger.to_json())


def actor(id_, role, unit=None):
    a = {"id": id_, "role": role}
    if unit:
        a["unit"] = unit
    return a


def ev(case, at, who, event, event_id=None):
    e = {"case": case, "at": at, "actor": who, "event": event}
    if event_id:
        e["event_id"] = event_id
    return e


def resolved(who, event_id=None, at="2026-03-03T10:00:00+08:00"):
    return ev("c1", at, who, {"type": "resolved", "level": "micro_grid", "how": "修好了"}, event_id)


def evaluated(who):
    return ev("c1", "2026-03-04T10:00:00+08:00", who, {"type": "evaluated", "satisfaction": 5})


engine.record(ledger, gridgov.Actor("fs-gw001", "grid_worker"), resolved("fs-gw001", "app-1"))
RESOLVED = json.loads(ledger.to_json())


def record(name, description, ledger, who, event):
    write(f"record/{name}.json", description, "record",
          {"ledger": ledger, "actor": who, "event": event})


record("outsider-grid-worker-resolves",
       "A grid worker of another community (fs-gw150) may not resolve c1: out_of_scope, "
       "naming the actor, the action and the case; nothing is appended.",
       LEDGER, actor("fs-gw150", "grid_worker"), resolved("fs-gw150"))
record("stranger-evaluates",
       "An actor `anyone` who exists nowhere (no person of the organisation, no case "
       "reported under that id number) may not evaluate c1: unknown_actor.",
       LEDGER, actor("anyone", "resident"), evaluated("anyone"))
record("own-grid-worker-resolves",
       "The grid worker of c1's grid resolves it: the receipt gives its place and chain hash.",
       LEDGER, actor("fs-gw001", "grid_worker"), resolved("fs-gw001"))
record("actor-mismatch",
       "fs-gw001 may not record an event in fs-gw002's name: actor_mismatch.",
       LEDGER, actor("fs-gw001", "grid_worker"), resolved("fs-gw002"))
record("unknown-staff",
       "A grid worker id the organisation does not have: unknown_actor.",
       LEDGER, actor("fs-gw999", "grid_worker"), resolved("fs-gw999"))
record("reminder-by-staff",
       "Reminders are the system's: a grid worker recording one gets system_only.",
       LEDGER, actor("fs-gw001", "grid_worker"),
       ev("c1", "2026-03-03T09:00:00+08:00", "fs-gw001", {"type": "reminded", "stage": 50}))
record("reminder-by-system",
       "The system actor records a reminder.",
       LEDGER, actor("system", "system"),
       ev("c1", "2026-03-03T09:00:00+08:00", "system", {"type": "reminded", "stage": 50}))
record("false-system",
       "A person claiming the system role is refused: the role is the engine's own.",
       LEDGER, actor("fs-gw001", "system"),
       ev("c1", "2026-03-03T09:00:00+08:00", "fs-gw001", {"type": "reminded", "stage": 50}))
record("office-other-case",
       "The police work office may not act on c1, which is not routed to it.",
       LEDGER, actor("fs-police_work_office-1", "office", "police_work_office"),
       ev("c1", "2026-03-02T10:00:00+08:00", "fs-police_work_office-1",
          {"type": "paused", "reason": "等待监控录像"}))
record("office-own-case",
       "The police work office acts on c2, routed to it.",
       LEDGER, actor("fs-police_work_office-1", "office", "police_work_office"),
       ev("c2", "2026-03-02T10:00:00+08:00", "fs-police_work_office-1",
          {"type": "paused", "reason": "等待监控录像"}))
record("analyst-forbidden",
       "An analyst may not resolve: forbidden, naming the case and what the role may do.",
       LEDGER, actor("fs-duty", "analyst"), resolved("fs-duty"))
record("role-not-held-post",
       "A grid worker claiming the subdistrict's role: their post does not hold it (role_not_held).",
       LEDGER, actor("fs-gw150", "subdistrict"), resolved("fs-gw150"))
record("role-not-held-unit",
       "A cadre of community fs-c05 claiming to act for fs-c01: role_not_held.",
       LEDGER, actor("fs-cm05-1", "community_cadre", "fs-c01"), resolved("fs-cm05-1"))
record("cadre-within-own-community",
       "A cadre of fs-c01 acting for a grid within it resolves c1.",
       LEDGER, actor("fs-cm01-1", "community_cadre", "fs-c01-g01"), resolved("fs-cm01-1"))
record("liaison-outside",
       "A committee member liaising with fs-c01-g02 may not resolve c1 in fs-c01-g01.",
       LEDGER, actor("fs-cm01-2", "committee_member"), resolved("fs-cm01-2"))
record("resident-rates-own",
       "The resident who reported c1 evaluates it once resolved.",
       RESOLVED, actor(R1, "resident"), evaluated(R1))
record("other-resident-rates",
       "Another resident (who reported c2) may not evaluate c1: out_of_scope, their id masked.",
       RESOLVED, actor(R2, "resident"), evaluated(R2))
record("staff-rates",
       "Staff do not give the resident's evaluation: forbidden.",
       RESOLVED, actor("fs-cm01-1", "committee_member"), evaluated("fs-cm01-1"))
record("resent-duplicate",
       "The resolution re-sent with the same event_id and content: a duplicate, receipted "
       "with the place of the first.",
       RESOLVED, actor("fs-gw001", "grid_worker"), resolved("fs-gw001", "app-1"))
record("event-id-conflict",
       "The same event_id with other content: event_id_conflict.",
       RESOLVED, actor("fs-gw001", "grid_worker"),
       resolved("fs-gw001", "app-1", at="2026-03-03T11:00:00+08:00"))
record("invalid-transition",
       "An authorized write the ledger refuses: resolving c1 again.",
       RESOLVED, actor("fs-gw001", "grid_worker"),
       resolved("fs-gw001", at="2026-03-03T11:00:00+08:00"))


def intake(name, description, who, case):
    write(f"record_intake/{name}.json", description, "record_intake",
          {"ledger": LEDGER, "actor": who, "case": case})


CASE = {"id": "c3", "channel": "app", "category": "livelihood", "location": "fs-c02-g01-m1",
        "reported_at": "2026-03-02T10:00:00+08:00",
        "reporter": {"name": "赵敏", "id_number": "370883199503033333"}}
intake("resident-reports-own",
       "A resident reports under their own id number: the report and its routing appended.",
       actor("370883199503033333", "resident"), CASE)
intake("resident-reports-for-another",
       "A stranger reporting under another's id number is refused: unknown_actor.",
       actor("370883199909099999", "resident"), CASE)
intake("grid-worker-other-grid",
       "A grid worker reports only in the grids they are posted to.",
       actor("fs-gw001", "grid_worker"), CASE)
intake("grid-worker-own-grid",
       "A grid worker reports in their grid.",
       actor("fs-gw001", "grid_worker"), dict(CASE, location="fs-c01-g01-m2"))


def chain(name, description, doc):
    write(f"chain/{name}.json", description, "ledger_verify", {"ledger": doc})


chain("intact", "A chained ledger document verifies: its event count and head.", RESOLVED)
changed = json.loads(json.dumps(RESOLVED))
changed["events"][3]["at"] = "2026-03-02T09:30:00+08:00"
chain("changed-record", "A record changed after export is refused at import, naming it.", changed)
removed = json.loads(json.dumps(RESOLVED))
del removed["events"][2]
chain("removed-record", "A record removed: the next one no longer follows the chain.", removed)
swapped = json.loads(json.dumps(RESOLVED))
swapped["events"][1], swapped["events"][2] = swapped["events"][2], swapped["events"][1]
chain("swapped-records", "Two records swapped: the first of them is named.", swapped)
cut = json.loads(json.dumps(RESOLVED))
del cut["events"][-1]
chain("removed-last", "The last record removed: the head names another record.", cut)
legacy = {"format": 1, "events": [
    {k: v for k, v in e.items() if k != "hash"} for e in RESOLVED["events"]]}
chain("format-1", "A format 1 document (no hashes) is read and chained from its events.",
      legacy)
