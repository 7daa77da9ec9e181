//! The case ledger: every event, every invalid transition (each leaving the ledger as it
//! was), escalation paths, reminders, repeats and merges, reopening, shelving, joint
//! consultation, pauses, snapshots and timelines with redaction.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::sync::{Arc, LazyLock};

use gridgov::case::Case;
use gridgov::case::event::{Assignment, EscalationReason, Event, EventRecord};
use gridgov::case::ledger::{Ledger, LedgerState, Status};
use gridgov::escalate::Climb;
use gridgov::org::Level;
use gridgov::{Engine, PersonId, Timestamp};
use serde_json::{Value, json};

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::fushan);

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn actor(s: &str) -> PersonId {
    PersonId::new(s).unwrap()
}

fn case(id: &str, extra: Value) -> Case {
    let mut c = json!({
        "id": id, "channel": "visit", "category": "neighbour_dispute",
        "location": "fs-c04-g03-m2", "reported_at": "2026-03-02T09:00:00+08:00",
        "reporter": {"name": "张三", "phone": "13800001234", "id_number": "370883199001011234"},
        "summary": "张三反映楼上噪音，电话13800001234"
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    Case::from_json_str(&c.to_string()).unwrap()
}

/// Takes a case in (report + assignment, or merge) and appends the events.
fn intake(ledger: &mut Ledger, c: Case) {
    let events = ENGINE.intake(ledger, c, &actor("fs-gw051")).unwrap();
    ledger.append_all(events).unwrap();
}

fn rec(case: &str, at: &str, who: &str, event: Value) -> EventRecord {
    serde_json::from_value(json!({"case": case, "at": at, "actor": who, "event": event})).unwrap()
}

/// Appends an event that must be refused; checks the code and that nothing changed.
fn refused(ledger: &mut Ledger, r: EventRecord, code: &str) -> String {
    let before_state = ledger.state().clone();
    let before_len = ledger.len();
    let err = ledger.append(r).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(ledger.len(), before_len);
    assert_eq!(*ledger.state(), before_state);
    err.to_string()
}

fn one_case() -> Ledger {
    let mut l = Ledger::new();
    intake(&mut l, case("c1", json!({})));
    l
}

#[test]
fn a_case_from_report_to_evaluation() {
    let mut l = Ledger::new();
    let c = case("c1", json!({}));
    l.append(EventRecord {
        event_id: None,
        case: Some(c.id.clone()),
        at: c.reported_at,
        actor: actor("fs-gw051"),
        event: Event::Reported {
            case: Arc::new(c.clone()),
        },
    })
    .unwrap();
    assert_eq!(l.case("c1").unwrap().status, Status::Reported);
    assert_eq!(l.case("c1").unwrap().owner, "fs-gw051");
    l.append(rec(
        "c1",
        "2026-03-02T09:05:00+08:00",
        "fs-cm04-1",
        json!({"type": "accepted"}),
    ))
    .unwrap();
    assert_eq!(l.case("c1").unwrap().status, Status::Accepted);
    let d = ENGINE.route(&c).unwrap();
    let a = ENGINE.assignment(&d);
    assert_eq!(a.level, Level::Grid);
    assert_eq!(a.rule.as_deref(), Some("fushan-2026/routing/dispute-grid"));
    l.append(EventRecord {
        event_id: None,
        case: Some(c.id.clone()),
        at: ts("2026-03-02T09:10:00+08:00"),
        actor: actor("fs-cm04-1"),
        event: Event::Assigned {
            assignment: Arc::new(a),
        },
    })
    .unwrap();
    let s = l.case("c1").unwrap();
    assert_eq!(s.status, Status::Assigned);
    assert_eq!(s.owner, "fs-gw051");
    assert_eq!(s.first_handler.as_ref().unwrap(), "fs-gw051");
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "调解达成协议"}),
    ))
    .unwrap();
    assert_eq!(l.case("c1").unwrap().status, Status::Resolved);
    assert_eq!(ENGINE.resolved_on_time(l.case("c1").unwrap()), Some(true));
    l.append(rec(
        "c1",
        "2026-03-04T10:00:00+08:00",
        "resident-1",
        json!({"type": "evaluated", "satisfaction": 5, "comment": "满意"}),
    ))
    .unwrap();
    let s = l.case("c1").unwrap();
    assert_eq!(s.status, Status::Closed);
    assert_eq!(s.satisfaction, Some(5));
    assert_eq!(l.len(), 5);
}

#[test]
fn invalid_transitions_are_refused_and_change_nothing() {
    let mut l = one_case();
    // Evaluating an unresolved case.
    let msg = refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "r",
            json!({"type": "evaluated", "satisfaction": 4}),
        ),
        "invalid_transition",
    );
    assert_eq!(
        msg,
        "case `c1` is assigned; an `evaluated` event needs it to be resolved"
    );
    // Resuming a case that is not paused; accepting an assigned one.
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "r",
            json!({"type": "resumed"}),
        ),
        "invalid_transition",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "r",
            json!({"type": "accepted"}),
        ),
        "invalid_transition",
    );
    // Resolving above the level that has it.
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "resolved", "level": "community", "how": "done"}),
        ),
        "resolved_above",
    );
    // Empty texts.
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "resolved", "level": "grid", "how": " "}),
        ),
        "empty",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "shelved", "explanation": ""}),
        ),
        "empty",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "paused", "reason": ""}),
        ),
        "empty",
    );
    // Escalating from the wrong level, downwards, or a reminder out of order.
    let a = |level: &str| json!({"level": level, "time_limit": "1 working day", "due": "2026-03-03T17:30:00+08:00"});
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "escalated", "from": "community", "to": "subdistrict", "reason": "overdue", "assignment": a("subdistrict")}),
        ),
        "wrong_level",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "escalated", "from": "grid", "to": "micro_grid", "reason": "overdue", "assignment": a("micro_grid")}),
        ),
        "not_upward",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "escalated", "from": "grid", "to": "community", "reason": "overdue", "assignment": a("subdistrict")}),
        ),
        "not_upward",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "reminded", "stage": 0}),
        ),
        "reminder_stage",
    );
    // An event earlier than the case's last one.
    let msg = refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T08:00:00+08:00",
            "x",
            json!({"type": "paused", "reason": "wait"}),
        ),
        "backwards",
    );
    assert!(msg.contains("earlier than its last event"), "{msg}");
    // Unknown, duplicate, missing cases; a case on a visit.
    refused(
        &mut l,
        rec(
            "zz",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "accepted"}),
        ),
        "unknown_case",
    );
    let dup = EventRecord {
        event_id: None,
        case: Some(gridgov::CaseId::new("c1").unwrap()),
        at: ts("2026-03-02T10:00:00+08:00"),
        actor: actor("x"),
        event: Event::Reported {
            case: Arc::new(case("c1", json!({}))),
        },
    };
    refused(&mut l, dup, "duplicate_case");
    let mismatch = EventRecord {
        event_id: None,
        case: Some(gridgov::CaseId::new("c9").unwrap()),
        at: ts("2026-03-02T10:00:00+08:00"),
        actor: actor("x"),
        event: Event::Reported {
            case: Arc::new(case("c8", json!({}))),
        },
    };
    refused(&mut l, mismatch, "case_mismatch");
    let no_case: EventRecord = serde_json::from_value(
        json!({"at": "2026-03-02T10:00:00+08:00", "actor": "x", "event": {"type": "accepted"}}),
    )
    .unwrap();
    refused(&mut l, no_case, "missing_case");
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "visited", "unit": "fs-c04-g03-m2", "households": 3}),
        ),
        "case_on_visit",
    );
    // Consulting on a case without joint consultation.
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "consulted", "office": "judicial_office", "opinion": "ok"}),
        ),
        "not_consulting",
    );
    // Merging into itself or into an unknown case.
    let mut l2 = Ledger::new();
    l2.append(EventRecord {
        event_id: None,
        case: Some(gridgov::CaseId::new("n1").unwrap()),
        at: ts("2026-03-02T09:00:00+08:00"),
        actor: actor("x"),
        event: Event::Reported {
            case: Arc::new(case("n1", json!({}))),
        },
    })
    .unwrap();
    refused(
        &mut l2,
        rec(
            "n1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "merged", "into": "n1"}),
        ),
        "merge_target",
    );
    refused(
        &mut l2,
        rec(
            "n1",
            "2026-03-02T10:00:00+08:00",
            "x",
            json!({"type": "merged", "into": "zz"}),
        ),
        "merge_target",
    );
}

#[test]
fn resolving_a_closed_case_and_evaluation_range() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "done"}),
    ))
    .unwrap();
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-04T10:00:00+08:00",
            "r",
            json!({"type": "evaluated", "satisfaction": 6}),
        ),
        "satisfaction",
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-04T10:00:00+08:00",
            "r",
            json!({"type": "evaluated", "satisfaction": 0}),
        ),
        "satisfaction",
    );
    l.append(rec(
        "c1",
        "2026-03-04T10:00:00+08:00",
        "r",
        json!({"type": "evaluated", "satisfaction": 3}),
    ))
    .unwrap();
    let msg = refused(
        &mut l,
        rec(
            "c1",
            "2026-03-05T10:00:00+08:00",
            "fs-gw051",
            json!({"type": "resolved", "level": "grid", "how": "again"}),
        ),
        "invalid_transition",
    );
    assert_eq!(
        msg,
        "case `c1` is closed; a `resolved` event needs it to be assigned"
    );
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-05T10:00:00+08:00",
            "r",
            json!({"type": "evaluated", "satisfaction": 4}),
        ),
        "invalid_transition",
    );
}

#[test]
fn overdue_cases_climb_one_level_and_the_first_handler_follows() {
    let mut l = one_case();
    // Due 2026-03-05 17:30 (3 working days); not overdue at the deadline itself.
    assert!(
        ENGINE
            .overdue(&l, ts("2026-03-05T17:30:00+08:00"))
            .is_empty()
    );
    let now = ts("2026-03-05T17:31:00+08:00");
    let esc = ENGINE.overdue(&l, now);
    assert_eq!(esc.len(), 1);
    assert_eq!(esc[0].from, Level::Grid);
    assert_eq!(esc[0].reason, EscalationReason::Overdue);
    let Climb::Escalate { assignment } = &esc[0].climb else {
        panic!("should climb")
    };
    assert_eq!(assignment.level, Level::Community);
    assert_eq!(assignment.unit.as_ref().unwrap(), "fs-c04");
    assert_eq!(assignment.handler.as_ref().unwrap(), "fs-cm04-3");
    assert_eq!(assignment.time_limit.to_string(), "5 working days");
    assert_eq!(assignment.due.to_string(), "2026-03-12T17:30:00+08:00");
    l.append(esc[0].event(now, &actor("system"))).unwrap();
    let s = l.case("c1").unwrap();
    assert_eq!(s.level(), Some(Level::Community));
    assert_eq!(s.owner, "fs-cm04-3");
    assert_eq!(s.first_handler.as_ref().unwrap(), "fs-gw051");
    assert_eq!(s.followers, ["fs-gw051"]);
    // And on: community → subdistrict → department (no office takes neighbour disputes
    // at department level? the judicial office does) → shelved at the top.
    let mut now = ts("2026-03-12T17:31:00+08:00");
    let mut path = vec![];
    loop {
        let esc = ENGINE.overdue(&l, now);
        let Some(e) = esc.first() else { break };
        match &e.climb {
            Climb::Escalate { assignment } => {
                path.push(assignment.level);
                now = assignment.due.plus_minutes(1);
            }
            Climb::Shelve { explanation } => {
                assert!(
                    explanation.contains("shelved as unresolved (挂账)"),
                    "{explanation}"
                );
                path.push(Level::Department);
            }
        }
        l.append(e.event(now, &actor("system"))).unwrap();
        if l.case("c1").unwrap().status == Status::Shelved {
            break;
        }
    }
    assert_eq!(
        path,
        [Level::Subdistrict, Level::Department, Level::Department]
    );
    let s = l.case("c1").unwrap();
    assert_eq!(s.status, Status::Shelved);
    assert_eq!(
        s.assignment.as_ref().unwrap().office.as_ref().unwrap(),
        "judicial_office"
    );
    let levels: Vec<_> = s.escalations.iter().map(|(f, t, _)| (*f, *t)).collect();
    assert_eq!(
        levels,
        [
            (Level::Grid, Level::Community),
            (Level::Community, Level::Subdistrict),
            (Level::Subdistrict, Level::Department)
        ]
    );
}

#[test]
fn escalating_above_the_top_is_refused() {
    let mut l = Ledger::new();
    intake(&mut l, case("p1", json!({"category": "property_crime"})));
    assert_eq!(l.case("p1").unwrap().level(), Some(Level::Department));
    let a = json!({"level": "department", "time_limit": "1 working day", "due": "2026-03-03T17:30:00+08:00"});
    let msg = refused(
        &mut l,
        rec(
            "p1",
            "2026-03-04T10:00:00+08:00",
            "system",
            json!({"type": "escalated", "from": "department", "to": "department", "reason": "overdue", "assignment": a}),
        ),
        "above_top",
    );
    assert!(
        msg.contains("shelve it with an explanation instead"),
        "{msg}"
    );
    // The engine shelves it instead.
    let esc = ENGINE.overdue(&l, ts("2026-03-04T10:00:00+08:00"));
    assert!(matches!(esc[0].climb, Climb::Shelve { .. }));
}

#[test]
fn a_failed_mediation_escalates_at_once() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-02T15:00:00+08:00",
        "fs-gw051",
        json!({"type": "mediation_failed", "note": "双方未达成一致"}),
    ))
    .unwrap();
    let actions = ENGINE.actions(&l, ts("2026-03-02T15:05:00+08:00"));
    assert_eq!(actions.escalations.len(), 1);
    assert_eq!(
        actions.escalations[0].reason,
        EscalationReason::MediationFailed
    );
    let events = actions.events(ts("2026-03-02T15:05:00+08:00"), &actor("system"));
    l.append_all(events).unwrap();
    let s = l.case("c1").unwrap();
    assert_eq!(s.level(), Some(Level::Community));
    assert!(!s.extras.mediation_failed);
}

#[test]
fn a_dissatisfied_evaluation_reopens_at_the_next_level() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "done"}),
    ))
    .unwrap();
    l.append(rec(
        "c1",
        "2026-03-04T10:00:00+08:00",
        "r",
        json!({"type": "evaluated", "satisfaction": 3}),
    ))
    .unwrap();
    assert!(
        ENGINE
            .actions(&l, ts("2026-03-04T11:00:00+08:00"))
            .reopenings
            .is_empty(),
        "3 is not dissatisfied (<= 2)"
    );
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "done"}),
    ))
    .unwrap();
    l.append(rec(
        "c1",
        "2026-03-04T10:00:00+08:00",
        "r",
        json!({"type": "evaluated", "satisfaction": 2}),
    ))
    .unwrap();
    let actions = ENGINE.actions(&l, ts("2026-03-04T11:00:00+08:00"));
    assert_eq!(actions.reopenings.len(), 1);
    assert_eq!(actions.reopenings[0].assignment.level, Level::Community);
    l.append_all(actions.events(ts("2026-03-04T11:00:00+08:00"), &actor("system")))
        .unwrap();
    let s = l.case("c1").unwrap();
    assert_eq!(s.status, Status::Assigned);
    assert_eq!(s.reopens, 1);
    assert_eq!(s.level(), Some(Level::Community));
    // Reopening below the level that resolved it is refused.
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "done"}),
    ))
    .unwrap();
    let a = json!({"level": "micro_grid", "time_limit": "1 working day", "due": "2026-03-05T17:30:00+08:00"});
    refused(
        &mut l,
        rec(
            "c1",
            "2026-03-04T10:00:00+08:00",
            "x",
            json!({"type": "reopened", "reason": "manual", "assignment": a}),
        ),
        "reopen_below",
    );
}

#[test]
fn a_returned_case_is_routed_again_with_its_corrected_facts() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-02T11:00:00+08:00",
        "fs-gw051",
        json!({"type": "returned", "reason": "实为盗窃，分类错误", "category": "property_crime"}),
    ))
    .unwrap();
    let s = l.case("c1").unwrap();
    assert_eq!(s.status, Status::Returned);
    assert_eq!(s.returns, 1);
    assert_eq!(s.owner, "fs-gw051", "back to the dispatcher");
    let actions = ENGINE.actions(&l, ts("2026-03-02T11:05:00+08:00"));
    assert_eq!(actions.reroutes.len(), 1);
    let a = &actions.reroutes[0].assignment;
    assert_eq!(a.level, Level::Department);
    assert_eq!(a.office.as_ref().unwrap(), "police_work_office");
    assert_eq!(a.due.to_string(), "2026-03-03T17:30:00+08:00");
    l.append_all(actions.events(ts("2026-03-02T11:05:00+08:00"), &actor("dispatcher")))
        .unwrap();
    assert_eq!(l.case("c1").unwrap().status, Status::Assigned);
}

#[test]
fn staged_reminders_at_half_and_four_fifths_of_the_time_limit() {
    let mut l = one_case();
    // 3 working days from Monday 09:00, due Thursday 17:30: the working clock runs
    // 390 (Mon) + 3 × 420 = 1650 minutes; 50% (825) is reached Wednesday 08:45 and 80%
    // (1320) Thursday 10:00.
    let at = |s: &str| ENGINE.reminders(&l, ts(s));
    assert!(at("2026-03-03T15:00:00+08:00").is_empty());
    assert!(at("2026-03-04T08:44:00+08:00").is_empty());
    let r = at("2026-03-04T08:45:00+08:00");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].stage, 50);
    l.append(r[0].event(ts("2026-03-04T08:45:00+08:00"), &actor("system")))
        .unwrap();
    assert!(
        ENGINE
            .reminders(&l, ts("2026-03-04T16:00:00+08:00"))
            .is_empty(),
        "50% already sent"
    );
    assert!(
        ENGINE
            .reminders(&l, ts("2026-03-05T09:59:00+08:00"))
            .is_empty()
    );
    let r = ENGINE.reminders(&l, ts("2026-03-05T10:00:00+08:00"));
    assert_eq!(r[0].stage, 80);
    // Past the deadline: no reminder, an escalation.
    assert!(
        ENGINE
            .reminders(&l, ts("2026-03-06T09:00:00+08:00"))
            .is_empty()
    );
}

#[test]
fn a_pause_stops_the_clock() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-02T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "paused", "reason": "等待当事人返乡"}),
    ))
    .unwrap();
    assert_eq!(ENGINE.effective_due(l.case("c1").unwrap()), None);
    assert!(
        ENGINE
            .overdue(&l, ts("2026-03-20T10:00:00+08:00"))
            .is_empty(),
        "paused cases are not overdue"
    );
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resumed"}),
    ))
    .unwrap();
    // One working day paused: due Thursday 17:30 → Friday 17:30.
    assert_eq!(
        ENGINE
            .effective_due(l.case("c1").unwrap())
            .unwrap()
            .to_string(),
        "2026-03-06T17:30:00+08:00"
    );
}

#[test]
fn repeat_reports_merge_and_a_third_report_goes_to_the_community() {
    let mut l = one_case();
    // Second report of the same matter: joined; the count is 1, still a grid matter.
    intake(
        &mut l,
        case("c2", json!({"reported_at": "2026-03-03T09:00:00+08:00"})),
    );
    assert_eq!(l.case("c2").unwrap().status, Status::Merged);
    assert_eq!(
        l.case("c2").unwrap().extras.merged_into.as_ref().unwrap(),
        "c1"
    );
    assert_eq!(l.case("c1").unwrap().repeat_count(), 1);
    assert_eq!(l.case("c1").unwrap().level(), Some(Level::Grid));
    // Third report: count 2 routes it to the community (third-report), with the
    // long-term mechanism flag.
    intake(
        &mut l,
        case("c3", json!({"reported_at": "2026-03-04T09:00:00+08:00"})),
    );
    let s = l.case("c1").unwrap();
    assert_eq!(s.repeat_count(), 2);
    assert_eq!(s.level(), Some(Level::Community));
    assert!(
        s.assignment
            .as_ref()
            .unwrap()
            .has_flag("long_term_mechanism")
    );
    assert_eq!(
        s.escalations.last().unwrap().2,
        EscalationReason::RepeatReport
    );
    // A different category, or another micro-grid, is a new case.
    intake(
        &mut l,
        case(
            "c4",
            json!({"reported_at": "2026-03-04T10:00:00+08:00", "category": "environment"}),
        ),
    );
    intake(
        &mut l,
        case(
            "c5",
            json!({"reported_at": "2026-03-04T10:00:00+08:00", "location": "fs-c04-g03-m1"}),
        ),
    );
    assert_eq!(l.case("c4").unwrap().status, Status::Assigned);
    assert_eq!(l.case("c5").unwrap().status, Status::Assigned);
}

#[test]
fn a_repeat_of_a_recently_closed_case_reopens_it_and_an_old_one_does_not() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "done"}),
    ))
    .unwrap();
    l.append(rec(
        "c1",
        "2026-03-04T10:00:00+08:00",
        "r",
        json!({"type": "evaluated", "satisfaction": 4}),
    ))
    .unwrap();
    // Within 30 days of closing: joined, and the closed case reopens.
    let mut within = l.clone();
    intake(
        &mut within,
        case("c2", json!({"reported_at": "2026-03-20T09:00:00+08:00"})),
    );
    let s = within.case("c1").unwrap();
    assert_eq!(s.status, Status::Assigned);
    assert_eq!(s.reopens, 1);
    // Later than the window: a new case.
    let mut later = l.clone();
    intake(
        &mut later,
        case("c2", json!({"reported_at": "2026-05-20T09:00:00+08:00"})),
    );
    assert_eq!(later.case("c2").unwrap().status, Status::Assigned);
    assert_eq!(later.case("c1").unwrap().status, Status::Closed);
}

#[test]
fn joint_consultation_records_each_office_and_needs_all() {
    let mut l = Ledger::new();
    intake(&mut l, case("m1", json!({"people_involved": 40})));
    let s = l.case("m1").unwrap();
    let a = s.assignment.as_ref().unwrap();
    assert!(a.has_flag("joint_consultation"));
    assert_eq!(
        a.office.as_ref().unwrap(),
        "comprehensive_governance_office"
    );
    assert_eq!(s.owner, "fs-comprehensive_governance_office-1");
    let msg = refused(
        &mut l,
        rec(
            "m1",
            "2026-03-02T15:00:00+08:00",
            "x",
            json!({"type": "resolved", "level": "subdistrict", "how": "会商解决"}),
        ),
        "consultation_incomplete",
    );
    assert!(
        msg.contains("`comprehensive_governance_office`, `petitions_office`, `judicial_office`"),
        "{msg}"
    );
    for office in [
        "comprehensive_governance_office",
        "petitions_office",
        "judicial_office",
    ] {
        l.append(rec(
            "m1",
            "2026-03-02T14:00:00+08:00",
            "x",
            json!({"type": "consulted", "office": office, "opinion": "同意"}),
        ))
        .unwrap();
    }
    refused(
        &mut l,
        rec(
            "m1",
            "2026-03-02T14:30:00+08:00",
            "x",
            json!({"type": "consulted", "office": "police_work_office", "opinion": "?"}),
        ),
        "not_consulting",
    );
    l.append(rec(
        "m1",
        "2026-03-02T15:00:00+08:00",
        "x",
        json!({"type": "resolved", "level": "subdistrict", "how": "会商解决"}),
    ))
    .unwrap();
    assert_eq!(l.case("m1").unwrap().extras.consulted.len(), 3);
}

#[test]
fn visits_are_recorded() {
    let mut l = Ledger::new();
    l.append(serde_json::from_value(json!({"at": "2026-03-02T10:00:00+08:00", "actor": "fs-gw051", "event": {"type": "visited", "unit": "fs-c04-g03-m2", "households": 12}})).unwrap()).unwrap();
    assert_eq!(l.state().visits().len(), 1);
    assert_eq!(l.state().visits()[0].households, 12);
}

#[test]
fn snapshots_load_back_losslessly_and_replay_from_any_prefix() {
    let mut l = one_case();
    intake(
        &mut l,
        case(
            "c2",
            json!({"reported_at": "2026-03-02T11:00:00+08:00", "category": "livelihood"}),
        ),
    );
    l.append(rec(
        "c1",
        "2026-03-02T15:00:00+08:00",
        "fs-gw051",
        json!({"type": "paused", "reason": "等待"}),
    ))
    .unwrap();
    l.append(rec(
        "c1",
        "2026-03-03T15:00:00+08:00",
        "fs-gw051",
        json!({"type": "resumed"}),
    ))
    .unwrap();
    intake(
        &mut l,
        case("c3", json!({"reported_at": "2026-03-03T16:00:00+08:00"})),
    );
    let events: Vec<EventRecord> = l.events().collect();
    for k in 0..=events.len() {
        let prefix =
            Ledger::from_snapshot(LedgerState::new(), events[..k].iter().cloned()).unwrap();
        let snap = prefix.state().to_json();
        let loaded = LedgerState::from_json_str(&snap).unwrap();
        assert_eq!(loaded, *prefix.state(), "snapshot after {k} events");
        assert_eq!(loaded.to_json(), snap);
        let resumed = Ledger::from_snapshot(loaded, events[k..].iter().cloned()).unwrap();
        assert_eq!(resumed.state(), l.state(), "replay from {k}");
    }
    // The ledger document round-trips too.
    let again = Ledger::from_json_str(&l.to_json()).unwrap();
    assert_eq!(again.state(), l.state());
    assert_eq!(again.to_json(), l.to_json());
}

#[test]
fn append_all_is_all_or_nothing() {
    let mut l = one_case();
    let before = l.state().clone();
    let good = rec(
        "c1",
        "2026-03-02T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "paused", "reason": "等待"}),
    );
    let bad = rec(
        "c1",
        "2026-03-02T11:00:00+08:00",
        "fs-gw051",
        json!({"type": "paused", "reason": "again"}),
    );
    let err = l.append_all(vec![good, bad]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 1: case `c1` is paused; a `paused` event needs it to be assigned"
    );
    assert_eq!(*l.state(), before);
    assert_eq!(l.len(), 2);
}

#[test]
fn timelines_for_staff_and_public() {
    let mut l = one_case();
    l.append(rec(
        "c1",
        "2026-03-03T10:00:00+08:00",
        "fs-gw051",
        json!({"type": "resolved", "level": "grid", "how": "与张三电话13800001234沟通后解决"}),
    ))
    .unwrap();
    l.append(rec(
        "c1",
        "2026-03-04T10:00:00+08:00",
        "resident-88",
        json!({"type": "evaluated", "satisfaction": 5, "comment": "谢谢，我是张三"}),
    ))
    .unwrap();
    let staff = gridgov::case::timeline::timeline(&l, ENGINE.org(), "c1", false).unwrap();
    let public = gridgov::case::timeline::timeline(&l, ENGINE.org(), "c1", true).unwrap();
    assert_eq!(staff.len(), 4);
    assert_eq!(public.len(), 4);
    let staff_json = serde_json::to_string(&staff).unwrap();
    let public_json = serde_json::to_string(&public).unwrap();
    for secret in ["张三", "13800001234", "370883199001011234"] {
        assert!(staff_json.contains(secret), "staff see {secret}");
        assert!(
            !public_json.contains(secret),
            "public must not see {secret}: {public_json}"
        );
    }
    assert!(public_json.contains("张*"));
    assert!(public_json.contains("138****1234"));
    assert!(public_json.contains("3708**********1234"));
    assert_eq!(public[3].actor, "resident");
    assert_eq!(staff[3].actor, "resident-88");
    assert_eq!(public[0].label, "上报 Reported");
}

#[test]
fn an_assignment_is_what_the_decision_said() {
    let c = case("x", json!({"people_involved": 40}));
    let d = ENGINE.route(&c).unwrap();
    let a: Assignment = ENGINE.assignment(&d);
    assert_eq!(a.level, Level::Subdistrict);
    assert_eq!(a.co_offices.len(), 2);
    assert_eq!(
        a.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        ["joint_consultation"]
    );
    assert_eq!(a.grade.as_ref().unwrap(), "critical");
}

#[test]
fn a_repeat_needs_the_same_reporter_unless_the_rules_say_otherwise() {
    let mut l = one_case();
    let other = json!({"reported_at": "2026-03-03T09:00:00+08:00", "reporter": {"name": "李四", "phone": "13900002222"}});
    intake(&mut l, case("c2", other.clone()));
    assert_eq!(
        l.case("c2").unwrap().status,
        Status::Assigned,
        "another resident: a new case"
    );
    // The same phone under another name is the same resident.
    intake(
        &mut l,
        case(
            "c3",
            json!({"reported_at": "2026-03-03T10:00:00+08:00", "reporter": {"name": "张三丰", "phone": "13800001234"}}),
        ),
    );
    assert_eq!(
        l.case("c3").unwrap().extras.merged_into.as_ref().unwrap(),
        "c1"
    );
    // With `same_reporter: false`, any report of the category in the micro-grid repeats.
    let mut rules: Value = serde_json::from_str(gridgov::rules::default_json()).unwrap();
    for v in rules["versions"].as_array_mut().unwrap() {
        v["escalation"] = json!({"repeat": {"same_reporter": false, "match_at": "grid"}});
    }
    let engine = Engine::from_json_strs(None, Some(&rules.to_string()), None).unwrap();
    let mut l = Ledger::new();
    l.append_all(
        engine
            .intake(&l, case("d1", json!({})), &actor("x"))
            .unwrap(),
    )
    .unwrap();
    let next = case(
        "d2",
        json!({"reported_at": "2026-03-03T09:00:00+08:00", "location": "fs-c04-g03-m1", "reporter": {"name": "李四"}}),
    );
    l.append_all(engine.intake(&l, next, &actor("x")).unwrap())
        .unwrap();
    assert_eq!(
        l.case("d2").unwrap().extras.merged_into.as_ref().unwrap(),
        "d1",
        "same grid, other micro-grid, other resident"
    );
}

/// The ledger keeps a chain hash only every `MARK_EVERY` (32) events and the head; every
/// other hash is recomputed. Over a few hundred events of a simulated month (some with
/// event ids) every position's hash, the document's hashes, the timelines' hashes and
/// the receipts of re-sent events are the chain's, and the event log gives back the
/// records appended, byte for byte.
#[test]
fn hashes_between_marks_are_recomputed_from_the_chain() {
    use gridgov::case::ledger::{canonical_bytes, chain_record, hex};

    let engine = &*ENGINE;
    let cases = gridgov::sim::month_cases(engine, 2026, 3, 40, 20_261_129);
    let mut records = gridgov_benches::ledger_workload(engine, &cases);
    for (i, r) in records.iter_mut().enumerate() {
        if i % 3 == 1 {
            r.event_id = Some(format!("ev-{i}"));
        }
    }
    assert!(records.len() > 3 * 32, "{} events", records.len());
    let mut ledger = Ledger::new();
    let mut receipts = Vec::new();
    for r in &records {
        receipts.push(ledger.append(r.clone()).unwrap());
    }
    // The chain computed here, record by record.
    let mut chain = gridgov::case::ledger::GENESIS;
    for (i, (r, receipt)) in records.iter().zip(&receipts).enumerate() {
        chain = chain_record(&chain, r);
        assert_eq!(receipt.hash, chain, "receipt {i}");
        assert_eq!(ledger.hash_at(i as u64), Some(chain), "hash_at({i})");
    }
    assert_eq!(ledger.head(), chain);
    assert_eq!(ledger.hash_at(records.len() as u64), None);
    assert_eq!(ledger.verify().unwrap(), chain);
    // The events come back as appended (the same canonical bytes).
    let back: Vec<EventRecord> = ledger.events().collect();
    assert_eq!(back.len(), records.len());
    for (i, (a, b)) in records.iter().zip(&back).enumerate() {
        assert_eq!(canonical_bytes(a), canonical_bytes(b), "event {i}");
    }
    // The document carries every hash and loads back to the same chain.
    let doc: Value = serde_json::from_str(&ledger.to_json()).unwrap();
    for (i, (e, receipt)) in doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&receipts)
        .enumerate()
    {
        assert_eq!(e["hash"], hex(&receipt.hash), "document event {i}");
    }
    let loaded = Ledger::from_json_str(&ledger.to_json()).unwrap();
    assert_eq!(loaded.head(), chain);
    assert_eq!(loaded.to_json(), ledger.to_json());
    // A timeline's hashes are the chain's at each of its events.
    let first = cases.first().unwrap().id.as_str();
    let timeline = engine.timeline(&ledger, first, false).unwrap();
    assert!(timeline.len() >= 5);
    for entry in &timeline {
        let receipt = &receipts[usize::try_from(entry.index).unwrap()];
        assert_eq!(entry.hash.as_deref(), Some(hex(&receipt.hash).as_str()));
    }
    // A re-sent event anywhere between two marks gets its first receipt back.
    for i in [1usize, 31, 34, 64, 97, records.len() - 2] {
        let Some(r) = records.get(i).filter(|r| r.event_id.is_some()) else {
            continue;
        };
        let again = ledger.append(r.clone()).unwrap();
        assert!(again.duplicate);
        assert_eq!((again.index, again.hash), (i as u64, receipts[i].hash));
    }
    assert_eq!(ledger.len(), records.len());
}

/// A case's events are followed back from its last one (each event knows the one before
/// it about the same case): for every case of a simulated month they are exactly the
/// ledger's events about it, in order, and its timeline lists the same positions.
#[test]
fn a_case_s_events_are_its_chain_of_events() {
    let engine = &*ENGINE;
    let cases = gridgov::sim::month_cases(engine, 2026, 3, 60, 20_261_130);
    let mut ledger = Ledger::new();
    for r in gridgov_benches::ledger_workload(engine, &cases) {
        ledger.append(r).unwrap();
    }
    let all: Vec<(u64, EventRecord)> = ledger.events().zip(0u64..).map(|(r, i)| (i, r)).collect();
    for c in &cases {
        let id = c.id.as_str();
        let expected: Vec<&(u64, EventRecord)> = all
            .iter()
            .filter(|(_, r)| r.case.as_ref().is_some_and(|x| x.as_str() == id))
            .collect();
        assert!(expected.len() >= 8, "{id}: {}", expected.len());
        let got: Vec<EventRecord> = ledger.case_events(id).collect();
        assert_eq!(got.len(), expected.len(), "{id}");
        for (g, (_, e)) in got.iter().zip(&expected) {
            assert_eq!(g, e, "{id}");
        }
        let timeline = engine.timeline(&ledger, id, false).unwrap();
        let at: Vec<u64> = timeline.iter().map(|t| t.index).collect();
        let want: Vec<u64> = expected.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, want, "{id}");
    }
    assert_eq!(ledger.case_events("no-such-case").count(), 0);
}
