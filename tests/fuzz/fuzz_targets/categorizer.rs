#![no_main]
//! `switchboard::fuzzing::categorizer` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::categorizer(data));
