#!/usr/bin/env python3
"""Writes the vectors worked out by hand (tests/vectors/hand/): calendar edges, routing
boundaries, escalation and scoring with reward splits. Each expected output below was
computed by hand from the rules (the calendar's dates and hours, the default rule set's
rows, the organisation's duties, the scoring scheme), not taken from the implementation;
`why` gives the working. The three runners check them like every vector.

    python3 tests/vectors/generate_handworked.py
"""

import json
import pathlib

from vectorlib import fixtures, write, written

CN = "+08:00"


# ------------------------------------------------------------------ calendar (deadline)
# The China calendar: working hours 08:30-12:00 and 14:00-17:30 (7 h a day); 2026 holidays
# 01-01..03, 02-15..23, 04-04..06, 05-01..05, 06-19..21, 09-25..27, 10-01..07; make-up
# working days 01-04, 02-14, 02-28, 05-09, 09-20, 10-10.

def deadline(name, start, limit, due, why, clock="working", pauses=None, start_shown=None):
    d = {"start": start, "time_limit": limit}
    if pauses is not None:
        d["pauses"] = pauses
    due_json = "null" if due is None else json.dumps(due)
    out = (f'{{"start":{json.dumps(start_shown or start)},"time_limit":{json.dumps(limit)},'
           f'"clock":"{clock}","due":{due_json},"paused":{"true" if due is None else "false"}}}')
    write(f"hand/calendar/{name}.json", f"deadline by hand: {limit} from {start}.", "deadline",
          {"deadline": d}, why=why, output=out)


deadline("qingming-weekend", f"2026-04-03T15:00:00{CN}", "8 working hours", f"2026-04-07T16:00:00{CN}",
         "Friday 04-03 15:00-17:30 gives 2h30; Saturday 04-04 to Monday 04-06 are the Qingming holiday; "
         "Tuesday 04-07 08:30-12:00 gives 3h30 (6h in all); the last 2h run 14:00-16:00.")
deadline("labour-day-gap", f"2026-04-30T17:00:00{CN}", "1 working hour", f"2026-05-06T09:00:00{CN}",
         "Thursday 04-30 17:00-17:30 gives 30 min; 05-01..05 is the Labour Day holiday; Wednesday 05-06 "
         "opens at 08:30 and the last 30 min end at 09:00.")
deadline("makeup-saturday-may", f"2026-05-08T17:00:00{CN}", "1 working hour", f"2026-05-09T09:00:00{CN}",
         "Friday 05-08 17:00-17:30 gives 30 min; Saturday 05-09 is a make-up working day (调休), so the "
         "remaining 30 min run 08:30-09:00 that Saturday.")
deadline("dragon-boat-days", f"2026-06-18T10:00:00{CN}", "3 working days", f"2026-06-24T17:30:00{CN}",
         "The start day 06-18 is not counted; Friday 06-19 to Sunday 06-21 are the Dragon Boat holiday; "
         "the working days after are Monday 06-22 (1), Tuesday 06-23 (2), Wednesday 06-24 (3): close of "
         "business 17:30.")
deadline("makeup-sunday-september", f"2026-09-18T09:00:00{CN}", "2 working days", f"2026-09-21T17:30:00{CN}",
         "The start day Friday 09-18 is not counted; Saturday 09-19 is a weekend day but Sunday 09-20 is a "
         "make-up working day (1); Monday 09-21 is the second: 17:30.")
deadline("start-in-lunch", f"2026-09-24T12:30:00{CN}", "2 working hours", f"2026-09-24T16:00:00{CN}",
         "Reported during the 12:00-14:00 lunch break: the clock starts at 14:00; two hours later is 16:00.")
deadline("mid-autumn-hours", f"2026-09-24T16:30:00{CN}", "3 working hours", f"2026-09-28T10:30:00{CN}",
         "Thursday 09-24 16:30-17:30 gives 1 h; Friday 09-25 to Sunday 09-27 are the Mid-Autumn holiday; "
         "Monday 09-28 08:30 plus the remaining 2 h is 10:30.")
deadline("spring-festival-days", f"2026-02-13T09:00:00{CN}", "5 working days", f"2026-02-27T17:30:00{CN}",
         "The start day 02-13 is not counted; Saturday 02-14 is a make-up working day (1); Sunday 02-15 to "
         "Monday 02-23 are the Spring Festival; Tuesday 02-24 (2), Wednesday 02-25 (3), Thursday 02-26 (4) "
         "and Friday 02-27 (5): 17:30.")
deadline("makeup-saturday-february", f"2026-02-26T10:00:00{CN}", "2 working days", f"2026-02-28T17:30:00{CN}",
         "Friday 02-27 is the first working day after the start day and Saturday 02-28, a make-up working "
         "day, the second: 17:30 that Saturday.")
deadline("natural-days-plain", f"2026-09-28T10:00:00{CN}", "2 days", f"2026-10-01T00:00:00{CN}",
         "Calendar days: the start day is not counted, so the period ends at 24:00 of 09-30 (a working "
         "Wednesday), printed as 10-01 00:00.", clock="wall")
deadline("natural-days-into-holiday", f"2026-09-29T10:00:00{CN}", "3 days", f"2026-10-09T00:00:00{CN}",
         "The third day after 09-29 is 10-02, inside the National Day holiday (10-01..07); a period ending "
         "on a holiday ends on the first working day after it, Thursday 10-08, at 24:00: 10-09 00:00.",
         clock="wall")
deadline("natural-hours", f"2026-09-30T18:00:00{CN}", "48 hours", f"2026-10-02T18:00:00{CN}",
         "Natural hours ignore working time and holidays: 48 h after 09-30 18:00 is 10-02 18:00.", clock="wall")
deadline("new-year-makeup-hours", f"2026-01-02T10:00:00{CN}", "4 working hours", f"2026-01-04T14:30:00{CN}",
         "Friday 01-02 and Saturday 01-03 are New Year holidays; Sunday 01-04 is a make-up working day: "
         "08:30-12:00 gives 3h30, the last 30 min run 14:00-14:30.")
deadline("seconds-to-noon", f"2026-03-03T11:59:30{CN}", "1 working hour", f"2026-03-03T15:00:00{CN}",
         "The clock starts at the next whole minute, 12:00, the end of the morning period; the hour is "
         "counted from 14:00: 15:00.")
deadline("utc-start-full-day", "2026-03-03T00:30:00Z", "7 working hours", f"2026-03-03T17:30:00{CN}",
         "00:30Z is 08:30 in China, the opening of Tuesday 03-03; seven working hours are the whole day, "
         "ending at 17:30 (a deadline on the end of a period stays there). The start is printed back in "
         "its own offset.", start_shown="2026-03-03T00:30:00+00:00")
deadline("closed-pause", f"2026-03-02T09:00:00{CN}", "1 working day", f"2026-03-04T17:30:00{CN}",
         "Without the pause: the close of Tuesday 03-03. The pause from Monday 10:00 to Tuesday 10:00 holds "
         "2 h + 3h30 on Monday and 1h30 on Tuesday, 7 working hours; moved on by 7 working hours, 17:30 "
         "Tuesday becomes 17:30 Wednesday 03-04 (the whole of Wednesday's working time).",
         pauses=[{"from": f"2026-03-02T10:00:00{CN}", "to": f"2026-03-03T10:00:00{CN}"}])
deadline("open-pause", f"2026-03-02T09:00:00{CN}", "1 working day", None,
         "While a pause is open the clock is stopped: there is no deadline (`due` null, `paused` true).",
         pauses=[{"from": f"2026-03-02T10:00:00{CN}"}])


# -------------------------------------------------------------- routing (route_csv, one row)
# The default rule set's 2026 version on the Fushan organisation. A decision row is case,
# version, grade, level, unit, unit_name, office, co_offices, handler, handler_role,
# time_limit, due, flags, rule_table, rule_row, error_code, error. Reported Monday 03-02 09:00.

HEADER_IN = "id,channel,category,location,reported_at,people_involved,amount_yuan,repeat_count,attributes"
HEADER_OUT = ("case,version,grade,level,unit,unit_name,office,co_offices,handler,handler_role,time_limit,"
              "due,flags,rule_table,rule_row,error_code,error")
AT = f"2026-03-02T09:00:00{CN}"
M = "fs-c01-g02-m1"   # micro-grid 1 of grid fs-c01-g02 (worker fs-gw002, liaison fs-cm01-2), in fs-c01


def route(name, channel, category, people, amount, row, why, location=M, repeat=0, attributes=""):
    line = f"{name},{channel},{category},{location},{AT},{people},{amount},{repeat},{attributes}"
    write(f"hand/route/{name}.json", f"route by hand: {category}, {people} people, {amount} yuan.",
          "route_csv", {"cases_csv": HEADER_IN + "\n" + line + "\n"}, why=why,
          output=HEADER_OUT + "\n" + name + "," + row + "\n")


GRID = "fs-c01-g02,铁西社区网格02"
COMMUNITY = "fs-c01,铁西社区"
route("dispute-four-people", "hotline", "neighbour_dispute", 4, "0",
      f"fushan-2026,minor,grid,{GRID},,,fs-gw002,grid_worker,3 working days,2026-03-05T17:30:00+08:00,,routing,dispute-grid,,",
      "4 people is the most dispute-grid takes (under 5 people and under 10,000 yuan): grid level, grid "
      "worker, 3 working days; no "
      "modifier fires. The grid above the micro-grid is fs-c01-g02 and its grid worker fs-gw002. Monday "
      "not counted: Tuesday, Wednesday, Thursday 03-05 at 17:30.")
route("dispute-five-people", "hotline", "neighbour_dispute", 5, "0",
      f"fushan-2026,general,community,{COMMUNITY},,,fs-cm01-2,committee_member,5 working days,2026-03-09T17:30:00+08:00,,routing,dispute-community-people,,",
      "5 people is the lower bound of dispute-community-people ([5..30)), checked before dispute-grid: "
      "community level with the committee member who liaises with the grid (fs-cm01-2 for fs-c01-g02), 5 "
      "working days: 03-03, 04, 05, 06, 09, close of Monday 03-09.")
route("dispute-amount-under", "hotline", "neighbour_dispute", 1, "9999.99",
      f"fushan-2026,minor,grid,{GRID},,,fs-gw002,grid_worker,3 working days,2026-03-05T17:30:00+08:00,,routing,dispute-grid,,",
      "9,999.99 yuan is still under 10,000: dispute-grid, as for no money at all.")
route("dispute-amount-at", "hotline", "neighbour_dispute", 1, "10000",
      f"fushan-2026,general,community,{COMMUNITY},,,fs-cm01-2,committee_member,5 working days,2026-03-09T17:30:00+08:00,,routing,dispute-community-amount,,",
      "10,000 yuan fails dispute-grid (< 10000) and meets dispute-community-amount (under 5 people, "
      ">= 10000): the community, its liaison committee member, 5 working days.")
route("dispute-twenty-nine", "hotline", "neighbour_dispute", 29, "0",
      f"fushan-2026,general,community,{COMMUNITY},,,fs-cm01-2,committee_member,5 working days,2026-03-09T17:30:00+08:00,,routing,dispute-community-people,,",
      "29 people is inside [5..30): still a community matter, not yet the mass row.")
route("mass-thirty", "hotline", "neighbour_dispute", 30, "0",
      "fushan-2026,critical,subdistrict,fs,凫山街道,comprehensive_governance_office,petitions_office;judicial_office,fs-comprehensive_governance_office-1,office_staff,24 hours,2026-03-03T09:00:00+08:00,joint_consultation,routing,mass,,",
      "30 people meets the first row, mass (>= 30): critical, subdistrict, led by the first office it "
      "names (the comprehensive governance office, whose lead is fs-comprehensive_governance_office-1) "
      "with the petitions and judicial offices deciding together, flag joint_consultation, 24 hours "
      "(natural time, as the most serious grade must count): Tuesday 03-03 09:00.")
route("property-crime", "app", "property_crime", 1, "0",
      "fushan-2026,general,department,,,police_work_office,,fs-police_work_office-1,police,1 working day,2026-03-03T17:30:00+08:00,,routing,property-crime,,",
      "Property crime goes to the police work office (department level: no unit), whose lead is "
      "fs-police_work_office-1; 1 working day.")
route("debt-lawyer", "walk_in", "debt_dispute", 1, "10000",
      f"fushan-2026,general,community,{COMMUNITY},duty_lawyer_desk,,fs-duty_lawyer_desk-1,lawyer,5 working days,2026-03-12T17:30:00+08:00,litigation_guidance,routing,legal-lawyer,,",
      "A debt of 10,000 yuan (one person) misses dispute-grid (< 10000) and meets legal-lawyer "
      "([10000..500000)): community level with the duty lawyer desk leading (its lead fs-duty_lawyer_desk-1), "
      "role lawyer, flag litigation_guidance, 5 working days. The desk sits on Thursdays (周四律师坐班): "
      "reported Monday 03-02, the matter is booked into Thursday 03-05 09:00 and its 5 working days count "
      "from there: 03-06 (1), 09..12 (5), close of Thursday 03-12.")
route("debt-major", "walk_in", "debt_dispute", 1, "500000",
      "fushan-2026,major,subdistrict,fs,凫山街道,judicial_office,duty_lawyer_desk,fs-judicial_office-1,office_staff,10 working days,2026-03-16T17:30:00+08:00,litigation_guidance,routing,legal-major,,",
      "500,000 yuan leaves legal-lawyer's half-open range and meets legal-major (>= 500000): subdistrict, "
      "judicial office leading with the duty lawyer, 10 working days: 03-03..06 (4), 09..13 (9), Monday "
      "03-16 (10).")
route("livelihood-four", "app", "livelihood", 4, "0",
      "fushan-2026,minor,micro_grid,fs-c01-g02-m1,铁西社区网格02微网格1,,,fs-mgl004,party_member,2 working days,2026-03-04T17:30:00+08:00,,routing,livelihood-micro,,",
      "livelihood-micro (under 5 people and 10,000 yuan): settled on the spot in the micro-grid by its "
      "micro-grid leader (微网格长), fs-mgl004, the party member heading the micro-grid's first lead "
      "household (the fourth micro-grid in the organisation's order), with the grid worker fs-gw002 "
      "following; 2 working days: Wednesday 03-04.")
route("livelihood-five", "app", "livelihood", 5, "0",
      f"fushan-2026,general,grid,{GRID},,,fs-gw002,grid_worker,3 working days,2026-03-05T17:30:00+08:00,,routing,livelihood-grid-people,,",
      "5 people leaves livelihood-micro (< 5) for livelihood-grid-people ([5..30)): the grid, 3 working days.")
route("petition-four", "petition", "petition", 4, "0",
      f"fushan-2026,general,community,{COMMUNITY},,,fs-cm01-2,committee_member,15 days,2026-03-18T00:00:00+08:00,petition_procedure,routing,petition,,",
      "Under 5 petitioners: the community's liaison committee member. A petition follows the petition "
      "procedure (modifier petition-category, flag petition_procedure): its first deadline is the decision "
      "on acceptance, 15 calendar days from receipt (信访工作条例): 03-02 + 15 = Tuesday 03-17, a working "
      "day, ending at 24:00.")
route("petition-five", "petition", "petition", 5, "0",
      "fushan-2026,major,subdistrict,fs,凫山街道,petitions_office,comprehensive_governance_office;judicial_office,fs-petitions_office-1,office_staff,15 days,2026-03-18T00:00:00+08:00,joint_consultation;petition_procedure,routing,petition-prominent,,",
      "5 petitioners is a prominent petition problem ([5..30)): joint consultation at the subdistrict "
      "led by the petitions office with the comprehensive governance and judicial offices. It follows the "
      "petition procedure (flag petition_procedure), so its first deadline is the acceptance, 15 calendar "
      "days from receipt: the end of Tuesday 03-17. The petitions office's matters are booked into the "
      "joint reception day, but the law counts acceptance from receipt, not from the sitting.")
route("third-report", "hotline", "environment", 1, "0",
      f"fushan-2026,general,community,{COMMUNITY},,,fs-cm01-2,committee_member,5 working days,2026-03-09T17:30:00+08:00,long_term_mechanism,modifiers,third-report,,",
      "The routing table gives livelihood-micro (micro-grid, minor); the modifiers table adds third-report "
      "(repeat_count >= 2): community, general, committee member, 5 working days, long_term_mechanism. The "
      "highest level decides, so that row's limit and role; the grade is the most serious (general).",
      repeat=2)
route("gas-hazard", "app", "safety_hazard", 1, "0",
      f"fushan-2026,major,community,{COMMUNITY},,,fs-cm01-2,committee_member,4 hours,2026-03-02T13:00:00+08:00,early_intervention,modifiers,gas-or-fire,,",
      "Routing row hazard (grid, 4 working hours) and modifier gas-or-fire (community, major, 4 hours of "
      "natural time, early_intervention): the community decides, and its row's limit applies. 4 hours "
      "from Monday 09:00, the lunch break counted: 13:00.", attributes='"{""hazard_type"":""gas""}"')
route("shijiazhuang-property", "hotline", "property_management", 1, "0",
      "fushan-2026,general,community,fs-c02,石家庄社区,,,fs-cm02-1,committee_member,3 working days,2026-03-05T17:30:00+08:00,,modifiers,shijiazhuang-property,,",
      "In Shijiazhuang community (fs-c02) the red property-management alliance row takes property matters "
      "at community level (3 working days) over dispute-grid; the liaison of grid fs-c02-g01 is "
      "fs-cm02-1.", location="fs-c02-g01-m1")


# --------------------------------------------------------------------- escalation (overdue)
# The default escalation limits: grid 2, community 5, subdistrict 10, department 10 working
# days, counted from the moment of escalation; the new decision keeps grade and flags.

def ledger(location, category, level, unit, handler, limit, due, grade, rule):
    case = {"id": "c1", "channel": "hotline", "category": category, "location": location,
            "reported_at": AT}
    assignment = {"level": level, "unit": unit, "handler": handler, "time_limit": limit, "due": due,
                  "grade": grade, "rule": rule}
    return {"format": 1, "events": [
        {"case": "c1", "at": AT, "actor": "system", "event": {"type": "reported", "case": case}},
        {"case": "c1", "at": AT, "actor": "system", "event": {"type": "assigned", "assignment": assignment}},
    ]}


def overdue(name, led, now, output, why):
    write(f"hand/escalation/{name}.json", f"overdue by hand at {now}.", "overdue",
          {"ledger": led, "now": now}, why=why, output=output)


GRID_LEDGER = ledger(M, "neighbour_dispute", "grid", "fs-c01-g02", "fs-gw002", "3 working days",
                     f"2026-03-05T17:30:00{CN}", "minor", "fushan-2026/routing/dispute-grid")
overdue("grid-to-community", GRID_LEDGER, f"2026-03-05T17:31:00{CN}",
        '[{"case":"c1","from":"grid","reason":"overdue","due":"2026-03-05T17:30:00+08:00","action":"escalate",'
        '"assignment":{"level":"community","unit":"fs-c01","handler":"fs-cm01-2","time_limit":"5 working days",'
        '"due":"2026-03-12T17:30:00+08:00","grade":"minor","rule":"escalation/overdue"}}]',
        "One minute past its deadline the grid case climbs one level, to community fs-c01 and the grid's "
        "liaison fs-cm01-2, with the community limit of 5 working days counted from Thursday 03-05 (not "
        "counted): 06, 09, 10, 11, 12: 17:30 on 03-12. The grade stays minor.")
overdue("at-the-deadline", GRID_LEDGER, f"2026-03-05T17:30:00{CN}", "[]",
        "At exactly the deadline a case is not overdue (overdue means due < now).")
overdue("micro-grid-to-grid",
        ledger(M, "livelihood", "micro_grid", M, "fs-gw002", "2 working days", f"2026-03-04T17:30:00{CN}",
               "minor", "fushan-2026/routing/livelihood-micro"),
        f"2026-03-04T17:31:00{CN}",
        '[{"case":"c1","from":"micro_grid","reason":"overdue","due":"2026-03-04T17:30:00+08:00","action":"escalate",'
        '"assignment":{"level":"grid","unit":"fs-c01-g02","handler":"fs-gw002","time_limit":"2 working days",'
        '"due":"2026-03-06T17:30:00+08:00","grade":"minor","rule":"escalation/overdue"}}]',
        "From the micro-grid the next level is its grid fs-c01-g02 (worker fs-gw002) with the grid limit of "
        "2 working days from Wednesday 03-04: Thursday 05, Friday 06 at 17:30.")
overdue("community-to-subdistrict",
        ledger(M, "neighbour_dispute", "community", "fs-c01", "fs-cm01-2", "5 working days",
               f"2026-03-09T17:30:00{CN}", "general", "fushan-2026/routing/dispute-community-people"),
        f"2026-03-09T17:31:00{CN}",
        '[{"case":"c1","from":"community","reason":"overdue","due":"2026-03-09T17:30:00+08:00","action":"escalate",'
        '"assignment":{"level":"subdistrict","unit":"fs","handler":"fs-duty","time_limit":"10 working days",'
        '"due":"2026-03-23T17:30:00+08:00","grade":"general","rule":"escalation/overdue"}}]',
        "From the community to the subdistrict fs, whose lead is the duty officer fs-duty; 10 working days "
        "from Monday 03-09: 10..13 (4), 16..20 (9), Monday 03-23 (10).")
overdue("subdistrict-shelves",
        ledger(M, "livelihood", "subdistrict", "fs", "fs-duty", "10 working days", f"2026-03-16T17:30:00{CN}",
               "general", "escalation/overdue"),
        f"2026-03-16T17:31:00{CN}",
        '[{"case":"c1","from":"subdistrict","reason":"overdue","due":"2026-03-16T17:30:00+08:00","action":"shelve",'
        '"explanation":"overdue at subdistrict level, the highest that can take a `livelihood` case here; '
        'shelved as unresolved (挂账) until it can be settled"}]',
        "Above the subdistrict only an office that takes the category can take the case; no Fushan office "
        "takes livelihood matters, so the case cannot climb and is shelved (挂账) with the explanation.")


# ------------------------------------------------------------------ scoring and rewards
# The four-grid scoring fixture (m1..m4 with 100, 50, 200, 40 households) and its test-100
# scheme: on-time 40 (full from 90%, -2 per 1% short), closure 20 (at least 80%),
# satisfaction 20 x rate (satisfied from 4), repeats 10 (at most 10%), visits 10 (full from
# 50%, in proportion below), -1 per reopening (at most -3). Rewards split by score, inactive
# grids left out, the fen left over to the largest remainders.

def row(cid, loc, sat=5, due="2026-03-04T17:30:00", resolved="2026-03-03T10:00:00", **kw):
    r = {"id": cid, "location": loc, "category": "dispute", "reported_at": f"2026-03-02T09:00:00{CN}",
         "resolved_at": f"{resolved}{CN}", "resolved_level": "grid", "satisfaction": sat, "due": f"{due}{CN}"}
    r.update(kw)
    return r


def visit(unit, households):
    return {"unit": unit, "at": f"2026-03-03T10:00:00{CN}", "households": households}


def score(name, outcomes, visits, budget, include, output, why):
    request = {"month": "2026-03", "outcomes": outcomes, "visits": visits, "include": include}
    if budget is not None:
        request["budget_fen"] = budget
    write(f"hand/score/{name}.json", f"scoring by hand: {name.replace('-', ' ')}.", "score_outcomes",
          {"org": fixtures()["score_org"], "rules": fixtures()["score_rules"], "request": request},
          why=why, output=output)


FOUR = [row("a1", "m1"), row("b1", "m2"), row("c1", "m3", sat=3), row("d1", "m4", reopened=3)]
FOUR_VISITS = [visit("m1", 50), visit("m2", 10), visit("m3", 100), visit("m4", 20)]
SCORES = ("g1: all items full, 100.00. g2: visits 10 of 50 households = 20%, 10 x 20/50 = 4 points: "
          "94.00. g3: satisfaction 3 is below 4, no satisfaction points: 80.00. g4: three reopenings, "
          "-3: 97.00. Ranks g1, g4, g2, g3.")


def alloc(grid, rank, weight, fen):
    return (f'{{"grid":"{grid}","rank":{rank},"weight":"{weight}","fen":{fen},'
            f'"yuan":"{fen // 100}.{fen % 100:02d}"}}')


score("share-with-remainders", FOUR, FOUR_VISITS, 10000, ["rewards"],
      '{"rewards":{"budget_fen":10000,"method":"share","floor_fen":0,"allocated_fen":10000,"allocations":['
      + ",".join([alloc("g1", 1, "100.00", 2695), alloc("g4", 2, "97.00", 2615), alloc("g2", 3, "94.00", 2534),
                  alloc("g3", 4, "80.00", 2156)]) + "]}}",
      SCORES + " The weights 10000, 9700, 9400, 8000 hundredths sum to 37100; of 10,000 fen: 2695.417, "
      "2614.555, 2533.692, 2156.334, floors 9998 fen; the 2 fen left go to the largest remainders, g2 "
      "(.692) and g4 (.555): 2695, 2615, 2534, 2156.")
score("one-fen", FOUR, FOUR_VISITS, 1, ["rewards"],
      '{"rewards":{"budget_fen":1,"method":"share","floor_fen":0,"allocated_fen":1,"allocations":['
      + ",".join([alloc("g1", 1, "100.00", 1), alloc("g4", 2, "97.00", 0), alloc("g2", 3, "94.00", 0),
                  alloc("g3", 4, "80.00", 0)]) + "]}}",
      SCORES + " One fen: every share rounds down to 0 (0.2695, 0.2615, 0.2534, 0.2156) and the one fen "
      "goes to the largest remainder, g1.")
score("inactive-left-out", FOUR[:3], FOUR_VISITS[:3], 300, ["rewards"],
      '{"rewards":{"budget_fen":300,"method":"share","floor_fen":0,"allocated_fen":300,"allocations":['
      + ",".join([alloc("g1", 1, "100.00", 109), alloc("g2", 2, "94.00", 103), alloc("g3", 3, "80.00", 88)])
      + "]}}",
      "g4 has no case and no visit: inactive, so left out of the rewards. g1 100.00, g2 94.00, g3 80.00 as "
      "in share-with-remainders; weights 10000, 9400, 8000 sum to 27400; of 300 fen: 109.489, 102.919, "
      "87.591, floors 298; the 2 fen left go to g2 (.919) and g3 (.591): 109, 103, 88.")
score("on-time-at-deadline-and-late", [row("a1", "m1", resolved="2026-03-04T17:30:00"),
                                        row("b1", "m2", resolved="2026-03-04T17:30:01")],
      [visit("m1", 50), visit("m2", 25)], 160, ["rewards"],
      '{"rewards":{"budget_fen":160,"method":"share","floor_fen":0,"allocated_fen":160,"allocations":['
      + ",".join([alloc("g1", 1, "100.00", 100), alloc("g2", 2, "60.00", 60)]) + "]}}",
      "a1 is resolved at exactly its deadline: on time (resolved <= due), 100.00. b1 one second later is "
      "late: on-time rate 0%, 90 points short of 90% at 2 each is below zero, so 0 of 40: 60.00. g3 and "
      "g4 are inactive and get nothing. 160 fen split 10000 : 6000 is exactly 100 and 60.")
score("lists-of-one", FOUR, FOUR_VISITS, None, ["red_list", "black_list"],
      '{"red_list":["g1"],"black_list":["g3"]}',
      SCORES + " The red and black lists are one grid each: the best, g1, and the worst, g3.")

# -------------------------------------------------------------------- engine warnings
rules = json.loads(json.dumps(fixtures()["default_rules"]))
row = next(r for r in rules["versions"][1]["tables"][1]["rows"] if r["id"] == "shijiazhuang-property")
row["when"][1] = "fs-c99"
write("hand/engine/unknown-community.json", "engine warnings by hand: a row naming a community the "
      "organisation lacks.", "engine_warnings", {"rules": rules},
      why="The default rules with Shijiazhuang's community id changed to fs-c99: Fushan has no such "
          "community, so the row can never fire; building the engine warns (it is not an error), naming "
          "the version, table, row and column.",
      output='[{"code":"unknown_community","location":{"version":"fushan-2026","table":"modifiers",'
             '"row":"shijiazhuang-property","column":"community"},"message":"`fs-c99` is not a community of '
             'the organisation `凫山街道`; the test never matches it"}]')

print(f"wrote {len(written)} hand-worked vectors")
