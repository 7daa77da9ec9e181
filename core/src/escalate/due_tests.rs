//! `Engine::overdue` reads only the cases the ledger's due index names; these tests hold
//! it equal to reading every case, over random ledgers: decisions with deadlines past and
//! to come, pauses, petitions, climbs, reopenings, refused events and refused batches
//! (which take events back), and snapshots loaded back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on the first surprise"
)]

use serde_json::json;

use crate::case::event::EventRecord;
use crate::case::ledger::{Ledger, LedgerState, Status};
use crate::rng::SplitMix64;
use crate::{Engine, Timestamp};

use super::{Escalation, EscalationReason};

/// `overdue` as it was before the index: every case read.
fn overdue_by_scan(engine: &Engine, ledger: &Ledger, now: Timestamp) -> Vec<Escalation> {
    ledger
        .state()
        .cases()
        .iter()
        .filter(|c| c.status == Status::Assigned)
        .filter_map(|c| {
            let due = engine.effective_due(c)?;
            (due < now).then(|| engine.escalation(c, EscalationReason::Overdue, now, Some(due)))?
        })
        .collect()
}

/// A decision made at `at`, due `minutes` later (before it when negative), some of them
/// petitions.
fn assignment(rng: &mut SplitMix64, at: Timestamp, level: &str) -> serde_json::Value {
    let minutes = i64::try_from(rng.below(9000)).unwrap() - 1500;
    let mut a = json!({"level": level, "time_limit": "3 working days",
        "due": Timestamp::from_unix(at.unix() + minutes * 60, at.offset()).to_string(),
        "handler": "fs-gw051"});
    if rng.chance(150) {
        a["flags"] = json!(["petition_procedure"]);
    }
    a
}

/// A random event for one of a few cases: mostly one that fits the case's status.
fn random_event(rng: &mut SplitMix64, ledger: &Ledger, t: &mut i64) -> EventRecord {
    let case = format!("c{}", rng.below(8));
    *t += i64::try_from(rng.below(240)).unwrap() * 60;
    let at = Timestamp::from_unix(*t, crate::time::Offset::CHINA);
    let state = ledger.case(&case);
    let fitting = rng.chance(850);
    let event = match state.map(|s| (s.status, s.level())) {
        None if fitting => json!({"type": "reported", "case": {"id": case, "channel": "app",
            "category": "livelihood", "location": "fs-c04-g03-m2", "reported_at": at.to_string()}}),
        Some((Status::Reported, _)) if fitting => json!({"type": "accepted"}),
        Some((Status::Accepted | Status::Returned, _)) if fitting => {
            json!({"type": "assigned", "assignment": assignment(rng, at, "grid")})
        }
        Some((Status::Assigned, level)) if fitting => match rng.below(6) {
            0 => {
                json!({"type": "resolved", "level": level.map_or("grid", |l| l.as_str()), "how": "办结"})
            }
            1 | 2 => json!({"type": "paused", "reason": "等待"}),
            3 => json!({"type": "escalated", "from": level.map_or("grid", |l| l.as_str()),
                "to": "department", "reason": "overdue",
                "assignment": assignment(rng, at, "department")}),
            4 => json!({"type": "returned", "reason": "分类错误"}),
            _ => json!({"type": "assigned", "assignment": assignment(rng, at, "community")}),
        },
        Some((Status::Paused, _)) if fitting => json!({"type": "resumed"}),
        Some((Status::Resolved | Status::Closed | Status::Shelved, _)) if fitting => {
            json!({"type": "reopened", "reason": "manual", "assignment": assignment(rng, at, "community")})
        }
        // Anything, to be refused or not.
        _ => match rng.below(5) {
            0 => json!({"type": "accepted"}),
            1 => json!({"type": "resumed"}),
            2 => json!({"type": "paused", "reason": "等待"}),
            3 => json!({"type": "merged", "into": format!("c{}", rng.below(8))}),
            _ => json!({"type": "assigned", "assignment": assignment(rng, at, "grid")}),
        },
    };
    serde_json::from_value(
        json!({"case": case, "at": at.to_string(), "actor": "fs-gw051", "event": event}),
    )
    .unwrap()
}

/// The overdue cases at a few times around `t`, both ways.
fn check(
    engine: &Engine,
    ledger: &Ledger,
    t: i64,
) -> Result<(), proptest::test_runner::TestCaseError> {
    for ahead in [-3600, 0, 3600, 86_400, 3 * 86_400, 30 * 86_400] {
        let now = Timestamp::from_unix(t + ahead, crate::time::Offset::CHINA);
        proptest::prop_assert_eq!(
            engine.overdue(ledger, now),
            overdue_by_scan(engine, ledger, now),
            "at {}",
            now
        );
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(150))]

    #[test]
    fn the_due_index_finds_what_reading_every_case_finds(seed in proptest::prelude::any::<u64>(), steps in 10usize..120) {
        let engine = Engine::fushan();
        let mut rng = SplitMix64::new(seed);
        let mut ledger = Ledger::new();
        let mut t = "2026-03-02T09:00:00+08:00".parse::<Timestamp>().unwrap().unix();
        let mut overdue_seen = 0;
        for _ in 0..steps {
            if rng.chance(150) {
                // A batch whose last event is refused (a case reported twice): all of it
                // is taken back.
                let mut batch = vec![random_event(&mut rng, &ledger, &mut t), random_event(&mut rng, &ledger, &mut t)];
                let again = json!({"case": "c0", "at": Timestamp::from_unix(t, crate::time::Offset::CHINA).to_string(),
                    "actor": "fs-gw051", "event": {"type": "reported", "case": {"id": "c0", "channel": "app",
                    "category": "livelihood", "location": "fs-c04-g03-m2",
                    "reported_at": Timestamp::from_unix(t, crate::time::Offset::CHINA).to_string()}}});
                batch.push(serde_json::from_value(again.clone()).unwrap());
                batch.push(serde_json::from_value(again).unwrap());
                let before = ledger.len();
                proptest::prop_assert!(ledger.append_all(batch).is_err());
                proptest::prop_assert_eq!(ledger.len(), before);
            } else {
                let _ = ledger.append(random_event(&mut rng, &ledger, &mut t));
            }
            check(&engine, &ledger, t)?;
            overdue_seen += engine.overdue(&ledger, Timestamp::from_unix(t + 86_400, crate::time::Offset::CHINA)).len();
        }
        // A snapshot loaded back indexes its cases afresh.
        let snap = LedgerState::from_json_str(&ledger.state().to_json()).unwrap();
        let resumed = Ledger::from_snapshot(snap, std::iter::empty()).unwrap();
        check(&engine, &resumed, t)?;
        // The test sees overdue cases (it would pass vacuously otherwise).
        proptest::prop_assert!(steps < 60 || overdue_seen > 0);
    }
}

/// The index holds the running cases only, and a case leaves it when it stops running.
#[test]
fn only_running_cases_are_indexed() {
    let engine = Engine::fushan();
    let mut ledger = Ledger::new();
    let record = |at: &str, event: serde_json::Value| -> EventRecord {
        serde_json::from_value(json!({"case": "c1", "at": at, "actor": "fs-gw051", "event": event}))
            .unwrap()
    };
    let at = "2026-03-02T09:00:00+08:00";
    ledger
        .append(record(
            at,
            json!({"type": "reported", "case": {"id": "c1", "channel": "app",
            "category": "livelihood", "location": "fs-c04-g03-m2", "reported_at": at}}),
        ))
        .unwrap();
    assert_eq!(ledger.state().indexed_running(), 0);
    ledger
        .append(record(at, json!({"type": "assigned", "assignment": {"level": "grid",
            "time_limit": "1 working day", "due": "2026-03-03T09:00:00+08:00", "handler": "fs-gw051"}})))
        .unwrap();
    assert_eq!(ledger.state().indexed_running(), 1);
    let late: Timestamp = "2026-03-04T09:00:00+08:00".parse().unwrap();
    let early: Timestamp = "2026-03-03T08:59:59+08:00".parse().unwrap();
    assert_eq!(ledger.state().may_be_overdue(late), vec![0]);
    // Its key is its deadline: not a candidate before it.
    assert!(ledger.state().may_be_overdue(early).is_empty());
    assert_eq!(engine.overdue(&ledger, late).len(), 1);
    ledger
        .append(record(
            "2026-03-02T10:00:00+08:00",
            json!({"type": "resolved", "level": "grid", "how": "办结"}),
        ))
        .unwrap();
    assert_eq!(ledger.state().indexed_running(), 0);
    assert!(engine.overdue(&ledger, late).is_empty());
}
