//! Arrow tables in and out through the Arrow PyCapsule interface: any object with
//! `__arrow_c_stream__` (pyarrow, polars, pandas >= 2.2, DuckDB relations…) is read
//! without a Python object per row, and results leave as an [`ArrowStream`] that pyarrow,
//! polars and others import the same way.
//!
//! Only the handing over lives here: the core reads the columns and writes the results
//! (`gridgov::arrow`).

use std::sync::{Arc, Mutex};

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator};
use arrow_schema::{ArrowError, SchemaRef};
use gridgov::input::InputError as CoreInputError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

const STREAM: &std::ffi::CStr = c"arrow_array_stream";

/// Reads every batch of an Arrow stream exported by `obj.__arrow_c_stream__()`.
pub(crate) fn import(
    obj: &Bound<'_, PyAny>,
    name: &str,
) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    const TABLE: &str = "an Arrow table (an object with `__arrow_c_stream__`: a pyarrow Table or RecordBatchReader, a polars DataFrame, a pandas DataFrame)";
    if !obj.hasattr("__arrow_c_stream__")? {
        return Err(crate::wrong_type(obj, name, TABLE));
    }
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let capsule = capsule
        .cast::<PyCapsule>()
        .map_err(|_| crate::wrong_type(obj, name, TABLE))?;
    let ptr = capsule.pointer_checked(Some(STREAM))?;
    // SAFETY: the capsule is named `arrow_array_stream`, so by the Arrow PyCapsule
    // interface it points to a valid `ArrowArrayStream`; `from_raw` moves it out and
    // marks the capsule's copy released, as the interface requires of a consumer.
    #[allow(unsafe_code)]
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
    let reader = arrow_array::ffi_stream::RecordBatchStreamReader::try_new(stream)
        .map_err(|e| arrow_error(name, &e))?;
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| arrow_error(name, &e))?;
    Ok((schema, batches))
}

fn arrow_error(name: &str, e: &ArrowError) -> PyErr {
    crate::err(CoreInputError::table(
        name.to_owned(),
        format!("could not be read as Arrow: {e}"),
    ))
}

/// A table produced by gridgov, handed over through the Arrow PyCapsule interface:
/// ``pyarrow.table(stream)``, ``polars.DataFrame(stream)``. Each export shares the same
/// buffers; nothing is copied.
#[pyclass(module = "gridgov", name = "ArrowStream", frozen)]
#[derive(Debug)]
pub(crate) struct ArrowStream {
    schema: SchemaRef,
    batches: Mutex<Vec<RecordBatch>>,
}

impl ArrowStream {
    pub(crate) fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self {
            schema,
            batches: Mutex::new(batches),
        }
    }

    fn batches(&self) -> Vec<RecordBatch> {
        self.batches
            .lock()
            .map_or_else(|p| p.into_inner().clone(), |b| b.clone())
    }
}

#[pymethods]
impl ArrowStream {
    /// Exports the table as an ``ArrowArrayStream`` capsule.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        // A requested schema is a hint a producer may ignore; ours is fixed.
        let _ = requested_schema;
        let reader =
            RecordBatchIterator::new(self.batches().into_iter().map(Ok), Arc::clone(&self.schema));
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches().iter().map(RecordBatch::num_rows).sum()
    }

    /// Column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The schema's metadata (what gridgov records about the table, such as the month).
    #[getter]
    fn metadata(&self) -> std::collections::HashMap<String, String> {
        self.schema.metadata().into()
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "<gridgov.ArrowStream {} rows: {}>",
            self.num_rows(),
            self.column_names().join(", ")
        )
    }
}
