//! Exact decimals with two places (money in fen, attribute numbers), parsed from text or
//! JSON numbers without going through binary floating point arithmetic.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::truncate_for_message;

/// The largest magnitude accepted, in hundredths (10^15 yuan).
pub const MAX_HUNDREDTHS: i64 = 100_000_000_000_000_000;

/// A decimal with two places, stored as an integer number of hundredths: for money, fen.
///
/// Parses `1500`, `1500.5`, `1500.50`, `-3.25` (text or a JSON number); refuses more than
/// two decimal places rather than rounding. Prints with exactly two places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fixed2(i64);

/// A decimal could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid amount: {reason}")]
pub struct Fixed2Error {
    /// The value, shortened if long.
    pub value: String,
    /// Why.
    pub reason: &'static str,
}

impl Fixed2 {
    /// Zero.
    pub const ZERO: Fixed2 = Fixed2(0);

    /// From hundredths (fen).
    #[must_use]
    pub const fn from_hundredths(h: i64) -> Self {
        Self(h)
    }

    /// From a whole number of units (yuan).
    #[must_use]
    pub const fn from_units(u: i64) -> Self {
        Self(u.saturating_mul(100))
    }

    /// Hundredths (fen).
    #[must_use]
    pub const fn hundredths(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Fixed2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl FromStr for Fixed2 {
    type Err = Fixed2Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(hundredths) = plain_hundredths(s.as_bytes()) {
            return Ok(Self(hundredths));
        }
        Self::read(s)
    }
}

/// The hundredths of an amount written the plain way, `1500`, `1500.5` or `1500.50` (1 to
/// 13 digits, then at most two places): what most amounts are, read without the general
/// reader's trimming, signs and separators. `None` for any other text, which
/// [`Fixed2::read`] reads (a property test holds the two equal).
fn plain_hundredths(b: &[u8]) -> Option<i64> {
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(dot) => (b.get(..dot)?, b.get(dot + 1..)?),
        None => (b, &[][..]),
    };
    if int.is_empty() || int.len() > 13 || frac.len() > 2 {
        return None;
    }
    let mut value: i64 = 0;
    for &c in int {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(c - b'0');
    }
    let mut places = 0;
    for &c in frac {
        if !c.is_ascii_digit() {
            return None;
        }
        places = places * 10 + i64::from(c - b'0');
    }
    Some(value * 100 + if frac.len() == 1 { places * 10 } else { places })
}

impl Fixed2 {
    /// The general reader behind [`FromStr`].
    fn read(s: &str) -> Result<Self, Fixed2Error> {
        let bad = |reason| Fixed2Error {
            value: truncate_for_message(s),
            reason,
        };
        let t = s.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        // Digit-group separators (`1_500`, `1,500`) are dropped; most amounts have none.
        let int: std::borrow::Cow<'_, str> = if int.contains(['_', ',']) {
            int.replace(['_', ','], "").into()
        } else {
            int.into()
        };
        if int.is_empty() && frac.is_empty() {
            return Err(bad("expected a number such as `1500` or `1500.50`"));
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("expected a number such as `1500` or `1500.50`"));
        }
        if frac.len() > 2 {
            // Trailing zeros beyond two places are harmless (`1.500`); other digits are not.
            if frac.bytes().skip(2).any(|b| b != b'0') {
                return Err(bad("at most two decimal places (fen) are allowed"));
            }
        }
        let int_value: i64 = if int.is_empty() {
            0
        } else {
            int.parse()
                .map_err(|_| bad("too large; amounts are at most 10^15"))?
        };
        let mut digits = frac
            .bytes()
            .chain(*b"00")
            .take(2)
            .map(|b| i64::from(b - b'0'));
        let frac_value = digits.next().unwrap_or(0) * 10 + digits.next().unwrap_or(0);
        let total = int_value
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac_value))
            .filter(|v| *v <= MAX_HUNDREDTHS)
            .ok_or_else(|| bad("too large; amounts are at most 10^15"))?;
        Ok(Self(if neg { -total } else { total }))
    }
}

impl Serialize for Fixed2 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fixed2 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Fixed2;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number with at most two decimal places, as a number or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Fixed2, E> {
                v.checked_mul(100)
                    .filter(|h| h.abs() <= MAX_HUNDREDTHS)
                    .map(Fixed2)
                    .ok_or_else(|| {
                        E::custom(format!("`{v}` is too large; amounts are at most 10^15"))
                    })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Fixed2, E> {
                i64::try_from(v)
                    .map_err(|_| {
                        E::custom(format!("`{v}` is too large; amounts are at most 10^15"))
                    })
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Fixed2, E> {
                if !v.is_finite() {
                    return Err(E::custom("amounts must be finite numbers"));
                }
                // The shortest text that reads back as the same double is the number as
                // written in the JSON for every value with up to 15 significant digits.
                format!("{v}").parse::<Fixed2>().map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Fixed2, E> {
                v.parse::<Fixed2>().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

crate::tsdecl::ts_alias!(Fixed2 = "string");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print_exactly() {
        for (text, h, shown) in [
            ("0", 0, "0.00"),
            ("1500", 150_000, "1500.00"),
            ("1500.5", 150_050, "1500.50"),
            ("1500.05", 150_005, "1500.05"),
            ("0.1", 10, "0.10"),
            (".5", 50, "0.50"),
            ("-3.25", -325, "-3.25"),
            ("1,000,000.00", 100_000_000, "1000000.00"),
            ("2.500", 250, "2.50"),
        ] {
            let v: Fixed2 = text.parse().unwrap();
            assert_eq!(v.hundredths(), h, "{text}");
            assert_eq!(v.to_string(), shown, "{text}");
        }
        for bad in [
            "",
            "abc",
            "1.234",
            "1e3",
            "--1",
            "1.2.3",
            "99999999999999999999",
            "1000000000000000.01",
        ] {
            assert!(bad.parse::<Fixed2>().is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        /// The plain-amount fast path reads what the general reader reads, and leaves
        /// everything else to it.
        #[test]
        fn the_plain_path_is_the_general_reader(
            text in "[+-]?[0-9]{0,15}(\\.[0-9]{0,4})?|[0-9 ,._a-]{0,8}",
        ) {
            if let Some(h) = plain_hundredths(text.as_bytes()) {
                proptest::prop_assert_eq!(Fixed2::read(&text).map(Fixed2::hundredths), Ok(h));
            }
            proptest::prop_assert_eq!(text.parse::<Fixed2>(), Fixed2::read(&text));
        }
    }

    #[test]
    fn json_numbers_and_strings() {
        let v: Fixed2 = serde_json::from_str("1500.55").unwrap();
        assert_eq!(v.hundredths(), 150_055);
        let v: Fixed2 = serde_json::from_str("0.07").unwrap();
        assert_eq!(v.hundredths(), 7);
        let v: Fixed2 = serde_json::from_str("\"19.99\"").unwrap();
        assert_eq!(v.hundredths(), 1999);
        let v: Fixed2 = serde_json::from_str("123456789012.34").unwrap();
        assert_eq!(v.hundredths(), 12_345_678_901_234);
        assert!(serde_json::from_str::<Fixed2>("1.005").is_err());
        assert!(serde_json::from_str::<Fixed2>("1e300").is_err());
        assert!(serde_json::from_str::<Fixed2>("18446744073709551615").is_err());
        assert!(serde_json::from_str::<Fixed2>("true").is_err());
        assert_eq!(
            serde_json::to_string(&Fixed2::from_hundredths(5)).unwrap(),
            "\"0.05\""
        );
    }
}
