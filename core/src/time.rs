//! Dates and timestamps with a UTC offset, in plain integers.
//!
//! The core never reads a clock: every time is an input. A [`Timestamp`] is an instant
//! (seconds since 1970-01-01T00:00Z) together with the UTC offset it was given in, so it
//! prints back the way it came. Parsing and printing follow RFC 3339
//! (`2026-03-02T09:15:00+08:00`); an offset is required.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::truncate_for_message;

/// The earliest year accepted.
pub const MIN_YEAR: i32 = 1900;
/// The latest year accepted.
pub const MAX_YEAR: i32 = 2199;

/// A date or time could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what}: {reason}")]
pub struct TimeError {
    /// `date`, `timestamp` or `UTC offset`.
    pub what: &'static str,
    /// The value, shortened if long.
    pub value: String,
    /// Why.
    pub reason: String,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
#[must_use]
pub const fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (days since 1970-01-01).
#[must_use]
pub const fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

const fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// A civil date, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(i32);

impl Date {
    /// A date from year, month and day.
    ///
    /// # Errors
    /// [`TimeError`] when the date does not exist or the year is outside 1900–2199.
    pub fn new(y: i32, m: u32, d: u32) -> Result<Self, TimeError> {
        let bad = |reason: &str| TimeError {
            what: "date",
            value: format!("{y:04}-{m:02}-{d:02}"),
            reason: reason.to_owned(),
        };
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err(bad("years run from 1900 to 2199"));
        }
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(bad("no such day"));
        }
        Ok(Self(days_from_civil(y, m, d) as i32))
    }

    /// The date of a day number (days since 1970-01-01).
    #[must_use]
    pub const fn from_days(days: i32) -> Self {
        Self(days)
    }

    /// Days since 1970-01-01.
    #[must_use]
    pub const fn days(self) -> i32 {
        self.0
    }

    /// Year, month, day.
    #[must_use]
    pub const fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0 as i64)
    }

    /// Day of the week, Monday = 0 … Sunday = 6.
    #[must_use]
    pub const fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.0 as i64 + 3).rem_euclid(7) as u32
    }

    /// The next day.
    #[must_use]
    pub const fn succ(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, &b| {
        acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
    })
}

fn parse_date(s: &str, what: &'static str, whole: &str) -> Result<Date, TimeError> {
    let b = s.as_bytes();
    let bad = |reason: &str| TimeError {
        what,
        value: truncate_for_message(whole),
        reason: reason.to_owned(),
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(bad("expected YYYY-MM-DD"));
    }
    let y = b
        .get(0..4)
        .and_then(digits)
        .ok_or_else(|| bad("expected YYYY-MM-DD"))?;
    let m = b
        .get(5..7)
        .and_then(digits)
        .ok_or_else(|| bad("expected YYYY-MM-DD"))?;
    let d = b
        .get(8..10)
        .and_then(digits)
        .ok_or_else(|| bad("expected YYYY-MM-DD"))?;
    let y = i32::try_from(y).map_err(|_| bad("expected YYYY-MM-DD"))?;
    Date::new(y, m, d).map_err(|e| bad(&e.reason))
}

impl FromStr for Date {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_date(s, "date", s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A UTC offset in whole minutes, within ±18:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Offset(i16);

impl Offset {
    /// UTC itself.
    pub const UTC: Offset = Offset(0);
    /// China Standard Time, UTC+08:00.
    pub const CHINA: Offset = Offset(480);

    /// An offset from minutes east of UTC.
    ///
    /// # Errors
    /// [`TimeError`] outside ±18:00.
    pub fn from_minutes(minutes: i32) -> Result<Self, TimeError> {
        if minutes.abs() > 18 * 60 {
            return Err(TimeError {
                what: "UTC offset",
                value: minutes.to_string(),
                reason: "offsets lie within ±18:00".to_owned(),
            });
        }
        Ok(Self(minutes as i16))
    }

    /// Minutes east of UTC.
    #[must_use]
    pub const fn minutes(self) -> i32 {
        self.0 as i32
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.0 as i32;
        let sign = if m < 0 { '-' } else { '+' };
        write!(f, "{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
    }
}

fn parse_offset(s: &str, whole: &str, what: &'static str) -> Result<Offset, TimeError> {
    let bad = |reason: &str| TimeError {
        what,
        value: truncate_for_message(whole),
        reason: reason.to_owned(),
    };
    if s == "Z" || s == "z" {
        return Ok(Offset::UTC);
    }
    let b = s.as_bytes();
    let sign = match b.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(bad("an offset is required: `Z` or `+HH:MM`, e.g. `+08:00`")),
    };
    if b.len() != 6 || b.get(3) != Some(&b':') {
        return Err(bad("the offset must look like `+08:00`"));
    }
    let h = b
        .get(1..3)
        .and_then(digits)
        .ok_or_else(|| bad("the offset must look like `+08:00`"))?;
    let m = b
        .get(4..6)
        .and_then(digits)
        .ok_or_else(|| bad("the offset must look like `+08:00`"))?;
    if h > 18 || m > 59 {
        return Err(bad("offsets lie within ±18:00"));
    }
    Offset::from_minutes(sign * (h * 60 + m) as i32).map_err(|e| bad(&e.reason))
}

impl FromStr for Offset {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_offset(s, s, "UTC offset")
    }
}

impl Serialize for Offset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An instant with the UTC offset it is shown in. Equality and order compare the instant
/// only: `09:00+08:00` equals `01:00Z`.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    secs: i64,
    offset: Offset,
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.secs == other.secs
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.secs.cmp(&other.secs)
    }
}
impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.secs.hash(state);
    }
}

impl Timestamp {
    /// An instant from seconds since 1970-01-01T00:00Z, shown in `offset`.
    #[must_use]
    pub const fn from_unix(secs: i64, offset: Offset) -> Self {
        Self { secs, offset }
    }

    /// The instant at the start of local minute `minute` (minutes since 1970-01-01T00:00
    /// in `offset`'s local time).
    #[must_use]
    pub const fn from_local_minute(minute: i64, offset: Offset) -> Self {
        Self {
            secs: (minute - offset.minutes() as i64) * 60,
            offset,
        }
    }

    /// Seconds since 1970-01-01T00:00Z.
    #[must_use]
    pub const fn unix(self) -> i64 {
        self.secs
    }

    /// The offset it is shown in.
    #[must_use]
    pub const fn offset(self) -> Offset {
        self.offset
    }

    /// The same instant shown in another offset.
    #[must_use]
    pub const fn with_offset(self, offset: Offset) -> Self {
        Self {
            secs: self.secs,
            offset,
        }
    }

    /// Seconds since 1970-01-01T00:00 local time in `offset`.
    #[must_use]
    pub const fn local_secs(self, offset: Offset) -> i64 {
        self.secs + offset.minutes() as i64 * 60
    }

    /// The local date in `offset`.
    #[must_use]
    pub const fn date_in(self, offset: Offset) -> Date {
        Date(self.local_secs(offset).div_euclid(86_400) as i32)
    }

    /// This instant moved by whole minutes.
    #[must_use]
    pub const fn plus_minutes(self, minutes: i64) -> Self {
        Self {
            secs: self.secs.saturating_add(minutes.saturating_mul(60)),
            offset: self.offset,
        }
    }

    /// Whole minutes from `self` to `later` (negative when `later` is earlier), rounded
    /// towards negative infinity.
    #[must_use]
    pub const fn minutes_until(self, later: Timestamp) -> i64 {
        (later.secs - self.secs).div_euclid(60)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.local_secs(self.offset);
        let day = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(day);
        let (hh, mm, ss) = (sod / 3600, sod / 60 % 60, sod % 60);
        let off = self.offset.minutes();
        match u32::try_from(y) {
            // The usual case, written digit by digit: timestamps are printed by the
            // million in batch results and JSON.
            Ok(year) if year <= 9999 => {
                let two = |v: u32| [b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8];
                let [y0, y1] = two(year / 100);
                let [y2, y3] = two(year % 100);
                let [m0, m1] = two(m);
                let [d0, d1] = two(d);
                let [h0, h1] = two(hh as u32);
                let [n0, n1] = two(mm as u32);
                let [s0, s1] = two(ss as u32);
                let sign = if off < 0 { b'-' } else { b'+' };
                let [oh0, oh1] = two(off.unsigned_abs() / 60);
                let [om0, om1] = two(off.unsigned_abs() % 60);
                let buf = [
                    y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', n0, n1, b':',
                    s0, s1, sign, oh0, oh1, b':', om0, om1,
                ];
                // Every byte is an ASCII digit or punctuation.
                f.write_str(std::str::from_utf8(&buf).unwrap_or("?"))
            }
            _ => write!(
                f,
                "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{}",
                self.offset
            ),
        }
    }
}

impl FromStr for Timestamp {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const WHAT: &str = "timestamp";
        let bad = |reason: &str| TimeError {
            what: WHAT,
            value: truncate_for_message(s),
            reason: reason.to_owned(),
        };
        let shape = "expected RFC 3339 with an offset, e.g. `2026-03-02T09:15:00+08:00`";
        let date_part = s.get(..10).ok_or_else(|| bad(shape))?;
        let date = parse_date(date_part, WHAT, s)?;
        let rest = s.get(10..).ok_or_else(|| bad(shape))?;
        let rest = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))
            .ok_or_else(|| bad(shape))?;
        let b = rest.as_bytes();
        if b.len() < 5 || b.get(2) != Some(&b':') {
            return Err(bad(shape));
        }
        let hh = b.get(0..2).and_then(digits).ok_or_else(|| bad(shape))?;
        let mm = b.get(3..5).and_then(digits).ok_or_else(|| bad(shape))?;
        let mut i = 5;
        let mut ss = 0;
        if b.get(5) == Some(&b':') {
            ss = b.get(6..8).and_then(digits).ok_or_else(|| bad(shape))?;
            i = 8;
            if b.get(8) == Some(&b'.') {
                // Fractions of a second are accepted and dropped.
                i = 9;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == 9 {
                    return Err(bad(shape));
                }
            }
        }
        if hh > 23 || mm > 59 || ss > 59 {
            return Err(bad("the time of day is out of range"));
        }
        let offset_text = rest.get(i..).ok_or_else(|| bad(shape))?;
        if offset_text.is_empty() {
            return Err(bad(
                "an offset is required: `Z` or `+HH:MM`, e.g. `2026-03-02T09:15:00+08:00`",
            ));
        }
        let offset = parse_offset(offset_text, s, WHAT)?;
        let local = i64::from(date.days()) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss);
        Ok(Self {
            secs: local - i64::from(offset.minutes()) * 60,
            offset,
        })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses `HH:MM` into minutes since midnight; `24:00` is allowed as the end of a day.
///
/// # Errors
/// [`TimeError`] for anything else.
pub fn parse_clock(s: &str) -> Result<u16, TimeError> {
    let bad = || TimeError {
        what: "time of day",
        value: truncate_for_message(s),
        reason: "expected HH:MM between 00:00 and 24:00".to_owned(),
    };
    let b = s.as_bytes();
    if b.len() != 5 || b.get(2) != Some(&b':') {
        return Err(bad());
    }
    let h = b.get(0..2).and_then(digits).ok_or_else(bad)?;
    let m = b.get(3..5).and_then(digits).ok_or_else(bad)?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    u16::try_from(h * 60 + m).map_err(|_| bad())
}

/// Formats minutes since midnight as `HH:MM`.
#[must_use]
pub fn format_clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_three_centuries() {
        let start = days_from_civil(1900, 1, 1);
        let end = days_from_civil(2200, 1, 1);
        for z in start..end {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn known_weekdays() {
        assert_eq!("1970-01-01".parse::<Date>().unwrap().weekday(), 3);
        assert_eq!("2026-11-28".parse::<Date>().unwrap().weekday(), 5); // Saturday
        assert_eq!("2026-02-14".parse::<Date>().unwrap().weekday(), 5); // make-up Saturday
        assert_eq!(
            "2000-02-29".parse::<Date>().unwrap().to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn bad_dates() {
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "1899-12-31",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps_parse_and_print() {
        let t: Timestamp = "2026-03-02T09:15:00+08:00".parse().unwrap();
        assert_eq!(t.to_string(), "2026-03-02T09:15:00+08:00");
        assert_eq!(t.unix(), 1_772_414_100);
        let z: Timestamp = "2026-03-02T01:15:00Z".parse().unwrap();
        assert_eq!(z, t);
        assert_eq!(z.to_string(), "2026-03-02T01:15:00+00:00");
        let frac: Timestamp = "2026-03-02T09:15:59.999+08:00".parse().unwrap();
        assert_eq!(frac.to_string(), "2026-03-02T09:15:59+08:00");
        let short: Timestamp = "2026-03-02 09:15-05:30".parse().unwrap();
        assert_eq!(short.to_string(), "2026-03-02T09:15:00-05:30");
        assert_eq!(t.date_in(Offset::CHINA).to_string(), "2026-03-02");
        let late: Timestamp = "2026-03-02T23:30:00Z".parse().unwrap();
        assert_eq!(late.date_in(Offset::CHINA).to_string(), "2026-03-03");
    }

    #[test]
    fn timestamps_need_an_offset_and_valid_fields() {
        let err = "2026-03-02T09:15:00".parse::<Timestamp>().unwrap_err();
        assert!(err.to_string().contains("an offset is required"), "{err}");
        for bad in [
            "2026-03-02T24:00:00+08:00",
            "2026-03-02T09:60:00+08:00",
            "2026-03-02T09:15:00+19:00",
            "2026-03-02T09:15:00+0800",
            "2026-03-02T09:15:00.+08:00",
            "2026-02-30T09:15:00+08:00",
            "2026-03-02X09:15:00+08:00",
            "now",
            "",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }

    #[test]
    fn clock_parsing() {
        assert_eq!(parse_clock("08:30").unwrap(), 510);
        assert_eq!(parse_clock("24:00").unwrap(), 1440);
        assert!(parse_clock("24:01").is_err());
        assert!(parse_clock("8:30").is_err());
        assert_eq!(format_clock(1050), "17:30");
    }

    #[test]
    fn display_writes_every_field_and_reads_back() {
        // Fast path against the formatting machinery, across offsets and centuries.
        let offsets = [-720, -330, -60, 0, 45, 330, 480, 840];
        let mut secs: i64 = -62_135_596_800; // 0001-01-01T00:00Z
        while secs < 253_402_300_799 {
            for &o in &offsets {
                let Ok(off) = Offset::from_minutes(o) else {
                    panic!("offset {o}")
                };
                let t = Timestamp::from_unix(secs, off);
                let local = t.local_secs(off);
                let (y, m, d) = civil_from_days(local.div_euclid(86_400));
                let sod = local.rem_euclid(86_400);
                let expected = format!(
                    "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{off}",
                    sod / 3600,
                    sod / 60 % 60,
                    sod % 60
                );
                assert_eq!(t.to_string(), expected);
                if (1900..=2199).contains(&y) {
                    assert_eq!(expected.parse::<Timestamp>().map(Timestamp::unix), Ok(secs));
                }
            }
            secs += 7_777_777_777 / 7 + 1;
        }
    }
}
