//! Profiling harness for the CSV batch path: `cargo run --release -p gridgov-benches --example profile_csv -- [cases] [repeats]`.
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a profiling harness"
)]

use std::time::Instant;

use gridgov::{Engine, batch, sim};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let repeats: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let engine = Engine::fushan();
    let csv = batch::cases_to_csv(&sim::month_cases(&engine, 2026, 3, n, 20_260_301));
    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..repeats {
        bytes += batch::route_csv(&engine, &csv).expect("routes").len();
    }
    let per = t.elapsed().as_nanos() as f64 / (repeats * n) as f64;
    println!("route_csv: {per:.0} ns per case ({bytes} bytes out)");
}
