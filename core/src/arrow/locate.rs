//! Columns of map points to their micro-grids: the batch `locate` of the bindings.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, Int32Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::route::table_error;
use crate::error::Error;
use crate::org::{Level, OrgGraph, UnitKind};
use crate::spatial::Crs;

/// The columns of [`locate_batches`]' output, in order.
pub const LOCATE_COLUMNS: [&str; 3] = ["micro_grid", "grid", "community"];

/// The output schema: each column a dictionary of the organisation's ids, null where a
/// point is in no micro-grid.
#[must_use]
pub fn locate_schema() -> SchemaRef {
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    Arc::new(Schema::new(
        LOCATE_COLUMNS
            .iter()
            .map(|c| Field::new(*c, dict.clone(), true))
            .collect::<Vec<_>>(),
    ))
}

/// A column of coordinates as `f64`, nulls as NaN (which locates nowhere).
fn coords(batch: &RecordBatch, name: &str) -> Result<Vec<f64>, Error> {
    let Some(a) = batch.column_by_name(name) else {
        let have: Vec<String> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| format!("`{}`", f.name()))
            .collect();
        return Err(table_error(format!(
            "has no column `{name}`; its columns are {}",
            if have.is_empty() {
                "none".to_owned()
            } else {
                have.join(", ")
            }
        )));
    };
    let values: Vec<f64> = match a.data_type() {
        DataType::Float64 => {
            let a = a.as_primitive::<Float64Type>();
            (0..a.len())
                .map(|i| if a.is_null(i) { f64::NAN } else { a.value(i) })
                .collect()
        }
        DataType::Float32 => {
            let a = a.as_primitive::<Float32Type>();
            (0..a.len())
                .map(|i| {
                    if a.is_null(i) {
                        f64::NAN
                    } else {
                        f64::from(a.value(i))
                    }
                })
                .collect()
        }
        other => {
            return Err(table_error(format!(
                "column `{name}` is {other}; give degrees as float64 (or float32)"
            )));
        }
    };
    Ok(values)
}

/// [`OrgGraph::locate_all`] over parts of the columns on several threads (one below
/// 16,384 points), the parts' answers in order.
fn locate_parts(
    org: &OrgGraph,
    xs: &[f64],
    ys: &[f64],
    crs: Crs,
    threads: usize,
) -> Result<Vec<i32>, Error> {
    let n = xs.len();
    let parts = if n < 16_384 { 1 } else { threads };
    if parts <= 1 {
        return Ok(org.locate_all(xs, ys, crs)?);
    }
    let chunk = n.div_ceil(parts).max(1);
    let results: Vec<Result<Vec<i32>, crate::org::LocateError>> = std::thread::scope(|s| {
        let handles: Vec<_> = xs
            .chunks(chunk)
            .zip(ys.chunks(chunk))
            .map(|(x, y)| s.spawn(move || org.locate_all(x, y, crs)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or(Err(crate::org::LocateError::Lengths {
                    lons: 0,
                    lats: usize::MAX,
                }))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(n);
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// Locates every point of a table's `lon` and `lat` columns (degrees in `crs`) on the
/// organisation's map, on `threads` threads (none: [`default_threads`](super::default_threads)):
/// a table of the same rows with `micro_grid`, `grid` and `community` as dictionary
/// columns of the organisation's ids, null for a point in no micro-grid (or a null
/// coordinate).
///
/// # Errors
/// [`Error::Locate`] (`no_map`) for an organisation without a map; [`Error::Input`] for
/// a missing coordinate column or one that is not floating point.
pub fn locate_batches(
    org: &OrgGraph,
    batches: &[RecordBatch],
    lon: &str,
    lat: &str,
    crs: Crs,
    threads: Option<usize>,
) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
    let threads = threads
        .unwrap_or_else(super::default_threads)
        .clamp(1, super::MAX_THREADS);
    org.map().ok_or(crate::org::LocateError::NoMap)?;
    // The dictionaries: micro-grids in spec order; grids and communities in spec order,
    // with each micro-grid's position among them.
    let micro: Vec<&crate::org::UnitSpec> = org.units_of_kind(UnitKind::MicroGrid).collect();
    let ids_of =
        |kind: UnitKind| -> Vec<&str> { org.units_of_kind(kind).map(|u| u.id.as_str()).collect() };
    let grids = ids_of(UnitKind::Grid);
    let communities = ids_of(UnitKind::Community);
    let positions = |ids: &[&str]| -> rustc_hash::FxHashMap<String, i32> {
        ids.iter()
            .enumerate()
            .filter_map(|(i, id)| Some(((*id).to_owned(), i32::try_from(i).ok()?)))
            .collect()
    };
    let (grid_at, community_at) = (positions(&grids), positions(&communities));
    let up = |m: &crate::org::UnitSpec,
              level: Level,
              at: &rustc_hash::FxHashMap<String, i32>|
     -> Option<i32> {
        let key = org.key(m.id.as_str())?;
        let unit = org.unit_by_key(org.unit_at_level_key(key, level)?)?;
        at.get(unit.id.as_str()).copied()
    };
    let grid_of: Vec<Option<i32>> = micro.iter().map(|m| up(m, Level::Grid, &grid_at)).collect();
    let community_of: Vec<Option<i32>> = micro
        .iter()
        .map(|m| up(m, Level::Community, &community_at))
        .collect();
    let micro_values: ArrayRef = Arc::new(StringArray::from_iter_values(
        micro.iter().map(|u| u.id.as_str()),
    ));
    let grid_values: ArrayRef = Arc::new(StringArray::from_iter_values(grids.iter().copied()));
    let community_values: ArrayRef =
        Arc::new(StringArray::from_iter_values(communities.iter().copied()));
    let schema = locate_schema();
    let mut out = Vec::with_capacity(batches.len());
    for batch in batches {
        let xs = coords(batch, lon)?;
        let ys = coords(batch, lat)?;
        let found = locate_parts(org, &xs, &ys, crs, threads)?;
        let at = |table: &[Option<i32>], m: i32| -> Option<i32> {
            usize::try_from(m)
                .ok()
                .and_then(|m| table.get(m).copied().flatten())
        };
        let keys: Int32Array = found.iter().map(|&m| (m >= 0).then_some(m)).collect();
        let grid_keys: Int32Array = found.iter().map(|&m| at(&grid_of, m)).collect();
        let community_keys: Int32Array = found.iter().map(|&m| at(&community_of, m)).collect();
        let dict = |k: Int32Array, v: &ArrayRef| -> Result<ArrayRef, Error> {
            DictionaryArray::<Int32Type>::try_new(k, Arc::clone(v))
                .map(|d| Arc::new(d) as ArrayRef)
                .map_err(|e| table_error(e.to_string()))
        };
        let columns = vec![
            dict(keys, &micro_values)?,
            dict(grid_keys, &grid_values)?,
            dict(community_keys, &community_values)?,
        ];
        out.push(
            RecordBatch::try_new(Arc::clone(&schema), columns)
                .map_err(|e| table_error(e.to_string()))?,
        );
    }
    Ok((schema, out))
}
