//! The engine: an organisation graph, a rule set and a calendar, checked against each other.
//! It is the front door of the library. Its methods are grouped by concern, each group in
//! one place:
//! - here: building an engine and reading its parts;
//! - routing (`route.rs`): [`Engine::route`];
//! - the case workflow (`escalate.rs`): intake, overdue cases, reminders, every proposed
//!   action ([`Engine::actions`]);
//! - access (`access.rs`): who may see and do what, timelines and exports as an actor may
//!   see them ([`Engine::can`]);
//! - scoring (`score/`): outcome tables and the monthly evaluation
//!   ([`Engine::score_ledger`]).
//!
//! Those modules sit a layer above this one: they add methods to the engine, and the
//! engine names none of them.
//!
//! The organisation, rule set and calendar are shared by reference counting: cloning an
//! engine, or asking what another rule set would do ([`Engine::with_rules`]), copies none
//! of them.

use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use crate::calendar::{Calendar, CalendarError};
use crate::id::{Category, Channel};
use crate::org::{GapPolicy, Level, OfficeKind, OrgError, OrgGraph, UnitKind};
use crate::rules::cell::Cond;
use crate::rules::facts::Column;
use crate::rules::{Location, RuleError, RuleProblem, RuleSet};

/// How a version's office name resolves in the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OfficeBinding {
    /// An office kind: the office of that kind serving the case's subdistrict.
    Kind(OfficeKind),
    /// One named office.
    Office(u32),
}

/// An organisation, a rule set and a calendar that fit together. Every decision is made here.
#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) org: Arc<OrgGraph>,
    pub(crate) rules: Arc<RuleSet>,
    pub(crate) calendar: Arc<Calendar>,
    /// Per rule-set version, per office name: its binding.
    pub(crate) offices: Vec<Vec<OfficeBinding>>,
    /// Per rule-set version, per office of the organisation (by index): the first of the
    /// version's sittings that takes matters the office leads (its position), or
    /// [`NO_SITTING`].
    pub(crate) sittings: Vec<Vec<u16>>,
    /// What an adapter keeps per engine, built on first use and shared by every call:
    /// the columnar adapter's dictionaries of unit, person and office ids. Held as `Any`
    /// so that this module does not depend on the adapter's.
    #[cfg(feature = "arrow")]
    pub(crate) adapter: Arc<std::sync::OnceLock<Arc<dyn std::any::Any + Send + Sync>>>,
    /// The rule set's channels and categories as the case's typed ids (by position; `None`
    /// for a term that is not a valid one), shared by the cases the lean path builds.
    terms: Arc<Terms>,
    warnings: Vec<RuleProblem>,
}

/// A rule set's channels and categories as typed ids, by position (`None` for a term that
/// is not a valid one).
type Terms = (Vec<Option<Channel>>, Vec<Option<Category>>);

/// No sitting takes an office's matters (see `Engine::sittings`).
pub(crate) const NO_SITTING: u16 = u16::MAX;

/// An engine could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The org spec.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The rule set.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// The calendar.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// The rule set names offices or levels the organisation does not have.
    #[error("the rule set does not fit the organisation: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Mismatch(Vec<RuleProblem>),
}

impl EngineError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Org(e) => e.code(),
            Self::Rules(e) => e.code(),
            Self::Calendar(e) => e.code(),
            Self::Mismatch(_) => "rules_org_mismatch",
        }
    }
}

impl Engine {
    /// The embedded defaults: the Fushan organisation, the default rule set and the China
    /// mainland calendar for 2025-2026. Built once; later calls share it.
    #[must_use]
    pub fn fushan() -> Self {
        static FUSHAN: LazyLock<Engine> = LazyLock::new(|| {
            #[expect(
                clippy::expect_used,
                reason = "the embedded defaults are fixed data, checked by the test suite"
            )]
            Engine::new(OrgGraph::fushan(), RuleSet::fushan(), Calendar::china())
                .expect("the embedded defaults fit together")
        });
        FUSHAN.clone()
    }

    /// Builds an engine from JSON documents; `None` takes the embedded default.
    ///
    /// # Errors
    /// [`EngineError`] for the first document that does not read, or a mismatch.
    pub fn from_json_strs(
        org: Option<&str>,
        rules: Option<&str>,
        calendar: Option<&str>,
    ) -> Result<Self, EngineError> {
        Self::from_json_strs_with(org, rules, calendar, GapPolicy::Reject)
    }

    /// [`Engine::from_json_strs`] with a validation policy for the organisation's coverage
    /// gaps: under [`GapPolicy::Report`] they are accepted and listed in
    /// [`Engine::warnings`] (code and unit of each) instead of refusing the organisation.
    ///
    /// ```
    /// use gridgov::Engine;
    /// use gridgov::org::GapPolicy;
    ///
    /// // A plain territorial tree: no people, so no grid has a grid worker.
    /// let org = r#"{"format": 1, "name": "t", "units": [
    ///   {"id": "sd", "kind": "subdistrict", "name": "街道"},
    ///   {"id": "c1", "kind": "community", "name": "社区", "parent": "sd"},
    ///   {"id": "x1", "kind": "compound", "name": "小区", "parent": "c1"},
    ///   {"id": "g1", "kind": "grid", "name": "网格", "parent": "x1"},
    ///   {"id": "m1", "kind": "micro_grid", "name": "微网格", "parent": "g1"}]}"#;
    /// let rules = r#"{"format": 1, "name": "one-row", "categories": [{"id": "other"}],
    ///   "grades": [], "risk_flags": [], "flags": [], "attributes": [],
    ///   "versions": [{"name": "v1", "effective_from": "2026-01-01", "tables": [
    ///     {"id": "routing", "hit_policy": "first", "inputs": ["category"],
    ///      "outputs": ["level", "time_limit"],
    ///      "rows": [{"id": "all", "when": ["-"], "then": ["grid", "3 working days"],
    ///                "why": "everything starts in the grid"}]}]}]}"#;
    /// let strict = Engine::from_json_strs(Some(org), Some(rules), None).unwrap_err();
    /// assert_eq!(gridgov::error::Error::from(strict).problems()[0].code, "grid_without_worker");
    /// let engine = Engine::from_json_strs_with(Some(org), Some(rules), None, GapPolicy::Report)?;
    /// let w = engine.warnings().iter().find(|w| w.code == "grid_without_worker").unwrap();
    /// assert_eq!(w.location.subject.as_deref(), Some("g1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Engine::from_json_strs`].
    pub fn from_json_strs_with(
        org: Option<&str>,
        rules: Option<&str>,
        calendar: Option<&str>,
        gaps: GapPolicy,
    ) -> Result<Self, EngineError> {
        let org = match org {
            Some(s) => OrgGraph::from_json_str_with(s, gaps)?,
            None => OrgGraph::fushan(),
        };
        let rules = match rules {
            Some(s) => RuleSet::from_json_str(s)?,
            None => RuleSet::fushan(),
        };
        let calendar = match calendar {
            Some(s) => Calendar::from_json_str(s)?,
            None => Calendar::china(),
        };
        Self::new(org, rules, calendar)
    }

    /// Checks that the rule set fits the organisation and builds the engine: every office a
    /// row names is an office kind the organisation has, or one of its office ids; every
    /// territorial level a row names has units. Rows naming a community the organisation
    /// does not have are warned about (they never fire).
    ///
    /// # Errors
    /// [`EngineError::Mismatch`] listing every problem.
    pub fn new(org: OrgGraph, rules: RuleSet, calendar: Calendar) -> Result<Self, EngineError> {
        Self::from_shared(Arc::new(org), Arc::new(rules), Arc::new(calendar))
    }

    /// This engine's organisation and calendar under another rule set (shared, not copied):
    /// the second engine of a what-if comparison.
    ///
    /// # Errors
    /// [`EngineError::Mismatch`] when the rule set does not fit the organisation.
    pub fn with_rules(&self, rules: RuleSet) -> Result<Engine, EngineError> {
        Self::from_shared(
            Arc::clone(&self.org),
            Arc::new(rules),
            Arc::clone(&self.calendar),
        )
    }

    /// [`Engine::new`] with parts already shared with other engines.
    ///
    /// # Errors
    /// [`EngineError::Mismatch`] listing every problem.
    pub fn from_shared(
        org: Arc<OrgGraph>,
        rules: Arc<RuleSet>,
        calendar: Arc<Calendar>,
    ) -> Result<Self, EngineError> {
        let mut problems = Vec::new();
        let mut warnings: Vec<RuleProblem> = org.gaps().iter().map(RuleProblem::of_org).collect();
        warnings.extend(rules.warnings().iter().cloned());
        let mut offices = Vec::new();
        let counts = org.counts();
        for v in &rules.versions {
            let mut bound = Vec::new();
            for (slot, name) in v.offices.iter().enumerate() {
                let by_id = org.office_index(name);
                let binding = match (OfficeKind::from_str(name), by_id) {
                    (_, Some(i)) => Some(OfficeBinding::Office(i)),
                    (Ok(kind), None) if org.has_office_kind(kind) => {
                        Some(OfficeBinding::Kind(kind))
                    }
                    _ => None,
                };
                match binding {
                    Some(b) => bound.push(b),
                    None => {
                        let mut valid: Vec<String> = org
                            .spec()
                            .offices
                            .iter()
                            .map(|o| o.id.to_string())
                            .collect();
                        valid.extend(
                            OfficeKind::ALL
                                .iter()
                                .filter(|k| org.has_office_kind(**k))
                                .map(|k| k.as_str().to_owned()),
                        );
                        valid.sort();
                        valid.dedup();
                        // Name the first row that uses the office.
                        let used_by = v.tables.iter().find_map(|t| {
                            t.rows
                                .iter()
                                .find(|r| r.out.offices & (1u64 << slot) != 0)
                                .map(|r| (t.id.to_string(), r.id.to_string()))
                        });
                        problems.push(RuleProblem::new(
                            "unknown_office",
                            Location {
                                version: Some(v.name.clone()),
                                table: used_by.as_ref().map(|(t, _)| t.clone()),
                                row: used_by.map(|(_, r)| r),
                                column: Some("office".to_owned()),
                                line: None,
                                subject: None,
                            },
                            format!(
                                "office `{name}` is neither an office of the organisation nor a kind of office it has; valid: {}",
                                valid.join(", ")
                            ),
                        ));
                        bound.push(OfficeBinding::Office(u32::MAX));
                    }
                }
            }
            offices.push(bound);
            for t in &v.tables {
                for r in &t.rows {
                    let loc = || Location {
                        version: Some(v.name.clone()),
                        table: Some(t.id.to_string()),
                        row: Some(r.id.to_string()),
                        column: None,
                        line: None,
                        subject: None,
                    };
                    if let Some(level) = r.out.level {
                        let has = level
                            .unit_kind()
                            .is_none_or(|k| counts.units.get(&k).copied().unwrap_or(0) > 0);
                        if !has {
                            problems.push(RuleProblem::new(
                                "level_not_in_org",
                                Location {
                                    column: Some("level".to_owned()),
                                    ..loc()
                                },
                                format!(
                                    "level `{level}` has no units in the organisation `{}`",
                                    org.name()
                                ),
                            ));
                        }
                    }
                    for (col, cond) in t.columns.iter().zip(&r.conds) {
                        if let (Column::Community, Cond::Text { values, .. }) = (col, cond) {
                            for c in values.iter() {
                                let ok = org.unit(c).is_some_and(|u| u.kind == UnitKind::Community);
                                if !ok {
                                    warnings.push(RuleProblem::new(
                                        "unknown_community",
                                        Location { column: Some("community".to_owned()), ..loc() },
                                        format!("`{c}` is not a community of the organisation `{}`; the test never matches it", org.name()),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
        no_first_handler(&org, &rules, &offices, &mut warnings);
        for o in &org.spec().offices {
            for c in &o.categories {
                if rules.category_index(c.as_str()).is_none() {
                    warnings.push(RuleProblem::new(
                        "unknown_office_category",
                        Location::default(),
                        format!(
                            "office `{}` takes category `{c}`, which the rule set does not declare",
                            o.id
                        ),
                    ));
                }
            }
        }
        duty_list_warnings(&org, &rules, &mut warnings);
        if !problems.is_empty() {
            return Err(EngineError::Mismatch(problems));
        }
        let sittings = rules
            .versions
            .iter()
            .map(|v| {
                let mut by_office = vec![NO_SITTING; org.spec().offices.len()];
                // The first sitting naming an office wins, as a scan of them in order finds.
                for (i, s) in v.closed_loop.sittings.iter().enumerate().rev() {
                    let Ok(i) = u16::try_from(i) else { continue };
                    for o in &s.offices {
                        if let Some(slot) = org
                            .office_index(o.as_str())
                            .and_then(|x| by_office.get_mut(x as usize))
                        {
                            *slot = i;
                        }
                    }
                }
                by_office
            })
            .collect();
        let terms = Arc::new((
            rules
                .channels()
                .iter()
                .map(|c| Channel::new(c).ok())
                .collect(),
            rules
                .categories()
                .iter()
                .map(|c| Category::new(c).ok())
                .collect(),
        ));
        Ok(Self {
            org,
            rules,
            calendar,
            offices,
            sittings,
            #[cfg(feature = "arrow")]
            adapter: Arc::default(),
            terms,
            warnings,
        })
    }

    /// Whether the channel and category at positions `channel` and `category` of the
    /// rule set's vocabularies have typed ids ([`typed_terms`](Self::typed_terms) gives
    /// them), without taking a share of them.
    pub(crate) fn has_typed_terms(&self, channel: usize, category: usize) -> bool {
        matches!(
            (self.terms.0.get(channel), self.terms.1.get(category)),
            (Some(Some(_)), Some(Some(_)))
        )
    }

    /// The channel and category at positions `channel` and `category` of the rule set's
    /// vocabularies, as a case's typed ids (shared, not copied).
    pub(crate) fn typed_terms(
        &self,
        channel: usize,
        category: usize,
    ) -> Option<(Channel, Category)> {
        Some((
            self.terms.0.get(channel)?.clone()?,
            self.terms.1.get(category)?.clone()?,
        ))
    }

    /// The organisation.
    #[must_use]
    pub fn org(&self) -> &OrgGraph {
        &self.org
    }

    /// The rule set.
    #[must_use]
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The calendar.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The organisation, shared.
    #[must_use]
    pub fn org_shared(&self) -> &Arc<OrgGraph> {
        &self.org
    }

    /// The version name and scoring rules in force at a moment (by its local date; before
    /// the first version, the first version's).
    #[must_use]
    pub fn scoring_spec(
        &self,
        at: crate::time::Timestamp,
    ) -> (&str, &crate::rules::scoring::ScoringSpec) {
        self.scoring_spec_on(self.calendar.date_of(at))
    }

    /// The rule-set version in force at a moment (by its local date), or the first one
    /// for a moment before every version: what each part's `…_spec_on` reads.
    pub(crate) fn version_at(&self, at: crate::time::Timestamp) -> Option<&crate::rules::Version> {
        self.rules
            .version_in_force_or_first(self.calendar.date_of(at))
    }

    /// The version name and scoring rules in force on a local date.
    #[must_use]
    pub fn scoring_spec_on(
        &self,
        date: crate::time::Date,
    ) -> (&str, &crate::rules::scoring::ScoringSpec) {
        static DEFAULT: LazyLock<crate::rules::scoring::ScoringSpec> =
            LazyLock::new(crate::rules::scoring::ScoringSpec::default);
        self.rules
            .version_in_force_or_first(date)
            .map_or(("", &*DEFAULT), |v| (v.name.as_str(), &v.scoring))
    }

    /// The organisation's accepted coverage gaps (under [`GapPolicy::Report`]), the rule
    /// set's warnings and those about how it fits the organisation.
    #[must_use]
    pub fn warnings(&self) -> &[RuleProblem] {
        &self.warnings
    }

    /// The levels that have units in the organisation, low to high (department always).
    #[must_use]
    pub fn levels(&self) -> Vec<Level> {
        let counts = self.org.counts();
        Level::ALL
            .iter()
            .copied()
            .filter(|l| {
                l.unit_kind()
                    .is_none_or(|k| counts.units.get(&k).copied().unwrap_or(0) > 0)
            })
            .collect()
    }
}

/// A reported case could not be read: it does not parse or fit, or its point is not on
/// the organisation's map.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadCaseError {
    /// The case does not parse, or gives neither a location nor a point.
    #[error(transparent)]
    Case(#[from] crate::case::CaseError),
    /// Its point could not be placed.
    #[error(transparent)]
    Locate(#[from] crate::org::LocateError),
}

impl Engine {
    /// Reads a case as a reporting system sends it: with a micro-grid id in `location`,
    /// or with only a map `point`, which is located on the organisation's map (the
    /// micro-grid containing it becomes the location, and the point is kept).
    ///
    /// ```
    /// let engine = gridgov::Engine::fushan();
    /// let case = engine.read_case(r#"{"id": "p1", "channel": "app", "category": "environment",
    ///     "point": {"lon": 116.9505, "lat": 35.3855, "crs": "gcj02"},
    ///     "reported_at": "2026-03-02T09:00:00+08:00"}"#)?;
    /// assert_eq!(case.location, "fs-c01-g01-m1");
    /// # Ok::<(), gridgov::engine::ReadCaseError>(())
    /// ```
    ///
    /// # Errors
    /// [`ReadCaseError::Case`] for a case that does not parse or gives neither a location
    /// nor a point; [`ReadCaseError::Locate`] for a point that is not on the map.
    pub fn read_case(&self, json: &str) -> Result<crate::case::Case, ReadCaseError> {
        self.place_case(crate::case::CaseInput::from_json_str(json)?)
    }

    /// [`read_case`](Self::read_case) from an already parsed input.
    ///
    /// # Errors
    /// As [`read_case`](Self::read_case).
    pub fn place_case(
        &self,
        input: crate::case::CaseInput,
    ) -> Result<crate::case::Case, ReadCaseError> {
        input.into_case(|p| {
            let key = self.org.locate_key(p.lon, p.lat, p.crs)?;
            self.org
                .unit_by_key(key)
                .map(|u| u.id.clone())
                .ok_or(ReadCaseError::Locate(crate::org::LocateError::NoMap))
        })
    }
}

/// Warnings about decisions that would leave no one in charge (首办责任 needs a person): an
/// office the rules name that has no lead, a unit at a level the rules route to without an
/// office that has no duty holder, and a row that routes to department level without an
/// office.
fn no_first_handler(
    org: &OrgGraph,
    rules: &RuleSet,
    offices: &[Vec<OfficeBinding>],
    warnings: &mut Vec<RuleProblem>,
) {
    const SHOWN: usize = 10;
    let mut leaderless: Vec<u32> = Vec::new();
    for bound in offices {
        for b in bound {
            match b {
                OfficeBinding::Office(i) if *i != u32::MAX => leaderless.push(*i),
                OfficeBinding::Office(_) => {}
                OfficeBinding::Kind(k) => leaderless.extend(
                    org.spec()
                        .offices
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.kind == *k)
                        .filter_map(|(i, _)| u32::try_from(i).ok()),
                ),
            }
        }
    }
    leaderless.sort_unstable();
    leaderless.dedup();
    for i in leaderless {
        if org.office_holder_index(i).is_some() {
            continue;
        }
        if let Some(o) = org.office_at(i) {
            warnings.push(RuleProblem::new(
                "office_without_lead",
                Location::default(),
                format!(
                    "office `{}` has no lead: a case the rules send to it has no first handler (首办责任); give it a `lead` duty or attach a person to it",
                    o.id
                ),
            ));
        }
    }
    let mut levels: Vec<Level> = Vec::new();
    for v in &rules.versions {
        for t in &v.tables {
            for r in &t.rows {
                let (Some(level), None) = (r.out.level, r.out.lead_office) else {
                    continue;
                };
                if level == Level::Department {
                    warnings.push(RuleProblem::new(
                        "no_first_handler",
                        Location {
                            version: Some(v.name.clone()),
                            table: Some(t.id.to_string()),
                            row: Some(r.id.to_string()),
                            column: Some("office".to_owned()),
                            line: None,
                            subject: None,
                        },
                        "the row routes to department level without naming an office: its cases have no first handler; name the office that leads".to_owned(),
                    ));
                } else if !levels.contains(&level) {
                    levels.push(level);
                }
            }
        }
    }
    levels.sort_by_key(|l| l.rank());
    for level in levels {
        let units = org.units_without_holder(level);
        if units.is_empty() {
            continue;
        }
        let shown: Vec<&str> = units
            .iter()
            .take(SHOWN)
            .filter_map(|k| org.unit_by_key(*k))
            .map(|u| u.id.as_str())
            .collect();
        warnings.push(RuleProblem::new(
            "no_duty_holder",
            Location {
                column: Some("level".to_owned()),
                ..Location::default()
            },
            format!(
                "{} unit{} at level `{level}` ha{} no duty holder, so a case the rules route there without an office has no first handler: {}{}",
                units.len(),
                if units.len() == 1 { "" } else { "s" },
                if units.len() == 1 { "s" } else { "ve" },
                shown.join(", "),
                if units.len() > SHOWN { ", …" } else { "" }
            ),
        ));
    }
}

/// The duty lists against the rule set and the people: a work area naming a category the
/// rule set does not declare, a category no duty item covers, a grid worker without the
/// common lists. Nothing when the organisation declares no duty lists.
fn duty_list_warnings(org: &OrgGraph, rules: &RuleSet, warnings: &mut Vec<RuleProblem>) {
    let Some(lists) = org.duty_lists() else {
        return;
    };
    let at = |subject: &str| Location {
        subject: Some(subject.to_owned()),
        ..Location::default()
    };
    for a in &lists.work_areas {
        for c in &a.categories {
            if rules.category_index(c.as_str()).is_none() {
                warnings.push(RuleProblem::new(
                    "unknown_work_area_category",
                    at(a.id.as_str()),
                    format!(
                        "work area `{}` takes category `{c}`, which the rule set does not declare; no case falls in it",
                        a.id
                    ),
                ));
            }
        }
    }
    let covered = org.covered_categories();
    for c in rules.categories() {
        if !covered.contains(c.as_str()) {
            warnings.push(RuleProblem::new(
                "category_without_duty",
                at(c.as_str()),
                format!(
                    "no item of any duty list covers category `{c}` (through the work areas): nobody's 职责清单 names its cases; add the category to a work area an item covers"
                ),
            ));
        }
    }
    for m in org.missing_common_lists() {
        warnings.push(RuleProblem::new(
            "missing_common_duty_list",
            at(m.person.as_str()),
            format!(
                "grid worker `{}` does not hold the common duty list{} {}; every grid worker holds each common list (共性清单): add {} to the `lists` of their grid_worker duty",
                m.person,
                if m.lists.len() == 1 { "" } else { "s" },
                m.lists.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", "),
                if m.lists.len() == 1 { "it" } else { "them" },
            ),
        ));
    }
}
