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

use std::io::Cursor;

use arrow_array::RecordBatch;
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
/// The messages are checked before Arrow's reader decodes them ([`check_stream`]): Arrow's
/// decoder panics on a buffer outside its message or not of whole values, and bytes from
/// outside must give an error, not a panic.
///
/// # Errors
/// [`Error::Input`] (code `table`) for bytes that are not a whole IPC stream or file,
/// saying what the reader found wrong.
pub fn read_ipc(bytes: &[u8], what: &str) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
    if bytes.is_empty() {
        return Err(ipc_error(what, "there are no bytes"));
    }
    if bytes.starts_with(FILE_MAGIC) {
        return Err(ipc_error(
            what,
            "these are the bytes of an Arrow IPC file (they start with `ARROW1`), and this entry reads the IPC stream format",
        ));
    }
    check_stream(bytes).map_err(|e| ipc_error(what, e))?;
    let reader = arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None)
        .map_err(|e| ipc_error(what, e))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ipc_error(what, e))?;
    Ok((schema, batches))
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

/// Walks the messages of an IPC stream as Arrow's reader does (an optional continuation
/// marker, the metadata's length, the metadata, the body) and checks what Arrow's decoder
/// assumes without checking: that every message fits in the bytes, that the batches have
/// the schema's buffers, and that every buffer lies within its message's body, starts at
/// a multiple of 8 bytes and holds whole values of its type.
fn check_stream(bytes: &[u8]) -> Result<(), String> {
    let mut at = 0usize;
    let mut index = 0usize;
    let mut schema: Option<Layout> = None;
    while at < bytes.len() {
        let mut len = i32_at(bytes, at).ok_or("a message length is cut off")?;
        at += 4;
        if len == -1 {
            len = i32_at(bytes, at).ok_or("a message length is cut off")?;
            at += 4;
        }
        if len == 0 {
            return Ok(());
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
        if let Some(s) = message.header_as_schema() {
            if schema.is_some() {
                return Err(format!("message {index} is a second schema"));
            }
            schema = Some(layout(s)?);
        } else {
            let layout = schema
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
        }
        at = end
            .checked_add(body)
            .filter(|next| *next <= bytes.len())
            .ok_or_else(|| format!("the body of message {index} runs past the end of the bytes"))?;
        index += 1;
    }
    Ok(())
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
    let (schema, batches) = read_ipc(cases, "cases")?;
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
    batch
        .columns()
        .iter()
        .map(|c| match c.as_any_dictionary_opt() {
            Some(d) => arrow_select::dictionary::garbage_collect_any_dictionary(d),
            None => Ok(std::sync::Arc::clone(c)),
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|columns| RecordBatch::try_new(batch.schema(), columns))
        .map_err(|e| table_error(format!("writing the decisions: {e}")))
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
    }
}
