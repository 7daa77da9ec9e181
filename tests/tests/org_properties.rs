//! Property tests of the organisation graph: on random valid trees, validation accepts
//! every tree and `contains` agrees with walking parents; on random broken specs,
//! validation never panics and always names a problem.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use gridgov::org::{
    DutyKind, DutySpec, GapPolicy, Level, ORG_FORMAT, OrgGraph, OrgSpec, PersonSpec, Role,
    UnitKind, UnitSpec,
};
use gridgov::{PersonId, UnitId};
use gridgov_benches::SplitMix64;
use proptest::prelude::*;

fn uid(s: &str) -> UnitId {
    UnitId::new(s).unwrap()
}

fn unit(id: &str, kind: UnitKind, parent: Option<&str>, anchored_to: Vec<UnitId>) -> UnitSpec {
    UnitSpec {
        id: uid(id),
        kind,
        parent: parent.map(uid),
        name: id.to_owned(),
        name_en: None,
        anchored_to,
        brand: None,
        households: None,
        synthetic: true,
    }
}

/// A random valid organisation: every kind rule, anchor rule and coverage rule holds.
fn random_valid_spec(seed: u64) -> OrgSpec {
    let mut rng = SplitMix64::new(seed);
    let mut units = Vec::new();
    let mut people = Vec::new();
    let mut duties = Vec::new();
    let roots = 1 + rng.below(2);
    for s in 0..roots {
        let sd = format!("s{s}");
        units.push(unit(&sd, UnitKind::Subdistrict, None, vec![]));
        let pw = format!("{sd}-pw");
        units.push(unit(&pw, UnitKind::WorkingCommittee, None, vec![uid(&sd)]));
        for c in 0..1 + rng.below(3) {
            let cid = format!("{sd}-c{c}");
            units.push(unit(&cid, UnitKind::Community, Some(&sd), vec![]));
            let pc = format!("{cid}-pc");
            units.push(unit(
                &pc,
                UnitKind::CommunityPartyCommittee,
                Some(&pw),
                vec![uid(&cid)],
            ));
            // Grids in compounds, and sometimes directly in the community.
            let mut grid_parents = Vec::new();
            for x in 0..rng.below(3) {
                let xid = format!("{cid}-x{x}");
                units.push(unit(&xid, UnitKind::Compound, Some(&cid), vec![]));
                for _ in 0..1 + rng.below(3) {
                    grid_parents.push(xid.clone());
                }
            }
            for _ in 0..rng.below(2) {
                grid_parents.push(cid.clone());
            }
            for (g, parent) in grid_parents.iter().enumerate() {
                let gid = format!("{cid}-g{g}");
                units.push(unit(&gid, UnitKind::Grid, Some(parent), vec![]));
                let pid = format!("{gid}-w");
                people.push(PersonSpec {
                    id: PersonId::new(pid.clone()).unwrap(),
                    name: pid.clone(),
                    role: Role::GridWorker,
                    unit: uid(&gid),
                    synthetic: true,
                });
                duties.push(DutySpec {
                    person: PersonId::new(pid).unwrap(),
                    duty: DutyKind::GridWorker,
                    unit: uid(&gid),
                    lists: Vec::new(),
                });
                // Each grid gets a branch with probability 2/3; groups on micro-grids and
                // buildings of that grid.
                let branch = (rng.below(3) > 0).then(|| {
                    let bid = format!("{gid}-pb");
                    units.push(unit(
                        &bid,
                        UnitKind::GridPartyBranch,
                        Some(&pc),
                        vec![uid(&gid)],
                    ));
                    bid
                });
                for m in 0..rng.below(4) {
                    let mid = format!("{gid}-m{m}");
                    units.push(unit(&mid, UnitKind::MicroGrid, Some(&gid), vec![]));
                    let mut targets = vec![mid.clone()];
                    for b in 0..rng.below(3) {
                        let bid = format!("{mid}-b{b}");
                        units.push(unit(&bid, UnitKind::Building, Some(&mid), vec![]));
                        targets.push(bid);
                    }
                    if let Some(branch) = &branch {
                        if rng.below(2) == 0 {
                            let t = &targets[rng.below(targets.len() as u64) as usize];
                            let pg = format!("{mid}-pg");
                            units.push(unit(
                                &pg,
                                UnitKind::BuildingPartyGroup,
                                Some(branch),
                                vec![uid(t)],
                            ));
                            for h in 0..rng.below(3) {
                                units.push(unit(
                                    &format!("{pg}-h{h}"),
                                    UnitKind::LeadHousehold,
                                    Some(&pg),
                                    vec![uid(t)],
                                ));
                            }
                        }
                    }
                }
            }
            if grid_parents.is_empty() {
                // A community with no grid at all is allowed; nothing else to add.
            }
        }
    }
    // Validation must not depend on the order units are listed in.
    for i in (1..units.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        units.swap(i, j);
    }
    OrgSpec {
        format: ORG_FORMAT,
        name: format!("random {seed}"),
        name_en: None,
        source: None,
        units,
        people,
        duties,
        offices: vec![],
        volunteer_teams: vec![],
        duty_lists: None,
        map: None,
    }
}

fn contains_by_walking(org: &OrgGraph, outer: &str, inner: &str) -> bool {
    if outer == inner {
        return true;
    }
    org.ancestors(inner)
        .unwrap()
        .iter()
        .any(|u| u.id.as_str() == outer)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn validation_accepts_every_generated_tree_and_contains_agrees_with_parents(seed in any::<u64>()) {
        let spec = random_valid_spec(seed);
        let ids: Vec<String> = spec.units.iter().map(|u| u.id.to_string()).collect();
        let org = match OrgGraph::from_spec(spec) {
            Ok(org) => org,
            Err(e) => return Err(TestCaseError::fail(format!("valid tree rejected: {e}"))),
        };
        // All pairs on small trees; a sample on large ones.
        let mut rng = SplitMix64::new(seed ^ 0x5eed);
        let pairs = (ids.len() * ids.len()).min(4000);
        for _ in 0..pairs {
            let a = &ids[rng.below(ids.len() as u64) as usize];
            let b = &ids[rng.below(ids.len() as u64) as usize];
            let fast = org.contains(a, b).unwrap();
            prop_assert_eq!(fast, contains_by_walking(&org, a, b), "contains({}, {})", a, b);
            let ka = org.key(a).unwrap();
            let kb = org.key(b).unwrap();
            prop_assert_eq!(org.contains_key(ka, kb), fast);
        }
        // unit_at_level agrees with the ancestors list.
        for id in &ids {
            let u = org.unit(id).unwrap();
            if u.kind.hierarchy() != gridgov::org::Hierarchy::Territory {
                continue;
            }
            for level in [Level::MicroGrid, Level::Grid, Level::Community, Level::Subdistrict] {
                let expected = std::iter::once(u)
                    .chain(org.ancestors(id).unwrap())
                    .find(|a| Some(a.kind) == level.unit_kind())
                    .map(|a| a.id.to_string());
                let got = org.unit_at_level(id, level).unwrap().map(|a| a.id.to_string());
                prop_assert_eq!(got, expected);
            }
        }
    }

    #[test]
    fn random_broken_specs_never_panic_and_always_name_a_problem(
        seed in any::<u64>(),
        edits in proptest::collection::vec((0usize..6, any::<u64>()), 1..8),
    ) {
        let mut spec = random_valid_spec(seed);
        let n = spec.units.len() as u64;
        let kinds = UnitKind::ALL;
        for (what, r) in &edits {
            let mut rng = SplitMix64::new(*r);
            let i = rng.below(n) as usize;
            let j = rng.below(n) as usize;
            let other = spec.units[j].id.clone();
            match what {
                0 => spec.units[i].parent = Some(other),
                1 => spec.units[i].parent = None,
                2 => spec.units[i].kind = kinds[rng.below(kinds.len() as u64) as usize],
                3 => spec.units[i].anchored_to.push(other),
                4 => spec.units[i].anchored_to.clear(),
                _ => {
                    let dup = spec.units[i].clone();
                    spec.units.push(dup);
                }
            }
        }
        let before = spec.clone();
        for policy in [GapPolicy::Reject, GapPolicy::Report] {
            match OrgGraph::from_spec_with(spec.clone(), policy) {
                Ok(org) => {
                    // Whatever is accepted answers queries without panicking.
                    for u in &before.units {
                        let _ = org.unit_at_level(u.id.as_str(), Level::Community);
                        let _ = org.duty_holder(u.id.as_str(), Level::Grid);
                        let _ = org.contains(before.units[0].id.as_str(), u.id.as_str());
                    }
                    let _ = org.coverage();
                }
                Err(e) => prop_assert!(!e.problems().is_empty(), "{}", e),
            }
        }
    }
}
