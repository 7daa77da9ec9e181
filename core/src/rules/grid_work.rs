//! The grid's own work in a rule-set version: how often each grid meets (定期组织网格例会)
//! and whose attendance counts, and how soon an open register entry is visited again.

use serde::{Deserialize, Serialize};

use super::{Location, RuleProblem};
use crate::calendar::TimeLimit;
use crate::case::work::AttendeeRole;
use crate::macros::named_enum;
use crate::time::Date;

named_enum! {
    /// How often something recurs, in calendar periods of the calendar's zone.
    Cadence, "cadence" {
        /// Every week, Monday to Sunday.
        Week = "week",
        /// Every calendar month.
        Month = "month",
        /// Every quarter (January, April, July, October).
        Quarter = "quarter",
    }
}

impl Cadence {
    /// The period that contains `day`: its first day and the first day after it.
    #[must_use]
    pub fn period_of(self, day: Date) -> (Date, Date) {
        match self {
            Self::Week => {
                // weekday(): 0 = Monday … 6 = Sunday.
                let monday = day.days() - i32::try_from(day.weekday()).unwrap_or(0);
                (Date::from_days(monday), Date::from_days(monday + 7))
            }
            Self::Month | Self::Quarter => {
                let (y, m, _) = day.ymd();
                let first = if self == Self::Quarter {
                    (m - 1) / 3 * 3 + 1
                } else {
                    m
                };
                let len = if self == Self::Quarter { 3 } else { 1 };
                let (ny, nm) = if first + len > 12 {
                    (y + 1, first + len - 12)
                } else {
                    (y, first + len)
                };
                (first_of(y, first, day), first_of(ny, nm, day))
            }
        }
    }

    /// The last whole period before the one containing `day`.
    #[must_use]
    pub fn previous_period(self, day: Date) -> (Date, Date) {
        let (start, _) = self.period_of(day);
        self.period_of(Date::from_days(start.days() - 1))
    }
}

/// The first of a month (`fallback` for a date outside the calendar's reach, which
/// `Date::new` refuses only for years beyond ±9999).
fn first_of(y: i32, m: u32, fallback: Date) -> Date {
    Date::new(y, m, 1).unwrap_or(fallback)
}

/// Grid meetings: their cadence and whose attendance the indicator counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MeetingSpec {
    /// How often each grid meets; a period without a meeting of the grid is listed in
    /// `actions` (`missed_meetings`).
    pub every: Cadence,
    /// The capacities whose attendance a meeting needs to count as attended in full
    /// (the liaison committee member and a deputy, 社区两委包保联系网格、两代表一委员进网格).
    #[serde(default = "default_required")]
    pub required: Vec<AttendeeRole>,
    /// Where the cadence comes from, or that it is assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The capacities a meeting needs when the rule set names none: the liaison committee
/// member and a deputy.
pub const DEFAULT_REQUIRED: [AttendeeRole; 2] = [AttendeeRole::Liaison, AttendeeRole::Deputy];

fn default_required() -> Vec<AttendeeRole> {
    DEFAULT_REQUIRED.to_vec()
}

/// The grid's own work in a version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GridWorkSpec {
    /// Grid meetings; without them no meeting is missed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meetings: Option<MeetingSpec>,
    /// How soon an open register entry is visited again after its registration or last
    /// follow-up; a later one is listed in `actions` (`follow_ups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_within: Option<TimeLimit>,
}

impl GridWorkSpec {
    /// Whether it asks for nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Checks a version's grid work: a meeting cadence that counts someone, a follow-up limit
/// that gives some time.
pub(crate) fn check(spec: &GridWorkSpec, vloc: &Location, errors: &mut Vec<RuleProblem>) {
    let at = |column: &str| Location {
        column: Some(column.to_owned()),
        ..vloc.clone()
    };
    if let Some(m) = &spec.meetings {
        if m.required.is_empty() {
            errors.push(RuleProblem::new(
                "bad_grid_work",
                at("grid_work.meetings.required"),
                "no attendance is required, so the attendance indicator counts nothing; name the capacities that must attend (liaison, deputy…)".to_owned(),
            ));
        }
        let mut seen = Vec::new();
        for r in &m.required {
            if seen.contains(r) {
                errors.push(RuleProblem::new(
                    "bad_grid_work",
                    at("grid_work.meetings.required"),
                    format!("`{r}` is listed twice"),
                ));
            }
            seen.push(*r);
        }
    }
    if spec.follow_up_within.is_some_and(|t| t.amount() == 0) {
        errors.push(RuleProblem::new(
            "bad_grid_work",
            at("grid_work.follow_up_within"),
            "a follow-up limit of 0 makes every open entry late at once; give a positive time (7 days…)".to_owned(),
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::Cadence;
    use crate::time::Date;

    #[test]
    fn periods_hold_their_day_and_end_where_the_next_begins() {
        // (cadence, day, its period's first day, the first day after it); 2026-03-04 is a
        // Wednesday.
        let cases = [
            (Cadence::Month, (2026, 3, 31), (2026, 3, 1), (2026, 4, 1)),
            (Cadence::Month, (2026, 12, 5), (2026, 12, 1), (2027, 1, 1)),
            (Cadence::Quarter, (2026, 5, 5), (2026, 4, 1), (2026, 7, 1)),
            (Cadence::Quarter, (2026, 11, 5), (2026, 10, 1), (2027, 1, 1)),
            (Cadence::Week, (2026, 3, 4), (2026, 3, 2), (2026, 3, 9)),
            (Cadence::Week, (2026, 3, 2), (2026, 3, 2), (2026, 3, 9)),
            (Cadence::Week, (2026, 3, 8), (2026, 3, 2), (2026, 3, 9)),
        ];
        let d = |(y, m, day): (i32, u32, u32)| Date::new(y, m, day).unwrap();
        for (cadence, day, from, until) in cases {
            assert_eq!(
                cadence.period_of(d(day)),
                (d(from), d(until)),
                "{cadence} {day:?}"
            );
        }
        let previous = [
            (Cadence::Month, (2026, 1, 1), (2025, 12, 1), (2026, 1, 1)),
            (Cadence::Quarter, (2026, 4, 1), (2026, 1, 1), (2026, 4, 1)),
            (Cadence::Week, (2026, 3, 4), (2026, 2, 23), (2026, 3, 2)),
        ];
        for (cadence, day, from, until) in previous {
            assert_eq!(
                cadence.previous_period(d(day)),
                (d(from), d(until)),
                "{cadence} {day:?}"
            );
        }
    }
}
