//! How tables combine, hit policies, attribute and community columns, the first handler at
//! each level, and how an engine checks a rule set against its organisation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use gridgov::Engine;
use gridgov_tests::{small_org, small_rules};
use serde_json::{Value, json};

fn engine_with(rules: &Value) -> Engine {
    Engine::from_json_strs(
        Some(&small_org().to_string()),
        Some(&rules.to_string()),
        None,
    )
    .unwrap()
}

fn decide_on(engine: &Engine, extra: Value) -> Value {
    let mut c = json!({
        "id": "r1", "channel": "app", "category": "other", "location": "m1",
        "reported_at": "2026-03-02T09:00:00+08:00"
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    let out = gridgov::json::route_json_with(engine, &c.to_string(), true)
        .unwrap_or_else(|e| panic!("{c}: {e}"));
    serde_json::from_str(&out).unwrap()
}

fn decide(extra: Value) -> Value {
    decide_on(&engine_with(&small_rules()), extra)
}

fn list(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn first_handler_at_each_level() {
    // Micro-grid m1 has no worker of its own: the grid's worker handles it.
    let d = decide(json!({}));
    assert_eq!(
        (
            d["level"].as_str(),
            d["unit"].as_str(),
            d["handler"].as_str()
        ),
        (Some("micro_grid"), Some("m1"), Some("w1"))
    );
    // m2 has its own worker; a building in m2 counts as m2.
    let d = decide(json!({"location": "b1"}));
    assert_eq!(
        (d["unit"].as_str(), d["handler"].as_str()),
        (Some("m2"), Some("wm2"))
    );
    // Community level: the liaison of the grid, else the community's lead.
    let d = decide(json!({"category": "dispute", "people_involved": 5}));
    assert_eq!(
        (d["unit"].as_str(), d["handler"].as_str()),
        (Some("c1"), Some("cm1"))
    );
    let d = decide(json!({"category": "dispute", "people_involved": 5, "location": "m3"}));
    assert_eq!(
        (d["unit"].as_str(), d["handler"].as_str()),
        (Some("c2"), Some("cm2"))
    );
    // Subdistrict level without an office: the subdistrict's lead.
    let d = decide(json!({"risk_flags": ["mass_incident"]}));
    assert_eq!(
        (
            d["level"].as_str(),
            d["unit"].as_str(),
            d["handler"].as_str()
        ),
        (Some("subdistrict"), Some("sd"), Some("st"))
    );
    // Department level: the office's holder.
    let d = decide(json!({"category": "theft"}));
    assert_eq!(
        (
            d["level"].as_str(),
            d["office"].as_str(),
            d["handler"].as_str()
        ),
        (Some("department"), Some("po"), Some("pol"))
    );
}

#[test]
fn decisions_that_leave_no_one_in_charge_are_warned() {
    // A sound decision carries no warnings.
    assert!(decide(json!({})).get("warnings").is_none());
    // Without the liaison of g1, community c1 has no duty holder (it has no lead).
    let mut org = small_org();
    org["duties"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["person"] != "cm1");
    // And the police work office has no lead.
    org["people"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["id"] != "pol");
    let engine = Engine::from_json_strs(
        Some(&org.to_string()),
        Some(&small_rules().to_string()),
        None,
    )
    .unwrap();
    let warnings: Vec<String> = engine.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "rule set: office `po` has no lead: a case the rules send to it has no first handler (首办责任); give it a `lead` duty or attach a person to it",
            "column `level`: 1 unit at level `community` has no duty holder, so a case the rules route there without an office has no first handler: c1",
        ]
    );
    let d = decide_on(
        &engine,
        json!({"category": "dispute", "people_involved": 5}),
    );
    assert_eq!(
        (d["unit"].as_str(), d["handler"].as_str()),
        (Some("c1"), None)
    );
    assert_eq!(d["warnings"][0]["code"], "no_first_handler");
    assert_eq!(
        d["warnings"][0]["message"],
        "no first handler: community `c1` at level `community` has no duty holder; assign the case to a person by hand and post one there"
    );
    let d = decide_on(&engine, json!({"category": "theft"}));
    assert_eq!(d["office"], "po");
    assert_eq!(
        d["warnings"][0]["message"],
        "no first handler: office `po` has no lead; assign the case to a person by hand and give the office a lead"
    );
    // c2 keeps its lead: no warning there.
    let d = decide_on(
        &engine,
        json!({"category": "dispute", "people_involved": 5, "location": "m3"}),
    );
    assert!(d.get("warnings").is_none());
}

#[test]
fn the_highest_level_decides_and_ties_go_to_the_earliest_hit() {
    // routing/small says micro_grid; modifiers/fire says grid: grid wins, from `fire`.
    let d = decide(json!({"risk_flags": ["fire"]}));
    assert_eq!(d["level"], "grid");
    assert_eq!(d["rule"]["row"], "fire");
    // `fire` names no role or time limit: the earliest hit's fill them.
    assert_eq!(d["time_limit"], "2 working days");
    // `fire` names an office: it leads, so the police officer is the first handler.
    assert_eq!(d["office"], "po");
    assert_eq!(d["handler"], "pol");
    // Grade: the most serious any hit names.
    assert_eq!(d["grade"], "major");
    // Both risks: subdistrict (from `mass`) beats grid; `fire`'s office joins.
    let d = decide(json!({"risk_flags": ["fire", "mass_incident"]}));
    assert_eq!(d["rule"]["row"], "mass");
    assert_eq!(d["office"], Value::Null);
    assert_eq!(list(&d["co_offices"]), ["po"]);
    assert_eq!(list(&d["flags"]), ["joint_consultation", "urgent"]);
    assert_eq!(d["time_limit"], "4 hours");
}

#[test]
fn a_deciding_row_without_a_time_limit_takes_the_earliest_hit_that_has_one() {
    // money-dispute (community, judicial office, no time limit) in c1: no other hit gives a
    // time limit → no decision.
    let err = gridgov::json::route_json(
        &engine_with(&small_rules()),
        r#"{"id":"r2","channel":"app","category":"dispute","location":"m1","amount_yuan":5000,"reported_at":"2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), "no_decision");
    assert_eq!(
        err.to_string(),
        "no row of version `v1` decides case `r2` (a level and a time limit); add a catch-all row"
    );
    // In c2 the collect row `c2-all` supplies one.
    let d = decide(json!({"category": "dispute", "amount_yuan": 5000, "location": "m3"}));
    assert_eq!(d["rule"]["row"], "money-dispute");
    assert_eq!(d["time_limit"], "3 working days");
    assert_eq!(d["office"], "jo");
    assert_eq!(d["handler"], "jud");
    // The `first` table stops at its first match: `small` did not also fire.
    let rows: Vec<&str> = d["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().split(':').next().unwrap())
        .collect();
    assert_eq!(rows, ["routing/money-dispute", "modifiers/c2-all"]);
}

#[test]
fn attribute_columns_of_every_type() {
    let hazard = |attrs: Value| decide(json!({"category": "hazard", "attributes": attrs}));
    // number, both sides of 100.5
    assert_eq!(hazard(json!({"size": 100.49}))["level"], "micro_grid");
    assert_eq!(
        hazard(json!({"size": "100.50"}))["rule"]["row"],
        "big-hazard"
    );
    // multivaluelist
    assert_eq!(
        list(&hazard(json!({"kinds": ["water", "gas"]}))["flags"]),
        ["urgent"]
    );
    assert!(list(&hazard(json!({"kinds": ["water"]}))["flags"]).is_empty());
    // datetime: strictly before 2026-01-01 local
    assert_eq!(
        list(&hazard(json!({"seen": "2025-12-31T15:59:59Z"}))["flags"]),
        ["long_term_mechanism"]
    );
    assert!(list(&hazard(json!({"seen": "2025-12-31T16:00:00Z"}))["flags"]).is_empty());
    // boolean
    assert_eq!(hazard(json!({"indoor": true}))["rule"]["row"], "indoor");
    assert_eq!(hazard(json!({"indoor": false}))["rule"]["row"], "small");
    // string
    assert_eq!(
        list(&hazard(json!({"who": "tenant"}))["co_offices"]),
        ["jo"]
    );
    assert!(list(&hazard(json!({"who": "owner"}))["co_offices"]).is_empty());
    // Missing attributes match only `-`.
    assert_eq!(hazard(json!({}))["rule"]["row"], "small");
}

#[test]
fn unique_tables_note_conflicts_in_the_trace() {
    let mut rules = small_rules();
    rules["versions"][0]["tables"][0]["hit_policy"] = json!("unique");
    let engine = engine_with(&rules);
    assert!(engine.warnings().iter().any(|w| w.code == "overlap"));
    let d = decide_on(&engine, json!({"category": "theft"}));
    assert_eq!(d["rule"]["row"], "theft");
    let trace = list(&d["trace"]);
    assert!(
        trace.contains(&"more than one row of a `unique` table matched; the first was used"),
        "{trace:?}"
    );
}

#[test]
fn the_engine_checks_offices_and_levels_against_the_org() {
    let org = small_org().to_string();
    let mut rules = small_rules();
    rules["versions"][0]["tables"][0]["rows"][0]["then"][3] = json!("petitions_office");
    let err = Engine::from_json_strs(Some(&org), Some(&rules.to_string()), None).unwrap_err();
    assert_eq!(err.code(), "rules_org_mismatch");
    assert!(
        err.to_string().contains("version `v1`, table `routing`, row `theft`, column `office`: office `petitions_office` is neither an office of the organisation nor a kind of office it has; valid: jo, judicial_office, po, police_work_office"),
        "{err}"
    );
    // An office kind resolves to the subdistrict's office of that kind.
    let mut rules = small_rules();
    rules["versions"][0]["tables"][0]["rows"][0]["then"][3] = json!("police_work_office");
    let d = decide_on(&engine_with(&rules), json!({"category": "theft"}));
    assert_eq!(d["office"], "po");

    // A level the organisation has no units of.
    let mut org_v = small_org();
    let units = org_v["units"].as_array_mut().unwrap();
    units.retain(|u| u["kind"] != "micro_grid" && u["kind"] != "building");
    org_v["people"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["id"] != "wm2");
    org_v["duties"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["person"] != "wm2");
    let err = Engine::from_json_strs(
        Some(&org_v.to_string()),
        Some(&small_rules().to_string()),
        None,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("level `micro_grid` has no units in the organisation `小街道`"),
        "{err}"
    );
}

#[test]
fn unknown_communities_and_office_categories_are_warnings() {
    let mut rules = small_rules();
    rules["versions"][0]["tables"][1]["rows"][2]["when"][1] = json!("c9");
    let mut org = small_org();
    org["offices"][0]["categories"] = json!(["theft", "arson"]);
    let engine =
        Engine::from_json_strs(Some(&org.to_string()), Some(&rules.to_string()), None).unwrap();
    let codes: Vec<&str> = engine.warnings().iter().map(|w| w.code).collect();
    assert_eq!(codes, ["unknown_community", "unknown_office_category"]);
    assert_eq!(
        engine.warnings()[0].to_string(),
        "version `v1`, table `modifiers`, row `c2-all`, column `community`: `c9` is not a community of the organisation `小街道`; the test never matches it"
    );
}

#[test]
fn deadlines_use_the_engine_calendar_and_decisions_repeat_exactly() {
    let engine = engine_with(&small_rules());
    let case = r#"{"id":"r9","channel":"visit","category":"other","location":"m3","reported_at":"2026-09-30T16:00:00+08:00"}"#;
    let a = gridgov::json::route_json(&engine, case).unwrap();
    let b = gridgov::json::route_json(&engine, case).unwrap();
    assert_eq!(a, b);
    let d: Value = serde_json::from_str(&a).unwrap();
    // 2 working days after 09-30: 10-08 and 10-09 (National Day holiday in between).
    assert_eq!(d["due"], "2026-10-09T17:30:00+08:00");
}

#[test]
fn every_problem_is_on_the_error_and_gaps_can_be_warnings() {
    // Twelve grids, none with a grid worker: the message shows ten, the error has all.
    let mut units = vec![
        json!({"id": "sd", "kind": "subdistrict", "name": "街道"}),
        json!({"id": "c1", "kind": "community", "name": "社区", "parent": "sd"}),
        json!({"id": "x1", "kind": "compound", "name": "小区", "parent": "c1"}),
    ];
    for i in 0..12 {
        units.push(
            json!({"id": format!("g{i:02}"), "kind": "grid", "name": "网格", "parent": "x1"}),
        );
        units.push(json!({"id": format!("m{i:02}"), "kind": "micro_grid", "name": "微网格", "parent": format!("g{i:02}")}));
    }
    let org = json!({"format": 1, "name": "tree", "units": units}).to_string();
    let err: gridgov::error::Error = gridgov::OrgGraph::from_json_str(&org).unwrap_err().into();
    assert!(err.to_string().contains("… and 2 more"), "{err}");
    let problems = err.problems();
    assert_eq!(problems.len(), 12);
    assert!(problems.iter().all(|p| p.code == "grid_without_worker"));
    assert_eq!(problems[11].location.subject.as_deref(), Some("g11"));
    let json: Value = serde_json::from_str(&err.problems_json()).unwrap();
    assert_eq!(json[0]["location"]["subject"], "g00");
    // Under the warn policy the same tree loads and the gaps are warnings.
    let graph =
        gridgov::OrgGraph::from_json_str_with(&org, gridgov::org::GapPolicy::Report).unwrap();
    assert_eq!(graph.gaps().len(), 12);
    // A rule set's problems are on its error too.
    let mut rules = small_rules();
    rules["versions"][0]["tables"][0]["rows"][0]["then"][1] = json!("city");
    rules["versions"][0]["tables"][0]["rows"][1]["then"][1] = json!("town");
    let err: gridgov::error::Error = gridgov::rules::RuleSet::from_json_str(&rules.to_string())
        .unwrap_err()
        .into();
    let problems = err.problems();
    let rows: Vec<Option<&str>> = problems.iter().map(|p| p.location.row.as_deref()).collect();
    assert_eq!(rows, [Some("theft"), Some("big-dispute")], "{err}");
    // A single-problem error has none listed.
    let one: gridgov::error::Error = gridgov::OrgGraph::from_json_str("{").unwrap_err().into();
    assert!(one.problems().is_empty());
}

/// The lean decision (no `explain`) is the explained one without its trace, byte for
/// byte, on a month of simulated cases of every category and channel.
#[test]
fn the_lean_decision_is_the_explained_one_without_its_trace() {
    let engine = gridgov::Engine::fushan();
    let cases = gridgov::sim::month_cases(&engine, 2026, 3, 2_000, 11);
    let mut traced = 0;
    for c in &cases {
        let d = engine.route(c).unwrap();
        let lean = d.to_json();
        assert_eq!(
            lean,
            gridgov::json::route_json(&engine, &serde_json::to_string(c).unwrap()).unwrap()
        );
        assert!(!lean.contains("\"trace\""), "{lean}");
        let trace = d.trace();
        traced += usize::from(!trace.is_empty());
        // The trace sits after every other field but the warnings.
        let field = format!(",\"trace\":{}", serde_json::to_string(&trace).unwrap());
        let at = lean.find(",\"warnings\":").unwrap_or(lean.len() - 1);
        let expected = format!("{}{field}{}", &lean[..at], &lean[at..]);
        assert_eq!(d.to_json_with(true), expected);
    }
    assert_eq!(traced, cases.len(), "every explained decision has a trace");
}

/// The decision's hand-written JSON is what serde_json writes for its view, with and
/// without the trace, on a month of simulated cases (sittings, co-offices, flags, handlers
/// of every role) and on decisions that warn.
#[test]
fn the_decision_json_is_serde_json_s() {
    let engine = gridgov::Engine::fushan();
    let cases = gridgov::sim::month_cases(&engine, 2026, 3, 3_000, 5);
    let mut sittings = 0;
    for c in &cases {
        let d = engine.route(c).unwrap();
        for explain in [false, true] {
            let view = d.view_with(explain);
            sittings += usize::from(view.sitting.is_some());
            assert_eq!(view.to_json(), serde_json::to_string(&view).unwrap());
        }
    }
    assert!(sittings > 0, "no simulated case was booked into a sitting");
    // Names and reasons with characters JSON escapes, and a decision that warns (the
    // first handler outside their duty lists, as grid_work/outside-duty-list-warning).
    let mut org = small_org();
    for u in org["units"].as_array_mut().unwrap() {
        if u["id"] == "g1" {
            u["name"] = json!("一\"网格\\\n\t");
        }
    }
    let mut rules = small_rules();
    for t in rules["versions"][0]["tables"].as_array_mut().unwrap() {
        for r in t["rows"].as_array_mut().unwrap() {
            r["why"] = json!(format!(
                "{} \"quoted\"\u{1}",
                r["why"].as_str().unwrap_or("")
            ));
        }
    }
    let engine =
        Engine::from_json_strs(Some(&org.to_string()), Some(&rules.to_string()), None).unwrap();
    let mut escaped = 0;
    for (category, location) in [("dispute", "m1"), ("theft", "m2"), ("other", "m3")] {
        let c = gridgov::Case::from_json_str(&format!(
            r#"{{"id":"e1","channel":"app","category":"{category}","location":"{location}","reported_at":"2026-03-02T09:00:00+08:00","people_involved":3}}"#
        ))
        .unwrap();
        let d = engine.route(&c).unwrap();
        for explain in [false, true] {
            let view = d.view_with(explain);
            let json = view.to_json();
            escaped += usize::from(json.contains("\\\""));
            assert_eq!(json, serde_json::to_string(&view).unwrap());
        }
    }
    assert!(escaped > 0, "no decision printed an escaped character");
}
