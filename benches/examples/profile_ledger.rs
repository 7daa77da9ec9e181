//! Profiling harness for the ledger: `cargo run --release -p gridgov-benches --example profile_ledger -- [cases]`.
//! Prints the ledger's size per case twice: as resident memory (what the ledger bench
//! reports) and as the bytes live on the heap, counted by the allocator. `RELOAD=1` prints
//! the ledger as JSON and reads it back (each printing its time and the most bytes live
//! meanwhile), `SNAPSHOT=1` its state from a snapshot (each printing the bytes live, and for
//! the snapshot its times); `OVERDUE_ONLY=k`, `TIMELINES=k` and `NOW=` as below.
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a profiling harness"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gridgov::calendar::Calendar;
use gridgov::case::ledger::Ledger;
use gridgov::org::OrgGraph;
use gridgov::rules::RuleSet;
use gridgov::{Engine, sim};
use gridgov_benches::{ledger_workload, resident_bytes, synthetic_city};

/// The system allocator, counting the bytes live: what the ledger holds, apart from the
/// pages a freed workload leaves behind in the process (which resident memory counts).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes live at once since it was last set (to the bytes then live).
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Counts `added` bytes more live, raising the peak when they pass it.
fn grew(added: usize) {
    let live = LIVE.fetch_add(added, Ordering::Relaxed) + added;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is passed to the system allocator unchanged; only a counter is kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract is `GlobalAlloc::alloc`'s, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as a change in size: a large block grows in place or is moved by
        // remapping its pages (glibc's `mremap`), so the old and new are never both
        // live, and the peak of a growing text is its size, not one and a half times it.
        match new_size.checked_sub(layout.size()) {
            Some(more) => grew(more),
            None => {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        // SAFETY: as for `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let org = OrgGraph::from_spec(synthetic_city(100, 7)).expect("valid city");
    let engine = Engine::new(org, RuleSet::fushan(), Calendar::china()).expect("fits");
    let before = resident_bytes();
    let live_before = LIVE.load(Ordering::Relaxed);
    let cases = sim::month_cases(&engine, 2026, 3, n, 20_260_302);
    let events = ledger_workload(&engine, &cases);
    drop(cases);
    let t = Instant::now();
    let mut ledger = Ledger::new();
    for e in events {
        ledger.append(e).expect("valid");
    }
    let took = t.elapsed();
    println!(
        "{} events: {:.0} ns per event; {:.0} bytes per case resident, {:.0} live on the heap",
        ledger.len(),
        took.as_nanos() as f64 / ledger.len() as f64,
        resident_bytes().saturating_sub(before) as f64 / n as f64,
        LIVE.load(Ordering::Relaxed).saturating_sub(live_before) as f64 / n as f64
    );
    if std::env::var("RELOAD").is_ok() {
        let live = LIVE.load(Ordering::Relaxed);
        PEAK.store(live, Ordering::Relaxed);
        let t = Instant::now();
        let text = ledger.to_json();
        println!(
            "printed as JSON in {:.0} ns per event: at most {:.0} bytes per case live while printing, the text included; the text takes {:.0}",
            t.elapsed().as_nanos() as f64 / ledger.len() as f64,
            PEAK.load(Ordering::Relaxed).saturating_sub(live) as f64 / n as f64,
            text.capacity() as f64 / n as f64
        );
        drop(ledger);
        let live = LIVE.load(Ordering::Relaxed);
        PEAK.store(live, Ordering::Relaxed);
        let t = Instant::now();
        let reloaded = Ledger::from_json_str(&text).expect("reloads");
        println!(
            "reloaded from its JSON ({} bytes per case) in {:.0} ns per event: {:.0} bytes per case live on the heap, at most {:.0} while reading",
            text.len() / n,
            t.elapsed().as_nanos() as f64 / reloaded.len() as f64,
            LIVE.load(Ordering::Relaxed).saturating_sub(live) as f64 / n as f64,
            PEAK.load(Ordering::Relaxed).saturating_sub(live) as f64 / n as f64
        );
        drop(text);
        ledger = reloaded;
    }
    if std::env::var("SNAPSHOT").is_ok() {
        let t = Instant::now();
        let text = ledger.state().to_json();
        let printed = t.elapsed();
        let live = LIVE.load(Ordering::Relaxed);
        let t = Instant::now();
        let state = gridgov::case::ledger::LedgerState::from_json_str(&text).expect("loads");
        let read = t.elapsed();
        println!(
            "its state read back from a snapshot: {:.0} bytes per case live on the heap; printed in {:.0} ns per case, read in {:.0}",
            LIVE.load(Ordering::Relaxed).saturating_sub(live) as f64 / n as f64,
            printed.as_nanos() as f64 / n as f64,
            read.as_nanos() as f64 / n as f64,
        );
        drop(state);
    }
    // Half the cases are still running on 2026-03-16 (as in the ledger bench).
    let now: gridgov::Timestamp = std::env::var("NOW")
        .unwrap_or_else(|_| "2026-03-16T09:00:00+08:00".to_owned())
        .parse()
        .expect("a valid time");
    let cases = ledger.state().cases().len() as f64;
    let t = Instant::now();
    let overdue = engine.overdue(&ledger, now).len();
    let o = t.elapsed();
    // OVERDUE_ONLY=k: `overdue` k times more, and nothing else (for a profiler).
    if let Some(k) = std::env::var("OVERDUE_ONLY")
        .ok()
        .and_then(|k| k.parse::<usize>().ok())
    {
        let t = Instant::now();
        let n: usize = (0..k).map(|_| engine.overdue(&ledger, now).len()).sum();
        println!(
            "overdue {k} times more: {n} escalations, {:.0} ns per escalation",
            t.elapsed().as_nanos() as f64 / n.max(1) as f64
        );
        return;
    }
    let t = Instant::now();
    let actions = engine.actions(&ledger, now);
    let a = t.elapsed();
    println!(
        "overdue: {overdue} escalations, {:.0} ns per case; actions: {} escalations, {} reminders, {:.0} ns per case",
        o.as_nanos() as f64 / cases,
        actions.escalations.len(),
        actions.reminders.len(),
        a.as_nanos() as f64 / cases,
    );
    // A case's timeline (its events, with their chain hashes), for a few cases.
    let ids: Vec<String> = ledger
        .state()
        .cases()
        .iter()
        .step_by(ledger.state().cases().len() / 10 + 1)
        .map(|c| c.case.id.to_string())
        .collect();
    // TIMELINES=k: the timelines k times (for a profiler).
    let rounds = std::env::var("TIMELINES")
        .ok()
        .and_then(|k| k.parse::<usize>().ok())
        .unwrap_or(1);
    let t = Instant::now();
    let mut events = 0;
    for _ in 0..rounds {
        for id in &ids {
            events += engine.timeline(&ledger, id, false).map_or(0, |t| t.len());
        }
    }
    println!(
        "timeline: {:.2} ms per case ({} cases, {events} events)",
        t.elapsed().as_secs_f64() * 1e3 / (ids.len() * rounds) as f64,
        ids.len()
    );
}
