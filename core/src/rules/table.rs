//! Compiled decision tables: columns bound to case facts, cells parsed into conditions,
//! rows indexed by category, and the analysis behind overlap and unreachable-row warnings.
//!
//! Evaluation allocates nothing: a table keeps, for each category, the rows whose category
//! cell admits it, and each row keeps only its narrowing cells.

use std::str::FromStr;

use super::cell::{self, ColumnKind, Cond, Fact};
use super::spec::{Datatype, HitPolicy, Output, TableSpec};
use super::{Location, RuleProblem, Vocab};
use crate::calendar::TimeLimit;
use crate::case::{AttrValue, Case, Channel};
use crate::fixed::Fixed2;
use crate::id::RuleId;
use crate::org::{Level, Role};
use crate::time::Timestamp;

/// The most offices a version's tables may name.
pub(crate) const MAX_OFFICES: usize = 64;

/// A case fact a column reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    Category,
    Channel,
    PeopleInvolved,
    AmountYuan,
    RepeatCount,
    RiskFlags,
    Community,
    Attr(usize),
}

/// The column names a table may use, for messages.
pub(crate) const BUILTIN_COLUMNS: &[&str] = &[
    "category",
    "channel",
    "people_involved",
    "amount_yuan",
    "repeat_count",
    "risk_flags",
    "community",
];

impl Column {
    pub(crate) fn parse(name: &str, vocab: &Vocab) -> Option<Column> {
        Some(match name.trim() {
            "category" => Column::Category,
            "channel" => Column::Channel,
            "people_involved" => Column::PeopleInvolved,
            "amount_yuan" => Column::AmountYuan,
            "repeat_count" => Column::RepeatCount,
            "risk_flags" => Column::RiskFlags,
            "community" => Column::Community,
            other => {
                let code = other.strip_prefix("attr.")?;
                Column::Attr(
                    vocab
                        .attributes
                        .iter()
                        .position(|a| a.code.as_str() == code)?,
                )
            }
        })
    }

    pub(crate) fn kind(self, vocab: &Vocab) -> ColumnKind {
        match self {
            Column::Category => ColumnKind::Choice(vocab.categories.clone()),
            Column::Channel => {
                ColumnKind::Choice(Channel::ALL.iter().map(|c| c.as_str().to_owned()).collect())
            }
            Column::PeopleInvolved | Column::RepeatCount => ColumnKind::Number { scale: 1, min: 0 },
            Column::AmountYuan => ColumnKind::Number { scale: 100, min: 0 },
            Column::RiskFlags => ColumnKind::Set(vocab.risk_flags.clone()),
            Column::Community => ColumnKind::Text,
            Column::Attr(i) => match vocab.attributes.get(i) {
                Some(a) => match a.datatype {
                    Datatype::String => ColumnKind::Text,
                    Datatype::Number => ColumnKind::Number {
                        scale: 100,
                        min: i64::MIN,
                    },
                    Datatype::Datetime => ColumnKind::DateTime,
                    Datatype::Singlevaluelist => {
                        ColumnKind::Choice(a.values.iter().map(ToString::to_string).collect())
                    }
                    Datatype::Multivaluelist => {
                        ColumnKind::Set(a.values.iter().map(ToString::to_string).collect())
                    }
                    Datatype::Boolean => ColumnKind::Choice(vec!["false".into(), "true".into()]),
                },
                None => ColumnKind::Text,
            },
        }
    }
}

/// The facts of one case, resolved once for all tables.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Facts<'a> {
    pub(crate) category: usize,
    pub(crate) channel: usize,
    pub(crate) people: i64,
    pub(crate) amount: i64,
    pub(crate) repeat: i64,
    pub(crate) risk: u64,
    pub(crate) community: &'a str,
    pub(crate) case: &'a Case,
    pub(crate) vocab: &'a Vocab,
}

impl<'a> Facts<'a> {
    #[inline]
    pub(crate) fn fact(&self, col: Column) -> Fact<'a> {
        match col {
            Column::Category => Fact::Index(self.category),
            Column::Channel => Fact::Index(self.channel),
            Column::PeopleInvolved => Fact::Int(self.people),
            Column::AmountYuan => Fact::Int(self.amount),
            Column::RepeatCount => Fact::Int(self.repeat),
            Column::RiskFlags => Fact::Mask(self.risk),
            Column::Community => Fact::Text(self.community),
            Column::Attr(i) => self.attr(i),
        }
    }

    fn attr(&self, i: usize) -> Fact<'a> {
        let Some(spec) = self.vocab.attributes.get(i) else {
            return Fact::Missing;
        };
        let Some(value) = self.case.attributes.get(spec.code.as_str()) else {
            return Fact::Missing;
        };
        match (spec.datatype, value) {
            (Datatype::String, AttrValue::Text(t)) => Fact::Text(t),
            (Datatype::Number, AttrValue::Number(n)) => Fact::Int(n.hundredths()),
            (Datatype::Number, AttrValue::Text(t)) => t
                .parse::<Fixed2>()
                .map_or(Fact::Missing, |n| Fact::Int(n.hundredths())),
            (Datatype::Datetime, AttrValue::Text(t)) => t
                .parse::<Timestamp>()
                .map_or(Fact::Missing, |ts| Fact::Int(ts.unix())),
            (Datatype::Singlevaluelist, AttrValue::Text(t)) => spec
                .values
                .iter()
                .position(|v| v.as_str() == t)
                .map_or(Fact::Missing, Fact::Index),
            (Datatype::Multivaluelist, AttrValue::List(items)) => {
                let mut mask = 0u64;
                for item in items {
                    if let Some(p) = spec.values.iter().position(|v| v.as_str() == item) {
                        mask |= 1u64.checked_shl(p as u32).unwrap_or(0);
                    }
                }
                Fact::Mask(mask)
            }
            (Datatype::Boolean, AttrValue::Bool(b)) => Fact::Index(usize::from(*b)),
            _ => Fact::Missing,
        }
    }

    /// The fact as text, for traces.
    pub(crate) fn describe(&self, col: Column) -> String {
        match self.fact(col) {
            Fact::Index(i) => match col.kind(self.vocab) {
                ColumnKind::Choice(names) => names.get(i).cloned().unwrap_or_default(),
                _ => i.to_string(),
            },
            Fact::Int(v) => match col.kind(self.vocab) {
                ColumnKind::Number { scale, .. } => cell::describe_number(v, scale),
                ColumnKind::DateTime => {
                    Timestamp::from_unix(v, crate::time::Offset::UTC).to_string()
                }
                _ => v.to_string(),
            },
            Fact::Mask(m) => match col.kind(self.vocab) {
                ColumnKind::Set(names) => {
                    let set: Vec<_> = names
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| m & (1u64 << i) != 0)
                        .map(|(_, n)| n.as_str())
                        .collect();
                    if set.is_empty() {
                        "none".to_owned()
                    } else {
                        set.join(", ")
                    }
                }
                _ => m.to_string(),
            },
            Fact::Text(t) => t.to_owned(),
            Fact::Missing => "(not given)".to_owned(),
        }
    }
}

/// A row's outputs, resolved to indices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowOut {
    pub(crate) grade: Option<u8>,
    pub(crate) level: Option<Level>,
    pub(crate) role: Option<Role>,
    /// Indices into the version's office names; the first leads.
    pub(crate) offices: Vec<u8>,
    pub(crate) time_limit: Option<TimeLimit>,
    pub(crate) flags: u64,
}

/// A compiled row.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) id: RuleId,
    pub(crate) why: String,
    pub(crate) when: Vec<String>,
    pub(crate) conds: Vec<Cond>,
    /// The narrowing cells other than the category's: (column position, condition).
    checks: Box<[(usize, Cond)]>,
    pub(crate) out: RowOut,
}

impl Row {
    pub(crate) fn is_catch_all(&self) -> bool {
        self.conds.iter().all(|c| *c == Cond::Any)
    }
}

/// A compiled table.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) id: RuleId,
    pub(crate) hit_policy: HitPolicy,
    pub(crate) columns: Vec<Column>,
    pub(crate) inputs: Vec<String>,
    pub(crate) outputs: Vec<Output>,
    pub(crate) rows: Vec<Row>,
    /// For each category index, the rows whose category cell admits it, in order.
    cands: Vec<Box<[u16]>>,
}

impl Table {
    /// Whether a row matches, given that its category cell already does.
    #[inline]
    fn row_matches(&self, row: &Row, facts: &Facts<'_>) -> bool {
        row.checks.iter().all(|(ci, cond)| {
            self.columns
                .get(*ci)
                .is_some_and(|&col| cond.test(facts.fact(col)))
        })
    }

    /// The rows that match, in order: at most one for `first` and `unique`.
    #[inline]
    pub(crate) fn hits<'t>(&'t self, facts: &'t Facts<'t>) -> impl Iterator<Item = usize> + 't {
        let cands: &[u16] = self.cands.get(facts.category).map_or(&[], |c| c);
        let limit = if self.hit_policy == HitPolicy::Collect {
            usize::MAX
        } else {
            1
        };
        cands
            .iter()
            .map(|&r| r as usize)
            .filter(move |&r| {
                self.rows
                    .get(r)
                    .is_some_and(|row| self.row_matches(row, facts))
            })
            .take(limit)
    }

    /// How many rows match (for `unique` conflict notes in traces).
    pub(crate) fn count_matches(&self, facts: &Facts<'_>) -> usize {
        let cands: &[u16] = self.cands.get(facts.category).map_or(&[], |c| c);
        cands
            .iter()
            .filter(|&&r| {
                self.rows
                    .get(r as usize)
                    .is_some_and(|row| self.row_matches(row, facts))
            })
            .count()
    }

    /// Whether this table can decide a case on its own (it has `level` and `time_limit`).
    pub(crate) fn decides(&self) -> bool {
        self.outputs.contains(&Output::Level) && self.outputs.contains(&Output::TimeLimit)
    }

    /// A readable account of why a row matched: each narrowing cell with the case's value.
    pub(crate) fn explain(&self, row: usize, facts: &Facts<'_>) -> String {
        let Some(r) = self.rows.get(row) else {
            return String::new();
        };
        let parts: Vec<String> = self
            .columns
            .iter()
            .zip(&r.conds)
            .zip(&r.when)
            .zip(&self.inputs)
            .filter(|(((_, cond), _), _)| **cond != Cond::Any)
            .map(|(((&col, _), text), name)| {
                format!("{name} {} matches `{}`", facts.describe(col), text.trim())
            })
            .collect();
        let conditions = if parts.is_empty() {
            "every case matches".to_owned()
        } else {
            parts.join("; ")
        };
        format!("{}/{}: {conditions} — {}", self.id, r.id, r.why)
    }
}

/// Compiles a table spec. Problems are pushed with their location; `None` when the table
/// cannot be compiled.
pub(crate) fn compile(
    spec: &TableSpec,
    version: &str,
    vocab: &Vocab,
    offices: &mut Vec<String>,
    problems: &mut Vec<RuleProblem>,
) -> Option<Table> {
    let loc = |row: Option<&str>, column: Option<&str>| Location {
        version: Some(version.to_owned()),
        table: Some(spec.id.to_string()),
        row: row.map(str::to_owned),
        column: column.map(str::to_owned),
        line: None,
    };
    let before = problems.len();
    let mut columns = Vec::new();
    for name in &spec.inputs {
        match Column::parse(name, vocab) {
            Some(c) if columns.contains(&c) => problems.push(RuleProblem::new(
                "duplicate",
                loc(None, Some(name)),
                format!("input column `{name}` appears twice"),
            )),
            Some(c) => columns.push(c),
            None => {
                let mut valid: Vec<String> =
                    BUILTIN_COLUMNS.iter().map(|s| (*s).to_owned()).collect();
                valid.extend(vocab.attributes.iter().map(|a| format!("attr.{}", a.code)));
                problems.push(RuleProblem::new(
                    "unknown_column",
                    loc(None, Some(name)),
                    format!(
                        "unknown input column `{}`; valid columns: {}",
                        crate::id::truncate_for_message(name),
                        valid.join(", ")
                    ),
                ));
            }
        }
    }
    let mut outputs = Vec::new();
    for name in &spec.outputs {
        match Output::from_str(name.trim()) {
            Ok(o) if outputs.contains(&o) => problems.push(RuleProblem::new(
                "duplicate",
                loc(None, Some(name)),
                format!("output column `{name}` appears twice"),
            )),
            Ok(o) => outputs.push(o),
            Err(e) => problems.push(RuleProblem::new(
                "unknown_column",
                loc(None, Some(name)),
                e.to_string(),
            )),
        }
    }
    if problems.len() > before {
        return None;
    }
    if spec.rows.len() > usize::from(u16::MAX) {
        problems.push(RuleProblem::new(
            "too_many",
            loc(None, None),
            "a table may have at most 65535 rows".to_owned(),
        ));
        return None;
    }
    let kinds: Vec<ColumnKind> = columns.iter().map(|c| c.kind(vocab)).collect();
    let mut rows = Vec::new();
    let mut seen_ids: Vec<&str> = Vec::new();
    for r in &spec.rows {
        let rid = r.id.as_str();
        if seen_ids.contains(&rid) {
            problems.push(RuleProblem::new(
                "duplicate",
                loc(Some(rid), None),
                format!("row id `{rid}` appears twice in the table"),
            ));
        }
        seen_ids.push(rid);
        if r.when.len() != columns.len() || r.then.len() != outputs.len() {
            problems.push(RuleProblem::new(
                "row_width",
                loc(Some(rid), None),
                format!(
                    "the row has {} `when` cells and {} `then` cells; the table has {} inputs and {} outputs",
                    r.when.len(),
                    r.then.len(),
                    columns.len(),
                    outputs.len()
                ),
            ));
            continue;
        }
        if r.why.trim().is_empty() {
            problems.push(RuleProblem::new(
                "missing_why",
                loc(Some(rid), None),
                "every row says `why` it exists; residents and auditors see it with each decision"
                    .to_owned(),
            ));
        }
        let mut conds = Vec::with_capacity(columns.len());
        for ((text, kind), name) in r.when.iter().zip(&kinds).zip(&spec.inputs) {
            match cell::parse(text, kind) {
                Ok(c) => conds.push(c),
                Err(reason) => {
                    let code = if reason.starts_with("unknown value") {
                        "unknown_value"
                    } else {
                        "bad_cell"
                    };
                    problems.push(RuleProblem::new(
                        code,
                        loc(Some(rid), Some(name)),
                        format!("cell `{}`: {reason}", crate::id::truncate_for_message(text)),
                    ));
                    conds.push(Cond::Any);
                }
            }
        }
        let mut out = RowOut::default();
        for ((text, output), name) in r.then.iter().zip(&outputs).zip(&spec.outputs) {
            if let Err(reason) = parse_output(text, *output, vocab, offices, &mut out) {
                let code = match output {
                    Output::TimeLimit => "bad_time_limit",
                    _ if reason.starts_with("unknown") => "unknown_value",
                    _ => "bad_cell",
                };
                problems.push(RuleProblem::new(
                    code,
                    loc(Some(rid), Some(name)),
                    format!("cell `{}`: {reason}", crate::id::truncate_for_message(text)),
                ));
            }
        }
        if out.level == Some(Level::Department) && out.offices.is_empty() {
            problems.push(RuleProblem::new(
                "department_without_office",
                loc(Some(rid), Some("level")),
                "a row that sends a case to `department` level must name the `office` that takes it".to_owned(),
            ));
        }
        let cat_pos = columns.iter().position(|c| *c == Column::Category);
        let checks = conds
            .iter()
            .enumerate()
            .filter(|(i, c)| **c != Cond::Any && Some(*i) != cat_pos)
            .map(|(i, c)| (i, c.clone()))
            .collect();
        rows.push(Row {
            id: r.id.clone(),
            why: r.why.clone(),
            when: r.when.clone(),
            conds,
            checks,
            out,
        });
    }
    if problems.len() > before {
        return None;
    }
    let cat_pos = columns.iter().position(|c| *c == Column::Category);
    let cands = (0..vocab.categories.len())
        .map(|ci| {
            rows.iter()
                .enumerate()
                .filter(|(_, row)| {
                    cat_pos
                        .and_then(|p| row.conds.get(p))
                        .is_none_or(|c| c.test(Fact::Index(ci)))
                })
                .map(|(i, _)| u16::try_from(i).unwrap_or(u16::MAX))
                .collect::<Vec<_>>()
                .into_boxed_slice()
        })
        .collect();
    Some(Table {
        id: spec.id.clone(),
        hit_policy: spec.hit_policy,
        columns,
        inputs: spec.inputs.iter().map(|s| s.trim().to_owned()).collect(),
        outputs,
        rows,
        cands,
    })
}

fn parse_output(
    text: &str,
    output: Output,
    vocab: &Vocab,
    offices: &mut Vec<String>,
    out: &mut RowOut,
) -> Result<(), String> {
    let t = text.trim().replace('，', ",");
    if t.is_empty() || t == "-" {
        return Ok(());
    }
    match output {
        Output::Grade => {
            let i = vocab
                .grades
                .iter()
                .position(|g| *g == t)
                .ok_or_else(|| unknown("grade", &t, vocab.grades.iter().map(String::as_str)))?;
            out.grade = u8::try_from(i).ok();
        }
        Output::Level => {
            out.level = Some(
                t.parse::<Level>()
                    .map_err(|_| unknown("level", &t, Level::ALL.iter().map(|l| l.as_str())))?,
            );
        }
        Output::Role => {
            out.role = Some(
                t.parse::<Role>()
                    .map_err(|_| unknown("role", &t, Role::ALL.iter().map(|r| r.as_str())))?,
            );
        }
        Output::TimeLimit => {
            out.time_limit = Some(t.parse::<TimeLimit>().map_err(|e| e.to_string())?);
        }
        Output::Office => {
            for name in t.split(',').map(str::trim) {
                crate::id::OfficeId::new(name).map_err(|e| e.to_string())?;
                let i = match offices.iter().position(|o| o == name) {
                    Some(i) => i,
                    None => {
                        if offices.len() >= MAX_OFFICES {
                            return Err(format!(
                                "a version's tables may name at most {MAX_OFFICES} offices"
                            ));
                        }
                        offices.push(name.to_owned());
                        offices.len() - 1
                    }
                };
                let i = u8::try_from(i).unwrap_or(u8::MAX);
                if !out.offices.contains(&i) {
                    out.offices.push(i);
                }
            }
        }
        Output::Flags => {
            for name in t.split(',').map(str::trim) {
                let i =
                    vocab.flags.iter().position(|f| f == name).ok_or_else(|| {
                        unknown("flag", name, vocab.flags.iter().map(String::as_str))
                    })?;
                out.flags |= 1u64 << i;
            }
        }
    }
    Ok(())
}

/// "unknown level `x`; valid levels: …".
fn unknown<'a>(what: &str, value: &str, valid: impl Iterator<Item = &'a str>) -> String {
    format!(
        "unknown {what} `{}`; valid {what}s: {}",
        crate::id::truncate_for_message(value),
        valid.collect::<Vec<_>>().join(", ")
    )
}

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
