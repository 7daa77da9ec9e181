#!/usr/bin/env python3
"""Writes the inputs and descriptions of the routing, calendar and rule-validation vectors.

Run from the repository root, then fill in the expected outputs with the Rust runner and
review the diff:

    python3 tests/vectors/generate.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors

Vectors prove that Rust, Python and JS return the same bytes; the unit tests in
tests/tests/default_rules.rs, tests/tests/routing.rs and core/src/calendar/tests.rs assert
the decisions by hand. Each description says which row or rule a vector exercises and why
its output is right. Existing expected outputs are kept when a file is rewritten.
"""

import copy
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "fixtures"
SMALL_ORG = json.loads((FIXTURES / "small_org.json").read_text(encoding="utf-8"))
SMALL_RULES = json.loads((FIXTURES / "small_rules.json").read_text(encoding="utf-8"))

from vectorlib import write, written


# ---------------------------------------------------------------- calendar (deadline)

def deadline(name, start, limit, why, pauses=None, calendar=None):
    d = {"start": start, "time_limit": limit}
    if pauses is not None:
        d["pauses"] = pauses
    inputs = {"deadline": d}
    if calendar is not None:
        inputs["calendar"] = calendar
    write(f"calendar/{name}.json", f"deadline: {limit} from {start}. {why}", "deadline", inputs)


deadline("wh-morning", "2026-03-02T08:30:00+08:00", "2 working hours",
         "Monday 08:30 plus two hours inside the morning period: 10:30.")
deadline("wh-lunch-break", "2026-03-02T09:15:00+08:00", "4 working hours",
         "2h45 until the 12:00 lunch break, the remaining 1h15 from 14:00: 15:15.")
deadline("wh-start-in-lunch", "2026-03-02T12:30:00+08:00", "1 working hour",
         "Reported during the lunch break: the clock starts at 14:00, due 15:00.")
deadline("wh-ends-at-noon", "2026-03-02T11:00:00+08:00", "1 working hour",
         "A deadline that lands on the end of the morning period stays at 12:00, not 14:00.")
deadline("wh-ends-at-close", "2026-03-02T16:30:00+08:00", "1 working hour",
         "Lands on the close of business: 17:30 the same day.")
deadline("wh-one-minute-past-noon", "2026-03-02T11:01:00+08:00", "1 working hour",
         "One minute more than the morning holds: 14:01.")
deadline("wh-after-hours", "2026-03-02T20:00:00+08:00", "4 working hours",
         "Reported at night: the clock starts Tuesday 08:30; 3h30 to noon, 30 min after lunch: 14:30.")
deadline("wh-before-hours", "2026-03-03T06:00:00+08:00", "1 working hour",
         "Reported before opening: Tuesday 08:30 + 1h = 09:30.")
deadline("wh-weekend", "2026-03-06T16:00:00+08:00", "4 working hours",
         "Friday 16:00: 1h30 on Friday, the weekend skipped, 2h30 on Monday: 11:00.")
deadline("wh-reported-saturday", "2026-03-07T10:00:00+08:00", "1 working hour",
         "Reported on Saturday: the clock starts Monday 08:30: 09:30.")
deadline("wh-national-day", "2026-09-30T16:00:00+08:00", "4 working hours",
         "1h30 on 09-30, then the National Day holiday 10-01..07: 2h30 on Thursday 10-08: 11:00.")
deadline("wh-spring-festival-makeup", "2026-02-13T17:00:00+08:00", "1 working hour",
         "Friday 17:00: 30 min, then Saturday 02-14 is a make-up working day (调休): 09:00.")
deadline("wh-spring-festival", "2026-02-14T17:00:00+08:00", "1 working hour",
         "Make-up Saturday 17:00: 30 min, then Spring Festival 02-15..23: Tuesday 02-24 09:00.")
deadline("wh-new-year-makeup-sunday", "2026-01-03T10:00:00+08:00", "4 working hours",
         "01-03 is a New Year holiday; Sunday 01-04 is a make-up working day: 14:30 on 01-04.")
deadline("wh-seconds-round-up", "2026-03-02T09:15:30+08:00", "1 working hour",
         "The clock starts at the next whole minute (09:16): due 10:16.")
deadline("wh-utc-input", "2026-03-02T01:15:00Z", "4 working hours",
         "01:15Z is 09:15 in China; the deadline is shown in the calendar's +08:00: 15:15.")
deadline("wh-long", "2026-03-02T09:00:00+08:00", "40 working hours",
         "Monday 09:00 leaves 6h30 that day, Tuesday to Friday take 28h, and the last 5h30 run from Monday 03-09 08:30 to 16:00 (across lunch).")
deadline("wd-one", "2026-03-02T08:30:00+08:00", "1 working day",
         "The start day is not counted: the close of Tuesday 03-03, 17:30.")
deadline("wd-one-late", "2026-03-02T17:29:00+08:00", "1 working day",
         "Whatever the hour, the start day is not counted: Tuesday 17:30.")
deadline("wd-friday", "2026-03-06T09:00:00+08:00", "1 working day",
         "Friday: the next working day is Monday 03-09, 17:30.")
deadline("wd-fifteen", "2026-03-02T10:00:00+08:00", "15 working days",
         "Fifteen working days after Monday 03-02 end on Monday 03-23 at 17:30.")
deadline("wd-national-day-makeup", "2026-09-30T16:00:00+08:00", "3 working days",
         "After 09-30: 10-08 (Thu), 10-09 (Fri), 10-10 (make-up Saturday): 10-10 17:30.")
deadline("wd-on-holiday", "2026-10-03T10:00:00+08:00", "1 working day",
         "Reported on a holiday: the first working day after it (10-08) is day 1.")
deadline("wd-before-spring-festival", "2026-02-13T10:00:00+08:00", "2 working days",
         "After 02-13: make-up Saturday 02-14, then Spring Festival to 02-23: Tuesday 02-24 17:30.")
deadline("wd-qingming-2025", "2025-04-03T10:00:00+08:00", "1 working day",
         "Qingming 2025-04-04..06: the next working day is Monday 04-07.")
deadline("wd-labour-day-2025", "2025-04-30T10:00:00+08:00", "2 working days",
         "Labour Day 2025-05-01..05, so Tuesday 05-06 and Wednesday 05-07: 05-07 17:30.")
deadline("wd-makeup-2025-04-27", "2025-04-25T10:00:00+08:00", "1 working day",
         "Sunday 2025-04-27 is a make-up working day: it is day 1.")
deadline("wd-dragon-boat-2026", "2026-06-18T10:00:00+08:00", "1 working day",
         "Dragon Boat 2026-06-19..21: the next working day is Monday 06-22.")
deadline("wd-mid-autumn-makeup-2026", "2026-09-18T10:00:00+08:00", "1 working day",
         "Sunday 2026-09-20 is a make-up working day: due 09-20 17:30.")
deadline("wd-2025-national-day", "2025-09-30T10:00:00+08:00", "1 working day",
         "National Day and Mid-Autumn 2025-10-01..08: the next working day is Thursday 10-09.")
deadline("wd-2025-makeup-10-11", "2025-10-10T10:00:00+08:00", "1 working day",
         "Saturday 2025-10-11 is a make-up working day: due 10-11 17:30.")
deadline("wd-year-end-2025", "2025-12-31T10:00:00+08:00", "1 working day",
         "New Year 2026-01-01..03, make-up Sunday 01-04: due 2026-01-04 17:30.")
deadline("hours-wall", "2026-03-06T16:00:00+08:00", "48 hours",
         "Plain hours run on the wall clock, weekends included: Sunday 16:00.")
deadline("hours-chinese", "2026-09-30T16:00:00+08:00", "24小时",
         "A time limit in Chinese (24小时) is 24 wall-clock hours, holiday or not; printed as `24 hours`.")
deadline("days-plain", "2026-03-02T10:00:00+08:00", "15 days",
         "Calendar days: the start day not counted, the 15th day is Tuesday 03-17, ending at 24:00.")
deadline("days-ends-on-holiday", "2026-09-16T10:00:00+08:00", "15 days",
         "The 15th day is 10-01, a holiday: the period ends with the first working day after it (10-08), at 24:00.")
deadline("days-ends-on-saturday", "2026-03-02T10:00:00+08:00", "5 days",
         "The 5th day is Saturday 03-07: the period ends with Monday 03-09 at 24:00.")
deadline("days-chinese", "2026-03-02T10:00:00+08:00", "60天",
         "60 calendar days (60天): the 60th day is 05-01, a holiday, so the period ends with 05-06 at 24:00.")
deadline("pause-full-day", "2026-03-02T09:00:00+08:00", "4 working hours",
         "Due 15:00 without a pause; paused Monday 10:00 to Tuesday 10:00 (one full working day of 420 min), so due Tuesday 15:00.",
         pauses=[{"from": "2026-03-02T10:00:00+08:00", "to": "2026-03-03T10:00:00+08:00"}])
deadline("pause-over-lunch", "2026-03-02T09:00:00+08:00", "4 working hours",
         "A pause over the lunch break stops no working time: still due 15:00.",
         pauses=[{"from": "2026-03-02T12:00:00+08:00", "to": "2026-03-02T14:00:00+08:00"}])
deadline("pause-open", "2026-03-02T09:00:00+08:00", "4 working hours",
         "An open pause (缓办, not yet resumed): the clock is stopped, so there is no deadline (due null, paused true).",
         pauses=[{"from": "2026-03-02T10:00:00+08:00"}])
deadline("pause-after-due", "2026-03-02T09:00:00+08:00", "4 working hours",
         "A pause that begins after the deadline does not revive it: still 15:00.",
         pauses=[{"from": "2026-03-02T15:30:00+08:00", "to": "2026-03-02T16:00:00+08:00"}])
deadline("pause-two", "2026-03-02T09:00:00+08:00", "4 working hours",
         "Two 30-minute pauses, given out of order, add an hour: 16:00.",
         pauses=[{"from": "2026-03-02T10:30:00+08:00", "to": "2026-03-02T11:00:00+08:00"},
                 {"from": "2026-03-02T09:30:00+08:00", "to": "2026-03-02T10:00:00+08:00"}])
deadline("pause-wall-clock", "2026-03-06T16:00:00+08:00", "48 hours",
         "On a wall-clock limit a 12-hour pause adds 12 hours: Monday 04:00.",
         pauses=[{"from": "2026-03-07T00:00:00+08:00", "to": "2026-03-07T12:00:00+08:00"}])
deadline("pause-working-days", "2026-03-02T10:00:00+08:00", "3 working days",
         "Due Thursday 17:30; a pause over Tuesday and Wednesday (two working days of working time) moves it to Monday 03-09 17:30.",
         pauses=[{"from": "2026-03-03T08:30:00+08:00", "to": "2026-03-04T17:30:00+08:00"}])

six_day = {
    "format": 1, "name": "six-day week", "utc_offset": "+08:00",
    "working_hours": [["09:00", "17:00"]], "weekend": ["sunday"], "years": {}
}
deadline("custom-six-day-week", "2026-03-06T13:00:00+08:00", "8 working hours",
         "A custom calendar with one 09:00-17:00 period and only Sunday off: Friday 13:00 + 8h = Saturday 13:00.",
         calendar=six_day)
utc_cal = {
    "format": 1, "name": "UTC office", "utc_offset": "+00:00",
    "working_hours": [["09:00", "12:00"], ["13:00", "17:00"]], "years": {}
}
deadline("custom-utc-offset", "2026-03-02T09:00:00+08:00", "2 working hours",
         "A calendar in UTC: 09:00+08:00 is 01:00Z, before opening; the clock starts 09:00Z and the deadline is shown in +00:00: 11:00.",
         calendar=utc_cal)

new_york = {
    "format": 1, "name": "New York office", "time_zone": "America/New_York",
    "working_hours": [["09:00", "17:00"]], "years": {}
}
deadline("dst-working-days", "2026-03-06T10:00:00-05:00", "2 working days",
         "A calendar in America/New_York, whose clocks go forward on Sunday 2026-03-08: Friday 10:00 EST + 2 working days closes Tuesday 17:00 local, shown in EDT (-04:00).",
         calendar=new_york)
deadline("dst-working-hours", "2026-03-06T16:00:00-05:00", "2 working hours",
         "America/New_York: Friday 16:00 EST + 2 working hours is one hour on Friday and one on Monday from 09:00 EDT: 10:00-04:00.",
         calendar=new_york)
deadline("dst-natural-hours", "2026-03-07T12:00:00-05:00", "24 hours",
         "America/New_York: natural hours are elapsed time: Saturday 12:00 EST + 24 hours is Sunday 13:00 EDT (the night lost an hour).",
         calendar=new_york)
deadline("dst-fall-back", "2026-10-31T12:00:00-04:00", "24 hours",
         "America/New_York, clocks back on Sunday 2026-11-01: Saturday 12:00 EDT + 24 hours is Sunday 11:00 EST.",
         calendar=new_york)
deadline("zone-asia-shanghai", "2026-03-06T13:00:00+08:00", "8 working hours",
         "custom-six-day-week's calendar with `time_zone: Asia/Shanghai` instead of `utc_offset: +08:00` gives the same deadline: Saturday 13:00+08:00.",
         calendar={**{k: v for k, v in six_day.items() if k != "utc_offset"}, "time_zone": "Asia/Shanghai"})


def deadline_error(name, raw, why, calendar=None):
    inputs = {"deadline": raw}
    if calendar is not None:
        inputs["calendar"] = calendar
    write(f"calendar/{name}.json", why, "deadline", inputs)


deadline_error("error-zone-twice", {"start": "2026-03-02T09:00:00+08:00", "time_limit": "1 working day"},
               "A calendar giving both `utc_offset` and `time_zone` is invalid (bad_zone): the zone is given once.",
               calendar={**new_york, "utc_offset": "-05:00"})
deadline_error("error-unknown-zone", '{"start": "2026-03-02T09:00:00+08:00", "time_limit": "1 working day"}',
               "A `time_zone` that is neither an offset nor an IANA name does not parse, naming what would be valid.",
               calendar=json.dumps({**new_york, "time_zone": "Mars/Olympus_Mons"}))
deadline_error("error-bad-limit", '{"start": "2026-03-02T09:00:00+08:00", "time_limit": "3 fortnights"}',
               "deadline: an unknown time limit unit is a JSON error naming the value and the valid forms.")
deadline_error("error-zero-limit", '{"start": "2026-03-02T09:00:00+08:00", "time_limit": "0 working days"}',
               "deadline: a time limit of zero is refused: amounts run from 1 to 10000.")
deadline_error("error-no-offset", '{"start": "2026-03-02T09:00:00", "time_limit": "1 working day"}',
               "deadline: a start without a UTC offset is refused; the message says an offset is required.")
deadline_error("error-out-of-range", '{"start": "2099-12-31T17:00:00+08:00", "time_limit": "2 working days"}',
               "deadline: the calendar counts 2000-2099; a deadline past 2099 is an out-of-range error.")
deadline_error("error-unknown-field", '{"start": "2026-03-02T09:00:00+08:00", "time_limit": "1 working day", "tz": "Asia/Shanghai"}',
               "deadline: unknown fields are rejected, naming the field.")
deadline_error("error-bad-calendar", '{"start": "2026-03-02T09:00:00+08:00", "time_limit": "1 working day"}',
               "deadline on a calendar whose make-up working day 2026-03-02 is a Monday: the engine is refused with calendar_invalid.",
               calendar={"format": 1, "name": "bad", "utc_offset": "+08:00", "working_hours": [["08:30", "12:00"]],
                         "years": {"2026": {"holidays": [], "makeup_workdays": ["2026-03-02"]}}})

# ---------------------------------------------------------------- routing, Fushan defaults

BASE_CASE = {
    "id": "v1", "channel": "app", "category": "neighbour_dispute",
    "location": "fs-c04-g03-m2", "reported_at": "2026-03-02T09:00:00+08:00",
}


def route(name, why, **fields):
    case = dict(BASE_CASE)
    case["id"] = name
    case.update(fields)
    write(f"route/fushan/{name}.json", why, "route", {"case": case})


R = "fushan-2026 routing"
M = "fushan-2026 modifiers"
route("mass-30", f"{R}/mass: 30 people (>= 30) make a mass matter: subdistrict, comprehensive governance office leads with petitions and judicial offices (joint_consultation), 1 working day.",
      people_involved=30)
route("mass-29", f"{R}/dispute-community-people: 29 people is one short of `>= 30`, so the dispute stays in the community with the liaison committee member.",
      people_involved=29)
route("mass-any-category", f"{R}/mass: the mass row has `-` for category, so 45 people on a livelihood matter also go to the subdistrict.",
      category="livelihood", people_involved=45)
route("property-crime", f"{R}/property-crime: property crime goes to the police work office at department level; unit null, handler the office's lead.",
      category="property_crime", amount_yuan="800")
route("property-crime-mass", f"{R}/mass: 30 people take a property crime out of `< 30` and into the mass row.",
      category="property_crime", people_involved=30)
route("public-security", f"{R}/public-security: public order goes to the police work office, 1 working day.",
      category="public_security", people_involved=3)
route("debt-9999.99", f"{R}/dispute-grid: a debt of 9999.99 yuan is below 10000, so it stays with the grid worker (3 working days).",
      category="debt_dispute", amount_yuan="9999.99")
route("debt-10000", f"{R}/legal-lawyer: exactly 10000 yuan is in [10000..500000): the duty lawyer desk leads at community level, litigation_guidance.",
      category="debt_dispute", amount_yuan=10000)
route("wage-499999.99", f"{R}/legal-lawyer: 499999.99 yuan is still inside [10000..500000).",
      category="labour_wage", amount_yuan="499999.99")
route("wage-500000", f"{R}/legal-major: 500000 yuan (>= 500000) goes to the judicial office with the duty lawyer at subdistrict level, 10 working days.",
      category="labour_wage", amount_yuan="500000.00")
route("petition-4", f"{R}/petition: a petition by 4 people (< 5) is handled at community level within 60 calendar days; the 60th day is a holiday, so the period ends with 05-06.",
      category="petition", channel="petition", people_involved=4)
route("petition-5", f"{R}/petition-prominent: 5 people (in [5..30)) make a prominent petition problem: petitions office leads a joint consultation, 15 working days.",
      category="petition", channel="petition", people_involved=5)
route("dispute-4", f"{R}/dispute-grid: 4 people (< 5) and no money: the grid worker mediates (小事不出网格).",
      people_involved=4)
route("dispute-5", f"{R}/dispute-community-people: 5 people (in [5..30)): the community, with the committee member who liaises with grid fs-c04-g03.",
      people_involved=5)
route("debt-5-people", f"{R}/debt-community-people: a debt dispute of 5 people under 10000 yuan stays in the community.",
      category="debt_dispute", people_involved=5, amount_yuan="9999.99")
route("debt-5-people-10000", f"{R}/legal-lawyer: with 10000 yuan the same dispute goes to the duty lawyer (the earlier row wins).",
      category="debt_dispute", people_involved=5, amount_yuan=10000)
route("property-9999.99", f"{R}/dispute-grid: property management over 9999.99 yuan stays in the grid.",
      category="property_management", amount_yuan="9999.99")
route("property-10000", f"{R}/dispute-community-amount: 10000 yuan (>= 10000) takes it to the community.",
      category="property_management", amount_yuan="10000")
route("hazard-electrical", f"{R}/hazard: an electrical hazard is checked by the grid worker within 4 working hours (09:00 → 15:00 across lunch).",
      category="safety_hazard", attributes={"hazard_type": "electrical"})
route("hazard-gas", f"{M}/gas-or-fire: a gas hazard (attr.hazard_type gas) is raised to the community within 4 working hours with early_intervention.",
      category="safety_hazard", attributes={"hazard_type": "gas"})
route("hazard-fire", f"{M}/gas-or-fire: fire is the other value of the `gas, fire` cell.",
      category="safety_hazard", attributes={"hazard_type": "fire"})
route("livelihood-4", f"{R}/livelihood-micro: 4 people, no money: settled on the spot in micro-grid fs-c04-g03-m2 by its grid worker.",
      category="livelihood", people_involved=4)
route("environment-5", f"{R}/livelihood-grid-people: 5 people (in [5..30)) take an environment matter to the grid.",
      category="environment", people_involved=5)
route("environment-10000", f"{R}/livelihood-grid-amount: 10000 yuan (>= 10000) takes an environment matter to the grid.",
      category="environment", amount_yuan=10000)
route("environment-9999.99", f"{R}/livelihood-micro: 9999.99 yuan (< 10000) stays in the micro-grid.",
      category="environment", amount_yuan="9999.99")
for cat in ["health_care", "medical_insurance", "housing"]:
    route(f"services-{cat}", f"{R}/services: {cat} is one of the service categories: grid worker, 3 working days.",
          category=cat)
route("party-building", f"{R}/party-building: party building is handled in the grid, 5 working days.",
      category="party_building")
route("governance", f"{R}/governance: comprehensive governance starts with the grid worker, 3 working days.",
      category="comprehensive_governance")
route("other", f"{R}/other: the catch-all row: the grid worker owns it (首办责任), 3 working days.",
      category="other")
route("repeat-1", f"{M}/third-report does not fire at repeat_count 1 (`>= 2`): the dispute stays in the grid.",
      repeat_count=1)
route("repeat-2", f"{M}/third-report: the third report (repeat_count 2) raises the case to the community with long_term_mechanism, 5 working days.",
      repeat_count=2)
route("repeat-police", f"{M}/third-report adds long_term_mechanism to a property crime but the department level is higher, so routing/property-crime decides.",
      category="property_crime", repeat_count=3)
route("repeat-petition", f"{M}/third-report names community, the same level as routing/petition; the earlier hit wins the tie, so 60 days stay and the flag is added.",
      category="petition", repeat_count=2)
route("risk-mass", f"{M}/mass-risk: mass_incident raises the case to the subdistrict: critical, joint_consultation and early_intervention, 4 working hours.",
      risk_flags=["mass_incident"])
route("risk-extreme", f"{M}/mass-risk: extreme_behaviour is the second value of the cell.",
      risk_flags=["extreme_behaviour"])
route("risk-public-safety", f"{M}/public-safety-risk: the comprehensive governance office leads at subdistrict level within 4 working hours.",
      risk_flags=["public_safety"])
route("risk-vulnerable", f"{M}/vulnerable: only adds early_intervention; routing/dispute-grid still decides.",
      risk_flags=["vulnerable_person"])
route("risk-media", f"{R}/dispute-grid: media_attention is a known risk flag that no row tests, so nothing changes.",
      risk_flags=["media_attention"])
route("risk-two", f"{M}/mass-risk and public-safety-risk both name subdistrict; mass-risk comes first and decides; the comprehensive governance office is the lead of mass-risk and is not repeated as a co-office.",
      risk_flags=["mass_incident", "public_safety"])
route("lawyer-desk", f"{M}/lawyer-desk: a case raised at the lawyer desk keeps the duty lawyer as co-office with litigation_guidance; the grid worker stays first handler.",
      channel="lawyer_desk")
route("shijiazhuang-property", f"{M}/shijiazhuang-property: property management in Shijiazhuang community (fs-c02) is taken at community level, 3 working days.",
      category="property_management", location="fs-c02-g01-m1")
route("tiexi-property", f"{R}/dispute-grid: the same matter in Tiexi community (fs-c01) is not touched by the Shijiazhuang row and stays in the grid.",
      category="property_management", location="fs-c01-g01-m1")
route("another-community", f"{R}/dispute-grid: in micro-grid fs-c07-g02-m1 the unit at grid level is fs-c07-g02 and its grid worker handles the case.",
      location="fs-c07-g02-m1")
route("version-2025-6-people", "fushan-2025 routing (CSV)/dispute-grid: on 2025-12-31 23:59 local, 6 people are under the 2025 threshold of 10, so the grid.",
      people_involved=6, reported_at="2025-12-31T23:59:00+08:00")
route("version-2026-6-people", f"{R}/dispute-community-people: at 2026-01-01 00:00 local the 2026 version applies and 6 people (>= 5) go to the community.",
      people_involved=6, reported_at="2026-01-01T00:00:00+08:00")
route("version-utc-boundary", f"{R}: 2025-12-31T16:00Z is 2026-01-01 00:00 in China, so the 2026 version applies.",
      people_involved=6, reported_at="2025-12-31T16:00:00Z")
route("version-utc-before", "fushan-2025 routing: 2025-12-31T15:59:59Z is still 2025-12-31 in China.",
      people_involved=6, reported_at="2025-12-31T15:59:59Z")
route("version-2025-lawyer-15000", "fushan-2025 routing/dispute-grid: in 2025 the lawyer took debts from 20000 yuan; 15000 stays in the grid.",
      category="debt_dispute", amount_yuan=15000, reported_at="2025-06-02T09:00:00+08:00")
route("version-2025-lawyer-20000", "fushan-2025 routing/legal-lawyer: 20000 yuan is in [20000..500000).",
      category="debt_dispute", amount_yuan=20000, reported_at="2025-06-02T09:00:00+08:00")
route("version-2025-hazard", "fushan-2025 routing/hazard: in 2025 hazards had 1 working day.",
      category="safety_hazard", attributes={"hazard_type": "other"}, reported_at="2025-06-02T09:00:00+08:00")
route("version-2025-no-shijiazhuang", "fushan-2025 has no Shijiazhuang modifier: the property matter in fs-c02 stays in the grid.",
      category="property_management", location="fs-c02-g01-m1", reported_at="2025-06-02T09:00:00+08:00")
route("deadline-weekend", f"{R}/dispute-grid: 3 working days from Friday 16:00 skip the weekend: Wednesday 03-11 17:30.",
      reported_at="2026-03-06T16:00:00+08:00")
route("deadline-holiday", f"{R}/hazard: 4 working hours from 09-30 16:00 run into the National Day holiday: 10-08 11:00.",
      category="safety_hazard", attributes={"hazard_type": "other"}, reported_at="2026-09-30T16:00:00+08:00")
route("deadline-makeup", f"{R}/livelihood-micro: 2 working days after Friday 02-13: make-up Saturday 02-14, then Spring Festival, so Tuesday 02-24.",
      category="livelihood", reported_at="2026-02-13T10:00:00+08:00")
route("no-holiday-data", f"{R}/dispute-grid in 2027: the calendar has no 2027 holidays, which the trace says; only weekends are skipped.",
      reported_at="2027-03-01T09:00:00+08:00")
route("all-channels-visit", f"{R}/dispute-grid: the channel `visit` changes nothing for a small dispute.", channel="visit")
route("all-channels-hotline", f"{R}/dispute-grid: the channel `hotline` changes nothing for a small dispute.", channel="hotline")
route("all-channels-walk-in", f"{R}/dispute-grid: the channel `walk_in` changes nothing for a small dispute.", channel="walk_in")
route("reporter-and-summary", f"{R}/dispute-grid: the reporter's personal data and the summary do not appear in the decision.",
      reporter={"name": "张三", "phone": "13800000000", "id_number": "370883199001011234"}, summary="楼上漏水")
route("amount-number", f"{R}/dispute-community-amount: an amount given as a JSON number with two decimals (10000.5) is read exactly.",
      category="property_management", amount_yuan=10000.5)


# Every row of the 2025 version (its routing table is CSV), both sides of its thresholds.
V25 = "fushan-2025 routing (CSV)"
M25 = "fushan-2025 modifiers"
D25 = "2025-06-02T09:00:00+08:00"
for name, why, fields in [
    ("mass", f"{V25}/mass: 30 people go to the subdistrict for joint consultation.", {"people_involved": 30}),
    ("property-crime", f"{V25}/property-crime: the police work office.", {"category": "property_crime"}),
    ("public-security", f"{V25}/public-security: the police work office.", {"category": "public_security"}),
    ("legal-major", f"{V25}/legal-major: 500000 yuan of unpaid wages: judicial office with the duty lawyer.", {"category": "labour_wage", "amount_yuan": 500000}),
    ("legal-lawyer-19999.99", f"{V25}/dispute-grid: 19999.99 yuan is below the 2025 lawyer threshold of 20000.", {"category": "labour_wage", "amount_yuan": "19999.99"}),
    ("petition-prominent", f"{V25}/petition-prominent: 5 petitioners.", {"category": "petition", "people_involved": 5}),
    ("petition", f"{V25}/petition: a single petitioner, community level, 60 days.", {"category": "petition"}),
    ("dispute-9-people", f"{V25}/dispute-grid: 9 people stay in the grid under 2025 practice (< 10).", {"people_involved": 9}),
    ("dispute-10-people", f"{V25}/dispute-community-people: 10 people (in [10..30)) go to the community.", {"people_involved": 10}),
    ("debt-10-people", f"{V25}/debt-community-people: a debt dispute of 10 people under 20000 yuan.", {"category": "debt_dispute", "people_involved": 10, "amount_yuan": "19999.99"}),
    ("property-19999.99", f"{V25}/dispute-grid: 19999.99 yuan (< 20000).", {"category": "property_management", "amount_yuan": "19999.99"}),
    ("property-20000", f"{V25}/dispute-community-amount: 20000 yuan (>= 20000).", {"category": "property_management", "amount_yuan": 20000}),
    ("livelihood-9", f"{V25}/livelihood-micro: 9 people, no money.", {"category": "livelihood", "people_involved": 9}),
    ("livelihood-10", f"{V25}/livelihood-grid-people: 10 people.", {"category": "livelihood", "people_involved": 10}),
    ("environment-20000", f"{V25}/livelihood-grid-amount: 20000 yuan.", {"category": "environment", "amount_yuan": 20000}),
    ("services", f"{V25}/services: housing.", {"category": "housing"}),
    ("party-building", f"{V25}/party-building.", {"category": "party_building"}),
    ("governance", f"{V25}/governance.", {"category": "comprehensive_governance"}),
    ("other", f"{V25}/other: the catch-all row.", {"category": "other"}),
    ("third-report", f"{M25}/third-report: repeat_count 2 goes to the community with long_term_mechanism.", {"repeat_count": 2}),
    ("mass-risk", f"{M25}/mass-risk: extreme_behaviour goes to the subdistrict.", {"risk_flags": ["extreme_behaviour"]}),
    ("public-safety-risk", f"{M25}/public-safety-risk.", {"risk_flags": ["public_safety"]}),
    ("gas-or-fire", f"{M25}/gas-or-fire: a fire hazard goes to the community within 4 working hours.", {"category": "safety_hazard", "attributes": {"hazard_type": "fire"}}),
    ("vulnerable", f"{M25}/vulnerable: early_intervention only.", {"risk_flags": ["vulnerable_person"]}),
    ("lawyer-desk", f"{M25}/lawyer-desk: the duty lawyer joins.", {"channel": "lawyer_desk"}),
]:
    route(f"v2025-{name}", why, reported_at=D25, **fields)


def route_error(name, why, raw):
    write(f"route/errors/{name}.json", why, "route", {"case": raw})


route_error("unknown-category", "route: an unknown category is a case_invalid error naming the field and listing the 16 valid categories.",
            json.dumps({**BASE_CASE, "category": "noise"}))
route_error("location-not-micro-grid", "route: a grid is not a valid location; the error names the field and says a micro-grid (or a building in one) is needed.",
            json.dumps({**BASE_CASE, "location": "fs-c04-g03"}))
route_error("unknown-location", "route: a location that is not in the organisation.",
            json.dumps({**BASE_CASE, "location": "fs-c99-g01-m1"}))
route_error("negative-amount", "route: a negative amount is refused with the field named.",
            json.dumps({**BASE_CASE, "amount_yuan": "-1.00"}))
route_error("three-decimals", "route: an amount with three decimal places is a parse error (fen is the smallest unit).",
            json.dumps({**BASE_CASE, "amount_yuan": "12.345"}))
route_error("no-offset", "route: reported_at without a UTC offset is a parse error saying an offset is required.",
            json.dumps({**BASE_CASE, "reported_at": "2026-03-02T09:00:00"}))
route_error("unknown-channel", "route: an unknown channel is a parse error listing the six channels.",
            json.dumps({**BASE_CASE, "channel": "fax"}))
route_error("unknown-field", "route: unknown fields are rejected.",
            json.dumps({**BASE_CASE, "priority": "high"}))
route_error("unknown-risk-flag", "route: an unknown risk flag is refused, listing the valid ones.",
            json.dumps({**BASE_CASE, "risk_flags": ["angry"]}))
route_error("missing-required-attribute", "route: safety_hazard requires attr hazard_type.",
            json.dumps({**BASE_CASE, "category": "safety_hazard"}))
route_error("wrong-attribute-value", "route: hazard_type must be one of its list values.",
            json.dumps({**BASE_CASE, "category": "safety_hazard", "attributes": {"hazard_type": "flood"}}))
route_error("attribute-of-other-category", "route: property_company belongs to property_management, not to neighbour_dispute.",
            json.dumps({**BASE_CASE, "attributes": {"property_company": "X"}}))
route_error("before-first-version", "route: a case from 2024 predates the first version (2025-01-01): no_version.",
            json.dumps({**BASE_CASE, "reported_at": "2024-12-31T09:00:00+08:00"}))
route_error("not-json", "route: text that is not JSON is a case_parse error with line and column.",
            "{\"id\": \"x\",\n \"channel\": ")
route_error("several-problems", "route: every problem is listed: unknown category, negative amount and a location that is a community.",
            json.dumps({**BASE_CASE, "category": "noise", "amount_yuan": "-5", "location": "fs-c02"}))
route_error("people-negative", "route: people_involved is a whole number of zero or more; -1 is a parse error.",
            json.dumps({**BASE_CASE, "people_involved": -1}))
route_error("people-huge", "route: people_involved above 4294967295 does not fit and is a parse error, not a crash.",
            json.dumps({**BASE_CASE, "people_involved": 99999999999}))
route_error("amount-huge", "route: an amount beyond 10^15 yuan is refused as too large.",
            json.dumps({**BASE_CASE, "amount_yuan": "99999999999999999999"}))

# ---------------------------------------------------------------- routing, small engine

SMALL = {"org": SMALL_ORG, "rules": SMALL_RULES}
SMALL_CASE = {"id": "s", "channel": "app", "category": "other", "location": "m1",
              "reported_at": "2026-03-02T09:00:00+08:00"}


def small(name, why, inputs=None, **fields):
    case = dict(SMALL_CASE)
    case["id"] = name
    case.update(fields)
    base = copy.deepcopy(SMALL if inputs is None else inputs)
    base["case"] = case
    write(f"route/small/{name}.json", why, "route", base)


S = "small rules (tests/fixtures)"
small("micro-grid-falls-back-to-grid-worker", f"{S} routing/small: micro-grid m1 has no worker of its own, so grid g1's worker w1 is the first handler.")
small("micro-grid-own-worker", f"{S} routing/small: micro-grid m2 has its own worker wm2.", location="m2")
small("building-location", f"{S} routing/small: building b1 lies in micro-grid m2, so m2 and wm2.", location="b1")
small("community-liaison", f"{S} routing/big-dispute: 5 people → community c1; its grid's liaison cm1 handles it.",
      category="dispute", people_involved=5)
small("community-lead-fallback", f"{S} routing/big-dispute in c2: grid g2 has no liaison, so the community lead cm2 handles it.",
      category="dispute", people_involved=5, location="m3")
small("department-office", f"{S} routing/theft: department level, office po, handler its first staff pol.", category="theft")
small("collect-raises-level", f"{S} modifiers/fire names grid, above routing/small's micro_grid, so it decides; its office po leads and the time limit comes from the earliest hit (2 working days).",
      risk_flags=["fire"])
small("collect-highest-wins", f"{S} modifiers/mass (subdistrict) beats fire (grid); fire's office po joins as co-office; flags joint_consultation and urgent.",
      risk_flags=["fire", "mass_incident"])
small("fill-time-limit-from-collect", f"{S} routing/money-dispute has no time limit; in community c2 the collect row c2-all supplies 3 working days; office jo leads.",
      category="dispute", amount_yuan=5000, location="m3")
NO_HANDLER_ORG = copy.deepcopy(SMALL_ORG)
NO_HANDLER_ORG["duties"] = [d for d in NO_HANDLER_ORG["duties"] if d["person"] != "cm1"]
NO_HANDLER_ORG["people"] = [p for p in NO_HANDLER_ORG["people"] if p["id"] != "pol"]
NO_HANDLER = {"org": NO_HANDLER_ORG, "rules": SMALL_RULES}
small("no-first-handler-community", f"{S} routing/big-dispute in c1 without g1's liaison: c1 has no lead either, so the decision stands with no handler and carries a no_first_handler warning naming c1.",
      inputs=NO_HANDLER, category="dispute", people_involved=5)
small("no-first-handler-office", f"{S} routing/theft with the police work office's only person gone: po has no lead, so no handler and a no_first_handler warning naming po.",
      inputs=NO_HANDLER, category="theft")
write("route/small/engine-warnings-no-first-handler.json",
      f"engine_warnings: {S} without g1's liaison and po's person: the engine warns at build that po has no lead and that community c1 has no duty holder.",
      "engine_warnings", copy.deepcopy(NO_HANDLER))
PLAIN_TREE = {"format": 1, "name": "plain tree", "units": [
    {"id": "sd", "kind": "subdistrict", "name": "街道"},
    {"id": "c1", "kind": "community", "name": "一社区", "parent": "sd"},
    {"id": "x1", "kind": "compound", "name": "一小区", "parent": "c1"},
    {"id": "x2", "kind": "compound", "name": "二小区", "parent": "c1"},
    {"id": "g1", "kind": "grid", "name": "一网格", "parent": "x1"},
    {"id": "g2", "kind": "grid", "name": "二网格", "parent": "x1"},
    {"id": "m1", "kind": "micro_grid", "name": "一微网格", "parent": "g1"},
    {"id": "m2", "kind": "micro_grid", "name": "二微网格", "parent": "g2"}]}
ONE_ROW_RULES = {"format": 1, "name": "one-row", "categories": [{"id": "other"}], "grades": [],
                 "risk_flags": [], "flags": [], "attributes": [],
                 "versions": [{"name": "v1", "effective_from": "2026-01-01", "tables": [
                     {"id": "routing", "hit_policy": "first", "inputs": ["category"], "outputs": ["level", "time_limit"],
                      "rows": [{"id": "all", "when": ["-"], "then": ["grid", "3 working days"], "why": "everything starts in the grid"}]}]}]}
write("org/validation-warn.json",
      "engine_warnings: a plain territorial tree (no people: no grid has a grid worker; compound x2 has no grid) loaded with validation `warn`: the engine is built and its warnings list every gap as an object with its code and the unit as `subject`, then the warning that no grid has a duty holder for the rules' grid level.",
      "engine_warnings", {"org": PLAIN_TREE, "rules": ONE_ROW_RULES, "validation": "warn"})
write("org/validation-strict.json",
      "engine_warnings: the same plain tree under the default strict validation is refused (org_invalid), naming every gap.",
      "engine_warnings", {"org": PLAIN_TREE, "rules": ONE_ROW_RULES})
write("org/validation-unknown.json",
      "engine_warnings: a validation policy other than strict or warn is an input error naming the valid ones.",
      "engine_warnings", {"org": PLAIN_TREE, "rules": ONE_ROW_RULES, "validation": "lenient"})
small("no-decision", f"{S} routing/money-dispute in c1: no hit gives a time limit, so the case gets a no_decision error.",
      category="dispute", amount_yuan=5000)
small("attr-number-below", f"{S} modifiers/big-hazard needs attr.size >= 100.5; 100.49 does not match.",
      category="hazard", attributes={"size": 100.49})
small("attr-number-at", f"{S} modifiers/big-hazard: attr.size 100.50 (given as text) matches >= 100.5.",
      category="hazard", attributes={"size": "100.50"})
small("attr-multivalue", f"{S} modifiers/gas: attr.kinds contains gas, so urgent.",
      category="hazard", attributes={"kinds": ["water", "gas"]})
small("attr-datetime-before", f"{S} modifiers/old: seen 2025-12-31T15:59:59Z is before 2026-01-01 local, so long_term_mechanism.",
      category="hazard", attributes={"seen": "2025-12-31T15:59:59Z"})
small("attr-datetime-at", f"{S} modifiers/old does not fire at exactly 2026-01-01 00:00 local (`<` is strict).",
      category="hazard", attributes={"seen": "2025-12-31T16:00:00Z"})
small("attr-boolean", f"{S} modifiers/indoor: attr.indoor true raises the hazard to the community.",
      category="hazard", attributes={"indoor": True})
small("attr-string", f"{S} modifiers/who: tenant is in `landlord, tenant`, so jo joins as co-office.",
      category="hazard", attributes={"who": "tenant"})
small("attr-missing", f"{S} routing/small: without attributes only `-` cells match; nothing in modifiers fires.",
      category="hazard")
unique = copy.deepcopy(SMALL)
unique["rules"]["versions"][0]["tables"][0]["hit_policy"] = "unique"
small("unique-conflict", f"{S} with routing as a unique table: theft matches rows theft and small; the first is used and the trace says so.",
      inputs=unique, category="theft")
kind_office = copy.deepcopy(SMALL)
kind_office["rules"]["versions"][0]["tables"][0]["rows"][0]["then"][3] = "police_work_office"
small("office-by-kind", f"{S} with the theft row naming the office kind police_work_office: it resolves to the subdistrict's office po.",
      inputs=kind_office, category="theft")
bad_office = copy.deepcopy(SMALL)
bad_office["rules"]["versions"][0]["tables"][0]["rows"][0]["then"][3] = "petitions_office"
small("unknown-office", f"{S} with the theft row naming petitions_office, which the organisation lacks: the engine is refused (rules_org_mismatch) naming the row.",
      inputs=bad_office, category="theft")
small("custom-calendar", f"{S} on a calendar with a 6-day week: 2 working days after Friday 03-06 are Saturday and Monday.",
      inputs={**copy.deepcopy(SMALL), "calendar": six_day}, reported_at="2026-03-06T10:00:00+08:00")

# ---------------------------------------------------------------- rule validation


def rules_vector(name, why, rules):
    write(f"rules/{name}.json", why, "validate_rules", {"rules": rules})


rules_vector("default-clean", "validate_rules on the default rule set: no errors, no warnings.",
             json.loads((ROOT.parent.parent / "core/data/rules/default.json").read_text(encoding="utf-8")))
rules_vector("small-clean", "validate_rules on the small fixture rule set: clean.", SMALL_RULES)

DECLARED_CHANNELS = [{"id": "12345 hotline", "name": "12345 热线"}, {"id": "微信"}, {"id": "walk-in"}]
CHANNEL_RULES = {**SMALL_RULES, "channels": DECLARED_CHANNELS}
rules_vector("channels-declared", "validate_rules: a rule set declaring its own channels (any stable text, with names) is clean.", CHANNEL_RULES)
rules_vector("vocabulary-clashes",
             "validate_rules: categories `Noise` and `noise` differ only in case, channels `ｗｅｂ` and `Web` only in width and case, and channel `web` is declared twice: each is named.",
             {**SMALL_RULES, "categories": SMALL_RULES["categories"] + [{"id": "Noise"}, {"id": "noise"}],
              "channels": [{"id": "Web"}, {"id": "ｗｅｂ"}, {"id": "web"}, {"id": "web"}]})
rules_vector("channels-empty", "validate_rules: an empty `channels` list is an error (leave the field out for the six Fushan channels).",
             {**SMALL_RULES, "channels": []})
small("declared-channel", f"{S} with channels declared by the rule set: a case that came in by `微信` is routed as any other.",
      inputs={"org": SMALL_ORG, "rules": CHANNEL_RULES}, channel="微信")
small("undeclared-channel", f"{S} with channels declared by the rule set: `hotline` is not one of them, so the case is invalid, naming the declared channels.",
      inputs={"org": SMALL_ORG, "rules": CHANNEL_RULES}, channel="hotline")
small("category-any-text", f"{S} with a category named in free text (`Noise - Residential`) routed by the catch-all row.",
      inputs={"org": SMALL_ORG, "rules": {**SMALL_RULES, "categories": SMALL_RULES["categories"] + [{"id": "Noise - Residential", "name": "噪音扰民"}]}},
      category="Noise - Residential")


def mutated(edit):
    r = copy.deepcopy(SMALL_RULES)
    edit(r)
    return r


def t0(r):
    return r["versions"][0]["tables"][0]


rules_vector("unknown-category-in-cell", "validate_rules: a category cell naming `noise` is an unknown_value error at version v1, table routing, row theft, column category.",
             mutated(lambda r: t0(r)["rows"][0]["when"].__setitem__(0, "noise")))
rules_vector("bad-cell", "validate_rules: `>== 5` is not a comparison: bad_cell with table, row and column.",
             mutated(lambda r: t0(r)["rows"][1]["when"].__setitem__(1, ">== 5")))
rules_vector("bad-range", "validate_rules: a range without its closing bracket is bad_cell.",
             mutated(lambda r: t0(r)["rows"][1]["when"].__setitem__(1, "[5..9")))
rules_vector("bad-time-limit", "validate_rules: `2 weeks` is not a time limit: bad_time_limit naming the column.",
             mutated(lambda r: t0(r)["rows"][3]["then"].__setitem__(4, "2 weeks")))
rules_vector("unknown-level", "validate_rules: `village` is not a level.",
             mutated(lambda r: t0(r)["rows"][3]["then"].__setitem__(1, "village")))
rules_vector("unknown-column", "validate_rules: an input column `age` is unknown; the message lists the valid columns including attr.* ones.",
             mutated(lambda r: t0(r)["inputs"].__setitem__(1, "age")))
rules_vector("row-width", "validate_rules: a row with two `when` cells in a three-column table.",
             mutated(lambda r: t0(r)["rows"][2].__setitem__("when", ["dispute", "< 5"])))
rules_vector("department-without-office", "validate_rules: a department-level row without an office.",
             mutated(lambda r: t0(r)["rows"][0]["then"].__setitem__(3, "")))
rules_vector("version-order", "validate_rules: a second version dated before the first is version_order.",
             mutated(lambda r: r["versions"].append({**copy.deepcopy(r["versions"][0]), "name": "v0", "effective_from": "2025-01-01"})))
rules_vector("overlap-warning", "validate_rules: moving the catch-all `small` to the top hides every later row: three unreachable_row warnings.",
             mutated(lambda r: t0(r)["rows"].insert(0, t0(r)["rows"].pop())))
rules_vector("crossing-overlap", "validate_rules: a row `theft-small` (theft, < 5) after `big-dispute` is fine, but changing big-dispute to category `-` makes it cross theft and money-dispute: overlap warnings with an example.",
             mutated(lambda r: t0(r)["rows"][1]["when"].__setitem__(0, "-")))
rules_vector("never-fires", "validate_rules: a cell `[9..3]` admits nothing: never_fires warning.",
             mutated(lambda r: t0(r)["rows"][1]["when"].__setitem__(1, "[9..3]")))
rules_vector("no-catch-all", "validate_rules: without the catch-all row `small` the version warns no_catch_all.",
             mutated(lambda r: t0(r)["rows"].pop()))
rules_vector("not-json", "validate_rules: text that is not JSON is reported as a rules_parse error in the list, never thrown.",
             "{\"format\": 1,")
rules_vector("unknown-field", "validate_rules: an unknown field in a table is a rules_parse error naming it, with its line and column (the input is raw text so positions are the same in every language).",
             json.dumps(mutated(lambda r: t0(r).__setitem__("priority", 1)), ensure_ascii=False, indent=1))

# ---------------------------------------------------------------- the ledger

LCASE = {
    "id": "c1", "channel": "visit", "category": "neighbour_dispute", "location": "fs-c04-g03-m2",
    "reported_at": "2026-03-02T09:00:00+08:00",
    "reporter": {"name": "张三", "phone": "13800001234", "id_number": "370883199001011234"},
    "summary": "张三反映楼上噪音，电话13800001234",
}
A_GRID = {"level": "grid", "unit": "fs-c04-g03", "handler": "fs-gw051", "time_limit": "3 working days",
          "due": "2026-03-05T17:30:00+08:00", "grade": "minor", "rule": "fushan-2026/routing/dispute-grid"}
A_COMM = {"level": "community", "unit": "fs-c04", "handler": "fs-cm04-3", "time_limit": "5 working days",
          "due": "2026-03-12T17:30:00+08:00", "grade": "minor", "rule": "escalation/overdue"}
A_SUB = {"level": "subdistrict", "unit": "fs", "handler": "fs-duty", "time_limit": "10 working days",
         "due": "2026-03-26T17:30:00+08:00", "grade": "minor", "rule": "escalation/overdue"}
A_DEPT = {"level": "department", "office": "judicial_office", "handler": "fs-judicial_office-1",
          "time_limit": "10 working days", "due": "2026-04-10T17:30:00+08:00", "grade": "minor", "rule": "escalation/overdue"}
A_JOINT = {"level": "subdistrict", "unit": "fs", "office": "comprehensive_governance_office",
           "co_offices": ["petitions_office", "judicial_office"], "handler": "fs-comprehensive_governance_office-1",
           "time_limit": "1 working day", "due": "2026-03-03T17:30:00+08:00", "grade": "critical",
           "flags": ["joint_consultation"], "rule": "fushan-2026/routing/mass"}


def ev(case, at, actor, event):
    r = {"at": at, "actor": actor, "event": event}
    if case is not None:
        r = {"case": case, **r}
    return r


def doc(events):
    return {"format": 1, "events": events}


def reported(case_id="c1", at="2026-03-02T09:00:00+08:00", **fields):
    c = dict(LCASE)
    c.update({"id": case_id, "reported_at": at})
    c.update(fields)
    return ev(case_id, at, "fs-gw051", {"type": "reported", "case": c})


BASE = [
    reported(),
    ev("c1", "2026-03-02T09:05:00+08:00", "fs-gw051", {"type": "accepted"}),
    ev("c1", "2026-03-02T09:10:00+08:00", "system", {"type": "assigned", "assignment": A_GRID}),
]
RESOLVED = BASE + [ev("c1", "2026-03-04T10:00:00+08:00", "fs-gw051", {"type": "resolved", "level": "grid", "how": "调解达成协议"})]
CLOSED = RESOLVED + [ev("c1", "2026-03-05T10:00:00+08:00", "resident-1", {"type": "evaluated", "satisfaction": 5, "comment": "满意"})]
AT_COMM = BASE + [ev("c1", "2026-03-05T17:31:00+08:00", "system", {"type": "escalated", "from": "grid", "to": "community", "reason": "overdue", "assignment": A_COMM})]
AT_SUB = AT_COMM + [ev("c1", "2026-03-12T17:31:00+08:00", "system", {"type": "escalated", "from": "community", "to": "subdistrict", "reason": "overdue", "assignment": A_SUB})]
AT_DEPT = AT_SUB + [ev("c1", "2026-03-26T17:31:00+08:00", "system", {"type": "escalated", "from": "subdistrict", "to": "department", "reason": "overdue", "assignment": A_DEPT})]
JOINT = [
    reported("m1", people_involved=40),
    ev("m1", "2026-03-02T09:10:00+08:00", "system", {"type": "assigned", "assignment": A_JOINT}),
]


def state_vec(name, why, events):
    write(f"ledger/state/{name}.json", f"ledger_state: {why}", "ledger_state", {"ledger": doc(events)})


state_vec("reported", "a `reported` event creates the case in status reported, owned by the reporter (fs-gw051).", BASE[:1])
state_vec("accepted", "`accepted` moves it to accepted and records accepted_at.", BASE[:2])
state_vec("assigned", "`assigned` routes it: status assigned, owner and first handler the grid worker, the clock starts.", BASE)
state_vec("escalated", "`escalated` grid → community (overdue): the committee member owns it, the grid worker follows.", AT_COMM)
state_vec("escalated-to-department", "three escalations reach the judicial office at department level; escalations list the climbs.", AT_DEPT)
state_vec("returned", "`returned` with a corrected category: status returned, owner back to the dispatcher (system), category corrected.",
          BASE + [ev("c1", "2026-03-02T11:00:00+08:00", "fs-gw051", {"type": "returned", "reason": "实为盗窃", "category": "property_crime"})])
state_vec("paused", "`paused`: status paused, an open pause from 10:00.",
          BASE + [ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "等待当事人"})])
state_vec("resumed", "`resumed` closes the pause: status assigned again, the pause recorded with its end.",
          BASE + [ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "等待当事人"}),
                  ev("c1", "2026-03-03T10:00:00+08:00", "fs-gw051", {"type": "resumed"})])
state_vec("mediation-failed", "`mediation_failed` marks a pending climb; the status stays assigned.",
          BASE + [ev("c1", "2026-03-02T15:00:00+08:00", "fs-gw051", {"type": "mediation_failed", "note": "双方未达成一致"})])
state_vec("reminded", "`reminded` records the 50% reminder as sent.",
          BASE + [ev("c1", "2026-03-04T08:45:00+08:00", "system", {"type": "reminded", "stage": 50})])
state_vec("resolved", "`resolved` at grid level by the grid worker: status resolved, resolved_at and the decision in force kept.", RESOLVED)
state_vec("evaluated", "`evaluated` with satisfaction 5: status closed.", CLOSED)
state_vec("reopened", "a satisfaction of 1, then `reopened` at community level: status assigned, reopens 1.",
          RESOLVED + [ev("c1", "2026-03-05T10:00:00+08:00", "resident-1", {"type": "evaluated", "satisfaction": 1}),
                      ev("c1", "2026-03-05T10:30:00+08:00", "system", {"type": "reopened", "reason": "dissatisfied", "assignment": A_COMM})])
state_vec("shelved", "`shelved` at department level with an explanation (挂账).",
          AT_DEPT + [ev("c1", "2026-04-10T17:31:00+08:00", "system", {"type": "shelved", "explanation": "超出街道处置权限，报请市级协调"})])
state_vec("reopen-shelved", "a shelved case can be reopened at the level it had.",
          AT_DEPT + [ev("c1", "2026-04-10T17:31:00+08:00", "system", {"type": "shelved", "explanation": "挂账"}),
                     ev("c1", "2026-05-06T09:00:00+08:00", "system", {"type": "reopened", "reason": "manual", "assignment": A_DEPT})])
state_vec("merged", "`merged`: c2 joins c1 (status merged); c1 counts one repeat report.",
          BASE + [reported("c2", "2026-03-03T09:00:00+08:00"), ev("c2", "2026-03-03T09:00:00+08:00", "system", {"type": "merged", "into": "c1"})])
state_vec("visited", "`visited` (no case): a household visit recorded for scoring.",
          [ev(None, "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "visited", "unit": "fs-c04-g03-m2", "households": 12})])
state_vec("joint-consultation", "a joint consultation (联合会商): each office gives its part, then it is resolved; consulted lists the three.",
          JOINT + [ev("m1", "2026-03-02T14:00:00+08:00", "fs-comprehensive_governance_office-1", {"type": "consulted", "office": o, "opinion": "同意"})
                   for o in ["comprehensive_governance_office", "petitions_office", "judicial_office"]]
          + [ev("m1", "2026-03-02T16:00:00+08:00", "fs-comprehensive_governance_office-1", {"type": "resolved", "level": "subdistrict", "how": "会商解决"})])
write("ledger/state/unsupported-format.json", "ledger_state: a ledger document of format 3 (from a newer library) is refused.", "ledger_state",
      {"ledger": {"format": 3, "events": []}})
write("ledger/state/parse-error.json", "ledger_state: text that is not a ledger document is a ledger_parse error with line and column (raw text input).",
      "ledger_state", {"ledger": '{"format": 1, "events": [{"at": "x"}]}'})
write("ledger/state/refused-in-replay.json", "ledger_state: replaying a document whose third event evaluates an unresolved case is refused, naming event 2.",
      "ledger_state", {"ledger": doc(BASE[:2] + [ev("c1", "2026-03-02T10:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 4})])})


def refuse(name, why, events, event):
    write(f"ledger/refused/{name}.json", f"ledger_append refuses: {why} The ledger is unchanged.", "ledger_append",
          {"ledger": doc(events), "event": event})


refuse("evaluate-unresolved", "evaluating a case that is not resolved (invalid_transition).", BASE,
       ev("c1", "2026-03-02T12:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 4}))
refuse("resolve-closed", "resolving a closed case.", CLOSED,
       ev("c1", "2026-03-06T10:00:00+08:00", "fs-gw051", {"type": "resolved", "level": "grid", "how": "again"}))
refuse("escalate-above-top", "escalating a case already at department level (above_top).", AT_DEPT,
       ev("c1", "2026-04-10T17:31:00+08:00", "system", {"type": "escalated", "from": "department", "to": "department", "reason": "overdue", "assignment": A_DEPT}))
refuse("escalate-wrong-level", "escalating from community while the case is at grid (wrong_level).", BASE,
       ev("c1", "2026-03-05T17:31:00+08:00", "system", {"type": "escalated", "from": "community", "to": "subdistrict", "reason": "overdue", "assignment": A_SUB}))
refuse("escalate-downwards", "an escalation whose target is not higher (not_upward).", AT_COMM,
       ev("c1", "2026-03-12T17:31:00+08:00", "system", {"type": "escalated", "from": "community", "to": "grid", "reason": "overdue", "assignment": A_GRID}))
refuse("backwards", "an event earlier than the case's last one (backwards).", BASE,
       ev("c1", "2026-03-02T09:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "x"}))
refuse("satisfaction-zero", "satisfaction 0 (satisfaction from 1 to 5).", RESOLVED,
       ev("c1", "2026-03-05T10:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 0}))
refuse("satisfaction-six", "satisfaction 6.", RESOLVED,
       ev("c1", "2026-03-05T10:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 6}))
refuse("empty-how", "a resolution without saying how (empty).", BASE,
       ev("c1", "2026-03-04T10:00:00+08:00", "fs-gw051", {"type": "resolved", "level": "grid", "how": "  "}))
refuse("empty-explanation", "shelving without an explanation (挂账 needs a written explanation).", AT_DEPT,
       ev("c1", "2026-04-11T10:00:00+08:00", "system", {"type": "shelved", "explanation": ""}))
refuse("empty-pause-reason", "a pause without a reason.", BASE,
       ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": ""}))
refuse("unknown-case", "an event about a case never reported (unknown_case).", BASE,
       ev("c9", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "accepted"}))
refuse("duplicate-case", "reporting c1 twice (duplicate_case).", BASE, reported("c1", "2026-03-02T10:00:00+08:00"))
refuse("missing-case", "an `accepted` event without `case` (missing_case).", BASE,
       ev(None, "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "accepted"}))
refuse("case-on-visit", "a visit with a `case` (case_on_visit).", BASE,
       ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "visited", "unit": "fs-c04-g03-m2", "households": 3}))
refuse("case-mismatch", "a record about c7 that reports c8 (case_mismatch).", BASE,
       dict(reported("c8", "2026-03-02T10:00:00+08:00"), case="c7"))
refuse("merge-into-self", "a case merged into itself (merge_target).", BASE[:1],
       ev("c1", "2026-03-02T09:30:00+08:00", "system", {"type": "merged", "into": "c1"}))
refuse("merge-into-unknown", "a merge into a case that does not exist.", BASE + [reported("c2", "2026-03-03T09:00:00+08:00")],
       ev("c2", "2026-03-03T09:00:00+08:00", "system", {"type": "merged", "into": "c9"}))
refuse("merge-into-merged", "a merge into a case that is itself merged: join the case it joined.",
       BASE + [reported("c2", "2026-03-03T09:00:00+08:00"), ev("c2", "2026-03-03T09:00:00+08:00", "system", {"type": "merged", "into": "c1"}),
               reported("c3", "2026-03-03T10:00:00+08:00")],
       ev("c3", "2026-03-03T10:00:00+08:00", "system", {"type": "merged", "into": "c2"}))
refuse("merge-assigned", "merging a case that is already routed (only reported or accepted cases merge).",
       BASE + [reported("c2", "2026-03-03T09:00:00+08:00"), ev("c2", "2026-03-03T09:10:00+08:00", "system", {"type": "assigned", "assignment": A_GRID})],
       ev("c2", "2026-03-03T09:20:00+08:00", "system", {"type": "merged", "into": "c1"}))
refuse("consultation-incomplete", "resolving a joint consultation before the petitions and judicial offices gave their part.",
       JOINT + [ev("m1", "2026-03-02T14:00:00+08:00", "x", {"type": "consulted", "office": "comprehensive_governance_office", "opinion": "同意"})],
       ev("m1", "2026-03-02T16:00:00+08:00", "x", {"type": "resolved", "level": "subdistrict", "how": "会商解决"}))
refuse("not-consulting", "an office that is not part of the consultation (not_consulting).", JOINT,
       ev("m1", "2026-03-02T14:00:00+08:00", "x", {"type": "consulted", "office": "police_work_office", "opinion": "?"}))
refuse("consulted-without-joint", "a consultation on a case without joint_consultation.", BASE,
       ev("c1", "2026-03-02T14:00:00+08:00", "x", {"type": "consulted", "office": "judicial_office", "opinion": "?"}))
refuse("reminder-stage", "a reminder stage not after the last one sent (reminder_stage).",
       BASE + [ev("c1", "2026-03-04T09:00:00+08:00", "system", {"type": "reminded", "stage": 80})],
       ev("c1", "2026-03-04T10:00:00+08:00", "system", {"type": "reminded", "stage": 50}))
refuse("resolved-above", "a resolution claimed at community level while the grid has the case (resolved_above).", BASE,
       ev("c1", "2026-03-04T10:00:00+08:00", "fs-gw051", {"type": "resolved", "level": "community", "how": "x"}))
refuse("reopen-below", "reopening at micro_grid a case resolved at grid (reopen_below).", RESOLVED,
       ev("c1", "2026-03-05T10:00:00+08:00", "system", {"type": "reopened", "reason": "manual", "assignment": dict(A_GRID, level="micro_grid")}))
refuse("resume-not-paused", "resuming a case that is not paused.", BASE,
       ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "resumed"}))
refuse("accept-twice", "accepting a case already accepted.", BASE[:2],
       ev("c1", "2026-03-02T09:20:00+08:00", "fs-gw051", {"type": "accepted"}))
refuse("assign-assigned", "assigning a case that is already assigned (use escalated or returned).", BASE,
       ev("c1", "2026-03-02T09:20:00+08:00", "system", {"type": "assigned", "assignment": A_GRID}))
refuse("shelve-closed", "shelving a closed case.", CLOSED,
       ev("c1", "2026-03-06T10:00:00+08:00", "system", {"type": "shelved", "explanation": "x"}))
refuse("return-paused", "returning a paused case.", BASE + [ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "等待"})],
       ev("c1", "2026-03-02T11:00:00+08:00", "fs-gw051", {"type": "returned", "reason": "x"}))
write("ledger/refused/unknown-event-type.json",
      "ledger_append refuses: an event type that does not exist is a parse error listing the types (all inputs raw text, so positions agree).",
      "ledger_append", {"ledger": json.dumps(doc(BASE), ensure_ascii=False),
                        "event": '{"case": "c1", "at": "2026-03-02T10:00:00+08:00", "actor": "x", "event": {"type": "closed"}}'})
ok = BASE + [ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "等待"})]
write("ledger/refused/append-all-atomic.json",
      "ledger_append_all: a batch whose second event pauses an already paused case is refused as a whole (event 1); the first is not kept.",
      "ledger_append_all", {"ledger": doc(BASE), "events": [ok[-1], ev("c1", "2026-03-02T11:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "again"})]})
write("ledger/state/append-all.json", "ledger_append_all: a valid batch (pause, resume) is applied in order.",
      "ledger_append_all", {"ledger": doc(BASE), "events": [ok[-1], ev("c1", "2026-03-02T11:00:00+08:00", "fs-gw051", {"type": "resumed"})]})


def actions_vec(name, why, events, now, entry="actions", **extra):
    write(f"ledger/{entry}/{name}.json", f"{entry} at {now}: {why}", entry, {"ledger": doc(events), "now": now, **extra})


actions_vec("not-yet", "at the deadline itself (2026-03-05 17:30) the case is not overdue: nothing climbs.", BASE, "2026-03-05T17:30:00+08:00", "overdue")
actions_vec("grid-to-community", "one minute past its deadline the grid case climbs to community fs-c04, its liaison fs-cm04-3, 5 working days counted from now.",
            BASE, "2026-03-05T17:31:00+08:00", "overdue")
actions_vec("community-to-subdistrict", "overdue at community: to the subdistrict's lead, 10 working days.", AT_COMM, "2026-03-12T17:31:00+08:00", "overdue")
actions_vec("subdistrict-to-department", "overdue at subdistrict: to the judicial office, which takes neighbour disputes.", AT_SUB, "2026-03-26T17:31:00+08:00", "overdue")
actions_vec("department-shelve", "overdue at department, the top: shelved with an explanation.", AT_DEPT, "2026-04-10T17:31:00+08:00", "overdue")
actions_vec("paused-not-overdue", "a paused case is never overdue (its clock is stopped).",
            BASE + [ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "等待"})], "2026-03-20T10:00:00+08:00", "overdue")
PAUSED_DAY = BASE + [ev("c1", "2026-03-02T10:00:00+08:00", "fs-gw051", {"type": "paused", "reason": "等待"}),
                     ev("c1", "2026-03-03T10:00:00+08:00", "fs-gw051", {"type": "resumed"})]
actions_vec("pause-extends-not-yet", "paused one working day: the deadline moves to Friday 17:30; not overdue at Thursday 17:31.", PAUSED_DAY, "2026-03-05T17:31:00+08:00", "overdue")
actions_vec("pause-extends-overdue", "paused one working day: overdue one minute after Friday 17:30.", PAUSED_DAY, "2026-03-06T17:31:00+08:00", "overdue")
actions_vec("resolved-nothing", "a resolved case gets no escalation, reminder or reopening; its call-back (回访, within 3 working days of the resolution) is listed as late.", RESOLVED, "2026-03-20T10:00:00+08:00")
actions_vec("mediation-failed", "a failed mediation escalates at once, before the deadline (reason mediation_failed).",
            BASE + [ev("c1", "2026-03-02T15:00:00+08:00", "fs-gw051", {"type": "mediation_failed", "note": "未达成一致"})], "2026-03-02T15:05:00+08:00")
actions_vec("dissatisfied-reopens", "satisfaction 2 (<= 2) reopens the case one level up, at community.",
            RESOLVED + [ev("c1", "2026-03-05T10:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 2})], "2026-03-05T11:00:00+08:00")
actions_vec("satisfied-stays-closed", "satisfaction 3 (> 2) does not reopen.",
            RESOLVED + [ev("c1", "2026-03-05T10:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 3})], "2026-03-05T11:00:00+08:00")
actions_vec("returned-reroutes", "a case returned as property crime is routed again: the police work office, due 1 working day from now.",
            BASE + [ev("c1", "2026-03-02T11:00:00+08:00", "fs-gw051", {"type": "returned", "reason": "实为盗窃", "category": "property_crime"})], "2026-03-02T11:05:00+08:00")
actions_vec("returned-bad-category", "a case returned with a category that needs an attribute it lacks is not lost: it is routed again on the safe side (as if gas or fire: the community within 4 hours of now) and flagged incomplete, naming the missing hazard_type.",
            BASE + [ev("c1", "2026-03-02T11:00:00+08:00", "fs-gw051", {"type": "returned", "reason": "是隐患", "category": "safety_hazard"})], "2026-03-02T11:05:00+08:00")
actions_vec("reminder-half", "assigned Monday 09:10, due Thursday 17:30: 1640 working minutes; half (820) has passed at Wednesday 08:50: a 50% reminder to fs-gw051.",
            BASE, "2026-03-04T08:50:00+08:00")
actions_vec("reminder-none-yet", "at Wednesday 08:49 less than half has passed: no reminder.", BASE, "2026-03-04T08:49:00+08:00")
actions_vec("reminder-after-half-sent", "the 50% reminder was sent; 80% (1312 minutes) has passed at Thursday 10:02: an 80% reminder.",
            BASE + [ev("c1", "2026-03-04T08:50:00+08:00", "system", {"type": "reminded", "stage": 50})], "2026-03-05T10:02:00+08:00")
actions_vec("reminder-80-not-yet", "the 50% reminder was sent; at Thursday 10:01 80% has not passed: nothing.",
            BASE + [ev("c1", "2026-03-04T08:50:00+08:00", "system", {"type": "reminded", "stage": 50})], "2026-03-05T10:01:00+08:00")
actions_vec("joint-overdue", "an overdue joint consultation at subdistrict climbs to the judicial office (it takes neighbour disputes), flags kept.",
            JOINT, "2026-03-03T17:31:00+08:00", "overdue")
same_rules = json.loads((ROOT.parent.parent / "core/data/rules/default.json").read_text(encoding="utf-8"))
for v in same_rules["versions"]:
    v["escalation"] = {"reopen_at": "same", "time_limits": {"community": "3 working days", "subdistrict": "5 working days", "department": "5 working days", "grid": "1 working day"}}
actions_vec("reopen-same-level", "with `reopen_at: same` a dissatisfied evaluation reopens the case at grid level, where it was resolved.",
            RESOLVED + [ev("c1", "2026-03-05T10:00:00+08:00", "r", {"type": "evaluated", "satisfaction": 1})], "2026-03-05T11:00:00+08:00",
            rules=same_rules)
actions_vec("custom-time-limit", "with escalation time limits of 3 working days at community, the climb gets 3 working days.",
            BASE, "2026-03-05T17:31:00+08:00", "overdue", rules=same_rules)
actions_vec("bad-now", "a `now` without an offset is refused.", BASE, "2026-03-05 17:31", "overdue")


def intake_vec(name, why, events, case):
    write(f"ledger/intake/{name}.json", f"intake: {why}", "intake", {"ledger": doc(events), "case": case, "actor": "fs-gw051"})


def newcase(cid, at, **fields):
    c = dict(LCASE)
    c.update({"id": cid, "reported_at": at})
    c.update(fields)
    return c


intake_vec("new", "a first report: reported and assigned (dispute-grid).", [], newcase("c1", "2026-03-02T09:00:00+08:00"))
intake_vec("second-report-merges", "the same resident reports the same matter in the same micro-grid: reported and merged into c1; one repeat, still a grid matter.",
           BASE, newcase("c2", "2026-03-03T09:00:00+08:00"))
TWO = BASE + [reported("c2", "2026-03-03T09:00:00+08:00"), ev("c2", "2026-03-03T09:00:00+08:00", "fs-gw051", {"type": "merged", "into": "c1"})]
intake_vec("third-report-escalates", "the third report: merged, and c1 (now 2 repeats) climbs to community with long_term_mechanism (reason repeat_report).",
           TWO, newcase("c3", "2026-03-04T09:00:00+08:00"))
intake_vec("repeat-of-closed-reopens", "a repeat within 30 days of closing: merged, and the closed case reopens.",
           CLOSED, newcase("c2", "2026-03-20T09:00:00+08:00"))
intake_vec("repeat-after-window", "a repeat two months after closing is a new case.",
           CLOSED, newcase("c2", "2026-05-20T09:00:00+08:00"))
intake_vec("other-resident", "the same category and place from another resident is a new case (same_reporter).",
           BASE, newcase("c2", "2026-03-03T09:00:00+08:00", reporter={"name": "李四", "phone": "13900002222"}))
intake_vec("other-micro-grid", "the same resident and category in another micro-grid is a new case (match_at micro_grid).",
           BASE, newcase("c2", "2026-03-03T09:00:00+08:00", location="fs-c04-g03-m1"))
intake_vec("invalid-case", "a case with an unknown category is refused, naming the field.",
           BASE, newcase("c2", "2026-03-03T09:00:00+08:00", category="noise"))


def timeline_vec(name, why, events, case, public):
    write(f"ledger/timeline/{name}.json", f"timeline: {why}", "timeline", {"ledger": doc(events), "case": case, "public": public})


FULL = CLOSED
timeline_vec("staff", "the staff timeline shows every event with the reporter's personal data.", FULL, "c1", False)
timeline_vec("public", "the public timeline masks the reporter's name (张*), phone (138****1234) and ID number, also inside the summary; the evaluating resident shows as `resident`.",
             FULL, "c1", True)
timeline_vec("with-merged-report", "a case's timeline includes the repeat reports joined to it.", TWO, "c1", False)
timeline_vec("unknown-case", "a timeline of a case not in the ledger is an unknown_case error.", FULL, "c9", False)

print(f"wrote {len(written)} vector inputs")
