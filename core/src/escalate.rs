//! What the engine proposes for the cases in a ledger: intake of new reports (routing them,
//! or joining a repeat report to the earlier case), escalation of what is overdue or whose
//! mediation failed, staged reminders before deadlines, reopening after a dissatisfied
//! evaluation, and routing again what was sent back.
//!
//! The engine only proposes: every proposal turns into an [`EventRecord`] that the caller
//! appends to the ledger (which checks it like any other). Time is an input (`now`).
//!
//! Escalation climbs one level at a time to the duty holder of the unit at the next level
//! (at department level, the office that takes the case's category), with the time limit
//! the rule set gives that level; a case that cannot climb further is shelved (挂账) with an
//! explanation. The first handler stays on the case as a follower.

use std::sync::Arc;

use serde::Serialize;
use thin_vec::ThinVec;

use crate::calendar::TimeLimit;
use crate::case::Case;
use crate::case::event::{ActorId, Assignment, EscalationReason, Event, EventRecord, ReopenReason};
use crate::case::ledger::{CaseState, Ledger, Status};
use crate::engine::Engine;
use crate::id::{CaseId, Name};
use crate::org::{Level, UnitKind};
use crate::route::{Decision, RouteError};
use crate::rules::{EscalationSpec, MatchAt, ReopenAt};
use crate::time::Timestamp;

pub use crate::case::event::SYSTEM;

/// What an escalation does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Climb {
    /// Climb to a higher level with a new decision.
    Escalate {
        /// The new decision.
        assignment: Arc<Assignment>,
    },
    /// Nothing higher can take it: shelve it (挂账) with this explanation.
    Shelve {
        /// Why.
        explanation: String,
    },
}

/// A case that climbs (or is shelved), and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Escalation {
    /// The case.
    pub case: CaseId,
    /// Where it is.
    pub from: Level,
    /// Why it climbs.
    pub reason: EscalationReason,
    /// The deadline that passed (for an overdue case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Timestamp>,
    /// What happens.
    #[serde(flatten)]
    pub climb: Climb,
}

// tsify writes a flattened enum as `extends`, which TypeScript refuses for a union: the
// fields and the climb are an intersection.
crate::tsdecl::ts_alias!(
    Escalation = "{ case: CaseId; from: Level; reason: EscalationReason; due?: Timestamp } & Climb"
);

impl Escalation {
    /// The event that carries out the escalation.
    #[must_use]
    pub fn event(&self, at: Timestamp, actor: &ActorId) -> EventRecord {
        let event = match &self.climb {
            Climb::Escalate { assignment } => Event::Escalated {
                from: self.from,
                to: assignment.level,
                reason: self.reason,
                assignment: Arc::clone(assignment),
            },
            Climb::Shelve { explanation } => Event::Shelved {
                explanation: explanation.clone(),
            },
        };
        EventRecord {
            event_id: None,
            case: Some(self.case.clone()),
            at,
            actor: actor.clone(),
            event,
        }
    }
}

/// A staged reminder: the share of a case's time limit that has passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Reminder {
    /// The case.
    pub case: CaseId,
    /// The stage reached, in percent of the time limit.
    pub stage: u8,
    /// Who is reminded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<crate::id::PersonId>,
    /// The deadline.
    pub due: Timestamp,
}

impl Reminder {
    /// The event that records the reminder as sent.
    #[must_use]
    pub fn event(&self, at: Timestamp, actor: &ActorId) -> EventRecord {
        EventRecord {
            event_id: None,
            case: Some(self.case.clone()),
            at,
            actor: actor.clone(),
            event: Event::Reminded { stage: self.stage },
        }
    }
}

/// A case to reopen (after a dissatisfied evaluation) or to route again (after a return).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Reassignment {
    /// The case.
    pub case: CaseId,
    /// The new decision.
    pub assignment: Arc<Assignment>,
}

/// Everything the engine proposes for a ledger at a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Actions {
    /// Overdue cases and cases whose mediation failed: they climb or are shelved.
    pub escalations: Vec<Escalation>,
    /// Staged reminders before deadlines.
    pub reminders: Vec<Reminder>,
    /// Dissatisfied evaluations: reopened at the same or the next level.
    pub reopenings: Vec<Reassignment>,
    /// Returned (misrouted) cases, and amended reports: routed again with their corrected
    /// facts.
    pub reroutes: Vec<Reassignment>,
    /// Cases the engine could not act on, and why (for example a corrected category the
    /// rule set does not know).
    pub problems: Vec<ActionProblem>,
    /// Petitions whose review was asked (请求复查): reopened at the level above with the
    /// review limit counted from the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub reviews: Vec<Reassignment>,
    /// Call-backs (回访) due or late.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub call_backs: Vec<crate::closed_loop::CallBack>,
    /// Shelved cases (挂账) awaiting sign-off by the level above (销号), with their age.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub shelved: Vec<crate::closed_loop::ShelvedCase>,
    /// Reports taken in incomplete and not yet amended, with what they lack.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub incomplete: Vec<crate::incomplete::IncompleteCase>,
    /// Grids that held no meeting in the last whole period of the rule set's cadence
    /// (定期组织网格例会).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub missed_meetings: Vec<crate::grid_work::MissedMeeting>,
    /// Open register entries due, or late for, a follow-up visit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub follow_ups: Vec<crate::grid_work::FollowUpDue>,
}

/// A case the engine could not act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ActionProblem {
    /// The case.
    pub case: CaseId,
    /// Error code.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
}

impl ActionProblem {
    /// The problem of a case that could not be routed.
    fn of(case: &CaseId, e: &RouteError) -> Self {
        Self {
            case: case.clone(),
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl Actions {
    /// All proposals as events, in a fixed order: escalations, reminders, reopenings,
    /// reroutes, reviews. Call-backs and sign-offs are people's work, listed only.
    #[must_use]
    pub fn events(&self, at: Timestamp, actor: &ActorId) -> Vec<EventRecord> {
        let mut out = Vec::new();
        out.extend(self.escalations.iter().map(|e| e.event(at, actor)));
        out.extend(self.reminders.iter().map(|r| r.event(at, actor)));
        out.extend(self.reopenings.iter().map(|r| EventRecord {
            event_id: None,
            case: Some(r.case.clone()),
            at,
            actor: actor.clone(),
            event: Event::Reopened {
                reason: ReopenReason::Dissatisfied,
                assignment: Arc::clone(&r.assignment),
            },
        }));
        out.extend(self.reroutes.iter().map(|r| EventRecord {
            event_id: None,
            case: Some(r.case.clone()),
            at,
            actor: actor.clone(),
            event: Event::Assigned {
                assignment: Arc::clone(&r.assignment),
            },
        }));
        out.extend(self.reviews.iter().map(|r| EventRecord {
            event_id: None,
            case: Some(r.case.clone()),
            at,
            actor: actor.clone(),
            event: Event::Reopened {
                reason: ReopenReason::ReviewRequested,
                assignment: Arc::clone(&r.assignment),
            },
        }));
        out
    }
}

impl Engine {
    /// The assignment a routing decision makes.
    #[must_use]
    pub fn assignment(&self, d: &Decision<'_>) -> Assignment {
        let r = d.rule();
        Assignment {
            level: d.level(),
            unit: d.unit().map(|u| u.id.clone()),
            office: d.office().map(|o| o.id.clone()),
            co_offices: d.co_offices().into_iter().map(|o| o.id.clone()).collect(),
            handler: d.handler().map(|p| p.id.clone()),
            following: d.following().map(|p| p.id.clone()),
            time_limit: d.time_limit(),
            due: d.due(),
            grade: d.grade().and_then(|g| Name::new(g).ok()),
            flags: d
                .flags()
                .into_iter()
                .filter_map(|f| Name::new(f).ok())
                .collect(),
            rule: Some(crate::case::event::rule_path(r.version, r.table, r.row)),
            extras: crate::case::event::AssignmentExtras {
                sitting: d.sitting().map(Box::new),
                incomplete: ThinVec::new(),
            }
            .into(),
        }
    }

    /// The escalation rules in force for a case (by its report date).
    fn escalation_spec(&self, case: &Case) -> &EscalationSpec {
        self.version_at(case.reported_at)
            .map_or(&DEFAULT_ESCALATION, |v| &v.escalation)
    }

    /// Routes a case as its state now stands: its facts as amended, its current category
    /// and location, and its repeat count including the reports joined to it; on the safe
    /// side while facts are still missing ([`Engine::route_or_take_in`]).
    ///
    /// # Errors
    /// [`RouteError`] when it cannot be routed.
    pub fn reroute(&self, state: &CaseState) -> Result<Assignment, RouteError> {
        let mut case = (**state.facts()).clone();
        case.category = state.category.clone();
        case.location = state.location.clone();
        case.repeat_count = state.repeat_count();
        self.route_or_take_in(&case)
    }

    /// Takes a new report in: routes it (on the safe side when facts are missing or wrong,
    /// flagged incomplete: [`Engine::route_or_take_in`]), or, when it repeats a matter
    /// already in the ledger
    /// (the same category in the same unit, the case open or closed within the window the
    /// rule set gives), joins it to that case, which then counts one more report and is
    /// escalated or reopened if its new count routes it higher (一个事多次反映 → 长效机制).
    /// Returns the events to append.
    ///
    /// # Errors
    /// [`RouteError`] when the case cannot be placed (its location or category) or cannot
    /// be routed.
    pub fn intake(
        &self,
        ledger: &Ledger,
        case: Case,
        actor: &ActorId,
    ) -> Result<Vec<EventRecord>, RouteError> {
        let at = case.reported_at;
        // A report with facts missing or wrong is taken in and routed on the safe side;
        // only one that cannot be placed (no micro-grid, no known category) is refused.
        let assignment = self.route_or_take_in(&case)?;
        let id = case.id.clone();
        if let Some(target) = self.repeat_of(ledger, &case) {
            let target_id = target.case.id.clone();
            let mut joined = target.clone();
            joined.extras.merged_from.push(id.clone());
            let mut events = vec![
                EventRecord {
                    event_id: None,
                    case: Some(id.clone()),
                    at,
                    actor: actor.clone(),
                    event: Event::Reported {
                        case: Arc::new(case),
                    },
                },
                EventRecord {
                    event_id: None,
                    case: Some(id),
                    at,
                    actor: actor.clone(),
                    event: Event::Merged {
                        into: target_id.clone(),
                    },
                },
            ];
            // The joined case counts one more report: route it again; it climbs (or
            // reopens) if the new count takes it higher.
            let at = if at < target.last_at {
                target.last_at
            } else {
                at
            };
            if let Ok(mut assignment) = self.reroute(&joined) {
                if let Ok(due) = self.calendar.deadline(at, assignment.time_limit) {
                    assignment.due = due;
                }
                match target.status {
                    Status::Assigned if target.level().is_some_and(|l| assignment.level > l) => {
                        events.push(EventRecord {
                            event_id: None,
                            case: Some(target_id),
                            at,
                            actor: actor.clone(),
                            event: Event::Escalated {
                                from: target.level().unwrap_or(Level::MicroGrid),
                                to: assignment.level,
                                reason: EscalationReason::RepeatReport,
                                assignment: Arc::new(assignment),
                            },
                        });
                    }
                    Status::Resolved | Status::Closed | Status::Shelved => {
                        let previous = target
                            .resolved_level
                            .or(target.level())
                            .unwrap_or(Level::MicroGrid);
                        let assignment = if assignment.level >= previous {
                            assignment
                        } else {
                            self.at_level(target, previous, at, Some("reopen/repeat_report"))
                        };
                        events.push(EventRecord {
                            event_id: None,
                            case: Some(target_id),
                            at,
                            actor: actor.clone(),
                            event: Event::Reopened {
                                reason: ReopenReason::RepeatReport,
                                assignment: Arc::new(assignment),
                            },
                        });
                    }
                    _ => {}
                }
            }
            return Ok(events);
        }
        Ok(vec![
            EventRecord {
                event_id: None,
                case: Some(id.clone()),
                at,
                actor: actor.clone(),
                event: Event::Reported {
                    case: Arc::new(case.clone()),
                },
            },
            EventRecord {
                event_id: None,
                case: Some(id),
                at,
                actor: actor.clone(),
                event: Event::Assigned {
                    assignment: Arc::new(assignment),
                },
            },
        ])
    }

    /// The earlier case a new report repeats, if any: the most recently reported case of the
    /// same category within the unit the rule set matches on, that is open or was closed
    /// within the window before the new report.
    #[must_use]
    pub fn repeat_of<'l>(&self, ledger: &'l Ledger, case: &Case) -> Option<&'l CaseState> {
        let spec = &self.escalation_spec(case).repeat;
        let location = self.org.key(case.location.as_str())?;
        let kind = match spec.match_at {
            MatchAt::MicroGrid => UnitKind::MicroGrid,
            MatchAt::Grid => UnitKind::Grid,
            MatchAt::Compound => UnitKind::Compound,
            MatchAt::Community => UnitKind::Community,
        };
        let area = self.org.ancestor_of_kind(location, kind)?;
        let reporter = |c: &Case| {
            c.reporter
                .as_ref()
                .and_then(|r| r.phone.as_deref().or(r.name.as_deref()))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let who = reporter(case);
        if spec.same_reporter && who.is_none() {
            return None;
        }
        let mut best: Option<&CaseState> = None;
        for key in self
            .org
            .keys_within(area, &[UnitKind::MicroGrid, UnitKind::Building])
        {
            let Some(unit) = self.org.unit_by_key(key) else {
                continue;
            };
            for c in ledger.state().at_place(&case.category, &unit.id) {
                if c.case.id == case.id || c.status == Status::Merged {
                    continue;
                }
                if spec.same_reporter && reporter(&c.case) != who {
                    continue;
                }
                let live = c.status.is_open()
                    || c.closed_at().is_some_and(|closed| {
                        self.calendar
                            .deadline(closed, spec.window)
                            .is_ok_and(|end| case.reported_at <= end)
                    });
                if live
                    && c.case.reported_at <= case.reported_at
                    && best.is_none_or(|b| c.case.reported_at >= b.case.reported_at)
                {
                    best = Some(c);
                }
            }
        }
        best
    }

    /// A case's deadline now: its clock's ([`Engine::case_clock`]: its decision's, or a
    /// petition's handling limit), moved on by its pauses (缓办); `None` while paused or
    /// when it has no decision.
    #[must_use]
    pub fn effective_due(&self, state: &CaseState) -> Option<Timestamp> {
        self.clock_due(self.case_clock(state)?, &state.pauses)
    }

    /// Whether a resolved case was resolved by its deadline (pauses counted).
    #[must_use]
    pub fn resolved_on_time(&self, state: &CaseState) -> Option<bool> {
        let resolved = state.resolved_at?;
        Some(resolved <= self.resolved_due(state)?)
    }

    /// A decision for a case at `level`: the unit there and its duty holder (at department
    /// level, the office that takes the case's category), with the escalation time limit of
    /// that level counted from `at`.
    fn at_level(
        &self,
        state: &CaseState,
        level: Level,
        at: Timestamp,
        rule: Option<&str>,
    ) -> Assignment {
        let spec = self.escalation_spec(&state.case);
        let previous = state.assignment.as_deref();
        let time_limit: TimeLimit = spec
            .time_limits
            .get(&level)
            .copied()
            .or(previous.map(|a| a.time_limit))
            .unwrap_or(TimeLimit::known(1, crate::calendar::LimitUnit::WorkingDays));
        let location = self.org.key(state.location.as_str());
        let (unit, office, handler) = match (level, location) {
            (Level::Department, Some(loc)) => {
                let office = self.org.office_taking(loc, state.category.as_str());
                let handler = office.and_then(|o| self.org.office_holder_index(o));
                (None, office, handler)
            }
            (_, Some(loc)) => (
                self.org.unit_at_level_key(loc, level),
                None,
                self.org.duty_holder_index(loc, level),
            ),
            _ => (None, None, None),
        };
        let due = self.calendar.deadline(at, time_limit).unwrap_or(at);
        Assignment {
            level,
            unit: unit
                .and_then(|k| self.org.unit_by_key(k))
                .map(|u| u.id.clone()),
            office: office
                .and_then(|o| self.org.office_at(o))
                .map(|o| o.id.clone()),
            co_offices: ThinVec::new(),
            handler: handler
                .and_then(|p| self.org.person_at(p))
                .map(|p| p.id.clone()),
            following: None,
            time_limit,
            due,
            grade: previous.and_then(|a| a.grade.clone()),
            flags: previous.map(|a| a.flags.clone()).unwrap_or_default(),
            rule: rule.map(arcstr::ArcStr::from),
            extras: crate::case::event::AssignmentExtras {
                sitting: None,
                incomplete: previous
                    .map(|a| a.extras.incomplete.clone())
                    .unwrap_or_default(),
            }
            .into(),
        }
    }

    /// The next level a case can climb to from `level`: skips levels without a unit for its
    /// location; department only when an office takes its category. `None` at the top.
    fn next_level(&self, state: &CaseState, level: Level) -> Option<Level> {
        let location = self.org.key(state.location.as_str())?;
        let mut next = level.up();
        while let Some(l) = next {
            let available = match l {
                Level::Department => self
                    .org
                    .office_taking(location, state.category.as_str())
                    .is_some(),
                _ => self.org.unit_at_level_key(location, l).is_some(),
            };
            if available {
                return Some(l);
            }
            next = l.up();
        }
        None
    }

    fn escalation(
        &self,
        state: &CaseState,
        reason: EscalationReason,
        now: Timestamp,
        due: Option<Timestamp>,
    ) -> Option<Escalation> {
        let from = state.level()?;
        let climb = match self.next_level(state, from) {
            Some(to) => Climb::Escalate {
                assignment: Arc::new(self.at_level(
                    state,
                    to,
                    now,
                    Some(&format!("escalation/{}", reason.as_str())),
                )),
            },
            None => Climb::Shelve {
                explanation: format!(
                    "{} at {from} level, the highest that can take a `{}` case here; shelved as unresolved (挂账) until it can be settled",
                    match reason {
                        EscalationReason::Overdue => "overdue",
                        EscalationReason::MediationFailed => "mediation failed",
                        EscalationReason::RepeatReport => "reported again",
                        EscalationReason::Manual => "escalation asked",
                        EscalationReason::SupervisionIgnored => "supervision order unanswered",
                    },
                    state.category
                ),
            },
        };
        Some(Escalation {
            case: state.case.id.clone(),
            from,
            reason,
            due,
            climb,
        })
    }

    /// Every case past its deadline at `now` (not paused), with the escalation it gets: one
    /// level up with a new time limit, or, at the top, shelving with an explanation.
    #[must_use]
    pub fn overdue(&self, ledger: &Ledger, now: Timestamp) -> Vec<Escalation> {
        // Only the cases the ledger's due index names can be overdue: not a scan of all.
        let state = ledger.state();
        state
            .may_be_overdue(now)
            .into_iter()
            .filter_map(|i| state.cases().get(i as usize))
            .filter(|c| c.status == Status::Assigned)
            .filter_map(|c| {
                let due = self.effective_due(c)?;
                (due < now)
                    .then(|| self.escalation(c, EscalationReason::Overdue, now, Some(due)))?
            })
            .collect()
    }

    /// Staged reminders at `now`: for each running case, the highest stage of its time
    /// limit (in the rule set's `reminders`, e.g. 50% and 80%) that has passed and has not
    /// been sent. Overdue cases are not reminded (they escalate).
    #[must_use]
    pub fn reminders(&self, ledger: &Ledger, now: Timestamp) -> Vec<Reminder> {
        ledger
            .state()
            .cases()
            .iter()
            .filter(|c| c.status == Status::Assigned)
            .filter_map(|c| {
                let a = c.assignment.as_ref()?;
                let running = self.case_clock(c)?;
                let (start, clock) = (running.start, running.clock);
                let due = self.clock_due(running, &c.pauses)?;
                if now >= due {
                    return None;
                }
                let total = self.calendar.clock_minutes(clock, start, due).ok()?;
                let paused: u64 = c
                    .pauses
                    .iter()
                    .filter_map(|p| {
                        self.calendar
                            .clock_minutes(clock, p.from, p.to.unwrap_or(now))
                            .ok()
                    })
                    .sum();
                let spent = self
                    .calendar
                    .clock_minutes(clock, start, now)
                    .ok()?
                    .saturating_sub(paused);
                let total = total.saturating_sub(paused).max(1);
                let stage = self
                    .escalation_spec(&c.case)
                    .reminders
                    .iter()
                    .copied()
                    .filter(|s| u64::from(*s) * total <= spent * 100)
                    .max()?;
                (stage > c.reminded).then(|| Reminder {
                    case: c.case.id.clone(),
                    stage,
                    handler: a.handler.clone(),
                    due,
                })
            })
            .collect()
    }

    /// Everything the engine proposes at `now`: escalations (overdue, failed mediation),
    /// reminders, reopenings after dissatisfied evaluations, and reroutes of returned cases.
    #[must_use]
    pub fn actions(&self, ledger: &Ledger, now: Timestamp) -> Actions {
        let mut out = Actions {
            escalations: self.overdue(ledger, now),
            reminders: self.reminders(ledger, now),
            call_backs: self.call_backs(ledger, now),
            shelved: self.shelved_cases(ledger, now),
            missed_meetings: self.missed_meetings(ledger, now),
            follow_ups: self.follow_ups_due(ledger, now),
            ..Actions::default()
        };
        // The cases already escalated, by id: a case climbs once per round (a list scan
        // here made `actions` quadratic in the number of overdue cases).
        let mut escalated: std::collections::HashSet<CaseId, rustc_hash::FxBuildHasher> =
            out.escalations.iter().map(|e| e.case.clone()).collect();
        for c in ledger.state().cases() {
            let spec = self.escalation_spec(&c.case);
            if c.status == Status::Assigned {
                let ignored = c
                    .closed_loop
                    .open_supervisions()
                    .filter_map(|o| self.supervision_due(c, o))
                    .min()
                    .filter(|due| *due < now);
                if let Some(due) = ignored {
                    if !escalated.contains(&c.case.id) {
                        if let Some(e) =
                            self.escalation(c, EscalationReason::SupervisionIgnored, now, Some(due))
                        {
                            escalated.insert(e.case.clone());
                            out.escalations.push(e);
                        }
                    }
                }
            }
            if let Some(r) = self.review_of(c) {
                out.reviews.push(r);
            }
            if c.status.is_open() && !c.missing().is_empty() && !c.extras.amendment_pending {
                out.incomplete.push(crate::incomplete::IncompleteCase {
                    case: c.case.id.clone(),
                    missing: c.missing().to_vec(),
                    since: c.case.reported_at,
                });
            }
            if c.extras.amendment_pending {
                match self.reroute(c) {
                    Ok(a) => out.reroutes.push(Reassignment {
                        case: c.case.id.clone(),
                        assignment: Arc::new(a),
                    }),
                    Err(e) => out.problems.push(ActionProblem::of(&c.case.id, &e)),
                }
            }
            match c.status {
                Status::Assigned
                    if c.extras.mediation_failed
                        && spec.escalate_failed_mediation
                        && !escalated.contains(&c.case.id) =>
                {
                    if let Some(e) =
                        self.escalation(c, EscalationReason::MediationFailed, now, None)
                    {
                        escalated.insert(e.case.clone());
                        out.escalations.push(e);
                    }
                }
                Status::Closed
                    if c.satisfaction
                        .is_some_and(|s| s <= spec.dissatisfied_at_most) =>
                {
                    let at = c.resolved_level.or(c.level()).unwrap_or(Level::MicroGrid);
                    let level = match spec.reopen_at {
                        ReopenAt::Same => at,
                        ReopenAt::Next => self.next_level(c, at).unwrap_or(at),
                    };
                    out.reopenings.push(Reassignment {
                        case: c.case.id.clone(),
                        assignment: Arc::new(self.at_level(
                            c,
                            level,
                            now,
                            Some("reopen/dissatisfied"),
                        )),
                    });
                }
                Status::Returned => match self.reroute(c) {
                    Ok(mut a) => {
                        // Count the new deadline from now, not from the original report
                        // (or from the next sitting after now, for a booked matter).
                        let mut start = now;
                        if let Some(b) = a.extras.get_mut().and_then(|e| e.sitting.as_mut()) {
                            let next = self
                                .loop_spec(&c.case)
                                .sittings
                                .iter()
                                .find(|s| s.id == b.sitting)
                                .and_then(|s| s.next_after(&self.calendar, now));
                            if let Some(at) = next {
                                b.at = at;
                                start = at;
                            }
                        }
                        if let Ok(due) = self.calendar.deadline(start, a.time_limit) {
                            a.due = due;
                        }
                        out.reroutes.push(Reassignment {
                            case: c.case.id.clone(),
                            assignment: Arc::new(a),
                        });
                    }
                    Err(e) => out.problems.push(ActionProblem::of(&c.case.id, &e)),
                },
                _ => {}
            }
        }
        out
    }
}

impl Engine {
    /// The reopening a requested review (复查) gets: at the level above the one that
    /// replied, with the review limit counted from the request.
    fn review_of(&self, c: &CaseState) -> Option<Reassignment> {
        let p = c.closed_loop.petition.as_ref()?;
        if p.step != crate::case::ledger::PetitionStep::ReviewRequested
            || !matches!(c.status, Status::Resolved | Status::Closed)
        {
            return None;
        }
        let requested = p.review_requested_at?;
        let limit = self.loop_spec(&c.case).petition.as_ref()?.review;
        let replied = c.resolved_level.or(c.level()).unwrap_or(Level::MicroGrid);
        let level = self.next_level(c, replied).unwrap_or(replied);
        let mut a = self.at_level(c, level, requested, Some("review/requested"));
        a.time_limit = limit;
        a.due = self.calendar.deadline(requested, limit).ok()?;
        Some(Reassignment {
            case: c.case.id.clone(),
            assignment: Arc::new(a),
        })
    }
}

static DEFAULT_ESCALATION: std::sync::LazyLock<EscalationSpec> =
    std::sync::LazyLock::new(EscalationSpec::default);

#[cfg(test)]
mod due_tests;
