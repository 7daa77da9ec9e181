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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
            message: crate::text::strip_position(&e.to_string()),
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    index: crate::idmap::IdMap,
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

/// The case position of a visit (which is about no case).
const NO_CASE: u32 = u32::MAX;

/// Where a checked event applies.
enum Target {
    /// A new case.
    New,
    /// An existing case.
    Case(u32),
    /// A case joining another: (case, target).
    Merge(u32, u32),
    /// A visit.
    Visit,
}

/// How to take back an event applied as part of a batch.
enum Undo {
    /// A case was created: remove it.
    New,
    /// Cases changed: put back their earlier states.
    Restore(Vec<(u32, Box<CaseState>)>),
    /// A visit was added: remove it.
    Visit,
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
        self.index.get(id).and_then(|i| self.cases.get(i as usize))
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
        crate::text::to_json(self)
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
            self.index.insert_new(c.case.id.as_str(), i);
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
        self.step(r).map(|_| ())
    }

    /// Folds events in, all or none; returns the positions of their cases.
    fn apply_all(&mut self, records: &[EventRecord]) -> Result<Vec<u32>, LedgerError> {
        let mut undos = Vec::with_capacity(records.len());
        let mut positions = Vec::with_capacity(records.len());
        for (index, r) in records.iter().enumerate() {
            let undo = self.undo_for(r);
            match self.step(r) {
                Ok(pos) => {
                    undos.push(undo);
                    positions.push(pos);
                }
                Err(error) => {
                    while let Some(u) = undos.pop() {
                        self.undo(u);
                    }
                    return Err(LedgerError::Refused { index, error });
                }
            }
        }
        Ok(positions)
    }

    /// What it takes to undo an event: the states of the cases it may change.
    fn undo_for(&self, r: &EventRecord) -> Undo {
        match (&r.event, &r.case) {
            (Event::Visited { .. }, _) => Undo::Visit,
            (Event::Reported { .. }, _) => Undo::New,
            (event, Some(case)) => {
                let mut saved = Vec::new();
                let mut save = |id: &CaseId| {
                    if let Some(i) = self.index.get(id.as_str()) {
                        if let Some(c) = self.cases.get(i as usize) {
                            saved.push((i, Box::new(c.clone())));
                        }
                    }
                };
                save(case);
                if let Event::Merged { into } = event {
                    save(into);
                }
                Undo::Restore(saved)
            }
            (_, None) => Undo::Restore(Vec::new()),
        }
    }

    /// Takes back an event applied in a batch.
    fn undo(&mut self, undo: Undo) {
        self.events = self.events.saturating_sub(1);
        match undo {
            Undo::New => {
                if let Some(state) = self.cases.pop() {
                    self.index.remove(state.case.id.as_str());
                    let key = (state.category.clone(), state.location.clone());
                    if let Some(v) = self.places.get_mut(&key) {
                        v.pop();
                        if v.is_empty() {
                            self.places.remove(&key);
                        }
                    }
                }
            }
            Undo::Restore(saved) => {
                for (i, old) in saved {
                    if let Some(slot) = self.cases.get_mut(i as usize) {
                        if slot.category != old.category || slot.location != old.location {
                            let key = (slot.category.clone(), slot.location.clone());
                            if let Some(v) = self.places.get_mut(&key) {
                                v.retain(|p| *p != i);
                            }
                        }
                        *slot = *old;
                    }
                }
            }
            Undo::Visit => {
                self.visits.pop();
            }
        }
    }

    fn position(&self, case: &CaseId) -> Result<u32, TransitionError> {
        self.index
            .get(case.as_str())
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
    fn validate(&self, r: &EventRecord) -> Result<Target, TransitionError> {
        let event = r.event.kind();
        if let Event::Visited { .. } = &r.event {
            if let Some(c) = &r.case {
                return Err(TransitionError::CaseOnVisit {
                    case: c.to_string(),
                });
            }
            return Ok(Target::Visit);
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
            if self.index.contains(case_id.as_str()) {
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
        match &r.event {
            Event::Reported { .. } | Event::Visited { .. } => {}
            Event::Accepted {} => need(&[Status::Reported])?,
            Event::Assigned { .. } => {
                need(&[Status::Reported, Status::Accepted, Status::Returned])?;
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
            Event::Reopened { assignment, .. } => {
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
            }
            Event::Shelved { explanation } => {
                need(&[Status::Assigned])?;
                non_empty(explanation, "explanation")?;
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
                    .get(into.as_str())
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
    fn step(&mut self, r: &EventRecord) -> Result<u32, TransitionError> {
        let target = self.validate(r)?;
        self.events = self.events.saturating_add(1);
        let pos = match target {
            Target::Visit => {
                if let Event::Visited { unit, households } = &r.event {
                    self.visits.push(Visit {
                        unit: unit.clone(),
                        households: *households,
                        at: r.at,
                        actor: r.actor.clone(),
                    });
                }
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
                    t.merged_from.push(id.clone());
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
            Event::Reported { .. } | Event::Visited { .. } => {}
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
            }
            Event::Escalated {
                from,
                to,
                reason,
                assignment,
            } => {
                st.escalations.push((*from, *to, *reason));
                st.mediation_failed = false;
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
                st.pauses.push(Pause {
                    from: r.at,
                    to: None,
                });
            }
            Event::Resumed {} => {
                st.status = Status::Assigned;
                if let Some(p) = st.pauses.last_mut() {
                    p.to = Some(r.at);
                }
            }
            Event::MediationFailed { .. } => st.mediation_failed = true,
            Event::Consulted { office, opinion } => {
                match st.consulted.iter_mut().find(|(o, _)| o == office) {
                    Some(slot) => slot.1.clone_from(opinion),
                    None => st.consulted.push((office.clone(), opinion.clone())),
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
                st.mediation_failed = false;
            }
            Event::Evaluated { satisfaction, .. } => {
                st.status = Status::Closed;
                st.satisfaction = Some(*satisfaction);
                st.evaluated_at = Some(r.at);
            }
            Event::Reopened { assignment, .. } => {
                st.reopens = st.reopens.saturating_add(1);
                st.status = Status::Assigned;
                st.shelved = None;
                st.consulted.clear();
                take_assignment(st, assignment, r);
            }
            Event::Shelved { explanation } => {
                st.status = Status::Shelved;
                st.shelved = Some(explanation.clone());
            }
            Event::Merged { into } => {
                st.status = Status::Merged;
                st.merged_into = Some(into.clone());
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
        self.index.insert_new(case.id.as_str(), i);
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
        });
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

/// An event as the ledger keeps it: its case and actor by position, so that the text of
/// ids is held once (a million cases with ten events each would otherwise hold twenty
/// million copies).
#[derive(Clone, Debug)]
struct Stored {
    case: u32,
    actor: u32,
    at: Timestamp,
    event: Event,
}

/// An event record as serialised, borrowing from the ledger.
#[derive(Serialize)]
struct RecordView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<&'a CaseId>,
    at: Timestamp,
    actor: &'a PersonId,
    event: &'a Event,
}

/// The append-only ledger: every event, and the state they fold into.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    events: Vec<Stored>,
    state: LedgerState,
    /// Actor ids, each held once.
    actors: Vec<PersonId>,
    actor_index: crate::idmap::IdMap,
}

impl Ledger {
    /// An empty ledger.
    #[must_use]
    pub fn new() -> Self {
        Self {
            state: LedgerState::new(),
            ..Self::default()
        }
    }

    /// Stores an accepted event.
    fn keep(&mut self, record: EventRecord, case: u32) {
        let actor = match self.actor_index.get(record.actor.as_str()) {
            Some(a) => a,
            None => {
                let a = u32::try_from(self.actors.len()).unwrap_or(u32::MAX);
                self.actor_index.insert_new(record.actor.as_str(), a);
                self.actors.push(record.actor);
                a
            }
        };
        self.events.push(Stored {
            case,
            actor,
            at: record.at,
            event: record.event,
        });
    }

    fn view<'a>(&'a self, s: &'a Stored) -> Option<RecordView<'a>> {
        Some(RecordView {
            case: (s.case != NO_CASE)
                .then(|| self.state.cases.get(s.case as usize).map(|c| &c.case.id))
                .flatten(),
            at: s.at,
            actor: self.actors.get(s.actor as usize)?,
            event: &s.event,
        })
    }

    fn record(&self, s: &Stored) -> Option<EventRecord> {
        let v = self.view(s)?;
        Some(EventRecord {
            case: v.case.cloned(),
            at: v.at,
            actor: v.actor.clone(),
            event: v.event.clone(),
        })
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
            state,
            ..Self::default()
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
            events: Vec<RecordView<'a>>,
        }
        crate::text::to_json(&Doc {
            format: LEDGER_FORMAT,
            events: self.events.iter().filter_map(|s| self.view(s)).collect(),
        })
    }

    /// Appends an event after checking it against the case's state.
    ///
    /// # Errors
    /// [`TransitionError`]; the ledger is unchanged.
    pub fn append(&mut self, record: EventRecord) -> Result<(), TransitionError> {
        let case = self.state.step(&record)?;
        self.keep(record, case);
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
        let positions = self.state.apply_all(&records)?;
        for (r, case) in records.into_iter().zip(positions) {
            self.keep(r, case);
        }
        Ok(())
    }

    /// Every event, in order.
    pub fn events(&self) -> impl Iterator<Item = EventRecord> + '_ {
        self.events.iter().filter_map(|s| self.record(s))
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
    pub fn case_events<'a>(&'a self, id: &str) -> impl Iterator<Item = EventRecord> + 'a {
        let pos = self.state.index.get(id).unwrap_or(NO_CASE - 1);
        self.events
            .iter()
            .filter(move |s| s.case == pos)
            .filter_map(|s| self.record(s))
    }

    /// The events about some cases (by their positions), in order.
    pub(crate) fn events_of(&self, positions: &[u32]) -> impl Iterator<Item = EventRecord> + '_ {
        let mut sorted = positions.to_vec();
        sorted.sort_unstable();
        self.events
            .iter()
            .filter(move |s| sorted.binary_search(&s.case).is_ok())
            .filter_map(|s| self.record(s))
    }

    /// The position of a case.
    pub(crate) fn position(&self, id: &str) -> Option<u32> {
        self.state.index.get(id)
    }
}
