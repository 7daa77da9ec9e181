//! Fuzz target `open311_document`: see `gridgov_tests::fuzz::open311_document`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gridgov_tests::fuzz::open311_document(data));
