#![no_main]
//! `switchboard::fuzzing::live_message` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::live_message(data));
