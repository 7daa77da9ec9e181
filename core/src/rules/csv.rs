//! A small RFC 4180 CSV reader for decision tables exported from spreadsheets, and the
//! conversion of such a table into `inputs`, `outputs` and `rows`.
//!
//! Header: `id`, then `when:<input>` columns, then `then:<output>` columns, then `why`
//! (in any order). Quoted fields may hold commas, quotes (`""`) and line breaks. A UTF-8
//! byte-order mark, blank lines and `\r\n` line ends are accepted.

use super::spec::{RowSpec, TableSpec};
use crate::id::RuleId;

/// A CSV text could not be read: 1-based line and column of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CsvError {
    pub(crate) line: usize,
    pub(crate) column: Option<String>,
    pub(crate) message: String,
}

/// A record with the line it starts on.
pub(crate) type Record = (usize, Vec<String>);

/// Splits CSV text into records.
pub(crate) fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    Reader::new(text)
        .map(|r| r.map(|(line, fields)| (line, fields.into_iter().map(Cow::into_owned).collect())))
        .collect()
}

use std::borrow::Cow;

/// Reads CSV records one at a time, borrowing every field that needs no unescaping: the
/// reader of large tables (cases, outcomes). Blank records are skipped.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// A reader over `text` (a UTF-8 byte-order mark is skipped).
    #[must_use]
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text: text.strip_prefix('\u{feff}').unwrap_or(text),
            pos: 0,
            line: 1,
            failed: false,
        }
    }

    fn error(&mut self, line: usize, message: &str) -> CsvError {
        self.failed = true;
        CsvError {
            line,
            column: None,
            message: message.to_owned(),
        }
    }

    /// One field starting at `self.pos`; leaves `self.pos` on the delimiter after it (or
    /// the end). Returns the field and whether the record ends after it.
    fn field(&mut self, start_line: usize) -> Result<(Cow<'a, str>, bool), CsvError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.pos;
        let value: Cow<'a, str> = if bytes.get(i) == Some(&b'"') {
            i += 1;
            let mut owned: Option<String> = None;
            let mut from = i;
            loop {
                match bytes.get(i) {
                    None => return Err(self.error(start_line, "a quoted field is never closed")),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        let o = owned.get_or_insert_with(String::new);
                        o.push_str(text.get(from..=i).unwrap_or(""));
                        i += 2;
                        from = i;
                    }
                    Some(b'"') => break,
                    Some(b'\n') => {
                        self.line += 1;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            let tail = text.get(from..i).unwrap_or("");
            i += 1;
            // Only blanks may follow a closing quote before the delimiter.
            while let Some(&c) = bytes.get(i) {
                match c {
                    b',' | b'\n' => break,
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => break,
                    b' ' | b'\t' | b'\r' => i += 1,
                    _ => {
                        let line = self.line;
                        return Err(self.error(
                            line,
                            "text after a closing quote; a quoted field ends at its closing quote",
                        ));
                    }
                }
            }
            match owned {
                Some(mut o) => {
                    o.push_str(tail);
                    Cow::Owned(o)
                }
                None => Cow::Borrowed(tail),
            }
        } else {
            let from = i;
            while let Some(&c) = bytes.get(i) {
                match c {
                    b',' | b'\n' => break,
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => break,
                    b'"' => {
                        let line = self.line;
                        return Err(self.error(
                            line,
                            "a quote inside an unquoted field; quote the whole field and double the quote (`\"\"`)",
                        ));
                    }
                    _ => i += 1,
                }
            }
            Cow::Borrowed(text.get(from..i).unwrap_or(""))
        };
        // Step over the delimiter.
        let end = match bytes.get(i) {
            Some(b',') => {
                i += 1;
                false
            }
            Some(b'\r') => {
                i += 2;
                self.line += 1;
                true
            }
            Some(b'\n') => {
                i += 1;
                self.line += 1;
                true
            }
            _ => true,
        };
        self.pos = i;
        Ok((value, end))
    }
}

impl<'a> Reader<'a> {
    /// The next non-blank record into `fields` (cleared first), returning the line it
    /// starts on: the allocation-free form of [`Iterator::next`].
    pub(crate) fn next_into(
        &mut self,
        fields: &mut Vec<Cow<'a, str>>,
    ) -> Option<Result<usize, CsvError>> {
        while !self.failed && self.pos < self.text.len() {
            let start_line = self.line;
            fields.clear();
            loop {
                match self.field(start_line) {
                    Err(e) => return Some(Err(e)),
                    Ok((value, end)) => {
                        fields.push(value);
                        if end {
                            break;
                        }
                    }
                }
            }
            if fields.iter().any(|f| !f.trim().is_empty()) {
                return Some(Ok(start_line));
            }
        }
        None
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<(usize, Vec<Cow<'a, str>>), CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut fields = Vec::new();
        self.next_into(&mut fields)
            .map(|r| r.map(|line| (line, fields)))
    }
}

/// Fills `inputs`, `outputs` and `rows` of a table spec from its `csv` text.
pub(crate) fn expand(spec: &TableSpec) -> Result<TableSpec, CsvError> {
    let text = spec.csv.as_deref().unwrap_or("");
    let recs = records(text)?;
    let Some((_, header)) = recs.first() else {
        return Err(CsvError {
            line: 1,
            column: None,
            message: "the CSV has no header; expected `id, when:<input>…, then:<output>…, why`"
                .to_owned(),
        });
    };
    let mut id_col = None;
    let mut why_col = None;
    let mut when_cols = Vec::new();
    let mut then_cols = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        if h == "id" {
            id_col = Some(i);
        } else if h == "why" {
            why_col = Some(i);
        } else if let Some(name) = h.strip_prefix("when:") {
            when_cols.push((i, name.trim().to_owned()));
        } else if let Some(name) = h.strip_prefix("then:") {
            then_cols.push((i, name.trim().to_owned()));
        } else {
            return Err(CsvError {
                line: 1,
                column: Some(h.to_owned()),
                message: format!(
                    "unknown header `{}`; headers are `id`, `when:<input>`, `then:<output>` and `why`",
                    crate::text::truncate_for_message(h)
                ),
            });
        }
    }
    let (Some(id_col), Some(why_col)) = (id_col, why_col) else {
        return Err(CsvError {
            line: 1,
            column: None,
            message: "the header needs an `id` and a `why` column".to_owned(),
        });
    };
    let mut rows = Vec::new();
    for (line, rec) in recs.iter().skip(1) {
        if rec.len() != header.len() {
            return Err(CsvError {
                line: *line,
                column: None,
                message: format!(
                    "the line has {} fields; the header has {}",
                    rec.len(),
                    header.len()
                ),
            });
        }
        let get = |i: usize| rec.get(i).cloned().unwrap_or_default();
        let id = RuleId::new(get(id_col).trim()).map_err(|e| CsvError {
            line: *line,
            column: Some("id".to_owned()),
            message: e.to_string(),
        })?;
        rows.push(RowSpec {
            id,
            when: when_cols.iter().map(|(i, _)| get(*i)).collect(),
            then: then_cols.iter().map(|(i, _)| get(*i)).collect(),
            why: get(why_col),
        });
    }
    Ok(TableSpec {
        id: spec.id.clone(),
        description: spec.description.clone(),
        hit_policy: spec.hit_policy,
        inputs: when_cols.into_iter().map(|(_, n)| n).collect(),
        outputs: then_cols.into_iter().map(|(_, n)| n).collect(),
        rows,
        csv: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_line_ends() {
        let r = records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,2,3").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].1, vec!["x, y", "say \"hi\"", "two\nlines"]);
        assert_eq!(r[2].0, 5);
        assert_eq!(r[2].1, vec!["1", "2", "3"]);
    }

    #[test]
    fn bom_and_trailing_newline() {
        let r = records("\u{feff}id,why\nr1,because\n").unwrap();
        assert_eq!(
            r,
            vec![
                (1, vec!["id".into(), "why".into()]),
                (2, vec!["r1".into(), "because".into()])
            ]
        );
    }

    #[test]
    fn bad_quotes() {
        assert_eq!(
            records("a,\"b").unwrap_err().message,
            "a quoted field is never closed"
        );
        assert!(
            records("a,b\"c")
                .unwrap_err()
                .message
                .contains("quote inside")
        );
        assert!(
            records("\"a\"b,c")
                .unwrap_err()
                .message
                .contains("after a closing quote")
        );
    }
}
