#![no_main]
//! `switchboard::fuzzing::pbx` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::pbx(data));
