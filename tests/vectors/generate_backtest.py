#!/usr/bin/env python3
"""Writes the inputs and descriptions of the what-if vectors (tests/vectors/backtest/).

Entry `backtest`: the cases are routed on the engine the vector names (default Fushan)
and on the same organisation and calendar under `rules_b`; the output says which cases
decide differently and how. Run, then bless the outputs with the Rust runner and review:

    python3 tests/vectors/generate_backtest.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import copy
import json
import pathlib

from vectorlib import write, written

ROOT = pathlib.Path(__file__).resolve().parent
DEFAULT = json.loads((ROOT.parents[1] / "core" / "data" / "rules" / "default.json").read_text(encoding="utf-8"))


def rules_with(**when):
    """The default rules with the `when` cells of rows of the 2026 routing table replaced:
    `row_id=(column, text)`."""
    r = copy.deepcopy(DEFAULT)
    for row in r["versions"][-1]["tables"][0]["rows"]:
        if row["id"] in when:
            column, text = when[row["id"]]
            row["when"][column] = text
    return r


def case(i, category="neighbour_dispute", people=1, amount="0", location="fs-c01-g02-m1"):
    return {"id": f"w{i}", "channel": "hotline", "category": category,
            "location": location, "people_involved": people, "amount_yuan": amount,
            "reported_at": "2026-03-02T09:15:00+08:00"}


STRICTER = rules_with(**{"dispute-grid": (1, "< 3"), "dispute-community-people": (1, "[3..30)")})
LAWYER_FROM_5000 = rules_with(**{"legal-lawyer": (2, "[5000..500000)"),
                                 "dispute-grid": (2, "< 5000")})

write("backtest/same-rules.json",
      "The same rule set on both sides: every case decides the same; no moves, no differences.",
      "backtest",
      {"rules_b": DEFAULT, "cases": [case(1), case(2, "property_crime"), case(3, "petition", 6)]})

write("backtest/disputes-of-three-go-up.json",
      "Disputes stay in the grid below 3 people instead of 5: the cases of 3 and 4 people "
      "move from the grid (dispute-grid, grid worker, 3 working days) to the community "
      "(dispute-community-people, committee member, 5 working days); 2 and 5 people decide "
      "the same.",
      "backtest",
      {"rules_b": STRICTER, "cases": [case(1, people=2), case(2, people=3), case(3, people=4),
                                      case(4, people=5)]})

write("backtest/lawyer-from-5000-yuan.json",
      "The duty lawyer takes debt disputes from 5,000 yuan instead of 10,000: a 6,000-yuan "
      "debt moves from the grid to the community's lawyer desk, gaining the office and the "
      "litigation_guidance flag; a 4,999.99-yuan debt stays; a 12,000-yuan one was already "
      "the lawyer's.",
      "backtest",
      {"rules_b": LAWYER_FROM_5000,
       "cases": [case(1, "debt_dispute", amount="6000"), case(2, "debt_dispute", amount="4999.99"),
                 case(3, "debt_dispute", amount="12000")]})

write("backtest/limit.json",
      "At most `limit` differing cases are listed in full; the rest are counted in "
      "differences_left_out, and every count still covers all cases.",
      "backtest",
      {"rules_b": STRICTER, "limit": 2, "cases": [case(i, people=3) for i in range(1, 6)]})

write("backtest/unreadable-and-invalid-cases.json",
      "A case that does not read (no location) and one that does not fit (a community as "
      "the location) are errors on both sides alike: counted in errors_a and errors_b, "
      "not as differences.",
      "backtest",
      {"rules_b": STRICTER, "cases": [{"id": "bad1", "channel": "hotline"},
                                      case(2, location="fs-c01"), case(3, people=3)]})

write("backtest/cases-not-a-list.json",
      "The cases must be a JSON array.",
      "backtest",
      {"rules_b": json.dumps(STRICTER, ensure_ascii=False), "cases": '{"id": "w1"}'})

moon = copy.deepcopy(STRICTER)
moon["versions"][-1]["tables"][0]["rows"][0]["then"][3] = "moon_office"
write("backtest/rules-b-do-not-fit.json",
      "Rules B name an office the organisation does not have: the second engine cannot be "
      "built, and the error says which office and what is valid.",
      "backtest",
      {"rules_b": moon, "cases": [case(1)]})

print(f"wrote {len(written)} vectors")
