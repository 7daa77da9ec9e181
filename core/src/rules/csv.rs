//! Decision tables exported from spreadsheets as CSV (read by [`crate::csvio`]), turned
//! into `inputs`, `outputs` and `rows`.
//!
//! Header: `id`, then `when:<input>` columns, then `then:<output>` columns, then `why`
//! (in any order). Quoted fields may hold commas, quotes (`""`) and line breaks. A UTF-8
//! byte-order mark, blank lines and `\r\n` line ends are accepted.

use super::spec::{RowSpec, TableSpec};
use crate::id::RuleId;

/// A decision table's CSV could not be read: 1-based line and column of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CsvError {
    pub(crate) line: usize,
    pub(crate) column: Option<String>,
    pub(crate) message: String,
}

/// Splits CSV text into records, each with the line it starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    crate::csvio::records(text).map_err(|e| CsvError {
        line: e.line,
        column: None,
        message: e.message,
    })
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
    fn a_table_reads_with_its_lines() {
        let r = records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,2,3").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[2].0, 5);
        assert_eq!(
            records("a,\"b").unwrap_err().message,
            "a quoted field is never closed"
        );
    }
}
