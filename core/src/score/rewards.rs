//! Rewards split to the fen (奖补) and the talent pool (后备人才库).

use super::pass::*;
use super::rank::*;
use super::report::*;
use super::{Month, ScoreError};
use crate::fixed::Fixed2;
use crate::org::GridIndex;
use crate::ratio::Ratio;
use crate::rules::scoring::{RewardMethod, ScoringSpec};

/// Splits the budget among the eligible grids, in rank order (see [`split_budget`]): the
/// ranked ones, so never an inactive grid or one that is not evaluable.
pub(super) fn allocate(
    budget: u64,
    spec: &ScoringSpec,
    grids: &[UnitScore],
    order: &[usize],
    index: &GridIndex,
) -> Result<Rewards, ScoreError> {
    let r = &spec.rewards;
    let eligible: Vec<(usize, &UnitScore, Points)> = order
        .iter()
        .zip(grids)
        .filter_map(|(g, s)| Some((*g, s, s.score?)))
        .filter(|(_, s, _)| s.rank > 0)
        .collect();
    // Weights as whole numbers: printed scores in 10^-places, tier weights in 10^-4.
    let weights: Vec<u64> = eligible
        .iter()
        .map(|(_, s, score)| match r.method {
            RewardMethod::Share => u64::try_from(score.rounded().max(0)).unwrap_or(u64::MAX),
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
        .filter_map(|(((g, s, score), total), w)| {
            Some(Allocation {
                grid: index.ids.get(*g)?.clone(),
                rank: s.rank,
                weight: match r.method {
                    RewardMethod::Share => *score,
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
pub(super) fn talent(
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

crate::tsdecl::ts_alias!(Points = "string");
crate::tsdecl::ts_alias!(Indicators = "Partial<Record<Indicator, string | null>>");

crate::tsdecl::ts_alias!(Demand = "DemandView");
