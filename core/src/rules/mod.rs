//! Rules as data: a rule-set document of dated versions, each a list of decision tables
//! whose cells are short typed tests (see [`cell`](self#cells)) and whose outputs name the
//! grade, level, handler role, office, time limit and flags of a case.
//!
//! ## How tables combine
//! The tables of the version in force are evaluated in order. A `first` or `unique` table
//! contributes its first matching row, a `collect` table every matching row. Of all the
//! rows that matched (the *hits*):
//! - **level**: the highest level any hit names; the hit that names it (the earliest, on a
//!   tie) is the *deciding row*, reported as the decision's `rule`;
//! - **handler role, time limit**: the deciding row's; where it leaves a cell empty, the
//!   earliest hit that fills it;
//! - **lead office**: the deciding row's first office, if it names one; then the first
//!   handler is that office's holder, otherwise the duty holder of the unit at the level;
//! - **grade**: the most serious any hit names;
//! - **flags**: every flag any hit names;
//! - **co-deciding offices** (联合会商): every other office any hit names.
//!
//! So a `first` table can route by category and thresholds, and a `collect` table of
//! modifiers can raise the level ("a third report goes to the community"), add flags, and
//! join offices, without repeating the routing rows.
//!
//! ## Cells
//! See the table in the `cell` module's source (`core/src/rules/cell.rs`): `-`, `a, b`, `not a`, `>= 5`, `[1..4]`,
//! `(1..4)`, `none`…
//!
//! ```
//! use gridgov::rules::RuleSet;
//!
//! let rules = RuleSet::fushan();
//! assert_eq!(rules.categories().len(), 16);
//! assert!(rules.warnings().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod access;
mod analysis;
pub(crate) mod cell;
mod csv;
pub(crate) mod facts;
pub mod grid_work;
pub(crate) mod index;
pub mod procedure;
pub mod scoring;

pub mod spec;
pub(crate) mod table;

use std::fmt;

use rustc_hash::FxHashMap;
use serde::Serialize;

pub use spec::{
    AttributeSpec, Datatype, EscalationSpec, HitPolicy, MatchAt, Output, RULES_FORMAT, ReopenAt,
    RepeatSpec, RowSpec, RuleSetSpec, TableSpec, Term, VersionSpec,
};

use crate::case::{AttrValue, Case, CaseError, CaseProblem};
use crate::fixed::Fixed2;
use crate::text::truncate_for_message;
use crate::time::{Date, Timestamp};
use table::Table;

/// The embedded default rule set, deflated at build time (`core/build.rs`).
const DEFAULT_DEFLATED: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/default_rules.json.deflate"));

/// The embedded default rule set, expressing the Fushan model
/// (`core/data/rules/default.json`), as JSON text. It is kept deflated in the library (about
/// 5 KB, not 35 KB: the web module carries it) and inflated on the first call.
#[must_use]
pub fn default_json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| crate::text::inflate_embedded(DEFAULT_DEFLATED))
}

/// Decision flags every rule set has.
pub const BUILTIN_FLAGS: [&str; 2] = ["joint_consultation", "long_term_mechanism"];

/// The most risk flags, decision flags or list values a rule set may declare.
pub const MAX_FLAGS: usize = 64;

/// Where in a rule set a problem is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Location {
    /// Version name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Table id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Row id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// Column name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Line of a CSV table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// For a problem of the organisation: the unit, person, office or team it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub subject: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(v) = &self.version {
            parts.push(format!("version `{v}`"));
        }
        if let Some(t) = &self.table {
            parts.push(format!("table `{t}`"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if let Some(r) = &self.row {
            parts.push(format!("row `{r}`"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column `{c}`"));
        }
        if let Some(u) = &self.subject {
            parts.push(format!("organisation, `{u}`"));
        }
        if parts.is_empty() {
            f.write_str("rule set")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// A problem (error or warning) found in a rule set, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{location}: {message}")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RuleProblem {
    /// A stable snake_case code (`unknown_value`, `bad_cell`, `overlap`…).
    pub code: &'static str,
    /// Where.
    pub location: Location,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl RuleProblem {
    pub(crate) fn new(code: &'static str, location: Location, message: String) -> Self {
        Self {
            code,
            location,
            message,
        }
    }

    fn at(code: &'static str, message: String) -> Self {
        Self::new(code, Location::default(), message)
    }

    /// A problem of the organisation, located at what it is about.
    #[must_use]
    pub fn of_org(p: &crate::org::OrgProblem) -> Self {
        let subject = p.subject();
        Self::new(
            p.code(),
            Location {
                subject: (!subject.is_empty()).then(|| subject.to_owned()),
                ..Location::default()
            },
            p.to_string(),
        )
    }
}

/// A rule set could not be read or is invalid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// Not valid JSON, or not a rule set's shape.
    #[error("rule set does not parse at line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// Invalid; every problem is listed.
    #[error("rule set has {} error{}: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<RuleProblem>),
}

impl RuleError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "rules_parse",
            Self::Invalid(_) => "rules_invalid",
        }
    }

    /// The problems (empty for a parse error).
    #[must_use]
    pub fn problems(&self) -> &[RuleProblem] {
        match self {
            Self::Parse { .. } => &[],
            Self::Invalid(p) => p,
        }
    }
}

/// What validating a rule set found: errors (the set cannot be used) and warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ValidationReport {
    /// Errors.
    pub errors: Vec<RuleProblem>,
    /// Warnings: overlapping rows, rows that can never fire, no catch-all row…
    pub warnings: Vec<RuleProblem>,
}

/// The vocabularies of a rule set, resolved.
#[derive(Clone, Debug)]
pub(crate) struct Vocab {
    pub(crate) categories: Vec<String>,
    /// The channels, in order, and each one's position by id.
    pub(crate) channels: Vec<String>,
    channel_ix: FxHashMap<Box<str>, u32>,
    category_ix: FxHashMap<Box<str>, u32>,
    /// The categories as ids (those that are valid ones), and each one's place in id order.
    category_ids: Vec<crate::id::Category>,
    category_order: Vec<u32>,
    pub(crate) grades: Vec<String>,
    pub(crate) risk_flags: Vec<String>,
    pub(crate) flags: Vec<String>,
    pub(crate) attributes: Vec<AttributeSpec>,
    /// By category position: whether some attribute is required for it. A case of a
    /// category without one and without attributes has nothing for
    /// [`RuleSet::attribute_problems`] to report.
    requires_attributes: Vec<bool>,
}

/// Up to this many channels, a channel is found by comparing the few ids in turn: cheaper
/// than hashing the text (callgrind, `benches/examples/instructions.rs route`), and equal
/// to the map by a property test.
const SCAN_CHANNELS: usize = 16;

impl Vocab {
    /// The position of a channel.
    #[inline]
    pub(crate) fn channel_index(&self, channel: &str) -> Option<usize> {
        if self.channels.len() <= SCAN_CHANNELS {
            return self.channels.iter().position(|c| c == channel);
        }
        self.channel_ix.get(channel).map(|&i| i as usize)
    }

    /// The position of a channel through the map alone.
    #[cfg(test)]
    pub(crate) fn channel_index_by_map(&self, channel: &str) -> Option<usize> {
        self.channel_ix.get(channel).map(|&i| i as usize)
    }
}

/// A compiled version.
#[derive(Clone, Debug)]
pub(crate) struct Version {
    pub(crate) name: String,
    pub(crate) effective_from: Date,
    pub(crate) tables: Vec<Table>,
    /// Office names the tables use; rows refer to them by position.
    pub(crate) offices: Vec<String>,
    /// The attributes the tables test, read ahead when a case is prepared.
    pub(crate) attrs: Vec<usize>,
    /// Escalation, reminders, reopening and repeats.
    pub(crate) escalation: EscalationSpec,
    /// Monthly scoring.
    pub(crate) scoring: scoring::ScoringSpec,
    /// The closed loop.
    pub(crate) closed_loop: procedure::LoopSpec,
    pub(crate) grid_work: grid_work::GridWorkSpec,
}

/// A validated, compiled rule set.
#[derive(Clone, Debug)]
pub struct RuleSet {
    spec: RuleSetSpec,
    pub(crate) vocab: Vocab,
    pub(crate) versions: Vec<Version>,
    warnings: Vec<RuleProblem>,
    /// The bit of the `petition_procedure` flag, when declared.
    pub(crate) petition_flag: Option<u32>,
}

impl RuleSet {
    /// The embedded default rule set (the Fushan model).
    #[must_use]
    pub fn fushan() -> Self {
        #[expect(
            clippy::expect_used,
            reason = "the embedded rule set is fixed data, checked by the test suite"
        )]
        Self::from_json_str(default_json()).expect("the embedded rule set is valid")
    }

    /// Parses, validates and compiles a rule set.
    ///
    /// # Errors
    /// [`RuleError::Parse`] with the line and column, or [`RuleError::Invalid`] listing every
    /// problem with its version, table, row and column.
    pub fn from_json_str(json: &str) -> Result<Self, RuleError> {
        let spec: RuleSetSpec = serde_json::from_str(json).map_err(|e| RuleError::Parse {
            line: e.line(),
            column: e.column(),
            message: crate::text::strip_position(&e.to_string()),
        })?;
        Self::from_spec(spec)
    }

    /// Validates and compiles a rule set document.
    ///
    /// # Errors
    /// [`RuleError::Invalid`] listing every problem.
    pub fn from_spec(spec: RuleSetSpec) -> Result<Self, RuleError> {
        let (set, report) = compile(spec);
        match set {
            Some(mut set) if report.errors.is_empty() => {
                set.warnings = report.warnings;
                Ok(set)
            }
            _ => Err(RuleError::Invalid(report.errors)),
        }
    }

    /// Validates a rule set document and reports errors and warnings; never fails.
    #[must_use]
    pub fn validate_json_str(json: &str) -> ValidationReport {
        match serde_json::from_str::<RuleSetSpec>(json) {
            Ok(spec) => compile(spec).1,
            Err(e) => ValidationReport {
                errors: vec![RuleProblem::new(
                    "rules_parse",
                    Location {
                        line: Some(e.line()),
                        ..Location::default()
                    },
                    format!(
                        "does not parse at line {}, column {}: {}",
                        e.line(),
                        e.column(),
                        crate::text::strip_position(&e.to_string())
                    ),
                )],
                warnings: Vec::new(),
            },
        }
    }

    /// The document the rule set was built from.
    #[must_use]
    pub fn spec(&self) -> &RuleSetSpec {
        &self.spec
    }

    /// Warnings found while compiling.
    #[must_use]
    pub fn warnings(&self) -> &[RuleProblem] {
        &self.warnings
    }

    /// The category ids, in order.
    #[must_use]
    pub fn categories(&self) -> &[String] {
        &self.vocab.categories
    }

    /// The categories as ids, in order.
    pub(crate) fn category_ids(&self) -> &[crate::id::Category] {
        &self.vocab.category_ids
    }

    /// Each category's place in id order (for sorting by category id).
    pub(crate) fn category_order(&self) -> &[u32] {
        &self.vocab.category_order
    }

    /// The position of a category in [`categories`](Self::categories).
    #[must_use]
    pub fn category_index(&self, category: &str) -> Option<usize> {
        self.vocab.category_ix.get(category).map(|&i| i as usize)
    }

    /// The channel ids cases may come in by, in order.
    #[must_use]
    pub fn channels(&self) -> &[String] {
        &self.vocab.channels
    }

    /// The position of a channel in [`channels`](Self::channels).
    #[must_use]
    pub fn channel_index(&self, channel: &str) -> Option<usize> {
        self.vocab.channel_index(channel)
    }

    /// The grade ids, least serious first.
    #[must_use]
    pub fn grades(&self) -> &[String] {
        &self.vocab.grades
    }

    /// Decision flag ids (the built-ins first).
    #[must_use]
    pub fn flags(&self) -> &[String] {
        &self.vocab.flags
    }

    /// Risk flag ids.
    #[must_use]
    pub fn risk_flags(&self) -> &[String] {
        &self.vocab.risk_flags
    }

    /// Version names and the dates they take effect, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = (&str, Date)> {
        self.versions
            .iter()
            .map(|v| (v.name.as_str(), v.effective_from))
    }

    /// The index of the version in force on a local date: the latest that has taken effect.
    pub(crate) fn version_index_on(&self, date: Date) -> Option<usize> {
        self.versions.iter().rposition(|v| v.effective_from <= date)
    }

    /// The version in force on a local date, or the first version before any has taken
    /// effect: the escalation and scoring rules of such a date.
    pub(crate) fn version_in_force_or_first(&self, date: Date) -> Option<&Version> {
        self.version_index_on(date)
            .and_then(|i| self.versions.get(i))
            .or_else(|| self.versions.first())
    }

    /// The risk flags of a case as a mask.
    pub(crate) fn risk_mask(&self, case: &Case) -> u64 {
        case.risk_flags
            .iter()
            .filter_map(|f| self.vocab.risk_flags.iter().position(|r| r == f.as_str()))
            .fold(0, |m, i| m | (1 << i))
    }

    /// Checks a case against the rule set: a known category, known risk flags, and the
    /// attributes its category declares, each of the declared type.
    ///
    /// # Errors
    /// [`CaseError::Invalid`] listing every problem with its field.
    pub fn check_case(&self, case: &Case) -> Result<(), CaseError> {
        let mut problems = Vec::new();
        let _ = self.case_problems(case, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CaseError::Invalid(problems))
        }
    }

    /// Adds a case's problems against the rule set; returns the positions of its category
    /// and channel when they are known (so that routing looks them up once).
    pub(crate) fn case_problems(
        &self,
        case: &Case,
        problems: &mut Vec<CaseProblem>,
    ) -> (Option<usize>, Option<usize>) {
        self.case_problems_with(case, problems, true)
    }

    /// [`case_problems`](Self::case_problems), leaving out missing required attributes
    /// when `check_required` is false (routing a report taken in incomplete on the safe
    /// side).
    pub(crate) fn case_problems_with(
        &self,
        case: &Case,
        problems: &mut Vec<CaseProblem>,
        check_required: bool,
    ) -> (Option<usize>, Option<usize>) {
        let mut push = |field: &str, reason: String| {
            problems.push(CaseProblem {
                case: case.id.to_string(),
                field: field.to_owned(),
                reason,
            });
        };
        let category = case.category.as_str();
        let category_at = self.category_index(category);
        if category_at.is_none() {
            push(
                "category",
                format!(
                    "unknown category `{category}`; valid categories: {}",
                    self.vocab.categories.join(", ")
                ),
            );
        }
        let channel = case.channel.as_str();
        let channel_at = self.channel_index(channel);
        if channel_at.is_none() {
            push(
                "channel",
                format!(
                    "unknown channel `{channel}`; valid channels: {}",
                    self.vocab.channels.join(", ")
                ),
            );
        }
        if case.amount_yuan < Fixed2::ZERO {
            push(
                "amount_yuan",
                format!(
                    "`{}` is negative; amounts are zero or more",
                    case.amount_yuan
                ),
            );
        }
        for f in &case.risk_flags {
            if !self.vocab.risk_flags.iter().any(|r| r == f.as_str()) {
                push(
                    "risk_flags",
                    format!(
                        "unknown risk flag `{f}`; valid risk flags: {}",
                        self.vocab.risk_flags.join(", ")
                    ),
                );
            }
        }
        self.attribute_problems(category, &case.attributes, check_required, &mut push);
        (category_at, channel_at)
    }

    /// Whether [`attribute_problems`](Self::attribute_problems), checking required ones,
    /// can find anything in `attributes` for the category at `category` (its position):
    /// `false` for no attributes and a category with none required.
    #[inline]
    pub(crate) fn attributes_to_check(
        &self,
        category: usize,
        attributes: &facts::Attributes,
    ) -> bool {
        !attributes.is_empty()
            || self
                .vocab
                .requires_attributes
                .get(category)
                .copied()
                .unwrap_or(true)
    }

    /// The problems with a case's attributes under its category (`category`, known or
    /// not): attributes it does not declare, values not of their type, and (when
    /// `check_required`) required ones missing; each given to `push` with its field.
    pub(crate) fn attribute_problems(
        &self,
        category: &str,
        attributes: &facts::Attributes,
        check_required: bool,
        push: &mut dyn FnMut(&str, String),
    ) {
        let applies = |a: &AttributeSpec| a.applies_to(category);
        for (code, value) in attributes {
            // Named only when something is wrong: a valid case allocates nothing here.
            let field = || format!("attributes.{}", truncate_for_message(code));
            let Some(spec) = self
                .vocab
                .attributes
                .iter()
                .find(|a| a.code.as_str() == code && applies(a))
            else {
                let valid: Vec<&str> = self
                    .vocab
                    .attributes
                    .iter()
                    .filter(|a| applies(a))
                    .map(|a| a.code.as_str())
                    .collect();
                push(
                    &field(),
                    format!(
                        "category `{category}` has no attribute `{}`; its attributes: {}",
                        truncate_for_message(code),
                        if valid.is_empty() {
                            "none".to_owned()
                        } else {
                            valid.join(", ")
                        }
                    ),
                );
                continue;
            };
            if let Err(reason) = check_attr(spec, value) {
                push(&field(), reason);
            }
        }
        for a in self
            .vocab
            .attributes
            .iter()
            .filter(|a| check_required && a.required && applies(a))
        {
            if !attributes.contains_key(a.code.as_str()) {
                push(
                    &format!("attributes.{}", a.code),
                    format!("is required for category `{category}` ({})", a.datatype),
                );
            }
        }
    }
}

fn check_attr(spec: &AttributeSpec, value: &AttrValue) -> Result<(), String> {
    let values = || {
        spec.values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (spec.datatype, value) {
        (Datatype::String | Datatype::Text, AttrValue::Text(t)) => {
            if t.chars().count() > crate::case::MAX_TEXT {
                return Err(format!(
                    "is longer than {} characters",
                    crate::case::MAX_TEXT
                ));
            }
            Ok(())
        }
        (Datatype::Number, AttrValue::Number(_)) => Ok(()),
        (Datatype::Number, AttrValue::Text(t)) => {
            t.parse::<Fixed2>().map(|_| ()).map_err(|e| e.to_string())
        }
        (Datatype::Datetime, AttrValue::Text(t)) => t
            .parse::<Timestamp>()
            .map(|_| ())
            .map_err(|e| e.to_string()),
        (Datatype::Singlevaluelist, AttrValue::Text(t)) => {
            if spec.values.iter().any(|v| v.as_str() == t) {
                Ok(())
            } else {
                Err(format!(
                    "`{}` is not one of: {}",
                    truncate_for_message(t),
                    values()
                ))
            }
        }
        (Datatype::Multivaluelist, AttrValue::List(items)) => {
            match items
                .iter()
                .find(|i| !spec.values.iter().any(|v| v.as_str() == i.as_str()))
            {
                Some(bad) => Err(format!(
                    "`{}` is not one of: {}",
                    truncate_for_message(bad),
                    values()
                )),
                None => Ok(()),
            }
        }
        (Datatype::Boolean, AttrValue::Bool(_)) => Ok(()),
        (dt, v) => Err(format!(
            "is {} but the attribute is a {dt}{}",
            v.type_name(),
            match dt {
                Datatype::Multivaluelist => " (a list of strings)",
                Datatype::Singlevaluelist
                | Datatype::String
                | Datatype::Text
                | Datatype::Datetime => " (a string)",
                _ => "",
            }
        )),
    }
}

fn check_escalation(e: &EscalationSpec, vloc: &Location, errors: &mut Vec<RuleProblem>) {
    let loc = |column: &str| Location {
        column: Some(format!("escalation.{column}")),
        ..vloc.clone()
    };
    if e.time_limits.contains_key(&crate::org::Level::MicroGrid) {
        errors.push(RuleProblem::new(
            "bad_escalation",
            loc("time_limits"),
            "no case climbs to `micro_grid`; give time limits for grid, community, subdistrict and department".to_owned(),
        ));
    }
    let ascending = e.reminders.windows(2).all(|w| w.first() < w.get(1));
    if !ascending || e.reminders.iter().any(|p| !(1..=99).contains(p)) {
        errors.push(RuleProblem::new(
            "bad_escalation",
            loc("reminders"),
            format!(
                "reminders {:?} must be percentages from 1 to 99 in ascending order, e.g. [50, 80]",
                e.reminders
            ),
        ));
    }
    if !(1..=4).contains(&e.dissatisfied_at_most) {
        errors.push(RuleProblem::new(
            "bad_escalation",
            loc("dissatisfied_at_most"),
            format!(
                "`{}` is not a satisfaction from 1 to 4; evaluations run from 1 to 5",
                e.dissatisfied_at_most
            ),
        ));
    }
}

/// The most channels a rule set may declare.
pub const MAX_CHANNELS: usize = 64;

/// Terms of one vocabulary that differ only in letter case or in surrounding width
/// (`Noise` and `noise`, `ｎｏｉｓｅ` and `noise`): another system that folds case would
/// take them for one, so they are refused, naming both.
fn clashes(what: &str, terms: &[String], errors: &mut Vec<RuleProblem>) {
    let fold = |t: &str| -> String {
        t.chars()
            .map(|c| match c {
                // Full-width ASCII to ASCII.
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut seen: Vec<(String, &str)> = Vec::new();
    for t in terms {
        let key = fold(t);
        match seen.iter().find(|(k, _)| *k == key) {
            Some((_, first)) if *first != t.as_str() => errors.push(RuleProblem::at(
                "clash",
                format!(
                    "{what} `{t}` and {what} `{first}` differ only in letter case or width; systems that fold case would take them for one: rename one"
                ),
            )),
            Some(_) => {}
            None => seen.push((key, t.as_str())),
        }
    }
}

/// Compiles a document; returns the rule set (when it could be built) and the report.
fn compile(spec: RuleSetSpec) -> (Option<RuleSet>, ValidationReport) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if spec.format != RULES_FORMAT {
        errors.push(RuleProblem::at(
            "unsupported_format",
            format!(
                "unsupported rule set format {}; this library reads format {RULES_FORMAT}",
                spec.format
            ),
        ));
    }
    let dup =
        |what: &str, items: &mut dyn Iterator<Item = String>, errors: &mut Vec<RuleProblem>| {
            let mut seen: Vec<String> = Vec::new();
            for it in items {
                if seen.contains(&it) {
                    errors.push(RuleProblem::at(
                        "duplicate",
                        format!("{what} `{it}` is declared twice"),
                    ));
                } else {
                    seen.push(it);
                }
            }
            seen
        };
    let categories = dup(
        "category",
        &mut spec.categories.iter().map(|t| t.id.to_string()),
        &mut errors,
    );
    if categories.is_empty() {
        errors.push(RuleProblem::at(
            "no_categories",
            "`categories` is empty; declare the case categories (网格事项)".to_owned(),
        ));
    }
    let channels = dup(
        "channel",
        &mut spec.channels.iter().map(|t| t.id.to_string()),
        &mut errors,
    );
    if channels.is_empty() {
        errors.push(RuleProblem::at(
            "no_channels",
            "`channels` is empty; declare the channels cases come in by, or leave the field out for the six Fushan channels".to_owned(),
        ));
    }
    if channels.len() > MAX_CHANNELS {
        errors.push(RuleProblem::at(
            "too_many",
            format!(
                "a rule set may declare at most {MAX_CHANNELS} channels; it has {}",
                channels.len()
            ),
        ));
    }
    for (what, terms) in [("category", &categories), ("channel", &channels)] {
        clashes(what, terms, &mut errors);
    }
    let grades = dup(
        "grade",
        &mut spec.grades.iter().map(|t| t.id.to_string()),
        &mut errors,
    );
    let risk_flags = dup(
        "risk flag",
        &mut spec.risk_flags.iter().map(|t| t.id.to_string()),
        &mut errors,
    );
    let mut flags: Vec<String> = BUILTIN_FLAGS.iter().map(|f| (*f).to_owned()).collect();
    for f in &spec.flags {
        if flags.iter().any(|x| x == f.id.as_str()) {
            errors.push(RuleProblem::at(
                "duplicate",
                format!("flag `{}` is declared twice (or is built in)", f.id),
            ));
        } else {
            flags.push(f.id.to_string());
        }
    }
    for (what, n) in [("risk flags", risk_flags.len()), ("flags", flags.len())] {
        if n > MAX_FLAGS {
            errors.push(RuleProblem::at(
                "too_many",
                format!("a rule set may declare at most {MAX_FLAGS} {what}; it has {n}"),
            ));
        }
    }
    dup(
        "attribute",
        &mut spec.attributes.iter().map(|a| a.code.to_string()),
        &mut errors,
    );
    for a in &spec.attributes {
        let loc = Location {
            column: Some(format!("attr.{}", a.code)),
            ..Location::default()
        };
        let is_list = matches!(
            a.datatype,
            Datatype::Singlevaluelist | Datatype::Multivaluelist
        );
        if is_list && a.values.is_empty() {
            errors.push(RuleProblem::new(
                "bad_attribute",
                loc.clone(),
                format!(
                    "attribute `{}` is a {} but lists no `values`",
                    a.code, a.datatype
                ),
            ));
        }
        if !is_list && !a.values.is_empty() {
            errors.push(RuleProblem::new(
                "bad_attribute",
                loc.clone(),
                format!(
                    "attribute `{}` is a {} and cannot have `values`",
                    a.code, a.datatype
                ),
            ));
        }
        if a.values.len() > MAX_FLAGS {
            errors.push(RuleProblem::new(
                "too_many",
                loc.clone(),
                format!("attribute `{}` may list at most {MAX_FLAGS} values", a.code),
            ));
        }
        for c in &a.categories {
            if !categories.iter().any(|x| x == c.as_str()) {
                errors.push(RuleProblem::new(
                    "unknown_value",
                    loc.clone(),
                    format!(
                        "attribute `{}` names unknown category `{c}`; valid categories: {}",
                        a.code,
                        categories.join(", ")
                    ),
                ));
            }
        }
    }
    let category_ix = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (Box::from(c.as_str()), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let category_ids: Vec<crate::id::Category> = categories
        .iter()
        .filter_map(|c| crate::id::Category::new(c).ok())
        .collect();
    let channel_ix = channels
        .iter()
        .enumerate()
        .map(|(i, c)| (Box::from(c.as_str()), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let requires_attributes = categories
        .iter()
        .map(|c| {
            spec.attributes
                .iter()
                .any(|a| a.required && a.applies_to(c.as_str()))
        })
        .collect();
    let vocab = Vocab {
        requires_attributes,
        channels,
        channel_ix,
        category_order: crate::id::sorted_places(&category_ids),
        category_ids,
        categories,
        category_ix,
        grades,
        risk_flags,
        flags,
        attributes: spec.attributes.clone(),
    };

    if spec.versions.is_empty() {
        errors.push(RuleProblem::at(
            "no_versions",
            "`versions` is empty; give at least one version with its `effective_from` date"
                .to_owned(),
        ));
    }
    let mut versions = Vec::new();
    let mut version_names: Vec<&str> = Vec::new();
    let mut last_date: Option<Date> = None;
    for v in &spec.versions {
        let vname = v.name.as_str();
        let vloc = Location {
            version: Some(vname.to_owned()),
            ..Location::default()
        };
        if version_names.contains(&vname) {
            errors.push(RuleProblem::new(
                "duplicate",
                vloc.clone(),
                format!("version `{vname}` is declared twice"),
            ));
        }
        version_names.push(vname);
        if let Some(d) = last_date {
            if v.effective_from <= d {
                errors.push(RuleProblem::new(
                    "version_order",
                    vloc.clone(),
                    format!(
                        "`effective_from` {} is not after the previous version's {d}; list versions oldest first",
                        v.effective_from
                    ),
                ));
            }
        }
        last_date = Some(v.effective_from);
        let mut offices = Vec::new();
        let mut table_ids: Vec<&str> = Vec::new();
        let mut specs: Vec<std::borrow::Cow<'_, TableSpec>> = Vec::new();
        for t in &v.tables {
            if table_ids.contains(&t.id.as_str()) {
                errors.push(RuleProblem::new(
                    "duplicate",
                    Location {
                        table: Some(t.id.to_string()),
                        ..vloc.clone()
                    },
                    format!("table `{}` appears twice in the version", t.id),
                ));
            }
            table_ids.push(t.id.as_str());
            if t.csv.is_some() {
                if !t.inputs.is_empty() || !t.outputs.is_empty() || !t.rows.is_empty() {
                    errors.push(RuleProblem::new(
                        "bad_table",
                        Location {
                            table: Some(t.id.to_string()),
                            ..vloc.clone()
                        },
                        "give either `csv` or `inputs`, `outputs` and `rows`, not both".to_owned(),
                    ));
                    continue;
                }
                match csv::expand(t) {
                    Ok(x) => specs.push(std::borrow::Cow::Owned(x)),
                    Err(e) => {
                        errors.push(RuleProblem::new(
                            "csv",
                            Location {
                                table: Some(t.id.to_string()),
                                line: Some(e.line),
                                column: e.column,
                                ..vloc.clone()
                            },
                            e.message,
                        ));
                    }
                }
            } else {
                specs.push(std::borrow::Cow::Borrowed(t));
            }
        }
        // The attributes the tables test: read ahead when a case is prepared.
        let mut attrs: Vec<usize> = Vec::new();
        for t in &specs {
            for name in &t.inputs {
                if let Some(facts::Column::Attr(i)) = facts::Column::parse(name, &vocab) {
                    if !attrs.contains(&i) {
                        attrs.push(i);
                    }
                }
            }
        }
        let mut tables = Vec::new();
        for tspec in &specs {
            if tspec.rows.is_empty() {
                warnings.push(RuleProblem::new(
                    "no_rows",
                    Location {
                        table: Some(tspec.id.to_string()),
                        ..vloc.clone()
                    },
                    "the table has no rows and never matches".to_owned(),
                ));
            }
            if let Some(table) =
                table::compile(tspec, vname, &vocab, &attrs, &mut offices, &mut errors)
            {
                analysis::analyse(&table, vname, &vocab, &mut warnings);
                analysis::urgent_clocks(&table, vname, &vocab, &mut warnings);
                tables.push(table);
            }
        }
        if tables.len() == v.tables.len() {
            let deciding: Vec<&Table> = tables.iter().filter(|t| t.decides()).collect();
            if deciding.is_empty() {
                errors.push(RuleProblem::new(
                    "missing_decision",
                    vloc.clone(),
                    "no table has both a `level` and a `time_limit` output, so no case can be decided".to_owned(),
                ));
            } else if !deciding.iter().any(|t| {
                t.hit_policy != HitPolicy::Collect && t.rows.iter().any(table::Row::is_catch_all)
            }) {
                warnings.push(RuleProblem::new(
                    "no_catch_all",
                    vloc.clone(),
                    "no deciding table has a row that matches every case; a case no row decides gets an error when routed. Add a last row with every cell `-`".to_owned(),
                ));
            }
        }
        check_escalation(&v.escalation, &vloc, &mut errors);
        procedure::check(&v.closed_loop, &offices, &vocab.flags, &vloc, &mut errors);
        grid_work::check(&v.grid_work, &vloc, &mut errors);
        scoring::check(&v.scoring, &vloc, &mut errors);
        versions.push(Version {
            name: vname.to_owned(),
            effective_from: v.effective_from,
            tables,
            offices,
            attrs,
            escalation: v.escalation.clone(),
            scoring: v.scoring.clone(),
            closed_loop: v.closed_loop.clone(),
            grid_work: v.grid_work.clone(),
        });
    }
    let report = ValidationReport { errors, warnings };
    if !report.errors.is_empty() {
        return (None, report);
    }
    (
        Some(RuleSet {
            petition_flag: vocab
                .flags
                .iter()
                .position(|f| f == crate::case::event::PETITION_PROCEDURE)
                .and_then(|i| u32::try_from(i).ok()),
            spec,
            vocab,
            versions,
            warnings: Vec::new(),
        }),
        report,
    )
}

crate::tsdecl::ts_alias!(Problem = "RuleProblem");

crate::tsdecl::ts_alias!(Validation = "ValidationReport");

#[cfg(test)]
mod tests;
