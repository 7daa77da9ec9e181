//! The analyst's fast path: route a table of cases, score a table of outcomes, back-test
//! two rule sets on a table, all column to column. The core decides each row; this module
//! reads cells into the core's types and writes the core's answers into columns.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, Int64Builder, ListBuilder, StringBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use gridgov::batch::{Backtest, CaseFields};
use gridgov::score::{CSV_COLUMNS, MonthReport, OutcomeError, OutcomeRow, UnitScore};
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
    Row(RowError),
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

fn cell_error(e: CellError) -> Error {
    Error::Case(gridgov::case::CaseError::Invalid(vec![
        gridgov::case::CaseProblem {
            case: "?".to_owned(),
            field: e.column.to_owned(),
            reason: e.reason,
        },
    ]))
}

fn table_error(e: CellError) -> TableError {
    TableError(format!("column `{}` {}", e.column, e.reason))
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
    fn case(&self, row: usize, local: Offset) -> Result<gridgov::Case, Error> {
        self.fields(row, local)
            .map_err(cell_error)
            .and_then(|f| f.to_case())
    }
}

/// The schema of `route_batch`'s result.
pub(crate) fn route_schema() -> SchemaRef {
    let s = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let list = |name: &str| {
        Field::new(
            name,
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        )
    };
    Arc::new(Schema::new(vec![
        s("case", true),
        s("version", true),
        s("grade", true),
        s("level", true),
        s("unit", true),
        s("unit_name", true),
        s("office", true),
        list("co_offices"),
        s("handler", true),
        s("handler_role", true),
        s("time_limit", true),
        s("due", true),
        list("flags"),
        s("rule_table", true),
        s("rule_row", true),
        s("error_code", true),
        s("error", true),
    ]))
}

#[derive(Default)]
struct RouteOut {
    case: StringBuilder,
    version: StringBuilder,
    grade: StringBuilder,
    level: StringBuilder,
    unit: StringBuilder,
    unit_name: StringBuilder,
    office: StringBuilder,
    co_offices: ListBuilder<StringBuilder>,
    handler: StringBuilder,
    handler_role: StringBuilder,
    time_limit: StringBuilder,
    due: StringBuilder,
    flags: ListBuilder<StringBuilder>,
    rule_table: StringBuilder,
    rule_row: StringBuilder,
    error_code: StringBuilder,
    error: StringBuilder,
}

impl RouteOut {
    fn decision(&mut self, d: &gridgov::Decision<'_>) {
        self.case.append_value(d.case().id.as_str());
        self.version.append_value(d.version());
        self.grade.append_option(d.grade());
        self.level.append_value(d.level().as_str());
        self.unit.append_option(d.unit().map(|u| u.id.as_str()));
        self.unit_name.append_option(d.unit().map(|u| u.name.as_str()));
        self.office.append_option(d.office().map(|o| o.id.as_str()));
        for o in d.co_offices() {
            self.co_offices.values().append_value(o.id.as_str());
        }
        self.co_offices.append(true);
        self.handler.append_option(d.handler().map(|p| p.id.as_str()));
        self.handler_role.append_option(d.role().map(|r| r.as_str()));
        // Writing into a builder's value buffer cannot fail.
        let _ = write!(self.time_limit, "{}", d.time_limit());
        self.time_limit.append_value("");
        let _ = write!(self.due, "{}", d.due());
        self.due.append_value("");
        for f in d.flags() {
            self.flags.values().append_value(f);
        }
        self.flags.append(true);
        let rule = d.rule();
        self.rule_table.append_value(rule.table);
        self.rule_row.append_value(rule.row);
        self.error_code.append_null();
        self.error.append_null();
    }

    fn error(&mut self, case: Option<&str>, e: &Error) {
        self.case.append_option(case);
        for b in [
            &mut self.version,
            &mut self.grade,
            &mut self.level,
            &mut self.unit,
            &mut self.unit_name,
            &mut self.office,
            &mut self.handler,
            &mut self.handler_role,
            &mut self.time_limit,
            &mut self.due,
            &mut self.rule_table,
            &mut self.rule_row,
        ] {
            b.append_null();
        }
        self.co_offices.append_null();
        self.flags.append_null();
        self.error_code.append_value(e.code());
        self.error.append_value(e.to_string());
    }

    fn finish(self, schema: &SchemaRef) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let cols: Vec<ArrayRef> = vec![
            finish(self.case),
            finish(self.version),
            finish(self.grade),
            finish(self.level),
            finish(self.unit),
            finish(self.unit_name),
            finish(self.office),
            finish(self.co_offices),
            finish(self.handler),
            finish(self.handler_role),
            finish(self.time_limit),
            finish(self.due),
            finish(self.flags),
            finish(self.rule_table),
            finish(self.rule_row),
            finish(self.error_code),
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
    let mut out = RouteOut::default();
    for row in range {
        let routed = cols
            .case(row, local)
            .and_then(|case| match engine.route(&case) {
                Ok(d) => {
                    out.decision(&d);
                    Ok(())
                }
                Err(e) => Err(Error::from(e)),
            });
        if let Err(error) = routed {
            if raise {
                return Err(BatchError::Row(RowError {
                    row: base + row,
                    case: cols.id(row).map(str::to_owned),
                    error,
                }));
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
    let schema = route_schema();
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
        for row in 0..batch.num_rows() {
            match cols.case(row, local) {
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
        let mut bufs: [String; 17] = Default::default();
        for row in 0..batch.num_rows() {
            let at = |e: CellError| {
                BatchError::Row(RowError {
                    row: base + row,
                    case: cols.first().and_then(|c| c.str(row, "id").ok().flatten()).map(str::to_owned),
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
                })
            };
            let mut cells: [Option<&str>; 17] = [None; 17];
            for ((cell, col), (buf, name)) in cells
                .iter_mut()
                .zip(&cols)
                .zip(bufs.iter_mut().zip(CSV_COLUMNS))
            {
                *cell = col
                    .text(row, name, local, buf)
                    .map_err(at)?
                    .map(str::trim)
                    .filter(|s| !s.is_empty());
            }
            let r = gridgov::score::outcome_from_cells(&cells).map_err(|mut e| {
                e.row = base + row + 1;
                BatchError::Row(RowError {
                    row: base + row,
                    case: cells.first().copied().flatten().map(str::to_owned),
                    error: Error::Score(e.into()),
                })
            })?;
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
pub(crate) fn units_table(report: &MonthReport, level: UnitLevel) -> Result<(SchemaRef, RecordBatch), String> {
    let units: &[UnitScore] = match level {
        UnitLevel::Grid => &report.grids,
        UnitLevel::Worker => &report.workers,
        UnitLevel::Community => &report.communities,
    };
    let places = units
        .first()
        .map_or(2, |u| u.score.places())
        .min(38);
    let scale = i8::try_from(places).unwrap_or(2);
    let dec = |p: u32| Decimal128Builder::new().with_precision_and_scale(38, i8::try_from(p).unwrap_or(2));
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
    let count_names: Vec<String> = match serde_json::to_value(units.first().map(|u| u.counts).unwrap_or_default()) {
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
            b.append_option(u.indicators.get(*i).map(|r| i128::from(r.ten_thousandths())));
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
        fields.push(Field::new(format!("points_{item}"), DataType::Decimal128(38, scale), true));
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
