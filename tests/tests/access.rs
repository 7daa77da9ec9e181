//! Access by jurisdiction on the Fushan default: each default role's reach, personal data
//! per path, and the property that the interval index answers exactly what a brute-force
//! check of every case gives (100,000 queries).
#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::indexing_slicing,
    reason = "tests: a failed unwrap is a failed test"
)]

use std::sync::Arc;

use gridgov::Engine;
use gridgov::access::{AccessIndex, Action, Actor};
use gridgov::case::Reporter;
use gridgov::case::event::{Event, EventRecord};
use gridgov::case::ledger::Ledger;
use gridgov::sim::{self, SplitMix64};
use proptest::prelude::*;

fn actor(id: &str, role: &str, unit: Option<&str>) -> Actor {
    Actor {
        id: id.to_owned(),
        role: role.to_owned(),
        unit: unit.map(str::to_owned),
    }
}

/// A simulated month, plus reported cases whose reporters have id numbers `r0`…`r{residents-1}`.
fn ledger(engine: &Engine, cases: usize, seed: u64, residents: u64) -> Ledger {
    let mut ledger = sim::simulate_month(engine, 2026, 3, cases, seed).ledger;
    let mut rng = SplitMix64::new(seed ^ 0xACCE55);
    for (i, mut case) in sim::month_cases(engine, 2026, 4, cases / 4 + 1, seed)
        .into_iter()
        .enumerate()
    {
        case.id = gridgov::CaseId::new(format!("res-{seed}-{i}")).unwrap();
        case.reporter = Some(Reporter {
            name: Some("王芳".into()),
            phone: Some("13800001234".into()),
            id_number: Some(format!("r{}", rng.below(residents.max(1))).into()),
            email: None,
            account_id: None,
            device_id: None,
        });
        let record = EventRecord {
            event_id: None,
            case: Some(case.id.clone()),
            at: case.reported_at,
            actor: gridgov::PersonId::new("system").unwrap(),
            event: Event::Reported {
                case: Arc::new(case),
            },
        };
        ledger.append(record).unwrap();
    }
    ledger
}

fn ids(cases: &[&gridgov::case::ledger::CaseState]) -> Vec<String> {
    cases.iter().map(|c| c.case.id.to_string()).collect()
}

#[test]
fn each_default_role_reaches_its_jurisdiction() {
    let engine = Engine::fushan();
    let ledger = ledger(&engine, 400, 3, 5);
    let all = ledger.state().cases();
    let org = engine.org();
    let index = AccessIndex::new(&engine, &ledger);
    let visible = |a: &Actor| index.visible(&engine, a).unwrap();

    // The subdistrict and analysts see everything.
    assert_eq!(visible(&actor("s1", "subdistrict", None)).len(), all.len());
    assert_eq!(visible(&actor("a1", "analyst", None)).len(), all.len());
    // A grid worker: the grids (or micro-grids) they are posted to.
    let gw = visible(&actor("fs-gw002", "grid_worker", None));
    assert!(!gw.is_empty());
    assert!(
        gw.iter()
            .all(|c| org.contains("fs-c01-g02", c.location.as_str()) == Ok(true))
    );
    assert_eq!(
        gw.len(),
        all.iter()
            .filter(|c| org.contains("fs-c01-g02", c.location.as_str()) == Ok(true))
            .count()
    );
    // A committee member: the grids they liaise with.
    let liaison: Vec<&str> = org
        .spec()
        .duties
        .iter()
        .filter(|d| d.duty == gridgov::org::DutyKind::Liaison && d.person.as_str() == "fs-cm01-1")
        .map(|d| d.unit.as_str())
        .collect();
    assert!(!liaison.is_empty());
    let cm = visible(&actor("fs-cm01-1", "committee_member", None));
    assert!(cm.iter().all(|c| {
        liaison
            .iter()
            .any(|g| org.contains(g, c.location.as_str()) == Ok(true))
    }));
    // Community cadres: their community.
    let cc = visible(&actor("x", "community_cadre", Some("fs-c02")));
    assert!(!cc.is_empty());
    assert!(
        cc.iter()
            .all(|c| c.location.as_str().starts_with("fs-c02-"))
    );
    // An office: the cases routed to it now.
    let police = visible(&actor("p1", "office", Some("police_work_office")));
    assert!(!police.is_empty());
    assert!(
        police
            .iter()
            .all(|c| c.assignment.as_ref().is_some_and(|a| a
                .office
                .as_ref()
                .is_some_and(|o| o.as_str() == "police_work_office")
                || a.co_offices
                    .iter()
                    .any(|o| o.as_str() == "police_work_office")))
    );
    // Residents: their own cases only.
    let mine = visible(&actor("r1", "resident", None));
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|c| {
        c.case
            .reporter
            .as_ref()
            .and_then(|r| r.id_number.as_deref())
            == Some("r1")
    }));
    assert!(visible(&actor("nobody", "resident", None)).is_empty());
    // And what they may do.
    let case = gw[0];
    assert_eq!(
        engine.can(
            &actor("fs-gw002", "grid_worker", None),
            Action::Resolve,
            case
        ),
        Ok(true)
    );
    assert_eq!(
        engine.can(
            &actor("fs-gw002", "grid_worker", None),
            Action::Export,
            case
        ),
        Ok(false)
    );
    assert_eq!(
        engine.can(&actor("fs-gw003", "grid_worker", None), Action::View, case),
        Ok(false)
    );
    assert_eq!(
        engine.can(&actor("a1", "analyst", None), Action::Act, case),
        Ok(false)
    );
    assert_eq!(
        engine.can(&actor("r1", "resident", None), Action::Act, mine[0]),
        Ok(false)
    );
}

#[test]
fn bad_actors_get_errors_naming_what_is_wrong() {
    let engine = Engine::fushan();
    let ledger = ledger(&engine, 20, 1, 2);
    let err = |a: Actor| engine.visible_cases(&a, &ledger).unwrap_err();
    let e = err(actor("x", "mayor", None));
    assert_eq!(e.code(), "unknown_role");
    assert!(
        e.to_string()
            .contains("roles are analyst, committee_member")
    );
    assert_eq!(
        err(actor("x", "community_cadre", None)).code(),
        "actor_unit"
    );
    assert_eq!(
        err(actor("x", "community_cadre", Some("fs-pw"))).code(),
        "actor_unit"
    );
    assert_eq!(
        err(actor("x", "community_cadre", Some("nowhere"))).code(),
        "actor_unit"
    );
    assert_eq!(
        err(actor("x", "office", Some("fs-c01"))).code(),
        "actor_unit"
    );
    assert_eq!(err(actor("x", "office", None)).code(), "actor_unit");
}

#[test]
fn personal_data_is_masked_on_every_path_unless_the_role_sees_it() {
    let engine = Engine::fushan();
    let ledger = ledger(&engine, 40, 5, 1);
    let case = ledger
        .state()
        .cases()
        .iter()
        .find(|c| {
            c.case
                .reporter
                .as_ref()
                .and_then(|r| r.id_number.as_deref())
                == Some("r0")
        })
        .unwrap();
    let id = case.case.id.as_str();
    let as_json = |a: &Actor| serde_json::to_string(a).unwrap();
    let resident = actor("r0", "resident", None);
    let cadre = actor("c", "subdistrict", None);
    let analyst = actor("a", "analyst", None);
    // Timelines: the resident sees the public one of their own case; the subdistrict sees
    // the personal data.
    let public =
        gridgov::json::timeline_for_json(&engine, &ledger, &as_json(&resident), id).unwrap();
    assert!(!public.contains("13800001234") && public.contains("138****1234"));
    assert!(!public.contains("王芳"));
    let private = gridgov::json::timeline_for_json(&engine, &ledger, &as_json(&cadre), id).unwrap();
    assert!(private.contains("13800001234"));
    // Another resident may not see it at all.
    let e = gridgov::json::timeline_for_json(
        &engine,
        &ledger,
        &as_json(&actor("r9", "resident", None)),
        id,
    )
    .unwrap_err();
    assert_eq!(e.code(), "out_of_scope");
    // Exports: an analyst's are masked, the subdistrict's are not, a resident may not export.
    let masked = gridgov::json::export_json(&engine, &ledger, &as_json(&analyst)).unwrap();
    assert!(masked.contains("138****1234") && !masked.contains("13800001234"));
    assert!(!masked.contains("\"r0\""));
    let full = gridgov::json::export_json(&engine, &ledger, &as_json(&cadre)).unwrap();
    assert!(full.contains("13800001234"));
    let e = gridgov::json::export_json(&engine, &ledger, &as_json(&resident)).unwrap_err();
    assert_eq!(e.code(), "forbidden");
}

#[test]
fn access_is_data_in_the_rule_set() {
    let mut rules: serde_json::Value =
        serde_json::from_str(gridgov::rules::default_json()).unwrap();
    rules["access"] = serde_json::json!({"roles": {
        "inspector": {"scope": "unit", "actions": ["view", "export"], "personal_data": false}
    }});
    let engine = Engine::from_json_strs(None, Some(&rules.to_string()), None).unwrap();
    let ledger = ledger(&engine, 100, 2, 2);
    let seen = engine
        .visible_cases(&actor("i", "inspector", Some("fs-c03")), &ledger)
        .unwrap();
    assert!(
        !seen.is_empty()
            && seen
                .iter()
                .all(|c| c.location.as_str().starts_with("fs-c03-"))
    );
    assert_eq!(
        engine
            .visible_cases(&actor("g", "grid_worker", None), &ledger)
            .unwrap_err()
            .code(),
        "unknown_role"
    );
    // The default is left out when the rule set is written back.
    assert!(!gridgov::json::rules_json(gridgov::Engine::fushan().rules()).contains("\"access\""));
    assert!(gridgov::json::rules_json(engine.rules()).contains("\"inspector\""));
}

/// Every actor the property test draws from: each role with the ids and units it needs,
/// and some that fit no case.
fn actors(engine: &Engine) -> Vec<Actor> {
    let org = engine.org();
    let mut out = vec![actor("s", "subdistrict", None), actor("a", "analyst", None)];
    for p in &org.spec().people {
        let role = match p.role {
            gridgov::org::Role::GridWorker => "grid_worker",
            gridgov::org::Role::CommitteeMember | gridgov::org::Role::AreaSecretary => {
                "committee_member"
            }
            _ => continue,
        };
        out.push(actor(p.id.as_str(), role, None));
    }
    for u in org.units() {
        if u.kind.hierarchy() == gridgov::org::Hierarchy::Territory {
            out.push(actor("c", "community_cadre", Some(u.id.as_str())));
        }
    }
    for o in &org.spec().offices {
        out.push(actor("o", "office", Some(o.id.as_str())));
    }
    for r in 0..12 {
        out.push(actor(&format!("r{r}"), "resident", None));
    }
    out
}

#[test]
fn visible_cases_equals_the_brute_force_filter_on_100000_queries() {
    let engine = Engine::fushan();
    let pool = actors(&engine);
    let mut queries = 0;
    let mut differences = 0;
    for seed in 0..25 {
        let ledger = ledger(&engine, 120, seed, 10);
        let index = AccessIndex::new(&engine, &ledger);
        let mut rng = SplitMix64::new(seed);
        for _ in 0..4000 {
            let a = &pool[rng.below(pool.len() as u64) as usize];
            let fast = ids(&index.visible(&engine, a).unwrap());
            // The brute force: every case checked against the role (what `can` does).
            let resolved = engine.resolve_actor(a).unwrap();
            let brute: Vec<String> = ledger
                .state()
                .cases()
                .iter()
                .filter(|c| resolved.allows(Action::View) && engine.reaches(&resolved, c))
                .map(|c| c.case.id.to_string())
                .collect();
            differences += usize::from(fast != brute);
            queries += 1;
        }
    }
    assert_eq!(queries, 100_000);
    assert_eq!(differences, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every `can` answer agrees with `visible_cases`: an actor may take an action on a
    /// case only if it sees the case, and sees it exactly when it may view it.
    #[test]
    fn can_agrees_with_visible_cases(seed in 0u64..1000, pick in 0usize..10_000, action in 0usize..6) {
        let engine = Engine::fushan();
        let ledger = ledger(&engine, 60, seed, 6);
        let pool = actors(&engine);
        let a = &pool[pick % pool.len()];
        let action = Action::ALL[action];
        let seen = ids(&engine.visible_cases(a, &ledger).unwrap());
        for c in ledger.state().cases() {
            let visible = seen.iter().any(|s| s == c.case.id.as_str());
            prop_assert_eq!(engine.can(a, Action::View, c).unwrap(), visible);
            if engine.can(a, action, c).unwrap() {
                prop_assert!(visible || action != Action::View);
                prop_assert!(engine.reaches(&engine.resolve_actor(a).unwrap(), c));
            }
        }
    }

    /// Escalation only moves up: in every simulated ledger, each escalation goes from a
    /// level to a higher one.
    #[test]
    fn escalation_only_moves_up(seed in 0u64..10_000) {
        let engine = Engine::fushan();
        let ledger = sim::simulate_month(&engine, 2026, 3, 80, seed).ledger;
        for c in ledger.state().cases() {
            for (from, to, _) in &c.escalations {
                prop_assert!(from < to, "{} escalated from {from} to {to}", c.case.id);
            }
        }
    }
}
