//! CSV written and read, 1,000,000 rows of the Fushan default: why the batch paths write
//! and read plain lines by hand beside the `csv` crate's parser.
//!
//! `cargo bench -p gridgov-benches --bench csv`:
//! - `write_gridgov`: `gridgov::csvio::CsvWriter` (a property test in core/src/csvio.rs
//!   holds its bytes equal to the `csv` crate's);
//! - `write_csv_crate`: the same fields through `csv::Writer` into memory;
//! - `read_gridgov`: a cases CSV of 1,000,000 rows read record by record through
//!   `gridgov::csvio::CsvRecords` (lines without quotes split by hand, the rest parsed by
//!   `csv-core`; a property test holds it equal to the `csv` crate's reader);
//! - `read_csv_crate`: the same text through the `csv` crate's `Reader`.
#![allow(
    clippy::expect_used,
    reason = "a benchmark stops on broken set-up data"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gridgov::batch::{DECISION_COLUMNS, DecisionRow, LIST_SEPARATOR};
use gridgov::csvio::{CsvRecords, CsvWriter};
use gridgov::{Engine, sim};

const ROWS: usize = 1_000_000;

/// Every decision of a seeded month as the text of its CSV fields.
fn decision_fields(engine: &Engine) -> Vec<Vec<String>> {
    sim::month_cases(engine, 2026, 3, ROWS, 20_260_301)
        .iter()
        .map(|case| {
            let d = engine.route(case).expect("generated cases route");
            let row = DecisionRow::from(&d);
            let opt = |v: Option<&str>| v.unwrap_or("").to_owned();
            vec![
                row.case.to_owned(),
                row.version.to_owned(),
                opt(row.grade),
                row.level.to_owned(),
                opt(row.unit),
                opt(row.unit_name),
                opt(row.office),
                row.co_offices.join(LIST_SEPARATOR),
                opt(row.handler),
                opt(row.handler_role),
                row.time_limit.to_string(),
                row.due.to_string(),
                row.flags.join(LIST_SEPARATOR),
                row.rule_table.to_owned(),
                row.rule_row.to_owned(),
                String::new(),
                String::new(),
            ]
        })
        .collect()
}

fn bench_csv(c: &mut Criterion) {
    let engine = Engine::fushan();
    let rows = decision_fields(&engine);
    let capacity = rows.len() * 160;
    let mut group = c.benchmark_group("csv_1m_decision_rows");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.sample_size(10);
    group.bench_function("write_gridgov", |b| {
        b.iter(|| {
            let mut w = CsvWriter::with_capacity(capacity);
            w.record(DECISION_COLUMNS);
            for r in black_box(&rows) {
                w.record(r.iter().map(String::as_str));
            }
            w.finish().len()
        });
    });
    group.bench_function("write_csv_crate", |b| {
        b.iter(|| {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::with_capacity(capacity));
            w.write_record(DECISION_COLUMNS).expect("in memory");
            for r in black_box(&rows) {
                w.write_record(r).expect("in memory");
            }
            w.into_inner().expect("in memory").len()
        });
    });
    group.finish();

    // Reading: the cases CSV that `route_csv` reads (a quoted JSON `attributes` field in
    // some rows, the rest plain).
    let text = gridgov::batch::cases_to_csv(&sim::month_cases(&engine, 2026, 3, ROWS, 7));
    let quoted = text.lines().filter(|l| l.contains('"')).count();
    println!(
        "cases CSV: {} bytes, {ROWS} rows, {quoted} with quotes",
        text.len()
    );
    let mut group = c.benchmark_group("csv_1m_case_rows");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.bench_function("read_gridgov", |b| {
        b.iter(|| {
            let mut records = CsvRecords::new(black_box(&text));
            let mut n = 0usize;
            while let Some(Ok(_)) = records.next_record() {
                n += records.record().iter().map(str::len).sum::<usize>();
            }
            n
        });
    });
    group.bench_function("read_csv_crate", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(black_box(text.as_bytes()));
            let mut record = csv::StringRecord::new();
            let mut n = 0usize;
            while reader.read_record(&mut record).unwrap_or(false) {
                n += record.iter().map(str::len).sum::<usize>();
            }
            n
        });
    });
    group.finish();
}

criterion_group!(benches, bench_csv);
criterion_main!(benches);
