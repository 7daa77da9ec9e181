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

/// The flag that marks an urgent decision (早介入、早稳控).
pub const URGENT_FLAG: &str = "early_intervention";

/// Warns about rows that decide something urgent on working time: a row of the most
/// serious grade (the last declared) or carrying [`URGENT_FLAG`] whose time limit counts
/// working hours or days would let an emergency reported on a Friday evening wait out the
/// weekend. Such rows should count natural time (`4 hours`, `30 minutes`).
pub(crate) fn urgent_clocks(
    table: &Table,
    version: &str,
    vocab: &Vocab,
    warnings: &mut Vec<RuleProblem>,
) {
    let most_serious = vocab.grades.len().checked_sub(1);
    let flag = vocab.flags.iter().position(|f| f == URGENT_FLAG);
    for row in &table.rows {
        let Some(limit) = row.out.time_limit else {
            continue;
        };
        if limit.unit().clock() != crate::calendar::Clock::Working {
            continue;
        }
        let grave = most_serious.is_some_and(|g| row.out.grade.map(usize::from) == Some(g));
        let flagged = flag.is_some_and(|f| {
            u32::try_from(f).is_ok_and(|f| row.out.flags & 1u64.checked_shl(f).unwrap_or(0) != 0)
        });
        if !(grave || flagged) {
            continue;
        }
        let hours = match limit.unit() {
            crate::calendar::LimitUnit::WorkingDays => limit.amount().saturating_mul(24),
            _ => limit.amount(),
        };
        let why = if grave {
            format!(
                "its grade `{}` is the most serious",
                most_serious
                    .and_then(|g| vocab.grades.get(g))
                    .map_or("", String::as_str)
            )
        } else {
            format!("it carries `{URGENT_FLAG}`")
        };
        warnings.push(RuleProblem::new(
            "urgent_on_working_time",
            Location {
                version: Some(version.to_owned()),
                table: Some(table.id.to_string()),
                row: Some(row.id.to_string()),
                column: Some("time_limit".to_owned()),
                line: None,
                subject: None,
            },
            format!(
                "row `{}` is urgent ({why}) but its time limit `{limit}` counts working time, so a matter reported on a Friday evening waits out the weekend; give it natural time, such as `{hours} hours` or `30 minutes`",
                row.id,
            ),
        ));
    }
}
