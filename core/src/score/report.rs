//! The scoring pass and the month's report.
//!
//! One pass over the compiled outcome rows fills a table of [`Counts`] per month and grid
//! for every month of the window (the scored month and its history); each row is filed
//! under the month it was reported in, the month it was resolved in and the month it fell
//! due in. Everything else (indicators, scores, ranks, lists, rewards, demands, the talent
//! pool) is computed from those counts.

use std::cmp::Ordering;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::outcome::{
    ACCEPTED, InspectionRow, NO_TIME, OutcomeTable, PAUSED, REPEAT, SHELVED, TIMELY,
};
use super::ratio::Ratio;
use super::scheme::{IndicatorValues, Rate, Scheme, fixed, rounded};
use super::spec::{Counter, DemandArea, Indicator, RewardMethod, ScoringSpec, TieBreak};
use super::{MAX_HISTORY, Month, ScoreError, ScoreOptions};
use crate::calendar::LimitUnit;
use crate::case::Channel;
use crate::case::ledger::Ledger;
use crate::engine::Engine;
use crate::fixed::Fixed2;
use crate::id::{CaseId, Category, PersonId, UnitId};
use crate::org::{Level, UnitKind};
use crate::time::Timestamp;

macro_rules! counts {
    ($( $(#[$doc:meta])* $field:ident ),+ $(,)?) => {
        /// The facts counted for a grid, a grid worker, a community or the subdistrict in a
        /// month. A case counts in the month it was reported in (`reports` to `shelved`),
        /// the month it was resolved in (`resolved` to `satisfaction_sum`) and the month it
        /// fell due in (`due` to `on_time`).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A scored grid, grid worker, community or the subdistrict as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnitScore {
    /// The unit id (for a grid worker, the person id).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The community a grid is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<UnitId>,
    /// A grid's grid worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<PersonId>,
    /// The grids a worker or a community covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
    pub inactive: bool,
    /// Months in a row on the red list, this one included.
    #[serde(skip_serializing_if = "is_zero")]
    pub red_streak: u32,
    /// Months in a row on the black list, this one included.
    #[serde(skip_serializing_if = "is_zero")]
    pub black_streak: u32,
}

/// The grid ranked first, and for how many months in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FirstPlace {
    /// The grid.
    pub grid: UnitId,
    /// Months in a row ranked first, this one included.
    pub months: u32,
}

/// An inactive grid (不活跃网格); a zombie grid (僵尸网格) when inactive long enough.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InactiveGrid {
    /// The grid.
    pub grid: UnitId,
    /// Its name.
    pub name: String,
    /// Its grid worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<PersonId>,
    /// Months in a row inactive, this one included (counting back through months with
    /// data).
    pub months: u32,
    /// Inactive for `zombie_after` months or more.
    pub zombie: bool,
}

/// A common demand (共性诉求): one category reported again and again in an area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Demand {
    /// The compound or community.
    pub area: UnitId,
    /// Its name.
    pub area_name: String,
    /// The category.
    pub category: Category,
    /// Reports in the window.
    pub reports: u32,
    /// The window's first moment.
    pub from: Timestamp,
    /// The first moment after the window (the month's end).
    pub to: Timestamp,
    /// What to do.
    pub recommendation: String,
    /// The supporting cases, oldest first.
    pub cases: Vec<CaseId>,
}

/// One grid's reward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allocation {
    /// The grid.
    pub grid: UnitId,
    /// Its rank.
    pub rank: usize,
    /// Its weight: the printed score (share method) or its tier's weight.
    pub weight: String,
    /// The reward in fen.
    pub fen: u64,
    /// The reward in yuan, two places.
    pub yuan: Fixed2,
}

/// A reward budget split among the grids (奖补).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
pub struct Talent {
    /// The worker.
    pub worker: PersonId,
    /// Their name.
    pub name: String,
    /// The months they were in the top, oldest first.
    pub months: Vec<Month>,
    /// Their rank this month.
    pub rank: Option<usize>,
}

/// A month's evaluation (月度评比) of a subdistrict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    pub by_channel: Vec<(String, u32)>,
    /// Cases reported this month by category (repeat reports included).
    #[serde(serialize_with = "ordered_map")]
    pub by_category: Vec<(String, u32)>,
    /// Cases resolved this month by the level that resolved them.
    #[serde(serialize_with = "ordered_map")]
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

fn ordered_map<S: Serializer>(v: &[(String, u32)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(v.iter().map(|(k, n)| (k, n)))
}

/// What the organisation gives the scoring: per grid, its id, name, community, area keys,
/// households and worker.
struct Grids {
    ids: Vec<UnitId>,
    names: Vec<String>,
    community: Vec<u32>,
    compound: Vec<u32>,
    households: Vec<u32>,
    worker: Vec<u32>,
    communities: Vec<(UnitId, String)>,
    compounds: Vec<(UnitId, String)>,
    /// Distinct workers, by person index, with their grids.
    workers: Vec<(u32, Vec<u32>)>,
}

const NONE: u32 = u32::MAX;

impl Engine {
    fn grid_table(&self) -> Grids {
        let org = &self.org;
        let mut g = Grids {
            ids: Vec::new(),
            names: Vec::new(),
            community: Vec::new(),
            compound: Vec::new(),
            households: Vec::new(),
            worker: Vec::new(),
            communities: Vec::new(),
            compounds: Vec::new(),
            workers: Vec::new(),
        };
        let mut community_pos = vec![NONE; org.len()];
        let mut compound_pos = vec![NONE; org.len()];
        for (kind, list, pos) in [
            (UnitKind::Community, &mut g.communities, &mut community_pos),
            (UnitKind::Compound, &mut g.compounds, &mut compound_pos),
        ] {
            for u in org.units_of_kind(kind) {
                if let Some(k) = org.key(u.id.as_str()) {
                    if let Some(slot) = pos.get_mut(k.index()) {
                        *slot = u32::try_from(list.len()).unwrap_or(NONE);
                    }
                    list.push((u.id.clone(), u.name.clone()));
                }
            }
        }
        let mut worker_pos: std::collections::HashMap<u32, usize> =
            std::collections::HashMap::new();
        for (i, u) in org.units_of_kind(UnitKind::Grid).enumerate() {
            let key = org.key(u.id.as_str());
            let at = |pos: &[u32], kind| {
                key.and_then(|k| org.ancestor_of_kind(k, kind))
                    .and_then(|a| pos.get(a.index()).copied())
                    .unwrap_or(NONE)
            };
            g.ids.push(u.id.clone());
            g.names.push(u.name.clone());
            g.community.push(at(&community_pos, UnitKind::Community));
            g.compound.push(at(&compound_pos, UnitKind::Compound));
            g.households.push(key.map_or(0, |k| {
                u32::try_from(org.households_at(u32::try_from(k.index()).unwrap_or(NONE)))
                    .unwrap_or(u32::MAX)
            }));
            let w = key
                .and_then(|k| org.duty_holder_index(k, Level::Grid))
                .unwrap_or(NONE);
            g.worker.push(w);
            if w != NONE {
                let gi = u32::try_from(i).unwrap_or(NONE);
                match worker_pos.get(&w) {
                    Some(&p) => {
                        if let Some((_, grids)) = g.workers.get_mut(p) {
                            grids.push(gi);
                        }
                    }
                    None => {
                        worker_pos.insert(w, g.workers.len());
                        g.workers.push((w, vec![gi]));
                    }
                }
            }
        }
        g
    }

    /// Scores a month from a ledger: its cases and visits, with failed inspections given
    /// apart (the ledger does not record inspections).
    ///
    /// # Errors
    /// As [`Engine::compile_outcomes`] and [`Engine::score`].
    pub fn score_ledger(
        &self,
        ledger: &Ledger,
        inspections: &[InspectionRow],
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        let table =
            self.compile_outcomes(&self.outcomes(ledger), &self.visits(ledger), inspections)?;
        self.score(&table, options)
    }

    /// Scores a month from a compiled outcome table: indicators, scores and ranks of every
    /// grid, grid worker and community; the red and black lists and streaks; inactive and
    /// zombie grids; common demands; the split of a reward budget; and the talent pool.
    /// Each month is scored under the rule-set version in force on its first day.
    ///
    /// # Errors
    /// [`ScoreError::Request`] for a history longer than [`MAX_HISTORY`] or a table compiled
    /// by an engine with another organisation or rule set;
    /// [`ScoreError::BudgetBelowFloor`] when the budget cannot pay every floor.
    pub fn score(
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
        let grids = self.grid_table();
        if table.grid_count != grids.ids.len()
            || table.category_count != self.rules.categories().len()
        {
            return Err(ScoreError::Request {
                field: "table",
                message: "the outcome table was compiled by an engine with another organisation or rule set; compile it with this engine".to_owned(),
            });
        }
        let pass = Pass::run(self, table, &grids, options);
        pass.report(self, table, &grids, options)
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
    demand_from: i64,
    demand_to: i64,
}

impl<'e> Pass<'e> {
    fn run(
        engine: &'e Engine,
        table: &OutcomeTable,
        grids: &Grids,
        options: &ScoreOptions,
    ) -> Self {
        let offset = engine.calendar.offset();
        let target = options.month;
        let first = Month::from_ordinal(
            (target.ordinal() - i64::from(options.history)).max(
                Month {
                    year: 1970,
                    month: 1,
                }
                .ordinal(),
            ),
        )
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
        let g_count = grids.ids.len();
        let categories = engine.rules.categories().len();
        let t = window.target();
        let target_spec = window.specs.get(t).map(|s| s.1);
        let demand_spec = target_spec.map(|s| &s.common_demands);
        let area_count = match demand_spec.map(|d| d.area) {
            Some(DemandArea::Compound) => grids.compounds.len(),
            _ => grids.communities.len(),
        };
        let area_of: &[u32] = match demand_spec.map(|d| d.area) {
            Some(DemandArea::Compound) => &grids.compound,
            _ => &grids.community,
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
        let mut pass = Pass {
            acc: vec![Counts::default(); n * g_count],
            grid_count: g_count,
            covered: vec![false; n],
            by_channel: [0; 7],
            by_category: vec![0; categories],
            by_level: [0; 5],
            demand: vec![0; area_count * categories],
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
        for &(g, month, failed) in &table.inspections {
            let Some(first) = pass.window.months.first() else {
                break;
            };
            let Ok(m) = usize::try_from(month - first.ordinal()) else {
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
        for m in 0..n {
            for (g, h) in grids.households.iter().enumerate() {
                if let Some(a) = pass.acc.get_mut(m * g_count + g) {
                    a.households = *h;
                }
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
            if r.reported >= self.demand_from && r.reported < self.demand_to {
                let area = area_of.get(g).copied().unwrap_or(NONE);
                if area != NONE {
                    if let Some(c) = self
                        .demand
                        .get_mut(area as usize * categories + usize::from(r.category))
                    {
                        *c += 1;
                    }
                }
            }
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

/// One unit to rank: its score, whether inactive, its counts, and its id.
struct Entry<'a> {
    index: u32,
    score: i128,
    inactive: bool,
    values: IndicatorValues,
    cases: u32,
    id: &'a str,
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
                    TieBreak::OnTimeRate => b.values[0].cmp(&a.values[0]),
                    TieBreak::SatisfactionRate => b.values[3].cmp(&a.values[3]),
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
    fn grid_entries<'g>(
        &self,
        m: usize,
        grids: &'g Grids,
        spec: &ScoringSpec,
        scheme: &Scheme,
    ) -> Vec<Entry<'g>> {
        grids
            .ids
            .iter()
            .enumerate()
            .map(|(g, id)| {
                let c = self.counts(m, g);
                let values = c.indicators().0;
                Entry {
                    index: u32::try_from(g).unwrap_or(NONE),
                    score: scheme.score(&values, |k| u64::from(c.counter(k))),
                    inactive: c.inactive(spec.inactive.min_cases, spec.inactive.min_visits),
                    values,
                    cases: c.cases,
                    id: id.as_str(),
                }
            })
            .collect()
    }

    fn worker_entries<'g>(
        &self,
        m: usize,
        grids: &'g Grids,
        people: &'g [&'g str],
        spec: &ScoringSpec,
        scheme: &Scheme,
    ) -> Vec<Entry<'g>> {
        grids
            .workers
            .iter()
            .enumerate()
            .map(|(i, (_, members))| {
                let c = self.sum(m, members);
                let values = c.indicators().0;
                let inactive = members.iter().all(|g| {
                    self.counts(m, *g as usize)
                        .inactive(spec.inactive.min_cases, spec.inactive.min_visits)
                });
                Entry {
                    index: u32::try_from(i).unwrap_or(NONE),
                    score: scheme.score(&values, |k| u64::from(c.counter(k))),
                    inactive,
                    values,
                    cases: c.cases,
                    id: people.get(i).copied().unwrap_or(""),
                }
            })
            .collect()
    }

    fn ranked(&self, m: usize, grids: &Grids, people: &[&str]) -> Option<Ranked> {
        let (_, spec, scheme) = self.window.specs.get(m)?;
        let n = grids.ids.len();
        let mut entries = self.grid_entries(m, grids, spec, scheme);
        let grid_inactive = {
            let mut v = vec![false; n];
            for e in &entries {
                if let Some(x) = v.get_mut(e.index as usize) {
                    *x = e.inactive;
                }
            }
            v
        };
        let order = rank(&mut entries, spec);
        let (red, black) = lists(
            &order,
            &grid_inactive,
            spec.ranking.red_list,
            spec.ranking.black_list,
        );
        let mut w = self.worker_entries(m, grids, people, spec, scheme);
        let worker_order = rank(&mut w, spec);
        Some(Ranked {
            grid_rank: positions(&order, n),
            grid_inactive,
            red,
            black,
            worker_rank: positions(&worker_order, grids.workers.len()),
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

impl Pass<'_> {
    #[expect(clippy::too_many_lines, reason = "one report, assembled in order")]
    fn report(
        &self,
        engine: &Engine,
        table: &OutcomeTable,
        grids: &Grids,
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        let t = self.window.target();
        let Some((version, spec, scheme)) = self.window.specs.get(t) else {
            return Err(ScoreError::Request {
                field: "month",
                message: "no month to score".to_owned(),
            });
        };
        let org = &engine.org;
        let people: Vec<&str> = grids
            .workers
            .iter()
            .map(|(p, _)| org.person_at(*p).map_or("", |x| x.id.as_str()))
            .collect();
        // Rank every month read; months without data are not ranked.
        let ranked: Vec<Option<Ranked>> = (0..self.window.months.len())
            .map(|m| {
                if self.covered.get(m).copied().unwrap_or(false) {
                    self.ranked(m, grids, &people)
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
        let places = spec.scheme.places;
        let den = scheme.den;
        let mut items_buf = Vec::with_capacity(scheme.len());
        let mut score_unit = |c: &Counts| -> (Points, Vec<Points>) {
            let values = c.indicators().0;
            let total = scheme.score_items(&values, |k| u64::from(c.counter(k)), &mut items_buf);
            (
                Points::new(total, den, places),
                items_buf
                    .iter()
                    .map(|v| Points::new(*v, den, places))
                    .collect(),
            )
        };

        // Grids.
        let mut grid_scores: Vec<(usize, UnitScore)> = Vec::with_capacity(grids.ids.len());
        for (g, id) in grids.ids.iter().enumerate() {
            let c = self.counts(t, g);
            let (score, items) = score_unit(&c);
            let rank = now.and_then(|r| r.grid_rank.get(g).copied()).unwrap_or(0);
            let previous = before
                .and_then(|r| r.grid_rank.get(g).copied())
                .filter(|p| *p > 0);
            grid_scores.push((
                g,
                UnitScore {
                    id: id.to_string(),
                    name: grids.names.get(g).cloned().unwrap_or_default(),
                    community: grids
                        .community
                        .get(g)
                        .and_then(|c| grids.communities.get(*c as usize))
                        .map(|(id, _)| id.clone()),
                    worker: grids
                        .worker
                        .get(g)
                        .and_then(|p| org.person_at(*p))
                        .map(|p| p.id.clone()),
                    grids: Vec::new(),
                    rank,
                    previous_rank: previous,
                    change: previous.map(|p| p as i64 - rank as i64),
                    score,
                    items,
                    indicators: c.indicators(),
                    counts: c,
                    inactive: now.is_some_and(|r| r.grid_inactive.get(g).copied().unwrap_or(false)),
                    red_streak: streak(&ranked, |r| r.red.get(g).copied().unwrap_or(false)),
                    black_streak: streak(&ranked, |r| r.black.get(g).copied().unwrap_or(false)),
                },
            ));
        }
        grid_scores.sort_by_key(|(_, s)| s.rank);
        let listed = |pick: fn(&UnitScore) -> bool| -> Vec<UnitId> {
            grid_scores
                .iter()
                .filter(|(_, s)| pick(s))
                .filter_map(|(g, _)| grids.ids.get(*g).cloned())
                .collect()
        };
        let red_list = listed(|s| s.red_streak > 0);
        let black_list = listed(|s| s.black_streak > 0);
        let first_place = now.and_then(|r| {
            let g = r.grid_rank.iter().position(|p| *p == 1)?;
            if r.grid_inactive.get(g).copied().unwrap_or(true) {
                return None;
            }
            Some(FirstPlace {
                grid: grids.ids.get(g)?.clone(),
                months: streak(&ranked, |x| x.grid_rank.get(g).copied() == Some(1)),
            })
        });

        // Inactive and zombie grids.
        let mut inactive = Vec::new();
        for (g, id) in grids.ids.iter().enumerate() {
            let months = streak(&ranked, |r| {
                r.grid_inactive.get(g).copied().unwrap_or(false)
            });
            if months > 0 {
                inactive.push(InactiveGrid {
                    grid: id.clone(),
                    name: grids.names.get(g).cloned().unwrap_or_default(),
                    worker: grids
                        .worker
                        .get(g)
                        .and_then(|p| org.person_at(*p))
                        .map(|p| p.id.clone()),
                    months,
                    zombie: months >= spec.inactive.zombie_after,
                });
            }
        }
        inactive.sort_by(|a, b| b.months.cmp(&a.months).then_with(|| a.grid.cmp(&b.grid)));

        // Grid workers.
        let mut workers = Vec::with_capacity(grids.workers.len());
        for (i, (p, members)) in grids.workers.iter().enumerate() {
            let c = self.sum(t, members);
            let (score, items) = score_unit(&c);
            let rank = now.and_then(|r| r.worker_rank.get(i).copied()).unwrap_or(0);
            let previous = before
                .and_then(|r| r.worker_rank.get(i).copied())
                .filter(|x| *x > 0);
            let person = org.person_at(*p);
            workers.push(UnitScore {
                id: person.map(|x| x.id.to_string()).unwrap_or_default(),
                name: person.map(|x| x.name.clone()).unwrap_or_default(),
                community: None,
                worker: None,
                grids: members
                    .iter()
                    .filter_map(|g| grids.ids.get(*g as usize).cloned())
                    .collect(),
                rank,
                previous_rank: previous,
                change: previous.map(|x| x as i64 - rank as i64),
                score,
                items,
                indicators: c.indicators(),
                counts: c,
                inactive: members.iter().all(|g| {
                    now.is_some_and(|r| r.grid_inactive.get(*g as usize).copied().unwrap_or(false))
                }),
                red_streak: 0,
                black_streak: 0,
            });
        }
        workers.sort_by_key(|s| s.rank);

        // Communities, ranked this month and last.
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); grids.communities.len()];
        for (g, c) in grids.community.iter().enumerate() {
            if let Some(m) = members.get_mut(*c as usize) {
                m.push(u32::try_from(g).unwrap_or(NONE));
            }
        }
        let community_rank = |m: usize| -> Option<Vec<usize>> {
            let (_, spec, scheme) = self.window.specs.get(m)?;
            let mut entries: Vec<Entry<'_>> = grids
                .communities
                .iter()
                .enumerate()
                .map(|(i, (id, _))| {
                    let ms = members.get(i).map_or(&[][..], Vec::as_slice);
                    let c = self.sum(m, ms);
                    let values = c.indicators().0;
                    Entry {
                        index: u32::try_from(i).unwrap_or(NONE),
                        score: scheme.score(&values, |k| u64::from(c.counter(k))),
                        inactive: c.inactive(spec.inactive.min_cases, spec.inactive.min_visits),
                        values,
                        cases: c.cases,
                        id: id.as_str(),
                    }
                })
                .collect();
            Some(positions(
                &rank(&mut entries, spec),
                grids.communities.len(),
            ))
        };
        let c_now = community_rank(t).unwrap_or_default();
        let c_before = t
            .checked_sub(1)
            .filter(|p| self.covered.get(*p).copied().unwrap_or(false))
            .and_then(community_rank);
        let mut communities = Vec::with_capacity(grids.communities.len());
        for (i, (id, name)) in grids.communities.iter().enumerate() {
            let ms = members.get(i).map_or(&[][..], Vec::as_slice);
            let c = self.sum(t, ms);
            let (score, items) = score_unit(&c);
            let rank = c_now.get(i).copied().unwrap_or(0);
            let previous = c_before
                .as_ref()
                .and_then(|r| r.get(i).copied())
                .filter(|x| *x > 0);
            communities.push(UnitScore {
                id: id.to_string(),
                name: name.clone(),
                community: None,
                worker: None,
                grids: ms
                    .iter()
                    .filter_map(|g| grids.ids.get(*g as usize).cloned())
                    .collect(),
                rank,
                previous_rank: previous,
                change: previous.map(|x| x as i64 - rank as i64),
                score,
                items,
                indicators: c.indicators(),
                counts: c,
                inactive: c.inactive(spec.inactive.min_cases, spec.inactive.min_visits),
                red_streak: 0,
                black_streak: 0,
            });
        }
        communities.sort_by_key(|s| s.rank);

        // The subdistrict as a whole.
        let all: Vec<u32> = (0..grids.ids.len())
            .filter_map(|g| u32::try_from(g).ok())
            .collect();
        let total_counts = self.sum(t, &all);
        let (score, items) = score_unit(&total_counts);
        let root = org
            .units()
            .find(|u| u.parent.is_none() && u.kind == UnitKind::Subdistrict);
        let total = UnitScore {
            id: root.map(|u| u.id.to_string()).unwrap_or_default(),
            name: root.map_or_else(|| org.name().to_owned(), |u| u.name.clone()),
            community: None,
            worker: None,
            grids: Vec::new(),
            rank: 0,
            previous_rank: None,
            change: None,
            score,
            items,
            indicators: total_counts.indicators(),
            counts: total_counts,
            inactive: false,
            red_streak: 0,
            black_streak: 0,
        };

        let rewards = match options.budget_fen {
            Some(budget) => Some(allocate(budget, spec, &grid_scores, grids)?),
            None => None,
        };
        let talent_pool = talent(&ranked, &self.window, spec, grids, org, now);
        let common_demands = self.demands(engine, table, grids, spec);

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
                .chain((self.by_channel.get(6).copied().unwrap_or(0) > 0).then(|| {
                    (
                        "unknown".to_owned(),
                        self.by_channel.get(6).copied().unwrap_or(0),
                    )
                }))
                .collect(),
            by_category: engine
                .rules
                .categories()
                .iter()
                .zip(&self.by_category)
                .map(|(c, n)| (c.clone(), *n))
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
            grids: grid_scores.into_iter().map(|(_, s)| s).collect(),
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

    /// Common demands: areas and categories with enough reports in the window, and their
    /// cases (a second pass, only when some were found).
    fn demands(
        &self,
        engine: &Engine,
        table: &OutcomeTable,
        grids: &Grids,
        spec: &ScoringSpec,
    ) -> Vec<Demand> {
        let d = &spec.common_demands;
        let categories = engine.rules.categories();
        let n_cat = categories.len();
        let (areas, area_of) = match d.area {
            DemandArea::Compound => (&grids.compounds, &grids.compound),
            DemandArea::Community => (&grids.communities, &grids.community),
        };
        let mut found: Vec<(usize, usize, u32)> = Vec::new();
        for (i, n) in self.demand.iter().enumerate() {
            if *n >= d.at_least && n_cat > 0 {
                found.push((i / n_cat, i % n_cat, *n));
            }
        }
        if found.is_empty() {
            return Vec::new();
        }
        let mut slot = vec![NONE; self.demand.len()];
        for (k, (a, c, _)) in found.iter().enumerate() {
            if let Some(s) = slot.get_mut(a * n_cat + c) {
                *s = u32::try_from(k).unwrap_or(NONE);
            }
        }
        let mut cases: Vec<Vec<(i64, &CaseId)>> = vec![Vec::new(); found.len()];
        for (r, id) in table.rows.iter().zip(&table.ids) {
            if r.reported < self.demand_from || r.reported >= self.demand_to {
                continue;
            }
            let area = area_of.get(r.grid as usize).copied().unwrap_or(NONE);
            if area == NONE {
                continue;
            }
            let k = slot
                .get(area as usize * n_cat + usize::from(r.category))
                .copied()
                .unwrap_or(NONE);
            if let Some(list) = cases.get_mut(k as usize) {
                list.push((r.reported, id));
            }
        }
        let offset = engine.calendar.offset();
        let from = Timestamp::from_unix(self.demand_from, offset);
        let to = Timestamp::from_unix(self.demand_to, offset);
        let mut out: Vec<Demand> = found
            .iter()
            .zip(cases)
            .filter_map(|((a, c, n), mut list)| {
                let (area, area_name) = areas.get(*a)?;
                let category = categories.get(*c)?;
                list.sort();
                Some(Demand {
                    area: area.clone(),
                    area_name: area_name.clone(),
                    category: Category::new(category.clone()).ok()?,
                    reports: *n,
                    from,
                    to,
                    recommendation: format!(
                        "{n} reports of `{category}` in {area_name} ({area}) within {}: set up a long-term mechanism (建立长效机制) for it",
                        d.window
                    ),
                    cases: list.into_iter().map(|(_, id)| id.clone()).collect(),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.reports
                .cmp(&a.reports)
                .then_with(|| a.area.cmp(&b.area))
                .then_with(|| a.category.cmp(&b.category))
        });
        out
    }
}

/// Splits a budget among eligible grids: each first gets the floor, the rest goes by
/// weight (the printed score, or the tier's weight), rounded down to the fen, and the fen
/// left over go one each to the largest remainders (ties to the better rank). The
/// allocations add up to the budget exactly.
fn allocate(
    budget: u64,
    spec: &ScoringSpec,
    ranked: &[(usize, UnitScore)],
    grids: &Grids,
) -> Result<Rewards, ScoreError> {
    let r = &spec.rewards;
    let eligible: Vec<(usize, &UnitScore)> = ranked
        .iter()
        .filter(|(_, s)| !(r.exclude_inactive && s.inactive))
        .map(|(g, s)| (*g, s))
        .collect();
    let n = eligible.len();
    let needed = u128::from(r.floor_fen) * n as u128;
    if needed > u128::from(budget) {
        return Err(ScoreError::BudgetBelowFloor {
            budget_fen: budget,
            floor_fen: r.floor_fen,
            grids: n,
            needed,
        });
    }
    if n == 0 {
        return Ok(Rewards {
            budget_fen: budget,
            method: r.method,
            floor_fen: r.floor_fen,
            allocated_fen: 0,
            allocations: Vec::new(),
        });
    }
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
    let fen = split_budget(budget, r.floor_fen, &weights).unwrap_or_default();
    let allocations = eligible
        .iter()
        .zip(&fen)
        .zip(&weights)
        .filter_map(|(((g, s), total), w)| {
            let total = *total;
            Some(Allocation {
                grid: grids.ids.get(*g)?.clone(),
                rank: s.rank,
                weight: match r.method {
                    RewardMethod::Share => s.score.to_string(),
                    RewardMethod::Tiers => Ratio::new(i128::from(*w), 10_000).fixed(4),
                },
                fen: total,
                yuan: Fixed2::from_hundredths(i64::try_from(total).unwrap_or(i64::MAX)),
            })
        })
        .collect();
    Ok(Rewards {
        budget_fen: budget,
        method: r.method,
        floor_fen: r.floor_fen,
        allocated_fen: budget,
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
    grids: &Grids,
    org: &crate::org::OrgGraph,
    now: Option<&Ranked>,
) -> Vec<Talent> {
    let k = spec.talent.of_last;
    let start = ranked.len().saturating_sub(k);
    let mut out = Vec::new();
    for (i, (p, _)) in grids.workers.iter().enumerate() {
        let months: Vec<Month> = ranked
            .iter()
            .enumerate()
            .skip(start)
            .filter_map(|(m, r)| {
                let r = r.as_ref()?;
                let pos = r.worker_rank.get(i).copied().unwrap_or(0);
                (pos >= 1 && pos <= spec.talent.top)
                    .then(|| window.months.get(m).copied())
                    .flatten()
            })
            .collect();
        if months.len() >= spec.talent.months {
            let Some(person) = org.person_at(*p) else {
                continue;
            };
            out.push(Talent {
                worker: person.id.clone(),
                name: person.name.clone(),
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
