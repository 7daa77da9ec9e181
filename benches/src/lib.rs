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
            lists: Vec::new(),
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
                    lists: Vec::new(),
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
                        lists: Vec::new(),
                    });
                    if !members.is_empty() {
                        let m = members.get(grids.len() % members.len()).cloned();
                        if let Some(m) = m {
                            duties.push(DutySpec {
                                person: m,
                                duty: DutyKind::Liaison,
                                unit: uid(gid.clone()),
                                lists: Vec::new(),
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
                lists: Vec::new(),
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
        duty_lists: None,
        map: None,
    }
}

/// A map for a synthetic city: its grids as a square lattice of cells 0.002° wide and
/// high (about 200 m) from 116°E 35°N in GCJ-02, each grid's micro-grids as strips side by
/// side in its cell, corners on whole micro-degrees so neighbours share edges exactly.
/// Returns the map and, per micro-grid, its rectangle `[x0, y0, x1, y1]` in degrees.
#[must_use]
pub fn city_map(spec: &OrgSpec) -> (gridgov::org::MapSpec, Vec<(String, [f64; 4])>) {
    const CELL: i64 = 2_000; // micro-degrees
    let grids: Vec<&UnitSpec> = spec
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Grid)
        .collect();
    let side = (1..)
        .find(|s: &i64| s * s >= grids.len() as i64)
        .unwrap_or(1);
    let mut micros_of: std::collections::HashMap<&str, Vec<&UnitSpec>> =
        std::collections::HashMap::new();
    for u in spec.units.iter().filter(|u| u.kind == UnitKind::MicroGrid) {
        if let Some(p) = &u.parent {
            micros_of.entry(p.as_str()).or_default().push(u);
        }
    }
    let mut features = Vec::new();
    let mut rects = Vec::new();
    for (g, grid) in grids.iter().enumerate() {
        let g = g as i64;
        let (x0, y0) = (
            116_000_000 + (g % side) * CELL,
            35_000_000 + (g / side) * CELL,
        );
        let micros: &[&UnitSpec] = micros_of.get(grid.id.as_str()).map_or(&[], Vec::as_slice);
        let n = micros.len().max(1) as i64;
        for (m, micro) in micros.iter().enumerate() {
            let m = m as i64;
            let (a, b) = (x0 + m * CELL / n, x0 + (m + 1) * CELL / n);
            let r = [
                a as f64 / 1e6,
                y0 as f64 / 1e6,
                b as f64 / 1e6,
                (y0 + CELL) as f64 / 1e6,
            ];
            rects.push((micro.id.to_string(), r));
            features.push(serde_json::json!({"type": "Feature", "properties": {"unit": micro.id.as_str()},
                "geometry": {"type": "Polygon", "coordinates": [[[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]], [r[0], r[1]]]]}}));
        }
    }
    let map = serde_json::from_value(serde_json::json!({
        "crs": "gcj02", "synthetic": true,
        "areas": {"type": "FeatureCollection", "features": features},
    }))
    .expect("a generated map has the spec's shape");
    (map, rects)
}

/// Ten events for each case, in time order across all cases: reported, accepted,
/// assigned, a 50% reminder, a pause and its end, an 80% reminder, a climb to the next
/// level (or a failed mediation at department level), then the resolution and the
/// resident's evaluation; three cases in ten are still running instead (two more
/// reminders). Every event is valid; a ledger built from them refuses none.
/// Each report is a copy of its case, which the events alone then hold.
#[must_use]
pub fn ledger_workload(
    engine: &gridgov::Engine,
    cases: &[gridgov::Case],
) -> Vec<gridgov::case::event::EventRecord> {
    let shared: Vec<std::sync::Arc<gridgov::Case>> =
        cases.iter().cloned().map(std::sync::Arc::new).collect();
    ledger_events(engine, &shared).collect()
}

/// [`ledger_workload`] as a stream, in the same order, holding only the events of the
/// cases whose lives overlap the current time (a merge of the cases taken in order of
/// report), so that a soak of millions of events does not hold them all. Each report
/// shares its case with `cases`, as a reporting system hands a ledger its reports.
pub fn ledger_events<'a>(
    engine: &'a gridgov::Engine,
    cases: &'a [std::sync::Arc<gridgov::Case>],
) -> impl Iterator<Item = gridgov::case::event::EventRecord> + 'a {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// An event with its place in the order: time, the case's order key, and the
    /// sequence it was made in (a stable sort's tie-break).
    struct Pending((i64, usize, usize), gridgov::case::event::EventRecord);
    impl PartialEq for Pending {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }
    impl Eq for Pending {}
    impl PartialOrd for Pending {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Pending {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.cmp(&other.0)
        }
    }

    let system = PersonId::new("system").expect("a valid id");
    // Every event of a case is at or after its report, so the cases are taken in order of
    // report (then position) and an event is let out once no case still to come can have
    // an earlier one.
    let mut order: Vec<usize> = (0..cases.len()).collect();
    order.sort_by_key(|&i| cases.get(i).map(|c| (c.reported_at.unix(), i)));
    let mut next = order.into_iter().peekable();
    let mut heap: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
    let mut seq = 0usize;
    std::iter::from_fn(move || {
        loop {
            let bound = next
                .peek()
                .and_then(|&i| cases.get(i).map(|c| (c.reported_at.unix(), i * 10)));
            let ready = heap
                .peek()
                .is_some_and(|Reverse(p)| bound.is_none_or(|b| (p.0.0, p.0.1) < b));
            if ready {
                return heap.pop().map(|Reverse(p)| p.1);
            }
            let i = next.next()?;
            let case = cases.get(i)?;
            for (k, r) in case_life(engine, &system, i, case).into_iter().enumerate() {
                heap.push(Reverse(Pending((r.at.unix(), i * 10 + k, seq), r)));
                seq += 1;
            }
        }
    })
}

/// The events of one case's life (see [`ledger_workload`]), in its own order.
fn case_life(
    engine: &gridgov::Engine,
    system: &PersonId,
    i: usize,
    case: &std::sync::Arc<gridgov::Case>,
) -> Vec<gridgov::case::event::EventRecord> {
    use std::sync::Arc;

    use gridgov::case::event::{Assignment, EscalationReason, Event, EventRecord};
    use gridgov::org::Level;

    let Ok(d) = engine.route(case) else {
        return Vec::new();
    };
    let first = engine.assignment(&d);
    let t0 = case.reported_at;
    let at = |minutes: i64| t0.plus_minutes(minutes);
    let id = Some(case.id.clone());
    let handler = first.handler.clone().unwrap_or_else(|| system.clone());
    let from = first.level;
    let to = from.up().unwrap_or(Level::Department);
    let mut events = vec![
        (
            0,
            Event::Reported {
                case: Arc::clone(case),
            },
        ),
        (5, Event::Accepted {}),
        (
            6,
            Event::Assigned {
                assignment: Arc::new(first.clone()),
            },
        ),
        (60, Event::Reminded { stage: 50 }),
        (
            70,
            Event::Paused {
                reason: "等待".to_owned(),
            },
        ),
        (130, Event::Resumed {}),
        (200, Event::Reminded { stage: 80 }),
    ];
    if from < Level::Department {
        let climbed = Assignment {
            level: to,
            due: at(5000),
            rule: Some("escalation/overdue".into()),
            ..first.clone()
        };
        events.push((
            300,
            Event::Escalated {
                from,
                to,
                reason: EscalationReason::Overdue,
                assignment: Arc::new(climbed),
            },
        ));
    } else {
        events.push((
            300,
            Event::MediationFailed {
                note: "未成".to_owned(),
            },
        ));
    }
    let resolved_at = if from < Level::Department { to } else { from };
    if i % 10 < 3 {
        // Three cases in ten are still running: reminded again (at the new level, or
        // later stages where they could not climb).
        let (a, b) = if from < Level::Department {
            (50, 80)
        } else {
            (90, 95)
        };
        events.push((400, Event::Reminded { stage: a }));
        events.push((500, Event::Reminded { stage: b }));
    } else {
        // A joint consultation needs every office's part first.
        if first.has_flag("joint_consultation") {
            for office in first.office.iter().chain(first.co_offices.iter()) {
                events.push((
                    350,
                    Event::Consulted {
                        office: office.clone(),
                        opinion: "同意".to_owned(),
                    },
                ));
            }
        }
        events.push((
            400,
            Event::Resolved {
                level: resolved_at,
                how: "办结".to_owned(),
            },
        ));
        events.push((
            500,
            Event::Evaluated {
                satisfaction: 5,
                comment: None,
            },
        ));
    }
    events
        .into_iter()
        .enumerate()
        .map(|(k, (minutes, event))| EventRecord {
            event_id: None,
            case: id.clone(),
            at: at(minutes),
            actor: if k == 0 {
                system.clone()
            } else {
                handler.clone()
            },
            event,
        })
        .collect()
}

/// Resident memory of this process in bytes (Linux `/proc/self/statm`), for reporting
/// memory per case in benchmarks; 0 where unavailable.
#[must_use]
pub fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

/// `count` case outcomes spread over the micro-grids of an engine's organisation (by
/// households) and over `months` months ending with March 2026, with the mix a month of
/// grid work gives: 88% resolved (most at micro-grid or grid level), 70% of those
/// evaluated, 90% taken in within the hour, 5% repeat reports, a few reopened, returned,
/// escalated, paused or shelved; plus one visit per micro-grid per week.
#[must_use]
pub fn outcome_workload(
    engine: &gridgov::Engine,
    count: usize,
    months: u32,
    seed: u64,
) -> (
    Vec<gridgov::score::OutcomeRow>,
    Vec<gridgov::score::VisitRow>,
) {
    use gridgov::score::{Month, OutcomeRow, VisitRow};
    use gridgov::{CaseId, Timestamp};

    let org = engine.org();
    let zone = engine.calendar().zone();
    let micro: Vec<(&UnitId, u64)> = org
        .units_of_kind(UnitKind::MicroGrid)
        .map(|u| (&u.id, u64::from(u.households.unwrap_or(100)).max(1)))
        .collect();
    let weights = gridgov::sim::cumulative(&micro.iter().map(|(_, w)| *w).collect::<Vec<_>>());
    let categories: Vec<Category> = engine
        .rules()
        .categories()
        .iter()
        .map(|c| Category::new(c.clone()).expect("rule-set categories are valid"))
        .collect();
    let levels = [
        gridgov::org::Level::MicroGrid,
        gridgov::org::Level::Grid,
        gridgov::org::Level::Community,
        gridgov::org::Level::Subdistrict,
        gridgov::org::Level::Department,
    ];
    let last = Month::new(2026, 3).expect("a valid month");
    let first = Month::from_ordinal(last.ordinal() - i64::from(months.max(1)) + 1).unwrap_or(last);
    let mut rng = SplitMix64::new(seed);
    let mut rows: Vec<OutcomeRow> = Vec::with_capacity(count);
    let mut pick = |n: u64| rng.next_u64() % n.max(1);
    for i in 0..count {
        let m = Month::from_ordinal(
            first.ordinal() + i64::try_from(pick(u64::from(months.max(1)))).unwrap_or(0),
        )
        .unwrap_or(last);
        let start = m.start(zone);
        let days = (m.end(zone).unix() - start.unix()) / 86_400;
        let day = i64::try_from(pick(u64::try_from(days).unwrap_or(28))).unwrap_or(0);
        let minute = 8 * 60 + 30 + i64::try_from(pick(9 * 60)).unwrap_or(0);
        let reported: Timestamp = start.plus_minutes(day * 1440 + minute);
        let r = pick(1000);
        let w = rng_pick(&weights, pick(*weights.last().unwrap_or(&1)));
        let location = micro
            .get(w)
            .map_or_else(|| micro[0].0.clone(), |(id, _)| (*id).clone());
        let category =
            categories[usize::try_from(pick(categories.len() as u64)).unwrap_or(0)].clone();
        let repeat = r < 50 && i > 0;
        let resolved = !repeat && r % 100 < 88;
        let level = levels[match pick(100) {
            0..=39 => 0,
            40..=79 => 1,
            80..=93 => 2,
            94..=96 => 3,
            _ => 4,
        }];
        let limit_days = 2 + i64::try_from(pick(4)).unwrap_or(0);
        let due = reported.plus_minutes(limit_days * 1440);
        let took = if r % 10 == 0 {
            limit_days * 1440 + 600
        } else {
            i64::try_from(pick(u64::try_from(limit_days * 1440).unwrap_or(1))).unwrap_or(0)
        };
        rows.push(OutcomeRow {
            id: CaseId::new(format!("o{i:07}")).expect("a valid id"),
            location,
            category,
            channel: gridgov::case::DEFAULT_CHANNELS
                .get(usize::try_from(pick(6)).unwrap_or(0))
                .and_then(|(id, _, _)| gridgov::case::Channel::new(id).ok()),
            reported_at: reported,
            accepted_at: (!repeat)
                .then(|| reported.plus_minutes(if r % 10 == 1 { 200 } else { 10 })),
            resolved_at: resolved.then(|| reported.plus_minutes(took)),
            resolved_level: resolved.then_some(level),
            satisfaction: (resolved && pick(10) < 7)
                .then(|| u8::try_from(1 + pick(5).max(pick(5))).unwrap_or(5)),
            time_limit: None,
            due: (!repeat).then_some(due),
            paused: !repeat && !resolved && r % 7 == 0,
            returned: u32::from(!repeat && r % 61 == 0),
            reopened: u32::from(resolved && r % 37 == 0),
            escalated: u32::from(!repeat && level as u8 >= 2),
            shelved: !repeat && !resolved && r % 7 == 1,
            repeat_of: repeat.then(|| CaseId::new("o0000000").expect("a valid id")),
            office: None,
            petition: false,
            petition_accepted_at: None,
            supervisions: 0,
            supervisions_on_time: 0,
            verifications: 0,
            verifications_passed: 0,
            called_back_at: None,
        });
    }
    let mut visits = Vec::new();
    for (k, (id, households)) in micro.iter().enumerate() {
        for week in 0..(months.max(1) * 4) {
            let at = first
                .start(zone)
                .plus_minutes(i64::from(week) * 7 * 1440 + 600 + (k as i64 % 300));
            visits.push(VisitRow {
                unit: (*id).clone(),
                at,
                households: u32::try_from(*households / 8).unwrap_or(0),
            });
        }
    }
    (rows, visits)
}

/// The bucket of a cumulative weight table a draw falls in.
fn rng_pick(cumulative: &[u64], draw: u64) -> usize {
    cumulative
        .partition_point(|c| *c <= draw)
        .min(cumulative.len().saturating_sub(1))
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`); 0 where unavailable.
#[must_use]
pub fn peak_resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// What a soak run pushed through the ledger and what it found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SoakReport {
    /// Cases reported.
    pub cases: usize,
    /// Events offered, valid and hostile.
    pub events: usize,
    /// Events the ledger accepted.
    pub accepted: usize,
    /// Events it refused (each checked to have left the ledger unchanged).
    pub refused: usize,
    /// Cases per status at the end (every case in exactly one).
    pub by_status: std::collections::BTreeMap<&'static str, usize>,
}

/// A soak: the valid life of every case ([`ledger_workload`]) with hostile events mixed
/// in (`hostile_per_mille` of them, seeded): events for unknown cases, events dated before
/// the report, re-sent events, transitions the case's state does not allow, evaluations
/// out of range. Checks conservation as it goes and at the end: every refused event left
/// the ledger (its length and the case's state) unchanged; every case is in exactly one
/// state and every accepted report made one; the ledger's chain head is the chain of the
/// accepted events (so it holds exactly them, in order); replaying its events gives the
/// same state, case by case. The workload is streamed ([`ledger_events`]), each report
/// sharing its case with the list given (as a reporting system hands a ledger its
/// reports), and the accepted events are not kept, so the peak memory is the ledger's.
///
/// # Errors
/// A description of the first broken invariant.
pub fn soak(
    engine: &gridgov::Engine,
    cases: Vec<gridgov::Case>,
    seed: u64,
    hostile_per_mille: u64,
) -> Result<SoakReport, String> {
    use gridgov::case::event::{Event, EventRecord};
    use gridgov::case::ledger::{GENESIS, Ledger, LedgerState, chain_record};

    let cases: Vec<std::sync::Arc<gridgov::Case>> =
        cases.into_iter().map(std::sync::Arc::new).collect();
    let mut rng = SplitMix64::new(seed);
    let mut ledger = Ledger::new();
    // The accepted events are not kept: their chain is, and it must be the ledger's.
    let mut accepted_chain = GENESIS;
    let mut reports = 0usize;
    let mut report = SoakReport::default();
    let mut offer = |ledger: &mut Ledger, record: EventRecord, report: &mut SoakReport| {
        report.events += 1;
        let len = ledger.len();
        // The record is handed over, as a reporting system hands it: the ledger may then
        // share its ids' texts with those it holds. What a refusal is checked against is
        // kept aside.
        let (case, kind, at) = (record.case.clone(), record.event.kind(), record.at);
        let before = case.as_ref().and_then(|c| ledger.case(c.as_str()).cloned());
        let link = chain_record(&accepted_chain, &record);
        let reported = matches!(record.event, Event::Reported { .. });
        match ledger.append(record) {
            Ok(_) => {
                accepted_chain = link;
                reports += usize::from(reported);
                report.accepted += 1;
                Ok(())
            }
            Err(_) => {
                report.refused += 1;
                let after = case.as_ref().and_then(|c| ledger.case(c.as_str()).cloned());
                if ledger.len() != len || after != before {
                    return Err(format!(
                        "a refused `{kind}` event of case {case:?} at {at} changed the ledger"
                    ));
                }
                Ok(())
            }
        }
    };
    for (n, record) in ledger_events(engine, &cases).enumerate() {
        if rng.chance(hostile_per_mille) {
            let mut bad = record.clone();
            match rng.below(5) {
                0 if !matches!(bad.event, Event::Reported { .. }) => {
                    bad.case = gridgov::CaseId::new(format!("ghost-{n}")).ok();
                }
                1 => bad.at = bad.at.plus_minutes(-400 * 24 * 60),
                2 => bad.event = Event::Resumed {},
                3 => {
                    bad.event = Event::Evaluated {
                        satisfaction: if rng.chance(500) { 0 } else { 9 },
                        comment: None,
                    };
                }
                // A re-sent event (a second report of the same case, a second taking-in…).
                _ => {}
            }
            offer(&mut ledger, bad, &mut report)?;
        }
        offer(&mut ledger, record, &mut report)?;
    }
    // The cases are in the ledger now (those reported); the list given is done with.
    drop(cases);
    // Every case in exactly one state; every accepted report made exactly one case.
    let state = ledger.state();
    {
        let mut ids = std::collections::HashSet::with_capacity(state.cases().len());
        for c in state.cases() {
            if !ids.insert(c.case.id.as_str()) {
                return Err(format!("case `{}` appears twice in the state", c.case.id));
            }
            *report.by_status.entry(c.status.as_str()).or_default() += 1;
        }
    }
    report.cases = state.cases().len();
    if reports != report.cases || report.by_status.values().sum::<usize>() != report.cases {
        return Err(format!(
            "{reports} reports accepted but {} cases in the state",
            report.cases
        ));
    }
    // The ledger holds exactly the accepted events, in order: its chain is theirs.
    if ledger.head() != accepted_chain || ledger.len() != report.accepted {
        return Err(format!(
            "the ledger's {} events and head are not the {} accepted events' chain",
            ledger.len(),
            report.accepted
        ));
    }
    // The final state is the replay of those events.
    let mut replay = LedgerState::new();
    for (i, r) in ledger.events().enumerate() {
        replay
            .apply(&r)
            .map_err(|e| format!("accepted event {i} is refused on replay: {e}"))?;
    }
    let (a, b) = (ledger.state().cases(), replay.cases());
    if a.len() != b.len() || a.iter().zip(b).any(|(x, y)| x != y) {
        return Err("the replay of the accepted events gives another state".to_owned());
    }
    if replay.events() != ledger.len() as u64 {
        return Err("the replay has another number of events".to_owned());
    }
    Ok(report)
}

/// `batch` with each column that `replace` gives a new one for (by its field and
/// array) replaced, as nullable.
///
/// # Panics
/// When Arrow refuses the new columns: set-up data of a benchmark.
#[must_use]
#[allow(clippy::expect_used, reason = "benchmark set-up data")]
pub fn with_columns(
    batch: &arrow_array::RecordBatch,
    replace: impl Fn(&arrow_schema::Field, &arrow_array::ArrayRef) -> Option<arrow_array::ArrayRef>,
) -> arrow_array::RecordBatch {
    use std::sync::Arc;
    let schema = batch.schema();
    let mut fields = Vec::new();
    let mut cols: Vec<arrow_array::ArrayRef> = Vec::new();
    for (f, c) in schema.fields().iter().zip(batch.columns()) {
        match replace(f, c) {
            Some(new) => {
                let data_type = arrow_array::Array::data_type(&new).clone();
                fields.push(arrow_schema::Field::new(f.name(), data_type, true));
                cols.push(new);
            }
            None => {
                fields.push(f.as_ref().clone());
                cols.push(Arc::clone(c));
            }
        }
    }
    arrow_array::RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), cols)
        .expect("the same rows")
}

/// `batch` with its text columns `names` dictionary-encoded (Int32 keys): the cases table
/// as pandas categoricals or polars `Categorical` columns hand it over.
///
/// # Panics
/// When a named column is not text: set-up data of a benchmark.
#[must_use]
pub fn dictionary_encoded(
    batch: &arrow_array::RecordBatch,
    names: &[&str],
) -> arrow_array::RecordBatch {
    use arrow_array::cast::AsArray;
    with_columns(batch, |f, c| {
        names.contains(&f.name().as_str()).then(|| {
            let dict: arrow_array::DictionaryArray<arrow_array::types::Int32Type> =
                c.as_string::<i32>().iter().collect();
            std::sync::Arc::new(dict) as arrow_array::ArrayRef
        })
    })
}

/// `batch` (a cases table of `cases`, in order) with `reported_at` a typed timestamp
/// column (seconds, in the calendar's `+08:00`), as a dataframe's datetime column arrives.
#[must_use]
pub fn typed_reported_at(
    batch: &arrow_array::RecordBatch,
    cases: &[gridgov::Case],
) -> arrow_array::RecordBatch {
    let at: arrow_array::ArrayRef = std::sync::Arc::new(
        cases
            .iter()
            .map(|c| Some(c.reported_at.unix()))
            .collect::<arrow_array::TimestampSecondArray>()
            .with_timezone("+08:00"),
    );
    with_columns(batch, |f, _| {
        (f.name() == "reported_at").then(|| std::sync::Arc::clone(&at))
    })
}

/// The outcome rows as one Arrow batch: text ids and names (location and category
/// dictionary-encoded when `dictionary`), timestamps in the calendar's zone, counts.
///
/// # Panics
/// When Arrow refuses the columns: set-up data of a benchmark.
#[must_use]
#[allow(clippy::expect_used, reason = "benchmark set-up data")]
pub fn outcome_batch(
    rows: &[gridgov::score::OutcomeRow],
    zone: gridgov::time::Zone,
    dictionary: bool,
) -> arrow_array::RecordBatch {
    use std::sync::Arc;

    use arrow_array::types::Int32Type;
    use arrow_array::{
        ArrayRef, BooleanArray, DictionaryArray, Int8Array, RecordBatch, StringArray,
        TimestampSecondArray, UInt32Array,
    };
    let text = |f: &dyn Fn(&gridgov::score::OutcomeRow) -> Option<String>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let names = |f: &dyn Fn(&gridgov::score::OutcomeRow) -> Option<String>| -> ArrayRef {
        if dictionary {
            let values: Vec<Option<String>> = rows.iter().map(f).collect();
            Arc::new(
                values
                    .iter()
                    .map(Option::as_deref)
                    .collect::<DictionaryArray<Int32Type>>(),
            )
        } else {
            text(f)
        }
    };
    let time = |f: &dyn Fn(&gridgov::score::OutcomeRow) -> Option<gridgov::Timestamp>| -> ArrayRef {
        Arc::new(
            rows.iter()
                .map(|r| f(r).map(|t| t.unix()))
                .collect::<TimestampSecondArray>()
                .with_timezone(zone.to_string()),
        )
    };
    let count = |f: &dyn Fn(&gridgov::score::OutcomeRow) -> u32| -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<UInt32Array>())
    };
    let flag = |f: &dyn Fn(&gridgov::score::OutcomeRow) -> bool| -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<BooleanArray>())
    };
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", text(&|r| Some(r.id.to_string()))),
        ("location", names(&|r| Some(r.location.to_string()))),
        ("category", names(&|r| Some(r.category.to_string()))),
        (
            "channel",
            text(&|r| r.channel.as_ref().map(ToString::to_string)),
        ),
        ("reported_at", time(&|r| Some(r.reported_at))),
        ("accepted_at", time(&|r| r.accepted_at)),
        ("resolved_at", time(&|r| r.resolved_at)),
        (
            "resolved_level",
            text(&|r| r.resolved_level.map(|l| l.to_string())),
        ),
        (
            "satisfaction",
            Arc::new(
                rows.iter()
                    .map(|r| r.satisfaction.and_then(|s| i8::try_from(s).ok()))
                    .collect::<Int8Array>(),
            ),
        ),
        ("time_limit", text(&|r| r.time_limit.map(|l| l.to_string()))),
        ("due", time(&|r| r.due)),
        ("paused", flag(&|r| r.paused)),
        ("returned", count(&|r| r.returned)),
        ("reopened", count(&|r| r.reopened)),
        ("escalated", count(&|r| r.escalated)),
        ("shelved", flag(&|r| r.shelved)),
        (
            "repeat_of",
            text(&|r| r.repeat_of.as_ref().map(ToString::to_string)),
        ),
        (
            "office",
            text(&|r| r.office.as_ref().map(ToString::to_string)),
        ),
    ];
    RecordBatch::try_from_iter(columns).expect("columns of equal length")
}

#[cfg(test)]
mod tests {
    /// The streamed workload is the whole workload sorted by time, ties kept in the
    /// order of the cases and of their events (a stable sort), as it was built before
    /// it was streamed: the same events, the same order.
    #[test]
    #[allow(clippy::expect_used, reason = "a test")]
    fn the_streamed_workload_is_the_stable_sort_by_time() {
        let engine = gridgov::Engine::fushan();
        let cases: Vec<_> = gridgov::sim::month_cases(&engine, 2026, 3, 3_000, 20_261_129)
            .into_iter()
            .map(std::sync::Arc::new)
            .collect();
        let system = super::PersonId::new("system").expect("a valid id");
        let mut all: Vec<(i64, usize, gridgov::case::event::EventRecord)> = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            for (k, r) in super::case_life(&engine, &system, i, case)
                .into_iter()
                .enumerate()
            {
                all.push((r.at.unix(), i * 10 + k, r));
            }
        }
        all.sort_by_key(|(t, order, _)| (*t, *order));
        let streamed: Vec<_> = super::ledger_events(&engine, &cases).collect();
        assert!(streamed.len() >= 30_000, "{}", streamed.len());
        assert_eq!(streamed.len(), all.len());
        for (n, (a, (_, _, b))) in streamed.iter().zip(&all).enumerate() {
            assert_eq!(
                gridgov::case::ledger::canonical_bytes(a),
                gridgov::case::ledger::canonical_bytes(b),
                "event {n}"
            );
        }
    }
}
