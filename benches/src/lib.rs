//! The synthetic-city generator for benchmarks and scale tests.
//!
//! [`synthetic_city`] builds an organisation of `scale` subdistricts, each shaped like
//! Fushan (12 communities, 69 compounds, 150 grids, 382 micro-grids and the five-level
//! party organisation), so `scale = 100` is a city of 15,000 grids and 38,200 micro-grids.
//! Everything is deterministic: the same scale and seed give the same spec.
#![allow(
    clippy::expect_used,
    reason = "generated ids are short ASCII strings; a failure is a bug in the generator"
)]

use gridgov::org::{
    DutyKind, DutySpec, OfficeKind, OfficeSpec, OrgSpec, PersonSpec, Role, UnitKind, UnitSpec,
};
use gridgov::{Category, OfficeId, PersonId, UnitId};

/// Per-subdistrict shape, as in Fushan.
pub const COMMUNITIES: usize = 12;
/// Compounds per subdistrict.
pub const COMPOUNDS: usize = 69;
/// Grids per subdistrict.
pub const GRIDS: usize = 150;
/// Micro-grids per subdistrict.
pub const MICRO_GRIDS: usize = 382;
/// Grid party branches per subdistrict.
pub const BRANCHES: usize = 100;

pub use gridgov::sim::SplitMix64;

/// Splits `total` into `buckets` near-equal parts, larger ones first.
#[must_use]
pub fn spread(total: usize, buckets: usize) -> Vec<usize> {
    if buckets == 0 {
        return Vec::new();
    }
    let base = total / buckets;
    let extra = total % buckets;
    (0..buckets)
        .map(|i| base + usize::from(i < extra))
        .collect()
}

fn uid(s: String) -> UnitId {
    UnitId::new(s).expect("generated unit ids are valid")
}

fn unit(id: &str, kind: UnitKind, parent: Option<&str>, anchored_to: Vec<UnitId>) -> UnitSpec {
    UnitSpec {
        id: uid(id.to_owned()),
        kind,
        parent: parent.map(|p| uid(p.to_owned())),
        name: id.to_owned(),
        name_en: None,
        anchored_to,
        brand: None,
        households: None,
        synthetic: true,
    }
}

/// A city of `scale` Fushan-shaped subdistricts.
#[must_use]
pub fn synthetic_city(scale: usize, seed: u64) -> OrgSpec {
    let mut rng = SplitMix64::new(seed);
    let mut units = Vec::new();
    let mut people = Vec::new();
    let mut duties = Vec::new();
    let mut offices = Vec::new();
    let person = |people: &mut Vec<PersonSpec>, id: String, role: Role, at: &str| {
        let pid = PersonId::new(id).expect("generated person ids are valid");
        people.push(PersonSpec {
            id: pid.clone(),
            name: pid.to_string(),
            role,
            unit: uid(at.to_owned()),
            synthetic: true,
        });
        pid
    };
    let compounds_per_community = spread(COMPOUNDS, COMMUNITIES);
    let grids_per_compound = spread(GRIDS, COMPOUNDS);
    let micro_per_grid = spread(MICRO_GRIDS, GRIDS);
    let branches_per_community = spread(BRANCHES, COMMUNITIES);
    for s in 0..scale {
        let sd = format!("s{s:04}");
        units.push(unit(&sd, UnitKind::Subdistrict, None, vec![]));
        let pw = format!("{sd}-pw");
        units.push(unit(
            &pw,
            UnitKind::WorkingCommittee,
            None,
            vec![uid(sd.clone())],
        ));
        let duty = person(&mut people, format!("{sd}-duty"), Role::OfficeStaff, &sd);
        duties.push(DutySpec {
            person: duty,
            duty: DutyKind::Lead,
            unit: uid(sd.clone()),
        });
        let mut compound_i = 0;
        let mut grid_i = 0;
        for c in 0..COMMUNITIES {
            let cid = format!("{sd}-c{c:02}");
            units.push(unit(&cid, UnitKind::Community, Some(&sd), vec![]));
            let pc = format!("{sd}-pc{c:02}");
            units.push(unit(
                &pc,
                UnitKind::CommunityPartyCommittee,
                Some(&pw),
                vec![uid(cid.clone())],
            ));
            let members: Vec<PersonId> = (0..6)
                .map(|k| {
                    person(
                        &mut people,
                        format!("{cid}-cm{k}"),
                        Role::CommitteeMember,
                        &cid,
                    )
                })
                .collect();
            if let Some(first) = members.first() {
                duties.push(DutySpec {
                    person: first.clone(),
                    duty: DutyKind::Lead,
                    unit: uid(cid.clone()),
                });
            }
            let mut grids = Vec::new();
            let mut micros: Vec<Vec<UnitId>> = Vec::new();
            for x in 0..compounds_per_community.get(c).copied().unwrap_or(0) {
                let xid = format!("{cid}-x{x:02}");
                units.push(unit(&xid, UnitKind::Compound, Some(&cid), vec![]));
                for _ in 0..grids_per_compound.get(compound_i).copied().unwrap_or(0) {
                    let gid = format!("{cid}-g{:02}", grids.len());
                    units.push(unit(&gid, UnitKind::Grid, Some(&xid), vec![]));
                    let gw = person(&mut people, format!("{gid}-gw"), Role::GridWorker, &gid);
                    duties.push(DutySpec {
                        person: gw,
                        duty: DutyKind::GridWorker,
                        unit: uid(gid.clone()),
                    });
                    if !members.is_empty() {
                        let m = members.get(grids.len() % members.len()).cloned();
                        if let Some(m) = m {
                            duties.push(DutySpec {
                                person: m,
                                duty: DutyKind::Liaison,
                                unit: uid(gid.clone()),
                            });
                        }
                    }
                    let mut ms = Vec::new();
                    for m in 0..micro_per_grid.get(grid_i).copied().unwrap_or(0) {
                        let mid = format!("{gid}-m{m}");
                        let mut u = unit(&mid, UnitKind::MicroGrid, Some(&gid), vec![]);
                        u.households = Some(60 + u32::try_from(rng.below(121)).unwrap_or(0));
                        units.push(u);
                        ms.push(uid(mid));
                    }
                    grids.push(uid(gid));
                    micros.push(ms);
                    grid_i += 1;
                }
                compound_i += 1;
            }
            // Branches on one or two grids; one building party group per micro-grid pair.
            let mut gi = 0;
            for (b, size) in spread(
                grids.len(),
                branches_per_community.get(c).copied().unwrap_or(1),
            )
            .into_iter()
            .enumerate()
            {
                let bid = format!("{sd}-pb{c:02}-{b:02}");
                let bgrids: Vec<UnitId> = grids.get(gi..gi + size).unwrap_or(&[]).to_vec();
                let bmicros: Vec<UnitId> = micros
                    .get(gi..gi + size)
                    .unwrap_or(&[])
                    .iter()
                    .flatten()
                    .cloned()
                    .collect();
                gi += size;
                units.push(unit(&bid, UnitKind::GridPartyBranch, Some(&pc), bgrids));
                for (k, pair) in bmicros.chunks(2).enumerate() {
                    let gid = format!("{bid}-pg{k}");
                    units.push(unit(
                        &gid,
                        UnitKind::BuildingPartyGroup,
                        Some(&bid),
                        pair.to_vec(),
                    ));
                    for (h, m) in pair.iter().enumerate() {
                        units.push(unit(
                            &format!("{gid}-h{h}"),
                            UnitKind::LeadHousehold,
                            Some(&gid),
                            vec![m.clone()],
                        ));
                    }
                }
            }
        }
        for (kind, cats) in [
            (
                OfficeKind::PoliceWorkOffice,
                &["property_crime", "public_security"][..],
            ),
            (
                OfficeKind::JudicialOffice,
                &["neighbour_dispute", "debt_dispute", "labour_wage"][..],
            ),
            (OfficeKind::PetitionsOffice, &["petition"][..]),
            (
                OfficeKind::ComprehensiveGovernanceOffice,
                &["comprehensive_governance", "safety_hazard"][..],
            ),
            (
                OfficeKind::DutyLawyerDesk,
                &["debt_dispute", "labour_wage"][..],
            ),
        ] {
            let oid = format!("{sd}-{}", kind.as_str());
            let office_id = OfficeId::new(oid.clone()).expect("generated office ids are valid");
            offices.push(OfficeSpec {
                id: office_id,
                kind,
                name: oid.clone(),
                name_en: None,
                unit: Some(uid(sd.clone())),
                categories: cats.iter().filter_map(|c| Category::new(*c).ok()).collect(),
            });
            let staff = person(&mut people, format!("{oid}-1"), Role::OfficeStaff, &oid);
            duties.push(DutySpec {
                person: staff,
                duty: DutyKind::Lead,
                unit: uid(oid),
            });
        }
    }
    OrgSpec {
        format: gridgov::org::ORG_FORMAT,
        name: format!("synthetic city ×{scale}"),
        name_en: None,
        source: Some(format!(
            "gridgov-benches synthetic_city(scale = {scale}, seed = {seed})"
        )),
        units,
        people,
        duties,
        offices,
        volunteer_teams: Vec::new(),
    }
}
