//! Routing benchmarks: 1,000,000 seeded synthetic cases over a city 100 times Fushan's
//! size (15,000 grids, 38,200 micro-grids), single thread.
//!
//! `cargo bench -p gridgov-benches --bench route`; criterion reports time per case
//! (throughput is the number of cases in a batch).
//! - `routing_table`: the compiled routing table alone (its first matching row), on
//!   prepared cases;
//! - `evaluate`: both tables of the default rule set (routing and the collect table of
//!   modifiers), merged, on prepared cases;
//! - `resolve`: `evaluate` plus the unit at the level, the first handler and the
//!   working-time deadline, on prepared cases: routing once ids are resolved (the batch path);
//! - `prepare`: checking a case and resolving its category, location and community;
//! - `route`: the whole walk from a `Case`: prepare, evaluate and resolve;
//! - `route_columns`: the batch path from borrowed Arrow columns, `Case`-free
//!   (`gridgov::arrow::route_batches` on one thread): a table of plain text columns in
//!   (RFC 3339 text timestamps, exact decimal amounts), the full decision columns out;
//!   `route_columns_dictionary`: with channel, category and location dictionary-encoded
//!   (pandas and polars categoricals); `route_columns_typed`: that, with `reported_at` a
//!   typed timestamp column.
//!
//! And on the Fushan default (`route_fushan`), the paths the bindings share:
//! - `route`: the whole walk from a `Case`;
//! - `route_csv`: a cases CSV of 1,000,000 rows in, the decisions CSV out (reading the
//!   text, building each case, routing, writing): the batch path the JS package uses,
//!   and the native figure its Node benchmark compares with;
//! - `route_ipc`: the same cases as an Arrow IPC stream in, the decisions as an IPC stream
//!   out: the native side of the JS package's `routeArrow`.
//!
//! And one case at a time on the Fushan default (`route_json_per_call`), over 2,000
//! documents as the Python bench gives them (no reporter or summary):
//! - `read_by_hand`: the lean path's reader of the case document
//!   (`gridgov::lean::CaseText::from_json_str`, the hand-written scanner);
//! - `read_by_serde_json`: the same documents read by `serde_json`, the reference the
//!   scanner is held to (the reason it exists);
//! - `route_json`: the whole call, JSON text in, the decision's JSON text out.
#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gridgov::calendar::Calendar;
use gridgov::org::OrgGraph;
use gridgov::rules::RuleSet;
use gridgov::{Engine, internals, sim};
use gridgov_benches::synthetic_city;

const CASES: usize = 1_000_000;

fn bench_route(c: &mut Criterion) {
    let org = OrgGraph::from_spec(synthetic_city(100, 7)).expect("the synthetic city is valid");
    let engine =
        Engine::new(org, RuleSet::fushan(), Calendar::china()).expect("defaults fit the city");
    let cases = sim::month_cases(&engine, 2026, 3, CASES, 20_260_301);
    let prepared: Vec<_> = cases
        .iter()
        .map(|c| internals::prepare(&engine, c).expect("generated cases are valid"))
        .collect();

    let mut group = c.benchmark_group("route_1m_cases_city_100x");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.sample_size(10);
    group.bench_function("routing_table", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in &prepared {
                n += internals::table_first_match(&engine, black_box(p), 0).unwrap_or(0);
            }
            n
        });
    });
    group.bench_function("evaluate", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in &prepared {
                if let Ok(v) = internals::evaluate(&engine, black_box(p)) {
                    n += v.level().rank();
                }
            }
            n
        });
    });
    group.bench_function("resolve", |b| {
        b.iter(|| {
            let mut n = 0i64;
            for p in &prepared {
                if let Ok(v) = internals::evaluate(&engine, p) {
                    if let Ok(d) = internals::resolve(&engine, black_box(p), v) {
                        n += d.due().unix() & 1;
                    }
                }
            }
            n
        });
    });
    group.bench_function("prepare", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for case in &cases {
                n += usize::from(internals::prepare(&engine, black_box(case)).is_ok());
            }
            n
        });
    });
    group.bench_function("route", |b| {
        b.iter(|| {
            let mut n = 0i64;
            for case in &cases {
                if let Ok(d) = engine.route(black_box(case)) {
                    n += d.due().unix() & 1;
                }
            }
            n
        });
    });
    let (_, plain) = gridgov::arrow::cases_table(&cases).expect("a cases table");
    let dictionary =
        gridgov_benches::dictionary_encoded(&plain, &["channel", "category", "location"]);
    let typed = gridgov_benches::typed_reported_at(&dictionary, &cases);
    for (name, batch) in [
        ("route_columns", &plain),
        ("route_columns_dictionary", &dictionary),
        ("route_columns_typed", &typed),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                gridgov::arrow::route_batches(
                    &engine,
                    std::slice::from_ref(black_box(batch)),
                    gridgov::arrow::ErrorMode::Raise,
                    Some(1),
                )
                .map_or(0, |(_, out)| {
                    out.iter().map(|b| b.num_rows()).sum::<usize>()
                })
            });
        });
    }
    group.finish();
}

fn bench_route_fushan(c: &mut Criterion) {
    let engine = Engine::fushan();
    let cases = sim::month_cases(&engine, 2026, 3, CASES, 20_260_301);
    let csv = gridgov::batch::cases_to_csv(&cases);
    let mut group = c.benchmark_group("route_fushan_1m_cases");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.sample_size(10);
    group.bench_function("route", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for case in &cases {
                if let Ok(d) = engine.route(black_box(case)) {
                    n += d.level().rank();
                }
            }
            n
        });
    });
    group.bench_function("route_csv", |b| {
        b.iter(|| gridgov::batch::route_csv(&engine, black_box(&csv)).map_or(0, |out| out.len()));
    });
    // The Arrow IPC entry the WebAssembly package's `routeArrow` calls: the same cases as
    // an IPC stream in, the decisions as an IPC stream out (node benches/node/route_batch.js
    // times the same call in WebAssembly).
    let args =
        sim::SimArgs::new(2026_i64, 3_i64, CASES as i64, 20_260_301_i64).expect("valid arguments");
    let ipc = gridgov::arrow::ipc::simulate_cases_ipc(&engine, &args).expect("a cases table");
    group.bench_function("route_ipc", |b| {
        b.iter(|| {
            gridgov::arrow::ipc::route_ipc(
                &engine,
                black_box(&ipc),
                gridgov::arrow::ErrorMode::Column,
            )
            .map_or(0, |out| out.len())
        });
    });
    group.finish();
}

fn bench_route_json_per_call(c: &mut Criterion) {
    let engine = Engine::fushan();
    let docs: Vec<String> = sim::month_cases(&engine, 2026, 3, 2_000, 20_260_301)
        .into_iter()
        .map(|mut case| {
            case.reporter = None;
            case.summary = None;
            serde_json::to_string(&case).expect("a case serialises")
        })
        .collect();
    let mut group = c.benchmark_group("route_json_per_call");
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("read_by_hand", |b| {
        b.iter(|| {
            docs.iter()
                .filter_map(|d| gridgov::lean::CaseText::from_json_str(black_box(d)))
                .map(|c| c.people_involved as usize)
                .sum::<usize>()
        });
    });
    group.bench_function("read_by_serde_json", |b| {
        b.iter(|| {
            docs.iter()
                .filter_map(|d| {
                    serde_json::from_str::<gridgov::lean::CaseText<'_>>(black_box(d)).ok()
                })
                .map(|c| c.people_involved as usize)
                .sum::<usize>()
        });
    });
    group.bench_function("route_json", |b| {
        b.iter(|| {
            docs.iter()
                .filter_map(|d| gridgov::json::route_json(&engine, black_box(d)).ok())
                .map(|out| out.len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_route,
    bench_route_fushan,
    bench_route_json_per_call
);
criterion_main!(benches);
