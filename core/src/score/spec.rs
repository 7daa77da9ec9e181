//! The scoring part of a rule-set version: indicators, the score scheme, ranking, rewards,
//! inactive grids, common demands and the talent pool. All figures are exact.

use serde::{Deserialize, Serialize};

use super::ratio::Ratio;
use crate::calendar::{LimitUnit, TimeLimit};
use crate::macros::named_enum;

named_enum! {
    /// A rate or value measured for a grid, a grid worker or a community in a month.
    Indicator, "indicator" {
        /// Closed on time ÷ (due in the month − paused) (按期结案率).
        OnTimeRate = "on_time_rate",
        /// Resolved by the month's end ÷ handled cases reported in the month (结案率).
        ClosureRate = "closure_rate",
        /// Resolved at micro-grid or grid level ÷ resolved (网格内化解率).
        InGridRate = "in_grid_rate",
        /// Evaluations at or above the satisfied level ÷ evaluations (群众满意率).
        SatisfactionRate = "satisfaction_rate",
        /// Mean satisfaction, 1 to 5.
        SatisfactionMean = "satisfaction_mean",
        /// Households visited ÷ households, at most 1 (入户走访覆盖率).
        VisitCoverage = "visit_coverage",
        /// Repeat reports ÷ reports (重复反映率).
        RepeatRate = "repeat_rate",
        /// Cases sent back as misrouted ÷ handled cases (退回率).
        ReturnRate = "return_rate",
        /// Taken in within the acceptance limit ÷ handled cases (及时受理率).
        TimelyAcceptanceRate = "timely_acceptance_rate",
    }
}

impl Indicator {
    /// Whether less is better (the repeat-report and return rates).
    #[must_use]
    pub const fn lower_is_better(self) -> bool {
        matches!(self, Self::RepeatRate | Self::ReturnRate)
    }

    /// Whether it is a mean from 1 to 5 rather than a rate from 0 to 1.
    #[must_use]
    pub const fn is_mean(self) -> bool {
        matches!(self, Self::SatisfactionMean)
    }
}

named_enum! {
    /// A count that a penalty item deducts for.
    Counter, "counter" {
        /// Cases reopened (rework, 返工).
        Reopened = "reopened",
        /// Cases sent back as misrouted.
        Returned = "returned",
        /// Cases due in the month and not closed on time.
        Overdue = "overdue",
        /// Cases shelved as unresolved (挂账).
        Shelved = "shelved",
        /// Climbs to a higher level.
        Escalated = "escalated",
        /// Repeat reports.
        Repeats = "repeats",
        /// Failed inspections (督查不合格), from the inspections input.
        FailedInspections = "failed_inspections",
    }
}

/// One item of a point scheme: a share of points by an indicator, or a penalty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreItem {
    /// The indicator this item scores (absent for a penalty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Indicator>,
    /// The counter this item deducts for (absent for an indicator item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<Counter>,
    /// The points at stake: earned in full by an indicator item, or deducted per count by
    /// a penalty.
    pub points: Ratio,
    /// All-or-nothing: the points when the indicator is at least this (`"90%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Ratio>,
    /// All-or-nothing for an indicator that is better lower (repeat and return rates):
    /// the points when it is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<Ratio>,
    /// Full points from this value (`"70%"`); below it, `minus` points per `per` short
    /// (above it, for an indicator that is better lower). Without `minus`, points in
    /// proportion: `points × indicator ÷ full_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_at: Option<Ratio>,
    /// Points deducted per `per` short of `full_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minus: Option<Ratio>,
    /// The step `minus` applies to (default one percentage point, `"1%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Ratio>,
    /// The most a penalty item deducts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Ratio>,
}

named_enum! {
    /// What an indicator with nothing to measure (no case due, no evaluation) earns.
    WhenEmpty, "empty rule" {
        /// Full points: nothing went wrong.
        Full = "full",
        /// No points.
        Zero = "zero",
    }
}

/// A score scheme: a weighted sum of indicators, or items of points (the kind Chinese
/// cities publish: "on-time rate of 70% or more earns the full 50 points, minus 1 point per
/// percentage point short").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeSpec {
    /// Name, shown in reports.
    pub name: String,
    /// Points items; an indicator item without `at_least` or `full_at` earns
    /// `points × indicator` (a weighted sum).
    pub items: Vec<ScoreItem>,
    /// Decimal places scores are printed with.
    #[serde(default = "two")]
    pub places: u32,
    /// What an empty indicator earns.
    #[serde(default = "full")]
    pub when_empty: WhenEmpty,
    /// The lowest score (penalties stop here).
    #[serde(default)]
    pub floor: Option<Ratio>,
}

named_enum! {
    /// A criterion to break ties in ranking.
    TieBreak, "tie break" {
        /// Higher on-time rate first.
        OnTimeRate = "on_time_rate",
        /// Higher satisfaction rate first.
        SatisfactionRate = "satisfaction_rate",
        /// More cases first.
        Cases = "cases",
        /// Unit id, alphabetically (always last, so the order is total).
        Id = "id",
    }
}

/// Ranking and the red and black lists (红榜, 黑榜).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingSpec {
    /// Ties are broken by these, in order; the unit id always ends the list.
    #[serde(default = "default_tie_break")]
    pub tie_break: Vec<TieBreak>,
    /// How many grids the red list names (the top).
    #[serde(default = "five")]
    pub red_list: usize,
    /// How many grids the black list names (the bottom).
    #[serde(default = "five")]
    pub black_list: usize,
    /// Inactive grids rank below every active grid, whatever their score (a grid with no
    /// case has nothing to lose points on).
    #[serde(default = "yes")]
    pub inactive_last: bool,
}

/// Inactive and zombie grids (不活跃网格、僵尸网格).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InactiveSpec {
    /// A grid with fewer reports than this…
    #[serde(default = "one")]
    pub min_cases: u32,
    /// …and fewer visits than this in a month is inactive.
    #[serde(default = "one")]
    pub min_visits: u32,
    /// Inactive this many months in a row or more makes it a zombie grid.
    #[serde(default = "two")]
    pub zombie_after: u32,
}

named_enum! {
    /// The area common demands are counted in.
    DemandArea, "demand area" {
        /// A residential compound.
        Compound = "compound",
        /// A community.
        Community = "community",
    }
}

/// Common demands (共性诉求): the same category recurring in an area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandSpec {
    /// Where reports are counted.
    #[serde(default = "compound")]
    pub area: DemandArea,
    /// This many reports or more…
    #[serde(default = "ten_u32")]
    pub at_least: u32,
    /// …within this window before the month's end recommend a long-term mechanism.
    #[serde(default = "thirty_days")]
    pub window: TimeLimit,
}

named_enum! {
    /// How a reward budget is split.
    RewardMethod, "reward method" {
        /// By each grid's share of the total score.
        Share = "share",
        /// By weight of the tier its rank falls in.
        Tiers = "tiers",
    }
}

/// A tier of ranks and its weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Ranks up to this one (inclusive) fall in the tier.
    pub top: usize,
    /// The tier's weight.
    pub weight: Ratio,
}

/// Rewards and subsidies (奖补): a budget in fen split exactly (largest remainder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardSpec {
    /// How the budget is split.
    #[serde(default = "share")]
    pub method: RewardMethod,
    /// Every eligible grid gets at least this, in fen.
    #[serde(default)]
    pub floor_fen: u64,
    /// Tiers, for the `tiers` method, from the top.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// Inactive grids get nothing.
    #[serde(default = "yes")]
    pub exclude_inactive: bool,
}

/// The talent pool (后备人才库): grid workers in the top N for M of the last K months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalentSpec {
    /// Ranked this high or better…
    #[serde(default = "ten")]
    pub top: usize,
    /// …in at least this many…
    #[serde(default = "three")]
    pub months: usize,
    /// …of the last this many months.
    #[serde(default = "six")]
    pub of_last: usize,
}

/// The scoring part of a rule-set version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSpec {
    /// A case taken in within this limit of its report counts as timely accepted.
    #[serde(default = "one_working_hour")]
    pub acceptance_limit: TimeLimit,
    /// Evaluations at or above this satisfaction (1-5) count as satisfied.
    #[serde(default = "four")]
    pub satisfied_at_least: u8,
    /// The score scheme.
    #[serde(default = "default_scheme")]
    pub scheme: SchemeSpec,
    /// Ranking.
    #[serde(default = "default_ranking")]
    pub ranking: RankingSpec,
    /// Inactive and zombie grids.
    #[serde(default = "default_inactive")]
    pub inactive: InactiveSpec,
    /// Common demands.
    #[serde(default = "default_demands")]
    pub common_demands: DemandSpec,
    /// Rewards.
    #[serde(default = "default_rewards")]
    pub rewards: RewardSpec,
    /// The talent pool.
    #[serde(default = "default_talent")]
    pub talent: TalentSpec,
}

fn two() -> u32 {
    2
}
fn one() -> u32 {
    1
}
fn five() -> usize {
    5
}
fn ten_u32() -> u32 {
    10
}
fn ten() -> usize {
    10
}
fn three() -> usize {
    3
}
fn six() -> usize {
    6
}
fn four() -> u8 {
    4
}
fn yes() -> bool {
    true
}
fn full() -> WhenEmpty {
    WhenEmpty::Full
}
fn share() -> RewardMethod {
    RewardMethod::Share
}
fn compound() -> DemandArea {
    DemandArea::Compound
}
fn thirty_days() -> TimeLimit {
    TimeLimit::known(30, LimitUnit::Days)
}
fn one_working_hour() -> TimeLimit {
    TimeLimit::known(1, LimitUnit::WorkingHours)
}
fn default_tie_break() -> Vec<TieBreak> {
    vec![TieBreak::OnTimeRate, TieBreak::Cases, TieBreak::Id]
}
fn default_ranking() -> RankingSpec {
    RankingSpec {
        tie_break: default_tie_break(),
        red_list: 5,
        black_list: 5,
        inactive_last: true,
    }
}
fn default_inactive() -> InactiveSpec {
    InactiveSpec {
        min_cases: 1,
        min_visits: 1,
        zombie_after: 2,
    }
}
fn default_demands() -> DemandSpec {
    DemandSpec {
        area: DemandArea::Compound,
        at_least: 10,
        window: thirty_days(),
    }
}
fn default_rewards() -> RewardSpec {
    RewardSpec {
        method: RewardMethod::Share,
        floor_fen: 0,
        tiers: Vec::new(),
        exclude_inactive: true,
    }
}
fn default_talent() -> TalentSpec {
    TalentSpec {
        top: 10,
        months: 3,
        of_last: 6,
    }
}

fn item(indicator: Indicator, points: i64) -> ScoreItem {
    ScoreItem {
        indicator: Some(indicator),
        penalty: None,
        points: Ratio::int(points),
        at_least: None,
        at_most: None,
        full_at: None,
        minus: None,
        per: None,
        max: None,
    }
}

/// The default scheme, a 100-point monthly evaluation of the kind Chinese cities publish.
fn default_scheme() -> SchemeSpec {
    let pct = |n: i64| Ratio::new(i128::from(n), 100);
    SchemeSpec {
        name: "monthly-100".to_owned(),
        items: vec![
            ScoreItem {
                full_at: Some(pct(90)),
                minus: Some(Ratio::ONE),
                ..item(Indicator::OnTimeRate, 30)
            },
            ScoreItem {
                at_least: Some(pct(90)),
                ..item(Indicator::ClosureRate, 15)
            },
            ScoreItem {
                full_at: Some(pct(96)),
                minus: Some(Ratio::ONE),
                ..item(Indicator::InGridRate, 15)
            },
            item(Indicator::SatisfactionRate, 20),
            ScoreItem {
                full_at: Some(pct(30)),
                minus: Some(Ratio::new(1, 2)),
                ..item(Indicator::VisitCoverage, 10)
            },
            item(Indicator::TimelyAcceptanceRate, 10),
            ScoreItem {
                indicator: None,
                penalty: Some(Counter::Reopened),
                points: Ratio::int(2),
                max: Some(Ratio::int(10)),
                ..item(Indicator::OnTimeRate, 0)
            },
            ScoreItem {
                indicator: None,
                penalty: Some(Counter::FailedInspections),
                points: Ratio::int(5),
                max: Some(Ratio::int(20)),
                ..item(Indicator::OnTimeRate, 0)
            },
        ],
        places: 2,
        when_empty: WhenEmpty::Full,
        floor: Some(Ratio::ZERO),
    }
}

impl ScoringSpec {
    /// Whether this is the default (left out when a version is written).
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for ScoringSpec {
    fn default() -> Self {
        Self {
            acceptance_limit: one_working_hour(),
            satisfied_at_least: 4,
            scheme: default_scheme(),
            ranking: default_ranking(),
            inactive: default_inactive(),
            common_demands: default_demands(),
            rewards: default_rewards(),
            talent: default_talent(),
        }
    }
}
