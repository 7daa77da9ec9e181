//! Monthly scoring: the figures of each scheme rule at its boundaries, ranking and lists,
//! inactive grids, demands, rewards and the talent pool asserted by hand; the ledger and an
//! exported outcome table giving the same report; and properties that hold for any table.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use gridgov::Engine;
use gridgov::score::{
    Indicator, MonthReport, OutcomeRow, ScoreError, ScoreOptions, VisitRow, outcomes_from_csv,
    outcomes_to_csv, split_budget,
};
use gridgov::sim::{self, SplitMix64};
use proptest::prelude::*;
use serde_json::{Value, json};

fn engine_with(edit: impl FnOnce(&mut Value)) -> Engine {
    let mut rules = gridgov_tests::score_rules();
    edit(&mut rules["versions"][0]["scoring"]);
    Engine::from_json_strs(
        Some(&gridgov_tests::score_org().to_string()),
        Some(&rules.to_string()),
        None,
    )
    .unwrap()
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| engine_with(|_| {}));
/// Items without data score zero.
static ZERO: LazyLock<Engine> =
    LazyLock::new(|| engine_with(|s| s["scheme"]["when_missing"] = json!("zero")));
/// A grid with no case due is not evaluable.
static STRICT: LazyLock<Engine> = LazyLock::new(|| {
    engine_with(|s| s["scheme"]["items"][0]["when_missing"] = json!("not_evaluable"))
});

fn t(day: u32, hm: &str) -> String {
    format!("2026-03-{day:02}T{hm}:00+08:00")
}

/// Reported on a March day at 09:00, resolved at grid level the next day, due the day
/// after at 17:30.
fn ok(id: &str, loc: &str, day: u32, sat: u8) -> Value {
    json!({"id": id, "location": loc, "category": "dispute", "reported_at": t(day, "09:00"),
           "resolved_at": t(day + 1, "10:00"), "resolved_level": "grid",
           "due": t(day + 2, "17:30"), "satisfaction": sat})
}

fn rows(v: Value) -> Vec<OutcomeRow> {
    serde_json::from_value(v).unwrap()
}

fn visits(pairs: &[(&str, u32)]) -> Vec<VisitRow> {
    pairs
        .iter()
        .map(|(u, n)| {
            serde_json::from_value(json!({"unit": u, "at": t(3, "10:00"), "households": n}))
                .unwrap()
        })
        .collect()
}

fn score_on(
    engine: &Engine,
    rows: &[OutcomeRow],
    visits: &[VisitRow],
    budget: Option<u64>,
) -> MonthReport {
    let table = engine.compile_outcomes(rows, visits, &[]).unwrap();
    let mut o = ScoreOptions::new("2026-03".parse().unwrap());
    o.budget_fen = budget;
    engine.score(&table, &o).unwrap()
}

fn score(rows: &[OutcomeRow], visits: &[VisitRow]) -> MonthReport {
    score_on(&ENGINE, rows, visits, None)
}

fn grid<'a>(r: &'a MonthReport, id: &str) -> &'a gridgov::score::UnitScore {
    r.grids.iter().find(|g| &*g.id == id).unwrap()
}

/// A unit's items as printed; `null` for an item without data.
fn items(r: &MonthReport, id: &str) -> Vec<String> {
    grid(r, id)
        .items
        .iter()
        .map(|p| p.map_or_else(|| "null".to_owned(), |p| p.to_string()))
        .collect()
}

/// A grid's score as printed; `null` when it is not evaluable.
fn points(r: &MonthReport, id: &str) -> String {
    grid(r, id)
        .score
        .map_or_else(|| "null".to_owned(), |p| p.to_string())
}

#[test]
fn at_least_holds_at_equality() {
    // 4 of 5 closed is exactly 80%: the closure item pays; 3 of 4 (75%) does not.
    let mut v: Vec<Value> = (0..4).map(|i| ok(&format!("a{i}"), "m1", 2, 5)).collect();
    v.push(json!({"id": "open", "location": "m1", "category": "dispute", "reported_at": t(20, "09:00")}));
    let r = score(&rows(Value::Array(v.clone())), &[]);
    assert_eq!(
        grid(&r, "g1")
            .indicators
            .get(Indicator::ClosureRate)
            .unwrap()
            .to_string(),
        "0.8000"
    );
    assert_eq!(items(&r, "g1")[1], "20.00");
    v.remove(0);
    let r = score(&rows(Value::Array(v)), &[]);
    assert_eq!(items(&r, "g1")[1], "0.00");
}

#[test]
fn linear_items_deduct_per_step_short_and_stop_at_zero() {
    // 8 of 9 on time = 0.8889, 1.11 points short of 90%: 40 − 2 × 1.11 = 37.78.
    let mut v: Vec<Value> = (0..8).map(|i| ok(&format!("a{i}"), "m1", 2, 5)).collect();
    v.push(
        json!({"id": "late", "location": "m1", "category": "dispute", "reported_at": t(2, "09:00"),
                  "due": t(4, "17:30"), "resolved_at": t(5, "09:00"), "resolved_level": "grid"}),
    );
    let r = score(&rows(Value::Array(v)), &[]);
    assert_eq!(items(&r, "g1")[0], "37.78");
    assert_eq!(points(&r, "g1"), "87.78");
    // 1 of 2 on time: 40 − 80 stops at 0.
    let r = score(
        &rows(
            json!([ok("a", "m1", 2, 5), {"id": "late", "location": "m1", "category": "dispute",
            "reported_at": t(2, "09:00"), "due": t(4, "17:30"), "resolved_at": t(5, "09:00"), "resolved_level": "grid"}]),
        ),
        &[],
    );
    assert_eq!(items(&r, "g1")[0], "0.00");
}

#[test]
fn deadlines_are_inclusive_to_the_second() {
    let case = |res: &str| {
        rows(
            json!([{"id": "a", "location": "m1", "category": "dispute", "reported_at": t(2, "09:00"),
                     "due": t(4, "17:30"), "resolved_at": res, "resolved_level": "grid"}]),
        )
    };
    let on_time = score(&case(&t(4, "17:30")), &[]);
    assert_eq!(grid(&on_time, "g1").counts.on_time, 1);
    let late = score(&case("2026-03-04T17:30:01+08:00"), &[]);
    assert_eq!(grid(&late, "g1").counts.on_time, 0);
    assert_eq!(grid(&late, "g1").counts.overdue(), 1);
}

#[test]
fn at_most_and_proportional_items() {
    // 1 repeat in 10 reports = 10%: at_most holds; visits 25 of 100 = half of 50%: 5 points.
    let mut v: Vec<Value> = (0..9).map(|i| ok(&format!("a{i}"), "m1", 2, 5)).collect();
    v.push(json!({"id": "r", "location": "m1", "category": "dispute", "reported_at": t(3, "09:00"), "repeat_of": "a0"}));
    let r = score(&rows(Value::Array(v.clone())), &visits(&[("m1", 25)]));
    assert_eq!(items(&r, "g1")[3], "10.00");
    assert_eq!(items(&r, "g1")[4], "5.00");
    v.push(json!({"id": "r2", "location": "m1", "category": "dispute", "reported_at": t(3, "09:00"), "repeat_of": "a1"}));
    let r = score(&rows(Value::Array(v)), &visits(&[("m1", 60)]));
    assert_eq!(items(&r, "g1")[3], "0.00", "2 of 11 = 0.1818 > 10%");
    assert_eq!(items(&r, "g1")[4], "10.00");
}

#[test]
fn penalties_stop_at_their_max_and_scores_at_the_floor() {
    let v = rows(
        json!([{"reopened": 5, "id": "a", "location": "m1", "category": "dispute",
        "reported_at": t(2, "09:00"), "resolved_at": t(3, "10:00"), "resolved_level": "grid",
        "due": t(4, "17:30"), "satisfaction": 5}]),
    );
    let r = score(&v, &visits(&[("m1", 50)]));
    assert_eq!(items(&r, "g1")[5], "-3.00");
    assert_eq!(points(&r, "g1"), "97.00");
    let harsh = engine_with(|s| {
        s["scheme"]["items"][5] = json!({"penalty": "reopened", "points": 60});
    });
    let r = score_on(&harsh, &v, &visits(&[("m1", 50)]), None);
    assert_eq!(points(&r, "g1"), "0.00", "floor 0");
    let no_floor = engine_with(|s| {
        s["scheme"]["items"][5] = json!({"penalty": "reopened", "points": 60});
        s["scheme"].as_object_mut().unwrap().remove("floor");
    });
    let r = score_on(&no_floor, &v, &visits(&[("m1", 50)]), None);
    assert_eq!(points(&r, "g1"), "-200.00");
}

#[test]
fn indicators_without_data_earn_no_free_points() {
    // g1: one case resolved on time and satisfied, no visit (visit coverage 0 of 100
    // households is data). g2: one case, open and not yet due.
    let v = rows(json!([
        ok("a", "m1", 2, 5),
        {"id": "b", "location": "m2", "category": "dispute", "reported_at": t(30, "09:00")}
    ]));
    let r = score(&v, &[]);
    // g1: 40 + 20 + 20 + 10 + 0 of 100, nothing left out.
    assert_eq!(points(&r, "g1"), "90.00");
    // g2: on time, satisfaction left out (60 points); closure 0, repeats 10, visits 0:
    // 10 of 40 measured → 25.00. Never the 90.00 the old `full` rule gave.
    assert_eq!(
        items(&r, "g2"),
        ["null", "0.00", "null", "10.00", "0.00", "0.00"]
    );
    assert_eq!(points(&r, "g2"), "25.00");
    assert!(grid(&r, "g1").rank < grid(&r, "g2").rank);
    // g3, g4: no case and no visit: inactive, unranked, not evaluable (nothing measured
    // but visits of 0 → 0 of 10 points; still inactive, so unranked).
    for g in ["g3", "g4"] {
        assert!(grid(&r, g).inactive);
        assert_eq!(grid(&r, g).rank, 0);
    }
    // `zero`: the empty items count as 0 of their points.
    let zero = engine_with(|s| s["scheme"]["when_missing"] = json!("zero"));
    let r = score_on(&zero, &v, &[], None);
    assert_eq!(points(&r, "g2"), "10.00");
    // `not_evaluable` on the on-time item: g2 has no case due, so it gets no score.
    let strict = engine_with(|s| s["scheme"]["items"][0]["when_missing"] = json!("not_evaluable"));
    let r = score_on(&strict, &v, &[], None);
    assert_eq!(points(&r, "g2"), "null");
    assert!(!grid(&r, "g2").evaluable);
    assert_eq!(grid(&r, "g2").rank, 0);
    assert_eq!(grid(&r, "g1").rank, 1);
    assert_eq!(r.red_list, ["g1"]);
    assert!(
        r.black_list.is_empty(),
        "g1 is on the red list; nobody else is ranked"
    );
}

#[test]
fn scores_print_half_away_from_zero() {
    // 13 of 16 satisfied = 0.8125 → 16.25 points → "16.3" with one place.
    let v: Vec<Value> = (0..16)
        .map(|i| ok(&format!("a{i}"), "m1", 2, if i < 13 { 5 } else { 1 }))
        .collect();
    let one = engine_with(|s| s["scheme"]["places"] = json!(1));
    let r = score_on(&one, &rows(Value::Array(v)), &[], None);
    assert_eq!(items(&r, "g1")[2], "16.3");
    assert_eq!(
        grid(&r, "g1").items[2].unwrap().ratio().to_string(),
        "16.25"
    );
}

#[test]
fn ties_break_by_on_time_rate_then_cases_then_id() {
    let vis = visits(&[("m1", 50), ("m2", 25)]);
    let late = json!({"id": "late", "location": "m1", "category": "dispute", "reported_at": t(2, "09:00"),
        "due": t(4, "17:30"), "resolved_at": t(5, "09:00"), "resolved_level": "grid", "satisfaction": 5});
    let mut v: Vec<Value> = (0..19).map(|i| ok(&format!("a{i}"), "m1", 2, 5)).collect();
    v.push(late);
    v.push(ok("b", "m2", 2, 5));
    let r = score(&rows(Value::Array(v)), &vis);
    assert_eq!(grid(&r, "g1").score, grid(&r, "g2").score);
    assert_eq!(
        (grid(&r, "g2").rank, grid(&r, "g1").rank),
        (1, 2),
        "g2 is 100% on time"
    );
    let r = score(
        &rows(json!([
            ok("a1", "m1", 2, 5),
            ok("a2", "m1", 2, 5),
            ok("b", "m2", 2, 5)
        ])),
        &vis,
    );
    assert_eq!(grid(&r, "g1").rank, 1, "more cases");
    let by_id = engine_with(|s| s["ranking"]["tie_break"] = json!(["id"]));
    let r = score_on(
        &by_id,
        &rows(json!([
            ok("a1", "m1", 2, 5),
            ok("b1", "m2", 2, 5),
            ok("b2", "m2", 2, 5)
        ])),
        &vis,
        None,
    );
    assert_eq!(grid(&r, "g1").rank, 1, "id only");
}

#[test]
fn inactive_grids_are_not_ranked_listed_or_rewarded() {
    let v = rows(json!([
        ok("a", "m1", 2, 1),
        ok("b", "m2", 2, 5),
        ok("c", "m3", 2, 5)
    ]));
    let vis = visits(&[("m1", 50), ("m2", 25), ("m3", 100)]);
    let wide = engine_with(|s| {
        s["ranking"]["red_list"] = json!(4);
        s["ranking"]["black_list"] = json!(4);
    });
    let r = score_on(&wide, &v, &vis, Some(100_000));
    let g4 = grid(&r, "g4");
    assert!(g4.inactive);
    assert_eq!(g4.rank, 0);
    assert_eq!(
        r.grids.last().map(|g| &*g.id),
        Some("g4"),
        "listed after the ranked"
    );
    assert_eq!(r.inactive.len(), 1);
    assert!(!r.inactive[0].zombie);
    // Three ranked grids for lists of four and four: shared, 2 red and 1 black.
    assert_eq!((r.red_list.len(), r.black_list.len()), (2, 1));
    assert!(!r.red_list.iter().chain(&r.black_list).any(|g| g == "g4"));
    let rewards = r.rewards.unwrap();
    assert_eq!(rewards.allocations.len(), 3);
    assert!(rewards.allocations.iter().all(|a| a.grid != "g4"));
    // `inactive_last` and `exclude_inactive` are gone: an inactive grid is never ranked.
    let mut rules = gridgov_tests::score_rules();
    rules["versions"][0]["scoring"]["ranking"]["inactive_last"] = json!(false);
    let err = gridgov::rules::RuleSet::from_json_str(&rules.to_string()).unwrap_err();
    assert!(err.to_string().contains("inactive_last"), "{err}");
}

#[test]
fn history_gives_change_streaks_zombies_and_talent() {
    let feb = |id: &str, loc: &str, sat: u8| {
        json!({"id": id, "location": loc, "category": "dispute", "reported_at": "2026-02-02T09:00:00+08:00",
               "resolved_at": "2026-02-03T10:00:00+08:00", "resolved_level": "grid",
               "due": "2026-02-04T17:30:00+08:00", "satisfaction": sat})
    };
    let jan = |id: &str, loc: &str, sat: u8| {
        json!({"id": id, "location": loc, "category": "dispute", "reported_at": "2026-01-05T09:00:00+08:00",
               "resolved_at": "2026-01-06T10:00:00+08:00", "resolved_level": "grid",
               "due": "2026-01-07T17:30:00+08:00", "satisfaction": sat})
    };
    // g1 first in January and March, g2 first in February; g4 never does anything.
    let v = rows(json!([
        jan("ja", "m1", 5),
        jan("jb", "m2", 1),
        feb("fa", "m1", 1),
        feb("fb", "m2", 5),
        ok("a", "m1", 2, 5),
        ok("b", "m2", 2, 1)
    ]));
    let r = score(&v, &[]);
    assert_eq!(r.months_read.len(), 3);
    let g1 = grid(&r, "g1");
    assert_eq!(
        (g1.rank, g1.previous_rank, g1.change),
        (1, Some(2), Some(1))
    );
    assert_eq!(g1.red_streak, 1);
    assert_eq!(r.first_place.as_ref().map(|f| f.months), Some(1));
    let zombie = r.inactive.iter().find(|i| i.grid == "g4").unwrap();
    assert_eq!((zombie.months, zombie.zombie), (3, true));
    let pool: Vec<_> = r.talent_pool.iter().map(|t| t.worker.as_str()).collect();
    assert_eq!(pool, ["w1"], "w1 top in 2 of 3 months; w2 in 1");
    // With no history, none of it.
    let table = ENGINE.compile_outcomes(&v, &[], &[]).unwrap();
    let r = ENGINE
        .score(
            &table,
            &ScoreOptions::new("2026-03".parse().unwrap()).with_history(0),
        )
        .unwrap();
    assert_eq!(grid(&r, "g1").previous_rank, None);
    assert!(r.talent_pool.is_empty());
    assert!(r.inactive.iter().all(|i| i.months == 1));
}

#[test]
fn common_demands_count_the_window_before_the_months_end() {
    let h = |id: &str, loc: &str, at: &str| json!({"id": id, "location": loc, "category": "hazard", "reported_at": at});
    // Window [25 March 00:00, 1 April 00:00).
    let v = rows(json!([
        h("h0", "m1", "2026-03-24T23:59:59+08:00"),
        h("h1", "m1", "2026-03-25T00:00:00+08:00"),
        h("h2", "m2", &t(28, "09:00")),
        h("h3", "m3", &t(29, "09:00"))
    ]));
    let r = score(&v, &[]);
    assert!(
        r.common_demands.is_empty(),
        "x1 has 2 in the window, x2 has 1"
    );
    let mut more = v.clone();
    more.extend(rows(json!([h("h4", "m2", "2026-03-31T23:59:59+08:00")])));
    let r = score(&more, &[]);
    assert_eq!(r.common_demands.len(), 1);
    let d = &r.common_demands[0];
    assert_eq!((d.area.as_str(), d.reports), ("x1", 3));
    let ids: Vec<&str> = d.cases().collect();
    assert_eq!(ids, ["h1", "h2", "h4"]);
}

#[test]
fn rewards_split_by_printed_score_with_the_remainder_to_the_best() {
    let v = rows(json!([
        ok("a", "m1", 2, 5),
        ok("b", "m2", 2, 5),
        ok("c", "m3", 2, 5)
    ]));
    let vis = visits(&[("m1", 50), ("m2", 25), ("m3", 100)]);
    let r = score_on(&ENGINE, &v, &vis, Some(100));
    let rw = r.rewards.unwrap();
    let fen: Vec<u64> = rw.allocations.iter().map(|a| a.fen).collect();
    assert_eq!(fen, [34, 33, 33], "g4 is inactive and excluded");
    assert_eq!(rw.allocated_fen, 100);
    let floored = engine_with(|s| s["rewards"]["floor_fen"] = json!(40));
    let table = floored.compile_outcomes(&v, &vis, &[]).unwrap();
    let err = floored
        .score(
            &table,
            &ScoreOptions::new("2026-03".parse().unwrap()).with_budget(100),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            ScoreError::BudgetBelowFloor {
                grids: 3,
                needed: 120,
                ..
            }
        ),
        "{err}"
    );
    let tiers = engine_with(|s| {
        s["rewards"] =
            json!({"method": "tiers", "tiers": [{"top": 1, "weight": 3}, {"top": 3, "weight": 1}]});
    });
    let r = score_on(&tiers, &v, &vis, Some(1000));
    let fen: Vec<u64> = r
        .rewards
        .unwrap()
        .allocations
        .iter()
        .map(|a| a.fen)
        .collect();
    assert_eq!(fen, [600, 200, 200]);
}

#[test]
fn timely_acceptance_counts_working_hours_across_holidays_and_makeup_days() {
    let case = |id: &str, rep: &str, acc: &str| json!({"id": id, "location": "m1", "category": "dispute", "reported_at": rep, "accepted_at": acc});
    // 30 September 17:00 → 30 minutes that day, then the National Day holiday (1-7
    // October): the hour ends on 8 October at 09:00.
    // Friday 9 October 17:00 → Saturday 10 October is a make-up working day: 09:00.
    let v = rows(json!([
        case(
            "a",
            "2026-09-30T17:00:00+08:00",
            "2026-10-08T09:00:00+08:00"
        ),
        case(
            "b",
            "2026-09-30T17:00:00+08:00",
            "2026-10-08T09:01:00+08:00"
        ),
        case(
            "c",
            "2026-10-09T17:00:00+08:00",
            "2026-10-10T09:00:00+08:00"
        ),
        case(
            "d",
            "2026-10-09T17:00:00+08:00",
            "2026-10-12T08:40:00+08:00"
        ),
    ]));
    let table = ENGINE.compile_outcomes(&v, &[], &[]).unwrap();
    let sep = ENGINE
        .score(
            &table,
            &ScoreOptions::new("2026-09".parse().unwrap()).with_history(0),
        )
        .unwrap();
    let c = grid(&sep, "g1").counts;
    assert_eq!((c.accepted, c.accepted_timely), (2, 1));
    let oct = ENGINE
        .score(
            &table,
            &ScoreOptions::new("2026-10".parse().unwrap()).with_history(0),
        )
        .unwrap();
    let c = grid(&oct, "g1").counts;
    assert_eq!(
        (c.accepted, c.accepted_timely),
        (2, 1),
        "Monday 08:40 is past the make-up Saturday"
    );
}

#[test]
fn a_table_compiled_by_another_engine_is_refused() {
    let table = Engine::fushan().compile_outcomes(&[], &[], &[]).unwrap();
    let err = ENGINE
        .score(&table, &ScoreOptions::new("2026-03".parse().unwrap()))
        .unwrap_err();
    assert_eq!(err.code(), "score_request");
}

#[test]
fn csv_errors_name_row_line_and_column() {
    let e = outcomes_from_csv("id,location,category,reported_at\n\na,m1,dispute,yesterday\n")
        .unwrap_err();
    assert_eq!(
        (e.row, e.line, e.column.as_deref()),
        (1, Some(3), Some("reported_at"))
    );
    let e = outcomes_from_csv("id,location,category\n").unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (0, Some("reported_at")));
}

/// A simulated month of the Fushan default, shared by the tests below.
static MARCH: LazyLock<sim::Simulation> =
    LazyLock::new(|| sim::simulate_month(&Engine::fushan(), 2026, 3, 2400, 7));
static FUSHAN: LazyLock<Engine> = LazyLock::new(Engine::fushan);

#[test]
fn the_ledger_and_its_exported_table_give_the_same_report() {
    let ledger = &MARCH.ledger;
    let options = ScoreOptions::new("2026-03".parse().unwrap()).with_budget(50_000_000);
    let from_ledger = FUSHAN.score_ledger(ledger, &[], &options).unwrap();
    // Export the table as CSV, as another system would, and read it back.
    let rows = FUSHAN.outcomes(ledger);
    let csv = outcomes_to_csv(&rows);
    let back = outcomes_from_csv(&csv).unwrap();
    assert_eq!(back, rows);
    let mut table = FUSHAN
        .compile_outcomes(&back, &FUSHAN.visits(ledger), &[])
        .unwrap();
    FUSHAN
        .compile_grid_work(
            &mut table,
            &FUSHAN.meetings(ledger),
            &FUSHAN.register_rows(ledger),
        )
        .unwrap();
    let mut from_table = FUSHAN.score(&table, &options).unwrap();
    // Only a ledger knows the month's own work in full (visits' findings, teams…).
    assert!(from_table.work.is_none());
    let march = |d| gridgov::time::Date::new(2026, d, 1).unwrap();
    let work = FUSHAN.work_summary(ledger, march(3), march(4));
    assert_eq!(from_ledger.work.as_ref(), Some(&work));
    from_table.work = Some(work.clone());
    assert_eq!(from_ledger, from_table);
    // The meetings and the register scored are those the summary counts.
    let c = &from_ledger.total.counts;
    assert_eq!(c.meetings, work.meetings);
    assert_eq!(c.meetings_attended, work.meetings_fully_attended);
    assert!(work.meetings > 100, "{work:?}");
    assert!(work.registered > 0 && c.register_closed > 0, "{work:?}");
    assert!(c.register_resolved <= c.register_closed);
    assert_eq!(
        gridgov::json::score_json(
            &FUSHAN,
            ledger,
            r#"{"month": "2026-03", "budget_fen": 50000000}"#
        )
        .unwrap(),
        serde_json::to_string(&from_table).unwrap()
    );

    // The same facts counted straight from the ledger's case states.
    let state = ledger.state();
    let zone = FUSHAN.calendar().zone();
    let in_march =
        |t: gridgov::Timestamp| zone.date_of(t).ymd().1 == 3 && zone.date_of(t).ymd().0 == 2026;
    let c = from_ledger.total.counts;
    let cases: Vec<_> = state.cases().iter().collect();
    assert_eq!(
        c.reports as usize,
        cases
            .iter()
            .filter(|s| in_march(s.case.reported_at))
            .count()
    );
    assert_eq!(
        c.repeats as usize,
        cases
            .iter()
            .filter(|s| s.extras.merged_into.is_some())
            .count()
    );
    let resolved: Vec<_> = cases
        .iter()
        .filter(|s| s.extras.merged_into.is_none() && s.resolved_at.is_some_and(in_march))
        .collect();
    assert_eq!(c.resolved as usize, resolved.len());
    assert_eq!(
        c.in_grid as usize,
        resolved
            .iter()
            .filter(|s| s.resolved_level.is_some_and(|l| l.rank() <= 1))
            .count()
    );
    assert_eq!(
        c.evaluations as usize,
        resolved.iter().filter(|s| s.satisfaction.is_some()).count()
    );
    let visited: u32 = state
        .visits()
        .iter()
        .filter(|v| in_march(v.at))
        .map(|v| v.households)
        .sum();
    assert_eq!(c.visited_households, visited);
    // On time: resolved by the deadline in force, pauses counted.
    let on_time = cases
        .iter()
        .filter(|s| {
            FUSHAN.resolved_on_time(s) == Some(true)
                && rows
                    .iter()
                    .find(|r| r.id == s.case.id)
                    .and_then(|r| r.due)
                    .is_some_and(in_march)
        })
        .count();
    assert_eq!(c.on_time as usize, on_time);
    assert_eq!(MARCH.refused, 0);
    let rw = from_ledger.rewards.unwrap();
    assert_eq!(
        rw.allocations.iter().map(|a| a.fen).sum::<u64>(),
        50_000_000
    );
}

#[test]
fn the_order_of_rows_does_not_matter() {
    let ledger = &MARCH.ledger;
    let mut rows = FUSHAN.outcomes(ledger);
    let vis = FUSHAN.visits(ledger);
    let options = ScoreOptions::new("2026-03".parse().unwrap()).with_budget(1_000_000);
    let a = FUSHAN
        .score(
            &FUSHAN.compile_outcomes(&rows, &vis, &[]).unwrap(),
            &options,
        )
        .unwrap();
    let mut rng = SplitMix64::new(11);
    for i in (1..rows.len()).rev() {
        let j = usize::try_from(rng.next_u64() % (i as u64 + 1)).unwrap();
        rows.swap(i, j);
    }
    let b = FUSHAN
        .score(
            &FUSHAN.compile_outcomes(&rows, &vis, &[]).unwrap(),
            &options,
        )
        .unwrap();
    assert_eq!(a, b);
}

proptest! {
    #[test]
    fn budgets_split_exactly(budget in 0u64..=u64::MAX, floor in 0u64..1_000_000,
                             weights in proptest::collection::vec(0u64..=u64::MAX, 0..40)) {
        match split_budget(budget, floor, &weights) {
            None => prop_assert!(u128::from(floor) * weights.len() as u128 > u128::from(budget)),
            Some(fen) => {
                prop_assert_eq!(fen.len(), weights.len());
                if !weights.is_empty() {
                    prop_assert_eq!(fen.iter().map(|f| u128::from(*f)).sum::<u128>(), u128::from(budget));
                }
                prop_assert!(fen.iter().all(|f| *f >= floor));
                // Each share is within one fen of its exact share, and more weight never
                // gets less.
                let rest = u128::from(budget) - u128::from(floor) * weights.len() as u128;
                let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
                for (i, (f, w)) in fen.iter().zip(&weights).enumerate() {
                    let exact_floor = match sum {
                        0 => rest / weights.len() as u128,
                        s => rest * u128::from(*w) / s,
                    };
                    let got = u128::from(*f - floor);
                    prop_assert!(got == exact_floor || got == exact_floor + 1, "share {i}");
                    for (g, v) in fen.iter().zip(&weights) {
                        if w > v { prop_assert!(f >= g); }
                    }
                }
            }
        }
    }

    #[test]
    fn any_table_gives_a_consistent_report(seed in any::<u64>(), n in 0usize..60, budget in 0u64..10_000_000, variant in 0u8..3) {
        let mut rng = SplitMix64::new(seed);
        let locs = ["m1", "m2", "m3", "m4", "g1", "g3"];
        let cats = ["dispute", "hazard", "other"];
        let levels = ["micro_grid", "grid", "community", "subdistrict", "department"];
        let mut v = Vec::new();
        for i in 0..n {
            let pick = |rng: &mut SplitMix64, k: usize| usize::try_from(rng.next_u64() % k as u64).unwrap();
            let day = 1 + pick(&mut rng, 28) as u32;
            let mut r = json!({"id": format!("c{i}"), "location": locs[pick(&mut rng, locs.len())],
                "category": cats[pick(&mut rng, cats.len())], "reported_at": format!("2026-{:02}-{day:02}T09:00:00+08:00", 1 + pick(&mut rng, 3)),
                "due": format!("2026-03-{:02}T17:30:00+08:00", 1 + pick(&mut rng, 30))});
            if pick(&mut rng, 4) > 0 {
                r["resolved_at"] = json!("2026-03-31T18:00:00+08:00");
                r["resolved_level"] = json!(levels[pick(&mut rng, 5)]);
                r["satisfaction"] = json!(1 + pick(&mut rng, 5));
            }
            r["reopened"] = json!(pick(&mut rng, 3));
            if i > 0 && pick(&mut rng, 8) == 0 { r["repeat_of"] = json!("c0"); }
            v.push(r);
        }
        let rows: Vec<OutcomeRow> = serde_json::from_value(Value::Array(v)).unwrap();
        let engine = match variant % 3 {
            0 => &*ENGINE,
            1 => &*ZERO,
            _ => &*STRICT,
        };
        let r = score_on(engine, &rows, &visits(&[("m1", 30)]), Some(budget));
        // Ranks run 1..=k over the ranked grids, which are exactly the evaluable and
        // active ones; the others have rank 0.
        let mut ranks: Vec<usize> = r.grids.iter().map(|g| g.rank).filter(|r| *r > 0).collect();
        ranks.sort_unstable();
        prop_assert_eq!(&ranks, &(1..=ranks.len()).collect::<Vec<_>>());
        for g in &r.grids {
            prop_assert_eq!(g.rank > 0, g.evaluable && !g.inactive, "{}", g.id);
            prop_assert_eq!(g.evaluable, g.score.is_some());
        }
        // A better score never ranks lower.
        for a in r.grids.iter().filter(|g| g.rank > 0) {
            for b in r.grids.iter().filter(|g| g.rank > 0) {
                if a.score > b.score {
                    prop_assert!(a.rank < b.rank, "{} {:?} ranks below {} {:?}", a.id, a.score, b.id, b.score);
                }
            }
        }
        // Every listed or rewarded grid is ranked (so evaluable and active).
        let ranked = |id: &str| r.grids.iter().any(|g| g.id.as_ref() == id && g.rank > 0);
        prop_assert!(r.red_list.iter().chain(&r.black_list).all(|g| ranked(g.as_str())));
        prop_assert!(r.red_list.iter().all(|g| !r.black_list.contains(g)));
        if let Some(f) = &r.first_place {
            prop_assert!(ranked(f.grid.as_str()));
        }
        for a in &r.rewards.as_ref().unwrap().allocations {
            prop_assert!(ranked(a.grid.as_str()));
        }
        for w in r.workers.iter().chain(&r.communities) {
            prop_assert_eq!(w.rank > 0, w.evaluable && !w.inactive, "{}", w.id);
        }
        let hundred = gridgov::score::Ratio::int(100);
        for g in &r.grids {
            if let Some(s) = g.score {
                prop_assert!(s.ratio() >= gridgov::score::Ratio::ZERO && s.ratio() <= hundred);
            }
        }
        // The subdistrict, the communities and the workers add up the grids.
        let mut sums: BTreeMap<&str, u32> = BTreeMap::new();
        for g in &r.grids { *sums.entry("grids").or_default() += g.counts.reports; }
        for c in &r.communities { *sums.entry("communities").or_default() += c.counts.reports; }
        for w in &r.workers { *sums.entry("workers").or_default() += w.counts.reports; }
        prop_assert_eq!(sums.get("grids"), sums.get("communities"));
        prop_assert_eq!(sums.get("grids"), sums.get("workers"));
        prop_assert_eq!(sums.get("grids").copied().unwrap_or(0), r.total.counts.reports);
        let rw = r.rewards.unwrap();
        if rw.allocations.is_empty() {
            prop_assert_eq!(rw.allocated_fen, 0);
        } else {
            prop_assert_eq!(rw.allocations.iter().map(|a| a.fen).sum::<u64>(), budget);
        }
    }
}

/// The error a table gets when compiled: (row, column, message).
fn compile_error(v: Value) -> (usize, Option<String>, String) {
    let e = ENGINE.compile_outcomes(&rows(v), &[], &[]).unwrap_err();
    (e.row, e.column.clone(), e.reason)
}

#[test]
fn a_case_given_twice_is_refused_at_its_second_row() {
    let (row, column, reason) = compile_error(json!([
        ok("a", "m1", 2, 5),
        ok("b", "m1", 2, 5),
        ok("a", "m2", 3, 4)
    ]));
    assert_eq!((row, column.as_deref()), (3, Some("id")));
    assert_eq!(
        reason,
        "case `a` appears twice, in rows 1 and 3; give each case once"
    );
    // Three times: the second occurrence is the error, naming the first.
    let (row, _, reason) = compile_error(json!([
        ok("x", "m1", 2, 5),
        ok("a", "m1", 2, 5),
        ok("b", "m1", 2, 5),
        ok("a", "m1", 2, 5),
        ok("a", "m1", 2, 5)
    ]));
    assert_eq!(row, 4);
    assert!(reason.contains("in rows 2 and 4"));
    // Two different repeated cases: the one repeated first in row order.
    let (row, _, reason) = compile_error(json!([
        ok("p", "m1", 2, 5),
        ok("q", "m1", 2, 5),
        ok("q", "m1", 2, 5),
        ok("p", "m1", 2, 5)
    ]));
    assert_eq!(row, 3);
    assert!(reason.contains("case `q`"));
}

#[test]
fn the_first_problem_in_row_order_wins() {
    // A bad location at row 2 comes before the repeated case at row 3.
    let (row, column, _) = compile_error(json!([
        ok("a", "m1", 2, 5),
        ok("b", "nowhere", 2, 5),
        ok("a", "m1", 2, 5)
    ]));
    assert_eq!((row, column.as_deref()), (2, Some("location")));
    // The repeated case at row 2 comes before a bad satisfaction at row 3.
    let (row, column, _) = compile_error(json!([
        ok("a", "m1", 2, 5),
        ok("a", "m1", 2, 5),
        ok("c", "m1", 2, 9)
    ]));
    assert_eq!((row, column.as_deref()), (2, Some("id")));
    // At the same row, the repeated id is reported (it is checked first).
    let (row, column, _) = compile_error(json!([ok("a", "m1", 2, 5), ok("a", "nowhere", 2, 5)]));
    assert_eq!((row, column.as_deref()), (2, Some("id")));
}
