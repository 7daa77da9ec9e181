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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => {
                return Err(CsvError {
                    line,
                    column: None,
                    message: "a quote inside an unquoted field; quote the whole field and double the quote (`\"\"`)".to_owned(),
                });
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
                if fields.iter().any(|f| !f.trim().is_empty()) {
                    out.push((start_line, std::mem::take(&mut fields)));
                } else {
                    fields.clear();
                }
                line += 1;
                start_line = line;
            }
            _ if was_quoted && !c.is_whitespace() => {
                return Err(CsvError {
                    line,
                    column: None,
                    message: "text after a closing quote; a quoted field ends at its closing quote"
                        .to_owned(),
                });
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(CsvError {
            line: start_line,
            column: None,
            message: "a quoted field is never closed".to_owned(),
        });
    }
    fields.push(field);
    if fields.iter().any(|f| !f.trim().is_empty()) {
        out.push((start_line, fields));
    }
    Ok(out)
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
                    crate::id::truncate_for_message(h)
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
