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


# 网格员职责清单: the source counts 8 classes of common and individual duty lists and 16
# key works taken into grid matters (党的建设、综合治理、民生事项等16项), naming only those
# three works. The other names below are assumed from common practice and marked so.
CLASSES = [
    ("party_leadership", "党建引领"), ("information_collection", "基础信息采集"),
    ("dispute_screening", "矛盾纠纷排查化解"), ("hazard_patrol", "安全隐患巡查"),
    ("public_order", "社会治安防控"), ("livelihood_services", "民生服务代办"),
    ("policy_outreach", "政策宣传"), ("environment_upkeep", "环境卫生整治"),
]
WORK_AREAS = [
    ("party_building", "党的建设", ["party_building"], False),
    ("comprehensive_governance", "综合治理", ["comprehensive_governance"], False),
    ("livelihood", "民生事项", ["livelihood"], False),
    ("dispute_resolution", "矛盾纠纷化解", ["neighbour_dispute", "debt_dispute"], True),
    ("public_security", "社会治安", ["public_security", "property_crime"], True),
    ("safety_production", "安全生产", ["safety_hazard"], True),
    ("fire_safety", "消防安全", ["safety_hazard"], True),
    ("environment", "环境卫生", ["environment"], True),
    ("property_services", "物业服务", ["property_management"], True),
    ("health", "医疗卫生", ["health_care"], True),
    ("social_security", "社会保障", ["medical_insurance"], True),
    ("housing", "住房保障", ["housing"], True),
    ("labour", "劳动就业", ["labour_wage"], True),
    ("petitions", "信访稳定", ["petition"], True),
    ("civil_affairs", "民政服务", ["other"], True),
    ("population", "人口信息", ["other"], True),
]
COMMON_ITEMS = {
    "party_leadership": [("联系服务党员中心户和楼栋党小组", ["party_building"])],
    "information_collection": [("采集更新人口、房屋、单位基础信息", ["population", "civil_affairs"])],
    "dispute_screening": [("排查登记矛盾纠纷，分级分类化解或上报", ["dispute_resolution", "petitions"]),
                          ("劝导信访群众依法逐级反映诉求", ["petitions"])],
    "hazard_patrol": [("巡查安全生产和消防隐患，及时上报", ["safety_production", "fire_safety"])],
    "public_order": [("协助社会治安防控，报告治安和侵财线索", ["public_security", "comprehensive_governance"])],
    "livelihood_services": [("代办民生事项，反映就医、医保、住房、就业诉求",
                             ["livelihood", "health", "social_security", "housing", "labour"])],
    "policy_outreach": [("入户宣传政策法规", ["comprehensive_governance", "party_building"])],
    "environment_upkeep": [("巡查环境卫生和物业服务问题", ["environment", "property_services"])],
}
COMMON_LISTS = [f"common_{c}" for c, _ in CLASSES]
INDIVIDUAL = [
    ("individual_market", "集贸市场网格个性清单", "hazard_patrol",
     [("市场消防和食品安全巡查", ["fire_safety", "safety_production"])]),
    ("individual_old_compound", "老旧小区网格个性清单", "livelihood_services",
     [("老旧小区物业缺位事项代办", ["property_services", "housing"])]),
]
DUTY_LISTS = {
    "source": ("The 8 classes and the 16 work areas are counted in the source (共性、个性职责清单8类; "
               "16项重点工作); it names only 党的建设、综合治理、民生事项. Every other class, area, list "
               "and item name is assumed from common practice (marked assumed) and invented for this example."),
    "classes": [{"id": c, "name": n, "assumed": True} for c, n in CLASSES],
    "work_areas": [dict({"id": a, "name": n, "categories": cats}, **({"assumed": True} if assumed else {}))
                   for a, n, cats, assumed in WORK_AREAS],
    "lists": [{"id": f"common_{c}", "name": f"{n}共性清单", "class": c, "scope": "common",
               "items": [{"name": i, "areas": a} for i, a in COMMON_ITEMS[c]]} for c, n in CLASSES]
             + [{"id": i, "name": n, "class": c, "scope": "individual",
                 "items": [{"name": t, "areas": a} for t, a in items]} for i, n, c, items in INDIVIDUAL],
}
# What each volunteer team can do (its work areas), in turn.
TEAM_AREAS = [["livelihood", "health", "civil_affairs"], ["dispute_resolution", "petitions"],
              ["environment", "property_services"], ["safety_production", "fire_safety", "public_security"]]


def individual_lists(gw):
    """Every fifth grid has a market, every seventh an old compound without a property company."""
    return (["individual_market"] if gw % 5 == 0 else []) + (["individual_old_compound"] if gw % 7 == 0 else [])


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
            duties[-1]["lists"] = COMMON_LISTS + individual_lists(gw)
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
                      "grids": all_grids[gi:gi + size], "areas": TEAM_AREAS[(t - 1) % len(TEAM_AREAS)],
                      "members": 12 + next(rnd) % 19, "synthetic": True})
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
        "duty_lists": DUTY_LISTS,
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
        elif key == "duty_lists":
            lines.append(f" {json.dumps(key)}: {{")
            sub_keys = list(value)
            for k, sk in enumerate(sub_keys):
                sub_comma = "," if k + 1 < len(sub_keys) else ""
                if isinstance(value[sk], list):
                    lines.append(f"  {json.dumps(sk)}: [")
                    for j, item in enumerate(value[sk]):
                        item_comma = "," if j + 1 < len(value[sk]) else ""
                        lines.append("   " + json.dumps(item, ensure_ascii=False) + item_comma)
                    lines.append(f"  ]{sub_comma}")
                else:
                    lines.append(f"  {json.dumps(sk)}: {json.dumps(value[sk], ensure_ascii=False)}{sub_comma}")
            lines.append(f" }}{comma}")
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
