//! The running cases by due time: what finds the overdue ones without reading every case.
//!
//! A ledger keeps, for each case being handled ([`Status::Assigned`]), a key no later
//! than the deadline its clock runs to, in a sorted set. A case can be overdue at `now`
//! only if its key is before `now`, so [`DueIndex::before`] gives every case that may be
//! overdue and, on a ledger where most cases are closed or still in time, few others; the
//! engine then counts each one's deadline on its calendar as before (`Engine::overdue`).
//!
//! The key is the deadline of the case's decision (`assignment.due`) when that is the
//! deadline it runs to: no pauses (a pause moves the deadline on, by working time the
//! ledger cannot count without the calendar) and no petition (whose handling limit runs
//! from its acceptance, by the procedure of the rule set). Any other running case is
//! keyed at the start of time, so it is always looked at: the key is never after the
//! deadline, whatever the calendar.

use std::collections::BTreeSet;

use super::state::{CaseState, Status};

/// The key of a case not in the index.
const NONE: i64 = i64::MAX;

/// The running cases of a ledger by a key no later than their deadline: see the module.
#[derive(Clone, Debug, Default)]
pub(crate) struct DueIndex {
    /// Each case's key by position ([`NONE`] when it is not running).
    keys: Vec<i64>,
    /// (key, position) of every running case.
    set: BTreeSet<(i64, u32)>,
}

/// The key of a case in its state: `None` when it is not running.
fn key_of(state: &CaseState) -> Option<i64> {
    if state.status != Status::Assigned {
        return None;
    }
    let plain = state.pauses.is_empty() && state.closed_loop.petition.is_none();
    Some(match &state.assignment {
        Some(a) if plain => a.due.unix(),
        _ => i64::MIN,
    })
}

impl DueIndex {
    /// Takes case `pos` in its state `state` (new, changed, or put back).
    pub(crate) fn update(&mut self, pos: u32, state: &CaseState) {
        let key = key_of(state).unwrap_or(NONE);
        let i = pos as usize;
        if self.keys.len() <= i {
            self.keys.resize(i + 1, NONE);
        }
        let Some(slot) = self.keys.get_mut(i) else {
            return;
        };
        let old = std::mem::replace(slot, key);
        if old == key {
            return;
        }
        if old != NONE {
            self.set.remove(&(old, pos));
        }
        if key != NONE {
            self.set.insert((key, pos));
        }
    }

    /// Forgets case `pos` (taken back: the last case of the ledger).
    pub(crate) fn remove(&mut self, pos: u32) {
        let i = pos as usize;
        if let Some(old) = self.keys.get(i).copied() {
            if old != NONE {
                self.set.remove(&(old, pos));
            }
        }
        self.keys.truncate(i);
    }

    /// Every case of `cases`, afresh.
    pub(crate) fn of(cases: &[CaseState]) -> Self {
        let mut index = Self::default();
        for (i, c) in cases.iter().enumerate() {
            index.update(u32::try_from(i).unwrap_or(u32::MAX), c);
        }
        index
    }

    /// The positions of the running cases whose key is before `secs` (seconds since the
    /// epoch), in the order of their position: every case that may be overdue then.
    pub(crate) fn before(&self, secs: i64) -> Vec<u32> {
        let mut out: Vec<u32> = self.set.range(..(secs, 0)).map(|&(_, pos)| pos).collect();
        out.sort_unstable();
        out
    }

    /// How many running cases it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.set.len()
    }
}
