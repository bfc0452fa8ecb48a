#![no_main]
//! `switchboard::fuzzing::redact` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::redact(data));
