#!/usr/bin/env python3
"""Writes the inputs and descriptions of the closed-loop vectors (tests/vectors/loop/):
urgent clocks on natural time, the petition procedure driven by the channel, sittings
(the Thursday duty lawyer, joint reception days) and third parties, supervision orders,
verification, call-backs and the sign-off of shelved cases. Outputs are blessed by the
Rust runner and checked by tests/tests/closed_loop.rs, which asserts the figures each
description names. Run, then bless and review:

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
