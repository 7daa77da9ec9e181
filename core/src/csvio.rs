//! CSV in and out, on the `csv` crate: the reader of cases, outcome tables and decision
//! tables exported from spreadsheets, and the writer of decisions and exports.
//!
//! Reading follows RFC 4180 as the `csv` crate reads it: quoted fields may hold commas,
//! doubled quotes and line breaks; a UTF-8 byte-order mark and `\r\n` line ends are
//! accepted; a quote inside an unquoted field is part of its text. What gridgov adds:
//! every record is given with the line it starts on (blank lines counted), blank records
//! (no field with text) are skipped, and a quoted field left open at the end of the text
//! is an error rather than a field that swallows every line after it.

use std::fmt;

/// A CSV text could not be read: the 1-based line of the problem and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// The line the record starts on.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

/// The records of a CSV text one at a time, each with the line it starts on. The record
/// read last is [`record`](Self::record); it is reused, so reading allocates only when a
/// record is longer than any before it.
#[derive(Debug)]
pub struct CsvRecords<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    failed: bool,
}

impl<'a> CsvRecords<'a> {
    /// A reader over `text`.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        Self {
            text,
            reader,
            record: csv::StringRecord::new(),
            failed: false,
        }
    }

    /// The record read last.
    #[must_use]
    pub fn record(&self) -> &csv::StringRecord {
        &self.record
    }

    /// Reads the next record with text in it; returns the line it starts on.
    pub fn next_record(&mut self) -> Option<Result<usize, CsvError>> {
        while !self.failed {
            let start = self.reader.position().clone();
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => {
                    self.failed = true;
                    let line = e
                        .position()
                        .map_or(usize::try_from(start.line()).unwrap_or(0), |p| {
                            usize::try_from(p.line()).unwrap_or(0)
                        });
                    return Some(Err(CsvError {
                        line,
                        message: e.to_string(),
                    }));
                }
                Ok(true) => {}
            }
            // The reader's position is where it started reading: count the blank lines it
            // skipped before the record.
            let skipped = self
                .text
                .as_bytes()
                .get(usize::try_from(start.byte()).unwrap_or(0)..)
                .unwrap_or(&[])
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n' | 0xEF | 0xBB | 0xBF))
                .filter(|b| **b == b'\n')
                .count();
            let line = usize::try_from(start.line()).unwrap_or(0) + skipped;
            if self.unclosed_at_end(usize::try_from(start.byte()).unwrap_or(0)) {
                self.failed = true;
                return Some(Err(CsvError {
                    line,
                    message: "a quoted field is never closed".to_owned(),
                }));
            }
            if self.record.iter().any(|f| !f.trim().is_empty()) {
                return Some(Ok(line));
            }
        }
        None
    }

    /// Whether the record just read, which started at byte `start`, ran to the end of
    /// the text inside a quoted field (a quote left open makes its field take the rest of
    /// the text, which the reader gives without complaint).
    fn unclosed_at_end(&self, start: usize) -> bool {
        let at_end =
            usize::try_from(self.reader.position().byte()).is_ok_and(|b| b >= self.text.len());
        at_end && ends_inside_quotes(self.text.as_bytes().get(start..).unwrap_or(&[]))
    }
}

/// Whether CSV text ends inside a quoted field: quotes open a field only at its start, and
/// a doubled quote inside one is a quote.
fn ends_inside_quotes(raw: &[u8]) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    for &b in raw {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) | (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart, b'"') => State::Quoted,
            (_, b',' | b'\n' | b'\r') => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    state == State::Quoted
}

/// Every record of a CSV text with text in it, with the line it starts on.
///
/// # Errors
/// [`CsvError`] for a quoted field never closed.
pub fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let mut reader = CsvRecords::new(text);
    let mut out = Vec::new();
    while let Some(line) = reader.next_record() {
        let line = line?;
        out.push((line, reader.record().iter().map(str::to_owned).collect()));
    }
    Ok(out)
}

/// Writes CSV text: fields are quoted when they hold a comma, a quote or a line break.
#[derive(Debug)]
pub struct CsvWriter {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvWriter {
    /// A writer whose output is about `capacity` bytes.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::with_capacity(capacity)),
        }
    }

    /// Writes one field of the current record.
    pub fn field(&mut self, value: &str) {
        // Writing to memory cannot fail.
        let _ = self.writer.write_field(value);
    }

    /// Writes a field from anything printable.
    pub fn display(&mut self, value: impl fmt::Display) {
        let mut buf = String::new();
        let _ = fmt::Write::write_fmt(&mut buf, format_args!("{value}"));
        self.field(&buf);
    }

    /// Writes a whole record.
    pub fn record<'f>(&mut self, fields: impl IntoIterator<Item = &'f str>) {
        for f in fields {
            self.field(f);
        }
        self.end();
    }

    /// Ends the current record.
    pub fn end(&mut self) {
        let _ = self.writer.write_record(None::<&[u8]>);
    }

    /// The text written.
    #[must_use]
    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        // Only `&str` fields were written: the bytes are UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_line_ends_and_lines() {
        let r = records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,2,3").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].1, vec!["x, y", "say \"hi\"", "two\nlines"]);
        assert_eq!(r[1].0, 2);
        assert_eq!(r[2].0, 5);
        assert_eq!(r[2].1, vec!["1", "2", "3"]);
    }

    #[test]
    fn blank_lines_and_records_are_skipped_and_counted() {
        let r = records("\u{feff}id,why\r\n\r\n  \n,,\nr1,because\n").unwrap();
        assert_eq!(
            r,
            vec![
                (1, vec!["id".to_owned(), "why".to_owned()]),
                (5, vec!["r1".to_owned(), "because".to_owned()])
            ]
        );
    }

    #[test]
    fn a_quote_left_open_is_an_error_naming_its_line() {
        let e = records("a,b\n1,\"open\n2,x\n3,y\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "a quoted field is never closed")
        );
        // A quoted last field with a line break is fine.
        assert_eq!(records("a,b\n1,\"two\nlines\"\n").unwrap().len(), 2);
        // A quote inside an unquoted field is text, as spreadsheets write it.
        assert_eq!(records("a,b\"c").unwrap()[0].1, vec!["a", "b\"c"]);
    }

    #[test]
    fn writing_quotes_what_needs_it() {
        let mut w = CsvWriter::with_capacity(64);
        w.record(["a", "b,c", "say \"hi\"", "two\nlines", ""]);
        w.display(12);
        w.field("x");
        w.end();
        assert_eq!(
            w.finish(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\n12,x\n"
        );
    }
}
