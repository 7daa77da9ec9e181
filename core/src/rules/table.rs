//! Compiled decision tables: columns bound to case facts, cells parsed into conditions,
//! rows indexed by category. Evaluation allocates nothing: a table keeps, for each
//! category, the rows whose category cell admits it, and each row keeps only its
//! narrowing cells.

use std::str::FromStr;

use super::cell::{self, ColumnKind, Cond, Fact};
use super::facts::*;
use super::index::*;
use super::spec::{HitPolicy, Output, TableSpec};
use super::{Location, RuleProblem, Vocab};
use crate::calendar::TimeLimit;
use crate::id::RuleId;
use crate::org::{Level, Role};

/// A row's outputs, resolved to indices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowOut {
    pub(crate) grade: Option<u8>,
    pub(crate) level: Option<Level>,
    pub(crate) role: Option<Role>,
    /// The office slots (positions in the version's office names) the row names.
    pub(crate) offices: u64,
    /// The slot of the first office the row names: the lead.
    pub(crate) lead_office: Option<u8>,
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
    pub(super) checks: Box<[(usize, Cond)]>,
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
    pub(super) cands: Vec<Box<[u16]>>,
    /// The bitset index, for tables of up to [`FAST_ROWS`] rows.
    pub(super) fast: Option<FastIndex>,
}

impl Table {
    /// Whether a row matches, given that its category cell already does.
    #[inline]
    pub(super) fn row_matches(&self, row: &Row, facts: &Facts<'_>) -> bool {
        row.checks.iter().all(|(ci, cond)| {
            self.columns
                .get(*ci)
                .is_some_and(|&col| cond.test(facts.fact(col)))
        })
    }

    /// The rows that match, in order (all of them, whatever the hit policy).
    #[inline]
    pub(crate) fn matching<'t>(&'t self, facts: &'t Facts<'t>) -> Matches<'t> {
        match &self.fast {
            Some(fast) => Matches::Fast(fast.matching(facts)),
            None => Matches::Slow {
                table: self,
                facts,
                cands: self.cands.get(facts.category()).map_or(&[], |c| c),
            },
        }
    }

    /// The first row that matches.
    #[inline]
    pub(crate) fn first_match(&self, facts: &Facts<'_>) -> Option<usize> {
        match &self.fast {
            Some(fast) => fast.first_match(facts),
            None => self.matching(facts).next(),
        }
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
    preloaded: &[usize],
    offices: &mut Vec<String>,
    problems: &mut Vec<RuleProblem>,
) -> Option<Table> {
    let loc = |row: Option<&str>, column: Option<&str>| Location {
        version: Some(version.to_owned()),
        table: Some(spec.id.to_string()),
        row: row.map(str::to_owned),
        column: column.map(str::to_owned),
        line: None,
        subject: None,
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
                        crate::text::truncate_for_message(name),
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
                        format!(
                            "cell `{}`: {reason}",
                            crate::text::truncate_for_message(text)
                        ),
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
                    format!(
                        "cell `{}`: {reason}",
                        crate::text::truncate_for_message(text)
                    ),
                ));
            }
        }
        if out.level == Some(Level::Department) && out.lead_office.is_none() {
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
    let fast = FastIndex::build(&columns, &kinds, &rows, preloaded);
    Some(Table {
        id: spec.id.clone(),
        hit_policy: spec.hit_policy,
        columns,
        inputs: spec.inputs.iter().map(|s| s.trim().to_owned()).collect(),
        outputs,
        rows,
        cands,
        fast,
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
                out.lead_office = out.lead_office.or(Some(i));
                out.offices |= 1u64.checked_shl(u32::from(i)).unwrap_or(0);
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
        crate::text::truncate_for_message(value),
        valid.collect::<Vec<_>>().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::rules::RuleSet;

    const COLUMNS: &[&str] = &[
        "category",
        "channel",
        "people_involved",
        "amount_yuan",
        "repeat_count",
        "risk_flags",
        "community",
        "attr.kind",
        "attr.size",
        "attr.tags",
        "attr.note",
        "attr.seen",
    ];

    /// Cell texts per column, `-` among them.
    fn pool(column: &str) -> &'static [&'static str] {
        match column {
            "category" => &["-", "a", "b", "a, c", "not b", "d"],
            "channel" => &["-", "app", "visit, hotline", "not petition"],
            "people_involved" => &[
                "-",
                ">= 5",
                "< 5",
                "[2..6]",
                "(2..6)",
                "!= 3",
                "< 2, >= 10",
                "0",
            ],
            "amount_yuan" => &[
                "-",
                ">= 10000",
                "< 10000",
                "[100.50..200)",
                "> 0",
                "not [1..2]",
            ],
            "repeat_count" => &["-", ">= 2", "0", "1"],
            "risk_flags" => &["-", "x", "x, y", "none", "not y", "not x, z"],
            "community" => &["-", "c1", "c1, c2", "not c2"],
            "attr.kind" => &["-", "p", "q, r", "not p"],
            "attr.size" => &["-", ">= 3", "< 3.5", "[1..2]"],
            "attr.tags" => &["-", "t1", "t1, t2", "none", "not t2"],
            "attr.note" => &["-", "hello", "not hello, bye"],
            "attr.seen" => &[
                "-",
                ">= 2026-01-01T00:00:00+08:00",
                "< 2025-06-01T00:00:00Z",
            ],
            _ => &["-"],
        }
    }

    fn rule_set(columns: &[usize], cells: &[Vec<usize>]) -> RuleSet {
        let inputs: Vec<&str> = columns.iter().map(|&c| COLUMNS[c]).collect();
        let rows: Vec<_> = cells
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let when: Vec<&str> = columns
                    .iter()
                    .zip(row)
                    .map(|(&c, &k)| {
                        let p = pool(COLUMNS[c]);
                        p[k % p.len()]
                    })
                    .collect();
                json!({"id": format!("r{i}"), "when": when, "then": ["grid", "1 working day"], "why": "test row"})
            })
            .collect();
        let doc = json!({
            "format": 1, "name": "p",
            "categories": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}],
            "grades": [{"id": "g"}],
            "risk_flags": [{"id": "x"}, {"id": "y"}, {"id": "z"}],
            "attributes": [
                {"code": "kind", "datatype": "singlevaluelist", "values": ["p", "q", "r"]},
                {"code": "size", "datatype": "number"},
                {"code": "tags", "datatype": "multivaluelist", "values": ["t1", "t2"]},
                {"code": "note", "datatype": "string"},
                {"code": "seen", "datatype": "datetime"}
            ],
            "versions": [{"name": "v", "effective_from": "2020-01-01", "tables": [{
                "id": "t", "hit_policy": "collect", "inputs": inputs, "outputs": ["level", "time_limit"], "rows": rows
            }]}]
        });
        RuleSet::from_json_str(&doc.to_string()).unwrap()
    }

    fn case(seed: u64) -> (crate::case::Case, String) {
        let mut r = crate::rng::SplitMix64::new(seed);
        let pick = |r: &mut crate::rng::SplitMix64, items: &[&str]| {
            items[r.below(items.len() as u64) as usize].to_owned()
        };
        let mut attrs = serde_json::Map::new();
        if r.chance(700) {
            attrs.insert("kind".into(), json!(pick(&mut r, &["p", "q", "r"])));
        }
        if r.chance(700) {
            attrs.insert(
                "size".into(),
                json!(pick(&mut r, &["0", "1", "2", "3", "3.49", "3.5", "10"])),
            );
        }
        if r.chance(700) {
            let tags: Vec<String> = ["t1", "t2"]
                .iter()
                .filter(|_| r.chance(500))
                .map(|s| (*s).to_owned())
                .collect();
            attrs.insert("tags".into(), json!(tags));
        }
        if r.chance(700) {
            attrs.insert(
                "note".into(),
                json!(pick(&mut r, &["hello", "bye", "other"])),
            );
        }
        if r.chance(700) {
            attrs.insert(
                "seen".into(),
                json!(pick(
                    &mut r,
                    &[
                        "2025-05-31T16:00:00Z",
                        "2025-05-31T15:59:59Z",
                        "2025-12-31T16:00:00Z",
                        "2025-12-31T15:59:59Z"
                    ]
                )),
            );
        }
        let flags: Vec<&str> = ["x", "y", "z"]
            .into_iter()
            .filter(|_| r.chance(300))
            .collect();
        let c = json!({
            "id": "k", "channel": pick(&mut r, &["visit", "app", "hotline", "petition", "walk_in", "lawyer_desk"]),
            "category": pick(&mut r, &["a", "b", "c", "d"]), "location": "m",
            "people_involved": r.below(12), "amount_yuan": pick(&mut r, &["0", "0.01", "1", "2", "100.49", "100.50", "199.99", "200", "9999.99", "10000"]),
            "repeat_count": r.below(4), "risk_flags": flags, "attributes": attrs,
            "reported_at": "2026-03-02T09:00:00+08:00"
        });
        let community = pick(&mut r, &["c1", "c2", "c3"]);
        (
            crate::case::Case::from_json_str(&c.to_string()).unwrap(),
            community,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The product index, the row-by-row path and the definition (every cell tests
        /// its fact, read straight from the case) find the same rows.
        #[test]
        fn fast_slow_and_brute_force_agree(
            columns in proptest::sample::subsequence((0..COLUMNS.len()).collect::<Vec<_>>(), 1..=COLUMNS.len()),
            cells in proptest::collection::vec(proptest::collection::vec(0usize..16, COLUMNS.len()), 1..90),
            seeds in proptest::collection::vec(any::<u64>(), 40),
        ) {
            let rules = rule_set(&columns, &cells);
            let version = &rules.versions[0];
            let table = &version.tables[0];
            let mut slow = table.clone();
            slow.fast = None;
            for seed in seeds {
                let (case, community) = case(seed);
                rules.check_case(&case).unwrap();
                let category = rules.category_index(case.category.as_str()).unwrap();
                let channel = rules.channel_index(case.channel.as_str()).unwrap();
                let facts = Facts::new(crate::rules::facts::CaseFacts::of(&case), (category, channel), &community, rules.risk_mask(&case), &rules.vocab, &version.attrs);
                let brute: Vec<usize> = table.rows.iter().enumerate().filter(|(_, row)| {
                    table.columns.iter().zip(&row.conds).all(|(&col, cond)| {
                        let fact = match col {
                            Column::Attr(i) => facts.lookup_attr(i),
                            other => facts.fact(other),
                        };
                        cond.test(fact)
                    })
                }).map(|(i, _)| i).collect();
                let fast: Vec<usize> = table.matching(&facts).collect();
                let rows_slow: Vec<usize> = slow.matching(&facts).collect();
                prop_assert_eq!(&fast, &brute);
                prop_assert_eq!(&rows_slow, &brute);
                prop_assert_eq!(table.first_match(&facts), brute.first().copied());
                prop_assert_eq!(slow.first_match(&facts), brute.first().copied());
            }
        }
    }
}
