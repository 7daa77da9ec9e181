//! The month's report assembled from the counts: every grid, worker and community scored
//! and ranked, the inactive and zombie grids, and the common demands.

use std::sync::Arc;

use super::ids::OldestFirst;
use super::outcome::OutcomeTable;
use super::pass::*;
use super::rank::*;
use super::report::*;
use super::rewards::*;
use super::scheme::Scheme;
use super::{ScoreError, ScoreOptions};
use crate::engine::Engine;
use crate::id::UnitId;
use crate::org::{GridIndex, Level};
use crate::rules::scoring::{DemandArea, ScoringSpec};

/// Builds the scored units of the scored month.
pub(super) struct Scorer<'a> {
    pub(super) scheme: &'a Scheme,
    pub(super) places: u32,
    pub(super) buf: Vec<Option<i128>>,
}

impl Scorer<'_> {
    pub(super) fn unit(&mut self, id: Arc<str>, name: Arc<str>, c: Counts) -> UnitScore {
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
            evaluable: total.is_some(),
            score: total.map(|t| Points::new(t, den, places)),
            items: self
                .buf
                .iter()
                .map(|v| v.map(|v| Points::new(v, den, places)))
                .collect(),
            indicators: values,
            counts: c,
            inactive: false,
            red_streak: 0,
            black_streak: 0,
        }
    }
}

/// Unit indexes in display order: the ranked ones by rank, then the others in index order.
pub(super) fn display_order(ranks: &[usize], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|i| match ranks.get(*i).copied().unwrap_or(0) {
        0 => (1, 0),
        r => (0, r),
    });
    order
}

/// A scheme's items as `indicator:<name>` or `penalty:<counter>`, in its order.
fn item_names(scheme: &crate::rules::scoring::SchemeSpec) -> Vec<String> {
    scheme
        .items
        .iter()
        .map(|it| match (it.indicator, it.penalty) {
            (Some(i), _) => format!("indicator:{i}"),
            (None, Some(c)) => format!("penalty:{c}"),
            (None, None) => String::new(),
        })
        .collect()
}

/// Units built in index order, placed in the given order.
pub(super) fn by_rank(units: Vec<UnitScore>, order: &[usize]) -> Vec<UnitScore> {
    let mut slots: Vec<Option<UnitScore>> = units.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|i| slots.get_mut(*i).and_then(Option::take))
        .collect()
}

pub(super) fn ranks(
    now: &[usize],
    before: Option<&[usize]>,
    i: usize,
) -> (usize, Option<usize>, Option<i64>) {
    let rank = now.get(i).copied().unwrap_or(0);
    let previous = before.and_then(|b| b.get(i).copied()).filter(|p| *p > 0);
    let change = previous
        .map(|p| i64::try_from(p).unwrap_or(i64::MAX) - i64::try_from(rank).unwrap_or(i64::MAX));
    (rank, previous, change)
}

impl Pass<'_> {
    /// The month's report from the counts; its common demands left empty unless
    /// `demands` (the second pass over the rows they take is skipped for a caller that
    /// shows only the scored units).
    pub(super) fn report(
        &self,
        engine: &Engine,
        table: &OutcomeTable,
        index: &GridIndex,
        options: &ScoreOptions,
        demands: bool,
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
        let order = display_order(grid_now, index.ids.len());
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
        let ranking: Vec<Placing> = grids
            .iter()
            .filter(|g| g.rank > 0)
            .filter_map(|g| {
                Some(Placing {
                    rank: g.rank,
                    grid: g.id.clone(),
                    score: g.score?,
                })
            })
            .collect();
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
            if r.grid_rank.get(g).copied() != Some(1) {
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
        let worder = display_order(worker_now, index.workers.len());
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
        let corder = display_order(&c_now, index.communities.len());
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

        // Offices, under their own scheme, on the cases they led this month.
        let office_scheme = Scheme::compile(&spec.offices.scheme);
        let org_offices = &engine.org.spec().offices;
        let office_rank = {
            let mut entries: Vec<Entry<'_>> = org_offices
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let c = self.office_acc.get(i).copied().unwrap_or_default();
                    Entry::new(i, o.id.as_str(), &c, &office_scheme, spec)
                })
                .collect();
            positions(&rank(&mut entries, spec), org_offices.len())
        };
        let mut office_scorer = Scorer {
            scheme: &office_scheme,
            places: spec.offices.scheme.places,
            buf: Vec::with_capacity(office_scheme.len()),
        };
        let mut offices = Vec::with_capacity(org_offices.len());
        for (i, o) in org_offices.iter().enumerate() {
            let c = self.office_acc.get(i).copied().unwrap_or_default();
            let mut u = office_scorer.unit(Arc::from(o.id.as_str()), Arc::from(o.name.as_str()), c);
            u.rank = office_rank.get(i).copied().unwrap_or(0);
            u.inactive = c.inactive(spec.inactive.min_cases, spec.inactive.min_visits);
            offices.push(u);
        }
        let offices = by_rank(offices, &display_order(&office_rank, org_offices.len()));

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
        let common_demands = if demands {
            self.demands(engine, table, index, spec)
        } else {
            Vec::new()
        };
        let channels = engine.rules.channels();
        let by_channel_unknown = self.by_channel.get(channels.len()).copied().unwrap_or(0);

        Ok(MonthReport {
            month: options.month,
            version: (*version).to_owned(),
            scheme: spec.scheme.name.clone(),
            scheme_items: item_names(&spec.scheme),
            office_scheme_items: item_names(&spec.offices.scheme),
            months_read: self
                .window
                .months
                .iter()
                .zip(&self.covered)
                .filter(|(_, c)| **c)
                .map(|(m, _)| *m)
                .collect(),
            total,
            by_channel: channels
                .iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), self.by_channel.get(i).copied().unwrap_or(0)))
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
            ranking,
            grids,
            red_list,
            black_list,
            first_place,
            inactive,
            workers,
            communities,
            offices,
            common_demands,
            rewards,
            talent_pool,
            work: None,
        })
    }

    /// Common demands: areas and categories with enough reports in the window, with their
    /// cases, found in a second pass only when there are some. The cases of each demand
    /// are placed by counting (the first pass counted them).
    pub(super) fn demands(
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
        // The cases of each demand, keyed to be put oldest first, in one buffer (demand
        // `k`'s from `start[k]`, `at[k]` of them), keyed as the rows are read in order: the
        // rows' times and ids are then read in order rather than from each list.
        let mut start = Vec::with_capacity(found.len());
        let mut total = 0usize;
        for (_, n, _) in &found {
            start.push(total);
            total += *n as usize;
        }
        let mut at = vec![0usize; found.len()];
        let mut keys: Vec<OldestFirst> = vec![(0, 0, 0); total];
        for ((i, cell), row) in (0u32..).zip(&self.demand_cell).zip(&table.rows) {
            if *cell == NONE {
                continue;
            }
            let k = slot.get(*cell as usize).copied().unwrap_or(NONE) as usize;
            let (Some(n), Some(first), Some((_, count, _))) =
                (at.get_mut(k), start.get(k), found.get(k))
            else {
                continue;
            };
            if *n < *count as usize {
                if let Some(key) = keys.get_mut(first + *n) {
                    *key = table.ids.oldest_first_key(i, row.reported);
                    *n += 1;
                }
            }
        }
        let from = engine.calendar.timestamp(self.demand_from);
        let to = engine.calendar.timestamp(self.demand_to);
        let out: Vec<Demand> = found
            .iter()
            .zip(start.iter().zip(&at))
            .filter_map(|((cell, n, _), (first, count))| {
                let (area, area_name) = areas.get(cell / n_cat)?;
                let category = engine.rules.category_ids().get(cell % n_cat)?;
                let keys = keys.get_mut(*first..first + count)?;
                table.ids.sort_keys_oldest_first(keys);
                let list: Vec<u32> = keys.iter().map(|k| k.2).collect();
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
