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

/// Tables of up to this many rows are evaluated by bitset intersection.
pub(crate) const FAST_ROWS: usize = 64;

/// A set of rows of a table of up to [`FAST_ROWS`] rows, as a bitset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowSet(u64);

impl RowSet {
    const EMPTY: RowSet = RowSet(0);

    fn all(n: usize) -> Self {
        let mut s = Self::EMPTY;
        for i in 0..n.min(FAST_ROWS) {
            s.insert(i);
        }
        s
    }

    #[inline]
    fn insert(&mut self, i: usize) {
        if i < 64 {
            self.0 |= 1 << i;
        }
    }

    #[inline]
    fn and(self, o: Self) -> Self {
        Self(self.0 & o.0)
    }

    /// `self`, with `row` added when `cond` holds, without a branch.
    #[inline]
    fn or_if(self, row: Self, cond: bool) -> Self {
        Self(self.0 | (row.0 & 0u64.wrapping_sub(u64::from(cond))))
    }

    #[inline]
    fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of rows in the set.
    #[inline]
    fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Removes and returns the lowest row.
    #[inline]
    fn pop_first(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(b)
    }
}

/// The rows of a table that match a case, lowest first.
#[derive(Debug)]
pub(crate) enum Matches<'t> {
    /// From the bitset index.
    Fast(RowSet),
    /// Row by row, over the candidates of the case's category (tables above
    /// [`FAST_ROWS`] rows).
    Slow {
        table: &'t Table,
        facts: &'t Facts<'t>,
        cands: &'t [u16],
    },
}

impl Matches<'_> {
    /// Whether more than one row matches (consumes nothing).
    pub(crate) fn several(&self) -> bool {
        match self {
            Matches::Fast(set) => set.len() > 1,
            Matches::Slow {
                table,
                facts,
                cands,
            } => {
                cands
                    .iter()
                    .filter(|&&r| {
                        table
                            .rows
                            .get(usize::from(r))
                            .is_some_and(|row| table.row_matches(row, facts))
                    })
                    .take(2)
                    .count()
                    > 1
            }
        }
    }
}

impl Iterator for Matches<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Matches::Fast(set) => set.pop_first(),
            Matches::Slow {
                table,
                facts,
                cands,
            } => {
                while let Some((&r, rest)) = cands.split_first() {
                    *cands = rest;
                    let r = usize::from(r);
                    if table
                        .rows
                        .get(r)
                        .is_some_and(|row| table.row_matches(row, facts))
                    {
                        return Some(r);
                    }
                }
                None
            }
        }
    }
}

/// How one column narrows the rows, when it is not part of the product lookup.
#[derive(Clone, Debug)]
enum ColumnIndex {
    /// Index facts: the rows admitting each value; `other` for a missing or unknown value.
    ByIndex { masks: Box<[RowSet]>, other: RowSet },
    /// Number facts: `masks[i]` holds for values in `[bounds[i-1], bounds[i])`.
    ByRange {
        bounds: Box<[i64]>,
        masks: Box<[RowSet]>,
        missing: RowSet,
    },
    /// Set facts (risk flags, multi-value attributes) whose cells all fit one word: rows
    /// with `-` always pass; each other row is one mask test, without branches.
    Masks {
        any: RowSet,
        has_any: Box<[(RowSet, u64)]>,
        has_none: Box<[(RowSet, u64)]>,
    },
    /// Set and text facts: rows with `-` always pass, the others are tested one by one.
    PerRow {
        any: RowSet,
        tests: Box<[(usize, Cond)]>,
    },
}

/// How a column of the product lookup splits its facts into parts.
#[derive(Clone, Debug)]
enum Dim {
    /// Index facts: part `i` for value `i`, part `n` for a missing or unknown value.
    Index { n: usize },
    /// Number facts: part `i` for values in `[bounds[i-1], bounds[i])`, the last part for
    /// a missing value.
    Range { bounds: Box<[i64]> },
}

impl Dim {
    fn parts(&self) -> usize {
        match self {
            Dim::Index { n } => n + 1,
            Dim::Range { bounds } => bounds.len() + 2,
        }
    }

    /// The part of a value.
    #[inline]
    fn part(&self, value: i64, missing: bool) -> usize {
        match self {
            Dim::Index { n } => {
                if missing {
                    *n
                } else {
                    usize::try_from(value).map_or(*n, |i| i.min(*n))
                }
            }
            // Bounds are few: a branchless count beats a binary search.
            Dim::Range { bounds } => {
                if missing {
                    bounds.len() + 1
                } else {
                    bounds.iter().filter(|b| **b <= value).count()
                }
            }
        }
    }

    /// A fact that falls in part `p`.
    fn representative(&self, p: usize) -> Fact<'static> {
        match self {
            Dim::Index { n } if p < *n => Fact::Index(p),
            Dim::Index { .. } => Fact::Missing,
            Dim::Range { bounds } => match p {
                0 => Fact::Int(i64::MIN),
                p if p <= bounds.len() => Fact::Int(bounds.get(p - 1).copied().unwrap_or(i64::MIN)),
                _ => Fact::Missing,
            },
        }
    }
}

/// The per-row index of a set or text column: branchless mask tests when every cell is a
/// one-word set test, else the conditions themselves.
fn per_row(conds: &[&Cond], any: RowSet) -> ColumnIndex {
    let mut has_any = Vec::new();
    let mut has_none = Vec::new();
    let mut simple = true;
    for (ri, c) in conds.iter().enumerate() {
        let mut row = RowSet::EMPTY;
        row.insert(ri);
        match c {
            Cond::Any => {}
            Cond::HasAny(b) if b.words() == 1 => has_any.push((row, b.word())),
            Cond::HasNone(b) if b.words() == 1 => has_none.push((row, b.word())),
            _ => simple = false,
        }
    }
    if simple {
        return ColumnIndex::Masks {
            any,
            has_any: has_any.into_boxed_slice(),
            has_none: has_none.into_boxed_slice(),
        };
    }
    ColumnIndex::PerRow {
        any,
        tests: conds
            .iter()
            .enumerate()
            .filter(|(_, c)| ***c != Cond::Any)
            .map(|(ri, c)| (ri, (*c).clone()))
            .collect(),
    }
}

/// The largest product lookup built for a table, in cells.
const MAX_CELLS: usize = 8192;

/// The compiled form of a table of up to [`FAST_ROWS`] rows: the index and number columns
/// are combined into one lookup whose cells hold the rows that admit every fact in them;
/// the other columns narrow that set one by one. A case's matching rows are one lookup
/// and a few bit operations away.
#[derive(Clone, Debug)]
struct FastIndex {
    all: RowSet,
    /// The product lookup: for each of its columns, the value position of its fact, its
    /// stride in `cells` and how it splits facts; then the cells.
    dims: Box<[(u8, usize, Dim)]>,
    cells: Box<[RowSet]>,
    /// When no column is left outside the product: the first matching row of each cell
    /// plus one (0 for none), for `first` and `unique` tables.
    first: Option<Box<[u8]>>,
    /// The remaining columns: (fact, index, rows that test it).
    columns: Box<[(Column, ColumnIndex, RowSet)]>,
}

impl FastIndex {
    fn build(
        columns: &[Column],
        kinds: &[ColumnKind],
        rows: &[Row],
        preloaded: &[usize],
    ) -> Option<Self> {
        if rows.len() > FAST_ROWS {
            return None;
        }
        let all = RowSet::all(rows.len());
        // Every narrowing column, with how it splits facts.
        let mut candidates: Vec<(usize, Column, Dim)> = Vec::new();
        let mut rest = Vec::new();
        for (ci, (&col, kind)) in columns.iter().zip(kinds).enumerate() {
            let conds: Vec<&Cond> = rows.iter().filter_map(|r| r.conds.get(ci)).collect();
            let mut any = RowSet::EMPTY;
            let mut tested = RowSet::EMPTY;
            for (ri, c) in conds.iter().enumerate() {
                if **c == Cond::Any {
                    any.insert(ri);
                } else {
                    tested.insert(ri);
                }
            }
            if tested.is_empty() {
                continue;
            }
            let in_product = col.value_pos(preloaded).is_some();
            match kind {
                ColumnKind::Choice(names) if in_product => {
                    candidates.push((ci, col, Dim::Index { n: names.len() }));
                }
                ColumnKind::Number { .. } | ColumnKind::DateTime if in_product => {
                    let mut bounds: Vec<i64> = Vec::new();
                    for c in &conds {
                        if let Cond::Ranges(rs) = c {
                            for &(lo, hi) in rs.iter() {
                                bounds.push(lo);
                                if hi < i64::MAX {
                                    bounds.push(hi + 1);
                                }
                            }
                        }
                    }
                    bounds.sort_unstable();
                    bounds.dedup();
                    candidates.push((
                        ci,
                        col,
                        Dim::Range {
                            bounds: bounds.into_boxed_slice(),
                        },
                    ));
                }
                _ => rest.push((col, per_row(&conds, any), tested)),
            }
        }
        // The smallest columns join the product while it stays small; the others are
        // intersected one by one.
        candidates.sort_by_key(|(_, _, d)| d.parts());
        let mut dims: Vec<(usize, Column, Dim)> = Vec::new();
        let mut cells_n = 1usize;
        for (ci, col, dim) in candidates {
            let grown = cells_n.saturating_mul(dim.parts());
            if grown <= MAX_CELLS {
                cells_n = grown;
                dims.push((ci, col, dim));
            } else {
                let conds: Vec<&Cond> = rows.iter().filter_map(|r| r.conds.get(ci)).collect();
                let mask_for = |fact: Fact<'_>| {
                    let mut m = RowSet::EMPTY;
                    for (ri, c) in conds.iter().enumerate() {
                        if c.test(fact) {
                            m.insert(ri);
                        }
                    }
                    m
                };
                let mut tested = RowSet::EMPTY;
                for (ri, c) in conds.iter().enumerate() {
                    if **c != Cond::Any {
                        tested.insert(ri);
                    }
                }
                let any = mask_for(Fact::Missing);
                let index = match &dim {
                    Dim::Index { n } => ColumnIndex::ByIndex {
                        masks: (0..*n).map(|i| mask_for(Fact::Index(i))).collect(),
                        other: any,
                    },
                    Dim::Range { bounds } => {
                        let mut masks = vec![mask_for(Fact::Int(i64::MIN))];
                        masks.extend(bounds.iter().map(|&b| mask_for(Fact::Int(b))));
                        ColumnIndex::ByRange {
                            bounds: bounds.clone(),
                            masks: masks.into_boxed_slice(),
                            missing: any,
                        }
                    }
                };
                rest.insert(0, (col, index, tested));
            }
        }
        // Fill the product: for each cell, the rows whose cells in those columns admit a
        // representative fact of each part.
        let mut cells = vec![all; cells_n];
        let mut stride = 1usize;
        for (ci, _, dim) in &dims {
            let parts = dim.parts();
            for (cell, slot) in cells.iter_mut().enumerate() {
                let p = (cell / stride) % parts;
                let fact = dim.representative(p);
                let mut m = RowSet::EMPTY;
                for (ri, row) in rows.iter().enumerate() {
                    if row.conds.get(*ci).is_some_and(|c| c.test(fact)) {
                        m.insert(ri);
                    }
                }
                *slot = slot.and(m);
            }
            stride *= parts;
        }
        // Text columns (a string comparison) go last.
        rest.sort_by_key(|(_, index, _)| match index {
            ColumnIndex::PerRow { tests, .. } => {
                u8::from(tests.iter().any(|(_, c)| matches!(c, Cond::Text { .. }))) + 2
            }
            ColumnIndex::Masks { .. } => 1,
            _ => 0,
        });
        let mut stride = 1usize;
        let dims = dims
            .into_iter()
            .map(|(_, c, d)| {
                let entry = (c.value_pos(preloaded).unwrap_or(0), stride, d);
                stride *= entry.2.parts();
                entry
            })
            .collect();
        let first = rest.is_empty().then(|| {
            cells
                .iter()
                .map(|c| {
                    let mut c = *c;
                    c.pop_first()
                        .and_then(|r| u8::try_from(r + 1).ok())
                        .unwrap_or(0)
                })
                .collect()
        });
        Some(Self {
            all,
            dims,
            cells: cells.into_boxed_slice(),
            first,
            columns: rest.into_boxed_slice(),
        })
    }

    #[inline]
    fn cell(&self, facts: &Facts<'_>) -> usize {
        let mut cell = 0usize;
        for (pos, stride, dim) in self.dims.iter() {
            let pos = usize::from(*pos);
            let value = facts.vals.get(pos).copied().unwrap_or(0);
            cell += dim.part(value, facts.missing & (1 << pos) != 0) * stride;
        }
        cell
    }

    /// The first matching row, straight from the product when it covers every column.
    #[inline]
    fn first_match(&self, facts: &Facts<'_>) -> Option<usize> {
        match &self.first {
            Some(first) => first
                .get(self.cell(facts))
                .and_then(|r| usize::from(*r).checked_sub(1)),
            None => self.matching(facts).pop_first(),
        }
    }

    #[inline]
    fn matching(&self, facts: &Facts<'_>) -> RowSet {
        let mut acc = self
            .cells
            .get(self.cell(facts))
            .copied()
            .unwrap_or(self.all);
        for (col, index, tested) in self.columns.iter() {
            if acc.and(*tested).is_empty() {
                continue;
            }
            let fact = facts.fact(*col);
            let m = match (index, fact) {
                (ColumnIndex::ByIndex { masks, other }, Fact::Index(i)) => {
                    masks.get(i).copied().unwrap_or(*other)
                }
                (ColumnIndex::ByIndex { other, .. }, _) => *other,
                (ColumnIndex::ByRange { bounds, masks, .. }, Fact::Int(v)) => {
                    let i = bounds.iter().map(|b| usize::from(*b <= v)).sum::<usize>();
                    masks.get(i).copied().unwrap_or(RowSet::EMPTY)
                }
                (ColumnIndex::ByRange { missing, .. }, _) => *missing,
                (
                    ColumnIndex::Masks {
                        any,
                        has_any,
                        has_none,
                    },
                    Fact::Mask(v),
                ) => {
                    let mut m = *any;
                    for (row, mask) in has_any.iter() {
                        m = m.or_if(*row, v & mask != 0);
                    }
                    for (row, mask) in has_none.iter() {
                        m = m.or_if(*row, v & mask == 0);
                    }
                    m
                }
                (ColumnIndex::Masks { any, .. }, _) => *any,
                (ColumnIndex::PerRow { any, tests }, fact) => {
                    let mut m = *any;
                    for (ri, cond) in tests.iter() {
                        if cond.test(fact) {
                            m.insert(*ri);
                        }
                    }
                    m
                }
            };
            acc = acc.and(m);
            if acc.is_empty() {
                break;
            }
        }
        acc
    }
}

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

    /// Where an index or number fact sits in [`Facts`]' values: the five built-in columns,
    /// then the attributes read ahead (`preloaded`, the version's attribute columns).
    pub(crate) fn value_pos(self, preloaded: &[usize]) -> Option<u8> {
        match self {
            Column::Category => Some(0),
            Column::Channel => Some(1),
            Column::PeopleInvolved => Some(2),
            Column::AmountYuan => Some(3),
            Column::RepeatCount => Some(4),
            Column::Attr(i) => preloaded
                .iter()
                .take(PRELOADED_ATTRS)
                .position(|a| *a == i)
                .and_then(|k| u8::try_from(5 + k).ok()),
            Column::RiskFlags | Column::Community => None,
        }
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
    /// The index and number facts by value position (see [`Column::value_pos`]):
    /// category, channel, people involved, amount in fen, repeat count, then the attributes
    /// read ahead (the ones the version's tables test), so that evaluation does not go back
    /// to the case. A multi-value attribute is held as a bit mask.
    vals: [i64; VALUES],
    pub(crate) risk: u64,
    pub(crate) community: &'a str,
    pub(crate) case: &'a Case,
    pub(crate) vocab: &'a Vocab,
    /// The attributes read ahead, by index (`u16::MAX` for none).
    attr_ids: [u16; PRELOADED_ATTRS],
    /// Value positions whose fact is missing.
    missing: u8,
}

/// How many attribute facts are read ahead when a case is prepared.
pub(crate) const PRELOADED_ATTRS: usize = 2;

/// Value positions: category, channel, people, amount, repeats, then preloaded attributes.
const VALUES: usize = 5 + PRELOADED_ATTRS;

impl<'a> Facts<'a> {
    /// The facts of a case; `attrs` are the attribute indices to read ahead.
    pub(crate) fn new(
        case: &'a Case,
        category: usize,
        community: &'a str,
        risk: u64,
        vocab: &'a Vocab,
        attrs: &[usize],
    ) -> Self {
        let mut vals = [0i64; VALUES];
        vals[0] = i64::try_from(category).unwrap_or(i64::MAX);
        vals[1] = i64::try_from(case.channel.index()).unwrap_or(i64::MAX);
        vals[2] = i64::from(case.people_involved);
        vals[3] = case.amount_yuan.hundredths();
        vals[4] = i64::from(case.repeat_count);
        let mut f = Facts {
            vals,
            risk,
            community,
            case,
            vocab,
            attr_ids: [u16::MAX; PRELOADED_ATTRS],
            missing: 0,
        };
        for (slot, &a) in attrs.iter().take(PRELOADED_ATTRS).enumerate() {
            let value = match f.lookup_attr(a) {
                Fact::Index(i) => i64::try_from(i).ok(),
                Fact::Int(x) => Some(x),
                Fact::Mask(m) => Some(m as i64),
                // Text attributes are read from the case when a table tests them.
                Fact::Text(_) | Fact::Missing => None,
            };
            let pos = 5 + slot;
            match value {
                Some(v) => {
                    if let (Some(id), Some(val)) = (f.attr_ids.get_mut(slot), f.vals.get_mut(pos)) {
                        *id = u16::try_from(a).unwrap_or(u16::MAX);
                        *val = v;
                    }
                }
                None => {
                    if let Some(id) = f.attr_ids.get_mut(slot) {
                        *id = u16::try_from(a).unwrap_or(u16::MAX);
                    }
                    f.missing |= 1 << pos;
                }
            }
        }
        f
    }

    /// The category index.
    #[inline]
    pub(crate) fn category(&self) -> usize {
        usize::try_from(self.vals[0]).unwrap_or(usize::MAX)
    }

    #[inline]
    pub(crate) fn fact(&self, col: Column) -> Fact<'a> {
        match col {
            Column::Category => Fact::Index(self.category()),
            Column::Channel => Fact::Index(usize::try_from(self.vals[1]).unwrap_or(usize::MAX)),
            Column::PeopleInvolved => Fact::Int(self.vals[2]),
            Column::AmountYuan => Fact::Int(self.vals[3]),
            Column::RepeatCount => Fact::Int(self.vals[4]),
            Column::RiskFlags => Fact::Mask(self.risk),
            Column::Community => Fact::Text(self.community),
            Column::Attr(i) => self.attr(i),
        }
    }

    #[inline]
    fn attr(&self, i: usize) -> Fact<'a> {
        for (slot, id) in self.attr_ids.iter().enumerate() {
            if usize::from(*id) != i {
                continue;
            }
            let pos = 5 + slot;
            if self.missing & (1 << pos) != 0 {
                // Missing, or text: read from the case.
                return self.lookup_attr(i);
            }
            let v = self.vals.get(pos).copied().unwrap_or(0);
            return match self.vocab.attributes.get(i).map(|a| a.datatype) {
                Some(Datatype::Singlevaluelist | Datatype::Boolean) => {
                    Fact::Index(usize::try_from(v).unwrap_or(usize::MAX))
                }
                Some(Datatype::Multivaluelist) => Fact::Mask(v as u64),
                _ => Fact::Int(v),
            };
        }
        self.lookup_attr(i)
    }

    fn lookup_attr(&self, i: usize) -> Fact<'a> {
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
    /// The bitset index, for tables of up to [`FAST_ROWS`] rows.
    fast: Option<FastIndex>,
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
                let facts = Facts::new(&case, category, &community, rules.risk_mask(&case), &rules.vocab, &version.attrs);
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
