//! Monthly scoring (月度评比): indicators per grid, grid worker and community; exact scores
//! under a score scheme; ranking with red and black lists (红黑榜); rewards split exactly
//! (奖补); inactive and zombie grids (不活跃网格、僵尸网格); common demands (共性诉求); and
//! the talent pool (后备人才库).
//!
//! Scoring reads a flat table of case outcomes ([`OutcomeRow`]), made from a ledger
//! ([`Engine::outcomes`](crate::Engine::outcomes)) or read from a CSV or JSON file exported
//! by another system; the same facts give the same scores. The table is checked once
//! against the organisation, rule set and calendar ([`Engine::compile_outcomes`](crate::Engine::compile_outcomes))
//! and scored in one pass per request ([`Engine::score`](crate::Engine::score)).
//!
//! Every rate and score is an exact fraction ([`Ratio`]) and is printed with a fixed
//! number of places, rounded half away from zero, so Rust, Python and JS print the same
//! digits.
//!
//! ```
//! use gridgov::Engine;
//! use gridgov::score::{Indicator, ScoreOptions};
//!
//! let engine = Engine::fushan();
//! let csv = "id,location,category,reported_at,resolved_at,resolved_level,satisfaction,time_limit\n\
//!            c1,fs-c01-g01-m1,neighbour_dispute,2026-03-02T09:00:00+08:00,2026-03-02T15:00:00+08:00,grid,5,3 working days\n\
//!            c2,fs-c01-g01-m2,environment,2026-03-03T09:00:00+08:00,,,,3 working days\n";
//! let rows = gridgov::score::outcomes_from_csv(csv)?;
//! let table = engine.compile_outcomes(&rows, &[], &[])?;
//! let report = engine.score(&table, &ScoreOptions::new("2026-03".parse()?))?;
//! let first = &report.grids[0];
//! assert_eq!(&*first.id, "fs-c01-g01");
//! assert_eq!(first.indicators.get(Indicator::ClosureRate).map(|r| r.to_string()).as_deref(), Some("0.5000"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assemble;
mod ids;
mod outcome;
mod partial;
mod pass;
mod rank;
mod report;
mod rewards;
mod scheme;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::ratio::{Ratio, RatioError};
pub use crate::rules::scoring::{
    Counter, DemandArea, DemandSpec, InactiveSpec, Indicator, Missing, RankingSpec, RewardMethod,
    RewardSpec, SchemeSpec, ScoreItem, ScoringSpec, TalentSpec, TieBreak, Tier,
};
pub use ids::CaseIds;
pub(crate) use outcome::read_csv;
pub use outcome::{
    CSV_COLUMNS, Cell, InspectionRow, MeetingRow, OUTCOME_COLUMNS, OutcomeError, OutcomeRow,
    OutcomeTable, REQUIRED_OUTCOME_COLUMNS, RegisterRow, VisitRow, missing_outcome_column,
    outcome_from_cells, outcome_from_typed_cells, outcomes_from_csv, outcomes_to_csv,
};
#[cfg(feature = "arrow")]
pub(crate) use outcome::{
    OutcomeCells, cell_count, cell_flag, cell_satisfaction, cell_time, read_cells, read_ids,
};
pub use partial::{PartKind, Partial, PartialHeader, PartialRow};
pub use report::{
    Allocation, Counts, Demand, FirstPlace, InactiveGrid, Indicators, MonthReport, Placing, Points,
    REPORT_PARTS, ReportParts, Rewards, Talent, UnitScore,
};
pub use rewards::split_budget;
pub use scheme::Rate;

use crate::case::ledger::Ledger;
use crate::engine::Engine;
use crate::text::truncate_for_message;
use crate::time::{Date, Timestamp, Zone};

/// A calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year, 1970 to 9999.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl Month {
    /// A month; `None` outside 1970-01 to 9999-12.
    #[must_use]
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1970..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// Reads `YYYY-MM`.
    ///
    /// # Errors
    /// What is wrong with the text, and the valid form.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{}` is not a month; write YYYY-MM, such as 2026-03, from 1970-01 to 9999-12",
                truncate_for_message(text)
            )
        };
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(bad)
    }

    /// The month's number counted from year 0 (`year × 12 + month − 1`).
    #[must_use]
    pub const fn ordinal(self) -> i64 {
        self.year as i64 * 12 + self.month as i64 - 1
    }

    /// The month with this [`ordinal`](Self::ordinal), if in range.
    #[must_use]
    pub fn from_ordinal(n: i64) -> Option<Self> {
        let year = i32::try_from(n.div_euclid(12)).ok()?;
        let month = u32::try_from(n.rem_euclid(12) + 1).ok()?;
        Self::new(year, month)
    }

    /// The month before, if in range.
    #[must_use]
    pub fn prev(self) -> Option<Self> {
        Self::from_ordinal(self.ordinal() - 1)
    }

    /// The month after, if in range.
    #[must_use]
    pub fn next(self) -> Option<Self> {
        Self::from_ordinal(self.ordinal() + 1)
    }

    /// Its first day.
    #[must_use]
    pub fn first_day(self) -> Date {
        Date::from_ymd_any(self.year, self.month, 1).unwrap_or(Date::from_days(0))
    }

    /// Its first moment (local midnight of its first day) in a time zone.
    #[must_use]
    pub fn start(self, zone: Zone) -> Timestamp {
        zone.at_local_minute(i64::from(self.first_day().days()) * 1440)
    }

    /// The first moment after it in a time zone.
    #[must_use]
    pub fn end(self, zone: Zone) -> Timestamp {
        let (year, month) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        let days = Date::from_ymd_any(year, month, 1).map_or(0, Date::days);
        zone.at_local_minute(i64::from(days) * 1440)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = ScoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).map_err(|message| ScoreError::Request {
            field: "month",
            message,
        })
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What to score: the month, the reward budget, and how many months before it to read
/// for the change in rank, streaks, zombie grids and the talent pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreOptions {
    /// The month to score.
    pub month: Month,
    /// A reward budget in fen (分) to split among the grids; none, no allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_fen: Option<u64>,
    /// Months before `month` to read (default 11: a year in all). Months with no data at
    /// all are not ranked and break streaks.
    #[serde(default = "default_history")]
    pub history: u32,
}

/// The most months before the scored one a request may read.
pub const MAX_HISTORY: u32 = 120;

fn default_history() -> u32 {
    11
}

impl ScoreOptions {
    /// Scores `month` with no budget and the default history.
    #[must_use]
    pub fn new(month: Month) -> Self {
        Self {
            month,
            budget_fen: None,
            history: default_history(),
        }
    }

    /// With a reward budget in fen.
    #[must_use]
    pub fn with_budget(mut self, fen: u64) -> Self {
        self.budget_fen = Some(fen);
        self
    }

    /// With this many months of history.
    #[must_use]
    pub fn with_history(mut self, months: u32) -> Self {
        self.history = months;
        self
    }
}

/// A request to score a month: the month, the reward budget, the months of history, the
/// failed inspections, and (when an outcome table is scored rather than a ledger) the table
/// as rows (`outcomes`) or as CSV text (`outcomes_csv`) with the `visits`. The JSON shape
/// every binding sends.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ScoreRequest {
    /// The month to score.
    pub month: Month,
    /// A reward budget in fen.
    #[serde(default)]
    pub budget_fen: Option<u64>,
    /// Months before `month` to read (default 11).
    #[serde(default)]
    pub history: Option<u32>,
    /// Failed inspections, per grid and month.
    #[serde(default)]
    pub inspections: Vec<InspectionRow>,
    /// The outcome table as rows.
    #[serde(default)]
    pub outcomes: Option<Vec<OutcomeRow>>,
    /// The outcome table as CSV text (the columns of [`CSV_COLUMNS`]).
    #[serde(default)]
    pub outcomes_csv: Option<String>,
    /// Household visits, with an outcome table.
    #[serde(default)]
    pub visits: Vec<VisitRow>,
    /// Grid meetings held, one row per grid, with an outcome table.
    #[serde(default)]
    pub meetings: Vec<MeetingRow>,
    /// Register entries closed, with an outcome table.
    #[serde(default)]
    pub register: Vec<RegisterRow>,
    /// The parts of the report to return (names of [`REPORT_PARTS`]); none: all of them.
    #[serde(default, deserialize_with = "report_parts")]
    pub include: Option<Vec<String>>,
}

fn report_parts<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let names = Option::<Vec<String>>::deserialize(d)?;
    if let Some(bad) = names
        .iter()
        .flatten()
        .find(|n| !REPORT_PARTS.contains(&n.as_str()))
    {
        return Err(serde::de::Error::custom(format!(
            "`{}` is not a part of a month's report; parts are {}",
            truncate_for_message(bad),
            REPORT_PARTS.join(", ")
        )));
    }
    Ok(names)
}

impl ScoreRequest {
    /// Reads a request from JSON.
    ///
    /// # Errors
    /// [`JsonError`](crate::input::JsonError) with the line and column.
    pub fn from_json_str(text: &str) -> Result<Self, crate::input::JsonError> {
        crate::input::from_json("score request", text)
    }

    /// A request for `month` with nothing else.
    #[must_use]
    pub fn new(month: Month) -> Self {
        Self {
            month,
            budget_fen: None,
            history: None,
            inspections: Vec::new(),
            outcomes: None,
            outcomes_csv: None,
            visits: Vec::new(),
            meetings: Vec::new(),
            register: Vec::new(),
            include: None,
        }
    }

    /// The month, budget and history asked for.
    #[must_use]
    pub fn options(&self) -> ScoreOptions {
        let mut o = ScoreOptions::new(self.month);
        o.budget_fen = self.budget_fen;
        if let Some(h) = self.history {
            o.history = h;
        }
        o
    }

    fn misplaced(message: &str) -> ScoreError {
        ScoreError::Input(crate::input::InputError::value("score request", message))
    }
}

/// Scoring: outcome tables from a ledger, their compilation, and the month's evaluation.
impl Engine {
    /// The outcome rows of every case in a ledger: the facts a system exporting a flat
    /// table would give. A repeat report joined to a case is a row with `repeat_of`; `due`
    /// is the deadline in force when the case was resolved (or now, if open), pauses
    /// counted; a case still paused has no deadline.
    #[must_use]
    pub fn outcomes(&self, ledger: &Ledger) -> Vec<OutcomeRow> {
        self.ledger_outcomes(ledger)
    }

    /// The household visits recorded in a ledger, a household named by id counted once
    /// a month.
    #[must_use]
    pub fn visits(&self, ledger: &Ledger) -> Vec<VisitRow> {
        self.ledger_visits(ledger)
    }

    /// The grid meetings recorded in a ledger, one row per grid a meeting was held for.
    #[must_use]
    pub fn meetings(&self, ledger: &Ledger) -> Vec<MeetingRow> {
        self.ledger_meetings(ledger)
    }

    /// The register entries of a ledger that are closed.
    #[must_use]
    pub fn register_rows(&self, ledger: &Ledger) -> Vec<RegisterRow> {
        self.ledger_register(ledger)
    }

    /// Adds grid meetings and closed register entries to a compiled table, for the
    /// meeting-attendance and register-resolution indicators.
    ///
    /// # Errors
    /// [`OutcomeError`] for the first row whose grid or unit is not in a grid.
    pub fn compile_grid_work(
        &self,
        table: &mut OutcomeTable,
        meetings: &[MeetingRow],
        register: &[RegisterRow],
    ) -> Result<(), OutcomeError> {
        self.compile_work(table, meetings, register)
    }

    /// Checks outcome rows, visits and inspections against the organisation, rule set and
    /// calendar, and compiles them for scoring.
    ///
    /// A row's deadline is its `due`, or else its `time_limit` counted from `reported_at`
    /// on the calendar; a row with neither is left out of the on-time rate. A row with
    /// `accepted_at` counts as timely accepted when taken in within the acceptance limit
    /// of the version in force when it was reported.
    ///
    /// # Errors
    /// [`OutcomeError`] for the first row that does not fit: a location that is not a unit
    /// or not in a grid, an unknown category, a satisfaction outside 1-5, a resolution
    /// before the report, a level without a resolution time (or the reverse), a paused
    /// case with a resolution, a time outside the calendar's years, an inspection month
    /// that is not `YYYY-MM`.
    pub fn compile_outcomes(
        &self,
        rows: &[OutcomeRow],
        visits: &[VisitRow],
        inspections: &[InspectionRow],
    ) -> Result<OutcomeTable, OutcomeError> {
        self.compile(rows, visits, inspections)
    }

    /// Scores a month from a compiled outcome table: indicators, scores and ranks of every
    /// grid, grid worker and community; the red and black lists and streaks; inactive and
    /// zombie grids; common demands; the split of a reward budget; and the talent pool.
    /// Each month is scored under the rule-set version in force on its first day.
    ///
    /// # Errors
    /// [`ScoreError::Request`] for a history longer than [`MAX_HISTORY`] or a table compiled
    /// by an engine with another organisation or rule set;
    /// [`ScoreError::BudgetBelowFloor`] when the budget cannot pay every floor.
    pub fn score(
        &self,
        table: &OutcomeTable,
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        self.score_table(table, options)
    }

    /// Scores a month from a ledger: its cases and visits, with failed inspections given
    /// apart (the ledger does not record inspections).
    ///
    /// # Errors
    /// As [`Engine::compile_outcomes`] and [`Engine::score`].
    pub fn score_ledger(
        &self,
        ledger: &Ledger,
        inspections: &[InspectionRow],
        options: &ScoreOptions,
    ) -> Result<MonthReport, ScoreError> {
        let mut table =
            self.compile_outcomes(&self.outcomes(ledger), &self.visits(ledger), inspections)?;
        self.compile_grid_work(
            &mut table,
            &self.meetings(ledger),
            &self.register_rows(ledger),
        )?;
        let mut report = self.score(&table, options)?;
        let (from, until) = (
            options.month.first_day(),
            options
                .month
                .next()
                .map_or(Date::from_days(i32::MAX), Month::first_day),
        );
        report.work = Some(self.work_summary(ledger, from, until));
        Ok(report)
    }

    /// Scores a month of a ledger (its cases and visits) as a request asks: the request
    /// gives the month, budget, history and inspections, and no table.
    ///
    /// # Errors
    /// [`ScoreError::Input`] when the request also gives a table; as
    /// [`Engine::score`] otherwise.
    pub fn score_ledger_request(
        &self,
        ledger: &Ledger,
        request: &ScoreRequest,
    ) -> Result<MonthReport, ScoreError> {
        if request.outcomes.is_some()
            || request.outcomes_csv.is_some()
            || !request.visits.is_empty()
            || !request.meetings.is_empty()
            || !request.register.is_empty()
        {
            return Err(ScoreRequest::misplaced(
                "a ledger gives its own cases, visits, meetings and register: leave out `outcomes`, `outcomes_csv`, `visits`, `meetings` and `register` (or score the table with score_outcomes)",
            ));
        }
        let options = request.options();
        self.score_ledger(ledger, &request.inspections, &options)
    }

    /// Scores a month of an outcome table as a request asks. The table is the request's
    /// (`outcomes` or `outcomes_csv`, one of the two) or, when `columns` is given, rows
    /// read from columns by the caller (an Arrow table), and then the request gives none.
    ///
    /// # Errors
    /// [`ScoreError::Input`] for a table given twice or not at all;
    /// [`ScoreError::Outcome`] for a bad row (with its CSV line); as [`Engine::score`].
    pub fn score_table_request(
        &self,
        request: ScoreRequest,
        columns: Option<Vec<OutcomeRow>>,
    ) -> Result<MonthReport, ScoreError> {
        let options = request.options();
        let (rows, lines) = match (columns, request.outcomes, request.outcomes_csv) {
            (Some(rows), None, None) | (None, Some(rows), None) => (rows, None),
            (None, None, Some(csv)) => {
                let (rows, lines) = read_csv(&csv)?;
                (rows, Some(lines))
            }
            (Some(_), _, _) => {
                return Err(ScoreRequest::misplaced(
                    "the table is given as columns: leave out `outcomes` and `outcomes_csv`",
                ));
            }
            _ => {
                return Err(ScoreRequest::misplaced(
                    "give the table as `outcomes` (a list of rows) or as `outcomes_csv` (CSV text), one of the two",
                ));
            }
        };
        let mut table = self
            .compile_outcomes(&rows, &request.visits, &request.inspections)
            .map_err(|mut e| {
                if let (Some(lines), "outcomes") = (&lines, e.table) {
                    e.line = e.row.checked_sub(1).and_then(|i| lines.get(i)).copied();
                }
                e
            })?;
        self.compile_grid_work(&mut table, &request.meetings, &request.register)?;
        self.score(&table, &options)
    }
}

/// Scoring could not be done: a bad outcome row, a bad request, or a budget that cannot
/// be split as asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// The request is not of the right shape (a table given twice, or to a ledger).
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// An outcome, visit or inspection row is not valid.
    #[error(transparent)]
    Outcome(#[from] OutcomeError),
    /// A field of the request is not valid.
    #[error("score request `{field}`: {message}")]
    Request {
        /// The field.
        field: &'static str,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// The budget is smaller than the floor owed to every eligible grid.
    #[error(
        "the budget of {budget_fen} fen is less than the floor of {floor_fen} fen for each of {grids} eligible grids ({needed} fen); raise the budget or lower `rewards.floor_fen`"
    )]
    BudgetBelowFloor {
        /// The budget.
        budget_fen: u64,
        /// The floor per grid.
        floor_fen: u64,
        /// Eligible grids.
        grids: usize,
        /// The floors together.
        needed: u128,
    },
}

impl ScoreError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Input(e) => e.code(),
            Self::Outcome(_) => "outcome_row",
            Self::Request { .. } => "score_request",
            Self::BudgetBelowFloor { .. } => "budget_below_floor",
        }
    }
}

crate::tsdecl::ts_alias!(Month = "string");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_report_is_the_whole_report() {
        let engine = Engine::fushan();
        let ledger = crate::sim::simulate_month(&engine, 2026, 3, 300, 7).ledger;
        let report = engine
            .score_ledger(
                &ledger,
                &[],
                &ScoreOptions::new(Month::parse("2026-03").unwrap()).with_budget(100_000),
            )
            .unwrap();
        let all: Vec<String> = REPORT_PARTS.iter().map(|p| (*p).to_owned()).collect();
        let whole = crate::text::to_json(&report);
        assert_eq!(crate::text::to_json(&report.parts(&all)), whole);
        let some =
            crate::text::to_json(&report.parts(&["red_list".to_owned(), "month".to_owned()]));
        assert_eq!(
            some,
            format!(
                r#"{{"month":"2026-03","red_list":{}}}"#,
                crate::text::to_json(&report.red_list)
            )
        );
    }

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.next().unwrap().to_string(), "2027-01");
        assert_eq!(
            Month::parse("2026-01").unwrap().prev().unwrap().to_string(),
            "2025-12"
        );
        for bad in [
            "2026-13",
            "2026-00",
            "2026-3",
            "26-03",
            "2026/03",
            "",
            "1969-12",
            "２０２６-03",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Month::parse("9999-12").unwrap().next(), None);
        let off = crate::time::Offset::from_minutes(480).unwrap();
        let zone = Zone::Fixed(off);
        assert_eq!(m.start(zone).to_string(), "2026-12-01T00:00:00+08:00");
        assert_eq!(
            m.end(zone).with_offset(off).to_string(),
            "2027-01-01T00:00:00+08:00"
        );
        // Where the clocks change, a month still starts at local midnight.
        let ny: Zone = "America/New_York".parse().unwrap();
        let march = Month::parse("2026-03").unwrap();
        assert_eq!(march.start(ny).to_string(), "2026-03-01T00:00:00-05:00");
        assert_eq!(march.end(ny).to_string(), "2026-04-01T00:00:00-04:00");
    }
}
