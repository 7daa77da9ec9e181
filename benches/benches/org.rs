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
use gridgov::spatial::Crs;
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

/// `locate` on the 100-times city with a map of its 38,200 micro-grids: one point per
/// call (target ≤ 1 µs), the same points through `locate_all` (the batch path the
/// bindings use), and the same points given in WGS-84 (each converted to GCJ-02 first).
fn bench_locate(c: &mut Criterion) {
    const POINTS: usize = 200_000;
    let mut spec = synthetic_city(100, 7);
    let (map, rects) = gridgov_benches::city_map(&spec);
    spec.map = Some(map);
    let t = std::time::Instant::now();
    let org = OrgGraph::from_spec(spec.clone()).expect("the mapped city is valid");
    eprintln!(
        "built and checked the mapped city ({} micro-grid areas) in {:?}",
        rects.len(),
        t.elapsed()
    );
    let mut rng = SplitMix64::new(11);
    let mut lons = Vec::with_capacity(POINTS);
    let mut lats = Vec::with_capacity(POINTS);
    for _ in 0..POINTS {
        let r = rects[rng.below(rects.len() as u64) as usize].1;
        let fx = (rng.below(1_000_000) as f64 + 0.5) / 1e6;
        let fy = (rng.below(1_000_000) as f64 + 0.5) / 1e6;
        lons.push(r[0] + (r[2] - r[0]) * fx);
        lats.push(r[1] + (r[3] - r[1]) * fy);
    }
    let wgs: Vec<(f64, f64)> = lons
        .iter()
        .zip(&lats)
        .map(|(&x, &y)| Crs::Gcj02.convert(Crs::Wgs84, x, y))
        .collect();
    let mut group = c.benchmark_group("locate_100x_fushan");
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function("locate_key_gcj02", |b| {
        b.iter(|| {
            let mut n = 0_usize;
            for (&x, &y) in lons.iter().zip(&lats) {
                n += org.locate_key(x, y, Crs::Gcj02).map_or(0, UnitKey::index);
            }
            n
        });
    });
    let index = org.map().expect("mapped").micro_grids();
    group.bench_function("r_tree_only_gcj02", |b| {
        b.iter(|| {
            let mut n = 0_usize;
            for (&x, &y) in lons.iter().zip(&lats) {
                n += index
                    .locate_by_tree(x, y, Crs::Gcj02)
                    .map_or(0, |k| k as usize);
            }
            n
        });
    });
    group.bench_function("locate_all_gcj02", |b| {
        b.iter(|| {
            org.locate_all(black_box(&lons), black_box(&lats), Crs::Gcj02)
                .map(|v| v.len())
        });
    });
    group.bench_function("locate_key_wgs84", |b| {
        b.iter(|| {
            let mut n = 0_usize;
            for &(x, y) in &wgs {
                n += org.locate_key(x, y, Crs::Wgs84).map_or(0, UnitKey::index);
            }
            n
        });
    });
    group.finish();
    let mut build = c.benchmark_group("org_build_mapped");
    build.sample_size(10);
    build.bench_function("from_spec_100x_fushan_with_map", |b| {
        b.iter(|| OrgGraph::from_spec(black_box(spec.clone())).map(|o| o.len()));
    });
    build.finish();
}

criterion_group!(benches, bench_contains, bench_locate);
criterion_main!(benches);
