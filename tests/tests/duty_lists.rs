//! Duty lists (网格员职责清单) as data: the organisation's checks of their structure, the
//! engine's checks against the rule set and the people, and the decision's warning when
//! the first handler's lists do not cover the case's category.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests: a failed unwrap is a failed test"
)]

use gridgov::Engine;
use gridgov::case::Case;
use gridgov::org::{DutyScope, GapPolicy, OrgError, OrgGraph};
use gridgov::rules::RuleSet;
use gridgov_tests::{small_org, small_rules};
use serde_json::{Value, json};

const DUTY_CODES: [&str; 3] = [
    "category_without_duty",
    "missing_common_duty_list",
    "unknown_work_area_category",
];

/// The small organisation with duty lists: w1 holds the common list, which covers
/// `other` and `hazard`; the judicial area covers `dispute`, in an individual list nobody
/// holds.
fn with_lists() -> Value {
    let mut org = small_org();
    org["duty_lists"] = json!({
        "classes": [{"id": "basic", "name": "基础", "assumed": true},
                    {"id": "disputes", "name": "纠纷"}],
        "work_areas": [{"id": "general", "name": "综合", "categories": ["other"]},
                       {"id": "hazards", "name": "隐患", "categories": ["hazard"]},
                       {"id": "mediation", "name": "调解", "categories": ["dispute"]},
                       {"id": "order", "name": "治安", "categories": ["theft"]}],
        "lists": [{"id": "c_basic", "name": "基础共性清单", "class": "basic", "scope": "common",
                   "items": [{"name": "巡查", "areas": ["general", "hazards"]},
                             {"name": "治安", "areas": ["order"]}]},
                  {"id": "i_mediation", "name": "调解个性清单", "class": "disputes", "scope": "individual",
                   "items": [{"name": "调解", "areas": ["mediation"]}]}]
    });
    for d in org["duties"].as_array_mut().unwrap() {
        if d["duty"] == "grid_worker" {
            d["lists"] = json!(["c_basic"]);
        }
    }
    org
}

fn engine(org: &Value) -> Engine {
    let org = OrgGraph::from_json_str_with(&org.to_string(), GapPolicy::Reject).unwrap();
    let rules = RuleSet::from_json_str(&small_rules().to_string()).unwrap();
    Engine::new(org, rules, gridgov::calendar::Calendar::china()).unwrap()
}

fn duty_warnings(e: &Engine) -> Vec<(String, String)> {
    e.warnings()
        .iter()
        .filter(|w| DUTY_CODES.contains(&w.code))
        .map(|w| {
            (
                w.code.to_owned(),
                w.location.subject.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn org_problems(org: &Value) -> Vec<(String, String, String)> {
    match OrgGraph::from_json_str_with(&org.to_string(), GapPolicy::Reject) {
        Err(OrgError::Invalid(problems)) => problems
            .iter()
            .map(|p| (p.code().to_owned(), p.subject().to_owned(), p.to_string()))
            .collect(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn the_fushan_default_passes_its_duty_list_checks() {
    let e = Engine::fushan();
    let lists = e.org().duty_lists().unwrap();
    assert_eq!(lists.classes.len(), 8);
    assert_eq!(lists.work_areas.len(), 16);
    assert!(
        lists.classes.iter().all(|c| c.assumed),
        "no class is named by the source"
    );
    let named: Vec<&str> = lists
        .work_areas
        .iter()
        .filter(|a| !a.assumed)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(named, ["党的建设", "综合治理", "民生事项"]);
    let common = lists
        .lists
        .iter()
        .filter(|l| l.scope == DutyScope::Common)
        .count();
    assert_eq!(common, 8);
    assert_eq!(duty_warnings(&e), []);
    // Every category, routed in a grid whose worker is the first handler: no case falls
    // outside the handler's lists.
    for cat in e.rules().categories() {
        let c = Case::from_json_str(
            &json!({"id": "x", "channel": "app", "category": cat, "location": "fs-c01-g05-m1",
                    "reported_at": "2026-03-02T09:00:00+08:00",
                    "attributes": if cat == "safety_hazard" { json!({"hazard_type": "other"}) } else { json!({}) }})
            .to_string(),
        )
        .unwrap();
        let d = e.route(&c).unwrap();
        assert!(
            d.warnings().iter().all(|w| w.code != "outside_duty_list"),
            "{cat}: {:?}",
            d.warnings()
        );
    }
    assert!(
        e.org()
            .held_lists("fs-gw005")
            .iter()
            .any(|l| l.as_str() == "individual_market")
    );
}

#[test]
fn the_engine_names_uncovered_categories_and_grid_workers_without_the_common_lists() {
    let e = engine(&with_lists());
    assert_eq!(duty_warnings(&e), []);

    // w2 holds nothing: it lacks the common list.
    let mut org = with_lists();
    org["duties"][1]["lists"] = json!([]);
    let w = duty_warnings(&engine(&org));
    assert_eq!(
        w,
        [("missing_common_duty_list".to_owned(), "w2".to_owned())]
    );

    // Nobody's item covers theft any more; a work area names a category the rules lack.
    let mut org = with_lists();
    org["duty_lists"]["lists"][0]["items"][1]["areas"] = json!(["general"]);
    org["duty_lists"]["work_areas"][0]["categories"] = json!(["other", "fraud"]);
    let w = duty_warnings(&engine(&org));
    assert_eq!(
        w,
        [
            (
                "unknown_work_area_category".to_owned(),
                "general".to_owned()
            ),
            ("category_without_duty".to_owned(), "theft".to_owned()),
        ]
    );

    // An area that no item names covers nothing, though it maps the category.
    let mut org = with_lists();
    org["duty_lists"]["lists"][1]["items"][0]["areas"] = json!(["general"]);
    let w = duty_warnings(&engine(&org));
    assert_eq!(
        w,
        [("category_without_duty".to_owned(), "dispute".to_owned())]
    );
}

#[test]
fn a_first_handler_whose_lists_miss_the_category_is_warned_about() {
    let e = engine(&with_lists());
    let route = |category: &str| {
        let c = Case::from_json_str(
            &json!({"id": "x", "channel": "app", "category": category, "location": "m1",
                    "reported_at": "2026-03-02T09:00:00+08:00"})
            .to_string(),
        )
        .unwrap();
        let d = e.route(&c).unwrap();
        (
            d.handler().map(|p| p.id.to_string()),
            d.warnings()
                .iter()
                .map(|w| (w.code, w.message.clone()))
                .collect::<Vec<_>>(),
        )
    };
    let (handler, warnings) = route("other");
    assert_eq!(handler.as_deref(), Some("w1"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let (handler, warnings) = route("dispute");
    assert_eq!(handler.as_deref(), Some("w1"));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].0, "outside_duty_list");
    assert!(warnings[0].1.contains("`w1`"), "{}", warnings[0].1);
    assert!(warnings[0].1.contains("c_basic"), "{}", warnings[0].1);
    assert!(warnings[0].1.contains("`dispute`"), "{}", warnings[0].1);

    // Given the individual list, w1 covers disputes.
    let mut org = with_lists();
    org["duties"][0]["lists"] = json!(["c_basic", "i_mediation"]);
    let e = engine(&org);
    let c = Case::from_json_str(
        r#"{"id": "x", "channel": "app", "category": "dispute", "location": "m1",
            "reported_at": "2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap();
    assert!(e.route(&c).unwrap().warnings().is_empty());

    // An organisation without duty lists checks nothing.
    let e = engine(&small_org());
    let c = Case::from_json_str(
        r#"{"id": "x", "channel": "app", "category": "dispute", "location": "m1",
            "reported_at": "2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap();
    assert!(e.route(&c).unwrap().warnings().is_empty());
}

#[test]
fn each_structural_rule_of_the_duty_lists_is_checked() {
    type Mutate = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutate, &str, &str)> = vec![
        (
            "unknown class",
            Box::new(|o| o["duty_lists"]["lists"][0]["class"] = json!("nope")),
            "c_basic",
            "of class `nope`, which `duty_lists.classes` does not declare (declared: basic, disputes)",
        ),
        (
            "unknown area",
            Box::new(|o| o["duty_lists"]["lists"][0]["items"][0]["areas"] = json!(["nope"])),
            "c_basic",
            "item 1 (`巡查`) of duty list `c_basic` names work area `nope`",
        ),
        (
            "item without areas",
            Box::new(|o| o["duty_lists"]["lists"][1]["items"][0]["areas"] = json!([])),
            "i_mediation",
            "covers no work area",
        ),
        (
            "list without items",
            Box::new(|o| o["duty_lists"]["lists"][1]["items"] = json!([])),
            "i_mediation",
            "has no items",
        ),
        (
            "duplicate list",
            Box::new(|o| o["duty_lists"]["lists"][1]["id"] = json!("c_basic")),
            "c_basic",
            "duplicate duty list id",
        ),
        (
            "duplicate class",
            Box::new(|o| o["duty_lists"]["classes"][1]["id"] = json!("basic")),
            "basic",
            "duplicate duty class id",
        ),
        (
            "duplicate area",
            Box::new(|o| o["duty_lists"]["work_areas"][1]["id"] = json!("general")),
            "general",
            "duplicate work area id",
        ),
        (
            "unknown list held",
            Box::new(|o| o["duties"][0]["lists"] = json!(["c_basic", "c_missing"])),
            "w1",
            "holds list `c_missing`",
        ),
        (
            "team with an unknown area",
            Box::new(|o| {
                o["volunteer_teams"] =
                    json!([{"id": "t1", "name": "队", "grids": ["g1"], "areas": ["cooking"]}]);
            }),
            "t1",
            "names work area `cooking`",
        ),
        (
            "lists held without duty_lists",
            Box::new(|o| {
                o.as_object_mut().unwrap().remove("duty_lists");
            }),
            "w1",
            "declares no `duty_lists`",
        ),
    ];
    for (what, mutate, subject, text) in cases {
        let mut org = with_lists();
        mutate(&mut org);
        let problems = org_problems(&org);
        assert!(
            problems
                .iter()
                .any(|(code, s, m)| code == "bad_duty_list" && s == subject && m.contains(text)),
            "{what}: {problems:?}"
        );
    }
}
