//! Every row of the default rule set, asserted by hand on the Fushan defaults, with each
//! threshold tested on both sides (>= vs >), the version switch at `effective_from`, and
//! how the modifiers table merges with routing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::sync::LazyLock;

use gridgov::Engine;
use serde_json::{Value, json};

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::fushan);

/// Routes a case built from defaults plus `extra`, returning the decision's JSON view.
fn decide(extra: Value) -> Value {
    let mut c = json!({
        "id": "t1",
        "channel": "app",
        "category": "neighbour_dispute",
        "location": "fs-c04-g03-m2",
        "reported_at": "2026-03-02T09:00:00+08:00"
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    let out = gridgov::json::route_json_with(&ENGINE, &c.to_string(), true)
        .unwrap_or_else(|e| panic!("{c}: {e}"));
    serde_json::from_str(&out).unwrap()
}

fn row(d: &Value) -> &str {
    d["rule"]["row"].as_str().unwrap()
}

fn level(d: &Value) -> &str {
    d["level"].as_str().unwrap()
}

fn flags(d: &Value) -> Vec<&str> {
    d["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

fn co_offices(d: &Value) -> Vec<&str> {
    d["co_offices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

#[test]
fn mass_matters_go_to_the_subdistrict_for_joint_consultation() {
    let d = decide(json!({"people_involved": 30}));
    assert_eq!(row(&d), "mass");
    assert_eq!(level(&d), "subdistrict");
    assert_eq!(d["unit"], "fs");
    assert_eq!(d["grade"], "critical");
    assert_eq!(d["office"], "comprehensive_governance_office");
    assert_eq!(co_offices(&d), ["petitions_office", "judicial_office"]);
    assert_eq!(d["handler"], "fs-comprehensive_governance_office-1");
    assert_eq!(flags(&d), ["joint_consultation"]);
    // The most serious grade counts natural time: 24 hours, weekends included.
    assert_eq!(d["time_limit"], "24 hours");
    assert_eq!(d["due"], "2026-03-03T09:00:00+08:00");
    // One fewer person is a community matter.
    let d = decide(json!({"people_involved": 29}));
    assert_eq!(row(&d), "dispute-community-people");
}

#[test]
fn property_crime_goes_to_the_police_work_office() {
    let d = decide(json!({"category": "property_crime"}));
    assert_eq!(row(&d), "property-crime");
    assert_eq!(level(&d), "department");
    assert_eq!(d["unit"], Value::Null);
    assert_eq!(d["office"], "police_work_office");
    assert_eq!(d["handler_role"], "police");
    assert_eq!(d["time_limit"], "1 working day");
    // Thirty people turn it into a mass matter.
    assert_eq!(
        row(&decide(
            json!({"category": "property_crime", "people_involved": 30})
        )),
        "mass"
    );
}

#[test]
fn public_security_goes_to_the_police_work_office() {
    let d = decide(json!({"category": "public_security", "people_involved": 3}));
    assert_eq!(row(&d), "public-security");
    assert_eq!(d["office"], "police_work_office");
}

#[test]
fn legal_disputes_by_amount() {
    // Below 10,000 yuan a debt dispute stays in the grid.
    let d = decide(json!({"category": "debt_dispute", "amount_yuan": "9999.99"}));
    assert_eq!(row(&d), "dispute-grid");
    // From 10,000 yuan the duty lawyer takes it, the community follows.
    let d = decide(json!({"category": "debt_dispute", "amount_yuan": 10000}));
    assert_eq!(row(&d), "legal-lawyer");
    assert_eq!(level(&d), "community");
    assert_eq!(d["unit"], "fs-c04");
    assert_eq!(d["office"], "duty_lawyer_desk");
    assert_eq!(d["handler"], "fs-duty_lawyer_desk-1");
    assert_eq!(flags(&d), ["litigation_guidance"]);
    let d = decide(json!({"category": "labour_wage", "amount_yuan": "499999.99"}));
    assert_eq!(row(&d), "legal-lawyer");
    // From 500,000 yuan the judicial office leads with the duty lawyer.
    let d = decide(json!({"category": "labour_wage", "amount_yuan": "500000.00"}));
    assert_eq!(row(&d), "legal-major");
    assert_eq!(level(&d), "subdistrict");
    assert_eq!(d["grade"], "major");
    assert_eq!(d["office"], "judicial_office");
    assert_eq!(co_offices(&d), ["duty_lawyer_desk"]);
    assert_eq!(d["time_limit"], "10 working days");
}

#[test]
fn petitions() {
    let d = decide(json!({"category": "petition", "channel": "petition", "people_involved": 4}));
    assert_eq!(row(&d), "petition");
    assert_eq!(level(&d), "community");
    assert_eq!(d["handler_role"], "committee_member");
    // A petition follows the petition procedure: its first deadline is the decision on
    // acceptance, 15 calendar days from receipt (the routing row's 60 days is the
    // handling limit, counted from acceptance).
    assert_eq!(flags(&d), ["petition_procedure"]);
    assert_eq!(d["time_limit"], "15 days");
    assert_eq!(d["due"], "2026-03-18T00:00:00+08:00");
    let d = decide(json!({"category": "petition", "channel": "petition", "people_involved": 5}));
    assert_eq!(row(&d), "petition-prominent");
    assert_eq!(d["office"], "petitions_office");
    assert_eq!(
        co_offices(&d),
        ["comprehensive_governance_office", "judicial_office"]
    );
    assert_eq!(flags(&d), ["joint_consultation", "petition_procedure"]);
    // Five people petitioning about housing: prominent too, whatever the category.
    let d = decide(json!({"category": "housing", "channel": "petition", "people_involved": 5}));
    assert_eq!(row(&d), "petition-prominent-channel");
    assert_eq!(d["office"], "petitions_office");
}

#[test]
fn disputes_by_people() {
    let d = decide(json!({"people_involved": 4}));
    assert_eq!(row(&d), "dispute-grid");
    assert_eq!(level(&d), "grid");
    assert_eq!(d["unit"], "fs-c04-g03");
    assert_eq!(d["handler_role"], "grid_worker");
    assert_eq!(d["grade"], "minor");
    let d = decide(json!({"people_involved": 5}));
    assert_eq!(row(&d), "dispute-community-people");
    assert_eq!(level(&d), "community");
    // The liaison committee member of grid fs-c04-g03 (third grid → third member).
    assert_eq!(d["handler"], "fs-cm04-3");
    let d =
        decide(json!({"category": "debt_dispute", "people_involved": 5, "amount_yuan": "9999.99"}));
    assert_eq!(row(&d), "debt-community-people");
    let d = decide(json!({"category": "debt_dispute", "people_involved": 5, "amount_yuan": 10000}));
    assert_eq!(row(&d), "legal-lawyer");
}

#[test]
fn disputes_by_amount() {
    let d = decide(json!({"category": "property_management", "amount_yuan": "9999.99"}));
    assert_eq!(row(&d), "dispute-grid");
    let d = decide(json!({"category": "property_management", "amount_yuan": "10000"}));
    assert_eq!(row(&d), "dispute-community-amount");
    assert_eq!(level(&d), "community");
}

#[test]
fn hazards_are_checked_within_four_working_hours() {
    let d =
        decide(json!({"category": "safety_hazard", "attributes": {"hazard_type": "electrical"}}));
    assert_eq!(row(&d), "hazard");
    assert_eq!(level(&d), "grid");
    assert_eq!(d["time_limit"], "4 working hours");
    // 09:00-12:00 is three working hours; the fourth runs 14:00-15:00.
    assert_eq!(d["due"], "2026-03-02T15:00:00+08:00");
    // Gas raises it to the community, with early intervention.
    let d = decide(json!({"category": "safety_hazard", "attributes": {"hazard_type": "gas"}}));
    assert_eq!(row(&d), "gas-or-fire");
    assert_eq!(level(&d), "community");
    assert_eq!(flags(&d), ["early_intervention"]);
    // The hazard type is required.
    let err = gridgov::json::route_json(
        &ENGINE,
        r#"{"id":"h","channel":"visit","category":"safety_hazard","location":"fs-c04-g03-m2","reported_at":"2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "case `h`: field `attributes.hazard_type`: is required for category `safety_hazard` (singlevaluelist)"
    );
}

#[test]
fn livelihood_and_environment() {
    let d = decide(json!({"category": "livelihood", "people_involved": 4}));
    assert_eq!(row(&d), "livelihood-micro");
    assert_eq!(level(&d), "micro_grid");
    assert_eq!(d["unit"], "fs-c04-g03-m2");
    // The micro-grid leader (微网格长, a party-member lead household) handles it first,
    // with the grid worker following.
    assert_eq!(d["handler_role"], "party_member");
    assert_eq!(d["following"], "fs-gw051");
    assert!(d.get("warnings").is_none());
    let d = decide(json!({"category": "environment", "people_involved": 5}));
    assert_eq!(row(&d), "livelihood-grid-people");
    assert_eq!(level(&d), "grid");
    let d = decide(json!({"category": "environment", "amount_yuan": 10000}));
    assert_eq!(row(&d), "livelihood-grid-amount");
    let d = decide(json!({"category": "environment", "amount_yuan": "9999.99"}));
    assert_eq!(row(&d), "livelihood-micro");
}

#[test]
fn services_party_building_governance_and_other() {
    for (category, expected, limit) in [
        ("health_care", "services", "3 working days"),
        ("medical_insurance", "services", "3 working days"),
        ("housing", "services", "3 working days"),
        ("party_building", "party-building", "5 working days"),
        ("comprehensive_governance", "governance", "3 working days"),
        ("other", "other", "3 working days"),
    ] {
        let d = decide(json!({"category": category}));
        assert_eq!(row(&d), expected, "{category}");
        assert_eq!(level(&d), "grid", "{category}");
        assert_eq!(d["time_limit"], limit, "{category}");
    }
}

#[test]
fn a_third_report_goes_to_the_community_with_a_long_term_mechanism() {
    let d = decide(json!({"repeat_count": 1}));
    assert_eq!(row(&d), "dispute-grid");
    assert!(flags(&d).is_empty());
    let d = decide(json!({"repeat_count": 2}));
    assert_eq!(row(&d), "third-report");
    assert_eq!(level(&d), "community");
    assert_eq!(flags(&d), ["long_term_mechanism"]);
    assert_eq!(d["time_limit"], "5 working days");
    // A case already above community level keeps its level and gains the flag.
    let d = decide(json!({"category": "property_crime", "repeat_count": 3}));
    assert_eq!(row(&d), "property-crime");
    assert_eq!(flags(&d), ["long_term_mechanism"]);
    // A repeated petition is a prominent petition problem: joint consultation at the
    // subdistrict, not the community's long-term mechanism alone.
    let d = decide(json!({"category": "petition", "repeat_count": 1}));
    assert_eq!(row(&d), "petition-repeat");
    assert_eq!(level(&d), "subdistrict");
    assert_eq!(flags(&d), ["joint_consultation", "petition_procedure"]);
    let d = decide(json!({"category": "petition", "repeat_count": 2}));
    assert_eq!(row(&d), "petition-repeat");
    assert_eq!(
        flags(&d),
        [
            "joint_consultation",
            "long_term_mechanism",
            "petition_procedure"
        ]
    );
}

#[test]
fn risk_flags_raise_the_level() {
    let d = decide(json!({"risk_flags": ["mass_incident"]}));
    assert_eq!(row(&d), "mass-risk");
    assert_eq!(level(&d), "subdistrict");
    assert_eq!(d["grade"], "critical");
    assert_eq!(d["time_limit"], "30 minutes");
    assert_eq!(flags(&d), ["joint_consultation", "early_intervention"]);
    let d = decide(json!({"risk_flags": ["extreme_behaviour"]}));
    assert_eq!(row(&d), "mass-risk");
    let d = decide(json!({"risk_flags": ["public_safety"]}));
    assert_eq!(row(&d), "public-safety-risk");
    assert_eq!(d["office"], "comprehensive_governance_office");
    let d = decide(json!({"risk_flags": ["vulnerable_person"]}));
    assert_eq!(row(&d), "dispute-grid");
    assert_eq!(flags(&d), ["early_intervention"]);
    // media_attention is recorded but changes nothing by default.
    assert_eq!(
        row(&decide(json!({"risk_flags": ["media_attention"]}))),
        "dispute-grid"
    );
}

#[test]
fn the_lawyer_desk_joins_cases_raised_there() {
    let d = decide(json!({"channel": "lawyer_desk"}));
    assert_eq!(row(&d), "dispute-grid");
    assert_eq!(d["office"], Value::Null);
    assert_eq!(d["handler_role"], "grid_worker");
    assert_eq!(co_offices(&d), ["duty_lawyer_desk"]);
    assert_eq!(flags(&d), ["litigation_guidance"]);
}

#[test]
fn shijiazhuang_takes_property_matters_at_community_level() {
    let d = decide(json!({"category": "property_management", "location": "fs-c02-g01-m1"}));
    assert_eq!(row(&d), "shijiazhuang-property");
    assert_eq!(d["unit"], "fs-c02");
    assert_eq!(d["unit_name"], "石家庄社区");
    let d = decide(json!({"category": "property_management", "location": "fs-c01-g01-m1"}));
    assert_eq!(row(&d), "dispute-grid");
}

#[test]
fn the_version_in_force_switches_at_effective_from() {
    // 6 people: a grid matter under 2025 practice (threshold 10), a community one in 2026.
    let d = decide(json!({"people_involved": 6, "reported_at": "2025-12-31T23:59:00+08:00"}));
    assert_eq!(d["version"], "fushan-2025");
    assert_eq!(row(&d), "dispute-grid");
    let d = decide(json!({"people_involved": 6, "reported_at": "2026-01-01T00:00:00+08:00"}));
    assert_eq!(d["version"], "fushan-2026");
    assert_eq!(row(&d), "dispute-community-people");
    // The local date decides: 16:00 UTC on New Year's Eve is midnight in China.
    let d = decide(json!({"people_involved": 6, "reported_at": "2025-12-31T16:00:00Z"}));
    assert_eq!(d["version"], "fushan-2026");
    let d = decide(json!({"people_involved": 6, "reported_at": "2025-12-31T15:59:59Z"}));
    assert_eq!(d["version"], "fushan-2025");
    // 2025 practice had the lawyer from 20,000 yuan.
    let d = decide(
        json!({"category": "debt_dispute", "amount_yuan": 15000, "reported_at": "2025-06-02T09:00:00+08:00"}),
    );
    assert_eq!(row(&d), "dispute-grid");
    let d = decide(
        json!({"category": "debt_dispute", "amount_yuan": 20000, "reported_at": "2025-06-02T09:00:00+08:00"}),
    );
    assert_eq!(row(&d), "legal-lawyer");
    // Risks were checked the next working day in 2025.
    let d = decide(
        json!({"category": "safety_hazard", "attributes": {"hazard_type": "other"}, "reported_at": "2025-06-02T09:00:00+08:00"}),
    );
    assert_eq!(d["time_limit"], "1 working day");
}

#[test]
fn before_the_first_version_there_is_no_rule() {
    let err = gridgov::json::route_json(
        &ENGINE,
        r#"{"id":"old","channel":"app","category":"other","location":"fs-c04-g03-m2","reported_at":"2024-12-31T09:00:00+08:00"}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), "no_version");
    assert_eq!(
        err.to_string(),
        "case `old` was reported on 2024-12-31, before the first rule-set version takes effect (2025-01-01)"
    );
}

#[test]
fn bad_cases_name_the_field() {
    let route = |c: &str| gridgov::json::route_json(&ENGINE, c).unwrap_err();
    let e = route(
        r#"{"id":"b","channel":"fax","category":"other","location":"fs-c04-g03-m2","reported_at":"2026-03-02T09:00:00+08:00"}"#,
    );
    assert_eq!(e.code(), "case_invalid");
    assert_eq!(
        e.to_string(),
        "case `b`: field `channel`: unknown channel `fax`; valid channels: visit, app, hotline, petition, walk_in, lawyer_desk"
    );
    let e = route(
        r#"{"id":"b","channel":"app","category":"other","location":"fs-c04-g03-m2","reported_at":"2026-03-02T09:00:00"}"#,
    );
    assert!(e.to_string().contains("an offset is required"), "{e}");
    let e = route(
        r#"{"id":"b","channel":"app","category":"other","location":"fs-c04-g03","reported_at":"2026-03-02T09:00:00+08:00"}"#,
    );
    assert_eq!(
        e.to_string(),
        "case `b`: field `location`: `fs-c04-g03` is a grid; a case's location is a micro-grid (or a building in one)"
    );
    let e = route(
        r#"{"id":"b","channel":"app","category":"other","location":"nowhere","reported_at":"2026-03-02T09:00:00+08:00"}"#,
    );
    assert!(
        e.to_string()
            .contains("`nowhere` is not a unit of the organisation"),
        "{e}"
    );
    let e = route(
        r#"{"id":"b","channel":"app","category":"other","location":"fs-c04-g03-m2","amount_yuan":"12.345","reported_at":"2026-03-02T09:00:00+08:00"}"#,
    );
    assert!(e.to_string().contains("at most two decimal places"), "{e}");
    let e = route(
        r#"{"id":"b","channel":"app","category":"other","location":"fs-c04-g03-m2","people_involved":-1,"reported_at":"2026-03-02T09:00:00+08:00"}"#,
    );
    assert_eq!(e.code(), "case_parse");
    let e = route(
        r#"{"id":"b","channel":"app","category":"other","location":"fs-c04-g03-m2","reported_at":"2026-03-02T09:00:00+08:00","extra":1}"#,
    );
    assert!(e.to_string().contains("unknown field `extra`"), "{e}");
}

#[test]
fn the_trace_explains_each_matching_row() {
    let d = decide(json!({"people_involved": 2, "repeat_count": 2, "channel": "lawyer_desk"}));
    let trace: Vec<&str> = d["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(trace.len(), 3);
    assert!(trace[0].starts_with("routing/dispute-grid: category neighbour_dispute matches `neighbour_dispute, debt_dispute, labour_wage, property_management`; people_involved 2 matches `< 5`; amount_yuan 0.00 matches `< 10000` — "), "{}", trace[0]);
    assert!(
        trace[1].starts_with("modifiers/third-report: repeat_count 2 matches `>= 2` — "),
        "{}",
        trace[1]
    );
    assert!(
        trace[2].starts_with("modifiers/lawyer-desk: channel lawyer_desk matches `lawyer_desk` — "),
        "{}",
        trace[2]
    );
}

#[test]
fn years_without_holiday_data_are_noted() {
    let d = decide(json!({"reported_at": "2027-03-01T09:00:00+08:00"}));
    let trace = d["trace"].as_array().unwrap();
    assert_eq!(
        trace.last().unwrap(),
        "the calendar has no holiday data for 2027; only weekends were skipped"
    );
}

#[test]
fn every_row_of_the_2025_version() {
    let on_2025 = |extra: Value| {
        let mut e = extra;
        e["reported_at"] = json!("2025-06-02T09:00:00+08:00");
        let d = decide(e);
        assert_eq!(d["version"], "fushan-2025");
        (row(&d).to_owned(), level(&d).to_owned())
    };
    let r = |extra: Value| on_2025(extra).0;
    assert_eq!(r(json!({"people_involved": 30})), "mass");
    assert_eq!(r(json!({"category": "property_crime"})), "property-crime");
    assert_eq!(r(json!({"category": "public_security"})), "public-security");
    assert_eq!(
        r(json!({"category": "labour_wage", "amount_yuan": 500000})),
        "legal-major"
    );
    assert_eq!(
        r(json!({"category": "labour_wage", "amount_yuan": 20000})),
        "legal-lawyer"
    );
    assert_eq!(
        r(json!({"category": "labour_wage", "amount_yuan": "19999.99"})),
        "dispute-grid"
    );
    assert_eq!(
        r(json!({"category": "petition", "people_involved": 5})),
        "petition-prominent"
    );
    assert_eq!(r(json!({"category": "petition"})), "petition");
    // 2025 thresholds: 10 people and 20,000 yuan.
    assert_eq!(
        on_2025(json!({"people_involved": 9})),
        ("dispute-grid".into(), "grid".into())
    );
    assert_eq!(
        on_2025(json!({"people_involved": 10})),
        ("dispute-community-people".into(), "community".into())
    );
    assert_eq!(
        r(json!({"category": "debt_dispute", "people_involved": 10, "amount_yuan": "19999.99"})),
        "debt-community-people"
    );
    assert_eq!(
        r(json!({"category": "property_management", "amount_yuan": "19999.99"})),
        "dispute-grid"
    );
    assert_eq!(
        r(json!({"category": "property_management", "amount_yuan": 20000})),
        "dispute-community-amount"
    );
    assert_eq!(
        r(json!({"category": "safety_hazard", "attributes": {"hazard_type": "traffic"}})),
        "hazard"
    );
    assert_eq!(
        on_2025(json!({"category": "livelihood", "people_involved": 9})),
        ("livelihood-micro".into(), "micro_grid".into())
    );
    assert_eq!(
        r(json!({"category": "livelihood", "people_involved": 10})),
        "livelihood-grid-people"
    );
    assert_eq!(
        r(json!({"category": "environment", "amount_yuan": 20000})),
        "livelihood-grid-amount"
    );
    assert_eq!(r(json!({"category": "housing"})), "services");
    assert_eq!(r(json!({"category": "party_building"})), "party-building");
    assert_eq!(
        r(json!({"category": "comprehensive_governance"})),
        "governance"
    );
    assert_eq!(r(json!({"category": "other"})), "other");
    assert_eq!(r(json!({"repeat_count": 2})), "third-report");
    assert_eq!(r(json!({"risk_flags": ["mass_incident"]})), "mass-risk");
    assert_eq!(
        r(json!({"risk_flags": ["public_safety"]})),
        "public-safety-risk"
    );
    assert_eq!(
        r(json!({"category": "safety_hazard", "attributes": {"hazard_type": "gas"}})),
        "gas-or-fire"
    );
}
