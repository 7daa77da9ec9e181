//! The scoring pass and the month's report.
//!
//! One pass over the compiled outcome rows fills a table of [`Counts`] per month and grid
//! for every month of the window (the scored month and its history); each row is filed
//! under the month it was reported in, the month it was resolved in and the month it fell
//! due in. Everything else (indicators, scores, ranks, lists, rewards, demands, the talent
//! pool) is computed from those counts.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::outcome::{
    ACCEPTED, NO_TIME, OutcomeTable, PAUSED, REPEAT, SHELVED, TIMELY, is_false, is_zero,
};
use super::scheme::{IndicatorValues, Rate, Scheme, fixed, rounded};
use super::{MAX_HISTORY, Month, ScoreError, ScoreOptions};
use crate::calendar::LimitUnit;
use crate::case::Channel;
use crate::engine::Engine;
use crate::fixed::Fixed2;
use crate::id::{CaseId, Category, PersonId, UnitId};
use crate::org::{GridIndex, Level};
use crate::ratio::Ratio;
use crate::rules::scoring::{Counter, DemandArea, Indicator, RewardMethod, ScoringSpec, TieBreak};
use crate::time::Timestamp;

macro_rules! counts {
    ($( $(#[$doc:meta])* $field:ident ),+ $(,)?) => {
        /// The facts counted for a grid, a grid worker, a community or the subdistrict in a
        /// month. A case counts in the month it was reported in (`reports` to `shelved`),
        /// the month it was resolved in (`resolved` to `satisfaction_sum`) and the month it
        /// fell due in (`due` to `on_time`).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        pub struct Counts {
            $( $(#[$doc])* pub $field: u32, )+
        }

        impl Counts {
            /// Adds another unit's counts.
            pub fn add(&mut self, o: &Counts) {
                $( self.$field = self.$field.saturating_add(o.$field); )+
            }
        }
    };
}

counts! {
    /// Reports, repeat reports included.
    reports,
    /// Handled cases reported: reports that are not repeats.
    cases,
    /// Repeat reports (joined to an earlier case).
    repeats,
    /// Of `cases`, those resolved by the month's end.
    closed,
    /// Of `cases`, those taken in with a known time.
    accepted,
    /// Of `accepted`, those taken in within the acceptance limit.
    accepted_timely,
    /// Of `cases`, those sent back as misrouted at least once.
    returned_cases,
    /// Times `cases` were sent back.
    returned,
    /// Times `cases` were reopened.
    reopened,
    /// Times `cases` climbed a level.
    escalated,
    /// Of `cases`, those shelved as unresolved.
    shelved,
    /// Cases resolved in the month.
    resolved,
    /// Of `resolved`, those resolved at micro-grid or grid level.
    in_grid,
    /// Of `resolved`, those the resident evaluated.
    evaluations,
    /// Of `evaluations`, those at or above the satisfied level.
    satisfied,
    /// The evaluations added up (for the mean).
    satisfaction_sum,
    /// Cases due in the month, paused ones left out.
    due,
    /// Cases due in the month but paused (缓办), left out of `due`.
    paused,
    /// Of `due`, those resolved by their deadline.
    on_time,
    /// Households visited in the month.
    visited_households,
    /// Households in the unit.
    households,
    /// Inspections failed in the month.
    failed_inspections,
}

impl Counts {
    /// Cases due in the month and not resolved by their deadline.
    #[must_use]
    pub fn overdue(&self) -> u32 {
        self.due.saturating_sub(self.on_time)
    }

    /// The count a penalty item reads.
    #[must_use]
    pub fn counter(&self, c: Counter) -> u32 {
        match c {
            Counter::Reopened => self.reopened,
            Counter::Returned => self.returned,
            Counter::Overdue => self.overdue(),
            Counter::Shelved => self.shelved,
            Counter::Escalated => self.escalated,
            Counter::Repeats => self.repeats,
            Counter::FailedInspections => self.failed_inspections,
        }
    }

    /// The indicators these counts give.
    #[must_use]
    pub fn indicators(&self) -> Indicators {
        let r = |a: u32, b: u32| Rate::of(u64::from(a), u64::from(b));
        Indicators([
            r(self.on_time, self.due),
            r(self.closed, self.cases),
            r(self.in_grid, self.resolved),
            r(self.satisfied, self.evaluations),
            r(self.satisfaction_sum, self.evaluations),
            r(
                self.visited_households.min(self.households),
                self.households,
            ),
            r(self.repeats, self.reports),
            r(self.returned_cases, self.cases),
            r(self.accepted_timely, self.accepted),
        ])
    }

    /// Whether the unit did nothing this month by the thresholds given.
    fn inactive(&self, min_cases: u32, min_visits: u32) -> bool {
        self.reports < min_cases && self.visited_households < min_visits
    }
}

/// The indicators of a unit in a month, each a [`Rate`] to four places, or `None` when
/// there was nothing to measure (no case due, no evaluation…). In JSON, an object from
/// indicator name to `"0.9524"` or `null`, in the order of [`Indicator::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indicators(IndicatorValues);

impl Indicators {
    /// One indicator.
    #[must_use]
    pub fn get(&self, i: Indicator) -> Option<Rate> {
        self.0.get(i as usize).copied().flatten()
    }
}

impl Serialize for Indicators {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Indicator::ALL.len()))?;
        for i in Indicator::ALL {
            m.serialize_entry(i.as_str(), &self.get(*i))?;
        }
        m.end()
    }
}

/// Points: an exact value printed with the scheme's places (half away from zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Points {
    value: i128,
    den: i128,
    places: u32,
}

impl Points {
    fn new(value: i128, den: i128, places: u32) -> Self {
        Self { value, den, places }
    }

    /// The exact value.
    #[must_use]
    pub fn ratio(&self) -> Ratio {
        Ratio::new(self.value, self.den)
    }

    /// The number of decimal places it prints with.
    #[must_use]
    pub const fn places(&self) -> u32 {
        self.places
    }

    /// The value rounded to the places it prints with, as a whole number of `10^-places`.
    #[must_use]
    pub fn rounded(&self) -> i128 {
        rounded(self.value, self.den, self.places)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fixed(self.value, self.den, self.places))
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl PartialOrd for Points {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Points {
    fn cmp(&self, o: &Self) -> Ordering {
        self.ratio().cmp(&o.ratio())
    }
}

/// A scored grid, grid worker, community or the subdistrict as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct UnitScore {
    /// The unit id (for a grid worker, the person id).
    pub id: Arc<str>,
    /// Its name.
    pub name: Arc<str>,
    /// The community a grid is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<UnitId>,
    /// A grid's grid worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<PersonId>,
    /// The grids a worker or a community covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub grids: Vec<UnitId>,
    /// Position in the ranking, from 1 (0 for the subdistrict as a whole).
    pub rank: usize,
    /// Position last month, when last month was ranked.
    pub previous_rank: Option<usize>,
    /// Places climbed since last month (negative: fell).
    pub change: Option<i64>,
    /// The score.
    pub score: Points,
    /// The points of each item of the scheme, in its order.
    pub items: Vec<Points>,
    /// The indicators.
    pub indicators: Indicators,
    /// The counts they come from.
    pub counts: Counts,
    /// Inactive this month (ranked after the active units when the ranking says so).
    #[serde(skip_serializing_if = "is_false")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub inactive: bool,
    /// Months in a row on the red list, this one included.
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub red_streak: u32,
    /// Months in a row on the black list, this one included.
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub black_streak: u32,
}

/// The grid ranked first, and for how many months in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FirstPlace {
    /// The grid.
    pub grid: UnitId,
    /// Months in a row ranked first, this one included.
    pub months: u32,
}

/// An inactive grid (不活跃网格); a zombie grid (僵尸网格) when inactive long enough.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct InactiveGrid {
    /// The grid.
    pub grid: UnitId,
    /// Its name.
    pub name: Arc<str>,
    /// Its grid worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<PersonId>,
    /// Months in a row inactive, this one included (counting back through months with
    /// data).
    pub months: u32,
    /// Inactive for `zombie_after` months or more.
    pub zombie: bool,
}

/// A common demand (共性诉求): one category reported again and again in an area. In JSON
/// also `recommendation` (what to do) and `cases` (the supporting case ids, oldest first).
#[derive(Clone, Debug)]
pub struct Demand {
    /// The compound or community.
    pub area: UnitId,
    /// Its name.
    pub area_name: Arc<str>,
    /// The category.
    pub category: Category,
    /// Reports in the window.
    pub reports: u32,
    /// The window's first moment.
    pub from: Timestamp,
    /// The first moment after the window (the month's end).
    pub to: Timestamp,
    /// The window's length.
    pub window: crate::calendar::TimeLimit,
    /// (time rank, position in the table) of the supporting cases, oldest first.
    rows: Vec<(u32, u32)>,
    /// The table's case ids (shared).
    ids: Arc<[CaseId]>,
}

impl Demand {
    /// The supporting cases, oldest first.
    pub fn cases(&self) -> impl Iterator<Item = &CaseId> + '_ {
        self.rows
            .iter()
            .filter_map(|(_, i)| self.ids.get(*i as usize))
    }

    /// What to do, in a sentence.
    #[must_use]
    pub fn recommendation(&self) -> String {
        format!(
            "{} reports of `{}` in {} ({}) within {}: set up a long-term mechanism (建立长效机制) for it",
            self.reports, self.category, self.area_name, self.area, self.window
        )
    }
}

impl PartialEq for Demand {
    fn eq(&self, o: &Self) -> bool {
        self.area == o.area
            && self.area_name == o.area_name
            && self.category == o.category
            && self.reports == o.reports
            && self.from == o.from
            && self.to == o.to
            && self.window == o.window
            && self.cases().eq(o.cases())
    }
}

impl Eq for Demand {}

/// A common demand as its JSON gives it: the demand with its recommendation and cases.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
struct DemandView<'a> {
    area: &'a UnitId,
    area_name: &'a str,
    category: &'a Category,
    reports: u32,
    from: Timestamp,
    to: Timestamp,
    recommendation: String,
    cases: Vec<&'a str>,
}

impl Serialize for Demand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DemandView {
            area: &self.area,
            area_name: &self.area_name,
            category: &self.category,
            reports: self.reports,
            from: self.from,
            to: self.to,
            recommendation: self.recommendation(),
            cases: self.cases().map(CaseId::as_str).collect(),
        }
        .serialize(s)
    }
}

/// One grid's reward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Allocation {
    /// The grid.
    pub grid: UnitId,
    /// Its rank.
    pub rank: usize,
    /// Its weight: the printed score (share method) or its tier's weight (4 places).
    pub weight: Points,
    /// The reward in fen.
    pub fen: u64,
    /// The reward in yuan, two places.
    pub yuan: Fixed2,
}

/// A reward budget split among the grids (奖补).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Rewards {
    /// The budget in fen.
    pub budget_fen: u64,
    /// How it was split.
    pub method: RewardMethod,
    /// The floor each eligible grid got first.
    pub floor_fen: u64,
    /// What was given out: the budget, or 0 when no grid was eligible.
    pub allocated_fen: u64,
    /// Per eligible grid, in rank order.
    pub allocations: Vec<Allocation>,
}

/// A grid worker for the talent pool (后备人才库).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Talent {
    /// The worker.
    pub worker: PersonId,
    /// Their name.
    pub name: Arc<str>,
    /// The months they were in the top, oldest first.
    pub months: Vec<Month>,
    /// Their rank this month.
    pub rank: Option<usize>,
}

/// A month's evaluation (月度评比) of a subdistrict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MonthReport {
    /// The month.
    pub month: Month,
    /// The rule-set version whose scoring was applied.
    pub version: String,
    /// The scheme's name.
    pub scheme: String,
    /// The scheme's items, as `indicator:<name>` or `penalty:<counter>`, in the order of
    /// every [`UnitScore::items`].
    pub scheme_items: Vec<String>,
    /// The months read (with any data), oldest first, this one included.
    pub months_read: Vec<Month>,
    /// The subdistrict as a whole.
    pub total: UnitScore,
    /// Cases reported this month by channel (repeat reports included).
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub by_channel: Vec<(String, u32)>,
    /// Cases reported this month by category (repeat reports included).
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub by_category: Vec<(String, u32)>,
    /// Cases resolved this month by the level that resolved them.
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub resolved_by_level: Vec<(String, u32)>,
    /// Every grid, in rank order.
    pub grids: Vec<UnitScore>,
    /// The red list (红榜): the top grids, active ones only.
    pub red_list: Vec<UnitId>,
    /// The black list (黑榜): the bottom grids, not on the red list.
    pub black_list: Vec<UnitId>,
    /// The grid ranked first and its streak (none when it is inactive).
    pub first_place: Option<FirstPlace>,
    /// Inactive and zombie grids, longest first.
    pub inactive: Vec<InactiveGrid>,
    /// Every grid worker, in rank order.
    pub workers: Vec<UnitScore>,
    /// Every community, in rank order.
    pub communities: Vec<UnitScore>,
    /// Common demands recommended for a long-term mechanism, most reports first.
    pub common_demands: Vec<Demand>,
    /// The reward budget's split, when a budget was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewards: Option<Rewards>,
    /// Grid workers in the top often enough for the talent pool.
    pub talent_pool: Vec<Talent>,
}

/// The parts of a [`MonthReport`], in the order its JSON gives them: what a score request's
/// `include` may name.
pub const REPORT_PARTS: [&str; 19] = [
    "month",
    "version",
    "scheme",
    "scheme_items",
    "months_read",
    "total",
    "by_channel",
    "by_category",
    "resolved_by_level",
    "grids",
    "red_list",
    "black_list",
    "first_place",
    "inactive",
    "workers",
    "communities",
    "common_demands",
    "rewards",
    "talent_pool",
];

/// A month's report with only some of its parts, in the report's order: its JSON is the
/// report's JSON without the other keys.
#[derive(Debug)]
pub struct ReportParts<'a> {
    report: &'a MonthReport,
    parts: Vec<&'static str>,
}

impl MonthReport {
    /// The report with only the parts named (from [`REPORT_PARTS`]; unknown names are
    /// ignored, as [`ScoreRequest`](super::ScoreRequest) checks them when it is read).
    #[must_use]
    pub fn parts(&self, names: &[String]) -> ReportParts<'_> {
        ReportParts {
            report: self,
            parts: REPORT_PARTS
                .iter()
                .copied()
                .filter(|p| names.iter().any(|n| n == p))
                .collect(),
        }
    }
}

impl Serialize for ReportParts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Counts<'a>(&'a [(String, u32)]);
        impl Serialize for Counts<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ordered_map(self.0, s)
            }
        }
        let r = self.report;
        let mut map = s.serialize_map(None)?;
        for &part in &self.parts {
            match part {
                "month" => map.serialize_entry(part, &r.month)?,
                "version" => map.serialize_entry(part, &r.version)?,
                "scheme" => map.serialize_entry(part, &r.scheme)?,
                "scheme_items" => map.serialize_entry(part, &r.scheme_items)?,
                "months_read" => map.serialize_entry(part, &r.months_read)?,
                "total" => map.serialize_entry(part, &r.total)?,
                "by_channel" => map.serialize_entry(part, &Counts(&r.by_channel))?,
                "by_category" => map.serialize_entry(part, &Counts(&r.by_category))?,
                "resolved_by_level" => map.serialize_entry(part, &Counts(&r.resolved_by_level))?,
                "grids" => map.serialize_entry(part, &r.grids)?,
                "red_list" => map.serialize_entry(part, &r.red_list)?,
                "black_list" => map.serialize_entry(part, &r.black_list)?,
                "first_place" => map.serialize_entry(part, &r.first_place)?,
                "inactive" => map.serialize_entry(part, &r.inactive)?,
                "workers" => map.serialize_entry(part, &r.workers)?,
                "communities" => map.serialize_entry(part, &r.communities)?,
                "common_demands" => map.serialize_entry(part, &r.common_demands)?,
                "rewards" => {
                    if let Some(rewards) = &r.rewards {
                        map.serialize_entry(part, rewards)?;
                    }
                }
                "talent_pool" => map.serialize_entry(part, &r.talent_pool)?,
                _ => {}
            }
        }
        map.end()
    }
}

fn ordered_map<S: Serializer>(v: &[(String, u32)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(v.iter().map(|(k, n)| (k, n)))
}

const NONE: u32 = u32::MAX;

impl Engine {
    /// See [`Engine::score`].
    pub(super) fn score_table(
        &self,
        table: &OutcomeTable,
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        if options.history > MAX_HISTORY {
            return Err(ScoreError::Request {
                field: "history",
                message: format!(
                    "{} months; read at most {MAX_HISTORY} months before the scored one",
                    options.history
                ),
            });
        }
        let index = self.org.grid_index();
        if table.grid_count != index.ids.len()
            || table.category_count != self.rules.categories().len()
        {
            return Err(ScoreError::Request {
                field: "table",
                message: "the outcome table was compiled by an engine with another organisation or rule set; compile it with this engine".to_owned(),
            });
        }
        let pass = Pass::run(self, table, index, options);
        pass.report(self, table, index, options)
    }
}

/// The months of a request and their rules.
struct Window<'e> {
    months: Vec<Month>,
    /// Unix second each month starts; one more for the end of the last.
    bounds: Vec<i64>,
    specs: Vec<(&'e str, &'e ScoringSpec, Scheme)>,
}

impl Window<'_> {
    fn target(&self) -> usize {
        self.months.len().saturating_sub(1)
    }

    /// The month a moment falls in.
    #[inline]
    fn month_of(&self, t: i64) -> Option<usize> {
        let n = self.months.len();
        let last_start = *self.bounds.get(n.wrapping_sub(1))?;
        let end = *self.bounds.get(n)?;
        if t >= last_start {
            return (t < end).then(|| n - 1);
        }
        let first = *self.bounds.first()?;
        if t < first {
            return None;
        }
        Some(self.bounds.partition_point(|b| *b <= t) - 1)
    }
}

/// The counts of one request.
struct Pass<'e> {
    window: Window<'e>,
    /// Month-major: `acc[m × grids + g]`.
    acc: Vec<Counts>,
    grid_count: usize,
    covered: Vec<bool>,
    by_channel: [u32; 7],
    by_category: Vec<u32>,
    by_level: [u32; 5],
    /// Per area and category, reports in the demand window.
    demand: Vec<u32>,
    /// Each row's area-and-category cell when reported in the demand window, else `NONE`.
    demand_cell: Vec<u32>,
    demand_from: i64,
    demand_to: i64,
}

impl<'e> Pass<'e> {
    fn run(
        engine: &'e Engine,
        table: &OutcomeTable,
        index: &GridIndex,
        options: &ScoreOptions,
    ) -> Self {
        let offset = engine.calendar.offset();
        let target = options.month;
        let earliest = Month {
            year: 1970,
            month: 1,
        }
        .ordinal();
        let first =
            Month::from_ordinal((target.ordinal() - i64::from(options.history)).max(earliest))
                .unwrap_or(target);
        let mut months = Vec::new();
        let mut m = first;
        while m <= target {
            months.push(m);
            match m.next() {
                Some(n) => m = n,
                None => break,
            }
        }
        let mut bounds: Vec<i64> = months.iter().map(|m| m.start(offset).unix()).collect();
        bounds.push(target.end(offset).unix());
        let specs = months
            .iter()
            .map(|m| {
                let (name, spec) = engine.scoring_spec_on(m.first_day());
                (name, spec, Scheme::compile(&spec.scheme))
            })
            .collect();
        let window = Window {
            months,
            bounds,
            specs,
        };
        let n = window.months.len();
        let g_count = index.ids.len();
        let categories = engine.rules.category_ids().len();
        let t = window.target();
        let demand_spec = window.specs.get(t).map(|s| &s.1.common_demands);
        let (area_count, area_of): (usize, &[u32]) = match demand_spec.map(|d| d.area) {
            Some(DemandArea::Compound) => (index.compounds.len(), &index.compound),
            _ => (index.communities.len(), &index.community),
        };
        let demand_to = target.end(offset).unix();
        let demand_from = demand_spec.map_or(demand_to, |d| {
            let minutes = match d.window.unit() {
                LimitUnit::Hours | LimitUnit::WorkingHours => i64::from(d.window.amount()) * 60,
                LimitUnit::Days | LimitUnit::WorkingDays => i64::from(d.window.amount()) * 1440,
            };
            demand_to - minutes * 60
        });
        let sat_min: Vec<u8> = window
            .specs
            .iter()
            .map(|s| s.1.satisfied_at_least)
            .collect();
        let mut acc = vec![Counts::default(); n * g_count];
        for (m, chunk) in acc.chunks_mut(g_count.max(1)).enumerate().take(n) {
            for (a, h) in chunk.iter_mut().zip(&index.households) {
                a.households = *h;
            }
            let _ = m;
        }
        let mut pass = Pass {
            acc,
            grid_count: g_count,
            covered: vec![false; n],
            by_channel: [0; 7],
            by_category: vec![0; categories],
            by_level: [0; 5],
            demand: vec![0; area_count * categories],
            demand_cell: Vec::with_capacity(table.rows.len()),
            demand_from,
            demand_to,
            window,
        };
        pass.fold_rows(table, area_of, categories, &sat_min);
        for &(g, at, households) in &table.visits {
            if let Some(m) = pass.window.month_of(at) {
                if let Some(c) = pass.covered.get_mut(m) {
                    *c = true;
                }
                if let Some(a) = pass.acc.get_mut(m * g_count + g as usize) {
                    a.visited_households = a.visited_households.saturating_add(households);
                }
            }
        }
        let first = pass.window.months.first().map_or(0, |m| m.ordinal());
        for &(g, month, failed) in &table.inspections {
            let Ok(m) = usize::try_from(month - first) else {
                continue;
            };
            if m >= n {
                continue;
            }
            if let Some(c) = pass.covered.get_mut(m) {
                *c = true;
            }
            if let Some(a) = pass.acc.get_mut(m * g_count + g as usize) {
                a.failed_inspections = a.failed_inspections.saturating_add(failed);
            }
        }
        if let Some(c) = pass.covered.get_mut(t) {
            *c = true;
        }
        pass
    }

    /// The hot loop: each row once.
    fn fold_rows(
        &mut self,
        table: &OutcomeTable,
        area_of: &[u32],
        categories: usize,
        sat_min: &[u8],
    ) {
        let g_count = self.grid_count;
        let t = self.window.target();
        for r in &table.rows {
            let g = r.grid as usize;
            let repeat = r.flags & REPEAT != 0;
            if let Some(m) = self.window.month_of(r.reported) {
                if let Some(c) = self.covered.get_mut(m) {
                    *c = true;
                }
                let end = self.window.bounds.get(m + 1).copied().unwrap_or(i64::MAX);
                if let Some(a) = self.acc.get_mut(m * g_count + g) {
                    a.reports += 1;
                    if repeat {
                        a.repeats += 1;
                    } else {
                        a.cases += 1;
                        a.closed += u32::from(r.resolved != NO_TIME && r.resolved < end);
                        a.accepted += u32::from(r.flags & ACCEPTED != 0);
                        a.accepted_timely += u32::from(r.flags & TIMELY != 0);
                        a.returned_cases += u32::from(r.returned > 0);
                        a.returned += u32::from(r.returned);
                        a.reopened += u32::from(r.reopened);
                        a.escalated += u32::from(r.escalated);
                        a.shelved += u32::from(r.flags & SHELVED != 0);
                    }
                }
                if m == t {
                    if let Some(c) = self.by_channel.get_mut(usize::from(r.channel.min(6))) {
                        *c += 1;
                    }
                    if let Some(c) = self.by_category.get_mut(usize::from(r.category)) {
                        *c += 1;
                    }
                }
            }
            let mut cell = NONE;
            if r.reported >= self.demand_from && r.reported < self.demand_to {
                let area = area_of.get(g).copied().unwrap_or(NONE);
                if area != NONE {
                    let at = area as usize * categories + usize::from(r.category);
                    if let Some(c) = self.demand.get_mut(at) {
                        *c += 1;
                        cell = u32::try_from(at).unwrap_or(NONE);
                    }
                }
            }
            self.demand_cell.push(cell);
            if repeat {
                continue;
            }
            if let Some(m) = self.window.month_of(r.resolved) {
                if let Some(a) = self.acc.get_mut(m * g_count + g) {
                    a.resolved += 1;
                    a.in_grid += u32::from(r.level <= 1);
                    if r.satisfaction > 0 {
                        a.evaluations += 1;
                        a.satisfaction_sum += u32::from(r.satisfaction);
                        a.satisfied +=
                            u32::from(r.satisfaction >= sat_min.get(m).copied().unwrap_or(4));
                    }
                }
                if m == t {
                    if let Some(c) = self.by_level.get_mut(usize::from(r.level)) {
                        *c += 1;
                    }
                }
            }
            if let Some(m) = self.window.month_of(r.due) {
                if let Some(a) = self.acc.get_mut(m * g_count + g) {
                    if r.flags & PAUSED != 0 {
                        a.paused += 1;
                    } else {
                        a.due += 1;
                        a.on_time += u32::from(r.resolved != NO_TIME && r.resolved <= r.due);
                    }
                }
            }
        }
    }

    fn counts(&self, m: usize, g: usize) -> Counts {
        self.acc
            .get(m * self.grid_count + g)
            .copied()
            .unwrap_or_default()
    }

    /// The counts of a group of grids in a month.
    fn sum(&self, m: usize, members: &[u32]) -> Counts {
        let mut c = Counts::default();
        for g in members {
            c.add(&self.counts(m, *g as usize));
        }
        c
    }
}

/// One unit to rank: its score, whether inactive, what the tie-breaks read, and its id.
struct Entry<'a> {
    index: u32,
    score: i128,
    inactive: bool,
    on_time: Option<Rate>,
    satisfaction: Option<Rate>,
    cases: u32,
    id: &'a str,
}

impl<'a> Entry<'a> {
    fn new(index: usize, id: &'a str, c: &Counts, scheme: &Scheme, spec: &ScoringSpec) -> Self {
        let values = c.indicators().0;
        Entry {
            index: u32::try_from(index).unwrap_or(NONE),
            score: scheme.score(&values, |k| u64::from(c.counter(k))),
            inactive: c.inactive(spec.inactive.min_cases, spec.inactive.min_visits),
            on_time: values.first().copied().flatten(),
            satisfaction: values.get(3).copied().flatten(),
            cases: c.cases,
            id,
        }
    }
}

/// Ranks entries; returns their indexes best first.
fn rank(entries: &mut [Entry<'_>], spec: &ScoringSpec) -> Vec<u32> {
    let inactive_last = spec.ranking.inactive_last;
    let tie = &spec.ranking.tie_break;
    entries.sort_unstable_by(|a, b| {
        if inactive_last && a.inactive != b.inactive {
            return a.inactive.cmp(&b.inactive);
        }
        b.score.cmp(&a.score).then_with(|| {
            for t in tie {
                let o = match t {
                    TieBreak::OnTimeRate => b.on_time.cmp(&a.on_time),
                    TieBreak::SatisfactionRate => b.satisfaction.cmp(&a.satisfaction),
                    TieBreak::Cases => b.cases.cmp(&a.cases),
                    TieBreak::Id => a.id.cmp(b.id),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            a.id.cmp(b.id)
        })
    });
    entries.iter().map(|e| e.index).collect()
}

/// Ranks of a month's units, by index: 1-based, 0 when not ranked.
fn positions(order: &[u32], len: usize) -> Vec<usize> {
    let mut pos = vec![0; len];
    for (i, u) in order.iter().enumerate() {
        if let Some(p) = pos.get_mut(*u as usize) {
            *p = i + 1;
        }
    }
    pos
}

/// A month's ranking of grids and of workers.
struct Ranked {
    /// Grid rank by grid index (0: not ranked).
    grid_rank: Vec<usize>,
    /// Whether each grid was inactive.
    grid_inactive: Vec<bool>,
    /// Grids on the red list and the black list, by grid index.
    red: Vec<bool>,
    black: Vec<bool>,
    /// Worker rank by worker position (0: not ranked).
    worker_rank: Vec<usize>,
}

impl Pass<'_> {
    fn ranked(&self, m: usize, index: &GridIndex) -> Option<Ranked> {
        let (_, spec, scheme) = self.window.specs.get(m)?;
        let n = index.ids.len();
        let mut entries: Vec<Entry<'_>> = index
            .ids
            .iter()
            .enumerate()
            .map(|(g, id)| Entry::new(g, id.as_str(), &self.counts(m, g), scheme, spec))
            .collect();
        let mut grid_inactive = vec![false; n];
        for e in &entries {
            if let Some(x) = grid_inactive.get_mut(e.index as usize) {
                *x = e.inactive;
            }
        }
        let order = rank(&mut entries, spec);
        let (red, black) = lists(
            &order,
            &grid_inactive,
            spec.ranking.red_list,
            spec.ranking.black_list,
        );
        let mut w: Vec<Entry<'_>> = index
            .workers
            .iter()
            .enumerate()
            .map(|(i, (id, _, members))| {
                let mut e = Entry::new(i, id.as_str(), &self.sum(m, members), scheme, spec);
                e.inactive = members
                    .iter()
                    .all(|g| grid_inactive.get(*g as usize).copied().unwrap_or(true));
                e
            })
            .collect();
        let worker_order = rank(&mut w, spec);
        Some(Ranked {
            grid_rank: positions(&order, n),
            grid_inactive,
            red,
            black,
            worker_rank: positions(&worker_order, index.workers.len()),
        })
    }
}

/// The red list (the first `red` active grids in rank order) and the black list (the last
/// `black` grids not on the red list), as flags by grid index.
fn lists(order: &[u32], inactive: &[bool], red: usize, black: usize) -> (Vec<bool>, Vec<bool>) {
    let n = inactive.len();
    let mut r = vec![false; n];
    let mut b = vec![false; n];
    let mut taken = 0;
    for g in order {
        if taken == red {
            break;
        }
        if !inactive.get(*g as usize).copied().unwrap_or(true) {
            if let Some(x) = r.get_mut(*g as usize) {
                *x = true;
            }
            taken += 1;
        }
    }
    let mut taken = 0;
    for g in order.iter().rev() {
        if taken == black {
            break;
        }
        if !r.get(*g as usize).copied().unwrap_or(false) {
            if let Some(x) = b.get_mut(*g as usize) {
                *x = true;
            }
            taken += 1;
        }
    }
    (r, b)
}

/// Counts back from the scored month while `hit(month)` holds and the month was read.
fn streak(ranked: &[Option<Ranked>], hit: impl Fn(&Ranked) -> bool) -> u32 {
    let mut n = 0;
    for r in ranked.iter().rev() {
        match r {
            Some(r) if hit(r) => n += 1,
            _ => break,
        }
    }
    n
}

/// Builds the scored units of the scored month.
struct Scorer<'a> {
    scheme: &'a Scheme,
    places: u32,
    buf: Vec<i128>,
}

impl Scorer<'_> {
    fn unit(&mut self, id: Arc<str>, name: Arc<str>, c: Counts) -> UnitScore {
        let values = c.indicators();
        let total = self
            .scheme
            .score_items(&values.0, |k| u64::from(c.counter(k)), &mut self.buf);
        let (den, places) = (self.scheme.den, self.places);
        UnitScore {
            id,
            name,
            community: None,
            worker: None,
            grids: Vec::new(),
            rank: 0,
            previous_rank: None,
            change: None,
            score: Points::new(total, den, places),
            items: self
                .buf
                .iter()
                .map(|v| Points::new(*v, den, places))
                .collect(),
            indicators: values,
            counts: c,
            inactive: false,
            red_streak: 0,
            black_streak: 0,
        }
    }
}

/// Units built in index order, placed in the given order.
fn by_rank(units: Vec<UnitScore>, order: &[usize]) -> Vec<UnitScore> {
    let mut slots: Vec<Option<UnitScore>> = units.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|i| slots.get_mut(*i).and_then(Option::take))
        .collect()
}

fn ranks(now: &[usize], before: Option<&[usize]>, i: usize) -> (usize, Option<usize>, Option<i64>) {
    let rank = now.get(i).copied().unwrap_or(0);
    let previous = before.and_then(|b| b.get(i).copied()).filter(|p| *p > 0);
    let change = previous
        .map(|p| i64::try_from(p).unwrap_or(i64::MAX) - i64::try_from(rank).unwrap_or(i64::MAX));
    (rank, previous, change)
}

impl Pass<'_> {
    fn report(
        &self,
        engine: &Engine,
        table: &OutcomeTable,
        index: &GridIndex,
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        let t = self.window.target();
        let Some((version, spec, scheme)) = self.window.specs.get(t) else {
            return Err(ScoreError::Request {
                field: "month",
                message: "no month to score".to_owned(),
            });
        };
        // Rank every month read; months without data are not ranked.
        let ranked: Vec<Option<Ranked>> = (0..self.window.months.len())
            .map(|m| {
                if self.covered.get(m).copied().unwrap_or(false) {
                    self.ranked(m, index)
                } else {
                    None
                }
            })
            .collect();
        let now = ranked.get(t).and_then(Option::as_ref);
        let before = t
            .checked_sub(1)
            .and_then(|p| ranked.get(p))
            .and_then(Option::as_ref);
        let mut scorer = Scorer {
            scheme,
            places: spec.scheme.places,
            buf: Vec::with_capacity(scheme.len()),
        };
        let empty: &[usize] = &[];

        // Grids, in rank order.
        let grid_now = now.map_or(empty, |r| r.grid_rank.as_slice());
        let grid_before = before.map(|r| r.grid_rank.as_slice());
        let mut order: Vec<usize> = (0..index.ids.len()).collect();
        order.sort_by_key(|g| grid_now.get(*g).copied().unwrap_or(0));
        // Built in index order (the shared ids are touched in the order they lie in
        // memory), then placed by rank.
        let mut grids = Vec::with_capacity(order.len());
        for g in 0..index.ids.len() {
            let text = index
                .grid_text
                .get(g)
                .cloned()
                .unwrap_or_else(|| Arc::from(""));
            let mut u = scorer.unit(text, index.name(g), self.counts(t, g));
            (u.rank, u.previous_rank, u.change) = ranks(grid_now, grid_before, g);
            u.community = index
                .community
                .get(g)
                .and_then(|c| index.communities.get(*c as usize))
                .map(|(id, _)| id.clone());
            u.worker = index.worker_id.get(g).cloned().flatten();
            u.inactive = now.is_some_and(|r| r.grid_inactive.get(g).copied().unwrap_or(false));
            u.red_streak = streak(&ranked, |r| r.red.get(g).copied().unwrap_or(false));
            u.black_streak = streak(&ranked, |r| r.black.get(g).copied().unwrap_or(false));
            grids.push(u);
        }
        let grids = by_rank(grids, &order);
        let listed = |flags: Option<&Vec<bool>>| -> Vec<UnitId> {
            order
                .iter()
                .filter(|g| flags.and_then(|f| f.get(**g)).copied().unwrap_or(false))
                .filter_map(|g| index.ids.get(*g).cloned())
                .collect()
        };
        let red_list = listed(now.map(|r| &r.red));
        let black_list = listed(now.map(|r| &r.black));
        let first_place = now.and_then(|r| {
            let g = *order.first()?;
            if r.grid_inactive.get(g).copied().unwrap_or(true) {
                return None;
            }
            Some(FirstPlace {
                grid: index.ids.get(g)?.clone(),
                months: streak(&ranked, |x| x.grid_rank.get(g).copied() == Some(1)),
            })
        });

        // Inactive and zombie grids.
        let mut inactive = Vec::new();
        for (g, id) in index.ids.iter().enumerate() {
            let months = streak(&ranked, |r| {
                r.grid_inactive.get(g).copied().unwrap_or(false)
            });
            if months > 0 {
                inactive.push(InactiveGrid {
                    grid: id.clone(),
                    name: index.name(g),
                    worker: index.worker_id.get(g).cloned().flatten(),
                    months,
                    zombie: months >= spec.inactive.zombie_after,
                });
            }
        }
        inactive.sort_by(|a, b| b.months.cmp(&a.months).then_with(|| a.grid.cmp(&b.grid)));

        // Grid workers, in rank order.
        let worker_now = now.map_or(empty, |r| r.worker_rank.as_slice());
        let worker_before = before.map(|r| r.worker_rank.as_slice());
        let mut worder: Vec<usize> = (0..index.workers.len()).collect();
        worder.sort_by_key(|w| worker_now.get(*w).copied().unwrap_or(0));
        let mut workers = Vec::with_capacity(worder.len());
        for i in 0..index.workers.len() {
            let Some((_, name, members)) = index.workers.get(i) else {
                continue;
            };
            let text = index
                .worker_text
                .get(i)
                .cloned()
                .unwrap_or_else(|| Arc::from(""));
            let mut u = scorer.unit(text, name.clone(), self.sum(t, members));
            (u.rank, u.previous_rank, u.change) = ranks(worker_now, worker_before, i);
            u.grids = members
                .iter()
                .filter_map(|g| index.ids.get(*g as usize).cloned())
                .collect();
            u.inactive = members.iter().all(|g| {
                now.is_some_and(|r| r.grid_inactive.get(*g as usize).copied().unwrap_or(false))
            });
            workers.push(u);
        }
        let workers = by_rank(workers, &worder);

        // Communities, ranked this month and last.
        let community_rank = |m: usize| -> Option<Vec<usize>> {
            let (_, spec, scheme) = self.window.specs.get(m)?;
            let mut entries: Vec<Entry<'_>> = index
                .communities
                .iter()
                .enumerate()
                .map(|(i, (id, _))| {
                    let members = index.members.get(i).map_or(&[][..], Vec::as_slice);
                    Entry::new(i, id.as_str(), &self.sum(m, members), scheme, spec)
                })
                .collect();
            Some(positions(
                &rank(&mut entries, spec),
                index.communities.len(),
            ))
        };
        let c_now = community_rank(t).unwrap_or_default();
        let c_before = t
            .checked_sub(1)
            .filter(|p| self.covered.get(*p).copied().unwrap_or(false))
            .and_then(community_rank);
        let mut corder: Vec<usize> = (0..index.communities.len()).collect();
        corder.sort_by_key(|c| c_now.get(*c).copied().unwrap_or(0));
        let mut communities = Vec::with_capacity(corder.len());
        for &i in &corder {
            let Some((_, name)) = index.communities.get(i) else {
                continue;
            };
            let members = index.members.get(i).map_or(&[][..], Vec::as_slice);
            let c = self.sum(t, members);
            let text = index
                .community_text
                .get(i)
                .cloned()
                .unwrap_or_else(|| Arc::from(""));
            let mut u = scorer.unit(text, name.clone(), c);
            (u.rank, u.previous_rank, u.change) = ranks(&c_now, c_before.as_deref(), i);
            u.grids = members
                .iter()
                .filter_map(|g| index.ids.get(*g as usize).cloned())
                .collect();
            u.inactive = c.inactive(spec.inactive.min_cases, spec.inactive.min_visits);
            communities.push(u);
        }

        // The subdistrict as a whole.
        let mut total_counts = Counts::default();
        for g in 0..index.ids.len() {
            total_counts.add(&self.counts(t, g));
        }
        let total = scorer.unit(index.root.0.clone(), index.root.1.clone(), total_counts);

        let rewards = match options.budget_fen {
            Some(budget) => Some(allocate(budget, spec, &grids, &order, index)?),
            None => None,
        };
        let talent_pool = talent(&ranked, &self.window, spec, index, now);
        let common_demands = self.demands(engine, table, index, spec);
        let by_channel_unknown = self.by_channel.get(6).copied().unwrap_or(0);

        Ok(MonthReport {
            month: options.month,
            version: (*version).to_owned(),
            scheme: spec.scheme.name.clone(),
            scheme_items: spec
                .scheme
                .items
                .iter()
                .map(|it| match (it.indicator, it.penalty) {
                    (Some(i), _) => format!("indicator:{i}"),
                    (None, Some(c)) => format!("penalty:{c}"),
                    (None, None) => String::new(),
                })
                .collect(),
            months_read: self
                .window
                .months
                .iter()
                .zip(&self.covered)
                .filter(|(_, c)| **c)
                .map(|(m, _)| *m)
                .collect(),
            total,
            by_channel: Channel::ALL
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        c.as_str().to_owned(),
                        self.by_channel.get(i).copied().unwrap_or(0),
                    )
                })
                .chain((by_channel_unknown > 0).then(|| ("unknown".to_owned(), by_channel_unknown)))
                .collect(),
            by_category: engine
                .rules
                .category_ids()
                .iter()
                .zip(&self.by_category)
                .map(|(c, n)| (c.to_string(), *n))
                .collect(),
            resolved_by_level: Level::ALL
                .iter()
                .map(|l| {
                    (
                        l.as_str().to_owned(),
                        self.by_level.get(l.rank()).copied().unwrap_or(0),
                    )
                })
                .collect(),
            grids,
            red_list,
            black_list,
            first_place,
            inactive,
            workers,
            communities,
            common_demands,
            rewards,
            talent_pool,
        })
    }

    /// Common demands: areas and categories with enough reports in the window, with their
    /// cases, found in a second pass only when there are some. The cases of each demand
    /// are placed by counting (the first pass counted them).
    fn demands(
        &self,
        engine: &Engine,
        table: &OutcomeTable,
        index: &GridIndex,
        spec: &ScoringSpec,
    ) -> Vec<Demand> {
        let d = &spec.common_demands;
        let n_cat = engine.rules.category_ids().len();
        let (areas, area_order) = match d.area {
            DemandArea::Compound => (&index.compounds, &index.compound_order),
            DemandArea::Community => (&index.communities, &index.community_order),
        };
        // Demand k: its cell and count; most reports first, then by area and category id.
        let mut found: Vec<(usize, u32, ())> = Vec::new();
        for (cell, n) in self.demand.iter().enumerate() {
            if *n >= d.at_least && n_cat > 0 {
                found.push((cell, *n, ()));
            }
        }
        found.sort_unstable_by_key(|(cell, n, ())| {
            (
                std::cmp::Reverse(*n),
                area_order.get(cell / n_cat).copied(),
                engine.rules.category_order().get(cell % n_cat).copied(),
            )
        });
        if found.is_empty() {
            return Vec::new();
        }
        let mut slot = vec![NONE; self.demand.len()];
        for (k, (cell, _, _)) in found.iter().enumerate() {
            if let Some(s) = slot.get_mut(*cell) {
                *s = u32::try_from(k).unwrap_or(NONE);
            }
        }
        // (time rank, row) of each demand's cases.
        let mut lists: Vec<Vec<(u32, u32)>> = found
            .iter()
            .map(|(_, n, _)| Vec::with_capacity(*n as usize))
            .collect();
        for (i, (cell, rank)) in self.demand_cell.iter().zip(&table.time_rank).enumerate() {
            if *cell == NONE {
                continue;
            }
            let k = slot.get(*cell as usize).copied().unwrap_or(NONE);
            if let Some(list) = lists.get_mut(k as usize) {
                list.push((*rank, u32::try_from(i).unwrap_or(NONE)));
            }
        }
        let offset = engine.calendar.offset();
        let from = Timestamp::from_unix(self.demand_from, offset);
        let to = Timestamp::from_unix(self.demand_to, offset);
        let out: Vec<Demand> = found
            .iter()
            .zip(lists)
            .filter_map(|((cell, n, _), mut list)| {
                let (area, area_name) = areas.get(cell / n_cat)?;
                let category = engine.rules.category_ids().get(cell % n_cat)?;
                // Rows are grouped by grid and in time order within each, so a list is a
                // few sorted runs; the stable sort merges them.
                list.sort_unstable();
                Some(Demand {
                    area: area.clone(),
                    area_name: area_name.clone(),
                    category: category.clone(),
                    reports: *n,
                    from,
                    to,
                    window: d.window,
                    rows: list,
                    ids: table.ids.clone(),
                })
            })
            .collect();
        out
    }
}

/// Splits the budget among the eligible grids, in rank order (see [`split_budget`]).
fn allocate(
    budget: u64,
    spec: &ScoringSpec,
    grids: &[UnitScore],
    order: &[usize],
    index: &GridIndex,
) -> Result<Rewards, ScoreError> {
    let r = &spec.rewards;
    let eligible: Vec<(usize, &UnitScore)> = order
        .iter()
        .zip(grids)
        .filter(|(_, s)| !(r.exclude_inactive && s.inactive))
        .map(|(g, s)| (*g, s))
        .collect();
    // Weights as whole numbers: printed scores in 10^-places, tier weights in 10^-4.
    let weights: Vec<u64> = eligible
        .iter()
        .map(|(_, s)| match r.method {
            RewardMethod::Share => u64::try_from(s.score.rounded().max(0)).unwrap_or(u64::MAX),
            RewardMethod::Tiers => r.tiers.iter().find(|t| s.rank <= t.top).map_or(0, |t| {
                let w = t.weight * Ratio::int(10_000);
                u64::try_from(w.numer() / w.denom()).unwrap_or(0)
            }),
        })
        .collect();
    let Some(fen) = split_budget(budget, r.floor_fen, &weights) else {
        let grids = eligible.len();
        return Err(ScoreError::BudgetBelowFloor {
            budget_fen: budget,
            floor_fen: r.floor_fen,
            grids,
            needed: u128::from(r.floor_fen) * grids as u128,
        });
    };
    let allocations: Vec<Allocation> = eligible
        .iter()
        .zip(&fen)
        .zip(&weights)
        .filter_map(|(((g, s), total), w)| {
            Some(Allocation {
                grid: index.ids.get(*g)?.clone(),
                rank: s.rank,
                weight: match r.method {
                    RewardMethod::Share => s.score,
                    RewardMethod::Tiers => Points::new(i128::from(*w), 10_000, 4),
                },
                fen: *total,
                yuan: Fixed2::from_hundredths(i64::try_from(*total).unwrap_or(i64::MAX)),
            })
        })
        .collect();
    Ok(Rewards {
        budget_fen: budget,
        method: r.method,
        floor_fen: r.floor_fen,
        allocated_fen: if allocations.is_empty() { 0 } else { budget },
        allocations,
    })
}

/// Splits a budget in fen exactly: each share first gets `floor`, then what is left goes
/// in proportion to `weights` (equally when they are all zero), rounded down to the fen;
/// the fen left over go one each to the largest remainders, ties to the earlier share.
/// The shares add up to `budget` exactly (when there is at least one).
///
/// ```
/// use gridgov::score::split_budget;
/// assert_eq!(split_budget(100, 0, &[1, 1, 1]), Some(vec![34, 33, 33]));
/// assert_eq!(split_budget(1000, 100, &[3, 1]), Some(vec![700, 300]));
/// assert_eq!(split_budget(100, 50, &[1, 1, 1]), None); // the floors need 150
/// ```
#[must_use]
pub fn split_budget(budget: u64, floor: u64, weights: &[u64]) -> Option<Vec<u64>> {
    let n = weights.len();
    let needed = u128::from(floor) * n as u128;
    if needed > u128::from(budget) {
        return None;
    }
    if n == 0 {
        return Some(Vec::new());
    }
    let rest = u128::from(budget) - needed;
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let (sum, equal) = if sum == 0 {
        (n as u128, true)
    } else {
        (sum, false)
    };
    let mut fen: Vec<u128> = Vec::with_capacity(n);
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(n);
    for (i, w) in weights.iter().enumerate() {
        let w = if equal { 1 } else { u128::from(*w) };
        // rest < 2^64 and w < 2^64, so the product fits.
        let exact = rest * w;
        fen.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let given: u128 = fen.iter().sum();
    let left = usize::try_from(rest - given).unwrap_or(0);
    remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.iter().take(left) {
        if let Some(f) = fen.get_mut(*i) {
            *f += 1;
        }
    }
    Some(
        fen.into_iter()
            .map(|f| u64::try_from(f).unwrap_or(u64::MAX).saturating_add(floor))
            .collect(),
    )
}

/// Grid workers ranked in the top `talent.top` in at least `talent.months` of the last
/// `talent.of_last` months read.
fn talent(
    ranked: &[Option<Ranked>],
    window: &Window<'_>,
    spec: &ScoringSpec,
    index: &GridIndex,
    now: Option<&Ranked>,
) -> Vec<Talent> {
    let k = spec.talent.of_last;
    let start = ranked.len().saturating_sub(k);
    let mut out = Vec::new();
    for (i, (id, name, _)) in index.workers.iter().enumerate() {
        let months: Vec<Month> = ranked
            .iter()
            .enumerate()
            .skip(start)
            .filter_map(|(m, r)| {
                let pos = r.as_ref()?.worker_rank.get(i).copied().unwrap_or(0);
                (pos >= 1 && pos <= spec.talent.top)
                    .then(|| window.months.get(m).copied())
                    .flatten()
            })
            .collect();
        if months.len() >= spec.talent.months {
            out.push(Talent {
                worker: id.clone(),
                name: name.clone(),
                months,
                rank: now
                    .and_then(|r| r.worker_rank.get(i).copied())
                    .filter(|r| *r > 0),
            });
        }
    }
    out.sort_by(|a, b| {
        b.months
            .len()
            .cmp(&a.months.len())
            .then_with(|| {
                a.rank
                    .unwrap_or(usize::MAX)
                    .cmp(&b.rank.unwrap_or(usize::MAX))
            })
            .then_with(|| a.worker.cmp(&b.worker))
    });
    out
}

crate::macros::ts_alias!(Points = "string");
crate::macros::ts_alias!(Indicators = "Partial<Record<Indicator, string | null>>");

crate::macros::ts_alias!(Demand = "DemandView");
