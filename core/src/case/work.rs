//! The grid's own work in the ledger, beside the cases: household visits and what they
//! found (常态化入户走访), the register of disputes screened in the grid (矛盾纠纷排查台账,
//! graded and classified, 分级分类), follow-up visits until an entry is resolved or sent up,
//! grid meetings (网格例会) with who attended, what was discussed and decided, and cases or
//! register entries given to a volunteer team.
//!
//! These records carry no `case` (a team given a case does); the ledger checks what it
//! can see (ids unique, entries and cases known, steps forward only), and the engine what
//! needs the organisation and the rule set (units, people, teams, grades and classes:
//! `Engine::check_work`).

use serde::{Deserialize, Serialize};

use rustc_hash::{FxHashMap, FxHashSet};

use super::event::{ActorId, Event, EventRecord};
use super::ledger::LedgerState;
use super::state::Visit;
use crate::id::{CaseId, Category, Name, PersonId, TeamId, UnitId, WorkId};
use crate::macros::named_enum;
use crate::time::Timestamp;

named_enum! {
    /// What a household visit found.
    Finding, "finding" {
        /// Nothing to follow up.
        Nothing = "nothing",
        /// A need of the household (a service to arrange, a matter to handle).
        Need = "need",
        /// A dispute, entered in the register.
        Dispute = "dispute",
        /// A risk or hidden danger (风险隐患).
        Risk = "risk",
    }
}

named_enum! {
    /// How far a register entry has come.
    RegisterStep, "register step" {
        /// Found and entered; not yet worked on.
        Found = "found",
        /// Being mediated in the grid.
        Mediating = "mediating",
        /// Resolved (化解); the entry is closed.
        Resolved = "resolved",
        /// Sent up to the community or above (上报); the entry is closed in the grid.
        SentUp = "sent_up",
    }
}

impl RegisterStep {
    /// Whether the entry is closed at this step.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Resolved | Self::SentUp)
    }

    const fn rank(self) -> u8 {
        match self {
            Self::Found => 0,
            Self::Mediating => 1,
            Self::Resolved | Self::SentUp => 2,
        }
    }
}

named_enum! {
    /// In what capacity someone attended a grid meeting.
    AttendeeRole, "attendee role" {
        /// The grid's worker.
        GridWorker = "grid_worker",
        /// The community committee member who liaises with the grid (社区两委包保联系网格).
        Liaison = "liaison",
        /// A people's congress deputy or CPPCC member posted to the grid (两代表一委员进网格).
        Deputy = "deputy",
        /// A residents' representative.
        ResidentRepresentative = "resident_representative",
        /// The head of a party-member lead household (党员中心户).
        LeadHousehold = "lead_household",
        /// A micro-grid leader.
        MicroGridLeader = "micro_grid_leader",
        /// Anyone else (a property company, an office's staff).
        Other = "other",
    }
}

/// A dispute screened in the grid, as entered in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RegisterEntry {
    /// Unique among the ledger's register entries.
    pub id: WorkId,
    /// Where: a micro-grid or grid (within the unit visited, when found on a visit).
    pub unit: UnitId,
    /// Its grade (分级): one of the rule set's grades.
    pub grade: Name,
    /// Its class (分类): one of the rule set's case categories.
    pub class: Category,
    /// How many parties are in it (at least two).
    pub parties: u32,
    /// How far it has come when entered (`found` unless resolved on the spot).
    #[serde(default = "found")]
    pub step: RegisterStep,
    /// The case opened for it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

const fn found() -> RegisterStep {
    RegisterStep::Found
}

/// A register entry as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RegisterState {
    /// The entry as registered.
    pub entry: RegisterEntry,
    /// When it was registered.
    pub registered_at: Timestamp,
    /// Who registered it.
    pub registered_by: ActorId,
    /// The visit it was found on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<WorkId>,
    /// Where it is now.
    pub step: RegisterStep,
    /// The case it is linked to now (given at entry or on a follow-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// The follow-up visits, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUp>,
    /// When it reached a final step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// The volunteer team it was given to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
}

impl RegisterState {
    /// When it was last worked on: its registration or its latest follow-up.
    #[must_use]
    pub fn last_at(&self) -> Timestamp {
        self.follow_ups.last().map_or(self.registered_at, |f| f.at)
    }
}

/// A follow-up visit on a register entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FollowUp {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: ActorId,
    /// The step reached.
    pub step: RegisterStep,
    /// What was done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Who attended a grid meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Attendee {
    /// In what capacity.
    pub role: AttendeeRole,
    /// The person of the organisation, when they are one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// The name, for someone outside the organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A matter a grid meeting discussed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Matter {
    /// A case of the ledger.
    Case {
        /// The case.
        case: CaseId,
    },
    /// A register entry.
    Register {
        /// The entry.
        entry: WorkId,
    },
    /// A demand many residents share (共性诉求).
    Demand {
        /// What it is.
        text: String,
    },
}

/// What a grid meeting decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum MeetingDecision {
    /// A case was opened (reported in the ledger before the meeting is recorded).
    CaseOpened {
        /// The case.
        case: CaseId,
    },
    /// A case or register entry was given to a person or a team.
    Assigned {
        /// The case, or else the entry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case: Option<CaseId>,
        /// The register entry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<WorkId>,
        /// The person, or else the team.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        person: Option<PersonId>,
        /// The volunteer team.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<TeamId>,
    },
    /// A long-term mechanism (长效机制) was set up.
    Mechanism {
        /// What it is.
        text: String,
    },
}

/// A grid meeting (网格例会).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Meeting {
    /// Unique among the ledger's meetings.
    pub id: WorkId,
    /// The grids it was held for (one, or several held together).
    pub grids: Vec<UnitId>,
    /// Who attended.
    pub attendees: Vec<Attendee>,
    /// What was discussed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matters: Vec<Matter>,
    /// What was decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<MeetingDecision>,
}

impl Meeting {
    /// Whether someone attended in this capacity.
    #[must_use]
    pub fn attended(&self, role: AttendeeRole) -> bool {
        self.attendees.iter().any(|a| a.role == role)
    }
}

/// A grid meeting as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MeetingRecord {
    /// The meeting.
    pub meeting: Meeting,
    /// When it was held.
    pub at: Timestamp,
    /// Who recorded it.
    pub actor: ActorId,
}

/// A grid-work record was refused: what was wrong and what would be valid. The ledger is
/// unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkError {
    /// A visit names a case.
    #[error("a `visited` event is not about one case; leave out `case` (it was `{case}`)")]
    CaseOnVisit {
        /// The case given.
        case: String,
    },
    /// A follow-up or meeting names a case.
    #[error("a `{event}` record is not about one case; leave out `case` (it was `{case}`)")]
    CaseOnWork {
        /// The event type.
        event: &'static str,
        /// The case given.
        case: String,
    },
    /// Household ids and the count disagree, or an id repeats.
    #[error("visit: {message}")]
    Households {
        /// What is wrong.
        message: String,
    },
    /// The findings do not fit together or with what the visit registered.
    #[error("visit: {message}")]
    Findings {
        /// What is wrong.
        message: String,
    },
    /// An id already used in the ledger.
    #[error("{what} `{id}` is already in the ledger; ids must be unique")]
    Duplicate {
        /// `visit`, `register entry` or `meeting`.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A register entry that is not in the ledger.
    #[error("register entry `{entry}` was never registered; register it on a visit first")]
    UnknownEntry {
        /// The entry.
        entry: String,
    },
    /// A follow-up on a closed entry, or a step backwards.
    #[error("register entry `{entry}` is at step `{at}`; it cannot go to `{to}` ({why})")]
    Step {
        /// The entry.
        entry: String,
        /// Its step now.
        at: RegisterStep,
        /// The step asked for.
        to: RegisterStep,
        /// Why not.
        why: &'static str,
    },
    /// A register entry with fewer than two parties.
    #[error("register entry `{entry}` has {parties} part{}; a dispute has at least 2", if *.parties == 1 { "y" } else { "ies" })]
    Parties {
        /// The entry.
        entry: String,
        /// The count given.
        parties: u32,
    },
    /// A case a visit opened that is not a visit's case.
    #[error("visit: case `{case}` {why}")]
    Opened {
        /// The case.
        case: String,
        /// What is wrong.
        why: String,
    },
    /// A case a record names that is not in the ledger.
    #[error("{what}: case `{case}` was never reported; report it first")]
    UnknownCase {
        /// Where it was named.
        what: &'static str,
        /// The case.
        case: String,
    },
    /// A meeting that is not whole.
    #[error("meeting `{meeting}`: {message}")]
    Meeting {
        /// The meeting.
        meeting: String,
        /// What is wrong.
        message: String,
    },
    /// A team given both or neither of a case and an entry.
    #[error(
        "a `team_assigned` record gives the team either a case (`case`) or a register entry (`entry`), {given}"
    )]
    TeamTarget {
        /// What was given.
        given: &'static str,
    },
}

impl WorkError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::CaseOnVisit { .. } => "case_on_visit",
            Self::CaseOnWork { .. } => "case_on_work",
            Self::Households { .. } => "visit_households",
            Self::Findings { .. } => "visit_findings",
            Self::Duplicate { .. } => "duplicate_work_id",
            Self::UnknownEntry { .. } => "unknown_entry",
            Self::Step { .. } => "register_step",
            Self::Parties { .. } => "register_parties",
            Self::Opened { .. } => "opened_case",
            Self::UnknownCase { .. } => "unknown_case",
            Self::Meeting { .. } => "bad_meeting",
            Self::TeamTarget { .. } => "team_target",
        }
    }
}

/// The visit channel: a case a visit opens comes in through it.
pub const VISIT_CHANNEL: &str = "visit";

/// The ids of the grid's work, for lookups in constant time: register entries by id (to
/// their position), visits and meetings by id, the cases visits opened. Kept by the fold
/// and its undo, rebuilt when a snapshot is loaded.
#[derive(Clone, Debug, Default)]
pub(super) struct WorkIndex {
    entries: FxHashMap<WorkId, usize>,
    visits: FxHashSet<WorkId>,
    meetings: FxHashSet<WorkId>,
    opened: FxHashSet<CaseId>,
}

impl WorkIndex {
    /// The index of a ledger's visits, register and meetings.
    pub(super) fn of(
        visits: &[Visit],
        register: &[RegisterState],
        meetings: &[MeetingRecord],
    ) -> Self {
        let mut ix = Self::default();
        for v in visits {
            ix.add_visit(v);
        }
        for (i, e) in register.iter().enumerate() {
            ix.entries.insert(e.entry.id.clone(), i);
        }
        ix.meetings = meetings.iter().map(|m| m.meeting.id.clone()).collect();
        ix
    }

    fn add_visit(&mut self, v: &Visit) {
        if let Some(id) = &v.id {
            self.visits.insert(id.clone());
        }
        self.opened.extend(v.opened.iter().cloned());
    }

    fn remove_visit(&mut self, v: &Visit) {
        if let Some(id) = &v.id {
            self.visits.remove(id);
        }
        for c in &v.opened {
            self.opened.remove(c);
        }
    }
}

/// How to take back a grid-work record applied in a batch.
pub(super) enum WorkUndo {
    /// A visit was added, with this many register entries.
    Visit(usize),
    /// A register entry changed: its earlier state.
    Entry(usize, Box<RegisterState>),
    /// A meeting was added.
    Meeting,
}

impl LedgerState {
    /// The register of screened disputes, in the order entered.
    #[must_use]
    pub fn register(&self) -> &[RegisterState] {
        &self.register
    }

    /// A register entry.
    #[must_use]
    pub fn entry(&self, id: &str) -> Option<&RegisterState> {
        self.work
            .entries
            .get(id)
            .and_then(|&i| self.register.get(i))
    }

    /// The grid meetings, in the order recorded.
    #[must_use]
    pub fn meetings(&self) -> &[MeetingRecord] {
        &self.meetings
    }

    fn entry_position(&self, id: &str) -> Result<usize, WorkError> {
        self.work
            .entries
            .get(id)
            .copied()
            .ok_or_else(|| WorkError::UnknownEntry {
                entry: id.to_owned(),
            })
    }

    fn known_case(&self, what: &'static str, case: &CaseId) -> Result<(), WorkError> {
        if self.case(case.as_str()).is_some() {
            Ok(())
        } else {
            Err(WorkError::UnknownCase {
                what,
                case: case.to_string(),
            })
        }
    }

    /// Checks a grid-work record (a visit, a follow-up, a meeting, a team given a register
    /// entry); `Ok(false)` when the record is not one (a case event).
    pub(super) fn validate_work(&self, r: &EventRecord) -> Result<bool, WorkError> {
        let no_case = |event: &'static str| match &r.case {
            Some(c) if event == "visited" => Err(WorkError::CaseOnVisit {
                case: c.to_string(),
            }),
            Some(c) => Err(WorkError::CaseOnWork {
                event,
                case: c.to_string(),
            }),
            None => Ok(()),
        };
        match &r.event {
            Event::Visited {
                households,
                household_ids,
                found,
                visit,
                opened,
                registered,
                ..
            } => {
                no_case("visited")?;
                self.check_visit(
                    *households,
                    household_ids,
                    found,
                    visit.as_ref(),
                    opened,
                    registered,
                )?;
            }
            Event::FollowedUp {
                entry, step, case, ..
            } => {
                no_case("followed_up")?;
                if let Some(c) = case {
                    self.known_case("follow-up", c)?;
                }
                let e = self
                    .register
                    .get(self.entry_position(entry.as_str())?)
                    .ok_or_else(|| WorkError::UnknownEntry {
                        entry: entry.to_string(),
                    })?;
                let why = if e.step.is_final() {
                    Some("the entry is closed")
                } else if step.rank() < e.step.rank() {
                    Some("steps go forward only")
                } else {
                    None
                };
                if let Some(why) = why {
                    return Err(WorkError::Step {
                        entry: entry.to_string(),
                        at: e.step,
                        to: *step,
                        why,
                    });
                }
            }
            Event::MeetingHeld { meeting } => {
                no_case("meeting_held")?;
                self.check_meeting(meeting)?;
            }
            Event::TeamAssigned { entry, .. } => match (&r.case, entry) {
                (Some(_), Some(_)) => {
                    return Err(WorkError::TeamTarget { given: "not both" });
                }
                (None, None) => return Err(WorkError::TeamTarget { given: "none was" }),
                (Some(_), None) => return Ok(false),
                (None, Some(e)) => {
                    self.entry_position(e.as_str())?;
                }
            },
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn check_visit(
        &self,
        households: u32,
        household_ids: &[WorkId],
        found: &[Finding],
        visit: Option<&WorkId>,
        opened: &[CaseId],
        registered: &[RegisterEntry],
    ) -> Result<(), WorkError> {
        if !household_ids.is_empty() {
            if usize::try_from(households).ok() != Some(household_ids.len()) {
                return Err(WorkError::Households {
                    message: format!(
                        "`households` is {households} but `household_ids` lists {}; give the count of the ids (or leave the ids out)",
                        household_ids.len()
                    ),
                });
            }
            let mut seen = std::collections::BTreeSet::new();
            for h in household_ids {
                if !seen.insert(h.as_str()) {
                    return Err(WorkError::Households {
                        message: format!("household `{h}` is listed twice"),
                    });
                }
            }
        }
        if found.contains(&Finding::Nothing) && found.len() > 1 {
            return Err(WorkError::Findings {
                message: "`nothing` cannot be found together with a need, dispute or risk"
                    .to_owned(),
            });
        }
        let disputes = found.contains(&Finding::Dispute);
        if disputes == registered.is_empty() {
            return Err(WorkError::Findings {
                message: if disputes {
                    "it found a dispute but registers none; enter it in `registered` (矛盾纠纷排查台账)".to_owned()
                } else {
                    "it registers disputes but `found` does not list `dispute`".to_owned()
                },
            });
        }
        if let Some(v) = visit {
            if self
                .visits
                .iter()
                .any(|x| x.id.as_ref().is_some_and(|i| i == v))
            {
                return Err(WorkError::Duplicate {
                    what: "visit",
                    id: v.to_string(),
                });
            }
        }
        for c in opened {
            let Some(state) = self.case(c.as_str()) else {
                return Err(WorkError::UnknownCase {
                    what: "visit",
                    case: c.to_string(),
                });
            };
            if state.case.channel.as_str() != VISIT_CHANNEL {
                return Err(WorkError::Opened {
                    case: c.to_string(),
                    why: format!(
                        "came in through channel `{}`; a case a visit opens comes in through `{VISIT_CHANNEL}`",
                        state.case.channel
                    ),
                });
            }
            if self.work.opened.contains(c) {
                return Err(WorkError::Opened {
                    case: c.to_string(),
                    why: "was opened by an earlier visit".to_owned(),
                });
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for e in registered {
            if !ids.insert(e.id.as_str()) || self.work.entries.contains_key(&e.id) {
                return Err(WorkError::Duplicate {
                    what: "register entry",
                    id: e.id.to_string(),
                });
            }
            if e.parties < 2 {
                return Err(WorkError::Parties {
                    entry: e.id.to_string(),
                    parties: e.parties,
                });
            }
            if let Some(c) = &e.case {
                self.known_case("register entry", c)?;
            }
        }
        Ok(())
    }

    fn check_meeting(&self, m: &Meeting) -> Result<(), WorkError> {
        let bad = |message: String| WorkError::Meeting {
            meeting: m.id.to_string(),
            message,
        };
        if self.work.meetings.contains(&m.id) {
            return Err(WorkError::Duplicate {
                what: "meeting",
                id: m.id.to_string(),
            });
        }
        if m.grids.is_empty() {
            return Err(bad(
                "it names no grid; list the grids it was held for".to_owned()
            ));
        }
        if m.attendees.is_empty() {
            return Err(bad("nobody attended; list the attendees".to_owned()));
        }
        for (i, a) in m.attendees.iter().enumerate() {
            if a.person.is_none() && a.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(bad(format!(
                    "attendee {} ({}) has neither a `person` nor a `name`",
                    i + 1,
                    a.role
                )));
            }
        }
        for matter in &m.matters {
            match matter {
                Matter::Case { case } => self.known_case("meeting", case)?,
                Matter::Register { entry } => {
                    self.entry_position(entry.as_str())?;
                }
                Matter::Demand { text } if text.trim().is_empty() => {
                    return Err(bad("a demand discussed has no text".to_owned()));
                }
                Matter::Demand { .. } => {}
            }
        }
        for d in &m.decisions {
            match d {
                MeetingDecision::CaseOpened { case } => self.known_case("meeting", case)?,
                MeetingDecision::Assigned {
                    case,
                    entry,
                    person,
                    team,
                } => {
                    match (case, entry) {
                        (Some(c), None) => self.known_case("meeting", c)?,
                        (None, Some(e)) => {
                            self.entry_position(e.as_str())?;
                        }
                        _ => {
                            return Err(bad(
                                "an assignment names either a `case` or an `entry`".to_owned()
                            ));
                        }
                    }
                    if person.is_some() == team.is_some() {
                        return Err(bad(
                            "an assignment gives the matter to either a `person` or a `team`"
                                .to_owned(),
                        ));
                    }
                }
                MeetingDecision::Mechanism { text } if text.trim().is_empty() => {
                    return Err(bad("a long-term mechanism decided has no text".to_owned()));
                }
                MeetingDecision::Mechanism { .. } => {}
            }
        }
        Ok(())
    }

    /// What it takes to undo a grid-work record; `None` for a case event.
    pub(super) fn work_undo(&self, r: &EventRecord) -> Option<WorkUndo> {
        match &r.event {
            Event::Visited { .. } => Some(WorkUndo::Visit(self.register.len())),
            Event::MeetingHeld { .. } => Some(WorkUndo::Meeting),
            Event::FollowedUp { entry, .. }
            | Event::TeamAssigned {
                entry: Some(entry), ..
            } if r.case.is_none() => {
                let i = self.entry_position(entry.as_str()).ok()?;
                let old = self.register.get(i)?;
                Some(WorkUndo::Entry(i, Box::new(old.clone())))
            }
            _ => None,
        }
    }

    /// Takes back a grid-work record.
    pub(super) fn undo_work(&mut self, undo: WorkUndo) {
        match undo {
            WorkUndo::Visit(entries) => {
                if let Some(v) = self.visits.pop() {
                    self.work.remove_visit(&v);
                }
                for e in self.register.drain(entries..) {
                    self.work.entries.remove(&e.entry.id);
                }
            }
            WorkUndo::Entry(i, old) => {
                if let Some(slot) = self.register.get_mut(i) {
                    *slot = *old;
                }
            }
            WorkUndo::Meeting => {
                if let Some(m) = self.meetings.pop() {
                    self.work.meetings.remove(&m.meeting.id);
                }
            }
        }
    }

    fn entry_mut(&mut self, id: &WorkId) -> Option<&mut RegisterState> {
        let i = *self.work.entries.get(id)?;
        self.register.get_mut(i)
    }

    /// Folds in a checked grid-work record.
    pub(super) fn fold_work(&mut self, r: &EventRecord) {
        match &r.event {
            Event::Visited {
                unit,
                households,
                household_ids,
                found,
                visit,
                opened,
                registered,
                note,
            } => {
                for e in registered {
                    self.work.entries.insert(e.id.clone(), self.register.len());
                    self.register.push(RegisterState {
                        entry: e.clone(),
                        registered_at: r.at,
                        registered_by: r.actor.clone(),
                        visit: visit.clone(),
                        step: e.step,
                        case: e.case.clone(),
                        follow_ups: Vec::new(),
                        closed_at: e.step.is_final().then_some(r.at),
                        team: None,
                    });
                }
                let v = Visit {
                    unit: unit.clone(),
                    households: *households,
                    at: r.at,
                    actor: r.actor.clone(),
                    id: visit.clone(),
                    household_ids: household_ids.clone(),
                    found: found.clone(),
                    opened: opened.clone(),
                    registered: registered.iter().map(|e| e.id.clone()).collect(),
                    note: note.clone(),
                };
                self.work.add_visit(&v);
                self.visits.push(v);
            }
            Event::FollowedUp {
                entry,
                step,
                note,
                case,
            } => {
                if let Some(e) = self.entry_mut(entry) {
                    e.step = *step;
                    if case.is_some() {
                        e.case.clone_from(case);
                    }
                    e.follow_ups.push(FollowUp {
                        at: r.at,
                        actor: r.actor.clone(),
                        step: *step,
                        note: note.clone(),
                    });
                    if step.is_final() {
                        e.closed_at = Some(r.at);
                    }
                }
            }
            Event::MeetingHeld { meeting } => {
                self.work.meetings.insert(meeting.id.clone());
                self.meetings.push(MeetingRecord {
                    meeting: meeting.clone(),
                    at: r.at,
                    actor: r.actor.clone(),
                });
            }
            Event::TeamAssigned {
                team,
                entry: Some(entry),
                ..
            } => {
                if let Some(e) = self.entry_mut(entry) {
                    e.team = Some(team.clone());
                }
            }
            _ => {}
        }
    }
}
