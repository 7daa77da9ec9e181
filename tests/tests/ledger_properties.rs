//! Property tests of the ledger: any random sequence of events, valid and invalid, leaves
//! every case in exactly one state with exactly one owner; refused events change nothing;
//! replaying from any prefix's snapshot equals the live state; escalation only moves up.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::sync::LazyLock;

use gridgov::case::event::{Event, EventRecord};
use gridgov::case::ledger::{Ledger, LedgerState};
use gridgov::org::Level;
use gridgov::sim::SplitMix64;
use gridgov::{Engine, PersonId, Timestamp};
use proptest::prelude::*;
use serde_json::json;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::fushan);

const LEVELS: [&str; 5] = [
    "micro_grid",
    "grid",
    "community",
    "subdistrict",
    "department",
];
const CATEGORIES: [&str; 5] = [
    "neighbour_dispute",
    "livelihood",
    "property_crime",
    "petition",
    "environment",
];

/// A random event for a random case: some valid, many not.
fn random_event(rng: &mut SplitMix64, ledger: &Ledger, t: &mut i64) -> EventRecord {
    let n = 6;
    let case = format!("c{}", rng.below(n));
    // Time mostly moves forward; sometimes it jumps back.
    if rng.chance(900) {
        *t += i64::try_from(rng.below(600)).unwrap() * 60;
    } else {
        *t -= 3600;
    }
    let at = Timestamp::from_unix(*t, gridgov::time::Offset::CHINA);
    let level = LEVELS[rng.below(5) as usize];
    let to = LEVELS[rng.below(5) as usize];
    let assignment = json!({"level": to, "time_limit": "1 working day", "due": at.plus_minutes(600).to_string(), "handler": "fs-gw001"});
    let text = if rng.chance(200) { "" } else { "说明" };
    // Six times in ten, an event that fits the case's status (to reach deep states).
    if rng.chance(600) {
        if let Some(state) = ledger.case(&case) {
            use gridgov::case::ledger::Status;
            let current = state.level().map_or("grid", |l| l.as_str());
            let higher = state
                .level()
                .and_then(Level::up)
                .map_or("department", |l| l.as_str());
            let event = match state.status {
                Status::Reported => json!({"type": "accepted"}),
                Status::Accepted | Status::Returned => {
                    json!({"type": "assigned", "assignment": {"level": level, "time_limit": "3 working days", "due": at.plus_minutes(3000).to_string(), "handler": "fs-gw051"}})
                }
                Status::Assigned => match rng.below(7) {
                    0 => json!({"type": "resolved", "level": current, "how": "办结"}),
                    1 => json!({"type": "paused", "reason": "等待"}),
                    2 => json!({"type": "mediation_failed", "note": "未成"}),
                    3 => {
                        json!({"type": "escalated", "from": current, "to": higher, "reason": "overdue", "assignment": {"level": higher, "time_limit": "2 working days", "due": at.plus_minutes(2000).to_string(), "handler": "fs-cm04-3"}})
                    }
                    4 => {
                        json!({"type": "returned", "reason": "分类错误", "category": "livelihood"})
                    }
                    5 => {
                        json!({"type": "reminded", "stage": state.reminded.saturating_add(10).min(99)})
                    }
                    _ => json!({"type": "shelved", "explanation": "暂无法解决"}),
                },
                Status::Paused => json!({"type": "resumed"}),
                Status::Resolved => {
                    if rng.chance(700) {
                        json!({"type": "evaluated", "satisfaction": 1 + rng.below(5)})
                    } else {
                        json!({"type": "reopened", "reason": "manual", "assignment": {"level": higher, "time_limit": "2 working days", "due": at.plus_minutes(2000).to_string()}})
                    }
                }
                Status::Closed | Status::Shelved => {
                    json!({"type": "reopened", "reason": "manual", "assignment": {"level": higher, "time_limit": "2 working days", "due": at.plus_minutes(2000).to_string()}})
                }
                Status::Merged => json!({"type": "accepted"}),
            };
            return serde_json::from_value(
                json!({"case": case, "at": at.to_string(), "actor": "fs-gw051", "event": event}),
            )
            .unwrap();
        }
    }
    let event = match rng.below(17) {
        0 | 1 => {
            let c = json!({"id": case, "channel": "app", "category": CATEGORIES[rng.below(5) as usize],
                "location": "fs-c04-g03-m2", "reported_at": at.to_string()});
            json!({"type": "reported", "case": c})
        }
        2 => json!({"type": "accepted"}),
        3 => {
            json!({"type": "assigned", "assignment": {"level": level, "time_limit": "3 working days", "due": at.plus_minutes(3000).to_string(), "handler": "fs-gw051"}})
        }
        4 => {
            json!({"type": "escalated", "from": level, "to": to, "reason": "overdue", "assignment": assignment})
        }
        5 => json!({"type": "returned", "reason": text}),
        6 => json!({"type": "paused", "reason": text}),
        7 => json!({"type": "resumed"}),
        8 => json!({"type": "mediation_failed", "note": text}),
        9 => json!({"type": "reminded", "stage": rng.below(120)}),
        10 => json!({"type": "resolved", "level": level, "how": text}),
        11 => json!({"type": "evaluated", "satisfaction": rng.below(7)}),
        12 => json!({"type": "reopened", "reason": "manual", "assignment": assignment}),
        13 => json!({"type": "shelved", "explanation": text}),
        14 => json!({"type": "merged", "into": format!("c{}", rng.below(n))}),
        15 => json!({"type": "consulted", "office": "judicial_office", "opinion": text}),
        _ => {
            // An action the engine proposes, when there is one.
            let actions = ENGINE.actions(ledger, at);
            if let Some(e) = actions
                .events(at, &PersonId::new("system").unwrap())
                .into_iter()
                .next()
            {
                return e;
            }
            json!({"type": "accepted"})
        }
    };
    serde_json::from_value(
        json!({"case": case, "at": at.to_string(), "actor": "fs-gw051", "event": event}),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn random_sequences_keep_the_ledger_sound(seed in any::<u64>(), steps in 20usize..160) {
        let mut rng = SplitMix64::new(seed);
        let mut ledger = Ledger::new();
        let mut t = "2026-03-02T09:00:00+08:00".parse::<Timestamp>().unwrap().unix();
        let mut refused = 0;
        for _ in 0..steps {
            let r = random_event(&mut rng, &ledger, &mut t);
            let before = ledger.state().clone();
            let len = ledger.len();
            let previous_level = r.case.as_ref().and_then(|c| ledger.case(c.as_str())).and_then(|c| c.level());
            match ledger.append(r.clone()) {
                Err(_) => {
                    refused += 1;
                    prop_assert_eq!(ledger.state(), &before, "a refused event changed the state");
                    prop_assert_eq!(ledger.len(), len);
                }
                Ok(_) => {
                    if let Event::Escalated { to, .. } = &r.event {
                        let now = ledger.case(r.case.as_ref().unwrap().as_str()).unwrap().level();
                        prop_assert!(previous_level.is_some_and(|p| *to > p), "escalation did not move up");
                        prop_assert_eq!(now, Some(*to));
                    }
                }
            }
        }
        // Every case: exactly one state, exactly one owner, found by its id.
        for c in ledger.state().cases() {
            prop_assert!(!c.owner.as_str().is_empty());
            prop_assert_eq!(ledger.case(c.case.id.as_str()).unwrap(), c);
            for (from, to, _) in &c.escalations {
                prop_assert!(to > from);
            }
            prop_assert!(c.level().is_none_or(|l| l <= Level::Department));
        }
        let ids: std::collections::BTreeSet<_> = ledger.state().cases().iter().map(|c| c.case.id.clone()).collect();
        prop_assert_eq!(ids.len(), ledger.state().cases().len());
        // Replay from every prefix's snapshot gives the live state.
        let events: Vec<EventRecord> = ledger.events().collect();
        for k in (0..=events.len()).step_by(7).chain([events.len()]) {
            let prefix = Ledger::from_snapshot(LedgerState::new(), events[..k].iter().cloned()).unwrap();
            let snap = LedgerState::from_json_str(&prefix.state().to_json()).unwrap();
            let resumed = Ledger::from_snapshot(snap, events[k..].iter().cloned()).unwrap();
            prop_assert_eq!(resumed.state(), ledger.state());
        }
        prop_assert!(refused <= steps);
    }
}
