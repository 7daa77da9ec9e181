//! Routing: a case comes in, the rule set decides its grade, level, handler role, office,
//! time limit and flags, and the organisation finds the unit at that level and the person
//! who owns the case (首办责任, first-handler responsibility).
//!
//! ```
//! use gridgov::{Engine, case::Case};
//!
//! let engine = Engine::fushan();
//! let case = Case::from_json_str(r#"{
//!   "id": "demo-1", "channel": "hotline", "category": "neighbour_dispute",
//!   "location": "fs-c01-g02-m1", "people_involved": 2,
//!   "reported_at": "2026-03-02T09:15:00+08:00"
//! }"#)?;
//! let d = engine.route(&case)?;
//! // A small neighbour dispute stays in the grid (小事不出网格), with its grid worker.
//! assert_eq!(d.level().as_str(), "grid");
//! assert_eq!(d.unit().map(|u| u.id.as_str()), Some("fs-c01-g02"));
//! assert_eq!(d.handler().map(|p| p.role.as_str()), Some("grid_worker"));
//! assert_eq!(d.rule().row, "dispute-grid");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;

use crate::calendar::{CalendarError, TimeLimit};
use crate::case::{Case, CaseError, CaseProblem};
use crate::engine::{Engine, OfficeBinding};
use crate::org::{Level, OfficeSpec, PersonSpec, Role, UnitKey, UnitKind, UnitRow, UnitSpec};
use crate::rules::facts::{CaseFacts, Facts};
use crate::time::Timestamp;

/// How many matching rows a decision keeps for its trace.
const TRACE_HITS: usize = 16;

/// A case could not be routed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RouteError {
    /// The case does not fit the rule set or the organisation.
    #[error(transparent)]
    Case(#[from] CaseError),
    /// The case was reported before the first version of the rules took effect.
    #[error(
        "case `{case}` was reported on {date}, before the first rule-set version takes effect ({first})"
    )]
    NoVersion {
        /// Case id.
        case: String,
        /// Local date it was reported.
        date: String,
        /// Date of the first version.
        first: String,
    },
    /// No row decided the case's level and time limit.
    #[error(
        "no row of version `{version}` decides case `{case}` (a level and a time limit); add a catch-all row"
    )]
    NoDecision {
        /// Case id.
        case: String,
        /// Version in force.
        version: String,
    },
    /// The deadline could not be computed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl RouteError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Case(e) => e.code(),
            Self::NoVersion { .. } => "no_version",
            Self::NoDecision { .. } => "no_decision",
            Self::Calendar(e) => e.code(),
        }
    }
}

/// The rows a table contributes: its first match, or all of them.
enum Hits<'t> {
    First(Option<usize>),
    All(crate::rules::index::Matches<'t>),
}

impl Iterator for Hits<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Hits::First(f) => f.take(),
            Hits::All(m) => m.next(),
        }
    }
}

/// A table row, by version, table and id, with the reason it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RuleRef<'a> {
    /// Version name.
    #[serde(skip)]
    pub version: &'a str,
    /// Table id.
    pub table: &'a str,
    /// Row id.
    pub row: &'a str,
    /// The row's `why`.
    pub why: &'a str,
}

/// The stages of routing: a case prepared (checked and resolved to indices), and what the
/// tables decided for it. Crate-private, but for benchmarks (feature `internals`).
mod stages {
    use super::{Facts, Level, Role, TRACE_HITS, TimeLimit, Timestamp, UnitKey};
    use crate::case::Case;

    /// A case checked against the rule set and the organisation and resolved to indices:
    /// ready for the decision tables. Made by `Engine::prepare`.
    #[derive(Clone, Copy, Debug)]
    pub struct Prepared<'a> {
        pub(crate) facts: Facts<'a>,
        pub(crate) case: &'a Case,
        pub(crate) location: UnitKey,
        pub(crate) version: u16,
    }

    #[cfg(feature = "internals")]
    impl<'a> Prepared<'a> {
        /// The case.
        #[must_use]
        pub fn case(&self) -> &'a Case {
            self.case
        }
    }

    /// What the decision tables decided for a prepared case, before the organisation and the
    /// calendar are asked: level, grade, time limit, flags and the rows that matched.
    /// Made by `Engine::evaluate`; it allocates nothing.
    #[derive(Clone, Copy, Debug)]
    pub struct Verdict {
        pub(crate) version: usize,
        pub(crate) level: Level,
        pub(crate) grade: Option<u8>,
        pub(crate) rule: (u16, u16),
        pub(crate) time_limit: TimeLimit,
        pub(crate) role: Option<Role>,
        pub(crate) flags: u64,
        /// The deciding row's lead office slot.
        pub(crate) lead: Option<u8>,
        /// Office slots named by any hit, the lead's excluded.
        pub(crate) co_offices: u64,
        pub(crate) hits: [(u16, u16); TRACE_HITS],
        pub(crate) kept: u8,
        pub(crate) total: u16,
        pub(crate) unique_conflict: bool,
    }

    /// A verdict completed with the organisation and the calendar, as indices: what a
    /// decision holds besides the engine and the case. Made by `Engine::resolve_at`; the
    /// columnar path writes it out without a `Case`.
    #[derive(Clone, Copy, Debug)]
    pub struct Routed {
        pub(crate) verdict: Verdict,
        /// The micro-grid (or building) the case is in.
        pub(crate) location: UnitKey,
        pub(crate) unit: Option<UnitKey>,
        pub(crate) office: Option<u32>,
        pub(crate) handler: Option<u32>,
        pub(crate) due: Timestamp,
        /// The sitting booked (its position in the version's sittings) and when it opens.
        pub(crate) sitting: Option<(u16, Timestamp)>,
    }

    #[cfg(feature = "internals")]
    impl Verdict {
        /// The level that handles the case.
        #[must_use]
        pub fn level(&self) -> Level {
            self.level
        }

        /// The time limit.
        #[must_use]
        pub fn time_limit(&self) -> TimeLimit {
            self.time_limit
        }

        /// The position of the deciding row: (table, row) in the version in force.
        #[must_use]
        pub fn rule_position(&self) -> (usize, usize) {
            (usize::from(self.rule.0), usize::from(self.rule.1))
        }
    }
}

pub(crate) use stages::Routed;
#[cfg(feature = "internals")]
pub use stages::{Prepared, Verdict};
#[cfg(not(feature = "internals"))]
pub(crate) use stages::{Prepared, Verdict};

/// The decision for one case. Borrowed from the engine and the case; nothing is allocated
/// until a method asks for text.
#[derive(Clone, Copy, Debug)]
pub struct Decision<'a> {
    case: &'a Case,
    outcome: Outcome<'a>,
}

/// A decision without its case: what the engine decided, as indices into its tables. What
/// a decision says that does not need the case is said here, so that the lean per-call
/// path (`Engine::route_text_view`) prints a decision without building a [`Case`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome<'a> {
    engine: &'a Engine,
    verdict: Verdict,
    location: UnitKey,
    unit: Option<UnitKey>,
    office: Option<u32>,
    handler: Option<u32>,
    due: Timestamp,
    /// The sitting booked (its position in the version's sittings) and when it opens.
    sitting: Option<(u16, Timestamp)>,
}

impl Engine {
    /// Routes a case: checks it against the rule set and the organisation, picks the rule
    /// version in force on its local report date, evaluates the decision tables, finds the
    /// unit at the decided level above its micro-grid and the first handler, and counts the
    /// deadline on the calendar.
    ///
    /// # Errors
    /// [`RouteError`]: an invalid case (naming the field), no version in force, no deciding
    /// row, or a deadline outside the calendar.
    pub fn route<'a>(&'a self, case: &'a Case) -> Result<Decision<'a>, RouteError> {
        let prepared = self.prepare(case)?;
        let verdict = self.evaluate(&prepared)?;
        self.resolve(&prepared, verdict)
    }

    /// Checks a case against the rule set and the organisation and resolves what the
    /// tables read: its category, location, community and the version in force.
    ///
    /// # Errors
    /// [`RouteError::Case`] listing every problem with its field, or
    /// [`RouteError::NoVersion`].
    pub(crate) fn prepare<'a>(&'a self, case: &'a Case) -> Result<Prepared<'a>, RouteError> {
        self.prepare_with(case, true)
    }

    /// [`prepare`](Self::prepare), leaving out missing required attributes when
    /// `check_required` is false.
    pub(crate) fn prepare_with<'a>(
        &'a self,
        case: &'a Case,
        check_required: bool,
    ) -> Result<Prepared<'a>, RouteError> {
        let mut problems = Vec::new();
        let (category, channel) =
            self.rules
                .case_problems_with(case, &mut problems, check_required);
        case.check_text(&mut problems);
        let location = self.check_location(case, &mut problems);
        let (Some(location), Some(category), Some(channel)) = (location, category, channel) else {
            return Err(RouteError::Case(CaseError::Invalid(problems)));
        };
        if !problems.is_empty() {
            return Err(RouteError::Case(CaseError::Invalid(problems)));
        }
        let date = self.calendar.date_of(case.reported_at);
        let Some(version) = self.rules.version_index_on(date) else {
            return Err(RouteError::NoVersion {
                case: case.id.to_string(),
                date: date.to_string(),
                first: self
                    .rules
                    .versions
                    .first()
                    .map(|v| v.effective_from.to_string())
                    .unwrap_or_default(),
            });
        };
        Ok(Prepared {
            facts: self.facts(
                CaseFacts::of(case),
                (category, channel),
                self.community_of(location),
                self.rules.risk_mask(case),
                version,
            ),
            case,
            location,
            version: u16::try_from(version).unwrap_or(u16::MAX),
        })
    }

    /// The id of the community a location is in (`""` for none): a fact the tables read.
    #[inline]
    pub(crate) fn community_of(&self, location: UnitKey) -> &str {
        self.org
            .unit_at_level_key(location, Level::Community)
            .and_then(|k| self.org.unit_by_key(k))
            .map_or("", |u| u.id.as_str())
    }

    /// The facts the tables of version `version` read, from a case's facts and what was
    /// resolved of it: its category and channel (positions in the vocabularies), its
    /// community's id and its risk flags as a mask.
    #[inline]
    pub(crate) fn facts<'a>(
        &'a self,
        case: CaseFacts<'a>,
        (category, channel): (usize, usize),
        community: &'a str,
        risk: u64,
        version: usize,
    ) -> Facts<'a> {
        let attrs = self
            .rules
            .versions
            .get(version)
            .map_or(&[][..], |v| v.attrs.as_slice());
        Facts::new(
            case,
            (category, channel),
            community,
            risk,
            &self.rules.vocab,
            attrs,
        )
    }

    /// The location as a key: a micro-grid, or a building inside one.
    fn check_location(&self, case: &Case, problems: &mut Vec<CaseProblem>) -> Option<UnitKey> {
        let id = case.location.as_str();
        let reason = match self
            .org
            .key(id)
            .and_then(|k| self.org.kind_of(k).map(|kind| (k, kind)))
        {
            Some((k, UnitKind::MicroGrid)) => return Some(k),
            Some((k, UnitKind::Building)) => {
                if self.org.unit_at_level_key(k, Level::MicroGrid).is_some() {
                    return Some(k);
                }
                format!("building `{id}` is not inside a micro-grid")
            }
            Some((_, kind)) => format!(
                "`{id}` is a {kind}; a case's location is a micro-grid (or a building in one)"
            ),
            None => format!(
                "`{id}` is not a unit of the organisation `{}`",
                self.org.name()
            ),
        };
        problems.push(CaseProblem {
            case: case.id.to_string(),
            field: "location".to_owned(),
            reason,
        });
        None
    }

    /// The first row of one table (by position in the version in force) that matches a
    /// prepared case, whatever the table's hit policy: what a `first` table decides.
    #[must_use]
    #[cfg(feature = "internals")]
    pub(crate) fn table_first_match(&self, prepared: &Prepared<'_>, table: usize) -> Option<usize> {
        self.rules
            .versions
            .get(usize::from(prepared.version))
            .and_then(|v| v.tables.get(table))
            .and_then(|t| t.first_match(&prepared.facts))
    }

    /// Evaluates the decision tables of the version in force for a prepared case and merges
    /// the hits (see [`crate::rules`]). Allocates nothing.
    ///
    /// # Errors
    /// [`RouteError::NoDecision`] when no hit gives a level and a time limit.
    pub(crate) fn evaluate(&self, prepared: &Prepared<'_>) -> Result<Verdict, RouteError> {
        self.evaluate_facts(
            &prepared.facts,
            usize::from(prepared.version),
            prepared.case.id.as_str(),
        )
    }

    /// [`evaluate`](Self::evaluate) on the facts of case `case` (its id, for the error)
    /// under version `vi`.
    ///
    /// # Errors
    /// [`RouteError::NoDecision`].
    #[inline]
    pub(crate) fn evaluate_facts(
        &self,
        facts: &Facts<'_>,
        vi: usize,
        case: &str,
    ) -> Result<Verdict, RouteError> {
        let no_decision = || RouteError::NoDecision {
            case: case.to_owned(),
            version: self
                .rules
                .versions
                .get(vi)
                .map(|v| v.name.clone())
                .unwrap_or_default(),
        };
        let version = self.rules.versions.get(vi).ok_or_else(no_decision)?;
        let mut hits = [(0u16, 0u16); TRACE_HITS];
        let mut kept = 0usize;
        let mut total = 0u16;
        let mut deciding: Option<(Level, u16, u16)> = None;
        let mut grade: Option<u8> = None;
        let mut flags = 0u64;
        let mut office_slots = 0u64;
        let mut first_role = None;
        let mut first_limit = None;
        let mut unique_conflict = false;
        for (ti, table) in version.tables.iter().enumerate() {
            let ti = u16::try_from(ti).unwrap_or(u16::MAX);
            let first_only = table.hit_policy != crate::rules::HitPolicy::Collect;
            let matching = if first_only {
                if table.hit_policy == crate::rules::HitPolicy::Unique
                    && table.matching(facts).several()
                {
                    unique_conflict = true;
                }
                Hits::First(table.first_match(facts))
            } else {
                Hits::All(table.matching(facts))
            };
            for ri in matching {
                let Some(row) = table.rows.get(ri) else {
                    continue;
                };
                let ri = u16::try_from(ri).unwrap_or(u16::MAX);
                if let Some(slot) = hits.get_mut(kept) {
                    *slot = (ti, ri);
                    kept += 1;
                }
                total = total.saturating_add(1);
                let out = &row.out;
                if let Some(level) = out.level {
                    if deciding.is_none_or(|(l, _, _)| level > l) {
                        deciding = Some((level, ti, ri));
                    }
                }
                if let Some(g) = out.grade {
                    grade = Some(grade.map_or(g, |x| x.max(g)));
                }
                flags |= out.flags;
                office_slots |= out.offices;
                first_role = first_role.or(out.role);
                first_limit = first_limit.or(out.time_limit);
                if first_only {
                    break;
                }
            }
        }
        let (level, dt, dr) = deciding.ok_or_else(no_decision)?;
        let drow = version
            .tables
            .get(dt as usize)
            .and_then(|t| t.rows.get(dr as usize))
            .ok_or_else(no_decision)?;
        let mut time_limit = drow
            .out
            .time_limit
            .or(first_limit)
            .ok_or_else(no_decision)?;
        // A petition's first deadline is the decision on acceptance, counted from receipt.
        if let (Some(bit), Some(p)) = (self.rules.petition_flag, &version.closed_loop.petition) {
            if flags & 1u64.checked_shl(bit).unwrap_or(0) != 0 {
                time_limit = p.acceptance;
            }
        }
        let lead = drow.out.lead_office;
        if let Some(s) = lead {
            office_slots &= !(1u64.checked_shl(u32::from(s)).unwrap_or(0));
        }
        Ok(Verdict {
            version: vi,
            level,
            grade,
            rule: (dt, dr),
            time_limit,
            role: drow.out.role.or(first_role),
            flags,
            lead,
            co_offices: office_slots,
            hits,
            kept: u8::try_from(kept).unwrap_or(u8::MAX),
            total,
            unique_conflict,
        })
    }

    /// Completes a verdict with the organisation and the calendar: the unit at the decided
    /// level, the lead office, the first handler and the deadline.
    ///
    /// # Errors
    /// [`RouteError::Calendar`] when the deadline falls outside the calendar.
    pub(crate) fn resolve<'a>(
        &'a self,
        prepared: &Prepared<'a>,
        verdict: Verdict,
    ) -> Result<Decision<'a>, RouteError> {
        let location = prepared.location;
        let r = self.resolve_at(
            (location, self.org.unit_row(location)),
            prepared.case.reported_at,
            verdict,
        )?;
        Ok(Decision::of(self, prepared.case, r))
    }

    /// [`resolve`](Self::resolve) for a case at `location`, whose row of units and
    /// holders is `row`, reported at `reported`.
    ///
    /// # Errors
    /// [`RouteError::Calendar`].
    #[inline]
    pub(crate) fn resolve_at(
        &self,
        (location, row): (UnitKey, UnitRow),
        reported: Timestamp,
        verdict: Verdict,
    ) -> Result<Routed, RouteError> {
        let office = verdict
            .lead
            .and_then(|s| self.resolve_office(verdict.version, s, &row));
        let unit = row.unit_at(verdict.level);
        let handler = match office {
            Some(o) => self.org.office_holder_index(o),
            None => row.holder_at(verdict.level),
        };
        let sitting = office.and_then(|o| self.sitting_for(verdict.version, o, reported));
        // The deadline counts from the sitting, except a petition's acceptance, which the
        // law counts from receipt.
        let petition = self
            .rules
            .petition_flag
            .is_some_and(|b| verdict.flags & 1u64.checked_shl(b).unwrap_or(0) != 0);
        let start = match sitting {
            Some((_, at)) if !petition => at,
            _ => reported,
        };
        let due = self.calendar.deadline(start, verdict.time_limit)?;
        Ok(Routed {
            verdict,
            location,
            unit,
            office,
            handler,
            due,
            sitting,
        })
    }

    /// The offices that decide together with the lead (联合会商) as indices of the
    /// organisation's offices, in rule order, without the lead and without repeats.
    pub(crate) fn co_office_indices(&self, r: &Routed) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let row = self.org.unit_row(r.location);
        let mut slots = r.verdict.co_offices;
        while slots != 0 {
            let slot = slots.trailing_zeros();
            slots &= slots - 1;
            let Ok(slot) = u8::try_from(slot) else {
                continue;
            };
            if let Some(o) = self.resolve_office(r.verdict.version, slot, &row) {
                if Some(o) != r.office && !out.contains(&o) {
                    out.push(o);
                }
            }
        }
        out
    }

    /// The next sitting that takes matters led by office `office` (an index of the
    /// organisation's offices), opening at or after `from`.
    pub(crate) fn sitting_for(
        &self,
        version: usize,
        office: u32,
        from: Timestamp,
    ) -> Option<(u16, Timestamp)> {
        let i = *self.sittings.get(version)?.get(office as usize)?;
        if i == crate::engine::NO_SITTING {
            return None;
        }
        let s = self
            .rules
            .versions
            .get(version)?
            .closed_loop
            .sittings
            .get(usize::from(i))?;
        let at = s.next_after(&self.calendar, from)?;
        Some((i, at))
    }

    /// The office of slot `slot` of version `version` for a case at a location whose row
    /// of units is `row`.
    fn resolve_office(&self, version: usize, slot: u8, row: &UnitRow) -> Option<u32> {
        match self.offices.get(version)?.get(usize::from(slot))? {
            OfficeBinding::Office(i) => Some(*i).filter(|i| *i != u32::MAX),
            OfficeBinding::Kind(k) => self.org.office_for_row(row, *k),
        }
    }
}

impl<'a> Outcome<'a> {
    fn version_rules(&self) -> Option<&'a crate::rules::Version> {
        self.engine.rules.versions.get(self.verdict.version)
    }

    /// The rule-set version that decided.
    #[must_use]
    pub fn version(&self) -> &'a str {
        self.version_rules().map_or("", |v| v.name.as_str())
    }

    /// The grade (分级), if any row gave one.
    #[must_use]
    pub fn grade(&self) -> Option<&'a str> {
        self.verdict
            .grade
            .and_then(|g| self.engine.rules.vocab.grades.get(usize::from(g)))
            .map(String::as_str)
    }

    /// The level that handles the case.
    #[must_use]
    pub fn level(&self) -> Level {
        self.verdict.level
    }

    /// The unit at that level above the case's micro-grid (`None` at department level).
    #[must_use]
    pub fn unit(&self) -> Option<&'a UnitSpec> {
        self.unit.and_then(|k| self.engine.org.unit_by_key(k))
    }

    /// The micro-grid (or building) the case is in.
    #[must_use]
    pub fn location(&self) -> Option<&'a UnitSpec> {
        self.engine.org.unit_by_key(self.location)
    }

    /// The lead office, when a row names one.
    #[must_use]
    pub fn office(&self) -> Option<&'a OfficeSpec> {
        self.office.and_then(|o| self.engine.org.office_at(o))
    }

    /// The offices that decide together with the lead (联合会商), in rule order.
    #[must_use]
    pub fn co_offices(&self) -> Vec<&'a OfficeSpec> {
        self.engine
            .co_office_indices(&self.routed())
            .into_iter()
            .filter_map(|i| self.engine.org.office_at(i))
            .collect()
    }

    /// The decision `r` by `engine`.
    pub(crate) fn of(engine: &'a Engine, r: Routed) -> Self {
        Outcome {
            engine,
            verdict: r.verdict,
            location: r.location,
            unit: r.unit,
            office: r.office,
            handler: r.handler,
            due: r.due,
            sitting: r.sitting,
        }
    }

    /// The decision as indices, without the engine and the case.
    pub(crate) fn routed(&self) -> Routed {
        Routed {
            verdict: self.verdict,
            location: self.location,
            unit: self.unit,
            office: self.office,
            handler: self.handler,
            due: self.due,
            sitting: self.sitting,
        }
    }

    /// The first handler (首办责任人): the lead office's holder, else the duty holder of the
    /// unit at the decided level. `None` when nobody is assigned there.
    #[must_use]
    pub fn handler(&self) -> Option<&'a PersonSpec> {
        self.handler.and_then(|p| self.engine.org.person_at(p))
    }

    /// What is wrong with the decision though it stands: today, that it leaves no one in
    /// charge (no first handler; 首办责任 needs a person). Empty for a sound decision.
    #[must_use]
    pub fn warnings(&self, category: &str) -> Vec<DecisionWarning> {
        if let Some(handler) = self.handler {
            let org = &self.engine.org;
            let mut out = Vec::new();
            let micro = (self.verdict.level == Level::MicroGrid && self.office.is_none())
                .then(|| org.unit_at_level_key(self.location, Level::MicroGrid))
                .flatten();
            if let Some(m) = micro {
                if org.has_micro_grid_leaders() && org.micro_grid_leader_index(m).is_none() {
                    out.push(DecisionWarning {
                        code: "no_micro_grid_leader",
                        message: format!(
                            "micro-grid `{}` has no micro-grid leader (微网格长) posted; its grid worker handles the case; post a lead household or a volunteer there",
                            org.unit_by_key(m).map_or("", |u| u.id.as_str())
                        ),
                    });
                }
            }
            if org.lists_cover(handler, category) == Some(false) {
                out.push(DecisionWarning {
                    code: "outside_duty_list",
                    message: format!(
                        "the first handler `{}` holds duty lists ({}) that do not cover category `{}`; confirm the assignment or add the category's work area to their lists",
                        org.person_at(handler).map_or("", |p| p.id.as_str()),
                        org.person_at(handler)
                            .map(|p| org.held_lists(p.id.as_str()).iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "))
                            .unwrap_or_default(),
                        category
                    ),
                });
            }
            return out;
        }
        let message = match (self.office(), self.unit()) {
            (Some(o), _) => format!(
                "no first handler: office `{}` has no lead; assign the case to a person by hand and give the office a lead",
                o.id
            ),
            (None, Some(u)) => format!(
                "no first handler: {} `{}` at level `{}` has no duty holder; assign the case to a person by hand and post one there",
                u.kind,
                u.id,
                self.level()
            ),
            (None, None) => format!(
                "no first handler: the case goes to level `{}` with no office named; assign it to a person by hand",
                self.level()
            ),
        };
        vec![DecisionWarning {
            code: "no_first_handler",
            message,
        }]
    }

    /// The handler role the deciding row names.
    #[must_use]
    pub fn role(&self) -> Option<Role> {
        self.verdict.role
    }

    /// The time limit.
    #[must_use]
    pub fn time_limit(&self) -> TimeLimit {
        self.verdict.time_limit
    }

    /// The deadline, in the calendar's zone (the offset in force then).
    #[must_use]
    pub fn due(&self) -> Timestamp {
        self.due
    }

    /// The decision's flags, in the rule set's order.
    #[must_use]
    pub fn flags(&self) -> Vec<&'a str> {
        self.engine
            .rules
            .vocab
            .flags
            .iter()
            .enumerate()
            .filter(|(i, _)| self.verdict.flags & (1u64 << i) != 0)
            .map(|(_, f)| f.as_str())
            .collect()
    }

    /// Who follows the first handler (全程跟踪): the grid worker, when a micro-grid leader
    /// (微网格长) handles a micro-grid matter.
    #[must_use]
    pub fn following(&self) -> Option<&'a PersonSpec> {
        self.following_index()
            .and_then(|p| self.engine.org.person_at(p))
    }

    /// [`following`](Self::following) by index in the organisation's people.
    fn following_index(&self) -> Option<u32> {
        if self.verdict.level != Level::MicroGrid || self.office.is_some() {
            return None;
        }
        let org = &self.engine.org;
        let micro = org.unit_at_level_key(self.location, Level::MicroGrid)?;
        let leader = org.micro_grid_leader_index(micro)?;
        if self.handler != Some(leader) {
            return None;
        }
        let grid_worker = org.duty_holder_index(self.location, Level::Grid)?;
        (grid_worker != leader).then_some(grid_worker)
    }

    /// The sitting the matter is booked into (the Thursday duty lawyer, a joint reception
    /// day), whose opening its deadline counts from.
    #[must_use]
    pub fn sitting(&self) -> Option<crate::case::event::Booking> {
        let (i, at) = self.sitting?;
        let s = self
            .version_rules()?
            .closed_loop
            .sittings
            .get(usize::from(i))?;
        Some(crate::case::event::Booking {
            sitting: s.id.clone(),
            name: s.name.clone(),
            at,
        })
    }

    /// Whether the decision carries a flag.
    #[must_use]
    pub fn has_flag(&self, flag: &str) -> bool {
        self.engine
            .rules
            .vocab
            .flags
            .iter()
            .position(|f| f == flag)
            .is_some_and(|i| self.verdict.flags & (1u64 << i) != 0)
    }

    fn rule_ref(&self, (t, r): (u16, u16)) -> Option<RuleRef<'a>> {
        let v = self.version_rules()?;
        let table = v.tables.get(usize::from(t))?;
        let row = table.rows.get(usize::from(r))?;
        Some(RuleRef {
            version: v.name.as_str(),
            table: table.id.as_str(),
            row: row.id.as_str(),
            why: row.why.as_str(),
        })
    }

    /// The deciding row: the one that set the level.
    #[must_use]
    pub fn rule(&self) -> RuleRef<'a> {
        self.rule_ref(self.verdict.rule).unwrap_or(RuleRef {
            version: "",
            table: "",
            row: "",
            why: "",
        })
    }

    /// Every row that matched, in evaluation order (the first 16).
    #[must_use]
    pub fn hits(&self) -> Vec<RuleRef<'a>> {
        self.verdict
            .hits
            .iter()
            .take(usize::from(self.verdict.kept))
            .filter_map(|h| self.rule_ref(*h))
            .collect()
    }

    /// The serialisable view of the decision on the case `id` of category `category`,
    /// without a trace.
    pub(crate) fn view_of(&self, id: &'a str, category: &str) -> DecisionView<'a> {
        // The ids come from the organisation's table of id texts: the same text as each
        // unit's, person's and office's id, read without reaching into its allocation.
        let org = &self.engine.org;
        DecisionView {
            case: id,
            version: self.version(),
            grade: self.grade(),
            level: self.verdict.level,
            unit: self.unit.and_then(|k| org.unit_id_text(k)),
            unit_name: self.unit().map(|u| u.name.as_str()),
            office: self.office.and_then(|o| org.office_id_text(o)),
            co_offices: self
                .engine
                .co_office_indices(&self.routed())
                .into_iter()
                .filter_map(|o| org.office_id_text(o))
                .collect(),
            handler: self.handler.and_then(|p| org.person_id_text(p)),
            handler_role: self.handler().map(|p| p.role),
            time_limit: self.verdict.time_limit,
            due: self.due,
            flags: self.flags(),
            rule: self.rule(),
            following: self.following_index().and_then(|p| org.person_id_text(p)),
            sitting: self.sitting(),
            trace: None,
            warnings: self.warnings(category),
        }
    }
}

impl<'a> Decision<'a> {
    /// The decision `r` on `case` by `engine`.
    pub(crate) fn of(engine: &'a Engine, case: &'a Case, r: Routed) -> Self {
        Decision {
            case,
            outcome: Outcome::of(engine, r),
        }
    }

    /// The decision as indices, without the engine and the case.
    #[cfg(feature = "arrow")]
    pub(crate) fn routed(&self) -> Routed {
        self.outcome.routed()
    }

    /// The case decided.
    #[must_use]
    pub fn case(&self) -> &'a Case {
        self.case
    }

    /// The rule-set version that decided.
    #[must_use]
    pub fn version(&self) -> &'a str {
        self.outcome.version()
    }

    /// The grade (分级), if any row gave one.
    #[must_use]
    pub fn grade(&self) -> Option<&'a str> {
        self.outcome.grade()
    }

    /// The level that handles the case.
    #[must_use]
    pub fn level(&self) -> Level {
        self.outcome.level()
    }

    /// The unit at that level above the case's micro-grid (`None` at department level).
    #[must_use]
    pub fn unit(&self) -> Option<&'a UnitSpec> {
        self.outcome.unit()
    }

    /// The micro-grid (or building) the case is in.
    #[must_use]
    pub fn location(&self) -> Option<&'a UnitSpec> {
        self.outcome.location()
    }

    /// The lead office, when a row names one.
    #[must_use]
    pub fn office(&self) -> Option<&'a OfficeSpec> {
        self.outcome.office()
    }

    /// The offices that decide together with the lead (联合会商), in rule order.
    #[must_use]
    pub fn co_offices(&self) -> Vec<&'a OfficeSpec> {
        self.outcome.co_offices()
    }

    /// The first handler (首办责任人): the lead office's holder, else the duty holder of the
    /// unit at the decided level. `None` when nobody is assigned there.
    #[must_use]
    pub fn handler(&self) -> Option<&'a PersonSpec> {
        self.outcome.handler()
    }

    /// What is wrong with the decision though it stands: today, that it leaves no one in
    /// charge (no first handler; 首办责任 needs a person), or gives the case to someone
    /// whose duty lists do not cover it. Empty for a sound decision.
    #[must_use]
    pub fn warnings(&self) -> Vec<DecisionWarning> {
        self.outcome.warnings(self.case.category.as_str())
    }

    /// The handler role the deciding row names.
    #[must_use]
    pub fn role(&self) -> Option<Role> {
        self.outcome.role()
    }

    /// The time limit.
    #[must_use]
    pub fn time_limit(&self) -> TimeLimit {
        self.outcome.time_limit()
    }

    /// The deadline, in the calendar's zone (the offset in force then).
    #[must_use]
    pub fn due(&self) -> Timestamp {
        self.outcome.due()
    }

    /// The decision's flags, in the rule set's order.
    #[must_use]
    pub fn flags(&self) -> Vec<&'a str> {
        self.outcome.flags()
    }

    /// Who follows the first handler (全程跟踪): the grid worker, when a micro-grid leader
    /// (微网格长) handles a micro-grid matter.
    #[must_use]
    pub fn following(&self) -> Option<&'a PersonSpec> {
        self.outcome.following()
    }

    /// The sitting the matter is booked into (the Thursday duty lawyer, a joint reception
    /// day), whose opening its deadline counts from.
    #[must_use]
    pub fn sitting(&self) -> Option<crate::case::event::Booking> {
        self.outcome.sitting()
    }

    /// Whether the decision carries a flag.
    #[must_use]
    pub fn has_flag(&self, flag: &str) -> bool {
        self.outcome.has_flag(flag)
    }

    /// The deciding row: the one that set the level.
    #[must_use]
    pub fn rule(&self) -> RuleRef<'a> {
        self.outcome.rule()
    }

    /// Every row that matched, in evaluation order (the first 16).
    #[must_use]
    pub fn hits(&self) -> Vec<RuleRef<'a>> {
        self.outcome.hits()
    }

    /// A readable explanation: for each row that matched, which cells matched with the
    /// case's values, and why the row exists.
    #[must_use]
    pub fn trace(&self) -> Vec<String> {
        let o = &self.outcome;
        let Some(v) = o.version_rules() else {
            return Vec::new();
        };
        let engine = o.engine;
        let case = self.case;
        let facts = engine.facts(
            CaseFacts::of(case),
            (
                engine
                    .rules
                    .category_index(case.category.as_str())
                    .unwrap_or(0),
                engine
                    .rules
                    .channel_index(case.channel.as_str())
                    .unwrap_or(usize::MAX),
            ),
            engine.community_of(o.location),
            engine.rules.risk_mask(case),
            o.verdict.version,
        );
        let mut lines: Vec<String> = o
            .verdict
            .hits
            .iter()
            .take(usize::from(o.verdict.kept))
            .filter_map(|&(t, r)| {
                v.tables
                    .get(usize::from(t))
                    .map(|tab| tab.explain(usize::from(r), &facts))
            })
            .collect();
        let (total, kept) = (usize::from(o.verdict.total), usize::from(o.verdict.kept));
        if total > kept {
            lines.push(format!("… and {} more matching rows", total - kept));
        }
        if o.verdict.unique_conflict {
            lines.push(
                "more than one row of a `unique` table matched; the first was used".to_owned(),
            );
        }
        if let (true, Some(p)) = (
            self.has_flag(crate::case::event::PETITION_PROCEDURE),
            &v.closed_loop.petition,
        ) {
            lines.push(format!(
                "petition procedure ({}): acceptance decided within {} of receipt; handling and reply within {} of acceptance, extendable {} time(s) by at most {} with approval; a review may be asked within {} of the reply, answered within {} by the level above",
                p.source, p.acceptance, p.handling, p.extensions, p.extension, p.review_request, p.review
            ));
        }
        if let Some(b) = self.sitting() {
            lines.push(format!(
                "booked into the sitting {} opening {}; the time limit counts from then{}",
                b.name.as_deref().map_or_else(
                    || format!("`{}`", b.sitting),
                    |n| format!("{n} (`{}`)", b.sitting)
                ),
                b.at,
                if self.has_flag(crate::case::event::PETITION_PROCEDURE) {
                    ", except the petition's acceptance, counted from receipt"
                } else {
                    ""
                }
            ));
        }
        let year = engine.calendar.date_of(o.due).ymd().0;
        let reported = engine.calendar.date_of(case.reported_at).ymd().0;
        for y in [reported, year] {
            if !engine.calendar.has_year(y)
                && !lines
                    .iter()
                    .any(|l| l.contains(&format!("no holiday data for {y}")))
            {
                lines.push(format!(
                    "the calendar has no holiday data for {y}; only weekends were skipped"
                ));
            }
        }
        lines
    }

    /// The decision as the JSON the entry points return (compact, fields in a fixed
    /// order), without its trace: the deciding row and its `why` say what decided.
    #[must_use]
    pub fn to_json(&self) -> String {
        self.view().to_json()
    }

    /// [`to_json`](Self::to_json) with the trace when `explain` is true: every row that
    /// matched, the facts it read and how the deadline was counted.
    #[must_use]
    pub fn to_json_with(&self, explain: bool) -> String {
        self.view_with(explain).to_json()
    }

    /// The serialisable view of the decision, without its trace.
    #[must_use]
    pub fn view(&self) -> DecisionView<'a> {
        self.view_with(false)
    }

    /// The serialisable view of the decision, with its [`trace`](Self::trace) when
    /// `explain` is true.
    #[must_use]
    pub fn view_with(&self, explain: bool) -> DecisionView<'a> {
        let mut view = self
            .outcome
            .view_of(self.case.id.as_str(), self.case.category.as_str());
        view.trace = explain.then(|| self.trace());
        view
    }
}

/// Something wrong with a decision that still stands, with a stable code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DecisionWarning {
    /// A stable snake_case code: `no_first_handler`.
    pub code: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

/// The JSON shape of a decision.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DecisionView<'a> {
    /// Case id.
    pub case: &'a str,
    /// Version that decided.
    pub version: &'a str,
    /// Grade.
    pub grade: Option<&'a str>,
    /// Level.
    pub level: Level,
    /// Unit at that level (null at department level).
    pub unit: Option<&'a str>,
    /// Its Chinese name.
    pub unit_name: Option<&'a str>,
    /// Lead office.
    pub office: Option<&'a str>,
    /// Co-deciding offices.
    pub co_offices: Vec<&'a str>,
    /// First handler (person id).
    pub handler: Option<&'a str>,
    /// The first handler's role.
    pub handler_role: Option<Role>,
    /// Time limit.
    pub time_limit: TimeLimit,
    /// Deadline.
    pub due: Timestamp,
    /// Flags.
    pub flags: Vec<&'a str>,
    /// Deciding row.
    pub rule: RuleRef<'a>,
    /// Who follows the first handler: the grid worker behind a micro-grid leader (absent
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub following: Option<&'a str>,
    /// The sitting the matter is booked into (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub sitting: Option<crate::case::event::Booking>,
    /// The explanation, when asked for (`explain`): each matching row with the facts it
    /// read, then how the deadline was counted (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub trace: Option<Vec<String>>,
    /// What is wrong with the decision though it stands (absent when nothing is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub warnings: Vec<DecisionWarning>,
}

crate::tsdecl::ts_alias!(Decision = "DecisionView");

impl DecisionView<'_> {
    /// The view as JSON, byte for byte what `serde_json` writes for it (compact, fields
    /// in order, optional ones left out when absent), written by hand: a decision is
    /// printed once per call on the per-call path, and serde's field-by-field machinery
    /// took most of its time. `the_decision_json_is_serde_json_s` holds the two equal.
    #[must_use]
    pub fn to_json(&self) -> String {
        use crate::text::push_json_str as text;
        fn opt(out: &mut String, v: Option<&str>) {
            match v {
                Some(v) => text(out, v),
                None => out.push_str("null"),
            }
        }
        fn list<S: AsRef<str>>(out: &mut String, items: &[S]) {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                text(out, v.as_ref());
            }
            out.push(']');
        }
        fn serde<T: Serialize>(out: &mut String, v: &T) {
            out.push_str(&crate::text::to_json(v));
        }
        let mut out = String::with_capacity(768);
        let o = &mut out;
        o.push_str("{\"case\":");
        text(o, self.case);
        o.push_str(",\"version\":");
        text(o, self.version);
        o.push_str(",\"grade\":");
        opt(o, self.grade);
        o.push_str(",\"level\":");
        text(o, self.level.as_str());
        o.push_str(",\"unit\":");
        opt(o, self.unit);
        o.push_str(",\"unit_name\":");
        opt(o, self.unit_name);
        o.push_str(",\"office\":");
        opt(o, self.office);
        o.push_str(",\"co_offices\":");
        list(o, &self.co_offices);
        o.push_str(",\"handler\":");
        opt(o, self.handler);
        o.push_str(",\"handler_role\":");
        opt(o, self.handler_role.map(Role::as_str));
        // A time limit and an instant print without characters JSON escapes.
        o.push_str(",\"time_limit\":\"");
        self.time_limit.push_to(o);
        o.push_str("\",\"due\":\"");
        self.due.push_to(o);
        o.push('"');
        o.push_str(",\"flags\":");
        list(o, &self.flags);
        o.push_str(",\"rule\":{\"table\":");
        text(o, self.rule.table);
        o.push_str(",\"row\":");
        text(o, self.rule.row);
        o.push_str(",\"why\":");
        text(o, self.rule.why);
        o.push('}');
        if let Some(f) = self.following {
            o.push_str(",\"following\":");
            text(o, f);
        }
        if let Some(b) = &self.sitting {
            o.push_str(",\"sitting\":");
            serde(o, b);
        }
        if let Some(t) = &self.trace {
            o.push_str(",\"trace\":");
            list(o, t);
        }
        if !self.warnings.is_empty() {
            o.push_str(",\"warnings\":");
            serde(o, &self.warnings);
        }
        o.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;
    use crate::calendar::Calendar;
    use crate::org::OrgGraph;
    use crate::rules::{HitPolicy, RuleSet};

    /// The rows of each table that match a prepared case, in table order: the first of a
    /// first-hit or unique table, every one of a collect table.
    fn rows_matching(engine: &Engine, case: &crate::Case) -> Vec<(String, String)> {
        let prepared = engine.prepare(case).unwrap();
        let version = &engine.rules.versions[usize::from(prepared.version)];
        let mut out = Vec::new();
        for table in &version.tables {
            let rows: Vec<usize> = if table.hit_policy == HitPolicy::Collect {
                table.matching(&prepared.facts).collect()
            } else {
                table.first_match(&prepared.facts).into_iter().collect()
            };
            out.extend(
                rows.into_iter()
                    .map(|r| (table.id.to_string(), table.rows[r].id.to_string())),
            );
        }
        out
    }

    #[test]
    fn hits_are_the_rows_the_tables_match() {
        // The rows a decision lists as matching (what its trace explains) are the rows
        // each table matches, in table order, the deciding one among them.
        let engine = Engine::fushan();
        let mut several = 0;
        for case in crate::sim::month_cases(&engine, 2026, 3, 2_000, 5) {
            let d = engine.route(&case).unwrap();
            let hits: Vec<(String, String)> = d
                .hits()
                .iter()
                .map(|h| (h.table.to_owned(), h.row.to_owned()))
                .collect();
            assert_eq!(hits, rows_matching(&engine, &case), "{}", case.id);
            let rule = d.rule();
            assert!(hits.contains(&(rule.table.to_owned(), rule.row.to_owned())));
            assert!(d.trace().len() >= hits.len());
            several += usize::from(hits.len() > 1);
        }
        assert!(several > 20, "{several} decisions with more than one row");
    }

    #[test]
    fn a_trace_keeps_sixteen_rows_and_counts_the_rest() {
        // The default rules with twenty more modifier rows that match every case: the
        // trace lists the first sixteen rows that matched and says how many more did.
        let mut doc: serde_json::Value =
            serde_json::from_str(crate::rules::default_json()).unwrap();
        for version in doc["versions"].as_array_mut().unwrap() {
            let table = &mut version["tables"][1];
            assert_eq!(table["hit_policy"], "collect");
            let width = table["inputs"].as_array().unwrap().len();
            let rows = table["rows"].as_array_mut().unwrap();
            for i in 0..20 {
                rows.push(serde_json::json!({
                    "id": format!("always-{i}"),
                    "when": vec!["-"; width],
                    "then": ["", "", "", "", "", ""],
                    "why": "Matches every case.",
                }));
            }
        }
        let rules = RuleSet::from_json_str(&doc.to_string()).unwrap();
        let engine = Engine::new(OrgGraph::fushan(), rules, Calendar::china()).unwrap();
        let case = crate::sim::month_cases(&engine, 2026, 3, 1, 9).remove(0);
        let d = engine.route(&case).unwrap();
        let matched = rows_matching(&engine, &case);
        assert!(matched.len() > 20);
        let hits = d.hits();
        assert_eq!(hits.len(), 16);
        assert_eq!(
            hits.iter()
                .map(|h| (h.table.to_owned(), h.row.to_owned()))
                .collect::<Vec<_>>(),
            matched[..16].to_vec()
        );
        let more = format!("… and {} more matching rows", matched.len() - 16);
        assert!(d.trace().contains(&more), "{:?}", d.trace());
    }
}
