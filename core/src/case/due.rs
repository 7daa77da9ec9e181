//! The running cases by due time: what finds the overdue ones without reading every case.
//!
//! A ledger keeps, for each case, one number: for a case being handled
//! ([`Status::Assigned`]) a key no later than the deadline its clock runs to, for any
//! other case a mark that it is not running. A case can be overdue at `now` only if its
//! key is before `now`, so [`DueIndex::before`] gives every case that may be overdue and,
//! on a ledger where most cases are closed or still in time, few others; the engine then
//! counts each one's deadline on its calendar as before (`Engine::overdue`). Reading the
//! keys is a pass over eight bytes a case, where reading the cases' states was a pass
//! over some 500. A sorted set of the keys would skip the pass but cost more memory and
//! some 8 KB of the web module: at 1,000,000 cases with 9,471 late, `overdue` took
//! 36–37 ns per case with a set, 42–60 with this pass and 69–74 reading every case
//! (`NOW=2026-03-05T09:00:00+08:00 cargo run --release -p gridgov-benches --example
//! profile_ledger -- 1000000`, three runs each).
//!
//! The key is the deadline of the case's decision (`assignment.due`) when that is the
//! deadline it runs to: no pauses (a pause moves the deadline on, by working time the
//! ledger cannot count without the calendar) and no petition (whose handling limit runs
//! from its acceptance, by the procedure of the rule set). Any other running case is
//! keyed at the start of time, so it is always looked at: the key is never after the
//! deadline, whatever the calendar.

use super::state::{CaseState, Status};

/// The key of a case that is not running.
const NONE: i64 = i64::MAX;

/// For each case of a ledger, by position, a key no later than its deadline while it is
/// running: see the module.
#[derive(Clone, Debug, Default)]
pub(crate) struct DueIndex {
    /// Each case's key by position ([`NONE`] when it is not running).
    keys: Vec<i64>,
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
        let i = pos as usize;
        if self.keys.len() <= i {
            self.keys.resize(i + 1, NONE);
        }
        if let Some(slot) = self.keys.get_mut(i) {
            *slot = key_of(state).unwrap_or(NONE);
        }
    }

    /// Forgets case `pos` (taken back: the last case of the ledger).
    pub(crate) fn remove(&mut self, pos: u32) {
        self.keys.truncate(pos as usize);
    }

    /// Every case of `cases`, afresh.
    pub(crate) fn of(cases: &[CaseState]) -> Self {
        Self {
            keys: cases.iter().map(|c| key_of(c).unwrap_or(NONE)).collect(),
        }
    }

    /// The positions of the running cases whose key is before `secs` (seconds since the
    /// epoch), in order: every case that may be overdue then.
    pub(crate) fn before(&self, secs: i64) -> Vec<u32> {
        self.keys
            .iter()
            .enumerate()
            .filter(|&(_, &k)| k < secs)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    /// How many running cases it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys.iter().filter(|&&k| k != NONE).count()
    }
}
