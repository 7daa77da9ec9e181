//! The analyst's fast path: route a table of cases, score a table of outcomes, back-test
//! two rule sets on a table, all column to column. The core decides each row; this module
//! reads cells into the core's types and writes the core's answers into columns.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampSecondBuilder, UInt32Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use gridgov::batch::{Backtest, CaseFields, IdCache};
use gridgov::score::{CSV_COLUMNS, Cell, MonthReport, OutcomeError, OutcomeRow, UnitScore};
use gridgov::time::Offset;
use gridgov::{Engine, Error};

use crate::arrow::{CellError, Col, finish};

/// A row that could not be taken: its position in the whole table (0-based), its case id
/// as given, and why.
pub(crate) struct RowError {
    pub(crate) row: usize,
    pub(crate) case: Option<String>,
    pub(crate) error: Error,
}

/// The table is not a table of cases (a required column is missing, or of the wrong type).
pub(crate) struct TableError(pub(crate) String);

pub(crate) enum BatchError {
    Row(Box<RowError>),
    Table(TableError),
}

impl From<TableError> for BatchError {
    fn from(e: TableError) -> Self {
        Self::Table(e)
    }
}

/// The columns of a case table: required, then optional.
pub(crate) const CASE_COLUMNS: [&str; 11] = [
    "id",
    "channel",
    "category",
    "location",
    "reported_at",
    "people_involved",
    "amount_yuan",
    "repeat_count",
    "risk_flags",
    "attributes",
    "summary",
];

fn cell_error(e: CellError, case: Option<&str>) -> Error {
    Error::Case(gridgov::case::CaseError::Invalid(vec![
        gridgov::case::CaseProblem {
            case: case.map_or_else(|| "?".to_owned(), gridgov::text::truncate_for_message),
            field: e.column.to_owned(),
            reason: e.reason,
        },
    ]))
}

fn table_error(e: CellError) -> TableError {
    TableError(format!("column `{}` {}", e.column, e.reason))
}

/// Refuses a table whose schema lacks one of the first `required` of `columns`, whatever
/// its number of rows (an empty table of the wrong shape is still the wrong table).
pub(crate) fn require_columns(
    schema: &Schema,
    columns: &[&str],
    required: usize,
    what: &str,
) -> Result<(), BatchError> {
    let (needed, optional) = columns.split_at(required.min(columns.len()));
    match needed.iter().find(|c| schema.field_with_name(c).is_err()) {
        None => Ok(()),
        Some(missing) => Err(BatchError::Table(TableError(format!(
            "the table has no column `{missing}`; a {what} table has columns {} (required) and {} (optional)",
            needed.join(", "),
            optional.join(", ")
        )))),
    }
}

/// [`require_columns`] for an outcome table.
pub(crate) fn require_outcome_columns(schema: &Schema) -> Result<(), BatchError> {
    let required = ["id", "location", "category", "reported_at"];
    let optional: Vec<&str> = CSV_COLUMNS
        .iter()
        .filter(|c| !required.contains(c))
        .copied()
        .collect();
    let columns: Vec<&str> = required.iter().copied().chain(optional).collect();
    require_columns(schema, &columns, required.len(), "outcome")
}

/// The case columns of one batch, typed once.
struct CaseCols<'a> {
    cols: Vec<Col<'a>>,
}

impl<'a> CaseCols<'a> {
    fn new(batch: &'a RecordBatch) -> Result<Self, TableError> {
        let mut cols = Vec::with_capacity(CASE_COLUMNS.len());
        for (i, name) in CASE_COLUMNS.iter().enumerate() {
            if i < 5 && batch.column_by_name(name).is_none() {
                return Err(TableError(format!(
                    "the table has no column `{name}`; a case table has columns {} (required) and {} (optional)",
                    CASE_COLUMNS[..5].join(", "),
                    CASE_COLUMNS[5..].join(", ")
                )));
            }
            cols.push(Col::of(batch, name).map_err(table_error)?);
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

    fn fields(&self, row: usize, local: Offset) -> Result<CaseFields<'a>, CellError> {
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
    fn case(&self, row: usize, local: Offset, cache: &mut IdCache) -> Result<gridgov::Case, Error> {
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

    fn finish(mut self) -> Result<ArrayRef, arrow_schema::ArrowError> {
        let values: ArrayRef = Arc::new(self.values.finish());
        let dict = arrow_array::DictionaryArray::<Int32Type>::try_new(self.keys.finish(), values)?;
        Ok(Arc::new(dict))
    }
}

/// The dictionary type of the low-cardinality columns.
fn dict_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// The columns of `route_batch`'s result written as dictionaries, in schema order.
const DICT_COLUMNS: [&str; 12] = [
    "version",
    "grade",
    "level",
    "unit",
    "unit_name",
    "office",
    "handler",
    "handler_role",
    "time_limit",
    "rule_table",
    "rule_row",
    "error_code",
];

/// The schema of `route_batch`'s result: `due` is an instant in the calendar's offset;
/// the columns of [`DICT_COLUMNS`] are dictionary-encoded (categoricals in pandas and
/// polars).
pub(crate) fn route_schema(engine: &Engine) -> SchemaRef {
    let list = |name: &str| {
        Field::new(
            name,
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        )
    };
    let dict = |name: &str| Field::new(name, dict_type(), true);
    let offset: Arc<str> = Arc::from(engine.calendar().offset().to_string());
    Arc::new(Schema::new(vec![
        Field::new("case", DataType::Utf8, true),
        dict("version"),
        dict("grade"),
        dict("level"),
        dict("unit"),
        dict("unit_name"),
        dict("office"),
        list("co_offices"),
        dict("handler"),
        dict("handler_role"),
        dict("time_limit"),
        Field::new(
            "due",
            DataType::Timestamp(TimeUnit::Second, Some(offset)),
            true,
        ),
        list("flags"),
        dict("rule_table"),
        dict("rule_row"),
        dict("error_code"),
        Field::new("error", DataType::Utf8, true),
    ]))
}

struct RouteOut {
    case: StringBuilder,
    /// The columns of [`DICT_COLUMNS`], in order.
    dicts: Vec<Interned>,
    co_offices: ListBuilder<StringBuilder>,
    due: TimestampSecondBuilder,
    flags: ListBuilder<StringBuilder>,
    error: StringBuilder,
    /// Time limits printed once each.
    limits: rustc_hash::FxHashMap<gridgov::TimeLimit, Box<str>>,
}

impl RouteOut {
    /// Builders sized for `rows` rows, so that they never grow while routing.
    fn with_capacity(rows: usize, engine: &Engine) -> Self {
        let list = || ListBuilder::with_capacity(StringBuilder::new(), rows);
        Self {
            case: StringBuilder::with_capacity(rows, rows * 24),
            dicts: DICT_COLUMNS.iter().map(|_| Interned::new(rows)).collect(),
            co_offices: list(),
            due: TimestampSecondBuilder::with_capacity(rows)
                .with_timezone(engine.calendar().offset().to_string()),
            flags: list(),
            error: StringBuilder::new(),
            limits: rustc_hash::FxHashMap::default(),
        }
    }

    fn dict(&mut self, column: usize, value: Option<&str>) {
        if let Some(d) = self.dicts.get_mut(column) {
            d.push(value);
        }
    }

    fn decision(&mut self, d: &gridgov::Decision<'_>) {
        self.case.append_value(d.case().id.as_str());
        let rule = d.rule();
        let values = [
            Some(d.version()),
            d.grade(),
            Some(d.level().as_str()),
            d.unit().map(|u| u.id.as_str()),
            d.unit().map(|u| u.name.as_str()),
            d.office().map(|o| o.id.as_str()),
            d.handler().map(|p| p.id.as_str()),
            d.role().map(|r| r.as_str()),
        ];
        for (i, v) in values.into_iter().enumerate() {
            self.dict(i, v);
        }
        // Each time limit is printed once; its boxed text keeps its address (the key the
        // interner reads) however the map grows.
        let limit = d.time_limit();
        let text = self
            .limits
            .entry(limit)
            .or_insert_with(|| limit.to_string().into_boxed_str());
        if let Some(dict) = self.dicts.get_mut(8) {
            dict.push(Some(text));
        }
        self.dict(9, Some(rule.table));
        self.dict(10, Some(rule.row));
        self.dict(11, None);
        for o in d.co_offices() {
            self.co_offices.values().append_value(o.id.as_str());
        }
        self.co_offices.append(true);
        self.due.append_value(d.due().unix());
        for f in d.flags() {
            self.flags.values().append_value(f);
        }
        self.flags.append(true);
        self.error.append_null();
    }

    fn error(&mut self, case: Option<&str>, e: &Error) {
        self.case.append_option(case);
        for i in 0..DICT_COLUMNS.len() - 1 {
            self.dict(i, None);
        }
        self.dict(DICT_COLUMNS.len() - 1, Some(e.code()));
        self.co_offices.append_null();
        self.due.append_null();
        self.flags.append_null();
        self.error.append_value(e.to_string());
    }

    fn finish(self, schema: &SchemaRef) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let mut dicts = self.dicts.into_iter();
        let mut next = || -> Result<ArrayRef, arrow_schema::ArrowError> {
            dicts.next().map_or_else(
                || {
                    Err(arrow_schema::ArrowError::SchemaError(
                        "missing column".to_owned(),
                    ))
                },
                Interned::finish,
            )
        };
        let cols: Vec<ArrayRef> = vec![
            finish(self.case),
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            finish(self.co_offices),
            next()?,
            next()?,
            next()?,
            finish(self.due),
            finish(self.flags),
            next()?,
            next()?,
            next()?,
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
    raise: bool,
    schema: &SchemaRef,
) -> Result<RecordBatch, BatchError> {
    let local = engine.calendar().offset();
    let mut out = RouteOut::with_capacity(range.len(), engine);
    let mut cache = IdCache::default();
    for row in range {
        let routed = cols
            .case(row, local, &mut cache)
            .and_then(|case| match engine.route(&case) {
                Ok(d) => {
                    out.decision(&d);
                    Ok(())
                }
                Err(e) => Err(Error::from(e)),
            });
        if let Err(error) = routed {
            if raise {
                return Err(BatchError::Row(Box::new(RowError {
                    row: base + row,
                    case: cols.id(row).map(str::to_owned),
                    error,
                })));
            }
            out.error(cols.id(row), &error);
        }
    }
    out.finish(schema)
        .map_err(|e| BatchError::Table(TableError(format!("building the result: {e}"))))
}

/// Routes every row of a table of cases on `threads` threads; the result has the rows in
/// the input's order. With `raise`, the first row (in table order) that cannot be routed
/// is the error; otherwise it gets `error_code` and `error`.
pub(crate) fn route_batches(
    engine: &Engine,
    batches: &[RecordBatch],
    raise: bool,
    threads: usize,
) -> Result<Vec<RecordBatch>, BatchError> {
    let schema = route_schema(engine);
    let mut out = Vec::with_capacity(batches.len());
    let mut base = 0;
    for batch in batches {
        let cols = CaseCols::new(batch)?;
        let n = batch.num_rows();
        let parts = if n < 8192 { 1 } else { threads.clamp(1, 64) };
        let chunk = n.div_ceil(parts.max(1)).max(1);
        let ranges: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| start..(start + chunk).min(n))
            .collect();
        let results: Vec<Result<RecordBatch, BatchError>> = if ranges.len() <= 1 {
            vec![route_part(engine, &cols, 0..n, base, raise, &schema)]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = ranges
                    .iter()
                    .map(|r| {
                        let (cols, schema, r) = (&cols, &schema, r.clone());
                        s.spawn(move || route_part(engine, cols, r, base, raise, schema))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(BatchError::Table(TableError(
                                "a routing thread stopped unexpectedly".to_owned(),
                            )))
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
    Ok(out)
}

/// Back-tests `b` against `a` on every row of a table of cases.
pub(crate) fn backtest_batches(
    a: &Engine,
    b: &Engine,
    batches: &[RecordBatch],
    limit: usize,
) -> Result<gridgov::batch::BacktestReport, TableError> {
    let local = a.calendar().offset();
    let mut test = Backtest::new(a, b, limit);
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

/// Reads a table of outcomes (columns of [`CSV_COLUMNS`], any order, others ignored) into
/// the core's rows, with the rules of the CSV reader.
pub(crate) fn outcome_rows(
    batches: &[RecordBatch],
    local: Offset,
) -> Result<Vec<OutcomeRow>, BatchError> {
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let mut rows = Vec::with_capacity(total);
    let mut base = 0;
    let mut cache = IdCache::default();
    for batch in batches {
        let mut cols = Vec::with_capacity(CSV_COLUMNS.len());
        for name in CSV_COLUMNS {
            cols.push(Col::of(batch, name).map_err(table_error)?);
        }
        for required in ["id", "location", "category", "reported_at"] {
            if batch.column_by_name(required).is_none() {
                return Err(BatchError::Table(TableError(format!(
                    "the table has no column `{required}`; an outcome table has columns id, location, category, reported_at (required) and {} (optional)",
                    CSV_COLUMNS
                        .iter()
                        .filter(|c| !matches!(**c, "id" | "location" | "category" | "reported_at"))
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ))));
            }
        }
        for row in 0..batch.num_rows() {
            let id = || {
                cols.first()
                    .and_then(|c| c.str(row, "id").ok().flatten())
                    .map(str::to_owned)
            };
            let mut cells: [Option<Cell<'_>>; 17] = [None; 17];
            for ((cell, col), name) in cells.iter_mut().zip(&cols).zip(CSV_COLUMNS) {
                *cell = col.cell(row, name, local).map_err(|e| {
                    BatchError::Row(Box::new(RowError {
                        row: base + row,
                        case: id(),
                        error: Error::Score(
                            OutcomeError {
                                table: "outcomes",
                                row: base + row + 1,
                                line: None,
                                column: Some(e.column.to_owned()),
                                reason: e.reason,
                            }
                            .into(),
                        ),
                    }))
                })?;
            }
            let r = gridgov::score::outcome_from_typed_cells(&cells, Some(&mut cache)).map_err(
                |mut e| {
                    e.row = base + row + 1;
                    BatchError::Row(Box::new(RowError {
                        row: base + row,
                        case: id(),
                        error: Error::Score(e.into()),
                    }))
                },
            )?;
            rows.push(r);
        }
        base += batch.num_rows();
    }
    Ok(rows)
}

/// Which units a score table lists.
#[derive(Clone, Copy)]
pub(crate) enum UnitLevel {
    Grid,
    Worker,
    Community,
}

impl UnitLevel {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "grid" => Some(Self::Grid),
            "worker" => Some(Self::Worker),
            "community" => Some(Self::Community),
            _ => None,
        }
    }
}

/// The scored units of a month's report as one Arrow table: identity, rank, the score and
/// each scheme item (decimals with the scheme's places), every indicator (decimals with
/// four places, null when nothing was measured), every count, and the lists' streaks. The
/// schema's metadata holds the month, version, scheme and the red and black lists.
pub(crate) fn units_table(
    report: &MonthReport,
    level: UnitLevel,
) -> Result<(SchemaRef, RecordBatch), String> {
    let units: &[UnitScore] = match level {
        UnitLevel::Grid => &report.grids,
        UnitLevel::Worker => &report.workers,
        UnitLevel::Community => &report.communities,
    };
    let places = units.first().map_or(2, |u| u.score.places()).min(38);
    let scale = i8::try_from(places).unwrap_or(2);
    let dec = |p: u32| {
        Decimal128Builder::new().with_precision_and_scale(38, i8::try_from(p).unwrap_or(2))
    };
    let mut unit = StringBuilder::new();
    let mut name = StringBuilder::new();
    let mut community = StringBuilder::new();
    let mut worker = StringBuilder::new();
    let mut grids = ListBuilder::new(StringBuilder::new());
    let mut rank = UInt32Builder::new();
    let mut previous_rank = UInt32Builder::new();
    let mut change = Int64Builder::new();
    let mut score = dec(places).map_err(|e| e.to_string())?;
    let mut items: Vec<Decimal128Builder> = Vec::new();
    for _ in &report.scheme_items {
        items.push(dec(places).map_err(|e| e.to_string())?);
    }
    let indicators = gridgov::score::Indicator::ALL;
    let mut ind: Vec<Decimal128Builder> = Vec::new();
    for _ in indicators {
        ind.push(dec(4).map_err(|e| e.to_string())?);
    }
    let count_names: Vec<String> =
        match serde_json::to_value(units.first().map(|u| u.counts).unwrap_or_default()) {
            Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
    let mut counts: Vec<UInt32Builder> = count_names.iter().map(|_| UInt32Builder::new()).collect();
    let mut inactive = BooleanBuilder::new();
    let mut red = UInt32Builder::new();
    let mut black = UInt32Builder::new();
    let u32_of = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    for u in units {
        unit.append_value(&*u.id);
        name.append_value(&*u.name);
        community.append_option(u.community.as_ref().map(gridgov::UnitId::as_str));
        worker.append_option(u.worker.as_ref().map(gridgov::PersonId::as_str));
        for g in &u.grids {
            grids.values().append_value(g.as_str());
        }
        grids.append(true);
        rank.append_value(u32_of(u.rank));
        previous_rank.append_option(u.previous_rank.map(u32_of));
        change.append_option(u.change);
        score.append_value(u.score.rounded());
        for (b, p) in items.iter_mut().zip(u.items.iter()) {
            b.append_value(p.rounded());
        }
        for (b, i) in ind.iter_mut().zip(indicators) {
            b.append_option(
                u.indicators
                    .get(*i)
                    .map(|r| i128::from(r.ten_thousandths())),
            );
        }
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(u.counts) {
            for (b, v) in counts.iter_mut().zip(m.values()) {
                b.append_option(v.as_u64().map(|v| u32::try_from(v).unwrap_or(u32::MAX)));
            }
        }
        inactive.append_value(u.inactive);
        red.append_value(u.red_streak);
        black.append_value(u.black_streak);
    }
    let mut fields = vec![
        Field::new("unit", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("community", DataType::Utf8, true),
        Field::new("worker", DataType::Utf8, true),
        Field::new(
            "grids",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
        Field::new("rank", DataType::UInt32, false),
        Field::new("previous_rank", DataType::UInt32, true),
        Field::new("change", DataType::Int64, true),
        Field::new("score", DataType::Decimal128(38, scale), false),
    ];
    let mut cols: Vec<ArrayRef> = vec![
        finish(unit),
        finish(name),
        finish(community),
        finish(worker),
        finish(grids),
        finish(rank),
        finish(previous_rank),
        finish(change),
        finish(score),
    ];
    for (item, b) in report.scheme_items.iter().zip(items) {
        fields.push(Field::new(
            format!("points_{item}"),
            DataType::Decimal128(38, scale),
            true,
        ));
        cols.push(finish(b));
    }
    for (i, b) in indicators.iter().zip(ind) {
        fields.push(Field::new(i.as_str(), DataType::Decimal128(38, 4), true));
        cols.push(finish(b));
    }
    for (n, b) in count_names.iter().zip(counts) {
        fields.push(Field::new(n.as_str(), DataType::UInt32, true));
        cols.push(finish(b));
    }
    fields.push(Field::new("inactive", DataType::Boolean, false));
    cols.push(finish(inactive));
    fields.push(Field::new("red_streak", DataType::UInt32, false));
    cols.push(finish(red));
    fields.push(Field::new("black_streak", DataType::UInt32, false));
    cols.push(finish(black));
    let json = |v: &dyn erased::Ser| v.json();
    let metadata: std::collections::HashMap<String, String> = [
        ("gridgov.month", report.month.to_string()),
        ("gridgov.version", report.version.clone()),
        ("gridgov.scheme", report.scheme.clone()),
        ("gridgov.scheme_items", json(&report.scheme_items)),
        ("gridgov.red_list", json(&report.red_list)),
        ("gridgov.black_list", json(&report.black_list)),
        ("gridgov.inactive", json(&report.inactive)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let schema = Arc::new(Schema::new(fields).with_metadata(metadata));
    let batch = RecordBatch::try_new(Arc::clone(&schema), cols).map_err(|e| e.to_string())?;
    Ok((schema, batch))
}

mod erased {
    /// A value printed as compact JSON in the table's metadata.
    pub(crate) trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".to_owned())
        }
    }
}

/// The schema of a table of cases as [`cases_table`] writes it and `route_batch` reads it.
pub(crate) fn cases_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("channel", DataType::Utf8, false),
        Field::new("category", DataType::Utf8, false),
        Field::new("location", DataType::Utf8, false),
        Field::new("reported_at", DataType::Utf8, false),
        Field::new("people_involved", DataType::UInt32, false),
        Field::new("amount_yuan", DataType::Decimal128(18, 2), false),
        Field::new("repeat_count", DataType::UInt32, false),
        Field::new("risk_flags", DataType::Utf8, true),
        Field::new("attributes", DataType::Utf8, true),
    ]))
}

/// Cases as a table of the columns `route_batch` reads (amounts as exact decimals).
pub(crate) fn cases_table(cases: &[gridgov::Case]) -> Result<(SchemaRef, RecordBatch), String> {
    let mut id = StringBuilder::new();
    let mut channel = StringBuilder::new();
    let mut category = StringBuilder::new();
    let mut location = StringBuilder::new();
    let mut reported_at = StringBuilder::new();
    let mut people = UInt32Builder::new();
    let mut amount = Decimal128Builder::new()
        .with_precision_and_scale(18, 2)
        .map_err(|e| e.to_string())?;
    let mut repeat = UInt32Builder::new();
    let mut flags = StringBuilder::new();
    let mut attributes = StringBuilder::new();
    for c in cases {
        id.append_value(c.id.as_str());
        channel.append_value(c.channel.as_str());
        category.append_value(c.category.as_str());
        location.append_value(c.location.as_str());
        let _ = write!(reported_at, "{}", c.reported_at);
        reported_at.append_value("");
        people.append_value(c.people_involved);
        amount.append_value(i128::from(c.amount_yuan.hundredths()));
        repeat.append_value(c.repeat_count);
        if c.risk_flags.is_empty() {
            flags.append_null();
        } else {
            let names: Vec<&str> = c.risk_flags.iter().map(gridgov::Name::as_str).collect();
            flags.append_value(names.join(","));
        }
        if c.attributes.is_empty() {
            attributes.append_null();
        } else {
            attributes
                .append_value(serde_json::to_string(&c.attributes).map_err(|e| e.to_string())?);
        }
    }
    let schema = cases_schema();
    let cols: Vec<ArrayRef> = vec![
        finish(id),
        finish(channel),
        finish(category),
        finish(location),
        finish(reported_at),
        finish(people),
        finish(amount),
        finish(repeat),
        finish(flags),
        finish(attributes),
    ];
    let batch = RecordBatch::try_new(Arc::clone(&schema), cols).map_err(|e| e.to_string())?;
    Ok((schema, batch))
}
