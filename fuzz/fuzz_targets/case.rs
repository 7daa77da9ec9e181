//! Fuzz target `case`: see `gridgov_tests::fuzz::case`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::case(data));
