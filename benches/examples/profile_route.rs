//! Profiling harness: `cargo run --release -p gridgov-benches --example profile_route -- [mode] [n]`
//! (env `SCALE`, the city's size in Fushans, default 100; `REPS`, default 40; `RULES`, a
//! rule set file). Modes: `evaluate`, `table`, `prepare`, `route`, `trace`; the batch path
//! `columns`, `columns-dictionary`, `columns-typed`, `columns-alldict` (as `columns-typed`,
//! with `risk_flags` and `attributes` dictionary-encoded too: what the per-row hashing of
//! those two plain text columns costs); the per-call path on documents as the
//! Python bench gives them: `json` (the whole call), `json-parse` (the full reader),
//! `json-lean-parse` (the lean reader), `json-lean` (it and `route_text`), `json-view` (it
//! and the case-free view), `json-out` (a `Case` routed and printed), and over decisions
//! made beforehand `json-write` (view and print), `json-write-view`, `json-write-only`.
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a profiling harness"
)]

use std::time::Instant;

use gridgov::calendar::Calendar;
use gridgov::org::OrgGraph;
use gridgov::rules::RuleSet;
use gridgov::{Engine, internals, sim};
use gridgov_benches::synthetic_city;

fn main() {
    let what = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "route".to_owned());
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let scale: usize = std::env::var("SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let org = OrgGraph::from_spec(synthetic_city(scale, 7)).expect("valid city");
    let rules = match std::env::var("RULES") {
        Ok(path) => {
            RuleSet::from_json_str(&std::fs::read_to_string(path).expect("read")).expect("rules")
        }
        Err(_) => RuleSet::fushan(),
    };
    let engine = Engine::new(org, rules, Calendar::china()).expect("fits");
    let cases = sim::month_cases(&engine, 2026, 3, n, 20_260_301);
    let prepared: Vec<_> = cases
        .iter()
        .take(if what.starts_with("columns") { 0 } else { n })
        .map(|c| internals::prepare(&engine, c).expect("valid"))
        .collect();
    let texts: Vec<String> = if what.starts_with("json") {
        // As the Python bench gives them: the routing fields, without a reporter or a
        // summary (which the simulated table leaves out).
        cases
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.reporter = None;
                c.summary = None;
                serde_json::to_string(&c).expect("serialises")
            })
            .collect()
    } else {
        Vec::new()
    };
    let batch = if what.starts_with("columns") {
        let (_, batch) = gridgov::arrow::cases_table(&cases).expect("a table");
        match what.as_str() {
            "columns-dictionary" => {
                gridgov_benches::dictionary_encoded(&batch, &["channel", "category", "location"])
            }
            "columns-typed" => gridgov_benches::typed_reported_at(
                &gridgov_benches::dictionary_encoded(&batch, &["channel", "category", "location"]),
                &cases,
            ),
            "columns-alldict" => gridgov_benches::typed_reported_at(
                &gridgov_benches::dictionary_encoded(
                    &batch,
                    &[
                        "channel",
                        "category",
                        "location",
                        "risk_flags",
                        "attributes",
                    ],
                ),
                &cases,
            ),
            _ => batch,
        }
    } else {
        gridgov::arrow::cases_table(&[]).expect("a table").1
    };
    let routed_all: Vec<_> = if what.starts_with("json-write") {
        texts
            .iter()
            .filter_map(|s| {
                gridgov::lean::CaseText::from_json_str(s).and_then(|c| engine.route_text(c))
            })
            .collect()
    } else {
        Vec::new()
    };
    let views: Vec<_> = if what == "json-write-only" {
        routed_all
            .iter()
            .map(|r| r.decision(&engine).view_with(false))
            .collect()
    } else {
        Vec::new()
    };
    let t = Instant::now();
    let mut acc = 0usize;
    for _ in 0..reps {
        match what.as_str() {
            "evaluate" => {
                for p in &prepared {
                    acc += internals::evaluate(&engine, p).map_or(0, |v| v.level().rank());
                }
            }
            "table" => {
                for p in &prepared {
                    acc += internals::table_first_match(&engine, p, 0).unwrap_or(0);
                }
            }
            "json" => {
                for s in &texts {
                    acc += gridgov::json::route_json(&engine, s).map_or(0, |d| d.len());
                }
            }
            "json-lean-parse" => {
                for s in &texts {
                    acc += gridgov::lean::CaseText::from_json_str(s)
                        .map_or(0, |c| c.people_involved as usize);
                }
            }
            "json-lean" => {
                for s in &texts {
                    acc += gridgov::lean::CaseText::from_json_str(s)
                        .and_then(|c| engine.route_text(c))
                        .map_or(0, |r| r.case().people_involved as usize);
                }
            }
            "json-view" => {
                for s in &texts {
                    acc += gridgov::lean::CaseText::from_json_str(s).map_or(0, |c| {
                        engine.route_text_view(&c).map_or(0, |v| v.co_offices.len())
                    });
                }
            }
            "json-write" => {
                for r in &routed_all {
                    acc += r.decision(&engine).to_json().len();
                }
            }
            "json-write-view" => {
                for r in &routed_all {
                    acc += r.decision(&engine).view_with(false).flags.len();
                }
            }
            "json-write-only" => {
                for v in &views {
                    acc += v.to_json().len();
                }
            }
            "json-parse" => {
                for s in &texts {
                    acc +=
                        gridgov::Case::from_json_str(s).map_or(0, |c| c.people_involved as usize);
                }
            }
            "json-out" => {
                for c in &cases {
                    acc += engine.route(c).map_or(0, |d| d.to_json().len());
                }
            }
            "trace" => {
                for c in &cases {
                    acc += engine.route(c).map_or(0, |d| d.trace().len());
                }
            }
            "columns" | "columns-dictionary" | "columns-typed" | "columns-alldict" => {
                let (_, out) = gridgov::arrow::route_batches(
                    &engine,
                    std::slice::from_ref(&batch),
                    gridgov::arrow::ErrorMode::Raise,
                    Some(1),
                )
                .expect("routes");
                acc += out.iter().map(|b| b.num_rows()).sum::<usize>();
            }
            "prepare" => {
                for c in &cases {
                    acc += usize::from(internals::prepare(&engine, c).is_ok());
                }
            }
            _ => {
                for c in &cases {
                    acc += engine.route(c).map_or(0, |d| d.level().rank());
                }
            }
        }
    }
    let per = t.elapsed().as_nanos() as f64 / (reps as f64 * n as f64);
    println!("{what}: {per:.1} ns per case ({acc})");
}
