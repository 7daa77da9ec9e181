#!/usr/bin/env python3
"""Writes the inputs and descriptions of the batch vectors (tests/vectors/batch/).

Entry `route_csv`: a cases CSV in, the decisions CSV out (one row per case, in order);
rows that cannot be routed carry `error_code` and `error` naming their line. Run, then
bless the outputs with the Rust runner and review:

    python3 tests/vectors/generate_batch.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

from vectorlib import write, written

HEADER = "id,channel,category,location,reported_at,people_involved,amount_yuan,repeat_count,risk_flags,attributes\n"
AT = "2026-03-02T09:15:00+08:00"

write("batch/every-level.json",
      "One case per level of the default rules, from one CSV: a micro-grid livelihood "
      "matter, a grid dispute, a community dispute of 6 people, a police matter (department, "
      "no unit), a mass matter of 40 people (subdistrict, co-deciding offices and the "
      "joint_consultation flag); a gas hazard with its attribute as quoted JSON (community, "
      "early_intervention).",
      "route_csv",
      {"cases_csv": HEADER
       + f"a1,visit,livelihood,fs-c01-g01-m1,{AT},1,0,0,,\n"
       + f"a2,hotline,neighbour_dispute,fs-c01-g02-m1,{AT},2,300.50,0,,\n"
       + f"a3,app,neighbour_dispute,fs-c02-g01-m1,{AT},6,0,0,,\n"
       + f"a4,app,property_crime,fs-c05-g01-m1,{AT},1,800,0,,\n"
       + f"a5,petition,labour_wage,fs-c03-g02-m2,{AT},40,250000,0,mass_incident,\n"
       + f"a6,app,safety_hazard,fs-c04-g01-m1,{AT},1,0,0,,\"{{\"\"hazard_type\"\": \"\"gas\"\"}}\"\n"})

write("batch/columns-in-any-order.json",
      "Columns may come in any order and optional ones may be left out (one person, no "
      "money, a first report); blank lines are skipped; a UTF-8 byte-order mark is read "
      "past; \\r\\n line ends are accepted.",
      "route_csv",
      {"cases_csv": "\ufefflocation,reported_at,id,category,channel\r\n"
       f"fs-c01-g02-m1,{AT},b1,neighbour_dispute,hotline\r\n\r\n"
       f"fs-c05-g01-m1,{AT},b2,property_crime,app\r\n"})

write("batch/bad-rows-go-on.json",
      "Rows that cannot be routed get error_code and error naming their CSV line and field, "
      "and the rows after them are still routed: an unknown category, a location that is a "
      "community, a people count that is not a number, an amount with three places, a "
      "missing required value, a line with too few fields.",
      "route_csv",
      {"cases_csv": HEADER
       + f"c1,app,weather,fs-c01-g01-m1,{AT},1,0,0,,\n"
       + f"c2,app,environment,fs-c01,{AT},1,0,0,,\n"
       + f"c3,app,environment,fs-c01-g01-m1,{AT},many,0,0,,\n"
       + f"c4,app,environment,fs-c01-g01-m1,{AT},1,1.005,0,,\n"
       + f"c5,,environment,fs-c01-g01-m1,{AT},1,0,0,,\n"
       + "c6,app,environment\n"
       + f"c7,app,environment,fs-c01-g01-m1,{AT},1,0,0,,\n"})

write("batch/header-unknown-column.json",
      "A header naming a column gridgov does not read is refused (a typo such as `amount` "
      "must not be silently ignored), listing the valid columns.",
      "route_csv",
      {"cases_csv": f"id,channel,category,location,reported_at,amount\nc1,app,environment,fs-c01-g01-m1,{AT},5\n"})

write("batch/header-missing-column.json",
      "A header without a required column is refused, naming it.",
      "route_csv",
      {"cases_csv": f"id,channel,category,reported_at\nc1,app,environment,{AT}\n"})

write("batch/not-csv.json",
      "A quote inside an unquoted field is part of its text, as the csv crate and spreadsheets "
      "read it; the id `c\"1` is then not a valid case id, so the row is kept with its error "
      "(a report is never dropped) and the line named.",
      "route_csv",
      {"cases_csv": f"id,channel,category,location,reported_at\nc\"1,app,environment,fs-c01-g01-m1,{AT}\n"})

write("batch/quote-never-closed.json",
      "A quoted field left open would swallow every line after it; the text is refused, "
      "naming the line where the record starts.",
      "route_csv",
      {"cases_csv": f"id,channel,category,location,reported_at\nc1,app,environment,fs-c01-g01-m1,{AT}\n"
                    f"c2,app,\"environment,fs-c01-g01-m1,{AT}\nc3,app,environment,fs-c01-g01-m1,{AT}\n"})

write("batch/empty.json",
      "An empty text has no header.",
      "route_csv",
      {"cases_csv": ""})

print(f"wrote {len(written)} vectors")
