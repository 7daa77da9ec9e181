//! Rates to four places, and a score scheme compiled to
//! integer arithmetic over one common denominator, so that scoring a grid is a handful of
//! integer operations and every score is exact.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::ratio::{Ratio, lcm};
use crate::rules::scoring::{Counter, Indicator, MAX_L, SchemeSpec, WhenEmpty};

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
    when_empty: WhenEmpty,
    floor: Option<i128>,
    /// `l ÷ 5`, for a weighted mean (5 divides `l` then).
    l_fifth: i128,
}

/// What an indicator item reads, by indicator.
pub(crate) type IndicatorValues = [Option<Rate>; 9];

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
        Self {
            l_fifth: l / 5,
            items,
            den: 100_000_000 * l,
            l,
            when_empty: spec.when_empty,
            floor: spec.floor.and_then(Ratio::in_ten_thousandths),
        }
    }

    /// The value of each item and the total, in `1 / den` points.
    pub(crate) fn score_items(
        &self,
        values: &IndicatorValues,
        count: impl Fn(Counter) -> u64,
        items: &mut Vec<i128>,
    ) -> i128 {
        items.clear();
        let mut total = 0i128;
        for it in &self.items {
            let v = self.item(it, values, &count);
            items.push(v);
            total += v;
        }
        self.floored(total)
    }

    /// The total alone.
    pub(crate) fn score(&self, values: &IndicatorValues, count: impl Fn(Counter) -> u64) -> i128 {
        let total = self
            .items
            .iter()
            .map(|it| self.item(it, values, &count))
            .sum();
        self.floored(total)
    }

    fn floored(&self, total: i128) -> i128 {
        match self.floor {
            Some(f) => total.max(f * 10_000 * self.l),
            None => total,
        }
    }

    fn item(&self, it: &Item, values: &IndicatorValues, count: &impl Fn(Counter) -> u64) -> i128 {
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
                -d * unit
            }
            Item::Indicator {
                indicator,
                points,
                rule,
            } => {
                let full = points * unit;
                let Some(rate) = values.get(indicator as usize).copied().flatten() else {
                    return match self.when_empty {
                        WhenEmpty::Full => full,
                        WhenEmpty::Zero => 0,
                    };
                };
                let r = i128::from(rate.ten_thousandths());
                let lower = indicator.lower_is_better();
                match rule {
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
                }
            }
        }
    }

    /// Number of items.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
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

    #[test]
    fn the_default_scheme_is_valid_and_scores_100_when_perfect() {
        let spec = ScoringSpec::default();
        let mut errors = Vec::new();
        check(&spec, &Location::default(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let s = Scheme::compile(&spec.scheme);
        let perfect = [Some(Rate::ONE); 9];
        let v = s.score(&perfect, |_| 0);
        assert_eq!(fixed(v, s.den, 2), "100.00");
        let empty = [None; 9];
        assert_eq!(fixed(s.score(&empty, |_| 0), s.den, 2), "100.00");
        // Three reopenings and one failed inspection: −6 − 5.
        let v = s.score(&perfect, |c| match c {
            Counter::Reopened => 3,
            Counter::FailedInspections => 1,
            _ => 0,
        });
        assert_eq!(fixed(v, s.den, 2), "89.00");
        // Penalties stop at their max and the score at its floor.
        let v = s.score(&empty, |_| 1_000);
        assert_eq!(fixed(v, s.den, 2), "70.00");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(rounded(125, 1000, 2), 13);
        assert_eq!(rounded(-125, 1000, 2), -13);
        assert_eq!(rounded(124, 1000, 2), 12);
    }
}
