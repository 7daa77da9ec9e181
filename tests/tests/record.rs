//! Authorized writes: `Engine::record` and `Engine::record_intake` refuse every write the
//! actor may not make, with an access error naming the actor, the action and the case, and
//! append nothing; and succeed exactly when `can` holds and the transition is valid.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::sync::LazyLock;

use gridgov::Engine;
use gridgov::access::{Action, Actor, action_of};
use gridgov::case::Case;
use gridgov::case::event::{EventRecord, SYSTEM};
use gridgov::case::ledger::Ledger;
use proptest::prelude::*;
use serde_json::{Value, json};

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::fushan);

const RESIDENT: &str = "370883199001011234";
const OTHER_RESIDENT: &str = "370883199202022222";

fn actor(id: &str, role: &str) -> Actor {
    Actor {
        id: id.to_owned(),
        role: role.to_owned(),
        unit: None,
    }
}

fn office(id: &str, unit: &str) -> Actor {
    Actor {
        id: id.to_owned(),
        role: "office".to_owned(),
        unit: Some(unit.to_owned()),
    }
}

fn case(id: &str, category: &str, location: &str, reporter: &str) -> Case {
    Case::from_json_str(
        &json!({"id": id, "channel": "hotline", "category": category, "location": location,
            "reported_at": "2026-03-02T09:00:00+08:00",
            "reporter": {"name": "王芳", "id_number": reporter}})
        .to_string(),
    )
    .unwrap()
}

fn event(case: &str, at: &str, who: &str, event: Value) -> EventRecord {
    serde_json::from_value(json!({"case": case, "at": at, "actor": who, "event": event})).unwrap()
}

fn resolved(who: &str) -> EventRecord {
    event(
        "c1",
        "2026-03-03T10:00:00+08:00",
        who,
        json!({"type": "resolved", "level": "micro_grid", "how": "修好了"}),
    )
}

fn evaluated(who: &str) -> EventRecord {
    event(
        "c1",
        "2026-03-04T10:00:00+08:00",
        who,
        json!({"type": "evaluated", "satisfaction": 5}),
    )
}

/// c1: a livelihood case in fs-c01-g01-m1 (grid worker fs-gw001) reported by RESIDENT;
/// c2: a property crime in fs-c05-g01-m1 routed to the police work office, reported by
/// OTHER_RESIDENT. Both taken in by the system.
fn ledger() -> Ledger {
    let mut l = Ledger::new();
    let system = Actor::system();
    ENGINE
        .record_intake(
            &mut l,
            &system,
            case("c1", "livelihood", "fs-c01-g01-m1", RESIDENT),
        )
        .unwrap();
    ENGINE
        .record_intake(
            &mut l,
            &system,
            case("c2", "property_crime", "fs-c05-g01-m1", OTHER_RESIDENT),
        )
        .unwrap();
    l
}

/// Records an event that must be refused: checks the code, that the message names the
/// actor and the case, and that nothing was appended.
fn refused(l: &mut Ledger, who: &Actor, e: EventRecord, code: &str) -> String {
    let before = l.to_json();
    let err = ENGINE.record(l, who, e.clone()).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(l.to_json(), before, "nothing may be appended");
    let message = err.to_string();
    if let Some(c) = e.case.as_ref() {
        assert!(message.contains(c.as_str()), "{message}");
    }
    message
}

#[test]
fn the_two_writes_of_the_issue_are_refused() {
    let mut l = ledger();
    // A grid worker of another community resolves the case.
    let m = refused(
        &mut l,
        &actor("fs-gw150", "grid_worker"),
        resolved("fs-gw150"),
        "out_of_scope",
    );
    assert_eq!(
        m,
        "actor `fs-gw150` with role `grid_worker` may not resolve case `c1`: it is outside the role's scope `duty_grids`"
    );
    // The grid's own grid worker resolves it.
    ENGINE
        .record(
            &mut l,
            &actor("fs-gw001", "grid_worker"),
            resolved("fs-gw001"),
        )
        .unwrap();
    // An actor that exists nowhere evaluates it.
    let m = refused(
        &mut l,
        &actor("anyone", "resident"),
        evaluated("anyone"),
        "unknown_actor",
    );
    assert!(m.contains("may not rate case `c1`"), "{m}");
    assert!(m.contains("no case in the ledger was reported under this id number"));
}

#[test]
fn residents_rate_their_own_cases_only() {
    let mut l = ledger();
    ENGINE
        .record(
            &mut l,
            &actor("fs-gw001", "grid_worker"),
            resolved("fs-gw001"),
        )
        .unwrap();
    // Another resident with a case of their own: known, but c1 is not theirs.
    let m = refused(
        &mut l,
        &actor(OTHER_RESIDENT, "resident"),
        evaluated(OTHER_RESIDENT),
        "out_of_scope",
    );
    assert!(
        m.starts_with("actor `3708**********2222`"),
        "resident ids are masked: {m}"
    );
    // Staff do not rate: the evaluation is the resident's.
    refused(
        &mut l,
        &actor("fs-cm01-1", "committee_member"),
        evaluated("fs-cm01-1"),
        "forbidden",
    );
    ENGINE
        .record(&mut l, &actor(RESIDENT, "resident"), evaluated(RESIDENT))
        .unwrap();
    assert_eq!(l.case("c1").unwrap().status.as_str(), "closed");
}

#[test]
fn the_event_actor_must_be_the_one_who_records_it() {
    let mut l = ledger();
    let m = refused(
        &mut l,
        &actor("fs-gw001", "grid_worker"),
        resolved("fs-gw002"),
        "actor_mismatch",
    );
    assert_eq!(
        m,
        "actor `fs-gw001` may not resolve case `c1` in the name of `fs-gw002`: an event's `actor` is the one who records it"
    );
}

#[test]
fn unknown_staff_are_refused() {
    let mut l = ledger();
    let m = refused(
        &mut l,
        &actor("fs-gw999", "grid_worker"),
        resolved("fs-gw999"),
        "unknown_actor",
    );
    assert!(m.contains("not a person of the organisation"), "{m}");
    // Claiming a wide role does not help a stranger either.
    refused(
        &mut l,
        &actor("mallory", "subdistrict"),
        resolved("mallory"),
        "unknown_actor",
    );
}

#[test]
fn a_role_is_only_taken_by_the_posts_that_hold_it() {
    let mut l = ledger();
    // A grid worker of another community claims the subdistrict's role.
    let m = refused(
        &mut l,
        &actor("fs-gw150", "subdistrict"),
        resolved("fs-gw150"),
        "role_not_held",
    );
    assert_eq!(
        m,
        "actor `fs-gw150` with role `subdistrict` may not resolve case `c1`: their post is `grid_worker`; the role `subdistrict` is held by office_staff, area_secretary"
    );
    // Staff of an office are not the subdistrict either.
    let m = refused(
        &mut l,
        &actor("fs-judicial_office-1", "subdistrict"),
        resolved("fs-judicial_office-1"),
        "role_not_held",
    );
    assert!(
        m.contains("they belong to the office `judicial_office`"),
        "{m}"
    );
    // A cadre of fs-c05 acting for fs-c01.
    let m = refused(
        &mut l,
        &Actor {
            id: "fs-cm05-1".into(),
            role: "community_cadre".into(),
            unit: Some("fs-c01".into()),
        },
        resolved("fs-cm05-1"),
        "role_not_held",
    );
    assert!(
        m.contains("they belong to `fs-c05`, and `fs-c01` is not within it"),
        "{m}"
    );
    // An officer of the police work office acting for the judicial office.
    refused(
        &mut l,
        &office("fs-police_work_office-1", "judicial_office"),
        resolved("fs-police_work_office-1"),
        "role_not_held",
    );
    // The subdistrict's own duty officer, and a cadre of fs-c01 for a grid within it.
    ENGINE
        .record(
            &mut l,
            &Actor {
                id: "fs-cm01-1".into(),
                role: "community_cadre".into(),
                unit: Some("fs-c01-g01".into()),
            },
            resolved("fs-cm01-1"),
        )
        .unwrap();
    let reminder = event(
        "c1",
        "2026-03-03T12:00:00+08:00",
        "fs-duty",
        json!({"type": "shelved", "explanation": "—"}),
    );
    assert_eq!(
        ENGINE
            .record(&mut l, &actor("fs-duty", "subdistrict"), reminder)
            .unwrap_err()
            .code(),
        "invalid_transition",
        "the duty officer passes the access checks; the ledger refuses shelving a resolved case"
    );
}

#[test]
fn system_only_events_come_from_the_system_actor() {
    let mut l = ledger();
    let reminder = |who: &str| {
        event(
            "c1",
            "2026-03-03T09:00:00+08:00",
            who,
            json!({"type": "reminded", "stage": 50}),
        )
    };
    let m = refused(
        &mut l,
        &actor("fs-gw001", "grid_worker"),
        reminder("fs-gw001"),
        "system_only",
    );
    assert!(m.contains("may not record `reminded` on case `c1`"), "{m}");
    refused(
        &mut l,
        &actor("fs-duty", "subdistrict"),
        reminder("fs-duty"),
        "system_only",
    );
    // Someone who claims the system role is not the system.
    let err = ENGINE
        .record(&mut l, &actor("fs-gw001", "system"), reminder("fs-gw001"))
        .unwrap_err();
    assert_eq!(err.code(), "unknown_role");
    assert!(
        err.to_string().contains("for the actor `system` only"),
        "{err}"
    );
    ENGINE
        .record(&mut l, &Actor::system(), reminder(SYSTEM))
        .unwrap();
}

#[test]
fn an_office_acts_only_on_cases_routed_to_it() {
    let mut l = ledger();
    let accept = |case: &str, who: &str| {
        event(
            case,
            "2026-03-02T10:00:00+08:00",
            who,
            json!({"type": "paused", "reason": "等待监控录像"}),
        )
    };
    let police = office("fs-police_work_office-1", "police_work_office");
    refused(
        &mut l,
        &police,
        accept("c1", "fs-police_work_office-1"),
        "out_of_scope",
    );
    ENGINE
        .record(&mut l, &police, accept("c2", "fs-police_work_office-1"))
        .unwrap();
}

#[test]
fn a_committee_member_acts_in_their_liaison_grids() {
    let mut l = ledger();
    refused(
        &mut l,
        &actor("fs-cm01-2", "committee_member"),
        resolved("fs-cm01-2"),
        "out_of_scope",
    );
    ENGINE
        .record(
            &mut l,
            &actor("fs-cm01-1", "committee_member"),
            resolved("fs-cm01-1"),
        )
        .unwrap();
}

#[test]
fn an_analyst_may_not_act_and_is_told_which_case() {
    let mut l = ledger();
    let m = refused(
        &mut l,
        &actor("fs-duty", "analyst"),
        resolved("fs-duty"),
        "forbidden",
    );
    assert_eq!(
        m,
        "actor `fs-duty` with role `analyst` may not resolve case `c1`; the role may view, evaluate, export"
    );
}

#[test]
fn visits_are_recorded_by_the_grids_own_worker() {
    let mut l = ledger();
    let visit = |who: &str| -> EventRecord {
        serde_json::from_value(json!({"at": "2026-03-02T11:00:00+08:00", "actor": who,
            "event": {"type": "visited", "unit": "fs-c01-g01-m1", "households": 12}}))
        .unwrap()
    };
    let before = l.len();
    let err = ENGINE
        .record(&mut l, &actor("fs-gw002", "grid_worker"), visit("fs-gw002"))
        .unwrap_err();
    assert_eq!(err.code(), "out_of_scope");
    assert!(err.to_string().contains("fs-c01-g01-m1"), "{err}");
    assert_eq!(l.len(), before);
    ENGINE
        .record(&mut l, &actor("fs-gw001", "grid_worker"), visit("fs-gw001"))
        .unwrap();
}

#[test]
fn reports_are_authorized_by_location_and_reporter() {
    let mut l = ledger();
    // A resident reports under their own id number: taken in and routed.
    let receipts = ENGINE
        .record_intake(
            &mut l,
            &actor("370883199503033333", "resident"),
            case("c3", "livelihood", "fs-c02-g01-m1", "370883199503033333"),
        )
        .unwrap();
    assert_eq!(receipts.len(), 2);
    assert!(l.case("c3").unwrap().assignment.is_some());
    // … but not under someone else's.
    let before = l.len();
    let err = ENGINE
        .record_intake(
            &mut l,
            &actor("370883199503033333", "resident"),
            case("c4", "livelihood", "fs-c02-g01-m1", RESIDENT),
        )
        .unwrap_err();
    assert_eq!(err.code(), "out_of_scope", "{err}");
    // A resident with no case who reports under someone else's id is unknown.
    let err = ENGINE
        .record_intake(
            &mut l,
            &actor("370883199909099999", "resident"),
            case("c4", "livelihood", "fs-c02-g01-m1", RESIDENT),
        )
        .unwrap_err();
    assert_eq!(err.code(), "unknown_actor", "{err}");
    assert_eq!(l.len(), before);
    // A grid worker reports in their grids only.
    let err = ENGINE
        .record_intake(
            &mut l,
            &actor("fs-gw001", "grid_worker"),
            case("c5", "livelihood", "fs-c02-g01-m1", RESIDENT),
        )
        .unwrap_err();
    assert_eq!(err.code(), "out_of_scope", "{err}");
    assert_eq!(l.len(), before);
    ENGINE
        .record_intake(
            &mut l,
            &actor("fs-gw001", "grid_worker"),
            case("c5", "livelihood", "fs-c01-g01-m2", RESIDENT),
        )
        .unwrap();
}

#[test]
fn a_resent_event_is_a_duplicate_and_a_changed_one_a_conflict() {
    let mut l = ledger();
    let gw = actor("fs-gw001", "grid_worker");
    let mut e = resolved("fs-gw001");
    e.event_id = Some("app-7781".to_owned());
    let first = ENGINE.record(&mut l, &gw, e.clone()).unwrap();
    assert!(!first.duplicate);
    let len = l.len();
    let again = ENGINE.record(&mut l, &gw, e.clone()).unwrap();
    assert!(again.duplicate);
    assert_eq!((again.index, again.hash), (first.index, first.hash));
    assert_eq!(l.len(), len);
    let mut changed = e;
    changed.at = "2026-03-03T11:00:00+08:00".parse().unwrap();
    let err = ENGINE.record(&mut l, &gw, changed).unwrap_err();
    assert_eq!(err.code(), "event_id_conflict");
    assert_eq!(
        err.to_string(),
        format!(
            "event 0: event_id `app-7781` is already taken by ledger event {} with other content; a re-sent event must be identical, a new event needs a new id",
            first.index
        )
    );
    assert_eq!(l.len(), len);
}

/// The actors the property draws from: staff of the grids of c1 and c2 and others, offices,
/// the two residents and a stranger, an analyst, the system and a false system.
fn actors() -> Vec<Actor> {
    vec![
        actor("fs-gw001", "grid_worker"),
        actor("fs-gw002", "grid_worker"),
        actor("fs-gw061", "grid_worker"),
        actor("fs-gw150", "grid_worker"),
        actor("fs-gw999", "grid_worker"),
        actor("fs-cm01-1", "committee_member"),
        actor("fs-cm05-1", "committee_member"),
        Actor {
            id: "fs-cm01-2".into(),
            role: "community_cadre".into(),
            unit: Some("fs-c01".into()),
        },
        actor("fs-duty", "subdistrict"),
        office("fs-police_work_office-1", "police_work_office"),
        office("fs-judicial_office-1", "judicial_office"),
        actor(RESIDENT, "resident"),
        actor(OTHER_RESIDENT, "resident"),
        actor("370883199909099999", "resident"),
        actor("fs-duty", "analyst"),
        Actor::system(),
        actor("fs-gw001", "system"),
        // People claiming roles their posts do not hold.
        actor("fs-gw150", "subdistrict"),
        actor("fs-judicial_office-1", "subdistrict"),
        Actor {
            id: "fs-cm01-1".into(),
            role: "community_cadre".into(),
            unit: Some("fs-c05".into()),
        },
        office("fs-police_work_office-1", "judicial_office"),
    ]
}

/// Whether a person's post holds the role they claim, as `record` defines it.
fn holds(a: &Actor) -> bool {
    let Some(person) = ENGINE.org().person(&a.id) else {
        return true;
    };
    let Some(access) = ENGINE.access().roles.get(&a.role) else {
        return true;
    };
    if !access.holders.is_empty() && !access.holders.contains(&person.role) {
        return false;
    }
    let own = person.unit.as_str();
    let claimed = a.unit.as_deref().unwrap_or_default();
    match access.scope.as_str() {
        "office" => claimed == own,
        "unit" => ENGINE.org().contains(own, claimed) == Ok(true),
        "all" if !access.holders.is_empty() => ENGINE.org().office(own).is_none(),
        _ => true,
    }
}

/// Events of every kind the property tries, on a case, by a given actor id.
fn event_of(kind: u8, case: &str, at: &str, who: &str) -> EventRecord {
    let body = match kind % 9 {
        0 => json!({"type": "accepted"}),
        1 => json!({"type": "paused", "reason": "等待鉴定"}),
        2 => json!({"type": "resumed"}),
        3 => json!({"type": "resolved", "level": "micro_grid", "how": "done"}),
        4 => json!({"type": "evaluated", "satisfaction": 4}),
        5 => json!({"type": "reminded", "stage": 50}),
        6 => json!({"type": "shelved", "explanation": "历史遗留"}),
        7 => json!({"type": "mediation_failed", "note": "双方不同意"}),
        _ => json!({"type": "consulted", "office": "judicial_office", "opinion": "可调解"}),
    };
    event(case, at, who, body)
}

/// Whether the actor is known, as `record` defines it.
fn known(l: &Ledger, a: &Actor) -> bool {
    if a.role == "system" {
        return a.id == SYSTEM;
    }
    if a.role == "resident" {
        return l.state().cases().iter().any(|c| {
            c.case
                .reporter
                .as_ref()
                .and_then(|r| r.id_number.as_deref())
                == Some(a.id.as_str())
        });
    }
    ENGINE.org().person(&a.id).is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `record` succeeds exactly when the event is the actor's own, the actor is known
    /// and their post holds the role, `can(actor, action of the event, case)` holds (for a system-only event: the actor
    /// is the system) and the transition is valid; a refusal appends nothing.
    #[test]
    fn record_succeeds_exactly_when_can_holds_and_the_transition_is_valid(
        steps in proptest::collection::vec((0usize..21, 0u8..9, 0u8..2, 0u8..10), 1..40)
    ) {
        let actors = actors();
        let mut l = ledger();
        let mut minute = 0u32;
        for (who, kind, which, impostor) in steps {
            let a = &actors[who];
            minute += 7;
            let at = format!("2026-03-03T{:02}:{:02}:00+08:00", 9 + minute / 60, minute % 60);
            let case = if which == 0 { "c1" } else { "c2" };
            // Now and then the event names someone else as its actor.
            let named = if impostor == 0 { "fs-gw002" } else { a.id.as_str() };
            let e = event_of(kind, case, &at, named);
            let allowed = match action_of(&e.event) {
                None => a.id == SYSTEM && a.role == "system" && named == SYSTEM,
                Some(action) => {
                    named == a.id
                        && known(&l, a)
                        && holds(a)
                        && ENGINE.can_in(a, action, &l, case) == Ok(true)
                }
            };
            let valid = l.clone().append(e.clone()).is_ok();
            let before = l.len();
            let got = ENGINE.record(&mut l, a, e);
            prop_assert_eq!(got.is_ok(), allowed && valid, "{:?} {:?}", a, got);
            if got.is_err() {
                prop_assert_eq!(l.len(), before);
            }
        }
    }
}

#[test]
fn events_map_to_the_actions_a_role_grants() {
    // The system-only events are exactly reminders and the escalations and reopenings the
    // engine makes itself.
    let r = event_of(5, "c1", "2026-03-03T09:00:00+08:00", SYSTEM);
    assert_eq!(action_of(&r.event), None);
    assert_eq!(
        action_of(&event_of(4, "c1", "2026-03-03T09:00:00+08:00", SYSTEM).event),
        Some(Action::Rate)
    );
    assert_eq!(
        action_of(&event_of(3, "c1", "2026-03-03T09:00:00+08:00", SYSTEM).event),
        Some(Action::Resolve)
    );
    assert_eq!(
        action_of(&event_of(0, "c1", "2026-03-03T09:00:00+08:00", SYSTEM).event),
        Some(Action::Act)
    );
}
