//! Rates to four places, and a score scheme compiled to
//! integer arithmetic over one common denominator, so that scoring a grid is a handful of
//! integer operations and every score is exact.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::ratio::{Ratio, lcm};
use crate::rules::scoring::{Counter, Indicator, MAX_L, Missing, SchemeSpec};

/// A rate (0 to 1) or a mean (1 to 5) rounded to four decimal places, half up: the value
/// reports print and schemes score. Held in ten-thousandths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(u32);

impl Rate {
    /// Ten thousand ten-thousandths: a rate of 1.
    pub const ONE: Rate = Rate(10_000);

    /// `part ÷ whole` to four places; `None` when `whole` is zero (nothing to measure).
    #[must_use]
    pub fn of(part: u64, whole: u64) -> Option<Rate> {
        if whole == 0 {
            return None;
        }
        // Half up: floor((2 × part × 10⁴ + whole) ÷ 2 × whole); in u64 while the counts
        // allow (always, for counts of a month), else in u128.
        let q = match (part.checked_mul(20_000), whole.checked_mul(2)) {
            (Some(p2), Some(w2)) if p2.checked_add(whole).is_some() => (p2 + whole) / w2,
            _ => u64::try_from(
                (u128::from(part) * 20_000 + u128::from(whole)) / (2 * u128::from(whole)),
            )
            .unwrap_or(u64::MAX),
        };
        Some(Rate(u32::try_from(q).unwrap_or(u32::MAX)))
    }

    /// From ten-thousandths.
    #[must_use]
    pub const fn from_ten_thousandths(n: u32) -> Rate {
        Rate(n)
    }

    /// In ten-thousandths.
    #[must_use]
    pub const fn ten_thousandths(self) -> u32 {
        self.0
    }

    /// As an exact ratio.
    #[must_use]
    pub fn ratio(self) -> Ratio {
        Ratio::new(i128::from(self.0), 10_000)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04}", self.0 / 10_000, self.0 % 10_000)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How an indicator item turns a rate into points.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// `points × value` (a mean counts as value ÷ 5; a better-lower rate as 1 − rate).
    Weighted,
    /// All the points at or above the threshold.
    AtLeast(i128),
    /// All the points at or below the threshold.
    AtMost(i128),
    /// Full from the threshold; `minus` per `per` short (or over, when better lower).
    /// `step` is `10⁴ × l ÷ per`, worked out once.
    Linear { full: i128, minus: i128, step: i128 },
    /// Full from the threshold; in proportion below it. `step` is `10⁴ × l ÷ threshold`.
    Proportional { full: i128, step: i128 },
}

#[derive(Clone, Copy, Debug)]
enum Item {
    Indicator {
        indicator: Indicator,
        points: i128,
        rule: Rule,
        missing: Missing,
    },
    Penalty {
        counter: Counter,
        points: i128,
        max: Option<i128>,
    },
}

/// A scheme compiled to integers: every item's value is a whole number of `1 / den` points.
#[derive(Clone, Debug)]
pub(crate) struct Scheme {
    items: Vec<Item>,
    /// The common denominator: 10⁸ × `l`.
    pub(crate) den: i128,
    /// `l`: the least common multiple of the `per` steps, proportional thresholds, and 5
    /// for a weighted mean.
    l: i128,
    /// The indicator items' points added up, in ten-thousandths: what renormalisation
    /// scales the evaluable items' points back up to.
    indicator_points: i128,
    floor: Option<i128>,
    /// `l ÷ 5`, for a weighted mean (5 divides `l` then).
    l_fifth: i128,
}

/// What an indicator item reads, by indicator.
pub(crate) type IndicatorValues = [Option<Rate>; 15];

impl Scheme {
    /// Compiles a scheme checked by [`check`]; values that do not fit are left at zero.
    pub(crate) fn compile(spec: &SchemeSpec) -> Self {
        let mut l = 1i128;
        let mut items = Vec::with_capacity(spec.items.len());
        for it in &spec.items {
            let points = Ratio::in_ten_thousandths(it.points).unwrap_or(0);
            if let Some(counter) = it.penalty {
                items.push(Item::Penalty {
                    counter,
                    points,
                    max: it.max.and_then(Ratio::in_ten_thousandths),
                });
                continue;
            }
            let Some(indicator) = it.indicator else {
                continue;
            };
            let rule = match (it.at_least, it.at_most, it.full_at) {
                (Some(t), _, _) => Rule::AtLeast(Ratio::in_ten_thousandths(t).unwrap_or(0)),
                (None, Some(t), _) => Rule::AtMost(Ratio::in_ten_thousandths(t).unwrap_or(0)),
                (None, None, Some(f)) => {
                    let full = Ratio::in_ten_thousandths(f).unwrap_or(0);
                    match it.minus {
                        Some(m) => {
                            let per = it
                                .per
                                .and_then(Ratio::in_ten_thousandths)
                                .unwrap_or(100)
                                .max(1);
                            l = lcm(l, per);
                            Rule::Linear {
                                full,
                                minus: Ratio::in_ten_thousandths(m).unwrap_or(0),
                                step: per,
                            }
                        }
                        None => {
                            l = lcm(l, full.max(1));
                            Rule::Proportional {
                                full,
                                step: full.max(1),
                            }
                        }
                    }
                }
                (None, None, None) => {
                    if indicator.is_mean() {
                        l = lcm(l, 5);
                    }
                    Rule::Weighted
                }
            };
            items.push(Item::Indicator {
                indicator,
                points,
                rule,
                missing: it.when_missing.unwrap_or(spec.when_missing),
            });
        }
        let l = l.clamp(1, MAX_L);
        // Divide once, now that `l` is known (every divisor divides it).
        for item in &mut items {
            if let Item::Indicator {
                rule: Rule::Linear { step, .. } | Rule::Proportional { step, .. },
                ..
            } = item
            {
                *step = 10_000 * l / (*step).max(1);
            }
        }
        let indicator_points = items
            .iter()
            .map(|it| match it {
                Item::Indicator { points, .. } => *points,
                Item::Penalty { .. } => 0,
            })
            .sum();
        Self {
            l_fifth: l / 5,
            items,
            den: 100_000_000 * l,
            l,
            indicator_points,
            floor: spec.floor.and_then(Ratio::in_ten_thousandths),
        }
    }

    /// The value of each item (`None`: left out, or not evaluable, for want of data) and
    /// the total, in `1 / den` points; the total is `None` when the unit is not evaluable.
    ///
    /// When items are left out, the indicator items that were measured are scaled up to
    /// the scheme's indicator points: `earned × all ÷ measured`, rounded half away from
    /// zero to a whole `1 / den` of a point (10⁻⁸ points or finer, far below the printed
    /// places). Penalties are not scaled. A unit none of whose indicator items could be
    /// measured is not evaluable (there is nothing to scale).
    pub(crate) fn score_items(
        &self,
        values: &IndicatorValues,
        count: impl Fn(Counter) -> u64,
        items: &mut Vec<Option<i128>>,
    ) -> Option<i128> {
        items.clear();
        self.scored(values, count, |v| items.push(v))
    }

    /// The total alone.
    pub(crate) fn score(
        &self,
        values: &IndicatorValues,
        count: impl Fn(Counter) -> u64,
    ) -> Option<i128> {
        self.scored(values, count, |_| {})
    }

    /// Scores every item, handing each value to `each`, and gives the total.
    #[inline]
    fn scored(
        &self,
        values: &IndicatorValues,
        count: impl Fn(Counter) -> u64,
        mut each: impl FnMut(Option<i128>),
    ) -> Option<i128> {
        let mut sum = Sum::default();
        for it in &self.items {
            let v = self.item(it, values, &count);
            sum.add(it, v);
            each(v);
        }
        self.total(&sum)
    }

    fn total(&self, sum: &Sum) -> Option<i128> {
        if sum.not_evaluable || (self.indicator_points > 0 && sum.measured == 0) {
            return None;
        }
        let earned = if sum.measured == self.indicator_points {
            sum.earned
        } else {
            // Exact to 1 / den: the product fits (earned < 10⁴ points × den ≤ 10²¹ and the
            // points < 10¹⁰).
            rounded(
                sum.earned.saturating_mul(self.indicator_points),
                sum.measured,
                0,
            )
        };
        let total = earned + sum.penalties;
        Some(match self.floor {
            Some(f) => total.max(f * 10_000 * self.l),
            None => total,
        })
    }

    fn item(
        &self,
        it: &Item,
        values: &IndicatorValues,
        count: &impl Fn(Counter) -> u64,
    ) -> Option<i128> {
        // One point is 10⁴ × 10⁴ × l units of 1 / den; `points` is in ten-thousandths.
        let unit = 10_000 * self.l;
        match *it {
            Item::Penalty {
                counter,
                points,
                max,
            } => {
                let n = i128::from(count(counter));
                let mut d = points.saturating_mul(n);
                if let Some(m) = max {
                    d = d.min(m);
                }
                Some(-d * unit)
            }
            Item::Indicator {
                indicator,
                points,
                rule,
                missing,
            } => {
                let full = points * unit;
                let Some(rate) = values.get(indicator as usize).copied().flatten() else {
                    return match missing {
                        Missing::Zero => Some(0),
                        Missing::LeftOut | Missing::NotEvaluable => None,
                    };
                };
                let r = i128::from(rate.ten_thousandths());
                let lower = indicator.lower_is_better();
                Some(match rule {
                    Rule::Weighted => {
                        if indicator.is_mean() {
                            points * r * self.l_fifth
                        } else if lower {
                            points * (10_000 - r.min(10_000)) * self.l
                        } else {
                            points * r * self.l
                        }
                    }
                    Rule::AtLeast(t) => {
                        if r >= t {
                            full
                        } else {
                            0
                        }
                    }
                    Rule::AtMost(t) => {
                        if r <= t {
                            full
                        } else {
                            0
                        }
                    }
                    Rule::Linear {
                        full: f,
                        minus,
                        step,
                    } => {
                        let short = if lower { r - f } else { f - r };
                        if short <= 0 {
                            full
                        } else {
                            // minus × (short ÷ per) points, exact since per divides l.
                            (full - step * minus * short).max(0)
                        }
                    }
                    Rule::Proportional { full: f, step } => {
                        if r >= f {
                            full
                        } else {
                            step * points * r
                        }
                    }
                })
            }
        }
    }

    /// Number of items.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }
}

/// The items of one unit added up, as [`Scheme::total`] reads them.
#[derive(Default)]
struct Sum {
    /// Points earned by the indicator items measured.
    earned: i128,
    /// Their points at stake, in ten-thousandths.
    measured: i128,
    penalties: i128,
    not_evaluable: bool,
}

impl Sum {
    fn add(&mut self, it: &Item, v: Option<i128>) {
        match (it, v) {
            (Item::Penalty { .. }, v) => self.penalties += v.unwrap_or(0),
            (Item::Indicator { points, .. }, Some(v)) => {
                self.earned += v;
                self.measured += points;
            }
            (Item::Indicator { missing, .. }, None) => {
                self.not_evaluable |= *missing == Missing::NotEvaluable;
            }
        }
    }
}

/// `value ÷ den` rounded to `places`, half away from zero, as text.
pub(crate) fn fixed(value: i128, den: i128, places: u32) -> String {
    crate::ratio::fixed_decimal(value, den, places)
}

/// `value ÷ den` rounded to `places`, half away from zero, as a whole number of
/// `10^-places`.
pub(crate) fn rounded(value: i128, den: i128, places: u32) -> i128 {
    let scaled = value.saturating_mul(10i128.saturating_pow(places));
    let q = scaled / den;
    let r = scaled % den;
    if r.abs().saturating_mul(2) >= den {
        q + scaled.signum()
    } else {
        q
    }
}

crate::tsdecl::ts_alias!(Rate = "string");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Location;
    use crate::rules::scoring::{ScoringSpec, check};

    #[test]
    fn rates_round_half_up_to_four_places() {
        assert_eq!(Rate::of(2, 3).unwrap().to_string(), "0.6667");
        assert_eq!(Rate::of(1, 3).unwrap().to_string(), "0.3333");
        assert_eq!(Rate::of(1, 20_000).unwrap().to_string(), "0.0001");
        assert_eq!(Rate::of(1, 20_001).unwrap().to_string(), "0.0000");
        assert_eq!(Rate::of(5, 5).unwrap(), Rate::ONE);
        assert_eq!(Rate::of(9, 2).unwrap().to_string(), "4.5000");
        assert_eq!(Rate::of(0, 0), None);
    }

    fn score_of(s: &Scheme, values: &IndicatorValues, n: u64) -> Option<String> {
        s.score(values, |_| n).map(|v| fixed(v, s.den, 2))
    }

    #[test]
    fn the_default_scheme_is_valid_and_scores_100_when_perfect() {
        let spec = ScoringSpec::default();
        let mut errors = Vec::new();
        check(&spec, &Location::default(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let s = Scheme::compile(&spec.scheme);
        let perfect = [Some(Rate::ONE); 15];
        assert_eq!(score_of(&s, &perfect, 0).as_deref(), Some("100.00"));
        // Nothing measured: not evaluable, never full marks.
        assert_eq!(score_of(&s, &[None; 15], 0), None);
        // Three reopenings and one failed inspection: −6 − 5.
        let v = s.score(&perfect, |c| match c {
            Counter::Reopened => 3,
            Counter::FailedInspections => 1,
            _ => 0,
        });
        assert_eq!(v.map(|v| fixed(v, s.den, 2)).as_deref(), Some("89.00"));
        // Penalties stop at their max and the score at its floor.
        assert_eq!(score_of(&s, &perfect, 1_000).as_deref(), Some("70.00"));
    }

    /// The indicators of the default scheme, by name.
    fn values(pairs: &[(Indicator, u32)]) -> IndicatorValues {
        let mut v = [None; 15];
        for (i, r) in pairs {
            v[*i as usize] = Some(Rate::from_ten_thousandths(*r));
        }
        v
    }

    #[test]
    fn missing_data_follows_each_items_choice() {
        let s = Scheme::compile(&ScoringSpec::default().scheme);
        // Closure rate missing (not evaluable): no score whatever else was measured.
        let all_but_closure = values(&[
            (Indicator::OnTimeRate, 10_000),
            (Indicator::InGridRate, 10_000),
            (Indicator::SatisfactionRate, 10_000),
            (Indicator::VisitCoverage, 10_000),
            (Indicator::TimelyAcceptanceRate, 10_000),
        ]);
        assert_eq!(score_of(&s, &all_but_closure, 0), None);
        // On time and satisfaction left out (50 of 100 points): the other 50 points
        // measured in full scale up to 100.
        let half = values(&[
            (Indicator::ClosureRate, 10_000),
            (Indicator::InGridRate, 10_000),
            (Indicator::VisitCoverage, 10_000),
            (Indicator::TimelyAcceptanceRate, 10_000),
        ]);
        assert_eq!(score_of(&s, &half, 0).as_deref(), Some("100.00"));
        // In-grid missing scores zero and keeps its weight: 85 of 100.
        let no_in_grid = values(&[
            (Indicator::OnTimeRate, 10_000),
            (Indicator::ClosureRate, 10_000),
            (Indicator::SatisfactionRate, 10_000),
            (Indicator::VisitCoverage, 10_000),
            (Indicator::TimelyAcceptanceRate, 10_000),
        ]);
        assert_eq!(score_of(&s, &no_in_grid, 0).as_deref(), Some("85.00"));
        // Scaling is exact to 1/den and rounds only when printed: 15 + 15 + 10 + 0 + 10
        // earned of 70 measured (on time left out) → 50 × 100 ÷ 70 = 71.428571…
        let sevenths = values(&[
            (Indicator::ClosureRate, 10_000),
            (Indicator::InGridRate, 10_000),
            (Indicator::VisitCoverage, 10_000),
            (Indicator::TimelyAcceptanceRate, 0),
            (Indicator::SatisfactionRate, 5_000),
        ]);
        let v = s.score(&sevenths, |_| 0).unwrap_or_default();
        assert_eq!(fixed(v, s.den, 2), "71.43");
        assert_eq!(v, rounded(50 * 100 * s.den, 70, 0));
        // Penalties are not scaled: 100 − 2.
        let v = s.score(&half, |c| u64::from(c == Counter::Reopened));
        assert_eq!(v.map(|v| fixed(v, s.den, 2)).as_deref(), Some("98.00"));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(rounded(125, 1000, 2), 13);
        assert_eq!(rounded(-125, 1000, 2), -13);
        assert_eq!(rounded(124, 1000, 2), 12);
    }
}
