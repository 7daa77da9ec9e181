//! Tables as CSV text: cases in, decisions out ([`route_csv`], the batch path of the
//! bindings that hand text across, and a plain interchange for other systems), and cases
//! and outcome tables out.

use super::decision::{DECISION_COLUMNS, DecisionRow, LIST_SEPARATOR};
use super::fields::{CASE_COLUMNS, CaseFields, REQUIRED_CASE_COLUMNS, missing_case_column};
use crate::case::Case;
use crate::case::ledger::Ledger;
use crate::csvio::{CsvRecords, CsvWriter};
use crate::engine::Engine;
use crate::error::Error;
use crate::id::{IdCache, Name};

fn csv_error(line: usize, message: &str) -> Error {
    Error::input("cases CSV", format!("line {line}: {message}"))
}

/// Writes one decision as a CSV row of [`DECISION_COLUMNS`].
fn write_decision(out: &mut CsvWriter, row: &DecisionRow<'_>) {
    let opt = |out: &mut CsvWriter, v: Option<&str>| out.field(v.unwrap_or(""));
    out.field(row.case);
    out.field(row.version);
    opt(out, row.grade);
    out.plain(row.level);
    opt(out, row.unit);
    opt(out, row.unit_name);
    opt(out, row.office);
    out.joined(row.co_offices.iter().copied(), LIST_SEPARATOR);
    opt(out, row.handler);
    out.plain(row.handler_role.unwrap_or(""));
    out.plain_display(row.time_limit);
    out.plain_display(row.due);
    out.joined(row.flags.iter().copied(), LIST_SEPARATOR);
    out.field(row.rule_table);
    out.field(row.rule_row);
    out.field("");
    out.field("");
    out.end();
}

/// Writes a row that could not be routed: its case id, the error's code and message.
fn write_error(out: &mut CsvWriter, case: &str, error: &Error, line: usize) {
    out.field(case);
    for _ in 1..DECISION_COLUMNS.len() - 2 {
        out.field("");
    }
    out.field(error.code());
    let message = match error {
        Error::Input(_) => error.to_string(),
        _ => format!("line {line}: {error}"),
    };
    out.field(&message);
    out.end();
}

/// Routes every case of a CSV export (a header naming columns of
/// [`CASE_COLUMNS`](super::CASE_COLUMNS) in any order, the required ones among them) and
/// returns the decisions as CSV ([`DECISION_COLUMNS`]), one row per case in order. A row
/// that cannot be routed gets `error_code` and `error` (naming its CSV line) and the rest
/// go on. Lists are joined with `;`.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::batch::route_csv(&engine, "id,channel,category,location,reported_at\n\
///     c1,app,property_crime,fs-c05-g01-m1,2026-03-02T09:00:00+08:00\n\
///     c2,app,weather,fs-c05-g01-m1,2026-03-02T09:00:00+08:00\n")?;
/// let lines: Vec<&str> = out.lines().collect();
/// assert!(lines[1].starts_with("c1,fushan-2026,general,department,,,police_work_office,"));
/// assert!(lines[2].starts_with("c2,,,,,,,,,,,,,,,case_invalid,\"line 3: case `c2`: field `category`"));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Input`] when the text is not CSV (with its line), or the header names an
/// unknown or repeated column or lacks a required one.
pub fn route_csv(engine: &Engine, text: &str) -> Result<String, Error> {
    let mut records = CsvRecords::new(text);
    match records.next_record() {
        None => {
            return Err(csv_error(
                1,
                "the text is empty; the first line names the columns",
            ));
        }
        Some(Err(e)) => return Err(csv_error(e.line, &e.message)),
        Some(Ok(_)) => {}
    }
    let mut cols: Vec<usize> = Vec::with_capacity(records.record().len());
    for h in records.record() {
        let h = h.trim();
        let Some(pos) = CASE_COLUMNS.iter().position(|c| *c == h) else {
            return Err(csv_error(
                1,
                &format!(
                    "unknown column `{}`; columns are {}",
                    crate::text::truncate_for_message(h),
                    CASE_COLUMNS.join(", ")
                ),
            ));
        };
        if cols.contains(&pos) {
            return Err(csv_error(1, &format!("the column `{h}` appears twice")));
        }
        cols.push(pos);
    }
    if let Some(missing) = (0..REQUIRED_CASE_COLUMNS).find(|c| !cols.contains(c)) {
        return Err(csv_error(
            1,
            &missing_case_column(CASE_COLUMNS.get(missing).copied().unwrap_or("?")),
        ));
    }
    let mut out = CsvWriter::with_capacity(text.len().saturating_mul(2));
    out.record(DECISION_COLUMNS);
    let mut cache = IdCache::default();
    while let Some(record) = records.next_record() {
        let line = record.map_err(|e| csv_error(e.line, &e.message))?;
        let rec = records.record();
        let mut cells: [Option<&str>; 11] = [None; 11];
        let routed = if rec.len() == cols.len() {
            for (&c, value) in cols.iter().zip(rec) {
                let v = value.trim();
                if let Some(slot) = cells.get_mut(c) {
                    *slot = (!v.is_empty()).then_some(v);
                }
            }
            CaseFields::from_text_cells(&cells)
                .and_then(|f| f.to_case_cached(&mut cache))
                .and_then(|case| {
                    engine
                        .route(&case)
                        .map(|d| write_decision(&mut out, &DecisionRow::from(&d)))
                        .map_err(Error::from)
                })
        } else {
            cells[0] = rec.get(0).map(str::trim);
            Err(csv_error(
                line,
                &format!(
                    "the line has {} fields; the header has {}",
                    rec.len(),
                    cols.len()
                ),
            ))
        };
        if let Err(e) = routed {
            write_error(&mut out, cells[0].unwrap_or(""), &e, line);
        }
    }
    Ok(out.finish())
}

/// Cases as a CSV export with the columns of [`CASE_COLUMNS`](super::CASE_COLUMNS)
/// ([`route_csv`] reads it back to the same cases; the reporter is left out).
#[must_use]
pub fn cases_to_csv(cases: &[Case]) -> String {
    let mut out = CsvWriter::with_capacity(cases.len().saturating_mul(120));
    out.record(CASE_COLUMNS);
    for c in cases {
        out.field(c.id.as_str());
        out.field(c.channel.as_str());
        out.field(c.category.as_str());
        out.field(c.location.as_str());
        out.display(c.reported_at);
        out.display(c.people_involved);
        out.display(c.amount_yuan);
        out.display(c.repeat_count);
        out.joined(c.risk_flags.iter().map(Name::as_str), ",");
        if c.attributes.is_empty() {
            out.field("");
        } else {
            out.field(&crate::text::to_json(&c.attributes));
        }
        out.field(c.summary.as_deref().unwrap_or(""));
        out.end();
    }
    out.finish()
}

/// The outcome table of a ledger as CSV (columns
/// [`CSV_COLUMNS`](crate::score::CSV_COLUMNS)), one row per case.
#[must_use]
pub fn outcomes_csv(engine: &Engine, ledger: &Ledger) -> String {
    crate::score::outcomes_to_csv(&engine.outcomes(ledger))
}
