//! CSV in and out: the reader of cases, outcome tables and decision tables exported from
//! spreadsheets, and the writer of decisions and exports.
//!
//! Records are parsed by `csv-core`, the parser of the `csv` crate, and read as the `csv`
//! crate's reader reads them (RFC 4180: quoted fields may hold commas, doubled quotes and
//! line breaks; a UTF-8 byte-order mark and `\r\n` line ends are accepted; a quote inside
//! an unquoted field is part of its text). Lines without quotes and all writing take
//! hand-written fast paths; property tests hold both byte-equal to the `csv` crate's
//! reader and writer, and `cargo bench -p gridgov-benches --bench csv` shows what they
//! save. What gridgov adds: every record is given with the line it starts on (blank lines
//! counted), blank records (no field with text) are skipped, and a quoted field left open
//! at the end of the text is an error rather than a field that swallows every line after
//! it.

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
/// read last is [`record`](Self::record); its buffers are reused, so reading allocates
/// only when a record is longer than any before it.
///
/// Records are parsed by the `csv` crate's parser (`csv-core`), straight on the text.
/// A line without quotes (most lines of an export) takes a hand-written fast path that
/// splits it at its commas and borrows its fields from the text: `cargo bench -p
/// gridgov-benches --bench csv` compares it with the `csv` crate's reader, and the
/// property test `reads_what_the_csv_crate_reads` holds both paths equal to that reader,
/// line numbers included, on random texts.
#[derive(Debug)]
pub struct CsvRecords<'a> {
    text: &'a str,
    /// The next byte to read.
    pos: usize,
    /// The line of `pos`, from 1.
    line: usize,
    parser: csv_core::Reader,
    /// The record read last: its fields as ranges of `text` (a line without quotes) or of
    /// `unquoted` (a record the parser read).
    ranges: Vec<(usize, usize)>,
    in_text: bool,
    unquoted: String,
    out: Vec<u8>,
    ends: Vec<usize>,
    failed: bool,
}

/// One record of [`CsvRecords`]: its fields, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct CsvRecord<'r> {
    source: &'r str,
    ranges: &'r [(usize, usize)],
}

impl<'r> CsvRecord<'r> {
    /// How many fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether the record has no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The field at `i`.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&'r str> {
        let &(a, b) = self.ranges.get(i)?;
        self.source.get(a..b)
    }

    /// The fields in order.
    #[must_use]
    pub fn iter(&self) -> CsvFields<'r> {
        CsvFields {
            source: self.source,
            ranges: self.ranges.iter(),
        }
    }
}

/// The fields of a [`CsvRecord`], in order.
#[derive(Clone, Debug)]
pub struct CsvFields<'r> {
    source: &'r str,
    ranges: std::slice::Iter<'r, (usize, usize)>,
}

impl<'r> Iterator for CsvFields<'r> {
    type Item = &'r str;
    #[inline]
    fn next(&mut self) -> Option<&'r str> {
        let &(a, b) = self.ranges.next()?;
        Some(self.source.get(a..b).unwrap_or(""))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranges.size_hint()
    }
}

impl ExactSizeIterator for CsvFields<'_> {}

impl<'r> IntoIterator for CsvRecord<'r> {
    type Item = &'r str;
    type IntoIter = CsvFields<'r>;
    fn into_iter(self) -> CsvFields<'r> {
        self.iter()
    }
}

impl<'a> CsvRecords<'a> {
    /// A reader over `text` (a UTF-8 byte-order mark at its start is skipped).
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        let mut parser = csv_core::Reader::new();
        // The parser skips a byte-order mark only before its first read; this text's is
        // skipped below, so a blank line read first keeps a record that starts with
        // U+FEFF later on whole, as the `csv` crate's reader keeps it.
        let _ = parser.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        Self {
            text,
            pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
            line: 1,
            parser,
            ranges: Vec::new(),
            in_text: true,
            unquoted: String::new(),
            out: vec![0; 256],
            ends: vec![0; 16],
            failed: false,
        }
    }

    /// The record read last.
    #[must_use]
    pub fn record(&self) -> CsvRecord<'_> {
        CsvRecord {
            source: if self.in_text {
                self.text
            } else {
                &self.unquoted
            },
            ranges: &self.ranges,
        }
    }

    /// Reads the next record with text in it; returns the line it starts on.
    pub fn next_record(&mut self) -> Option<Result<usize, CsvError>> {
        while !self.failed {
            let bytes = self.text.as_bytes();
            let rest = bytes.get(self.pos..).unwrap_or(&[]);
            if rest.is_empty() {
                return None;
            }
            let line = self.line;
            let special = memchr::memchr3(b'\n', b'\r', b'"', rest);
            let at = |i: usize| rest.get(i).copied();
            let line_end = match special {
                None => Some((rest.len(), 0)),
                Some(i) if at(i) == Some(b'\n') => Some((i, 1)),
                Some(i) if at(i) == Some(b'\r') && at(i + 1) == Some(b'\n') => Some((i, 2)),
                // A quote, or a lone `\r` (which also ends a record): the parser.
                Some(_) => None,
            };
            let line = match line_end {
                Some((0, ending)) => {
                    // A blank line.
                    self.pos += ending;
                    self.line += 1;
                    continue;
                }
                Some((len, ending)) => {
                    self.split(self.pos, self.pos + len);
                    self.pos += len + ending;
                    self.line += usize::from(ending > 0);
                    line
                }
                None => match self.parse() {
                    Ok(Some(line)) => line,
                    Ok(None) => return None,
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                },
            };
            if self.record().iter().any(|f| !f.trim().is_empty()) {
                return Some(Ok(line));
            }
        }
        None
    }

    /// The fast path: a line without quotes, split at its commas.
    fn split(&mut self, start: usize, end: usize) {
        self.in_text = true;
        self.ranges.clear();
        let line = self.text.as_bytes().get(start..end).unwrap_or(&[]);
        let mut from = start;
        for comma in memchr::memchr_iter(b',', line) {
            self.ranges.push((from, start + comma));
            from = start + comma + 1;
        }
        self.ranges.push((from, end));
    }

    /// One record through the parser, from `pos`; the line it starts on, or `None` at the
    /// end of the text.
    fn parse(&mut self) -> Result<Option<usize>, CsvError> {
        let rest = self.text.as_bytes().get(self.pos..).unwrap_or(&[]);
        // The parser skips blank lines (and lone `\r`s) before the record.
        let line = self.line
            + rest
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .filter(|b| **b == b'\n')
                .count();
        let mut input = rest;
        let (mut nout, mut nend) = (0, 0);
        loop {
            let (Some(out), Some(ends)) = (self.out.get_mut(nout..), self.ends.get_mut(nend..))
            else {
                return Ok(None);
            };
            let (result, nin, o, e) = self.parser.read_record(input, out, ends);
            input = input.get(nin..).unwrap_or(&[]);
            nout += o;
            nend += e;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    self.out.resize(self.out.len() * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    self.ends.resize(self.ends.len() * 2, 0);
                }
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => {
                    self.pos = self.text.len();
                    return Ok(None);
                }
            }
        }
        let consumed = rest.get(..rest.len() - input.len()).unwrap_or(&[]);
        self.pos += consumed.len();
        self.line += memchr::memchr_iter(b'\n', consumed).count();
        if self.pos >= self.text.len() && ends_inside_quotes(rest) {
            return Err(CsvError {
                line,
                message: "a quoted field is never closed".to_owned(),
            });
        }
        // Fields are the text's bytes without their quotes, cut at ASCII bytes: UTF-8.
        self.unquoted.clear();
        let bytes = self.out.get(..nout).unwrap_or(&[]);
        match std::str::from_utf8(bytes) {
            Ok(text) => self.unquoted.push_str(text),
            Err(_) => self.unquoted.push_str(&String::from_utf8_lossy(bytes)),
        }
        self.in_text = false;
        self.ranges.clear();
        let mut from = 0;
        for &end in self.ends.get(..nend).unwrap_or(&[]) {
            self.ranges.push((from, end));
            from = end;
        }
        Ok(Some(line))
    }
}

/// The bytes that make a field need quotes: the delimiter, the quote and line ends.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b',' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

/// Whether a field needs quotes (as the `csv` crate's writer decides it): eight bytes at
/// a time, testing each word for the four special bytes with the "has a zero byte" bit
/// trick (exact: it never misses a byte and never finds one that is not there).
#[inline]
fn needs_quotes(field: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, byte: u8| {
        let v = word ^ (LO * u64::from(byte));
        v.wrapping_sub(LO) & !v & HI != 0
    };
    let mut words = field.chunks_exact(8);
    for chunk in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        if has(word, b',') || has(word, b'"') || has(word, b'\n') || has(word, b'\r') {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| SPECIAL.get(usize::from(b)).copied().unwrap_or(false))
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

/// Writes CSV text exactly as the `csv` crate's writer does with its defaults (fields
/// quoted when they hold a comma, a quote or a line break, quotes doubled, a record of one
/// empty field written `""`, records ended by `\n`), straight into a `String`.
///
/// A hand-written fast path kept for the batch paths' output: the `csv` crate's writer
/// copies every byte through its buffer state machine, and on the 1,000,000-row
/// `route_csv` benchmark that took about a tenth of the run (`cargo bench -p
/// gridgov-benches --bench csv` compares the two on decision rows). The property test
/// `writes_what_the_csv_crate_writes` holds it byte-equal to the `csv` crate's `Writer` on random
/// records.
#[derive(Debug)]
pub struct CsvWriter {
    out: String,
    /// Where the current record starts in `out`.
    record_start: usize,
    /// Fields written to the current record.
    fields: usize,
}

impl CsvWriter {
    /// A writer whose output is about `capacity` bytes.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            record_start: 0,
            fields: 0,
        }
    }

    /// Starts a field: the delimiter before it, if any; returns where its text starts.
    fn begin(&mut self) -> usize {
        if self.fields > 0 {
            self.out.push(',');
        }
        self.fields += 1;
        self.out.len()
    }

    /// Quotes the field written since `start` if its text needs it.
    fn close(&mut self, start: usize) {
        if !needs_quotes(self.out.as_bytes().get(start..).unwrap_or(&[])) {
            return;
        }
        let raw = self.out.split_off(start);
        self.quoted(&raw);
    }

    /// Writes `value` in quotes, its quotes doubled.
    fn quoted(&mut self, value: &str) {
        self.out.push('"');
        for (i, part) in value.split('"').enumerate() {
            if i > 0 {
                self.out.push_str("\"\"");
            }
            self.out.push_str(part);
        }
        self.out.push('"');
    }

    /// Writes one field of the current record.
    pub fn field(&mut self, value: &str) {
        self.begin();
        if needs_quotes(value.as_bytes()) {
            self.quoted(value);
        } else {
            self.out.push_str(value);
        }
    }

    /// Writes a field the caller knows needs no quotes (a fixed name): its text is not
    /// scanned. Checked in debug builds.
    pub fn plain(&mut self, value: &str) {
        debug_assert!(
            !needs_quotes(value.as_bytes()),
            "a plain CSV field needs quotes"
        );
        self.begin();
        self.out.push_str(value);
    }

    /// Writes a printed field the caller knows needs no quotes (a number, a timestamp, a
    /// time limit): its text is not scanned. Checked in debug builds.
    pub fn plain_display(&mut self, value: impl fmt::Display) {
        let start = self.begin();
        // Writing to a String cannot fail.
        let _ = fmt::Write::write_fmt(&mut self.out, format_args!("{value}"));
        debug_assert!(
            !needs_quotes(self.out.as_bytes().get(start..).unwrap_or(&[])),
            "a plain CSV field needs quotes"
        );
    }

    /// Writes a field from anything printable.
    pub fn display(&mut self, value: impl fmt::Display) {
        let start = self.begin();
        // Writing to a String cannot fail.
        let _ = fmt::Write::write_fmt(&mut self.out, format_args!("{value}"));
        self.close(start);
    }

    /// Writes one field holding `items` joined by `separator`.
    pub fn joined<'f>(&mut self, items: impl IntoIterator<Item = &'f str>, separator: &str) {
        let start = self.begin();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.push_str(separator);
            }
            self.out.push_str(item);
        }
        self.close(start);
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
        if self.out.len() == self.record_start {
            // A record of one empty field (or none) would read back as a blank line.
            self.out.push_str("\"\"");
        }
        self.out.push('\n');
        self.record_start = self.out.len();
        self.fields = 0;
    }

    /// The text written.
    #[must_use]
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader before the fast path: the `csv` crate's `Reader` with the lines counted
    /// and blank records skipped, as gridgov defines them.
    #[derive(Debug)]
    struct Reference<'a> {
        text: &'a str,
        reader: csv::Reader<&'a [u8]>,
        record: csv::StringRecord,
        failed: bool,
    }

    impl<'a> Reference<'a> {
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

    /// What the reference reads: every record with text, with its line.
    fn reference(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
        // (Its check for a quote left open looked from before a byte-order mark and so
        // missed `\u{feff}"`; the mark changes nothing else.)
        let mut reader = Reference::new(text.strip_prefix('\u{feff}').unwrap_or(text));
        let mut out = Vec::new();
        while let Some(line) = reader.next_record() {
            let line = line?;
            out.push((line, reader.record().iter().map(str::to_owned).collect()));
        }
        Ok(out)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Both paths read what the `csv` crate's reader reads: the same records, fields
        /// and lines, and the same error for a quote left open.
        #[test]
        fn reads_what_the_csv_crate_reads(
            bom in proptest::bool::ANY,
            body in "[ab ,\"\r\n中]{0,40}",
        ) {
            let text = if bom { format!("\u{feff}{body}") } else { body };
            proptest::prop_assert_eq!(records(&text), reference(&text));
        }
    }

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
    fn a_byte_order_mark_is_skipped_only_at_the_start() {
        // (The reader before the fast path counted the line after a record of one U+FEFF.)
        assert_eq!(
            records("\u{feff}a\n\"\"\n\u{feff}\n").unwrap(),
            vec![(1, vec!["a".to_owned()]), (3, vec!["\u{feff}".to_owned()])]
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
        w.joined(["p", "q"], ";");
        w.joined(["p", "q"], ",");
        w.end();
        w.field("");
        w.end();
        w.end();
        assert_eq!(
            w.finish(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\n12,x\np;q,\"p,q\"\n\"\"\n\"\"\n"
        );
    }

    /// What the `csv` crate's writer writes for `records` with its defaults.
    fn csv_crate(records: &[Vec<String>]) -> String {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn writes_what_the_csv_crate_writes(
            records in proptest::collection::vec(
                proptest::collection::vec("[a ,\"\r\n;中-]{0,20}", 0..5),
                0..6,
            )
        ) {
            let mut w = CsvWriter::with_capacity(16);
            for r in &records {
                w.record(r.iter().map(String::as_str));
            }
            proptest::prop_assert_eq!(w.finish(), csv_crate(&records));
        }

        #[test]
        fn the_word_scan_finds_exactly_the_special_bytes(
            field in proptest::collection::vec(proptest::num::u8::ANY, 0..40)
        ) {
            let plain = field.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
            proptest::prop_assert_eq!(needs_quotes(&field), plain);
        }

        #[test]
        fn joined_and_display_write_what_the_csv_crate_writes(
            parts in proptest::collection::vec("[a ,\"\n]{0,4}", 0..4),
            number in proptest::num::i64::ANY,
        ) {
            let mut w = CsvWriter::with_capacity(16);
            w.joined(parts.iter().map(String::as_str), ";");
            w.display(number);
            w.end();
            let record = vec![parts.join(";"), number.to_string()];
            proptest::prop_assert_eq!(w.finish(), csv_crate(&[record]));
        }
    }
}
