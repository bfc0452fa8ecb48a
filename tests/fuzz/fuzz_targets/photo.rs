#![no_main]
//! `switchboard::fuzzing::photo` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::photo(data));
