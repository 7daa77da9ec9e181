//! The scoring pass: one pass over the compiled outcome rows fills a table of counts per
//! month and grid for every month of the window (the scored month and its history); each
//! row is filed under the month it was reported in, the month it was resolved in and the
//! month it fell due in. Everything else is computed from those counts.

use super::outcome::{
    ACCEPTED, CALLED_BACK, Compiled, NO_OFFICE, NO_TIME, OutcomeTable, PAUSED, PETITION,
    PETITION_TIMELY, REPEAT, SHELVED, TIMELY,
};
use super::report::*;
use super::scheme::Scheme;
use super::{Month, ScoreError, ScoreOptions};
use crate::calendar::LimitUnit;
use crate::engine::Engine;
use crate::org::GridIndex;
use crate::rules::scoring::{DemandArea, ScoringSpec};

pub(super) const NONE: u32 = u32::MAX;

impl Engine {
    /// See [`Engine::score`].
    pub(super) fn score_table(
        &self,
        table: &OutcomeTable,
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        self.score_table_with(table, options, true)
    }

    /// [`Engine::score`], with the common demands found only when `demands` (else left
    /// empty: for a caller that shows only the scored units, such as a score table).
    pub(crate) fn score_table_with(
        &self,
        table: &OutcomeTable,
        options: &ScoreOptions,
        demands: bool,
    ) -> Result<MonthReport, ScoreError> {
        let index = self.check_table(table, options)?;
        let pass = Pass::run(self, table, index, options);
        pass.report(self, table, index, options, demands)
    }
}

/// The months of a request and their rules.
pub(super) struct Window<'e> {
    pub(super) months: Vec<Month>,
    /// Unix second each month starts; one more for the end of the last.
    pub(super) bounds: Vec<i64>,
    pub(super) specs: Vec<(&'e str, &'e ScoringSpec, Scheme)>,
}

impl Window<'_> {
    pub(super) fn target(&self) -> usize {
        self.months.len().saturating_sub(1)
    }

    /// The month a moment falls in.
    #[inline]
    pub(super) fn month_of(&self, t: i64) -> Option<usize> {
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
pub(super) struct Pass<'e> {
    pub(super) window: Window<'e>,
    /// Month-major: `acc[m × grids + g]`.
    pub(super) acc: Vec<Counts>,
    pub(super) grid_count: usize,
    pub(super) covered: Vec<bool>,
    /// Per rule-set channel, then one for rows without a known channel.
    pub(super) by_channel: Vec<u32>,
    pub(super) by_category: Vec<u32>,
    pub(super) by_level: [u32; 5],
    /// Per area and category, reports in the demand window.
    pub(super) demand: Vec<u32>,
    /// Each row's area-and-category cell when reported in the demand window, else `NONE`.
    pub(super) demand_cell: Vec<u32>,
    pub(super) demand_from: i64,
    pub(super) demand_to: i64,
    /// The scored month's counts of each office, over the rows that name it.
    pub(super) office_acc: Vec<Counts>,
}

impl<'e> Pass<'e> {
    /// The counts of a whole table: its rows, the households of every grid, and the
    /// table's visits, meetings, register entries and inspections.
    pub(super) fn run(
        engine: &'e Engine,
        table: &OutcomeTable,
        index: &GridIndex,
        options: &ScoreOptions,
    ) -> Self {
        let mut pass = Self::empty(engine, index, options, table.rows.len());
        pass.add_households(index);
        pass.fold(engine, table, index);
        pass.add_work(table);
        pass
    }

    /// No counts yet, for the window of `options` (the scored month and its history).
    pub(super) fn empty(
        engine: &'e Engine,
        index: &GridIndex,
        options: &ScoreOptions,
        rows: usize,
    ) -> Self {
        let offset = engine.calendar.zone();
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
        let area_count = match demand_spec.map(|d| d.area) {
            Some(DemandArea::Compound) => index.compounds.len(),
            _ => index.communities.len(),
        };
        let demand_to = target.end(offset).unix();
        let demand_from = demand_spec.map_or(demand_to, |d| {
            let minutes = match d.window.unit() {
                LimitUnit::Hours | LimitUnit::WorkingHours => i64::from(d.window.amount()) * 60,
                LimitUnit::Days | LimitUnit::WorkingDays => i64::from(d.window.amount()) * 1440,
                LimitUnit::Minutes => i64::from(d.window.amount()),
            };
            demand_to - minutes * 60
        });
        Pass {
            acc: vec![Counts::default(); n * g_count],
            grid_count: g_count,
            covered: vec![false; n],
            by_channel: vec![0; engine.rules.channels().len() + 1],
            by_category: vec![0; categories],
            by_level: [0; 5],
            demand: vec![0; area_count * categories],
            demand_cell: Vec::with_capacity(rows),
            demand_from,
            demand_to,
            office_acc: vec![Counts::default(); engine.org.spec().offices.len()],
            window,
        }
    }

    /// Every grid's households, in every month of the window.
    pub(super) fn add_households(&mut self, index: &GridIndex) {
        for chunk in self.acc.chunks_mut(self.grid_count.max(1)) {
            for (a, h) in chunk.iter_mut().zip(&index.households) {
                a.households = *h;
            }
        }
    }

    /// Folds the table's outcome rows in.
    pub(super) fn fold(&mut self, engine: &Engine, table: &OutcomeTable, index: &GridIndex) {
        let t = self.window.target();
        let demand_spec = self.window.specs.get(t).map(|s| &s.1.common_demands);
        let area_of: &[u32] = match demand_spec.map(|d| d.area) {
            Some(DemandArea::Compound) => &index.compound,
            _ => &index.community,
        };
        let sat_min: Vec<u8> = self
            .window
            .specs
            .iter()
            .map(|s| s.1.satisfied_at_least)
            .collect();
        let categories = engine.rules.category_ids().len();
        self.fold_rows(table, area_of, categories, &sat_min);
    }

    /// Adds the table's visits, meetings, closed register entries and failed inspections;
    /// the scored month counts as covered whatever the table holds.
    pub(super) fn add_work(&mut self, table: &OutcomeTable) {
        let g_count = self.grid_count;
        let n = self.window.months.len();
        let t = self.window.target();
        let pass = self;
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
        for &(g, at, full) in &table.meetings {
            if let Some(m) = pass.window.month_of(at) {
                if let Some(c) = pass.covered.get_mut(m) {
                    *c = true;
                }
                if let Some(a) = pass.acc.get_mut(m * g_count + g as usize) {
                    a.meetings = a.meetings.saturating_add(1);
                    a.meetings_attended = a.meetings_attended.saturating_add(u32::from(full));
                }
            }
        }
        for &(g, at, resolved) in &table.register {
            if let Some(m) = pass.window.month_of(at) {
                if let Some(c) = pass.covered.get_mut(m) {
                    *c = true;
                }
                if let Some(a) = pass.acc.get_mut(m * g_count + g as usize) {
                    a.register_closed = a.register_closed.saturating_add(1);
                    a.register_resolved = a.register_resolved.saturating_add(u32::from(resolved));
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
    }

    /// The hot loop: each row once.
    pub(super) fn fold_rows(
        &mut self,
        table: &OutcomeTable,
        area_of: &[u32],
        categories: usize,
        sat_min: &[u8],
    ) {
        let g_count = self.grid_count;
        let t = self.window.target();
        for (i, r) in table.rows.iter().enumerate() {
            let g = r.grid as usize;
            let repeat = r.flags & REPEAT != 0;
            let office = table.offices.get(i).copied().unwrap_or(NO_OFFICE);
            let mut office_counts = if office == NO_OFFICE {
                None
            } else {
                self.office_acc.get_mut(office as usize)
            };
            if let Some(m) = self.window.month_of(r.reported) {
                if let Some(c) = self.covered.get_mut(m) {
                    *c = true;
                }
                let end = self.window.bounds.get(m + 1).copied().unwrap_or(i64::MAX);
                if let Some(a) = self.acc.get_mut(m * g_count + g) {
                    count_reported(a, r, repeat, end);
                }
                if m == t {
                    if let Some(a) = office_counts.as_deref_mut() {
                        count_reported(a, r, repeat, end);
                    }
                    let unknown = self.by_channel.len().saturating_sub(1);
                    let at = usize::from(r.channel).min(unknown);
                    if let Some(c) = self.by_channel.get_mut(at) {
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
                let sat = sat_min.get(m).copied().unwrap_or(4);
                if let Some(a) = self.acc.get_mut(m * g_count + g) {
                    count_resolved(a, r, sat);
                }
                if m == t {
                    if let Some(a) = office_counts.as_deref_mut() {
                        count_resolved(a, r, sat);
                    }
                    if let Some(c) = self.by_level.get_mut(usize::from(r.level)) {
                        *c += 1;
                    }
                }
            }
            if let Some(m) = self.window.month_of(r.due) {
                if let Some(a) = self.acc.get_mut(m * g_count + g) {
                    count_due(a, r);
                }
                if m == t {
                    if let Some(a) = office_counts {
                        count_due(a, r);
                    }
                }
            }
        }
    }

    pub(super) fn counts(&self, m: usize, g: usize) -> Counts {
        self.acc
            .get(m * self.grid_count + g)
            .copied()
            .unwrap_or_default()
    }

    /// The counts of a group of grids in a month.
    pub(super) fn sum(&self, m: usize, members: &[u32]) -> Counts {
        let mut c = Counts::default();
        for g in members {
            c.add(&self.counts(m, *g as usize));
        }
        c
    }
}

/// Counts a row in the month it was reported in (`end`: the month's end).
#[inline]
fn count_reported(a: &mut Counts, r: &Compiled, repeat: bool, end: i64) {
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
        a.petitions += u32::from(r.flags & PETITION != 0);
        a.petitions_accepted_timely += u32::from(r.flags & PETITION_TIMELY != 0);
        let [orders, answered] = r.supervisions;
        a.supervisions += u32::from(orders);
        a.supervisions_on_time += u32::from(answered);
        let [checks, passed] = r.verifications;
        a.verifications += u32::from(checks);
        a.verifications_passed += u32::from(passed);
    }
}

/// Counts a row in the month it was resolved in (`sat_min`: the satisfied level).
#[inline]
fn count_resolved(a: &mut Counts, r: &Compiled, sat_min: u8) {
    a.resolved += 1;
    a.in_grid += u32::from(r.level <= 1);
    a.called_back += u32::from(r.flags & CALLED_BACK != 0);
    if r.satisfaction > 0 {
        a.evaluations += 1;
        a.satisfaction_sum += u32::from(r.satisfaction);
        a.satisfied += u32::from(r.satisfaction >= sat_min);
    }
}

/// Counts a row in the month it fell due in.
#[inline]
fn count_due(a: &mut Counts, r: &Compiled) {
    if r.flags & PAUSED != 0 {
        a.paused += 1;
    } else {
        a.due += 1;
        a.on_time += u32::from(r.resolved != NO_TIME && r.resolved <= r.due);
    }
}
