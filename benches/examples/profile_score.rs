//! Profiling harness for scoring: `cargo run --release -p gridgov-benches --example profile_score -- [rows] [repeats] [common-demand threshold]`; `DICTIONARY=1` (or `0`) times only the dictionary-encoded (or plain) columns; `SCORE_ONLY=1` times scoring alone (for a profiler).
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a profiling harness"
)]

use std::time::Instant;

use gridgov::Engine;
use gridgov::calendar::Calendar;
use gridgov::org::OrgGraph;
use gridgov::rules::RuleSet;
use gridgov::score::ScoreOptions;
use gridgov_benches::{outcome_workload, synthetic_city};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let repeats: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let org = OrgGraph::from_spec(synthetic_city(100, 7)).expect("valid city");
    // A third argument raises the common-demand threshold (to see scoring without them).
    let rules = match args.next().and_then(|s| s.parse::<u32>().ok()) {
        None => RuleSet::fushan(),
        Some(at_least) => {
            let mut doc: serde_json::Value =
                serde_json::from_str(gridgov::rules::default_json()).expect("the default parses");
            if let Some(versions) = doc["versions"].as_array_mut() {
                for v in versions {
                    v["scoring"]["common_demands"]["at_least"] = at_least.into();
                }
            }
            RuleSet::from_json_str(&doc.to_string()).expect("valid")
        }
    };
    let engine = Engine::new(org, rules, Calendar::china()).expect("fits");
    let (rows, visits) = outcome_workload(&engine, n, 1, 20_260_301);
    let t = Instant::now();
    let table = engine.compile_outcomes(&rows, &visits, &[]).expect("valid");
    println!(
        "compile: {:.0} ns per row",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let only: Option<bool> = std::env::var("DICTIONARY").ok().map(|v| v == "1");
    let score_only = std::env::var("SCORE_ONLY").is_ok_and(|v| v == "1");
    for dictionary in [false, true]
        .into_iter()
        .filter(|d| !score_only && only.is_none_or(|o| o == *d))
    {
        let batch = gridgov_benches::outcome_batch(&rows, engine.calendar().zone(), dictionary);
        let t = Instant::now();
        for _ in 0..repeats {
            let compiled = gridgov::arrow::compile_outcome_batches(
                &engine,
                std::slice::from_ref(&batch),
                &visits,
                &[],
            )
            .expect("valid");
            assert_eq!(compiled.len(), table.len());
        }
        println!(
            "compile from columns{}: {:.0} ns per row",
            if dictionary { " (dictionary)" } else { "" },
            t.elapsed().as_nanos() as f64 / (n * repeats) as f64
        );
    }
    let options = ScoreOptions::new("2026-03".parse().expect("a month")).with_budget(1_000_000_000);
    let t = Instant::now();
    let mut demands = 0;
    for _ in 0..repeats {
        demands += engine
            .score(&table, &options)
            .expect("scores")
            .common_demands
            .len();
    }
    println!(
        "score: {:.1} ns per row ({demands} demands)",
        t.elapsed().as_nanos() as f64 / (n * repeats) as f64
    );
}
