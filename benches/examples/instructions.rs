//! One pass of a hot path, for counting instructions under valgrind's callgrind: on a
//! noisy machine the count is the figure that compares two builds exactly.
//!
//! ```sh
//! cargo build --release -p gridgov-benches --example instructions
//! valgrind --tool=callgrind --toggle-collect='gridgov::batch*route_csv*' \
//!     target/release/examples/instructions csv 100000      # route_csv on 100,000 cases
//! valgrind --tool=callgrind --toggle-collect='instructions::route_one' \
//!     target/release/examples/instructions route 100000    # Engine::route per case
//! valgrind --tool=callgrind --toggle-collect='*compile_outcomes*' \
//!     target/release/examples/instructions compile 20000   # a simulated month's outcomes
//! ```
//!
//! Divide callgrind's "Collected" by the count for instructions per case.
#![allow(clippy::print_stdout, reason = "an example prints its result")]

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let engine = gridgov::Engine::fushan();
    match mode.as_str() {
        "csv" => {
            let cases = gridgov::sim::month_cases(&engine, 2026, 3, n, 20_260_301);
            let csv = gridgov::batch::cases_to_csv(&cases);
            match gridgov::batch::route_csv(&engine, &csv) {
                Ok(out) => println!("{} bytes in, {} bytes out", csv.len(), out.len()),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        "route" => {
            let cases = gridgov::sim::month_cases(&engine, 2026, 3, n, 20_260_301);
            let levels: usize = cases.iter().map(|c| route_one(&engine, c)).sum();
            println!("{} cases, level ranks summed {levels}", cases.len());
        }
        "compile" => {
            let ledger = gridgov::sim::simulate_month(&engine, 2026, 3, n, 7).ledger;
            let rows = engine.outcomes(&ledger);
            match engine.compile_outcomes(&rows, &[], &[]) {
                Ok(table) => println!("{} rows compiled", table.len()),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        _ => {
            eprintln!("usage: instructions csv|route|compile [COUNT]");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

#[inline(never)]
fn route_one(engine: &gridgov::Engine, case: &gridgov::Case) -> usize {
    engine.route(case).map_or(0, |d| d.level().rank())
}
