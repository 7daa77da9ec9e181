//! The ledger: an append-only list of events and the state they fold into.
//!
//! `append` checks each event against the case's current state and refuses an invalid one
//! with a typed error, leaving the ledger unchanged. The state of a case, and of the whole
//! ledger, is a fold of the events: replaying them from any snapshot gives the same state.
//!
//! ```
//! use gridgov::case::ledger::{Ledger, Status};
//!
//! let mut ledger = Ledger::from_json_str(r#"{"format": 1, "events": [
//!   {"case": "c1", "at": "2026-03-02T09:00:00+08:00", "actor": "fs-gw001",
//!    "event": {"type": "reported", "case": {"id": "c1", "channel": "visit",
//!      "category": "livelihood", "location": "fs-c01-g01-m1",
//!      "reported_at": "2026-03-02T09:00:00+08:00"}}},
//!   {"case": "c1", "at": "2026-03-02T09:10:00+08:00", "actor": "fs-gw001",
//!    "event": {"type": "accepted"}}
//! ]}"#)?;
//! assert_eq!(ledger.case("c1").unwrap().status, Status::Accepted);
//! // Evaluating a case that is not resolved is refused, and nothing changes.
//! let bad = r#"{"case": "c1", "at": "2026-03-02T10:00:00+08:00", "actor": "resident",
//!   "event": {"type": "evaluated", "satisfaction": 5}}"#;
//! let err = ledger.append_json_str(bad).unwrap_err();
//! assert_eq!(err.code(), "invalid_transition");
//! assert_eq!(ledger.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Case;
use super::event::{ActorId, Assignment, EscalationReason, Event, EventRecord, LEDGER_FORMAT};
use crate::calendar::Pause;
use crate::id::{CaseId, Category, OfficeId, PersonId, UnitId};
use crate::macros::named_enum;
use crate::org::Level;
use crate::time::Timestamp;

named_enum! {
    /// Where a case is in its life. Every case is in exactly one.
    Status, "status" {
        /// 已上报: reported, not yet taken in.
        Reported = "reported",
        /// 已受理: taken in, not yet routed.
        Accepted = "accepted",
        /// 办理中: routed to a level and a handler; the clock runs.
        Assigned = "assigned",
        /// 缓办: the clock is stopped.
        Paused = "paused",
        /// 已退回: sent back as misrouted, to be routed again.
        Returned = "returned",
        /// 已办结: resolved, awaiting the resident's evaluation.
        Resolved = "resolved",
        /// 已评价: resolved and evaluated.
        Closed = "closed",
        /// 挂账: shelved as unresolved, with an explanation.
        Shelved = "shelved",
        /// 已合并: joined to an earlier case as a repeat report.
        Merged = "merged",
    }
}

impl Status {
    /// Whether the case is still being handled (not resolved, closed, shelved or merged).
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            Self::Reported | Self::Accepted | Self::Assigned | Self::Paused | Self::Returned
        )
    }
}

/// A case's state: the fold of its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseState {
    /// The case as reported.
    pub case: Arc<Case>,
    /// Where it is in its life.
    pub status: Status,
    /// Who answers for it now: the current handler, or whoever holds it before it is routed.
    pub owner: ActorId,
    /// Its category now (a return may correct it).
    pub category: Category,
    /// Its location now (a return may correct it).
    pub location: UnitId,
    /// When it was taken in (受理).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    /// The current routing decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Arc<Assignment>>,
    /// When the current decision was made: its clock starts here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_at: Option<Timestamp>,
    /// When the case was first routed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_assigned_at: Option<Timestamp>,
    /// Who routed it last (it returns to them when sent back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatcher: Option<ActorId>,
    /// The first handler (首办责任人): stays on the case as a follower when it climbs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_handler: Option<PersonId>,
    /// Earlier handlers who follow the case (全程跟踪).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub followers: Vec<PersonId>,
    /// Pauses since the current decision (缓办).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Pause>,
    /// Every climb: from, to, why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<(Level, Level, EscalationReason)>,
    /// Times it was sent back as misrouted.
    #[serde(default)]
    pub returns: u32,
    /// Times it was reopened.
    #[serde(default)]
    pub reopens: u32,
    /// Repeat reports joined to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<CaseId>,
    /// The case it joined, if it is a repeat report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<CaseId>,
    /// A failed mediation not yet answered by a climb.
    #[serde(default)]
    pub mediation_failed: bool,
    /// Offices that have given their part in a joint consultation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consulted: Vec<(OfficeId, String)>,
    /// The last reminder stage sent for the current decision.
    #[serde(default)]
    pub reminded: u8,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    /// The level that resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_level: Option<Level>,
    /// Who resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<ActorId>,
    /// The due date in force when it was resolved (pauses not yet counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_assignment: Option<Arc<Assignment>>,
    /// The pauses in force when it was resolved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved_pauses: Vec<Pause>,
    /// The resident's satisfaction, 1-5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// When it was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluated_at: Option<Timestamp>,
    /// Why it was shelved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelved: Option<String>,
    /// When it last changed.
    pub last_at: Timestamp,
    /// Events about it.
    pub events: u32,
}

impl CaseState {
    /// How many times the same matter was reported: the case's own count plus the repeat
    /// reports joined to it.
    #[must_use]
    pub fn repeat_count(&self) -> u32 {
        self.case
            .repeat_count
            .saturating_add(u32::try_from(self.merged_from.len()).unwrap_or(u32::MAX))
    }

    /// The level it is handled at now.
    #[must_use]
    pub fn level(&self) -> Option<Level> {
        self.assignment.as_ref().map(|a| a.level)
    }

    /// When it stopped being open (resolved, shelved or merged).
    #[must_use]
    pub fn closed_at(&self) -> Option<Timestamp> {
        match self.status {
            Status::Resolved | Status::Closed => self.resolved_at,
            Status::Shelved | Status::Merged => Some(self.last_at),
            _ => None,
        }
    }

    /// The offices of a joint consultation that have not given their part.
    #[must_use]
    pub fn consultation_missing(&self) -> Vec<OfficeId> {
        match &self.assignment {
            Some(a) if a.has_flag("joint_consultation") => a
                .office
                .iter()
                .chain(a.co_offices.iter())
                .filter(|o| !self.consulted.iter().any(|(c, _)| c == *o))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A grid worker's household visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// The micro-grid or grid visited.
    pub unit: UnitId,
    /// Households visited.
    pub households: u32,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: ActorId,
}

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
    /// A visit is not about one case.
    #[error("a `visited` event is not about one case; leave out `case` (it was `{case}`)")]
    CaseOnVisit {
        /// The case given.
        case: String,
    },
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
            Self::CaseOnVisit { .. } => "case_on_visit",
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
        }
    }
}

/// A ledger document could not be read or replayed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// Not valid JSON, or not a ledger's shape.
    #[error("{what} does not parse at line {line}, column {column}: {message}")]
    Parse {
        /// What was read (`ledger`, `event`, `snapshot`).
        what: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document names a format this library does not read.
    #[error("unsupported ledger format {found}; this library reads format {expected}")]
    Format {
        /// Given.
        found: u32,
        /// Supported.
        expected: u32,
    },
    /// An event was refused.
    #[error("event {index}: {error}")]
    Refused {
        /// The event's position (0-based) in the list given.
        index: usize,
        /// Why.
        error: TransitionError,
    },
}

impl LedgerError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "ledger_parse",
            Self::Format { .. } => "unsupported_format",
            Self::Refused { error, .. } => error.code(),
        }
    }

    pub(crate) fn parse(what: &'static str, e: &serde_json::Error) -> Self {
        Self::Parse {
            what,
            line: e.line(),
            column: e.column(),
            message: crate::error::strip_position(&e.to_string()),
        }
    }
}

/// The ledger document: `{"format": 1, "events": [...]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerDoc {
    format: u32,
    events: Vec<EventRecord>,
}

/// The state of a whole ledger: every case's state and the visits, after some number of
/// events. It serialises to a snapshot and loads back losslessly.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerState {
    /// Snapshot format; [`LEDGER_FORMAT`].
    format: u32,
    /// How many events have been folded in.
    events: u64,
    /// Case states, in the order the cases were reported.
    cases: Vec<CaseState>,
    /// Household visits, in order.
    visits: Vec<Visit>,
    /// Case id → position.
    #[serde(skip)]
    index: HashMap<CaseId, u32, rustc_hash::FxBuildHasher>,
    /// (category, location) → positions of the cases reported there, for repeat matching.
    #[serde(skip)]
    places: HashMap<(Category, UnitId), Vec<u32>, rustc_hash::FxBuildHasher>,
}

impl PartialEq for LedgerState {
    fn eq(&self, other: &Self) -> bool {
        self.events == other.events && self.cases == other.cases && self.visits == other.visits
    }
}

impl Eq for LedgerState {}

/// How to take a change back.
enum Undo {
    New,
    Update(u32, Option<Box<CaseState>>, bool),
    Merge(Vec<(u32, Box<CaseState>)>),
    Visit,
}

/// What an event does once it is checked.
enum Change {
    New(Box<CaseState>),
    Update(u32, Box<CaseState>),
    Merge {
        case: (u32, Box<CaseState>),
        target: (u32, Box<CaseState>),
    },
    Visit(Visit),
}

impl LedgerState {
    /// An empty state.
    #[must_use]
    pub fn new() -> Self {
        Self {
            format: LEDGER_FORMAT,
            ..Self::default()
        }
    }

    /// How many events have been folded in.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Every case's state, in the order the cases were reported.
    #[must_use]
    pub fn cases(&self) -> &[CaseState] {
        &self.cases
    }

    /// Household visits, in order.
    #[must_use]
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// A case's state.
    #[must_use]
    pub fn case(&self, id: &str) -> Option<&CaseState> {
        self.index.get(id).and_then(|&i| self.cases.get(i as usize))
    }

    /// The cases reported with this category at this location, oldest first.
    pub fn at_place<'a>(
        &'a self,
        category: &Category,
        location: &UnitId,
    ) -> impl Iterator<Item = &'a CaseState> + 'a {
        let key = (category.clone(), location.clone());
        let positions = self.places.get(&key).map_or(&[][..], Vec::as_slice);
        positions
            .iter()
            .filter_map(|&i| self.cases.get(i as usize))
            .filter(move |c| c.category == key.0 && c.location == key.1)
    }

    /// The snapshot as JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }

    /// Loads a snapshot.
    ///
    /// # Errors
    /// [`LedgerError::Parse`], or a format this library does not read.
    pub fn from_json_str(json: &str) -> Result<Self, LedgerError> {
        let mut s: LedgerState =
            serde_json::from_str(json).map_err(|e| LedgerError::parse("snapshot", &e))?;
        if s.format != LEDGER_FORMAT {
            return Err(LedgerError::Format {
                found: s.format,
                expected: LEDGER_FORMAT,
            });
        }
        s.reindex();
        Ok(s)
    }

    fn reindex(&mut self) {
        self.index.clear();
        self.places.clear();
        for (i, c) in self.cases.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            self.index.insert(c.case.id.clone(), i);
            self.places
                .entry((c.category.clone(), c.location.clone()))
                .or_default()
                .push(i);
            if c.case.category != c.category || c.case.location != c.location {
                self.places
                    .entry((c.case.category.clone(), c.case.location.clone()))
                    .or_default()
                    .push(i);
            }
        }
    }

    /// Folds one event in, or refuses it and changes nothing.
    ///
    /// # Errors
    /// [`TransitionError`] naming the case, the event and what would be valid.
    pub fn apply(&mut self, r: &EventRecord) -> Result<(), TransitionError> {
        let change = self.check(r)?;
        self.commit(change);
        Ok(())
    }

    /// Folds events in, all or none.
    fn apply_all(&mut self, records: &[EventRecord]) -> Result<(), LedgerError> {
        let mut undos = Vec::with_capacity(records.len());
        for (index, r) in records.iter().enumerate() {
            match self.check(r) {
                Ok(change) => undos.push(self.commit(change)),
                Err(error) => {
                    while let Some(u) = undos.pop() {
                        self.undo(u);
                    }
                    return Err(LedgerError::Refused { index, error });
                }
            }
        }
        Ok(())
    }

    fn position(&self, case: &CaseId) -> Result<u32, TransitionError> {
        self.index
            .get(case)
            .copied()
            .ok_or_else(|| TransitionError::UnknownCase {
                case: case.to_string(),
            })
    }

    /// Checks an event and works out its effect, without changing anything.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per event type keeps the state machine in one place"
    )]
    fn check(&self, r: &EventRecord) -> Result<Change, TransitionError> {
        let event = r.event.kind();
        if let Event::Visited { unit, households } = &r.event {
            if let Some(c) = &r.case {
                return Err(TransitionError::CaseOnVisit {
                    case: c.to_string(),
                });
            }
            return Ok(Change::Visit(Visit {
                unit: unit.clone(),
                households: *households,
                at: r.at,
                actor: r.actor.clone(),
            }));
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
            if self.index.contains_key(case_id) {
                return Err(TransitionError::DuplicateCase { case: cid() });
            }
            return Ok(Change::New(Box::new(CaseState {
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
                followers: Vec::new(),
                pauses: Vec::new(),
                escalations: Vec::new(),
                returns: 0,
                reopens: 0,
                merged_from: Vec::new(),
                merged_into: None,
                mediation_failed: false,
                consulted: Vec::new(),
                reminded: 0,
                resolved_at: None,
                resolved_level: None,
                resolved_by: None,
                resolved_assignment: None,
                resolved_pauses: Vec::new(),
                satisfaction: None,
                evaluated_at: None,
                shelved: None,
                last_at: r.at,
                events: 1,
            })));
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
        let mut next = cur.clone();
        next.last_at = r.at;
        next.events = next.events.saturating_add(1);
        let current_level = cur.level().unwrap_or(Level::MicroGrid);
        match &r.event {
            Event::Reported { .. } | Event::Visited { .. } => {}
            Event::Accepted {} => {
                need(&[Status::Reported])?;
                next.status = Status::Accepted;
                next.accepted_at = Some(r.at);
                next.owner = r.actor.clone();
            }
            Event::Assigned { assignment } => {
                need(&[Status::Reported, Status::Accepted, Status::Returned])?;
                if next.accepted_at.is_none() {
                    next.accepted_at = Some(r.at);
                }
                if next.first_assigned_at.is_none() {
                    next.first_assigned_at = Some(r.at);
                }
                next.dispatcher = Some(r.actor.clone());
                take_assignment(&mut next, assignment, r);
                next.status = Status::Assigned;
            }
            Event::Escalated {
                from,
                to,
                reason,
                assignment,
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
                next.escalations.push((*from, *to, *reason));
                next.mediation_failed = false;
                take_assignment(&mut next, assignment, r);
            }
            Event::Returned {
                reason,
                category,
                location,
            } => {
                need(&[Status::Assigned])?;
                non_empty(reason, "reason")?;
                next.status = Status::Returned;
                next.returns = next.returns.saturating_add(1);
                if let Some(c) = category {
                    next.category = c.clone();
                }
                if let Some(l) = location {
                    next.location = l.clone();
                }
                next.owner = next.dispatcher.clone().unwrap_or_else(|| r.actor.clone());
            }
            Event::Paused { reason } => {
                need(&[Status::Assigned])?;
                non_empty(reason, "reason")?;
                next.status = Status::Paused;
                next.pauses.push(Pause {
                    from: r.at,
                    to: None,
                });
            }
            Event::Resumed {} => {
                need(&[Status::Paused])?;
                next.status = Status::Assigned;
                if let Some(p) = next.pauses.last_mut() {
                    p.to = Some(r.at);
                }
            }
            Event::MediationFailed { note } => {
                need(&[Status::Assigned])?;
                non_empty(note, "note")?;
                next.mediation_failed = true;
            }
            Event::Consulted { office, opinion } => {
                need(&[Status::Assigned, Status::Paused])?;
                non_empty(opinion, "opinion")?;
                let expected: Vec<OfficeId> = cur
                    .assignment
                    .as_ref()
                    .filter(|a| a.has_flag("joint_consultation"))
                    .map(|a| {
                        a.office
                            .iter()
                            .chain(a.co_offices.iter())
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                if !expected.contains(office) {
                    return Err(TransitionError::NotConsulting {
                        case: cid(),
                        office: office.to_string(),
                        expected,
                    });
                }
                match next.consulted.iter_mut().find(|(o, _)| o == office) {
                    Some(slot) => slot.1.clone_from(opinion),
                    None => next.consulted.push((office.clone(), opinion.clone())),
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
                next.reminded = *stage;
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
                next.status = Status::Resolved;
                next.resolved_at = Some(r.at);
                next.resolved_level = Some(*level);
                next.resolved_by = Some(r.actor.clone());
                next.resolved_assignment.clone_from(&cur.assignment);
                next.resolved_pauses.clone_from(&cur.pauses);
                next.mediation_failed = false;
            }
            Event::Evaluated {
                satisfaction,
                comment: _,
            } => {
                need(&[Status::Resolved])?;
                if !(1..=5).contains(satisfaction) {
                    return Err(TransitionError::Satisfaction {
                        case: cid(),
                        given: *satisfaction,
                    });
                }
                next.status = Status::Closed;
                next.satisfaction = Some(*satisfaction);
                next.evaluated_at = Some(r.at);
            }
            Event::Reopened { reason, assignment } => {
                need(&[Status::Resolved, Status::Closed, Status::Shelved])?;
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
                let _ = reason;
                next.reopens = next.reopens.saturating_add(1);
                next.status = Status::Assigned;
                next.shelved = None;
                next.consulted.clear();
                take_assignment(&mut next, assignment, r);
            }
            Event::Shelved { explanation } => {
                need(&[Status::Assigned])?;
                non_empty(explanation, "explanation")?;
                next.status = Status::Shelved;
                next.shelved = Some(explanation.clone());
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
                    .get(into)
                    .copied()
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
                next.status = Status::Merged;
                next.merged_into = Some(into.clone());
                let mut tnext = t.clone();
                tnext.merged_from.push(case_id.clone());
                tnext.last_at = r.at;
                tnext.events = tnext.events.saturating_add(1);
                return Ok(Change::Merge {
                    case: (pos, Box::new(next)),
                    target: (tpos, Box::new(tnext)),
                });
            }
        }
        Ok(Change::Update(pos, Box::new(next)))
    }

    fn commit(&mut self, change: Change) -> Undo {
        self.events = self.events.saturating_add(1);
        match change {
            Change::New(state) => {
                let i = u32::try_from(self.cases.len()).unwrap_or(u32::MAX);
                self.index.insert(state.case.id.clone(), i);
                self.places
                    .entry((state.category.clone(), state.location.clone()))
                    .or_default()
                    .push(i);
                self.cases.push(*state);
                Undo::New
            }
            Change::Update(i, state) => {
                let moved = self
                    .cases
                    .get(i as usize)
                    .is_some_and(|c| c.category != state.category || c.location != state.location);
                if moved {
                    self.places
                        .entry((state.category.clone(), state.location.clone()))
                        .or_default()
                        .push(i);
                }
                let old = self
                    .cases
                    .get_mut(i as usize)
                    .map(|slot| std::mem::replace(slot, *state));
                Undo::Update(i, old.map(Box::new), moved)
            }
            Change::Merge { case, target } => {
                let mut olds = Vec::with_capacity(2);
                for (i, state) in [case, target] {
                    if let Some(slot) = self.cases.get_mut(i as usize) {
                        olds.push((i, Box::new(std::mem::replace(slot, *state))));
                    }
                }
                Undo::Merge(olds)
            }
            Change::Visit(v) => {
                self.visits.push(v);
                Undo::Visit
            }
        }
    }

    /// Takes back the last change.
    fn undo(&mut self, undo: Undo) {
        self.events = self.events.saturating_sub(1);
        match undo {
            Undo::New => {
                if let Some(state) = self.cases.pop() {
                    self.index.remove(&state.case.id);
                    let key = (state.category.clone(), state.location.clone());
                    if let Some(v) = self.places.get_mut(&key) {
                        v.pop();
                        if v.is_empty() {
                            self.places.remove(&key);
                        }
                    }
                }
            }
            Undo::Update(i, old, moved) => {
                if let Some(slot) = self.cases.get_mut(i as usize) {
                    if moved {
                        let key = (slot.category.clone(), slot.location.clone());
                        if let Some(v) = self.places.get_mut(&key) {
                            v.pop();
                        }
                    }
                    if let Some(old) = old {
                        *slot = *old;
                    }
                }
            }
            Undo::Merge(olds) => {
                for (i, old) in olds {
                    if let Some(slot) = self.cases.get_mut(i as usize) {
                        *slot = *old;
                    }
                }
            }
            Undo::Visit => {
                self.visits.pop();
            }
        }
    }
}

/// Takes a new decision: the previous handler follows, the clock restarts.
fn take_assignment(next: &mut CaseState, assignment: &Arc<Assignment>, r: &EventRecord) {
    if let Some(previous) = next.assignment.as_ref().and_then(|a| a.handler.clone()) {
        if Some(&previous) != assignment.handler.as_ref() && !next.followers.contains(&previous) {
            next.followers.push(previous);
        }
    }
    if next.first_handler.is_none() {
        next.first_handler.clone_from(&assignment.handler);
    }
    next.owner = assignment
        .handler
        .clone()
        .unwrap_or_else(|| r.actor.clone());
    next.assignment = Some(Arc::clone(assignment));
    next.assigned_at = Some(r.at);
    next.pauses.clear();
    next.reminded = 0;
}

/// The append-only ledger: every event, and the state they fold into.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    events: Vec<EventRecord>,
    state: LedgerState,
}

impl Ledger {
    /// An empty ledger.
    #[must_use]
    pub fn new() -> Self {
        Self {
            events: Vec::new(),
            state: LedgerState::new(),
        }
    }

    /// Reads a ledger document and replays its events, checking each.
    ///
    /// # Errors
    /// [`LedgerError::Parse`], or [`LedgerError::Refused`] naming the first event refused.
    pub fn from_json_str(json: &str) -> Result<Self, LedgerError> {
        let doc: LedgerDoc =
            serde_json::from_str(json).map_err(|e| LedgerError::parse("ledger", &e))?;
        if doc.format != LEDGER_FORMAT {
            return Err(LedgerError::Format {
                found: doc.format,
                expected: LEDGER_FORMAT,
            });
        }
        let mut ledger = Self::new();
        for (index, r) in doc.events.into_iter().enumerate() {
            ledger
                .append(r)
                .map_err(|error| LedgerError::Refused { index, error })?;
        }
        Ok(ledger)
    }

    /// Builds a ledger from a snapshot and the events after it.
    ///
    /// # Errors
    /// [`LedgerError::Refused`] naming the first event refused.
    pub fn from_snapshot(
        state: LedgerState,
        later: impl IntoIterator<Item = EventRecord>,
    ) -> Result<Self, LedgerError> {
        let mut ledger = Self {
            events: Vec::new(),
            state,
        };
        for (index, r) in later.into_iter().enumerate() {
            ledger
                .append(r)
                .map_err(|error| LedgerError::Refused { index, error })?;
        }
        Ok(ledger)
    }

    /// The ledger document, `{"format": 1, "events": [...]}`.
    #[must_use]
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            format: u32,
            events: &'a [EventRecord],
        }
        crate::json::to_json(&Doc {
            format: LEDGER_FORMAT,
            events: &self.events,
        })
    }

    /// Appends an event after checking it against the case's state.
    ///
    /// # Errors
    /// [`TransitionError`]; the ledger is unchanged.
    pub fn append(&mut self, record: EventRecord) -> Result<(), TransitionError> {
        self.state.apply(&record)?;
        self.events.push(record);
        Ok(())
    }

    /// Appends an event given as JSON.
    ///
    /// # Errors
    /// [`LedgerError::Parse`], or [`LedgerError::Refused`] (index 0); the ledger is unchanged.
    pub fn append_json_str(&mut self, json: &str) -> Result<(), LedgerError> {
        let record: EventRecord =
            serde_json::from_str(json).map_err(|e| LedgerError::parse("event", &e))?;
        self.append(record)
            .map_err(|error| LedgerError::Refused { index: 0, error })
    }

    /// Appends a JSON array of events, all or none.
    ///
    /// # Errors
    /// [`LedgerError::Parse`], or [`LedgerError::Refused`] naming the event refused; the
    /// ledger is unchanged.
    pub fn append_all_json_str(&mut self, json: &str) -> Result<(), LedgerError> {
        let records: Vec<EventRecord> =
            serde_json::from_str(json).map_err(|e| LedgerError::parse("events", &e))?;
        self.append_all(records)
    }

    /// Appends several events, all or none: if one is refused, the ledger is as before.
    ///
    /// # Errors
    /// [`LedgerError::Refused`] naming the event refused.
    pub fn append_all(&mut self, records: Vec<EventRecord>) -> Result<(), LedgerError> {
        self.state.apply_all(&records)?;
        self.events.extend(records);
        Ok(())
    }

    /// Every event, in order.
    #[must_use]
    pub fn events(&self) -> &[EventRecord] {
        &self.events
    }

    /// Number of events.
    #[must_use]
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are no events.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The folded state.
    #[must_use]
    pub fn state(&self) -> &LedgerState {
        &self.state
    }

    /// A case's state.
    #[must_use]
    pub fn case(&self, id: &str) -> Option<&CaseState> {
        self.state.case(id)
    }

    /// The events about one case, in order.
    pub fn case_events<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a EventRecord> + 'a {
        self.events
            .iter()
            .filter(move |r| r.case.as_ref().is_some_and(|c| c.as_str() == id))
    }
}
