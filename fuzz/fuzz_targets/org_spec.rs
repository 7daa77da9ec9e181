//! Fuzz target `org_spec`: see `gridgov_tests::fuzz::org_spec`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::org_spec(data));
