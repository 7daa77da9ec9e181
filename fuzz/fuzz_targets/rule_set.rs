//! Fuzz target `rule_set`: see `gridgov_tests::fuzz::rule_set`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::rule_set(data));
