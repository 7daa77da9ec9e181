//! The rules of a case's life: which event may follow which, checked before an event is
//! applied, and what each event does to the case's state.

use std::sync::Arc;

use super::Case;
use super::event::{
    Assignment, EscalationReason, Event, EventRecord, PETITION_PROCEDURE, ReopenReason,
};
use super::ledger::{LedgerState, NO_CASE};
use super::state::{
    CaseState, LoopBox, PetitionState, PetitionStep, Status, Supervision, ThirdPartyPart,
};
use crate::calendar::Pause;
use crate::id::{CaseId, OfficeId};
use crate::org::Level;
use crate::time::Timestamp;
use thin_vec::ThinVec;

/// An event refused: what was wrong and what would be valid. The ledger is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransitionError {
    /// An event about a case needs `case`.
    #[error("{} `{event}` event needs the `case` it is about", capital_article(.event))]
    MissingCase {
        /// The event type.
        event: &'static str,
    },
    /// A grid-work record (a visit, a follow-up, a meeting) is refused.
    #[error(transparent)]
    Work(#[from] super::work::WorkError),
    /// The record's case and the reported case differ.
    #[error("the record is about case `{record}` but reports case `{reported}`")]
    CaseMismatch {
        /// The record's case.
        record: String,
        /// The reported case's id.
        reported: String,
    },
    /// No case with this id was reported.
    #[error("case `{case}` was never reported; report it first")]
    UnknownCase {
        /// The case.
        case: String,
    },
    /// A case reported twice.
    #[error("case `{case}` is already in the ledger")]
    DuplicateCase {
        /// The case.
        case: String,
    },
    /// The event does not fit the case's status.
    #[error("case `{case}` is {status}; {} `{event}` event needs it to be {}", article(.event), statuses(.allowed))]
    Invalid {
        /// The case.
        case: String,
        /// The event type.
        event: &'static str,
        /// Its status.
        status: Status,
        /// The statuses the event fits.
        allowed: &'static [Status],
    },
    /// An event earlier than the case's last one.
    #[error("case `{case}`: {} `{event}` event at {at} is earlier than its last event at {last}", article(.event))]
    Backwards {
        /// The case.
        case: String,
        /// The event type.
        event: &'static str,
        /// Its time.
        at: Timestamp,
        /// The case's last time.
        last: Timestamp,
    },
    /// An escalation from a level the case is not at.
    #[error("case `{case}` is at {current}; it cannot be escalated from {from}")]
    WrongLevel {
        /// The case.
        case: String,
        /// Where it is.
        current: Level,
        /// What the event says.
        from: Level,
    },
    /// An escalation that does not go up.
    #[error("case `{case}`: escalation must go up, not from {from} to {to}")]
    NotUpward {
        /// The case.
        case: String,
        /// From.
        from: Level,
        /// To.
        to: Level,
    },
    /// An escalation from the top level.
    #[error(
        "case `{case}` is at department level, the top; it cannot climb further (shelve it with an explanation instead)"
    )]
    AboveTop {
        /// The case.
        case: String,
    },
    /// A reopening below the level that had it.
    #[error("case `{case}` was handled at {previous}; it cannot be reopened lower, at {level}")]
    ReopenBelow {
        /// The case.
        case: String,
        /// The new level.
        level: Level,
        /// The previous level.
        previous: Level,
    },
    /// A resolution claimed above the level that has the case.
    #[error("case `{case}` is at {current}; it cannot be resolved at the higher level {level}")]
    ResolvedAbove {
        /// The case.
        case: String,
        /// Claimed.
        level: Level,
        /// Where it is.
        current: Level,
    },
    /// A satisfaction outside 1-5.
    #[error("case `{case}`: satisfaction `{given}` is not from 1 to 5")]
    Satisfaction {
        /// The case.
        case: String,
        /// Given.
        given: u8,
    },
    /// Required text left empty.
    #[error("case `{case}`: {} `{event}` event needs a non-empty `{field}`", article(.event))]
    Empty {
        /// The case.
        case: String,
        /// The event type.
        event: &'static str,
        /// The field.
        field: &'static str,
    },
    /// A merge into a case that cannot take it.
    #[error("case `{case}` cannot be merged into `{into}`: {reason}")]
    MergeTarget {
        /// The case.
        case: String,
        /// The target.
        into: String,
        /// Why.
        reason: &'static str,
    },
    /// A resolution before every office of a joint consultation gave its part.
    #[error("case `{case}` is a joint consultation (联合会商); offices {} have not given their part", offices(.missing))]
    ConsultationIncomplete {
        /// The case.
        case: String,
        /// The offices still to consult.
        missing: Vec<OfficeId>,
    },
    /// A consultation by an office not in the case's joint consultation.
    #[error("case `{case}`: office `{office}` is not one of its consulting offices ({})", offices(.expected))]
    NotConsulting {
        /// The case.
        case: String,
        /// The office.
        office: String,
        /// The offices of the consultation.
        expected: Vec<OfficeId>,
    },
    /// A step of the petition procedure out of turn, or on a case that does not follow it.
    #[error("case `{case}`: {} `{event}` event needs the petition procedure at step `{expected}`; {}", article(event), match .step { Some(s) => format!("it is at `{s}`"), None => "the case does not follow the petition procedure (its routing has no `petition_procedure` flag)".to_owned() })]
    PetitionStep {
        /// The case.
        case: String,
        /// The event type.
        event: &'static str,
        /// The step it is at, if it follows the procedure.
        step: Option<PetitionStep>,
        /// The step the event needs.
        expected: PetitionStep,
    },
    /// An extension of no days.
    #[error("case `{case}`: an extension adds 1 or more days; it gives 0")]
    NoDays {
        /// The case.
        case: String,
    },
    /// The resolver verifying their own resolution.
    #[error(
        "case `{case}` was resolved by `{actor}`, who may not verify their own resolution (核查 is by someone other than the handler)"
    )]
    SelfVerification {
        /// The case.
        case: String,
        /// The actor.
        actor: String,
    },
    /// An answer to supervision when no order is open.
    #[error("case `{case}` has no open supervision order (督办) to answer")]
    NoSupervision {
        /// The case.
        case: String,
    },
    /// A second sign-off.
    #[error("case `{case}` was already signed off (销号) at {at}")]
    SignedOff {
        /// The case.
        case: String,
        /// When.
        at: Timestamp,
    },
    /// A reminder stage not after the last one.
    #[error("case `{case}`: reminder stage {stage}% does not follow the last one sent ({last}%)")]
    ReminderStage {
        /// The case.
        case: String,
        /// Given.
        stage: u8,
        /// Last sent.
        last: u8,
    },
}

/// "a" or "an" before an event type.
fn article(event: &str) -> &'static str {
    if event.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capital_article(event: &str) -> &'static str {
    if article(event) == "an" { "An" } else { "A" }
}

fn statuses(s: &[Status]) -> String {
    s.iter()
        .map(|x| x.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn offices(o: &[OfficeId]) -> String {
    if o.is_empty() {
        return "none".to_owned();
    }
    o.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl TransitionError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::MissingCase { .. } => "missing_case",
            Self::Work(e) => e.code(),
            Self::CaseMismatch { .. } => "case_mismatch",
            Self::UnknownCase { .. } => "unknown_case",
            Self::DuplicateCase { .. } => "duplicate_case",
            Self::Invalid { .. } => "invalid_transition",
            Self::Backwards { .. } => "backwards",
            Self::WrongLevel { .. } => "wrong_level",
            Self::NotUpward { .. } => "not_upward",
            Self::AboveTop { .. } => "above_top",
            Self::ReopenBelow { .. } => "reopen_below",
            Self::ResolvedAbove { .. } => "resolved_above",
            Self::Satisfaction { .. } => "satisfaction",
            Self::Empty { .. } => "empty",
            Self::MergeTarget { .. } => "merge_target",
            Self::ConsultationIncomplete { .. } => "consultation_incomplete",
            Self::NotConsulting { .. } => "not_consulting",
            Self::ReminderStage { .. } => "reminder_stage",
            Self::PetitionStep { .. } => "petition_step",
            Self::NoDays { .. } => "no_days",
            Self::SelfVerification { .. } => "self_verification",
            Self::NoSupervision { .. } => "no_supervision",
            Self::SignedOff { .. } => "signed_off",
        }
    }
}

/// Where a checked event applies.
pub(super) enum Target {
    /// A new case.
    New,
    /// An existing case.
    Case(u32),
    /// A case joining another: (case, target).
    Merge(u32, u32),
    /// A grid-work record: a visit, a follow-up, a meeting, a team given an entry.
    Work,
}

impl LedgerState {
    pub(super) fn position(&self, case: &CaseId) -> Result<u32, TransitionError> {
        self.index
            .get(&self.cases, case.as_str())
            .ok_or_else(|| TransitionError::UnknownCase {
                case: case.to_string(),
            })
    }

    /// Checks an event against the state, without changing anything; returns where it
    /// applies.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per event type keeps the state machine's rules in one place"
    )]
    pub(super) fn validate(&self, r: &EventRecord) -> Result<Target, TransitionError> {
        let event = r.event.kind();
        if self.validate_work(r)? {
            return Ok(Target::Work);
        }
        let Some(case_id) = &r.case else {
            return Err(TransitionError::MissingCase { event });
        };
        let cid = || case_id.to_string();
        if let Event::Reported { case } = &r.event {
            if case.id != *case_id {
                return Err(TransitionError::CaseMismatch {
                    record: cid(),
                    reported: case.id.to_string(),
                });
            }
            if self.index.contains(&self.cases, case_id.as_str()) {
                return Err(TransitionError::DuplicateCase { case: cid() });
            }
            return Ok(Target::New);
        }
        let pos = self.position(case_id)?;
        let Some(cur) = self.cases.get(pos as usize) else {
            return Err(TransitionError::UnknownCase { case: cid() });
        };
        if r.at < cur.last_at {
            return Err(TransitionError::Backwards {
                case: cid(),
                event,
                at: r.at,
                last: cur.last_at,
            });
        }
        let need = |allowed: &'static [Status]| {
            if allowed.contains(&cur.status) {
                Ok(())
            } else {
                Err(TransitionError::Invalid {
                    case: cid(),
                    event,
                    status: cur.status,
                    allowed,
                })
            }
        };
        let non_empty = |text: &str, field: &'static str| {
            if text.trim().is_empty() {
                Err(TransitionError::Empty {
                    case: cid(),
                    event,
                    field,
                })
            } else {
                Ok(())
            }
        };
        let current_level = cur.level().unwrap_or(Level::MicroGrid);
        let petition_at = |expected: PetitionStep| {
            let step = cur.closed_loop.petition.as_ref().map(|p| p.step);
            if step == Some(expected) {
                Ok(())
            } else {
                Err(TransitionError::PetitionStep {
                    case: cid(),
                    event,
                    step,
                    expected,
                })
            }
        };
        match &r.event {
            Event::Reported { .. }
            | Event::Visited { .. }
            | Event::FollowedUp { .. }
            | Event::MeetingHeld { .. } => {}
            Event::TeamAssigned { .. } => need(&[Status::Assigned, Status::Paused])?,
            Event::Accepted {} => need(&[Status::Reported])?,
            Event::Assigned { .. } => {
                if cur.extras.amendment_pending {
                    need(&[Status::Assigned, Status::Paused])?;
                } else {
                    need(&[Status::Reported, Status::Accepted, Status::Returned])?;
                }
            }
            Event::Amended { facts, .. } => {
                need(&[
                    Status::Reported,
                    Status::Accepted,
                    Status::Assigned,
                    Status::Paused,
                    Status::Returned,
                ])?;
                if facts.is_empty() {
                    return Err(TransitionError::Empty {
                        case: cid(),
                        event,
                        field: "facts",
                    });
                }
            }
            Event::Escalated {
                from,
                to,
                assignment,
                ..
            } => {
                need(&[Status::Assigned])?;
                if *from != current_level {
                    return Err(TransitionError::WrongLevel {
                        case: cid(),
                        current: current_level,
                        from: *from,
                    });
                }
                if current_level == Level::Department {
                    return Err(TransitionError::AboveTop { case: cid() });
                }
                if to <= from || assignment.level != *to {
                    return Err(TransitionError::NotUpward {
                        case: cid(),
                        from: *from,
                        to: assignment.level.max(*to),
                    });
                }
            }
            Event::Returned { reason, .. } => {
                need(&[Status::Assigned])?;
                non_empty(reason, "reason")?;
            }
            Event::Paused { reason } => {
                need(&[Status::Assigned])?;
                non_empty(reason, "reason")?;
            }
            Event::Resumed {} => need(&[Status::Paused])?,
            Event::MediationFailed { note } => {
                need(&[Status::Assigned])?;
                non_empty(note, "note")?;
            }
            Event::Consulted { office, opinion } => {
                need(&[Status::Assigned, Status::Paused])?;
                non_empty(opinion, "opinion")?;
                let consulting = cur
                    .assignment
                    .as_ref()
                    .filter(|a| a.has_flag("joint_consultation"));
                let known = consulting.is_some_and(|a| {
                    a.office.as_ref() == Some(office) || a.co_offices.contains(office)
                });
                if !known {
                    return Err(TransitionError::NotConsulting {
                        case: cid(),
                        office: office.to_string(),
                        expected: consulting
                            .map(|a| {
                                a.office
                                    .iter()
                                    .chain(a.co_offices.iter())
                                    .cloned()
                                    .collect()
                            })
                            .unwrap_or_default(),
                    });
                }
            }
            Event::Reminded { stage } => {
                need(&[Status::Assigned])?;
                if *stage <= cur.reminded || *stage >= 100 {
                    return Err(TransitionError::ReminderStage {
                        case: cid(),
                        stage: *stage,
                        last: cur.reminded,
                    });
                }
            }
            Event::Resolved { level, how } => {
                need(&[Status::Assigned])?;
                non_empty(how, "how")?;
                if *level > current_level {
                    return Err(TransitionError::ResolvedAbove {
                        case: cid(),
                        level: *level,
                        current: current_level,
                    });
                }
                let missing = cur.consultation_missing();
                if !missing.is_empty() {
                    return Err(TransitionError::ConsultationIncomplete {
                        case: cid(),
                        missing,
                    });
                }
            }
            Event::Evaluated { satisfaction, .. } => {
                need(&[Status::Resolved])?;
                if !(1..=5).contains(satisfaction) {
                    return Err(TransitionError::Satisfaction {
                        case: cid(),
                        given: *satisfaction,
                    });
                }
            }
            Event::Reopened { assignment, reason } => {
                need(&[Status::Resolved, Status::Closed, Status::Shelved])?;
                if *reason == ReopenReason::ReviewRequested {
                    petition_at(PetitionStep::ReviewRequested)?;
                }
                let previous = cur
                    .resolved_level
                    .or(cur.level())
                    .unwrap_or(Level::MicroGrid);
                if assignment.level < previous {
                    return Err(TransitionError::ReopenBelow {
                        case: cid(),
                        level: assignment.level,
                        previous,
                    });
                }
            }
            Event::Shelved { explanation } => {
                need(&[Status::Assigned])?;
                non_empty(explanation, "explanation")?;
            }
            Event::PetitionAccepted { .. } => {
                need(&[Status::Assigned, Status::Paused])?;
                petition_at(PetitionStep::Acceptance)?;
            }
            Event::Extended { days, approval } => {
                need(&[Status::Assigned, Status::Paused])?;
                petition_at(PetitionStep::Handling)?;
                if *days == 0 {
                    return Err(TransitionError::NoDays { case: cid() });
                }
                non_empty(approval, "approval")?;
            }
            Event::ReviewRequested { reason } => {
                need(&[Status::Resolved, Status::Closed])?;
                petition_at(PetitionStep::Replied)?;
                non_empty(reason, "reason")?;
            }
            Event::ThirdPartyJoined { name, part, .. } => {
                need(&[
                    Status::Accepted,
                    Status::Assigned,
                    Status::Paused,
                    Status::Resolved,
                ])?;
                non_empty(name, "name")?;
                non_empty(part, "part")?;
            }
            Event::Supervised { order, .. } => {
                need(&[Status::Assigned, Status::Paused])?;
                non_empty(order, "order")?;
            }
            Event::SupervisionAnswered { answer } => {
                need(&[Status::Assigned, Status::Paused, Status::Resolved])?;
                non_empty(answer, "answer")?;
                if cur.closed_loop.open_supervisions().next().is_none() {
                    return Err(TransitionError::NoSupervision { case: cid() });
                }
            }
            Event::Verified { note, .. } => {
                need(&[Status::Resolved])?;
                non_empty(note, "note")?;
                if cur.resolved_by.as_ref() == Some(&r.actor) {
                    return Err(TransitionError::SelfVerification {
                        case: cid(),
                        actor: r.actor.to_string(),
                    });
                }
            }
            Event::CalledBack { satisfaction, .. } => {
                need(&[Status::Resolved, Status::Closed])?;
                if !(1..=5).contains(satisfaction) {
                    return Err(TransitionError::Satisfaction {
                        case: cid(),
                        given: *satisfaction,
                    });
                }
            }
            Event::SignedOff { note } => {
                need(&[Status::Shelved])?;
                non_empty(note, "note")?;
                if let Some((at, _)) = &cur.closed_loop.signed_off {
                    return Err(TransitionError::SignedOff {
                        case: cid(),
                        at: *at,
                    });
                }
            }
            Event::Merged { into } => {
                need(&[Status::Reported, Status::Accepted])?;
                let target = |reason| TransitionError::MergeTarget {
                    case: cid(),
                    into: into.to_string(),
                    reason,
                };
                if into == case_id {
                    return Err(target("a case cannot join itself"));
                }
                let tpos = self
                    .index
                    .get(&self.cases, into.as_str())
                    .ok_or_else(|| target("no such case"))?;
                let Some(t) = self.cases.get(tpos as usize) else {
                    return Err(target("no such case"));
                };
                if t.status == Status::Merged {
                    return Err(target("it is itself merged; join the case it joined"));
                }
                if r.at < t.last_at {
                    return Err(TransitionError::Backwards {
                        case: into.to_string(),
                        event,
                        at: r.at,
                        last: t.last_at,
                    });
                }
                return Ok(Target::Merge(pos, tpos));
            }
        }
        Ok(Target::Case(pos))
    }

    /// Checks an event and folds it in; on an error nothing has changed. Returns the
    /// position of the case (`NO_CASE` for a visit).
    pub(super) fn step(&mut self, r: &EventRecord) -> Result<u32, TransitionError> {
        let pos = self.fold(r)?;
        if let Some(c) = self.cases.get(pos as usize) {
            self.due.update(pos, c);
        }
        Ok(pos)
    }

    /// [`step`](Self::step) but for the due index.
    fn fold(&mut self, r: &EventRecord) -> Result<u32, TransitionError> {
        let target = self.validate(r)?;
        self.events = self.events.saturating_add(1);
        let pos = match target {
            Target::Work => {
                self.fold_work(r);
                return Ok(NO_CASE);
            }
            Target::New => {
                let pos = u32::try_from(self.cases.len()).unwrap_or(NO_CASE);
                if let Event::Reported { case } = &r.event {
                    self.create(case, r);
                }
                return Ok(pos);
            }
            Target::Merge(pos, tpos) => {
                if let (Some(t), Some(id)) = (self.cases.get_mut(tpos as usize), &r.case) {
                    push_lean(&mut t.extras.merged_from, id.clone());
                    t.last_at = r.at;
                    t.events = t.events.saturating_add(1);
                }
                pos
            }
            Target::Case(pos) => pos,
        };
        let Some(st) = self.cases.get_mut(pos as usize) else {
            return Ok(pos);
        };
        st.last_at = r.at;
        st.events = st.events.saturating_add(1);
        let mut moved = false;
        match &r.event {
            Event::Reported { .. }
            | Event::Visited { .. }
            | Event::FollowedUp { .. }
            | Event::MeetingHeld { .. } => {}
            Event::TeamAssigned { team, .. } => st.extras.team = Some(team.clone()),
            Event::Accepted {} => {
                st.status = Status::Accepted;
                st.accepted_at = Some(r.at);
                st.owner = r.actor.clone();
            }
            Event::Assigned { assignment } => {
                if st.accepted_at.is_none() {
                    st.accepted_at = Some(r.at);
                }
                if st.first_assigned_at.is_none() {
                    st.first_assigned_at = Some(r.at);
                }
                st.dispatcher = Some(r.actor.clone());
                take_assignment(st, assignment, r);
                st.status = Status::Assigned;
                st.extras.edit_if_any(|e| e.amendment_pending = false);
                if assignment.has_flag(PETITION_PROCEDURE) && st.closed_loop.petition.is_none() {
                    st.closed_loop.petition = Some(PetitionState {
                        step: PetitionStep::Acceptance,
                        received_at: st.case.reported_at,
                        accepted_at: None,
                        extended_days: 0,
                        extensions: 0,
                        replied_at: None,
                        review_requested_at: None,
                    });
                }
            }
            Event::Escalated {
                from,
                to,
                reason,
                assignment,
            } => {
                push_lean(&mut st.escalations, (*from, *to, *reason));
                st.extras.edit_if_any(|e| e.mediation_failed = false);
                if *reason == EscalationReason::SupervisionIgnored {
                    for o in &mut st.closed_loop.supervisions {
                        if o.is_open() {
                            o.escalated = true;
                        }
                    }
                }
                take_assignment(st, assignment, r);
            }
            Event::Returned {
                category, location, ..
            } => {
                st.status = Status::Returned;
                st.returns = st.returns.saturating_add(1);
                if let Some(c) = category {
                    moved |= *c != st.category;
                    st.category = c.clone();
                }
                if let Some(l) = location {
                    moved |= *l != st.location;
                    st.location = l.clone();
                }
                st.owner = st.dispatcher.clone().unwrap_or_else(|| r.actor.clone());
            }
            Event::Paused { .. } => {
                st.status = Status::Paused;
                push_lean(
                    &mut st.pauses,
                    Pause {
                        from: r.at,
                        to: None,
                    },
                );
            }
            Event::Resumed {} => {
                st.status = Status::Assigned;
                if let Some(p) = st.pauses.last_mut() {
                    p.to = Some(r.at);
                }
            }
            Event::MediationFailed { .. } => st.extras.mediation_failed = true,
            Event::Consulted { office, opinion } => {
                match st.extras.consulted.iter_mut().find(|(o, _)| o == office) {
                    Some(slot) => slot.1.clone_from(opinion),
                    None => push_lean(&mut st.extras.consulted, (office.clone(), opinion.clone())),
                }
            }
            Event::Reminded { stage } => st.reminded = *stage,
            Event::Resolved { level, .. } => {
                st.status = Status::Resolved;
                st.resolved_at = Some(r.at);
                st.resolved_level = Some(*level);
                st.resolved_by = Some(r.actor.clone());
                st.resolved_assignment.clone_from(&st.assignment);
                st.resolved_pauses.clone_from(&st.pauses);
                st.extras.edit_if_any(|e| e.mediation_failed = false);
                // An empty loop stays empty (and takes no room): nothing here changes it.
                if !st.closed_loop.is_empty() {
                    let lp = &mut st.closed_loop;
                    lp.verified_at = None;
                    for o in &mut lp.supervisions {
                        if o.is_open() {
                            o.answered_at = Some(r.at);
                        }
                    }
                    if let Some(p) = &mut lp.petition {
                        match p.step {
                            PetitionStep::Acceptance | PetitionStep::Handling => {
                                p.step = PetitionStep::Replied;
                                p.replied_at = Some(r.at);
                            }
                            PetitionStep::Review => p.step = PetitionStep::Reviewed,
                            _ => {}
                        }
                    }
                }
            }
            Event::Evaluated { satisfaction, .. } => {
                st.status = Status::Closed;
                st.satisfaction = Some(*satisfaction);
                st.evaluated_at = Some(r.at);
            }
            Event::CalledBack { satisfaction, .. } => {
                // On a case the resident already evaluated, the call-back is recorded and
                // their own evaluation stands.
                if st.status == Status::Resolved {
                    st.status = Status::Closed;
                    st.satisfaction = Some(*satisfaction);
                    st.evaluated_at = Some(r.at);
                }
                st.closed_loop.called_back_at = Some(r.at);
            }
            Event::Reopened { assignment, reason } => {
                st.reopens = st.reopens.saturating_add(1);
                st.status = Status::Assigned;
                st.extras.edit_if_any(|e| {
                    e.shelved = None;
                    e.consulted = ThinVec::new();
                });
                if !st.closed_loop.is_empty() {
                    st.closed_loop.shelved_at = None;
                    st.closed_loop.signed_off = None;
                    if let Some(p) = &mut st.closed_loop.petition {
                        if *reason == ReopenReason::ReviewRequested {
                            p.step = PetitionStep::Review;
                        }
                    }
                }
                take_assignment(st, assignment, r);
            }
            Event::Shelved { explanation } => {
                st.status = Status::Shelved;
                st.extras.shelved = Some(explanation.as_str().into());
                st.closed_loop.shelved_at = Some(r.at);
            }
            Event::PetitionAccepted { .. } => {
                if let Some(p) = &mut st.closed_loop.petition {
                    p.step = PetitionStep::Handling;
                    p.accepted_at = Some(r.at);
                }
            }
            Event::Extended { days, .. } => {
                if let Some(p) = &mut st.closed_loop.petition {
                    p.extended_days = p.extended_days.saturating_add(*days);
                    p.extensions = p.extensions.saturating_add(1);
                }
            }
            Event::ReviewRequested { .. } => {
                if let Some(p) = &mut st.closed_loop.petition {
                    p.step = PetitionStep::ReviewRequested;
                    p.review_requested_at = Some(r.at);
                }
            }
            Event::ThirdPartyJoined { party, name, part } => {
                st.closed_loop.third_parties.push(ThirdPartyPart {
                    party: *party,
                    name: name.clone(),
                    part: part.clone(),
                    at: r.at,
                });
            }
            Event::Supervised { order, within } => st.closed_loop.supervisions.push(Supervision {
                at: r.at,
                by: r.actor.clone(),
                order: order.clone(),
                within: *within,
                answered_at: None,
                escalated: false,
            }),
            Event::SupervisionAnswered { .. } => {
                for o in &mut st.closed_loop.supervisions {
                    if o.is_open() {
                        o.answered_at = Some(r.at);
                    }
                }
            }
            Event::Verified { passed, .. } => {
                let lp = &mut st.closed_loop;
                lp.verifications = lp.verifications.saturating_add(1);
                if *passed {
                    lp.verifications_passed = lp.verifications_passed.saturating_add(1);
                    lp.verified_at = Some(r.at);
                } else {
                    // Sent back to the handler: the resolution no longer stands.
                    st.status = Status::Assigned;
                    st.resolved_at = None;
                    st.resolved_level = None;
                    st.resolved_by = None;
                    st.resolved_assignment = None;
                    st.resolved_pauses = ThinVec::new();
                    if let Some(p) = &mut lp.petition {
                        if p.step == PetitionStep::Replied {
                            p.step = PetitionStep::Handling;
                            p.replied_at = None;
                        } else if p.step == PetitionStep::Reviewed {
                            p.step = PetitionStep::Review;
                        }
                    }
                }
            }
            Event::SignedOff { .. } => {
                st.closed_loop.signed_off = Some((r.at, r.actor.clone()));
            }
            Event::Amended {
                facts: amendment, ..
            } => {
                let mut facts = (**st.facts()).clone();
                amendment.apply_to(&mut facts);
                st.extras.amended = Some(Arc::new(facts));
                st.extras.amendment_pending =
                    matches!(st.status, Status::Assigned | Status::Paused);
            }
            Event::Merged { into } => {
                st.status = Status::Merged;
                st.extras.merged_into = Some(into.clone());
            }
        }
        if moved {
            let key = (st.category.clone(), st.location.clone());
            self.places.entry(key).or_default().push(pos);
        }
        Ok(pos)
    }

    /// Adds a newly reported case.
    fn create(&mut self, case: &Arc<Case>, r: &EventRecord) {
        let i = u32::try_from(self.cases.len()).unwrap_or(u32::MAX);
        self.places
            .entry((case.category.clone(), case.location.clone()))
            .or_default()
            .push(i);
        self.cases.push(CaseState {
            case: Arc::clone(case),
            status: Status::Reported,
            owner: r.actor.clone(),
            category: case.category.clone(),
            location: case.location.clone(),
            accepted_at: None,
            assignment: None,
            assigned_at: None,
            first_assigned_at: None,
            dispatcher: None,
            first_handler: None,
            followers: ThinVec::new(),
            pauses: ThinVec::new(),
            escalations: ThinVec::new(),
            returns: 0,
            reopens: 0,
            reminded: 0,
            resolved_at: None,
            resolved_level: None,
            resolved_by: None,
            resolved_assignment: None,
            resolved_pauses: ThinVec::new(),
            satisfaction: None,
            evaluated_at: None,
            last_at: r.at,
            events: 1,
            closed_loop: LoopBox::default(),
            extras: super::state::Extras::default(),
        });
        self.index.insert_new(&self.cases, i);
    }
}

/// Adds `item` to one of a case's lists, taking room for just one at the first: most
/// cases' lists hold one item or none, where a first push would take room for four.
fn push_lean<T>(list: &mut ThinVec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

/// Takes a new decision: the previous handler follows, the clock restarts.
fn take_assignment(next: &mut CaseState, assignment: &Arc<Assignment>, r: &EventRecord) {
    if let Some(previous) = next.assignment.as_ref().and_then(|a| a.handler.clone()) {
        if Some(&previous) != assignment.handler.as_ref() && !next.followers.contains(&previous) {
            push_lean(&mut next.followers, previous);
        }
    }
    if next.first_handler.is_none() {
        next.first_handler.clone_from(&assignment.handler);
    }
    if let Some(f) = &assignment.following {
        if Some(f) != assignment.handler.as_ref() && !next.followers.contains(f) {
            push_lean(&mut next.followers, f.clone());
        }
    }
    next.owner = assignment
        .handler
        .clone()
        .unwrap_or_else(|| r.actor.clone());
    next.assignment = Some(Arc::clone(assignment));
    next.assigned_at = Some(r.at);
    // Dropped, not cleared: an empty list takes no room.
    next.pauses = ThinVec::new();
    next.reminded = 0;
}
