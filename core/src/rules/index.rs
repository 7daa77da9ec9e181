//! The row index of a decision table: for each column, which rows admit a case's value,
//! as bitsets for tables of up to 64 rows, so that the first matching row is found by
//! intersecting a few words.

use super::cell::{ColumnKind, Cond, Fact};
use super::facts::*;
use super::table::*;

/// Tables of up to this many rows are evaluated by bitset intersection.
pub(crate) const FAST_ROWS: usize = 64;

/// A set of rows of a table of up to [`FAST_ROWS`] rows, as a bitset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowSet(u64);

impl RowSet {
    const EMPTY: RowSet = RowSet(0);

    pub(super) fn all(n: usize) -> Self {
        let mut s = Self::EMPTY;
        for i in 0..n.min(FAST_ROWS) {
            s.insert(i);
        }
        s
    }

    #[inline]
    pub(super) fn insert(&mut self, i: usize) {
        if i < 64 {
            self.0 |= 1 << i;
        }
    }

    #[inline]
    pub(super) fn and(self, o: Self) -> Self {
        Self(self.0 & o.0)
    }

    /// `self`, with `row` added when `cond` holds, without a branch.
    #[inline]
    pub(super) fn or_if(self, row: Self, cond: bool) -> Self {
        Self(self.0 | (row.0 & 0u64.wrapping_sub(u64::from(cond))))
    }

    #[inline]
    pub(super) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of rows in the set.
    #[inline]
    pub(super) fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Removes and returns the lowest row.
    #[inline]
    pub(super) fn pop_first(&mut self) -> Option<usize> {
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
pub(super) enum ColumnIndex {
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
pub(super) enum Dim {
    /// Index facts: part `i` for value `i`, part `n` for a missing or unknown value.
    Index { n: usize },
    /// Number facts: part `i` for values in `[bounds[i-1], bounds[i])`, the last part for
    /// a missing value.
    Range { bounds: Box<[i64]> },
}

impl Dim {
    pub(super) fn parts(&self) -> usize {
        match self {
            Dim::Index { n } => n + 1,
            Dim::Range { bounds } => bounds.len() + 2,
        }
    }

    /// The part of a value.
    #[inline]
    pub(super) fn part(&self, value: i64, missing: bool) -> usize {
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
    pub(super) fn representative(&self, p: usize) -> Fact<'static> {
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
pub(super) fn per_row(conds: &[&Cond], any: RowSet) -> ColumnIndex {
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
pub(super) const MAX_CELLS: usize = 8192;

/// The compiled form of a table of up to [`FAST_ROWS`] rows: the index and number columns
/// are combined into one lookup whose cells hold the rows that admit every fact in them;
/// the other columns narrow that set one by one. A case's matching rows are one lookup
/// and a few bit operations away.
#[derive(Clone, Debug)]
pub(super) struct FastIndex {
    pub(super) all: RowSet,
    /// The product lookup: for each of its columns, the value position of its fact, its
    /// stride in `cells` and how it splits facts; then the cells.
    pub(super) dims: Box<[(u8, usize, Dim)]>,
    pub(super) cells: Box<[RowSet]>,
    /// When no column is left outside the product: the first matching row of each cell
    /// plus one (0 for none), for `first` and `unique` tables.
    pub(super) first: Option<Box<[u8]>>,
    /// The remaining columns: (fact, index, rows that test it).
    pub(super) columns: Box<[(Column, ColumnIndex, RowSet)]>,
}

impl FastIndex {
    pub(super) fn build(
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
    pub(super) fn cell(&self, facts: &Facts<'_>) -> usize {
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
    pub(super) fn first_match(&self, facts: &Facts<'_>) -> Option<usize> {
        match &self.first {
            Some(first) => first
                .get(self.cell(facts))
                .and_then(|r| usize::from(*r).checked_sub(1)),
            None => self.matching(facts).pop_first(),
        }
    }

    #[inline]
    pub(super) fn matching(&self, facts: &Facts<'_>) -> RowSet {
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
