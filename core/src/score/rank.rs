//! Ranking: the scheme's score of each unit, the order with its tie breaks, the red and
//! black lists and their streaks.

use std::cmp::Ordering;

use super::pass::*;
use super::report::*;
use super::scheme::{Rate, Scheme};
use crate::org::GridIndex;
use crate::rules::scoring::{ScoringSpec, TieBreak};

/// One unit to rank: its score (`None`: not evaluable), whether inactive, what the
/// tie-breaks read, and its id.
pub(super) struct Entry<'a> {
    pub(super) index: u32,
    pub(super) score: Option<i128>,
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

impl Entry<'_> {
    /// Whether the unit takes part in the ranking: evaluable and active.
    pub(super) fn ranked(&self) -> bool {
        self.score.is_some() && !self.inactive
    }
}

/// Ranks the entries that take part (evaluable and active); returns their indexes best
/// first. The others are left out: they have no rank.
pub(super) fn rank(entries: &mut Vec<Entry<'_>>, spec: &ScoringSpec) -> Vec<u32> {
    let tie = &spec.ranking.tie_break;
    entries.retain(Entry::ranked);
    entries.sort_unstable_by(|a, b| {
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
    /// Grid rank by grid index (0: not ranked, being inactive or not evaluable).
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
        let (red, black) = lists(&order, n, spec.ranking.red_list, spec.ranking.black_list);
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

/// How many grids the red and black lists take of `ranked` grids: `red` and `black` when
/// there are enough; when there are fewer than both together, the ranked grids are shared
/// in proportion (the red list's share rounded up), so the two lists never meet and a
/// short ranking still has a bottom.
pub(super) fn list_sizes(ranked: usize, red: usize, black: usize) -> (usize, usize) {
    let both = red.saturating_add(black);
    if ranked >= both {
        return (red, black);
    }
    let r = (ranked.saturating_mul(red)).div_ceil(both.max(1)).min(red);
    (r, ranked.saturating_sub(r).min(black))
}

/// The red list (the top ranked grids) and the black list (the bottom ranked grids), sized
/// by [`list_sizes`], as flags by grid index. `order` holds the ranked grids only
/// (evaluable and active), best first.
pub(super) fn lists(order: &[u32], n: usize, red: usize, black: usize) -> (Vec<bool>, Vec<bool>) {
    let (red, black) = list_sizes(order.len(), red, black);
    let mut r = vec![false; n];
    let mut b = vec![false; n];
    for g in order.iter().take(red) {
        if let Some(x) = r.get_mut(*g as usize) {
            *x = true;
        }
    }
    for g in order.iter().rev().take(black) {
        if let Some(x) = b.get_mut(*g as usize) {
            *x = true;
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

#[cfg(test)]
mod tests {
    use super::list_sizes;

    #[test]
    fn short_rankings_share_the_lists_in_proportion() {
        assert_eq!(list_sizes(150, 5, 5), (5, 5));
        assert_eq!(list_sizes(10, 5, 5), (5, 5), "exactly enough");
        assert_eq!(list_sizes(9, 5, 5), (5, 4));
        assert_eq!(list_sizes(2, 5, 5), (1, 1));
        assert_eq!(list_sizes(1, 5, 5), (1, 0));
        assert_eq!(list_sizes(3, 1, 1), (1, 1));
        assert_eq!(list_sizes(1, 1, 1), (1, 0));
        assert_eq!(list_sizes(4, 3, 1), (3, 1));
        assert_eq!(list_sizes(2, 3, 1), (2, 0));
        assert_eq!(list_sizes(2, 0, 5), (0, 2));
        assert_eq!(list_sizes(0, 5, 5), (0, 0));
        assert_eq!(list_sizes(7, 0, 0), (0, 0));
    }
}
