//! Scoring a table of outcomes read from columns, and the scored units as a table: the
//! shape of the score table is decided here, once.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, Int64Builder, ListBuilder, StringBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

use super::cols::{Col, Names, TimeValues, finish};
use crate::engine::Engine;
use crate::error::{Error, RowError};
use crate::id::IdCache;
use crate::input::InputError;
use crate::macros::named_enum;
use crate::score::CaseIds;
use crate::score::{
    CSV_COLUMNS, Cell, MonthReport, OutcomeError, OutcomeRow, REQUIRED_OUTCOME_COLUMNS,
    ScoreRequest, UnitScore, cell_count, cell_flag, cell_time, missing_outcome_column,
    outcome_from_typed_cells, read_cells, read_ids,
};
use crate::time::{Timestamp, Zone};

/// Reads a table of outcomes (columns of [`CSV_COLUMNS`], any order, others ignored) into
/// the core's rows, with the rules of the CSV reader.
///
/// # Errors
/// [`Error::Input`] (code `table`) for a table without its columns; [`Error::Row`] naming
/// the row, its case and the column of a cell that does not read.
pub fn outcome_rows(batches: &[RecordBatch], local: Zone) -> Result<Vec<OutcomeRow>, Error> {
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let mut rows = Vec::with_capacity(total);
    let mut base = 0;
    let mut cache = IdCache::default();
    for batch in batches {
        require_outcome_columns(&batch.schema())?;
        let mut cols = Vec::with_capacity(CSV_COLUMNS.len());
        for name in CSV_COLUMNS {
            cols.push(Col::of(batch, name).map_err(|e| {
                Error::Input(InputError::table(
                    "table",
                    format!("column `{}` {}", e.column, e.reason),
                ))
            })?);
        }
        for row in 0..batch.num_rows() {
            let id = || {
                cols.first()
                    .and_then(|c| c.str(row, "id").ok().flatten())
                    .map(str::to_owned)
            };
            let row_error = |e: OutcomeError| {
                Error::Row(RowError {
                    row: base + row,
                    case: id(),
                    error: Box::new(Error::Score(e.into())),
                })
            };
            let mut cells: [Option<Cell<'_>>; crate::score::OUTCOME_COLUMNS] =
                [None; crate::score::OUTCOME_COLUMNS];
            for ((cell, col), name) in cells.iter_mut().zip(&cols).zip(CSV_COLUMNS) {
                *cell = col.cell(row, name, local).map_err(|e| {
                    row_error(OutcomeError {
                        table: "outcomes",
                        row: base + row + 1,
                        line: None,
                        column: Some(e.column.to_owned()),
                        reason: e.reason,
                    })
                })?;
            }
            let r = outcome_from_typed_cells(&cells, Some(&mut cache)).map_err(|mut e| {
                e.row = base + row + 1;
                row_error(e)
            })?;
            rows.push(r);
        }
        base += batch.num_rows();
    }
    Ok(rows)
}

/// Refuses an outcome table whose schema lacks a required column.
///
/// # Errors
/// [`Error::Input`] (code `table`) naming the column and the columns of an outcome table.
pub fn require_outcome_columns(schema: &Schema) -> Result<(), Error> {
    match REQUIRED_OUTCOME_COLUMNS
        .iter()
        .find(|c| schema.field_with_name(c).is_err())
    {
        None => Ok(()),
        Some(missing) => Err(Error::Input(InputError::table(
            "table",
            missing_outcome_column(missing),
        ))),
    }
}

/// The outcome table of Arrow batches (the columns of [`CSV_COLUMNS`]), checked and
/// compiled for `engine` once to be scored for many months ([`Engine::score`]), with the
/// visits and inspections given apart: straight from the columns when every row reads
/// (each distinct location, category and name resolved once), else through
/// [`outcome_rows`] and [`Engine::compile_outcomes`], whose errors name the row.
///
/// # Errors
/// As [`outcome_rows`] and [`Engine::compile_outcomes`].
pub fn compile_outcome_batches(
    engine: &Engine,
    batches: &[RecordBatch],
    visits: &[crate::score::VisitRow],
    inspections: &[crate::score::InspectionRow],
) -> Result<crate::score::OutcomeTable, Error> {
    for batch in batches {
        require_outcome_columns(&batch.schema())?;
    }
    if let Some(table) = compile_columns(engine, batches, visits, inspections) {
        return Ok(table);
    }
    let local = engine.calendar().zone();
    let rows = outcome_rows(batches, local)?;
    Ok(engine
        .compile_outcomes(&rows, visits, inspections)
        .map_err(crate::score::ScoreError::from)?)
}

/// The outcome table of Arrow batches read straight from their columns, when every row
/// reads and fits; `None` for the row reader to name what does not.
pub(super) fn compile_columns(
    engine: &Engine,
    batches: &[RecordBatch],
    visits: &[crate::score::VisitRow],
    inspections: &[crate::score::InspectionRow],
) -> Option<crate::score::OutcomeTable> {
    let local = engine.calendar().zone();
    let mut typed = Vec::with_capacity(batches.len());
    for batch in batches {
        let cols: Result<Vec<Col<'_>>, _> = CSV_COLUMNS
            .iter()
            .map(|name| Col::of(batch, name))
            .collect();
        typed.push((batch.num_rows(), cols.ok()?));
    }
    let mut parts: Vec<(usize, OutcomeCols<'_, '_>)> = typed
        .iter()
        .map(|(n, cols)| (*n, OutcomeCols::new(cols, local)))
        .collect();
    engine.compile_cells(&mut parts, visits, inspections)
}

/// Scores a month of a table of outcomes as `request_json` asks (the request of
/// [`score_outcomes_json`](crate::json::score_outcomes_json) without the table).
///
/// # Errors
/// As [`outcome_rows`] and [`Engine::score_table_request`].
pub fn score_outcomes_report(
    engine: &Engine,
    batches: &[RecordBatch],
    request_json: &str,
) -> Result<MonthReport, Error> {
    outcomes_report(engine, batches, request_json, true)
}

/// [`score_outcomes_report`], with the common demands found only when `demands`.
fn outcomes_report(
    engine: &Engine,
    batches: &[RecordBatch],
    request_json: &str,
    demands: bool,
) -> Result<MonthReport, Error> {
    let request = ScoreRequest::from_json_str(request_json)?;
    if request.outcomes.is_some() || request.outcomes_csv.is_some() {
        // The request's own error: the table is given twice.
        let rows = outcome_rows(batches, engine.calendar().zone())?;
        return Ok(engine.score_table_request(request, Some(rows))?);
    }
    let mut table =
        compile_outcome_batches(engine, batches, &request.visits, &request.inspections)?;
    engine
        .compile_grid_work(&mut table, &request.meetings, &request.register)
        .map_err(crate::score::ScoreError::from)?;
    Ok(engine.score_table_with(&table, &request.options(), demands)?)
}

/// [`score_outcomes_report`] as the table of the units scored at `level` (none: grids),
/// see [`units_table`]. The table does not show the month's common demands, so they are
/// not looked for: on the million rows of the `profile_score` harness, scoring took 94–97
/// ns a row with them and 52–58 without.
///
/// # Errors
/// As [`score_outcomes_report`].
pub fn score_outcomes(
    engine: &Engine,
    batches: &[RecordBatch],
    request_json: &str,
    level: Option<UnitLevel>,
) -> Result<(SchemaRef, RecordBatch), Error> {
    report_units(
        &outcomes_report(engine, batches, request_json, false)?,
        level,
    )
}

/// The units of a month's report scored at `level` (none: grids) as a table
/// ([`units_table`]).
///
/// # Errors
/// [`Error::Input`] (code `table`) if the columns cannot be put together.
pub fn report_units(
    report: &MonthReport,
    level: Option<UnitLevel>,
) -> Result<(SchemaRef, RecordBatch), Error> {
    units_table(report, level.unwrap_or(UnitLevel::Grid)).map_err(|e| {
        Error::Input(InputError::table(
            "table",
            format!("building the result: {e}"),
        ))
    })
}

named_enum! {
    /// Which units a score table lists.
    UnitLevel, "unit level" {
        /// Every grid.
        Grid = "grid",
        /// Every grid worker.
        Worker = "worker",
        /// Every community.
        Community = "community",
        /// Every office, scored under the office scheme on the cases it led.
        Office = "office",
    }
}

/// The scored units of a month's report as one Arrow table: identity, rank, the score and
/// each scheme item (decimals with the scheme's places, null when not evaluable or left
/// out), every indicator (decimals with
/// four places, null when nothing was measured), every count, and the lists' streaks. The
/// schema's metadata holds the month, version, scheme and the red and black lists.
pub fn units_table(
    report: &MonthReport,
    level: UnitLevel,
) -> Result<(SchemaRef, RecordBatch), String> {
    let (units, scheme_items): (&[UnitScore], &[String]) = match level {
        UnitLevel::Grid => (&report.grids, &report.scheme_items),
        UnitLevel::Worker => (&report.workers, &report.scheme_items),
        UnitLevel::Community => (&report.communities, &report.scheme_items),
        UnitLevel::Office => (&report.offices, &report.office_scheme_items),
    };
    // The scheme's places, read off any printed value (every unit prints with them).
    let places = units
        .iter()
        .chain(std::iter::once(&report.total))
        .find_map(|u| u.score.or_else(|| u.items.iter().find_map(|p| *p)))
        .map_or(2, |p| p.places())
        .min(38);
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
    for _ in scheme_items {
        items.push(dec(places).map_err(|e| e.to_string())?);
    }
    let indicators = crate::score::Indicator::ALL;
    let mut ind: Vec<Decimal128Builder> = Vec::new();
    for _ in indicators {
        ind.push(dec(4).map_err(|e| e.to_string())?);
    }
    // The counts by name, in the order of their names (as the report's JSON has them).
    let fields = crate::score::Counts::FIELDS;
    let mut count_order: Vec<usize> = (0..fields.len()).collect();
    count_order.sort_by_key(|i| fields.get(*i));
    let count_names: Vec<&str> = count_order
        .iter()
        .filter_map(|i| fields.get(*i).copied())
        .collect();
    let mut counts: Vec<UInt32Builder> = count_names
        .iter()
        .map(|_| UInt32Builder::with_capacity(units.len()))
        .collect();
    let mut inactive = BooleanBuilder::new();
    let mut evaluable = BooleanBuilder::new();
    let mut red = UInt32Builder::new();
    let mut black = UInt32Builder::new();
    let u32_of = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    for u in units {
        unit.append_value(&*u.id);
        name.append_value(&*u.name);
        community.append_option(u.community.as_ref().map(crate::id::UnitId::as_str));
        worker.append_option(u.worker.as_ref().map(crate::id::PersonId::as_str));
        for g in &u.grids {
            grids.values().append_value(g.as_str());
        }
        grids.append(true);
        rank.append_value(u32_of(u.rank));
        previous_rank.append_option(u.previous_rank.map(u32_of));
        change.append_option(u.change);
        score.append_option(u.score.map(|p| p.rounded()));
        for (b, p) in items.iter_mut().zip(u.items.iter()) {
            b.append_option(p.map(|p| p.rounded()));
        }
        for (b, i) in ind.iter_mut().zip(indicators) {
            b.append_option(
                u.indicators
                    .get(*i)
                    .map(|r| i128::from(r.ten_thousandths())),
            );
        }
        let values = u.counts.values();
        for (b, i) in counts.iter_mut().zip(&count_order) {
            b.append_option(values.get(*i).copied());
        }
        inactive.append_value(u.inactive);
        evaluable.append_value(u.evaluable);
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
        Field::new("score", DataType::Decimal128(38, scale), true),
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
    for (item, b) in scheme_items.iter().zip(items) {
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
        fields.push(Field::new(*n, DataType::UInt32, true));
        cols.push(finish(b));
    }
    fields.push(Field::new("evaluable", DataType::Boolean, false));
    cols.push(finish(evaluable));
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
        ("gridgov.scheme_items", json(&scheme_items)),
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

/// Rows `rows` of a primitive column, each value (`None` for a null) read by `read`,
/// into `out`; `None` when the rows are not in the column or `read` refuses a value.
fn primitive<P: arrow_array::ArrowPrimitiveType, T>(
    a: &arrow_array::PrimitiveArray<P>,
    rows: std::ops::Range<usize>,
    out: &mut Vec<T>,
    read: impl Fn(Option<P::Native>) -> Option<T>,
) -> Option<()> {
    out.clear();
    let values = a.values().get(rows.clone())?;
    let nulls = arrow_array::Array::nulls(a);
    for (row, v) in rows.zip(values) {
        out.push(read(nulls.is_none_or(|n| n.is_valid(row)).then_some(*v))?);
    }
    Some(())
}

/// Rows `rows` of an integer column, each value (`None` for a null) read by `read` into
/// `out`: `None` when `col` is not of integers, `Some(None)` when a value does not fit
/// (for the row reader to name), as the cell reader reads them.
fn integers<T>(
    col: &Col<'_>,
    rows: std::ops::Range<usize>,
    out: &mut Vec<T>,
    read: impl Fn(Option<i128>) -> Option<T>,
) -> Option<Option<()>> {
    fn widened<P: arrow_array::ArrowPrimitiveType, T>(
        a: &arrow_array::PrimitiveArray<P>,
        rows: std::ops::Range<usize>,
        out: &mut Vec<T>,
        read: impl Fn(Option<i128>) -> Option<T>,
    ) -> Option<()>
    where
        P::Native: Into<i128>,
    {
        primitive(a, rows, out, |v| read(v.map(Into::into)))
    }
    Some(match col {
        Col::I8(a) => widened(a, rows, out, read),
        Col::I16(a) => widened(a, rows, out, read),
        Col::I32(a) => widened(a, rows, out, read),
        Col::I64(a) => widened(a, rows, out, read),
        Col::U8(a) => widened(a, rows, out, read),
        Col::U16(a) => widened(a, rows, out, read),
        Col::U32(a) => widened(a, rows, out, read),
        Col::U64(a) => widened(a, rows, out, read),
        _ => return None,
    })
}

/// The typed columns of one batch of outcomes as [`Engine::compile_cells`] reads them,
/// each name column resolved once per distinct value (per dictionary entry for a
/// dictionary column).
struct OutcomeCols<'c, 'a> {
    cols: &'c [Col<'a>],
    local: Zone,
    names: Vec<Names<'c, 'a, Option<u32>>>,
}

impl<'c, 'a> OutcomeCols<'c, 'a> {
    fn new(cols: &'c [Col<'a>], local: Zone) -> Self {
        Self {
            cols,
            local,
            names: cols.iter().map(Names::new).collect(),
        }
    }
}

impl<'a> crate::score::OutcomeCells<'a> for OutcomeCols<'_, 'a> {
    #[inline]
    fn cells(
        &self,
        c: usize,
        rows: std::ops::Range<usize>,
        mut each: impl FnMut(Option<Cell<'a>>) -> Option<()>,
    ) -> Option<()> {
        let (col, name) = (self.cols.get(c)?, CSV_COLUMNS.get(c)?);
        match col {
            // A column not given: every cell empty.
            Col::Missing => rows.into_iter().try_for_each(|_| each(None)),
            // Instants of a typed column in a zone: read straight from the values.
            Col::Time {
                values: TimeValues::S(a),
                offset: Some(zone),
            } => {
                let values = a.values().get(rows.clone())?;
                match arrow_array::Array::nulls(*a) {
                    None => values
                        .iter()
                        .try_for_each(|v| each(Some(Cell::Time(zone.timestamp(*v))))),
                    Some(nulls) => rows.zip(values).try_for_each(|(row, v)| {
                        each(nulls.is_valid(row).then(|| Cell::Time(zone.timestamp(*v))))
                    }),
                }
            }
            col => rows
                .into_iter()
                .try_for_each(|row| each(col.cell(row, name, self.local).ok()?)),
        }
    }

    fn ids(&self, rows: std::ops::Range<usize>, out: &mut CaseIds) -> Option<()> {
        match self.cols.first()? {
            // Ids checked together over the column's bytes: their text is copied at once.
            col @ Col::Utf8(a) if super::route_in::ids_valid(col, rows.clone()) => {
                let offsets = a.value_offsets().get(rows.start..=rows.end)?;
                let (lo, hi) = (*offsets.first()?, *offsets.last()?);
                let bytes = a
                    .value_data()
                    .get(usize::try_from(lo).ok()?..usize::try_from(hi).ok()?)?;
                // Every byte is an id's (ASCII), as `ids_valid` found.
                let joined = std::str::from_utf8(bytes).ok()?;
                out.extend_joined(joined, offsets).then_some(())
            }
            _ => read_ids(self, rows, out),
        }
    }

    fn times(
        &self,
        c: usize,
        rows: std::ops::Range<usize>,
        out: &mut Vec<Option<Timestamp>>,
    ) -> Option<()> {
        match self.cols.get(c)? {
            Col::Missing => {
                out.clear();
                out.resize(rows.len(), None);
                Some(())
            }
            // Instants of a typed column in a zone: read straight from the values.
            Col::Time {
                values: TimeValues::S(a),
                offset: Some(zone),
            } => primitive(a, rows, out, |v| Some(v.map(|v| zone.timestamp(v)))),
            _ => read_cells(self, c, rows, out, cell_time),
        }
    }

    fn counts(&self, c: usize, rows: std::ops::Range<usize>, out: &mut Vec<u32>) -> Option<()> {
        match self.cols.get(c)? {
            // Absent counts are 0.
            Col::Missing => {
                out.clear();
                out.resize(rows.len(), 0);
                Some(())
            }
            col => integers(col, rows.clone(), out, |v| match v {
                None => Some(0),
                Some(n) => u32::try_from(n).ok(),
            })
            .unwrap_or_else(|| read_cells(self, c, rows, out, cell_count)),
        }
    }

    fn satisfactions(&self, rows: std::ops::Range<usize>, out: &mut Vec<Option<u8>>) -> Option<()> {
        let read = |v: Option<i128>| match v {
            None => Some(None),
            Some(n) => u8::try_from(n).ok().map(Some),
        };
        match self.cols.get(8)? {
            Col::Missing => {
                out.clear();
                out.resize(rows.len(), None);
                Some(())
            }
            col => integers(col, rows.clone(), out, read).unwrap_or_else(|| {
                read_cells(self, 8, rows, out, |cell, _| {
                    crate::score::cell_satisfaction(cell)
                })
            }),
        }
    }

    fn flags(&self, c: usize, rows: std::ops::Range<usize>, out: &mut Vec<bool>) -> Option<()> {
        match self.cols.get(c)? {
            // Absent flags are false.
            Col::Missing => {
                out.clear();
                out.resize(rows.len(), false);
                Some(())
            }
            Col::Bool(a) => {
                out.clear();
                let nulls = arrow_array::Array::nulls(*a);
                out.extend(rows.map(|row| nulls.is_none_or(|n| n.is_valid(row)) && a.value(row)));
                Some(())
            }
            _ => read_cells(self, c, rows, out, cell_flag),
        }
    }

    #[inline]
    fn names(
        &mut self,
        c: usize,
        rows: std::ops::Range<usize>,
        resolve: &mut dyn FnMut(&'a str) -> Option<u32>,
        out: &mut Vec<Option<u32>>,
    ) -> Option<()> {
        out.clear();
        let names = self.names.get_mut(c)?;
        for row in rows {
            out.push(match names.get(row, &mut *resolve)? {
                None => None,
                Some(v) => Some(v?),
            });
        }
        Some(())
    }
}
