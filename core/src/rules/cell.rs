//! Cells: the compact text tests of a decision table, parsed into conditions that evaluate
//! without allocating and that support the set algebra behind overlap warnings.
//!
//! The text form fits a spreadsheet cell:
//!
//! | cell | meaning |
//! |---|---|
//! | `-` or empty | any value |
//! | `neighbour_dispute` | equals |
//! | `neighbour_dispute, debt_dispute` | one of |
//! | `not petition` / `not a, b` | none of |
//! | `>= 5`, `> 5`, `<= 5`, `< 5`, `= 5`, `!= 5` | comparisons (also `≥ ≤ ≠`) |
//! | `[1..4]`, `(1..4)`, `[1..4)`, `(1..4]` | ranges, inclusive `[` `]` or exclusive `(` `)` |
//! | `< 10, >= 100` | several numeric tests: any may match |
//! | `mass_incident` on `risk_flags` | the case has that flag (`a, b`: any of them) |
//! | `none` on `risk_flags` | the case has no flag |
//! | `not a, b` on `risk_flags` | the case has none of them |
//!
//! Numbers are exact: `amount_yuan` and number attributes take up to two decimal places,
//! counts take whole numbers. Full-width commas (`，`) are accepted.

use crate::fixed::Fixed2;
use crate::time::Timestamp;

/// What kind of values a column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    /// Indices into a closed list of names (categories, channels, choices, booleans).
    Choice(Vec<String>),
    /// A set of indices into a closed list (risk flags, multi-value choices).
    Set(Vec<String>),
    /// Integers, with `scale` units per whole number (1 for counts, 100 for money).
    Number { scale: i64, min: i64 },
    /// Timestamps, compared as seconds since 1970.
    DateTime,
    /// Open-ended text (unit ids, free-text attributes).
    Text,
}

/// A bitset over a closed list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Bits(Box<[u64]>);

impl Bits {
    pub(crate) fn empty(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64).max(1)].into_boxed_slice())
    }

    pub(crate) fn full(n: usize) -> Self {
        let mut b = Self::empty(n);
        for i in 0..n {
            b.insert(i);
        }
        b
    }

    pub(crate) fn insert(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    #[inline]
    pub(crate) fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Number of 64-bit words.
    pub(crate) fn words(&self) -> usize {
        self.0.len()
    }

    /// The first word.
    pub(crate) fn word(&self) -> u64 {
        self.0.first().copied().unwrap_or(0)
    }

    fn intersects(&self, other: &Self) -> bool {
        self.0.iter().zip(other.0.iter()).any(|(a, b)| a & b != 0)
    }

    fn is_subset_of(&self, other: &Self) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a & !b == 0)
    }

    fn complement(&self, n: usize) -> Self {
        let mut out = Self::empty(n);
        for i in 0..n {
            if !self.contains(i) {
                out.insert(i);
            }
        }
        out
    }

    /// The indices in the set.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| wi * 64 + b)
        })
    }
}

/// A parsed cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cond {
    /// Matches every value (`-`).
    Any,
    /// The value's index is in the set (already complemented for `not`).
    Choice(Bits),
    /// The value is in one of the inclusive ranges (sorted, disjoint, merged).
    Ranges(Box<[(i64, i64)]>),
    /// The value (a set) has at least one of these members.
    HasAny(Bits),
    /// The value (a set) has none of these members.
    HasNone(Bits),
    /// The value is one of these strings (sorted), or with `negated`, none of them.
    Text {
        values: Box<[Box<str>]>,
        negated: bool,
    },
}

/// A case fact as a condition sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Fact<'a> {
    /// An index into a closed list.
    Index(usize),
    /// A number (scaled) or a timestamp (seconds).
    Int(i64),
    /// A set of indices that fits in one word.
    Mask(u64),
    /// Text.
    Text(&'a str),
    /// The case does not give this fact (an optional attribute).
    Missing,
}

impl Cond {
    /// Whether the fact satisfies the condition. Never allocates.
    #[inline]
    pub(crate) fn test(&self, fact: Fact<'_>) -> bool {
        match (self, fact) {
            (Cond::Any, _) => true,
            (_, Fact::Missing) => false,
            (Cond::Choice(bits), Fact::Index(i)) => bits.contains(i),
            (Cond::Ranges(rs), Fact::Int(v)) => rs.iter().any(|&(lo, hi)| lo <= v && v <= hi),
            (Cond::HasAny(bits), Fact::Mask(m)) => bits.0.first().is_some_and(|w| w & m != 0),
            (Cond::HasNone(bits), Fact::Mask(m)) => bits.0.first().is_none_or(|w| w & m == 0),
            (Cond::Text { values, negated }, Fact::Text(t)) => {
                values.binary_search_by(|v| (**v).cmp(t)).is_ok() != *negated
            }
            _ => false,
        }
    }

    /// No value satisfies the condition.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cond::Any | Cond::HasNone(_) => false,
            Cond::Choice(b) | Cond::HasAny(b) => b.is_empty(),
            Cond::Ranges(r) => r.is_empty(),
            Cond::Text { values, negated } => values.is_empty() && !negated,
        }
    }

    /// Some value satisfies both conditions (of the same column).
    pub(crate) fn intersects(&self, other: &Cond) -> bool {
        match (self, other) {
            (Cond::Any, x) | (x, Cond::Any) => !x.is_empty(),
            (Cond::Choice(a), Cond::Choice(b)) => a.intersects(b),
            (Cond::Ranges(a), Cond::Ranges(b)) => a
                .iter()
                .any(|&(l1, h1)| b.iter().any(|&(l2, h2)| l1 <= h2 && l2 <= h1)),
            (Cond::HasAny(a), Cond::HasAny(b)) => !a.is_empty() && !b.is_empty(),
            (Cond::HasAny(a), Cond::HasNone(b)) | (Cond::HasNone(b), Cond::HasAny(a)) => {
                !a.is_subset_of(b)
            }
            (Cond::HasNone(_), Cond::HasNone(_)) => true,
            (
                Cond::Text {
                    values: a,
                    negated: na,
                },
                Cond::Text {
                    values: b,
                    negated: nb,
                },
            ) => match (na, nb) {
                (false, false) => a.iter().any(|x| b.contains(x)),
                (false, true) => a.iter().any(|x| !b.contains(x)),
                (true, false) => b.iter().any(|x| !a.contains(x)),
                (true, true) => true,
            },
            _ => false,
        }
    }

    /// Every value that satisfies `other` satisfies `self` (same column).
    pub(crate) fn covers(&self, other: &Cond) -> bool {
        if other.is_empty() {
            return true;
        }
        match (self, other) {
            (Cond::Any, _) => true,
            (_, Cond::Any) => false,
            (Cond::Choice(a), Cond::Choice(b)) => b.is_subset_of(a),
            (Cond::Ranges(a), Cond::Ranges(b)) => b
                .iter()
                .all(|&(l2, h2)| a.iter().any(|&(l1, h1)| l1 <= l2 && h2 <= h1)),
            (Cond::HasAny(a), Cond::HasAny(b)) => b.is_subset_of(a),
            (Cond::HasNone(a), Cond::HasNone(b)) => a.is_subset_of(b),
            (Cond::HasNone(a), Cond::HasAny(_)) => a.is_empty(),
            (
                Cond::Text {
                    values: a,
                    negated: na,
                },
                Cond::Text {
                    values: b,
                    negated: nb,
                },
            ) => match (na, nb) {
                (false, false) => b.iter().all(|x| a.contains(x)),
                (true, true) => a.iter().all(|x| b.contains(x)),
                (true, false) => b.iter().all(|x| !a.contains(x)),
                (false, true) => false,
            },
            _ => false,
        }
    }
}

/// Normalises the spreadsheet-friendly forms: full-width punctuation and symbols.
fn normalise(text: &str) -> String {
    text.trim()
        .replace('，', ",")
        .replace('≥', ">=")
        .replace('≤', "<=")
        .replace('≠', "!=")
        .replace('（', "(")
        .replace('）', ")")
        .replace('【', "[")
        .replace('】', "]")
}

fn split_list(s: &str) -> Vec<&str> {
    s.split(',').map(str::trim).collect()
}

/// Parses a cell for a column of `kind`. The error is the reason, for the caller to place.
pub(crate) fn parse(text: &str, kind: &ColumnKind) -> Result<Cond, String> {
    let t = normalise(text);
    if t.is_empty() || t == "-" {
        return Ok(Cond::Any);
    }
    let (negated, body) = match t
        .strip_prefix("not ")
        .or_else(|| t.strip_prefix('!').filter(|r| !r.starts_with('=')))
    {
        Some(rest) => (true, rest.trim()),
        None => (false, t.as_str()),
    };
    if body.is_empty() {
        return Err("`not` needs values after it".to_owned());
    }
    match kind {
        ColumnKind::Choice(names) => {
            let bits = names_to_bits(body, names)?;
            Ok(Cond::Choice(if negated {
                bits.complement(names.len())
            } else {
                bits
            }))
        }
        ColumnKind::Set(names) => {
            if body == "none" {
                if negated {
                    return Err("write `none` for \"no value\"; `not none` is not a test (use a list of values)".to_owned());
                }
                return Ok(Cond::HasNone(Bits::full(names.len())));
            }
            let bits = names_to_bits(body, names)?;
            Ok(if negated {
                Cond::HasNone(bits)
            } else {
                Cond::HasAny(bits)
            })
        }
        ColumnKind::Text => {
            let mut values: Vec<Box<str>> = split_list(body).into_iter().map(Box::from).collect();
            if values.iter().any(|v| v.is_empty()) {
                return Err("empty value in the list".to_owned());
            }
            values.sort();
            values.dedup();
            Ok(Cond::Text {
                values: values.into_boxed_slice(),
                negated,
            })
        }
        ColumnKind::Number { scale, min } => {
            let ranges = numeric(body, |s| parse_number(s, *scale))?;
            Ok(Cond::Ranges(finish(ranges, negated, *min)))
        }
        ColumnKind::DateTime => {
            let ranges = numeric(body, |s| {
                s.trim()
                    .parse::<Timestamp>()
                    .map(Timestamp::unix)
                    .map_err(|e| e.to_string())
            })?;
            Ok(Cond::Ranges(finish(ranges, negated, i64::MIN)))
        }
    }
}

fn names_to_bits(body: &str, names: &[String]) -> Result<Bits, String> {
    let mut bits = Bits::empty(names.len());
    for item in split_list(body) {
        match names.iter().position(|n| n == item) {
            Some(i) => bits.insert(i),
            None => {
                return Err(format!(
                    "unknown value `{}`; valid values: {}",
                    crate::text::truncate_for_message(item),
                    names.join(", ")
                ));
            }
        }
    }
    Ok(bits)
}

fn parse_number(s: &str, scale: i64) -> Result<i64, String> {
    let v: Fixed2 = s.trim().parse().map_err(|e: crate::fixed::Fixed2Error| {
        format!("`{}` is not a number: {}", e.value, e.reason)
    })?;
    let h = v.hundredths();
    if scale == 1 {
        if h % 100 != 0 {
            return Err(format!(
                "`{}` is not a whole number; this column counts whole things",
                s.trim()
            ));
        }
        Ok(h / 100)
    } else {
        Ok(h)
    }
}

/// Parses a list of numeric tests into ranges (unsorted, possibly overlapping).
fn numeric(
    body: &str,
    num: impl Fn(&str) -> Result<i64, String>,
) -> Result<Vec<(i64, i64)>, String> {
    let mut out = Vec::new();
    for item in split_list(body) {
        if item.is_empty() {
            return Err("empty test in the list".to_owned());
        }
        let first = item.chars().next().unwrap_or(' ');
        if first == '[' || first == '(' {
            let last = item.chars().last().unwrap_or(' ');
            if last != ']' && last != ')' {
                return Err(format!("range `{item}` must end with `]` or `)`"));
            }
            let inner = item.get(1..item.len() - last.len_utf8()).unwrap_or("");
            let (a, b) = inner
                .split_once("..")
                .ok_or_else(|| format!("range `{item}` must look like `[1..4]`"))?;
            let lo = num(a)?;
            let hi = num(b)?;
            let lo = if first == '(' {
                lo.saturating_add(1)
            } else {
                lo
            };
            let hi = if last == ')' {
                hi.saturating_sub(1)
            } else {
                hi
            };
            out.push((lo, hi));
            continue;
        }
        let (op, rest) = ["!=", ">=", "<=", "==", ">", "<", "="]
            .iter()
            .find_map(|op| item.strip_prefix(op).map(|r| (*op, r)))
            .unwrap_or(("=", item));
        let v = num(rest)?;
        match op {
            ">=" => out.push((v, i64::MAX)),
            ">" => out.push((v.saturating_add(1), i64::MAX)),
            "<=" => out.push((i64::MIN, v)),
            "<" => out.push((i64::MIN, v.saturating_sub(1))),
            "!=" => {
                out.push((i64::MIN, v.saturating_sub(1)));
                out.push((v.saturating_add(1), i64::MAX));
            }
            _ => out.push((v, v)),
        }
    }
    Ok(out)
}

/// Sorts, drops empty ranges, merges, applies `not`, and clips to the column's minimum.
fn finish(mut ranges: Vec<(i64, i64)>, negated: bool, min: i64) -> Box<[(i64, i64)]> {
    ranges.retain(|(lo, hi)| lo <= hi);
    ranges.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    if negated {
        let mut comp = Vec::new();
        let mut next = i64::MIN;
        let mut open = true;
        for (lo, hi) in &merged {
            if *lo > next {
                comp.push((next, lo - 1));
            }
            if *hi == i64::MAX {
                open = false;
                break;
            }
            next = hi + 1;
        }
        if open {
            comp.push((next, i64::MAX));
        }
        merged = comp;
    }
    merged
        .into_iter()
        .filter_map(|(lo, hi)| {
            let lo = lo.max(min);
            (lo <= hi).then_some((lo, hi))
        })
        .collect()
}

/// A value that satisfies both conditions, described for a warning; `None` when both are
/// `-` (the column does not narrow the overlap).
pub(crate) fn witness(a: &Cond, b: &Cond, kind: &ColumnKind) -> Option<String> {
    let name = |names: &[String], i: usize| names.get(i).cloned().unwrap_or_default();
    let number = |v: i64| match kind {
        ColumnKind::Number { scale, .. } => describe_number(v, *scale),
        ColumnKind::DateTime => Timestamp::from_unix(v, crate::time::Offset::UTC).to_string(),
        _ => v.to_string(),
    };
    let first_range = |r: &[(i64, i64)]| r.first().map(|&(lo, _)| number(lo));
    match (a, b) {
        (Cond::Any, Cond::Any) => None,
        (Cond::Choice(x), Cond::Any) | (Cond::Any, Cond::Choice(x)) => match kind {
            ColumnKind::Choice(names) => x.iter().next().map(|i| name(names, i)),
            _ => None,
        },
        (Cond::Choice(x), Cond::Choice(y)) => match kind {
            ColumnKind::Choice(names) => x.iter().find(|i| y.contains(*i)).map(|i| name(names, i)),
            _ => None,
        },
        (Cond::Ranges(r), Cond::Any) | (Cond::Any, Cond::Ranges(r)) => first_range(r),
        (Cond::Ranges(x), Cond::Ranges(y)) => x.iter().find_map(|&(l1, h1)| {
            y.iter()
                .find(|&&(l2, h2)| l1 <= h2 && l2 <= h1)
                .map(|&(l2, _)| number(l1.max(l2)))
        }),
        (Cond::HasAny(x), Cond::Any)
        | (Cond::Any, Cond::HasAny(x))
        | (Cond::HasAny(x), Cond::HasAny(_)) => match kind {
            ColumnKind::Set(names) => {
                let mut parts: Vec<String> = x.iter().take(1).map(|i| name(names, i)).collect();
                if let (Cond::HasAny(_), Cond::HasAny(y)) = (a, b) {
                    if let Some(j) = y.iter().next() {
                        if !x.contains(j) {
                            parts.push(name(names, j));
                        }
                    }
                }
                Some(parts.join(" and "))
            }
            _ => None,
        },
        (Cond::HasAny(x), Cond::HasNone(y)) | (Cond::HasNone(y), Cond::HasAny(x)) => match kind {
            ColumnKind::Set(names) => x.iter().find(|i| !y.contains(*i)).map(|i| name(names, i)),
            _ => None,
        },
        (Cond::HasNone(_), _) | (_, Cond::HasNone(_)) => Some("none".to_owned()),
        (
            Cond::Text {
                values,
                negated: false,
            },
            _,
        ) => values.first().map(ToString::to_string),
        (
            _,
            Cond::Text {
                values,
                negated: false,
            },
        ) => values.first().map(ToString::to_string),
        (Cond::Text { .. }, _) | (_, Cond::Text { .. }) => Some("another value".to_owned()),
        _ => None,
    }
}

/// Describes a fact value for traces.
pub(crate) fn describe_number(v: i64, scale: i64) -> String {
    if scale == 100 {
        Fixed2::from_hundredths(v).to_string()
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Cond {
        parse(text, &ColumnKind::Number { scale: 1, min: 0 }).unwrap()
    }

    fn money(text: &str) -> Cond {
        parse(text, &ColumnKind::Number { scale: 100, min: 0 }).unwrap()
    }

    fn cats() -> ColumnKind {
        ColumnKind::Choice(vec!["a".into(), "b".into(), "c".into()])
    }

    fn flags() -> ColumnKind {
        ColumnKind::Set(vec!["x".into(), "y".into(), "z".into()])
    }

    #[test]
    fn comparisons_on_both_sides_of_the_threshold() {
        let t = |c: &Cond, v: i64| c.test(Fact::Int(v));
        let ge = num(">= 5");
        assert!(!t(&ge, 4) && t(&ge, 5) && t(&ge, 6));
        let gt = num("> 5");
        assert!(!t(&gt, 5) && t(&gt, 6));
        let le = num("<= 5");
        assert!(t(&le, 5) && !t(&le, 6) && t(&le, 0));
        let lt = num("< 5");
        assert!(t(&lt, 4) && !t(&lt, 5));
        let eq = num("5");
        assert!(t(&eq, 5) && !t(&eq, 4) && !t(&eq, 6));
        assert_eq!(num("= 5"), eq);
        assert_eq!(num("== 5"), eq);
        let ne = num("!= 5");
        assert!(t(&ne, 4) && !t(&ne, 5) && t(&ne, 6));
        assert_eq!(num("≥ 5"), ge);
    }

    #[test]
    fn ranges_inclusive_and_exclusive() {
        let t = |c: &Cond, v: i64| c.test(Fact::Int(v));
        let c = num("[1..4]");
        assert!(!t(&c, 0) && t(&c, 1) && t(&c, 4) && !t(&c, 5));
        let c = num("(1..4)");
        assert!(!t(&c, 1) && t(&c, 2) && t(&c, 3) && !t(&c, 4));
        let c = num("[1..4)");
        assert!(t(&c, 1) && !t(&c, 4));
        let c = num("(1..4]");
        assert!(!t(&c, 1) && t(&c, 4));
        let c = num("< 2, >= 10");
        assert!(t(&c, 1) && !t(&c, 2) && !t(&c, 9) && t(&c, 10));
        let c = num("not [2..9]");
        assert_eq!(c, num("< 2, >= 10"));
    }

    #[test]
    fn money_is_exact_to_the_fen() {
        let c = money(">= 10000");
        assert!(!c.test(Fact::Int(999_999)) && c.test(Fact::Int(1_000_000)));
        let c = money("> 9999.99");
        assert!(!c.test(Fact::Int(999_999)) && c.test(Fact::Int(1_000_000)));
        let c = money("(0..1000.50)");
        assert!(
            !c.test(Fact::Int(0))
                && c.test(Fact::Int(1))
                && c.test(Fact::Int(100_049))
                && !c.test(Fact::Int(100_050))
        );
        assert!(parse("1.234", &ColumnKind::Number { scale: 100, min: 0 }).is_err());
    }

    #[test]
    fn counts_refuse_fractions() {
        let err = parse(">= 2.5", &ColumnKind::Number { scale: 1, min: 0 }).unwrap_err();
        assert!(err.contains("not a whole number"), "{err}");
    }

    #[test]
    fn choices() {
        let c = parse("a, c", &cats()).unwrap();
        assert!(c.test(Fact::Index(0)) && !c.test(Fact::Index(1)) && c.test(Fact::Index(2)));
        let n = parse("not a", &cats()).unwrap();
        assert!(!n.test(Fact::Index(0)) && n.test(Fact::Index(1)));
        assert_eq!(parse("a，c", &cats()).unwrap(), c);
        let err = parse("a, d", &cats()).unwrap_err();
        assert_eq!(err, "unknown value `d`; valid values: a, b, c");
        assert!(parse("not ", &cats()).is_err());
    }

    #[test]
    fn flag_sets() {
        let m = |bits: u64| Fact::Mask(bits);
        let any = parse("x, y", &flags()).unwrap();
        assert!(any.test(m(0b001)) && any.test(m(0b110)) && !any.test(m(0b100)) && !any.test(m(0)));
        let none = parse("none", &flags()).unwrap();
        assert!(none.test(m(0)) && !none.test(m(0b100)));
        let not = parse("not x", &flags()).unwrap();
        assert!(not.test(m(0)) && not.test(m(0b110)) && !not.test(m(0b011)));
        assert!(parse("not none", &flags()).is_err());
    }

    #[test]
    fn text_sets() {
        let c = parse("fs-c01, fs-c02", &ColumnKind::Text).unwrap();
        assert!(c.test(Fact::Text("fs-c02")) && !c.test(Fact::Text("fs-c03")));
        let n = parse("not fs-c01", &ColumnKind::Text).unwrap();
        assert!(n.test(Fact::Text("fs-c03")) && !n.test(Fact::Text("fs-c01")));
        assert!(!c.test(Fact::Missing) && !n.test(Fact::Missing));
        assert!(Cond::Any.test(Fact::Missing));
    }

    #[test]
    fn algebra() {
        assert!(num(">= 5").intersects(&num("[1..5]")));
        assert!(!num(">= 6").intersects(&num("[1..5]")));
        assert!(num(">= 5").covers(&num(">= 10")));
        assert!(!num(">= 10").covers(&num(">= 5")));
        assert!(Cond::Any.covers(&num("3")));
        assert!(!num("3").covers(&Cond::Any));
        assert!(num("[5..3]").is_empty());
        assert!(!num("[5..3]").intersects(&num("1")));
        let a = parse("a, b", &cats()).unwrap();
        let b = parse("b", &cats()).unwrap();
        assert!(a.covers(&b) && !b.covers(&a) && a.intersects(&b));
        let x = parse("x", &flags()).unwrap();
        let not_x = parse("not x", &flags()).unwrap();
        let none = parse("none", &flags()).unwrap();
        assert!(!x.intersects(&not_x));
        assert!(!x.intersects(&none));
        assert!(not_x.covers(&none));
        assert!(parse("x, y", &flags()).unwrap().covers(&x));
        let t1 = parse("p", &ColumnKind::Text).unwrap();
        let t2 = parse("not q", &ColumnKind::Text).unwrap();
        assert!(t2.covers(&t1) && t1.intersects(&t2));
        assert!(!parse("not p", &ColumnKind::Text).unwrap().intersects(&t1));
    }

    #[test]
    fn datetimes() {
        let c = parse(">= 2026-01-01T00:00:00+08:00", &ColumnKind::DateTime).unwrap();
        let t: Timestamp = "2026-01-01T00:00:00+08:00".parse().unwrap();
        assert!(c.test(Fact::Int(t.unix())) && !c.test(Fact::Int(t.unix() - 1)));
    }
}
