//! Ranking: the scheme's score of each unit, the order with its tie breaks, the red and
//! black lists and their streaks.

use std::cmp::Ordering;

use super::pass::*;
use super::report::*;
use super::scheme::{Rate, Scheme};
use crate::org::GridIndex;
use crate::rules::scoring::{ScoringSpec, TieBreak};

/// One unit to rank: its score, whether inactive, what the tie-breaks read, and its id.
pub(super) struct Entry<'a> {
    pub(super) index: u32,
    pub(super) score: i128,
    pub(super) inactive: bool,
    pub(super) on_time: Option<Rate>,
    pub(super) satisfaction: Option<Rate>,
    pub(super) cases: u32,
    pub(super) id: &'a str,
}

impl<'a> Entry<'a> {
    pub(super) fn new(
        index: usize,
        id: &'a str,
        c: &Counts,
        scheme: &Scheme,
        spec: &ScoringSpec,
    ) -> Self {
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
pub(super) fn rank(entries: &mut [Entry<'_>], spec: &ScoringSpec) -> Vec<u32> {
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
pub(super) fn positions(order: &[u32], len: usize) -> Vec<usize> {
    let mut pos = vec![0; len];
    for (i, u) in order.iter().enumerate() {
        if let Some(p) = pos.get_mut(*u as usize) {
            *p = i + 1;
        }
    }
    pos
}

/// A month's ranking of grids and of workers.
pub(super) struct Ranked {
    /// Grid rank by grid index (0: not ranked).
    pub(super) grid_rank: Vec<usize>,
    /// Whether each grid was inactive.
    pub(super) grid_inactive: Vec<bool>,
    /// Grids on the red list and the black list, by grid index.
    pub(super) red: Vec<bool>,
    pub(super) black: Vec<bool>,
    /// Worker rank by worker position (0: not ranked).
    pub(super) worker_rank: Vec<usize>,
}

impl Pass<'_> {
    pub(super) fn ranked(&self, m: usize, index: &GridIndex) -> Option<Ranked> {
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
pub(super) fn lists(
    order: &[u32],
    inactive: &[bool],
    red: usize,
    black: usize,
) -> (Vec<bool>, Vec<bool>) {
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
pub(super) fn streak(ranked: &[Option<Ranked>], hit: impl Fn(&Ranked) -> bool) -> u32 {
    let mut n = 0;
    for r in ranked.iter().rev() {
        match r {
            Some(r) if hit(r) => n += 1,
            _ => break,
        }
    }
    n
}
