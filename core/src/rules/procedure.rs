//! The closed loop of a rule-set version (闭环): the petition procedure and its legal limits
//! (信访工作条例, 2022), sittings such as the Thursday duty lawyer (周四律师坐班) and joint
//! reception days (联合接访), supervision orders (督办), verification before closure
//! (核查), call-backs (回访) and the sign-off of shelved cases (挂账销号).
//!
//! GB/T 30428 (digital city management) names the same loop in seven steps: collect,
//! open the case, dispatch, handle, report back, verify and close, evaluate.

use serde::{Deserialize, Serialize};

use super::{Location, RuleProblem};
use crate::calendar::{LimitUnit, TimeLimit, Weekday};
use crate::id::{Name, OfficeId};
use crate::time::{Date, Timestamp};

/// The petition procedure: a case whose decision carries the
/// [`PETITION_PROCEDURE`](crate::case::event::PETITION_PROCEDURE) flag (set by a rule row,
/// for example on the `petition` channel, whatever the category) follows it. Each limit
/// is a step's deadline, with its legal source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PetitionSpec {
    /// The legal source of the limits, e.g. `信访工作条例 (2022) 第三十一条、第三十五条`.
    pub source: String,
    /// The decision on acceptance (受理), counted from receipt: 15 days.
    pub acceptance: TimeLimit,
    /// Handling and the reply (办理、答复), counted from acceptance: 60 days.
    pub handling: TimeLimit,
    /// The most one extension may add, in calendar days: 30 days.
    pub extension: TimeLimit,
    /// How many extensions may be approved: 1.
    #[serde(default = "one")]
    pub extensions: u32,
    /// How long after the reply the petitioner may ask for a review (请求复查): 30 days.
    pub review_request: TimeLimit,
    /// The review by the level above (复查), counted from the request: 30 days.
    pub review: TimeLimit,
}

const fn one() -> u32 {
    1
}

/// A regular sitting (坐班, 接访日): a matter whose lead office is one of the sitting's is
/// booked into the next sitting, and its deadline counts from the sitting. A sitting falls
/// on working days only: one on a public holiday does not take place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SittingSpec {
    /// The id, e.g. `lawyer_desk`.
    pub id: Name,
    /// Chinese name, e.g. 周四律师坐班.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The lead offices whose matters it takes.
    pub offices: Vec<OfficeId>,
    /// The days it sits.
    pub weekdays: Vec<Weekday>,
    /// When it opens, `HH:MM` local time.
    pub opens: String,
    /// Where the schedule comes from, or that it is assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The closed loop of a version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LoopSpec {
    /// The petition procedure; without it no case follows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub petition: Option<PetitionSpec>,
    /// Sittings: the Thursday duty lawyer, joint reception days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sittings: Vec<SittingSpec>,
    /// The time a supervision order (督办) gives when it names none; unanswered by then,
    /// the case climbs a level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision_within: Option<TimeLimit>,
    /// Whether a resolution must pass verification (核查) by someone other than its
    /// handler before the case is closed (by the call-back or the evaluation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verification_required: bool,
    /// The time after the resolution (or its verification) within which the reporter is
    /// called back (回访); late or missing call-backs are listed in `actions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_back_within: Option<TimeLimit>,
}

impl LoopSpec {
    /// Whether it asks for nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The time a supervision order gives: its own, or the rule set's, or 3 working days.
    #[must_use]
    pub fn supervision_limit(&self, own: Option<TimeLimit>) -> TimeLimit {
        own.or(self.supervision_within)
            .unwrap_or(TimeLimit::known(3, LimitUnit::WorkingDays))
    }

    /// The sitting that takes matters led by `office`, if any.
    #[must_use]
    pub fn sitting_for(&self, office: &str) -> Option<&SittingSpec> {
        self.sittings
            .iter()
            .find(|s| s.offices.iter().any(|o| o.as_str() == office))
    }
}

impl SittingSpec {
    /// The opening time in minutes after midnight (09:00 when unreadable; the rule-set
    /// check refuses that).
    fn opens_minute(&self) -> u16 {
        crate::time::parse_clock(&self.opens).unwrap_or(540)
    }

    /// The next sitting that opens at or after `from`: on one of its weekdays that is a
    /// working day of the calendar, within 400 days.
    #[must_use]
    pub fn next_after(
        &self,
        calendar: &crate::calendar::Calendar,
        from: Timestamp,
    ) -> Option<Timestamp> {
        let mut day: Date = calendar.date_of(from);
        let opens = i64::from(self.opens_minute());
        for _ in 0..400 {
            let weekday = Weekday::ALL
                .get(usize::try_from(day.weekday()).unwrap_or(0))
                .copied();
            if weekday.is_some_and(|w| self.weekdays.contains(&w)) && calendar.is_working_day(day) {
                let t = calendar.at_local_minute(i64::from(day.days()) * 1440 + opens);
                if t.unix() >= from.unix() {
                    return Some(t);
                }
            }
            day = day.succ();
        }
        None
    }
}

/// Checks a version's closed loop: readable opening times, sittings on some day, offices
/// that the version's tables name, and limits that fit the procedure.
pub(crate) fn check(
    spec: &LoopSpec,
    table_offices: &[String],
    flags: &[String],
    vloc: &Location,
    errors: &mut Vec<RuleProblem>,
) {
    let loc = |column: String| Location {
        column: Some(column),
        ..vloc.clone()
    };
    let mut bad = |column: String, message: String| {
        errors.push(RuleProblem::new("bad_loop", loc(column), message));
    };
    if let Some(p) = &spec.petition {
        if !flags
            .iter()
            .any(|f| f == crate::case::event::PETITION_PROCEDURE)
        {
            bad(
                "closed_loop.petition".to_owned(),
                format!(
                    "the petition procedure starts with the `{}` flag; declare it in `flags` and set it from a row (for example on the petition channel)",
                    crate::case::event::PETITION_PROCEDURE
                ),
            );
        }
        if p.extension.unit() != LimitUnit::Days {
            bad(
                "closed_loop.petition.extension".to_owned(),
                format!(
                    "`{}`: an extension is given in calendar days, such as \"30 days\"",
                    p.extension
                ),
            );
        }
        if p.source.trim().is_empty() {
            bad(
                "closed_loop.petition.source".to_owned(),
                "name the legal source of the limits, such as 信访工作条例 (2022)".to_owned(),
            );
        }
    }
    for (i, s) in spec.sittings.iter().enumerate() {
        let at = |f: &str| format!("closed_loop.sittings[{i}].{f}");
        if crate::time::parse_clock(&s.opens).is_err() {
            bad(
                at("opens"),
                format!(
                    "`{}` is not a time of day; give HH:MM, such as \"09:00\"",
                    s.opens
                ),
            );
        }
        if s.weekdays.is_empty() {
            bad(
                at("weekdays"),
                format!("sitting `{}` sits on no day; name its weekdays", s.id),
            );
        }
        for o in &s.offices {
            if !table_offices.iter().any(|t| t == o.as_str()) {
                bad(
                    at("offices"),
                    format!(
                        "office `{o}` of sitting `{}` is named by no row of this version, so nothing would be booked into it",
                        s.id
                    ),
                );
            }
        }
    }
}
