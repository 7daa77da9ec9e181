//! Dates and timestamps with a UTC offset, on chrono.
//!
//! The core never reads a clock: every time is an input (chrono is built without its
//! `clock` feature). A [`Timestamp`] is an instant (seconds since 1970-01-01T00:00Z)
//! together with the UTC offset it was given in, so it prints back the way it came, and a
//! [`Date`] a civil day; both convert to and from chrono's `DateTime<FixedOffset>` and
//! `NaiveDate`. Text is read by chrono as RFC 3339 (`2026-03-02T09:15:00+08:00`); an offset
//! is required. Two hand-written fast paths stay, because batch paths print and read
//! timestamps by the million: printing, and reading the canonical form
//! `YYYY-MM-DDTHH:MM:SS±HH:MM`. Property tests hold both equal to chrono, and `cargo bench
//! -p gridgov-benches --bench time` shows what each saves.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset as _, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::truncate_for_message;

mod tzdb;
pub use tzdb::{NamedZone, TZDB_VERSION};

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

/// "00", "01", … "99": the two digits of each number below a hundred.
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// The civil date of a day number (days since 1970-01-01), proleptic Gregorian: the
/// hand-written fast path of [`Timestamp`]'s printing (timestamps are printed by the
/// million in batch results). A property test holds it equal to chrono over the whole
/// range of years chrono takes, and `cargo bench --bench time` shows why it stays.
const fn civil_from_days(z: i64) -> (i32, u32, u32) {
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

/// The day number of 1970-01-01 counted from 0001-01-01 as chrono counts (day 1).
const EPOCH_CE: i32 = 719_163;

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
        Self::from_ymd_any(y, m, d).ok_or_else(|| bad("no such day"))
    }

    /// A date of any year chrono takes (no 1900–2199 check); `None` when no such day.
    pub(crate) fn from_ymd_any(y: i32, m: u32, d: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(y, m, d).map(Self::from)
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
    pub fn ymd(self) -> (i32, u32, u32) {
        let d = NaiveDate::from(self);
        (d.year(), d.month(), d.day())
    }

    /// Day of the week, Monday = 0 … Sunday = 6.
    #[must_use]
    pub fn weekday(self) -> u32 {
        NaiveDate::from(self).weekday().num_days_from_monday()
    }

    /// The next day.
    #[must_use]
    pub const fn succ(self) -> Self {
        Self(self.0 + 1)
    }
}

impl From<Date> for NaiveDate {
    fn from(d: Date) -> Self {
        NaiveDate::from_num_days_from_ce_opt(d.0.saturating_add(EPOCH_CE)).unwrap_or(NaiveDate::MIN)
    }
}

impl From<NaiveDate> for Date {
    /// Any date chrono holds (the 1900–2199 range is checked where dates are read).
    fn from(d: NaiveDate) -> Self {
        Self(d.num_days_from_ce() - EPOCH_CE)
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

/// `YYYY-MM-DD`: the shape is checked here (chrono also takes `2026-3-1`), the date by
/// chrono.
fn parse_date(s: &str, what: &'static str, whole: &str) -> Result<Date, TimeError> {
    let bad = |reason: &str| TimeError {
        what,
        value: truncate_for_message(whole),
        reason: reason.to_owned(),
    };
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(bad("expected YYYY-MM-DD"));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("no such day"))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(bad("years run from 1900 to 2199"));
    }
    Ok(Date::from(date))
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
///
/// Kept as the minutes plus `Offset::BIAS`, which is never zero, so that an
/// `Option<Timestamp>` takes no more room than a `Timestamp` (a case state holds many).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Offset(std::num::NonZeroI16);

impl Offset {
    /// Added to the minutes: ±18:00 is ±1080 minutes, so the sum is never zero.
    const BIAS: i16 = 2048;

    /// The offset of `minutes` (within ±18:00, checked by the callers).
    const fn of(minutes: i16) -> Self {
        match std::num::NonZeroI16::new(minutes + Self::BIAS) {
            Some(v) => Self(v),
            // Unreachable within ±18:00; UTC's value is the same non-zero bias.
            None => Self(std::num::NonZeroI16::MIN),
        }
    }

    /// UTC itself.
    pub const UTC: Offset = Offset::of(0);
    /// China Standard Time, UTC+08:00.
    pub const CHINA: Offset = Offset::of(480);

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
        Ok(Self::of(minutes as i16))
    }

    /// Minutes east of UTC.
    #[must_use]
    pub const fn minutes(self) -> i32 {
        self.0.get() as i32 - Self::BIAS as i32
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.minutes();
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
///
/// It takes 8 bytes, and `Option<Timestamp>` too: the seconds and the offset share one
/// word (the seconds in the high 48 bits, the offset's biased minutes, never zero, in the
/// low 16). A ledger holds some twenty timestamps per case: its report's, its state's
/// seven, its decisions' deadlines, and one for each of its events. Instants lie within
/// [`Timestamp::MIN_UNIX`] to [`Timestamp::MAX_UNIX`] (about ±4.4 million years): seconds
/// beyond are taken as the nearest bound, as [`plus_minutes`](Self::plus_minutes)
/// saturates there.
#[derive(Clone, Copy)]
pub struct Timestamp(std::num::NonZeroI64);

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timestamp")
            .field("secs", &self.secs())
            .field("offset", &self.offset())
            .finish()
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.secs() == other.secs()
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
        self.secs().cmp(&other.secs())
    }
}
impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.secs().hash(state);
    }
}

impl Timestamp {
    /// The earliest instant, in seconds since 1970-01-01T00:00Z: -2^47, about 4.4 million
    /// years before.
    pub const MIN_UNIX: i64 = -(1 << 47);
    /// The latest instant, in seconds since 1970-01-01T00:00Z: 2^47 - 1, about 4.4
    /// million years after.
    pub const MAX_UNIX: i64 = (1 << 47) - 1;

    /// The seconds and the offset in one word.
    const fn pack(secs: i64, offset: Offset) -> Self {
        let secs = if secs > Self::MAX_UNIX {
            Self::MAX_UNIX
        } else if secs < Self::MIN_UNIX {
            Self::MIN_UNIX
        } else {
            secs
        };
        // The offset's biased minutes lie within 968..=3128: never zero, so neither is
        // the word.
        let word = (secs << 16) | (offset.0.get() as u16 as i64);
        match std::num::NonZeroI64::new(word) {
            Some(w) => Self(w),
            None => Self(std::num::NonZeroI64::MIN),
        }
    }

    /// Seconds since 1970-01-01T00:00Z.
    const fn secs(self) -> i64 {
        self.0.get() >> 16
    }

    /// An instant from seconds since 1970-01-01T00:00Z, shown in `offset`; seconds
    /// beyond [`MIN_UNIX`](Self::MIN_UNIX) and [`MAX_UNIX`](Self::MAX_UNIX) are taken as
    /// the nearest bound.
    #[must_use]
    pub const fn from_unix(secs: i64, offset: Offset) -> Self {
        Self::pack(secs, offset)
    }

    /// The instant at the start of local minute `minute` (minutes since 1970-01-01T00:00
    /// in `offset`'s local time).
    #[must_use]
    pub const fn from_local_minute(minute: i64, offset: Offset) -> Self {
        Self::pack(
            minute
                .saturating_sub(offset.minutes() as i64)
                .saturating_mul(60),
            offset,
        )
    }

    /// Seconds since 1970-01-01T00:00Z.
    #[must_use]
    pub const fn unix(self) -> i64 {
        self.secs()
    }

    /// The offset it is shown in.
    #[must_use]
    pub const fn offset(self) -> Offset {
        match std::num::NonZeroI16::new((self.0.get() & 0xFFFF) as i16) {
            Some(v) => Offset(v),
            None => Offset::UTC,
        }
    }

    /// The same instant shown in another offset.
    #[must_use]
    pub const fn with_offset(self, offset: Offset) -> Self {
        Self::pack(self.secs(), offset)
    }

    /// Seconds since 1970-01-01T00:00 local time in `offset`.
    #[must_use]
    pub const fn local_secs(self, offset: Offset) -> i64 {
        self.secs() + offset.minutes() as i64 * 60
    }

    /// The local date in `offset`.
    #[must_use]
    pub const fn date_in(self, offset: Offset) -> Date {
        Date(self.local_secs(offset).div_euclid(86_400) as i32)
    }

    /// This instant moved by whole minutes.
    #[must_use]
    pub const fn plus_minutes(self, minutes: i64) -> Self {
        Self::pack(
            self.secs().saturating_add(minutes.saturating_mul(60)),
            self.offset(),
        )
    }

    /// Whole minutes from `self` to `later` (negative when `later` is earlier), rounded
    /// towards negative infinity.
    #[must_use]
    pub const fn minutes_until(self, later: Timestamp) -> i64 {
        (later.secs() - self.secs()).div_euclid(60)
    }
}

impl Timestamp {
    /// The 25 bytes of [`Display`](fmt::Display) for a year from 0 to 9999 (every one
    /// an ASCII digit or punctuation), `None` for another year.
    fn rfc3339_bytes(&self) -> Option<[u8; 25]> {
        let local = self.local_secs(self.offset());
        let day = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(day);
        let (hh, mm, ss) = (sod / 3600, sod / 60 % 60, sod % 60);
        let off = self.offset().minutes();
        let year = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
        // Each pair of digits read from a table of the hundred pairs.
        let two = |v: u32| {
            let at = (v % 100) as usize * 2;
            match DIGIT_PAIRS.get(at..at + 2) {
                Some(&[a, b]) => [a, b],
                _ => [b'0', b'0'],
            }
        };
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
        Some([
            y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', n0, n1, b':', s0, s1,
            sign, oh0, oh1, b':', om0, om1,
        ])
    }

    /// Appends [`Display`](fmt::Display)'s text to `out` without the formatting
    /// machinery: the per-call decision JSON prints its deadline this way.
    pub fn push_to(&self, out: &mut String) {
        match self.rfc3339_bytes() {
            // Every byte is an ASCII digit or punctuation.
            Some(buf) => out.push_str(std::str::from_utf8(&buf).unwrap_or("?")),
            None => {
                use fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 to the second in the offset the timestamp was given in: what chrono's
    /// `to_rfc3339_opts(SecondsFormat::Secs, false)` prints (a property test holds the two
    /// equal). Written digit by digit: timestamps are printed by the million in batch
    /// results and JSON, and chrono's printers either allocate a `String` per timestamp or
    /// run five times slower (`cargo bench --bench time`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rfc3339_bytes() {
            // Every byte is an ASCII digit or punctuation.
            Some(buf) => f.write_str(std::str::from_utf8(&buf).unwrap_or("?")),
            None => f.write_str(
                &DateTime::<FixedOffset>::from(*self)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            ),
        }
    }
}

/// What is wrong with text that does not read as a timestamp, for the message: chrono
/// says only that it does not parse.
fn diagnose(s: &str) -> TimeError {
    const WHAT: &str = "timestamp";
    let bad = |reason: &str| TimeError {
        what: WHAT,
        value: truncate_for_message(s),
        reason: reason.to_owned(),
    };
    let shape = bad("expected RFC 3339 with an offset, e.g. `2026-03-02T09:15:00+08:00`");
    let Some(date_part) = s.get(..10) else {
        return shape;
    };
    if let Err(e) = parse_date(date_part, WHAT, s) {
        return e;
    }
    let Some(rest) = s.get(10..).and_then(|r| {
        r.strip_prefix('T')
            .or_else(|| r.strip_prefix('t'))
            .or_else(|| r.strip_prefix(' '))
    }) else {
        return shape;
    };
    let b = rest.as_bytes();
    let (Some(hh), Some(mm), Some(b':')) = (
        b.get(0..2).and_then(digits),
        b.get(3..5).and_then(digits),
        b.get(2).copied(),
    ) else {
        return shape;
    };
    let mut i = 5;
    let mut ss = 0;
    if b.get(5) == Some(&b':') {
        let Some(sec) = b.get(6..8).and_then(digits) else {
            return shape;
        };
        ss = sec;
        i = 8;
        if b.get(8) == Some(&b'.') {
            i = 9;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == 9 {
                return shape;
            }
        }
    }
    if hh > 23 || mm > 59 || ss > 59 {
        return bad("the time of day is out of range");
    }
    match rest.get(i..) {
        Some("") => bad("an offset is required: `Z` or `+HH:MM`, e.g. `2026-03-02T09:15:00+08:00`"),
        Some(offset) => parse_offset(offset, s, WHAT).err().unwrap_or(shape),
        None => shape,
    }
}

impl FromStr for Timestamp {
    type Err = TimeError;
    /// RFC 3339 as chrono reads it (`T`, `t` or a space between date and time; `Z` or
    /// `±HH:MM`; fractions of a second, dropped), and the form without seconds that
    /// spreadsheets export (`2026-03-02 09:15+08:00`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(t) = parse_canonical(s) {
            return Ok(t);
        }
        let parsed = DateTime::parse_from_rfc3339(s).ok().or_else(|| {
            // `YYYY-MM-DDTHH:MM` then the offset: read with `:00` seconds put in.
            let (head, tail) = (s.get(..16)?, s.get(16..)?);
            (!tail.starts_with(':'))
                .then(|| DateTime::parse_from_rfc3339(&format!("{head}:00{tail}")).ok())
                .flatten()
        });
        match parsed {
            Some(dt) => Self::try_from(dt).map_err(|e| TimeError {
                value: truncate_for_message(s),
                ..e
            }),
            None => Err(diagnose(s)),
        }
    }
}

/// The hand-written fast path of reading: exactly `YYYY-MM-DDTHH:MM:SS` then `Z` or
/// `±HH:MM` (what gridgov and most systems write), a real day of 1900–2199, a time before
/// 24:00:00 without a leap second and an offset within ±18:00. `None` for anything else,
/// which chrono then reads, accepts or refuses as it would anyway.
///
/// Timestamps are read by the million in batch paths (a cases CSV, an outcome table), and
/// chrono's general RFC 3339 parser costs about three times as much (`cargo bench -p
/// gridgov-benches --bench time`: `parse` against `parse_chrono`). The property test
/// `the_fast_read_is_chrono_s` holds it equal to chrono on every string of this shape.
#[inline(always)]
fn parse_canonical(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let zone = match (b.len(), b.get(19)) {
        (20, Some(b'Z')) => 0,
        (25, Some(&sign @ (b'+' | b'-'))) => {
            if !matches!(b.get(22), Some(b':')) {
                return None;
            }
            let (h, m) = (two_digits(b, 20)?, two_digits(b, 23)?);
            if m > 59 {
                return None;
            }
            let minutes = i32::try_from(h * 60 + m).ok()?;
            if sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if punctuation
        .iter()
        .any(|&(i, c)| !matches!(b.get(i), Some(x) if *x == c))
    {
        return None;
    }
    let year = i32::try_from(two_digits(b, 0)? * 100 + two_digits(b, 2)?).ok()?;
    let (month, day) = (two_digits(b, 5)?, two_digits(b, 8)?);
    let (hour, minute, second) = (two_digits(b, 11)?, two_digits(b, 14)?, two_digits(b, 17)?);
    if !(MIN_YEAR..=MAX_YEAR).contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let offset = Offset::from_minutes(zone).ok()?;
    let local =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(Timestamp::from_unix(local - i64::from(zone) * 60, offset))
}

/// Two ASCII digits at `i` as a number.
#[inline(always)]
fn two_digits(b: &[u8], i: usize) -> Option<u32> {
    match (b.get(i), b.get(i + 1)) {
        (Some(x @ b'0'..=b'9'), Some(y @ b'0'..=b'9')) => {
            Some(u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        }
        _ => None,
    }
}

/// Days in a month of the proleptic Gregorian calendar.
const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (the inverse of `civil_from_days`).
const fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = if month <= 2 {
        year as i64 - 1
    } else {
        year as i64
    };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl TryFrom<DateTime<FixedOffset>> for Timestamp {
    type Error = TimeError;
    /// An instant of 1900 to 2199 in an offset of whole minutes within ±18:00, to the
    /// second (a fraction is dropped; a leap second is refused).
    fn try_from(dt: DateTime<FixedOffset>) -> Result<Self, Self::Error> {
        let bad = |reason: &str| TimeError {
            what: "timestamp",
            value: dt.to_rfc3339(),
            reason: reason.to_owned(),
        };
        if !(MIN_YEAR..=MAX_YEAR).contains(&dt.year()) {
            return Err(bad("years run from 1900 to 2199"));
        }
        if dt.nanosecond() >= 1_000_000_000 {
            return Err(bad("the time of day is out of range"));
        }
        let seconds = dt.offset().local_minus_utc();
        if seconds % 60 != 0 {
            return Err(bad("offsets are whole minutes"));
        }
        let offset =
            Offset::from_minutes(seconds / 60).map_err(|_| bad("offsets lie within ±18:00"))?;
        Ok(Self::from_unix(dt.timestamp(), offset))
    }
}

impl From<Timestamp> for DateTime<FixedOffset> {
    fn from(t: Timestamp) -> Self {
        let offset =
            FixedOffset::east_opt(t.offset().minutes() * 60).unwrap_or_else(|| chrono::Utc.fix());
        DateTime::from_timestamp(t.secs(), 0)
            .unwrap_or_default()
            .with_timezone(&offset)
    }
}

impl From<Offset> for FixedOffset {
    fn from(o: Offset) -> Self {
        FixedOffset::east_opt(o.minutes() * 60).unwrap_or_else(|| chrono::Utc.fix())
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

/// The UTC offset of a time zone as Arrow and pandas name it on a timestamp column:
/// `+08:00`, `-05:30`, `UTC`, `Z`, `UTC+08:00`, or a zone of mainland China, which has
/// kept +08:00 all year since 1991 (`Asia/Shanghai`, `Asia/Chongqing`, `Asia/Harbin`,
/// `PRC`). Other named zones change their offset over the year and need a zone database
/// that gridgov does not carry: give such times as RFC 3339 text instead.
///
/// ```
/// use gridgov::time::zone_offset;
/// assert_eq!(zone_offset("Asia/Shanghai").map(|o| o.minutes()), Ok(480));
/// assert_eq!(zone_offset("UTC+05:30").map(|o| o.minutes()), Ok(330));
/// assert!(zone_offset("Europe/Berlin").is_err());
/// ```
///
/// # Errors
/// [`TimeError`] naming the zone and what would be valid.
pub fn zone_offset(tz: &str) -> Result<Offset, TimeError> {
    let t = tz.trim();
    let fixed = match t {
        "UTC" | "Z" | "Etc/UTC" | "GMT" | "utc" => "+00:00",
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Harbin" | "PRC" => "+08:00",
        _ => t.strip_prefix("UTC").unwrap_or(t),
    };
    Offset::from_str(fixed).map_err(|_| TimeError {
        what: "time zone",
        value: truncate_for_message(tz),
        reason: "it is not a fixed UTC offset gridgov knows; use `+08:00`, `UTC` or `Asia/Shanghai`, or give the times as RFC 3339 text".to_owned(),
    })
}

/// A time zone: a fixed UTC offset (`+08:00`), or an IANA zone (`America/New_York`) whose
/// offset changes with daylight saving. Local times are read and deadlines shown in it.
///
/// ```
/// use gridgov::time::Zone;
/// let ny: Zone = "America/New_York".parse()?;
/// // 2026-03-08 06:59 UTC is 01:59 EST; a minute later it is 03:00 EDT.
/// assert_eq!(ny.offset_at(1_772_953_140).to_string(), "-05:00");
/// assert_eq!(ny.offset_at(1_772_953_200).to_string(), "-04:00");
/// // `+08:00` and `Asia/Shanghai` give the same offset.
/// assert_eq!("Asia/Shanghai".parse::<Zone>()?.offset_at(0).to_string(), "+08:00");
/// # Ok::<(), gridgov::time::TimeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zone {
    /// The same offset all year.
    Fixed(Offset),
    /// An IANA zone of the tz database ([`TZDB_VERSION`] bundled).
    Named(NamedZone),
}

impl Zone {
    /// The offset in force at a Unix second.
    #[must_use]
    #[inline]
    pub fn offset_at(self, unix: i64) -> Offset {
        match self {
            Self::Fixed(o) => o,
            Self::Named(tz) => {
                Offset::from_minutes(tz.offset_secs_at(unix).div_euclid(60)).unwrap_or(Offset::UTC)
            }
        }
    }

    /// The Unix second of a local wall-clock second (seconds since 1970-01-01 00:00 local).
    /// A local time the clocks skip (spring forward) is read with the offset before the
    /// change, so it lands after the gap; a local time that happens twice (fall back) is
    /// the earlier one.
    #[must_use]
    #[inline]
    pub fn unix_of_local(self, local: i64) -> i64 {
        match self {
            Self::Fixed(o) => local - i64::from(o.minutes()) * 60,
            Self::Named(tz) => {
                // The offsets in force a day before, at and a day after: each whose instant
                // has that offset is a reading of the local time, and the earliest is
                // taken; none is a gap. Held equal to chrono-tz around every change of
                // every zone from 1900 to 2100 (time/tzdb.rs).
                let reading = |probe: i64| {
                    let o = i64::from(tz.offset_secs_at(probe));
                    let unix = local - o;
                    (i64::from(tz.offset_secs_at(unix)) == o).then_some(unix)
                };
                [local - 86_400, local, local + 86_400]
                    .into_iter()
                    .filter_map(reading)
                    .min()
                    .unwrap_or_else(|| local - i64::from(tz.offset_secs_at(local - 36 * 3600)))
            }
        }
    }

    /// A timestamp at a Unix second, shown in the zone's offset then.
    #[must_use]
    #[inline]
    pub fn timestamp(self, unix: i64) -> Timestamp {
        match self {
            Self::Fixed(o) => Timestamp::from_unix(unix, o),
            Self::Named(_) => Timestamp::from_unix(unix, self.offset_at(unix)),
        }
    }

    /// The timestamp of a local minute (minutes since 1970-01-01 00:00 local).
    #[must_use]
    #[inline]
    pub fn at_local_minute(self, minute: i64) -> Timestamp {
        match self {
            Self::Fixed(o) => Timestamp::from_local_minute(minute, o),
            Self::Named(_) => self.timestamp(self.unix_of_local(minute.saturating_mul(60))),
        }
    }

    /// The local second of a timestamp (seconds since 1970-01-01 00:00 local).
    #[must_use]
    #[inline]
    pub fn local_secs(self, t: Timestamp) -> i64 {
        match self {
            Self::Fixed(o) => t.local_secs(o),
            Self::Named(_) => t.local_secs(self.offset_at(t.unix())),
        }
    }

    /// The local date of a timestamp.
    #[must_use]
    #[inline]
    pub fn date_of(self, t: Timestamp) -> Date {
        match self {
            Self::Fixed(o) => t.date_in(o),
            Self::Named(_) => t.date_in(self.offset_at(t.unix())),
        }
    }

    /// Whether the offset is the same all year.
    #[must_use]
    pub const fn is_fixed(self) -> bool {
        matches!(self, Self::Fixed(_))
    }

    /// The zone's offset when it never changes: a fixed offset, or an IANA zone that is
    /// one under a name (`UTC`, `GMT`, `Etc/GMT-8`: the tz database's `Etc` zones and
    /// their aliases), whose times then need no look-up in the database.
    #[must_use]
    pub fn constant_offset(self) -> Option<Offset> {
        match self {
            Self::Fixed(o) => Some(o),
            Self::Named(tz) => {
                let name = tz.name();
                let constant = name.starts_with("Etc/")
                    || matches!(
                        name,
                        "UTC"
                            | "UCT"
                            | "GMT"
                            | "GMT0"
                            | "GMT+0"
                            | "GMT-0"
                            | "Greenwich"
                            | "Universal"
                            | "Zulu"
                    );
                constant.then(|| self.offset_at(0))
            }
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed(o) => o.fmt(f),
            Self::Named(tz) => f.write_str(tz.name()),
        }
    }
}

impl FromStr for Zone {
    type Err = TimeError;

    /// A fixed offset (`+08:00`, `UTC+8` as [`zone_offset`] reads them) or an IANA zone
    /// name (`Asia/Shanghai`, `America/New_York`).
    fn from_str(s: &str) -> Result<Self, TimeError> {
        let t = s.trim();
        if let Ok(o) = Offset::from_str(t) {
            return Ok(Self::Fixed(o));
        }
        if let Some(tz) = NamedZone::get(t) {
            return Ok(Self::Named(tz));
        }
        zone_offset(t).map(Self::Fixed).map_err(|_| TimeError {
            what: "time zone",
            value: truncate_for_message(s),
            reason: "give a UTC offset such as `+08:00` or an IANA zone name such as `Asia/Shanghai` or `America/New_York`".to_owned(),
        })
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
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

crate::tsdecl::ts_alias!(Timestamp = "string");
crate::tsdecl::ts_alias!(Date = "string");
crate::tsdecl::ts_alias!(Offset = "string");

#[cfg(test)]
mod tests {
    use super::*;

    /// A zone said to have a constant offset has it at every instant from 1900 to 2100
    /// (checked every 10 days, and at the turn of each year); the zones of changing offset
    /// (`Asia/Shanghai` had summer time until 1991) are not among them.
    #[test]
    fn zones_of_one_offset_keep_it() {
        let mut constant = 0;
        for tz in NamedZone::all() {
            let zone = Zone::Named(tz);
            let Some(offset) = zone.constant_offset() else {
                continue;
            };
            constant += 1;
            let (from, to) = (-2_208_988_800i64, 4_102_444_800i64);
            for at in (from..to)
                .step_by(10 * 86_400)
                .chain((from..to).step_by(31_556_952))
            {
                assert_eq!(zone.offset_at(at), offset, "{} at {at}", tz.name());
            }
        }
        assert!(constant > 30, "{constant} zones of one offset");
        for name in ["Asia/Shanghai", "America/New_York", "Europe/London"] {
            assert_eq!(
                name.parse::<Zone>().unwrap().constant_offset(),
                None,
                "{name}"
            );
        }
        assert_eq!(
            "UTC".parse::<Zone>().unwrap().constant_offset(),
            Some(Offset::UTC)
        );
        assert_eq!(
            "Etc/GMT-8"
                .parse::<Zone>()
                .unwrap()
                .constant_offset()
                .map(|o| o.to_string()),
            Some("+08:00".to_owned())
        );
    }

    /// Every offset within ±18:00 keeps its minutes, prints and reads back; outside, it
    /// is refused; and the offset's niche makes an optional timestamp no larger.
    #[test]
    fn offsets_keep_their_minutes_and_leave_a_niche() {
        for m in -18 * 60..=18 * 60 {
            let o = Offset::from_minutes(m).unwrap();
            assert_eq!(o.minutes(), m);
            assert_eq!(o.to_string().parse::<Offset>().unwrap(), o);
        }
        assert!(Offset::from_minutes(18 * 60 + 1).is_err());
        assert!(Offset::from_minutes(-18 * 60 - 1).is_err());
        assert_eq!((Offset::UTC.minutes(), Offset::CHINA.minutes()), (0, 480));
        assert_eq!(
            std::mem::size_of::<Option<Timestamp>>(),
            std::mem::size_of::<Timestamp>()
        );
    }

    proptest::proptest! {
        /// A timestamp is one word that gives back its seconds and its offset, compares
        /// by the instant alone, and takes seconds beyond its range as the nearest bound.
        #[test]
        fn a_timestamp_is_one_word_of_its_seconds_and_offset(
            secs in Timestamp::MIN_UNIX..=Timestamp::MAX_UNIX,
            other in proptest::prelude::any::<i64>(),
            minutes in -1080i32..=1080,
            shown in -1080i32..=1080,
        ) {
            let offset = Offset::from_minutes(minutes).unwrap();
            let t = Timestamp::from_unix(secs, offset);
            proptest::prop_assert_eq!(t.unix(), secs);
            proptest::prop_assert_eq!(t.offset(), offset);
            let elsewhere = t.with_offset(Offset::from_minutes(shown).unwrap());
            proptest::prop_assert_eq!(elsewhere.unix(), secs);
            proptest::prop_assert_eq!(elsewhere.offset().minutes(), shown);
            proptest::prop_assert_eq!(elsewhere, t);
            let u = Timestamp::from_unix(other, Offset::UTC);
            let bound = other.clamp(Timestamp::MIN_UNIX, Timestamp::MAX_UNIX);
            proptest::prop_assert_eq!(u.unix(), bound);
            proptest::prop_assert_eq!(t.cmp(&u), secs.cmp(&bound));
            proptest::prop_assert_eq!(t.minutes_until(u), (bound - secs).div_euclid(60));
        }
    }

    /// The ends of the range, and minutes added past them, stay at the bounds.
    #[test]
    fn timestamps_saturate_at_their_bounds() {
        assert_eq!(std::mem::size_of::<Timestamp>(), 8);
        let top = Timestamp::from_unix(i64::MAX, Offset::CHINA);
        assert_eq!(
            (top.unix(), top.offset()),
            (Timestamp::MAX_UNIX, Offset::CHINA)
        );
        assert_eq!(top.plus_minutes(1).unix(), Timestamp::MAX_UNIX);
        assert_eq!(top.plus_minutes(-1).unix(), Timestamp::MAX_UNIX - 60);
        let bottom = Timestamp::from_unix(i64::MIN, Offset::UTC);
        assert_eq!(bottom.unix(), Timestamp::MIN_UNIX);
        assert_eq!(bottom.plus_minutes(i64::MIN).unix(), Timestamp::MIN_UNIX);
        let far = Timestamp::from_local_minute(i64::MAX, Offset::from_minutes(-1080).unwrap());
        assert_eq!(far.unix(), Timestamp::MAX_UNIX);
        assert_eq!(
            bottom.minutes_until(top),
            (Timestamp::MAX_UNIX - Timestamp::MIN_UNIX) / 60
        );
    }

    #[test]
    fn the_fast_civil_date_is_chrono_s_over_every_day_chrono_holds() {
        // Every day from 0001-01-01 to 9999-12-31: the printing fast path's date.
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let mut d = first;
        while d <= last {
            let z = i64::from(Date::from(d).days());
            assert_eq!(civil_from_days(z), (d.year(), d.month(), d.day()), "{d}");
            d = d.succ_opt().unwrap();
        }
    }

    proptest::proptest! {
        /// Printing is chrono's RFC 3339 to the second, whatever the instant and offset.
        #[test]
        fn printing_is_chrono_s(secs in -62_135_596_800i64..253_402_300_799, minutes in -1080i32..=1080) {
            let t = Timestamp::from_unix(secs, Offset::from_minutes(minutes).unwrap());
            let chrono = DateTime::<FixedOffset>::from(t)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            proptest::prop_assert_eq!(&t.to_string(), &chrono);
            let mut pushed = String::from("due ");
            t.push_to(&mut pushed);
            proptest::prop_assert_eq!(pushed, format!("due {chrono}"));
        }

        /// What chrono prints reads back to the same instant and offset.
        #[test]
        fn reading_is_chrono_s(secs in -2_208_988_800i64..7_258_118_399, minutes in -1080i32..=1080) {
            let offset = FixedOffset::east_opt(minutes * 60).unwrap();
            let dt = DateTime::from_timestamp(secs, 0).unwrap().with_timezone(&offset);
            if (MIN_YEAR..=MAX_YEAR).contains(&dt.year()) {
                let t: Timestamp = dt.to_rfc3339().parse().unwrap();
                proptest::prop_assert_eq!(t.unix(), secs);
                proptest::prop_assert_eq!(t.offset().minutes(), minutes);
                proptest::prop_assert_eq!(DateTime::<FixedOffset>::from(t), dt);
            }
        }
    }

    /// chrono's reading of RFC 3339 text, without the fast path.
    fn read_by_chrono(s: &str) -> Option<Timestamp> {
        Timestamp::try_from(DateTime::parse_from_rfc3339(s).ok()?).ok()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Every string of the canonical shape, valid or not (days past a month's end,
        /// hour 24, leap seconds, offsets past ±18:00, years out of range): the fast path
        /// reads exactly what chrono reads and gridgov accepts, and nothing else.
        #[test]
        fn the_fast_read_is_chrono_s(
            s in "(1[89]|2[0-2]|00|99)[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|[+-][0-2][0-9]:[0-6][0-9])"
        ) {
            proptest::prop_assert_eq!(parse_canonical(&s), read_by_chrono(&s));
            proptest::prop_assert_eq!(s.parse::<Timestamp>().ok(), read_by_chrono(&s));
        }
    }

    proptest::proptest! {

        /// Every instant and offset gridgov holds, printed canonically, takes the fast path.
        #[test]
        fn canonical_text_takes_the_fast_path(secs in -2_208_988_800i64..7_258_118_399, minutes in -1080i32..=1080) {
            let t = Timestamp::from_unix(secs, Offset::from_minutes(minutes).unwrap());
            if (MIN_YEAR..=MAX_YEAR).contains(&NaiveDate::from(t.date_in(t.offset())).year()) {
                proptest::prop_assert_eq!(parse_canonical(&t.to_string()), Some(t));
                if minutes == 0 {
                    let z = t.to_string().replace("+00:00", "Z");
                    proptest::prop_assert_eq!(parse_canonical(&z), Some(t));
                }
            }
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
