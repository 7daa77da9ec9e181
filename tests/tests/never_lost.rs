//! Reports are never lost: a report with a missing or invalid fact is taken in, routed on
//! the safe side, flagged incomplete and listed in `actions` until an `amended` event
//! completes it; only a report that cannot be placed is refused, with every problem named.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failed unwrap is a failed test"
)]

use gridgov::Engine;
use gridgov::access::Actor;
use gridgov::case::Case;
use gridgov::case::event::EventRecord;
use gridgov::case::ledger::Ledger;
use gridgov::time::Timestamp;
use serde_json::{Value, json};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn case(v: Value) -> Case {
    Case::from_json_str(&v.to_string()).unwrap()
}

fn gas_without_hazard_type() -> Value {
    json!({"id": "h1", "channel": "hotline", "category": "safety_hazard",
           "location": "fs-c01-g01-m1", "reported_at": "2026-03-06T18:30:00+08:00",
           "people_involved": 20, "summary": "楼道里有煤气味"})
}

#[test]
fn a_hotline_gas_smell_without_hazard_type_is_taken_in_and_routed_on_the_safe_side() {
    let engine = Engine::fushan();
    let mut ledger = Ledger::new();
    let receipts = engine
        .record_intake(
            &mut ledger,
            &Actor::system(),
            case(gas_without_hazard_type()),
        )
        .unwrap();
    assert_eq!(receipts.len(), 2);
    let st = ledger.case("h1").unwrap();
    let a = st.assignment.as_ref().unwrap();
    // The most urgent the known facts allow: as if gas or fire.
    assert_eq!(a.level.as_str(), "community");
    assert_eq!(a.rule.as_deref(), Some("fushan-2026/modifiers/gas-or-fire"));
    assert_eq!(a.due, ts("2026-03-06T22:30:00+08:00"));
    assert_eq!(st.missing().len(), 1);
    assert_eq!(st.missing()[0].field, "attributes.hazard_type");
    // Listed until completed.
    let actions = engine.actions(&ledger, ts("2026-03-06T19:00:00+08:00"));
    assert_eq!(actions.incomplete.len(), 1);
    assert_eq!(actions.incomplete[0].case.as_str(), "h1");
    // The committee member amends it: a water leak, not gas ("other").
    let cm = Actor {
        id: "fs-cm01-1".to_owned(),
        role: "committee_member".to_owned(),
        unit: None,
    };
    let amended: EventRecord = serde_json::from_value(json!({"case": "h1",
        "at": "2026-03-06T19:10:00+08:00", "actor": "fs-cm01-1",
        "event": {"type": "amended", "facts": {"attributes": {"hazard_type": "other"}},
                  "note": "现场核实为水管渗漏"}}))
    .unwrap();
    engine.record(&mut ledger, &cm, amended).unwrap();
    let st = ledger.case("h1").unwrap();
    assert!(st.extras.amendment_pending);
    let actions = engine.actions(&ledger, ts("2026-03-06T19:15:00+08:00"));
    assert!(actions.incomplete.is_empty());
    assert_eq!(actions.reroutes.len(), 1);
    let a = &actions.reroutes[0].assignment;
    assert!(a.extras.incomplete.is_empty());
    assert_eq!(a.rule.as_deref(), Some("fushan-2026/routing/hazard"));
    // 4 working hours from the report (Friday 18:30): Monday 08:30-12:00 and 14:00-14:30.
    assert_eq!(a.due, ts("2026-03-09T14:30:00+08:00"));
    for e in actions.events(
        ts("2026-03-06T19:15:00+08:00"),
        &gridgov::PersonId::new("system").unwrap(),
    ) {
        engine.record(&mut ledger, &Actor::system(), e).unwrap();
    }
    let st = ledger.case("h1").unwrap();
    assert!(!st.extras.amendment_pending);
    assert!(st.missing().is_empty());
    assert_eq!(st.level().map(|l| l.as_str()), Some("grid"));
    assert_eq!(
        st.facts()
            .attributes
            .get("hazard_type")
            .map(|v| format!("{v:?}")),
        Some("Text(\"other\")".to_owned())
    );
}

#[test]
fn a_wrong_value_and_an_unknown_channel_are_taken_in_too() {
    let engine = Engine::fushan();
    let mut c = gas_without_hazard_type();
    c["attributes"] = json!({"hazard_type": "smoke"});
    c["channel"] = json!("wechat");
    let a = engine.route_or_take_in(&case(c)).unwrap();
    let fields: Vec<&str> = a
        .extras
        .incomplete
        .iter()
        .map(|m| m.field.as_str())
        .collect();
    assert_eq!(fields, ["channel", "attributes.hazard_type"]);
    // The channel might have been a petition of 20 people: the safe side is the
    // subdistrict's joint consultation.
    assert_eq!(a.level.as_str(), "subdistrict");
    assert_eq!(
        a.rule.as_deref(),
        Some("fushan-2026/modifiers/petition-prominent-channel")
    );
    // Without the unknown channel, the wrong value alone: as if gas or fire.
    let mut c = gas_without_hazard_type();
    c["attributes"] = json!({"hazard_type": "smoke"});
    let a = engine.route_or_take_in(&case(c)).unwrap();
    assert_eq!(a.level.as_str(), "community");
    assert_eq!(a.extras.incomplete[0].field, "attributes.hazard_type");
}

#[test]
fn a_report_that_cannot_be_placed_is_refused_with_every_problem_named() {
    let engine = Engine::fushan();
    let mut ledger = Ledger::new();
    let c = json!({"id": "x", "channel": "wechat", "category": "noise",
                   "location": "nowhere", "reported_at": "2026-03-06T18:30:00+08:00"});
    let err = engine
        .record_intake(&mut ledger, &Actor::system(), case(c))
        .unwrap_err();
    assert_eq!(err.code(), "case_invalid");
    let message = err.to_string();
    for field in ["category", "channel", "location"] {
        assert!(message.contains(&format!("field `{field}`")), "{message}");
    }
    assert_eq!(ledger.len(), 0);
}

#[test]
fn an_empty_amendment_is_refused() {
    let engine = Engine::fushan();
    let mut ledger = Ledger::new();
    engine
        .record_intake(
            &mut ledger,
            &Actor::system(),
            case(gas_without_hazard_type()),
        )
        .unwrap();
    let empty: EventRecord = serde_json::from_value(json!({"case": "h1",
        "at": "2026-03-06T19:10:00+08:00", "actor": "system",
        "event": {"type": "amended", "facts": {}, "note": "nothing"}}))
    .unwrap();
    assert_eq!(
        engine
            .record(&mut ledger, &Actor::system(), empty)
            .unwrap_err()
            .code(),
        "empty"
    );
}
