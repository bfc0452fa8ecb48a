#![no_main]
//! `switchboard::fuzzing::appointments` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::appointments(data));
