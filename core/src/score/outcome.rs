//! Case outcomes: the flat table scoring reads, from the ledger or from a CSV exported by
//! another system; both give the same scores for the same facts.

use serde::{Deserialize, Serialize};

use super::ids::CaseIds;
use crate::calendar::TimeLimit;
use crate::case::Channel;
use crate::case::ledger::{Ledger, Status};
use crate::engine::Engine;
use crate::id::{CaseId, Category, OfficeId, UnitId};
use crate::org::Level;
use crate::text::truncate_for_message;
use crate::time::Timestamp;

/// What became of one case: one row of the outcome table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct OutcomeRow {
    /// The case id.
    pub id: CaseId,
    /// Where: a micro-grid, a building or a grid.
    pub location: UnitId,
    /// Its category.
    pub category: Category,
    /// How it came in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// When it was reported.
    pub reported_at: Timestamp,
    /// When it was taken in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    /// The level that resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_level: Option<Level>,
    /// The resident's satisfaction, 1-5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// Its time limit, counted from `reported_at` when `due` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<TimeLimit>,
    /// Its deadline (pauses counted), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Timestamp>,
    /// Paused (缓办) and not resumed: left out of the on-time rate.
    #[serde(default, skip_serializing_if = "is_false")]
    pub paused: bool,
    /// Times it was sent back as misrouted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub returned: u32,
    /// Times it was reopened.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reopened: u32,
    /// Times it climbed a level.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub escalated: u32,
    /// Shelved as unresolved (挂账).
    #[serde(default, skip_serializing_if = "is_false")]
    pub shelved: bool,
    /// The case this report repeats (a repeat report joined to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<CaseId>,
    /// The office that led the case, when a department resolved it or took it on: the
    /// month's report scores and ranks the offices on their own cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<OfficeId>,
    /// It followed the petition procedure (信访).
    #[serde(default, skip_serializing_if = "is_false")]
    pub petition: bool,
    /// When the petition was accepted (受理); timely when within the procedure's
    /// acceptance limit of the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub petition_accepted_at: Option<Timestamp>,
    /// Supervision orders (督办) given on it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub supervisions: u32,
    /// Of those, the ones answered within their limit.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub supervisions_on_time: u32,
    /// Verifications (核查) of its resolutions.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub verifications: u32,
    /// Of those, the ones that passed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub verifications_passed: u32,
    /// When the reporter was called back (回访); timely when within the call-back limit
    /// of the resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_back_at: Option<Timestamp>,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Households visited in a unit at a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct VisitRow {
    /// The micro-grid or grid visited.
    pub unit: UnitId,
    /// When.
    pub at: Timestamp,
    /// Households visited.
    pub households: u32,
}

/// A grid meeting held (网格例会), for scoring: one grid it was held for, when, and
/// whether every required capacity attended (the rule set's `grid_work.meetings.required`,
/// the liaison committee member and a deputy by default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MeetingRow {
    /// The grid.
    pub grid: UnitId,
    /// When it was held.
    pub at: Timestamp,
    /// Whether every required capacity attended.
    pub attended_in_full: bool,
}

/// A register entry (矛盾纠纷排查台账) closed, for scoring: where, when, and whether it was
/// resolved in the grid (`true`) or sent up (`false`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RegisterRow {
    /// The micro-grid or grid the entry lies in.
    pub unit: UnitId,
    /// When it was closed.
    pub closed_at: Timestamp,
    /// Resolved in the grid, rather than sent up.
    pub resolved: bool,
}

/// Failed inspections of a grid in a month (督查).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct InspectionRow {
    /// The grid.
    pub grid: UnitId,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Inspections it failed.
    pub failed: u32,
}

/// A row of the outcome table (or of the visits or inspections) is not valid: which table,
/// which row, which CSV line, which column, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeError {
    /// `outcomes`, `visits` or `inspections`.
    pub table: &'static str,
    /// 1-based data row; 0 for the CSV header or a line that could not be split.
    pub row: usize,
    /// The line of a CSV file.
    pub line: Option<usize>,
    /// The column.
    pub column: Option<String>,
    /// What is wrong and what would be valid.
    pub reason: String,
}

impl OutcomeError {
    fn new(table: &'static str, row: usize, column: Option<&str>, reason: String) -> Self {
        Self {
            table,
            row,
            line: None,
            column: column.map(str::to_owned),
            reason,
        }
    }

    fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

impl std::fmt::Display for OutcomeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.table)?;
        match (self.row, self.line) {
            (0, Some(1)) => f.write_str(" header (line 1)")?,
            (0, Some(l)) => write!(f, " line {l}")?,
            (0, None) => f.write_str(" header")?,
            (r, Some(l)) => write!(f, " row {r} (line {l})")?,
            (r, None) => write!(f, " row {r}")?,
        }
        if let Some(c) = &self.column {
            write!(f, ", column `{c}`")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for OutcomeError {}

/// The columns of the outcome CSV, in a fixed order for writing; reading takes any order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "location",
    "category",
    "channel",
    "reported_at",
    "accepted_at",
    "resolved_at",
    "resolved_level",
    "satisfaction",
    "time_limit",
    "due",
    "paused",
    "returned",
    "reopened",
    "escalated",
    "shelved",
    "repeat_of",
    "office",
    "petition",
    "petition_accepted_at",
    "supervisions",
    "supervisions_on_time",
    "verifications",
    "verifications_passed",
    "called_back_at",
];

/// How many columns an outcome table may have ([`CSV_COLUMNS`]).
pub const OUTCOME_COLUMNS: usize = 25;

const _: () = assert!(CSV_COLUMNS.len() == OUTCOME_COLUMNS);

/// Reads an outcome table from CSV: a header naming columns of [`CSV_COLUMNS`] (`id`,
/// `location`, `category` and `reported_at` required, the rest optional, in any order),
/// then one line per case. An empty cell is an absent value; `paused` and `shelved` read
/// `true`/`false` (also `1`/`0`, `yes`/`no`, `是`/`否`).
///
/// # Errors
/// [`OutcomeError`] naming the line and column of the first problem.
pub fn outcomes_from_csv(text: &str) -> Result<Vec<OutcomeRow>, OutcomeError> {
    read_csv(text).map(|(rows, _)| rows)
}

/// The columns every outcome table has (the others of [`CSV_COLUMNS`] are optional).
pub const REQUIRED_OUTCOME_COLUMNS: [&str; 4] = ["id", "location", "category", "reported_at"];

/// The message for an outcome table without one of its required columns.
#[must_use]
pub fn missing_outcome_column(missing: &str) -> String {
    let optional: Vec<&str> = CSV_COLUMNS
        .iter()
        .filter(|c| !REQUIRED_OUTCOME_COLUMNS.contains(c))
        .copied()
        .collect();
    format!(
        "the table has no column `{}`; an outcome table has columns {} (required) and {} (optional)",
        crate::text::truncate_for_message(missing),
        REQUIRED_OUTCOME_COLUMNS.join(", "),
        optional.join(", ")
    )
}

/// Reads an outcome CSV; also gives the line each row starts on.
pub(crate) fn read_csv(text: &str) -> Result<(Vec<OutcomeRow>, Vec<usize>), OutcomeError> {
    const T: &str = "outcomes";
    let records = crate::csvio::records(text)
        .map_err(|e| OutcomeError::new(T, 0, None, e.message).at_line(e.line))?;
    let mut it = records.into_iter();
    let Some((_, header)) = it.next() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut cols: Vec<usize> = Vec::with_capacity(header.len());
    for h in &header {
        let h = h.trim();
        let Some(pos) = CSV_COLUMNS.iter().position(|c| *c == h) else {
            return Err(OutcomeError::new(
                T,
                0,
                Some(&truncate_for_message(h)),
                format!("unknown column; columns are {}", CSV_COLUMNS.join(", ")),
            )
            .at_line(1));
        };
        if cols.contains(&pos) {
            return Err(
                OutcomeError::new(T, 0, Some(h), "the column appears twice".to_owned()).at_line(1),
            );
        }
        cols.push(pos);
    }
    for required in REQUIRED_OUTCOME_COLUMNS
        .iter()
        .filter_map(|r| CSV_COLUMNS.iter().position(|c| c == r))
    {
        if !cols.contains(&required) {
            return Err(OutcomeError::new(
                T,
                0,
                CSV_COLUMNS.get(required).copied(),
                "a required column is missing".to_owned(),
            )
            .at_line(1));
        }
    }
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for (i, (line, rec)) in it.enumerate() {
        if rec.len() != cols.len() {
            return Err(OutcomeError::new(
                T,
                i + 1,
                None,
                format!(
                    "the line has {} fields; the header has {}",
                    rec.len(),
                    cols.len()
                ),
            )
            .at_line(line));
        }
        rows.push(
            csv_row(&cols, &rec).map_err(|e| OutcomeError { row: i + 1, ..e }.at_line(line))?,
        );
        lines.push(line);
    }
    Ok((rows, lines))
}

/// Reads one CSV record (the error's row and line are filled in by the caller).
fn csv_row(cols: &[usize], rec: &[String]) -> Result<OutcomeRow, OutcomeError> {
    let mut cells: [Option<&str>; OUTCOME_COLUMNS] = [None; OUTCOME_COLUMNS];
    for (&c, value) in cols.iter().zip(rec) {
        let v = value.trim();
        if let Some(slot) = cells.get_mut(c) {
            *slot = (!v.is_empty()).then_some(v);
        }
    }
    outcome_from_cells(&cells)
}

/// Reads one outcome row from its cells as text, in the order of [`CSV_COLUMNS`] (`None`
/// for an absent value), with the rules of [`outcomes_from_csv`]: the path of every
/// column store (CSV, Arrow) into scoring.
///
/// # Errors
/// [`OutcomeError`] naming the column; its `row` is 0, for the caller to fill in.
pub fn outcome_from_cells(
    cells: &[Option<&str>; OUTCOME_COLUMNS],
) -> Result<OutcomeRow, OutcomeError> {
    outcome_from_typed_cells(&cells.map(|c| c.map(Cell::Text)), None)
}

/// One value of an outcome table as a column store holds it: text (read with the rules of
/// [`outcomes_from_csv`]), or a value already typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text, as in a CSV file.
    Text(&'a str),
    /// A whole number (counts, satisfaction; ids given as numbers).
    Int(i128),
    /// A boolean (`paused`, `shelved`).
    Bool(bool),
    /// An instant (the time columns).
    Time(Timestamp),
}

impl Cell<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Cell::Text(_) => "text",
            Cell::Int(_) => "a number",
            Cell::Bool(_) => "a boolean",
            Cell::Time(_) => "a timestamp",
        }
    }
}

/// [`outcome_from_cells`] on typed cells, sharing location and category ids through
/// `cache` when given (a large table names few units and categories).
///
/// # Errors
/// [`OutcomeError`] naming the column; its `row` is 0, for the caller to fill in.
pub fn outcome_from_typed_cells(
    cells: &[Option<Cell<'_>>; OUTCOME_COLUMNS],
    mut cache: Option<&mut crate::id::IdCache>,
) -> Result<OutcomeRow, OutcomeError> {
    let bad = cell_error;
    let cell = |c: usize| cells.get(c).copied().flatten();
    let wrong = wrong_kind;
    // Text columns: ids, names and phrases (a number is read as its digits).
    let text = |c: usize, buf: &mut String| -> Result<Option<()>, OutcomeError> {
        use std::fmt::Write as _;
        buf.clear();
        match cell(c) {
            None => Ok(None),
            Some(Cell::Text(t)) => {
                buf.push_str(t);
                Ok(Some(()))
            }
            Some(Cell::Int(n)) => {
                // Writing to a String cannot fail.
                let _ = write!(buf, "{n}");
                Ok(Some(()))
            }
            Some(v) => Err(wrong(c, &v, "text")),
        }
    };
    fn parse<T: std::str::FromStr>(
        value: &str,
        c: usize,
        bad: &dyn Fn(usize, String) -> OutcomeError,
    ) -> Result<T, OutcomeError>
    where
        T::Err: std::fmt::Display,
    {
        value.parse::<T>().map_err(|e| bad(c, e.to_string()))
    }
    let opt_text_parse = |c: usize| -> Result<Option<String>, OutcomeError> {
        let mut buf = String::new();
        Ok(text(c, &mut buf)?.map(|()| buf))
    };
    let time = |c: usize| cell_time(cell(c), c);
    let count = |c: usize| cell_count(cell(c), c);
    let flag = |c: usize| cell_flag(cell(c), c);
    let satisfaction = cell_satisfaction(cell(8))?;
    let mut buf = String::new();
    let required = |c: usize, buf: &mut String| -> Result<(), OutcomeError> {
        text(c, buf)?.ok_or_else(|| bad(c, "a required value is empty".to_owned()))
    };
    required(0, &mut buf)?;
    let id = parse::<CaseId>(&buf, 0, &bad)?;
    required(1, &mut buf)?;
    let location = match cache.as_mut().and_then(|k| k.unit(&buf)) {
        Some(u) => u,
        None => {
            let u = parse::<UnitId>(&buf, 1, &bad)?;
            if let Some(k) = cache.as_mut() {
                k.keep_unit(&buf, &u);
            }
            u
        }
    };
    required(2, &mut buf)?;
    let category = match cache.as_mut().and_then(|k| k.category(&buf)) {
        Some(c) => c,
        None => {
            let c = parse::<Category>(&buf, 2, &bad)?;
            if let Some(k) = cache.as_mut() {
                k.keep_category(&buf, &c);
            }
            c
        }
    };
    let reported_at = time(4)?.ok_or_else(|| bad(4, "a required value is empty".to_owned()))?;
    Ok(OutcomeRow {
        id,
        location,
        category,
        channel: opt_text_parse(3)?.map(|v| parse(&v, 3, &bad)).transpose()?,
        reported_at,
        accepted_at: time(5)?,
        resolved_at: time(6)?,
        resolved_level: opt_text_parse(7)?.map(|v| parse(&v, 7, &bad)).transpose()?,
        satisfaction,
        time_limit: opt_text_parse(9)?.map(|v| parse(&v, 9, &bad)).transpose()?,
        due: time(10)?,
        paused: flag(11)?,
        returned: count(12)?,
        reopened: count(13)?,
        escalated: count(14)?,
        shelved: flag(15)?,
        repeat_of: opt_text_parse(16)?
            .map(|v| parse(&v, 16, &bad))
            .transpose()?,
        office: opt_text_parse(17)?
            .map(|v| parse(&v, 17, &bad))
            .transpose()?,
        petition: flag(18)?,
        petition_accepted_at: time(19)?,
        supervisions: count(20)?,
        supervisions_on_time: count(21)?,
        verifications: count(22)?,
        verifications_passed: count(23)?,
        called_back_at: time(24)?,
    })
}

/// The error for a cell of column `c` that is not text where text is wanted.
fn cell_error(c: usize, reason: String) -> OutcomeError {
    OutcomeError::new(
        "outcomes",
        0,
        Some(CSV_COLUMNS.get(c).copied().unwrap_or("?")),
        reason,
    )
}

fn wrong_kind(c: usize, v: &Cell<'_>, want: &str) -> OutcomeError {
    cell_error(c, format!("is {}; {want} is required", v.kind()))
}

/// A time cell of column `c`: a typed instant or RFC 3339 text.
pub(crate) fn cell_time(
    cell: Option<Cell<'_>>,
    c: usize,
) -> Result<Option<Timestamp>, OutcomeError> {
    match cell {
        None => Ok(None),
        Some(Cell::Time(t)) => Ok(Some(t)),
        Some(Cell::Text(t)) => t
            .parse::<Timestamp>()
            .map(Some)
            .map_err(|e| cell_error(c, e.to_string())),
        Some(v) => Err(wrong_kind(c, &v, "a time (RFC 3339 text or a timestamp)")),
    }
}

/// A count cell of column `c` (absent: 0).
pub(crate) fn cell_count(cell: Option<Cell<'_>>, c: usize) -> Result<u32, OutcomeError> {
    let n = match cell {
        None => return Ok(0),
        Some(Cell::Int(n)) => n,
        Some(Cell::Text(v)) => {
            return v.parse::<u32>().map_err(|_| {
                cell_error(
                    c,
                    format!("`{}` is not a whole number", truncate_for_message(v)),
                )
            });
        }
        Some(v) => return Err(wrong_kind(c, &v, "a whole number")),
    };
    u32::try_from(n).map_err(|_| {
        cell_error(
            c,
            format!("`{n}` is not a whole number from 0 to {}", u32::MAX),
        )
    })
}

/// A true-or-false cell of column `c` (absent: false).
pub(crate) fn cell_flag(cell: Option<Cell<'_>>, c: usize) -> Result<bool, OutcomeError> {
    match cell {
        None => Ok(false),
        Some(Cell::Bool(b)) => Ok(b),
        Some(Cell::Int(0)) => Ok(false),
        Some(Cell::Int(1)) => Ok(true),
        Some(Cell::Text(v)) => match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "是" => Ok(true),
            "false" | "0" | "no" | "否" => Ok(false),
            _ => Err(cell_error(
                c,
                format!(
                    "`{}` is not true or false (also 1/0, yes/no, 是/否)",
                    truncate_for_message(v)
                ),
            )),
        },
        Some(v) => Err(wrong_kind(c, &v, "true or false")),
    }
}

/// The satisfaction cell (column 8), before its range is checked.
pub(crate) fn cell_satisfaction(cell: Option<Cell<'_>>) -> Result<Option<u8>, OutcomeError> {
    match cell {
        None => Ok(None),
        Some(Cell::Int(n)) => u8::try_from(n)
            .map(Some)
            .map_err(|_| cell_error(8, format!("`{n}` is not a satisfaction from 1 to 5"))),
        Some(Cell::Text(v)) => v.parse::<u8>().map(Some).map_err(|_| {
            cell_error(
                8,
                format!(
                    "`{}` is not a satisfaction from 1 to 5",
                    truncate_for_message(v)
                ),
            )
        }),
        Some(v) => Err(wrong_kind(8, &v, "a satisfaction from 1 to 5")),
    }
}

/// Writes an outcome table as CSV with every column of [`CSV_COLUMNS`]; times keep their
/// UTC offsets, so reading it back gives the same rows.
#[must_use]
pub fn outcomes_to_csv(rows: &[OutcomeRow]) -> String {
    let mut out = crate::csvio::CsvWriter::with_capacity(rows.len().saturating_mul(160));
    out.record(CSV_COLUMNS.iter().copied());
    let opt = |out: &mut crate::csvio::CsvWriter, v: Option<&dyn std::fmt::Display>| match v {
        Some(v) => out.display(v),
        None => out.field(""),
    };
    for r in rows {
        out.field(r.id.as_str());
        out.field(r.location.as_str());
        out.field(r.category.as_str());
        out.field(r.channel.as_ref().map_or("", Channel::as_str));
        out.display(r.reported_at);
        opt(
            &mut out,
            r.accepted_at.as_ref().map(|t| t as &dyn std::fmt::Display),
        );
        opt(
            &mut out,
            r.resolved_at.as_ref().map(|t| t as &dyn std::fmt::Display),
        );
        out.field(r.resolved_level.map_or("", crate::org::Level::as_str));
        opt(
            &mut out,
            r.satisfaction.as_ref().map(|s| s as &dyn std::fmt::Display),
        );
        opt(
            &mut out,
            r.time_limit.as_ref().map(|t| t as &dyn std::fmt::Display),
        );
        opt(
            &mut out,
            r.due.as_ref().map(|t| t as &dyn std::fmt::Display),
        );
        out.field(if r.paused { "true" } else { "" });
        opt(
            &mut out,
            (r.returned > 0).then_some(&r.returned as &dyn std::fmt::Display),
        );
        opt(
            &mut out,
            (r.reopened > 0).then_some(&r.reopened as &dyn std::fmt::Display),
        );
        opt(
            &mut out,
            (r.escalated > 0).then_some(&r.escalated as &dyn std::fmt::Display),
        );
        out.field(if r.shelved { "true" } else { "" });
        out.field(r.repeat_of.as_ref().map_or("", CaseId::as_str));
        out.field(r.office.as_ref().map_or("", OfficeId::as_str));
        out.field(if r.petition { "true" } else { "" });
        opt(
            &mut out,
            r.petition_accepted_at
                .as_ref()
                .map(|t| t as &dyn std::fmt::Display),
        );
        for n in [
            r.supervisions,
            r.supervisions_on_time,
            r.verifications,
            r.verifications_passed,
        ] {
            if n > 0 {
                out.display(n);
            } else {
                out.field("");
            }
        }
        opt(
            &mut out,
            r.called_back_at
                .as_ref()
                .map(|t| t as &dyn std::fmt::Display),
        );
        out.end();
    }
    out.finish()
}

/// A row resolved against the organisation and the calendar, for the scoring pass: 48
/// bytes, read in order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Compiled {
    /// Unix seconds.
    pub(crate) reported: i64,
    /// Unix seconds; [`NO_TIME`] when not resolved.
    pub(crate) resolved: i64,
    /// Unix seconds; [`NO_TIME`] when no deadline is known.
    pub(crate) due: i64,
    /// Position of the grid among the organisation's grids.
    pub(crate) grid: u32,
    pub(crate) returned: u16,
    pub(crate) reopened: u16,
    pub(crate) escalated: u16,
    /// Position in the rule set's categories.
    pub(crate) category: u16,
    /// Level rank; [`NO_LEVEL`] when not resolved.
    pub(crate) level: u8,
    /// 0 when not evaluated.
    pub(crate) satisfaction: u8,
    /// Position in the rule set's channels; [`NO_CHANNEL`] when not known.
    pub(crate) channel: u8,
    /// [`PAUSED`], [`REPEAT`], [`SHELVED`], [`ACCEPTED`], [`TIMELY`], [`PETITION`],
    /// [`PETITION_TIMELY`], [`CALLED_BACK`].
    pub(crate) flags: u8,
    /// Supervision orders, and those answered on time (each at most 255).
    pub(crate) supervisions: [u8; 2],
    /// Verifications, and those passed (each at most 255).
    pub(crate) verifications: [u8; 2],
}

impl Compiled {
    /// A row known only by when it was reported: a report of a partial's demand window
    /// standing in for its row when the partials are finished.
    pub(crate) fn reported_at(reported: i64) -> Self {
        Self {
            reported,
            resolved: NO_TIME,
            due: NO_TIME,
            grid: 0,
            returned: 0,
            reopened: 0,
            escalated: 0,
            category: 0,
            level: NO_LEVEL,
            satisfaction: 0,
            channel: NO_CHANNEL,
            flags: 0,
            supervisions: [0, 0],
            verifications: [0, 0],
        }
    }
}

pub(crate) const NO_TIME: i64 = i64::MIN;
pub(crate) const NO_LEVEL: u8 = u8::MAX;
pub(crate) const NO_CHANNEL: u8 = u8::MAX;
pub(crate) const NO_OFFICE: u32 = u32::MAX;
pub(crate) const PAUSED: u8 = 1;
pub(crate) const REPEAT: u8 = 2;
pub(crate) const SHELVED: u8 = 4;
pub(crate) const ACCEPTED: u8 = 8;
pub(crate) const TIMELY: u8 = 16;
pub(crate) const PETITION: u8 = 32;
pub(crate) const PETITION_TIMELY: u8 = 64;
/// Called back within the call-back limit of the resolution.
pub(crate) const CALLED_BACK: u8 = 128;

/// The facts of an outcome row besides its ids (location, category, channel, office,
/// repeated case), which each reader resolves its own way.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowFacts {
    pub(crate) reported_at: Timestamp,
    pub(crate) accepted_at: Option<Timestamp>,
    pub(crate) resolved_at: Option<Timestamp>,
    pub(crate) resolved_level: Option<Level>,
    pub(crate) satisfaction: Option<u8>,
    pub(crate) time_limit: Option<TimeLimit>,
    pub(crate) due: Option<Timestamp>,
    pub(crate) paused: bool,
    pub(crate) returned: u32,
    pub(crate) reopened: u32,
    pub(crate) escalated: u32,
    pub(crate) shelved: bool,
    pub(crate) repeat: bool,
    pub(crate) petition: bool,
    pub(crate) petition_accepted_at: Option<Timestamp>,
    pub(crate) supervisions: u32,
    pub(crate) supervisions_on_time: u32,
    pub(crate) verifications: u32,
    pub(crate) verifications_passed: u32,
    pub(crate) called_back_at: Option<Timestamp>,
}

impl RowFacts {
    fn of(r: &OutcomeRow) -> Self {
        Self {
            reported_at: r.reported_at,
            accepted_at: r.accepted_at,
            resolved_at: r.resolved_at,
            resolved_level: r.resolved_level,
            satisfaction: r.satisfaction,
            time_limit: r.time_limit,
            due: r.due,
            paused: r.paused,
            returned: r.returned,
            reopened: r.reopened,
            escalated: r.escalated,
            shelved: r.shelved,
            repeat: r.repeat_of.is_some(),
            petition: r.petition,
            petition_accepted_at: r.petition_accepted_at,
            supervisions: r.supervisions,
            supervisions_on_time: r.supervisions_on_time,
            verifications: r.verifications,
            verifications_passed: r.verifications_passed,
            called_back_at: r.called_back_at,
        }
    }
}

/// The error for the first row (in row order) whose case an earlier row already gave, if
/// any, naming both rows.
fn repeated_id(ids: &CaseIds) -> Option<OutcomeError> {
    ids.first_repeat().map(|(first, second)| {
        OutcomeError::new(
            "outcomes",
            second + 1,
            Some("id"),
            format!(
                "case `{}` appears twice, in rows {} and {}; give each case once",
                ids.get(second).unwrap_or(""),
                first + 1,
                second + 1
            ),
        )
    })
}

/// The rows grouped by grid, in row order within each (a stable sort by grid; a row off
/// the `grids` grids comes last), with the position each came from: the scoring pass
/// then reads and writes each grid's counts together. The order of the rows within a
/// grid changes no count, and the lists that name cases put them in time order
/// themselves.
///
/// A radix sort on the grid's position, a byte at a time from the lowest (two passes
/// for up to 65,535 grids, one for up to 255), each pass reading the rows in order and
/// writing them to one of at most 256 places that move on in order: the memory is read
/// and written in order. Gathering the rows by a counting order (what this replaced)
/// reads each at a scattered address; on a million rows over 15,000 grids this sort made
/// compiling them about 10 ns a row faster. Writing each compiled row straight to its
/// place instead (its grid read first) made it about 57 ns a row slower: those writes
/// are scattered too. Tested equal to a stable sort in
/// `rows_are_grouped_as_a_stable_sort_groups_them`.
fn by_grid(rows: Vec<Compiled>, grids: usize) -> (Vec<Compiled>, Vec<u32>) {
    let key = |c: &Compiled| (c.grid as usize).min(grids);
    let bits = usize::BITS - grids.leading_zeros();
    let passes = bits.div_ceil(8).max(1);
    let digit_bits = bits.div_ceil(passes);
    let mask = (1usize << digit_bits) - 1;
    let n = rows.len();
    let mut rows = rows;
    let mut from: Vec<u32> = (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
    let mut rows_to = vec![Compiled::reported_at(0); n];
    let mut from_to = vec![0u32; n];
    for pass in 0..passes {
        let shift = pass * digit_bits;
        let digit = |c: &Compiled| (key(c) >> shift) & mask;
        let mut next = vec![0usize; mask + 2];
        for c in &rows {
            if let Some(k) = next.get_mut(digit(c) + 1) {
                *k += 1;
            }
        }
        for i in 1..next.len() {
            let before = next.get(i - 1).copied().unwrap_or(0);
            if let Some(k) = next.get_mut(i) {
                *k += before;
            }
        }
        for (c, f) in rows.iter().zip(&from) {
            if let Some(k) = next.get_mut(digit(c)) {
                if let (Some(r), Some(t)) = (rows_to.get_mut(*k), from_to.get_mut(*k)) {
                    *r = *c;
                    *t = *f;
                }
                *k += 1;
            }
        }
        std::mem::swap(&mut rows, &mut rows_to);
        std::mem::swap(&mut from, &mut from_to);
    }
    (rows, from)
}

/// The cells of an outcome table as a columnar reader gives them, column by column (in
/// the order of [`CSV_COLUMNS`]) over a range of rows: what [`Engine::compile_cells`]
/// reads.
#[cfg(feature = "arrow")]
pub(crate) trait OutcomeCells<'a> {
    /// The cells of rows `rows` in column `c`, in order, each given to `each` (`None`
    /// when empty); `None` as soon as a cell does not read or `each` refuses one.
    fn cells(
        &self,
        c: usize,
        rows: std::ops::Range<usize>,
        each: impl FnMut(Option<Cell<'a>>) -> Option<()>,
    ) -> Option<()>;

    /// The case ids of rows `rows` (column 0) onto `out`; `None` when one is empty or
    /// not a valid id.
    fn ids(&self, rows: std::ops::Range<usize>, out: &mut CaseIds) -> Option<()> {
        read_ids(self, rows, out)
    }

    /// The instants of rows `rows` in column `c` into `out`, as [`cell_time`] reads
    /// each cell; `None` when one does not read.
    fn times(
        &self,
        c: usize,
        rows: std::ops::Range<usize>,
        out: &mut Vec<Option<Timestamp>>,
    ) -> Option<()> {
        read_cells(self, c, rows, out, cell_time)
    }

    /// The counts of rows `rows` in column `c` into `out`, as [`cell_count`] reads each
    /// cell; `None` when one does not read.
    fn counts(&self, c: usize, rows: std::ops::Range<usize>, out: &mut Vec<u32>) -> Option<()> {
        read_cells(self, c, rows, out, cell_count)
    }

    /// The satisfactions of rows `rows` (column 8) into `out`, as [`cell_satisfaction`]
    /// reads each cell; `None` when one does not read.
    fn satisfactions(&self, rows: std::ops::Range<usize>, out: &mut Vec<Option<u8>>) -> Option<()> {
        read_cells(self, 8, rows, out, |cell, _| cell_satisfaction(cell))
    }

    /// The flags of rows `rows` in column `c` into `out`, as [`cell_flag`] reads each
    /// cell; `None` when one does not read.
    fn flags(&self, c: usize, rows: std::ops::Range<usize>, out: &mut Vec<bool>) -> Option<()> {
        read_cells(self, c, rows, out, cell_flag)
    }

    /// The texts of rows `rows` in column `c` resolved by `resolve`, once per distinct
    /// text, into `out` (`None` when empty); `None` when a cell is not text or `resolve`
    /// does not know it.
    fn names(
        &mut self,
        c: usize,
        rows: std::ops::Range<usize>,
        resolve: &mut dyn FnMut(&'a str) -> Option<u32>,
        out: &mut Vec<Option<u32>>,
    ) -> Option<()>;
}

/// The case ids of rows `rows` of `src` (column 0) onto `out`, cell by cell (what
/// [`OutcomeCells::ids`] reads with when it has no faster way); `None` as soon as one is
/// empty or not a valid id.
#[cfg(feature = "arrow")]
pub(crate) fn read_ids<'a, S: OutcomeCells<'a> + ?Sized>(
    src: &S,
    rows: std::ops::Range<usize>,
    out: &mut CaseIds,
) -> Option<()> {
    src.cells(0, rows, |cell| match cell? {
        Cell::Text(t) if CaseId::is_valid(t) => {
            out.push(t);
            Some(())
        }
        _ => None,
    })
}

/// The cells of rows `rows` in column `c` of `src`, each read by `read`, into `out` (what
/// [`OutcomeCells`] reads a column with when it has no faster way); `None` as soon as
/// one does not read.
#[cfg(feature = "arrow")]
pub(crate) fn read_cells<'a, S: OutcomeCells<'a> + ?Sized, T>(
    src: &S,
    c: usize,
    rows: std::ops::Range<usize>,
    out: &mut Vec<T>,
    read: impl Fn(Option<Cell<'a>>, usize) -> Result<T, OutcomeError>,
) -> Option<()> {
    out.clear();
    src.cells(c, rows, |cell| {
        out.push(read(cell, c).ok()?);
        Some(())
    })
}

/// The rows a columnar reader decodes together, column by column, before compiling them
/// row by row: small enough for the decoded columns to stay in the processor's cache.
#[cfg(feature = "arrow")]
const CHUNK: usize = 4096;

/// The decoded columns of a chunk of rows (see [`Engine::compile_cells`]).
#[cfg(feature = "arrow")]
#[derive(Default)]
struct Chunk {
    grid: Vec<Option<u32>>,
    category: Vec<Option<u32>>,
    channel: Vec<Option<u32>>,
    level: Vec<Option<u32>>,
    office: Vec<Option<u32>>,
    limit: Vec<Option<u32>>,
    /// `reported_at`, `accepted_at`, `resolved_at`, `due`, `petition_accepted_at`,
    /// `called_back_at`.
    times: [Vec<Option<Timestamp>>; 6],
    /// `returned`, `reopened`, `escalated`, `supervisions`, `supervisions_on_time`,
    /// `verifications`, `verifications_passed`.
    counts: [Vec<u32>; 7],
    /// `paused`, `shelved`, `petition`, and whether `repeat_of` is given.
    flags: [Vec<bool>; 4],
    satisfaction: Vec<Option<u8>>,
}

/// The columns of [`CSV_COLUMNS`] a [`Chunk`]'s times, counts and flags hold, in order.
#[cfg(feature = "arrow")]
const TIME_COLUMNS: [usize; 6] = [4, 5, 6, 10, 19, 24];
#[cfg(feature = "arrow")]
const COUNT_COLUMNS: [usize; 7] = [12, 13, 14, 20, 21, 22, 23];
#[cfg(feature = "arrow")]
const FLAG_COLUMNS: [usize; 3] = [11, 15, 18];

/// An outcome table checked against an engine's organisation, rule set and calendar: every
/// location resolved to its grid, every deadline counted. [`Engine::score`] reads it in
/// one pass per request, so one table can be scored for many months.
#[derive(Clone, Debug)]
pub struct OutcomeTable {
    pub(crate) rows: Vec<Compiled>,
    /// The rows' case ids, in the order of `rows`.
    pub(crate) ids: std::sync::Arc<CaseIds>,
    /// (grid position, unix seconds, households).
    pub(crate) visits: Vec<(u32, i64, u32)>,
    /// (grid position, month ordinal, failed).
    pub(crate) inspections: Vec<(u32, i64, u32)>,
    /// (grid position, unix seconds, attended in full).
    pub(crate) meetings: Vec<(u32, i64, bool)>,
    /// (grid position, unix seconds closed, resolved in the grid).
    pub(crate) register: Vec<(u32, i64, bool)>,
    /// Each row's office (position in the organisation's offices, [`NO_OFFICE`] when
    /// none), in the order of `rows`; empty when no row names an office.
    pub(crate) offices: Vec<u32>,
    /// Grids and categories of the engine that compiled it.
    pub(crate) grid_count: usize,
    pub(crate) category_count: usize,
}

impl OutcomeTable {
    /// Number of outcome rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl Engine {
    /// See the public method of the same concern in `score`.
    pub(super) fn ledger_outcomes(&self, ledger: &Ledger) -> Vec<OutcomeRow> {
        ledger
            .state()
            .cases()
            .iter()
            .map(|c| {
                let due = if c.resolved_at.is_some() {
                    self.resolved_due(c)
                } else {
                    self.effective_due(c)
                };
                let lp = &c.closed_loop;
                let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                let on_time = lp
                    .supervisions
                    .iter()
                    .filter(|o| {
                        o.answered_at
                            .zip(self.supervision_due(c, o))
                            .is_some_and(|(at, due)| at <= due)
                    })
                    .count();
                OutcomeRow {
                    id: c.case.id.clone(),
                    location: c.location.clone(),
                    category: c.category.clone(),
                    channel: Some(c.case.channel.clone()),
                    reported_at: c.case.reported_at,
                    accepted_at: c.accepted_at,
                    resolved_at: c.resolved_at,
                    resolved_level: c.resolved_level,
                    satisfaction: c.satisfaction,
                    time_limit: c.assignment.as_ref().map(|a| a.time_limit),
                    due,
                    paused: c.status == Status::Paused,
                    returned: c.returns,
                    reopened: c.reopens,
                    escalated: u32::try_from(c.escalations.len()).unwrap_or(u32::MAX),
                    shelved: c.status == Status::Shelved,
                    repeat_of: c.extras.merged_into.clone(),
                    office: c.assignment.as_ref().and_then(|a| a.office.clone()),
                    petition: lp.petition.is_some(),
                    petition_accepted_at: lp.petition.as_ref().and_then(|p| p.accepted_at),
                    supervisions: count(lp.supervisions.len()),
                    supervisions_on_time: count(on_time),
                    verifications: lp.verifications,
                    verifications_passed: lp.verifications_passed,
                    called_back_at: lp.called_back_at,
                }
            })
            .collect()
    }

    /// See the public method of the same concern in `score`. A household a visit names
    /// by id counts once a month: a later visit of the same month that names it again
    /// does not count it.
    pub(super) fn ledger_visits(&self, ledger: &Ledger) -> Vec<VisitRow> {
        let mut seen: std::collections::HashSet<(&str, (i32, u32))> =
            std::collections::HashSet::new();
        ledger
            .state()
            .visits()
            .iter()
            .map(|v| {
                let households = if v.household_ids.is_empty() {
                    v.households
                } else {
                    let (y, m, _) = self.calendar.date_of(v.at).ymd();
                    let new = v
                        .household_ids
                        .iter()
                        .filter(|h| seen.insert((h.as_str(), (y, m))))
                        .count();
                    u32::try_from(new).unwrap_or(u32::MAX)
                };
                VisitRow {
                    unit: v.unit.clone(),
                    at: v.at,
                    households,
                }
            })
            .collect()
    }

    /// See the public method of the same concern in `score`.
    pub(super) fn ledger_meetings(&self, ledger: &Ledger) -> Vec<MeetingRow> {
        ledger
            .state()
            .meetings()
            .iter()
            .flat_map(|m| {
                let full = self.attended_in_full(m);
                m.meeting.grids.iter().map(move |g| MeetingRow {
                    grid: g.clone(),
                    at: m.at,
                    attended_in_full: full,
                })
            })
            .collect()
    }

    /// See the public method of the same concern in `score`.
    pub(super) fn ledger_register(&self, ledger: &Ledger) -> Vec<RegisterRow> {
        ledger
            .state()
            .register()
            .iter()
            .filter_map(|e| {
                Some(RegisterRow {
                    unit: e.entry.unit.clone(),
                    closed_at: e.closed_at?,
                    resolved: e.step == crate::case::work::RegisterStep::Resolved,
                })
            })
            .collect()
    }

    /// See the public method of the same concern in `score`.
    pub(super) fn compile_work(
        &self,
        table: &mut OutcomeTable,
        meetings: &[MeetingRow],
        register: &[RegisterRow],
    ) -> Result<(), OutcomeError> {
        table.meetings = self.on_grids(meetings, ("meetings", "grid"), |m| {
            (m.grid.as_str(), Ok((m.at.unix(), m.attended_in_full)))
        })?;
        table.register = self.on_grids(register, ("register", "unit"), |r| {
            (r.unit.as_str(), Ok((r.closed_at.unix(), r.resolved)))
        })?;
        Ok(())
    }

    /// See the public method of the same concern in `score`.
    pub(super) fn compile(
        &self,
        rows: &[OutcomeRow],
        visits: &[VisitRow],
        inspections: &[InspectionRow],
    ) -> Result<OutcomeTable, OutcomeError> {
        let index = self.org.grid_index();
        let ids: CaseIds = rows.iter().map(|r| r.id.as_str()).collect();
        // The first problem in row order wins: a repeated id at its second row, or a row
        // that does not fit.
        let mut repeated = repeated_id(&ids);
        let mut compiled = Vec::with_capacity(rows.len());
        let mut row_offices: Vec<u32> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(e) = repeated.take_if(|e| e.row == i + 1) {
                return Err(e);
            }
            compiled.push(self.compile_row(r, i + 1, index)?);
            if let Some(o) = &r.office {
                let at = self.office_of(o, i + 1)?;
                if row_offices.is_empty() {
                    row_offices = vec![NO_OFFICE; rows.len()];
                }
                if let Some(slot) = row_offices.get_mut(i) {
                    *slot = at;
                }
            }
        }
        self.assemble(compiled, ids, &row_offices, visits, inspections)
    }

    /// An outcome table compiled straight from a columnar reader's cells (`parts`: each
    /// a number of rows and their cells, in table order), each location, category,
    /// channel, level, office and time limit read once per distinct text, with no
    /// [`OutcomeRow`] in between; the same table [`Engine::compile_outcomes`] makes of the
    /// same rows. `None` as soon as a row has anything to report (a cell that does not
    /// read, an unknown id, a repeated case): the caller then takes the row reader, whose
    /// errors are the reference.
    #[cfg(feature = "arrow")]
    pub(crate) fn compile_cells<'a, S: OutcomeCells<'a>>(
        &self,
        parts: &mut [(usize, S)],
        visits: &[VisitRow],
        inspections: &[InspectionRow],
    ) -> Option<OutcomeTable> {
        let total: usize = parts.iter().map(|(n, _)| n).sum();
        let mut limits: Vec<TimeLimit> = Vec::new();
        let mut compiled = Vec::with_capacity(total);
        let mut ids = CaseIds::with_capacity(total, total.saturating_mul(16));
        let mut row_offices: Vec<u32> = Vec::new();
        let mut chunk = Chunk::default();
        for (rows, src) in parts.iter_mut() {
            let mut start = 0;
            while start < *rows {
                let range = start..(start + CHUNK).min(*rows);
                self.decode_chunk(src, range.clone(), &mut chunk, &mut ids, &mut limits)?;
                self.compile_chunk(&chunk, &limits, &mut compiled, &mut row_offices)?;
                start = range.end;
            }
        }
        if ids.first_repeat().is_some() {
            return None;
        }
        self.assemble(compiled, ids, &row_offices, visits, inspections)
            .ok()
    }

    /// Reads rows `range` of a columnar reader column by column into `chunk`, their ids
    /// into `ids` and any new time limit into `limits`; `None` when a cell does not read.
    #[cfg(feature = "arrow")]
    fn decode_chunk<'a, S: OutcomeCells<'a>>(
        &self,
        src: &mut S,
        range: std::ops::Range<usize>,
        chunk: &mut Chunk,
        ids: &mut CaseIds,
        limits: &mut Vec<TimeLimit>,
    ) -> Option<()> {
        let index = self.org.grid_index();
        let rows = || range.clone();
        src.ids(rows(), ids)?;
        let org = &self.org;
        src.names(
            1,
            rows(),
            &mut |t| org.key(t).and_then(|k| index.grid_of_key(org, k)),
            &mut chunk.grid,
        )?;
        let rules = &self.rules;
        src.names(
            2,
            rows(),
            &mut |t| rules.category_index(t).and_then(|i| u32::try_from(i).ok()),
            &mut chunk.category,
        )?;
        src.names(
            3,
            rows(),
            &mut |t| {
                rules
                    .channel_index(t)
                    .and_then(|i| u8::try_from(i).ok())
                    .map(u32::from)
            },
            &mut chunk.channel,
        )?;
        src.names(
            7,
            rows(),
            &mut |t| {
                t.parse::<Level>()
                    .ok()
                    .and_then(|l| u32::try_from(l.rank()).ok())
            },
            &mut chunk.level,
        )?;
        src.names(17, rows(), &mut |t| org.office_index(t), &mut chunk.office)?;
        src.names(
            9,
            rows(),
            &mut |t| {
                let l = t.parse::<TimeLimit>().ok()?;
                limits.push(l);
                u32::try_from(limits.len() - 1).ok()
            },
            &mut chunk.limit,
        )?;
        for (c, out) in TIME_COLUMNS.iter().zip(&mut chunk.times) {
            src.times(*c, rows(), out)?;
        }
        for (c, out) in COUNT_COLUMNS.iter().zip(&mut chunk.counts) {
            src.counts(*c, rows(), out)?;
        }
        let [paused, shelved, petition, repeat] = &mut chunk.flags;
        for (c, out) in FLAG_COLUMNS.iter().zip([paused, shelved, petition]) {
            src.flags(*c, rows(), out)?;
        }
        repeat.clear();
        src.cells(16, rows(), |cell| {
            repeat.push(match cell {
                None => false,
                Some(Cell::Text(t)) => CaseId::is_valid(t).then_some(true)?,
                Some(_) => return None,
            });
            Some(())
        })?;
        src.satisfactions(rows(), &mut chunk.satisfaction)
    }

    /// Compiles the rows of a decoded chunk onto `compiled` (and their offices onto
    /// `row_offices` once a row names one); `None` when a row does not fit.
    #[cfg(feature = "arrow")]
    fn compile_chunk(
        &self,
        chunk: &Chunk,
        limits: &[TimeLimit],
        compiled: &mut Vec<Compiled>,
        row_offices: &mut Vec<u32>,
    ) -> Option<()> {
        let [reported, accepted, resolved, due, petition_at, called_back] = &chunk.times;
        let [
            returned,
            reopened,
            escalated,
            sup,
            sup_on_time,
            ver,
            ver_passed,
        ] = &chunk.counts;
        let [paused, shelved, petition, repeat] = &chunk.flags;
        for (k, reported_at) in reported.iter().enumerate() {
            let i = compiled.len();
            let grid = (*chunk.grid.get(k)?)?;
            let category = (*chunk.category.get(k)?)?;
            let time_limit = match *chunk.limit.get(k)? {
                None => None,
                Some(l) => Some(*limits.get(l as usize)?),
            };
            let facts = RowFacts {
                reported_at: (*reported_at)?,
                accepted_at: *accepted.get(k)?,
                resolved_at: *resolved.get(k)?,
                resolved_level: match *chunk.level.get(k)? {
                    None => None,
                    Some(rank) => Some(*Level::ALL.get(rank as usize)?),
                },
                satisfaction: *chunk.satisfaction.get(k)?,
                time_limit,
                due: *due.get(k)?,
                paused: *paused.get(k)?,
                returned: *returned.get(k)?,
                reopened: *reopened.get(k)?,
                escalated: *escalated.get(k)?,
                shelved: *shelved.get(k)?,
                repeat: *repeat.get(k)?,
                petition: *petition.get(k)?,
                petition_accepted_at: *petition_at.get(k)?,
                supervisions: *sup.get(k)?,
                supervisions_on_time: *sup_on_time.get(k)?,
                verifications: *ver.get(k)?,
                verifications_passed: *ver_passed.get(k)?,
                called_back_at: *called_back.get(k)?,
            };
            let mut c = self
                .compile_facts(&facts, grid, category as usize, i + 1)
                .ok()?;
            c.channel = chunk
                .channel
                .get(k)?
                .and_then(|v| u8::try_from(v).ok())
                .unwrap_or(NO_CHANNEL);
            if let Some(o) = *chunk.office.get(k)? {
                if row_offices.is_empty() {
                    row_offices.resize(i, NO_OFFICE);
                }
                row_offices.push(o);
            } else if !row_offices.is_empty() {
                row_offices.push(NO_OFFICE);
            }
            compiled.push(c);
        }
        Some(())
    }

    /// The outcome table of compiled rows with their case ids and, when any row names
    /// one, their offices (all in row order), ordered for the scoring pass, with the
    /// visits and inspections.
    pub(crate) fn assemble(
        &self,
        compiled: Vec<Compiled>,
        ids: CaseIds,
        row_offices: &[u32],
        visits: &[VisitRow],
        inspections: &[InspectionRow],
    ) -> Result<OutcomeTable, OutcomeError> {
        let index = self.org.grid_index();
        let (rows, order) = by_grid(compiled, index.ids.len());
        let offices = if row_offices.is_empty() {
            Vec::new()
        } else {
            order
                .iter()
                .map(|i| row_offices.get(*i as usize).copied().unwrap_or(NO_OFFICE))
                .collect()
        };
        let vs = self.on_grids(visits, ("visits", "unit"), |v| {
            (v.unit.as_str(), Ok((v.at.unix(), v.households)))
        })?;
        let ins = self.on_grids(inspections, ("inspections", "grid"), |x| {
            let month = super::Month::parse(&x.month).map_err(|reason| ("month", reason));
            (x.grid.as_str(), month.map(|m| (m.ordinal(), x.failed)))
        })?;
        Ok(OutcomeTable {
            rows,
            ids: std::sync::Arc::new(ids.permuted(order)),
            visits: vs,
            inspections: ins,
            meetings: Vec::new(),
            register: Vec::new(),
            offices,
            grid_count: index.ids.len(),
            category_count: self.rules.categories().len(),
        })
    }

    /// The position of an outcome row's office among the organisation's offices.
    fn office_of(&self, office: &OfficeId, row: usize) -> Result<u32, OutcomeError> {
        self.org.office_index(office.as_str()).ok_or_else(|| {
            let valid: Vec<&str> = self
                .org
                .spec()
                .offices
                .iter()
                .map(|o| o.id.as_str())
                .collect();
            OutcomeError::new(
                "outcomes",
                row,
                Some("office"),
                format!(
                    "unknown office `{}`; valid offices: {}",
                    truncate_for_message(office.as_str()),
                    if valid.is_empty() {
                        "none (the organisation has no offices)".to_owned()
                    } else {
                        valid.join(", ")
                    }
                ),
            )
        })
    }

    fn compile_row(
        &self,
        r: &OutcomeRow,
        row: usize,
        index: &crate::org::GridIndex,
    ) -> Result<Compiled, OutcomeError> {
        let bad =
            |column: &str, reason: String| OutcomeError::new("outcomes", row, Some(column), reason);
        let grid = self.grid_of(index, r.location.as_str(), ("outcomes", row, "location"))?;
        let category = self
            .rules
            .category_index(r.category.as_str())
            .ok_or_else(|| {
                bad(
                    "category",
                    format!(
                        "unknown category `{}`; valid categories: {}",
                        r.category,
                        self.rules.categories().join(", ")
                    ),
                )
            })?;
        let mut c = self.compile_facts(&RowFacts::of(r), grid, category, row)?;
        c.channel = match &r.channel {
            None => NO_CHANNEL,
            Some(c) => self
                .rules
                .channel_index(c.as_str())
                .and_then(|i| u8::try_from(i).ok())
                .ok_or_else(|| {
                    bad(
                        "channel",
                        format!(
                            "unknown channel `{}`; valid channels: {}",
                            truncate_for_message(c.as_str()),
                            self.rules.channels().join(", ")
                        ),
                    )
                })?,
        };
        Ok(c)
    }

    /// An outcome row's checks and counts once its location, category and channel are
    /// resolved: the shared part of the row reader and the columnar one.
    pub(crate) fn compile_facts(
        &self,
        f: &RowFacts,
        grid: u32,
        category: usize,
        row: usize,
    ) -> Result<Compiled, OutcomeError> {
        let bad =
            |column: &str, reason: String| OutcomeError::new("outcomes", row, Some(column), reason);
        if let Some(s) = f.satisfaction {
            if !(1..=5).contains(&s) {
                return Err(bad("satisfaction", format!("`{s}` is not from 1 to 5")));
            }
        }
        if let Some(t) = f.resolved_at {
            if t < f.reported_at {
                return Err(bad(
                    "resolved_at",
                    format!("{t} is before the report at {}", f.reported_at),
                ));
            }
            if f.paused {
                return Err(bad(
                    "paused",
                    "a paused case has no resolution; clear `paused` or `resolved_at`".to_owned(),
                ));
            }
        }
        if f.resolved_level.is_some() != f.resolved_at.is_some() {
            return Err(bad(
                "resolved_level",
                "give `resolved_level` and `resolved_at` together".to_owned(),
            ));
        }
        if let Some(t) = f.accepted_at {
            if t < f.reported_at {
                return Err(bad(
                    "accepted_at",
                    format!("{t} is before the report at {}", f.reported_at),
                ));
            }
        }
        let due = match (f.due, f.time_limit) {
            (Some(d), _) => d.unix(),
            (None, Some(limit)) => self
                .calendar
                .deadline(f.reported_at, limit)
                .map_err(|e| bad("time_limit", e.to_string()))?
                .unix(),
            (None, None) => NO_TIME,
        };
        // The version in force when the case was reported: its acceptance limit and its
        // closed-loop procedure (one lookup for both).
        let version = self.version_at(f.reported_at);
        let mut flags = 0;
        if let Some(t) = f.accepted_at {
            flags |= ACCEPTED;
            let limit = match version {
                Some(v) => v.scoring.acceptance_limit,
                None => self.scoring_spec(f.reported_at).1.acceptance_limit,
            };
            let by = self
                .calendar
                .deadline(f.reported_at, limit)
                .map_err(|e| bad("accepted_at", e.to_string()))?;
            if t <= by {
                flags |= TIMELY;
            }
        }
        if f.paused {
            flags |= PAUSED;
        }
        if f.repeat {
            flags |= REPEAT;
        }
        if f.shelved {
            flags |= SHELVED;
        }
        for (column, a, b) in [
            (
                "supervisions_on_time",
                f.supervisions_on_time,
                f.supervisions,
            ),
            (
                "verifications_passed",
                f.verifications_passed,
                f.verifications,
            ),
        ] {
            if a > b {
                return Err(bad(
                    column,
                    format!("{a} is more than the {b} they are counted among"),
                ));
            }
        }
        let loop_spec = match version {
            Some(v) => &v.closed_loop,
            None => self.loop_spec_on(f.reported_at),
        };
        if f.petition {
            flags |= PETITION;
            if let (Some(t), Some(p)) = (f.petition_accepted_at, &loop_spec.petition) {
                let by = self
                    .calendar
                    .deadline(f.reported_at, p.acceptance)
                    .map_err(|e| bad("petition_accepted_at", e.to_string()))?;
                if t <= by {
                    flags |= PETITION_TIMELY;
                }
            }
        } else if f.petition_accepted_at.is_some() {
            return Err(bad(
                "petition_accepted_at",
                "only a petition is accepted under the procedure; set `petition`".to_owned(),
            ));
        }
        if let Some(t) = f.called_back_at {
            let Some(resolved) = f.resolved_at else {
                return Err(bad(
                    "called_back_at",
                    "a call-back follows a resolution; give `resolved_at`".to_owned(),
                ));
            };
            let within = loop_spec
                .call_back_within
                .map(|limit| self.calendar.deadline(resolved, limit))
                .transpose()
                .map_err(|e| bad("called_back_at", e.to_string()))?;
            if t >= resolved && within.is_none_or(|by| t <= by) {
                flags |= CALLED_BACK;
            }
        }
        let small = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
        let tiny = |n: u32| u8::try_from(n).unwrap_or(u8::MAX);
        Ok(Compiled {
            reported: f.reported_at.unix(),
            resolved: f.resolved_at.map_or(NO_TIME, Timestamp::unix),
            due,
            grid,
            returned: small(f.returned),
            reopened: small(f.reopened),
            escalated: small(f.escalated),
            category: u16::try_from(category).unwrap_or(u16::MAX),
            level: f
                .resolved_level
                .map_or(NO_LEVEL, |l| u8::try_from(l.rank()).unwrap_or(NO_LEVEL)),
            satisfaction: f.satisfaction.unwrap_or(0),
            channel: NO_CHANNEL,
            flags,
            supervisions: [tiny(f.supervisions), tiny(f.supervisions_on_time)],
            verifications: [tiny(f.verifications), tiny(f.verifications_passed)],
        })
    }

    /// Rows of grid work (visits, meetings, register entries, inspections) on the
    /// positions of their grids: `read` gives a row's unit, then its two values or the
    /// column and reason of a value that does not read; errors name the row, the unit's
    /// first.
    fn on_grids<T, A, B>(
        &self,
        rows: &[T],
        (table, column): (&'static str, &'static str),
        read: impl Fn(&T) -> (&str, Result<(A, B), (&'static str, String)>),
    ) -> Result<Vec<(u32, A, B)>, OutcomeError> {
        let index = self.org.grid_index();
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let (unit, values) = read(r);
            let grid = self.grid_of(index, unit, (table, i + 1, column))?;
            let (a, b) = values
                .map_err(|(col, reason)| OutcomeError::new(table, i + 1, Some(col), reason))?;
            out.push((grid, a, b));
        }
        Ok(out)
    }

    /// The grid position of a unit in or at a grid.
    fn grid_of(
        &self,
        index: &crate::org::GridIndex,
        id: &str,
        (table, row, column): (&'static str, usize, &str),
    ) -> Result<u32, OutcomeError> {
        let bad = |reason: String| OutcomeError::new(table, row, Some(column), reason);
        let key = self.org.key(id).ok_or_else(|| {
            bad(format!(
                "`{}` is not a unit of the organisation",
                truncate_for_message(id)
            ))
        })?;
        index.grid_of_key(&self.org, key).ok_or_else(|| {
            bad(format!(
                "`{}` is not in a grid; give a grid, a micro-grid or a building",
                truncate_for_message(id)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Compiled, by_grid};

    proptest! {
        /// The radix sort groups rows as a stable sort by grid does (a row off the grids
        /// last), and says where each row came from: over organisations of one pass's
        /// grids and of two and three passes', with the rows' grids drawn from a few (runs
        /// of equal keys) or from all of them, and off them.
        #[test]
        fn rows_are_grouped_as_a_stable_sort_groups_them(
            grids in prop_oneof![Just(0usize), Just(1), 2usize..300, Just(255), Just(256), Just(15_000), Just(65_535), Just(65_536), Just(70_000)],
            draws in proptest::collection::vec((any::<u32>(), 0u8..4), 0..400),
        ) {
            let rows: Vec<Compiled> = draws
                .iter()
                .enumerate()
                .map(|(i, (g, how))| {
                    let grid = match how {
                        // A few grids, so that rows share them.
                        0 => g % 4,
                        // Off the grids.
                        1 => u32::try_from(grids).unwrap_or(u32::MAX).saturating_add(g % 3),
                        _ => g % u32::try_from(grids.max(1)).unwrap_or(u32::MAX),
                    };
                    Compiled { grid, ..Compiled::reported_at(i64::try_from(i).unwrap()) }
                })
                .collect();
            let mut expected: Vec<(usize, Compiled)> = rows.iter().copied().enumerate().collect();
            expected.sort_by_key(|(_, c)| (c.grid as usize).min(grids));
            let (sorted, from) = by_grid(rows, grids);
            prop_assert_eq!(sorted.len(), expected.len());
            prop_assert_eq!(from.len(), expected.len());
            for ((c, f), (i, e)) in sorted.iter().zip(&from).zip(&expected) {
                prop_assert_eq!(*f as usize, *i);
                prop_assert_eq!((c.grid, c.reported), (e.grid, e.reported));
            }
        }
    }
}
