//! Arrow IPC bytes in and out (cargo feature `ipc`): where there is no C data interface
//! to hand a table over (the WebAssembly package, a file, a socket), a table travels as
//! Arrow's IPC stream format, which apache-arrow in JS (`tableToIPC`, `tableFromIPC`),
//! pyarrow (`pa.ipc`) and polars (`write_ipc_stream`) read and write.
//!
//! ```
//! # #[cfg(feature = "ipc")] {
//! use gridgov::Engine;
//! use gridgov::arrow::{ErrorMode, ipc};
//! use gridgov::sim::SimArgs;
//!
//! let engine = Engine::fushan();
//! let cases = ipc::simulate_cases_ipc(&engine, &SimArgs::new(2026_i64, 3_i64, 100_i64, 7_i64)?)?;
//! let decisions = ipc::route_ipc(&engine, &cases, ErrorMode::Raise)?;
//! let (schema, batches) = ipc::read_ipc(&decisions, "decisions")?;
//! assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 100);
//! assert!(schema.field_with_name("handler").is_ok());
//! # }
//! # Ok::<(), gridgov::error::Error>(())
//! ```

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};

use super::ErrorMode;
use super::route::table_error;
use crate::engine::Engine;
use crate::error::Error;
use crate::input::InputError;

/// The first bytes of an Arrow IPC file (a stream has none: it starts with a message).
const FILE_MAGIC: &[u8] = b"ARROW1";

/// The error for bytes that are not a readable Arrow IPC table.
fn ipc_error(what: &str, message: impl std::fmt::Display) -> Error {
    Error::Input(InputError::table(
        what.to_owned(),
        format!(
            "{what} is not a readable Arrow IPC stream or file: {message}; write it with apache-arrow's `tableToIPC(table)`, pyarrow's `pa.ipc.new_stream` or polars' `write_ipc_stream`"
        ),
    ))
}

/// Reads an Arrow IPC stream into its schema and record batches. `what` names the table
/// in errors. The IPC *file* format (bytes starting `ARROW1`) is refused with an error
/// that says so: its reader in Arrow trusts the file's footer.
///
/// Each message is checked before Arrow's decoder reads it (`StreamCheck`): Arrow's
/// decoder panics on a buffer outside its message or not of whole values, and bytes from
/// outside must give an error, not a panic. A dictionary sent in parts (delta dictionary
/// batches, as apache-arrow in JS writes a dictionary column of several chunks) is joined
/// when its values are text, what every dictionary column of cases and outcomes holds;
/// one of other values is refused, saying so.
///
/// # Errors
/// [`Error::Input`] (code `table`) for bytes that are not a whole IPC stream or file,
/// saying what the reader found wrong.
pub fn read_ipc(bytes: &[u8], what: &str) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
    check_bytes(bytes, what)?;
    decode_stream(arrow_buffer::Buffer::from(bytes.to_vec())).map_err(|e| ipc_error(what, e))
}

/// [`read_ipc`] of bytes the caller owns (the WebAssembly package's, copied in from JS):
/// the batches' buffers are sliced from them, not copied.
///
/// # Errors
/// As [`read_ipc`].
pub fn read_ipc_vec(bytes: Vec<u8>, what: &str) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
    check_bytes(&bytes, what)?;
    decode_stream(arrow_buffer::Buffer::from(bytes)).map_err(|e| ipc_error(what, e))
}

/// Refuses bytes that are no IPC stream at all: none, or an IPC file.
fn check_bytes(bytes: &[u8], what: &str) -> Result<(), Error> {
    if bytes.is_empty() {
        return Err(ipc_error(what, "there are no bytes"));
    }
    if bytes.starts_with(FILE_MAGIC) {
        return Err(ipc_error(
            what,
            "these are the bytes of an Arrow IPC file (they start with `ARROW1`), and this entry reads the IPC stream format",
        ));
    }
    Ok(())
}

/// Decodes the messages of a stream with Arrow's own decoder (`RecordBatchDecoder`), one
/// batch or dictionary at a time, each checked first ([`StreamCheck`]). This walk stands in for
/// Arrow's `StreamReader` for the size of the web module: that reader joins delta
/// dictionaries of any type with `arrow-select`'s `concat`, which brought 457 KB of code
/// (all of `arrow-select`'s kernels) into it. Here a delta dictionary of text is joined
/// by [`join_text`] and one of another type refused; the tests hold the result equal to
/// `StreamReader`'s.
fn decode_stream(data: arrow_buffer::Buffer) -> Result<(SchemaRef, Vec<RecordBatch>), String> {
    use arrow_ipc::reader::RecordBatchDecoder;
    let bytes = data.as_slice();
    let mut schema: Option<SchemaRef> = None;
    let mut dictionaries: std::collections::HashMap<i64, ArrayRef> =
        std::collections::HashMap::new();
    let mut batches = Vec::new();
    let mut check = StreamCheck::default();
    for message in Messages::new(bytes) {
        let (index, message, body) = message?;
        check.message(index, &message, body.len())?;
        let body = data.slice_with_length(body.start, body.len());
        let version = message.version();
        if let Some(s) = message.header_as_schema() {
            let read = arrow_ipc::convert::try_fb_to_schema(s).map_err(|e| e.to_string())?;
            schema = Some(std::sync::Arc::new(read));
            continue;
        }
        let schema = schema
            .clone()
            .ok_or("the stream does not start with its schema")?;
        let decoded = |batch, schema, dictionaries| {
            RecordBatchDecoder::try_new(&body, batch, schema, dictionaries, &version)
                .and_then(|d| d.with_require_alignment(false).read_record_batch())
                .map_err(|e| format!("message {index}: {e}"))
        };
        if let Some(batch) = message.header_as_record_batch() {
            batches.push(decoded(batch, schema, &dictionaries)?);
        } else if let Some(d) = message.header_as_dictionary_batch() {
            let id = d.id();
            #[allow(deprecated, reason = "Arrow's decoder finds dictionaries by this id")]
            let value_type = schema
                .fields_with_dict_id(id)
                .first()
                .and_then(|f| match f.data_type() {
                    DataType::Dictionary(_, v) => Some(v.as_ref().clone()),
                    _ => None,
                })
                .ok_or_else(|| {
                    format!("message {index} is dictionary {id}, which no column uses")
                })?;
            let batch = d
                .data()
                .ok_or_else(|| format!("message {index} is a dictionary without its values"))?;
            let one =
                std::sync::Arc::new(arrow_schema::Schema::new(vec![arrow_schema::Field::new(
                    "", value_type, true,
                )]));
            let values = decoded(batch, one, &dictionaries)?
                .columns()
                .first()
                .cloned()
                .ok_or_else(|| format!("message {index} is a dictionary without its values"))?;
            let values = if d.isDelta() {
                let before = dictionaries.get(&id).ok_or_else(|| {
                    format!("message {index} adds to dictionary {id}, which was not given before")
                })?;
                join_text(before, &values).ok_or_else(|| {
                    format!(
                        "message {index} adds to dictionary {id} of {} values; a dictionary given in parts is read when its values are text",
                        values.data_type()
                    )
                })?
            } else {
                values
            };
            dictionaries.insert(id, values);
        } else {
            return Err(format!(
                "message {index} is a {:?}, not a schema, a batch or a dictionary",
                message.header_type()
            ));
        }
    }
    let schema = schema.ok_or("the stream has no schema")?;
    Ok((schema, batches))
}

/// Two arrays of text (`Utf8`) one after the other: a dictionary and its delta. `None`
/// when either is not text.
fn join_text(a: &ArrayRef, b: &ArrayRef) -> Option<ArrayRef> {
    use arrow_array::Array as _;
    use arrow_array::cast::AsArray;
    let (a, b) = (a.as_string_opt::<i32>()?, b.as_string_opt::<i32>()?);
    let mut out = arrow_array::builder::StringBuilder::with_capacity(
        a.len() + b.len(),
        a.value_data().len() + b.value_data().len(),
    );
    for v in a.iter().chain(b.iter()) {
        out.append_option(v);
    }
    Some(std::sync::Arc::new(out.finish()))
}

/// A little-endian `i32` at `at`.
fn i32_at(bytes: &[u8], at: usize) -> Option<i32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(i32::from_le_bytes([
        *b.first()?,
        *b.get(1)?,
        *b.get(2)?,
        *b.get(3)?,
    ]))
}

/// The byte width of each buffer of a batch, in the order of the format (each column's
/// buffers depth first), and of each dictionary's batch by its id: what a buffer's length
/// must be a multiple of.
#[derive(Default)]
struct Layout {
    columns: Vec<usize>,
    dictionaries: std::collections::HashMap<i64, Vec<usize>>,
}

/// The buffer widths of a column of type `dt` (its schema field `fb`, for dictionary ids).
fn widths(
    dt: &DataType,
    fb: Option<arrow_ipc::Field<'_>>,
    out: &mut Vec<usize>,
    dictionaries: &mut std::collections::HashMap<i64, Vec<usize>>,
) -> Result<(), String> {
    let child = |j: usize| {
        fb.and_then(|f| f.children())
            .and_then(|c| (j < c.len()).then(|| c.get(j)))
    };
    match dt {
        DataType::Dictionary(keys, values) => {
            let id = fb
                .and_then(|f| f.dictionary())
                .map(|d| d.id())
                .ok_or("a dictionary column has no dictionary id")?;
            let mut w = Vec::new();
            widths(values, None, &mut w, dictionaries)?;
            dictionaries.insert(id, w);
            widths(keys, None, out, dictionaries)?;
        }
        DataType::Null => {}
        DataType::Boolean | DataType::Int8 | DataType::UInt8 | DataType::FixedSizeBinary(_) => {
            out.extend([1, 1]);
        }
        DataType::Int16 | DataType::UInt16 | DataType::Float16 => out.extend([1, 2]),
        DataType::Int32
        | DataType::UInt32
        | DataType::Float32
        | DataType::Date32
        | DataType::Time32(_) => out.extend([1, 4]),
        DataType::Int64
        | DataType::UInt64
        | DataType::Float64
        | DataType::Date64
        | DataType::Time64(_)
        | DataType::Timestamp(_, _)
        | DataType::Duration(_) => out.extend([1, 8]),
        DataType::Decimal128(_, _) => out.extend([1, 16]),
        DataType::Utf8 | DataType::Binary => out.extend([1, 4, 1]),
        DataType::LargeUtf8 | DataType::LargeBinary => out.extend([1, 8, 1]),
        DataType::List(f) => {
            out.extend([1, 4]);
            widths(f.data_type(), child(0), out, dictionaries)?;
        }
        DataType::LargeList(f) => {
            out.extend([1, 8]);
            widths(f.data_type(), child(0), out, dictionaries)?;
        }
        DataType::Struct(fields) => {
            out.push(1);
            for (j, f) in fields.iter().enumerate() {
                widths(f.data_type(), child(j), out, dictionaries)?;
            }
        }
        other => {
            return Err(format!(
                "a column of type {other} is not read here; cases and outcomes are text, numbers, booleans and timestamps"
            ));
        }
    }
    Ok(())
}

/// The layout of the batches of a stream whose schema message is `schema`.
fn layout(schema: arrow_ipc::Schema<'_>) -> Result<Layout, String> {
    let arrow = arrow_ipc::convert::try_fb_to_schema(schema).map_err(|e| e.to_string())?;
    let fb = schema.fields();
    let mut out = Layout::default();
    for (i, field) in arrow.fields().iter().enumerate() {
        let f = fb.and_then(|v| (i < v.len()).then(|| v.get(i)));
        widths(
            field.data_type(),
            f,
            &mut out.columns,
            &mut out.dictionaries,
        )?;
    }
    Ok(out)
}

/// The messages of an IPC stream, walked as Arrow's reader walks them (an optional
/// continuation marker, the metadata's length, the metadata, the body): each with its
/// number and the range of its body in the bytes, or what is wrong where the walk stops.
/// The walk ends at the end of the bytes or at an end-of-stream marker (a length of 0).
struct Messages<'b> {
    bytes: &'b [u8],
    at: usize,
    index: usize,
    done: bool,
}

/// A message of a stream: its number, its metadata and the range of its body.
type Message<'b> = (usize, arrow_ipc::Message<'b>, std::ops::Range<usize>);

impl<'b> Messages<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            index: 0,
            done: false,
        }
    }

    fn step(&mut self) -> Result<Option<Message<'b>>, String> {
        let (bytes, index) = (self.bytes, self.index);
        let mut at = self.at;
        let mut len = i32_at(bytes, at).ok_or("a message length is cut off")?;
        at += 4;
        if len == -1 {
            len = i32_at(bytes, at).ok_or("a message length is cut off")?;
            at += 4;
        }
        if len == 0 {
            return Ok(None);
        }
        let len =
            usize::try_from(len).map_err(|_| format!("message {index} has a negative length"))?;
        let end = at
            .checked_add(len)
            .filter(|end| *end <= bytes.len())
            .ok_or_else(|| format!("message {index} runs past the end of the bytes"))?;
        let meta = bytes.get(at..end).ok_or("a message is cut off")?;
        let message = arrow_ipc::root_as_message(meta)
            .map_err(|e| format!("message {index} is not an Arrow message: {e}"))?;
        let body = usize::try_from(message.bodyLength())
            .map_err(|_| format!("message {index} has a negative body length"))?;
        let next = end
            .checked_add(body)
            .filter(|next| *next <= bytes.len())
            .ok_or_else(|| format!("the body of message {index} runs past the end of the bytes"))?;
        self.at = next;
        self.index += 1;
        Ok(Some((index, message, end..next)))
    }
}

impl<'b> Iterator for Messages<'b> {
    type Item = Result<Message<'b>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.at >= self.bytes.len() {
            return None;
        }
        let step = self.step();
        self.done = !matches!(step, Ok(Some(_)));
        step.transpose()
    }
}

/// Checks what Arrow's decoder assumes without checking, one message at a time before it
/// is decoded: that every message fits in the bytes ([`Messages`]), that the batches have
/// the schema's buffers, and that every buffer lies within its message's body, starts at
/// a multiple of 8 bytes and holds whole values of its type.
#[derive(Default)]
struct StreamCheck {
    schema: Option<Layout>,
}

impl StreamCheck {
    fn message(
        &mut self,
        index: usize,
        message: &arrow_ipc::Message<'_>,
        body: usize,
    ) -> Result<(), String> {
        if let Some(s) = message.header_as_schema() {
            if self.schema.is_some() {
                return Err(format!("message {index} is a second schema"));
            }
            self.schema = Some(layout(s)?);
            return Ok(());
        }
        let layout = self
            .schema
            .as_ref()
            .ok_or("the stream does not start with its schema")?;
        let (batch, expected) = if let Some(b) = message.header_as_record_batch() {
            (Some(b), Some(&layout.columns))
        } else if let Some(d) = message.header_as_dictionary_batch() {
            (d.data(), layout.dictionaries.get(&d.id()))
        } else {
            (None, None)
        };
        if let Some(batch) = batch {
            let expected = expected.ok_or_else(|| {
                format!("message {index} is a dictionary the schema has no column for")
            })?;
            check_buffers(index, batch, expected, body)?;
        }
        Ok(())
    }
}

/// The buffers of one batch against the widths its schema gives.
fn check_buffers(
    index: usize,
    batch: arrow_ipc::RecordBatch<'_>,
    widths: &[usize],
    body: usize,
) -> Result<(), String> {
    let buffers = batch.buffers();
    let count = buffers.map_or(0, |b| b.len());
    if count != widths.len() {
        return Err(format!(
            "message {index} has {count} buffers where its schema has {}",
            widths.len()
        ));
    }
    for (b, (buffer, width)) in buffers.iter().flatten().zip(widths).enumerate() {
        let (Ok(offset), Ok(length)) = (
            usize::try_from(buffer.offset()),
            usize::try_from(buffer.length()),
        ) else {
            return Err(format!(
                "buffer {b} of message {index} has a negative place"
            ));
        };
        if offset.checked_add(length).is_none_or(|e| e > body) {
            return Err(format!(
                "buffer {b} of message {index} lies outside its {body}-byte body"
            ));
        }
        if offset % 8 != 0 {
            return Err(format!(
                "buffer {b} of message {index} starts at {offset}, not at a multiple of 8 bytes"
            ));
        }
        if length % width != 0 {
            return Err(format!(
                "buffer {b} of message {index} has {length} bytes, not whole {width}-byte values"
            ));
        }
    }
    Ok(())
}

/// Writes a schema and its batches as an Arrow IPC stream (dictionary columns with their
/// dictionaries).
///
/// # Errors
/// [`Error::Input`] (code `table`) if Arrow's writer refuses the batches (a batch whose
/// schema is not `schema`).
pub fn write_ipc(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Vec<u8>, Error> {
    let fail =
        |e: arrow_schema::ArrowError| table_error(format!("writing the Arrow IPC stream: {e}"));
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), schema).map_err(fail)?;
    for batch in batches {
        writer.write(batch).map_err(fail)?;
    }
    writer.finish().map_err(fail)?;
    writer.into_inner().map_err(fail)
}

/// Routes a table of cases given as Arrow IPC bytes ([`read_ipc`]), on one thread, and
/// returns the decisions as an Arrow IPC stream: the table of [`super::route_batches`],
/// one row per case in order, with `unit`, `handler`, `office` and the other repeated
/// names as dictionary columns, each dictionary holding only the values its rows use.
///
/// # Errors
/// As [`read_ipc`] and [`super::route_batches`]: a table without the case columns, or
/// (in [`ErrorMode::Raise`]) the first row that cannot be routed.
pub fn route_ipc(engine: &Engine, cases: &[u8], mode: ErrorMode) -> Result<Vec<u8>, Error> {
    route_ipc_vec(engine, cases.to_vec(), mode)
}

/// [`route_ipc`] of bytes the caller owns (the WebAssembly package's `routeArrow`, whose
/// bytes are copied in from JS): read without a second copy ([`read_ipc_vec`]).
///
/// # Errors
/// As [`route_ipc`].
pub fn route_ipc_vec(engine: &Engine, cases: Vec<u8>, mode: ErrorMode) -> Result<Vec<u8>, Error> {
    let (schema, batches) = read_ipc_vec(cases, "cases")?;
    super::require_case_columns(&schema)?;
    let (schema, out) = super::route_batches(engine, &batches, mode, Some(1))?;
    let out = out
        .iter()
        .map(only_used_values)
        .collect::<Result<Vec<_>, _>>()?;
    write_ipc(&schema, &out)
}

/// `batch` with each dictionary column cut down to the values its rows use. The routed
/// columns index the engine's whole tables (every unit, person and office), which a
/// stream would otherwise carry in full for a table of three cases.
fn only_used_values(batch: &RecordBatch) -> Result<RecordBatch, Error> {
    use arrow_array::cast::AsArray;
    let columns = batch
        .columns()
        .iter()
        .map(|c| {
            c.as_dictionary_opt::<arrow_array::types::Int32Type>()
                .and_then(used_values)
                .unwrap_or_else(|| std::sync::Arc::clone(c))
        })
        .collect::<Vec<_>>();
    RecordBatch::try_new(batch.schema(), columns)
        .map_err(|e| table_error(format!("writing the decisions: {e}")))
}

/// A dictionary column of text with only the values its rows use, in their order, the
/// keys renumbered (what `arrow-select`'s `garbage_collect_dictionary` gives, tested
/// equal; written here to keep `arrow-select` out of the web module). `None` when the
/// values are not text.
fn used_values(
    d: &arrow_array::DictionaryArray<arrow_array::types::Int32Type>,
) -> Option<ArrayRef> {
    use arrow_array::Array as _;
    use arrow_array::cast::AsArray;
    let values = d.values().as_string_opt::<i32>()?;
    let keys = d.keys();
    let mut used = vec![false; values.len()];
    for k in keys.iter().flatten() {
        *used.get_mut(usize::try_from(k).ok()?)? = true;
    }
    let mut renumbered = vec![0i32; values.len()];
    let mut kept = arrow_array::builder::StringBuilder::new();
    let mut next = 0i32;
    for (i, u) in used.iter().enumerate() {
        if *u {
            *renumbered.get_mut(i)? = next;
            kept.append_option(values.is_valid(i).then(|| values.value(i)));
            next += 1;
        }
    }
    let new_keys: Vec<i32> = keys
        .values()
        .iter()
        .map(|k| {
            usize::try_from(*k)
                .ok()
                .and_then(|k| renumbered.get(k))
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let keys = arrow_array::Int32Array::new(new_keys.into(), keys.nulls().cloned());
    arrow_array::DictionaryArray::try_new(keys, std::sync::Arc::new(kept.finish()))
        .ok()
        .map(|a| std::sync::Arc::new(a) as ArrayRef)
}

/// Scores a month of an outcome table given as Arrow IPC bytes the caller owns (the
/// columns of [`super::require_outcome_columns`]; `request_json` is the request of
/// [`score_outcomes_json`](crate::json::score_outcomes_json) without the table): the
/// month's report, the one [`super::score_outcomes_report`] makes of the same table.
///
/// The rows are read one by one ([`super::outcome_rows`], the reader whose errors are
/// the reference) rather than compiled straight from the columns as Python's
/// `score_outcomes` does: the web module (`scoreOutcomesArrow`) stays under 3 MB without
/// that second reader, at some cost in speed.
///
/// # Errors
/// As [`read_ipc_vec`] (code `table`: bytes that are not an IPC stream), then a table
/// without the outcome columns, a row that does not read (naming it) and the request's
/// errors, as [`super::score_outcomes_report`].
pub fn score_ipc_report_vec(
    engine: &Engine,
    outcomes: Vec<u8>,
    request_json: &str,
) -> Result<crate::score::MonthReport, Error> {
    let (schema, batches) = read_ipc_vec(outcomes, "outcomes")?;
    super::require_outcome_columns(&schema)?;
    let request = crate::score::ScoreRequest::from_json_str(request_json)?;
    let rows = super::outcome_rows(&batches, engine.calendar().zone())?;
    Ok(engine.score_table_request(request, Some(rows))?)
}

/// The seeded cases of `args` ([`crate::sim::SimArgs::cases`]) as an Arrow IPC stream
/// with the columns [`route_ipc`] reads: the same cases as the CSV and the Python table
/// give for the same seed.
///
/// # Errors
/// [`Error::Input`] (code `table`) if the table cannot be built.
pub fn simulate_cases_ipc(engine: &Engine, args: &crate::sim::SimArgs) -> Result<Vec<u8>, Error> {
    let (schema, batch) = super::cases_table(&args.cases(engine)).map_err(table_error)?;
    write_ipc(&schema, &[batch])
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::{RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use proptest::prelude::*;

    use super::{ErrorMode, read_ipc, route_ipc, simulate_cases_ipc, write_ipc};
    use crate::Engine;
    use crate::sim::SimArgs;

    fn month(count: i64, seed: i64) -> Vec<u8> {
        let args = SimArgs::new(2026_i64, 3_i64, count, seed).unwrap();
        simulate_cases_ipc(&Engine::fushan(), &args).unwrap()
    }

    /// The IPC entry gives the table `route_batches` gives, and a stream or a file of the
    /// same cases routes the same.
    #[test]
    fn routing_ipc_bytes_is_routing_the_table() {
        let engine = Engine::fushan();
        let cases = month(2_000, 11);
        let (schema, batches) = read_ipc(&cases, "cases").unwrap();
        let (_, expected) =
            super::super::route_batches(&engine, &batches, ErrorMode::Raise, Some(1)).unwrap();
        let (_, got) = read_ipc(
            &route_ipc(&engine, &cases, ErrorMode::Raise).unwrap(),
            "out",
        )
        .unwrap();
        assert_eq!(got, expected);
        // The same table as an IPC file is refused, saying why.
        let mut file = arrow_ipc::writer::FileWriter::try_new(Vec::new(), &schema).unwrap();
        for b in &batches {
            file.write(b).unwrap();
        }
        file.finish().unwrap();
        let e = route_ipc(&engine, &file.into_inner().unwrap(), ErrorMode::Raise).unwrap_err();
        assert_eq!(e.code(), "table");
        assert!(e.to_string().contains("an Arrow IPC file"), "{e}");
        // The decisions are the CSV path's, case for case.
        let csv = crate::batch::route_csv(
            &engine,
            &crate::batch::cases_to_csv(
                &SimArgs::new(2026_i64, 3_i64, 2_000_i64, 11_i64)
                    .unwrap()
                    .cases(&engine),
            ),
        )
        .unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let at = header.iter().position(|h| *h == "handler").unwrap();
        let handlers: Vec<String> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(at).unwrap_or("").to_owned())
            .collect();
        let col = got[0].column_by_name("handler").unwrap();
        assert_eq!(arrow_cast_strings(col), handlers);
    }

    /// A dictionary or plain text column as strings ("" for null).
    fn arrow_cast_strings(col: &arrow_array::ArrayRef) -> Vec<String> {
        use arrow_array::Array;
        use arrow_array::cast::AsArray;
        use arrow_array::types::{Int32Type, UInt32Type};
        let n = col.len();
        let at = |i: usize| -> String {
            if col.is_null(i) {
                return String::new();
            }
            match col.data_type() {
                DataType::Dictionary(k, _) if **k == DataType::UInt32 => {
                    let d = col.as_dictionary::<UInt32Type>();
                    let v = d.values().as_string::<i32>();
                    v.value(d.keys().value(i) as usize).to_owned()
                }
                DataType::Dictionary(_, _) => {
                    let d = col.as_dictionary::<Int32Type>();
                    let v = d.values().as_string::<i32>();
                    v.value(d.keys().value(i) as usize).to_owned()
                }
                _ => col.as_string::<i32>().value(i).to_owned(),
            }
        };
        (0..n).map(at).collect()
    }

    /// The dictionaries of a small table's decisions hold only what its rows use, not the
    /// engine's every unit and person.
    #[test]
    fn a_small_table_gets_small_dictionaries() {
        let engine = Engine::fushan();
        let out = route_ipc(&engine, &month(3, 7), ErrorMode::Raise).unwrap();
        let (_, batches) = read_ipc(&out, "out").unwrap();
        let handler = batches[0].column_by_name("handler").unwrap();
        let values = handler.as_any_dictionary_opt().unwrap().values().len();
        assert!(values <= 3, "{values} handler values for 3 rows");
        assert!(out.len() < 16_384, "{} bytes for 3 decisions", out.len());
    }

    /// Bytes that are not a table are an input error naming what was read; a table
    /// without the case columns names the missing column.
    #[test]
    fn bad_bytes_and_wrong_tables_are_clear_errors() {
        let engine = Engine::fushan();
        for bytes in [&b""[..], b"ARROW1", b"not arrow at all", &[0xff; 12]] {
            let e = route_ipc(&engine, bytes, ErrorMode::Raise).unwrap_err();
            assert_eq!(e.code(), "table", "{e}");
            assert!(
                e.to_string()
                    .contains("not a readable Arrow IPC stream or file"),
                "{e}"
            );
        }
        let cases = month(50, 3);
        let cut = &cases[..cases.len() / 2];
        let e = route_ipc(&engine, cut, ErrorMode::Raise).unwrap_err();
        assert_eq!(e.code(), "table", "{e}");
        let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Utf8, false)]));
        let batch = RecordBatch::try_new(
            Arc::clone(&schema),
            vec![Arc::new(StringArray::from(vec!["c1"]))],
        )
        .unwrap();
        let e = route_ipc(
            &engine,
            &write_ipc(&schema, &[batch]).unwrap(),
            ErrorMode::Raise,
        )
        .unwrap_err();
        assert_eq!(e.code(), "table");
        assert!(e.to_string().contains("channel"), "{e}");
    }

    /// A table of `rows` rows, from `seed`: a text column, a dictionary column of text
    /// whose dictionary is the first `dict` of a list of names (so that a later batch's
    /// extends an earlier's), integers with nulls and lists of text.
    fn varied_batch(rows: usize, dict: usize, seed: u64) -> RecordBatch {
        use arrow_array::builder::{ListBuilder, StringBuilder};
        use arrow_array::types::Int32Type;
        use arrow_array::{DictionaryArray, Int32Array, Int64Array};
        let names: Vec<String> = (0..dict.max(1)).map(|i| format!("名{i}")).collect();
        let pick = |r: usize, m: usize| ((seed as usize).wrapping_mul(31).wrapping_add(r * 7)) % m;
        let keys: Int32Array = (0..rows)
            .map(|r| (r % 5 != 3).then(|| pick(r, names.len()) as i32))
            .collect();
        let dictionary =
            DictionaryArray::<Int32Type>::try_new(keys, Arc::new(StringArray::from(names.clone())))
                .unwrap();
        let mut lists = ListBuilder::new(StringBuilder::new());
        for r in 0..rows {
            for j in 0..pick(r, 3) {
                lists.values().append_value(format!("f{j}"));
            }
            lists.append(r % 4 != 1);
        }
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new(
                "category",
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                true,
            ),
            Field::new("n", DataType::Int64, true),
            Field::new(
                "flags",
                DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                true,
            ),
        ]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from_iter(
                    (0..rows).map(|r| (r % 7 != 2).then(|| format!("c{seed}-{r}"))),
                )),
                Arc::new(dictionary),
                Arc::new(Int64Array::from_iter(
                    (0..rows).map(|r| (r % 3 != 0).then_some(r as i64 - 5)),
                )),
                Arc::new(lists.finish()),
            ],
        )
        .unwrap()
    }

    /// A stream of `batches` written with dictionaries resent or as deltas.
    fn stream_of(batches: &[RecordBatch], delta: bool) -> Vec<u8> {
        use arrow_ipc::writer::{DictionaryHandling, IpcWriteOptions, StreamWriter};
        let options = IpcWriteOptions::default().with_dictionary_handling(if delta {
            DictionaryHandling::Delta
        } else {
            DictionaryHandling::Resend
        });
        let mut out = Vec::new();
        let mut w =
            StreamWriter::try_new_with_options(&mut out, &batches[0].schema(), options).unwrap();
        for b in batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
        drop(w);
        out
    }

    /// What Arrow's own `StreamReader` reads of `bytes`.
    fn arrows_reading(bytes: &[u8]) -> Result<(arrow_schema::SchemaRef, Vec<RecordBatch>), String> {
        let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)
            .map_err(|e| e.to_string())?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        Ok((schema, batches))
    }

    /// Dictionaries given in parts (deltas) are joined, and a delta of a type other than
    /// text, or one before its dictionary, is refused with what is wrong.
    #[test]
    fn delta_dictionaries_are_joined() {
        let batches = [
            varied_batch(10, 2, 1),
            varied_batch(12, 5, 2),
            varied_batch(3, 9, 3),
        ];
        let bytes = stream_of(&batches, true);
        let (schema, read) = read_ipc(&bytes, "t").unwrap();
        let (want_schema, want) = arrows_reading(&bytes).unwrap();
        assert_eq!(schema, want_schema);
        assert_eq!(read, want);
        assert_eq!(read, batches);
        // The same stream with every dictionary resent reads the same.
        assert_eq!(
            read_ipc(&stream_of(&batches, false), "t").unwrap().1,
            batches
        );
        // A delta of integers.
        let ints = |values: Vec<i64>, keys: Vec<i32>| {
            use arrow_array::types::Int32Type;
            let d = arrow_array::DictionaryArray::<Int32Type>::try_new(
                keys.into(),
                Arc::new(arrow_array::Int64Array::from(values)),
            )
            .unwrap();
            let schema = Arc::new(Schema::new(vec![Field::new(
                "n",
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Int64)),
                true,
            )]));
            RecordBatch::try_new(schema, vec![Arc::new(d)]).unwrap()
        };
        let bytes = stream_of(
            &[ints(vec![1, 2], vec![0, 1]), ints(vec![1, 2, 3], vec![2])],
            true,
        );
        let e = read_ipc(&bytes, "t").unwrap_err().to_string();
        assert!(e.contains("adds to dictionary 0 of Int64 values"), "{e}");
        assert!(e.contains("when its values are text"), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Damaged bytes (up to four bytes changed, or the stream cut) of a cases table
        /// and of a decisions table (dictionary batches included) are read or refused,
        /// never a panic.
        #[test]
        fn damaged_streams_never_panic(
            changes in proptest::collection::vec((0usize..1 << 16, any::<u8>()), 1..4),
            cut in 0usize..1 << 16,
            decisions in any::<bool>(),
        ) {
            let engine = Engine::fushan();
            let mut bytes = month(20, 5);
            if decisions {
                bytes = route_ipc(&engine, &bytes, ErrorMode::Column).unwrap();
            }
            let n = bytes.len();
            for (at, value) in changes {
                if let Some(b) = bytes.get_mut(at % n) {
                    *b = value;
                }
            }
            let _ = route_ipc(&engine, &bytes, ErrorMode::Column);
            let _ = read_ipc(&bytes[..cut % n], "cut");
        }

        /// Any stream of one to four batches of varied columns, dictionaries resent or
        /// given as deltas, is read as Arrow's `StreamReader` reads it.
        #[test]
        fn the_walk_reads_as_arrows_stream_reader(
            sizes in proptest::collection::vec((0usize..40, 1usize..12), 1..5),
            delta in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let mut dict = 0;
            let batches: Vec<RecordBatch> = sizes
                .iter()
                .enumerate()
                .map(|(i, (rows, grow))| {
                    dict += grow;
                    varied_batch(*rows, dict, seed.wrapping_add(i as u64))
                })
                .collect();
            let bytes = stream_of(&batches, delta);
            let ours = read_ipc(&bytes, "t").unwrap();
            prop_assert_eq!(&ours, &arrows_reading(&bytes).unwrap());
            prop_assert_eq!(&ours, &super::read_ipc_vec(bytes.clone(), "t").unwrap());
            prop_assert_eq!(ours.1, batches);
        }

        /// Damaged streams of varied columns are refused by this reader whenever Arrow's
        /// refuses them, and read the same when both read them.
        #[test]
        fn damaged_streams_read_as_arrow_reads_them(
            changes in proptest::collection::vec((0usize..1 << 14, any::<u8>()), 1..4),
            cut in 0usize..1 << 14,
            delta in any::<bool>(),
        ) {
            let batches = [varied_batch(9, 3, 1), varied_batch(4, 6, 2)];
            let mut bytes = stream_of(&batches, delta);
            let n = bytes.len();
            for (at, value) in changes {
                if let Some(b) = bytes.get_mut(at % n) {
                    *b = value;
                }
            }
            for bytes in [&bytes[..], &bytes[..cut % n]] {
                let owned = super::read_ipc_vec(bytes.to_vec(), "t");
                prop_assert_eq!(owned.is_ok(), read_ipc(bytes, "t").is_ok());
                if let Ok(ours) = read_ipc(bytes, "t") {
                    // Arrow's reader may panic on what the check refuses; here the check
                    // passed, so it is safe to ask it.
                    prop_assert_eq!(Ok(ours), arrows_reading(bytes));
                }
            }
        }

        /// A dictionary column cut down to its used values holds the same text in every
        /// row as before, and is what arrow-select's `garbage_collect_dictionary` gives.
        #[test]
        fn used_values_are_arrow_selects(
            keys in proptest::collection::vec(proptest::option::of(0i32..12), 0..60),
            values in proptest::collection::vec(proptest::option::of("[a-c]{0,3}"), 12..13),
        ) {
            use arrow_array::types::Int32Type;
            let d = arrow_array::DictionaryArray::<Int32Type>::try_new(
                keys.into(),
                Arc::new(StringArray::from(values)),
            )
            .unwrap();
            let ours = super::used_values(&d).unwrap();
            let theirs = arrow_select::dictionary::garbage_collect_dictionary(&d).unwrap();
            prop_assert_eq!(ours.to_data(), arrow_array::Array::to_data(&theirs));
        }
    }
}
