//! Routing a table of cases, column to column: each row is read from its cells without a
//! `Case` ([`RouteCells`]; a row with something to report goes through its
//! [`CaseFields`] and `Case`), the engine decides, and each decision is written into the
//! result columns ([`DECISION_COLUMNS`]) as indices, the repetitive ones
//! dictionary-encoded ([`RoutedOut`]).

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use super::ErrorMode;
use super::cols::{CellError, Col, finish};
use super::route_in::RouteCells;
use super::route_out::RoutedOut;
use crate::batch::{
    Backtest, BacktestReport, CASE_COLUMNS, CaseFields, DECISION_COLUMNS, REQUIRED_CASE_COLUMNS,
    missing_case_column,
};
use crate::case::{CaseError, CaseProblem};
use crate::engine::Engine;
use crate::error::{Error, RowError};
use crate::id::IdCache;
use crate::input::InputError;
use crate::time::Zone;

/// A table-level error (a missing column, a column of the wrong type).
pub(super) fn table_error(message: String) -> Error {
    Error::Input(InputError::table("table", message))
}

fn cell_error(e: CellError, case: Option<&str>) -> Error {
    Error::Case(CaseError::Invalid(vec![CaseProblem {
        case: case.map_or_else(|| "?".to_owned(), crate::text::truncate_for_message),
        field: e.column.to_owned(),
        reason: e.reason,
    }]))
}

/// Refuses a table whose schema lacks a required case column, whatever its number of
/// rows (an empty table of the wrong shape is still the wrong table).
///
/// # Errors
/// [`Error::Input`] (code `table`) naming the missing column and the columns of a case
/// table.
pub fn require_case_columns(schema: &Schema) -> Result<(), Error> {
    match CASE_COLUMNS
        .iter()
        .take(REQUIRED_CASE_COLUMNS)
        .find(|c| schema.field_with_name(c).is_err())
    {
        None => Ok(()),
        Some(missing) => Err(table_error(missing_case_column(missing))),
    }
}

/// The case columns of one batch, typed once.
struct CaseCols<'a> {
    cols: Vec<Col<'a>>,
}

impl<'a> CaseCols<'a> {
    fn new(batch: &'a RecordBatch) -> Result<Self, Error> {
        let mut cols = Vec::with_capacity(CASE_COLUMNS.len());
        for (i, name) in CASE_COLUMNS.iter().enumerate() {
            if i < REQUIRED_CASE_COLUMNS && batch.column_by_name(name).is_none() {
                return Err(table_error(missing_case_column(name)));
            }
            cols.push(
                Col::of(batch, name)
                    .map_err(|e| table_error(format!("column `{}` {}", e.column, e.reason)))?,
            );
        }
        Ok(Self { cols })
    }

    fn col(&self, i: usize) -> &Col<'a> {
        self.cols.get(i).unwrap_or(&Col::Missing)
    }

    /// The id as given, for error reports.
    fn id(&self, row: usize) -> Option<&'a str> {
        self.col(0).str(row, "id").ok().flatten()
    }

    fn fields(&self, row: usize, local: Zone) -> Result<CaseFields<'a>, CellError> {
        let required = |c: usize| -> Result<&'a str, CellError> {
            let name = CASE_COLUMNS.get(c).copied().unwrap_or("?");
            self.col(c).str(row, name)?.ok_or_else(|| CellError {
                column: name,
                reason: "is empty; every case has one".to_owned(),
            })
        };
        Ok(CaseFields {
            id: required(0)?,
            channel: required(1)?,
            category: required(2)?,
            location: required(3)?,
            reported_at: self
                .col(4)
                .time(row, "reported_at", local)?
                .ok_or_else(|| CellError {
                    column: "reported_at",
                    reason: "is empty; every case has one".to_owned(),
                })?,
            people_involved: self.col(5).count(row, "people_involved")?,
            amount_yuan: self.col(6).fixed2(row, "amount_yuan")?,
            repeat_count: self.col(7).count(row, "repeat_count")?,
            risk_flags: self.col(8).str(row, "risk_flags")?,
            attributes: self.col(9).str(row, "attributes")?,
            summary: self.col(10).str(row, "summary")?,
        })
    }

    /// The case of a row, or the error naming the column.
    fn case(&self, row: usize, local: Zone, cache: &mut IdCache) -> Result<crate::Case, Error> {
        self.fields(row, local)
            .map_err(|e| cell_error(e, self.id(row)))
            .and_then(|f| f.to_case_cached(cache))
    }
}

/// How each column of [`DECISION_COLUMNS`] is written in Arrow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Dict,
    List,
    Due,
}

/// The Arrow kind of each column of [`DECISION_COLUMNS`], in order.
const KINDS: [Kind; 17] = [
    Kind::Text,
    Kind::Dict,
    Kind::Dict,
    Kind::Dict,
    Kind::Dict,
    Kind::Dict,
    Kind::Dict,
    Kind::List,
    Kind::Dict,
    Kind::Dict,
    Kind::Dict,
    Kind::Due,
    Kind::List,
    Kind::Dict,
    Kind::Dict,
    Kind::Dict,
    Kind::Text,
];

/// The schema of a routed table: the columns of [`DECISION_COLUMNS`]; `due` an instant
/// in the calendar's zone; the repetitive columns dictionary-encoded (categoricals in
/// pandas and polars); `co_offices` and `flags` lists of text.
#[must_use]
pub fn route_schema(engine: &Engine) -> SchemaRef {
    let offset: Arc<str> = Arc::from(engine.calendar().zone().to_string());
    let fields: Vec<Field> = DECISION_COLUMNS
        .iter()
        .zip(KINDS)
        .map(|(name, kind)| match kind {
            Kind::Text => Field::new(*name, DataType::Utf8, true),
            Kind::Dict => Field::new(
                *name,
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                true,
            ),
            Kind::List => Field::new(
                *name,
                DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                true,
            ),
            Kind::Due => Field::new(
                *name,
                DataType::Timestamp(TimeUnit::Second, Some(Arc::clone(&offset))),
                true,
            ),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The `case` column of rows `range` of a batch: the input's own `id` column when it is
/// plain text (sliced, not copied: a routed row's case is its id, an unroutable row's the
/// id as given), else its text copied.
fn case_column(
    batch: &RecordBatch,
    cols: &CaseCols<'_>,
    range: &std::ops::Range<usize>,
) -> ArrayRef {
    if let Some(a) = batch.column_by_name(CASE_COLUMNS[0]) {
        if a.data_type() == &DataType::Utf8 {
            return a.slice(range.start, range.len());
        }
    }
    let mut b = StringBuilder::with_capacity(range.len(), range.len() * 16);
    for row in range.clone() {
        b.append_option(cols.id(row));
    }
    finish(b)
}

/// The rows whose places are read together (see [`RouteCells::places`]).
const RUN: usize = 64;

/// How rows are read: from their columns where they can be (what every caller does), or
/// each through its `Case` (the reference the columnar reader is tested against).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reader {
    Columns,
    #[cfg_attr(not(test), allow(dead_code))]
    Cases,
}

/// Routes rows `range` of one batch whose first row is row `base` of the table: each row
/// from its columns ([`RouteCells`]), or, when it has something to report or a value the
/// columnar reader leaves, through its `Case`.
fn route_part(
    engine: &Engine,
    batch: &RecordBatch,
    cols: &CaseCols<'_>,
    range: std::ops::Range<usize>,
    base: usize,
    (mode, reader): (ErrorMode, Reader),
    schema: &SchemaRef,
) -> Result<RecordBatch, Error> {
    let local = engine.calendar().zone();
    let mut out = RoutedOut::with_capacity(range.len(), engine);
    let mut cells = RouteCells::new(engine, &cols.cols);
    let mut cache = IdCache::default();
    let mut places = Vec::with_capacity(RUN);
    cells.start(range.clone());
    for row in range.clone() {
        if reader == Reader::Columns {
            let at = (row - range.start) % RUN;
            if at == 0 {
                cells.places(row..(row + RUN).min(range.end), &mut places);
            }
            if let Some(routed) = places
                .get(at)
                .copied()
                .flatten()
                .and_then(|p| cells.route(row, p))
            {
                out.decision(&routed);
                continue;
            }
        }
        let routed = cols
            .case(row, local, &mut cache)
            .and_then(|case| match engine.route(&case) {
                Ok(d) => {
                    out.decision(&d.routed());
                    Ok(())
                }
                Err(e) => Err(Error::from(e)),
            });
        if let Err(error) = routed {
            if mode == ErrorMode::Raise {
                return Err(Error::Row(RowError {
                    row: base + row,
                    case: cols.id(row).map(str::to_owned),
                    error: Box::new(error),
                }));
            }
            out.error(&error);
        }
    }
    let case = case_column(batch, cols, &range);
    out.finish(case, schema)
        .map_err(|e| table_error(format!("building the result: {e}")))
}

/// The threads to route on when the caller names none: the machine's cores.
#[must_use]
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// The most threads one call routes on.
pub const MAX_THREADS: usize = 64;

/// A number of threads given as an argument: 1 to [`MAX_THREADS`].
///
/// # Errors
/// [`InputError`] naming the range.
pub fn threads_arg(n: impl Into<crate::input::Number>) -> Result<usize, InputError> {
    crate::input::whole(n, "threads", 1..=MAX_THREADS as u64)
        .map(|n| usize::try_from(n).unwrap_or(MAX_THREADS))
}

/// Routes every row of a table of cases (the columns of [`CASE_COLUMNS`]) on `threads`
/// threads (none: [`default_threads`]); the result has one row per case, in the input's
/// order, with the schema of [`route_schema`]. With [`ErrorMode::Raise`] the first row
/// (in table order) that cannot be routed is the error; with [`ErrorMode::Column`] it
/// gets `error_code` and `error` and the rest go on.
///
/// # Errors
/// [`Error::Input`] (code `table`) for a table without its columns; [`Error::Row`] for a
/// row that cannot be routed, in [`ErrorMode::Raise`].
pub fn route_batches(
    engine: &Engine,
    batches: &[RecordBatch],
    mode: ErrorMode,
    threads: Option<usize>,
) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
    route_batches_with(engine, batches, (mode, Reader::Columns), threads)
}

/// [`route_batches`] with the rows read by `reader`.
pub(super) fn route_batches_with(
    engine: &Engine,
    batches: &[RecordBatch],
    (mode, reader): (ErrorMode, Reader),
    threads: Option<usize>,
) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
    let threads = threads
        .unwrap_or_else(default_threads)
        .clamp(1, MAX_THREADS);
    let schema = route_schema(engine);
    let mut out = Vec::with_capacity(batches.len());
    let mut base = 0;
    for batch in batches {
        let cols = CaseCols::new(batch)?;
        let n = batch.num_rows();
        let parts = if n < 8192 { 1 } else { threads };
        let chunk = n.div_ceil(parts.max(1)).max(1);
        let ranges: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| start..(start + chunk).min(n))
            .collect();
        let results: Vec<Result<RecordBatch, Error>> = if ranges.len() <= 1 {
            vec![route_part(
                engine,
                batch,
                &cols,
                0..n,
                base,
                (mode, reader),
                &schema,
            )]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = ranges
                    .iter()
                    .map(|r| {
                        let (cols, schema, r) = (&cols, &schema, r.clone());
                        s.spawn(move || {
                            route_part(engine, batch, cols, r, base, (mode, reader), schema)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(table_error(
                                "a routing thread stopped unexpectedly".to_owned(),
                            ))
                        })
                    })
                    .collect()
            })
        };
        // The parts are in row order, so the first error found is the table's first.
        for r in results {
            out.push(r?);
        }
        base += n;
    }
    Ok((schema, out))
}

/// Back-tests `b` against `a` on every row of a table of cases, keeping at most `limit`
/// differing cases in full (none: [`BACKTEST_LIMIT`](crate::batch::BACKTEST_LIMIT)).
///
/// # Errors
/// [`Error::Input`] (code `table`) for a table without its columns.
pub fn backtest_batches(
    a: &Engine,
    b: &Engine,
    batches: &[RecordBatch],
    limit: Option<usize>,
) -> Result<BacktestReport, Error> {
    let local = a.calendar().zone();
    let mut test = Backtest::new(a, b, limit.unwrap_or(crate::batch::BACKTEST_LIMIT));
    for batch in batches {
        let cols = CaseCols::new(batch)?;
        let mut cache = IdCache::default();
        for row in 0..batch.num_rows() {
            match cols.case(row, local, &mut cache) {
                Ok(case) => test.add(&case),
                Err(e) => test.add_unreadable(cols.id(row).unwrap_or(""), &e),
            }
        }
    }
    Ok(test.finish())
}
