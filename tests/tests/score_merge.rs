//! Scoring that merges: any split of an outcome table, scored part by part, merged in any
//! order and finished, gives the whole table's report byte for byte; a partial reads back
//! from its rows; parts that do not belong together are refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::sync::LazyLock;

use gridgov::Engine;
use gridgov::score::{
    MeetingRow, OutcomeRow, OutcomeTable, PartKind, Partial, PartialRow, RegisterRow, ScoreOptions,
    VisitRow,
};
use gridgov::sim;
use proptest::prelude::*;

static FUSHAN: LazyLock<Engine> = LazyLock::new(Engine::fushan);

/// A simulated March of the Fushan default: its outcome rows, visits, meetings and
/// register entries.
struct Month {
    rows: Vec<OutcomeRow>,
    visits: Vec<VisitRow>,
    meetings: Vec<MeetingRow>,
    register: Vec<RegisterRow>,
}

static MARCH: LazyLock<Month> = LazyLock::new(|| {
    let s = sim::simulate_month(&FUSHAN, 2026, 3, 2400, 7);
    Month {
        rows: FUSHAN.outcomes(&s.ledger),
        visits: FUSHAN.visits(&s.ledger),
        meetings: FUSHAN.meetings(&s.ledger),
        register: FUSHAN.register_rows(&s.ledger),
    }
});

fn compile(
    rows: &[OutcomeRow],
    visits: &[VisitRow],
    meetings: &[MeetingRow],
    register: &[RegisterRow],
) -> OutcomeTable {
    let mut t = FUSHAN.compile_outcomes(rows, visits, &[]).unwrap();
    FUSHAN
        .compile_grid_work(&mut t, meetings, register)
        .unwrap();
    t
}

fn options(history: u32) -> ScoreOptions {
    ScoreOptions::new("2026-03".parse().unwrap())
        .with_budget(50_000_000)
        .with_history(history)
}

fn whole(history: u32) -> String {
    let m = &*MARCH;
    let table = compile(&m.rows, &m.visits, &m.meetings, &m.register);
    serde_json::to_string(&FUSHAN.score(&table, &options(history)).unwrap()).unwrap()
}

/// Items dealt to `parts` parts by `deal`.
fn split<T: Clone>(items: &[T], deal: &[u8], parts: usize) -> Vec<Vec<T>> {
    let mut out = vec![Vec::new(); parts];
    for (i, item) in items.iter().enumerate() {
        let p = usize::from(deal.get(i % deal.len().max(1)).copied().unwrap_or(0)) % parts;
        out[p].push(item.clone());
    }
    out
}

/// Merges the parts pairwise, a tree as a cluster reduces them.
fn tree_merge(mut parts: Vec<Partial>) -> Partial {
    while parts.len() > 1 {
        let mut next = Vec::new();
        let mut it = parts.into_iter();
        while let Some(mut a) = it.next() {
            if let Some(b) = it.next() {
                a.merge(&b).unwrap();
            }
            next.push(a);
        }
        parts = next;
    }
    parts.pop().unwrap()
}

#[test]
fn the_simulated_month_lists_common_demands() {
    // Otherwise the tests below would not check that demands list the same cases.
    let report: serde_json::Value = serde_json::from_str(&whole(0)).unwrap();
    let demands = report["common_demands"].as_array().unwrap();
    assert!(
        !demands.is_empty(),
        "no common demand in the simulated month"
    );
    assert!(
        demands
            .iter()
            .all(|d| !d["cases"].as_array().unwrap().is_empty())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_split_merged_and_finished_is_the_whole(
        parts in 1usize..9,
        deal in proptest::collection::vec(any::<u8>(), 1..64),
        history in 0u32..3,
        work_at_finish in any::<bool>(),
    ) {
        let m = &*MARCH;
        let opts = options(history);
        let rows = split(&m.rows, &deal, parts);
        let (visits, meetings, register) = if work_at_finish {
            (vec![Vec::new(); parts], vec![Vec::new(); parts], vec![Vec::new(); parts])
        } else {
            (split(&m.visits, &deal, parts), split(&m.meetings, &deal, parts), split(&m.register, &deal, parts))
        };
        let partials: Vec<Partial> = (0..parts)
            .map(|p| {
                let t = compile(&rows[p], &visits[p], &meetings[p], &register[p]);
                FUSHAN.score_partial(&t, &opts).unwrap()
            })
            .collect();
        let merged = tree_merge(partials);
        prop_assert_eq!(merged.header().rows, m.rows.len() as u64);
        let work = if work_at_finish {
            compile(&[], &m.visits, &m.meetings, &m.register)
        } else {
            compile(&[], &[], &[], &[])
        };
        let finished = FUSHAN.score_finish(&merged, &work, &opts).unwrap();
        prop_assert_eq!(serde_json::to_string(&finished).unwrap(), whole(history));
    }
}

#[test]
fn a_partial_reads_back_from_its_rows() {
    let m = &*MARCH;
    let t = compile(&m.rows, &m.visits, &m.meetings, &m.register);
    let p = FUSHAN.score_partial(&t, &options(1)).unwrap();
    let rows = p.rows(&FUSHAN);
    for kind in PartKind::ALL {
        assert!(rows.iter().any(|r| r.part == *kind), "no `{kind}` row");
    }
    let back = FUSHAN.partial_from_rows(rows.clone()).unwrap();
    assert_eq!(back, p);
    // Rows in another order, split among several tables, read back alike.
    let back = FUSHAN.partial_from_rows(rows.into_iter().rev()).unwrap();
    let finished = |p: &Partial| {
        let r = FUSHAN
            .score_finish(p, &compile(&[], &[], &[], &[]), &options(1))
            .unwrap();
        serde_json::to_string(&r).unwrap()
    };
    assert_eq!(finished(&back), finished(&p));
}

#[test]
fn parts_that_do_not_belong_together_are_refused() {
    let m = &*MARCH;
    let t = compile(&m.rows, &[], &[], &[]);
    let march = FUSHAN.score_partial(&t, &options(0)).unwrap();
    let mut with_history = FUSHAN.score_partial(&t, &options(2)).unwrap();
    let e = with_history.merge(&march).unwrap_err();
    assert_eq!(e.code(), "score_request");
    assert!(e.to_string().contains("same month and history"), "{e}");
    let april = ScoreOptions::new("2026-04".parse().unwrap());
    let e = FUSHAN
        .score_finish(&march, &compile(&[], &[], &[], &[]), &april)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("the partial is of 2026-03 with 0 months of history"),
        "{e}"
    );
    // An engine with another organisation cannot merge or finish Fushan's parts.
    let small = Engine::from_json_strs(
        Some(&gridgov_tests::score_org().to_string()),
        Some(&gridgov_tests::score_rules().to_string()),
        None,
    )
    .unwrap();
    let other = small
        .score_partial(&small.compile_outcomes(&[], &[], &[]).unwrap(), &options(0))
        .unwrap();
    let mut mine = march.clone();
    let e = mine.merge(&other).unwrap_err();
    assert!(e.to_string().contains("one engine"), "{e}");
    let e = small
        .score_finish(
            &march,
            &small.compile_outcomes(&[], &[], &[]).unwrap(),
            &options(0),
        )
        .unwrap_err();
    assert!(e.to_string().contains("another organisation"), "{e}");
}

#[test]
fn rows_that_do_not_fit_are_named() {
    let m = &*MARCH;
    let t = compile(&m.rows, &[], &[], &[]);
    let p = FUSHAN.score_partial(&t, &options(0)).unwrap();
    let row = PartialRow::new;
    let header = p.rows(&FUSHAN).remove(0);
    assert_eq!(header.part, PartKind::Header);
    let cases: Vec<(PartialRow<'_>, &str)> = vec![
        (row(PartKind::Month), "row 2: a `month` row needs `month`"),
        (
            PartialRow {
                month: Some("2026-01".parse().unwrap()),
                ..row(PartKind::Month)
            },
            "row 2: month 2026-01 is outside the window 2026-03 to 2026-03",
        ),
        (
            PartialRow {
                month: Some("2026-03".parse().unwrap()),
                key: Some("fs-c01-g01-m1"),
                counts: Some(Default::default()),
                ..row(PartKind::Grid)
            },
            "row 2: `fs-c01-g01-m1` is not a grid of the organisation",
        ),
        (
            PartialRow {
                month: Some("2026-03".parse().unwrap()),
                key: Some("fs-c01-g01"),
                ..row(PartKind::Grid)
            },
            "row 2: a `grid` row needs its counts",
        ),
        (
            PartialRow {
                key: Some("nowhere_office"),
                counts: Some(Default::default()),
                ..row(PartKind::Office)
            },
            "row 2: `nowhere_office` is not an office of the organisation",
        ),
        (
            PartialRow {
                key: Some("fax"),
                n: Some(1),
                ..row(PartKind::Channel)
            },
            "row 2: unknown channel `fax`; valid channels: visit, app, hotline, petition, walk_in, lawyer_desk",
        ),
        (
            PartialRow {
                key: Some("galaxy"),
                n: Some(1),
                ..row(PartKind::Level)
            },
            "row 2: `galaxy` is not a valid level; expected one of: micro_grid, grid",
        ),
        (
            PartialRow {
                area: Some("fs-c01-x01"),
                category: Some("weather"),
                n: Some(1),
                ..row(PartKind::Demand)
            },
            "row 2: unknown category `weather`; valid categories: ",
        ),
        (
            PartialRow {
                area: Some("fs-c01-g01"),
                category: Some("environment"),
                n: Some(1),
                ..row(PartKind::Demand)
            },
            "row 2: `fs-c01-g01` is not an area of the common demands (a compound of the organisation)",
        ),
        (
            PartialRow {
                area: Some("fs-c01-x01"),
                category: Some("environment"),
                key: Some("c1"),
                ..row(PartKind::Report)
            },
            "row 2: a `report` row needs `at`",
        ),
    ];
    // A table without its header, or two partials' rows joined, are not one partial.
    let e = FUSHAN
        .partial_from_rows(p.rows(&FUSHAN).into_iter().skip(1))
        .unwrap_err();
    assert!(e.to_string().contains("no `header` row"), "{e}");
    let twice = p.rows(&FUSHAN).into_iter().chain(p.rows(&FUSHAN));
    let e = FUSHAN.partial_from_rows(twice).unwrap_err();
    assert!(e.to_string().contains("are both headers"), "{e}");
    for (bad, message) in cases {
        let e = FUSHAN
            .partial_from_rows([header.clone(), bad.clone()])
            .unwrap_err();
        assert_eq!(e.code(), "score_request", "{bad:?}");
        assert!(
            e.to_string().contains(message),
            "{bad:?}: `{e}` does not say `{message}`"
        );
    }
}
