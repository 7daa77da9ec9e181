//! Exact rational numbers for rates and scores, printed with a fixed number of places so
//! that every platform prints the same digits.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::truncate_for_message;

/// An exact fraction `num / den` with `den > 0`, kept in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

/// The largest numerator or denominator a ratio may reach before it is reduced; past it
/// the arithmetic saturates rather than overflowing.
const LIMIT: i128 = 1 << 100;

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a.max(1)
}

/// The least common multiple of two positive numbers (saturating); with a zero, the other.
#[must_use]
pub fn lcm(a: i128, b: i128) -> i128 {
    if a == 0 || b == 0 {
        return a.max(b);
    }
    (a / gcd(a, b)).saturating_mul(b)
}

impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// One.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`; a zero denominator gives zero.
    #[must_use]
    pub fn new(num: i128, den: i128) -> Self {
        if den == 0 {
            return Self::ZERO;
        }
        let sign = if den < 0 { -1 } else { 1 };
        let g = gcd(num, den);
        let (num, den) = (sign * num / g, sign * den / g);
        if num.abs() > LIMIT || den > LIMIT {
            // Keep the value, lose precision far below anything printed.
            let scale = (num.abs().max(den) / LIMIT).max(1) + 1;
            return Self::new(num / scale, (den / scale).max(1));
        }
        Self { num, den }
    }

    /// The value in ten-thousandths, if it has at most four decimal places.
    #[must_use]
    pub fn in_ten_thousandths(self) -> Option<i128> {
        let n = self.num.checked_mul(10_000)?;
        (n % self.den == 0).then(|| n / self.den)
    }

    /// A whole number.
    #[must_use]
    pub const fn int(n: i64) -> Self {
        Self {
            num: n as i128,
            den: 1,
        }
    }

    /// A count over a count; `None` when the denominator is zero (an empty rate).
    #[must_use]
    pub fn rate(part: u64, whole: u64) -> Option<Self> {
        (whole > 0).then(|| Self::new(i128::from(part), i128::from(whole)))
    }

    /// The numerator.
    #[must_use]
    pub const fn numer(self) -> i128 {
        self.num
    }

    /// The denominator.
    #[must_use]
    pub const fn denom(self) -> i128 {
        self.den
    }

    /// The larger.
    #[must_use]
    pub fn max(self, o: Self) -> Self {
        if self >= o { self } else { o }
    }

    /// The smaller.
    #[must_use]
    pub fn min(self, o: Self) -> Self {
        if self <= o { self } else { o }
    }

    /// Whether it is below zero.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.num < 0
    }

    /// The value rounded to `places` decimals, half away from zero, as scaled integer and
    /// text: `fixed(2)` of 87.125 is `87.13`.
    #[must_use]
    pub fn fixed(self, places: u32) -> String {
        fixed_decimal(self.num, self.den, places)
    }

    /// `floor(self * n)` for allocations, with the remainder as a ratio in [0, 1).
    #[must_use]
    pub fn floor_times(self, n: i128) -> (i128, Ratio) {
        let scaled = self.num.saturating_mul(n);
        let q = scaled.div_euclid(self.den);
        let r = scaled.rem_euclid(self.den);
        (q, Ratio::new(r, self.den))
    }
}

/// `num ÷ den` (`den > 0`, in any terms) rounded to `places` decimals, half away from
/// zero, as text.
pub(crate) fn fixed_decimal(num: i128, den: i128, places: u32) -> String {
    let den = den.max(1);
    let scale = 10i128.saturating_pow(places);
    let scaled = num.saturating_mul(scale);
    let q = scaled / den;
    let r = scaled % den;
    // Half away from zero: compare twice the remainder with the denominator.
    let q = if r.abs().saturating_mul(2) >= den {
        q + scaled.signum()
    } else {
        q
    };
    let sign = if q < 0 { "-" } else { "" };
    let a = q.unsigned_abs();
    let s = scale.unsigned_abs();
    if places == 0 {
        format!("{sign}{a}")
    } else {
        format!("{sign}{}.{:0width$}", a / s, a % s, width = places as usize)
    }
}

impl std::ops::Add for Ratio {
    type Output = Ratio;
    /// Sum (saturating far beyond any score).
    fn add(self, o: Self) -> Self {
        Self::new(
            self.num
                .saturating_mul(o.den)
                .saturating_add(o.num.saturating_mul(self.den)),
            self.den.saturating_mul(o.den),
        )
    }
}

impl std::ops::Neg for Ratio {
    type Output = Ratio;
    fn neg(self) -> Self {
        Self {
            num: -self.num,
            den: self.den,
        }
    }
}

impl std::ops::Sub for Ratio {
    type Output = Ratio;
    fn sub(self, o: Self) -> Self {
        self + (-o)
    }
}

impl std::ops::Mul for Ratio {
    type Output = Ratio;
    fn mul(self, o: Self) -> Self {
        Self::new(
            self.num.saturating_mul(o.num),
            self.den.saturating_mul(o.den),
        )
    }
}

impl std::ops::Div for Ratio {
    type Output = Ratio;
    /// Quotient; dividing by zero gives zero.
    fn div(self, o: Self) -> Self {
        Self::new(
            self.num.saturating_mul(o.den),
            self.den.saturating_mul(o.num),
        )
    }
}

impl Ord for Ratio {
    fn cmp(&self, o: &Self) -> Ordering {
        self.num
            .saturating_mul(o.den)
            .cmp(&o.num.saturating_mul(self.den))
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Ratio {
    /// Exactly: a decimal when the value has one of at most 30 places (`0.95`, `-2.5`,
    /// `7`), else the fraction (`2/3`). Use [`Ratio::fixed`] for a fixed number of places.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.den;
        let mut places = 0u32;
        while d % 10 == 0 {
            d /= 10;
            places += 1;
        }
        while d % 2 == 0 || d % 5 == 0 {
            if places >= 30 {
                break;
            }
            d = if d % 2 == 0 { d / 2 } else { d / 5 };
            places += 1;
        }
        if d != 1 {
            return write!(f, "{}/{}", self.num, self.den);
        }
        let text = self.fixed(places);
        // Trailing zeros of the decimal part carry nothing.
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            text
        };
        f.write_str(&text)
    }
}

/// A decimal could not be read as a ratio.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid number: {reason}")]
pub struct RatioError {
    /// The value.
    pub value: String,
    /// Why.
    pub reason: &'static str,
}

impl FromStr for Ratio {
    type Err = RatioError;

    /// Reads `87.5`, `-3`, `95%` (= 0.95) or `3/4`, exactly.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason| RatioError {
            value: truncate_for_message(s),
            reason,
        };
        let t = s.trim();
        if let Some((a, b)) = t.split_once('/') {
            let a: Ratio = a.parse()?;
            let b: Ratio = b.parse()?;
            if b == Ratio::ZERO {
                return Err(bad("division by zero"));
            }
            return Ok(a / b);
        }
        let (t, percent) = match t.strip_suffix('%') {
            Some(x) => (x.trim(), true),
            None => (t, false),
        };
        let (neg, t) = match t.strip_prefix('-') {
            Some(x) => (true, x),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad("expected a number such as `87.5`, `95%` or `3/4`"));
        }
        if int.len() + frac.len() > 30 {
            return Err(bad("too many digits (at most 30)"));
        }
        let digits: i128 = format!("{int}{frac}")
            .trim_start_matches('0')
            .parse()
            .unwrap_or(0);
        let mut den = 10i128.saturating_pow(u32::try_from(frac.len()).unwrap_or(30));
        if percent {
            den = den.saturating_mul(100);
        }
        Ok(Ratio::new(if neg { -digits } else { digits }, den))
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Ratio;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a string such as \"87.5\", \"95%\" or \"3/4\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Ratio, E> {
                Ok(Ratio::int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Ratio, E> {
                Ok(Ratio::new(i128::from(v), 1))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Ratio, E> {
                if !v.is_finite() {
                    return Err(E::custom("numbers must be finite"));
                }
                format!("{v}").parse().map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Ratio, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

crate::tsdecl::ts_alias!(Ratio = "string");

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Ratio {
        s.parse().unwrap()
    }

    #[test]
    fn parse_exactly() {
        assert_eq!(r("95%"), Ratio::new(19, 20));
        assert_eq!(r("0.95"), Ratio::new(19, 20));
        assert_eq!(r("3/4"), Ratio::new(3, 4));
        assert_eq!(r("-2.5"), Ratio::new(-5, 2));
        assert_eq!(r("12.5%"), Ratio::new(1, 8));
        assert_eq!(r("7"), Ratio::int(7));
        for bad in ["", "abc", "1e3", "1/0", "--1", "1.2.3"] {
            assert!(bad.parse::<Ratio>().is_err(), "{bad}");
        }
    }

    #[test]
    fn fixed_rounds_half_away_from_zero() {
        assert_eq!(r("87.125").fixed(2), "87.13");
        assert_eq!(r("87.124").fixed(2), "87.12");
        assert_eq!(r("-87.125").fixed(2), "-87.13");
        assert_eq!(Ratio::new(2, 3).fixed(4), "0.6667");
        assert_eq!(Ratio::new(1, 3).fixed(0), "0");
        assert_eq!(Ratio::new(1, 2).fixed(0), "1");
        assert_eq!(Ratio::ZERO.fixed(2), "0.00");
        assert_eq!(Ratio::int(100).fixed(2), "100.00");
        assert_eq!(Ratio::new(-1, 3).fixed(2), "-0.33");
    }

    #[test]
    fn display_is_exact() {
        assert_eq!(r("95%").to_string(), "0.95");
        assert_eq!(r("-2.5").to_string(), "-2.5");
        assert_eq!(r("7").to_string(), "7");
        assert_eq!(r("0.00001").to_string(), "0.00001");
        assert_eq!(Ratio::new(2, 3).to_string(), "2/3");
        assert_eq!(Ratio::new(1, 40).to_string(), "0.025");
        assert_eq!(Ratio::ZERO.to_string(), "0");
    }

    #[test]
    fn arithmetic_and_order() {
        let a = Ratio::new(1, 3);
        let b = Ratio::new(1, 6);
        assert_eq!(a + b, Ratio::new(1, 2));
        assert_eq!(a - b, b);
        assert_eq!(a * b, Ratio::new(1, 18));
        assert_eq!(a / b, Ratio::int(2));
        assert!(a > b);
        assert_eq!(Ratio::rate(0, 0), None);
        assert_eq!(Ratio::rate(3, 4), Some(Ratio::new(3, 4)));
        let (q, rem) = Ratio::new(7, 3).floor_times(10);
        assert_eq!((q, rem), (23, Ratio::new(1, 3)));
    }
}
