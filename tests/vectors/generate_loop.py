#!/usr/bin/env python3
"""Writes the inputs and descriptions of the closed-loop vectors (tests/vectors/loop/):
urgent clocks on natural time, the petition procedure driven by the channel, sittings
(the Thursday duty lawyer, joint reception days) and third parties, supervision orders,
verification, call-backs and the sign-off of shelved cases. Ledgers are built with the
installed Python package through `Engine.record` (deterministic). Outputs are blessed by
the Rust runner; tests/tests/closed_loop.rs walks the same paths asserting each figure the
descriptions name. Run, then bless and review:

    .venv/bin/python tests/vectors/generate_loop.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

from vectorlib import write

FRIDAY_EVENING = "2026-03-06T18:30:00+08:00"


def case(id_, category, at, channel="hotline", location="fs-c01-g01-m1", **extra):
    c = {"id": id_, "channel": channel, "category": category, "location": location,
         "reported_at": at}
    c.update(extra)
    return c


# ------------------------------------------------------------------------- 1. clocks
write("loop/gas-smell-friday-evening.json",
      "A gas smell reported on Friday 2026-03-06 at 18:30 with 20 people involved: routing row "
      "hazard and modifier gas-or-fire (community, 4 hours of natural time) decide; it is due the "
      "same evening at 22:30, not on Monday.",
      "route",
      {"case": case("gas-friday", "safety_hazard", FRIDAY_EVENING, people_involved=20,
                    attributes={"hazard_type": "gas"})})
write("loop/mass-risk-minutes.json",
      "A risk of a mass incident reported on Saturday 2026-03-07 at 23:45 goes to the subdistrict "
      "within 30 minutes: due Sunday 00:15.",
      "route",
      {"case": case("mass-risk-saturday", "neighbour_dispute", "2026-03-07T23:45:00+08:00",
                    risk_flags=["mass_incident"])})
write("loop/urgent-row-on-working-time.json",
      "validate_rules: a row of the most serious grade counting `1 working day` is warned "
      "(urgent_on_working_time), naming the row and the time_limit column.",
      "validate_rules",
      {"rules": {"$fixture": "small_rules",
                 "patch": [{"op": "replace", "path": "/versions/0/tables/1/rows/0/then/4",
                            "value": "1 working day"}]}})

# ---------------------------------------------------------- 2. the petition procedure
import json  # noqa: E402

import gridgov  # noqa: E402

engine = gridgov.Engine.fushan()
SYSTEM = gridgov.Actor.system()
PETITIONER = "370883199001011234"


def actor(id_, role, unit=None):
    a = {"id": id_, "role": role}
    if unit:
        a["unit"] = unit
    return a


def ev(case_id, at, who, event):
    return {"case": case_id, "at": at, "actor": who, "event": event}


def ledger_of(cases, events=(), eng=None):
    eng = eng or engine
    led = gridgov.Ledger()
    for c in cases:
        eng.record_intake(led, SYSTEM, c)
    for who, e in events:
        eng.record(led, gridgov.Actor(who["id"], who["role"], who.get("unit")), e)
    return json.loads(led.to_json())


HOUSING = case("p1", "housing", "2026-03-02T09:00:00+08:00", channel="petition",
               reporter={"name": "王芳", "id_number": PETITIONER})
GW = actor("fs-gw001", "grid_worker")

write("loop/petition-channel-housing.json",
      "A housing matter that arrives through the petition channel follows the petition "
      "procedure whatever its category: routed as a housing matter (grid, grid worker), with "
      "the petition_procedure flag and the acceptance deadline 15 days from receipt (the end of "
      "03-17); the trace cites 信访工作条例.",
      "route", {"case": HOUSING})

ACCEPTED = ledger_of([HOUSING], [(GW, ev("p1", "2026-03-03T09:00:00+08:00", "fs-gw001",
                                         {"type": "petition_accepted", "note": "已告知受理"}))])
write("loop/extension-beyond-30-days-refused.json",
      "An extension of 31 days on an accepted petition is refused (extension_too_long, citing "
      "the regulation's 30-day bound); nothing is appended.",
      "record", {"ledger": ACCEPTED, "actor": GW,
                 "event": ev("p1", "2026-04-20T09:00:00+08:00", "fs-gw001",
                             {"type": "extended", "days": 31, "approval": "街道分管领导批准"})})
write("loop/extension-30-days.json",
      "An extension of 30 days with its approval is recorded.",
      "record", {"ledger": ACCEPTED, "actor": GW,
                 "event": ev("p1", "2026-04-20T09:00:00+08:00", "fs-gw001",
                             {"type": "extended", "days": 30, "approval": "街道分管领导批准"})})
write("loop/extension-before-acceptance.json",
      "An extension before the petition is accepted is out of turn (petition_step).",
      "record", {"ledger": ledger_of([HOUSING]), "actor": GW,
                 "event": ev("p1", "2026-03-03T09:00:00+08:00", "fs-gw001",
                             {"type": "extended", "days": 10, "approval": "批准"})})
write("loop/petition-accepted-state.json",
      "The ledger state of an accepted petition: closed_loop.petition at step handling, with "
      "the receipt and acceptance times.",
      "ledger_state", {"ledger": ACCEPTED})
REPLIED = ledger_of([HOUSING], [
    (GW, ev("p1", "2026-03-03T09:00:00+08:00", "fs-gw001", {"type": "petition_accepted"})),
    (GW, ev("p1", "2026-03-20T09:00:00+08:00", "fs-gw001",
            {"type": "resolved", "level": "grid", "how": "已书面答复"})),
])
write("loop/review-too-late.json",
      "A review asked 31 days after the reply (03-20) is refused: review_too_late, naming the "
      "last moment (the end of 04-19, moved to the next working day).",
      "record", {"ledger": REPLIED, "actor": actor(PETITIONER, "resident"),
                 "event": ev("p1", "2026-04-21T09:00:00+08:00", PETITIONER,
                             {"type": "review_requested", "reason": "对答复不服"})})
REVIEW_ASKED = ledger_of([HOUSING], [
    (GW, ev("p1", "2026-03-03T09:00:00+08:00", "fs-gw001", {"type": "petition_accepted"})),
    (GW, ev("p1", "2026-03-20T09:00:00+08:00", "fs-gw001",
            {"type": "resolved", "level": "grid", "how": "已书面答复"})),
    (actor(PETITIONER, "resident"), ev("p1", "2026-03-25T09:00:00+08:00", PETITIONER,
                                       {"type": "review_requested", "reason": "对答复不服"})),
])
write("loop/review-at-the-level-above.json",
      "actions after a review was asked (03-25): the review is proposed at the level above "
      "(community), due 30 days after the request.",
      "actions", {"ledger": REVIEW_ASKED, "now": "2026-03-25T10:00:00+08:00"})
write("loop/repeated-petition-joint-reception.json",
      "A repeated petition (repeat_count 1) through the petition channel is a prominent "
      "petition problem: joint consultation at the subdistrict led by the petitions office, "
      "booked into the joint reception day (Tuesday 03-03 09:00), its acceptance still due 15 "
      "days from receipt.",
      "route", {"case": case("p2", "housing", "2026-03-02T09:00:00+08:00", channel="petition",
                             repeat_count=1)})

# ---------------------------------------------------------- 3. sittings and third parties
DEBT = case("debt", "debt_dispute", "2026-03-06T10:00:00+08:00", channel="walk_in",
            amount_yuan="50000")
write("loop/lawyer-desk-friday-to-thursday.json",
      "A debt dispute of 50,000 yuan reported on Friday 03-06 goes to the duty lawyer desk: "
      "booked into the next Thursday sitting (周四律师坐班, 03-12 09:00), its 5 working days "
      "counted from the sitting: close of 03-19.",
      "route", {"case": DEBT})
LAWYER = actor("fs-duty_lawyer_desk-1", "office", "duty_lawyer_desk")
BOOKED = ledger_of([DEBT], [(LAWYER, ev("debt", "2026-03-12T10:00:00+08:00",
                                        "fs-duty_lawyer_desk-1",
                                        {"type": "third_party_joined", "party": "lawyer",
                                         "name": "值班律师", "part": "释明诉讼途径，引导由访变诉"}))])
write("loop/lawyer-desk-timeline.json",
      "The public timeline of the lawyer-desk case: the assignment carries its booking into "
      "the Thursday sitting, and the duty lawyer's part is recorded (third_party_joined).",
      "timeline", {"ledger": BOOKED, "case": "debt", "public": True})
write("loop/counsellor-for-extreme-behaviour.json",
      "A risk of extreme behaviour brings in a counsellor: the decision carries the counselling "
      "flag beside joint consultation and early intervention.",
      "route", {"case": case("x1", "neighbour_dispute", "2026-03-02T09:00:00+08:00",
                             risk_flags=["extreme_behaviour"])})

# ---------------------------------- 4. supervision, verification, call-back, sign-off
DISPUTE = case("d1", "neighbour_dispute", "2026-03-02T09:00:00+08:00")
CADRE = actor("fs-cm01-1", "community_cadre", "fs-c01")
ORDER = {"type": "supervised", "order": "请于1个工作日内反馈调解进展", "within": "1 working day"}
SUPERVISED = ledger_of([DISPUTE], [(CADRE, ev("d1", "2026-03-03T09:00:00+08:00", "fs-cm01-1",
                                              ORDER))])
write("loop/supervision-ignored-escalates.json",
      "actions at 03-05 09:00: the community's supervision order of 03-03 (1 working day, to "
      "the close of 03-04) is unanswered, so the case climbs to the community "
      "(supervision_ignored), though its own deadline (close of 03-05) has not passed.",
      "actions", {"ledger": SUPERVISED, "now": "2026-03-05T09:00:00+08:00"})
write("loop/supervision-from-the-same-level.json",
      "The grid worker handling the case may not supervise it: not_above.",
      "record", {"ledger": ledger_of([DISPUTE]), "actor": GW,
                 "event": ev("d1", "2026-03-03T09:00:00+08:00", "fs-gw001", ORDER)})

LIVELIHOOD = case("c1", "livelihood", "2026-03-02T09:00:00+08:00",
                  reporter={"name": "王芳", "id_number": PETITIONER})
RESOLVED_EV = (GW, ev("c1", "2026-03-03T09:00:00+08:00", "fs-gw001",
                      {"type": "resolved", "level": "micro_grid", "how": "修好了"}))

import pathlib  # noqa: E402

DEFAULT_RULES = json.loads((pathlib.Path(__file__).resolve().parents[2] / "core" / "data" / "rules"
                            / "default.json").read_text(encoding="utf-8"))
VERIFYING = json.loads(json.dumps(DEFAULT_RULES))
for v in VERIFYING["versions"]:
    v["closed_loop"]["verification_required"] = True
verifying = engine.with_rules(json.dumps(VERIFYING, ensure_ascii=False))
RESOLVED = ledger_of([LIVELIHOOD], [RESOLVED_EV], eng=verifying)
write("loop/closed-without-verification-refused.json",
      "With verification required (closed_loop.verification_required), the resident's "
      "evaluation of a resolution nobody verified is refused (not_verified); nothing is "
      "appended.",
      "record", {"rules": VERIFYING, "ledger": RESOLVED, "actor": actor(PETITIONER, "resident"),
                 "event": ev("c1", "2026-03-03T10:00:00+08:00", PETITIONER,
                             {"type": "evaluated", "satisfaction": 5})})
write("loop/self-verification-refused.json",
      "The grid worker who resolved the case may not verify it (self_verification).",
      "record", {"rules": VERIFYING, "ledger": RESOLVED, "actor": GW,
                 "event": ev("c1", "2026-03-03T11:00:00+08:00", "fs-gw001",
                             {"type": "verified", "passed": True, "note": "现场核查"})})
write("loop/verification-fails-sends-back.json",
      "The liaison committee member's verification fails: the case goes back to its handler "
      "(status assigned, the resolution cleared; one verification, none passed).",
      "record", {"rules": VERIFYING, "ledger": RESOLVED,
                 "actor": actor("fs-cm01-1", "committee_member"),
                 "event": ev("c1", "2026-03-03T11:00:00+08:00", "fs-cm01-1",
                             {"type": "verified", "passed": False, "note": "路灯仍不亮"})})
PLAIN_RESOLVED = ledger_of([LIVELIHOOD], [RESOLVED_EV])
write("loop/call-back-due.json",
      "actions at 03-09: the case resolved on 03-03 has not been called back within 3 working "
      "days (close of 03-06): listed as a late call-back.",
      "actions", {"ledger": PLAIN_RESOLVED, "now": "2026-03-09T09:00:00+08:00"})
write("loop/call-back-closes.json",
      "The grid worker calls the reporter back (回访) and records satisfaction 5: the case is "
      "closed.",
      "record", {"ledger": PLAIN_RESOLVED, "actor": GW,
                 "event": ev("c1", "2026-03-04T09:00:00+08:00", "fs-gw001",
                             {"type": "called_back", "satisfaction": 5, "comment": "满意"})})
GRID_MATTER = case("c1", "neighbour_dispute", "2026-03-02T09:00:00+08:00")
SHELVED = ledger_of([GRID_MATTER], [(GW, ev("c1", "2026-03-03T09:00:00+08:00", "fs-gw001",
                                           {"type": "shelved",
                                            "explanation": "需改造管网，列入年度计划"}))])
write("loop/shelved-awaiting-sign-off.json",
      "actions at 03-13: the case shelved on 03-03 awaits sign-off (销号), 10 days old.",
      "actions", {"ledger": SHELVED, "now": "2026-03-13T09:00:00+08:00"})
SIGN = {"type": "signed_off", "note": "纳入城建计划，销号"}
write("loop/sign-off-from-below-refused.json",
      "The grid worker who handled the shelved grid matter may not sign it off: not_above.",
      "record", {"ledger": SHELVED, "actor": GW,
                 "event": ev("c1", "2026-03-13T10:00:00+08:00", "fs-gw001", SIGN)})
write("loop/sign-off-by-the-subdistrict.json",
      "The subdistrict's duty officer signs the shelved case off.",
      "record", {"ledger": SHELVED, "actor": actor("fs-duty", "subdistrict"),
                 "event": ev("c1", "2026-03-13T10:00:00+08:00", "fs-duty", SIGN)})

# ------------------------------------------------------------------------ 5. scoring
LOOP_MONTH = ledger_of([HOUSING, LIVELIHOOD, DISPUTE], [
    (GW, ev("p1", "2026-03-03T09:00:00+08:00", "fs-gw001", {"type": "petition_accepted"})),
    RESOLVED_EV,
    (actor("fs-cm01-1", "committee_member"),
     ev("c1", "2026-03-03T11:00:00+08:00", "fs-cm01-1",
        {"type": "verified", "passed": True, "note": "已修复"})),
    (GW, ev("c1", "2026-03-04T09:00:00+08:00", "fs-gw001",
            {"type": "called_back", "satisfaction": 5})),
    (CADRE, ev("d1", "2026-03-03T09:00:00+08:00", "fs-cm01-1", ORDER)),
    (GW, ev("d1", "2026-03-03T15:00:00+08:00", "fs-gw001",
            {"type": "supervision_answered", "answer": "已约双方周四调解"})),
])
write("loop/score-sees-the-loop.json",
      "score, March 2026, one grid (fs-c01-g01) with the whole loop: its petition accepted the "
      "next day (1 of 1), a supervision order answered the same day (1 of 1), a verification "
      "passed (1 of 1) and the resolved case called back the next day (1 of 1): the four new "
      "indicators at 1.0000 in the total and the grid ranked with them (parts total and ranking).",
      "score", {"ledger": LOOP_MONTH, "request": {"month": "2026-03", "include": ["total", "ranking"]}})

print(f"wrote {len(__import__('vectorlib').written)} closed-loop vectors")
