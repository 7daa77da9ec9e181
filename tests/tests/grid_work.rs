//! The grid's own work on the Fushan default: a visit that opens a case and registers a
//! dispute, follow-ups until the entry closes, grid meetings and those missed by the
//! monthly cadence, volunteer teams given cases and entries, and the month's summary.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failed unwrap is a failed test"
)]

use gridgov::Engine;
use gridgov::access::{Actor, RecordError};
use gridgov::case::Case;
use gridgov::case::event::EventRecord;
use gridgov::case::ledger::Ledger;
use gridgov::case::work::RegisterStep;
use gridgov::time::{Date, Timestamp};
use serde_json::{Value, json};

fn gw() -> Actor {
    Actor {
        id: "fs-gw001".to_owned(),
        role: "grid_worker".to_owned(),
        unit: None,
    }
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn record(e: &Engine, l: &mut Ledger, actor: &Actor, r: Value) -> Result<(), RecordError> {
    let r: EventRecord = serde_json::from_value(r).unwrap();
    e.record(l, actor, r).map(drop)
}

fn code(r: Result<(), RecordError>) -> String {
    r.unwrap_err().code().to_owned()
}

fn visit(extra: Value) -> Value {
    let mut v = json!({
        "at": "2026-03-03T10:00:00+08:00", "actor": "fs-gw001",
        "event": {"type": "visited", "unit": "fs-c01-g01", "households": 3,
                  "household_ids": ["h-0101", "h-0102", "h-0103"],
                  "found": ["dispute", "need"], "visit": "vis-1", "opened": ["v1"],
                  "registered": [{"id": "reg-1", "unit": "fs-c01-g01-m2", "grade": "general",
                                  "class": "neighbour_dispute", "parties": 2, "case": "v1",
                                  "summary": "楼上漏水引发邻里纠纷"}]}
    });
    for (k, val) in extra.as_object().unwrap() {
        v["event"][k] = val.clone();
    }
    v
}

/// A ledger with case v1 (a visit's report) taken in.
fn with_case() -> (Engine, Ledger) {
    let e = Engine::fushan();
    let mut l = Ledger::new();
    let c = Case::from_json_str(
        r#"{"id": "v1", "channel": "visit", "category": "neighbour_dispute",
            "location": "fs-c01-g01-m2", "reported_at": "2026-03-03T10:00:00+08:00",
            "summary": "楼上漏水"}"#,
    )
    .unwrap();
    e.record_intake(&mut l, &gw(), c).unwrap();
    (e, l)
}

#[test]
fn a_visit_opens_a_case_and_registers_a_dispute() {
    let (e, mut l) = with_case();
    record(&e, &mut l, &gw(), visit(json!({}))).unwrap();
    let v = &l.state().visits()[0];
    assert_eq!(v.opened[0].as_str(), "v1");
    assert_eq!(v.registered[0].as_str(), "reg-1");
    let entry = l.state().entry("reg-1").unwrap();
    assert_eq!(entry.step, RegisterStep::Found);
    assert_eq!(entry.visit.as_ref().unwrap().as_str(), "vis-1");
    assert_eq!(entry.case.as_ref().unwrap().as_str(), "v1");
    // A snapshot carries the register and reads back the same.
    let back = gridgov::case::ledger::LedgerState::from_json_str(&l.state().to_json()).unwrap();
    assert_eq!(&back, l.state());
    // Its lookups are rebuilt: the entry is found, and the visit's ids stay taken.
    assert_eq!(back.entry("reg-1"), l.state().entry("reg-1"));
    let mut again = back.clone();
    let dup: EventRecord = serde_json::from_value(visit(json!({"opened": []}))).unwrap();
    assert_eq!(again.apply(&dup).unwrap_err().code(), "duplicate_work_id");
}

#[test]
fn each_rule_of_a_visit_is_checked() {
    let (e, l) = with_case();
    let bad = |extra: Value| {
        let mut l = l.clone();
        code(record(&e, &mut l, &gw(), visit(extra)))
    };
    assert_eq!(bad(json!({"households": 4})), "visit_households");
    assert_eq!(
        bad(json!({"household_ids": ["h-1", "h-1", "h-2"]})),
        "visit_households"
    );
    assert_eq!(bad(json!({"found": ["nothing", "need"]})), "visit_findings");
    assert_eq!(bad(json!({"found": ["need"]})), "visit_findings");
    assert_eq!(
        bad(json!({"found": ["dispute"], "registered": []})),
        "visit_findings"
    );
    assert_eq!(bad(json!({"opened": ["nope"]})), "unknown_case");
    let mut entry = visit(json!({}))["event"]["registered"][0].clone();
    entry["parties"] = json!(1);
    assert_eq!(bad(json!({"registered": [entry]})), "register_parties");
    let mut entry = visit(json!({}))["event"]["registered"][0].clone();
    entry["grade"] = json!("tiny");
    assert_eq!(bad(json!({"registered": [entry]})), "register_vocabulary");
    let mut entry = visit(json!({}))["event"]["registered"][0].clone();
    entry["class"] = json!("gossip");
    assert_eq!(bad(json!({"registered": [entry]})), "register_vocabulary");
    let mut entry = visit(json!({}))["event"]["registered"][0].clone();
    entry["unit"] = json!("fs-c01-g02-m1");
    assert_eq!(bad(json!({"registered": [entry]})), "work_outside");
    // A visit of a micro-grid cannot register an entry for its whole grid.
    let mut entry = visit(json!({}))["event"]["registered"][0].clone();
    entry["unit"] = json!("fs-c01-g01");
    assert_eq!(
        bad(json!({"unit": "fs-c01-g01-m2", "opened": [], "registered": [entry]})),
        "work_outside"
    );
    // A community is not a place visits are recorded for (the system actor reaches it).
    let mut l1 = l.clone();
    let mut r = visit(json!({"unit": "fs-c01"}));
    r["actor"] = json!("system");
    assert_eq!(code(record(&e, &mut l1, &Actor::system(), r)), "work_unit");
    // The grid worker of another grid may not record it.
    let mut l2 = l.clone();
    let other = Actor {
        id: "fs-gw002".to_owned(),
        role: "grid_worker".to_owned(),
        unit: None,
    };
    let mut r = visit(json!({}));
    r["actor"] = json!("fs-gw002");
    assert_eq!(code(record(&e, &mut l2, &other, r)), "out_of_scope");
    // A case from another channel was not opened on a visit; a case is opened once.
    let mut l3 = l.clone();
    let c = Case::from_json_str(
        r#"{"id": "h1", "channel": "hotline", "category": "livelihood",
            "location": "fs-c01-g01-m1", "reported_at": "2026-03-03T09:00:00+08:00"}"#,
    )
    .unwrap();
    e.record_intake(&mut l3, &gw(), c).unwrap();
    assert_eq!(
        code(record(&e, &mut l3, &gw(), visit(json!({"opened": ["h1"]})))),
        "opened_case"
    );
    record(&e, &mut l3, &gw(), visit(json!({}))).unwrap();
    let again = visit(json!({"visit": "vis-2", "registered": [], "found": ["need"]}));
    assert_eq!(code(record(&e, &mut l3, &gw(), again)), "opened_case");
    let dup = visit(json!({"visit": "vis-2", "opened": []}));
    assert_eq!(code(record(&e, &mut l3, &gw(), dup)), "duplicate_work_id");
    let dup = visit(json!({"opened": [], "registered": [], "found": ["nothing"]}));
    assert_eq!(code(record(&e, &mut l3, &gw(), dup)), "duplicate_work_id");
    // Nothing refused changed the ledger.
    assert_eq!(l3.state().register().len(), 1);
    assert_eq!(l3.state().visits().len(), 1);
}

#[test]
fn follow_ups_move_an_entry_forward_until_it_closes_and_actions_list_them_when_due() {
    let (e, mut l) = with_case();
    record(&e, &mut l, &gw(), visit(json!({}))).unwrap();
    // Registered on 3 March; the default asks for a follow-up within 7 days, which the
    // calendar counts to the end of the seventh day (10 March).
    let a = e.actions(&l, t("2026-03-10T23:59:00+08:00"));
    assert!(a.follow_ups.is_empty());
    let a = e.actions(&l, t("2026-03-11T00:00:00+08:00"));
    assert_eq!(a.follow_ups.len(), 1);
    assert_eq!(a.follow_ups[0].entry.as_str(), "reg-1");
    assert_eq!(a.follow_ups[0].due, t("2026-03-11T00:00:00+08:00"));
    let follow = |at: &str, step: &str| {
        json!({"at": at, "actor": "fs-gw001",
               "event": {"type": "followed_up", "entry": "reg-1", "step": step, "note": "上门调解"}})
    };
    record(
        &e,
        &mut l,
        &gw(),
        follow("2026-03-09T10:00:00+08:00", "mediating"),
    )
    .unwrap();
    assert!(
        e.actions(&l, t("2026-03-11T00:00:00+08:00"))
            .follow_ups
            .is_empty()
    );
    assert_eq!(
        code(record(
            &e,
            &mut l,
            &gw(),
            follow("2026-03-10T10:00:00+08:00", "found")
        )),
        "register_step"
    );
    record(
        &e,
        &mut l,
        &gw(),
        follow("2026-03-12T10:00:00+08:00", "resolved"),
    )
    .unwrap();
    let entry = l.state().entry("reg-1").unwrap();
    assert_eq!(entry.step, RegisterStep::Resolved);
    assert_eq!(entry.closed_at, Some(t("2026-03-12T10:00:00+08:00")));
    assert_eq!(entry.follow_ups.len(), 2);
    assert_eq!(
        code(record(
            &e,
            &mut l,
            &gw(),
            follow("2026-03-13T10:00:00+08:00", "sent_up")
        )),
        "register_step"
    );
    assert!(
        e.actions(&l, t("2026-04-30T10:00:00+08:00"))
            .follow_ups
            .is_empty()
    );
    let mut r = follow("2026-03-13T10:00:00+08:00", "mediating");
    r["event"]["entry"] = json!("reg-9");
    assert_eq!(code(record(&e, &mut l, &gw(), r)), "unknown_entry");
}

fn meeting(id: &str, grid: &str, at: &str, attendees: Value) -> Value {
    json!({"at": at, "actor": "fs-gw001",
           "event": {"type": "meeting_held", "meeting": {
               "id": id, "grids": [grid], "attendees": attendees,
               "matters": [{"kind": "register", "entry": "reg-1"},
                           {"kind": "demand", "text": "加装电梯"}],
               "decisions": [{"kind": "mechanism", "text": "每月第一周入户排查漏水"},
                             {"kind": "assigned", "entry": "reg-1", "team": "fs-vt01"}]}}})
}

/// fs-c01-g01's March meeting, attended in full.
fn hold_march_meeting(e: &Engine, l: &mut Ledger) {
    let m = meeting(
        "mt-1",
        "fs-c01-g01",
        "2026-03-20T15:00:00+08:00",
        full_attendance(),
    );
    record(e, l, &gw(), m).unwrap();
}

fn full_attendance() -> Value {
    json!([{"role": "grid_worker", "person": "fs-gw001"},
           {"role": "liaison", "person": "fs-cm01-1"},
           {"role": "deputy", "person": "fs-dp01"},
           {"role": "resident_representative", "name": "居民代表王某"}])
}

#[test]
fn grids_that_missed_the_monthly_meeting_are_listed_in_actions() {
    let (e, mut l) = with_case();
    record(&e, &mut l, &gw(), visit(json!({}))).unwrap();
    // A ledger that records no meeting yet lists none missed.
    assert!(
        e.actions(&l, t("2026-04-03T09:00:00+08:00"))
            .missed_meetings
            .is_empty()
    );
    hold_march_meeting(&e, &mut l);
    let missed = e
        .actions(&l, t("2026-04-03T09:00:00+08:00"))
        .missed_meetings;
    let grids = e.org().units_of_kind(gridgov::UnitKind::Grid).count();
    assert_eq!(missed.len(), grids - 1);
    assert!(missed.iter().all(|m| m.grid.as_str() != "fs-c01-g01"));
    assert_eq!(missed[0].from, Date::new(2026, 3, 1).unwrap());
    assert_eq!(missed[0].until, Date::new(2026, 4, 1).unwrap());
    // A month later, fs-c01-g01 missed April too, and its last meeting is named.
    let missed = e
        .actions(&l, t("2026-05-02T09:00:00+08:00"))
        .missed_meetings;
    let g1 = missed
        .iter()
        .find(|m| m.grid.as_str() == "fs-c01-g01")
        .unwrap();
    assert_eq!(g1.last_held, Some(t("2026-03-20T15:00:00+08:00")));
    // Still within March the period looked at is February, before any meeting: all grids.
    assert_eq!(
        e.actions(&l, t("2026-03-25T09:00:00+08:00"))
            .missed_meetings
            .len(),
        grids
    );
}

#[test]
fn each_rule_of_a_meeting_is_checked() {
    let (e, mut l) = with_case();
    record(&e, &mut l, &gw(), visit(json!({}))).unwrap();
    let at = "2026-03-20T15:00:00+08:00";
    let bad = |r: Value| {
        let mut l = l.clone();
        code(record(&e, &mut l, &gw(), r))
    };
    assert_eq!(
        bad(meeting("m", "fs-c01-g01", at, json!([]))),
        "bad_meeting"
    );
    assert_eq!(
        bad(meeting("m", "fs-c01-g01", at, json!([{"role": "deputy"}]))),
        "bad_meeting"
    );
    assert_eq!(
        bad(meeting(
            "m",
            "fs-c01-g01",
            at,
            json!([{"role": "deputy", "person": "nobody"}])
        )),
        "unknown_person"
    );
    assert_eq!(
        bad(meeting("m", "fs-c01-g01-m1", at, full_attendance())),
        "work_unit"
    );
    // Another grid's worker may not record the meeting of fs-c01-g02.
    assert_eq!(
        bad(meeting("m", "fs-c01-g02", at, full_attendance())),
        "out_of_scope"
    );
    let mut r = meeting("m", "fs-c01-g01", at, full_attendance());
    r["event"]["meeting"]["decisions"][1] = json!({"kind": "assigned", "entry": "reg-1"});
    assert_eq!(bad(r), "bad_meeting");
    let mut r = meeting("m", "fs-c01-g01", at, full_attendance());
    r["event"]["meeting"]["matters"][0] = json!({"kind": "case", "case": "nope"});
    assert_eq!(bad(r), "unknown_case");
    let mut r = meeting("m", "fs-c01-g01", at, full_attendance());
    r["event"]["meeting"]["decisions"][1]["team"] = json!("fs-vt99");
    assert_eq!(bad(r), "unknown_team");
    record(
        &e,
        &mut l,
        &gw(),
        meeting("m", "fs-c01-g01", at, full_attendance()),
    )
    .unwrap();
    assert_eq!(
        code(record(
            &e,
            &mut l,
            &gw(),
            meeting("m", "fs-c01-g01", at, full_attendance())
        )),
        "duplicate_work_id"
    );
}

#[test]
fn teams_are_suggested_by_grid_and_work_area_and_take_cases_and_entries() {
    let (e, mut l) = with_case();
    record(&e, &mut l, &gw(), visit(json!({}))).unwrap();
    // fs-vt01 serves fs-c01-g01 and works in livelihood, health and civil affairs.
    let s = e.suggest_teams("livelihood", "fs-c01-g01-m1").unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].team.as_str(), "fs-vt01");
    assert_eq!(
        s[0].areas.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
        ["livelihood"]
    );
    assert!(
        e.suggest_teams("neighbour_dispute", "fs-c01-g01-m1")
            .unwrap()
            .is_empty()
    );
    // fs-vt02 serves fs-c01-g09…g16 and works in disputes and petitions.
    let s = e.suggest_teams("neighbour_dispute", "fs-c01-g09").unwrap();
    assert_eq!(s[0].team.as_str(), "fs-vt02");
    assert_eq!(
        e.suggest_teams("livelihood", "nowhere").unwrap_err().code(),
        "unknown_unit"
    );

    let give = |case: Option<&str>, entry: Option<&str>, team: &str| {
        let mut r = json!({"at": "2026-03-04T10:00:00+08:00", "actor": "fs-gw001",
                           "event": {"type": "team_assigned", "team": team, "note": "志愿者协助"}});
        if let Some(c) = case {
            r["case"] = json!(c);
        }
        if let Some(en) = entry {
            r["event"]["entry"] = json!(en);
        }
        r
    };
    let mut l2 = l.clone();
    assert_eq!(
        code(record(
            &e,
            &mut l2,
            &gw(),
            give(Some("v1"), None, "fs-vt02")
        )),
        "team_outside"
    );
    assert_eq!(
        code(record(
            &e,
            &mut l2,
            &gw(),
            give(Some("v1"), None, "fs-vt77")
        )),
        "unknown_team"
    );
    assert_eq!(
        code(record(
            &e,
            &mut l2,
            &gw(),
            give(Some("v1"), Some("reg-1"), "fs-vt01")
        )),
        "team_target"
    );
    record(&e, &mut l, &gw(), give(Some("v1"), None, "fs-vt01")).unwrap();
    record(&e, &mut l, &gw(), give(None, Some("reg-1"), "fs-vt01")).unwrap();
    assert_eq!(
        l.case("v1").unwrap().extras.team.as_ref().unwrap().as_str(),
        "fs-vt01"
    );
    assert_eq!(
        l.state()
            .entry("reg-1")
            .unwrap()
            .team
            .as_ref()
            .unwrap()
            .as_str(),
        "fs-vt01"
    );
    // The case's public timeline shows it.
    let tl = e.timeline(&l, "v1", true).unwrap();
    assert!(
        tl.iter().any(|x| x.label.contains("Given to a team")),
        "{tl:?}"
    );
}

#[test]
fn the_month_summary_counts_visits_households_register_meetings_and_team_work() {
    let (e, mut l) = with_case();
    record(&e, &mut l, &gw(), visit(json!({}))).unwrap();
    // A second visit to the same households counts them once; a count-only visit adds its count.
    let again = visit(
        json!({"visit": "vis-2", "opened": [], "registered": [], "found": ["nothing"],
                             "household_ids": ["h-0101", "h-0104"], "households": 2}),
    );
    record(&e, &mut l, &gw(), again).unwrap();
    let plain = json!({"at": "2026-03-05T10:00:00+08:00", "actor": "fs-gw001",
                       "event": {"type": "visited", "unit": "fs-c01-g01-m1", "households": 5}});
    record(&e, &mut l, &gw(), plain).unwrap();
    hold_march_meeting(&e, &mut l);
    let partial = json!([{"role": "grid_worker", "person": "fs-gw001"}]);
    let mut m2 = meeting("mt-2", "fs-c01-g01", "2026-03-27T15:00:00+08:00", partial);
    m2["event"]["meeting"]["matters"] = json!([]);
    m2["event"]["meeting"]["decisions"] = json!([]);
    record(&e, &mut l, &gw(), m2).unwrap();
    let s = e.work_summary(
        &l,
        Date::new(2026, 3, 1).unwrap(),
        Date::new(2026, 4, 1).unwrap(),
    );
    assert_eq!(s.visits, 3);
    assert_eq!(s.households, 4 + 5);
    assert_eq!(s.findings.get("dispute"), Some(&1));
    assert_eq!(s.findings.get("nothing"), Some(&1));
    assert_eq!(s.cases_opened, 1);
    assert_eq!(s.registered, 1);
    assert_eq!(s.open_entries, 1);
    assert_eq!(s.meetings, 2);
    assert_eq!(s.meetings_fully_attended, 1);
    assert_eq!(s.grids_met, 1);
    assert_eq!(s.matters, 2);
    assert_eq!(s.decisions, 2);
    // April saw nothing new; the entry is still open at its end.
    let april = e.work_summary(
        &l,
        Date::new(2026, 4, 1).unwrap(),
        Date::new(2026, 5, 1).unwrap(),
    );
    assert_eq!(april.visits, 0);
    assert_eq!(april.open_entries, 1);
}

#[test]
fn a_refused_record_in_a_batch_takes_back_the_visit_and_its_entries() {
    let (_, mut l) = with_case();
    let good: EventRecord = serde_json::from_value(visit(json!({}))).unwrap();
    let bad: EventRecord = serde_json::from_value(json!({
        "at": "2026-03-04T10:00:00+08:00", "actor": "fs-gw001",
        "event": {"type": "followed_up", "entry": "reg-1", "step": "found"}}))
    .unwrap();
    let follow: EventRecord = serde_json::from_value(json!({
        "at": "2026-03-04T10:00:00+08:00", "actor": "fs-gw001",
        "event": {"type": "followed_up", "entry": "reg-1", "step": "mediating"}}))
    .unwrap();
    let before = l.state().clone();
    // The third record goes back from mediating to found: it is refused, and the batch
    // is taken back whole (the visit, its entry, the follow-up before it).
    let err = l.append_all(vec![good.clone(), follow, bad]).unwrap_err();
    assert_eq!(err.code(), "register_step");
    assert_eq!(l.state(), &before);
    assert!(l.state().register().is_empty());
    assert!(l.state().visits().is_empty());
    l.append_all(vec![good]).unwrap();
    assert_eq!(l.state().register().len(), 1);
}
