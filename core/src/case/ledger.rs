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

mod read;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use std::sync::Arc;

use super::Case;
use super::event::{Assignment, CHAINED_FORMAT, Event, EventRecord, LEDGER_FORMAT};
use super::log::{Body, EventLog, Stored};
use crate::id::{CaseId, Category, IdPool, PersonId, UnitId};
use crate::time::Timestamp;

pub use super::state::{
    CaseExtras, CaseState, Extras, LoopBox, LoopState, PetitionState, PetitionStep, Rare, RareBox,
    Status, Supervision, ThirdPartyPart, Visit,
};
#[cfg(feature = "sqlite")]
pub use super::store::{Durability, STORE_FORMAT};
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
    #[error("unsupported ledger format {found}; this library reads formats up to {expected}")]
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
    /// The one event given was refused.
    #[error(transparent)]
    Invalid(#[from] TransitionError),
    /// An `event_id` was sent before with other content.
    #[error(
        "event {index}: event_id `{event_id}` is already taken by ledger event {taken_by} with other content; a re-sent event must be identical, a new event needs a new id"
    )]
    Conflict {
        /// The event's position (0-based) in the list given.
        index: usize,
        /// The id.
        event_id: String,
        /// The position in the ledger of the event that holds the id.
        taken_by: u64,
    },
    /// An `event_id` that cannot be used.
    #[error("event {index}: event_id {reason}")]
    BadEventId {
        /// The event's position (0-based) in the list given.
        index: usize,
        /// What is wrong and what would do.
        reason: String,
    },
    /// The hash chain does not hold: a record was changed, removed or moved.
    #[error("record {index}{}: {reason}", event_label(.event_id.as_deref()))]
    Tampered {
        /// The position (0-based) of the first record that does not fit the chain.
        index: u64,
        /// Its `event_id`, if it has one.
        event_id: Option<String>,
        /// What does not match.
        reason: String,
    },
    /// The ledger file could not be opened, read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// ` (event_id `x`)`, or nothing.
fn event_label(id: Option<&str>) -> String {
    id.map(|id| format!(" (event_id `{id}`)"))
        .unwrap_or_default()
}

/// A ledger file (the `sqlite` feature) could not be used. Defined with or without the
/// feature, so that error handling does not depend on it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file could not be opened, read or written (missing folder, permissions, disk
    /// full, locked longer than the wait allowed).
    #[error("ledger file `{path}`: {message}")]
    Io {
        /// The file.
        path: String,
        /// What SQLite or the system said.
        message: String,
    },
    /// The file is not a gridgov ledger, or is damaged; nothing of it was loaded.
    #[error("ledger file `{path}` is not a readable gridgov ledger: {reason}; nothing was loaded")]
    Corrupt {
        /// The file.
        path: String,
        /// What is wrong, naming the record where one is at fault.
        reason: String,
    },
    /// The file was written by a newer version of the library.
    #[error(
        "ledger file `{path}` has store format {found}; this library reads format {supported} or older: open it with a newer gridgov"
    )]
    Newer {
        /// The file.
        path: String,
        /// The file's format.
        found: i64,
        /// The newest format this library reads.
        supported: i64,
    },
}

impl StoreError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "store_io",
            Self::Corrupt { .. } => "store_corrupt",
            Self::Newer { .. } => "unsupported_format",
        }
    }
}

impl LedgerError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "ledger_parse",
            Self::Format { .. } => "unsupported_format",
            Self::Refused { error, .. } | Self::Invalid(error) => error.code(),
            Self::Conflict { .. } => "event_id_conflict",
            Self::BadEventId { .. } => "bad_event_id",
            Self::Tampered { .. } => "ledger_tampered",
            Self::Store(e) => e.code(),
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
    /// The register of screened disputes, in the order entered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) register: Vec<super::work::RegisterState>,
    /// Grid meetings, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) meetings: Vec<super::work::MeetingRecord>,
    /// The ids of the grid's work, for lookups.
    #[serde(skip)]
    pub(super) work: super::work::WorkIndex,
    /// Case id → position.
    #[serde(skip)]
    pub(super) index: super::index::CaseIndex,
    /// (category, location) → positions of the cases reported there, for repeat matching.
    #[serde(skip)]
    pub(super) places: HashMap<(Category, UnitId), Vec<u32>, rustc_hash::FxBuildHasher>,
    /// The running cases by due time, for the overdue ones.
    #[serde(skip)]
    pub(super) due: super::due::DueIndex,
}

impl PartialEq for LedgerState {
    fn eq(&self, other: &Self) -> bool {
        self.events == other.events
            && self.cases == other.cases
            && self.visits == other.visits
            && self.register == other.register
            && self.meetings == other.meetings
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
    /// A grid-work record was applied.
    Work(super::work::WorkUndo),
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

    /// The positions (in [`cases`](Self::cases)) of the running cases that may be
    /// overdue at `now`, in order: every case whose deadline is before `now`, and few
    /// others (see `due.rs`).
    pub(crate) fn may_be_overdue(&self, now: Timestamp) -> Vec<u32> {
        self.due.before(now.unix())
    }

    /// How many cases the due index holds.
    #[cfg(test)]
    pub(crate) fn indexed_running(&self) -> usize {
        self.due.len()
    }

    /// Household visits, in order.
    #[must_use]
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// A case's state.
    #[must_use]
    pub fn case(&self, id: &str) -> Option<&CaseState> {
        self.index
            .get(&self.cases, id)
            .and_then(|i| self.cases.get(i as usize))
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
        s.pool_ids(&mut IdPool::default());
        s.reindex();
        Ok(s)
    }

    /// Shares the texts of the ids read from a snapshot, each of which came with its own
    /// copy, with those in `pool` (see [`IdPool`]), which keeps them for what comes next:
    /// every case's units, people, categories and names, and its decision and the one in
    /// force when it was resolved held once when they are equal.
    fn pool_ids(&mut self, pool: &mut IdPool) {
        for c in &mut self.cases {
            pool_case(&mut c.case, pool);
            if let Some(extras) = c.extras.get_mut() {
                if let Some(amended) = &mut extras.amended {
                    pool_case(amended, pool);
                }
                for (office, _) in &mut extras.consulted {
                    office.pool(pool);
                }
                if let Some(team) = &mut extras.team {
                    team.pool(pool);
                }
            }
            c.category.pool(pool);
            c.location.pool(pool);
            c.owner.pool(pool);
            for id in [&mut c.dispatcher, &mut c.first_handler, &mut c.resolved_by]
                .into_iter()
                .flatten()
                .chain(c.followers.iter_mut())
            {
                id.pool(pool);
            }
            if let Some(a) = &mut c.assignment {
                pool_assignment(a, pool);
            }
            match (&c.assignment, &mut c.resolved_assignment) {
                (Some(a), Some(r)) if a == r => *r = Arc::clone(a),
                (_, Some(r)) => pool_assignment(r, pool),
                _ => {}
            }
        }
    }

    fn reindex(&mut self) {
        self.work = super::work::WorkIndex::of(&self.visits, &self.register, &self.meetings);
        self.due = super::due::DueIndex::of(&self.cases);
        self.index.clear();
        self.places.clear();
        for (i, c) in self.cases.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            self.index.insert_new(&self.cases, i);
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

    /// Folds events in, all or none; returns the positions of their cases and how to take
    /// them back. `index` numbers the events in errors.
    fn apply_all<'r>(
        &mut self,
        records: impl IntoIterator<Item = (usize, &'r EventRecord)>,
    ) -> Result<(Vec<u32>, Vec<Undo>), LedgerError> {
        let mut undos = Vec::new();
        let mut positions = Vec::new();
        for (index, r) in records {
            let undo = self.undo_for(r);
            match self.step(r) {
                Ok(pos) => {
                    undos.push(undo);
                    positions.push(pos);
                }
                Err(error) => {
                    self.undo_all(undos);
                    return Err(LedgerError::Refused { index, error });
                }
            }
        }
        Ok((positions, undos))
    }

    /// Takes back events applied in a batch, newest first.
    fn undo_all(&mut self, mut undos: Vec<Undo>) {
        while let Some(u) = undos.pop() {
            self.undo(u);
        }
    }

    /// What it takes to undo an event: the states of the cases it may change.
    fn undo_for(&self, r: &EventRecord) -> Undo {
        if let Some(w) = self.work_undo(r) {
            return Undo::Work(w);
        }
        match (&r.event, &r.case) {
            (Event::Reported { .. }, _) => Undo::New,
            (event, Some(case)) => {
                let mut saved = Vec::new();
                let mut save = |id: &CaseId| {
                    if let Some(i) = self.index.get(&self.cases, id.as_str()) {
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
                if let Some(last) = self.cases.len().checked_sub(1) {
                    self.index
                        .remove(&self.cases, u32::try_from(last).unwrap_or(u32::MAX));
                }
                if let Some(state) = self.cases.pop() {
                    self.due
                        .remove(u32::try_from(self.cases.len()).unwrap_or(u32::MAX));
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
                        self.due.update(i, slot);
                    }
                }
            }
            Undo::Work(w) => self.undo_work(w),
        }
    }
}

/// A SHA-256 hash of the ledger's chain: each record's is the hash of the one before it
/// followed by the record's canonical bytes (its compact JSON, as exported without the
/// hash).
pub type ChainHash = [u8; 32];

/// The hash the chain starts from: 32 zero bytes.
pub const GENESIS: ChainHash = [0; 32];

/// The next link of the chain.
#[must_use]
pub fn chain(previous: &ChainHash, canonical: &[u8]) -> ChainHash {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(previous);
    h.update(canonical);
    h.finalize().into()
}

/// A hash as 64 lowercase hex digits.
#[must_use]
pub fn hex(hash: &ChainHash) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(64);
    for b in hash {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Reads 64 hex digits.
fn parse_hex(s: &str) -> Option<ChainHash> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = GENESIS;
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let digit = |c: u8| (c as char).to_digit(16);
        let (Some(hi), Some(lo)) = (
            pair.first().copied().and_then(digit),
            pair.get(1).copied().and_then(digit),
        ) else {
            return None;
        };
        *o = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

/// What an append did: where the event is in the ledger, its chain hash, and whether it
/// was a re-sent event already there (then nothing was added).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The event's position (0-based) in the ledger.
    pub index: u64,
    /// `true` when an event with the same `event_id` and the same content was already
    /// there: nothing was added.
    pub duplicate: bool,
    /// The event's chain hash.
    pub hash: ChainHash,
}

crate::tsdecl::ts_alias!(
    Receipt = "{ outcome: \"appended\" | \"duplicate\"; index: number; hash: string }"
);

impl Serialize for Receipt {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Receipt", 3)?;
        s.serialize_field(
            "outcome",
            if self.duplicate {
                "duplicate"
            } else {
                "appended"
            },
        )?;
        s.serialize_field("index", &self.index)?;
        s.serialize_field("hash", &hex(&self.hash))?;
        s.end()
    }
}

/// The JSON texts of the events kept as text, each distinct text once: most events of a
/// case's life (taken in, reminded at a stage, resumed, resolved "办结", evaluated 5) are
/// the same bytes in every case, so a million cases keep a few dozen texts, not seven
/// million. A text is found again by its hash in a table of the texts' numbers.
#[derive(Clone, Debug, Default)]
struct Texts {
    list: crate::text::TextList,
    /// The numbers of the texts, by their hash.
    index: hashbrown::HashTable<u32>,
}

impl Texts {
    fn hash(s: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(s)
    }

    /// The text numbered `n`.
    fn get(&self, n: u32) -> Option<&str> {
        self.list.get(n)
    }

    /// The number of `json`: that of the same text kept before, or of `json` added.
    fn intern(&mut self, json: &str) -> u32 {
        let Self { list, index } = self;
        let hash = Self::hash(json);
        if let Some(&n) = index.find(hash, |&n| list.get(n) == Some(json)) {
            return n;
        }
        let n = list.push(json);
        let list = &*list;
        index.insert_unique(hash, n, |&n| Self::hash(list.get(n).unwrap_or_default()));
        n
    }
}

/// No event: the end of a case's chain of events. A ledger of more events than this
/// finds a case's events by reading them all.
const NO_EVENT: u32 = u32::MAX;

/// A chain hash is kept after every this many events; the hash of an event between two
/// marks is recomputed from the mark before it (at most this many links).
pub(super) const MARK_EVERY: u64 = 32;

/// An event as serialised: borrowed from a record, rebuilt from shared parts, or the JSON
/// text the ledger keeps.
enum EventView<'a> {
    Borrowed(&'a Event),
    Owned(Event),
    Raw(&'a serde_json::value::RawValue),
}

impl Serialize for EventView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Borrowed(e) => e.serialize(serializer),
            Self::Owned(e) => e.serialize(serializer),
            Self::Raw(r) => r.serialize(serializer),
        }
    }
}

/// An event record as serialised, borrowing: its canonical bytes (no `hash`) or its form
/// in a ledger document (with `hash`).
#[derive(Serialize)]
struct RecordView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<&'a CaseId>,
    at: Timestamp,
    actor: &'a PersonId,
    event: EventView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
}

impl<'a> RecordView<'a> {
    fn of(r: &'a EventRecord) -> Self {
        Self {
            event_id: r.event_id.as_deref(),
            case: r.case.as_ref(),
            at: r.at,
            actor: &r.actor,
            event: EventView::Borrowed(&r.event),
            hash: None,
        }
    }

    /// The canonical bytes the chain hashes.
    fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// [`chain`] over the canonical bytes, serialised straight into the hash.
    fn link(&self, previous: &ChainHash) -> ChainHash {
        use sha2::Digest;
        let mut w = HashWriter(sha2::Sha256::new());
        w.0.update(previous);
        // Writing into a hash cannot fail, and these types always serialise.
        let _ = serde_json::to_writer(&mut w, self);
        w.0.finalize().into()
    }
}

/// The next link of the chain for a record: [`chain`] over its canonical bytes, written
/// straight into the hash (no copy of the bytes is made).
#[must_use]
pub fn chain_record(previous: &ChainHash, record: &EventRecord) -> ChainHash {
    RecordView::of(record).link(previous)
}

/// A writer that feeds SHA-256.
struct HashWriter(sha2::Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The canonical bytes of a record: its compact JSON without a hash.
#[must_use]
pub fn canonical_bytes(record: &EventRecord) -> Vec<u8> {
    RecordView::of(record).canonical()
}

/// Checks an `event_id`: 1 to [`MAX_EVENT_ID`](super::event::MAX_EVENT_ID) characters,
/// none of them a control character.
fn check_event_id(index: usize, id: Option<&str>) -> Result<(), LedgerError> {
    let Some(id) = id else { return Ok(()) };
    let n = id.chars().count();
    let reason = if n == 0 {
        "is empty".to_owned()
    } else if n > super::event::MAX_EVENT_ID {
        format!("has {n} characters")
    } else if id.chars().any(char::is_control) {
        format!("`{}` has a control character", id.escape_debug())
    } else {
        return Ok(());
    };
    Err(LedgerError::BadEventId {
        index,
        reason: format!(
            "{reason}; an event_id is 1 to {} characters without control characters",
            super::event::MAX_EVENT_ID
        ),
    })
}

/// The append-only ledger: every event, chained by SHA-256, and the state they fold into.
///
/// A ledger lives in memory ([`Ledger::new`], [`Ledger::from_json_str`]) or, with the
/// `sqlite` feature, in a file (`Ledger::open`) that every append reaches before it
/// returns. Clones of a file-backed ledger share the file.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    /// The events, packed (see [`EventLog`]).
    events: EventLog,
    /// The JSON of the events kept as text ([`Body::Json`]), each distinct text once.
    text: Texts,
    state: LedgerState,
    /// Actor ids, each held once.
    actors: Vec<PersonId>,
    actor_index: crate::idmap::IdMap,
    /// `event_id` → position of its event.
    ids: rustc_hash::FxHashMap<Arc<str>, u64>,
    /// Position → `event_id`, for the events that have one.
    event_ids: rustc_hash::FxHashMap<u64, Arc<str>>,
    /// For each case (by position), its last event ([`NO_EVENT`] before any): a case's
    /// events are a chain from here through each one's `prev`, found without
    /// reading the others.
    last: Vec<u32>,
    /// The chain hash after every [`MARK_EVERY`]th event: `marks[k]` is event
    /// `(k + 1) * MARK_EVERY - 1`'s.
    marks: Vec<ChainHash>,
    /// The chain hash of the last event.
    head: ChainHash,
    /// The texts of the ids its events brought, each held once (see [`IdPool`]).
    pool: IdPool,
    /// The file, when the ledger is kept in one.
    #[cfg(feature = "sqlite")]
    pub(super) store: Option<std::sync::Arc<std::sync::Mutex<super::store::Store>>>,
}

/// Shares the texts of a case's ids (channel, category, location, risk flags) with the
/// same texts in `pool`, when the case is not shared yet (see [`IdPool`]).
fn pool_case(case: &mut Arc<Case>, pool: &mut IdPool) {
    if let Some(c) = Arc::get_mut(case) {
        c.channel.pool(pool);
        c.category.pool(pool);
        c.location.pool(pool);
        c.risk_flags.iter_mut().for_each(|f| f.pool(pool));
    }
}

/// Shares the texts of a decision's ids (unit, people, offices, grade, flags, rule) with the
/// same texts in `pool`, when the decision is not shared yet.
fn pool_assignment(assignment: &mut Arc<Assignment>, pool: &mut IdPool) {
    if let Some(a) = Arc::get_mut(assignment) {
        if let Some(unit) = &mut a.unit {
            unit.pool(pool);
        }
        for id in [&mut a.handler, &mut a.following].into_iter().flatten() {
            id.pool(pool);
        }
        for id in a.office.iter_mut().chain(a.co_offices.iter_mut()) {
            id.pool(pool);
        }
        for name in a.grade.iter_mut().chain(a.flags.iter_mut()) {
            name.pool(pool);
        }
        if let Some(rule) = &mut a.rule {
            pool.share(rule);
        }
    }
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

    /// Shares the texts of `r`'s ids with those of the events before it: its actor, and
    /// the ids of the case or decision it carries when the record holds them alone (as a
    /// record read from JSON does; a caller's own shared parts are left as they are).
    /// The ledger then holds each unit, person, office, category and flag once, however
    /// many cases and decisions name it.
    fn pool_ids(&mut self, r: &mut EventRecord) {
        let pool = &mut self.pool;
        r.actor.pool(pool);
        match &mut r.event {
            Event::Reported { case } => pool_case(case, pool),
            Event::Assigned { assignment }
            | Event::Escalated { assignment, .. }
            | Event::Reopened { assignment, .. } => pool_assignment(assignment, pool),
            _ => {}
        }
    }

    /// Stores an accepted event.
    fn keep(&mut self, record: EventRecord, case: u32, hash: ChainHash) {
        let actor = match self.actor_index.get(record.actor.as_str()) {
            Some(a) => a,
            None => {
                let a = u32::try_from(self.actors.len()).unwrap_or(u32::MAX);
                self.actor_index.insert_new(record.actor.as_str(), a);
                self.actors.push(record.actor);
                a
            }
        };
        let position = self.events.len();
        if let Some(id) = record.event_id {
            let id: Arc<str> = id.into();
            self.ids.insert(Arc::clone(&id), position);
            self.event_ids.insert(position, id);
        }
        let here = u32::try_from(position).unwrap_or(NO_EVENT);
        let mut prev = NO_EVENT;
        if case != NO_CASE {
            let c = case as usize;
            if self.last.len() <= c {
                self.last.resize(c + 1, NO_EVENT);
            }
            if let Some(last) = self.last.get_mut(c) {
                prev = std::mem::replace(last, here);
            }
        }
        let body = match record.event {
            // The case is the state's: its report made it.
            Event::Reported { .. } => Body::Reported,
            Event::Assigned { assignment } => Body::Assigned {
                assignment: self.events.keep_assignment(assignment),
            },
            Event::Escalated {
                from,
                to,
                reason,
                assignment,
            } => Body::Escalated {
                from,
                to,
                reason,
                assignment: self.events.keep_assignment(assignment),
            },
            Event::Reopened { reason, assignment } => Body::Reopened {
                reason,
                assignment: self.events.keep_assignment(assignment),
            },
            event => {
                // Our own event types always serialise, and JSON is UTF-8.
                let json = serde_json::to_string(&event).unwrap_or_default();
                Body::Json {
                    text: self.text.intern(&json),
                }
            }
        };
        self.head = hash;
        if (position + 1) % MARK_EVERY == 0 {
            self.marks.push(hash);
        }
        self.events.push(&Stored {
            case,
            actor,
            at: record.at,
            prev,
            body,
        });
    }

    /// The JSON text of a [`Body::Json`] event.
    fn json_of(&self, text: u32) -> Option<&str> {
        self.text.get(text)
    }

    /// The event of a stored record.
    fn event_of(&self, s: &Stored) -> Option<EventView<'_>> {
        let assignment = |n: u32| self.events.assignment(n).map(Arc::clone);
        Some(match s.body {
            Body::Reported => EventView::Owned(Event::Reported {
                case: Arc::clone(&self.state.cases.get(s.case as usize)?.case),
            }),
            Body::Assigned { assignment: a } => EventView::Owned(Event::Assigned {
                assignment: assignment(a)?,
            }),
            Body::Escalated {
                from,
                to,
                reason,
                assignment: a,
            } => EventView::Owned(Event::Escalated {
                from,
                to,
                reason,
                assignment: assignment(a)?,
            }),
            Body::Reopened {
                reason,
                assignment: a,
            } => EventView::Owned(Event::Reopened {
                reason,
                assignment: assignment(a)?,
            }),
            Body::Json { text } => EventView::Raw(serde_json::from_str(self.json_of(text)?).ok()?),
        })
    }

    fn view(&self, position: u64, s: &Stored) -> Option<RecordView<'_>> {
        Some(RecordView {
            event_id: self.event_ids.get(&position).map(|id| &**id),
            case: (s.case != NO_CASE)
                .then(|| self.state.cases.get(s.case as usize).map(|c| &c.case.id))
                .flatten(),
            at: s.at,
            actor: self.actors.get(s.actor as usize)?,
            event: self.event_of(s)?,
            hash: None,
        })
    }

    fn record(&self, position: u64, s: &Stored) -> Option<EventRecord> {
        let v = self.view(position, s)?;
        let event = match v.event {
            EventView::Borrowed(e) => e.clone(),
            EventView::Owned(e) => e,
            EventView::Raw(r) => serde_json::from_str(r.get()).ok()?,
        };
        Some(EventRecord {
            event_id: v.event_id.map(str::to_owned),
            case: v.case.cloned(),
            at: v.at,
            actor: v.actor.clone(),
            event,
        })
    }

    /// Builds a ledger from a snapshot and the events after it. The chain starts at the
    /// snapshot: the events before it are not in this ledger.
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
        // The events after the snapshot share the texts of the ids it holds.
        ledger.state.pool_ids(&mut ledger.pool);
        for (index, r) in later.into_iter().enumerate() {
            ledger.append_at(index, r)?;
        }
        Ok(ledger)
    }

    /// The ledger document, `{"format": 2, "events": [...], "head": "…"}`: every event
    /// with its chain hash, and the last hash as the head.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = crate::text::to_json(&self.document());
        // The text grew by doubling: hand back its length, not up to twice the room.
        text.shrink_to_fit();
        text
    }

    /// Writes the ledger document ([`to_json`](Self::to_json)'s bytes) to the file at
    /// `path`, each record as it is read back: the document is never held whole.
    /// [`read_json_file`](Self::read_json_file) reads it back.
    ///
    /// The document is written beside the file (as `<path>.partial`), synced, and then
    /// put in its place: a crash or a full disk meanwhile leaves any earlier file at
    /// `path` whole.
    ///
    /// # Errors
    /// [`StoreError::Io`] naming the file when it cannot be created or written (a missing
    /// folder, permissions, a full disk); nothing is then left at `<path>.partial`.
    ///
    /// [`StoreError::Io`]: StoreError::Io
    pub fn write_json_file(&self, path: impl AsRef<std::path::Path>) -> Result<(), LedgerError> {
        let path = path.as_ref();
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let write = || -> std::io::Result<()> {
            let file = std::fs::File::create(&partial)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            serde_json::to_writer(&mut out, &self.document())?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&partial, path)
        };
        write().map_err(|e| {
            // Nothing half-written is left behind (there may be nothing to remove).
            let _ = std::fs::remove_file(&partial);
            read::io_error(&path.display().to_string(), &e.to_string())
        })
    }

    /// The ledger document, printed as it is read: each record written as it is read
    /// back (its chain hash recomputed along the way), not gathered first.
    fn document(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Doc<'a> {
            format: u32,
            events: Records<'a>,
            head: String,
        }
        struct Records<'a>(&'a Ledger);
        impl Serialize for Records<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let ledger = self.0;
                // The hashes are recomputed along the chain (only every MARK_EVERYth is
                // kept).
                let mut chain = GENESIS;
                serializer.collect_seq(ledger.events.iter_from(0).filter_map(|(i, s)| {
                    let mut v = ledger.view(i, &s)?;
                    chain = v.link(&chain);
                    v.hash = Some(hex(&chain));
                    Some(v)
                }))
            }
        }
        Doc {
            format: CHAINED_FORMAT,
            events: Records(self),
            head: hex(&self.head),
        }
    }

    /// The receipt of an event already in the ledger under `record`'s `event_id`, or a
    /// conflict when that event's content differs.
    fn duplicate(
        &self,
        index: usize,
        record: &EventRecord,
    ) -> Result<Option<Receipt>, LedgerError> {
        let Some(id) = record.event_id.as_deref() else {
            return Ok(None);
        };
        let Some(&taken_by) = self.ids.get(id) else {
            return Ok(None);
        };
        let same = self
            .events
            .get(taken_by)
            .and_then(|s| self.view(taken_by, &s))
            .is_some_and(|v| v.canonical() == canonical_bytes(record));
        match self.hash_at(taken_by) {
            Some(hash) if same => Ok(Some(Receipt {
                index: taken_by,
                duplicate: true,
                hash,
            })),
            _ => Err(LedgerError::Conflict {
                index,
                event_id: crate::text::truncate_for_message(id),
                taken_by,
            }),
        }
    }

    /// Appends an event after checking it against the case's state. An event whose
    /// `event_id` is already in the ledger with the same content is not added again: the
    /// receipt says `duplicate`. For a file-backed ledger the event is committed to the
    /// file before this returns.
    ///
    /// This is the unchecked write: it does not ask who may write. It is for replaying a
    /// trusted log; users' writes go through `Engine::record`, which checks the actor.
    ///
    /// # Errors
    /// [`LedgerError::Invalid`] (the transition), [`LedgerError::Conflict`],
    /// [`LedgerError::BadEventId`], [`LedgerError::Store`]; the ledger is unchanged.
    pub fn append(&mut self, record: EventRecord) -> Result<Receipt, LedgerError> {
        self.append_at(0, record).map_err(|e| match e {
            LedgerError::Refused { error, .. } => LedgerError::Invalid(error),
            e => e,
        })
    }

    /// [`append`](Self::append), naming the event `index` in errors.
    fn append_at(&mut self, index: usize, mut record: EventRecord) -> Result<Receipt, LedgerError> {
        check_event_id(index, record.event_id.as_deref())?;
        #[cfg(feature = "sqlite")]
        if let Some(store) = self.store.clone() {
            let mut guard = super::store::lock(&store);
            let receipts = guard.write(self, vec![(index, record)])?;
            return receipts.into_iter().next().ok_or_else(|| {
                LedgerError::Store(StoreError::Io {
                    path: guard.path().to_owned(),
                    message: "the write gave no receipt".to_owned(),
                })
            });
        }
        if let Some(receipt) = self.duplicate(index, &record)? {
            return Ok(receipt);
        }
        self.pool_ids(&mut record);
        let case = self
            .state
            .step(&record)
            .map_err(|error| LedgerError::Refused { index, error })?;
        // Hashed once accepted: a refused event costs no serialisation.
        let hash = chain_record(&self.head, &record);
        self.keep(record, case, hash);
        Ok(Receipt {
            index: self.events.len() - 1,
            duplicate: false,
            hash,
        })
    }

    /// Appends an event given as JSON.
    ///
    /// # Errors
    /// [`LedgerError::Parse`], or as [`append`](Self::append) with a refused transition
    /// as [`LedgerError::Refused`] (index 0); the ledger is unchanged.
    pub fn append_json_str(&mut self, json: &str) -> Result<Receipt, LedgerError> {
        let record: EventRecord =
            serde_json::from_str(json).map_err(|e| LedgerError::parse("event", &e))?;
        self.append_at(0, record)
    }

    /// Appends a JSON array of events, all or none.
    ///
    /// # Errors
    /// [`LedgerError::Parse`], or as [`append_all`](Self::append_all); the ledger is
    /// unchanged.
    pub fn append_all_json_str(&mut self, json: &str) -> Result<Vec<Receipt>, LedgerError> {
        let records: Vec<EventRecord> =
            serde_json::from_str(json).map_err(|e| LedgerError::parse("events", &e))?;
        self.append_all(records)
    }

    /// Appends several events, all or none: if one is refused, the ledger is as before.
    /// Events already in the ledger (same `event_id`, same content), or repeated within
    /// the list, are receipted as duplicates and not added again. A file-backed ledger
    /// commits them in one transaction.
    ///
    /// # Errors
    /// [`LedgerError::Refused`] naming the event refused, [`LedgerError::Conflict`],
    /// [`LedgerError::BadEventId`], [`LedgerError::Store`].
    pub fn append_all(&mut self, records: Vec<EventRecord>) -> Result<Vec<Receipt>, LedgerError> {
        for (index, r) in records.iter().enumerate() {
            check_event_id(index, r.event_id.as_deref())?;
        }
        let records: Vec<(usize, EventRecord)> = records.into_iter().enumerate().collect();
        #[cfg(feature = "sqlite")]
        if let Some(store) = self.store.clone() {
            let mut guard = super::store::lock(&store);
            return guard.write(self, records);
        }
        self.append_batch(records, false, |_, _| Ok(()))
    }

    /// Appends a batch, all or none, after `commit` accepted the new records (each with
    /// its canonical bytes when `keep_bytes`, else none, and its hash, in order); the
    /// receipts in the order given.
    pub(super) fn append_batch(
        &mut self,
        mut records: Vec<(usize, EventRecord)>,
        keep_bytes: bool,
        commit: impl FnOnce(&Self, &[(&EventRecord, Vec<u8>, ChainHash)]) -> Result<(), LedgerError>,
    ) -> Result<Vec<Receipt>, LedgerError> {
        // Before a record is cloned below, while it alone holds what it carries.
        for (_, r) in &mut records {
            self.pool_ids(r);
        }
        // Sort the batch into duplicates (of the ledger, or of an earlier event of the
        // batch) and new events.
        let mut receipts: Vec<Option<Receipt>> = vec![None; records.len()];
        let mut fresh: Vec<(usize, usize, EventRecord)> = Vec::with_capacity(records.len());
        let mut batch_ids: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        let mut later: Vec<(usize, usize)> = Vec::new();
        for (slot, (index, r)) in records.iter().enumerate() {
            if let Some(receipt) = self.duplicate(*index, r)? {
                if let Some(place) = receipts.get_mut(slot) {
                    *place = Some(receipt);
                }
                continue;
            }
            if let Some(id) = r.event_id.as_deref() {
                if let Some(&first) = batch_ids.get(id) {
                    let same = records
                        .get(first)
                        .is_some_and(|(_, f)| canonical_bytes(f) == canonical_bytes(r));
                    if !same {
                        return Err(LedgerError::Conflict {
                            index: *index,
                            event_id: crate::text::truncate_for_message(id),
                            taken_by: self.events.len()
                                + fresh.iter().take_while(|f| f.0 != first).count() as u64,
                        });
                    }
                    later.push((slot, first));
                    continue;
                }
                batch_ids.insert(id, slot);
            }
            fresh.push((slot, *index, r.clone()));
        }
        let (positions, undos) = self
            .state
            .apply_all(fresh.iter().map(|(_, index, r)| (*index, r)))?;
        let mut head = self.head;
        let linked: Vec<(&EventRecord, Vec<u8>, ChainHash)> = fresh
            .iter()
            .map(|(_, _, r)| {
                // A file needs the bytes; memory only the hash, streamed without them.
                let bytes = if keep_bytes {
                    let bytes = canonical_bytes(r);
                    head = chain(&head, &bytes);
                    bytes
                } else {
                    head = chain_record(&head, r);
                    Vec::new()
                };
                (r, bytes, head)
            })
            .collect();
        if let Err(e) = commit(self, &linked) {
            self.state.undo_all(undos);
            return Err(e);
        }
        let hashes: Vec<ChainHash> = linked.iter().map(|l| l.2).collect();
        drop(linked);
        for (((slot, _, r), case), hash) in fresh.into_iter().zip(positions).zip(hashes) {
            self.keep(r, case, hash);
            if let Some(place) = receipts.get_mut(slot) {
                *place = Some(Receipt {
                    index: self.events.len() - 1,
                    duplicate: false,
                    hash,
                });
            }
        }
        for (slot, first) in later {
            let first = receipts.get(first).cloned().flatten();
            if let (Some(place), Some(mut r)) = (receipts.get_mut(slot), first) {
                r.duplicate = true;
                *place = Some(r);
            }
        }
        Ok(receipts.into_iter().flatten().collect())
    }

    /// Recomputes the chain over every event (and, for a file-backed ledger, over every
    /// record of the file) and returns the head.
    ///
    /// # Errors
    /// [`LedgerError::Tampered`] naming the first record whose kept hash (every
    /// `MARK_EVERY`th, and the head) does not follow from the records before it;
    /// [`LedgerError::Store`] when the file cannot be read.
    pub fn verify(&self) -> Result<ChainHash, LedgerError> {
        let mut head = GENESIS;
        for (i, s) in self.events.iter_from(0) {
            head = self.view(i, &s).map(|v| v.link(&head)).unwrap_or(GENESIS);
            if let Some(kept) = self.kept_hash(i) {
                if kept != head {
                    return Err(LedgerError::Tampered {
                        index: i,
                        event_id: self.event_ids.get(&i).map(|id| id.to_string()),
                        reason: "the records up to it do not give its hash".to_owned(),
                    });
                }
            }
        }
        #[cfg(feature = "sqlite")]
        if let Some(store) = &self.store {
            super::store::lock(store).verify(self)?;
        }
        Ok(head)
    }

    /// The chain hash of the last event ([`GENESIS`] for an empty ledger): publish it,
    /// and a later [`verify`](Self::verify) shows whether anything before it was
    /// rewritten.
    #[must_use]
    pub fn head(&self) -> ChainHash {
        self.head
    }

    /// The chain hash of the event at `index`: kept for every `MARK_EVERY`th event and
    /// the last, recomputed from the mark before it for the others.
    #[must_use]
    pub fn hash_at(&self, index: u64) -> Option<ChainHash> {
        self.hash_from(index, None)
    }

    /// The chain hash of the event at `index`, going on from `known` (an earlier
    /// position and its hash) when that is nearer than the mark before it.
    fn hash_from(&self, index: u64, known: Option<(u64, ChainHash)>) -> Option<ChainHash> {
        if index >= self.events.len() {
            return None;
        }
        if let Some(h) = self.kept_hash(index) {
            return Some(h);
        }
        let block = index / MARK_EVERY;
        let (mut next, mut hash) = match block.checked_sub(1) {
            Some(b) => (
                block * MARK_EVERY,
                *self.marks.get(usize::try_from(b).ok()?)?,
            ),
            None => (0, GENESIS),
        };
        if let Some((at, h)) = known.filter(|(at, _)| *at >= next && *at < index) {
            (next, hash) = (at + 1, h);
        }
        for (at, s) in self.events.iter_from(next) {
            if at > index {
                break;
            }
            hash = self.view(at, &s)?.link(&hash);
            next = at + 1;
        }
        (next > index).then_some(hash)
    }

    /// The hash this ledger keeps for the event at `index`: a mark's, or the head for the
    /// last event; `None` for the events between marks.
    pub(super) fn kept_hash(&self, index: u64) -> Option<ChainHash> {
        if index + 1 == self.events.len() {
            return Some(self.head);
        }
        if (index + 1) % MARK_EVERY == 0 {
            let k = usize::try_from((index + 1) / MARK_EVERY - 1).ok()?;
            return self.marks.get(k).copied();
        }
        None
    }

    /// Every event, in order.
    pub fn events(&self) -> impl Iterator<Item = EventRecord> + '_ {
        self.events
            .iter_from(0)
            .filter_map(|(i, s)| self.record(i, &s))
    }

    /// Number of events.
    #[must_use]
    pub fn len(&self) -> usize {
        usize::try_from(self.events.len()).unwrap_or(usize::MAX)
    }

    /// Whether there are no events.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.events.len() == 0
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
        let positions: Vec<u32> = self
            .state
            .index
            .get(&self.state.cases, id)
            .into_iter()
            .collect();
        self.events_about(&positions)
            .into_iter()
            .filter_map(|(i, s)| self.record(i, &s))
    }

    /// The events about some cases, in order, each with its position: each case's chain
    /// of events followed back from its last, or (in a ledger too long for the chains) a
    /// reading of every event. Each is decoded once, here.
    fn events_about(&self, cases: &[u32]) -> Vec<(u64, Stored)> {
        let mut out = Vec::new();
        if self.events.len() >= u64::from(NO_EVENT) {
            let mut sorted = cases.to_vec();
            sorted.sort_unstable();
            return self
                .events
                .iter_from(0)
                .filter(|(_, s)| sorted.binary_search(&s.case).is_ok())
                .collect();
        }
        for &case in cases {
            let mut at = self.last.get(case as usize).copied().unwrap_or(NO_EVENT);
            while let Some(s) = self.events.get(u64::from(at)) {
                out.push((u64::from(at), s));
                at = s.prev;
            }
        }
        out.sort_unstable_by_key(|(i, _)| *i);
        out.dedup_by_key(|(i, _)| *i);
        out
    }

    /// The events about some cases (by their positions), in order, each with its position
    /// in the ledger and its chain hash.
    pub(crate) fn events_of(
        &self,
        positions: &[u32],
    ) -> impl Iterator<Item = (u64, ChainHash, EventRecord)> + '_ {
        let mut known = None;
        self.events_about(positions)
            .into_iter()
            .filter_map(move |(i, s)| {
                let hash = self.hash_from(i, known)?;
                known = Some((i, hash));
                Some((i, hash, self.record(i, &s)?))
            })
    }

    /// The position of a case.
    pub(crate) fn position(&self, id: &str) -> Option<u32> {
        self.state.index.get(&self.state.cases, id)
    }

    /// Folds in a record read back from the file: it must follow the chain.
    #[cfg(feature = "sqlite")]
    pub(super) fn replay(&mut self, seq: u64, bytes: &[u8], hash: ChainHash) -> Result<(), String> {
        let mut record: EventRecord = serde_json::from_slice(bytes)
            .map_err(|e| format!("record {seq} does not parse: {e}"))?;
        let expected = chain(&self.head, bytes);
        if expected != hash {
            return Err(format!(
                "record {seq}{} does not follow the chain: it was changed, or one before it was removed or moved",
                event_label(record.event_id.as_deref())
            ));
        }
        self.pool_ids(&mut record);
        let case = self
            .state
            .step(&record)
            .map_err(|e| format!("record {seq} is refused on replay: {e}"))?;
        self.keep(record, case, hash);
        Ok(())
    }
}
#[cfg(test)]
mod tests {
    use super::Ledger;

    /// The events of case `id`: reported at `location`, taken in, routed to `unit` and
    /// `handler`, as JSON records.
    pub(super) fn events(id: &str, location: &str, unit: &str, handler: &str) -> String {
        format!(
            r#"{{"case": "{id}", "at": "2026-03-02T09:00:00+08:00", "actor": "fs-gw001",
              "event": {{"type": "reported", "case": {{"id": "{id}", "channel": "visit",
                "category": "livelihood", "location": "{location}",
                "reported_at": "2026-03-02T09:00:00+08:00"}}}}}},
            {{"case": "{id}", "at": "2026-03-02T09:05:00+08:00", "actor": "fs-gw001",
              "event": {{"type": "accepted"}}}},
            {{"case": "{id}", "at": "2026-03-02T09:06:00+08:00", "actor": "fs-gw001",
              "event": {{"type": "assigned", "assignment": {{"level": "micro_grid",
                "unit": "{unit}", "handler": "{handler}", "flags": ["on_the_spot"],
                "rule": "fushan-2026/route/r07",
                "time_limit": "2 working days", "due": "2026-03-04T09:06:00+08:00"}}}}}}"#
        )
    }

    /// The events of three cases: two at one micro-grid with one handler, one at another.
    fn three_cases() -> (String, String, String) {
        (
            events("c1", "fs-c01-g01-m1", "fs-c01-g01-m1", "fs-mgl001"),
            events("c2", "fs-c01-g01-m1", "fs-c01-g01-m1", "fs-mgl001"),
            events("c3", "fs-c01-g01-m2", "fs-c01-g01-m2", "fs-mgl002"),
        )
    }

    fn text<T: AsRef<str>>(id: Option<&T>) -> &str {
        id.unwrap().as_ref()
    }

    /// Whether two texts are one text in memory.
    fn same(a: &str, b: &str) -> bool {
        a == b && std::ptr::eq(a.as_ptr(), b.as_ptr())
    }

    /// Ids read from JSON share one copy of each text, whichever way the events came in
    /// (one at a time, in a batch, in a ledger document); different texts stay apart.
    #[test]
    fn ids_read_from_json_are_held_once() {
        let (a, b, c) = three_cases();
        let one_by_one = {
            let mut ledger = Ledger::new();
            let all: Vec<serde_json::Value> =
                serde_json::from_str(&format!("[{a}, {b}, {c}]")).unwrap();
            for e in all {
                ledger.append_json_str(&e.to_string()).unwrap();
            }
            ledger
        };
        let batch = {
            let mut ledger = Ledger::new();
            ledger
                .append_all_json_str(&format!("[{a}, {b}, {c}]"))
                .unwrap();
            ledger
        };
        let document =
            Ledger::from_json_str(&format!(r#"{{"format": 1, "events": [{a}, {b}, {c}]}}"#))
                .unwrap();
        for ledger in [&one_by_one, &batch, &document] {
            let case = |id: &str| ledger.case(id).unwrap();
            let (c1, c2, c3) = (case("c1"), case("c2"), case("c3"));
            assert!(same(c1.location.as_str(), c2.location.as_str()));
            assert!(same(c1.case.location.as_str(), c2.case.location.as_str()));
            assert!(same(c1.case.category.as_str(), c3.case.category.as_str()));
            assert!(same(c1.case.channel.as_str(), c3.case.channel.as_str()));
            assert!(same(c1.owner.as_str(), c2.owner.as_str()));
            assert!(same(
                text(c1.dispatcher.as_ref()),
                text(c3.dispatcher.as_ref())
            ));
            let (a1, a2, a3) = (
                c1.assignment.as_ref().unwrap(),
                c2.assignment.as_ref().unwrap(),
                c3.assignment.as_ref().unwrap(),
            );
            assert!(same(text(a1.unit.as_ref()), text(a2.unit.as_ref())));
            // A decision's unit shares the text of a case's location.
            assert!(same(text(a1.unit.as_ref()), c1.case.location.as_str()));
            assert!(same(text(a1.handler.as_ref()), text(a2.handler.as_ref())));
            assert!(same(a1.flags[0].as_str(), a3.flags[0].as_str()));
            assert!(same(text(a1.rule.as_ref()), text(a3.rule.as_ref())));
            // Different texts are not merged.
            assert_ne!(c1.case.location, c3.case.location);
            assert_ne!(a1.handler, a3.handler);
            // Two locations (which are the units), three people, a category, a channel, a
            // flag, a rule.
            assert_eq!(ledger.pool.len(), 9, "{:?}", ledger.pool);
        }
        assert_eq!(one_by_one.to_json(), document.to_json());
        assert_eq!(batch.to_json(), document.to_json());
    }

    /// The ids of a state read from a snapshot are held once too, and a case's decision
    /// and the one in force when it was resolved are one when they are equal; the state
    /// is the one the snapshot was taken of.
    #[test]
    fn ids_read_from_a_snapshot_are_held_once() {
        let (a, b, c) = three_cases();
        let mut ledger = Ledger::new();
        ledger
            .append_all_json_str(&format!("[{a}, {b}, {c}]"))
            .unwrap();
        ledger
            .append_json_str(
                r#"{"case": "c2", "at": "2026-03-03T09:00:00+08:00", "actor": "fs-mgl001",
                    "event": {"type": "resolved", "level": "micro_grid", "how": "mediated"}}"#,
            )
            .unwrap();
        let snapshot = ledger.state().to_json();
        let state = super::LedgerState::from_json_str(&snapshot).unwrap();
        assert_eq!(state.to_json(), snapshot);
        let case = |id: &str| state.case(id).unwrap();
        let (c1, c2, c3) = (case("c1"), case("c2"), case("c3"));
        assert!(same(c1.location.as_str(), c2.location.as_str()));
        assert!(same(c1.case.location.as_str(), c2.location.as_str()));
        assert!(same(c1.category.as_str(), c3.category.as_str()));
        assert!(same(c1.case.channel.as_str(), c3.case.channel.as_str()));
        assert!(same(c1.owner.as_str(), c2.owner.as_str()));
        let (a1, a2) = (
            c1.assignment.as_ref().unwrap(),
            c2.assignment.as_ref().unwrap(),
        );
        assert!(same(text(a1.unit.as_ref()), text(a2.unit.as_ref())));
        assert!(same(text(a1.unit.as_ref()), c1.location.as_str()));
        assert!(same(text(a1.handler.as_ref()), text(a2.handler.as_ref())));
        assert!(same(
            text(a1.handler.as_ref()),
            text(c2.resolved_by.as_ref())
        ));
        let resolved = c2.resolved_assignment.as_ref().unwrap();
        assert!(std::sync::Arc::ptr_eq(a2, resolved));
        assert_ne!(c1.location, c3.location);
    }

    /// A ledger built from a snapshot holds the snapshot's ids for the events after it:
    /// a later case at the same place, routed to the same unit and handler, shares their
    /// texts with the cases of the snapshot.
    #[test]
    fn events_after_a_snapshot_share_its_ids() {
        let (a, b, _) = three_cases();
        let mut before = Ledger::new();
        before.append_all_json_str(&format!("[{a}, {b}]")).unwrap();
        let state = super::LedgerState::from_json_str(&before.state().to_json()).unwrap();
        let later: Vec<super::EventRecord> = serde_json::from_str(&format!(
            "[{}]",
            events("c9", "fs-c01-g01-m1", "fs-c01-g01-m1", "fs-mgl001")
        ))
        .unwrap();
        let ledger = Ledger::from_snapshot(state, later).unwrap();
        let (c1, c9) = (ledger.case("c1").unwrap(), ledger.case("c9").unwrap());
        assert!(same(c9.case.location.as_str(), c1.case.location.as_str()));
        assert!(same(c9.case.category.as_str(), c1.case.category.as_str()));
        let (a1, a9) = (
            c1.assignment.as_ref().unwrap(),
            c9.assignment.as_ref().unwrap(),
        );
        assert!(same(text(a9.unit.as_ref()), text(a1.unit.as_ref())));
        assert!(same(text(a9.handler.as_ref()), text(a1.handler.as_ref())));
        assert!(same(text(a9.rule.as_ref()), text(a1.rule.as_ref())));
    }

    /// Events of the same JSON keep one copy of it, events of other JSON their own; each
    /// still prints its own text, and the ledger reads back the same, chain and all.
    #[test]
    fn events_of_one_json_share_one_text() {
        use super::super::event::Event;
        let (a, b, c) = three_cases();
        let pause = |id: &str, reason: &str| {
            format!(
                r#"{{"case": "{id}", "at": "2026-03-02T10:00:00+08:00", "actor": "fs-mgl001",
                  "event": {{"type": "paused", "reason": "{reason}"}}}}"#
            )
        };
        let document = format!(
            r#"{{"format": 1, "events": [{a}, {b}, {c}, {}, {}, {}]}}"#,
            pause("c1", "等待"),
            pause("c2", "等待"),
            pause("c3", "缺材料")
        );
        let ledger = Ledger::from_json_str(&document).unwrap();
        let json = |e: Event| serde_json::to_string(&e).unwrap();
        let distinct = [
            json(Event::Accepted {}),
            json(Event::Paused {
                reason: "等待".to_owned(),
            }),
            json(Event::Paused {
                reason: "缺材料".to_owned(),
            }),
        ];
        // Three "accepted" and two "等待" are kept once each.
        assert_eq!(ledger.text.list.joined(), distinct.concat());
        assert_eq!(ledger.text.list.len(), 3);
        let printed = ledger.to_json();
        assert_eq!(printed.matches(r#""type":"accepted""#).count(), 3);
        assert_eq!(printed.matches("等待").count(), 2);
        assert_eq!(printed.matches("缺材料").count(), 1);
        let again = Ledger::from_json_str(&printed).unwrap();
        assert_eq!(again.to_json(), printed);
        assert_eq!(again.head(), ledger.head());
        assert_eq!(again.case("c3").unwrap(), ledger.case("c3").unwrap());
    }

    /// A case's lists take room for one item at the first, and the pauses a new decision
    /// ends take none: most cases pause once or never, and climb once or never.
    #[test]
    fn a_case_s_lists_take_room_for_what_they_hold() {
        let (a, _, _) = three_cases();
        let event = |at: &str, event: &str| {
            format!(
                r#"{{"case": "c1", "at": "2026-03-02T{at}:00+08:00", "actor": "fs-mgl001", "event": {event}}}"#
            )
        };
        let paused = event("10:00", r#"{"type": "paused", "reason": "等待"}"#);
        let resumed = event("11:00", r#"{"type": "resumed"}"#);
        let climbed = event(
            "12:00",
            r#"{"type": "escalated", "from": "micro_grid", "to": "grid", "reason": "overdue",
                "assignment": {"level": "grid", "unit": "fs-c01-g01", "handler": "fs-gw001",
                  "time_limit": "3 working days", "due": "2026-03-05T12:00:00+08:00"}}"#,
        );
        let mut ledger =
            Ledger::from_json_str(&format!(r#"{{"format": 1, "events": [{a}, {paused}]}}"#))
                .unwrap();
        let c1 = ledger.case("c1").unwrap();
        assert_eq!((c1.pauses.len(), c1.pauses.capacity()), (1, 1));
        ledger.append_json_str(&resumed).unwrap();
        ledger.append_json_str(&climbed).unwrap();
        let c1 = ledger.case("c1").unwrap();
        assert_eq!(c1.pauses.capacity(), 0);
        assert_eq!(c1.escalations.capacity(), 1);
        assert_eq!(c1.followers.len(), 1);
        assert_eq!(c1.followers.capacity(), 1);
    }

    proptest::proptest! {
        /// The index finds every case at its position, and nothing else: after cases
        /// reported one by one, after a batch of reports taken back whole (its last event
        /// refused), after those ids are reported again, and in a state read back from its
        /// snapshot.
        #[test]
        fn the_index_finds_each_case_and_nothing_else(
            kept in proptest::collection::btree_set(0u32..5_000, 1..40),
            taken_back in proptest::collection::btree_set(5_000u32..10_000, 1..20),
        ) {
            let report = |n: u32| events(&format!("c{n}"), "fs-c01-g01-m1", "fs-c01-g01-m1", "fs-mgl001");
            let mut ledger = Ledger::new();
            for &n in &kept {
                ledger.append_all_json_str(&format!("[{}]", report(n))).unwrap();
            }
            let refused = r#"{"case": "c0", "at": "2026-03-02T09:00:00+08:00", "actor": "fs-gw001",
                "event": {"type": "evaluated", "satisfaction": 5}}"#;
            let batch: Vec<String> = taken_back.iter().map(|&n| report(n)).collect();
            assert!(ledger
                .append_all_json_str(&format!("[{}, {refused}]", batch.join(", ")))
                .is_err());
            let check = |ledger: &Ledger, present: &[u32], absent: &[u32]| {
                for (i, n) in present.iter().enumerate() {
                    let id = format!("c{n}");
                    assert_eq!(ledger.position(&id), Some(i as u32), "{id}");
                    assert_eq!(ledger.case(&id).unwrap().case.id.as_str(), id);
                }
                for n in absent {
                    assert_eq!(ledger.position(&format!("c{n}")), None);
                }
                assert_eq!(ledger.position("c-unknown"), None);
            };
            let kept: Vec<u32> = kept.into_iter().collect();
            let taken_back: Vec<u32> = taken_back.into_iter().collect();
            check(&ledger, &kept, &taken_back);
            ledger.append_all_json_str(&format!("[{}]", batch.join(", "))).unwrap();
            let all: Vec<u32> = kept.iter().chain(&taken_back).copied().collect();
            check(&ledger, &all, &[]);
            let snapshot = ledger.state().to_json();
            let state = super::LedgerState::from_json_str(&snapshot).unwrap();
            for (i, n) in all.iter().enumerate() {
                let id = format!("c{n}");
                assert_eq!(state.case(&id).map(|c| c.case.id.as_str()), Some(id.as_str()));
                assert_eq!(state.cases()[i].case.id.as_str(), id);
            }
            assert!(state.case("c-unknown").is_none());
        }
    }

    /// A case costs the ledger its report, its state and (shared with its events) its
    /// decisions, a million times over: ids, texts, rule paths, lists and attributes of one
    /// pointer, one-word timestamps, the fields few states and decisions set kept apart.
    /// They were 352, 456 and 216 bytes.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_report_a_state_and_a_decision_stay_small() {
        assert_eq!(std::mem::size_of::<super::Case>(), 168);
        assert_eq!(std::mem::size_of::<super::CaseState>(), 192);
        assert_eq!(std::mem::size_of::<super::Assignment>(), 88);
        assert_eq!(std::mem::size_of::<crate::calendar::TimeLimit>(), 4);
        assert_eq!(std::mem::size_of::<Option<crate::UnitId>>(), 8);
    }

    /// An event costs the ledger some ten bytes, packed (see `log`), the link to the
    /// case's event before it included; its JSON text, for events kept as text, once per
    /// distinct text; its decision shared with the state. Ten million events must not grow
    /// back to the 32 bytes each they took as a struct, let alone the 232 of whole
    /// `Event`s with their hashes.
    #[test]
    fn an_event_takes_a_few_bytes() {
        let docs: Vec<String> = (0..500)
            .map(|i| {
                events(
                    &format!("c{i}"),
                    "fs-c01-g01-m1",
                    "fs-c01-g01-m1",
                    "fs-mgl001",
                )
            })
            .collect();
        let document = format!(r#"{{"format": 1, "events": [{}]}}"#, docs.join(","));
        let ledger = Ledger::from_json_str(&document).unwrap();
        assert_eq!(ledger.len(), 1_500);
        let per_event = ledger.events.bytes() as f64 / 1_500.0;
        assert!(per_event < 12.0, "{per_event} bytes per event");
        // They read back as they came: the same document, chain and all.
        let printed = ledger.to_json();
        let again = Ledger::from_json_str(&printed).unwrap();
        assert_eq!(again.to_json(), printed);
        assert_eq!(again.head(), ledger.head());
    }
}
