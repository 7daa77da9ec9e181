//! The scoring part of a rule-set version: indicators, the score scheme, ranking, rewards,
//! inactive grids, common demands and the talent pool. All figures are exact.

use serde::{Deserialize, Serialize};

use super::{Location, RuleProblem};
use crate::calendar::{LimitUnit, TimeLimit};
use crate::macros::named_enum;
use crate::ratio::{Ratio, lcm};

/// The most points one item may carry, in ten-thousandths.
pub(crate) const MAX_POINTS: i128 = 10_000 * 10_000;
/// The largest common denominator factor a scheme may need.
pub(crate) const MAX_L: i128 = 1_000_000_000;

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
        /// Petitions accepted within the procedure's acceptance limit ÷ petitions
        /// (信访事项及时受理率).
        PetitionAcceptanceRate = "petition_acceptance_rate",
        /// Supervision orders answered within their limit ÷ orders (督办按时办复率).
        SupervisionRate = "supervision_rate",
        /// Verifications passed ÷ verifications (核查通过率).
        VerificationPassRate = "verification_pass_rate",
        /// Resolved cases whose reporter was called back within the limit ÷ resolved
        /// cases (回访率).
        CallBackRate = "call_back_rate",
        /// Grid meetings attended by every required capacity ÷ meetings held
        /// (社区两委包保联系网格、两代表一委员进网格).
        MeetingAttendanceRate = "meeting_attendance_rate",
        /// Register entries resolved in the grid ÷ entries closed (resolved or sent up)
        /// (矛盾纠纷就地化解率).
        RegisterResolutionRate = "register_resolution_rate",
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// What an indicator item does when its indicator has no data for a unit and month
    /// (no case due, no evaluation…); the scheme's `when_missing` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_missing: Option<Missing>,
    /// Why the item is as it is, for whoever reads the rule set (not read by scoring).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

named_enum! {
    /// What an indicator item does when its indicator has nothing to measure for a unit
    /// and month (no case due, no evaluation, no household): the indicator is then "not
    /// evaluable", and never earns points it was not measured on.
    Missing, "missing-data rule" {
        /// The item is left out and the other indicator items' points are scaled up so
        /// that they carry the whole of the scheme's indicator points (renormalised).
        LeftOut = "left_out",
        /// The item earns no points (and keeps its weight).
        Zero = "zero",
        /// The unit is not evaluable this month: no score, no rank, on no list.
        NotEvaluable = "not_evaluable",
    }
}

/// A score scheme: a weighted sum of indicators, or items of points (the kind Chinese
/// cities publish: "on-time rate of 70% or more earns the full 50 points, minus 1 point per
/// percentage point short").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SchemeSpec {
    /// Name, shown in reports.
    pub name: String,
    /// Points items; an indicator item without `at_least` or `full_at` earns
    /// `points × indicator` (a weighted sum).
    pub items: Vec<ScoreItem>,
    /// Decimal places scores are printed with.
    #[serde(default = "two")]
    pub places: u32,
    /// What an indicator item without data does, unless the item says otherwise.
    #[serde(default = "left_out")]
    pub when_missing: Missing,
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

/// Ranking and the red and black lists (红榜, 黑榜). Only evaluable and active units are
/// ranked; inactive grids and grids that cannot be evaluated have no rank, are on no list
/// and take no reward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RankingSpec {
    /// Ties are broken by these, in order; the unit id always ends the list.
    #[serde(default = "default_tie_break")]
    pub tie_break: Vec<TieBreak>,
    /// How many grids the red list names (the top). Only ranked grids, evaluable and
    /// active, are ever listed; when fewer are ranked than the two lists together, they
    /// are shared between the lists in proportion (the red list's share rounded up).
    #[serde(default = "five")]
    pub red_list: usize,
    /// How many grids the black list names (the bottom).
    #[serde(default = "five")]
    pub black_list: usize,
}

/// Inactive and zombie grids (不活跃网格、僵尸网格).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Tier {
    /// Ranks up to this one (inclusive) fall in the tier.
    pub top: usize,
    /// The tier's weight.
    pub weight: Ratio,
}

/// Rewards and subsidies (奖补): a budget in fen split exactly (largest remainder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
}

/// The talent pool (后备人才库): grid workers in the top N for M of the last K months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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

/// How the offices (departments) are scored and ranked on the cases they led: their own
/// scheme, over the indicators that fit an office (on time, closure, satisfaction,
/// timely acceptance, returns, repeats) and penalties (a reopened case is one that failed
/// verification, 核查不通过). In-grid resolution and household visits are the grids' work
/// and cannot be scored for an office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct OfficeScoringSpec {
    /// The offices' score scheme.
    #[serde(default = "default_office_scheme")]
    pub scheme: SchemeSpec,
}

/// The scoring part of a rule-set version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// The offices' scoring.
    #[serde(default = "default_offices")]
    pub offices: OfficeScoringSpec,
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
fn left_out() -> Missing {
    Missing::LeftOut
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
        when_missing: None,
        note: None,
    }
}

/// A penalty item: `points` per count, at most `max`.
fn penalty(counter: Counter, points: i64, max: i64) -> ScoreItem {
    ScoreItem {
        indicator: None,
        penalty: Some(counter),
        max: Some(Ratio::int(max)),
        ..item(Indicator::OnTimeRate, points)
    }
}

/// The default scheme, a 100-point monthly evaluation of the kind Chinese cities publish.
/// What each item does without data follows common practice (each item's `note` says why;
/// `core/data/rules/default.json` carries the same scheme).
fn default_scheme() -> SchemeSpec {
    let pct = |n: i64| Ratio::new(i128::from(n), 100);
    let note = |s: &str| Some(s.to_owned());
    SchemeSpec {
        name: "monthly-100".to_owned(),
        items: vec![
            ScoreItem {
                full_at: Some(pct(90)),
                minus: Some(Ratio::ONE),
                when_missing: Some(Missing::LeftOut),
                note: note(
                    "按期结案率: no case fell due this month, so the item is left out and the other items carry its weight",
                ),
                ..item(Indicator::OnTimeRate, 30)
            },
            ScoreItem {
                at_least: Some(pct(90)),
                when_missing: Some(Missing::NotEvaluable),
                note: note(
                    "结案率: a grid with no case reported this month has no case work to score, so it is not evaluable (listed as inactive when it also made no visit)",
                ),
                ..item(Indicator::ClosureRate, 15)
            },
            ScoreItem {
                full_at: Some(pct(96)),
                minus: Some(Ratio::ONE),
                when_missing: Some(Missing::Zero),
                note: note(
                    "网格内化解率: nothing resolved this month earns no resolution points; an unresolved case never earns them",
                ),
                ..item(Indicator::InGridRate, 15)
            },
            ScoreItem {
                when_missing: Some(Missing::LeftOut),
                note: note(
                    "群众满意率: residents need not evaluate; without an evaluation the item is left out",
                ),
                ..item(Indicator::SatisfactionRate, 20)
            },
            ScoreItem {
                full_at: Some(pct(30)),
                minus: Some(Ratio::new(1, 2)),
                when_missing: Some(Missing::LeftOut),
                note: note(
                    "入户走访覆盖率: left out only where the grid has no household on record; no visit to a known household is a rate of 0",
                ),
                ..item(Indicator::VisitCoverage, 10)
            },
            ScoreItem {
                when_missing: Some(Missing::LeftOut),
                note: note("及时受理率: left out when no case has a known acceptance time"),
                ..item(Indicator::TimelyAcceptanceRate, 10)
            },
            penalty(Counter::Reopened, 2, 10),
            penalty(Counter::FailedInspections, 5, 20),
        ],
        places: 2,
        when_missing: Missing::LeftOut,
        floor: Some(Ratio::ZERO),
    }
}

fn default_offices() -> OfficeScoringSpec {
    OfficeScoringSpec {
        scheme: default_office_scheme(),
    }
}

/// The default office scheme: 100 points on the cases an office led in the month.
fn default_office_scheme() -> SchemeSpec {
    let pct = |n: i64| Ratio::new(i128::from(n), 100);
    SchemeSpec {
        name: "office-monthly-100".to_owned(),
        items: vec![
            ScoreItem {
                full_at: Some(pct(90)),
                minus: Some(Ratio::ONE),
                when_missing: Some(Missing::LeftOut),
                ..item(Indicator::OnTimeRate, 50)
            },
            ScoreItem {
                at_least: Some(pct(90)),
                when_missing: Some(Missing::NotEvaluable),
                ..item(Indicator::ClosureRate, 20)
            },
            ScoreItem {
                when_missing: Some(Missing::LeftOut),
                ..item(Indicator::SatisfactionRate, 30)
            },
            penalty(Counter::Reopened, 2, 10),
        ],
        places: 2,
        when_missing: Missing::LeftOut,
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
            offices: default_offices(),
        }
    }
}

/// Checks the scoring part of a version; problems are added to `errors`.
pub(crate) fn check(spec: &ScoringSpec, vloc: &Location, errors: &mut Vec<RuleProblem>) {
    let mut bad = |column: String, message: String| {
        errors.push(RuleProblem::new(
            "bad_scoring",
            Location {
                column: Some(format!("scoring.{column}")),
                ..vloc.clone()
            },
            message,
        ));
    };
    let four_places = |r: Ratio| Ratio::in_ten_thousandths(r).is_some();
    let scheme = &spec.scheme;
    if scheme.items.is_empty() {
        bad(
            "scheme.items".to_owned(),
            "a scheme needs at least one item, e.g. {\"indicator\": \"on_time_rate\", \"points\": 100}".to_owned(),
        );
    }
    if scheme.items.len() > 100 {
        bad(
            "scheme.items".to_owned(),
            format!("{} items; a scheme has at most 100", scheme.items.len()),
        );
    }
    if scheme.places > 6 {
        bad(
            "scheme.places".to_owned(),
            format!("{} places; scores print with 0 to 6", scheme.places),
        );
    }
    if let Some(f) = scheme.floor {
        if !four_places(f) || Ratio::in_ten_thousandths(f).is_some_and(|v| v.abs() > MAX_POINTS) {
            bad(
                "scheme.floor".to_owned(),
                format!("`{f}`: give a number of points with at most four decimal places"),
            );
        }
    }
    let mut l = 1i128;
    for (i, it) in scheme.items.iter().enumerate() {
        let col = |field: &str| format!("scheme.items[{i}].{field}");
        check_item(it, &col, &mut bad, &mut l);
    }
    if l > MAX_L {
        bad(
            "scheme.items".to_owned(),
            "the `per` steps and proportional thresholds together need too fine a common denominator; use round steps such as \"1%\" or \"0.5%\"".to_owned(),
        );
    }
    let office = &spec.offices.scheme;
    if office.items.is_empty() || office.items.len() > 100 {
        bad(
            "offices.scheme.items".to_owned(),
            format!(
                "{} items; an office scheme has 1 to 100",
                office.items.len()
            ),
        );
    }
    if office.places > 6 {
        bad(
            "offices.scheme.places".to_owned(),
            format!("{} places; scores print with 0 to 6", office.places),
        );
    }
    let mut office_l = 1i128;
    for (i, it) in office.items.iter().enumerate() {
        let col = |field: &str| format!("offices.scheme.items[{i}].{field}");
        check_item(it, &col, &mut bad, &mut office_l);
        if let Some(
            ind @ (Indicator::InGridRate
            | Indicator::VisitCoverage
            | Indicator::MeetingAttendanceRate
            | Indicator::RegisterResolutionRate),
        ) = it.indicator
        {
            bad(
                col("indicator"),
                format!(
                    "`{ind}` is the grids' work; an office is scored on on_time_rate, closure_rate, satisfaction_rate, satisfaction_mean, repeat_rate, return_rate, timely_acceptance_rate, petition_acceptance_rate, supervision_rate, verification_pass_rate or call_back_rate"
                ),
            );
        }
    }
    if office_l > MAX_L {
        bad(
            "offices.scheme.items".to_owned(),
            "the `per` steps and proportional thresholds together need too fine a common denominator; use round steps such as \"1%\"".to_owned(),
        );
    }
    if !(1..=5).contains(&spec.satisfied_at_least) {
        bad(
            "satisfied_at_least".to_owned(),
            format!(
                "`{}` is not a satisfaction from 1 to 5",
                spec.satisfied_at_least
            ),
        );
    }
    if spec.inactive.zombie_after == 0 {
        bad(
            "inactive.zombie_after".to_owned(),
            "give 1 or more months".to_owned(),
        );
    }
    if spec.common_demands.at_least == 0 {
        bad(
            "common_demands.at_least".to_owned(),
            "give 1 or more reports".to_owned(),
        );
    }
    if !matches!(
        spec.common_demands.window.unit(),
        LimitUnit::Days | LimitUnit::Hours
    ) {
        bad(
            "common_demands.window".to_owned(),
            format!(
                "`{}`: give the window in calendar days or hours, such as \"30 days\"",
                spec.common_demands.window
            ),
        );
    }
    let rewards = &spec.rewards;
    match rewards.method {
        RewardMethod::Tiers if rewards.tiers.is_empty() => bad(
            "rewards.tiers".to_owned(),
            "the `tiers` method needs tiers, e.g. [{\"top\": 3, \"weight\": 3}, {\"top\": 10, \"weight\": 1}]".to_owned(),
        ),
        RewardMethod::Share if !rewards.tiers.is_empty() => bad(
            "rewards.tiers".to_owned(),
            "tiers are only read by the `tiers` method; remove them or set `method` to `tiers`".to_owned(),
        ),
        _ => {}
    }
    let mut last = 0;
    for (i, t) in rewards.tiers.iter().enumerate() {
        if t.top <= last {
            bad(
                format!("rewards.tiers[{i}].top"),
                format!(
                    "`{}`: tiers run from the top, each `top` larger than the one before",
                    t.top
                ),
            );
        }
        last = t.top;
        if t.weight.is_negative()
            || !four_places(t.weight)
            || Ratio::in_ten_thousandths(t.weight).is_some_and(|w| w > MAX_POINTS)
        {
            bad(
                format!("rewards.tiers[{i}].weight"),
                format!(
                    "`{}`: give a weight from 0 to 10000 with at most four decimal places",
                    t.weight
                ),
            );
        }
    }
    let talent = &spec.talent;
    if talent.top == 0
        || talent.of_last == 0
        || talent.months == 0
        || talent.months > talent.of_last
        || talent.of_last > 120
    {
        bad(
            "talent".to_owned(),
            format!(
                "top {} in {} of the last {} months: give top ≥ 1 and 1 ≤ months ≤ of_last ≤ 120",
                talent.top, talent.months, talent.of_last
            ),
        );
    }
}

fn check_item(
    it: &ScoreItem,
    col: &dyn Fn(&str) -> String,
    bad: &mut dyn FnMut(String, String),
    l: &mut i128,
) {
    let points_ok =
        |r: Ratio| Ratio::in_ten_thousandths(r).is_some_and(|v| (0..=MAX_POINTS).contains(&v));
    if let Some(n) = &it.note {
        if n.chars().count() > 500 {
            bad(
                col("note"),
                format!("{} characters; a note has at most 500", n.chars().count()),
            );
        }
    }
    if !points_ok(it.points) {
        bad(
            col("points"),
            format!(
                "`{}`: give points from 0 to 10000 with at most four decimal places",
                it.points
            ),
        );
    }
    match (it.indicator, it.penalty) {
        (Some(_), Some(_)) | (None, None) => {
            bad(
                col("indicator"),
                "give either `indicator` (points earned) or `penalty` (points deducted per count), not both".to_owned(),
            );
        }
        (None, Some(_)) => {
            for (name, given) in [
                ("when_missing", it.when_missing.is_some()),
                ("at_least", it.at_least.is_some()),
                ("at_most", it.at_most.is_some()),
                ("full_at", it.full_at.is_some()),
                ("minus", it.minus.is_some()),
                ("per", it.per.is_some()),
            ] {
                if given {
                    bad(
                        col(name),
                        format!(
                            "a penalty item has no `{name}`; it deducts `points` per count, up to `max`"
                        ),
                    );
                }
            }
            if let Some(m) = it.max {
                if !points_ok(m) {
                    bad(
                        col("max"),
                        format!(
                            "`{m}`: give points from 0 to 10000 with at most four decimal places"
                        ),
                    );
                }
            }
        }
        (Some(ind), None) => {
            if it.max.is_some() {
                bad(col("max"), "only a penalty item has `max`".to_owned());
            }
            let given = [
                it.at_least.is_some(),
                it.at_most.is_some(),
                it.full_at.is_some(),
            ]
            .iter()
            .filter(|g| **g)
            .count();
            if given > 1 {
                bad(
                    col("at_least"),
                    "give at most one of `at_least`, `at_most` and `full_at`".to_owned(),
                );
            }
            let (lo, hi) = if ind.is_mean() {
                (10_000, 50_000)
            } else {
                (0, 10_000)
            };
            let range = if ind.is_mean() {
                "from 1 to 5"
            } else {
                "from 0 to 1 (0% to 100%)"
            };
            for (name, value) in [
                ("at_least", it.at_least),
                ("at_most", it.at_most),
                ("full_at", it.full_at),
            ] {
                if let Some(v) = value {
                    if !Ratio::in_ten_thousandths(v).is_some_and(|x| (lo..=hi).contains(&x)) {
                        bad(
                            col(name),
                            format!(
                                "`{v}`: give a value {range} with at most four decimal places (0.01%)"
                            ),
                        );
                    }
                }
            }
            if it.at_least.is_some() && ind.lower_is_better() {
                bad(
                    col("at_least"),
                    format!("`{ind}` is better lower; use `at_most`"),
                );
            }
            if it.at_most.is_some() && !ind.lower_is_better() {
                bad(
                    col("at_most"),
                    format!("`{ind}` is better higher; use `at_least`"),
                );
            }
            if it.full_at.is_none() && (it.minus.is_some() || it.per.is_some()) {
                bad(
                    col("minus"),
                    "`minus` and `per` go with `full_at`".to_owned(),
                );
            }
            if let Some(m) = it.minus {
                if !points_ok(m) {
                    bad(
                        col("minus"),
                        format!(
                            "`{m}`: give points from 0 to 10000 with at most four decimal places"
                        ),
                    );
                }
            }
            if let Some(p) = it.per {
                if !Ratio::in_ten_thousandths(p).is_some_and(|x| x > 0 && x <= 50_000) {
                    bad(
                        col("per"),
                        format!(
                            "`{p}`: give a step above 0 with at most four decimal places, such as \"1%\""
                        ),
                    );
                }
            }
            if let Some(f) = it.full_at {
                match it.minus {
                    Some(_) => {
                        *l = lcm(
                            *l,
                            it.per
                                .and_then(Ratio::in_ten_thousandths)
                                .unwrap_or(100)
                                .clamp(1, MAX_L),
                        )
                    }
                    None if ind.lower_is_better() => {
                        bad(
                            col("minus"),
                            format!(
                                "`{ind}` is better lower: give `minus` points per `per` over `full_at`"
                            ),
                        );
                    }
                    None => {
                        let full = Ratio::in_ten_thousandths(f).unwrap_or(1);
                        if full == 0 {
                            bad(col("full_at"), "a proportional item needs `full_at` above 0; give `minus` or a larger `full_at`".to_owned());
                        }
                        *l = lcm(*l, full.clamp(1, MAX_L));
                    }
                }
            } else if it.at_least.is_none() && it.at_most.is_none() && ind.is_mean() {
                *l = lcm(*l, 5);
            }
        }
    }
}
