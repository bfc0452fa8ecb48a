#![no_main]
//! `switchboard::fuzzing::procedures` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::procedures(data));
