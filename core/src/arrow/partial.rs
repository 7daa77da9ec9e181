//! Scoring that merges, in Arrow: a partial is a table of per-unit counters (one row per
//! grid and month, office, channel, category, level and demand cell with something
//! counted, and one per report of the common-demand window), its month, history and rows
//! in its first row (`part` = `header`), so that it survives any dataframe. Partials made on the partitions of an outcome table are
//! merged ([`merge_partials`]) and finished ([`score_finish_report`]) into the report of
//! the whole table, byte for byte.

use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::cols::{Col, finish};
use super::score::{UnitLevel, compile_outcome_batches, report_units};
use crate::engine::Engine;
use crate::error::Error;
use crate::input::InputError;
use crate::score::{Counts, MonthReport, PartKind, Partial, PartialRow, ScoreError, ScoreRequest};

/// The columns of a partial before the counts (one column per [`Counts::FIELDS`]).
pub const PARTIAL_COLUMNS: [&str; 7] = ["part", "month", "key", "area", "category", "at", "n"];

fn table_error(message: String) -> Error {
    Error::Input(InputError::table("partial", message))
}

/// The schema of a partial: [`PARTIAL_COLUMNS`] (text, `at` unix seconds, `n` a count),
/// then every count.
#[must_use]
pub fn partial_schema() -> SchemaRef {
    let mut fields: Vec<Field> = PARTIAL_COLUMNS
        .iter()
        .map(|name| match *name {
            "part" => Field::new(*name, DataType::Utf8, false),
            "at" => Field::new(*name, DataType::Int64, true),
            "n" => Field::new(*name, DataType::UInt32, true),
            _ => Field::new(*name, DataType::Utf8, true),
        })
        .collect();
    fields.extend(
        Counts::FIELDS
            .iter()
            .map(|name| Field::new(*name, DataType::UInt32, true)),
    );
    Arc::new(Schema::new(fields))
}

/// A partial as an Arrow table.
///
/// # Errors
/// [`Error::Input`] (code `table`) if the columns cannot be put together.
pub fn partial_table(
    engine: &Engine,
    partial: &Partial,
) -> Result<(SchemaRef, RecordBatch), Error> {
    let rows = partial.rows(engine);
    let schema = partial_schema();
    let n = rows.len();
    let text = || StringBuilder::with_capacity(n, n * 8);
    let (mut part, mut month, mut key, mut area, mut category) =
        (text(), text(), text(), text(), text());
    let mut at = Int64Builder::with_capacity(n);
    let mut count = UInt32Builder::with_capacity(n);
    let mut counts: Vec<UInt32Builder> = Counts::FIELDS
        .iter()
        .map(|_| UInt32Builder::with_capacity(n))
        .collect();
    for r in &rows {
        part.append_value(r.part.as_str());
        month.append_option(r.month.map(|m| m.to_string()));
        key.append_option(r.key);
        area.append_option(r.area);
        category.append_option(r.category);
        at.append_option(r.at);
        count.append_option(r.n);
        match &r.counts {
            Some(c) => {
                for (b, v) in counts.iter_mut().zip(c.values()) {
                    b.append_value(v);
                }
            }
            None => counts.iter_mut().for_each(UInt32Builder::append_null),
        }
    }
    let mut cols: Vec<ArrayRef> = vec![
        finish(part),
        finish(month),
        finish(key),
        finish(area),
        finish(category),
        finish(at),
        finish(count),
    ];
    cols.extend(counts.into_iter().map(finish));
    let batch = RecordBatch::try_new(Arc::clone(&schema), cols)
        .map_err(|e| table_error(format!("building the partial: {e}")))?;
    Ok((schema, batch))
}

/// Reads a partial back from its Arrow table (its schema and batches, in any row order),
/// for `engine`'s organisation and rule set.
///
/// # Errors
/// [`Error::Input`] (code `table`) for a table that is not a partial (a column missing or
/// of the wrong type); [`Error::Score`] (code `score_request`) naming the row that does
/// not fit, or a table without its header row or with several.
pub fn partial_from_batches(
    engine: &Engine,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Result<Partial, Error> {
    for name in PARTIAL_COLUMNS.iter().chain(Counts::FIELDS) {
        if schema.field_with_name(name).is_err() {
            return Err(table_error(format!(
                "the partial has no column `{name}`; a partial has the columns {} and one per count",
                PARTIAL_COLUMNS.join(", ")
            )));
        }
    }
    let mut rows: Vec<PartialRow<'_>> = Vec::new();
    let mut base = 0;
    for batch in batches {
        let col = |name: &'static str| {
            Col::of(batch, name).map_err(|e| table_error(format!("column `{name}` {}", e.reason)))
        };
        let [part, month, key, area, category, at, n] = PARTIAL_COLUMNS.map(col);
        let (part, month, key, area, category, at, n) =
            (part?, month?, key?, area?, category?, at?, n?);
        let counts: Vec<Col<'_>> = Counts::FIELDS
            .iter()
            .map(|name| col(name))
            .collect::<Result<_, _>>()?;
        for i in 0..batch.num_rows() {
            let cell = |e: super::cols::CellError| {
                table_error(format!(
                    "row {}: column `{}` {}",
                    base + i + 1,
                    e.column,
                    e.reason
                ))
            };
            let part_name = part.str(i, "part").map_err(cell)?.unwrap_or("");
            let kind: PartKind = part_name
                .parse()
                .map_err(|e| table_error(format!("row {}: column `part`: {e}", base + i + 1)))?;
            let month = match month.str(i, "month").map_err(cell)? {
                None => None,
                Some(m) => Some(m.parse().map_err(|e| {
                    table_error(format!("row {}: column `month`: {e}", base + i + 1))
                })?),
            };
            let counts = if counts.first().is_some_and(|c| !c.is_null(i)) {
                let mut c = Counts::default();
                for (col, name) in counts.iter().zip(Counts::FIELDS) {
                    let v = col.count(i, name).map_err(cell)?.unwrap_or(0);
                    if let Some(slot) = c.field_mut(name) {
                        *slot = v;
                    }
                }
                Some(c)
            } else {
                None
            };
            let at = match at.int(i, "at").map_err(cell)? {
                None => None,
                Some(v) => Some(i64::try_from(v).map_err(|_| {
                    table_error(format!(
                        "row {}: column `at`: {v} is out of range",
                        base + i + 1
                    ))
                })?),
            };
            rows.push(PartialRow {
                part: kind,
                month,
                key: key.str(i, "key").map_err(cell)?,
                area: area.str(i, "area").map_err(cell)?,
                category: category.str(i, "category").map_err(cell)?,
                at,
                n: n.count(i, "n").map_err(cell)?,
                counts,
            });
        }
        base += batch.num_rows();
    }
    Ok(engine.partial_from_rows(rows)?)
}

/// The month and history of a partial request: `request_json` is a score request with
/// only `month` and `history` (visits, meetings, register entries and inspections go to
/// the finish, or to the parts through [`Engine::score_partial`]).
fn partial_request(request_json: &str) -> Result<ScoreRequest, Error> {
    let request = ScoreRequest::from_json_str(request_json)?;
    let extra = [
        ("budget_fen", request.budget_fen.is_some()),
        ("inspections", !request.inspections.is_empty()),
        ("outcomes", request.outcomes.is_some()),
        ("outcomes_csv", request.outcomes_csv.is_some()),
        ("visits", !request.visits.is_empty()),
        ("meetings", !request.meetings.is_empty()),
        ("register", !request.register.is_empty()),
        ("include", request.include.is_some()),
    ];
    if let Some((name, _)) = extra.iter().find(|(_, given)| *given) {
        return Err(Error::Score(ScoreError::Input(InputError::value(
            "partial request",
            format!(
                "`{name}` is not read by a partial, which takes `month` and `history` only; give it to the finish"
            ),
        ))));
    }
    Ok(request)
}

/// Scores a partition of an outcome table (the columns of the outcome table) for the
/// month and history of `request_json` (`{"month", "history"?}`): the partial as a table.
///
/// # Errors
/// As [`outcome_rows`](super::outcome_rows); [`Error::Score`] for a request with more
/// than a month and a
/// history, or a history too long.
pub fn score_partial(
    engine: &Engine,
    batches: &[RecordBatch],
    request_json: &str,
) -> Result<(SchemaRef, RecordBatch), Error> {
    let request = partial_request(request_json)?;
    let options = request.options();
    let table = compile_outcome_batches(engine, batches, &[], &[])?;
    let partial = engine.score_partial(&table, &options)?;
    partial_table(engine, &partial)
}

/// Merges partials (each a schema and its batches) into one partial table.
///
/// # Errors
/// As [`partial_from_batches`]; [`Error::Score`] for partials of different months or
/// histories; [`Error::Input`] for no partial at all.
pub fn merge_partials(
    engine: &Engine,
    partials: &[(SchemaRef, Vec<RecordBatch>)],
) -> Result<(SchemaRef, RecordBatch), Error> {
    let mut iter = partials.iter();
    let (schema, batches) = iter
        .next()
        .ok_or_else(|| table_error("no partial to merge; give at least one".to_owned()))?;
    let mut merged = partial_from_batches(engine, schema, batches)?;
    for (schema, batches) in iter {
        merged.merge(&partial_from_batches(engine, schema, batches)?)?;
    }
    partial_table(engine, &merged)
}

/// Finishes a merged partial as `request_json` asks (a score request without the table:
/// the partial's month and history, a budget, and the visits, meetings, register entries
/// and inspections not given to the parts): the month's report, byte for byte that of
/// scoring the whole table at once.
///
/// # Errors
/// As [`partial_from_batches`] and [`Engine::score_finish`].
pub fn score_finish_report(
    engine: &Engine,
    schema: &Schema,
    batches: &[RecordBatch],
    request_json: &str,
) -> Result<MonthReport, Error> {
    finish_report(engine, schema, batches, request_json, true)
}

/// [`score_finish_report`], with the common demands found only when `demands`.
fn finish_report(
    engine: &Engine,
    schema: &Schema,
    batches: &[RecordBatch],
    request_json: &str,
    demands: bool,
) -> Result<MonthReport, Error> {
    let request = ScoreRequest::from_json_str(request_json)?;
    if request.outcomes.is_some() || request.outcomes_csv.is_some() {
        return Err(Error::Score(ScoreError::Input(InputError::value(
            "score request",
            "the table is given as a partial: leave out `outcomes` and `outcomes_csv`",
        ))));
    }
    let partial = partial_from_batches(engine, schema, batches)?;
    let options = request.options();
    let mut work = engine
        .compile_outcomes(&[], &request.visits, &request.inspections)
        .map_err(ScoreError::from)?;
    engine
        .compile_grid_work(&mut work, &request.meetings, &request.register)
        .map_err(ScoreError::from)?;
    Ok(engine.score_finish_with(&partial, &work, &options, demands)?)
}

/// [`score_finish_report`] as the table of the units scored at `level` (none: grids), as
/// [`score_outcomes`](super::score_outcomes) gives it; like it, without looking for the
/// common demands the table does not show.
///
/// # Errors
/// As [`score_finish_report`].
pub fn score_finish(
    engine: &Engine,
    schema: &Schema,
    batches: &[RecordBatch],
    request_json: &str,
    level: Option<UnitLevel>,
) -> Result<(SchemaRef, RecordBatch), Error> {
    report_units(
        &finish_report(engine, schema, batches, request_json, false)?,
        level,
    )
}
