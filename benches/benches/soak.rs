//! The soak at full size: 1,000,000 seeded cases on the Fushan default, their 10,000,000
//! valid events and ~3,000,000 hostile ones through the ledger, conservation checked at
//! every refused event and at the end (see `gridgov_benches::soak`). Prints cases, events,
//! accepted, refused, time and peak memory.
//!
//! `cargo bench -p gridgov-benches --bench soak` (SOAK_CASES=n for another size).
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark stops on broken set-up data and prints its figures"
)]

use std::time::Instant;

fn main() {
    let n: usize = std::env::var("SOAK_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let engine = gridgov::Engine::fushan();
    let cases = gridgov::sim::month_cases(&engine, 2026, 3, n, 20_261_128);
    let t = Instant::now();
    let report = gridgov_benches::soak(&engine, cases, 7, 300).expect("conservation holds");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "soak: {} cases, {} events ({} accepted, {} refused) in {secs:.1} s ({:.0} ns per event, workload and replay included); peak memory {:.0} MiB",
        report.cases,
        report.events,
        report.accepted,
        report.refused,
        secs * 1e9 / report.events as f64,
        gridgov_benches::peak_resident_bytes() as f64 / 1_048_576.0
    );
    println!("cases by status: {:?}", report.by_status);
}
