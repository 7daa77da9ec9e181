//! Scoring that merges: a month's scoring of part of an outcome table ([`Partial`]), the
//! merge of the parts, and the finish that ranks, lists and allocates. Finishing the merge
//! of any split of a table gives the report of the whole table, byte for byte: every count
//! adds up, and the reports of the demand window keep their case ids so that a common
//! demand lists the same cases in the same order.
//!
//! ```
//! use gridgov::Engine;
//! use gridgov::score::{ScoreOptions, outcomes_from_csv};
//!
//! let engine = Engine::fushan();
//! let csv = "id,location,category,reported_at,resolved_at,resolved_level,satisfaction,time_limit\n\
//!            c1,fs-c01-g01-m1,neighbour_dispute,2026-03-02T09:00:00+08:00,2026-03-02T15:00:00+08:00,grid,5,3 working days\n\
//!            c2,fs-c01-g01-m2,environment,2026-03-03T09:00:00+08:00,,,,3 working days\n";
//! let rows = outcomes_from_csv(csv)?;
//! let options = ScoreOptions::new("2026-03".parse()?);
//! // Each row scored apart, then merged and finished…
//! let mut merged = engine.score_partial(&engine.compile_outcomes(&rows[..1], &[], &[])?, &options)?;
//! merged.merge(&engine.score_partial(&engine.compile_outcomes(&rows[1..], &[], &[])?, &options)?)?;
//! let finished = engine.score_finish(&merged, &engine.compile_outcomes(&[], &[], &[])?, &options)?;
//! // …is the report of the whole table.
//! let whole = engine.score(&engine.compile_outcomes(&rows, &[], &[])?, &options)?;
//! assert_eq!(serde_json::to_string(&finished)?, serde_json::to_string(&whole)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use super::outcome::OutcomeTable;
use super::pass::{NONE, Pass};
use super::report::{Counts, MonthReport};
use super::{MAX_HISTORY, Month, ScoreError, ScoreOptions};
use crate::engine::Engine;
use crate::id::CaseId;
use crate::macros::named_enum;
use crate::org::{GridIndex, Level};
use crate::rules::scoring::DemandArea;

/// A report of the demand window: its area-and-category cell, when it was reported
/// (unix seconds) and its case.
#[derive(Clone, Debug, PartialEq, Eq)]
struct WindowReport {
    cell: u32,
    at: i64,
    /// A valid case id (checked when read from a partial's rows).
    case: Box<str>,
}

/// A month's scoring of part of an outcome table: the counts of every grid in each month
/// of the window (the scored month and its history) and of every office in the scored
/// month; the month's reports by channel, category and level; the reports of the
/// common-demand window by area and category, each with its case id. Households are left
/// out (they are the organisation's, added once by the finish).
///
/// Made by [`Engine::score_partial`], added up by [`Partial::merge`], finished by
/// [`Engine::score_finish`]. A case id given in two parts is not found: give each case to
/// one part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partial {
    month: Month,
    history: u32,
    rows: u64,
    grid_count: usize,
    acc: Vec<Counts>,
    covered: Vec<bool>,
    by_channel: Vec<u32>,
    by_category: Vec<u32>,
    by_level: [u32; 5],
    demand: Vec<u32>,
    office_acc: Vec<Counts>,
    reports: Vec<WindowReport>,
}

named_enum! {
    /// What a row of a partial holds.
    PartKind, "part" {
        /// The partial's scored month (`month`), months of history (`n`) and outcome
        /// rows folded in (`at`): the first row, and only one.
        Header = "header",
        /// A month of the window that holds data (`month`).
        Month = "month",
        /// A grid's counts in a month (`month`, `key`: the grid, the counts).
        Grid = "grid",
        /// An office's counts in the scored month (`key`: the office, the counts).
        Office = "office",
        /// Reports of the scored month by channel (`key`: the channel, none for a row
        /// without a known one; `n`).
        Channel = "channel",
        /// Reports of the scored month by category (`key`, `n`).
        Category = "category",
        /// Cases resolved in the scored month by level (`key`: the level, `n`).
        Level = "level",
        /// Reports of the common-demand window by area and category (`area`, `category`,
        /// `n`).
        Demand = "demand",
        /// One report of the common-demand window (`area`, `category`, `at`, `key`: the
        /// case).
        Report = "report",
    }
}

/// One row of a partial in its table form ([`Partial::rows`], read back by
/// [`Engine::partial_from_rows`]): which part, and the fields that part uses. The header
/// is a row like the others, so that a partial keeps it through any dataframe library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialRow<'a> {
    /// What the row holds.
    pub part: PartKind,
    /// The month (`header`, `month` and `grid` rows).
    pub month: Option<Month>,
    /// The grid, office, channel, category, level or case.
    pub key: Option<&'a str>,
    /// The compound or community (`demand` and `report` rows).
    pub area: Option<&'a str>,
    /// The category (`demand` and `report` rows).
    pub category: Option<&'a str>,
    /// When the case was reported, unix seconds (`report` rows); the outcome rows folded
    /// in (`header`).
    pub at: Option<i64>,
    /// A number of reports (`channel`, `category`, `level` and `demand` rows); the months
    /// of history (`header`).
    pub n: Option<u32>,
    /// The counts (`grid` and `office` rows).
    pub counts: Option<Counts>,
}

impl PartialRow<'_> {
    /// A row of `part` with no field given.
    #[must_use]
    pub fn new(part: PartKind) -> Self {
        Self {
            part,
            month: None,
            key: None,
            area: None,
            category: None,
            at: None,
            n: None,
            counts: None,
        }
    }
}

/// What a partial says about itself (its `header` row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialHeader {
    /// The scored month.
    pub month: Month,
    /// Months read before it.
    pub history: u32,
    /// Outcome rows folded in.
    pub rows: u64,
}

fn request_error(message: String) -> ScoreError {
    ScoreError::Request {
        field: "partial",
        message,
    }
}

impl Partial {
    /// The counts of a pass, with the demand window's reports.
    fn of_pass(header: PartialHeader, pass: Pass<'_>, reports: Vec<WindowReport>) -> Self {
        Self {
            month: header.month,
            history: header.history,
            rows: header.rows,
            grid_count: pass.grid_count,
            acc: pass.acc,
            covered: pass.covered,
            by_channel: pass.by_channel,
            by_category: pass.by_category,
            by_level: pass.by_level,
            demand: pass.demand,
            office_acc: pass.office_acc,
            reports,
        }
    }

    /// The month, history and number of outcome rows.
    #[must_use]
    pub fn header(&self) -> PartialHeader {
        PartialHeader {
            month: self.month,
            history: self.history,
            rows: self.rows,
        }
    }

    /// Adds another part of the same month, history and engine.
    ///
    /// # Errors
    /// [`ScoreError::Request`] (field `partial`) for a part of another month or history,
    /// or one made by an engine with another organisation or rule set.
    pub fn merge(&mut self, other: &Partial) -> Result<(), ScoreError> {
        if (self.month, self.history) != (other.month, other.history) {
            return Err(request_error(format!(
                "a partial of {} with {} months of history cannot be merged with one of {} with {}; score every part for the same month and history",
                other.month, other.history, self.month, self.history
            )));
        }
        if self.acc.len() != other.acc.len()
            || self.grid_count != other.grid_count
            || self.by_channel.len() != other.by_channel.len()
            || self.demand.len() != other.demand.len()
            || self.office_acc.len() != other.office_acc.len()
        {
            return Err(request_error(
                "the partials were made by engines with another organisation or rule set; score every part with one engine".to_owned(),
            ));
        }
        self.rows = self.rows.saturating_add(other.rows);
        for (a, b) in self.acc.iter_mut().zip(&other.acc) {
            a.add(b);
        }
        for (a, b) in self.covered.iter_mut().zip(&other.covered) {
            *a |= *b;
        }
        let add = |a: &mut [u32], b: &[u32]| {
            for (x, y) in a.iter_mut().zip(b) {
                *x = x.saturating_add(*y);
            }
        };
        add(&mut self.by_channel, &other.by_channel);
        add(&mut self.by_category, &other.by_category);
        add(&mut self.by_level, &other.by_level);
        add(&mut self.demand, &other.demand);
        for (a, b) in self.office_acc.iter_mut().zip(&other.office_acc) {
            a.add(b);
        }
        self.reports.extend(other.reports.iter().cloned());
        Ok(())
    }

    /// The partial as rows of a table, in a fixed order: the header, the months that hold data, the
    /// grids' counts (month by month, grids in the organisation's order, those with
    /// nothing counted left out), the offices', the channels, categories and levels, the
    /// demand cells, then the reports of the demand window.
    #[must_use]
    pub fn rows<'s>(&'s self, engine: &'s Engine) -> Vec<PartialRow<'s>> {
        let index = engine.org.grid_index();
        let months = self.months();
        let mut out = vec![PartialRow {
            month: Some(self.month),
            n: Some(self.history),
            at: Some(i64::try_from(self.rows).unwrap_or(i64::MAX)),
            ..PartialRow::new(PartKind::Header)
        }];
        for (m, covered) in months.iter().zip(&self.covered) {
            if *covered {
                out.push(PartialRow {
                    month: Some(*m),
                    ..PartialRow::new(PartKind::Month)
                });
            }
        }
        let zero = Counts::default();
        for (m, month) in months.iter().enumerate() {
            for (g, id) in index.ids.iter().enumerate() {
                let Some(c) = self.acc.get(m * self.grid_count + g) else {
                    continue;
                };
                if *c != zero {
                    out.push(PartialRow {
                        month: Some(*month),
                        key: Some(id.as_str()),
                        counts: Some(*c),
                        ..PartialRow::new(PartKind::Grid)
                    });
                }
            }
        }
        for (o, c) in engine.org.spec().offices.iter().zip(&self.office_acc) {
            if *c != zero {
                out.push(PartialRow {
                    key: Some(o.id.as_str()),
                    counts: Some(*c),
                    ..PartialRow::new(PartKind::Office)
                });
            }
        }
        let channels = engine.rules.channels();
        for (i, n) in self.by_channel.iter().enumerate() {
            if *n > 0 {
                out.push(PartialRow {
                    key: channels.get(i).map(String::as_str),
                    n: Some(*n),
                    ..PartialRow::new(PartKind::Channel)
                });
            }
        }
        let categories = engine.rules.category_ids();
        for (c, n) in categories.iter().zip(&self.by_category) {
            if *n > 0 {
                out.push(PartialRow {
                    key: Some(c.as_str()),
                    n: Some(*n),
                    ..PartialRow::new(PartKind::Category)
                });
            }
        }
        for (l, n) in Level::ALL.iter().zip(&self.by_level) {
            if *n > 0 {
                out.push(PartialRow {
                    key: Some(l.as_str()),
                    n: Some(*n),
                    ..PartialRow::new(PartKind::Level)
                });
            }
        }
        let areas = self.areas(engine, index);
        let cell_names = |cell: u32| {
            let n_cat = self.by_category.len().max(1);
            let cell = cell as usize;
            (
                areas.get(cell / n_cat).map(|a| a.0.as_str()),
                categories.get(cell % n_cat).map(|c| c.as_str()),
            )
        };
        for (cell, n) in self.demand.iter().enumerate() {
            if *n > 0 {
                let (area, category) = cell_names(u32::try_from(cell).unwrap_or(NONE));
                out.push(PartialRow {
                    area,
                    category,
                    n: Some(*n),
                    ..PartialRow::new(PartKind::Demand)
                });
            }
        }
        for r in &self.reports {
            let (area, category) = cell_names(r.cell);
            out.push(PartialRow {
                area,
                category,
                at: Some(r.at),
                key: Some(&r.case),
                ..PartialRow::new(PartKind::Report)
            });
        }
        out
    }

    /// The months of the window, oldest first.
    fn months(&self) -> Vec<Month> {
        let first = self.month.ordinal() - i64::from(self.history);
        (0..self.covered.len())
            .filter_map(|k| Month::from_ordinal(first + i64::try_from(k).unwrap_or(0)))
            .collect()
    }

    /// The areas of the demand cells (compounds or communities, as the scored month's
    /// version counts them).
    fn areas<'e>(
        &self,
        engine: &'e Engine,
        index: &'e GridIndex,
    ) -> &'e [(crate::id::UnitId, std::sync::Arc<str>)] {
        let (_, spec) = engine.scoring_spec_on(self.month.first_day());
        match spec.common_demands.area {
            DemandArea::Compound => &index.compounds,
            DemandArea::Community => &index.communities,
        }
    }
}

impl Engine {
    /// Scores part of an outcome table for the month and history of `options`: its rows,
    /// visits, meetings, register entries and inspections counted per grid and month, as
    /// [`Engine::score`] counts them, to be merged with the other parts
    /// ([`Partial::merge`]) and finished ([`Engine::score_finish`]).
    ///
    /// # Errors
    /// [`ScoreError::Request`] for a history longer than [`MAX_HISTORY`] or a table
    /// compiled by an engine with another organisation or rule set.
    pub fn score_partial(
        &self,
        table: &OutcomeTable,
        options: &ScoreOptions,
    ) -> Result<Partial, ScoreError> {
        let index = self.check_table(table, options)?;
        let mut pass = Pass::empty(self, index, options, table.rows.len());
        pass.fold(self, table, index);
        pass.add_work(table);
        let reports = pass
            .demand_cell
            .iter()
            .zip(&table.rows)
            .zip(table.ids.iter())
            .filter(|((cell, _), _)| **cell != NONE)
            .map(|((cell, r), id)| WindowReport {
                cell: *cell,
                at: r.reported,
                case: id.into(),
            })
            .collect();
        let header = PartialHeader {
            month: options.month,
            history: options.history,
            rows: u64::try_from(table.rows.len()).unwrap_or(u64::MAX),
        };
        Ok(Partial::of_pass(header, pass, reports))
    }

    /// Finishes the merge of every part of a table: the month's report, byte for byte the
    /// one [`Engine::score`] gives for the whole table. `work` adds visits, meetings,
    /// register entries and inspections not given with the parts (a table compiled from
    /// no outcome rows); `options` are the parts' month and history, with the budget.
    ///
    /// # Errors
    /// [`ScoreError::Request`] for options of another month or history than the
    /// partial's, or a partial or table made by an engine with another organisation or
    /// rule set; [`ScoreError::BudgetBelowFloor`] as for [`Engine::score`].
    pub fn score_finish(
        &self,
        partial: &Partial,
        work: &OutcomeTable,
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        self.score_finish_with(partial, work, options, true)
    }

    /// [`Engine::score_finish`], with the common demands found only when `demands` (else
    /// left empty: for a caller that shows only the scored units, such as a score table).
    pub(crate) fn score_finish_with(
        &self,
        partial: &Partial,
        work: &OutcomeTable,
        options: &ScoreOptions,
        demands: bool,
    ) -> Result<MonthReport, ScoreError> {
        let index = self.check_table(work, options)?;
        if (partial.month, partial.history) != (options.month, options.history) {
            return Err(request_error(format!(
                "the partial is of {} with {} months of history; finish it for that month and history, not {} with {}",
                partial.month, partial.history, options.month, options.history
            )));
        }
        let mut pass = Pass::empty(self, index, options, 0);
        if pass.acc.len() != partial.acc.len()
            || pass.by_channel.len() != partial.by_channel.len()
            || pass.demand.len() != partial.demand.len()
            || pass.office_acc.len() != partial.office_acc.len()
            || partial.grid_count != index.ids.len()
        {
            return Err(request_error(
                "the partial was made by an engine with another organisation or rule set; finish it with the engine that scored its parts".to_owned(),
            ));
        }
        pass.add_households(index);
        for (a, b) in pass.acc.iter_mut().zip(&partial.acc) {
            a.add(b);
        }
        pass.covered.clone_from(&partial.covered);
        pass.by_channel.clone_from(&partial.by_channel);
        pass.by_category.clone_from(&partial.by_category);
        pass.by_level = partial.by_level;
        pass.demand.clone_from(&partial.demand);
        pass.office_acc.clone_from(&partial.office_acc);
        pass.add_work(work);
        // The demand window's reports stand in for the table's rows: their cells, ids and
        // report times (the lists of cases are put in time order from these).
        pass.demand_cell = partial.reports.iter().map(|r| r.cell).collect();
        let reports = OutcomeTable {
            rows: partial
                .reports
                .iter()
                .map(|r| super::outcome::Compiled::reported_at(r.at))
                .collect(),
            ids: std::sync::Arc::new(partial.reports.iter().map(|r| &*r.case).collect()),
            visits: Vec::new(),
            inspections: Vec::new(),
            meetings: Vec::new(),
            register: Vec::new(),
            offices: Vec::new(),
            grid_count: work.grid_count,
            category_count: work.category_count,
        };
        pass.report(self, &reports, index, options, demands)
    }

    /// A partial read back from its rows ([`Partial::rows`]), for this engine's
    /// organisation and rule set.
    ///
    /// # Errors
    /// [`ScoreError::Request`] (field `partial`) naming the row and what in it does not
    /// fit: a month outside the window, an unknown grid, office, channel, category, level
    /// or area, a missing field.
    pub fn partial_from_rows<'r>(
        &self,
        rows: impl IntoIterator<Item = PartialRow<'r>>,
    ) -> Result<Partial, ScoreError> {
        let rows: Vec<PartialRow<'r>> = rows.into_iter().collect();
        let mut headers = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.part == PartKind::Header);
        let Some((at, h)) = headers.next() else {
            return Err(request_error(
                "no `header` row: this is not a whole partial (make partials with score_partial and keep every row)".to_owned(),
            ));
        };
        if let Some((second, _)) = headers.next() {
            return Err(request_error(format!(
                "rows {} and {} are both headers: these are several partials; merge them rather than joining their rows",
                at + 1,
                second + 1
            )));
        }
        let header = PartialHeader {
            month: h.month.ok_or_else(|| {
                request_error(format!("row {}: a `header` row needs `month`", at + 1))
            })?,
            history: h.n.ok_or_else(|| {
                request_error(format!("row {}: a `header` row needs `n`", at + 1))
            })?,
            rows: h.at.and_then(|n| u64::try_from(n).ok()).ok_or_else(|| {
                request_error(format!(
                    "row {}: a `header` row needs `at`, the outcome rows folded in",
                    at + 1
                ))
            })?,
        };
        let options = ScoreOptions::new(header.month).with_history(header.history);
        if header.history > MAX_HISTORY {
            return Err(request_error(format!(
                "{} months of history; at most {MAX_HISTORY}",
                header.history
            )));
        }
        let index = self.org.grid_index();
        let pass = Pass::empty(self, index, &options, 0);
        let mut p = Partial::of_pass(header, pass, Vec::new());
        let months = p.months();
        let areas = p.areas(self, index);
        let area_pos: rustc_hash::FxHashMap<&str, usize> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.0.as_str(), i))
            .collect();
        let n_cat = p.by_category.len();
        for (i, row) in rows.into_iter().enumerate() {
            let at_row = |what: String| request_error(format!("row {}: {what}", i + 1));
            let need = |v: Option<&'r str>, field: &str| {
                v.ok_or_else(|| at_row(format!("a `{}` row needs `{field}`", row.part)))
            };
            let month = |m: Option<Month>| {
                let m = m.ok_or_else(|| at_row(format!("a `{}` row needs `month`", row.part)))?;
                months.iter().position(|x| *x == m).ok_or_else(|| {
                    at_row(format!(
                        "month {m} is outside the window {} to {}",
                        months.first().map_or_else(String::new, ToString::to_string),
                        header.month
                    ))
                })
            };
            let counts = || {
                row.counts
                    .ok_or_else(|| at_row(format!("a `{}` row needs its counts", row.part)))
            };
            let n = || {
                row.n
                    .ok_or_else(|| at_row(format!("a `{}` row needs `n`", row.part)))
            };
            let cell = || -> Result<u32, ScoreError> {
                let area = need(row.area, "area")?;
                let category = need(row.category, "category")?;
                let a = area_pos.get(area).ok_or_else(|| {
                    at_row(format!(
                        "`{area}` is not an area of the common demands (a {} of the organisation)",
                        match self
                            .scoring_spec_on(header.month.first_day())
                            .1
                            .common_demands
                            .area
                        {
                            DemandArea::Compound => "compound",
                            DemandArea::Community => "community",
                        }
                    ))
                })?;
                let c = self.category_position(category).map_err(&at_row)?;
                u32::try_from(a * n_cat + c).map_err(|e| at_row(e.to_string()))
            };
            let add = |slot: Option<&mut u32>, v: u32| {
                if let Some(s) = slot {
                    *s = s.saturating_add(v);
                }
            };
            match row.part {
                PartKind::Header => {}
                PartKind::Month => {
                    let m = month(row.month)?;
                    if let Some(c) = p.covered.get_mut(m) {
                        *c = true;
                    }
                }
                PartKind::Grid => {
                    let m = month(row.month)?;
                    let id = need(row.key, "key")?;
                    let g = self
                        .org
                        .key(id)
                        .and_then(|k| index.places.get(k.index()).copied())
                        .filter(|g| *g != NONE)
                        .ok_or_else(|| {
                            at_row(format!("`{id}` is not a grid of the organisation"))
                        })?;
                    let c = counts()?;
                    if let Some(a) = p.acc.get_mut(m * p.grid_count + g as usize) {
                        a.add(&c);
                    }
                }
                PartKind::Office => {
                    let id = need(row.key, "key")?;
                    let o = self.org.office_index(id).ok_or_else(|| {
                        at_row(format!("`{id}` is not an office of the organisation"))
                    })?;
                    let c = counts()?;
                    if let Some(a) = p.office_acc.get_mut(o as usize) {
                        a.add(&c);
                    }
                }
                PartKind::Channel => {
                    let slot = match row.key {
                        None => p.by_channel.len().saturating_sub(1),
                        Some(ch) => self.rules.channel_index(ch).ok_or_else(|| {
                            at_row(format!(
                                "unknown channel `{ch}`; valid channels: {}",
                                self.rules.channels().join(", ")
                            ))
                        })?,
                    };
                    add(p.by_channel.get_mut(slot), n()?);
                }
                PartKind::Category => {
                    let c = self
                        .category_position(need(row.key, "key")?)
                        .map_err(&at_row)?;
                    add(p.by_category.get_mut(c), n()?);
                }
                PartKind::Level => {
                    let name = need(row.key, "key")?;
                    let level: Level = name.parse().map_err(|e| at_row(format!("{e}")))?;
                    add(p.by_level.get_mut(level.rank()), n()?);
                }
                PartKind::Demand => {
                    let c = cell()?;
                    add(p.demand.get_mut(c as usize), n()?);
                }
                PartKind::Report => {
                    let c = cell()?;
                    let case = need(row.key, "key")?;
                    let at = row
                        .at
                        .ok_or_else(|| at_row("a `report` row needs `at`".to_owned()))?;
                    p.reports.push(WindowReport {
                        cell: c,
                        at,
                        case: CaseId::new(case)
                            .map(|_| case.into())
                            .map_err(|e| at_row(format!("case id: {e}")))?,
                    });
                }
            }
        }
        Ok(p)
    }

    /// The position of a category in the rule set, or the message naming the valid ones.
    fn category_position(&self, category: &str) -> Result<usize, String> {
        self.rules.category_index(category).ok_or_else(|| {
            format!(
                "unknown category `{category}`; valid categories: {}",
                self.rules.categories().join(", ")
            )
        })
    }

    /// The grid index, once the options and the table fit this engine.
    pub(super) fn check_table(
        &self,
        table: &OutcomeTable,
        options: &ScoreOptions,
    ) -> Result<&GridIndex, ScoreError> {
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
        Ok(index)
    }
}
