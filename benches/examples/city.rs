//! Prints the organisation of the synthetic city as JSON, for benchmarks outside Rust
//! (`benches/python/peers.py`):
//! `cargo run --release -p gridgov-benches --example city -- [scale] [seed] > city.json`
//! (scale 100 and seed 7 by default: the 100-times city of the criterion benchmarks).
#![allow(clippy::print_stdout, reason = "the JSON goes to standard output")]

use gridgov_benches::synthetic_city;

fn main() -> Result<(), String> {
    let arg = |i: usize, default: u64| -> Result<u64, String> {
        std::env::args().nth(i).map_or(Ok(default), |s| {
            s.parse()
                .map_err(|e| format!("argument {i} `{s}`: {e}; give a whole number"))
        })
    };
    let scale = usize::try_from(arg(1, 100)?).map_err(|e| e.to_string())?;
    let seed = arg(2, 7)?;
    let spec = synthetic_city(scale, seed);
    let text = serde_json::to_string(&spec).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}
