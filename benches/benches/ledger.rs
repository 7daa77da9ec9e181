//! Ledger benchmarks: 10,000,000 events for 1,000,000 cases over a city 100 times
//! Fushan's size, then `overdue` over the whole ledger.
//!
//! `cargo bench -p gridgov-benches --bench ledger`; criterion reports time per event for
//! `append` and per case for `overdue` (on 2026-03-16, with a backlog: some 11% of the
//! cases past their deadline), `overdue_few` (on 2026-03-05, some 1%) and `actions`; the
//! memory per case is printed once (resident memory of the ledger divided by cases).
#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use gridgov::calendar::Calendar;
use gridgov::case::ledger::Ledger;
use gridgov::org::OrgGraph;
use gridgov::rules::RuleSet;
use gridgov::{Engine, Timestamp, sim};
use gridgov_benches::{ledger_workload, resident_bytes, synthetic_city};

const CASES: usize = 1_000_000;

fn bench_ledger(c: &mut Criterion) {
    let org = OrgGraph::from_spec(synthetic_city(100, 7)).expect("the synthetic city is valid");
    let engine =
        Engine::new(org, RuleSet::fushan(), Calendar::china()).expect("defaults fit the city");
    // Once, to measure memory: everything the ledger holds (cases, decisions, events,
    // states) is made after `before` and owned by the ledger at the end.
    let before = resident_bytes();
    let cases = sim::month_cases(&engine, 2026, 3, CASES, 20_260_302);
    let events = ledger_workload(&engine, &cases);
    drop(cases);
    let mut ledger = Ledger::new();
    let started = std::time::Instant::now();
    for e in events {
        ledger.append(e).expect("the workload is valid");
    }
    let took = started.elapsed();
    let after = resident_bytes();
    // The same workload again, for the timed runs.
    let cases = sim::month_cases(&engine, 2026, 3, CASES, 20_260_302);
    let events = ledger_workload(&engine, &cases);
    drop(cases);
    println!(
        "ledger: {} events for {} cases appended once in {:.2} s ({:.0} ns per event); resident memory of the ledger {:.0} MB, {:.0} bytes per case",
        ledger.len(),
        ledger.state().cases().len(),
        took.as_secs_f64(),
        took.as_nanos() as f64 / ledger.len() as f64,
        (after.saturating_sub(before)) as f64 / 1e6,
        (after.saturating_sub(before)) as f64 / ledger.state().cases().len() as f64,
    );

    let mut group = c.benchmark_group("ledger_10m_events_1m_cases");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("append", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut l = Ledger::new();
                for e in events {
                    let _ = l.append(black_box(e));
                }
                l.len()
            },
            BatchSize::PerIteration,
        );
    });
    group.throughput(Throughput::Elements(ledger.state().cases().len() as u64));
    // Half the cases were still running on 2026-03-16; by 2026-05-01 all are settled.
    let now: Timestamp = "2026-03-16T09:00:00+08:00".parse().expect("a valid time");
    group.bench_function("overdue", |b| {
        b.iter(|| engine.overdue(black_box(&ledger), now).len());
    });
    // A day into the month, as most days go: some 1% of the cases are past their deadline,
    // and the ledger's due index names them without reading the others.
    let early: Timestamp = "2026-03-05T09:00:00+08:00".parse().expect("a valid time");
    group.bench_function("overdue_few", |b| {
        b.iter(|| engine.overdue(black_box(&ledger), early).len());
    });
    group.bench_function("actions", |b| {
        b.iter(|| engine.actions(black_box(&ledger), now).escalations.len());
    });
    group.finish();
}

criterion_group!(benches, bench_ledger);
criterion_main!(benches);
