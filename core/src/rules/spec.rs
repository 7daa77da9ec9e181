//! The rule-set document (JSON): vocabularies, attributes, and dated versions of decision
//! tables. Unknown fields are rejected everywhere.

use super::procedure::LoopSpec;
use serde::{Deserialize, Serialize};

use super::access::AccessSpec;
use super::scoring::ScoringSpec;
use crate::id::{Category, Channel, Name, RuleId};
use crate::macros::named_enum;
use crate::time::Date;

/// The rule-set format this version of the library reads.
pub const RULES_FORMAT: u32 = 1;

/// A whole rule set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RuleSetSpec {
    /// Format version; must be [`RULES_FORMAT`].
    pub format: u32,
    /// Name of the rule set.
    pub name: String,
    /// What the rule set is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Case categories (网格事项), in order.
    pub categories: Vec<Term<Category>>,
    /// The channels cases come in by (受理渠道), in order; the six Fushan channels
    /// ([`DEFAULT_CHANNELS`](crate::case::DEFAULT_CHANNELS)) when left out.
    #[serde(
        default = "default_channels",
        skip_serializing_if = "is_default_channels"
    )]
    pub channels: Vec<Term<Channel>>,
    /// Grades (分级), from the least to the most serious.
    pub grades: Vec<Term<Name>>,
    /// Risk flags a case may carry (风险隐患).
    #[serde(default)]
    pub risk_flags: Vec<Term<Name>>,
    /// Flags a decision may carry besides the built-in `joint_consultation` and
    /// `long_term_mechanism`.
    #[serde(default)]
    pub flags: Vec<Term<Name>>,
    /// Per-category typed attributes (like Open311 service attributes).
    #[serde(default)]
    pub attributes: Vec<AttributeSpec>,
    /// Dated versions; the one in force at a case's `reported_at` applies.
    pub versions: Vec<VersionSpec>,
    /// Who may see and do what (default: the grid model's jurisdictions, see
    /// [`AccessSpec::default`]).
    #[serde(default, skip_serializing_if = "AccessSpec::is_default")]
    pub access: AccessSpec,
}

/// The six Fushan channels.
#[must_use]
pub fn default_channels() -> Vec<Term<Channel>> {
    crate::case::DEFAULT_CHANNELS
        .iter()
        .filter_map(|(id, zh, en)| {
            Some(Term {
                id: Channel::new(id).ok()?,
                name: Some((*zh).to_owned()),
                name_en: Some((*en).to_owned()),
                group: None,
            })
        })
        .collect()
}

fn is_default_channels(c: &[Term<Channel>]) -> bool {
    *c == default_channels()
}

/// A term of a vocabulary: an id with a Chinese and an English name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Term<T> {
    /// The id used in cases and cells.
    pub id: T,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// A group of related terms, e.g. `disputes` for the dispute categories (Open311's
    /// service `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

named_enum! {
    /// The type of an attribute's values (after Open311's service definitions).
    Datatype, "datatype" {
        /// Free text on one line (an Open311 `string`).
        String = "string",
        /// Free text that may run over several lines (an Open311 `text`).
        Text = "text",
        /// A number with up to two decimal places.
        Number = "number",
        /// An RFC 3339 timestamp with an offset.
        Datetime = "datetime",
        /// One value from `values`.
        Singlevaluelist = "singlevaluelist",
        /// Several values from `values`.
        Multivaluelist = "multivaluelist",
        /// `true` or `false`.
        Boolean = "boolean",
    }
}

/// A typed attribute that cases of some categories carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AttributeSpec {
    /// The attribute's key in a case's `attributes`, and its column name `attr.<code>`.
    pub code: Name,
    /// The categories that carry it; empty for every category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// The type of its values.
    pub datatype: Datatype,
    /// Whether a case of those categories must give it.
    #[serde(default)]
    pub required: bool,
    /// The allowed values of a list attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Name>,
    /// What the attribute means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl AttributeSpec {
    /// Whether cases of `category` carry the attribute (an attribute naming no category
    /// applies to all).
    #[must_use]
    pub fn applies_to(&self, category: &str) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| c.as_str() == category)
    }
}

/// A version of the rules, in force from `effective_from` until the next version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct VersionSpec {
    /// Version name, e.g. `fushan-2026`.
    pub name: RuleId,
    /// The first local date (in the calendar's zone) the version applies to.
    pub effective_from: Date,
    /// What changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Decision tables, evaluated in order and merged (see [`crate::rules`]).
    pub tables: Vec<TableSpec>,
    /// How cases climb when overdue or unresolved, reminders, reopening and repeats.
    #[serde(default)]
    pub escalation: EscalationSpec,
    /// How grids are scored, ranked and rewarded each month (月度评比); the default is a
    /// 100-point scheme (see [`ScoringSpec`]).
    #[serde(default, skip_serializing_if = "ScoringSpec::is_default")]
    pub scoring: ScoringSpec,
    /// The closed loop (闭环): the petition procedure, sittings, supervision,
    /// verification and call-backs (see [`LoopSpec`]). Empty by default.
    #[serde(default, skip_serializing_if = "LoopSpec::is_empty")]
    pub closed_loop: LoopSpec,
    /// The grid's own work: the cadence of grid meetings and the follow-up of register
    /// entries (see [`GridWorkSpec`](super::grid_work::GridWorkSpec)). Empty by default.
    #[serde(
        default,
        skip_serializing_if = "super::grid_work::GridWorkSpec::is_empty"
    )]
    pub grid_work: super::grid_work::GridWorkSpec,
}

named_enum! {
    /// Where a dissatisfied evaluation reopens a case.
    ReopenAt, "reopen level" {
        /// At the level that resolved it.
        Same = "same",
        /// One level up.
        Next = "next",
    }
}

named_enum! {
    /// The unit two reports must share to be the same matter.
    MatchAt, "repeat match unit" {
        /// The same micro-grid.
        MicroGrid = "micro_grid",
        /// The same grid.
        Grid = "grid",
        /// The same residential compound.
        Compound = "compound",
        /// The same community.
        Community = "community",
    }
}

/// Escalation (逐级上报), reminders, reopening and repeat reports, per version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct EscalationSpec {
    /// The time limit a case gets at each level it climbs to (`grid`, `community`,
    /// `subdistrict`, `department`).
    #[serde(default = "default_time_limits")]
    pub time_limits: std::collections::BTreeMap<crate::org::Level, crate::calendar::TimeLimit>,
    /// Staged reminders before the deadline, in percent of the time limit, ascending.
    #[serde(default = "default_reminders")]
    pub reminders: Vec<u8>,
    /// An evaluation at or below this satisfaction (1-5) reopens the case.
    #[serde(default = "default_dissatisfied")]
    pub dissatisfied_at_most: u8,
    /// Where a dissatisfied evaluation reopens the case.
    #[serde(default = "default_reopen")]
    pub reopen_at: ReopenAt,
    /// A failed mediation escalates the case at once.
    #[serde(default = "default_true")]
    pub escalate_failed_mediation: bool,
    /// Repeat reports (一个事多次反映): the same category in the same unit within a window.
    #[serde(default)]
    pub repeat: RepeatSpec,
}

/// When a new report is the same matter as an earlier case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RepeatSpec {
    /// The unit both reports must lie in.
    #[serde(default = "default_match_at")]
    pub match_at: MatchAt,
    /// How long after a case is closed a new report still counts as a repeat (open cases
    /// always match).
    #[serde(default = "default_window")]
    pub window: crate::calendar::TimeLimit,
    /// Whether both reports must come from the same resident (the same phone number, or
    /// the same name when there is no phone). Without it, any report of the category in
    /// the unit is a repeat: right for a broken street light, too broad for disputes.
    #[serde(default = "default_true")]
    pub same_reporter: bool,
}

fn default_time_limits() -> std::collections::BTreeMap<crate::org::Level, crate::calendar::TimeLimit>
{
    use crate::calendar::{LimitUnit, TimeLimit};
    use crate::org::Level;
    let mut m = std::collections::BTreeMap::new();
    for (level, amount) in [
        (Level::Grid, 2),
        (Level::Community, 5),
        (Level::Subdistrict, 10),
        (Level::Department, 10),
    ] {
        m.insert(level, TimeLimit::known(amount, LimitUnit::WorkingDays));
    }
    m
}

fn default_reminders() -> Vec<u8> {
    vec![50, 80]
}

fn default_dissatisfied() -> u8 {
    2
}

fn default_reopen() -> ReopenAt {
    ReopenAt::Next
}

fn default_true() -> bool {
    true
}

fn default_match_at() -> MatchAt {
    MatchAt::MicroGrid
}

fn default_window() -> crate::calendar::TimeLimit {
    crate::calendar::TimeLimit::known(30, crate::calendar::LimitUnit::Days)
}

impl Default for RepeatSpec {
    fn default() -> Self {
        Self {
            match_at: default_match_at(),
            window: default_window(),
            same_reporter: true,
        }
    }
}

impl Default for EscalationSpec {
    fn default() -> Self {
        Self {
            time_limits: default_time_limits(),
            reminders: default_reminders(),
            dissatisfied_at_most: default_dissatisfied(),
            reopen_at: default_reopen(),
            escalate_failed_mediation: true,
            repeat: RepeatSpec::default(),
        }
    }
}

named_enum! {
    /// How a table's matching rows are used.
    HitPolicy, "hit policy" {
        /// At most one row should match; overlapping rows are warned about at load, and
        /// the first matching row is used.
        Unique = "unique",
        /// The first matching row, in order.
        First = "first",
        /// Every matching row.
        Collect = "collect",
    }
}

named_enum! {
    /// An output column of a decision table.
    Output, "output column" {
        /// The grade (分级).
        Grade = "grade",
        /// The level that handles the case.
        Level = "level",
        /// The role of the first handler.
        Role = "role",
        /// The office or offices; the first leads, the others join (联合会商).
        Office = "office",
        /// The time limit.
        TimeLimit = "time_limit",
        /// Decision flags.
        Flags = "flags",
    }
}

/// A decision table: given as `inputs`, `outputs` and `rows`, or as CSV text in `csv`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TableSpec {
    /// Table id, unique in its version.
    pub id: RuleId,
    /// What the table decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How matching rows are used.
    pub hit_policy: HitPolicy,
    /// Input columns: case facts (`category`, `channel`, `people_involved`, `amount_yuan`,
    /// `repeat_count`, `risk_flags`, `community`, `attr.<code>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// Output columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
    /// Rows, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowSpec>,
    /// The whole table as CSV: a header `id, when:<input>…, then:<output>…, why` and one
    /// line per row. Use instead of `inputs`, `outputs` and `rows`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
}

/// One row: when every cell matches, the outputs apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RowSpec {
    /// Row id, unique in its table.
    pub id: RuleId,
    /// One cell per input column.
    pub when: Vec<String>,
    /// One cell per output column; empty for "no opinion".
    pub then: Vec<String>,
    /// Why the row exists: shown to residents and auditors with every decision.
    pub why: String,
}
