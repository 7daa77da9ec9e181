//! The grid's own work at the engine (see [`crate::case::work`] for the records): the
//! checks a visit, register entry, meeting or team assignment must pass against the
//! organisation and the rule set when recorded; what `actions` lists (grid meetings missed
//! by the rule set's cadence, register entries due a follow-up visit); volunteer teams
//! suggested for a case; and the month's summary of visits, register, meetings and team
//! work that the month report shows.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::case::event::{Event, EventRecord};
use crate::case::ledger::Ledger;
use crate::case::work::{MeetingDecision, RegisterEntry, RegisterStep};
use crate::engine::Engine;
use crate::id::{TeamId, UnitId, WorkId};
use crate::org::{OrgGraph, UnitKind};
use crate::rules::grid_work::{Cadence, DEFAULT_REQUIRED, GridWorkSpec};
use crate::time::{Date, Timestamp};

/// A grid-work record does not fit the organisation or the rule set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GridWorkError {
    /// A unit that is not one of the organisation's, or of the wrong kind.
    #[error("{what}: `{unit}` is not a {expected} of the organisation")]
    Unit {
        /// Where it was named.
        what: String,
        /// The unit.
        unit: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A case or entry outside the unit visited.
    #[error("{what} lies in `{place}`, outside `{visited}`, the unit visited")]
    Outside {
        /// The case or entry.
        what: String,
        /// Where it lies.
        place: String,
        /// The unit visited.
        visited: String,
    },
    /// A register entry's grade or class that the rule set does not declare.
    #[error(
        "register entry `{entry}`: {field} `{value}` is not one the rule set declares; valid: {valid}"
    )]
    Vocabulary {
        /// The entry.
        entry: String,
        /// `grade` or `class`.
        field: &'static str,
        /// The value given.
        value: String,
        /// The valid values.
        valid: String,
    },
    /// A person who is not in the organisation.
    #[error("{what}: `{person}` is not a person of the organisation")]
    Person {
        /// Where they were named.
        what: String,
        /// The person.
        person: String,
    },
    /// A team that is not one of the organisation's.
    #[error("`{team}` is not a volunteer team of the organisation")]
    UnknownTeam {
        /// The team.
        team: String,
    },
    /// A team given work outside the grids it serves.
    #[error(
        "volunteer team `{team}` serves {grids}, not `{grid}`, where the {what} lies; give it to a team that serves that grid (the teams suggested for the case)"
    )]
    TeamOutside {
        /// The team.
        team: String,
        /// The grids it serves.
        grids: String,
        /// The grid of the case or entry.
        grid: String,
        /// `case` or `register entry`.
        what: &'static str,
    },
}

impl GridWorkError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Unit { .. } => "work_unit",
            Self::Outside { .. } => "work_outside",
            Self::Vocabulary { .. } => "register_vocabulary",
            Self::Person { .. } => "unknown_person",
            Self::UnknownTeam { .. } => "unknown_team",
            Self::TeamOutside { .. } => "team_outside",
        }
    }
}

/// A grid that held no meeting in a whole period of the rule set's cadence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MissedMeeting {
    /// The grid.
    pub grid: UnitId,
    /// The cadence.
    pub every: Cadence,
    /// The period's first day.
    pub from: Date,
    /// The first day after it.
    pub until: Date,
    /// When the grid last met before the period ended, if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_held: Option<Timestamp>,
}

/// An open register entry due, or late for, a follow-up visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FollowUpDue {
    /// The entry.
    pub entry: WorkId,
    /// Where it lies.
    pub unit: UnitId,
    /// Its step.
    pub step: RegisterStep,
    /// When it was last worked on (registered or followed up).
    pub last_at: Timestamp,
    /// When the next follow-up was due.
    pub due: Timestamp,
}

/// A volunteer team that may take a case: it serves the case's grid, and how many of the
/// case's work areas it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TeamSuggestion {
    /// The team.
    pub team: TeamId,
    /// Its name.
    pub name: String,
    /// The case's work areas it covers (those of the category, through the duty lists).
    pub areas: Vec<crate::id::Name>,
    /// Its members.
    pub members: u32,
}

/// The grid's own work in a period: visits and households reached, the register, grid
/// meetings and what volunteer teams were given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WorkSummary {
    /// Household visits.
    pub visits: u32,
    /// Households visited, counted once each where visits name them by id and by count
    /// where they do not.
    pub households: u32,
    /// Visits by what they found: `nothing`, `need`, `dispute`, `risk` (a visit may find
    /// several).
    pub findings: BTreeMap<&'static str, u32>,
    /// Cases opened on visits.
    pub cases_opened: u32,
    /// Disputes entered in the register.
    pub registered: u32,
    /// Entries registered in the period and resolved in the grid by its end (on the spot
    /// or on a follow-up).
    pub resolved_in_grid: u32,
    /// Entries registered in the period and sent up by its end.
    pub sent_up: u32,
    /// Entries still open at the period's end (of any period).
    pub open_entries: u32,
    /// Follow-up visits.
    pub follow_ups: u32,
    /// Grid meetings held.
    pub meetings: u32,
    /// Meetings attended by every required capacity (the liaison member and a deputy by
    /// default).
    pub meetings_fully_attended: u32,
    /// Grids that met at least once.
    pub grids_met: u32,
    /// Matters discussed at the meetings.
    pub matters: u32,
    /// Decisions taken at the meetings.
    pub decisions: u32,
    /// Cases and register entries given to volunteer teams, by team.
    pub team_work: BTreeMap<String, u32>,
}

impl Engine {
    /// The grid work of the version in force at `at`.
    #[must_use]
    pub fn grid_work_spec_on(&self, at: Timestamp) -> &GridWorkSpec {
        static EMPTY: std::sync::LazyLock<GridWorkSpec> =
            std::sync::LazyLock::new(GridWorkSpec::default);
        self.version_at(at).map_or(&EMPTY, |v| &v.grid_work)
    }

    /// Checks a grid-work record against the organisation and the rule set (the ledger
    /// checks the rest when it is appended): units that exist and are of the right kind,
    /// cases and entries within the unit visited, grades and classes the rule set
    /// declares, people and teams of the organisation, a team that serves the grid.
    ///
    /// # Errors
    /// [`GridWorkError`].
    pub fn check_work(&self, ledger: &Ledger, r: &EventRecord) -> Result<(), GridWorkError> {
        let org = &self.org;
        match &r.event {
            Event::Visited {
                unit,
                opened,
                registered,
                ..
            } => {
                let visited = place(org, "visit", unit.as_str())?;
                for c in opened {
                    if let Some(state) = ledger.case(c.as_str()) {
                        if !org
                            .contains(unit.as_str(), state.location.as_str())
                            .unwrap_or(false)
                        {
                            return Err(GridWorkError::Outside {
                                what: format!("case `{c}`"),
                                place: state.location.to_string(),
                                visited: unit.to_string(),
                            });
                        }
                    }
                }
                for e in registered {
                    self.check_entry(e, unit, visited)?;
                }
            }
            Event::MeetingHeld { meeting } => {
                let what = format!("meeting `{}`", meeting.id);
                for g in &meeting.grids {
                    grid(org, &what, g.as_str())?;
                }
                for a in &meeting.attendees {
                    if let Some(p) = &a.person {
                        person(org, &what, p.as_str())?;
                    }
                }
                for d in &meeting.decisions {
                    if let MeetingDecision::Assigned {
                        person: p, team, ..
                    } = d
                    {
                        if let Some(p) = p {
                            person(org, &what, p.as_str())?;
                        }
                        if let Some(t) = team {
                            self.team(t.as_str())?;
                        }
                    }
                }
            }
            Event::TeamAssigned { team, entry, .. } => {
                let t = self.team(team.as_str())?;
                let (place, what) = match (&r.case, entry) {
                    (Some(c), _) => (ledger.case(c.as_str()).map(|s| s.location.clone()), "case"),
                    (None, Some(e)) => (
                        ledger
                            .state()
                            .entry(e.as_str())
                            .map(|s| s.entry.unit.clone()),
                        "register entry",
                    ),
                    (None, None) => (None, "case"),
                };
                if let Some(place) = place {
                    let g = org
                        .unit_at_level(place.as_str(), crate::org::Level::Grid)
                        .ok()
                        .flatten();
                    if let Some(g) = g {
                        if !t.grids.contains(&g.id) {
                            return Err(GridWorkError::TeamOutside {
                                team: team.to_string(),
                                grids: t
                                    .grids
                                    .iter()
                                    .map(|x| format!("`{x}`"))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                                grid: g.id.to_string(),
                                what,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check_entry(
        &self,
        e: &RegisterEntry,
        visited: &UnitId,
        visited_kind: UnitKind,
    ) -> Result<(), GridWorkError> {
        let what = format!("register entry `{}`", e.id);
        let kind = place(&self.org, &what, e.unit.as_str())?;
        if kind == UnitKind::Grid && visited_kind == UnitKind::MicroGrid
            || !self
                .org
                .contains(visited.as_str(), e.unit.as_str())
                .unwrap_or(false)
        {
            return Err(GridWorkError::Outside {
                what,
                place: e.unit.to_string(),
                visited: visited.to_string(),
            });
        }
        let vocabulary = |field: &'static str, value: &str, valid: &[String]| {
            if valid.iter().any(|v| v == value) {
                Ok(())
            } else {
                Err(GridWorkError::Vocabulary {
                    entry: e.id.to_string(),
                    field,
                    value: value.to_owned(),
                    valid: valid.join(", "),
                })
            }
        };
        vocabulary("grade", e.grade.as_str(), self.rules.grades())?;
        vocabulary("class", e.class.as_str(), self.rules.categories())
    }

    fn team(&self, id: &str) -> Result<&crate::org::VolunteerTeamSpec, GridWorkError> {
        self.org
            .spec()
            .volunteer_teams
            .iter()
            .find(|t| t.id.as_str() == id)
            .ok_or_else(|| GridWorkError::UnknownTeam {
                team: crate::text::truncate_for_message(id),
            })
    }

    /// The volunteer teams that may take a case of `category` at `location`: those
    /// serving its grid, most work areas of the category first (then by id). A team that
    /// declares no areas is listed after those that cover one; one whose areas all miss
    /// the category is left out.
    ///
    /// # Errors
    /// [`LookupError`](crate::org::LookupError) for a category the rule set does not
    /// declare or a location that is not a unit.
    pub fn suggest_teams(
        &self,
        category: &str,
        location: &str,
    ) -> Result<Vec<TeamSuggestion>, crate::org::LookupError> {
        if self.rules.category_index(category).is_none() {
            return Err(crate::org::LookupError::UnknownCategory(
                crate::text::truncate_for_message(category),
                self.rules.categories().join(", "),
            ));
        }
        let grid = self.org.unit_at_level(location, crate::org::Level::Grid)?;
        let Some(grid) = grid else {
            return Ok(Vec::new());
        };
        let areas: BTreeSet<&str> = self
            .org
            .duty_lists()
            .map(|d| {
                d.work_areas
                    .iter()
                    .filter(|a| a.categories.iter().any(|c| c.as_str() == category))
                    .map(|a| a.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let mut out: Vec<TeamSuggestion> = self
            .org
            .spec()
            .volunteer_teams
            .iter()
            .filter(|t| t.grids.contains(&grid.id))
            .filter_map(|t| {
                let covered: Vec<crate::id::Name> = t
                    .areas
                    .iter()
                    .filter(|a| areas.contains(a.as_str()))
                    .cloned()
                    .collect();
                (t.areas.is_empty() || !covered.is_empty()).then(|| TeamSuggestion {
                    team: t.id.clone(),
                    name: t.name.clone(),
                    areas: covered,
                    members: t.members,
                })
            })
            .collect();
        out.sort_by(|a, b| b.areas.len().cmp(&a.areas.len()).then(a.team.cmp(&b.team)));
        Ok(out)
    }

    /// Whether every capacity the rule set in force at the meeting requires attended it
    /// (the liaison committee member and a deputy when it names none).
    #[must_use]
    pub fn attended_in_full(&self, m: &crate::case::work::MeetingRecord) -> bool {
        let required = self
            .grid_work_spec_on(m.at)
            .meetings
            .as_ref()
            .map_or(&DEFAULT_REQUIRED[..], |x| x.required.as_slice());
        required.iter().all(|r| m.meeting.attended(*r))
    }

    /// Grids that held no meeting in the last whole period of the cadence before `now`.
    /// Nothing is listed without a cadence, or while the ledger records no meeting at all
    /// (it is not used for meetings yet).
    #[must_use]
    pub fn missed_meetings(&self, ledger: &Ledger, now: Timestamp) -> Vec<MissedMeeting> {
        let Some(spec) = &self.grid_work_spec_on(now).meetings else {
            return Vec::new();
        };
        let meetings = ledger.state().meetings();
        if meetings.is_empty() {
            return Vec::new();
        }
        let (from, until) = spec.every.previous_period(self.calendar.date_of(now));
        let mut held: BTreeMap<&str, (bool, Option<Timestamp>)> = BTreeMap::new();
        for m in meetings {
            let day = self.calendar.date_of(m.at);
            if day >= until {
                continue;
            }
            for g in &m.meeting.grids {
                let slot = held.entry(g.as_str()).or_default();
                if day >= from {
                    slot.0 = true;
                }
                if slot.1.is_none_or(|t| t.unix() < m.at.unix()) {
                    slot.1 = Some(m.at);
                }
            }
        }
        self.org
            .units_of_kind(UnitKind::Grid)
            .filter_map(|g| {
                let (met, last) = held.get(g.id.as_str()).copied().unwrap_or_default();
                (!met).then(|| MissedMeeting {
                    grid: g.id.clone(),
                    every: spec.every,
                    from,
                    until,
                    last_held: last,
                })
            })
            .collect()
    }

    /// Open register entries whose next follow-up visit is due by `now` under the rule
    /// set's `follow_up_within`, oldest first.
    #[must_use]
    pub fn follow_ups_due(&self, ledger: &Ledger, now: Timestamp) -> Vec<FollowUpDue> {
        let mut out: Vec<FollowUpDue> = ledger
            .state()
            .register()
            .iter()
            .filter(|e| !e.step.is_final())
            .filter_map(|e| {
                let last = e.last_at();
                let within = self.grid_work_spec_on(last).follow_up_within?;
                let due = self.calendar.deadline(last, within).ok()?;
                (due.unix() <= now.unix()).then(|| FollowUpDue {
                    entry: e.entry.id.clone(),
                    unit: e.entry.unit.clone(),
                    step: e.step,
                    last_at: last,
                    due,
                })
            })
            .collect();
        out.sort_by(|a, b| a.due.unix().cmp(&b.due.unix()).then(a.entry.cmp(&b.entry)));
        out
    }

    /// The grid's own work recorded in `[from, until)` (local dates of the calendar).
    #[must_use]
    pub fn work_summary(&self, ledger: &Ledger, from: Date, until: Date) -> WorkSummary {
        let inside = |t: Timestamp| {
            let d = self.calendar.date_of(t);
            d >= from && d < until
        };
        let mut s = WorkSummary::default();
        let mut households: BTreeSet<&str> = BTreeSet::new();
        let state = ledger.state();
        for v in state.visits().iter().filter(|v| inside(v.at)) {
            s.visits += 1;
            if v.household_ids.is_empty() {
                s.households = s.households.saturating_add(v.households);
            } else {
                households.extend(v.household_ids.iter().map(WorkId::as_str));
            }
            for f in &v.found {
                *s.findings.entry(f.as_str()).or_default() += 1;
            }
            s.cases_opened = s
                .cases_opened
                .saturating_add(u32::try_from(v.opened.len()).unwrap_or(u32::MAX));
        }
        s.households = s
            .households
            .saturating_add(u32::try_from(households.len()).unwrap_or(u32::MAX));
        for e in state.register() {
            let closed_before_end = e
                .closed_at
                .is_some_and(|t| self.calendar.date_of(t) < until);
            if inside(e.registered_at) {
                s.registered += 1;
                match e.step {
                    RegisterStep::Resolved if closed_before_end => s.resolved_in_grid += 1,
                    RegisterStep::SentUp if closed_before_end => s.sent_up += 1,
                    _ => {}
                }
            }
            if self.calendar.date_of(e.registered_at) < until && !closed_before_end {
                s.open_entries += 1;
            }
            s.follow_ups = s.follow_ups.saturating_add(
                u32::try_from(e.follow_ups.iter().filter(|f| inside(f.at)).count())
                    .unwrap_or(u32::MAX),
            );
            if let Some(t) = &e.team {
                if inside(e.registered_at) {
                    *s.team_work.entry(t.to_string()).or_default() += 1;
                }
            }
        }
        let mut grids: BTreeSet<&str> = BTreeSet::new();
        for m in state.meetings().iter().filter(|m| inside(m.at)) {
            s.meetings += 1;
            if self.attended_in_full(m) {
                s.meetings_fully_attended += 1;
            }
            grids.extend(m.meeting.grids.iter().map(UnitId::as_str));
            s.matters = s
                .matters
                .saturating_add(u32::try_from(m.meeting.matters.len()).unwrap_or(u32::MAX));
            s.decisions = s
                .decisions
                .saturating_add(u32::try_from(m.meeting.decisions.len()).unwrap_or(u32::MAX));
        }
        s.grids_met = u32::try_from(grids.len()).unwrap_or(u32::MAX);
        for c in state.cases() {
            if let Some(t) = &c.extras.team {
                if inside(c.case.reported_at) {
                    *s.team_work.entry(t.to_string()).or_default() += 1;
                }
            }
        }
        s
    }
}

/// The kind of a unit of the organisation that is one of `kinds` (`expected` names them).
fn unit_of(
    org: &OrgGraph,
    what: &str,
    unit: &str,
    kinds: &[UnitKind],
    expected: &'static str,
) -> Result<UnitKind, GridWorkError> {
    match org.unit(unit).map(|u| u.kind) {
        Some(k) if kinds.contains(&k) => Ok(k),
        _ => Err(GridWorkError::Unit {
            what: what.to_owned(),
            unit: crate::text::truncate_for_message(unit),
            expected,
        }),
    }
}

/// A micro-grid or grid of the organisation, and which.
fn place(org: &OrgGraph, what: &str, unit: &str) -> Result<UnitKind, GridWorkError> {
    let kinds = [UnitKind::MicroGrid, UnitKind::Grid];
    unit_of(org, what, unit, &kinds, "micro-grid or grid")
}

fn grid(org: &OrgGraph, what: &str, unit: &str) -> Result<UnitKind, GridWorkError> {
    unit_of(org, what, unit, &[UnitKind::Grid], "grid")
}

fn person(org: &OrgGraph, what: &str, p: &str) -> Result<(), GridWorkError> {
    if org.person(p).is_some() {
        Ok(())
    } else {
        Err(GridWorkError::Person {
            what: what.to_owned(),
            person: crate::text::truncate_for_message(p),
        })
    }
}
