//! The layers of `core/src` hold: no module imports from a higher layer, and no modules
//! import each other round a loop (see `gridgov_tests::layers` for the layers).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use gridgov_tests::layers::{check, edges_of, read_tree};

#[test]
fn core_src_has_no_upward_edge_and_no_cycle() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let files = read_tree(&dir).unwrap();
    assert!(files.len() > 20, "core/src has {} files", files.len());
    let problems = check(&files);
    assert!(
        problems.is_empty(),
        "{} layer problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The test of the test: an upward `use` and a loop are found and named.
#[test]
fn the_check_names_an_upward_edge() {
    let files = vec![
        (
            "case/ledger.rs".to_owned(),
            "use crate::org::Level;\n// use crate::engine::Engine; (a comment)\nuse crate::engine::Engine;\n"
                .to_owned(),
        ),
        ("engine.rs".to_owned(), "use crate::case::Case;\n".to_owned()),
    ];
    let problems = check(&files);
    assert_eq!(
        problems,
        vec![
            "core/src/case/ledger.rs:3: `case` (L2) uses `engine` (L4), a higher layer"
                .to_owned(),
            "import cycle: `case` → `engine` (core/src/case/ledger.rs:3), `engine` → `case` (core/src/engine.rs:1)"
                .to_owned(),
        ]
    );
}

#[test]
fn the_check_reads_groups_and_skips_tests_and_macros() {
    let text = "use crate::{org::Level, time};\n\
                macro_rules! m { () => { $crate::engine::x } }\n\
                fn f() { crate::rules::x(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::sim::x;\n}\n";
    let edges: Vec<String> = edges_of("case/mod.rs", text)
        .into_iter()
        .map(|e| format!("{}:{}", e.line, e.to))
        .collect();
    assert_eq!(edges, ["1:org", "1:time", "3:rules"]);
    assert_eq!(
        check(&[("calendar.rs".to_owned(), text.to_owned())]),
        vec![
            "core/src/calendar.rs:3: `calendar` (L1) uses `rules` (L3), a higher layer".to_owned()
        ]
    );
    assert!(check(&[("nowhere.rs".to_owned(), String::new())])[0].contains("has no layer"));
}

/// A doc link is a path the docs resolve: it counts; a plain comment does not.
#[test]
fn the_check_reads_doc_links_but_not_comments() {
    let text = "//! See [`crate::route`].\n/// Made by [`crate::score::x`].\n// crate::access\nfn f() {}\n";
    let edges: Vec<String> = edges_of("engine.rs", text)
        .into_iter()
        .map(|e| format!("{}:{}", e.line, e.to))
        .collect();
    assert_eq!(edges, ["1:route", "2:score"]);
}
