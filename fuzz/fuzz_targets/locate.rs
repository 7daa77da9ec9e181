//! Fuzz target `locate`: see `gridgov_tests::fuzz::locate`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::locate(data));
