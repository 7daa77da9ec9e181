//! The soak at reduced size (the full one is `cargo bench -p gridgov-benches --bench
//! soak`): 10,000 cases, their ~100,000 valid events and ~30,000 hostile ones through the
//! ledger, with conservation checked at every refusal and at the end.

#[test]
fn ledger_conserves_cases_under_valid_and_hostile_events() {
    let engine = gridgov::Engine::fushan();
    let cases = gridgov::sim::month_cases(&engine, 2026, 3, 10_000, 20_261_128);
    let report = match gridgov_benches::soak(&engine, cases, 7, 300) {
        Ok(r) => r,
        Err(e) => panic!("soak broke an invariant: {e}"),
    };
    assert_eq!(report.cases, 10_000);
    assert_eq!(report.events, report.accepted + report.refused);
    assert!(report.events >= 120_000, "{report:?}");
    assert!(
        report.refused >= 20_000,
        "hostile events are refused: {report:?}"
    );
    assert_eq!(
        report.by_status.values().sum::<usize>(),
        10_000,
        "{:?}",
        report.by_status
    );
}
