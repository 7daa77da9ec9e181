//! Timestamps printed and read, 1,000,000 of them: why printing and reading the canonical
//! form keep hand-written fast paths beside chrono.
//!
//! `cargo bench -p gridgov-benches --bench time`:
//! - `print_fast`: `Timestamp`'s `Display` (the fast path; a property test in
//!   core/src/time.rs holds it equal to chrono);
//! - `print_chrono`: the same instants through chrono's `to_rfc3339_opts` (a `String`
//!   per timestamp);
//! - `print_chrono_format`: through chrono's allocation-free formatter with the same
//!   items;
//! - `parse`: RFC 3339 text to `Timestamp` as gridgov reads it (the canonical form through
//!   the hand-written fast path, held equal to chrono by a property test in
//!   core/src/time.rs);
//! - `parse_chrono`: the same texts through chrono's parser and gridgov's checks, which
//!   is what every other form takes.
#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::fmt::Write as _;
use std::hint::black_box;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gridgov::Timestamp;
use gridgov::time::Offset;

const N: usize = 1_000_000;

fn instants() -> Vec<Timestamp> {
    let china = Offset::from_minutes(480).expect("a valid offset");
    let mut rng = gridgov::sim::SplitMix64::new(7);
    (0..N)
        .map(|_| {
            // 2025 to 2026, as a month of cases would have.
            let secs = 1_735_660_800 + i64::try_from(rng.below(63_072_000)).unwrap_or(0);
            Timestamp::from_unix(secs, china)
        })
        .collect()
}

fn bench_time(c: &mut Criterion) {
    let ts = instants();
    let texts: Vec<String> = ts.iter().map(ToString::to_string).collect();
    let mut group = c.benchmark_group("timestamps_1m");
    group.throughput(Throughput::Elements(N as u64));
    group.sample_size(10);
    group.bench_function("print_fast", |b| {
        let mut out = String::with_capacity(32);
        b.iter(|| {
            let mut n = 0usize;
            for t in &ts {
                out.clear();
                let _ = write!(out, "{}", black_box(t));
                n += out.len();
            }
            n
        });
    });
    group.bench_function("print_chrono", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &ts {
                let dt = DateTime::<FixedOffset>::from(*black_box(t));
                n += dt.to_rfc3339_opts(SecondsFormat::Secs, false).len();
            }
            n
        });
    });
    group.bench_function("print_chrono_format", |b| {
        use chrono::format::{Fixed, Item, Numeric, Pad};
        let items = [
            Item::Numeric(Numeric::Year, Pad::Zero),
            Item::Literal("-"),
            Item::Numeric(Numeric::Month, Pad::Zero),
            Item::Literal("-"),
            Item::Numeric(Numeric::Day, Pad::Zero),
            Item::Literal("T"),
            Item::Numeric(Numeric::Hour, Pad::Zero),
            Item::Literal(":"),
            Item::Numeric(Numeric::Minute, Pad::Zero),
            Item::Literal(":"),
            Item::Numeric(Numeric::Second, Pad::Zero),
            Item::Fixed(Fixed::TimezoneOffsetColon),
        ];
        let mut out = String::with_capacity(32);
        b.iter(|| {
            let mut n = 0usize;
            for t in &ts {
                out.clear();
                let dt = DateTime::<FixedOffset>::from(*black_box(t));
                let _ = write!(out, "{}", dt.format_with_items(items.iter()));
                n += out.len();
            }
            n
        });
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut n = 0i64;
            for s in &texts {
                n += black_box(s)
                    .parse::<Timestamp>()
                    .map_or(0, |t| t.unix() & 1);
            }
            n
        });
    });
    group.bench_function("parse_chrono", |b| {
        b.iter(|| {
            let mut n = 0i64;
            for s in &texts {
                n += DateTime::parse_from_rfc3339(black_box(s))
                    .ok()
                    .and_then(|dt| Timestamp::try_from(dt).ok())
                    .map_or(0, |t| t.unix() & 1);
            }
            n
        });
    });
    group.finish();
}

criterion_group!(benches, bench_time);
criterion_main!(benches);
