//! The closed loop on the Fushan default (issue: petitions by the book and a closed loop):
//! urgent clocks on natural time, the petition procedure driven by the channel, sittings,
//! supervision orders, verification, call-backs and the sign-off of shelved cases. Each
//! test walks one path through `Engine::record`, the write path users are shown.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failed unwrap is a failed test"
)]

use gridgov::Engine;
use gridgov::access::Actor;
use gridgov::case::Case;
use gridgov::case::event::EventRecord;
use gridgov::case::ledger::{Ledger, PetitionStep, Status};
use gridgov::time::Timestamp;
use serde_json::{Value, json};

fn actor(id: &str, role: &str) -> Actor {
    Actor {
        id: id.to_owned(),
        role: role.to_owned(),
        unit: None,
    }
}

fn system() -> Actor {
    Actor::system()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn case(v: Value) -> Case {
    Case::from_json_str(&v.to_string()).unwrap()
}

fn ev(case: &str, at: &str, who: &str, event: Value) -> EventRecord {
    serde_json::from_value(json!({"case": case, "at": at, "actor": who, "event": event})).unwrap()
}

/// `who` records `event` on `case` at `at` through the write path.
fn act(
    engine: &Engine,
    ledger: &mut Ledger,
    who: &Actor,
    case: &str,
    at: &str,
    event: Value,
) -> Result<gridgov::case::ledger::Receipt, gridgov::access::RecordError> {
    engine.record(ledger, who, ev(case, at, &who.id, event))
}

/// A ledger with one case taken in by the system.
fn taken_in(engine: &Engine, c: Value) -> Ledger {
    let mut ledger = Ledger::new();
    engine
        .record_intake(&mut ledger, &system(), case(c))
        .unwrap();
    ledger
}

fn decide(engine: &Engine, c: Value) -> Value {
    let c = case(c);
    serde_json::from_str(&engine.route(&c).unwrap().to_json_with(true)).unwrap()
}

#[test]
fn a_friday_evening_gas_smell_is_due_the_same_evening() {
    let engine = Engine::fushan();
    let d = decide(
        &engine,
        json!({"id": "gas", "channel": "hotline", "category": "safety_hazard",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-06T18:30:00+08:00",
               "people_involved": 20, "attributes": {"hazard_type": "gas"}}),
    );
    assert_eq!(d["rule"]["row"], "gas-or-fire");
    assert_eq!(d["time_limit"], "4 hours");
    assert_eq!(d["due"], "2026-03-06T22:30:00+08:00");
    assert!(engine.warnings().is_empty(), "{:?}", engine.warnings());
}

fn housing_petition() -> Value {
    json!({"id": "p1", "channel": "petition", "category": "housing",
           "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00",
           "reporter": {"name": "王芳", "id_number": "370883199001011234"}})
}

#[test]
fn a_petition_by_channel_follows_the_procedure_whatever_its_category() {
    let engine = Engine::fushan();
    let d = decide(&engine, housing_petition());
    // Routed as a housing matter (grid), but on the procedure's clock.
    assert_eq!(d["level"], "grid");
    assert_eq!(d["rule"]["row"], "services");
    assert!(
        d["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("petition_procedure"))
    );
    assert_eq!(d["time_limit"], "15 days");
    // 15 calendar days from Monday 03-02, the start day not counted: the end of 03-17.
    assert_eq!(d["due"], "2026-03-18T00:00:00+08:00");
    let trace = d["trace"].to_string();
    assert!(trace.contains("信访工作条例"), "{trace}");
    // The same by hotline does not follow it.
    let mut hotline = housing_petition();
    hotline["channel"] = json!("hotline");
    let d = decide(&engine, hotline);
    assert_eq!(d["time_limit"], "3 working days");
    assert!(
        !d["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("petition_procedure"))
    );
}

#[test]
fn a_repeated_petition_goes_to_joint_consultation_on_the_joint_reception_day() {
    let engine = Engine::fushan();
    let mut c = housing_petition();
    c["repeat_count"] = json!(1);
    let d = decide(&engine, c);
    assert_eq!(d["level"], "subdistrict");
    assert_eq!(d["office"], "petitions_office");
    assert_eq!(d["rule"]["row"], "petition-repeat-channel");
    assert!(
        d["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("joint_consultation"))
    );
    // Booked into the next joint reception day (Tuesday 03-03, 09:00), but the
    // acceptance limit still counts from receipt.
    assert_eq!(d["sitting"]["sitting"], "joint_reception");
    assert_eq!(d["sitting"]["at"], "2026-03-03T09:00:00+08:00");
    assert_eq!(d["due"], "2026-03-18T00:00:00+08:00");
}

#[test]
fn a_lawyer_desk_matter_reported_on_friday_is_booked_into_next_thursday() {
    let engine = Engine::fushan();
    let d = decide(
        &engine,
        json!({"id": "debt", "channel": "walk_in", "category": "debt_dispute",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-06T10:00:00+08:00",
               "amount_yuan": "50000"}),
    );
    assert_eq!(d["office"], "duty_lawyer_desk");
    assert_eq!(d["sitting"]["sitting"], "lawyer_desk");
    assert_eq!(d["sitting"]["name"], "周四律师坐班");
    assert_eq!(d["sitting"]["at"], "2026-03-12T09:00:00+08:00");
    // 5 working days counted from the sitting, not from the report.
    assert_eq!(d["due"], "2026-03-19T17:30:00+08:00");
    // Reported on Thursday after the sitting opened: the next Thursday.
    let d = decide(
        &engine,
        json!({"id": "debt2", "channel": "walk_in", "category": "debt_dispute",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-12T09:01:00+08:00",
               "amount_yuan": "50000"}),
    );
    assert_eq!(d["sitting"]["at"], "2026-03-19T09:00:00+08:00");
    // The booking is recorded with the assignment and shows in the timeline.
    let mut ledger = taken_in(
        &engine,
        json!({"id": "debt", "channel": "walk_in", "category": "debt_dispute",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-06T10:00:00+08:00",
               "amount_yuan": "50000"}),
    );
    let st = ledger.case("debt").unwrap();
    let booking = st
        .assignment
        .as_ref()
        .unwrap()
        .extras
        .sitting
        .as_ref()
        .unwrap();
    assert_eq!(booking.at, ts("2026-03-12T09:00:00+08:00"));
    let lawyer = actor("fs-duty_lawyer_desk-1", "office");
    let joined = ev(
        "debt",
        "2026-03-12T10:00:00+08:00",
        "fs-duty_lawyer_desk-1",
        json!({"type": "third_party_joined", "party": "lawyer", "name": "值班律师",
               "part": "释明诉讼途径，引导由访变诉"}),
    );
    engine
        .record(
            &mut ledger,
            &Actor {
                unit: Some("duty_lawyer_desk".to_owned()),
                ..lawyer
            },
            joined,
        )
        .unwrap();
    let timeline = gridgov::case::timeline::timeline(&ledger, engine.org(), "debt", true).unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["reported", "assigned", "third_party_joined"]);
    let assigned = serde_json::to_value(&timeline[1].event).unwrap();
    assert_eq!(assigned["assignment"]["sitting"]["sitting"], "lawyer_desk");
}

#[test]
fn the_petition_procedure_step_by_step() {
    let engine = Engine::fushan();
    let mut ledger = taken_in(&engine, housing_petition());
    let gw = actor("fs-gw001", "grid_worker");
    let st = ledger.case("p1").unwrap();
    assert_eq!(
        st.closed_loop.petition.as_ref().unwrap().step,
        PetitionStep::Acceptance
    );
    assert_eq!(
        engine.effective_due(st),
        Some(ts("2026-03-18T00:00:00+08:00"))
    );
    // An extension before acceptance is out of turn.
    let early = ev(
        "p1",
        "2026-03-03T09:00:00+08:00",
        "fs-gw001",
        json!({"type": "extended", "days": 10, "approval": "街道分管领导批准"}),
    );
    assert_eq!(
        engine.record(&mut ledger, &gw, early).unwrap_err().code(),
        "petition_step"
    );
    act(
        &engine,
        &mut ledger,
        &gw,
        "p1",
        "2026-03-03T09:00:00+08:00",
        json!({"type": "petition_accepted", "note": "已告知受理"}),
    )
    .unwrap();
    // 60 days from 03-03: the end of 05-02, a holiday (Labour Day, 05-01..05-05), so
    // the next working day, 05-06.
    let st = ledger.case("p1").unwrap();
    assert_eq!(
        engine.effective_due(st),
        Some(ts("2026-05-07T00:00:00+08:00"))
    );
    // An extension beyond 30 days is refused, and nothing is appended.
    let len = ledger.len();
    let long = ev(
        "p1",
        "2026-04-20T09:00:00+08:00",
        "fs-gw001",
        json!({"type": "extended", "days": 31, "approval": "街道分管领导批准"}),
    );
    let err = engine.record(&mut ledger, &gw, long).unwrap_err();
    assert_eq!(err.code(), "extension_too_long");
    assert!(err.to_string().contains("信访工作条例"), "{err}");
    assert_eq!(ledger.len(), len);
    // An extension without an approval is refused by the ledger.
    let unapproved = ev(
        "p1",
        "2026-04-20T09:00:00+08:00",
        "fs-gw001",
        json!({"type": "extended", "days": 30, "approval": " "}),
    );
    assert_eq!(
        engine
            .record(&mut ledger, &gw, unapproved)
            .unwrap_err()
            .code(),
        "empty"
    );
    // 30 days with approval: 90 days from acceptance.
    act(
        &engine,
        &mut ledger,
        &gw,
        "p1",
        "2026-04-20T09:00:00+08:00",
        json!({"type": "extended", "days": 30, "approval": "街道分管领导批准"}),
    )
    .unwrap();
    let st = ledger.case("p1").unwrap();
    assert_eq!(
        engine.effective_due(st),
        Some(ts("2026-06-02T00:00:00+08:00"))
    );
    // A second extension is refused: the regulation allows one.
    let again = ev(
        "p1",
        "2026-04-21T09:00:00+08:00",
        "fs-gw001",
        json!({"type": "extended", "days": 5, "approval": "再次批准"}),
    );
    assert_eq!(
        engine.record(&mut ledger, &gw, again).unwrap_err().code(),
        "too_many_extensions"
    );
    // The reply.
    act(
        &engine,
        &mut ledger,
        &gw,
        "p1",
        "2026-05-10T09:00:00+08:00",
        json!({"type": "resolved", "level": "grid", "how": "已书面答复"}),
    )
    .unwrap();
    let st = ledger.case("p1").unwrap();
    assert_eq!(
        st.closed_loop.petition.as_ref().unwrap().step,
        PetitionStep::Replied
    );
    assert_eq!(engine.resolved_on_time(st), Some(true));
    // A review asked more than 30 days after the reply is refused.
    let petitioner = actor("370883199001011234", "resident");
    let late = ev(
        "p1",
        "2026-06-11T09:00:00+08:00",
        "370883199001011234",
        json!({"type": "review_requested", "reason": "对答复不服"}),
    );
    assert_eq!(
        engine
            .record(&mut ledger, &petitioner, late)
            .unwrap_err()
            .code(),
        "review_too_late"
    );
    act(
        &engine,
        &mut ledger,
        &petitioner,
        "p1",
        "2026-05-20T09:00:00+08:00",
        json!({"type": "review_requested", "reason": "对答复不服"}),
    )
    .unwrap();
    // The engine proposes the review at the level above, due 30 days after the request.
    let actions = engine.actions(&ledger, ts("2026-05-20T10:00:00+08:00"));
    assert_eq!(actions.reviews.len(), 1);
    let a = &actions.reviews[0].assignment;
    assert_eq!(a.level, gridgov::org::Level::Community);
    assert_eq!(a.time_limit.to_string(), "30 days");
    // 30 days from 05-20 end on 06-19, the Dragon Boat Festival: the next working day,
    // Monday 06-22.
    assert_eq!(a.due, ts("2026-06-23T00:00:00+08:00"));
    for e in actions.events(
        ts("2026-05-20T10:00:00+08:00"),
        &gridgov::PersonId::new("system").unwrap(),
    ) {
        engine.record(&mut ledger, &system(), e).unwrap();
    }
    let st = ledger.case("p1").unwrap();
    assert_eq!(st.status, Status::Assigned);
    assert_eq!(
        st.closed_loop.petition.as_ref().unwrap().step,
        PetitionStep::Review
    );
}

/// The default rules with verification required (核查).
fn verifying_engine() -> Engine {
    let mut rules: Value = serde_json::from_str(gridgov::rules::default_json()).unwrap();
    for v in rules["versions"].as_array_mut().unwrap() {
        v["closed_loop"]["verification_required"] = json!(true);
    }
    let engine = Engine::fushan();
    engine
        .with_rules(gridgov::rules::RuleSet::from_json_str(&rules.to_string()).unwrap())
        .unwrap()
}

fn livelihood() -> Value {
    json!({"id": "c1", "channel": "hotline", "category": "livelihood",
           "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00",
           "reporter": {"name": "王芳", "id_number": "370883199001011234"}})
}

#[test]
fn a_case_closed_without_verification_is_refused_when_the_rules_require_it() {
    let engine = verifying_engine();
    let mut ledger = taken_in(&engine, livelihood());
    let gw = actor("fs-gw001", "grid_worker");
    let resident = actor("370883199001011234", "resident");
    act(
        &engine,
        &mut ledger,
        &gw,
        "c1",
        "2026-03-03T09:00:00+08:00",
        json!({"type": "resolved", "level": "micro_grid", "how": "修好了"}),
    )
    .unwrap();
    let rate = |at: &str| {
        ev(
            "c1",
            at,
            "370883199001011234",
            json!({"type": "evaluated", "satisfaction": 5}),
        )
    };
    let err = engine
        .record(&mut ledger, &resident, rate("2026-03-03T10:00:00+08:00"))
        .unwrap_err();
    assert_eq!(err.code(), "not_verified");
    // The handler may not verify their own resolution.
    let own = ev(
        "c1",
        "2026-03-03T11:00:00+08:00",
        "fs-gw001",
        json!({"type": "verified", "passed": true, "note": "现场核查"}),
    );
    assert_eq!(
        engine.record(&mut ledger, &gw, own).unwrap_err().code(),
        "self_verification"
    );
    // A failed verification sends it back.
    let liaison = actor("fs-cm01-1", "committee_member");
    act(
        &engine,
        &mut ledger,
        &liaison,
        "c1",
        "2026-03-03T11:00:00+08:00",
        json!({"type": "verified", "passed": false, "note": "路灯仍不亮"}),
    )
    .unwrap();
    assert_eq!(ledger.case("c1").unwrap().status, Status::Assigned);
    act(
        &engine,
        &mut ledger,
        &gw,
        "c1",
        "2026-03-03T15:00:00+08:00",
        json!({"type": "resolved", "level": "micro_grid", "how": "更换灯泡"}),
    )
    .unwrap();
    act(
        &engine,
        &mut ledger,
        &liaison,
        "c1",
        "2026-03-03T16:00:00+08:00",
        json!({"type": "verified", "passed": true, "note": "已亮"}),
    )
    .unwrap();
    // Verified: the call-back closes it.
    let st = ledger.case("c1").unwrap();
    assert_eq!(st.closed_loop.verifications, 2);
    assert_eq!(st.closed_loop.verifications_passed, 1);
    let actions = engine.actions(&ledger, ts("2026-03-09T09:00:00+08:00"));
    assert_eq!(actions.call_backs.len(), 1);
    // 3 working days from Tuesday, the start day not counted: close of Friday; late by
    // Monday.
    assert_eq!(actions.call_backs[0].due, ts("2026-03-06T17:30:00+08:00"));
    assert!(actions.call_backs[0].late);
    act(
        &engine,
        &mut ledger,
        &gw,
        "c1",
        "2026-03-04T09:00:00+08:00",
        json!({"type": "called_back", "satisfaction": 5, "comment": "满意"}),
    )
    .unwrap();
    let st = ledger.case("c1").unwrap();
    assert_eq!(st.status, Status::Closed);
    assert_eq!(
        st.closed_loop.called_back_at,
        Some(ts("2026-03-04T09:00:00+08:00"))
    );
}

#[test]
fn without_the_requirement_a_resident_closes_an_unverified_case() {
    let engine = Engine::fushan();
    let mut ledger = taken_in(&engine, livelihood());
    let gw = actor("fs-gw001", "grid_worker");
    act(
        &engine,
        &mut ledger,
        &gw,
        "c1",
        "2026-03-03T09:00:00+08:00",
        json!({"type": "resolved", "level": "micro_grid", "how": "修好了"}),
    )
    .unwrap();
    engine
        .record(
            &mut ledger,
            &actor("370883199001011234", "resident"),
            ev(
                "c1",
                "2026-03-03T10:00:00+08:00",
                "370883199001011234",
                json!({"type": "evaluated", "satisfaction": 5}),
            ),
        )
        .unwrap();
}

#[test]
fn an_ignored_supervision_order_is_escalated() {
    let engine = Engine::fushan();
    let mut ledger = taken_in(
        &engine,
        json!({"id": "d1", "channel": "hotline", "category": "neighbour_dispute",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00"}),
    );
    let order = |who: &str| {
        ev(
            "d1",
            "2026-03-03T09:00:00+08:00",
            who,
            json!({"type": "supervised", "order": "请于1个工作日内反馈调解进展", "within": "1 working day"}),
        )
    };
    // The grid worker is at the case's own level: not a supervisor.
    let err = engine
        .record(
            &mut ledger,
            &actor("fs-gw001", "grid_worker"),
            order("fs-gw001"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_above");
    // A community cadre is above the grid.
    let cadre = Actor {
        id: "fs-cm01-1".to_owned(),
        role: "community_cadre".to_owned(),
        unit: Some("fs-c01".to_owned()),
    };
    engine
        .record(&mut ledger, &cadre, order("fs-cm01-1"))
        .unwrap();
    // Within its working day (to the close of 03-04) nothing happens; past it, the case
    // climbs for want of an answer, though its own deadline (close of 03-05) has not
    // passed.
    let before = engine.actions(&ledger, ts("2026-03-04T17:00:00+08:00"));
    assert!(before.escalations.is_empty(), "{:?}", before.escalations);
    let after = engine.actions(&ledger, ts("2026-03-05T09:00:00+08:00"));
    assert_eq!(after.escalations.len(), 1);
    let e = &after.escalations[0];
    assert_eq!(e.reason.as_str(), "supervision_ignored");
    assert_eq!(e.due, Some(ts("2026-03-04T17:30:00+08:00")));
    for r in after.events(
        ts("2026-03-05T09:00:00+08:00"),
        &gridgov::PersonId::new("system").unwrap(),
    ) {
        engine.record(&mut ledger, &system(), r).unwrap();
    }
    let st = ledger.case("d1").unwrap();
    assert_eq!(st.level(), Some(gridgov::org::Level::Community));
    assert!(st.closed_loop.supervisions[0].escalated);
    // An answered order is not escalated.
    let mut ledger = taken_in(
        &engine,
        json!({"id": "d1", "channel": "hotline", "category": "neighbour_dispute",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00"}),
    );
    engine
        .record(&mut ledger, &cadre, order("fs-cm01-1"))
        .unwrap();
    engine
        .record(
            &mut ledger,
            &actor("fs-gw001", "grid_worker"),
            ev(
                "d1",
                "2026-03-03T15:00:00+08:00",
                "fs-gw001",
                json!({"type": "supervision_answered", "answer": "已约双方周四调解"}),
            ),
        )
        .unwrap();
    let after = engine.actions(&ledger, ts("2026-03-05T09:00:00+08:00"));
    assert!(after.escalations.is_empty());
}

#[test]
fn a_shelved_case_is_listed_until_the_level_above_signs_it_off() {
    let engine = Engine::fushan();
    // A grid matter, handled by the grid worker.
    let mut ledger = taken_in(
        &engine,
        json!({"id": "c1", "channel": "hotline", "category": "neighbour_dispute",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00"}),
    );
    let gw = actor("fs-gw001", "grid_worker");
    act(
        &engine,
        &mut ledger,
        &gw,
        "c1",
        "2026-03-03T09:00:00+08:00",
        json!({"type": "shelved", "explanation": "需改造管网，列入年度计划"}),
    )
    .unwrap();
    let actions = engine.actions(&ledger, ts("2026-03-13T09:00:00+08:00"));
    assert_eq!(actions.shelved.len(), 1);
    assert_eq!(actions.shelved[0].days, 10);
    let sign = |who: &str| {
        ev(
            "c1",
            "2026-03-13T10:00:00+08:00",
            who,
            json!({"type": "signed_off", "note": "纳入城建计划，销号"}),
        )
    };
    assert_eq!(
        engine
            .record(&mut ledger, &gw, sign("fs-gw001"))
            .unwrap_err()
            .code(),
        "not_above"
    );
    let staff = actor("fs-duty", "subdistrict");
    engine.record(&mut ledger, &staff, sign("fs-duty")).unwrap();
    assert!(
        engine
            .actions(&ledger, ts("2026-03-14T09:00:00+08:00"))
            .shelved
            .is_empty()
    );
    let again = engine
        .record(&mut ledger, &staff, {
            let mut r = sign("fs-duty");
            r.at = ts("2026-03-14T10:00:00+08:00");
            r
        })
        .unwrap_err();
    assert_eq!(again.code(), "signed_off");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// A lawyer-desk matter is booked into the first Thursday sitting (09:00 on a working
    /// Thursday) at or after its report: never earlier, never on a holiday, and no
    /// qualifying sitting is skipped; its deadline counts from the sitting.
    #[test]
    fn a_booking_is_the_first_sitting_at_or_after_the_report(minutes in 0i64..(365 * 1440)) {
        let engine = Engine::fushan();
        let calendar = engine.calendar();
        let start = ts("2026-01-01T00:00:00+08:00");
        let at = start.plus_minutes(minutes);
        let c = case(json!({"id": "debt", "channel": "walk_in", "category": "debt_dispute",
            "location": "fs-c01-g01-m1", "reported_at": at.to_string(), "amount_yuan": "50000"}));
        let d = engine.route(&c).unwrap();
        let booking = d.sitting().unwrap();
        proptest::prop_assert!(booking.at >= at);
        let day = calendar.date_of(booking.at);
        proptest::prop_assert_eq!(day.weekday(), 3);
        proptest::prop_assert!(calendar.is_working_day(day));
        proptest::prop_assert!(booking.at.to_string().contains("T09:00:00"));
        // No working Thursday sitting lies between the report and the booking.
        let mut t = calendar.date_of(at);
        while t < day {
            let opens = calendar.at_local_minute(i64::from(t.days()) * 1440 + 540);
            proptest::prop_assert!(
                !(t.weekday() == 3 && calendar.is_working_day(t) && opens >= at),
                "skipped the sitting of {}", t
            );
            t = t.succ();
        }
        let limit = d.time_limit();
        proptest::prop_assert_eq!(d.due(), calendar.deadline(booking.at, limit).unwrap());
    }
}

#[test]
fn a_returned_lawyer_desk_matter_is_booked_again_from_now() {
    let engine = Engine::fushan();
    // A debt first misfiled as livelihood, sent back with its category corrected.
    let mut ledger = taken_in(
        &engine,
        json!({"id": "m1", "channel": "walk_in", "category": "livelihood",
               "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00",
               "amount_yuan": "50000"}),
    );
    act(
        &engine,
        &mut ledger,
        &actor("fs-gw001", "grid_worker"),
        "m1",
        "2026-03-06T10:00:00+08:00",
        json!({"type": "returned", "reason": "实为欠款纠纷", "category": "debt_dispute"}),
    )
    .unwrap();
    let actions = engine.actions(&ledger, ts("2026-03-06T11:00:00+08:00"));
    let a = &actions.reroutes[0].assignment;
    assert_eq!(
        a.office.as_ref().map(|o| o.as_str()),
        Some("duty_lawyer_desk")
    );
    // Booked into the Thursday after the return (03-12), not the one after the report.
    assert_eq!(
        a.extras.sitting.as_ref().unwrap().at,
        ts("2026-03-12T09:00:00+08:00")
    );
    assert_eq!(a.due, ts("2026-03-19T17:30:00+08:00"));
}
