//! The case ids of an outcome table as one column: their text in one buffer and where each
//! ends, so that a table of a million rows holds two allocations for its ids rather than a
//! million (an outcome table's ids are read only to name cases in lists).

use std::hash::BuildHasher as _;

/// Case ids in a table's row order, their text kept together.
///
/// ```
/// use gridgov::score::CaseIds;
/// let mut ids = CaseIds::with_capacity(2, 8);
/// ids.push("c1");
/// ids.push("c2");
/// assert_eq!(ids.get(1), Some("c2"));
/// assert_eq!(ids.iter().collect::<Vec<_>>(), ["c1", "c2"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct CaseIds {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
    /// Row `i` holds the id at `order[i]` (the rows' order once sorted, kept as positions
    /// rather than by moving the text); empty while the ids are in the order given.
    order: Vec<u32>,
    /// Each row's [`prefix`](prefix_of), in row order: what ordering rows by id reads
    /// first, in memory read in order rather than in the text.
    prefixes: Vec<u64>,
}

/// The first eight bytes of an id as a number that orders as the text does (big-endian,
/// padded with zero bytes, which no id holds): ids whose prefixes differ are ordered by
/// them without reading their text.
#[inline]
fn prefix_of(id: &str) -> u64 {
    if let Some(word) = id.as_bytes().first_chunk::<8>() {
        return u64::from_be_bytes(*word);
    }
    let mut bytes = [0u8; 8];
    for (b, c) in bytes.iter_mut().zip(id.as_bytes()) {
        *b = *c;
    }
    u64::from_be_bytes(bytes)
}

impl CaseIds {
    /// No ids, with room for `ids` ids of `bytes` bytes of text in all.
    #[must_use]
    pub fn with_capacity(ids: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(ids),
            order: Vec::new(),
            prefixes: Vec::with_capacity(ids),
        }
    }

    /// Adds an id after the others.
    pub fn push(&mut self, id: &str) {
        if !self.order.is_empty() {
            // Rows put in another order keep it: the new id is the last row.
            self.order
                .push(u32::try_from(self.ends.len()).unwrap_or(u32::MAX));
        }
        self.text.push_str(id);
        self.ends.push(self.text.len());
        self.prefixes.push(prefix_of(id));
    }

    /// Adds the ids a column of text holds one after another in `joined`, the `k`th
    /// ending where `offsets[k + 1]` says (`offsets` are positions in the column's text,
    /// `offsets[0]` where `joined` starts): the text copied at once, not id by id.
    /// `false`, with nothing added, when the offsets do not cut `joined` into ids
    /// (decreasing, past its end, or inside a character).
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))]
    pub(crate) fn extend_joined(&mut self, joined: &str, offsets: &[i32]) -> bool {
        let Some(&first) = offsets.first() else {
            return true;
        };
        let at = |o: i32| usize::try_from(i64::from(o) - i64::from(first)).ok();
        let cuts = offsets.windows(2).all(|w| match w {
            [a, b] => a <= b && at(*b).is_some_and(|e| joined.is_char_boundary(e)),
            _ => false,
        });
        if !cuts || offsets.last().and_then(|o| at(*o)) != Some(joined.len()) {
            return false;
        }
        let base = self.text.len();
        if !self.order.is_empty() {
            let n = self.ends.len();
            self.order
                .extend((n..n + offsets.len() - 1).map(|i| u32::try_from(i).unwrap_or(u32::MAX)));
        }
        self.text.push_str(joined);
        for w in offsets.windows(2) {
            if let [a, b] = w {
                let (start, end) = (at(*a).unwrap_or(0), at(*b).unwrap_or(0));
                self.ends.push(base + end);
                self.prefixes
                    .push(prefix_of(joined.get(start..end).unwrap_or("")));
            }
        }
        true
    }

    /// The id of row `i`.
    #[must_use]
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        let at = if self.order.is_empty() {
            i
        } else {
            *self.order.get(i)? as usize
        };
        self.stored(at)
    }

    /// The id stored `i`th.
    #[inline]
    fn stored(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            None => 0,
            Some(before) => *self.ends.get(before)?,
        };
        self.text.get(start..end)
    }

    /// Number of ids.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The ids in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }

    /// The ids of rows `order` (a permutation of the rows), in that order: the text stays
    /// where it is.
    pub(crate) fn permuted(mut self, order: Vec<u32>) -> Self {
        self.prefixes = order
            .iter()
            .map(|i| self.prefixes.get(*i as usize).copied().unwrap_or(0))
            .collect();
        self.order = if self.order.is_empty() {
            order
        } else {
            order
                .iter()
                .map(|i| self.order.get(*i as usize).copied().unwrap_or(u32::MAX))
                .collect()
        };
        self
    }

    /// The first row (in row order) whose id an earlier row has, with that earlier row.
    ///
    /// Sorts one word per row, the id's hash folded to 32 bits above the row, rather than
    /// inserting every id into a hash set: memory is read in order, and only rows whose
    /// folded hashes are equal have their text compared. The same answer as a hash
    /// set's (tested in `first_repeat_agrees_with_a_set`).
    #[must_use]
    pub fn first_repeat(&self) -> Option<(usize, usize)> {
        let hasher = rustc_hash::FxBuildHasher;
        let n = u32::try_from(self.len()).ok()?;
        let keys: Vec<u64> = (0..n)
            .map(|i| run_key(hasher.hash_one(self.get(i as usize).unwrap_or("")), i))
            .collect();
        let keys = sort_by_high_half(keys);
        let row = |k: &u64| (k & 0xFFFF_FFFF) as usize;
        let mut found: Option<(usize, usize)> = None;
        for run in keys
            .chunk_by(|a, b| a >> 32 == b >> 32)
            .filter(|r| r.len() > 1)
        {
            // A run is in row order: the first later row whose id an earlier one has.
            for (k, later) in run.iter().enumerate().skip(1) {
                let id = self.get(row(later));
                if let Some(earlier) = run.iter().take(k).find(|e| self.get(row(e)) == id) {
                    if found.is_none_or(|(_, second)| row(later) < second) {
                        found = Some((row(earlier), row(later)));
                    }
                    break;
                }
            }
        }
        found
    }
}

/// `keys` in order, when their low halves (the rows) are in order already: a radix sort
/// on the high halves, a byte at a time from the lowest, each pass keeping the order of
/// equal bytes, so that keys with equal high halves stay in row order. Each pass reads
/// the keys in order and writes them to 256 places that move on in order. On the keys of
/// a million case ids it took 10.0–10.8 ms where `sort_unstable` took 14.0–14.2 (three
/// runs each, in one process). Tested equal to `sort_unstable` in
/// `the_radix_sort_is_a_sort`.
fn sort_by_high_half(keys: Vec<u64>) -> Vec<u64> {
    let mut keys = keys;
    let mut to = vec![0u64; keys.len()];
    for shift in [32u32, 40, 48, 56] {
        let byte = |k: u64| ((k >> shift) & 0xFF) as usize;
        let mut next = [0usize; 257];
        for k in &keys {
            if let Some(n) = next.get_mut(byte(*k) + 1) {
                *n += 1;
            }
        }
        // A pass whose byte is the same for every key leaves them as they are.
        if next.contains(&keys.len()) {
            continue;
        }
        for i in 1..next.len() {
            let before = next.get(i - 1).copied().unwrap_or(0);
            if let Some(n) = next.get_mut(i) {
                *n += before;
            }
        }
        for k in &keys {
            if let Some(n) = next.get_mut(byte(*k)) {
                if let Some(slot) = to.get_mut(*n) {
                    *slot = *k;
                }
                *n += 1;
            }
        }
        std::mem::swap(&mut keys, &mut to);
    }
    keys
}

/// The key [`CaseIds::first_repeat`] sorts row `row` by: its id's hash folded to 32 bits
/// above the row. FxHash is as wide as a machine word, so on a 32-bit target (the web
/// module) the upper half of its 64-bit hash is zero; keying by that half made every id
/// one run, searched pair by pair (scoring 8,000 outcome rows took 742 ms in Node, and
/// 56 ms once the hash was folded). Both halves folded together keep distinct ids apart
/// on either width (tested in `repeat_runs_stay_short_with_a_32_bit_hash`).
fn run_key(hash: u64, row: u32) -> u64 {
    ((hash ^ (hash >> 32)) << 32) | u64::from(row)
}

impl CaseIds {
    /// The key by which [`sort_keys_oldest_first`](Self::sort_keys_oldest_first) puts row
    /// `row`, reported at `reported` (unix seconds): the time, the id's first eight bytes
    /// as a number, the row.
    #[inline]
    pub(crate) fn oldest_first_key(&self, row: u32, reported: i64) -> OldestFirst {
        let prefix = self.prefixes.get(row as usize).copied().unwrap_or(0);
        (reported, prefix, row)
    }

    /// Puts the rows of `keys` ([`oldest_first_key`](Self::oldest_first_key)) oldest
    /// first: by time, then by id. Sorts on numbers (the time, then the id's first eight
    /// bytes) and compares the text only of rows equal on both; the same order as
    /// comparing (time, id) outright (tested in `oldest_first_is_by_time_then_id`).
    pub(crate) fn sort_keys_oldest_first(&self, keys: &mut [OldestFirst]) {
        keys.sort_unstable();
        for run in keys.chunk_by_mut(|a, b| a.0 == b.0 && a.1 == b.1) {
            if run.len() > 1 {
                run.sort_unstable_by(|a, b| {
                    self.get(a.2 as usize)
                        .cmp(&self.get(b.2 as usize))
                        .then(a.2.cmp(&b.2))
                });
            }
        }
    }
}

/// A row's key for [`CaseIds::sort_keys_oldest_first`]: when it was reported (unix
/// seconds), the first eight bytes of its id as a number, the row.
pub(crate) type OldestFirst = (i64, u64, u32);

/// Equal when they hold the same ids in the same order, however they are stored.
impl PartialEq for CaseIds {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for CaseIds {}

impl<'a> FromIterator<&'a str> for CaseIds {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut out = Self::default();
        for id in iter {
            out.push(id);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{CaseIds, run_key};
    use proptest::prelude::*;

    proptest! {
        /// Ids added from a joined text and its offsets are the ids pushed one by one,
        /// however the rows before them were ordered; offsets that do not cut the text add
        /// nothing.
        #[test]
        fn joined_ids_are_the_ids_pushed(
            before in proptest::collection::vec("[a-c]{0,10}", 0..5),
            ids in proptest::collection::vec("[a-c\u{e9}\u{4e00}]{0,12}", 0..30),
            skip in 0usize..4,
            sorted in any::<bool>(),
        ) {
            let prefix = "x".repeat(skip);
            let joined = ids.concat();
            let mut offsets = vec![i32::try_from(skip).unwrap()];
            for id in &ids {
                offsets.push(offsets.last().unwrap() + i32::try_from(id.len()).unwrap());
            }
            let make = || {
                let mut ids: CaseIds = before.iter().map(String::as_str).collect();
                if sorted {
                    let n = u32::try_from(ids.len()).unwrap();
                    ids = ids.permuted((0..n).rev().collect());
                }
                ids
            };
            let mut one_by_one = make();
            for id in &ids {
                one_by_one.push(id);
            }
            let mut at_once = make();
            prop_assert!(at_once.extend_joined(&joined, &offsets), "{prefix}");
            prop_assert_eq!(&at_once, &one_by_one);
            prop_assert_eq!(&at_once.prefixes, &one_by_one.prefixes);
            // Cut inside a character, past the end, or backwards: nothing added.
            if let Some(cut) = (1..joined.len()).find(|i| !joined.is_char_boundary(*i)) {
                let mut bad = make();
                let inside = [offsets[0], offsets[0] + i32::try_from(cut).unwrap(), *offsets.last().unwrap()];
                prop_assert!(!bad.extend_joined(&joined, &inside));
                prop_assert_eq!(&bad, &make());
            }
            let mut bad = make();
            prop_assert!(!bad.extend_joined(&joined, &[offsets[0], offsets[0] + i32::try_from(joined.len()).unwrap() + 1]));
            prop_assert_eq!(&bad, &make());
            if joined.len() >= 2 {
                let mut bad = make();
                let back = [offsets[0], offsets[0] + 2, offsets[0] + 1, offsets[0] + i32::try_from(joined.len()).unwrap()];
                prop_assert!(!bad.extend_joined(&joined, &back));
                prop_assert_eq!(&bad, &make());
            }
        }

        /// Keys whose rows (low halves) are in order, sorted by their high halves, are
        /// the keys sorted: with high halves drawn from a few (long runs of equal keys, and
        /// passes whose byte is the same for every key) or from all.
        #[test]
        fn the_radix_sort_is_a_sort(
            highs in proptest::collection::vec(any::<u32>(), 0..300),
            few in any::<bool>(),
        ) {
            let keys: Vec<u64> = (0u32..)
                .zip(&highs)
                .map(|(row, h)| run_key(0, row) | u64::from(if few { h % 3 } else { *h }) << 32)
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            prop_assert_eq!(super::sort_by_high_half(keys), expected);
        }

        #[test]
        fn first_repeat_agrees_with_a_set(ids in proptest::collection::vec("[a-d]{1,3}", 0..60)) {
            let column: CaseIds = ids.iter().map(String::as_str).collect();
            let mut seen = std::collections::HashMap::new();
            let mut expected = None;
            for (i, id) in ids.iter().enumerate() {
                if let Some(first) = seen.get(id.as_str()) {
                    expected = Some((*first, i));
                    break;
                }
                seen.insert(id.as_str(), i);
            }
            prop_assert_eq!(column.first_repeat(), expected);
            prop_assert_eq!(column.iter().collect::<Vec<_>>(), ids.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }

    proptest! {
        #[test]
        fn oldest_first_is_by_time_then_id(
            rows in proptest::collection::vec(("[a-c]{1,10}", 0i64..4), 0..40),
        ) {
            let ids: CaseIds = rows.iter().map(|(id, _)| id.as_str()).collect();
            let n = u32::try_from(rows.len()).unwrap_or(0);
            let at = |i: u32| rows.get(i as usize).map_or(0, |r| r.1);
            let mut keys: Vec<_> = (0..n).rev().map(|i| ids.oldest_first_key(i, at(i))).collect();
            ids.sort_keys_oldest_first(&mut keys);
            let list: Vec<u32> = keys.iter().map(|k| k.2).collect();
            let mut expected: Vec<u32> = (0..n).collect();
            expected.sort_by(|a, b| {
                (at(*a), ids.get(*a as usize), *a).cmp(&(at(*b), ids.get(*b as usize), *b))
            });
            prop_assert_eq!(list, expected);
        }
    }

    /// With a hash a word wide on a 32-bit target (its upper half zero) as with a 64-bit
    /// one, the keys of 20,000 distinct ids fall in runs of at most a few rows: the
    /// search for a repeated id stays linear on the web module.
    #[test]
    fn repeat_runs_stay_short_with_a_32_bit_hash() {
        use std::hash::BuildHasher as _;
        let hasher = rustc_hash::FxBuildHasher;
        let ids: Vec<String> = (0..20_000).map(|i| format!("sim-202603-{i:06}")).collect();
        for width in [32u32, 64] {
            let mut keys: Vec<u64> = (0u32..)
                .zip(&ids)
                .map(|(i, id)| {
                    let h = hasher.hash_one(id.as_str());
                    let h = if width == 32 { h & 0xFFFF_FFFF } else { h };
                    run_key(h, i)
                })
                .collect();
            keys.sort_unstable();
            let longest = keys
                .chunk_by(|a, b| a >> 32 == b >> 32)
                .map(<[u64]>::len)
                .max()
                .unwrap_or(0);
            assert!(longest <= 3, "{width}-bit hash: a run of {longest}");
        }
        let column: CaseIds = ids
            .iter()
            .map(String::as_str)
            .chain(["sim-202603-000007"])
            .collect();
        assert_eq!(column.first_repeat(), Some((7, 20_000)));
    }

    #[test]
    fn ids_are_kept_in_one_buffer_and_read_back() {
        let ids: CaseIds = ["a", "bb", "", "ccc"].into_iter().collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(ids.get(0), Some("a"));
        assert_eq!(ids.get(2), Some(""));
        assert_eq!(ids.get(3), Some("ccc"));
        assert_eq!(ids.get(4), None);
        let moved = ids.permuted(vec![3, 0, 2, 1]);
        assert_eq!(moved.iter().collect::<Vec<_>>(), ["ccc", "a", "", "bb"]);
        let twice = moved.clone().permuted(vec![1, 0, 3, 2]);
        assert_eq!(twice.iter().collect::<Vec<_>>(), ["a", "ccc", "bb", ""]);
        let mut more = twice;
        more.push("d");
        assert_eq!(more.iter().collect::<Vec<_>>(), ["a", "ccc", "bb", "", "d"]);
    }
}
