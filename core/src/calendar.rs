//! The working-time calendar: working hours, weekends, public holidays and make-up working
//! days (调休), and deadlines counted in working hours, working days or plain time.
//!
//! Everything is integer minutes in the calendar's local time; nothing reads a clock.
//! A deadline's clock starts at the first whole minute at or after the start instant.
//!
//! - **N working hours**: N×60 minutes of working time; a deadline that lands exactly on
//!   the end of a working period stays there (1 working hour from 11:00 is due at 12:00,
//!   not 14:00).
//! - **N working days**: the start day is not counted (期间开始之日不计算在内); the deadline
//!   is the close of business on the Nth working day after it.
//! - **N hours**: N×60 minutes of wall-clock time.
//! - **N days** (calendar days): the start day is not counted; the period ends at 24:00 of
//!   the Nth day, moved to the end of the next working day when that day is a holiday or a
//!   weekend (期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期).
//!
//! A pause (缓办) stops the clock: a closed pause moves the deadline on by the clock's time
//! inside the pause (working time for working-hour and working-day limits, wall time
//! otherwise); while a pause is open there is no deadline.
//!
//! ```
//! use gridgov::calendar::{Calendar, TimeLimit};
//! use gridgov::time::Timestamp;
//!
//! let cal = Calendar::china();
//! let start: Timestamp = "2026-09-30T16:00:00+08:00".parse()?;
//! // National Day holiday 2026-10-01..07, then Thursday 10-08 and Friday 10-09 are working
//! // days; Saturday 10-10 is a make-up working day (调休).
//! let due = cal.deadline(start, "3 working days".parse::<TimeLimit>()?)?;
//! assert_eq!(due.to_string(), "2026-10-10T17:30:00+08:00");
//! let due = cal.deadline(start, "4 working hours".parse::<TimeLimit>()?)?;
//! assert_eq!(due.to_string(), "2026-10-08T11:00:00+08:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::macros::named_enum;
use crate::text::strip_position;
use crate::text::truncate_for_message as truncate;
use crate::time::{Date, Offset, Timestamp, Zone, format_clock, parse_clock};

/// The calendar format this version reads.
pub const CALENDAR_FORMAT: u32 = 1;

/// The embedded China mainland calendar for 2025 and 2026.
pub const CHINA_JSON: &str = include_str!("../data/calendar/cn-2025-2026.json");

/// First day of the precomputed day table.
const TABLE_FROM: (i32, u32, u32) = (2000, 1, 1);
/// First day after the precomputed day table.
const TABLE_TO: (i32, u32, u32) = (2100, 1, 1);

named_enum! {
    /// A day of the week.
    Weekday, "weekday" {
        /// 星期一.
        Monday = "monday",
        /// 星期二.
        Tuesday = "tuesday",
        /// 星期三.
        Wednesday = "wednesday",
        /// 星期四.
        Thursday = "thursday",
        /// 星期五.
        Friday = "friday",
        /// 星期六.
        Saturday = "saturday",
        /// 星期日.
        Sunday = "sunday",
    }
}

/// The calendar document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// Format version; must be [`CALENDAR_FORMAT`].
    pub format: u32,
    /// Name.
    pub name: String,
    /// Where the dates come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The local time zone as a fixed offset, e.g. `+08:00` (give this or `time_zone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<Offset>,
    /// The local time zone as an IANA name (`Asia/Shanghai`, `America/New_York`), whose
    /// offset may change with daylight saving; or a fixed offset (give this or
    /// `utc_offset`). Working hours are local wall-clock times in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Zone>,
    /// Working periods of a working day, as `["HH:MM", "HH:MM"]` pairs in order.
    pub working_hours: Vec<[String; 2]>,
    /// The days of the week that are not working days unless made up.
    #[serde(default = "default_weekend")]
    pub weekend: Vec<Weekday>,
    /// Public holidays and make-up working days by year (`"2026": {…}`).
    #[serde(default)]
    pub years: BTreeMap<String, YearSpec>,
}

fn default_weekend() -> Vec<Weekday> {
    vec![Weekday::Saturday, Weekday::Sunday]
}

/// The holidays and make-up working days of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSpec {
    /// Public holidays, each a range of dates.
    #[serde(default)]
    pub holidays: Vec<HolidaySpec>,
    /// Weekend days that are working days (调休).
    #[serde(default)]
    pub makeup_workdays: Vec<Date>,
}

/// A public holiday: the dates `from` to `to`, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaySpec {
    /// Name, e.g. `春节 Spring Festival`.
    pub name: String,
    /// First day off.
    pub from: Date,
    /// Last day off.
    pub to: Date,
}

/// One problem in a calendar document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarProblem {
    /// The `format` field names a version this library does not read.
    #[error("unsupported calendar format {found}; this library reads format {expected}")]
    UnsupportedFormat {
        /// Given.
        found: u32,
        /// Supported.
        expected: u32,
    },
    /// No working periods.
    #[error("`working_hours` is empty; give at least one period such as [\"08:30\", \"12:00\"]")]
    NoWorkingHours,
    /// Neither `utc_offset` nor `time_zone`, or both.
    #[error(
        "give the calendar's zone once: `utc_offset` (such as \"+08:00\") or `time_zone` (such as \"Asia/Shanghai\" or \"America/New_York\"), not {given}"
    )]
    Zone {
        /// What was given: `neither` or `both`.
        given: &'static str,
    },
    /// A working period that is unreadable, empty, or out of order.
    #[error("working period {index} (`{from}`-`{to}`): {reason}")]
    BadPeriod {
        /// 1-based position in `working_hours`.
        index: usize,
        /// Start as given.
        from: String,
        /// End as given.
        to: String,
        /// What is wrong.
        reason: String,
    },
    /// A year key that is not a year the calendar can hold.
    #[error("year `{year}` is not a year from 2000 to 2099")]
    BadYear {
        /// The key.
        year: String,
    },
    /// A holiday that ends before it starts.
    #[error("holiday `{name}` in {year} ends ({to}) before it starts ({from})")]
    HolidayBackwards {
        /// Year key.
        year: String,
        /// Holiday name.
        name: String,
        /// Start.
        from: Date,
        /// End.
        to: Date,
    },
    /// A date listed under a year it does not belong to (a holiday may run into the next year).
    #[error("{what} {date} is listed under year {year}")]
    DateOutsideYear {
        /// Year key.
        year: String,
        /// `holiday` or `make-up working day`.
        what: &'static str,
        /// The date.
        date: Date,
    },
    /// A make-up working day that is not on a weekend.
    #[error(
        "make-up working day {date} is a {weekday}, not a weekend day; make-up working days (调休) replace weekend days"
    )]
    MakeupNotWeekend {
        /// The date.
        date: Date,
        /// Its weekday.
        weekday: Weekday,
    },
    /// A date that is both a holiday and a make-up working day.
    #[error("{date} is both a holiday and a make-up working day")]
    HolidayAndMakeup {
        /// The date.
        date: Date,
    },
}

impl CalendarProblem {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedFormat { .. } => "unsupported_format",
            Self::NoWorkingHours => "no_working_hours",
            Self::Zone { .. } => "bad_zone",
            Self::BadPeriod { .. } => "bad_period",
            Self::BadYear { .. } => "bad_year",
            Self::HolidayBackwards { .. } => "holiday_backwards",
            Self::DateOutsideYear { .. } => "date_outside_year",
            Self::MakeupNotWeekend { .. } => "makeup_not_weekend",
            Self::HolidayAndMakeup { .. } => "holiday_and_makeup",
        }
    }
}

/// A calendar could not be read, or a deadline could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The document is not valid JSON or not the calendar's shape.
    #[error("calendar does not parse at line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document breaks the calendar's rules; every problem is listed.
    #[error("calendar has {} problem{}: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<CalendarProblem>),
    /// A time lies outside the years the calendar can count (2000-2099).
    #[error("{what} {at} lies outside the years the calendar can count (2000 to 2099)")]
    OutOfRange {
        /// What was being computed.
        what: &'static str,
        /// The local date.
        at: String,
    },
}

impl CalendarError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "calendar_parse",
            Self::Invalid(_) => "calendar_invalid",
            Self::OutOfRange { .. } => "calendar_out_of_range",
        }
    }
}

named_enum! {
    /// The unit a time limit is counted in.
    LimitUnit, "time limit unit" {
        /// Working hours (工作小时): counted only inside working periods.
        WorkingHours = "working_hours",
        /// Working days (工作日): the start day not counted; ends at close of business.
        WorkingDays = "working_days",
        /// Wall-clock hours (小时).
        Hours = "hours",
        /// Calendar days (自然日): the start day not counted; ends at 24:00.
        Days = "days",
        /// Wall-clock minutes (分钟), for what must happen at once.
        Minutes = "minutes",
    }
}

/// Which clock a time limit runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Only working time counts.
    Working,
    /// All time counts.
    Wall,
}

impl LimitUnit {
    /// The clock this unit runs on.
    #[must_use]
    pub const fn clock(self) -> Clock {
        match self {
            Self::WorkingHours | Self::WorkingDays => Clock::Working,
            Self::Hours | Self::Days | Self::Minutes => Clock::Wall,
        }
    }
}

/// The largest amount a time limit may have.
pub const MAX_LIMIT: u32 = 10_000;

/// A time limit such as `4 working hours`, `1 working day`, `15 working days`, `48 hours`.
///
/// Parses English (`4 working hours`, `1 working day`, `48 hours`, `30 days`,
/// `30 calendar days`) and Chinese (`4个工作小时`, `15个工作日`, `48小时`, `30日`, `30天`,
/// `30个自然日`); prints the canonical English form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeLimit {
    /// From 1 to [`MAX_LIMIT`], so 16 bits hold it: a limit is then 4 bytes, and a
    /// decision with its level and limit keeps them in one word.
    amount: u16,
    unit: LimitUnit,
}

/// A time limit could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid time limit: {reason}")]
pub struct TimeLimitError {
    /// The value given, shortened if long.
    pub value: String,
    /// Why.
    pub reason: &'static str,
}

impl TimeLimit {
    /// A time limit of `amount` units.
    ///
    /// # Errors
    /// [`TimeLimitError`] when `amount` is 0 or above [`MAX_LIMIT`].
    pub fn new(amount: u32, unit: LimitUnit) -> Result<Self, TimeLimitError> {
        if amount == 0 || amount > MAX_LIMIT {
            return Err(TimeLimitError {
                value: format!("{amount} {unit}"),
                reason: "the amount must be from 1 to 10000",
            });
        }
        Ok(Self::known(amount, unit))
    }

    /// A time limit the library itself spells out (defaults), clamped into the valid range.
    pub(crate) const fn known(amount: u32, unit: LimitUnit) -> Self {
        let amount = if amount == 0 {
            1
        } else if amount > MAX_LIMIT {
            MAX_LIMIT
        } else {
            amount
        };
        #[allow(
            clippy::cast_possible_truncation,
            reason = "from 1 to MAX_LIMIT (10,000), checked above"
        )]
        let amount = amount as u16;
        Self { amount, unit }
    }

    /// The amount.
    #[must_use]
    pub const fn amount(self) -> u32 {
        self.amount as u32
    }

    /// The unit.
    #[must_use]
    pub const fn unit(self) -> LimitUnit {
        self.unit
    }
}

impl TimeLimit {
    /// Hands [`Display`](fmt::Display)'s text to `push` in pieces: the amount, the unit,
    /// the plural's `s`.
    fn pieces<E>(self, mut push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
        // The amount is from 1 to 10000; a u16 has at most five digits.
        let mut digits = [0u8; 5];
        let mut n = self.amount;
        let mut start = digits.len();
        while start > 0 {
            start -= 1;
            if let Some(d) = digits.get_mut(start) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        push(std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or("?"))?;
        push(match self.unit {
            LimitUnit::WorkingHours => " working hour",
            LimitUnit::WorkingDays => " working day",
            LimitUnit::Hours => " hour",
            LimitUnit::Days => " day",
            LimitUnit::Minutes => " minute",
        })?;
        if self.amount == 1 { Ok(()) } else { push("s") }
    }

    /// Appends [`Display`](fmt::Display)'s text to `out` without the formatting
    /// machinery: the per-call decision JSON prints its time limit this way.
    pub fn push_to(self, out: &mut String) {
        let _ = self.pieces(|p| {
            out.push_str(p);
            Ok::<(), std::convert::Infallible>(())
        });
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces(|p| f.write_str(p))
    }
}

impl FromStr for TimeLimit {
    type Err = TimeLimitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const SHAPE: &str = "expected an amount and a unit: `4 working hours`, `1 working day`, `48 hours`, `30 days`, `30 minutes` (or 4个工作小时, 15个工作日, 48小时, 30日, 30分钟)";
        let bad = |reason| TimeLimitError {
            value: truncate(s),
            reason,
        };
        let t = s.trim();
        let split = t
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(|| bad(SHAPE))?;
        let (num, rest) = t.split_at(split);
        if num.is_empty() {
            return Err(bad(SHAPE));
        }
        let amount: u32 = num
            .parse()
            .map_err(|_| bad("the amount must be from 1 to 10000"))?;
        let unit_text = rest.trim().to_ascii_lowercase();
        let unit_text = unit_text.strip_prefix('个').unwrap_or(&unit_text);
        let unit = match unit_text {
            "working hour" | "working hours" | "工作小时" | "工作时" => {
                LimitUnit::WorkingHours
            }
            "working day" | "working days" | "工作日" | "工作天" => LimitUnit::WorkingDays,
            "hour" | "hours" | "小时" => LimitUnit::Hours,
            "minute" | "minutes" | "分钟" | "分" => LimitUnit::Minutes,
            "day" | "days" | "calendar day" | "calendar days" | "日" | "天" | "自然日" => {
                LimitUnit::Days
            }
            _ => return Err(bad(SHAPE)),
        };
        Self::new(amount, unit).map_err(|e| bad(e.reason))
    }
}

impl Serialize for TimeLimit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A pause (缓办): the clock stops at `from` and restarts at `to`; `to` is `None` while the
/// pause is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Pause {
    /// When the clock stopped.
    pub from: Timestamp,
    /// When it restarted.
    #[serde(default)]
    pub to: Option<Timestamp>,
}

/// A validated calendar with its precomputed day table.
#[derive(Clone, Debug)]
pub struct Calendar {
    spec: CalendarSpec,
    zone: Zone,
    /// Working periods as [start, end) minutes of the day.
    periods: Vec<(u16, u16)>,
    /// Working minutes before each period starts.
    before: Vec<u32>,
    /// Working minutes in a working day.
    per_day: u32,
    /// [`worked_by_periods`] of each minute of the day, 0 to 1440: read in one step
    /// rather than summed over the periods for every deadline.
    worked: Box<[u16]>,
    /// [`reached_by_periods`] of each count of working minutes, 0 to
    /// [`per_day`](Self::per_day).
    reached: Box<[u16]>,
    /// Day number of the first day in the table.
    base: i32,
    /// Whether each day of the table is a working day.
    working: Vec<bool>,
    /// Number of working days in the table strictly before each day (one extra at the end).
    ordinal: Vec<u32>,
    /// Day numbers of the working days, in order.
    working_days: Vec<i32>,
    /// Years with holiday data.
    years: Vec<i32>,
}

/// Working minutes of a day before minute-of-day `m`, over working periods `periods`
/// (each `[start, end)`, in order) with `before` the working minutes before each starts.
fn worked_by_periods(periods: &[(u16, u16)], before: &[u32], m: u32) -> u32 {
    periods
        .iter()
        .zip(before)
        .map(|(&(a, b), &acc)| {
            let (a, b) = (u32::from(a), u32::from(b));
            if m <= a {
                0
            } else if m >= b {
                acc + (b - a)
            } else {
                acc + (m - a)
            }
        })
        .max()
        .unwrap_or(0)
}

/// The minute of the day at which the `r`th working minute of a day ends, over working
/// periods `periods` with `before` the working minutes before each starts (see
/// [`worked_by_periods`]); 0 for `r` = 0.
fn reached_by_periods(periods: &[(u16, u16)], before: &[u32], r: u32) -> u32 {
    periods
        .iter()
        .zip(before)
        .find(|&(&(a, b), &acc)| r > acc && r <= acc + u32::from(b - a))
        .map_or(0, |(&(a, _), &acc)| u32::from(a) + (r - acc))
}

impl Calendar {
    /// The embedded China mainland calendar: UTC+08:00, 08:30-12:00 and 14:00-17:30,
    /// Saturday and Sunday off, and the State Council's holidays and make-up working days
    /// for 2025 and 2026.
    #[must_use]
    pub fn china() -> Self {
        #[expect(
            clippy::expect_used,
            reason = "the embedded calendar is fixed data, checked by the test suite"
        )]
        Self::from_json_str(CHINA_JSON).expect("the embedded calendar is valid")
    }

    /// Parses and validates a calendar document.
    ///
    /// # Errors
    /// [`CalendarError::Parse`] or [`CalendarError::Invalid`].
    pub fn from_json_str(json: &str) -> Result<Self, CalendarError> {
        let spec: CalendarSpec = serde_json::from_str(json).map_err(|e| CalendarError::Parse {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        Self::from_spec(spec)
    }

    /// Validates a calendar and builds its day table.
    ///
    /// # Errors
    /// [`CalendarError::Invalid`] listing every problem.
    pub fn from_spec(spec: CalendarSpec) -> Result<Self, CalendarError> {
        let mut problems = Vec::new();
        if spec.format != CALENDAR_FORMAT {
            problems.push(CalendarProblem::UnsupportedFormat {
                found: spec.format,
                expected: CALENDAR_FORMAT,
            });
        }
        if spec.working_hours.is_empty() {
            problems.push(CalendarProblem::NoWorkingHours);
        }
        let zone = match (spec.utc_offset, spec.time_zone) {
            (Some(o), None) => Zone::Fixed(o),
            (None, Some(z)) => z,
            (None, None) => {
                problems.push(CalendarProblem::Zone { given: "neither" });
                Zone::Fixed(Offset::UTC)
            }
            (Some(o), Some(_)) => {
                problems.push(CalendarProblem::Zone { given: "both" });
                Zone::Fixed(o)
            }
        };
        let mut periods = Vec::new();
        let mut last_end = 0u16;
        for (i, [from, to]) in spec.working_hours.iter().enumerate() {
            let bad = |reason: String| CalendarProblem::BadPeriod {
                index: i + 1,
                from: truncate(from),
                to: truncate(to),
                reason,
            };
            match (parse_clock(from), parse_clock(to)) {
                (Ok(a), Ok(b)) => {
                    if b <= a {
                        problems.push(bad("the period must end after it starts".to_owned()));
                    } else if a < last_end {
                        problems.push(bad(format!(
                            "periods must be in order and not overlap; the previous one ends at {}",
                            format_clock(last_end)
                        )));
                    } else {
                        periods.push((a, b));
                        last_end = b;
                    }
                }
                (Err(e), _) | (_, Err(e)) => problems.push(bad(e.to_string())),
            }
        }
        let weekend: Vec<u32> = spec
            .weekend
            .iter()
            .map(|w| match w {
                Weekday::Monday => 0,
                Weekday::Tuesday => 1,
                Weekday::Wednesday => 2,
                Weekday::Thursday => 3,
                Weekday::Friday => 4,
                Weekday::Saturday => 5,
                Weekday::Sunday => 6,
            })
            .collect();
        let weekday_name = |d: Date| {
            Weekday::ALL
                .get(d.weekday() as usize)
                .copied()
                .unwrap_or(Weekday::Monday)
        };

        let day = |(y, m, d): (i32, u32, u32)| Date::from_ymd_any(y, m, d).map_or(0, Date::days);
        let table_from = Date::from_days(day(TABLE_FROM));
        let table_to = day(TABLE_TO);
        let base = table_from.days();
        let n = usize::try_from(table_to - base).unwrap_or(0);
        let mut working: Vec<bool> = (0..n)
            .map(|i| {
                let d = Date::from_days(base + i as i32);
                !weekend.contains(&d.weekday())
            })
            .collect();
        let mut holidays_seen = Vec::new();
        let mut years = Vec::new();
        let mut makeups = Vec::new();
        for (key, y) in &spec.years {
            let year = match key.parse::<i32>() {
                Ok(v) if (2000..2100).contains(&v) && key.len() == 4 => v,
                _ => {
                    problems.push(CalendarProblem::BadYear {
                        year: truncate(key),
                    });
                    continue;
                }
            };
            years.push(year);
            for h in &y.holidays {
                if h.to < h.from {
                    problems.push(CalendarProblem::HolidayBackwards {
                        year: key.clone(),
                        name: truncate(&h.name),
                        from: h.from,
                        to: h.to,
                    });
                    continue;
                }
                // A holiday must start in its year (it may run into the next).
                if h.from.ymd().0 != year {
                    problems.push(CalendarProblem::DateOutsideYear {
                        year: key.clone(),
                        what: "holiday",
                        date: h.from,
                    });
                    continue;
                }
                let mut d = h.from;
                while d <= h.to {
                    holidays_seen.push(d);
                    if let Some(slot) = usize::try_from(d.days() - base)
                        .ok()
                        .and_then(|i| working.get_mut(i))
                    {
                        *slot = false;
                    }
                    d = d.succ();
                }
            }
            for &d in &y.makeup_workdays {
                if d.ymd().0 != year {
                    problems.push(CalendarProblem::DateOutsideYear {
                        year: key.clone(),
                        what: "make-up working day",
                        date: d,
                    });
                    continue;
                }
                if !weekend.contains(&d.weekday()) {
                    problems.push(CalendarProblem::MakeupNotWeekend {
                        date: d,
                        weekday: weekday_name(d),
                    });
                    continue;
                }
                makeups.push(d);
            }
        }
        holidays_seen.sort_unstable();
        for d in &makeups {
            if holidays_seen.binary_search(d).is_ok() {
                problems.push(CalendarProblem::HolidayAndMakeup { date: *d });
            } else if let Some(slot) = usize::try_from(d.days() - base)
                .ok()
                .and_then(|i| working.get_mut(i))
            {
                *slot = true;
            }
        }
        if !problems.is_empty() {
            return Err(CalendarError::Invalid(problems));
        }
        let mut ordinal = Vec::with_capacity(n + 1);
        let mut working_days = Vec::new();
        let mut count = 0u32;
        for (i, &w) in working.iter().enumerate() {
            ordinal.push(count);
            if w {
                count += 1;
                working_days.push(base + i as i32);
            }
        }
        ordinal.push(count);
        let mut before = Vec::with_capacity(periods.len());
        let mut acc = 0u32;
        for &(a, b) in &periods {
            before.push(acc);
            acc += u32::from(b - a);
        }
        let worked = (0..=1440u32)
            .map(|m| u16::try_from(worked_by_periods(&periods, &before, m)).unwrap_or(u16::MAX))
            .collect();
        let reached = (0..=acc)
            .map(|r| u16::try_from(reached_by_periods(&periods, &before, r)).unwrap_or(u16::MAX))
            .collect();
        Ok(Self {
            zone,
            spec,
            periods,
            before,
            per_day: acc,
            worked,
            reached,
            base,
            working,
            ordinal,
            working_days,
            years,
        })
    }

    /// The document the calendar was built from.
    #[must_use]
    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    /// The calendar's time zone; local times are read and deadlines shown in it.
    #[must_use]
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The local date of an instant in the calendar's zone.
    #[must_use]
    pub fn date_of(&self, t: Timestamp) -> Date {
        self.zone.date_of(t)
    }

    /// An instant given in Unix seconds, shown in the calendar's zone.
    #[must_use]
    pub fn timestamp(&self, unix: i64) -> Timestamp {
        self.zone.timestamp(unix)
    }

    /// The instant of a local minute (minutes since 1970-01-01 00:00 local time).
    #[must_use]
    pub fn at_local_minute(&self, minute: i64) -> Timestamp {
        self.zone.at_local_minute(minute)
    }

    /// Working minutes in a working day.
    #[must_use]
    pub fn minutes_per_day(&self) -> u32 {
        self.per_day
    }

    /// Whether holiday data was given for a year (other years count weekends only).
    #[must_use]
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    fn day_index(&self, day: i64) -> Option<usize> {
        usize::try_from(day - i64::from(self.base))
            .ok()
            .filter(|&i| i < self.working.len())
    }

    /// Whether a date is a working day: a make-up working day, or a weekday that is not
    /// a public holiday. `false` outside 2000-2099.
    #[must_use]
    pub fn is_working_day(&self, date: Date) -> bool {
        self.day_index(i64::from(date.days()))
            .and_then(|i| self.working.get(i))
            .copied()
            .unwrap_or(false)
    }

    fn out_of_range(&self, what: &'static str, minute: i64) -> CalendarError {
        CalendarError::OutOfRange {
            what,
            at: Date::from_days(i32::try_from(minute.div_euclid(1440)).unwrap_or(i32::MAX))
                .to_string(),
        }
    }

    /// The local minute at which a deadline's clock starts: the first whole minute at or
    /// after `t`.
    fn start_minute(&self, t: Timestamp) -> i64 {
        let secs = self.zone.local_secs(t);
        secs.div_euclid(60) + i64::from(secs.rem_euclid(60) != 0)
    }

    /// Working minutes of the day before minute-of-day `m` (0 to 1440), from the table.
    #[inline]
    fn worked_before(&self, m: u32) -> u32 {
        match self.worked.get(m as usize) {
            Some(w) => u32::from(*w),
            None => worked_by_periods(&self.periods, &self.before, m),
        }
    }

    /// Working minutes from the table's start up to local minute `t`.
    fn position(&self, what: &'static str, t: i64) -> Result<u64, CalendarError> {
        let day = t.div_euclid(1440);
        let i = self
            .day_index(day)
            .ok_or_else(|| self.out_of_range(what, t))?;
        let ord = u64::from(self.ordinal.get(i).copied().unwrap_or(0));
        let within = if self.working.get(i).copied().unwrap_or(false) {
            u64::from(self.worked_before(t.rem_euclid(1440) as u32))
        } else {
            0
        };
        Ok(ord * u64::from(self.per_day) + within)
    }

    /// The local minute at which `n` working minutes after local minute `t` have passed.
    fn add_working(&self, what: &'static str, t: i64, n: u64) -> Result<i64, CalendarError> {
        if n == 0 {
            return Ok(t);
        }
        let target = self.position(what, t)? + n;
        let per_day = u64::from(self.per_day.max(1));
        let k = (target - 1) / per_day;
        let r = u32::try_from(target - k * per_day).unwrap_or(0);
        let day = usize::try_from(k)
            .ok()
            .and_then(|k| self.working_days.get(k))
            .copied()
            .ok_or_else(|| self.out_of_range(what, t + i64::try_from(n).unwrap_or(0)))?;
        let minute = match self.reached.get(r as usize) {
            Some(m) => u32::from(*m),
            None => reached_by_periods(&self.periods, &self.before, r),
        };
        Ok(i64::from(day) * 1440 + i64::from(minute))
    }

    /// The close of business (end of the last working period) of a day, as a local minute.
    fn close_of(&self, day: i64) -> i64 {
        let close = self.periods.last().map_or(1440, |&(_, b)| u32::from(b));
        day * 1440 + i64::from(close)
    }

    /// The deadline of a time limit started at `start`, shown in the offset the calendar's zone has then.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the start or the deadline lies outside 2000-2099.
    pub fn deadline(&self, start: Timestamp, limit: TimeLimit) -> Result<Timestamp, CalendarError> {
        let what = "deadline";
        let n = i64::from(limit.amount);
        let t0 = self.start_minute(start);
        let minute = match limit.unit {
            LimitUnit::WorkingHours => self.add_working(what, t0, (n * 60) as u64)?,
            // Natural hours are elapsed time: across a daylight-saving change the wall clock
            // moves by an hour more or less.
            LimitUnit::Hours => return self.elapsed(what, start, n * 60),
            LimitUnit::Minutes => return self.elapsed(what, start, n),
            LimitUnit::WorkingDays => {
                let day = t0.div_euclid(1440);
                let i = self
                    .day_index(day + 1)
                    .ok_or_else(|| self.out_of_range(what, t0))?;
                let first = self.ordinal.get(i).copied().unwrap_or(0);
                let k = first as usize + limit.amount as usize - 1;
                let d = self
                    .working_days
                    .get(k)
                    .ok_or_else(|| self.out_of_range(what, t0 + n * 1440))?;
                self.close_of(i64::from(*d))
            }
            LimitUnit::Days => {
                let last = t0.div_euclid(1440) + n;
                let i = self
                    .day_index(last)
                    .ok_or_else(|| self.out_of_range(what, last * 1440))?;
                let last = if self.working.get(i).copied().unwrap_or(false) {
                    last
                } else {
                    let ord = self.ordinal.get(i).copied().unwrap_or(0) as usize;
                    i64::from(
                        *self
                            .working_days
                            .get(ord)
                            .ok_or_else(|| self.out_of_range(what, last * 1440))?,
                    )
                };
                (last + 1) * 1440
            }
        };
        if self.day_index(minute.div_euclid(1440)).is_none() {
            return Err(self.out_of_range(what, minute));
        }
        Ok(self.zone.at_local_minute(minute))
    }

    /// The first whole Unix minute at or after `t`.
    fn unix_minute(t: Timestamp) -> i64 {
        let secs = t.unix();
        secs.div_euclid(60) + i64::from(secs.rem_euclid(60) != 0)
    }

    /// The instant `minutes` of elapsed time after `t` (from its first whole minute),
    /// shown in the calendar's zone.
    fn elapsed(
        &self,
        what: &'static str,
        t: Timestamp,
        minutes: i64,
    ) -> Result<Timestamp, CalendarError> {
        let unix_minute = Self::unix_minute(t).saturating_add(minutes);
        let at = self.zone.timestamp(unix_minute.saturating_mul(60));
        let local = self.zone.local_secs(at).div_euclid(60);
        if self.day_index(local.div_euclid(1440)).is_none() {
            return Err(self.out_of_range(what, local));
        }
        Ok(at)
    }

    /// Minutes on `clock` between two instants (0 when `to` is not after `from`).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`].
    pub fn clock_minutes(
        &self,
        clock: Clock,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<u64, CalendarError> {
        if to <= from {
            return Ok(0);
        }
        Ok(match clock {
            Clock::Wall => {
                u64::try_from(Self::unix_minute(to) - Self::unix_minute(from)).unwrap_or(0)
            }
            Clock::Working => self
                .position("clock", self.start_minute(to))?
                .saturating_sub(self.position("clock", self.start_minute(from))?),
        })
    }

    /// The instant `minutes` on `clock` after `t`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`].
    pub fn advance(
        &self,
        clock: Clock,
        t: Timestamp,
        minutes: u64,
    ) -> Result<Timestamp, CalendarError> {
        if clock == Clock::Wall {
            return self.elapsed(
                "deadline",
                t,
                i64::try_from(minutes).unwrap_or(i64::MAX / 2),
            );
        }
        let t0 = self.start_minute(t);
        let m = self.add_working("deadline", t0, minutes)?;
        if self.day_index(m.div_euclid(1440)).is_none() {
            return Err(self.out_of_range("deadline", m));
        }
        Ok(self.zone.at_local_minute(m))
    }

    /// The deadline of a time limit started at `start` with pauses (缓办): each closed pause
    /// that begins before the deadline moves it on by the clock's time inside the pause.
    /// `Ok(None)` while a pause is open: the clock is stopped and there is no deadline.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`].
    pub fn deadline_with_pauses(
        &self,
        start: Timestamp,
        limit: TimeLimit,
        pauses: &[Pause],
    ) -> Result<Option<Timestamp>, CalendarError> {
        let due = self.deadline(start, limit)?;
        self.extend(start, due, limit.unit.clock(), pauses)
    }

    /// Moves a deadline on by the pauses on its clock (see
    /// [`deadline_with_pauses`](Self::deadline_with_pauses)); `start` is when its clock
    /// started (time paused before it does not count). `Ok(None)` while a pause is open.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`].
    pub fn extend(
        &self,
        start: Timestamp,
        due: Timestamp,
        clock: Clock,
        pauses: &[Pause],
    ) -> Result<Option<Timestamp>, CalendarError> {
        let mut due = due;
        if pauses.is_empty() {
            return Ok(Some(due));
        }
        // Pauses come in order from a ledger; sort a copy only when they do not.
        let copy;
        let sorted = if pauses
            .windows(2)
            .all(|w| w.first().map(|p| p.from) <= w.get(1).map(|p| p.from))
        {
            pauses
        } else {
            let mut v = pauses.to_vec();
            v.sort_by_key(|p| p.from);
            copy = v;
            &copy
        };
        for p in sorted {
            let Some(to) = p.to else {
                if p.from < due {
                    return Ok(None);
                }
                continue;
            };
            if p.from >= due || to <= p.from {
                continue;
            }
            let from = if p.from < start { start } else { p.from };
            let stopped = self.clock_minutes(clock, from, to)?;
            due = self.advance(clock, due, stopped)?;
        }
        Ok(Some(due))
    }
}

crate::tsdecl::ts_alias!(TimeLimit = "string");

#[cfg(test)]
mod tests;
