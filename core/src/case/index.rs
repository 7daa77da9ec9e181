//! The ledger's index of its cases by id. It holds positions only, and reads each case's
//! id from the case itself: a million cases take some 10 MB of table, where a map that
//! keeps a copy of every id beside its position took 86 MB (a 40-byte slot per case, and
//! room for twice as many). A lookup reads the case it lands on, which the event looked
//! up is about to change anyway.

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

/// The id of the case at `position`; empty past the end (which no position in the
/// table is: a case is added before its position and removed after it).
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

    /// Takes the case `id` out of the index (before it leaves `cases`).
    pub(super) fn remove(&mut self, cases: &[CaseState], id: &str) {
        if let Ok(entry) = self.table.find_entry(hash(id), |&p| id_at(cases, p) == id) {
            entry.remove();
        }
    }

    /// Empties the index.
    pub(super) fn clear(&mut self) {
        self.table.clear();
    }
}
