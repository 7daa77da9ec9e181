#!/usr/bin/env python3
"""Generates core/data/fushan.json, the embedded default organisation.

The counts come from the source document (a 2023 report by the Zoucheng municipal reform
office on Fushan Subdistrict's "One Family" 一家人 governance brand):

  1 subdistrict, 12 communities, 69 compounds, 150 grids, 382 micro-grids;
  1 party working committee, 12 community party committees, 100 grid party branches,
  214 building party groups, 435 party-member lead households; 21 volunteer teams;
  the police work office, judicial office, petitions office, comprehensive governance office
  and the Thursday duty lawyer desk; a grid worker for every grid.

The document names three communities and their brands: Tiexi (铁西, "Red Steward" 红管家),
Shijiazhuang (石家庄, red property-management party-building alliance) and Haiyue (海悦,
"12365" party-building hub). Everything else (names, people, how compounds, grids and party
units are distributed, households) is invented, deterministic, and marked `synthetic`.

Run from the repository root:  python3 core/data/generate_fushan.py
The output is stable: running it twice gives the same bytes.
"""

import json
import os

COMMUNITIES = 12
COMPOUNDS = 69
GRIDS = 150
MICRO_GRIDS = 382
BRANCHES = 100
GROUPS = 214
LEAD_HOUSEHOLDS = 435
TEAMS = 21
COMMITTEE_MEMBERS_PER_COMMUNITY = 6
DEPUTIES_PER_COMMUNITY = 3

REAL = {
    1: ("铁西社区", "Tiexi Community", {"name": "红管家", "name_en": "Red Steward"}),
    2: (
        "石家庄社区",
        "Shijiazhuang Community",
        {"name": "红色物业党建联盟", "name_en": "Red property-management party-building alliance"},
    ),
    3: ("海悦社区", "Haiyue Community", {"name": "“12365”党建综合体", "name_en": "\"12365\" party-building hub"}),
}

CN_DIGITS = "〇一二三四五六七八九十"


def spread(total, buckets):
    """Splits `total` into `buckets` near-equal integers, larger ones first."""
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


def lcg(seed):
    """A tiny deterministic generator for synthetic household counts."""
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        yield state >> 33


def main():
    units, people, duties = [], [], []
    rnd = lcg(20261128)

    def unit(uid, kind, name, name_en=None, parent=None, synthetic=True, **extra):
        u = {"id": uid, "kind": kind}
        if parent:
            u["parent"] = parent
        u["name"] = name
        if name_en:
            u["name_en"] = name_en
        u.update(extra)
        if synthetic:
            u["synthetic"] = True
        units.append(u)
        return u

    def person(pid, name, role, at, duty=None, duty_unit=None):
        people.append({"id": pid, "name": name, "role": role, "unit": at, "synthetic": True})
        if duty:
            duties.append({"person": pid, "duty": duty, "unit": duty_unit or at})

    unit("fs", "subdistrict", "凫山街道", "Fushan Subdistrict", synthetic=False)
    unit("fs-pw", "working_committee", "凫山街道党工委", "Fushan Subdistrict Party Working Committee",
         synthetic=False, anchored_to=["fs"])

    compounds_per_community = spread(COMPOUNDS, COMMUNITIES)
    grids_per_compound = spread(GRIDS, COMPOUNDS)
    micro_per_grid = spread(MICRO_GRIDS, GRIDS)

    communities = []  # (cid, [grid ids], {grid id: [micro ids]})
    compound_i = 0
    grid_i = 0
    for c in range(1, COMMUNITIES + 1):
        cid = f"fs-c{c:02d}"
        if c in REAL:
            cname, name_en, brand = REAL[c]
            unit(cid, "community", cname, name_en, parent="fs", synthetic=False, brand=brand)
        else:
            cname = f"示例社区{c:02d}"
            unit(cid, "community", cname, f"Community {c:02d} (synthetic)", parent="fs")
        grids, micros = [], {}
        g_in_c = 0
        for x in range(1, compounds_per_community[c - 1] + 1):
            xid = f"{cid}-x{x:02d}"
            unit(xid, "compound", f"{cname}示例小区{x:02d}", f"Compound {x:02d} of community {c:02d} (synthetic)",
                 parent=cid)
            for _ in range(grids_per_compound[compound_i]):
                g_in_c += 1
                gid = f"{cid}-g{g_in_c:02d}"
                unit(gid, "grid", f"{cname}网格{g_in_c:02d}", f"Grid {g_in_c:02d} of community {c:02d}",
                     parent=xid)
                grids.append(gid)
                micros[gid] = []
                for m in range(1, micro_per_grid[grid_i] + 1):
                    mid = f"{gid}-m{m}"
                    households = 60 + next(rnd) % 121
                    unit(mid, "micro_grid", f"{cname}网格{g_in_c:02d}微网格{m}",
                         f"Micro-grid {m} of grid {g_in_c:02d}, community {c:02d}", parent=gid,
                         households=households)
                    micros[gid].append(mid)
                grid_i += 1
            compound_i += 1
        communities.append((cid, cname, grids, micros))

    # Party organisation: one committee per community; branches on one or two grids of their
    # community; groups on one or two micro-grids of their branch's grids; lead households in
    # the micro-grids of their group. Every grid and micro-grid is covered.
    branches_per_community = spread(BRANCHES, COMMUNITIES)
    branch_specs = []  # (branch id, parent committee, [grids], [micro-grids])
    for (cid, cname, grids, micros), nb in zip(communities, branches_per_community):
        c = cid[4:]
        pc = f"fs-pc{c}"
        if int(c) in REAL:
            pc_name, pc_name_en, pc_synthetic = REAL[int(c)][0] + "党委", REAL[int(c)][1] + " Party Committee", False
        else:
            pc_name, pc_name_en, pc_synthetic = f"{cname}党委", f"Party committee of community {c} (synthetic)", True
        unit(pc, "community_party_committee", pc_name, pc_name_en, parent="fs-pw", anchored_to=[cid],
             synthetic=pc_synthetic)
        sizes = spread(len(grids), nb)  # 1 or 2 grids each
        gi = 0
        for b, size in enumerate(sizes, 1):
            bgrids = grids[gi:gi + size]
            gi += size
            bid = f"fs-pb{c}-{b:02d}"
            branch_specs.append((bid, pc, bgrids, [m for g in bgrids for m in micros[g]]))
    assert len(branch_specs) == BRANCHES

    group_counts = [(len(ms) + 1) // 2 for (_, _, _, ms) in branch_specs]
    need = GROUPS - sum(group_counts)
    assert need >= 0
    i = 0
    while need > 0:
        if group_counts[i] < len(branch_specs[i][3]):
            group_counts[i] += 1
            need -= 1
        i = (i + 1) % len(branch_specs)

    groups = []  # (group id, [micro-grids])
    for (bid, pc, bgrids, bmicros), ng in zip(branch_specs, group_counts):
        unit(bid, "grid_party_branch", f"网格党支部{bid[5:]}（示例）", f"Grid party branch {bid[5:]} (synthetic)",
             parent=pc, anchored_to=bgrids)
        sizes = spread(len(bmicros), ng)
        mi = 0
        for k, size in enumerate(sizes, 1):
            gms = bmicros[mi:mi + size]
            mi += size
            gid = f"{bid}-pg{k}"
            unit(gid, "building_party_group", f"楼栋党小组{gid[5:]}（示例）",
                 f"Building party group {gid[5:]} (synthetic)", parent=bid, anchored_to=gms)
            groups.append((gid, gms))
    assert len(groups) == GROUPS

    for (gid, gms), n in zip(groups, spread(LEAD_HOUSEHOLDS, GROUPS)):
        for h in range(1, n + 1):
            hid = f"{gid}-h{h}"
            unit(hid, "lead_household", f"党员中心户{hid[5:]}（示例）", f"Lead household {hid[5:]} (synthetic)",
                 parent=gid, anchored_to=[gms[(h - 1) % len(gms)]])

    # People and duties.
    person("fs-duty", "街道值班人员（示例）", "office_staff", "fs", "lead")
    gw = 0
    deputy = 0
    for cid, cname, grids, _ in communities:
        c = cid[4:]
        members = [f"fs-cm{c}-{k}" for k in range(1, COMMITTEE_MEMBERS_PER_COMMUNITY + 1)]
        for k, pid in enumerate(members, 1):
            person(pid, f"{cname}两委成员{k}（示例）", "committee_member", cid,
                   "lead" if k == 1 else None)
        for j, g in enumerate(grids):
            gw += 1
            person(f"fs-gw{gw:03d}", f"网格员{gw:03d}（示例）", "grid_worker", g, "grid_worker")
            duties.append({"person": members[j % len(members)], "duty": "liaison", "unit": g})
        for k in range(DEPUTIES_PER_COMMUNITY):
            deputy += 1
            person(f"fs-dp{deputy:02d}", f"代表委员{deputy:02d}（示例）", "deputy", grids[k % len(grids)])
    for a in range(1, 5):
        person(f"fs-as{a}", f"片区党总支书记{a}（示例）", "area_secretary", "fs")

    offices = [
        ("police_work_office", "police_work_office", "凫山街道警务工作室", "Police work office",
         ["property_crime", "public_security"], "police", 3),
        ("judicial_office", "judicial_office", "凫山街道司法所", "Judicial office",
         ["neighbour_dispute", "debt_dispute", "labour_wage"], "office_staff", 2),
        ("petitions_office", "petitions_office", "凫山街道信访办", "Petitions office",
         ["petition"], "office_staff", 2),
        ("comprehensive_governance_office", "comprehensive_governance_office", "凫山街道综治办",
         "Comprehensive governance office", ["comprehensive_governance", "safety_hazard", "public_security"],
         "office_staff", 2),
        ("duty_lawyer_desk", "duty_lawyer_desk", "周四律师坐班", "Thursday duty lawyer desk",
         ["debt_dispute", "labour_wage"], "lawyer", 2),
    ]
    office_specs = []
    for oid, kind, name, name_en, cats, role, staff in offices:
        office_specs.append({"id": oid, "kind": kind, "name": name, "name_en": name_en, "unit": "fs",
                             "categories": cats})
        for k in range(1, staff + 1):
            person(f"fs-{oid}-{k}", f"{name}{'民警' if role == 'police' else '律师' if role == 'lawyer' else '工作人员'}{k}（示例）",
                   role, oid, "lead" if k == 1 else None)
    for k in range(1, 3):
        person(f"fs-counsellor-{k}", f"心理咨询师{k}（示例）", "counsellor", "comprehensive_governance_office")

    # Micro-grid leaders (微网格长): the head of the first party-member lead household
    # (党员中心户) anchored in each micro-grid, a party member belonging to that household.
    first_household = {}
    for u in units:
        if u["kind"] == "lead_household":
            for m in u.get("anchored_to", []):
                first_household.setdefault(m, u["id"])
    micro_grids = [u["id"] for u in units if u["kind"] == "micro_grid"]
    for n, m in enumerate(micro_grids, 1):
        person(f"fs-mgl{n:03d}", f"微网格长{n:03d}（党员中心户户主，示例）", "party_member",
               first_household[m], "micro_grid_leader", m)

    all_grids = [g for _, _, grids, _ in communities for g in grids]
    teams = []
    gi = 0
    for t, size in enumerate(spread(len(all_grids), TEAMS), 1):
        teams.append({"id": f"fs-vt{t:02d}", "name": f"网格志愿服务团队{t:02d}（示例）",
                      "grids": all_grids[gi:gi + size], "members": 12 + next(rnd) % 19, "synthetic": True})
        gi += size

    spec = {
        "format": 1,
        "name": "凫山街道",
        "name_en": "Fushan Subdistrict, Zoucheng, Shandong",
        "source": ("Counts, the three named communities and their brands, and the offices come from the "
                   "Zoucheng municipal reform office's report on Fushan Subdistrict's 'One Family' (一家人) "
                   "governance brand. Every unit, person and team marked synthetic is invented for this "
                   "example, as are households and how compounds, grids and party units are distributed. "
                   "Generated by core/data/generate_fushan.py."),
        "units": units,
        "people": people,
        "duties": duties,
        "offices": office_specs,
        "volunteer_teams": teams,
        "map": fushan_map(communities),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fushan.json")
    with open(out, "w", encoding="utf-8") as f:
        f.write(dump(spec))


def fushan_map(communities):
    """Synthetic areas in GCJ-02 (the coordinates of Chinese web maps) around Zoucheng's
    centre: the 12 communities as a 4 x 3 block of rectangles, each community's grids in
    rows inside it, each grid's micro-grids as strips side by side. Corners are whole
    micro-degrees, so neighbours share their edges exactly and nothing is left blank."""
    lon0, lat0 = 116_950_000, 35_385_000      # micro-degrees
    width, height = 10_000, 9_000             # one community: about 900 m x 1000 m
    features = []

    def feature(uid, x0, y0, x1, y1):
        ring = [[x / 1e6, y / 1e6] for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
        features.append({"type": "Feature", "properties": {"unit": uid},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})

    for i, (cid, _cname, grids, micros) in enumerate(communities):
        cx0 = lon0 + (i % 4) * width
        cy0 = lat0 + (i // 4) * height
        feature(cid, cx0, cy0, cx0 + width, cy0 + height)
        n = len(grids)
        cols = 1
        while cols * cols < n:
            cols += 1
        rows = -(-n // cols)
        per_row = spread(n, rows)
        g = 0
        for r, k in enumerate(per_row):
            y0 = cy0 + r * height // rows
            y1 = cy0 + (r + 1) * height // rows
            for j in range(k):
                x0 = cx0 + j * width // k
                x1 = cx0 + (j + 1) * width // k
                gid = grids[g]
                g += 1
                feature(gid, x0, y0, x1, y1)
                ms = micros[gid]
                for m, mid in enumerate(ms):
                    feature(mid, x0 + m * (x1 - x0) // len(ms), y0, x0 + (m + 1) * (x1 - x0) // len(ms), y1)
    return {
        "crs": "gcj02",
        "synthetic": True,
        "source": "Invented for the example by core/data/generate_fushan.py: rectangles near "
                  "Zoucheng's centre, not surveyed boundaries.",
        "areas": {"type": "FeatureCollection", "features": features},
    }


def dump(spec):
    """JSON with one array item per line: compact, and diffs stay readable."""
    lines = ["{"]
    keys = list(spec)
    for i, key in enumerate(keys):
        value = spec[key]
        comma = "," if i + 1 < len(keys) else ""
        if key == "map":
            head = {k: v for k, v in value.items() if k != "areas"}
            lines.append(f" {json.dumps(key)}: " + json.dumps(head, ensure_ascii=False)[:-1]
                         + ', "areas": {"type": "FeatureCollection", "features": [')
            features = value["areas"]["features"]
            for j, item in enumerate(features):
                item_comma = "," if j + 1 < len(features) else ""
                lines.append("  " + json.dumps(item, ensure_ascii=False) + item_comma)
            lines.append(f" ]}}}}{comma}")
        elif isinstance(value, list):
            lines.append(f" {json.dumps(key)}: [")
            for j, item in enumerate(value):
                item_comma = "," if j + 1 < len(value) else ""
                lines.append("  " + json.dumps(item, ensure_ascii=False) + item_comma)
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
