//! Fuzz target `calendar`: see `gridgov_tests::fuzz::calendar`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::calendar(data));
