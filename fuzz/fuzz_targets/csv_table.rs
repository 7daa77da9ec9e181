//! Fuzz target `csv_table`: see `gridgov_tests::fuzz::csv_table`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::csv_table(data));
