//! Fuzz target `arrow_ipc`: see `gridgov_tests::fuzz::arrow_ipc`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::arrow_ipc(data));
