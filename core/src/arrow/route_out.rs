//! The columns of a routed table written from decisions held as indices ([`Routed`]):
//! every repetitive column is an Arrow dictionary. Units, people and offices are keys
//! into the engine's own tables ([`Tables`], built once per engine); versions, grades,
//! levels, time limits and rule rows are keyed from their indices, each text copied once
//! per part. No text is hashed per row.

use std::sync::Arc;

use arrow_array::builder::{Int32Builder, ListBuilder, StringBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, RecordBatch};
use arrow_schema::{ArrowError, SchemaRef};

use super::cols::finish;
use crate::calendar::TimeLimit;
use crate::engine::Engine;
use crate::error::Error;
use crate::route::Routed;

/// Key meaning "not seen yet" in [`Keyed::slot`].
const UNSEEN: i32 = -1;

/// A dictionary column keyed by dense ids (an index of the rule set's versions, grades,
/// tables or rows): the key of a row is found from its id, and each id's text is appended
/// to the values once, the first time the id is seen.
struct Keyed {
    /// Key by id, [`UNSEEN`] for an id not seen yet.
    slot: Vec<i32>,
    values: StringBuilder,
    keys: Int32Builder,
}

impl Keyed {
    fn new(rows: usize) -> Self {
        Self {
            slot: Vec::new(),
            values: StringBuilder::new(),
            keys: Int32Builder::with_capacity(rows),
        }
    }

    /// Appends the key of id `id` (`None`: a null), with `text` giving its value the
    /// first time it is seen.
    #[inline(always)]
    fn push<'t>(&mut self, id: Option<usize>, text: impl FnOnce() -> &'t str) {
        let Some(id) = id else {
            self.keys.append_null();
            return;
        };
        if id >= self.slot.len() {
            self.slot.resize(id + 1, UNSEEN);
        }
        let Some(slot) = self.slot.get_mut(id) else {
            self.keys.append_null();
            return;
        };
        if *slot == UNSEEN {
            self.values.append_value(text());
            let len = arrow_array::builder::ArrayBuilder::len(&self.values);
            *slot = i32::try_from(len).unwrap_or(i32::MAX) - 1;
        }
        self.keys.append_value(*slot);
    }

    /// The dictionary column.
    fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        let values: ArrayRef = Arc::new(self.values.finish());
        Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
            self.keys.finish(),
            values,
        )?))
    }
}

/// The engine's units, people and offices as the values of the routed table's
/// dictionaries, built once per engine and shared by every call: a row's key is the
/// index itself, so routing a row reads no text of the organisation.
pub(super) struct Tables {
    /// Unit ids, by key.
    units: ArrayRef,
    /// Distinct unit names, and each unit's (by key).
    unit_names: ArrayRef,
    unit_name_of: Vec<i32>,
    /// Person ids, by index.
    people: ArrayRef,
    /// Distinct roles, and each person's (by index).
    roles: ArrayRef,
    role_of: Vec<i32>,
    /// Office ids, by index.
    offices: ArrayRef,
}

impl Tables {
    /// The tables of `engine`, built the first time they are asked for.
    pub(super) fn of(engine: &Engine) -> Arc<Tables> {
        let any = engine
            .adapter
            .get_or_init(|| Arc::new(Self::build(engine)) as Arc<dyn std::any::Any + Send + Sync>);
        Arc::clone(any)
            .downcast::<Tables>()
            .unwrap_or_else(|_| Arc::new(Self::build(engine)))
    }

    fn build(engine: &Engine) -> Self {
        /// Distinct texts in order of first use, and each item's key into them.
        fn distinct<'t>(items: impl Iterator<Item = &'t str>) -> (ArrayRef, Vec<i32>) {
            let mut seen: rustc_hash::FxHashMap<&str, i32> = rustc_hash::FxHashMap::default();
            let mut values = StringBuilder::new();
            let keys = items
                .map(|t| {
                    let next = i32::try_from(seen.len()).unwrap_or(i32::MAX);
                    *seen.entry(t).or_insert_with(|| {
                        values.append_value(t);
                        next
                    })
                })
                .collect();
            (finish(values), keys)
        }
        fn text<'t>(values: impl Iterator<Item = &'t str>) -> ArrayRef {
            Arc::new(values.map(Some).collect::<arrow_array::StringArray>())
        }
        let spec = engine.org.spec();
        let (unit_names, unit_name_of) = distinct(spec.units.iter().map(|u| u.name.as_str()));
        let (roles, role_of) = distinct(spec.people.iter().map(|p| p.role.as_str()));
        Self {
            units: text(spec.units.iter().map(|u| u.id.as_str())),
            unit_names,
            unit_name_of,
            people: text(spec.people.iter().map(|p| p.id.as_str())),
            roles,
            role_of,
            offices: text(spec.offices.iter().map(|o| o.id.as_str())),
        }
    }
}

/// Keys into one of the engine's [`Tables`].
struct Direct {
    keys: Int32Builder,
}

impl Direct {
    fn new(rows: usize) -> Self {
        Self {
            keys: Int32Builder::with_capacity(rows),
        }
    }

    #[inline(always)]
    fn push(&mut self, key: Option<i32>) {
        self.keys.append_option(key);
    }

    fn finish(mut self, values: &ArrayRef) -> Result<ArrayRef, ArrowError> {
        Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
            self.keys.finish(),
            Arc::clone(values),
        )?))
    }

    /// This column, and the column of its keys mapped through `to` (null where a key is
    /// null or past `to`) into `other`: the keys of a column that follows from this one
    /// (a unit's name, a person's role), read in one pass at the end rather than one
    /// row at a time, where each read waited on a scattered address after the rest of
    /// the row's work (a tenth of a row's time in the 100-times city).
    fn finish_with(
        mut self,
        values: &ArrayRef,
        to: &[i32],
        other: &ArrayRef,
    ) -> Result<(ArrayRef, ArrayRef), ArrowError> {
        let keys = self.keys.finish();
        let mapped: arrow_array::Int32Array =
            keys.unary_opt(|k| usize::try_from(k).ok().and_then(|k| to.get(k).copied()));
        let derived = Arc::new(DictionaryArray::<Int32Type>::try_new(
            mapped,
            Arc::clone(other),
        )?);
        let own = Arc::new(DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::clone(values),
        )?);
        Ok((own, derived))
    }
}

/// The builders of one part of a routed table, but for its `case` column: one per
/// column of [`DECISION_COLUMNS`](crate::batch::DECISION_COLUMNS).
pub(super) struct RoutedOut<'e> {
    engine: &'e Engine,
    tables: Arc<Tables>,
    version: Keyed,
    grade: Keyed,
    level: Keyed,
    /// Units, and through them (at the end) their names.
    unit: Direct,
    office: Direct,
    co_offices: ListBuilder<StringBuilder>,
    /// First handlers, and through them (at the end) their roles.
    handler: Direct,
    time_limit: Keyed,
    /// The time limits seen, by dense id, with their text.
    limits: Vec<(TimeLimit, String)>,
    /// Deadlines in seconds (null on a row not routed): values and validity written
    /// straight into the column's buffers.
    due: arrow_array::builder::TimestampSecondBuilder,
    flags: ListBuilder<StringBuilder>,
    rule_table: Keyed,
    rule_row: Keyed,
    /// The first table's and row's dense ids in each version: rows are numbered across
    /// the rule set's versions and tables.
    table_base: Vec<usize>,
    row_base: Vec<Vec<usize>>,
    /// The rows appended so far.
    rows: usize,
    /// The error codes seen, in order of first use (a code's key in `error_code`).
    codes: Vec<&'static str>,
    /// The rows that could not be routed, each with its code's key and its message: the
    /// `error_code` and `error` columns are null elsewhere, and are written at the end
    /// rather than a null at a time on every routed row.
    failed: Vec<(usize, i32, String)>,
}

impl<'e> RoutedOut<'e> {
    /// Builders sized for `rows` rows.
    pub(super) fn with_capacity(rows: usize, engine: &'e Engine) -> Self {
        let list = || ListBuilder::with_capacity(StringBuilder::new(), rows);
        let versions = &engine.rules.versions;
        let mut table_base = Vec::with_capacity(versions.len());
        let mut row_base = Vec::with_capacity(versions.len());
        let (mut tables, mut rows_seen) = (0usize, 0usize);
        for v in versions {
            table_base.push(tables);
            tables += v.tables.len();
            row_base.push(
                v.tables
                    .iter()
                    .map(|t| {
                        let base = rows_seen;
                        rows_seen += t.rows.len();
                        base
                    })
                    .collect(),
            );
        }
        Self {
            engine,
            tables: Tables::of(engine),
            version: Keyed::new(rows),
            grade: Keyed::new(rows),
            level: Keyed::new(rows),
            unit: Direct::new(rows),
            office: Direct::new(rows),
            co_offices: list(),
            handler: Direct::new(rows),
            time_limit: Keyed::new(rows),
            limits: Vec::new(),
            due: arrow_array::builder::TimestampSecondBuilder::with_capacity(rows),
            flags: list(),
            rule_table: Keyed::new(rows),
            rule_row: Keyed::new(rows),
            table_base,
            row_base,
            rows: 0,
            codes: Vec::new(),
            failed: Vec::new(),
        }
    }

    /// Appends a decision.
    #[inline(always)]
    pub(super) fn decision(&mut self, r: &Routed) {
        let engine = self.engine;
        let rules = &engine.rules;
        let org = &engine.org;
        let v = r.verdict.version;
        let version = rules.versions.get(v);
        self.version
            .push(Some(v), || version.map_or("", |v| v.name.as_str()));
        let grade = r
            .verdict
            .grade
            .map(usize::from)
            .filter(|g| *g < rules.vocab.grades.len());
        self.grade.push(grade, || {
            grade
                .and_then(|g| rules.vocab.grades.get(g))
                .map_or("", String::as_str)
        });
        let level = r.verdict.level;
        self.level.push(Some(level.rank()), || level.as_str());
        // Units, people and offices are keys into the engine's own tables.
        let key = |i: usize| i32::try_from(i).ok();
        let unit = r.unit.map(crate::org::UnitKey::index);
        self.unit.push(unit.and_then(key));
        self.office.push(r.office.and_then(|o| key(o as usize)));
        if r.verdict.co_offices != 0 {
            for o in engine.co_office_indices(r) {
                if let Some(s) = org.office_at(o) {
                    self.co_offices.values().append_value(s.id.as_str());
                }
            }
        }
        self.co_offices.append(true);
        self.handler.push(r.handler.and_then(|p| key(p as usize)));
        let limit = r.verdict.time_limit;
        let id = match self.limits.iter().position(|(l, _)| *l == limit) {
            Some(i) => i,
            None => {
                self.limits.push((limit, limit.to_string()));
                self.limits.len() - 1
            }
        };
        let limits = &self.limits;
        self.time_limit
            .push(Some(id), || limits.get(id).map_or("", |(_, t)| t.as_str()));
        self.due.append_value(r.due.unix());
        let mut flags = r.verdict.flags;
        while flags != 0 {
            let bit = flags.trailing_zeros() as usize;
            flags &= flags - 1;
            if let Some(f) = rules.vocab.flags.get(bit) {
                self.flags.values().append_value(f);
            }
        }
        self.flags.append(true);
        let (t, row) = (usize::from(r.verdict.rule.0), usize::from(r.verdict.rule.1));
        let table = version.and_then(|v| v.tables.get(t));
        let table_id = self.table_base.get(v).map(|b| b + t);
        self.rule_table
            .push(table_id, || table.map_or("", |t| t.id.as_str()));
        let row_id = self.row_base.get(v).and_then(|b| b.get(t)).map(|b| b + row);
        self.rule_row.push(row_id, || {
            table
                .and_then(|t| t.rows.get(row))
                .map_or("", |r| r.id.as_str())
        });
        self.rows += 1;
    }

    /// Appends a row that could not be routed.
    pub(super) fn error(&mut self, e: &Error) {
        for k in [
            &mut self.version,
            &mut self.grade,
            &mut self.level,
            &mut self.time_limit,
            &mut self.rule_table,
            &mut self.rule_row,
        ] {
            k.push(None, || "");
        }
        for d in [&mut self.unit, &mut self.office, &mut self.handler] {
            d.push(None);
        }
        self.co_offices.append_null();
        self.due.append_null();
        self.flags.append_null();
        let code = e.code();
        let id = match self.codes.iter().position(|c| *c == code) {
            Some(i) => i,
            None => {
                self.codes.push(code);
                self.codes.len() - 1
            }
        };
        let key = i32::try_from(id).unwrap_or(i32::MAX);
        self.failed.push((self.rows, key, e.to_string()));
        self.rows += 1;
    }

    /// The `error_code` and `error` columns: null but on the rows that failed.
    fn errors(&self) -> Result<(ArrayRef, ArrayRef), ArrowError> {
        let mut keys = Int32Builder::with_capacity(self.rows);
        let bytes = self.failed.iter().map(|(_, _, m)| m.len()).sum();
        let mut text = StringBuilder::with_capacity(self.rows, bytes);
        let mut next = 0;
        for (row, key, message) in &self.failed {
            let gap = row.saturating_sub(next);
            keys.append_nulls(gap);
            text.append_nulls(gap);
            keys.append_value(*key);
            text.append_value(message);
            next = row + 1;
        }
        let gap = self.rows.saturating_sub(next);
        keys.append_nulls(gap);
        text.append_nulls(gap);
        let codes: ArrayRef = Arc::new(
            self.codes
                .iter()
                .map(|c| Some(*c))
                .collect::<arrow_array::StringArray>(),
        );
        let error_code = Arc::new(DictionaryArray::<Int32Type>::try_new(keys.finish(), codes)?);
        Ok((error_code, finish(text)))
    }

    /// The columns in the order of [`DECISION_COLUMNS`](crate::batch::DECISION_COLUMNS),
    /// with `case` given.
    pub(super) fn finish(
        mut self,
        case: ArrayRef,
        schema: &SchemaRef,
    ) -> Result<RecordBatch, ArrowError> {
        let (error_code, error) = self.errors()?;
        let version = self.version.finish()?;
        let grade = self.grade.finish()?;
        let level = self.level.finish()?;
        let t = &self.tables;
        let (unit, unit_name) = self
            .unit
            .finish_with(&t.units, &t.unit_name_of, &t.unit_names)?;
        let office = self.office.finish(&t.offices)?;
        let (handler, handler_role) = self.handler.finish_with(&t.people, &t.role_of, &t.roles)?;
        let time_limit = self.time_limit.finish()?;
        let rule_table = self.rule_table.finish()?;
        let rule_row = self.rule_row.finish()?;
        let zone = self.engine.calendar().zone().to_string();
        let due: ArrayRef = Arc::new(self.due.finish().with_timezone(zone));
        let cols: Vec<ArrayRef> = vec![
            case,
            version,
            grade,
            level,
            unit,
            unit_name,
            office,
            finish(self.co_offices),
            handler,
            handler_role,
            time_limit,
            due,
            finish(self.flags),
            rule_table,
            rule_row,
            error_code,
            error,
        ];
        RecordBatch::try_new(Arc::clone(schema), cols)
    }
}
