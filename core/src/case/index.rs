//! The ledger's index of its cases by id. It holds positions only, and reads each case's
//! id from the case itself. A map that kept a copy of every id beside its position took a
//! 40-byte slot per case, with room for up to twice as many: by that count some 86 MB at a
//! million cases, against some 10 MB of 4-byte slots here (`profile_ledger` at 200,000
//! cases measured 47 bytes per case less on the heap). A lookup reads the case it lands
//! on, which the event looked up is about to change anyway, and that case's id: an append
//! takes some 6% longer.

use std::hash::BuildHasher;

use super::state::CaseState;

/// Case id → position in the ledger's cases.
#[derive(Clone, Debug, Default)]
pub(super) struct CaseIndex {
    table: hashbrown::HashTable<u32>,
}

/// The hash of an id.
fn hash(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// The id of the case at `position`; empty past the end, where no indexed position is (a
/// case is indexed after it joins `cases` and taken out before it leaves; ids are never
/// empty).
fn id_at(cases: &[CaseState], position: u32) -> &str {
    cases
        .get(position as usize)
        .map_or("", |c| c.case.id.as_str())
}

impl CaseIndex {
    /// The position of the case `id`.
    pub(super) fn get(&self, cases: &[CaseState], id: &str) -> Option<u32> {
        self.table
            .find(hash(id), |&p| id_at(cases, p) == id)
            .copied()
    }

    /// Whether the case `id` is indexed.
    pub(super) fn contains(&self, cases: &[CaseState], id: &str) -> bool {
        self.get(cases, id).is_some()
    }

    /// Indexes the case at `position`, which `cases` holds already, unless its id is
    /// indexed; returns whether it was added.
    pub(super) fn insert_new(&mut self, cases: &[CaseState], position: u32) -> bool {
        let id = id_at(cases, position);
        if self.contains(cases, id) {
            return false;
        }
        self.table
            .insert_unique(hash(id), position, |&p| hash(id_at(cases, p)));
        true
    }

    /// Takes the case at `position` out of the index (before it leaves `cases`).
    pub(super) fn remove(&mut self, cases: &[CaseState], position: u32) {
        let id = id_at(cases, position);
        if let Ok(entry) = self.table.find_entry(hash(id), |&p| p == position) {
            entry.remove();
        }
    }

    /// Empties the index.
    pub(super) fn clear(&mut self) {
        self.table.clear();
    }
}
