//! Organisation graph benchmarks on a synthetic city 100 times Fushan's size
//! (1,200 communities, 15,000 grids, 38,200 micro-grids, ~137,600 units).
//!
//! `cargo bench -p gridgov-benches --bench org`; criterion reports time per query
//! (throughput is set to the number of queries in a batch).

#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gridgov::org::{Level, OrgGraph, UnitKey};
use gridgov_benches::{SplitMix64, synthetic_city};

const QUERIES: usize = 1_000_000;

fn city() -> OrgGraph {
    OrgGraph::from_spec(synthetic_city(100, 7)).expect("the synthetic city is valid")
}

type KeyPairs = Vec<(UnitKey, UnitKey)>;
type IdPairs = Vec<(String, String)>;

fn pairs(org: &OrgGraph) -> (KeyPairs, IdPairs) {
    let ids: Vec<String> = org.units().map(|u| u.id.to_string()).collect();
    let mut rng = SplitMix64::new(42);
    let mut keys = Vec::with_capacity(QUERIES);
    let mut names = Vec::with_capacity(QUERIES);
    for _ in 0..QUERIES {
        // Half the queries ask about an ancestor of the inner unit, so both answers occur.
        let b = &ids[rng.below(ids.len() as u64) as usize];
        let a = if rng.below(2) == 0 {
            let anc = org.ancestors(b).unwrap_or_default();
            anc.get(rng.below(anc.len().max(1) as u64) as usize)
                .map_or_else(|| b.clone(), |u| u.id.to_string())
        } else {
            ids[rng.below(ids.len() as u64) as usize].clone()
        };
        if let (Some(ka), Some(kb)) = (org.key(&a), org.key(b)) {
            keys.push((ka, kb));
            names.push((a, b.clone()));
        }
    }
    (keys, names)
}

fn bench_contains(c: &mut Criterion) {
    let org = city();
    let (keys, names) = pairs(&org);
    let mut group = c.benchmark_group("org_100x_fushan");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.sample_size(20);
    group.bench_function("contains_key", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for &(a, i) in &keys {
                n += u32::from(org.contains_key(black_box(a), black_box(i)));
            }
            n
        });
    });
    group.bench_function("contains_by_id", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for (a, i) in &names {
                n += u32::from(org.contains(black_box(a), black_box(i)).unwrap_or(false));
            }
            n
        });
    });
    group.bench_function("unit_at_level_key", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for &(_, i) in &keys {
                n += org
                    .unit_at_level_key(black_box(i), Level::Community)
                    .map_or(0, UnitKey::index);
            }
            n
        });
    });
    group.finish();

    let mut build = c.benchmark_group("org_build");
    build.sample_size(10);
    let spec = synthetic_city(100, 7);
    build.throughput(Throughput::Elements(spec.units.len() as u64));
    build.bench_function("from_spec_100x_fushan", |b| {
        b.iter(|| OrgGraph::from_spec(black_box(spec.clone())).map(|o| o.len()));
    });
    build.finish();
}

criterion_group!(benches, bench_contains);
criterion_main!(benches);
