//! The write path and the SQLite store.
//!
//! `cargo bench -p gridgov-benches --bench store`:
//! - `record` (authorized) against the unchecked `append`, per event, and the chain's part
//!   of an append (canonical bytes and a SHA-256 step), over the same
//!   accepted events of a month of 20,000 cases on the Fushan default, each recorded by the
//!   actor its role names (the system for reports and what only the engine records, the
//!   handler in their role for the rest);
//! - SQLite appends: single events (one transaction each) with `Durability::Full` and
//!   `Durability::Process`, and batches of 1,000, per event;
//! - once, printed: writing a file of 1,000,000 cases (the ledger workload, about ten events
//!   each) in batches, and reopening it (reading, checking the chain and replaying every
//!   record). `GRIDGOV_BENCH_REOPEN_CASES` sets another number of cases.
#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use gridgov::access::{Actor, action_of};
use gridgov::case::event::{Event, EventRecord};
use gridgov::case::ledger::{Durability, Ledger, chain_record};
use gridgov::org::Role;
use gridgov::{Engine, sim};
use gridgov_benches::ledger_workload;

/// A folder for the bench's files, emptied first.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gridgov-bench-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a temporary folder");
    d
}

/// A new ledger file at `path`: whatever an earlier run left there is removed first.
fn fresh_file(path: &std::path::Path, durability: Durability) -> Ledger {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    Ledger::open_with(path, durability).expect("a new file")
}

/// The actor who records an event: the system for what it alone records and for reports,
/// otherwise the event's actor in the role their post gives.
fn actor_for(engine: &Engine, e: &EventRecord) -> Actor {
    if action_of(&e.event).is_none() || matches!(e.event, Event::Reported { .. }) {
        return Actor::system();
    }
    let id = e.actor.to_string();
    let person = engine.org().person(&id);
    let (role, unit) = match person.map(|p| p.role) {
        Some(Role::GridWorker) => ("grid_worker", None),
        Some(Role::CommitteeMember) => ("committee_member", None),
        Some(_) => match person.map(|p| p.unit.to_string()) {
            Some(unit) if engine.org().office(&unit).is_some() => ("office", Some(unit)),
            _ => ("subdistrict", None),
        },
        None => ("subdistrict", None),
    };
    Actor {
        id,
        role: role.to_owned(),
        unit,
    }
}

/// The month's events that the authorized path accepts, with their actors: the system's
/// own events recorded by the system.
fn accepted_events(engine: &Engine, cases: usize) -> Vec<(Actor, EventRecord)> {
    let cases = sim::month_cases(engine, 2026, 3, cases, 20_260_302);
    let mut ledger = Ledger::new();
    let mut out = Vec::new();
    for mut e in ledger_workload(engine, &cases) {
        if action_of(&e.event).is_none() || matches!(e.event, Event::Reported { .. }) {
            e.actor = "system".parse().expect("a valid id");
        }
        let a = actor_for(engine, &e);
        if engine.record(&mut ledger, &a, e.clone()).is_ok() {
            out.push((a, e));
        }
    }
    out
}

fn bench_store(c: &mut Criterion) {
    let engine = Engine::fushan();
    let events = accepted_events(&engine, 20_000);
    let records: Vec<EventRecord> = events.iter().map(|(_, e)| e.clone()).collect();

    let mut group = c.benchmark_group("write_path");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("append_unchecked", |b| {
        b.iter_batched(
            || records.clone(),
            |records| {
                let mut l = Ledger::new();
                for e in records {
                    l.append(e).expect("valid");
                }
                black_box(l.len())
            },
            BatchSize::LargeInput,
        );
    });
    group.bench_function("chain_only", |b| {
        // What the chain adds to each append: the canonical bytes and one SHA-256 step.
        b.iter(|| {
            let mut head = gridgov::case::ledger::GENESIS;
            for e in &records {
                head = chain_record(&head, e);
            }
            black_box(head)
        });
    });
    group.bench_function("record_authorized", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut l = Ledger::new();
                for (a, e) in events {
                    engine.record(&mut l, &a, e).expect("accepted once");
                }
                black_box(l.len())
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("sqlite_append");
    group.sample_size(10);
    let dir = scratch("sqlite");
    for (name, durability, n) in [
        ("single_full", Durability::Full, 200),
        ("single_process", Durability::Process, 2_000),
    ] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let l = fresh_file(&dir.join(format!("{name}.sqlite")), durability);
                    (l, records.iter().take(n).cloned().collect::<Vec<_>>())
                },
                |(mut l, events)| {
                    for e in events {
                        l.append(e).expect("valid");
                    }
                    black_box(l.len())
                },
                BatchSize::PerIteration,
            );
        });
    }
    let n = 20_000.min(records.len());
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("batches_of_1000_full", |b| {
        b.iter_batched(
            || {
                let l = fresh_file(&dir.join("batched.sqlite"), Durability::Full);
                (l, records.iter().take(n).cloned().collect::<Vec<_>>())
            },
            |(mut l, events)| {
                for chunk in events.chunks(1_000) {
                    l.append_all(chunk.to_vec()).expect("valid");
                }
                black_box(l.len())
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);

    reopen_once(&engine);
}

/// Writes a file of many cases once, in batches, and reopens it; prints both.
fn reopen_once(engine: &Engine) {
    let cases: usize = std::env::var("GRIDGOV_BENCH_REOPEN_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = scratch("reopen");
    let path = dir.join("ledger.sqlite");
    let month = sim::month_cases(engine, 2026, 3, cases, 20_260_302);
    let events = ledger_workload(engine, &month);
    drop(month);
    let n = events.len();
    let started = Instant::now();
    {
        let mut l = Ledger::open(&path).expect("a new file");
        let mut events = events.into_iter();
        loop {
            let chunk: Vec<EventRecord> = events.by_ref().take(10_000).collect();
            if chunk.is_empty() {
                break;
            }
            l.append_all(chunk).expect("the workload is valid");
        }
    }
    let wrote = started.elapsed();
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.join("ledger.sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    let started = Instant::now();
    let l = Ledger::open(&path).expect("the file reopens");
    let reopened = started.elapsed();
    assert_eq!(l.len(), n);
    println!(
        "sqlite store: {cases} cases, {n} events written in batches of 10,000 in {:.1} s ({:.0} events/s), file {:.0} MB; reopened (read, chain checked, replayed) in {:.1} s ({:.2} us per event, {:.1} us per case)",
        wrote.as_secs_f64(),
        n as f64 / wrote.as_secs_f64(),
        bytes as f64 / 1e6,
        reopened.as_secs_f64(),
        reopened.as_secs_f64() * 1e6 / n as f64,
        reopened.as_secs_f64() * 1e6 / cases as f64,
    );
    drop(l);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
