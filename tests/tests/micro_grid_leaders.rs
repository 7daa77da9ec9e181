//! Micro-grid leaders (微网格长) on the Fushan default: one is posted to each of the 382
//! micro-grids from its lead households; at micro-grid level the leader is the first
//! handler with the grid worker following.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failed unwrap is a failed test"
)]

use gridgov::Engine;
use gridgov::access::Actor;
use gridgov::case::Case;
use gridgov::case::ledger::Ledger;
use gridgov::org::{DutyKind, Level, Role, UnitKind};
use serde_json::json;

#[test]
fn every_fushan_micro_grid_has_its_leader_as_first_handler() {
    let engine = Engine::fushan();
    let org = engine.org();
    assert!(org.has_micro_grid_leaders());
    let micro: Vec<_> = org.units_of_kind(UnitKind::MicroGrid).collect();
    assert_eq!(micro.len(), 382);
    let leaders = org
        .spec()
        .duties
        .iter()
        .filter(|d| d.duty == DutyKind::MicroGridLeader)
        .count();
    assert_eq!(leaders, 382);
    for m in micro {
        let c = Case::from_json_str(
            &json!({"id": "x", "channel": "app", "category": "livelihood",
                    "location": m.id.as_str(), "reported_at": "2026-03-02T09:00:00+08:00"})
            .to_string(),
        )
        .unwrap();
        let d = engine.route(&c).unwrap();
        let handler = d.handler().unwrap();
        assert_eq!(handler.role, Role::PartyMember, "{}", m.id);
        let grid_worker = org
            .duty_holder(m.id.as_str(), Level::Grid)
            .unwrap()
            .unwrap();
        assert_eq!(d.following().map(|p| &p.id), Some(&grid_worker.id));
        assert!(d.warnings().is_empty(), "{}", m.id);
    }
}

#[test]
fn the_grid_worker_follows_the_case_from_the_start_and_may_resolve_it() {
    let engine = Engine::fushan();
    let mut ledger = Ledger::new();
    let c = Case::from_json_str(
        r#"{"id": "m1", "channel": "app", "category": "livelihood", "location": "fs-c01-g01-m1",
            "reported_at": "2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap();
    engine
        .record_intake(&mut ledger, &Actor::system(), c)
        .unwrap();
    let st = ledger.case("m1").unwrap();
    assert_eq!(st.owner.as_str(), "fs-mgl001");
    assert_eq!(
        st.first_handler.as_ref().map(|p| p.as_str()),
        Some("fs-mgl001")
    );
    assert_eq!(
        st.followers.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["fs-gw001"]
    );
    // The grid worker's scope still reaches the micro-grid's cases.
    let gw = Actor {
        id: "fs-gw001".to_owned(),
        role: "grid_worker".to_owned(),
        unit: None,
    };
    assert_eq!(
        engine.can(&gw, gridgov::access::Action::Resolve, st),
        Ok(true)
    );
    // A grid matter has no leader in it.
    let c = Case::from_json_str(
        r#"{"id": "g1", "channel": "app", "category": "neighbour_dispute",
            "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap();
    let d = engine.route(&c).unwrap();
    assert_eq!(d.handler().unwrap().id.as_str(), "fs-gw001");
    assert!(d.following().is_none());
}
