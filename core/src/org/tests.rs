//! Validation and query tests on small specs: one bad spec per rule, asserting the unit id
//! and the reason.

use serde_json::{Value, json};

use super::*;

fn base() -> Value {
    json!({
        "format": 1,
        "name": "test",
        "units": [
            {"id": "sd", "kind": "subdistrict", "name": "S"},
            {"id": "c1", "kind": "community", "parent": "sd", "name": "C1"},
            {"id": "x1", "kind": "compound", "parent": "c1", "name": "X1"},
            {"id": "g1", "kind": "grid", "parent": "x1", "name": "G1"},
            {"id": "m1", "kind": "micro_grid", "parent": "g1", "name": "M1", "households": 10},
            {"id": "m2", "kind": "micro_grid", "parent": "g1", "name": "M2", "households": 7},
            {"id": "b1", "kind": "building", "parent": "m2", "name": "B1"},
            {"id": "pw", "kind": "working_committee", "name": "PW", "anchored_to": ["sd"]},
            {"id": "pc", "kind": "community_party_committee", "parent": "pw", "name": "PC", "anchored_to": ["c1"]},
            {"id": "pb", "kind": "grid_party_branch", "parent": "pc", "name": "PB", "anchored_to": ["g1"]},
            {"id": "pg", "kind": "building_party_group", "parent": "pb", "name": "PG", "anchored_to": ["m1"]},
            {"id": "lh", "kind": "lead_household", "parent": "pg", "name": "LH", "anchored_to": ["m1"]}
        ],
        "people": [
            {"id": "w1", "name": "W1", "role": "grid_worker", "unit": "g1"},
            {"id": "w2", "name": "W2", "role": "grid_worker", "unit": "m2"},
            {"id": "cm", "name": "CM", "role": "committee_member", "unit": "c1"},
            {"id": "sec", "name": "SEC", "role": "committee_member", "unit": "c1"},
            {"id": "st", "name": "ST", "role": "office_staff", "unit": "sd"},
            {"id": "pol", "name": "POL", "role": "police", "unit": "po"}
        ],
        "duties": [
            {"person": "w1", "duty": "grid_worker", "unit": "g1"},
            {"person": "w2", "duty": "grid_worker", "unit": "m2"},
            {"person": "cm", "duty": "liaison", "unit": "g1"},
            {"person": "sec", "duty": "lead", "unit": "c1"},
            {"person": "st", "duty": "lead", "unit": "sd"}
        ],
        "offices": [
            {"id": "po", "kind": "police_work_office", "name": "P", "unit": "sd", "categories": ["property_crime"]}
        ],
        "volunteer_teams": [
            {"id": "t1", "name": "T", "grids": ["g1"], "members": 5}
        ]
    })
}

fn build(v: &Value) -> Result<OrgGraph, OrgError> {
    OrgGraph::from_json_str(&v.to_string())
}

fn units(v: &mut Value) -> &mut Vec<Value> {
    v["units"].as_array_mut().unwrap()
}

fn unit_mut<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    units(v).iter_mut().find(|u| u["id"] == id).unwrap()
}

/// Builds, expects failure, and returns the problems.
fn problems(v: &Value) -> Vec<OrgProblem> {
    match build(v) {
        Ok(_) => panic!("spec should be rejected"),
        Err(e) => e.problems().to_vec(),
    }
}

/// Asserts exactly one problem with this code and subject, and returns its message.
fn only_problem(v: &Value, code: &str, subject: &str) -> String {
    let ps = problems(v);
    assert_eq!(ps.len(), 1, "expected one problem, got {ps:#?}");
    let p = &ps[0];
    assert_eq!(p.code(), code, "{p}");
    assert_eq!(p.subject(), subject, "{p}");
    p.to_string()
}

#[test]
fn base_spec_is_valid() {
    let org = build(&base()).unwrap();
    assert_eq!(org.len(), 12);
    assert!(org.gaps().is_empty());
}

#[test]
fn unsupported_format() {
    let mut v = base();
    v["format"] = json!(2);
    let msg = only_problem(&v, "unsupported_format", "");
    assert!(msg.contains("format 2"), "{msg}");
}

#[test]
fn duplicate_unit_id() {
    let mut v = base();
    units(&mut v).push(json!({"id": "m1", "kind": "micro_grid", "parent": "g1", "name": "again"}));
    let msg = only_problem(&v, "duplicate_id", "m1");
    assert_eq!(msg, "duplicate unit id `m1`; ids must be unique");
}

#[test]
fn duplicate_person_office_and_team_ids() {
    let mut v = base();
    v["people"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "w1", "name": "again", "role": "volunteer", "unit": "g1"}));
    v["offices"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "g1", "kind": "judicial_office", "name": "clash", "categories": []}));
    v["volunteer_teams"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "t1", "name": "again", "grids": ["g1"]}));
    let ps = problems(&v);
    let got: Vec<_> = ps
        .iter()
        .map(|p| (p.code(), p.subject().to_owned()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("duplicate_id", "g1".to_owned()),
            ("duplicate_id", "w1".to_owned()),
            ("duplicate_id", "t1".to_owned()),
        ]
    );
    assert!(ps[0].to_string().contains("duplicate office id `g1`"));
}

#[test]
fn unknown_parent() {
    let mut v = base();
    unit_mut(&mut v, "x1")["parent"] = json!("nowhere");
    let ps = problems(&v);
    // The compound loses its place; nothing else is reported about it.
    assert_eq!(ps[0].code(), "unknown_parent");
    assert_eq!(ps[0].subject(), "x1");
    assert_eq!(
        ps[0].to_string(),
        "unit `x1` names parent `nowhere`, which is not a unit in the spec"
    );
}

#[test]
fn cycle() {
    let mut v = base();
    // g1 → m1 already; make g1 sit under m1 as well (kinds wrong too) and check the cycle.
    unit_mut(&mut v, "g1")["parent"] = json!("m1");
    let ps = problems(&v);
    let cycle = ps
        .iter()
        .find(|p| p.code() == "cycle")
        .expect("cycle reported");
    assert_eq!(cycle.subject(), "g1");
    assert_eq!(
        cycle.to_string(),
        "units `g1` → `m1` form a containment cycle; a unit cannot contain itself"
    );
    // The wrong kind of parent is reported too.
    assert!(
        ps.iter()
            .any(|p| p.code() == "wrong_parent_kind" && p.subject() == "g1")
    );
}

#[test]
fn self_loop_is_a_cycle() {
    let mut v = base();
    unit_mut(&mut v, "c1")["parent"] = json!("c1");
    let ps = problems(&v);
    assert!(
        ps.iter()
            .any(|p| p.code() == "cycle" && p.subject() == "c1"),
        "{ps:#?}"
    );
}

#[test]
fn micro_grid_directly_under_community_is_wrong_parent_kind() {
    let mut v = base();
    units(&mut v).push(json!({"id": "m9", "kind": "micro_grid", "parent": "c1", "name": "M9"}));
    let msg = only_problem(&v, "wrong_parent_kind", "m9");
    assert_eq!(
        msg,
        "unit `m9` is a micro_grid directly under community `c1`; a micro_grid must be under a grid"
    );
}

#[test]
fn grid_may_sit_in_compound_or_community_but_not_subdistrict() {
    let mut v = base();
    units(&mut v).push(json!({"id": "g2", "kind": "grid", "parent": "c1", "name": "G2"}));
    v["people"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "w9", "name": "W9", "role": "grid_worker", "unit": "g2"}));
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "w9", "duty": "grid_worker", "unit": "g2"}));
    build(&v).unwrap();
    unit_mut(&mut v, "g2")["parent"] = json!("sd");
    let msg = only_problem(&v, "wrong_parent_kind", "g2");
    assert!(
        msg.ends_with("a grid must be under a compound or a community"),
        "{msg}"
    );
}

#[test]
fn missing_parent() {
    let mut v = base();
    units(&mut v).push(json!({"id": "c9", "kind": "community", "name": "C9"}));
    let msg = only_problem(&v, "missing_parent", "c9");
    assert_eq!(
        msg,
        "unit `c9` is a community with no parent; a community must be under a subdistrict"
    );
}

#[test]
fn micro_grid_outside_any_grid() {
    let mut v = base();
    units(&mut v).push(json!({"id": "m9", "kind": "micro_grid", "name": "M9"}));
    let msg = only_problem(&v, "micro_grid_outside_grid", "m9");
    assert!(msg.contains("outside any grid"), "{msg}");
}

#[test]
fn grid_without_worker() {
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["person"] != "w1");
    let msg = only_problem(&v, "grid_without_worker", "g1");
    assert_eq!(
        msg,
        "grid `g1` has no grid worker; post one with a `grid_worker` duty"
    );
    // A worker posted only to a micro-grid does not answer for the grid.
}

#[test]
fn party_unit_anchored_to_nothing() {
    let mut v = base();
    unit_mut(&mut v, "pb")
        .as_object_mut()
        .unwrap()
        .remove("anchored_to");
    let msg = only_problem(&v, "unanchored_party_unit", "pb");
    assert!(msg.contains("must be built on a grid"), "{msg}");
}

#[test]
fn compound_not_covered_by_any_grid() {
    let mut v = base();
    units(&mut v).push(json!({"id": "x2", "kind": "compound", "parent": "c1", "name": "X2"}));
    let msg = only_problem(&v, "compound_without_grid", "x2");
    assert!(msg.contains("不留空白"), "{msg}");
}

#[test]
fn anchor_between_mismatched_kinds() {
    let mut v = base();
    unit_mut(&mut v, "pb")["anchored_to"] = json!(["m1"]);
    let ps = problems(&v);
    assert_eq!(ps[0].code(), "anchor_kind_mismatch");
    assert_eq!(ps[0].subject(), "pb");
    assert_eq!(
        ps[0].to_string(),
        "grid_party_branch `pb` is anchored to micro_grid `m1`; a grid_party_branch may only be anchored to a grid"
    );
}

#[test]
fn anchor_to_unknown_unit() {
    let mut v = base();
    unit_mut(&mut v, "pg")["anchored_to"] = json!(["m1", "ghost"]);
    let msg = only_problem(&v, "unknown_anchor", "pg");
    assert!(msg.contains("`ghost`"), "{msg}");
}

#[test]
fn anchor_on_territory() {
    let mut v = base();
    unit_mut(&mut v, "g1")["anchored_to"] = json!(["c1"]);
    only_problem(&v, "anchor_on_territory", "g1");
}

#[test]
fn anchor_outside_parent_territory() {
    let mut v = base();
    units(&mut v).push(json!({"id": "c2", "kind": "community", "parent": "sd", "name": "C2"}));
    units(&mut v).push(json!({"id": "x2", "kind": "compound", "parent": "c2", "name": "X2"}));
    units(&mut v).push(json!({"id": "g2", "kind": "grid", "parent": "x2", "name": "G2"}));
    v["people"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "w9", "name": "W9", "role": "grid_worker", "unit": "g2"}));
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "w9", "duty": "grid_worker", "unit": "g2"}));
    // Branch pb sits under committee pc (built on c1) but claims a grid in c2.
    unit_mut(&mut v, "pb")["anchored_to"] = json!(["g1", "g2"]);
    let msg = only_problem(&v, "anchor_outside_parent", "pb");
    assert_eq!(
        msg,
        "grid_party_branch `pb` is anchored to `g2`, which lies outside the territory of its parent `pc`"
    );
}

#[test]
fn households_only_on_grids_and_micro_grids() {
    let mut v = base();
    unit_mut(&mut v, "c1")["households"] = json!(3);
    only_problem(&v, "households_on_wrong_kind", "c1");
}

#[test]
fn person_in_unknown_unit() {
    let mut v = base();
    v["people"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "v1", "name": "V", "role": "volunteer", "unit": "nowhere"}));
    let msg = only_problem(&v, "unknown_person_unit", "v1");
    assert!(msg.contains("`nowhere`"), "{msg}");
}

#[test]
fn duty_for_unknown_person_or_unit() {
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "ghost", "duty": "liaison", "unit": "g1"}));
    only_problem(&v, "unknown_duty_person", "ghost");
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "cm", "duty": "liaison", "unit": "nowhere"}));
    only_problem(&v, "unknown_duty_unit", "cm");
}

#[test]
fn duty_for_wrong_kind_of_unit() {
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "cm", "duty": "liaison", "unit": "c1"}));
    let msg = only_problem(&v, "duty_unit_mismatch", "cm");
    assert_eq!(
        msg,
        "person `cm` has a `liaison` duty for community `c1`; a `liaison` duty is for a grid"
    );
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "w1", "duty": "grid_worker", "unit": "po"}));
    let msg = only_problem(&v, "duty_unit_mismatch", "w1");
    assert!(msg.contains("for office `po`"), "{msg}");
}

#[test]
fn duty_held_by_wrong_role() {
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "cm", "duty": "grid_worker", "unit": "m1"}));
    let msg = only_problem(&v, "duty_role_mismatch", "cm");
    assert_eq!(
        msg,
        "person `cm` is a committee_member and cannot hold a `grid_worker` duty; it needs a grid_worker"
    );
}

#[test]
fn office_must_serve_a_subdistrict() {
    let mut v = base();
    v["offices"][0]["unit"] = json!("c1");
    only_problem(&v, "office_unit_invalid", "po");
}

#[test]
fn team_must_serve_grids() {
    let mut v = base();
    v["volunteer_teams"][0]["grids"] = json!(["m1"]);
    only_problem(&v, "team_grid_invalid", "t1");
    let mut v = base();
    v["volunteer_teams"][0]["grids"] = json!([]);
    only_problem(&v, "team_without_grid", "t1");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let mut v = base();
    units(&mut v).push(json!({"id": "m9", "kind": "micro_grid", "parent": "c1", "name": "M9"}));
    units(&mut v).push(json!({"id": "x2", "kind": "compound", "parent": "c1", "name": "X2"}));
    unit_mut(&mut v, "pg")
        .as_object_mut()
        .unwrap()
        .remove("anchored_to");
    units(&mut v).push(json!({"id": "m1", "kind": "micro_grid", "parent": "g1", "name": "dup"}));
    let err = build(&v).unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.code(), p.subject()))
        .collect();
    assert_eq!(
        got,
        [
            ("duplicate_id", "m1"),
            ("wrong_parent_kind", "m9"),
            ("unanchored_party_unit", "pg"),
            ("compound_without_grid", "x2"),
        ]
    );
    let msg = err.to_string();
    assert!(msg.starts_with("org spec has 4 problems\n- "), "{msg}");
}

#[test]
fn unknown_fields_and_bad_values_are_parse_errors_with_position() {
    let mut v = base();
    unit_mut(&mut v, "g1")["colour"] = json!("red");
    let err = build(&v).unwrap_err();
    assert_eq!(err.code(), "org_parse");
    let msg = err.to_string();
    assert!(msg.contains("unknown field `colour`"), "{msg}");

    let err = OrgGraph::from_json_str(
        "{\"format\": 1,\n \"name\": \"x\",\n \"units\": [{\"id\": \"a b\"}]}",
    )
    .unwrap_err();
    match &err {
        OrgError::Parse { line, .. } => assert_eq!(*line, 3),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("not a valid unit id"), "{err}");

    let err = OrgGraph::from_json_str("{\"format\": 1, \"name\": \"x\", \"units\": [{\"id\": \"a\", \"kind\": \"village\", \"name\": \"v\"}]}").unwrap_err();
    assert!(
        err.to_string().contains("unknown variant `village`"),
        "{err}"
    );

    assert_eq!(OrgGraph::from_json_str("").unwrap_err().code(), "org_parse");
    assert_eq!(
        OrgGraph::from_json_str("[").unwrap_err().code(),
        "org_parse"
    );
    let deep = "[".repeat(10_000);
    assert_eq!(
        OrgGraph::from_json_str(&deep).unwrap_err().code(),
        "org_parse"
    );
}

#[test]
fn gaps_can_be_reported_instead_of_rejected() {
    let mut v = base();
    units(&mut v).push(json!({"id": "x2", "kind": "compound", "parent": "c1", "name": "X2"}));
    units(&mut v).push(json!({"id": "g2", "kind": "grid", "parent": "x1", "name": "G2"}));
    units(&mut v)
        .push(json!({"id": "pb2", "kind": "grid_party_branch", "parent": "pc", "name": "PB2"}));
    let org = OrgGraph::from_json_str_with(&v.to_string(), GapPolicy::Report).unwrap();
    let codes: Vec<_> = org.gaps().iter().map(OrgProblem::code).collect();
    assert_eq!(
        codes,
        [
            "unanchored_party_unit",
            "compound_without_grid",
            "grid_without_worker"
        ]
    );
    let cov = org.coverage();
    assert_eq!(cov.compounds_without_grid, ["x2"]);
    assert_eq!(cov.unanchored_party_units, ["pb2"]);
    assert_eq!(cov.grids_without_party_branch, ["g2"]);
    assert_eq!(cov.grids_without_liaison, ["g2"]);
    // g2 has no grid worker; its community level falls back to the community lead.
    let gaps: Vec<_> = cov
        .without_duty_holder
        .iter()
        .map(|g| (g.unit.as_str(), g.level))
        .collect();
    assert_eq!(gaps, [("g2", Level::Grid)]);
    // Micro-grid m2 has no party group on it (pg is built on m1 only).
    assert_eq!(cov.micro_grids_without_party_group, ["m2"]);
}

#[test]
fn building_party_group_on_a_building_covers_its_micro_grid() {
    let mut v = base();
    units(&mut v).push(json!({"id": "pg2", "kind": "building_party_group", "parent": "pb", "name": "PG2", "anchored_to": ["b1"]}));
    let org = build(&v).unwrap();
    assert!(org.coverage().micro_grids_without_party_group.is_empty());
}

#[test]
fn queries_on_the_small_spec() {
    let org = build(&base()).unwrap();
    let ids = |v: Vec<&UnitSpec>| v.into_iter().map(|u| u.id.to_string()).collect::<Vec<_>>();
    assert_eq!(org.parent("g1").unwrap().unwrap().id, "x1");
    assert!(org.parent("sd").unwrap().is_none());
    assert_eq!(ids(org.children("g1").unwrap()), ["m1", "m2"]);
    assert_eq!(
        ids(org.ancestors("b1").unwrap()),
        ["m2", "g1", "x1", "c1", "sd"]
    );
    assert_eq!(
        ids(org.descendants_of_kind("sd", UnitKind::MicroGrid).unwrap()),
        ["m1", "m2"]
    );
    assert!(
        org.descendants_of_kind("m1", UnitKind::MicroGrid)
            .unwrap()
            .is_empty()
    );
    assert!(org.contains("sd", "b1").unwrap());
    assert!(org.contains("g1", "g1").unwrap());
    assert!(!org.contains("m1", "b1").unwrap());
    assert!(!org.contains("b1", "g1").unwrap());
    assert!(org.contains("pw", "lh").unwrap());
    assert!(
        !org.contains("pb", "m1").unwrap(),
        "anchoring is not containment"
    );
    assert_eq!(
        org.contains("sd", "nope").unwrap_err(),
        LookupError::UnknownUnit("nope".into())
    );

    assert_eq!(
        org.unit_at_level("b1", Level::MicroGrid)
            .unwrap()
            .unwrap()
            .id,
        "m2"
    );
    assert_eq!(
        org.unit_at_level("m1", Level::Grid).unwrap().unwrap().id,
        "g1"
    );
    assert_eq!(
        org.unit_at_level("m1", Level::Community)
            .unwrap()
            .unwrap()
            .id,
        "c1"
    );
    assert_eq!(
        org.unit_at_level("m1", Level::Subdistrict)
            .unwrap()
            .unwrap()
            .id,
        "sd"
    );
    assert!(
        org.unit_at_level("m1", Level::Department)
            .unwrap()
            .is_none()
    );
    assert!(org.unit_at_level("g1", Level::MicroGrid).unwrap().is_none());
    let err = org.unit_at_level("pb", Level::Grid).unwrap_err();
    assert_eq!(err.code(), "wrong_kind");

    // Micro-grid m2 has its own worker; m1 falls back to the grid's.
    let holder = |u: &str, l: Level| org.duty_holder(u, l).unwrap().map(|p| p.id.to_string());
    assert_eq!(holder("m2", Level::MicroGrid).as_deref(), Some("w2"));
    assert_eq!(holder("m1", Level::MicroGrid).as_deref(), Some("w1"));
    assert_eq!(holder("m2", Level::Grid).as_deref(), Some("w1"));
    assert_eq!(holder("m1", Level::Community).as_deref(), Some("cm"));
    assert_eq!(holder("c1", Level::Community).as_deref(), Some("sec"));
    assert_eq!(holder("m1", Level::Subdistrict).as_deref(), Some("st"));
    assert_eq!(holder("m1", Level::Department), None);
    assert_eq!(org.office_holder("po").unwrap().unwrap().id, "pol");
    assert_eq!(
        org.office_holder("zz").unwrap_err().code(),
        "unknown_office"
    );

    assert_eq!(ids(org.anchors("pb").unwrap()), ["g1"]);
    assert_eq!(ids(org.anchored_party_units("m1").unwrap()), ["pg", "lh"]);
    assert_eq!(
        org.party_unit_over("b1", UnitKind::GridPartyBranch)
            .unwrap()
            .unwrap()
            .id,
        "pb"
    );
    assert!(
        org.party_unit_over("b1", UnitKind::BuildingPartyGroup)
            .unwrap()
            .is_none()
    );
    assert_eq!(org.households("g1").unwrap(), 17);
    assert_eq!(org.households("m1").unwrap(), 10);
    assert_eq!(org.offices_taking("property_crime").count(), 1);
    assert_eq!(org.volunteer_teams_of("g1").count(), 1);
}

#[test]
fn liaison_falls_back_to_community_lead() {
    let mut v = base();
    v["duties"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["duty"] != "liaison");
    let org = build(&v).unwrap();
    assert_eq!(
        org.duty_holder("m1", Level::Community).unwrap().unwrap().id,
        "sec"
    );
    assert_eq!(org.coverage().grids_without_liaison, ["g1"]);
}

#[test]
fn first_duty_in_spec_order_wins() {
    let mut v = base();
    v["people"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "w3", "name": "W3", "role": "grid_worker", "unit": "g1"}));
    v["duties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person": "w3", "duty": "grid_worker", "unit": "g1"}));
    let org = build(&v).unwrap();
    assert_eq!(
        org.duty_holder("g1", Level::Grid).unwrap().unwrap().id,
        "w1"
    );
}

#[test]
fn fushan_counts_match_the_source_document() {
    let org = OrgGraph::fushan();
    let c = org.counts();
    let n = |k: UnitKind| c.units[&k];
    assert_eq!(n(UnitKind::Subdistrict), 1);
    assert_eq!(n(UnitKind::Community), 12);
    assert_eq!(n(UnitKind::Compound), 69);
    assert_eq!(n(UnitKind::Grid), 150);
    assert_eq!(n(UnitKind::MicroGrid), 382);
    assert_eq!(n(UnitKind::WorkingCommittee), 1);
    assert_eq!(n(UnitKind::CommunityPartyCommittee), 12);
    assert_eq!(n(UnitKind::GridPartyBranch), 100);
    assert_eq!(n(UnitKind::BuildingPartyGroup), 214);
    assert_eq!(n(UnitKind::LeadHousehold), 435);
    assert_eq!(c.volunteer_teams, 21);
    assert_eq!(c.offices, 5);
    let kinds: Vec<_> = org.spec().offices.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        [
            OfficeKind::PoliceWorkOffice,
            OfficeKind::JudicialOffice,
            OfficeKind::PetitionsOffice,
            OfficeKind::ComprehensiveGovernanceOffice,
            OfficeKind::DutyLawyerDesk
        ]
    );
    // A grid worker for every grid.
    for g in org.units_of_kind(UnitKind::Grid) {
        let w = org
            .duty_holder(g.id.as_str(), Level::Grid)
            .unwrap()
            .unwrap();
        assert_eq!(w.role, Role::GridWorker, "{}", g.id);
    }
    assert_eq!(c.levels[&Level::Grid], 150);
    assert_eq!(c.levels[&Level::MicroGrid], 382);
}

#[test]
fn fushan_named_communities_carry_real_names_and_brands() {
    let org = OrgGraph::fushan();
    let brand = |id: &str| {
        let u = org.unit(id).unwrap();
        assert!(!u.synthetic, "{id} is real");
        (u.name.as_str(), u.brand.as_ref().unwrap().name.as_str())
    };
    assert_eq!(brand("fs-c01"), ("铁西社区", "红管家"));
    assert_eq!(brand("fs-c02"), ("石家庄社区", "红色物业党建联盟"));
    assert_eq!(brand("fs-c03"), ("海悦社区", "“12365”党建综合体"));
    for c in org.units_of_kind(UnitKind::Community).skip(3) {
        assert!(c.synthetic, "{} must be marked synthetic", c.id);
        assert!(c.brand.is_none());
    }
    assert!(
        org.spec()
            .people
            .iter()
            .all(|p| p.synthetic && p.name.contains("示例"))
    );
}

#[test]
fn fushan_coverage_is_complete() {
    let org = OrgGraph::fushan();
    assert_eq!(org.coverage(), CoverageReport::default());
}

mod map {
    use super::*;
    use crate::spatial::Crs;

    fn rect(unit: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
        json!({"type": "Feature", "properties": {"unit": unit}, "geometry": {"type": "Polygon",
            "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}})
    }

    /// The base org with g1 = [117.00, 117.02] × [35.00, 35.01] split into m1 and m2.
    fn mapped(features: Vec<Value>) -> Value {
        let mut v = base();
        v["map"] =
            json!({"crs": "wgs84", "areas": {"type": "FeatureCollection", "features": features}});
        v
    }

    fn good() -> Vec<Value> {
        vec![
            rect("g1", 117.00, 35.00, 117.02, 35.01),
            rect("m1", 117.00, 35.00, 117.01, 35.01),
            rect("m2", 117.01, 35.00, 117.02, 35.01),
        ]
    }

    fn problems(v: &Value) -> Vec<(String, String, String)> {
        match build(v) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .problems()
                .iter()
                .map(|p| (p.code().to_owned(), p.subject().to_owned(), p.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_clean_tiling_builds_and_locates() {
        let org = build(&mapped(good())).unwrap();
        let at = org.locate(117.005, 35.005, Crs::Wgs84).unwrap();
        assert_eq!(at.micro_grid.unwrap().id, "m1");
        assert_eq!(at.grid.unwrap().id, "g1");
        assert_eq!(at.community.unwrap().id, "c1");
        // On the shared edge: the first in the spec, every time.
        assert_eq!(
            org.locate(117.01, 35.005, Crs::Wgs84)
                .unwrap()
                .micro_grid
                .unwrap()
                .id,
            "m1"
        );
        // The same place given in GCJ-02 lands in the same micro-grid.
        let (gx, gy) = Crs::Wgs84.convert(Crs::Gcj02, 117.015, 35.005);
        assert_eq!(
            org.locate(gx, gy, Crs::Gcj02)
                .unwrap()
                .micro_grid
                .unwrap()
                .id,
            "m2"
        );
        let err = org.locate(117.03, 35.005, Crs::Wgs84).unwrap_err();
        assert_eq!(err.code(), "outside_map");
        assert!(
            err.to_string().contains("the nearest is `m2`, about 9"),
            "{err}"
        );
        assert_eq!(
            org.locate(200.0, 35.0, Crs::Wgs84).unwrap_err().code(),
            "bad_point"
        );
        assert_eq!(
            build(&base())
                .unwrap()
                .locate(117.0, 35.0, Crs::Wgs84)
                .unwrap_err()
                .code(),
            "no_map"
        );
    }

    #[test]
    fn overlap_is_refused_naming_both() {
        let mut f = good();
        f[2] = rect("m2", 117.008, 35.00, 117.02, 35.01);
        let p = problems(&mapped(f));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0.as_str(), p[0].1.as_str()), ("area_overlap", "m1"));
        assert!(
            p[0].2.contains("`m1` and `m2` overlap by about 20"),
            "{}",
            p[0].2
        );
    }

    #[test]
    fn outside_its_parent_is_refused() {
        let mut f = good();
        f[2] = rect("m2", 117.01, 35.00, 117.03, 35.01);
        let p = problems(&mapped(f));
        assert_eq!(p[0].0, "area_outside_parent", "{p:?}");
        assert!(
            p[0].2.contains("`m2` reaches about 101") && p[0].2.contains("outside its parent `g1`"),
            "{}",
            p[0].2
        );
    }

    #[test]
    fn blank_ground_and_a_missing_micro_grid_are_gaps() {
        let mut f = good();
        f[2] = rect("m2", 117.01, 35.00, 117.015, 35.01);
        let p = problems(&mapped(f.clone()));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0.as_str(), p[0].1.as_str()), ("area_gap", "g1"));
        assert!(
            p[0].2.contains("inside `g1`") && p[0].2.contains("不留空白"),
            "{}",
            p[0].2
        );
        // Under the reporting policy the gap is accepted and listed.
        let org = OrgGraph::from_json_str_with(&mapped(f).to_string(), GapPolicy::Report).unwrap();
        assert_eq!(org.gaps()[0].code(), "area_gap");

        let p = problems(&mapped(vec![good()[0].clone(), good()[1].clone()]));
        let codes: Vec<&str> = p.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(codes, ["area_gap", "missing_area"], "{p:?}");
        assert_eq!(p[1].1, "m2");
    }

    #[test]
    fn a_hole_between_micro_grids_of_a_grid_without_an_area_is_a_gap() {
        let ring = json!({"type": "Feature", "properties": {"unit": "m1"}, "geometry": {"type": "Polygon",
            "coordinates": [[[117.0, 35.0], [117.03, 35.0], [117.03, 35.03], [117.0, 35.03], [117.0, 35.0]],
                            [[117.01, 35.01], [117.01, 35.02], [117.02, 35.02], [117.02, 35.01], [117.01, 35.01]]]}});
        let p = problems(&mapped(vec![
            ring.clone(),
            rect("m2", 117.012, 35.012, 117.018, 35.018),
        ]));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0.as_str(), p[0].1.as_str()), ("area_gap", "g1"));
        // Filled exactly, there is no gap.
        assert!(
            problems(&mapped(vec![
                ring,
                rect("m2", 117.01, 35.01, 117.02, 35.02)
            ]))
            .is_empty()
        );
    }

    #[test]
    fn bad_areas_are_named() {
        let cases = [
            (
                json!({"type": "Feature", "properties": {}, "geometry": null}),
                "",
                "has no `properties.unit`",
            ),
            (
                rect("nowhere", 117.0, 35.0, 117.01, 35.01),
                "nowhere",
                "not in the spec",
            ),
            (
                rect("pb", 117.0, 35.0, 117.01, 35.01),
                "pb",
                "is for a grid_party_branch",
            ),
            (
                rect("b1", 117.0, 35.0, 117.01, 35.01),
                "b1",
                "is for a building",
            ),
            (
                json!({"type": "Feature", "properties": {"unit": "m1"}, "geometry": {"type": "Point", "coordinates": [117.0, 35.0]}}),
                "m1",
                "is a Point",
            ),
            (
                rect("m1", 117.0, 35.0, 117.01, 95.0),
                "m1",
                "latitude in [-90, 90]",
            ),
        ];
        for (feature, unit, reason) in cases {
            let mut f = good();
            f.push(feature);
            let p = problems(&mapped(f));
            assert_eq!(p[0].0, "bad_area", "{p:?}");
            assert_eq!(p[0].1, unit);
            assert!(p[0].2.contains(reason), "{} lacks {reason}", p[0].2);
        }
        let mut f = good();
        f.push(rect("m1", 117.0, 35.0, 117.01, 35.01));
        assert!(problems(&mapped(f))[0].2.contains("repeats a unit"));
    }

    #[test]
    fn a_self_crossing_ring_is_refused() {
        let mut f = good();
        f[1] = json!({"type": "Feature", "properties": {"unit": "m1"}, "geometry": {"type": "Polygon",
            "coordinates": [[[117.0, 35.0], [117.01, 35.01], [117.01, 35.0], [117.0, 35.01], [117.0, 35.0]]]}});
        let p = problems(&mapped(f));
        assert_eq!(
            (p[0].0.as_str(), p[0].1.as_str()),
            ("invalid_area", "m1"),
            "{p:?}"
        );
    }

    #[test]
    fn an_unknown_crs_is_a_parse_error() {
        let mut v = mapped(good());
        v["map"]["crs"] = json!("utm50");
        let err = build(&v).unwrap_err();
        assert_eq!(err.code(), "org_parse");
        assert!(err.to_string().contains("wgs84"), "{err}");
    }

    #[test]
    fn fushan_is_on_the_map_without_a_gap() {
        let org = OrgGraph::fushan();
        let map = org.map().unwrap();
        assert_eq!(map.crs(), Crs::Gcj02);
        assert!(map.synthetic());
        assert_eq!(map.micro_grids().len(), 382);
        assert_eq!(map.areas().count(), 382 + 150 + 12);
        assert!(org.gaps().is_empty());
        // The centre of every micro-grid's rectangle locates to it.
        for (k, shape) in map.micro_grids().shapes() {
            let r = geo::BoundingRect::bounding_rect(shape).unwrap();
            let c = r.center();
            let at = org.locate(c.x, c.y, Crs::Gcj02).unwrap();
            assert_eq!(at.micro_grid_key.index(), k as usize);
        }
    }
}

/// The deflated spec the library carries inflates to the checked-in file, byte for byte.
#[test]
fn the_embedded_fushan_spec_is_the_checked_in_file() {
    assert_eq!(super::fushan_json(), include_str!("../../data/fushan.json"));
}

/// The index of which office takes a category where gives what reading every office in
/// spec order gives, for every unit and category: on Fushan, and on Fushan with a second
/// subdistrict, city-wide offices before and after the subdistricts' own, and a second
/// office of a subdistrict for a category it already has one for.
#[test]
fn the_office_index_is_the_scan_of_every_office() {
    let fushan = OrgGraph::fushan();
    let mut doc = serde_json::to_value(fushan.spec()).unwrap();
    let units = doc["units"].as_array_mut().unwrap();
    units.extend([
        json!({"id": "sd2", "kind": "subdistrict", "name": "SD2"}),
        json!({"id": "sd2-c1", "kind": "community", "parent": "sd2", "name": "C"}),
        json!({"id": "sd2-x1", "kind": "compound", "parent": "sd2-c1", "name": "X"}),
        json!({"id": "sd2-g1", "kind": "grid", "parent": "sd2-x1", "name": "G"}),
        json!({"id": "sd2-m1", "kind": "micro_grid", "parent": "sd2-g1", "name": "M", "households": 5}),
    ]);
    let office = |id: &str, kind: &str, unit: Option<&str>, categories: &[&str]| {
        let mut o = json!({"id": id, "kind": kind, "name": id, "categories": categories});
        if let Some(u) = unit {
            o["unit"] = json!(u);
        }
        o
    };
    let offices = doc["offices"].as_array_mut().unwrap();
    offices.insert(
        0,
        office("city-petitions", "petitions_office", None, &["petition"]),
    );
    offices.extend([
        office(
            "sd2-police",
            "police_work_office",
            Some("sd2"),
            &["public_security", "livelihood"],
        ),
        office(
            "city-judicial",
            "judicial_office",
            None,
            &["neighbour_dispute", "livelihood"],
        ),
        office(
            "fs-second",
            "police_work_office",
            Some("fs"),
            &["public_security", "livelihood"],
        ),
        office("sd2-only", "duty_lawyer_desk", Some("sd2"), &["sd2_only"]),
    ]);
    let spec: OrgSpec = serde_json::from_value(doc).unwrap();
    let varied = OrgGraph::from_spec_with(spec, GapPolicy::Report).unwrap();
    for org in [&fushan, &varied] {
        let mut categories: Vec<&str> = org
            .spec()
            .offices
            .iter()
            .flat_map(|o| o.categories.iter().map(crate::id::Category::as_str))
            .collect();
        categories.extend(["livelihood", "no_such_category"]);
        let units = u32::try_from(org.spec().units.len()).unwrap();
        let mut found = 0;
        for k in 0..units {
            for c in &categories {
                let want = org.office_taking_by_scan(UnitKey(k), c);
                assert_eq!(org.office_taking(UnitKey(k), c), want, "unit {k}, {c}");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 0);
    }
    let name = |unit: &str, category: &str| {
        let at = varied.key(unit).unwrap();
        varied
            .office_taking(at, category)
            .map(|i| varied.office_at(i).unwrap().id.as_str().to_owned())
    };
    // The city-wide office first in order wins over the subdistrict's own.
    assert_eq!(
        name("fs-c01-g01-m1", "petition").as_deref(),
        Some("city-petitions")
    );
    // Each subdistrict's own office, before a later city-wide one; then the city-wide.
    assert_eq!(name("sd2-m1", "livelihood").as_deref(), Some("sd2-police"));
    assert_eq!(
        name("fs-c01-g01-m1", "livelihood").as_deref(),
        Some("city-judicial")
    );
    // An office of the other subdistrict serves no one here.
    assert_eq!(name("fs-c01-g01-m1", "sd2_only"), None);
    assert_eq!(name("sd2-m1", "sd2_only").as_deref(), Some("sd2-only"));
}

/// The table of id texts gives every unit's, person's and office's own id, and nothing
/// past the end.
#[test]
fn the_id_texts_are_the_ids() {
    let org = super::OrgGraph::fushan();
    let spec = org.spec();
    for (i, u) in spec.units.iter().enumerate() {
        let key = org.key(u.id.as_str()).unwrap();
        assert_eq!(org.unit_id_text(key), Some(u.id.as_str()), "unit {i}");
    }
    for (i, p) in spec.people.iter().enumerate() {
        assert_eq!(
            org.person_id_text(i as u32),
            Some(p.id.as_str()),
            "person {i}"
        );
    }
    for (i, o) in spec.offices.iter().enumerate() {
        assert_eq!(
            org.office_id_text(i as u32),
            Some(o.id.as_str()),
            "office {i}"
        );
    }
    assert_eq!(org.person_id_text(spec.people.len() as u32), None);
    assert_eq!(org.office_id_text(spec.offices.len() as u32), None);
}
