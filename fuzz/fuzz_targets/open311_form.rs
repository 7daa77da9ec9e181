//! Fuzz target `open311_form`: see `gridgov_tests::fuzz::open311_form`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::open311_form(data));
