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

use serde::{Deserialize, Serialize};

use super::event::{Event, EventRecord, LEDGER_FORMAT};
use crate::id::{CaseId, Category, PersonId, UnitId};
use crate::time::Timestamp;

pub use super::state::{CaseState, Status, Visit};
pub use super::transition::TransitionError;

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
    pub(super) format: u32,
    /// How many events have been folded in.
    pub(super) events: u64,
    /// Case states, in the order the cases were reported.
    pub(super) cases: Vec<CaseState>,
    /// Household visits, in order.
    pub(super) visits: Vec<Visit>,
    /// Case id → position.
    #[serde(skip)]
    pub(super) index: crate::idmap::IdMap,
    /// (category, location) → positions of the cases reported there, for repeat matching.
    #[serde(skip)]
    pub(super) places: HashMap<(Category, UnitId), Vec<u32>, rustc_hash::FxBuildHasher>,
}

impl PartialEq for LedgerState {
    fn eq(&self, other: &Self) -> bool {
        self.events == other.events && self.cases == other.cases && self.visits == other.visits
    }
}

impl Eq for LedgerState {}

/// The case position of a visit (which is about no case).
pub(super) const NO_CASE: u32 = u32::MAX;

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
