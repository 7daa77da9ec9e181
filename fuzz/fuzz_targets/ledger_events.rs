//! Fuzz target `ledger_events`: see `gridgov_tests::fuzz::ledger_events`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::ledger_events(data));
