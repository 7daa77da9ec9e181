#![allow(clippy::expect_used, clippy::print_stdout, reason = "a probe")]
use gridgov::calendar::Calendar;
use gridgov::case::ledger::LedgerState;
use gridgov::org::OrgGraph;
use gridgov::rules::RuleSet;
use gridgov::{Engine, sim};
use gridgov_benches::{ledger_workload, resident_bytes, synthetic_city};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let org = OrgGraph::from_spec(synthetic_city(100, 7)).expect("valid city");
    let engine = Engine::new(org, RuleSet::fushan(), Calendar::china()).expect("fits");
    let b0 = resident_bytes();
    let cases = sim::month_cases(&engine, 2026, 3, n, 20_260_302);
    println!(
        "the cases alone: {:.0} bytes per case",
        resident_bytes().saturating_sub(b0) as f64 / n as f64
    );
    let b0 = resident_bytes();
    let decisions: Vec<_> = cases
        .iter()
        .filter_map(|c| engine.route(c).ok())
        .map(|d| std::sync::Arc::new(engine.assignment(&d)))
        .collect();
    println!(
        "one assignment per case: {:.0} bytes per case",
        resident_bytes().saturating_sub(b0) as f64 / n as f64
    );
    drop(decisions);
    println!("{}", serde_json::to_string(&cases[7]).unwrap_or_default());
    let events = ledger_workload(&engine, &cases);
    drop(cases);
    let before = resident_bytes();
    let mut state = LedgerState::new();
    for e in &events {
        state.apply(e).expect("valid");
    }
    let mid = resident_bytes();
    println!(
        "state only: {:.0} bytes per case (events still owned by the workload)",
        mid.saturating_sub(before) as f64 / n as f64
    );
    let before = resident_bytes();
    let kept: Vec<_> = events.clone();
    println!(
        "a clone of the event records: {:.0} bytes per case",
        resident_bytes().saturating_sub(before) as f64 / n as f64
    );
    drop(kept);
}
