//! The cases of a table read straight from its columns, without a [`Case`](crate::Case)
//! per row: each category, channel, location, set of risk flags and attributes text is
//! resolved once per distinct value (once per dictionary entry for an Arrow dictionary
//! column, pandas categorical or polars `Categorical`; once per text through a per-part
//! cache for a plain string column), numbers and typed timestamps are read as they are,
//! and the engine decides from the facts.
//!
//! A row this reader cannot take whole (a missing or unknown value, an attribute of the
//! wrong type, a deadline off the calendar…) is left to the row reader, which builds its
//! `Case` and routes it or names what is wrong: the two readers give the same decision
//! for every row (tested in `route_columns_equal_rows`).

use rustc_hash::FxHashMap;

use super::cols::{Col, Names};
use crate::batch::Reported;
use crate::case::long_texts;
use crate::engine::Engine;
use crate::id::CaseId;
use crate::lean::{place, risk_bit};
use crate::org::{UnitKey, UnitRow};
use crate::route::Routed;
use crate::rules::facts::{Attributes, CaseFacts, NO_ATTRIBUTES};
use crate::time::{Timestamp, Zone};

/// A location resolved: its key, the units over it and their holders, and its
/// community's id; read once per distinct location, so that a row touches one entry.
pub(super) type Place<'e> = (UnitKey, UnitRow, &'e str);

/// A category resolved: its position in the vocabulary and whether a case of it may come
/// without attributes (it requires none).
type CategoryAt = Option<(usize, bool)>;

/// The reader of one part of a table: the columns and what was resolved of them.
pub(super) struct RouteCells<'c, 'a, 'e> {
    engine: &'e Engine,
    local: Zone,
    cols: &'c [Col<'a>],
    channel: Names<'c, 'a, Option<usize>>,
    category: Names<'c, 'a, CategoryAt>,
    /// Locations, as positions in `places` (`u32::MAX`: not a case's location).
    location: Names<'c, 'a, u32>,
    places: Vec<Place<'e>>,
    risk: Names<'c, 'a, Option<u64>>,
    /// Attributes texts read, by position in `parsed` (`None`: not an object of values).
    attributes: Names<'c, 'a, Option<usize>>,
    parsed: Vec<Attributes>,
    /// Whether every id of the rows being routed is valid (see [`ids_valid`]), so that
    /// no row's is checked or read.
    ids_valid: bool,
    /// Whether parsed attributes `.1` are valid for category `.0`.
    valid: FxHashMap<(usize, usize), bool>,
}

impl<'c, 'a, 'e> RouteCells<'c, 'a, 'e> {
    /// A reader of `cols`, the columns of [`CASE_COLUMNS`](crate::batch::CASE_COLUMNS) in
    /// order.
    pub(super) fn new(engine: &'e Engine, cols: &'c [Col<'a>]) -> Self {
        let col = |i: usize| cols.get(i).unwrap_or(&Col::Missing);
        Self {
            engine,
            local: engine.calendar().zone(),
            cols,
            channel: Names::new(col(1)),
            category: Names::new(col(2)),
            location: Names::new(col(3)),
            places: Vec::new(),
            risk: Names::new(col(8)),
            attributes: Names::new(col(9)),
            parsed: Vec::new(),
            ids_valid: false,
            valid: FxHashMap::default(),
        }
    }

    fn col(&self, i: usize) -> &'c Col<'a> {
        self.cols.get(i).unwrap_or(&Col::Missing)
    }

    /// Readies the reader for rows `rows`: checks their ids together when it can.
    pub(super) fn start(&mut self, rows: std::ops::Range<usize>) {
        self.ids_valid = ids_valid(self.col(0), rows);
    }

    /// The places of rows `rows`, in order, into `out` (`None` for a row whose location
    /// is not a case's). Done for a run of rows before routing them: each row's place is
    /// a read at a scattered address, and reading a run's together lets the processor
    /// wait for them at once rather than one after the other.
    pub(super) fn places(
        &mut self,
        rows: std::ops::Range<usize>,
        out: &mut Vec<Option<Place<'e>>>,
    ) {
        out.clear();
        let engine = self.engine;
        let places = &mut self.places;
        for row in rows {
            let at = self.location.get(row, |t| match place(engine, t) {
                Some(p) => {
                    places.push(p);
                    u32::try_from(places.len() - 1).unwrap_or(u32::MAX)
                }
                None => u32::MAX,
            });
            out.push(at.flatten().and_then(|i| places.get(i as usize).copied()));
        }
    }

    /// The decision for row `row` at place `place` (from [`places`](Self::places)), or
    /// `None` when the row is left to the row reader (something to report, or a value
    /// this reader does not take).
    #[inline(always)]
    pub(super) fn route(&mut self, row: usize, place: Place<'e>) -> Option<Routed> {
        let engine = self.engine;
        let rules = &engine.rules;
        // The id is not read when the ids were checked together: it names the case only
        // in an error, and a row with an error goes to the row reader.
        if !self.ids_valid {
            let id = self.col(0).str(row, "id").ok()??;
            if !CaseId::is_valid(id) {
                return None;
            }
        }
        let channel = self
            .channel
            .get(row, |t| rules.channel_index(t))
            .flatten()
            .flatten()?;
        let (category, bare) = self
            .category
            .get(row, |t| {
                let i = rules.category_index(t)?;
                let mut bare = true;
                rules.attribute_problems(t, &NO_ATTRIBUTES, true, &mut |_, _| bare = false);
                Some((i, bare))
            })
            .flatten()
            .flatten()?;
        let (location, units, community) = place;
        let reported = match self.col(4).time(row, "reported_at", self.local).ok()?? {
            Reported::At(t) => t,
            Reported::Text(s) => s.parse::<Timestamp>().ok()?,
        };
        let people = match self.col(5).count(row, "people_involved").ok()? {
            None => 1,
            Some(0) => return None,
            Some(n) => n,
        };
        let amount_fen = match self.col(6).fixed2(row, "amount_yuan").ok()? {
            None => 0,
            Some(a) if a.hundredths() < 0 => return None,
            Some(a) => a.hundredths(),
        };
        let repeat_count = self.col(7).count(row, "repeat_count").ok()?.unwrap_or(0);
        let risk = match self.risk.get(row, |t| risk_mask(engine, t))? {
            None => 0,
            Some(m) => m?,
        };
        let summary = self.col(10).str(row, "summary").ok()?;
        if long_texts(summary, None, None).next().is_some() {
            return None;
        }
        let attributes = self.attributes(row, category, bare)?;
        let date = engine.calendar().date_of(reported);
        let version = rules.version_index_on(date)?;
        let facts = engine.facts(
            CaseFacts {
                people_involved: people,
                amount_fen,
                repeat_count,
                attributes,
            },
            (category, channel),
            community,
            risk,
            version,
        );
        let verdict = engine.evaluate_facts(&facts, version, "").ok()?;
        engine.resolve_at((location, units), reported, verdict).ok()
    }

    /// The attributes of row `row` of a case of category `category` (`bare`: it requires
    /// none), when they are valid for it.
    fn attributes(&mut self, row: usize, category: usize, bare: bool) -> Option<&Attributes> {
        let parsed = &mut self.parsed;
        let at = self.attributes.get(row, |t| {
            let t = t.trim();
            if t.is_empty() {
                return Some(usize::MAX);
            }
            let map = serde_json::from_str::<Attributes>(t).ok()?;
            parsed.push(map);
            Some(parsed.len() - 1)
        });
        let at = match at? {
            None | Some(Some(usize::MAX)) => return bare.then_some(&NO_ATTRIBUTES),
            Some(at) => at?,
        };
        let rules = &self.engine.rules;
        let map = self.parsed.get(at)?;
        let ok = *self.valid.entry((category, at)).or_insert_with(|| {
            let mut ok = true;
            let name = rules
                .vocab
                .categories
                .get(category)
                .map_or("", String::as_str);
            rules.attribute_problems(name, map, true, &mut |_, _| ok = false);
            ok
        });
        ok.then_some(map)
    }
}

/// A risk flags text (names separated by `,`, `;` or `|`, as the row reader splits it)
/// as a mask of the rule set's risk flags; `None` when a name is not one of them.
fn risk_mask(engine: &Engine, text: &str) -> Option<u64> {
    let mut mask = 0u64;
    for flag in text
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        mask |= risk_bit(engine, flag)?;
    }
    Some(mask)
}
/// Whether rows `rows` of an id column all hold valid case ids, checked over the column's
/// bytes at once: a plain text column without nulls, every id 1 to
/// [`MAX_ID_LEN`](crate::id::MAX_ID_LEN) bytes of ASCII id characters. `false` when that
/// cannot be told so (non-ASCII ids, say); each row's is then checked with
/// [`CaseId::is_valid`], which agrees (tested in `ids_checked_together_agree`).
pub(super) fn ids_valid(col: &Col<'_>, rows: std::ops::Range<usize>) -> bool {
    let Col::Utf8(a) = col else {
        return false;
    };
    if arrow_array::Array::null_count(*a) > 0 {
        return false;
    }
    let Some(offsets) = a.value_offsets().get(rows.start..=rows.end) else {
        return false;
    };
    let lengths_ok = offsets.windows(2).all(|w| match w {
        [lo, hi] => (1..=crate::id::MAX_ID_LEN as i32).contains(&(hi - lo)),
        _ => false,
    });
    let (Some(&lo), Some(&hi)) = (offsets.first(), offsets.last()) else {
        return false;
    };
    lengths_ok
        && usize::try_from(lo)
            .ok()
            .zip(usize::try_from(hi).ok())
            .and_then(|(lo, hi)| a.value_data().get(lo..hi))
            .is_some_and(|bytes| bytes.iter().all(|b| crate::id::id_byte(*b)))
}
