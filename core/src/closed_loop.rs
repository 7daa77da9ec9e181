//! The closed loop at work (闭环): the petition procedure's clocks, the checks the rule set
//! puts on the loop's steps when they are recorded (an extension within its bound, a
//! review asked in time, verification before closure, supervision and sign-off from the
//! level above), and what `actions` lists for the loop: unanswered supervision orders,
//! reviews to take up, call-backs due and shelved cases awaiting sign-off.
//!
//! The ledger knows no rule set: it folds the loop's events into each case's
//! [`LoopState`](crate::case::ledger::LoopState). The engine reads the limits of the
//! version in force for the case.

use serde::Serialize;

use crate::calendar::{Clock, LimitUnit, TimeLimit};
use crate::case::event::{Event, EventRecord};
use crate::case::ledger::{CaseState, Ledger, PetitionStep, Status};
use crate::engine::Engine;
use crate::id::CaseId;
use crate::org::Level;
use crate::rules::procedure::LoopSpec;
use crate::time::Timestamp;

/// A step of the loop that the rule set does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoopError {
    /// An extension longer than the rule set allows.
    #[error(
        "case `{case}`: an extension of {days} days is refused: {law} allows at most {max} (a longer one is not approved)"
    )]
    ExtensionTooLong {
        /// The case.
        case: String,
        /// Days asked.
        days: u32,
        /// The bound.
        max: TimeLimit,
        /// The legal source.
        law: String,
    },
    /// More extensions than the rule set allows.
    #[error(
        "case `{case}`: an extension is refused: {law} allows {allowed} and {given} was already approved"
    )]
    TooManyExtensions {
        /// The case.
        case: String,
        /// Allowed.
        allowed: u32,
        /// Already given.
        given: u32,
        /// The legal source.
        law: String,
    },
    /// An extension on a case whose version has no petition procedure.
    #[error(
        "case `{case}`: the rule set in force for it has no petition procedure, so nothing bounds an extension; add `closed_loop.petition`"
    )]
    NoProcedure {
        /// The case.
        case: String,
    },
    /// A review asked after the window.
    #[error(
        "case `{case}`: a review (复查) had to be asked by {by} ({window} after the reply of {replied}); asked at {at}"
    )]
    ReviewTooLate {
        /// The case.
        case: String,
        /// The last moment.
        by: Timestamp,
        /// The window.
        window: TimeLimit,
        /// The reply.
        replied: Timestamp,
        /// When asked.
        at: Timestamp,
    },
    /// Closing a case whose resolution was not verified, when the rule set requires it.
    #[error(
        "case `{case}` cannot be closed by {event}: the rule set requires its resolution to pass verification (核查) by someone other than its handler first; record a `verified` event"
    )]
    NotVerified {
        /// The case.
        case: String,
        /// The closing event.
        event: &'static str,
    },
    /// Supervision or sign-off by someone not above the level the case is handled at.
    #[error(
        "case `{case}` is handled at {level} level; {what} comes from the level above (or the subdistrict, the top of the organisation), and `{actor}` is {actor_level}"
    )]
    NotAbove {
        /// The case.
        case: String,
        /// The step.
        what: &'static str,
        /// The case's level.
        level: Level,
        /// The actor.
        actor: String,
        /// Where the actor stands.
        actor_level: String,
    },
}

impl LoopError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::ExtensionTooLong { .. } => "extension_too_long",
            Self::TooManyExtensions { .. } => "too_many_extensions",
            Self::NoProcedure { .. } => "no_procedure",
            Self::ReviewTooLate { .. } => "review_too_late",
            Self::NotVerified { .. } => "not_verified",
            Self::NotAbove { .. } => "not_above",
        }
    }
}

/// A case's running clock: when it started, its deadline before pauses, and whether it
/// counts working or natural time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseClock {
    /// When the clock started.
    pub start: Timestamp,
    /// The deadline before pauses.
    pub due: Timestamp,
    /// Working or natural time.
    pub clock: Clock,
}

/// A call-back (回访) to the reporter that is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CallBack {
    /// The case.
    pub case: CaseId,
    /// When it was resolved.
    pub from: Timestamp,
    /// When the call-back is due.
    pub due: Timestamp,
    /// Whether it is late.
    pub late: bool,
}

/// A shelved case awaiting sign-off (挂账 until 销号).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ShelvedCase {
    /// The case.
    pub case: CaseId,
    /// The level it was shelved at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// When it was shelved.
    pub since: Timestamp,
    /// Its age in whole days.
    pub days: i64,
}

impl Engine {
    /// The closed loop of the version in force for a case (by its report date).
    #[must_use]
    pub fn loop_spec(&self, case: &crate::case::Case) -> &LoopSpec {
        self.loop_spec_on(case.reported_at)
    }

    /// The closed loop of the version in force for a case reported at `at`.
    #[must_use]
    pub fn loop_spec_on(&self, at: Timestamp) -> &LoopSpec {
        self.version_at(at).map_or(&EMPTY, |v| &v.closed_loop)
    }

    /// The clock a case runs on now: its decision's, or, for a petition being handled
    /// since its acceptance, the handling limit counted from the acceptance and moved on
    /// by approved extensions (信访工作条例: 60 days, extendable by 30).
    #[must_use]
    pub fn case_clock(&self, state: &CaseState) -> Option<CaseClock> {
        self.clock_with(state, state.assignment.as_deref())
    }

    /// The clock of the decision in force when the case was resolved.
    fn resolved_clock(&self, state: &CaseState) -> Option<CaseClock> {
        self.clock_with(state, state.resolved_assignment.as_deref())
    }

    fn clock_with(
        &self,
        state: &CaseState,
        a: Option<&crate::case::event::Assignment>,
    ) -> Option<CaseClock> {
        let a = a?;
        let start = state.assigned_at?;
        let plain = CaseClock {
            start,
            due: a.due,
            clock: a.time_limit.unit().clock(),
        };
        let Some(p) = &state.closed_loop.petition else {
            return Some(plain);
        };
        let (Some(accepted), true) = (
            p.accepted_at,
            matches!(p.step, PetitionStep::Handling | PetitionStep::Replied),
        ) else {
            return Some(plain);
        };
        // A climb after the acceptance brings its own limit.
        if accepted < start {
            return Some(plain);
        }
        let Some(spec) = &self.loop_spec(&state.case).petition else {
            return Some(plain);
        };
        let due = if spec.handling.unit() == LimitUnit::Days {
            let days = spec.handling.amount().saturating_add(p.extended_days);
            let limit = TimeLimit::new(days, LimitUnit::Days).ok()?;
            self.calendar.deadline(accepted, limit).ok()?
        } else {
            let base = self.calendar.deadline(accepted, spec.handling).ok()?;
            match TimeLimit::new(p.extended_days, LimitUnit::Days) {
                Ok(extra) => self.calendar.deadline(base, extra).ok()?,
                Err(_) => base,
            }
        };
        Some(CaseClock {
            start: accepted,
            due,
            clock: spec.handling.unit().clock(),
        })
    }

    /// The deadline of a case's clock moved on by its pauses (`pauses` of the state or of
    /// its resolution).
    pub(crate) fn clock_due(
        &self,
        c: CaseClock,
        pauses: &[crate::calendar::Pause],
    ) -> Option<Timestamp> {
        self.calendar
            .extend(c.start, c.due, c.clock, pauses)
            .ok()
            .flatten()
    }

    /// The deadline in force when the case was resolved, pauses counted.
    pub(crate) fn resolved_due(&self, state: &CaseState) -> Option<Timestamp> {
        self.clock_due(self.resolved_clock(state)?, &state.resolved_pauses)
    }

    /// When an open supervision order falls due.
    #[must_use]
    pub fn supervision_due(
        &self,
        state: &CaseState,
        order: &crate::case::ledger::Supervision,
    ) -> Option<Timestamp> {
        let limit = self.loop_spec(&state.case).supervision_limit(order.within);
        self.calendar.deadline(order.at, limit).ok()
    }

    /// Where an actor stands: the level of their unit (an office counts as department
    /// level), `None` for someone outside the organisation.
    fn actor_level(&self, actor: &str) -> Option<Level> {
        let person = self.org.person(actor)?;
        if self.org.office(person.unit.as_str()).is_some() {
            return Some(Level::Department);
        }
        self.org.unit(person.unit.as_str())?.kind.level()
    }

    /// Checks the limits the rule set puts on a step of the loop, before it is recorded
    /// (after access, which decides who may record it at all).
    ///
    /// # Errors
    /// [`LoopError`] naming the case, what was asked and what the rule set allows.
    pub fn check_loop(&self, ledger: &Ledger, record: &EventRecord) -> Result<(), LoopError> {
        let Some(id) = &record.case else {
            return Ok(());
        };
        let Some(state) = ledger.case(id.as_str()) else {
            return Ok(());
        };
        let case = || id.to_string();
        let spec = self.loop_spec(&state.case);
        match &record.event {
            Event::Extended { days, .. } => {
                let Some(p) = &spec.petition else {
                    return Err(LoopError::NoProcedure { case: case() });
                };
                let given = state
                    .closed_loop
                    .petition
                    .as_ref()
                    .map_or(0, |s| s.extensions);
                if given >= p.extensions {
                    return Err(LoopError::TooManyExtensions {
                        case: case(),
                        allowed: p.extensions,
                        given,
                        law: p.source.clone(),
                    });
                }
                if *days > p.extension.amount() {
                    return Err(LoopError::ExtensionTooLong {
                        case: case(),
                        days: *days,
                        max: p.extension,
                        law: p.source.clone(),
                    });
                }
            }
            Event::ReviewRequested { .. } => {
                let (Some(p), Some(replied)) = (
                    &spec.petition,
                    state
                        .closed_loop
                        .petition
                        .as_ref()
                        .and_then(|s| s.replied_at),
                ) else {
                    return Ok(());
                };
                let by = self
                    .calendar
                    .deadline(replied, p.review_request)
                    .unwrap_or(replied);
                if record.at > by {
                    return Err(LoopError::ReviewTooLate {
                        case: case(),
                        by,
                        window: p.review_request,
                        replied,
                        at: record.at,
                    });
                }
            }
            Event::Evaluated { .. } | Event::CalledBack { .. }
                if spec.verification_required
                    && state.status == Status::Resolved
                    && state.closed_loop.verified_at.is_none() =>
            {
                return Err(LoopError::NotVerified {
                    case: case(),
                    event: if matches!(record.event, Event::Evaluated { .. }) {
                        "an evaluation"
                    } else {
                        "a call-back"
                    },
                });
            }
            Event::Supervised { .. } | Event::SignedOff { .. } => {
                // The level the case is handled at: its decision's, or its handler's post
                // when that is higher (a micro-grid matter is the grid worker's).
                let level = state.level().unwrap_or(Level::MicroGrid).max(
                    state
                        .assignment
                        .as_ref()
                        .and_then(|a| a.handler.as_ref())
                        .and_then(|h| self.actor_level(h.as_str()))
                        .unwrap_or(Level::MicroGrid),
                );
                let own = self.actor_level(record.actor.as_str());
                let above = own.is_some_and(|l| l > level || l >= Level::Subdistrict);
                if !above {
                    return Err(LoopError::NotAbove {
                        case: case(),
                        what: if matches!(record.event, Event::Supervised { .. }) {
                            "a supervision order (督办)"
                        } else {
                            "the sign-off of a shelved case (销号)"
                        },
                        level,
                        actor: crate::text::truncate_for_message(record.actor.as_str()),
                        actor_level: own.map_or_else(
                            || "not a person of the organisation".to_owned(),
                            |l| format!("at {l} level"),
                        ),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Call-backs (回访) due at `now`: resolved cases not yet closed, when the rule set
    /// gives a call-back limit, counted from the resolution (the limit the call-back rate
    /// is scored on).
    pub(crate) fn call_backs(&self, ledger: &Ledger, now: Timestamp) -> Vec<CallBack> {
        ledger
            .state()
            .cases()
            .iter()
            .filter(|c| c.status == Status::Resolved)
            .filter_map(|c| {
                let spec = self.loop_spec(&c.case);
                let within = spec.call_back_within?;
                let from = c.resolved_at?;
                let due = self.calendar.deadline(from, within).ok()?;
                Some(CallBack {
                    case: c.case.id.clone(),
                    from,
                    due,
                    late: now > due,
                })
            })
            .collect()
    }

    /// Shelved cases not yet signed off, oldest first, with their age at `now`.
    pub(crate) fn shelved_cases(&self, ledger: &Ledger, now: Timestamp) -> Vec<ShelvedCase> {
        let mut out: Vec<ShelvedCase> = ledger
            .state()
            .cases()
            .iter()
            .filter(|c| c.status == Status::Shelved && c.closed_loop.signed_off.is_none())
            .map(|c| {
                let since = c.closed_loop.shelved_at.unwrap_or(c.last_at);
                ShelvedCase {
                    case: c.case.id.clone(),
                    level: c.level(),
                    since,
                    days: (now.unix() - since.unix()).max(0) / 86_400,
                }
            })
            .collect();
        out.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.case.cmp(&b.case)));
        out
    }
}

static EMPTY: std::sync::LazyLock<LoopSpec> = std::sync::LazyLock::new(LoopSpec::default);
