//! A simulated month of work through the ledger: intake, routing, outcomes, the engine's
//! sweeps, evaluations and household visits, in time order from one seed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use super::cases::month_cases;
use crate::calendar::Clock;
use crate::case::event::{Event, EventRecord};
use crate::case::ledger::{CaseState, Ledger, Status};
use crate::engine::Engine;
use crate::id::{CaseId, Category, PersonId};
use crate::org::{Level, UnitKey, UnitKind, UnitSpec};
use crate::rng::SplitMix64;
use crate::time::{Date, Timestamp};

/// A simulated month: the ledger it produced and the moment it stopped.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// Every event, checked by the ledger.
    pub ledger: Ledger,
    /// The first moment after the month (its cases may be settled later; the simulation
    /// runs until they are, or for 60 more days).
    pub month_end: Timestamp,
    /// Events the ledger refused (a bug in the simulator if not zero).
    pub refused: usize,
}

/// What the simulator does next.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    /// A case comes in (index into the month's cases).
    Report(usize),
    /// It is taken in and routed.
    Accept(usize),
    /// The engine's sweep: escalations, reminders, reopenings, reroutes.
    Sweep,
    /// Outcome steps for the case at a position in the ledger, planned for the decision
    /// made at `assigned_at` (stale when the case has moved on).
    Resolve {
        case: CaseId,
        assigned_at: i64,
    },
    MediationFails {
        case: CaseId,
        assigned_at: i64,
    },
    Return {
        case: CaseId,
        assigned_at: i64,
    },
    Pause {
        case: CaseId,
        assigned_at: i64,
    },
    Resume {
        case: CaseId,
    },
    Evaluate {
        case: CaseId,
    },
    /// The closed loop (闭环): a petition's acceptance, a verification of the resolution,
    /// a call-back to the reporter, an answer to a supervision order.
    PetitionAccept {
        case: CaseId,
    },
    Verify {
        case: CaseId,
    },
    CallBack {
        case: CaseId,
    },
    AnswerSupervision {
        case: CaseId,
    },
    /// Grid workers' visits on a day (day number).
    Visits(i32),
    /// A follow-up visit on a register entry.
    FollowUp {
        entry: crate::id::WorkId,
        step: crate::case::work::RegisterStep,
        actor: PersonId,
    },
    /// A grid's monthly meeting (index into the grids).
    Meeting(usize),
}

/// Simulates a month of a subdistrict's work through the ledger, deterministically from a
/// seed: `count` cases come in ([`month_cases`]); each is taken in (mostly within the
/// hour), routed, and handled: most are resolved in time at the level they were routed
/// to; some need a higher level and run over (the engine's sweeps, twice each working
/// day, escalate them), some fail mediation, some are sent back as misrouted, some paused;
/// repeat reports merge; residents evaluate most resolved cases and the dissatisfied ones
/// are reopened; grid workers visit households each working day (a few grids never do).
/// The closed loop runs on its own random stream (so the rest of the month is the same
/// with or without it): petitions are accepted, mostly within the limit; resolutions at
/// community level or above, and one in five below, are verified by the community's lead
/// (one in twenty fails and goes back); nine reporters in ten are called back; a third of the cases reminded at 80% get a supervision order, mostly answered.
/// The grid's own work runs on a third stream: visits record what they found and register
/// the disputes they screen, which are followed up until resolved or sent up; nine grids
/// in ten hold their monthly meeting; one case in eight that a team of its grid can take
/// is given to it.
#[must_use]
pub fn simulate_month(
    engine: &Engine,
    year: i32,
    month: u32,
    count: usize,
    seed: u64,
) -> Simulation {
    let mut cases = month_cases(engine, year, month, count, seed);
    cases.sort_by_key(|c| c.reported_at);
    let mut rng = SplitMix64::new(seed.rotate_left(17) ^ 0x5151);
    let mut lp = SplitMix64::new(seed.rotate_left(29) ^ 0x100B);
    let mut wk = SplitMix64::new(seed.rotate_left(41) ^ 0x6E7D);
    let mut visits_seen = 0usize;
    let zone = engine.calendar().zone();
    let first = Date::new(year, month, 1).map_or(0, Date::days);
    let next_month = if month == 12 {
        Date::new(year + 1, 1, 1)
    } else {
        Date::new(year, month + 1, 1)
    };
    let last = next_month.map_or(first + 30, Date::days);
    let month_end = zone.at_local_minute(i64::from(last) * 1440);
    let horizon = month_end.plus_minutes(60 * 1440);
    let system = PersonId::new(crate::case::event::SYSTEM).unwrap_or_else(|_| fallback_actor());
    let mut ledger = Ledger::new();
    let mut refused = 0usize;
    let mut queue: BinaryHeap<Reverse<(i64, u64, Step)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |queue: &mut BinaryHeap<Reverse<(i64, u64, Step)>>, t: Timestamp, step: Step| {
        seq += 1;
        queue.push(Reverse((t.unix(), seq, step)));
    };
    for (i, c) in cases.iter().enumerate() {
        push(&mut queue, c.reported_at, Step::Report(i));
    }
    // Sweeps at 09:00 and 17:45 each day, visits each day, over the month and after.
    for day in first..last + 60 {
        let date = Date::from_days(day);
        for minute in [540, 1065] {
            push(
                &mut queue,
                zone.at_local_minute(i64::from(day) * 1440 + minute),
                Step::Sweep,
            );
        }
        if day < last && engine.calendar().is_working_day(date) {
            push(
                &mut queue,
                zone.at_local_minute(i64::from(day) * 1440 + 600),
                Step::Visits(day),
            );
        }
    }
    // A few grids never report a visit: the inactive ones the monthly score must find.
    let grids: Vec<&UnitSpec> = engine.org().units_of_kind(UnitKind::Grid).collect();
    let silent: Vec<bool> = grids.iter().map(|_| rng.chance(25)).collect();
    // Nine grids in ten meet once in the month, in its second half, at 15:00.
    for g in 0..grids.len() {
        if wk.chance(900) {
            let day = (first + 12 + i32::try_from(wk.below(14)).unwrap_or(0)).min(last - 1);
            push(
                &mut queue,
                zone.at_local_minute(i64::from(day) * 1440 + 900),
                Step::Meeting(g),
            );
        }
    }

    while let Some(Reverse((t, _, step))) = queue.pop() {
        let now = zone.timestamp(t);
        if now > horizon {
            break;
        }
        let mut append = |ledger: &mut Ledger, events: Vec<EventRecord>| {
            if let Err(e) = ledger.append_all(events) {
                if std::env::var_os("GRIDGOV_SIM_DEBUG").is_some() {
                    println!("refused: {e}");
                }
                refused += 1;
            }
        };
        match step {
            Step::Report(i) => {
                let Some(case) = cases.get(i) else { continue };
                if engine.repeat_of(&ledger, case).is_some() {
                    if let Ok(events) = engine.intake(&ledger, case.clone(), &system) {
                        let touched: Vec<CaseId> =
                            events.iter().filter_map(|e| e.case.clone()).collect();
                        append(&mut ledger, events);
                        for id in touched {
                            plan(engine, &ledger, &id, &mut rng, &mut |t, s| {
                                push(&mut queue, t, s)
                            });
                        }
                    }
                    continue;
                }
                append(
                    &mut ledger,
                    one(
                        case.id.clone(),
                        case.reported_at,
                        system.clone(),
                        Event::Reported {
                            case: Arc::new(case.clone()),
                        },
                    ),
                );
                // Taken in within the hour, mostly; one in twelve waits longer.
                let delay = if rng.chance(920) {
                    5 + rng.below(50)
                } else {
                    70 + rng.below(600)
                };
                let at = engine
                    .calendar()
                    .advance(Clock::Working, case.reported_at, delay)
                    .unwrap_or(case.reported_at);
                push(&mut queue, at, Step::Accept(i));
            }
            Step::Accept(i) => {
                let Some(case) = cases.get(i) else { continue };
                let Ok(d) = engine.route(case) else { continue };
                let assignment = engine.assignment(&d);
                let handler = assignment.handler.clone().unwrap_or_else(|| system.clone());
                append(
                    &mut ledger,
                    vec![
                        EventRecord {
                            event_id: None,
                            case: Some(case.id.clone()),
                            at: now,
                            actor: handler.clone(),
                            event: Event::Accepted {},
                        },
                        EventRecord {
                            event_id: None,
                            case: Some(case.id.clone()),
                            at: now,
                            actor: system.clone(),
                            event: Event::Assigned {
                                assignment: Arc::new(assignment),
                            },
                        },
                    ],
                );
                if let Some(team) = super::work::team_for(
                    engine,
                    &mut wk,
                    case.category.as_str(),
                    case.location.as_str(),
                ) {
                    append(
                        &mut ledger,
                        one(
                            case.id.clone(),
                            now,
                            handler.clone(),
                            Event::TeamAssigned {
                                team,
                                entry: None,
                                note: None,
                            },
                        ),
                    );
                }
                if ledger
                    .case(case.id.as_str())
                    .is_some_and(|s| s.closed_loop.petition.is_some())
                {
                    // Accepted within a few days, or (one in ten) after the 15-day limit.
                    let days = if lp.chance(900) {
                        lp.below(4)
                    } else {
                        16 + lp.below(5)
                    };
                    push(
                        &mut queue,
                        now.plus_minutes(30 + i64::try_from(days * 1440).unwrap_or(0)),
                        Step::PetitionAccept {
                            case: case.id.clone(),
                        },
                    );
                }
                plan(engine, &ledger, &case.id, &mut rng, &mut |t, s| {
                    push(&mut queue, t, s)
                });
            }
            Step::Sweep => {
                let actions = engine.actions(&ledger, now);
                let touched: Vec<CaseId> = actions
                    .escalations
                    .iter()
                    .map(|e| e.case.clone())
                    .chain(actions.reopenings.iter().map(|r| r.case.clone()))
                    .chain(actions.reroutes.iter().map(|r| r.case.clone()))
                    .collect();
                for e in actions.events(now, &system) {
                    append(&mut ledger, vec![e]);
                }
                for r in actions.reminders.iter().filter(|r| r.stage >= 80) {
                    if !lp.chance(333) {
                        continue;
                    }
                    let Some(state) = ledger.case(r.case.as_str()) else {
                        continue;
                    };
                    let level = state.level().unwrap_or(Level::MicroGrid);
                    let by = if level <= Level::Grid {
                        engine
                            .org()
                            .duty_holder(state.location.as_str(), Level::Community)
                            .ok()
                            .flatten()
                            .map(|p| p.id.clone())
                    } else {
                        PersonId::new("fs-duty").ok()
                    };
                    let Some(by) = by else { continue };
                    append(
                        &mut ledger,
                        one(
                            r.case.clone(),
                            now,
                            by,
                            Event::Supervised {
                                order: "请加快办理并按时反馈 speed it up and report back"
                                    .to_owned(),
                                within: None,
                            },
                        ),
                    );
                    if lp.chance(800) {
                        push(
                            &mut queue,
                            now.plus_minutes(60 + i64::try_from(lp.below(600)).unwrap_or(0)),
                            Step::AnswerSupervision {
                                case: r.case.clone(),
                            },
                        );
                    }
                }
                for id in touched {
                    plan(engine, &ledger, &id, &mut rng, &mut |t, s| {
                        push(&mut queue, t, s)
                    });
                }
            }
            Step::Resolve { case, assigned_at } => {
                let Some(state) = current(&ledger, &case, assigned_at) else {
                    continue;
                };
                let Some(a) = state.assignment.clone() else {
                    continue;
                };
                let actor = a.handler.clone().unwrap_or_else(|| system.clone());
                let mut events = Vec::new();
                for office in state.consultation_missing() {
                    events.push(EventRecord {
                        event_id: None,
                        case: Some(case.clone()),
                        at: now,
                        actor: actor.clone(),
                        event: Event::Consulted {
                            office,
                            opinion: "同意处理意见 agreed".to_owned(),
                        },
                    });
                }
                events.push(EventRecord {
                    event_id: None,
                    case: Some(case.clone()),
                    at: now,
                    actor,
                    event: Event::Resolved {
                        level: a.level,
                        how: "依规处理，当面反馈 handled and explained in person".to_owned(),
                    },
                });
                append(&mut ledger, events);
                if a.level >= Level::Community || lp.chance(200) {
                    push(
                        &mut queue,
                        now.plus_minutes(20 + i64::try_from(lp.below(30)).unwrap_or(0)),
                        Step::Verify { case: case.clone() },
                    );
                }
                // Nine reporters in ten are called back, within four days.
                if lp.chance(900) {
                    push(
                        &mut queue,
                        now.plus_minutes(90 + i64::try_from(lp.below(4 * 1440)).unwrap_or(0)),
                        Step::CallBack { case: case.clone() },
                    );
                }
                // Eight residents in ten evaluate, within three days.
                if rng.chance(800) {
                    push(
                        &mut queue,
                        now.plus_minutes(60 + i64::try_from(rng.below(3 * 1440)).unwrap_or(0)),
                        Step::Evaluate { case },
                    );
                }
            }
            Step::MediationFails { case, assigned_at } => {
                if current(&ledger, &case, assigned_at).is_none() {
                    continue;
                }
                append(
                    &mut ledger,
                    one(
                        case,
                        now,
                        system.clone(),
                        Event::MediationFailed {
                            note: "双方未达成一致 no agreement".to_owned(),
                        },
                    ),
                );
            }
            Step::Return { case, assigned_at } => {
                let Some(state) = current(&ledger, &case, assigned_at) else {
                    continue;
                };
                let categories = engine.rules().categories();
                let corrected = categories
                    .get(rng.below(categories.len() as u64) as usize)
                    .filter(|c| **c != state.category.as_str())
                    .and_then(|c| Category::new(c.as_str()).ok());
                let needs_attr = corrected.as_ref().is_some_and(|c| {
                    engine
                        .rules()
                        .spec()
                        .attributes
                        .iter()
                        .any(|a| a.required && a.categories.iter().any(|x| x == c))
                });
                if corrected.is_none() || needs_attr {
                    continue;
                }
                let owner = state.owner.clone();
                append(
                    &mut ledger,
                    one(
                        case,
                        now,
                        owner,
                        Event::Returned {
                            reason: "分类有误，退回重派 misclassified".to_owned(),
                            category: corrected,
                            location: None,
                        },
                    ),
                );
            }
            Step::Pause { case, assigned_at } => {
                if current(&ledger, &case, assigned_at).is_none() {
                    continue;
                }
                append(
                    &mut ledger,
                    one(
                        case.clone(),
                        now,
                        system.clone(),
                        Event::Paused {
                            reason: "等待当事人 waiting for a party".to_owned(),
                        },
                    ),
                );
                let back = engine
                    .calendar()
                    .advance(Clock::Working, now, 420 + rng.below(420))
                    .unwrap_or(now);
                push(&mut queue, back, Step::Resume { case });
            }
            Step::Resume { case } => {
                if ledger
                    .case(case.as_str())
                    .is_some_and(|s| s.status == Status::Paused)
                {
                    append(
                        &mut ledger,
                        one(case.clone(), now, system.clone(), Event::Resumed {}),
                    );
                    plan(engine, &ledger, &case, &mut rng, &mut |t, s| {
                        push(&mut queue, t, s)
                    });
                }
            }
            Step::Evaluate { case } => {
                if ledger
                    .case(case.as_str())
                    .is_some_and(|s| s.status == Status::Resolved)
                {
                    let satisfaction = match rng.below(100) {
                        0..=64 => 5,
                        65..=89 => 4,
                        90..=96 => 3,
                        97..=98 => 2,
                        _ => 1,
                    };
                    append(
                        &mut ledger,
                        one(
                            case,
                            now,
                            PersonId::new("resident").unwrap_or_else(|_| system.clone()),
                            Event::Evaluated {
                                satisfaction,
                                comment: None,
                            },
                        ),
                    );
                }
            }
            Step::PetitionAccept { case } => {
                let waiting = ledger.case(case.as_str()).and_then(|s| {
                    let step = s.closed_loop.petition.as_ref()?.step;
                    (matches!(s.status, Status::Assigned | Status::Paused)
                        && step == crate::case::ledger::PetitionStep::Acceptance)
                        .then(|| s.owner.clone())
                });
                if let Some(owner) = waiting {
                    append(
                        &mut ledger,
                        one(
                            case,
                            now,
                            owner,
                            Event::PetitionAccepted {
                                note: Some("已书面告知受理 told in writing".to_owned()),
                            },
                        ),
                    );
                }
            }
            Step::Verify { case } => {
                let Some(state) = ledger.case(case.as_str()) else {
                    continue;
                };
                if state.status != Status::Resolved {
                    continue;
                }
                let verifier = engine
                    .org()
                    .duty_holder(state.location.as_str(), Level::Community)
                    .ok()
                    .flatten()
                    .map(|p| p.id.clone())
                    .filter(|v| Some(v) != state.resolved_by.as_ref());
                let Some(verifier) = verifier else { continue };
                let passed = lp.chance(950);
                append(
                    &mut ledger,
                    one(
                        case.clone(),
                        now,
                        verifier,
                        Event::Verified {
                            passed,
                            note: if passed {
                                "现场核查属实 checked on site".to_owned()
                            } else {
                                "问题仍在，退回重办 still there, sent back".to_owned()
                            },
                        },
                    ),
                );
                if !passed {
                    plan(engine, &ledger, &case, &mut lp, &mut |t, s| {
                        push(&mut queue, t, s)
                    });
                }
            }
            Step::CallBack { case } => {
                let Some(state) = ledger.case(case.as_str()) else {
                    continue;
                };
                if !matches!(state.status, Status::Resolved | Status::Closed)
                    || state.closed_loop.called_back_at.is_some()
                {
                    continue;
                }
                let caller = state.resolved_by.clone().unwrap_or_else(|| system.clone());
                let satisfaction = if lp.chance(900) { 5 } else { 3 };
                append(
                    &mut ledger,
                    one(
                        case,
                        now,
                        caller,
                        Event::CalledBack {
                            satisfaction,
                            comment: Some("电话回访 called back".to_owned()),
                        },
                    ),
                );
            }
            Step::AnswerSupervision { case } => {
                let Some(state) = ledger.case(case.as_str()) else {
                    continue;
                };
                if !matches!(
                    state.status,
                    Status::Assigned | Status::Paused | Status::Resolved
                ) || state.closed_loop.open_supervisions().next().is_none()
                {
                    continue;
                }
                let owner = state.owner.clone();
                append(
                    &mut ledger,
                    one(
                        case,
                        now,
                        owner,
                        Event::SupervisionAnswered {
                            answer: "已按要求推进并反馈 done as ordered".to_owned(),
                        },
                    ),
                );
            }
            Step::FollowUp { entry, step, actor } => append(
                &mut ledger,
                work_record(
                    now,
                    actor,
                    Event::FollowedUp {
                        entry,
                        step,
                        note: None,
                        case: None,
                    },
                ),
            ),
            Step::Meeting(g) => {
                let Some(grid) = grids.get(g) else { continue };
                let open: Vec<crate::id::WorkId> = ledger
                    .state()
                    .register()
                    .iter()
                    .filter(|e| !e.step.is_final())
                    .filter(|e| {
                        engine
                            .org()
                            .contains(grid.id.as_str(), e.entry.unit.as_str())
                            .unwrap_or(false)
                    })
                    .map(|e| e.entry.id.clone())
                    .collect();
                if let Some(event) = super::work::meeting(engine, &mut wk, grid, &open, g) {
                    let actor = super::work::grid_worker(engine, grid, &system);
                    append(&mut ledger, work_record(now, actor, event));
                }
            }
            Step::Visits(day) => {
                for (g, grid) in grids.iter().enumerate() {
                    if silent.get(g).copied().unwrap_or(false) || !rng.chance(700) {
                        continue;
                    }
                    let Some(key) = engine.org().key(grid.id.as_str()) else {
                        continue;
                    };
                    let micro: Vec<UnitKey> = engine
                        .org()
                        .keys_within(key, &[UnitKind::MicroGrid])
                        .collect();
                    let Some(&m) = micro.get(rng.below(micro.len().max(1) as u64) as usize) else {
                        continue;
                    };
                    let Some(unit) = engine.org().unit_by_key(m) else {
                        continue;
                    };
                    let actor = engine
                        .org()
                        .duty_holder(grid.id.as_str(), Level::Grid)
                        .ok()
                        .flatten()
                        .map_or_else(|| system.clone(), |p| p.id.clone());
                    let at = zone.at_local_minute(
                        i64::from(day) * 1440 + 600 + i64::try_from(rng.below(360)).unwrap_or(0),
                    );
                    let households = 3 + u32::try_from(rng.below(10)).unwrap_or(0);
                    visits_seen += 1;
                    let screening =
                        super::work::screening(engine, &mut wk, &unit.id, households, visits_seen);
                    if let Some(entry) = &screening.entry {
                        for (days, step) in super::work::follow_ups(&mut wk) {
                            push(
                                &mut queue,
                                super::work::later(at, days),
                                Step::FollowUp {
                                    entry: entry.clone(),
                                    step,
                                    actor: actor.clone(),
                                },
                            );
                        }
                    }
                    append(&mut ledger, work_record(at, actor, screening.event));
                }
            }
        }
    }
    Simulation {
        ledger,
        month_end,
        refused,
    }
}

#[expect(
    clippy::expect_used,
    reason = "`system` and `sim` are valid ids; this is never reached"
)]
fn fallback_actor() -> PersonId {
    PersonId::new("sim").expect("a valid id")
}

/// One record of the grid's own work (about no case), to append.
fn work_record(at: Timestamp, actor: PersonId, event: Event) -> Vec<EventRecord> {
    vec![EventRecord {
        event_id: None,
        case: None,
        at,
        actor,
        event,
    }]
}

/// One event about a case, to append.
fn one(case: CaseId, at: Timestamp, actor: PersonId, event: Event) -> Vec<EventRecord> {
    vec![EventRecord {
        event_id: None,
        case: Some(case),
        at,
        actor,
        event,
    }]
}

/// The case's state, if it is still running on the decision made at `assigned_at`.
fn current<'l>(ledger: &'l Ledger, case: &CaseId, assigned_at: i64) -> Option<&'l CaseState> {
    ledger.case(case.as_str()).filter(|s| {
        s.status == Status::Assigned && s.assigned_at.map(Timestamp::unix) == Some(assigned_at)
    })
}

/// Plans what happens to a case on its current decision. A case can be settled at the
/// level it was routed to with 90% chance, one level up with 8%, two with 2%; settled
/// where it is, it is resolved within its time limit nine times in ten.
fn plan(
    engine: &Engine,
    ledger: &Ledger,
    case: &CaseId,
    rng: &mut SplitMix64,
    push: &mut dyn FnMut(Timestamp, Step),
) {
    let Some(state) = ledger.case(case.as_str()) else {
        return;
    };
    if state.status != Status::Assigned {
        return;
    }
    let (Some(a), Some(start)) = (state.assignment.as_ref(), state.assigned_at) else {
        return;
    };
    let Some(due) = engine.effective_due(state) else {
        return;
    };
    let clock = a.time_limit.unit().clock();
    let total = engine
        .calendar()
        .clock_minutes(clock, start, due)
        .unwrap_or(420)
        .max(1);
    // Never plan before the case's last event (a merge may come long after its routing).
    let at_fraction = |per_mille: u64| {
        let t = engine
            .calendar()
            .advance(clock, start, total * per_mille / 1000)
            .unwrap_or(due);
        if t < state.last_at { state.last_at } else { t }
    };
    let key = start.unix();
    // How far above the routed level the case must go to be settled (fixed per case).
    let mut h = SplitMix64::new(
        state
            .case
            .id
            .as_str()
            .bytes()
            .fold(0u64, |a, b| a.wrapping_mul(131).wrapping_add(u64::from(b))),
    );
    let needs = match h.below(100) {
        0..=93 => 0,
        94..=98 => 1,
        _ => 2,
    };
    let climbed = u64::try_from(state.escalations.len()).unwrap_or(0);
    if state.returns == 0 && state.escalations.is_empty() && rng.chance(20) {
        push(
            at_fraction(100),
            Step::Return {
                case: case.clone(),
                assigned_at: key,
            },
        );
        return;
    }
    if state.pauses.is_empty() && rng.chance(20) {
        push(
            at_fraction(200),
            Step::Pause {
                case: case.clone(),
                assigned_at: key,
            },
        );
        return;
    }
    if climbed < needs {
        // Not settled here: mediation fails for half the disputes; the rest run over.
        if state.category.as_str().ends_with("dispute") && rng.chance(500) {
            push(
                at_fraction(400),
                Step::MediationFails {
                    case: case.clone(),
                    assigned_at: key,
                },
            );
        }
        return;
    }
    let when = if rng.chance(900) {
        100 + rng.below(850)
    } else {
        1050 + rng.below(500)
    };
    push(
        at_fraction(when),
        Step::Resolve {
            case: case.clone(),
            assigned_at: key,
        },
    );
}
