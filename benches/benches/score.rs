//! Scoring benchmarks: 1,000,000 outcome rows over the 15,000 grids of a city 100 times
//! Fushan's size.
//!
//! `cargo bench -p gridgov-benches --bench score`; criterion reports time per row:
//! - `score_month`: one month scored from a compiled table (indicators, scores, ranks of
//!   grids, workers and communities, lists, inactive grids, common demands, rewards);
//! - `score_month_with_history`: the same rows spread over six months, the last one
//!   scored with the five before it ranked too (change, streaks, zombies, talent pool);
//! - `score_month_demands_off`: the first with the common-demand threshold out of reach.
//!   At this density (67 reports per grid a month) the default threshold of 10 reports of
//!   a category in a compound within 30 days makes some 41,000 recommendations listing a
//!   million cases; this shows the cost of everything else;
//! - `compile`: checking the rows against the organisation, rule set and calendar once;
//! - `compile_columns`: the same rows as an Arrow table of text and timestamp columns,
//!   compiled straight from the columns (what Python's `score_outcomes` does);
//!   `compile_columns_dictionary`: with location and category dictionary-encoded, as
//!   pandas and polars categoricals arrive.
#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gridgov::Engine;
use gridgov::calendar::Calendar;
use gridgov::org::{OrgGraph, UnitKind};
use gridgov::rules::RuleSet;
use gridgov::score::ScoreOptions;
use gridgov_benches::{outcome_workload, synthetic_city};

const ROWS: usize = 1_000_000;

fn bench_score(c: &mut Criterion) {
    let org = OrgGraph::from_spec(synthetic_city(100, 7)).expect("the synthetic city is valid");
    let engine =
        Engine::new(org, RuleSet::fushan(), Calendar::china()).expect("defaults fit the city");
    let grids = engine.org().units_of_kind(UnitKind::Grid).count();
    let month = "2026-03".parse().expect("a month");
    let options = ScoreOptions::new(month).with_budget(1_000_000_000);

    let (rows, visits) = outcome_workload(&engine, ROWS, 1, 20_260_301);
    let table = engine
        .compile_outcomes(&rows, &visits, &[])
        .expect("the workload is valid");
    let (rows6, visits6) = outcome_workload(&engine, ROWS, 6, 20_260_302);
    let table6 = engine
        .compile_outcomes(&rows6, &visits6, &[])
        .expect("the workload is valid");
    let once = engine.score(&table, &options).expect("scores");
    println!(
        "score: {} rows over {grids} grids; {} grids ranked, top {} at {:?}, {} common demands, {} inactive",
        table.len(),
        once.grids.iter().filter(|g| g.rank > 0).count(),
        once.grids[0].id,
        once.grids[0].score.map(|s| s.to_string()),
        once.common_demands.len(),
        once.inactive.len(),
    );

    let mut group = c.benchmark_group("score_1m_rows_15k_grids");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("score_month", |b| {
        b.iter(|| black_box(engine.score(black_box(&table), &options).expect("scores")));
    });
    let history = options.clone().with_history(5);
    group.bench_function("score_month_with_history", |b| {
        b.iter(|| black_box(engine.score(black_box(&table6), &history).expect("scores")));
    });
    let mut doc: serde_json::Value =
        serde_json::from_str(gridgov::rules::default_json()).expect("the default parses");
    if let Some(versions) = doc["versions"].as_array_mut() {
        for v in versions {
            v["scoring"]["common_demands"]["at_least"] = 100_000_000.into();
        }
    }
    let quiet = Engine::new(
        OrgGraph::from_spec(synthetic_city(100, 7)).expect("the synthetic city is valid"),
        RuleSet::from_json_str(&doc.to_string()).expect("valid rules"),
        Calendar::china(),
    )
    .expect("fits");
    let quiet_table = quiet
        .compile_outcomes(&rows, &visits, &[])
        .expect("the workload is valid");
    group.bench_function("score_month_demands_off", |b| {
        b.iter(|| {
            black_box(
                quiet
                    .score(black_box(&quiet_table), &options)
                    .expect("scores"),
            )
        });
    });
    group.bench_function("compile", |b| {
        b.iter(|| {
            black_box(
                engine
                    .compile_outcomes(black_box(&rows), &visits, &[])
                    .expect("valid"),
            )
        });
    });
    let zone = engine.calendar().zone();
    for (name, dictionary) in [
        ("compile_columns", false),
        ("compile_columns_dictionary", true),
    ] {
        let batch = gridgov_benches::outcome_batch(&rows, zone, dictionary);
        let compiled = gridgov::arrow::compile_outcome_batches(
            &engine,
            std::slice::from_ref(&batch),
            &visits,
            &[],
        )
        .expect("valid");
        assert_eq!(compiled.len(), table.len());
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    gridgov::arrow::compile_outcome_batches(
                        &engine,
                        std::slice::from_ref(black_box(&batch)),
                        &visits,
                        &[],
                    )
                    .expect("valid"),
                )
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_score);
criterion_main!(benches);
