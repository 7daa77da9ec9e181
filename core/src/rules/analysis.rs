//! Warnings about a compiled table: rows that can never fire, rows an earlier row hides,
//! and overlapping rows, each with an example case.

use super::cell::{self, ColumnKind};
use super::spec::HitPolicy;
use super::table::*;
use super::{Location, RuleProblem, Vocab};

/// Warnings about a compiled table: rows that can never fire, rows an earlier row hides,
/// and overlapping rows.
pub(crate) fn analyse(
    table: &Table,
    version: &str,
    vocab: &Vocab,
    warnings: &mut Vec<RuleProblem>,
) {
    let kinds: Vec<ColumnKind> = table.columns.iter().map(|c| c.kind(vocab)).collect();
    let loc = |row: &str| Location {
        version: Some(version.to_owned()),
        table: Some(table.id.to_string()),
        row: Some(row.to_owned()),
        column: None,
        line: None,
        subject: None,
    };
    let mut dead = vec![false; table.rows.len()];
    for (i, row) in table.rows.iter().enumerate() {
        if let Some((pos, _)) = row.conds.iter().enumerate().find(|(_, c)| c.is_empty()) {
            let column = table.inputs.get(pos).cloned().unwrap_or_default();
            warnings.push(RuleProblem::new(
                "never_fires",
                Location {
                    column: Some(column.clone()),
                    ..loc(row.id.as_str())
                },
                format!(
                    "row `{}` can never fire: no value satisfies its `{column}` cell",
                    row.id
                ),
            ));
            if let Some(d) = dead.get_mut(i) {
                *d = true;
            }
        }
    }
    for (j, later) in table.rows.iter().enumerate() {
        if dead.get(j).copied().unwrap_or(false) {
            continue;
        }
        for (i, earlier) in table.rows.iter().enumerate().take(j) {
            if dead.get(i).copied().unwrap_or(false) {
                continue;
            }
            let intersects = earlier
                .conds
                .iter()
                .zip(&later.conds)
                .all(|(a, b)| a.intersects(b));
            if !intersects {
                continue;
            }
            let covered = earlier
                .conds
                .iter()
                .zip(&later.conds)
                .all(|(a, b)| a.covers(b));
            if covered && table.hit_policy != HitPolicy::Collect {
                warnings.push(RuleProblem::new(
                    "unreachable_row",
                    loc(later.id.as_str()),
                    format!(
                        "row `{}` can never fire: every case it matches is matched first by row `{}`",
                        later.id, earlier.id
                    ),
                ));
                break;
            }
            // In a `first` table an earlier row that is a special case of a later one is the
            // usual "exception first" pattern; only crossing overlaps are worth a warning.
            let exception = later
                .conds
                .iter()
                .zip(&earlier.conds)
                .all(|(l, e)| l.covers(e));
            let report = match table.hit_policy {
                HitPolicy::Collect => false,
                HitPolicy::Unique => true,
                HitPolicy::First => earlier.out != later.out && !exception,
            };
            if report {
                let example: Vec<String> = table
                    .inputs
                    .iter()
                    .zip(earlier.conds.iter().zip(&later.conds))
                    .zip(&kinds)
                    .filter_map(|((name, (a, b)), kind)| {
                        cell::witness(a, b, kind).map(|w| format!("{name} {w}"))
                    })
                    .collect();
                let example = if example.is_empty() {
                    "every case".to_owned()
                } else {
                    example.join(", ")
                };
                let outcome = if table.hit_policy == HitPolicy::Unique {
                    "a unique table should have one row per case; the first is used".to_owned()
                } else {
                    format!("`{}` wins there", earlier.id)
                };
                warnings.push(RuleProblem::new(
                    "overlap",
                    loc(later.id.as_str()),
                    format!(
                        "rows `{}` and `{}` both match some cases (for example {example}); {outcome}",
                        earlier.id, later.id
                    ),
                ));
            }
        }
    }
}
