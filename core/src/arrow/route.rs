//! Routing a table of cases, column to column: each row's cells become
//! [`CaseFields`], the engine decides, and each [`DecisionRow`] is written into the result
//! columns ([`DECISION_COLUMNS`]), the repetitive ones dictionary-encoded.

use std::sync::Arc;

use arrow_array::builder::{Int32Builder, ListBuilder, StringBuilder, TimestampSecondBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};

use super::ErrorMode;
use super::cols::{CellError, Col, finish};
use crate::batch::{
    Backtest, BacktestReport, CASE_COLUMNS, CaseFields, DECISION_COLUMNS, DecisionRow,
    REQUIRED_CASE_COLUMNS, missing_case_column,
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

/// A column of few distinct values, all borrowed from the engine (ids, names, levels):
/// written as an Arrow dictionary, one key per row, each value interned by address.
struct Interned {
    index: rustc_hash::FxHashMap<(usize, usize), i32>,
    values: StringBuilder,
    keys: Int32Builder,
}

impl Interned {
    fn new(rows: usize) -> Self {
        Self {
            index: rustc_hash::FxHashMap::default(),
            values: StringBuilder::new(),
            keys: Int32Builder::with_capacity(rows),
        }
    }

    fn push(&mut self, value: Option<&str>) {
        let Some(v) = value else {
            self.keys.append_null();
            return;
        };
        let next = i32::try_from(self.index.len()).unwrap_or(i32::MAX);
        let key = *self
            .index
            .entry((v.as_ptr() as usize, v.len()))
            .or_insert_with(|| {
                self.values.append_value(v);
                next
            });
        self.keys.append_value(key);
    }

    fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        let values: ArrayRef = Arc::new(self.values.finish());
        let dict = arrow_array::DictionaryArray::<Int32Type>::try_new(self.keys.finish(), values)?;
        Ok(Arc::new(dict))
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

/// The builders of one part of a routed table, one per column of [`DECISION_COLUMNS`].
struct RouteOut {
    case: StringBuilder,
    version: Interned,
    grade: Interned,
    level: Interned,
    unit: Interned,
    unit_name: Interned,
    office: Interned,
    co_offices: ListBuilder<StringBuilder>,
    handler: Interned,
    handler_role: Interned,
    time_limit: Interned,
    due: TimestampSecondBuilder,
    flags: ListBuilder<StringBuilder>,
    rule_table: Interned,
    rule_row: Interned,
    error_code: Interned,
    error: StringBuilder,
    /// Time limits printed once each.
    limits: rustc_hash::FxHashMap<crate::TimeLimit, Box<str>>,
}

impl RouteOut {
    /// Builders sized for `rows` rows, so that they never grow while routing.
    fn with_capacity(rows: usize, engine: &Engine) -> Self {
        let list = || ListBuilder::with_capacity(StringBuilder::new(), rows);
        Self {
            case: StringBuilder::with_capacity(rows, rows * 16),
            version: Interned::new(rows),
            grade: Interned::new(rows),
            level: Interned::new(rows),
            unit: Interned::new(rows),
            unit_name: Interned::new(rows),
            office: Interned::new(rows),
            co_offices: list(),
            handler: Interned::new(rows),
            handler_role: Interned::new(rows),
            time_limit: Interned::new(rows),
            due: TimestampSecondBuilder::with_capacity(rows)
                .with_timezone(engine.calendar().zone().to_string()),
            flags: list(),
            rule_table: Interned::new(rows),
            rule_row: Interned::new(rows),
            error_code: Interned::new(rows),
            error: StringBuilder::new(),
            limits: rustc_hash::FxHashMap::default(),
        }
    }

    fn decision(&mut self, r: &DecisionRow<'_>) {
        self.case.append_value(r.case);
        self.version.push(Some(r.version));
        self.grade.push(r.grade);
        self.level.push(Some(r.level));
        self.unit.push(r.unit);
        self.unit_name.push(r.unit_name);
        self.office.push(r.office);
        for o in &r.co_offices {
            self.co_offices.values().append_value(o);
        }
        self.co_offices.append(true);
        self.handler.push(r.handler);
        self.handler_role.push(r.handler_role);
        // Each time limit is printed once; its boxed text keeps its address (the key the
        // interner reads) however the map grows.
        let text = self
            .limits
            .entry(r.time_limit)
            .or_insert_with(|| r.time_limit.to_string().into_boxed_str());
        self.time_limit.push(Some(text));
        self.due.append_value(r.due.unix());
        for f in &r.flags {
            self.flags.values().append_value(f);
        }
        self.flags.append(true);
        self.rule_table.push(Some(r.rule_table));
        self.rule_row.push(Some(r.rule_row));
        self.error_code.push(None);
        self.error.append_null();
    }

    fn error(&mut self, case: Option<&str>, e: &Error) {
        self.case.append_option(case);
        for d in [
            &mut self.version,
            &mut self.grade,
            &mut self.level,
            &mut self.unit,
            &mut self.unit_name,
            &mut self.office,
            &mut self.handler,
            &mut self.handler_role,
            &mut self.time_limit,
            &mut self.rule_table,
            &mut self.rule_row,
        ] {
            d.push(None);
        }
        self.co_offices.append_null();
        self.due.append_null();
        self.flags.append_null();
        self.error_code.push(Some(e.code()));
        self.error.append_value(e.to_string());
    }

    /// The columns in the order of [`DECISION_COLUMNS`].
    fn finish(self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        let cols: Vec<ArrayRef> = vec![
            finish(self.case),
            self.version.finish()?,
            self.grade.finish()?,
            self.level.finish()?,
            self.unit.finish()?,
            self.unit_name.finish()?,
            self.office.finish()?,
            finish(self.co_offices),
            self.handler.finish()?,
            self.handler_role.finish()?,
            self.time_limit.finish()?,
            finish(self.due),
            finish(self.flags),
            self.rule_table.finish()?,
            self.rule_row.finish()?,
            self.error_code.finish()?,
            finish(self.error),
        ];
        RecordBatch::try_new(Arc::clone(schema), cols)
    }
}

/// Routes rows `range` of one batch whose first row is row `base` of the table.
fn route_part(
    engine: &Engine,
    cols: &CaseCols<'_>,
    range: std::ops::Range<usize>,
    base: usize,
    mode: ErrorMode,
    schema: &SchemaRef,
) -> Result<RecordBatch, Error> {
    let local = engine.calendar().zone();
    let mut out = RouteOut::with_capacity(range.len(), engine);
    let mut cache = IdCache::default();
    for row in range {
        let routed = cols
            .case(row, local, &mut cache)
            .and_then(|case| match engine.route(&case) {
                Ok(d) => {
                    out.decision(&DecisionRow::from(&d));
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
            out.error(cols.id(row), &error);
        }
    }
    out.finish(schema)
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
            vec![route_part(engine, &cols, 0..n, base, mode, &schema)]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = ranges
                    .iter()
                    .map(|r| {
                        let (cols, schema, r) = (&cols, &schema, r.clone());
                        s.spawn(move || route_part(engine, cols, r, base, mode, schema))
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
